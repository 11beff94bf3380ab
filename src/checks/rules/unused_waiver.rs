use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};

rule! {
    /// ## What it does
    /// Reports a `waive` that covers no violation: the rule is met by the activities it
    /// names (the plan changed since the waiver was approved), or the waiver names the
    /// wrong activity. A waiver for a rule no file defines is F006 instead. A waiver for
    /// a rule that is not evaluated (its definition has a problem, an `F003`) is not
    /// reported: whether it covers a violation is unknown until the rule can be read.
    ///
    /// ## Why it matters
    /// A stale waiver is a standing permission nobody needs: it would silently cover a
    /// future violation of the same rule by the same activity, without a new approval.
    ///
    /// ## Example
    /// ```text
    /// waive FR-06 for A24 ref "CR-276-01"   // A24 is inside crew working hours
    /// ```
    UnusedWaiver, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let defined: rustc_hash::FxHashSet<&str> =
        cx.flight.rules.iter().map(|r| r.id.as_str()).collect();
    for (pi, plan) in cx.model.plans.iter().enumerate() {
        for (wi, w) in plan.waivers.iter().enumerate() {
            let known = defined.contains(w.rule.value.as_str());
            let skipped = cx.flight.not_evaluated.is_skipped(&w.rule.value);
            if !known || skipped || cx.flight.waiver_used[pi][wi] {
                continue;
            }
            let names: Vec<String> = w
                .activities
                .iter()
                .map(|a| format!("`{}`", a.value))
                .collect();
            out.push(
                Diagnostic::new(
                    Code::UnusedWaiver,
                    format!(
                        "waiver of {} for {} (ref {}) matches no violation",
                        w.rule.value,
                        names.join(", "),
                        w.reference.value
                    ),
                    Label::new(w.span, "unused waiver"),
                )
                .with_help("remove the waiver, or check that it names the right rule and activity")
                .with_flight_rule(w.rule.value.clone(), &[]),
            );
        }
    }
}
