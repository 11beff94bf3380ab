//! The outage log and the availability of each ground system.
//!
//! | column | aliases | |
//! |---|---|---|
//! | system | `System`, `Service`, `Asset`, `Equipment` | required |
//! | start | `Start`, `Start (UTC)`, `From`, `Begin` | required: a time |
//! | end | `End`, `End (UTC)`, `To`, `Until` | required: a time, not before the start |
//! | kind | `Kind`, `Type`, `Planned/unplanned`, `Category` | required: `planned` or `unplanned` |
//! | comment | `Comment`, `Comments`, `Remarks`, `Note`, `Description` | optional |
//!
//! Availability of a system in a month (`docs/monthly.md`): the outages are clipped to the
//! month, and those of one system are merged (overlapping or touching outages count once).
//! **Unplanned** time = the union of its unplanned outages; **planned** time = the union of
//! its planned outages less the unplanned time (an instant is counted once, as unplanned
//! when both overlap). **Availability** = 1 − unplanned / month length (planned outages
//! are agreed downtime and do not count against it); **availability, all outages** = 1 −
//! (planned + unplanned) / month length is shown next to it.

use super::table::{find_columns, Column, Table};
use super::{one_of, show_time, Loc, Month, Problem, ReadCtx};
use crate::time::Time;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OutageKind {
    Planned,
    Unplanned,
}

impl OutageKind {
    pub const NAMES: [&'static str; 2] = ["planned", "unplanned"];

    pub fn as_str(self) -> &'static str {
        match self {
            OutageKind::Planned => "planned",
            OutageKind::Unplanned => "unplanned",
        }
    }

    pub fn parse(text: &str) -> Option<OutageKind> {
        match super::norm(text).as_str() {
            "planned" | "scheduled" | "maintenance" => Some(OutageKind::Planned),
            "unplanned" | "unscheduled" | "failure" | "outage" => Some(OutageKind::Unplanned),
            _ => None,
        }
    }
}

/// One row of the outage log.
#[derive(Debug, Clone, PartialEq)]
pub struct Outage {
    pub system: String,
    pub start: Time,
    pub end: Time,
    pub kind: OutageKind,
    pub comment: String,
    pub loc: Loc,
}

const COLUMNS: &[Column] = &[
    Column {
        name: "system",
        aliases: &["system", "service", "asset", "equipment"],
        required: true,
    },
    Column {
        name: "start",
        aliases: &["start", "start utc", "from", "begin", "outage start"],
        required: true,
    },
    Column {
        name: "end",
        aliases: &["end", "end utc", "to", "until", "outage end"],
        required: true,
    },
    Column {
        name: "kind",
        aliases: &["kind", "type", "planned/unplanned", "category"],
        required: true,
    },
    Column {
        name: "comment",
        aliases: &["comment", "comments", "remarks", "note", "description"],
        required: false,
    },
];

/// Reads the log (ISO and day-of-year times only). See [`read_with`].
pub fn read(table: &Table) -> (Vec<Outage>, Vec<Problem>) {
    read_with(table, &ReadCtx::default())
}

/// The key a system is known by: its name ignoring case and blanks (`Kiruna Station` and
/// `kiruna  station` are one system).
pub fn system_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Reads the log. Rows with a problem are left out; every problem is reported. A time
/// before 1957-10-04 or after the report is made is an error. System names that differ
/// only in case or blanks are one system, shown as first written, with a note at each
/// other spelling; outages that do not touch the month reported are one note.
pub fn read_with(table: &Table, ctx: &ReadCtx) -> (Vec<Outage>, Vec<Problem>) {
    let cols = match find_columns(table, COLUMNS) {
        Ok(c) => c,
        Err(p) => return (Vec::new(), vec![p]),
    };
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for row in table.rows.iter().skip(1) {
        let before = problems.len();
        let system = row.text(cols[0]).to_string();
        if system.is_empty() {
            problems.push(Problem::error(row.loc(cols[0]), "the system is empty"));
        }
        let start = ctx.cell_time(row, cols[1], "start", &mut problems);
        let end = ctx.cell_time(row, cols[2], "end", &mut problems);
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                problems.push(Problem::error(
                    row.loc(cols[2]),
                    format!(
                        "the outage ends {} before it starts ({})",
                        show_time(e),
                        show_time(s)
                    ),
                ));
            }
        }
        let kind_text = row.text(cols[3]);
        let kind = OutageKind::parse(kind_text);
        if kind.is_none() {
            problems.push(Problem::error(
                row.loc(cols[3]),
                format!(
                    "unknown outage kind `{kind_text}`: the kinds are {}",
                    one_of(&OutageKind::NAMES)
                ),
            ));
        }
        if problems.len() > before {
            continue;
        }
        if let (Some(start), Some(end), Some(kind)) = (start, end, kind) {
            out.push(Outage {
                system,
                start,
                end,
                kind,
                comment: row.text(cols[4]).to_string(),
                loc: row.start(),
            });
        }
    }
    // One system per name ignoring case and blanks, shown as first written (file order).
    let mut first: std::collections::BTreeMap<String, (String, Loc)> = Default::default();
    let mut spellings: std::collections::BTreeSet<(String, String)> = Default::default();
    for o in &mut out {
        let key = system_key(&o.system);
        let (shown, at) = first
            .entry(key.clone())
            .or_insert_with(|| (o.system.clone(), o.loc.clone()))
            .clone();
        if o.system != shown {
            if spellings.insert((key, o.system.clone())) {
                problems.push(Problem::note(
                    o.loc.clone(),
                    format!(
                        "system `{}` is counted as `{shown}` (first written {}): system names are matched ignoring case and blanks",
                        o.system,
                        super::anomalies::where_is(&at)
                    ),
                ));
            }
            o.system = shown;
        }
    }
    if let Some(m) = ctx.month {
        let (lo, hi) = (m.start(), m.end());
        let outside: Vec<&Outage> = out
            .iter()
            .filter(|o| !(o.start < hi && (o.end > lo || (o.start == o.end && o.start >= lo))))
            .collect();
        if let Some(o) = outside.first() {
            problems.push(Problem::note(
                o.loc.clone(),
                format!(
                    "{} outage{} of the log {} not touch {} and {} not counted (the first here)",
                    outside.len(),
                    if outside.len() == 1 { "" } else { "s" },
                    if outside.len() == 1 { "does" } else { "do" },
                    m.label(),
                    if outside.len() == 1 { "is" } else { "are" },
                ),
            ));
        }
    }
    out.sort_by(|a, b| {
        (&a.system, a.start, a.end, a.kind).cmp(&(&b.system, b.start, b.end, b.kind))
    });
    (out, problems)
}

/// Half-open intervals `[start, end)` in seconds, clipped to `[lo, hi)`, sorted and
/// merged (overlapping or touching intervals become one; empty ones vanish).
pub fn clip_merge(intervals: &[(i64, i64)], lo: i64, hi: i64) -> Vec<(i64, i64)> {
    let mut v: Vec<(i64, i64)> = intervals
        .iter()
        .map(|&(s, e)| (s.max(lo), e.min(hi)))
        .filter(|(s, e)| s < e)
        .collect();
    v.sort_unstable();
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(v.len());
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// The total length of merged intervals.
pub fn length(merged: &[(i64, i64)]) -> i64 {
    merged.iter().map(|(s, e)| e - s).sum()
}

/// One system's outage time in a month.
#[derive(Debug, Clone, PartialEq)]
pub struct SystemAvailability {
    pub system: String,
    /// Outages of the system that touch the month (indices into the log), by start.
    pub outages: Vec<usize>,
    /// Seconds of unplanned outage (merged, clipped to the month).
    pub unplanned_s: i64,
    /// Seconds of planned outage not already counted as unplanned.
    pub planned_s: i64,
    /// The month's length in seconds.
    pub month_s: i64,
}

impl SystemAvailability {
    /// 100 × (1 − unplanned / month): planned outages do not count.
    pub fn availability(&self) -> f64 {
        100.0 * (1.0 - self.unplanned_s as f64 / self.month_s as f64)
    }

    /// 100 × (1 − (planned + unplanned) / month).
    pub fn availability_all(&self) -> f64 {
        100.0 * (1.0 - (self.unplanned_s + self.planned_s) as f64 / self.month_s as f64)
    }
}

/// Availability per system named in the log (sorted by name), for the month.
pub fn availability(month: Month, log: &[Outage]) -> Vec<SystemAvailability> {
    let (lo, hi) = (month.start().0, month.end().0);
    let mut systems: Vec<&str> = log.iter().map(|o| o.system.as_str()).collect();
    systems.sort_unstable();
    systems.dedup();
    systems
        .into_iter()
        .map(|sys| {
            let of = |kind: Option<OutageKind>| -> Vec<(i64, i64)> {
                log.iter()
                    .filter(|o| o.system == sys && kind.is_none_or(|k| o.kind == k))
                    .map(|o| (o.start.0, o.end.0))
                    .collect()
            };
            let unplanned = length(&clip_merge(&of(Some(OutageKind::Unplanned)), lo, hi));
            let all = length(&clip_merge(&of(None), lo, hi));
            let mut outages: Vec<usize> = (0..log.len())
                .filter(|&i| {
                    let o = &log[i];
                    let (s, e) = (o.start.0, o.end.0);
                    o.system == sys && s < hi && (e > lo || (s == e && s >= lo))
                })
                .collect();
            outages.sort_by_key(|&i| (log[i].start, log[i].end, log[i].kind));
            SystemAvailability {
                system: sys.to_string(),
                outages,
                unplanned_s: unplanned,
                planned_s: all - unplanned,
                month_s: hi - lo,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monthly::{parse_time, table};

    const OCT: Month = Month {
        year: 2014,
        month: 10,
    };

    fn t(s: &str) -> Time {
        parse_time(s).expect("time")
    }

    fn outage(system: &str, start: &str, end: &str, kind: OutageKind) -> Outage {
        Outage {
            system: system.into(),
            start: t(start),
            end: t(end),
            kind,
            comment: String::new(),
            loc: Loc::LineCol(2, 1),
        }
    }

    const MONTH_S: i64 = 31 * 86_400;

    #[test]
    fn clip_merge_merges_overlaps_and_touching_intervals() {
        assert_eq!(
            clip_merge(&[(10, 20), (15, 30), (30, 40), (50, 60), (5, 5)], 0, 100),
            vec![(10, 40), (50, 60)]
        );
        assert_eq!(
            clip_merge(&[(-10, 10), (90, 120)], 0, 100),
            vec![(0, 10), (90, 100)]
        );
        assert_eq!(clip_merge(&[(-10, -1), (100, 120)], 0, 100), vec![]);
    }

    #[test]
    fn outages_are_clipped_to_the_month_edges() {
        let log = vec![
            // 2 h in September, 1 h in October.
            outage(
                "Artemis link",
                "2014-09-30 22:00",
                "2014-10-01 01:00",
                OutageKind::Unplanned,
            ),
            // 30 min in October, 1 h in November.
            outage(
                "Artemis link",
                "2014-10-31 23:30",
                "2014-11-01 01:00",
                OutageKind::Unplanned,
            ),
            // Wholly in November: not counted.
            outage(
                "Artemis link",
                "2014-11-02 00:00",
                "2014-11-02 05:00",
                OutageKind::Unplanned,
            ),
        ];
        let a = availability(OCT, &log);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].unplanned_s, 5400);
        assert_eq!(a[0].planned_s, 0);
        assert_eq!(a[0].month_s, MONTH_S);
        assert_eq!(a[0].outages, vec![0, 1]);
        let expected = 100.0 * (1.0 - 5400.0 / MONTH_S as f64);
        assert!((a[0].availability() - expected).abs() < 1e-9);
    }

    #[test]
    fn overlapping_outages_of_one_system_count_once() {
        let log = vec![
            outage(
                "SCOOP chain",
                "2014-10-05 10:00",
                "2014-10-05 12:00",
                OutageKind::Unplanned,
            ),
            outage(
                "SCOOP chain",
                "2014-10-05 11:00",
                "2014-10-05 13:00",
                OutageKind::Unplanned,
            ),
            // Another system at the same time is its own.
            outage(
                "TDRS link",
                "2014-10-05 11:00",
                "2014-10-05 13:00",
                OutageKind::Unplanned,
            ),
        ];
        let a = availability(OCT, &log);
        assert_eq!(a[0].system, "SCOOP chain");
        assert_eq!(a[0].unplanned_s, 3 * 3600);
        assert_eq!(a[1].system, "TDRS link");
        assert_eq!(a[1].unplanned_s, 2 * 3600);
    }

    #[test]
    fn planned_outages_do_not_count_against_availability() {
        let log = vec![
            outage(
                "Kourou station",
                "2014-10-10 08:00",
                "2014-10-10 14:00",
                OutageKind::Planned,
            ),
            // Overlaps the planned slot by 1 h: that hour is unplanned only.
            outage(
                "Kourou station",
                "2014-10-10 13:00",
                "2014-10-10 15:00",
                OutageKind::Unplanned,
            ),
        ];
        let a = &availability(OCT, &log)[0];
        assert_eq!(a.unplanned_s, 2 * 3600);
        assert_eq!(a.planned_s, 5 * 3600);
        let avail = 100.0 * (1.0 - 7200.0 / MONTH_S as f64);
        let all = 100.0 * (1.0 - 7.0 * 3600.0 / MONTH_S as f64);
        assert!((a.availability() - avail).abs() < 1e-9);
        assert!((a.availability_all() - all).abs() < 1e-9);
        // A system with only planned outages is fully available.
        let only_planned = &availability(OCT, &log[..1])[0];
        assert_eq!(only_planned.availability(), 100.0);
    }

    #[test]
    fn rows_are_read_and_bad_rows_located() {
        let csv = "System,Start (UTC),End (UTC),Kind,Comment\n\
                   Artemis link,2014-10-03 04:10,2014-10-03 04:16,unplanned,AR-ATV5-0131\n\
                   TDRS link,2014-10-04 10:00,2014-10-04 09:00,planned,\n\
                   ,2014-10-05 10:00,2014-10-05 11:00,sometimes,\n\
                   SCOOP chain,2014-10-32 10:00,2014-10-05 11:00,Planned,\n";
        let (table, probs) = table::from_csv(csv.as_bytes());
        assert!(probs.is_empty());
        let (log, probs) = read(&table);
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].kind, OutageKind::Unplanned);
        assert_eq!(log[0].comment, "AR-ATV5-0131");
        let msgs: Vec<String> = probs.iter().map(|p| p.render("o.csv")).collect();
        assert_eq!(msgs.len(), 4, "{msgs:#?}");
        assert!(msgs[0].starts_with(
            "o.csv:3:28: error: the outage ends 2014/277 09:00 before it starts (2014/277 10:00)"
        ), "{msgs:#?}");
        assert_eq!(msgs[1], "o.csv:4:1: error: the system is empty");
        assert!(
            msgs[2].starts_with("o.csv:4:36: error: unknown outage kind `sometimes`"),
            "{msgs:#?}"
        );
        assert!(
            msgs[3].starts_with("o.csv:5:13: error: start: `2014-10-32 10:00` is not a time"),
            "{msgs:#?}"
        );
    }

    #[test]
    fn a_log_without_a_kind_column_is_an_error() {
        let (table, _) = table::from_csv(b"System,Start,End\nA,2014-10-01,2014-10-02\n");
        let (log, probs) = read(&table);
        assert!(log.is_empty());
        assert!(probs[0].message.contains("no `kind` column"), "{probs:?}");
    }
}
