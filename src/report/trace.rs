//! The traceability report a qualification team sends: the coverage summary, one row per
//! requirement (status, covering items linked to their source), the uncovered, suspect
//! and dangling lists, and the matrix requirement × covering item.
//!
//! Built on [`crate::output::trace::TraceView`], the view `opsplan trace` prints, so the
//! report and the command agree.

use super::Provenance;
use crate::output::trace::TraceView;
use crate::trace::{LinkStatus, ReqStatus};
use serde::Serialize;

/// The largest matrix drawn in the report (requirements × items); a larger one is left
/// to `opsplan trace --format xlsx|csv`.
pub const MATRIX_MAX_CELLS: usize = 250_000;

#[derive(Debug, Clone, Serialize)]
pub struct TraceReportView {
    pub title: String,
    pub verdict: Verdict,
    pub exports: Vec<String>,
    pub baseline: Vec<String>,
    pub plans: Vec<String>,
    pub summary: Summary,
    pub requirements: Vec<RequirementRow>,
    pub uncovered: Vec<RequirementRow>,
    pub suspect: Vec<LinkRow>,
    pub dangling: Vec<LinkRow>,
    /// Links to withdrawn, duplicate or ambiguous requirements.
    pub other_defects: Vec<LinkRow>,
    pub justified: Vec<RequirementRow>,
    pub matrix: Option<Matrix>,
    /// Why the matrix is not drawn, when it is not.
    pub matrix_note: Option<String>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// `complete` or `defects`: a CSS class.
    pub status: &'static str,
    pub text: &'static str,
    pub explanation: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub requirements: usize,
    pub needing_coverage: usize,
    pub covered: usize,
    /// `85.0`
    pub coverage_percent: String,
    /// For the coverage bar: the covered share in whole percent.
    pub coverage_width: u32,
    pub by_status: Vec<Count>,
    pub links: usize,
    pub links_by_status: Vec<Count>,
    pub artifacts: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Count {
    pub status: &'static str,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequirementRow {
    /// The HTML id (`req-ATV-OPS-REQ-006`).
    pub anchor: String,
    pub id: String,
    pub status: &'static str,
    pub needs_coverage: bool,
    pub text: String,
    pub heading_path: String,
    /// Where the requirement is in its export (`file:line:col`, `file sheet!cell`).
    pub source: String,
    pub fingerprint: String,
    pub justification: Option<String>,
    pub covered_by: Vec<ItemRef>,
}

/// A covering item and the link's status.
#[derive(Debug, Clone, Serialize)]
pub struct ItemRef {
    /// `activity A12`, `step 2 of ATV-FCP-REF-010 v3.2`
    pub name: String,
    pub title: Option<String>,
    pub status: &'static str,
    /// `file:line:col` of the citation.
    pub location: String,
}

/// One citation with a defect.
#[derive(Debug, Clone, Serialize)]
pub struct LinkRow {
    pub cited: String,
    pub status: &'static str,
    pub item: String,
    pub location: String,
    /// For a dangling id, "did you mean": `A` or `A or B`.
    pub suggestion: Option<String>,
    /// The requirement's text, when it exists.
    pub text: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Matrix {
    pub columns: Vec<String>,
    pub rows: Vec<MatrixRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MatrixRow {
    pub anchor: String,
    pub id: String,
    pub status: &'static str,
    /// One per column: `covers`, `suspect`, … or empty.
    pub cells: Vec<&'static str>,
}

/// Builds the report's view from the trace view and the plans' ids.
pub fn view(trace: &TraceView, plans: Vec<String>, provenance: Provenance) -> TraceReportView {
    let item_name = |i: usize| {
        let a = &trace.artifacts[i];
        match (a.kind, &a.context) {
            // A step's name says whose step it is (`ATV-FCP-REF-010 v3.2 step 2`).
            (crate::trace::ArtifactKind::Step, _) => a.name.clone(),
            // A flight rule's context is its file, shown with the location anyway.
            (crate::trace::ArtifactKind::FlightRule, _) => format!("flight rule {}", a.name),
            (_, Some(c)) => format!("{} {} of {c}", a.kind.as_str(), a.name),
            (_, None) => format!("{} {}", a.kind.as_str(), a.name),
        }
    };
    let requirements: Vec<RequirementRow> = trace
        .requirements
        .iter()
        .map(|r| RequirementRow {
            anchor: anchor(&r.id),
            id: r.id.clone(),
            status: r.status.as_str(),
            needs_coverage: r.needs_coverage,
            text: r.text.clone(),
            heading_path: r.path.join(" › "),
            source: source_of(&r.file, &r.location),
            fingerprint: r.fingerprint.clone(),
            justification: r.justification.clone(),
            covered_by: r
                .covered_by
                .iter()
                .map(|c| ItemRef {
                    name: item_name(c.artifact),
                    title: trace.artifacts[c.artifact].title.clone(),
                    status: c.status.as_str(),
                    location: format!("{}:{}:{}", c.file, c.line, c.column),
                })
                .collect(),
        })
        .collect();

    // Requirement texts by id, once (a linear pass, not a search per link).
    let texts: std::collections::HashMap<&str, &str> = trace
        .requirements
        .iter()
        .map(|r| (r.id.as_str(), r.text.as_str()))
        .collect();
    let mut suspect = Vec::new();
    let mut dangling = Vec::new();
    let mut other_defects = Vec::new();
    for (i, a) in trace.artifacts.iter().enumerate() {
        for c in &a.cites {
            let row = || LinkRow {
                cited: c.id.clone(),
                status: c.status.as_str(),
                item: item_name(i),
                location: format!("{}:{}:{}", a.file, a.line, a.column),
                suggestion: (!c.suggestions.is_empty())
                    .then(|| crate::diag::or_list(&c.suggestions, "")),
                text: texts.get(c.id.as_str()).map(|t| t.to_string()),
            };
            match c.status {
                LinkStatus::Covers => {}
                LinkStatus::Suspect => suspect.push(row()),
                LinkStatus::Dangling => dangling.push(row()),
                _ => other_defects.push(row()),
            }
        }
    }
    let uncovered = requirements
        .iter()
        .filter(|r| r.status == ReqStatus::Uncovered.as_str())
        .cloned()
        .collect();
    let justified = requirements
        .iter()
        .filter(|r| r.status == ReqStatus::Justified.as_str())
        .cloned()
        .collect();

    let cells = trace.requirements.len() * trace.artifacts.len();
    let (matrix, matrix_note) = if trace.artifacts.is_empty() {
        (
            None,
            Some("No plan item cites a requirement: the matrix is empty.".to_string()),
        )
    } else if cells > MATRIX_MAX_CELLS {
        (
            None,
            Some(format!(
                "The matrix has {} requirements × {} items ({cells} cells), too many to read \
                 here: `opsplan trace --format xlsx -o matrix.xlsx` writes it as a workbook.",
                trace.requirements.len(),
                trace.artifacts.len()
            )),
        )
    } else {
        let mut rows: Vec<MatrixRow> = trace
            .requirements
            .iter()
            .map(|r| MatrixRow {
                anchor: anchor(&r.id),
                id: r.id.clone(),
                status: r.status.as_str(),
                cells: vec![""; trace.artifacts.len()],
            })
            .collect();
        for (ri, r) in trace.requirements.iter().enumerate() {
            for c in &r.covered_by {
                rows[ri].cells[c.artifact] = c.status.as_str();
            }
        }
        (
            Some(Matrix {
                columns: (0..trace.artifacts.len())
                    .map(|i| trace.artifact_title(i))
                    .collect(),
                rows,
            }),
            None,
        )
    };

    let s = &trace.summary;
    let count_list = |m: &std::collections::BTreeMap<&'static str, usize>| {
        m.iter()
            .filter(|(_, &n)| n > 0)
            .map(|(&status, &count)| Count { status, count })
            .collect()
    };
    let defects = s.defects;
    let title = match plans.as_slice() {
        [] => "Traceability report".to_string(),
        p => format!("Traceability report: {}", p.join(", ")),
    };
    TraceReportView {
        title,
        verdict: Verdict {
            status: if defects { "defects" } else { "complete" },
            text: if defects { "defects" } else { "complete" },
            explanation: if defects {
                format!(
                    "{} of {} requirements that need coverage are covered; the lists below \
                     name every uncovered requirement and every defective trace.",
                    s.covered, s.needing_coverage
                )
            } else {
                format!(
                    "Every requirement that needs coverage is covered or justified ({} of {} \
                     covered) and every trace is sound.",
                    s.covered, s.needing_coverage
                )
            },
        },
        exports: trace.exports.clone(),
        baseline: trace.baseline.clone(),
        plans,
        summary: Summary {
            requirements: s.requirements,
            needing_coverage: s.needing_coverage,
            covered: s.covered,
            coverage_percent: format!("{:.1}", s.coverage_percent),
            coverage_width: s.coverage_percent.clamp(0.0, 100.0).round() as u32,
            by_status: count_list(&s.by_status),
            links: s.links,
            links_by_status: count_list(&s.links_by_status),
            artifacts: s.artifacts,
        },
        requirements,
        uncovered,
        suspect,
        dangling,
        other_defects,
        justified,
        matrix,
        matrix_note,
        provenance,
    }
}

/// The view as JSON: the trace view (as `opsplan trace --format json`) plus the report's
/// verdict and provenance.
pub fn json(trace: &TraceView, report: &TraceReportView) -> String {
    #[derive(Serialize)]
    struct Doc<'a> {
        title: &'a str,
        verdict: &'a Verdict,
        trace: &'a TraceView,
        provenance: &'a Provenance,
    }
    let mut s = serde_json::to_string_pretty(&Doc {
        title: &report.title,
        verdict: &report.verdict,
        trace,
        provenance: &report.provenance,
    })
    .unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

fn anchor(id: &str) -> String {
    let slug: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("req-{slug}")
}

fn source_of(file: &str, location: &crate::reqs::ReqLocation) -> String {
    use crate::reqs::ReqLocation::*;
    match location {
        Text { line, column } => format!("{file}:{line}:{column}"),
        Cell { sheet, cell } => format!("{file} sheet '{sheet}' cell {cell}"),
        Xml { line, column, .. } => format!("{file}:{line}:{column}"),
    }
}
