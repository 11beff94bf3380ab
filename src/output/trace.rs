//! `opsplan trace`: the coverage of the requirements by activities, procedures, steps
//! and flight rules, as text for a reader, JSON for tools, and a matrix (requirement ×
//! artifact) as CSV or XLSX for qualification teams and managers.
//!
//! Every format is built from one [`TraceView`], so they agree. Deterministic:
//! requirements in export order, artifacts in model order, no clock (the XLSX creation
//! time comes from the caller).

use super::display_path;
use crate::reqs::ReqLocation;
use crate::source::SourceDb;
use crate::trace::impact::Impact;
use crate::trace::{LinkStatus, ReqStatus, SHOWN_STAMP};
use crate::workspace::Traced;
use serde::Serialize;
use std::fmt::Write;

/// Everything a trace output shows, in the terms users read.
#[derive(Debug, Clone, Serialize)]
pub struct TraceView {
    /// Format version of the JSON document.
    pub version: u32,
    pub exports: Vec<String>,
    pub baseline: Vec<String>,
    pub summary: SummaryView,
    pub requirements: Vec<RequirementView>,
    pub artifacts: Vec<ArtifactView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impact: Option<ImpactView>,
    /// The verification evidence, when `evidence:` is configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<EvidenceView>,
    /// The trace findings (`Q002`–`Q008`, and `Q001` for exports), with the fields of
    /// `opsplan check --format json`; set by the caller.
    pub findings: serde_json::Value,
    /// The project file that named the exports and judged the inputs (`null`: none);
    /// set by the caller.
    pub project_file: crate::workspace::Project,
}

#[derive(Debug, Clone, Serialize)]
pub struct SummaryView {
    pub requirements: usize,
    pub needing_coverage: usize,
    pub covered: usize,
    /// Covered ÷ needing coverage, in percent, one decimal.
    pub coverage_percent: f64,
    pub by_status: std::collections::BTreeMap<&'static str, usize>,
    pub links: usize,
    pub links_by_status: std::collections::BTreeMap<&'static str, usize>,
    pub artifacts: usize,
    /// True when a requirement or link has a defect status (exit code 1).
    pub defects: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequirementView {
    pub id: String,
    pub status: ReqStatus,
    pub needs_coverage: bool,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module: Option<String>,
    /// The headings above, as shown: the last `HeadingPath::SHOWN`, after `…` when cut.
    pub path: Vec<String>,
    /// The export, or `archive.reqifz!member.reqif` for an object in a ReqIFz member
    /// (`location` is then in the member).
    pub file: String,
    pub location: ReqLocation,
    /// The fingerprint prefix to record beside a `covers` once reviewed.
    pub fingerprint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    pub covered_by: Vec<CoverView>,
    /// Its verification, when `evidence:` is configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification: Option<VerificationView>,
    /// The export's other attributes, typed (for the workbook's Requirements sheet; the
    /// JSON of `opsplan reqs list` has them).
    #[serde(skip)]
    pub attributes: std::collections::BTreeMap<String, crate::reqs::AttrValue>,
}

/// A requirement's verification.
#[derive(Debug, Clone, Serialize)]
pub struct VerificationView {
    pub status: crate::trace::evidence::Verification,
    /// Indices into `evidence.items`, in item order.
    pub evidence: Vec<usize>,
}

/// The evidence of a trace.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceView {
    pub summary: EvidenceSummaryView,
    pub items: Vec<EvidenceItemView>,
    /// Each heading with requirements under it: the worst status of those, and counts.
    pub headings: Vec<HeadingVerificationView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceSummaryView {
    pub items: usize,
    pub items_by_outcome: std::collections::BTreeMap<&'static str, usize>,
    /// Requirements by verification status.
    pub by_status: std::collections::BTreeMap<&'static str, usize>,
    /// The requirements `--min-verified` counts (all but not-required, withdrawn and
    /// justified), and the verified ones among them.
    pub counted: usize,
    pub verified: usize,
    /// Verified ÷ counted, in percent, one decimal.
    pub verified_percent: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceItemView {
    pub kind: crate::trace::evidence::EvidenceKind,
    pub name: String,
    pub outcome: crate::trace::evidence::Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub file: String,
    pub line: u32,
    pub column: u32,
    /// The requirements it is evidence for, by id, in requirement order.
    pub requirements: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HeadingVerificationView {
    pub path: Vec<String>,
    pub status: crate::trace::evidence::Verification,
    pub counts: std::collections::BTreeMap<&'static str, usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CoverView {
    /// Index into `artifacts`.
    pub artifact: usize,
    pub status: LinkStatus,
    pub file: String,
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArtifactView {
    pub kind: crate::trace::ArtifactKind,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub file: String,
    pub line: u32,
    pub column: u32,
    /// Every id it cites, with the link's status (dangling ones included).
    pub cites: Vec<CiteView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CiteView {
    pub id: String,
    pub status: LinkStatus,
    /// For a dangling id: the equally close ids of "did you mean", in id order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
    /// Where the id is written (the `covers`, the `traces` entry).
    pub file: String,
    pub line: u32,
    pub column: u32,
    /// For a dangling id that is a requirement's export id: the id it is cited by.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cite_instead: Option<String>,
    /// For a dangling id the baseline holds: the baseline export it was deleted since.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_since: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImpactView {
    pub changes: Vec<crate::trace::impact::Change>,
    /// How the requirement links of the exports were followed.
    pub links: FollowingView,
    /// Requirements reached through requirement links: `[id, changed id]`.
    pub linked: Vec<(String, String)>,
    /// The same, each with the link it was reached through, by id.
    pub reached: Vec<ReachedView>,
    pub affected: Vec<AffectedView>,
}

/// Which requirement link types a change travelled along (`requirements: impact:
/// follow:`, or the defaults).
#[derive(Debug, Clone, Serialize)]
pub struct FollowingView {
    /// `true` when the project file chose the types, `false` for the defaults.
    pub configured: bool,
    pub followed: Vec<FollowedView>,
    pub not_followed: Vec<NotFollowedView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FollowedView {
    /// As the exports name it.
    #[serde(rename = "type")]
    pub link_type: String,
    pub direction: crate::trace::follow::FollowDirection,
    /// `from target to source`, `from source to target`, `both ways`.
    pub direction_words: &'static str,
    /// The links of that type.
    pub links: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct NotFollowedView {
    #[serde(rename = "type")]
    pub link_type: String,
    pub links: usize,
}

/// A requirement a change reached through requirement links.
#[derive(Debug, Clone, Serialize)]
pub struct ReachedView {
    pub id: String,
    /// The changed requirement it derives from.
    pub changed: String,
    /// The requirement its link comes from (the changed one, or one between).
    pub from: String,
    /// The link's type and which way it was followed.
    #[serde(rename = "type")]
    pub link_type: String,
    pub way: crate::trace::follow::Way,
    /// How many links lie between it and the changed requirement.
    pub depth: usize,
    /// The same, as a phrase: `derived from changed R-1 (via Satisfies, from target to
    /// source)`.
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AffectedView {
    pub kind: crate::trace::ArtifactKind,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// Cites an affected requirement itself: a changed one, or one derived from it.
    pub direct: bool,
    /// Cites a changed requirement itself (the `*` of the text list).
    pub cites_changed: bool,
    /// Why it is affected, as a phrase: `cites R-10 (text changed)`, `cites R-6, derived
    /// from changed R-1 (via Satisfies)`, `runs procedure REF-010 v3.2`.
    pub reason: String,
    /// The changed requirements it is affected by.
    pub requirements: Vec<String>,
    pub file: String,
    pub line: u32,
    pub column: u32,
}

/// The file an object is in, as shown: the export's path, followed by `!member` for an
/// object in a member of a ReqIFz.
fn export_file(traced: &Traced, export: usize, location: &ReqLocation) -> String {
    let path = traced
        .files
        .get(export)
        .map_or_else(String::new, |p| p.to_string_lossy().replace('\\', "/"));
    match location {
        ReqLocation::Xml {
            member: Some(m), ..
        } => format!("{path}!{m}"),
        _ => path,
    }
}

impl TraceView {
    /// Builds the view of a run's trace (and of an impact analysis, when given).
    pub fn new(sources: &SourceDb, traced: &Traced, impact: Option<&Impact>) -> TraceView {
        let t = &traced.trace;
        let at = |span: crate::source::Span| {
            let lc = sources.line_col(span.file, span.start as usize);
            (display_path(sources, span.file), lc.line, lc.column)
        };
        let requirements = t
            .requirements
            .iter()
            .enumerate()
            .map(|(ri, r)| {
                let o = t.object(&traced.exports, r);
                RequirementView {
                    id: r.id.clone(),
                    status: r.status,
                    needs_coverage: r.needs_coverage,
                    text: o.text.clone(),
                    module: o.module.clone(),
                    path: o.path.shown().into_iter().map(str::to_string).collect(),
                    file: export_file(traced, r.export, &o.location),
                    location: o.location.clone(),
                    fingerprint: r.fingerprint[..SHOWN_STAMP.min(r.fingerprint.len())].to_string(),
                    justification: r.justification.clone(),
                    verification: t.evidence.as_ref().map(|e| VerificationView {
                        status: e.requirements[ri].status,
                        evidence: e.requirements[ri].items.clone(),
                    }),
                    attributes: o.attributes.clone(),
                    covered_by: r
                        .links
                        .iter()
                        .map(|&li| {
                            let l = &t.links[li];
                            let (file, line, column) = at(l.span);
                            CoverView {
                                artifact: l.artifact,
                                status: l.status,
                                file,
                                line,
                                column,
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        let mut artifacts: Vec<ArtifactView> = t
            .artifacts
            .iter()
            .map(|a| {
                let (file, line, column) = at(a.span);
                ArtifactView {
                    kind: a.kind,
                    name: a.name.clone(),
                    context: a.context.clone(),
                    title: a.title.clone(),
                    file,
                    line,
                    column,
                    cites: Vec::new(),
                }
            })
            .collect();
        for l in &t.links {
            let (file, line, column) = at(l.span);
            let (cite_instead, deleted_since) = match &l.why {
                Some(crate::trace::DanglingWhy::ExportId { cite, .. }) => {
                    (Some(cite.clone()), None)
                }
                Some(crate::trace::DanglingWhy::Deleted { baseline, .. }) => {
                    (None, Some(baseline.clone()))
                }
                None => (None, None),
            };
            artifacts[l.artifact].cites.push(CiteView {
                id: l.cited.clone(),
                status: l.status,
                suggestions: l.suggestions.clone(),
                file,
                line,
                column,
                cite_instead,
                deleted_since,
            });
        }
        let s = &t.summary;
        TraceView {
            version: 1,
            exports: traced
                .files
                .iter()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .collect(),
            baseline: traced
                .baseline_files
                .iter()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .collect(),
            summary: SummaryView {
                requirements: s.requirements,
                needing_coverage: s.needing_coverage,
                covered: s.covered,
                coverage_percent: (s.coverage_percent() * 10.0).round() / 10.0,
                by_status: s.by_status.clone(),
                links: s.links,
                links_by_status: s.links_by_status.clone(),
                artifacts: s.artifacts,
                defects: t.has_defects(),
            },
            requirements,
            artifacts,
            impact: impact.map(|i| ImpactView {
                changes: i.changes.clone(),
                links: FollowingView {
                    configured: i.following.configured,
                    followed: i
                        .following
                        .followed
                        .iter()
                        .map(|(t, d, n)| FollowedView {
                            link_type: t.clone(),
                            direction: *d,
                            direction_words: d.words(),
                            links: *n,
                        })
                        .collect(),
                    not_followed: i
                        .following
                        .not_followed
                        .iter()
                        .map(|(t, n)| NotFollowedView {
                            link_type: t.clone(),
                            links: *n,
                        })
                        .collect(),
                },
                linked: i.linked.clone(),
                reached: i
                    .reached
                    .iter()
                    .map(|r| ReachedView {
                        id: r.id.clone(),
                        changed: r.changed.clone(),
                        from: r.from.clone(),
                        link_type: r.link_type.clone(),
                        way: r.way,
                        depth: r.depth,
                        reason: if r.depth == 1 {
                            format!(
                                "derived from changed {} (via {}, {})",
                                r.changed,
                                r.link_type,
                                r.way.words()
                            )
                        } else {
                            format!(
                                "derived from changed {} (via {} from {}, {}; {} links away)",
                                r.changed,
                                r.link_type,
                                r.from,
                                r.way.words(),
                                r.depth
                            )
                        },
                    })
                    .collect(),
                affected: i
                    .items
                    .iter()
                    .map(|it| {
                        let (file, line, column) = at(it.artifact.span);
                        AffectedView {
                            kind: it.artifact.kind,
                            name: it.artifact.name.clone(),
                            context: it.artifact.context.clone(),
                            direct: it.direct,
                            cites_changed: it.cites_changed,
                            reason: it.reason.clone(),
                            requirements: it.requirements.clone(),
                            file,
                            line,
                            column,
                        }
                    })
                    .collect(),
            }),
            evidence: t.evidence.as_ref().map(|e| evidence_view(e, t, &at)),
            findings: serde_json::Value::Array(Vec::new()),
            project_file: crate::workspace::Project::default(),
        }
    }

    /// The column title of an artifact in the matrices: `activity A09`.
    pub fn artifact_title(&self, i: usize) -> String {
        let a = &self.artifacts[i];
        format!("{} {}", a.kind.as_str(), a.name)
    }
}

fn evidence_view(
    e: &crate::trace::evidence::Evidence,
    t: &crate::trace::Trace,
    at: &dyn Fn(crate::source::Span) -> (String, u32, u32),
) -> EvidenceView {
    let mut for_item: Vec<Vec<String>> = vec![Vec::new(); e.items.len()];
    for (r, re) in t.requirements.iter().zip(&e.requirements) {
        for &i in &re.items {
            for_item[i].push(r.id.clone());
        }
    }
    let s = &e.summary;
    EvidenceView {
        summary: EvidenceSummaryView {
            items: s.items,
            items_by_outcome: s.items_by_outcome.clone(),
            by_status: s.by_status.clone(),
            counted: s.counted,
            verified: s.verified,
            verified_percent: (s.verified_percent() * 10.0).round() / 10.0,
        },
        items: e
            .items
            .iter()
            .zip(for_item)
            .map(|(i, requirements)| {
                let (file, line, column) = at(i.span);
                EvidenceItemView {
                    kind: i.kind,
                    name: i.name.clone(),
                    outcome: i.outcome,
                    message: i.message.clone(),
                    file,
                    line,
                    column,
                    requirements,
                }
            })
            .collect(),
        headings: e
            .headings
            .iter()
            .map(|h| HeadingVerificationView {
                path: h.path.clone(),
                status: h.status,
                counts: h.counts.clone(),
            })
            .collect(),
    }
}

/// The summary line: `coverage 85.0 % (17 of 20 …); 15 covered, …; 42 links: …`.
pub fn summary_line(v: &TraceView) -> String {
    let s = &v.summary;
    let statuses: Vec<String> = s
        .by_status
        .iter()
        .filter(|(_, &n)| n > 0)
        .map(|(k, n)| format!("{n} {k}"))
        .collect();
    let links: Vec<String> = s
        .links_by_status
        .iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect();
    let verified = match &v.evidence {
        None => String::new(),
        Some(e) => {
            let e = &e.summary;
            let statuses: Vec<String> = e
                .by_status
                .iter()
                .filter(|(_, &n)| n > 0)
                .map(|(k, n)| format!("{n} {k}"))
                .collect();
            // The counts by status are of every requirement; the share is of those
            // counted (not-required, withdrawn and justified ones left out).
            let all: usize = e.by_status.values().sum();
            format!(
                "; verified {:.1} % ({} of {} requirements counted); verification of all {}: {}",
                e.verified_percent,
                e.verified,
                e.counted,
                all,
                if statuses.is_empty() {
                    "none".to_string()
                } else {
                    statuses.join(", ")
                }
            )
        }
    };
    format!(
        "coverage {:.1} % ({} of {} requirements that need coverage); {}; {} link{}{}{}{verified}",
        s.coverage_percent,
        s.covered,
        s.needing_coverage,
        if statuses.is_empty() {
            "no requirements".to_string()
        } else {
            statuses.join(", ")
        },
        s.links,
        if s.links == 1 { "" } else { "s" },
        if links.is_empty() { "" } else { ": " },
        links.join(", ")
    )
}

fn one_line(s: &str, max: usize) -> String {
    let one = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > max {
        format!("{}…", one.chars().take(max - 1).collect::<String>())
    } else {
        one
    }
}

/// The table a reader scans: one line per requirement with its status and what covers
/// it; then the impact, when asked for.
pub fn text(v: &TraceView) -> String {
    crate::diag::terminal_safe(&text_raw(v)).into_owned()
}

/// [`text`] before control characters from the inputs are escaped.
fn text_raw(v: &TraceView) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", v.project_file.line());
    let _ = writeln!(out, "requirements: {}", v.exports.join(", "));
    if !v.baseline.is_empty() {
        let _ = writeln!(out, "baseline:     {}", v.baseline.join(", "));
    }
    out.push('\n');
    let width = v
        .requirements
        .iter()
        .map(|r| r.id.chars().count())
        .max()
        .unwrap_or(2)
        .max(2);
    let verification = v.evidence.is_some();
    if verification {
        let _ = writeln!(
            out,
            "{:<width$}  {:<12}  {:<18}  covered by",
            "id", "status", "verification"
        );
    } else {
        let _ = writeln!(out, "{:<width$}  {:<12}  covered by", "id", "status");
    }
    for r in &v.requirements {
        let by: Vec<String> = r
            .covered_by
            .iter()
            .map(|c| {
                let name = v.artifact_title(c.artifact);
                if c.status == LinkStatus::Covers {
                    name
                } else {
                    format!("{name} ({})", c.status.as_str())
                }
            })
            .collect();
        let what = match (r.status, &r.justification) {
            (_, Some(j)) => format!("justified: {}", one_line(j, 70)),
            (ReqStatus::Uncovered, _) => format!("— {}", one_line(&r.text, 60)),
            (ReqStatus::NotRequired, _) => "—".to_string(),
            _ => by.join(", "),
        };
        match &r.verification {
            Some(ver) => {
                let _ = writeln!(
                    out,
                    "{:<width$}  {:<12}  {:<18}  {what}",
                    r.id,
                    r.status.as_str(),
                    ver.status.as_str()
                );
            }
            None => {
                let _ = writeln!(out, "{:<width$}  {:<12}  {what}", r.id, r.status.as_str());
            }
        }
    }
    if let Some(e) = &v.evidence {
        out.push_str(&evidence_text(e));
    }
    let dangling: Vec<String> = v
        .artifacts
        .iter()
        .enumerate()
        .flat_map(|(i, a)| {
            a.cites
                .iter()
                .filter(|c| c.status == LinkStatus::Dangling)
                .map(move |c| {
                    // As the artifact writes ids: a `covers` quotes those that need it.
                    let written = |id: &str| {
                        if a.kind.writes_ids_verbatim() {
                            id.to_string()
                        } else {
                            crate::syntax::cited_form(id).unwrap_or_else(|| id.to_string())
                        }
                    };
                    let hint = if let Some(cite) = &c.cite_instead {
                        format!(" (the export id of {})", written(cite))
                    } else if let Some(baseline) = &c.deleted_since {
                        format!(" (deleted since the baseline {baseline})")
                    } else if c.suggestions.is_empty() {
                        String::new()
                    } else {
                        let suggestions: Vec<String> =
                            c.suggestions.iter().map(|s| written(s)).collect();
                        format!(
                            " (did you mean {}?)",
                            crate::diag::or_list(&suggestions, "")
                        )
                    };
                    format!(
                        "  {} cites {}{hint}  [{}:{}:{}]",
                        v.artifact_title(i),
                        written(&c.id),
                        a.file,
                        a.line,
                        a.column
                    )
                })
        })
        .collect();
    if !dangling.is_empty() {
        let _ = writeln!(out, "\ndangling traces (no such requirement):");
        for d in dangling {
            let _ = writeln!(out, "{d}");
        }
    }
    if let Some(imp) = &v.impact {
        out.push_str(&impact_text(imp));
    }
    out
}

/// The headings' roll-up and the evidence that did not pass.
fn evidence_text(e: &EvidenceView) -> String {
    let mut out = String::new();
    if !e.headings.is_empty() {
        let _ = writeln!(
            out,
            "\nverification by heading (the worst of its requirements):"
        );
        for h in &e.headings {
            let counts: Vec<String> = h.counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
            let _ = writeln!(
                out,
                "  {:<18}  {}  ({})",
                h.status.as_str(),
                h.path.join(" > "),
                counts.join(", ")
            );
        }
    }
    use crate::trace::evidence::Outcome;
    let bad: Vec<&EvidenceItemView> = e
        .items
        .iter()
        .filter(|i| i.outcome != Outcome::Passed && !i.requirements.is_empty())
        .collect();
    if !bad.is_empty() {
        let _ = writeln!(out, "\nevidence not passed:");
        for i in bad {
            let _ = writeln!(
                out,
                "  {:<8} {} {}{}  [{}:{}:{}]  for {}",
                i.outcome.as_str(),
                i.kind.as_str(),
                i.name,
                i.message
                    .as_deref()
                    .map(|m| format!(": {}", one_line(m, 100)))
                    .unwrap_or_default(),
                i.file,
                i.line,
                i.column,
                i.requirements.join(", ")
            );
        }
    }
    out
}

fn impact_text(imp: &ImpactView) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nchanged since the baseline: {}",
        if imp.changes.is_empty() {
            "nothing".to_string()
        } else {
            imp.changes
                .iter()
                .map(|c| format!("{} ({})", c.id, c.what))
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    out.push_str(&links_text(&imp.links));
    for r in &imp.reached {
        let _ = writeln!(out, "  {} {}", r.id, r.reason);
    }
    if imp.affected.is_empty() {
        let _ = writeln!(
            out,
            "nothing in the plans, procedures or flight rules is affected"
        );
        return out;
    }
    let _ = writeln!(out, "affected ({}):", imp.affected.len());
    for a in &imp.affected {
        let _ = writeln!(
            out,
            "  {} {:<11} {}  {}  [{}:{}:{}]",
            match (a.cites_changed, a.direct) {
                (true, _) => "*",
                (false, true) => "+",
                (false, false) => " ",
            },
            a.kind.as_str(),
            a.name,
            a.reason,
            a.file,
            a.line,
            a.column
        );
    }
    let mut legend = Vec::new();
    if imp.affected.iter().any(|a| a.cites_changed) {
        legend.push("* cites a changed requirement itself");
    }
    if imp.affected.iter().any(|a| a.direct && !a.cites_changed) {
        legend.push("+ cites a requirement derived from a changed one");
    }
    if !legend.is_empty() {
        let _ = writeln!(out, "  ({})", legend.join("; "));
    }
    out
}

/// The line saying which requirement link types were followed, and which not.
fn links_text(f: &FollowingView) -> String {
    let source = if f.configured {
        "as opsplan.yaml says"
    } else {
        "by default"
    };
    let plural = |n: usize| crate::output::plural(n, "link");
    let followed: Vec<String> = f
        .followed
        .iter()
        .map(|t| {
            format!(
                "{} {} ({})",
                t.link_type,
                t.direction_words,
                plural(t.links)
            )
        })
        .collect();
    let not: Vec<String> = f
        .not_followed
        .iter()
        .map(|t| format!("{} ({})", t.link_type, plural(t.links)))
        .collect();
    match (followed.is_empty(), not.is_empty()) {
        (true, true) => "requirement links: none in the exports
"
        .to_string(),
        _ => format!(
            "requirement links followed ({source}): {}; not followed: {}
",
            if followed.is_empty() {
                "none".to_string()
            } else {
                followed.join(", ")
            },
            if not.is_empty() {
                "none".to_string()
            } else {
                not.join(", ")
            }
        ),
    }
}

/// Pretty JSON, ending with a newline.
pub fn json(v: &TraceView) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("trace view serializes");
    s.push('\n');
    s
}

/// A cell that a spreadsheet will not read as a formula (`=`, `+`, `-`, `@`, tab and
/// carriage return starts are prefixed with `'`, as OWASP recommends for CSV).
pub fn safe_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// The columns of [`matrix_rows`] before the artifacts' columns.
pub const MATRIX_COLUMNS: [&str; 6] = [
    "Requirement",
    "Status",
    "Needs coverage",
    "Module",
    "Heading path",
    "Text",
];

/// A requirement's heading path in one cell: `Introduction > Transfers` (the last
/// headings after `…` when it is long, as everywhere).
pub fn heading_path(r: &RequirementView) -> String {
    r.path.join(" > ")
}

/// The matrix as rows: a header, then one row per requirement ([`MATRIX_COLUMNS`], then
/// one cell per artifact: the link status, or empty).
pub fn matrix_rows(v: &TraceView) -> Vec<Vec<String>> {
    let mut rows = Vec::with_capacity(v.requirements.len() + 1);
    let mut header: Vec<String> = MATRIX_COLUMNS.iter().map(|c| c.to_string()).collect();
    header.extend((0..v.artifacts.len()).map(|i| v.artifact_title(i)));
    rows.push(header);
    for r in &v.requirements {
        let mut row = vec![
            r.id.clone(),
            r.status.as_str().to_string(),
            if r.needs_coverage { "yes" } else { "no" }.to_string(),
            r.module.clone().unwrap_or_default(),
            heading_path(r),
            r.text.clone(),
        ];
        row.resize(MATRIX_COLUMNS.len() + v.artifacts.len(), String::new());
        for c in &r.covered_by {
            let cell = &mut row[MATRIX_COLUMNS.len() + c.artifact];
            if cell.is_empty() {
                *cell = c.status.as_str().to_string();
            }
        }
        rows.push(row);
    }
    rows
}

/// A trace that covers nothing: its id is in no export (`dangling`), or its requirement
/// is withdrawn (`withdrawn`) or defined more than once (`ambiguous`).
#[derive(Debug, Clone)]
pub struct DanglingTrace<'a> {
    /// Index into [`TraceView::artifacts`] of what cites it.
    pub artifact: usize,
    pub cite: &'a CiteView,
    /// The requirement, for a withdrawn or ambiguous trace (the first of that id).
    pub requirement: Option<&'a RequirementView>,
}

impl DanglingTrace<'_> {
    /// `file:line:col` of the cited id.
    pub fn at(&self) -> String {
        format!("{}:{}:{}", self.cite.file, self.cite.line, self.cite.column)
    }

    /// "Did you mean": `A` or `A or B`, empty when nothing is close.
    pub fn suggestion(&self) -> String {
        crate::diag::or_list(&self.cite.suggestions, "")
    }
}

/// Every trace that covers nothing, in artifact order, then in the order each artifact
/// cites them.
pub fn dangling_traces(v: &TraceView) -> Vec<DanglingTrace<'_>> {
    let mut by_id: std::collections::HashMap<&str, &RequirementView> = Default::default();
    for r in &v.requirements {
        by_id.entry(r.id.as_str()).or_insert(r);
    }
    v.artifacts
        .iter()
        .enumerate()
        .flat_map(|(i, a)| a.cites.iter().map(move |c| (i, c)))
        .filter(|(_, c)| {
            matches!(
                c.status,
                LinkStatus::Dangling | LinkStatus::Withdrawn | LinkStatus::Ambiguous
            )
        })
        .map(|(artifact, cite)| DanglingTrace {
            artifact,
            cite,
            requirement: by_id.get(cite.id.as_str()).copied(),
        })
        .collect()
}

/// The CSV's columns before the artifacts' columns: `Record`, [`MATRIX_COLUMNS`], then
/// what only a trace row fills.
pub const CSV_COLUMNS: [&str; 10] = [
    "Record",
    "Requirement",
    "Status",
    "Needs coverage",
    "Module",
    "Heading path",
    "Text",
    "Cited by",
    "Cited at",
    "Did you mean",
];

/// The matrix as CSV (RFC 4180, UTF-8, CRLF, safe from formula injection): one table,
/// whose `Record` column says what a row is. A `requirement` row per requirement, in
/// export order (the matrix: [`MATRIX_COLUMNS`], then one cell per artifact); then a
/// `trace` row per trace that covers nothing ([`dangling_traces`]): the cited id, the
/// link status (`dangling`, `withdrawn`, `ambiguous`), the requirement's module, heading
/// path and text when it exists, what cites it and where, "did you mean", and the link
/// status again in the citing artifact's column.
pub fn csv(v: &TraceView) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // With evidence, a `Verification` column after `Did you mean`.
    let extra = usize::from(v.evidence.is_some());
    let width = CSV_COLUMNS.len() + extra + v.artifacts.len();
    let mut write = |row: Vec<String>| {
        let row: Vec<String> = row.iter().map(|c| safe_cell(c)).collect();
        w.write_record(&row).expect("writing to memory");
    };
    for (i, mut row) in matrix_rows(v).into_iter().enumerate() {
        let trace_cells = [CSV_COLUMNS[7], CSV_COLUMNS[8], CSV_COLUMNS[9]];
        let mut out = Vec::with_capacity(width);
        out.push(
            if i == 0 {
                CSV_COLUMNS[0]
            } else {
                "requirement"
            }
            .to_string(),
        );
        let artifacts = row.split_off(MATRIX_COLUMNS.len());
        out.extend(row);
        out.extend(
            trace_cells
                .iter()
                .map(|t| if i == 0 { t.to_string() } else { String::new() }),
        );
        if extra == 1 {
            out.push(match i {
                0 => "Verification".to_string(),
                _ => v.requirements[i - 1]
                    .verification
                    .as_ref()
                    .map_or(String::new(), |x| x.status.as_str().to_string()),
            });
        }
        out.extend(artifacts);
        write(out);
    }
    for d in dangling_traces(v) {
        let r = d.requirement;
        let mut out = vec![
            "trace".to_string(),
            d.cite.id.clone(),
            d.cite.status.as_str().to_string(),
            String::new(),
            r.and_then(|r| r.module.clone()).unwrap_or_default(),
            r.map(heading_path).unwrap_or_default(),
            r.map(|r| r.text.clone()).unwrap_or_default(),
            v.artifact_title(d.artifact),
            d.at(),
            d.suggestion(),
        ];
        out.resize(width, String::new());
        out[CSV_COLUMNS.len() + extra + d.artifact] = d.cite.status.as_str().to_string();
        write(out);
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("UTF-8 in, UTF-8 out")
}
