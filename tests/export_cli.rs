//! `opsplan export PLAN --out DIR` as users run it (issue #6): the package of the clean
//! example file by file (the JSON against its published schema, every checksum
//! recomputed, the CSV read back, every calendar read by an independent iCalendar
//! parser), identical bytes across runs, the refusal of a failing plan and the forced
//! export, and every input failure leaving nothing behind.

mod common;
use common::copy_dir;

use assert_cmd::Command;
use icalendar::{CalendarComponent, Component};
use serde_json::Value;
use sha2::Digest;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const MISSION: &str = "examples/atv5-week40";
const DEFECTS: &str = "examples/atv5-week40-defects";
/// 2014-10-01T00:00:00Z
const EPOCH: &str = "1412121600";

fn opsplan() -> Command {
    let mut c = Command::cargo_bin("opsplan").expect("binary built");
    c.env_remove("NO_COLOR").env("SOURCE_DATE_EPOCH", EPOCH);
    c
}

/// Runs `opsplan ARGS` and returns (exit code, stdout, stderr).
fn run(args: &[&std::ffi::OsStr]) -> (Option<i32>, String, String) {
    let out = opsplan().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    )
}

fn export(input: &str, out: &Path, extra: &[&str]) -> (Option<i32>, String, String) {
    let mut args: Vec<&std::ffi::OsStr> = vec!["export".as_ref(), input.as_ref()];
    args.push("--out".as_ref());
    args.push(out.as_os_str());
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    run(&args)
}

/// Every file under `dir`: relative path with `/` → bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn text(files: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(files[name].clone()).expect("UTF-8")
}

fn sha256(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

const PEOPLE: &[&str] = &[
    "ADUBOIS",
    "BMOREAU",
    "CLAURENT",
    "DSIMON",
    "EMICHEL",
    "FLEFEBVRE",
    "GGARCIA",
    "HDAVID",
    "IBERTRAND",
    "JROUX",
    "KVINCENT",
];

const CALENDARS: &[&str] = &[
    "CREW", "EST", "FD", "FDS", "FE-5", "FE-6", "GC", "IMMT", "MCC-H", "MCC-M", "OM", "PLN",
];

/// A copy of the published schema in which every object forbids members the schema
/// does not name: the published one allows them (members may be added within version
/// 1), the copy proves that everything the exporter writes is documented.
fn strict(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if map.contains_key("properties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            for v in map.values_mut() {
                strict(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strict),
        _ => {}
    }
}

fn validate(schema: &Value, doc: &Value) -> Vec<String> {
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .offline()
        .build(schema)
        .expect("the export schema compiles");
    validator
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

/// Parses a calendar with the `icalendar` crate: its events by UID.
fn events(ics: &str) -> BTreeMap<String, icalendar::Event> {
    let cal: icalendar::Calendar = ics.parse().expect("a valid iCalendar");
    cal.components
        .into_iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some((e.get_uid().expect("UID").to_string(), e)),
            _ => None,
        })
        .collect()
}

#[test]
fn the_clean_example_exports_a_complete_verifiable_package() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("pkg");
    let before = files(Path::new(MISSION));
    let (code, stdout, stderr) = export(MISSION, &out, &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.starts_with("exported ATV5-W40 issue 3 to "),
        "{stdout}"
    );
    assert!(stderr.contains("pass: 0 errors, 4 warnings"), "{stderr}");
    assert_eq!(
        files(Path::new(MISSION)),
        before,
        "inputs are never modified"
    );
    assert_eq!(
        names(tmp.path()),
        ["pkg"],
        "no temporary folder is left beside"
    );

    let pkg = files(&out);
    let mut expected: Vec<String> = [
        "MANIFEST",
        "SHA256SUMS",
        "activities.csv",
        "consistency.html",
        "opsplan-export-1.schema.json",
        "plan.json",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    expected.extend(CALENDARS.iter().map(|r| format!("calendars/{r}.ics")));
    // The week's roster: one calendar per engineer (tests/export_people.rs reads them).
    expected.extend(PEOPLE.iter().map(|p| format!("people/{p}.ics")));
    expected.sort();
    assert_eq!(pkg.keys().cloned().collect::<Vec<_>>(), expected);

    // The JSON, against the published schema and its strict copy.
    let published: Value = serde_json::from_str(
        &std::fs::read_to_string("docs/schemas/opsplan-export-1.schema.json").unwrap(),
    )
    .unwrap();
    assert_eq!(
        pkg["opsplan-export-1.schema.json"],
        std::fs::read("docs/schemas/opsplan-export-1.schema.json").unwrap(),
        "the package carries the published schema"
    );
    let doc: Value = serde_json::from_slice(&pkg["plan.json"]).unwrap();
    assert_eq!(validate(&published, &doc), Vec::<String>::new());
    let mut strict_schema = published.clone();
    strict(&mut strict_schema);
    assert_eq!(validate(&strict_schema, &doc), Vec::<String>::new());
    // The schema is not vacuous: a wrong version and a bad time are refused.
    let mut bad = doc.clone();
    bad["version"] = 2.into();
    bad["activities"][0]["start"] = "2014/272 06:30".into();
    assert_eq!(validate(&published, &bad).len(), 2);
    assert_eq!(doc["schema"], "opsplan-export");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["forced"], false);
    assert_eq!(doc["verdict"], "pass");
    assert_eq!(doc["project_file"], "examples/atv5-week40/opsplan.yaml");
    assert_eq!(doc["counts"]["warnings"], 4);
    assert_eq!(doc["generator"]["generated"], "2014-10-01T00:00:00Z");
    assert_eq!(doc["plan"]["issue"], "3");
    assert_eq!(doc["plan"]["horizon"]["start"], "2014-09-29T00:00:00Z");
    assert_eq!(doc["plan"]["horizon"]["start_plan"], "2014/272 00:00");
    let acts = doc["activities"].as_array().unwrap();
    assert_eq!(acts.len(), 49);
    let a29 = acts.iter().find(|a| a["id"] == "A29").unwrap();
    assert_eq!(a29["start"], "2014-10-02T14:05:00Z");
    assert_eq!(a29["start_plan"], "2014/275 14:05");
    assert_eq!(a29["duration_seconds"], 1200);
    assert_eq!(a29["procedure"]["id"], "ATV-FCP-RBT-020");
    assert_eq!(a29["procedure"]["version"], "2.4");
    assert_eq!(a29["needs"]["mode"], "all");
    assert_eq!(a29["relations"][0]["offset_seconds"], 300);
    let crew = doc["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "CREW")
        .unwrap();
    assert_eq!(crew["members"], serde_json::json!(["FE-5", "FE-6"]));
    let art = doc["windows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["name"] == "ART")
        .unwrap();
    assert!(art["occurrences"].as_array().unwrap().len() > 100);
    let rbt = doc["procedures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "ATV-FCP-RBT-020")
        .unwrap();
    assert_eq!(rbt["activities"], serde_json::json!(["A29"]));
    assert_eq!(rbt["contingency"]["id"], "ATV-CRP-PRP-090");
    assert!(
        doc["procedures"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == "ATV-CRP-PRP-090"
                && p["contingency_for"][0] == "ATV-FCP-RBT-020 v2.4")
    );
    assert!(doc["flight_rules"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["verdict"] == "met" || r["verdict"] == "waived"));

    // MANIFEST and SHA256SUMS: every checksum recomputed.
    let manifest = text(&pkg, "MANIFEST");
    let (head, sums) = manifest.split_once("\n\n").unwrap();
    assert!(head.starts_with("opsplan export manifest 1\nplan: ATV5-W40\n"));
    assert!(head.contains("\nissue: 3\nverdict: pass\nerrors: 0\nwarnings: 4\n"));
    assert!(head.contains("\nforced: no\n"));
    assert!(head.contains("\ngenerated: 2014-10-01T00:00:00Z\n"));
    let check = |lines: &str| -> Vec<String> {
        lines
            .lines()
            .map(|l| {
                let (hash, path) = l.split_once("  ").expect("sha256sum format");
                assert_eq!(hash.len(), 64);
                assert_eq!(hash, sha256(&pkg[path]), "{path}");
                path.to_string()
            })
            .collect()
    };
    let in_manifest = check(sums);
    let all = check(&text(&pkg, "SHA256SUMS"));
    let others: Vec<&String> = expected
        .iter()
        .filter(|p| *p != "MANIFEST" && *p != "SHA256SUMS")
        .collect();
    assert_eq!(in_manifest.iter().collect::<Vec<_>>(), others);
    let mut with_manifest = in_manifest.clone();
    with_manifest.push("MANIFEST".into());
    with_manifest.sort();
    assert_eq!(all, with_manifest);

    // The CSV, read back.
    let mut reader = csv::Reader::from_reader(&pkg["activities.csv"][..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[..4], ["plan", "issue", "id", "title"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), acts.len());
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = rows.iter().find(|r| &r[col("id")] == "A29").unwrap();
    assert_eq!(&row[col("title")], "Reboost, OCS 1+3, ~2.6 m/s");
    assert_eq!(&row[col("start_utc")], "2014-10-02T14:05:00Z");
    assert_eq!(&row[col("start_plan")], "2014/275 14:05");
    assert_eq!(&row[col("duration_seconds")], "1200");
    assert_eq!(&row[col("by")], "MCC-M; FD; MCC-H");
    assert_eq!(&row[col("critical")], "yes");
    assert_eq!(&row[col("procedure_version")], "2.4");
    assert_eq!(&row[col("needs")], "ART & TDRS");
    assert!(std::str::from_utf8(&pkg["activities.csv"])
        .unwrap()
        .contains("\r\n"));

    // Every calendar: RFC 5545 lines, read by the icalendar crate.
    let responsible = |role: &str| -> Vec<String> {
        acts.iter()
            .filter(|a| {
                a["by"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r == role || (r == "CREW" && (role == "FE-5" || role == "FE-6")))
            })
            .map(|a| format!("{}.ATV5-W40@opsplan", a["id"].as_str().unwrap()))
            .collect()
    };
    let mut folded = 0;
    for role in CALENDARS {
        let ics = text(&pkg, &format!("calendars/{role}.ics"));
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'), "bare LF in {role}");
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{role}: {} octets: {line}", line.len());
            folded += usize::from(line.starts_with(' '));
        }
        for prop in ["CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:"] {
            assert!(ics.contains(&format!("\r\n{prop}")), "{role}: {prop}");
        }
        let evs = events(&ics);
        let mut want = responsible(role);
        want.sort();
        assert_eq!(evs.keys().cloned().collect::<Vec<_>>(), want, "{role}");
    }
    assert!(folded > 20, "long descriptions are folded");
    let mccm = events(&text(&pkg, "calendars/MCC-M.ics"));
    let e = &mccm["A29.ATV5-W40@opsplan"];
    assert_eq!(e.get_summary(), Some("A29 Reboost, OCS 1+3, ~2.6 m/s"));
    assert_eq!(
        e.get_start(),
        Some(icalendar::DatePerhapsTime::DateTime(
            icalendar::CalendarDateTime::Utc("2014-10-02T14:05:00Z".parse().unwrap())
        ))
    );
    assert_eq!(e.property_value("SEQUENCE"), Some("3"));
    assert_eq!(e.property_value("DTSTAMP"), Some("20141001T000000Z"));
    assert_eq!(e.property_value("PRIORITY"), Some("1"));
    let description = e.get_description().unwrap();
    assert!(
        description.contains("Procedure: ATV-FCP-RBT-020 v2.4; contingency ATV-CRP-PRP-090 v1.1"),
        "{description}"
    );
    assert!(description.contains("Needs: ART & TDRS"), "{description}");
    // A group activity is in its members' calendars; a member's is not in the group's.
    let fe6 = events(&text(&pkg, "calendars/FE-6.ics"));
    assert!(fe6.contains_key("A02.ATV5-W40@opsplan"));
    assert!(!fe6.contains_key("A03.ATV5-W40@opsplan"));
    let crew_cal = events(&text(&pkg, "calendars/CREW.ics"));
    assert!(!crew_cal.contains_key("A03.ATV5-W40@opsplan"));
}

#[test]
fn two_exports_of_the_same_inputs_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert_eq!(export(MISSION, &a, &[]).0, Some(0));
    // An existing empty folder is accepted (and replaced by the package).
    std::fs::create_dir(&b).unwrap();
    assert_eq!(export(MISSION, &b, &[]).0, Some(0));
    let (fa, fb) = (files(&a), files(&b));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (name, bytes) in &fa {
        assert!(bytes == &fb[name], "{name} differs between runs");
    }
}

#[test]
fn a_failing_plan_is_refused_and_forced_exports_are_marked() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("pkg");
    let (code, stdout, stderr) = export(DEFECTS, &out, &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("fail: 32 errors"), "{stderr}");
    assert!(stderr.contains("nothing exported"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert!(!out.exists(), "nothing is written");
    assert!(names(tmp.path()).is_empty(), "no temporary folder is left");

    let (code, _, stderr) = export(DEFECTS, &out, &["--force"]);
    assert_eq!(code, Some(1), "a forced export exits 1: {stderr}");
    assert!(stderr.contains("forced export"), "{stderr}");
    let pkg = files(&out);
    let manifest = text(&pkg, "MANIFEST");
    assert!(
        manifest.contains("\nverdict: fail\nerrors: 32\n"),
        "{manifest}"
    );
    assert!(manifest.contains("\nforced: yes"), "{manifest}");
    let html = text(&pkg, "consistency.html");
    assert!(html.contains(r#"<div class="forced-export" role="alert""#));
    assert!(html.contains(
        "FORCED EXPORT: this plan was exported with --force although its check found 32 findings"
    ));
    let doc: Value = serde_json::from_slice(&pkg["plan.json"]).unwrap();
    assert_eq!(doc["forced"], true);
    assert_eq!(doc["verdict"], "fail");
    let schema: Value = serde_json::from_slice(&pkg["opsplan-export-1.schema.json"]).unwrap();
    assert_eq!(validate(&schema, &doc), Vec::<String>::new());
    // Activities whose time is unknown are flagged in the JSON and the CSV, and left
    // out of the calendars.
    let unknown: Vec<&str> = doc["activities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["time"] == "unknown")
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(unknown, ["A36", "A37"]);
    let csv = text(&pkg, "activities.csv");
    assert!(csv.contains("A36,\"Replan, change request CR-276-01\",debris-avoidance,unknown: in a dependency cycle,,,"), "{csv}");
    let pln = text(&pkg, "calendars/PLN.ics");
    assert!(!pln.contains("UID:A36."));
    assert!(pln.contains("STATUS:TENTATIVE"));
    assert!(!pln.contains("STATUS:CONFIRMED"));
    assert!(pln.contains("FORCED EXPORT"));

    // The consistency report without --force keeps its bytes: no banner.
    let plain = opsplan()
        .args(["report", "consistency", DEFECTS])
        .output()
        .unwrap();
    let plain = String::from_utf8(plain.stdout).unwrap();
    assert!(!plain.contains("forced-export"));
    assert!(
        html.replace(&banner_of(&html), "") == plain,
        "the forced report is the plain one plus the banner"
    );
}

/// The banner's line in a forced report, with the line break before it.
fn banner_of(html: &str) -> String {
    let start = html.find("\n<div class=\"forced-export\"").unwrap();
    let end = start + 1 + html[start + 1..].find('\n').unwrap();
    html[start..end].to_string()
}

#[test]
fn a_non_empty_or_file_out_and_a_missing_input_are_exit_2_and_touch_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let busy = tmp.path().join("busy");
    std::fs::create_dir(&busy).unwrap();
    std::fs::write(busy.join("keep.txt"), "mine").unwrap();
    let (code, _, stderr) = export(MISSION, &busy, &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("exists and is not empty"), "{stderr}");
    assert_eq!(names(&busy), ["keep.txt"]);
    assert_eq!(
        std::fs::read_to_string(busy.join("keep.txt")).unwrap(),
        "mine"
    );

    let (code, _, stderr) = export(MISSION, &busy.join("keep.txt"), &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("not a folder"), "{stderr}");

    let (code, _, stderr) = export(MISSION, &tmp.path().join("no/such/parent"), &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("does not exist"), "{stderr}");

    let out = tmp.path().join("pkg");
    let missing = tmp.path().join("missing.plan");
    let (code, _, stderr) = export(missing.to_str().unwrap(), &out, &["--force"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("missing.plan: no such file or directory"),
        "{stderr}"
    );
    assert!(!out.exists());
    assert_eq!(names(tmp.path()), ["busy"]);
}

#[test]
fn an_invalid_flight_rule_file_is_exit_2_even_with_force() {
    let tmp = tempfile::tempdir().unwrap();
    let mission = tmp.path().join("mission");
    copy_dir(Path::new(MISSION), &mission);
    // The project file points at requirements two folders up: drop it, keep the plan.
    std::fs::remove_file(mission.join("opsplan.yaml")).unwrap();
    std::fs::write(
        mission.join("flight-rules.yaml"),
        "rules: [ {id: FR-01, kind: nope}\n",
    )
    .unwrap();
    let out = tmp.path().join("pkg");
    let (code, _, stderr) = export(mission.to_str().unwrap(), &out, &["--force"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("flight-rules.yaml"),
        "the file is named: {stderr}"
    );
    assert!(stderr.contains("nothing exported"), "{stderr}");
    assert!(!out.exists());
    assert_eq!(names(tmp.path()), ["mission"]);
}

const SMALL: &str = r#"plan NAME "A small plan" {
  issue   B
  roles   OPS, TEAM
  roles   ALICE in TEAM
  activity X1 "Check; then, report \\ done" {
    at 2014-10-01T10:00:00Z   lasts 30m   by TEAM   kind check
    note "line one\nline two"
    note "Ünïcødé ✓ and a long note that goes on and on so that the description line folds more than once"
  }
  activity X2 "=SUM(1)" { lasts 10m  by OPS }
}
"#;

fn small_plans(dir: &Path, ids: &[&str]) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    for id in ids {
        std::fs::write(dir.join(format!("{id}.plan")), SMALL.replace("NAME", id)).unwrap();
    }
    dir.to_path_buf()
}

#[test]
fn several_plans_need_plan_and_a_misspelt_id_gets_a_suggestion() {
    let tmp = tempfile::tempdir().unwrap();
    let input = small_plans(&tmp.path().join("in"), &["OPS-ALPHA", "OPS-BETA"]);
    let input = input.to_str().unwrap();
    let out = tmp.path().join("pkg");
    let (code, _, stderr) = export(input, &out, &["--force"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("holds 2 plans (OPS-ALPHA, OPS-BETA)"),
        "{stderr}"
    );
    assert!(stderr.contains("--plan ID"), "{stderr}");
    let (code, _, stderr) = export(input, &out, &["--force", "--plan", "OPS-BETTA"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("no plan `OPS-BETTA` (did you mean `OPS-BETA`?)"),
        "{stderr}"
    );
    assert!(!out.exists());
    let (code, stdout, stderr) = export(input, &out, &["--force", "--plan", "OPS-BETA"]);
    assert_eq!(code, Some(1), "X2 has no start: a forced export: {stderr}");
    assert!(stdout.starts_with("exported OPS-BETA issue B"), "{stdout}");
    let pkg = files(&out);
    // The findings of the other plan do not count for this one.
    assert!(text(&pkg, "MANIFEST").contains("\nerrors: 1\n"));
    let doc: Value = serde_json::from_slice(&pkg["plan.json"]).unwrap();
    assert_eq!(doc["plan"]["id"], "OPS-BETA");
    // The unplaced activity is flagged, not in a calendar.
    assert_eq!(doc["activities"][1]["time"], "unknown");
    assert_eq!(doc["activities"][1]["unknown_reason"], "no start");
    // A formula-like cell is defused in the CSV.
    let csv = text(&pkg, "activities.csv");
    assert!(csv.contains(",X2,'=SUM(1),"), "{csv}");
    // TEXT escaping, multi-byte folding, no SEQUENCE for a non-numeric issue; the
    // activity `by TEAM` is in ALICE's calendar; OPS, with no timed activity, has none.
    assert!(!pkg.contains_key("calendars/OPS.ics"));
    let alice = text(&pkg, "calendars/ALICE.ics");
    assert!(
        alice.contains("SUMMARY:X1 Check\\; then\\, report \\\\ done\r\n"),
        "{alice}"
    );
    assert!(!alice.contains("SEQUENCE"));
    let evs = events(&alice);
    let e = &evs["X1.OPS-BETA@opsplan"];
    assert_eq!(e.get_summary(), Some("X1 Check; then, report \\ done"));
    let d = e.get_description().unwrap();
    assert!(
        d.contains("Note: line one\nline two\nÜnïcødé ✓ and a long note"),
        "{d}"
    );
    for line in alice.split("\r\n") {
        assert!(line.len() <= 75);
    }
    snapshot_settings().bind(|| {
        insta::assert_snapshot!("small_alice_ics", alice.replace("\r\n", "⏎\n"));
    });
}

#[test]
fn an_input_without_a_plan_is_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("lib");
    std::fs::create_dir(&input).unwrap();
    std::fs::copy(
        Path::new(MISSION).join("procedures/ATV-FCP-RBT-020.proc"),
        input.join("ATV-FCP-RBT-020.proc"),
    )
    .unwrap();
    let out = tmp.path().join("pkg");
    let (code, _, stderr) = export(input.to_str().unwrap(), &out, &["--force"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("holds no plan"), "{stderr}");
    assert!(!out.exists());
}

/// Hashes change with every edit of an example (the tests above recompute them) and
/// the version with every release.
fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.add_filter(r"[0-9a-f]{64}", "[sha256]");
    s.add_filter(r"opsplan: \d+\.\d+\.\d+", "opsplan: [version]");
    s.add_filter(r"opsplan \d+\.\d+\.\d+//", "opsplan [version]//");
    s
}

#[test]
fn snapshots_of_the_manifest_and_a_role_calendar() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("pkg");
    assert_eq!(export(MISSION, &out, &[]).0, Some(0));
    let pkg = files(&out);
    snapshot_settings().bind(|| {
        insta::assert_snapshot!("manifest_clean", text(&pkg, "MANIFEST"));
        // CRLF shown as ⏎ so the snapshot keeps the line ends visible.
        insta::assert_snapshot!(
            "fe5_ics",
            text(&pkg, "calendars/FE-5.ics").replace("\r\n", "⏎\n")
        );
    });
}

#[test]
fn help_documents_the_exit_codes() {
    let (code, stdout, _) = run(&["export".as_ref(), "--help".as_ref()]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("Exit codes: 0 written; 1 the check found errors"));
    assert!(stdout.contains("sha256sum -c SHA256SUMS"));
}
