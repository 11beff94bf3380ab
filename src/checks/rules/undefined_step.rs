use crate::checks::{report_unresolved, rule, Context, Reporter};
use crate::diag::{Code, Diagnostic};
use crate::model::RefKind;

rule! {
    /// ## What it does
    /// Reports a `goto` or `on fail goto` that names a step label the procedure does not have.
    ///
    /// ## Why it matters
    /// A failure branch that leads nowhere leaves the operator without instructions at the very
    /// moment something went wrong.
    ///
    /// ## Example
    /// ```text
    /// procedure X {
    ///   step 1 { command PROP_VALVES_OPEN on fail goto 9 }   // there is no step 9
    ///   step 2 { end }
    /// }
    /// ```
    UndefinedStep, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    report_unresolved(cx, RefKind::Step, Code::UndefinedStep, "step", out);
}
