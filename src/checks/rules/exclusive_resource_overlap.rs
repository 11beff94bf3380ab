use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::syntax::ast::ResourceKind;
use crate::time::Interval;

rule! {
    /// ## What it does
    /// Reports two activities that use the same exclusive resource (`resource OCS
    /// exclusive`, `uses OCS`) at overlapping times. Intervals are half-open: an activity
    /// may start exactly when the other ends. Each activity that starts while the resource
    /// is taken is reported once, against the activity that holds it longest.
    ///
    /// The check sorts the users of each resource by start time and sweeps them once:
    /// O(n log n) in the number of activities.
    ///
    /// ## Why it matters
    /// Two burns on the OCS thrusters, or two operations on the propellant lines, cannot
    /// run at once; the plan would ask the teams for the impossible.
    ///
    /// ## Example
    /// ```text
    /// resource OCS exclusive
    /// activity A29 { at 2014/275 14:05 lasts 20m uses OCS }
    /// activity A40 { at 2014/275 14:15 lasts 10m uses OCS }
    /// ```
    ExclusiveResourceOverlap, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for plan in &cx.model.plans {
        let mut users: Vec<Vec<(Interval, usize)>> = vec![Vec::new(); plan.resources.len()];
        for (ai, am) in plan.activities.iter().enumerate() {
            let Some(i) = am.time.interval() else {
                continue;
            };
            for u in &am.ast.uses {
                if let Some(&ri) = plan.resource_index.get(&u.resource.value) {
                    if plan.resources[ri].kind == ResourceKind::Exclusive {
                        users[ri].push((i, ai));
                    }
                }
            }
        }
        for (ri, mut list) in users.into_iter().enumerate() {
            list.sort();
            let resource = &plan.resources[ri];
            let mut holder: Option<(Interval, usize)> = None;
            for (i, ai) in list {
                if let Some((hi, h)) = holder {
                    if i.start < hi.end && h != ai {
                        let (a, b) = (&plan.activities[ai], &plan.activities[h]);
                        let overlap = Interval::new(i.start, i.end.min(hi.end));
                        let span = a
                            .ast
                            .uses
                            .iter()
                            .find(|u| u.resource.value == resource.name.value)
                            .map_or(a.ast.id.span, |u| u.resource.span);
                        out.push(
                            Diagnostic::new(
                                Code::ExclusiveResourceOverlap,
                                format!(
                                    "{} and {} both use exclusive resource `{}` from {} to {}",
                                    b.ast.id.value,
                                    a.ast.id.value,
                                    resource.name.value,
                                    overlap.start.format(plan.notation),
                                    overlap.end.format(plan.notation)
                                ),
                                Label::new(
                                    span,
                                    format!(
                                        "{} uses it {}",
                                        a.ast.id.value,
                                        i.format(plan.notation)
                                    ),
                                ),
                            )
                            .with_secondary(Label::new(
                                b.ast.id.span,
                                format!("{} holds it {}", b.ast.id.value, hi.format(plan.notation)),
                            ))
                            .with_secondary(Label::new(
                                resource.name.span,
                                "declared exclusive here",
                            )),
                        );
                    }
                    if i.end > hi.end {
                        holder = Some((i, ai));
                    }
                } else {
                    holder = Some((i, ai));
                }
            }
        }
    }
}
