//! Reading inputs and running the pipeline: the only layer below `cli` that does I/O.
//!
//! Inputs are files, directories (searched recursively for `*.plan`, `*.proc`, `*.scn` and
//! `*.roster`) or a
//! project file `opsplan.yaml`. The project file that judges the inputs is the one they
//! name, or the nearest above them, or the one `--config` gives (`project.rs`). Plans pull
//! in their procedure libraries with `use procedures "…"`, relative to the plan file. Files
//! are only ever opened for reading.

pub mod agenda;
mod config;
pub mod contain;
pub mod document;
pub mod evidence;
pub mod git;
mod impact;
pub mod inputs;
pub mod monthly;
pub mod monthly_staffing;
pub mod plan_diff;
pub mod project;
pub mod requirements;
pub mod session;
pub mod windows_csv;

use crate::source::FileId;
pub use config::{Config, Level, Paths, Policy, RequirementsConfig, CONFIG_FILE};
pub use impact::impact;
pub use project::{Project, ProjectChoice, ProjectSource};

use crate::checks;
use crate::diag::{sort_and_dedup, Code, Diagnostic, Family, Label};
use crate::model::Model;
use crate::source::{SourceDb, Span};
use crate::syntax::{self, ast::UseKind};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Failures that stop a run before any checking (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0}: no such file or directory")]
    NotFound(PathBuf),
    #[error("{path}: cannot be read: {source}")]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Config {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{0}: more than {1} entries below it; not searched (name the folder of the plans and procedures)")]
    TooManyEntries(PathBuf, usize),
    #[error("{0}: no .plan, .proc, .scn or .roster files found")]
    NothingToCheck(PathBuf),
    #[error("no requirement exports: give them with --requirements, or name them under `requirements: sources:` in opsplan.yaml (project file: {0})")]
    NoRequirements(String),
    #[error(
        "{0}: a folder with no requirement export in it (looked for {1}); nothing to trace against"
    )]
    NoExportsIn(PathBuf, String),
    #[error("{first} is judged by the project file {first_project}, but {second} by {second_project}: check them separately, or choose one project file for all with --config FILE (or none with --no-config)")]
    ProjectConflict {
        first: String,
        first_project: String,
        second: String,
        second_project: String,
    },
    #[error("--config {0}: no such file")]
    ConfigNotFound(PathBuf),
    #[error("--config {0}: is a folder; name the project file itself ({0}/opsplan.yaml)")]
    ConfigIsFolder(PathBuf),
    #[error("{path}: a project file, but --config names {config}: give one project file")]
    OtherProjectFile { path: PathBuf, config: PathBuf },
    #[error("{0}: a project file, but --no-config says to use none")]
    ProjectFileWithNoConfig(PathBuf),
    #[error("the id attribute `{attribute}` (`--id`, or `id:` in opsplan.yaml) is an attribute of no requirement in the exports; their attributes: {known}")]
    UnknownIdAttribute { attribute: String, known: String },
    #[error("the id attribute `{attribute}` of module `{module}` (`requirements: modules:` in opsplan.yaml) is an attribute of none of its objects; their attributes: {known}")]
    UnknownModuleIdAttribute {
        attribute: String,
        module: String,
        known: String,
    },
    #[error("requirements: impact: follow: no link of the exports has the type `{link_type}`; their link types: {known}")]
    UnknownLinkType { link_type: String, known: String },
    /// A file or revision of a repository (`git:REV`) that cannot be read: the message
    /// names the argument.
    #[error("{0}")]
    Git(String),
}

/// Where the requirements come from and how tracing is judged.
#[derive(Debug, Clone, Default)]
pub struct TraceSetup {
    /// Export files or folders.
    pub sources: Vec<PathBuf>,
    /// An older baseline of the exports (for suspect traces and impact).
    pub baseline: Vec<PathBuf>,
    /// The repository revision the baseline is read at (`--changed-since git:REV`), else
    /// it is read from disk.
    pub baseline_tree: Option<std::sync::Arc<git::Tree>>,
    pub import: requirements::ImportOptions,
    pub policy: crate::trace::TracePolicy,
    /// The project file that recorded the justifications, to locate them.
    pub config_file: Option<PathBuf>,
    /// `evidence:` of the project file, checked.
    pub evidence: Option<evidence::EvidenceSetup>,
}

/// What the command line adds to (or puts in place of) the project file's
/// `requirements:`.
#[derive(Debug, Clone, Default)]
pub struct TraceOverrides {
    /// In place of `requirements: sources:`.
    pub sources: Vec<PathBuf>,
    /// In place of `requirements: baseline:`.
    pub baseline: Vec<PathBuf>,
    /// In place of `requirements: baseline:` and `baseline`: the exports at a revision of
    /// their repository (`git:REV`: the same files as the current exports; `git:REV:path`:
    /// that file or folder).
    pub git_baseline: Option<git::Spec>,
    /// In place of `requirements: id:`.
    pub id_attribute: Option<String>,
    /// In place of `requirements: columns: prefix:` (`--prefix`).
    pub prefix: Option<String>,
    /// Fail with [`LoadError::NoRequirements`] when no export is named anywhere.
    pub required: bool,
}

/// The requirements side of a run.
pub struct Traced {
    /// The current exports, one per file, and their paths.
    pub exports: Vec<crate::reqs::Export>,
    pub files: Vec<PathBuf>,
    /// The baseline exports (empty without a baseline), and their paths.
    pub baseline: Vec<crate::reqs::Export>,
    pub baseline_files: Vec<PathBuf>,
    pub trace: crate::trace::Trace,
    pub policy: crate::trace::TracePolicy,
}

/// The result of a check run.
pub struct Run {
    pub sources: SourceDb,
    pub model: Model,
    /// The flight rules of the run, file by file.
    pub rule_sets: Vec<crate::flight::RuleSet>,
    /// Sorted, deduplicated findings.
    pub diagnostics: Vec<Diagnostic>,
    /// The trace to the requirements, when exports were named.
    pub traced: Option<Traced>,
    /// The project file whose rules, requirements and policy judged the inputs.
    pub project: Project,
    /// The project file's `document:` (the reports' document control), when given.
    pub document: Option<document::DocumentControl>,
}

/// What a check concludes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// No finding at error severity, no waiver used.
    Pass,
    /// No finding at error severity; some flight-rule violations are waived.
    PassWithWaivers,
    /// At least one finding at error severity.
    Fail,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::PassWithWaivers => "pass with waivers",
            Verdict::Fail => "fail",
        }
    }
}

impl Run {
    pub fn verdict(&self) -> Verdict {
        if self.count(crate::diag::Severity::Error) > 0 {
            Verdict::Fail
        } else if self
            .diagnostics
            .iter()
            .any(|d| d.code == Code::WaivedViolation)
        {
            Verdict::PassWithWaivers
        } else {
            Verdict::Pass
        }
    }

    /// True when an input file other than a plan or procedure could not be used (a
    /// flight-rule or window file): the check is incomplete, `opsplan check` exits 2.
    pub fn has_invalid_input(&self) -> bool {
        self.diagnostics.iter().any(|d| {
            matches!(
                d.code,
                Code::InvalidFlightRuleFile
                    | Code::InvalidWindowFile
                    | Code::InvalidRequirementExport
            ) && d.severity == crate::diag::Severity::Error
        })
    }

    /// When an input could not be used ([`Run::has_invalid_input`]): what the check left
    /// out, as a phrase for the verdict ("1 flight rule was not evaluated (GEO-FR-07)";
    /// the rule files not read; the window files and requirement exports with problems).
    pub fn incomplete(&self) -> Option<String> {
        if !self.has_invalid_input() {
            return None;
        }
        use crate::diag::Severity;
        let name = |file: FileId| self.sources.name(file);
        let mut parts = Vec::new();
        let skipped: Vec<&crate::flight::SkippedRule> =
            self.rule_sets.iter().flat_map(|s| &s.skipped).collect();
        if !skipped.is_empty() {
            let named: Vec<String> = skipped.iter().filter_map(|r| r.id.clone()).collect();
            let unnamed = skipped.len() - named.len();
            let mut shown: Vec<String> = named.iter().take(5).cloned().collect();
            let more = named.len() - shown.len();
            if more > 0 {
                shown.push(format!("{more} more"));
            }
            if unnamed > 0 {
                shown.push(format!("{unnamed} without an id"));
            }
            parts.push(format!(
                "{} {} not evaluated ({})",
                count_of(skipped.len(), "flight rule"),
                if skipped.len() == 1 { "was" } else { "were" },
                and_list(&shown)
            ));
        }
        let unread: Vec<String> = self
            .rule_sets
            .iter()
            .filter(|s| s.unreadable)
            .filter_map(|s| s.file.map(name))
            .collect();
        if !unread.is_empty() {
            parts.push(format!(
                "{} could not be read ({}): none of {} rules was evaluated",
                count_of(unread.len(), "flight-rule file"),
                and_list(&first_of(&unread)),
                if unread.len() == 1 { "its" } else { "their" },
            ));
        }
        let files_with = |code: Code| -> Vec<String> {
            let mut files: Vec<FileId> = self
                .diagnostics
                .iter()
                .filter(|d| d.code == code && d.severity == Severity::Error)
                .map(|d| d.primary.span.file)
                .collect();
            files.sort_unstable_by_key(|f| f.0);
            files.dedup();
            files.into_iter().map(name).collect()
        };
        if parts.is_empty()
            && self
                .diagnostics
                .iter()
                .any(|d| d.code == Code::InvalidFlightRuleFile && d.severity == Severity::Error)
        {
            parts.push("some flight-rule inputs could not be used (F003)".to_string());
        }
        for (code, what) in [
            (Code::InvalidWindowFile, "window file"),
            (Code::InvalidRequirementExport, "requirement export"),
        ] {
            let files = files_with(code);
            if !files.is_empty() {
                parts.push(format!(
                    "{} could not be used whole ({}, {})",
                    count_of(files.len(), what),
                    and_list(&first_of(&files)),
                    code.info().code
                ));
            }
        }
        Some(parts.join("; "))
    }

    pub fn count(&self, severity: crate::diag::Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// "1 window file", "2 window files" (`output` is right of `workspace` in the layers).
fn count_of(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// At most five names, then how many more.
fn first_of(names: &[String]) -> Vec<String> {
    let mut shown: Vec<String> = names.iter().take(5).cloned().collect();
    if names.len() > 5 {
        shown.push(format!("{} more", names.len() - 5));
    }
    shown
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Source file extensions opsplan reads.
const SOURCE_EXTENSIONS: &[&str] = &["plan", "proc", "scn", "roster"];

/// How a run is set up besides its paths.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Which project file judges the paths.
    pub project: ProjectChoice,
    /// What the command line puts in place of the project file's `requirements:`.
    pub trace: TraceOverrides,
}

/// Collects, reads, parses, resolves and checks everything reachable from `paths`, judged
/// by their project file (found as [`ProjectChoice::Discover`] says); traces to the
/// requirements when it names them.
pub fn check_paths(paths: &[PathBuf]) -> Result<Run, LoadError> {
    check_with(paths, &CheckOptions::default())
}

/// [`check_paths`], with the requirement exports and baseline given by the caller in
/// place of the project file's.
pub fn check_paths_with(paths: &[PathBuf], overrides: &TraceOverrides) -> Result<Run, LoadError> {
    check_with(
        paths,
        &CheckOptions {
            project: ProjectChoice::Discover,
            trace: overrides.clone(),
        },
    )
}

/// [`check_paths`] with every option.
pub fn check_with(paths: &[PathBuf], options: &CheckOptions) -> Result<Run, LoadError> {
    let overrides = &options.trace;
    let mut loader = Loader::default();
    let first = loader.add_roots(paths, &options.project)?;
    // A project traced through evidence alone (tests and tags cover requirements, no plan
    // does: opsplan's own qualification/) has nothing else to read.
    let evidence_only = loader.trace.as_ref().is_some_and(|t| t.evidence.is_some());
    if loader.queue.is_empty() && !evidence_only {
        return Err(LoadError::NothingToCheck(first));
    }
    if !overrides.sources.is_empty()
        || !overrides.baseline.is_empty()
        || overrides.git_baseline.is_some()
        || overrides.id_attribute.is_some()
        || overrides.prefix.is_some()
    {
        // Exports named on the command line are read wherever they are.
        let given: Vec<PathBuf> = overrides
            .sources
            .iter()
            .chain(&overrides.baseline)
            .cloned()
            .collect();
        loader.add_given(&given);
        let roots = loader.roots.clone();
        let setup = loader.trace.get_or_insert_with(TraceSetup::default);
        if setup.import.contain.is_some() {
            setup.import.contain = Some(roots);
        }
        if !overrides.sources.is_empty() {
            setup.sources = overrides.sources.clone();
        }
        if !overrides.baseline.is_empty() {
            setup.baseline = overrides.baseline.clone();
        }
        if overrides.id_attribute.is_some() {
            setup.import.id_attribute = overrides.id_attribute.clone();
        }
        if overrides.prefix.is_some() {
            setup.import.columns.prefix = overrides.prefix.clone();
        }
    }
    if let (Some(spec), Some(setup)) = (&overrides.git_baseline, loader.trace.as_mut()) {
        let paths = match &spec.path {
            Some(p) => vec![p.clone()],
            None => setup.sources.clone(),
        };
        if let Some(first) = paths.first() {
            let tree = git::Tree::open(first, &spec.rev).map_err(LoadError::Git)?;
            for p in &paths {
                tree.kind(p).map_err(LoadError::Git)?;
            }
            setup.baseline = paths;
            setup.baseline_tree = Some(std::sync::Arc::new(tree));
        }
    }
    match &loader.trace {
        Some(setup) if !setup.sources.is_empty() => {
            let on_disk = setup
                .baseline
                .iter()
                .filter(|_| setup.baseline_tree.is_none());
            for p in setup.sources.iter().chain(on_disk) {
                if !p.exists() {
                    return Err(LoadError::NotFound(p.clone()));
                }
            }
        }
        _ if overrides.required => {
            return Err(LoadError::NoRequirements(loader.project.describe()))
        }
        _ => loader.trace = None,
    }
    Ok(loader.run())
}

/// Checks texts already in memory, by file name: `*.yaml`/`*.yml` are flight-rule files,
/// everything else is plan or procedure source (no I/O; `use` paths are not followed).
pub fn check_texts(files: &[(&str, &str)]) -> Run {
    let mut sources = SourceDb::new();
    let mut diags = Vec::new();
    let mut rule_sets = Vec::new();
    let mut dsl = Vec::new();
    for &(name, text) in files {
        let id = sources.add(Path::new(name), text.to_string());
        if name.ends_with(".yaml") || name.ends_with(".yml") {
            let (set, d) = crate::flight::load(id, sources.text(id));
            diags.extend(d);
            rule_sets.push(set);
        } else {
            dsl.push(id);
        }
    }
    let texts: Vec<(FileId, &str)> = dsl.iter().map(|&id| (id, sources.text(id))).collect();
    let asts = syntax::parse_many(&texts)
        .into_iter()
        .map(|(ast, d)| {
            diags.extend(d);
            ast
        })
        .collect();
    finish(sources, asts, diags, rule_sets, &Policy::default(), None)
}

/// Parses, resolves and checks sources already in memory (no I/O; `use` paths are not followed).
pub fn check_sources(sources: SourceDb) -> Run {
    let mut diags = Vec::new();
    let texts: Vec<(FileId, &str)> = sources.ids().map(|id| (id, sources.text(id))).collect();
    let asts = syntax::parse_many(&texts)
        .into_iter()
        .map(|(ast, d)| {
            diags.extend(d);
            ast
        })
        .collect();
    finish(sources, asts, diags, Vec::new(), &Policy::default(), None)
}

/// Exports read for a run, before tracing.
struct LoadedReqs {
    exports: Vec<(PathBuf, crate::reqs::Export)>,
    baseline: Vec<(PathBuf, crate::reqs::Export)>,
    policy: crate::trace::TracePolicy,
    evidence: Option<evidence::EvidenceSetup>,
}

/// Requirement exports being read on a thread of their own, into a `SourceDb` of their
/// own (see [`merge_reqs`]).
type PendingReqs<'scope> =
    std::thread::ScopedJoinHandle<'scope, (SourceDb, Vec<Diagnostic>, LoadedReqs)>;

fn finish(
    mut sources: SourceDb,
    asts: Vec<syntax::ast::SourceAst>,
    mut diags: Vec<Diagnostic>,
    rule_sets: Vec<crate::flight::RuleSet>,
    policy: &Policy,
    reqs: Option<PendingReqs<'_>>,
) -> Run {
    crate::context::progress(crate::context::Phase::Checking);
    let model = Model::build(asts);
    diags.extend(duplicate_rule_ids(&rule_sets));
    let rules: Vec<&crate::flight::FlightRule> =
        rule_sets.iter().flat_map(|s| s.rules.iter()).collect();
    let mut flight = checks::FlightState::new(&model, rules, Some(&sources));
    flight.not_evaluated = checks::NotEvaluated::of(&rule_sets);
    diags.extend(checks::run_with(&model, flight));
    // The exports were read while the plans were parsed and checked; their files join the
    // sources after every plan, procedure and rule file, as when read in turn.
    let reqs = reqs.map(|pending| {
        let detached = pending
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        merge_reqs(&mut sources, &mut diags, detached)
    });
    let traced = reqs.map(|r| {
        crate::context::progress(crate::context::Phase::Tracing);
        let (files, exports): (Vec<PathBuf>, Vec<crate::reqs::Export>) =
            r.exports.into_iter().unzip();
        let (baseline_files, baseline): (Vec<PathBuf>, Vec<crate::reqs::Export>) =
            r.baseline.into_iter().unzip();
        // Evidence is read once the plans are built (scenarios, as-flown activities).
        let items = r.evidence.as_ref().map(|setup| {
            let (items, found) = evidence::load(setup, &mut sources, &model);
            diags.extend(found);
            items
        });
        let trace = crate::trace::trace(&crate::trace::Inputs {
            model: &model,
            rule_sets: &rule_sets,
            sources: &sources,
            exports: &exports,
            baseline: (!baseline_files.is_empty()).then_some(&baseline[..]),
            policy: &r.policy,
            evidence: items.as_deref(),
        });
        diags.extend(trace.diagnostics.iter().cloned());
        Traced {
            exports,
            files,
            baseline,
            baseline_files,
            trace,
            policy: r.policy,
        }
    });
    // Inside a file with syntax errors only the syntax findings are trustworthy: the others
    // are dropped, and the file's first syntax error says so (a silent drop would look
    // like a checked file).
    let mut told: HashSet<FileId> = HashSet::new();
    for d in diags.iter_mut() {
        let file = d.primary.span.file;
        if d.code == Code::SyntaxError
            && model.files_with_syntax_errors.contains(&file)
            && told.insert(file)
        {
            d.notes.push(
                "until this file parses, opsplan reports only its syntax errors: its plans, \
                 procedures and scenarios are not checked, nor is how other files use its \
                 procedures"
                    .to_string(),
            );
        }
    }
    diags.retain(|d| {
        d.code.info().family == Family::Syntax
            || d.code == Code::UnresolvedUsePath
            || !model
                .files_with_syntax_errors
                .contains(&d.primary.span.file)
    });
    policy.apply(&mut diags);
    sort_and_dedup(&mut diags);
    Run {
        sources,
        model,
        rule_sets,
        diagnostics: diags,
        traced,
        project: Project::default(),
        document: None,
    }
}

/// Reads the requirement exports into a `SourceDb` of their own, so that it can run on a
/// thread beside the plans' parse and checks.
fn load_trace_detached(setup: TraceSetup) -> (SourceDb, Vec<Diagnostic>, LoadedReqs) {
    let mut sources = SourceDb::new();
    let mut diags = Vec::new();
    let loaded = load_trace_inputs(setup, &mut sources, &mut diags);
    (sources, diags, loaded)
}

/// Appends the exports' files to `sources` and moves every file id of the exports, their
/// findings and the justifications' spans by the same offset.
fn merge_reqs(
    sources: &mut SourceDb,
    diags: &mut Vec<Diagnostic>,
    (theirs, mut found, mut loaded): (SourceDb, Vec<Diagnostic>, LoadedReqs),
) -> LoadedReqs {
    let offset = sources.append(theirs);
    let shift = |file: &mut FileId| file.0 += offset;
    for d in &mut found {
        shift(&mut d.primary.span.file);
        for l in &mut d.secondary {
            shift(&mut l.span.file);
        }
    }
    for (_, e) in loaded.exports.iter_mut().chain(loaded.baseline.iter_mut()) {
        if let Some(f) = &mut e.file {
            shift(f);
        }
        for (_, f) in &mut e.members {
            shift(f);
        }
    }
    for j in &mut loaded.policy.justified {
        if let Some(s) = &mut j.span {
            shift(&mut s.file);
        }
    }
    diags.extend(found);
    loaded
}

/// A rule id defined in two rule files (twice in one file is found when loading).
fn duplicate_rule_ids(sets: &[crate::flight::RuleSet]) -> Vec<Diagnostic> {
    let mut first: rustc_hash::FxHashMap<&str, crate::source::Span> = Default::default();
    let mut out = Vec::new();
    for r in sets.iter().flat_map(|s| &s.rules) {
        match first.get(r.id.as_str()) {
            Some(&f) if f.file != r.span.file => out.push(
                Diagnostic::new(
                    Code::InvalidFlightRuleFile,
                    format!("flight rule `{}` is defined in two files", r.id),
                    Label::new(r.span, "defined again here"),
                )
                .with_secondary(Label::new(f, "first defined here")),
            ),
            Some(_) => {}
            None => {
                first.insert(r.id.as_str(), r.span);
            }
        }
    }
    out
}

/// Reads a Flight Dynamics window file and adds its occurrences to the plan's windows:
/// to the window of that name when the plan declares one as a list of intervals, else as
/// a new window. The file joins the sources, so findings point into it.
fn load_window_file(
    path: &Path,
    columns: &windows_csv::WindowColumns,
    plan: &mut syntax::ast::Plan,
    sources: &mut SourceDb,
    diags: &mut Vec<Diagnostic>,
) {
    use syntax::ast::{IntervalLit, TimeLit, WindowDecl, WindowShape};
    let _reading = crate::context::reading(path.display().to_string());
    let text = match read_bounded(path, MAX_INPUT_BYTES) {
        Ok(bytes) => windows_csv::decode(&bytes),
        Err(e) => {
            let id = sources.add(path, String::new());
            diags.push(Diagnostic::new(
                Code::InvalidWindowFile,
                format!("window file cannot be read: {e}"),
                Label::new(Span::new(id, 0..0), "unreadable"),
            ));
            plan.unread_window_file = true;
            return;
        }
    };
    let id = sources.add(path, text);
    let read = windows_csv::read_window_file(id, sources.text(id), columns);
    if read.rejected && !contain::looks_like_table(sources.text(id)) {
        // Not a table at all (a key, an environment): one finding that quotes nothing.
        diags.push(contain::not_of_kind(
            id,
            sources.text(id),
            &contain::WINDOW_FILE,
        ));
        sources.make_opaque(id);
        plan.unread_window_file = true;
        return;
    }
    diags.extend(read.diagnostics);
    plan.unread_windows.extend(read.unread);
    plan.unread_window_file |= read.rejected;
    let windows = read.windows;
    let notation = plan.notation;
    for w in windows {
        let lit = |t| TimeLit {
            value: Some(t),
            notation,
            span: w.span,
        };
        let occurrence = IntervalLit {
            start: lit(w.interval.start),
            end: lit(w.interval.end),
            span: w.span,
        };
        match plan.windows.iter_mut().find(|d| d.name.value == w.name) {
            Some(decl) => match &mut decl.shape {
                WindowShape::Intervals(list) => list.push(occurrence),
                _ => diags.push(
                    Diagnostic::new(
                        Code::InvalidWindowFile,
                        format!(
                            "window `{}` is declared by a rule (`every` or `daily`) in the plan; a window file can only add occurrences to a list of intervals",
                            w.name
                        ),
                        Label::new(w.name_span, "occurrence for that window"),
                    )
                    .with_secondary(Label::new(decl.name.span, "declared here")),
                ),
            },
            None => plan.windows.push(WindowDecl {
                name: crate::source::Spanned::new(w.name.clone(), w.name_span),
                title: None,
                kind: None,
                shape: WindowShape::Intervals(vec![occurrence]),
                span: w.span,
            }),
        }
    }
}

/// A folder search gives up after this many entries (files and folders) below the folder:
/// `use procedures "/"` must not walk a whole disk. Symbolic links to folders are not
/// followed, so a link loop ends the search too.
pub const MAX_WALK_ENTRIES: usize = 200_000;

/// The largest input file opsplan reads (a requirement export, a window file, a log):
/// larger files are refused before they are read.
pub const MAX_INPUT_BYTES: u64 = 1024 * 1024 * 1024;

/// Reads a regular file of at most `limit` bytes. Anything else is refused before it is
/// opened: a folder, a device (`/dev/zero` never ends), a FIFO (opening it waits for a
/// writer), a file of the kernel's (`/proc/self/environ`: [`contain::special_place`]);
/// so is a file larger than the limit, which is never read whole.
pub fn read_bounded(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::{Error, ErrorKind, Read};
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(Error::new(ErrorKind::InvalidInput, "is a folder"));
    }
    if !meta.is_file() {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "not a regular file (a device, a pipe or a socket)",
        ));
    }
    if let Some(why) = contain::special_place(path) {
        return Err(Error::new(ErrorKind::InvalidInput, why));
    }
    let too_large = || {
        Error::new(
            ErrorKind::InvalidData,
            format!("larger than {} MiB", limit / (1024 * 1024)),
        )
    };
    if meta.len() > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)?
        .take(limit + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Reads a file as UTF-8 text into `sources`: `Ok` with its id, or `Err` with the id of
/// an empty or lossy copy when it cannot be read or is not UTF-8 (the finding, with
/// `code`, is recorded at the first bad byte). A file that is not UTF-8 and does not
/// start as the kind expected does (opsplan source, or a flight-rule file with `rules:`)
/// is never quoted: its copy is blanked ([`SourceDb::make_opaque`]).
pub fn read_utf8(
    path: &Path,
    sources: &mut SourceDb,
    diags: &mut Vec<Diagnostic>,
    code: Code,
) -> Result<FileId, FileId> {
    if let Some(text) = session::overlaid(path) {
        return Ok(sources.add(path, text));
    }
    match read_bounded(path, syntax::MAX_SOURCE_BYTES as u64) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(sources.add(path, text)),
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
                // A file of the kind expected in another encoding is quoted (its excerpt
                // shows where to look); anything else is located, never quoted.
                let meant = match code {
                    Code::InvalidFlightRuleFile => contain::names_rules(&lossy),
                    _ => syntax::starts_like_source(&lossy),
                };
                let id = sources.add(path, lossy);
                let mut message = "file is not valid UTF-8 text".to_string();
                if !meant {
                    sources.make_opaque(id);
                    message = format!(
                        "{message} ({} bytes); its content is not shown",
                        e.as_bytes().len()
                    );
                }
                diags.push(
                    Diagnostic::new(
                        code,
                        message,
                        Label::new(
                            Span::new(id, valid..valid + 1),
                            "first byte that is not UTF-8",
                        ),
                    )
                    .with_help("save the file as UTF-8"),
                );
                Err(id)
            }
        },
        Err(e) => {
            let id = sources.add(path, String::new());
            diags.push(Diagnostic::new(
                code,
                format!("file cannot be read: {e}"),
                Label::new(Span::new(id, 0..0), "unreadable"),
            ));
            Err(id)
        }
    }
}

/// Reads and loads the flight-rule files. A file that cannot be read gives a set marked
/// unreadable: its rules are unknown, and its finding says that none is evaluated.
fn load_rule_files(
    paths: &[PathBuf],
    sources: &mut SourceDb,
    diags: &mut Vec<Diagnostic>,
) -> Vec<crate::flight::RuleSet> {
    let mut sets = Vec::new();
    for path in paths {
        let _reading = crate::context::reading(path.display().to_string());
        let id = match read_utf8(path, sources, diags, Code::InvalidFlightRuleFile) {
            Ok(id) => id,
            Err(id) => {
                if let Some(d) = diags.last_mut().filter(|d| d.primary.span.file == id) {
                    d.notes
                        .push("none of the rules of this file is evaluated".to_string());
                }
                sets.push(crate::flight::RuleSet {
                    file: Some(id),
                    unreadable: true,
                    ..Default::default()
                });
                continue;
            }
        };
        let (set, d) = crate::flight::load(id, sources.text(id));
        if set.unreadable && !contain::names_rules(sources.text(id)) {
            // Not a flight-rule file at all: one finding that quotes nothing.
            diags.push(contain::not_of_kind(
                id,
                sources.text(id),
                &contain::FLIGHT_RULE_FILE,
            ));
            sources.make_opaque(id);
        } else {
            diags.extend(d);
        }
        sets.push(set);
    }
    sets
}

#[derive(Default)]
struct Loader {
    /// Files to read, in order; `seen` holds their canonical paths.
    queue: Vec<PathBuf>,
    seen: HashSet<PathBuf>,
    /// Flight-rule files, in the order they were named (each once; a file also named as
    /// a source is read as both, so neither use is dropped unsaid).
    rule_files: Vec<PathBuf>,
    seen_rules: HashSet<PathBuf>,
    /// `use rules` paths that name no file (R008): rules that are unknown.
    missing_rule_files: usize,
    /// `use windows` files: (index of the file's tree, index of the plan in it, path).
    window_files: Vec<(usize, usize, PathBuf)>,
    /// How window files name their columns (`windows:` in `opsplan.yaml`).
    window_columns: windows_csv::WindowColumns,
    policy: Policy,
    /// The requirements to trace to (`requirements:` in `opsplan.yaml`, or the caller's).
    trace: Option<TraceSetup>,
    /// Files named by `use procedures` (canonical path, the path's span): they must hold
    /// procedures only (a plan there would make `use` an include, and cycles possible).
    libraries: Vec<(PathBuf, Span)>,
    /// Files named by `use roster` (canonical path, the path's span, the plan's id): they
    /// must hold rosters of that plan only.
    roster_files: Vec<(PathBuf, Span, String)>,
    /// The project file applied.
    project: Project,
    /// The project file's `document:`.
    document: Option<document::DocumentControl>,
    /// Where the paths named by the inputs may lead (`contain`).
    roots: contain::Roots,
    /// The files named on the command line (canonical): always read.
    given: HashSet<PathBuf>,
}

/// One path of the command line, once the project file is chosen.
enum Root {
    /// The project file, or the folder holding it: its `inputs`.
    Project,
    /// A folder searched for sources.
    Dir(PathBuf),
    /// A source file.
    File(PathBuf),
}

/// What a path given is, or `NotFound` / `Unreadable`.
fn metadata_of(root: &Path) -> Result<std::fs::Metadata, LoadError> {
    std::fs::metadata(root).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => LoadError::NotFound(root.to_path_buf()),
        _ => LoadError::Unreadable {
            path: root.to_path_buf(),
            source: e,
        },
    })
}

fn is_config_name(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == CONFIG_FILE)
}

/// The project file that judges `paths` and what each path is (docs/flight-rules.md,
/// "Project file: how it is found"). Only asks whether files exist; reads nothing.
/// `NamedOnly` is not planned here but read path by path (`add_root_named_only`).
fn plan_roots(
    paths: &[PathBuf],
    choice: &ProjectChoice,
) -> Result<(Project, Vec<Root>), LoadError> {
    let dot = [PathBuf::from(".")];
    let given = if paths.is_empty() { &dot[..] } else { paths };
    match choice {
        ProjectChoice::NamedOnly => unreachable!("read by Loader::add_root_named_only"),
        ProjectChoice::Discover => {
            // (the path that led to it, the project file as read, its canonical key)
            let mut chosen: Option<(PathBuf, PathBuf, PathBuf)> = None;
            let mut source = ProjectSource::NotFound;
            let mut found_above: std::collections::HashMap<PathBuf, Option<PathBuf>> =
                Default::default();
            let mut above = |start: &Path| -> Result<Option<PathBuf>, LoadError> {
                let key = project::same_file_key(start);
                if let Some(f) = found_above.get(&key) {
                    return Ok(f.clone());
                }
                let f = project::find_above(start)?;
                found_above.insert(key, f.clone());
                Ok(f)
            };
            let mut roots = Vec::new();
            for p in given {
                let meta = metadata_of(p)?;
                let (candidate, root) = if meta.is_dir() {
                    match project::project_file_in(p)? {
                        Some(f) => (Some((f, ProjectSource::Named)), Root::Project),
                        None => (
                            above(p)?
                                .map(|k| (project::from_current_dir(&k), ProjectSource::Found)),
                            Root::Dir(p.clone()),
                        ),
                    }
                } else if is_config_name(p) {
                    (Some((p.clone(), ProjectSource::Named)), Root::Project)
                } else {
                    let parent = p
                        .parent()
                        .filter(|d| !d.as_os_str().is_empty())
                        .unwrap_or(Path::new("."));
                    (
                        above(parent)?
                            .map(|k| (project::from_current_dir(&k), ProjectSource::Found)),
                        Root::File(p.clone()),
                    )
                };
                roots.push(root);
                let Some((file, how)) = candidate else {
                    continue;
                };
                let key = project::same_file_key(&file);
                match &chosen {
                    None => {
                        chosen = Some((p.clone(), file, key));
                        source = how;
                    }
                    Some((first, first_file, k)) if *k != key => {
                        return Err(LoadError::ProjectConflict {
                            first: project::show_path(first),
                            first_project: project::show_path(first_file),
                            second: project::show_path(p),
                            second_project: project::show_path(&file),
                        });
                    }
                    Some((first, _, k)) => {
                        // The same file: read it as a path named it, when one did.
                        if source == ProjectSource::Found && how == ProjectSource::Named {
                            chosen = Some((first.clone(), file, k.clone()));
                            source = how;
                        }
                    }
                }
            }
            let project = Project {
                file: chosen.map(|(_, f, _)| f),
                source,
            };
            Ok((project, roots))
        }
        ProjectChoice::File(config) => {
            match std::fs::metadata(config) {
                Ok(m) if m.is_dir() => return Err(LoadError::ConfigIsFolder(config.clone())),
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(LoadError::ConfigNotFound(config.clone()))
                }
                Err(e) => {
                    return Err(LoadError::Unreadable {
                        path: config.clone(),
                        source: e,
                    })
                }
            }
            let key = project::same_file_key(config);
            let mut roots = Vec::new();
            if paths.is_empty() {
                roots.push(Root::Project);
            }
            for p in paths {
                let meta = metadata_of(p)?;
                let root = if meta.is_dir() {
                    let holds_it = project::project_file_in(p)?
                        .is_some_and(|f| project::same_file_key(&f) == key);
                    if holds_it {
                        Root::Project
                    } else {
                        Root::Dir(p.clone())
                    }
                } else if project::same_file_key(p) == key {
                    Root::Project
                } else if is_config_name(p) {
                    return Err(LoadError::OtherProjectFile {
                        path: p.clone(),
                        config: config.clone(),
                    });
                } else {
                    Root::File(p.clone())
                };
                roots.push(root);
            }
            let project = Project {
                file: Some(config.clone()),
                source: ProjectSource::Config,
            };
            Ok((project, roots))
        }
        ProjectChoice::Off => {
            let mut roots = Vec::new();
            for p in given {
                let meta = metadata_of(p)?;
                roots.push(if meta.is_dir() {
                    Root::Dir(p.clone())
                } else if is_config_name(p) {
                    return Err(LoadError::ProjectFileWithNoConfig(p.clone()));
                } else {
                    Root::File(p.clone())
                });
            }
            let project = Project {
                file: None,
                source: ProjectSource::Disabled,
            };
            Ok((project, roots))
        }
    }
}

impl Loader {
    /// Chooses the project file, applies it, and queues what each path names. Returns
    /// the first path (for "nothing to check").
    fn add_roots(
        &mut self,
        paths: &[PathBuf],
        choice: &ProjectChoice,
    ) -> Result<PathBuf, LoadError> {
        if *choice == ProjectChoice::NamedOnly {
            let roots = if paths.is_empty() {
                vec![PathBuf::from(".")]
            } else {
                paths.to_vec()
            };
            for root in &roots {
                self.add_root_named_only(root)?;
            }
            self.add_given(&roots);
            return Ok(roots[0].clone());
        }
        let (project, roots) = plan_roots(paths, choice)?;
        let config = match &project.file {
            Some(file) => Some((self.apply_config(file)?, file.clone())),
            None => None,
        };
        self.project = project;
        if paths.is_empty() && config.is_none() {
            self.add_given(&[PathBuf::from(".")]);
        } else {
            self.add_given(paths);
        }
        let mut inputs_added = false;
        for root in &roots {
            match root {
                Root::Project => {
                    if let (Some((config, file)), false) = (&config, inputs_added) {
                        self.add_inputs(config, file)?;
                        inputs_added = true;
                    }
                }
                Root::Dir(d) => self.add_dir(d)?,
                Root::File(f) => self.push(f.clone()),
            }
        }
        let first = match (paths.first(), &self.project.file) {
            (Some(p), _) => p.clone(),
            (None, Some(f)) if matches!(choice, ProjectChoice::File(_)) => f
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            (None, _) => PathBuf::from("."),
        };
        Ok(first)
    }

    /// The paths as before project files were looked for above them: a folder holding
    /// `opsplan.yaml` or the file itself is read through it, anything else as it is
    /// ([`ProjectChoice::NamedOnly`]).
    fn add_root_named_only(&mut self, root: &Path) -> Result<(), LoadError> {
        let meta = metadata_of(root)?;
        let config = if meta.is_dir() {
            let config = root.join(CONFIG_FILE);
            if !config.is_file() {
                return self.add_dir(root);
            }
            config
        } else if is_config_name(root) {
            root.to_path_buf()
        } else {
            self.push(root.to_path_buf());
            return Ok(());
        };
        let loaded = self.apply_config(&config)?;
        self.add_inputs(&loaded, &config)?;
        self.project = Project {
            file: Some(config),
            source: ProjectSource::Named,
        };
        Ok(())
    }

    /// The paths given on the command line: their folders are inside the roots, and the
    /// files are read wherever they are.
    fn add_given(&mut self, paths: &[PathBuf]) {
        for p in paths {
            self.roots.add_given(p);
            if !p.is_dir() {
                self.given.insert(project::same_file_key(p));
            }
        }
    }

    /// Reads the project file and applies its `allow-paths`, flight rules, window
    /// columns, policy and requirements (not its inputs: [`Loader::add_inputs`]). A path
    /// it names outside the project is an error at its value.
    fn apply_config(&mut self, path: &Path) -> Result<Config, LoadError> {
        let config = Config::load(path)?;
        let base = path.parent().unwrap_or(Path::new("."));
        let allowed = contain::allowed(base, &config.allow_paths).map_err(|(i, why)| {
            config.error_at(
                path,
                contain::ALLOW_KEY,
                &config.allow_paths[i],
                format!("{}: {why}", contain::ALLOW_KEY),
            )
        })?;
        self.roots.merge(contain::Roots::of_project(path, &allowed));
        let outside = |key: &str, value: &Path, o: contain::Outside| {
            config.error_at(
                path,
                key,
                value,
                format!("{key}: `{}`: {o}", value.display()),
            )
        };
        self.policy = config.policy();
        self.document = config.document.clone();
        self.window_columns = config.windows.clone().unwrap_or_default();
        if let Some(r) = &config.requirements {
            for (key, list) in [("sources", &r.sources), ("baseline", &r.baseline)] {
                for v in list.to_vec() {
                    self.roots
                        .check(&base.join(&v))
                        .map_err(|o| outside(key, &v, o))?;
                }
            }
            if let Some((key, value, message)) = r.need_without_attribute() {
                return Err(config.error_at(path, key, Path::new(&value), message));
            }
            let mut setup = trace_setup(r, base, path);
            setup.import.contain = Some(self.roots.clone());
            if let Some(follow) = &r.impact.follow {
                setup.policy.impact.written = Some((
                    path.to_path_buf(),
                    impact::locate_follow_types(&config.text, follow),
                ));
            }
            self.trace = Some(setup);
        }
        if let Some(e) = &config.evidence {
            let Some(setup) = self.trace.as_mut() else {
                let (line, column) = contain::locate_value(&config.text, "evidence", "");
                return Err(LoadError::Config {
                    path: path.to_path_buf(),
                    line,
                    column,
                    message: "evidence: is evidence for requirements, and the project file names none: add `requirements: sources:`".to_string(),
                });
            };
            let checked = evidence::EvidenceSetup::new(e, base, path, &self.roots).map_err(
                |(key, value, message)| config.error_at(path, key, Path::new(&value), message),
            )?;
            setup.policy.evidence = Some(e.clone());
            setup.evidence = Some(checked);
        }
        for r in &config.rules {
            let p = base.join(r);
            if !p.is_file() {
                return Err(LoadError::NotFound(p));
            }
            self.roots.check(&p).map_err(|o| outside("rules", r, o))?;
            self.push_rules(p);
        }
        Ok(config)
    }

    /// Queues the project file's `inputs` (default: its folder); an input outside the
    /// project is an error at its value.
    fn add_inputs(&mut self, config: &Config, path: &Path) -> Result<(), LoadError> {
        let base = path.parent().unwrap_or(Path::new("."));
        for input in config.inputs_or_default() {
            let p = if input == Path::new(".") && !base.as_os_str().is_empty() {
                base.to_path_buf()
            } else {
                base.join(&input)
            };
            if !p.exists() {
                return Err(LoadError::NotFound(p));
            }
            if let Err(o) = self.roots.check(&p) {
                return Err(config.error_at(
                    path,
                    "inputs",
                    &input,
                    format!("inputs: `{}`: {o}", input.display()),
                ));
            }
            if p.is_dir() {
                self.add_dir(&p)?;
            } else {
                self.push(p);
            }
        }
        Ok(())
    }

    fn add_dir(&mut self, dir: &Path) -> Result<(), LoadError> {
        for file in source_files_in(dir)? {
            self.push(file);
        }
        Ok(())
    }

    fn push_rules(&mut self, path: PathBuf) {
        let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if self.seen_rules.insert(key) {
            self.rule_files.push(path);
        }
    }

    fn push(&mut self, path: PathBuf) {
        let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if self.seen.insert(key) {
            self.queue.push(path);
        }
    }

    /// Reads and parses the queue in waves: every file queued so far is parsed (on all
    /// cores), then the `use procedures` of its plans queue the next wave. The files keep
    /// the queue's order, so the output does not depend on the number of threads.
    fn run(mut self) -> Run {
        let trace = self.trace.take();
        std::thread::scope(|scope| {
            // The exports do not depend on the plans: they are read meanwhile.
            let pending = trace.map(|setup| scope.spawn(move || load_trace_detached(setup)));
            self.run_plans(pending)
        })
    }

    fn run_plans(mut self, pending: Option<PendingReqs<'_>>) -> Run {
        let mut sources = SourceDb::new();
        let mut asts = Vec::new();
        let mut diags = Vec::new();
        let mut file_asts: std::collections::HashMap<PathBuf, usize> = Default::default();
        let mut next = 0;
        while next < self.queue.len() {
            let wave: Vec<PathBuf> = self.queue[next..].to_vec();
            next = self.queue.len();
            crate::context::progress(crate::context::Phase::Reading { files: wave.len() });
            let mut parsed: Vec<(PathBuf, FileId)> = Vec::new();
            for path in wave {
                let refused = if self.given.contains(&project::same_file_key(&path)) {
                    None
                } else {
                    self.roots.check(&path).err()
                };
                let Some(id) = Self::read(&path, refused, &mut sources, &mut asts, &mut diags)
                else {
                    continue;
                };
                parsed.push((path, id));
            }
            let texts: Vec<(FileId, &str)> = parsed
                .iter()
                .map(|&(_, id)| (id, sources.text(id)))
                .collect();
            crate::context::progress(crate::context::Phase::Parsing { files: texts.len() });
            let names: Vec<&Path> = parsed.iter().map(|(p, _)| p.as_path()).collect();
            let results = session::parse_many(&names, &texts);
            for ((path, id), (mut ast, mut d)) in parsed.iter().zip(results) {
                if ast.has_syntax_errors && !syntax::starts_like_source(sources.text(*id)) {
                    // Not opsplan text (a password file, an environment, a key): one
                    // finding that quotes nothing, and the text forgotten.
                    d = vec![contain::not_of_kind(
                        *id,
                        sources.text(*id),
                        &contain::OPSPLAN_SOURCE,
                    )];
                    sources.make_opaque(*id);
                    ast = syntax::ast::SourceAst {
                        file: *id,
                        plans: Vec::new(),
                        procedures: Vec::new(),
                        scenarios: Vec::new(),
                        rosters: Vec::new(),
                        has_syntax_errors: true,
                    };
                }
                diags.extend(d);
                self.follow_uses(path, asts.len(), &ast, &mut diags);
                let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
                file_asts.insert(key, asts.len());
                asts.push(ast);
            }
        }
        for (key, span) in &self.libraries {
            let Some(plan) = file_asts.get(key).and_then(|&ai| asts[ai].plans.first()) else {
                continue;
            };
            diags.push(
                Diagnostic::new(
                    Code::UnresolvedUsePath,
                    format!(
                        "cannot use `{}` as procedures: it holds plan `{}`",
                        sources.slice(*span).trim_matches('"'),
                        plan.id.value
                    ),
                    Label::new(*span, "a plan, not a procedure library"),
                )
                .with_help(
                    "`use procedures` names procedure files or folders; give other plans to \
                     `opsplan check` beside this one",
                ),
            );
        }
        for (key, span, plan) in &self.roster_files {
            let Some(ast) = file_asts.get(key).map(|&ai| &asts[ai]) else {
                continue;
            };
            if ast.has_syntax_errors {
                continue;
            }
            let path = sources.slice(*span).trim_matches('"').to_string();
            let why = if let Some(other) = ast.plans.first() {
                Some(format!("it holds plan `{}`", other.id.value))
            } else if ast.rosters.is_empty() {
                Some("it holds no roster".to_string())
            } else {
                ast.rosters
                    .iter()
                    .find(|r| r.plan.as_ref().is_some_and(|p| &p.value != plan))
                    .map(|r| {
                        format!(
                            "its roster `{}` staffs plan `{}`",
                            r.id.value,
                            r.plan.as_ref().map_or("", |p| p.value.as_str())
                        )
                    })
            };
            if let Some(why) = why {
                diags.push(
                    Diagnostic::new(
                        Code::UnresolvedUsePath,
                        format!("cannot use `{path}` as the roster of plan `{plan}`: {why}"),
                        Label::new(*span, "not a roster of this plan"),
                    )
                    .with_help(
                        "`use roster` names a file of `roster` items whose `plan` is this plan",
                    ),
                );
            }
        }
        for (ai, pi, path) in &self.window_files {
            let Some(plan) = asts.get_mut(*ai).and_then(|a| a.plans.get_mut(*pi)) else {
                continue;
            };
            load_window_file(path, &self.window_columns, plan, &mut sources, &mut diags);
        }
        let mut rule_sets = load_rule_files(&self.rule_files, &mut sources, &mut diags);
        // A `use rules` path that names no file: its rules are unknown (R008 says why).
        rule_sets.extend(
            (0..self.missing_rule_files).map(|_| crate::flight::RuleSet {
                unreadable: true,
                ..Default::default()
            }),
        );
        let mut run = finish(sources, asts, diags, rule_sets, &self.policy, pending);
        run.project = self.project;
        run.document = self.document;
        run
    }

    /// Reads one file into `sources`. `None` when it is refused (it leads outside the
    /// project: `refused`), unreadable or not UTF-8 (then the finding and an empty tree
    /// are recorded).
    fn read(
        path: &Path,
        refused: Option<contain::Outside>,
        sources: &mut SourceDb,
        asts: &mut Vec<syntax::ast::SourceAst>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<FileId> {
        let read = match refused {
            Some(outside) => {
                let id = sources.add(path, String::new());
                let mut d = Diagnostic::new(
                    Code::UnreadableSource,
                    format!("file not read: {outside}"),
                    Label::new(Span::new(id, 0..0), "not read"),
                );
                if !outside.special {
                    d = d.with_help("a link in a folder searched leads out of the project");
                }
                diags.push(d);
                Err(id)
            }
            None => read_utf8(path, sources, diags, Code::UnreadableSource),
        };
        match read {
            Ok(id) => Some(id),
            Err(id) => {
                asts.push(syntax::ast::SourceAst {
                    file: id,
                    plans: Vec::new(),
                    procedures: Vec::new(),
                    scenarios: Vec::new(),
                    rosters: Vec::new(),
                    has_syntax_errors: true,
                });
                None
            }
        }
    }

    fn follow_uses(
        &mut self,
        path: &Path,
        ast_index: usize,
        ast: &syntax::ast::SourceAst,
        diags: &mut Vec<Diagnostic>,
    ) {
        let base = path.parent().unwrap_or(Path::new("."));
        for (plan_index, plan) in ast.plans.iter().enumerate() {
            for u in &plan.uses {
                let target = base.join(&u.path.value);
                if let Err(outside) = self.roots.check(&target) {
                    self.refuse_use(u, &outside.to_string(), diags);
                    continue;
                }
                let problem = match std::fs::metadata(&target) {
                    Err(e) => Some(e.to_string()),
                    Ok(meta) if u.kind == UseKind::Procedures => {
                        if meta.is_dir() {
                            match source_files_in(&target) {
                                Ok(files) => {
                                    for f in files.into_iter().filter(|f| has_ext(f, "proc")) {
                                        match self.roots.check(&f) {
                                            Ok(()) => self.push(f),
                                            Err(outside) => {
                                                let within = f
                                                    .strip_prefix(&target)
                                                    .unwrap_or(&f)
                                                    .to_path_buf();
                                                let why = format!(
                                                    "its file `{}` is not read: {outside}",
                                                    project::show_path(&within)
                                                );
                                                self.refuse_use(u, &why, diags);
                                            }
                                        }
                                    }
                                    None
                                }
                                Err(e) => Some(e.to_string()),
                            }
                        } else if meta.is_file() {
                            let key =
                                std::fs::canonicalize(&target).unwrap_or_else(|_| target.clone());
                            self.libraries.push((key, u.path.span));
                            self.push(target.clone());
                            None
                        } else {
                            Some("not a file or a folder".to_string())
                        }
                    }
                    Ok(meta) if u.kind == UseKind::Rules && meta.is_file() => {
                        self.push_rules(target.clone());
                        None
                    }
                    Ok(_) if u.kind == UseKind::Rules => Some("not a file".to_string()),
                    Ok(meta) if u.kind == UseKind::Windows && meta.is_file() => {
                        self.window_files
                            .push((ast_index, plan_index, target.clone()));
                        None
                    }
                    Ok(_) if u.kind == UseKind::Windows => Some("not a file".to_string()),
                    Ok(meta) if u.kind == UseKind::Roster && meta.is_file() => {
                        let key = std::fs::canonicalize(&target).unwrap_or_else(|_| target.clone());
                        self.roster_files
                            .push((key, u.path.span, plan.id.value.clone()));
                        self.push(target.clone());
                        None
                    }
                    Ok(_) if u.kind == UseKind::Roster => Some("not a file".to_string()),
                    Ok(_) => None,
                };
                if let Some(why) = problem {
                    let mut d = Diagnostic::new(
                        Code::UnresolvedUsePath,
                        format!("cannot use `{}`: {why}", u.path.value),
                        Label::new(u.path.span, format!("looked for {}", target.display())),
                    )
                    .with_help("paths in `use` are relative to the plan file");
                    if u.kind == UseKind::Rules {
                        self.missing_rule_files += 1;
                        d = d.with_note("the rules of this file are not evaluated");
                    }
                    diags.push(d);
                }
            }
        }
    }
}

impl Loader {
    /// A `use` whose path leads outside the project: an `E003` at the path, nothing read
    /// (and for `use rules`, the file's rules counted as not evaluated).
    fn refuse_use(&mut self, u: &syntax::ast::Use, why: &str, diags: &mut Vec<Diagnostic>) {
        let mut d = Diagnostic::new(
            Code::UnreadableSource,
            format!("cannot use `{}`: {why}", u.path.value),
            Label::new(u.path.span, "not read"),
        )
        .with_help(
            "paths in `use` are relative to the plan file and must stay inside the project \
             (the folder of its opsplan.yaml, or the folders given)",
        );
        if u.kind == UseKind::Rules {
            self.missing_rule_files += 1;
            d = d.with_note("the rules of this file are not evaluated");
        }
        diags.push(d);
    }
}

/// The trace setup a project file describes (paths relative to its folder).
fn trace_setup(r: &RequirementsConfig, base: &Path, config_file: &Path) -> TraceSetup {
    let columns = r.columns.clone().unwrap_or_default();
    TraceSetup {
        sources: r
            .sources
            .to_vec()
            .iter()
            .map(|p| tidy(&base.join(p)))
            .collect(),
        baseline: r
            .baseline
            .to_vec()
            .iter()
            .map(|p| tidy(&base.join(p)))
            .collect(),
        baseline_tree: None,
        import: requirements::ImportOptions {
            columns,
            sheet: r.sheet.clone(),
            id_attribute: r.id.clone(),
            contain: None,
            exclude: Vec::new(),
            tree: None,
            modules: r
                .modules
                .iter()
                .map(|(name, m)| {
                    let rule = crate::reqs::ids::IdRule {
                        attribute: m.id.clone(),
                        prefix: m.prefix.clone(),
                    };
                    (name.clone(), rule)
                })
                .collect(),
        },
        policy: crate::trace::TracePolicy {
            need: r.need.clone(),
            module_need: r
                .modules
                .iter()
                .filter_map(|(name, m)| Some((name.clone(), m.need.clone()?)))
                .collect(),
            ids: Default::default(),
            withdrawn: r.withdrawn.clone(),
            fingerprint: r.fingerprint.clone(),
            impact: r.impact.clone(),
            writeback: r.writeback.clone(),
            evidence: None,
            justified: r
                .justified
                .iter()
                .map(|(id, reason)| crate::trace::Justification {
                    id: id.clone(),
                    reason: reason.clone(),
                    span: None,
                })
                .collect(),
        },
        config_file: Some(config_file.to_path_buf()),
        evidence: None,
    }
}

/// `examples/week40/../../requirements/x.reqif` → `requirements/x.reqif`, as users read
/// it (lexically: `..` after a named folder removes both; links are not followed).
fn tidy(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.is_empty() {
        PathBuf::from(".")
    } else {
        out.iter().collect()
    }
}

/// Reads the current and baseline exports into `sources`; a file that cannot be read
/// is a `Q001` finding. Justifications are located in the project file.
fn load_trace_inputs(
    mut setup: TraceSetup,
    sources: &mut SourceDb,
    diags: &mut Vec<Diagnostic>,
) -> LoadedReqs {
    let mut read =
        |paths: &[PathBuf], import: &requirements::ImportOptions, sources: &mut SourceDb| {
            match requirements::load_into(paths, import, sources) {
                Ok((exports, d)) => {
                    diags.extend(d);
                    exports
                }
                Err(e) => {
                    let id = sources.add(paths.first().cloned().unwrap_or_default(), String::new());
                    diags.push(Diagnostic::new(
                        Code::InvalidRequirementExport,
                        e.to_string(),
                        Label::new(Span::new(id, 0..0), "cannot be read"),
                    ));
                    Vec::new()
                }
            }
        };
    // A baseline inside a folder of the current exports (`requirements/baseline/`) is
    // not read as current exports too (every requirement would be a duplicate).
    let current = requirements::ImportOptions {
        exclude: setup
            .baseline
            .iter()
            .filter(|_| setup.baseline_tree.is_none())
            .filter_map(|b| std::fs::canonicalize(b).ok())
            .collect(),
        ..setup.import.clone()
    };
    let exports = read(&setup.sources, &current, sources);
    let baseline = if setup.baseline.is_empty() {
        Vec::new()
    } else {
        let import = requirements::ImportOptions {
            tree: setup.baseline_tree.clone(),
            ..setup.import.clone()
        };
        read(&setup.baseline, &import, sources)
    };
    setup.policy.ids = setup.import.cited_ids();
    // A `modules:` key naming no module of the exports would leave its settings unused,
    // unsaid (the baseline may lack a module added since).
    let unknown = requirements::unknown_modules(&exports, setup.import.modules.keys());
    if let Some(config) = setup
        .config_file
        .as_ref()
        .filter(|_| !setup.policy.justified.is_empty() || !unknown.is_empty())
    {
        // Unreadable now, it is still the file the findings are about.
        let text = read_bounded(config, MAX_INPUT_BYTES)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        let spans: Vec<Option<std::ops::Range<usize>>> = setup
            .policy
            .justified
            .iter()
            .map(|j| locate_justification(&text, &j.id))
            .collect();
        let module_spans: Vec<std::ops::Range<usize>> = unknown
            .iter()
            .map(|u| requirements::locate_module_key(&text, &u.key).unwrap_or(0..0))
            .collect();
        let id = sources.add(config, text);
        for (j, range) in setup.policy.justified.iter_mut().zip(spans) {
            j.span = Some(Span::new(id, range.unwrap_or(0..0)));
        }
        for (u, range) in unknown.into_iter().zip(module_spans) {
            diags.push(u.finding(Span::new(id, range)));
        }
    }
    LoadedReqs {
        exports,
        baseline,
        policy: setup.policy,
        evidence: setup.evidence,
    }
}

/// The key `id:` under `justified:` in a project file's text.
pub(super) fn locate_justification(text: &str, id: &str) -> Option<std::ops::Range<usize>> {
    let from = text.find("justified:")?;
    let mut at = from;
    while let Some(i) = text[at..].find(id) {
        let start = at + i;
        let end = start + id.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].trim_start_matches(['"', '\'']).chars().next();
        if before.is_none_or(|c| c.is_whitespace() || c == '"' || c == '\'') && after == Some(':') {
            return Some(start..end);
        }
        at = end;
    }
    None
}

fn has_ext(path: &Path, ext: &str) -> bool {
    path.extension().is_some_and(|e| e == ext)
}

/// Every `*.plan`, `*.proc` and `*.scn` below `dir`, sorted, skipping hidden directories and `target`.
pub fn source_files_in(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    source_files_capped(dir, MAX_WALK_ENTRIES)
}

fn source_files_capped(dir: &Path, max_entries: usize) -> Result<Vec<PathBuf>, LoadError> {
    files_below(
        dir,
        max_entries,
        |name| !name.to_string_lossy().starts_with('.') && name != "target",
        |p| SOURCE_EXTENSIONS.iter().any(|e| has_ext(p, e)),
    )
}

/// The files below `dir` that `keep` wants, sorted: every folder search of a run (sources,
/// requirement exports, CDMs) goes through here. Folders are entered when `enter` accepts
/// their name; links to folders are never followed (a link loop cannot make the walk
/// endless, nor a link lead it out of the project), while a link to a file is kept as a
/// file. The walk stops with `TooManyEntries` after `max_entries` entries; it holds an
/// explicit stack, not a recursion.
pub(crate) fn files_below(
    dir: &Path,
    max_entries: usize,
    enter: impl Fn(&std::ffi::OsStr) -> bool,
    keep: impl Fn(&Path) -> bool,
) -> Result<Vec<PathBuf>, LoadError> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    let mut entries_seen = 0usize;
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| LoadError::Unreadable {
            path: d.clone(),
            source: e,
        })?;
        for entry in entries {
            let entry = entry.map_err(|e| LoadError::Unreadable {
                path: d.clone(),
                source: e,
            })?;
            entries_seen += 1;
            if entries_seen > max_entries {
                return Err(LoadError::TooManyEntries(dir.to_path_buf(), max_entries));
            }
            let p = entry.path();
            let ft = entry.file_type().map_err(|e| LoadError::Unreadable {
                path: p.clone(),
                source: e,
            })?;
            if ft.is_dir() {
                if enter(&entry.file_name()) {
                    stack.push(p);
                }
            } else if keep(&p) {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod walk_tests {
    use super::*;

    #[test]
    fn a_folder_search_stops_after_its_entry_cap_and_never_follows_folder_links() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..30 {
            std::fs::write(dir.path().join(format!("p{i:02}.proc")), "").unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
        let all = source_files_capped(dir.path(), 100).unwrap();
        assert_eq!(all.len(), 30);
        match source_files_capped(dir.path(), 10) {
            Err(e @ LoadError::TooManyEntries(_, 10)) => {
                assert!(
                    e.to_string().contains("more than 10 entries below it"),
                    "{e}"
                )
            }
            other => panic!("{other:?}"),
        }
    }
}
