use crate::checks::{report_unresolved, rule, Context, Reporter};
use crate::diag::{Code, Diagnostic};
use crate::model::RefKind;

rule! {
    /// ## What it does
    /// Reports a procedure that no library defines, where an activity runs it
    /// (`procedure ATV-FCP-REF-010 v3.2`) or a procedure names it as its `contingency`.
    /// Libraries are the `.proc` files given on the command line, found in the given
    /// directories, or named by the plan's `use procedures`. A procedure that exists in
    /// other versions than the one asked for is `R003`; a `call` of an unknown procedure
    /// is `P002`.
    ///
    /// ## Why it matters
    /// An operator who opens the plan on the day must find the procedure to execute, and the
    /// contingency procedure when something fails (ATV-OPS-REQ-003, ATV-OPS-REQ-024).
    ///
    /// ## Example
    /// ```text
    /// procedure ATV-FCP-REF-010 {
    ///   contingency ATV-CRP-PRP-091   // no library defines ATV-CRP-PRP-091
    /// }
    /// ```
    UndefinedProcedure, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    report_unresolved(
        cx,
        RefKind::Procedure,
        Code::UndefinedProcedure,
        "procedure",
        out,
    );
}
