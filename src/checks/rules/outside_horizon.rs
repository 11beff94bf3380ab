use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};

rule! {
    /// ## What it does
    /// Reports an activity or a phase that is not wholly inside the plan's `horizon`
    /// (bounds inclusive). Plans without a horizon are not checked.
    ///
    /// ## Why it matters
    /// The horizon is what the plan issue covers: an activity outside it belongs to
    /// another issue and will be missing from what the teams receive.
    ///
    /// ## Example
    /// ```text
    /// plan P {
    ///   horizon 2014/272 00:00 .. 2014/279 00:00
    ///   activity A50 { at 2014/279 10:00 lasts 1h }
    /// }
    /// ```
    OutsideHorizon, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for plan in &cx.model.plans {
        let (Some(h), Some(hspan)) = (plan.horizon, plan.horizon_span) else {
            continue;
        };
        let horizon_label =
            || Label::new(hspan, format!("the horizon is {}", h.format(plan.notation)));
        for phase in &plan.phases {
            let Some(pi) = phase.interval else { continue };
            if !h.contains(&pi) {
                out.push(
                    Diagnostic::new(
                        Code::OutsideHorizon,
                        format!(
                            "phase `{}` extends outside the plan horizon",
                            phase.name.value
                        ),
                        Label::new(
                            phase.name.span,
                            format!("phase is {}", pi.format(plan.notation)),
                        ),
                    )
                    .with_secondary(horizon_label()),
                );
            }
        }
        for am in &plan.activities {
            let Some(i) = am.time.interval() else {
                continue;
            };
            if !h.contains(&i) {
                out.push(
                    Diagnostic::new(
                        Code::OutsideHorizon,
                        format!("{} lies outside the plan horizon", am.ast.id.value),
                        Label::new(
                            am.ast.id.span,
                            format!("scheduled {}", i.format(plan.notation)),
                        ),
                    )
                    .with_secondary(horizon_label()),
                );
            }
        }
    }
}
