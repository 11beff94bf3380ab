//! Hostile requirement exports and spreadsheets through the binary, every run under
//! `common::limited()` (2 GiB of address space, 60 s of CPU): workbooks whose cells lie
//! far apart, shared strings used thousands of times, cell references no sheet has, XLS
//! and ODS files that would lay out billions of cells, modules nested a million headings
//! deep, and the silent wrong answers (an empty requirements folder, a ReqIFz with two
//! members of one name, a CSV mixing encodings or ending inside a quote, characters XML
//! 1.0 does not allow). Each is read, or refused with one located finding; none crashes,
//! and none prints panic text.

use std::io::Write;
use std::path::Path;

// Not every helper of `common` is used here.
#[allow(dead_code)]
mod common;

/// Runs the binary under the hostile-input limits in `dir`; (exit code, stdout, stderr
/// with `dir` shown as `TMP`). A run killed by a limit has no exit code.
fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = common::limited()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("runs");
    let tmp = dir.to_string_lossy().replace('\\', "/");
    let clean = |b: &[u8]| String::from_utf8_lossy(b).replace(&tmp, "TMP");
    (out.status.code(), clean(&out.stdout), clean(&out.stderr))
}

/// Asserts a refusal: exit 2, no panic text; returns stdout then stderr (`reqs list`
/// prints its findings with what it could read on stdout, `trace` on stderr).
fn refused(dir: &Path, args: &[&str]) -> String {
    let (code, out, err) = run(dir, args);
    assert_eq!(code, Some(2), "stdout: {out}\nstderr: {err}");
    assert!(
        !err.contains("panicked") && !out.contains("panicked"),
        "{err}"
    );
    format!("{out}{err}")
}

/// A zip archive of the given members (deflated).
fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        w.start_file(*name, opts).expect("member");
        w.write_all(bytes).expect("written");
    }
    w.finish().expect("archive").into_inner()
}

/// A hand-made XLSX: one sheet `Objects` with the given `<sheetData>` content, and a
/// shared-string table when given.
fn xlsx(sheet_data: &str, shared: Option<&str>) -> Vec<u8> {
    let workbook = r#"<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Objects" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#
    );
    let mut members: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", b"<?xml version=\"1.0\"?><Types/>"),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", rels.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ];
    if let Some(s) = shared {
        members.push(("xl/sharedStrings.xml", s.as_bytes()));
    }
    zip_of(&members)
}

/// An inline-string cell.
fn inline(r: &str, text: &str) -> String {
    format!(r#"<c r="{r}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// The header row of a requirement sheet: `ID`, `Text`.
fn header() -> String {
    format!(
        r#"<row r="1">{}{}</row>"#,
        inline("A1", "ID"),
        inline("B1", "Text")
    )
}

/// A shared-string table of one string.
fn one_shared_string(s: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{s}</t></si></sst>"#
    )
}

/// Rows 2.. whose id is `R-n` and whose text is the shared string 0.
fn rows_using_shared_string(n: usize) -> String {
    let mut out = header();
    for i in 2..n + 2 {
        out.push_str(&format!(
            r#"<row r="{i}">{}<c r="B{i}" t="s"><v>0</v></c></row>"#,
            inline(&format!("A{i}"), &format!("R-{i}"))
        ));
    }
    out
}

// ------------------------------------------------------------------ workbooks

#[test]
fn cells_far_apart_are_two_cells_not_a_rectangle() {
    // A1 and XFD1048576: a rectangle would be 17 billion cells (512 GiB).
    let dir = tempfile::tempdir().unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Objects").unwrap();
    ws.write_string(0, 0, "ID").unwrap();
    ws.write_string(0, 1, "Text").unwrap();
    ws.write_string(1, 0, "R-1").unwrap();
    ws.write_string(1, 1, "The unit shall start.").unwrap();
    ws.write_string(1, 16_383, "far right").unwrap();
    ws.write_string(1_048_575, 16_383, "far away").unwrap();
    wb.save(dir.path().join("far.xlsx")).unwrap();
    assert!(
        std::fs::metadata(dir.path().join("far.xlsx"))
            .unwrap()
            .len()
            < 16 * 1024
    );
    let (code, out, err) = run(dir.path(), &["reqs", "list", "far.xlsx"]);
    // The far cell's row has no id: one located finding, the rest read.
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(!err.contains("panicked"), "{err}");
    insta::assert_snapshot!("far_apart_cells", out);
}

#[test]
fn the_anomaly_register_is_read_cell_by_cell_too() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Register").unwrap();
    for (c, h) in ["ID", "Opened", "Closed", "Severity", "Title"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["AR-1", "2014-10-02", "", "minor", "Fine"]
        .iter()
        .enumerate()
    {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    ws.write_string(1_048_575, 16_383, "far away").unwrap();
    wb.save(dir.path().join("anomalies.xlsx")).unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/atv5-2014-10");
    let example = example.to_string_lossy().into_owned();
    let flown = format!("{example}/as-flown-2014-10.csv");
    let err = refused(
        dir.path(),
        &[
            "report",
            "monthly",
            "--month",
            "2014-10",
            "--plans",
            &example,
            "--as-flown",
            &flown,
            "--anomalies",
            "anomalies.xlsx",
            "-o",
            "mor.html",
        ],
    );
    assert!(!dir.path().join("mor.html").exists());
    let located: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("anomalies.xlsx"))
        .collect();
    insta::assert_snapshot!("far_apart_anomaly_register", located.join("\n"));
}

#[test]
fn a_shared_string_used_by_thousands_of_rows_stops_at_the_text_budget() {
    // 26 KB of workbook: one 1 MB shared string used by 20,000 rows would be 20 GB of
    // text. Read up to the 256 MiB budget, then one finding at the cell that passes it.
    let dir = tempfile::tempdir().unwrap();
    let big = "x".repeat(1_000_000);
    let bytes = xlsx(
        &rows_using_shared_string(20_000),
        Some(&one_shared_string(&big)),
    );
    assert!(bytes.len() < 256 * 1024, "{}", bytes.len());
    std::fs::write(dir.path().join("shared.xlsx"), &bytes).unwrap();
    let started = std::time::Instant::now();
    let err = refused(dir.path(), &["reqs", "list", "shared.xlsx"]);
    insta::assert_snapshot!("shared_string_budget", err);
    // A guard against the old behaviour (minutes), not a speed target.
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
}

#[test]
fn under_the_budget_a_shared_string_is_read_for_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let text = "The unit shall start. ".repeat(50);
    let bytes = xlsx(
        &rows_using_shared_string(2_000),
        Some(&one_shared_string(&text)),
    );
    std::fs::write(dir.path().join("shared.xlsx"), &bytes).unwrap();
    let (code, out, err) = run(dir.path(), &["reqs", "list", "shared.xlsx"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out.matches("| The unit shall start.").count(), 2_000);
}

#[test]
fn a_cell_over_a_mebibyte_is_refused_at_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let big = "y".repeat(2 * 1024 * 1024);
    let bytes = xlsx(&rows_using_shared_string(1), Some(&one_shared_string(&big)));
    std::fs::write(dir.path().join("big.xlsx"), &bytes).unwrap();
    let err = refused(dir.path(), &["reqs", "list", "big.xlsx"]);
    insta::assert_snapshot!("cell_text_limit", err);
}

#[test]
fn a_shared_string_table_declaring_billions_of_strings_is_refused() {
    // calamine reserves room for the declared count before reading the strings.
    let dir = tempfile::tempdir().unwrap();
    let sst = r#"<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="100000000000"><si><t>x</t></si></sst>"#;
    let bytes = xlsx(&rows_using_shared_string(1), Some(sst));
    std::fs::write(dir.path().join("count.xlsx"), &bytes).unwrap();
    let err = refused(dir.path(), &["reqs", "list", "count.xlsx"]);
    insta::assert_snapshot!("shared_string_count", err);
}

#[test]
fn a_shared_string_table_listing_millions_of_strings_is_refused() {
    // Five bytes of XML each (`<si/>`), a string in memory each for calamine.
    let dir = tempfile::tempdir().unwrap();
    let mut sst = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    );
    sst.push_str(&"<si/>".repeat(4 * 1024 * 1024 + 1));
    sst.push_str("</sst>");
    let bytes = xlsx(&rows_using_shared_string(1), Some(&sst));
    std::fs::write(dir.path().join("listed.xlsx"), &bytes).unwrap();
    let err = refused(dir.path(), &["reqs", "list", "listed.xlsx"]);
    assert!(
        err.contains("lists more than 4,194,304 strings, the most a workbook may hold here"),
        "{err}"
    );
}

#[test]
fn a_cell_reference_no_sheet_has_is_one_finding_without_panic_text() {
    let dir = tempfile::tempdir().unwrap();
    let data = format!(
        r#"{}<row r="2">{}{}</row>"#,
        header(),
        inline("A2", "R-1"),
        inline("ZZZZZZZ99999999999", "x")
    );
    std::fs::write(dir.path().join("ref.xlsx"), xlsx(&data, None)).unwrap();
    let err = refused(dir.path(), &["reqs", "list", "ref.xlsx"]);
    insta::assert_snapshot!("bad_cell_reference", err);
    // A row number past the sheet, and a dimension that overflows.
    let data = format!(
        r#"{}<row r="99999999999">{}</row>"#,
        header(),
        inline("A3", "R-1")
    );
    std::fs::write(dir.path().join("row.xlsx"), xlsx(&data, None)).unwrap();
    let err = refused(dir.path(), &["reqs", "list", "row.xlsx"]);
    assert!(
        err.contains("is numbered `99999999999`, which is not a row"),
        "{err}"
    );
}

#[test]
fn a_panic_inside_the_workbook_reader_is_one_finding_without_panic_text() {
    // An XLSB whose sheet record is cut short: calamine slices past its end.
    let dir = tempfile::tempdir().unwrap();
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>"#;
    // BrtBundleSh (type 156: 0x9C 0x01), 4 bytes long.
    let workbook = [0x9C, 0x01, 4, 0, 0, 0, 0];
    let bytes = zip_of(&[
        ("xl/_rels/workbook.bin.rels", rels.as_bytes()),
        ("xl/workbook.bin", &workbook),
    ]);
    std::fs::write(dir.path().join("cut.xlsb"), bytes).unwrap();
    let err = refused(dir.path(), &["reqs", "list", "cut.xlsb"]);
    assert!(err.contains("please report it"), "{err}");
    insta::with_settings!({filters => vec![(r"calamine-[0-9.]+/src/[a-z_/]+\.rs:[0-9]+", "calamine/SOURCE")]}, {
        insta::assert_snapshot!("reader_panic", err);
    });
}

// ------------------------------------------------------------------ XLS

/// A BIFF8 record.
fn record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut out = typ.to_le_bytes().to_vec();
    out.extend((data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
    out
}

/// A BIFF8 BOF record of a workbook globals (5) or worksheet (0x10) substream.
fn bof(dt: u16) -> Vec<u8> {
    let mut d = 0x0600u16.to_le_bytes().to_vec();
    d.extend(dt.to_le_bytes());
    d.extend([0u8; 12]);
    record(0x0809, &d)
}

/// A BIFF8 LABEL cell (Latin-1 text).
fn label(row: u16, col: u16, text: &str) -> Vec<u8> {
    let mut d = row.to_le_bytes().to_vec();
    d.extend(col.to_le_bytes());
    d.extend(0u16.to_le_bytes());
    d.extend((text.len() as u16).to_le_bytes());
    d.push(0);
    d.extend(text.bytes());
    record(0x0204, &d)
}

/// A BIFF8 workbook stream: one sheet `Objects` holding `sheet_records`.
fn biff(sheet_records: &[Vec<u8>]) -> Vec<u8> {
    let name = b"Objects";
    let boundsheet = |pos: u32| {
        let mut d = pos.to_le_bytes().to_vec();
        d.extend([0, 0, name.len() as u8, 0]);
        d.extend_from_slice(name);
        record(0x0085, &d)
    };
    let globals_len = bof(5).len() + boundsheet(0).len() + record(0x000A, &[]).len();
    let mut out = bof(5);
    out.extend(boundsheet(globals_len as u32));
    out.extend(record(0x000A, &[]));
    out.extend(bof(0x10));
    for r in sheet_records {
        out.extend_from_slice(r);
    }
    out.extend(record(0x000A, &[]));
    out
}

/// A compound file (512-byte sectors) holding `stream` as `Workbook`; with `difat_loop`,
/// a DIFAT sector that names itself as the next one.
fn cfb(stream: &[u8], difat_loop: bool) -> Vec<u8> {
    const END: u32 = 0xFFFF_FFFE;
    const FREE: u32 = 0xFFFF_FFFF;
    let mut stream = stream.to_vec();
    // At least 4 KiB, so it lives in regular sectors, not the mini stream.
    stream.resize(stream.len().max(4096).div_ceil(512) * 512, 0);
    let n = stream.len() / 512;
    // Sectors: 0 FAT, 1 directory, 2.. the stream, then (maybe) a DIFAT sector.
    let difat_sector = 2 + n as u32;
    let mut fat = vec![0xFFFF_FFFDu32, END];
    for i in 0..n {
        fat.push(if i + 1 == n { END } else { 3 + i as u32 });
    }
    if difat_loop {
        fat.push(0xFFFF_FFFC);
    }
    fat.resize(128, FREE);
    let mut h = vec![0u8; 512];
    h[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    h[24..26].copy_from_slice(&0x3Eu16.to_le_bytes());
    h[26..28].copy_from_slice(&3u16.to_le_bytes());
    h[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes());
    h[30..32].copy_from_slice(&9u16.to_le_bytes());
    h[32..34].copy_from_slice(&6u16.to_le_bytes());
    h[44..48].copy_from_slice(&1u32.to_le_bytes());
    h[48..52].copy_from_slice(&1u32.to_le_bytes());
    h[56..60].copy_from_slice(&4096u32.to_le_bytes());
    h[60..64].copy_from_slice(&END.to_le_bytes());
    let (first_difat, difat_count) = if difat_loop {
        (difat_sector, 1u32)
    } else {
        (END, 0)
    };
    h[68..72].copy_from_slice(&first_difat.to_le_bytes());
    h[72..76].copy_from_slice(&difat_count.to_le_bytes());
    for i in 0..109 {
        let v = if i == 0 { 0 } else { FREE };
        h[76 + 4 * i..80 + 4 * i].copy_from_slice(&v.to_le_bytes());
    }
    let entry = |name: &str, typ: u8, start: u32, size: u32, child: u32| {
        let mut e = vec![0u8; 128];
        let units: Vec<u16> = name.encode_utf16().collect();
        for (i, u) in units.iter().enumerate() {
            e[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
        }
        e[64..66].copy_from_slice(&((units.len() as u16 + 1) * 2).to_le_bytes());
        e[66] = typ;
        e[67] = 1;
        e[68..72].copy_from_slice(&FREE.to_le_bytes());
        e[72..76].copy_from_slice(&FREE.to_le_bytes());
        e[76..80].copy_from_slice(&child.to_le_bytes());
        e[116..120].copy_from_slice(&start.to_le_bytes());
        e[120..124].copy_from_slice(&size.to_le_bytes());
        e
    };
    let mut dir = entry("Root Entry", 5, END, 0, 1);
    dir.extend(entry("Workbook", 2, 2, stream.len() as u32, FREE));
    dir.resize(512, 0);
    let mut out = h;
    out.extend(fat.iter().flat_map(|v| v.to_le_bytes()));
    out.extend(dir);
    out.extend(stream);
    if difat_loop {
        let mut d: Vec<u32> = vec![FREE; 127];
        d.push(difat_sector);
        out.extend(d.iter().flat_map(|v| v.to_le_bytes()));
    }
    out
}

#[test]
fn an_xls_workbook_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let stream = biff(&[
        label(0, 0, "ID"),
        label(0, 1, "Text"),
        label(1, 0, "R-1"),
        label(1, 1, "Plan times shall be GMT."),
    ]);
    std::fs::write(dir.path().join("reqs.xls"), cfb(&stream, false)).unwrap();
    let (code, out, err) = run(dir.path(), &["reqs", "list", "reqs.xls"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        out.contains("R-1  [requirement]") && out.contains("| Plan times shall be GMT."),
        "{out}"
    );
    assert!(out.contains("reqs.xls sheet Objects cell A2"), "{out}");
}

#[test]
fn an_xls_workbook_that_would_lay_out_billions_of_cells_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // A declared size of 4 billion rows by 255 columns (calamine reserves it).
    let mut dims = 0u32.to_le_bytes().to_vec();
    dims.extend(u32::MAX.to_le_bytes());
    dims.extend(0u16.to_le_bytes());
    dims.extend(0xFFu16.to_le_bytes());
    dims.extend(0u16.to_le_bytes());
    let declared = biff(&[
        record(0x0200, &dims),
        label(0, 0, "ID"),
        label(0, 1, "Text"),
    ]);
    std::fs::write(dir.path().join("declared.xls"), cfb(&declared, false)).unwrap();
    let err = refused(dir.path(), &["reqs", "list", "declared.xls"]);
    insta::assert_snapshot!("xls_declared_size", err);
    // Two cells far apart: 65,536 rows by 256 columns laid out.
    let far = biff(&[
        label(0, 0, "ID"),
        label(0, 1, "Text"),
        label(65_535, 255, "far"),
    ]);
    std::fs::write(dir.path().join("far.xls"), cfb(&far, false)).unwrap();
    let err = refused(dir.path(), &["reqs", "list", "far.xls"]);
    insta::assert_snapshot!("xls_far_apart", err);
    // A sector table chain that loops (calamine would follow it forever).
    std::fs::write(dir.path().join("loop.xls"), cfb(&far, true)).unwrap();
    let err = refused(dir.path(), &["reqs", "list", "loop.xls"]);
    insta::assert_snapshot!("xls_chain_loop", err);
}

// ------------------------------------------------------------------ ODS

fn ods(rows: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Objects">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("META-INF/manifest.xml", b"<?xml version=\"1.0\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\"/>"),
        ("content.xml", content.as_bytes()),
    ])
}

fn ods_row(cells: &[&str]) -> String {
    let cells: String = cells
        .iter()
        .map(|c| {
            format!(r#"<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>"#)
        })
        .collect();
    format!("<table:table-row>{cells}</table:table-row>")
}

#[test]
fn an_ods_workbook_is_read_and_its_repeats_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let rows = ods_row(&["ID", "Text"]) + &ods_row(&["R-1", "Plan times shall be GMT."]);
    std::fs::write(dir.path().join("reqs.ods"), ods(&rows)).unwrap();
    let (code, out, err) = run(dir.path(), &["reqs", "list", "reqs.ods"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("| Plan times shall be GMT."), "{out}");
    // One cell repeated over 16,384 columns and 6,000 rows: 98 million cells (3 GB).
    let repeated = ods_row(&["ID", "Text"])
        + r#"<table:table-row table:number-rows-repeated="6000"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#;
    std::fs::write(dir.path().join("repeats.ods"), ods(&repeated)).unwrap();
    let err = refused(dir.path(), &["reqs", "list", "repeats.ods"]);
    insta::assert_snapshot!("ods_repeats", err);
}

// ------------------------------------------------------------------ headings

/// A plan citing `R-1`.
const PLAN: &str = "plan P \"Deep\" {\n  horizon 2014/272 00:00 .. 2014/279 00:00\n  roles FD\n  activity A1 \"Poll\" {\n    at 2014/273 09:00 lasts 30m by FD\n    covers R-1\n  }\n}\n";

/// The traced requirement `R-1` of the JSON trace: its path as shown.
fn traced_path(out: &str) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_str(out).expect("json");
    let reqs = v["requirements"].as_array().expect("requirements");
    assert_eq!(reqs.len(), 1, "headings are not requirements");
    assert_eq!(reqs[0]["id"], "R-1");
    assert_eq!(reqs[0]["status"], "covered");
    reqs[0]["path"].clone()
}

#[test]
fn a_million_nested_headings_in_a_csv_cost_a_node_each() {
    let dir = tempfile::tempdir().unwrap();
    let n = 1_000_000;
    let mut csv = String::from("ID,Object Heading,Object Text,Object Level\n");
    for i in 1..=n {
        csv.push_str(&format!("H{i},Heading {i},,{i}\n"));
    }
    csv.push_str(&format!("R-1,,The deepest requirement.,{}\n", n + 1));
    std::fs::write(dir.path().join("deep.csv"), csv).unwrap();
    std::fs::write(dir.path().join("p.plan"), PLAN).unwrap();
    let (code, out, err) = run(
        dir.path(),
        &["trace", "p.plan", "-r", "deep.csv", "--format", "json"],
    );
    assert_eq!(code, Some(0), "{err}");
    let path = traced_path(&out);
    let shown: Vec<String> = std::iter::once("…".to_string())
        .chain((n - 9..=n).map(|i| format!("Heading {i}")))
        .collect();
    assert_eq!(path, serde_json::json!(shown));
}

/// A ReqIF module of `n` headings, each nested in the one before, and the requirement
/// `R-1` under the last.
fn nested_reqif(n: usize) -> String {
    let ns = "http://www.omg.org/spec/ReqIF/20110401/reqif.xsd";
    let mut objects = String::new();
    let value = |def: &str, v: &str| {
        format!(
            r#"<ATTRIBUTE-VALUE-STRING THE-VALUE="{v}"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>{def}</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>"#
        )
    };
    for i in 1..=n {
        objects.push_str(&format!(
            r#"<SPEC-OBJECT IDENTIFIER="h{i}"><TYPE><SPEC-OBJECT-TYPE-REF>T</SPEC-OBJECT-TYPE-REF></TYPE><VALUES>{}{}</VALUES></SPEC-OBJECT>"#,
            value("ID", &format!("H{i}")),
            value("CH", &format!("Heading {i}"))
        ));
    }
    objects.push_str(&format!(
        r#"<SPEC-OBJECT IDENTIFIER="r1"><TYPE><SPEC-OBJECT-TYPE-REF>T</SPEC-OBJECT-TYPE-REF></TYPE><VALUES>{}{}</VALUES></SPEC-OBJECT>"#,
        value("ID", "R-1"),
        value("TX", "The deepest requirement.")
    ));
    let mut tree = String::new();
    for i in 1..=n {
        tree.push_str(&format!(
            r#"<SPEC-HIERARCHY IDENTIFIER="sh{i}"><OBJECT><SPEC-OBJECT-REF>h{i}</SPEC-OBJECT-REF></OBJECT><CHILDREN>"#
        ));
    }
    tree.push_str(r#"<SPEC-HIERARCHY IDENTIFIER="shr"><OBJECT><SPEC-OBJECT-REF>r1</SPEC-OBJECT-REF></OBJECT></SPEC-HIERARCHY>"#);
    for _ in 1..=n {
        tree.push_str("</CHILDREN></SPEC-HIERARCHY>");
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<REQ-IF xmlns="{ns}"><CORE-CONTENT><REQ-IF-CONTENT><DATATYPES><DATATYPE-DEFINITION-STRING IDENTIFIER="S" MAX-LENGTH="1000"/></DATATYPES><SPEC-TYPES><SPEC-OBJECT-TYPE IDENTIFIER="T" LONG-NAME="Object"><SPEC-ATTRIBUTES><ATTRIBUTE-DEFINITION-STRING IDENTIFIER="ID" LONG-NAME="ReqIF.ForeignID"><TYPE><DATATYPE-DEFINITION-STRING-REF>S</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING><ATTRIBUTE-DEFINITION-STRING IDENTIFIER="CH" LONG-NAME="ReqIF.ChapterName"><TYPE><DATATYPE-DEFINITION-STRING-REF>S</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING><ATTRIBUTE-DEFINITION-STRING IDENTIFIER="TX" LONG-NAME="ReqIF.Text"><TYPE><DATATYPE-DEFINITION-STRING-REF>S</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING></SPEC-ATTRIBUTES></SPEC-OBJECT-TYPE></SPEC-TYPES><SPEC-OBJECTS>{objects}</SPEC-OBJECTS><SPECIFICATIONS><SPECIFICATION IDENTIFIER="spec" LONG-NAME="Deep"><CHILDREN>{tree}</CHILDREN></SPECIFICATION></SPECIFICATIONS></REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>"#
    )
}

#[test]
fn ten_thousand_nested_headings_in_a_reqif_cost_a_node_each() {
    let dir = tempfile::tempdir().unwrap();
    let n = 10_000;
    std::fs::write(dir.path().join("deep.reqif"), nested_reqif(n)).unwrap();
    std::fs::write(dir.path().join("p.plan"), PLAN).unwrap();
    let (code, out, err) = run(
        dir.path(),
        &["trace", "p.plan", "-r", "deep.reqif", "--format", "json"],
    );
    assert_eq!(code, Some(0), "{err}");
    let path = traced_path(&out);
    let shown: Vec<String> = std::iter::once("…".to_string())
        .chain((n - 9..=n).map(|i| format!("Heading {i}")))
        .collect();
    assert_eq!(path, serde_json::json!(shown));
}

#[test]
fn a_reqif_nested_past_the_xml_reader_is_refused_at_the_element() {
    // 40,000 levels are 80,000 nested elements: the XML reader's 16-bit scope count would
    // overflow (a panic, or namespaces silently lost in a release build).
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("deeper.reqif"), nested_reqif(40_000)).unwrap();
    let err = refused(dir.path(), &["reqs", "list", "deeper.reqif"]);
    let found: Vec<&str> = err.lines().filter(|l| l.contains("error[Q001]")).collect();
    assert_eq!(
        found,
        ["error[Q001]: `SPEC-OBJECT-REF` is nested more than 60000 elements deep (about 30000 heading levels), the most opsplan reads; the file is not read further"],
        "{err}"
    );
}

// ------------------------------------------------------------------ no silent wrong answers

#[test]
fn an_empty_requirements_folder_is_not_full_coverage() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("reqs")).unwrap();
    std::fs::write(dir.path().join("reqs").join("notes.txt"), "not an export").unwrap();
    std::fs::write(dir.path().join("p.plan"), PLAN).unwrap();
    let err = refused(dir.path(), &["trace", "p.plan", "-r", "reqs"]);
    insta::assert_snapshot!("empty_requirements_folder", err);
}

#[test]
fn a_reqifz_with_two_members_of_one_name_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let reqif = |text: &str| {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd"><CORE-CONTENT><REQ-IF-CONTENT><SPEC-OBJECTS><SPEC-OBJECT IDENTIFIER="{text}"/></SPEC-OBJECTS></REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>"#
        )
    };
    // The zip writer refuses a repeated name: write the archive by hand (stored members,
    // one central directory listing both).
    let members = [
        ("module.reqif", reqif("first")),
        ("module.reqif", reqif("second")),
    ];
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, body) in &members {
        let offset = out.len() as u32;
        let crc = crc32(body.as_bytes());
        let mut local = vec![0x50, 0x4B, 0x03, 0x04, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        local.extend(crc.to_le_bytes());
        local.extend((body.len() as u32).to_le_bytes());
        local.extend((body.len() as u32).to_le_bytes());
        local.extend((name.len() as u16).to_le_bytes());
        local.extend(0u16.to_le_bytes());
        local.extend(name.bytes());
        out.extend(local);
        out.extend(body.bytes());
        let mut c = vec![0x50, 0x4B, 0x01, 0x02, 20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        c.extend(crc.to_le_bytes());
        c.extend((body.len() as u32).to_le_bytes());
        c.extend((body.len() as u32).to_le_bytes());
        c.extend((name.len() as u16).to_le_bytes());
        c.extend([0u8; 12]);
        c.extend(offset.to_le_bytes());
        c.extend(name.bytes());
        central.extend(c);
    }
    let cd_offset = out.len() as u32;
    out.extend(&central);
    out.extend([0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0]);
    out.extend(2u16.to_le_bytes());
    out.extend(2u16.to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    std::fs::write(dir.path().join("twice.reqifz"), out).unwrap();
    let err = refused(dir.path(), &["reqs", "list", "twice.reqifz"]);
    insta::assert_snapshot!("reqifz_duplicate_member", err);
}

/// CRC-32 (IEEE), bit by bit: a few hundred bytes here.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn a_csv_mixing_encodings_names_the_first_line_that_is_not_utf8() {
    let dir = tempfile::tempdir().unwrap();
    // Line 2 is UTF-8 (`Größe`), line 3 has a Windows-1252 `é` (0xE9).
    let mut bytes = "ID,Text\nR-1,Größe of the tank\n".as_bytes().to_vec();
    bytes.extend(b"R-2,Temp\xE9rature limit\n");
    std::fs::write(dir.path().join("mixed.csv"), &bytes).unwrap();
    let err = refused(dir.path(), &["reqs", "list", "mixed.csv"]);
    insta::assert_snapshot!("csv_mixed_encodings", err);
    // All Windows-1252 (no UTF-8 at all) is still read, as documented.
    std::fs::write(
        dir.path().join("cp1252.csv"),
        b"ID,Text\nR-2,Temp\xE9rature \x80 5\n",
    )
    .unwrap();
    let (code, out, err) = run(dir.path(), &["reqs", "list", "cp1252.csv"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("| Température € 5"), "{out}");
}

#[test]
fn an_unterminated_quoted_field_at_the_end_is_located() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("cut.csv"),
        "ID,Text\nR-1,\"Plan times shall be GMT.\"\nR-2,\"The unit shall\nstart and\n",
    )
    .unwrap();
    let err = refused(dir.path(), &["reqs", "list", "cut.csv"]);
    insta::assert_snapshot!("csv_unterminated_quote", err);
}

#[test]
fn characters_xml_does_not_allow_are_errors_at_their_element() {
    let dir = tempfile::tempdir().unwrap();
    let reqif = r#"<?xml version="1.0" encoding="UTF-8"?>
<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd">
<CORE-CONTENT><REQ-IF-CONTENT>
<DATATYPES><DATATYPE-DEFINITION-STRING IDENTIFIER="S" MAX-LENGTH="100"/></DATATYPES>
<SPEC-TYPES><SPEC-OBJECT-TYPE IDENTIFIER="T" LONG-NAME="Requirement"><SPEC-ATTRIBUTES>
<ATTRIBUTE-DEFINITION-STRING IDENTIFIER="TX" LONG-NAME="ReqIF.Text"><TYPE><DATATYPE-DEFINITION-STRING-REF>S</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING>
</SPEC-ATTRIBUTES></SPEC-OBJECT-TYPE></SPEC-TYPES>
<SPEC-OBJECTS>
<SPEC-OBJECT IDENTIFIER="R-1" LONG-NAME="a&#0;b"><TYPE><SPEC-OBJECT-TYPE-REF>T</SPEC-OBJECT-TYPE-REF></TYPE><VALUES>
<ATTRIBUTE-VALUE-STRING THE-VALUE="Plan times&#x1F; shall be GMT."><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>TX</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>
</VALUES></SPEC-OBJECT>
<SPEC-OBJECT IDENTIFIER="R-2"><TYPE><SPEC-OBJECT-TYPE-REF>T</SPEC-OBJECT-TYPE-REF></TYPE><VALUES>
<ATTRIBUTE-VALUE-XHTML><DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>TX</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION><THE-VALUE><div xmlns="http://www.w3.org/1999/xhtml">text &#xFFFE; here</div></THE-VALUE></ATTRIBUTE-VALUE-XHTML>
</VALUES></SPEC-OBJECT>
</SPEC-OBJECTS>
<SPECIFICATIONS><SPECIFICATION IDENTIFIER="S1"><CHILDREN><SPEC-HIERARCHY IDENTIFIER="h1"><OBJECT><SPEC-OBJECT-REF>R-1</SPEC-OBJECT-REF></OBJECT></SPEC-HIERARCHY></CHILDREN></SPECIFICATION></SPECIFICATIONS>
<SPEC-RELATIONS/><ID-TEXT>x&#0;y</ID-TEXT>
</REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>
"#;
    std::fs::write(dir.path().join("nul.reqif"), reqif).unwrap();
    let err = refused(dir.path(), &["reqs", "list", "nul.reqif"]);
    insta::assert_snapshot!("reqif_invalid_xml_characters", err);
    assert!(!err.contains('\0'));
}
