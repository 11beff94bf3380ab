//! What changed between two issues of a plan (`opsplan diff OLD NEW`): activities added,
//! removed, moved (by how much), re-assigned, relations re-timed, procedure versions
//! changed, flight-rule verdicts changed, and the overall verdict; and the declarations
//! the activities rely on: window occurrences, phases, resources, roles and waivers.
//!
//! Both sides are checked runs; activities are matched by id (hash maps, linear), plans by
//! id (or the one plan of each side when each has one). Everything is listed in the new
//! plan's order, then the old plan's for removals, so the output is deterministic.

use super::Run;
use crate::diag::Code;
use crate::model::PlanModel;
use crate::time::{Dur, Interval};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct PlanDiff {
    pub plans: Vec<PlanChanges>,
    /// Plan ids only in the new side / only in the old side.
    pub plans_added: Vec<String>,
    pub plans_removed: Vec<String>,
    /// `pass`, `pass with waivers`, `fail` of each side.
    pub old_verdict: &'static str,
    pub new_verdict: &'static str,
    pub flight_rules: Vec<RuleChange>,
    /// The project file that judged each side (`null`: none).
    pub old_project_file: super::Project,
    pub new_project_file: super::Project,
    pub summary: String,
}

impl PlanDiff {
    pub fn is_empty(&self) -> bool {
        self.plans_added.is_empty()
            && self.plans_removed.is_empty()
            && self.flight_rules.is_empty()
            && self.old_verdict == self.new_verdict
            && self.plans.iter().all(PlanChanges::is_empty)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanChanges {
    pub id: String,
    pub old_issue: Option<String>,
    pub new_issue: Option<String>,
    pub old_file: String,
    pub new_file: String,
    pub added: Vec<ActivityRef>,
    pub removed: Vec<ActivityRef>,
    pub moved: Vec<Moved>,
    pub reassigned: Vec<Reassigned>,
    pub relations: Vec<Changed>,
    pub procedures: Vec<Changed>,
    /// Windows whose occurrences (inside the horizon) differ.
    pub windows: Vec<WindowChange>,
    /// Phases added, removed, re-timed or re-titled (`(none)` on the side without it).
    pub phases: Vec<Changed>,
    /// Resources added, removed, or of another kind or capacity.
    pub resources: Vec<Changed>,
    /// Roles added, removed, or moved into another group.
    pub roles: Vec<Changed>,
    /// Waivers added, removed, or with another approval reference (id: `FR-06 for A10`).
    pub waivers: Vec<Changed>,
}

/// A window whose occurrences (inside each side's horizon) changed: those only in the old
/// issue, those only in the new.
#[derive(Debug, Clone, Serialize)]
pub struct WindowChange {
    pub id: String,
    pub old_count: u64,
    pub new_count: u64,
    /// The first [`MAX_LISTED_OCCURRENCES`] removed occurrences.
    pub removed: Vec<String>,
    /// The first [`MAX_LISTED_OCCURRENCES`] added occurrences.
    pub added: Vec<String>,
    /// How many were removed and added (among those compared).
    pub removed_count: u64,
    pub added_count: u64,
    /// False when the two sides hold more than [`MAX_COMPARED_OCCURRENCES`] occurrences
    /// between them: the counts are those of the first ones, and the outputs say so.
    pub compared_all: bool,
}

/// Occurrences listed per window and side (the counts cover them all).
pub const MAX_LISTED_OCCURRENCES: usize = 1_000;
/// Occurrences compared per window, both sides together (a one-second window over a
/// century has billions: they are compared up to this many, and the outputs say so).
pub const MAX_COMPARED_OCCURRENCES: u64 = 10_000_000;

impl PlanChanges {
    pub fn is_empty(&self) -> bool {
        self.old_issue == self.new_issue
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.moved.is_empty()
            && self.reassigned.is_empty()
            && self.relations.is_empty()
            && self.procedures.is_empty()
            && self.windows.is_empty()
            && self.phases.is_empty()
            && self.resources.is_empty()
            && self.roles.is_empty()
            && self.waivers.is_empty()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ActivityRef {
    pub id: String,
    pub title: Option<String>,
    /// `2014/275 14:05 .. 2014/275 14:25`, or `unknown`.
    pub when: String,
    pub roles: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Moved {
    pub id: String,
    pub old: String,
    pub new: String,
    /// New start − old start (`+30m`, `-1h`, `0s`).
    pub shift: String,
    pub shift_seconds: i64,
    /// New duration − old duration, when it changed.
    pub duration_change: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reassigned {
    pub id: String,
    pub old: Vec<String>,
    pub new: Vec<String>,
}

/// A text that changed on one activity (its relations, its procedure reference).
#[derive(Debug, Clone, Serialize)]
pub struct Changed {
    pub id: String,
    pub old: String,
    pub new: String,
}

/// A flight rule whose verdict differs between the issues.
#[derive(Debug, Clone, Serialize)]
pub struct RuleChange {
    pub rule: String,
    pub old: String,
    pub new: String,
}

/// Compares two checked runs.
pub fn diff(old: &Run, new: &Run) -> PlanDiff {
    let mut plans = Vec::new();
    let mut plans_added = Vec::new();
    let mut plans_removed = Vec::new();
    let (op, np) = (&old.model.plans, &new.model.plans);
    if op.len() == 1 && np.len() == 1 {
        plans.push(compare(old, &op[0], new, &np[0]));
    } else {
        let old_by_id: BTreeMap<&str, &PlanModel> =
            op.iter().map(|p| (p.id.value.as_str(), p)).collect();
        for p in np {
            match old_by_id.get(p.id.value.as_str()) {
                Some(o) => plans.push(compare(old, o, new, p)),
                None => plans_added.push(p.id.value.clone()),
            }
        }
        let new_ids: std::collections::BTreeSet<&str> =
            np.iter().map(|p| p.id.value.as_str()).collect();
        plans_removed = op
            .iter()
            .filter(|p| !new_ids.contains(p.id.value.as_str()))
            .map(|p| p.id.value.clone())
            .collect();
    }
    let (ov, nv) = (rule_verdicts(old), rule_verdicts(new));
    let mut rules: std::collections::BTreeSet<&String> = ov.keys().collect();
    rules.extend(nv.keys());
    let flight_rules: Vec<RuleChange> = rules
        .into_iter()
        .filter_map(|r| {
            let o = ov.get(r).map_or("met".to_string(), Verdicts::text);
            let n = nv.get(r).map_or("met".to_string(), Verdicts::text);
            (o != n).then(|| RuleChange {
                rule: r.clone(),
                old: o,
                new: n,
            })
        })
        .collect();
    let mut d = PlanDiff {
        plans,
        plans_added,
        plans_removed,
        old_verdict: old.verdict().as_str(),
        new_verdict: new.verdict().as_str(),
        flight_rules,
        old_project_file: old.project.clone(),
        new_project_file: new.project.clone(),
        summary: String::new(),
    };
    d.summary = summary(&d);
    d
}

fn compare(old_run: &Run, old: &PlanModel, new_run: &Run, new: &PlanModel) -> PlanChanges {
    let mut c = PlanChanges {
        id: new.id.value.clone(),
        old_issue: old.issue.clone(),
        new_issue: new.issue.clone(),
        old_file: crate::output::display_path(&old_run.sources, old.file),
        new_file: crate::output::display_path(&new_run.sources, new.file),
        added: Vec::new(),
        removed: Vec::new(),
        moved: Vec::new(),
        reassigned: Vec::new(),
        relations: Vec::new(),
        procedures: Vec::new(),
        windows: windows(old, new),
        phases: Vec::new(),
        resources: Vec::new(),
        roles: Vec::new(),
        waivers: Vec::new(),
    };
    c.phases = keyed(
        old.phases
            .iter()
            .map(|p| (p.name.value.clone(), phase_text(old, p))),
        new.phases
            .iter()
            .map(|p| (p.name.value.clone(), phase_text(new, p))),
    );
    let resource = |r: &crate::syntax::ast::ResourceDecl| match r.kind {
        crate::syntax::ast::ResourceKind::Exclusive => "exclusive".to_string(),
        crate::syntax::ast::ResourceKind::Capacity(n) => format!("capacity {n}"),
    };
    c.resources = keyed(
        old.resources
            .iter()
            .map(|r| (r.name.value.clone(), resource(r))),
        new.resources
            .iter()
            .map(|r| (r.name.value.clone(), resource(r))),
    );
    let role = |r: &crate::model::RoleModel| match &r.group {
        Some(g) => format!("in {}", g.value),
        None => "declared".to_string(),
    };
    c.roles = keyed(
        old.roles.iter().map(|r| (r.name.value.clone(), role(r))),
        new.roles.iter().map(|r| (r.name.value.clone(), role(r))),
    );
    let waiver = |w: &crate::syntax::ast::Waiver| {
        let acts: Vec<&str> = w.activities.iter().map(|a| a.value.as_str()).collect();
        (
            format!("{} for {}", w.rule.value, acts.join(", ")),
            format!("ref \"{}\"", w.reference.value),
        )
    };
    c.waivers = keyed(
        old.waivers.iter().map(waiver),
        new.waivers.iter().map(waiver),
    );
    for a in &new.activities {
        let id = &a.ast.id.value;
        let Some(&oi) = old.activity_index.get(id) else {
            c.added.push(activity_ref(new, a));
            continue;
        };
        let o = &old.activities[oi];
        match (o.time.bounds(), a.time.bounds()) {
            (Some(ot), Some(nt)) if ot != nt => {
                let shift = nt.start.since(ot.start);
                let dchange = Dur(nt.duration().seconds() - ot.duration().seconds());
                c.moved.push(Moved {
                    id: id.clone(),
                    old: ot.format(old.notation),
                    new: nt.format(new.notation),
                    shift: signed(shift),
                    shift_seconds: shift.seconds(),
                    duration_change: (dchange.seconds() != 0).then(|| signed(dchange)),
                });
            }
            (Some(ot), None) => c.moved.push(Moved {
                id: id.clone(),
                old: ot.format(old.notation),
                new: "unknown".into(),
                shift: "unknown".into(),
                shift_seconds: 0,
                duration_change: None,
            }),
            _ => {}
        }
        let roles = |x: &crate::model::ActivityModel| -> Vec<String> {
            x.ast.by.iter().map(|r| r.value.clone()).collect()
        };
        if roles(o) != roles(a) {
            c.reassigned.push(Reassigned {
                id: id.clone(),
                old: roles(o),
                new: roles(a),
            });
        }
        let rel = |run: &Run, x: &crate::model::ActivityModel| -> String {
            x.ast
                .relations
                .iter()
                .map(|r| one_line(run.sources.slice(r.span)))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let (or, nr) = (rel(old_run, o), rel(new_run, a));
        if or != nr {
            c.relations.push(Changed {
                id: id.clone(),
                old: or,
                new: nr,
            });
        }
        let proc_of = |run: &Run, x: &crate::model::ActivityModel| -> String {
            match (x.procedure, &x.ast.procedure) {
                (Some(p), _) => run.model.procedures[p].display_name(),
                (None, Some(r)) => match &r.version {
                    Some(v) => format!("{} v{} (undefined)", r.id.value, v.value),
                    None => format!("{} (undefined)", r.id.value),
                },
                (None, None) => String::new(),
            }
        };
        let (opr, npr) = (proc_of(old_run, o), proc_of(new_run, a));
        if opr != npr {
            c.procedures.push(Changed {
                id: id.clone(),
                old: opr,
                new: npr,
            });
        }
    }
    for o in &old.activities {
        if !new.activity_index.contains_key(&o.ast.id.value) {
            c.removed.push(activity_ref(old, o));
        }
    }
    c
}

/// Declarations matched by name: those whose text differs, in name order.
fn keyed(
    old: impl Iterator<Item = (String, String)>,
    new: impl Iterator<Item = (String, String)>,
) -> Vec<Changed> {
    let old: BTreeMap<String, String> = old.collect();
    let new: BTreeMap<String, String> = new.collect();
    let mut names: std::collections::BTreeSet<&String> = old.keys().collect();
    names.extend(new.keys());
    names
        .into_iter()
        .filter_map(|n| {
            let (o, w) = (old.get(n), new.get(n));
            (o != w).then(|| Changed {
                id: n.clone(),
                old: o.cloned().unwrap_or_default(),
                new: w.cloned().unwrap_or_default(),
            })
        })
        .collect()
}

fn phase_text(plan: &PlanModel, p: &crate::model::PhaseModel) -> String {
    let mut s = p
        .interval
        .map_or("(no interval)".to_string(), |i| i.format(plan.notation));
    if let Some(t) = &p.title {
        s.push_str(&format!(" \"{t}\""));
    }
    s
}

/// A window's occurrences inside the horizon; none when the side lacks the window.
fn occurrences_of(p: &PlanModel, wi: Option<usize>) -> Box<dyn Iterator<Item = Interval> + '_> {
    match wi {
        Some(wi) => Box::new(p.window_in_horizon(wi)),
        None => Box::new(std::iter::empty()),
    }
}

/// Windows whose occurrences differ: the occurrences of both sides inside their horizons,
/// merged in one pass (never materialised).
fn windows(old: &PlanModel, new: &PlanModel) -> Vec<WindowChange> {
    let by_name = |p: &PlanModel| -> BTreeMap<String, usize> {
        p.windows
            .iter()
            .enumerate()
            .map(|(wi, w)| (w.decl.name.value.clone(), wi))
            .collect()
    };
    let (ow, nw) = (by_name(old), by_name(new));
    let mut names: std::collections::BTreeSet<&String> = ow.keys().collect();
    names.extend(nw.keys());
    let mut out = Vec::new();
    for name in names {
        let (o, n) = (ow.get(name).copied(), nw.get(name).copied());
        if let (Some(o), Some(n)) = (o, n) {
            if old.horizon == new.horizon
                && old.windows[o].occurrences == new.windows[n].occurrences
            {
                continue;
            }
        }
        let mut a = occurrences_of(old, o).peekable();
        let mut b = occurrences_of(new, n).peekable();
        let mut change = WindowChange {
            id: name.clone(),
            old_count: o.map_or(0, |wi| old.window_count_in_horizon(wi)),
            new_count: n.map_or(0, |wi| new.window_count_in_horizon(wi)),
            removed: Vec::new(),
            added: Vec::new(),
            removed_count: 0,
            added_count: 0,
            compared_all: true,
        };
        let key = |iv: &Interval| (iv.start, iv.end);
        let mut steps: u64 = 0;
        loop {
            steps += 1;
            if steps > MAX_COMPARED_OCCURRENCES {
                change.compared_all = a.peek().is_none() && b.peek().is_none();
                break;
            }
            let (take_a, take_b) = match (a.peek(), b.peek()) {
                (None, None) => break,
                (Some(x), Some(y)) if key(x) == key(y) => (true, true),
                (Some(x), Some(y)) if key(x) < key(y) => (true, false),
                (Some(_), None) => (true, false),
                _ => (false, true),
            };
            match (take_a, take_b) {
                (true, true) => {
                    a.next();
                    b.next();
                }
                (true, false) => {
                    let x = a.next().expect("peeked");
                    change.removed_count += 1;
                    if change.removed.len() < MAX_LISTED_OCCURRENCES {
                        change.removed.push(x.format(old.notation));
                    }
                }
                _ => {
                    let y = b.next().expect("peeked");
                    change.added_count += 1;
                    if change.added.len() < MAX_LISTED_OCCURRENCES {
                        change.added.push(y.format(new.notation));
                    }
                }
            }
        }
        if change.removed_count == 0
            && change.added_count == 0
            && change.compared_all
            && o.is_some() == n.is_some()
        {
            continue;
        }
        out.push(change);
    }
    out
}

fn activity_ref(plan: &PlanModel, a: &crate::model::ActivityModel) -> ActivityRef {
    ActivityRef {
        id: a.ast.id.value.clone(),
        title: a.ast.title.as_ref().map(|t| t.value.clone()),
        when: a
            .time
            .bounds()
            .map_or("unknown".into(), |iv| iv.format(plan.notation)),
        roles: a.ast.by.iter().map(|r| r.value.clone()).collect(),
    }
}

fn signed(d: Dur) -> String {
    if d.seconds() > 0 {
        format!("+{d}")
    } else {
        d.to_string()
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Violations, waived violations and unknowns of one flight rule in a run.
#[derive(Default)]
struct Verdicts {
    violated: usize,
    waived: usize,
    unknown: usize,
}

impl Verdicts {
    fn text(&self) -> String {
        let mut parts = Vec::new();
        if self.violated > 0 {
            parts.push(format!("violated ({})", self.violated));
        }
        if self.waived > 0 {
            parts.push(format!("waived ({})", self.waived));
        }
        if self.unknown > 0 {
            parts.push(format!("unknown ({})", self.unknown));
        }
        if parts.is_empty() {
            "met".into()
        } else {
            parts.join(", ")
        }
    }
}

fn rule_verdicts(run: &Run) -> BTreeMap<String, Verdicts> {
    let mut m: BTreeMap<String, Verdicts> = BTreeMap::new();
    for d in &run.diagnostics {
        // An F002 names every rule that could not judge its activity.
        for rule in d.flight_rules() {
            let v = m.entry(rule.to_string()).or_default();
            match d.code {
                Code::FlightRuleViolated => v.violated += 1,
                Code::WaivedViolation => v.waived += 1,
                Code::FlightRuleUnknown => v.unknown += 1,
                _ => {}
            }
        }
    }
    m.retain(|_, v| v.violated + v.waived + v.unknown > 0);
    m
}

fn summary(d: &PlanDiff) -> String {
    use crate::output::plural;
    let sum = |f: fn(&PlanChanges) -> usize| d.plans.iter().map(f).sum::<usize>();
    let mut parts = Vec::new();
    let mut push = |n: usize, what: String| {
        if n > 0 {
            parts.push(what);
        }
    };
    let n = sum(|p| p.added.len());
    push(
        n,
        format!(
            "{n} {} added",
            if n == 1 { "activity" } else { "activities" }
        ),
    );
    let n = sum(|p| p.removed.len());
    push(n, format!("{n} removed"));
    let n = sum(|p| p.moved.len());
    push(n, format!("{n} moved"));
    let n = sum(|p| p.reassigned.len());
    push(n, format!("{n} re-assigned"));
    let n = sum(|p| p.relations.len());
    push(n, plural(n, "relation change"));
    let n = sum(|p| p.procedures.len());
    push(n, plural(n, "procedure change"));
    let n = sum(|p| p.windows.len());
    push(
        n,
        format!("{n} {} changed", if n == 1 { "window" } else { "windows" }),
    );
    let n = sum(|p| p.phases.len() + p.resources.len() + p.roles.len());
    push(n, plural(n, "declaration change"));
    let n = sum(|p| p.waivers.len());
    push(n, plural(n, "waiver change"));
    let n = d.flight_rules.len();
    push(n, plural(n, "flight-rule verdict change"));
    push(
        d.plans_added.len(),
        plural(d.plans_added.len(), "plan added"),
    );
    push(
        d.plans_removed.len(),
        plural(d.plans_removed.len(), "plan removed"),
    );
    let issues: Vec<String> = d
        .plans
        .iter()
        .filter(|p| p.old_issue != p.new_issue)
        .map(|p| {
            format!(
                "{} issue {} → {}",
                p.id,
                p.old_issue.as_deref().unwrap_or("?"),
                p.new_issue.as_deref().unwrap_or("?")
            )
        })
        .collect();
    let mut s = if issues.is_empty() {
        String::new()
    } else {
        format!("{}: ", issues.join(", "))
    };
    if parts.is_empty() {
        s.push_str("no change to activities or flight-rule verdicts");
    } else {
        s.push_str(&parts.join(", "));
    }
    if d.old_verdict != d.new_verdict {
        s.push_str(&format!("; verdict {} → {}", d.old_verdict, d.new_verdict));
    } else {
        s.push_str(&format!("; verdict {}", d.new_verdict));
    }
    s
}
