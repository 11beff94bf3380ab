use crate::checks::{rule, Reporter};

rule! {
    /// ## What it does
    /// Reports a problem in a Flight Dynamics window file named by `use windows "…"` (a CSV
    /// of passes, relay coverage or bookings: one occurrence per row, with the window's
    /// name, start and end), at the exact cell: a missing column (the header lists what
    /// was found), a time that is not a time or is impossible (the message names the
    /// column, the help the notations a window file may use), an end not after its start,
    /// a row too short, a quote never closed, an occurrence for a window the plan declares
    /// as `every` or `daily`. Every bad row is reported; the good rows are still used. The
    /// windows the file would have given (the names of its bad rows, or every window when
    /// its header cannot be read) are not reported again as undefined (`R006`, `F003`) by
    /// the activities, procedures and flight rules that need them.
    /// A file whose first line is not a row of columns at all (a key, an environment
    /// file) is one finding saying what it starts with, and nothing of it is quoted.
    /// `opsplan check` exits with code 2, because the check is incomplete. The columns
    /// and the names accepted for them are in the "Window files" section of the language
    /// reference (docs/language.md); they can be set in `opsplan.yaml`
    /// (`windows: { start: "AOS (UTC)", end: "LOS (UTC)" }`).
    ///
    /// ## Why it matters
    /// The windows decide whether a critical activity has relay or ground coverage. A pass
    /// silently dropped from the file would turn a covered activity into a false alarm, or
    /// hide a real gap.
    ///
    /// ## Example
    /// ```text
    /// Window,Station,AOS (UTC),LOS (UTC)
    /// RGS,Shchyolkovo,2014/273 08:55,2014/273 09:07
    /// RGS,Kolpashevo,2014/273 10:29,2014/273 25:43      <- impossible time
    /// ```
    InvalidWindowFile, Reporter::Loader
}
