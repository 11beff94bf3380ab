use crate::checks::staffing::{and_list, hours, judged, when};
use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::staffing::{PositionIdx, Staffing};
use crate::model::Model;
use crate::time::{Interval, Time};

rule! {
    /// ## What it does
    /// Reports a person on two shifts at once (two `shift` lines of one person whose
    /// intervals overlap; touching is not overlapping), and a person `assign`ed to an
    /// activity while on shift on a position that fills none of the activity's roles.
    /// Each overlapping shift is reported once, against the earlier shift that runs
    /// longest.
    ///
    /// Each person's shifts are swept once in start order with the latest end so far (no
    /// pair of shifts is compared); each assignment is one query of the person's shifts.
    ///
    /// ## Why it matters
    /// A person on two consoles at once holds neither: the roster counts two positions as
    /// staffed where one is empty. A Flight Director assigned to the reboost while on
    /// shift on the planner desk leaves the desk or the reboost.
    ///
    /// ## Example
    /// ```text
    /// shift JDUPONT OM-DESK  2014/272 06:00 .. 2014/272 14:15
    /// shift JDUPONT PLN-DESK 2014/272 14:00 .. 2014/272 22:15   // 14:00-14:15 on both
    /// ```
    DoubleBooked, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    for s in judged(m) {
        for list in &s.person_shifts {
            let mut latest: Option<(Time, usize)> = None;
            for &k in list {
                let iv = s.shifts[k].interval;
                match latest {
                    Some((end, other)) if iv.start < end => {
                        let both = Interval::new(iv.start, iv.end.min(end));
                        out.push(overlap(s, k, other, both));
                        if iv.end > end {
                            latest = Some((iv.end, k));
                        }
                    }
                    _ => {
                        if latest.is_none_or(|(end, _)| iv.end > end) {
                            latest = Some((iv.end, k));
                        }
                    }
                }
            }
        }
        assignments(m, s, out);
    }
}

fn overlap(s: &Staffing, k: usize, other: usize, both: Interval) -> Diagnostic {
    let (a, b) = (&s.shifts[other], &s.shifts[k]);
    let who = &s.people[b.person].id.value;
    let name = |p: PositionIdx| s.positions[p].name.value.as_str();
    let what = if a.position == b.position {
        format!("twice on {}", name(a.position))
    } else {
        format!("on {} and {}", name(a.position), name(b.position))
    };
    Diagnostic::new(
        Code::DoubleBooked,
        format!(
            "{who} is on two shifts at once from {} to {} ({}): {what}",
            s.format_time(both.start),
            s.format_time(both.end),
            hours(both.duration())
        ),
        Label::new(
            b.span,
            format!("{who} on {} {}", name(b.position), when(s, b.interval)),
        ),
    )
    .with_secondary(Label::new(
        a.span,
        format!("already on {} {}", name(a.position), when(s, a.interval)),
    ))
    .with_note("the rule: a person holds one position at a time")
    .with_help(match s.available_text(b.position, both, &[b.person]) {
        Some(t) => format!("{t}; or move one of the shifts"),
        None => "move one of the shifts, or give it to someone else".to_string(),
    })
    .with_interval(Some(both))
}

fn assignments(m: &Model, s: &Staffing, out: &mut Vec<Diagnostic>) {
    let Some(pi) = s.plan else { return };
    for a in &s.assignments {
        let Some(iv) = a.interval else { continue };
        let am = &m.plans[pi].activities[a.activity];
        let fills_it = |p: PositionIdx| {
            s.positions[p]
                .fills
                .iter()
                .any(|f| am.ast.by.iter().any(|r| r.value == f.value))
        };
        let Some((shift_iv, k)) =
            s.by_person[a.person].first_overlapping(iv, |k| !fills_it(s.shifts[k].position))
        else {
            continue;
        };
        let who = &s.people[a.person].id.value;
        let id = &am.ast.id.value;
        let position = &s.positions[s.shifts[k].position].name.value;
        let roles: Vec<String> = am.ast.by.iter().map(|r| r.value.clone()).collect();
        let both = Interval::new(iv.start.max(shift_iv.start), iv.end.min(shift_iv.end));
        out.push(
            Diagnostic::new(
                Code::DoubleBooked,
                format!(
                    "{who} is assigned to {id} ({}) while on shift on {position}, which fills none of its roles ({})",
                    when(s, iv),
                    and_list(&roles)
                ),
                Label::new(a.span, format!("{id} is done by {}", roles.join(", "))),
            )
            .with_secondary(Label::new(
                s.shifts[k].span,
                format!("{who} on {position} {}", when(s, shift_iv)),
            ))
            .with_note("the rule: a person holds one position at a time; an assigned activity is part of the position that fills its role")
            .with_help(format!(
                "assign someone else to {id}, or move {who}'s shift on {position}"
            ))
            .with_interval(Some(both)),
        );
    }
}
