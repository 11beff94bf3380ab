//! Custom service KPIs, defined in `monthly.yaml` under `kpis:` (docs/monthly.md,
//! "Custom KPIs"): a set of planned activities picked by kind and tag, one measure over
//! it, a target, an amber limit and a direction. They join the KPI table, the history,
//! the status and the JSON as the built-in KPIs do.
//!
//! [`build`] checks every entry, every problem located at its line and column in the
//! manifest's text (serde locates unknown keys and wrong types first); [`unmatched`]
//! warns about a selector naming a kind or tag that no activity of the plans has; and
//! [`measure`] computes a value, or says why there is none (`n/a`, never 0 % or 100 %).

use super::asflown::{Flown, FlownStatus};
use super::kpi::{self, KpiDef};
use super::manifest::{Selector, Target};
use super::metrics::{ActivityResult, Outcome, Planned};
use super::{Loc, Problem};
use crate::time::Time;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// An entry of `kpis:` as written; [`build`] checks it.
#[derive(Debug, Clone, Default, serde::Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    pub id: String,
    pub name: String,
    pub select: Selector,
    pub measure: String,
    #[serde(default)]
    pub time: Option<String>,
    pub target: f64,
    pub amber: f64,
    pub better: String,
}

/// What a custom KPI measures over the activities it selects that are planned in the
/// month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// done / planned, %.
    DonePercent,
    /// done or partial, started within the on-time tolerance / done or partial, %.
    OnTimePercent,
    /// done, actual end at or before the time of day (seconds after 00:00 UTC) on the
    /// day of the planned end / done, %.
    DoneBy(i64),
    /// How many are planned.
    PlannedCount,
    /// How many are done.
    DoneCount,
}

/// The measures, as written in `measure:`.
pub const MEASURES: &[&str] = &[
    "done_percent",
    "on_time_percent",
    "done_by",
    "planned_count",
    "done_count",
];

impl Measure {
    fn is_percent(self) -> bool {
        matches!(
            self,
            Measure::DonePercent | Measure::OnTimePercent | Measure::DoneBy(_)
        )
    }
}

/// A checked custom KPI.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomKpi {
    pub id: String,
    pub name: String,
    pub select: Selector,
    pub measure: Measure,
    pub target: Target,
    pub higher_is_better: bool,
    /// Each selector value: `kind` or `tag`, the value, where it is written.
    pub values: Vec<(&'static str, String, Loc)>,
}

impl CustomKpi {
    /// The KPI's definition, as the built-in ones have theirs.
    pub fn def(&self) -> KpiDef {
        KpiDef {
            id: Cow::Owned(self.id.clone()),
            name: Cow::Owned(self.name.clone()),
            unit: if self.measure.is_percent() { "%" } else { "" },
            higher_is_better: self.higher_is_better,
            default: self.target,
            definition: Cow::Owned(self.definition()),
        }
    }

    /// The exact definition in words, for the reader of the report.
    pub fn definition(&self) -> String {
        let of = selection(&self.select);
        match self.measure {
            Measure::DonePercent => format!("{of} done / {of} planned in the month"),
            Measure::OnTimePercent => format!(
                "{of} done or partial that started within the tolerance of their planned start / {of} done or partial"
            ),
            Measure::DoneBy(t) => format!(
                "{of} done whose actual end is at or before {} UTC on the day of their planned end / {of} done",
                clock(t)
            ),
            Measure::PlannedCount => format!("{of} planned in the month"),
            Measure::DoneCount => format!("{of} planned in the month and done"),
        }
    }
}

/// `activities of kind od or report with tag cargo`
fn selection(s: &Selector) -> String {
    let mut out = "activities".to_string();
    if !s.kind.is_empty() {
        out += &format!(" of kind {}", s.kind.join(" or "));
    }
    if !s.tag.is_empty() {
        out += &format!(" with tag {}", s.tag.join(" or "));
    }
    out
}

/// `08:00`
fn clock(seconds: i64) -> String {
    format!("{:02}:{:02}", seconds / 3600, seconds % 3600 / 60)
}

/// A time of day `HH:MM` (or `H:MM`), 00:00 to 23:59: seconds after midnight.
pub fn parse_time_of_day(text: &str) -> Result<i64, String> {
    let bad = || {
        format!(
            "`{}` is not a time of day: write HH:MM in UTC, from 00:00 to 23:59, such as 08:00",
            text.trim()
        )
    };
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(h, 1..=2) || !digits(m, 2..=2) {
        return Err(bad());
    }
    let (h, m): (i64, i64) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 23 || m > 59 {
        return Err(bad());
    }
    Ok(h * 3600 + m * 60)
}

/// Where the entries of `kpis:` are in the manifest's text.
struct Places<'t> {
    text: &'t str,
    index: crate::source::LineIndex,
    /// The `kpis` key.
    key: usize,
    /// Each entry: its byte range, from its `-`.
    entries: Vec<(usize, usize)>,
}

impl<'t> Places<'t> {
    fn new(text: &'t str) -> Places<'t> {
        let index = crate::source::LineIndex::new(text);
        let mut key = 0;
        let mut entries: Vec<(usize, usize)> = Vec::new();
        let mut in_block = false;
        let mut dash_indent: Option<usize> = None;
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let body = line.trim_end();
            let indent = body.len() - body.trim_start().len();
            let first = body.trim_start().chars().next();
            if indent == 0 && first.is_some_and(|c| c != '#' && c != '-') {
                if in_block {
                    break;
                }
                if body.starts_with("kpis:") {
                    in_block = true;
                    key = start;
                }
                continue;
            }
            if !in_block || first != Some('-') {
                continue;
            }
            let after = body.trim_start()[1..].chars().next();
            if !after.is_none_or(char::is_whitespace) || dash_indent.is_some_and(|d| d != indent) {
                continue;
            }
            dash_indent = Some(indent);
            if let Some(last) = entries.last_mut() {
                last.1 = start + indent;
            }
            entries.push((start + indent, text.len()));
        }
        if let (Some(last), true) = (entries.last_mut(), in_block) {
            last.1 = last.1.min(offset);
        }
        Places {
            text,
            index,
            key,
            entries,
        }
    }

    fn loc(&self, offset: usize) -> Loc {
        let lc = self.index.line_col(self.text, offset);
        Loc::LineCol(lc.line as usize, lc.column as usize)
    }

    /// Where `key:` starts in `range`, outside comments.
    fn find_key(&self, (from, to): (usize, usize), key: &str) -> Option<usize> {
        let part = &self.text[from..to];
        let needle = format!("{key}:");
        part.match_indices(&needle)
            .map(|(i, _)| from + i)
            .find(|&i| {
                let before = &self.text[from..i];
                let line = &before[before.rfind('\n').map_or(0, |n| n + 1)..];
                !line.contains('#')
                    && (i == from
                        || self.text[..i]
                            .ends_with(|c: char| c.is_whitespace() || matches!(c, '{' | ',' | '-')))
            })
    }

    /// Where entry `i`'s `key` has its value (the key when the value is on the next
    /// lines; the entry when the key is absent).
    fn value(&self, i: usize, key: &str) -> Loc {
        let Some(&range) = self.entries.get(i) else {
            return self.loc(self.key);
        };
        match self.find_key(range, key) {
            Some(k) => {
                let v = k + key.len() + 1;
                let rest = &self.text[v..range.1];
                let blank = rest.len() - rest.trim_start_matches([' ', '\t']).len();
                if rest[blank..].starts_with(['\n', '\r', '#']) || rest[blank..].is_empty() {
                    self.loc(k)
                } else {
                    self.loc(v + blank)
                }
            }
            None => self.loc(range.0),
        }
    }

    /// Where entry `i` writes `value` under `select:` `key` (`kind`, `tag`).
    fn selector_value(&self, i: usize, key: &str, value: &str) -> Loc {
        let Some(&range) = self.entries.get(i) else {
            return self.loc(self.key);
        };
        let found = self
            .find_key(range, "select")
            .and_then(|s| self.find_key((s, range.1), key))
            .and_then(|k| {
                self.text[k..range.1]
                    .find(value)
                    .filter(|_| !value.is_empty())
                    .map(|v| k + v)
            });
        match found {
            Some(o) => self.loc(o),
            None => self.value(i, "select"),
        }
    }
}

/// Checks the entries of `kpis:` (`text`: the manifest, to locate them): every problem
/// at its line and column; the KPIs without problems, in the order written.
pub fn build(specs: &[Spec], text: &str) -> (Vec<CustomKpi>, Vec<Problem>) {
    let places = Places::new(text);
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut ids: BTreeMap<&str, Loc> = BTreeMap::new();
    let mut names: BTreeMap<String, (Loc, String)> = kpi::KPIS
        .iter()
        .chain([&kpi::ONCALL])
        .map(|k| (k.name.to_lowercase(), (Loc::File, k.id.to_string())))
        .collect();
    for (i, s) in specs.iter().enumerate() {
        let before = problems.len();
        let places = &places;
        let mut bad = |key: &str, message: String| {
            problems.push(Problem::error(places.value(i, key), message));
        };
        let who = if s.id.is_empty() { "kpis" } else { &s.id };
        // id
        let well_formed = s.id.starts_with(|c: char| c.is_ascii_lowercase())
            && s.id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !well_formed {
            bad(
                "id",
                format!(
                    "kpis: id `{}` is not a KPI id: write a lower-case letter then lower-case letters, digits or `_`, such as products_by_0800",
                    s.id
                ),
            );
        } else if kpi::def(&s.id).is_some() {
            bad(
                "id",
                format!(
                    "kpis: `{}` is a built-in KPI: a custom KPI needs an id of its own (a built-in KPI's target is set under `targets:`)",
                    s.id
                ),
            );
        } else if let Some(first) = ids.get(s.id.as_str()) {
            bad(
                "id",
                format!(
                    "kpis: the id `{}` is given twice (first {})",
                    s.id,
                    super::anomalies::where_is(first)
                ),
            );
        } else {
            ids.insert(&s.id, places.value(i, "id"));
        }
        // name
        let name = s.name.trim();
        if name.is_empty() {
            bad(
                "name",
                format!("kpis: {who}: the name is empty: give the KPI's name as the report's reader knows it"),
            );
        } else if let Some((first, other)) = names.get(&name.to_lowercase()) {
            let whose = match first {
                Loc::File => format!("the built-in KPI `{other}`"),
                at => format!("`{other}` ({})", super::anomalies::where_is(at)),
            };
            bad(
                "name",
                format!("kpis: {who}: the name `{name}` is already the name of {whose}: the KPI table would show two rows alike"),
            );
        } else {
            names.insert(name.to_lowercase(), (places.value(i, "name"), s.id.clone()));
        }
        // select
        if s.select.kind.is_empty() && s.select.tag.is_empty() {
            bad(
                "select",
                format!("kpis: {who}: `select` picks no activity: give `kind:`, `tag:` or both, such as {{ kind: [od] }}"),
            );
        }
        // measure and time
        let time = match s.time.as_deref().map(parse_time_of_day) {
            Some(Err(e)) => {
                bad("time", format!("kpis: {who}: time: {e}"));
                None
            }
            Some(Ok(t)) => Some(t),
            None => None,
        };
        let measure = match s.measure.trim() {
            "done_percent" => Some(Measure::DonePercent),
            "on_time_percent" => Some(Measure::OnTimePercent),
            "done_by" => match (&s.time, time) {
                (None, _) => {
                    bad(
                        "measure",
                        format!("kpis: {who}: `done_by` needs `time:`, the time of day (UTC) the activities must be done by, such as time: \"08:00\""),
                    );
                    None
                }
                (Some(_), t) => t.map(Measure::DoneBy),
            },
            "planned_count" => Some(Measure::PlannedCount),
            "done_count" => Some(Measure::DoneCount),
            other => {
                let hint = crate::diag::did_you_mean(other, MEASURES.iter().copied())
                    .map(|s| format!(" ({})", s.did_you_mean()))
                    .unwrap_or_default();
                bad(
                    "measure",
                    format!(
                        "kpis: {who}: unknown measure `{other}`{hint}: the measures are {}",
                        super::one_of(MEASURES)
                    ),
                );
                None
            }
        };
        if time.is_some() && measure.is_some_and(|m| !matches!(m, Measure::DoneBy(_))) {
            bad(
                "time",
                format!(
                    "kpis: {who}: `time` is for the measure `done_by` only; `{}` takes no time of day",
                    s.measure.trim()
                ),
            );
        }
        // direction, target and amber
        let higher = match s.better.trim() {
            "higher" => Some(true),
            "lower" => Some(false),
            other => {
                bad(
                    "better",
                    format!(
                        "kpis: {who}: better: `{other}` is not a direction: write higher or lower"
                    ),
                );
                None
            }
        };
        let mut limits_ok = true;
        for (key, v) in [("target", s.target), ("amber", s.amber)] {
            let range = match measure {
                Some(m) if m.is_percent() => (0.0, 100.0, "a percentage, from 0 to 100"),
                _ => (0.0, f64::INFINITY, "a number of activities, 0 or more"),
            };
            if !(v.is_finite() && range.0 <= v && v <= range.1) {
                bad(key, format!("kpis: {who}: {key}: `{v}` is not {}", range.2));
                limits_ok = false;
            }
        }
        if let (Some(h), true) = (higher, limits_ok) {
            let wrong = if h {
                s.amber > s.target
            } else {
                s.amber < s.target
            };
            if wrong {
                bad(
                    "amber",
                    format!(
                        "kpis: {who}: amber {} is {} the target {}: where {} is better, amber is the band just short of the target, so the amber limit is {} the target",
                        s.amber,
                        if h { "above" } else { "below" },
                        s.target,
                        if h { "higher" } else { "lower" },
                        if h { "at or below" } else { "at or above" },
                    ),
                );
            }
        }
        if problems.len() > before {
            continue;
        }
        let (Some(measure), Some(higher_is_better)) = (measure, higher) else {
            continue;
        };
        let values = [("kind", &s.select.kind), ("tag", &s.select.tag)]
            .into_iter()
            .flat_map(|(key, list)| {
                list.iter()
                    .map(move |v| (key, v.clone(), places.selector_value(i, key, v)))
            })
            .collect();
        out.push(CustomKpi {
            id: s.id.clone(),
            name: name.to_string(),
            select: s.select.clone(),
            measure,
            target: Target {
                target: s.target,
                amber: s.amber,
            },
            higher_is_better,
            values,
        });
    }
    (out, problems)
}

/// A warning at each selector value naming a kind or tag that no activity of the plans
/// read has (a misspelt kind would otherwise make the KPI `n/a`, or count less, without
/// a word). Kinds and tags are compared ignoring case, as the selector matches them.
pub fn unmatched(kpis: &[CustomKpi], activities: &[Planned]) -> Vec<Problem> {
    let mut kinds: BTreeSet<String> = BTreeSet::new();
    let mut tags: BTreeSet<String> = BTreeSet::new();
    for a in activities {
        kinds.extend(a.kind.iter().map(|k| k.to_lowercase()));
        tags.extend(a.tags.iter().map(|t| t.to_lowercase()));
    }
    let mut out = Vec::new();
    for k in kpis {
        for (key, value, loc) in &k.values {
            let known = if *key == "kind" { &kinds } else { &tags };
            if known.contains(&value.to_lowercase()) {
                continue;
            }
            let hint = crate::diag::did_you_mean(value, known.iter().map(String::as_str))
                .map(|s| format!(" ({})", s.did_you_mean()))
                .unwrap_or_default();
            out.push(Problem::warning(
                loc.clone(),
                format!(
                    "kpis: {}: no activity of the plans has {key} `{value}`{hint}: it selects nothing for the KPI `{}`",
                    k.id, k.name
                ),
            ));
        }
    }
    out
}

/// The KPI's value over the month's `results` (planned activities of the month, with
/// what the log says), or why it has none.
pub fn measure(
    k: &CustomKpi,
    results: &[ActivityResult],
    activities: &[Planned],
    flown: &[Flown],
) -> Result<f64, String> {
    let selected: Vec<&ActivityResult> = results
        .iter()
        .filter(|r| {
            let a = &activities[r.activity];
            k.select.matches(a.kind.as_deref(), &a.tags)
        })
        .collect();
    let of = selection(&k.select);
    if selected.is_empty() {
        return Err(format!("no {of} were planned in the month"));
    }
    let n = selected.len();
    let done = |r: &&&ActivityResult| {
        matches!(r.outcome, Outcome::OnTime | Outcome::Early | Outcome::Late)
    };
    let pct = |part: usize, whole: usize| 100.0 * part as f64 / whole as f64;
    let none_of = |what: &str| format!("{of} planned in the month: {n}; {what}: none");
    match k.measure {
        Measure::PlannedCount => Ok(n as f64),
        Measure::DoneCount => Ok(selected.iter().filter(done).count() as f64),
        Measure::DonePercent => Ok(pct(selected.iter().filter(done).count(), n)),
        Measure::OnTimePercent => {
            let ran: Vec<_> = selected
                .iter()
                .filter(|r| done(r) || r.outcome == Outcome::Partial)
                .collect();
            if ran.is_empty() {
                return Err(none_of("done or partial"));
            }
            Ok(pct(ran.iter().filter(|r| r.on_time).count(), ran.len()))
        }
        Measure::DoneBy(t) => {
            let done: Vec<_> = selected.iter().filter(done).collect();
            if done.is_empty() {
                return Err(none_of("done"));
            }
            let by = done
                .iter()
                .filter(|r| {
                    let end = r
                        .flown
                        .map(|fi| &flown[fi])
                        .filter(|f| f.status == FlownStatus::Done)
                        .and_then(|f| f.end);
                    end.is_some_and(|e| e <= deadline(&activities[r.activity], t))
                })
                .count();
            Ok(pct(by, done.len()))
        }
    }
}

/// `time` (seconds after 00:00 UTC) on the day of the activity's planned end; an end at
/// 00:00 exactly belongs to the day before, as the activity's last minute does.
pub fn deadline(a: &Planned, time: i64) -> Time {
    let last = if a.end.0 > a.start.0 {
        a.end.0 - 1
    } else {
        a.end.0
    };
    Time(last.div_euclid(86_400) * 86_400 + time)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monthly::metrics::{self, Inputs};
    use crate::monthly::{cdm::Screening, kpi::Rag, Dates, Month};
    use crate::time::Dur;

    const OCT: Month = Month {
        year: 2014,
        month: 10,
    };

    fn t(s: &str) -> Time {
        crate::monthly::parse_time(s).expect("time")
    }

    fn act(id: &str, start: &str, minutes: i64, kind: &str, tags: &[&str]) -> Planned {
        let s = t(start);
        Planned {
            plan: "P".into(),
            id: id.into(),
            title: String::new(),
            kind: Some(kind.into()),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            critical: false,
            start: s,
            end: Time(s.0 + minutes * 60),
            procedure: None,
        }
    }

    fn row(id: &str, times: Option<(&str, &str)>, status: FlownStatus) -> Flown {
        Flown {
            activity: id.into(),
            plan: None,
            start: times.map(|(s, _)| t(s)),
            end: times.map(|(_, e)| t(e)),
            status,
            comment: String::new(),
            loc: Loc::LineCol(2, 1),
            start_loc: Loc::LineCol(2, 3),
            end_loc: Loc::LineCol(2, 4),
            start_clock: true,
            end_clock: true,
            ok: true,
        }
    }

    fn kpi(measure: Measure, select: Selector, target: f64, amber: f64) -> CustomKpi {
        CustomKpi {
            id: "k".into(),
            name: "Products on time".into(),
            select,
            measure,
            target: Target { target, amber },
            higher_is_better: true,
            values: Vec::new(),
        }
    }

    fn kind(k: &str) -> Selector {
        Selector {
            kind: vec![k.into()],
            tag: vec![],
        }
    }

    /// Six products planned in October, one in November, a pass.
    fn month() -> (Vec<Planned>, Vec<Flown>) {
        let acts = vec![
            act("P1", "2014-10-02 06:00", 30, "product", &["orbit"]),
            act("P2", "2014-10-03 06:00", 30, "product", &["orbit"]),
            act("P3", "2014-10-04 06:00", 30, "product", &[]),
            act("P4", "2014-10-05 06:00", 30, "product", &[]),
            act("P5", "2014-10-06 06:00", 30, "product", &[]),
            act("P6", "2014-10-07 06:00", 30, "product", &[]),
            act("NOV", "2014-11-01 06:00", 30, "product", &[]),
            act("X", "2014-10-02 09:00", 30, "pass", &[]),
        ];
        use FlownStatus::*;
        let log = vec![
            // On time, ends 06:30.
            row("P1", Some(("2014-10-02 06:00", "2014-10-02 06:30")), Done),
            // Late, ends at 08:00 exactly.
            row("P2", Some(("2014-10-03 07:50", "2014-10-03 08:00")), Done),
            // Late, ends 08:01.
            row("P3", Some(("2014-10-04 07:45", "2014-10-04 08:01")), Done),
            // Partial, started 2 min late.
            row(
                "P4",
                Some(("2014-10-05 06:02", "2014-10-05 06:20")),
                Partial,
            ),
            row("P5", None, Cancelled),
            // Done a day late, at 05:30: before 08:00, but not on its day.
            row("P6", Some(("2014-10-08 05:00", "2014-10-08 05:30")), Done),
            row("NOV", Some(("2014-11-01 06:00", "2014-11-01 06:30")), Done),
            row("X", Some(("2014-10-02 09:00", "2014-10-02 09:30")), Done),
        ];
        (acts, log)
    }

    fn compute(acts: &[Planned], log: &[Flown], kpis: &[CustomKpi]) -> metrics::Metrics {
        let none = Selector::default();
        let targets = BTreeMap::from([
            (
                "completion".to_string(),
                Target {
                    target: 0.0,
                    amber: 0.0,
                },
            ),
            (
                "on_time".to_string(),
                Target {
                    target: 0.0,
                    amber: 0.0,
                },
            ),
            (
                "stability".to_string(),
                Target {
                    target: 0.0,
                    amber: 0.0,
                },
            ),
        ]);
        metrics::compute(&Inputs {
            month: OCT,
            plans: &[],
            unread_plan_errors: &[],
            activities: acts,
            flown: log,
            anomalies: None,
            changes: None,
            cdms: None,
            outages: None,
            coverage: None,
            history: None,
            tolerance: Dur::minutes(5),
            far_from_plan: Dur(7 * 86_400),
            screening: Screening::default(),
            manoeuvres: &none,
            decisions: &none,
            targets: &targets,
            custom_kpis: kpis,
            oncall_response: None,
            major_open_days: 30,
            dates: Dates::Iso,
        })
        .0
    }

    fn value(measure: Measure, select: Selector) -> Result<f64, String> {
        let (acts, log) = month();
        let m = compute(&acts, &log, &[]);
        super::measure(&kpi(measure, select, 0.0, 0.0), &m.results, &acts, &log)
    }

    #[test]
    fn each_measure_over_the_selected_activities_of_the_month() {
        // Selected in October: P1-P6 (NOV is in November, X another kind).
        assert_eq!(value(Measure::PlannedCount, kind("product")), Ok(6.0));
        // Done: P1, P2, P3, P6.
        assert_eq!(value(Measure::DoneCount, kind("product")), Ok(4.0));
        assert_eq!(
            value(Measure::DonePercent, kind("product")),
            Ok(100.0 * 4.0 / 6.0)
        );
        // Done or partial: P1, P2, P3, P4, P6; within 5 min: P1 (0), P4 (+2 min).
        assert_eq!(value(Measure::OnTimePercent, kind("product")), Ok(40.0));
        // Done by 08:00 on the day of the planned end: P1, P2 (08:00 exactly); not P3
        // (08:01) nor P6 (05:30, a day late).
        assert_eq!(value(Measure::DoneBy(8 * 3600), kind("product")), Ok(50.0));
        // By 08:01: P3 too.
        assert_eq!(
            value(Measure::DoneBy(8 * 3600 + 60), kind("product")),
            Ok(75.0)
        );
        // Kind and tag: both must match (P1, P2), ignoring case.
        let both = Selector {
            kind: vec!["PRODUCT".into()],
            tag: vec!["Orbit".into()],
        };
        assert_eq!(value(Measure::PlannedCount, both.clone()), Ok(2.0));
        assert_eq!(value(Measure::DoneBy(8 * 3600), both), Ok(100.0));
    }

    #[test]
    fn nothing_to_count_is_a_reason_never_a_value() {
        assert_eq!(
            value(Measure::DonePercent, kind("report")),
            Err("no activities of kind report were planned in the month".into())
        );
        assert_eq!(
            value(Measure::PlannedCount, kind("report")),
            Err("no activities of kind report were planned in the month".into()),
            "a count too"
        );
        let (mut acts, mut log) = month();
        acts.push(act("R", "2014-10-09 10:00", 60, "report", &[]));
        log.push(row("R", None, FlownStatus::Moved));
        let m = compute(
            &acts,
            &log,
            &[kpi(Measure::DoneBy(12 * 3600), kind("report"), 95.0, 90.0)],
        );
        let k = m.kpis.last().expect("the custom KPI");
        assert!(k.custom);
        assert_eq!((k.value, k.status), (None, None));
        assert_eq!(
            k.note.as_deref(),
            Some("activities of kind report planned in the month: 1; done: none")
        );
        assert_eq!(m.rag, Rag::Green, "n/a counts for nothing");
    }

    #[test]
    fn a_red_custom_kpi_turns_the_month_red_and_an_amber_one_amber() {
        let (acts, log) = month();
        // 50 % done by 08:00.
        let red = kpi(Measure::DoneBy(8 * 3600), kind("product"), 95.0, 90.0);
        let m = compute(&acts, &log, &[red]);
        assert_eq!(m.kpis.last().and_then(|k| k.status), Some(Rag::Red));
        assert_eq!(m.rag, Rag::Red);
        assert_eq!(
            m.reasons,
            [(
                Rag::Red,
                "KPI Products on time is red: 50.0 % against a target of ≥ 95.0 %".to_string()
            )]
        );
        let amber = kpi(Measure::DoneBy(8 * 3600), kind("product"), 60.0, 50.0);
        let m = compute(&acts, &log, &[amber]);
        assert_eq!(m.rag, Rag::Amber, "50 % meets the amber limit");
        let mut lower = kpi(Measure::DoneCount, kind("product"), 4.0, 5.0);
        lower.higher_is_better = false;
        let m = compute(&acts, &log, &[lower]);
        assert_eq!(m.rag, Rag::Green, "4 done, at most 4 wanted");
    }

    #[test]
    fn history_gives_a_custom_kpi_its_previous_value_and_trend() {
        let (acts, log) = month();
        let (table, read) = crate::monthly::table::from_csv(
            b"month,kpi,value\n2014-08,k,40\n2014-09,k,60\n2014-09,x,1\n",
        );
        assert!(read.is_empty(), "{read:?}");
        let ctx = crate::monthly::ReadCtx {
            month: Some(OCT),
            ..Default::default()
        };
        let (history, problems) = kpi::read_history_of(&table, &ctx, Some(&["k"]));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].loc, Loc::LineCol(4, 9));
        assert!(problems[0]
            .message
            .starts_with("unknown KPI `x`: the KPIs are `completion`"));
        assert!(problems[0]
            .message
            .ends_with("`availability`, `oncall_response` or `k`"));
        // With the manifest's `kpis:` unreadable, any id is taken.
        assert!(kpi::read_history_of(&table, &ctx, None).1.is_empty());
        let none = Selector::default();
        let targets = BTreeMap::new();
        let custom = [kpi(Measure::DoneBy(8 * 3600), kind("product"), 95.0, 90.0)];
        let (m, _) = metrics::compute(&Inputs {
            month: OCT,
            plans: &[],
            unread_plan_errors: &[],
            activities: &acts,
            flown: &log,
            anomalies: None,
            changes: None,
            cdms: None,
            outages: None,
            coverage: None,
            history: Some(&history),
            tolerance: Dur::minutes(5),
            far_from_plan: Dur(7 * 86_400),
            screening: Screening::default(),
            manoeuvres: &none,
            decisions: &none,
            targets: &targets,
            custom_kpis: &custom,
            oncall_response: None,
            major_open_days: 30,
            dates: Dates::Iso,
        });
        let k = m.kpis.last().expect("custom");
        assert_eq!(k.previous, Some(60.0));
        assert_eq!(k.trend, Some("worse"));
        let months: Vec<(i8, f64)> = k.series.iter().map(|(m, v)| (m.month, *v)).collect();
        assert_eq!(months, [(8, 40.0), (9, 60.0), (10, 50.0)]);
    }

    #[test]
    fn the_deadline_is_on_the_day_of_the_planned_end() {
        let a = act("A", "2014-10-02 23:00", 120, "x", &[]);
        assert_eq!(deadline(&a, 8 * 3600), t("2014-10-03 08:00"));
        // An end at 00:00 belongs to the day before.
        let b = act("B", "2014-10-02 22:00", 120, "x", &[]);
        assert_eq!(deadline(&b, 23 * 3600 + 30 * 60), t("2014-10-02 23:30"));
        // A milestone: its own day.
        let c = act("C", "2014-10-03 00:00", 0, "x", &[]);
        assert_eq!(deadline(&c, 60), t("2014-10-03 00:01"));
    }

    #[test]
    fn times_of_day_are_hh_mm_in_a_day() {
        assert_eq!(parse_time_of_day("08:00"), Ok(8 * 3600));
        assert_eq!(parse_time_of_day("8:05"), Ok(8 * 3600 + 300));
        assert_eq!(parse_time_of_day("23:59"), Ok(86_340));
        for bad in [
            "24:00", "08:60", "0800", "8h", "08:0", "", "-1:00", "08:00:00",
        ] {
            assert!(parse_time_of_day(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn entries_are_located_in_block_and_flow_forms() {
        let text = "month: 2014-10\nkpis:\n- id: a\n  measure: nope # a comment: measure: x\n- { id: b, measure: done_by }\nrag: {}\n";
        let specs = [
            Spec {
                id: "a".into(),
                name: "A".into(),
                select: kind("x"),
                measure: "nope".into(),
                better: "higher".into(),
                ..Spec::default()
            },
            Spec {
                id: "b".into(),
                name: "B".into(),
                select: kind("x"),
                measure: "done_by".into(),
                better: "higher".into(),
                ..Spec::default()
            },
        ];
        let (ok, problems) = build(&specs, text);
        assert!(ok.is_empty());
        let locs: Vec<&Loc> = problems.iter().map(|p| &p.loc).collect();
        assert_eq!(locs, [&Loc::LineCol(4, 12), &Loc::LineCol(5, 21)]);
    }
}
