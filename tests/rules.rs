//! One fixture per rule code under `tests/fixtures/<CODE>-<name>/`: the fixture must
//! trigger its code, and the text output is snapshot-tested as the user sees it.

use opsplan::checks::{registry, Reporter};
use opsplan::diag::{Code, Family, ALL_CODES};
use opsplan::output;
use opsplan::workspace::check_paths;
use opsplan::workspace::requirements::{load_requirements, ImportOptions};
use std::collections::HashSet;
use std::path::PathBuf;

fn fixture_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("tests/fixtures")
        .expect("tests/fixtures exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn every_fixture_triggers_its_rule_and_matches_its_snapshot() {
    for dir in fixture_dirs() {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let code_text = name.split('-').next().unwrap();
        let code = Code::lookup(code_text).unwrap_or_else(|| panic!("{name}: no code {code_text}"));
        let expected_name = &name[code_text.len() + 1..];
        assert_eq!(
            code.info().name,
            expected_name,
            "fixture {name} is named after its rule"
        );
        // Import codes come from reading exports; trace codes from `check` of a folder
        // whose opsplan.yaml names the exports.
        let (sources, diagnostics) =
            if code.info().family == Family::Requirements && !dir.join("opsplan.yaml").exists() {
                let run = load_requirements(std::slice::from_ref(&dir), &ImportOptions::default())
                    .expect("fixture loads");
                (run.sources, run.diagnostics)
            } else {
                let run = check_paths(std::slice::from_ref(&dir)).expect("fixture loads");
                (run.sources, run.diagnostics)
            };
        assert!(
            diagnostics.iter().any(|d| d.code == code),
            "{name} does not trigger {code_text}: {diagnostics:#?}"
        );
        let mut text = output::text::render(&sources, &diagnostics, false);
        text.push_str(&output::summary(&diagnostics, sources.len()));
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn every_code_has_a_fixture() {
    let have: HashSet<String> = fixture_dirs()
        .iter()
        .map(|d| {
            d.file_name()
                .unwrap()
                .to_string_lossy()
                .split('-')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    for c in ALL_CODES {
        assert!(
            have.contains(c.info().code),
            "no fixture for {}",
            c.info().code
        );
    }
}

#[test]
fn every_code_has_exactly_one_documented_rule() {
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    for c in ALL_CODES {
        let i = c.info();
        assert!(codes.insert(i.code), "code {} used twice", i.code);
        assert!(names.insert(i.name), "name {} used twice", i.name);
        assert!(
            i.name
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch == '-'),
            "{} is not kebab-case",
            i.name
        );
        assert!(
            !i.name.starts_with("check"),
            "{}: names say the problem, not the check",
            i.name
        );
        let entries: Vec<_> = registry().iter().filter(|r| r.code == *c).collect();
        assert_eq!(
            entries.len(),
            1,
            "{} has {} rule entries",
            i.code,
            entries.len()
        );
        let doc = entries[0].documentation();
        for heading in ["## What it does", "## Why it matters", "## Example"] {
            assert!(
                doc.contains(heading),
                "{}: documentation lacks `{heading}`",
                i.code
            );
        }
    }
    assert_eq!(
        registry().len(),
        ALL_CODES.len(),
        "a rule entry without a code"
    );
    let checks = registry()
        .iter()
        .filter(|r| matches!(r.reporter, Reporter::Check(_)))
        .count();
    assert!(checks >= 15);
}
