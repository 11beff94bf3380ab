use crate::checks::{rule, Reporter};

rule! {
/// ## What it does
/// Reports a justification recorded under `requirements: justified:` in
/// `opsplan.yaml` that no longer explains a gap: the requirement is covered now, does
/// not need coverage, is withdrawn, or is in no export.
///
/// ## Why it matters
/// Justifications are reviewed by the qualification team; a stale one hides the day
/// a requirement loses its coverage again, and clutters the traceability report.
///
/// ## Example
/// ```text
/// requirements:
///   justified:
///     ATV-OPS-REQ-004: "Verified by the ground segment test"   <- A03 now covers it
/// ```
    StaleJustification, Reporter::Trace
}
