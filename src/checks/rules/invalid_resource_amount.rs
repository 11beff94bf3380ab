use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::syntax::ast::ResourceKind;

rule! {
    /// ## What it does
    /// Reports a `uses` whose amount the resource cannot take:
    /// - an amount of zero (`uses GROUND-CHAIN 0`): amounts are positive integers, and a
    ///   use of nothing is a slip that would hide the activity from the capacity checks;
    /// - an amount above one on an exclusive resource (`uses OCS 2`): an exclusive
    ///   resource is held whole by one activity at a time; write `uses OCS` (or `uses OCS 1`),
    ///   or declare the resource with a capacity.
    ///
    /// ## Why it matters
    /// The capacity checks (`T006`, `T008`) count the units each activity takes. An amount
    /// that means nothing for the resource makes the count say something the planner did
    /// not mean: two units of an exclusive antenna cannot exist.
    ///
    /// ## Example
    /// ```text
    /// resource ANT exclusive
    /// activity A1 { at 2014/273 09:00   lasts 1h   uses ANT 2 }
    /// ```
    InvalidResourceAmount, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for plan in &cx.model.plans {
        for am in &plan.activities {
            for u in &am.ast.uses {
                let Some(amount) = &u.amount else {
                    continue;
                };
                let Some(&ri) = plan.resource_index.get(&u.resource.value) else {
                    continue; // R005
                };
                let resource = &plan.resources[ri];
                let name = &u.resource.value;
                let problem = match resource.kind {
                    _ if amount.value == 0 => Some((
                        format!("{} uses 0 units of `{name}`", am.ast.id.value),
                        "an amount must be a positive integer".to_string(),
                        format!("write `uses {name}` for one unit, or leave the resource out"),
                    )),
                    ResourceKind::Exclusive if amount.value != 1 => Some((
                        format!(
                            "{} uses {} units of exclusive resource `{name}`",
                            am.ast.id.value, amount.value
                        ),
                        "an exclusive resource is held whole, by one activity at a time".to_string(),
                        format!(
                            "write `uses {name}`, or declare `resource {name} capacity N` if it has units"
                        ),
                    )),
                    _ => None,
                };
                if let Some((message, label, help)) = problem {
                    out.push(
                        Diagnostic::new(
                            Code::InvalidResourceAmount,
                            message,
                            Label::new(amount.span, label),
                        )
                        .with_secondary(Label::new(
                            resource.name.span,
                            match resource.kind {
                                ResourceKind::Exclusive => "declared exclusive here".to_string(),
                                ResourceKind::Capacity(c) => {
                                    format!("declared with capacity {c} here")
                                }
                            },
                        ))
                        .with_help(help),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::rules::findings;
    use crate::diag::Code;

    #[test]
    fn amounts_must_fit_the_resource() {
        let found = findings(
            Code::InvalidResourceAmount,
            r#"
            plan P {
              horizon 2014/273 00:00 .. 2014/274 00:00
              resource ANT exclusive
              resource CH capacity 2
              activity A1 { at 2014/273 09:00   lasts 1h   uses ANT 2 }
              activity A2 { at 2014/273 11:00   lasts 1h   uses ANT 1, CH 2 }
              activity A3 { at 2014/273 13:00   lasts 1h   uses CH 0 }
              activity A4 { at 2014/273 15:00   lasts 1h   uses ANT }
            }
        "#,
        );
        let got: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            got,
            [
                "A1 uses 2 units of exclusive resource `ANT`",
                "A3 uses 0 units of `CH`"
            ]
        );
    }
}
