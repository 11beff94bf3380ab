//! `opsplan report monthly`'s staffing section on a small month of another mission
//! (TESTSAT, March 2025): the first plan (1-14 March) is staffed by a roster, the second
//! (15-31 March) names none, and an on-call log (`oncall_log:` or `--oncall-log`) lists
//! the call-outs. The figures in JSON, the days without a roster said plainly, a call-out
//! to someone not on call, a late response and the on-call KPI; each malformed row a
//! located error (exit 2, nothing written); a person's name escaped in HTML. The example
//! month's section is in the snapshots of tests/monthly.rs.

mod common;

use common::mission::Mission;

const PLAN1: &str = r#"plan SAT-W1 "March, first half" {
  mission "TESTSAT"
  horizon 2025/060 00:00 .. 2025/074 00:00
  roles FD
  use roster "w1.roster"
  activity A1 "Orbit determination" {
    at 2025/065 09:00   lasts 30m   by FD   kind pass
  }
}
"#;

const PLAN2: &str = r#"plan SAT-W2 "March, second half" {
  mission "TESTSAT"
  horizon 2025/074 00:00 .. 2025/091 00:00
  roles FD
  activity A2 "Orbit determination" {
    at 2025/080 09:00   lasts 30m   by FD   kind pass
  }
}
"#;

const ROSTER: &str = r#"roster R-W1 "TESTSAT flight dynamics, first half" {
  plan SAT-W1
  position FD-DESK "Flight dynamics desk" {
    fills FD
  }
  duty FD-ONCALL "Flight dynamics on call" {
    response 30m
  }
  person AMARTIN "Alice <b>Martin</b>" {
    qualified FD-DESK until 2025/065
  }
  person BNOEL "Bob Noel" {
    qualified FD-DESK from 2025/062
  }
  shift AMARTIN FD-DESK 2025/065 08:00 .. 2025/065 16:00
  shift BNOEL   FD-DESK 2025/065 22:00 .. 2025/066 06:00
  oncall AMARTIN FD-ONCALL 2025/060 00:00 .. 2025/067 00:00
  oncall BNOEL   FD-ONCALL 2025/067 00:00 .. 2025/074 00:00
}
"#;

const MANIFEST: &str = "month: 2025-03
plans: .
as_flown: as-flown.csv
anomalies: anomalies.csv
oncall_log: oncall.csv
";

const AS_FLOWN: &str = "Activity,Actual start,Actual end,Status
A1,2025-03-06 09:00,2025-03-06 09:30,done
A2,2025-03-21 09:00,2025-03-21 09:30,done
";

const ANOMALIES: &str = "ID,Opened,Closed,Severity,Title
AR-0131,2025-03-09,,minor,Relay forward-link dropouts
";

const HEADER: &str = "Called,Person,Duty,Answered,Response (min),Reason,Anomaly\n";

/// A CDM answered in 15 min; a relay dropout at night answered in 45 min (the duty asks
/// 30: late); a call to AMARTIN on 10 March, when BNOEL was on call; one on 20 March, a
/// day no roster covers.
const ONCALL: &str = "2025-03-02 03:10,AMARTIN,FD-ONCALL,2025-03-02 03:25,,Conjunction CDM,
2025-03-09 01:00,BNOEL,FD-ONCALL,,45,Relay dropout at night,AR-0131
2025-03-10 12:00,AMARTIN,FD-ONCALL,,10,Orbit determination failed,
2025-03-20 02:00,BNOEL,FD-ONCALL,,20,Manoeuvre check,
";

fn mission() -> Mission {
    Mission::with(&[
        ("opsplan.yaml", ""),
        ("w1.plan", PLAN1),
        ("w2.plan", PLAN2),
        ("w1.roster", ROSTER),
        ("monthly.yaml", MANIFEST),
        ("as-flown.csv", AS_FLOWN),
        ("anomalies.csv", ANOMALIES),
        ("oncall.csv", &format!("{HEADER}{ONCALL}")),
    ])
}

fn with_oncall(rows: &str) -> Mission {
    let m = mission();
    m.write("oncall.csv", &format!("{HEADER}{rows}"));
    m
}

#[test]
fn hours_nights_and_on_call_are_counted_for_the_days_a_roster_covers() {
    let (code, out, err) = mission().run(&["--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let s = &json["staffing"];
    assert_eq!(
        s["summary"],
        "Staffing is known for 1-14 March 2025 only; not for 15-31 March 2025: the plan SAT-W2 names no roster. The figures below count the days known; the others are not counted as zero hours."
    );
    assert_eq!(s["known_days"], 14);
    assert_eq!(s["unknown_days"], 17);
    assert_eq!(s["rosters"][0]["id"], "R-W1");
    assert_eq!(s["rosters"][0]["plan"], "SAT-W1");
    assert_eq!(s["rosters"][0]["period"], "1-14 March 2025");
    let people = s["people"].as_array().expect("people");
    assert_eq!(people.len(), 2);
    assert_eq!(people[0]["id"], "AMARTIN");
    assert_eq!(people[0]["hours_h"], 8.0);
    assert_eq!(people[0]["nights"], 0);
    assert_eq!(people[0]["on_call_h"], 168.0, "1-7 March");
    assert_eq!(people[0]["call_outs"], 2);
    assert_eq!(people[1]["id"], "BNOEL");
    assert_eq!(people[1]["hours"], "8.0");
    assert_eq!(people[1]["nights"], 1, "the night from 6 March 21:00");
    assert_eq!(people[1]["on_call_h"], 168.0, "8-14 March");
    assert_eq!(s["positions"][0]["name"], "FD-DESK");
    assert_eq!(s["positions"][0]["hours_h"], 16.0);
    assert_eq!(s["positions"][0]["shifts"], 2);
    let quals: Vec<(String, String, String)> = s["qualifications"]
        .as_array()
        .expect("qualifications")
        .iter()
        .map(|q| {
            (
                q["person"].as_str().unwrap().to_string(),
                q["change"].as_str().unwrap().to_string(),
                q["date_iso"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        quals,
        vec![
            ("BNOEL".into(), "gained".into(), "2025-03-03".into()),
            ("AMARTIN".into(), "ended".into(), "2025-03-06".into()),
        ]
    );
}

#[test]
fn call_outs_are_held_to_the_roster_and_late_ones_listed() {
    let (code, out, err) = mission().run(&["--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("oncall.csv:4:18: warning: AMARTIN was not on call for FD-ONCALL at 2025/069 12:00 (roster R-W1: BNOEL was)"),
        "{err}"
    );
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let o = &json["staffing"]["oncall"];
    assert_eq!(o["count"], 4);
    assert_eq!(o["median_min"], 17.5);
    assert_eq!(o["worst_min"], 45.0);
    assert_eq!(o["worst"], "45.0 min");
    assert_eq!(o["median"], "17.5 min");
    let late = o["late"].as_array().expect("late");
    assert_eq!(late.len(), 1);
    assert_eq!(late[0]["person"], "BNOEL");
    assert_eq!(late[0]["called"], "2025-03-09 01:00");
    assert_eq!(late[0]["limit_min"], 30.0);
    assert_eq!(late[0]["anomaly"], "AR-0131");
    let list = o["list"].as_array().expect("list");
    assert_eq!(list[2]["on_call"], false);
    assert_eq!(
        list[3]["on_call"],
        serde_json::Value::Null,
        "20 March: no roster"
    );
    // The note on the call-out no roster covers is in the report.
    let notes = json["input_notes"].to_string();
    assert!(
        notes.contains("1 call-out of the month is at times no roster covers"),
        "{notes}"
    );
    // The KPI: 2 of the 3 call-outs a roster covers answered in time.
    let kpi = json["kpis"]
        .as_array()
        .expect("kpis")
        .iter()
        .find(|k| k["id"] == "oncall_response")
        .expect("the on-call KPI");
    assert_eq!(kpi["value_number"], 66.666667);
    assert_eq!(kpi["status"], "red");
    assert_eq!(kpi["target_number"], 95.0);
    assert_eq!(kpi["amber_number"], 90.0);
}

#[test]
fn without_an_on_call_log_the_kpi_is_left_out_and_said_so() {
    let m = mission();
    m.write(
        "monthly.yaml",
        &MANIFEST.replace("oncall_log: oncall.csv\n", ""),
    );
    let json = m.json();
    assert!(json["staffing"]["oncall"].is_null());
    assert!(json["kpis"]
        .as_array()
        .expect("kpis")
        .iter()
        .all(|k| k["id"] != "oncall_response"));
    assert!(
        json["notes"]
            .to_string()
            .contains("No on-call log was given"),
        "{}",
        json["notes"]
    );
    // The flag gives it instead.
    let (code, out, err) = m.run(&["--oncall-log", "oncall.csv", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(json["staffing"]["oncall"]["count"], 4);
}

#[test]
fn every_bad_row_of_the_on_call_log_is_located() {
    with_oncall(
        "2025-03-02 03:10,AMARTN,FD-ONCALL,,15,,\n\
         2025-03-03 03:10,BNOEL,FD-ONCAL,,15,,\n\
         2025-03-32 03:10,BNOEL,FD-ONCALL,,15,,\n\
         2025-03-04 03:10,AMARTIN,FD-ONCALL,2025-03-04 03:00,,,\n\
         2025-03-05 03:10,AMARTIN,FD-ONCALL,,15,,AR-0113\n\
         2025-03-05 03:10,amartin,fd-oncall,,15,,\n",
    )
    .refused_with(&[
        "oncall.csv:2:18: error: `AMARTN` is not a person of roster R-W1, which staffs 2025/061 03:10; did you mean `AMARTIN`?",
        "oncall.csv:3:24: error: `FD-ONCAL` is not an on-call duty of roster R-W1; did you mean `FD-ONCALL`?",
        "oncall.csv:4:1: error: called: `2025-03-32 03:10` is not a time",
        "oncall.csv:5:36: error: answered 2025/063 03:00 before the call (2025/063 03:10)",
        "oncall.csv:6:41: error: anomaly `AR-0113` is not in the anomaly register; did you mean `AR-0131`?",
        "oncall.csv:7:1: error: the call-out of amartin for fd-oncall at 2025/064 03:10 is listed twice (first at line 6, column 1)",
    ]);
}

#[test]
fn a_log_without_its_columns_is_an_error_naming_them() {
    let m = mission();
    m.write("oncall.csv", "When,Who\n2025-03-02 03:10,AMARTIN\n");
    let err = m.refused();
    assert!(
        err.contains("oncall.csv:1:1: error: the header row has no `called`, `duty` columns"),
        "{err}"
    );
}

#[test]
fn a_month_without_any_roster_says_so_and_counts_no_hours() {
    let m = mission();
    m.write(
        "w1.plan",
        &PLAN1.replace("  use roster \"w1.roster\"\n", ""),
    )
    .remove("w1.roster");
    let json = m.json();
    let s = &json["staffing"];
    assert_eq!(
        s["summary"],
        "Staffing is known for no day of March 2025: the plans SAT-W1, SAT-W2 name no roster. No hour, night or on-call turn of the month is counted."
    );
    assert_eq!(s["people"], serde_json::json!([]));
    assert_eq!(s["known_days"], 0);
    // Every call-out is outside what a roster covers: none is judged, the KPI is n/a.
    let kpi = json["kpis"]
        .as_array()
        .expect("kpis")
        .iter()
        .find(|k| k["id"] == "oncall_response")
        .expect("the on-call KPI");
    assert!(kpi["value_number"].is_null());
    assert!(kpi["note"].as_str().unwrap_or("").contains("no call-out"));
}

#[test]
fn names_from_the_roster_are_escaped_in_html_and_markdown() {
    let m = mission();
    let html = m.report("html");
    assert!(html.contains("<section id=\"staffing\">"), "{html}");
    assert!(
        html.contains("AMARTIN (Alice &lt;b&gt;Martin&lt;/b&gt;)"),
        "the name is escaped"
    );
    assert!(!html.contains("<b>Martin</b>"));
    assert!(html.contains("<table id=\"oncall-calls\">"));
    let md = m.report("md");
    assert!(md.contains("## 11. Staffing"), "{md}");
    assert!(!md.contains("<b>Martin</b>"), "{md}");
}

#[test]
fn a_roster_that_does_not_read_whole_is_not_counted_and_said_so() {
    let m = mission();
    m.write(
        "w1.roster",
        &ROSTER.replace(
            "  shift BNOEL ",
            "  shift BNOEL FD-DESK soon\n  shift BNOEL ",
        ),
    );
    let (code, out, err) = m.run(&["--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("w1.roster:16:"),
        "the syntax error is printed: {err}"
    );
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(json["status"], "red", "the check fails");
    assert_eq!(
        json["staffing"]["summary"],
        "Staffing is known for no day of March 2025: the plan SAT-W2 names no roster; the roster R-W1 of plan SAT-W1 could not be read whole (syntax errors: see the check's findings) and is not counted. No hour, night or on-call turn of the month is counted."
    );
    assert_eq!(json["staffing"]["people"], serde_json::json!([]));
}

/// A row of [`oncall_workbook`]: called (day of March 2025, hour, minute), person,
/// duty, response in minutes.
type CallRow<'a> = ((u8, u8, u8), &'a str, &'a str, f64);

/// An on-call log workbook: sheet "Call-outs" after a cover sheet; times as Excel date
/// times.
fn oncall_workbook(rows: &[CallRow]) -> Vec<u8> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let when = ExcelDateTime::from_ymd(2025, 3, 31).expect("date");
    wb.set_properties(&DocProperties::new().set_creation_datetime(&when));
    let time = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let ws = wb.add_worksheet();
    ws.set_name("Cover").expect("name");
    ws.write(0, 0, "On-call log").expect("cover");
    let ws = wb.add_worksheet();
    ws.set_name("Call-outs").expect("name");
    for (c, h) in ["Call time", "Engineer", "Duty", "Response (min)"]
        .iter()
        .enumerate()
    {
        ws.write(0, c as u16, *h).expect("header");
    }
    for (i, ((d, h, m), person, duty, minutes)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        let dt = ExcelDateTime::from_ymd(2025, 3, *d)
            .expect("date")
            .and_hms(u16::from(*h), *m, 0)
            .expect("time");
        ws.write_datetime_with_format(r, 0, &dt, &time)
            .expect("called");
        ws.write(r, 1, *person).expect("person");
        ws.write(r, 2, *duty).expect("duty");
        ws.write(r, 3, *minutes).expect("response");
    }
    wb.save_to_buffer().expect("workbook")
}

#[test]
fn a_workbook_log_is_read_from_its_sheet_and_located_by_cell() {
    let m = mission();
    m.write(
        "monthly.yaml",
        &MANIFEST.replace(
            "oncall_log: oncall.csv\n",
            "oncall_log: oncall.xlsx\noncall_log_sheet: Call-outs\n",
        ),
    )
    .write_bytes(
        "oncall.xlsx",
        &oncall_workbook(&[((9, 3, 10), "bob noel", "FD-ONCALL", 15.0)]),
    );
    let json = m.json();
    let o = &json["staffing"]["oncall"];
    assert_eq!(o["source"], "oncall.xlsx");
    assert_eq!(o["list"][0]["called"], "2025-03-09 03:10");
    assert_eq!(
        o["list"][0]["person"], "BNOEL",
        "the full name is read as the person"
    );
    assert_eq!(o["list"][0]["response_min"], 15.0);

    m.write_bytes(
        "oncall.xlsx",
        &oncall_workbook(&[
            ((2, 3, 10), "AMARTIN", "FD-ONCALL", 15.0),
            ((3, 3, 10), "BNOLE", "FD-ONCALL", 15.0),
        ]),
    )
    .refused_with(&[
        "oncall.xlsx: sheet 'Call-outs' cell B3: error: `BNOLE` is not a person of roster R-W1, which staffs 2025/062 03:10; did you mean `BNOEL`?",
    ]);
}

#[test]
fn the_staffing_findings_of_the_check_are_counted_by_code() {
    let m = mission();
    // BNOEL on call from 7 March 00:00 while on the night shift of 6 March: W014.
    m.write(
        "w1.roster",
        &ROSTER.replace(
            "oncall AMARTIN FD-ONCALL 2025/060 00:00 .. 2025/067 00:00\n  oncall BNOEL   FD-ONCALL 2025/067 00:00",
            "oncall AMARTIN FD-ONCALL 2025/060 00:00 .. 2025/066 00:00\n  oncall BNOEL   FD-ONCALL 2025/066 00:00",
        ),
    );
    let json = m.json();
    assert_eq!(
        json["staffing"]["findings"],
        serde_json::json!([{"code": "W014", "name": "oncall-on-night-shift", "count": 1}])
    );
    assert_eq!(json["staffing"]["findings_total"], 1);
    let md = m.report("md");
    assert!(
        md.contains("Staffing findings of the plans' check: W014 oncall-on-night-shift × 1."),
        "{md}"
    );
}

/// The sessions of the month's training: one held in March and passed (a person of the
/// roster and a role as trainees), one across 1 March with no result recorded, one in
/// February (left out), one only prepared (left out). The activity runs a procedure that
/// handles the event each session injects, so the check stays clean.
const PLAN1_WITH_PROCEDURE: &str = r#"plan SAT-W1 "March, first half" {
  mission "TESTSAT"
  horizon 2025/060 00:00 .. 2025/074 00:00
  roles FD
  use roster "w1.roster"
  activity A1 "Orbit determination" {
    at 2025/065 09:00   lasts 30m   by FD   kind pass   procedure OD-RECOVER v1.0
  }
}

procedure OD-RECOVER "Orbit determination recovery" {
  version 1.0
  roles   FD
  handles OD_DIVERGED
  step 1 "Re-run the determination" {
    command OD_RERUN
  }
}
"#;

const TRAINING: &str = r#"scenario SIM-OD-02 "OD divergence, <i>second</i> run" {
  plan       SAT-W1
  trainees   FD, BNOEL
  instructor AMARTIN
  held       2025/070 09:00 .. 2025/070 12:00
  outcome    passed
  inject OD_DIVERGED "OD diverges" at A1.start + 5m { expect OD-RECOVER }
}
scenario SIM-OD-01 "OD divergence" {
  plan       SAT-W1
  trainees   BNOEL
  instructor AMARTIN
  held       2025/059 22:00 .. 2025/060 02:00
  inject OD_DIVERGED "OD diverges" at A1.start + 5m { expect OD-RECOVER }
}
scenario SIM-OD-00 "OD divergence, dry run in February" {
  plan       SAT-W1
  trainees   FD
  instructor AMARTIN
  held       2025/045 09:00 .. 2025/045 12:00
  outcome    failed
  inject OD_DIVERGED "OD diverges" at A1.start + 5m { expect OD-RECOVER }
}
scenario SIM-OD-03 "OD divergence, prepared for April" {
  plan     SAT-W1
  trainees FD
  inject OD_DIVERGED "OD diverges" at A1.start + 5m { expect OD-RECOVER }
}
"#;

#[test]
fn the_simulations_held_in_the_month_are_listed_with_their_outcome() {
    let m = mission();
    m.write("w1.plan", PLAN1_WITH_PROCEDURE)
        .write("training.scn", TRAINING);
    let json = m.json();
    let s = &json["staffing"];
    assert_eq!(
        s["training_summary"],
        "2 simulations or training sessions held in March 2025: 1 passed, 1 with no result recorded; 1 person of the roster trained."
    );
    let rows = s["training"].as_array().expect("training");
    let ids: Vec<&str> = rows
        .iter()
        .map(|r| r["scenario"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["SIM-OD-01", "SIM-OD-02"],
        "by start; February and prepared left out"
    );
    assert_eq!(rows[0]["outcome"], "not recorded");
    assert_eq!(rows[0]["held_from"], "2025-02-28T22:00:00Z");
    assert_eq!(rows[1]["outcome"], "passed");
    assert_eq!(rows[1]["instructor"], "AMARTIN (Alice <b>Martin</b>)");
    assert_eq!(rows[1]["trainees"][0], "BNOEL (Bob Noel)");
    assert_eq!(rows[1]["roles"][0], "FD");
    assert_eq!(rows[1]["injects"], 1);
    assert_eq!(rows[1]["held"], "2025-03-11 09:00 to 2025-03-11 12:00");
    // Listed on the page, every input text escaped.
    let html = m.report("html");
    let section = &html[html.find("<section id=\"staffing\"").unwrap()..];
    let table = &section[section
        .find("<table id=\"staffing-training\"")
        .expect("table")..];
    assert!(
        table.contains("OD divergence, &lt;i&gt;second&lt;/i&gt; run"),
        "{table}"
    );
    assert!(table.contains("AMARTIN (Alice &lt;b&gt;Martin&lt;/b&gt;)"));
    assert!(!table.contains("<i>second"));
    let md = m.report("md");
    assert!(md.contains("### Simulations and training"), "{md}");
    assert!(
        md.contains("| SIM-OD-02: OD divergence, &lt;i&gt;second&lt;/i&gt; run (plan SAT-W1) |"),
        "{md}"
    );
}

#[test]
fn a_month_with_no_session_held_says_so() {
    let json = mission().json();
    assert_eq!(
        json["staffing"]["training_summary"],
        "No simulation or training session is recorded as held in March 2025."
    );
    assert_eq!(
        json["staffing"]["training"].as_array().map(Vec::len),
        Some(0)
    );
}
