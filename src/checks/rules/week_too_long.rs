use crate::checks::staffing::{hours, item_span, judged, with_rule};
use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::staffing::work::{week_hours, week_start};
use crate::time::{Interval, Time};

rule! {
    /// ## What it does
    /// Reports a person who works more than the maximum hours in a calendar week: 48
    /// hours by default (EU directive 2003/88/EC, Art. 6; French labour code, L3121-20),
    /// `max week D` in the roster's `rules` to change it. A week runs from Monday 00:00 to
    /// the next Monday 00:00 UTC (the civil week of the French labour code); work is the
    /// person's stretches (shifts and assigned activities), cut at the week's ends. The
    /// finding points at the work that takes the week over the limit.
    ///
    /// Each person's stretches are summed week by week in one pass; a stretch covering
    /// whole weeks counts them as one run, so a year-long shift costs three sums.
    ///
    /// ## Why it matters
    /// Overtime adds up quietly in a 24-hour service: cover for a sick colleague, a
    /// rescheduled reboost, an extra night. The weekly limit is the law.
    ///
    /// ## Example
    /// ```text
    /// // six 8h15m shifts in the week from Monday 2014/272: 49h30m
    /// shift JDUPONT OM-DESK 2014/272 06:00 .. 2014/272 14:15
    /// ```
    WeekTooLong, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for s in judged(cx.model) {
        let max = s.rules.max_week;
        for (p, stretches) in s.stretches.iter().enumerate() {
            let work: Vec<Interval> = stretches.iter().map(|st| st.interval).collect();
            let who = &s.people[p].id.value;
            for w in week_hours(&work) {
                if w.worked <= max.value {
                    continue;
                }
                let (from, to) = (week_start(w.week), week_start(w.week + w.weeks));
                let week = Interval::new(from, to);
                // The stretch during which the week's hours pass the limit.
                let mut sum = 0i64;
                let k0 = work.partition_point(|x| x.end <= from);
                let culprit = (k0..work.len())
                    .take_while(|&k| work[k].start < to)
                    .find(|&k| {
                        sum += work[k].end.min(to).0 - work[k].start.max(from).0;
                        w.weeks > 1 || sum > max.value.0
                    })
                    .unwrap_or(k0);
                let message = if w.weeks == 1 {
                    format!(
                        "{who} works {} in the week from {} to {}",
                        hours(w.worked),
                        s.format_time(from),
                        s.format_time(to)
                    )
                } else {
                    format!(
                        "{who} works {} in each of the {} weeks from {} to {}",
                        hours(w.worked),
                        w.weeks,
                        s.format_time(from),
                        s.format_time(to)
                    )
                };
                let st = &stretches[culprit];
                let d = Diagnostic::new(
                    Code::WeekTooLong,
                    message,
                    Label::new(
                        item_span(s, st.items[0]),
                        format!("the week's work passes {} here", hours(max.value)),
                    ),
                )
                .with_note("a week runs from Monday 00:00 to Monday 00:00 UTC");
                let d = with_rule(d, s, "max week", &hours(max.value), max.set_at);
                out.push(
                    d.with_help(format!(
                        "give {} of {who}'s work that week to someone else",
                        hours(crate::time::Dur(w.worked.0 - max.value.0))
                    ))
                    .with_interval(Some(Interval::new(
                        week.start.max(work[culprit].start),
                        Time(week.end.0.min(work[culprit].end.0)),
                    ))),
                );
            }
        }
    }
}
