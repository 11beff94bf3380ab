use crate::checks::{rule, Reporter};

rule! {
/// ## What it does
/// Reports a `covers` (of an activity, a procedure or a step) or a flight rule's
/// `traces` entry that names a requirement no export holds: a dangling trace. The
/// finding is at the id as written, with the closest existing ids as "did you mean" (a
/// swap, a confusable, an edit or two: docs/language.md, "Did you mean"); a
/// heading's id is told apart (headings are chapters, not requirements). Two causes are
/// said instead of a "did you mean": the id is an export's own id of a requirement cited
/// by another id (`SRS-3` when `id: Req ID` makes it `OPS-REQ-006`; `4594` when a module's
/// `prefix: AMR-` makes it `AMR-4594`), and the finding says which id to cite; or the
/// baseline holds the id and the current exports do not: it was deleted since that
/// baseline, whose text of it is shown. Reported when requirement exports are given
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
