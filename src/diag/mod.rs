//! Findings as values: [`Diagnostic`] with a stable [`Code`], a severity, a primary label,
//! secondary labels and help. Nothing here renders; see `output`.

mod codes;
mod printable;
mod suggest;

pub use codes::{Code, CodeInfo, Family, ALL_CODES};
pub use printable::{is_unprintable, push_safe, safe_len, terminal_safe};
pub use suggest::{did_you_mean, or_list, Closeness, Suggester, Suggestion, MAX_LISTED};

use crate::source::Span;

/// How bad a finding is. Ordered: `Error` is the most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A place in a source with what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

impl Label {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Label {
            span,
            message: message.into(),
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    pub notes: Vec<String>,
    /// The flight rule (`FR-02`) a finding is about, for severity overrides and reports.
    pub flight_rule: Option<String>,
    /// Further flight rules the finding is about, after `flight_rule`: an `F002` names
    /// every rule that could not judge its activity.
    pub more_flight_rules: Vec<String>,
    /// The requirement IDs the finding traces to (a flight rule's `traces`).
    pub traces: Vec<String>,
    /// When the problem occurs (a flight-rule violation's interval).
    pub interval: Option<crate::time::Interval>,
}

impl Diagnostic {
    /// A diagnostic at the code's default severity.
    pub fn new(code: Code, message: impl Into<String>, primary: Label) -> Self {
        Diagnostic {
            code,
            severity: code.info().severity,
            message: message.into(),
            primary,
            secondary: Vec::new(),
            help: None,
            notes: Vec::new(),
            flight_rule: None,
            more_flight_rules: Vec::new(),
            traces: Vec::new(),
            interval: None,
        }
    }

    pub fn with_interval(mut self, interval: Option<crate::time::Interval>) -> Self {
        self.interval = interval;
        self
    }

    pub fn with_flight_rule(mut self, id: impl Into<String>, traces: &[String]) -> Self {
        self.flight_rule = Some(id.into());
        self.traces = traces.to_vec();
        self
    }

    /// A finding about several flight rules: the first is `flight_rule`, the others
    /// `more_flight_rules`; `traces` are all of theirs.
    pub fn with_flight_rules(mut self, ids: &[String], traces: &[String]) -> Self {
        self.flight_rule = ids.first().cloned();
        self.more_flight_rules = ids.iter().skip(1).cloned().collect();
        self.traces = traces.to_vec();
        self
    }

    /// Every flight rule the finding is about: `flight_rule`, then `more_flight_rules`.
    pub fn flight_rules(&self) -> impl Iterator<Item = &str> {
        self.flight_rule
            .iter()
            .chain(&self.more_flight_rules)
            .map(String::as_str)
    }

    pub fn with_secondary(mut self, label: Label) -> Self {
        self.secondary.push(label);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Stable order for output: file, position, code, message.
    pub fn sort_key(&self) -> (u32, u32, u32, &'static str, &str) {
        let s = self.primary.span;
        (
            s.file.0,
            s.start,
            s.end,
            self.code.info().code,
            &self.message,
        )
    }
}

/// Sorts diagnostics into their stable output order and drops exact duplicates.
pub fn sort_and_dedup(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup();
}
