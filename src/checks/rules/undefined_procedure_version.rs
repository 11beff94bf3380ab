use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::RefKind;

rule! {
    /// ## What it does
    /// Reports a reference to a procedure that exists, but not in the version asked for
    /// (`procedure ATV-FCP-RBT-020 v2.5` when the library holds v2.4), wherever it is
    /// made: an activity's `procedure`, a `call` or `on fail call`, a `contingency`, a
    /// scenario's `expect`. The versions that exist are listed. A name that no library
    /// defines in any version is `R002` (activities, contingencies, expects) or `P002`
    /// (calls).
    ///
    /// ## Why it matters
    /// Operators execute a procedure in an approved version: a plan that cites a version
    /// nobody has validated (or one withdrawn) cannot be executed as written
    /// (ATV-OPS-REQ-003).
    ///
    /// ## Example
    /// ```text
    /// activity A29 { at 2014/275 14:05 lasts 20m procedure ATV-FCP-RBT-020 v2.5 }
    /// step 6 { call ATV-GCP-MON-060 v3.1 }        // the library has v1.0 and v3.0
    /// ```
    UndefinedProcedureVersion, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    for r in m
        .unresolved
        .iter()
        .filter(|r| r.kind == RefKind::ProcedureVersion)
    {
        let asked = r.version.as_ref().map(|v| v.value.as_str()).unwrap_or("");
        let span = r.version.as_ref().map_or(r.name.span, |v| v.span);
        let id = &r.name.value;
        let versions = m.versions_of(id);
        let listed: Vec<String> = versions.iter().map(|v| format!("`v{v}`")).collect();
        let help = match listed.as_slice() {
            [] => format!("{id} exists without a version: drop `v{asked}`"),
            [one] => {
                format!("{id} exists in {one} only: write {one}")
            }
            _ => format!(
                "{id} exists in {}: write one of them, or no version for the highest ({})",
                listed.join(", "),
                listed[listed.len() - 1]
            ),
        };
        out.push(
            Diagnostic::new(
                Code::UndefinedProcedureVersion,
                format!("procedure `{id}` has no version {asked}"),
                Label::new(span, "no such version"),
            )
            .with_help(help),
        );
    }
}
