//! rustc-style text: the message, the source line with the span underlined, secondary
//! labels, help. Colour only when asked (the CLI asks on a terminal without `NO_COLOR`).

use super::display_path;
use crate::diag::{Diagnostic, Severity};
use crate::source::{FileId, SourceDb};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor::Buffer, Chars, Config};
use std::ops::Range;

struct Db<'a>(&'a SourceDb);

impl<'a> Files<'a> for Db<'a> {
    type FileId = FileId;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<String, FilesError> {
        Ok(display_path(self.0, id))
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(self.0.text(id))
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.0.line_col(id, byte_index).line as usize - 1)
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let f = self.0.get(id);
        let starts = f.line_index.line_starts();
        if line_index >= starts.len() {
            return Err(FilesError::LineTooLarge {
                given: line_index,
                max: starts.len() - 1,
            });
        }
        let start = starts[line_index] as usize;
        let end = starts
            .get(line_index + 1)
            .map_or(f.text.len(), |&e| e as usize);
        Ok(start..end)
    }
}

fn convert(d: &Diagnostic) -> cs::Diagnostic<FileId> {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
        Severity::Note => cs::Severity::Note,
    };
    let mut labels = vec![
        cs::Label::primary(d.primary.span.file, d.primary.span.range())
            .with_message(d.primary.message.clone()),
    ];
    labels.extend(d.secondary.iter().map(|l| {
        cs::Label::secondary(l.span.file, l.span.range()).with_message(l.message.clone())
    }));
    let mut notes: Vec<String> = d.help.iter().map(|h| format!("help: {h}")).collect();
    notes.extend(d.notes.iter().cloned());
    let info = d.code.info();
    notes.push(format!(
        "rule: {} ({}); see `opsplan rule {}`",
        info.name, info.code, info.code
    ));
    cs::Diagnostic::new(severity)
        .with_message(d.message.clone())
        .with_code(info.code)
        .with_labels(labels)
        .with_notes(notes)
}

/// Very long source lines are cut in snippets so a 20 MB line does not flood the terminal.
const MAX_SNIPPET_LINE: usize = 400;

/// Renders diagnostics as text, in order, followed by nothing (the caller prints the summary).
pub fn render(sources: &SourceDb, diags: &[Diagnostic], color: bool) -> String {
    let config = Config {
        chars: Chars::ascii(),
        ..Config::default()
    };
    let mut buffer = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    for d in diags {
        if sources
            .line_col(d.primary.span.file, d.primary.span.start as usize)
            .column as usize
            > MAX_SNIPPET_LINE
            || line_too_long(sources, d)
        {
            render_short(sources, d, &mut buffer);
            continue;
        }
        if term::emit_to_write_style(&mut buffer, &config, &Db(sources), &convert(d)).is_err() {
            render_short(sources, d, &mut buffer);
        }
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

fn line_too_long(sources: &SourceDb, d: &Diagnostic) -> bool {
    std::iter::once(&d.primary).chain(&d.secondary).any(|l| {
        let f = sources.get(l.span.file);
        let line = f.line_index.line_col(&f.text, l.span.start as usize).line as usize - 1;
        f.line_index.line_range(&f.text, line).len() > MAX_SNIPPET_LINE * 4
    })
}

/// One line per label, for spans on lines too long to show.
fn render_short(sources: &SourceDb, d: &Diagnostic, out: &mut Buffer) {
    use std::io::Write;
    let loc = super::Location::of(sources, &d.primary);
    let _ = writeln!(
        out,
        "{}[{}]: {}\n  --> {}:{}:{} ({})",
        d.severity.as_str(),
        d.code.info().code,
        d.message,
        loc.file,
        loc.line,
        loc.column,
        d.primary.message
    );
    for l in &d.secondary {
        let loc = super::Location::of(sources, l);
        let _ = writeln!(
            out,
            "  --> {}:{}:{} ({})",
            loc.file, loc.line, loc.column, l.message
        );
    }
    if let Some(h) = &d.help {
        let _ = writeln!(out, "  = help: {h}");
    }
    let _ = writeln!(out);
}
