//! The monthly report's staffing: the rosters of the month's plans clipped to the month
//! ([`crate::model::staffing::period`]), the staffing findings (`W` codes) of the plans'
//! check counted by code, and the on-call log's call-outs held to the rosters
//! ([`crate::monthly::oncall`]), and the simulations and training sessions held in the
//! month (the scenarios whose `held` interval meets it). What the view needs is kept here
//! as values: the model does not outlive the load.

use crate::diag::{Diagnostic, Family};
use crate::model::staffing::period::{self, Period};
use crate::model::Model;
use crate::monthly::oncall::{self, CallOut, Judged};
use crate::monthly::{Month, Problem};
use crate::time::Interval;

/// The roster that speaks for a part of the month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRef {
    pub id: String,
    pub title: Option<String>,
    pub plan: String,
}

/// The on-call log's call-outs and those of the month judged.
#[derive(Debug, Clone)]
pub struct OnCallLog {
    pub path: String,
    pub calls: Vec<CallOut>,
    /// The month's well-formed call-outs, by time called.
    pub judged: Vec<Judged>,
}

/// A staffing finding code and how many the plans' check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingCount {
    pub code: String,
    pub name: String,
    pub count: usize,
}

/// A person named by a training session: id and full name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRef {
    pub id: String,
    pub name: Option<String>,
}

/// A simulation or training session held (in part) in the month: a scenario with a
/// `held` interval that meets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldSession {
    pub scenario: String,
    pub title: Option<String>,
    /// The plan it runs (empty when it names none the model knows).
    pub plan: String,
    pub held: Interval,
    /// `passed`, `failed`, `cancelled`; `None`: the result is not recorded.
    pub outcome: Option<&'static str>,
    pub instructor: Option<PersonRef>,
    /// Its trainees that are people of the roster, as listed.
    pub people: Vec<PersonRef>,
    /// Its trainees that are roles of the plan (or names not resolved), as listed.
    pub roles: Vec<String>,
    /// How many events it injects.
    pub injects: usize,
}

#[derive(Debug, Clone)]
pub struct MonthStaffing {
    pub period: Period,
    /// Index for index with `period.parts`.
    pub rosters: Vec<RosterRef>,
    /// The ids of the month's plans that no roster staffs.
    pub plans_without_roster: Vec<String>,
    /// The rosters not counted (read from a file with syntax errors).
    pub incomplete: Vec<RosterRef>,
    /// By code.
    pub findings: Vec<FindingCount>,
    pub oncall: Option<OnCallLog>,
    /// The sessions held in the month, by start then scenario id.
    pub training: Vec<HeldSession>,
}

impl MonthStaffing {
    /// The on-call KPI: `None` without an on-call log (the KPI is not shown);
    /// `Some(None)` when no call-out of the month has a response time to be held to.
    pub fn kpi(&self) -> Option<Option<f64>> {
        let log = self.oncall.as_ref()?;
        let (n, within) = log
            .judged
            .iter()
            .filter(|j| j.limit.is_some() && log.calls[j.call].response.is_some())
            .fold((0usize, 0usize), |(n, w), j| {
                (n + 1, w + usize::from(!j.late))
            });
        Some((n > 0).then(|| within as f64 * 100.0 / n as f64))
    }
}

/// The staffing of `month` over every plan of `model`, and the problems of the on-call
/// log (`oncall`: its path and rows) against the rosters.
pub fn build(
    model: &Model,
    diagnostics: &[Diagnostic],
    month: Month,
    oncall: Option<(String, Vec<CallOut>)>,
) -> (MonthStaffing, Vec<Problem>) {
    let range = Interval::new(month.start(), month.end());
    let plans: Vec<usize> = (0..model.plans.len()).collect();
    let period = period::over(model, &plans, range);
    let roster_ref = |r: usize| {
        let s = &model.staffing[r];
        RosterRef {
            id: s.id.value.clone(),
            title: s.title.clone(),
            plan: s
                .plan
                .map(|p| model.plans[p].id.value.clone())
                .unwrap_or_default(),
        }
    };
    let rosters = period.parts.iter().map(|p| roster_ref(p.roster)).collect();
    let incomplete = period.incomplete.iter().map(|&r| roster_ref(r)).collect();
    let plans_without_roster = period
        .plans_without_roster
        .iter()
        .map(|&p| model.plans[p].id.value.clone())
        .collect();
    let mut counts: std::collections::BTreeMap<&'static str, (&'static str, usize)> =
        Default::default();
    for d in diagnostics {
        let info = d.code.info();
        if info.family == Family::Staffing {
            counts.entry(info.code).or_insert((info.name, 0)).1 += 1;
        }
    }
    let findings = counts
        .into_iter()
        .map(|(code, (name, count))| FindingCount {
            code: code.to_string(),
            name: name.to_string(),
            count,
        })
        .collect();
    let mut problems = Vec::new();
    let oncall = oncall.map(|(path, calls)| {
        let (judged, probs) = oncall::judge(&calls, model, &period);
        problems = probs;
        OnCallLog {
            path,
            calls,
            judged,
        }
    });
    let training = held_in(model, range);
    (
        MonthStaffing {
            period,
            rosters,
            plans_without_roster,
            incomplete,
            findings,
            oncall,
            training,
        },
        problems,
    )
}

/// The scenarios held (in part) within `range`, by start then id: one pass over the
/// scenarios and one sort.
fn held_in(model: &Model, range: Interval) -> Vec<HeldSession> {
    let mut out: Vec<HeldSession> = model
        .scenarios
        .iter()
        .filter_map(|sc| {
            let held = sc.training.held?;
            // A session meets the month when it overlaps it, or is an instant in it.
            let meets = held.overlaps(&range)
                || (held.start == held.end && range.start <= held.start && held.start < range.end);
            if !meets {
                return None;
            }
            let roster = sc.training.roster.map(|r| &model.staffing[r]);
            let person = |i: usize| {
                let p = roster?.people.get(i)?;
                Some(PersonRef {
                    id: p.id.value.clone(),
                    name: p.name.clone(),
                })
            };
            let as_person: std::collections::HashSet<usize> =
                sc.training.people.iter().map(|&(_, k)| k).collect();
            Some(HeldSession {
                scenario: sc.ast.id.value.clone(),
                title: sc.ast.title.as_ref().map(|t| t.value.clone()),
                plan: sc
                    .plan
                    .map(|p| model.plans[p].id.value.clone())
                    .unwrap_or_default(),
                held,
                outcome: sc.ast.outcome.as_ref().map(|o| o.value.as_str()),
                instructor: sc.training.instructor.and_then(person),
                people: sc
                    .training
                    .people
                    .iter()
                    .filter_map(|&(p, _)| person(p))
                    .collect(),
                roles: sc
                    .ast
                    .trainees
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| !as_person.contains(k))
                    .map(|(_, t)| t.value.clone())
                    .collect(),
                injects: sc.ast.injects.len(),
            })
        })
        .collect();
    out.sort_by(|a, b| (a.held.start, &a.scenario).cmp(&(b.held.start, &b.scenario)));
    out
}
