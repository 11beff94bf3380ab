//! SARIF 2.1.0: one log, one run, every rule of the code table as `tool.driver.rules`
//! (in table order, so `ruleIndex` is a code's position in [`ALL_CODES`]) with its
//! documentation, and one result per finding. GitHub code scanning, Azure DevOps and
//! most SAST dashboards read it.
//!
//! - Locations are relative URIs under `%SRCROOT%` (the folder `opsplan` ran in), with `/`
//!   separators, `a/../` segments removed and other characters percent-encoded; an
//!   absolute path becomes a `file://` URI.
//! - Regions are 1-based; columns count Unicode code points (`columnKind:
//!   unicodeCodePoints`), as [`super::Location`] does; the end column is exclusive, as
//!   SARIF's `endColumn` is.
//! - `message.text` is the finding's message, its notes and its help; the primary
//!   label is the location's message and each secondary label a related location.
//! - `partialFingerprints."opsplan/v1"` hashes the code, the file and the message (never a
//!   line number), with an ordinal among identical findings, so moving a finding in its
//!   file keeps its identity across runs.
//! - Flight-rule findings carry `properties.flightRule`, `traces` and `when`.
//! - The run's `properties.projectFile` names the project file that judged the inputs
//!   (`null`: none).

use super::Location;
use crate::checks;
use crate::diag::{Code, Diagnostic, Family, Severity, ALL_CODES};
use crate::source::SourceDb;
use serde::Serialize;
use std::collections::HashMap;

/// The `$schema` of the log.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The log for `diags` (already sorted, as a run gives them).
pub fn render(
    sources: &SourceDb,
    diags: &[Diagnostic],
    project: &crate::workspace::Project,
) -> String {
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "opsplan",
                    version: env!("CARGO_PKG_VERSION"),
                    rules: ALL_CODES.iter().map(|&c| rule(c)).collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results: results(sources, diags),
            properties: RunProperties {
                project_file: project.shown(),
            },
        }],
    };
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".to_string());
    s.push('\n');
    s
}

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    column_kind: &'static str,
    results: Vec<SarifResult>,
    properties: RunProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties {
    /// The project file that judged the inputs, as outputs show paths; `null`: none.
    project_file: Option<String>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
struct Driver {
    name: &'static str,
    version: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Markdown,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Markdown {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "ResultProperties::is_empty")]
    properties: ResultProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "opsplan/v1")]
    v1: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties {
    #[serde(skip_serializing_if = "Option::is_none")]
    flight_rule: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    more_flight_rules: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    traces: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    when: Option<When>,
}

impl ResultProperties {
    fn is_empty(&self) -> bool {
        self.flight_rule.is_none() && self.traces.is_empty() && self.when.is_none()
    }
}

#[derive(Serialize)]
struct When {
    start: String,
    end: String,
}

/// SARIF's level for a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// A family as a lowercase tag.
pub fn family_tag(family: Family) -> &'static str {
    match family {
        Family::Syntax => "syntax",
        Family::Reference => "reference",
        Family::Graph => "graph",
        Family::Timing => "timing",
        Family::Procedure => "procedure",
        Family::FlightRule => "flight-rule",
        Family::Requirements => "requirements",
        Family::Scenario => "scenario",
        Family::Staffing => "staffing",
    }
}

fn rule(code: Code) -> Rule {
    let info = code.info();
    let doc = checks::rule_for(code)
        .map(|r| r.documentation())
        .unwrap_or_default();
    let what = section(&doc, "What it does").unwrap_or(info.summary);
    Rule {
        id: info.code,
        name: info.name,
        short_description: Text {
            text: info.summary.to_string(),
        },
        full_description: Text {
            text: unwrap_paragraphs(what),
        },
        help: Markdown {
            text: format!("{}\n\n{doc}", info.summary),
            markdown: format!(
                "**{} {}**: {}\n\n{doc}\n\nSee `opsplan rule {}`.",
                info.code, info.name, info.summary, info.code
            ),
        },
        default_configuration: Configuration {
            level: level(info.severity),
        },
        properties: RuleProperties {
            tags: vec!["opsplan", family_tag(info.family)],
        },
    }
}

/// The body of the `## {heading}` section of a rule's documentation.
fn section<'a>(doc: &'a str, heading: &str) -> Option<&'a str> {
    let marker = format!("## {heading}\n");
    let start = doc.find(&marker)? + marker.len();
    let rest = &doc[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    Some(rest[..end].trim())
}

/// Joins the hard-wrapped lines of each paragraph with a blank, keeping paragraph breaks.
fn unwrap_paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn results(sources: &SourceDb, diags: &[Diagnostic]) -> Vec<SarifResult> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    diags
        .iter()
        .map(|d| {
            let info = d.code.info();
            let primary = Location::of(sources, &d.primary);
            let uri = uri(&primary.file);
            let hash = fingerprint(info.code, &uri.uri, &d.message);
            let ordinal = seen.entry(hash.clone()).or_insert(0);
            *ordinal += 1;
            SarifResult {
                rule_id: info.code,
                rule_index: ALL_CODES.iter().position(|&c| c == d.code).unwrap_or(0),
                level: level(d.severity),
                message: Text {
                    text: message_text(d),
                },
                locations: vec![location(None, primary, &d.primary.message)],
                related_locations: d
                    .secondary
                    .iter()
                    .enumerate()
                    .map(|(i, l)| location(Some(i + 1), Location::of(sources, l), &l.message))
                    .collect(),
                partial_fingerprints: Fingerprints {
                    v1: format!("{hash}:{ordinal}"),
                },
                properties: ResultProperties {
                    flight_rule: d.flight_rule.clone(),
                    more_flight_rules: d.more_flight_rules.clone(),
                    traces: d.traces.clone(),
                    when: d.interval.map(|iv| When {
                        start: iv.start.format(crate::time::Notation::Iso),
                        end: iv.end.format(crate::time::Notation::Iso),
                    }),
                },
            }
        })
        .collect()
}

/// The message, then each note, then the help, one per line.
fn message_text(d: &Diagnostic) -> String {
    let mut text = d.message.clone();
    for note in &d.notes {
        text.push_str("\nnote: ");
        text.push_str(note);
    }
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    text
}

fn location(id: Option<usize>, loc: Location, label: &str) -> SarifLocation {
    SarifLocation {
        id,
        physical_location: PhysicalLocation {
            artifact_location: uri(&loc.file),
            region: Region {
                start_line: loc.line,
                start_column: loc.column,
                end_line: loc.end_line,
                end_column: loc.end_column,
            },
        },
        message: (!label.is_empty()).then(|| Text {
            text: label.to_string(),
        }),
    }
}

/// First 32 hex digits of SHA-256 over code, file and message.
fn fingerprint(code: &str, uri: &str, message: &str) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    for part in [code, uri, message] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    crate::reqs::hex(&h.finalize()[..16])
}

fn uri(path: &str) -> ArtifactLocation {
    let clean = clean_path(path);
    let bytes = clean.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    if clean.starts_with('/') || drive {
        let lead = if drive { "/" } else { "" };
        ArtifactLocation {
            uri: format!("file://{lead}{}", percent_encode(&clean, drive)),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: percent_encode(&clean, false),
            uri_base_id: Some("%SRCROOT%"),
        }
    }
}

/// `path` with `/` separators, without `.` segments and with each `dir/..` pair
/// removed (lexically: a `..` at the start is kept).
pub fn clean_path(path: &str) -> String {
    let path = path.replace('\\', "/");
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            _ => parts.push(seg),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// Percent-encodes every byte but unreserved characters and `/` (and the drive colon).
fn percent_encode(path: &str, keep_drive_colon: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, b) in path.bytes().enumerate() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
            || (keep_drive_colon && i == 1 && b == b':')
        {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_clean_relative_uris() {
        assert_eq!(clean_path("a/b/../c/./d.plan"), "a/c/d.plan");
        assert_eq!(clean_path("../x/../y"), "../y");
        assert_eq!(clean_path("a\\b.proc"), "a/b.proc");
        let u = uri("my plans/été,1.plan");
        assert_eq!(u.uri, "my%20plans/%C3%A9t%C3%A9%2C1.plan");
        assert_eq!(u.uri_base_id, Some("%SRCROOT%"));
        let abs = uri("/work/x.plan");
        assert_eq!(
            (abs.uri.as_str(), abs.uri_base_id),
            ("file:///work/x.plan", None)
        );
        assert_eq!(uri("C:/w/x.plan").uri, "file:///C:/w/x.plan");
    }

    #[test]
    fn rule_descriptions_come_from_the_rule_docs() {
        let r = rule(Code::SyntaxError);
        assert_eq!(r.id, "E001");
        assert!(!r.full_description.text.contains("## "));
        assert!(r.help.markdown.contains("## Why it matters"));
        for &c in ALL_CODES {
            assert!(!rule(c).full_description.text.is_empty());
        }
    }

    #[test]
    fn a_run_without_findings_lists_the_rules_and_no_result() {
        let log: serde_json::Value =
            serde_json::from_str(&render(&SourceDb::new(), &[], &Default::default())).unwrap();
        assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        assert_eq!(rules.len(), ALL_CODES.len());
    }

    #[test]
    fn fingerprints_ignore_lines() {
        assert_eq!(
            fingerprint("T006", "a.plan", "m"),
            fingerprint("T006", "a.plan", "m")
        );
        assert_ne!(
            fingerprint("T006", "a.plan", "m"),
            fingerprint("T006", "b.plan", "m")
        );
        assert_eq!(fingerprint("T006", "a.plan", "m").len(), 32);
    }
}
