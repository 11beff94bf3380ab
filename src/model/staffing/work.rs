//! Working time over sorted intervals, for the staffing checks and the reports built on a
//! roster: stretches of work, the longest rest in the period from each start of work,
//! hours per calendar week, night shifts and runs of consecutive nights, and where a
//! head count is not met. Pure functions over [`Interval`]s (half-open), each a sort and
//! a sweep: O(n log n) at most, never a pair of loops over the same list.

use crate::time::{Dur, Interval, Time};

/// Seconds in a day.
pub const DAY: i64 = 86_400;
/// Seconds in a week.
pub const WEEK: i64 = 7 * DAY;

/// The longest rest in each period: for each stretch `j` of `stretches` (sorted, disjoint
/// and not touching, as [`crate::time::merge_intervals`] gives), the longest interval
/// without work inside `[start_j, start_j + period)`: a gap between two stretches, or the
/// time from the last stretch that starts in the period to the period's end (clipped to
/// it). The earliest of equally long rests. `None` when the period holds no rest at all.
///
/// One sweep with a deque of gaps of decreasing length (sliding-window maximum): O(n).
pub fn longest_rests(stretches: &[Interval], period: Dur) -> Vec<Option<Interval>> {
    let n = stretches.len();
    let gap = |i: usize| Interval::new(stretches[i].end, stretches[i + 1].start);
    let len = |i: usize| gap(i).duration();
    let mut out = Vec::with_capacity(n);
    // Gaps `j..k` are inside the period of stretch `j` (gap `i` lies between stretches
    // `i` and `i + 1`); `k` is the last stretch that starts in the period.
    let mut deque: std::collections::VecDeque<usize> = Default::default();
    let mut k = 0;
    for j in 0..n {
        let end = Time(stretches[j].start.0.saturating_add(period.0));
        if k < j {
            k = j;
        }
        while k + 1 < n && stretches[k + 1].start < end {
            // Gap `k` (between `k` and `k + 1`) is wholly inside the period.
            while deque.back().is_some_and(|&b| len(b) < len(k)) {
                deque.pop_back();
            }
            deque.push_back(k);
            k += 1;
        }
        while deque.front().is_some_and(|&f| f < j) {
            deque.pop_front();
        }
        let inside = deque.front().map(|&f| gap(f));
        let tail = (stretches[k].end < end).then(|| Interval::new(stretches[k].end, end));
        let best = match (inside, tail) {
            (Some(g), Some(t)) if t.duration() > g.duration() => Some(t),
            (Some(g), _) => Some(g),
            (None, t) => t,
        };
        out.push(best);
    }
    out
}

/// A week: its index (weeks since the Monday 1970-01-05, the first after the epoch) and
/// its first instant, Monday 00:00 UTC.
pub fn week_of(t: Time) -> i64 {
    (t.0.div_euclid(DAY) - 4).div_euclid(7)
}

/// Monday 00:00 UTC of week `w` (see [`week_of`]).
pub fn week_start(w: i64) -> Time {
    Time((w * 7 + 4) * DAY)
}

/// Hours worked in calendar weeks (Monday 00:00 to Monday 00:00 UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekHours {
    /// The first week (see [`week_of`]).
    pub week: i64,
    /// How many consecutive weeks have these hours (more than one only for weeks a single
    /// stretch covers whole).
    pub weeks: i64,
    pub worked: Dur,
}

/// The time worked in each week `stretches` (sorted, disjoint) touch, in week order. A
/// stretch covering whole weeks gives them as one entry (a year-long shift costs three
/// entries, not fifty-two).
pub fn week_hours(stretches: &[Interval]) -> Vec<WeekHours> {
    let mut out: Vec<WeekHours> = Vec::new();
    let add = |out: &mut Vec<WeekHours>, week: i64, weeks: i64, worked: Dur| match out.last_mut() {
        Some(last) if last.week == week && last.weeks == 1 && weeks == 1 => {
            last.worked = Dur(last.worked.0 + worked.0)
        }
        _ => out.push(WeekHours {
            week,
            weeks,
            worked,
        }),
    };
    for s in stretches {
        let (w0, w1) = (week_of(s.start), week_of(Time(s.end.0 - 1)));
        if w0 == w1 {
            add(&mut out, w0, 1, s.duration());
            continue;
        }
        // The weeks worked whole, and the partial first and last weeks around them.
        let first_full = if s.start == week_start(w0) {
            w0
        } else {
            w0 + 1
        };
        let last_full = if s.end == week_start(w1 + 1) {
            w1
        } else {
            w1 - 1
        };
        if first_full > w0 {
            add(&mut out, w0, 1, week_start(w0 + 1).since(s.start));
        }
        if last_full >= first_full {
            add(&mut out, first_full, last_full - first_full + 1, Dur(WEEK));
        }
        if last_full < w1 {
            add(&mut out, w1, 1, s.end.since(week_start(w1)));
        }
    }
    out
}

/// The night period of a roster (`night 21:00 .. 06:00`): seconds after midnight; it
/// wraps past midnight when `to` is before `from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NightPeriod {
    pub from: i64,
    pub to: i64,
}

/// A stretch holding this much of a night period is a night shift (the night worker of
/// EU directive 2003/88/EC, Art. 2(4): at least three hours of work in night time).
pub const NIGHT_WORK: Dur = Dur(3 * 3600);

impl NightPeriod {
    /// Its length (a whole day when `from` equals `to`).
    pub fn length(self) -> i64 {
        let l = (self.to - self.from).rem_euclid(DAY);
        if l == 0 {
            DAY
        } else {
            l
        }
    }

    /// Night `k`: the one that starts on day `k` (days since 1970-01-01).
    pub fn night(self, k: i64) -> Interval {
        let start = k * DAY + self.from;
        Interval::new(Time(start), Time(start + self.length()))
    }

    /// The night holding `t`, or the next one.
    pub fn index_at(self, t: Time) -> i64 {
        (t.0 - self.from - self.length()).div_euclid(DAY) + 1
    }

    /// How much of night `k` a stretch is at work.
    fn worked(self, stretch: Interval, k: i64) -> i64 {
        let n = self.night(k);
        (stretch.end.0.min(n.end.0) - stretch.start.0.max(n.start.0)).max(0)
    }

    /// The nights a stretch works: those it holds at least [`NIGHT_WORK`] of (or the
    /// whole night, when the night is shorter), as an inclusive range of night indices.
    /// O(1): the nights strictly between the first and the last it touches are worked
    /// whole.
    pub fn nights_of(self, stretch: Interval) -> Option<(i64, i64)> {
        if stretch.end <= stretch.start {
            return None;
        }
        let need = NIGHT_WORK.0.min(self.length());
        let lo = self.index_at(stretch.start);
        let hi = (stretch.end.0 - self.from - 1).div_euclid(DAY);
        let (mut a, mut b) = (lo, hi);
        while a <= b && self.worked(stretch, a) < need {
            a += 1;
        }
        while b >= a && self.worked(stretch, b) < need {
            b -= 1;
        }
        (a <= b).then_some((a, b))
    }
}

/// A run of consecutive nights worked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NightRun {
    /// The first night of the run.
    pub first: i64,
    /// How many nights in a row.
    pub nights: i64,
}

/// The runs of consecutive nights `stretches` (sorted, disjoint) work, in order.
pub fn night_runs(stretches: &[Interval], night: NightPeriod) -> Vec<NightRun> {
    let mut out: Vec<NightRun> = Vec::new();
    for s in stretches {
        let Some((a, b)) = night.nights_of(*s) else {
            continue;
        };
        match out.last_mut() {
            Some(run) if a <= run.first + run.nights => {
                run.nights = run.nights.max(b - run.first + 1);
            }
            _ => out.push(NightRun {
                first: a,
                nights: b - a + 1,
            }),
        }
    }
    out
}

/// The parts of `required` (sorted, disjoint) where fewer than `minimum` of `held` (any
/// order, may overlap) run: maximal intervals, in order. A sort of the starts and ends,
/// then one walk along both lists.
pub fn below(held: &[Interval], required: &[Interval], minimum: u32) -> Vec<Interval> {
    let mut events: Vec<(Time, i64)> = Vec::with_capacity(held.len() * 2);
    for h in held.iter().filter(|h| h.start < h.end) {
        events.push((h.start, 1));
        events.push((h.end, -1));
    }
    events.sort_unstable();
    // The count as steps: from `steps[i].0` on, `steps[i].1` run.
    let mut steps: Vec<(Time, i64)> = Vec::with_capacity(events.len() + 1);
    steps.push((Time(i64::MIN), 0));
    let mut level = 0;
    let mut k = 0;
    while k < events.len() {
        let t = events[k].0;
        while k < events.len() && events[k].0 == t {
            level += events[k].1;
            k += 1;
        }
        steps.push((t, level));
    }
    let minimum = i64::from(minimum);
    let mut out: Vec<Interval> = Vec::new();
    let push = |out: &mut Vec<Interval>, iv: Interval| {
        if iv.start >= iv.end {
            return;
        }
        match out.last_mut() {
            Some(last) if last.end == iv.start => last.end = iv.end,
            _ => out.push(iv),
        }
    };
    let mut s = 0;
    for r in required {
        // The step in force at the requirement's start.
        while s + 1 < steps.len() && steps[s + 1].0 <= r.start {
            s += 1;
        }
        let mut i = s;
        let mut at = r.start;
        while at < r.end {
            let next = steps.get(i + 1).map_or(r.end, |n| n.0.min(r.end));
            if steps[i].1 < minimum {
                push(&mut out, Interval::new(at, next));
            }
            at = next;
            i += 1;
        }
        s = i.saturating_sub(1).max(s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(a: i64, b: i64) -> Interval {
        Interval::new(Time(a), Time(b))
    }

    #[test]
    fn the_longest_rest_of_each_period() {
        // Work 0-10, 12-20, 30-35; period 24: from 0, rests 10-12 (2) and 20-24 (4);
        // from 12, 20-30 (10) and 35-36 (1); from 30, 35-54 (19).
        let s = [iv(0, 10), iv(12, 20), iv(30, 35)];
        assert_eq!(
            longest_rests(&s, Dur(24)),
            vec![Some(iv(20, 24)), Some(iv(20, 30)), Some(iv(35, 54))]
        );
        // A stretch longer than the period leaves no rest in it.
        assert_eq!(longest_rests(&[iv(0, 30)], Dur(24)), vec![None]);
    }

    #[test]
    fn weeks_run_from_monday() {
        // 2014/272 (2014-09-29) is a Monday.
        let monday = Time::parse_doy("2014/272 00:00").unwrap();
        assert_eq!(week_start(week_of(monday)), monday);
        let sunday = Time(monday.0 - 3600);
        assert_eq!(week_of(sunday), week_of(monday) - 1);
        // 20 h from Sunday 22:00 to Monday 18:00, then 3 weeks and a day.
        let w = week_of(monday);
        let got = week_hours(&[
            iv(monday.0 - 2 * 3600, monday.0 + 18 * 3600),
            iv(monday.0 + WEEK, monday.0 + 4 * WEEK + DAY),
        ]);
        assert_eq!(
            got,
            vec![
                WeekHours {
                    week: w - 1,
                    weeks: 1,
                    worked: Dur(2 * 3600)
                },
                WeekHours {
                    week: w,
                    weeks: 1,
                    worked: Dur(18 * 3600)
                },
                WeekHours {
                    week: w + 1,
                    weeks: 3,
                    worked: Dur(WEEK)
                },
                WeekHours {
                    week: w + 4,
                    weeks: 1,
                    worked: Dur(DAY)
                },
            ]
        );
    }

    #[test]
    fn night_shifts_hold_three_hours_of_the_night() {
        let night = NightPeriod {
            from: 21 * 3600,
            to: 6 * 3600,
        };
        let h = 3600;
        // 14:00-22:00 holds 1 h of night 0: a day shift. 22:00-06:00 is night 0.
        assert_eq!(night.nights_of(iv(14 * h, 22 * h)), None);
        assert_eq!(night.nights_of(iv(22 * h, 30 * h)), Some((0, 0)));
        // 19:00-07:00 is night 0; 03:00-09:00 of day 1 holds 3 h of night 0.
        assert_eq!(night.nights_of(iv(19 * h, 31 * h)), Some((0, 0)));
        assert_eq!(night.nights_of(iv(27 * h, 33 * h)), Some((0, 0)));
        // Five days of work from 20:00: nights 0 to 4.
        assert_eq!(night.nights_of(iv(20 * h, 20 * h + 5 * DAY)), Some((0, 4)));
        let runs = night_runs(
            &[
                iv(22 * h, 30 * h),
                iv(DAY + 22 * h, DAY + 30 * h),
                iv(3 * DAY + 22 * h, 3 * DAY + 30 * h),
            ],
            night,
        );
        assert_eq!(
            runs,
            vec![
                NightRun {
                    first: 0,
                    nights: 2
                },
                NightRun {
                    first: 3,
                    nights: 1
                }
            ]
        );
    }

    #[test]
    fn below_a_head_count() {
        let held = [iv(0, 10), iv(8, 20), iv(25, 30)];
        assert_eq!(below(&held, &[iv(0, 40)], 1), vec![iv(20, 25), iv(30, 40)]);
        assert_eq!(below(&held, &[iv(0, 40)], 2), vec![iv(0, 8), iv(10, 40)]);
        assert_eq!(below(&held, &[iv(2, 5), iv(21, 23)], 1), vec![iv(21, 23)]);
        assert!(below(&[], &[], 1).is_empty());
    }
}
