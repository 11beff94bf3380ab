//! The "What is checked" tables of docs/language.md and docs/flight-rules.md cover the
//! whole input language, and everything they name exists:
//!
//! - every keyword of grammar/opsplan.pest (the lowercase literals of the grammar: the
//!   `kw_*` rules, `critical`, `end`, `abort`, the anchors `start` and `end`, …) appears
//!   in the construct column of a row of the language table;
//! - every key the flight-rule loader accepts (rule keys, selector keys and kinds, as the
//!   loader's own "expected one of" messages list them) has a row in the flight-rule table;
//! - every row says what enforces it (a code) or that it is informative only; every code
//!   named exists and links to its own rule file; every fixture and test named exists.

use opsplan::diag::ALL_CODES;
use opsplan::source::FileId;
use std::collections::BTreeSet;
use std::path::Path;

/// The rows of the table under `## What is checked` in `page`: the cells of each row.
fn table(page: &str) -> Vec<Vec<String>> {
    let doc = std::fs::read_to_string(page).unwrap_or_else(|e| panic!("{page}: {e}"));
    let start = doc
        .find("\n## What is checked\n")
        .unwrap_or_else(|| panic!("{page} has no section `## What is checked`"));
    let section = &doc[start + 1..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 4)];
    let lines: Vec<&str> = section.lines().collect();
    let head = lines
        .iter()
        .position(|l| l.starts_with('|'))
        .unwrap_or_else(|| panic!("{page}: no table under `## What is checked`"));
    let rows: Vec<Vec<String>> = lines[head + 2..]
        .iter()
        .take_while(|l| l.starts_with('|'))
        .map(|l| cells(l))
        .collect();
    assert!(
        !section
            .lines()
            .skip(head + 2 + rows.len())
            .any(|l| l.starts_with("| ")),
        "{page}: a row after the end of the table (a blank line splits it?)"
    );
    for row in &rows {
        assert_eq!(row.len(), 3, "{page}: a row without three cells: {row:?}");
    }
    rows
}

/// The cells of a table row (`\|` is a `|` inside a cell).
fn cells(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cell = String::new();
    let mut chars = line.trim().trim_start_matches('|').chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '|' => out.push(std::mem::take(&mut cell).trim().to_string()),
            _ => cell.push(c),
        }
    }
    if !cell.trim().is_empty() {
        out.push(cell.trim().to_string());
    }
    out
}

/// The text of the code spans (`…`) of a cell.
fn code_spans(cell: &str) -> Vec<&str> {
    cell.split('`').skip(1).step_by(2).collect()
}

/// The lowercase words of the code spans of a cell.
fn words(cell: &str) -> BTreeSet<String> {
    code_spans(cell)
        .iter()
        .flat_map(|s| s.split(|c: char| !(c.is_ascii_alphabetic() || c == '_')))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Every keyword of the grammar: the string literals made of two or more lowercase letters
/// (the grammar's other literals are punctuation, digits, single letters of durations and
/// times, and `v` of versions). Comment lines are skipped: they quote examples.
fn grammar_keywords() -> BTreeSet<String> {
    let grammar = std::fs::read_to_string("grammar/opsplan.pest").expect("the grammar");
    let mut out = BTreeSet::new();
    for line in grammar
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
    {
        for literal in line.split('"').skip(1).step_by(2) {
            if literal.len() >= 2 && literal.chars().all(|c| c.is_ascii_lowercase()) {
                out.insert(literal.to_string());
            }
        }
    }
    out
}

/// Checks the "enforced by" and "broken in" cells of every row of a table.
fn check_references(page: &str, rows: &[Vec<String>]) {
    let base = Path::new(page).parent().expect("a folder");
    for row in rows {
        let (construct, enforced, tested) = (&row[0], &row[1], &row[2]);
        let codes: Vec<&str> = enforced
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| {
                w.len() == 4
                    && w.as_bytes()[0].is_ascii_uppercase()
                    && w[1..].bytes().all(|b| b.is_ascii_digit())
            })
            .collect();
        assert!(
            !codes.is_empty() || enforced.contains("informative only"),
            "{page}: the row {construct} names no code and does not say it is informative only"
        );
        for code in &codes {
            let info = ALL_CODES
                .iter()
                .map(|c| c.info())
                .find(|i| i.code == *code)
                .unwrap_or_else(|| panic!("{page}: the row {construct} names {code}, not a code"));
            let link = format!(
                "[{code}](../src/checks/rules/{}.rs)",
                info.name.replace('-', "_")
            );
            assert!(
                enforced.contains(&link),
                "{page}: in the row {construct}, {code} must link to its rule: {link}"
            );
        }
        // Every link leads to a file.
        for target in enforced
            .split("](")
            .skip(1)
            .filter_map(|s| s.split(')').next())
        {
            let path = target.split('#').next().unwrap_or(target);
            assert!(
                base.join(path).exists(),
                "{page}: the row {construct} links to {target}, which does not exist"
            );
        }
        let references: Vec<&str> = code_spans(tested);
        if !codes.is_empty() {
            assert!(
                !references.is_empty(),
                "{page}: the row {construct} names codes but no fixture or test that breaks it"
            );
        }
        for r in references {
            if let Some(dir) = r.strip_prefix("tests/fixtures/") {
                let dir = dir.trim_end_matches('/');
                assert!(
                    Path::new(r).is_dir(),
                    "{page}: the row {construct} names the fixture {r}, which does not exist"
                );
                let code = dir.split('-').next().unwrap_or("");
                assert!(
                    ALL_CODES.iter().any(|c| c.info().code == code),
                    "{page}: the fixture {r} is not named after a code"
                );
            } else if let Some((file, test)) = r.split_once("::") {
                let text = std::fs::read_to_string(file)
                    .unwrap_or_else(|e| panic!("{page}: the row {construct} names {file}: {e}"));
                assert!(
                    text.contains(&format!("fn {test}(")),
                    "{page}: the row {construct} names the test {r}, which does not exist"
                );
            } else {
                panic!("{page}: the row {construct} names {r}: neither a fixture nor a test");
            }
        }
    }
}

#[test]
fn every_keyword_of_the_grammar_has_a_row_in_the_language_table() {
    let rows = table("docs/language.md");
    let keywords = grammar_keywords();
    for expected in [
        "activity",
        "critical",
        "end",
        "abort",
        "exclusive",
        "capacity",
        "start",
    ] {
        assert!(
            keywords.contains(expected),
            "the keyword scan missed `{expected}`: {keywords:?}"
        );
    }
    let covered: BTreeSet<String> = rows.iter().flat_map(|r| words(&r[0])).collect();
    let missing: Vec<&String> = keywords.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "keywords of grammar/opsplan.pest with no row in the table of docs/language.md \
         (`## What is checked`): {missing:?}"
    );
}

#[test]
fn the_language_table_names_only_codes_fixtures_and_tests_that_exist() {
    check_references("docs/language.md", &table("docs/language.md"));
}

#[test]
fn every_flight_rule_key_and_kind_has_a_row_in_the_flight_rule_table() {
    let rows = table("docs/flight-rules.md");
    // The loader checks every key against these lists (and its tests load every kind
    // with every key it takes): a key it accepts is in them.
    let names = |list: &[&str]| -> Vec<String> { list.iter().map(|k| k.to_string()).collect() };
    let top = names(opsplan::flight::FILE_KEYS);
    let keys = names(opsplan::flight::RULE_KEYS);
    let selector = names(opsplan::flight::SELECTOR_KEYS);
    let kinds: Vec<String> = opsplan::flight::KINDS
        .iter()
        .map(|(k, _)| k.to_string())
        .collect();
    // And a key outside them is refused.
    let rule = "rules:\n  - id: X\n    title: t\n    kind: min_separation\n    min: 1h\n";
    for bad in [
        "zzz: 1\n".to_string(),
        format!("{rule}    zzz: 1\n"),
        format!("{rule}    select: {{ zzz: 1 }}\n"),
        rule.replace("min_separation", "zzz"),
    ] {
        let (_, diags) = opsplan::flight::load(FileId(0), &bad);
        assert!(
            diags.iter().any(|d| d.message.contains("`zzz`")),
            "{bad}: {diags:#?}"
        );
    }
    for (name, list) in [
        ("keys", &keys),
        ("selector keys", &selector),
        ("kinds", &kinds),
    ] {
        assert!(list.len() >= 5, "too few {name}: {list:?}");
    }
    let in_rows = |filter: &dyn Fn(&str) -> bool| -> BTreeSet<String> {
        rows.iter()
            .filter(|r| filter(&r[0]))
            .flat_map(|r| words(&r[0]))
            .collect()
    };
    let field_rows = in_rows(&|c| !c.starts_with("selector ") && !c.starts_with("kind "));
    let selector_rows = in_rows(&|c| c.starts_with("selector "));
    let kind_rows = in_rows(&|c| c.starts_with("kind "));
    let mut missing = Vec::new();
    for k in top.iter().chain(&keys) {
        if !field_rows.contains(k) {
            missing.push(format!("key `{k}`"));
        }
    }
    for k in &selector {
        if !selector_rows.contains(k) {
            missing.push(format!("selector `{k}` (a row `selector {k}`)"));
        }
    }
    for k in &kinds {
        if !kind_rows.contains(k) {
            missing.push(format!("kind `{k}` (a row `kind {k}`)"));
        }
    }
    assert!(
        missing.is_empty(),
        "flight-rule fields with no row in the table of docs/flight-rules.md \
         (`## What is checked`): {missing:?}"
    );
}

#[test]
fn the_flight_rule_table_names_only_codes_fixtures_and_tests_that_exist() {
    check_references("docs/flight-rules.md", &table("docs/flight-rules.md"));
}
