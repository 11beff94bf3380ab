//! Command-line interface: arguments, commands, exit codes. No domain logic.
//!
//! Exit codes: 0 no finding at error severity (pass, or pass with waivers); 1 findings at
//! error severity; 2 usage or input failure (a missing file, an unreadable directory, a
//! bad project file, an invalid flight-rule or window file).
//! Writing to a closed pipe (`opsplan check | head`) ends quietly with 0.

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
Exit codes: 0 clean, 1 findings at error severity, 2 usage or input failure."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check plans and procedures and report every finding.
    #[command(after_help = "Examples:\n  \
opsplan check                                 the current folder (or its opsplan.yaml)\n  \
opsplan check examples/atv5-week40\n  \
opsplan check plan.plan lib/ --format json\n\n\
PATHS may be .plan/.proc files, folders (searched recursively) or an opsplan.yaml \
project file; a folder holding opsplan.yaml is read through it.\n\
The last line is the verdict: pass, pass with waivers (violations covered by `waive`), or fail.\n\
Exit codes: 0 pass or pass with waivers, 1 findings at error severity, 2 usage or input \
failure (including an invalid flight-rule or window file).")]
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
}

#[derive(Subcommand, Debug)]
pub enum ReqsCommand {
    /// List every object an export holds: id, heading or requirement, level, text,
    /// attributes, links.
    #[command(after_help = "Examples:\n  \
opsplan reqs list requirements/atv-ops.reqif\n  \
opsplan reqs list export.csv --prefix ATV-OPS-REQ\n  \
opsplan reqs list trace.xlsx --sheet Requirements --format json\n\n\
Formats: .reqif, .reqifz, .csv, .tsv, .xlsx, .xlsm, .xls, .ods (folders are searched).\n\
Exit codes: 0 read, 2 an export or one of its objects could not be read (Q001), or usage.")]
    List(ReqsListArgs),
}

#[derive(clap::Args, Debug)]
pub struct ReqsListArgs {
    /// Export files or folders.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The sheet of a workbook to read.
    #[arg(long)]
    pub sheet: Option<String>,
    /// A module prefix for bare DOORS absolute numbers in spreadsheets (`ATV-OPS-REQ`).
    #[arg(long)]
    pub prefix: Option<String>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files, folders or opsplan.yaml (default: the current folder).
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// When to colour text output (`auto`: on a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
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
    let mut stdout = std::io::stdout().lock();
    let result = match cli.command {
        Command::Check(args) => check(&args, &mut stdout),
        Command::Rule { code } => rule(code.as_deref(), &mut stdout),
        Command::Reqs(ReqsCommand::List(args)) => reqs_list(&args, &mut stdout),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::from(EXIT_OK);
            }
            eprintln!("opsplan: error: {e:#}");
            ExitCode::from(EXIT_FAILURE)
        }
    }
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

fn check(args: &CheckArgs, out: &mut impl Write) -> anyhow::Result<u8> {
    let run = match workspace::check_paths(&args.paths) {
        Ok(run) => run,
        Err(e) => {
            eprintln!("opsplan: error: {e}");
            return Ok(EXIT_FAILURE);
        }
    };
    match args.format {
        Format::Text => {
            let text = output::text::render(&run.sources, &run.diagnostics, use_color(args.color));
            out.write_all(text.as_bytes())?;
            writeln!(
                out,
                "{}: {}",
                run.verdict().as_str(),
                output::summary(&run.diagnostics, run.sources.len())
            )?;
        }
        Format::Json => {
            out.write_all(output::json::render(&run.sources, &run.diagnostics).as_bytes())?
        }
    }
    out.flush()?;
    let code = if run.has_invalid_input() {
        EXIT_FAILURE
    } else if run.verdict() == workspace::Verdict::Fail {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    };
    // The process ends right after: freeing a large model item by item would only
    // delay the exit (a few percent of a 100,000-activity check).
    std::mem::forget(run);
    Ok(code)
}

fn reqs_list(args: &ReqsListArgs, out: &mut impl Write) -> anyhow::Result<u8> {
    let options = workspace::requirements::ImportOptions {
        columns: crate::reqs::tabular::ColumnMap {
            prefix: args.prefix.clone(),
            ..Default::default()
        },
        sheet: args.sheet.clone(),
    };
    let run = match workspace::requirements::load_requirements(&args.files, &options) {
        Ok(run) => run,
        Err(e) => {
            eprintln!("opsplan: error: {e}");
            return Ok(EXIT_FAILURE);
        }
    };
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
    let info = found.info();
    let entry = checks::rule_for(found).expect("every code has a rule entry");
    writeln!(
        out,
        "# {} {} ({})\n\n{}\n\n{}",
        info.code,
        info.name,
        info.severity.as_str(),
        info.summary,
        entry.documentation()
    )?;
    Ok(EXIT_OK)
}
