//! `opsplan report staffing`: the roster of a plan over its horizon (or `--from/--to`):
//! coverage per position and day, hours and nights per person, rest margins, expiring
//! qualifications, the staffing findings and the check's verdict.

use super::report::ReportOutput;
use super::EXIT_FAILURE;
use crate::report::staffing::{self, Request};
use crate::report::ReportFormat;
use crate::workspace;
use crate::workspace::inputs::Inputs;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct StaffingReportArgs {
    /// Files, folders or opsplan.yaml (default: the current folder).
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub project: super::ProjectArgs,
    /// The start of the range (`2014/272 00:00` or `2014-09-29T00:00Z`), GMT; default
    /// the start of the plan's horizon.
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// The end of the range (excluded); default the end of the plan's horizon.
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,
    #[command(flatten)]
    pub output: ReportOutput,
}

/// Exit codes as `opsplan check`: 0 pass or pass with waivers, 1 findings at error
/// severity, 2 usage or input failure (a bad `--from`/`--to`, no roster among the inputs,
/// a roster that cannot be judged; nothing written then).
pub fn run(
    args: &StaffingReportArgs,
    out: &mut impl Write,
    round: &mut super::watch::Round,
) -> anyhow::Result<u8> {
    let fail = |message: String| {
        eprintln!("opsplan: error: {}", crate::diag::terminal_safe(&message));
        Ok(EXIT_FAILURE)
    };
    // The arguments first: a typo is reported before any input is read.
    let parse = |flag: &str, text: &Option<String>| match text {
        None => Ok(None),
        Some(t) => workspace::agenda::parse_time(t)
            .map(Some)
            .map_err(|e| format!("{flag} {e}")),
    };
    let request = match (parse("--from", &args.from), parse("--to", &args.to)) {
        (Ok(from), Ok(to)) => Request { from, to },
        (Err(e), _) | (_, Err(e)) => return fail(e),
    };
    let run = super::progress::during(args.output.quiet, || {
        workspace::check_with(&args.paths, &args.project.options())
    });
    let run = match run {
        Ok(run) => run,
        Err(e) => return fail(e.to_string()),
    };
    round.record_run(&run);
    let provenance = crate::report::Provenance::of_run(&run);
    let view = match staffing::view(&run, request, provenance) {
        Ok(v) => v,
        Err(e) => {
            if let staffing::NoReport::Unreadable(_) = e {
                let errors: Vec<crate::diag::Diagnostic> = run
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == crate::diag::Severity::Error)
                    .cloned()
                    .collect();
                eprint!(
                    "{}",
                    crate::output::text::render(&run.sources, &errors, false)
                );
            }
            return fail(format!("{e}; no report written"));
        }
    };
    let inputs = Inputs::of_run(&run);
    let verdict_line = format!(
        "{}{}: {}",
        super::incomplete_line(&run),
        run.verdict().as_str(),
        crate::output::summary(&run.diagnostics, run.sources.len())
    );
    let code = super::check_exit_code(&run);
    round.summary(&verdict_line);
    drop(run);
    let written = args
        .output
        .emit(out, &inputs, move |templates, format| match format {
            ReportFormat::Json => Ok(staffing::json(&view)),
            ReportFormat::Html => templates.render_owned("staffing.html", view),
            ReportFormat::Md => templates.render_owned("staffing.md", view),
        })?;
    if !written {
        return Ok(EXIT_FAILURE);
    }
    if args.output.output.is_some() {
        eprintln!("{verdict_line}");
    }
    Ok(code)
}
