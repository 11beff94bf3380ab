//! Findings of a run as LSP diagnostics.
//!
//! Severity: error, warning, note → Error, Warning, Information. A waived flight-rule
//! violation (`F004 waived-violation`) has no LSP tag of its own: it is a Hint, its
//! message starts with `waived: `, and its `data` says `"waived": true`. `code` is the
//! rule code; `codeDescription.href` a `file:` URI of the rule's documentation in the
//! source tree the binary was built from (`src/checks/rules/NAME.rs`, the text `opsplan
//! rule CODE` prints), given only when that file exists. The primary label, the help and
//! the notes follow the message on lines of their own; secondary labels are the related
//! information. `data.index` is the finding's index in the run, for code actions.

use super::position::{path_to_uri, Lines};
use crate::diag::{Code, Diagnostic, Severity};
use crate::source::{FileId, SourceDb, Span};
use crate::workspace::Run;
use lsp_types as lsp;
use std::collections::BTreeMap;

/// The range of `span` in its file.
pub fn range_of(sources: &SourceDb, span: Span) -> lsp::Range {
    let file = sources.get(span.file);
    Lines::with_index(&file.text, &file.line_index).range(span.range())
}

/// The URI of a file of the run (a ReqIFz member: its archive).
pub fn uri_of(sources: &SourceDb, file: FileId) -> lsp::Uri {
    path_to_uri(sources.path(file))
}

/// Where the documentation of `code` is, when the source tree is still there.
fn doc_href(code: Code) -> Option<lsp::Uri> {
    let name = code.info().name.replace('-', "_");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/checks/rules")
        .join(format!("{name}.rs"));
    path.is_file().then(|| path_to_uri(&path))
}

/// One finding, `index` its place in `run.diagnostics`.
pub fn convert(run: &Run, index: usize, d: &Diagnostic) -> lsp::Diagnostic {
    let waived = d.code == Code::WaivedViolation;
    let severity = if waived {
        lsp::DiagnosticSeverity::HINT
    } else {
        match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            Severity::Note => lsp::DiagnosticSeverity::INFORMATION,
        }
    };
    let mut message = String::new();
    if waived {
        message.push_str("waived: ");
    }
    message.push_str(&d.message);
    if !d.primary.message.is_empty() {
        message.push('\n');
        message.push_str(&d.primary.message);
    }
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    for note in &d.notes {
        message.push_str("\nnote: ");
        message.push_str(note);
    }
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .map(|l| lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(
                uri_of(&run.sources, l.span.file),
                range_of(&run.sources, l.span),
            ),
            message: if l.message.is_empty() {
                "here".to_string()
            } else {
                l.message.clone()
            },
        })
        .collect();
    let info = d.code.info();
    lsp::Diagnostic {
        range: range_of(&run.sources, d.primary.span),
        severity: Some(severity),
        code: Some(lsp::NumberOrString::String(info.code.to_string())),
        code_description: doc_href(d.code).map(|href| lsp::CodeDescription { href }),
        source: Some("opsplan".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: Some(serde_json::json!({
            "index": index,
            "name": info.name,
            "waived": waived,
        })),
    }
}

/// Every finding of `run`, by the URI of its file (in the run's order).
pub fn by_file(run: &Run) -> BTreeMap<String, (lsp::Uri, Vec<lsp::Diagnostic>)> {
    let mut out: BTreeMap<String, (lsp::Uri, Vec<lsp::Diagnostic>)> = BTreeMap::new();
    for (i, d) in run.diagnostics.iter().enumerate() {
        let uri = uri_of(&run.sources, d.primary.span.file);
        out.entry(uri.as_str().to_string())
            .or_insert_with(|| (uri, Vec::new()))
            .1
            .push(convert(run, i, d));
    }
    out
}

/// A project file that could not be used, as a diagnostic at `line`:`column` (1-based,
/// the column in characters) of `text`.
pub fn load_error(text: &str, line: usize, column: usize, message: &str) -> lsp::Diagnostic {
    let l = line.saturating_sub(1);
    let line_text = text.lines().nth(l).unwrap_or("");
    let character: usize = line_text
        .chars()
        .take(column.saturating_sub(1))
        .map(char::len_utf16)
        .sum();
    let at = lsp::Position::new(l as u32, character as u32);
    lsp::Diagnostic {
        range: lsp::Range::new(at, at),
        severity: Some(lsp::DiagnosticSeverity::ERROR),
        source: Some("opsplan".to_string()),
        message: format!("project file not used: {message}"),
        ..Default::default()
    }
}
