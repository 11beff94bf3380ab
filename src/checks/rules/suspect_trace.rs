use crate::checks::{rule, Reporter};

rule! {
/// ## What it does
/// Reports a trace made against an older text of the requirement, in one of two ways:
/// - the `covers` records the fingerprint of the text it was checked against
///   (`covers ATV-OPS-REQ-007@2c8e41f0a9d3`, at least 8 hexadecimal digits), and the
///   requirement's fingerprint no longer starts with it;
/// - a baseline export is given (`requirements: baseline:` in `opsplan.yaml`, or
///   `opsplan trace --changed-since OLD`) and the requirement's fingerprint differs
///   there; a `covers` that records the current fingerprint has been reviewed and is
///   not suspect.
///
/// The fingerprint is SHA-256 over the id, heading and text (whitespace runs count as
/// one blank), plus the attributes listed under `requirements: fingerprint:`. The
/// finding shows the old and new text and the fingerprint to record once reviewed.
///
/// ## Why it matters
/// DOORS marks such links suspect: the activity may no longer meet what the
/// requirement now says (a 2 h separation became 3 h).
///
/// ## Example
/// ```text
/// baseline: OCS burns shall be ≥2 h apart.
/// now:      OCS burns shall be ≥3 h apart.
/// activity A31 "Reboost burn 2" { covers ATV-OPS-REQ-011 }   <- suspect
/// ```
    SuspectTrace, Reporter::Trace
}
