use crate::checks::{rule, Reporter};

rule! {
    /// ## What it does
    /// Reports a `use procedures "…"`, `use windows "…"` or `use rules "…"` whose path (relative to the
    /// plan file) does not exist or cannot be read, or that leaves the directory tree
    /// of the plan's project through a symbolic link.
    ///
    /// ## Why it matters
    /// A plan checked without its procedure library would report every procedure as
    /// undefined, or worse, be checked against the wrong library.
    ///
    /// ## Example
    /// ```text
    /// plan ATV5-W40 { use procedures "procedure/" }   // the folder is `procedures/`
    /// ```
    UnresolvedUsePath, Reporter::Loader
}
