use crate::checks::staffing::{and_list, hours, judged, when};
use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::staffing::{work, Staffing};
use crate::time::{Interval, Time};

rule! {
    /// ## What it does
    /// Reports each interval during which an on-call duty that must be held
    /// (`continuous`, or `continuous during` phases, windows or intervals) has no one on
    /// call who answers in time: an `oncall` turn counts when its `response` is no longer
    /// than the duty's (a turn without `response` answers as the duty asks). A turn too
    /// slow to count is named in the finding. A `continuous` that cannot be turned into
    /// time is reported too, as for positions (`W002`).
    ///
    /// The turns of each duty are sorted once and swept with the time it must be held:
    /// O(n log n).
    ///
    /// ## Why it matters
    /// The collision-risk hotline answers around the clock: a conjunction message at
    /// 03:00 with nobody on call is a manoeuvre decided too late.
    ///
    /// ## Example
    /// ```text
    /// duty CRA-HOTLINE { continuous   response 30m }
    /// oncall MMARTIN CRA-HOTLINE 2014/272 00:00 .. 2014/273 00:00
    /// oncall LPETIT  CRA-HOTLINE 2014/273 08:00 .. 2014/274 00:00   // 00:00-08:00: nobody
    /// ```
    OncallGap, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for s in judged(cx.model) {
        for (di, duty) in s.duties.iter().enumerate() {
            for u in &duty.unjudged {
                out.push(
                    Diagnostic::new(
                        Code::OncallGap,
                        format!(
                            "duty `{}` must be held without a break, but when cannot be told: {}",
                            duty.name.value, u.why
                        ),
                        Label::new(u.span, "not judged"),
                    )
                    .with_help("name phases with an interval, windows of the plan, or intervals"),
                );
            }
            if duty.required.is_empty() {
                continue;
            }
            let limit = duty.response.map(|r| r.value);
            let items = s.by_duty[di].items();
            let counted: Vec<Interval> = items
                .iter()
                .filter(|(_, o)| answers_in_time(s, *o, limit))
                .map(|(iv, _)| *iv)
                .collect();
            for gap in work::below(&counted, &duty.required, 1) {
                out.push(diagnostic(s, di, gap));
            }
        }
    }
}

fn answers_in_time(s: &Staffing, o: usize, limit: Option<crate::time::Dur>) -> bool {
    match (s.oncalls[o].response, limit) {
        (Some(r), Some(l)) => r <= l,
        _ => true,
    }
}

fn diagnostic(s: &Staffing, di: usize, gap: Interval) -> Diagnostic {
    let duty = &s.duties[di];
    let name = &duty.name.value;
    let limit = duty.response.map(|r| r.value);
    let items = s.by_duty[di].items();
    // A turn too slow to count at the gap's start, else the counted turn that ends as
    // the gap opens.
    let slow_at = s.by_duty[di]
        .running_at(gap.start)
        .into_iter()
        .find(|&o| !answers_in_time(s, o, limit));
    let before = items
        .iter()
        .filter(|(iv, o)| iv.end == gap.start && answers_in_time(s, *o, limit))
        .map(|&(_, o)| o)
        .next();
    let continuous = duty.continuous_span.unwrap_or(duty.span);
    let message = format!(
        "duty `{name}` has no one on call from {} to {} ({})",
        s.format_time(gap.start),
        s.format_time(gap.end),
        hours(gap.duration())
    );
    let who = |o: usize| s.people[s.oncalls[o].person].id.value.clone();
    let mut d = match (slow_at, before) {
        (Some(o), _) => Diagnostic::new(
            Code::OncallGap,
            message,
            Label::new(
                s.oncalls[o].span,
                format!(
                    "{} answers in {}: too slow to count",
                    who(o),
                    hours(s.oncalls[o].response.unwrap_or_default())
                ),
            ),
        )
        .with_secondary(Label::new(continuous, "to be held without a break")),
        (None, Some(o)) => Diagnostic::new(
            Code::OncallGap,
            message,
            Label::new(
                s.oncalls[o].span,
                format!("{}'s turn ends at {}", who(o), s.format_time(gap.start)),
            ),
        )
        .with_secondary(Label::new(continuous, "to be held without a break")),
        (None, None) => Diagnostic::new(
            Code::OncallGap,
            message,
            Label::new(
                continuous,
                format!(
                    "to be held without a break, from {}",
                    s.format_time(gap.start)
                ),
            ),
        ),
    };
    // Turns in the gap that answer too slowly.
    let slow: Vec<String> = s.by_duty[di]
        .running_at(gap.start)
        .into_iter()
        .filter(|&o| !answers_in_time(s, o, limit))
        .take(3)
        .map(|o| {
            let t = &s.oncalls[o];
            format!(
                "{} is on call {} but answers in {}",
                s.people[t.person].id.value,
                when(s, t.interval),
                hours(t.response.unwrap_or_default())
            )
        })
        .collect();
    if !slow.is_empty() {
        d = d.with_note(format!(
            "{}; the duty asks {}",
            and_list(&slow),
            hours(limit.unwrap_or_default())
        ));
    }
    if let Some(r) = duty.response {
        if let Some(span) = r.set_at {
            d = d.with_secondary(Label::new(
                span,
                format!("answers within {}", hours(r.value)),
            ));
        }
    }
    d.with_note(format!(
        "the rule: `{name}` is `continuous`: someone is on call at every instant it must be held"
    ))
    .with_help(format!(
        "add an `oncall` line for {name} over {}",
        when(s, Interval::new(gap.start, Time(gap.end.0)))
    ))
    .with_interval(Some(gap))
}
