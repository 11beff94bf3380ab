//! The staffing report (`opsplan report staffing`): for each roster of a check run, over
//! its plan's horizon (or `--from`/`--to`), the coverage of each position and on-call
//! duty day by day with its gaps, each person's hours and nights (per calendar week,
//! against the roster's limits), the rest margins (shortest daily and weekly rest against
//! the rules, the worst first), the qualifications expired or ending within 30 days of
//! the report's end, the staffing findings (`W` codes) of the check and its verdict.
//! The figures come from `model::staffing::summary`; this module only words them.

use super::Provenance;
use crate::checks::staffing::{day, hours};
use crate::diag::{Family, Severity};
use crate::model::staffing::summary::{self, Post};
use crate::model::staffing::{Staffing, DAY};
use crate::output::Location;
use crate::time::{Dur, Interval, Notation, Time};
use crate::workspace::{Run, Verdict};
use serde::Serialize;

/// Qualifications ending this long after the report's end are listed.
pub const EXPIRY_DAYS: i64 = 30;
/// The longest range a report covers (ten years of days).
pub const MAX_DAYS: i64 = 3660;

/// What the report covers, as asked on the command line.
#[derive(Debug, Clone, Copy, Default)]
pub struct Request {
    pub from: Option<Time>,
    pub to: Option<Time>,
}

/// Everything the staffing templates see; the JSON document too.
#[derive(Debug, Clone, Serialize)]
pub struct StaffingView {
    /// `staffing`.
    pub report: &'static str,
    pub schema_version: u32,
    pub title: String,
    pub verdict: VerdictView,
    pub counts: Counts,
    pub rosters: Vec<RosterView>,
    pub findings: Vec<FindingView>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Serialize)]
pub struct VerdictView {
    /// `pass`, `pass-with-waivers` or `fail`: a CSS class.
    pub status: &'static str,
    /// `pass`, `pass with waivers`, `fail`.
    pub text: &'static str,
    pub explanation: String,
    pub incomplete: bool,
}

/// The findings of the check: the staffing ones, and the others (not listed here).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub staffing_errors: usize,
    pub staffing_warnings: usize,
    pub staffing_notes: usize,
    pub other_errors: usize,
    pub other_warnings: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RosterView {
    pub id: String,
    pub title: Option<String>,
    pub plan: Option<String>,
    pub file: String,
    /// `""` for the first roster, `-2`, `-3`, … after: the tables' ids stay unique.
    pub anchor: String,
    pub range: RangeView,
    pub rules: Vec<RuleView>,
    pub coverage: Vec<CoverageRow>,
    /// The calendar weeks the range touches (the columns of the per-week hours).
    pub weeks: Vec<WeekLabel>,
    pub people: Vec<PersonRow>,
    pub rest: Vec<RestRow>,
    pub qualifications: Vec<QualRow>,
    /// Each person's progress towards each qualification that requires training
    /// (`qualified P after N scenarios`), by person then as declared.
    pub training: Vec<TrainingRow>,
    /// The end of the window of `qualifications`: the report's end plus 30 days.
    pub expiry_limit: String,
    /// The `max week` rule, as written (`48h`).
    pub max_week: String,
    /// The `max nights` rule.
    pub max_nights: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct RangeView {
    pub from: String,
    pub to: String,
    pub from_iso: String,
    pub to_iso: String,
    /// `--from/--to`, `the plan's horizon`, `the roster's shifts` (or a mix).
    pub source: String,
    pub days: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleView {
    pub rule: &'static str,
    pub value: String,
    /// `file:line:column` of the roster's `rules` line, or the default's source.
    pub set_by: String,
    pub default: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CoverageRow {
    pub post: String,
    /// `position` or `duty`.
    pub kind: &'static str,
    pub title: Option<String>,
    pub minimum: u32,
    pub day: String,
    pub day_iso: String,
    pub required_s: i64,
    pub covered_s: i64,
    pub held_s: i64,
    pub required: String,
    pub covered: String,
    pub held: String,
    /// Covered / required, `null` when nothing is required that day.
    pub covered_percent: Option<f64>,
    /// The same as shown: `97.5 %`, or `n/a`.
    pub covered_shown: String,
    /// `full`, `gap` or `not-required`: a CSS class.
    pub status: &'static str,
    pub gaps: Vec<GapView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GapView {
    pub interval: String,
    pub from_iso: String,
    pub to_iso: String,
    pub duration_s: i64,
    pub duration: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct WeekLabel {
    pub from: String,
    pub from_iso: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonRow {
    pub id: String,
    pub name: Option<String>,
    pub worked_s: i64,
    pub worked: String,
    pub nights: i64,
    pub longest_night_run: i64,
    pub max_nights: u32,
    pub nights_over: bool,
    pub weeks: Vec<WeekCell>,
    /// Some week over the `max week` rule or a run of nights over `max nights`.
    pub over: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct WeekCell {
    pub from_iso: String,
    pub worked_s: i64,
    pub worked: String,
    pub limit_s: i64,
    pub nights: i64,
    pub over: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct RestRow {
    pub id: String,
    pub name: Option<String>,
    /// `daily rest` or `weekly rest`.
    pub rule: &'static str,
    pub period: &'static str,
    pub required_s: i64,
    pub required: String,
    pub shortest_s: i64,
    pub shortest: String,
    /// Shortest minus required: negative when the rule is broken.
    pub margin_s: i64,
    pub margin: String,
    /// The start of work whose period holds the shortest rest.
    pub from: String,
    /// That rest, `null` when the period holds none.
    pub rest: Option<String>,
    pub ok: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct QualRow {
    pub id: String,
    pub name: Option<String>,
    pub position: String,
    /// `qualified` or `trainee`.
    pub kind: &'static str,
    /// The last day it holds.
    pub until: String,
    pub until_iso: String,
    /// `expired` or `expiring`.
    pub status: &'static str,
    /// Whole days from the report's end to the first day it no longer holds (negative:
    /// ended that many days before).
    pub days_left: i64,
}

/// A person's progress towards a qualification that requires training.
#[derive(Debug, Clone, Serialize)]
pub struct TrainingRow {
    pub id: String,
    pub name: Option<String>,
    pub position: String,
    /// N of `after N scenarios`.
    pub required: u32,
    /// The sessions that count (held, passed, under an instructor who is not the trainee).
    pub completed: usize,
    /// `2 / 3 scenarios`.
    pub progress: String,
    /// When the qualification became or becomes valid; `None` while fewer than N
    /// sessions are completed (or when the Nth ends after its `until`).
    pub valid_from: Option<String>,
    pub valid_from_iso: Option<String>,
    /// Every session the person took part in as a trainee, by end.
    pub sessions: Vec<SessionView>,
}

/// A training session held.
#[derive(Debug, Clone, Serialize)]
pub struct SessionView {
    pub scenario: String,
    pub title: Option<String>,
    pub held_from: String,
    pub held_to: String,
    pub held_from_iso: String,
    pub held_to_iso: String,
    pub instructor: Option<String>,
    /// `passed`, `failed`, `cancelled` or `not recorded`.
    pub outcome: &'static str,
    /// Whether it counts towards the qualification.
    pub counts: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingView {
    pub anchor: String,
    pub code: &'static str,
    pub name: &'static str,
    pub severity: &'static str,
    pub message: String,
    pub location: String,
    pub help: Option<String>,
}

/// Why no report can be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoReport {
    /// The run holds no roster.
    NoRoster,
    /// Every roster read has syntax errors or staffs a plan that has some (the rosters,
    /// or the roster files, named).
    Unreadable(Vec<String>),
    /// The range is empty or reversed, too long, or cannot be told.
    Range(String),
}

impl std::fmt::Display for NoReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoReport::NoRoster => write!(
                f,
                "no roster among the inputs: a staffing report needs one (a `*.roster` file \
                 named by `use roster FILE` in the plan, or in the folder given; \
                 docs/language.md, \"Rosters\")"
            ),
            NoReport::Unreadable(ids) => write!(
                f,
                "{} cannot be judged: syntax errors in it or in the plan it staffs (above); \
                 correct them (`opsplan check`)",
                ids.join(", ")
            ),
            NoReport::Range(why) => f.write_str(why),
        }
    }
}

/// Builds the report of a check run.
pub fn view(run: &Run, request: Request, provenance: Provenance) -> Result<StaffingView, NoReport> {
    let model = &run.model;
    if model.staffing.is_empty() {
        // A roster file that does not parse gives no roster: say so, not "no roster".
        let mut files: Vec<String> = run
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| crate::output::display_path(&run.sources, d.primary.span.file))
            .filter(|f| f.ends_with(".roster"))
            .collect();
        files.dedup();
        if files.is_empty() {
            return Err(NoReport::NoRoster);
        }
        return Err(NoReport::Unreadable(files));
    }
    let judged: Vec<&Staffing> = model.staffing.iter().filter(|s| !s.incomplete).collect();
    if judged.is_empty() {
        return Err(NoReport::Unreadable(
            model
                .staffing
                .iter()
                .map(|s| format!("roster {}", s.id.value))
                .collect(),
        ));
    }
    if let (Some(a), Some(b)) = (request.from, request.to) {
        if b <= a {
            return Err(NoReport::Range(format!(
                "--to {} is not after --from {}",
                b.format(Notation::Iso),
                a.format(Notation::Iso)
            )));
        }
    }
    let mut rosters = Vec::new();
    for (k, s) in judged.iter().enumerate() {
        let range = range_of(run, s, request)?;
        rosters.push(roster_view(run, s, range, k));
    }

    let mut counts = Counts::default();
    let mut findings = Vec::new();
    for d in &run.diagnostics {
        let info = d.code.info();
        if info.family != Family::Staffing {
            match d.severity {
                Severity::Error => counts.other_errors += 1,
                Severity::Warning => counts.other_warnings += 1,
                _ => {}
            }
            continue;
        }
        match d.severity {
            Severity::Error => counts.staffing_errors += 1,
            Severity::Warning => counts.staffing_warnings += 1,
            _ => counts.staffing_notes += 1,
        }
        let loc = Location::of(&run.sources, &d.primary);
        findings.push(FindingView {
            anchor: String::new(),
            code: info.code,
            name: info.name,
            severity: d.severity.as_str(),
            message: d.message.clone(),
            location: format!("{}:{}:{}", loc.file, loc.line, loc.column),
            help: d.help.clone(),
        });
    }
    // Errors first, then by code; the run's order (file, place) within.
    findings.sort_by_key(|f| (severity_rank(f.severity), f.code));
    for (i, f) in findings.iter_mut().enumerate() {
        f.anchor = format!("S{}", i + 1);
    }

    let verdict = run.verdict();
    let explanation = match verdict {
        Verdict::Pass => {
            let mut text = "No finding at error severity".to_string();
            if counts.staffing_warnings > 0 {
                text.push_str(&format!(
                    "; {} to read",
                    crate::output::plural(counts.staffing_warnings, "staffing warning")
                ));
            }
            text.push_str(": the roster can be issued with the plan.");
            text
        }
        Verdict::PassWithWaivers => "No finding at error severity; some flight-rule violations \
                                     are covered by approved waivers (see the consistency report)."
            .to_string(),
        Verdict::Fail => {
            let all = counts.staffing_errors + counts.other_errors;
            let mut text = format!(
                "{} at error severity must be resolved",
                crate::output::plural(all, "finding")
            );
            if counts.other_errors > 0 {
                text.push_str(&format!(
                    " ({} of them outside staffing: `opsplan check` lists them)",
                    counts.other_errors
                ));
            }
            text.push('.');
            text
        }
    };
    let incomplete = run.incomplete();
    let explanation = match &incomplete {
        Some(what) => {
            format!("Incomplete check: {what}, so findings may be missing. {explanation}")
        }
        None => explanation,
    };
    let title = format!(
        "Staffing report: {}",
        judged
            .iter()
            .map(|s| s.id.value.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(StaffingView {
        report: "staffing",
        schema_version: 1,
        title,
        verdict: VerdictView {
            status: match verdict {
                Verdict::Pass => "pass",
                Verdict::PassWithWaivers => "pass-with-waivers",
                Verdict::Fail => "fail",
            },
            text: verdict.as_str(),
            explanation,
            incomplete: incomplete.is_some(),
        },
        counts,
        rosters,
        findings,
        provenance,
    })
}

/// The view as JSON.
pub fn json(view: &StaffingView) -> String {
    let mut s = serde_json::to_string_pretty(view).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

fn severity_rank(s: &str) -> u8 {
    match s {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    }
}

/// The range of a roster's report: `--from`/`--to`, else its plan's horizon, else the
/// time its shifts and turns cover.
fn range_of(run: &Run, s: &Staffing, request: Request) -> Result<(Interval, String), NoReport> {
    let horizon = s
        .plan
        .and_then(|p| run.model.plans.get(p))
        .and_then(|p| p.horizon);
    let span = summary::span(s);
    let pick = |given: Option<Time>, edge: fn(Interval) -> Time| -> Option<(Time, &'static str)> {
        given
            .map(|t| (t, "--from/--to"))
            .or_else(|| horizon.map(|h| (edge(h), "the plan's horizon")))
            .or_else(|| span.map(|h| (edge(h), "the roster's shifts")))
    };
    let from = pick(request.from, |i| i.start);
    let to = pick(request.to, |i| i.end);
    let (Some((from, a)), Some((to, b))) = (from, to) else {
        return Err(NoReport::Range(format!(
            "roster {}: no range to report on (its plan has no horizon and it holds no \
             shift): give --from and --to",
            s.id.value
        )));
    };
    if to <= from {
        return Err(NoReport::Range(format!(
            "roster {}: the range {} .. {} is empty: give --from and --to",
            s.id.value,
            s.format_time(from),
            s.format_time(to)
        )));
    }
    if to.0 - from.0 > MAX_DAYS * DAY {
        return Err(NoReport::Range(format!(
            "roster {}: the range {} .. {} is longer than {MAX_DAYS} days: give a shorter \
             --from/--to",
            s.id.value,
            s.format_time(from),
            s.format_time(to)
        )));
    }
    let source = if a == b {
        a.to_string()
    } else {
        format!("{a} (start), {b} (end)")
    };
    Ok((Interval::new(from, to), source))
}

fn iso(t: Time) -> String {
    t.format(Notation::Iso)
}

fn iso_day(t: Time) -> String {
    let text = iso(t);
    text.split('T').next().unwrap_or(&text).to_string()
}

fn roster_view(
    run: &Run,
    s: &Staffing,
    (range, source): (Interval, String),
    k: usize,
) -> RosterView {
    let days = summary::days(range);
    let n = s.notation;
    let dur = |d: Dur| {
        if d == Dur::ZERO {
            "0h".to_string()
        } else {
            hours(d)
        }
    };
    let round = |x: f64| (x * 1e6).round() / 1e6;

    // Coverage: positions, then duties, each day by day.
    let mut coverage = Vec::new();
    let posts = (0..s.positions.len())
        .map(Post::Position)
        .chain((0..s.duties.len()).map(Post::Duty));
    for post in posts {
        let (name, title, kind, minimum) = match post {
            Post::Position(p) => {
                let x = &s.positions[p];
                (&x.name.value, &x.title, "position", x.minimum)
            }
            Post::Duty(d) => {
                let x = &s.duties[d];
                (&x.name.value, &x.title, "duty", 1)
            }
        };
        for c in summary::coverage(s, post, range) {
            let status = if c.required == Dur::ZERO {
                "not-required"
            } else if c.covered == c.required {
                "full"
            } else {
                "gap"
            };
            coverage.push(CoverageRow {
                post: name.clone(),
                kind,
                title: title.clone(),
                minimum,
                day: day(s, c.day.start),
                day_iso: iso_day(c.day.start),
                required_s: c.required.0,
                covered_s: c.covered.0,
                held_s: c.held.0,
                required: dur(c.required),
                covered: dur(c.covered),
                held: dur(c.held),
                covered_percent: (c.required.0 > 0)
                    .then(|| round(c.covered.0 as f64 * 100.0 / c.required.0 as f64)),
                // Rounded down: a day with a gap never shows 100.0 %.
                covered_shown: match c.required.0 {
                    0 => "n/a".to_string(),
                    r => {
                        let tenths = i128::from(c.covered.0) * 1000 / i128::from(r);
                        format!("{}.{} %", tenths / 10, tenths % 10)
                    }
                },
                status,
                gaps: c
                    .gaps
                    .iter()
                    .map(|g| GapView {
                        interval: g.format(n),
                        from_iso: iso(g.start),
                        to_iso: iso(g.end),
                        duration_s: g.duration().0,
                        duration: dur(g.duration()),
                    })
                    .collect(),
            });
        }
    }

    let work = summary::people_work(s, range);
    let weeks: Vec<WeekLabel> = work
        .first()
        .map(|w| {
            w.weeks
                .iter()
                .map(|x| WeekLabel {
                    from: day(s, x.week.start),
                    from_iso: iso_day(x.week.start),
                })
                .collect()
        })
        .unwrap_or_default();
    let max_week = s.rules.max_week.value;
    let max_nights = s.rules.max_nights.value;
    let name_of = |p: usize| s.people[p].name.clone();
    let people: Vec<PersonRow> = work
        .iter()
        .map(|w| {
            let cells: Vec<WeekCell> = w
                .weeks
                .iter()
                .map(|x| WeekCell {
                    from_iso: iso_day(x.week.start),
                    worked_s: x.worked.0,
                    worked: dur(x.worked),
                    limit_s: max_week.0,
                    nights: x.nights,
                    over: x.worked > max_week,
                })
                .collect();
            let nights_over = w.longest_night_run > i64::from(max_nights);
            PersonRow {
                id: s.people[w.person].id.value.clone(),
                name: name_of(w.person),
                worked_s: w.worked.0,
                worked: dur(w.worked),
                nights: w.nights,
                longest_night_run: w.longest_night_run,
                max_nights,
                nights_over,
                over: nights_over || cells.iter().any(|c| c.over),
                weeks: cells,
            }
        })
        .collect();

    let mut rest = Vec::new();
    for w in &work {
        let kinds = [
            (
                "daily rest",
                "24 hours",
                s.rules.daily_rest.value,
                w.daily_rest,
            ),
            (
                "weekly rest",
                "7 days",
                s.rules.weekly_rest.value,
                w.weekly_rest,
            ),
        ];
        for (rule, period, required, shortest) in kinds {
            let Some(r) = shortest else { continue };
            let len = r.length();
            let margin = len.0 - required.0;
            rest.push(RestRow {
                id: s.people[w.person].id.value.clone(),
                name: name_of(w.person),
                rule,
                period,
                required_s: required.0,
                required: dur(required),
                shortest_s: len.0,
                shortest: dur(len),
                margin_s: margin,
                margin: if margin < 0 {
                    format!("-{}", dur(Dur(-margin)))
                } else {
                    format!("+{}", dur(Dur(margin)))
                },
                from: s.format_time(r.from),
                rest: r.rest.map(|x| x.format(n)),
                ok: margin >= 0,
            });
        }
    }
    // The worst first; then person and rule.
    rest.sort_by(|a, b| (a.margin_s, &a.id, a.rule).cmp(&(b.margin_s, &b.id, b.rule)));

    let qualifications = summary::endings(s, range.end, Dur(EXPIRY_DAYS * DAY))
        .into_iter()
        .map(|e| {
            let q = &s.people[e.person].quals[e.qual];
            let last = Time(e.end.0 - 1);
            QualRow {
                id: s.people[e.person].id.value.clone(),
                name: name_of(e.person),
                position: s.positions[q.position].name.value.clone(),
                kind: if q.trainee { "trainee" } else { "qualified" },
                until: day(s, last),
                until_iso: iso_day(last),
                status: if e.expired { "expired" } else { "expiring" },
                days_left: (e.end.0 - range.end.0).div_euclid(DAY),
            }
        })
        .collect();

    let training = training_view(run, s, &name_of);

    let rules = rules_view(run, s);
    let plan = s
        .plan
        .and_then(|p| run.model.plans.get(p))
        .map(|p| p.id.value.clone())
        .or_else(|| s.plan_name.as_ref().map(|p| p.value.clone()));
    RosterView {
        id: s.id.value.clone(),
        title: s.title.clone(),
        plan,
        file: crate::output::display_path(&run.sources, s.file),
        anchor: if k == 0 {
            String::new()
        } else {
            format!("-{}", k + 1)
        },
        range: RangeView {
            from: s.format_time(range.start),
            to: s.format_time(range.end),
            from_iso: iso(range.start),
            to_iso: iso(range.end),
            source,
            days: days.len(),
        },
        rules,
        coverage,
        weeks,
        people,
        rest,
        qualifications,
        training,
        expiry_limit: s.format_time(Time(range.end.0 + EXPIRY_DAYS * DAY)),
        max_week: hours(max_week),
        max_nights,
    }
}

fn training_view(
    run: &Run,
    s: &Staffing,
    name_of: &dyn Fn(usize) -> Option<String>,
) -> Vec<TrainingRow> {
    s.training_progress()
        .into_iter()
        .map(|p| {
            let q = &s.people[p.person].quals[p.qual];
            let sessions = p
                .sessions
                .iter()
                .map(|x| {
                    let sc = &run.model.scenarios[x.scenario].ast;
                    SessionView {
                        scenario: sc.id.value.clone(),
                        title: sc.title.as_ref().map(|t| t.value.clone()),
                        held_from: s.format_time(x.held.start),
                        held_to: s.format_time(x.held.end),
                        held_from_iso: iso(x.held.start),
                        held_to_iso: iso(x.held.end),
                        instructor: x.instructor.map(|i| s.people[i].display()),
                        outcome: x.outcome.map_or("not recorded", |o| o.as_str()),
                        counts: x.completes(p.person),
                    }
                })
                .collect();
            TrainingRow {
                id: s.people[p.person].id.value.clone(),
                name: name_of(p.person),
                position: s.positions[q.position].name.value.clone(),
                required: p.required,
                completed: p.completed.len(),
                progress: format!(
                    "{} / {} scenario{}",
                    p.completed.len().min(p.required as usize),
                    p.required,
                    if p.required == 1 { "" } else { "s" }
                ),
                valid_from: p.valid_from.map(|t| s.format_time(t)),
                valid_from_iso: p.valid_from.map(iso),
                sessions,
            }
        })
        .collect()
}

fn rules_view(run: &Run, s: &Staffing) -> Vec<RuleView> {
    use crate::model::staffing::rule_source;
    let r = &s.rules;
    let night = r.night.value;
    let clock = |secs: i64| format!("{:02}:{:02}", secs / 3600, secs / 60 % 60);
    let rows: [(&'static str, String, Option<crate::source::Span>); 7] = [
        ("daily rest", hours(r.daily_rest.value), r.daily_rest.set_at),
        (
            "weekly rest",
            hours(r.weekly_rest.value),
            r.weekly_rest.set_at,
        ),
        ("max shift", hours(r.max_shift.value), r.max_shift.set_at),
        ("max week", hours(r.max_week.value), r.max_week.set_at),
        (
            "max nights",
            r.max_nights.value.to_string(),
            r.max_nights.set_at,
        ),
        (
            "night",
            format!("{} .. {}", clock(night.from), clock(night.to)),
            r.night.set_at,
        ),
        ("handover", hours(r.handover.value), r.handover.set_at),
    ];
    rows.into_iter()
        .map(|(rule, value, at)| match at {
            Some(span) => {
                let loc = Location::of(&run.sources, &crate::diag::Label::new(span, ""));
                RuleView {
                    rule,
                    value,
                    set_by: format!("{}:{}:{}", loc.file, loc.line, loc.column),
                    default: false,
                }
            }
            None => RuleView {
                rule,
                value,
                set_by: match rule_source(rule) {
                    "" => "the default".to_string(),
                    src => format!("the default: {src}"),
                },
                default: true,
            },
        })
        .collect()
}
