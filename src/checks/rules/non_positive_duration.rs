use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::TimeState;

rule! {
    /// ## What it does
    /// Reports an activity that lasts zero time (`lasts 0m`) or ends before it starts
    /// (`until` a time before its start), and intervals that end before they start: the
    /// horizon, a phase, a window occurrence, a daily window from and to the same time,
    /// or a periodic window with a zero period or length.
    ///
    /// ## Why it matters
    /// An activity without positive length cannot be executed and escapes every overlap
    /// check; an inverted interval usually hides a typo in a day number.
    ///
    /// ## Example
    /// ```text
    /// activity A14 { at 2014/273 10:30 until 2014/272 20:30 }   // 272 for 273
    /// ```
    NonPositiveDuration, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    for plan in &m.plans {
        for am in &plan.activities {
            let TimeState::Inverted(i) = am.time else {
                continue;
            };
            let message = if i.end == i.start {
                format!("{} lasts zero time", am.ast.id.value)
            } else {
                format!(
                    "{} ends {} before it starts",
                    am.ast.id.value,
                    i.start.since(i.end)
                )
            };
            let span = am
                .ast
                .lasts
                .as_ref()
                .map(|l| l.span)
                .or(am.ast.until.as_ref().map(|u| u.span()))
                .unwrap_or(am.ast.id.span);
            out.push(Diagnostic::new(
                Code::NonPositiveDuration,
                message,
                Label::new(
                    span,
                    format!(
                        "starts {}, ends {}",
                        i.start.format(plan.notation),
                        i.end.format(plan.notation)
                    ),
                ),
            ));
        }
    }
    for (span, why) in &m.bad_intervals {
        out.push(Diagnostic::new(
            Code::NonPositiveDuration,
            why.clone(),
            Label::new(*span, "not a positive length of time"),
        ));
    }
}
