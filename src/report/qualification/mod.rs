//! The qualification kit (`opsplan report qualification`): opsplan's Tool Operational
//! Requirements, the verification cases that verify them (read from the test source),
//! the results of a run of those tests (a JUnit file), the seeded-defect evidence,
//! the conditions of use, the known limitations and the configuration index, as one view
//! rendered to HTML (`templates/qualification.html`) and JSON (docs/qualification.md).
//!
//! Pure: the caller (`cli::qualification`) reads the files and runs the defects check.

pub mod cases;
pub mod config;
pub mod junit;

use cases::Case;
use junit::Outcome;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The JSON's `schema`, changed when a field changes meaning.
pub const SCHEMA: &str = "opsplan-qualification-kit-1";

/// One object of the TOR file, as opsplan's importer read it.
#[derive(Debug, Clone, Serialize)]
pub struct TorEntry {
    pub id: String,
    pub heading: bool,
    pub level: Option<u32>,
    /// The heading's title, or the requirement's text.
    pub text: String,
}

/// A finding of the defects example's check.
#[derive(Debug, Clone)]
pub struct Finding {
    pub file: String,
    pub line: u64,
    pub column: u64,
    pub code: String,
    pub message: String,
}

/// The identity of the binary that made the kit.
#[derive(Debug, Clone, Serialize)]
pub struct Binary {
    pub name: &'static str,
    pub version: String,
    /// SHA-256 of the running executable, or `not recorded` when it cannot be read.
    pub sha256: String,
    /// `rustc -V` at build time, or `not recorded`.
    pub rustc: String,
}

/// Everything the kit is made from, read by the caller.
pub struct Sources<'a> {
    pub tor_file: String,
    pub tor: Vec<TorEntry>,
    pub tests_file: String,
    pub tests_source: &'a str,
    pub junit_file: String,
    pub junit: Vec<junit::TestCase>,
    pub defects_example: String,
    /// The example's README, whose table lists each seeded defect.
    pub defects_readme: &'a str,
    pub defects_findings: Vec<Finding>,
    pub conditions_file: String,
    pub conditions: &'a str,
    pub limitations_file: String,
    pub limitations: &'a str,
    pub lock_file: String,
    pub lock: &'a str,
    pub binary: Binary,
    pub provenance: super::Provenance,
}

#[derive(Debug, Clone, Serialize)]
pub struct KitView {
    pub schema: &'static str,
    pub title: &'static str,
    pub binary: Binary,
    pub verdict: Verdict,
    pub tor: TorSection,
    pub cases: CasesSection,
    pub results: ResultsSection,
    pub defects: DefectsSection,
    pub conditions: DocSection,
    pub limitations: DocSection,
    pub configuration: ConfigSection,
    pub provenance: super::Provenance,
}

/// The kit's bottom line.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// Every TOR verified and every seeded defect caught.
    pub qualified: bool,
    pub summary: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TorSection {
    pub file: String,
    pub rows: Vec<TorRow>,
    pub requirements: usize,
    pub verified: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct TorRow {
    pub id: String,
    pub heading: bool,
    pub level: u32,
    pub text: String,
    /// `verified`, `failed`, `not run` (a case without a result, or a skipped one), or
    /// `no test`; empty for headings.
    pub status: &'static str,
    /// The tests that verify it.
    pub tests: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CasesSection {
    pub file: String,
    pub cases: Vec<CaseRow>,
    /// Cases whose module names no requirement of the TOR.
    pub orphans: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseRow {
    #[serde(flatten)]
    pub case: Case,
    /// The tags the test carries (the requirement its module names).
    pub tags: Vec<String>,
    /// `passed`, `failed`, `skipped`, or `not run` (no result in the JUnit file).
    pub outcome: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResultsSection {
    pub junit: String,
    pub cases: usize,
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    pub not_run: usize,
    /// Test cases of the JUnit file that are not verification cases (other tests of the
    /// run), counted, not listed.
    pub other_tests: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct DefectsSection {
    pub example: String,
    pub seeded: Vec<Seeded>,
    pub caught: usize,
    /// Findings of the check that the README does not list (other than `Q007`, which it
    /// describes in prose).
    pub unlisted: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Seeded {
    pub file: String,
    /// `line:col`, as the README gives it.
    pub position: String,
    pub code: String,
    pub defect: String,
    /// The finding that catches it (`CODE file:line:col: message`), if any.
    pub finding: Option<String>,
    pub caught: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocSection {
    pub file: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConfigSection {
    pub lock_file: String,
    pub rustc: String,
    pub packages: Vec<config::Package>,
}

/// The kit's view.
pub fn view(s: Sources<'_>) -> KitView {
    let cases = cases::read(s.tests_source);
    // The outcome of each test: nextest names it `module::test`; libtest-style reports
    // may put the binary before it, so the name is matched on its `ops_tor_` suffix.
    let mut outcomes: BTreeMap<String, Outcome> = BTreeMap::new();
    for t in &s.junit {
        let name = match t.name.find("ops_tor_") {
            Some(i) => &t.name[i..],
            None => t.name.as_str(),
        };
        let o = outcomes.entry(name.to_string()).or_insert(t.outcome);
        if t.outcome == Outcome::Failed {
            *o = Outcome::Failed;
        }
    }
    let known: BTreeSet<&str> = cases.iter().map(|c| c.test.as_str()).collect();
    let other_tests = outcomes
        .keys()
        .filter(|k| !known.contains(k.as_str()))
        .count();
    let rows: Vec<CaseRow> = cases
        .into_iter()
        .map(|case| {
            let outcome = outcomes.get(&case.test).map_or("not run", |o| o.as_str());
            CaseRow {
                tags: vec![case.tor.clone()],
                case,
                outcome,
            }
        })
        .collect();
    let count = |o: &str| rows.iter().filter(|r| r.outcome == o).count();
    let results = ResultsSection {
        junit: s.junit_file,
        cases: rows.len(),
        passed: count("passed"),
        failed: count("failed"),
        skipped: count("skipped"),
        not_run: count("not run"),
        other_tests,
    };
    let mut by_tor: BTreeMap<&str, Vec<&CaseRow>> = BTreeMap::new();
    for r in &rows {
        by_tor.entry(r.case.tor.as_str()).or_default().push(r);
    }
    let tor_ids: BTreeSet<&str> = s.tor.iter().map(|t| t.id.as_str()).collect();
    let orphans = rows
        .iter()
        .filter(|r| !tor_ids.contains(r.case.tor.as_str()))
        .map(|r| r.case.test.clone())
        .collect();
    let tor_rows: Vec<TorRow> = s
        .tor
        .iter()
        .map(|t| {
            let mine = by_tor.get(t.id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
            let status = if t.heading {
                ""
            } else if mine.is_empty() {
                "no test"
            } else if mine.iter().any(|r| r.outcome == "failed") {
                "failed"
            } else if mine.iter().all(|r| r.outcome == "passed") {
                "verified"
            } else {
                "not run"
            };
            TorRow {
                id: t.id.clone(),
                heading: t.heading,
                level: t.level.unwrap_or(1),
                text: t.text.clone(),
                status,
                tests: mine.iter().map(|r| r.case.test.clone()).collect(),
            }
        })
        .collect();
    let requirements = tor_rows.iter().filter(|r| !r.heading).count();
    let verified = tor_rows.iter().filter(|r| r.status == "verified").count();
    let defects = defects(&s.defects_example, s.defects_readme, &s.defects_findings);
    let qualified = requirements > 0
        && verified == requirements
        && !defects.seeded.is_empty()
        && defects.caught == defects.seeded.len();
    let summary = format!(
        "{verified} of {requirements} tool operational requirements verified ({} of {} tests passed, {} failed, {} not run or skipped); {} of {} seeded defects caught",
        results.passed,
        results.cases,
        results.failed,
        results.skipped + results.not_run,
        defects.caught,
        defects.seeded.len()
    );
    KitView {
        schema: SCHEMA,
        title: "opsplan qualification kit",
        verdict: Verdict { qualified, summary },
        configuration: ConfigSection {
            lock_file: s.lock_file,
            rustc: s.binary.rustc.clone(),
            packages: config::packages(s.lock),
        },
        binary: s.binary,
        tor: TorSection {
            file: s.tor_file,
            rows: tor_rows,
            requirements,
            verified,
        },
        cases: CasesSection {
            file: s.tests_file,
            cases: rows,
            orphans,
        },
        results,
        defects,
        conditions: DocSection {
            file: s.conditions_file,
            text: section(s.conditions, "## Conditions of use"),
        },
        limitations: DocSection {
            file: s.limitations_file,
            text: s.limitations.trim_end().to_string(),
        },
        provenance: s.provenance,
    }
}

/// The section of a Markdown text that starts with the line `heading`, up to the next
/// heading of the same level; the whole text when there is no such line.
pub fn section(text: &str, heading: &str) -> String {
    let mut lines = text.lines();
    if !text.lines().any(|l| l.trim_end() == heading) {
        return text.trim_end().to_string();
    }
    let level = heading.split(' ').next().unwrap_or("##").to_string() + " ";
    let mut out = Vec::new();
    for l in lines.by_ref() {
        if l.trim_end() == heading {
            out.push(l);
            break;
        }
    }
    for l in lines {
        if l.starts_with(&level) {
            break;
        }
        out.push(l);
    }
    out.join("\n").trim_end().to_string()
}

/// Each seeded defect of the README's table (`| file | line:col | at | code | defect |`)
/// with the finding of the check at that place and code.
fn defects(example: &str, readme: &str, findings: &[Finding]) -> DefectsSection {
    let rel = |file: &str| {
        file.strip_prefix(example)
            .map(|f| f.trim_start_matches('/'))
            .unwrap_or(file)
            .to_string()
    };
    let mut used = vec![false; findings.len()];
    let mut seeded = Vec::new();
    for line in readme.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 6 {
            continue;
        }
        let file = cells[1].trim_matches('`').to_string();
        let position = cells[2].to_string();
        let code = cells[4]
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string();
        let defect = cells[5].to_string();
        let hit = findings.iter().enumerate().find(|(i, f)| {
            !used[*i]
                && f.code == code
                && rel(&f.file) == file
                && format!("{}:{}", f.line, f.column) == position
        });
        let finding = hit.map(|(i, f)| {
            used[i] = true;
            format!(
                "{} {}:{}:{}: {}",
                f.code,
                rel(&f.file),
                f.line,
                f.column,
                f.message
            )
        });
        seeded.push(Seeded {
            caught: finding.is_some(),
            file,
            position,
            code,
            defect,
            finding,
        });
    }
    let unlisted = findings
        .iter()
        .zip(&used)
        .filter(|(f, used)| !**used && f.code != "Q007")
        .map(|(f, _)| format!("{} {}:{}:{}", f.code, rel(&f.file), f.line, f.column))
        .collect();
    DefectsSection {
        example: example.to_string(),
        caught: seeded.iter().filter(|d| d.caught).count(),
        seeded,
        unlisted,
    }
}

/// The kit's JSON (the view, pretty-printed, a final line end).
pub fn json(view: &KitView) -> String {
    let mut s = serde_json::to_string_pretty(view).expect("the view serialises");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_is_cut_at_the_next_heading_of_its_level() {
        let text = "# T\n\n## A\na\n\n## Conditions of use\n\n1. x\n### sub\ny\n## B\nb\n";
        assert_eq!(
            section(text, "## Conditions of use"),
            "## Conditions of use\n\n1. x\n### sub\ny"
        );
        assert_eq!(
            section("no heading\n", "## Conditions of use"),
            "no heading"
        );
    }

    #[test]
    fn each_seeded_defect_is_matched_to_one_finding() {
        let readme = "| file | line:col | at | code | defect |\n|---|---|---|---|---|\n| `a.plan` | 3:5 | x | R001 undefined | the defect |\n| `b.yaml` | 9:1 | y | F003 | another |\n";
        let f = |file: &str, line, column, code: &str| Finding {
            file: file.into(),
            line,
            column,
            code: code.into(),
            message: "m".into(),
        };
        let findings = [
            f("ex/a.plan", 3, 5, "R001"),
            f("ex/c.plan", 1, 1, "T001"),
            f("ex/c.plan", 2, 1, "Q007"),
        ];
        let d = defects("ex", readme, &findings);
        assert_eq!(d.seeded.len(), 2);
        assert_eq!(d.caught, 1);
        assert_eq!(d.seeded[0].finding.as_deref(), Some("R001 a.plan:3:5: m"));
        assert!(!d.seeded[1].caught);
        assert_eq!(d.unlisted, ["T001 c.plan:1:1"]);
    }
}
