//! `opsplan report qualification [ROOT] --out DIR`: the qualification kit of opsplan
//! itself (docs/qualification.md), as `index.html` and `kit.json` in a new folder,
//! written whole or not at all.

use super::{EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK};
use crate::report::qualification::{self as kit, Binary, Finding, TorEntry};
use crate::workspace;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct QualificationArgs {
    /// The opsplan repository: the folder holding `qualification/tor.csv`,
    /// `tests/qualification.rs`, `docs/`, `examples/` and `Cargo.lock` (default: the
    /// current folder).
    pub root: Option<PathBuf>,
    /// The folder to write `index.html` and `kit.json` into: absent (its parent must
    /// exist) or empty.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The JUnit file of the verification run (default:
    /// ROOT/target/nextest/qualification/junit.xml, what `cargo nextest run --profile
    /// qualification` writes).
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
}

/// The largest text input read (the JUnit file of a whole run included).
const MAX_INPUT: u64 = 64 * 1024 * 1024;

fn fail(message: impl std::fmt::Display) -> anyhow::Result<u8> {
    eprintln!(
        "opsplan: error: {}",
        crate::diag::terminal_safe(&message.to_string())
    );
    Ok(EXIT_FAILURE)
}

/// Exit 0: every TOR verified and every seeded defect caught; 1: the kit is written and
/// says what is not; 2: an input could not be read or the folder not written (nothing
/// written).
pub fn run(args: &QualificationArgs, out: &mut impl Write) -> anyhow::Result<u8> {
    let root = args.root.clone().unwrap_or_else(|| PathBuf::from("."));
    let at = |rel: &str| {
        let p = root.join(rel);
        p.strip_prefix(".").map(Path::to_path_buf).unwrap_or(p)
    };
    let tor_path = at("qualification/tor.csv");
    let tests_path = at("tests/qualification.rs");
    let junit_path = args
        .junit
        .clone()
        .unwrap_or_else(|| at("target/nextest/qualification/junit.xml"));
    let defects_dir = at("examples/atv5-week40-defects");
    let conditions_path = at("docs/qualification.md");
    let limits_path = at("docs/limits.md");
    let lock_path = at("Cargo.lock");
    let readme_path = defects_dir.join("README.md");

    let fixed: Vec<(PathBuf, String)> = [
        (&tor_path, "the tool operational requirements"),
        (&tests_path, "the verification cases"),
        (&junit_path, "the verification results"),
        (&defects_dir, "the seeded defects"),
        (&conditions_path, "the conditions of use"),
        (&limits_path, "the known limitations"),
        (&lock_path, "the configuration"),
    ]
    .into_iter()
    .map(|(p, what)| (p.clone(), what.to_string()))
    .collect();
    if let Err(why) = super::export::check_out_dir(&args.out) {
        if let Some(refusal) = holds_input(&args.out, &fixed) {
            return fail(refusal);
        }
        return fail(format!(
            "--out {}: {why}; nothing written",
            args.out.display()
        ));
    }
    let mut read = Vec::new();
    let mut text = |path: &Path, what: &'static str| -> Result<String, String> {
        read.push((path.to_path_buf(), what));
        let bytes = workspace::read_bounded(path, MAX_INPUT)
            .map_err(|e| format!("{} ({what}): cannot be read: {e}", path.display()))?;
        String::from_utf8(bytes)
            .map_err(|_| format!("{} ({what}): is not UTF-8 text", path.display()))
    };
    let texts = (|| {
        Ok::<_, String>((
            text(&tests_path, "the verification cases")?,
            text(&readme_path, "the seeded defects")?,
            text(&conditions_path, "the conditions of use")?,
            text(&limits_path, "the known limitations")?,
            text(&lock_path, "the configuration")?,
            text(&junit_path, "the verification results").map_err(|e| {
                if junit_path.exists() {
                    e
                } else {
                    format!(
                        "{e}; run `cargo nextest run --profile qualification` first, or give --junit FILE"
                    )
                }
            })?,
        ))
    })();
    let (tests_src, readme, conditions, limits, lock, junit_text) = match texts {
        Ok(t) => t,
        Err(e) => return fail(format!("{e}; nothing written")),
    };
    let junit = match kit::junit::read(&junit_text) {
        Ok(j) => j,
        Err(e) => return fail(format!("{}: {e}; nothing written", junit_path.display())),
    };

    // The TOR, read with opsplan's own importer.
    let options = workspace::requirements::ImportOptions::default();
    let reqs =
        match workspace::requirements::load_requirements(std::slice::from_ref(&tor_path), &options)
        {
            Ok(r) => r,
            Err(e) => return fail(format!("{e}; nothing written")),
        };
    read.push((tor_path.clone(), "the tool operational requirements"));
    if !reqs.diagnostics.is_empty() {
        eprint!(
            "{}",
            crate::output::text::render(&reqs.sources, &reqs.diagnostics, false)
        );
        return fail(format!(
            "{}: the tool operational requirements do not read cleanly; nothing written",
            tor_path.display()
        ));
    }
    let tor: Vec<TorEntry> = reqs
        .exports
        .iter()
        .flat_map(|(_, e)| &e.objects)
        .map(|o| TorEntry {
            id: o.id.clone(),
            heading: o.is_heading,
            level: o.level,
            text: if o.is_heading {
                o.heading.clone().unwrap_or_default()
            } else {
                o.text.clone()
            },
        })
        .collect();

    // The seeded defects, caught (or not) by this binary's check.
    let run = match workspace::check_paths(std::slice::from_ref(&defects_dir)) {
        Ok(run) => run,
        Err(e) => return fail(format!("{e}; nothing written")),
    };
    let findings = findings_of(&run);
    let mut paths: Vec<PathBuf> = read.iter().map(|(p, _)| p.clone()).collect();
    paths.extend(
        workspace::inputs::Inputs::of_run(&run)
            .iter()
            .map(|i| i.path.clone()),
    );
    // Every input is read: the run's own (a flight-rule file outside the example) too.
    let mut inputs = fixed;
    for i in workspace::inputs::Inputs::of_run(&run).iter() {
        inputs.push((i.path.clone(), i.role.as_str().to_string()));
    }
    if let Some(refusal) = holds_input(&args.out, &inputs) {
        return fail(refusal);
    }
    let provenance = crate::report::Provenance::of_files(&paths);
    let view = kit::view(kit::Sources {
        tor_file: shown(&tor_path),
        tor,
        tests_file: shown(&tests_path),
        tests_source: &tests_src,
        junit_file: shown(&junit_path),
        junit,
        defects_example: shown(&defects_dir),
        defects_readme: &readme,
        defects_findings: findings,
        conditions_file: shown(&conditions_path),
        conditions: &conditions,
        limitations_file: shown(&limits_path),
        limitations: &limits,
        lock_file: shown(&lock_path),
        lock: &lock,
        binary: binary(),
        provenance,
    });
    let html = match crate::report::Templates::embedded().render("qualification.html", &view) {
        Ok(h) => h,
        Err(e) => return fail(format!("{e}; nothing written")),
    };
    let json = kit::json(&view);
    let files = [
        ("index.html", html.as_bytes()),
        ("kit.json", json.as_bytes()),
    ];
    if let Err(e) = write_folder(&args.out, &files) {
        return fail(format!(
            "--out {}: cannot be written: {e}; nothing written",
            args.out.display()
        ));
    }
    writeln!(out, "{}", args.out.join("index.html").display())?;
    writeln!(out, "{}", args.out.join("kit.json").display())?;
    eprintln!("{}", view.verdict.summary);
    Ok(if view.verdict.qualified {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    })
}

fn shown(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn findings_of(run: &workspace::Run) -> Vec<Finding> {
    let value = crate::output::json::diagnostics_value(&run.sources, &run.diagnostics);
    value
        .as_array()
        .map(|a| a.as_slice())
        .unwrap_or(&[])
        .iter()
        .map(|d| Finding {
            file: d["file"].as_str().unwrap_or_default().to_string(),
            line: d["line"].as_u64().unwrap_or(0),
            column: d["column"].as_u64().unwrap_or(0),
            code: d["code"].as_str().unwrap_or_default().to_string(),
            message: d["message"].as_str().unwrap_or_default().to_string(),
        })
        .collect()
}

/// The refusal when `--out` is an input or a folder holding one.
fn holds_input(out: &Path, inputs: &[(PathBuf, String)]) -> Option<String> {
    let o = std::fs::canonicalize(out).ok().or_else(|| {
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        Some(std::fs::canonicalize(parent).ok()?.join(out.file_name()?))
    })?;
    inputs.iter().find_map(|(path, role)| {
        let p = std::fs::canonicalize(path).ok()?;
        let how = if p == o {
            "is"
        } else if p.starts_with(&o) {
            "holds"
        } else {
            return None;
        };
        Some(format!(
            "--out {} {how} {}, an input of this run (read as {role}): nothing written",
            out.display(),
            path.display()
        ))
    })
}

/// The binary's identity: version, SHA-256 of the running executable, the compiler.
fn binary() -> Binary {
    use sha2::Digest;
    let sha256 = std::env::current_exe()
        .and_then(std::fs::read)
        .map(|b| crate::reqs::hex(&sha2::Sha256::digest(&b)))
        .unwrap_or_else(|_| "not recorded".into());
    Binary {
        name: "opsplan",
        version: env!("CARGO_PKG_VERSION").to_string(),
        sha256,
        rustc: option_env!("OPSPLAN_RUSTC_VERSION")
            .filter(|v| !v.is_empty())
            .unwrap_or("not recorded")
            .to_string(),
    }
}

/// The files written into a temporary folder beside `dir`, renamed to `dir` last.
fn write_folder(dir: &Path, files: &[(&str, &[u8])]) -> std::io::Result<()> {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    super::temp::sweep_stale(parent);
    let tmp = super::temp::TempDir::create_in(parent)?;
    for (name, bytes) in files {
        tmp.write_file(name, bytes)?;
    }
    tmp.persist(dir)
}
