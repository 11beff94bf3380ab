//! The traceability report a qualification team sends: the coverage summary, one row per
//! requirement (status, covering items linked to their source), the uncovered, suspect
//! and dangling lists, and the matrix requirement × covering item.
//!
//! Built on [`crate::output::trace::TraceView`], the view `opsplan trace` prints, so the
//! report and the command agree.

use super::chapters::ChapterRow;
use super::embed::Part;
use super::word_diff::Piece;
use super::Provenance;
use crate::output::trace::TraceView;
use crate::trace::{LinkStatus, ReqStatus, SuspectWhy};
use crate::workspace::document::DocumentControl;
use crate::workspace::Traced;
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
    /// The document-control block: `document:` of opsplan.yaml and each export read.
    pub document: DocumentView,
    pub summary: Summary,
    /// What each requirement status means, for the legend.
    pub legend: &'static [Legend],
    /// Coverage per module and chapter, rolled up.
    pub chapters: Vec<ChapterRow>,
    pub requirements: Vec<RequirementRow>,
    pub uncovered: Vec<RequirementRow>,
    pub suspect: Vec<SuspectRow>,
    pub dangling: Vec<LinkRow>,
    /// Links to withdrawn, duplicate or ambiguous requirements.
    pub other_defects: Vec<LinkRow>,
    pub justified: Vec<RequirementRow>,
    pub matrix: Option<Matrix>,
    /// Why the matrix is not drawn, when it is not.
    pub matrix_note: Option<String>,
    /// What changed since `--changed-since OLD` and what it affects, when asked.
    pub impact: Option<ImpactReport>,
    /// The verification evidence, when `evidence:` is configured.
    pub evidence: Option<EvidenceReport>,
    pub provenance: Provenance,
}

/// The verification evidence of the report: the figure, the headings' roll-up, and
/// every piece of evidence that did not pass, located.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceReport {
    /// `verified 25.0 % (2 of 8 requirements counted)`.
    pub figure: String,
    pub by_status: Vec<StatusCount>,
    pub headings: Vec<HeadingRow>,
    pub not_passed: Vec<EvidenceRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusCount {
    pub status: &'static str,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct HeadingRow {
    pub path: String,
    pub status: &'static str,
    pub counts: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceRow {
    pub outcome: &'static str,
    /// `test rules::withdrawn_is_q003`
    pub name: String,
    pub message: Option<String>,
    /// `file:line:col`
    pub location: String,
    /// The requirements it is evidence for, with their anchors.
    pub requirements: Vec<ReqLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReqLink {
    pub id: String,
    pub anchor: String,
}

fn evidence_report(e: &crate::output::trace::EvidenceView) -> EvidenceReport {
    use crate::trace::evidence::Outcome;
    let s = &e.summary;
    EvidenceReport {
        figure: format!(
            "verified {:.1} % ({} of {} requirements counted)",
            s.verified_percent, s.verified, s.counted
        ),
        by_status: s
            .by_status
            .iter()
            .map(|(k, n)| StatusCount {
                status: k,
                count: *n,
            })
            .collect(),
        headings: e
            .headings
            .iter()
            .map(|h| HeadingRow {
                path: h.path.join(" › "),
                status: h.status.as_str(),
                counts: h
                    .counts
                    .iter()
                    .map(|(k, n)| format!("{n} {k}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect(),
        not_passed: e
            .items
            .iter()
            .filter(|i| i.outcome != Outcome::Passed && !i.requirements.is_empty())
            .map(|i| EvidenceRow {
                outcome: i.outcome.as_str(),
                name: format!("{} {}", i.kind.as_str(), i.name),
                message: i.message.clone(),
                location: format!("{}:{}:{}", i.file, i.line, i.column),
                requirements: i
                    .requirements
                    .iter()
                    .map(|id| ReqLink {
                        id: id.clone(),
                        anchor: anchor(id),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The document control: the project file's `document:` and the exports read.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    /// True when opsplan.yaml has a `document:` section.
    pub configured: bool,
    pub number: Option<String>,
    pub issue: Option<String>,
    pub revision: Option<String>,
    /// The document's title, or the report's.
    pub title: String,
    pub date: Option<String>,
    /// Prepared, checked, approved: those given.
    pub signatures: Vec<SignatureRow>,
    /// The current exports, then the baseline's.
    pub exports: Vec<ExportRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SignatureRow {
    /// `prepared`, `checked`, `approved`.
    pub role: &'static str,
    pub name: String,
    pub date: Option<String>,
}

/// One export file read, as the document control names it.
#[derive(Debug, Clone, Serialize)]
pub struct ExportRow {
    /// `requirements` or `baseline`.
    pub role: &'static str,
    pub file: String,
    /// Its modules (ReqIF specifications, sheets), in order.
    pub modules: Vec<String>,
    /// Requirements and headings read from it.
    pub objects: usize,
    /// ReqIF header: TITLE, REQ-IF-HEADER IDENTIFIER, CREATION-TIME, tools.
    pub header_title: Option<String>,
    pub identifier: Option<String>,
    pub created: Option<String>,
    pub tool: Option<String>,
    /// Baseline attributes of its specifications (`Baseline: 1.0`).
    pub baseline: Vec<String>,
    /// The file's SHA-256 (from the provenance), empty when unknown.
    pub sha256: String,
}

/// What a requirement status means.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Legend {
    pub status: &'static str,
    pub meaning: &'static str,
    /// True when the status makes the traceability fail.
    pub fails: bool,
}

/// The legend of the requirement statuses (docs/tracing.md, "Statuses").
pub const LEGEND: &[Legend] = &[
    Legend {
        status: "covered",
        meaning: "traced, no trace suspect",
        fails: false,
    },
    Legend {
        status: "suspect",
        meaning: "traced against an older text: review, record the new fingerprint",
        fails: true,
    },
    Legend {
        status: "uncovered",
        meaning: "needs coverage, has none",
        fails: true,
    },
    Legend {
        status: "justified",
        meaning: "needs coverage, has none, a justification is recorded",
        fails: false,
    },
    Legend {
        status: "not-required",
        meaning: "does not need coverage",
        fails: false,
    },
    Legend {
        status: "withdrawn",
        meaning: "deleted or rejected in the export",
        fails: false,
    },
    Legend {
        status: "duplicate",
        meaning: "its id is defined twice",
        fails: true,
    },
];

/// A suspect trace: what changed, and the fingerprint to record once reviewed.
#[derive(Debug, Clone, Serialize)]
pub struct SuspectRow {
    pub cited: String,
    /// The requirement's row in the report.
    pub anchor: String,
    pub item: String,
    /// `file:line:col` of the cited id (where the fingerprint is to be recorded).
    pub location: String,
    /// Why it is suspect, in words.
    pub why: String,
    /// The requirement's text now (empty: see `title`).
    pub text: String,
    pub title: Option<String>,
    /// The baseline's text, when the trace is judged against a baseline.
    pub old_text: Option<String>,
    /// The word diff of the baseline text and the text now.
    pub diff: Option<Vec<Piece>>,
    /// The diff as the baseline's text (words kept and deleted) and as the text now
    /// (words kept and inserted), blanks between them as pieces of their own.
    pub old_side: Option<Vec<Piece>>,
    pub new_side: Option<Vec<Piece>>,
    /// Why there is no word diff (texts too long, too different, the same).
    pub note: Option<String>,
    /// What to write beside the trace once reviewed: `ATV-OPS-REQ-011@235ed0e11c72`.
    pub record: String,
}

/// The impact of the changes since `--changed-since OLD`.
#[derive(Debug, Clone, Serialize)]
pub struct ImpactReport {
    /// The OLD exports.
    pub since: Vec<String>,
    pub changes: Vec<ChangeRow>,
    /// Requirements reached through links between requirements.
    pub linked: Vec<ChangeRow>,
    pub affected: Vec<AffectedRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangeRow {
    pub id: String,
    /// `text changed`, `deleted`; for a linked requirement: `linked to ATV-OPS-REQ-011`.
    pub what: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AffectedRow {
    pub kind: &'static str,
    pub name: String,
    /// True when it cites a changed (or linked) requirement itself.
    pub direct: bool,
    pub reason: String,
    pub requirements: String,
    pub location: String,
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
    /// The requirement's title (ReqIF.Name, Object Heading), given when its text is
    /// empty (an epic, a heading-like object): shown in place of the text.
    pub title: Option<String>,
    /// The text as parts, when it shows pictures of a ReqIFz (`report::embed`).
    pub parts: Option<Vec<Part>>,
    pub heading_path: String,
    /// Where the requirement is in its export (`file:line:col`, `file sheet!cell`).
    pub source: String,
    pub fingerprint: String,
    pub justification: Option<String>,
    pub covered_by: Vec<ItemRef>,
    /// Its verification status, when `evidence:` is configured.
    pub verification: Option<&'static str>,
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

/// What the report is made of besides the trace view: the run's trace (for the texts of
/// the baseline, the titles, the pictures and the exports' headers), the plans' ids, the
/// project file's `document:` and the provenance.
pub struct Sources<'a> {
    pub traced: &'a Traced,
    pub plans: Vec<String>,
    pub document: Option<&'a DocumentControl>,
    pub provenance: Provenance,
}

/// Builds the report's view from the trace view and what [`Sources`] adds.
pub fn view(trace: &TraceView, from: Sources<'_>) -> TraceReportView {
    let Sources {
        traced,
        plans,
        document,
        provenance,
    } = from;
    let t = &traced.trace;
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
    // The title of a requirement whose text is empty (an epic, a heading-like object).
    let title_of = |ri: usize| -> Option<String> {
        let o = t.object(&traced.exports, &t.requirements[ri]);
        if !o.text.trim().is_empty() {
            return None;
        }
        o.heading.clone().filter(|h| !h.trim().is_empty())
    };
    let mut embedder = super::embed::Embedder::default();
    let requirements: Vec<RequirementRow> = trace
        .requirements
        .iter()
        .enumerate()
        .map(|(ri, r)| {
            let anchor = anchor(&r.id);
            let export = t.requirements[ri].export;
            let parts = traced
                .exports
                .get(export)
                .and_then(|e| embedder.parts(export, &e.pictures, &r.text, &anchor, &r.id));
            RequirementRow {
                id: r.id.clone(),
                status: r.status.as_str(),
                needs_coverage: r.needs_coverage,
                text: r.text.clone(),
                title: title_of(ri),
                parts,
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
                verification: r.verification.as_ref().map(|v| v.status.as_str()),
                anchor,
            }
        })
        .collect();

    // Requirement texts by id, once (a linear pass, not a search per link).
    let texts: std::collections::HashMap<&str, &str> = trace
        .requirements
        .iter()
        .map(|r| (r.id.as_str(), r.text.as_str()))
        .collect();
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
                LinkStatus::Covers | LinkStatus::Suspect => {}
                LinkStatus::Dangling => dangling.push(row()),
                _ => other_defects.push(row()),
            }
        }
    }
    let suspect = suspect_rows(trace, traced, &requirements, item_name);
    let uncovered = requirements
        .iter()
        .filter(|r| r.status == ReqStatus::Uncovered.as_str())
        .map(|r| RequirementRow {
            parts: None,
            ..r.clone()
        })
        .collect();
    let justified = requirements
        .iter()
        .filter(|r| r.status == ReqStatus::Justified.as_str())
        .map(|r| RequirementRow {
            parts: None,
            ..r.clone()
        })
        .collect();
    let chapters = chapters(traced, &requirements);

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
        document: document_view(trace, traced, document, &title, &provenance),
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
        legend: LEGEND,
        chapters,
        requirements,
        uncovered,
        suspect,
        dangling,
        other_defects,
        justified,
        matrix,
        matrix_note,
        impact: trace.impact.as_ref().map(|i| impact_report(trace, i)),
        evidence: trace.evidence.as_ref().map(evidence_report),
        title,
        provenance,
    }
}

/// The suspect traces, in the order of the links, each with the baseline text beside
/// the text now as a word diff (one diff per requirement, the work bounded for the
/// whole report: `word_diff`) and the fingerprint to record.
fn suspect_rows(
    trace: &TraceView,
    traced: &Traced,
    rows: &[RequirementRow],
    item_name: impl Fn(usize) -> String,
) -> Vec<SuspectRow> {
    let t = &traced.trace;
    // Where each link cites its id: the requirement's `covered_by` holds its links in order.
    let mut cited_at: Vec<Option<String>> = vec![None; t.links.len()];
    for (ri, r) in t.requirements.iter().enumerate() {
        for (&li, c) in r.links.iter().zip(&trace.requirements[ri].covered_by) {
            cited_at[li] = Some(format!("{}:{}:{}", c.file, c.line, c.column));
        }
    }
    let mut budget = super::word_diff::REPORT_BUDGET;
    type Diffed = (Option<Vec<Piece>>, Option<String>);
    let mut diffs: rustc_hash::FxHashMap<usize, Diffed> = Default::default();
    let mut out = Vec::new();
    for (li, l) in t.links.iter().enumerate() {
        if l.status != LinkStatus::Suspect {
            continue;
        }
        let Some(ri) = l.requirement else { continue };
        let row = &rows[ri];
        let text = &trace.requirements[ri].text;
        let now = &row.fingerprint;
        let (why, old_text, diff, note) = match &l.suspect {
            Some(SuspectWhy::ChangedSinceBaseline { old_text }) => {
                let (diff, note) = diffs
                    .entry(ri)
                    .or_insert_with(|| {
                        let same = old_text.split_whitespace().eq(text.split_whitespace());
                        if same {
                            (
                                None,
                                Some(
                                    "the text is the same: the heading or a fingerprinted                                      attribute changed"
                                        .to_string(),
                                ),
                            )
                        } else {
                            match super::word_diff::diff(old_text, text, &mut budget) {
                                Ok(pieces) => (Some(pieces), None),
                                Err(e) => (None, Some(e.explain())),
                            }
                        }
                    })
                    .clone();
                (
                    "changed since the baseline".to_string(),
                    Some(old_text.clone()),
                    diff,
                    note,
                )
            }
            Some(SuspectWhy::StampMismatch { recorded }) => {
                (
                    if recorded.len() < crate::trace::MIN_STAMP {
                        format!(
                            "the recorded fingerprint {recorded} is shorter than {} digits",
                            crate::trace::MIN_STAMP
                        )
                    } else {
                        format!("the trace records fingerprint {recorded}; the requirement's is now {now}")
                    },
                    None,
                    None,
                    None,
                )
            }
            None => ("suspect".to_string(), None, None, None),
        };
        out.push(SuspectRow {
            cited: l.cited.clone(),
            anchor: row.anchor.clone(),
            item: item_name(l.artifact),
            location: cited_at[li].clone().unwrap_or_default(),
            why,
            text: text.clone(),
            title: row.title.clone(),
            old_text,
            old_side: diff.as_deref().map(|d| side(d, super::word_diff::Op::Del)),
            new_side: diff.as_deref().map(|d| side(d, super::word_diff::Op::Ins)),
            diff,
            note,
            record: format!("{}@{now}", l.cited),
        });
    }
    out
}

/// One side of a word diff: the runs that are the same and those of `kept` (deleted, or
/// inserted), one blank between runs.
fn side(diff: &[Piece], kept: super::word_diff::Op) -> Vec<Piece> {
    use super::word_diff::Op;
    let mut out: Vec<Piece> = Vec::new();
    for p in diff.iter().filter(|p| p.op == Op::Same || p.op == kept) {
        if !out.is_empty() {
            match out.last_mut() {
                Some(last) if last.op == Op::Same => last.text.push(' '),
                _ => out.push(Piece {
                    op: Op::Same,
                    text: " ".to_string(),
                }),
            }
        }
        match out.last_mut() {
            Some(last) if last.op == Op::Same && p.op == Op::Same => last.text.push_str(&p.text),
            _ => out.push(p.clone()),
        }
    }
    out
}

/// Coverage per module and chapter (`chapters::roll_up`).
fn chapters(traced: &Traced, rows: &[RequirementRow]) -> Vec<ChapterRow> {
    let t = &traced.trace;
    let files: Vec<String> = traced
        .files
        .iter()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    super::chapters::roll_up(t.requirements.iter().zip(rows).map(|(r, row)| {
        let o = t.object(&traced.exports, r);
        super::chapters::Item {
            module: o
                .module
                .as_deref()
                .or_else(|| files.get(r.export).map(String::as_str))
                .unwrap_or(""),
            path: &o.path,
            status: r.status,
            needs_coverage: r.needs_coverage,
            anchor: &row.anchor,
        }
    }))
}

/// The document control: `document:` of the project file, and each export with its
/// modules, ReqIF header, baseline attributes and SHA-256.
fn document_view(
    trace: &TraceView,
    traced: &Traced,
    document: Option<&DocumentControl>,
    report_title: &str,
    provenance: &Provenance,
) -> DocumentView {
    let d = document.cloned().unwrap_or_default();
    let hashes: std::collections::HashMap<String, &str> = provenance
        .inputs
        .iter()
        .map(|i| (shown_path(&i.path), i.sha256.as_str()))
        .collect();
    let row = |role: &'static str, file: &str, e: &crate::reqs::Export| {
        let mut modules: Vec<String> = e
            .info
            .specifications
            .iter()
            .map(|s| s.name.clone())
            .collect();
        for m in e.objects.iter().filter_map(|o| o.module.as_deref()) {
            // Objects of one module follow one another: a repeat is the previous one.
            if modules.last().map(String::as_str) != Some(m) && !modules.iter().any(|x| x == m) {
                modules.push(m.to_string());
            }
        }
        let header = e.info.header.as_ref();
        ExportRow {
            role,
            file: file.to_string(),
            modules,
            objects: e.objects.len(),
            header_title: header.and_then(|h| h.title.clone()),
            identifier: header.and_then(|h| h.identifier.clone()),
            created: header.and_then(|h| h.creation_time.clone()),
            tool: header.and_then(|h| h.source_tool.clone().or_else(|| h.reqif_tool.clone())),
            baseline: e
                .info
                .specifications
                .iter()
                .flat_map(|s| s.baseline.iter().map(|(k, v)| format!("{k}: {v}")))
                .collect(),
            sha256: hashes
                .get(&shown_path(file))
                .map(|h| h.to_string())
                .unwrap_or_default(),
        }
    };
    let mut exports: Vec<ExportRow> = trace
        .exports
        .iter()
        .zip(&traced.exports)
        .map(|(f, e)| row("requirements", f, e))
        .collect();
    exports.extend(
        trace
            .baseline
            .iter()
            .zip(&traced.baseline)
            .map(|(f, e)| row("baseline", f, e)),
    );
    let signatures = [
        ("prepared", &d.prepared),
        ("checked", &d.checked),
        ("approved", &d.approved),
    ]
    .into_iter()
    .filter_map(|(role, s)| {
        s.as_ref().map(|s| SignatureRow {
            role,
            name: s.name.clone(),
            date: s.date.clone(),
        })
    })
    .collect();
    DocumentView {
        configured: document.is_some_and(|d| !d.is_empty()),
        number: d.number,
        issue: d.issue,
        revision: d.revision,
        title: d.title.unwrap_or_else(|| report_title.to_string()),
        date: d.date,
        signatures,
        exports,
    }
}

/// A path as the provenance shows it (`/` separators, no leading `./`).
fn shown_path(p: &str) -> String {
    let p = p.replace('\\', "/");
    p.strip_prefix("./").map(str::to_string).unwrap_or(p)
}

/// The impact list of `--changed-since`.
fn impact_report(trace: &TraceView, i: &crate::output::trace::ImpactView) -> ImpactReport {
    ImpactReport {
        since: trace.baseline.clone(),
        changes: i
            .changes
            .iter()
            .map(|c| ChangeRow {
                id: c.id.clone(),
                what: c.what.clone(),
            })
            .collect(),
        linked: i
            .linked
            .iter()
            .map(|(id, from)| ChangeRow {
                id: id.clone(),
                what: format!("linked to {from}"),
            })
            .collect(),
        affected: i
            .affected
            .iter()
            .map(|a| AffectedRow {
                kind: a.kind.as_str(),
                name: match &a.context {
                    Some(c) if a.kind == crate::trace::ArtifactKind::Activity => {
                        format!("{} of {c}", a.name)
                    }
                    _ => a.name.clone(),
                },
                direct: a.direct,
                reason: a.reason.clone(),
                requirements: a.requirements.join(", "),
                location: format!("{}:{}:{}", a.file, a.line, a.column),
            })
            .collect(),
    }
}

/// The view as JSON: the trace view (as `opsplan trace --format json`) plus the report's
/// verdict, document control, coverage per chapter and provenance.
pub fn json(trace: &TraceView, report: &TraceReportView) -> String {
    #[derive(Serialize)]
    struct Doc<'a> {
        title: &'a str,
        verdict: &'a Verdict,
        document: &'a DocumentView,
        chapters: &'a [ChapterRow],
        trace: &'a TraceView,
        provenance: &'a Provenance,
    }
    let mut s = serde_json::to_string_pretty(&Doc {
        title: &report.title,
        verdict: &report.verdict,
        document: &report.document,
        chapters: &report.chapters,
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
