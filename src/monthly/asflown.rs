//! The as-flown log: what happened to each planned activity.
//!
//! | column | aliases | |
//! |---|---|---|
//! | activity | `Activity`, `Activity ID`, `ID` | required: the plan's activity id |
//! | plan | `Plan`, `Plan ID` | optional: the plan's id, when several plans use the activity id |
//! | actual start | `Actual start`, `Start`, `Actual start (UTC)` | required for `done` and `partial` |
//! | actual end | `Actual end`, `End`, `Actual end (UTC)` | required for `done` and `partial` |
//! | status | `Status` | required: `done`, `partial`, `cancelled`, `moved` |
//! | comment | `Comment`, `Comments`, `Remarks`, `Note` | optional |

use super::table::{find_columns, Column, Table};
use super::{one_of, Loc, Problem, ReadCtx};
use crate::time::Time;

/// What happened to a planned activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FlownStatus {
    Done,
    Partial,
    Cancelled,
    Moved,
}

impl FlownStatus {
    pub const NAMES: [&'static str; 4] = ["done", "partial", "cancelled", "moved"];

    pub fn as_str(self) -> &'static str {
        match self {
            FlownStatus::Done => "done",
            FlownStatus::Partial => "partial",
            FlownStatus::Cancelled => "cancelled",
            FlownStatus::Moved => "moved",
        }
    }

    /// `done`, `Done`, `DONE`; `canceled` too.
    pub fn parse(text: &str) -> Option<FlownStatus> {
        match text.trim().to_ascii_lowercase().as_str() {
            "done" => Some(FlownStatus::Done),
            "partial" => Some(FlownStatus::Partial),
            "cancelled" | "canceled" => Some(FlownStatus::Cancelled),
            "moved" => Some(FlownStatus::Moved),
            _ => None,
        }
    }

    /// Done or partial: the activity ran.
    pub fn ran(self) -> bool {
        matches!(self, FlownStatus::Done | FlownStatus::Partial)
    }
}

/// One row of the log.
#[derive(Debug, Clone, PartialEq)]
pub struct Flown {
    pub activity: String,
    pub plan: Option<String>,
    pub start: Option<Time>,
    pub end: Option<Time>,
    pub status: FlownStatus,
    pub comment: String,
    /// Where the row's activity cell is.
    pub loc: Loc,
    /// Where its actual start and end cells are.
    pub start_loc: Loc,
    pub end_loc: Loc,
    /// The row has no problem of its own. A row with one is still joined to the plans
    /// (so that a wrong activity or plan is reported in the same run), never counted.
    pub ok: bool,
}

const COLUMNS: &[Column] = &[
    Column {
        name: "activity",
        aliases: &["activity", "activity id", "activity_id", "id"],
        required: true,
    },
    Column {
        name: "plan",
        aliases: &["plan", "plan id", "plan_id"],
        required: false,
    },
    Column {
        name: "actual start",
        aliases: &[
            "actual start",
            "actual start (utc)",
            "actual_start",
            "start",
        ],
        required: true,
    },
    Column {
        name: "actual end",
        aliases: &["actual end", "actual end (utc)", "actual_end", "end"],
        required: true,
    },
    Column {
        name: "status",
        aliases: &["status"],
        required: true,
    },
    Column {
        name: "comment",
        aliases: &["comment", "comments", "remarks", "remark", "note", "notes"],
        required: false,
    },
];

/// Reads the log (ISO and day-of-year times only). See [`read_with`].
pub fn read(table: &Table) -> (Vec<Flown>, Vec<Problem>) {
    read_with(table, &ReadCtx::default())
}

/// Reads the log. Every bad cell is a problem, and every problem of a row is reported (not
/// only its first); a row with a problem comes back with `ok: false`, to be joined to the
/// plans but not counted. A `done` or `partial` row needs its actual start and end with a
/// time of day; a time before 1957-10-04 or after the report is made is an error.
pub fn read_with(table: &Table, ctx: &ReadCtx) -> (Vec<Flown>, Vec<Problem>) {
    let cols = match find_columns(table, COLUMNS) {
        Ok(c) => c,
        Err(p) => return (Vec::new(), vec![p]),
    };
    let (c_act, c_plan, c_start, c_end, c_status, c_comment) =
        (cols[0], cols[1], cols[2], cols[3], cols[4], cols[5]);
    let mut out = Vec::new();
    let mut problems = Vec::new();
    if table.rows.len() < 2 {
        problems.push(Problem::error(
            table.rows[0].start(),
            "the log has a header row and no activity",
        ));
    }
    for row in table.rows.iter().skip(1) {
        let before = problems.len();
        let activity = row.text(c_act).to_string();
        if activity.is_empty() {
            problems.push(Problem::error(row.loc(c_act), "the activity id is empty"));
        }
        let status_text = row.text(c_status);
        let status = FlownStatus::parse(status_text);
        if status.is_none() {
            problems.push(Problem::error(
                row.loc(c_status),
                if status_text.is_empty() {
                    format!("the status is empty: write {}", one_of(&FlownStatus::NAMES))
                } else {
                    format!(
                        "unknown status `{status_text}`: the statuses are {}",
                        one_of(&FlownStatus::NAMES)
                    )
                },
            ));
        }
        let ran = status.is_some_and(FlownStatus::ran);
        let mut time = |col: Option<usize>, what: &str| -> Option<Time> {
            let text = row.text(col);
            if text.is_empty() {
                if ran {
                    problems.push(Problem::error(
                        row.loc(col),
                        format!(
                            "the {what} is empty: a `{}` activity needs its actual start and end",
                            status.map_or("", FlownStatus::as_str)
                        ),
                    ));
                }
                return None;
            }
            match ctx.stamp(text) {
                Ok(s) => {
                    if ran && !s.has_clock {
                        problems.push(Problem::error(
                            row.loc(col),
                            format!(
                                "the {what} `{text}` has no time of day: a `{}` activity needs the hour it ran (such as {text} 17:42)",
                                status.map_or("", FlownStatus::as_str)
                            ),
                        ));
                    }
                    if let Err(e) = ctx.plausible(s.time, &format!("the {what}"), text) {
                        problems.push(Problem::error(row.loc(col), e));
                    }
                    Some(s.time)
                }
                Err(e) => {
                    problems.push(Problem::error(row.loc(col), e));
                    None
                }
            }
        };
        let start = time(c_start, "actual start");
        let end = time(c_end, "actual end");
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                problems.push(Problem::error(
                    row.loc(c_end),
                    format!(
                        "the actual end {} is before the actual start {}",
                        super::show_time(e),
                        super::show_time(s)
                    ),
                ));
            }
        }
        let plan = Some(row.text(c_plan).to_string()).filter(|p| !p.is_empty());
        out.push(Flown {
            activity,
            plan,
            start,
            end,
            status: status.unwrap_or(FlownStatus::Done),
            comment: row.text(c_comment).to_string(),
            loc: row.loc(c_act),
            start_loc: row.loc(c_start),
            end_loc: row.loc(c_end),
            ok: problems.len() == before,
        });
    }
    (out, problems)
}
