//! Inputs the fuzz targets (fuzz/, docs/fuzzing.md) once crashed or hung on, replayed
//! through the same entry points: `tests/data/fuzz/<target>/<name>`, one input per file,
//! read as the target reads it. Adding a file here is enough to add a regression test.

use opsplan::reqs::tabular::{import_csv, import_workbook, ColumnMap};
use opsplan::source::FileId;
use opsplan::syntax::format::{format, FormatError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[path = "../fuzz/bodies.rs"]
mod bodies;

/// What every fuzz target checks: the same bodies as in `fuzz/fuzz_targets/`.
fn run_target(target: &str, data: &[u8]) {
    match target {
        "parse" => {
            let Ok(text) = std::str::from_utf8(data) else {
                return;
            };
            let _ = opsplan::syntax::parse(FileId(0), text);
            match format(text) {
                Ok(once) => {
                    let twice = format(&once).expect("formatted text formats again");
                    assert_eq!(once, twice, "formatting is not idempotent");
                }
                Err(FormatError::Syntax) => {}
                Err(FormatError::Changed(why)) => panic!("the formatter changed the text: {why}"),
            }
        }
        "check" => {
            let Ok(text) = std::str::from_utf8(data) else {
                return;
            };
            let rules = include_str!("../examples/atv5-week40/flight-rules.yaml");
            let run = opsplan::workspace::check_texts(&[
                ("fuzz.plan", text),
                ("flight-rules.yaml", rules),
            ]);
            let _ = run.verdict();
        }
        "reqif" | "reqifz" => {
            let mut bytes = Vec::new();
            if target == "reqifz" && !data.starts_with(b"PK\x03\x04") {
                bytes.extend_from_slice(b"PK\x03\x04");
            }
            bytes.extend_from_slice(data);
            let _ = opsplan::reqs::reqif::import_reqif(FileId(0), &bytes);
        }
        "csv" => {
            let _ = import_csv(FileId(0), data, &ColumnMap::default());
        }
        "xlsx" => {
            let _ = import_workbook(FileId(0), data, "xlsx", &ColumnMap::default(), None);
        }
        "flight_rules" => {
            let Ok(text) = std::str::from_utf8(data) else {
                return;
            };
            let plan = include_str!("../fuzz/flight_rules.plan");
            let model = opsplan::workspace::check_texts(&[("fuzz.plan", plan)]).model;
            let (set, _) = opsplan::flight::load(FileId(0), text);
            let rules: Vec<_> = set.rules.iter().collect();
            let _ = opsplan::flight::evaluate(&model, &rules);
        }
        "fmt_edit" => bodies::fmt_edit(data),
        "windows_csv" => bodies::windows_csv(data),
        "scenario" => bodies::scenario(data),
        "roster" => bodies::roster(data),
        other => panic!("tests/data/fuzz/{other}: no such fuzz target"),
    }
}

const TARGETS: &[&str] = &[
    "parse",
    "check",
    "reqif",
    "reqifz",
    "csv",
    "xlsx",
    "flight_rules",
    "fmt_edit",
    "windows_csv",
    "scenario",
    "roster",
];

fn inputs() -> Vec<(String, PathBuf)> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz");
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(&base) else {
        return found;
    };
    for entry in entries {
        let dir = entry.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let target = dir.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            TARGETS.contains(&target.as_str()),
            "tests/data/fuzz/{target}: no such fuzz target"
        );
        for file in std::fs::read_dir(&dir).unwrap() {
            found.push((target.clone(), file.unwrap().path()));
        }
    }
    found.sort();
    found
}

#[test]
fn every_fuzz_finding_is_fixed() {
    for (target, path) in inputs() {
        let data = std::fs::read(&path).unwrap();
        let started = Instant::now();
        let outcome = std::panic::catch_unwind(|| run_target(&target, &data));
        assert!(outcome.is_ok(), "{target}: {} panics", path.display());
        // The fuzzers stop an input after 10 s (release build); a debug build is slower.
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{target}: {} took {:?}",
            path.display(),
            started.elapsed()
        );
    }
}

/// The shared bodies run on a few inputs here too, so a change that breaks one fails
/// `cargo test`, not only the next fuzz run.
#[test]
fn the_shared_bodies_run_on_plain_inputs() {
    bodies::fmt_edit(&[0, 10, 0, 2, 200, 1, 4]);
    bodies::fmt_edit(&[2, 255, 255, 3]);
    bodies::windows_csv(include_bytes!(
        "../examples/atv5-week40/windows/rgs-week40.csv"
    ));
    bodies::scenario(include_bytes!(
        "../examples/atv5-week40/scenarios/sim-rbt-overtemp.scn"
    ));
}
