use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label, Severity};
use crate::model::{TimeState, Unknown};

rule! {
    /// ## What it does
    /// Reports every activity whose start or end cannot be computed: no `at` and no
    /// relation that places it (`after`, `starts with`, `during`), no `lasts`/`until` and
    /// no procedure duration, an offset that leaves the calendar, or a dependency on an
    /// activity whose time is itself unknown (reported as a warning pointing at the cause).
    /// Activities in a dependency cycle, or whose time uses an invalid literal or an
    /// undefined name, are covered by those findings and not repeated here.
    ///
    /// ## Why it matters
    /// Unknown is not pass: an activity without a time escapes every timing, resource and
    /// window check, so the plan would look clean while nothing about it was verified.
    ///
    /// ## Example
    /// ```text
    /// activity A21 "Publish Final WLP" { by PLN lasts 30m }   // no `at`, no relation
    /// ```
    UnresolvedTime, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for plan in &cx.model.plans {
        for am in &plan.activities {
            let TimeState::Unknown(why) = am.time else {
                continue;
            };
            let id = &am.ast.id;
            let d = match why {
                Unknown::NoStart => Diagnostic::new(
                    Code::UnresolvedTime,
                    format!("{} has no start time", id.value),
                    Label::new(
                        id.span,
                        "no `at`, and no `after`, `starts with` or `during` to place it",
                    ),
                )
                .with_help("add `at <time>` or a relation such as `after <activity>`"),
                Unknown::NoDuration => Diagnostic::new(
                    Code::UnresolvedTime,
                    format!("{} has no end time", id.value),
                    Label::new(id.span, "no `lasts`, no `until`, and no procedure duration"),
                )
                .with_help("add `lasts <duration>` or `until <time>`"),
                Unknown::OutOfRange => Diagnostic::new(
                    Code::UnresolvedTime,
                    format!(
                        "{}'s time falls outside the supported calendar (1900-9999)",
                        id.value
                    ),
                    Label::new(id.span, "offsets add up past the calendar"),
                ),
                Unknown::DependsOn(other) => {
                    let o = &plan.activities[other].ast.id;
                    Diagnostic::new(
                        Code::UnresolvedTime,
                        format!(
                            "{}'s time is unknown because {}'s time is unknown",
                            id.value, o.value
                        ),
                        Label::new(id.span, "not scheduled"),
                    )
                    .with_secondary(Label::new(o.span, "its time is unknown"))
                    .with_severity(Severity::Warning)
                }
                Unknown::InCycle | Unknown::InvalidInput => continue,
            };
            out.push(d);
        }
    }
}
