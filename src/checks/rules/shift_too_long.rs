use crate::checks::staffing::{hours, item_span, judged, parts, when, with_rule};
use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::staffing::WorkItem;
use crate::time::{Interval, Time};

rule! {
    /// ## What it does
    /// Reports a stretch of work longer than the maximum shift: 12 hours by default (the
    /// French labour code's 10 hours a day, up to 12 by agreement, L3121-18),
    /// `max shift D` in the roster's `rules` to change it. A stretch is a person's shifts
    /// and assigned activities merged where they touch or overlap: two 8-hour shifts back
    /// to back on two positions are one stretch of 16 hours.
    ///
    /// Each person's stretches are built once from their sorted shifts: O(n log n).
    ///
    /// ## Why it matters
    /// The attention a console asks for does not last a double shift; a swap arranged
    /// between two people can silently make one of them work sixteen hours.
    ///
    /// ## Example
    /// ```text
    /// shift JDUPONT OM-DESK  2014/272 06:00 .. 2014/272 14:15
    /// shift JDUPONT PLN-DESK 2014/272 14:15 .. 2014/272 22:15   // 16h15m without a break
    /// ```
    ShiftTooLong, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    for s in judged(m) {
        let max = s.rules.max_shift;
        for (p, stretches) in s.stretches.iter().enumerate() {
            let who = &s.people[p].id.value;
            for st in stretches {
                let len = st.interval.duration();
                if len <= max.value {
                    continue;
                }
                let over = Interval::new(Time(st.interval.start.0 + max.value.0), st.interval.end);
                let mut d = Diagnostic::new(
                    Code::ShiftTooLong,
                    format!(
                        "{who} works {} without a break from {} to {}",
                        hours(len),
                        s.format_time(st.interval.start),
                        s.format_time(st.interval.end)
                    ),
                    Label::new(
                        item_span(s, st.items[0]),
                        format!("{who} starts at {}", s.format_time(st.interval.start)),
                    ),
                );
                for &item in st.items.iter().skip(1).take(3) {
                    d = d.with_secondary(Label::new(item_span(s, item), "then goes on here"));
                }
                d = d.with_note(format!("at work: {}", parts(m, s, st)));
                d = with_rule(d, s, "max shift", &hours(max.value), max.set_at);
                let help = match st.items.last() {
                    Some(&WorkItem::Shift(k)) => {
                        let sh = &s.shifts[k];
                        match s.available_text(sh.position, over, &[p]) {
                            Some(t) => format!(
                                "hand {} over at {} ({t})",
                                s.positions[sh.position].name.value,
                                s.format_time(over.start)
                            ),
                            None => format!("end the stretch by {}", s.format_time(over.start)),
                        }
                    }
                    _ => format!(
                        "end the stretch by {} ({})",
                        s.format_time(over.start),
                        when(s, over)
                    ),
                };
                out.push(d.with_help(help).with_interval(Some(st.interval)));
            }
        }
    }
}
