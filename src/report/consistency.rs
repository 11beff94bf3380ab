//! The consistency report a planner reads before sending a plan out, and sends with it:
//! the verdict and the plan's identity at the top, every finding (with its source
//! excerpt, the rule's text and the requirements it traces to) grouped by severity, rule,
//! phase and role, the waivers with their references, a timeline, and the provenance.

use super::gantt::{self, Mark, Timeline};
use super::Provenance;
use crate::diag::{Code, Diagnostic, Severity};
use crate::model::{ActIdx, PlanIdx};
use crate::output::Location;
use crate::source::FileId;
use crate::workspace::{Run, Verdict};
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use std::collections::BTreeMap;

mod staffing;
pub use staffing::{DutyView, GapView, HolderView, PositionView, RosterView};

/// Everything the consistency templates see.
#[derive(Debug, Clone, Serialize)]
pub struct ConsistencyView {
    pub title: String,
    pub verdict: VerdictView,
    pub plans: Vec<PlanIdentity>,
    pub counts: Counts,
    pub by_severity: Vec<Group>,
    pub by_rule: Vec<Group>,
    pub by_phase: Vec<Group>,
    pub by_role: Vec<Group>,
    pub findings: Vec<FindingView>,
    pub waivers: Vec<WaiverView>,
    pub timelines: Vec<Timeline>,
    /// The rosters staffing the plans: positions with holders and gaps, duties with
    /// turns and gaps. Absent without a roster (the report's bytes are then as before).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub staffing: Vec<RosterView>,
    pub provenance: Provenance,
    /// Set by `opsplan export --force`: the banner saying the plan went out with errors.
    /// Absent otherwise (the report's bytes are then as before).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forced_export: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VerdictView {
    /// `pass`, `pass-with-waivers` or `fail`: a CSS class.
    pub status: &'static str,
    /// `pass`, `pass with waivers`, `fail`.
    pub text: &'static str,
    /// One sentence for the reader; when the check is incomplete, first what it left
    /// out.
    pub explanation: String,
    /// An input could not be used (an invalid flight-rule or window file, a requirement
    /// export with problems): the check is incomplete, findings may be missing.
    pub incomplete: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanIdentity {
    pub id: String,
    pub title: Option<String>,
    pub mission: Option<String>,
    pub issue: Option<String>,
    pub horizon: Option<String>,
    pub file: String,
    pub phases: usize,
    pub activities: usize,
    pub roles: usize,
    pub windows: usize,
    pub waivers: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    /// Flight-rule violations covered by a waiver (F004).
    pub waived: usize,
    pub files: usize,
    pub plans: usize,
    pub procedures: usize,
    pub activities: usize,
}

/// Findings sharing a severity, rule, phase or role.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub key: String,
    /// What the key means (a rule's name, a phase's title).
    pub label: String,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub total: usize,
    /// The anchor of the first finding of the group.
    pub first: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingView {
    /// `F1`, `F2`, … in report order.
    pub anchor: String,
    pub code: &'static str,
    pub name: &'static str,
    pub severity: &'static str,
    pub message: String,
    pub location: String,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub label: String,
    /// The rustc-style excerpt of the source, without the header line.
    pub excerpt: String,
    /// A Markdown code fence longer than any backtick run of the excerpt.
    pub fence: String,
    pub help: Option<String>,
    pub notes: Vec<String>,
    pub related: Vec<RelatedView>,
    pub rule: RuleText,
    pub requirements: Vec<RequirementRef>,
    pub plan: Option<String>,
    pub phase: Option<String>,
    pub activity: Option<String>,
    pub roles: Vec<String>,
    /// When it happens (a violation's interval), in the plan's notation.
    pub when: Option<String>,
    /// The waiver covering it (F004), by its anchor (`W1`).
    pub waiver: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RelatedView {
    pub location: String,
    pub message: String,
}

/// The rule a finding breaks, in words.
#[derive(Debug, Clone, Serialize)]
pub struct RuleText {
    /// The code's one-line summary.
    pub summary: &'static str,
    /// The "What it does" paragraph of the rule's documentation.
    pub what: String,
    /// For flight-rule findings: the rule as written in its YAML file.
    pub flight_rule: Option<FlightRuleText>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FlightRuleText {
    pub id: String,
    pub title: String,
    pub location: String,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequirementRef {
    pub id: String,
    /// The requirement's text when the exports were read.
    pub text: Option<String>,
    /// Its trace status (covered, suspect, …) when traced.
    pub status: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WaiverView {
    pub anchor: String,
    pub plan: String,
    pub rule: String,
    pub rule_title: Option<String>,
    pub activities: Vec<String>,
    pub reference: String,
    pub location: String,
    /// The findings it covers (F004), by anchor.
    pub covers: Vec<String>,
    pub used: bool,
    /// Its rule is written but not evaluated (an F003 says why), or may be in a rule
    /// file that could not be read: whether it covers a violation is unknown.
    pub not_judged: bool,
}

/// Builds the view of a check run.
pub fn view(run: &Run, provenance: Provenance) -> ConsistencyView {
    let sources = &run.sources;
    let model = &run.model;
    let verdict = run.verdict();
    let locator = ActivityLocator::new(run);
    let rules = FlightRules::new(run);
    let requirements = Requirements::new(run);

    // Report order: errors, warnings, notes; by rule code; then file and place (the
    // diagnostics are already sorted by file and offset).
    let mut order: Vec<&Diagnostic> = run.diagnostics.iter().collect();
    order.sort_by_key(|d| (std::cmp::Reverse(d.severity), d.code.info().code));

    // Waivers get anchors first so findings can point at them.
    let mut waiver_anchor: HashMap<(u32, usize, usize), String> = HashMap::default();
    let mut waivers = Vec::new();
    let not_evaluated = crate::checks::NotEvaluated::of(&run.rule_sets);
    for (p, plan) in model.plans.iter().enumerate() {
        for waiver in &plan.waivers {
            let anchor = format!("W{}", waivers.len() + 1);
            waiver_anchor.insert(
                (waiver.span.file.0, waiver.span.start as usize, p),
                anchor.clone(),
            );
            waivers.push(WaiverView {
                anchor,
                plan: plan.id.value.clone(),
                rule: waiver.rule.value.clone(),
                rule_title: rules.title(&waiver.rule.value),
                activities: waiver.activities.iter().map(|a| a.value.clone()).collect(),
                reference: waiver.reference.value.clone(),
                location: location_text(&Location::of(
                    sources,
                    &crate::diag::Label::new(waiver.span, ""),
                )),
                covers: Vec::new(),
                used: false,
                not_judged: not_evaluated.is_skipped(&waiver.rule.value)
                    || (rules.title(&waiver.rule.value).is_none()
                        && not_evaluated.may_be(&waiver.rule.value)),
            });
        }
    }

    let mut findings = Vec::with_capacity(order.len());
    let mut marks: BTreeMap<PlanIdx, Vec<Mark>> = BTreeMap::new();
    // The plan each judged roster staffs, by file (a file may hold several rosters,
    // sorted by start).
    let mut roster_plan: HashMap<u32, Vec<(u32, u32, PlanIdx)>> = HashMap::default();
    for s in model.staffing.iter().filter(|s| !s.incomplete) {
        if let Some(p) = s.plan {
            roster_plan
                .entry(s.file.0)
                .or_default()
                .push((s.span.start, s.span.end, p));
        }
    }
    for v in roster_plan.values_mut() {
        v.sort_unstable();
    }
    for (i, d) in order.iter().enumerate() {
        let anchor = format!("F{}", i + 1);
        let info = d.code.info();
        let loc = Location::of(sources, &d.primary);
        let place = locator.find(d.primary.span.file, d.primary.span.start as usize);
        let (plan, phase, activity, roles) = match place {
            Some((p, a)) => {
                let plan = &model.plans[p];
                let act = &plan.activities[a];
                (
                    Some(plan.id.value.clone()),
                    act.phase.map(|ph| plan.phases[ph].name.value.clone()),
                    Some(act.ast.id.value.clone()),
                    act.ast.by.iter().map(|r| r.value.clone()).collect(),
                )
            }
            None => (None, None, None, Vec::new()),
        };
        let notation = place
            .map(|(p, _)| model.plans[p].notation)
            .unwrap_or(crate::time::Notation::DayOfYear);
        let waiver = if d.code == Code::WaivedViolation {
            d.secondary.iter().find_map(|l| {
                (0..model.plans.len()).find_map(|p| {
                    waiver_anchor
                        .get(&(l.span.file.0, l.span.start as usize, p))
                        .cloned()
                })
            })
        } else {
            None
        };
        if let Some(w) = &waiver {
            if let Some(wv) = waivers.iter_mut().find(|v| &v.anchor == w) {
                wv.covers.push(anchor.clone());
                wv.used = true;
            }
        }
        // A finding marks the timeline of the plan it is about: the plan holding its
        // activity, or the plan a roster staffs when it is a roster's finding with a
        // time (a W002 gap, a W013 on-call gap), so that its day gets a detail page.
        let marked = match place {
            Some((p, a)) => Some((p, Some(a))),
            None if d.interval.is_some() => {
                let at = d.primary.span.start;
                roster_plan.get(&d.primary.span.file.0).and_then(|v| {
                    let i = v.partition_point(|&(start, _, _)| start <= at);
                    let &(_, end, p) = v.get(i.checked_sub(1)?)?;
                    (at < end).then_some((p, None))
                })
            }
            None => None,
        };
        if let Some((p, activity)) = marked {
            marks.entry(p).or_default().push(Mark {
                anchor: anchor.clone(),
                activity,
                interval: d.interval,
                error: d.severity == Severity::Error,
                title: match &d.flight_rule {
                    Some(fr) => format!("{} {fr}: {}", info.code, d.message),
                    None => format!("{}: {}", info.code, d.message),
                },
            });
        }
        let excerpt = excerpt(run, d);
        let fence = fence_for(&excerpt);
        findings.push(FindingView {
            anchor,
            code: info.code,
            name: info.name,
            severity: d.severity.as_str(),
            message: d.message.clone(),
            location: location_text(&loc),
            file: loc.file.clone(),
            line: loc.line,
            column: loc.column,
            label: d.primary.message.clone(),
            excerpt,
            fence,
            help: d.help.clone(),
            notes: d.notes.clone(),
            related: d
                .secondary
                .iter()
                .map(|l| RelatedView {
                    location: location_text(&Location::of(sources, l)),
                    message: l.message.clone(),
                })
                .collect(),
            rule: RuleText {
                summary: info.summary,
                what: what_it_does(d.code),
                flight_rule: d.flight_rule.as_deref().and_then(|id| rules.text(run, id)),
            },
            requirements: d.traces.iter().map(|id| requirements.get(id)).collect(),
            plan,
            phase,
            activity,
            roles,
            when: d.interval.map(|iv| iv.format(notation)),
            waiver,
        });
    }

    let counts = Counts {
        errors: run.count(Severity::Error),
        warnings: run.count(Severity::Warning),
        notes: run.count(Severity::Note),
        waived: run
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::WaivedViolation)
            .count(),
        files: sources.len(),
        plans: model.plans.len(),
        procedures: model.procedures.len(),
        activities: model.plans.iter().map(|p| p.activities.len()).sum(),
    };

    let group = |key_of: &dyn Fn(&FindingView) -> Vec<(String, String)>| -> Vec<Group> {
        let mut groups: BTreeMap<String, Group> = BTreeMap::new();
        for f in &findings {
            for (key, label) in key_of(f) {
                let g = groups.entry(key.clone()).or_insert_with(|| Group {
                    key,
                    label,
                    errors: 0,
                    warnings: 0,
                    notes: 0,
                    total: 0,
                    first: f.anchor.clone(),
                });
                match f.severity {
                    "error" => g.errors += 1,
                    "warning" => g.warnings += 1,
                    _ => g.notes += 1,
                }
                g.total += 1;
            }
        }
        groups.into_values().collect()
    };
    let mut by_severity = group(&|f| vec![(f.severity.to_string(), String::new())]);
    by_severity.sort_by_key(|g| match g.key.as_str() {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    });
    let by_rule = group(&|f| {
        let key = match &f.rule.flight_rule {
            Some(fr) => format!("{} {}", f.code, fr.id),
            None => f.code.to_string(),
        };
        let label = match &f.rule.flight_rule {
            Some(fr) => format!("{}: {}", f.name, fr.title),
            None => f.name.to_string(),
        };
        vec![(key, label)]
    });
    let phase_titles: HashMap<String, String> = model
        .plans
        .iter()
        .flat_map(|p| p.phases.iter())
        .map(|ph| (ph.name.value.clone(), ph.title.clone().unwrap_or_default()))
        .collect();
    let by_phase = group(&|f| match &f.phase {
        Some(ph) => vec![(
            ph.clone(),
            phase_titles.get(ph).cloned().unwrap_or_default(),
        )],
        None if f.activity.is_some() => vec![("(no phase)".into(), String::new())],
        None => vec![("(not in a plan's activity)".into(), String::new())],
    });
    let by_role = group(&|f| {
        if f.roles.is_empty() {
            vec![("(no role)".into(), String::new())]
        } else {
            f.roles.iter().map(|r| (r.clone(), String::new())).collect()
        }
    });

    let plans: Vec<PlanIdentity> = model
        .plans
        .iter()
        .map(|p| PlanIdentity {
            id: p.id.value.clone(),
            title: p.title.clone(),
            mission: p.mission.clone(),
            issue: p.issue.clone(),
            horizon: p.horizon.map(|h| h.format(p.notation)),
            file: crate::output::display_path(sources, p.file),
            phases: p.phases.len(),
            activities: p.activities.len(),
            roles: p.roles.len(),
            windows: p.windows.len(),
            waivers: p.waivers.len(),
        })
        .collect();
    let timelines = model
        .plans
        .iter()
        .enumerate()
        .map(|(p, plan)| {
            gantt::build_staffed(
                plan,
                marks.get(&p).map_or(&[][..], |m| &m[..]),
                &staffing::rosters_of(run, p),
            )
        })
        .collect();

    let title = match plans.as_slice() {
        [] => "Consistency report".to_string(),
        [p] => match &p.issue {
            Some(i) => format!("Consistency report: {} issue {i}", p.id),
            None => format!("Consistency report: {}", p.id),
        },
        many => format!(
            "Consistency report: {}",
            many.iter()
                .map(|p| p.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let explanation = match verdict {
        Verdict::Pass => format!(
            "No finding at error severity{}: the plan can be transmitted.",
            if counts.warnings > 0 {
                format!(
                    "; {} to read",
                    crate::output::plural(counts.warnings, "warning")
                )
            } else {
                String::new()
            }
        ),
        Verdict::PassWithWaivers => format!(
            "No finding at error severity; {} covered by approved waivers: transmit with the \
             waiver references.",
            crate::output::plural(counts.waived, "flight-rule violation")
        ),
        Verdict::Fail => format!(
            "{} at error severity must be resolved before the plan is transmitted.",
            crate::output::plural(counts.errors, "finding")
        ),
    };
    let incomplete = run.incomplete();
    let explanation = match &incomplete {
        Some(what) => {
            format!("Incomplete check: {what}, so findings may be missing. {explanation}")
        }
        None => explanation,
    };
    ConsistencyView {
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
        plans,
        counts,
        by_severity,
        by_rule,
        by_phase,
        by_role,
        findings,
        waivers,
        timelines,
        staffing: staffing::view(run),
        provenance,
        forced_export: None,
    }
}

/// The view as JSON: everything but the timeline's geometry.
pub fn json(view: &ConsistencyView) -> String {
    let mut value = serde_json::to_value(view).unwrap_or_default();
    if let Some(obj) = value.as_object_mut() {
        obj.remove("timelines");
    }
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

/// `file:line:column`
fn location_text(l: &Location) -> String {
    format!("{}:{}:{}", l.file, l.line, l.column)
}

/// The rustc-style rendering of one finding without its first (message) line.
fn excerpt(run: &Run, d: &Diagnostic) -> String {
    let text = crate::output::text::render(&run.sources, std::slice::from_ref(d), false);
    let body = text.split_once('\n').map_or("", |(_, rest)| rest);
    body.trim_end().to_string()
}

fn fence_for(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// The first paragraph under "## What it does" in a rule's documentation.
fn what_it_does(code: Code) -> String {
    let Some(entry) = crate::checks::rule_for(code) else {
        return String::new();
    };
    let doc = entry.documentation();
    let Some((_, rest)) = doc.split_once("## What it does") else {
        return String::new();
    };
    let section = rest.split("\n## ").next().unwrap_or("");
    section
        .trim()
        .split("\n\n")
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Finds the activity whose text holds a byte offset: activities of a file, sorted by
/// start, binary-searched.
struct ActivityLocator {
    by_file: HashMap<u32, Vec<(usize, usize, PlanIdx, ActIdx)>>,
}

impl ActivityLocator {
    fn new(run: &Run) -> Self {
        let mut by_file: HashMap<u32, Vec<(usize, usize, PlanIdx, ActIdx)>> = HashMap::default();
        for (p, plan) in run.model.plans.iter().enumerate() {
            for (a, act) in plan.activities.iter().enumerate() {
                let s = act.ast.span;
                by_file
                    .entry(s.file.0)
                    .or_default()
                    .push((s.start as usize, s.end as usize, p, a));
            }
        }
        for v in by_file.values_mut() {
            v.sort_unstable();
        }
        ActivityLocator { by_file }
    }

    fn find(&self, file: FileId, offset: usize) -> Option<(PlanIdx, ActIdx)> {
        let v = self.by_file.get(&file.0)?;
        let i = v.partition_point(|&(s, _, _, _)| s <= offset);
        let &(s, e, p, a) = v.get(i.checked_sub(1)?)?;
        (s <= offset && offset < e).then_some((p, a))
    }
}

/// Flight rules by id, with their YAML text.
struct FlightRules<'a> {
    by_id: HashMap<&'a str, &'a crate::flight::FlightRule>,
    /// Every rule's (file, start offset), sorted: where the next rule of a file begins.
    starts: Vec<(u32, u32)>,
}

impl<'a> FlightRules<'a> {
    fn new(run: &'a Run) -> Self {
        let mut by_id = HashMap::default();
        let mut starts = Vec::new();
        for set in &run.rule_sets {
            for r in &set.rules {
                by_id.entry(r.id.as_str()).or_insert(r);
                starts.push((r.span.file.0, r.span.start));
            }
        }
        starts.sort_unstable();
        FlightRules { by_id, starts }
    }

    fn title(&self, id: &str) -> Option<String> {
        self.by_id.get(id).map(|r| r.title.clone())
    }

    /// The rule's lines of its YAML file: from the line of its `id:` to the line before
    /// the next rule of the file (or the end), trailing blank and comment lines dropped.
    fn text(&self, run: &Run, id: &str) -> Option<FlightRuleText> {
        let rule = *self.by_id.get(id)?;
        let file = rule.span.file;
        let text = run.sources.text(file);
        let start = text[..rule.span.start as usize]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let after = self
            .starts
            .partition_point(|&k| k <= (file.0, rule.span.start));
        let next = self
            .starts
            .get(after)
            .filter(|&&(f, _)| f == file.0)
            .map(|&(_, start)| start as usize);
        let end = match next {
            Some(n) => text[..n].rfind('\n').map_or(n, |i| i + 1),
            None => text.len(),
        };
        let mut lines: Vec<&str> = text[start..end].lines().collect();
        while lines
            .last()
            .is_some_and(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        {
            lines.pop();
        }
        // The `- ` of the list item belongs to the rule.
        let mut source = lines.join("\n");
        if source.trim_start().starts_with("id:") {
            source = format!("- {}", source.trim_start());
        }
        Some(FlightRuleText {
            id: rule.id.clone(),
            title: rule.title.clone(),
            location: location_text(&Location::of(
                &run.sources,
                &crate::diag::Label::new(rule.span, ""),
            )),
            source,
        })
    }
}

/// Requirement texts and statuses by cited id, when the run traced.
struct Requirements<'a> {
    run: &'a Run,
    by_id: HashMap<&'a str, &'a crate::trace::ReqEntry>,
}

impl<'a> Requirements<'a> {
    fn new(run: &'a Run) -> Self {
        let mut by_id = HashMap::default();
        if let Some(t) = &run.traced {
            for r in &t.trace.requirements {
                by_id.entry(r.id.as_str()).or_insert(r);
            }
        }
        Requirements { run, by_id }
    }

    fn get(&self, id: &str) -> RequirementRef {
        let found = self.by_id.get(id).and_then(|r| {
            let traced = self.run.traced.as_ref()?;
            let o = traced.trace.object(&traced.exports, r);
            Some((o.text.clone(), r.status.as_str().to_string()))
        });
        RequirementRef {
            id: id.to_string(),
            text: found.as_ref().map(|(t, _)| t.clone()),
            status: found.map(|(_, s)| s),
        }
    }
}
