//! The resolved model: names resolved across a plan and its procedure libraries, every
//! activity's absolute start and end, expanded windows, and one petgraph graph of
//! activities, relations, procedures, steps, calls and covered requirements.
//!
//! The model never does I/O and never reports: what it could not resolve is recorded
//! (`unresolved`, `duplicates`, `TimeState::Unknown`) for the rules in `checks` to report.

mod build;
mod graph;
pub mod occurrences;
mod scenario;
mod schedule;
pub mod staffing;
mod windows;

pub use graph::{DepGraph, Edge, EdgeKind, Node};
pub use occurrences::Occurrences;
pub use scenario::Timeline;

use crate::source::{FileId, Span};
use crate::syntax::ast;
use crate::time::{Interval, Notation, Time};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Index of a plan in [`Model::plans`].
pub type PlanIdx = usize;
/// Index of an activity in [`PlanModel::activities`].
pub type ActIdx = usize;
/// Index of a procedure in [`Model::procedures`].
pub type ProcIdx = usize;
/// Index of a training scenario in [`Model::scenarios`].
pub type ScnIdx = usize;

/// Contingency paths are followed this many procedures deep (a longer chain stops there).
pub const MAX_CONTINGENCY_DEPTH: usize = 32;

/// A contingency path holds at most this many procedures, its root included (a broader
/// path stops there). Paths are kept per running procedure while scenarios are judged:
/// without this bound 10,000 procedures whose contingency calls 10,000 others made
/// 10,000 paths of 10,000 (7.5 GB from 1.8 MB of input).
pub const MAX_CONTINGENCY_PROCEDURES: usize = 64;

/// What kind of name a reference is to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RefKind {
    Activity,
    Procedure,
    ProcedureVersion,
    Role,
    Resource,
    Window,
    Step,
    CallTarget,
}

/// Where a reference was made: in a plan or in a procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Plan(PlanIdx),
    Procedure(ProcIdx),
}

/// A name that did not resolve.
#[derive(Debug, Clone)]
pub struct UnresolvedRef {
    pub kind: RefKind,
    pub name: ast::Ident,
    /// For procedure references: the version asked for.
    pub version: Option<crate::source::Spanned<String>>,
    pub scope: Scope,
}

/// Two definitions of one identifier.
#[derive(Debug, Clone)]
pub struct Duplicate {
    /// `activity`, `role`, `procedure`, `step`, …
    pub what: &'static str,
    pub name: String,
    pub first: Span,
    pub second: Span,
}

/// Why an activity's time is not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unknown {
    /// No `at`, and no `after`/`starts with`/`during` relation to place it.
    NoStart,
    /// No `lasts`/`until`, and its procedure gives no duration.
    NoDuration,
    /// It depends on an activity whose time is unknown.
    DependsOn(ActIdx),
    /// It is part of a dependency cycle.
    InCycle,
    /// A time literal or reference it uses is invalid or undefined (already reported).
    InvalidInput,
    /// Adding its offsets leaves the supported calendar.
    OutOfRange,
}

/// An activity's resolved time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeState {
    /// start < end
    Known(Interval),
    /// end ≤ start: known but impossible.
    Inverted(Interval),
    Unknown(Unknown),
}

impl TimeState {
    /// The interval when it is a proper one.
    pub fn interval(&self) -> Option<Interval> {
        match self {
            TimeState::Known(i) => Some(*i),
            _ => None,
        }
    }

    /// Start and end when both are known, even if inverted.
    pub fn bounds(&self) -> Option<Interval> {
        match self {
            TimeState::Known(i) | TimeState::Inverted(i) => Some(*i),
            TimeState::Unknown(_) => None,
        }
    }
}

/// A resolved activity.
#[derive(Debug, Clone)]
pub struct ActivityModel {
    pub ast: Box<ast::Activity>,
    /// Index into [`PlanModel::phases`].
    pub phase: Option<usize>,
    pub time: TimeState,
    /// The procedure it runs, resolved to one version.
    pub procedure: Option<ProcIdx>,
    /// Targets of `ast.relations`, index for index.
    pub relation_targets: Vec<Option<ActIdx>>,
}

#[derive(Debug, Clone)]
pub struct PhaseModel {
    pub name: ast::Ident,
    pub title: Option<String>,
    pub interval: Option<Interval>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct RoleModel {
    pub name: ast::Ident,
    pub group: Option<ast::Ident>,
}

#[derive(Debug, Clone)]
pub struct WindowModel {
    pub decl: ast::WindowDecl,
    /// Its occurrences (sorted, disjoint; periodic and daily windows kept as their rule):
    /// periodic ones from their first start, daily ones over the horizon's days from the
    /// day before; outputs clip them to the horizon ([`PlanModel::window_in_horizon`]).
    pub occurrences: Occurrences,
}

impl WindowModel {
    /// `kind relay` … as declared; `other` when not given.
    pub fn kind(&self) -> ast::WindowKind {
        self.decl
            .kind
            .as_ref()
            .map_or(ast::WindowKind::Other, |k| k.value)
    }
}

/// A resolved plan.
#[derive(Debug, Clone)]
pub struct PlanModel {
    pub id: ast::Ident,
    pub title: Option<String>,
    pub mission: Option<String>,
    pub issue: Option<String>,
    pub horizon: Option<Interval>,
    pub horizon_span: Option<Span>,
    pub notation: Notation,
    pub uses: Vec<ast::Use>,
    pub span: Span,
    pub file: FileId,
    pub roles: Vec<RoleModel>,
    pub resources: Vec<ast::ResourceDecl>,
    pub windows: Vec<WindowModel>,
    pub phases: Vec<PhaseModel>,
    pub activities: Vec<ActivityModel>,
    pub activity_index: HashMap<String, ActIdx>,
    /// `waive` declarations, in source order.
    pub waivers: Vec<ast::Waiver>,
    pub role_index: HashMap<String, usize>,
    pub resource_index: HashMap<String, usize>,
    pub window_index: HashMap<String, usize>,
    /// Windows its `use windows` files would define but could not give (`E005`).
    pub unread_windows: HashSet<String>,
    /// True when a `use windows` file of the plan could not be read at all.
    pub unread_window_file: bool,
}

impl PlanModel {
    /// True when `name` may be a window of a `use windows` file that could not be read
    /// (the file's `E005` says why, so `name` is not reported as undefined).
    pub fn window_unread(&self, name: &str) -> bool {
        self.unread_window_file || self.unread_windows.contains(name)
    }

    pub fn format_time(&self, t: Time) -> String {
        t.format(self.notation)
    }

    /// A window's occurrences clipped to the horizon (all of them without a horizon), for
    /// outputs: an occurrence wholly outside the horizon is not listed.
    pub fn window_in_horizon(&self, wi: usize) -> impl Iterator<Item = Interval> + '_ {
        let range = self
            .horizon
            .unwrap_or(Interval::new(Time::MIN, Time(i64::MAX)));
        self.windows[wi].occurrences.clipped(range)
    }

    /// How many occurrences of a window lie (partly) inside the horizon.
    pub fn window_count_in_horizon(&self, wi: usize) -> u64 {
        let range = self
            .horizon
            .unwrap_or(Interval::new(Time::MIN, Time(i64::MAX)));
        self.windows[wi].occurrences.count_overlapping(range)
    }

    /// The direct members of each group role (`roles FE-5, FE-6 in CREW`: CREW →
    /// [FE-5, FE-6]), in declaration order.
    pub fn members_of(&self) -> HashMap<&str, Vec<&str>> {
        let mut members: HashMap<&str, Vec<&str>> = HashMap::default();
        for r in &self.roles {
            if let Some(g) = &r.group {
                members
                    .entry(g.value.as_str())
                    .or_default()
                    .push(r.name.value.as_str());
            }
        }
        members
    }
}

/// A procedure with its step table.
#[derive(Debug, Clone)]
pub struct ProcedureModel {
    pub ast: ast::Procedure,
    pub file: FileId,
    /// From a file with syntax errors: known by name only, never checked.
    pub incomplete: bool,
    pub step_index: HashMap<String, usize>,
    /// The procedures its failures lead to, resolved, each once, in source order: its
    /// `contingency`, every `on fail call`, and the calls of its failure steps (the steps
    /// reached from an `on fail goto` that its nominal flow does not reach).
    pub failure_targets: Vec<ProcIdx>,
    /// Every procedure it calls (`call`, `on fail call`), resolved, each once, in source order.
    pub call_targets: Vec<ProcIdx>,
    /// Its failure steps (indices into `ast.steps`, in order): those reached from an
    /// `on fail goto` that its nominal flow does not reach.
    pub failure_steps: Vec<usize>,
}

impl ProcedureModel {
    pub fn id(&self) -> &str {
        &self.ast.id.value
    }

    pub fn version(&self) -> Option<&str> {
        self.ast.version.as_ref().map(|v| v.value.as_str())
    }

    /// True when it declares `handles EVENT`.
    pub fn handles(&self, event: &str) -> bool {
        self.ast.handles.iter().any(|h| h.value == event)
    }

    /// `ATV-FCP-REF-010 v3.2`
    pub fn display_name(&self) -> String {
        match self.version() {
            Some(v) => format!("{} v{}", self.id(), v),
            None => self.id().to_string(),
        }
    }
}

/// Why the time of an injected event is not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InjectUnknown {
    /// An invalid literal or an undefined activity (already reported).
    InvalidInput,
    /// The activity it is relative to has no known time.
    Activity(ActIdx),
    /// Adding the offset leaves the supported calendar.
    OutOfRange,
}

/// A resolved `inject`.
#[derive(Debug, Clone)]
pub struct InjectModel {
    /// The injection time (unknown when the scenario's plan is not resolved).
    pub time: Result<Time, InjectUnknown>,
    /// True when the time lies inside the plan's horizon (or the plan gives none).
    pub in_horizon: bool,
    /// How many activities run at that time (`start <= t < end`); which they are,
    /// [`Model::running_at_inject`] computes when asked (storing them per inject was
    /// quadratic: 3,000 injects over 3,000 activities).
    pub running: usize,
    /// When none is running: the activity that ended last before, and the next to start.
    pub neighbours: (Option<ActIdx>, Option<ActIdx>),
    /// Targets of `expects`, index for index.
    pub expects: Vec<Option<ProcIdx>>,
}

/// A resolved training scenario.
#[derive(Debug, Clone)]
pub struct ScenarioModel {
    pub ast: ast::Scenario,
    pub file: FileId,
    /// The plan it runs; `None` when it names none or an undefined one.
    pub plan: Option<PlanIdx>,
    /// `ast.injects`, index for index.
    pub injects: Vec<InjectModel>,
    /// The training record, resolved against the roster of its plan.
    pub training: staffing::training::Record,
}

/// A step of a contingency path: a procedure and the index (in the path) of the
/// procedure whose failure led to it (`None` for the procedure the activity runs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathStep {
    pub procedure: ProcIdx,
    pub from: Option<usize>,
}

/// Everything the checks look at.
#[derive(Debug)]
pub struct Model {
    pub plans: Vec<PlanModel>,
    pub procedures: Vec<ProcedureModel>,
    /// Training scenarios, in file order.
    pub scenarios: Vec<ScenarioModel>,
    /// Staffing rosters, resolved against their plans, in file order.
    pub staffing: Vec<staffing::Staffing>,
    /// The running-activity index of each plan that has injects in its horizon.
    pub timelines: HashMap<PlanIdx, Timeline>,
    /// Procedure id → its versions, lowest version first.
    pub procedure_index: HashMap<String, Vec<ProcIdx>>,
    /// Roles declared by any plan (procedures are resolved against these).
    pub all_roles: HashSet<String>,
    /// Windows declared by any plan.
    pub all_windows: HashSet<String>,
    pub unresolved: Vec<UnresolvedRef>,
    pub duplicates: Vec<Duplicate>,
    /// Spans of impossible intervals and window shapes found while building.
    pub bad_intervals: Vec<(Span, String)>,
    pub graph: DepGraph,
    /// Files that had syntax errors: findings inside them are not reported.
    pub files_with_syntax_errors: HashSet<FileId>,
}

impl Model {
    /// Builds the model from parsed files. Never fails; never does I/O.
    pub fn build(files: Vec<ast::SourceAst>) -> Model {
        build::build(files)
    }

    /// Names of a kind visible from a scope, for "did you mean" hints.
    pub fn names(&self, kind: RefKind, scope: Scope) -> Vec<&str> {
        let plan = match scope {
            Scope::Plan(p) => Some(&self.plans[p]),
            Scope::Procedure(_) => None,
        };
        match (kind, plan) {
            (RefKind::Activity, Some(p)) => p
                .activities
                .iter()
                .map(|a| a.ast.id.value.as_str())
                .collect(),
            (RefKind::Role, Some(p)) => p.roles.iter().map(|r| r.name.value.as_str()).collect(),
            (RefKind::Role, None) => self.all_roles.iter().map(String::as_str).collect(),
            (RefKind::Resource, Some(p)) => {
                p.resources.iter().map(|r| r.name.value.as_str()).collect()
            }
            (RefKind::Window, Some(p)) => p
                .windows
                .iter()
                .map(|w| w.decl.name.value.as_str())
                .collect(),
            (RefKind::Window, None) => self.all_windows.iter().map(String::as_str).collect(),
            (RefKind::Procedure | RefKind::CallTarget | RefKind::ProcedureVersion, _) => {
                self.procedure_index.keys().map(String::as_str).collect()
            }
            (RefKind::Step, _) => match scope {
                Scope::Procedure(p) => self.procedures[p]
                    .ast
                    .steps
                    .iter()
                    .map(|s| s.label.value.as_str())
                    .collect(),
                Scope::Plan(_) => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    /// The procedure a reference names, resolved as the plan's own references are
    /// (a version asked for, else the highest); `None` when it does not resolve.
    pub fn resolve_procedure(&self, id: &str, version: Option<&str>) -> Option<ProcIdx> {
        build::resolve_procedure_ref(self, id, version).ok()
    }

    /// The contingency path of a procedure: `root` first, then breadth first along the
    /// links of each procedure on it, each procedure once (a cycle ends), at most
    /// [`MAX_CONTINGENCY_DEPTH`] procedures deep and [`MAX_CONTINGENCY_PROCEDURES`]
    /// procedures long. From `root` only its failures lead on
    /// ([`ProcedureModel::failure_targets`]); a procedure reached that way runs as the
    /// contingency, so its failures and every procedure it calls
    /// ([`ProcedureModel::call_targets`]) lead on. Linear in the procedures and links it
    /// visits, which are bounded by those limits and the links of the procedures on it.
    pub fn contingency_path(&self, root: ProcIdx) -> Vec<PathStep> {
        contingency_path(
            root,
            |p| &self.procedures[p].failure_targets,
            |p| &self.procedures[p].call_targets,
        )
    }

    /// The versions available for a procedure id, lowest first.
    pub fn versions_of(&self, id: &str) -> Vec<&str> {
        self.procedure_index
            .get(id)
            .map(|v| {
                v.iter()
                    .filter_map(|&p| self.procedures[p].version())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// [`Model::contingency_path`] over the links `failures` and `calls` give: breadth first
/// with a queue (the path itself), never recursive.
pub fn contingency_path<'a>(
    root: ProcIdx,
    failures: impl Fn(ProcIdx) -> &'a [ProcIdx],
    calls: impl Fn(ProcIdx) -> &'a [ProcIdx],
) -> Vec<PathStep> {
    let mut path = vec![PathStep {
        procedure: root,
        from: None,
    }];
    let mut seen: HashSet<ProcIdx> = HashSet::default();
    seen.insert(root);
    let mut level = 0..1;
    for _ in 0..MAX_CONTINGENCY_DEPTH {
        let next_start = path.len();
        for i in level.clone() {
            let p = path[i].procedure;
            let called = if i == 0 { &[][..] } else { calls(p) };
            for &t in failures(p).iter().chain(called) {
                if seen.insert(t) {
                    path.push(PathStep {
                        procedure: t,
                        from: Some(i),
                    });
                    if path.len() == MAX_CONTINGENCY_PROCEDURES {
                        return path;
                    }
                }
            }
        }
        if path.len() == next_start {
            break;
        }
        level = next_start..path.len();
    }
    path
}

/// Compares dotted versions numerically (`3.10` > `3.9`); non-numeric parts compare as text.
pub fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    let parts = |s: &str| -> Vec<(u64, String)> {
        s.split('.')
            .map(|p| (p.parse::<u64>().unwrap_or(u64::MAX), p.to_string()))
            .collect()
    };
    parts(a).cmp(&parts(b))
}
