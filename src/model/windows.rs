//! Expanding window declarations into sorted occurrence intervals over the plan horizon.

use super::{Model, PlanIdx};
use crate::syntax::ast::WindowShape;
use crate::time::{Dur, Interval, Time};

/// A periodic or daily window is never expanded into more occurrences than this.
pub const MAX_OCCURRENCES: usize = 1_000_000;

pub(super) fn expand_plan_windows(m: &mut Model, pi: PlanIdx) {
    let horizon = m.plans[pi].horizon;
    for wi in 0..m.plans[pi].windows.len() {
        let (intervals, problems) = expand(&m.plans[pi].windows[wi].decl.shape, horizon);
        m.bad_intervals.extend(problems);
        m.plans[pi].windows[wi].intervals = crate::time::merge_intervals(intervals);
    }
}

type Problems = Vec<(crate::source::Span, String)>;

fn expand(shape: &WindowShape, horizon: Option<Interval>) -> (Vec<Interval>, Problems) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    match shape {
        WindowShape::Intervals(list) => {
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
                return (out, problems);
            };
            if every_d.0 <= 0 {
                problems.push((every.span, "the period must be positive".to_string()));
                return (out, problems);
            }
            if lasting_d.0 <= 0 {
                problems.push((
                    lasting.span,
                    "the window must last a positive time".to_string(),
                ));
                return (out, problems);
            }
            let end = match (until.as_ref().and_then(|u| u.value), horizon) {
                (Some(u), _) => u,
                (None, Some(h)) => h.end,
                (None, None) => match from_t.checked_add(Dur(366 * 86_400)) {
                    Ok(t) => t,
                    Err(_) => return (out, problems),
                },
            };
            // Start at the first occurrence that can reach the horizon.
            let mut k: i64 = match horizon {
                Some(h) if h.start > from_t => {
                    (h.start.0 - from_t.0 - lasting_d.0).max(0) / every_d.0
                }
                _ => 0,
            };
            while out.len() < MAX_OCCURRENCES {
                let Some(start) = k
                    .checked_mul(every_d.0)
                    .and_then(|o| from_t.0.checked_add(o))
                    .map(Time)
                else {
                    break;
                };
                if start >= end {
                    break;
                }
                let Ok(stop) = start.checked_add(lasting_d) else {
                    break;
                };
                out.push(Interval::new(start, stop));
                k += 1;
            }
        }
        WindowShape::Daily { from, to } => {
            let (Some(f), Some(t), Some(h)) = (from.value, to.value, horizon) else {
                return (out, problems);
            };
            if f == t {
                problems.push((
                    to.span,
                    "a daily window from and to the same time is empty".to_string(),
                ));
                return (out, problems);
            }
            let len = if t > f { t - f } else { 86_400 - f + t };
            // From the day before the horizon (a window wrapping past midnight reaches into it).
            let mut day = h.start.day_start().0 - 86_400;
            while day < h.end.0 && out.len() < MAX_OCCURRENCES {
                out.push(Interval::new(Time(day + f), Time(day + f + len)));
                day += 86_400;
            }
        }
    }
    (out, problems)
}
