use crate::checks::{rule, Reporter};

rule! {
    /// ## What it does
    /// Reports a `use procedures "…"`, `use windows "…"` or `use rules "…"` whose path
    /// (relative to the plan file) does not exist, cannot be read, or is neither a
    /// regular file nor a folder (a device, a pipe: never opened); a `use procedures`
    /// file that holds a plan (`use` is not an include, so plans cannot use each other in
    /// a cycle); and a folder with more than 200,000 entries below it.
    ///
    /// ## Why it matters
    /// A plan checked without its procedure library would report every procedure as
    /// undefined, or worse, be checked against the wrong library. A path such as
    /// `/dev/zero` or `/` must not make the check read forever.
    ///
    /// ## Example
    /// ```text
    /// plan ATV5-W40 { use procedures "procedure/" }   // the folder is `procedures/`
    /// ```
    UnresolvedUsePath, Reporter::Loader
}
