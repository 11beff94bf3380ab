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
use crate::time::Dur;
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

/// A window whose occurrences changed: those only in the old issue, those only in the new.
#[derive(Debug, Clone, Serialize)]
pub struct WindowChange {
    pub id: String,
    pub old_count: usize,
    pub new_count: usize,
    pub removed: Vec<String>,
    pub added: Vec<String>,
}

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

/// Windows whose occurrences differ: the sorted occurrence lists of both sides are
/// merged in one pass.
fn windows(old: &PlanModel, new: &PlanModel) -> Vec<WindowChange> {
    let by_name = |p: &PlanModel| -> BTreeMap<String, Vec<crate::time::Interval>> {
        p.windows
            .iter()
            .map(|w| (w.decl.name.value.clone(), w.intervals.clone()))
            .collect()
    };
    let (ow, nw) = (by_name(old), by_name(new));
    let mut names: std::collections::BTreeSet<&String> = ow.keys().collect();
    names.extend(nw.keys());
    let empty = Vec::new();
    let mut out = Vec::new();
    for name in names {
        let (o, n) = (
            ow.get(name).unwrap_or(&empty),
            nw.get(name).unwrap_or(&empty),
        );
        if o == n && ow.contains_key(name) == nw.contains_key(name) {
            continue;
        }
        let (mut i, mut j) = (0, 0);
        let (mut removed, mut added) = (Vec::new(), Vec::new());
        let key = |iv: &crate::time::Interval| (iv.start, iv.end);
        while i < o.len() || j < n.len() {
            match (o.get(i), n.get(j)) {
                (Some(a), Some(b)) if key(a) == key(b) => {
                    i += 1;
                    j += 1;
                }
                (Some(a), Some(b)) if key(a) < key(b) => {
                    removed.push(a.format(old.notation));
                    i += 1;
                }
                (Some(a), None) => {
                    removed.push(a.format(old.notation));
                    i += 1;
                }
                (_, Some(b)) => {
                    added.push(b.format(new.notation));
                    j += 1;
                }
                (None, None) => break,
            }
        }
        out.push(WindowChange {
            id: name.clone(),
            old_count: o.len(),
            new_count: n.len(),
            removed,
            added,
        });
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
