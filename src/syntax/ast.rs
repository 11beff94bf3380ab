//! The typed syntax tree. Every node keeps the span it came from. Literal values that
//! were well-formed but impossible (`2014/367 25:00`) are `None`: lowering has already
//! reported them, and later phases treat them as unknown without reporting again.

use crate::source::{FileId, Span, Spanned};
use crate::time::{Dur, Notation, Time};

/// A name as written, with its span.
pub type Ident = Spanned<String>;

/// One parsed source file.
#[derive(Debug, Clone)]
pub struct SourceAst {
    pub file: FileId,
    pub plans: Vec<Plan>,
    pub procedures: Vec<Procedure>,
    pub scenarios: Vec<Scenario>,
    pub rosters: Vec<Roster>,
    /// True when the file had syntax errors (the tree then holds what could be recovered).
    pub has_syntax_errors: bool,
}

/// An absolute time literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeLit {
    pub value: Option<Time>,
    pub notation: Notation,
    pub span: Span,
}

/// A duration literal (`40m`, `PT40M`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurLit {
    pub value: Option<Dur>,
    pub span: Span,
}

/// `T .. T`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntervalLit {
    pub start: TimeLit,
    pub end: TimeLit,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Anchor {
    Start,
    End,
}

impl Anchor {
    pub fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::End => "end",
        }
    }
}

/// An absolute time or one relative to another activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeExpr {
    Absolute(TimeLit),
    Relative {
        activity: Ident,
        anchor: Anchor,
        /// Signed offset (`- 1h` is stored negative).
        offset: Option<DurLit>,
        span: Span,
    },
}

impl TimeExpr {
    pub fn span(&self) -> Span {
        match self {
            TimeExpr::Absolute(t) => t.span,
            TimeExpr::Relative { span, .. } => *span,
        }
    }
}

/// `use procedures "dir/"` or `use windows "file.csv"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UseKind {
    Procedures,
    Windows,
    Rules,
    Roster,
}

/// `waive FR-06 for A25 ref "CR-276-01"`
#[derive(Debug, Clone)]
pub struct Waiver {
    /// The flight rule's id.
    pub rule: Ident,
    pub activities: Vec<Ident>,
    /// The approval reference (a change request, an IMMT decision).
    pub reference: Spanned<String>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Use {
    pub kind: UseKind,
    pub path: Spanned<String>,
    pub span: Span,
}

/// A role declared by `roles …`, optionally a member of a group role (`in CREW`).
#[derive(Debug, Clone)]
pub struct RoleDecl {
    pub name: Ident,
    pub group: Option<Ident>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase", tag = "type", content = "capacity")]
pub enum ResourceKind {
    Exclusive,
    Capacity(u32),
}

#[derive(Debug, Clone)]
pub struct ResourceDecl {
    pub name: Ident,
    pub kind: ResourceKind,
    pub description: Option<Spanned<String>>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum WindowShape {
    /// `every 92m lasting 40m from T [until T]`
    Periodic {
        every: DurLit,
        lasting: DurLit,
        from: TimeLit,
        until: Option<TimeLit>,
    },
    /// `daily 21:30 .. 06:00` (seconds after midnight; may wrap past midnight)
    Daily {
        from: Spanned<Option<i64>>,
        to: Spanned<Option<i64>>,
    },
    /// `T .. T, T .. T`
    Intervals(Vec<IntervalLit>),
}

#[derive(Debug, Clone)]
pub struct WindowDecl {
    pub name: Ident,
    pub title: Option<Spanned<String>>,
    /// `kind relay`: what the window is (styles the report timeline; informative).
    pub kind: Option<Spanned<WindowKind>>,
    pub shape: WindowShape,
    pub span: Span,
}

/// What a window is: `kind relay`, `kind ground`, `kind sleep`, `kind other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WindowKind {
    /// Relay satellite coverage (Artemis, TDRSS).
    Relay,
    /// A ground-station pass.
    Ground,
    /// Crew sleep or rest.
    Sleep,
    /// Anything else (eclipses, blackout periods, bookings).
    Other,
}

impl WindowKind {
    pub fn as_str(self) -> &'static str {
        match self {
            WindowKind::Relay => "relay",
            WindowKind::Ground => "ground",
            WindowKind::Sleep => "sleep",
            WindowKind::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<WindowKind> {
        Some(match text {
            "relay" => WindowKind::Relay,
            "ground" => WindowKind::Ground,
            "sleep" => WindowKind::Sleep,
            "other" => WindowKind::Other,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Phase {
    pub name: Ident,
    pub title: Option<Spanned<String>>,
    pub interval: Option<IntervalLit>,
    pub activities: Vec<Box<Activity>>,
    pub span: Span,
}

/// A reference to a procedure, optionally in one version.
#[derive(Debug, Clone)]
pub struct ProcRef {
    pub id: Ident,
    pub version: Option<Spanned<String>>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NeedsMode {
    /// `A & B`: inside every one of them.
    All,
    /// `A | B`: inside any of them.
    Any,
}

#[derive(Debug, Clone)]
pub struct Needs {
    pub mode: NeedsMode,
    pub windows: Vec<Ident>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct ResourceUse {
    pub resource: Ident,
    pub amount: Option<Spanned<u32>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    After,
    Before,
    During,
    StartsWith,
}

impl RelationKind {
    pub fn keyword(self) -> &'static str {
        match self {
            RelationKind::After => "after",
            RelationKind::Before => "before",
            RelationKind::During => "during",
            RelationKind::StartsWith => "starts with",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Relation {
    pub kind: RelationKind,
    pub target: Ident,
    /// Signed: `after X + 10m` is +10m, `before X - 10m` is +10m of separation, stored as written.
    pub offset: Option<DurLit>,
    pub within: Option<DurLit>,
    pub span: Span,
}

/// A requirement cited by `covers`: its id and, when the trace was reviewed against a
/// given text, the fingerprint of that text (`ATV-OPS-REQ-007@3f2a9c1b04de`).
#[derive(Debug, Clone)]
pub struct Cite {
    pub id: Ident,
    /// Hexadecimal digits after `@`: a prefix of the requirement's fingerprint.
    pub stamp: Option<Spanned<String>>,
}

#[derive(Debug, Clone)]
pub struct Activity {
    pub id: Ident,
    pub title: Option<Spanned<String>>,
    pub at: Option<TimeExpr>,
    pub lasts: Option<DurLit>,
    pub until: Option<TimeExpr>,
    pub by: Vec<Ident>,
    pub kind: Option<Ident>,
    pub critical: Option<Span>,
    pub tags: Vec<Ident>,
    pub procedure: Option<ProcRef>,
    pub needs: Option<Needs>,
    pub uses: Vec<ResourceUse>,
    pub covers: Vec<Cite>,
    pub notes: Vec<Spanned<String>>,
    pub relations: Vec<Relation>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub id: Ident,
    pub title: Option<Spanned<String>>,
    pub mission: Option<Spanned<String>>,
    pub issue: Option<Spanned<String>>,
    pub horizon: Option<IntervalLit>,
    pub uses: Vec<Use>,
    pub roles: Vec<RoleDecl>,
    pub resources: Vec<ResourceDecl>,
    pub windows: Vec<WindowDecl>,
    pub phases: Vec<Phase>,
    /// Activities written outside any phase.
    pub activities: Vec<Box<Activity>>,
    pub waivers: Vec<Waiver>,
    /// The notation of the plan's first absolute time.
    pub notation: Notation,
    pub span: Span,
    /// Windows its `use windows` files would define but could not give (the names of
    /// their rows with a problem, `E005`); set when the files are read.
    pub unread_windows: Vec<String>,
    /// True when a `use windows` file of the plan could not be read at all.
    pub unread_window_file: bool,
}

impl Plan {
    /// A plan with only its id: the start of lowering.
    pub fn empty(id: Ident, span: Span) -> Plan {
        Plan {
            id,
            title: None,
            mission: None,
            issue: None,
            horizon: None,
            uses: Vec::new(),
            roles: Vec::new(),
            resources: Vec::new(),
            windows: Vec::new(),
            phases: Vec::new(),
            activities: Vec::new(),
            waivers: Vec::new(),
            notation: Notation::DayOfYear,
            span,
            unread_windows: Vec::new(),
            unread_window_file: false,
        }
    }

    /// Every activity with the index of its phase (`None` outside phases), in source order.
    pub fn all_activities(&self) -> impl Iterator<Item = (Option<usize>, &Activity)> {
        self.phases
            .iter()
            .enumerate()
            .flat_map(|(i, p)| p.activities.iter().map(move |a| (Some(i), &**a)))
            .chain(self.activities.iter().map(|a| (None, &**a)))
    }
}

// ---------------------------------------------------------------- procedures

#[derive(Debug, Clone)]
pub struct Procedure {
    pub id: Ident,
    pub title: Option<Spanned<String>>,
    pub version: Option<Spanned<String>>,
    pub family: Option<Ident>,
    pub roles: Vec<Ident>,
    pub covers: Vec<Cite>,
    pub requires_coverage: Option<Needs>,
    pub requires: Vec<Spanned<String>>,
    pub contingency: Option<ProcRef>,
    /// The events the procedure deals with (`handles THRUSTER_OVERTEMP, NO_IGNITION`).
    pub handles: Vec<Ident>,
    pub duration: Option<DurLit>,
    pub steps: Vec<Step>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub label: Ident,
    pub title: Option<Spanned<String>>,
    /// Requirements the step itself covers (`covers` inside the step).
    pub covers: Vec<Cite>,
    pub statements: Vec<Statement>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Statement {
    pub kind: StatementKind,
    pub on_fail: Option<FailAction>,
    pub span: Span,
}

/// A literal argument or comparison value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Number { value: f64, unit: Option<String> },
    Text(String),
    Name(String),
}

#[derive(Debug, Clone)]
pub struct Argument {
    pub name: Ident,
    pub value: Spanned<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum CompareOp {
    #[serde(rename = "==")]
    Eq,
    #[serde(rename = "!=")]
    Ne,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
}

#[derive(Debug, Clone)]
pub enum CheckTest {
    Range {
        low: f64,
        high: f64,
        unit: Option<String>,
    },
    Compare {
        op: CompareOp,
        value: Spanned<Value>,
    },
}

#[derive(Debug, Clone)]
pub enum WaitFor {
    /// `wait 5m`
    Duration(DurLit),
    /// `wait for MCC-M "transfer complete" timeout 45m` / `wait for IGNITION timeout 2m`
    Event {
        source: Ident,
        event: Option<Spanned<String>>,
        timeout: Option<DurLit>,
    },
}

#[derive(Debug, Clone)]
pub enum StatementKind {
    Command {
        name: Ident,
        args: Vec<Argument>,
    },
    Check {
        parameter: Ident,
        test: CheckTest,
        within: Option<DurLit>,
    },
    Poll {
        roles: Vec<Ident>,
    },
    Wait(WaitFor),
    Call(ProcRef),
    Manual {
        role: Ident,
        text: Spanned<String>,
    },
    Goto(Ident),
    Abort(Option<Spanned<String>>),
    End,
    Note(Spanned<String>),
}

#[derive(Debug, Clone)]
pub enum FailAction {
    Goto(Ident),
    Abort(Option<Spanned<String>>),
    Call(ProcRef),
}

impl Procedure {
    /// A procedure known only by name (its file could not be parsed).
    pub fn placeholder(id: String, span: Span) -> Procedure {
        Procedure {
            id: Spanned::new(id, span),
            title: None,
            version: None,
            family: None,
            roles: Vec::new(),
            covers: Vec::new(),
            requires_coverage: None,
            requires: Vec::new(),
            contingency: None,
            handles: Vec::new(),
            duration: None,
            steps: Vec::new(),
            span,
        }
    }
}

// ---------------------------------------------------------------- training scenarios

/// `scenario SIM-RBT-01 "title" { plan P  trainees FD, EST  inject … }`: a simulation
/// prepared by the Training Instructor.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub id: Ident,
    pub title: Option<Spanned<String>>,
    /// The plan the simulation runs (`plan ATV5-W40`).
    pub plan: Option<Ident>,
    /// The trainees, every `trainees` line joined: roles of the plan, or people of the
    /// plan's roster (a name is a role first).
    pub trainees: Vec<Ident>,
    /// `instructor JROUX`: the person of the plan's roster who ran the session.
    pub instructor: Option<Ident>,
    /// `held T .. T`: when the session was held (none: only prepared).
    pub held: Option<IntervalLit>,
    /// `outcome passed|failed|cancelled` (none with `held`: result not recorded).
    pub outcome: Option<Spanned<Outcome>>,
    pub injects: Vec<Inject>,
    pub span: Span,
}

/// The result of a training session (`outcome …`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Passed,
    Failed,
    Cancelled,
}

impl Outcome {
    /// As written: `passed`, `failed`, `cancelled`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::Cancelled => "cancelled",
        }
    }
}

/// `inject EVENT ["text"] at T { expect PROC [vX.Y] }`
#[derive(Debug, Clone)]
pub struct Inject {
    pub event: Ident,
    pub text: Option<Spanned<String>>,
    pub at: TimeExpr,
    /// The contingency procedures the event must lead to.
    pub expects: Vec<ProcRef>,
    pub span: Span,
}

// ---------------------------------------------------------------- staffing rosters

/// `roster ATV-CC-W40 "title" { plan P  rules { … }  position …  person …  duty …  shift …
/// oncall …  assign … }`: the people of a 24-hour service, the positions they hold and
/// their shifts, for one plan.
#[derive(Debug, Clone)]
pub struct Roster {
    pub id: Ident,
    pub title: Option<Spanned<String>>,
    /// The plan the roster staffs (`plan ATV5-W40`).
    pub plan: Option<Ident>,
    /// The working-time rules it sets, every `rules` block joined, in source order.
    pub rules: Vec<WorkRule>,
    pub positions: Vec<PositionDecl>,
    pub people: Vec<PersonDecl>,
    pub duties: Vec<DutyDecl>,
    pub shifts: Vec<ShiftDecl>,
    pub oncalls: Vec<OnCallDecl>,
    pub assignments: Vec<AssignDecl>,
    /// The notation of the roster's first absolute time.
    pub notation: Notation,
    pub span: Span,
}

/// One line of a `rules` block.
#[derive(Debug, Clone)]
pub struct WorkRule {
    pub kind: WorkRuleKind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum WorkRuleKind {
    /// `daily rest 11h`
    DailyRest(DurLit),
    /// `weekly rest 35h`
    WeeklyRest(DurLit),
    /// `max shift 12h`
    MaxShift(DurLit),
    /// `max week 48h`
    MaxWeek(DurLit),
    /// `max nights 3` (`None` when the number is too large)
    MaxNights(Spanned<Option<u32>>),
    /// `night 21:00 .. 06:00` (seconds after midnight; may wrap past midnight)
    Night {
        from: Spanned<Option<i64>>,
        to: Spanned<Option<i64>>,
    },
    /// `handover 15m`
    Handover(DurLit),
}

impl WorkRuleKind {
    /// The rule as written, without its value: `daily rest`, `max shift`.
    pub fn name(&self) -> &'static str {
        match self {
            WorkRuleKind::DailyRest(_) => "daily rest",
            WorkRuleKind::WeeklyRest(_) => "weekly rest",
            WorkRuleKind::MaxShift(_) => "max shift",
            WorkRuleKind::MaxWeek(_) => "max week",
            WorkRuleKind::MaxNights(_) => "max nights",
            WorkRuleKind::Night { .. } => "night",
            WorkRuleKind::Handover(_) => "handover",
        }
    }
}

/// A span of time a position or duty must be held without a break: a phase or a window
/// of the plan (by name), or an interval.
#[derive(Debug, Clone)]
pub enum Period {
    Name(Ident),
    Interval(IntervalLit),
}

/// `continuous` or `continuous during P1, P2`.
#[derive(Debug, Clone)]
pub struct Continuous {
    /// Empty: the plan's horizon.
    pub periods: Vec<Period>,
    pub span: Span,
}

/// `position OM-DESK "title" { fills …  continuous …  minimum 2  trainees alone  handover 30m }`
#[derive(Debug, Clone)]
pub struct PositionDecl {
    pub name: Ident,
    pub title: Option<Spanned<String>>,
    /// The plan roles its holders fill, every `fills` joined.
    pub fills: Vec<Ident>,
    /// Every `continuous` clause.
    pub continuous: Vec<Continuous>,
    /// `minimum 2`: the head count while it is continuous (`None` inside when invalid).
    pub minimum: Option<Spanned<Option<u32>>>,
    /// `trainees alone`: a trainee may hold it with no qualified holder beside.
    pub trainees_alone: Option<Span>,
    /// `handover 30m`: this position's own handover overlap.
    pub handover: Option<DurLit>,
    pub span: Span,
}

/// The bound of a qualification: a time, or a day (`2015/120`: from its start, or until
/// its end).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    pub time: TimeLit,
    /// Written as a day, without a time of day.
    pub day: bool,
}

/// `qualified P1, P2 [from D] [until D] [after N scenarios]` or `trainee P1 under INSTRUCTOR [from D] [until D]`.
#[derive(Debug, Clone)]
pub struct Qualification {
    pub positions: Vec<Ident>,
    /// For a trainee: the instructor (a person of the roster).
    pub under: Option<Ident>,
    pub from: Option<Bound>,
    pub until: Option<Bound>,
    /// `after 3 scenarios`: the number of completed training scenarios it requires
    /// (`None` inside when the number is invalid).
    pub after: Option<Spanned<Option<u32>>>,
    pub span: Span,
}

/// `person JDUPONT "Jeanne Dupont" { qualified …  trainee … }`
#[derive(Debug, Clone)]
pub struct PersonDecl {
    pub id: Ident,
    pub name: Option<Spanned<String>>,
    pub qualifications: Vec<Qualification>,
    pub span: Span,
}

/// `duty OPS-ONCALL "title" { continuous …  response 30m }`: an on-call duty.
#[derive(Debug, Clone)]
pub struct DutyDecl {
    pub name: Ident,
    pub title: Option<Spanned<String>>,
    pub continuous: Vec<Continuous>,
    /// The longest call-out response time the duty accepts.
    pub response: Option<DurLit>,
    pub span: Span,
}

/// `shift JDUPONT OM-DESK 2014/272 06:00 .. 2014/272 14:15`
#[derive(Debug, Clone)]
pub struct ShiftDecl {
    pub person: Ident,
    pub position: Ident,
    pub interval: IntervalLit,
    pub span: Span,
}

/// `oncall MMARTIN OPS-ONCALL 2014/272 00:00 .. 2014/273 00:00 [response 20m]`
#[derive(Debug, Clone)]
pub struct OnCallDecl {
    pub person: Ident,
    pub duty: Ident,
    pub interval: IntervalLit,
    /// The person's call-out response time (the duty's when not given).
    pub response: Option<DurLit>,
    pub span: Span,
}

/// `assign JDUPONT to A29, A30`: a person named for activities of the plan.
#[derive(Debug, Clone)]
pub struct AssignDecl {
    pub person: Ident,
    pub activities: Vec<Ident>,
    pub span: Span,
}
