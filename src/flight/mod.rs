//! Flight rules: declarative constraints over classes of activities, written in YAML
//! (`docs/flight-rules.md` is the reference for users).
//!
//! `load` turns a rule file's text into [`RuleSet`] values, with every problem located at
//! its YAML line and column (`F003`); `eval` checks a resolved plan against the rules
//! and returns [`Violation`] values. Neither does I/O: `workspace` reads the files.
//!
//! Layer: `model → flight → checks`.

mod eval;
mod load;

pub use eval::{evaluate, Evaluation, MissingName, Undecided, Unknown, Violation};
pub(crate) use load::RuleLocator;
pub use load::{
    kind_keys, load, COMMON_KEYS, FILE_KEYS, KINDS, MAX_RULE_FILE_BYTES, RULE_KEYS, SELECTOR_KEYS,
};

use crate::source::{FileId, Span};
use crate::time::Dur;

/// The rules of one file.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    pub file: Option<FileId>,
    /// The valid rules: the ones evaluated.
    pub rules: Vec<FlightRule>,
    /// The rules written in the file but not evaluated, because an `F003` found a problem
    /// in them (not the second definition of an id, whose first is evaluated).
    pub skipped: Vec<SkippedRule>,
    /// The file could not be read as a list of rules (unreadable, not UTF-8, too large,
    /// not YAML, no `rules:` list; or a `use rules` path that names no file): which rules
    /// it holds is unknown, and none of them is evaluated.
    pub unreadable: bool,
}

/// A rule of a file that is not evaluated (an `F003` says why).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedRule {
    /// Its `id:`, when that is text: the name a waiver would use.
    pub id: Option<String>,
    /// Where it is written (its `id:` value, else its first key).
    pub span: Span,
}

/// One flight rule, validated.
#[derive(Debug, Clone)]
pub struct FlightRule {
    /// `FR-02`
    pub id: String,
    pub title: String,
    pub check: Constraint,
    /// Requirement IDs the rule traces to.
    pub traces: Vec<String>,
    /// Where the rule is written (its `id:` value), for labels.
    pub span: Span,
    /// The rule's text (its item of the `rules:` list), where the words of its values
    /// are located after loading ([`load::RuleLocator`]).
    pub block: Span,
    /// Where the line holding the start of `block` starts (keys are told apart by column).
    pub block_line: u32,
}

/// Which activities a rule talks about. Every given field must match (and); a list
/// matches any of its values (or). An empty selector matches every activity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector {
    /// `kind` of the activity.
    pub kind: Vec<String>,
    /// Any of the activity's `tags`.
    pub tag: Vec<String>,
    /// Any of the activity's `by` roles, or the group such a role belongs to.
    pub role: Vec<String>,
    pub critical: Option<bool>,
    /// The phase the activity is written in.
    pub phase: Vec<String>,
    /// Activity ids, with `*` matching any run of characters (`A4*`).
    pub id: Vec<String>,
}

/// The constraint a rule states; bounds are documented in `docs/flight-rules.md`.
#[derive(Debug, Clone)]
pub enum Constraint {
    /// Between any two selected activities, at least `min` from the end of one to the
    /// start of the next.
    MinSeparation { select: Selector, min: Dur },
    /// No `a` activity within `margin` of a `b` activity.
    NoOverlap {
        a: Selector,
        b: Selector,
        margin: Dur,
    },
    /// The whole activity, widened by `margin` on both sides, inside the union of the
    /// windows.
    RequiresWindow {
        select: Selector,
        windows: Vec<String>,
        margin: Dur,
    },
    /// The activity, widened by `margin`, shares no time with the union of the windows.
    ForbiddenWindow {
        select: Selector,
        windows: Vec<String>,
        margin: Dur,
    },
    /// Every `a` ends at least `min_gap` (and at most `max_gap`) before every `b` starts;
    /// with `next_day`, `b` starts on a later UTC day than `a` ends.
    Precedence {
        a: Selector,
        b: Selector,
        min_gap: Dur,
        max_gap: Option<Dur>,
        next_day: bool,
    },
    /// Every selected activity has a `preceding` one ending between `max_gap` and
    /// `min_gap` before its start.
    RequiresPreceding {
        select: Selector,
        preceding: Selector,
        min_gap: Dur,
        max_gap: Option<Dur>,
    },
    /// Every selected activity has a `following` one starting between `min_gap` and
    /// `max_gap` after its end.
    RequiresFollowing {
        select: Selector,
        following: Selector,
        min_gap: Dur,
        max_gap: Option<Dur>,
    },
    /// The steps happen in this order: every activity of a step ends before any activity
    /// of the next step starts; a chain with some steps planned must have all of them.
    Sequence {
        steps: Vec<Selector>,
        max_gap: Option<Dur>,
    },
    /// In any window of `period`, at most `max_count` selected activities start, and
    /// selected activities run at most `max_duration` in total.
    MaxPerPeriod {
        select: Selector,
        period: Dur,
        max_count: Option<u32>,
        max_duration: Option<Dur>,
    },
    /// At no time do the activities using `resource` use more than `max` units (default:
    /// its declared capacity); with `select` instead, at most `max` selected activities
    /// run at once.
    ResourceCapacity {
        resource: Option<String>,
        select: Selector,
        max: Option<u32>,
    },
    /// For each member of the selected roles and each UTC day: at most `max_work` of
    /// activities, and none inside the `sleep` window.
    CrewDay {
        select: Selector,
        max_work: Option<Dur>,
        sleep: Option<String>,
    },
    /// Every selected activity has each role of `all`, and at least one of `any`, among
    /// its `by` roles (groups count both ways).
    RolesRequired {
        select: Selector,
        all: Vec<String>,
        any: Vec<String>,
    },
}

impl Constraint {
    /// The `kind:` keyword.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Constraint::MinSeparation { .. } => "min_separation",
            Constraint::NoOverlap { .. } => "no_overlap",
            Constraint::RequiresWindow { .. } => "requires_window",
            Constraint::ForbiddenWindow { .. } => "forbidden_window",
            Constraint::Precedence { .. } => "precedence",
            Constraint::RequiresPreceding { .. } => "requires_preceding",
            Constraint::RequiresFollowing { .. } => "requires_following",
            Constraint::Sequence { .. } => "sequence",
            Constraint::MaxPerPeriod { .. } => "max_per_period",
            Constraint::ResourceCapacity { .. } => "resource_capacity",
            Constraint::CrewDay { .. } => "crew_day",
            Constraint::RolesRequired { .. } => "roles_required",
        }
    }

    /// Every selector of the rule with the YAML key it is written under (`select`, `a`,
    /// `b`, `preceding`, `following`, `steps`).
    pub fn selectors(&self) -> Vec<(&'static str, &Selector)> {
        match self {
            Constraint::MinSeparation { select, .. }
            | Constraint::RequiresWindow { select, .. }
            | Constraint::ForbiddenWindow { select, .. }
            | Constraint::MaxPerPeriod { select, .. }
            | Constraint::ResourceCapacity { select, .. }
            | Constraint::CrewDay { select, .. }
            | Constraint::RolesRequired { select, .. } => vec![("select", select)],
            Constraint::NoOverlap { a, b, .. } | Constraint::Precedence { a, b, .. } => {
                vec![("a", a), ("b", b)]
            }
            Constraint::RequiresPreceding {
                select, preceding, ..
            } => vec![("select", select), ("preceding", preceding)],
            Constraint::RequiresFollowing {
                select, following, ..
            } => vec![("select", select), ("following", following)],
            Constraint::Sequence { steps, .. } => steps.iter().map(|s| ("steps", s)).collect(),
        }
    }

    /// The window names the rule refers to.
    pub fn windows(&self) -> Vec<&str> {
        match self {
            Constraint::RequiresWindow { windows, .. }
            | Constraint::ForbiddenWindow { windows, .. } => {
                windows.iter().map(String::as_str).collect()
            }
            Constraint::CrewDay { sleep: Some(s), .. } => vec![s.as_str()],
            _ => Vec::new(),
        }
    }
}
