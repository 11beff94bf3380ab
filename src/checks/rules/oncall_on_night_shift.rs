use crate::checks::staffing::{item_span, judged, parts, when};
use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::time::{first_overlap, Interval};

rule! {
    /// ## What it does
    /// Reports a person on call (an `oncall` turn) who is working a night shift at the
    /// same time: a stretch of work holding at least 3 hours of the night period
    /// (`night`, 21:00 to 06:00 by default; see `W011`) that overlaps the turn. One finding
    /// per turn, at the first such night shift.
    ///
    /// Each person's night stretches are listed once, sorted; each turn is a binary
    /// search.
    ///
    /// ## Why it matters
    /// The on-call engineer must be reachable and able to act; one already on a night
    /// console can do neither, and the call-out falls on nobody.
    ///
    /// ## Example
    /// ```text
    /// oncall MMARTIN CRA-HOTLINE 2014/272 00:00 .. 2014/273 00:00
    /// shift  MMARTIN OM-DESK     2014/272 22:00 .. 2014/273 06:15   // on call and on console
    /// ```
    OncallOnNightShift, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    for s in judged(m) {
        // Each person's night stretches: (interval, index into the person's stretches).
        let nights: Vec<(Vec<Interval>, Vec<usize>)> = s
            .stretches
            .iter()
            .map(|list| {
                list.iter()
                    .enumerate()
                    .filter(|(_, st)| st.nights.is_some())
                    .map(|(i, st)| (st.interval, i))
                    .unzip()
            })
            .collect();
        for o in &s.oncalls {
            let (ivs, idx) = &nights[o.person];
            let Some(both) = first_overlap(ivs, o.interval) else {
                continue;
            };
            let k = ivs.partition_point(|x| x.end <= o.interval.start);
            let st = &s.stretches[o.person][idx[k]];
            let who = &s.people[o.person].id.value;
            let duty = &s.duties[o.duty].name.value;
            out.push(
                Diagnostic::new(
                    Code::OncallOnNightShift,
                    format!(
                        "{who} is on call for {duty} while working a night shift, from {} to {}",
                        s.format_time(both.start),
                        s.format_time(both.end)
                    ),
                    Label::new(o.span, format!("{who} on call {}", when(s, o.interval))),
                )
                .with_secondary(Label::new(
                    item_span(s, st.items[0]),
                    format!("{who} on a night shift {}", when(s, st.interval)),
                ))
                .with_note(format!("at work: {}", parts(m, s, st)))
                .with_note("the rule: the person on call is not on a night shift (a stretch of work holding at least 3 hours of the night period)")
                .with_help(format!("give the turn of {duty} to someone off duty that night"))
                .with_interval(Some(both)),
            );
        }
    }
}
