use crate::checks::{rule, Reporter};

rule! {
    /// ## What it does
    /// Reports a clause that may appear only once but appears twice: `at`, `lasts`,
    /// `until`, `by`, `kind`, `procedure`, `needs` in an activity; `mission`, `issue`,
    /// `horizon` in a plan; `version`, `family`, `contingency`, `duration` in a
    /// procedure; and an activity whose end is given both by `lasts` and by `until`.
    /// The first occurrence is used.
    ///
    /// ## Why it matters
    /// Two start times or two durations are two plans in one: whoever reads the file may
    /// see the other one.
    ///
    /// ## Example
    /// ```text
    /// activity A29 { at 2014/275 14:05 lasts 20m at 2014/275 14:35 }
    /// ```
    RepeatedClause, Reporter::Parser
}
