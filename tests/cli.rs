//! The binary as users run it: exit codes, text and JSON output, help, rule docs.

use assert_cmd::Command;
use predicates::prelude::*;
use std::collections::BTreeSet;

fn opsplan() -> Command {
    let mut c = Command::cargo_bin("opsplan").expect("binary built");
    c.env_remove("NO_COLOR");
    c
}

#[test]
fn clean_example_mission_passes() {
    opsplan()
        .args(["check", "examples/atv5-week40"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("pass: 0 errors"));
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
        .stderr(predicate::str::contains("no .plan or .proc files found"));
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
