//! UTC instants and durations with second resolution, in the two notations operations
//! teams use: GMT day-of-year (`2014/273 09:00`) and ISO 8601 (`2014-09-30T09:00:00Z`).
//!
//! Civil-calendar arithmetic is delegated to `jiff`; every conversion is checked, so an
//! impossible date (`2014/367`), an impossible clock (`25:00`) or an overflowing sum is
//! an error value, never a panic.

use std::fmt;

/// Seconds since 1970-01-01T00:00:00Z. Ordered, copyable, cheap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(pub i64);

/// A signed length of time in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Dur(pub i64);

/// How a plan writes its times; reports print times the way the plan wrote them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum Notation {
    /// `2014/273 09:00`
    #[default]
    DayOfYear,
    /// `2014-09-30T09:00:00Z`
    Iso,
}

/// Why a literal is not a valid time or duration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    #[error("day {day} does not exist in {year} (it has {days_in_year} days)")]
    DayOfYear {
        year: i16,
        day: u32,
        days_in_year: u32,
    },
    #[error("`{0}` is not a valid time of day (hours 00-23, minutes and seconds 00-59)")]
    Clock(String),
    #[error("`{0}` is not a valid calendar date")]
    Date(String),
    #[error("year {0} is out of range (1900-9999)")]
    Year(String),
    #[error("duration `{0}` is too large")]
    DurationOverflow(String),
    #[error("`{0}` is not a valid duration")]
    Duration(String),
    #[error("the resulting time is out of range")]
    Overflow,
    /// A field written with too few digits (`8:44`, `2025/44`); `fixed` is the whole
    /// literal written as the language wants it.
    #[error("the {field} needs {digits} digits")]
    Digits {
        field: &'static str,
        digits: &'static str,
        fixed: String,
    },
    /// A time with a UTC offset other than zero; `utc` is the same instant in UTC.
    #[error("only UTC times are accepted (`Z` or `+00:00`), not the offset `{offset}`")]
    Offset { offset: String, utc: String },
}

impl TimeError {
    /// What to write instead, when it can be said: the literal with its fields padded
    /// (`2025/044 08:44`), or the same instant in UTC (`2025-02-13T07:44Z`).
    pub fn fix(&self) -> Option<&str> {
        match self {
            TimeError::Digits { fixed, .. } => Some(fixed),
            TimeError::Offset { utc, .. } => Some(utc),
            _ => None,
        }
    }
}

/// How many digits the fields of a time may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Digits {
    /// As the language writes them: `hh:mm[:ss]`, two-digit months and days.
    Exact,
    /// Also one-digit hours, minutes, seconds, months and days (`9:00`, `2014-9-30`), as
    /// spreadsheets write them in the files opsplan reads. The day of year still takes
    /// three digits.
    Loose,
}

/// A field of a time of at most `width` digits: its value, and whether it has the digits
/// `digits` wants (`width` of them, or one or two when loose). `None` when it is not
/// digits or has too many.
fn field(text: &str, width: usize, digits: Digits) -> Option<(i64, bool)> {
    if text.is_empty() || text.len() > width || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let exact = text.len() == width || (digits == Digits::Loose && width == 2);
    text.parse().ok().map(|v| (v, exact))
}

/// Latest supported instant: 9999-12-31T23:59:59Z.
const MAX_SECONDS: i64 = 253_402_300_799;
/// Earliest supported instant: 1900-01-01T00:00:00Z.
const MIN_SECONDS: i64 = -2_208_988_800;

impl Time {
    /// The earliest supported instant, 1900-01-01T00:00:00Z.
    pub const MIN: Time = Time(MIN_SECONDS);
    /// The latest supported instant, 9999-12-31T23:59:59Z.
    pub const MAX: Time = Time(MAX_SECONDS);

    fn checked(seconds: i64) -> Result<Time, TimeError> {
        if (MIN_SECONDS..=MAX_SECONDS).contains(&seconds) {
            Ok(Time(seconds))
        } else {
            Err(TimeError::Overflow)
        }
    }

    pub fn checked_add(self, d: Dur) -> Result<Time, TimeError> {
        self.0
            .checked_add(d.0)
            .ok_or(TimeError::Overflow)
            .and_then(Time::checked)
    }

    pub fn since(self, earlier: Time) -> Dur {
        Dur(self.0.saturating_sub(earlier.0))
    }

    /// Parses `2014/273 09:00[:ss]` (any blanks between date and clock), the day of
    /// year in three digits and the clock in two-digit fields.
    pub fn parse_doy(text: &str) -> Result<Time, TimeError> {
        Time::parse_doy_with(text, Digits::Exact)
    }

    /// [`Time::parse_doy`], with the clock's fields read as `digits` says.
    pub fn parse_doy_with(text: &str, digits: Digits) -> Result<Time, TimeError> {
        let (date, clock) = text
            .split_once([' ', '\t'])
            .ok_or_else(|| TimeError::Date(text.to_string()))?;
        let clock = clock.trim();
        let (year, day_text) = date
            .split_once('/')
            .ok_or_else(|| TimeError::Date(text.to_string()))?;
        let year_value = parse_year(year)?;
        let (day, day_exact) =
            field(day_text, 3, Digits::Exact).ok_or_else(|| TimeError::Date(text.to_string()))?;
        let day = day as u32;
        let days_in_year = days_in_year(year_value);
        if day == 0 || day > days_in_year {
            return Err(TimeError::DayOfYear {
                year: year_value,
                day,
                days_in_year,
            });
        }
        let (secs, clock_fixed) = clock_fields(clock, digits)?;
        let fixed = || format!("{year}/{day:03} {clock_fixed}");
        if !day_exact {
            return Err(TimeError::Digits {
                field: "day of year",
                digits: "three",
                fixed: fixed(),
            });
        }
        if clock_fixed != clock {
            return Err(clock_digits(clock, fixed()));
        }
        let midnight = days_from_civil(i64::from(year_value), 1, 1) + i64::from(day - 1);
        Time::checked(midnight * 86_400 + secs)
    }

    /// Parses a day without a time of day, `2015/120` (three-digit day of year) or
    /// `2015-04-30` (two-digit month and day): its midnight, UTC.
    pub fn parse_day(text: &str) -> Result<Time, TimeError> {
        let (parsed, clock) = if text.contains('/') {
            (Time::parse_doy(&format!("{text} 00:00")), " 00:00")
        } else {
            (Time::parse_iso(&format!("{text}T00:00Z")), "T00:00Z")
        };
        parsed.map_err(|e| match e {
            TimeError::Digits {
                field,
                digits,
                fixed,
            } => TimeError::Digits {
                field,
                digits,
                fixed: fixed.strip_suffix(clock).unwrap_or(&fixed).to_string(),
            },
            TimeError::Date(_) => TimeError::Date(text.to_string()),
            other => other,
        })
    }

    /// Parses `2014-09-30T09:00[:00][Z|+00:00]`: two-digit fields, UTC only. Another
    /// offset (`+01:00`, `-0500`, `+01`) is an error that gives the same instant in UTC.
    pub fn parse_iso(text: &str) -> Result<Time, TimeError> {
        Time::parse_iso_with(text, Digits::Exact)
    }

    /// [`Time::parse_iso`], with the fields read as `digits` says.
    pub fn parse_iso_with(text: &str, digits: Digits) -> Result<Time, TimeError> {
        let (date, rest) = text
            .split_once(['T', 't'])
            .ok_or_else(|| TimeError::Date(text.to_string()))?;
        let (clock, offset) = split_offset(rest);
        let mut parts = date.splitn(3, '-');
        let (y, m, d) = match (parts.next(), parts.next(), parts.next()) {
            (Some(y), Some(m), Some(d)) => (y, m, d),
            _ => return Err(TimeError::Date(text.to_string())),
        };
        let year = parse_year(y)?;
        let bad_date = || TimeError::Date(date.to_string());
        let (month, month_exact) = field(m, 2, digits).ok_or_else(bad_date)?;
        let (day, day_exact) = field(d, 2, digits).ok_or_else(bad_date)?;
        let civil = jiff::civil::Date::new(year, month as i8, day as i8).map_err(|_| bad_date())?;
        let (secs, clock_fixed) = clock_fields(clock, digits)?;
        let local = days_since_epoch(civil) * 86_400 + secs;
        let date_fixed = format!("{y}-{month:02}-{day:02}");
        let (zone, offset_secs) = match offset {
            Offset::None => ("", 0),
            Offset::Utc(z) => (z, 0),
            Offset::Hours { text, seconds } => (text, seconds),
            Offset::Invalid(o) => return Err(TimeError::Clock(format!("{clock}{o}"))),
        };
        if offset_secs != 0 {
            let utc = Time::checked(local - offset_secs)?;
            return Err(TimeError::Offset {
                offset: zone.to_string(),
                utc: utc.iso_text(clock.matches(':').count() == 2),
            });
        }
        let fixed = || format!("{date_fixed}T{clock_fixed}{zone}");
        if !month_exact {
            return Err(TimeError::Digits {
                field: "month",
                digits: "two",
                fixed: fixed(),
            });
        }
        if !day_exact {
            return Err(TimeError::Digits {
                field: "day of the month",
                digits: "two",
                fixed: fixed(),
            });
        }
        if clock_fixed != clock {
            return Err(clock_digits(clock, fixed()));
        }
        Time::checked(local)
    }

    /// `2025-02-13T07:44Z`, with `:ss` when `seconds` (or when they are not zero).
    fn iso_text(self, seconds: bool) -> String {
        let dt = self.civil();
        let mut out = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}",
            dt.year(),
            dt.month(),
            dt.day(),
            dt.hour(),
            dt.minute()
        );
        if seconds || dt.second() != 0 {
            out.push_str(&format!(":{:02}", dt.second()));
        }
        out.push('Z');
        out
    }

    /// Midnight (00:00) of the UTC day holding this instant.
    pub fn day_start(self) -> Time {
        Time(self.0.div_euclid(86_400) * 86_400)
    }

    pub fn civil(self) -> jiff::civil::DateTime {
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        let date = jiff::civil::date(1970, 1, 1)
            .checked_add(jiff::Span::new().days(days))
            .unwrap_or(jiff::civil::date(1970, 1, 1));
        date.at(
            (secs / 3600) as i8,
            ((secs / 60) % 60) as i8,
            (secs % 60) as i8,
            0,
        )
    }

    /// Formats in the given notation; seconds are shown only when not zero.
    pub fn format(self, notation: Notation) -> String {
        let dt = self.civil();
        let secs = if dt.second() != 0 {
            format!(":{:02}", dt.second())
        } else {
            String::new()
        };
        match notation {
            Notation::DayOfYear => format!(
                "{:04}/{:03} {:02}:{:02}{}",
                dt.year(),
                dt.day_of_year(),
                dt.hour(),
                dt.minute(),
                secs
            ),
            Notation::Iso => format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                dt.year(),
                dt.month(),
                dt.day(),
                dt.hour(),
                dt.minute(),
                dt.second()
            ),
        }
    }
}

fn parse_year(text: &str) -> Result<i16, TimeError> {
    match text.parse::<i16>() {
        Ok(y) if (1900..=9999).contains(&y) => Ok(y),
        _ => Err(TimeError::Year(text.to_string())),
    }
}

fn days_since_epoch(date: jiff::civil::Date) -> i64 {
    days_from_civil(
        i64::from(date.year()),
        i64::from(date.month()),
        i64::from(date.day()),
    )
}

/// Days from 1970-01-01 to a valid proleptic Gregorian date, by arithmetic (H. Hinnant's
/// `days_from_civil`): every time literal of a plan or roster goes through it, and
/// jiff's span arithmetic cost a tenth of the lowering of a 100,000-shift roster.
/// Checked against jiff for every day from 1900 to 2100 in the tests.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// 366 in a leap year of the Gregorian calendar, 365 otherwise.
fn days_in_year(year: i16) -> u32 {
    let y = i32::from(year);
    if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
        366
    } else {
        365
    }
}

/// The zone written after an ISO 8601 clock.
enum Offset<'a> {
    None,
    /// `Z`, or a zero offset (`+00:00`, `-00:00`, `+0000`, `+00`).
    Utc(&'a str),
    /// `+01:00`, `-0500`, `+01`: the offset in seconds east of UTC.
    Hours {
        text: &'a str,
        seconds: i64,
    },
    /// Something after the clock that is not a zone.
    Invalid(&'a str),
}

/// Splits `09:00:00+01:00` into the clock and its zone.
fn split_offset(rest: &str) -> (&str, Offset<'_>) {
    if let Some(clock) = rest.strip_suffix(['Z', 'z']) {
        return (clock, Offset::Utc(&rest[clock.len()..]));
    }
    let Some(at) = rest.find(['+', '-']) else {
        return (rest, Offset::None);
    };
    let (clock, zone) = rest.split_at(at);
    // `±hh`, `±hhmm` or `±hh:mm`.
    let len = zone.len();
    let well_formed = matches!(len, 3 | 5 | 6)
        && zone
            .bytes()
            .enumerate()
            .skip(1)
            .all(|(i, b)| b.is_ascii_digit() || (b == b':' && len == 6 && i == 3))
        && (len != 6 || zone.as_bytes()[3] == b':');
    let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
    if !well_formed {
        return (clock, Offset::Invalid(zone));
    }
    let hours: i64 = digits[..2].parse().unwrap_or(99);
    let minutes: i64 = match &digits[2..] {
        "" => 0,
        m => m.parse().unwrap_or(99),
    };
    if hours > 23 || minutes > 59 {
        return (clock, Offset::Invalid(zone));
    }
    let seconds = (hours * 3600 + minutes * 60) * if zone.starts_with('-') { -1 } else { 1 };
    if seconds == 0 {
        (clock, Offset::Utc(zone))
    } else {
        (
            clock,
            Offset::Hours {
                text: zone,
                seconds,
            },
        )
    }
}

/// The first clock field with too few digits, for [`TimeError::Digits`].
fn clock_digits(clock: &str, fixed: String) -> TimeError {
    let names = ["hour", "minute", "second"];
    let field = clock
        .split(':')
        .zip(names)
        .find(|(f, _)| f.len() < 2)
        .map_or("hour", |(_, n)| n);
    TimeError::Digits {
        field,
        digits: "two",
        fixed,
    }
}

/// Reads `hh:mm[:ss]`: seconds after midnight, and the clock written with two-digit
/// fields (`text` itself when it was already: no allocation for a well-written time).
fn clock_fields(text: &str, digits: Digits) -> Result<(i64, std::borrow::Cow<'_, str>), TimeError> {
    let bad = || TimeError::Clock(text.to_string());
    let mut values = [0i64; 3];
    let mut n = 0;
    let mut exact = true;
    for part in text.split(':') {
        if n == 3 {
            return Err(bad());
        }
        let (v, e) = field(part, 2, Digits::Exact).ok_or_else(bad)?;
        values[n] = v;
        exact &= e;
        n += 1;
    }
    let [h, m, s] = values;
    if n < 2 || h > 23 || m > 59 || s > 59 {
        return Err(bad());
    }
    let fixed = if exact || digits == Digits::Loose {
        std::borrow::Cow::Borrowed(text)
    } else if n == 3 {
        std::borrow::Cow::Owned(format!("{h:02}:{m:02}:{s:02}"))
    } else {
        std::borrow::Cow::Owned(format!("{h:02}:{m:02}"))
    };
    Ok((h * 3600 + m * 60 + s, fixed))
}

/// Parses `hh:mm[:ss]` (two-digit fields) into seconds after midnight.
pub fn parse_clock(text: &str) -> Result<i64, TimeError> {
    let (secs, fixed) = clock_fields(text, Digits::Exact)?;
    if fixed != text {
        return Err(clock_digits(text, fixed.into_owned()));
    }
    Ok(secs)
}

impl Dur {
    pub const ZERO: Dur = Dur(0);

    pub fn minutes(m: i64) -> Dur {
        Dur(m * 60)
    }

    /// Parses `40m`, `1h30m`, `2d`, `90s`, or ISO 8601 `PT40M`, `P1DT2H`, `P2W`.
    pub fn parse(text: &str) -> Result<Dur, TimeError> {
        if text.starts_with('P') {
            return Dur::parse_iso(text);
        }
        let mut total: i64 = 0;
        let mut digits = String::new();
        for c in text.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
                continue;
            }
            let unit = match c {
                'd' => 86_400,
                'h' => 3_600,
                'm' => 60,
                's' => 1,
                _ => return Err(TimeError::Duration(text.to_string())),
            };
            if digits.is_empty() {
                return Err(TimeError::Duration(text.to_string()));
            }
            total = digits
                .parse::<i64>()
                .ok()
                .and_then(|n| n.checked_mul(unit))
                .and_then(|n| n.checked_add(total))
                .ok_or_else(|| TimeError::DurationOverflow(text.to_string()))?;
            digits.clear();
        }
        if !digits.is_empty() {
            return Err(TimeError::Duration(text.to_string()));
        }
        Dur::checked(total, text)
    }

    fn parse_iso(text: &str) -> Result<Dur, TimeError> {
        let span: jiff::Span = text.parse().map_err(|e: jiff::Error| {
            if e.to_string().contains("overflow") || e.to_string().contains("range") {
                TimeError::DurationOverflow(text.to_string())
            } else {
                TimeError::Duration(text.to_string())
            }
        })?;
        let secs = span
            .total((
                jiff::Unit::Second,
                jiff::SpanRelativeTo::days_are_24_hours(),
            ))
            .map_err(|_| TimeError::DurationOverflow(text.to_string()))?;
        Dur::checked(secs.round() as i64, text)
    }

    fn checked(seconds: i64, text: &str) -> Result<Dur, TimeError> {
        // No plan spans more than the supported calendar.
        if seconds.abs() > MAX_SECONDS - MIN_SECONDS {
            Err(TimeError::DurationOverflow(text.to_string()))
        } else {
            Ok(Dur(seconds))
        }
    }

    pub fn seconds(self) -> i64 {
        self.0
    }

    pub fn negated(self) -> Dur {
        Dur(-self.0)
    }
}

impl fmt::Display for Dur {
    /// Compact form: `1h30m`, `2d`, `-10m`, `0s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("0s");
        }
        if self.0 < 0 {
            f.write_str("-")?;
        }
        let mut rest = self.0.unsigned_abs();
        for (unit, len) in [("d", 86_400u64), ("h", 3_600), ("m", 60), ("s", 1)] {
            if rest >= len {
                write!(f, "{}{}", rest / len, unit)?;
                rest %= len;
            }
        }
        Ok(())
    }
}

/// A half-open interval `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Interval {
    pub start: Time,
    pub end: Time,
}

impl Interval {
    pub fn new(start: Time, end: Time) -> Self {
        Interval { start, end }
    }

    pub fn duration(&self) -> Dur {
        self.end.since(self.start)
    }

    /// True when `other` lies wholly inside `self` (bounds inclusive).
    pub fn contains(&self, other: &Interval) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// True when the two share time; touching ends do not overlap.
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn format(&self, notation: Notation) -> String {
        format!(
            "{} .. {}",
            self.start.format(notation),
            self.end.format(notation)
        )
    }
}

/// Sorts and merges overlapping or touching intervals: the union as a sorted list of
/// disjoint intervals.
pub fn merge_intervals(mut v: Vec<Interval>) -> Vec<Interval> {
    v.sort_unstable();
    let mut out: Vec<Interval> = Vec::with_capacity(v.len());
    for i in v {
        match out.last_mut() {
            Some(last) if i.start <= last.end => last.end = last.end.max(i.end),
            _ => out.push(i),
        }
    }
    out
}

/// The first part of `need` that `cover` (sorted, disjoint, as from [`merge_intervals`])
/// does not cover, by binary search. Covering is inclusive of the ends.
pub fn first_gap(cover: &[Interval], need: Interval) -> Option<Interval> {
    let k = cover.partition_point(|c| c.end <= need.start);
    match cover.get(k) {
        Some(c) if c.start <= need.start => {
            if c.end >= need.end {
                return None;
            }
            let stop = cover.get(k + 1).map_or(need.end, |n| n.start.min(need.end));
            Some(Interval::new(c.end, stop))
        }
        Some(c) => Some(Interval::new(need.start, c.start.min(need.end))),
        None => Some(need),
    }
}

/// For each instant of `at` (sorted ascending), the items whose interval holds it
/// (`start ≤ t < end`), each list sorted. One sweep over the items sorted by start and by
/// end, with the running set kept in a vector with positions: O(n log n + output).
pub fn running_at<T: Copy + Ord>(items: &[(Interval, T)], at: &[Time]) -> Vec<Vec<T>> {
    let mut by_start: Vec<usize> = (0..items.len()).collect();
    by_start.sort_unstable_by_key(|&k| (items[k].0.start, k));
    let mut by_end: Vec<usize> = (0..items.len()).collect();
    by_end.sort_unstable_by_key(|&k| (items[k].0.end, k));
    let mut running: Vec<usize> = Vec::new();
    let mut pos: Vec<usize> = vec![usize::MAX; items.len()];
    let (mut s, mut e) = (0, 0);
    let mut out = Vec::with_capacity(at.len());
    for &t in at {
        while s < by_start.len() && items[by_start[s]].0.start <= t {
            let k = by_start[s];
            pos[k] = running.len();
            running.push(k);
            s += 1;
        }
        while e < by_end.len() && items[by_end[e]].0.end <= t {
            let k = by_end[e];
            let p = pos[k];
            if p != usize::MAX {
                let last = *running.last().expect("running holds k");
                running.swap_remove(p);
                if last != k {
                    pos[last] = p;
                }
                pos[k] = usize::MAX;
            }
            e += 1;
        }
        let mut now: Vec<T> = running.iter().map(|&k| items[k].1).collect();
        now.sort_unstable();
        out.push(now);
    }
    out
}

/// The first part of `iv` that `set` (sorted, disjoint) shares; touching shares nothing.
pub fn first_overlap(set: &[Interval], iv: Interval) -> Option<Interval> {
    let k = set.partition_point(|u| u.end <= iv.start);
    let u = set.get(k)?;
    (u.start < iv.end).then(|| Interval::new(u.start.max(iv.start), u.end.min(iv.end)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_arithmetic_agrees_with_jiff() {
        let epoch = jiff::civil::date(1970, 1, 1);
        let mut d = jiff::civil::date(1900, 1, 1);
        while d.year() <= 2100 {
            let want = d
                .since((jiff::Unit::Day, epoch))
                .map(|s| i64::from(s.get_days()))
                .unwrap();
            assert_eq!(days_since_epoch(d), want, "{d}");
            if d.day_of_year() == 1 {
                assert_eq!(days_in_year(d.year()), d.days_in_year() as u32, "{d}");
            }
            d = d.tomorrow().unwrap();
        }
        assert_eq!(days_from_civil(9999, 12, 31), 2_932_896);
    }

    #[test]
    fn days_parse_to_their_midnight() {
        let doy = Time::parse_doy("2015/120 00:00").unwrap();
        assert_eq!(Time::parse_day("2015/120"), Ok(doy));
        assert_eq!(Time::parse_day("2015-04-30"), Ok(doy));
        assert!(matches!(
            Time::parse_day("2015/366"),
            Err(TimeError::DayOfYear { day: 366, .. })
        ));
        match Time::parse_day("2015/44") {
            Err(TimeError::Digits { fixed, .. }) => assert_eq!(fixed, "2015/044"),
            other => panic!("{other:?}"),
        }
        match Time::parse_day("2015-4-30") {
            Err(TimeError::Digits { fixed, .. }) => assert_eq!(fixed, "2015-04-30"),
            other => panic!("{other:?}"),
        }
        assert!(Time::parse_day("2015-02-30").is_err());
    }

    #[test]
    fn interval_sets_are_half_open() {
        let iv = |a, b| Interval::new(Time(a), Time(b));
        let u = merge_intervals(vec![iv(20, 30), iv(10, 20), iv(40, 50)]);
        assert_eq!(u, vec![iv(10, 30), iv(40, 50)]);
        assert_eq!(first_gap(&u, iv(10, 30)), None);
        assert_eq!(first_gap(&u, iv(12, 41)), Some(iv(30, 40)));
        assert_eq!(first_gap(&u, iv(5, 15)), Some(iv(5, 10)));
        assert_eq!(first_gap(&u, iv(60, 70)), Some(iv(60, 70)));
        assert_eq!(
            first_overlap(&u, iv(30, 40)),
            None,
            "touching is not overlapping"
        );
        assert_eq!(first_overlap(&u, iv(29, 41)), Some(iv(29, 30)));
    }

    #[test]
    fn doy_and_iso_agree() {
        let a = Time::parse_doy("2014/273 09:00").unwrap();
        let b = Time::parse_iso("2014-09-30T09:00:00Z").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.format(Notation::DayOfYear), "2014/273 09:00");
        assert_eq!(a.format(Notation::Iso), "2014-09-30T09:00:00Z");
        assert_eq!(
            Time::parse_doy("2014/273 09:00:30")
                .unwrap()
                .format(Notation::DayOfYear),
            "2014/273 09:00:30"
        );
    }

    #[test]
    fn impossible_times_are_errors() {
        assert!(matches!(
            Time::parse_doy("2014/367 10:00"),
            Err(TimeError::DayOfYear { day: 367, .. })
        ));
        assert!(Time::parse_doy("2016/366 10:00").is_ok());
        assert!(matches!(
            Time::parse_doy("2014/273 25:00"),
            Err(TimeError::Clock(_))
        ));
        assert!(Time::parse_doy("2014/000 10:00").is_err());
        assert!(Time::parse_iso("2014-02-30T00:00Z").is_err());
        assert!(Time::parse_iso("0000-01-01T00:00Z").is_err());
    }

    #[test]
    fn fields_take_their_digits_and_the_fix_says_how() {
        let fix = |r: Result<Time, TimeError>| match r {
            Err(e @ TimeError::Digits { .. }) => format!("{e}: {}", e.fix().unwrap()),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            fix(Time::parse_doy("2025/044 8:44")),
            "the hour needs two digits: 2025/044 08:44"
        );
        assert_eq!(
            fix(Time::parse_doy("2025/044 08:4")),
            "the minute needs two digits: 2025/044 08:04"
        );
        assert_eq!(
            fix(Time::parse_doy("2025/044 08:44:5")),
            "the second needs two digits: 2025/044 08:44:05"
        );
        assert_eq!(
            fix(Time::parse_doy("2025/44 8:00")),
            "the day of year needs three digits: 2025/044 08:00"
        );
        assert_eq!(
            fix(Time::parse_iso("2025-2-13T08:44Z")),
            "the month needs two digits: 2025-02-13T08:44Z"
        );
        assert_eq!(
            fix(Time::parse_iso("2025-02-13T8:44")),
            "the hour needs two digits: 2025-02-13T08:44"
        );
        assert_eq!(
            fix(parse_clock("9:30").map(Time)),
            "the hour needs two digits: 09:30"
        );
        // Files written by spreadsheets may drop the leading zero, not the day of year's.
        assert_eq!(
            Time::parse_doy_with("2025/044 8:44", Digits::Loose),
            Time::parse_doy("2025/044 08:44")
        );
        assert!(Time::parse_doy_with("2025/44 08:44", Digits::Loose).is_err());
        assert_eq!(
            Time::parse_iso_with("2025-2-3T8:44", Digits::Loose),
            Time::parse_iso("2025-02-03T08:44")
        );
        // A value out of range is said before the digits.
        assert!(matches!(
            Time::parse_doy("2025/044 8:61"),
            Err(TimeError::Clock(_))
        ));
        assert!(matches!(
            Time::parse_doy("2025/400 08:00"),
            Err(TimeError::DayOfYear { .. })
        ));
        assert!(Time::parse_doy("2025/044 +8:00").is_err());
    }

    #[test]
    fn only_utc_is_accepted_and_the_error_gives_the_utc_time() {
        let utc = Time::parse_iso("2025-02-13T07:44Z").unwrap();
        for zero in ["Z", "z", "+00:00", "-00:00", "+0000", "+00", ""] {
            assert_eq!(
                Time::parse_iso(&format!("2025-02-13T07:44{zero}")),
                Ok(utc),
                "{zero}"
            );
        }
        let e = Time::parse_iso("2025-02-13T08:44+01:00").unwrap_err();
        assert_eq!(
            e.to_string(),
            "only UTC times are accepted (`Z` or `+00:00`), not the offset `+01:00`"
        );
        assert_eq!(e.fix(), Some("2025-02-13T07:44Z"));
        let e = Time::parse_iso("2025-02-13T22:30:15-0530").unwrap_err();
        assert_eq!(e.fix(), Some("2025-02-14T04:00:15Z"));
        assert_eq!(
            Time::parse_iso("2025-02-13T08:44+05").unwrap_err().fix(),
            Some("2025-02-13T03:44Z")
        );
        assert!(matches!(
            Time::parse_iso("2025-02-13T08:44+1"),
            Err(TimeError::Clock(_))
        ));
        assert!(Time::parse_iso("2025-02-13T08:44+25:00").is_err());
        for odd in ["+00::0", "+0:000", "+000", "+00:0", "-", "+é"] {
            assert!(
                Time::parse_iso(&format!("2025-02-13T08:44{odd}")).is_err(),
                "{odd}"
            );
        }
    }

    #[test]
    fn durations() {
        assert_eq!(Dur::parse("40m").unwrap(), Dur(2400));
        assert_eq!(Dur::parse("1h30m").unwrap(), Dur(5400));
        assert_eq!(Dur::parse("2d").unwrap(), Dur(172_800));
        assert_eq!(Dur::parse("90s").unwrap(), Dur(90));
        assert_eq!(Dur::parse("PT40M").unwrap(), Dur(2400));
        assert_eq!(Dur::parse("P1DT2H").unwrap(), Dur(93_600));
        assert!(matches!(
            Dur::parse("99999999999999999999d"),
            Err(TimeError::DurationOverflow(_))
        ));
        assert_eq!(Dur(5400).to_string(), "1h30m");
        assert_eq!(Dur(-600).to_string(), "-10m");
    }

    #[test]
    fn adding_past_the_calendar_is_an_error() {
        let t = Time::parse_doy("9999/365 23:00").unwrap();
        assert_eq!(
            t.checked_add(Dur::parse("2h").unwrap()),
            Err(TimeError::Overflow)
        );
    }
}
