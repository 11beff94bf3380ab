use crate::checks::{report_unresolved, rule, Context, Reporter};
use crate::diag::{Code, Diagnostic};
use crate::model::RefKind;

rule! {
    /// ## What it does
    /// Reports an activity name that the plan does not define, where a relation (`after`,
    /// `before`, `during`, `starts with`) or a relative time (`at A11.end + 10m`, `until A14.start`)
    /// names it. The closest defined name is suggested.
    ///
    /// ## Why it matters
    /// A relation to a missing activity silently loses its constraint, and a relative time
    /// cannot be computed: the activity would have no time at all.
    ///
    /// ## Example
    /// ```text
    /// activity A12 { at 2014/273 09:00 lasts 40m after A9 }   // the poll is `A09`
    /// ```
    UndefinedActivity, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    report_unresolved(
        cx,
        RefKind::Activity,
        Code::UndefinedActivity,
        "activity",
        out,
    );
}
