//! Findings on requirements inside a ReqIFz archive point into the `.reqif` member that
//! holds them (`archive.reqifz!Requirements.reqif:LINE:COLUMN`, with the member's text as
//! the excerpt), in every output: `trace` text and JSON, `check` JSON and SARIF, `reqs
//! list`; and the archive is still the input `-o` must not replace.
//!
//! The archives are built here from the example ReqIF export, so each finding can be
//! compared with the one on the plain file.

mod common;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

const MISSION: &str = "examples/atv5-week40";
const CURRENT: &str = "requirements/atv-ops-requirements.reqif";

fn opsplan() -> Command {
    let mut c = Command::cargo_bin("opsplan").expect("binary built");
    c.env_remove("NO_COLOR").env_remove("SOURCE_DATE_EPOCH");
    c
}

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

/// A ReqIFz at `path` holding `members` (name, bytes), deflated, and a picture.
fn reqifz(path: &Path, members: &[(&str, &[u8])]) -> PathBuf {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("media/logo.png", opts).unwrap();
    w.write_all(b"\x89PNG").unwrap();
    for (name, bytes) in members {
        w.start_file(*name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap();
    path.to_path_buf()
}

/// The example export as the one member `Requirements.reqif` of `dir/atv.reqifz`.
fn example_reqifz(dir: &Path) -> PathBuf {
    let bytes = std::fs::read(CURRENT).unwrap();
    reqifz(&dir.join("atv.reqifz"), &[("Requirements.reqif", &bytes)])
}

#[test]
fn trace_findings_on_requirements_in_a_reqifz_point_into_the_member() {
    let dir = tempfile::tempdir().unwrap();
    let z = example_reqifz(dir.path());
    let zs = z.display().to_string();
    let member = format!("{zs}!Requirements.reqif");
    let (code, plain, err) = run(["trace", MISSION, "--color", "never"]);
    assert_eq!(code, Some(1), "{err}");
    let (code, zipped, err) = run([
        "trace", MISSION, "-r", &zs, "--id", "Req ID", "--color", "never",
    ]);
    assert_eq!(code, Some(1), "{err}");
    // Q007 (uncovered, at the requirement) and Q006 (suspect, its secondary label at
    // the requirement now) point into the member, at the line and column the plain
    // file has, with the member's lines as the excerpt.
    let q007 = "warning[Q007]: requirement `ATV-OPS-REQ-002` is covered by nothing";
    let block = |text: &str| -> String {
        let at = text.find(q007).unwrap_or_else(|| panic!("{text}"));
        text[at..].lines().take(5).collect::<Vec<_>>().join("\n")
    };
    let zipped_block = block(&zipped);
    assert!(
        zipped_block.contains(&format!("--> {member}:")),
        "{zipped_block}"
    );
    assert!(zipped_block.contains("<SPEC-OBJECT"), "{zipped_block}");
    assert_eq!(zipped_block.replace(&member, CURRENT), block(&plain));
    // Everything else is the same as well: the header names the archive.
    assert_eq!(
        zipped.replace(&member, CURRENT).replace(&zs, CURRENT),
        plain
    );
    assert!(!zipped.contains(&format!("{zs}:1:1")), "{zipped}");

    // JSON: the findings' file, line and column; each requirement's file and location.
    let json = |args: &[&str]| -> serde_json::Value {
        let (_, out, err) = run(args);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"))
    };
    let plain = json(&["trace", MISSION, "--format", "json"]);
    let zipped = json(&[
        "trace", MISSION, "-r", &zs, "--id", "Req ID", "--format", "json",
    ]);
    let finding = |j: &serde_json::Value, code: &str| -> serde_json::Value {
        j["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == code)
            .unwrap_or_else(|| panic!("no {code}"))
            .clone()
    };
    let (p, z7) = (finding(&plain, "Q007"), finding(&zipped, "Q007"));
    assert_eq!(z7["file"], member.as_str());
    assert_eq!((&z7["line"], &z7["column"]), (&p["line"], &p["column"]));
    assert!(z7["line"].as_u64().unwrap() > 1);
    let req = |j: &serde_json::Value| -> serde_json::Value {
        j["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == "ATV-OPS-REQ-002")
            .unwrap()
            .clone()
    };
    let (p, r) = (req(&plain), req(&zipped));
    assert_eq!(r["file"], member.as_str());
    assert_eq!(r["location"]["member"], "Requirements.reqif");
    assert_eq!(r["location"]["line"], p["location"]["line"]);
    assert_eq!(r["location"]["column"], p["location"]["column"]);
    assert_eq!(r["location"]["element"], p["location"]["element"]);
    assert!(p["location"].get("member").is_none());
}

/// The example mission in `dir/mission`, its project file naming `atv.reqifz` beside it.
fn mission_with_reqifz(dir: &Path, members: &[(&str, &[u8])]) -> PathBuf {
    let mission = dir.join("mission");
    common::copy_dir(Path::new(MISSION), &mission);
    reqifz(&mission.join("atv.reqifz"), members);
    std::fs::write(
        mission.join("opsplan.yaml"),
        "inputs: [atv5-week40.plan, procedures/, scenarios/]\n\
         requirements:\n  sources: atv.reqifz\n  id: Req ID\n",
    )
    .unwrap();
    mission
}

#[test]
fn check_json_and_sarif_locate_findings_in_the_member() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(CURRENT).unwrap();
    let mission = mission_with_reqifz(dir.path(), &[("Requirements.reqif", &bytes)]);
    let member = format!(
        "{}!Requirements.reqif",
        mission.join("atv.reqifz").display()
    );
    let (_, plain, _) = run(["trace", MISSION, "--format", "json"]);
    let plain: serde_json::Value = serde_json::from_str(&plain).unwrap();
    let expected = plain["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "Q007")
        .unwrap()
        .clone();
    let m = mission.to_str().unwrap();

    let (_, out, err) = run(["check", m, "--format", "json"]);
    let json: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    let found: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .or_else(|| json.as_array())
        .unwrap_or_else(|| panic!("{json}"))
        .iter()
        .filter(|d| d["code"] == "Q007")
        .collect();
    assert!(!found.is_empty(), "{json}");
    let q = found
        .iter()
        .find(|d| d["message"] == expected["message"])
        .unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(q["file"], member.as_str());
    assert_eq!(
        (&q["line"], &q["column"]),
        (&expected["line"], &expected["column"])
    );

    let (_, out, err) = run(["check", m, "--format", "sarif"]);
    let sarif: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["ruleId"] == "Q007"
                && r["message"]["text"]
                    .as_str()
                    .is_some_and(|t| t.contains("`ATV-OPS-REQ-002`"))
        })
        .unwrap_or_else(|| panic!("{sarif}"))
        .clone();
    let loc = &result["locations"][0]["physicalLocation"];
    let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
    assert!(
        uri.ends_with("/mission/atv.reqifz%21Requirements.reqif"),
        "{uri}"
    );
    assert_eq!(loc["region"]["startLine"], expected["line"]);
    assert_eq!(loc["region"]["startColumn"], expected["column"]);
}

#[test]
fn an_import_problem_inside_a_member_is_located_in_the_member() {
    // The example export cut at byte 40,000 (line 722, column 6), as a member.
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(CURRENT).unwrap();
    let z = reqifz(
        &dir.path().join("cut.reqifz"),
        &[("Requirements.reqif", &bytes[..40_000])],
    );
    let zs = z.to_str().unwrap();
    let message = "error[Q001]: the ReqIF file is truncated: `ATTRIBUTE-VALUE-XHTML` is not closed";
    let location = format!("--> {zs}!Requirements.reqif:722:6");
    let (code, out, err) = run(["reqs", "list", zs, "--color", "never"]);
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(out.contains(message), "{out}");
    assert!(out.contains(&location), "{out}");
    assert!(!out.contains("in member"), "the location says it: {out}");
    // The excerpt is the member's line 722.
    let line_722 = String::from_utf8_lossy(&bytes[..40_000])
        .lines()
        .nth(721)
        .unwrap()
        .trim_end()
        .to_string();
    assert!(out.contains(&format!("722 | {line_722}")), "{out}");

    let (code, out, err) = run([
        "trace", MISSION, "-r", zs, "--id", "Req ID", "--color", "never",
    ]);
    assert_eq!(code, Some(2), "{out}{err}");
    assert_eq!(out, "");
    assert!(err.contains(message) && err.contains(&location), "{err}");
    assert!(err.ends_with("opsplan: error: an input could not be read; no trace written\n"));
}

#[test]
fn reqs_list_shows_an_object_at_its_line_in_the_member() {
    let dir = tempfile::tempdir().unwrap();
    let z = example_reqifz(dir.path());
    let zs = z.to_str().unwrap();
    let (code, plain, _) = run(["reqs", "list", CURRENT, "--id", "Req ID"]);
    assert_eq!(code, Some(0));
    let (code, zipped, err) = run(["reqs", "list", zs, "--id", "Req ID"]);
    assert_eq!(code, Some(0), "{err}");
    let at = |text: &str, prefix: &str| -> Vec<String> {
        text.lines()
            .filter_map(|l| l.trim().strip_prefix("at "))
            .map(|l| l.replacen(prefix, "", 1))
            .collect()
    };
    let places = at(&zipped, &format!("{zs}!Requirements.reqif"));
    assert!(!places.is_empty(), "{zipped}");
    assert!(places[0].starts_with(':') && places[0].contains(" SPEC-OBJECT "));
    assert_eq!(places, at(&plain, CURRENT));
}

#[test]
fn the_archive_is_still_an_input_that_an_output_must_not_replace() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(CURRENT).unwrap();
    let mission = mission_with_reqifz(dir.path(), &[("Requirements.reqif", &bytes)]);
    let archive = mission.join("atv.reqifz");
    let before = std::fs::read(&archive).unwrap();
    let (code, out, err) = run([
        "trace".as_ref(),
        mission.as_os_str(),
        "-o".as_ref(),
        archive.as_os_str(),
    ]);
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(
        err.contains("is an input of this run (read as a requirement export): nothing written"),
        "{err}"
    );
    assert_eq!(std::fs::read(&archive).unwrap(), before);
    // Nor standard output redirected onto it.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opsplan"))
        .arg("trace")
        .arg(&mission)
        .stdout(
            std::fs::OpenOptions::new()
                .append(true)
                .open(&archive)
                .unwrap(),
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(&archive).unwrap(), before);
}
