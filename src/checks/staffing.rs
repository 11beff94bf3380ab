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

/// A length of working time in hours: `35h`, `7h45m`, `49h30m`, `15m` (never in days,
/// as the rules are written).
pub(crate) fn hours(d: crate::time::Dur) -> String {
    let t = d.0.max(0);
    let (h, m, s) = (t / 3600, t / 60 % 60, t % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 || out.is_empty() {
        out.push_str(&format!("{s}s"));
    }
    out
}

/// The day of an instant as the roster writes days: `2014/272`, `2014-09-29`.
pub(crate) fn day(s: &Staffing, t: crate::time::Time) -> String {
    let text = s.format_time(t);
    text.split([' ', 'T']).next().unwrap_or(&text).to_string()
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

/// The rest findings (`W007` daily, `W008` weekly): for each start of work of each
/// person, the longest rest in the `period` from it. Consecutive starts of work whose
/// periods are all short make one finding, which lists them (every short period is
/// named, none hidden behind another).
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
    for (p, stretches) in s.stretches.iter().enumerate() {
        let work: Vec<Interval> = stretches.iter().map(|st| st.interval).collect();
        let rests = longest_rests(&work, period);
        let short =
            |j: usize| rests[j].map_or(crate::time::Dur::ZERO, |r| r.duration()) < rest.value;
        let mut j = 0;
        while j < work.len() {
            if !short(j) {
                j += 1;
                continue;
            }
            let first = j;
            while j < work.len() && short(j) {
                j += 1;
            }
            out.push(rest_finding(
                m,
                s,
                code,
                rule,
                (period, period_text),
                rest,
                p,
                (first, j),
                &rests,
            ));
        }
    }
}

/// One finding for the starts of work `run.0..run.1` of person `p`, whose periods all
/// hold less rest than `rest`.
#[allow(clippy::too_many_arguments)]
fn rest_finding(
    m: &Model,
    s: &Staffing,
    code: crate::diag::Code,
    rule: &str,
    (period, period_text): (crate::time::Dur, &str),
    rest: crate::model::staffing::Setting<crate::time::Dur>,
    p: usize,
    run: (usize, usize),
    rests: &[Option<Interval>],
) -> Diagnostic {
    use crate::time::{Dur, Time};
    let stretches = &s.stretches[p];
    let who = &s.people[p].id.value;
    let len = |j: usize| rests[j].map_or(Dur::ZERO, |r| r.duration());
    // The shortest of the run's periods (the first of equals) leads the message.
    let worst = (run.0..run.1).min_by_key(|&j| (len(j), j)).unwrap_or(run.0);
    let start = |j: usize| stretches[j].interval.start;
    let window = |j: usize| Interval::new(start(j), Time(start(j).0.saturating_add(period.0)));
    let detail = |j: usize| match rests[j] {
        Some(r) => format!(
            "at most {} in the {period_text} from {} (from {} to {})",
            hours(r.duration()),
            s.format_time(start(j)),
            s.format_time(r.start),
            s.format_time(r.end)
        ),
        None => format!(
            "no rest at all in the {period_text} from {}",
            s.format_time(start(j))
        ),
    };
    let count = run.1 - run.0;
    let message = if count == 1 {
        format!("{who} rests {}", detail(run.0))
            .replace("rests no rest at all", "has no rest at all")
    } else {
        format!(
            "{who} rests less than {} in the {period_text} from each of {count} starts of work, {} to {}",
            hours(rest.value),
            s.format_time(start(run.0)),
            s.format_time(start(run.1 - 1))
        )
    };
    let mut d = Diagnostic::new(
        code,
        message,
        Label::new(
            item_span(s, stretches[run.0].items[0]),
            format!(
                "{who} starts work here: the {period_text} run from {}",
                s.format_time(start(run.0))
            ),
        ),
    );
    if count > 1 {
        let listed: Vec<String> = (run.0..run.1).take(5).map(detail).collect();
        let more = if count > 5 {
            format!(" and {} more", count - 5)
        } else {
            String::new()
        };
        d = d.with_note(format!("{}{more}", listed.join("; ")));
    }
    // The work that ends the shortest period's longest rest, or else its last work.
    let w = window(worst);
    let next = rests[worst]
        .filter(|r| r.end < w.end)
        .and_then(|r| {
            let k = stretches.partition_point(|x| x.interval.start < r.end);
            stretches.get(k).filter(|x| x.interval.start == r.end)
        })
        .or_else(|| {
            let k = stretches.partition_point(|x| x.interval.start < w.end);
            stretches.get(k - 1).filter(|_| k - 1 > worst)
        });
    if let Some(x) = next {
        d = d.with_secondary(Label::new(
            item_span(s, x.items[0]),
            format!("at work again from {}", s.format_time(x.interval.start)),
        ));
    }
    let in_window = stretches[worst..].partition_point(|x| x.interval.start < w.end);
    let mut in_period: Vec<String> = stretches[worst..worst + in_window]
        .iter()
        .take(5)
        .map(|x| parts(m, s, x))
        .collect();
    if in_window > 5 {
        in_period.push(format!("{} more", in_window - 5));
    }
    d = d.with_note(format!(
        "at work in the {period_text} from {}: {}",
        s.format_time(start(worst)),
        and_list(&in_period)
    ));
    d = with_rule(d, s, rule, &hours(rest.value), rest.set_at);
    let help = match next.and_then(|x| match x.items[0] {
        WorkItem::Shift(k) => Some(k),
        WorkItem::Activity(_) => None,
    }) {
        Some(k) => {
            let sh = &s.shifts[k];
            let shift = format!(
                "{who}'s {} {}",
                s.positions[sh.position].name.value,
                when(s, sh.interval)
            );
            match s.available_text(sh.position, sh.interval, &[p]) {
                Some(t) => format!("give {shift} to someone rested ({t}), or move it"),
                None => format!("move {shift} so that {} of rest fit", hours(rest.value)),
            }
        }
        None => format!("move a shift so that {} of rest fit", hours(rest.value)),
    };
    let span = Interval::new(start(run.0), window(run.1 - 1).end);
    d.with_help(help).with_interval(Some(span))
}
