//! Window declarations turned into [`Occurrences`]: periodic and daily windows are kept as
//! their rule (never expanded), windows of listed intervals are sorted and merged.

use super::occurrences::Occurrences;
use super::{Model, PlanIdx};
use crate::syntax::ast::WindowShape;
use crate::time::{Dur, Interval, Time};

const DAY: i64 = 86_400;

pub(super) fn expand_plan_windows(m: &mut Model, pi: PlanIdx) {
    let horizon = m.plans[pi].horizon;
    for wi in 0..m.plans[pi].windows.len() {
        let (occurrences, problems) = expand(&m.plans[pi].windows[wi].decl.shape, horizon);
        m.bad_intervals.extend(problems);
        m.plans[pi].windows[wi].occurrences = occurrences;
    }
}

type Problems = Vec<(crate::source::Span, String)>;

/// The number of `k ≥ 0` with `first + k·every < end`.
fn count_before(first: i64, every: i64, end: i64) -> i64 {
    if end <= first {
        0
    } else {
        let d = end - first;
        d / every + i64::from(d % every != 0)
    }
}

fn expand(shape: &WindowShape, horizon: Option<Interval>) -> (Occurrences, Problems) {
    let mut problems = Vec::new();
    let occurrences = match shape {
        WindowShape::Intervals(list) => {
            let mut out = Vec::with_capacity(list.len());
            for lit in list {
                if let (Some(s), Some(e)) = (lit.start.value, lit.end.value) {
                    if e <= s {
                        problems.push((
                            lit.span,
                            "the interval ends before it starts, or is empty".to_string(),
                        ));
                    } else {
                        out.push(Interval::new(s, e));
                    }
                }
            }
            Occurrences::listed(out)
        }
        WindowShape::Periodic {
            every,
            lasting,
            from,
            until,
        } => {
            let (Some(every_d), Some(lasting_d), Some(from_t)) =
                (every.value, lasting.value, from.value)
            else {
                return (Occurrences::default(), problems);
            };
            if every_d.0 <= 0 {
                problems.push((every.span, "the period must be positive".to_string()));
                return (Occurrences::default(), problems);
            }
            if lasting_d.0 <= 0 {
                problems.push((
                    lasting.span,
                    "the window must last a positive time".to_string(),
                ));
                return (Occurrences::default(), problems);
            }
            if let Some(u) = until.as_ref().and_then(|u| u.value.map(|v| (v, u.span))) {
                if u.0 <= from_t {
                    problems.push((
                        u.1,
                        "the window's `until` is not after its `from`: it has no occurrence"
                            .to_string(),
                    ));
                    return (Occurrences::default(), problems);
                }
            }
            // Occurrences start at `from`, `from + every`, … while the start is before
            // `until`, or the horizon's end, or (neither given) the end of the calendar.
            let end = match (until.as_ref().and_then(|u| u.value), horizon) {
                (Some(u), _) => u,
                (None, Some(h)) => h.end,
                (None, None) => Time::MAX,
            };
            let count = count_before(from_t.0, every_d.0, end.0);
            Occurrences::periodic(from_t, every_d, lasting_d, count)
        }
        WindowShape::Daily { from, to } => {
            let (Some(f), Some(t)) = (from.value, to.value) else {
                return (Occurrences::default(), problems);
            };
            if f == t {
                problems.push((
                    to.span,
                    "a daily window from and to the same time is empty".to_string(),
                ));
                return (Occurrences::default(), problems);
            }
            let len = if t > f { t - f } else { DAY - f + t };
            // Every day of the horizon, from the day before (a window wrapping past
            // midnight reaches into it); every day of the calendar without a horizon.
            let (first_day, end) = match horizon {
                Some(h) => (h.start.day_start().0 - DAY, h.end.0),
                None => (Time::MIN.day_start().0, Time::MAX.0),
            };
            let count = count_before(first_day, DAY, end);
            Occurrences::periodic(Time(first_day + f), Dur(DAY), Dur(len), count)
        }
    };
    (occurrences, problems)
}
