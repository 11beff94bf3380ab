use crate::checks::{rule, Reporter};

rule! {
/// ## What it does
/// Reports a verification evidence file named under `evidence:` in `opsplan.yaml` that
/// cannot be read: a JUnit XML file that is not well-formed (at the line and column
/// where it breaks), a `<testcase>` without a name, a file or glob that names nothing,
/// a tagged text file that is not text, an as-flown log with a bad row. Nothing of a
/// malformed JUnit file counts as evidence.
///
/// ## Why it matters
/// A truncated result file would drop the failures written after the cut: the
/// requirements they verify would look verified, or unverified without a reason.
///
/// ## Example
/// ```text
/// <testsuite name="qualification">
///   <testcase classname="ops_tor_q002" name="dangling">
///     <failure message="expected Q002">   <- the file ends inside <failure>
/// ```
    InvalidEvidence, Reporter::Trace
}
