use crate::checks::scenario::{not_running, timed_from};
use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};

rule! {
    /// ## What it does
    /// Reports an event injected when no activity of the plan is running. An activity
    /// runs over `[start, end)`: an event at the very end of an activity is not during
    /// it. The activity the inject is timed from (`at A29.end + 3m`), the activity that
    /// ended last before and the next one to start are shown, each with when it ended or
    /// starts against the inject ("`A29` ended at 14:25, 3m before the inject at 14:28").
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
            if !im.in_horizon || im.running > 0 {
                continue;
            }
            // The activity the inject is timed from, and the neighbours, each with how
            // far from the inject it ended or starts.
            let from = timed_from(plan, inj);
            let primary = match from.and_then(|ai| Some((ai, not_running(plan, ai, t)?))) {
                Some((ai, when)) => format!("`{}` {when}", plan.activities[ai].ast.id.value),
                None => "nothing runs then".to_string(),
            };
            let mut d = Diagnostic::new(
                Code::NoActivityAtInject,
                format!(
                    "no activity of {} is running when `{}` is injected at {}",
                    plan.id.value,
                    inj.event.value,
                    plan.format_time(t)
                ),
                Label::new(inj.at.span(), primary),
            );
            let (before, after) = im.neighbours;
            for (ai, what) in [
                (before, "the last to end by then"),
                (after, "the next to start"),
            ] {
                let Some(ai) = ai else { continue };
                if let Some(when) = not_running(plan, ai, t) {
                    let label = if from == Some(ai) {
                        format!("{what}, and the inject is timed from it: {when}")
                    } else {
                        format!("{what}: {when}")
                    };
                    d = d.with_secondary(Label::new(plan.activities[ai].ast.id.span, label));
                }
            }
            if let Some(ai) = from.filter(|&a| Some(a) != before && Some(a) != after) {
                d = d.with_secondary(Label::new(
                    plan.activities[ai].ast.id.span,
                    "the inject is timed from it",
                ));
            }
            out.push(d.with_help(
                "inject the event while the activity whose procedure must handle it is running",
            ));
        }
    }
}
