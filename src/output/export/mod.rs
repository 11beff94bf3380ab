//! `opsplan export`: the transmission package of one checked plan, as pure renderers.
//!
//! [`build`] turns a check run and one of its plans into an [`ExportDoc`], a view with
//! every list in a fixed order (source order, or sorted by name where the model holds a
//! hash map), so every file of the package is a function of the inputs alone. The files
//! are rendered from it: [`json`] (the versioned JSON, schema
//! `docs/schemas/opsplan-export-1.schema.json`), [`csv`] (one row per activity), [`ics`]
//! (one iCalendar per role) and [`manifest`] (MANIFEST and SHA256SUMS). Nothing here does
//! I/O or reads the clock: the generation time is given. `cli::export` assembles the
//! package (with the consistency report from `report`). docs/export.md describes it all.

pub mod csv;
pub mod ics;
pub mod json;
pub mod manifest;
pub mod people;

use crate::diag::{Code, Severity};
use crate::model::{PlanModel, ProcIdx, TimeState, Unknown};
use crate::syntax::ast::{NeedsMode, RelationKind, ResourceKind, WindowShape};
use crate::time::{Interval, Notation, Time};
use crate::workspace::{Run, Verdict};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The `schema` member of the JSON.
pub const SCHEMA_NAME: &str = "opsplan-export";
/// The `version` member of the JSON; bumped on any change that is not an addition.
pub const SCHEMA_VERSION: u32 = 1;
/// The file name of the JSON Schema, in `docs/schemas/` and in the package.
pub const SCHEMA_FILE: &str = "opsplan-export-1.schema.json";

/// What the caller knows that the run does not: the generation time and whether the
/// export overrides findings at error severity.
#[derive(Debug, Clone)]
pub struct ExportMeta {
    /// Seconds since 1970 (SOURCE_DATE_EPOCH or the inputs' provenance time).
    pub generated: i64,
    /// True when `--force` wrote a plan whose check has errors.
    pub forced: bool,
}

/// The whole package's content, in a fixed order.
#[derive(Debug, Clone, Serialize)]
pub struct ExportDoc {
    pub schema: &'static str,
    pub version: u32,
    pub generator: Generator,
    pub forced: bool,
    pub plan: PlanInfo,
    /// `pass`, `pass with waivers` or `fail`: the check run's verdict.
    pub verdict: &'static str,
    /// The project file whose flight rules, requirements and policy judged the plan, as
    /// outputs show paths; `null` when none did.
    pub project_file: crate::workspace::Project,
    pub counts: Counts,
    pub roles: Vec<RoleExport>,
    pub resources: Vec<ResourceExport>,
    pub windows: Vec<WindowExport>,
    pub phases: Vec<PhaseExport>,
    pub activities: Vec<ActivityExport>,
    pub procedures: Vec<ProcedureExport>,
    /// One entry per flight rule of the run; `null` when the run has no flight rules.
    pub flight_rules: Option<Vec<FlightRuleVerdict>>,
    /// The people of the plan's rosters (`use roster`): shifts, on-call turns, the
    /// activities they are on. Absent when the plan has no roster (added in version 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub people: Option<Vec<people::PersonExport>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Generator {
    pub tool: &'static str,
    pub version: &'static str,
    /// ISO 8601 UTC.
    pub generated: String,
}

/// A span of time in ISO 8601 UTC and in the plan's own notation.
#[derive(Debug, Clone, Serialize)]
pub struct TimeSpan {
    pub start: String,
    pub end: String,
    pub start_plan: String,
    pub end_plan: String,
}

impl TimeSpan {
    fn of(iv: Interval, notation: Notation) -> TimeSpan {
        TimeSpan {
            start: iso(iv.start),
            end: iso(iv.end),
            start_plan: iv.start.format(notation),
            end_plan: iv.end.format(notation),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanInfo {
    pub id: String,
    pub title: Option<String>,
    pub mission: Option<String>,
    pub issue: Option<String>,
    pub horizon: Option<TimeSpan>,
    /// `day-of-year` (`2014/275 14:05`) or `iso`: how `*_plan` times are written.
    pub notation: &'static str,
    /// The plan file as given on the command line.
    pub file: String,
}

/// Finding counts of the check run (all inputs, as `opsplan check` prints them).
#[derive(Debug, Clone, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    /// Flight-rule violations covered by a waiver.
    pub waived: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoleExport {
    pub name: String,
    /// The group role it belongs to (`roles FE-5, FE-6 in CREW`).
    pub group: Option<String>,
    /// The roles that belong to it, in declaration order.
    pub members: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResourceExport {
    pub name: String,
    /// `exclusive` or `capacity`.
    pub kind: &'static str,
    /// How many users at once (1 for an exclusive resource).
    pub capacity: u32,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WindowExport {
    pub name: String,
    pub title: Option<String>,
    /// `periodic`, `daily` or `intervals`.
    pub shape: &'static str,
    /// `relay`, `ground`, `sleep` or `other` (`kind` in the plan; `other` when not given).
    pub kind: &'static str,
    /// The occurrences inside the plan's horizon, sorted, non-overlapping.
    pub occurrences: Vec<TimeSpan>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhaseExport {
    pub name: String,
    pub title: Option<String>,
    pub interval: Option<TimeSpan>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActivityExport {
    pub id: String,
    pub title: Option<String>,
    pub phase: Option<String>,
    /// `known`, `inverted` (end not after start) or `unknown`.
    pub time: &'static str,
    /// Why the time is unknown (`no start`, `depends on A36`, …).
    pub unknown_reason: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub start_plan: Option<String>,
    pub end_plan: Option<String>,
    pub duration_seconds: Option<i64>,
    pub by: Vec<String>,
    pub kind: Option<String>,
    pub tags: Vec<String>,
    pub critical: bool,
    pub procedure: Option<ProcedureRef>,
    pub needs: Option<NeedsExport>,
    pub uses: Vec<UseExport>,
    pub relations: Vec<RelationExport>,
    pub covers: Vec<CiteExport>,
    /// The activity's notes, one per line.
    pub note: Option<String>,
}

impl ActivityExport {
    /// The interval when start < end.
    pub fn known(&self) -> Option<(&str, &str)> {
        match (self.time, &self.start, &self.end) {
            ("known", Some(s), Some(e)) => Some((s, e)),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ProcedureRef {
    pub id: String,
    /// The version the plan asks for, if any.
    pub requested_version: Option<String>,
    /// The version it resolved to (`null` when unresolved or unversioned).
    pub version: Option<String>,
    pub resolved: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct NeedsExport {
    /// `all` (`A & B`) or `any` (`A | B`).
    pub mode: &'static str,
    pub windows: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UseExport {
    pub resource: String,
    /// Units used (1 when not written).
    pub amount: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct RelationExport {
    /// `after`, `before`, `during` or `starts_with`.
    pub kind: &'static str,
    pub target: String,
    pub offset_seconds: Option<i64>,
    pub within_seconds: Option<i64>,
    /// The relation as written, on one line.
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CiteExport {
    pub id: String,
    /// The fingerprint prefix the trace was reviewed against (`@3f2a9c1b04de`).
    pub stamp: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProcedureExport {
    pub id: String,
    pub version: Option<String>,
    pub title: Option<String>,
    pub family: Option<String>,
    pub roles: Vec<String>,
    pub contingency: Option<ContingencyRef>,
    pub duration_seconds: Option<i64>,
    /// The plan's activities that run it (empty for a contingency procedure only).
    pub activities: Vec<String>,
    /// The procedures it is the contingency of.
    pub contingency_for: Vec<String>,
    pub file: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContingencyRef {
    pub id: String,
    pub version: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FlightRuleVerdict {
    pub id: String,
    pub title: String,
    /// `met`, `violated`, `waived` or `unknown` (the worst of its findings).
    pub verdict: &'static str,
    pub violated: usize,
    pub waived: usize,
    pub unknown: usize,
}

/// `2014-10-02T14:05:00Z`
pub fn iso(t: Time) -> String {
    t.format(Notation::Iso)
}

fn notation_name(n: Notation) -> &'static str {
    match n {
        Notation::DayOfYear => "day-of-year",
        Notation::Iso => "iso",
    }
}

/// The findings that concern plan `plan`: every finding of the run except those
/// located inside another plan of the input (procedures, rule files and requirement
/// exports are shared, so their findings count for every plan).
pub fn findings_of(run: &Run, plan: usize) -> Vec<&crate::diag::Diagnostic> {
    let others: Vec<crate::source::Span> = run
        .model
        .plans
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != plan)
        .map(|(_, p)| p.span)
        .collect();
    run.diagnostics
        .iter()
        .filter(|d| {
            let s = d.primary.span;
            !others
                .iter()
                .any(|o| o.file == s.file && o.start <= s.start && s.start < o.end)
        })
        .collect()
}

/// The verdict over some findings, as [`Run::verdict`] computes it for all of them.
pub fn verdict_of(findings: &[&crate::diag::Diagnostic]) -> Verdict {
    if findings.iter().any(|d| d.severity == Severity::Error) {
        Verdict::Fail
    } else if findings.iter().any(|d| d.code == Code::WaivedViolation) {
        Verdict::PassWithWaivers
    } else {
        Verdict::Pass
    }
}

/// Builds the package's view of plan `plan` (an index into `run.model.plans`).
/// The most occurrences of one window the package lists (the JSON holds each one).
pub const MAX_WINDOW_OCCURRENCES: u64 = 1_000_000;

/// A window with more occurrences inside the horizon than the package lists: its name,
/// where it is declared and how many it has. The export is refused then, never cut.
pub fn too_dense_windows(run: &Run, plan: usize) -> Vec<(String, crate::source::Span, u64)> {
    let p = &run.model.plans[plan];
    (0..p.windows.len())
        .filter_map(|wi| {
            let count = p.window_count_in_horizon(wi);
            let decl = &p.windows[wi].decl;
            (count > MAX_WINDOW_OCCURRENCES)
                .then(|| (decl.name.value.clone(), decl.name.span, count))
        })
        .collect()
}

pub fn build(run: &Run, plan: usize, meta: &ExportMeta) -> ExportDoc {
    let model = &run.model;
    let p = &model.plans[plan];
    let n = p.notation;
    let roles: Vec<RoleExport> = p
        .roles
        .iter()
        .map(|r| RoleExport {
            name: r.name.value.clone(),
            group: r.group.as_ref().map(|g| g.value.clone()),
            members: p
                .roles
                .iter()
                .filter(|m| m.group.as_ref().is_some_and(|g| g.value == r.name.value))
                .map(|m| m.name.value.clone())
                .collect(),
        })
        .collect();
    let resources = p
        .resources
        .iter()
        .map(|r| ResourceExport {
            name: r.name.value.clone(),
            kind: match r.kind {
                ResourceKind::Exclusive => "exclusive",
                ResourceKind::Capacity(_) => "capacity",
            },
            capacity: match r.kind {
                ResourceKind::Exclusive => 1,
                ResourceKind::Capacity(c) => c,
            },
            description: r.description.as_ref().map(|d| d.value.clone()),
        })
        .collect();
    let windows = p
        .windows
        .iter()
        .enumerate()
        .map(|(wi, w)| WindowExport {
            name: w.decl.name.value.clone(),
            title: w.decl.title.as_ref().map(|t| t.value.clone()),
            shape: match w.decl.shape {
                WindowShape::Periodic { .. } => "periodic",
                WindowShape::Daily { .. } => "daily",
                WindowShape::Intervals(_) => "intervals",
            },
            kind: w.kind().as_str(),
            occurrences: p
                .window_in_horizon(wi)
                .map(|iv| TimeSpan::of(iv, n))
                .collect(),
        })
        .collect();
    let phases = p
        .phases
        .iter()
        .map(|ph| PhaseExport {
            name: ph.name.value.clone(),
            title: ph.title.clone(),
            interval: ph.interval.map(|iv| TimeSpan::of(iv, n)),
        })
        .collect();
    let findings = findings_of(run, plan);
    let count = |sev: Severity| findings.iter().filter(|d| d.severity == sev).count();
    let activities: Vec<ActivityExport> =
        p.activities.iter().map(|a| activity(run, p, a)).collect();
    let people = people::build(run, p, plan, &roles, n);
    ExportDoc {
        schema: SCHEMA_NAME,
        version: SCHEMA_VERSION,
        generator: Generator {
            tool: "opsplan",
            version: env!("CARGO_PKG_VERSION"),
            generated: crate::time::Time(meta.generated).format(Notation::Iso),
        },
        forced: meta.forced,
        plan: PlanInfo {
            id: p.id.value.clone(),
            title: p.title.clone(),
            mission: p.mission.clone(),
            issue: p.issue.clone(),
            horizon: p.horizon.map(|h| TimeSpan::of(h, n)),
            notation: notation_name(n),
            file: crate::output::display_path(&run.sources, p.file),
        },
        verdict: verdict_of(&findings).as_str(),
        project_file: run.project.clone(),
        counts: Counts {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            notes: count(Severity::Note),
            waived: findings
                .iter()
                .filter(|d| d.code == Code::WaivedViolation)
                .count(),
        },
        roles,
        resources,
        windows,
        phases,
        activities,
        procedures: procedures(run, p),
        flight_rules: flight_rules(run, &findings),
        people,
    }
}

fn activity(run: &Run, p: &PlanModel, a: &crate::model::ActivityModel) -> ActivityExport {
    let ast = &a.ast;
    let n = p.notation;
    let (time, reason) = match a.time {
        TimeState::Known(_) => ("known", None),
        TimeState::Inverted(_) => ("inverted", None),
        TimeState::Unknown(why) => (
            "unknown",
            Some(match why {
                Unknown::NoStart => "no start".to_string(),
                Unknown::NoDuration => "no duration".to_string(),
                Unknown::DependsOn(i) => format!(
                    "depends on {}",
                    p.activities.get(i).map_or("?", |d| d.ast.id.value.as_str())
                ),
                Unknown::InCycle => "in a dependency cycle".to_string(),
                Unknown::InvalidInput => "invalid or undefined time reference".to_string(),
                Unknown::OutOfRange => "out of the supported calendar".to_string(),
            }),
        ),
    };
    let bounds = a.time.bounds();
    let procedure = ast.procedure.as_ref().map(|r| ProcedureRef {
        id: r.id.value.clone(),
        requested_version: r.version.as_ref().map(|v| v.value.clone()),
        version: a
            .procedure
            .and_then(|i| run.model.procedures[i].version().map(str::to_string)),
        resolved: a.procedure.is_some(),
    });
    let notes: Vec<&str> = ast.notes.iter().map(|s| s.value.as_str()).collect();
    ActivityExport {
        id: ast.id.value.clone(),
        title: ast.title.as_ref().map(|t| t.value.clone()),
        phase: a.phase.map(|i| p.phases[i].name.value.clone()),
        time,
        unknown_reason: reason,
        start: bounds.map(|b| iso(b.start)),
        end: bounds.map(|b| iso(b.end)),
        start_plan: bounds.map(|b| b.start.format(n)),
        end_plan: bounds.map(|b| b.end.format(n)),
        duration_seconds: bounds.map(|b| b.duration().seconds()),
        by: ast.by.iter().map(|r| r.value.clone()).collect(),
        kind: ast.kind.as_ref().map(|k| k.value.clone()),
        tags: ast.tags.iter().map(|t| t.value.clone()).collect(),
        critical: ast.critical.is_some(),
        procedure,
        needs: ast.needs.as_ref().map(|nd| NeedsExport {
            mode: match nd.mode {
                NeedsMode::All => "all",
                NeedsMode::Any => "any",
            },
            windows: nd.windows.iter().map(|w| w.value.clone()).collect(),
        }),
        uses: ast
            .uses
            .iter()
            .map(|u| UseExport {
                resource: u.resource.value.clone(),
                amount: u.amount.as_ref().map_or(1, |a| a.value),
            })
            .collect(),
        relations: ast
            .relations
            .iter()
            .map(|r| RelationExport {
                kind: match r.kind {
                    RelationKind::After => "after",
                    RelationKind::Before => "before",
                    RelationKind::During => "during",
                    RelationKind::StartsWith => "starts_with",
                },
                target: r.target.value.clone(),
                offset_seconds: r.offset.as_ref().and_then(|d| d.value).map(|d| d.seconds()),
                within_seconds: r.within.as_ref().and_then(|d| d.value).map(|d| d.seconds()),
                text: one_line(run.sources.slice(r.span)),
            })
            .collect(),
        covers: ast
            .covers
            .iter()
            .map(|c| CiteExport {
                id: c.id.value.clone(),
                stamp: c.stamp.as_ref().map(|s| s.value.clone()),
            })
            .collect(),
        note: (!notes.is_empty()).then(|| notes.join("\n")),
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The procedure a reference names: the version asked for, or the highest.
fn resolve(run: &Run, id: &str, version: Option<&str>) -> Option<ProcIdx> {
    let versions = run.model.procedure_index.get(id)?;
    match version {
        Some(v) => versions
            .iter()
            .copied()
            .find(|&i| run.model.procedures[i].version() == Some(v)),
        None => versions.last().copied(),
    }
}

/// The procedures the plan's activities run, then their contingencies (transitively),
/// sorted by id and version.
fn procedures(run: &Run, p: &PlanModel) -> Vec<ProcedureExport> {
    let model = &run.model;
    let mut runs: BTreeMap<ProcIdx, Vec<String>> = BTreeMap::new();
    for a in &p.activities {
        if let Some(i) = a.procedure {
            runs.entry(i).or_default().push(a.ast.id.value.clone());
        }
    }
    let mut contingency_for: BTreeMap<ProcIdx, BTreeSet<String>> = BTreeMap::new();
    let mut queue: Vec<ProcIdx> = runs.keys().copied().collect();
    let mut seen: BTreeSet<ProcIdx> = queue.iter().copied().collect();
    while let Some(i) = queue.pop() {
        let proc = &model.procedures[i];
        let Some(c) = &proc.ast.contingency else {
            continue;
        };
        let Some(ci) = resolve(
            run,
            &c.id.value,
            c.version.as_ref().map(|v| v.value.as_str()),
        ) else {
            continue;
        };
        contingency_for
            .entry(ci)
            .or_default()
            .insert(proc.display_name());
        if seen.insert(ci) {
            queue.push(ci);
        }
    }
    let mut out: Vec<ProcedureExport> = seen
        .into_iter()
        .map(|i| {
            let proc = &model.procedures[i];
            let ast = &proc.ast;
            ProcedureExport {
                id: proc.id().to_string(),
                version: proc.version().map(str::to_string),
                title: ast.title.as_ref().map(|t| t.value.clone()),
                family: ast.family.as_ref().map(|f| f.value.clone()),
                roles: ast.roles.iter().map(|r| r.value.clone()).collect(),
                contingency: ast.contingency.as_ref().map(|c| ContingencyRef {
                    id: c.id.value.clone(),
                    version: c.version.as_ref().map(|v| v.value.clone()),
                }),
                duration_seconds: ast
                    .duration
                    .as_ref()
                    .and_then(|d| d.value)
                    .map(|d| d.seconds()),
                activities: runs.remove(&i).unwrap_or_default(),
                contingency_for: contingency_for
                    .remove(&i)
                    .map(|s| s.into_iter().collect())
                    .unwrap_or_default(),
                file: crate::output::display_path(&run.sources, proc.file),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        a.id.cmp(&b.id).then_with(|| {
            crate::model::compare_versions(
                a.version.as_deref().unwrap_or(""),
                b.version.as_deref().unwrap_or(""),
            )
        })
    });
    out
}

/// Each flight rule's verdict over the plan: its findings among the plan's, by kind.
fn flight_rules(
    run: &Run,
    findings: &[&crate::diag::Diagnostic],
) -> Option<Vec<FlightRuleVerdict>> {
    let rules: Vec<&crate::flight::FlightRule> =
        run.rule_sets.iter().flat_map(|s| s.rules.iter()).collect();
    if rules.is_empty() {
        return None;
    }
    let mut counts: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for d in findings {
        // An F002 names every rule that could not judge its activity.
        for rule in d.flight_rules() {
            let c = counts.entry(rule).or_default();
            match d.code {
                Code::FlightRuleViolated => c.0 += 1,
                Code::WaivedViolation => c.1 += 1,
                Code::FlightRuleUnknown => c.2 += 1,
                _ => {}
            }
        }
    }
    let mut out: Vec<FlightRuleVerdict> = Vec::new();
    let mut seen = BTreeSet::new();
    for r in rules {
        if !seen.insert(r.id.as_str()) {
            continue;
        }
        let (violated, waived, unknown) = counts.get(r.id.as_str()).copied().unwrap_or_default();
        out.push(FlightRuleVerdict {
            id: r.id.clone(),
            title: r.title.clone(),
            verdict: if violated > 0 {
                "violated"
            } else if unknown > 0 {
                "unknown"
            } else if waived > 0 {
                "waived"
            } else {
                "met"
            },
            violated,
            waived,
            unknown,
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Some(out)
}

/// The roles whose calendar holds an activity done `by` role `name`: the role itself
/// and, transitively, every role declared `in` it (an activity `by CREW` is FE-5's too).
/// Returned sorted; a cycle of groups ends where it started.
pub fn calendar_roles_of(roles: &[RoleExport], name: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![name.to_string()];
    while let Some(r) = stack.pop() {
        if !out.insert(r.clone()) {
            continue;
        }
        for m in roles
            .iter()
            .filter(|m| m.group.as_deref() == Some(r.as_str()))
        {
            stack.push(m.name.clone());
        }
    }
    out
}

/// `ART & TDRS` or `ART | TDRS`, as the plan wrote it.
pub fn needs_text(needs: &NeedsExport) -> String {
    needs
        .windows
        .join(if needs.mode == "all" { " & " } else { " | " })
}

/// `OCS`, `GROUND-CHAIN 2`: the resources an activity uses, with their amounts.
pub fn uses_texts(a: &ActivityExport) -> Vec<String> {
    a.uses
        .iter()
        .map(|u| {
            if u.amount == 1 {
                u.resource.clone()
            } else {
                format!("{} {}", u.resource, u.amount)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(name: &str, group: Option<&str>) -> RoleExport {
        RoleExport {
            name: name.into(),
            group: group.map(Into::into),
            members: Vec::new(),
        }
    }

    #[test]
    fn a_group_activity_reaches_every_member_even_through_nested_groups_and_cycles() {
        let roles = vec![
            role("CREW", None),
            role("FE-5", Some("CREW")),
            role("FE-6", Some("CREW")),
            role("EVA-1", Some("FE-5")),
            role("X", Some("Y")),
            role("Y", Some("X")),
        ];
        let names = |s: BTreeSet<String>| s.into_iter().collect::<Vec<_>>();
        assert_eq!(
            names(calendar_roles_of(&roles, "CREW")),
            ["CREW", "EVA-1", "FE-5", "FE-6"]
        );
        assert_eq!(names(calendar_roles_of(&roles, "FE-6")), ["FE-6"]);
        assert_eq!(names(calendar_roles_of(&roles, "X")), ["X", "Y"]);
        assert_eq!(
            names(calendar_roles_of(&roles, "UNDECLARED")),
            ["UNDECLARED"]
        );
    }
}
