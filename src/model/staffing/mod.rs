//! The people of a 24-hour service, resolved: a roster's persons with their
//! qualifications, its positions (the plan roles they fill, when they must be held without
//! a break and by how many), its on-call duties, its shifts, on-call turns and
//! assignments, against the plan it staffs; and the indexes the staffing checks, the
//! shift sheet and the reports ask:
//!
//! - who holds a position at an instant ([`Staffing::holders_at`]), who is on call
//!   ([`Staffing::on_call_at`]): a tree of latest ends per position and duty;
//! - each person's stretches of work (shifts and assigned activities merged where they
//!   touch or overlap), their hours and nights over a range ([`Staffing::hours`],
//!   [`Staffing::nights`]): sorted lists and binary search;
//! - who is qualified for a position at an instant, and who of them is free and rested
//!   ([`Staffing::available`]): people indexed by qualification, rest by binary search
//!   over each person's stretches.
//!
//! Like the rest of the model, nothing here reports: names that do not resolve are kept
//! in [`Staffing::unresolved`] (roles and activities in the model's own list), impossible
//! intervals in [`crate::model::Model::bad_intervals`].

mod build;
pub mod index;
pub mod period;
pub mod summary;
pub mod training;
pub mod work;

pub(super) use build::build_staffing;
pub use index::IntervalIndex;
pub use training::{Session, TrainingRequirement};
pub use work::{NightPeriod, DAY, WEEK};

use super::{ActIdx, PlanIdx};
use crate::source::{FileId, Span};
use crate::syntax::ast;
use crate::time::{Dur, Interval, Notation, Time};
use rustc_hash::FxHashMap as HashMap;

/// Index of a roster in [`crate::model::Model::staffing`].
pub type RosterIdx = usize;
/// Index of a person in [`Staffing::people`].
pub type PersonIdx = usize;
/// Index of a position in [`Staffing::positions`].
pub type PositionIdx = usize;
/// Index of an on-call duty in [`Staffing::duties`].
pub type DutyIdx = usize;
/// Index of a shift in [`Staffing::shifts`].
pub type ShiftIdx = usize;

/// The help lines of the checks name at most this many people.
pub const MAX_NAMED: usize = 3;
/// [`Staffing::available`] looks at this many qualified people at most (and says so).
pub const MAX_CANDIDATES: usize = 1_000;
/// A continuous position or duty over a window is judged over at most this many of the
/// window's occurrences in the horizon (more is reported, not cut).
pub const MAX_OCCURRENCES: u64 = 1_000_000;

/// A working-time rule's value, and where the roster sets it (`None`: the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub set_at: Option<Span>,
}

impl<T> Setting<T> {
    fn default_to(value: T) -> Setting<T> {
        Setting {
            value,
            set_at: None,
        }
    }
}

/// The working-time rules of a roster: EU directive 2003/88/EC and the French labour
/// code by default, each overridable in the roster's `rules` block (docs/language.md,
/// "Rosters").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkRules {
    /// At least this much consecutive rest in the 24 hours from each start of work.
    pub daily_rest: Setting<Dur>,
    /// At least this much consecutive rest in the 7 days from each start of work.
    pub weekly_rest: Setting<Dur>,
    /// At most this long a stretch of work.
    pub max_shift: Setting<Dur>,
    /// At most this much work in a calendar week (Monday 00:00 to Monday 00:00 UTC).
    pub max_week: Setting<Dur>,
    /// At most this many night shifts in a row.
    pub max_nights: Setting<u32>,
    /// The night period.
    pub night: Setting<NightPeriod>,
    /// Consecutive holders of a continuous position overlap at least this long.
    pub handover: Setting<Dur>,
}

impl Default for WorkRules {
    fn default() -> Self {
        WorkRules {
            daily_rest: Setting::default_to(Dur(11 * 3600)),
            weekly_rest: Setting::default_to(Dur(35 * 3600)),
            max_shift: Setting::default_to(Dur(12 * 3600)),
            max_week: Setting::default_to(Dur(48 * 3600)),
            max_nights: Setting::default_to(3),
            night: Setting::default_to(NightPeriod {
                from: 21 * 3600,
                to: 6 * 3600,
            }),
            handover: Setting::default_to(Dur(15 * 60)),
        }
    }
}

/// Where a default working-time rule comes from, for messages.
pub fn rule_source(rule: &str) -> &'static str {
    match rule {
        "daily rest" => "EU directive 2003/88/EC, Art. 3; French labour code, L3131-1",
        "weekly rest" => "EU directive 2003/88/EC, Art. 5; French labour code, L3132-2",
        "max shift" => "French labour code, L3121-18: 10 h a day, 12 h by agreement",
        "max week" => "EU directive 2003/88/EC, Art. 6; French labour code, L3121-20",
        "max nights" => "the usual limit of operations rosters",
        "handover" => "control-centre practice: 15 to 30 minutes",
        _ => "",
    }
}

/// A qualification of a person for a position, or a traineeship on it.
#[derive(Debug, Clone)]
pub struct Qual {
    pub position: PositionIdx,
    /// When it holds: `from` (or ever) to `until` (or for ever).
    pub valid: Interval,
    /// A traineeship (`trainee P under I`), not a qualification.
    pub trainee: bool,
    /// The instructor of a trainee.
    pub instructor: Option<PersonIdx>,
    /// `after N scenarios`: the training it requires; `valid` then starts no earlier than
    /// the end of the Nth completed session (and is empty while fewer are completed).
    pub training: Option<TrainingRequirement>,
    /// The `qualified` or `trainee` clause.
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub id: ast::Ident,
    pub name: Option<String>,
    pub quals: Vec<Qual>,
    pub span: Span,
}

impl Person {
    /// `JDUPONT (Jeanne Dupont)`, or the id alone.
    pub fn display(&self) -> String {
        match &self.name {
            Some(n) => format!("{} ({n})", self.id.value),
            None => self.id.value.clone(),
        }
    }
}

/// Why a continuous position or duty cannot be judged (reported, never passed).
#[derive(Debug, Clone)]
pub struct Unjudged {
    pub span: Span,
    pub why: String,
}

#[derive(Debug, Clone)]
pub struct Position {
    pub name: ast::Ident,
    pub title: Option<String>,
    /// The plan roles its holders fill (those the plan declares).
    pub fills: Vec<ast::Ident>,
    /// When it must be held without a break (sorted, disjoint).
    pub required: Vec<Interval>,
    /// Parts of `continuous` that could not be resolved into time.
    pub unjudged: Vec<Unjudged>,
    /// The first `continuous` clause.
    pub continuous_span: Option<Span>,
    /// The head count while continuous.
    pub minimum: u32,
    pub trainees_alone: bool,
    pub handover: Setting<Dur>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Duty {
    pub name: ast::Ident,
    pub title: Option<String>,
    pub required: Vec<Interval>,
    pub unjudged: Vec<Unjudged>,
    pub continuous_span: Option<Span>,
    /// The longest call-out response time it accepts.
    pub response: Option<Setting<Dur>>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Shift {
    pub person: PersonIdx,
    pub position: PositionIdx,
    pub interval: Interval,
    /// The `shift` line.
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct OnCall {
    pub person: PersonIdx,
    pub duty: DutyIdx,
    pub interval: Interval,
    /// The turn's own response time (`response 20m`), else none given.
    pub response: Option<Dur>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Assignment {
    pub person: PersonIdx,
    pub activity: ActIdx,
    /// The activity's time, when known.
    pub interval: Option<Interval>,
    /// The activity's name in the `assign` line.
    pub span: Span,
}

/// What makes up a stretch of work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkItem {
    Shift(ShiftIdx),
    /// An assigned activity (an index into [`Staffing::assignments`]).
    Activity(usize),
}

/// Work without a break: shifts and assigned activities of one person that touch or
/// overlap, merged.
#[derive(Debug, Clone)]
pub struct Stretch {
    pub interval: Interval,
    /// Its parts, by start.
    pub items: Vec<WorkItem>,
    /// The nights it works (an inclusive range of night indices, see [`NightPeriod`]).
    pub nights: Option<(i64, i64)>,
}

/// A name of the roster that names nothing: what it should be, and the name.
#[derive(Debug, Clone)]
pub struct Unresolved {
    /// `person`, `position`, `duty`, `phase or window`.
    pub what: &'static str,
    pub name: ast::Ident,
}

/// One resolved roster.
#[derive(Debug, Clone)]
pub struct Staffing {
    pub id: ast::Ident,
    pub title: Option<String>,
    pub file: FileId,
    /// The plan it staffs; `None` when it names none or an unknown one.
    pub plan: Option<PlanIdx>,
    /// Read from a file with syntax errors, or staffing a plan read from one: not judged
    /// (only the syntax errors of such a file are reported).
    pub incomplete: bool,
    /// Its `plan` clause's name.
    pub plan_name: Option<ast::Ident>,
    pub notation: Notation,
    pub span: Span,
    pub rules: WorkRules,
    pub people: Vec<Person>,
    pub positions: Vec<Position>,
    pub duties: Vec<Duty>,
    pub shifts: Vec<Shift>,
    pub oncalls: Vec<OnCall>,
    pub assignments: Vec<Assignment>,
    pub person_index: HashMap<String, PersonIdx>,
    pub position_index: HashMap<String, PositionIdx>,
    pub duty_index: HashMap<String, DutyIdx>,
    /// Names of people, positions, duties, phases and windows that resolve to nothing.
    pub unresolved: Vec<Unresolved>,
    /// The shifts of each position (items: shift indices).
    pub by_position: Vec<IntervalIndex>,
    /// The on-call turns of each duty (items: indices into `oncalls`).
    pub by_duty: Vec<IntervalIndex>,
    /// The shifts of each person, by start.
    pub person_shifts: Vec<Vec<ShiftIdx>>,
    /// The shifts of each person (items: shift indices).
    pub by_person: Vec<IntervalIndex>,
    /// The stretches of work of each person, by start.
    pub stretches: Vec<Vec<Stretch>>,
    /// The qualifications and traineeships for each position: (person, index into the
    /// person's `quals`), by person.
    pub qualified: Vec<Vec<(PersonIdx, usize)>>,
    /// The training sessions each person took part in as a trainee (scenarios of the
    /// roster's plan with `held`), by end.
    pub sessions: Vec<Vec<Session>>,
}

impl Staffing {
    pub fn format_time(&self, t: Time) -> String {
        t.format(self.notation)
    }

    pub fn format_interval(&self, iv: Interval) -> String {
        iv.format(self.notation)
    }

    /// Who holds a position at `t` (`start <= t < end`): (person, shift), by shift start.
    pub fn holders_at(&self, position: PositionIdx, t: Time) -> Vec<(PersonIdx, ShiftIdx)> {
        self.by_position[position]
            .running_at(t)
            .into_iter()
            .map(|s| (self.shifts[s].person, s))
            .collect()
    }

    /// Who is on call for a duty at `t`: (person, index into `oncalls`).
    pub fn on_call_at(&self, duty: DutyIdx, t: Time) -> Vec<(PersonIdx, usize)> {
        self.by_duty[duty]
            .running_at(t)
            .into_iter()
            .map(|o| (self.oncalls[o].person, o))
            .collect()
    }

    /// The person's stretches of work as intervals.
    pub fn work(&self, person: PersonIdx) -> Vec<Interval> {
        self.stretches[person].iter().map(|s| s.interval).collect()
    }

    /// The stretch of the person's work that overlaps `iv` first, if any (binary search).
    pub fn work_in(&self, person: PersonIdx, iv: Interval) -> Option<&Stretch> {
        let s = &self.stretches[person];
        let k = s.partition_point(|x| x.interval.end <= iv.start);
        s.get(k).filter(|x| x.interval.start < iv.end)
    }

    /// The time the person works inside `range`.
    pub fn hours(&self, person: PersonIdx, range: Interval) -> Dur {
        let s = &self.stretches[person];
        let mut k = s.partition_point(|x| x.interval.end <= range.start);
        let mut total = 0;
        while let Some(x) = s.get(k) {
            if x.interval.start >= range.end {
                break;
            }
            total += x.interval.end.min(range.end).0 - x.interval.start.max(range.start).0;
            k += 1;
        }
        Dur(total)
    }

    /// How many nights the person works among those that start inside `range`.
    pub fn nights(&self, person: PersonIdx, range: Interval) -> i64 {
        let night = self.rules.night.value;
        // The first night that starts at or after an instant.
        let first_from = |t: Time| -(night.from - t.0).div_euclid(DAY);
        let (lo, hi) = (first_from(range.start), first_from(range.end));
        let mut count = 0;
        let mut last = i64::MIN;
        for s in &self.stretches[person] {
            let Some((a, b)) = s.nights else { continue };
            let (a, b) = (a.max(lo).max(last + 1), b.min(hi - 1));
            if a <= b {
                count += b - a + 1;
                last = b;
            }
        }
        count
    }

    /// The person's qualification (or, failing one, traineeship) for a position at `t`.
    pub fn qualification(
        &self,
        person: PersonIdx,
        position: PositionIdx,
        t: Time,
    ) -> Option<&Qual> {
        let quals = &self.people[person].quals;
        let at = |q: &&Qual| q.position == position && q.valid.start <= t && t < q.valid.end;
        quals
            .iter()
            .filter(at)
            .find(|q| !q.trainee)
            .or_else(|| quals.iter().find(at))
    }

    /// True when the person does no work in `iv`, nor within the daily rest before and
    /// after it (taking `iv` on would keep their daily rest whole).
    pub fn is_rested(&self, person: PersonIdx, iv: Interval) -> bool {
        let rest = self.rules.daily_rest.value.0;
        let around = Interval::new(
            Time(iv.start.0.saturating_sub(rest)),
            Time(iv.end.0.saturating_add(rest)),
        );
        self.work_in(person, around).is_none()
    }

    /// The people qualified (not trainees) for a position at `iv`'s start, free and rested
    /// over `iv` ([`Staffing::is_rested`]), other than `except`: at most [`MAX_NAMED`]
    /// names, by id, and whether there are more. At most [`MAX_CANDIDATES`] qualified
    /// people are looked at (the third value says when the list was cut there).
    pub fn available(
        &self,
        position: PositionIdx,
        iv: Interval,
        except: &[PersonIdx],
    ) -> (Vec<PersonIdx>, bool, bool) {
        let mut found: Vec<PersonIdx> = Vec::new();
        let mut more = false;
        let mut seen = 0;
        let mut last = usize::MAX;
        for &(p, q) in &self.qualified[position] {
            if p == last {
                continue;
            }
            let qual = &self.people[p].quals[q];
            if qual.trainee || qual.valid.start > iv.start || iv.start >= qual.valid.end {
                continue;
            }
            last = p;
            if seen == MAX_CANDIDATES {
                return (found, more, true);
            }
            seen += 1;
            if except.contains(&p) || !self.is_rested(p, iv) {
                continue;
            }
            if found.len() == MAX_NAMED {
                more = true;
                continue;
            }
            found.push(p);
        }
        (found, more, false)
    }

    /// "qualified for OM-DESK and rested then: A, B and others", for a help line; `None`
    /// when nobody is.
    pub fn available_text(
        &self,
        position: PositionIdx,
        iv: Interval,
        except: &[PersonIdx],
    ) -> Option<String> {
        let (found, more, cut) = self.available(position, iv, except);
        if found.is_empty() {
            return None;
        }
        let mut names: Vec<String> = found.iter().map(|&p| self.people[p].display()).collect();
        if more {
            names.push("others".to_string());
        }
        let list = match names.as_slice() {
            [one] => one.clone(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
            [] => String::new(),
        };
        let cut = if cut {
            format!(" (among the first {MAX_CANDIDATES} qualified)")
        } else {
            String::new()
        };
        Some(format!(
            "qualified for {}, free and rested then{cut}: {list}",
            self.positions[position].name.value
        ))
    }

    /// The positions that fill a role.
    pub fn positions_filling(&self, role: &str) -> Vec<PositionIdx> {
        self.positions
            .iter()
            .enumerate()
            .filter(|(_, p)| p.fills.iter().any(|f| f.value == role))
            .map(|(i, _)| i)
            .collect()
    }
}
