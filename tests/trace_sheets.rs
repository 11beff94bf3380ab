//! The CSV and XLSX matrices of `opsplan trace` as evidence (issue #16): every trace that
//! covers nothing is listed (CSV rows marked `trace`, the XLSX sheet "Dangling traces"),
//! numbers are numbers and ids stay text, every table sheet has an autofilter and a
//! frozen header row, every status has a style of its own with a legend; and the
//! DOORS Next object type (`Artifact Type`) selects what needs coverage.
//!
//! The workbook is read back with calamine (values and their types) and as the XML of
//! its sheets (filters, panes, styles), as Excel would.

use assert_cmd::Command;
use calamine::{Data, Reader};
use std::path::Path;

fn opsplan() -> Command {
    let mut c = Command::cargo_bin("opsplan").expect("binary built");
    c.env_remove("NO_COLOR").env_remove("SOURCE_DATE_EPOCH");
    c
}

/// A mission whose one activity gives every requirement status and every trace status:
/// OPS-1 covered, OPS-2 suspect (a recorded fingerprint that is not its own), OPS-3
/// uncovered, OPS-4 justified, `0012` not required (not an `OPS-` id), OPS-6 withdrawn
/// (and cited), OPS-7 duplicate (in both exports, and cited: ambiguous), OPS-11 dangling.
fn every_status() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("plan.plan"),
        "plan FIX \"Fixture\" {\n  horizon 2014/272 00:00 .. 2014/279 00:00\n  roles MCC-M\n  activity A1 \"Propellant transfer\" {\n    at 2014/273 09:00 lasts 40m by MCC-M\n    covers OPS-1, OPS-2@deadbeef, OPS-6, OPS-7, OPS-11\n  }\n}\n",
    )
    .unwrap();
    std::fs::write(
        d.join("reqs.csv"),
        "Module,Object Identifier,Object Level,Object Heading,Object Text,Status,Absolute Number,Code,Weight\n\
         Ops,H-1,1,Transfers,,,1,,\n\
         Ops,OPS-1,2,,Covered requirement.,,2,,\n\
         Ops,OPS-2,2,,Suspect requirement.,,3,,\n\
         Ops,OPS-3,2,,Uncovered requirement.,,4,,\n\
         Ops,OPS-4,2,,Justified requirement.,,5,,\n\
         Ops,0012,2,,Not required: not an OPS- id.,,6,0012,2.5\n\
         Ops,OPS-6,2,,Withdrawn requirement.,Deleted,7,,\n\
         Ops,OPS-7,2,,First of two.,,8,,\n",
    )
    .unwrap();
    std::fs::write(
        d.join("more.csv"),
        "Object Identifier,Object Text\nOPS-7,Second of two.\n",
    )
    .unwrap();
    std::fs::write(
        d.join("opsplan.yaml"),
        "requirements:\n  sources: [reqs.csv, more.csv]\n  need:\n    prefixes: [OPS-]\n  justified:\n    OPS-4: \"Verified by review\"\n",
    )
    .unwrap();
    dir
}

/// `opsplan trace . ARGS` run in `dir`: (exit code, stdout, stderr).
fn trace_in(dir: &Path, args: &[&str]) -> (Option<i32>, Vec<u8>, String) {
    let out = opsplan()
        .current_dir(dir)
        .args(["trace", "."])
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1412121600")
        .output()
        .unwrap();
    (
        out.status.code(),
        out.stdout,
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn sheet(path: &Path, name: &str) -> calamine::Range<Data> {
    let mut wb = calamine::open_workbook_auto(path).expect("a readable workbook");
    wb.worksheet_range(name).expect("the sheet")
}

/// The rows of a sheet, each cell as calamine reads it.
fn rows(path: &Path, name: &str) -> Vec<Vec<Data>> {
    sheet(path, name).rows().map(<[Data]>::to_vec).collect()
}

fn s(text: &str) -> Data {
    Data::String(text.to_string())
}

/// The XML of the `n`th sheet (1-based, in workbook order).
fn sheet_xml(path: &Path, n: usize) -> String {
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name(&format!("xl/worksheets/sheet{n}.xml")).unwrap(),
        &mut xml,
    )
    .unwrap();
    xml
}

/// The style index (`s="…"`) of a cell (`B7`) in a sheet's XML; 0 when it has none.
fn style_of(xml: &str, cell: &str) -> u32 {
    let start = xml
        .find(&format!("<c r=\"{cell}\""))
        .unwrap_or_else(|| panic!("no cell {cell}"));
    let tag = &xml[start..start + xml[start..].find('>').unwrap()];
    tag.split(" s=\"")
        .nth(1)
        .map_or(0, |rest| rest[..rest.find('"').unwrap()].parse().unwrap())
}

fn workbook(dir: &Path) -> (std::path::PathBuf, Vec<u8>) {
    let path = dir.join("matrix.xlsx");
    let (code, out, err) = trace_in(dir, &["--format", "xlsx", "-o", "matrix.xlsx"]);
    assert_eq!(code, Some(1), "trace defects: {err}");
    assert!(out.is_empty());
    let bytes = std::fs::read(&path).expect("the workbook is written");
    (path, bytes)
}

#[test]
fn the_workbook_lists_every_trace_that_covers_nothing() {
    let dir = every_status();
    let (path, first) = workbook(dir.path());
    let wb = calamine::open_workbook_auto(&path).unwrap();
    assert_eq!(
        wb.sheet_names(),
        ["Summary", "Matrix", "Requirements", "Dangling traces"]
    );
    let dangling = rows(&path, "Dangling traces");
    assert_eq!(
        dangling,
        [
            [
                "Cited id",
                "Status",
                "Did you mean",
                "Cited by",
                "In",
                "File",
                "Line",
                "Column",
                "Requirement text"
            ]
            .map(s)
            .to_vec(),
            vec![
                s("OPS-6"),
                s("withdrawn"),
                Data::Empty,
                s("activity A1"),
                s("FIX"),
                s("plan.plan"),
                Data::Float(6.0),
                Data::Float(35.0),
                s("Withdrawn requirement."),
            ],
            vec![
                s("OPS-7"),
                s("ambiguous"),
                Data::Empty,
                s("activity A1"),
                s("FIX"),
                s("plan.plan"),
                Data::Float(6.0),
                Data::Float(42.0),
                s("First of two."),
            ],
            vec![
                s("OPS-11"),
                s("dangling"),
                s("OPS-1"),
                s("activity A1"),
                s("FIX"),
                s("plan.plan"),
                Data::Float(6.0),
                Data::Float(49.0),
                Data::Empty,
            ],
        ]
    );
    // Line and column point at the id in the plan.
    let plan = std::fs::read_to_string(dir.path().join("plan.plan")).unwrap();
    let line6 = plan.lines().nth(5).unwrap();
    assert_eq!(&line6[48..54], "OPS-11");
    // The same inputs and epoch: the same bytes.
    assert_eq!(first, workbook(dir.path()).1);
}

#[test]
fn numbers_are_numbers_and_ids_stay_text() {
    let dir = every_status();
    let (path, _) = workbook(dir.path());
    let reqs = rows(&path, "Requirements");
    let header: Vec<String> = reqs[0].iter().map(Data::to_string).collect();
    assert_eq!(
        header,
        [
            "Requirement",
            "Status",
            "Needs coverage",
            "Module",
            "Heading path",
            "Text",
            "Covered by",
            "Justification",
            "Export",
            "Place",
            "Absolute Number",
            "Code",
            "Status (attribute)",
            "Weight",
        ]
    );
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = |id: &str| {
        reqs.iter()
            .find(|r| r[0] == s(id))
            .unwrap_or_else(|| panic!("no row {id}"))
    };
    // `0012` is an id and a text attribute: text; the absolute number and the weight
    // are numbers in the export, and numbers in the workbook.
    let r = row("0012");
    assert_eq!(r[col("Status")], s("not-required"));
    assert_eq!(r[col("Code")], s("0012"));
    assert_eq!(r[col("Absolute Number")], Data::Float(6.0));
    assert_eq!(r[col("Weight")], Data::Float(2.5));
    assert_eq!(r[col("Heading path")], s("Transfers"));
    assert_eq!(r[col("Module")], s("Ops"));
    assert_eq!(
        row("OPS-6")[col("Status (attribute)")],
        s("Deleted"),
        "an attribute named as a column says it is one"
    );
    assert_eq!(row("OPS-4")[col("Justification")], s("Verified by review"));
    // The matrix has the module and the heading path too.
    let matrix = rows(&path, "Matrix");
    assert_eq!(
        matrix[0],
        [
            "Requirement",
            "Status",
            "Needs coverage",
            "Module",
            "Heading path",
            "Text",
            "activity A1"
        ]
        .map(s)
    );
    let r1 = matrix.iter().find(|r| r[0] == s("OPS-1")).unwrap();
    assert_eq!(
        r1[..],
        [
            "OPS-1",
            "covered",
            "yes",
            "Ops",
            "Transfers",
            "Covered requirement.",
            "covers"
        ]
        .map(s)
    );
    // The summary's counts and coverage are numbers.
    let summary = rows(&path, "Summary");
    let value = |key: &str| {
        summary
            .iter()
            .find(|r| r[0] == s(key))
            .unwrap_or_else(|| panic!("no row {key}"))[1]
            .clone()
    };
    assert_eq!(value("Requirements"), Data::Float(8.0));
    // OPS-1 to OPS-4 and both OPS-7; OPS-1 and OPS-2 (suspect) are covered.
    assert_eq!(value("Needing coverage"), Data::Float(6.0));
    assert_eq!(value("Covered"), Data::Float(2.0));
    assert_eq!(value("Coverage (%)"), Data::Float(33.3));
    assert_eq!(value("Requirements withdrawn"), Data::Float(1.0));
    assert_eq!(value("Links dangling"), Data::Float(1.0));
    assert_eq!(value("Links covers"), Data::Float(1.0));
    assert_eq!(
        value("Traces that cover nothing (sheet Dangling traces)"),
        Data::Float(3.0)
    );
    assert_eq!(value("Verdict"), s("defects"));
}

#[test]
fn every_table_sheet_has_a_filter_and_a_frozen_header() {
    let dir = every_status();
    let (path, _) = workbook(dir.path());
    for (n, name, columns, rows) in [
        (2, "Matrix", "G", 9),
        (3, "Requirements", "N", 9),
        (4, "Dangling traces", "I", 4),
    ] {
        let xml = sheet_xml(&path, n);
        assert!(
            xml.contains(&format!("<autoFilter ref=\"A1:{columns}{rows}\"/>")),
            "{name}: {xml}"
        );
        let pane = &xml[xml.find("<pane ").expect(name)..];
        let pane = &pane[..pane.find("/>").unwrap()];
        assert!(pane.contains("ySplit=\"1\""), "{name}: {pane}");
        assert!(pane.contains("state=\"frozen\""), "{name}: {pane}");
    }
    // The summary is no table: no filter.
    assert!(!sheet_xml(&path, 1).contains("<autoFilter"));
}

#[test]
fn every_status_has_its_own_style_and_a_line_in_the_legend() {
    let dir = every_status();
    let (path, _) = workbook(dir.path());
    let summary = rows(&path, "Summary");
    let top = summary
        .iter()
        .position(|r| r[0] == s("Status legend"))
        .expect("a legend");
    assert_eq!(
        summary[top + 1][..4],
        ["Status", "Of", "Fails the trace", "Meaning"].map(s)
    );
    let legend: Vec<(String, String, String, usize)> = summary[top + 2..]
        .iter()
        .enumerate()
        .map(|(i, r)| {
            (
                r[0].to_string(),
                r[1].to_string(),
                r[2].to_string(),
                top + 3 + i,
            )
        })
        .collect();
    let names: Vec<(&str, &str, &str)> = legend
        .iter()
        .map(|(a, b, c, _)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("covered", "requirement", "no"),
            ("suspect", "requirement", "yes"),
            ("uncovered", "requirement", "yes"),
            ("justified", "requirement", "no"),
            ("not-required", "requirement", "no"),
            ("withdrawn", "requirement", "no"),
            ("duplicate", "requirement", "yes"),
            ("covers", "trace", "no"),
            ("suspect", "trace", "yes"),
            ("dangling", "trace", "yes"),
            ("withdrawn", "trace", "yes"),
            ("ambiguous", "trace", "yes"),
        ]
    );
    let xml = sheet_xml(&path, 1);
    let style: std::collections::BTreeMap<(String, String), u32> = legend
        .iter()
        .map(|(st, of, _, row)| ((st.clone(), of.clone()), style_of(&xml, &format!("A{row}"))))
        .collect();
    let of_requirements: std::collections::BTreeSet<u32> = style
        .iter()
        .filter(|((_, of), _)| of == "requirement")
        .map(|(_, s)| *s)
        .collect();
    assert_eq!(of_requirements.len(), 7, "seven distinct styles: {style:?}");
    assert!(!of_requirements.contains(&0));
    let at = |st: &str, of: &str| style[&(st.to_string(), of.to_string())];
    assert!(!of_requirements.contains(&at("dangling", "trace")));
    assert_eq!(at("covers", "trace"), at("covered", "requirement"));
    assert_eq!(at("ambiguous", "trace"), at("duplicate", "requirement"));
    // The sheets use the legend's styles: each status cell of the Requirements sheet
    // (column B) is in its status's style.
    let reqs = rows(&path, "Requirements");
    let xml = sheet_xml(&path, 3);
    for (i, r) in reqs.iter().enumerate().skip(1) {
        let st = r[1].to_string();
        assert_eq!(
            style_of(&xml, &format!("B{}", i + 1)),
            at(&st, "requirement"),
            "{st}"
        );
    }
    let statuses: std::collections::BTreeSet<String> =
        reqs.iter().skip(1).map(|r| r[1].to_string()).collect();
    assert_eq!(
        statuses.len(),
        7,
        "the mission has every status: {statuses:?}"
    );
}

#[test]
fn the_csv_is_one_table_whose_trace_rows_are_marked() {
    let dir = every_status();
    let (code, out, err) = trace_in(dir.path(), &["--format", "csv"]);
    assert_eq!(code, Some(1), "{err}");
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.split_inclusive('\n').all(|l| l.ends_with("\r\n")),
        "CRLF"
    );
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(records.iter().all(|r| r.len() == 11), "one table");
    let kinds: Vec<&str> = records.iter().map(|r| &r[0]).collect();
    assert_eq!(
        kinds,
        [
            "Record",
            "requirement",
            "requirement",
            "requirement",
            "requirement",
            "requirement",
            "requirement",
            "requirement",
            "requirement",
            "trace",
            "trace",
            "trace"
        ]
    );
    insta::assert_snapshot!("every_status_csv", text.replace('\r', "␍"));
}

#[test]
fn artifact_type_selects_what_needs_coverage() {
    // A DOORS Next-like ReqIF: each object of a named type. Information needs no coverage.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let object = |id: &str, t: &str, text: &str| {
        format!(
            "<SPEC-OBJECT IDENTIFIER=\"o{id}\"><TYPE><SPEC-OBJECT-TYPE-REF>{t}</SPEC-OBJECT-TYPE-REF></TYPE><VALUES>\
             <ATTRIBUTE-VALUE-STRING THE-VALUE=\"AMR-{id}\"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>{t}-id</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>\
             <ATTRIBUTE-VALUE-STRING THE-VALUE=\"{text}\"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>{t}-text</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>\
             </VALUES></SPEC-OBJECT>"
        )
    };
    let spec_type = |t: &str, name: &str| {
        format!(
            "<SPEC-OBJECT-TYPE IDENTIFIER=\"{t}\" LONG-NAME=\"{name}\"><SPEC-ATTRIBUTES>\
             <ATTRIBUTE-DEFINITION-STRING IDENTIFIER=\"{t}-id\" LONG-NAME=\"ReqIF.ForeignID\"><TYPE><DATATYPE-DEFINITION-STRING-REF>s</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING>\
             <ATTRIBUTE-DEFINITION-STRING IDENTIFIER=\"{t}-text\" LONG-NAME=\"ReqIF.Text\"><TYPE><DATATYPE-DEFINITION-STRING-REF>s</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING>\
             </SPEC-ATTRIBUTES></SPEC-OBJECT-TYPE>"
        )
    };
    let reqif = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<REQ-IF xmlns=\"http://www.omg.org/spec/ReqIF/20110401/reqif.xsd\"><CORE-CONTENT><REQ-IF-CONTENT>\
         <DATATYPES><DATATYPE-DEFINITION-STRING IDENTIFIER=\"s\" LONG-NAME=\"String\" MAX-LENGTH=\"1000\"/></DATATYPES>\
         <SPEC-TYPES>{}{}{}</SPEC-TYPES><SPEC-OBJECTS>{}{}{}</SPEC-OBJECTS>\
         </REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>\n",
        spec_type("stk", "Stakeholder Requirement"),
        spec_type("sys", "System Requirement"),
        spec_type("inf", "Information"),
        object("101", "stk", "The meter shall be read monthly."),
        object("102", "sys", "The reader shall store 400 readings."),
        object("103", "inf", "Meters are read by the utility."),
    );
    std::fs::write(d.join("module.reqif"), reqif).unwrap();
    std::fs::write(
        d.join("plan.plan"),
        "plan FIX \"Fixture\" {\n  horizon 2014/272 00:00 .. 2014/279 00:00\n  roles MCC-M\n  activity A1 \"Reading\" {\n    at 2014/273 09:00 lasts 40m by MCC-M\n    covers AMR-101\n  }\n}\n",
    )
    .unwrap();
    std::fs::write(
        d.join("opsplan.yaml"),
        "requirements:\n  sources: module.reqif\n  need: { attribute: Artifact Type, values: [Stakeholder Requirement, System Requirement] }\n",
    )
    .unwrap();
    let (code, out, err) = trace_in(d, &["--format", "json"]);
    assert_eq!(code, Some(1), "AMR-102 is uncovered: {err}");
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let statuses: Vec<(String, String)> = json["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].to_string(), r["status"].to_string()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("\"AMR-101\"".to_string(), "\"covered\"".to_string()),
            ("\"AMR-102\"".to_string(), "\"uncovered\"".to_string()),
            ("\"AMR-103\"".to_string(), "\"not-required\"".to_string()),
        ]
    );
    // `reqs list` shows the attribute as it shows the others.
    let out = opsplan()
        .current_dir(d)
        .args(["reqs", "list", "module.reqif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("AMR-103  [requirement]\n  | Meters are read by the utility.\n  Artifact Type: Information\n"),
        "{text}"
    );
}

#[test]
fn a_text_longer_than_a_cell_is_cut_and_says_so() {
    // Excel holds 32,767 characters in a cell: a longer requirement text used to make the
    // workbook fail; it is cut, and the cell says where the whole text is.
    let dir = every_status();
    let long = "The tank pressure shall stay below 22 bar. ".repeat(1_000);
    std::fs::write(
        dir.path().join("more.csv"),
        format!("Object Identifier,Object Text\nOPS-8,{long}\n"),
    )
    .unwrap();
    let (path, _) = workbook(dir.path());
    let reqs = rows(&path, "Requirements");
    let r = reqs.iter().find(|r| r[0] == s("OPS-8")).unwrap();
    let cell = r[5].to_string();
    assert!(cell.starts_with("The tank pressure shall stay below 22 bar."));
    assert!(
        cell.ends_with("… [cut here: a cell holds at most 32767 characters, this text has 42999; the export holds all of it]"),
        "{}",
        &cell[cell.len() - 200..]
    );
    assert!(cell.chars().count() <= 32_767);
}
