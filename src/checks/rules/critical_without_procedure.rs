use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};

rule! {
    /// ## What it does
    /// Reports an activity marked `critical` that has no `procedure` clause. A `procedure`
    /// clause that names an unknown procedure or version is reported by R002 or R003, not
    /// here. This rule does not ask for the version: `procedure ID` without `vX.Y` runs the
    /// highest version known.
    ///
    /// ## Why it matters
    /// A critical activity (a propellant transfer, a reboost, a debris avoidance manoeuvre)
    /// must be flown from an approved, validated procedure (ATV-OPS-REQ-003), never from
    /// memory: the procedure carries the GO/NO-GO polls, the limits and the failure paths.
    ///
    /// ## Example
    /// ```text
    /// activity A40 "PDAM burn" {
    ///   at 2014/276 13:42   lasts 10m   by MCC-M
    ///   critical                        // which procedure?
    /// }
    /// ```
    CriticalWithoutProcedure, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for plan in &cx.model.plans {
        for am in &plan.activities {
            let (Some(critical), None) = (am.ast.critical, am.ast.procedure.as_ref()) else {
                continue;
            };
            let id = &am.ast.id.value;
            out.push(
                Diagnostic::new(
                    Code::CriticalWithoutProcedure,
                    format!("critical activity {id} names no procedure"),
                    Label::new(critical, format!("{id} is critical")),
                )
                .with_secondary(Label::new(am.ast.id.span, "no `procedure` clause"))
                .with_help(format!(
                    "add the approved procedure and its version: `procedure ID vX.Y`, \
                     or remove `critical` if {id} is not"
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
    fn only_critical_activities_without_a_procedure_clause() {
        let found = findings(
            Code::CriticalWithoutProcedure,
            r#"
            plan P {
              horizon 2014/276 00:00 .. 2014/277 00:00
              activity A38 { at 2014/276 12:00   lasts 20m }
              activity A40 { at 2014/276 13:42   lasts 10m   critical }
              activity A41 { at 2014/276 14:30   lasts 10m   critical   procedure DAM v1.6 }
              activity A42 { at 2014/276 15:30   lasts 10m   critical   procedure NOWHERE }
            }
            procedure DAM { version 1.6 step 1 { end } }
        "#,
        );
        let messages: Vec<_> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["critical activity A40 names no procedure"]);
    }
}
