//! Monthly operations data: the as-flown log, the anomaly register, the change-request
//! register, CCSDS Conjunction Data Messages, the KPI history, and the metrics the
//! monthly operations report shows (`docs/monthly.md` defines every one).
//!
//! Everything here is pure: bytes or text in, values and located [`Problem`]s out; files
//! are read by `workspace::monthly`. Nothing panics on bad input: an empty file, a
//! missing column, an impossible date, a `NaN` probability or an unknown status is a
//! problem at its line and column (CSV), cell (workbook) or line (KVN).

pub mod anomalies;
pub mod asflown;
pub mod cdm;
pub mod changes;
pub mod kpi;
pub mod manifest;
pub mod metrics;
pub mod outages;
pub mod table;

use crate::time::{Digits, Dur, Notation, Time};
use std::fmt;

/// Where a problem is in its file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Loc {
    /// The file as a whole (an empty file, a key missing from a CDM).
    File,
    /// A line (KVN).
    Line(usize),
    /// A line and a column, both 1-based (CSV, YAML).
    LineCol(usize, usize),
    /// A workbook cell (`C7`) of a sheet.
    Cell { sheet: String, cell: String },
}

/// A problem found in an input.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub loc: Loc,
    pub message: String,
    /// A warning does not stop the report; an error does.
    pub warning: bool,
}

impl Problem {
    pub fn error(loc: Loc, message: impl Into<String>) -> Problem {
        Problem {
            loc,
            message: message.into(),
            warning: false,
        }
    }

    pub fn warning(loc: Loc, message: impl Into<String>) -> Problem {
        Problem {
            loc,
            message: message.into(),
            warning: true,
        }
    }

    /// `path:line:column: error: message`, `path: sheet 'S' cell C7: error: message`,
    /// `path:line: error: message` or `path: error: message`.
    pub fn render(&self, path: &str) -> String {
        let level = if self.warning { "warning" } else { "error" };
        match &self.loc {
            Loc::File => format!("{path}: {level}: {}", self.message),
            Loc::Line(l) => format!("{path}:{l}: {level}: {}", self.message),
            Loc::LineCol(l, c) => format!("{path}:{l}:{c}: {level}: {}", self.message),
            Loc::Cell { sheet, cell } => {
                format!(
                    "{path}: sheet '{sheet}' cell {cell}: {level}: {}",
                    self.message
                )
            }
        }
    }
}

/// A calendar month (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i16,
    pub month: i8,
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Month {
    /// Parses `YYYY-MM` (years 1900-9998).
    pub fn parse(text: &str) -> Result<Month, String> {
        let bad = || format!("`{text}` is not a month: write YYYY-MM, such as 2014-10");
        let t = text.trim();
        let (y, m) = t.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i16 = y.parse().map_err(|_| bad())?;
        let month: i8 = m.parse().map_err(|_| bad())?;
        if !(1900..=9998).contains(&year) || !(1..=12).contains(&month) {
            return Err(bad());
        }
        Ok(Month { year, month })
    }

    fn first_day(self) -> jiff::civil::Date {
        jiff::civil::date(self.year, self.month, 1)
    }

    /// 00:00 on the first day.
    pub fn start(self) -> Time {
        time_of_date(self.first_day())
    }

    /// 00:00 on the first day of the next month (the month is `[start, end)`).
    pub fn end(self) -> Time {
        self.next().start()
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// `October 2014`
    pub fn label(self) -> String {
        format!("{} {}", MONTH_NAMES[(self.month - 1) as usize], self.year)
    }

    pub fn contains(self, t: Time) -> bool {
        self.start() <= t && t < self.end()
    }

    pub fn days(self) -> i64 {
        (self.end().0 - self.start().0) / 86_400
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

fn time_of_date(d: jiff::civil::Date) -> Time {
    let days = d
        .since((jiff::Unit::Day, jiff::civil::date(1970, 1, 1)))
        .map(|s| i64::from(s.get_days()))
        .unwrap_or(0);
    Time(days * 86_400)
}

/// Parses the times the inputs hold: ISO 8601 (`2014-10-27T17:42:00Z`, `2014-10-27
/// 17:42`, fractions of a second dropped), a date alone (`2014-10-27`, midnight), GMT
/// day of year (`2014/300 17:42`) and the CCSDS day-of-year form (`2014-300T17:42:00.000`).
pub fn parse_time(text: &str) -> Result<Time, String> {
    let t = text.trim();
    let err = |why: String| {
        format!(
            "`{t}` is not a time ({why}); write 2014-10-27T17:42:00Z, 2014-10-27 17:42, 2014/300 17:42 or 2014-300T17:42:00.000"
        )
    };
    if t.is_empty() {
        return Err("the time is empty".into());
    }
    // Drop a fraction of a second and the zone designator.
    let body = t.trim_end_matches(['Z', 'z']);
    let body = body.strip_suffix("+00:00").unwrap_or(body);
    let body = match body.rfind('.') {
        Some(i) if body[i + 1..].chars().all(|c| c.is_ascii_digit()) && body[..i].contains(':') => {
            &body[..i]
        }
        _ => body,
    };
    if body.contains('/') {
        return Time::parse_doy_with(body, Digits::Loose).map_err(|e| err(e.to_string()));
    }
    let (date, clock) = match body.split_once(['T', 't', ' ']) {
        Some((d, c)) => (d, c.trim()),
        None => (body, "00:00"),
    };
    let parts: Vec<&str> = date.split('-').collect();
    match parts.as_slice() {
        [y, doy] if doy.len() == 3 => {
            Time::parse_doy_with(&format!("{y}/{doy} {clock}"), Digits::Loose)
                .map_err(|e| err(e.to_string()))
        }
        [_, _, _] => Time::parse_iso_with(&format!("{date}T{clock}"), Digits::Loose)
            .map_err(|e| err(e.to_string())),
        _ => Err(err("no date".into())),
    }
}

/// `2014/300 17:42` (seconds only when not zero).
pub fn show_time(t: Time) -> String {
    t.format(Notation::DayOfYear)
}

/// `2014-10-27` of an instant.
pub fn show_date(t: Time) -> String {
    let s = t.format(Notation::Iso);
    s[..10.min(s.len())].to_string()
}

/// A duration for people: `45 min`, `6 h 05 min`, `3 d 4 h`; negative with a minus.
pub fn show_dur(d: Dur) -> String {
    let s = d.0;
    let sign = if s < 0 { "-" } else { "" };
    let s = s.unsigned_abs();
    let (days, hours, mins) = (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60);
    if days > 0 {
        format!("{sign}{days} d {hours} h")
    } else if hours > 0 {
        format!("{sign}{hours} h {mins:02} min")
    } else {
        format!("{sign}{mins} min")
    }
}

/// `12.3` (one decimal, rounding half away from zero on the decimal value shown).
pub fn fixed1(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let r = (x * 10.0).round() / 10.0;
    let r = if r == 0.0 { 0.0 } else { r };
    format!("{r:.1}")
}

/// `3.2e-5`: a probability as people write it (`0` for zero).
pub fn show_pc(p: f64) -> String {
    if p == 0.0 {
        return "0".into();
    }
    let s = format!("{p:.1e}");
    // 1.0e-5 → 1e-5, as thresholds are written.
    s.replace(".0e", "e")
}

/// Lowercase letters and digits only: `Actual start (UTC)` → `actualstartutc`.
pub fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// `a, b or c`
pub fn one_of(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [rest @ .., last] => format!(
            "{} or `{last}`",
            rest.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests;
