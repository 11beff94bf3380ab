//! Requirements exported from DOORS and its peers: one model for every format.
//!
//! Importers (`tabular` for CSV/XLSX/XLS/ODS, `reqif` for ReqIF/ReqIFz) turn an export's
//! bytes into [`ReqObject`]s; problems are diagnostics (`Q001`), never panics, and a bad
//! object never stops the others. No I/O here: callers pass bytes and a file id.
//!
//! Layer: beside `syntax` (`source, time → diag → syntax, reqs → …`).

pub mod artifact_type;
pub mod diff;
pub mod ids;
pub mod info;
pub mod outline;
pub mod pictures;
pub mod reqif;
pub mod reqif_update;
pub mod tabular;
pub mod workbook;
pub mod xhtml;

use crate::source::FileId;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Everything read from one export file.
#[derive(Debug, Clone, Default)]
pub struct Export {
    pub file: Option<FileId>,
    /// Objects in document (outline) order.
    pub objects: Vec<ReqObject>,
    /// Links whose target is not in the export: counted and kept, never fatal.
    pub dangling_links: usize,
    /// The `.reqif` members of a ReqIFz whose text the sources hold: (name, file). An
    /// object whose location names a member ([`ReqLocation::Xml`]) is in that file.
    pub members: Vec<(String, FileId)>,
    /// What the export says about itself (ReqIF header, specifications), for reports.
    pub info: info::ExportInfo,
    /// The pictures of a ReqIFz that its objects' texts show (`[object: NAME]`), bounded.
    pub pictures: pictures::Pictures,
}

impl Export {
    /// The file an object's location is in: its member's ([`Export::members`]) when it
    /// is in a member of a ReqIFz, else the export's. `members` is
    /// [`Export::member_files`], built once for many lookups.
    pub fn file_of(
        &self,
        members: &std::collections::HashMap<&str, FileId>,
        location: &ReqLocation,
    ) -> Option<FileId> {
        match location {
            ReqLocation::Xml {
                member: Some(m), ..
            } => members.get(m.as_str()).copied().or(self.file),
            _ => self.file,
        }
    }

    /// The file of each member, by name.
    pub fn member_files(&self) -> std::collections::HashMap<&str, FileId> {
        self.members.iter().map(|(n, f)| (n.as_str(), *f)).collect()
    }
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
    /// The headings above the object, outermost first: shared with the objects under the
    /// same heading (each heading points at the one above it), shown cut to its last
    /// [`HeadingPath::SHOWN`] headings.
    pub path: HeadingPath,
    /// The module (DOORS module, specification, sheet) the object belongs to.
    pub module: Option<String>,
    /// Every other attribute, typed, by its name in the export.
    pub attributes: BTreeMap<String, AttrValue>,
    pub links: Vec<Link>,
    /// Where the object is written in the export.
    pub location: ReqLocation,
    /// SHA-256 (hex) over the id, heading and text (see [`fingerprint`]): changes when
    /// what the requirement says changes, so a trace recorded against it becomes suspect.
    /// The same requirement gives the same fingerprint in every export format.
    pub fingerprint: String,
}

/// The headings above an object, outermost first. A path is one node per heading, each
/// pointing at the heading above it and shared by everything under it, so a module nested
/// a million headings deep costs a million nodes, not a million paths. Reading a path
/// walks up from its last heading, at most [`HeadingPath::SHOWN`] steps for what is shown
/// (a longer path is shown as `…` and its last headings); two paths are compared by a
/// fingerprint of the whole path kept in each node, in constant time.
#[derive(Clone, Default)]
pub struct HeadingPath(Option<Arc<PathNode>>);

struct PathNode {
    label: String,
    parent: HeadingPath,
    /// Headings in the path, this one included.
    depth: usize,
    /// SHA-256 (first 16 bytes) over the parent's key and this label, whitespace runs as
    /// one blank: equal paths have equal keys.
    key: [u8; 16],
}

impl Drop for PathNode {
    // Iterative: dropping the last object of a deep module must not recurse once per heading.
    fn drop(&mut self) {
        let mut next = self.parent.0.take();
        while let Some(node) = next {
            match Arc::try_unwrap(node) {
                Ok(mut n) => next = n.parent.0.take(),
                Err(_) => break,
            }
        }
    }
}

impl HeadingPath {
    /// The most headings shown of a path (its last ones); a longer path shows `…` first.
    pub const SHOWN: usize = 10;
    /// What stands for the headings cut from the start of a long path.
    pub const CUT: &'static str = "…";

    /// The path one heading deeper: this path, then `label`.
    pub fn child(&self, label: String) -> HeadingPath {
        let mut h = Sha256::new();
        if let Some(p) = &self.0 {
            h.update(p.key);
        }
        for (i, word) in label.split_whitespace().enumerate() {
            if i > 0 {
                h.update(b" ");
            }
            h.update(word.as_bytes());
        }
        h.update([0u8]);
        let digest = h.finalize();
        let mut key = [0u8; 16];
        key.copy_from_slice(&digest[..16]);
        HeadingPath(Some(Arc::new(PathNode {
            label,
            parent: self.clone(),
            depth: self.len() + 1,
            key,
        })))
    }

    /// A path of the given headings, outermost first.
    pub fn from_labels<S: Into<String>>(labels: impl IntoIterator<Item = S>) -> HeadingPath {
        labels
            .into_iter()
            .fold(HeadingPath::default(), |p, l| p.child(l.into()))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// How many headings the path holds.
    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |n| n.depth)
    }

    /// The last heading (the object's own section).
    pub fn last(&self) -> Option<&str> {
        self.0.as_ref().map(|n| n.label.as_str())
    }

    /// The path without its last heading (empty for a top-level heading or no path).
    pub fn parent(&self) -> HeadingPath {
        self.0
            .as_ref()
            .map_or_else(HeadingPath::default, |n| n.parent.clone())
    }

    /// Which heading this path ends in: equal for the paths of objects under one heading
    /// (they share its node), different for two headings of the same words in two places;
    /// `None` for no path. An identity while the path lives, for grouping, never shown.
    pub fn node_id(&self) -> Option<usize> {
        self.0.as_ref().map(|n| Arc::as_ptr(n) as usize)
    }

    /// The last `n` headings, outermost first.
    fn tail(&self, n: usize) -> Vec<&str> {
        let mut out = Vec::with_capacity(n.min(self.len()));
        let mut at = self.0.as_deref();
        while let Some(node) = at {
            if out.len() == n {
                break;
            }
            out.push(node.label.as_str());
            at = node.parent.0.as_deref();
        }
        out.reverse();
        out
    }

    /// The path as shown: its last [`HeadingPath::SHOWN`] headings, after `…` when
    /// headings were cut.
    pub fn shown(&self) -> Vec<&str> {
        let mut out = Vec::new();
        if self.len() > Self::SHOWN {
            out.push(Self::CUT);
        }
        out.extend(self.tail(Self::SHOWN));
        out
    }

    /// [`HeadingPath::shown`] joined by `separator`.
    pub fn join(&self, separator: &str) -> String {
        self.shown().join(separator)
    }

    /// Every heading, outermost first: linear in the depth, for tests and short paths.
    pub fn labels(&self) -> Vec<&str> {
        self.tail(usize::MAX)
    }

    /// True when both paths hold the same headings (whitespace runs counting as one blank).
    pub fn same_as(&self, other: &HeadingPath) -> bool {
        match (&self.0, &other.0) {
            (None, None) => true,
            (Some(a), Some(b)) => a.depth == b.depth && a.key == b.key,
            _ => false,
        }
    }
}

impl PartialEq for HeadingPath {
    fn eq(&self, other: &Self) -> bool {
        self.same_as(other)
    }
}

impl std::fmt::Debug for HeadingPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.shown()).finish()
    }
}

impl serde::Serialize for HeadingPath {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.shown())
    }
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
        /// The `.reqif` member of a ReqIFz the element is in (`line` and `column` are
        /// the member's); `None` in a plain ReqIF file.
        #[serde(skip_serializing_if = "Option::is_none")]
        member: Option<String>,
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

/// The fingerprint of what an object says: SHA-256 (hex) over its id, heading and text.
/// Whitespace runs count as one blank, so re-wrapping a text does not change it; the
/// attributes are left out because exports name them differently (a DOORS Classic ReqIF
/// and its spreadsheet export give the same fingerprint) and because tools touch some on
/// every save (`Last Modified On`). [`fingerprint_with`] adds chosen attributes.
pub fn fingerprint(id: &str, heading: Option<&str>, text: &str) -> String {
    fingerprint_with(id, heading, text, std::iter::empty())
}

/// [`fingerprint`], plus the given (name, value) attributes in the order given.
pub fn fingerprint_with<'a>(
    id: &str,
    heading: Option<&str>,
    text: &str,
    attributes: impl Iterator<Item = (&'a str, &'a AttrValue)>,
) -> String {
    let mut h = Sha256::new();
    let mut norm = |s: &str| {
        for (i, word) in s.split_whitespace().enumerate() {
            if i > 0 {
                h.update(b" ");
            }
            h.update(word.as_bytes());
        }
        h.update([0u8]);
    };
    for part in [id, heading.unwrap_or(""), text] {
        norm(part);
    }
    for (k, v) in attributes {
        norm(k);
        norm(&v.display());
    }
    hex(&h.finalize())
}

/// Lower-case hexadecimal of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

impl ReqObject {
    /// The fingerprint with the named attributes added (those the object has).
    pub fn fingerprint_with(&self, attributes: &[String]) -> String {
        if attributes.is_empty() {
            return self.fingerprint.clone();
        }
        fingerprint_with(
            &self.id,
            self.heading.as_deref(),
            &self.text,
            attributes
                .iter()
                .filter_map(|a| self.attributes.get(a).map(|v| (a.as_str(), v))),
        )
    }
}

/// An attribute or column name for matching: its letters and digits, lower case
/// (`Verification Method`, `verification_method` and `VERIFICATION-METHOD` are one name).
pub fn attribute_key(name: &str) -> String {
    if name.is_ascii() {
        // The common case, without the Unicode case tables.
        return name
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
    }
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The name used for an object's export id after [`rekey`] replaced it.
pub const EXPORT_ID: &str = "Export ID";

/// Makes the value of `attribute` the id of every object that has one (teams often keep
/// the id they cite in a custom attribute such as `Req ID`, beside the DOORS Object
/// Identifier). The name matches ignoring case, blanks and punctuation; objects without
/// a value (headings, usually) keep their id. The replaced id stays as the attribute
/// [`EXPORT_ID`], links are renamed to follow across all the exports, and fingerprints
/// are recomputed. Returns how many objects were renamed. ([`ids::apply`] with one rule
/// for every module.)
pub fn rekey(exports: &mut [Export], attribute: &str) -> usize {
    let ids = ids::CitedIds {
        all: ids::IdRule {
            attribute: Some(attribute.to_string()),
            prefix: None,
        },
        ..ids::CitedIds::default()
    };
    ids::apply(exports, &ids).unwrap_or(0)
}

/// The corpus of real exports the import tests read in place: `OPSPLAN_CORPUS`, or
/// `../shared/corpus` beside the project.
#[cfg(test)]
pub(crate) fn corpus_path(relative: &str) -> std::path::PathBuf {
    let base = std::env::var_os("OPSPLAN_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
        });
    base.join(relative)
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
    fn heading_paths_are_shared_cut_when_shown_and_compared_whole() {
        let a = HeadingPath::from_labels(["Intro", "Scope"]);
        assert_eq!(a.labels(), ["Intro", "Scope"]);
        assert_eq!(a.join(" > "), "Intro > Scope");
        assert_eq!(a.len(), 2);
        assert_eq!(a.last(), Some("Scope"));
        assert!(a.same_as(&HeadingPath::from_labels(["Intro", "Scope  "])));
        assert!(!a.same_as(&HeadingPath::from_labels(["Intro"])));
        assert!(!a.same_as(&HeadingPath::from_labels(["Scope", "Intro"])));
        assert!(HeadingPath::default().is_empty());
        let deep = HeadingPath::from_labels((1..=25).map(|i| format!("H{i}")));
        let shown = deep.shown();
        assert_eq!(shown.len(), HeadingPath::SHOWN + 1);
        assert_eq!(shown[0], "…");
        assert_eq!(shown[1], "H16");
        assert_eq!(shown[10], "H25");
        assert_eq!(
            serde_json::to_value(HeadingPath::from_labels(["A"])).unwrap(),
            serde_json::json!(["A"])
        );
        // A million headings deep: built, shown and dropped without recursion.
        let mut p = HeadingPath::default();
        for i in 0..1_000_000 {
            p = p.child(format!("{i}"));
        }
        assert_eq!(p.len(), 1_000_000);
        assert_eq!(p.shown().last(), Some(&"999999"));
        drop(p);
    }

    #[test]
    fn fingerprints_ignore_rewrapping_but_not_words() {
        let f = fingerprint("R-1", None, "The unit shall\n  start.");
        assert_eq!(f, fingerprint("R-1", None, "The unit shall start."));
        assert_ne!(f, fingerprint("R-1", None, "The unit shall stop."));
        assert_ne!(
            f,
            fingerprint("R-1", Some("Start"), "The unit shall start.")
        );
        assert_eq!(f.len(), 64);
        let attr = AttrValue::Text("Test".into());
        let with = fingerprint_with(
            "R-1",
            None,
            "The unit shall start.",
            [("V", &attr)].into_iter(),
        );
        assert_ne!(f, with);
    }
}

#[cfg(test)]
mod rekey_tests {
    use super::*;

    fn object(id: &str, req_id: Option<&str>, link: Option<&str>) -> ReqObject {
        let mut attributes = BTreeMap::new();
        if let Some(r) = req_id {
            attributes.insert("Req ID".to_string(), AttrValue::Text(r.to_string()));
        }
        ReqObject {
            id: id.to_string(),
            is_heading: req_id.is_none(),
            heading: None,
            text: "text".into(),
            level: Some(1),
            path: HeadingPath::default(),
            module: None,
            attributes,
            links: link
                .map(|t| Link {
                    kind: "satisfies".into(),
                    target: t.into(),
                    direction: Direction::Out,
                    resolved: true,
                })
                .into_iter()
                .collect(),
            location: ReqLocation::Text { line: 1, column: 1 },
            fingerprint: fingerprint(id, None, "text"),
        }
    }

    #[test]
    fn rekey_renames_objects_and_links_across_exports() {
        let mut exports = vec![
            Export {
                objects: vec![
                    object("OPS-1", Some("OPS-REQ-001"), None),
                    object("OPS-7", None, None),
                ],
                ..Export::default()
            },
            Export {
                objects: vec![object("SYS-2", Some("SYS-REQ-002"), Some("OPS-1"))],
                ..Export::default()
            },
        ];
        assert_eq!(rekey(&mut exports, "req id"), 2);
        let a = &exports[0].objects[0];
        assert_eq!(a.id, "OPS-REQ-001");
        assert_eq!(a.attributes[EXPORT_ID], AttrValue::Text("OPS-1".into()));
        assert!(!a.attributes.contains_key("Req ID"));
        assert_eq!(a.fingerprint, fingerprint("OPS-REQ-001", None, "text"));
        assert_eq!(exports[0].objects[1].id, "OPS-7");
        assert_eq!(exports[1].objects[0].links[0].target, "OPS-REQ-001");
    }
}
