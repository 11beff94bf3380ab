use crate::checks::staffing::{hours, judged, when};
use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::staffing::{work, Staffing};
use crate::time::{Interval, Time};

rule! {
    /// ## What it does
    /// Reports each interval during which a continuous position (`continuous`, or
    /// `continuous during` phases, windows or intervals of its plan) has fewer holders on
    /// shift than its `minimum` (one by default). Shifts are half-open: a shift that ends
    /// at 14:00 and one that starts at 14:00 leave no gap. One finding per gap, with its
    /// interval, the holder who leaves before it and the one who comes after; the help
    /// names people qualified for the position who are free and rested then (no work in
    /// the daily rest before and after the gap).
    ///
    /// A `continuous` that cannot be turned into time (over the horizon of a plan that
    /// gives none, a phase without an interval, a window of more than a million
    /// occurrences in the horizon, a window of a file that could not be read) is reported
    /// too: unknown is not pass.
    ///
    /// The shifts of each position are sorted once and swept with the time it must be
    /// held: O(n log n).
    ///
    /// ## Why it matters
    /// During a flight phase every continuous console position is staffed for every
    /// minute: the hour nobody holds the Operations Manager console is the hour a
    /// contingency goes unanswered.
    ///
    /// ## Example
    /// ```text
    /// position OM-DESK { fills OM   continuous }
    /// shift JDUPONT OM-DESK 2014/272 06:00 .. 2014/272 14:15
    /// shift MMARTIN OM-DESK 2014/272 14:30 .. 2014/272 22:15   // 14:15-14:30: nobody
    /// ```
    UnstaffedPosition, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for s in judged(cx.model) {
        for (pi, p) in s.positions.iter().enumerate() {
            for u in &p.unjudged {
                out.push(
                    Diagnostic::new(
                        Code::UnstaffedPosition,
                        format!(
                            "position `{}` must be held without a break, but when cannot be told: {}",
                            p.name.value, u.why
                        ),
                        Label::new(u.span, "not judged"),
                    )
                    .with_help("name phases with an interval, windows of the plan, or intervals"),
                );
            }
            if p.required.is_empty() {
                continue;
            }
            let items = s.by_position[pi].items();
            let held: Vec<Interval> = items.iter().map(|(iv, _)| *iv).collect();
            let mut by_end: Vec<(Time, usize)> = items.iter().map(|(iv, k)| (iv.end, *k)).collect();
            by_end.sort_unstable();
            for gap in work::below(&held, &p.required, p.minimum) {
                out.push(diagnostic(s, pi, gap, &by_end));
            }
        }
    }
}

fn diagnostic(s: &Staffing, pi: usize, gap: Interval, by_end: &[(Time, usize)]) -> Diagnostic {
    let p = &s.positions[pi];
    let name = &p.name.value;
    let person = |k: usize| s.people[s.shifts[k].person].id.value.clone();
    // The shift that ends as the gap opens, and the one that starts as it closes.
    let before = by_end
        .get(by_end.partition_point(|(e, _)| *e < gap.start))
        .filter(|(e, _)| *e == gap.start)
        .map(|&(_, k)| k);
    let items = s.by_position[pi].items();
    let after = items
        .get(items.partition_point(|(iv, _)| iv.start < gap.end))
        .filter(|(iv, _)| iv.start == gap.end)
        .map(|&(_, k)| k);
    let short = if p.minimum == 1 {
        "no holder".to_string()
    } else {
        format!("fewer than {} holders", p.minimum)
    };
    let message = format!(
        "position `{name}` has {short} from {} to {} ({})",
        s.format_time(gap.start),
        s.format_time(gap.end),
        hours(gap.duration())
    );
    let continuous = p.continuous_span.unwrap_or(p.span);
    let mut d = match before {
        Some(k) => Diagnostic::new(
            Code::UnstaffedPosition,
            message,
            Label::new(
                s.shifts[k].span,
                format!(
                    "{} leaves {name} at {}",
                    person(k),
                    s.format_time(gap.start)
                ),
            ),
        )
        .with_secondary(Label::new(continuous, "to be held without a break")),
        None => Diagnostic::new(
            Code::UnstaffedPosition,
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
    if let Some(k) = after {
        d = d.with_secondary(Label::new(
            s.shifts[k].span,
            format!("{} comes at {}", person(k), s.format_time(gap.end)),
        ));
    }
    d = d.with_note(format!(
        "the rule: `{name}` is `continuous`, held by at least {} at every instant it must be held",
        p.minimum
    ));
    let help = match s.available_text(pi, gap, &[]) {
        Some(t) => format!("{t}; or move a shift to cover {}", when(s, gap)),
        None => format!(
            "no one qualified for {name} is free and rested then: move a shift or qualify someone to cover {}",
            when(s, gap)
        ),
    };
    d.with_help(help).with_interval(Some(gap))
}
