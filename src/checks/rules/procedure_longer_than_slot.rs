use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};

rule! {
    /// ## What it does
    /// Reports an activity whose slot (end − start) is shorter than the expected `duration`
    /// of the procedure it runs. The slot must hold the whole duration: a procedure that
    /// takes exactly its slot fits. An activity that gives neither `lasts` nor `until` takes
    /// the procedure's duration as its own, so it always fits.
    ///
    /// Only the declared `duration` counts: the procedures it `call`s are not added, since
    /// the author's expected duration is for the whole run and a called procedure often runs
    /// in an activity of its own (the filled-line monitoring after a transfer). Activities
    /// whose time is unknown (T005) or impossible (T004), procedures that did not resolve
    /// (R002, R003) and procedures with no `duration` are not judged.
    ///
    /// ## Why it matters
    /// The slot is what the partners booked: the TDRS slot, the ISS attitude, MCC-M's
    /// console time. A procedure that cannot finish in it either overruns into the next
    /// activity or is cut short in the middle of a propellant transfer.
    ///
    /// ## Example
    /// ```text
    /// activity A12 {
    ///   at 2014/273 09:00   lasts 35m                // a 35 min slot
    ///   procedure ATV-FCP-REF-010 v3.2               // `duration 40m`
    /// }
    /// ```
    ProcedureLongerThanSlot, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    for plan in &m.plans {
        for am in &plan.activities {
            let (Some(slot), Some(pi), Some(clause)) =
                (am.time.interval(), am.procedure, am.ast.procedure.as_ref())
            else {
                continue;
            };
            let p = &m.procedures[pi];
            if p.incomplete {
                continue;
            }
            let Some((expected, duration_span)) = p
                .ast
                .duration
                .as_ref()
                .and_then(|d| Some((d.value?, d.span)))
            else {
                continue;
            };
            let length = slot.duration();
            if expected <= length {
                continue;
            }
            let id = &am.ast.id.value;
            out.push(
                Diagnostic::new(
                    Code::ProcedureLongerThanSlot,
                    format!(
                        "{} is expected to take {expected}, longer than the {length} slot of {id}",
                        p.display_name()
                    ),
                    Label::new(
                        clause.span,
                        format!("{id} runs it {} ({length})", slot.format(plan.notation)),
                    ),
                )
                .with_secondary(Label::new(
                    duration_span,
                    format!("expected duration of {}", p.display_name()),
                ))
                .with_help(format!(
                    "give {id} at least {expected} (`lasts {expected}`), or run a procedure that fits the slot"
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
    fn the_slot_must_hold_the_whole_duration() {
        let found = findings(
            Code::ProcedureLongerThanSlot,
            r#"
            plan P {
              horizon 2014/273 00:00 .. 2014/274 00:00
              activity SHORT { at 2014/273 09:00   lasts 39m59s   procedure REF }
              activity EXACT { at 2014/273 10:00   lasts 40m      procedure REF }
              activity UNTIL { at 2014/273 11:00   until 2014/273 11:40   procedure REF }
              activity NONE  { at 2014/273 12:00                  procedure REF }
              activity LONG  { at 2014/273 13:00   lasts 2h       procedure REF }
              activity NODUR { at 2014/273 14:00   lasts 1m       procedure MON }
              activity LOST  { lasts 1m   procedure REF }
            }
            procedure REF { version 3.2 duration 40m step 1 { end } }
            procedure MON { version 1.0 step 1 { end } }
        "#,
        );
        let messages: Vec<_> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            ["REF v3.2 is expected to take 40m, longer than the 39m59s slot of SHORT"]
        );
    }
}
