use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::{EdgeKind, Node};

/// The family of contingency (recovery) procedures.
const CONTINGENCY_FAMILY: &str = "CRP";

fn is_contingency(k: EdgeKind) -> bool {
    k == EdgeKind::Contingency
}

rule! {
    /// ## What it does
    /// Reports a procedure whose `contingency` names a procedure that is not of the
    /// contingency family: its `family` is not `CRP` (names are case-sensitive), or it
    /// declares no family at all. The contingency is resolved like any procedure reference
    /// (the version given, else the highest known); a contingency that does not resolve is
    /// reported by R002 or R003 and not here. A target from a file with syntax errors is not
    /// judged.
    ///
    /// ## Why it matters
    /// The contingency is what the team opens when the procedure fails (ATV-OPS-REQ-024). A
    /// nominal procedure (FCP, GCP, MEP) named there starts from a nominal configuration
    /// that, after a failure, is not there: a reboost that fails must lead to the recovery
    /// of the thruster over-temperature (a CRP), not to another burn.
    ///
    /// ## Example
    /// ```text
    /// procedure ATV-FCP-RBT-020 {
    ///   version     2.4
    ///   family      FCP
    ///   contingency ATV-FCP-DAM-030 v1.6    // the PDAM, family FCP: not a recovery
    /// }
    /// ```
    ContingencyNotContingency, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    for (pi, p) in m.procedures.iter().enumerate() {
        let Some(reference) = &p.ast.contingency else {
            continue;
        };
        if p.incomplete {
            continue;
        }
        let Some(node) = m.graph.find(&Node::Procedure(pi)) else {
            continue;
        };
        for (t, _) in m.graph.successors(node, is_contingency) {
            let Node::Procedure(ti) = m.graph.graph[t] else {
                continue;
            };
            let target = &m.procedures[ti];
            if target.incomplete {
                continue;
            }
            let family = target.ast.family.as_ref();
            if family.is_some_and(|f| f.value == CONTINGENCY_FAMILY) {
                continue;
            }
            let (what, secondary) = match family {
                Some(f) => (
                    format!("family {}", f.value),
                    Label::new(f.span, format!("declared `family {}` here", f.value)),
                ),
                None => (
                    "no family".to_string(),
                    Label::new(target.ast.id.span, "declares no `family`"),
                ),
            };
            out.push(
                Diagnostic::new(
                    Code::ContingencyNotContingency,
                    format!(
                        "the contingency of {} is {}, which is not a contingency procedure \
                         ({what}, not {CONTINGENCY_FAMILY})",
                        p.display_name(),
                        target.display_name()
                    ),
                    Label::new(
                        reference
                            .version
                            .as_ref()
                            .map_or(reference.id.span, |v| reference.id.span.cover(v.span)),
                        format!("{what}, not {CONTINGENCY_FAMILY}"),
                    ),
                )
                .with_secondary(secondary)
                .with_help(format!(
                    "name the {CONTINGENCY_FAMILY} procedure that recovers from a failure of {}, \
                     or declare `family {CONTINGENCY_FAMILY}` in {} if it is one",
                    p.id(),
                    target.id()
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::rules::findings;
    use crate::diag::Code;

    #[test]
    fn contingencies_must_resolve_to_crp_procedures() {
        let found = findings(
            Code::ContingencyNotContingency,
            r#"
            procedure RBT { version 2.4 family FCP contingency DAM v1.6   step 1 { end } }
            procedure REF { version 3.2 family FCP contingency PRP-091    step 1 { end } }
            procedure LNK { version 1.3 family GCP contingency LNK-051    step 1 { end } }
            procedure HAT { version 2.0 family MEP contingency HAT-041    step 1 { end } }
            procedure SEL { version 1.0 family FCP contingency low-case   step 1 { end } }
            procedure DAM { version 1.6 family FCP step 1 { end } }
            procedure PRP-091 { version 1.0 family CRP step 1 { end } }
            procedure LNK-051 { version 1.0 step 1 { end } }
            procedure low-case { version 1.0 family crp step 1 { end } }
        "#,
        );
        let messages: Vec<_> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "the contingency of RBT v2.4 is DAM v1.6, which is not a contingency procedure (family FCP, not CRP)",
                "the contingency of LNK v1.3 is LNK-051 v1.0, which is not a contingency procedure (no family, not CRP)",
                "the contingency of SEL v1.0 is low-case v1.0, which is not a contingency procedure (family crp, not CRP)",
            ]
        );
    }

    #[test]
    fn an_unresolved_contingency_is_left_to_r002_and_r003() {
        let text = r#"
            procedure HAT { version 2.0 family MEP contingency HAT-041 step 1 { end } }
            procedure RBT { version 2.4 family FCP contingency PRP-090 v1.2 step 1 { end } }
            procedure PRP-090 { version 1.1 family FCP step 1 { end } }
        "#;
        assert!(findings(Code::ContingencyNotContingency, text).is_empty());
        assert_eq!(findings(Code::UndefinedProcedure, text).len(), 1);
        assert_eq!(findings(Code::UndefinedProcedureVersion, text).len(), 1);
    }
}
