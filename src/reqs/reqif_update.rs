//! The ReqIF write-back (`opsplan trace --format reqif-update`, docs/doors-roundtrip.md):
//! an export written back with only the values of chosen attributes changed, and the
//! `LAST-CHANGE` of the objects whose values changed. Everything else (header,
//! identifiers, datatypes, spec types, hierarchy, `TOOL-EXTENSIONS`, whitespace,
//! comments, encoding declaration) is copied byte for byte: one quick-xml pass records
//! the byte offsets of what may change, and the output is the input with those ranges
//! spliced (never a document re-serialised).
//!
//! What changes, per object asked for: an existing `ATTRIBUTE-VALUE-*` of a write-back
//! attribute gets its value replaced (`THE-VALUE="…"` of a STRING, the content of
//! `THE-VALUE` of an XHTML as one `div` of escaped text, the `ENUM-VALUE-REF` of an
//! ENUMERATION); an object without one gets a new element in its `VALUES` (the element
//! created when absent). An object whose values are already right is left alone, so
//! writing back a write-back's own output gives the same bytes.
//!
//! Pure over bytes. A ReqIFz is rewritten by [`update_archive`]: the `.reqif` members
//! updated, every other member copied raw. [`verify`] reads input and output with the
//! importer and says whether anything but the write-back values differs.

use super::attribute_key;
use super::reqif::REQIF_NS;
use super::xhtml::{decode_entities, to_text};
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use std::collections::HashMap;
use std::ops::Range;

/// The XHTML namespace URI.
const XHTML_NS: &[u8] = b"http://www.w3.org/1999/xhtml";

/// The write-back attributes of the profiles (`trace::writeback::Profile`): the importer
/// never takes one of them for an object's text, so that writing them back does not change
/// what the object says.
pub const WRITEBACK_NAMES: &[&str] = &[
    "OPS Coverage",
    "OPS Covered By",
    "ReqIF-WF.SupplierStatus",
    "ReqIF-WF.SupplierComment",
];

/// A write-back attribute: its name, and for an enumeration the values it must offer
/// (all of them, whatever this run writes: a later run may need any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    /// `Some`: the attribute is meant as an enumeration of these values (a STRING or
    /// XHTML attribute is accepted too, the value written as text); `None`: a text.
    pub values: Option<Vec<String>>,
}

/// The values to write: per SPEC-OBJECT `IDENTIFIER`, (attribute name, value) pairs.
pub type Updates = Vec<(String, Vec<(String, String)>)>;

/// The values expected back, per (member of a ReqIFz, SPEC-OBJECT `IDENTIFIER`).
pub type Expected = HashMap<(Option<String>, String), Vec<(String, String)>>;

/// A write-back refused: where (a byte offset of the member), which element, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The `.reqif` member of a ReqIFz, `None` for a plain ReqIF.
    pub member: Option<String>,
    pub offset: usize,
    /// 1-based line and column of `offset` (0 when the archive itself is at fault).
    pub line: u32,
    pub column: u32,
    /// The element, as `SPEC-OBJECT-TYPE _abc` or `DATATYPE-DEFINITION-ENUMERATION _x`.
    pub element: String,
    pub message: String,
    /// The export lacks the write-back attributes: the caller adds the recipe.
    pub needs_recipe: bool,
}

/// The result of a write-back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Updated {
    pub bytes: Vec<u8>,
    /// The identifiers of the objects changed, in file order.
    pub changed: Vec<String>,
}

/// What to do in DOORS so that the export holds the write-back attributes.
pub fn recipe(columns: &[Column]) -> String {
    let mut out = String::from(
        "create the write-back attributes in DOORS, lock them in the ReqIF export definition and \
         export again (docs/doors-roundtrip.md):",
    );
    for c in columns {
        match &c.values {
            Some(values) => out.push_str(&format!(
                "\n  - `{}`: an enumeration attribute with the values {}",
                c.name,
                values
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            None => out.push_str(&format!("\n  - `{}`: a text (string) attribute", c.name)),
        }
    }
    out.push_str(
        "\n  on the object types of the module (DOORS Classic: Edit > Attributes; DOORS Next: \
         the artifact types), then add them to the export definition's attributes, locked, \
         and export the module again",
    );
    out
}

// ---------------------------------------------------------------------------------------
// The pass over the bytes

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValueKind {
    String,
    Xhtml,
    Enumeration,
    Other,
}

fn value_kind(suffix: &str) -> ValueKind {
    match suffix {
        "STRING" => ValueKind::String,
        "XHTML" => ValueKind::Xhtml,
        "ENUMERATION" => ValueKind::Enumeration,
        _ => ValueKind::Other,
    }
}

#[derive(Debug, Default)]
struct EnumType {
    name: String,
    at: usize,
    /// (IDENTIFIER, LONG-NAME, KEY)
    values: Vec<(String, String, String)>,
}

#[derive(Debug)]
struct AttrDef {
    kind: ValueKind,
    suffix: String,
    ident: String,
    name: String,
    datatype: Option<String>,
    has_default: bool,
    at: usize,
}

#[derive(Debug, Default)]
struct ObjType {
    name: Option<String>,
    at: usize,
    defs: Vec<usize>,
}

/// An `ATTRIBUTE-VALUE-*` of an object.
#[derive(Debug, Default)]
struct AttrValueAt {
    /// The whole element.
    whole: Range<usize>,
    def: String,
    /// A STRING's `THE-VALUE` attribute: its value's range in the start tag, raw.
    the_value_attr: Option<Range<usize>>,
    /// An XHTML's `THE-VALUE` element's content.
    the_value_inner: Option<Range<usize>>,
    /// An enumeration's `VALUES` content.
    values_inner: Option<Range<usize>>,
    /// The `ENUM-VALUE-REF`s: (text range, identifier).
    refs: Vec<(Range<usize>, String)>,
}

#[derive(Debug, Default)]
struct ObjAt {
    ident: String,
    start_tag: Range<usize>,
    /// The prefix of the element's name, `reqif:` or empty.
    prefix: String,
    type_ref: Option<String>,
    /// `VALUES`: (content range) or an empty element's whole range.
    values_inner: Option<Range<usize>>,
    values_empty: Option<Range<usize>>,
    /// Where `</SPEC-OBJECT>` starts.
    end_tag: usize,
    self_closing: bool,
    values: Vec<AttrValueAt>,
}

#[derive(Debug, Default)]
struct Scan {
    enums: HashMap<String, EnumType>,
    defs: Vec<AttrDef>,
    def_index: HashMap<String, usize>,
    types: HashMap<String, ObjType>,
    /// The objects asked for, in file order.
    objects: Vec<ObjAt>,
    /// The prefix XHTML content uses (from an existing value, else the root's).
    xhtml_prefix: Option<String>,
    root_xhtml_prefix: Option<String>,
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn attr(e: &BytesStart, key: &[u8]) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .map(|a| decode_entities(&lossy(&a.value)))
}

/// The raw value range of attribute `key` (local name) in the start tag `tag` that
/// begins at `at` (`<` included); `None` when absent.
fn attr_range(bytes: &[u8], tag: Range<usize>, key: &[u8]) -> Option<Range<usize>> {
    let t = &bytes[tag.clone()];
    let mut i = 1;
    // The element's name.
    while i < t.len() && !t[i].is_ascii_whitespace() && t[i] != b'>' && t[i] != b'/' {
        i += 1;
    }
    loop {
        while i < t.len() && t[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= t.len() || t[i] == b'>' || t[i] == b'/' {
            return None;
        }
        let name_start = i;
        while i < t.len() && t[i] != b'=' && !t[i].is_ascii_whitespace() {
            i += 1;
        }
        let name = &t[name_start..i];
        while i < t.len() && t[i].is_ascii_whitespace() {
            i += 1;
        }
        if t.get(i) != Some(&b'=') {
            return None;
        }
        i += 1;
        while i < t.len() && t[i].is_ascii_whitespace() {
            i += 1;
        }
        let quote = *t.get(i)?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let value_start = i + 1;
        let len = t[value_start..].iter().position(|&b| b == quote)?;
        let local = name.rsplit(|&b| b == b':').next().unwrap_or(name);
        if local == key {
            return Some(tag.start + value_start..tag.start + value_start + len);
        }
        i = value_start + len + 1;
    }
}

fn prefix_of(e: &BytesStart) -> String {
    match e.name().prefix() {
        Some(p) => format!("{}:", lossy(p.as_ref())),
        None => String::new(),
    }
}

/// Open element: (in the ReqIF namespace, local name, where its content starts).
type Open = (bool, String, usize);

fn scan(bytes: &[u8], wanted: &HashMap<&str, usize>) -> Result<Scan, (usize, String)> {
    let mut s = Scan::default();
    let mut reader = NsReader::from_reader(bytes);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Open> = Vec::new();
    let mut text = String::new();
    let mut tool_ext = 0usize;
    let mut enum_type: Option<(String, EnumType)> = None;
    let mut obj_type: Option<(String, ObjType)> = None;
    let mut def: Option<AttrDef> = None;
    let mut object: Option<(ObjAt, usize)> = None;
    let mut value: Option<(AttrValueAt, usize)> = None;
    loop {
        let before = reader.buffer_position() as usize;
        let (in_ns, is_xhtml, event) = match reader.read_resolved_event() {
            Ok((ns, ev)) => (
                matches!(ns, ResolveResult::Bound(n) if n.as_ref() == REQIF_NS),
                matches!(ns, ResolveResult::Bound(n) if n.as_ref() == XHTML_NS),
                ev,
            ),
            Err(e) => {
                return Err((
                    reader.error_position() as usize,
                    format!("the ReqIF file is not well-formed XML: {e}"),
                ))
            }
        };
        let after = reader.buffer_position() as usize;
        let (e, empty) = match event {
            Event::Eof => break,
            Event::Text(t) => {
                text.push_str(&decode_entities(&lossy(t.as_ref())));
                continue;
            }
            Event::GeneralRef(r) => {
                text.push_str(&decode_entities(&format!("&{};", lossy(r.as_ref()))));
                continue;
            }
            Event::CData(t) => {
                text.push_str(&lossy(t.as_ref()));
                continue;
            }
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                let Some((ns_end, local, inner_start)) = stack.pop() else {
                    continue;
                };
                end(
                    &mut s,
                    (ns_end, &local),
                    stack.len(),
                    before,
                    after,
                    &mut text,
                    inner_start,
                    &mut tool_ext,
                    (&mut enum_type, &mut obj_type, &mut def),
                    (&mut object, &mut value),
                );
                continue;
            }
            _ => continue,
        };
        let local = lossy(e.local_name().as_ref());
        if stack.is_empty() {
            for a in e.attributes().with_checks(false).flatten() {
                let key = a.key.as_ref();
                if let Some(p) = key.strip_prefix(b"xmlns:") {
                    if a.value.as_ref() == XHTML_NS && s.root_xhtml_prefix.is_none() {
                        s.root_xhtml_prefix = Some(lossy(p));
                    }
                }
            }
        }
        if is_xhtml && s.xhtml_prefix.is_none() {
            if let Some(p) = e.name().prefix() {
                s.xhtml_prefix = Some(lossy(p.as_ref()));
            }
        }
        let depth = stack.len();
        let parent = stack.last().map(|(n, l, _)| (*n, l.as_str()));
        if in_ns && tool_ext == 0 {
            match local.as_str() {
                "TOOL-EXTENSIONS" if !empty => tool_ext += 1,
                "DATATYPE-DEFINITION-ENUMERATION" => {
                    let id = attr(&e, b"IDENTIFIER").unwrap_or_default();
                    let et = EnumType {
                        name: attr(&e, b"LONG-NAME").unwrap_or_default(),
                        at: before,
                        values: Vec::new(),
                    };
                    enum_type = Some((id, et));
                }
                "ENUM-VALUE" if enum_type.is_some() => {
                    if let Some((_, et)) = &mut enum_type {
                        et.values.push((
                            attr(&e, b"IDENTIFIER").unwrap_or_default(),
                            attr(&e, b"LONG-NAME").unwrap_or_default(),
                            String::new(),
                        ));
                    }
                }
                "EMBEDDED-VALUE" if enum_type.is_some() => {
                    if let Some((_, et)) = &mut enum_type {
                        if let Some(v) = et.values.last_mut() {
                            v.2 = attr(&e, b"KEY").unwrap_or_default();
                        }
                    }
                }
                "SPEC-OBJECT-TYPE" => {
                    let id = attr(&e, b"IDENTIFIER").unwrap_or_default();
                    obj_type = Some((
                        id,
                        ObjType {
                            name: attr(&e, b"LONG-NAME"),
                            at: before,
                            defs: Vec::new(),
                        },
                    ));
                }
                l if l.starts_with("ATTRIBUTE-DEFINITION-")
                    && !l.ends_with("-REF")
                    && obj_type.is_some()
                    && def.is_none() =>
                {
                    let suffix = &l["ATTRIBUTE-DEFINITION-".len()..];
                    def = Some(AttrDef {
                        kind: value_kind(suffix),
                        suffix: suffix.to_string(),
                        ident: attr(&e, b"IDENTIFIER").unwrap_or_default(),
                        name: attr(&e, b"LONG-NAME").unwrap_or_default(),
                        datatype: None,
                        has_default: false,
                        at: before,
                    });
                }
                "DEFAULT-VALUE" if def.is_some() => {
                    if let Some(d) = &mut def {
                        d.has_default = true;
                    }
                }
                "SPEC-OBJECT" if parent == Some((true, "SPEC-OBJECTS")) && object.is_none() => {
                    let id = attr(&e, b"IDENTIFIER").unwrap_or_default();
                    if wanted.contains_key(id.as_str()) {
                        let o = ObjAt {
                            ident: id,
                            start_tag: before..after,
                            prefix: prefix_of(&e),
                            self_closing: empty,
                            end_tag: before,
                            ..Default::default()
                        };
                        if empty {
                            s.objects.push(o);
                        } else {
                            object = Some((o, depth));
                        }
                    }
                }
                _ => {}
            }
            if let Some((o, od)) = &mut object {
                let rel = depth - *od;
                match (rel, local.as_str()) {
                    (1, "VALUES") if empty => o.values_empty = Some(before..after),
                    (2, l)
                        if l.starts_with("ATTRIBUTE-VALUE-")
                            && parent == Some((true, "VALUES")) =>
                    {
                        let mut v = AttrValueAt {
                            whole: before..after,
                            ..Default::default()
                        };
                        v.the_value_attr = attr_range(bytes, before..after, b"THE-VALUE");
                        if empty {
                            o.values.push(v);
                        } else {
                            value = Some((v, depth));
                        }
                    }
                    (3, "THE-VALUE") if empty => {
                        if let Some((v, _)) = &mut value {
                            // `<THE-VALUE/>`: replaced whole.
                            v.the_value_inner = None;
                        }
                    }
                    _ => {}
                }
            }
        } else if in_ns && local == "TOOL-EXTENSIONS" && !empty {
            tool_ext += 1;
        }
        if !empty {
            stack.push((in_ns, local, after));
            text.clear();
        }
    }
    Ok(s)
}

/// The definitions being read: an enumeration, an object type, an attribute definition.
type Building<'a> = (
    &'a mut Option<(String, EnumType)>,
    &'a mut Option<(String, ObjType)>,
    &'a mut Option<AttrDef>,
);
/// The object being read and its attribute value being read, with their depths.
type Within<'a> = (
    &'a mut Option<(ObjAt, usize)>,
    &'a mut Option<(AttrValueAt, usize)>,
);

#[allow(clippy::too_many_arguments)]
fn end(
    s: &mut Scan,
    (in_ns, local): (bool, &str),
    depth: usize,
    before: usize,
    after: usize,
    text: &mut String,
    inner_start: usize,
    tool_ext: &mut usize,
    (enum_type, obj_type, def): Building<'_>,
    (object, value): Within<'_>,
) {
    if !in_ns {
        return;
    }
    if *tool_ext > 0 {
        if local == "TOOL-EXTENSIONS" {
            *tool_ext -= 1;
        }
        return;
    }
    let t = std::mem::take(text);
    match local {
        "DATATYPE-DEFINITION-ENUMERATION" => {
            if let Some((id, et)) = enum_type.take() {
                s.enums.insert(id, et);
            }
        }
        l if l.starts_with("DATATYPE-DEFINITION-") && l.ends_with("-REF") => {
            if let Some(d) = def {
                if d.datatype.is_none() {
                    d.datatype = Some(t.trim().to_string());
                }
            }
        }
        l if l.starts_with("ATTRIBUTE-DEFINITION-") && !l.ends_with("-REF") => {
            if let (Some(d), Some((_, ot))) = (def.take(), obj_type.as_mut()) {
                let i = s.defs.len();
                s.def_index.entry(d.ident.clone()).or_insert(i);
                ot.defs.push(i);
                s.defs.push(d);
            }
        }
        "SPEC-OBJECT-TYPE" => {
            if let Some((id, ot)) = obj_type.take() {
                s.types.insert(id, ot);
            }
        }
        _ => {}
    }
    let Some((o, od)) = object else {
        return;
    };
    let rel = depth - *od;
    match (rel, local) {
        (0, "SPEC-OBJECT") => {
            o.end_tag = before;
            if let Some((o, _)) = object.take() {
                s.objects.push(o);
            }
        }
        (2, "SPEC-OBJECT-TYPE-REF") => o.type_ref = Some(t.trim().to_string()),
        (1, "VALUES") => o.values_inner = Some(inner_start..before),
        (2, l) if l.starts_with("ATTRIBUTE-VALUE-") => {
            if let Some((mut v, _)) = value.take() {
                v.whole.end = after;
                o.values.push(v);
            }
        }
        (4, l) if l.starts_with("ATTRIBUTE-DEFINITION-") && l.ends_with("-REF") => {
            if let Some((v, _)) = value {
                v.def = t.trim().to_string();
            }
        }
        (3, "THE-VALUE") => {
            if let Some((v, _)) = value {
                v.the_value_inner = Some(inner_start..before);
            }
        }
        (3, "VALUES") => {
            if let Some((v, _)) = value {
                v.values_inner = Some(inner_start..before);
            }
        }
        (4, "ENUM-VALUE-REF") => {
            if let Some((v, _)) = value {
                v.refs.push((inner_start..before, t.trim().to_string()));
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------
// Writing

fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in xml_chars(s) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in xml_chars(s) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// The characters of `s`, those XML 1.0 does not allow replaced by U+FFFD.
fn xml_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().map(|c| match c {
        '\t' | '\n' | '\r' => c,
        c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
        c => c,
    })
}

/// The indentation of the line `at` is on, when only blanks precede it there.
fn indentation(bytes: &[u8], at: usize) -> Option<&[u8]> {
    let line_start = bytes[..at]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1);
    let ind = &bytes[line_start..at];
    ind.iter().all(|&b| b == b' ' || b == b'\t').then_some(ind)
}

struct Gen<'a> {
    p: &'a str,
    x: String,
    /// `xmlns:xhtml="…"` when the file binds no XHTML prefix.
    x_decl: &'static str,
}

impl Gen<'_> {
    fn value_element(&self, d: &AttrDef, content: &Content) -> String {
        let p = self.p;
        let suffix = &d.suffix;
        let definition = format!(
            "<{p}DEFINITION><{p}ATTRIBUTE-DEFINITION-{suffix}-REF>{}</{p}ATTRIBUTE-DEFINITION-{suffix}-REF></{p}DEFINITION>",
            escape_text(&d.ident)
        );
        match content {
            Content::String(v) => format!(
                "<{p}ATTRIBUTE-VALUE-{suffix} THE-VALUE=\"{}\">{definition}</{p}ATTRIBUTE-VALUE-{suffix}>",
                escape_attr(v)
            ),
            Content::Xhtml(v) => format!(
                "<{p}ATTRIBUTE-VALUE-{suffix}>{definition}<{p}THE-VALUE>{}</{p}THE-VALUE></{p}ATTRIBUTE-VALUE-{suffix}>",
                self.div(v)
            ),
            Content::Enum(id) => format!(
                "<{p}ATTRIBUTE-VALUE-{suffix}>{definition}<{p}VALUES>{}</{p}VALUES></{p}ATTRIBUTE-VALUE-{suffix}>",
                self.enum_ref(id)
            ),
        }
    }

    fn div(&self, v: &str) -> String {
        let x = &self.x;
        format!("<{x}:div{}>{}</{x}:div>", self.x_decl, escape_text(v))
    }

    fn enum_ref(&self, id: &str) -> String {
        let p = self.p;
        format!("<{p}ENUM-VALUE-REF>{}</{p}ENUM-VALUE-REF>", escape_text(id))
    }
}

enum Content {
    String(String),
    Xhtml(String),
    Enum(String),
}

fn find_def<'s>(s: &'s Scan, ty: &ObjType, name: &str) -> Option<&'s AttrDef> {
    let defs = || ty.defs.iter().map(|&i| &s.defs[i]);
    defs()
        .find(|d| d.name == name)
        .or_else(|| defs().find(|d| attribute_key(&d.name) == attribute_key(name)))
}

fn find_enum_value<'e>(et: &'e EnumType, value: &str) -> Option<&'e str> {
    let values = || et.values.iter();
    values()
        .find(|v| v.1 == value)
        .or_else(|| values().find(|v| attribute_key(&v.1) == attribute_key(value)))
        .or_else(|| values().find(|v| !v.2.is_empty() && v.2 == value))
        .map(|v| v.0.as_str())
}

fn refusal(at: usize, element: String, message: String, needs_recipe: bool) -> Refusal {
    Refusal {
        member: None,
        offset: at,
        line: 0,
        column: 0,
        element,
        message,
        needs_recipe,
    }
}

/// Checks that the types of the objects written hold every column (an enumeration
/// offering every value asked), before anything is changed.
fn check_types(s: &Scan, columns: &[Column]) -> Result<(), Refusal> {
    let mut seen: Vec<&str> = Vec::new();
    for o in &s.objects {
        let Some(tid) = o.type_ref.as_deref() else {
            return Err(refusal(
                o.start_tag.start,
                format!("SPEC-OBJECT {}", o.ident),
                "the object has no SPEC-OBJECT-TYPE-REF: its attributes cannot be told".into(),
                false,
            ));
        };
        if seen.contains(&tid) {
            continue;
        }
        seen.push(tid);
        let Some(ty) = s.types.get(tid) else {
            return Err(refusal(
                o.start_tag.start,
                format!("SPEC-OBJECT {}", o.ident),
                format!("the object's type `{tid}` is not defined in the file"),
                false,
            ));
        };
        let element = format!(
            "SPEC-OBJECT-TYPE {tid}{}",
            ty.name
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default()
        );
        let missing: Vec<&Column> = columns
            .iter()
            .filter(|c| find_def(s, ty, &c.name).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(refusal(
                ty.at,
                element,
                format!(
                    "the export has no write-back attribute {} on this object type",
                    missing
                        .iter()
                        .map(|c| format!("`{}`", c.name))
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
                true,
            ));
        }
        for c in columns {
            let d = find_def(s, ty, &c.name).expect("checked above");
            match d.kind {
                ValueKind::String | ValueKind::Xhtml => {}
                ValueKind::Enumeration => {
                    let Some(et) = d.datatype.as_deref().and_then(|t| s.enums.get(t)) else {
                        return Err(refusal(
                            d.at,
                            format!("ATTRIBUTE-DEFINITION-ENUMERATION {}", d.ident),
                            format!(
                                "the enumeration of the write-back attribute `{}` is not defined in the file",
                                c.name
                            ),
                            false,
                        ));
                    };
                    let lacking: Vec<&String> = c
                        .values
                        .iter()
                        .flatten()
                        .filter(|v| find_enum_value(et, v).is_none())
                        .collect();
                    if !lacking.is_empty() {
                        return Err(refusal(
                            et.at,
                            format!("DATATYPE-DEFINITION-ENUMERATION {} ({})", d.datatype.as_deref().unwrap_or(""), et.name),
                            format!(
                                "the enumeration of the write-back attribute `{}` lacks the value{} {}: add {} to the enumeration in DOORS, then export again (docs/doors-roundtrip.md)",
                                c.name,
                                if lacking.len() > 1 { "s" } else { "" },
                                lacking.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", "),
                                if lacking.len() > 1 { "them" } else { "it" }
                            ),
                            false,
                        ));
                    }
                }
                ValueKind::Other => {
                    return Err(refusal(
                        d.at,
                        format!("ATTRIBUTE-DEFINITION-{} {}", d.suffix, d.ident),
                        format!(
                            "the write-back attribute `{}` is {}, not an enumeration or a text: opsplan cannot write its value (make it {} in DOORS)",
                            c.name,
                            d.suffix,
                            if c.values.is_some() { "an enumeration" } else { "a text" }
                        ),
                        false,
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Writes `updates` into the ReqIF `bytes`. `stamp` is the `LAST-CHANGE` of the objects
/// changed. Refused (nothing returned) when an object's type lacks a column, an
/// enumeration lacks a value, or an object asked for is not in the file.
pub fn update(
    bytes: &[u8],
    columns: &[Column],
    updates: &Updates,
    stamp: &str,
) -> Result<Updated, Refusal> {
    update_unlocated(bytes, columns, updates, stamp).map_err(|mut r| {
        let at = crate::source::LineIndex::of_bytes(bytes).line_col_bytes(bytes, r.offset);
        (r.line, r.column) = (at.line, at.column);
        r
    })
}

fn update_unlocated(
    bytes: &[u8],
    columns: &[Column],
    updates: &Updates,
    stamp: &str,
) -> Result<Updated, Refusal> {
    let wanted: HashMap<&str, usize> = updates
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (id.as_str(), i))
        .collect();
    let s = crate::context::contain_panic(|| scan(bytes, &wanted))
        .map_err(|p| {
            refusal(
                0,
                "REQ-IF".into(),
                format!("the reader failed ({p})"),
                false,
            )
        })?
        .map_err(|(at, m)| refusal(at, "REQ-IF".into(), m, false))?;
    if s.objects.len() < wanted.len() {
        let found: std::collections::HashSet<&str> =
            s.objects.iter().map(|o| o.ident.as_str()).collect();
        let missing = updates
            .iter()
            .find(|(id, _)| !found.contains(id.as_str()))
            .map(|(id, _)| id.as_str())
            .unwrap_or("");
        return Err(refusal(
            0,
            "SPEC-OBJECTS".into(),
            format!("the export has no SPEC-OBJECT `{missing}` (was it changed since the trace read it?)"),
            false,
        ));
    }
    check_types(&s, columns)?;
    let x_decl;
    let x = match s
        .xhtml_prefix
        .clone()
        .or_else(|| s.root_xhtml_prefix.clone())
    {
        Some(x) => {
            x_decl = "";
            x
        }
        None => {
            x_decl = " xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"";
            "xhtml".to_string()
        }
    };
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut changed = Vec::new();
    for o in &s.objects {
        let ty = &s.types[o.type_ref.as_deref().expect("checked")];
        let gen = Gen {
            p: &o.prefix,
            x: x.clone(),
            x_decl,
        };
        let mut inserted: Vec<String> = Vec::new();
        let before = edits.len();
        for (name, v) in &updates[wanted[o.ident.as_str()]].1 {
            let Some(d) = find_def(&s, ty, name) else {
                return Err(refusal(
                    ty.at,
                    format!("SPEC-OBJECT-TYPE {}", o.type_ref.as_deref().unwrap_or("")),
                    format!("the export has no write-back attribute `{name}` on this object type"),
                    true,
                ));
            };
            let existing = o.values.iter().find(|a| a.def == d.ident);
            let content = match d.kind {
                ValueKind::String => Content::String(v.clone()),
                ValueKind::Xhtml => Content::Xhtml(v.clone()),
                ValueKind::Enumeration => {
                    let et = d.datatype.as_deref().and_then(|t| s.enums.get(t));
                    match et.and_then(|et| find_enum_value(et, v)) {
                        Some(id) => Content::Enum(id.to_string()),
                        None => {
                            return Err(refusal(
                                et.map_or(d.at, |e| e.at),
                                format!("DATATYPE-DEFINITION-ENUMERATION {}", d.datatype.as_deref().unwrap_or("")),
                                format!("the enumeration of the write-back attribute `{name}` lacks the value `{v}`"),
                                false,
                            ))
                        }
                    }
                }
                ValueKind::Other => {
                    return Err(refusal(
                        d.at,
                        format!("ATTRIBUTE-DEFINITION-{} {}", d.suffix, d.ident),
                        format!(
                            "the write-back attribute `{name}` is {}, not a text or an enumeration",
                            d.suffix
                        ),
                        false,
                    ))
                }
            };
            match existing {
                None => {
                    if v.is_empty() && !d.has_default && !matches!(content, Content::Enum(_)) {
                        continue;
                    }
                    inserted.push(gen.value_element(d, &content));
                }
                Some(a) => match &content {
                    Content::String(v) => match &a.the_value_attr {
                        Some(r) => {
                            if decode_entities(&lossy(&bytes[r.clone()])) != *v {
                                edits.push((r.clone(), escape_attr(v)));
                            }
                        }
                        None => edits.push((a.whole.clone(), gen.value_element(d, &content))),
                    },
                    Content::Xhtml(v) => match &a.the_value_inner {
                        Some(r) => {
                            let now = lossy(&bytes[r.clone()]);
                            let div = gen.div(v);
                            if now.trim() != div && to_text(&now) != to_text(&escape_text(v)) {
                                edits.push((r.clone(), div));
                            }
                        }
                        None => edits.push((a.whole.clone(), gen.value_element(d, &content))),
                    },
                    Content::Enum(id) => {
                        if a.refs.len() == 1 && a.refs[0].1 == *id {
                            continue;
                        }
                        match (&a.values_inner, a.refs.len()) {
                            (_, 1) => edits.push((a.refs[0].0.clone(), escape_text(id))),
                            (Some(r), _) => edits.push((r.clone(), gen.enum_ref(id))),
                            (None, _) => {
                                edits.push((a.whole.clone(), gen.value_element(d, &content)))
                            }
                        }
                    }
                },
            }
        }
        if !inserted.is_empty() {
            let p = &o.prefix;
            if let Some(inner) = &o.values_inner {
                // Before `</VALUES>`, one element a line when the file is laid out so.
                let at = inner.end;
                let text = match indentation(bytes, at) {
                    Some(ind) => {
                        let ind = lossy(ind);
                        let unit = unit(bytes, o, &ind);
                        inserted
                            .iter()
                            .map(|e| format!("{unit}{e}\n{ind}"))
                            .collect::<String>()
                    }
                    None => inserted.concat(),
                };
                edits.push((at..at, text));
            } else if let Some(r) = &o.values_empty {
                edits.push((
                    r.clone(),
                    format!("<{p}VALUES>{}</{p}VALUES>", inserted.concat()),
                ));
            } else if o.self_closing {
                return Err(refusal(
                    o.start_tag.start,
                    format!("SPEC-OBJECT {}", o.ident),
                    "the object is an empty element: it has no TYPE".into(),
                    false,
                ));
            } else {
                let at = o.end_tag;
                let text = match indentation(bytes, at) {
                    Some(ind) => {
                        let ind = lossy(ind);
                        let unit = "  ";
                        format!(
                            "{unit}<{p}VALUES>\n{}{ind}{unit}</{p}VALUES>\n{ind}",
                            inserted
                                .iter()
                                .map(|e| format!("{ind}{unit}{unit}{e}\n"))
                                .collect::<String>()
                        )
                    }
                    None => format!("<{p}VALUES>{}</{p}VALUES>", inserted.concat()),
                };
                edits.push((at..at, text));
            }
        }
        if edits.len() > before {
            match attr_range(bytes, o.start_tag.clone(), b"LAST-CHANGE") {
                Some(r) => edits.push((r, escape_attr(stamp))),
                None => {
                    // After the element's name.
                    let t = &bytes[o.start_tag.clone()];
                    let name_end = t
                        .iter()
                        .position(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
                        .unwrap_or(t.len());
                    let at = o.start_tag.start + name_end;
                    edits.push((at..at, format!(" LAST-CHANGE=\"{}\"", escape_attr(stamp))));
                }
            }
            changed.push(o.ident.clone());
        }
    }
    edits.sort_by_key(|(r, _)| (r.start, r.end));
    let mut out = Vec::with_capacity(bytes.len() + edits.len() * 64);
    let mut at = 0;
    for (r, text) in edits {
        debug_assert!(r.start >= at, "edits do not overlap");
        out.extend_from_slice(&bytes[at..r.start]);
        out.extend_from_slice(text.as_bytes());
        at = r.end;
    }
    out.extend_from_slice(&bytes[at..]);
    Ok(Updated {
        bytes: out,
        changed,
    })
}

/// The indentation step of an object's children: the `VALUES` line's indentation less
/// the object's, else two blanks.
fn unit(bytes: &[u8], o: &ObjAt, values_indent: &str) -> String {
    let object_indent = indentation(bytes, o.start_tag.start).map(lossy);
    match object_indent {
        Some(oi) if values_indent.len() > oi.len() && values_indent.starts_with(&oi) => {
            values_indent[oi.len()..].to_string()
        }
        _ => "  ".into(),
    }
}

mod archive;
mod check;
pub use archive::update_archive;
pub use check::{object_ident, verify, with_writeback_definitions};

#[cfg(test)]
mod tests;
