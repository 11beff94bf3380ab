use crate::checks::{rule, Reporter};

rule! {
/// ## What it does
/// Reports a trace to a requirement that the export marks as deleted or rejected:
/// `ReqIF.ForeignDeleted = true` (DOORS), or a status attribute (`Status`, `State`,
/// `Lifecycle State`) with the value deleted, rejected, obsolete, withdrawn or
/// cancelled. `requirements: withdrawn:` in `opsplan.yaml` names another attribute
/// and values.
///
/// ## Why it matters
/// The activity is justified by a requirement that no longer applies: either the
/// activity is no longer needed or it should trace to the requirement that replaced it.
///
/// ## Example
/// ```text
/// Req ID,Object Text,Status
/// ATV-OPS-REQ-031,The plan shall be transmitted by e-mail.,Rejected
///
/// activity A01 { covers ATV-OPS-REQ-031 }     <- cites a rejected requirement
/// ```
    WithdrawnRequirement, Reporter::Trace
}
