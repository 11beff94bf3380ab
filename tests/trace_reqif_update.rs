//! `opsplan trace --format reqif-update -o FILE` (issue #20, items 1 and 3): the ReqIF
//! write-back. The output is the export with only the values of the write-back
//! attributes and the LAST-CHANGE of the objects whose values changed differing, byte for
//! byte elsewhere; it reads back (with opsplan) with the statuses the trace gives; a
//! write-back of a write-back changes nothing; refused write-backs are exit 2 with the
//! element located and nothing written. The independent reader (StrictDoc's `reqif`) is
//! `.ci/reqif-roundtrip.py`, run by `.ci/run` on the example files and on the pairs the
//! corpus test leaves in `target/tmp/reqif-roundtrip/`.

mod common;

use assert_cmd::Command;
use quick_xml::events::Event;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

const MISSION: &str = "examples/atv5-week40";
/// The example module exported with the write-back attributes, and its write-back.
const ROUND_TRIP: &str = "requirements/atv-ops-roundtrip.reqif";
const ROUND_TRIP_UPDATED: &str = "requirements/atv-ops-roundtrip.updated.reqif";
/// SOURCE_DATE_EPOCH of the example's write-back: 2014-09-30T11:13:20Z.
const EPOCH: &str = "1412075600";
const NAMES: [&str; 2] = ["OPS Coverage", "OPS Covered By"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn opsplan() -> Command {
    let mut c = Command::cargo_bin("opsplan").expect("binary built");
    c.env_remove("NO_COLOR")
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .current_dir(root());
    c
}

fn run<I, S>(args: I) -> (Option<i32>, String, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    common::output_of(opsplan().args(args))
}

/// The corpus of real exports, read in place: `OPSPLAN_CORPUS`, or `../shared/corpus`
/// beside the project (as in tests/trace_writeback.rs).
fn corpus(relative: &str) -> PathBuf {
    std::env::var_os("OPSPLAN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/corpus"))
        .join(relative)
}

/// `opsplan trace MISSION -r EXPORT --format reqif-update -o OUT` (with `extra` args).
fn write_back(
    mission: &Path,
    exports: &[&Path],
    out: &Path,
    extra: &[&str],
) -> (Option<i32>, String, String) {
    let mut args: Vec<std::ffi::OsString> = vec!["trace".into(), mission.into()];
    for e in exports {
        args.push("-r".into());
        args.push(e.into());
    }
    args.extend(["--format", "reqif-update", "-o"].map(Into::into));
    args.push(out.into());
    args.extend(extra.iter().map(Into::into));
    run(args)
}

// ---------------------------------------------------------------------------------------
// The independent diff: written here without the writer's code.

/// The identifiers of the attribute definitions named `NAMES`.
fn writeback_definition_ids(xml: &[u8]) -> Vec<String> {
    let mut r = quick_xml::Reader::from_reader(xml);
    let mut ids = Vec::new();
    loop {
        match r.read_event().expect("well-formed") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if name.starts_with("ATTRIBUTE-DEFINITION-") && !name.ends_with("-REF") {
                    let get = |k: &[u8]| {
                        e.attributes()
                            .flatten()
                            .find(|a| a.key.local_name().as_ref() == k)
                            .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                    };
                    if get(b"LONG-NAME").is_some_and(|n| NAMES.contains(&n.as_str())) {
                        ids.extend(get(b"IDENTIFIER"));
                    }
                }
            }
            _ => {}
        }
    }
    ids
}

/// The file with every `ATTRIBUTE-VALUE-*` of a write-back definition cut (with the
/// blanks before it on its line) and each SPEC-OBJECT's LAST-CHANGE value cut; and per
/// SPEC-OBJECT, its LAST-CHANGE and the text of its write-back elements.
fn masked(xml: &[u8], defs: &[String]) -> (Vec<u8>, BTreeMap<String, (String, String)>) {
    let mut r = quick_xml::Reader::from_reader(xml);
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut objects: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut current: Option<String> = None;
    let mut value_start: Option<usize> = None;
    loop {
        let before = r.buffer_position() as usize;
        let ev = r.read_event().expect("well-formed");
        let after = r.buffer_position() as usize;
        match ev {
            Event::Eof => break,
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if name == "SPEC-OBJECT" {
                    let tag = &xml[before..after];
                    let text = String::from_utf8_lossy(tag);
                    let id = text
                        .split("IDENTIFIER=\"")
                        .nth(1)
                        .and_then(|s| s.split('"').next())
                        .unwrap_or_default()
                        .to_string();
                    let lc = text.find("LAST-CHANGE=\"").map(|i| i + 13);
                    // The whole attribute, with the blank before it: one the writer
                    // added to an object without it is cut too.
                    let value = lc.map(|i| {
                        let end = text[i..].find('"').unwrap() + i;
                        cuts.push((before + i - 14, before + end + 1));
                        text[i..end].to_string()
                    });
                    objects.insert(id.clone(), (value.unwrap_or_default(), String::new()));
                    current = Some(id);
                }
                if name.starts_with("ATTRIBUTE-VALUE-") && current.is_some() {
                    value_start = Some(before);
                }
            }
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if name == "SPEC-OBJECT" {
                    current = None;
                }
                if name.starts_with("ATTRIBUTE-VALUE-") {
                    if let (Some(s), Some(id)) = (value_start.take(), &current) {
                        let element = String::from_utf8_lossy(&xml[s..after]).into_owned();
                        if defs.iter().any(|d| element.contains(&format!(">{d}<"))) {
                            let mut from = s;
                            while from > 0 && matches!(xml[from - 1], b' ' | b'\t') {
                                from -= 1;
                            }
                            let to = if xml.get(after) == Some(&b'\n') {
                                after + 1
                            } else {
                                after
                            };
                            cuts.push((from, to));
                            objects.get_mut(id).unwrap().1.push_str(&element);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    cuts.sort();
    let mut out = Vec::with_capacity(xml.len());
    let mut at = 0;
    for (s, e) in cuts {
        out.extend_from_slice(&xml[at..s]);
        at = e;
    }
    out.extend_from_slice(&xml[at..]);
    (out, objects)
}

/// Every byte of `output` outside the write-back values and the LAST-CHANGE of the
/// objects whose write-back values changed is the input's; returns how many objects
/// changed.
fn assert_only_writeback_differs(input: &[u8], output: &[u8], what: &str) -> usize {
    let defs = writeback_definition_ids(input);
    assert_eq!(
        defs,
        writeback_definition_ids(output),
        "{what}: the definitions are kept"
    );
    assert!(
        !defs.is_empty(),
        "{what}: the input has the write-back attributes"
    );
    let (a, oa) = masked(input, &defs);
    let (b, ob) = masked(output, &defs);
    if a != b {
        let at = a
            .iter()
            .zip(&b)
            .position(|(x, y)| x != y)
            .unwrap_or(a.len().min(b.len()));
        panic!(
            "{what}: the output differs outside the write-back values at byte {at} (masked): {:?} vs {:?}",
            String::from_utf8_lossy(&a[at.saturating_sub(80)..(at + 80).min(a.len())]),
            String::from_utf8_lossy(&b[at.saturating_sub(80)..(at + 80).min(b.len())]),
        );
    }
    assert_eq!(oa.keys().collect::<Vec<_>>(), ob.keys().collect::<Vec<_>>());
    let mut changed = 0;
    for (id, (lc_a, wb_a)) in &oa {
        let (lc_b, wb_b) = &ob[id];
        if wb_a != wb_b {
            changed += 1;
        } else {
            assert_eq!(
                lc_a, lc_b,
                "{what}: {id}'s LAST-CHANGE changed, not its values"
            );
        }
    }
    changed
}

/// `opsplan reqs list FILE --format json`: each object's (is heading, attributes).
fn listed(file: &Path, id: Option<&str>) -> Vec<(bool, serde_json::Value)> {
    let mut args: Vec<std::ffi::OsString> = vec!["reqs".into(), "list".into(), file.into()];
    if let Some(id) = id {
        args.extend(["--id".into(), id.into()]);
    }
    args.extend(["--format".into(), "json".into()]);
    let (_, out, err) = run(args);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{err}"));
    v["files"][0]["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["is_heading"] == true, o["attributes"].clone()))
        .collect()
}

/// The write-back read back with opsplan holds, object by object in export order, the
/// coverage and "covered by" of the trace's `doors-csv` rows.
fn assert_reads_back_as_the_trace(
    mission: &Path,
    input: &Path,
    output: &Path,
    extra: &[&str],
    id: Option<&str>,
) {
    let mut args: Vec<std::ffi::OsString> =
        vec!["trace".into(), mission.into(), "-r".into(), input.into()];
    args.extend(extra.iter().map(Into::into));
    args.extend(["--format".into(), "doors-csv".into()]);
    let (_, csv, err) = run(args);
    let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .from_reader(csv.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert!(!rows.is_empty(), "{err}");
    let objects: Vec<serde_json::Value> = listed(output, id)
        .into_iter()
        .filter(|(heading, _)| !heading)
        .map(|(_, a)| a)
        .collect();
    assert_eq!(objects.len(), rows.len());
    for (a, row) in objects.iter().zip(&rows) {
        assert_eq!(a["OPS Coverage"], serde_json::json!([row[1]]), "{row:?}");
        let by = a
            .get("OPS Covered By")
            .and_then(|v| v.as_str())
            .unwrap_or("");
        assert_eq!(by, row[2], "{row:?}");
    }
}

// ---------------------------------------------------------------------------------------
// The example module

#[test]
fn the_round_trip_file_of_the_example_module_is_the_commands_output() {
    // SOURCE_DATE_EPOCH=1412075600 opsplan trace examples/atv5-week40 \
    //   -r requirements/atv-ops-roundtrip.reqif --format reqif-update \
    //   -o requirements/atv-ops-roundtrip.updated.reqif
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("updated.reqif");
    let (code, stdout, err) = write_back(Path::new(MISSION), &[Path::new(ROUND_TRIP)], &out, &[]);
    // trace's exit code: the mission has uncovered requirements.
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(stdout, "");
    assert!(err.starts_with("coverage 76.7 %"), "{err}");
    let kept = std::fs::read(root().join(ROUND_TRIP_UPDATED)).unwrap();
    assert!(
        std::fs::read(&out).unwrap() == kept,
        "regenerate {ROUND_TRIP_UPDATED} with the command in docs/doors-roundtrip.md"
    );
}

#[test]
fn the_example_write_back_changes_only_the_writeback_values_and_reads_back_as_the_trace() {
    let input = std::fs::read(root().join(ROUND_TRIP)).unwrap();
    let output = std::fs::read(root().join(ROUND_TRIP_UPDATED)).unwrap();
    // Every requirement's values change (one had stale ones, the others none).
    assert_eq!(
        assert_only_writeback_differs(&input, &output, ROUND_TRIP),
        30
    );
    // The stale values were replaced in place, nothing added beside them.
    let text = String::from_utf8(output).unwrap();
    assert!(!text.contains("set by hand"));
    assert_eq!(
        text.matches("LAST-CHANGE=\"2014-09-30T11:13:20Z\"").count(),
        30
    );
    assert_reads_back_as_the_trace(
        Path::new(MISSION),
        Path::new(ROUND_TRIP),
        Path::new(ROUND_TRIP_UPDATED),
        &[],
        Some("Req ID"),
    );
}

#[test]
fn writing_back_a_write_back_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("again.reqif");
    // A later day: an object whose values are already right keeps its LAST-CHANGE.
    let (code, _, err) = common::output_of(
        opsplan()
            .env("SOURCE_DATE_EPOCH", "1500000000")
            .args([
                "trace",
                MISSION,
                "-r",
                ROUND_TRIP_UPDATED,
                "--format",
                "reqif-update",
                "-o",
            ])
            .arg(&out),
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(
        std::fs::read(&out).unwrap() == std::fs::read(root().join(ROUND_TRIP_UPDATED)).unwrap()
    );
}

#[test]
fn the_importer_knows_the_profiles_writeback_attributes() {
    use opsplan::trace::writeback::Profile;
    for p in [Profile::Ops, Profile::ReqifWf] {
        let (a, b) = p.names();
        assert!(opsplan::reqs::reqif_update::WRITEBACK_NAMES.contains(&a));
        assert!(opsplan::reqs::reqif_update::WRITEBACK_NAMES.contains(&b));
    }
}

#[test]
fn the_reqif_update_needs_an_output_file() {
    let (code, out, err) = run([
        "trace",
        MISSION,
        "-r",
        ROUND_TRIP,
        "--format",
        "reqif-update",
    ]);
    assert_eq!(code, Some(2));
    assert_eq!(out, "");
    assert_eq!(
        err,
        "opsplan: error: --format reqif-update writes a ReqIF file: give the file with -o FILE\n"
    );
}

// ---------------------------------------------------------------------------------------
// Refused write-backs: exit 2, located, nothing written

#[test]
fn an_export_without_the_writeback_attributes_is_refused_with_the_recipe() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.reqif");
    let (code, stdout, err) = write_back(
        Path::new(MISSION),
        &[Path::new("requirements/atv-ops-requirements.reqif")],
        &out,
        &[],
    );
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(stdout, "");
    assert!(!out.exists());
    insta::assert_snapshot!("reqif_update_missing_attributes", err);
}

#[test]
fn an_enumeration_lacking_a_value_is_refused_at_its_definition() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("module.reqif");
    let text = std::fs::read_to_string(root().join(ROUND_TRIP)).unwrap();
    std::fs::write(
        &input,
        text.replace("LONG-NAME=\"withdrawn\"", "LONG-NAME=\"retired\""),
    )
    .unwrap();
    let out = dir.path().join("out.reqif");
    let (code, _, err) = write_back(Path::new(MISSION), &[&input], &out, &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(!out.exists());
    let shown = input.display().to_string();
    assert!(
        err.contains(&format!(
            "{shown}:69:9: DATATYPE-DEFINITION-ENUMERATION _3c0f2a7e-6b8d-4e19-a2f4-7d1e9c5b8a60 (OPS Coverage): the enumeration of the write-back attribute `OPS Coverage` lacks the value `withdrawn`"
        )),
        "{err}"
    );
    assert!(err.trim_end().ends_with("nothing was written"), "{err}");
}

#[test]
fn several_reqif_sources_need_a_choice() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.reqif");
    let amr = Path::new("requirements/baseline/atv-ops-requirements-baseline-1.reqif");
    let (code, _, err) = write_back(Path::new(MISSION), &[Path::new(ROUND_TRIP), amr], &out, &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(!out.exists());
    assert_eq!(
        err,
        "opsplan: error: the requirement sources hold 2 ReqIF or ReqIFz exports; choose the one to write back into with --writeback-source FILE:\n  requirements/atv-ops-roundtrip.reqif\n  requirements/baseline/atv-ops-requirements-baseline-1.reqif\n"
    );
    let (code, _, err) = write_back(
        Path::new(MISSION),
        &[Path::new(ROUND_TRIP), amr],
        &out,
        &["--writeback-source", ROUND_TRIP],
    );
    assert_eq!(code, Some(1), "{err}");
    let output = std::fs::read(&out).unwrap();
    let input = std::fs::read(root().join(ROUND_TRIP)).unwrap();
    assert_eq!(
        assert_only_writeback_differs(&input, &output, ROUND_TRIP),
        30
    );
}

#[test]
fn the_output_cannot_be_the_export_itself() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("module.reqif");
    std::fs::copy(root().join(ROUND_TRIP), &input).unwrap();
    let (code, _, err) = write_back(Path::new(MISSION), &[&input], &input, &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("opsplan: error: -o"), "{err}");
    assert!(std::fs::read(&input).unwrap() == std::fs::read(root().join(ROUND_TRIP)).unwrap());
}

#[test]
fn a_corrupt_reqifz_is_refused_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("module.reqifz");
    let zipped = zip_of(&[(
        "module.reqif",
        std::fs::read(root().join(ROUND_TRIP)).unwrap(),
    )]);
    std::fs::write(&input, &zipped[..zipped.len() / 2]).unwrap();
    let out = dir.path().join("out.reqifz");
    let (code, _, err) = write_back(Path::new(MISSION), &[&input], &out, &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(!out.exists());
    assert!(err.contains("module.reqifz"), "{err}");
}

#[test]
fn a_reqifz_of_the_example_module_is_written_back_member_by_member() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("module.reqifz");
    let reqif = std::fs::read(root().join(ROUND_TRIP)).unwrap();
    let picture = b"\x89PNG\r\n\x1a\n not really a picture".to_vec();
    std::fs::write(
        &input,
        zip_of(&[
            ("module.reqif", reqif.clone()),
            ("files/pic.png", picture.clone()),
        ]),
    )
    .unwrap();
    let out = dir.path().join("out.reqifz");
    let (code, _, err) = write_back(Path::new(MISSION), &[&input], &out, &[]);
    assert_eq!(code, Some(1), "{err}");
    let members = unzip(&std::fs::read(&out).unwrap());
    assert_eq!(
        members.keys().collect::<Vec<_>>(),
        ["files/pic.png", "module.reqif"]
    );
    assert_eq!(members["files/pic.png"], picture);
    assert!(members["module.reqif"] == std::fs::read(root().join(ROUND_TRIP_UPDATED)).unwrap());
}

// ---------------------------------------------------------------------------------------
// Corpus exports, with the write-back attributes added to a temporary copy

fn zip_of(members: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in members {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..a.len() {
        let mut m = a.by_index(i).unwrap();
        let mut data = Vec::new();
        m.read_to_end(&mut data).unwrap();
        out.insert(m.name().to_string(), data);
    }
    out
}

fn add_definitions(reqif: &[u8]) -> Vec<u8> {
    opsplan::reqs::reqif_update::with_writeback_definitions(
        reqif,
        NAMES[0],
        NAMES[1],
        &[
            "covered",
            "justified",
            "suspect",
            "uncovered",
            "not-required",
            "withdrawn",
        ],
    )
    .unwrap()
}

/// A copy of a corpus export with the write-back attributes: a ReqIF, or a ReqIFz whose
/// `.reqif` members get them (the other members copied as they are).
fn with_attributes(export: &Path, to: &Path) {
    let bytes = std::fs::read(export).unwrap();
    if bytes.starts_with(b"PK\x03\x04") {
        let members: Vec<(String, Vec<u8>)> = unzip(&bytes)
            .into_iter()
            .map(|(n, b)| {
                let b = if n.ends_with(".reqif") {
                    add_definitions(&b)
                } else {
                    b
                };
                (n, b)
            })
            .collect();
        let refs: Vec<(&str, Vec<u8>)> = members
            .iter()
            .map(|(n, b)| (n.as_str(), b.clone()))
            .collect();
        std::fs::write(to, zip_of(&refs)).unwrap();
    } else {
        std::fs::write(to, add_definitions(&bytes)).unwrap();
    }
}

/// The `.reqif` texts of a ReqIF or ReqIFz file, by member.
fn reqif_texts(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    if bytes.starts_with(b"PK\x03\x04") {
        unzip(bytes)
            .into_iter()
            .filter(|(n, _)| n.ends_with(".reqif"))
            .collect()
    } else {
        BTreeMap::from([(String::new(), bytes.to_vec())])
    }
}

#[test]
fn corpus_exports_written_back_change_only_the_writeback_values() {
    // Left for .ci/reqif-roundtrip.py (the independent reader) to read again.
    let keep = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("reqif-roundtrip");
    std::fs::create_dir_all(&keep).unwrap();
    for export in [
        "reqif/pror_rmf_software_requirements_spec.reqif",
        "reqif/rmf_TC1300_short_namespace_prefix.reqif",
        "reqif/polarion_live_doc_anonymized.reqif",
        "reqif/doorsng_702_stk_module_with_images.reqifz",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let source = corpus(export);
        let name = source.file_name().unwrap().to_string_lossy().into_owned();
        let input = dir.path().join(&name);
        with_attributes(&source, &input);
        // A plan covering the first requirement the trace lists.
        let plan = dir.path().join("p.plan");
        let plan_text = |covers: &str| {
            format!("plan P \"Corpus\" {{\n  horizon 2014/272 00:00 .. 2014/273 00:00\n  roles FD\n  activity A1 \"Read\" {{ at 2014/272 01:00 lasts 1h by FD{covers} }}\n}}\n")
        };
        std::fs::write(&plan, plan_text("")).unwrap();
        let (_, json, err) = run([
            "trace".as_ref(),
            plan.as_os_str(),
            "--no-config".as_ref(),
            "-r".as_ref(),
            input.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ]);
        let v: serde_json::Value =
            serde_json::from_str(&json).unwrap_or_else(|_| panic!("{export}: {err}"));
        let first = v["requirements"][0]["id"]
            .as_str()
            .expect("a requirement")
            .to_string();
        std::fs::write(&plan, plan_text(&format!(" covers \"{first}\""))).unwrap();
        let out = dir.path().join(format!("updated-{name}"));
        let (code, _, err) = write_back(&plan, &[&input], &out, &["--no-config"]);
        assert_eq!(code, Some(1), "{export}: {err}");
        let (a, b) = (std::fs::read(&input).unwrap(), std::fs::read(&out).unwrap());
        let (ta, tb) = (reqif_texts(&a), reqif_texts(&b));
        assert_eq!(
            ta.keys().collect::<Vec<_>>(),
            tb.keys().collect::<Vec<_>>(),
            "{export}"
        );
        let changed: usize = ta
            .iter()
            .map(|(m, x)| assert_only_writeback_differs(x, &tb[m], &format!("{export} {m}")))
            .sum();
        assert!(changed > 0, "{export}");
        if a.starts_with(b"PK\x03\x04") {
            // Every other member unchanged.
            let (ma, mb) = (unzip(&a), unzip(&b));
            for (n, bytes) in &ma {
                if !n.ends_with(".reqif") {
                    assert!(mb[n] == *bytes, "{export}: member {n}");
                }
            }
        }
        assert_reads_back_as_the_trace(&plan, &input, &out, &["--no-config"], None);
        // The write-back of the write-back is the same file.
        let again = dir.path().join(format!("again-{name}"));
        let (code, _, err) = write_back(&plan, &[&out], &again, &["--no-config"]);
        assert_eq!(code, Some(1), "{export}: {err}");
        assert!(std::fs::read(&again).unwrap() == b, "{export}");
        std::fs::copy(&input, keep.join(format!("{name}.in"))).unwrap();
        std::fs::copy(&out, keep.join(format!("{name}.out"))).unwrap();
    }
}
