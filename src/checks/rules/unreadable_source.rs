use crate::checks::{rule, Reporter};

rule! {
    /// ## What it does
    /// Reports a source file that is not valid UTF-8 text (the position of the first bad
    /// byte is given), or that is larger than opsplan accepts (512 MiB).
    ///
    /// ## Why it matters
    /// A plan saved in another encoding, or a binary file given by mistake, cannot be read
    /// reliably; opsplan refuses it with its location instead of guessing.
    ///
    /// ## Example
    /// ```text
    /// a .plan saved as Windows-1252 with `é` in a title: byte 0xE9 is not UTF-8
    /// ```
    UnreadableSource, Reporter::Loader
}
