//! `opsplan agenda --at TIME`: the Operations Manager's shift sheet.
//!
//! Exit codes: 0 the sheet was written (also when the plan fails its check: the sheet
//! says so at the top); 2 usage or input failure (a bad `--at`, an unknown `--role` or
//! `--plan`, a missing or unreadable input, an invalid flight-rule or window file, a file
//! that cannot be written). Nothing is written on exit 2.

use super::{EXIT_FAILURE, EXIT_OK};
use crate::output;
use crate::report::Templates;
use crate::workspace::{self, agenda};
use clap::ValueEnum;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
#[command(after_help = concat!("Examples:\n  \
opsplan agenda examples/atv5-week40 --at \"2014/275 12:00\" --hours 6\n  \
opsplan agenda examples/atv5-week40 --at 2014-10-02T12:00Z --role MCC-M --role FD\n  \
opsplan agenda examples/atv5-week40 --at \"2014/275 06:00\" --format html -o shift.html\n\n\
For each role: what runs at TIME (with the time it has left) and what starts during the \
shift, with the procedure to use, its contingency, the windows it needs and whether they \
are open over it; then every window of the plan and the activities whose time is unknown.\n\
A group role (`roles FE-5, FE-6 in CREW`) shows its members' activities too; a member \
shows the group's. Roles named only by the procedure's `roles` appear as `supports`.\n\
Several plans: `--plan ID`, or a sheet for each plan whose horizon overlaps the shift.\n\
docs/agenda.md describes the sheet.\n", project_help!(), "\n\
The sheet's header names the project file (`Project file`).\n\
Exit codes: 0 the sheet was written (even when the plan fails its check: the sheet warns), \
2 usage or input failure (bad --at, unknown --role or --plan, missing or unreadable input, \
invalid flight-rule or window file, -o not writable); nothing is written then."))]
pub struct AgendaArgs {
    /// Files, folders or opsplan.yaml (default: the current folder).
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub project: super::ProjectArgs,
    /// The start of the shift (`2014/275 12:00` or `2014-10-02T12:00Z`), GMT.
    #[arg(long, value_name = "TIME")]
    pub at: String,
    /// The length of the shift, in hours (1 to 744).
    #[arg(long, value_name = "N", default_value_t = 12)]
    pub hours: u32,
    /// Only this role (repeatable); a group role shows its members' activities too.
    #[arg(long, value_name = "ROLE")]
    pub role: Vec<String>,
    /// Only this plan, when the inputs hold several.
    #[arg(long, value_name = "ID")]
    pub plan: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AgendaFormat::Text)]
    pub format: AgendaFormat,
    /// Write to this file (whole or not at all) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// A folder of templates replacing the embedded ones by name (`agenda.html`,
    /// `style.css`, …), for `--format html`.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum AgendaFormat {
    /// Aligned text, one section per role, then the windows.
    Text,
    /// A printable HTML shift sheet.
    Html,
    /// The sheet's data, for tools.
    Json,
}

pub fn run(args: &AgendaArgs, out: &mut impl Write) -> anyhow::Result<u8> {
    let fail = |message: String| {
        eprintln!("opsplan: error: {message}");
        Ok(EXIT_FAILURE)
    };
    // The arguments first: a typo is reported before any input is read.
    let at = match agenda::parse_time(&args.at) {
        Ok(t) => t,
        Err(e) => return fail(format!("--at {e}")),
    };
    let run = match workspace::check_with(&args.paths, &args.project.options()) {
        Ok(run) => run,
        Err(e) => return fail(e.to_string()),
    };
    if run.has_invalid_input() {
        let invalid: Vec<crate::diag::Diagnostic> = run
            .diagnostics
            .iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .filter(|d| {
                matches!(
                    d.code,
                    crate::diag::Code::InvalidFlightRuleFile
                        | crate::diag::Code::InvalidWindowFile
                        | crate::diag::Code::InvalidRequirementExport
                )
            })
            .cloned()
            .collect();
        eprint!("{}", output::text::render(&run.sources, &invalid, false));
        return fail("an input could not be used; no sheet written".to_string());
    }
    let request = agenda::Request {
        at,
        hours: args.hours,
        roles: &args.role,
        plan: args.plan.as_deref(),
    };
    let sheet = match agenda::agenda(&run, &request) {
        Ok(s) => s,
        Err(e) => return fail(e.to_string()),
    };
    let mut inputs = workspace::inputs::Inputs::of_run(&run);
    let text = match args.format {
        AgendaFormat::Text => output::agenda::text(&sheet),
        AgendaFormat::Json => output::agenda::json(&sheet),
        AgendaFormat::Html => {
            let templates = match &args.templates {
                Some(dir) => Templates::with_overrides(dir),
                None => Ok(Templates::embedded()),
            };
            let provenance = crate::report::Provenance::of_run(&run);
            let view = crate::report::agenda::view(&sheet, provenance);
            let rendered = templates.and_then(|t| {
                for f in t.files() {
                    inputs.add(f, workspace::inputs::Role::Template);
                }
                crate::report::agenda::html(&t, &view)
            });
            match rendered {
                Ok(html) => html,
                Err(e) => return fail(e.to_string()),
            }
        }
    };
    match &args.output {
        Some(path) => {
            if let Err(message) = super::write::write_output("-o", path, text.as_bytes(), &inputs) {
                return fail(message);
            }
        }
        None => {
            if let Err(message) = super::write::check_stdout(|| inputs.clone()) {
                return fail(message);
            }
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    // Freeing a large model item by item would only delay the exit.
    std::mem::forget(run);
    Ok(EXIT_OK)
}
