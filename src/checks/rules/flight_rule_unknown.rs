use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::{TimeState, Unknown};
use std::collections::BTreeMap;

rule! {
    /// ## What it does
    /// Reports each activity that flight rules select but whose start or end is not
    /// known (a cycle, an undefined reference, an impossible time), once, naming every
    /// rule that cannot be judged for it and why its time is unknown.
    ///
    /// One finding per activity, not one per rule: an activity in a dependency cycle that
    /// eight rules select is one `F002` beside the `G001`, not eight. It stays a finding,
    /// at error severity, because unknown is not pass: the rules it names were not judged
    /// for that activity, and the flight-rule verdicts of `opsplan diff` and
    /// `opsplan export` count each of them as unknown (the consistency report files the
    /// finding under the first). A `severity:` set in `opsplan.yaml` for one of the rules
    /// applies; with several, the most severe of theirs.
    ///
    /// ## Why it matters
    /// Unknown is not pass. A rule that silently skipped an activity without a time would
    /// let a plan look clean while the activity may break it.
    ///
    /// ## Example
    /// ```text
    /// activity A40 "PDAM burn" { after A99 lasts 10m kind dam critical }  // A99 undefined
    /// ```
    FlightRuleUnknown, Reporter::Check(check)
}

/// The first activity name its `at`, `until` or relations use that the plan lacks.
fn undefined_reference<'a>(
    am: &'a crate::model::ActivityModel,
    plan: &crate::model::PlanModel,
) -> Option<&'a str> {
    use crate::syntax::ast::TimeExpr;
    let timed = [&am.ast.at, &am.ast.until]
        .into_iter()
        .flatten()
        .filter_map(|t| match t {
            TimeExpr::Relative { activity, .. } => Some(activity),
            TimeExpr::Absolute(_) => None,
        });
    let related = am.ast.relations.iter().map(|r| &r.target);
    timed
        .chain(related)
        .find(|n| !plan.activity_index.contains_key(&n.value))
        .map(|n| n.value.as_str())
}

/// Why an activity's time is unknown, in a few words, with the finding that says more.
fn why(am: &crate::model::ActivityModel, plan: &crate::model::PlanModel) -> String {
    match am.time {
        TimeState::Unknown(Unknown::InCycle) => "in a dependency cycle (G001)".into(),
        TimeState::Unknown(Unknown::DependsOn(other)) => format!(
            "placed from `{}`, whose time is unknown",
            plan.activities[other].ast.id.value
        ),
        TimeState::Unknown(Unknown::InvalidInput) => match undefined_reference(am, plan) {
            Some(name) => format!("placed from `{name}`, which the plan does not define (R001)"),
            None => "its time is an invalid value (E002)".into(),
        },
        TimeState::Unknown(Unknown::NoStart) => "no start time (T005)".into(),
        TimeState::Unknown(Unknown::NoDuration) => "no end time (T005)".into(),
        TimeState::Unknown(Unknown::OutOfRange) => "time outside the calendar (T005)".into(),
        TimeState::Inverted(_) => "ends before it starts (T004)".into(),
        TimeState::Known(_) => "time unknown".into(),
    }
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    // (plan, activity) → the rules that could not judge it, in rule order.
    let mut by_activity: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for u in &cx.flight.evaluation.unknown {
        by_activity
            .entry((u.plan, u.activity))
            .or_default()
            .push(u.rule);
    }
    for ((p, ai), mut rules) in by_activity {
        rules.sort_unstable();
        rules.dedup();
        let plan = &cx.model.plans[p];
        let am = &plan.activities[ai];
        let a = &am.ast;
        let rules: Vec<&crate::flight::FlightRule> =
            rules.iter().map(|&r| cx.flight.rules[r]).collect();
        let ids: Vec<String> = rules.iter().map(|r| r.id.clone()).collect();
        // Every rule's requirements, each once, in rule order.
        let mut seen = rustc_hash::FxHashSet::default();
        let traces: Vec<String> = rules
            .iter()
            .flat_map(|r| &r.traces)
            .filter(|t| seen.insert(t.as_str()))
            .cloned()
            .collect();
        let message = match rules.as_slice() {
            [one] => format!(
                "{} {} cannot be checked for `{}`: its time is unknown",
                one.id, one.title, a.id.value
            ),
            _ => format!(
                "{} flight rules cannot be checked for `{}`: its time is unknown ({})",
                rules.len(),
                a.id.value,
                ids.join(", ")
            ),
        };
        let mut d = Diagnostic::new(
            Code::FlightRuleUnknown,
            message,
            Label::new(a.id.span, why(am, plan)),
        );
        for r in &rules {
            d = d.with_secondary(Label::new(r.span, format!("rule {}", r.id)));
        }
        out.push(
            d.with_help(
                "give the activity a time that can be computed; the finding on its time says \
                 why it has none",
            )
            .with_flight_rules(&ids, &traces),
        );
    }
}
