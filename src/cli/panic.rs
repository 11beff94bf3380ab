//! The one line a panic prints, instead of Rust's panic text and backtrace.
//!
//! A panic is a bug (in opsplan or in a crate it calls), never a verdict. The hook names
//! the input being worked on (`crate::context`), says that nothing was written, and asks
//! for a report; `main` catches the unwind and exits with [`super::EXIT_INTERNAL`].
//! Outputs are written last and whole (`write_atomic`, the export's temporary folder), so
//! a panic before them leaves nothing behind.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

/// Only the first panic of a run is reported: a worker's panic re-raised on the main
/// thread (`par::map_ordered`) does not run the hook again, and a second, independent one
/// adds nothing the user can act on.
static REPORTED: AtomicBool = AtomicBool::new(false);

/// Replaces the default panic message for the whole process. `OPSPLAN_BACKTRACE=1` keeps
/// Rust's own message and backtrace as well, for whoever debugs the report.
pub fn install() {
    let keep_default = std::env::var_os("OPSPLAN_BACKTRACE").is_some_and(|v| v == "1");
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if crate::context::containing() {
            // A reader's panic the library turns into a finding (`contain_panic`).
            return;
        }
        if keep_default {
            default(info);
        }
        if REPORTED.swap(true, Ordering::SeqCst) {
            return;
        }
        let what = crate::context::payload_text(info.payload());
        let place = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        let input = crate::context::current()
            .map(|label| format!(" while reading {}", crate::diag::terminal_safe(&label)))
            .unwrap_or_default();
        // Never `eprintln!` here: a closed standard error would panic again (an abort).
        let text = line(&input, &crate::diag::terminal_safe(&what), &place);
        let _ = writeln!(std::io::stderr(), "{text}");
    }));
}

fn line(input: &str, what: &str, place: &str) -> String {
    format!(
        "opsplan: internal error{input}: {what}{place}. This is a bug in opsplan, not a \
         verdict: nothing was written. Please report it with `opsplan --version` and, if \
         you can share it, the input named here (OPSPLAN_BACKTRACE=1 adds a backtrace)."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_names_the_input_and_asks_for_a_report() {
        let l = line(" while reading a.xlsx", "index out of bounds", " (x.rs:3)");
        assert!(l.starts_with(
            "opsplan: internal error while reading a.xlsx: index out of bounds (x.rs:3)."
        ));
        assert!(l.contains("nothing was written"));
        assert!(l.contains("report it"));
    }

    #[test]
    fn payloads_of_both_kinds_are_read() {
        assert_eq!(crate::context::payload_text(&"static"), "static");
        assert_eq!(
            crate::context::payload_text(&String::from("owned")),
            "owned"
        );
        assert_eq!(
            crate::context::payload_text(&42_u8),
            "a panic without a message"
        );
    }
}
