//! `opsplan trace --format doors-csv|doors-xlsx` (issue #20, item 2): the spreadsheet
//! write-back DOORS imports to update its objects in place: the key column, the coverage
//! and the "covered by" columns, one row per requirement, nothing else; the attribute
//! names from `requirements: writeback:`; refused whole (exit 2, nothing written) when an
//! object has no key.

mod common;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

const MISSION: &str = "examples/atv5-week40";
/// The round-trip file of the example module, held to the command's output.
const ROUND_TRIP: &str = "requirements/atv-ops-writeback.csv";

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
    common::output_of(opsplan().args(args))
}

/// The corpus of real exports, read in place: `OPSPLAN_CORPUS`, or `../shared/corpus`
/// beside the project (as `reqs::corpus_path` in the library's tests).
fn corpus(relative: &str) -> PathBuf {
    std::env::var_os("OPSPLAN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
        .join(relative)
}

/// The rows of a CSV text.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("a record").iter().map(str::to_string).collect())
        .collect()
}

/// The rows of the write-back workbook's one sheet, read back with calamine.
fn xlsx_rows(path: &Path) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto(path).expect("a readable workbook");
    assert_eq!(wb.sheet_names(), ["Write-back"]);
    let range = wb.worksheet_range("Write-back").expect("the sheet");
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// The example mission and the requirement exports copied into `dir` with the same
/// layout, its project file given `writeback` (YAML lines under `requirements:`).
fn mission_with_writeback(dir: &Path, writeback: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_dir(&root.join(MISSION), &dir.join(MISSION));
    common::copy_dir(&root.join("requirements"), &dir.join("requirements"));
    let yaml = dir.join(MISSION).join("opsplan.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    let text = text.replacen(
        "requirements:\n",
        &format!("requirements:\n  writeback:\n{writeback}"),
        1,
    );
    std::fs::write(&yaml, text).unwrap();
    dir.join(MISSION)
}

#[test]
fn doors_csv_of_the_example_mission() {
    let (code, csv, err) = run(["trace", MISSION, "--format", "doors-csv"]);
    // The exit code of every other format: the mission has uncovered requirements.
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(err, "");
    let rows = csv_rows(&csv);
    assert_eq!(
        rows[0],
        ["Absolute Number", "OPS Coverage", "OPS Covered By"]
    );
    // One row per requirement (30, headings excluded), three columns each.
    assert_eq!(rows.len(), 1 + 30);
    assert!(rows.iter().all(|r| r.len() == 3));
    assert!(csv.ends_with("\r\n"));
    insta::assert_snapshot!("doors_csv", csv);
}

#[test]
fn the_round_trip_file_of_the_example_module_is_the_commands_output() {
    // `opsplan trace examples/atv5-week40 --format doors-csv -o requirements/atv-ops-writeback.csv`
    let (_, csv, _) = run(["trace", MISSION, "--format", "doors-csv"]);
    let kept = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(ROUND_TRIP))
        .expect("the round-trip file is kept");
    assert_eq!(
        csv, kept,
        "regenerate {ROUND_TRIP} with the command in docs/tracing.md"
    );
}

#[test]
fn the_csv_and_xlsx_exports_of_the_module_give_the_same_rows_and_the_workbook_reads_back() {
    let (_, from_reqif, _) = run(["trace", MISSION, "--format", "doors-csv"]);
    for export in [
        "requirements/atv-ops-requirements.csv",
        "requirements/atv-ops-requirements.xlsx",
    ] {
        let (code, csv, err) = run(["trace", MISSION, "-r", export, "--format", "doors-csv"]);
        assert_eq!(code, Some(1), "{err}");
        assert_eq!(csv, from_reqif, "{export}");
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("writeback.xlsx");
    let (code, stdout, err) = run([
        "trace".as_ref(),
        MISSION.as_ref(),
        "--format".as_ref(),
        "doors-xlsx".as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(stdout, "");
    assert_eq!(xlsx_rows(&out), csv_rows(&from_reqif));
}

#[test]
fn doors_xlsx_needs_an_output_file() {
    let (code, out, err) = run(["trace", MISSION, "--format", "doors-xlsx"]);
    assert_eq!(code, Some(2));
    assert_eq!(out, "");
    assert_eq!(
        err,
        "opsplan: error: --format doors-xlsx writes a workbook: give the file with -o FILE\n"
    );
}

#[test]
fn the_reqif_wf_profile_and_custom_names_set_the_column_headers() {
    let dir = tempfile::tempdir().unwrap();
    let mission = mission_with_writeback(dir.path(), "    profile: reqif-wf\n");
    let (code, csv, err) = run([
        "trace".as_ref(),
        mission.as_os_str(),
        "--format".as_ref(),
        "doors-csv".as_ref(),
    ]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(
        csv_rows(&csv)[0],
        [
            "Absolute Number",
            "ReqIF-WF.SupplierStatus",
            "ReqIF-WF.SupplierComment"
        ]
    );

    let dir = tempfile::tempdir().unwrap();
    let mission = mission_with_writeback(
        dir.path(),
        "    coverage: ATV Coverage\n    covered-by: ATV Evidence\n",
    );
    let (code, csv, err) = run([
        "trace".as_ref(),
        mission.as_os_str(),
        "--format".as_ref(),
        "doors-csv".as_ref(),
    ]);
    assert_eq!(code, Some(1), "{err}");
    let rows = csv_rows(&csv);
    assert_eq!(rows[0], ["Absolute Number", "ATV Coverage", "ATV Evidence"]);
    // Only the header changes.
    let (_, default, _) = run(["trace", MISSION, "--format", "doors-csv"]);
    assert_eq!(rows[1..], csv_rows(&default)[1..]);
}

#[test]
fn an_unknown_writeback_key_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let mission = mission_with_writeback(dir.path(), "    colour: red\n");
    let (code, out, err) = run([
        "trace".as_ref(),
        mission.as_os_str(),
        "--format".as_ref(),
        "doors-csv".as_ref(),
    ]);
    assert_eq!(code, Some(2), "{out}");
    assert_eq!(out, "");
    assert!(err.contains("opsplan.yaml:"), "{err}");
    assert!(err.contains("colour"), "{err}");
}

#[test]
fn the_bytes_are_the_same_run_after_run() {
    let dir = tempfile::tempdir().unwrap();
    let mut seen = Vec::new();
    for (i, format) in ["doors-csv", "doors-xlsx", "doors-csv", "doors-xlsx"]
        .iter()
        .enumerate()
    {
        let out = dir.path().join(format!("w{i}"));
        let (code, _, err) = run([
            "trace".as_ref(),
            MISSION.as_ref(),
            "--format".as_ref(),
            format.as_ref(),
            "-o".as_ref(),
            out.as_os_str(),
        ]);
        assert_eq!(code, Some(1), "{err}");
        seen.push(std::fs::read(&out).unwrap());
    }
    assert_eq!(seen[0], seen[2]);
    assert_eq!(seen[1], seen[3]);
}

#[test]
fn an_object_without_a_key_refuses_the_whole_writeback() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p.plan"),
        "plan P \"Keys\" {\n  horizon 2014/272 00:00 .. 2014/273 00:00\n  roles FD\n  activity A1 \"Burn\" { at 2014/272 01:00 lasts 1h by FD covers OPS-1 }\n}\n",
    )
    .unwrap();
    // OPS-2 has no absolute number, though the export gives them.
    std::fs::write(
        dir.path().join("reqs.csv"),
        "Object Identifier,Absolute Number,Object Text\nOPS-1,1,Burn shall be planned.\nOPS-2,,Burn shall be reviewed.\n",
    )
    .unwrap();
    let out = dir.path().join("writeback.csv");
    let (code, stdout, err) = run([
        "trace".as_ref(),
        dir.path().join("p.plan").as_os_str(),
        "--no-config".as_ref(),
        "-r".as_ref(),
        dir.path().join("reqs.csv").as_os_str(),
        "--format".as_ref(),
        "doors-csv".as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code, Some(2), "{stdout}");
    assert!(!out.exists(), "nothing is written");
    assert!(
        err.contains("reqs.csv:3:1: requirement OPS-2 has no `Absolute Number`"),
        "{err}"
    );

    // With the number, the same export is written back.
    std::fs::write(
        dir.path().join("reqs.csv"),
        "Object Identifier,Absolute Number,Object Text\nOPS-1,1,Burn shall be planned.\nOPS-2,2,Burn shall be reviewed.\n",
    )
    .unwrap();
    let (code, csv, err) = run([
        "trace".as_ref(),
        dir.path().join("p.plan").as_os_str(),
        "--no-config".as_ref(),
        "-r".as_ref(),
        dir.path().join("reqs.csv").as_os_str(),
        "--format".as_ref(),
        "doors-csv".as_ref(),
    ]);
    assert_eq!(code, Some(1), "{err}");
    let rows = csv_rows(&csv);
    assert_eq!(rows[1][..2], ["1", "covered"]);
    assert!(rows[1][2].starts_with("activity A1 ("), "{csv}");
    assert_eq!(rows[2], ["2", "uncovered", ""]);
}

/// (key header, keys, coverage values) of `opsplan trace PLAN --no-config -r EXPORT
/// --format doors-csv`, and the ids of `--format json`'s requirements.
fn corpus_writeback(plan: &Path, export: &Path) -> (Vec<Vec<String>>, Vec<String>) {
    let args = |format: &str| -> Vec<std::ffi::OsString> {
        vec![
            "trace".into(),
            plan.into(),
            "--no-config".into(),
            "-r".into(),
            export.into(),
            "--format".into(),
            format.into(),
        ]
    };
    let (_, json, err) = run(args("json"));
    let json: serde_json::Value = serde_json::from_str(&json).unwrap_or_else(|_| panic!("{err}"));
    let ids = json["requirements"]
        .as_array()
        .expect("the requirements")
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    let (code, csv, err) = run(args("doors-csv"));
    assert_eq!(code, Some(1), "{err}");
    (csv_rows(&csv), ids)
}

#[test]
fn doors_next_corpus_exports_give_one_row_per_requirement_keyed_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("p.plan");
    std::fs::write(
        &plan,
        "plan P \"Meters\" {\n  horizon 2014/272 00:00 .. 2014/273 00:00\n  roles FD\n  activity A1 \"Read\" { at 2014/272 01:00 lasts 1h by FD covers \"2998\", \"4594\" }\n}\n",
    )
    .unwrap();
    // The OSLC CSV dump (`Identifier` column) and the ReqIFz of DOORS Next 7.0.2
    // (`ReqIF.ForeignID`, the artifact number: not an absolute number).
    for (export, covered) in [
        ("csv/doorsng_oslc_query_module_artifacts_amr.csv", "2998"),
        ("reqif/doorsng_702_stk_module_with_images.reqifz", "4594"),
    ] {
        let (rows, ids) = corpus_writeback(&plan, &corpus(export));
        assert_eq!(
            rows[0],
            ["ID", "OPS Coverage", "OPS Covered By"],
            "{export}"
        );
        assert!(ids.len() > 10, "{export}");
        // One row per requirement, in the export's order, keyed by its own ids.
        let keys: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
        assert_eq!(keys, ids, "{export}");
        let row = rows
            .iter()
            .find(|r| r[0] == covered)
            .expect("the covered one");
        assert_eq!(row[1], "covered", "{export}");
        assert!(row[2].starts_with("activity A1 ("), "{export}: {row:?}");
    }
}
