use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::{PlanModel, ProcIdx};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Nested groups (`roles CREW in ISS`) are followed up to this depth; deeper (or cyclic)
/// chains stop there.
const MAX_GROUP_DEPTH: usize = 16;

rule! {
    /// ## What it does
    /// Reports an activity whose owner does not take part in the procedure it runs. The
    /// owner is the first role of the activity's `by`: the position that answers for the
    /// activity on the day. It takes part when the procedure's `roles` name it, or name a
    /// group it belongs to (`roles FE-5, FE-6 in CREW`: a procedure for `CREW` can be owned
    /// by FE-5), following nested groups.
    ///
    /// The other direction does not count: an activity owned by the group `CREW` running a
    /// procedure written for `FE-5` is reported, since the plan must say which crew member
    /// runs it. Nor do the other roles of `by`: when one of them takes part but the owner
    /// does not, the finding suggests putting it first.
    ///
    /// Not judged: procedures that declare no `roles`, activities without `by`, owners that
    /// the plan does not declare (R004), and procedures that did not resolve (R002, R003).
    ///
    /// ## Why it matters
    /// Each activity has one responsible centre or role, and the procedure it cites
    /// allocates the tasks among the centres (Multi-Element Procedures split them between
    /// ATV-CC, MCC-M and MCC-H). An owner who has no part in the procedure is on console
    /// for something the procedure does not give them, while the roles it does name may not
    /// be staffed.
    ///
    /// ## Example
    /// ```text
    /// activity A12 { by GC   procedure ATV-FCP-REF-010 v3.2 }
    /// procedure ATV-FCP-REF-010 { version 3.2   roles MCC-M, FD, MCC-H }   // no GC
    /// ```
    OwnerNotInProcedureRoles, Reporter::Check(check)
}

/// True when the plan role `name`, or a group it belongs to, is in `roles`.
fn takes_part(plan: &PlanModel, name: &str, roles: &HashSet<&str>) -> bool {
    let mut current = name;
    for _ in 0..=MAX_GROUP_DEPTH {
        if roles.contains(current) {
            return true;
        }
        let group = plan
            .role_index
            .get(current)
            .and_then(|&ri| plan.roles[ri].group.as_ref());
        match group {
            Some(g) => current = &g.value,
            None => return false,
        }
    }
    false
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    // Each procedure's roles as a set, built once.
    let mut role_sets: HashMap<ProcIdx, HashSet<&str>> = HashMap::default();
    for plan in &m.plans {
        for am in &plan.activities {
            let (Some(pi), Some(owner)) = (am.procedure, am.ast.by.first()) else {
                continue;
            };
            let p = &m.procedures[pi];
            if p.incomplete || p.ast.roles.is_empty() {
                continue;
            }
            if !plan.role_index.contains_key(&owner.value) {
                continue;
            }
            let roles = role_sets
                .entry(pi)
                .or_insert_with(|| p.ast.roles.iter().map(|r| r.value.as_str()).collect());
            if takes_part(plan, &owner.value, roles) {
                continue;
            }
            let id = &am.ast.id.value;
            let listed: Vec<&str> = p.ast.roles.iter().map(|r| r.value.as_str()).collect();
            let roles_span = p.ast.roles[1..]
                .iter()
                .fold(p.ast.roles[0].span, |s, r| s.cover(r.span));
            let other = am.ast.by[1..]
                .iter()
                .find(|r| takes_part(plan, &r.value, roles));
            let member = p.ast.roles.iter().find(|r| {
                plan.role_index
                    .get(&r.value)
                    .and_then(|&ri| plan.roles[ri].group.as_ref())
                    .is_some_and(|g| g.value == owner.value)
            });
            let help = if let Some(o) = other {
                format!(
                    "`{}` takes part in {}: if it owns {id}, write it first in `by`",
                    o.value,
                    p.display_name()
                )
            } else if let Some(mb) = member {
                format!(
                    "{} names `{}`, a member of `{}`: write the member who runs it in `by`",
                    p.display_name(),
                    mb.value,
                    owner.value
                )
            } else {
                format!(
                    "give {id} to one of {}, or add `{}` to the roles of {}",
                    listed.join(", "),
                    owner.value,
                    p.display_name()
                )
            };
            out.push(
                Diagnostic::new(
                    Code::OwnerNotInProcedureRoles,
                    format!(
                        "{id} is owned by `{}`, which has no part in {} (roles {})",
                        owner.value,
                        p.display_name(),
                        listed.join(", ")
                    ),
                    Label::new(owner.span, format!("owner of {id}")),
                )
                .with_secondary(Label::new(
                    roles_span,
                    format!("the roles of {}", p.display_name()),
                ))
                .with_help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::rules::findings;
    use crate::diag::Code;

    const PLAN: &str = r#"
        plan P {
          horizon 2014/272 00:00 .. 2014/279 00:00
          roles FD, GC, EST, MCC-M, MCC-H
          roles ISS
          roles CREW in ISS
          roles FE-5, FE-6 in CREW
          activity MEMBER  { at 2014/272 08:10   lasts 20m   by FE-5          procedure O2 }
          activity NESTED  { at 2014/272 09:10   lasts 20m   by FE-6          procedure EVA }
          activity OWNER   { at 2014/273 09:00   lasts 40m   by MCC-M, GC     procedure REF }
          activity SECOND  { at 2014/273 11:00   lasts 40m   by GC, MCC-M     procedure REF }
          activity GROUP   { at 2014/276 12:00   lasts 20m   by CREW          procedure CARGO }
          activity NOBODY  { at 2014/277 13:00   lasts 30m   by EST           procedure LNK }
          activity NOROLES { at 2014/277 15:00   lasts 30m   by EST           procedure LOG }
          activity UNDECL  { at 2014/277 16:00   lasts 30m   by MCC-X         procedure LNK }
        }
        procedure O2    { roles CREW, EST          step 1 { end } }
        procedure EVA   { roles ISS                step 1 { end } }
        procedure REF   { roles MCC-M, FD, MCC-H   step 1 { end } }
        procedure CARGO { roles FE-5, FD           step 1 { end } }
        procedure LNK   { roles GC                 step 1 { end } }
        procedure LOG   { step 1 { end } }
    "#;

    #[test]
    fn the_owner_or_one_of_its_groups_must_take_part() {
        let found = findings(Code::OwnerNotInProcedureRoles, PLAN);
        let got: Vec<_> = found
            .iter()
            .map(|d| (d.message.as_str(), d.help.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "SECOND is owned by `GC`, which has no part in REF (roles MCC-M, FD, MCC-H)",
                    "`MCC-M` takes part in REF: if it owns SECOND, write it first in `by`"
                ),
                (
                    "GROUP is owned by `CREW`, which has no part in CARGO (roles FE-5, FD)",
                    "CARGO names `FE-5`, a member of `CREW`: write the member who runs it in `by`"
                ),
                (
                    "NOBODY is owned by `EST`, which has no part in LNK (roles GC)",
                    "give NOBODY to one of GC, or add `EST` to the roles of LNK"
                ),
            ]
        );
    }

    #[test]
    fn a_cycle_of_groups_ends() {
        let found = findings(
            Code::OwnerNotInProcedureRoles,
            r#"
            plan P {
              horizon 2014/272 00:00 .. 2014/279 00:00
              roles GC
              roles A in B
              roles B in A
              activity X { at 2014/272 08:10   lasts 20m   by A   procedure LNK }
            }
            procedure LNK { roles GC   step 1 { end } }
        "#,
        );
        assert_eq!(found.len(), 1);
    }
}
