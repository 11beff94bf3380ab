//! The people on a shift sheet, when the plan has a roster (`use roster`): who holds each
//! position at the sheet's start and who takes over during it, the gaps of the positions
//! and duties that must be held without a break (said plainly: "unstaffed until …"), who
//! is on call for each duty with the response time, and for each activity of the sheet
//! the people on shift in a position filling the role.
//!
//! Reads the resolved rosters (`model::staffing`): holders and turns by their interval
//! indexes, gaps by one sweep per position (`work::below`, O(n log n)) then a binary search.

use crate::model::staffing::{work, DutyIdx, PositionIdx, Staffing};
use crate::model::{PlanIdx, PlanModel};
use crate::time::{Interval, Time};
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

/// At most this many take-overs and gaps are listed per position or duty; the rest counted.
pub const MAX_LISTED: usize = 20;

/// The staffing of one roster of the plan at the sheet's start and during the sheet.
#[derive(Debug, Clone, Serialize)]
pub struct StaffingView {
    pub roster: String,
    pub title: Option<String>,
    /// The roster's file, as given.
    pub file: String,
    /// Set when the roster has errors that keep it from being read whole.
    pub note: Option<String>,
    pub positions: Vec<PositionView>,
    pub duties: Vec<DutyView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PositionView {
    pub name: String,
    pub title: Option<String>,
    /// The plan roles its holders fill.
    pub fills: Vec<String>,
    /// It must be held without a break at the sheet's start.
    pub continuous_now: bool,
    /// The head count while continuous.
    pub minimum: u32,
    /// Who holds it at the sheet's start, by shift start.
    pub holders: Vec<Holder>,
    /// Who starts a shift on it during the sheet, by start.
    pub next: Vec<Holder>,
    pub next_more: usize,
    /// "unstaffed until …" (or "1 of 2 until …") when it is short at the sheet's start.
    pub gap: Option<String>,
    /// The times it is short that start later in the sheet.
    pub gaps: Vec<Gap>,
    pub gaps_more: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Holder {
    pub person: String,
    pub name: Option<String>,
    pub from: String,
    pub until: String,
    /// "trainee under X", "not qualified": set when the person holds it without a
    /// qualification valid at the shift's start.
    pub status: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DutyView {
    pub name: String,
    pub title: Option<String>,
    /// It must be covered without a break at the sheet's start.
    pub continuous_now: bool,
    /// The duty's longest call-out response time.
    pub response: Option<String>,
    pub on_call: Vec<Turn>,
    pub next: Vec<Turn>,
    pub next_more: usize,
    pub gap: Option<String>,
    pub gaps: Vec<Gap>,
    pub gaps_more: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Turn {
    pub person: String,
    pub name: Option<String>,
    pub from: String,
    pub until: String,
    /// The turn's response time, else the duty's.
    pub response: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Gap {
    pub start: String,
    pub end: String,
    pub duration: String,
    /// "unstaffed from … until … (2h)".
    pub text: String,
}

/// The rosters staffing plan `plan`, in input order.
pub fn rosters_of(staffing: &[Staffing], plan: PlanIdx) -> Vec<&Staffing> {
    staffing.iter().filter(|s| s.plan == Some(plan)).collect()
}

/// The staffing view of one roster over the sheet's shift: every position, or with
/// `--role` those filling a role asked for (`wanted`); every duty.
pub fn view(
    st: &Staffing,
    plan: &PlanModel,
    file: String,
    shift: Interval,
    filtered: bool,
    wanted: &dyn Fn(&str) -> bool,
) -> StaffingView {
    let fmt = |t: Time| plan.format_time(t);
    let positions = (0..st.positions.len())
        .filter(|&p| !filtered || st.positions[p].fills.iter().any(|f| wanted(&f.value)))
        .map(|p| position_view(st, p, shift, &fmt))
        .collect();
    let duties = (0..st.duties.len())
        .map(|d| duty_view(st, d, shift, &fmt))
        .collect();
    StaffingView {
        roster: st.id.value.clone(),
        title: st.title.clone(),
        file,
        note: st.incomplete.then(|| {
            "the roster has syntax errors: it was not read whole and may miss shifts; run \
             `opsplan check`"
                .to_string()
        }),
        positions,
        duties,
    }
}

/// The parts of `required` covered by fewer than `minimum` of `held`, as (gap at the
/// shift's start, later gaps starting inside the shift, how many more).
fn gaps_of(
    held: &[Interval],
    required: &[Interval],
    minimum: u32,
    shift: Interval,
) -> (Option<Interval>, Vec<Interval>, usize) {
    let below = work::below(held, required, minimum);
    let k = below.partition_point(|g| g.end <= shift.start);
    let now = below.get(k).filter(|g| g.start <= shift.start).copied();
    let first_later = if now.is_some() { k + 1 } else { k };
    let later: Vec<Interval> = below[first_later.min(below.len())..]
        .iter()
        .take_while(|g| g.start < shift.end)
        .copied()
        .collect();
    let more = later.len().saturating_sub(MAX_LISTED);
    (now, later.into_iter().take(MAX_LISTED).collect(), more)
}

fn gap_views(gaps: Vec<Interval>, word: &str, fmt: &impl Fn(Time) -> String) -> Vec<Gap> {
    gaps.into_iter()
        .map(|g| Gap {
            start: fmt(g.start),
            end: fmt(g.end),
            duration: g.duration().to_string(),
            text: format!(
                "{word} from {} until {} ({})",
                fmt(g.start),
                fmt(g.end),
                g.duration()
            ),
        })
        .collect()
}

fn required_at(required: &[Interval], t: Time) -> bool {
    let k = required.partition_point(|r| r.end <= t);
    required.get(k).is_some_and(|r| r.start <= t)
}

fn position_view(
    st: &Staffing,
    p: PositionIdx,
    shift: Interval,
    fmt: &impl Fn(Time) -> String,
) -> PositionView {
    let pos = &st.positions[p];
    let holder = |s: usize| {
        let sh = &st.shifts[s];
        let person = &st.people[sh.person];
        let at = sh.interval.start.max(shift.start);
        let status = match st.qualification(sh.person, p, at) {
            Some(q) if !q.trainee => None,
            Some(q) => Some(match q.instructor {
                Some(i) => format!("trainee under {}", st.people[i].id.value),
                None => "trainee".to_string(),
            }),
            None => Some("not qualified".to_string()),
        };
        Holder {
            person: person.id.value.clone(),
            name: person.name.clone(),
            from: fmt(sh.interval.start),
            until: fmt(sh.interval.end),
            status,
        }
    };
    let holders: Vec<Holder> = st
        .holders_at(p, shift.start)
        .into_iter()
        .map(|(_, s)| holder(s))
        .collect();
    let items = st.by_position[p].items();
    let (next, next_more) = starting_in(items, shift);
    let next = next.into_iter().map(holder).collect();
    let held: Vec<Interval> = items.iter().map(|&(iv, _)| iv).collect();
    let minimum = pos.minimum.max(1);
    let (now, later, gaps_more) = gaps_of(&held, &pos.required, minimum, shift);
    let gap = now.map(|g| {
        let count = holders.len();
        let what = if count == 0 {
            "UNSTAFFED".to_string()
        } else {
            format!("UNDERSTAFFED ({count} of {minimum})")
        };
        format!(
            "{what} until {} ({} left)",
            fmt(g.end),
            g.end.since(shift.start)
        )
    });
    let word = if minimum > 1 {
        "understaffed"
    } else {
        "unstaffed"
    };
    PositionView {
        name: pos.name.value.clone(),
        title: pos.title.clone(),
        fills: pos.fills.iter().map(|f| f.value.clone()).collect(),
        continuous_now: required_at(&pos.required, shift.start),
        minimum,
        holders,
        next,
        next_more,
        gap,
        gaps: gap_views(later, word, fmt),
        gaps_more,
    }
}

/// The items of an index that start inside the shift, after its start: at most
/// [`MAX_LISTED`], and how many more.
fn starting_in(items: &[(Interval, usize)], shift: Interval) -> (Vec<usize>, usize) {
    let k = items.partition_point(|(iv, _)| iv.start <= shift.start);
    let all: Vec<usize> = items[k..]
        .iter()
        .take_while(|(iv, _)| iv.start < shift.end)
        .map(|&(_, i)| i)
        .collect();
    let more = all.len().saturating_sub(MAX_LISTED);
    (all.into_iter().take(MAX_LISTED).collect(), more)
}

fn duty_view(
    st: &Staffing,
    d: DutyIdx,
    shift: Interval,
    fmt: &impl Fn(Time) -> String,
) -> DutyView {
    let duty = &st.duties[d];
    let default = duty.response.as_ref().map(|r| r.value);
    let turn = |o: usize| {
        let oc = &st.oncalls[o];
        let person = &st.people[oc.person];
        Turn {
            person: person.id.value.clone(),
            name: person.name.clone(),
            from: fmt(oc.interval.start),
            until: fmt(oc.interval.end),
            response: oc.response.or(default).map(|r| r.to_string()),
        }
    };
    let on_call = st
        .on_call_at(d, shift.start)
        .into_iter()
        .map(|(_, o)| turn(o))
        .collect();
    let items = st.by_duty[d].items();
    let (next, next_more) = starting_in(items, shift);
    let held: Vec<Interval> = items.iter().map(|&(iv, _)| iv).collect();
    let (now, later, gaps_more) = gaps_of(&held, &duty.required, 1, shift);
    DutyView {
        name: duty.name.value.clone(),
        title: duty.title.clone(),
        continuous_now: required_at(&duty.required, shift.start),
        response: default.map(|r| r.to_string()),
        on_call,
        next: next.into_iter().map(turn).collect(),
        next_more,
        gap: now.map(|g| {
            format!(
                "NOBODY ON CALL until {} ({} left)",
                fmt(g.end),
                g.end.since(shift.start)
            )
        }),
        gaps: gap_views(later, "nobody on call", fmt),
        gaps_more,
    }
}

/// Who is on shift for a role at an instant, per role asked (cached): "ADUBOIS (Anne
/// Dubois) on OM-DESK", by position then shift start.
pub struct OnShift<'a> {
    rosters: Vec<&'a Staffing>,
    positions: HashMap<String, Vec<(usize, PositionIdx)>>,
}

impl<'a> OnShift<'a> {
    pub fn new(rosters: Vec<&'a Staffing>) -> OnShift<'a> {
        OnShift {
            rosters,
            positions: HashMap::default(),
        }
    }

    /// `None` when no position of the plan's rosters fills the role (or there is no
    /// roster): the rosters do not staff it. Empty: nobody holds such a position at `t`.
    pub fn people(&mut self, role: &str, t: Time) -> Option<Vec<String>> {
        if self.rosters.is_empty() {
            return None;
        }
        let rosters = &self.rosters;
        let positions = self.positions.entry(role.to_string()).or_insert_with(|| {
            rosters
                .iter()
                .enumerate()
                .flat_map(|(r, st)| st.positions_filling(role).into_iter().map(move |p| (r, p)))
                .collect()
        });
        if positions.is_empty() {
            return None;
        }
        let mut out = Vec::new();
        for &(r, p) in positions.iter() {
            let st = rosters[r];
            for (person, _) in st.holders_at(p, t) {
                let status = match st.qualification(person, p, t) {
                    Some(q) if !q.trainee => "",
                    Some(_) => " (trainee)",
                    None => " (not qualified)",
                };
                out.push(format!(
                    "{} on {}{status}",
                    st.people[person].display(),
                    st.positions[p].name.value
                ));
            }
        }
        Some(out)
    }
}
