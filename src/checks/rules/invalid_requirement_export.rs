use crate::checks::{rule, Reporter};

rule! {
    /// ## What it does
    /// Reports a requirements export that cannot be read, or an object in it that is
    /// malformed, at the exact place: a line and column of a CSV, a sheet and cell of a
    /// workbook, an XML element of a ReqIF file (or the member of a ReqIFz archive). It
    /// covers: bytes that are not text in any supported encoding, no header row, no id
    /// column, a row without an id, duplicate ids (both places), XML that is not
    /// well-formed or not ReqIF, a reference to an undefined type, attribute definition or
    /// enumeration value, an archive over the size limit. Every other object of the
    /// export is still read; a link to an object outside the inputs is kept as external,
    /// never an error.
    ///
    /// ## Why it matters
    /// Qualification teams decide whether a requirement is verified from this import: an
    /// object silently dropped would turn into an "uncovered" requirement, or hide one.
    ///
    /// ## Example
    /// ```text
    /// Absolute Number,Object Heading,Object Text
    /// 12,,The ATV shall close its hatch before a Russian EVA.
    /// ,,Orphan text with no number        <- a row without an id
    /// ```
    InvalidRequirementExport, Reporter::Loader
}
