use crate::checks::staffing::{judged, rest_findings};
use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic};
use crate::model::staffing::WEEK;
use crate::time::Dur;

rule! {
    /// ## What it does
    /// Reports a person whose longest rest in the 7 days from a start of work is shorter
    /// than the weekly rest: 35 consecutive hours by default (24 hours plus the 11 of
    /// daily rest: EU directive 2003/88/EC, Art. 5; French labour code, L3132-2),
    /// `weekly rest D` in the roster's `rules` to change it. Periods, stretches of work
    /// and the time after the roster's last shift are as for `W007`; one finding per 7
    /// days at most.
    ///
    /// One sweep of each person's sorted stretches with a deque of the rests inside the
    /// period: O(n log n) for the sort.
    ///
    /// ## Why it matters
    /// A week of evening shifts followed by a week of early ones can leave a controller
    /// working every day for two weeks; the weekly rest is the law, and the first thing
    /// an audit of the roster checks.
    ///
    /// ## Example
    /// ```text
    /// // JDUPONT works 06:00-14:15 every day from 272 to 278: never 35 h off
    /// shift JDUPONT OM-DESK 2014/272 06:00 .. 2014/272 14:15
    /// shift JDUPONT OM-DESK 2014/273 06:00 .. 2014/273 14:15
    /// ```
    ShortWeeklyRest, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for s in judged(cx.model) {
        rest_findings(
            cx.model,
            s,
            Code::ShortWeeklyRest,
            "weekly rest",
            Dur(WEEK),
            "7 days",
            s.rules.weekly_rest,
            out,
        );
    }
}
