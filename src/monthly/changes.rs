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
use super::{one_of, show_time, Loc, Problem, ReadCtx};
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
    /// Whether the raised and decided cells wrote a time of day (else the report shows
    /// the date alone).
    pub raised_clock: bool,
    pub decided_clock: bool,
    pub title: String,
    pub plan: Option<String>,
    pub activities: Vec<String>,
    pub loc: Loc,
    /// Where its plan and activities cells are (a name no plan holds is an error there).
    pub plan_loc: Loc,
    pub activities_loc: Loc,
    /// The row has no problem of its own. A row with one is still matched to the plans
    /// (so that a wrong activity or plan is reported in the same run), never counted;
    /// its unreadable fields hold placeholders.
    pub ok: bool,
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

/// Reads the register (ISO and day-of-year dates only). See [`read_with`].
pub fn read(table: &Table) -> (Vec<ChangeRequest>, Vec<Problem>) {
    read_with(table, &ReadCtx::default())
}

/// Reads the register. Every problem of a row is reported; a row with one comes back
/// with `ok: false` (matched to the plans, not counted). A date before 1957-10-04 or after
/// the report is made is an error; a request raised after the month is a note.
pub fn read_with(table: &Table, ctx: &ReadCtx) -> (Vec<ChangeRequest>, Vec<Problem>) {
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
        let raised_stamp = ctx.cell_stamp(row, cols[1], "raised", &mut problems);
        let raised = raised_stamp.map(|s| s.time);
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
        let decided_stamp = if decided_text.is_empty() {
            None
        } else {
            ctx.cell_stamp(row, cols[3], "decided", &mut problems)
        };
        let decided = decided_stamp.map(|s| s.time);
        if decided_text.is_empty()
            && status.is_some_and(|s| s.accepted() || s == CrStatus::Rejected)
        {
            problems.push(Problem::error(
                row.loc(cols[3]),
                format!(
                    "the decision date is empty: a `{}` change request was decided",
                    status.map_or("", CrStatus::as_str)
                ),
            ));
        }
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
        let ok = problems.len() == before;
        if let (true, Some(r)) = (ok, raised) {
            if ctx.after_month(r) {
                problems.push(Problem::note(
                    row.loc(cols[1]),
                    format!(
                        "change request `{id}` was raised {}, after {}: it is in no count of this report",
                        show_time(r),
                        ctx.month.map(|m| m.label()).unwrap_or_default()
                    ),
                ));
            }
        }
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
            raised: raised.unwrap_or(Time(0)),
            status: status.unwrap_or(CrStatus::Open),
            decided,
            raised_clock: raised_stamp.is_none_or(|s| s.has_clock),
            decided_clock: decided_stamp.is_none_or(|s| s.has_clock),
            title,
            plan: Some(row.text(cols[5]).to_string()).filter(|p| !p.is_empty()),
            activities,
            loc: row.loc(cols[0]),
            plan_loc: row.loc(cols[5]),
            activities_loc: row.loc(cols[6]),
            ok,
        });
    }
    out.sort_by(|a, b| (a.raised, &a.id).cmp(&(b.raised, &b.id)));
    (out, problems)
}
