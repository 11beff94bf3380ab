use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::PlanModel;
use crate::syntax::ast::{Ident, StatementKind};
use rustc_hash::FxHashSet as HashSet;

rule! {
    /// ## What it does
    /// Reports an activity that runs a procedure which polls roles (`poll FD, OM, MCC-M`)
    /// that the activity does not have among its `by` roles. Every role a poll of the
    /// procedure names must answer it, so the activity that runs the procedure must
    /// bring them: `by MCC-M, FD, OM`. Groups count both ways, as in the flight rules: a
    /// poll of `FE-5` is answered by an activity `by CREW` when `roles FE-5 in CREW`, and
    /// a poll of `CREW` by an activity `by FE-5`.
    ///
    /// The polls are those written in the procedure itself, in any step (failure steps
    /// too), not those of the procedures it calls. One finding per activity, naming every
    /// role missing.
    ///
    /// Not judged: procedures that did not resolve (R002, R003), roles the plan does not
    /// declare (R004).
    ///
    /// ## Why it matters
    /// A GO/NO-GO poll is answered by the positions it names. When the activity that runs
    /// the procedure does not list them, nothing in the plan tells those positions to be
    /// on console: their shift sheets show nothing running during the poll they must
    /// answer.
    ///
    /// ## Example
    /// ```text
    /// activity A27 { by FD   procedure ATV-FCP-RBT-020 v2.4 }
    /// procedure ATV-FCP-RBT-020 { version 2.4   roles FD, MCC-M, MCC-H
    ///   step 2 { poll FD, MCC-M, MCC-H   on fail abort } }   // MCC-M, MCC-H not in `by`
    /// ```
    PollRoleNotInActivity, Reporter::Check(check)
}

/// The roles an activity's `by` brings, with groups both ways: each role, the groups it
/// belongs to, and the members of each group role.
fn taking_part<'p>(
    plan: &'p PlanModel,
    members: &rustc_hash::FxHashMap<&'p str, Vec<&'p str>>,
    by: &'p [Ident],
) -> HashSet<&'p str> {
    let mut set: HashSet<&str> = HashSet::default();
    for r in by {
        set.insert(r.value.as_str());
        if let Some(g) = plan
            .role_index
            .get(&r.value)
            .and_then(|&ri| plan.roles[ri].group.as_ref())
        {
            set.insert(g.value.as_str());
        }
        if let Some(ms) = members.get(r.value.as_str()) {
            set.extend(ms.iter().copied());
        }
    }
    set
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    for plan in &m.plans {
        let members = plan.members_of();
        // The roles each procedure polls, found once per procedure: (role, poll statement).
        let mut polled: rustc_hash::FxHashMap<usize, Vec<(&Ident, crate::source::Span)>> =
            Default::default();
        for am in &plan.activities {
            let (Some(pi), Some(clause)) = (am.procedure, am.ast.procedure.as_ref()) else {
                continue;
            };
            let p = &m.procedures[pi];
            if p.incomplete {
                continue;
            }
            let roles = polled.entry(pi).or_insert_with(|| {
                let mut list: Vec<(&Ident, crate::source::Span)> = Vec::new();
                for step in &p.ast.steps {
                    for st in &step.statements {
                        if let StatementKind::Poll { roles } = &st.kind {
                            for r in roles {
                                if list.iter().all(|(x, _)| x.value != r.value) {
                                    list.push((r, st.span));
                                }
                            }
                        }
                    }
                }
                list
            });
            if roles.is_empty() {
                continue;
            }
            let present = taking_part(plan, &members, &am.ast.by);
            // Polled roles the plan declares, each once, in the procedure's order.
            let mut missing: Vec<&Ident> = Vec::new();
            let mut polls: Vec<crate::source::Span> = Vec::new();
            for &(r, span) in roles.iter() {
                if plan.role_index.contains_key(&r.value) && !present.contains(r.value.as_str()) {
                    missing.push(r);
                    if !polls.contains(&span) {
                        polls.push(span);
                    }
                }
            }
            if missing.is_empty() {
                continue;
            }
            let names: Vec<&str> = missing.iter().map(|r| r.value.as_str()).collect();
            let id = &am.ast.id.value;
            let primary = match am.ast.by.first() {
                Some(first) => Label::new(
                    first.span,
                    format!(
                        "by {}",
                        am.ast
                            .by
                            .iter()
                            .map(|r| r.value.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ),
                None => Label::new(am.ast.id.span, "no `by` roles"),
            };
            let mut d = Diagnostic::new(
                Code::PollRoleNotInActivity,
                format!(
                    "{id} runs {}, which polls {}, but {} not among its `by` roles",
                    p.display_name(),
                    names.join(", "),
                    if names.len() == 1 {
                        "it is"
                    } else {
                        "they are"
                    }
                ),
                primary,
            )
            .with_secondary(Label::new(clause.span, format!("{id} runs it")));
            for span in polls {
                d = d.with_secondary(Label::new(span, "polled here"));
            }
            let mut by: Vec<&str> = am.ast.by.iter().map(|r| r.value.as_str()).collect();
            by.extend(names.iter().copied());
            out.push(d.with_help(format!("write `by {}`", by.join(", "))));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::rules::findings;
    use crate::diag::Code;

    #[test]
    fn polled_roles_must_be_brought_by_the_activity() {
        let found = findings(
            Code::PollRoleNotInActivity,
            r#"
            plan P {
              horizon 2014/275 00:00 .. 2014/276 00:00
              roles FD, OM, MCC-M, CREW
              roles FE-5, FE-6 in CREW
              activity A1 { at 2014/275 10:00   lasts 10m   by FD           procedure POLL }
              activity A2 { at 2014/275 11:00   lasts 10m   by FD, OM, MCC-M   procedure POLL }
              activity A3 { at 2014/275 12:00   lasts 10m   by FD, OM, FE-6   procedure CREWPOLL }
              activity A4 { at 2014/275 13:00   lasts 10m   by FD, OM, CREW   procedure MEMBERPOLL }
            }
            procedure POLL       { roles FD, OM, MCC-M   step 1 { poll FD, OM, MCC-M   on fail abort } }
            procedure CREWPOLL   { roles FD, OM, CREW    step 1 { poll FD, OM, CREW    on fail abort } }
            procedure MEMBERPOLL { roles FD, OM, CREW    step 1 { poll FE-5            on fail abort } }
        "#,
        );
        let got: Vec<(&str, Option<String>)> = found
            .iter()
            .map(|d| (d.message.as_str(), d.help.clone()))
            .collect();
        assert_eq!(
            got,
            [(
                "A1 runs POLL, which polls OM, MCC-M, but they are not among its `by` roles",
                Some("write `by FD, OM, MCC-M`".to_string())
            )]
        );
    }
}
