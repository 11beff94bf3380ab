//! The anomaly register.
//!
//! | column | aliases | |
//! |---|---|---|
//! | id | `ID`, `Anomaly ID`, `Anomaly`, `AR`, `Ref` | required, unique |
//! | opened | `Opened`, `Open date`, `Date opened`, `Raised` | required: a date or a time |
//! | closed | `Closed`, `Close date`, `Date closed` | empty while the anomaly is open |
//! | severity | `Severity`, `Criticality`, `Class` | required: `critical`, `major`, `minor` |
//! | title | `Title`, `Summary`, `Description` | required |
//! | linked activity | `Linked activity`, `Activity`, `Activity ID` | optional |

use super::table::{find_columns, Column, Table};
use super::{one_of, show_time, Loc, Problem, ReadCtx};
use crate::time::Time;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Critical,
    Major,
    Minor,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Critical, Severity::Major, Severity::Minor];
    pub const NAMES: [&'static str; 3] = ["critical", "major", "minor"];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Major => "major",
            Severity::Minor => "minor",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text.trim().to_ascii_lowercase().as_str() {
            "critical" => Some(Severity::Critical),
            "major" => Some(Severity::Major),
            "minor" => Some(Severity::Minor),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Anomaly {
    pub id: String,
    pub opened: Time,
    pub closed: Option<Time>,
    pub severity: Severity,
    pub title: String,
    pub activity: Option<String>,
    pub loc: Loc,
}

impl Anomaly {
    /// Open at `t`: opened before it and not closed by then.
    pub fn open_at(&self, t: Time) -> bool {
        self.opened < t && self.closed.is_none_or(|c| c >= t)
    }
}

const COLUMNS: &[Column] = &[
    Column {
        name: "id",
        aliases: &["id", "anomaly id", "anomaly", "ar", "ref", "reference"],
        required: true,
    },
    Column {
        name: "opened",
        aliases: &["opened", "open date", "date opened", "raised", "opened on"],
        required: true,
    },
    Column {
        name: "closed",
        aliases: &["closed", "close date", "date closed", "closed on"],
        required: true,
    },
    Column {
        name: "severity",
        aliases: &["severity", "criticality", "class"],
        required: true,
    },
    Column {
        name: "title",
        aliases: &["title", "summary", "description"],
        required: true,
    },
    Column {
        name: "linked activity",
        aliases: &["linked activity", "activity", "activity id"],
        required: false,
    },
];

/// Reads the register (ISO and day-of-year dates only). See [`read_with`].
pub fn read(table: &Table) -> (Vec<Anomaly>, Vec<Problem>) {
    read_with(table, &ReadCtx::default())
}

/// Reads the register. Rows with a problem are left out; every problem of a row is
/// reported. A date before 1957-10-04 or after the report is made is an error; an anomaly
/// opened after the month reported is a note (it is in no count of the month).
pub fn read_with(table: &Table, ctx: &ReadCtx) -> (Vec<Anomaly>, Vec<Problem>) {
    let cols = match find_columns(table, COLUMNS) {
        Ok(c) => c,
        Err(p) => return (Vec::new(), vec![p]),
    };
    let mut out: Vec<Anomaly> = Vec::new();
    let mut problems = Vec::new();
    let mut seen: BTreeMap<String, Loc> = BTreeMap::new();
    for row in table.rows.iter().skip(1) {
        let before = problems.len();
        let id = row.text(cols[0]).to_string();
        if id.is_empty() {
            problems.push(Problem::error(row.loc(cols[0]), "the anomaly id is empty"));
        } else if let Some(first) = seen.get(&id) {
            problems.push(Problem::error(
                row.loc(cols[0]),
                format!("anomaly `{id}` is listed twice (first {})", where_is(first)),
            ));
        } else {
            seen.insert(id.clone(), row.loc(cols[0]));
        }
        let opened = ctx.cell_time(row, cols[1], "opened", &mut problems);
        let closed_text = row.text(cols[2]);
        let closed = if closed_text.is_empty() {
            None
        } else {
            ctx.cell_time(row, cols[2], "closed", &mut problems)
        };
        if let (Some(o), Some(c)) = (opened, closed) {
            if c < o {
                problems.push(Problem::error(
                    row.loc(cols[2]),
                    format!(
                        "closed {} before it was opened ({})",
                        show_time(c),
                        show_time(o)
                    ),
                ));
            }
        }
        let sev_text = row.text(cols[3]);
        let severity = Severity::parse(sev_text);
        if severity.is_none() {
            problems.push(Problem::error(
                row.loc(cols[3]),
                format!(
                    "unknown severity `{sev_text}`: the severities are {}",
                    one_of(&Severity::NAMES)
                ),
            ));
        }
        let title = row.text(cols[4]).to_string();
        if title.is_empty() {
            problems.push(Problem::error(row.loc(cols[4]), "the title is empty"));
        }
        if problems.len() > before {
            continue;
        }
        if let (Some(opened), Some(severity)) = (opened, severity) {
            if ctx.after_month(opened) {
                problems.push(Problem::note(
                    row.loc(cols[1]),
                    format!(
                        "{} anomaly `{id}` was opened {}, after {}: it is in no count of this report",
                        severity.as_str(),
                        show_time(opened),
                        ctx.month.map(|m| m.label()).unwrap_or_default()
                    ),
                ));
            }
            out.push(Anomaly {
                id,
                opened,
                closed,
                severity,
                title,
                activity: Some(row.text(cols[5]).to_string()).filter(|a| !a.is_empty()),
                loc: row.loc(cols[0]),
            });
        }
    }
    out.sort_by(|a, b| (a.opened, &a.id).cmp(&(b.opened, &b.id)));
    (out, problems)
}

/// `at line 4, column 1` / `in cell A4`
pub fn where_is(loc: &Loc) -> String {
    match loc {
        Loc::File => "in the file".into(),
        Loc::Line(l) => format!("at line {l}"),
        Loc::LineCol(l, c) => format!("at line {l}, column {c}"),
        Loc::Cell { cell, .. } => format!("in cell {cell}"),
    }
}
