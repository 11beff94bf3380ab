//! Rendering findings. One file per format over the same diagnostics; no checking logic.

pub mod agenda;
pub mod excerpt;
pub mod export;
pub mod github;
pub mod json;
pub mod junit;
pub mod plan_diff;
pub mod reqs;
pub mod reqs_diff;
pub mod sarif;
pub mod text;
pub mod trace;
pub mod writeback;
pub mod xlsx;

use crate::diag::{Diagnostic, Label};
use crate::source::{LineCol, SourceDb};

/// A label's location in the terms users read: file, 1-based line and column of both ends
/// (the end is exclusive: the position just after the last character).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl Location {
    pub fn of(sources: &SourceDb, label: &Label) -> Location {
        let span = label.span;
        let LineCol { line, column } = sources.line_col(span.file, span.start as usize);
        let end = sources.line_col(span.file, span.end as usize);
        Location {
            file: display_path(sources, span.file),
            line,
            column,
            end_line: end.line,
            end_column: end.column,
        }
    }
}

/// The path as users gave it, with `/` separators for stable output across systems.
pub fn display_path(sources: &SourceDb, file: crate::source::FileId) -> String {
    let p = sources.name(file).replace('\\', "/");
    p.strip_prefix("./").map(str::to_string).unwrap_or(p)
}

/// `1 error`, `2 errors`.
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// "2 errors, 1 warning"
pub fn summary(diags: &[Diagnostic], files: usize) -> String {
    use crate::diag::Severity::*;
    let count = |s| diags.iter().filter(|d| d.severity == s).count();
    format!(
        "{}, {}, {} in {}",
        plural(count(Error), "error"),
        plural(count(Warning), "warning"),
        plural(count(Note), "note"),
        plural(files, "file")
    )
}
