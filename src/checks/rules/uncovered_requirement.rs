use crate::checks::{rule, Reporter};

rule! {
/// ## What it does
/// Reports a requirement that needs coverage and is covered by no activity, procedure,
/// step or flight rule, at the requirement in the export (line and column of a CSV or
/// ReqIF file; sheet and cell of a workbook, in the message). Which requirements need
/// coverage is set by `requirements: need:` in `opsplan.yaml` (by id prefix, module,
/// or an attribute such as `Verification Method`); by default every requirement that is
/// not a heading and not withdrawn. A gap with a recorded justification
/// (`requirements: justified:`) is not reported: it shows as `justified`.
///
/// ## Why it matters
/// An uncovered requirement is one the operations will not demonstrate: the
/// qualification team must either plan for it or justify the gap.
///
/// ## Example
/// ```text
/// ATV-OPS-REQ-017,Screening shall use ±25 × ±25 × ±0.5 km.,Test   <- nothing covers it
/// ```
    UncoveredRequirement, Reporter::Trace
}
