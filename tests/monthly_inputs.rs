//! `opsplan report monthly` on a small month of another mission (TESTSAT, March 2025)
//! whose records hold the defects a tester seeded from docs/monthly.md alone (issue #17):
//! each must be a located error (exit 2, nothing written), a warning shown in the report,
//! or a note in it; never a silent wrong figure. The example month (ATV-5, October 2014)
//! has its own tests in tests/monthly.rs.

mod common;

use common::mission::Mission;

const PLAN: &str = r#"plan SAT-M03 "March operations" {
  mission "TESTSAT"
  horizon 2025/060 00:00 .. 2025/091 00:00
  roles FD
  activity A1 "Pass" {
    at 2025/065 09:00   lasts 30m   by FD   kind pass
  }
  activity A2 "Dump" {
    at 2025/066 10:00   lasts 30m   by FD   kind pass
  }
  activity A3 "Avoidance manoeuvre" {
    at 2025/070 12:00   lasts 10m   by FD   kind dam
  }
  activity A4 "Decision telecon" {
    at 2025/069 08:00   lasts 30m   by FD   kind telecon   tags dam-decision
  }
}
"#;

const MANIFEST: &str = "month: 2025-03
plans: .
as_flown: as-flown.csv
collision:
  our_objects: [43210]
";

/// A1 Mar 6 09:00, A2 Mar 7 10:00, A3 Mar 11 12:00, A4 Mar 10 08:00: all on time.
const AS_FLOWN: &str = "Activity,Actual start,Actual end,Status,Comment
A1,2025-03-06 09:00,2025-03-06 09:30,done,
A2,2025-03-07 10:00,2025-03-07 10:30,done,
A3,2025-03-11 12:00,2025-03-11 12:10,done,
A4,2025-03-10 08:00,2025-03-10 08:30,done,
";

/// A CDM about TESTSAT (43210) and a debris object, created 2025-03-08.
const CDM: &str = "CCSDS_CDM_VERS = 1.0
CREATION_DATE = 2025-03-08T10:00:00.000
ORIGINATOR = TEST
MESSAGE_ID = M-1
TCA = 2025-03-09T10:00:00.000
MISS_DISTANCE = 900 [m]
RELATIVE_SPEED = 14000 [m/s]
RELATIVE_POSITION_R = 100 [m]
RELATIVE_POSITION_T = 800 [m]
RELATIVE_POSITION_N = 300 [m]
COLLISION_PROBABILITY = 2.0E-05

OBJECT = OBJECT1
OBJECT_DESIGNATOR = 43210
OBJECT_NAME = TESTSAT

OBJECT = OBJECT2
OBJECT_DESIGNATOR = 22222
OBJECT_NAME = DEBRIS X
";

/// The same conjunction in the XML form of CCSDS 508.0-B-1 §4 (another message).
const CDM_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<cdm id="CCSDS_CDM_VERS" version="1.0">
  <header>
    <CREATION_DATE>2025-03-08T16:00:00.000</CREATION_DATE>
    <ORIGINATOR>TEST</ORIGINATOR>
    <MESSAGE_ID>M-2</MESSAGE_ID>
  </header>
  <body>
    <relativeMetadataData>
      <TCA>2025-03-09T10:00:20.000</TCA>
      <MISS_DISTANCE units="m">700</MISS_DISTANCE>
      <relativeStateVector>
        <RELATIVE_POSITION_R units="m">90</RELATIVE_POSITION_R>
        <RELATIVE_POSITION_T>600</RELATIVE_POSITION_T>
        <RELATIVE_POSITION_N units="km">0.3</RELATIVE_POSITION_N>
      </relativeStateVector>
      <COLLISION_PROBABILITY>3.0E-05</COLLISION_PROBABILITY>
    </relativeMetadataData>
    <segment>
      <metadata>
        <OBJECT>OBJECT1</OBJECT>
        <OBJECT_DESIGNATOR>43210</OBJECT_DESIGNATOR>
        <OBJECT_NAME>TESTSAT</OBJECT_NAME>
      </metadata>
      <data/>
    </segment>
    <segment>
      <metadata>
        <OBJECT>OBJECT2</OBJECT>
        <OBJECT_DESIGNATOR>22222</OBJECT_DESIGNATOR>
        <OBJECT_NAME>DEBRIS X</OBJECT_NAME>
      </metadata>
      <data/>
    </segment>
  </body>
</cdm>
"#;

/// A mission folder: `opsplan.yaml`, the plan, the manifest and the as-flown log above,
/// and whatever a test writes over them.
fn mission() -> Mission {
    Mission::with(&[
        ("opsplan.yaml", ""),
        ("p.plan", PLAN),
        ("monthly.yaml", MANIFEST),
        ("as-flown.csv", AS_FLOWN),
    ])
}

fn texts(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|x| x.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_clean_month_is_written_without_a_month_flag() {
    let m = mission();
    let json = m.json();
    assert_eq!(json["month"], "2025-03", "the manifest's month");
    assert_eq!(json["operations"]["totals"]["on_time"], 4);
    assert_eq!(json["status"], "green");
    assert!(!m.has("mor.html"));
    // Both given, they must agree: the error points at the manifest's value.
    let (code, _, err) = m.run(&["--month", "2025-04"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("monthly.yaml:1:8: error: the manifest is for month `2025-03`, and --month asks for 2025-04"),
        "{err}"
    );
    // Neither given: said, not guessed.
    m.write("monthly.yaml", &MANIFEST.replace("month: 2025-03\n", ""));
    let err = m.refused();
    assert!(
        err.contains("error: no month: give it with --month YYYY-MM"),
        "{err}"
    );
}

// ------------------------------------------------------------------ 1. whose CDM

#[test]
fn a_cdm_about_another_satellite_is_in_no_count_and_never_makes_the_month_red() {
    let m = mission();
    let other = CDM
        .replace("OBJECT_DESIGNATOR = 43210", "OBJECT_DESIGNATOR = 11111")
        .replace("OBJECT_NAME = TESTSAT", "OBJECT_NAME = OTHERSAT")
        .replace("2.0E-05", "5.0E-03");
    m.write("cdm/other.kvn", &other)
        .write("monthly.yaml", &format!("{MANIFEST}cdm: cdm/\n"));
    let (code, out, err) = m.run(&["--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("cdm/other.kvn:14: warning: not about our satellite: neither OBJECT1 (11111 OTHERSAT) nor OBJECT2 (22222 DEBRIS X) is one of the mission's objects (43210): this CDM is in no count"),
        "{err}"
    );
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(json["status"], "green", "a red Pc about another satellite");
    assert_eq!(json["collision"]["cdms"], 0);
    assert_eq!(json["collision"]["red"], 0);
    assert!(texts(&json["warnings"])
        .iter()
        .any(|w| w.contains("not about our satellite")));
    assert!(texts(&json["notes"])
        .iter()
        .any(|n| n
            .contains("1 CDM about other satellites than the mission's (43210) is in no count")));
}

#[test]
fn a_cdm_naming_our_satellite_as_object2_is_read_swapped_with_a_note() {
    let m = mission();
    let swapped = CDM
        .replace("OBJECT_DESIGNATOR = 43210", "OBJECT_DESIGNATOR = @")
        .replace("OBJECT_DESIGNATOR = 22222", "OBJECT_DESIGNATOR = 43210")
        .replace("OBJECT_DESIGNATOR = @", "OBJECT_DESIGNATOR = 22222")
        .replace("OBJECT_NAME = TESTSAT", "OBJECT_NAME = @")
        .replace("OBJECT_NAME = DEBRIS X", "OBJECT_NAME = TESTSAT")
        .replace("OBJECT_NAME = @", "OBJECT_NAME = DEBRIS X");
    m.write("cdm/swapped.kvn", &swapped)
        .write("monthly.yaml", &format!("{MANIFEST}cdm: cdm/\n"));
    let json = m.json();
    let event = &json["collision"]["event_list"][0];
    assert_eq!(
        event["object"], "22222",
        "the other object is the secondary"
    );
    assert_eq!(event["name"], "DEBRIS X");
    assert!(
        texts(&json["input_notes"]).iter().any(|n| n.starts_with(
            "cdm/swapped.kvn:18: note: OBJECT2 (43210 TESTSAT) is the mission's object: the CDM is read with its objects swapped"
        )),
        "{:#?}",
        json["input_notes"]
    );
}

#[test]
fn cdms_without_the_missions_objects_declared_are_an_error_with_a_hint() {
    let m = mission();
    m.write("cdm/a.kvn", CDM).write(
        "monthly.yaml",
        &format!(
            "{}cdm: cdm/\n",
            MANIFEST.replace("collision:\n  our_objects: [43210]\n", "")
        ),
    );
    let err = m.refused();
    assert!(
        err.contains("monthly.yaml: error: CDMs are given but not the mission's own objects, so the report cannot tell whose conjunctions they are (OBJECT1 of 1 of the 1 CDMs read is 43210 TESTSAT): declare them"),
        "{err}"
    );
    // The command line can say it instead.
    let (code, _, err) = m.run(&["--our-object", "43210", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
}

// ------------------------------------------------------------------ 2. dates

#[test]
fn a_mistyped_year_or_a_date_after_the_report_is_an_error_at_its_cell() {
    let m = mission();
    m.write(
        "anomalies.csv",
        "ID,Opened,Closed,Severity,Title\n\
         AR-1,2205-03-13,,critical,Star tracker blinded\n\
         AR-2,1925-03-01,2025-03-02,minor,Old\n\
         AR-3,2025-03-02,2025-04-05,minor,Closed after the report\n",
    )
    .write(
        "monthly.yaml",
        &format!("{MANIFEST}anomalies: anomalies.csv\n"),
    );
    let err = m.refused();
    for e in [
        "anomalies.csv:2:6: error: opened `2205-03-13` is after the report is made (2025/092 08:00 UTC, SOURCE_DATE_EPOCH): a record cannot be dated in the future; is the year mistyped?",
        "anomalies.csv:3:6: error: opened `1925-03-01` is before 1957-10-04 (the first satellite)",
        "anomalies.csv:4:17: error: closed `2025-04-05` is after the report is made",
    ] {
        assert!(err.contains(e), "expected `{e}` in:\n{err}");
    }
}

#[test]
fn an_anomaly_opened_after_the_month_is_a_note_not_a_silent_drop() {
    let m = mission();
    m.write(
        "anomalies.csv",
        "ID,Opened,Closed,Severity,Title\n\
         AR-1,2025-04-01 06:00,,critical,Star tracker blinded\n\
         AR-2,2025-03-02,2025-04-01 12:00,major,Closed next month: open at the end of March\n",
    )
    .write(
        "changes.csv",
        "CR,Raised,Status,Decided,Plan,Activities,Title\n\
         CR-1,2025-04-01 09:00,open,,SAT-M03,A2,Raised next month\n",
    )
    .write(
        "monthly.yaml",
        &format!("{MANIFEST}anomalies: anomalies.csv\nchanges: changes.csv\n"),
    );
    let json = m.json();
    assert_eq!(json["anomalies"]["open_at_end"], 1, "AR-2 only");
    assert_eq!(json["anomalies"]["opened"], 1);
    let notes = texts(&json["input_notes"]);
    assert!(
        notes.iter().any(|n| n.starts_with(
            "anomalies.csv:2:6: note: critical anomaly `AR-1` was opened 2025/091 06:00, after March 2025: it is in no count of this report"
        )),
        "{notes:#?}"
    );
    assert!(
        notes.iter().any(|n| n.starts_with(
            "changes.csv:2:6: note: change request `CR-1` was raised 2025/091 09:00, after March 2025"
        )),
        "{notes:#?}"
    );
}

// ------------------------------------------------------------------ 3. CDM files

#[test]
fn every_file_of_the_cdm_folder_is_read_or_reported() {
    let m = mission();
    m.write("cdm/a.kvn", CDM)
        .write("cdm/b.xml", CDM_XML)
        .write("cdm/c.json", "{\"CCSDS_CDM_VERS\": \"1.0\"}")
        .write(
            "cdm/notes.txt",
            "Screening notes for March\n\nM-1 looked at by FDS on 8 March.\nM-2 too.\nNothing to add.\n",
        )
        .write("cdm/README.md", "# CDMs of March\n")
        .write("monthly.yaml", &format!("{MANIFEST}cdm: cdm/\n"));
    let err = m.refused();
    assert!(
        err.contains("cdm/c.json: error: JSON CDMs are not supported: CCSDS 508.0-B-1 defines the KVN and XML forms; convert it to KVN (.kvn) or XML (.xml)"),
        "{err}"
    );
    assert!(
        err.contains("cdm/notes.txt:1: warning: not a CDM: a CCSDS CDM in KVN form starts with `CCSDS_CDM_VERS = 1.0`, this file with `Screening notes for March`: not read"),
        "{err}"
    );
    assert_eq!(err.matches("notes.txt").count(), 1, "one finding: {err}");
    assert!(
        err.contains("cdm/README.md: warning: not read: not a CDM file"),
        "{err}"
    );
    // Without the JSON file, the KVN and the XML CDM are both counted, as one event.
    m.remove("cdm/c.json");
    let json = m.json();
    assert_eq!(json["collision"]["cdms"], 2, "{:#?}", json["collision"]);
    assert_eq!(json["collision"]["events"], 1);
    let event = &json["collision"]["event_list"][0];
    assert_eq!(event["first"], "Pc 2e-5, 900 m");
    assert_eq!(event["last"], "Pc 3e-5, 700 m", "the XML CDM, read");
}

#[test]
fn a_cdm_whose_tca_precedes_its_creation_or_whose_length_has_no_unit_is_an_error() {
    let m = mission();
    m.write(
        "cdm/a.kvn",
        &CDM.replace("TCA = 2025-03-09T10:00", "TCA = 2025-03-07T10:00"),
    )
    .write(
        "cdm/b.kvn",
        &CDM.replace("MESSAGE_ID = M-1", "MESSAGE_ID = M-2")
            .replace("MISS_DISTANCE = 900 [m]", "MISS_DISTANCE = 900"),
    )
    .write(
        "cdm/c.xml",
        &CDM_XML.replace(
            "<TCA>2025-03-09T10:00:20.000</TCA>",
            "<TCA>2025-03-01T10:00:20.000</TCA>",
        ),
    )
    .write("monthly.yaml", &format!("{MANIFEST}cdm: cdm/\n"));
    let err = m.refused();
    for e in [
        "cdm/a.kvn:5: error: the TCA 2025/066 10:00 is before the message was created (2025/067 10:00)",
        "cdm/b.kvn:6: error: `MISS_DISTANCE` has no unit: write `900 [m]` (CCSDS 508.0-B-1 §6.2.4.1: the units of a CDM in KVN must be displayed)",
        "cdm/c.xml:10: error: the TCA 2025/060 10:00:20 is before the message was created",
    ] {
        assert!(err.contains(e), "expected `{e}` in:\n{err}");
    }
}

// ------------------------------------------------------------------ 4. KPI history

#[test]
fn kpi_history_gaps_and_rows_of_the_month_are_said() {
    let m = mission();
    // January and December; no February (the month before March 2025): no trend; the
    // line of the completion sparkline is cut at the missing month. A row for March
    // itself is not used, with a warning.
    m.write(
        "history.csv",
        "month,kpi,value\n\
         2024-12,completion,90\n\
         2025-01,completion,92\n\
         2025-03,completion,12\n\
         2025-05,completion,13\n",
    )
    .write(
        "monthly.yaml",
        &format!("{MANIFEST}kpi_history: history.csv\n"),
    );
    let (code, html, err) = m.run(&["--format", "html"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("history.csv:4:1: warning: 1 row for 2025-03 is not used: 2025-03 is the month reported, whose values this report computes from its inputs"),
        "{err}"
    );
    assert!(
        err.contains("history.csv:5:1: warning: 1 row for 2025-05 is not used: 2025-05 is after the month reported (2025-03)"),
        "{err}"
    );
    assert!(
        html.contains(
            "The KPI history has no value for 2025-02, the month before: every trend is blank"
        ),
        "a note names the missing month"
    );
    let row = &html[html.find("<tr id=\"kpi-completion\"").expect("row")..];
    let row = &row[..row.find("</tr>").expect("end")];
    assert_eq!(
        row.matches("<polyline").count(),
        1,
        "December-January is a line; March, after the gap, a point: {row}"
    );
    assert!(row.contains("class=\"s-green\""), "{row}");
    // Every point says its month and value, a point alone between gaps too.
    assert!(!row.contains("<title></title>"), "{row}");
    let json = m.json();
    let k = &json["kpis"][0];
    assert_eq!(
        (k["id"].as_str(), k["trend"].as_str()),
        (Some("completion"), Some(""))
    );
}

// ------------------------------------------------------------------ 5. as-flown, CRs

#[test]
fn a_done_activity_needs_a_time_of_day_and_far_actual_times_are_warned() {
    let m = mission();
    m.write(
        "as-flown.csv",
        &AS_FLOWN.replace("A1,2025-03-06 09:00,", "A1,2025-03-06,"),
    );
    let err = m.refused();
    assert!(
        err.contains("as-flown.csv:2:4: error: the actual start `2025-03-06` has no time of day: a `done` activity needs the hour it ran (such as 2025-03-06 17:42)"),
        "{err}"
    );
    // 8 days after the plan: a warning, shown in the report.
    m.write(
        "as-flown.csv",
        &AS_FLOWN.replace(
            "A2,2025-03-07 10:00,2025-03-07 10:30",
            "A2,2025-03-15 10:00,2025-03-15 10:30",
        ),
    );
    let json = m.json();
    let warnings = texts(&json["warnings"]);
    assert!(
        warnings.iter().any(|w| w.starts_with(
            "as-flown.csv:3:4: warning: the actual start 2025/074 10:00 is 8 d 0 h after the planned start of `A2` (SAT-M03, 2025/066 10:00): more than 7 d 0 h (`far_from_plan`)"
        )),
        "{warnings:#?}"
    );
    // The limit is the manifest's.
    m.write("monthly.yaml", &format!("{MANIFEST}far_from_plan: 10d\n"));
    assert!(texts(&m.json()["warnings"]).is_empty());
}

#[test]
fn a_change_request_naming_an_activity_or_plan_that_does_not_exist_is_located() {
    let m = mission();
    m.write(
        "changes.csv",
        "CR,Raised,Status,Decided,Plan,Activities,Title\n\
         CR-1,2025-03-05 10:00,approved,2025-03-05 11:00,SAT-M03,A2 A9,A9 is in no plan\n\
         CR-2,2025-03-06 10:00,approved,2025-03-06 11:00,SAT-M02,A1,A plan not read changes March\n\
         CR-3,2025-03-20 10:00,open,,SAT-M04,B1,April's plan: not checked\n\
         CR-4,2025-03-21 10:00,approved,2025-03-21 11:00,,A7,No plan holds A7\n",
    )
    .write("monthly.yaml", &format!("{MANIFEST}changes: changes.csv\n"));
    let err = m.refused();
    for e in [
        "changes.csv:2:57: error: change request `CR-1`: activity `A9` is not in plan `SAT-M03`",
        "changes.csv:3:49: error: change request `CR-2`: plan `SAT-M02` is not among the plans read (SAT-M03); it is approved and decided in March 2025, so it changes activities of the month",
        "changes.csv:5:50: error: change request `CR-4`: activity `A7` is in none of the plans read",
    ] {
        assert!(err.contains(e), "expected `{e}` in:\n{err}");
    }
    assert!(!err.contains("CR-3"), "{err}");
}

// ------------------------------------------------------------------ 6, 7. figures

#[test]
fn outage_systems_differing_in_case_or_blanks_are_one_system() {
    let m = mission();
    m.write(
        "outages.csv",
        "System,Start,End,Kind\n\
         Kiruna Station,2025-03-03 10:00,2025-03-03 11:00,unplanned\n\
         Kiruna station,2025-03-03 10:30,2025-03-03 12:00,unplanned\n\
         kiruna  STATION,2025-03-04 10:00,2025-03-04 11:00,planned\n\
         Kiruna Station,2025-01-04 10:00,2025-01-04 11:00,planned\n",
    )
    .write("monthly.yaml", &format!("{MANIFEST}outages: outages.csv\n"));
    let json = m.json();
    let systems = json["availability"]["systems"].as_array().expect("systems");
    assert_eq!(systems.len(), 1, "{systems:#?}");
    assert_eq!(systems[0]["system"], "Kiruna Station", "the first spelling");
    assert_eq!(
        systems[0]["unplanned_time"], "2 h 00 min",
        "merged: counted once"
    );
    let notes = texts(&json["input_notes"]);
    for n in [
        "outages.csv:3:1: note: system `Kiruna station` is counted as `Kiruna Station` (first written at line 2, column 1): system names are matched ignoring case and blanks",
        "outages.csv:4:1: note: system `kiruna  STATION` is counted as `Kiruna Station`",
        "outages.csv:5:1: note: 1 outage of the log does not touch March 2025 and is not counted",
    ] {
        assert!(notes.iter().any(|x| x.starts_with(n)), "`{n}` in {notes:#?}");
    }
}

#[test]
fn early_starts_are_not_late_and_a_cdm_without_pc_is_not_drawn_as_one() {
    let m = mission();
    m.write(
        "as-flown.csv",
        &AS_FLOWN
            .replace("A1,2025-03-06 09:00,", "A1,2025-03-06 08:50,")
            .replace("A2,2025-03-07 10:00,", "A2,2025-03-07 10:20,"),
    )
    .write(
        "cdm/a.kvn",
        &CDM.replace("COLLISION_PROBABILITY = 2.0E-05\n", ""),
    )
    .write("monthly.yaml", &format!("{MANIFEST}cdm: cdm/\n"));
    let json = m.json();
    let t = &json["operations"]["totals"];
    assert_eq!(
        (t["early"].as_u64(), t["late"].as_u64()),
        (Some(1), Some(1))
    );
    // March 2025 starts on a Saturday: A1 (Thursday 6 March) is in the second week.
    assert_eq!(json["operations"]["weeks"][1]["counts"]["early"], 1);
    let e = &json["collision"]["event_list"][0];
    assert_eq!(e["max_pc"], "n/a");
    assert_eq!(e["class"], "na", "not green");
    assert_eq!(json["collision"]["without_pc"], 1);
    let (_, html, _) = m.run(&["--format", "html"]);
    assert!(html.contains("class=\"pc-none\""), "a distinct marker");
    assert!(!html.contains("class=\"pc-green\""), "not a green dot");
    assert!(html.contains("1 CDM without a collision probability"));
    assert!(html.contains("class=\"o-early\""));
}

// ------------------------------------------------------------------ 8. one pass

#[test]
fn every_problem_of_every_input_is_printed_in_one_run() {
    let m = mission();
    m.write(
        "monthly.yaml",
        "month: 2025-03\nplans: .\nas_flown: as-flown.csv\ncolour: blue\non_time_tolerance: '5 min'\ncollision:\n  our_objects: [43210]\n",
    )
    .write(
        "as-flown.csv",
        "Plan,Activity,Actual start,Actual end,Status\n\
         SAT-M03,A1,10/03/2025 09:00,2025-03-06 09:30,finished\n\
         SAT-M99,A2,2025-03-07 10:00,2025-03-07 10:30,done\n",
    );
    let err = m.refused();
    for e in [
        "monthly.yaml:4:1: error: unknown field `colour`, expected one of",
        "monthly.yaml:5:21: error: on_time_tolerance: `5 min` is not a duration",
        "as-flown.csv:2:12: error: `10/03/2025 09:00` is not a time (a date written with slashes is ambiguous (DD/MM/YYYY or MM/DD/YYYY?) and is read only when monthly.yaml declares its order, `date_format: DD/MM/YYYY` or `date_format: MM/DD/YYYY`); write 2014-10-27T17:42:00Z, 2014-10-27 17:42, 2014-10-27T19:42+02:00 (converted to UTC), 2014/300 17:42 or 2014-300T17:42:00.000",
        "as-flown.csv:2:46: error: unknown status `finished`",
        "as-flown.csv:3:9: error: plan `SAT-M99` is not among the plans read (SAT-M03)",
    ] {
        assert!(err.contains(e), "expected `{e}` in:\n{err}");
    }
    // The unknown key does not cost the others: no cascade.
    assert!(!err.contains("no plans"), "{err}");
    assert!(!err.contains("no as-flown log"), "{err}");
    // A row's problems are all reported, the join included.
    m.write(
        "as-flown.csv",
        "Plan,Activity,Actual start,Actual end,Status\nSAT-M99,A1,2025-03-06 09:00,2025-03-06 09:30,finished\n",
    )
    .write("monthly.yaml", MANIFEST);
    let err = m.refused();
    assert!(
        err.contains("as-flown.csv:2:46: error: unknown status `finished`"),
        "{err}"
    );
    assert!(
        err.contains("as-flown.csv:2:9: error: plan `SAT-M99` is not among the plans read"),
        "{err}"
    );
}

#[test]
fn offsets_are_converted_and_slash_dates_read_only_when_declared() {
    let m = mission();
    m.write(
        "as-flown.csv",
        "Activity,Actual start,Actual end,Status\n\
         A1,2025-03-06T10:00+01:00,2025-03-06T10:30+01:00,done\n\
         A2,07/03/2025 10:00,07/03/2025 10:30,done\n\
         A3,2025-03-11 07:00-05:00,2025-03-11 07:10-05:00,done\n\
         A4,10/03/2025 08:00,10/03/2025 08:30,done\n",
    )
    .write(
        "monthly.yaml",
        &format!("{MANIFEST}date_format: DD/MM/YYYY\n"),
    );
    let json = m.json();
    assert_eq!(
        json["operations"]["totals"]["on_time"], 4,
        "{:#?}",
        json["operations"]["totals"]
    );
    m.write("monthly.yaml", &format!("{MANIFEST}date_format: D/M/Y\n"));
    let err = m.refused();
    assert!(
        err.contains("monthly.yaml:6:14: error: date_format: `D/M/Y` is not a date format: write `YYYY-MM-DD`, `DD/MM/YYYY` or `MM/DD/YYYY`"),
        "{err}"
    );
}

// --- A second tester's month, written from the docs alone (issue #17 review) ----------

#[test]
fn a_plan_file_that_does_not_parse_makes_the_month_red_and_is_shown() {
    let m = mission();
    m.write(
        "b.plan",
        "plan SAT-B \"Backup\" {\n  horizon 2025/060 00:00 .. 2025/091 00:00\n}}\n",
    );
    let (code, out, err) = m.run(&["--format", "json"]);
    assert_eq!(code, 0, "{err}");
    // Said on standard error, with its place ...
    assert!(
        err.contains("b.plan:3:2: error[E001]: expected one of"),
        "{err}"
    );
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    // ... never a green month: the file may hold a plan of the month.
    assert_eq!(json["status"], "red");
    let reasons = json["reasons"].to_string();
    assert!(
        reasons.contains("the consistency check of the plans fails in b.plan (1 error), a file holding no plan that could be read"),
        "{reasons}"
    );
    // The finding itself is in the technical annex.
    let findings = texts(&json["check_findings"]);
    assert!(
        findings[0].starts_with("b.plan:3:2: error[E001]:"),
        "{findings:#?}"
    );
}

#[test]
fn a_failing_plans_findings_are_listed_in_the_annex() {
    let m = mission();
    m.write(
        "p.plan",
        &PLAN.replace("by FD   kind dam", "by FD   kind dam   after A9"),
    );
    let (code, out, err) = m.run(&["--format", "md"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("### Findings of the plans' consistency check"),
        "{out}"
    );
    let line = out
        .lines()
        .find(|l| l.starts_with("- p.plan:") && l.contains("error\\["))
        .unwrap_or_else(|| panic!("no located error in the annex:\n{out}"));
    assert!(line.contains("A9"), "{line}");
    assert!(err.contains("p.plan:") && err.contains(": error["), "{err}");
}

#[test]
fn a_misspelt_manifest_key_is_one_error_naming_the_key_meant() {
    let m = mission();
    m.write(
        "monthly.yaml",
        &MANIFEST.replace("as_flown: as-flown.csv", "asflown: as-flown.csv"),
    );
    let err = m.refused();
    assert!(
        err.contains("monthly.yaml:3:1: error: unknown key `asflown`: did you mean `as_flown`?"),
        "{err}"
    );
    assert!(!err.contains("no as-flown log"), "{err}");
}

#[test]
fn a_cdms_mistyped_year_is_reported_beside_its_other_problems() {
    let m = mission();
    m.write("monthly.yaml", &format!("{MANIFEST}cdm: cdm/\n"));
    m.write(
        "cdm/a.kvn",
        &CDM.replace("CREATION_DATE = 2025-03-08", "CREATION_DATE = 2205-03-08")
            .replace("900 [m]", "900 [ft]"),
    );
    let err = m.refused();
    assert!(
        err.contains("cdm/a.kvn:2: error: CREATION_DATE `2205-03-08T10:00:00.000` is after the report is made"),
        "{err}"
    );
    assert!(
        err.contains("cdm/a.kvn:6: error: `MISS_DISTANCE` in [ft]"),
        "{err}"
    );
}

#[test]
fn date_only_cells_stay_dates_and_give_one_error_each() {
    let m = mission();
    // A cancelled activity with dates alone: shown as a date, no made-up 00:00.
    m.write(
        "as-flown.csv",
        &AS_FLOWN.replace(
            "A2,2025-03-07 10:00,2025-03-07 10:30,done,",
            "A2,2025-03-07,2025/066,cancelled,",
        ),
    );
    let (code, out, err) = m.run(&["--format", "md"]);
    assert_eq!(code, 0, "{err}");
    let row = out
        .lines()
        .find(|l| l.contains("| A2 "))
        .unwrap_or_else(|| panic!("no A2 row:\n{out}"));
    assert!(row.contains("| 2025-03-07 |"), "{row}");
    assert!(!row.contains("00:00 .."), "{row}");
    // A partial activity's end with no time of day: that error alone, not also "before
    // the start".
    m.write(
        "as-flown.csv",
        &AS_FLOWN.replace(
            "A2,2025-03-07 10:00,2025-03-07 10:30,done,",
            "A2,2025-03-07 10:00,2025/066,partial,",
        ),
    );
    let err = m.refused();
    assert!(
        err.contains("as-flown.csv:3:21: error: the actual end `2025/066` has no time of day"),
        "{err}"
    );
    assert!(!err.contains("is before the actual start"), "{err}");
}

#[test]
fn the_project_file_is_an_input_of_the_provenance() {
    let m = mission();
    m.write("opsplan.yaml", "inputs: [p.plan]\n");
    let json = m.json();
    let inputs = json["provenance"]["inputs"].to_string();
    assert!(inputs.contains("\"opsplan.yaml\""), "{inputs}");
}

#[test]
fn nonsensical_targets_and_limits_are_located_errors() {
    let m = mission();
    m.write(
        "monthly.yaml",
        &format!(
            "{MANIFEST}targets:\n  completion: {{ target: 95, amber: 99 }}\n  on_time: {{ target: 150, amber: 80 }}\n  change_requests: {{ target: 8, amber: 5 }}\nrag:\n  major_open_days: -3\nissue_date: 2025-04-02 10:00\n"
        ),
    );
    let err = m.refused();
    for expected in [
        "monthly.yaml:7:3: error: targets: completion: amber 99 is above the target 95: higher is better",
        "monthly.yaml:8:3: error: targets: on_time: target 150 is not a percentage (0 to 100)",
        "monthly.yaml:9:3: error: targets: change_requests: amber 5 is below the target 8: lower is better",
        "monthly.yaml:11:3: error: rag: major_open_days is -3",
        "monthly.yaml:12:13: error: `2025-04-02 10:00` is not a date",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
}
