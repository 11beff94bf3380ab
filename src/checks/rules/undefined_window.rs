use crate::checks::{report_unresolved, rule, Context, Reporter};
use crate::diag::{Code, Diagnostic};
use crate::model::RefKind;

rule! {
    /// ## What it does
    /// Reports a window named by an activity's `needs` or a procedure's `requires coverage` that
    /// no `window` declaration defines. A window that a `use windows` file would define is
    /// not reported when the file could not give it (a row of that window, or the file's
    /// header, could not be read): the file's `E005` says why, and the check is incomplete
    /// (exit code 2) until the file is corrected.
    ///
    /// ## Why it matters
    /// A critical activity that needs relay coverage (Artemis, TDRS) must be checked against the
    /// real passes; an unknown window name would make that check impossible.
    ///
    /// ## Example
    /// ```text
    /// activity A12 { at 2014/273 09:00 lasts 40m needs ART & TDSR }   // `TDRS`
    /// ```
    UndefinedWindow, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    report_unresolved(cx, RefKind::Window, Code::UndefinedWindow, "window", out);
}
