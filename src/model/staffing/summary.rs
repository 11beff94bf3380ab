//! What a roster amounts to over a range of time, for `opsplan report staffing`: the
//! coverage of each position and on-call duty day by day (the time it must be held, the
//! time it is held to its head count, the gaps), each person's hours and nights (per
//! calendar week too), their shortest daily and weekly rest, and the qualifications that
//! end by a date. Pure values over the resolved [`Staffing`]; each a sort and a sweep
//! (O(n log n)), never a pair of loops over the same list.

use super::work::{below, longest_rests, night_runs, week_hours, week_of, week_start};
use super::{Staffing, DAY, WEEK};
use crate::time::{merge_intervals, Dur, Interval, Time};

/// What is covered: a position or an on-call duty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Post {
    Position(usize),
    Duty(usize),
}

/// One post on one calendar day (UTC, clipped to the range).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayCoverage {
    /// The day, clipped to the range.
    pub day: Interval,
    /// The time the post must be held (its `continuous` time) in the day.
    pub required: Dur,
    /// The part of `required` held to the head count.
    pub covered: Dur,
    /// The time anyone holds the post in the day (required or not).
    pub held: Dur,
    /// The parts of `required` below the head count, clipped to the day.
    pub gaps: Vec<Interval>,
}

/// The coverage of a post over `range`, one entry per calendar day the range touches.
/// The gaps are those of the W002/W013 checks: the required time where fewer than the
/// head count hold the post (a duty's head count is one, and a turn slower to answer than
/// the duty's `response` does not count).
pub fn coverage(s: &Staffing, post: Post, range: Interval) -> Vec<DayCoverage> {
    let (required, index, minimum) = match post {
        Post::Position(p) => (
            &s.positions[p].required,
            &s.by_position[p],
            s.positions[p].minimum,
        ),
        Post::Duty(d) => (&s.duties[d].required, &s.by_duty[d], 1),
    };
    let required = clip(required, range);
    let held: Vec<Interval> = index.items().iter().map(|(iv, _)| *iv).collect();
    // An on-call turn slower to answer than its duty asks does not count (as W013).
    let counted: Vec<Interval> = match post {
        Post::Position(_) => held.clone(),
        Post::Duty(d) => index
            .items()
            .iter()
            .filter(|(_, o)| answers_in_time(s, d, *o))
            .map(|(iv, _)| *iv)
            .collect(),
    };
    let gaps = below(&counted, &required, minimum);
    let held = clip(&merge_intervals(held), range);
    let mut out = Vec::new();
    let (mut r, mut g, mut h) = (0, 0, 0);
    for day in days(range) {
        let (required_in, r_next) = overlap_in(&required, r, day);
        let (held_in, h_next) = overlap_in(&held, h, day);
        let mut day_gaps = Vec::new();
        let mut k = g;
        while let Some(gap) = gaps.get(k) {
            if gap.start >= day.end {
                break;
            }
            let part = Interval::new(gap.start.max(day.start), gap.end.min(day.end));
            if part.start < part.end {
                day_gaps.push(part);
            }
            k += 1;
        }
        let missing: i64 = day_gaps.iter().map(|x| x.duration().0).sum();
        out.push(DayCoverage {
            day,
            required: required_in,
            covered: Dur(required_in.0 - missing),
            held: held_in,
            gaps: day_gaps,
        });
        // Intervals ending inside the day are done; one reaching past it is seen again.
        r = r_next;
        h = h_next;
        while gaps.get(g).is_some_and(|x| x.end <= day.end) {
            g += 1;
        }
    }
    out
}

/// Whether on-call turn `o` of duty `d` answers within the duty's response time (a turn
/// or a duty without one does).
pub fn answers_in_time(s: &Staffing, d: usize, o: usize) -> bool {
    match (s.oncalls[o].response, s.duties[d].response.as_ref()) {
        (Some(r), Some(limit)) => r <= limit.value,
        _ => true,
    }
}

/// The calendar days (UTC) `range` touches, each clipped to it.
pub fn days(range: Interval) -> Vec<Interval> {
    let mut out = Vec::new();
    let mut at = range.start;
    while at < range.end {
        let next = Time((at.0.div_euclid(DAY) + 1) * DAY).min(range.end);
        out.push(Interval::new(at, next));
        at = next;
    }
    out
}

/// `set` (sorted, disjoint) clipped to `range`.
fn clip(set: &[Interval], range: Interval) -> Vec<Interval> {
    let k = set.partition_point(|x| x.end <= range.start);
    set[k..]
        .iter()
        .take_while(|x| x.start < range.end)
        .map(|x| Interval::new(x.start.max(range.start), x.end.min(range.end)))
        .filter(|x| x.start < x.end)
        .collect()
}

/// The time `set` (sorted, disjoint) holds inside `day`, walking from `from`; and where
/// the next day's walk starts.
fn overlap_in(set: &[Interval], from: usize, day: Interval) -> (Dur, usize) {
    let mut total = 0;
    let mut k = from;
    while let Some(x) = set.get(k) {
        if x.start >= day.end {
            break;
        }
        total += (x.end.min(day.end).0 - x.start.max(day.start).0).max(0);
        if x.end > day.end {
            break;
        }
        k += 1;
    }
    (Dur(total), k)
}

/// One calendar week of a person's work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekWork {
    /// Monday 00:00 to Monday 00:00 UTC (the whole week, not clipped to the range).
    pub week: Interval,
    pub worked: Dur,
    /// Nights worked among those that start in the week.
    pub nights: i64,
}

/// A person's working time over a range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonWork {
    pub person: usize,
    /// Time worked inside the range.
    pub worked: Dur,
    /// Nights worked among those that start inside the range.
    pub nights: i64,
    /// The longest run of consecutive nights that has a night in the range.
    pub longest_night_run: i64,
    /// Each calendar week the range touches, its whole hours (the `max week` rule
    /// judges whole weeks).
    pub weeks: Vec<WeekWork>,
    /// The shortest of the longest rests in the 24 hours from each start of work inside
    /// the range, and that rest (`None`: a period without any rest); `None` without
    /// work starting in the range.
    pub daily_rest: Option<Rest>,
    /// The same in the 7 days from each start of work.
    pub weekly_rest: Option<Rest>,
}

/// The rest of the period from a start of work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rest {
    /// The start of work the period runs from.
    pub from: Time,
    /// The longest rest inside the period (`None`: no rest at all).
    pub rest: Option<Interval>,
}

impl Rest {
    pub fn length(&self) -> Dur {
        self.rest.map_or(Dur::ZERO, |r| r.duration())
    }
}

/// Each person's working time over `range`, in the roster's order.
pub fn people_work(s: &Staffing, range: Interval) -> Vec<PersonWork> {
    let night = s.rules.night.value;
    let (w0, w1) = (week_of(range.start), week_of(Time(range.end.0 - 1)));
    (0..s.people.len())
        .map(|p| {
            let work: Vec<Interval> = s.stretches[p].iter().map(|x| x.interval).collect();
            // Whole weeks: the hours of each week the range touches, from the person's
            // weekly sums (a stretch covering whole weeks gives them at once).
            let sums = week_hours(&work);
            let ranges = night_ranges(s, p);
            let mut weeks = Vec::new();
            let mut k = sums.partition_point(|w| w.week + w.weeks <= w0);
            let mut r = 0;
            for w in w0..=w1 {
                while sums.get(k).is_some_and(|x| x.week + x.weeks <= w) {
                    k += 1;
                }
                let worked = sums
                    .get(k)
                    .filter(|x| x.week <= w)
                    .map_or(Dur::ZERO, |x| x.worked);
                let week = Interval::new(week_start(w), week_start(w + 1));
                let (nights, next) = nights_between(&ranges, r, night_starting(night, week));
                r = next;
                weeks.push(WeekWork {
                    week,
                    worked,
                    nights,
                });
            }
            let longest_night_run = night_runs(&work, night)
                .into_iter()
                .filter(|run| {
                    let first = night.night(run.first).start;
                    let last = night.night(run.first + run.nights - 1).start;
                    first < range.end && last >= range.start
                })
                .map(|run| run.nights)
                .max()
                .unwrap_or(0);
            PersonWork {
                person: p,
                worked: s.hours(p, range),
                nights: s.nights(p, range),
                longest_night_run,
                weeks,
                daily_rest: shortest_rest(&work, Dur(DAY), range),
                weekly_rest: shortest_rest(&work, Dur(WEEK), range),
            }
        })
        .collect()
}

/// The nights person `p` works, as sorted, disjoint inclusive ranges of night indices.
fn night_ranges(s: &Staffing, p: usize) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = Vec::new();
    for (a, b) in s.stretches[p].iter().filter_map(|x| x.nights) {
        match out.last_mut() {
            Some(last) if a <= last.1 + 1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// The indices `[lo, hi)` of the nights that start inside `range`.
fn night_starting(night: super::NightPeriod, range: Interval) -> (i64, i64) {
    let first_from = |t: Time| -(night.from - t.0).div_euclid(DAY);
    (first_from(range.start), first_from(range.end))
}

/// How many nights of `ranges` lie in `[lo, hi)`, walking from range `from`; and where
/// the next (later) count starts.
fn nights_between(ranges: &[(i64, i64)], from: usize, (lo, hi): (i64, i64)) -> (i64, usize) {
    let mut k = from;
    while ranges.get(k).is_some_and(|&(_, b)| b < lo) {
        k += 1;
    }
    let mut count = 0;
    let mut j = k;
    while let Some(&(a, b)) = ranges.get(j) {
        if a >= hi {
            break;
        }
        count += (b.min(hi - 1) - a.max(lo) + 1).max(0);
        j += 1;
    }
    (count, k)
}

/// The shortest of the longest rests of the periods from each start of work inside
/// `range` (the earliest of equals), as the W007/W008 checks measure them.
fn shortest_rest(work: &[Interval], period: Dur, range: Interval) -> Option<Rest> {
    let rests = longest_rests(work, period);
    work.iter()
        .zip(rests)
        .filter(|(w, _)| range.start <= w.start && w.start < range.end)
        .map(|(w, rest)| Rest {
            from: w.start,
            rest,
        })
        .min_by_key(|r| (r.length(), r.from))
}

/// A qualification (or traineeship) that has ended or ends soon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ending {
    pub person: usize,
    /// Index into the person's `quals`.
    pub qual: usize,
    /// Its end (the first instant it no longer holds).
    pub end: Time,
    /// It ended at or before `at`.
    pub expired: bool,
}

/// The qualifications and traineeships that end by `at + within`: those ended at or
/// before `at` (expired) and those ending after it, by end, then person and position.
pub fn endings(s: &Staffing, at: Time, within: Dur) -> Vec<Ending> {
    let limit = Time(at.0.saturating_add(within.0));
    let mut out: Vec<Ending> = s
        .people
        .iter()
        .enumerate()
        .flat_map(|(p, person)| {
            person
                .quals
                .iter()
                .enumerate()
                .filter(move |(_, q)| q.valid.end <= limit)
                .map(move |(k, q)| Ending {
                    person: p,
                    qual: k,
                    end: q.valid.end,
                    expired: q.valid.end <= at,
                })
        })
        .collect();
    out.sort_by(|a, b| {
        let pos = |e: &Ending| s.people[e.person].quals[e.qual].position;
        (a.end, &s.people[a.person].id.value, pos(a)).cmp(&(
            b.end,
            &s.people[b.person].id.value,
            pos(b),
        ))
    });
    out
}

/// The time a roster covers: from its first shift or on-call turn to its last end.
pub fn span(s: &Staffing) -> Option<Interval> {
    let all = s
        .shifts
        .iter()
        .map(|x| x.interval)
        .chain(s.oncalls.iter().map(|x| x.interval));
    all.fold(None, |acc: Option<Interval>, iv| match acc {
        None => Some(iv),
        Some(a) => Some(Interval::new(a.start.min(iv.start), a.end.max(iv.end))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(a: i64, b: i64) -> Interval {
        Interval::new(Time(a), Time(b))
    }

    #[test]
    fn days_are_clipped_to_the_range() {
        let h = 3600;
        assert_eq!(
            days(iv(20 * h, DAY + DAY + 2 * h)),
            vec![
                iv(20 * h, DAY),
                iv(DAY, 2 * DAY),
                iv(2 * DAY, 2 * DAY + 2 * h)
            ]
        );
        assert!(days(iv(5, 5)).is_empty());
    }

    #[test]
    fn overlap_walks_across_days() {
        let set = [iv(10, 30), iv(40, 50)];
        let (a, k) = overlap_in(&set, 0, iv(0, 20));
        assert_eq!((a, k), (Dur(10), 0));
        let (b, k) = overlap_in(&set, k, iv(20, 45));
        assert_eq!((b, k), (Dur(15), 1));
        let (c, _) = overlap_in(&set, k, iv(45, 60));
        assert_eq!(c, Dur(5));
    }

    #[test]
    fn clipping_keeps_what_is_inside() {
        let set = [iv(0, 10), iv(20, 30), iv(40, 50)];
        assert_eq!(
            clip(&set, iv(5, 45)),
            vec![iv(5, 10), iv(20, 30), iv(40, 45)]
        );
        assert!(clip(&set, iv(10, 20)).is_empty());
    }

    #[test]
    fn nights_are_counted_per_range_of_indices() {
        let ranges = [(0, 2), (5, 9), (12, 12)];
        assert_eq!(nights_between(&ranges, 0, (0, 7)), (5, 0));
        assert_eq!(nights_between(&ranges, 0, (7, 14)), (4, 1));
        assert_eq!(nights_between(&ranges, 1, (14, 21)), (0, 3));
    }

    #[test]
    fn the_shortest_rest_counts_starts_inside_the_range() {
        // Work 0-10, 15-20, 40-45; period 24: from 0 the rests are 10-15 (5) and 20-24
        // (4), the longest 5; from 15 it is 20-39 (19), from 40 45-64 (19).
        let work = [iv(0, 10), iv(15, 20), iv(40, 45)];
        let r = shortest_rest(&work, Dur(24), iv(0, 100)).unwrap();
        assert_eq!((r.from, r.rest), (Time(0), Some(iv(10, 15))));
        let r = shortest_rest(&work, Dur(24), iv(1, 100)).unwrap();
        assert_eq!((r.from, r.length()), (Time(15), Dur(19)));
        assert!(shortest_rest(&work, Dur(24), iv(50, 100)).is_none());
    }
}
