//! The project file from any path (issue #14, item 5): whatever paths a command is
//! given, the nearest `opsplan.yaml` above them judges them (docs/flight-rules.md,
//! "Project file: how it is found"); `--config FILE` names one, `--no-config` none; the
//! outputs name the one used.
//!
//! Every test works in a temporary repository (a `.git` folder at its root) holding
//! copies of the examples, and runs the binary from its root with relative paths, as a
//! user would.

mod common;
use common::copy_dir;

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;
use tempfile::TempDir;

fn opsplan(cwd: &Path) -> Command {
    let mut c = Command::cargo_bin("opsplan").expect("binary built");
    c.current_dir(cwd)
        .env_remove("NO_COLOR")
        .env("SOURCE_DATE_EPOCH", "1412121600");
    c
}

/// Runs `opsplan ARGS` in `cwd`: (exit code, stdout, stderr).
fn run(cwd: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = opsplan(cwd).args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    )
}

fn json(cwd: &Path, args: &[&str]) -> (Option<i32>, Value) {
    let (code, out, err) = run(cwd, args);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    (code, v)
}

fn codes(check: &Value) -> Vec<String> {
    check["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

/// The last line of a text output (the verdict) and the one before (the project file).
fn tail(text: &str) -> (&str, &str) {
    let mut lines = text.lines().rev();
    let verdict = lines.next().unwrap_or_default();
    let project = lines.next().unwrap_or_default();
    (project, verdict)
}

/// A repository with both example missions and the requirements, as in this one. In the
/// defects mission the flight rules come from the project file only (`rules:` in its
/// opsplan.yaml; the plan's `use rules` line is taken out), so a check that dropped the
/// project file would drop them.
fn repository() -> TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    std::fs::create_dir(repo.join(".git")).unwrap();
    for sub in [
        "examples/atv5-week40",
        "examples/atv5-week40-defects",
        "requirements",
    ] {
        copy_dir(&root.join(sub), &repo.join(sub));
    }
    let defects = repo.join("examples/atv5-week40-defects");
    let plan = defects.join("atv5-week40.plan");
    let text = std::fs::read_to_string(&plan).unwrap();
    let line = "  use rules \"../atv5-week40/flight-rules.yaml\"\n";
    assert!(
        text.contains(line),
        "the defects plan still names its rules"
    );
    std::fs::write(
        &plan,
        text.replace(line, "  // flight rules: opsplan.yaml\n"),
    )
    .unwrap();
    let yaml = std::fs::read_to_string(defects.join("opsplan.yaml")).unwrap();
    std::fs::write(
        defects.join("opsplan.yaml"),
        format!("rules: [../atv5-week40/flight-rules.yaml]\n{yaml}"),
    )
    .unwrap();
    dir
}

const CLEAN: &str = "examples/atv5-week40";
const CLEAN_PLAN: &str = "examples/atv5-week40/atv5-week40.plan";
const CLEAN_PROJECT: &str = "examples/atv5-week40/opsplan.yaml";
const DEFECTS: &str = "examples/atv5-week40-defects";
const DEFECTS_PLAN: &str = "examples/atv5-week40-defects/atv5-week40.plan";
const DEFECTS_PROJECT: &str = "examples/atv5-week40-defects/opsplan.yaml";

#[test]
fn a_plan_file_named_alone_is_judged_by_the_project_file_beside_it() {
    let repo = repository();
    let repo = repo.path();

    // The defects mission: the folder fails with its flight-rule violations, and so does
    // its plan named alone, with the same errors and warnings, but for the training
    // record's `S008` (scenarios/sim-records.scn, which the plan does not name: a folder
    // reads it, the plan alone does not).
    let (code, folder) = json(repo, &["check", DEFECTS, "--format", "json"]);
    assert_eq!(code, Some(1));
    let (code, alone) = json(repo, &["check", DEFECTS_PLAN, "--format", "json"]);
    assert_eq!(code, Some(1));
    assert_eq!(alone["project_file"], DEFECTS_PROJECT);
    assert_eq!(folder["project_file"], DEFECTS_PROJECT);
    assert_eq!(
        alone["summary"]["errors"].as_u64().unwrap() + 1,
        folder["summary"]["errors"].as_u64().unwrap()
    );
    assert_eq!(alone["summary"]["warnings"], folder["summary"]["warnings"]);
    // The same findings; the files come in another order (the folder's roster after its
    // procedures, the plan's `use roster` before its `use procedures` folder).
    let sorted = |v: &Value| {
        let mut c = codes(v);
        c.sort();
        c
    };
    let mut without_scenarios = sorted(&folder);
    let at = without_scenarios.iter().position(|c| c == "S008").unwrap();
    without_scenarios.remove(at);
    assert_eq!(sorted(&alone), without_scenarios);
    let flight: Vec<&Value> = alone["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "F001")
        .collect();
    assert!(
        flight.iter().any(|d| d["flight_rule"] == "FR-09"),
        "the project's flight rules judge the named plan: {flight:?}"
    );
    // The requirements of the project file too (a mistyped `covers` is an error).
    assert!(codes(&alone).contains(&"Q002".to_string()));

    // Without the project file the flight rules and requirements are gone: this is what
    // naming the file used to do, silently.
    let (_, bare) = json(
        repo,
        &["check", DEFECTS_PLAN, "--no-config", "--format", "json"],
    );
    assert_eq!(bare["project_file"], Value::Null);
    assert!(!codes(&bare).iter().any(|c| c == "F001" || c == "Q002"));

    // The clean mission: its plan alone gets the requirement trace of the folder (the
    // suspect trace and the uncovered requirements), and passes as the folder does.
    let (code, text, _) = run(repo, &["check", CLEAN_PLAN, "--color", "never"]);
    assert_eq!(code, Some(0));
    assert!(text.contains("warning[Q006]"), "{text}");
    assert_eq!(
        tail(&text),
        (
            "project file: examples/atv5-week40/opsplan.yaml",
            "pass: 0 errors, 4 warnings, 0 notes in 15 files"
        )
    );
}

#[test]
fn a_named_file_outside_the_inputs_is_judged_with_the_rules_and_the_use_procedures() {
    let repo = repository();
    let repo = repo.path();
    // The earlier issue is not among the project's `inputs`; named, it is judged by the
    // project file, and its `use procedures "../procedures/"` still brings them.
    let (code, v) = json(
        repo,
        &[
            "check",
            "examples/atv5-week40/issues/atv5-week40-issue2.plan",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, Some(0));
    assert_eq!(v["project_file"], CLEAN_PROJECT);
    assert!(codes(&v).contains(&"Q007".to_string()), "{v}");
    // Only what was named, with what it uses: not the current issue of the project.
    assert_eq!(v["summary"]["files"], 14);
    assert!(!codes(&v).contains(&"R007".to_string()), "{v}");
}

#[test]
fn a_nested_folder_finds_the_project_file_above() {
    let repo = repository();
    let repo = repo.path();
    // The procedures of the defects mission: the project file above them applies its
    // policy. Made visible with a severity: unreachable steps (P003) as errors.
    let project = repo.join(DEFECTS_PROJECT);
    let yaml = std::fs::read_to_string(&project).unwrap();
    std::fs::write(&project, format!("severity: {{ P003: error }}\n{yaml}")).unwrap();

    let (code, text, err) = run(
        repo,
        &[
            "check",
            "examples/atv5-week40-defects/procedures",
            "--color",
            "never",
        ],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(text.contains("error[P003]"), "{text}");
    assert_eq!(
        tail(&text).0,
        "project file: examples/atv5-week40-defects/opsplan.yaml"
    );

    // From inside the folder, with no path: the same project file, seen from there.
    let inside = repo.join("examples/atv5-week40-defects/procedures");
    let (code, text, _) = run(&inside, &["check", "--color", "never"]);
    assert_eq!(code, Some(1));
    assert!(text.contains("error[P003]"), "{text}");
    assert_eq!(tail(&text).0, "project file: ../opsplan.yaml");

    // Opting out: the step is a warning again, and the output says why.
    let (_, text, _) = run(&inside, &["check", "--no-config", "--color", "never"]);
    assert!(text.contains("warning[P003]"), "{text}");
    assert!(!text.contains("error[P003]"), "{text}");
    assert_eq!(tail(&text).0, "project file: none (--no-config)");
}

#[test]
fn config_names_the_project_file_whatever_the_paths() {
    let repo = repository();
    let repo = repo.path();
    // A project file of another name and place: the clean plan judged strictly.
    std::fs::write(
        repo.join("strict.yaml"),
        "severity: { Q007: error }\nrequirements:\n  sources: requirements/atv-ops-requirements.reqif\n  id: Req ID\n",
    )
    .unwrap();
    let (code, v) = json(
        repo,
        &[
            "check",
            "--config",
            "strict.yaml",
            CLEAN_PLAN,
            "--format",
            "json",
        ],
    );
    assert_eq!(code, Some(1));
    assert_eq!(v["project_file"], "strict.yaml");
    let q007: Vec<&Value> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "Q007")
        .collect();
    assert!(!q007.is_empty() && q007.iter().all(|d| d["severity"] == "error"));
    // Not the project file beside the plan: it names a baseline, so a suspect trace
    // (Q006) would be found; strict.yaml names none.
    assert!(!codes(&v).contains(&"Q006".to_string()));

    // With no path, the project file's inputs, as if it were named.
    let (code, text, _) = run(
        repo,
        &["check", "--config", CLEAN_PROJECT, "--color", "never"],
    );
    assert_eq!(code, Some(0));
    assert_eq!(
        tail(&text),
        (
            "project file: examples/atv5-week40/opsplan.yaml",
            "pass: 0 errors, 4 warnings, 0 notes in 16 files"
        )
    );

    // Usage errors: a missing file, a folder, both flags, another project file as a path.
    let (code, out, err) = run(repo, &["check", "--config", "missing.yaml", CLEAN_PLAN]);
    assert_eq!((code, out.as_str()), (Some(2), ""));
    assert!(err.contains("--config missing.yaml: no such file"), "{err}");
    let (code, _, err) = run(repo, &["check", "--config", CLEAN, CLEAN_PLAN]);
    assert_eq!(code, Some(2));
    assert!(err.contains("is a folder"), "{err}");
    let (code, out, err) = run(
        repo,
        &[
            "check",
            "--config",
            "strict.yaml",
            "--no-config",
            CLEAN_PLAN,
        ],
    );
    assert_eq!((code, out.as_str()), (Some(2), ""));
    assert!(err.contains("cannot be used with"), "{err}");
    let (code, _, err) = run(repo, &["check", "--config", "strict.yaml", DEFECTS_PROJECT]);
    assert_eq!(code, Some(2));
    assert!(err.contains("a project file, but --config names"), "{err}");
    let (code, _, err) = run(repo, &["check", "--no-config", CLEAN_PROJECT]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--no-config"), "{err}");
}

#[test]
fn paths_in_two_projects_are_refused_unless_one_is_chosen() {
    let repo = repository();
    let repo = repo.path();
    let (code, out, err) = run(repo, &["check", CLEAN_PLAN, DEFECTS_PLAN]);
    assert_eq!(code, Some(2));
    assert_eq!(out, "", "nothing is written on exit 2");
    assert!(
        err.contains(CLEAN_PROJECT) && err.contains(DEFECTS_PROJECT),
        "{err}"
    );
    assert!(err.contains("--config"), "{err}");
    // Two folders holding their project files, too.
    let (code, _, _) = run(repo, &["check", CLEAN, DEFECTS]);
    assert_eq!(code, Some(2));
    // One project file chosen for both, or none.
    let (code, v) = json(
        repo,
        &[
            "check",
            "--config",
            DEFECTS_PROJECT,
            CLEAN_PLAN,
            DEFECTS_PLAN,
            "--format",
            "json",
        ],
    );
    assert_eq!(code, Some(1));
    assert_eq!(v["project_file"], DEFECTS_PROJECT);
    let (_, v) = json(
        repo,
        &[
            "check",
            "--no-config",
            CLEAN_PLAN,
            DEFECTS_PLAN,
            "--format",
            "json",
        ],
    );
    assert_eq!(v["project_file"], Value::Null);
    // A path inside a project and one in none: the one project file applies to both.
    std::fs::create_dir(repo.join("loose")).unwrap();
    std::fs::write(
        repo.join("loose/extra.proc"),
        "procedure X-1 \"Loose\" {\n  version 1.0\n  roles FD\n  step 1 { manual FD \"Look\" }\n}\n",
    )
    .unwrap();
    let (code, v) = json(
        repo,
        &["check", CLEAN_PLAN, "loose/extra.proc", "--format", "json"],
    );
    assert_eq!(code, Some(0));
    assert_eq!(v["project_file"], CLEAN_PROJECT);
}

#[test]
fn the_walk_stops_at_the_repository_root() {
    let dir = tempfile::tempdir().unwrap();
    // A project file above the repository: it ignores undefined roles (R004).
    std::fs::write(dir.path().join("opsplan.yaml"), "ignore: [R004]\n").unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(repo.join("plans")).unwrap();
    std::fs::write(
        repo.join("plans/p.plan"),
        "plan P {\n  roles FD\n  activity A1 { at 2014/273 09:00 lasts 1h by OM }\n}\n",
    )
    .unwrap();
    // Without a repository root in between, the walk reaches it.
    let (code, text, _) = run(
        dir.path(),
        &["check", "repo/plans/p.plan", "--color", "never"],
    );
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(tail(&text).0, "project file: opsplan.yaml");
    // With `.git` in repo/, it stops there: the file above is not used.
    std::fs::create_dir(repo.join(".git")).unwrap();
    let (code, text, _) = run(
        dir.path(),
        &["check", "repo/plans/p.plan", "--color", "never"],
    );
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("error[R004]"), "{text}");
    assert_eq!(tail(&text).0, "project file: none found");
    // A worktree's `.git` is a file: it stops the walk as well.
    std::fs::remove_dir(repo.join(".git")).unwrap();
    std::fs::write(repo.join(".git"), "gitdir: /elsewhere\n").unwrap();
    let (code, _, _) = run(&repo, &["check", "plans"]);
    assert_eq!(code, Some(1));
}

#[test]
fn a_bad_project_file_found_above_is_exit_2_located() {
    let repo = repository();
    let repo = repo.path();
    std::fs::write(repo.join(CLEAN_PROJECT), "inputs: [a.plan]\nrulez: []\n").unwrap();
    let (code, out, err) = run(repo, &["check", CLEAN_PLAN]);
    assert_eq!((code, out.as_str()), (Some(2), ""));
    assert!(
        err.contains("examples/atv5-week40/opsplan.yaml:2:1: unknown field `rulez`"),
        "{err}"
    );
}

/// A mission whose only flight rule comes from its project file, with a plan that
/// breaks it in `issues/old.plan` and one that keeps it in `w40.plan`.
fn rule_mission(repo: &Path) {
    let m = repo.join("mission");
    std::fs::create_dir_all(m.join("issues")).unwrap();
    std::fs::write(
        m.join("opsplan.yaml"),
        "inputs: [w40.plan]\nrules: [rules.yaml]\n",
    )
    .unwrap();
    std::fs::write(
        m.join("rules.yaml"),
        "rules:\n  - id: FR-06\n    title: Crew tasks outside crew sleep\n    kind: forbidden_window\n    select: { role: CREW }\n    windows: [CREW-SLEEP]\n",
    )
    .unwrap();
    let plan = |issue: u32, at: &str| {
        format!(
            "plan W40 {{\n  issue {issue}\n  horizon 2014/275 00:00 .. 2014/277 00:00\n  roles CREW\n  window CREW-SLEEP daily 21:30 .. 06:00\n  activity A25 \"Photos\" {{ at {at} lasts 30m by CREW }}\n}}\n"
        )
    };
    std::fs::write(m.join("issues/old.plan"), plan(1, "2014/276 02:00")).unwrap();
    std::fs::write(m.join("w40.plan"), plan(2, "2014/276 08:00")).unwrap();
}

#[test]
fn diff_judges_each_side_by_its_project_file() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    std::fs::create_dir(repo.join(".git")).unwrap();
    rule_mission(repo);
    let mission = repo.join("mission");

    let (code, text, err) = run(&mission, &["diff", "issues/old.plan", "."]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        text.contains("flight rules (1):\n  FR-06: violated (1) → met\n"),
        "{text}"
    );
    assert!(
        text.contains("project files: opsplan.yaml → opsplan.yaml\n"),
        "{text}"
    );
    assert!(text.ends_with("verdict fail → pass\n"), "{text}");
    let (_, v) = json(
        &mission,
        &["diff", "issues/old.plan", ".", "--format", "json"],
    );
    assert_eq!(v["old_project_file"], "opsplan.yaml");
    assert_eq!(v["new_project_file"], "opsplan.yaml");
    assert_eq!(v["old_verdict"], "fail");

    // --no-config applies to both sides: no flight rule judges either.
    let (_, v) = json(
        &mission,
        &[
            "diff",
            "--no-config",
            "issues/old.plan",
            "w40.plan",
            "--format",
            "json",
        ],
    );
    assert_eq!(v["old_project_file"], Value::Null);
    assert_eq!(v["old_verdict"], "pass");
    assert_eq!(v["flight_rules"], serde_json::json!([]));
}

#[test]
fn export_of_a_named_plan_refuses_what_its_project_rules_fail() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    std::fs::create_dir(repo.join(".git")).unwrap();
    rule_mission(repo);
    let (code, out, err) = run(repo, &["export", "mission/issues/old.plan", "--out", "pkg"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(err.contains("error[F001]: FR-06"), "{err}");
    assert!(
        err.contains("project file: mission/opsplan.yaml\nfail: "),
        "{err}"
    );
    assert!(!repo.join("pkg").exists(), "nothing is written");

    // The plan that keeps the rule: the package names the project file.
    let (code, _, err) = run(repo, &["export", "mission/w40.plan", "--out", "pkg"]);
    assert_eq!(code, Some(0), "{err}");
    let manifest = std::fs::read_to_string(repo.join("pkg/MANIFEST")).unwrap();
    assert!(
        manifest.contains("\nforced: no\nproject-file: mission/opsplan.yaml\n"),
        "{manifest}"
    );
    let plan: Value =
        serde_json::from_str(&std::fs::read_to_string(repo.join("pkg/plan.json")).unwrap())
            .unwrap();
    assert_eq!(plan["project_file"], "mission/opsplan.yaml");
    let html = std::fs::read_to_string(repo.join("pkg/consistency.html")).unwrap();
    assert!(html.contains(
        "<p id=\"project-file\">Project file: <span class=\"mono\">mission/opsplan.yaml</span></p>"
    ));
}

#[test]
fn every_output_names_the_project_file() {
    let repo = repository();
    let repo = repo.path();
    let named = |args: &[&str], needle: &str| {
        let (code, out, err) = run(repo, args);
        assert!(code == Some(0) || code == Some(1), "{args:?}: {err}");
        assert!(
            out.contains(needle),
            "{args:?} does not say {needle:?}:\n{out}"
        );
    };
    let p = CLEAN_PROJECT;
    let plan = CLEAN_PLAN;
    named(
        &["check", plan, "--color", "never"],
        &format!("project file: {p}\npass: "),
    );
    named(
        &["check", plan, "--format", "json"],
        &format!("\"project_file\": \"{p}\""),
    );
    named(
        &["check", plan, "--format", "sarif"],
        &format!("\"projectFile\": \"{p}\""),
    );
    named(
        &["check", plan, "--format", "junit"],
        &format!("<property name=\"project_file\" value=\"{p}\"/>"),
    );
    named(
        &["check", plan, "--format", "github"],
        &format!("\nproject file: {p}\npass: "),
    );
    named(
        &["trace", plan, "--color", "never"],
        &format!("project file: {p}\nrequirements: "),
    );
    named(
        &["trace", plan, "--format", "json"],
        &format!("\"project_file\": \"{p}\""),
    );
    for format in ["md", "html", "json"] {
        for report in ["consistency", "trace"] {
            let needle = match format {
                "md" => format!("Project file: {p}\n"),
                "html" => format!("Project file: <span class=\"mono\">{p}</span>"),
                _ => format!("\"project_file\": \"{p}\""),
            };
            named(&["report", report, plan, "--format", format], &needle);
        }
    }
    let at = ["--at", "2014/275 12:00", "--hours", "2"];
    fn agenda<'a>(plan: &'a str, at: [&'a str; 4], format: &'a str) -> Vec<&'a str> {
        let mut a = vec!["agenda", plan];
        a.extend(at);
        a.extend(["--format", format]);
        a
    }
    named(&agenda(plan, at, "text"), &format!("\nProject file {p}\n"));
    named(
        &agenda(plan, at, "json"),
        &format!("\"project_file\": \"{p}\""),
    );
    named(
        &agenda(plan, at, "html"),
        &format!("<dt>Project file</dt><dd class=\"mono\">{p}</dd>"),
    );
    named(
        &[
            "diff",
            "examples/atv5-week40/issues/atv5-week40-issue2.plan",
            CLEAN,
        ],
        &format!("project files: {p} → {p}\n"),
    );

    // And when there is none.
    named(
        &["check", plan, "--no-config", "--format", "sarif"],
        "\"projectFile\": null",
    );
    named(
        &["check", plan, "--no-config", "--format", "junit"],
        "<property name=\"project_file\" value=\"none (--no-config)\"/>",
    );
    named(
        &[
            "report",
            "consistency",
            plan,
            "--no-config",
            "--format",
            "md",
        ],
        "Project file: none\n",
    );
    let mut a = vec!["agenda", plan, "--no-config"];
    a.extend(at);
    named(&a, "\nProject file none (--no-config)\n");
}
