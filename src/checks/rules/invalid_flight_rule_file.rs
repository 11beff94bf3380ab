use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::flight::locate_in_rule;

rule! {
    /// ## What it does
    /// Reports a flight-rule file that cannot be used, at its YAML line and column: YAML
    /// that does not parse, an unknown key, a value of the wrong type, an unknown `kind`,
    /// a key the kind does not take or a key it needs, a negative or malformed duration,
    /// a `max_gap` below `min_gap`, a rule id defined twice, and, once the plans are
    /// read, a window or resource that a plan does not declare (not a window that a `use
    /// windows` file of the plan would define but could not give: its `E005` says why).
    /// Alias bombs are refused by the YAML reader. `opsplan check` exits with code 2 when
    /// a rule file is invalid.
    ///
    /// ## Why it matters
    /// A rule that cannot be read is a rule that is not checked: the plan must not look
    /// clean because its constraints were dropped.
    ///
    /// ## Example
    /// ```text
    /// - id: FR-01
    ///   title: Critical activities need relay coverage
    ///   kind: requires_window
    ///   select: { critical: true }
    ///   windows: [ART, TDSR]        // no window TDSR in the plan
    ///   margin: -15m                // negative
    /// ```
    InvalidFlightRuleFile, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::BTreeSet::new();
    for m in &cx.flight.evaluation.missing {
        let rule = cx.flight.rules[m.rule];
        let plan = &cx.model.plans[m.plan];
        // A window of a `use windows` file that could not be read: its E005 says why.
        if m.what == "window" && plan.window_unread(&m.name) {
            continue;
        }
        if !seen.insert((m.rule, m.name.clone())) {
            continue;
        }
        let span = match cx.flight.sources {
            Some(db) => locate_in_rule(db.text(rule.span.file), rule, &m.name, m.key),
            None => rule.span,
        };
        out.push(
            Diagnostic::new(
                Code::InvalidFlightRuleFile,
                format!(
                    "flight rule `{}` names {} `{}`, which plan {} does not declare",
                    rule.id, m.what, m.name, plan.id.value
                ),
                Label::new(span, format!("unknown {}", m.what)),
            )
            .with_secondary(Label::new(plan.id.span, "this plan"))
            .with_flight_rule(rule.id.clone(), &rule.traces),
        );
    }
}
