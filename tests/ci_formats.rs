//! `opsplan check --format sarif|junit|github` on the example missions: the clean one
//! passes with warnings (exit 0), the defects one fails (exit 1). SARIF is validated
//! against the SARIF 2.1.0 JSON schema (`tests/data/sarif-schema-2.1.0.json`, see
//! `tests/data/README.md`); JUnit is parsed as XML; every output is deterministic.

use assert_cmd::Command;
use quick_xml::events::Event;
use serde_json::Value;
use std::collections::BTreeSet;

const CLEAN: &str = "examples/atv5-week40";
const DEFECTS: &str = "examples/atv5-week40-defects";

fn check(path: &str, format: &str, threads: &str) -> (i32, String) {
    let out = Command::cargo_bin("opsplan")
        .expect("binary built")
        .env("OPSPLAN_THREADS", threads)
        .args(["check", path, "--format", format])
        .output()
        .unwrap();
    let code = out.status.code().expect("exit code");
    (code, String::from_utf8(out.stdout).expect("UTF-8 output"))
}

/// The output of one format, checked to be the same on one thread and on four.
fn deterministic(path: &str, format: &str) -> (i32, String) {
    let (code, a) = check(path, format, "1");
    let (code2, b) = check(path, format, "4");
    assert_eq!(code, code2);
    assert_eq!(a, b, "{format} output of {path} differs between runs");
    (code, a)
}

/// The number of findings at error severity, from the JSON output.
fn error_count(path: &str) -> usize {
    let (_, out) = check(path, "json", "1");
    let json: Value = serde_json::from_str(&out).unwrap();
    let n = json["summary"]["errors"].as_u64().unwrap() as usize;
    assert!(n > 0 || path == CLEAN);
    n
}

/// The `language` pattern of the SARIF 2.1.0 schema has a stray `]`: a valid regular
/// expression only in ECMA-262's web-compatibility grammar, so draft-07 meta-schema
/// validation (`format: regex`) refuses the schema. The first alternative alone accepts
/// every string the whole pattern does (any string starting with two letters), so the
/// in-memory copy uses it; the file under `tests/data/` stays as published.
const BROKEN_LANGUAGE_PATTERN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
const SAME_LANGUAGE_PATTERN: &str = "^[a-zA-Z]{2}";

fn repair_patterns(value: &mut Value, repaired: &mut usize) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if key == "pattern" && v == BROKEN_LANGUAGE_PATTERN {
                    *v = SAME_LANGUAGE_PATTERN.into();
                    *repaired += 1;
                } else {
                    repair_patterns(v, repaired);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| repair_patterns(v, repaired)),
        _ => {}
    }
}

fn sarif_validator() -> jsonschema::Validator {
    let mut schema: Value = serde_json::from_str(
        &std::fs::read_to_string("tests/data/sarif-schema-2.1.0.json").expect("schema file"),
    )
    .expect("schema is JSON");
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    let mut repaired = 0;
    repair_patterns(&mut schema, &mut repaired);
    assert!(repaired >= 1, "the schema changed: revisit repair_patterns");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .offline()
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn assert_valid_sarif(doc: &Value) {
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF schema errors:\n{}",
        errors.join("\n")
    );
}

fn sarif(path: &str, expected_code: i32) -> Value {
    let (code, out) = deterministic(path, "sarif");
    assert_eq!(code, expected_code, "{out}");
    let doc: Value = serde_json::from_str(&out).expect("SARIF is JSON");
    assert_valid_sarif(&doc);
    assert_eq!(doc["version"], "2.1.0");
    assert_eq!(
        doc["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let runs = doc["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "opsplan");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    // Every code, in table order, documented.
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let table: Vec<&str> = opsplan::diag::ALL_CODES
        .iter()
        .map(|c| c.info().code)
        .collect();
    assert_eq!(ids, table);
    for r in rules {
        assert!(r["fullDescription"]["text"].as_str().unwrap().len() > 20);
        assert!(r["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("## Why it matters"));
        assert!(r["shortDescription"]["text"].is_string());
        assert!(r["name"].as_str().unwrap().contains('-'));
    }
    for result in runs[0]["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let loc = &result["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.contains("..") && !uri.contains('\\'), "{uri}");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
    }
    doc
}

#[test]
fn sarif_of_the_clean_mission_is_valid_and_passes_with_warnings() {
    let doc = sarif(CLEAN, 0);
    let results = &doc["runs"][0]["results"];
    let levels: BTreeSet<&str> = results
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, BTreeSet::from(["warning"]));
    insta::assert_json_snapshot!("clean_sarif_results", results);
}

#[test]
fn sarif_of_the_defects_mission_is_valid_and_fails() {
    let doc = sarif(DEFECTS, 1);
    let results = doc["runs"][0]["results"].as_array().unwrap();
    let errors = results.iter().filter(|r| r["level"] == "error").count();
    assert_eq!(errors, error_count(DEFECTS));
    // Flight-rule findings carry the rule, its traces and when.
    let f001 = results.iter().find(|r| r["ruleId"] == "F001").unwrap();
    assert!(f001["properties"]["flightRule"].is_string());
    assert!(f001["properties"]["when"]["start"].is_string());
    // Secondary labels are related locations with their message.
    assert!(results
        .iter()
        .any(|r| r["relatedLocations"][0]["message"]["text"].is_string()));
    // Fingerprints are unique within the run.
    let prints: BTreeSet<&str> = results
        .iter()
        .map(|r| r["partialFingerprints"]["opsplan/v1"].as_str().unwrap())
        .collect();
    assert_eq!(prints.len(), results.len());
    insta::assert_json_snapshot!("defects_sarif_results", results);
}

#[test]
fn the_schema_rejects_a_broken_log() {
    // The validator really validates: a level SARIF does not know is refused.
    let (_, out) = check(DEFECTS, "sarif", "1");
    let mut doc: Value = serde_json::from_str(&out).unwrap();
    doc["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!sarif_validator().is_valid(&doc));
    let mut doc: Value = serde_json::from_str(&out).unwrap();
    doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!sarif_validator().is_valid(&doc));
    // Formats are checked: a URI with a raw blank is not a URI reference.
    let mut doc: Value = serde_json::from_str(&out).unwrap();
    doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "my plans/a.plan".into();
    assert!(!sarif_validator().is_valid(&doc));
}

/// Parses the JUnit document, returning (testsuites attributes, testcase count,
/// failure count) and checking it is well-formed.
fn junit_counts(xml: &str) -> (Vec<(String, String)>, usize, usize) {
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut top, mut cases, mut failures) = (Vec::new(), 0, 0);
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => {
                let attrs = || {
                    e.attributes()
                        .map(|a| {
                            let a = a.unwrap();
                            (
                                String::from_utf8(a.key.0.to_vec()).unwrap(),
                                a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                                    .unwrap()
                                    .into_owned(),
                            )
                        })
                        .collect::<Vec<_>>()
                };
                match e.name().0 {
                    b"testsuites" => top = attrs(),
                    b"testcase" => cases += 1,
                    b"failure" => failures += 1,
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (top, cases, failures)
}

fn attr<'a>(attrs: &'a [(String, String)], key: &str) -> &'a str {
    &attrs.iter().find(|(k, _)| k == key).unwrap().1
}

#[test]
fn junit_of_the_clean_mission_has_no_failure() {
    let (code, xml) = deterministic(CLEAN, "junit");
    assert_eq!(code, 0);
    let (top, cases, failures) = junit_counts(&xml);
    assert_eq!(failures, 0);
    assert_eq!(attr(&top, "failures"), "0");
    assert_eq!(attr(&top, "tests"), cases.to_string());
    // Files without findings hold a passing testcase.
    assert!(xml.contains(r#"<testcase name="no findings""#));
    assert!(xml.contains("<system-out>warning[Q006]"));
    insta::assert_snapshot!("clean_junit", xml);
}

#[test]
fn junit_of_the_defects_mission_fails_on_errors_only() {
    let (code, xml) = deterministic(DEFECTS, "junit");
    assert_eq!(code, 1);
    let (top, cases, failures) = junit_counts(&xml);
    assert_eq!(failures, error_count(DEFECTS));
    assert_eq!(attr(&top, "failures"), failures.to_string());
    assert_eq!(attr(&top, "tests"), cases.to_string());
    insta::assert_snapshot!("defects_junit", xml);
}

#[test]
fn github_annotations_of_the_clean_mission_are_warnings() {
    let (code, out) = deterministic(CLEAN, "github");
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    let (verdict, commands) = lines.split_last().unwrap();
    // Before the verdict, a plain log line names the project file.
    let (project, commands) = commands.split_last().unwrap();
    assert_eq!(*project, "project file: examples/atv5-week40/opsplan.yaml");
    assert!(!commands.is_empty());
    assert!(commands.iter().all(|l| l.starts_with("::warning file=")));
    assert!(verdict.starts_with("pass: 0 errors,"), "{verdict}");
    insta::assert_snapshot!("clean_github", out);
}

#[test]
fn github_annotations_of_the_defects_mission_are_escaped() {
    let (code, out) = deterministic(DEFECTS, "github");
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    let (verdict, commands) = lines.split_last().unwrap();
    let (project, commands) = commands.split_last().unwrap();
    assert_eq!(
        *project,
        "project file: examples/atv5-week40-defects/opsplan.yaml"
    );
    let errors = error_count(DEFECTS);
    assert!(
        verdict.starts_with(&format!("fail: {errors} errors")),
        "{verdict}"
    );
    assert_eq!(
        commands
            .iter()
            .filter(|l| l.starts_with("::error "))
            .count(),
        errors
    );
    for l in commands {
        // `::KIND PROPERTIES::MESSAGE`: properties hold no raw `:` or `,` beyond the
        // separators, the message no raw line break (one command per line).
        let rest = l.strip_prefix("::").unwrap();
        let (head, message) = rest.split_once("::").expect("command separator");
        let (kind, props) = head.split_once(' ').unwrap();
        assert!(["error", "warning", "notice"].contains(&kind), "{l}");
        let keys: Vec<&str> = props
            .split(',')
            .map(|p| p.split_once('=').expect("key=value").0)
            .collect();
        assert_eq!(
            keys,
            ["file", "line", "col", "endLine", "endColumn", "title"],
            "{l}"
        );
        assert!(!props.contains(':'), "{l}");
        assert!(!message.contains('\r') && message.contains("%0A"), "{l}");
    }
    insta::assert_snapshot!("defects_github", out);
}

#[test]
fn an_input_failure_exits_2_in_every_ci_format() {
    for format in ["sarif", "junit", "github"] {
        let (code, _) = check("examples/no-such-mission", format, "1");
        assert_eq!(code, 2, "{format}");
    }
}
