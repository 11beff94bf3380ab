//! GitHub Actions workflow commands: one annotation per finding,
//!
//! ```text
//! ::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T006 exclusive-resource-overlap::MESSAGE
//! ```
//!
//! `error` for errors, `warning` for warnings, `notice` for notes. The message holds the
//! finding's message, the primary label, the related locations, the notes and the help,
//! one per line. Control characters from the inputs are first shown escaped (`\u{1b}`,
//! [`crate::diag::terminal_safe`]: the log is read on a terminal or in a browser that
//! obeys them); then escaping follows the Actions toolkit: in the message `%`, CR and LF
//! become `%25`, `%0D`, `%0A`; in the properties also `:` and `,` become `%3A`, `%2C`.
//! Paths are relative to the folder `opsplan` ran in (the repository root in a
//! workflow), with `/` separators and `dir/..` removed.
//!
//! After the annotations `opsplan check` prints, as plain log lines (not annotations),
//! `project file: …` and the verdict.

use super::sarif::clean_path;
use super::Location;
use crate::diag::{terminal_safe, Diagnostic, Severity};
use crate::source::SourceDb;
use std::fmt::Write;

/// One workflow command per finding, each on its own line.
pub fn render(sources: &SourceDb, diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let info = d.code.info();
        let loc = Location::of(sources, &d.primary);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut message = d.message.clone();
        if !d.primary.message.is_empty() {
            let _ = write!(message, "\n{}", d.primary.message);
        }
        for l in &d.secondary {
            let r = Location::of(sources, l);
            let _ = write!(
                message,
                "\n{}:{}:{}: {}",
                clean_path(&r.file),
                r.line,
                r.column,
                l.message
            );
        }
        for note in &d.notes {
            let _ = write!(message, "\nnote: {note}");
        }
        if let Some(help) = &d.help {
            let _ = write!(message, "\nhelp: {help}");
        }
        let _ = write!(message, "\nsee `opsplan rule {}`", info.code);
        let _ = writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&terminal_safe(&clean_path(&loc.file))),
            loc.line,
            loc.column,
            loc.end_line,
            loc.end_column,
            escape_property(&format!("{} {}", info.code, info.name)),
            escape_data(&terminal_safe(&message))
        );
    }
    out
}

/// A command's message (`escapeData` of the Actions toolkit).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value (`escapeProperty` of the Actions toolkit).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_actions_toolkit() {
        assert_eq!(escape_data("100% a:b,c\r\nd"), "100%25 a:b,c%0D%0Ad");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        // `%` first, so an escape is never escaped twice.
        assert_eq!(escape_data("%0A"), "%250A");
    }
}
