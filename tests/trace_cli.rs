//! `opsplan trace` and `opsplan reqs diff` as users run them (issue #4): exit codes, the
//! table, JSON, CSV and XLSX matrices, atomic `-o`, the impact of changes, and broken
//! exports reported as located Q001 errors with exit 2, never a panic.
//!
//! The library-level behaviour of the importers (every corpus file, entity handling,
//! zip caps) is tested in `src/reqs/*.rs`; these tests are about the binary.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

const MISSION: &str = "examples/atv5-week40";
const BASELINE: &str = "requirements/baseline/atv-ops-requirements-baseline-1.reqif";
const CURRENT: &str = "requirements/atv-ops-requirements.reqif";
/// The summary line of the example mission traced against its ReqIF export and baseline.
const SUMMARY: &str = "coverage 76.7 % (23 of 30 requirements that need coverage); 22 covered, 4 justified, 1 suspect, 3 uncovered; 66 links: 65 covers, 1 suspect";

fn opsplan() -> Command {
    let mut c = Command::cargo_bin("opsplan").expect("binary built");
    c.env_remove("NO_COLOR").env_remove("SOURCE_DATE_EPOCH");
    c
}

/// Runs `opsplan ARGS` and returns (exit code, stdout, stderr).
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

/// The one line of `text` that contains `needle`.
fn line_with<'a>(text: &'a str, needle: &str) -> &'a str {
    let lines: Vec<&str> = text.lines().filter(|l| l.contains(needle)).collect();
    assert_eq!(
        lines.len(),
        1,
        "one line with {needle:?} expected in:\n{text}"
    );
    lines[0]
}

#[test]
fn trace_text_shows_statuses_findings_and_the_summary() {
    let (code, text, err) = run(["trace", MISSION, "--color", "never"]);
    // Trace defects: three uncovered requirements and one suspect trace.
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(err, "");
    assert!(text.starts_with(
        "project file: examples/atv5-week40/opsplan.yaml\nrequirements: requirements/atv-ops-requirements.reqif\nbaseline:     requirements/baseline/atv-ops-requirements-baseline-1.reqif\n"
    ));
    assert_eq!(
        line_with(&text, "ATV-OPS-REQ-007  "),
        "ATV-OPS-REQ-007  suspect       activity A12 (suspect)"
    );
    let req10 = line_with(&text, "ATV-OPS-REQ-010  ");
    assert!(req10.starts_with("ATV-OPS-REQ-010  covered "), "{req10}");
    assert!(
        req10.contains(", step ATV-FCP-REF-010 v3.2 step 2, "),
        "{req10}"
    );
    assert!(line_with(&text, "ATV-OPS-REQ-028  ").starts_with(
        "ATV-OPS-REQ-028  justified     justified: Verified by the monthly operations report review"
    ));
    for id in ["002", "026", "027"] {
        let row = line_with(&text, &format!("ATV-OPS-REQ-{id}  "));
        assert!(row.contains("  uncovered     — "), "{row}");
        assert!(
            text.contains(&format!(
                "warning[Q007]: requirement `ATV-OPS-REQ-{id}` is covered by nothing"
            )),
            "{text}"
        );
    }
    assert!(text.contains("warning[Q006]: `ATV-OPS-REQ-007` changed since activity A12"));
    assert!(text.contains("--> examples/atv5-week40/atv5-week40.plan:123:31"));
    assert!(text.ends_with(&format!("\n\n{SUMMARY}\n")), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour with --color never");
    insta::assert_snapshot!("trace_text", text);
}

#[test]
fn changed_since_lists_the_changes_and_what_they_affect() {
    let (code, text, err) = run([
        "trace",
        MISSION,
        "--changed-since",
        BASELINE,
        "--color",
        "never",
    ]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(
        line_with(&text, "changed since the baseline:"),
        "changed since the baseline: ATV-OPS-REQ-007 (text changed), ATV-OPS-REQ-011 (text changed), ATV-OPS-REQ-019 (text changed), ATV-OPS-REQ-031 (deleted)"
    );
    assert!(text.contains("\naffected (13):\n"), "{text}");
    // A12 cites ATV-OPS-REQ-007 itself: directly affected.
    let a12 = line_with(&text, "activity    A12 ");
    assert!(
        a12.starts_with("  * activity    A12  cites ATV-OPS-REQ-007 (text changed)  [examples/atv5-week40/atv5-week40.plan:"),
        "{a12}"
    );
    // Downward: the procedure A12 runs.
    let proc = line_with(&text, "procedure   ATV-FCP-REF-010 v3.2 ");
    assert!(
        proc.starts_with("    procedure   ATV-FCP-REF-010 v3.2  run by activity A12  [examples/atv5-week40/procedures/ATV-FCP-REF-010.proc:"),
        "{proc}"
    );
    // Upward: the activity that runs a procedure citing ATV-OPS-REQ-011.
    let a29 = line_with(&text, "activity    A29 ");
    assert!(
        a29.starts_with("    activity    A29  runs procedure ATV-FCP-RBT-020 v2.4  ["),
        "{a29}"
    );
    assert!(text.contains("  (* cites a changed requirement itself)\n"));
    assert!(text.ends_with(&format!("\n{SUMMARY}\n")), "{text}");
    insta::assert_snapshot!("trace_changed_since", text);
}

#[test]
fn changed_since_in_json_carries_the_impact() {
    let (code, out, err) = run([
        "trace",
        MISSION,
        "--changed-since",
        BASELINE,
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(1), "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let changes: Vec<&str> = json["impact"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        changes,
        [
            "ATV-OPS-REQ-007",
            "ATV-OPS-REQ-011",
            "ATV-OPS-REQ-019",
            "ATV-OPS-REQ-031"
        ]
    );
    let affected = json["impact"]["affected"].as_array().unwrap();
    assert_eq!(affected.len(), 13);
    let a12 = affected.iter().find(|a| a["name"] == "A12").unwrap();
    assert_eq!(a12["direct"], true);
    assert_eq!(a12["kind"], "activity");
    let a29 = affected.iter().find(|a| a["name"] == "A29").unwrap();
    assert_eq!(a29["direct"], false);
    // Without --changed-since there is no impact.
    let (_, out, _) = run(["trace", MISSION, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(json.get("impact").is_none());
}

#[test]
fn trace_json_has_the_summary_and_every_requirement_and_is_deterministic() {
    let args = ["trace", MISSION, "--format", "json"];
    let first = opsplan().args(args).output().unwrap();
    assert_eq!(first.status.code(), Some(1));
    assert!(first.stderr.is_empty(), "nothing on stderr without -o");
    let json: serde_json::Value = serde_json::from_slice(&first.stdout).expect("valid JSON");
    let summary = &json["summary"];
    assert_eq!(summary["coverage_percent"].as_f64(), Some(76.7));
    assert_eq!(summary["by_status"]["uncovered"], 3);
    assert_eq!(summary["by_status"]["suspect"], 1);
    assert_eq!(summary["by_status"]["justified"], 4);
    assert_eq!(summary["defects"], true);
    let reqs = json["requirements"].as_array().unwrap();
    assert_eq!(reqs.len(), 30);
    let r7 = reqs.iter().find(|r| r["id"] == "ATV-OPS-REQ-007").unwrap();
    assert_eq!(r7["status"], "suspect");
    assert_eq!(r7["covered_by"][0]["status"], "suspect");
    assert_eq!(
        json["artifacts"][r7["covered_by"][0]["artifact"].as_u64().unwrap() as usize]["name"],
        "A12"
    );
    assert!(!String::from_utf8_lossy(&first.stdout).contains(env!("CARGO_MANIFEST_DIR")));
    insta::assert_json_snapshot!("trace_json", json);
    // Twice, and with another thread count: the same bytes.
    let second = opsplan()
        .args(args)
        .env("OPSPLAN_THREADS", "1")
        .output()
        .unwrap();
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn trace_csv_is_the_matrix_one_row_per_requirement() {
    let out = opsplan()
        .args(["trace", MISSION, "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.ends_with("\r\n"));
    assert_eq!(text.matches("\r\n").count(), 31, "header + 30 requirements");
    assert_eq!(text.matches('\n').count(), 31, "every line ends with CRLF");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 31);
    let header: Vec<&str> = rows[0].iter().collect();
    assert_eq!(
        header[..10],
        [
            "Record",
            "Requirement",
            "Status",
            "Needs coverage",
            "Module",
            "Heading path",
            "Text",
            "Cited by",
            "Cited at",
            "Did you mean"
        ]
    );
    // No trace covers nothing here: every row is a requirement's.
    assert!(rows[1..].iter().all(|r| &r[0] == "requirement"));
    // One column per artifact, as many as the JSON lists.
    let json: serde_json::Value = serde_json::from_slice(
        &opsplan()
            .args(["trace", MISSION, "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let artifacts = json["artifacts"].as_array().unwrap();
    assert_eq!(header.len(), 10 + artifacts.len());
    assert_eq!(header[10], "activity A09");
    assert!(header.contains(&"step ATV-FCP-REF-010 v3.2 step 2"));
    assert!(rows.iter().all(|r| r.len() == header.len()));
    let a12 = header.iter().position(|h| *h == "activity A12").unwrap();
    let r7 = rows.iter().find(|r| &r[1] == "ATV-OPS-REQ-007").unwrap();
    assert_eq!(&r7[2], "suspect");
    assert_eq!(&r7[3], "yes");
    assert_eq!(&r7[4], "ATV-OPS Requirements");
    assert_eq!(&r7[5], "Refuelling");
    assert_eq!(&r7[a12], "suspect");
    let r3 = rows.iter().find(|r| &r[1] == "ATV-OPS-REQ-003").unwrap();
    assert_eq!(&r3[a12], "covers");
}

/// A one-activity mission traced to a DOORS-style CSV export (as in
/// tests/fixtures/Q007-uncovered-requirement), in a temporary folder.
fn tiny_mission(reqs_csv: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("plan.plan"),
        "plan FIX \"Fixture\" {\n  horizon 2014/272 00:00 .. 2014/279 00:00\n  roles MCC-M\n  activity A12 \"Propellant transfer\" {\n    at 2014/273 09:00 lasts 40m by MCC-M\n    covers OPS-REQ-006, OPS-REQ-007\n  }\n}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("reqs.csv"), reqs_csv).unwrap();
    std::fs::write(
        dir.path().join("opsplan.yaml"),
        "requirements:\n  sources: reqs.csv\n  id: Req ID\n",
    )
    .unwrap();
    dir
}

#[test]
fn trace_csv_defuses_formulas_in_requirement_text() {
    let dir = tiny_mission(
        "Object Identifier,Req ID,Object Text,Object Level\n\
         OPS-1,OPS-REQ-006,\"=HYPERLINK(\"\"http://x\"\")\",1\n\
         OPS-2,OPS-REQ-007,-1+2 burns shall be spaced,1\n\
         OPS-3,OPS-REQ-008,@SUM(A1),1\n",
    );
    let out = opsplan()
        .args(["trace", "--format", "csv"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    // OPS-REQ-008 is uncovered: a trace defect.
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert_eq!(
        text,
        "Record,Requirement,Status,Needs coverage,Module,Heading path,Text,Cited by,Cited at,Did you mean,activity A12\r\n\
         requirement,OPS-REQ-006,covered,yes,,,\"'=HYPERLINK(\"\"http://x\"\")\",,,,covers\r\n\
         requirement,OPS-REQ-007,covered,yes,,,'-1+2 burns shall be spaced,,,,covers\r\n\
         requirement,OPS-REQ-008,uncovered,yes,,,'@SUM(A1),,,,\r\n"
    );
    // The text and JSON outputs keep the text as written.
    let out = opsplan()
        .args(["trace", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["requirements"][0]["text"], "=HYPERLINK(\"http://x\")");
}

#[test]
fn a_dangling_id_between_two_ids_suggests_both() {
    // The plan covers OPS-REQ-007; the export holds 006 and 008, each one edit away.
    let dir = tiny_mission(
        "Object Identifier,Req ID,Object Text,Object Level\n\
         OPS-1,OPS-REQ-006,Transfer,1\n\
         OPS-2,OPS-REQ-008,Spacing,1\n",
    );
    let out = opsplan()
        .args(["trace", "--color", "never"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("help: did you mean `OPS-REQ-006` or `OPS-REQ-008`?"),
        "{text}"
    );
    let out = opsplan()
        .args(["trace", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cites = &json["artifacts"][0]["cites"];
    let dangling = cites
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "OPS-REQ-007")
        .expect("the dangling cite");
    assert_eq!(
        dangling["suggestions"],
        serde_json::json!(["OPS-REQ-006", "OPS-REQ-008"])
    );
}

fn sheet(path: &Path, name: &str) -> calamine::Range<calamine::Data> {
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto(path).expect("a readable workbook");
    wb.worksheet_range(name).expect("the sheet")
}

#[test]
fn trace_xlsx_needs_an_output_file() {
    let (code, out, err) = run(["trace", MISSION, "--format", "xlsx"]);
    assert_eq!(code, Some(2));
    assert_eq!(out, "", "no workbook bytes on a terminal");
    assert_eq!(
        err,
        "opsplan: error: --format xlsx writes a workbook: give the file with -o FILE\n"
    );
}

#[test]
fn trace_xlsx_writes_a_workbook_reproducibly() {
    use calamine::Reader;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("matrix.xlsx");
    let write = || {
        let out = opsplan()
            .args(["trace", MISSION, "--format", "xlsx", "-o"])
            .arg(&path)
            .env("SOURCE_DATE_EPOCH", "1412121600")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "trace defects");
        assert!(out.stdout.is_empty());
        assert_eq!(
            String::from_utf8(out.stderr).unwrap(),
            format!("{SUMMARY}\n")
        );
        std::fs::read(&path).expect("the workbook is written")
    };
    let first = write();
    assert!(first.starts_with(b"PK\x03\x04"));
    let wb = calamine::open_workbook_auto(&path).unwrap();
    assert_eq!(
        wb.sheet_names(),
        ["Summary", "Matrix", "Requirements", "Dangling traces"]
    );
    let matrix = sheet(&path, "Matrix");
    assert_eq!(
        matrix.get_value((0, 0)),
        Some(&calamine::Data::String("Requirement".into()))
    );
    assert_eq!(matrix.height(), 31, "header + 30 requirements");
    let ids: Vec<String> = (1..31)
        .map(|r| matrix.get_value((r, 0)).unwrap().to_string())
        .collect();
    assert!(ids.iter().any(|id| id == "ATV-OPS-REQ-007"));
    let r7 = ids.iter().position(|id| id == "ATV-OPS-REQ-007").unwrap() as u32 + 1;
    assert_eq!(matrix.get_value((r7, 1)).unwrap().to_string(), "suspect");
    // The creation time is SOURCE_DATE_EPOCH (2014-10-01), never the clock.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&first)).unwrap();
    let mut core = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("docProps/core.xml").unwrap(), &mut core)
        .unwrap();
    assert!(
        core.contains(">2014-10-01T00:00:00Z</dcterms:created>"),
        "{core}"
    );
    // The same inputs and epoch: the same bytes; nothing left beside the workbook.
    assert_eq!(first, write());
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["matrix.xlsx"]);
}

#[test]
fn output_into_a_missing_folder_is_exit_2_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-folder");
    for format in ["text", "csv", "xlsx"] {
        let out = opsplan()
            .args(["trace", MISSION, "--format", format, "-o"])
            .arg(missing.join("matrix.out"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{format}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.starts_with("opsplan: error: ") && err.contains("matrix.out: cannot be written"),
            "{err}"
        );
        assert!(!missing.exists());
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn a_failed_run_leaves_an_existing_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("matrix.csv");
    std::fs::write(&path, "the matrix of last week\n").unwrap();
    opsplan()
        .args(["trace", MISSION, "--format", "csv", "-r"])
        .arg(dir.path().join("missing.reqif"))
        .arg("-o")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "missing.reqif: no such file or directory",
        ));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "the matrix of last week\n"
    );
    // A bad option value fails before anything is read or written.
    opsplan()
        .args(["trace", MISSION, "--format", "yaml", "-o"])
        .arg(&path)
        .assert()
        .code(2);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "the matrix of last week\n"
    );
}

#[test]
fn an_unreadable_export_does_not_overwrite_an_existing_output() {
    // Exit 2 is an input failure: the matrix of a run that could not read its
    // requirements (here every link would be dangling, coverage "100 %" of nothing)
    // must not replace the last good one.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("noid.csv");
    std::fs::write(&bad, "Foo,Bar\n1,2\n").unwrap();
    let path = dir.path().join("matrix.csv");
    std::fs::write(&path, "the matrix of last week\n").unwrap();
    opsplan()
        .args(["trace", MISSION, "--format", "csv", "-r"])
        .arg(&bad)
        .arg("-o")
        .arg(&path)
        .assert()
        .code(2);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "the matrix of last week\n"
    );
}

#[cfg(unix)]
#[test]
fn the_output_file_gets_the_permissions_of_any_new_file() {
    // `-o` writes through a temporary file (mode 0600) then renames it: the matrix
    // must still be readable as any file the user writes (umask), and replacing an
    // existing file must not make it private.
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("reference.txt");
    std::fs::write(&reference, "x").unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let expected = mode(&reference);
    let path = dir.path().join("matrix.csv");
    opsplan()
        .args(["trace", MISSION, "--format", "csv", "-o"])
        .arg(&path)
        .assert()
        .code(1);
    assert_eq!(
        format!("{:o}", mode(&path)),
        format!("{expected:o}"),
        "a new output file"
    );
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    opsplan()
        .args(["trace", MISSION, "--format", "csv", "-o"])
        .arg(&path)
        .assert()
        .code(1);
    assert_eq!(
        format!("{:o}", mode(&path)),
        "644",
        "a replaced output file"
    );
}

#[test]
fn trace_without_requirements_is_exit_2_and_names_the_option() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("plan.plan"),
        "plan P {\n  roles FD\n  activity A1 { at 2014/273 09:00 lasts 1h by FD covers R-1 }\n}\n",
    )
    .unwrap();
    let err = opsplan()
        .arg("trace")
        .arg(dir.path())
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(err).unwrap();
    assert!(err.starts_with("opsplan: error: "), "{err}");
    assert!(err.contains("--requirements"), "{err}");
    assert!(err.contains("requirements: sources:"), "{err}");
    // The same from inside the folder, with no path.
    opsplan()
        .current_dir(dir.path())
        .arg("trace")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--requirements"));
}

#[test]
fn the_csv_and_xlsx_exports_trace_as_the_reqif_one() {
    for export in [
        "requirements/atv-ops-requirements.csv",
        "requirements/atv-ops-requirements.xlsx",
    ] {
        let (code, text, err) = run([
            "trace", MISSION, "-r", export, "--id", "Req ID", "--color", "never",
        ]);
        assert_eq!(code, Some(1), "{export}: {err}");
        assert!(
            text.starts_with(&format!(
                "project file: examples/atv5-week40/opsplan.yaml\nrequirements: {export}\n"
            )),
            "{export}: {text}"
        );
        assert!(
            text.ends_with(&format!("\n{SUMMARY}\n")),
            "{export}: {text}"
        );
        assert_eq!(
            line_with(&text, "ATV-OPS-REQ-007  "),
            "ATV-OPS-REQ-007  suspect       activity A12 (suspect)",
            "{export}"
        );
    }
    // Requirement by requirement: the same statuses from the three forms.
    let statuses = |extra: &[&str]| -> Vec<(String, String)> {
        let (code, out, err) = run(["trace", MISSION, "--format", "json"]
            .iter()
            .chain(extra)
            .copied());
        assert_eq!(code, Some(1), "{extra:?}: {err}");
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        json["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["id"].to_string(), r["status"].to_string()))
            .collect()
    };
    let reqif = statuses(&[]);
    assert_eq!(reqif.len(), 30);
    for export in [
        "requirements/atv-ops-requirements.csv",
        "requirements/atv-ops-requirements.xlsx",
    ] {
        assert_eq!(
            statuses(&["-r", export, "--id", "Req ID"]),
            reqif,
            "{export}"
        );
    }
}

#[test]
fn reqs_diff_shows_what_changed_between_baselines() {
    let (code, text, err) = run(["reqs", "diff", BASELINE, CURRENT, "--id", "Req ID"]);
    assert_eq!(code, Some(1), "differences, as diff(1): {err}");
    assert!(text.starts_with(&format!("--- {BASELINE}\n+++ {CURRENT}\n")));
    assert!(text.contains(
        "changed ATV-OPS-REQ-011  OCS burns shall be ≥3 h apart.\n    text: \"OCS burns shall be ≥2 h apart.\" → \"OCS burns shall be ≥3 h apart.\"\n"
    ));
    let r22 = text
        .split_once("changed ATV-OPS-REQ-022")
        .expect("ATV-OPS-REQ-022 changed")
        .1;
    let r22 = r22.split_once("\nadded").unwrap().0;
    assert!(
        r22.ends_with("\n    Verification Method: Review → Analysis"),
        "{r22}"
    );
    assert!(text.contains("\nadded   ATV-OPS-REQ-024  "));
    assert!(text.contains("\nremoved ATV-OPS-REQ-031  "));
    assert!(text.ends_with("\n4 changed (3 in content), 1 added, 1 removed, 32 unchanged\n"));
    insta::assert_snapshot!("reqs_diff_text", text);

    opsplan()
        .args(["reqs", "diff", CURRENT, CURRENT, "--id", "Req ID"])
        .assert()
        .code(0)
        .stdout(predicate::str::ends_with(
            "0 changed (0 in content), 0 added, 0 removed, 37 unchanged\n",
        ));

    let (code, out, _) = run([
        "reqs", "diff", BASELINE, CURRENT, "--id", "Req ID", "--format", "json",
    ]);
    assert_eq!(code, Some(1));
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["old"], BASELINE);
    assert_eq!(json["new"], CURRENT);
    let s = &json["summary"];
    assert_eq!(
        (
            &s["changed"],
            &s["content_changed"],
            &s["added"],
            &s["removed"],
            &s["unchanged"]
        ),
        (
            &serde_json::json!(4),
            &serde_json::json!(3),
            &serde_json::json!(1),
            &serde_json::json!(1),
            &serde_json::json!(32)
        )
    );
    assert_eq!(json["changed"].as_array().unwrap().len(), 4);
    assert_eq!(json["added"][0]["id"], "ATV-OPS-REQ-024");
    assert_eq!(json["removed"][0]["id"], "ATV-OPS-REQ-031");
}

// ---------------------------------------------------------------------------------------
// Broken exports: a located Q001 and exit 2, from `reqs list` and from `trace -r`.

/// A ReqIF file cut in the middle of an object.
fn truncated_reqif(dir: &Path) -> PathBuf {
    let bytes = std::fs::read(CURRENT).unwrap();
    let path = dir.join("truncated.reqif");
    std::fs::write(&path, &bytes[..40_000]).unwrap();
    path
}

/// The example export with an internal DTD subset and an entity reference in a text.
fn entity_reqif(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(CURRENT).unwrap();
    let decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    assert!(text.starts_with(decl));
    let text = text.replacen(
        decl,
        &format!("{decl}<!DOCTYPE x [<!ENTITY a \"aaaa\">]>\n"),
        1,
    );
    let old = "Propellant transfer shall have ART and TDRS coverage.";
    assert_eq!(text.matches(old).count(), 1);
    let text = text.replace(old, "Propellant transfer shall have &a; coverage.");
    let path = dir.join("entity.reqif");
    std::fs::write(&path, text).unwrap();
    path
}

/// A ReqIFz whose one `.reqif` member decompresses past the importer's limit
/// (`reqs::reqif::MAX_INPUT`, 256 MiB) while the archive stays small.
fn bomb_reqifz(dir: &Path) -> PathBuf {
    use std::io::Write;
    const OVER_LIMIT: usize = 256 * 1024 * 1024 + 1024 * 1024;
    let path = dir.join("bomb.reqifz");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    w.start_file("atv-ops.reqif", opts).unwrap();
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..OVER_LIMIT / zeros.len() {
        w.write_all(&zeros).unwrap();
    }
    w.finish().unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 4 * 1024 * 1024);
    path
}

fn noid_csv(dir: &Path) -> PathBuf {
    let path = dir.join("noid.csv");
    std::fs::write(&path, "Foo,Bar\n1,2\n3,4\n").unwrap();
    path
}

fn text_xlsx(dir: &Path) -> PathBuf {
    let path = dir.join("export.xlsx");
    std::fs::write(
        &path,
        "Req ID,Object Text\nATV-OPS-REQ-006,not a workbook\n",
    )
    .unwrap();
    path
}

/// Asserts that `reqs list FILE` and `trace MISSION -r FILE` fail with exit 2 and a
/// Q001 error at `location` (file name, line and column).
fn assert_located_q001(file: &Path, location: &str, message: &str) {
    let name = file.file_name().unwrap().to_str().unwrap();
    let (code, out, err) = run([
        "reqs".as_ref(),
        "list".as_ref(),
        file.as_os_str(),
        "--color".as_ref(),
        "never".as_ref(),
    ]);
    assert_eq!(code, Some(2), "reqs list {name}: {out}{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        out.contains(&format!("error[Q001]: {message}")),
        "{name}: {out}"
    );
    assert!(out.contains(&format!("{name}{location}")), "{name}: {out}");
    assert!(out.contains("= rule: invalid-requirement-export (Q001)"));
    assert!(out.ends_with(" 1 error in 1 file\n"), "{name}: {out}");

    let (code, out, err) = run([
        "trace".as_ref(),
        MISSION.as_ref(),
        "-r".as_ref(),
        file.as_os_str(),
        "--id".as_ref(),
        "Req ID".as_ref(),
        "--color".as_ref(),
        "never".as_ref(),
    ]);
    // The trace is not written: the reason goes to stderr.
    assert_eq!(code, Some(2), "trace -r {name}: {out}{err}");
    assert_eq!(out, "", "{name}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains(&format!("error[Q001]: {message}")),
        "{name}: {err}"
    );
    assert!(err.contains(&format!("{name}{location}")), "{name}: {err}");
    assert!(err.ends_with("opsplan: error: an input could not be read; no trace written\n"));
}

#[test]
fn a_truncated_reqif_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = truncated_reqif(dir.path());
    // Cut at byte 40,000: the end of file is line 722, column 6.
    assert_located_q001(
        &file,
        ":722:6",
        "the ReqIF file is truncated: `ATTRIBUTE-VALUE-XHTML` is not closed",
    );
}

#[test]
fn a_csv_without_an_id_column_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    assert_located_q001(
        &noid_csv(dir.path()),
        ":1:1",
        "no id column in the header row (line 1); found columns: 'Foo', 'Bar'",
    );
}

#[test]
fn a_text_file_named_xlsx_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    assert_located_q001(
        &text_xlsx(dir.path()),
        ":1:1",
        "unreadable workbook (xlsx): ",
    );
}

#[test]
fn a_reqifz_bomb_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = bomb_reqifz(dir.path());
    assert_located_q001(
        &file,
        ":1:1",
        "member `atv-ops.reqif` of the ReqIFz archive decompresses to more than 268435456 bytes (in total); it was not read",
    );
}

#[test]
fn reqs_diff_of_a_broken_export_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = truncated_reqif(dir.path());
    opsplan()
        .args(["reqs", "diff", BASELINE])
        .arg(&file)
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains("error[Q001]: the ReqIF file is truncated")
                .and(predicate::str::contains("truncated.reqif:722:6"))
                .and(predicate::str::ends_with(
                    "opsplan: error: an export could not be read; no comparison made\n",
                )),
        );
}

#[test]
fn a_dtd_declaring_entities_is_refused_and_never_expanded() {
    // A ReqIF has no DTD: one that declares entities is a located Q001 error (exit 2).
    // The entity is never expanded: the objects still read, with `&a;` as written.
    let dir = tempfile::tempdir().unwrap();
    let file = entity_reqif(dir.path());
    let (code, out, err) = run([
        "reqs".as_ref(),
        "list".as_ref(),
        file.as_os_str(),
        "--id".as_ref(),
        "Req ID".as_ref(),
        "--color".as_ref(),
        "never".as_ref(),
    ]);
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(!out.contains("have aaaa"), "{out}");
    assert!(
        out.contains("ATV-OPS-REQ-006  [requirement, level 2]\n  in: Refuelling\n  | Propellant transfer shall have &a; coverage.\n"),
        "{out}"
    );
    assert!(
        out.contains("error[Q001]: the file has a DOCTYPE that declares entities"),
        "{out}"
    );
    assert!(out.contains("entity.reqif:2:1"), "{out}");
    assert!(out.ends_with(
        "37 objects (7 headings, 30 requirements), 0 links (0 to objects not in the inputs), 1 error in 1 file\n"
    ));

    // Traced: refused the same way, nothing written on stdout.
    let (code, out, err) = run([
        "trace".as_ref(),
        MISSION.as_ref(),
        "-r".as_ref(),
        file.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(out, "");
    assert!(
        err.contains("DOCTYPE that declares entities") && !err.contains("have aaaa"),
        "{err}"
    );
}

#[test]
fn an_unreadable_export_is_reported_in_every_format() {
    // Exit 2 with JSON or CSV on stdout: the reason (the located Q001) must still reach
    // the user, on stderr, as it does on stdout for text.
    let dir = tempfile::tempdir().unwrap();
    for (file, location) in [
        (noid_csv(dir.path()), "noid.csv:1:1"),
        (truncated_reqif(dir.path()), "truncated.reqif:722:6"),
    ] {
        for format in ["json", "csv"] {
            let out = opsplan()
                .args(["trace", MISSION, "--format", format, "-r"])
                .arg(&file)
                .output()
                .unwrap();
            let err = String::from_utf8(out.stderr).unwrap();
            assert_eq!(out.status.code(), Some(2), "{format} {location}: {err}");
            assert!(
                err.contains("Q001") && err.contains(location),
                "trace -r {location} --format {format}: stderr says nothing of the unreadable export: {err:?}"
            );
        }
    }
}

#[test]
fn a_flight_rule_or_library_that_cannot_be_read_stops_the_trace() {
    // Once, `trace` skipped them: the rule's `traces: [REQ-99]` vanished with the rule,
    // the dangling trace was never reported, and the verdict was 100 % and exit 0.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("rules.yaml"),
        "rules:\n  - id: FR-1\n    tittle: x\n    kind: forbidden_window\n    select: { role: FD }\n    windows: [W]\n    traces: [REQ-99]\n",
    )
    .unwrap();
    std::fs::write(
        d.join("r.csv"),
        "Object Identifier,Object Text\nREQ-1,the requirement\n",
    )
    .unwrap();
    let plan = |uses: &str| {
        format!(
            "plan P {{\n  horizon 2014/272 00:00 .. 2014/279 00:00\n  roles FD\n  window W 2014/273 00:00 .. 2014/273 01:00\n  {uses}\n  activity A1 \"x\" {{ at 2014/273 09:00 lasts 30m by FD covers REQ-1 }}\n}}\n"
        )
    };
    for (uses, code) in [
        ("use rules \"rules.yaml\"", "error[F003]"),
        ("use procedures \"missing.proc\"", "error[R008]"),
    ] {
        std::fs::write(d.join("p.plan"), plan(uses)).unwrap();
        let p = d.join("p.plan");
        let r = d.join("r.csv");
        for args in [
            vec![os("trace"), p.as_os_str(), os("-r"), r.as_os_str()],
            vec![
                os("report"),
                os("trace"),
                p.as_os_str(),
                os("-r"),
                r.as_os_str(),
                os("--format"),
                os("md"),
            ],
        ] {
            let (exit, out, err) = run(&args);
            assert_eq!(exit, Some(2), "{uses}: {out}{err}");
            assert!(err.contains(code), "{uses}: {err}");
            assert!(
                err.contains("an input could not be read; no trace written"),
                "{err}"
            );
            assert!(!out.contains("coverage"), "{out}");
        }
    }
}

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

#[test]
fn a_text_changed_past_its_first_words_is_shown_changed_where_it_changed() {
    // Once, Q006 compared the shortened texts it shows and said "the text is the same".
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let head = "The planner shall check every activity against the flight rules before the plan is sent to the partners";
    std::fs::write(
        d.join("old.csv"),
        format!("Object Identifier,Object Text\nREQ-1,\"{head}, and record the result.\"\n"),
    )
    .unwrap();
    std::fs::write(
        d.join("new.csv"),
        format!("Object Identifier,Object Text\nREQ-1,\"{head}, and record the result twice.\"\n"),
    )
    .unwrap();
    std::fs::write(
        d.join("p.plan"),
        "plan P {\n  horizon 2014/272 00:00 .. 2014/279 00:00\n  roles FD\n  activity A1 \"x\" { at 2014/273 09:00 lasts 30m by FD covers REQ-1 }\n}\n",
    )
    .unwrap();
    let (p, new, old) = (d.join("p.plan"), d.join("new.csv"), d.join("old.csv"));
    let (exit, out, err) = run([
        os("trace"),
        p.as_os_str(),
        os("-r"),
        new.as_os_str(),
        os("--baseline"),
        old.as_os_str(),
    ]);
    assert_eq!(exit, Some(1), "{out}{err}");
    assert!(out.contains("warning[Q006]"), "{out}");
    assert!(!out.contains("the text is the same"), "{out}");
    assert!(out.contains("record the result twice."), "{out}");
}

#[test]
fn an_id_attribute_no_requirement_has_is_refused() {
    // Once, `--id Foo` left every id as exported, without a word.
    let (exit, out, err) = run([
        "reqs",
        "list",
        "requirements/atv-ops-requirements.reqif",
        "--id",
        "Req Idd",
    ]);
    assert_eq!(exit, Some(2), "{out}{err}");
    assert!(
        err.contains("the id attribute `Req Idd`") && err.contains("`Req ID`"),
        "{err}"
    );
    let (exit, out, err) = run(["trace", "examples/atv5-week40", "--id", "Req Idd"]);
    assert_eq!(exit, Some(2), "{out}{err}");
    assert!(err.contains("is an attribute of no requirement"), "{err}");
    // The attribute the docs name still works.
    let (exit, _, err) = run([
        "reqs",
        "list",
        "requirements/atv-ops-requirements.reqif",
        "--id",
        "Req ID",
    ]);
    assert!(exit == Some(0) || exit == Some(1), "{err}");
}

#[test]
fn a_baseline_inside_the_exports_folder_is_not_read_as_a_current_export() {
    // Once, `-r reqs` with the baseline in `reqs/baseline/` made every requirement a
    // duplicate (Q004) of its own baseline.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("reqs/baseline")).unwrap();
    let csv = "Object Identifier,Object Text\nREQ-1,the requirement\n";
    std::fs::write(d.join("reqs/r.csv"), csv).unwrap();
    std::fs::write(d.join("reqs/baseline/r-1.csv"), csv).unwrap();
    std::fs::write(
        d.join("p.plan"),
        "plan P {\n  horizon 2014/272 00:00 .. 2014/279 00:00\n  roles FD\n  activity A1 \"x\" { at 2014/273 09:00 lasts 30m by FD covers REQ-1 }\n}\n",
    )
    .unwrap();
    for baseline in ["reqs/baseline/r-1.csv", "reqs/baseline"] {
        let (p, r, b) = (d.join("p.plan"), d.join("reqs"), d.join(baseline));
        let (exit, out, err) = run([
            os("trace"),
            p.as_os_str(),
            os("-r"),
            r.as_os_str(),
            os("--baseline"),
            b.as_os_str(),
        ]);
        assert_eq!(exit, Some(0), "{baseline}: {out}{err}");
        assert!(!out.contains("Q004"), "{out}");
        assert!(out.contains("1 covered"), "{out}");
    }
}

#[test]
fn a_justification_without_a_reason_is_exit_2_at_its_entry() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p.plan"),
        "plan P {\n  roles GC\n  activity A1 { at 2014/272 10:00 lasts 1h by GC covers R-1 }\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("r.csv"),
        "ID,Object Text\nR-1,One\nR-2,Two\n",
    )
    .unwrap();
    let yaml = |why: &str| {
        format!("inputs: [p.plan]\nrequirements:\n  sources: r.csv\n  justified:\n    R-2: {why}\n")
    };
    for blank in ["\"\"", "\"   \"", "''"] {
        std::fs::write(dir.path().join("opsplan.yaml"), yaml(blank)).unwrap();
        for command in ["check", "trace"] {
            let out = opsplan().arg(command).arg(dir.path()).output().unwrap();
            assert_eq!(out.status.code(), Some(2), "{command} {blank}");
            let err = String::from_utf8(out.stderr).unwrap();
            assert!(
                err.contains("opsplan.yaml:5:5") && err.contains("`R-2` gives no reason"),
                "{command} {blank}: {err}"
            );
        }
    }
    std::fs::write(dir.path().join("opsplan.yaml"), yaml("\"Review QR-1\"")).unwrap();
    opsplan().arg("check").arg(dir.path()).assert().code(0);
}
