//! `opsplan export PLAN --out DIR`: the transmission package of a checked plan
//! (docs/export.md).
//!
//! The plan is checked as `opsplan check` would; a plan whose check has errors is
//! refused unless `--force`. The files are rendered in memory (`output::export` and the
//! consistency report of `report`), written into a temporary folder beside DIR and renamed
//! into place last: a failed or interrupted run leaves nothing behind (`temp`), and never
//! touches an input.

use super::{EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK};
use crate::diag::{Code, Severity};
use crate::output::export::{self, manifest, ExportMeta};
use crate::workspace::{self, Verdict};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

pub const AFTER_HELP: &str = concat!("Examples:\n  \
opsplan export examples/atv5-week40 --out atv5-w40-issue3\n  \
opsplan export examples/atv5-week40/atv5-week40.plan --out pkg   judged by examples/atv5-week40/opsplan.yaml\n  \
opsplan export missions/ --plan ATV5-W40 --out out/w40\n  \
SOURCE_DATE_EPOCH=1412121600 opsplan export week40.plan --out pkg   reproducible bytes\n\n\
The package: plan.json (schema opsplan-export-1.schema.json, included), activities.csv, \
calendars/<ROLE>.ics (iCalendar, one per role), consistency.html, MANIFEST and SHA256SUMS \
(`cd DIR && sha256sum -c SHA256SUMS`). DIR must not exist or be empty; nothing is written \
unless everything could be. With a roster, people/<PERSON>.ics too (one per person: shifts, \
on-call turns, activities). docs/export.md describes every file.\n", project_help!(), "\n\
MANIFEST (`project-file:`), plan.json (`project_file`) and the report's provenance name it.\n\
Exit codes: 0 written; 1 the check found errors: nothing written, or with --force the \
package written and marked as forced; 2 usage or input failure (a missing or unreadable \
input, an invalid flight-rule or window file, no plan, a non-empty DIR), nothing written \
even with --force.");

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// The plan: a .plan file, a mission folder or an opsplan.yaml.
    pub plan: PathBuf,
    /// The package folder to create (must not exist, or be empty).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Export even when the check finds errors; the package is marked as forced.
    #[arg(long)]
    pub force: bool,
    /// The plan to export when the input holds several (its id).
    #[arg(long = "plan", value_name = "ID")]
    pub plan_id: Option<String>,
    #[command(flatten)]
    pub project: super::ProjectArgs,
}

/// One file of the package: its path inside the package (with `/`) and its bytes.
struct PackageFile {
    path: String,
    bytes: Vec<u8>,
}

fn fail(message: impl std::fmt::Display) -> anyhow::Result<u8> {
    eprintln!("opsplan: error: {message}");
    Ok(EXIT_FAILURE)
}

pub fn run(args: &ExportArgs, out: &mut impl Write) -> anyhow::Result<u8> {
    if let Err(why) = check_out_dir(&args.out) {
        if let Some(refusal) = holds_input(&args.out, &args.plan) {
            return fail(refusal);
        }
        return fail(format!("{}: {why}; nothing exported", args.out.display()));
    }
    let run = match workspace::check_with(std::slice::from_ref(&args.plan), &args.project.options())
    {
        Ok(run) => run,
        Err(e) => return fail(format!("{e}; nothing exported")),
    };
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    // An input that could not be used makes the package wrong, whatever --force says.
    let unusable: Vec<crate::diag::Diagnostic> = run
        .diagnostics
        .iter()
        .filter(|d| {
            d.severity == Severity::Error
                && matches!(
                    d.code,
                    Code::InvalidFlightRuleFile
                        | Code::InvalidWindowFile
                        | Code::InvalidRequirementExport
                        | Code::UnreadableSource
                )
        })
        .cloned()
        .collect();
    if run.has_invalid_input() || !unusable.is_empty() {
        eprint!(
            "{}",
            crate::output::text::render(&run.sources, &unusable, color)
        );
        return fail("an input could not be used; nothing exported (even with --force)");
    }
    let plan = match select_plan(&run, &args.plan, args.plan_id.as_deref()) {
        Ok(p) => p,
        Err(why) => return fail(why),
    };
    // The plan's findings: all but those inside another plan of the input.
    let mine: Vec<crate::diag::Diagnostic> = export::findings_of(&run, plan)
        .into_iter()
        .cloned()
        .collect();
    let verdict = export::verdict_of(&mine.iter().collect::<Vec<_>>());
    let summary = format!(
        "{}: {}",
        verdict.as_str(),
        crate::output::summary(&mine, run.sources.len())
    );
    let errors = mine
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if verdict == Verdict::Fail && !args.force {
        let findings: Vec<crate::diag::Diagnostic> = mine
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .cloned()
            .collect();
        eprint!(
            "{}",
            crate::output::text::render(&run.sources, &findings, color)
        );
        eprintln!("{}", run.project.line());
        eprintln!("{summary}");
        eprintln!(
            "opsplan: error: the check found {} at error severity: nothing exported \
             (resolve them, or export anyway with --force: the package is then marked as forced)",
            crate::output::plural(errors, "finding")
        );
        return Ok(EXIT_FINDINGS);
    }
    let forced = verdict == Verdict::Fail;
    let files = match package(&run, plan, forced) {
        Ok(f) => f,
        Err(why) => return fail(format!("{why}; nothing exported")),
    };
    if let Err(e) = write_package(&args.out, &files) {
        return fail(format!(
            "{}: cannot be written: {e}; nothing exported",
            args.out.display()
        ));
    }
    let p = &run.model.plans[plan];
    let issue = p
        .issue
        .as_ref()
        .map_or(String::new(), |i| format!(" issue {i}"));
    writeln!(
        out,
        "exported {}{issue} to {}{}",
        p.id.value,
        args.out.display(),
        if forced { " (FORCED)" } else { "" }
    )?;
    for f in &files {
        writeln!(out, "  {}", f.path)?;
    }
    out.flush()?;
    eprintln!("{}", run.project.line());
    eprintln!("{summary}");
    if forced {
        eprintln!(
            "opsplan: warning: forced export: the check found {}; MANIFEST and \
             consistency.html say so",
            crate::output::plural(errors, "finding")
        );
    }
    let code = if forced { EXIT_FINDINGS } else { EXIT_OK };
    std::mem::forget(run);
    Ok(code)
}

/// DIR may not exist (its parent must) or be an empty folder.
pub(super) fn check_out_dir(dir: &Path) -> Result<(), String> {
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => match std::fs::read_dir(dir) {
            Ok(mut entries) => {
                if entries.next().is_some() {
                    Err("exists and is not empty".into())
                } else {
                    Ok(())
                }
            }
            Err(e) => Err(format!("cannot be read: {e}")),
        },
        Ok(_) => Err("exists and is not a folder".into()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let parent = parent_of(dir);
            if parent.is_dir() {
                Ok(())
            } else {
                Err(format!("the folder {} does not exist", parent.display()))
            }
        }
        Err(e) => Err(format!("cannot be read: {e}")),
    }
}

/// The refusal when `--out` is the folder of the plan given, or holds it.
fn holds_input(out: &Path, plan: &Path) -> Option<String> {
    let (o, p) = (
        std::fs::canonicalize(out).ok()?,
        std::fs::canonicalize(plan).ok()?,
    );
    if o == p {
        Some(format!(
            "--out {} is {}, an input of this run (read as the plan): nothing exported",
            out.display(),
            plan.display()
        ))
    } else if p.starts_with(&o) {
        Some(format!(
            "--out {} holds {}, an input of this run (read as the plan): nothing exported",
            out.display(),
            plan.display()
        ))
    } else {
        None
    }
}

fn parent_of(dir: &Path) -> &Path {
    dir.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// The plan to export: the only one, or the one `--plan` names.
fn select_plan(run: &workspace::Run, input: &Path, id: Option<&str>) -> Result<usize, String> {
    let plans = &run.model.plans;
    let ids: Vec<&str> = plans.iter().map(|p| p.id.value.as_str()).collect();
    match (id, plans.len()) {
        (_, 0) => Err(format!(
            "{}: holds no plan; nothing exported",
            input.display()
        )),
        (None, 1) => Ok(0),
        (None, _) => Err(format!(
            "{}: holds {} plans ({}): name the one to export with --plan ID",
            input.display(),
            plans.len(),
            ids.join(", ")
        )),
        (Some(want), _) => ids.iter().position(|&i| i == want).ok_or_else(|| {
            let hint = crate::diag::did_you_mean(want, ids.iter().copied())
                .map(|s| format!(" ({})", s.did_you_mean()))
                .unwrap_or_default();
            format!(
                "{}: no plan `{want}`{hint}; its plans: {}",
                input.display(),
                ids.join(", ")
            )
        }),
    }
}

/// Every file of the package, MANIFEST and SHA256SUMS last.
fn package(run: &workspace::Run, plan: usize, forced: bool) -> Result<Vec<PackageFile>, String> {
    let provenance = crate::report::Provenance::of_run(run);
    let generated = crate::time::Time::parse_iso(&provenance.generated)
        .map(|t| t.0)
        .unwrap_or(315_532_800);
    if let Some((name, span, count)) = export::too_dense_windows(run, plan).into_iter().next() {
        let at = run.sources.line_col(span.file, span.start as usize);
        return Err(format!(
            "{}:{}:{}: window `{name}` has {count} occurrences inside the horizon; \
             the package lists every occurrence and takes at most {} per window: give the \
             window a longer period, or an `until`",
            run.sources.path(span.file).display(),
            at.line,
            at.column,
            export::MAX_WINDOW_OCCURRENCES
        ));
    }
    if let Some((span, message)) = export::people::refusals(run, plan).into_iter().next() {
        let at = run.sources.line_col(span.file, span.start as usize);
        return Err(format!(
            "{}:{}:{}: {message}",
            run.sources.path(span.file).display(),
            at.line,
            at.column
        ));
    }
    let doc = export::build(run, plan, &ExportMeta { generated, forced });
    let mut files = vec![
        PackageFile {
            path: "plan.json".into(),
            bytes: export::json::render(&doc).into_bytes(),
        },
        PackageFile {
            path: export::SCHEMA_FILE.into(),
            bytes: export::json::SCHEMA.as_bytes().to_vec(),
        },
        PackageFile {
            path: "activities.csv".into(),
            bytes: export::csv::render(&doc).into_bytes(),
        },
    ];
    for c in export::ics::calendars(&doc) {
        files.push(PackageFile {
            path: c.path,
            bytes: c.text.into_bytes(),
        });
    }
    for c in export::ics::person_calendars(&doc) {
        files.push(PackageFile {
            path: c.path,
            bytes: c.text.into_bytes(),
        });
    }
    let mut view = crate::report::consistency::view(run, provenance.clone());
    if forced {
        view.forced_export = Some(format!(
            "this plan was exported with --force although its check found {} at error \
             severity. It must not be executed until they are resolved.",
            crate::output::plural(doc.counts.errors, "finding")
        ));
    }
    let html = crate::report::Templates::embedded()
        .render("consistency.html", &view)
        .map_err(|e| e.to_string())?;
    files.push(PackageFile {
        path: "consistency.html".into(),
        bytes: html.into_bytes(),
    });
    let info = manifest::ManifestInfo {
        plan: doc.plan.id.clone(),
        title: doc.plan.title.clone(),
        issue: doc.plan.issue.clone(),
        verdict: doc.verdict.to_string(),
        errors: doc.counts.errors,
        warnings: doc.counts.warnings,
        notes: doc.counts.notes,
        waived: doc.counts.waived,
        forced,
        project_file: run.project.describe(),
        opsplan_version: env!("CARGO_PKG_VERSION").to_string(),
        generated: doc.generator.generated.clone(),
        generated_from: provenance.generated_from.clone(),
    };
    let listed: Vec<(&str, &[u8])> = files
        .iter()
        .map(|f| (f.path.as_str(), f.bytes.as_slice()))
        .collect();
    let (m, sums) = manifest::render(&info, &listed);
    files.push(PackageFile {
        path: manifest::MANIFEST.into(),
        bytes: m.into_bytes(),
    });
    files.push(PackageFile {
        path: manifest::SHA256SUMS.into(),
        bytes: sums.into_bytes(),
    });
    Ok(files)
}

/// Writes the files into a temporary folder beside `dir` (`.opsplan-tmp-<pid>-<random>`,
/// removed on a signal or any failure), then renames it to `dir` (an empty `dir` is
/// replaced).
fn write_package(dir: &Path, files: &[PackageFile]) -> std::io::Result<()> {
    let parent = parent_of(dir);
    super::temp::sweep_stale(parent);
    let tmp = super::temp::TempDir::create_in(parent)?;
    for f in files {
        tmp.write_file(&f.path, &f.bytes)?;
    }
    tmp.persist(dir)
}
