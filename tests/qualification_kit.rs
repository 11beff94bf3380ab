//! `opsplan report qualification` (docs/qualification.md): the kit made from a small
//! repository (`tests/data/qualification/kit/`: a TOR of three requirements, a test source,
//! a JUnit report with a pass, a failure and a case not run, a defects example with a
//! defect not caught), its JSON snapshot, escaping, refusals and determinism; and the kit of
//! this repository, whose seeded defects must all be caught.
//! (Not named `ops_tor_…`: these tests verify the kit, not a Tool Operational Requirement.)

mod common;

use std::path::{Path, PathBuf};

const KIT: &str = "tests/data/qualification/kit";

fn opsplan() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("opsplan").expect("binary built");
    c.env_remove("NO_COLOR").env_remove("SOURCE_DATE_EPOCH");
    c
}

fn kit_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(KIT)
}

/// Runs the kit of the small repository into `out`: (exit code, stdout, stderr).
fn make_kit(out: &Path) -> (Option<i32>, String, String) {
    common::output_of(
        opsplan()
            .current_dir(kit_root())
            .env("SOURCE_DATE_EPOCH", "1412121600")
            .args(["report", "qualification", "--junit", "junit.xml", "--out"])
            .arg(out),
    )
}

/// The kit's JSON with what depends on the build (the binary's hash, version, compiler)
/// replaced.
fn redacted(json: &str) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(json).expect("JSON");
    v["binary"]["sha256"] = "[sha256]".into();
    v["binary"]["version"] = "[version]".into();
    v["binary"]["rustc"] = "[rustc]".into();
    v["configuration"]["rustc"] = "[rustc]".into();
    v["provenance"]["version"] = "[version]".into();
    v
}

#[test]
fn the_kit_of_a_small_repository() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kit");
    let (code, stdout, err) = make_kit(&out);
    // A failed case, a case not run and a defect not caught: written, and exit 1.
    assert_eq!(code, Some(1), "{stdout}{err}");
    assert!(
        err.contains("1 of 3 tool operational requirements verified")
            && err.contains("2 of 3 seeded defects caught"),
        "{err}"
    );
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    let mut names = names;
    names.sort();
    assert_eq!(names, ["index.html", "kit.json"]);
    let json = std::fs::read_to_string(out.join("kit.json")).unwrap();
    let v = redacted(&json);
    let sha = serde_json::from_str::<serde_json::Value>(&json).unwrap()["binary"]["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(sha.len(), 64, "the binary's SHA-256: {sha}");
    insta::assert_snapshot!(
        "qualification_kit_json",
        serde_json::to_string_pretty(&v).unwrap()
    );
}

#[test]
fn the_kit_escapes_every_input_text_in_html() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kit");
    let (code, _, err) = make_kit(&out);
    assert_eq!(code, Some(1), "{err}");
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    // The TOR, a test's description, a defect, the conditions of use hold markup.
    for raw in [
        "<script>alert('tor')</script>",
        "<script>alert('conditions')</script>",
        "<b>bold</b>",
        "<em>loudly</em>",
        "<i>A12</i>",
    ] {
        assert!(!html.contains(raw), "{raw} is not escaped");
    }
    assert!(
        html.contains("&lt;script&gt;alert("),
        "escaped markup is shown"
    );
    assert!(!html.contains("<script"), "the kit has no script at all");
    // The sections, and what each row says.
    for id in [
        "id=\"tor\"",
        "id=\"cases\"",
        "id=\"results\"",
        "id=\"defects\"",
        "id=\"conditions\"",
        "id=\"limitations\"",
        "id=\"configuration\"",
        "id=\"provenance\"",
    ] {
        assert!(html.contains(id), "{id}");
    }
    assert!(html.contains("NOT VERIFIED"));
    // The conditions of use are the section of docs/qualification.md, not the page.
    assert!(!html.contains("Not in the kit."));
}

#[test]
fn two_kits_of_the_same_inputs_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    make_kit(&a);
    make_kit(&b);
    for f in ["index.html", "kit.json"] {
        assert!(
            std::fs::read(a.join(f)).unwrap() == std::fs::read(b.join(f)).unwrap(),
            "{f} differs"
        );
    }
}

#[test]
fn an_output_folder_holding_an_input_or_not_empty_is_refused() {
    let root = kit_root();
    let tor = root.join("qualification/tor.csv");
    let before = std::fs::read(&tor).unwrap();
    // The folder of the TOR, a folder above the defects example, and a link to it.
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("link");
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("examples"), &link).unwrap();
    #[cfg(not(unix))]
    let link = root.join("examples");
    for out in [Path::new("qualification"), Path::new("examples"), &link] {
        let (code, stdout, err) = common::output_of(
            opsplan()
                .current_dir(&root)
                .args(["report", "qualification", "--junit", "junit.xml", "--out"])
                .arg(out),
        );
        assert_eq!(code, Some(2), "{}: {stdout}{err}", out.display());
        assert!(
            err.contains("an input of this run (read as") && err.contains("nothing written"),
            "{err}"
        );
        assert!(stdout.is_empty());
    }
    assert_eq!(std::fs::read(&tor).unwrap(), before, "the TOR is untouched");
    // A folder that is not empty is refused too.
    let full = dir.path().join("full");
    std::fs::create_dir(&full).unwrap();
    std::fs::write(full.join("x"), "x").unwrap();
    let (code, _, err) = common::output_of(
        opsplan()
            .current_dir(&root)
            .args(["report", "qualification", "--junit", "junit.xml", "--out"])
            .arg(&full),
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("exists and is not empty"), "{err}");
    // No temporary is left beside a refused or a written kit.
    let out = dir.path().join("kit");
    make_kit(&out);
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| {
            let n = e.unwrap().file_name().to_string_lossy().to_string();
            n.starts_with(".opsplan-tmp-").then_some(n)
        })
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_missing_or_malformed_junit_file_is_an_input_failure() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kit");
    let (code, _, err) = common::output_of(
        opsplan()
            .current_dir(kit_root())
            .args(["report", "qualification", "--out"])
            .arg(&out),
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("target/nextest/qualification/junit.xml")
            && err.contains("cargo nextest run --profile qualification"),
        "{err}"
    );
    let bad = dir.path().join("bad.xml");
    std::fs::write(&bad, "<testsuites>\n<testcase name=\"a\">\n</testsuite>\n").unwrap();
    let (code, _, err) = common::output_of(
        opsplan()
            .current_dir(kit_root())
            .args(["report", "qualification", "--junit"])
            .arg(&bad)
            .arg("--out")
            .arg(&out),
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("bad.xml: line 3:"), "{err}");
    assert!(!out.exists(), "nothing written");
}

#[test]
fn every_seeded_defect_of_the_defects_example_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kit");
    let junit = kit_root().join("junit.xml");
    let (code, _, err) = common::output_of(
        opsplan()
            .args(["report", "qualification", "--junit"])
            .arg(&junit)
            .arg("--out")
            .arg(&out),
    );
    // This repository's kit, judged against a JUnit file of three cases: not verified.
    assert_eq!(code, Some(1), "{err}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("kit.json")).unwrap()).unwrap();
    let defects = &v["defects"];
    let seeded = defects["seeded"].as_array().unwrap();
    assert!(seeded.len() >= 30, "{} seeded defects", seeded.len());
    let missed: Vec<&serde_json::Value> = seeded.iter().filter(|d| d["caught"] != true).collect();
    assert!(missed.is_empty(), "defects not caught: {missed:#?}");
    assert_eq!(defects["unlisted"], serde_json::json!([]));
    // Every requirement of the TOR has its cases listed, and the configuration index
    // lists this package and its dependencies.
    let rows = v["tor"]["rows"].as_array().unwrap();
    assert!(rows
        .iter()
        .filter(|r| r["heading"] == false)
        .all(|r| !r["tests"].as_array().unwrap().is_empty()));
    let packages = v["configuration"]["packages"].as_array().unwrap();
    assert!(packages
        .iter()
        .any(|p| p["name"] == "opsplan" && p["source"] == "local"));
    assert!(packages.iter().any(|p| p["name"] == "tera"));
}
