//! Command-line interface: arguments, commands, exit codes. No domain logic.
//!
//! Exit codes: 0 no finding at error severity (pass, or pass with waivers); 1 findings at
//! error severity; 2 usage or input failure (a missing file, an unreadable directory, a
//! bad project file, an invalid flight-rule or window file, an output `-o` refused because
//! it is an input of the run or not a regular file: `write.rs`).
//! Writing to a closed pipe (`opsplan check | head`) ends quietly with 0.
//! SIGINT, SIGTERM and SIGHUP remove the temporary files and end the process by the
//! signal (`temp.rs`): a shell shows 130, 143 or 129.

/// The help paragraph every command that judges a plan shows (docs/flight-rules.md,
/// "Project file: how it is found").
macro_rules! project_help {
    () => {
        "Project file: a folder holding opsplan.yaml is read through it (its `inputs`), and so is an opsplan.yaml given. For any other path (a file, a folder, the default `.`) the nearest opsplan.yaml above it is found, walking up from its folder and stopping after the repository root (the first folder holding `.git`); its flight rules, requirements, window columns and severities judge the paths given (its other inputs are not added). Paths that lead to two different project files are refused (exit 2). --config FILE names the project file, --no-config uses none. The output names the project file used. \
docs/flight-rules.md (\"Project file: how it is found\") has the details."
    };
}

mod agenda;
mod export;
mod fmt;
mod git_side;
mod monthly;
mod panic;
mod pdf;
mod progress;
mod qualification;
mod report;
mod reqif_update;
mod shell;
mod staffing_report;
pub(crate) mod temp;
mod watch;
pub mod write;

use crate::checks;
use crate::diag::ALL_CODES;
use crate::output;
use crate::workspace;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_FAILURE: u8 = 2;
/// A bug: a panic inside opsplan or a crate it calls, reported in one line (`panic.rs`);
/// nothing was written.
pub const EXIT_INTERNAL: u8 = 3;

#[derive(Parser, Debug)]
#[command(
    name = "opsplan",
    version,
    about = "Check flight plans and operational procedures before they go out",
    long_about = "opsplan reads flight plans (*.plan) and operational procedures (*.proc), \
resolves every name and time, and reports what is inconsistent: undefined references, \
dependency cycles, violated relations, resource clashes, procedure logic errors.",
    after_help = "Examples:\n  \
opsplan check examples/atv5-week40          check a mission folder\n  \
opsplan check week40.plan procedures/       check a plan with a procedure library\n  \
opsplan check --format json . > findings.json\n  \
opsplan rule G001                           explain a finding's rule\n\n\
Exit codes: 0 clean, 1 findings at error severity, 2 usage or input failure (an -o that \
names an input of the run or a non-regular file included: nothing is written). \
Interrupted by SIGINT, SIGTERM or SIGHUP, opsplan removes its temporary files and ends \
by that signal (a shell shows 130, 143 or 129)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check plans and procedures and report every finding.
    #[command(after_help = concat!("Examples:\n  \
opsplan check                                 the current folder (or its opsplan.yaml)\n  \
opsplan check examples/atv5-week40\n  \
opsplan check plan.plan lib/ --format json\n  \
opsplan check examples/atv5-week40/atv5-week40.plan   judged by examples/atv5-week40/opsplan.yaml\n  \
opsplan check --config ci.yaml plans/         another project file\n\n\
PATHS may be .plan/.proc/.scn/.roster files, folders (searched recursively) or an opsplan.yaml \
project file.\n", project_help!(), "\n\
The line before the verdict names the project file (`project file: PATH`, or `none found`, \
or `none (--no-config)`).\n\
The last line is the verdict: pass, pass with waivers (violations covered by `waive`), or fail.\n\
Exit codes: 0 pass or pass with waivers, 1 findings at error severity, 2 usage or input \
failure (including an invalid flight-rule or window file, a bad opsplan.yaml, paths in two \
projects, a missing --config file)."))]
    Check(CheckArgs),
    /// Print the documentation of a rule (by code or name), or list every rule.
    #[command(
        after_help = "Examples:\n  opsplan rule            list every rule\n  opsplan rule T006\n  opsplan rule dependency-cycle"
    )]
    Rule {
        /// A code such as `G001` or a name such as `dependency-cycle`.
        code: Option<String>,
    },
    /// Requirements exported from DOORS, DOORS Next, Polarion, ReqIF tools.
    #[command(subcommand)]
    Reqs(ReqsCommand),
    /// Trace plans, procedures, steps and flight rules to the requirements: coverage,
    /// uncovered, suspect and dangling traces, the matrix, the impact of changes.
    #[command(after_help = concat!("Examples:\n  \
opsplan trace examples/atv5-week40                 requirements named in its opsplan.yaml\n  \
opsplan trace plan.plan procs/ -r reqs.reqif\n  \
opsplan trace examples/atv5-week40 --changed-since requirements/baseline/atv-ops-requirements-baseline-1.reqif\n  \
opsplan trace --format xlsx -o matrix.xlsx         the matrix for a qualification team\n\n\
Statuses: covered, suspect, uncovered, justified, not-required, withdrawn, duplicate \
(requirements); covers, suspect, dangling, withdrawn, ambiguous (links). \
docs/tracing.md explains them and the `requirements:` section of opsplan.yaml.\n", project_help!(), "\n\
The first line names the project file.\n\
Exit codes: 0 no trace defect, 1 trace defects (uncovered, suspect, dangling, withdrawn, \
duplicate, ambiguous), 2 usage or input failure (an unreadable export or plan)."))]
    Trace(TraceArgs),
    /// What changed between two issues of a plan: activities added, removed, moved,
    /// re-assigned, relations re-timed, procedure versions, flight-rule verdicts.
    #[command(after_help = concat!("Examples:\n  \
opsplan diff issue3/ issue4/                    two mission folders (or opsplan.yaml)\n  \
opsplan diff old.plan new.plan --format json\n  \
opsplan diff examples/atv5-week40/issues/atv5-week40-issue2.plan examples/atv5-week40\n\n\
Each side is read and checked as `opsplan check` would; activities are matched by id.\n", project_help!(), "\n\
Each side finds its own project file; --config FILE or --no-config applies to both sides. \
The line before the summary names both (`project files: OLD → NEW`).\n\
Exit codes (as diff(1)): 0 no difference, 1 differences, 2 usage or input failure."))]
    Diff(DiffArgs),
    /// Reports people read: the consistency report, the traceability report, the monthly
    /// operations report (HTML, Markdown or JSON).
    #[command(
        subcommand,
        after_help = "Examples:\n  \
opsplan report consistency examples/atv5-week40 -o consistency.html\n  \
opsplan report trace examples/atv5-week40 --format md -o trace.md\n  \
opsplan report monthly --month 2014-10 examples/atv5-2014-10 -o mor-2014-10.html\n\n\
Reports are deterministic: the generation time is SOURCE_DATE_EPOCH or the newest input's \
modification time, never the clock."
    )]
    Report(report::ReportCommand),
    /// The transmission package of a checked plan: JSON, CSV, iCalendar per role, the
    /// consistency report and a MANIFEST of SHA-256 sums.
    #[command(after_help = export::AFTER_HELP)]
    Export(export::ExportArgs),
    /// Canonical layout of .plan and .proc files (every comment kept).
    Fmt(fmt::FmtArgs),
    /// The Operations Manager's shift sheet: what runs and what comes next for each role.
    Agenda(agenda::AgendaArgs),
    /// Print the completion script of a shell (bash, zsh, fish, powershell, elvish).
    #[command(after_help = shell::COMPLETIONS_AFTER_HELP)]
    Completions(shell::CompletionsArgs),
    /// Print the manual page opsplan(1), or write every page into a folder.
    #[command(after_help = shell::MAN_AFTER_HELP)]
    Man(shell::ManArgs),
    /// The language server for editors: the Language Server Protocol over stdin and
    /// stdout.
    #[command(
        after_help = "Started by an editor (the VS Code extension runs `opsplan lsp`), not by hand. \
It serves findings as diagnostics (the same as `opsplan check` with the project's opsplan.yaml), \
formatting (`opsplan fmt`), the outline, workspace symbols, hover, definition, references, \
completion and quick fixes. docs/editors.md, \"Language server\", has the details.\n\
Exit codes: 0 after the client's shutdown and exit, 1 when the client exits without shutdown \
or stdin ends first."
    )]
    Lsp,
}

#[derive(Subcommand, Debug)]
pub enum ReqsCommand {
    /// List every object an export holds: id, heading or requirement, level, text,
    /// attributes, links.
    #[command(after_help = "Examples:\n  \
opsplan reqs list requirements/atv-ops-requirements.reqif --id \"Req ID\"\n  \
opsplan reqs list export.csv --prefix ATV-OPS-REQ\n  \
opsplan reqs list trace.xlsx --sheet Requirements --format json\n\n\
Formats: .reqif, .reqifz, .csv, .tsv, .xlsx, .xlsm, .xls, .ods (folders are searched).\n\
Exit codes: 0 read, 2 an export or one of its objects could not be read (Q001), or usage.")]
    List(ReqsListArgs),
    /// What changed between two exports (two baselines of a module): requirements
    /// added, removed and changed, attribute by attribute.
    #[command(after_help = "Examples:\n  \
opsplan reqs diff requirements/baseline/atv-ops-requirements-baseline-1.reqif requirements/atv-ops-requirements.reqif --id \"Req ID\"\n  \
opsplan reqs diff old.csv new.csv --format json\n\n\
Objects are matched by id; re-wrapped text is not a change.\n\
Exit codes (as diff(1)): 0 no difference, 1 differences, 2 usage or input failure.")]
    Diff(ReqsDiffArgs),
}

#[derive(clap::Args, Debug)]
pub struct ReqsDiffArgs {
    /// The older export (file or folder), or `git:REV:PATH`: PATH at the revision REV of
    /// its repository.
    pub old: PathBuf,
    /// The newer export (file or folder).
    pub new: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub import: ImportArgs,
    /// Show no progress bar (one appears on standard error, when it is a terminal, for a
    /// run longer than a second).
    #[arg(short, long)]
    pub quiet: bool,
}

/// How exports are read.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ImportArgs {
    /// The sheet of a workbook to read.
    #[arg(long)]
    pub sheet: Option<String>,
    /// A module prefix put before ids that are bare numbers: DOORS absolute numbers in
    /// spreadsheets, DOORS Next artifact numbers in ReqIF and spreadsheets (`ATV-OPS-REQ`,
    /// `AMR-`).
    #[arg(long)]
    pub prefix: Option<String>,
    /// The attribute or column holding the id users cite, when it is not the export's
    /// own id (`--id "Req ID"`); objects without a value keep their id.
    #[arg(long = "id", value_name = "ATTRIBUTE")]
    pub id_attribute: Option<String>,
}

impl ImportArgs {
    fn options(&self) -> workspace::requirements::ImportOptions {
        workspace::requirements::ImportOptions {
            columns: crate::reqs::tabular::ColumnMap {
                prefix: self.prefix.clone(),
                ..Default::default()
            },
            sheet: self.sheet.clone(),
            id_attribute: self.id_attribute.clone(),
            contain: None,
            exclude: Vec::new(),
            modules: Default::default(),
            tree: None,
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct TraceArgs {
    /// Files, folders or opsplan.yaml (default: the current folder).
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Requirement exports, in place of `requirements: sources:` of opsplan.yaml.
    #[arg(short = 'r', long = "requirements", value_name = "FILE")]
    pub requirements: Vec<PathBuf>,
    /// An older baseline of the exports: traces to requirements changed since are suspect.
    /// `git:REV` reads the same exports at a revision of their repository, `git:REV:PATH`
    /// one file or folder (`./git:…` for a file so named).
    #[arg(long, value_name = "FILE")]
    pub baseline: Vec<PathBuf>,
    /// List the activities, procedures, steps and flight rules affected by the
    /// requirements changed since OLD (OLD is also the baseline; `git:REV` or
    /// `git:REV:PATH` as for --baseline).
    #[arg(long, value_name = "OLD")]
    pub changed_since: Vec<PathBuf>,
    /// The attribute or column holding the id users cite (`--id "Req ID"`).
    #[arg(long = "id", value_name = "ATTRIBUTE")]
    pub id_attribute: Option<String>,
    /// Put before requirement ids that are bare numbers (DOORS Next artifact numbers,
    /// DOORS absolute numbers), in place of `requirements: columns: prefix:` (`--prefix AMR-`).
    #[arg(long)]
    pub prefix: Option<String>,
    #[arg(long, value_enum, default_value_t = TraceFormat::Text)]
    pub format: TraceFormat,
    /// Exit 1 when fewer than PERCENT % of the requirements counted (all but
    /// not-required, withdrawn and justified ones) are verified by the evidence of
    /// `evidence:` in opsplan.yaml.
    #[arg(long, value_name = "PERCENT", value_parser = percent)]
    pub min_verified: Option<f64>,
    /// Write to this file (written whole or not at all) instead of standard output;
    /// required for xlsx, doors-xlsx and reqif-update.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The ReqIF or ReqIFz source `--format reqif-update` writes back into, when the
    /// requirement sources hold several.
    #[arg(long, value_name = "FILE")]
    pub writeback_source: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Show no progress bar (one appears on standard error, when it is a terminal, for a
    /// run longer than a second).
    #[arg(short, long)]
    pub quiet: bool,
}

/// A percentage from 0 to 100.
fn percent(text: &str) -> Result<f64, String> {
    let v: f64 = text
        .trim()
        .trim_end_matches('%')
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if (0.0..=100.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{v} is not a percentage from 0 to 100"))
    }
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum TraceFormat {
    /// The table and the findings, for a reader.
    Text,
    /// Everything, for tools.
    Json,
    /// The matrix requirement × artifact.
    Csv,
    /// The matrix, a summary and the requirement list as an Excel workbook.
    Xlsx,
    /// The write-back into DOORS: key column, coverage and "covered by", as CSV.
    DoorsCsv,
    /// The write-back into DOORS as an Excel workbook.
    DoorsXlsx,
    /// The write-back into the ReqIF or ReqIFz export itself: the same file with only the
    /// write-back attributes' values (and LAST-CHANGE) changed, for DOORS to merge.
    ReqifUpdate,
}

#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    /// The older issue: a plan file, a folder or an opsplan.yaml.
    pub old: PathBuf,
    /// The newer issue.
    pub new: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Both sides are judged by this project file or by none (default: each side its own).
    #[command(flatten)]
    pub project: ProjectArgs,
}

#[derive(clap::Args, Debug)]
pub struct ReqsListArgs {
    /// Export files or folders.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub import: ImportArgs,
    /// Show no progress bar (one appears on standard error, when it is a terminal, for a
    /// run longer than a second).
    #[arg(short, long)]
    pub quiet: bool,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// Which project file judges the paths (`--config`, `--no-config`).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ProjectArgs {
    /// Use this project file (any name), whatever the paths: its flight rules,
    /// requirements, window columns and policy judge them; its `inputs` are read when no
    /// path is given (or the path is the file or its folder).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Use no project file at all: no opsplan.yaml is read, not even one a path names
    /// (a folder holding one is searched like any other).
    #[arg(long)]
    pub no_config: bool,
}

impl ProjectArgs {
    pub fn choice(&self) -> workspace::ProjectChoice {
        match (&self.config, self.no_config) {
            (Some(file), _) => workspace::ProjectChoice::File(file.clone()),
            (None, true) => workspace::ProjectChoice::Off,
            (None, false) => workspace::ProjectChoice::Discover,
        }
    }

    /// Options for a run with these flags and no requirement overrides.
    pub fn options(&self) -> workspace::CheckOptions {
        workspace::CheckOptions {
            project: self.choice(),
            trace: workspace::TraceOverrides::default(),
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files, folders or opsplan.yaml (default: the current folder).
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Output format (docs/ci.md describes sarif, junit and github).
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// When to colour text output (`auto`: on a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Check again each time an input is saved (a file read, the project file, a new
    /// file in a folder searched), until Ctrl-C; a summary line after each run
    /// (docs/editors.md, "Watch mode").
    #[arg(long)]
    pub watch: bool,
    /// Show no progress bar (one appears on standard error, when it is a terminal, for a
    /// run longer than a second).
    #[arg(short, long)]
    pub quiet: bool,
}

/// What `opsplan check` writes; the exit code is the same whatever the format.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum CheckFormat {
    /// Findings as rustc shows errors, then the verdict, for a reader.
    Text,
    /// Every finding with its location, for tools.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and SAST dashboards.
    Sarif,
    /// JUnit XML, for CI test reports (GitLab, Jenkins): errors are failed tests.
    Junit,
    /// GitHub Actions workflow commands (annotations), then the verdict.
    Github,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    panic::install();
    // The hook has printed the one line; the unwind ends here with its own exit code.
    std::panic::catch_unwind(run).unwrap_or(ExitCode::from(EXIT_INTERNAL))
}

fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                EXIT_FAILURE
            } else {
                EXIT_OK
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    // What a panic names when no reader has labelled a file (`context`).
    let command: Vec<String> = std::env::args().skip(1).collect();
    let _reading =
        crate::context::reading(format!("the inputs of `opsplan {}`", command.join(" ")));
    if let Some(label) = std::env::var_os("OPSPLAN_TEST_PANIC") {
        panic_on_a_worker(&label.to_string_lossy());
    }
    if let Command::Lsp = cli.command {
        // The server's writer thread owns stdout: it is not locked here.
        return ExitCode::from(crate::lsp::serve_stdio());
    }
    let mut stdout = std::io::stdout().lock();
    let result = match cli.command {
        Command::Check(args) => check(&args, &mut stdout),
        Command::Rule { code } => rule(code.as_deref(), &mut stdout),
        Command::Reqs(ReqsCommand::List(args)) => reqs_list(&args, &mut stdout),
        Command::Reqs(ReqsCommand::Diff(args)) => reqs_diff(&args, &mut stdout),
        Command::Trace(args) => trace(&args, &mut stdout),
        Command::Report(command) => report::run(&command, &mut stdout),
        Command::Diff(args) => plan_diff(&args, &mut stdout),
        Command::Export(args) => export::run(&args, &mut stdout),
        Command::Fmt(args) => fmt::run(&args, &mut stdout),
        Command::Agenda(args) => agenda::run(&args, &mut stdout),
        Command::Completions(args) => shell::completions(&args, &mut stdout),
        Command::Man(args) => shell::man(&args, &mut stdout),
        Command::Lsp => unreachable!("served above"),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::from(EXIT_OK);
            }
            eprintln!(
                "opsplan: error: {}",
                crate::diag::terminal_safe(&format!("{e:#}"))
            );
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

/// `OPSPLAN_TEST_PANIC=LABEL`: panics on a worker thread while "reading" LABEL, so the
/// tests can see the panic path end to end (one line naming LABEL, exit 3, nothing
/// written). It has no other effect; docs/security.md lists it.
fn panic_on_a_worker(label: &str) {
    let _reading = crate::context::reading(label);
    crate::par::map_ordered(&[0_u8, 1, 2, 3], |&i| {
        assert!(i != 2, "OPSPLAN_TEST_PANIC is set");
    });
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

fn check<W: Write>(args: &CheckArgs, out: &mut W) -> anyhow::Result<u8> {
    if args.watch {
        return watch::run(&args.paths, &[], out, |out, round| {
            check_once(args, out, round)
        });
    }
    check_once(args, out, &mut watch::Round::default())
}

fn check_once(
    args: &CheckArgs,
    out: &mut impl Write,
    round: &mut watch::Round,
) -> anyhow::Result<u8> {
    let run = progress::during(args.quiet, || {
        workspace::check_with(&args.paths, &args.project.options())
    });
    let run = match run {
        Ok(run) => run,
        Err(e) => {
            eprintln!(
                "opsplan: error: {}",
                crate::diag::terminal_safe(&e.to_string())
            );
            return Ok(EXIT_FAILURE);
        }
    };
    let (sources, diags, project) = (&run.sources, &run.diagnostics, &run.project);
    // An input that could not be used says what the check left out, before the verdict.
    // (Terminal-safe: what was left out names flight-rule ids and files.)
    let verdict_line = crate::diag::terminal_safe(&format!(
        "{}{}: {}",
        incomplete_line(&run),
        run.verdict().as_str(),
        output::summary(diags, sources.len())
    ))
    .into_owned();
    round.record_run(&run);
    round.summary(&verdict_line);
    if let Err(message) = write::check_stdout(|| workspace::inputs::Inputs::of_run(&run)) {
        eprintln!("opsplan: error: {message}");
        return Ok(EXIT_FAILURE);
    }
    match args.format {
        CheckFormat::Text => {
            let text = output::text::render(sources, diags, use_color(args.color));
            out.write_all(text.as_bytes())?;
            writeln!(out, "{}", project.line())?;
            writeln!(out, "{verdict_line}")?;
        }
        CheckFormat::Json => {
            out.write_all(output::json::render(sources, diags, project).as_bytes())?
        }
        CheckFormat::Sarif => {
            out.write_all(output::sarif::render(sources, diags, project).as_bytes())?
        }
        CheckFormat::Junit => {
            out.write_all(output::junit::render(sources, diags, project).as_bytes())?
        }
        CheckFormat::Github => {
            out.write_all(output::github::render(sources, diags).as_bytes())?;
            writeln!(out, "{}", project.line())?;
            writeln!(out, "{verdict_line}")?;
        }
    }
    out.flush()?;
    let code = check_exit_code(&run);
    // The process ends right after: freeing a large model item by item would only
    // delay the exit (a few percent of a 100,000-activity check). A watch runs again.
    if !round.watching {
        std::mem::forget(run);
    }
    Ok(code)
}

fn plan_diff(args: &DiffArgs, out: &mut impl Write) -> anyhow::Result<u8> {
    // A side named `git:REV:path` is checked out of its repository (`git_side.rs`) and
    // shown by that name.
    let mut sides: Vec<(PathBuf, Option<git_side::GitSide>)> = Vec::new();
    for side in [&args.old, &args.new] {
        match workspace::git::Spec::parse(side.as_os_str()) {
            None => sides.push((side.clone(), None)),
            Some(Err(message)) => {
                eprintln!("opsplan: error: {}", crate::diag::terminal_safe(&message));
                return Ok(EXIT_FAILURE);
            }
            Some(Ok(spec)) => match git_side::GitSide::checkout(&spec) {
                Ok(g) => sides.push((g.path.clone(), Some(g))),
                Err(message) => {
                    eprintln!("opsplan: error: {}", crate::diag::terminal_safe(&message));
                    return Ok(EXIT_FAILURE);
                }
            },
        }
    }
    let shown = |text: &str| -> String {
        sides
            .iter()
            .filter_map(|(_, g)| g.as_ref())
            .fold(text.to_string(), |t, g| g.rename(&t))
    };
    let options = args.project.options();
    let load = |p: &PathBuf| workspace::check_with(std::slice::from_ref(p), &options);
    let (mut old, mut new) = match (load(&sides[0].0), load(&sides[1].0)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!(
                "opsplan: error: {}",
                crate::diag::terminal_safe(&shown(&e.to_string()))
            );
            return Ok(EXIT_FAILURE);
        }
    };
    for ((_, g), run) in sides.iter().zip([&mut old, &mut new]) {
        if let Some(g) = g {
            g.rename_project(&mut run.project);
        }
    }
    for (side, run) in [(&args.old, &old), (&args.new, &new)] {
        if run.model.plans.is_empty() {
            eprintln!("opsplan: error: {}: holds no plan", side.display());
            return Ok(EXIT_FAILURE);
        }
    }
    let d = workspace::plan_diff::diff(&old, &new);
    if let Err(message) = write::check_stdout(|| {
        let mut inputs = workspace::inputs::Inputs::of_run(&old);
        inputs.extend(workspace::inputs::Inputs::of_run(&new));
        inputs
    }) {
        eprintln!("opsplan: error: {message}");
        return Ok(EXIT_FAILURE);
    }
    let text = match args.format {
        Format::Text => output::plan_diff::text(&d),
        Format::Json => output::plan_diff::json(&d),
    };
    out.write_all(shown(&text).as_bytes())?;
    out.flush()?;
    Ok(if d.is_empty() { EXIT_OK } else { EXIT_FINDINGS })
}

/// `incomplete check: 1 flight rule was not evaluated (FR-07), so findings may be
/// missing` and a line end, when an input could not be used; else nothing.
pub(crate) fn incomplete_line(run: &workspace::Run) -> String {
    run.incomplete()
        .map(|what| format!("incomplete check: {what}, so findings may be missing\n"))
        .unwrap_or_default()
}

/// The exit code of a check run: 2 an input could not be used, 1 findings at error
/// severity, else 0.
fn check_exit_code(run: &workspace::Run) -> u8 {
    if run.has_invalid_input() {
        EXIT_FAILURE
    } else if run.verdict() == workspace::Verdict::Fail {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn reqs_list(args: &ReqsListArgs, out: &mut impl Write) -> anyhow::Result<u8> {
    let options = args.import.options();
    let run = progress::during(args.quiet, || {
        workspace::requirements::load_requirements(&args.files, &options)
    });
    let run = match run {
        Ok(run) => run,
        Err(e) => {
            eprintln!(
                "opsplan: error: {}",
                crate::diag::terminal_safe(&e.to_string())
            );
            return Ok(EXIT_FAILURE);
        }
    };
    if let Err(message) = write::check_stdout(|| exports_read(&[&run])) {
        eprintln!("opsplan: error: {message}");
        return Ok(EXIT_FAILURE);
    }
    match args.format {
        Format::Text => {
            out.write_all(output::reqs::text(&run).as_bytes())?;
            let diags = output::text::render(&run.sources, &run.diagnostics, use_color(args.color));
            out.write_all(diags.as_bytes())?;
            writeln!(out, "{}", output::reqs::summary(&run))?;
        }
        Format::Json => out.write_all(output::reqs::json(&run).as_bytes())?,
    }
    out.flush()?;
    let failed = run
        .diagnostics
        .iter()
        .any(|d| d.severity == crate::diag::Severity::Error);
    Ok(if failed { EXIT_FAILURE } else { EXIT_OK })
}

/// The files `reqs list` and `reqs diff` read.
fn exports_read(runs: &[&workspace::requirements::ReqRun]) -> workspace::inputs::Inputs {
    let mut inputs = workspace::inputs::Inputs::new();
    for run in runs {
        for id in run.sources.ids() {
            inputs.add(
                run.sources.path(id),
                workspace::inputs::Role::RequirementExport,
            );
        }
    }
    inputs
}

fn has_errors(diags: &[crate::diag::Diagnostic]) -> bool {
    diags
        .iter()
        .any(|d| d.severity == crate::diag::Severity::Error)
}

fn reqs_diff(args: &ReqsDiffArgs, out: &mut impl Write) -> anyhow::Result<u8> {
    let options = args.import.options();
    // OLD may be `git:REV:path`, read from the repository.
    let (old_path, old_options) = match workspace::git::Spec::parse(args.old.as_os_str()) {
        None => (args.old.clone(), options.clone()),
        Some(spec) => {
            let opened = spec.and_then(|spec| {
                let Some(path) = spec.path.clone() else {
                    return Err(format!(
                        "{}: name the export at that revision: git:{}:PATH",
                        spec.display(),
                        spec.rev
                    ));
                };
                let tree = workspace::git::Tree::open(&path, &spec.rev)?;
                tree.kind(&path)?;
                Ok((path, tree))
            });
            match opened {
                Ok((path, tree)) => (
                    path,
                    workspace::requirements::ImportOptions {
                        tree: Some(std::sync::Arc::new(tree)),
                        ..options.clone()
                    },
                ),
                Err(message) => {
                    eprintln!("opsplan: error: {}", crate::diag::terminal_safe(&message));
                    return Ok(EXIT_FAILURE);
                }
            }
        }
    };
    let load = |p: &PathBuf, options| {
        workspace::requirements::load_requirements(std::slice::from_ref(p), options)
    };
    let (old, new) = progress::during(args.quiet, || {
        (load(&old_path, &old_options), load(&args.new, &options))
    });
    let (old, new) = match (old, new) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!(
                "opsplan: error: {}",
                crate::diag::terminal_safe(&e.to_string())
            );
            return Ok(EXIT_FAILURE);
        }
    };
    for run in [&old, &new] {
        if has_errors(&run.diagnostics) {
            let text = output::text::render(&run.sources, &run.diagnostics, false);
            // A closed standard error (`2>&1 | head`) is no reason to panic.
            let _ = std::io::stderr().write_all(text.as_bytes());
            eprintln!("opsplan: error: an export could not be read; no comparison made");
            return Ok(EXIT_FAILURE);
        }
    }
    let objects = |run: &workspace::requirements::ReqRun| -> Vec<crate::reqs::ReqObject> {
        run.exports
            .iter()
            .flat_map(|(_, e)| e.objects.iter().cloned())
            .collect()
    };
    let (old_objects, new_objects) = (objects(&old), objects(&new));
    let diff = crate::reqs::diff::diff(
        &old_objects.iter().collect::<Vec<_>>(),
        &new_objects.iter().collect::<Vec<_>>(),
    );
    let (old_name, new_name) = (
        args.old.to_string_lossy().replace('\\', "/"),
        args.new.to_string_lossy().replace('\\', "/"),
    );
    if let Err(message) = write::check_stdout(|| exports_read(&[&old, &new])) {
        eprintln!("opsplan: error: {message}");
        return Ok(EXIT_FAILURE);
    }
    match args.format {
        Format::Text => {
            out.write_all(output::reqs_diff::text(&diff, &old_name, &new_name).as_bytes())?
        }
        Format::Json => {
            out.write_all(output::reqs_diff::json(&diff, &old_name, &new_name).as_bytes())?
        }
    }
    out.flush()?;
    Ok(if diff.is_empty() {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    })
}

/// The creation time written into binary outputs: SOURCE_DATE_EPOCH, or 1980-01-01
/// (the zip epoch), never the clock.
fn source_date_epoch() -> i64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or(315_532_800)
}

fn trace(args: &TraceArgs, out: &mut impl Write) -> anyhow::Result<u8> {
    if matches!(args.format, TraceFormat::Xlsx | TraceFormat::DoorsXlsx) && args.output.is_none() {
        let name = if args.format == TraceFormat::Xlsx {
            "xlsx"
        } else {
            "doors-xlsx"
        };
        eprintln!("opsplan: error: --format {name} writes a workbook: give the file with -o FILE");
        return Ok(EXIT_FAILURE);
    }
    if args.format == TraceFormat::ReqifUpdate && args.output.is_none() {
        eprintln!(
            "opsplan: error: --format reqif-update writes a ReqIF file: give the file with -o FILE"
        );
        return Ok(EXIT_FAILURE);
    }
    if args.writeback_source.is_some() && args.format != TraceFormat::ReqifUpdate {
        eprintln!("opsplan: error: --writeback-source is for --format reqif-update");
        return Ok(EXIT_FAILURE);
    }
    let old = if args.changed_since.is_empty() {
        &args.baseline
    } else {
        &args.changed_since
    };
    let (baseline, git_baseline) = match git_baseline(old) {
        Ok(Some(spec)) => (Vec::new(), Some(spec)),
        Ok(None) => (old.clone(), None),
        Err(message) => {
            eprintln!("opsplan: error: {}", crate::diag::terminal_safe(&message));
            return Ok(EXIT_FAILURE);
        }
    };
    let options = workspace::CheckOptions {
        project: args.project.choice(),
        trace: workspace::TraceOverrides {
            sources: args.requirements.clone(),
            baseline,
            git_baseline,
            id_attribute: args.id_attribute.clone(),
            prefix: args.prefix.clone(),
            required: true,
        },
    };
    let Some((run, findings)) = traced_run(&args.paths, &options, args.color, args.quiet)? else {
        return Ok(EXIT_FAILURE);
    };
    let traced = run.traced.as_ref().expect("requirements were required");
    if args.min_verified.is_some() && traced.trace.evidence.is_none() {
        eprintln!(
            "opsplan: error: --min-verified needs verification evidence: add `evidence:` to opsplan.yaml (docs/tracing.md, \"Verification evidence\")"
        );
        return Ok(EXIT_FAILURE);
    }
    let Ok(impact) = changed_since_impact(!args.changed_since.is_empty(), &run.model, traced)
    else {
        return Ok(EXIT_FAILURE);
    };
    let mut view = output::trace::TraceView::new(&run.sources, traced, impact.as_ref());
    view.findings = output::json::diagnostics_value(&run.sources, &findings);
    view.project_file = run.project.clone();
    let bytes: Vec<u8> = match args.format {
        TraceFormat::Text => {
            let mut text = output::trace::text(&view);
            if !findings.is_empty() {
                text.push('\n');
                let color = args.output.is_none() && use_color(args.color);
                text.push_str(&output::text::render(&run.sources, &findings, color));
            }
            text.push_str(&output::trace::summary_line(&view));
            text.push('\n');
            text.into_bytes()
        }
        TraceFormat::Json => output::trace::json(&view).into_bytes(),
        TraceFormat::Csv => output::trace::csv(&view).into_bytes(),
        TraceFormat::Xlsx => match output::xlsx::trace_matrix(&view, source_date_epoch()) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("opsplan: error: cannot build the workbook: {e}");
                return Ok(EXIT_FAILURE);
            }
        },
        TraceFormat::DoorsCsv | TraceFormat::DoorsXlsx | TraceFormat::ReqifUpdate => {
            let created = source_date_epoch();
            // The export written into is chosen first: with several, say so before
            // anything else.
            let chosen = match args.format {
                TraceFormat::ReqifUpdate => {
                    reqif_update::choose(traced, args.writeback_source.as_deref()).map(Some)
                }
                _ => Ok(None),
            };
            match chosen
                .and_then(|chosen| {
                    writeback_rows(&run, traced).map(|(header, rows)| (chosen, header, rows))
                })
                .and_then(|(chosen, header, rows)| match (args.format, chosen) {
                    (_, Some(chosen)) => reqif_update::write_back(
                        traced,
                        &header,
                        &rows,
                        chosen,
                        &reqif_update::stamp(),
                    ),
                    (TraceFormat::DoorsCsv, _) => {
                        Ok(output::writeback::csv(&header, &rows).into_bytes())
                    }
                    _ => output::writeback::xlsx(&header, &rows, created)
                        .map_err(|e| format!("cannot build the workbook: {e}")),
                }) {
                Ok(b) => b,
                Err(message) => {
                    eprintln!("opsplan: error: {}", crate::diag::terminal_safe(&message));
                    return Ok(EXIT_FAILURE);
                }
            }
        }
    };
    match &args.output {
        Some(path) => {
            let inputs = workspace::inputs::Inputs::of_run(&run);
            if let Err(message) = write::write_output("-o", path, &bytes, &inputs) {
                eprintln!("opsplan: error: {message}");
                return Ok(EXIT_FAILURE);
            }
            if args.format != TraceFormat::Text {
                eprintln!("{}", output::trace::summary_line(&view));
            }
        }
        None => {
            if let Err(message) = write::check_stdout(|| workspace::inputs::Inputs::of_run(&run)) {
                eprintln!("opsplan: error: {message}");
                return Ok(EXIT_FAILURE);
            }
            out.write_all(&bytes)?;
            out.flush()?;
        }
    }
    // Judged on the exact figure, never the rounded one shown (99.96 % is not 100 %).
    let below = match (args.min_verified, &traced.trace.evidence) {
        (Some(min), Some(e)) if e.summary.verified_percent() < min => {
            eprintln!(
                "opsplan: {} of {} requirements counted are verified ({:.1} %), below --min-verified {min}",
                e.summary.verified,
                e.summary.counted,
                e.summary.verified_percent()
            );
            true
        }
        _ => false,
    };
    Ok(if traced.trace.has_defects() || below {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// The baseline of `--baseline`/`--changed-since` when it is read from a repository
/// (`git:REV`, `git:REV:path`): one such argument, alone.
pub(crate) fn git_baseline(old: &[PathBuf]) -> Result<Option<workspace::git::Spec>, String> {
    let specs: Vec<(&PathBuf, Result<workspace::git::Spec, String>)> = old
        .iter()
        .filter_map(|p| Some((p, workspace::git::Spec::parse(p.as_os_str())?)))
        .collect();
    match &specs[..] {
        [] => Ok(None),
        [(_, Err(message))] => Err(message.clone()),
        [(_, Ok(spec))] if old.len() == 1 => Ok(Some(spec.clone())),
        [(p, _), ..] => Err(format!(
            "{}: a baseline read from git is given alone (one `git:REV` or `git:REV:path`; files on disk and revisions are not mixed)",
            p.display()
        )),
    }
}

/// The write-back rows of a trace (`--format doors-csv|doors-xlsx|reqif-update`), or why
/// none can be written: an object without a key could not be matched by DOORS, so nothing
/// is. The paths of the "covered by" texts are relative to the project file's folder (the
/// same whatever folder the command runs in), else as given.
fn writeback_rows(
    run: &workspace::Run,
    traced: &workspace::Traced,
) -> Result<(Vec<String>, Vec<crate::trace::writeback::Row>), String> {
    let sources = &run.sources;
    let base = run.project.file.as_deref().and_then(|p| p.parent());
    let locate = |span: crate::source::Span| {
        let lc = sources.line_col(span.file, span.start as usize);
        let path = base
            .and_then(|b| sources.path(span.file).strip_prefix(b).ok())
            .filter(|_| sources.name(span.file) == sources.path(span.file).display().to_string())
            .map(|p| p.display().to_string().replace('\\', "/"))
            .unwrap_or_else(|| output::display_path(sources, span.file));
        format!("{path}:{}", lc.line)
    };
    let t = &traced.trace;
    crate::trace::writeback::rows(t, &traced.exports, &traced.policy.writeback, &locate)
            .map_err(|r| {
                let column = crate::trace::writeback::KeyColumn::of(&traced.exports);
                let place = match r.file {
                    Some(file) => {
                        let lc = sources.line_col(file, r.span.start as usize);
                        let o = t.object(&traced.exports, r);
                        match crate::trace::location_words(&o.location) {
                            Some(words) => {
                                format!("{} ({words})", output::display_path(sources, file))
                            }
                            None => format!(
                                "{}:{}:{}",
                                output::display_path(sources, file),
                                lc.line,
                                lc.column
                            ),
                        }
                    }
                    None => "the export".to_string(),
                };
                format!(
                    "{place}: requirement {} has no `{}`: DOORS could not match its row, so no write-back is written (give every object of the export its {})",
                    r.id,
                    column.header(),
                    column.header()
                )
            })
}

/// Checks and traces; returns the run and the findings that concern the trace, or `None`
/// after saying why on stderr when an input could not be read (the trace would be wrong:
/// nothing is to be written).
fn traced_run(
    paths: &[PathBuf],
    options: &workspace::CheckOptions,
    color: ColorChoice,
    quiet: bool,
) -> anyhow::Result<Option<(workspace::Run, Vec<crate::diag::Diagnostic>)>> {
    let run = match progress::during(quiet, || workspace::check_with(paths, options)) {
        Ok(run) => run,
        Err(e) => {
            eprintln!(
                "opsplan: error: {}",
                crate::diag::terminal_safe(&e.to_string())
            );
            return Ok(None);
        }
    };
    // The findings that make the trace incomplete or wrong: a source, a library or a
    // flight-rule file that could not be read would drop its `covers` and `traces`
    // unsaid (a dangling trace never reported, a coverage that looks complete).
    let findings: Vec<crate::diag::Diagnostic> = run
        .diagnostics
        .iter()
        .filter(|d| {
            d.code.info().family == crate::diag::Family::Requirements
                || matches!(
                    d.code,
                    crate::diag::Code::SyntaxError
                        | crate::diag::Code::UnreadableSource
                        | crate::diag::Code::InvalidFlightRuleFile
                        | crate::diag::Code::UnresolvedUsePath
                )
        })
        .cloned()
        .collect();
    let errors: Vec<crate::diag::Diagnostic> = findings
        .iter()
        .filter(|d| {
            d.severity == crate::diag::Severity::Error
                && d.code != crate::diag::Code::UnknownRequirement
        })
        .cloned()
        .collect();
    if !errors.is_empty() {
        let color = std::io::stderr().is_terminal() && color != ColorChoice::Never;
        let text = output::text::render(&run.sources, &errors, color);
        let _ = std::io::stderr().write_all(text.as_bytes());
        eprintln!("opsplan: error: an input could not be read; no trace written");
        return Ok(None);
    }
    Ok(Some((run, findings)))
}

fn rule(code: Option<&str>, out: &mut impl Write) -> anyhow::Result<u8> {
    let Some(code) = code else {
        writeln!(
            out,
            "{:<6} {:<28} {:<8} summary",
            "code", "name", "severity"
        )?;
        for c in ALL_CODES {
            let i = c.info();
            writeln!(
                out,
                "{:<6} {:<28} {:<8} {}",
                i.code,
                i.name,
                i.severity.as_str(),
                i.summary
            )?;
        }
        return Ok(EXIT_OK);
    };
    let Some(found) = crate::diag::Code::lookup(code) else {
        eprintln!("opsplan: error: no rule `{code}`; `opsplan rule` lists them");
        return Ok(EXIT_FAILURE);
    };
    let text = checks::documentation(found).expect("every code has a rule entry");
    writeln!(out, "{text}")?;
    Ok(EXIT_OK)
}

/// The impact of `--changed-since` when it is asked for; `Err` once the reason it cannot
/// be computed (a `follow:` link type no link has) is printed.
pub(crate) fn changed_since_impact(
    asked: bool,
    model: &crate::model::Model,
    traced: &workspace::Traced,
) -> Result<Option<crate::trace::impact::Impact>, ()> {
    if !asked {
        return Ok(None);
    }
    workspace::impact(model, traced).map(Some).map_err(|e| {
        eprintln!(
            "opsplan: error: {}",
            crate::diag::terminal_safe(&e.to_string())
        );
    })
}
