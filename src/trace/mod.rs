//! Tracing: which requirements the plans, procedures, steps and flight rules cover, and
//! what is wrong with each trace.
//!
//! A trace link is a `covers` (activity, procedure, step) or a flight rule's `traces`
//! entry. Each link gets a [`LinkStatus`] and each requirement a [`ReqStatus`], the
//! statuses of `../shared/design/TRACING.md`: covered, uncovered (for the requirements
//! that need coverage, see [`Need`]), justified gap, dangling, withdrawn (deleted or
//! rejected yet still cited), duplicate, ambiguous, suspect (against a baseline export,
//! or the fingerprint recorded beside the `covers`). Problems are diagnostics `Q002` to
//! `Q008`, located at the `covers`, in the export, or in `opsplan.yaml`.
//!
//! No I/O: `workspace` reads the exports and the project file.
//!
//! Layer: `model, flight, reqs → trace → workspace`.

mod dangling;
pub mod evidence;
pub mod follow;
pub mod impact;
pub mod writeback;

pub use dangling::DanglingWhy;

use crate::diag::{Code, Diagnostic, Label, Suggester};
use crate::flight::RuleSet;
use crate::model::{Model, ProcIdx};
use crate::reqs::{AttrValue, Export, ReqLocation, ReqObject};
use crate::source::{FileId, SourceDb, Span};
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;

/// Shortest fingerprint prefix accepted after `@` in a `covers`.
pub const MIN_STAMP: usize = 8;
/// Length of the fingerprint prefix opsplan prints for users to record.
pub const SHOWN_STAMP: usize = 12;

/// Which requirements need coverage. Every given field must match; an empty `Need`
/// means every requirement (headings never need coverage).
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Need {
    /// Ids starting with one of these (`ATV-OPS-REQ-`).
    #[serde(default)]
    pub prefixes: Vec<String>,
    /// Modules (DOORS module, ReqIF specification, sheet) named here.
    #[serde(default)]
    pub modules: Vec<String>,
    /// An attribute that decides (`Verification Method`), matched ignoring case and
    /// punctuation.
    #[serde(default)]
    pub attribute: Option<String>,
    /// The values of `attribute` that need coverage (case-insensitive); empty: any
    /// non-empty value (with `except`: any value not excepted, or none).
    #[serde(default)]
    pub values: Vec<String>,
    /// The values of `attribute` that do not need coverage (case-insensitive):
    /// `except: [Information, Heading]`.
    #[serde(default)]
    pub except: Vec<String>,
}

/// Which requirements are withdrawn (deleted or rejected): cited, they are a finding;
/// uncovered, they are not.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Withdrawn {
    /// The status attribute (`Status`), matched ignoring case and punctuation.
    pub attribute: String,
    /// Its values that mean withdrawn (case-insensitive).
    pub values: Vec<String>,
}

/// Status attributes and values recognised when no [`Withdrawn`] is configured (besides
/// `ReqIF.ForeignDeleted = true`, which DOORS writes for deleted objects).
pub const DEFAULT_STATUS_ATTRIBUTES: &[&str] =
    &["status", "state", "lifecyclestate", "objectstatus"];
pub const DEFAULT_WITHDRAWN_VALUES: &[&str] = &[
    "deleted",
    "rejected",
    "obsolete",
    "withdrawn",
    "cancelled",
    "canceled",
];

/// A recorded reason why a requirement needing coverage has none (a justified gap).
#[derive(Debug, Clone, PartialEq)]
pub struct Justification {
    pub id: String,
    pub reason: String,
    /// Where it is recorded (in `opsplan.yaml`), when known.
    pub span: Option<Span>,
}

/// How tracing is judged.
#[derive(Debug, Clone, Default)]
pub struct TracePolicy {
    pub need: Need,
    /// The `need:` of named modules (`requirements: modules:`), in place of `need` for
    /// their requirements.
    pub module_need: BTreeMap<String, Need>,
    /// How the cited ids were made from the exports' (the `id` attribute, prefixes), to
    /// say what to cite when an export's own id is cited.
    pub ids: crate::reqs::ids::CitedIds,
    /// `None`: the defaults ([`DEFAULT_STATUS_ATTRIBUTES`]).
    pub withdrawn: Option<Withdrawn>,
    /// Attributes whose change makes a trace suspect, besides the id, heading and text.
    pub fingerprint: Vec<String>,
    pub justified: Vec<Justification>,
    /// Which requirement links carry a change (`requirements: impact:`).
    pub impact: follow::ImpactConfig,
    /// What is written back into DOORS (`requirements: writeback:`).
    pub writeback: writeback::WritebackConfig,
    /// `evidence:` of the project file, when given (paths as written there).
    pub evidence: Option<evidence::EvidenceConfig>,
}

/// What cites requirements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ArtifactKind {
    Activity,
    Procedure,
    Step,
    FlightRule,
    /// A test case of a JUnit result file (`evidence: junit:`).
    Test,
    /// A tag in a text file (`evidence: tags:`).
    Tag,
}

impl ArtifactKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ArtifactKind::Activity => "activity",
            ArtifactKind::Procedure => "procedure",
            ArtifactKind::Step => "step",
            ArtifactKind::FlightRule => "flight rule",
            ArtifactKind::Test => "test",
            ArtifactKind::Tag => "tag",
        }
    }

    /// True for the kinds that write ids as they are (a flight rule's `traces`, a test,
    /// a tag), not as a `covers` of the language does.
    pub fn writes_ids_verbatim(self) -> bool {
        matches!(
            self,
            ArtifactKind::FlightRule | ArtifactKind::Test | ArtifactKind::Tag
        )
    }
}

/// An activity, procedure, step or flight rule that cites requirements.
#[derive(Debug, Clone)]
pub struct Artifact {
    pub kind: ArtifactKind,
    /// `A09`, `ATV-FCP-REF-010 v3.2`, `ATV-FCP-REF-010 v3.2 step 2`, `FR-05`.
    pub name: String,
    /// The plan (for activities) or rule file it belongs to, for display.
    pub context: Option<String>,
    /// Its title, when it has one.
    pub title: Option<String>,
    /// Where it is defined.
    pub span: Span,
    /// Its node in the model, for impact analysis.
    pub node: Option<crate::model::Node>,
}

/// The status of one trace link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkStatus {
    /// The requirement exists once, is in force, and has not changed since the trace.
    Covers,
    /// The requirement changed since the trace was made.
    Suspect,
    /// No requirement has this id.
    Dangling,
    /// The requirement is deleted or rejected.
    Withdrawn,
    /// Several requirements have this id.
    Ambiguous,
}

impl LinkStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkStatus::Covers => "covers",
            LinkStatus::Suspect => "suspect",
            LinkStatus::Dangling => "dangling",
            LinkStatus::Withdrawn => "withdrawn",
            LinkStatus::Ambiguous => "ambiguous",
        }
    }

    /// True for the statuses that make `opsplan trace` fail.
    pub fn is_defect(self) -> bool {
        self != LinkStatus::Covers
    }
}

/// Why a link is suspect.
#[derive(Debug, Clone, PartialEq)]
pub enum SuspectWhy {
    /// The baseline's text (or fingerprinted attributes) differ from the current ones.
    ChangedSinceBaseline { old_text: String },
    /// The fingerprint recorded beside the `covers` is not the requirement's.
    StampMismatch { recorded: String },
}

/// One `covers` or `traces` entry.
#[derive(Debug, Clone)]
pub struct TraceLink {
    /// Index into [`Trace::artifacts`].
    pub artifact: usize,
    /// The id as written.
    pub cited: String,
    /// The fingerprint prefix written after `@`.
    pub stamp: Option<String>,
    /// Where the id is written.
    pub span: Span,
    pub status: LinkStatus,
    /// Index into [`Trace::requirements`] (the first, when ambiguous).
    pub requirement: Option<usize>,
    /// For dangling links: the closest ids ("did you mean"), equally close, in id order;
    /// empty when none is close, or when [`TraceLink::why`] says why it dangles.
    pub suggestions: Vec<String>,
    /// For dangling links: why, when it can be told (an export id, deleted since the
    /// baseline).
    pub why: Option<DanglingWhy>,
    pub suspect: Option<SuspectWhy>,
}

/// The status of one requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReqStatus {
    /// Covered by at least one link, none of them suspect.
    Covered,
    /// Covered, but a link was made against an older text.
    Suspect,
    /// Needs coverage and has none.
    Uncovered,
    /// Needs coverage, has none, and a justification is recorded.
    Justified,
    /// Does not need coverage and has none.
    NotRequired,
    /// Deleted or rejected.
    Withdrawn,
    /// Its id is defined more than once.
    Duplicate,
}

impl ReqStatus {
    pub const ALL: [ReqStatus; 7] = [
        ReqStatus::Covered,
        ReqStatus::Suspect,
        ReqStatus::Uncovered,
        ReqStatus::Justified,
        ReqStatus::NotRequired,
        ReqStatus::Withdrawn,
        ReqStatus::Duplicate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReqStatus::Covered => "covered",
            ReqStatus::Suspect => "suspect",
            ReqStatus::Uncovered => "uncovered",
            ReqStatus::Justified => "justified",
            ReqStatus::NotRequired => "not-required",
            ReqStatus::Withdrawn => "withdrawn",
            ReqStatus::Duplicate => "duplicate",
        }
    }

    /// True for the statuses that make `opsplan trace` fail.
    pub fn is_defect(self) -> bool {
        matches!(
            self,
            ReqStatus::Suspect | ReqStatus::Uncovered | ReqStatus::Duplicate
        )
    }
}

/// One requirement (headings are not traced).
#[derive(Debug, Clone)]
pub struct ReqEntry {
    /// Index of the export in the inputs, and of the object in it.
    pub export: usize,
    pub object: usize,
    pub id: String,
    pub status: ReqStatus,
    pub needs_coverage: bool,
    /// Indices into [`Trace::links`], in link order.
    pub links: Vec<usize>,
    pub justification: Option<String>,
    /// The file the object is written in (the export, or its member of a ReqIFz), and
    /// the object's place in it.
    pub file: Option<FileId>,
    pub span: Span,
    /// The fingerprint traces are judged by (with the policy's attributes).
    pub fingerprint: String,
}

/// Counts for the summary line and the reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub requirements: usize,
    /// Requirements that need coverage (not withdrawn).
    pub needing_coverage: usize,
    /// Of those, the ones with at least one link (covered or suspect).
    pub covered: usize,
    pub by_status: BTreeMap<&'static str, usize>,
    pub links: usize,
    pub links_by_status: BTreeMap<&'static str, usize>,
    pub artifacts: usize,
}

impl Summary {
    /// Coverage in percent of the requirements that need it (100 when none do).
    pub fn coverage_percent(&self) -> f64 {
        if self.needing_coverage == 0 {
            100.0
        } else {
            100.0 * self.covered as f64 / self.needing_coverage as f64
        }
    }
}

/// The trace of a run.
#[derive(Debug, Clone, Default)]
pub struct Trace {
    pub requirements: Vec<ReqEntry>,
    pub artifacts: Vec<Artifact>,
    pub links: Vec<TraceLink>,
    /// `Q002`–`Q010`, unsorted.
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
    /// The verification of each requirement, when `evidence:` is configured.
    pub evidence: Option<evidence::Evidence>,
}

impl Trace {
    /// True when any requirement or link has a defect status, or a test, tag or
    /// as-flown row is ambiguous (`opsplan trace` exits 1).
    pub fn has_defects(&self) -> bool {
        self.requirements.iter().any(|r| r.status.is_defect())
            || self.links.iter().any(|l| l.status.is_defect())
            || self
                .diagnostics
                .iter()
                .any(|d| d.code == Code::AmbiguousEvidence)
    }

    /// The object of a requirement entry.
    pub fn object<'a>(&self, exports: &'a [Export], r: &ReqEntry) -> &'a ReqObject {
        &exports[r.export].objects[r.object]
    }
}

/// What the trace reads.
pub struct Inputs<'a> {
    pub model: &'a Model,
    pub rule_sets: &'a [RuleSet],
    pub sources: &'a SourceDb,
    /// The current requirements.
    pub exports: &'a [Export],
    /// An older baseline: a requirement whose fingerprint differs there makes the links
    /// to it suspect (unless they record the current fingerprint).
    pub baseline: Option<&'a [Export]>,
    pub policy: &'a TracePolicy,
    /// The verification evidence read (`None`: `evidence:` is not configured).
    pub evidence: Option<&'a [evidence::Item]>,
}

pub use crate::reqs::attribute_key;

fn attribute<'o>(o: &'o ReqObject, key: &str) -> Option<&'o AttrValue> {
    o.attributes
        .iter()
        .find(|(k, _)| attribute_key(k) == key)
        .map(|(_, v)| v)
}

fn value_is<S: AsRef<str>>(v: &AttrValue, wanted: &[S]) -> bool {
    let eq = |s: &str| {
        wanted
            .iter()
            .any(|w| w.as_ref().trim().eq_ignore_ascii_case(s.trim()))
    };
    match v {
        AttrValue::Enum(values) => values.iter().any(|x| eq(x)),
        other => eq(&other.display()),
    }
}

impl TracePolicy {
    /// The `need` of a requirement: its module's, else the common one.
    pub fn need_for(&self, o: &ReqObject) -> &Need {
        o.module
            .as_deref()
            .and_then(|m| self.module_need.get(m))
            .unwrap_or(&self.need)
    }
}

impl Need {
    /// True when the requirement needs coverage.
    pub fn applies(&self, o: &ReqObject) -> bool {
        if !self.prefixes.is_empty() && !self.prefixes.iter().any(|p| o.id.starts_with(p.as_str()))
        {
            return false;
        }
        if !self.modules.is_empty()
            && !o
                .module
                .as_deref()
                .is_some_and(|m| self.modules.iter().any(|w| w == m))
        {
            return false;
        }
        if let Some(a) = &self.attribute {
            let v = attribute(o, &attribute_key(a));
            if v.is_some_and(|v| value_is(v, &self.except)) {
                return false;
            }
            if !self.values.is_empty() {
                return v.is_some_and(|v| value_is(v, &self.values));
            }
            if !self.except.is_empty() {
                // Everything but the values excepted: a requirement without a value is
                // not excepted, so it needs coverage.
                return true;
            }
            return v.is_some_and(|v| !v.display().trim().is_empty());
        }
        true
    }
}

/// True when the object is deleted or rejected.
pub fn is_withdrawn(o: &ReqObject, rule: Option<&Withdrawn>) -> bool {
    if let Some(AttrValue::Bool(true)) = o.attributes.get("ReqIF.ForeignDeleted") {
        return true;
    }
    match rule {
        Some(w) => {
            attribute(o, &attribute_key(&w.attribute)).is_some_and(|v| value_is(v, &w.values))
        }
        None => o.attributes.iter().any(|(k, v)| {
            DEFAULT_STATUS_ATTRIBUTES.contains(&attribute_key(k).as_str())
                && value_is(v, DEFAULT_WITHDRAWN_VALUES)
        }),
    }
}

/// Splits a flight rule's `traces` entry into the id and the recorded fingerprint.
pub fn split_stamp(entry: &str) -> (&str, Option<&str>) {
    match entry.rsplit_once('@') {
        Some((id, stamp)) if !stamp.is_empty() && stamp.chars().all(|c| c.is_ascii_hexdigit()) => {
            (id.trim(), Some(stamp))
        }
        _ => (entry.trim(), None),
    }
}

/// The span in `sources` of an object's location in `file` (the export, or the member of
/// a ReqIFz it is in: [`Export::file_of`]); the start of the file when the file has no
/// text, as for a workbook.
pub fn object_span(sources: &SourceDb, file: Option<FileId>, loc: &ReqLocation) -> Span {
    let Some(file) = file.filter(|f| (f.0 as usize) < sources.len()) else {
        return Span::new(FileId(0), 0..0);
    };
    let (line, column) = match loc {
        ReqLocation::Text { line, column } | ReqLocation::Xml { line, column, .. } => {
            (*line, *column)
        }
        ReqLocation::Cell { .. } => return Span::new(file, 0..0),
    };
    let f = sources.get(file);
    let line = line.max(1);
    if line > f.line_index.line_starts().len() {
        return Span::new(file, 0..0);
    }
    let range = f.line_index.line_range(&f.text, line - 1);
    // By the line index: a walk along the line would make an export on one line quadratic.
    let at = f.line_index.offset_of(&f.text, line - 1, column);
    // The id or the element name: up to the next separator.
    let rest = &f.text[at..range.end];
    let len = rest
        .find([',', ';', '\t', ' ', '>', '"'])
        .unwrap_or(rest.len())
        .max(1)
        .min(rest.len());
    Span::new(file, at..at + len)
}

/// Where an object is, in words: `sheet Requirements, cell A7` for workbooks.
pub fn location_words(loc: &ReqLocation) -> Option<String> {
    match loc {
        ReqLocation::Cell { sheet, cell } => Some(format!("sheet {sheet}, cell {cell}")),
        _ => None,
    }
}

struct Cite<'a> {
    id: &'a str,
    stamp: Option<&'a str>,
    span: Span,
}

/// Collects the artifacts and their cites, in model order.
fn collect<'a>(inp: &Inputs<'a>) -> (Vec<Artifact>, Vec<(usize, Cite<'a>)>) {
    use crate::model::Node;
    let mut artifacts = Vec::new();
    let mut cites = Vec::new();
    let m = inp.model;
    for (pi, plan) in m.plans.iter().enumerate() {
        for (ai, a) in plan.activities.iter().enumerate() {
            if a.ast.covers.is_empty() {
                continue;
            }
            let idx = artifacts.len();
            artifacts.push(Artifact {
                kind: ArtifactKind::Activity,
                name: a.ast.id.value.clone(),
                context: Some(plan.id.value.clone()),
                title: a.ast.title.as_ref().map(|t| t.value.clone()),
                span: a.ast.id.span,
                node: Some(Node::Activity {
                    plan: pi,
                    activity: ai,
                }),
            });
            for c in &a.ast.covers {
                cites.push((idx, cite(c)));
            }
        }
    }
    for (pi, p) in m.procedures.iter().enumerate() {
        if p.incomplete {
            continue;
        }
        if !p.ast.covers.is_empty() {
            let idx = artifacts.len();
            artifacts.push(procedure_artifact(m, pi));
            for c in &p.ast.covers {
                cites.push((idx, cite(c)));
            }
        }
        for (si, step) in p.ast.steps.iter().enumerate() {
            if step.covers.is_empty() {
                continue;
            }
            let idx = artifacts.len();
            artifacts.push(Artifact {
                kind: ArtifactKind::Step,
                name: format!("{} step {}", p.display_name(), step.label.value),
                context: None,
                title: step.title.as_ref().map(|t| t.value.clone()),
                span: step.label.span,
                node: Some(Node::Step {
                    procedure: pi,
                    step: si,
                }),
            });
            for c in &step.covers {
                cites.push((idx, cite(c)));
            }
        }
    }
    for set in inp.rule_sets {
        for r in &set.rules {
            if r.traces.is_empty() {
                continue;
            }
            let idx = artifacts.len();
            let text = inp.sources.text(r.span.file);
            artifacts.push(Artifact {
                kind: ArtifactKind::FlightRule,
                name: r.id.clone(),
                context: Some(inp.sources.path(r.span.file).display().to_string()),
                title: Some(r.title.clone()).filter(|t| !t.is_empty()),
                span: r.span,
                node: None,
            });
            let mut locator = crate::flight::RuleLocator::new(text, r);
            for entry in &r.traces {
                let (id, stamp) = split_stamp(entry);
                let span = locator.locate(entry, "traces");
                cites.push((idx, Cite { id, stamp, span }));
            }
        }
    }
    (artifacts, cites)
}

fn cite(c: &crate::syntax::ast::Cite) -> Cite<'_> {
    Cite {
        id: &c.id.value,
        stamp: c.stamp.as_ref().map(|s| s.value.as_str()),
        span: c.id.span,
    }
}

pub(crate) fn procedure_artifact(m: &Model, pi: ProcIdx) -> Artifact {
    let p = &m.procedures[pi];
    Artifact {
        kind: ArtifactKind::Procedure,
        name: p.display_name(),
        context: None,
        title: p.ast.title.as_ref().map(|t| t.value.clone()),
        span: p.ast.id.span,
        node: Some(crate::model::Node::Procedure(pi)),
    }
}

/// Traces the model and the flight rules to the requirements.
pub fn trace(inp: &Inputs) -> Trace {
    let policy = inp.policy;
    // Requirements, and the headings (cited by mistake, they are not requirements).
    let mut requirements = Vec::new();
    let mut index: HashMap<&str, Vec<usize>> = HashMap::default();
    let mut headings: HashMap<&str, &ReqObject> = HashMap::default();
    for (ei, e) in inp.exports.iter().enumerate() {
        let members = e.member_files();
        for (oi, o) in e.objects.iter().enumerate() {
            if o.is_heading {
                headings.insert(&o.id, o);
                continue;
            }
            index.entry(&o.id).or_default().push(requirements.len());
            let withdrawn = is_withdrawn(o, policy.withdrawn.as_ref());
            requirements.push(ReqEntry {
                export: ei,
                object: oi,
                id: o.id.clone(),
                status: if withdrawn {
                    ReqStatus::Withdrawn
                } else {
                    ReqStatus::Uncovered
                },
                needs_coverage: !withdrawn && policy.need_for(o).applies(o),
                links: Vec::new(),
                justification: None,
                file: e.file_of(&members, &o.location),
                span: object_span(inp.sources, e.file_of(&members, &o.location), &o.location),
                fingerprint: o.fingerprint_with(&policy.fingerprint),
            });
        }
    }
    // The baseline's fingerprints and texts, by id (the first object of an id).
    let mut baseline: HashMap<&str, (String, &str)> = HashMap::default();
    for o in inp.baseline.unwrap_or(&[]).iter().flat_map(|e| &e.objects) {
        if !o.is_heading {
            baseline
                .entry(&o.id)
                .or_insert_with(|| (o.fingerprint_with(&policy.fingerprint), &o.text));
        }
    }

    let (mut artifacts, mut cites) = collect(inp);
    let (evidence_artifacts, mut evidence_findings) = match inp.evidence {
        Some(items) => evidence::add_artifacts(items, &index, &mut artifacts, &mut cites),
        None => Default::default(),
    };
    // Why each dangling id dangles, when it can be told (not for a heading's id, which
    // says so itself); "did you mean" only for the others.
    let mut why: HashMap<&str, DanglingWhy> = HashMap::default();
    let mut ask = false;
    if cites.iter().any(|(_, c)| !index.contains_key(c.id)) {
        let lookup = dangling::Lookup::new(&requirements, inp.exports, inp.baseline, inp.sources);
        for (_, c) in &cites {
            if index.contains_key(c.id) || why.contains_key(c.id) {
                continue;
            }
            let told = match headings.contains_key(c.id) {
                true => None,
                false => lookup.why(c.id, &index, &requirements, inp.exports, &policy.ids),
            };
            match told {
                Some(w) => {
                    why.insert(c.id, w);
                }
                None => ask = true,
            }
        }
    }
    // "Did you mean" for every other dangling id, asked together (the deletion index
    // when there are many ids: `diag::Suggester`).
    let mut suggested: HashMap<&str, Vec<String>> = HashMap::default();
    if ask {
        let names: Vec<&str> = index.keys().copied().collect();
        let queries: Vec<&str> = cites
            .iter()
            .map(|(_, c)| c.id)
            .filter(|id| !index.contains_key(id) && !why.contains_key(id))
            .collect();
        let answers = Suggester::new(names).suggest_all(&queries);
        for (q, a) in queries.into_iter().zip(answers) {
            if let Some(a) = a {
                suggested.insert(q, a.names().iter().map(|s| s.to_string()).collect());
            }
        }
    }
    let mut links = Vec::with_capacity(cites.len());
    for (artifact, c) in cites {
        let found = index.get(c.id);
        let mut link = TraceLink {
            artifact,
            cited: c.id.to_string(),
            stamp: c.stamp.map(str::to_string),
            span: c.span,
            status: LinkStatus::Covers,
            requirement: found.map(|v| v[0]),
            suggestions: Vec::new(),
            why: None,
            suspect: None,
        };
        match found {
            None => {
                link.status = LinkStatus::Dangling;
                link.suggestions = suggested.get(c.id).cloned().unwrap_or_default();
                link.why = why.get(c.id).cloned();
            }
            Some(v) if v.len() > 1 => link.status = LinkStatus::Ambiguous,
            Some(v) => {
                let r = &requirements[v[0]];
                if r.status == ReqStatus::Withdrawn {
                    link.status = LinkStatus::Withdrawn;
                } else if let Some(stamp) = c.stamp {
                    if stamp.len() < MIN_STAMP || !r.fingerprint.starts_with(stamp) {
                        link.status = LinkStatus::Suspect;
                        link.suspect = Some(SuspectWhy::StampMismatch {
                            recorded: stamp.to_string(),
                        });
                    }
                } else if let Some((fp, old_text)) = baseline.get(c.id) {
                    if *fp != r.fingerprint {
                        link.status = LinkStatus::Suspect;
                        link.suspect = Some(SuspectWhy::ChangedSinceBaseline {
                            old_text: old_text.to_string(),
                        });
                    }
                }
            }
        }
        if let Some(v) = found {
            for &ri in v {
                requirements[ri].links.push(links.len());
            }
        }
        links.push(link);
    }

    // Requirement statuses.
    let justified: HashMap<&str, &Justification> = policy
        .justified
        .iter()
        .map(|j| (j.id.as_str(), j))
        .collect();
    for r in &mut requirements {
        if index[r.id.as_str()].len() > 1 {
            r.status = ReqStatus::Duplicate;
            continue;
        }
        if r.status == ReqStatus::Withdrawn {
            continue;
        }
        let statuses = r.links.iter().map(|&l| links[l].status);
        r.status = if statuses.clone().any(|s| s == LinkStatus::Suspect) {
            ReqStatus::Suspect
        } else if !r.links.is_empty() {
            ReqStatus::Covered
        } else if !r.needs_coverage {
            ReqStatus::NotRequired
        } else if let Some(j) = justified.get(r.id.as_str()) {
            r.justification = Some(j.reason.clone());
            ReqStatus::Justified
        } else {
            ReqStatus::Uncovered
        };
    }

    let mut t = Trace {
        requirements,
        artifacts,
        links,
        diagnostics: Vec::new(),
        summary: Summary::default(),
        evidence: None,
    };
    t.diagnostics = findings(&t, inp, &index, &headings);
    t.summary = summarize(&t);
    if let Some(items) = inp.evidence {
        let (e, more) = evidence::verify(&t, items, &evidence_artifacts, inp.model, inp.exports);
        evidence_findings.extend(more);
        t.diagnostics.extend(evidence_findings);
        t.evidence = Some(e);
    }
    t
}

fn summarize(t: &Trace) -> Summary {
    let mut s = Summary {
        requirements: t.requirements.len(),
        links: t.links.len(),
        artifacts: t.artifacts.len(),
        ..Summary::default()
    };
    for st in ReqStatus::ALL {
        s.by_status.insert(st.as_str(), 0);
    }
    for r in &t.requirements {
        *s.by_status.entry(r.status.as_str()).or_default() += 1;
        if r.needs_coverage {
            s.needing_coverage += 1;
            if matches!(r.status, ReqStatus::Covered | ReqStatus::Suspect) {
                s.covered += 1;
            }
        }
    }
    for l in &t.links {
        *s.links_by_status.entry(l.status.as_str()).or_default() += 1;
    }
    s
}

fn short(s: &str) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 90 {
        format!("{}…", one.chars().take(89).collect::<String>())
    } else {
        one
    }
}

/// The two texts (runs of blanks as one space) cut to 90 characters around where they
/// first differ, `…` marking each cut; `None` when they differ only in blanks.
fn around_difference(old: &str, new: &str) -> Option<(String, String)> {
    let words = |s: &str| -> Vec<char> {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .collect()
    };
    let (a, b) = (words(old), words(new));
    if a == b {
        return None;
    }
    let first = a
        .iter()
        .zip(&b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let start = first.saturating_sub(40);
    let cut = |v: &[char]| {
        let from = start.min(v.len());
        let end = (from + 90).min(v.len());
        let mut s = String::new();
        if from > 0 {
            s.push('…');
        }
        s.extend(&v[from..end]);
        if end < v.len() {
            s.push('…');
        }
        s
    };
    Some((cut(&a), cut(&b)))
}

fn findings(
    t: &Trace,
    inp: &Inputs,
    index: &HashMap<&str, Vec<usize>>,
    headings: &HashMap<&str, &ReqObject>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let obj = |ri: usize| t.object(inp.exports, &t.requirements[ri]);
    let by = |l: &TraceLink| {
        let a = &t.artifacts[l.artifact];
        format!("{} {}", a.kind.as_str(), a.name)
    };
    for l in &t.links {
        let d = match l.status {
            LinkStatus::Covers => continue,
            LinkStatus::Dangling if l.why.is_some() => {
                let why = l.why.as_ref().expect("checked");
                dangling::finding(l, why, by(l), t.artifacts[l.artifact].kind)
            }
            LinkStatus::Dangling => {
                let mut d = Diagnostic::new(
                    Code::UnknownRequirement,
                    format!(
                        "{} cites requirement `{}`, which no export holds",
                        by(l),
                        l.cited
                    ),
                    Label::new(l.span, "not in the requirements"),
                );
                if let Some(h) = headings.get(l.cited.as_str()) {
                    let title = h.heading.as_deref().unwrap_or(&h.text);
                    d = d.with_note(format!(
                        "`{}` is a heading of the module (\"{}\"), not a requirement",
                        l.cited,
                        short(title)
                    ));
                }
                if l.suggestions.is_empty() {
                    d
                } else {
                    let kind = t.artifacts[l.artifact].kind;
                    let written: Vec<String> = l
                        .suggestions
                        .iter()
                        .map(|s| dangling::as_cited(kind, s))
                        .collect();
                    d.with_help(format!(
                        "did you mean {}?",
                        crate::diag::or_list(&written, "`")
                    ))
                }
            }
            LinkStatus::Withdrawn => {
                let ri = l.requirement.expect("withdrawn links have a requirement");
                Diagnostic::new(
                    Code::WithdrawnRequirement,
                    format!(
                        "{} cites `{}`, which is deleted or rejected",
                        by(l),
                        l.cited
                    ),
                    Label::new(l.span, "withdrawn requirement"),
                )
                .with_secondary(Label::new(t.requirements[ri].span, "withdrawn here"))
                .with_help("remove the trace, or cite the requirement that replaced it")
            }
            LinkStatus::Ambiguous => {
                let places = index[l.cited.as_str()].len();
                Diagnostic::new(
                    Code::AmbiguousTrace,
                    format!(
                        "{} cites `{}`, which {places} requirements have",
                        by(l),
                        l.cited
                    ),
                    Label::new(l.span, "which one?"),
                )
                .with_help(
                    "make the ids unique in the exports (see the duplicate-requirement finding)",
                )
            }
            LinkStatus::Suspect => {
                let ri = l.requirement.expect("suspect links have a requirement");
                let r = &t.requirements[ri];
                let o = obj(ri);
                let now = &r.fingerprint[..SHOWN_STAMP.min(r.fingerprint.len())];
                let mut d = Diagnostic::new(
                    Code::SuspectTrace,
                    format!("`{}` changed since {} traced to it", l.cited, by(l)),
                    Label::new(l.span, "suspect trace"),
                )
                .with_secondary(Label::new(r.span, "the requirement now"));
                match &l.suspect {
                    Some(SuspectWhy::ChangedSinceBaseline { old_text }) => {
                        if short(old_text) != short(&o.text) {
                            d = d
                                .with_note(format!("baseline: {}", short(old_text)))
                                .with_note(format!("now:      {}", short(&o.text)));
                        } else if *old_text == o.text {
                            d = d.with_note(
                                "the text is the same; a fingerprinted attribute changed",
                            );
                        } else if let Some((was, is)) = around_difference(old_text, &o.text) {
                            // The change lies past what `short` shows: show it there.
                            d = d
                                .with_note(format!("baseline: {was}"))
                                .with_note(format!("now:      {is}"));
                        } else {
                            d = d.with_note("the text differs only in its spacing or line breaks");
                        }
                    }
                    Some(SuspectWhy::StampMismatch { recorded }) if recorded.len() < MIN_STAMP => {
                        d = d.with_note(format!(
                            "the recorded fingerprint `{recorded}` is shorter than {MIN_STAMP} digits"
                        ));
                    }
                    Some(SuspectWhy::StampMismatch { recorded }) => {
                        d = d.with_note(format!(
                            "recorded fingerprint {recorded}, the requirement's is now {now}"
                        ));
                    }
                    None => {}
                }
                let kind = t.artifacts[l.artifact].kind;
                d.with_help(format!(
                    "review the {} against the requirement's text, then record it: `{}@{now}`",
                    kind.as_str(),
                    dangling::as_cited(kind, &l.cited)
                ))
            }
        };
        out.push(d);
    }
    // Duplicate ids: every definition after the first.
    let mut seen: HashMap<&str, usize> = HashMap::default();
    for (ri, r) in t.requirements.iter().enumerate() {
        if r.status != ReqStatus::Duplicate {
            continue;
        }
        match seen.get(r.id.as_str()) {
            None => {
                seen.insert(&r.id, ri);
            }
            Some(&first) => {
                let place = location_words(&obj(ri).location)
                    .map(|w| format!(" ({w})"))
                    .unwrap_or_default();
                out.push(
                    Diagnostic::new(
                        Code::DuplicateRequirement,
                        format!("requirement `{}` is defined again{place}", r.id),
                        Label::new(r.span, "defined again here"),
                    )
                    .with_secondary(Label::new(t.requirements[first].span, "first defined here"))
                    .with_help("each requirement needs a unique id; a trace to it cannot say which one it means"),
                );
            }
        }
    }
    for (ri, r) in t.requirements.iter().enumerate() {
        if r.status != ReqStatus::Uncovered {
            continue;
        }
        let o = obj(ri);
        let place = location_words(&o.location)
            .map(|w| format!(" ({w})"))
            .unwrap_or_default();
        out.push(
            Diagnostic::new(
                Code::UncoveredRequirement,
                format!("requirement `{}` is covered by nothing{place}", r.id),
                Label::new(r.span, "no activity, procedure, step or flight rule covers it"),
            )
            .with_note(format!("text: {}", short(&o.text)))
            .with_help("add `covers` to the activity, procedure or step that meets it, or record a justification under `requirements: justified:` in opsplan.yaml"),
        );
    }
    for j in &inp.policy.justified {
        let why = match index.get(j.id.as_str()) {
            None => "no export holds it".to_string(),
            Some(v) => match t.requirements[v[0]].status {
                ReqStatus::Covered | ReqStatus::Suspect => "it is covered".to_string(),
                ReqStatus::NotRequired => "it does not need coverage".to_string(),
                ReqStatus::Withdrawn => "it is withdrawn".to_string(),
                _ => continue,
            },
        };
        let span = j.span.unwrap_or(Span::new(FileId(0), 0..0));
        out.push(
            Diagnostic::new(
                Code::StaleJustification,
                format!("the coverage gap of `{}` is justified, but {why}", j.id),
                Label::new(span, "stale justification"),
            )
            .with_help("remove the justification"),
        );
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::reqs::{fingerprint, Direction, Link};

    #[test]
    fn a_change_past_the_shown_text_is_shown_where_it_is() {
        let head = "The planner shall check every activity against the flight rules before the plan is sent to the partners, ";
        let old = format!("{head}and record the result.");
        let new = format!("{head}and record the   result twice.");
        assert_eq!(short(&old), short(&new));
        let (was, is) = around_difference(&old, &new).unwrap();
        assert!(
            was.starts_with('…') && was.ends_with("record the result."),
            "{was}"
        );
        assert!(is.ends_with("record the result twice."), "{is}");
        assert_eq!(around_difference(&old, &old.replace(' ', "  ")), None);
    }

    #[test]
    fn stamps_split_from_ids() {
        assert_eq!(split_stamp("R-1@3f2a9c1b"), ("R-1", Some("3f2a9c1b")));
        assert_eq!(split_stamp("R-1"), ("R-1", None));
        assert_eq!(split_stamp("R-1@"), ("R-1@", None));
        assert_eq!(split_stamp("a@b@zz"), ("a@b@zz", None));
    }

    /// A requirement with a verification method (and optional attributes and links).
    pub(crate) fn req(id: &str, text: &str, method: &str) -> ReqObject {
        let mut attributes = BTreeMap::new();
        attributes.insert(
            "Verification Method".to_string(),
            AttrValue::Enum(vec![method.to_string()]),
        );
        ReqObject {
            id: id.into(),
            is_heading: false,
            heading: None,
            text: text.into(),
            level: Some(2),
            path: crate::reqs::HeadingPath::from_labels(["Refuelling"]),
            module: Some("OPS".into()),
            attributes,
            links: Vec::new(),
            location: ReqLocation::Text { line: 1, column: 1 },
            fingerprint: fingerprint(id, None, text),
        }
    }

    pub(crate) fn link(mut o: ReqObject, to: &str) -> ReqObject {
        o.links.push(Link {
            kind: "satisfies".into(),
            target: to.into(),
            direction: Direction::Out,
            resolved: true,
        });
        o
    }

    pub(crate) fn export(objects: Vec<ReqObject>) -> Export {
        Export {
            file: None,
            objects,
            dangling_links: 0,
            ..Export::default()
        }
    }

    pub(crate) const PLAN: &str = r#"plan W40 {
  horizon 2014/272 00:00 .. 2014/279 00:00
  roles MCC-M, FD
  activity A09 "GO poll" { at 2014/273 08:00 lasts 30m by FD covers R-10 }
  activity A12 "Transfer" {
    at 2014/273 09:00 lasts 40m by MCC-M
    procedure REF-010
    covers R-6, R-7@0123456789ab, R-66, R-31
  }
  activity A13 "Check" { at 2014/273 11:00 lasts 10m by FD covers R-12 }
}
procedure REF-010 "Transfer" {
  version 3.2
  roles MCC-M, FD
  covers R-8
  step 1 "Go" { covers R-10 poll FD }
  step 2 "Pump" { call MON-060 }
}
procedure MON-060 "Monitor" {
  version 1.0
  roles MCC-M
  step 1 { manual MCC-M "Watch" }
}
"#;

    pub(crate) const RULES: &str = "rules:\n  - id: FR-02\n    title: Burns apart\n    kind: min_separation\n    select: { kind: reboost }\n    min: 3h\n    traces: [R-11@ffffffff, R-6]\n";

    fn run_trace(exports: &[Export], baseline: Option<&[Export]>, policy: &TracePolicy) -> Trace {
        let run = crate::workspace::check_texts(&[("w40.plan", PLAN), ("rules.yaml", RULES)]);
        trace(&Inputs {
            model: &run.model,
            rule_sets: &run.rule_sets,
            sources: &run.sources,
            exports,
            baseline,
            policy,
            evidence: None,
        })
    }

    fn status_of(t: &Trace, id: &str) -> ReqStatus {
        t.requirements.iter().find(|r| r.id == id).unwrap().status
    }

    fn links_of(t: &Trace, cited: &str) -> Vec<LinkStatus> {
        t.links
            .iter()
            .filter(|l| l.cited == cited)
            .map(|l| l.status)
            .collect()
    }

    #[test]
    fn every_status_from_one_small_mission() {
        let mut deleted = req("R-31", "Transmit by e-mail.", "Review");
        deleted
            .attributes
            .insert("ReqIF.ForeignDeleted".into(), AttrValue::Bool(true));
        let current = vec![
            export(vec![
                req("R-6", "Transfer shall have ART and TDRS.", "Analysis"),
                req("R-7", "Transfer shall start in an RGS pass.", "Analysis"),
                req("R-8", "Lines monitored until purge.", "Inspection"),
                req("R-10", "GO poll before each transfer.", "Inspection"),
                req("R-11", "Burns 3 h apart.", "Analysis"),
                req("R-12", "Hatch closed before EVA.", "Inspection"),
                req("R-13", "CoG assessment first.", "Review"),
                req("R-14", "Crew day 06:00-21:30.", "Test"),
                req("R-15", "Screening box.", "Test"),
                deleted,
            ]),
            export(vec![req(
                "R-12",
                "Hatch closed before a Russian EVA.",
                "Inspection",
            )]),
        ];
        let old = vec![export(vec![
            req("R-6", "Transfer shall have ART or TDRS.", "Analysis"),
            req("R-8", "Lines monitored until purge.", "Inspection"),
        ])];
        let policy = TracePolicy {
            need: Need {
                attribute: Some("verification method".into()),
                values: vec!["Analysis".into(), "Inspection".into(), "Test".into()],
                ..Need::default()
            },
            justified: vec![
                Justification {
                    id: "R-14".into(),
                    reason: "Ground test".into(),
                    span: None,
                },
                Justification {
                    id: "R-8".into(),
                    reason: "stale".into(),
                    span: None,
                },
            ],
            ..TracePolicy::default()
        };
        let t = run_trace(&current, Some(&old), &policy);
        // Links.
        assert_eq!(
            links_of(&t, "R-6"),
            [LinkStatus::Suspect, LinkStatus::Suspect]
        );
        assert_eq!(
            links_of(&t, "R-7"),
            [LinkStatus::Suspect],
            "recorded stamp differs"
        );
        assert_eq!(links_of(&t, "R-66"), [LinkStatus::Dangling]);
        assert_eq!(
            t.links
                .iter()
                .find(|l| l.cited == "R-66")
                .unwrap()
                .suggestions,
            ["R-6"]
        );
        assert_eq!(links_of(&t, "R-31"), [LinkStatus::Withdrawn]);
        assert_eq!(links_of(&t, "R-12"), [LinkStatus::Ambiguous]);
        assert_eq!(
            links_of(&t, "R-8"),
            [LinkStatus::Covers],
            "unchanged since the baseline"
        );
        assert_eq!(
            links_of(&t, "R-10"),
            [LinkStatus::Covers, LinkStatus::Covers]
        );
        assert_eq!(
            links_of(&t, "R-11"),
            [LinkStatus::Suspect],
            "a stamp not of R-11's text"
        );
        // Requirements.
        assert_eq!(status_of(&t, "R-6"), ReqStatus::Suspect);
        assert_eq!(status_of(&t, "R-8"), ReqStatus::Covered);
        assert_eq!(status_of(&t, "R-12"), ReqStatus::Duplicate);
        assert_eq!(
            status_of(&t, "R-13"),
            ReqStatus::NotRequired,
            "Review is not needed"
        );
        assert_eq!(status_of(&t, "R-14"), ReqStatus::Justified);
        assert_eq!(status_of(&t, "R-15"), ReqStatus::Uncovered);
        assert_eq!(status_of(&t, "R-31"), ReqStatus::Withdrawn);
        // Which artifacts: activity, procedure, step and flight rule.
        let kinds: Vec<ArtifactKind> = t.artifacts.iter().map(|a| a.kind).collect();
        assert!(kinds.contains(&ArtifactKind::Step) && kinds.contains(&ArtifactKind::FlightRule));
        assert!(t.artifacts.iter().any(|a| a.name == "REF-010 v3.2 step 1"));
        // Findings: one per defect, R-8's justification is stale (it is covered).
        let codes: Vec<&str> = t.diagnostics.iter().map(|d| d.code.info().code).collect();
        for code in ["Q002", "Q003", "Q004", "Q005", "Q006", "Q007", "Q008"] {
            assert!(codes.contains(&code), "{code} missing from {codes:?}");
        }
        assert_eq!(codes.iter().filter(|c| **c == "Q007").count(), 1);
        assert!(t.has_defects());
        // Coverage: R-6, R-7, R-8, R-10, R-11 of the 9 needing it (not R-12 twice, a
        // duplicate, R-14, justified, R-15); R-13 (Review) and R-31 (withdrawn) need none.
        assert_eq!(t.summary.needing_coverage, 9);
        assert_eq!(t.summary.covered, 5);
    }

    #[test]
    fn findings_on_requirements_in_reqifz_members_point_into_the_members() {
        // R-12 is defined in two members of one archive: Q004 at the second, its first
        // definition in the first; R-15 (uncovered) is located in its member too.
        let mut run = crate::workspace::check_texts(&[("w40.plan", PLAN)]);
        let archive = run.sources.add("a.reqifz", String::new());
        let one = "<REQ-IF>\n  <SPEC-OBJECT IDENTIFIER=\"x\"/>\n</REQ-IF>\n";
        let two =
            "<REQ-IF>\n\n    <SPEC-OBJECT IDENTIFIER=\"y\"/>\n<SPEC-OBJECT IDENTIFIER=\"z\"/>\n";
        let first = run
            .sources
            .add_member("a.reqifz", "one.reqif", one.to_string());
        let second = run
            .sources
            .add_member("a.reqifz", "two.reqif", two.to_string());
        assert_eq!(run.sources.name(second), "a.reqifz!two.reqif");
        let at = |o: ReqObject, member: &str, line: usize, column: usize| ReqObject {
            location: ReqLocation::Xml {
                element: "SPEC-OBJECT".into(),
                line,
                column,
                member: Some(member.into()),
            },
            ..o
        };
        let exports = vec![Export {
            file: Some(archive),
            objects: vec![
                at(
                    req("R-12", "Hatch closed.", "Inspection"),
                    "one.reqif",
                    2,
                    3,
                ),
                at(req("R-12", "Hatch shut.", "Inspection"), "two.reqif", 3, 5),
                at(req("R-15", "Screening box.", "Test"), "two.reqif", 4, 1),
            ],
            dangling_links: 0,
            members: vec![("one.reqif".into(), first), ("two.reqif".into(), second)],
            ..Export::default()
        }];
        let t = trace(&Inputs {
            model: &run.model,
            rule_sets: &run.rule_sets,
            sources: &run.sources,
            exports: &exports,
            baseline: None,
            policy: &TracePolicy::default(),
            evidence: None,
        });
        let q004 = t
            .diagnostics
            .iter()
            .find(|d| d.code == Code::DuplicateRequirement)
            .unwrap();
        assert_eq!(q004.primary.span.file, second);
        assert_eq!(run.sources.slice(q004.primary.span), "<SPEC-OBJECT");
        let lc = run
            .sources
            .line_col(second, q004.primary.span.start as usize);
        assert_eq!((lc.line, lc.column), (3, 5));
        assert_eq!(q004.secondary[0].span.file, first);
        assert_eq!(run.sources.slice(q004.secondary[0].span), "<SPEC-OBJECT");
        let q007 = t
            .diagnostics
            .iter()
            .find(|d| d.code == Code::UncoveredRequirement && d.message.contains("R-15"))
            .unwrap();
        assert_eq!(q007.primary.span.file, second);
        let r15 = t.requirements.iter().find(|r| r.id == "R-15").unwrap();
        assert_eq!(r15.file, Some(second));
    }

    #[test]
    fn a_recorded_current_fingerprint_clears_the_baseline_change() {
        let r7 = req("R-7", "Transfer shall start in an RGS pass.", "Analysis");
        let mut stamped = PLAN.replace(
            "R-7@0123456789ab",
            &format!("R-7@{}", &r7.fingerprint[..12]),
        );
        stamped = stamped.replace("R-66, R-31", "R-6");
        let run = crate::workspace::check_texts(&[("w40.plan", &stamped)]);
        let old = vec![export(vec![req(
            "R-7",
            "Transfer shall start in a ground pass.",
            "Analysis",
        )])];
        let current = vec![export(vec![r7])];
        let t = trace(&Inputs {
            model: &run.model,
            rule_sets: &run.rule_sets,
            sources: &run.sources,
            exports: &current,
            baseline: Some(&old),
            policy: &TracePolicy::default(),
            evidence: None,
        });
        assert_eq!(links_of(&t, "R-7"), [LinkStatus::Covers]);
        assert_eq!(status_of(&t, "R-7"), ReqStatus::Covered);
    }

    #[test]
    fn fingerprinted_attributes_make_traces_suspect_only_when_listed() {
        let old = vec![export(vec![req(
            "R-8",
            "Lines monitored until purge.",
            "Review",
        )])];
        let current = vec![export(vec![req(
            "R-8",
            "Lines monitored until purge.",
            "Inspection",
        )])];
        let plain = run_trace(&current, Some(&old), &TracePolicy::default());
        assert_eq!(links_of(&plain, "R-8"), [LinkStatus::Covers]);
        let policy = TracePolicy {
            fingerprint: vec!["Verification Method".into()],
            ..TracePolicy::default()
        };
        let watched = run_trace(&current, Some(&old), &policy);
        assert_eq!(links_of(&watched, "R-8"), [LinkStatus::Suspect]);
        let d = watched
            .diagnostics
            .iter()
            .find(|d| d.code == Code::SuspectTrace)
            .unwrap();
        assert!(
            d.notes.iter().any(|n| n.contains("attribute")),
            "{:?}",
            d.notes
        );
    }

    #[test]
    fn withdrawn_by_a_configured_status_and_by_default_names() {
        let mut a = req("R-1", "x", "Test");
        a.attributes
            .insert("Status".into(), AttrValue::Text("Rejected".into()));
        let mut b = req("R-2", "y", "Test");
        b.attributes.insert(
            "Lifecycle State".into(),
            AttrValue::Enum(vec!["Obsolete".into()]),
        );
        let mut c = req("R-3", "z", "Test");
        c.attributes
            .insert("Approval".into(), AttrValue::Text("Void".into()));
        assert!(is_withdrawn(&a, None) && is_withdrawn(&b, None) && !is_withdrawn(&c, None));
        let rule = Withdrawn {
            attribute: "approval".into(),
            values: vec!["void".into()],
        };
        assert!(is_withdrawn(&c, Some(&rule)) && !is_withdrawn(&a, Some(&rule)));
    }

    #[test]
    fn need_combines_prefix_module_and_attribute() {
        let r = req("OPS-1", "x", "Test");
        let need = |prefixes: &[&str], modules: &[&str], values: &[&str]| Need {
            prefixes: prefixes.iter().map(|s| s.to_string()).collect(),
            modules: modules.iter().map(|s| s.to_string()).collect(),
            attribute: Some("Verification Method".into()),
            values: values.iter().map(|s| s.to_string()).collect(),
            except: Vec::new(),
        };
        assert!(need(&["OPS-"], &["OPS"], &["test"]).applies(&r));
        assert!(need(&[], &[], &[]).applies(&r), "any non-empty value");
        assert!(!need(&["SYS-"], &[], &[]).applies(&r));
        assert!(!need(&[], &["SYS"], &[]).applies(&r));
        assert!(!need(&[], &[], &["Review"]).applies(&r));
        assert!(Need::default().applies(&r));
    }

    #[test]
    fn need_by_artifact_type_leaves_doors_next_information_out() {
        let path = crate::reqs::corpus_path("reqif/doorsng_702_stk_module_with_images.reqifz");
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (ex, _) = crate::reqs::reqif::import_reqif(FileId(0), &bytes);
        let need = Need {
            attribute: Some("Artifact Type".into()),
            values: vec![
                "Stakeholder Requirement".into(),
                "System Requirement".into(),
            ],
            ..Need::default()
        };
        let mut needing = BTreeMap::new();
        for o in ex.objects.iter().filter(|o| !o.is_heading) {
            let t = o.attributes[crate::reqs::artifact_type::ARTIFACT_TYPE].display();
            *needing.entry((t, need.applies(o))).or_insert(0) += 1;
        }
        let expected: BTreeMap<(String, bool), i32> = [
            (("Diagrams and sketches".to_string(), false), 1),
            (("Information".to_string(), false), 9),
            (("Stakeholder Requirement".to_string(), true), 62),
        ]
        .into_iter()
        .collect();
        assert_eq!(needing, expected);
    }

    #[test]
    fn except_leaves_out_the_values_listed_and_a_module_need_replaces_the_common_one() {
        let typed = |id: &str, module: &str, kind: Option<&str>| {
            let mut o = req(id, "x", "Test");
            o.module = Some(module.into());
            if let Some(k) = kind {
                o.attributes
                    .insert("Artifact Type".into(), AttrValue::Text(k.into()));
            }
            o
        };
        let except = Need {
            attribute: Some("artifact type".into()),
            except: vec!["Information".into(), "heading".into()],
            ..Need::default()
        };
        assert!(!except.applies(&typed("1", "AMR", Some("Information"))));
        assert!(!except.applies(&typed("2", "AMR", Some("Heading"))));
        assert!(except.applies(&typed("3", "AMR", Some("Stakeholder Requirement"))));
        assert!(
            except.applies(&typed("4", "AMR", None)),
            "no value is not an excepted value"
        );
        let both = Need {
            values: vec!["Stakeholder Requirement".into(), "Information".into()],
            ..except.clone()
        };
        assert!(!both.applies(&typed("5", "AMR", Some("Information"))));
        assert!(!both.applies(&typed("6", "AMR", None)));
        assert!(both.applies(&typed("7", "AMR", Some("stakeholder requirement"))));
        let policy = TracePolicy {
            need: Need {
                prefixes: vec!["SYS-".into()],
                ..Need::default()
            },
            module_need: [("AMR".to_string(), except)].into(),
            ..TracePolicy::default()
        };
        let info = typed("8", "AMR", Some("Information"));
        let sys = typed("SYS-9", "SYS", Some("Information"));
        assert!(!policy.need_for(&info).applies(&info));
        assert!(policy.need_for(&sys).applies(&sys), "the common need");
        assert!(!policy
            .need_for(&typed("10", "SYS", None))
            .applies(&typed("10", "SYS", None)));
    }
}
