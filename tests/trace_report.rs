//! The traceability report as evidence (issue #16): `opsplan report trace` as users run
//! it. Its statuses styled apart with a legend, coverage per chapter rolled up, the
//! suspect traces with the baseline text beside the text now as a word diff and the
//! fingerprint to record, the impact of `--changed-since`, titles for requirements
//! without text, the pictures of a ReqIFz embedded as images only, the document control
//! (`document:` of opsplan.yaml, each export's header and SHA-256), the tables' inline
//! script, the print CSS; every input text escaped. The Markdown and JSON forms are
//! snapshots in tests/report_cli.rs; the page in a browser is `.ci/browser-check`.

mod common;

use assert_cmd::Command;
use sha2::Digest;
use std::io::Write;
use std::path::{Path, PathBuf};

const MISSION: &str = "examples/atv5-week40";
const BASELINE: &str = "requirements/baseline/atv-ops-requirements-baseline-1.reqif";
const CURRENT: &str = "requirements/atv-ops-requirements.reqif";
const PICTURES: &str = "reqif/doorsng_702_stk_module_with_images.reqifz";

fn opsplan() -> Command {
    let mut c = Command::cargo_bin("opsplan").expect("binary built");
    c.env_remove("NO_COLOR")
        .env("SOURCE_DATE_EPOCH", "1411732800");
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

/// The corpus of real exports, read in place: `OPSPLAN_CORPUS`, or `../shared/corpus`
/// beside the project (as `reqs::corpus_path` in the library's tests).
fn corpus(relative: &str) -> PathBuf {
    std::env::var_os("OPSPLAN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
        .join(relative)
}

fn sha256(path: &str) -> String {
    sha2::Sha256::digest(std::fs::read(path).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The `<tr …>…</tr>` of `html` that contains `needle`.
fn row_with<'a>(html: &'a str, needle: &str) -> &'a str {
    let at = html
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in the report"));
    let start = html[..at + 3].rfind("<tr").expect("in a row");
    let end = at + html[at..].find("</tr>").expect("the row ends");
    &html[start..end]
}

#[test]
fn statuses_legend_chapters_and_the_document_control_of_the_example() {
    let (code, html, err) = run(["report", "trace", MISSION]);
    assert_eq!(code, Some(1), "{err}");
    // A status column in the requirements table and in the matrix, and a legend of all
    // seven statuses, each with its word.
    assert!(html.contains(r#"<thead><tr><th>requirement</th><th class="st">status</th><th>text</th><th>covered by</th></tr></thead>"#));
    assert!(html
        .contains(r#"<thead><tr><th>requirement</th><th class="st">status</th><th class="item">"#));
    for status in [
        "covered",
        "suspect",
        "uncovered",
        "justified",
        "not-required",
        "withdrawn",
        "duplicate",
    ] {
        let badge = format!(r#"<span class="badge {status}">{status}</span>"#);
        assert!(
            html[html.find(r#"id="legend""#).unwrap()..].contains(&badge),
            "{status} in the legend"
        );
    }
    // Distinct styles: withdrawn and uncovered, justified and covered.
    let style_of = |status: &str| {
        let rule = format!(".badge.{status} {{");
        let at = html.find(&rule).unwrap_or_else(|| panic!("{rule}"));
        html[at + rule.len()..at + html[at..].find('}').unwrap()].to_string()
    };
    assert_ne!(style_of("withdrawn"), style_of("uncovered"));
    assert_ne!(style_of("justified"), style_of("covered"));
    assert!(style_of("withdrawn").contains("dashed"));

    // Coverage per chapter: the module totals are the summary's (23 of 30).
    let module = row_with(&html, ">ATV-OPS Requirements</a>");
    assert!(module.starts_with(r#"<tr class="d0">"#), "{module}");
    assert!(
        module.ends_with("<td>30</td><td>22</td><td>1</td><td>3</td><td>4</td><td>76.7</td>"),
        "{module}"
    );
    let refuelling = row_with(&html, ">Refuelling</a>");
    assert!(refuelling.starts_with(r#"<tr class="d1">"#), "{refuelling}");
    assert!(
        refuelling.ends_with("<td>5</td><td>4</td><td>1</td><td>0</td><td>0</td><td>100.0</td>")
    );

    // The document control: opsplan.yaml's `document:`, each export's header and hash.
    assert!(html.contains(r#"<tr><th>Document</th><td class="mono">ATV5-OPS-TR-040</td></tr>"#));
    assert!(html.contains("<tr><th>Issue</th><td>1, revision A (2014-09-26)</td></tr>"));
    assert!(html.contains("<tr><th>Prepared by</th><td>P. Moreau, 2014-09-26</td></tr>"));
    assert!(html.contains("<tr><th>Approved by</th><td>K. Weber</td></tr>"));
    let current = row_with(&html, &format!(">{CURRENT}</div>"));
    for want in [
        "IBM Rational DOORS, 29 September 2014",
        "_ca8ecd4f-5435-4e5b-8e9f-afaa9b69cb25",
        "created 2014-09-29T14:37:12",
        "by DOORS 9.5.2.1",
        "ATV-OPS Requirements",
        &sha256(CURRENT),
    ] {
        assert!(current.contains(want), "{want} in {current}");
    }
    let baseline = row_with(&html, &format!(">{BASELINE}</div>"));
    assert!(baseline.contains("_9f568b14-897b-4606-8b6f-1eb497d6acd7"));
    assert!(baseline.contains(&sha256(BASELINE)));

    // Printable: A4, numbered pages, headings kept with what follows, headers repeated.
    for css in [
        "size: A4;",
        r#"@bottom-right { content: counter(page) " / " counter(pages);"#,
        "h1, h2, h3 { break-after: avoid;",
        "tr, img { break-inside: avoid; }",
        "thead { display: table-header-group; }",
    ] {
        assert!(html.contains(css), "{css}");
    }
}

#[test]
fn a_suspect_trace_shows_the_word_diff_and_the_fingerprint_to_record() {
    let (_, html, _) = run(["report", "trace", MISSION]);
    let row = row_with(&html, r##"<a href="#req-ATV-OPS-REQ-007">"##);
    assert!(
        row.contains(
            r#"<td class="req-text">Propellant transfer shall start inside <del>a ground station</del> pass.</td>"#
        ),
        "{row}"
    );
    assert!(
        row.contains(
            r#"<td class="req-text">Propellant transfer shall start inside <ins>an RGS</ins> pass.</td>"#
        ),
        "{row}"
    );
    // The cited id's place, and what to write there once reviewed (12 hex digits).
    assert!(
        row.contains("examples/atv5-week40/atv5-week40.plan:123:31"),
        "{row}"
    );
    assert!(row.contains(">ATV-OPS-REQ-007@2be9062cd5db</td>"), "{row}");
    let (_, json, _) = run(["trace", MISSION, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let fp = v["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "ATV-OPS-REQ-007")
        .unwrap()["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(fp, "2be9062cd5db", "the fingerprint `opsplan trace` gives");

    let (_, md, _) = run(["report", "trace", MISSION, "--format", "md"]);
    assert!(
        md.contains("| Propellant transfer shall start inside [-a ground station-] {+an RGS+} pass. | `ATV-OPS-REQ-007@2be9062cd5db` |"),
        "{md}"
    );
}

#[test]
fn changed_since_adds_the_impact_list_of_opsplan_trace() {
    let (code, html, err) = run(["report", "trace", MISSION, "--changed-since", BASELINE]);
    assert_eq!(code, Some(1), "{err}");
    assert!(html.contains(&format!("<h2>Impact of the changes since {BASELINE}</h2>")));
    assert!(html.contains(r#"<table id="impact" class="sort">"#));
    // The items are those `opsplan trace --changed-since` lists.
    let (_, json, _) = run([
        "trace",
        MISSION,
        "--changed-since",
        BASELINE,
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let affected = v["impact"]["affected"].as_array().unwrap();
    assert!(!affected.is_empty());
    let impact = &html[html.find(r#"<table id="impact""#).unwrap()..];
    let impact = &impact[..impact.find("</table>").unwrap()];
    assert_eq!(impact.matches("<tr><td>").count(), affected.len());
    for a in affected {
        let name = a["name"].as_str().unwrap();
        assert!(impact.contains(name), "{name}");
    }
    for c in v["impact"]["changes"].as_array().unwrap() {
        assert!(html.contains(&format!(
            r#"<span class="mono">{}</span> ({})"#,
            c["id"].as_str().unwrap(),
            c["what"].as_str().unwrap()
        )));
    }
    let (_, md, _) = run([
        "report",
        "trace",
        MISSION,
        "--changed-since",
        BASELINE,
        "--format",
        "md",
    ]);
    assert!(md.contains(&format!(
        "## Impact of the changes since {}",
        BASELINE.replace('_', "\\_")
    )));
    assert!(md.contains("| item | how | why | changed requirements | where |"));
    // Without the option there is no impact section.
    let (_, plain, _) = run(["report", "trace", MISSION]);
    assert!(!plain.contains("Impact of the changes"));
}

/// A mission whose flight rule traces the requirements of the corpus ReqIFz that show
/// pictures (ids DOORS Next gives as numbers, which a `covers` cannot cite yet).
fn picture_mission(dir: &Path, ids: &[&str]) -> PathBuf {
    std::fs::write(
        dir.join("p.plan"),
        "plan PIC \"Pictures\" {\n  horizon 2014/272 00:00 .. 2014/273 00:00\n  roles FD\n  use rules \"rules.yaml\"\n  activity A1 \"Burn\" { at 2014/272 01:00 lasts 1h by FD kind reboost }\n}\n",
    )
    .unwrap();
    let traces: Vec<String> = ids.iter().map(|i| format!("\"{i}\"")).collect();
    std::fs::write(
        dir.join("rules.yaml"),
        format!(
            "rules:\n  - id: FR-P1\n    title: Pictured\n    kind: min_separation\n    select: {{ kind: [reboost] }}\n    min: 3h\n    traces: [{}]\n",
            traces.join(", ")
        ),
    )
    .unwrap();
    dir.join("p.plan")
}

#[test]
fn pictures_of_a_reqifz_are_embedded_as_data_uris_of_images() {
    let dir = tempfile::tempdir().unwrap();
    let plan = picture_mission(dir.path(), &["4291", "4276"]);
    let export = corpus(PICTURES);
    let (code, html, err) = run([
        "report".as_ref(),
        "trace".as_ref(),
        plan.as_os_str(),
        "--no-config".as_ref(),
        "-r".as_ref(),
        export.as_os_str(),
    ]);
    assert_eq!(code, Some(1), "uncovered requirements: {err}");
    let row = row_with(&html, r#"<tr id="req-4276">"#);
    let prefix = r#"<img class="pic" src="data:image/png;base64,"#;
    let at = row.find(prefix).unwrap_or_else(|| panic!("{row}"));
    let encoded = &row[at + prefix.len()..];
    let encoded = &encoded[..encoded.find('"').unwrap()];
    // The picture is the archive member's bytes.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&export).unwrap()).unwrap();
    let mut member = Vec::new();
    std::io::Read::read_to_end(
        &mut zip
            .by_name("_26dceceb-90a9-45ed-9184-981ce776a082")
            .unwrap(),
        &mut member,
    )
    .unwrap();
    assert_eq!(decode_base64(encoded), member);
    assert!(row.contains(r#"alt="_26dceceb-90a9-45ed-9184-981ce776a082""#));
    // 4291 shows its diagram; its backup's name is no member and stays as text.
    let diagram = row_with(&html, r#"<tr id="req-4291">"#);
    assert_eq!(diagram.matches(prefix).count(), 1);
    assert!(diagram
        .contains("[object: _892f7f4b-f267-4aea-a282-655e9755c7bc.png_alternative_image.png]"));
}

#[test]
fn an_svg_is_only_ever_an_image_and_a_picture_over_the_cap_stays_a_mark_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let svg = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script><rect width="10" height="10"/></svg>"#;
    let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
    big.resize(1024 * 1024 + 1, 7);
    let text = |body: &str| {
        format!(
            "<THE-VALUE><xhtml:div xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">{body}</xhtml:div></THE-VALUE>"
        )
    };
    let reqif = minimal_reqif(&[
        (
            "R-1",
            &text(r#"Logo <xhtml:object data="logo.svg" type="image/svg+xml"/> end"#),
        ),
        (
            "R-2",
            &text(r#"<xhtml:object data="big.png" type="image/png"/>"#),
        ),
        (
            "R-3",
            &text(r#"<xhtml:object data="notes.png" type="image/png"/>"#),
        ),
    ]);
    let archive = dir.path().join("pics.reqifz");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&archive).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for (name, bytes) in [
        ("module.reqif", reqif.as_bytes()),
        ("logo.svg", &svg[..]),
        ("big.png", &big[..]),
        ("notes.png", b"<html><script>alert(6)</script></html>"),
    ] {
        w.start_file(name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap();
    let plan = picture_mission(dir.path(), &["R-1", "R-2", "R-3"]);
    let (code, html, err) = run([
        "report".as_ref(),
        "trace".as_ref(),
        plan.as_os_str(),
        "--no-config".as_ref(),
        "-r".as_ref(),
        archive.as_os_str(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let logo = row_with(&html, r#"<tr id="req-R-1">"#);
    let prefix = r#"<img class="pic" src="data:image/svg+xml;base64,"#;
    assert!(logo.contains(prefix), "{logo}");
    assert!(logo.contains("Logo "), "{logo}");
    assert!(logo.contains(" end"), "{logo}");
    // The SVG's markup never reaches the page: only its base64, inside an <img>.
    assert!(!html.contains("<svg"));
    assert!(!html.contains("onload"));
    let big = row_with(&html, r#"<tr id="req-R-2">"#);
    assert!(!big.contains("<img"), "{big}");
    assert!(
        big.contains("[object: big.png] <span class=\"small muted\">(picture of 1025 KiB not embedded: over the limit of 1 MiB)</span>"),
        "{big}"
    );
    let notes = row_with(&html, r#"<tr id="req-R-3">"#);
    assert!(notes.contains("[object: notes.png]"), "{notes}");
    assert!(
        notes.contains("not a PNG, JPEG, GIF or SVG picture"),
        "{notes}"
    );
    assert!(
        !html.contains("alert(6)"),
        "a member that is no picture is never shown"
    );
    assert_eq!(
        html.matches("<script").count(),
        1,
        "the report's own script only"
    );
}

/// A ReqIF module of requirements (id, THE-VALUE element of their XHTML text).
fn minimal_reqif(objects: &[(&str, &str)]) -> String {
    let mut specs = String::new();
    let mut hier = String::new();
    for (id, value) in objects {
        specs.push_str(&format!(
            r#"<SPEC-OBJECT IDENTIFIER="{id}" LONG-NAME="{id}"><TYPE><SPEC-OBJECT-TYPE-REF>T</SPEC-OBJECT-TYPE-REF></TYPE><VALUES><ATTRIBUTE-VALUE-XHTML><DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>TEXT</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION>{value}</ATTRIBUTE-VALUE-XHTML></VALUES></SPEC-OBJECT>"#
        ));
        hier.push_str(&format!(
            r#"<SPEC-HIERARCHY IDENTIFIER="H-{id}"><OBJECT><SPEC-OBJECT-REF>{id}</SPEC-OBJECT-REF></OBJECT></SPEC-HIERARCHY>"#
        ));
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd">
<THE-HEADER><REQ-IF-HEADER IDENTIFIER="hdr-1"><TITLE>Pictures &lt;test&gt;</TITLE></REQ-IF-HEADER></THE-HEADER>
<CORE-CONTENT><REQ-IF-CONTENT>
<DATATYPES><DATATYPE-DEFINITION-XHTML IDENTIFIER="DX" LONG-NAME="Text"/></DATATYPES>
<SPEC-TYPES>
<SPEC-OBJECT-TYPE IDENTIFIER="T" LONG-NAME="Requirement"><SPEC-ATTRIBUTES><ATTRIBUTE-DEFINITION-XHTML IDENTIFIER="TEXT" LONG-NAME="ReqIF.Text"><TYPE><DATATYPE-DEFINITION-XHTML-REF>DX</DATATYPE-DEFINITION-XHTML-REF></TYPE></ATTRIBUTE-DEFINITION-XHTML></SPEC-ATTRIBUTES></SPEC-OBJECT-TYPE>
<SPECIFICATION-TYPE IDENTIFIER="ST" LONG-NAME="Spec"><SPEC-ATTRIBUTES><ATTRIBUTE-DEFINITION-STRING IDENTIFIER="BL" LONG-NAME="Baseline Name"/></SPEC-ATTRIBUTES></SPECIFICATION-TYPE>
</SPEC-TYPES>
<SPEC-OBJECTS>{specs}</SPEC-OBJECTS>
<SPECIFICATIONS><SPECIFICATION IDENTIFIER="S" LONG-NAME="Pictures module"><TYPE><SPECIFICATION-TYPE-REF>ST</SPECIFICATION-TYPE-REF></TYPE><VALUES><ATTRIBUTE-VALUE-STRING THE-VALUE="BL-2 &lt;frozen&gt;"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>BL</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING></VALUES><CHILDREN>{hier}</CHILDREN></SPECIFICATION></SPECIFICATIONS>
</REQ-IF-CONTENT></CORE-CONTENT>
</REQ-IF>
"#
    )
}

fn decode_base64(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let bytes = s.trim_end_matches('=').as_bytes();
    let mut out = Vec::new();
    for chunk in bytes.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &c)| n | (u32::from(value(c)) << (18 - 6 * i)));
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

#[test]
fn the_export_header_and_baseline_attributes_are_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("m.reqif");
    std::fs::write(
        &export,
        minimal_reqif(&[(
            "R-1",
            "<THE-VALUE><xhtml:div xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">Text</xhtml:div></THE-VALUE>",
        )]),
    )
    .unwrap();
    let plan = picture_mission(dir.path(), &["R-1"]);
    let (code, html, err) = run([
        "report".as_ref(),
        "trace".as_ref(),
        plan.as_os_str(),
        "--no-config".as_ref(),
        "-r".as_ref(),
        export.as_os_str(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let row = row_with(&html, "hdr-1");
    assert!(row.contains("<div>Pictures &lt;test&gt;</div>"), "{row}");
    assert!(
        row.contains("<div>Baseline Name: BL-2 &lt;frozen&gt;</div>"),
        "{row}"
    );
    assert!(row.contains("<td>Pictures module</td>"), "{row}");
    // No `document:`: said so, never an empty block that looks filled in.
    assert!(html.contains("No document number, issue or signatures are recorded"));
}

#[test]
fn a_requirement_without_text_shows_its_title_or_says_it_has_none() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("reqs.csv");
    std::fs::write(
        &export,
        "ID,Artifact Type,Title,Primary Text\r\nE-1,Epic,Mission <planning>,\r\nE-2,Epic,,\r\nR-3,Requirement,,Plain text\r\n",
    )
    .unwrap();
    let plan = dir.path().join("p.plan");
    std::fs::write(
        &plan,
        "plan P {\n  horizon 2014/272 00:00 .. 2014/273 00:00\n  roles FD\n  activity A1 { at 2014/272 01:00 lasts 1h by FD covers R-3 }\n}\n",
    )
    .unwrap();
    for (format, titled, none) in [
        (
            "html",
            "<b>Mission &lt;planning&gt;</b> <span class=\"small muted\">(title; no text)</span>",
            "<i class=\"muted\">(no text)</i>",
        ),
        (
            "md",
            "| **Mission &lt;planning&gt;** (title; no text) |",
            "| (no text) |",
        ),
    ] {
        let (code, out, err) = run([
            "report".as_ref(),
            "trace".as_ref(),
            plan.as_os_str(),
            "--no-config".as_ref(),
            "-r".as_ref(),
            export.as_os_str(),
            "--format".as_ref(),
            format.as_ref(),
        ]);
        assert_eq!(code, Some(1), "E-1 and E-2 are uncovered: {err}");
        assert!(out.contains(titled), "{format}: {titled} in {out}");
        assert!(out.contains(none), "{format}: {none}");
    }
}

#[test]
fn the_document_section_is_checked_like_every_key_of_the_project_file() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(Path::new(MISSION), &dir.path().join("m"));
    let config = dir.path().join("m/opsplan.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    // The example's exports are named relative to it: point them back at the repository.
    let root = std::fs::canonicalize(".").unwrap();
    let text = text
        .replace(
            "../../requirements",
            &root.join("requirements").to_string_lossy(),
        )
        .replace("date: 2014-09-26\n", "date: 26/09/2014\n");
    std::fs::write(&config, &text).unwrap();
    let line = text.lines().position(|l| l.contains("26/09/2014")).unwrap() + 1;
    let (code, out, err) = run([
        "report".as_ref(),
        "trace".as_ref(),
        dir.path().join("m").as_os_str(),
    ]);
    assert_eq!(code, Some(2), "{out}");
    assert!(err.contains(&format!("opsplan.yaml:{line}:9: ")), "{err}");
    assert!(err.contains("`26/09/2014` is not a date"), "{err}");
    assert!(out.is_empty());
}

#[test]
fn hostile_document_fields_chapters_and_marks_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("reqs.csv"),
        "Object Identifier,Object Level,Object Heading,Object Text\r\nH-1,1,<script>alert(1)</script>,\r\nR-2,2,,Text [object: <img src=x onerror=alert(2)>]\r\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("p.plan"),
        "plan P {\n  horizon 2014/272 00:00 .. 2014/273 00:00\n  roles FD\n  activity A1 { at 2014/272 01:00 lasts 1h by FD covers R-2 }\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("opsplan.yaml"),
        "inputs: [p.plan]\nrequirements:\n  sources: reqs.csv\ndocument:\n  number: \"<script>alert(3)</script>\"\n  title: \"</title><script>alert(4)</script>\"\n  prepared: { name: \"<img src=x onerror=alert(5)>\" }\n",
    )
    .unwrap();
    for format in ["html", "md"] {
        let (code, out, err) = run([
            "report".as_ref(),
            "trace".as_ref(),
            dir.path().as_os_str(),
            "--format".as_ref(),
            format.as_ref(),
        ]);
        assert_eq!(code, Some(0), "{err}");
        let own_script = out.rfind("<script>").unwrap_or(out.len());
        let page = &out[..own_script];
        assert!(!page.contains("<script"), "{format}: {page}");
        assert!(!out.contains("<img src=x"), "{format}");
        assert!(
            out.contains("alert(3)") && out.contains("alert(5)"),
            "{format}"
        );
    }
}
