//! `opsplan report consistency|trace|monthly`: the reports people read.

use super::watch::Round;
use super::{changed_since_impact, EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK};
use crate::report::{ReportFormat, Templates};
use crate::workspace;
use crate::workspace::inputs::{Inputs, Role};
use clap::{Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// The consistency report a planner sends with the plan: verdict, findings, timeline.
    #[command(after_help = concat!("Examples:\n  \
opsplan report consistency examples/atv5-week40 -o consistency.html\n  \
opsplan report consistency examples/atv5-week40/atv5-week40.plan --format md\n\n", project_help!(), "\n\
The provenance at the end names the project file and hashes it with the other inputs.\n\
Exit codes as `opsplan check`: 0 pass or pass with waivers, 1 findings at error \
severity, 2 usage or input failure."))]
    Consistency(ConsistencyArgs),
    /// The traceability report for qualification teams: coverage, per-requirement table,
    /// uncovered / suspect / dangling lists, the matrix.
    #[command(after_help = concat!("Examples:\n  \
opsplan report trace examples/atv5-week40 -o trace.html\n  \
opsplan report trace plans/week40.plan -r reqs.reqif --format md\n  \
opsplan report trace examples/atv5-week40 --changed-since requirements/baseline/atv-ops-requirements-baseline-1.reqif\n\n", project_help!(), "\n\
The document control at the top comes from `document:` in opsplan.yaml (docs/reports.md). \
The provenance at the end names the project file and hashes it with the other inputs.\n\
Exit codes as `opsplan trace`: 0 no trace defect, 1 trace defects, 2 usage or input failure."))]
    Trace(TraceReportArgs),
    /// The monthly operations report for managers.
    Monthly(super::monthly::MonthlyArgs),
    /// The staffing report: coverage per position and day, hours and nights per person,
    /// rest margins, expiring qualifications, the roster's findings.
    #[command(after_help = concat!("Examples:\n  \
opsplan report staffing examples/atv5-week40 -o staffing.html\n  \
opsplan report staffing examples/atv5-week40 --format md --from \"2014/274 00:00\" --to \"2014/276 00:00\"\n\n", project_help!(), "\n\
The range is the plan's horizon unless --from/--to give it (docs/reports.md). \
Exit codes as `opsplan check`: 0 pass or pass with waivers, 1 findings at error \
severity, 2 usage or input failure (no roster among the inputs: nothing written)."))]
    Staffing(super::staffing_report::StaffingReportArgs),
    /// The qualification kit of opsplan itself: its Tool Operational Requirements, the
    /// verification cases and their results, the seeded-defect evidence, the conditions of
    /// use, the known limitations and the configuration index (HTML and JSON).
    #[command(after_help = "Examples:\n  \
cargo nextest run --profile qualification\n  \
opsplan report qualification --out target/qualification-kit\n  \
opsplan report qualification path/to/opsplan --junit run/junit.xml --out kit\n\n\
ROOT (default: the current folder) is the opsplan repository: qualification/tor.csv, \
tests/qualification.rs, examples/atv5-week40-defects, docs/qualification.md, docs/limits.md \
and Cargo.lock are read from it (docs/qualification.md). --out must be absent or empty; \
index.html and kit.json are written into it whole or not at all.\n\
Exit codes: 0 every requirement verified and every seeded defect caught, 1 the kit is \
written and says what is not, 2 usage or input failure (nothing written).")]
    Qualification(super::qualification::QualificationArgs),
    /// List the embedded templates, or write them into a folder to adapt them (then
    /// render with `--templates DIR`).
    #[command(after_help = "Examples:\n  \
opsplan report templates                       list the template names\n  \
opsplan report templates --out my-templates    copy them, to edit\n  \
opsplan report consistency . --templates my-templates\n\n\
Existing files are never overwritten. Templates are tera 2 templates; `.html` ones \
escape every value, Markdown ones use the `md` filter.")]
    Templates {
        /// The folder to write the templates into (created if missing).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

/// The output options every report shares.
#[derive(clap::Args, Debug, Clone)]
pub struct ReportOutput {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormatArg::Html)]
    pub format: ReportFormatArg,
    /// Write to this file (whole or not at all) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// A folder of templates replacing the embedded ones by name (`consistency.html`,
    /// `style.css`, …); `opsplan report templates` lists the names.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Render again each time an input is saved, until Ctrl-C: the file of -o is
    /// replaced whole each time, and a summary line follows each run (docs/editors.md,
    /// "Watch mode").
    #[arg(long, requires = "output")]
    pub watch: bool,
    /// Show no progress bar (one appears on standard error, when it is a terminal, for a
    /// run longer than a second).
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ReportFormatArg {
    /// One self-contained HTML file (inline CSS and SVG), printable.
    Html,
    /// Markdown.
    Md,
    /// The report's data, for tools.
    Json,
    /// The HTML page printed to PDF (A4) by a headless Chromium, which must be installed
    /// (`OPSPLAN_CHROMIUM`, or `chromium`/`google-chrome` in PATH).
    Pdf,
}

impl From<ReportFormatArg> for ReportFormat {
    /// PDF is the HTML page, printed.
    fn from(f: ReportFormatArg) -> ReportFormat {
        match f {
            ReportFormatArg::Html | ReportFormatArg::Pdf => ReportFormat::Html,
            ReportFormatArg::Md => ReportFormat::Md,
            ReportFormatArg::Json => ReportFormat::Json,
        }
    }
}

impl ReportOutput {
    /// The templates to render with: embedded, or with `--templates DIR` in their place.
    pub fn templates(&self) -> Result<Templates, crate::report::ReportError> {
        match &self.templates {
            Some(dir) => Templates::with_overrides(dir),
            None => Ok(Templates::embedded()),
        }
    }

    /// Renders the report and writes it (atomically with `-o`, never over one of
    /// `inputs` nor the templates read). `render` gets the templates and the format; for
    /// JSON it serialises the view itself.
    /// Returns `Ok(false)` after printing the reason when nothing could be written.
    pub fn emit(
        &self,
        out: &mut impl Write,
        inputs: &Inputs,
        render: impl FnOnce(&Templates, ReportFormat) -> Result<String, crate::report::ReportError>,
    ) -> anyhow::Result<bool> {
        let templates = match self.templates() {
            Ok(t) => t,
            Err(e) => {
                eprintln!(
                    "opsplan: error: {}",
                    crate::diag::terminal_safe(&e.to_string())
                );
                return Ok(false);
            }
        };
        // PDF: the browser first, so that a machine without one is told at once.
        let browser = match self.format {
            ReportFormatArg::Pdf => match super::pdf::find_browser() {
                Ok(b) => Some(b),
                Err(message) => {
                    eprintln!("opsplan: error: {}", crate::diag::terminal_safe(&message));
                    return Ok(false);
                }
            },
            _ => None,
        };
        if self.output.is_none() {
            if browser.is_some() && std::io::stdout().is_terminal() {
                eprintln!(
                    "opsplan: error: --format pdf writes a binary file: give -o FILE (or \
                     redirect standard output); nothing written"
                );
                return Ok(false);
            }
            let read = || {
                let mut inputs = inputs.clone();
                for f in templates.files() {
                    inputs.add(f, Role::Template);
                }
                inputs
            };
            if let Err(message) = super::write::check_stdout(read) {
                eprintln!("opsplan: error: {message}");
                return Ok(false);
            }
        }
        let text = super::progress::during(self.quiet, || {
            crate::context::progress(crate::context::Phase::Rendering);
            render(&templates, self.format.into())
        });
        let text = match text {
            Ok(t) => t,
            Err(e) => {
                eprintln!(
                    "opsplan: error: {}",
                    crate::diag::terminal_safe(&e.to_string())
                );
                return Ok(false);
            }
        };
        let bytes = match &browser {
            Some(browser) => {
                let (when, _) = crate::report::generation_time(newest_input(inputs));
                match super::pdf::print(browser, &text, when) {
                    Ok(pdf) => pdf,
                    Err(message) => {
                        eprintln!("opsplan: error: {}", crate::diag::terminal_safe(&message));
                        return Ok(false);
                    }
                }
            }
            None => text.into_bytes(),
        };
        match &self.output {
            Some(path) => {
                let mut inputs = inputs.clone();
                for f in templates.files() {
                    inputs.add(f, Role::Template);
                }
                if let Err(message) = super::write::write_output("-o", path, &bytes, &inputs) {
                    eprintln!("opsplan: error: {message}");
                    return Ok(false);
                }
            }
            None => {
                out.write_all(&bytes)?;
                out.flush()?;
            }
        }
        Ok(true)
    }
}

/// The newest modification time of the inputs, seconds since 1970: the PDF's date when
/// `SOURCE_DATE_EPOCH` is not set (the reports' provenance does the same).
fn newest_input(inputs: &Inputs) -> Option<i64> {
    inputs
        .iter()
        .filter_map(|i| crate::report::modified_secs(&i.path))
        .max()
}

#[derive(clap::Args, Debug)]
pub struct ConsistencyArgs {
    /// Files, folders or opsplan.yaml (default: the current folder).
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub project: super::ProjectArgs,
    #[command(flatten)]
    pub output: ReportOutput,
}

#[derive(clap::Args, Debug)]
pub struct TraceReportArgs {
    /// Files, folders or opsplan.yaml (default: the current folder).
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub project: super::ProjectArgs,
    /// Requirement exports, in place of `requirements: sources:` of opsplan.yaml.
    #[arg(short = 'r', long = "requirements", value_name = "FILE")]
    pub requirements: Vec<PathBuf>,
    /// An older baseline of the exports: traces to requirements changed since are suspect.
    /// `git:REV` or `git:REV:PATH` reads it from a revision of the repository, as for
    /// `opsplan trace`.
    #[arg(long, value_name = "FILE")]
    pub baseline: Vec<PathBuf>,
    /// Add the impact list: the activities, procedures, steps and flight rules affected
    /// by the requirements changed since OLD (OLD is also the baseline; a file or
    /// `git:REV[:PATH]`), as `opsplan trace --changed-since`.
    #[arg(long, value_name = "OLD")]
    pub changed_since: Vec<PathBuf>,
    /// The attribute or column holding the id users cite (`--id "Req ID"`).
    #[arg(long = "id", value_name = "ATTRIBUTE")]
    pub id_attribute: Option<String>,
    /// Put before requirement ids that are bare numbers (DOORS Next artifact numbers,
    /// DOORS absolute numbers), in place of `requirements: columns: prefix:` (`--prefix AMR-`).
    #[arg(long)]
    pub prefix: Option<String>,
    #[command(flatten)]
    pub output: ReportOutput,
}

pub fn run<W: Write>(command: &ReportCommand, out: &mut W) -> anyhow::Result<u8> {
    let (output, roots): (&ReportOutput, Vec<PathBuf>) = match command {
        ReportCommand::Consistency(args) => (&args.output, args.paths.clone()),
        ReportCommand::Trace(args) => (&args.output, args.paths.clone()),
        ReportCommand::Monthly(args) => (&args.output, super::monthly::given(args)),
        ReportCommand::Staffing(args) => (&args.output, args.paths.clone()),
        ReportCommand::Templates { out: dir } => return templates(dir.as_deref(), out),
        ReportCommand::Qualification(args) => return super::qualification::run(args, out),
    };
    let once = |out: &mut W, round: &mut Round| match command {
        ReportCommand::Consistency(args) => consistency(args, out, round),
        ReportCommand::Trace(args) => trace(args, out, round),
        ReportCommand::Monthly(args) => super::monthly::run(args, out, round),
        ReportCommand::Staffing(args) => super::staffing_report::run(args, out, round),
        ReportCommand::Templates { out: dir } => templates(dir.as_deref(), out),
        ReportCommand::Qualification(args) => super::qualification::run(args, out),
    };
    match (&output.output, output.watch) {
        (Some(file), true) => super::watch::run(&roots, std::slice::from_ref(file), out, once),
        _ => once(out, &mut Round::default()),
    }
}

fn templates(dir: Option<&std::path::Path>, out: &mut impl Write) -> anyhow::Result<u8> {
    let Some(dir) = dir else {
        for (name, _) in crate::report::embedded_templates() {
            writeln!(out, "{name}")?;
        }
        return Ok(EXIT_OK);
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("opsplan: error: {}: cannot be created: {e}", dir.display());
        return Ok(EXIT_FAILURE);
    }
    let mut failed = false;
    for (name, text) in crate::report::embedded_templates() {
        let path = dir.join(name);
        match super::write::write_new(&path, text.as_bytes()) {
            Ok(true) => writeln!(out, "{}", path.display())?,
            Ok(false) => eprintln!("opsplan: {}: exists, left as it is", path.display()),
            Err(e) => {
                eprintln!("opsplan: error: {}: cannot be written: {e}", path.display());
                failed = true;
            }
        }
    }
    Ok(if failed { EXIT_FAILURE } else { EXIT_OK })
}

/// Exit codes as `opsplan check`: 0 pass or pass with waivers, 1 findings at error
/// severity, 2 input failure (the report is still written when the inputs could be read:
/// an invalid flight-rule file is a finding the planner must see).
fn consistency(
    args: &ConsistencyArgs,
    out: &mut impl Write,
    round: &mut Round,
) -> anyhow::Result<u8> {
    let run = super::progress::during(args.output.quiet, || {
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
    let provenance = crate::report::Provenance::of_run(&run);
    let view = crate::report::consistency::view(&run, provenance);
    let inputs = Inputs::of_run(&run);
    let verdict_line = format!(
        "{}{}: {}",
        super::incomplete_line(&run),
        run.verdict().as_str(),
        crate::output::summary(&run.diagnostics, run.sources.len())
    );
    let code = super::check_exit_code(&run);
    round.record_run(&run);
    round.summary(&verdict_line);
    // The view holds all the report needs: the run (sources, model, findings) is freed
    // before rendering, and the view once the template's context is made, so a plan of
    // 100,000 findings does not hold three copies of them at once.
    drop(run);
    let written = args
        .output
        .emit(out, &inputs, move |templates, format| match format {
            ReportFormat::Json => Ok(crate::report::consistency::json(&view)),
            ReportFormat::Html => templates.render_owned("consistency.html", view),
            ReportFormat::Md => templates.render_owned("consistency.md", view),
        })?;
    if !written {
        return Ok(EXIT_FAILURE);
    }
    if args.output.output.is_some() {
        eprintln!("{verdict_line}");
    }
    Ok(code)
}

/// Exit codes as `opsplan trace`: 0 no trace defect, 1 defects, 2 an input could not be
/// read (nothing written).
fn trace(args: &TraceReportArgs, out: &mut impl Write, round: &mut Round) -> anyhow::Result<u8> {
    let old = if args.changed_since.is_empty() {
        &args.baseline
    } else {
        &args.changed_since
    };
    let (baseline, git_baseline) = match super::git_baseline(old) {
        Ok(Some(spec)) => (Vec::new(), Some(spec)),
        Ok(None) => (old.clone(), None),
        Err(message) => {
            eprintln!("opsplan: error: {}", crate::diag::terminal_safe(&message));
            return Ok(super::EXIT_FAILURE);
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
    let Some((run, findings)) = super::traced_run(
        &args.paths,
        &options,
        super::ColorChoice::Auto,
        args.output.quiet,
    )?
    else {
        return Ok(EXIT_FAILURE);
    };
    let traced = run.traced.as_ref().expect("requirements were required");
    let Ok(impact) = changed_since_impact(!args.changed_since.is_empty(), &run.model, traced)
    else {
        return Ok(EXIT_FAILURE);
    };
    let mut trace_view =
        crate::output::trace::TraceView::new(&run.sources, traced, impact.as_ref());
    trace_view.findings = crate::output::json::diagnostics_value(&run.sources, &findings);
    trace_view.project_file = run.project.clone();
    let plans = run.model.plans.iter().map(|p| match &p.issue {
        Some(i) => format!("{} issue {i}", p.id.value),
        None => p.id.value.clone(),
    });
    let provenance = crate::report::Provenance::of_run(&run);
    let view = crate::report::trace::view(
        &trace_view,
        crate::report::trace::Sources {
            traced,
            plans: plans.collect(),
            document: run.document.as_ref(),
            provenance,
        },
    );
    let inputs = Inputs::of_run(&run);
    round.record_run(&run);
    round.summary(crate::output::trace::summary_line(&trace_view));
    let written = args
        .output
        .emit(out, &inputs, |templates, format| match format {
            ReportFormat::Json => Ok(crate::report::trace::json(&trace_view, &view)),
            ReportFormat::Html => templates.render("trace.html", &view),
            ReportFormat::Md => templates.render("trace.md", &view),
        })?;
    if !written {
        return Ok(EXIT_FAILURE);
    }
    if args.output.output.is_some() {
        eprintln!("{}", crate::output::trace::summary_line(&trace_view));
    }
    Ok(if traced.trace.has_defects() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}
