use crate::checks::{report_unresolved, rule, Context, Reporter};
use crate::diag::{Code, Diagnostic};
use crate::model::RefKind;

rule! {
    /// ## What it does
    /// Reports a role that is used but not declared with `roles` in the plan: in an activity's
    /// `by`, as the group of `roles FE-5, FE-6 in CREW` (the group is a role and is declared
    /// by a `roles` line of its own), in a training scenario's `trainees` (against its
    /// plan), and in a procedure's `roles`, `poll` and `manual` statements (procedures are
    /// checked against the roles of every plan in the run, and only when a plan is present).
    /// The help gives the declaration to add (`roles FE-7`). When the name is close to a
    /// declared role it may be a slip (`MCC-N` for `MCC-M`) or a new role (`FE-7` beside
    /// `FE-5`): both are offered, "did you mean" first, and the declaration puts the new
    /// role in the group of the close one (`roles FE-7 in CREW`).
    ///
    /// ## Why it matters
    /// Every activity needs one responsible position on console; a misspelt role (`MCC-N` for
    /// `MCC-M`) means nobody is responsible.
    ///
    /// ## Example
    /// ```text
    /// plan P { roles FD, MCC-M  activity A11 { at 2014/273 08:40 lasts 15m by MCC-N } }
    /// ```
    UndefinedRole, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    report_unresolved(cx, RefKind::Role, Code::UndefinedRole, "role", out);
}
