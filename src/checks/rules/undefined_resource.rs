use crate::checks::{report_unresolved, rule, Context, Reporter};
use crate::diag::{Code, Diagnostic};
use crate::model::RefKind;

rule! {
    /// ## What it does
    /// Reports a resource named by an activity's `uses` that the plan does not declare with
    /// `resource`.
    ///
    /// ## Why it matters
    /// Resource conflicts (two burns on the OCS thrusters at once) are checked only for declared
    /// resources: an undeclared one escapes the check.
    ///
    /// ## Example
    /// ```text
    /// plan P { resource OCS exclusive  activity A29 { at 2014/275 14:05 lasts 20m uses OSC } }
    /// ```
    UndefinedResource, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    report_unresolved(
        cx,
        RefKind::Resource,
        Code::UndefinedResource,
        "resource",
        out,
    );
}
