//! The Operations Manager's shift sheet (`opsplan agenda --at TIME`): for a shift of a
//! checked plan, per role, what is running at the start of the shift and what comes next
//! during it, with the procedure to use, its contingency, the windows the activity needs
//! and whether they are open over it; then the windows open during the shift and the
//! activities whose time is unknown. docs/agenda.md describes the sheet.
//!
//! Pure: a [`Run`] and a [`Request`] in, an [`Agenda`] (a serialisable view, every time
//! already printed in the plan's notation) out. The activities with a known time are sorted
//! once by start; the running ones are found by walking back from the shift's start while
//! a running maximum of ends says one may still be running, the next ones by binary search
//! of the shift; windows by binary search of their sorted occurrences. Roles are attached
//! only to the activities of the shift, so the cost is O(n log n) for the sort plus the
//! size of the sheet, whatever the number of roles.
//!
//! Intervals are half-open `[start, end)`: an activity runs at T when start ≤ T < end (one
//! that ends exactly at T is over; one that starts exactly at T is running, its whole
//! duration left); it comes next when T < start < T + hours.

mod people;

pub use people::{DutyView, Gap, Holder, PositionView, StaffingView, Turn};

use super::Run;
use crate::diag::{did_you_mean, Severity};
use crate::model::{ActIdx, Model, PlanModel, ProcIdx, TimeState, Unknown};
use crate::syntax::ast::{FailAction, NeedsMode};
use crate::time::{Dur, Interval, Time};
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

/// The longest shift a sheet covers (31 days), in hours.
pub const MAX_HOURS: u32 = 744;
/// At most this many activities are listed under "not scheduled"; the rest are counted.
pub const MAX_NOT_SCHEDULED: usize = 100;
/// At most this many openings of one window are listed; the rest are counted.
pub const MAX_OPENINGS: usize = 50;
/// Nested groups (`roles CREW in ISS`) are followed up to this depth (cycles stop too).
const MAX_GROUP_DEPTH: usize = 16;

/// The time notations `--at` accepts, for messages.
pub const TIME_FORMS: &str =
    "GMT day of year `2014/275 12:00[:ss]` or ISO 8601 UTC `2014-10-02T12:00[:ss][Z]`";

/// Parses a time given on the command line in either notation of the plan language
/// (`2014/275 12:00`, `2014-10-02T12:00Z`), with the parsers of [`crate::time`].
pub fn parse_time(text: &str) -> Result<Time, String> {
    let t = text.trim();
    let parsed = if t.contains('/') {
        Time::parse_doy(t)
    } else if t.contains(['T', 't']) && t.contains('-') {
        Time::parse_iso(t)
    } else {
        return Err(format!("`{text}` is not a time: give {TIME_FORMS}"));
    };
    parsed.map_err(|e| match e.fix() {
        Some(fix) => format!("`{text}` is not a valid time: {e}; give `{fix}`"),
        None => format!("`{text}` is not a valid time: {e}; give {TIME_FORMS}"),
    })
}

/// What sheet to make.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The start of the shift.
    pub at: Time,
    /// Its length in hours (1 to [`MAX_HOURS`]).
    pub hours: u32,
    /// Only these roles (declared roles of the plan); empty: every role.
    pub roles: &'a [String],
    /// Only this plan; `None`: see [`agenda`].
    pub plan: Option<&'a str>,
}

/// Why no sheet could be made (exit 2: a usage error).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgendaError {
    #[error("the inputs hold no plan")]
    NoPlan,
    #[error("--hours {0}: a shift lasts 1 to {MAX_HOURS} hours")]
    Hours(u32),
    #[error("the shift would end after 9999-12-31")]
    OutOfRange,
    #[error("no plan `{name}`{}; the inputs hold: {known}", hint(.suggestion))]
    UnknownPlan {
        name: String,
        /// The names "did you mean" offers, quoted: "`A` or `B`".
        suggestion: Option<String>,
        known: String,
    },
    #[error("no role `{name}` in {plan}{}; its roles are: {known}", hint(.suggestion))]
    UnknownRole {
        name: String,
        plan: String,
        suggestion: Option<String>,
        known: String,
    },
}

/// " (did you mean `A` or `B`?)" from the names suggested, or nothing.
fn hint(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|s| format!(" (did you mean {s}?)"))
        .unwrap_or_default()
}

/// One sheet per plan chosen.
#[derive(Debug, Clone, Serialize)]
pub struct Agenda {
    pub sheets: Vec<Sheet>,
}

/// The shift sheet of one plan.
#[derive(Debug, Clone, Serialize)]
pub struct Sheet {
    pub plan: String,
    pub title: Option<String>,
    pub mission: Option<String>,
    pub issue: Option<String>,
    /// The plan's file, as given.
    pub file: String,
    /// The project file that judged the inputs (`null`: none).
    pub project_file: super::Project,
    /// The check of the inputs: `pass`, `pass with waivers`, `fail`.
    pub verdict: &'static str,
    pub errors: usize,
    pub warnings: usize,
    /// Set when the check fails: the sheet comes from a plan with errors.
    pub warning: Option<String>,
    /// The shift: start, end (exclusive) and length.
    pub at: String,
    pub until: String,
    pub hours: u32,
    pub horizon: Option<String>,
    /// Set when the shift is not wholly inside the horizon (or there is none).
    pub horizon_note: Option<String>,
    /// `--role` given: only those roles are shown.
    pub filtered: bool,
    pub roles: Vec<RoleSheet>,
    pub windows: Vec<WindowView>,
    pub not_scheduled: Vec<Unscheduled>,
    /// Not-scheduled activities beyond [`MAX_NOT_SCHEDULED`].
    pub not_scheduled_more: usize,
    /// The plan's rosters (`use roster`): who holds each position and who is on call;
    /// absent when the plan has none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub staffing: Vec<StaffingView>,
}

/// One role's part of the sheet.
#[derive(Debug, Clone, Serialize)]
pub struct RoleSheet {
    pub role: String,
    /// The group it belongs to (`FE-5` → `CREW`).
    pub group: Option<String>,
    /// Its members when it is a group, nested groups followed.
    pub members: Vec<String>,
    /// False for a role named by an activity's `by` that the plan does not declare.
    pub declared: bool,
    pub running: Vec<Entry>,
    pub next: Vec<Entry>,
}

/// One activity as a role sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: String,
    pub title: Option<String>,
    pub start: String,
    pub end: String,
    pub duration: String,
    /// Running: the time left at the start of the shift (`1h20m`).
    pub left: Option<String>,
    /// Next: how long after the start of the shift it starts.
    pub starts_in: Option<String>,
    pub critical: bool,
    /// How the role takes part: `owner` (first of `by`), `with` (another of `by`),
    /// `as GROUP` (its group is in `by`), `by MEMBER` (a member of the group is in `by`),
    /// `supports` (named by the procedure's `roles` only).
    pub part: String,
    pub by: Vec<String>,
    pub kind: Option<String>,
    pub procedure: Option<ProcedureView>,
    pub needs: Option<NeedsView>,
    /// When the plan has a roster: the people on shift, at the sheet's start for a
    /// running activity or at its start for a next one, in a position filling the
    /// section's role ("ADUBOIS (Anne Dubois) on OM-DESK"); absent when no roster
    /// position fills the role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_shift: Option<Vec<String>>,
}

/// The procedure an activity runs.
#[derive(Debug, Clone, Serialize)]
pub struct ProcedureView {
    /// `ATV-FCP-RBT-020 v2.4`: the version resolved, or as written when it did not resolve.
    pub name: String,
    pub title: Option<String>,
    pub resolved: bool,
    /// Its failure steps, `7 "Burn failure"`: where its own `on fail goto`s lead.
    pub failure_steps: Vec<String>,
    pub contingencies: Vec<ContingencyView>,
}

/// A procedure to turn to when the nominal one fails.
#[derive(Debug, Clone, Serialize)]
pub struct ContingencyView {
    pub name: String,
    pub title: Option<String>,
    pub resolved: bool,
    /// `declared contingency`, `on fail in step 5`, joined with `; `.
    pub how: String,
}

/// An activity's `needs` and whether the windows are open over it.
#[derive(Debug, Clone, Serialize)]
pub struct NeedsView {
    /// As written: `ART & TDRS`.
    pub text: String,
    pub met: bool,
    pub windows: Vec<NeedWindow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NeedWindow {
    pub name: String,
    pub open: bool,
    /// `open throughout`, `closed 2014/275 14:10 .. 2014/275 14:25` (the first gap), or
    /// `not declared`.
    pub status: String,
}

/// A window of the plan during the shift.
#[derive(Debug, Clone, Serialize)]
pub struct WindowView {
    pub name: String,
    pub title: Option<String>,
    /// Open at the start of the shift: until when.
    pub open_until: Option<String>,
    /// The openings starting during the shift.
    pub openings: Vec<Opening>,
    pub openings_more: usize,
    /// When nothing opens during the shift: the next opening after it.
    pub next_after: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Opening {
    pub start: String,
    pub end: String,
}

/// An activity whose time is unknown.
#[derive(Debug, Clone, Serialize)]
pub struct Unscheduled {
    pub id: String,
    pub title: Option<String>,
    pub by: Vec<String>,
    pub critical: bool,
    pub reason: String,
}

/// The sheets for a request. Plans: the one `--plan` names; otherwise every plan whose
/// horizon overlaps the shift (or that has none), in input order, or every plan when none
/// does (each sheet then says the shift is outside its horizon).
pub fn agenda(run: &Run, req: &Request) -> Result<Agenda, AgendaError> {
    let model = &run.model;
    if model.plans.is_empty() {
        return Err(AgendaError::NoPlan);
    }
    if req.hours == 0 || req.hours > MAX_HOURS {
        return Err(AgendaError::Hours(req.hours));
    }
    let end = req
        .at
        .checked_add(Dur(i64::from(req.hours) * 3600))
        .map_err(|_| AgendaError::OutOfRange)?;
    let shift = Interval::new(req.at, end);
    let plans: Vec<&PlanModel> = match req.plan {
        Some(name) => match model.plans.iter().find(|p| p.id.value == name) {
            Some(p) => vec![p],
            None => {
                let ids: Vec<&str> = model.plans.iter().map(|p| p.id.value.as_str()).collect();
                return Err(AgendaError::UnknownPlan {
                    name: name.to_string(),
                    suggestion: did_you_mean(name, ids.iter().copied()).map(|s| s.alternatives()),
                    known: ids.join(", "),
                });
            }
        },
        None => {
            let overlapping: Vec<&PlanModel> = model
                .plans
                .iter()
                .filter(|p| p.horizon.is_none_or(|h| h.overlaps(&shift)))
                .collect();
            if overlapping.is_empty() {
                model.plans.iter().collect()
            } else {
                overlapping
            }
        }
    };
    // Every role asked for must be a role of a chosen plan.
    for name in req.roles {
        if !plans.iter().any(|p| p.role_index.contains_key(name)) {
            let p = plans[0];
            let names: Vec<&str> = p.roles.iter().map(|r| r.name.value.as_str()).collect();
            return Err(AgendaError::UnknownRole {
                name: name.clone(),
                plan: p.id.value.clone(),
                suggestion: did_you_mean(name, names.iter().copied()).map(|s| s.alternatives()),
                known: names.join(", "),
            });
        }
    }
    let errors = run.count(Severity::Error);
    let check = Check {
        verdict: run.verdict().as_str(),
        errors,
        warnings: run.count(Severity::Warning),
    };
    let sheets = plans
        .into_iter()
        .map(|plan| sheet(run, plan, shift, req, &check))
        .collect();
    Ok(Agenda { sheets })
}

struct Check {
    verdict: &'static str,
    errors: usize,
    warnings: usize,
}

/// The activities of a plan with a known time, sorted by (start, end, index), and the
/// running maximum of their ends.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    by_start: Vec<(Interval, ActIdx)>,
    max_end: Vec<Time>,
}

impl Timeline {
    pub fn new(intervals: impl IntoIterator<Item = (Interval, ActIdx)>) -> Timeline {
        let mut by_start: Vec<(Interval, ActIdx)> = intervals.into_iter().collect();
        by_start.sort_unstable();
        let mut max_end = Vec::with_capacity(by_start.len());
        let mut m = Time(i64::MIN);
        for (iv, _) in &by_start {
            m = m.max(iv.end);
            max_end.push(m);
        }
        Timeline { by_start, max_end }
    }

    fn of_plan(plan: &PlanModel) -> Timeline {
        Timeline::new(
            plan.activities
                .iter()
                .enumerate()
                .filter_map(|(ai, a)| Some((a.time.interval()?, ai))),
        )
    }

    /// The activities running at `t` (start ≤ t < end), by start.
    pub fn running(&self, t: Time) -> Vec<(Interval, ActIdx)> {
        let k = self.by_start.partition_point(|(iv, _)| iv.start <= t);
        let mut out = Vec::new();
        // Walk back while an earlier activity may still be running at `t`.
        for i in (0..k).rev() {
            if self.max_end[i] <= t {
                break;
            }
            if self.by_start[i].0.end > t {
                out.push(self.by_start[i]);
            }
        }
        out.reverse();
        out
    }

    /// The activities starting after `shift.start` and before `shift.end`, by start.
    pub fn next(&self, shift: Interval) -> &[(Interval, ActIdx)] {
        let lo = self
            .by_start
            .partition_point(|(iv, _)| iv.start <= shift.start);
        let hi = self
            .by_start
            .partition_point(|(iv, _)| iv.start < shift.end);
        &self.by_start[lo..hi.max(lo)]
    }
}

/// How a role takes part in an activity, strongest first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    Owner,
    With,
    /// A group the role belongs to is in `by`.
    AsGroup(String),
    /// A member of the group is in `by`.
    ByMember(String),
    Supports,
}

impl Part {
    fn label(&self) -> String {
        match self {
            Part::Owner => "owner".into(),
            Part::With => "with".into(),
            Part::AsGroup(g) => format!("as {g}"),
            Part::ByMember(m) => format!("by {m}"),
            Part::Supports => "supports".into(),
        }
    }
}

/// The plan's role groups, both ways.
struct Roles<'a> {
    plan: &'a PlanModel,
    members_of: HashMap<&'a str, Vec<&'a str>>,
}

impl<'a> Roles<'a> {
    fn new(plan: &'a PlanModel) -> Roles<'a> {
        Roles {
            plan,
            members_of: plan.members_of(),
        }
    }

    fn group_of(&self, role: &str) -> Option<&'a str> {
        let ri = *self.plan.role_index.get(role)?;
        self.plan.roles[ri].group.as_ref().map(|g| g.value.as_str())
    }

    /// The groups `role` belongs to, nearest first.
    fn ancestors(&self, role: &str) -> Vec<&'a str> {
        let mut out: Vec<&str> = Vec::new();
        let mut current = self.group_of(role);
        while let Some(g) = current {
            if g == role || out.contains(&g) || out.len() >= MAX_GROUP_DEPTH {
                break;
            }
            out.push(g);
            current = self.group_of(g);
        }
        out
    }

    /// The members of `role` when it is a group, nested groups followed, in declaration
    /// order level by level.
    fn descendants(&self, role: &str) -> Vec<&'a str> {
        let mut out: Vec<&str> = Vec::new();
        let mut level: Vec<&str> = vec![role];
        for _ in 0..MAX_GROUP_DEPTH {
            let mut below = Vec::new();
            for g in level {
                for &m in self.members_of.get(g).map(Vec::as_slice).unwrap_or(&[]) {
                    if m != role && !out.contains(&m) {
                        out.push(m);
                        below.push(m);
                    }
                }
            }
            if below.is_empty() {
                break;
            }
            level = below;
        }
        out
    }

    /// Every role concerned by an activity and how, strongest part per role, sorted by
    /// role name. Roles named by the procedure count only when the plan declares them.
    fn parts(&self, model: &Model, ai: ActIdx) -> Vec<(&'a str, Part)> {
        let a = &self.plan.activities[ai];
        let mut parts: Vec<(&str, Part)> = Vec::new();
        for (i, r) in a.ast.by.iter().enumerate() {
            let name: &str = r.value.as_str();
            parts.push((name, if i == 0 { Part::Owner } else { Part::With }));
            for g in self.ancestors(name) {
                parts.push((g, Part::ByMember(name.to_string())));
            }
            for m in self.descendants(name) {
                parts.push((m, Part::AsGroup(name.to_string())));
            }
        }
        if let Some(pi) = a.procedure {
            for r in &model.procedures[pi].ast.roles {
                let Some(&ri) = self.plan.role_index.get(&r.value) else {
                    continue;
                };
                let name = self.plan.roles[ri].name.value.as_str();
                parts.push((name, Part::Supports));
                for g in self.ancestors(name) {
                    parts.push((g, Part::Supports));
                }
                for m in self.descendants(name) {
                    parts.push((m, Part::Supports));
                }
            }
        }
        parts.sort();
        parts.dedup_by(|later, first| later.0 == first.0);
        parts
    }
}

fn sheet(run: &Run, plan: &PlanModel, shift: Interval, req: &Request, check: &Check) -> Sheet {
    let model = &run.model;
    let fmt = |t: Time| plan.format_time(t);
    let roles = Roles::new(plan);
    let timeline = Timeline::of_plan(plan);
    let wanted = |name: &str| req.roles.is_empty() || req.roles.iter().any(|r| r == name);
    let plan_idx = model.plans.iter().position(|p| std::ptr::eq(p, plan));
    let rosters = plan_idx
        .map(|i| people::rosters_of(&model.staffing, i))
        .unwrap_or_default();
    let mut on_shift = people::OnShift::new(rosters.clone());

    // The sections: the roles asked for in the order given, or every declared role in
    // declaration order (undeclared ones used in the shift are added, by name).
    let mut sections: Vec<RoleSheet> = Vec::new();
    let mut position: HashMap<&str, usize> = HashMap::default();
    let new_section = |name: &str, declared: bool| RoleSheet {
        role: name.to_string(),
        group: roles.group_of(name).map(str::to_string),
        members: roles
            .descendants(name)
            .iter()
            .map(|s| s.to_string())
            .collect(),
        declared,
        running: Vec::new(),
        next: Vec::new(),
    };
    let chosen: Vec<&str> = if req.roles.is_empty() {
        plan.roles.iter().map(|r| r.name.value.as_str()).collect()
    } else {
        let mut v: Vec<&str> = Vec::new();
        for r in req.roles {
            if let Some(&ri) = plan.role_index.get(r) {
                let name = plan.roles[ri].name.value.as_str();
                if !v.contains(&name) {
                    v.push(name);
                }
            }
        }
        v
    };
    for name in chosen {
        if !position.contains_key(name) {
            position.insert(name, sections.len());
            sections.push(new_section(name, true));
        }
    }
    let mut extra: std::collections::BTreeMap<&str, RoleSheet> = Default::default();

    let mut procedures: HashMap<ProcIdx, Vec<ContingencyView>> = HashMap::default();
    let running = timeline.running(shift.start);
    let next = timeline.next(shift);
    for (is_running, &(iv, ai)) in running
        .iter()
        .map(|x| (true, x))
        .chain(next.iter().map(|x| (false, x)))
    {
        let parts = roles.parts(model, ai);
        if !parts.iter().any(|(r, _)| wanted(r)) {
            continue;
        }
        let a = &plan.activities[ai];
        let base = Entry {
            id: a.ast.id.value.clone(),
            title: a.ast.title.as_ref().map(|t| t.value.clone()),
            start: fmt(iv.start),
            end: fmt(iv.end),
            duration: iv.duration().to_string(),
            left: is_running.then(|| iv.end.since(shift.start).to_string()),
            starts_in: (!is_running).then(|| iv.start.since(shift.start).to_string()),
            critical: a.ast.critical.is_some(),
            part: String::new(),
            by: a.ast.by.iter().map(|r| r.value.clone()).collect(),
            kind: a.ast.kind.as_ref().map(|k| k.value.clone()),
            procedure: procedure_view(model, plan, ai, &mut procedures),
            needs: needs_view(plan, ai, iv),
            on_shift: None,
        };
        for (role, part) in parts {
            if !wanted(role) {
                continue;
            }
            let section = match position.get(role) {
                Some(&i) => &mut sections[i],
                None => extra
                    .entry(role)
                    .or_insert_with(|| new_section(role, plan.role_index.contains_key(role))),
            };
            let entry = Entry {
                part: part.label(),
                on_shift: on_shift.people(role, iv.start.max(shift.start)),
                ..base.clone()
            };
            if is_running {
                section.running.push(entry);
            } else {
                section.next.push(entry);
            }
        }
    }
    sections.extend(extra.into_values());

    let (not_scheduled, not_scheduled_more) =
        not_scheduled(model, plan, &roles, !req.roles.is_empty(), &wanted);
    let horizon_note = match plan.horizon {
        None => Some("the plan declares no horizon".to_string()),
        Some(h) if !h.overlaps(&shift) => Some(format!(
            "the shift is outside the plan's horizon ({}): the plan says nothing about it",
            h.format(plan.notation)
        )),
        Some(h) if !h.contains(&shift) => Some(format!(
            "the shift is partly outside the plan's horizon ({}): the plan says nothing \
             about the time outside it",
            h.format(plan.notation)
        )),
        Some(_) => None,
    };
    Sheet {
        plan: plan.id.value.clone(),
        title: plan.title.clone(),
        mission: plan.mission.clone(),
        issue: plan.issue.clone(),
        file: run
            .sources
            .path(plan.file)
            .to_string_lossy()
            .replace('\\', "/"),
        project_file: run.project.clone(),
        verdict: check.verdict,
        errors: check.errors,
        warnings: check.warnings,
        warning: (check.verdict == "fail").then(|| {
            format!(
                "this sheet comes from a plan that fails its check ({} error{}): times, roles \
                 and procedures may be wrong; run `opsplan check` on the same inputs",
                check.errors,
                if check.errors == 1 { "" } else { "s" }
            )
        }),
        at: fmt(shift.start),
        until: fmt(shift.end),
        hours: req.hours,
        horizon: plan.horizon.map(|h| h.format(plan.notation)),
        horizon_note,
        filtered: !req.roles.is_empty(),
        roles: sections,
        windows: windows(plan, shift),
        not_scheduled,
        not_scheduled_more,
        staffing: rosters
            .iter()
            .map(|st| {
                let file = run
                    .sources
                    .path(st.file)
                    .to_string_lossy()
                    .replace('\\', "/");
                people::view(st, plan, file, shift, !req.roles.is_empty(), &wanted)
            })
            .collect(),
    }
}

/// The procedure an activity runs, with its contingencies (computed once per procedure).
fn procedure_view(
    model: &Model,
    plan: &PlanModel,
    ai: ActIdx,
    cache: &mut HashMap<ProcIdx, Vec<ContingencyView>>,
) -> Option<ProcedureView> {
    let a = &plan.activities[ai];
    let written = a.ast.procedure.as_ref()?;
    let Some(pi) = a.procedure else {
        let name = match &written.version {
            Some(v) => format!("{} v{}", written.id.value, v.value),
            None => written.id.value.clone(),
        };
        return Some(ProcedureView {
            name,
            title: None,
            resolved: false,
            failure_steps: Vec::new(),
            contingencies: Vec::new(),
        });
    };
    let p = &model.procedures[pi];
    let contingencies = cache
        .entry(pi)
        .or_insert_with(|| contingencies(model, pi))
        .clone();
    let failure_steps = p
        .failure_steps
        .iter()
        .map(|&si| {
            let step = &p.ast.steps[si];
            match &step.title {
                Some(t) => format!("{} \"{}\"", step.label.value, t.value),
                None => step.label.value.clone(),
            }
        })
        .collect();
    Some(ProcedureView {
        name: p.display_name(),
        title: p.ast.title.as_ref().map(|t| t.value.clone()),
        resolved: true,
        failure_steps,
        contingencies,
    })
}

/// The procedure's `contingency`, then the procedures its steps `on fail call`, each
/// once, in that order; then the rest of its contingency path (the calls of its failure
/// steps, and what the contingencies themselves lead to: `Model::contingency_path`, the
/// path training scenarios follow).
fn contingencies(model: &Model, pi: ProcIdx) -> Vec<ContingencyView> {
    let p = &model.procedures[pi].ast;
    let mut refs: Vec<(&crate::syntax::ast::ProcRef, String)> = Vec::new();
    if let Some(c) = &p.contingency {
        refs.push((c, "declared contingency".to_string()));
    }
    for step in &p.steps {
        for st in &step.statements {
            if let Some(FailAction::Call(r)) = &st.on_fail {
                refs.push((r, format!("on fail in step {}", step.label.value)));
            }
        }
    }
    let mut out: Vec<ContingencyView> = Vec::new();
    for (r, how) in refs {
        let version = r.version.as_ref().map(|v| v.value.as_str());
        let resolved = model.resolve_procedure(&r.id.value, version);
        let (name, title) = match resolved {
            Some(t) => (
                model.procedures[t].display_name(),
                model.procedures[t]
                    .ast
                    .title
                    .as_ref()
                    .map(|t| t.value.clone()),
            ),
            None => (
                match version {
                    Some(v) => format!("{} v{v}", r.id.value),
                    None => r.id.value.clone(),
                },
                None,
            ),
        };
        match out.iter_mut().find(|c| c.name == name) {
            Some(c) => {
                if !c.how.split("; ").any(|h| h == how) {
                    c.how.push_str("; ");
                    c.how.push_str(&how);
                }
            }
            None => out.push(ContingencyView {
                name,
                title,
                resolved: resolved.is_some(),
                how,
            }),
        }
    }
    let path = model.contingency_path(pi);
    for step in path.iter().skip(1) {
        let target = &model.procedures[step.procedure];
        let name = target.display_name();
        if out.iter().any(|c| c.name == name) {
            continue;
        }
        let how = match step.from {
            Some(0) | None => "called in a failure step".to_string(),
            Some(i) => format!("via {}", model.procedures[path[i].procedure].display_name()),
        };
        out.push(ContingencyView {
            name,
            title: target.ast.title.as_ref().map(|t| t.value.clone()),
            resolved: true,
            how,
        });
    }
    out
}

/// The activity's `needs`, each window checked over the whole activity.
fn needs_view(plan: &PlanModel, ai: ActIdx, iv: Interval) -> Option<NeedsView> {
    let needs = plan.activities[ai].ast.needs.as_ref()?;
    let sep = match needs.mode {
        NeedsMode::All => " & ",
        NeedsMode::Any => " | ",
    };
    let names: Vec<&str> = needs.windows.iter().map(|w| w.value.as_str()).collect();
    let windows: Vec<NeedWindow> = names
        .iter()
        .map(|&name| match plan.window_index.get(name) {
            None => NeedWindow {
                name: name.to_string(),
                open: false,
                status: "not declared".to_string(),
            },
            Some(&wi) => match plan.windows[wi].occurrences.first_gap(iv) {
                None => NeedWindow {
                    name: name.to_string(),
                    open: true,
                    status: "open throughout".to_string(),
                },
                Some(gap) => NeedWindow {
                    name: name.to_string(),
                    open: false,
                    status: format!("closed {}", gap.format(plan.notation)),
                },
            },
        })
        .collect();
    let met = match needs.mode {
        NeedsMode::All => windows.iter().all(|w| w.open),
        NeedsMode::Any => windows.iter().any(|w| w.open),
    };
    Some(NeedsView {
        text: names.join(sep),
        met,
        windows,
    })
}

/// Every window of the plan during the shift, in declaration order.
fn windows(plan: &PlanModel, shift: Interval) -> Vec<WindowView> {
    let fmt = |t: Time| plan.format_time(t);
    plan.windows
        .iter()
        .map(|w| {
            let occ = &w.occurrences;
            // The occurrence holding the start of the shift, if any.
            let open_until = occ.containing(shift.start).map(|o| fmt(o.end));
            // The openings during the shift: the occurrences starting after its start
            // and before its end (counted, and listed up to MAX_OPENINGS).
            let openings_range = occ
                .first_starting_from_time(Time(shift.start.0 + 1))
                .filter(|o| o.start < shift.end)
                .map(|o| Interval::new(o.start, shift.end));
            let during = openings_range.map_or(0, |r| occ.count_overlapping(r));
            let openings: Vec<Opening> = openings_range
                .map(|r| {
                    occ.overlapping(r)
                        .take(MAX_OPENINGS)
                        .map(|o| Opening {
                            start: fmt(o.start),
                            end: fmt(o.end),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let next_after = (during == 0)
                .then(|| {
                    occ.first_starting_from_time(shift.end)
                        .map(|o| o.format(plan.notation))
                })
                .flatten();
            WindowView {
                name: w.decl.name.value.clone(),
                title: w.decl.title.as_ref().map(|t| t.value.clone()),
                open_until,
                openings,
                openings_more: usize::try_from(during.saturating_sub(MAX_OPENINGS as u64))
                    .unwrap_or(usize::MAX),
                next_after,
            }
        })
        .collect()
}

/// The activities whose time is unknown (or impossible) that concern the roles shown, in
/// source order.
fn not_scheduled(
    model: &Model,
    plan: &PlanModel,
    roles: &Roles,
    filtered: bool,
    wanted: &dyn Fn(&str) -> bool,
) -> (Vec<Unscheduled>, usize) {
    let mut out = Vec::new();
    let mut more = 0;
    for (ai, a) in plan.activities.iter().enumerate() {
        let reason = match a.time {
            TimeState::Known(_) => continue,
            TimeState::Inverted(iv) => {
                format!("ends before it starts ({})", iv.format(plan.notation))
            }
            TimeState::Unknown(u) => unknown_reason(plan, u),
        };
        if filtered && !roles.parts(model, ai).iter().any(|(r, _)| wanted(r)) {
            continue;
        }
        if out.len() == MAX_NOT_SCHEDULED {
            more += 1;
            continue;
        }
        out.push(Unscheduled {
            id: a.ast.id.value.clone(),
            title: a.ast.title.as_ref().map(|t| t.value.clone()),
            by: a.ast.by.iter().map(|r| r.value.clone()).collect(),
            critical: a.ast.critical.is_some(),
            reason,
        });
    }
    (out, more)
}

fn unknown_reason(plan: &PlanModel, u: Unknown) -> String {
    match u {
        Unknown::NoStart => "no start: no `at` and no relation places it".into(),
        Unknown::NoDuration => "no duration: no `lasts`/`until`, no procedure duration".into(),
        Unknown::DependsOn(d) => format!(
            "depends on {}, whose time is unknown",
            plan.activities
                .get(d)
                .map_or("?", |a| a.ast.id.value.as_str())
        ),
        Unknown::InCycle => "in a dependency cycle".into(),
        Unknown::InvalidInput => "an invalid or undefined time".into(),
        Unknown::OutOfRange => "its time leaves the supported calendar".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(a: i64, b: i64) -> Interval {
        Interval::new(Time(a), Time(b))
    }

    fn ids(v: &[(Interval, ActIdx)]) -> Vec<ActIdx> {
        v.iter().map(|&(_, a)| a).collect()
    }

    #[test]
    fn running_is_half_open() {
        // 0: ends exactly at 100 (over); 1: contains 100; 2: starts exactly at 100
        // (running, whole duration left); 3: starts after.
        let t = Timeline::new([
            (iv(50, 100), 0),
            (iv(90, 110), 1),
            (iv(100, 130), 2),
            (iv(101, 120), 3),
        ]);
        assert_eq!(ids(&t.running(Time(100))), vec![1, 2]);
        assert_eq!(ids(t.next(iv(100, 200))), vec![3]);
        assert_eq!(ids(&t.running(Time(99))), vec![0, 1]);
    }

    #[test]
    fn next_stops_before_the_end_of_the_shift() {
        let t = Timeline::new([(iv(10, 20), 0), (iv(30, 40), 1), (iv(40, 50), 2)]);
        // Starting exactly at the end of the shift is not in it.
        assert_eq!(ids(t.next(iv(0, 40))), vec![0, 1]);
        assert_eq!(ids(t.next(iv(0, 41))), vec![0, 1, 2]);
        assert!(t.next(iv(50, 60)).is_empty());
        assert!(t.running(Time(50)).is_empty());
    }

    #[test]
    fn a_long_activity_far_back_is_still_running() {
        // A monitoring activity from the start of the plan holds the running maximum up.
        let mut v = vec![(iv(0, 1_000), 0)];
        v.extend((1..50).map(|i| (iv(i * 10, i * 10 + 5), i as usize)));
        let t = Timeline::new(v);
        assert_eq!(ids(&t.running(Time(497))), vec![0]);
        assert_eq!(ids(&t.running(Time(492))), vec![0, 49]);
        assert!(t.running(Time(1_000)).is_empty());
    }

    #[test]
    fn running_agrees_with_brute_force() {
        let mut v = Vec::new();
        let mut x: i64 = 7;
        for i in 0..300 {
            x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
            let start = x % 1_000;
            let len = 1 + (x / 1_000) % 200;
            v.push((iv(start, start + len), i));
        }
        let t = Timeline::new(v.clone());
        for at in (0..1_300).step_by(7) {
            let mut want: Vec<(Interval, ActIdx)> = v
                .iter()
                .copied()
                .filter(|(i, _)| i.start <= Time(at) && Time(at) < i.end)
                .collect();
            want.sort_unstable();
            assert_eq!(t.running(Time(at)), want, "at {at}");
            let mut next: Vec<(Interval, ActIdx)> = v
                .iter()
                .copied()
                .filter(|(i, _)| Time(at) < i.start && i.start < Time(at + 100))
                .collect();
            next.sort_unstable();
            assert_eq!(t.next(iv(at, at + 100)), &next[..], "at {at}");
        }
    }

    #[test]
    fn both_notations_parse_and_agree() {
        let a = parse_time("2014/275 12:00").unwrap();
        assert_eq!(parse_time("2014-10-02T12:00Z").unwrap(), a);
        assert_eq!(parse_time(" 2014-10-02T12:00:00 ").unwrap(), a);
        let e = parse_time("tomorrow").unwrap_err();
        assert!(
            e.contains("2014/275 12:00") && e.contains("2014-10-02T12:00"),
            "{e}"
        );
        let e = parse_time("2014/367 12:00").unwrap_err();
        assert!(e.contains("day 367"), "{e}");
        assert!(parse_time("2014-10-02").is_err());
        assert!(parse_time("").is_err());
        // The language's forms only: a three-digit day of year, two-digit fields, UTC.
        assert_eq!(
            parse_time("2014/44 12:00").unwrap_err(),
            "`2014/44 12:00` is not a valid time: the day of year needs three digits; give `2014/044 12:00`"
        );
        assert_eq!(
            parse_time("2014/275 9:00").unwrap_err(),
            "`2014/275 9:00` is not a valid time: the hour needs two digits; give `2014/275 09:00`"
        );
        assert_eq!(
            parse_time("2014-10-02T14:00+02:00").unwrap_err(),
            "`2014-10-02T14:00+02:00` is not a valid time: only UTC times are accepted (`Z` or `+00:00`), not the offset `+02:00`; give `2014-10-02T12:00Z`"
        );
    }

    const PLAN: &str = r#"
plan P "t" {
  horizon 2014/275 00:00 .. 2014/276 00:00
  roles OM, GC
  roles CREW
  roles FE-5, FE-6 in CREW
  window W "w" 2014/275 10:00 .. 2014/275 11:00, 2014/275 13:00 .. 2014/275 14:00
  activity A1 "ends at T" { at 2014/275 10:00 lasts 2h by OM }
  activity A2 "crew" { at 2014/275 11:00 lasts 2h by CREW }
  activity A3 "fe5" { at 2014/275 12:30 lasts 1h by FE-5 needs W critical }
  activity A4 "gc" { at 2014/275 12:00 lasts 30m by GC procedure X }
  activity A5 "loose" { lasts 10m by FE-6 after A9 }
}
procedure X "x" { version 1.0 roles GC, OM contingency Y
  step 1 "s" { check V < 1 on fail call Y } }
procedure Y "y" { version 2.0 step 1 "s" { end } }
"#;

    fn sheet_at(roles: &[String]) -> Sheet {
        let run = crate::workspace::check_texts(&[("p.plan", PLAN)]);
        let req = Request {
            at: parse_time("2014/275 12:00").unwrap(),
            hours: 6,
            roles,
            plan: None,
        };
        agenda(&run, &req).unwrap().sheets.remove(0)
    }

    fn section<'a>(s: &'a Sheet, role: &str) -> &'a RoleSheet {
        s.roles.iter().find(|r| r.role == role).unwrap()
    }

    fn listed(v: &[Entry]) -> Vec<(String, String)> {
        v.iter().map(|e| (e.id.clone(), e.part.clone())).collect()
    }

    #[test]
    fn roles_groups_and_supports() {
        let s = sheet_at(&[]);
        let om = section(&s, "OM");
        // A1 ends exactly at 12:00: not running. A4 starts exactly at 12:00: running;
        // OM supports it through the procedure's roles.
        assert_eq!(listed(&om.running), vec![("A4".into(), "supports".into())]);
        let crew = section(&s, "CREW");
        assert_eq!(crew.members, vec!["FE-5", "FE-6"]);
        assert_eq!(listed(&crew.running), vec![("A2".into(), "owner".into())]);
        assert_eq!(listed(&crew.next), vec![("A3".into(), "by FE-5".into())]);
        let fe6 = section(&s, "FE-6");
        assert_eq!(listed(&fe6.running), vec![("A2".into(), "as CREW".into())]);
        assert!(fe6.next.is_empty());
        let a3 = &section(&s, "FE-5").next[0];
        assert!(a3.critical);
        let needs = a3.needs.as_ref().unwrap();
        assert!(!needs.met);
        assert_eq!(
            needs.windows[0].status,
            "closed 2014/275 12:30 .. 2014/275 13:00"
        );
        let gc = &section(&s, "GC").running[0];
        assert_eq!(gc.left.as_deref(), Some("30m"));
        let p = gc.procedure.as_ref().unwrap();
        assert_eq!(p.name, "X v1.0");
        assert_eq!(p.contingencies.len(), 1);
        assert_eq!(p.contingencies[0].name, "Y v2.0");
        assert_eq!(
            p.contingencies[0].how,
            "declared contingency; on fail in step 1"
        );
        assert_eq!(s.not_scheduled.len(), 1);
        assert_eq!(s.not_scheduled[0].id, "A5");
        let w = &s.windows[0];
        assert_eq!(w.open_until, None);
        assert_eq!(w.openings.len(), 1);
        assert_eq!(s.warning.is_some(), s.verdict == "fail");
    }

    #[test]
    fn a_role_filter_keeps_only_its_sections() {
        let s = sheet_at(&["FE-6".to_string()]);
        assert_eq!(s.roles.len(), 1);
        assert_eq!(s.not_scheduled.len(), 1);
        let s = sheet_at(&["GC".to_string()]);
        assert!(s.not_scheduled.is_empty());
    }

    #[test]
    fn unknown_role_and_plan_are_errors_with_suggestions() {
        let run = crate::workspace::check_texts(&[("p.plan", PLAN)]);
        let roles = vec!["FE5".to_string()];
        let req = Request {
            at: Time(1_412_251_200),
            hours: 12,
            roles: &roles,
            plan: None,
        };
        let e = agenda(&run, &req).unwrap_err().to_string();
        assert!(e.contains("did you mean `FE-5`"), "{e}");
        let req = Request {
            roles: &[],
            plan: Some("Q"),
            ..req
        };
        assert!(matches!(
            agenda(&run, &req),
            Err(AgendaError::UnknownPlan { .. })
        ));
        let req = Request {
            plan: None,
            hours: 0,
            ..req
        };
        assert_eq!(agenda(&run, &req).unwrap_err(), AgendaError::Hours(0));
    }
}
