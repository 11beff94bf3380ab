//! The people of the package, when the plan has a roster (`use roster`): for each person
//! their shifts, on-call turns and the activities they are on, for `plan.json` (`people`)
//! and `people/<person>.ics` ([`super::ics::person_calendars`]).
//!
//! The activities a person is on: those `assign`ed to them, and those done `by` a role
//! their position fills (or a group role holding it, as in the role calendars) that
//! overlap one of their shifts on that position. Per position, the activities of its roles
//! go into one interval index (`model::staffing::index`), so each shift costs
//! O((k + 1) log n) for the k activities it meets.
//!
//! A person's id becomes a file name: it must be a safe one ([`file_name_problem`]), and
//! no two people of the plan may have ids equal but for case (a case-insensitive file
//! system would merge their files): else the export is refused ([`refusals`]).

use super::{calendar_roles_of, RoleExport, TimeSpan};
use crate::model::staffing::index::IntervalIndex;
use crate::model::staffing::Staffing;
use crate::model::PlanModel;
use crate::source::Span;
use crate::time::{Interval, Notation};
use crate::workspace::Run;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The longest person id the package takes as a file name (bytes).
pub const MAX_ID_LEN: usize = 100;

#[derive(Debug, Clone, Serialize)]
pub struct PersonExport {
    pub id: String,
    pub name: Option<String>,
    /// The roster that declares the person.
    pub roster: String,
    /// `people/<id>.ics`, or `null` when the person has nothing to put in a calendar.
    pub calendar: Option<String>,
    pub shifts: Vec<ShiftExport>,
    pub on_call: Vec<OnCallExport>,
    /// The ids of the activities they are on, in the plan's order.
    pub activities: Vec<PersonActivity>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ShiftExport {
    pub position: String,
    pub position_title: Option<String>,
    /// The plan roles the position fills.
    pub fills: Vec<String>,
    #[serde(flatten)]
    pub time: TimeSpan,
}

#[derive(Debug, Clone, Serialize)]
pub struct OnCallExport {
    pub duty: String,
    pub duty_title: Option<String>,
    #[serde(flatten)]
    pub time: TimeSpan,
    /// The turn's response time, else the duty's (seconds).
    pub response_seconds: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonActivity {
    pub id: String,
    /// `assigned` (an `assign` line) or the position they hold then (`OM-DESK`).
    pub on: String,
    /// The activity's index in the export's `activities`.
    #[serde(skip)]
    pub index: usize,
}

/// Why a person id cannot be a file name, if it cannot: empty, too long, `.`/`..` or a
/// leading dot, a character other than ASCII letters, digits, `_` and `-` (so no `/`,
/// `\`, control characters), or a name Windows reserves for a device (`CON`, `NUL`,
/// `COM1`, …, any case).
pub fn file_name_problem(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("it is empty".into());
    }
    if id.len() > MAX_ID_LEN {
        return Some(format!("it is longer than {MAX_ID_LEN} bytes"));
    }
    if id.starts_with('.') || id.starts_with('-') {
        return Some("it starts with `.` or `-`".into());
    }
    if let Some(c) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
    {
        return Some(format!(
            "it holds {}, not a letter, digit, `_` or `-`",
            crate::diag::terminal_safe(&format!("`{c}`"))
        ));
    }
    let upper = id.to_ascii_uppercase();
    let reserved = matches!(upper.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((upper.starts_with("COM") || upper.starts_with("LPT"))
            && upper.len() == 4
            && upper.as_bytes()[3].is_ascii_digit());
    if reserved {
        return Some("Windows reserves it for a device".into());
    }
    None
}

/// The rosters of plan `plan` that the package exports.
fn rosters(run: &Run, plan: usize) -> Vec<&Staffing> {
    run.model
        .staffing
        .iter()
        .filter(|s| s.plan == Some(plan))
        .collect()
}

/// The reasons the people of plan `plan` cannot be exported, each at the person's
/// declaration: an id that is no safe file name, or two ids equal but for case.
pub fn refusals(run: &Run, plan: usize) -> Vec<(Span, String)> {
    let mut out = Vec::new();
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for st in rosters(run, plan) {
        for p in &st.people {
            let id = p.id.value.as_str();
            if let Some(why) = file_name_problem(id) {
                out.push((
                    p.id.span,
                    format!(
                        "person `{}` cannot name a file of the package (people/<id>.ics): \
                         {why}; rename the person",
                        crate::diag::terminal_safe(id)
                    ),
                ));
                continue;
            }
            let key = id.to_ascii_lowercase();
            if let Some(other) = seen.get(&key) {
                out.push((
                    p.id.span,
                    format!(
                        "person `{id}` and person `{other}` would share one file on a \
                         case-insensitive file system (people/<id>.ics); rename one"
                    ),
                ));
                continue;
            }
            seen.insert(key, id);
        }
    }
    out
}

/// The people of plan `plan` (every roster of the plan, in input order, people in
/// declaration order); `None` when the plan has no roster.
pub fn build(
    run: &Run,
    p: &PlanModel,
    plan: usize,
    roles: &[RoleExport],
    notation: Notation,
) -> Option<Vec<PersonExport>> {
    let rosters = rosters(run, plan);
    if rosters.is_empty() {
        return None;
    }
    // For each role, the activities (with a known time) it is on, as the role calendars.
    let mut by_role: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (ai, a) in p.activities.iter().enumerate() {
        if a.time.interval().is_none() {
            continue;
        }
        for r in &a.ast.by {
            for role in calendar_roles_of(roles, &r.value) {
                by_role.entry(role).or_default().push(ai);
            }
        }
    }
    let mut out = Vec::new();
    for st in rosters {
        // One index per position: the activities of the roles it fills.
        let index: Vec<IntervalIndex> = st
            .positions
            .iter()
            .map(|pos| {
                let acts: BTreeSet<usize> = pos
                    .fills
                    .iter()
                    .flat_map(|f| by_role.get(&f.value).into_iter().flatten().copied())
                    .collect();
                IntervalIndex::new(
                    acts.into_iter()
                        .filter_map(|ai| Some((p.activities[ai].time.interval()?, ai)))
                        .collect(),
                )
            })
            .collect();
        let mut assigned: Vec<Vec<usize>> = vec![Vec::new(); st.people.len()];
        for a in &st.assignments {
            assigned[a.person].push(a.activity);
        }
        for (pi, person) in st.people.iter().enumerate() {
            let shifts: Vec<ShiftExport> = st.person_shifts[pi]
                .iter()
                .map(|&s| {
                    let sh = &st.shifts[s];
                    let pos = &st.positions[sh.position];
                    ShiftExport {
                        position: pos.name.value.clone(),
                        position_title: pos.title.clone(),
                        fills: pos.fills.iter().map(|f| f.value.clone()).collect(),
                        time: TimeSpan::of(sh.interval, notation),
                    }
                })
                .collect();
            let mut turns: Vec<(Interval, usize)> = st
                .oncalls
                .iter()
                .enumerate()
                .filter(|(_, o)| o.person == pi)
                .map(|(i, o)| (o.interval, i))
                .collect();
            turns.sort_unstable_by_key(|&(iv, i)| (iv.start, iv.end, i));
            let on_call: Vec<OnCallExport> = turns
                .into_iter()
                .map(|(_, i)| {
                    let o = &st.oncalls[i];
                    let duty = &st.duties[o.duty];
                    OnCallExport {
                        duty: duty.name.value.clone(),
                        duty_title: duty.title.clone(),
                        time: TimeSpan::of(o.interval, notation),
                        response_seconds: o
                            .response
                            .or(duty.response.as_ref().map(|r| r.value))
                            .map(|d| d.seconds()),
                    }
                })
                .collect();
            // activity index → what puts the person on it (the first shift, or `assigned`).
            let mut on: BTreeMap<usize, String> = BTreeMap::new();
            for &ai in &assigned[pi] {
                if p.activities
                    .get(ai)
                    .is_some_and(|a| a.time.interval().is_some())
                {
                    on.insert(ai, "assigned".to_string());
                }
            }
            for &s in &st.person_shifts[pi] {
                let sh = &st.shifts[s];
                index[sh.position].first_overlapping(sh.interval, |ai| {
                    on.entry(ai)
                        .or_insert_with(|| st.positions[sh.position].name.value.clone());
                    true
                });
            }
            let activities: Vec<PersonActivity> = on
                .into_iter()
                .map(|(ai, on)| PersonActivity {
                    id: p.activities[ai].ast.id.value.clone(),
                    on,
                    index: ai,
                })
                .collect();
            let empty = shifts.is_empty() && on_call.is_empty() && activities.is_empty();
            out.push(PersonExport {
                id: person.id.value.clone(),
                name: person.name.clone(),
                roster: st.id.value.clone(),
                calendar: (!empty).then(|| format!("people/{}.ics", person.id.value)),
                shifts,
                on_call,
                activities,
            });
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_ids_are_file_names_and_the_rest_are_refused() {
        assert_eq!(file_name_problem("ADUBOIS"), None);
        assert_eq!(file_name_problem("j_roux-2"), None);
        assert!(file_name_problem("").is_some());
        assert!(file_name_problem("..").is_some());
        assert!(file_name_problem(".hidden").is_some());
        assert!(file_name_problem("-x").is_some());
        assert!(file_name_problem("a/b").is_some());
        assert!(file_name_problem("a\\b").is_some());
        assert!(file_name_problem("a\u{1b}b").unwrap().contains("\\u{1b}"));
        assert!(file_name_problem("é").is_some());
        assert!(file_name_problem("con").is_some());
        assert!(file_name_problem("Lpt9").is_some());
        assert_eq!(file_name_problem("CONSOLE"), None);
        assert_eq!(file_name_problem("COM10"), None);
        assert!(file_name_problem(&"x".repeat(MAX_ID_LEN + 1)).is_some());
        assert_eq!(file_name_problem(&"x".repeat(MAX_ID_LEN)), None);
    }
}
