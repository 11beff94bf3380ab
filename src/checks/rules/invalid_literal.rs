use crate::checks::{rule, Reporter};

rule! {
    /// ## What it does
    /// Reports times, dates, durations and numbers that are well-formed but impossible:
    /// day 367 of a year, `25:00`, 30 February, a year outside 1900–9999, a duration or a
    /// number too large to represent.
    ///
    /// ## Why it matters
    /// A typo such as `2014/373` for `2014/273` would otherwise move an activity by
    ///100 days or be read as some other date. opsplan never guesses a time.
    ///
    /// ## Example
    /// ```text
    /// activity A12 { at 2014/367 25:00 lasts 40m }   // day 367 and hour 25 do not exist
    /// ```
    InvalidLiteral, Reporter::Parser
}
