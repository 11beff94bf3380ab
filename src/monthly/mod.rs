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
pub mod cdm_xml;
pub mod changes;
pub mod custom_kpi;
pub mod deliveries;
pub mod join;
pub mod kpi;
pub mod manifest;
pub mod metrics;
pub mod oncall;
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

/// How much a problem weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Stops the report: nothing is written.
    Error,
    /// Printed and shown in the report, which is still written.
    Warning,
    /// Something the reader of the report should know about the inputs (a row not
    /// counted, two spellings taken as one): shown in the report, located.
    Note,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        }
    }
}

/// A problem found in an input.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub loc: Loc,
    pub message: String,
    pub level: Level,
}

impl Problem {
    pub fn error(loc: Loc, message: impl Into<String>) -> Problem {
        Problem {
            loc,
            message: message.into(),
            level: Level::Error,
        }
    }

    pub fn warning(loc: Loc, message: impl Into<String>) -> Problem {
        Problem {
            loc,
            message: message.into(),
            level: Level::Warning,
        }
    }

    pub fn note(loc: Loc, message: impl Into<String>) -> Problem {
        Problem {
            loc,
            message: message.into(),
            level: Level::Note,
        }
    }

    /// An error stops the report.
    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }

    /// `path:line:column: error: message`, `path: sheet 'S' cell C7: error: message`,
    /// `path:line: error: message` or `path: error: message` (`warning`, `note`).
    pub fn render(&self, path: &str) -> String {
        let level = self.level.as_str();
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

/// How the registers write dates with slashes. ISO 8601 and the day-of-year forms are
/// always read; `27/10/2014` only when `monthly.yaml` says which field comes first
/// (`date_format:`), since `10/03/2025` is the 10th of March in Toulouse and the 3rd of
/// October in Houston.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateFormat {
    /// `2014-10-27`, `2014/300`, `2014-300` only.
    #[default]
    Iso,
    /// Also `27/10/2014`.
    DayMonthYear,
    /// Also `10/27/2014`.
    MonthDayYear,
}

impl DateFormat {
    pub const NAMES: [&'static str; 3] = ["YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY"];

    /// `DD/MM/YYYY`, `MM/DD/YYYY` or `YYYY-MM-DD` (the default: no slash dates).
    pub fn parse(text: &str) -> Result<DateFormat, String> {
        match text.trim().to_ascii_uppercase().as_str() {
            "YYYY-MM-DD" | "ISO" | "ISO 8601" => Ok(DateFormat::Iso),
            "DD/MM/YYYY" => Ok(DateFormat::DayMonthYear),
            "MM/DD/YYYY" => Ok(DateFormat::MonthDayYear),
            _ => Err(format!(
                "`{text}` is not a date format: write {}",
                one_of(&DateFormat::NAMES)
            )),
        }
    }

    /// The forms a time may take, as messages list them.
    pub fn forms(self) -> String {
        const BASE: &str = "2014-10-27T17:42:00Z, 2014-10-27 17:42, 2014-10-27T19:42+02:00 (converted to UTC), 2014/300 17:42 or 2014-300T17:42:00.000";
        match self {
            DateFormat::Iso => BASE.to_string(),
            DateFormat::DayMonthYear => {
                format!("{BASE}, or 27/10/2014 17:42 (monthly.yaml's `date_format: DD/MM/YYYY`)")
            }
            DateFormat::MonthDayYear => {
                format!("{BASE}, or 10/27/2014 17:42 (monthly.yaml's `date_format: MM/DD/YYYY`)")
            }
        }
    }
}

/// A time as read: the instant (UTC) and whether a time of day was written (`2014-10-27`
/// alone is midnight, and says nothing of the hour).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub time: Time,
    pub has_clock: bool,
}

/// Parses the times the inputs hold (ISO dates and day of year only; see [`parse_stamp`]).
pub fn parse_time(text: &str) -> Result<Time, String> {
    parse_stamp(text, DateFormat::Iso).map(|s| s.time)
}

/// Parses the times the inputs hold: ISO 8601 (`2014-10-27T17:42:00Z`, `2014-10-27
/// 17:42`, fractions of a second dropped, an offset such as `+02:00` converted to UTC), a
/// date alone (`2014-10-27`, midnight), GMT day of year (`2014/300 17:42`), the CCSDS
/// day-of-year form (`2014-300T17:42:00.000`), and `27/10/2014` when `format` says the
/// day comes first (or `10/27/2014` the month). Every error names the accepted forms.
pub fn parse_stamp(text: &str, format: DateFormat) -> Result<Stamp, String> {
    let t = text.trim();
    let forms = format.forms();
    let err = |why: String| format!("`{t}` is not a time ({why}); write {forms}");
    if t.is_empty() {
        return Err(format!("the time is empty; write {forms}"));
    }
    let (date, clock) = match t.split_once(['T', 't', ' ']) {
        Some((d, c)) => (d, Some(c.trim())),
        None => (t.trim_end_matches(['Z', 'z']), None),
    };
    // The clock: a zone (`Z`, `+02:00`, `-0500`, `+01`) and a fraction of a second dropped.
    let (clock, offset) = match clock {
        None => ("00:00", 0),
        Some(c) => {
            let c = c.trim_end_matches(['Z', 'z']).trim_end();
            let (c, offset) = match c.find(['+', '-']) {
                Some(i) => {
                    let zone = &c[i..];
                    let secs = parse_offset(zone).ok_or_else(|| {
                        err(format!(
                            "`{zone}` is not a UTC offset: write +02:00, -05:00, +0200 or +02"
                        ))
                    })?;
                    (c[..i].trim_end(), secs)
                }
                None => (c, 0),
            };
            let c = match c.rfind('.') {
                Some(i)
                    if c[i + 1..].chars().all(|ch| ch.is_ascii_digit()) && c[..i].contains(':') =>
                {
                    &c[..i]
                }
                _ => c,
            };
            (c, offset)
        }
    };
    let has_clock = t.contains(['T', 't', ' ']);
    let local = if date.contains('/') {
        let parts: Vec<&str> = date.split('/').collect();
        match parts.as_slice() {
            [y, doy] if y.len() == 4 && doy.len() == 3 => {
                Time::parse_doy_with(&format!("{y}/{doy} {clock}"), Digits::Loose)
                    .map_err(|e| err(e.to_string()))?
            }
            [a, b, y] => {
                let (d, m) = match format {
                    DateFormat::Iso => {
                        return Err(err(
                            "a date written with slashes is ambiguous (DD/MM/YYYY or MM/DD/YYYY?) and is read only when monthly.yaml declares its order, `date_format: DD/MM/YYYY` or `date_format: MM/DD/YYYY`".into(),
                        ))
                    }
                    DateFormat::DayMonthYear => (a, b),
                    DateFormat::MonthDayYear => (b, a),
                };
                if y.len() != 4 {
                    return Err(err("the year needs four digits".into()));
                }
                Time::parse_iso_with(&format!("{y}-{m}-{d}T{clock}"), Digits::Loose)
                    .map_err(|e| err(e.to_string()))?
            }
            _ => return Err(err("no date".into())),
        }
    } else {
        let parts: Vec<&str> = date.split('-').collect();
        match parts.as_slice() {
            [y, doy] if doy.len() == 3 => {
                Time::parse_doy_with(&format!("{y}/{doy} {clock}"), Digits::Loose)
                    .map_err(|e| err(e.to_string()))?
            }
            [_, _, _] => Time::parse_iso_with(&format!("{date}T{clock}"), Digits::Loose)
                .map_err(|e| err(e.to_string()))?,
            _ => return Err(err("no date".into())),
        }
    };
    let time = local
        .checked_add(Dur(-offset))
        .map_err(|e| err(e.to_string()))?;
    Ok(Stamp { time, has_clock })
}

/// `+02:00`, `-0500`, `+01`: seconds east of UTC; `None` when malformed.
fn parse_offset(zone: &str) -> Option<i64> {
    let sign = match zone.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits = &zone[1..];
    let (h, m) = match digits.len() {
        2 => (digits, "00"),
        4 => (&digits[..2], &digits[2..]),
        5 if digits.as_bytes()[2] == b':' => (&digits[..2], &digits[3..]),
        _ => return None,
    };
    if !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 23 && m <= 59).then_some(sign * (h * 3600 + m * 60))
}

/// 1957-10-04, the launch of Sputnik 1: no record of spacecraft operations is older, so an
/// earlier date is a typo (`0214`, `1914`) or a spreadsheet's empty date (`1899-12-31`).
pub fn floor() -> Time {
    time_of_date(jiff::civil::date(1957, 10, 4))
}

/// When the report is made: nothing it reads can be dated later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Issued {
    pub time: Time,
    /// From `SOURCE_DATE_EPOCH` (else the newest input's modification time).
    pub from_epoch: bool,
}

/// What the readers of the registers check their dates against.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadCtx {
    pub dates: DateFormat,
    /// The month reported: a row dated after it is a note (not counted), not an error.
    pub month: Option<Month>,
    /// The report's generation time.
    pub issued: Option<Issued>,
}

impl ReadCtx {
    pub fn stamp(&self, text: &str) -> Result<Stamp, String> {
        parse_stamp(text, self.dates)
    }

    /// `Err` when `t` (written `text`) cannot be the date of a record: before
    /// [`floor`], or after the report is made.
    pub fn plausible(&self, t: Time, what: &str, text: &str) -> Result<(), String> {
        if t < floor() {
            return Err(format!(
                "{what} `{}` is before 1957-10-04 (the first satellite): no operations record is that old; is the year mistyped?",
                text.trim()
            ));
        }
        if let Some(i) = self.issued {
            if t > i.time {
                return Err(format!(
                    "{what} `{}` is after the report is made ({} UTC, {}): a record cannot be dated in the future; is the year mistyped?",
                    text.trim(),
                    show_time(i.time),
                    if i.from_epoch {
                        "SOURCE_DATE_EPOCH"
                    } else {
                        "the newest input's modification time"
                    }
                ));
            }
        }
        Ok(())
    }

    /// The time in a row's cell, parsed and plausible; `None` with the problem recorded
    /// (`what: message` at the cell) when it is not.
    pub fn cell_time(
        &self,
        row: &table::Row,
        col: Option<usize>,
        what: &str,
        problems: &mut Vec<Problem>,
    ) -> Option<Time> {
        self.cell_stamp(row, col, what, problems).map(|s| s.time)
    }

    /// [`ReadCtx::cell_time`] with whether the cell wrote a time of day.
    pub fn cell_stamp(
        &self,
        row: &table::Row,
        col: Option<usize>,
        what: &str,
        problems: &mut Vec<Problem>,
    ) -> Option<Stamp> {
        let text = row.text(col);
        match self.stamp(text) {
            Ok(s) => match self.plausible(s.time, what, text) {
                Ok(()) => Some(s),
                Err(e) => {
                    problems.push(Problem::error(row.loc(col), e));
                    None
                }
            },
            Err(e) => {
                problems.push(Problem::error(row.loc(col), format!("{what}: {e}")));
                None
            }
        }
    }

    /// At or after the end of the month reported.
    pub fn after_month(&self, t: Time) -> bool {
        self.month.is_some_and(|m| t >= m.end())
    }
}

/// How the report writes dates and times (`dates:` in `monthly.yaml`). Times are shown to
/// the minute everywhere (the seconds dropped, never rounded into the next minute), so a
/// column never gains or loses its seconds; the JSON's `*_s` numbers keep them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dates {
    /// `2014-10-27 17:42`, `2014-10-27` (the default: customer reports).
    #[default]
    Iso,
    /// `2014/300 17:42`, `2014/300` (GMT day of year, as operations teams write it).
    DayOfYear,
}

impl Dates {
    /// An instant, to the minute: `2014-10-27 17:42` or `2014/300 17:42`.
    pub fn time(self, t: Time) -> String {
        let d = Time(t.0.div_euclid(60) * 60).civil();
        format!("{} {:02}:{:02}", self.day(d), d.hour(), d.minute())
    }

    /// The day of an instant: `2014-10-27` or `2014/300`.
    pub fn date(self, t: Time) -> String {
        self.day(t.civil())
    }

    /// A register's value: its date alone when the cell held only a date (no made-up
    /// `00:00`), else the time.
    pub fn stamp(self, t: Time, has_clock: bool) -> String {
        if has_clock {
            self.time(t)
        } else {
            self.date(t)
        }
    }

    fn day(self, d: jiff::civil::DateTime) -> String {
        match self {
            Dates::Iso => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
            Dates::DayOfYear => format!("{:04}/{:03}", d.year(), d.day_of_year()),
        }
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
