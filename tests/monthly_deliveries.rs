//! `opsplan report monthly` with a software-delivery log (`deliveries:` in monthly.yaml),
//! on a small month of another mission (TESTSAT, March 2025): the section in HTML,
//! Markdown and JSON; each malformed row a located error (exit 2, nothing written); an
//! anomaly a delivery closes but the register holds open, a warning. The example month's
//! section is in the snapshots of tests/monthly.rs.

mod common;

use common::mission::Mission;

const PLAN: &str = r#"plan SAT-M03 "March operations" {
  mission "TESTSAT"
  horizon 2025/060 00:00 .. 2025/091 00:00
  roles FD
  activity A1 "Pass" {
    at 2025/065 09:00   lasts 30m   by FD   kind pass
  }
}
"#;

const MANIFEST: &str = "month: 2025-03
plans: .
as_flown: as-flown.csv
anomalies: anomalies.csv
deliveries: deliveries.csv
";

const AS_FLOWN: &str = "Activity,Actual start,Actual end,Status
A1,2025-03-06 09:00,2025-03-06 09:30,done
";

const ANOMALIES: &str = "ID,Opened,Closed,Severity,Title
AR-0155,2025-02-20,2025-03-12,major,CDM ingestion stalled (orbit chain feed)
AR-0160,2025-03-02,2025-03-20,minor,Station designation file <late>
AR-0169,2025-03-25,,minor,Orbit determination residuals above 50 m
";

const DELIVERIES: &str = "Software,Version,Date,Kind,Modules,Anomalies closed,Comment
SCOOP,5.3.0,2025-02-17,minor,Orbit determination,,February release
SCOOP,5.3.1,2025-03-10,patch,CDM ingestion; Station designation,AR-0155 AR-0160,Installed in the chain restart
STP export,2.7.3,2025-03-12,hotfix,,,
";

/// A mission folder: `opsplan.yaml`, the plan, the manifest and the registers above, and
/// whatever a test writes over them.
fn mission() -> Mission {
    Mission::with(&[
        ("opsplan.yaml", ""),
        ("p.plan", PLAN),
        ("monthly.yaml", MANIFEST),
        ("as-flown.csv", AS_FLOWN),
        ("anomalies.csv", ANOMALIES),
        ("deliveries.csv", DELIVERIES),
    ])
}

fn with_deliveries(rows: &str) -> Mission {
    let m = mission();
    m.write(
        "deliveries.csv",
        &format!("Software,Version,Date,Kind,Modules,Anomalies closed,Comment\n{rows}"),
    );
    m
}

#[test]
fn the_section_lists_the_months_deliveries_with_the_anomalies_they_close() {
    let m = mission();
    let json: serde_json::Value = serde_json::from_str(&m.report("json")).expect("JSON");
    let d = &json["deliveries"];
    assert_eq!(d["count"], 2, "the February delivery is not counted");
    assert_eq!(d["anomalies_closed"], 2);
    assert_eq!(
        d["summary"],
        "2 software deliveries in March 2025, closing 2 anomalies."
    );
    let list = d["list"].as_array().expect("list");
    assert_eq!(list[0]["software"], "SCOOP");
    assert_eq!(list[0]["version"], "5.3.1");
    assert_eq!(list[0]["kind"], "patch");
    assert_eq!(list[0]["date"], "2025-03-10");
    assert_eq!(list[0]["date_iso"], "2025-03-10");
    assert_eq!(
        list[0]["modules"],
        serde_json::json!(["CDM ingestion", "Station designation"])
    );
    assert_eq!(list[0]["anomalies"][0]["id"], "AR-0155");
    assert_eq!(
        list[0]["anomalies"][0]["title"],
        "CDM ingestion stalled (orbit chain feed)"
    );
    assert_eq!(list[1]["kind"], "hotfix");
    assert_eq!(list[1]["anomalies"], serde_json::json!([]));
    let notes: Vec<&str> = json["input_notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter_map(|n| n.as_str())
        .collect();
    assert!(
        notes.contains(&"deliveries.csv:2:13: note: 1 delivery of the log is outside March 2025 and is not counted (the first here: SCOOP 5.3.0, 2025-02-17)"),
        "{notes:#?}"
    );
    assert!(json["warnings"].as_array().expect("warnings").is_empty());

    let html = m.report("html");
    let section = &html[html
        .find("<section id=\"deliveries-section\">")
        .expect("the section")..];
    let section = &section[..section.find("</section>").expect("its end")];
    assert!(section.contains("<table id=\"deliveries\">"), "{section}");
    assert!(section.contains("2 software deliveries in March 2025, closing 2 anomalies."));
    assert_eq!(section.matches("<tr>").count(), 3, "a header and two rows");
    // Register text is escaped.
    assert!(
        section.contains("Station designation file &lt;late&gt;"),
        "{section}"
    );
    assert!(!section.contains("<late>"));

    let md = m.report("md");
    assert!(md.contains("## 10. Software deliveries"), "{md}");
    assert!(
        md.contains("| SCOOP | 5.3.1 | patch | 2025-03-10 | CDM ingestion, Station designation | AR-0155: CDM ingestion stalled (orbit chain feed); AR-0160: Station designation file &lt;late&gt; | Installed in the chain restart |"),
        "{md}"
    );
}

#[test]
fn dates_follow_the_reports_notation() {
    let m = mission();
    m.write("monthly.yaml", &format!("{MANIFEST}dates: day-of-year\n"));
    let json: serde_json::Value = serde_json::from_str(&m.report("json")).expect("JSON");
    let first = &json["deliveries"]["list"][0];
    assert_eq!(first["date"], "2025/069");
    assert_eq!(first["date_iso"], "2025-03-10");
}

#[test]
fn without_the_key_the_section_is_left_out_and_the_annex_names_it() {
    let m = mission();
    m.write(
        "monthly.yaml",
        &MANIFEST.replace("deliveries: deliveries.csv\n", ""),
    );
    let json: serde_json::Value = serde_json::from_str(&m.report("json")).expect("JSON");
    assert!(json["deliveries"].is_null());
    let html = m.report("html");
    assert!(!html.contains("id=\"deliveries"));
    assert!(html.contains(
        "No software-delivery log was given: the software deliveries section is left out."
    ));
    let annex = &html[html.find("id=\"technical-annex\"").expect("annex")..];
    assert!(
        annex.contains("The software-delivery log: `deliveries:`"),
        "{annex}"
    );
}

#[test]
fn an_anomaly_the_register_lacks_is_an_error_at_its_cell_with_did_you_mean() {
    with_deliveries("SCOOP,5.3.1,2025-03-10,patch,,AR-0515,\n").refused_with(&[
        "deliveries.csv:2:31: error: anomaly `AR-0515` is not in the anomaly register; did you mean `AR-0155`?",
    ]);
}

#[test]
fn a_bad_delivery_date_is_an_error_at_its_cell() {
    with_deliveries(
        "SCOOP,5.3.1,2025-03-32,patch,,,\n\
         SCOOP,5.3.2,2205-03-12,patch,,,\n\
         SCOOP,5.3.3,12/03/2025,patch,,,\n",
    )
    .refused_with(&[
        "deliveries.csv:2:13: error: date: `2025-03-32` is not a time",
        "deliveries.csv:3:13: error: date `2205-03-12` is after the report is made",
        "deliveries.csv:4:13: error: date: `12/03/2025` is not a time (a date written with slashes is ambiguous",
    ]);
}

#[test]
fn a_delivery_listed_twice_is_an_error_naming_the_first() {
    with_deliveries(
        "SCOOP,5.3.1,2025-03-10,patch,,,\n\
         STP export,5.3.1,2025-03-11,patch,,,\n\
         Scoop,5.3.1,2025-03-12,patch,,,\n",
    )
    .refused_with(&[
        "deliveries.csv:4:7: error: delivery `Scoop 5.3.1` is listed twice (first at line 2, column 7)",
    ]);
}

#[test]
fn a_missing_version_is_an_error_at_its_cell() {
    with_deliveries("SCOOP,,2025-03-10,patch,,,\n").refused_with(&[
        "deliveries.csv:2:7: error: the version is empty: every delivery names the version delivered",
    ]);
    let m = mission();
    m.write("deliveries.csv", "Software,Date\nSCOOP,2025-03-10\n");
    m.refused_with(&[
        "deliveries.csv:1:1: error: the header row has no `version` column (columns found: `Software`, `Date`)",
    ]);
}

#[test]
fn every_bad_row_is_reported_in_one_run() {
    with_deliveries(
        "SCOOP,,2025-03-10,patch,,,\n\
         SCOOP,5.3.1,2025-03-32,sometimes,,AR-9,\n",
    )
    .refused_with(&[
        "deliveries.csv:2:7: error: the version is empty",
        "deliveries.csv:3:13: error: date: `2025-03-32` is not a time",
        "deliveries.csv:3:24: error: unknown delivery kind `sometimes`: the kinds are `major`, `minor`, `patch` or `hotfix`",
        "deliveries.csv:3:35: error: anomaly `AR-9` is not in the anomaly register",
    ]);
}

#[test]
fn an_anomaly_closed_by_a_delivery_but_open_in_the_register_is_a_warning() {
    let m = with_deliveries("SCOOP,5.4.1,2025-03-28,hotfix,Orbit determination,AR-0169,\n");
    let json: serde_json::Value = serde_json::from_str(&m.report("json")).expect("JSON");
    let warnings = json["warnings"].as_array().expect("warnings");
    assert_eq!(
        warnings[0],
        "deliveries.csv:2:51: warning: SCOOP 5.4.1 (2025-03-28) closes anomaly `AR-0169`, which the anomaly register still has open at the end of March 2025",
        "{warnings:#?}"
    );
    assert_eq!(json["deliveries"]["anomalies_closed"], 1);
}

#[test]
fn without_an_anomaly_register_the_ids_are_shown_as_written() {
    let m = mission();
    m.write(
        "monthly.yaml",
        &MANIFEST.replace("anomalies: anomalies.csv\n", ""),
    );
    let json: serde_json::Value = serde_json::from_str(&m.report("json")).expect("JSON");
    let first = &json["deliveries"]["list"][0]["anomalies"];
    assert_eq!(
        first,
        &serde_json::json!([{"id": "AR-0155", "title": ""}, {"id": "AR-0160", "title": ""}])
    );
}

/// A row of [`delivery_workbook`]: software, version, date (year, month, day), fixes.
type WorkbookRow<'a> = (&'a str, &'a str, (u16, u8, u8), &'a str);

/// A delivery log workbook: sheet "Deliveries", dates as Excel dates.
fn delivery_workbook(rows: &[WorkbookRow]) -> Vec<u8> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let when = ExcelDateTime::from_ymd(2025, 3, 31).expect("date");
    wb.set_properties(&DocProperties::new().set_creation_datetime(&when));
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let ws = wb.add_worksheet();
    ws.set_name("Cover").expect("name");
    ws.write(0, 0, "Delivery log of the orbit chain")
        .expect("cover");
    let ws = wb.add_worksheet();
    ws.set_name("Deliveries").expect("name");
    for (c, h) in ["Product", "Release", "Delivered", "Fixes"]
        .iter()
        .enumerate()
    {
        ws.write(0, c as u16, *h).expect("header");
    }
    for (i, (software, version, (y, m, d), fixes)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write(r, 0, *software).expect("software");
        ws.write(r, 1, *version).expect("version");
        let dt = ExcelDateTime::from_ymd(*y, *m, *d).expect("date");
        ws.write_datetime_with_format(r, 2, &dt, &date)
            .expect("date");
        if !fixes.is_empty() {
            ws.write(r, 3, *fixes).expect("fixes");
        }
    }
    wb.save_to_buffer().expect("workbook")
}

#[test]
fn a_workbook_log_is_read_from_its_sheet_and_located_by_cell() {
    let m = mission();
    m.write(
        "monthly.yaml",
        &MANIFEST.replace(
            "deliveries: deliveries.csv\n",
            "deliveries: deliveries.xlsx\ndeliveries_sheet: Deliveries\n",
        ),
    )
    .write_bytes(
        "deliveries.xlsx",
        &delivery_workbook(&[("SCOOP", "5.3.1", (2025, 3, 10), "AR-0155")]),
    );
    let json: serde_json::Value = serde_json::from_str(&m.report("json")).expect("JSON");
    assert_eq!(json["deliveries"]["list"][0]["date"], "2025-03-10");
    assert_eq!(json["deliveries"]["source"], "deliveries.xlsx");

    m.write_bytes(
        "deliveries.xlsx",
        &delivery_workbook(&[
            ("SCOOP", "5.3.1", (2025, 3, 10), "AR-0155"),
            ("SCOOP", "5.3.2", (2025, 3, 11), "AR-0515"),
            ("SCOOP", "5.3.1", (2025, 3, 12), ""),
            ("SCOOP", "5.3.3", (1914, 3, 12), ""),
        ]),
    )
    .refused_with(&[
        "deliveries.xlsx: sheet 'Deliveries' cell D3: error: anomaly `AR-0515` is not in the anomaly register; did you mean `AR-0155`?",
        "deliveries.xlsx: sheet 'Deliveries' cell B4: error: delivery `SCOOP 5.3.1` is listed twice (first in cell B2)",
        "deliveries.xlsx: sheet 'Deliveries' cell C5: error: date `1914-03-12T00:00:00` is before 1957-10-04",
    ]);
}

#[test]
fn the_flag_takes_the_place_of_the_manifests_log() {
    let m = mission();
    m.write(
        "monthly.yaml",
        &MANIFEST.replace("deliveries: deliveries.csv\n", ""),
    );
    m.write("other.csv", "Software,Version,Date\nFDS,1.2,2025-03-05\n");
    let (code, out, err) = m.run(&["--deliveries", "other.csv", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(json["deliveries"]["count"], 1);
    assert_eq!(json["deliveries"]["list"][0]["software"], "FDS");
}
