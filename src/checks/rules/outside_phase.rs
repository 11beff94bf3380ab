use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};

rule! {
    /// ## What it does
    /// Reports an activity whose scheduled interval is not wholly inside the interval of
    /// the phase it is written in. Bounds are inclusive: an activity may start exactly
    /// when its phase starts and end exactly when it ends.
    ///
    /// ## Why it matters
    /// Phases carry the operational context (attached, free flight, departure): an
    /// activity scheduled outside its phase is run under the wrong flight rules and
    /// configuration.
    ///
    /// ## Example
    /// ```text
    /// phase reboost 2014/275 00:00 .. 2014/276 00:00 {
    ///   activity A33 { at 2014/276 02:10 lasts 20m }   // the next day
    /// }
    /// ```
    OutsidePhase, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for plan in &cx.model.plans {
        for am in &plan.activities {
            let (Some(i), Some(pi)) = (am.time.interval(), am.phase) else {
                continue;
            };
            let phase = &plan.phases[pi];
            let Some(pint) = phase.interval else { continue };
            if !pint.contains(&i) {
                out.push(
                    Diagnostic::new(
                        Code::OutsidePhase,
                        format!(
                            "{} lies outside its phase `{}`",
                            am.ast.id.value, phase.name.value
                        ),
                        Label::new(
                            am.ast.id.span,
                            format!("scheduled {}", i.format(plan.notation)),
                        ),
                    )
                    .with_secondary(Label::new(
                        phase.name.span,
                        format!("phase `{}` is {}", phase.name.value, pint.format(plan.notation)),
                    ))
                    .with_help("move the activity into the phase that covers its time, or correct its time"),
                );
            }
        }
    }
}
