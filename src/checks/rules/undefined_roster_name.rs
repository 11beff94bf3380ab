use crate::checks::staffing::judged;
use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label, Suggester};
use crate::model::staffing::Staffing;
use crate::model::Model;

rule! {
    /// ## What it does
    /// Reports a name in a roster that names nothing: a roster without a `plan` line or
    /// whose plan no file of the check defines; a person, position or on-call duty that the
    /// roster does not declare (in a `shift`, `oncall`, `assign`, `qualified` or
    /// `trainee … under` line); a phase or window of its plan that does not exist (in a
    /// `continuous during`). The closest declared name is suggested.
    ///
    /// A roster whose plan is unknown is judged on its own (qualifications, overlaps,
    /// rest, hours, nights, on call): its positions are not judged against the plan's
    /// activities, and a `continuous` over the plan's horizon, phases or windows is not
    /// judged; the finding says so. A role in `fills` that the plan does not declare is an
    /// `R004`, an activity in `assign` that it does not define an `R001`.
    ///
    /// ## Why it matters
    /// A shift for a person nobody declared is a shift whose qualifications and rest no
    /// one can check; a position over a phase that was renamed is a position nobody must
    /// hold. A staffing check that passes because it could not read the names it was given
    /// would be a false assurance.
    ///
    /// ## Example
    /// ```text
    /// roster W40 {
    ///   plan ATV5-W40
    ///   person JDUPONT "Jeanne Dupont" { qualified OM-DESK }
    ///   shift JDUPOND OM-DESK 2014/272 06:00 .. 2014/272 14:15   // JDUPONT
    /// }
    /// ```
    UndefinedRosterName, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    for s in judged(m) {
        plan(m, s, out);
        names(m, s, out);
    }
}

const NOT_JUDGED: &str = "without its plan, the roster is judged on its own: no activity is \
     checked against its positions (W003), and no `continuous` over the plan's horizon, \
     phases or windows is judged (W002, W013)";

fn plan(m: &Model, s: &Staffing, out: &mut Vec<Diagnostic>) {
    if s.plan.is_some() {
        return;
    }
    let id = &s.id.value;
    let d = match &s.plan_name {
        None => Diagnostic::new(
            Code::UndefinedRosterName,
            format!("roster `{id}` names no plan"),
            Label::new(s.id.span, "no `plan` line"),
        )
        .with_help("add `plan ID`: the plan the roster staffs"),
        Some(p) => {
            let names: Vec<&str> = m.plans.iter().map(|p| p.id.value.as_str()).collect();
            let d = Diagnostic::new(
                Code::UndefinedRosterName,
                format!("undefined plan `{}` in roster `{id}`", p.value),
                Label::new(p.span, "no file of the check defines this plan"),
            );
            match Suggester::new(names.clone()).suggest(&p.value) {
                Some(sug) => d.with_help(sug.did_you_mean()),
                None => d.with_help(
                    "check the plan with its roster: a plan reads its roster with \
                     `use roster \"…\"`",
                ),
            }
        }
    };
    out.push(d.with_note(NOT_JUDGED));
}

fn names(m: &Model, s: &Staffing, out: &mut Vec<Diagnostic>) {
    if s.unresolved.is_empty() {
        return;
    }
    let declared = |what: &str| -> Vec<&str> {
        match what {
            "person" => s.people.iter().map(|p| p.id.value.as_str()).collect(),
            "position" => s.positions.iter().map(|p| p.name.value.as_str()).collect(),
            "duty" => s.duties.iter().map(|d| d.name.value.as_str()).collect(),
            _ => s
                .plan
                .map(|pi| {
                    let plan = &m.plans[pi];
                    plan.phases
                        .iter()
                        .map(|p| p.name.value.as_str())
                        .chain(plan.windows.iter().map(|w| w.decl.name.value.as_str()))
                        .collect()
                })
                .unwrap_or_default(),
        }
    };
    // The suggestions of one kind of name asked together (`diag::Suggester`).
    let mut answers = Vec::with_capacity(s.unresolved.len());
    let mut kinds: Vec<&str> = s.unresolved.iter().map(|u| u.what).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let mut by_kind = std::collections::BTreeMap::new();
    for what in kinds {
        let queries: Vec<&str> = s
            .unresolved
            .iter()
            .filter(|u| u.what == what)
            .map(|u| u.name.value.as_str())
            .collect();
        let got = Suggester::new(declared(what)).suggest_all(&queries);
        by_kind.insert(what, got.into_iter());
    }
    for u in &s.unresolved {
        answers.push(by_kind.get_mut(u.what).and_then(|it| it.next()).flatten());
    }
    let id = &s.id.value;
    for (u, suggestion) in s.unresolved.iter().zip(answers) {
        let name = &u.name.value;
        let label = match u.what {
            "phase or window" => match s.plan {
                Some(pi) => format!("no phase or window of plan {}", m.plans[pi].id.value),
                None => "not in the plan".to_string(),
            },
            what => format!("no {what} of roster {id}"),
        };
        let d = Diagnostic::new(
            Code::UndefinedRosterName,
            format!("undefined {} `{name}` in roster `{id}`", u.what),
            Label::new(u.name.span, label),
        );
        let help = match (suggestion, u.what) {
            (Some(sug), _) => sug.did_you_mean(),
            (None, "person") => format!("declare it: `person {name} \"Full Name\"`"),
            (None, "position") => format!("declare it: `position {name} {{ fills ROLE }}`"),
            (None, "duty") => format!("declare it: `duty {name} {{ continuous }}`"),
            (None, _) => "name a phase or a window of the plan, or give an interval".to_string(),
        };
        out.push(d.with_help(help));
    }
}
