//! `monthly.yaml`: what a monthly report reads and how it judges. Every key is optional
//! except `plans` and `as_flown` (which the command line may give instead); unknown keys
//! are errors at their line and column. `docs/monthly.md` documents every key.

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
    /// The requirement exports of the previous month's baseline.
    pub previous_requirements: OneOrMany,
    /// An activity started on time when within this of its planned start (default 5m).
    pub on_time_tolerance: Option<String>,
    pub collision: Collision,
    /// By KPI id (`docs/monthly.md`).
    pub targets: BTreeMap<String, Target>,
    pub rag: Rag,
    /// Free text shown in the summary (outlook, risks), one paragraph each.
    pub outlook: Vec<String>,
    /// Files and folders outside the manifest's folder that its paths may name
    /// (`workspace::contain`).
    #[serde(rename = "allow-paths")]
    pub allow_paths: Vec<String>,
}

/// Parses the manifest; an error is located at its line and column.
pub fn parse(text: &str) -> Result<Manifest, Problem> {
    if text.trim().is_empty() {
        return Ok(Manifest::default());
    }
    // Nesting is bounded before the parser sees the text (it is slow on deep nesting).
    if let Err(e) = crate::yaml::check_depth(text, crate::yaml::MAX_DEPTH) {
        let (line, column) = e.line_col(text);
        return Err(Problem::error(Loc::LineCol(line, column), e.message()));
    }
    serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        Problem::error(
            Loc::LineCol(line, column),
            e.to_string()
                .split(" at line ")
                .next()
                .unwrap_or_default()
                .to_string(),
        )
    })
}
