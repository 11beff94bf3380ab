//! Findings as values: [`Diagnostic`] with a stable [`Code`], a severity, a primary label,
//! secondary labels and help. Nothing here renders; see `output`.

mod codes;

pub use codes::{Code, CodeInfo, Family, ALL_CODES};

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

/// "Did you mean …?": the closest candidate by Jaro-Winkler similarity, if close enough.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    Suggester::new(candidates.into_iter().collect(), 1).suggest(name)
}

/// Answers "did you mean …?" for many misspelt names against one candidate list.
///
/// A full scan compares a name with every candidate; for few names that is best. When
/// names × candidates would exceed [`Suggester::SCAN_LIMIT`] comparisons (thousands of
/// dangling references into a plan of 100,000 activities), candidates are instead
/// looked up by their one-character deletions (symmetric delete), which finds every
/// candidate within one edit, one transposition or one substitution of the name, in
/// time independent of the number of candidates. Either way the pick is the most
/// similar candidate by Jaro-Winkler (≥ 0.8), ties broken by name.
pub struct Suggester<'a> {
    names: Vec<&'a str>,
    lower: Vec<String>,
    /// One-deletion variants (and the names themselves) → candidate indices.
    deletes: Option<rustc_hash::FxHashMap<String, Vec<u32>>>,
}

impl<'a> Suggester<'a> {
    /// Above this many comparisons the deletion index is built instead of scanning.
    pub const SCAN_LIMIT: usize = 2_000_000;

    /// `queries` is how many names will be looked up (a hint for the strategy).
    pub fn new(names: Vec<&'a str>, queries: usize) -> Self {
        let lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
        let deletes = (names.len().saturating_mul(queries) > Self::SCAN_LIMIT).then(|| {
            let mut index: rustc_hash::FxHashMap<String, Vec<u32>> = Default::default();
            for (i, l) in lower.iter().enumerate() {
                for v in variants(l) {
                    index.entry(v).or_default().push(i as u32);
                }
            }
            index
        });
        Suggester {
            names,
            lower,
            deletes,
        }
    }

    /// The candidate closest to `name`, if close enough.
    pub fn suggest(&self, name: &str) -> Option<&'a str> {
        let query = name.to_lowercase();
        let mut best: Option<(f64, &'a str)> = None;
        let mut consider = |i: usize| {
            let c = self.names[i];
            if c == name {
                return;
            }
            let score = strsim::jaro_winkler(&query, &self.lower[i]);
            if score >= 0.8 && best.is_none_or(|(s, b)| score > s || (score == s && c < b)) {
                best = Some((score, c));
            }
        };
        match &self.deletes {
            None => (0..self.names.len()).for_each(&mut consider),
            Some(index) => {
                let mut seen: Vec<u32> = variants(&query)
                    .filter_map(|v| index.get(&v))
                    .flatten()
                    .copied()
                    .collect();
                seen.sort_unstable();
                seen.dedup();
                seen.into_iter().for_each(|i| consider(i as usize));
            }
        }
        best.map(|(_, c)| c)
    }
}

/// A name and each of its one-character deletions.
fn variants(name: &str) -> impl Iterator<Item = String> + '_ {
    std::iter::once(name.to_string()).chain(name.char_indices().map(move |(i, c)| {
        let mut v = String::with_capacity(name.len());
        v.push_str(&name[..i]);
        v.push_str(&name[i + c.len_utf8()..]);
        v
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestion_picks_the_closest_name() {
        let names = ["A11", "A12", "MCC-M", "MCC-H"];
        assert_eq!(did_you_mean("MCC-N", names), Some("MCC-H"));
        assert_eq!(did_you_mean("ZZZZZZ", names), None);
    }

    #[test]
    fn the_deletion_index_finds_near_misses_among_many_names() {
        let owned: Vec<String> = (0..50_000).map(|i| format!("A{i}")).collect();
        let names: Vec<&str> = owned.iter().map(String::as_str).collect();
        let s = Suggester::new(names, 1_000);
        assert!(s.deletes.is_some(), "large inputs use the index");
        assert_eq!(s.suggest("A1234x"), Some("A1234")); // one insertion
        assert_eq!(s.suggest("a777"), Some("A777")); // case only
        assert_eq!(s.suggest("B1234"), Some("A1234")); // one substitution
        assert_eq!(s.suggest("QQQQQQQQ"), None);
        // Same pick as a full scan when the name is one edit away.
        let few = Suggester::new(vec!["MCC-M", "MCC-H", "FD"], 1);
        assert!(few.deletes.is_none());
        assert_eq!(few.suggest("MCC-N"), Some("MCC-H"));
    }
}
