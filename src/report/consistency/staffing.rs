//! The consistency report's staffing view (issue #18): for each roster staffing a plan of
//! the report, its positions with their holders (one entry per shift, by start) and their
//! gaps, and its on-call duties with their turns and gaps. The gaps are those of the
//! `W002` and `W013` checks (the same sweep, `model::staffing::work::below`); durations are whole
//! minutes, as numbers. The timeline draws the same rosters (`gantt::build_staffed`).

use crate::model::staffing::Staffing;
use crate::model::PlanIdx;
use crate::report::gantt::{duty_gaps, position_gaps};
use crate::time::Interval;
use crate::workspace::Run;
use serde::Serialize;

/// One roster staffing a plan of the report.
#[derive(Debug, Clone, Serialize)]
pub struct RosterView {
    pub roster: String,
    pub title: Option<String>,
    pub plan: String,
    pub file: String,
    /// Gaps of its positions and duties, in all.
    pub gaps: usize,
    pub positions: Vec<PositionView>,
    pub duties: Vec<DutyView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PositionView {
    pub id: String,
    pub title: Option<String>,
    /// The plan roles its holders fill.
    pub fills: Vec<String>,
    /// Held without a break at some time (`continuous`).
    pub continuous: bool,
    /// The head count while continuous.
    pub minimum: u32,
    pub shifts: usize,
    /// How many people hold it at least once.
    pub people: usize,
    pub holders: Vec<HolderView>,
    pub gaps: Vec<GapView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DutyView {
    pub id: String,
    pub title: Option<String>,
    pub continuous: bool,
    /// The longest call-out response time it accepts, in minutes.
    pub response_minutes: Option<i64>,
    pub turns: Vec<HolderView>,
    pub gaps: Vec<GapView>,
}

/// A shift on a position or a turn on call.
#[derive(Debug, Clone, Serialize)]
pub struct HolderView {
    pub person: String,
    pub name: Option<String>,
    pub from: String,
    pub to: String,
    pub minutes: i64,
    /// Held as a trainee (shifts only: absent for on-call turns).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trainee: Option<bool>,
}

/// Where a continuous position has fewer holders than its minimum, or a continuous duty
/// nobody on call in time.
#[derive(Debug, Clone, Serialize)]
pub struct GapView {
    pub from: String,
    pub to: String,
    pub minutes: i64,
    /// `no holder`, `fewer than 2 holders`, `nobody on call in time`.
    pub what: String,
}

/// The rosters of `plan` the timeline draws: those of the model staffing it, read whole
/// (a roster of a file with syntax errors is not judged, so not drawn either).
pub(super) fn rosters_of(run: &Run, plan: PlanIdx) -> Vec<&Staffing> {
    run.model
        .staffing
        .iter()
        .filter(|s| s.plan == Some(plan) && !s.incomplete)
        .collect()
}

/// The staffing view of every plan's rosters, plan by plan.
pub(super) fn view(run: &Run) -> Vec<RosterView> {
    let mut out = Vec::new();
    for (p, plan) in run.model.plans.iter().enumerate() {
        for s in rosters_of(run, p) {
            out.push(roster(run, s, &plan.id.value));
        }
    }
    out
}

fn minutes(iv: Interval) -> i64 {
    iv.duration().0.div_euclid(60)
}

fn gap(s: &Staffing, iv: Interval, what: &str) -> GapView {
    GapView {
        from: s.format_time(iv.start),
        to: s.format_time(iv.end),
        minutes: minutes(iv),
        what: what.to_string(),
    }
}

fn roster(run: &Run, s: &Staffing, plan: &str) -> RosterView {
    let positions: Vec<PositionView> = s
        .positions
        .iter()
        .enumerate()
        .map(|(pi, p)| {
            let items = s.by_position[pi].items();
            let what = match p.minimum {
                1 => "no holder".to_string(),
                n => format!("fewer than {n} holders"),
            };
            let gaps = position_gaps(s, pi);
            let mut people: Vec<usize> = items.iter().map(|&(_, k)| s.shifts[k].person).collect();
            people.sort_unstable();
            people.dedup();
            PositionView {
                id: p.name.value.clone(),
                title: p.title.clone(),
                fills: p.fills.iter().map(|f| f.value.clone()).collect(),
                continuous: p.continuous_span.is_some(),
                minimum: p.minimum,
                shifts: items.len(),
                people: people.len(),
                holders: items
                    .iter()
                    .map(|&(iv, k)| {
                        let person = &s.people[s.shifts[k].person];
                        HolderView {
                            person: person.id.value.clone(),
                            name: person.name.clone(),
                            from: s.format_time(iv.start),
                            to: s.format_time(iv.end),
                            minutes: minutes(iv),
                            trainee: Some(
                                s.qualification(s.shifts[k].person, pi, iv.start)
                                    .is_some_and(|q| q.trainee),
                            ),
                        }
                    })
                    .collect(),
                gaps: gaps.into_iter().map(|g| gap(s, g, &what)).collect(),
            }
        })
        .collect();
    let duties: Vec<DutyView> = s
        .duties
        .iter()
        .enumerate()
        .map(|(di, d)| {
            let items = s.by_duty[di].items();
            let limit = d.response.map(|r| r.value);
            let gaps = duty_gaps(s, di);
            DutyView {
                id: d.name.value.clone(),
                title: d.title.clone(),
                continuous: d.continuous_span.is_some(),
                response_minutes: limit.map(|l| l.0.div_euclid(60)),
                turns: items
                    .iter()
                    .map(|&(iv, o)| {
                        let person = &s.people[s.oncalls[o].person];
                        HolderView {
                            person: person.id.value.clone(),
                            name: person.name.clone(),
                            from: s.format_time(iv.start),
                            to: s.format_time(iv.end),
                            minutes: minutes(iv),
                            trainee: None,
                        }
                    })
                    .collect(),
                gaps: gaps
                    .into_iter()
                    .map(|g| gap(s, g, "nobody on call in time"))
                    .collect(),
            }
        })
        .collect();
    let gaps = positions.iter().map(|p| p.gaps.len()).sum::<usize>()
        + duties.iter().map(|d| d.gaps.len()).sum::<usize>();
    RosterView {
        roster: s.id.value.clone(),
        title: s.title.clone(),
        plan: plan.to_string(),
        file: crate::output::display_path(&run.sources, s.file),
        gaps,
        positions,
        duties,
    }
}
