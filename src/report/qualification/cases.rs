//! The verification cases of the kit, read from the test source itself
//! (`tests/qualification.rs`), so that no second list is kept by hand.
//!
//! Two forms are read:
//! - the rule table, the rows of `rule_cases! { … }`:
//!   `ops_tor_e001: "E001-syntax-error" => E001 at "plan.plan":3;` (the module, the
//!   fixture folder under `tests/fixtures/`, the code expected and where); the name of the
//!   test each row becomes is the `fn` of `macro_rules! rule_cases`;
//! - hand-written modules, `mod ops_tor_out_exit_codes {` at the start of a line and up
//!   to the `}` that starts a line, each `#[test] fn` in them with the `///` lines above
//!   it: `/// Fixture: …` and `/// Expects: …` name the fixture and the expected result,
//!   the other lines describe the test.

use serde::Serialize;

/// One test of the qualification suite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Case {
    /// The requirement it verifies, unfolded from the module: `OPS-TOR-E001`.
    pub tor: String,
    /// `ops_tor_e001::finding_is_reported`, as the test harness names it.
    pub test: String,
    pub description: String,
    pub fixture: String,
    pub expects: String,
}

/// `ops_tor_out_exit_codes` → `OPS-TOR-OUT-EXIT-CODES`.
pub fn tor_of_module(module: &str) -> Option<String> {
    let rest = module.strip_prefix("ops_tor_")?;
    if rest.is_empty() {
        return None;
    }
    Some(format!(
        "OPS-TOR-{}",
        rest.to_ascii_uppercase().replace('_', "-")
    ))
}

/// `OPS-TOR-OUT-EXIT-CODES` → `ops_tor_out_exit_codes`: the module a requirement's tests
/// are in (the fold of the evidence's `name-pattern`).
pub fn module_of_tor(id: &str) -> String {
    id.to_ascii_lowercase().replace('-', "_")
}

/// Every case of the test source, in source order.
pub fn read(source: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    let rule_test = macro_test_name(source).unwrap_or_else(|| "finding_is_reported".into());
    let mut module: Option<String> = None;
    let mut in_table = false;
    let mut docs: Vec<String> = Vec::new();
    let mut test_next = false;
    for line in source.lines() {
        let trimmed = line.trim();
        if line.starts_with("rule_cases! {") {
            in_table = true;
            continue;
        }
        if in_table {
            if line.starts_with('}') {
                in_table = false;
            } else if let Some(case) = table_row(trimmed, &rule_test) {
                cases.push(case);
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("mod ") {
            let name = rest.trim_end_matches('{').trim();
            if tor_of_module(name).is_some() {
                module = Some(name.to_string());
                docs.clear();
            }
            continue;
        }
        let Some(m) = &module else { continue };
        if line.starts_with('}') {
            module = None;
            continue;
        }
        if let Some(doc) = trimmed.strip_prefix("///") {
            docs.push(doc.trim().to_string());
        } else if trimmed == "#[test]" {
            test_next = true;
        } else if let Some(rest) = trimmed.strip_prefix("fn ") {
            if test_next {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                cases.push(hand_case(m, &name, &docs));
            }
            test_next = false;
            docs.clear();
        } else if !trimmed.starts_with("#[") && !trimmed.starts_with("//") && !trimmed.is_empty() {
            docs.clear();
            test_next = false;
        }
    }
    cases
}

/// The name of the test `macro_rules! rule_cases` writes for each row.
fn macro_test_name(source: &str) -> Option<String> {
    let start = source.find("macro_rules! rule_cases")?;
    let after = &source[start..];
    let f = after.find("fn ")?;
    let name: String = after[f + 3..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// `ops_tor_e001: "E001-syntax-error" => E001 at "plan.plan":3;`
fn table_row(row: &str, test: &str) -> Option<Case> {
    let (module, rest) = row.split_once(':')?;
    let tor = tor_of_module(module.trim())?;
    let rest = rest.trim().strip_prefix('"')?;
    let (fixture, rest) = rest.split_once('"')?;
    let rest = rest.trim().strip_prefix("=>")?.trim();
    let (code, rest) = rest.split_once(" at ")?;
    let rest = rest.trim().strip_prefix('"')?;
    let (file, rest) = rest.split_once('"')?;
    let line = rest.trim().strip_prefix(':')?.trim_end_matches(';').trim();
    Some(Case {
        tor,
        test: format!("{}::{test}", module.trim()),
        description: format!(
            "checks the fixture and asserts that {} is reported at {file}:{line}",
            code.trim()
        ),
        fixture: format!("tests/fixtures/{fixture}/"),
        expects: format!("{} at {file}:{line}", code.trim()),
    })
}

fn hand_case(module: &str, name: &str, docs: &[String]) -> Case {
    let mut description = Vec::new();
    let (mut fixture, mut expects) = (String::new(), String::new());
    for d in docs {
        if let Some(f) = d.strip_prefix("Fixture:") {
            fixture = f.trim().to_string();
        } else if let Some(e) = d.strip_prefix("Expects:") {
            expects = e.trim().to_string();
        } else if !d.is_empty() {
            description.push(d.as_str());
        }
    }
    Case {
        tor: tor_of_module(module).unwrap_or_default(),
        test: format!("{module}::{name}"),
        description: description.join(" "),
        fixture,
        expects,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = r#"
macro_rules! rule_cases {
    ($($m:ident: $f:literal => $c:ident at $file:literal : $line:literal;)*) => {
        $( mod $m { #[test] fn finding_is_reported() {} } )*
    };
}

rule_cases! {
    ops_tor_e001: "E001-syntax-error" => E001 at "plan.plan":3;
    ops_tor_q002: "Q002-unknown-requirement" => Q002 at "plan.plan":12;
}

mod ops_tor_out_exit_codes {
    use super::*;

    /// Exit 0 on a clean plan.
    /// Fixture: examples/atv5-week40/
    /// Expects: exit 0
    #[test]
    fn zero_when_clean() {}

    fn helper() {}

    #[test]
    fn one_on_findings() {}
}

mod helpers {
    #[test]
    fn not_a_case() {}
}
"#;

    #[test]
    fn the_table_rows_and_the_hand_written_modules_are_read() {
        let cases = read(SOURCE);
        let tests: Vec<&str> = cases.iter().map(|c| c.test.as_str()).collect();
        assert_eq!(
            tests,
            [
                "ops_tor_e001::finding_is_reported",
                "ops_tor_q002::finding_is_reported",
                "ops_tor_out_exit_codes::zero_when_clean",
                "ops_tor_out_exit_codes::one_on_findings",
            ]
        );
        assert_eq!(cases[1].tor, "OPS-TOR-Q002");
        assert_eq!(cases[1].fixture, "tests/fixtures/Q002-unknown-requirement/");
        assert_eq!(cases[1].expects, "Q002 at plan.plan:12");
        assert_eq!(cases[2].tor, "OPS-TOR-OUT-EXIT-CODES");
        assert_eq!(cases[2].description, "Exit 0 on a clean plan.");
        assert_eq!(cases[2].fixture, "examples/atv5-week40/");
        assert_eq!(cases[2].expects, "exit 0");
        assert_eq!(cases[3].description, "");
    }

    #[test]
    fn ids_fold_both_ways() {
        assert_eq!(
            tor_of_module("ops_tor_out_no_input_overwrite").as_deref(),
            Some("OPS-TOR-OUT-NO-INPUT-OVERWRITE")
        );
        assert_eq!(module_of_tor("OPS-TOR-IMP-REQIFZ"), "ops_tor_imp_reqifz");
        assert_eq!(tor_of_module("ops_tor_"), None);
        assert_eq!(tor_of_module("helpers"), None);
    }
}
