//! The defects example documents every finding it gives: its README's table lists each
//! finding of `opsplan check --format json examples/atv5-week40-defects` (file, line:col,
//! code) and nothing else, and each defect is marked by a `// DEFECT: CODE` comment on the
//! line just above the line its finding points at (`# DEFECT:` in YAML). Regenerate the table's positions from
//! the JSON output when the example changes.

use std::collections::BTreeSet;

const DIR: &str = "examples/atv5-week40-defects";

fn findings() -> Vec<serde_json::Value> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opsplan"))
        .args(["check", DIR, "--format", "json"])
        .output()
        .expect("opsplan runs");
    assert_eq!(out.status.code(), Some(1), "the defects example fails");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    v["diagnostics"].as_array().expect("diagnostics").clone()
}

/// (file relative to the example, "line:col", code) of each finding but the uncovered
/// requirements, which the README describes in prose.
fn from_json() -> BTreeSet<(String, String, String)> {
    findings()
        .iter()
        .filter(|d| d["code"] != "Q007")
        .map(|d| {
            let file = d["file"].as_str().unwrap();
            let file = file
                .strip_prefix(&format!("{DIR}/"))
                .unwrap_or(file)
                .to_string();
            (
                file,
                format!("{}:{}", d["line"], d["column"]),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn from_readme() -> BTreeSet<(String, String, String)> {
    let text = std::fs::read_to_string(format!("{DIR}/README.md")).unwrap();
    text.lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            // | file | line:col | at | code | defect |
            let file = cells[1].trim_matches('`').to_string();
            let code = cells[4].split_whitespace().next().unwrap().to_string();
            (file, cells[2].to_string(), code)
        })
        .collect()
}

#[test]
fn the_readme_table_lists_exactly_the_findings() {
    let json = from_json();
    let readme = from_readme();
    let missing: Vec<_> = json.difference(&readme).collect();
    let stale: Vec<_> = readme.difference(&json).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "README table out of date.\nfindings not in the table: {missing:#?}\nrows no finding has: {stale:#?}"
    );
}

#[test]
fn each_defect_is_marked_on_the_line_above_its_finding() {
    let mut wrong = Vec::new();
    for (file, pos, code) in from_json() {
        let line: usize = pos.split(':').next().unwrap().parse().unwrap();
        let text = std::fs::read_to_string(format!("{DIR}/{file}")).unwrap();
        let above = text.lines().nth(line - 2).unwrap_or_default();
        let comment = if file.ends_with(".yaml") { "#" } else { "//" };
        if !above
            .trim_start()
            .starts_with(&format!("{comment} DEFECT: {code}"))
        {
            wrong.push(format!(
                "{file}:{line}: not `{comment} DEFECT: {code} …` above but {above:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
