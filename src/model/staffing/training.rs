//! The training link between scenarios and rosters: a scenario's trainees that are
//! people of its plan's roster, its instructor and when it was held; each person's
//! sessions as a trainee; and the qualifications that require completed training
//! (`qualified P after N scenarios`), which hold only from the end of the Nth session
//! the person completed (held, `outcome passed`, under an `instructor` who is not the
//! trainee) and not before their own `from`.
//!
//! One pass over the scenarios, one sort of each person's sessions by end, then one walk
//! of a person's sessions per qualification that requires training: O(n log n) in the
//! sessions for the usual few such qualifications per person.

use super::*;
use crate::model::{Model, RefKind, ScnIdx, Scope, UnresolvedRef};
use crate::syntax::ast::Outcome;

/// A scenario's training record, resolved against the roster of its plan.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// The roster of the scenario's plan (the first that staffs it).
    pub roster: Option<RosterIdx>,
    /// Its trainees that are people of that roster, not roles of the plan: (person,
    /// index into the scenario's `trainees`), each person once.
    pub people: Vec<(PersonIdx, usize)>,
    /// Its `instructor`, when the roster declares them.
    pub instructor: Option<PersonIdx>,
    /// Its `held` interval, when both ends are valid times and it does not end before it
    /// starts (a reversed one is a `T004`).
    pub held: Option<Interval>,
    /// Names of its `trainees` and `instructor` that resolve to nothing (reported by
    /// `S008`); trainees of a plan without a roster are roles, `R004`.
    pub unknown: Vec<UnknownName>,
    /// The plan names a roster (`use roster`) that is not among the rosters built (a file
    /// that does not parse, or is not found: reported there): its people are not known,
    /// so names that are not roles are neither resolved nor reported.
    pub roster_unread: bool,
}

/// A name of a scenario's training record that names nothing.
#[derive(Debug, Clone)]
pub struct UnknownName {
    /// `trainee` or `instructor`.
    pub what: &'static str,
    pub name: ast::Ident,
}

/// `after N scenarios` on a qualification.
#[derive(Debug, Clone)]
pub struct TrainingRequirement {
    /// N.
    pub required: u32,
    /// The number as written.
    pub span: Span,
    /// When the qualification holds by its `from` and `until` alone.
    pub declared: Interval,
    /// The end of the Nth session the person completed, when there are N.
    pub ready: Option<Time>,
}

/// A session of a scenario that a person took part in as a trainee.
#[derive(Debug, Clone)]
pub struct Session {
    pub scenario: ScnIdx,
    pub held: Interval,
    pub outcome: Option<Outcome>,
    pub instructor: Option<PersonIdx>,
}

impl Session {
    /// Whether it counts towards the trainee's training: passed, under an instructor who
    /// is not the trainee.
    pub fn completes(&self, trainee: PersonIdx) -> bool {
        self.outcome == Some(Outcome::Passed) && self.instructor.is_some_and(|i| i != trainee)
    }
}

/// A person's progress towards a qualification that requires training.
#[derive(Debug, Clone)]
pub struct Progress<'s> {
    pub person: PersonIdx,
    /// Index into the person's `quals`.
    pub qual: usize,
    pub required: u32,
    /// Every session the person took part in as a trainee, by end.
    pub sessions: &'s [Session],
    /// Those that count, by end.
    pub completed: Vec<&'s Session>,
    /// When the qualification becomes (or became) valid: the later of the end of the Nth
    /// completed session and its `from`; `None` while fewer than N are completed (or
    /// when the Nth ends after its `until`).
    pub valid_from: Option<Time>,
}

/// Resolves the scenarios' people against their plans' rosters, gives each person their
/// sessions, and dates the qualifications that require training. Runs after the
/// scenarios and the rosters are built.
pub(in crate::model) fn link(m: &mut Model) {
    let mut roster_of: HashMap<PlanIdx, RosterIdx> = HashMap::default();
    for (r, s) in m.staffing.iter_mut().enumerate() {
        s.sessions = vec![Vec::new(); s.people.len()];
        if let Some(pi) = s.plan {
            roster_of.entry(pi).or_insert(r);
        }
    }
    let Model {
        plans,
        scenarios,
        staffing,
        unresolved,
        ..
    } = m;
    for (si, sc) in scenarios.iter_mut().enumerate() {
        let Some(pi) = sc.plan else { continue };
        let plan = &plans[pi];
        let rec = &mut sc.training;
        rec.roster = roster_of.get(&pi).copied();
        rec.roster_unread = rec.roster.is_none()
            && plan
                .uses
                .iter()
                .any(|u| u.kind == crate::syntax::ast::UseKind::Roster);
        let person = |name: &str| {
            rec.roster
                .and_then(|r| staffing[r].person_index.get(name).copied())
        };
        let mut people: Vec<(PersonIdx, usize)> = Vec::new();
        let mut unknown = Vec::new();
        for (k, t) in sc.ast.trainees.iter().enumerate() {
            if plan.role_index.contains_key(&t.value) {
                continue;
            }
            match person(&t.value) {
                Some(p) => {
                    if !people.iter().any(|&(q, _)| q == p) {
                        people.push((p, k));
                    }
                }
                None if rec.roster_unread => {}
                None if rec.roster.is_none() => unresolved.push(UnresolvedRef {
                    kind: RefKind::Role,
                    name: t.clone(),
                    version: None,
                    scope: Scope::Plan(pi),
                }),
                None => unknown.push(UnknownName {
                    what: "trainee",
                    name: t.clone(),
                }),
            }
        }
        let mut instructor = None;
        if let Some(i) = &sc.ast.instructor {
            instructor = person(&i.value);
            if instructor.is_none() {
                unknown.push(UnknownName {
                    what: "instructor",
                    name: i.clone(),
                });
            }
        }
        rec.people = people;
        rec.instructor = instructor;
        rec.unknown = unknown;
        if let (Some(r), Some(held)) = (rec.roster, rec.held) {
            for &(p, _) in &rec.people {
                staffing[r].sessions[p].push(Session {
                    scenario: si,
                    held,
                    outcome: sc.ast.outcome.as_ref().map(|o| o.value),
                    instructor: rec.instructor,
                });
            }
        }
    }
    for s in staffing.iter_mut() {
        for list in &mut s.sessions {
            list.sort_by_key(|x| (x.held.end, x.scenario));
        }
        let sessions = &s.sessions;
        for (p, person) in s.people.iter_mut().enumerate() {
            for q in &mut person.quals {
                let Some(t) = &mut q.training else { continue };
                t.ready = sessions[p]
                    .iter()
                    .filter(|x| x.completes(p))
                    .nth(t.required as usize - 1)
                    .map(|x| x.held.end);
                let end = t.declared.end;
                q.valid = match t.ready {
                    Some(r) if r < end => Interval::new(t.declared.start.max(r), end),
                    // Not (yet) valid: empty, at its end.
                    _ => Interval::new(end, end),
                };
            }
        }
    }
}

impl Staffing {
    /// Each person's progress towards each qualification that requires training, by
    /// person then by qualification as declared.
    pub fn training_progress(&self) -> Vec<Progress<'_>> {
        let mut out = Vec::new();
        for (p, person) in self.people.iter().enumerate() {
            for (k, q) in person.quals.iter().enumerate() {
                let Some(t) = &q.training else { continue };
                let sessions = self.sessions.get(p).map_or(&[][..], Vec::as_slice);
                out.push(Progress {
                    person: p,
                    qual: k,
                    required: t.required,
                    sessions,
                    completed: sessions.iter().filter(|x| x.completes(p)).collect(),
                    valid_from: (t.ready.is_some() && q.valid.start < q.valid.end)
                        .then_some(q.valid.start),
                });
            }
        }
        out
    }

    /// The sessions a person completed by `t` (ended at or before it), by end.
    pub fn completed_by(&self, person: PersonIdx, t: Time) -> Vec<&Session> {
        let sessions = self.sessions.get(person).map_or(&[][..], Vec::as_slice);
        let k = sessions.partition_point(|x| x.held.end <= t);
        sessions[..k]
            .iter()
            .filter(|x| x.completes(person))
            .collect()
    }
}
