//! The verification cases of opsplan's Tool Operational Requirements
//! (`qualification/tor.csv`, docs/qualification.md). One module per requirement, named by
//! its folded id (`OPS-TOR-E001` → `mod ops_tor_e001`), so a JUnit report of this file
//! (`cargo nextest run --profile qualification`) names what each test verifies; the kit
//! (`opsplan report qualification`) reads the cases from this source: the rows of
//! `rule_cases!` and the `///` lines above each test of a hand-written module
//! (`Fixture:` and `Expects:` lines name the fixture and the expected result).
//! Keep this file quick (a few seconds): it runs once per qualification run.

mod common;

use opsplan::diag::{Code, Family};
use opsplan::workspace::check_paths;
use opsplan::workspace::requirements::{load_requirements, ImportOptions};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const TOR: &str = "qualification/tor.csv";
const MISSION: &str = "examples/atv5-week40";

fn opsplan() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("opsplan").expect("binary built");
    c.env_remove("NO_COLOR")
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("OPSPLAN_THREADS")
        .env_remove("OPSPLAN_TEST_PANIC");
    c
}

/// Checks the rule's fixture as `tests/rules.rs` does (through the library) and asserts
/// that `code` is reported in `file` (relative to the fixture) at `line`.
fn rule_case(code: &str, fixture: &str, file: &str, line: u64) {
    let dir = Path::new("tests/fixtures").join(fixture);
    let c = Code::lookup(code).expect("a code of the table");
    let (sources, diagnostics) =
        if c.info().family == Family::Requirements && !dir.join("opsplan.yaml").exists() {
            let run = load_requirements(std::slice::from_ref(&dir), &ImportOptions::default())
                .expect("the fixture loads");
            (run.sources, run.diagnostics)
        } else {
            let run = check_paths(std::slice::from_ref(&dir)).expect("the fixture loads");
            (run.sources, run.diagnostics)
        };
    let found = opsplan::output::json::diagnostics_value(&sources, &diagnostics);
    let found = found.as_array().expect("an array");
    let want = format!("{}/{file}", dir.display());
    assert!(
        found
            .iter()
            .any(|d| d["code"] == code && d["file"] == want.as_str() && d["line"] == line),
        "{fixture}: no {code} at {want}:{line} among {found:#?}"
    );
}

/// One module per rule code, its test running the code's fixture.
macro_rules! rule_cases {
    ($($module:ident: $fixture:literal => $code:ident at $file:literal : $line:literal;)*) => {
        $(
            mod $module {
                #[test]
                fn finding_is_reported() {
                    super::rule_case(stringify!($code), $fixture, $file, $line);
                }
            }
        )*
        /// The codes the table verifies.
        const RULE_CASES: &[&str] = &[$(stringify!($code)),*];
    };
}

rule_cases! {
    ops_tor_e001: "E001-syntax-error" => E001 at "plan.plan":8;
    ops_tor_e002: "E002-invalid-literal" => E002 at "lib.proc":5;
    ops_tor_e003: "E003-unreadable-source" => E003 at "latin1.plan":1;
    ops_tor_e004: "E004-repeated-clause" => E004 at "lib.proc":5;
    ops_tor_e005: "E005-invalid-window-file" => E005 at "rgs.csv":3;
    ops_tor_r001: "R001-undefined-activity" => R001 at "plan.plan":7;
    ops_tor_r002: "R002-undefined-procedure" => R002 at "lib.proc":3;
    ops_tor_r003: "R003-undefined-procedure-version" => R003 at "plan.plan":8;
    ops_tor_r004: "R004-undefined-role" => R004 at "lib.proc":3;
    ops_tor_r005: "R005-undefined-resource" => R005 at "plan.plan":6;
    ops_tor_r006: "R006-undefined-window" => R006 at "lib.proc":3;
    ops_tor_r007: "R007-duplicate-identifier" => R007 at "lib.proc":4;
    ops_tor_r008: "R008-unresolved-use-path" => R008 at "plan.plan":3;
    ops_tor_r009: "R009-invalid-resource-amount" => R009 at "plan.plan":7;
    ops_tor_g001: "G001-dependency-cycle" => G001 at "plan.plan":8;
    ops_tor_t001: "T001-relation-violated" => T001 at "plan.plan":7;
    ops_tor_t002: "T002-outside-phase" => T002 at "plan.plan":8;
    ops_tor_t003: "T003-outside-horizon" => T003 at "plan.plan":6;
    ops_tor_t004: "T004-non-positive-duration" => T004 at "plan.plan":6;
    ops_tor_t005: "T005-unresolved-time" => T005 at "plan.plan":6;
    ops_tor_t006: "T006-exclusive-resource-overlap" => T006 at "plan.plan":7;
    ops_tor_t007: "T007-needs-not-met" => T007 at "plan.plan":11;
    ops_tor_t008: "T008-resource-capacity-exceeded" => T008 at "plan.plan":7;
    ops_tor_t009: "T009-coverage-undecided" => T009 at "plan.plan":11;
    ops_tor_p001: "P001-undefined-step" => P001 at "lib.proc":3;
    ops_tor_p002: "P002-undefined-call-target" => P002 at "lib.proc":3;
    ops_tor_p003: "P003-unreachable-step" => P003 at "lib.proc":5;
    ops_tor_p004: "P004-procedure-call-cycle" => P004 at "lib.proc":3;
    ops_tor_p005: "P005-unhandled-check" => P005 at "lib.proc":13;
    ops_tor_p006: "P006-wait-without-timeout" => P006 at "lib.proc":14;
    ops_tor_p007: "P007-contingency-not-contingency" => P007 at "lib.proc":6;
    ops_tor_p008: "P008-procedure-longer-than-slot" => P008 at "plan.plan":10;
    ops_tor_p009: "P009-owner-not-in-procedure-roles" => P009 at "plan.plan":12;
    ops_tor_p010: "P010-coverage-not-met" => P010 at "plan.plan":15;
    ops_tor_p011: "P011-critical-without-procedure" => P011 at "plan.plan":15;
    ops_tor_p012: "P012-role-not-in-procedure-roles" => P012 at "plan.plan":17;
    ops_tor_p013: "P013-poll-role-not-in-activity" => P013 at "plan.plan":6;
    ops_tor_f001: "F001-flight-rule-violated" => F001 at "plan.plan":7;
    ops_tor_f002: "F002-flight-rule-unknown" => F002 at "plan.plan":8;
    ops_tor_f003: "F003-invalid-flight-rule-file" => F003 at "rules.yaml":7;
    ops_tor_f004: "F004-waived-violation" => F004 at "plan.plan":8;
    ops_tor_f005: "F005-unused-waiver" => F005 at "plan.plan":7;
    ops_tor_f006: "F006-undefined-flight-rule" => F006 at "plan.plan":7;
    ops_tor_f007: "F007-unmatched-selector-value" => F007 at "rules.yaml":5;
    ops_tor_q001: "Q001-invalid-requirement-export" => Q001 at "atv-ops.csv":4;
    ops_tor_q002: "Q002-unknown-requirement" => Q002 at "plan.plan":6;
    ops_tor_q003: "Q003-withdrawn-requirement" => Q003 at "plan.plan":6;
    ops_tor_q004: "Q004-duplicate-requirement" => Q004 at "ops-copy.csv":2;
    ops_tor_q005: "Q005-ambiguous-trace" => Q005 at "plan.plan":6;
    ops_tor_q006: "Q006-suspect-trace" => Q006 at "plan.plan":6;
    ops_tor_q007: "Q007-uncovered-requirement" => Q007 at "reqs.csv":4;
    ops_tor_q008: "Q008-stale-justification" => Q008 at "opsplan.yaml":6;
    ops_tor_q009: "Q009-invalid-evidence" => Q009 at "junit.xml":5;
    ops_tor_q010: "Q010-ambiguous-evidence" => Q010 at "check.sh":2;
    ops_tor_s001: "S001-undefined-scenario-plan" => S001 at "scenario.scn":2;
    ops_tor_s002: "S002-unresolved-inject-time" => S002 at "scenario.scn":4;
    ops_tor_s003: "S003-inject-outside-horizon" => S003 at "scenario.scn":4;
    ops_tor_s004: "S004-no-activity-at-inject" => S004 at "scenario.scn":4;
    ops_tor_s005: "S005-unhandled-event" => S005 at "scenario.scn":4;
    ops_tor_s006: "S006-expected-contingency-missed" => S006 at "scenario.scn":5;
    ops_tor_s007: "S007-idle-trainee" => S007 at "scenario.scn":3;
    ops_tor_s008: "S008-invalid-training-record" => S008 at "scenario.scn":3;
    ops_tor_w001: "W001-undefined-roster-name" => W001 at "team.roster":5;
    ops_tor_w002: "W002-unstaffed-position" => W002 at "team.roster":13;
    ops_tor_w003: "W003-unfilled-role" => W003 at "plan.plan":6;
    ops_tor_w004: "W004-unqualified-holder" => W004 at "team.roster":6;
    ops_tor_w005: "W005-trainee-alone" => W005 at "team.roster":7;
    ops_tor_w006: "W006-double-booked" => W006 at "team.roster":7;
    ops_tor_w007: "W007-short-daily-rest" => W007 at "team.roster":6;
    ops_tor_w008: "W008-short-weekly-rest" => W008 at "team.roster":6;
    ops_tor_w009: "W009-shift-too-long" => W009 at "team.roster":5;
    ops_tor_w010: "W010-week-too-long" => W010 at "team.roster":10;
    ops_tor_w011: "W011-too-many-nights" => W011 at "team.roster":8;
    ops_tor_w012: "W012-short-handover" => W012 at "team.roster":10;
    ops_tor_w013: "W013-oncall-gap" => W013 at "team.roster":10;
    ops_tor_w014: "W014-oncall-on-night-shift" => W014 at "team.roster":6;
}

// ------------------------------------------------------------------ the TOR itself

/// The requirement ids of the TOR, read with opsplan's own importer.
fn tor_ids() -> Vec<String> {
    let run =
        load_requirements(&[PathBuf::from(TOR)], &ImportOptions::default()).expect("the TOR reads");
    assert!(run.diagnostics.is_empty(), "{:#?}", run.diagnostics);
    run.exports
        .iter()
        .flat_map(|(_, e)| &e.objects)
        .filter(|o| !o.is_heading)
        .map(|o| o.id.clone())
        .collect()
}

#[test]
fn the_tor_lists_exactly_the_rule_codes_and_the_import_formats() {
    let ids = tor_ids();
    let codes: BTreeSet<String> = ids
        .iter()
        .filter_map(|id| id.strip_prefix("OPS-TOR-"))
        .filter(|rest| rest.len() == 4 && Code::lookup(rest).is_some())
        .map(str::to_string)
        .collect();
    let table: BTreeSet<String> = opsplan::diag::ALL_CODES
        .iter()
        .map(|c| c.info().code.to_string())
        .collect();
    assert_eq!(
        codes, table,
        "every code of src/diag/codes.rs has its OPS-TOR-<CODE> in {TOR}, and no other"
    );
    let formats: BTreeSet<String> = ids
        .iter()
        .filter_map(|id| id.strip_prefix("OPS-TOR-IMP-"))
        .map(str::to_string)
        .collect();
    let read: BTreeSet<String> = opsplan::workspace::requirements::EXPORT_EXTENSIONS
        .iter()
        .map(|e| e.to_ascii_uppercase())
        .collect();
    assert_eq!(formats, read, "one OPS-TOR-IMP-<FORMAT> per format read");
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "ids are unique");
}

#[test]
fn every_requirement_of_the_tor_has_a_verification_case() {
    let cases = opsplan::report::qualification::cases::read(include_str!("qualification.rs"));
    let tested: BTreeSet<&str> = cases.iter().map(|c| c.tor.as_str()).collect();
    let ids = tor_ids();
    let untested: Vec<&String> = ids
        .iter()
        .filter(|id| !tested.contains(id.as_str()))
        .collect();
    assert!(untested.is_empty(), "no test for {untested:?}");
    let known: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
    let orphans: Vec<&str> = tested
        .iter()
        .copied()
        .filter(|t| !known.contains(t))
        .collect();
    assert!(orphans.is_empty(), "tests for no requirement: {orphans:?}");
    // The kit sees every row of the rule table.
    let rows = cases
        .iter()
        .filter(|c| c.test.ends_with("::finding_is_reported"))
        .count();
    assert_eq!(rows, RULE_CASES.len());
}

// ------------------------------------------------------------------ output contracts

mod ops_tor_out_exit_codes {
    use super::*;

    /// `opsplan check` of the clean example mission exits 0.
    /// Fixture: examples/atv5-week40/
    /// Expects: exit 0
    #[test]
    fn zero_when_nothing_is_at_error_severity() {
        let (code, out, err) = common::output_of(opsplan().args(["check", MISSION]));
        assert_eq!(code, Some(0), "{out}{err}");
    }

    /// `opsplan check` of a plan with an undefined activity exits 1.
    /// Fixture: tests/fixtures/R001-undefined-activity/
    /// Expects: exit 1, R001 reported
    #[test]
    fn one_on_findings_at_error_severity() {
        let (code, out, err) =
            common::output_of(opsplan().args(["check", "tests/fixtures/R001-undefined-activity"]));
        assert_eq!(code, Some(1), "{out}{err}");
        assert!(out.contains("R001"), "{out}");
    }

    /// A path that does not exist, and an unknown option, exit 2.
    /// Fixture: a missing path; `--no-such-option`
    /// Expects: exit 2 with a message on standard error
    #[test]
    fn two_on_usage_or_input_failure() {
        let (code, _, err) =
            common::output_of(opsplan().args(["check", "tests/no-such-folder/x.plan"]));
        assert_eq!(code, Some(2), "{err}");
        assert!(err.contains("no-such-folder"), "{err}");
        let (code, _, err) =
            common::output_of(opsplan().args(["check", "--no-such-option", MISSION]));
        assert_eq!(code, Some(2), "{err}");
    }

    /// An internal error (a panic, provoked by `OPSPLAN_TEST_PANIC`) exits 3 with one line
    /// naming the input being read.
    /// Fixture: examples/atv5-week40/
    /// Expects: exit 3, one line on standard error naming the input
    #[test]
    fn three_on_an_internal_error() {
        let (code, out, err) = common::output_of(
            opsplan()
                .env("OPSPLAN_TEST_PANIC", "atv5-week40.plan")
                .args(["check", MISSION]),
        );
        assert_eq!(code, Some(3), "{out}{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("atv5-week40.plan"), "{err}");
    }
}

mod ops_tor_out_determinism {
    use super::*;

    /// Two runs, with one thread and with four, give the same bytes: the findings as JSON,
    /// the trace as CSV and the consistency report as HTML.
    /// Fixture: examples/atv5-week40-defects/, examples/atv5-week40/
    /// Expects: byte-identical outputs
    #[test]
    fn two_runs_give_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let outputs = |threads: &str, tag: &str| {
            let check = opsplan()
                .env("OPSPLAN_THREADS", threads)
                .args(["check", "examples/atv5-week40-defects", "--format", "json"])
                .output()
                .unwrap();
            let trace = opsplan()
                .env("OPSPLAN_THREADS", threads)
                .args(["trace", MISSION, "--format", "csv"])
                .output()
                .unwrap();
            let html = dir.path().join(format!("report-{tag}.html"));
            let report = opsplan()
                .env("OPSPLAN_THREADS", threads)
                .env("SOURCE_DATE_EPOCH", "1412121600")
                .args(["report", "consistency", MISSION, "-o"])
                .arg(&html)
                .output()
                .unwrap();
            assert_eq!(report.status.code(), Some(0));
            (check.stdout, trace.stdout, std::fs::read(&html).unwrap())
        };
        let one = outputs("1", "a");
        let four = outputs("4", "b");
        assert!(!one.0.is_empty() && !one.1.is_empty() && !one.2.is_empty());
        assert!(one.0 == four.0, "check --format json differs between runs");
        assert!(one.1 == four.1, "trace --format csv differs between runs");
        assert!(one.2 == four.2, "the HTML report differs between runs");
    }
}

/// A plan whose activity title and plan title hold markup.
const SCRIPT_PLAN: &str = "plan HOSTILE \"<script>alert('plan')</script>\" {\n  horizon 2014/272 00:00 .. 2014/279 00:00\n  roles FD\n  activity A1 \"<script>alert('activity')</script>\" {\n    at 2014/273 09:00 lasts 30m by FD\n  }\n}\n";

mod ops_tor_out_html_escaping {
    use super::*;

    /// `<script>` in a plan's titles is escaped in the consistency report's HTML.
    /// Fixture: a plan whose titles are `<script>alert(…)</script>`
    /// Expects: `&lt;script&gt;` in the HTML, no `<script>alert`
    #[test]
    fn markup_in_an_input_is_shown_as_text() {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("hostile.plan");
        std::fs::write(&plan, SCRIPT_PLAN).unwrap();
        let (code, html, err) = common::output_of(
            opsplan()
                .args(["report", "consistency", "--no-config", "--format", "html"])
                .arg(&plan),
        );
        assert_eq!(code, Some(0), "{err}");
        assert!(!html.contains("<script>alert"), "unescaped markup");
        assert!(
            html.contains("&lt;script&gt;alert("),
            "the title is shown escaped"
        );
    }
}

mod ops_tor_out_atomic_output {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.starts_with(".opsplan-tmp-"))
            .collect()
    }

    /// `-o FILE` replaces an older file whole, and leaves no temporary beside it.
    /// Fixture: examples/atv5-week40/
    /// Expects: the new report whole in FILE, no `.opsplan-tmp-*` left
    #[test]
    fn an_output_is_replaced_whole_and_no_temporary_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("trace.csv");
        std::fs::write(&out, "old contents\n").unwrap();
        let (code, stdout, err) = common::output_of(
            opsplan()
                .args(["trace", MISSION, "--format", "csv", "-o"])
                .arg(&out),
        );
        // 1: the example has trace defects (uncovered requirements); the file is written.
        assert_eq!(code, Some(1), "{err}");
        let expected = opsplan()
            .args(["trace", MISSION, "--format", "csv"])
            .output()
            .unwrap()
            .stdout;
        assert_eq!(std::fs::read(&out).unwrap(), expected, "{stdout}");
        assert!(leftovers(dir.path()).is_empty());
    }

    /// A run that fails (an input that does not exist) writes nothing.
    /// Fixture: a missing plan
    /// Expects: exit 2, no output file, no temporary
    #[test]
    fn a_failed_run_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("report.html");
        let (code, _, err) = common::output_of(
            opsplan()
                .args(["report", "consistency", "tests/no-such-folder/x.plan", "-o"])
                .arg(&out),
        );
        assert_eq!(code, Some(2), "{err}");
        assert!(!out.exists());
        assert!(leftovers(dir.path()).is_empty());
    }
}

mod ops_tor_out_no_input_overwrite {
    use super::*;

    /// `-o` naming the plan read is refused, and the plan is left as it was.
    /// Fixture: a copy of tests/fixtures/R001-undefined-activity/plan.plan
    /// Expects: exit 2, a message naming the input, the plan unchanged
    #[test]
    fn an_output_naming_an_input_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("plan.plan");
        std::fs::copy("tests/fixtures/R001-undefined-activity/plan.plan", &plan).unwrap();
        let before = std::fs::read(&plan).unwrap();
        let (code, _, err) = common::output_of(
            opsplan()
                .args(["report", "consistency", "--no-config", "-o"])
                .arg(&plan)
                .arg(&plan),
        );
        assert_eq!(code, Some(2), "{err}");
        assert!(err.contains("plan.plan"), "{err}");
        assert_eq!(
            std::fs::read(&plan).unwrap(),
            before,
            "the input is untouched"
        );
    }

    /// `-o` naming the requirement export read by `trace` is refused too.
    /// Fixture: a copy of requirements/atv-ops-requirements.csv
    /// Expects: exit 2, the export unchanged
    #[test]
    fn a_requirement_export_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let reqs = dir.path().join("reqs.csv");
        std::fs::copy("requirements/atv-ops-requirements.csv", &reqs).unwrap();
        let before = std::fs::read(&reqs).unwrap();
        let (code, _, err) = common::output_of(
            opsplan()
                .args(["trace", MISSION, "--format", "csv", "-r"])
                .arg(&reqs)
                .arg("-o")
                .arg(&reqs),
        );
        assert_eq!(code, Some(2), "{err}");
        assert_eq!(
            std::fs::read(&reqs).unwrap(),
            before,
            "the input is untouched"
        );
    }
}

// ------------------------------------------------------------------ import formats

/// `opsplan reqs list FILE --format json`: exit 0, and the (id, text) of its requirements.
fn listed(file: &Path) -> Vec<(String, String)> {
    let (code, out, err) = common::output_of(
        opsplan()
            .args(["reqs", "list", "--format", "json"])
            .arg(file),
    );
    assert_eq!(code, Some(0), "{}: {out}{err}", file.display());
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    v["files"]
        .as_array()
        .expect("files")
        .iter()
        .flat_map(|f| f["objects"].as_array().expect("objects"))
        .filter(|r| r["is_heading"] == false)
        .map(|r| {
            (
                r["id"].as_str().unwrap_or_default().to_string(),
                r["text"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The requirement of the example module every export of it holds.
fn holds_the_module(reqs: &[(String, String)]) {
    assert!(
        reqs.iter()
            .any(|(_, t)| t == "Plan times shall be GMT in YYYY/DDD hh:mm."),
        "{reqs:#?}"
    );
    assert!(reqs.len() >= 30, "{} requirements", reqs.len());
}

/// The small workbook of `tests/data/qualification/`: QF-1 a heading, QF-2 and QF-3.
fn holds_the_small_sheet(reqs: &[(String, String)]) {
    assert_eq!(
        reqs,
        [
            ("QF-2".to_string(), "Plan times shall be GMT.".to_string()),
            (
                "QF-3".to_string(),
                "Each activity shall have an owner.".to_string()
            ),
        ]
    );
}

mod ops_tor_imp_csv {
    use super::*;

    /// The example module's DOORS Classic CSV export is read whole.
    /// Fixture: requirements/atv-ops-requirements.csv
    /// Expects: its requirements, texts as written
    #[test]
    fn the_doors_csv_export_is_read() {
        holds_the_module(&listed(Path::new("requirements/atv-ops-requirements.csv")));
    }
}

mod ops_tor_imp_tsv {
    use super::*;

    /// A tab-separated export is read by its extension.
    /// Fixture: a TSV written by the test (ID, Heading, Text)
    /// Expects: QF-2 and QF-3 with their texts, QF-1 a heading
    #[test]
    fn a_tsv_export_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let tsv = dir.path().join("reqs.tsv");
        std::fs::write(
            &tsv,
            "ID\tHeading\tText\nQF-1\tImport\t\nQF-2\t\tPlan times shall be GMT.\nQF-3\t\tEach activity shall have an owner.\n",
        )
        .unwrap();
        holds_the_small_sheet(&listed(&tsv));
    }
}

mod ops_tor_imp_xlsx {
    use super::*;

    /// The example module's XLSX export is read whole.
    /// Fixture: requirements/atv-ops-requirements.xlsx
    /// Expects: its requirements, texts as written
    #[test]
    fn the_xlsx_export_is_read() {
        holds_the_module(&listed(Path::new("requirements/atv-ops-requirements.xlsx")));
    }
}

mod ops_tor_imp_xlsm {
    use super::*;

    /// A macro-enabled workbook is read as an XLSX.
    /// Fixture: requirements/atv-ops-requirements.xlsx copied as reqs.xlsm
    /// Expects: its requirements, texts as written
    #[test]
    fn an_xlsm_export_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let xlsm = dir.path().join("reqs.xlsm");
        std::fs::copy("requirements/atv-ops-requirements.xlsx", &xlsm).unwrap();
        holds_the_module(&listed(&xlsm));
    }
}

mod ops_tor_imp_xls {
    use super::*;

    /// An Excel 97-2003 workbook (BIFF8 in a compound file) is read.
    /// Fixture: tests/data/qualification/reqs.xls
    /// Expects: QF-2 and QF-3 with their texts, QF-1 a heading
    #[test]
    fn an_xls_export_is_read() {
        holds_the_small_sheet(&listed(Path::new("tests/data/qualification/reqs.xls")));
    }
}

mod ops_tor_imp_ods {
    use super::*;

    /// An OpenDocument spreadsheet is read.
    /// Fixture: tests/data/qualification/reqs.ods
    /// Expects: QF-2 and QF-3 with their texts, QF-1 a heading
    #[test]
    fn an_ods_export_is_read() {
        holds_the_small_sheet(&listed(Path::new("tests/data/qualification/reqs.ods")));
    }
}

mod ops_tor_imp_reqif {
    use super::*;

    /// The example module's ReqIF export is read whole.
    /// Fixture: requirements/atv-ops-requirements.reqif
    /// Expects: its requirements, texts as written
    #[test]
    fn the_reqif_export_is_read() {
        holds_the_module(&listed(Path::new(
            "requirements/atv-ops-requirements.reqif",
        )));
    }
}

mod ops_tor_imp_reqifz {
    use super::*;
    use std::io::Write;

    /// A ReqIFz archive (the example module's ReqIF zipped) is read as the ReqIF.
    /// Fixture: requirements/atv-ops-requirements.reqif zipped as module.reqifz
    /// Expects: the same requirements as the ReqIF
    #[test]
    fn a_reqifz_archive_is_read_as_its_reqif() {
        let dir = tempfile::tempdir().unwrap();
        let reqifz = dir.path().join("module.reqifz");
        let reqif = std::fs::read("requirements/atv-ops-requirements.reqif").unwrap();
        let mut w = zip::ZipWriter::new(std::fs::File::create(&reqifz).unwrap());
        w.start_file(
            "atv-ops-requirements.reqif",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        w.write_all(&reqif).unwrap();
        w.finish().unwrap();
        let zipped = listed(&reqifz);
        holds_the_module(&zipped);
        assert_eq!(
            zipped,
            listed(Path::new("requirements/atv-ops-requirements.reqif"))
        );
    }
}
