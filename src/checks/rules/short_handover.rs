use crate::checks::staffing::{hours, judged};
use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::staffing::{PersonIdx, Staffing};
use crate::time::{Interval, Time};

rule! {
    /// ## What it does
    /// Reports a change of holder of a continuous position with too short an overlap:
    /// when a holder leaves while the position must be held, someone else must have been
    /// on it for at least the handover (15 minutes by default, `handover D` in the
    /// roster's `rules`, or in the position for its own). The finding names who leaves,
    /// who took over and when, and the overlap they had (none when the next holder comes
    /// as the other leaves). A leave that leaves nobody on the position is a gap, `W002`.
    /// A warning: the handover is a practice of control centres, not a law.
    ///
    /// The shifts of each position are sorted by start with the two latest ends so far
    /// (of two people); each leave is a binary search, and the relief, when short, a
    /// query of the position's shifts: O(n log n).
    ///
    /// ## Why it matters
    /// The handover is when the outgoing controller tells the incoming one what is going
    /// on: an open anomaly, a pending GO/NO-GO, a call expected from MCC-M. Without
    /// overlap, the log is the only briefing.
    ///
    /// ## Example
    /// ```text
    /// position OM-DESK { fills OM   continuous }
    /// shift JDUPONT OM-DESK 2014/272 06:00 .. 2014/272 14:00
    /// shift MMARTIN OM-DESK 2014/272 14:00 .. 2014/272 22:15   // no overlap at 14:00
    /// ```
    ShortHandover, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for s in judged(cx.model) {
        for (pi, pos) in s.positions.iter().enumerate() {
            if pos.required.is_empty() {
                continue;
            }
            let items = s.by_position[pi].items();
            // The two latest ends among the shifts started so far, of two people:
            // best[k] after the first k + 1 shifts.
            let mut best: Vec<[(Time, PersonIdx); 2]> = Vec::with_capacity(items.len());
            let none = (Time(i64::MIN), usize::MAX);
            let mut cur = [none, none];
            for &(iv, k) in items {
                let p = s.shifts[k].person;
                let e = (iv.end, p);
                if p == cur[0].1 {
                    cur[0] = cur[0].max(e);
                } else if e > cur[0] {
                    cur = [e, cur[0]];
                } else if p == cur[1].1 {
                    cur[1] = cur[1].max(e);
                } else if e > cur[1] {
                    cur[1] = e;
                }
                best.push(cur);
            }
            let handover = pos.handover.value;
            for &(iv, k) in items {
                let e = iv.end;
                let p = s.shifts[k].person;
                // Only a leave while the position must still be held.
                let r = pos.required.partition_point(|x| x.end <= e);
                if !pos
                    .required
                    .get(r)
                    .is_some_and(|x| x.start < e && e < x.end)
                {
                    continue;
                }
                let by = Time(e.0.saturating_sub(handover.0));
                let n = items.partition_point(|(x, _)| x.start <= by);
                let relieved = n > 0 && {
                    let [a, b] = best[n - 1];
                    let other = if a.1 == p { b } else { a };
                    other.0 > e
                };
                if relieved {
                    continue;
                }
                let Some((next, j)) =
                    s.by_position[pi].first_running(by, e, |j| s.shifts[j].person != p)
                else {
                    continue; // nobody holds it after `e`: a gap, W002
                };
                out.push(diagnostic(s, pi, k, j, next, e));
            }
        }
    }
}

fn diagnostic(s: &Staffing, pi: usize, k: usize, j: usize, next: Interval, e: Time) -> Diagnostic {
    let pos = &s.positions[pi];
    let name = &pos.name.value;
    let out_who = &s.people[s.shifts[k].person].id.value;
    let in_who = &s.people[s.shifts[j].person].id.value;
    let overlap = e.since(next.start);
    let how = if overlap.0 == 0 {
        "no overlap".to_string()
    } else {
        format!("{} of overlap", hours(overlap))
    };
    let handover = pos.handover;
    let d = Diagnostic::new(
        Code::ShortHandover,
        format!(
            "{name} passes from {out_who} to {in_who} at {} with {how}",
            s.format_time(e)
        ),
        Label::new(
            s.shifts[j].span,
            format!("{in_who} comes at {}", s.format_time(next.start)),
        ),
    )
    .with_secondary(Label::new(
        s.shifts[k].span,
        format!("{out_who} leaves at {}", s.format_time(e)),
    ));
    let d = match handover.set_at {
        Some(span) => d
            .with_secondary(Label::new(
                span,
                format!("the handover, {}", hours(handover.value)),
            ))
            .with_note(format!("the rule: `handover {}`", hours(handover.value))),
        None => d.with_note(format!(
            "the rule: `handover {}`, the default ({})",
            hours(handover.value),
            crate::model::staffing::rule_source("handover")
        )),
    };
    d.with_help(format!(
        "start {in_who}'s shift at {} or end {out_who}'s at {}",
        s.format_time(Time(e.0 - handover.value.0)),
        s.format_time(Time(next.start.0 + handover.value.0))
    ))
    .with_interval(Some(Interval::new(next.start, e)))
}
