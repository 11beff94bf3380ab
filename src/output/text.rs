//! rustc-style text: the message, the source line with the span underlined, secondary
//! labels, help. Colour only when asked (the CLI asks on a terminal without `NO_COLOR`).

use super::excerpt::{Excerpts, ShownLabel};
use crate::diag::{terminal_safe, Diagnostic, Severity};
use crate::source::SourceDb;
use codespan_reporting::diagnostic as cs;
use codespan_reporting::term::{self, termcolor::Buffer, Chars, Config};

/// Every text a finding shows, made terminal-safe ([`terminal_safe`]).
fn convert(d: &Diagnostic, shown: &[ShownLabel]) -> cs::Diagnostic<usize> {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
        Severity::Note => cs::Severity::Note,
    };
    let safe = |s: &str| terminal_safe(s).into_owned();
    let messages = std::iter::once(&d.primary).chain(&d.secondary);
    let labels = shown
        .iter()
        .zip(messages)
        .enumerate()
        .map(|(i, (at, l))| {
            let label = if i == 0 {
                cs::Label::primary(at.file, at.range.clone())
            } else {
                cs::Label::secondary(at.file, at.range.clone())
            };
            label.with_message(safe(&l.message))
        })
        .collect();
    let mut notes: Vec<String> = d
        .help
        .iter()
        .map(|h| format!("help: {}", safe(h)))
        .collect();
    notes.extend(d.notes.iter().map(|n| safe(n)));
    let info = d.code.info();
    notes.push(format!(
        "rule: {} ({}); see `opsplan rule {}`",
        info.name, info.code, info.code
    ));
    cs::Diagnostic::new(severity)
        .with_message(safe(&d.message))
        .with_code(info.code)
        .with_labels(labels)
        .with_notes(notes)
}

/// Renders diagnostics as text, in order, followed by nothing (the caller prints the
/// summary). Excerpts show each label's line, long lines cut to a window around the
/// labels (`output::excerpt`); a finding in a file that is never quoted (an input that
/// is not opsplan text, [`SourceDb::make_opaque`]) shows its locations only. Every
/// text from the inputs is terminal-safe.
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
        let labels: Vec<&crate::diag::Label> =
            std::iter::once(&d.primary).chain(&d.secondary).collect();
        if labels.iter().any(|l| sources.is_opaque(l.span.file)) {
            render_short(sources, d, &mut buffer);
            continue;
        }
        let (excerpts, shown) = Excerpts::new(sources, &labels);
        if term::emit_to_write_style(&mut buffer, &config, &excerpts, &convert(d, &shown)).is_err()
        {
            render_short(sources, d, &mut buffer);
        }
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// One line per label, without excerpts: for a finding in a file never quoted.
fn render_short(sources: &SourceDb, d: &Diagnostic, out: &mut Buffer) {
    use std::io::Write;
    let safe = |s: &str| terminal_safe(s).into_owned();
    let loc = super::Location::of(sources, &d.primary);
    let _ = writeln!(
        out,
        "{}[{}]: {}\n  --> {}:{}:{} ({})",
        d.severity.as_str(),
        d.code.info().code,
        safe(&d.message),
        safe(&loc.file),
        loc.line,
        loc.column,
        safe(&d.primary.message)
    );
    for l in &d.secondary {
        let loc = super::Location::of(sources, l);
        let _ = writeln!(
            out,
            "  --> {}:{}:{} ({})",
            safe(&loc.file),
            loc.line,
            loc.column,
            safe(&l.message)
        );
    }
    if let Some(h) = &d.help {
        let _ = writeln!(out, "  = help: {}", safe(h));
    }
    for n in &d.notes {
        let _ = writeln!(out, "  = {}", safe(n));
    }
    let info = d.code.info();
    let _ = writeln!(
        out,
        "  = rule: {} ({}); see `opsplan rule {}`",
        info.name, info.code, info.code
    );
    let _ = writeln!(out);
}
