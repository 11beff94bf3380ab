use crate::checks::staffing::{judged, rest_findings};
use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic};
use crate::model::staffing::DAY;
use crate::time::Dur;

rule! {
    /// ## What it does
    /// Reports a person whose longest rest in the 24 hours from a start of work is
    /// shorter than the daily rest: 11 consecutive hours by default (EU directive
    /// 2003/88/EC, Art. 3; French labour code, L3131-1), `daily rest D` in the roster's
    /// `rules` to change it. Work is the person's shifts and the activities they are
    /// `assign`ed to outside them, merged where they touch or overlap (a stretch); a
    /// period runs from the start of each stretch, and its rest is the longest time
    /// without work inside it, up to its end. Time after the roster's last shift counts
    /// as rest (the roster says nothing of it). One finding per 24 hours at most: a start
    /// of work inside a period already reported is not reported again.
    ///
    /// The longest rest of every period comes from one sweep of each person's sorted
    /// stretches with a deque of the rests inside the period: O(n log n) for the sort.
    ///
    /// ## Why it matters
    /// Fatigue is an operational hazard and the rest periods are the law: a roster that
    /// gives a controller 8 hours between a late shift and an early one will be refused
    /// by the people it names.
    ///
    /// ## Example
    /// ```text
    /// shift JDUPONT OM-DESK 2014/272 14:00 .. 2014/272 22:15
    /// shift JDUPONT OM-DESK 2014/273 06:00 .. 2014/273 14:15   // 7h45m of rest
    /// ```
    ShortDailyRest, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for s in judged(cx.model) {
        rest_findings(
            cx.model,
            s,
            Code::ShortDailyRest,
            "daily rest",
            Dur(DAY),
            "24 hours",
            s.rules.daily_rest,
            out,
        );
    }
}
