//! `activities.csv`: one row per activity, in plan order, under a header row of
//! [`COLUMNS`]. RFC 4180 (CRLF, quoted when needed), UTF-8 without BOM; every cell
//! passes through [`crate::output::trace::safe_cell`] so a spreadsheet never reads a
//! cell as a formula. Lists are joined with `; `; times are ISO 8601 UTC, then the
//! plan's notation.

use super::{ActivityExport, ExportDoc};
use crate::output::trace::safe_cell;

/// The header row; docs/export.md describes each column.
pub const COLUMNS: &[&str] = &[
    "plan",
    "issue",
    "id",
    "title",
    "phase",
    "time",
    "start_utc",
    "end_utc",
    "start_plan",
    "end_plan",
    "duration_seconds",
    "by",
    "kind",
    "tags",
    "critical",
    "procedure",
    "procedure_version",
    "needs",
    "uses",
    "relations",
    "covers",
    "note",
];

fn row(doc: &ExportDoc, a: &ActivityExport) -> Vec<String> {
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    let time = match (&a.unknown_reason, a.time) {
        (Some(why), t) => format!("{t}: {why}"),
        (None, t) => t.to_string(),
    };
    let needs = a.needs.as_ref().map_or(String::new(), super::needs_text);
    let uses = super::uses_texts(a).join("; ");
    let covers = a
        .covers
        .iter()
        .map(|c| match &c.stamp {
            Some(s) => format!("{}@{s}", c.id),
            None => c.id.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ");
    vec![
        doc.plan.id.clone(),
        opt(&doc.plan.issue),
        a.id.clone(),
        opt(&a.title),
        opt(&a.phase),
        time,
        opt(&a.start),
        opt(&a.end),
        opt(&a.start_plan),
        opt(&a.end_plan),
        a.duration_seconds.map_or(String::new(), |d| d.to_string()),
        a.by.join("; "),
        opt(&a.kind),
        a.tags.join("; "),
        if a.critical { "yes" } else { "no" }.to_string(),
        a.procedure.as_ref().map_or(String::new(), |p| p.id.clone()),
        a.procedure
            .as_ref()
            .and_then(|p| p.version.clone())
            .unwrap_or_default(),
        needs,
        uses,
        a.relations
            .iter()
            .map(|r| r.text.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        covers,
        opt(&a.note),
    ]
}

/// The CSV text.
pub fn render(doc: &ExportDoc) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(COLUMNS).expect("writing to memory");
    for a in &doc.activities {
        let cells: Vec<String> = row(doc, a).iter().map(|c| safe_cell(c)).collect();
        w.write_record(&cells).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("UTF-8 in, UTF-8 out")
}
