use crate::checks::{rule, Reporter};

rule! {
    /// ## What it does
    /// Reports a source file that is not valid UTF-8 text (the position of the first bad
    /// byte is given), or that is larger than opsplan accepts (512 MiB); a `use` whose
    /// path leads outside the project (the folder of `opsplan.yaml`, or the folders
    /// given, or a path `allow-paths:` names; links resolved) or to a special file
    /// (`/proc`, `/sys`, `/dev`), at the path, nothing read; a file found in a folder
    /// searched that links outside the project; and a file read as source that is not
    /// opsplan text at all (syntax errors, and it does not start with `plan`,
    /// `procedure` or `scenario` and a name), saying what it starts with and its size.
    ///
    /// ## Why it matters
    /// A plan saved in another encoding, or a binary file given by mistake, cannot be read
    /// reliably; opsplan refuses it with its location instead of guessing. A plan must
    /// not make opsplan read, and print, the files or the environment of whoever checks
    /// it (`use procedures "/proc/self/environ"`, `"../../.env"`): an input that is not
    /// opsplan text is never quoted, in any output (docs/limits.md, "Excerpts and
    /// paths").
    ///
    /// ## Example
    /// ```text
    /// a .plan saved as Windows-1252 with `é` in a title: byte 0xE9 is not UTF-8
    /// use procedures "/etc/passwd"    <- outside the project: not read
    /// ```
    UnreadableSource, Reporter::Loader
}
