use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label, Suggester};

rule! {
    /// ## What it does
    /// Reports a training scenario that names no `plan`, or a plan that no file of the
    /// check defines. The closest plan id is suggested. Nothing else of such a scenario is
    /// judged: its times, activities and trainee roles are names in a plan.
    ///
    /// ## Why it matters
    /// A scenario is a simulation of one plan: the activity running when an event is
    /// injected, its procedure and its contingency path all come from that plan. A
    /// scenario whose plan is missing (often renamed by a new issue) checks nothing.
    ///
    /// ## Example
    /// ```text
    /// scenario SIM-RBT-01 {
    ///   plan ATV5-W41                  // the plan is ATV5-W40
    ///   inject THRUSTER_OVERTEMP at A29.start + 3m
    /// }
    /// ```
    UndefinedScenarioPlan, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    let names: Vec<&str> = m.plans.iter().map(|p| p.id.value.as_str()).collect();
    let missing = m.scenarios.iter().filter(|s| s.plan.is_none()).count();
    if missing == 0 {
        return;
    }
    let queries: Vec<&str> = m
        .scenarios
        .iter()
        .filter_map(|s| s.ast.plan.as_ref().filter(|_| s.plan.is_none()))
        .map(|p| p.value.as_str())
        .collect();
    let suggester = Suggester::new(names.clone());
    let suggestions = suggester.suggest_all(&queries);
    let mut suggestions = suggestions.into_iter();
    for sc in m.scenarios.iter().filter(|s| s.plan.is_none()) {
        let id = &sc.ast.id.value;
        let d = match &sc.ast.plan {
            None => Diagnostic::new(
                Code::UndefinedScenarioPlan,
                format!("scenario `{id}` names no plan"),
                Label::new(sc.ast.id.span, "no `plan` line"),
            )
            .with_help("add `plan ID`: the plan the simulation runs"),
            Some(p) => {
                let d = Diagnostic::new(
                    Code::UndefinedScenarioPlan,
                    format!("undefined plan `{}` in scenario `{id}`", p.value),
                    Label::new(p.span, "no file of the check defines this plan"),
                );
                match suggestions.next().flatten() {
                    Some(s) => d.with_help(s.did_you_mean()),
                    None if names.is_empty() => {
                        d.with_help("check the folder of the plan with the scenario")
                    }
                    None => d.with_help(format!("the plans are {}", names.join(", "))),
                }
            }
        };
        out.push(d);
    }
}
