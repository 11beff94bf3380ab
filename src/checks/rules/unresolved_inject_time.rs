use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::InjectUnknown;

rule! {
    /// ## What it does
    /// Reports an `inject` whose time cannot be computed: it is relative to an activity
    /// whose own time is unknown (`T005`, a cycle, a missing duration), or its offset
    /// leaves the supported calendar. An inject relative to an undefined activity
    /// (`R001`) or with an invalid literal (`E002`) is reported there, not here.
    ///
    /// ## Why it matters
    /// Unknown is not pass: without a time, nothing says which activity is running when
    /// the event comes, so the scenario's contingency path and trainees cannot be checked.
    ///
    /// ## Example
    /// ```text
    /// activity A29 { at A28.end + 5m   lasts 20m }     // A28 has no time
    /// inject THRUSTER_OVERTEMP at A29.start + 3m
    /// ```
    UnresolvedInjectTime, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    for sc in &m.scenarios {
        let Some(pi) = sc.plan else { continue };
        let plan = &m.plans[pi];
        for (inj, im) in sc.ast.injects.iter().zip(&sc.injects) {
            let event = &inj.event.value;
            let d = match im.time {
                Ok(_) | Err(InjectUnknown::InvalidInput) => continue,
                Err(InjectUnknown::Activity(ai)) => {
                    let a = &plan.activities[ai].ast.id;
                    Diagnostic::new(
                        Code::UnresolvedInjectTime,
                        format!("the time of `{event}` cannot be computed"),
                        Label::new(
                            inj.at.span(),
                            format!("relative to {}, whose time is unknown", a.value),
                        ),
                    )
                    .with_secondary(Label::new(a.span, "its time is unknown"))
                    .with_help(format!(
                        "give {} a time, or inject at an absolute time",
                        a.value
                    ))
                }
                Err(InjectUnknown::OutOfRange) => Diagnostic::new(
                    Code::UnresolvedInjectTime,
                    format!("the time of `{event}` cannot be computed"),
                    Label::new(inj.at.span(), "outside the supported calendar"),
                ),
            };
            out.push(d);
        }
    }
}
