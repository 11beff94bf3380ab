//! The binary as users run it: exit codes, text and JSON output, help, rule docs.

use assert_cmd::Command;
use predicates::prelude::*;
use std::collections::BTreeSet;

fn opsplan() -> Command {
    let mut c = Command::cargo_bin("opsplan").expect("binary built");
    c.env_remove("NO_COLOR");
    c
}

/// Every mission shipped under `examples/` is checked: a `-defects` folder must fail (exit 1),
/// every other must pass (exit 0, warnings allowed), and each renders its consistency
/// report.
#[test]
fn every_example_mission_is_checked() {
    let mut dirs: Vec<std::path::PathBuf> = std::fs::read_dir("examples")
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 3, "{dirs:?}");
    for dir in dirs {
        let defects = dir.to_string_lossy().ends_with("-defects");
        let expected = if defects { 1 } else { 0 };
        let out = opsplan()
            .args([
                "check".as_ref(),
                dir.as_os_str(),
                "--color".as_ref(),
                "never".as_ref(),
            ])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(expected),
            "{}:\n{}",
            dir.display(),
            String::from_utf8_lossy(&out.stdout)
        );
        let report = opsplan()
            .args([
                "report".as_ref(),
                "consistency".as_ref(),
                dir.as_os_str(),
                "--format".as_ref(),
                "md".as_ref(),
            ])
            .output()
            .unwrap();
        assert_eq!(report.status.code(), Some(expected), "{}", dir.display());
        assert!(String::from_utf8_lossy(&report.stdout).contains("**Verdict: "));
    }
}

#[test]
fn clean_example_mission_passes() {
    // Clean: no error. Its opsplan.yaml traces it to the requirements, which shows one
    // suspect trace (ATV-OPS-REQ-007 changed since baseline 1) and three uncovered
    // requirements, as warnings.
    opsplan()
        .args(["check", "examples/atv5-week40", "--color", "never"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "warning[Q006]: `ATV-OPS-REQ-007` changed since activity A12",
        ))
        .stdout(predicate::str::contains(
            "warning[Q007]: requirement `ATV-OPS-REQ-027`",
        ))
        .stdout(predicate::str::ends_with(
            "\npass: 0 errors, 4 warnings, 0 notes in 16 files\n",
        ));
}

/// Copies a folder, without its project file (whose paths are relative to the repository).
fn copy_mission(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        // Without opsplan.yaml (and the earlier issues it leaves out): no requirements.
        if path.is_dir() && path.file_name().is_some_and(|n| n != "issues") {
            copy_mission(&path, &target);
        } else if path.is_file() && path.file_name().is_some_and(|n| n != "opsplan.yaml") {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn the_example_training_scenarios_are_read_and_checked() {
    // The clean mission's scenarios hold: checking the scenario file alone with its plan
    // and procedures passes.
    opsplan()
        .args([
            "check",
            "examples/atv5-week40/atv5-week40.plan",
            "examples/atv5-week40/scenarios/sim-rbt-overtemp.scn",
            "--color",
            "never",
        ])
        .assert()
        .code(0);
    // The same folder with a scenario that expects the wrong contingency and an idle
    // trainee fails with the scenario codes, located in the .scn file.
    let dir = tempfile::tempdir().unwrap();
    copy_mission("examples/atv5-week40".as_ref(), dir.path());
    let scn = dir.path().join("scenarios/sim-rbt-overtemp.scn");
    let text = std::fs::read_to_string(&scn).unwrap();
    let broken = text
        .replace("expect ATV-CRP-PRP-090 v1.1", "expect ATV-CRP-PRP-091")
        .replace(
            "trainees   FD, EST, MCC-M, KVINCENT",
            "trainees   FD, EST, MCC-M, KVINCENT, GC",
        );
    assert_ne!(broken, text);
    std::fs::write(&scn, broken).unwrap();
    let out = opsplan()
        .arg("check")
        .arg(dir.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let found: BTreeSet<(String, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            let file = d["file"].as_str().unwrap().replace('\\', "/");
            let file = file.rsplit('/').next().unwrap().to_string();
            (d["code"].as_str().unwrap().to_string(), file)
        })
        .collect();
    assert_eq!(
        found,
        BTreeSet::from([
            ("S006".to_string(), "sim-rbt-overtemp.scn".to_string()),
            ("S007".to_string(), "sim-rbt-overtemp.scn".to_string()),
        ])
    );
}

#[test]
fn defects_example_fails_with_each_defect_located() {
    let out = opsplan()
        .args(["check", "examples/atv5-week40-defects", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    insta::assert_snapshot!("defects_text", text);
}

#[test]
fn defects_example_in_json_carries_locations() {
    let out = opsplan()
        .args(["check", "examples/atv5-week40-defects", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let diags = json["diagnostics"].as_array().unwrap();
    let codes: BTreeSet<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    for expected in [
        "R001", "R002", "R003", "R004", "R007", "G001", "T001", "T002", "T006", "P001", "P003",
        "Q002",
    ] {
        assert!(
            codes.contains(expected),
            "{expected} missing from {codes:?}"
        );
    }
    for d in diags {
        for field in [
            "code",
            "severity",
            "message",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "related",
        ] {
            assert!(!d[field].is_null(), "{field} missing in {d}");
        }
        assert!(d["line"].as_u64().unwrap() >= 1 && d["column"].as_u64().unwrap() >= 1);
    }
    insta::assert_json_snapshot!("defects_json", json);
}

#[test]
fn json_output_is_deterministic() {
    let run = || {
        opsplan()
            .args(["check", "examples/atv5-week40-defects", "--format", "json"])
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(run(), run());
}

#[test]
fn missing_input_is_exit_2() {
    opsplan()
        .args(["check", "no/such/plan.plan"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no/such/plan.plan: no such file or directory",
        ));
}

#[test]
fn usage_error_is_exit_2() {
    opsplan()
        .args(["check", "--format", "yaml"])
        .assert()
        .code(2);
    opsplan().args(["frobnicate"]).assert().code(2);
}

#[test]
fn empty_folder_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    opsplan()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no .plan, .proc, .scn or .roster files found",
        ));
}

#[test]
fn default_path_is_the_current_folder_and_its_project_file() {
    opsplan()
        .current_dir("examples/atv5-week40")
        .arg("check")
        .assert()
        .code(0);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("opsplan.yaml"), "inputs: [missions/]\n").unwrap();
    std::fs::create_dir(dir.path().join("missions")).unwrap();
    std::fs::write(
        dir.path().join("missions/a.plan"),
        "plan P { roles FD activity A1 { at 2014/273 09:00 lasts 1h by FX } }",
    )
    .unwrap();
    opsplan()
        .current_dir(dir.path())
        .arg("check")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("undefined role `FX`"));
}

#[test]
fn bad_project_file_is_located_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("opsplan.yaml"),
        "inputs: [a.plan]\nrulez: 3\n",
    )
    .unwrap();
    opsplan()
        .arg("check")
        .arg(dir.path().join("opsplan.yaml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "opsplan.yaml:2:1: unknown field `rulez`",
        ));
}

#[test]
fn color_follows_the_flag_and_no_color() {
    let colored = opsplan()
        .args([
            "check",
            "tests/fixtures/R005-undefined-resource",
            "--color",
            "always",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&colored.stdout).contains("\u{1b}["));
    let plain = opsplan()
        .args(["check", "tests/fixtures/R005-undefined-resource"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&plain.stdout).contains("\u{1b}["));
}

#[test]
fn rule_prints_documentation() {
    opsplan().args(["rule", "G001"]).assert().code(0).stdout(
        predicate::str::contains("# G001 dependency-cycle")
            .and(predicate::str::contains("## Why it matters")),
    );
    opsplan()
        .args(["rule", "exclusive-resource-overlap"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("T006"));
    opsplan().args(["rule", "Z999"]).assert().code(2);
    opsplan()
        .arg("rule")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("unreachable-step"));
}

#[test]
fn help_shows_examples_and_exit_codes() {
    opsplan()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Examples:").and(predicate::str::contains("Exit codes")));
    opsplan()
        .args(["check", "--help"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "opsplan check examples/atv5-week40",
        ));
}

#[test]
fn inputs_are_never_modified() {
    let path = "examples/atv5-week40-defects/atv5-week40.plan";
    let before = std::fs::read(path).unwrap();
    opsplan()
        .args(["check", "examples/atv5-week40-defects"])
        .assert()
        .code(1);
    assert_eq!(before, std::fs::read(path).unwrap());
}

/// A small mission with one flight rule, written to a temporary folder.
fn flight_mission(rules: &str, body: &str, config: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let plan = format!(
        "plan W40 {{\n  horizon 2014/275 00:00 .. 2014/277 00:00\n  use rules \"rules.yaml\"\n  roles CREW\n  window CREW-SLEEP daily 21:30 .. 06:00\n{body}}}\n"
    );
    std::fs::write(dir.path().join("w40.plan"), plan).unwrap();
    std::fs::write(dir.path().join("rules.yaml"), rules).unwrap();
    if let Some(c) = config {
        std::fs::write(dir.path().join("opsplan.yaml"), c).unwrap();
    }
    dir
}

const FR06: &str = "rules:\n  - id: FR-06\n    title: Crew tasks outside crew sleep\n    kind: forbidden_window\n    select: { role: CREW }\n    windows: [CREW-SLEEP]\n    traces: [ATV-OPS-REQ-015]\n";

#[test]
fn a_waived_violation_passes_with_waivers_and_exit_0() {
    let dir = flight_mission(
        FR06,
        "  waive FR-06 for A25 ref \"CR-276-01\"\n  activity A25 \"Photos\" { at 2014/276 02:00 lasts 30m by CREW }\n",
        None,
    );
    opsplan()
        .args(["check", "--color", "never"])
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("note[F004]: FR-06"))
        .stdout(predicate::str::ends_with(
            "pass with waivers: 0 errors, 0 warnings, 1 note in 2 files\n",
        ));
}

#[test]
fn a_flight_rule_violation_fails_and_json_names_the_rule_and_its_traces() {
    let dir = flight_mission(
        FR06,
        "  activity A25 \"Photos\" { at 2014/276 02:00 lasts 30m by CREW }\n",
        None,
    );
    let out = opsplan()
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(d["code"], "F001");
    assert_eq!(d["flight_rule"], "FR-06");
    assert_eq!(d["traces"][0], "ATV-OPS-REQ-015");
    assert_eq!(d["line"], 6);
    assert!(d["related"][0]["file"]
        .as_str()
        .unwrap()
        .ends_with("rules.yaml"));
}

#[test]
fn an_invalid_rule_file_is_located_and_exit_2() {
    let bad = FR06.replace("forbidden_window", "forbiden_window");
    let dir = flight_mission(
        &bad,
        "  activity A25 { at 2014/276 02:00 lasts 30m by CREW }\n",
        None,
    );
    opsplan()
        .args(["check", "--color", "never"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stdout(predicate::str::contains("rules.yaml:4:11"))
        .stdout(predicate::str::contains(
            "error[F003]: rule FR-06: unknown kind `forbiden_window`",
        ))
        .stdout(predicate::str::contains(
            "= help: did you mean `forbidden_window`?",
        ));
}

#[test]
fn the_project_file_sets_rule_files_and_severities() {
    let dir = flight_mission(
        FR06,
        "  activity A25 \"Photos\" { at 2014/276 02:00 lasts 30m by CREW }\n",
        Some("inputs: [w40.plan]\nrules: [rules.yaml]\nseverity: { FR-06: warning }\n"),
    );
    opsplan()
        .args(["check", "--color", "never"])
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("warning[F001]: FR-06"));
    let dir = flight_mission(
        FR06,
        "  activity A25 \"Photos\" { at 2014/276 02:00 lasts 30m by CREW }\n",
        Some("ignore: [F]\n"),
    );
    opsplan()
        .args(["check", "--color", "never"])
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("project file: "))
        .stdout(predicate::str::contains("\npass: 0 errors"));
}

#[test]
fn a_yaml_alias_bomb_in_a_rule_file_is_refused_with_exit_2() {
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        let refs = vec![format!("*{prev}"); 9].join(", ");
        bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    bomb.push_str("rules: [*i]\n");
    let dir = flight_mission(
        &bomb,
        "  activity A25 { at 2014/276 02:00 lasts 30m by CREW }\n",
        None,
    );
    opsplan()
        .args(["check", "--color", "never"])
        .arg(dir.path())
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .stdout(predicate::str::contains("error[F003]"));
}

#[test]
fn window_files_from_flight_dynamics_are_merged_with_the_plan() {
    let rules = "rules:\n  - id: FR-07\n    title: Transfer inside an RGS pass\n    kind: requires_window\n    select: { kind: transfer }\n    windows: [RGS]\n";
    let run = |at: &str| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("w40.plan"),
            format!(
                "plan W40 {{\n  horizon 2014/273 00:00 .. 2014/274 00:00\n  use windows \"rgs.csv\"\n  use rules \"rules.yaml\"\n  roles MCC-M\n  window RGS 2014/273 07:21 .. 2014/273 07:34\n  activity A12 {{ at 2014/273 {at} lasts 10m by MCC-M kind transfer }}\n}}\n"
            ),
        )
        .unwrap();
        std::fs::write(dir.path().join("rules.yaml"), rules).unwrap();
        std::fs::write(
            dir.path().join("rgs.csv"),
            "Window,Station,AOS (UTC),LOS (UTC)\nRGS,Shchyolkovo,2014/273 08:55,2014/273 09:07\n",
        )
        .unwrap();
        opsplan()
            .args(["check", "--color", "never"])
            .arg(dir.path())
            .output()
            .unwrap()
    };
    // In the pass from the file, in the pass declared in the plan, and in neither.
    assert_eq!(run("08:56").status.code(), Some(0));
    assert_eq!(run("07:22").status.code(), Some(0));
    let out = run("08:50");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("not covered from 2014/273 08:50 to 2014/273 08:55"));
}

#[test]
fn reqs_list_reads_the_example_module() {
    opsplan()
        .args([
            "reqs",
            "list",
            "requirements/atv-ops-requirements.csv",
            "--id",
            "Req ID",
            "--color",
            "never",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "ATV-OPS-REQ-006  [requirement, level 2]",
        ))
        .stdout(predicate::str::contains(
            "| Propellant transfer shall have ART and TDRS coverage.",
        ))
        .stdout(predicate::str::ends_with(
            "37 objects (7 headings, 30 requirements), 0 links (0 to objects not in the inputs), 0 errors in 1 file\n",
        ));
    let out = opsplan()
        .args([
            "reqs",
            "list",
            "requirements/atv-ops-requirements.csv",
            "--id",
            "Req ID",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let objects = json["files"][0]["objects"].as_array().unwrap();
    assert_eq!(objects.len(), 37);
    assert_eq!(objects[1]["id"], "ATV-OPS-REQ-001");
    assert_eq!(objects[1]["fingerprint"].as_str().unwrap().len(), 64);
}

#[test]
fn reqs_list_of_a_broken_export_is_located_and_exit_2() {
    opsplan()
        .args([
            "reqs",
            "list",
            "tests/fixtures/Q001-invalid-requirement-export",
            "--color",
            "never",
        ])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("atv-ops.csv:4:1"));
    opsplan()
        .args(["reqs", "list", "no/such.reqif"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such file"));
}

#[test]
fn reqs_list_gives_the_line_of_each_record_whatever_the_line_ends() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("lf.csv", "id,text\nR-1,a\nR-2,b\n"),
        (
            "crlf.csv",
            "id,text\r\nR-1,a\r\nR-2,\"two\r\nlines\"\r\nR-3,c\r\n",
        ),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
        let out = opsplan()
            .args(["reqs", "list"])
            .arg(dir.path().join(name))
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(&format!("{name}:2:1")), "{text}");
        assert!(text.contains(&format!("{name}:3:1")), "{text}");
        if name == "crlf.csv" {
            assert!(text.contains("crlf.csv:5:1"), "{text}");
        }
    }
}

#[test]
fn a_bad_rule_is_skipped_and_the_check_says_it_is_incomplete() {
    let rules = format!(
        "{FR06}  - id: FR-07\n    title: Burns apart\n    kind: min_separation\n    minimum: 2h\n"
    );
    let dir = flight_mission(
        &rules,
        "  waive FR-07 for A25 ref \"CR-1\"\n  activity A25 \"Photos\" { at 2014/276 02:00 lasts 30m by CREW }\n",
        None,
    );
    let out = opsplan()
        .args(["check", "--color", "never"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("error[F001]: FR-06"), "the good rule: {text}");
    assert!(
        text.contains("error[F003]: rule FR-07: unknown key `minimum`"),
        "{text}"
    );
    assert!(!text.contains("F006"), "{text}");
    assert!(
        text.ends_with(
            "incomplete check: 1 flight rule was not evaluated (FR-07), so findings may be missing\n\
             fail: 2 errors, 0 warnings, 0 notes in 2 files\n"
        ),
        "{text}"
    );
}

#[test]
fn a_use_rules_path_that_names_no_file_leaves_waivers_unjudged() {
    let dir = flight_mission(
        FR06,
        "  use rules \"more-rules.yaml\"\n  waive FR-08 for A25 ref \"CR-1\"\n  activity A25 \"Photos\" { at 2014/276 10:00 lasts 30m by CREW }\n",
        None,
    );
    let out = opsplan()
        .args(["check", "--color", "never"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("error[R008]: cannot use `more-rules.yaml`"),
        "{text}"
    );
    assert!(
        text.contains("= the rules of this file are not evaluated"),
        "{text}"
    );
    assert!(
        !text.contains("F006"),
        "FR-08 may be in the missing file: {text}"
    );
}
