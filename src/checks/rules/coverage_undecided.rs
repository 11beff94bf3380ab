use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::PlanModel;
use crate::source::Span;
use crate::time::Interval;

rule! {
    /// ## What it does
    /// Reports an activity whose window coverage could not be decided because the
    /// windows open and close more than a million times inside it: the coverage a
    /// procedure `requires` (`P010`) or a `requires_window` flight rule (`F001`) asks
    /// for over several windows together is found by walking from one occurrence to the
    /// next through the activity, and that walk stops after 1,000,000 steps.
    ///
    /// Windows are never expanded into lists, so a single window of any period over any
    /// horizon is decided at once (by arithmetic); only several windows that hand over to
    /// each other a million times inside one activity reach this limit.
    ///
    /// ## Why it matters
    /// Unknown is not pass: an activity whose coverage was not decided must not let the
    /// plan pass as if it were covered, nor fail it with an invented gap.
    ///
    /// ## Example
    /// ```text
    /// window A every 2s lasting 1s from 2014/272 00:00:00
    /// window B every 2s lasting 1s from 2014/272 00:00:01     // A and B alternate
    /// activity X { at 2014/272 00:00   lasts 30d   procedure P }
    /// procedure P { requires coverage A | B   step 1 { end } }   // 2.6 million handovers
    /// ```
    CoverageUndecided, Reporter::Check(check)
}

/// The finding for an activity whose coverage by `spec` could not be decided.
pub(crate) fn diagnostic(
    plan: &PlanModel,
    activity: &str,
    at: Span,
    interval: Interval,
    spec: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::CoverageUndecided,
        format!(
            "the coverage of {activity} by {spec} could not be decided: the windows open and close more than a million times inside it"
        ),
        Label::new(
            at,
            format!("{activity} runs {}", interval.format(plan.notation)),
        ),
    )
    .with_help("split the activity, or give the windows as a list of the intervals that matter")
}

/// Flight rules whose window coverage could not be decided (`requires_window`).
fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for u in &cx.flight.evaluation.undecided {
        let rule = cx.flight.rules[u.rule];
        let plan = &cx.model.plans[u.plan];
        let a = &plan.activities[u.activity];
        let Some(iv) = a.time.interval() else {
            continue;
        };
        out.push(
            diagnostic(plan, &a.ast.id.value, a.ast.id.span, iv, &u.windows)
                .with_secondary(Label::new(rule.span, format!("rule {}", rule.id)))
                .with_flight_rule(rule.id.clone(), &rule.traces),
        );
    }
}
