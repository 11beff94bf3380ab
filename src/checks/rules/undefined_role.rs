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
    /// The help says "did you mean" when the name is a slip of a declared role, the
    /// declaration to add when no declared role is close, and both when it may be either.
    ///
    /// How close the name is to a declared role decides ("did you mean" in
    /// docs/language.md):
    ///
    /// - the same characters, up to case, a confusable character (`0`/`O`, `1`/`I`/`l`,
    ///   …) or one swap of adjacent characters (`GCS` for `GSC`, `fd` for `FD`): only "did
    ///   you mean `GSC`?". The planner almost certainly mistyped; offering to declare a
    ///   new role `GCS` would invite a bogus one;
    /// - any other close name (a character replaced, added or left out: `MCC-N` for
    ///   `MCC-M`; two edits in a longer name; a name cut short): it may be a slip or a
    ///   new role (`FE-7` beside `FE-5` and `FE-6`), so both are offered, "did you mean"
    ///   first (every equally close role), then the declaration, in the group of the
    ///   suggested roles when they share one (`roles FE-7 in CREW`);
    /// - no declared role is close: the declaration to add (`roles IMMT`).
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
