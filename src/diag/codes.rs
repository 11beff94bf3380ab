//! The one code table. Codes are stable: never reuse or renumber one.
//! Family prefixes: `E` syntax and literals, `R` references, `G` graph,
//! `T` timing, `P` procedure logic, `F` flight rules, `Q` requirement import (later: `X` trace),
//! `S` training scenarios, `W` staffing (the watch: rosters of people, positions, shifts).
//! Each code's documentation lives in its rule file under `src/checks/rules/`.

use super::Severity;

/// Families of codes, by what they are about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Family {
    Syntax,
    Reference,
    Graph,
    Timing,
    Procedure,
    FlightRule,
    Requirements,
    Scenario,
    Staffing,
}

/// Static facts about a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    /// `E001`
    pub code: &'static str,
    /// `syntax-error`: names the problem, never the check.
    pub name: &'static str,
    pub family: Family,
    pub severity: Severity,
    /// One line, for tables and SARIF `shortDescription`.
    pub summary: &'static str,
}

macro_rules! code_table {
    ($( $variant:ident => $code:literal, $name:literal, $family:ident, $sev:ident, $summary:literal; )*) => {
        /// A stable diagnostic code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( $variant, )* }

        /// Every code, in table order.
        pub const ALL_CODES: &[Code] = &[ $( Code::$variant, )* ];

        impl Code {
            pub const fn info(self) -> CodeInfo {
                match self {
                    $( Code::$variant => CodeInfo {
                        code: $code,
                        name: $name,
                        family: Family::$family,
                        severity: Severity::$sev,
                        summary: $summary,
                    }, )*
                }
            }
        }
    };
}

code_table! {
    SyntaxError => "E001", "syntax-error", Syntax, Error,
        "The source does not follow the opsplan grammar";
    InvalidLiteral => "E002", "invalid-literal", Syntax, Error,
        "A time, date, duration or number that is impossible, out of range, or written as the language does not take it (too few digits, an offset other than UTC, hexadecimal)";
    UnreadableSource => "E003", "unreadable-source", Syntax, Error,
        "A source file is not valid UTF-8 text, or is too large";
    RepeatedClause => "E004", "repeated-clause", Syntax, Error,
        "A clause that may appear once (such as `at` or `version`) appears twice";
    InvalidWindowFile => "E005", "invalid-window-file", Syntax, Error,
        "A Flight Dynamics window file (CSV) cannot be read: a missing column, an impossible time";
    UndefinedActivity => "R001", "undefined-activity", Reference, Error,
        "A relation or relative time names an activity the plan does not define";
    UndefinedProcedure => "R002", "undefined-procedure", Reference, Error,
        "An activity or contingency names a procedure no library defines";
    UndefinedProcedureVersion => "R003", "undefined-procedure-version", Reference, Error,
        "A procedure exists but not in the version asked for (by an activity, a call, a contingency or an expect)";
    UndefinedRole => "R004", "undefined-role", Reference, Error,
        "A role is used but not declared in the plan";
    UndefinedResource => "R005", "undefined-resource", Reference, Error,
        "An activity uses a resource the plan does not declare";
    UndefinedWindow => "R006", "undefined-window", Reference, Error,
        "An activity or procedure needs a window that is not declared";
    DuplicateIdentifier => "R007", "duplicate-identifier", Reference, Error,
        "Two definitions share one identifier";
    UnresolvedUsePath => "R008", "unresolved-use-path", Reference, Error,
        "A `use` names a file or directory that does not exist";
    InvalidResourceAmount => "R009", "invalid-resource-amount", Reference, Error,
        "A `uses` gives an amount the resource cannot take: zero, or more than one unit of an exclusive resource";
    DependencyCycle => "G001", "dependency-cycle", Graph, Error,
        "Activities depend on each other in a cycle";
    RelationViolated => "T001", "relation-violated", Timing, Error,
        "The scheduled times contradict a stated relation";
    OutsidePhase => "T002", "outside-phase", Timing, Error,
        "An activity is scheduled outside the interval of its phase";
    OutsideHorizon => "T003", "outside-horizon", Timing, Error,
        "An activity or phase lies outside the plan horizon";
    NonPositiveDuration => "T004", "non-positive-duration", Timing, Error,
        "An activity or interval ends before it starts, or lasts zero time";
    UnresolvedTime => "T005", "unresolved-time", Timing, Error,
        "An activity's start or end cannot be computed";
    ExclusiveResourceOverlap => "T006", "exclusive-resource-overlap", Timing, Error,
        "Two overlapping activities use the same exclusive resource";
    NeedsNotMet => "T007", "needs-not-met", Timing, Error,
        "An activity does not lie wholly inside an occurrence of the window(s) it `needs`";
    ResourceCapacityExceeded => "T008", "resource-capacity-exceeded", Timing, Error,
        "At some instant the activities using a capacity resource take more units than it has";
    CoverageUndecided => "T009", "coverage-undecided", Timing, Error,
        "Windows open and close too often inside an activity for its coverage to be decided";
    UndefinedStep => "P001", "undefined-step", Procedure, Error,
        "A `goto` names a step the procedure does not have";
    UndefinedCallTarget => "P002", "undefined-call-target", Procedure, Error,
        "A `call` names a procedure no library defines in any version";
    UnreachableStep => "P003", "unreachable-step", Procedure, Warning,
        "No path from the first step reaches this step";
    ProcedureCallCycle => "P004", "procedure-call-cycle", Procedure, Error,
        "Procedures call each other in a cycle";
    UnhandledCheck => "P005", "unhandled-check", Procedure, Error,
        "A telemetry check that verifies a command has no failure path (`on fail`)";
    WaitWithoutTimeout => "P006", "wait-without-timeout", Procedure, Error,
        "A `wait for` an event has no `timeout`, so the procedure can hang";
    ContingencyNotContingency => "P007", "contingency-not-contingency", Procedure, Error,
        "A procedure's contingency is not of the contingency family (CRP)";
    ProcedureLongerThanSlot => "P008", "procedure-longer-than-slot", Procedure, Error,
        "A procedure's expected duration does not fit the activity that runs it";
    OwnerNotInProcedureRoles => "P009", "owner-not-in-procedure-roles", Procedure, Error,
        "The activity's responsible role is not among the roles of the procedure it runs";
    CoverageNotMet => "P010", "coverage-not-met", Procedure, Error,
        "A procedure requires coverage that the activity's windows do not give";
    CriticalWithoutProcedure => "P011", "critical-without-procedure", Procedure, Error,
        "A critical activity does not name the procedure that runs it";
    RoleNotInProcedureRoles => "P012", "role-not-in-procedure-roles", Procedure, Error,
        "A role named in a procedure's statement (`poll`, `manual`, `wait for`) is not among its `roles`";
    PollRoleNotInActivity => "P013", "poll-role-not-in-activity", Procedure, Error,
        "An activity runs a procedure that polls a role the activity does not have among its `by` roles";
    FlightRuleViolated => "F001", "flight-rule-violated", FlightRule, Error,
        "The plan breaks a flight rule";
    FlightRuleUnknown => "F002", "flight-rule-unknown", FlightRule, Error,
        "Flight rules cannot be evaluated for an activity whose time is unknown (one finding per activity, naming the rules)";
    InvalidFlightRuleFile => "F003", "invalid-flight-rule-file", FlightRule, Error,
        "A flight-rule file is not valid: YAML, keys, types, kinds, windows or margins";
    WaivedViolation => "F004", "waived-violation", FlightRule, Note,
        "A flight-rule violation is waived by an approved waiver";
    UnusedWaiver => "F005", "unused-waiver", FlightRule, Warning,
        "A waiver matches no violation (the rule is met, or the waiver is stale)";
    UndefinedFlightRule => "F006", "undefined-flight-rule", FlightRule, Error,
        "A waiver names a flight rule that no rule file defines";
    UnmatchedSelectorValue => "F007", "unmatched-selector-value", FlightRule, Warning,
        "A flight rule selects by a kind, tag, role or phase that no activity has, and one close to it exists (a likely typo)";
    InvalidRequirementExport => "Q001", "invalid-requirement-export", Requirements, Error,
        "A requirements export (ReqIF, ReqIFz, CSV, XLSX, XLS, ODS) cannot be read, or one of its objects is malformed";
    UnknownRequirement => "Q002", "unknown-requirement", Requirements, Error,
        "A `covers` or `traces` names a requirement that no export holds (a dangling trace)";
    WithdrawnRequirement => "Q003", "withdrawn-requirement", Requirements, Warning,
        "A `covers` or `traces` names a requirement that is deleted or rejected in the export";
    DuplicateRequirement => "Q004", "duplicate-requirement", Requirements, Warning,
        "Two requirements in the exports have the same id";
    AmbiguousTrace => "Q005", "ambiguous-trace", Requirements, Warning,
        "A `covers` or `traces` names an id that several requirements have";
    SuspectTrace => "Q006", "suspect-trace", Requirements, Warning,
        "The requirement changed since the trace was made (against the baseline, or the recorded fingerprint)";
    UncoveredRequirement => "Q007", "uncovered-requirement", Requirements, Warning,
        "A requirement that needs coverage is covered by no activity, procedure, step or flight rule";
    StaleJustification => "Q008", "stale-justification", Requirements, Warning,
        "A recorded coverage gap justification is for a requirement that is covered, not needed or unknown";
    InvalidEvidence => "Q009", "invalid-evidence", Requirements, Error,
        "A verification evidence file (JUnit XML, tagged text, as-flown log) cannot be read or is malformed";
    AmbiguousEvidence => "Q010", "ambiguous-evidence", Requirements, Warning,
        "A test or tag names an id that, compared folded, matches several requirement ids";
    UndefinedScenarioPlan => "S001", "undefined-scenario-plan", Scenario, Error,
        "A training scenario names no plan, or a plan that no file defines";
    UnresolvedInjectTime => "S002", "unresolved-inject-time", Scenario, Error,
        "The time of an injected event cannot be computed (the activity it is relative to has no known time)";
    InjectOutsideHorizon => "S003", "inject-outside-horizon", Scenario, Error,
        "An event is injected outside the horizon of the scenario's plan";
    NoActivityAtInject => "S004", "no-activity-at-inject", Scenario, Error,
        "No activity of the plan is running when the event is injected";
    UnhandledEvent => "S005", "unhandled-event", Scenario, Error,
        "No procedure on the contingency path of the running activities handles the injected event";
    ExpectedContingencyMissed => "S006", "expected-contingency-missed", Scenario, Error,
        "The procedure a scenario expects is not on the contingency path of the running activities, or does not handle the event";
    IdleTrainee => "S007", "idle-trainee", Scenario, Error,
        "A trainee's role takes part in none of the scenario's events";
    InvalidTrainingRecord => "S008", "invalid-training-record", Scenario, Error,
        "A scenario's training record does not hold together: a trainee or instructor the plan's roster does not declare, the instructor also a trainee, an `outcome` without `held`";
    UndefinedRosterName => "W001", "undefined-roster-name", Staffing, Error,
        "A roster names a plan, person, position, on-call duty, phase or window that is not declared";
    UnstaffedPosition => "W002", "unstaffed-position", Staffing, Error,
        "A continuous position has fewer holders than its minimum for part of the time it must be held";
    UnfilledRole => "W003", "unfilled-role", Staffing, Warning,
        "No one on shift fills a role of an activity while it runs (an error for a critical activity)";
    UnqualifiedHolder => "W004", "unqualified-holder", Staffing, Error,
        "A person holds a position, or is assigned an activity, without a valid qualification then (expired, not yet valid, or never)";
    TraineeAlone => "W005", "trainee-alone", Staffing, Error,
        "A trainee holds a position with no qualified holder beside, and the position does not allow it";
    DoubleBooked => "W006", "double-booked", Staffing, Error,
        "A person is on two overlapping shifts, or on shift on one position and assigned an activity it does not fill";
    ShortDailyRest => "W007", "short-daily-rest", Staffing, Error,
        "A person's longest rest in the 24 hours from a start of work is shorter than the daily rest (11 h by default)";
    ShortWeeklyRest => "W008", "short-weekly-rest", Staffing, Error,
        "A person's longest rest in the 7 days from a start of work is shorter than the weekly rest (35 h by default)";
    ShiftTooLong => "W009", "shift-too-long", Staffing, Error,
        "A stretch of work (shifts and assigned activities that touch or overlap) is longer than the maximum shift (12 h by default)";
    WeekTooLong => "W010", "week-too-long", Staffing, Error,
        "A person works more than the maximum hours in a calendar week (48 h by default)";
    TooManyNights => "W011", "too-many-nights", Staffing, Warning,
        "A person works more night shifts in a row than the roster allows (3 by default)";
    ShortHandover => "W012", "short-handover", Staffing, Warning,
        "Consecutive holders of a continuous position overlap less than the handover (15 min by default)";
    OncallGap => "W013", "oncall-gap", Staffing, Error,
        "An on-call duty has no one on call, answering in time, for part of the time it must be held";
    OncallOnNightShift => "W014", "oncall-on-night-shift", Staffing, Error,
        "A person on call is working a night shift at the same time";
}

impl Code {
    /// Looks a code up by its code (`G001`) or name (`dependency-cycle`), case-insensitively.
    pub fn lookup(text: &str) -> Option<Code> {
        ALL_CODES.iter().copied().find(|c| {
            let i = c.info();
            i.code.eq_ignore_ascii_case(text) || i.name.eq_ignore_ascii_case(text)
        })
    }
}
