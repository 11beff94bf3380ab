use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::syntax::ast::StatementKind;

rule! {
    /// ## What it does
    /// Reports a telemetry `check` that confirms a command and has no `on fail`. A check
    /// confirms a command when a `command` comes before it in the same step: the step is the
    /// unit of PLUTO's `initiate and confirm`, so every check that follows a command in its
    /// step is judged, not only the one right after it (a command may be confirmed by several
    /// parameters, after a `wait`). The finding names the latest command before the check.
    ///
    /// The failure path must be on the check itself:
    /// - the language has no step-level failure handler;
    /// - the command's own `on fail` is taken when the command is rejected, not when it is
    ///   accepted and has no effect, which is what the check detects;
    /// - the procedure's `contingency` does not count: it starts from a known configuration
    ///   that a failure step must first reach (close the valves, then hand over).
    ///
    /// A check with no command before it in its step (a precondition such as the thruster
    /// temperatures before a burn, or a monitoring check) is not reported by this rule,
    /// though the language reference advises an `on fail` for every check. The target of an
    /// `on fail goto` is checked by P001.
    ///
    /// ## Why it matters
    /// Every "initiate and confirm" must handle "not confirmed" (PLUTO, ECSS-E-ST-70-32C; the
    /// MOIS execution check). Without an `on fail`, the procedure does not say what the
    /// operator does when the valves did not open: the console improvises, with propellant
    /// in the lines.
    ///
    /// ## Example
    /// ```text
    /// step 3 "Open valves" {
    ///   command PROP_VALVES_OPEN(line = FGB)
    ///   check   VALVE_POS == OPEN within 1m          // no `on fail`
    /// }
    /// ```
    /// Fix: `check VALVE_POS == OPEN within 1m   on fail goto 7`, where step 7 safes the lines.
    UnhandledCheck, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for p in &cx.model.procedures {
        if p.incomplete {
            continue;
        }
        for step in &p.ast.steps {
            // The latest command of the step so far: the one the next checks confirm.
            let mut command = None;
            for st in &step.statements {
                match &st.kind {
                    StatementKind::Command { name, .. } => command = Some((name, st.span)),
                    StatementKind::Check { parameter, .. } if st.on_fail.is_none() => {
                        let Some((name, command_span)) = command else {
                            continue;
                        };
                        out.push(
                            Diagnostic::new(
                                Code::UnhandledCheck,
                                format!(
                                    "the check of `{}` confirming `{}` has no failure path \
                                     (step {} of {})",
                                    parameter.value,
                                    name.value,
                                    step.label.value,
                                    p.display_name()
                                ),
                                Label::new(
                                    st.span,
                                    format!("no `on fail`: nothing says what to do if `{}` is not confirmed", name.value),
                                ),
                            )
                            .with_secondary(Label::new(
                                command_span,
                                format!("`{}` is sent here", name.value),
                            ))
                            .with_help(
                                "add `on fail goto STEP` (a step that safes the configuration), \
                                 `on fail abort \"reason\"` or `on fail call PROCEDURE`",
                            ),
                        );
                    }
                    _ => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::rules::findings;
    use crate::diag::Code;

    fn run(text: &str) -> Vec<String> {
        findings(Code::UnhandledCheck, text)
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn every_check_after_a_command_needs_its_own_failure_path() {
        let found = run(r#"
            procedure P {
              version 1.0
              contingency C
              step 1 {
                check   P_TANK > 17 bar
                command PROP_HE_PRESS                 on fail goto 2
                wait    30s
                check   P_TANK > 18 bar within 5m     on fail goto 2
                check   P_LINE > 15 bar within 5m
              }
              step 2 { abort }
            }
            procedure C { version 1.0 family CRP step 1 { end } }
        "#);
        assert_eq!(
            found,
            ["the check of `P_LINE` confirming `PROP_HE_PRESS` has no failure path (step 1 of P v1.0)"]
        );
    }

    #[test]
    fn a_command_does_not_reach_into_the_next_step() {
        let found = run(r#"
            procedure P {
              step 1 { command OCS_EXECUTE   on fail goto 3 }
              step 2 { check BURN_DURATION in 190 .. 220 s within 6m }
              step 3 { abort }
            }
        "#);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn any_failure_action_handles_the_check() {
        let found = run(r#"
            procedure P {
              step 1 {
                command A
                check X == 1   on fail abort
                check Y == 1   on fail call Q
                check Z == 1   on fail goto 2
              }
              step 2 { end }
            }
            procedure Q { step 1 { end } }
        "#);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn the_latest_command_is_named() {
        let found = run(r#"
            procedure P {
              step 1 { command A   command B   check X == 1 }
            }
        "#);
        assert_eq!(
            found,
            ["the check of `X` confirming `B` has no failure path (step 1 of P)"]
        );
    }
}
