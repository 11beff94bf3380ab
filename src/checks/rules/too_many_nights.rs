use crate::checks::staffing::{day, item_span, judged, positions_of, with_rule};
use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::staffing::work::night_runs;
use crate::time::Interval;

rule! {
    /// ## What it does
    /// Reports a person who works more night shifts in a row than the roster allows: 3
    /// by default, `max nights N` in the roster's `rules` to change it. The night period
    /// is 21:00 to 06:00 UTC by default (the French labour code's night work, L3122-2),
    /// `night hh:mm .. hh:mm` to change it; a stretch of work holding at least 3 hours of
    /// a night (the night worker of EU directive 2003/88/EC, Art. 2(4)) works that night,
    /// and nights worked on consecutive days are in a row. The finding points at the
    /// first night over the limit. A warning: the limit is a practice of operations
    /// rosters, not a law.
    ///
    /// The nights of a stretch are found by arithmetic (the nights strictly inside it are
    /// worked whole), then each person's runs in one pass.
    ///
    /// ## Why it matters
    /// Night after night, attention drops and sleep debt builds; rosters cap runs of
    /// nights (3 or 4 is common) and give recovery days after them.
    ///
    /// ## Example
    /// ```text
    /// shift LPETIT OM-DESK 2014/272 22:00 .. 2014/273 06:15
    /// shift LPETIT OM-DESK 2014/273 22:00 .. 2014/274 06:15
    /// shift LPETIT OM-DESK 2014/274 22:00 .. 2014/275 06:15
    /// shift LPETIT OM-DESK 2014/275 22:00 .. 2014/276 06:15   // the fourth night
    /// ```
    TooManyNights, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for s in judged(cx.model) {
        let max = s.rules.max_nights;
        let night = s.rules.night.value;
        for (p, stretches) in s.stretches.iter().enumerate() {
            let work: Vec<Interval> = stretches.iter().map(|st| st.interval).collect();
            let who = &s.people[p].id.value;
            // Runs and stretches are both in time order: one pointer walks the stretches.
            let mut k = 0;
            for run in night_runs(&work, night) {
                if run.nights <= i64::from(max.value) {
                    continue;
                }
                let over = run.first + i64::from(max.value);
                let last = run.first + run.nights - 1;
                while k < stretches.len()
                    && !stretches[k]
                        .nights
                        .is_some_and(|(a, b)| a <= over && over <= b)
                {
                    k += 1;
                }
                let Some(st) = stretches.get(k) else {
                    continue;
                };
                let first_night = night.night(run.first);
                let d = Diagnostic::new(
                    Code::TooManyNights,
                    format!(
                        "{who} works {} nights in a row, from the night of {} to the night of {}",
                        run.nights,
                        day(s, first_night.start),
                        day(s, night.night(last).start)
                    ),
                    Label::new(
                        item_span(s, st.items[0]),
                        format!(
                            "night {} in a row ({}), on {}",
                            max.value + 1,
                            s.format_interval(night.night(over)),
                            positions_of(s, st).join(", ")
                        ),
                    ),
                )
                .with_note(format!(
                    "a night shift holds at least 3 hours of the night period ({} .. {})",
                    clock(s.rules.night.value.from),
                    clock(s.rules.night.value.to)
                ));
                let d = with_rule(d, s, "max nights", &max.value.to_string(), max.set_at);
                out.push(
                    d.with_help(format!(
                        "give the night of {} to someone else, or rest {who} after {} nights",
                        day(s, night.night(over).start),
                        max.value
                    ))
                    .with_interval(Some(Interval::new(
                        first_night.start,
                        night.night(last).end,
                    ))),
                );
            }
        }
    }
}

/// `21:00`
fn clock(seconds: i64) -> String {
    format!("{:02}:{:02}", seconds / 3600, seconds / 60 % 60)
}
