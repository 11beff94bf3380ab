//! The documentation shows what opsplan does:
//!
//! - every ```opsplan block in docs/language.md is a complete file that parses cleanly;
//! - every ```opsplan block of docs/*.md and README.md is in the layout `opsplan fmt`
//!   writes (the formatter would not change it);
//! - the window file example of docs/language.md ("Window files") reads as the page says;
//! - the negative-offset example of docs/language.md checks clean;
//! - the diagnostic code table of docs/language.md is one table with one row per code.

use opsplan::diag::ALL_CODES;
use opsplan::source::FileId;
use opsplan::time::Time;
use std::path::{Path, PathBuf};

/// The fenced blocks of `doc` whose info string is `tag`: (first line of the body, 1-based;
/// body).
fn blocks(doc: &str, tag: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (n, line) in doc.lines().enumerate() {
        let fence = line.trim_start().strip_prefix("```");
        match (&mut current, fence) {
            (None, Some(info)) if info.trim() == tag => current = Some((n + 2, String::new())),
            (Some((start, text)), Some(_)) => {
                out.push((*start, std::mem::take(text)));
                current = None;
            }
            (Some((_, text)), None) => {
                text.push_str(line);
                text.push('\n');
            }
            _ => {}
        }
    }
    assert!(current.is_none(), "a ```{tag} block is never closed");
    out
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every Markdown page of docs/, and the README.
fn doc_pages() -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir("docs")
        .expect("docs/ exists")
        .map(|e| e.expect("a docs/ entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    pages.sort();
    pages.push(PathBuf::from("README.md"));
    pages
}

fn doy(text: &str) -> Time {
    Time::parse_doy(text).expect("a day-of-year time")
}

#[test]
fn every_language_example_parses() {
    let doc = read("docs/language.md");
    let blocks = blocks(&doc, "opsplan");
    assert!(blocks.len() >= 10, "only {} opsplan examples", blocks.len());
    for (line, text) in blocks {
        let (ast, diags) = opsplan::syntax::parse(FileId(0), &text);
        assert!(
            diags.is_empty(),
            "docs/language.md:{line}: {diags:#?}\n{text}"
        );
        assert!(
            !ast.plans.is_empty() || !ast.procedures.is_empty() || !ast.scenarios.is_empty(),
            "docs/language.md:{line}: the example defines nothing"
        );
    }
}

#[test]
fn every_opsplan_example_in_the_docs_is_in_fmt_layout() {
    let mut seen = 0;
    for page in doc_pages() {
        let doc = read(&page.to_string_lossy());
        for (line, text) in blocks(&doc, "opsplan") {
            seen += 1;
            let formatted = opsplan::syntax::format::format(&text).unwrap_or_else(|e| {
                panic!(
                    "{}:{line}: the example does not format: {e:?}",
                    page.display()
                )
            });
            if formatted != text {
                let first = text
                    .lines()
                    .zip(formatted.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or_else(|| text.lines().count().min(formatted.lines().count()));
                panic!(
                    "{}:{}: `opsplan fmt` would change this example; line {} would be\n{:?}\ninstead of\n{:?}\nformatted:\n{formatted}",
                    page.display(),
                    line,
                    line + first,
                    formatted.lines().nth(first).unwrap_or(""),
                    text.lines().nth(first).unwrap_or(""),
                );
            }
        }
    }
    assert!(seen >= 20, "only {seen} opsplan examples in the docs");
}

/// The section of `doc` under the heading `heading` (up to the next heading of its level
/// or above).
fn section<'d>(doc: &'d str, heading: &str) -> &'d str {
    let start = doc
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("no heading {heading:?}"))
        + 1;
    let level = heading.chars().take_while(|&c| c == '#').count();
    let body = &doc[start + heading.len()..];
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let hashes = line.chars().take_while(|&c| c == '#').count();
        if hashes > 0 && hashes <= level && line[hashes..].starts_with(' ') {
            break;
        }
        offset += line.len();
    }
    &body[..offset]
}

#[test]
fn the_window_file_example_reads_as_documented() {
    let doc = read("docs/language.md");
    let part = section(&doc, "#### Window files");
    let csv = blocks(part, "csv");
    let plans = blocks(part, "opsplan");
    assert_eq!(csv.len(), 1, "one window file example");
    assert_eq!(plans.len(), 1, "one plan reading it");
    let (csv, plan) = (&csv[0].1, &plans[0].1);
    let name = plan
        .split("use     windows \"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the plan names its window file with `use windows`");
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join(name), csv).unwrap();
    std::fs::write(dir.path().join("plan.plan"), plan).unwrap();
    let run = opsplan::workspace::check_paths(&[dir.path().to_path_buf()]).expect("checked");
    assert!(run.diagnostics.is_empty(), "{:#?}", run.diagnostics);

    // The plan's windows as `opsplan export` writes them (plan.json, a versioned format):
    // name → occurrences as the plan writes times.
    let out = dir.path().join("package");
    assert_cmd::Command::cargo_bin("opsplan")
        .expect("the binary is built")
        .arg("export")
        .arg(dir.path())
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("plan.json")).unwrap()).unwrap();
    let window = |name: &str| -> Vec<(String, String)> {
        doc["windows"]
            .as_array()
            .expect("windows")
            .iter()
            .find(|w| w["name"] == name)
            .unwrap_or_else(|| panic!("window {name}"))["occurrences"]
            .as_array()
            .expect("occurrences")
            .iter()
            .map(|o| {
                let text = |k: &str| o[k].as_str().expect("a time").to_string();
                (text("start_plan"), text("end_plan"))
            })
            .collect()
    };
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());

    // Every row of the file is an occurrence of its window, or lies inside one.
    let (rows, problems) =
        opsplan::workspace::windows_csv::read_windows_csv(FileId(0), csv, &Default::default());
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(
        rows.len(),
        csv.lines().count() - 1,
        "one occurrence per row"
    );
    for row in &rows {
        let inside = window(&row.name)
            .iter()
            .any(|(s, e)| doy(s) <= row.interval.start && row.interval.end <= doy(e));
        assert!(
            inside,
            "row {} is not an occurrence of {}",
            row.row, row.name
        );
    }
    // What the page says of the example.
    assert_eq!(
        window("RGS"),
        [
            pair("2014/273 08:55", "2014/273 09:07"),
            pair("2014/273 10:29", "2014/273 10:43")
        ]
    );
    assert_eq!(window("TDRS"), [pair("2014/273 08:30", "2014/273 10:30")]);
    for said in [
        "two occurrences (273 08:55–09:07 and\n10:29–10:43)",
        "one occurrence, 08:30–10:30",
    ] {
        assert!(part.contains(said), "the page no longer says {said:?}");
    }
}

#[test]
fn the_negative_offset_example_checks_clean_and_places_as_documented() {
    let doc = read("docs/language.md");
    let part = section(&doc, "## Relations");
    let (_, text) = blocks(part, "opsplan")
        .into_iter()
        .find(|(_, t)| t.contains("plan OVERLAP-DEMO"))
        .expect("the OVERLAP-DEMO example");
    let run = opsplan::workspace::check_texts(&[("overlap.plan", &text)]);
    assert!(run.diagnostics.is_empty(), "{:#?}", run.diagnostics);
    let plan = &run.model.plans[0];
    let start = |id: &str| {
        plan.activities[plan.activity_index[id]]
            .time
            .interval()
            .expect("a known time")
            .start
    };
    assert_eq!(start("A13"), doy("2014/273 09:30"));
    assert_eq!(start("A12M"), doy("2014/273 08:55"));
    // One minute more of overlap breaks each relation.
    for (from, to, message) in [
        (
            "at 2014/273 08:30   lasts 40m",
            "at 2014/273 08:31   lasts 40m",
            "A11 may end at most 10m after A12 starts, but ends 11m after",
        ),
        (
            "after A12 - 10m",
            "after A12 - 10m   at 2014/273 09:29",
            "A13 may start at most 10m before A12 ends, but starts 11m before",
        ),
    ] {
        let broken = text.replace(from, to);
        let run = opsplan::workspace::check_texts(&[("overlap.plan", &broken)]);
        let found: Vec<(&str, &str)> = run
            .diagnostics
            .iter()
            .map(|d| (d.code.info().code, d.message.as_str()))
            .collect();
        assert_eq!(found, [("T001", message)], "{to}");
    }
}

#[test]
fn the_diagnostic_code_table_has_one_row_per_code() {
    let doc = read("docs/language.md");
    let part = section(&doc, "## Diagnostic codes");
    let lines: Vec<&str> = part.lines().collect();
    let head = lines
        .iter()
        .position(|l| l.starts_with("| code | name |"))
        .expect("the table header");
    // One table: the rows follow the header and its rule with no blank line between them.
    let rows: Vec<Vec<&str>> = lines[head + 2..]
        .iter()
        .take_while(|l| l.starts_with('|'))
        .map(|l| l.trim_matches('|').split('|').map(str::trim).collect())
        .collect();
    let after = head + 2 + rows.len();
    assert!(
        !part
            .lines()
            .skip(after)
            .any(|l| l.starts_with("| ") && l.contains(" | ")),
        "a row after the end of the table (a blank line splits it?)"
    );
    for code in ALL_CODES {
        let info = code.info();
        let found: Vec<&Vec<&str>> = rows.iter().filter(|r| r[0] == info.code).collect();
        assert_eq!(
            found.len(),
            1,
            "{} must have exactly one row in the table",
            info.code
        );
        assert_eq!(found[0][1], info.name, "the name of {}", info.code);
    }
    for row in &rows {
        assert!(
            ALL_CODES.iter().any(|c| c.info().code == row[0]),
            "the table has a row for {}, which is not a code",
            row[0]
        );
    }
}

#[test]
fn every_relative_link_of_the_docs_exists() {
    for page in doc_pages() {
        let doc = read(&page.to_string_lossy());
        let base = page.parent().unwrap_or(Path::new("."));
        for target in doc.split("](").skip(1).filter_map(|s| s.split(')').next()) {
            if target.starts_with("http") || target.starts_with('#') || target.contains(' ') {
                continue;
            }
            let path = target.split('#').next().unwrap_or(target);
            assert!(
                base.join(path).exists(),
                "{}: the link {target} leads nowhere",
                page.display()
            );
        }
    }
}

#[test]
fn the_readme_rule_table_names_every_code_once() {
    let doc = read("README.md");
    let part = section(&doc, "## Rules");
    let listed: Vec<&str> = part
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| family"))
        .filter_map(|l| l.trim_matches('|').split('|').nth(1))
        .flat_map(|codes| codes.split(','))
        .map(str::trim)
        .collect();
    for code in ALL_CODES {
        let info = code.info();
        let entry = format!("{} {}", info.code, info.name);
        assert_eq!(
            listed.iter().filter(|e| **e == entry).count(),
            1,
            "README's rule table must list `{entry}` once"
        );
    }
    assert_eq!(listed.len(), ALL_CODES.len(), "{listed:?}");
}
