use crate::checks::{rule, Reporter};

rule! {
    /// ## What it does
    /// Reports text that does not follow the opsplan grammar: a missing brace, an unknown
    /// keyword, a value of the wrong shape, a file that stops in the middle of a block.
    /// The message says what was expected at that exact place ("expected a duration such
    /// as `40m` or `PT40M`, found `40`"). `&` and `|` mixed in one `needs` or
    /// `requires coverage` are said to be so, with the two ways to write the clause (one
    /// operator per clause: `needs ART & TDRS` or `needs ART | TDRS`).
    ///
    /// After an error the parser blanks the offending line and parses the file again, so
    /// every bad statement of a file is reported in one run (at most 20 per file). Other
    /// findings inside a file with syntax errors are not reported until it parses.
    ///
    /// ## Why it matters
    /// A plan that does not parse cannot be checked, and a planner must not transmit it.
    ///
    /// ## Example
    /// ```text
    /// activity A12 "Propellant transfer" {
    ///   at 2014/273 09:00
    ///   lasts 40          // error: a duration needs a unit: `40m`
    /// }
    /// ```
    SyntaxError, Reporter::Parser
}
