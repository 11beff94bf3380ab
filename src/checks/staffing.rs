//! What the staffing rules (`W001`-`W014`, one file each under `rules/`) share: the
//! rosters they judge, and how a finding names the person, the position, the interval and
//! the working-time rule it is about.

use crate::diag::{Diagnostic, Label};
use crate::model::staffing::{rule_source, Staffing, Stretch, WorkItem};
use crate::model::Model;
use crate::source::Span;
use crate::time::Interval;

/// The rosters the checks judge: all but those read from a file with syntax errors or
/// staffing a plan read from one (only such a file's syntax errors are reported).
pub(crate) fn judged(m: &Model) -> impl Iterator<Item = &Staffing> {
    m.staffing.iter().filter(|s| !s.incomplete)
}

/// Adds the working-time rule a finding is about: a note quoting it and where its value
/// comes from (the roster's `rules`, with a label there, or the default and its source).
pub(crate) fn with_rule(
    d: Diagnostic,
    s: &Staffing,
    rule: &str,
    value: &str,
    set_at: Option<Span>,
) -> Diagnostic {
    match set_at {
        Some(span) => d
            .with_secondary(Label::new(span, format!("the rule, `{rule} {value}`")))
            .with_note(format!(
                "the rule: `{rule} {value}`, set by roster {}",
                s.id.value
            )),
        None => d.with_note(format!(
            "the rule: `{rule} {value}`, the default ({}); a roster's `rules` block can set it",
            rule_source(rule)
        )),
    }
}

/// `a`, `a and b`, `a, b and c`.
pub(crate) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The interval as the roster writes times.
pub(crate) fn when(s: &Staffing, iv: Interval) -> String {
    s.format_interval(iv)
}

/// Where a part of a stretch is written: the `shift` line, or the activity's name in
/// the `assign` line.
pub(crate) fn item_span(s: &Staffing, item: WorkItem) -> Span {
    match item {
        WorkItem::Shift(k) => s.shifts[k].span,
        WorkItem::Activity(a) => s.assignments[a].span,
    }
}

/// A part of a stretch for messages: `OM-DESK 2014/272 06:00 .. 2014/272 14:15`, or
/// `A29 (assigned)`.
pub(crate) fn item_text(m: &Model, s: &Staffing, item: WorkItem) -> String {
    match item {
        WorkItem::Shift(k) => {
            let sh = &s.shifts[k];
            format!(
                "{} {}",
                s.positions[sh.position].name.value,
                when(s, sh.interval)
            )
        }
        WorkItem::Activity(a) => {
            let asg = &s.assignments[a];
            let name = s
                .plan
                .map(|pi| m.plans[pi].activities[asg.activity].ast.id.value.clone())
                .unwrap_or_default();
            match asg.interval {
                Some(iv) => format!("{name} {} (assigned)", when(s, iv)),
                None => format!("{name} (assigned)"),
            }
        }
    }
}

/// The parts of a stretch, at most four, then how many more.
pub(crate) fn parts(m: &Model, s: &Staffing, st: &Stretch) -> String {
    let mut list: Vec<String> = st
        .items
        .iter()
        .take(4)
        .map(|&i| item_text(m, s, i))
        .collect();
    if st.items.len() > 4 {
        list.push(format!("{} more", st.items.len() - 4));
    }
    and_list(&list)
}

/// The positions held in a stretch (each once, in order).
pub(crate) fn positions_of(s: &Staffing, st: &Stretch) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in &st.items {
        if let WorkItem::Shift(k) = item {
            let name = &s.positions[s.shifts[*k].position].name.value;
            if !out.contains(name) {
                out.push(name.clone());
            }
        }
    }
    out
}

/// The rest findings of one person (`W007` daily, `W008` weekly): for each start of work,
/// the longest rest in the `period` from it; one finding per period shorter than
/// `rest`, and none for a start inside a period already reported (one per day or week
/// at most).
#[allow(clippy::too_many_arguments)]
pub(crate) fn rest_findings(
    m: &Model,
    s: &Staffing,
    code: crate::diag::Code,
    rule: &str,
    period: crate::time::Dur,
    period_text: &str,
    rest: crate::model::staffing::Setting<crate::time::Dur>,
    out: &mut Vec<Diagnostic>,
) {
    use crate::model::staffing::work::longest_rests;
    use crate::time::Time;
    for (p, stretches) in s.stretches.iter().enumerate() {
        let work: Vec<Interval> = stretches.iter().map(|st| st.interval).collect();
        let mut reported_until = Time::MIN;
        for (j, longest) in longest_rests(&work, period).into_iter().enumerate() {
            let start = work[j].start;
            if start < reported_until {
                continue;
            }
            let got = longest.map_or(crate::time::Dur::ZERO, |r| r.duration());
            if got >= rest.value {
                continue;
            }
            reported_until = Time(start.0.saturating_add(period.0));
            let who = &s.people[p].id.value;
            let st = &stretches[j];
            let first = st.items[0];
            let message = match longest {
                Some(r) => format!(
                    "{who} rests at most {got} in the {period_text} from {} (from {} to {})",
                    s.format_time(start),
                    s.format_time(r.start),
                    s.format_time(r.end)
                ),
                None => format!(
                    "{who} has no rest at all in the {period_text} from {}",
                    s.format_time(start)
                ),
            };
            let mut d = Diagnostic::new(
                code,
                message,
                Label::new(
                    item_span(s, first),
                    format!("{who} starts work here: the {period_text} run from {}", s.format_time(start)),
                ),
            );
            // The work that ends the longest rest (or follows it in the period).
            let window = Interval::new(start, reported_until);
            let next = longest
                .filter(|r| r.end < window.end)
                .and_then(|r| {
                    let k = stretches.partition_point(|x| x.interval.start < r.end);
                    stretches.get(k).filter(|x| x.interval.start == r.end)
                })
                .or_else(|| {
                    let k = stretches.partition_point(|x| x.interval.start < window.end);
                    stretches.get(k - 1).filter(|_| k - 1 > j)
                });
            if let Some(x) = next {
                d = d.with_secondary(Label::new(
                    item_span(s, x.items[0]),
                    format!("at work again from {}", s.format_time(x.interval.start)),
                ));
            }
            let in_period: Vec<String> = stretches[j..]
                .iter()
                .take_while(|x| x.interval.start < window.end)
                .take(5)
                .map(|x| parts(m, s, x))
                .collect();
            d = d.with_note(format!(
                "at work in those {period_text}: {}",
                and_list(&in_period)
            ));
            d = with_rule(d, s, rule, &rest.value.to_string(), rest.set_at);
            let help = match next.and_then(|x| match x.items[0] {
                WorkItem::Shift(k) => Some(k),
                WorkItem::Activity(_) => None,
            }) {
                Some(k) => {
                    let sh = &s.shifts[k];
                    match s.available_text(sh.position, sh.interval, &[p]) {
                        Some(t) => format!(
                            "give {who}'s {} {} to someone rested ({t}), or move it",
                            s.positions[sh.position].name.value,
                            when(s, sh.interval)
                        ),
                        None => format!(
                            "move {who}'s {} {} so that {} of rest fit",
                            s.positions[sh.position].name.value,
                            when(s, sh.interval),
                            rest.value
                        ),
                    }
                }
                None => format!("move a shift so that {} of rest fit", rest.value),
            };
            out.push(d.with_help(help).with_interval(Some(window)));
        }
    }
}
