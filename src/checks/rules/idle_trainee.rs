use crate::checks::scenario::{chain, judge};
use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::PlanModel;
use std::collections::BTreeSet;

/// Nested role groups are followed up to this depth (a cycle of groups ends there).
const MAX_GROUP_DEPTH: usize = 16;

rule! {
    /// ## What it does
    /// Reports a trainee that takes part in none of the scenario's events. A role
    /// takes part in an event when it is in the `by` of a running activity whose
    /// contingency path handles the event, or in the `roles` of a procedure on that path
    /// from the running procedure to one that handles the event (both included). Groups
    /// count both ways: a trainee `FE-5` takes part when its group `CREW` does, and a
    /// trainee `CREW` when one of its members does. A trainee who is a person of the
    /// plan's roster (not a role of the plan) takes part through the roles its positions
    /// fill: those of every position the person is qualified or a trainee for.
    ///
    /// Judged only when every event of the scenario is handled (`S002`–`S005` report
    /// the others, and a trainee may well have a part in an event not yet judged);
    /// trainees that are neither roles nor people are `R004` (a plan without a roster) or
    /// `S008`. A scenario without an inject
    /// leaves every trainee idle.
    ///
    /// ## Why it matters
    /// A simulation is booked for its trainees: a position that has nothing to do in any
    /// event spends the session watching. Either the trainee list is wrong or the events
    /// do not exercise that console.
    ///
    /// ## Example
    /// ```text
    /// scenario SIM-RBT-01 {
    ///   plan     ATV5-W40
    ///   trainees FD, GC        // GC has no part in the reboost nor in PRP-090
    ///   inject THRUSTER_OVERTEMP at A29.start + 3m
    /// }
    /// ```
    IdleTrainee, Reporter::Check(check)
}

/// The role and the groups it belongs to, nested.
fn with_groups<'p>(plan: &'p PlanModel, role: &'p str) -> Vec<&'p str> {
    let mut out = vec![role];
    let mut current = role;
    for _ in 0..MAX_GROUP_DEPTH {
        let group = plan
            .role_index
            .get(current)
            .and_then(|&ri| plan.roles[ri].group.as_ref());
        match group {
            Some(g) if !out.contains(&g.value.as_str()) => {
                current = &g.value;
                out.push(current);
            }
            _ => break,
        }
    }
    out
}

/// What the judgements of one scenario say about its trainees, gathered one judgement
/// at a time (the judgements themselves are not kept).
struct Parts<'m> {
    /// How many of its injects have running activities.
    judged: usize,
    /// Whether every one of those is handled.
    all_handled: bool,
    /// The roles taking part in any of its events.
    roles: BTreeSet<&'m str>,
    /// (inject, the roles taking part in it) for its first events, for the labels.
    per_event: Vec<(usize, BTreeSet<&'m str>)>,
}

/// At most this many events are labelled in one finding.
const MAX_EVENT_LABELS: usize = 8;

impl Parts<'_> {
    fn new() -> Self {
        Parts {
            judged: 0,
            all_handled: true,
            roles: BTreeSet::new(),
            per_event: Vec::new(),
        }
    }
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    // The judgements come in scenario order: each scenario is finished when the next
    // one's first judgement comes, the scenarios without any in their turn.
    let mut current: Option<(usize, Parts)> = None;
    let mut next = 0;
    judge(m, |j| {
        if current.as_ref().is_none_or(|(si, _)| *si != j.scenario) {
            if let Some((si, parts)) = current.take() {
                finish(m, si, parts, out);
                next = si + 1;
            }
            for si in next..j.scenario {
                finish(m, si, Parts::new(), out);
            }
            next = j.scenario;
            current = Some((j.scenario, Parts::new()));
        }
        let Some((_, parts)) = current.as_mut() else {
            return;
        };
        parts.judged += 1;
        parts.all_handled &= j.handled();
        if !parts.all_handled {
            return; // the scenario is not judged: its roles do not matter
        }
        let Some(pi) = m.scenarios[j.scenario].plan else {
            return;
        };
        let plan = &m.plans[pi];
        let mut these: BTreeSet<&str> = BTreeSet::new();
        for &(r, k) in &j.handlers {
            let run = &j.running[r];
            these.extend(
                plan.activities[run.activity]
                    .ast
                    .by
                    .iter()
                    .map(|b| b.value.as_str()),
            );
            for i in chain(run.path, k) {
                let p = &m.procedures[run.path[i].procedure];
                these.extend(p.ast.roles.iter().map(|r| r.value.as_str()));
            }
        }
        parts.roles.extend(these.iter().copied());
        if parts.per_event.len() < MAX_EVENT_LABELS {
            parts.per_event.push((j.inject, these));
        }
    });
    if let Some((si, parts)) = current.take() {
        finish(m, si, parts, out);
        next = si + 1;
    }
    for si in next..m.scenarios.len() {
        finish(m, si, Parts::new(), out);
    }
}

/// The findings of scenario `si`.
fn finish(m: &crate::model::Model, si: usize, parts: Parts<'_>, out: &mut Vec<Diagnostic>) {
    let sc = &m.scenarios[si];
    let Some(pi) = sc.plan else { return };
    if sc.ast.trainees.is_empty() {
        return;
    }
    let plan = &m.plans[pi];
    if parts.judged != sc.ast.injects.len() || !parts.all_handled {
        return;
    }
    let roles = parts.roles;
    let per_event = parts.per_event;
    let with_up: BTreeSet<&str> = roles.iter().flat_map(|r| with_groups(plan, r)).collect();
    let takes_part = |role: &str| {
        with_up.contains(role) || with_groups(plan, role).iter().any(|g| roles.contains(g))
    };
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for (k, t) in sc.ast.trainees.iter().enumerate() {
        if !seen.insert(&t.value) {
            continue;
        }
        let message = if plan.role_index.contains_key(&t.value) {
            if takes_part(&t.value) {
                continue;
            }
            format!(
                "trainee role `{}` takes part in none of the events of scenario `{}`",
                t.value, sc.ast.id.value
            )
        } else {
            // A person of the plan's roster takes part through the roles of the positions
            // they are qualified or a trainee for.
            let (Some(r), true) = (
                sc.training.roster,
                sc.training.people.iter().any(|&(_, i)| i == k),
            ) else {
                continue;
            };
            let s = &m.staffing[r];
            let Some(&p) = s.person_index.get(&t.value) else {
                continue;
            };
            let mut through: BTreeSet<&str> = BTreeSet::new();
            for q in &s.people[p].quals {
                through.extend(
                    s.positions[q.position]
                        .fills
                        .iter()
                        .map(|f| f.value.as_str()),
                );
            }
            if through.iter().any(|r| takes_part(r)) {
                continue;
            }
            let list: Vec<&str> = through.into_iter().collect();
            if list.is_empty() {
                format!(
                    "trainee `{}` takes part in none of the events of scenario `{}`: no position of theirs fills a role",
                    t.value, sc.ast.id.value
                )
            } else {
                format!(
                    "trainee `{}` (through the roles {}) takes part in none of the events of scenario `{}`",
                    t.value,
                    list.join(", "),
                    sc.ast.id.value
                )
            }
        };
        let mut d = Diagnostic::new(
            Code::IdleTrainee,
            message,
            Label::new(t.span, "idle throughout the scenario"),
        );
        if sc.ast.injects.is_empty() {
            d = d.with_help("the scenario injects no event");
        } else {
            for (ii, these) in &per_event {
                let inj = &sc.ast.injects[*ii];
                let list: Vec<&str> = these.iter().copied().collect();
                d = d.with_secondary(Label::new(
                    inj.event.span,
                    format!("roles taking part: {}", list.join(", ")),
                ));
            }
            d = d.with_help(format!(
                "give `{}` a part in a procedure that handles one of the events, or remove it from `trainees`",
                t.value
            ));
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::rules::findings;
    use crate::diag::Code;

    const MISSION: &str = r#"
        plan P {
          horizon 2014/275 00:00 .. 2014/276 00:00
          roles FD, GC, EST, PLN, MCC-M
          roles CREW
          roles FE-5, FE-6 in CREW
          activity A29 { at 2014/275 14:05   lasts 20m   by MCC-M   procedure RBT }
          activity A30 { at 2014/275 14:00   lasts 40m   by GC }
        }
        procedure RBT { roles MCC-M, FD   contingency PRP   step 1 { end } }
        procedure PRP { roles FE-5   contingency RBT   step 1 { call DEEP   abort } }
        procedure DEEP { roles EST   handles OVERTEMP }
        procedure SPARE { roles PLN   handles OVERTEMP }
    "#;

    fn scenario(trainees: &str, event: &str) -> String {
        format!(
            "{MISSION}\nscenario S {{ plan P   trainees {trainees}   inject {event} at A29.start + 3m }}"
        )
    }

    #[test]
    fn roles_on_the_handling_path_and_their_groups_take_part() {
        // DEEP is reached through PRP's failure step; PRP's contingency back to RBT ends.
        let text = scenario("FD, MCC-M, EST, FE-5, CREW, GC, PLN, FE-6", "OVERTEMP");
        assert!(findings(Code::UnhandledEvent, &text).is_empty());
        let idle: Vec<String> = findings(Code::IdleTrainee, &text)
            .iter()
            .map(|d| d.message.clone())
            .collect();
        // CREW takes part through its member FE-5; GC runs A30, which does not handle
        // the event; PLN is in SPARE, off the path; FE-6 is a member of CREW but CREW
        // itself is not among the roles.
        assert_eq!(
            idle,
            [
                "trainee role `GC` takes part in none of the events of scenario `S`",
                "trainee role `PLN` takes part in none of the events of scenario `S`",
                "trainee role `FE-6` takes part in none of the events of scenario `S`",
            ]
        );
    }

    #[test]
    fn people_of_the_roster_take_part_through_their_positions() {
        // The plan's roster: ADUBOIS is qualified for the FD desk (on the path), LPETIT a
        // trainee on the PLN desk (PLN is off the path), NOBODY holds no position.
        let roster = r#"
            roster R {
              plan P
              position FD-DESK { fills FD }
              position PLN-DESK { fills PLN }
              person ADUBOIS { qualified FD-DESK }
              person LPETIT { trainee PLN-DESK under ADUBOIS }
              person NOBODY
            }
        "#;
        let text = format!(
            "{}\n{roster}",
            scenario("ADUBOIS, LPETIT, NOBODY", "OVERTEMP")
        );
        assert!(findings(Code::InvalidTrainingRecord, &text).is_empty());
        let idle: Vec<String> = findings(Code::IdleTrainee, &text)
            .iter()
            .map(|d| d.message.clone())
            .collect();
        assert_eq!(
            idle,
            [
                "trainee `LPETIT` (through the roles PLN) takes part in none of the events of scenario `S`",
                "trainee `NOBODY` takes part in none of the events of scenario `S`: no position of theirs fills a role",
            ]
        );
    }

    #[test]
    fn trainees_are_not_judged_while_an_event_is_unhandled() {
        let text = scenario("GC", "NO_IGNITION");
        assert_eq!(findings(Code::UnhandledEvent, &text).len(), 1);
        assert!(findings(Code::IdleTrainee, &text).is_empty());
    }

    #[test]
    fn undeclared_and_repeated_trainees_are_reference_findings() {
        let text = scenario("FD, FX, FD", "OVERTEMP");
        assert!(findings(Code::IdleTrainee, &text).is_empty());
        let undefined = findings(Code::UndefinedRole, &text);
        assert_eq!(undefined.len(), 1);
        assert_eq!(undefined[0].message, "undefined role `FX`");
        let dup = findings(Code::DuplicateIdentifier, &text);
        assert_eq!(dup.len(), 1);
        assert_eq!(dup[0].message, "duplicate trainee `FD`");
    }
}
