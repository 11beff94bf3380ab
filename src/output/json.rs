//! JSON diagnostics: one document with a summary and every finding. Field names are
//! stable (`code`, `severity`, `message`, `file`, `line`, `column`, `end_line`,
//! `end_column`, `related`); lines and columns are 1-based, the end is exclusive.
//! `project_file` names the project file that judged the inputs (`null`: none).

use super::Location;
use crate::diag::Diagnostic;
use crate::source::SourceDb;
use serde::Serialize;

#[derive(Serialize)]
struct Report<'a> {
    /// Format version of this document.
    version: u32,
    /// The project file used, as outputs show paths; `null` when none.
    project_file: Option<String>,
    summary: Summary,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    notes: usize,
    files: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    message: &'a str,
    #[serde(flatten)]
    location: Location,
    label: &'a str,
    help: Option<&'a str>,
    notes: &'a [String],
    related: Vec<Related<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    flight_rule: Option<&'a str>,
    /// Further flight rules the finding is about (an F002 names every rule that could
    /// not judge its activity).
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    more_flight_rules: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    traces: &'a [String],
    /// When the problem occurs, in ISO 8601 UTC.
    #[serde(skip_serializing_if = "Option::is_none")]
    when: Option<When>,
    docs: String,
}

#[derive(Serialize)]
struct When {
    start: String,
    end: String,
}

#[derive(Serialize)]
struct Related<'a> {
    #[serde(flatten)]
    location: Location,
    message: &'a str,
}

pub fn render(
    sources: &SourceDb,
    diags: &[Diagnostic],
    project: &crate::workspace::Project,
) -> String {
    use crate::diag::Severity::*;
    let count = |s| diags.iter().filter(|d| d.severity == s).count();
    let report = Report {
        version: 1,
        project_file: project.shown(),
        summary: Summary {
            errors: count(Error),
            warnings: count(Warning),
            notes: count(Note),
            files: sources.len(),
        },
        diagnostics: json_diagnostics(sources, diags),
    };
    let mut s = serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".to_string());
    s.push('\n');
    s
}

/// The findings as JSON values with the fields of [`render`]'s `diagnostics`, for other
/// documents that embed them (`opsplan trace --format json`).
pub fn diagnostics_value(sources: &SourceDb, diags: &[Diagnostic]) -> serde_json::Value {
    serde_json::to_value(json_diagnostics(sources, diags)).unwrap_or_default()
}

fn json_diagnostics<'a>(sources: &SourceDb, diags: &'a [Diagnostic]) -> Vec<JsonDiagnostic<'a>> {
    diags
        .iter()
        .map(|d| {
            let info = d.code.info();
            JsonDiagnostic {
                code: info.code,
                name: info.name,
                severity: d.severity.as_str(),
                message: &d.message,
                location: Location::of(sources, &d.primary),
                label: &d.primary.message,
                help: d.help.as_deref(),
                notes: &d.notes,
                related: d
                    .secondary
                    .iter()
                    .map(|l| Related {
                        location: Location::of(sources, l),
                        message: &l.message,
                    })
                    .collect(),
                flight_rule: d.flight_rule.as_deref(),
                more_flight_rules: &d.more_flight_rules,
                traces: &d.traces,
                when: d.interval.map(|iv| When {
                    start: iv.start.format(crate::time::Notation::Iso),
                    end: iv.end.format(crate::time::Notation::Iso),
                }),
                docs: format!("opsplan rule {}", info.code),
            }
        })
        .collect()
}
