use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label, Suggester};
use crate::model::{Model, ScenarioModel};

rule! {
    /// ## What it does
    /// Reports a scenario whose training record (`trainees`, `instructor`, `held`,
    /// `outcome`) does not hold together:
    ///
    /// - a trainee that is neither a role of the scenario's plan nor a person of the plan's
    ///   roster (when the plan has no roster, trainees are roles and an unknown one is
    ///   `R004`);
    /// - an `instructor` the plan's roster does not declare, or an `instructor` for a plan
    ///   that has no roster;
    /// - the instructor also among the trainees;
    /// - an `outcome` without `held`: a result for a session that was never held.
    ///
    /// The closest role or person is suggested. When the plan's roster cannot be read (a
    /// syntax error, a file not found: reported there), names that are not roles of the
    /// plan are not judged. A repeated `instructor`, `held` or
    /// `outcome` is `E004`; a `held` interval that ends before it starts, `T004`.
    ///
    /// ## Why it matters
    /// The sessions a person completed as a trainee under an instructor are what
    /// `qualified P after N scenarios` counts: a misspelt trainee is a session that silently
    /// does not count, and a session whose trainee instructed it, or whose result is recorded
    /// without its date, is not a training record anyone can stand behind.
    ///
    /// ## Example
    /// ```text
    /// scenario SIM-RBT-01 {
    ///   plan       ATV5-W40
    ///   trainees   KVINCNET          // KVINCENT
    ///   instructor KVINCENT          // and she cannot instruct herself
    ///   outcome    passed            // without `held`
    /// }
    /// ```
    InvalidTrainingRecord, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    for sc in &m.scenarios {
        unknown(m, sc, out);
        self_taught(m, sc, out);
        if let (Some(o), None) = (&sc.ast.outcome, &sc.ast.held) {
            out.push(
                Diagnostic::new(
                    Code::InvalidTrainingRecord,
                    format!(
                        "scenario `{}` records an outcome but was not held",
                        sc.ast.id.value
                    ),
                    Label::new(o.span, "an outcome without `held`"),
                )
                .with_help(
                    "add `held T .. T` (when the session took place), or remove the `outcome`",
                ),
            );
        }
    }
}

/// Trainees and instructors that name nothing.
fn unknown(m: &Model, sc: &ScenarioModel, out: &mut Vec<Diagnostic>) {
    let Some(pi) = sc.plan else { return };
    let plan = &m.plans[pi];
    let id = &sc.ast.id.value;
    if sc.training.roster_unread {
        return; // its roster is reported where it was to be read
    }
    let roster = sc.training.roster.map(|r| &m.staffing[r]);
    if let (None, Some(i)) = (roster, &sc.ast.instructor) {
        out.push(
            Diagnostic::new(
                Code::InvalidTrainingRecord,
                format!(
                    "instructor `{}` of scenario `{id}`: plan {} has no roster",
                    i.value, plan.id.value
                ),
                Label::new(i.span, "no roster declares the people of this plan"),
            )
            .with_help(format!(
                "the instructor is a person of the plan's roster: add `use roster \"…\"` to plan {} and a roster with `plan {}`",
                plan.id.value, plan.id.value
            )),
        );
        return;
    }
    // A roster read from a file with syntax errors may miss people: not judged.
    let Some(s) = roster.filter(|s| !s.incomplete) else {
        return;
    };
    let people: Vec<&str> = s.people.iter().map(|p| p.id.value.as_str()).collect();
    let roles_and_people: Vec<&str> = plan
        .roles
        .iter()
        .map(|r| r.name.value.as_str())
        .chain(people.iter().copied())
        .collect();
    for u in &sc.training.unknown {
        let (message, label, candidates) = if u.what == "trainee" {
            (
                format!("undefined trainee `{}` in scenario `{id}`", u.name.value),
                format!(
                    "neither a role of plan {} nor a person of roster {}",
                    plan.id.value, s.id.value
                ),
                &roles_and_people,
            )
        } else {
            (
                format!("undefined instructor `{}` in scenario `{id}`", u.name.value),
                format!("not a person of roster {}", s.id.value),
                &people,
            )
        };
        let d = Diagnostic::new(
            Code::InvalidTrainingRecord,
            message,
            Label::new(u.name.span, label),
        );
        let d = match Suggester::new(candidates.clone()).suggest(&u.name.value) {
            Some(sug) => d.with_help(sug.did_you_mean()),
            None => d.with_help(format!(
                "declare `person {}` in roster {}, or name a role of plan {}",
                u.name.value, s.id.value, plan.id.value
            )),
        };
        out.push(d);
    }
}

/// The instructor also among the trainees.
fn self_taught(m: &Model, sc: &ScenarioModel, out: &mut Vec<Diagnostic>) {
    let (Some(i), Some(r)) = (sc.training.instructor, sc.training.roster) else {
        return;
    };
    let Some(&(_, k)) = sc.training.people.iter().find(|&&(p, _)| p == i) else {
        return;
    };
    let who = m.staffing[r].people[i].display();
    let trainee = &sc.ast.trainees[k];
    let mut d = Diagnostic::new(
        Code::InvalidTrainingRecord,
        format!(
            "{who} is both a trainee and the instructor of scenario `{}`",
            sc.ast.id.value
        ),
        Label::new(trainee.span, "a trainee"),
    );
    if let Some(name) = &sc.ast.instructor {
        d = d.with_secondary(Label::new(name.span, "and the instructor"));
    }
    out.push(
        d.with_note("a session counts towards a trainee's qualification only under another person as instructor")
            .with_help("name the instructor who ran the session, or remove them from `trainees`"),
    );
}
