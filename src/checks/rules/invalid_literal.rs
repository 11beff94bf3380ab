use crate::checks::{rule, Reporter};

rule! {
    /// ## What it does
    /// Reports times, dates, durations and numbers that are impossible, or written in a
    /// form the language does not take, each with what to write instead when it can be
    /// said:
    /// - impossible: day 367 of a year, `25:00`, 30 February, a year outside 1900–9999, a
    ///   duration or a number too large to represent;
    /// - a field with too few digits: `2025/044 8:44` ("the hour needs two digits", help
    ///   `2025/044 08:44`), minutes and seconds alike, `2025/44` (the day of year takes
    ///   three), `2025-2-13` (months and days take two);
    /// - a UTC offset other than zero: `2025-02-13T08:44+01:00` ("only UTC times are
    ///   accepted", help: in UTC this is `2025-02-13T07:44Z`);
    /// - a hexadecimal number in a procedure value: `check STATUS == 0x10` (help: write the
    ///   number in decimal, `16`).
    ///
    /// The rest of the file is still checked; an activity whose time is such a literal has
    /// no time (its flight rules give one `F002`).
    ///
    /// ## Why it matters
    /// A typo such as `2014/373` for `2014/273` would otherwise move an activity by
    ///100 days or be read as some other date. opsplan never guesses a time.
    ///
    /// ## Example
    /// ```text
    /// activity A12 { at 2014/367 25:00 lasts 40m }   // day 367 and hour 25 do not exist
    /// activity A13 { at 2014/273 9:00 lasts 40m }    // write `2014/273 09:00`
    /// ```
    InvalidLiteral, Reporter::Parser
}
