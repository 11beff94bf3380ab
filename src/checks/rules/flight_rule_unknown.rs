use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};

rule! {
    /// ## What it does
    /// Reports each activity that a flight rule selects but whose start or end is not
    /// known (a cycle, an undefined reference, an impossible time), once per rule: the
    /// rule cannot be judged for it.
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

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for u in &cx.flight.evaluation.unknown {
        let rule = cx.flight.rules[u.rule];
        let a = &cx.model.plans[u.plan].activities[u.activity].ast;
        out.push(
            Diagnostic::new(
                Code::FlightRuleUnknown,
                format!(
                    "{} {} cannot be checked for `{}`: its time is unknown",
                    rule.id, rule.title, a.id.value
                ),
                Label::new(a.id.span, "time unknown"),
            )
            .with_secondary(Label::new(rule.span, format!("rule {}", rule.id)))
            .with_help("give the activity a time that can be computed (see the other findings)")
            .with_flight_rule(rule.id.clone(), &rule.traces),
        );
    }
}
