use crate::checks::{rule, Reporter};

rule! {
/// ## What it does
/// Reports a `covers` or `traces` entry whose id several requirements of the exports
/// have (see `Q004`). The link counts for none of them as a clean trace.
///
/// ## Why it matters
/// The trace cannot tell which requirement text the activity was checked against, so
/// it proves nothing until the ids are made unique.
///
/// ## Example
/// ```text
/// activity A22 { covers ATV-OPS-REQ-012 }    <- two exports define ATV-OPS-REQ-012
/// ```
    AmbiguousTrace, Reporter::Trace
}
