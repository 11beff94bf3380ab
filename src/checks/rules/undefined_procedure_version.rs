use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::RefKind;

rule! {
    /// ## What it does
    /// Reports a reference to a procedure that exists, but not in the version asked for
    /// (`procedure ATV-FCP-RBT-020 v2.5` when the library holds v2.4). The versions that
    /// exist are listed.
    ///
    /// ## Why it matters
    /// Operators execute a procedure in an approved version: a plan that cites a version
    /// nobody has validated (or one withdrawn) cannot be executed as written
    /// (ATV-OPS-REQ-003).
    ///
    /// ## Example
    /// ```text
    /// activity A29 { at 2014/275 14:05 lasts 20m procedure ATV-FCP-RBT-020 v2.5 }
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
        let versions = m.versions_of(&r.name.value);
        let listed: Vec<String> = versions.iter().map(|v| format!("v{v}")).collect();
        out.push(
            Diagnostic::new(
                Code::UndefinedProcedureVersion,
                format!("procedure `{}` has no version {asked}", r.name.value),
                Label::new(span, "no such version"),
            )
            .with_help(format!(
                "the library holds {} {}",
                r.name.value,
                if listed.is_empty() {
                    "without a version".to_string()
                } else {
                    listed.join(", ")
                }
            )),
        );
    }
}
