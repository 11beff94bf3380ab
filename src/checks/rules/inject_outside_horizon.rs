use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};

rule! {
    /// ## What it does
    /// Reports an event injected at a time outside the horizon of the scenario's plan
    /// (the horizon is half-open: its end is outside). Plans without a horizon are not
    /// checked.
    ///
    /// ## Why it matters
    /// The simulation replays the plan's issue: an event outside its horizon falls in a
    /// week the scenario does not simulate, usually an inject written against the
    /// previous issue of the plan.
    ///
    /// ## Example
    /// ```text
    /// plan ATV5-W40 { horizon 2014/272 00:00 .. 2014/279 00:00  … }
    /// inject NO_IGNITION at 2014/282 14:08
    /// ```
    InjectOutsideHorizon, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    for sc in &m.scenarios {
        let Some(pi) = sc.plan else { continue };
        let plan = &m.plans[pi];
        let (Some(h), Some(hspan)) = (plan.horizon, plan.horizon_span) else {
            continue;
        };
        for (inj, im) in sc.ast.injects.iter().zip(&sc.injects) {
            let Ok(t) = im.time else { continue };
            if im.in_horizon {
                continue;
            }
            out.push(
                Diagnostic::new(
                    Code::InjectOutsideHorizon,
                    format!(
                        "`{}` is injected at {}, outside the horizon of {}",
                        inj.event.value,
                        plan.format_time(t),
                        plan.id.value
                    ),
                    Label::new(inj.at.span(), "outside the horizon"),
                )
                .with_secondary(Label::new(
                    hspan,
                    format!("the horizon is {}", h.format(plan.notation)),
                )),
            );
        }
    }
}
