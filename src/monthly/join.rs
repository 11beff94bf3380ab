//! Matching the records that name planned activities (as-flown rows, change requests)
//! to the activities of the plans read, by one rule (decided so that a report never
//! silently drops a row): an id that no plan read holds, in the plan named when a plan is
//! named, is an error; so is an id in several plans with no plan named, unless exactly
//! one of them plans it in the month reported. "Did you mean" is asked for all the unknown
//! ids together (one [`crate::diag::Suggester`]).

use super::asflown::Flown;
use super::changes::{ChangeRequest, CrStatus};
use super::metrics::Planned;
use super::{show_dur, show_time, Month, Problem};
use crate::time::Dur;
use std::collections::{BTreeMap, BTreeSet};

/// The plans' activities by id.
pub struct Index<'a> {
    acts: &'a [Planned],
    by_id: BTreeMap<&'a str, Vec<usize>>,
    plan_ids: BTreeSet<&'a str>,
    month: Month,
    /// "did you mean …" by unknown id.
    hints: BTreeMap<String, String>,
}

impl<'a> Index<'a> {
    /// `named` are every id the records name (for "did you mean", asked once).
    pub fn new(acts: &'a [Planned], month: Month, named: &[&str]) -> Index<'a> {
        let mut by_id: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, a) in acts.iter().enumerate() {
            by_id.entry(a.id.as_str()).or_default().push(i);
        }
        let plan_ids = acts.iter().map(|a| a.plan.as_str()).collect();
        let mut unknown: Vec<&str> = named
            .iter()
            .copied()
            .filter(|n| !n.is_empty() && !by_id.contains_key(n))
            .collect();
        unknown.sort_unstable();
        unknown.dedup();
        let hints = unknown
            .iter()
            .zip(crate::diag::Suggester::new(by_id.keys().copied().collect()).suggest_all(&unknown))
            .filter_map(|(q, s)| Some((q.to_string(), s?.did_you_mean())))
            .collect();
        Index {
            acts,
            by_id,
            plan_ids,
            month,
            hints,
        }
    }

    fn plans_read(&self) -> String {
        self.plan_ids.iter().copied().collect::<Vec<_>>().join(", ")
    }

    /// Whether a plan of this id was read.
    pub fn has_plan(&self, plan: &str) -> bool {
        self.plan_ids.contains(plan)
    }

    /// The planned activity a record names, or why there is none.
    pub fn resolve(&self, activity: &str, plan: Option<&str>) -> Result<usize, String> {
        self.find(activity, plan).map_err(|(_, m)| m)
    }

    /// [`Index::resolve`], saying whether the plans read cannot tell (the plan named is
    /// not among them, or no plan is named and none holds the id: it may be another
    /// month's) or can (the plan read has no such activity; several plans have it).
    fn find(&self, activity: &str, plan: Option<&str>) -> Result<usize, (Miss, String)> {
        let candidates: Vec<usize> = self
            .by_id
            .get(activity)
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(|&i| plan.is_none_or(|p| self.acts[i].plan == p))
                    .collect()
            })
            .unwrap_or_default();
        match candidates.len() {
            0 => Err(match plan {
                Some(p) if !self.plan_ids.contains(p) => (
                    Miss::NotRead,
                    format!(
                        "plan `{p}` is not among the plans read ({})",
                        self.plans_read()
                    ),
                ),
                Some(p) => (
                    Miss::Wrong,
                    format!("activity `{activity}` is not in plan `{p}`"),
                ),
                None => {
                    let hint = self
                        .hints
                        .get(activity)
                        .map(|s| format!(" ({s})"))
                        .unwrap_or_default();
                    (
                        Miss::NotRead,
                        format!("activity `{activity}` is in none of the plans read{hint}"),
                    )
                }
            }),
            1 => Ok(candidates[0]),
            _ => {
                let in_month: Vec<usize> = candidates
                    .iter()
                    .copied()
                    .filter(|&i| self.month.contains(self.acts[i].start))
                    .collect();
                if in_month.len() == 1 {
                    return Ok(in_month[0]);
                }
                let mut plans: Vec<&str> = candidates
                    .iter()
                    .map(|&i| self.acts[i].plan.as_str())
                    .collect();
                plans.sort_unstable();
                plans.dedup();
                Err((
                    Miss::Wrong,
                    format!(
                        "activity `{activity}` is in several plans ({}): give the plan in a `plan` column",
                        plans.join(", ")
                    ),
                ))
            }
        }
    }
}

/// Why a record's activity was not found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Miss {
    /// The plans read cannot hold it: the plan named was not read, or no plan is named
    /// and no plan read has the id.
    NotRead,
    /// The plans read say it is wrong: the plan named has no such activity, or several
    /// plans have it and none is named.
    Wrong,
}

/// The as-flown log joined to the plans.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlownJoin {
    /// Planned activity of the month → its row of the log.
    pub flown_of: BTreeMap<usize, usize>,
    /// Rows for activities planned outside the month (not counted).
    pub outside_month: usize,
}

/// Joins every row of the log, its rows with problems of their own too (so a wrong
/// activity is reported in the same run; they are never counted). Errors: an activity no
/// plan holds, an ambiguous one, a second row for one activity. Warnings: an actual start
/// or end further than `far` from the planned one (a mistyped date, most often).
pub fn as_flown(index: &Index, flown: &[Flown], far: Dur) -> (FlownJoin, Vec<Problem>) {
    let mut out = FlownJoin::default();
    let mut problems = Vec::new();
    // Every row of an activity of the month, counted or not, for "a second row".
    let mut first_row: BTreeMap<usize, usize> = BTreeMap::new();
    for (fi, f) in flown.iter().enumerate() {
        if f.activity.is_empty() {
            continue;
        }
        let chosen = match index.resolve(&f.activity, f.plan.as_deref()) {
            Ok(i) => i,
            Err(m) => {
                problems.push(Problem::error(f.loc.clone(), m));
                continue;
            }
        };
        let a = &index.acts[chosen];
        if !index.month.contains(a.start) {
            if f.ok {
                out.outside_month += 1;
            }
            continue;
        }
        if let Some(&first) = first_row.get(&chosen) {
            problems.push(Problem::error(
                f.loc.clone(),
                format!(
                    "a second row for activity `{}` of plan `{}` (the first {})",
                    f.activity,
                    a.plan,
                    super::anomalies::where_is(&flown[first].loc)
                ),
            ));
            continue;
        }
        first_row.insert(chosen, fi);
        if !f.ok {
            continue;
        }
        out.flown_of.insert(chosen, fi);
        if !f.status.ran() {
            continue;
        }
        for (actual, planned, loc, what) in [
            (f.start, a.start, &f.start_loc, "start"),
            (f.end, a.end, &f.end_loc, "end"),
        ] {
            let Some(actual) = actual else { continue };
            let shift = actual.since(planned);
            if shift.0.abs() > far.0 {
                problems.push(Problem::warning(
                    loc.clone(),
                    format!(
                        "the actual {what} {} is {} {} the planned {what} of `{}` ({}, {}): more than {} (`far_from_plan`); is the date mistyped?",
                        show_time(actual),
                        show_dur(Dur(shift.0.abs())),
                        if shift.0 > 0 { "after" } else { "before" },
                        a.id,
                        a.plan,
                        show_time(planned),
                        show_dur(far)
                    ),
                ));
            }
        }
    }
    (out, problems)
}

/// Matches the activities and plan of every change request the month lists (raised or
/// decided in it, or open at its end) to the plans read. Returns, per request (index for
/// index), the planned activities it names that were found.
///
/// An activity a plan read does not have (the plan named has no such id; several plans
/// have it and none is named) is an error at the activities cell. A plan that was not
/// read, or an id no plan read holds, cannot be told from a request about another
/// month's plan (a request raised in October about November's): an error when the
/// request changes this month's figures (approved or implemented, decided in the month,
/// so it must name activities of the month), a note otherwise. A request with problems of
/// its own is checked against the plans read only.
pub fn change_requests(index: &Index, crs: &[ChangeRequest]) -> (Vec<Vec<usize>>, Vec<Problem>) {
    let month = index.month;
    let m_end = month.end();
    let mut out = Vec::with_capacity(crs.len());
    let mut problems = Vec::new();
    for cr in crs {
        let mut found = Vec::new();
        let decided_in = cr.decided.is_some_and(|d| month.contains(d));
        let counts = cr.ok && cr.status.accepted() && decided_in;
        let listed = !cr.ok
            || month.contains(cr.raised)
            || decided_in
            || (cr.raised < m_end
                && (cr.status == CrStatus::Open || cr.decided.is_some_and(|d| d >= m_end)));
        if !listed {
            out.push(found);
            continue;
        }
        // What a miss the plans read cannot judge becomes.
        let unjudged = |loc: &super::Loc, m: String, problems: &mut Vec<Problem>| {
            if counts {
                problems.push(Problem::error(
                    loc.clone(),
                    format!(
                        "change request `{}`: {m}; it is {} and decided in {}, so it changes activities of the month",
                        cr.id,
                        cr.status.as_str(),
                        month.label()
                    ),
                ));
            } else if cr.ok {
                problems.push(Problem::note(
                    loc.clone(),
                    format!(
                        "change request `{}`: {m}, so it is not checked (it changes no activity of {}: {})",
                        cr.id,
                        month.label(),
                        cr.status.as_str()
                    ),
                ));
            }
        };
        let plan = cr.plan.as_deref();
        match plan {
            Some(p) if !index.has_plan(p) => unjudged(
                &cr.plan_loc,
                format!(
                    "plan `{p}` is not among the plans read ({})",
                    index.plans_read()
                ),
                &mut problems,
            ),
            _ => {
                for id in &cr.activities {
                    match index.find(id, plan) {
                        Ok(i) => found.push(i),
                        Err((Miss::Wrong, m)) => problems.push(Problem::error(
                            cr.activities_loc.clone(),
                            format!("change request `{}`: {m}", cr.id),
                        )),
                        Err((Miss::NotRead, m)) => unjudged(&cr.activities_loc, m, &mut problems),
                    }
                }
            }
        }
        out.push(found);
    }
    (out, problems)
}
