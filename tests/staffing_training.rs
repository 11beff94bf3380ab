//! The training link (issue #18 item 4) as users see it: scenarios whose trainees are
//! people of the plan's roster, held under an instructor with an outcome, counted by a
//! qualification `after N scenarios`; which sessions count (passed, under another person
//! as instructor, ended before the shift); the date the qualification becomes valid, in
//! `check` (W004) and in `report staffing`; the bad training records as located errors;
//! and the validity date against brute force on random sessions.

mod common;

use assert_cmd::Command;
use common::{json_findings, Finding};
use opsplan::diag::Code;
use opsplan::time::Time;
use opsplan::workspace::check_texts;
use proptest::prelude::*;
use std::path::Path;

const MISSION: &str = "examples/atv5-week40";

/// The reboost day: A29 runs RBT-020, whose contingency PRP-090 has the planner (PLN)
/// among its roles, so a trainee planner takes part in the over-temperature event.
const PLAN: &str = r#"plan P "Reboost day" {
  horizon 2014/275 00:00 .. 2014/276 00:00
  roles   FD, EST, MCC-M, MCC-H, PLN
  use     roster "team.roster"

  activity A29 "Reboost" {
    at 2014/275 14:05   lasts 20m   by MCC-M   procedure ATV-FCP-RBT-020 v2.4
  }
}
"#;

fn procedures() -> String {
    std::fs::read_to_string("tests/fixtures/S008-invalid-training-record/lib.proc")
        .expect("the fixture's procedures")
}

/// A roster where KVINCENT holds the planner desk on the reboost morning, qualified by
/// `qualification` (e.g. `qualified PLN-DESK after 2 scenarios`).
fn roster(qualification: &str) -> String {
    format!(
        r#"roster TEAM {{
  plan P
  position PLN-DESK {{ fills PLN }}
  person JROUX "Julien Roux" {{ qualified PLN-DESK }}
  person KVINCENT "Karine Vincent" {{ {qualification} }}
  shift KVINCENT PLN-DESK 2014/275 06:00 .. 2014/275 14:15
}}
"#
    )
}

/// A scenario of plan P with its training record lines.
fn scenario(id: &str, record: &str) -> String {
    format!(
        "scenario {id} {{\n  plan P\n{record}\n  inject THRUSTER_OVERTEMP at A29.start + 3m {{ expect ATV-CRP-PRP-090 v1.1 }}\n}}\n"
    )
}

/// `trainees KVINCENT  instructor I  held D 09:00 .. D 13:00  outcome O`.
fn session(id: &str, instructor: Option<&str>, day: u32, outcome: Option<&str>) -> String {
    let mut record = String::from("  trainees KVINCENT\n");
    if let Some(i) = instructor {
        record.push_str(&format!("  instructor {i}\n"));
    }
    record.push_str(&format!(
        "  held 2014/{day:03} 09:00 .. 2014/{day:03} 13:00\n"
    ));
    if let Some(o) = outcome {
        record.push_str(&format!("  outcome {o}\n"));
    }
    scenario(id, record.trim_end())
}

/// A folder with the plan, its procedures, the roster and the scenarios.
fn project(qualification: &str, scenarios: &[String]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("p.plan"), PLAN).unwrap();
    std::fs::write(tmp.path().join("lib.proc"), procedures()).unwrap();
    std::fs::write(tmp.path().join("team.roster"), roster(qualification)).unwrap();
    std::fs::write(tmp.path().join("training.scn"), scenarios.concat()).unwrap();
    tmp
}

fn opsplan() -> Command {
    let mut c = Command::cargo_bin("opsplan").expect("binary built");
    c.env_remove("NO_COLOR").env_remove("SOURCE_DATE_EPOCH");
    c
}

/// The findings of `opsplan check --format json DIR`, and the exit code (sorted by code,
/// file and line).
fn check(dir: &Path) -> (Option<i32>, Vec<Finding>) {
    let out = opsplan()
        .args(["check", "--format", "json"])
        .arg(dir)
        .output()
        .unwrap();
    let mut list = json_findings(
        &String::from_utf8_lossy(&out.stdout),
        &String::from_utf8_lossy(&out.stderr),
    );
    list.sort();
    (out.status.code(), list)
}

fn codes(list: &[Finding]) -> Vec<&str> {
    list.iter().map(|(c, _, _, _)| c.as_str()).collect()
}

/// The `training` rows of `opsplan report staffing --format json DIR`.
fn training(dir: &Path) -> Vec<serde_json::Value> {
    let out = opsplan()
        .args(["report", "staffing", "--format", "json"])
        .arg(dir)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let v: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    v["rosters"][0]["training"]
        .as_array()
        .expect("a training array")
        .clone()
}

#[test]
fn a_passed_session_under_an_instructor_counts() {
    // One session, passed under JROUX, before the shift: qualified for it.
    let one = [session("SIM-1", Some("JROUX"), 270, Some("passed"))];
    let dir = project("qualified PLN-DESK after 1 scenario", &one);
    let (code, list) = check(dir.path());
    assert_eq!((code, codes(&list)), (Some(0), vec![]), "{list:#?}");
    let rows = training(dir.path());
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["id"], "KVINCENT");
    assert_eq!(rows[0]["progress"], "1 / 1 scenario");
    assert_eq!(rows[0]["valid_from"], "2014/270 13:00");
    assert_eq!(rows[0]["sessions"][0]["scenario"], "SIM-1");
    assert_eq!(rows[0]["sessions"][0]["instructor"], "JROUX (Julien Roux)");
    assert_eq!(rows[0]["sessions"][0]["outcome"], "passed");
    assert_eq!(rows[0]["sessions"][0]["counts"], true);

    // Two required: the shift is held with one of two, named.
    let dir = project("qualified PLN-DESK after 2 scenarios", &one);
    let (code, list) = check(dir.path());
    assert_eq!((code, codes(&list)), (Some(1), vec!["W004"]), "{list:#?}");
    let (_, file, line, message) = &list[0];
    assert_eq!((file.as_str(), *line), ("team.roster", 6));
    assert_eq!(
        message,
        "KVINCENT holds PLN-DESK without a valid qualification from 2014/275 06:00 to \
         2014/275 14:15: 1 of 2 scenarios completed under an instructor by 2014/275 06:00"
    );
    let text = opsplan().arg("check").arg(dir.path()).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("SIM-1 (ended 2014/270 13:00)"), "{text}");
    assert!(text.contains("not valid yet: 1 of 2 completed"), "{text}");
    let rows = training(dir.path());
    assert_eq!(rows[0]["progress"], "1 / 2 scenarios");
    assert_eq!(rows[0]["valid_from"], serde_json::Value::Null);
}

#[test]
fn failed_self_taught_and_late_sessions_do_not_count() {
    let sessions = [
        session("SIM-FAILED", Some("JROUX"), 266, Some("failed")),
        session("SIM-CANCELLED", Some("JROUX"), 267, Some("cancelled")),
        session("SIM-NO-RESULT", Some("JROUX"), 268, None),
        session("SIM-ALONE", None, 269, Some("passed")),
        // Held after the shift: counts from its end, too late for the shift.
        session("SIM-LATE", Some("JROUX"), 277, Some("passed")),
    ];
    let dir = project("qualified PLN-DESK after 1 scenario", &sessions);
    let (code, list) = check(dir.path());
    assert_eq!((code, codes(&list)), (Some(1), vec!["W004"]), "{list:#?}");
    assert!(
        list[0]
            .3
            .ends_with(": 0 of 1 scenario completed under an instructor by 2014/275 06:00"),
        "{list:#?}"
    );
    let rows = training(dir.path());
    let outcomes: Vec<(&str, &str, bool)> = rows[0]["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["scenario"].as_str().unwrap(),
                x["outcome"].as_str().unwrap(),
                x["counts"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        vec![
            ("SIM-FAILED", "failed", false),
            ("SIM-CANCELLED", "cancelled", false),
            ("SIM-NO-RESULT", "not recorded", false),
            ("SIM-ALONE", "passed", false),
            ("SIM-LATE", "passed", true),
        ]
    );
    assert_eq!(rows[0]["valid_from"], "2014/277 13:00");

    // The trainee as her own instructor: an S008, and the session does not count.
    let own = [session("SIM-OWN", Some("KVINCENT"), 270, Some("passed"))];
    let dir = project("qualified PLN-DESK after 1 scenario", &own);
    let (code, list) = check(dir.path());
    assert_eq!(
        (code, codes(&list)),
        (Some(1), vec!["S008", "W004"]),
        "{list:#?}"
    );
    assert!(
        list[0].3.contains("both a trainee and the instructor"),
        "{list:#?}"
    );
}

#[test]
fn the_qualification_becomes_valid_at_the_end_of_the_nth_session() {
    // The second session ends at 10:00 on the day of the shift: unqualified until then.
    let sessions = [
        session("SIM-1", Some("JROUX"), 270, Some("passed")),
        scenario(
            "SIM-2",
            "  trainees KVINCENT\n  instructor JROUX\n  held 2014/275 07:00 .. 2014/275 10:00\n  outcome passed",
        ),
    ];
    let dir = project("qualified PLN-DESK after 2 scenarios", &sessions);
    let (_, list) = check(dir.path());
    assert_eq!(codes(&list), vec!["W004"], "{list:#?}");
    assert!(
        list[0]
            .3
            .starts_with("KVINCENT holds PLN-DESK without a valid qualification from 2014/275 06:00 to 2014/275 10:00"),
        "{list:#?}"
    );
    assert_eq!(training(dir.path())[0]["valid_from"], "2014/275 10:00");

    // A `from` later than the Nth session: valid from the `from`.
    let one = [session("SIM-1", Some("JROUX"), 270, Some("passed"))];
    let dir = project(
        "qualified PLN-DESK from 2014/275 12:00 after 1 scenario",
        &one,
    );
    let (_, list) = check(dir.path());
    assert_eq!(codes(&list), vec!["W004"], "{list:#?}");
    assert!(
        list[0].3.contains("from 2014/275 06:00 to 2014/275 12:00"),
        "{list:#?}"
    );
    let rows = training(dir.path());
    assert_eq!(rows[0]["valid_from"], "2014/275 12:00");
    assert_eq!(rows[0]["valid_from_iso"], "2014-10-02T12:00:00Z");
    // Before its `from`, the qualification does not hold whatever the training.
    assert!(list[0].3.ends_with("2014/275 12:00"), "{list:#?}");
}

#[test]
fn bad_training_records_are_located_errors() {
    let bad = scenario(
        "SIM-BAD",
        "  trainees KVINCENT\n  instructor JROUX\n  instructor JROUX\n  held 2014/270 13:00 .. 2014/270 09:00\n  outcome passed\n  outcome failed",
    );
    let unknown = scenario("SIM-WHO", "  trainees KVINCENT\n  instructor JRUOX");
    let not_held = scenario(
        "SIM-NOT-HELD",
        "  trainees KVINCENT\n  instructor JROUX\n  outcome passed",
    );
    let dir = project("qualified PLN-DESK", &[bad, unknown, not_held]);
    let (code, list) = check(dir.path());
    assert_eq!(code, Some(1), "{list:#?}");
    let mut list = list;
    list.sort_by_key(|(c, f, l, _)| (f.clone(), *l, c.clone()));
    let located: Vec<(&str, &str, u64)> = list
        .iter()
        .map(|(c, f, l, _)| (c.as_str(), f.as_str(), *l))
        .collect();
    assert_eq!(
        located,
        vec![
            ("E004", "training.scn", 5),
            ("T004", "training.scn", 6),
            ("E004", "training.scn", 8),
            ("S008", "training.scn", 14),
            ("S008", "training.scn", 21),
        ],
        "{list:#?}"
    );
    assert!(
        list[3].3.contains("undefined instructor `JRUOX`"),
        "{list:#?}"
    );
    assert!(
        list[4].3.contains("records an outcome but was not held"),
        "{list:#?}"
    );
    // `opsplan rule S008` explains the rule.
    let out = opsplan().args(["rule", "S008"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("invalid-training-record"));
}

#[test]
fn a_roster_that_does_not_parse_leaves_the_training_record_unjudged() {
    // The plan's roster has a syntax error: its people are unknown, so the scenario's
    // person trainee and instructor are neither R004 nor S008; the roster's E001 says why.
    let one = [session("SIM-1", Some("JROUX"), 270, Some("passed"))];
    let dir = project("qualified PLN-DESK", &one);
    let roster = dir.path().join("team.roster");
    let text = std::fs::read_to_string(&roster).unwrap();
    std::fs::write(&roster, text.replace(" .. 2014/275 14:15", " ..")).unwrap();
    let (code, list) = check(dir.path());
    assert_eq!(code, Some(1), "{list:#?}");
    assert!(
        codes(&list).iter().all(|&c| c == "E001"),
        "only the syntax error: {list:#?}"
    );
}

#[test]
fn the_staffing_report_shows_training_progress() {
    // The example week: Karine Vincent took part in SIM-RBT-01 and SIM-RBT-03 under
    // Julien Roux; her qualification needs three, and holds from GMT 280 at the earliest.
    let (code, list) = check(Path::new(MISSION));
    assert_eq!(code, Some(0), "{list:#?}");
    assert!(
        !codes(&list)
            .iter()
            .any(|c| c.starts_with('S') || c.starts_with('W')),
        "{list:#?}"
    );
    let rows = training(Path::new(MISSION));
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(rows[0]["id"], "KVINCENT");
    assert_eq!(rows[0]["position"], "PLN-DESK");
    assert_eq!(rows[0]["progress"], "2 / 3 scenarios");
    assert_eq!(rows[0]["valid_from"], serde_json::Value::Null);
    let held: Vec<&str> = rows[0]["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["scenario"].as_str().unwrap())
        .collect();
    assert_eq!(held, vec!["SIM-RBT-01", "SIM-RBT-03"]);
    for (format, needle) in [
        ("html", "<table class=\"training\" id=\"training\">"),
        (
            "md",
            "| KVINCENT (Karine Vincent) | PLN-DESK | 2 / 3 scenarios |",
        ),
    ] {
        let out = opsplan()
            .args(["report", "staffing", "--format", format])
            .arg(MISSION)
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(needle), "{format}: {text}");
    }
}

#[test]
fn fmt_lays_out_the_training_clauses() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("t.scn");
    std::fs::write(
        &path,
        "scenario S { plan P\ntrainees FD,KVINCENT\n    instructor   JROUX\nheld 2014/270 09:00 ..   2014/270 13:00\n outcome passed }\n",
    )
    .unwrap();
    opsplan().arg("fmt").arg(&path).assert().success();
    let once = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        once,
        "scenario S {\n  plan       P\n  trainees   FD, KVINCENT\n  instructor JROUX\n  held       2014/270 09:00 .. 2014/270 13:00\n  outcome    passed\n}\n"
    );
    opsplan()
        .args(["fmt", "--check"])
        .arg(&path)
        .assert()
        .success();
    let roster = tmp.path().join("r.roster");
    std::fs::write(
        &roster,
        "roster R { plan P\nperson K { qualified PLN-DESK from 2014/280   after 3 scenarios } }\n",
    )
    .unwrap();
    opsplan().arg("fmt").arg(&roster).assert().success();
    let text = std::fs::read_to_string(&roster).unwrap();
    assert!(
        text.contains("    qualified PLN-DESK from 2014/280 after 3 scenarios\n"),
        "{text}"
    );
    opsplan()
        .args(["fmt", "--check"])
        .arg(&roster)
        .assert()
        .success();
}

/// Minutes after 2014/260 00:00.
fn at(min: u32) -> String {
    let t = Time(Time::parse_doy("2014/260 00:00").unwrap().0 + i64::from(min) * 60);
    t.format(opsplan::time::Notation::DayOfYear)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The date a qualification `after N scenarios` becomes valid, against the first
    /// instant, tried one by one among every session end and the `from`, at which N
    /// counting sessions have ended and the `from` has passed.
    #[test]
    fn the_validity_date_matches_brute_force(
        sessions in prop::collection::vec((0u32..20_000, 1u32..600, 0u8..4, 0u8..3), 0..8),
        required in 1u32..4,
        from in prop::option::of(0u32..20_000),
    ) {
        let mut scenarios = String::new();
        // (end, counts)
        let mut ends: Vec<(i64, bool)> = Vec::new();
        for (k, &(start, len, outcome, instructor)) in sessions.iter().enumerate() {
            let outcome = ["passed", "failed", "cancelled", ""][outcome as usize];
            let instructor = ["JROUX", "KVINCENT", ""][instructor as usize];
            let mut record = format!(
                "  trainees KVINCENT\n  held {} .. {}\n",
                at(start),
                at(start + len)
            );
            if !instructor.is_empty() {
                record.push_str(&format!("  instructor {instructor}\n"));
            }
            if !outcome.is_empty() {
                record.push_str(&format!("  outcome {outcome}\n"));
            }
            scenarios.push_str(&scenario(&format!("SIM-{k}"), record.trim_end()));
            let end = Time::parse_doy(&at(start + len)).unwrap().0;
            ends.push((end, outcome == "passed" && instructor == "JROUX"));
        }
        let from_time = from.map(|f| Time::parse_doy(&at(f)).unwrap().0);
        let from_clause = from.map(|f| format!(" from {}", at(f))).unwrap_or_default();
        let text = roster(&format!(
            "qualified PLN-DESK{from_clause} after {required} scenarios"
        ));
        let procs = procedures();
        let run = check_texts(&[
            ("p.plan", PLAN),
            ("lib.proc", &procs),
            ("team.roster", &text),
            ("t.scn", &scenarios),
        ]);
        prop_assert!(
            !run.diagnostics.iter().any(|d| matches!(d.code, Code::SyntaxError | Code::InvalidLiteral)),
            "{:#?}", run.diagnostics
        );
        let s = &run.model.staffing[0];
        let k = s.person_index["KVINCENT"];
        let q = s.people[k].quals.iter().find(|q| q.training.is_some()).unwrap();
        let got = (q.valid.start < q.valid.end).then_some(q.valid.start.0);
        let mut candidates: Vec<i64> = ends.iter().map(|&(e, _)| e).collect();
        candidates.extend(from_time);
        candidates.sort_unstable();
        let expected = candidates.into_iter().find(|&t| {
            from_time.is_none_or(|f| f <= t)
                && ends.iter().filter(|&&(e, c)| c && e <= t).count() >= required as usize
        });
        prop_assert_eq!(got, expected);
    }
}
