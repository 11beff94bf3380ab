use crate::checks::flight::violation_diagnostic;
use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic};

rule! {
    /// ## What it does
    /// Reports, as a note, a flight-rule violation that a `waive` declaration of the plan
    /// covers: same rule id, and one of the waiver's activities among the activities
    /// involved. The note shows the waiver and its approval reference. A waived violation
    /// does not fail the check: the verdict is then "pass with waivers".
    ///
    /// ## Why it matters
    /// Waivers are explicit: a suppressed violation must carry the reference of its
    /// approval (a change request, an IMMT decision), and the report must still show it,
    /// so that nobody mistakes a waived plan for a clean one.
    ///
    /// ## Example
    /// ```text
    /// waive FR-06 for A25 ref "CR-276-01"
    /// activity A25 "Stowage close-out photos" { at 2014/276 02:00 lasts 30m by CREW }
    /// ```
    WaivedViolation, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (i, waived) in cx.flight.waived_by.iter().enumerate() {
        if waived.is_some() {
            out.push(violation_diagnostic(
                cx.model,
                &cx.flight,
                i,
                Code::WaivedViolation,
            ));
        }
    }
}
