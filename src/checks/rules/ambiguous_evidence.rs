use crate::checks::{rule, Reporter};

rule! {
/// ## What it does
/// Reports a test case or tag that names an id which, compared folded (`fold: true`:
/// case-insensitive, `_ - . /` and blanks alike), matches several requirement ids of
/// the exports (`OPS-TOR-1` and `ops_tor_1`). The evidence counts for none of them:
/// opsplan never guesses. An id that several requirements have as written is `Q005`.
///
/// ## Why it matters
/// A test result credited to the wrong requirement is a verification that never
/// happened.
///
/// ## Example
/// ```text
/// <testcase classname="ops_tor_q002" name="dangling"/>   <- OPS-TOR-Q002 and OPS_TOR_Q002
/// ```
    AmbiguousEvidence, Reporter::Trace
}
