//! Verification evidence per requirement (`evidence:` in `opsplan.yaml`, docs/tracing.md,
//! "Verification evidence"): test results (JUnit XML), tags in text files, the held
//! training scenarios and the as-flown log, each an [`Item`] with an [`Outcome`]; per
//! requirement a [`Verification`] rolled up from the outcomes of the items that are
//! evidence for it, and per heading the worst of its requirements.
//!
//! Tests and tags that name a requirement are traced artifacts too (kinds `test` and
//! `tag`): they cover what they name, as a `covers` does. Scenarios and as-flown rows
//! name no requirement: a scenario is evidence for what the procedures it `expect`s (and
//! their steps) cover, an as-flown row for what its activity covers.
//!
//! Pure: `workspace::evidence` reads the files and the as-flown log into [`Item`]s;
//! [`junit`] and [`tags`] read texts already in the `SourceDb`.

pub mod junit;
mod link;
pub mod tags;

pub use link::counted;
pub(super) use link::{add_artifacts, verify};

use crate::model::ProcIdx;
use crate::source::Span;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// `evidence:` in `opsplan.yaml`.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceConfig {
    /// JUnit XML result files (files or globs), relative to the project file.
    #[serde(default)]
    pub junit: Vec<JunitSource>,
    /// Text files holding tags (files or globs), relative to the project file.
    #[serde(default)]
    pub tags: Vec<TagSource>,
    /// The held training scenarios' outcomes are evidence for what the procedures they
    /// `expect` (and their steps) cover.
    #[serde(default)]
    pub scenarios: bool,
    /// The monthly report's as-flown log (CSV, XLSX, XLS, ODS): an activity `done` is
    /// evidence for what it covers.
    #[serde(default, rename = "as-flown")]
    pub as_flown: Option<PathBuf>,
}

/// One entry of `evidence: junit:`.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JunitSource {
    /// A file, or a glob (`*`, `?` within a name, `**` for any folders).
    pub path: String,
    /// A `<property name="…" value="ID, ID">` of a test case that names requirements.
    #[serde(default)]
    pub property: Option<String>,
    /// A regular expression over `classname::name`: each match names a requirement
    /// (its group 1, or the whole match).
    #[serde(default, rename = "name-pattern")]
    pub name_pattern: Option<String>,
    /// Compare names and ids folded: case-insensitive, `_ - . /` and blanks alike.
    #[serde(default)]
    pub fold: bool,
}

/// One entry of `evidence: tags:`.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagSource {
    /// A file, or a glob (`*`, `?` within a name, `**` for any folders).
    pub path: String,
    /// A regular expression; group 1 (or the whole match) holds one or several ids,
    /// separated by commas or blanks. Default [`DEFAULT_TAG_PATTERN`].
    #[serde(default)]
    pub pattern: Option<String>,
    /// Compare ids folded: case-insensitive, `_ - . /` and blanks alike.
    #[serde(default)]
    pub fold: bool,
}

/// `[covers: ATV-OPS-REQ-010]`, `[covers: R-1, R-2]`.
pub const DEFAULT_TAG_PATTERN: &str = r"\[covers:\s*([^\]]+)\]";

/// What happened to one piece of evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// A test case that passed, a scenario held with `outcome passed`, an activity `done`.
    Passed,
    /// A test case with `<failure>` or `<error>`, a scenario with `outcome failed`.
    Failed,
    /// A skipped test case, a tag (no result of its own), a scenario not held, held
    /// without an outcome or cancelled, an activity `cancelled` or `moved`.
    NotRun,
    /// An activity `partial` in the as-flown log.
    Partial,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::NotRun => "not-run",
            Outcome::Partial => "partial",
        }
    }
}

/// Where a piece of evidence comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    /// A JUnit test case.
    Test,
    /// A tag in a text file.
    Tag,
    /// A training scenario.
    Scenario,
    /// A row of the as-flown log.
    AsFlown,
}

impl EvidenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Test => "test",
            EvidenceKind::Tag => "tag",
            EvidenceKind::Scenario => "scenario",
            EvidenceKind::AsFlown => "as-flown",
        }
    }
}

/// A requirement id as a test or tag names it.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedId {
    /// As written.
    pub id: String,
    /// Where it is written (the test case or the tag).
    pub span: Span,
    /// Compared folded ([`fold`]).
    pub fold: bool,
}

/// What a piece of evidence is evidence for, besides the ids it names.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// The ids it names (tests and tags).
    Ids(Vec<NamedId>),
    /// The procedures a scenario `expect`s (resolved ones), and their steps.
    Procedures(Vec<ProcIdx>),
    /// An activity of the as-flown log, by id and plan (`None`: any plan that has it).
    Activity {
        activity: String,
        plan: Option<String>,
    },
}

/// One piece of evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub kind: EvidenceKind,
    /// `ops_tor_q002::dangling_covers_is_q002` (classname::name), `scripts/run.sh:12`,
    /// `SIM-RBT-01`, `W40 A09`.
    pub name: String,
    pub outcome: Outcome,
    /// The failure message, the reason given for a skip, the as-flown comment.
    pub message: Option<String>,
    /// Where it is (the `<testcase>`, the tag, the scenario, the as-flown cell).
    pub span: Span,
    pub target: Target,
}

/// A requirement's verification status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verification {
    /// At least one piece of evidence, all passed.
    Verified,
    /// Some passed, the others not run or partial (or every one partial).
    PartiallyVerified,
    /// Evidence exists and none of it ran.
    NotRun,
    /// Any piece of evidence failed.
    Failed,
    /// `evidence:` is configured and nothing is evidence for it.
    NoEvidence,
}

impl Verification {
    pub const ALL: [Verification; 5] = [
        Verification::Verified,
        Verification::PartiallyVerified,
        Verification::NotRun,
        Verification::Failed,
        Verification::NoEvidence,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verification::Verified => "verified",
            Verification::PartiallyVerified => "partially-verified",
            Verification::NotRun => "not-run",
            Verification::Failed => "failed",
            Verification::NoEvidence => "no-evidence",
        }
    }

    /// How bad it is, for the roll-up to headings: failed is worst, then no evidence,
    /// not run, partially verified, verified.
    pub fn rank(self) -> u8 {
        match self {
            Verification::Verified => 0,
            Verification::PartiallyVerified => 1,
            Verification::NotRun => 2,
            Verification::NoEvidence => 3,
            Verification::Failed => 4,
        }
    }

    /// The status of a set of outcomes.
    pub fn of(outcomes: impl IntoIterator<Item = Outcome>) -> Verification {
        let (mut any, mut passed, mut failed, mut partial, mut not_run) =
            (false, false, false, false, false);
        for o in outcomes {
            any = true;
            match o {
                Outcome::Passed => passed = true,
                Outcome::Failed => failed = true,
                Outcome::Partial => partial = true,
                Outcome::NotRun => not_run = true,
            }
        }
        if !any {
            Verification::NoEvidence
        } else if failed {
            Verification::Failed
        } else if passed && !partial && !not_run {
            Verification::Verified
        } else if passed || partial {
            Verification::PartiallyVerified
        } else {
            Verification::NotRun
        }
    }
}

/// The evidence of one requirement.
#[derive(Debug, Clone, PartialEq)]
pub struct ReqEvidence {
    pub status: Verification,
    /// Indices into [`Evidence::items`], in item order, each once.
    pub items: Vec<usize>,
}

/// The verification of a heading: the worst of the requirements under it (at any depth),
/// and how many have each status.
#[derive(Debug, Clone, PartialEq)]
pub struct HeadingVerification {
    /// The export of its first requirement.
    pub export: usize,
    /// The heading path, as shown ([`crate::reqs::HeadingPath::shown`]).
    pub path: Vec<String>,
    pub status: Verification,
    pub counts: BTreeMap<&'static str, usize>,
}

/// Counts for the summary line and `--min-verified`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct EvidenceSummary {
    /// Evidence items read.
    pub items: usize,
    pub items_by_outcome: BTreeMap<&'static str, usize>,
    /// Requirements by verification status (every requirement).
    pub by_status: BTreeMap<&'static str, usize>,
    /// The requirements `--min-verified` counts: every one but those not-required,
    /// withdrawn or justified.
    pub counted: usize,
    /// Of those, the verified ones.
    pub verified: usize,
}

impl EvidenceSummary {
    /// Verified ÷ counted, in percent (100 when none is counted).
    pub fn verified_percent(&self) -> f64 {
        if self.counted == 0 {
            100.0
        } else {
            100.0 * self.verified as f64 / self.counted as f64
        }
    }
}

/// The evidence of a trace, when `evidence:` is configured.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    pub items: Vec<Item>,
    /// One per [`crate::trace::Trace::requirements`], index for index.
    pub requirements: Vec<ReqEvidence>,
    /// Headings with requirements under them, in the order of their first requirement.
    pub headings: Vec<HeadingVerification>,
    pub summary: EvidenceSummary,
}

/// The training scenarios as evidence: each one, its outcome (`passed`, `failed`; not
/// run when cancelled, held without an outcome, or only prepared), for the procedures
/// its injects `expect` (those that resolve).
pub fn scenario_items(model: &crate::model::Model) -> Vec<Item> {
    use crate::syntax::ast::Outcome as Held;
    model
        .scenarios
        .iter()
        .map(|s| {
            let (outcome, message) = match (&s.ast.held, s.ast.outcome.as_ref().map(|o| o.value)) {
                (None, _) => (Outcome::NotRun, Some("prepared, not held".to_string())),
                (Some(_), None) => (
                    Outcome::NotRun,
                    Some("held, no outcome recorded".to_string()),
                ),
                (Some(_), Some(Held::Passed)) => (Outcome::Passed, None),
                (Some(_), Some(Held::Failed)) => {
                    (Outcome::Failed, Some("outcome failed".to_string()))
                }
                (Some(_), Some(Held::Cancelled)) => {
                    (Outcome::NotRun, Some("cancelled".to_string()))
                }
            };
            let mut procs: Vec<ProcIdx> = s
                .injects
                .iter()
                .flat_map(|i| i.expects.iter().flatten().copied())
                .collect();
            procs.sort_unstable();
            procs.dedup();
            Item {
                kind: EvidenceKind::Scenario,
                name: s.ast.id.value.clone(),
                outcome,
                message,
                span: s.ast.id.span,
                target: Target::Procedures(procs),
            }
        })
        .collect()
}

/// An id folded for comparison: lowercase, `_ - . /` and blanks as one `-`.
pub fn fold(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    let mut sep = false;
    for c in id.trim().chars() {
        if matches!(c, '_' | '-' | '.' | '/') || c.is_whitespace() {
            sep = true;
            continue;
        }
        if sep && !out.is_empty() {
            out.push('-');
        }
        sep = false;
        out.extend(c.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Outcome::*;

    #[test]
    fn the_status_of_a_requirement_rolls_up_its_outcomes() {
        assert_eq!(Verification::of([]), Verification::NoEvidence);
        assert_eq!(Verification::of([Passed, Passed]), Verification::Verified);
        assert_eq!(
            Verification::of([Passed, Failed, NotRun]),
            Verification::Failed
        );
        assert_eq!(
            Verification::of([Passed, NotRun]),
            Verification::PartiallyVerified
        );
        assert_eq!(
            Verification::of([Passed, Partial]),
            Verification::PartiallyVerified
        );
        assert_eq!(Verification::of([Partial]), Verification::PartiallyVerified);
        assert_eq!(Verification::of([NotRun, NotRun]), Verification::NotRun);
    }

    #[test]
    fn ids_fold_case_and_separators_alike() {
        assert_eq!(fold("OPS-TOR-Q002"), "ops-tor-q002");
        assert_eq!(fold("ops_tor_q002"), "ops-tor-q002");
        assert_eq!(fold(" Ops.Tor / Q002 "), "ops-tor-q002");
        assert_ne!(fold("OPS-TOR-Q0-02"), fold("OPS-TOR-Q002"));
    }

    #[test]
    fn the_config_reads_every_key_and_refuses_others() {
        let c: EvidenceConfig = serde_yaml::from_str(
            "junit:\n  - path: target/junit.xml\n    property: requirements\n    name-pattern: '(ops_tor_[a-z0-9_]+)::'\n    fold: true\ntags:\n  - path: 'scripts/**/*.sh'\nscenarios: true\nas-flown: as-flown.csv\n",
        )
        .unwrap();
        assert_eq!(c.junit[0].property.as_deref(), Some("requirements"));
        assert!(c.junit[0].fold && c.scenarios);
        assert_eq!(c.tags[0].pattern, None);
        assert_eq!(c.as_flown, Some(PathBuf::from("as-flown.csv")));
        assert!(serde_yaml::from_str::<EvidenceConfig>("junits: []").is_err());
        assert!(
            serde_yaml::from_str::<EvidenceConfig>("junit:\n  - path: a\n    colour: red\n")
                .is_err()
        );
    }
}
