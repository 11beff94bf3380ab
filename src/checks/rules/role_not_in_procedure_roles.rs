use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::Model;
use crate::syntax::ast::{Ident, StatementKind, WaitFor};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Nested groups are followed this deep (as `P009` does).
const MAX_GROUP_DEPTH: usize = 16;

rule! {
    /// ## What it does
    /// Reports a role named in a statement of a procedure that is not among the
    /// procedure's `roles`: a role polled (`poll FD, OM`), a role given a task
    /// (`manual GC "…"`), or a role waited for (`wait for MCC-M "transfer complete"`,
    /// when `MCC-M` is a declared role). The role counts as listed when `roles` names it or
    /// a group it belongs to (`roles FE-5, FE-6 in CREW` in a plan: a procedure for `CREW`
    /// may give `FE-5` a task), following nested groups.
    ///
    /// A procedure that declares no `roles` at all is judged too: every role its
    /// statements name is missing from it. Roles that no plan declares are `R004`.
    ///
    /// ## Why it matters
    /// The `roles` of a procedure are who must be on console when it runs: the
    /// Operations Manager's shift sheet (`opsplan agenda`), the training scenarios and
    /// the checks of the activities that run it (`P009`, `P013`) read them. A poll of PLN
    /// in a procedure whose roles omit PLN leaves PLN's sheet saying "nothing running"
    /// during the poll PLN must answer.
    ///
    /// ## Example
    /// ```text
    /// procedure ATV-FCP-RBT-020 {
    ///   roles MCC-M, FD
    ///   step 2 "GO/NO-GO" { poll FD, MCC-M, PLN   on fail abort }   // PLN is not a role of it
    /// }
    /// ```
    RoleNotInProcedureRoles, Reporter::Check(check)
}

/// Every group each role belongs to, in any plan (`FE-5` → {`CREW`}).
pub(crate) fn groups_by_role(m: &Model) -> HashMap<&str, Vec<&str>> {
    let mut groups: HashMap<&str, Vec<&str>> = HashMap::default();
    for plan in &m.plans {
        for r in &plan.roles {
            if let Some(g) = &r.group {
                let list = groups.entry(r.name.value.as_str()).or_default();
                if !list.contains(&g.value.as_str()) {
                    list.push(g.value.as_str());
                }
            }
        }
    }
    groups
}

/// True when `name`, or a group it belongs to (nested groups followed), is in `listed`.
fn listed_or_in_listed_group(
    name: &str,
    listed: &HashSet<&str>,
    groups: &HashMap<&str, Vec<&str>>,
) -> bool {
    let mut frontier = vec![name];
    let mut seen: HashSet<&str> = HashSet::default();
    for _ in 0..=MAX_GROUP_DEPTH {
        let mut next = Vec::new();
        for r in frontier {
            if listed.contains(r) {
                return true;
            }
            if seen.insert(r) {
                next.extend(groups.get(r).into_iter().flatten().copied());
            }
        }
        if next.is_empty() {
            return false;
        }
        frontier = next;
    }
    false
}

/// The roles a statement names, with what it does with them.
fn statement_roles<'s>(
    kind: &'s StatementKind,
    roles: &HashSet<String>,
) -> Vec<(&'s Ident, &'static str)> {
    match kind {
        StatementKind::Poll { roles } => roles.iter().map(|r| (r, "polled")).collect(),
        StatementKind::Manual { role, .. } => vec![(role, "given a task")],
        StatementKind::Wait(WaitFor::Event { source, .. }) if roles.contains(&source.value) => {
            vec![(source, "waited for")]
        }
        _ => Vec::new(),
    }
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    if m.plans.is_empty() {
        return; // roles are declared by plans: a library checked alone is not judged
    }
    let groups = groups_by_role(m);
    for p in &m.procedures {
        if p.incomplete {
            continue;
        }
        let listed: HashSet<&str> = p.ast.roles.iter().map(|r| r.value.as_str()).collect();
        let mut reported: HashSet<&str> = HashSet::default();
        for step in &p.ast.steps {
            for st in &step.statements {
                for (role, what) in statement_roles(&st.kind, &m.all_roles) {
                    if !m.all_roles.contains(&role.value)
                        || listed_or_in_listed_group(&role.value, &listed, &groups)
                    {
                        continue;
                    }
                    let first = reported.insert(role.value.as_str());
                    let mut d = Diagnostic::new(
                        Code::RoleNotInProcedureRoles,
                        format!(
                            "{} is {what} in {} but is not among its roles",
                            role.value,
                            p.display_name()
                        ),
                        Label::new(role.span, format!("{what} in step {}", step.label.value)),
                    );
                    d = match p.ast.roles.first() {
                        Some(r) => d.with_secondary(Label::new(
                            r.span,
                            format!(
                                "roles: {}",
                                p.ast
                                    .roles
                                    .iter()
                                    .map(|r| r.value.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        )),
                        None => d.with_secondary(Label::new(p.ast.id.span, "declares no `roles`")),
                    };
                    if first {
                        d = d.with_help(format!(
                            "add {} to the `roles` of {}",
                            role.value,
                            p.display_name()
                        ));
                    }
                    out.push(d);
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
    fn statement_roles_must_be_procedure_roles() {
        let found = findings(
            Code::RoleNotInProcedureRoles,
            r#"
            plan P {
              roles FD, OM, PLN, MCC-M, CREW
              roles FE-5 in CREW
            }
            procedure RBT {
              roles FD, OM, CREW
              step 1 { poll FD, OM, PLN   on fail abort }
              step 2 { manual FE-5 "Secure the cargo"   wait for MCC-M "ready" timeout 5m   on fail abort }
              step 3 { wait for IGNITION timeout 2m   on fail abort   manual PLN "Replan" }
            }
            procedure BARE { step 1 { poll FD   on fail abort } }
        "#,
        );
        let got: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            got,
            [
                "PLN is polled in RBT but is not among its roles",
                "MCC-M is waited for in RBT but is not among its roles",
                "PLN is given a task in RBT but is not among its roles",
                "FD is polled in BARE but is not among its roles",
            ]
        );
    }
}
