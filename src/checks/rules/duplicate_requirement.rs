use crate::checks::{rule, Reporter};

rule! {
/// ## What it does
/// Reports a requirement id defined by two objects of the exports (two modules with
/// the same prefix, a requirement copied without a new id, two files of one module),
/// at the second definition with the first as a secondary label. Both keep the status
/// `duplicate` in `opsplan trace`, and a trace to the id is ambiguous (`Q005`).
///
/// ## Why it matters
/// Coverage is decided per requirement: with two objects for one id, nobody can say
/// which of the two texts the plan was checked against.
///
/// ## Example
/// ```text
/// ops-module.reqif:    ATV-OPS-REQ-012  No thruster firing during an EVA.
/// ops-module-v2.reqif: ATV-OPS-REQ-012  No thruster firing within 30 min of an EVA.
/// ```
    DuplicateRequirement, Reporter::Trace
}
