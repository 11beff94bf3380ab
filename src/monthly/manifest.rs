//! `monthly.yaml`: what a monthly report reads and how it judges. Every key is optional
//! except `plans` and `as_flown` (which the command line may give instead); unknown keys
//! are errors at their line and column. `docs/monthly.md` documents every key.
//!
//! A bad key does not hide the others: when the manifest as a whole does not deserialize,
//! each top-level key is tried on its own (the other lines blanked, so positions stay
//! those of the file), every failing key is reported where it fails, and the keys that
//! read are used, so the run goes on to report the problems of every other input.

use super::{Loc, Problem};
use std::collections::BTreeMap;

pub const MANIFEST_FILE: &str = "monthly.yaml";

/// One path or a list.
#[derive(Debug, Clone, serde::Deserialize, PartialEq)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl Default for OneOrMany {
    fn default() -> Self {
        OneOrMany::Many(Vec::new())
    }
}

impl OneOrMany {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// A calendar day of the document-control block: `2014-11-03` or `2014/307`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day(pub crate::time::Time);

impl<'de> serde::Deserialize<'de> for Day {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        match super::parse_stamp(&text, super::DateFormat::Iso) {
            Ok(s) if !s.has_clock => Ok(Day(s.time)),
            _ => Err(serde::de::Error::custom(format!(
                "`{}` is not a date; write 2014-11-03 (or 2014/307)",
                text.trim()
            ))),
        }
    }
}

/// Who prepared, checked or approved the report: a name, or a name and the day signed.
#[derive(Debug, Clone, PartialEq)]
pub struct Signatory {
    pub name: String,
    pub date: Option<Day>,
}

impl<'de> serde::Deserialize<'de> for Signatory {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Full {
            name: String,
            date: Option<Day>,
        }
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Signatory;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a name, or { name: …, date: 2014-11-03 }")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Signatory, E> {
                Ok(Signatory {
                    name: v.to_string(),
                    date: None,
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, m: A) -> Result<Signatory, A::Error> {
                let f: Full = serde::Deserialize::deserialize(
                    serde::de::value::MapAccessDeserializer::new(m),
                )?;
                Ok(Signatory {
                    name: f.name,
                    date: f.date,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// Paragraphs: one text (split at blank lines) or a list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Paragraphs(pub Vec<String>);

impl<'de> serde::Deserialize<'de> for Paragraphs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let all = match OneOrMany::deserialize(d)? {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        };
        let mut out = Vec::new();
        for text in all {
            let mut para: Vec<&str> = Vec::new();
            for line in text.lines().chain([""]) {
                if line.trim().is_empty() {
                    if !para.is_empty() {
                        out.push(para.join(" "));
                        para.clear();
                    }
                } else {
                    para.push(line.trim());
                }
            }
        }
        Ok(Paragraphs(out))
    }
}

/// Activities picked as the flight rules pick them: of one of the kinds listed (when
/// any is) and with one of the tags listed (when any is). An empty selector picks none.
#[derive(Debug, Clone, Default, serde::Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Selector {
    pub kind: Vec<String>,
    pub tag: Vec<String>,
}

impl Selector {
    pub fn matches(&self, kind: Option<&str>, tags: &[String]) -> bool {
        if self.kind.is_empty() && self.tag.is_empty() {
            return false;
        }
        let kind_ok = self.kind.is_empty()
            || kind.is_some_and(|k| self.kind.iter().any(|w| w.eq_ignore_ascii_case(k)));
        let tag_ok = self.tag.is_empty()
            || tags
                .iter()
                .any(|t| self.tag.iter().any(|w| w.eq_ignore_ascii_case(t)));
        kind_ok && tag_ok
    }
}

/// A KPI's target and amber limit. For a KPI where higher is better: green at or above
/// `target`, amber at or above `amber`, red below; where lower is better, the reverse.
#[derive(Debug, Clone, Copy, serde::Deserialize, PartialEq, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub target: f64,
    pub amber: f64,
}

#[derive(Debug, Clone, serde::Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Collision {
    /// Screening box half-widths, km (default ±0.5 radial, ±25 along-track, ±25 cross-track).
    pub box_radial_km: f64,
    pub box_along_km: f64,
    pub box_cross_km: f64,
    /// Pc thresholds (default 1e-5 and 1e-4, both inclusive).
    pub yellow: f64,
    pub red: f64,
    /// CDMs about one object whose TCAs are this close are one event (default 1h).
    pub event_gap: String,
    /// The avoidance manoeuvres among the planned activities (default: kind `dam`).
    pub manoeuvres: Selector,
    /// The decision activities (default: tag `dam-decision`).
    pub decisions: Selector,
    /// The mission's own objects: `OBJECT_DESIGNATOR` (catalogue number) or
    /// `INTERNATIONAL_DESIGNATOR` values. A CDM about none of them is not counted.
    pub our_objects: Designators,
}

impl Default for Collision {
    fn default() -> Self {
        Collision {
            box_radial_km: 0.5,
            box_along_km: 25.0,
            box_cross_km: 25.0,
            yellow: 1e-5,
            red: 1e-4,
            event_gap: "1h".into(),
            manoeuvres: Selector {
                kind: vec!["dam".into()],
                tag: vec![],
            },
            decisions: Selector {
                kind: vec![],
                tag: vec!["dam-decision".into()],
            },
            our_objects: Designators::default(),
        }
    }
}

#[derive(Debug, Clone, serde::Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Rag {
    /// A major anomaly open longer than this at month end makes the month amber.
    pub major_open_days: i64,
}

impl Default for Rag {
    fn default() -> Self {
        Rag {
            major_open_days: 30,
        }
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Manifest {
    /// The report's reference (`MOR-2014-10`) and title.
    pub reference: Option<String>,
    pub title: Option<String>,
    pub organisation: Option<String>,
    /// The document-control block: issue, its date (default: the generation date), who
    /// prepared, checked and approved it, the distribution list, the classification.
    pub issue: Option<String>,
    pub issue_date: Option<Day>,
    pub prepared: Option<Signatory>,
    pub checked: Option<Signatory>,
    pub approved: Option<Signatory>,
    pub distribution: Vec<String>,
    pub classification: Option<String>,
    /// The manager's executive summary, shown first.
    pub summary: Paragraphs,
    /// The month this manifest is for; `--month` must agree when both are given.
    pub month: Option<String>,
    /// Plan inputs (files, folders, `opsplan.yaml`), as `opsplan check` takes them.
    pub plans: OneOrMany,
    pub as_flown: Option<String>,
    pub anomalies: Option<String>,
    /// The anomaly register's sheet, for a workbook.
    pub anomalies_sheet: Option<String>,
    pub as_flown_sheet: Option<String>,
    pub changes: Option<String>,
    pub changes_sheet: Option<String>,
    /// CDM files or folders (`*.cdm`, `*.kvn`, `*.txt`).
    pub cdm: OneOrMany,
    pub kpi_history: Option<String>,
    /// The outage log of the ground systems (CSV or workbook) and its sheet.
    pub outages: Option<String>,
    pub outages_sheet: Option<String>,
    /// The software-delivery log (CSV or workbook) and its sheet.
    pub deliveries: Option<String>,
    pub deliveries_sheet: Option<String>,
    /// The on-call log (CSV or workbook) and its sheet.
    pub oncall_log: Option<String>,
    pub oncall_log_sheet: Option<String>,
    /// The requirement exports of the previous month's baseline.
    pub previous_requirements: OneOrMany,
    /// An activity started on time when within this of its planned start (default 5m).
    pub on_time_tolerance: Option<String>,
    /// An actual time further than this from the planned one is a warning (default 7d).
    pub far_from_plan: Option<String>,
    /// How the registers write dates with slashes (`DD/MM/YYYY`, `MM/DD/YYYY`); without
    /// it, only ISO 8601 and day-of-year dates are read.
    pub date_format: Option<String>,
    /// How the report writes dates: `iso` (default) or `day-of-year`.
    pub dates: super::Dates,
    pub collision: Collision,
    /// By KPI id (`docs/monthly.md`).
    pub targets: BTreeMap<String, Target>,
    /// Custom KPIs over activity kinds and tags ([`super::custom_kpi`]).
    pub kpis: Vec<super::custom_kpi::Spec>,
    pub rag: Rag,
    /// Free text shown in the summary (outlook, risks), one paragraph each.
    pub outlook: Vec<String>,
    /// Files and folders outside the manifest's folder that its paths may name
    /// (`workspace::contain`).
    #[serde(rename = "allow-paths")]
    pub allow_paths: Vec<String>,
}

/// Object designators: one or a list, numbers (`25544`) or text (`1998-067A`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Designators(pub Vec<String>);

impl<'de> serde::Deserialize<'de> for Designators {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Scalar {
            Number(u64),
            Text(String),
        }
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Raw {
            One(Scalar),
            Many(Vec<Scalar>),
        }
        let text = |s: Scalar| match s {
            Scalar::Number(n) => n.to_string(),
            Scalar::Text(t) => t,
        };
        Ok(Designators(match Raw::deserialize(d)? {
            Raw::One(s) => vec![text(s)],
            Raw::Many(v) => v.into_iter().map(text).collect(),
        }))
    }
}

/// A manifest as read: the keys that could be read, every problem, and the top-level keys
/// that could not (their defaults are used so the run can go on; the problems stop it).
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub manifest: Manifest,
    pub problems: Vec<Problem>,
    /// Top-level keys given but unreadable; `*` when the whole file is (a YAML syntax
    /// error): no key of it is known.
    pub failed: Vec<String>,
}

impl Parsed {
    /// Whether the manifest's `key` was given and could not be read.
    pub fn failed(&self, key: &str) -> bool {
        self.failed.iter().any(|k| k == key || k == "*")
    }
}

/// Parses the manifest; every problem is located at its line and column.
pub fn parse(text: &str) -> Parsed {
    if text.trim().is_empty() {
        return Parsed::default();
    }
    let unreadable = |p: Problem| Parsed {
        manifest: Manifest::default(),
        problems: vec![p],
        failed: vec!["*".into()],
    };
    // Nesting is bounded before the parser sees the text (it is slow on deep nesting).
    if let Err(e) = crate::yaml::check_depth(text, crate::yaml::MAX_DEPTH) {
        let (line, column) = e.line_col(text);
        return unreadable(Problem::error(Loc::LineCol(line, column), e.message()));
    }
    let whole = match serde_yaml::from_str::<Manifest>(text) {
        Ok(m) => {
            return Parsed {
                manifest: m,
                ..Parsed::default()
            }
        }
        Err(e) => located(&e),
    };
    // A syntax error: nothing of the file can be trusted.
    if let Err(e) = serde_yaml::from_str::<serde_yaml::Value>(text) {
        return unreadable(located(&e));
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let blocks = top_level_blocks(&lines);
    let mut good = Vec::new();
    let mut out = Parsed::default();
    for b in &blocks {
        match serde_yaml::from_str::<Manifest>(&keep_only(&lines, std::slice::from_ref(b))) {
            Ok(_) => good.push(b.clone()),
            Err(e) => {
                let mut problem = at_quoted_value(&lines, located(&e));
                // A misspelt top-level key (`asflown:`) is one error that names the key
                // meant, and that key counts as given but unreadable: no "no as-flown
                // log" on top of it.
                if let Some((meant, message)) = misspelt_key(&b.key, &problem.message) {
                    problem.message = message;
                    out.failed.extend(meant);
                }
                out.problems.push(problem);
                out.failed.push(b.key.clone());
            }
        }
    }
    // Keys that read alone but not together (an alias to another key's anchor, a flow
    // mapping the block split cannot see): the whole file's error stands.
    match serde_yaml::from_str::<Manifest>(&keep_only(&lines, &good)) {
        Ok(m) if !out.problems.is_empty() => out.manifest = m,
        _ => return unreadable(whole),
    }
    out
}

/// A problem serde places at a key or at the `{` of a flow mapping, moved to the value
/// its message quotes when that value is on the same line after it (`issue_date:
/// 2025-04-02 10:00` is located at `2025`, not at `issue_date`).
fn at_quoted_value(lines: &[&str], mut p: Problem) -> Problem {
    let Loc::LineCol(line, column) = p.loc else {
        return p;
    };
    let Some(quoted) = p.message.split('`').nth(1).filter(|q| !q.trim().is_empty()) else {
        return p;
    };
    let Some(text) = line.checked_sub(1).and_then(|i| lines.get(i)) else {
        return p;
    };
    // Columns count characters.
    let from = text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| i);
    if let Some(at) = text[from..].find(quoted) {
        p.loc = Loc::LineCol(line, text[..from + at].chars().count() + 1);
    }
    p
}

/// For serde's "unknown field `key`, expected one of `a`, `b`, …" about the top-level
/// `key`: the keys it may have meant and the message saying so (`None` when nothing is
/// close: serde's message, listing every key, stands).
fn misspelt_key(key: &str, message: &str) -> Option<(Vec<String>, String)> {
    let rest = message.strip_prefix(&format!("unknown field `{key}`, expected one of "))?;
    let known: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let suggestion = crate::diag::did_you_mean(key, known.iter().copied())?;
    Some((
        suggestion.names().iter().map(|n| n.to_string()).collect(),
        format!(
            "unknown key `{key}`: {} (docs/monthly.md lists the keys)",
            suggestion.did_you_mean()
        ),
    ))
}

fn located(e: &serde_yaml::Error) -> Problem {
    let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
    Problem::error(
        Loc::LineCol(line, column),
        e.to_string()
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_string(),
    )
}

/// A top-level key and its lines (`start..end`, 0-based).
#[derive(Debug, Clone)]
struct Block {
    key: String,
    start: usize,
    end: usize,
}

/// The top-level keys of a block mapping: a line starting in column 1 with neither a
/// blank, a comment nor a sequence dash starts a key; its block runs to the next one.
fn top_level_blocks(lines: &[&str]) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let starts = l
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && c != '#' && c != '-' && c != '.');
        if !starts {
            continue;
        }
        if let Some(last) = out.last_mut() {
            last.end = i;
        }
        let key = l.split(':').next().unwrap_or_default();
        out.push(Block {
            key: key.trim().trim_matches(['"', '\'']).to_string(),
            start: i,
            end: lines.len(),
        });
    }
    out
}

/// The text with only `blocks`' lines kept, the others blank (lines keep their numbers).
fn keep_only(lines: &[&str], blocks: &[Block]) -> String {
    let mut keep = vec![false; lines.len()];
    for b in blocks {
        for k in &mut keep[b.start..b.end] {
            *k = true;
        }
    }
    lines
        .iter()
        .zip(keep)
        .map(|(l, k)| if k { *l } else { "" })
        .collect::<Vec<_>>()
        .join("\n")
}
