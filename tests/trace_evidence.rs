//! Verification evidence per requirement (`evidence:` in opsplan.yaml, issue #20 item 4)
//! as users run it: `tests/data/evidence` holds a JUnit file (a test naming requirements
//! by property, one by its name, a failure, a skip), a tagged KornShell script, a held
//! scenario and an as-flown log. Statuses, the headings' roll-up, text and JSON
//! snapshots, `--min-verified`, the write-back's verification column, and bad evidence
//! (a truncated JUnit file, an ambiguous tag, a tag naming no requirement).

use assert_cmd::Command;
use std::path::Path;

const PROJECT: &str = "tests/data/evidence";

fn opsplan() -> Command {
    let mut c = Command::cargo_bin("opsplan").expect("binary built");
    c.env_remove("NO_COLOR").env_remove("SOURCE_DATE_EPOCH");
    c
}

fn run<I, S>(args: I) -> (Option<i32>, String, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = opsplan().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    )
}

/// A copy of the evidence project in a temporary folder, with `edit` applied.
fn copy_project(edit: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut stack = vec![std::path::PathBuf::from(PROJECT)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(PROJECT).unwrap();
            if p.is_dir() {
                std::fs::create_dir_all(dir.path().join(rel)).unwrap();
                stack.push(p);
            } else {
                std::fs::copy(&p, dir.path().join(rel)).unwrap();
            }
        }
    }
    edit(dir.path());
    dir
}

#[test]
fn every_kind_of_evidence_gives_each_requirement_its_verification() {
    let (code, text, err) = run(["trace", PROJECT, "--color", "never"]);
    // ATV-OPS-REQ-013 is uncovered: a trace defect.
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(err, "");
    insta::assert_snapshot!("evidence_text", text);
}

#[test]
fn the_json_gives_each_requirement_its_status_and_evidence() {
    let (code, json, err) = run(["trace", PROJECT, "--format", "json"]);
    assert_eq!(code, Some(1), "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let status = |id: &str| {
        v["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .map(|r| r["verification"]["status"].as_str().unwrap().to_string())
            .unwrap()
    };
    // By property and by name (folded `ops_tor_q002`), one skipped: partially verified.
    assert_eq!(status("OPS-TOR-Q002"), "partially-verified");
    assert_eq!(status("OPS-TOR-Q003"), "failed");
    // A skipped test and a tag: evidence that did not run.
    assert_eq!(status("OPS-TOR-EXIT"), "not-run");
    assert_eq!(status("OPS-TOR-SCRIPT"), "not-run");
    // The held scenario expects the procedure that covers it.
    assert_eq!(status("ATV-OPS-REQ-010"), "verified");
    // As flown: A28 done, A30 partial.
    assert_eq!(status("ATV-OPS-REQ-011"), "verified");
    assert_eq!(status("ATV-OPS-REQ-012"), "partially-verified");
    assert_eq!(status("ATV-OPS-REQ-013"), "no-evidence");
    let e = &v["evidence"];
    assert_eq!(e["summary"]["counted"], 8);
    assert_eq!(e["summary"]["verified"], 2);
    assert_eq!(e["headings"][0]["path"][0], "Tool");
    assert_eq!(e["headings"][0]["status"], "failed");
    assert_eq!(e["headings"][1]["status"], "no-evidence");
    let failed: Vec<&serde_json::Value> = e["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["outcome"] == "failed")
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["name"], "rules::withdrawn_is_q003");
    assert_eq!(failed[0]["message"], "expected Q003, found nothing");
    assert_eq!(failed[0]["file"], "tests/data/evidence/results/junit.xml");
    assert_eq!(
        (failed[0]["line"].as_u64(), failed[0]["column"].as_u64()),
        (Some(5), Some(5))
    );
    // Tests and tags are artifacts: they cover what they name.
    let kinds: Vec<&str> = v["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"test") && kinds.contains(&"tag"),
        "{kinds:?}"
    );
    insta::assert_snapshot!(
        "evidence_json_items",
        serde_json::to_string_pretty(e).unwrap()
    );
}

#[test]
fn min_verified_fails_below_the_figure_and_says_it() {
    let (code, _, err) = run(["trace", PROJECT, "--format", "json", "--min-verified", "20"]);
    assert_eq!(
        code,
        Some(1),
        "the uncovered requirement still fails: {err}"
    );
    assert!(!err.contains("below --min-verified"), "{err}");
    let (code, _, err) = run(["trace", PROJECT, "--format", "json", "--min-verified", "30"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("2 of 8 requirements counted are verified (25.0 %), below --min-verified 30"),
        "{err}"
    );
    let (code, _, err) = run(["trace", PROJECT, "--min-verified", "120"]);
    assert_eq!(code, Some(2), "{err}");
    // Without evidence: nothing to judge by.
    let (code, _, err) = run(["trace", "examples/atv5-week40", "--min-verified", "50"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("--min-verified needs verification evidence"),
        "{err}"
    );
}

#[test]
fn the_summary_line_says_the_verified_figure_and_nothing_changes_without_evidence() {
    let (_, text, _) = run(["trace", PROJECT, "--color", "never"]);
    assert!(text.trim_end().ends_with("verified 25.0 % (2 of 8 requirements counted); verification of all 8: 1 failed, 1 no-evidence, 2 not-run, 2 partially-verified, 2 verified"), "{text}");
    let (_, text, _) = run(["trace", "examples/atv5-week40", "--color", "never"]);
    assert!(
        !text.contains("verification") && !text.contains("verified "),
        "{text}"
    );
    let (_, json, _) = run(["trace", "examples/atv5-week40", "--format", "json"]);
    assert!(!json.contains("\"verification\"") && !json.contains("\"evidence\""));
}

#[test]
fn the_csv_matrix_and_the_write_back_carry_the_verification() {
    let (_, csv, _) = run(["trace", PROJECT, "--format", "csv"]);
    let header = csv.lines().next().unwrap();
    assert!(header.contains("Did you mean,Verification,"), "{header}");
    assert!(csv
        .lines()
        .any(|l| l.starts_with("requirement,OPS-TOR-Q003,covered,") && l.contains(",failed,")));
    let (code, wb, err) = run(["trace", PROJECT, "--format", "doors-csv"]);
    assert_eq!(code, Some(1), "{err}");
    let lines: Vec<&str> = wb.lines().collect();
    assert_eq!(
        lines[0],
        "Absolute Number,OPS Coverage,OPS Covered By,OPS Verification"
    );
    assert!(
        lines[2].starts_with("3,covered,") && lines[2].ends_with(",failed"),
        "{}",
        lines[2]
    );
    assert!(lines[8].ends_with(",no-evidence"), "{}", lines[8]);
    // Without `writeback: verification:` the file keeps its three columns.
    let dir = copy_project(|d| {
        let p = d.join("opsplan.yaml");
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(
            &p,
            text.replace("  writeback:\n    verification: OPS Verification\n", ""),
        )
        .unwrap();
    });
    let (_, wb, _) = run([
        "trace".as_ref(),
        dir.path().as_os_str(),
        "--format".as_ref(),
        "doors-csv".as_ref(),
    ]);
    assert_eq!(
        wb.lines().next().unwrap(),
        "Absolute Number,OPS Coverage,OPS Covered By"
    );
}

#[test]
fn a_truncated_junit_file_is_a_located_error_and_nothing_is_written() {
    let dir = copy_project(|d| {
        let p = d.join("results/junit.xml");
        let text = std::fs::read_to_string(&p).unwrap();
        let cut = text.find("</failure>").unwrap();
        std::fs::write(&p, &text[..cut]).unwrap();
    });
    let out = dir.path().join("out.json");
    let (code, text, err) = run([
        "trace".as_ref(),
        dir.path().as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
        "--color".as_ref(),
        "never".as_ref(),
    ]);
    assert_eq!(code, Some(2), "{text}{err}");
    assert!(
        err.contains("error[Q009]: the JUnit file ends inside <failure> (it is truncated)"),
        "{err}"
    );
    assert!(err.contains("results/junit.xml:7:7"), "{err}");
    assert!(!out.exists());
}

#[test]
fn a_glob_naming_no_file_and_a_bad_pattern_are_errors_at_their_values() {
    let dir = copy_project(|d| {
        std::fs::remove_dir_all(d.join("scripts")).unwrap();
    });
    let (code, _, err) = run([
        "trace".as_ref(),
        dir.path().as_os_str(),
        "--color".as_ref(),
        "never".as_ref(),
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("error[Q009]: evidence: tags: `scripts/**/*.sh` names no file"),
        "{err}"
    );
    assert!(err.contains("opsplan.yaml:14:14"), "{err}");
    let dir = copy_project(|d| {
        let p = d.join("opsplan.yaml");
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(
            &p,
            text.replace(
                "'scripts/**/*.sh'",
                "'scripts/**/*.sh'\n      pattern: '[covers'",
            ),
        )
        .unwrap();
    });
    let (code, _, err) = run(["trace".as_ref(), dir.path().as_os_str()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("opsplan.yaml:15:17"), "{err}");
    assert!(
        err.contains("evidence: pattern: `[covers` is not a regular expression"),
        "{err}"
    );
    let dir = copy_project(|d| {
        let p = d.join("opsplan.yaml");
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(
            &p,
            text.replace("  scenarios: true\n", "  scenario: true\n"),
        )
        .unwrap();
    });
    let (code, _, err) = run(["trace".as_ref(), dir.path().as_os_str()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("opsplan.yaml:15:3") && err.contains("unknown field `scenario`"),
        "{err}"
    );
}

#[test]
fn ambiguous_and_unknown_tags_are_findings_never_guesses() {
    let dir = copy_project(|d| {
        let p = d.join("scripts/sub/check-outputs.sh");
        std::fs::write(&p, "# [covers: OPS-TOR-NONE]\n# [covers: OPS-TOR-SCRIPT]\n").unwrap();
        let p = d.join("opsplan.yaml");
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(
            &p,
            text.replace(
                "- path: 'scripts/**/*.sh'",
                "- path: 'scripts/**/*.sh'\n      fold: true",
            ),
        )
        .unwrap();
        let p = d.join("reqs.csv");
        let mut text = std::fs::read_to_string(&p).unwrap();
        text.push_str("OPS-11,11,ops-tor-script,,The same id in lower case.,2\n");
        std::fs::write(&p, text).unwrap();
    });
    let (code, text, err) = run([
        "trace".as_ref(),
        dir.path().as_os_str(),
        "--color".as_ref(),
        "never".as_ref(),
    ]);
    assert_eq!(code, Some(1), "{err}");
    // The id exists as written: taken as written, never folded.
    assert!(
        text.contains("OPS-TOR-SCRIPT   covered       not-run"),
        "{text}\n{err}"
    );
    assert!(text.contains("error[Q002]: tag "), "{text}");
    assert!(
        text.contains("cites requirement `OPS-TOR-NONE`, which no export holds"),
        "{text}"
    );
    // Folded, `ops_tor_script` names both: a finding, and evidence for neither.
    let dir = copy_project(|d| {
        let p = d.join("scripts/sub/check-outputs.sh");
        std::fs::write(&p, "# [covers: ops_tor_script]\n").unwrap();
        let p = d.join("opsplan.yaml");
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(
            &p,
            text.replace(
                "- path: 'scripts/**/*.sh'",
                "- path: 'scripts/**/*.sh'\n      fold: true",
            ),
        )
        .unwrap();
        let p = d.join("reqs.csv");
        let mut text = std::fs::read_to_string(&p).unwrap();
        text.push_str("OPS-11,11,ops-tor-script,,The same id in lower case.,2\n");
        std::fs::write(&p, text).unwrap();
    });
    let (code, text, _) = run([
        "trace".as_ref(),
        dir.path().as_os_str(),
        "--color".as_ref(),
        "never".as_ref(),
    ]);
    assert_eq!(code, Some(1));
    assert!(text.contains("warning[Q010]: tag "), "{text}");
    assert!(text.contains("scripts/sub/check-outputs.sh:1 names `ops_tor_script`, which matches `OPS-TOR-SCRIPT` and `ops-tor-script` folded"), "{text}");
    assert!(
        text.contains("OPS-TOR-SCRIPT   uncovered     no-evidence"),
        "{text}"
    );
}

#[test]
fn the_traceability_report_shows_the_failing_evidence_located() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("trace.html");
    let (code, _, err) = run([
        "report".as_ref(),
        "trace".as_ref(),
        PROJECT.as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code, Some(1), "{err}");
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(
        html.contains("Verification evidence"),
        "no evidence section"
    );
    assert!(html.contains("rules::withdrawn_is_q003"));
    assert!(html.contains("expected Q003, found nothing"));
    assert!(html.contains("tests/data/evidence/results/junit.xml:5:5"));
    assert!(html.contains("partially-verified"));
}

#[test]
fn the_workbook_has_a_verification_and_an_evidence_sheet() {
    use calamine::Reader;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("trace.xlsx");
    let (code, _, err) = run([
        "trace".as_ref(),
        PROJECT.as_ref(),
        "--format".as_ref(),
        "xlsx".as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code, Some(1), "{err}");
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    assert_eq!(
        wb.sheet_names(),
        [
            "Summary",
            "Matrix",
            "Requirements",
            "Dangling traces",
            "Verification",
            "Evidence"
        ]
    );
    let range = wb.worksheet_range("Verification").unwrap();
    let row: Vec<String> = range
        .rows()
        .nth(2)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(row[..3], ["OPS-TOR-Q003", "covered", "failed"]);
    assert_eq!(row[3], "test rules::withdrawn_is_q003 (failed)");
}
