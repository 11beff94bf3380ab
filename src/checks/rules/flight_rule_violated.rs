use crate::checks::flight::violation_diagnostic;
use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic};

rule! {
    /// ## What it does
    /// Checks every plan against the flight rules of the run (`use rules "…"` in a plan,
    /// or `rules:` in `opsplan.yaml`) and reports each violation: the rule's id and
    /// title, the activities involved with their places, when the rule is broken, and
    /// the requirements the rule traces to. The constraint kinds and their bounds are in
    /// `docs/flight-rules.md`. A violation covered by a `waive` is reported as F004.
    ///
    /// The finding points at the activity that makes the violation, the others involved
    /// are related labels: the later of two too close (`min_separation`), the `a` activity
    /// of an overlap (`no_overlap`), the `b` one of a `precedence`, the selected one of
    /// `requires_*`, the later step of a `sequence`, the start one too many
    /// (`max_per_period` count) or the activity running when the total passes the maximum
    /// (duration), the use whose start takes a resource over (`resource_capacity`), the
    /// activity that takes a working day over its limit (`crew_day`).
    ///
    /// ## Why it matters
    /// Flight rules are the constraints a Planner and a Flight Director check by hand
    /// before a plan goes out: burns 3 h apart, no thruster firing during an EVA, crew
    /// tasks outside crew sleep, critical operations under relay coverage. A plan that
    /// breaks one must not be transmitted without an approved waiver.
    ///
    /// ## Example
    /// ```text
    /// # flight-rules.yaml
    /// - id: FR-09
    ///   title: Maintenance must not overlap critical activities
    ///   kind: no_overlap
    ///   a: { kind: maintenance }
    ///   b: { critical: true }
    /// # the plan
    /// activity A49 "Ground maintenance slot" { at 2014/275 14:00 lasts 2h kind maintenance }
    /// activity A29 "Reboost" { at 2014/275 14:05 lasts 20m critical }   // FR-09 broken
    /// ```
    FlightRuleViolated, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (i, waived) in cx.flight.waived_by.iter().enumerate() {
        if waived.is_none() {
            out.push(violation_diagnostic(
                cx.model,
                &cx.flight,
                i,
                Code::FlightRuleViolated,
            ));
        }
    }
}
