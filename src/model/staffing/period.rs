//! The rosters of several plans over one range of time (the monthly report's month):
//! which part of the range each roster speaks for, the parts no roster covers, and over
//! the covered parts each person's hours, nights and on-call hours, each position's
//! hours, and the qualifications gained or ended in the range.
//!
//! A roster speaks for its plan's horizon (its shifts and turns when the plan has none);
//! where two rosters' horizons overlap, the earlier one speaks for the overlap, so no
//! hour is counted twice. People and positions are matched across rosters by id. Hours
//! and nights are [`Staffing::hours`] and [`Staffing::nights`] over each roster's part;
//! everything is a sort and a walk (O(n log n)).

use super::summary;
use crate::model::{Model, PlanIdx};
use crate::time::{merge_intervals, Dur, Interval, Time};
use std::collections::BTreeMap;

/// The part of the range a roster speaks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Index into [`Model::staffing`].
    pub roster: usize,
    pub plan: PlanIdx,
    /// Sorted, disjoint, inside the range.
    pub intervals: Vec<Interval>,
}

/// A person's totals over the covered parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonTotals {
    pub id: String,
    /// The name the first roster gives (none: the id alone).
    pub name: Option<String>,
    pub worked: Dur,
    /// Nights worked among those that start in the covered parts.
    pub nights: i64,
    /// Time on call (turns of any duty merged).
    pub on_call: Dur,
    /// Shifts that start in the covered parts (or run into the range from before it).
    pub shifts: usize,
}

/// A position's totals over the covered parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PositionTotals {
    pub name: String,
    pub title: Option<String>,
    /// Person-hours of its shifts.
    pub worked: Dur,
    pub shifts: usize,
}

/// A qualification gained or ended inside the range.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct QualChange {
    /// The first instant it holds (gained) or no longer holds (ended).
    pub at: Time,
    pub person: String,
    pub position: String,
    /// It ended (else it was gained).
    pub ended: bool,
    pub trainee: bool,
}

/// The rosters over a range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub range: Interval,
    /// By the start of their first interval.
    pub parts: Vec<Part>,
    /// The parts of the range no roster covers (sorted, disjoint).
    pub unknown: Vec<Interval>,
    /// The plans whose horizon overlaps the range that no roster staffs (in model order).
    pub plans_without_roster: Vec<PlanIdx>,
    /// The rosters of the plans read from a file with syntax errors (or staffing a plan
    /// read from one): not counted, their days unknown (in model order).
    pub incomplete: Vec<usize>,
    /// By id.
    pub people: Vec<PersonTotals>,
    /// By name.
    pub positions: Vec<PositionTotals>,
    /// By time, person, position.
    pub quals: Vec<QualChange>,
}

impl Period {
    /// The covered parts of the range, merged.
    pub fn known(&self) -> Vec<Interval> {
        merge_intervals(
            self.parts
                .iter()
                .flat_map(|p| p.intervals.iter().copied())
                .collect(),
        )
    }

    /// The roster that speaks for instant `t`, if any (binary search per part).
    pub fn roster_at(&self, t: Time) -> Option<usize> {
        self.parts.iter().find_map(|p| {
            let k = p.intervals.partition_point(|x| x.end <= t);
            p.intervals
                .get(k)
                .filter(|x| x.start <= t)
                .map(|_| p.roster)
        })
    }
}

/// The rosters of `plans` (those with a plan among them, read without syntax errors)
/// over `range`.
pub fn over(model: &Model, plans: &[PlanIdx], range: Interval) -> Period {
    let mut wanted = vec![false; model.plans.len()];
    for &p in plans {
        wanted[p] = true;
    }
    // Each roster's claim: its plan's horizon, else its own span, clipped to the range.
    let mut claims: Vec<(Interval, usize, PlanIdx)> = model
        .staffing
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.incomplete)
        .filter_map(|(r, s)| {
            let plan = s.plan.filter(|&p| wanted[p])?;
            let whole = model.plans[plan].horizon.or_else(|| summary::span(s))?;
            let iv = Interval::new(whole.start.max(range.start), whole.end.min(range.end));
            (iv.start < iv.end).then_some((iv, r, plan))
        })
        .collect();
    claims.sort_by_key(|(iv, r, _)| (iv.start, *r));
    // Earlier claims win their overlaps: each claim minus the union before it.
    let mut taken: Vec<Interval> = Vec::new();
    let mut parts: Vec<Part> = Vec::new();
    for (iv, roster, plan) in claims {
        let mut free = Vec::new();
        let mut at = iv.start;
        let k = taken.partition_point(|t| t.end <= iv.start);
        for t in taken[k..].iter().take_while(|t| t.start < iv.end) {
            if t.start > at {
                free.push(Interval::new(at, t.start));
            }
            at = at.max(t.end);
        }
        if at < iv.end {
            free.push(Interval::new(at, iv.end));
        }
        // Claims come by start: the new one merges into the end of the list.
        match taken.last_mut() {
            Some(last) if iv.start <= last.end => last.end = last.end.max(iv.end),
            _ => taken.push(iv),
        }
        if !free.is_empty() {
            parts.push(Part {
                roster,
                plan,
                intervals: free,
            });
        }
    }
    let mut unknown = Vec::new();
    let mut at = range.start;
    for t in &taken {
        if t.start > at {
            unknown.push(Interval::new(at, t.start));
        }
        at = at.max(t.end);
    }
    if at < range.end {
        unknown.push(Interval::new(at, range.end));
    }
    let mut staffed = vec![false; model.plans.len()];
    for p in model.staffing.iter().filter_map(|s| s.plan) {
        staffed[p] = true;
    }
    let plans_without_roster = plans
        .iter()
        .copied()
        .filter(|&p| !staffed[p])
        .filter(|&p| {
            model.plans[p]
                .horizon
                .is_none_or(|h| h.start < range.end && range.start < h.end)
        })
        .collect();

    let incomplete = model
        .staffing
        .iter()
        .enumerate()
        .filter(|(_, s)| s.incomplete && s.plan.is_some_and(|p| wanted[p]))
        .map(|(r, _)| r)
        .collect();
    let mut people: BTreeMap<String, PersonTotals> = BTreeMap::new();
    let mut positions: BTreeMap<String, PositionTotals> = BTreeMap::new();
    let mut quals: Vec<QualChange> = Vec::new();
    for part in &parts {
        let s = &model.staffing[part.roster];
        for (p, person) in s.people.iter().enumerate() {
            let t = people
                .entry(person.id.value.clone())
                .or_insert_with(|| PersonTotals {
                    id: person.id.value.clone(),
                    name: person.name.clone(),
                    worked: Dur::ZERO,
                    nights: 0,
                    on_call: Dur::ZERO,
                    shifts: 0,
                });
            for &iv in &part.intervals {
                t.worked = Dur(t.worked.0 + s.hours(p, iv).0);
                t.nights += s.nights(p, iv);
            }
        }
        // Shifts per person and per position, clipped to the part.
        for shift in &s.shifts {
            let held = clipped(&part.intervals, shift.interval);
            if held.0 <= 0 {
                continue;
            }
            // A shift is counted once, by the part holding its start (clipped to the
            // range); its hours by every part it runs in.
            let first = shift.interval.start.max(range.start);
            let counted = part
                .intervals
                .iter()
                .any(|x| x.start <= first && first < x.end);
            if counted {
                if let Some(t) = people.get_mut(&s.people[shift.person].id.value) {
                    t.shifts += 1;
                }
            }
            let pos = &s.positions[shift.position];
            let t = positions
                .entry(pos.name.value.clone())
                .or_insert_with(|| PositionTotals {
                    name: pos.name.value.clone(),
                    title: pos.title.clone(),
                    worked: Dur::ZERO,
                    shifts: 0,
                });
            t.worked = Dur(t.worked.0 + held.0);
            t.shifts += usize::from(counted);
        }
        // On call: each person's turns merged, clipped to the part.
        let mut turns: Vec<Vec<Interval>> = vec![Vec::new(); s.people.len()];
        for o in &s.oncalls {
            turns[o.person].push(o.interval);
        }
        for (p, list) in turns.into_iter().enumerate() {
            let total: i64 = merge_intervals(list)
                .into_iter()
                .map(|iv| clipped(&part.intervals, iv).0)
                .sum();
            if let Some(t) = people.get_mut(&s.people[p].id.value) {
                t.on_call = Dur(t.on_call.0 + total);
            }
        }
    }
    // Qualifications: read from every roster of the plans (a qualification's dates are
    // the person's, whatever part of the range the roster speaks for), each once.
    for part in &parts {
        let s = &model.staffing[part.roster];
        for person in &s.people {
            for q in &person.quals {
                let position = s.positions[q.position].name.value.clone();
                let mut push = |at: Time, ended: bool| {
                    quals.push(QualChange {
                        at,
                        person: person.id.value.clone(),
                        position: position.clone(),
                        ended,
                        trainee: q.trainee,
                    })
                };
                if range.start <= q.valid.start && q.valid.start < range.end {
                    push(q.valid.start, false);
                }
                // Ended in the range: its last instant inside it.
                if range.start < q.valid.end && q.valid.end <= range.end {
                    push(q.valid.end, true);
                }
            }
        }
    }
    quals.sort();
    quals.dedup();
    Period {
        range,
        parts,
        unknown,
        plans_without_roster,
        incomplete,
        people: people.into_values().collect(),
        positions: positions.into_values().collect(),
        quals,
    }
}

/// The time `iv` spends inside `set` (sorted, disjoint).
fn clipped(set: &[Interval], iv: Interval) -> Dur {
    let k = set.partition_point(|x| x.end <= iv.start);
    Dur(set[k..]
        .iter()
        .take_while(|x| x.start < iv.end)
        .map(|x| (x.end.min(iv.end).0 - x.start.max(iv.start).0).max(0))
        .sum())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(a: i64, b: i64) -> Interval {
        Interval::new(Time(a), Time(b))
    }

    #[test]
    fn time_inside_a_set_is_clipped() {
        let set = [iv(0, 10), iv(20, 30)];
        assert_eq!(clipped(&set, iv(5, 25)), Dur(10));
        assert_eq!(clipped(&set, iv(10, 20)), Dur(0));
        assert_eq!(clipped(&set, iv(-5, 100)), Dur(20));
    }

    fn model(texts: &[&str]) -> Model {
        let asts = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let (ast, diags) = crate::syntax::parse(crate::source::FileId(i as u32), t);
                assert!(diags.is_empty(), "{diags:#?}");
                ast
            })
            .collect();
        Model::build(asts)
    }

    const PLANS: &str = r#"
        plan W1 { horizon 2014/272 00:00 .. 2014/276 00:00  roles OM }
        plan W2 { horizon 2014/275 00:00 .. 2014/280 00:00  roles OM }
        plan W3 { horizon 2014/280 00:00 .. 2014/282 00:00  roles OM }
    "#;

    const R1: &str = r#"
        roster R1 {
          plan W1
          position OM-DESK "Operations Manager console" { fills OM }
          duty ONCALL { response 30m }
          person ADUBOIS "Anne Dubois" { qualified OM-DESK until 2014/275 }
          person BMOREAU { qualified OM-DESK from 2014/273 }
          shift ADUBOIS OM-DESK 2014/273 22:00 .. 2014/274 06:00
          shift BMOREAU OM-DESK 2014/275 20:00 .. 2014/276 04:00
          oncall ADUBOIS ONCALL 2014/274 00:00 .. 2014/276 00:00
        }
    "#;

    const R2: &str = r#"
        roster R2 {
          plan W2
          position OM-DESK { fills OM }
          person BMOREAU "Bruno Moreau" { qualified OM-DESK from 2014/273 }
          shift BMOREAU OM-DESK 2014/275 20:00 .. 2014/276 04:00
          shift BMOREAU OM-DESK 2014/277 06:00 .. 2014/277 14:00
        }
    "#;

    #[test]
    fn each_part_of_the_range_is_counted_by_one_roster() {
        let m = model(&[PLANS, R1, R2]);
        let t = |text: &str| crate::monthly::parse_time(text).expect("time");
        // October 2014 from its first day: GMT 274 to 305.
        let range = Interval::new(t("2014-10-01"), t("2014-11-01"));
        let p = over(&m, &[0, 1, 2], range);
        assert_eq!(p.parts.len(), 2);
        // R1 speaks for 274-276, R2 for 276-280 (its overlap with W1 is R1's).
        assert_eq!(
            p.parts[0].intervals,
            vec![Interval::new(range.start, t("2014/276"))]
        );
        assert_eq!(
            p.parts[1].intervals,
            vec![Interval::new(t("2014/276"), t("2014/280"))]
        );
        assert_eq!(p.unknown, vec![Interval::new(t("2014/280"), range.end)]);
        assert_eq!(p.plans_without_roster, vec![2]);
        assert_eq!(p.roster_at(t("2014/277 10:00")), Some(1));
        assert_eq!(p.roster_at(t("2014/281 10:00")), None);
        let ids: Vec<&str> = p.people.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, ["ADUBOIS", "BMOREAU"]);
        let h = |d: Dur| d.0 / 3600;
        // ADUBOIS: 274 00:00-06:00 of her night shift (the rest is September's).
        assert_eq!(h(p.people[0].worked), 6);
        assert_eq!(p.people[0].nights, 0, "the night started on 273");
        assert_eq!(h(p.people[0].on_call), 48);
        assert_eq!(p.people[0].name.as_deref(), Some("Anne Dubois"));
        // BMOREAU: 275 20:00 - 276 04:00 once (R1's, not R2's copy), 277 06:00-14:00.
        assert_eq!(h(p.people[1].worked), 16);
        assert_eq!(p.people[1].nights, 1);
        assert_eq!(p.people[1].shifts, 2);
        assert_eq!(p.positions.len(), 1);
        assert_eq!(h(p.positions[0].worked), 22);
        assert_eq!(
            p.positions[0].shifts, 3,
            "R2's copy of the shift is not counted"
        );
        // ADUBOIS's qualification ends after 2014/275; BMOREAU's began on 273, in
        // September.
        assert_eq!(
            p.quals,
            vec![QualChange {
                at: t("2014/276"),
                person: "ADUBOIS".into(),
                position: "OM-DESK".into(),
                ended: true,
                trainee: false,
            }]
        );
    }
}
