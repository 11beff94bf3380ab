use crate::checks::{report_unresolved, rule, Context, Reporter};
use crate::diag::{Code, Diagnostic};
use crate::model::RefKind;

rule! {
    /// ## What it does
    /// Reports a `call` (or `on fail call`) of a procedure that no library defines in any
    /// version. A procedure that exists but not in the version called
    /// (`call ATV-GCP-MON-060 v3.1` when the library holds v3.0) is `R003`
    /// undefined-procedure-version, as for an activity's `procedure`.
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
