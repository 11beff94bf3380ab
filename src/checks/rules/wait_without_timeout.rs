use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::syntax::ast::{StatementKind, WaitFor};

rule! {
    /// ## What it does
    /// Reports a `wait for` a role's report or an event (`wait for IGNITION`,
    /// `wait for MCC-M "transfer complete"`) that has no `timeout`. A fixed wait
    /// (`wait 5m`) always ends and is never reported. A `timeout` whose value is invalid is
    /// reported by E002, not here.
    ///
    /// An `on fail` on such a wait does not make it safe: a wait without a timeout never
    /// fails, so its `on fail` is never taken (the finding says so). A wait with a timeout
    /// but no `on fail` is not reported by this rule: when it times out the procedure stops,
    /// failed.
    ///
    /// ## Why it matters
    /// An event that never comes (no ignition, no report from MCC-M) leaves the procedure
    /// waiting forever, and the team at the console with no time at which to act: every
    /// wait needs a watchdog (PLUTO; the MOIS execution check).
    ///
    /// ## Example
    /// ```text
    /// step 4 "Ignition" {
    ///   wait for IGNITION "OCS 1+3 ignition"          // no `timeout`
    /// }
    /// ```
    /// Fix: `wait for IGNITION "OCS 1+3 ignition" timeout 5m   on fail goto 7`.
    WaitWithoutTimeout, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for p in &cx.model.procedures {
        if p.incomplete {
            continue;
        }
        for step in &p.ast.steps {
            for st in &step.statements {
                let StatementKind::Wait(WaitFor::Event {
                    source,
                    event,
                    timeout: None,
                }) = &st.kind
                else {
                    continue;
                };
                let what = match event {
                    Some(e) => format!("`{}` \"{}\"", source.value, e.value),
                    None => format!("`{}`", source.value),
                };
                let mut d = Diagnostic::new(
                    Code::WaitWithoutTimeout,
                    format!(
                        "the wait for {what} has no timeout (step {} of {})",
                        step.label.value,
                        p.display_name()
                    ),
                    Label::new(st.span, "may wait forever"),
                )
                .with_help(format!(
                    "add a `timeout` and an `on fail` action: `wait for {}{} timeout D   on fail goto STEP`",
                    source.value,
                    event
                        .as_ref()
                        .map_or(String::new(), |e| format!(" \"{}\"", e.value))
                ));
                if st.on_fail.is_some() {
                    d = d.with_note(
                        "its `on fail` is never taken: without a timeout the wait never fails",
                    );
                }
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::rules::findings;
    use crate::diag::Code;

    #[test]
    fn only_event_waits_without_timeout_are_reported() {
        let found = findings(
            Code::WaitWithoutTimeout,
            r#"
            procedure P {
              step 1 {
                wait 5m
                wait for MCC-M "transfer complete" timeout 45m
                wait for EST "analysis complete" timeout 30m   on fail goto 2
                wait for IGNITION
                wait for MCC-M "transfer complete"             on fail goto 2
              }
              step 2 { abort }
            }
        "#,
        );
        let messages: Vec<_> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "the wait for `IGNITION` has no timeout (step 1 of P)",
                "the wait for `MCC-M` \"transfer complete\" has no timeout (step 1 of P)",
            ]
        );
        assert!(found[0].notes.is_empty());
        assert_eq!(found[1].notes.len(), 1);
    }
}
