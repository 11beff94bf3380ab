//! Requirements exported from DOORS and its peers: one model for every format.
//!
//! Importers (`tabular` for CSV/XLSX/XLS/ODS, `reqif` for ReqIF/ReqIFz) turn an export's
//! bytes into [`ReqObject`]s; problems are diagnostics (`Q001`), never panics, and a bad
//! object never stops the others. No I/O here: callers pass bytes and a file id.
//!
//! Layer: beside `syntax` (`source, time → diag → syntax, reqs → …`).

pub mod reqif;
pub mod tabular;
pub mod xhtml;

use crate::source::FileId;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Everything read from one export file.
#[derive(Debug, Clone, Default)]
pub struct Export {
    pub file: Option<FileId>,
    /// Objects in document (outline) order.
    pub objects: Vec<ReqObject>,
    /// Links whose target is not in the export: counted and kept, never fatal.
    pub dangling_links: usize,
}

/// A requirement or a heading, as the user cites it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReqObject {
    /// The id users cite: `ATV-OPS-REQ-006`, a DOORS Classic `PREFIX-123` rebuilt from the
    /// module prefix and the absolute number, a DOORS Next artifact number.
    pub id: String,
    /// True for headings (chapter titles), which are listed but never need coverage.
    pub is_heading: bool,
    /// The heading text for headings; the short title for requirements when there is one.
    pub heading: Option<String>,
    /// Plain text (XHTML converted: lists, tables, line breaks, entities).
    pub text: String,
    /// Outline level, 1 for a top-level object, when the export gives it.
    pub level: Option<u32>,
    /// The headings above the object, outermost first.
    pub path: Vec<String>,
    /// The module (DOORS module, specification, sheet) the object belongs to.
    pub module: Option<String>,
    /// Every other attribute, typed, by its name in the export.
    pub attributes: BTreeMap<String, AttrValue>,
    pub links: Vec<Link>,
    /// Where the object is written in the export.
    pub location: ReqLocation,
    /// SHA-256 (hex) over the id, heading, text and attributes: changes when the
    /// requirement changes, so a trace recorded against it becomes suspect.
    pub fingerprint: String,
}

/// A typed attribute value.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum AttrValue {
    Text(String),
    Integer(i64),
    Real(f64),
    Bool(bool),
    /// A date or date-time, ISO 8601 as far as the export allows.
    Date(String),
    /// The chosen values of an enumeration.
    Enum(Vec<String>),
}

impl AttrValue {
    /// The value as one line of text.
    pub fn display(&self) -> String {
        match self {
            AttrValue::Text(s) | AttrValue::Date(s) => s.clone(),
            AttrValue::Integer(i) => i.to_string(),
            AttrValue::Real(r) => r.to_string(),
            AttrValue::Bool(b) => b.to_string(),
            AttrValue::Enum(v) => v.join(", "),
        }
    }
}

/// A link from or to another object.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Link {
    /// The link type (`satisfies`, a ReqIF relation type's name, `Link To`, `In-links`).
    pub kind: String,
    /// The other end's id (as users cite it when resolved, else as the export names it).
    pub target: String,
    /// `out` when this object is the source, `in` when it is the target.
    pub direction: Direction,
    /// False when the other end is not in the inputs (kept as an external reference).
    pub resolved: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Out,
    In,
}

/// Where an object is written: a line and column in a text file, a cell of a sheet, or
/// an XML element.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ReqLocation {
    Text {
        line: usize,
        column: usize,
    },
    Cell {
        sheet: String,
        cell: String,
    },
    Xml {
        element: String,
        line: usize,
        column: usize,
    },
}

/// `A1`-style name of a zero-based (row, column) cell.
pub fn cell_name(row: usize, col: usize) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        let r = (c - 1) % 26;
        letters.push(b'A' + r as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

/// The fingerprint of an object's content (see [`ReqObject::fingerprint`]). Whitespace
/// runs count as one blank, so re-wrapping a text does not make it suspect.
pub fn fingerprint(
    id: &str,
    heading: Option<&str>,
    text: &str,
    attributes: &BTreeMap<String, AttrValue>,
) -> String {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut h = Sha256::new();
    for part in [id, heading.unwrap_or(""), text] {
        h.update(norm(part).as_bytes());
        h.update([0u8]);
    }
    for (k, v) in attributes {
        h.update(k.as_bytes());
        h.update([1u8]);
        h.update(norm(&v.display()).as_bytes());
        h.update([0u8]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(9, 25), "Z10");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(2, 701), "ZZ3");
    }

    #[test]
    fn fingerprints_ignore_rewrapping_but_not_words() {
        let a = BTreeMap::new();
        let f = fingerprint("R-1", None, "The unit shall\n  start.", &a);
        assert_eq!(f, fingerprint("R-1", None, "The unit shall start.", &a));
        assert_ne!(f, fingerprint("R-1", None, "The unit shall stop.", &a));
        assert_eq!(f.len(), 64);
    }
}
