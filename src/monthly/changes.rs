//! The change-request register (Planning Product Change Requests raised after a plan
//! was issued).
//!
//! | column | aliases | |
//! |---|---|---|
//! | id | `ID`, `CR`, `CR ID`, `PPCR` | required, unique |
//! | raised | `Raised`, `Opened`, `Date raised` | required |
//! | status | `Status` | required: `open`, `approved`, `implemented`, `rejected`, `withdrawn` |
//! | decided | `Decided`, `Decision`, `Date decided`, `Closed` | required for `approved`, `implemented`, `rejected` |
//! | title | `Title`, `Summary`, `Description` | required |
//! | plan | `Plan` | optional |
//! | activities | `Activities`, `Activity`, `Affected activities` | optional: ids the change touches, separated by blanks, commas or semicolons |

use super::anomalies::where_is;
use super::table::{find_columns, Column, Table};
use super::{one_of, parse_time, show_time, Loc, Problem};
use crate::time::Time;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CrStatus {
    Open,
    Approved,
    Implemented,
    Rejected,
    Withdrawn,
}

impl CrStatus {
    pub const NAMES: [&'static str; 5] =
        ["open", "approved", "implemented", "rejected", "withdrawn"];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    pub fn parse(text: &str) -> Option<CrStatus> {
        match text.trim().to_ascii_lowercase().as_str() {
            "open" => Some(CrStatus::Open),
            "approved" => Some(CrStatus::Approved),
            "implemented" => Some(CrStatus::Implemented),
            "rejected" => Some(CrStatus::Rejected),
            "withdrawn" => Some(CrStatus::Withdrawn),
            _ => None,
        }
    }

    /// Approved or implemented.
    pub fn accepted(self) -> bool {
        matches!(self, CrStatus::Approved | CrStatus::Implemented)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRequest {
    pub id: String,
    pub raised: Time,
    pub status: CrStatus,
    pub decided: Option<Time>,
    pub title: String,
    pub plan: Option<String>,
    pub activities: Vec<String>,
    pub loc: Loc,
}

const COLUMNS: &[Column] = &[
    Column {
        name: "id",
        aliases: &["id", "cr", "cr id", "ppcr", "change request"],
        required: true,
    },
    Column {
        name: "raised",
        aliases: &["raised", "opened", "date raised", "raised on"],
        required: true,
    },
    Column {
        name: "status",
        aliases: &["status"],
        required: true,
    },
    Column {
        name: "decided",
        aliases: &[
            "decided",
            "decision",
            "date decided",
            "decided on",
            "closed",
        ],
        required: true,
    },
    Column {
        name: "title",
        aliases: &["title", "summary", "description"],
        required: true,
    },
    Column {
        name: "plan",
        aliases: &["plan", "plan id"],
        required: false,
    },
    Column {
        name: "activities",
        aliases: &["activities", "activity", "affected activities"],
        required: false,
    },
];

pub fn read(table: &Table) -> (Vec<ChangeRequest>, Vec<Problem>) {
    let cols = match find_columns(table, COLUMNS) {
        Ok(c) => c,
        Err(p) => return (Vec::new(), vec![p]),
    };
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut seen: BTreeMap<String, Loc> = BTreeMap::new();
    for row in table.rows.iter().skip(1) {
        let before = problems.len();
        let id = row.text(cols[0]).to_string();
        if id.is_empty() {
            problems.push(Problem::error(
                row.loc(cols[0]),
                "the change-request id is empty",
            ));
        } else if let Some(first) = seen.get(&id) {
            problems.push(Problem::error(
                row.loc(cols[0]),
                format!(
                    "change request `{id}` is listed twice (first {})",
                    where_is(first)
                ),
            ));
        } else {
            seen.insert(id.clone(), row.loc(cols[0]));
        }
        let raised = parse_time(row.text(cols[1]))
            .map_err(|e| problems.push(Problem::error(row.loc(cols[1]), format!("raised: {e}"))))
            .ok();
        let status_text = row.text(cols[2]);
        let status = CrStatus::parse(status_text);
        if status.is_none() {
            problems.push(Problem::error(
                row.loc(cols[2]),
                format!(
                    "unknown status `{status_text}`: the statuses are {}",
                    one_of(&CrStatus::NAMES)
                ),
            ));
        }
        let decided_text = row.text(cols[3]);
        let decided = if decided_text.is_empty() {
            if status.is_some_and(|s| s.accepted() || s == CrStatus::Rejected) {
                problems.push(Problem::error(
                    row.loc(cols[3]),
                    format!(
                        "the decision date is empty: a `{}` change request was decided",
                        status.map_or("", CrStatus::as_str)
                    ),
                ));
            }
            None
        } else {
            parse_time(decided_text)
                .map_err(|e| {
                    problems.push(Problem::error(row.loc(cols[3]), format!("decided: {e}")))
                })
                .ok()
        };
        if let (Some(r), Some(d)) = (raised, decided) {
            if d < r {
                problems.push(Problem::error(
                    row.loc(cols[3]),
                    format!(
                        "decided {} before it was raised ({})",
                        show_time(d),
                        show_time(r)
                    ),
                ));
            }
        }
        let title = row.text(cols[4]).to_string();
        if title.is_empty() {
            problems.push(Problem::error(row.loc(cols[4]), "the title is empty"));
        }
        if problems.len() > before {
            continue;
        }
        if let (Some(raised), Some(status)) = (raised, status) {
            let mut activities: Vec<String> = row
                .text(cols[6])
                .split([',', ';', ' ', '\n', '\t'])
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            activities.sort();
            activities.dedup();
            out.push(ChangeRequest {
                id,
                raised,
                status,
                decided,
                title,
                plan: Some(row.text(cols[5]).to_string()).filter(|p| !p.is_empty()),
                activities,
                loc: row.loc(cols[0]),
            });
        }
    }
    out.sort_by(|a, b| (a.raised, &a.id).cmp(&(b.raised, &b.id)));
    (out, problems)
}
