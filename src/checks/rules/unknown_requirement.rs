use crate::checks::{rule, Reporter};

rule! {
/// ## What it does
/// Reports a `covers` (of an activity, a procedure or a step) or a flight rule's
/// `traces` entry that names a requirement no export holds: a dangling trace. The
/// finding is at the id as written, with the closest existing ids as "did you mean" (a
/// swap, a confusable, an edit or two: docs/language.md, "Did you mean"); a
/// heading's id is told apart (headings are chapters, not requirements). No "did you
/// mean" when the cause is known: an export's own id (`SRS-3` under `id: Req ID`, `4594`
/// under `prefix: AMR-`) is told with the id to cite, an id the baseline holds as deleted
/// since, with its text there. Reported when requirement exports are given
/// (`requirements:` in `opsplan.yaml`, or `opsplan trace`).
///
/// ## Why it matters
/// A qualification team counts the requirement as verified by this activity: a typo
/// leaves the real requirement uncovered and claims coverage of nothing.
///
/// ## Example
/// ```text
/// activity A09 "Propellant transfer" {
///   covers ATV-OPS-REQ-06        <- the module has ATV-OPS-REQ-006
/// }
/// ```
    UnknownRequirement, Reporter::Trace
}
