use crate::checks::{report_unresolved, rule, Context, Reporter};
use crate::diag::{Code, Diagnostic};
use crate::model::RefKind;

rule! {
    /// ## What it does
    /// Reports a `call` (or `on fail call`) of a procedure that no library defines, in the
    /// version asked for if one is given.
    ///
    /// ## Why it matters
    /// A called procedure is part of the one being executed: if it is missing, the procedure
    /// cannot be completed as written.
    ///
    /// ## Example
    /// ```text
    /// step 6 "Line monitoring" { call ATV-GCP-MON-061 }   // the library has ATV-GCP-MON-060
    /// ```
    UndefinedCallTarget, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    report_unresolved(
        cx,
        RefKind::CallTarget,
        Code::UndefinedCallTarget,
        "procedure",
        out,
    );
}
