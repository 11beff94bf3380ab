use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};

rule! {
    /// ## What it does
    /// Reports an event injected when no activity of the plan is running. An activity
    /// runs over `[start, end)`: an event at the very end of an activity is not during
    /// it. The activity that ended last before and the next one to start are shown.
    ///
    /// ## Why it matters
    /// A scenario tests the controllers on the procedure of the activity under way when
    /// the event comes. With nothing running, no procedure says what to do: the inject
    /// is mistimed (often by an activity that moved in a new issue of the plan).
    ///
    /// ## Example
    /// ```text
    /// activity A29 "Reboost" { at 2014/275 14:05   lasts 20m }
    /// inject THRUSTER_OVERTEMP at A29.end + 3m        // A29 is over
    /// ```
    NoActivityAtInject, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    for sc in &m.scenarios {
        let Some(pi) = sc.plan else { continue };
        let plan = &m.plans[pi];
        for (inj, im) in sc.ast.injects.iter().zip(&sc.injects) {
            let Ok(t) = im.time else { continue };
            if !im.in_horizon || !im.running.is_empty() {
                continue;
            }
            let mut d = Diagnostic::new(
                Code::NoActivityAtInject,
                format!(
                    "no activity of {} is running when `{}` is injected at {}",
                    plan.id.value,
                    inj.event.value,
                    plan.format_time(t)
                ),
                Label::new(inj.at.span(), "nothing runs then"),
            );
            let (before, after) = im.neighbours;
            if let Some(ai) = before {
                let a = &plan.activities[ai];
                if let Some(i) = a.time.interval() {
                    d = d.with_secondary(Label::new(
                        a.ast.id.span,
                        format!("the last to end by then, at {}", plan.format_time(i.end)),
                    ));
                }
            }
            if let Some(ai) = after {
                let a = &plan.activities[ai];
                if let Some(i) = a.time.interval() {
                    d = d.with_secondary(Label::new(
                        a.ast.id.span,
                        format!("the next to start, at {}", plan.format_time(i.start)),
                    ));
                }
            }
            out.push(d.with_help(
                "inject the event while the activity whose procedure must handle it is running",
            ));
        }
    }
}
