//! ReqIF (`.reqif`) and ReqIFz (`.reqifz`, a zip of `.reqif` members plus attachments)
//! import.
//!
//! One streaming pass per member with `quick_xml::NsReader` collects datatypes, attribute
//! definitions, spec types, objects, relations, specifications and the DOORS Next
//! `rm:SPEC-OBJECT-EXTENSION`s into raw tables; a second step resolves references across
//! all members and builds [`ReqObject`]s in outline order. ReqIF elements are matched by
//! namespace URI and local name, never by prefix. DTD entities are never expanded (quick-xml
//! does not); the predefined and numeric references are resolved by
//! [`super::xhtml::decode_entities`]. Nothing panics on bad input: problems are `Q001`
//! diagnostics (errors for unreadable input and duplicate identifiers, warnings for
//! dangling references, which keep the object).

use super::xhtml::{decode_entities, to_text};
use super::{fingerprint, AttrValue, Direction, Export, HeadingPath, Link, ReqLocation, ReqObject};
use crate::diag::{Code, Diagnostic, Label, Severity};
use crate::source::{FileId, Span};
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;

/// The ReqIF 1.0 namespace URI.
pub const REQIF_NS: &[u8] = b"http://www.omg.org/spec/ReqIF/20110401/reqif.xsd";
/// Inputs (and the sum of decompressed `.reqif` members) larger than this are refused.
pub const MAX_INPUT: u64 = 256 * 1024 * 1024;

/// Reads a ReqIF file, or a ReqIFz archive (detected by the zip magic `PK\x03\x04`): every
/// .reqif member, merged, references across members resolved.
///
/// The readers (quick-xml, zip) run under [`crate::context::contain_panic`]: a panic inside them
/// is one `Q001` finding, never a crash.
/// Findings and objects inside a ReqIFz member point at the archive, the member named in
/// their message and location ([`import_reqif_members`] locates them in the member).
pub fn import_reqif(file: FileId, bytes: &[u8]) -> (Export, Vec<Diagnostic>) {
    let (export, diags, _) = import_contained(file, bytes, None);
    (export, diags)
}

/// A `.reqif` member of a ReqIFz archive, as read: its name in the archive and its bytes,
/// decompressed.
#[derive(Debug)]
pub struct MemberText {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// [`import_reqif`], with findings and objects inside the `.reqif` members of a ReqIFz
/// located in the members' own text: the k-th member read (in archive order, from 0) is
/// the file `FileId(first_member.0 + k)`, and [`Export::members`] says so. The members
/// read are returned in that order, for the caller to add to its sources under those ids
/// ([`crate::source::SourceDb::add_member`]); a plain ReqIF file returns none. Their bytes
/// are those the import held anyway (moved out, not copied).
pub fn import_reqif_members(
    file: FileId,
    bytes: &[u8],
    first_member: FileId,
) -> (Export, Vec<Diagnostic>, Vec<MemberText>) {
    import_contained(file, bytes, Some(first_member))
}

fn import_contained(
    file: FileId,
    bytes: &[u8],
    first_member: Option<FileId>,
) -> (Export, Vec<Diagnostic>, Vec<MemberText>) {
    crate::context::contain_panic(|| import_with_limit(file, bytes, MAX_INPUT, first_member))
        .unwrap_or_else(|p| {
            let mut st = State::new(file, None);
            st.error_at(
                Span::new(file, 0..0),
                format!(
                    "the requirements export could not be read: the reader failed ({}); please \
                 report it, with the file if you can",
                    p
                ),
            );
            st.finish()
        })
}

/// The names of an archive's members as its central directory lists them, repeats
/// included (the zip reader keeps one member per name, silently). `None` when the
/// directory cannot be found.
fn central_directory_names(bytes: &[u8]) -> Option<Vec<&[u8]>> {
    let u16_at = |at: usize| -> Option<usize> {
        Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?) as usize)
    };
    let u32_at = |at: usize| -> Option<u64> {
        Some(u64::from(u32::from_le_bytes(
            bytes.get(at..at + 4)?.try_into().ok()?,
        )))
    };
    let u64_at = |at: usize| -> Option<u64> {
        Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
    };
    // The end-of-central-directory record, within the last 64 KiB (its comment).
    let lowest = bytes.len().saturating_sub(22 + 65_535);
    let eocd = (lowest..=bytes.len().checked_sub(22)?)
        .rev()
        .find(|&i| bytes[i..i + 4] == [0x50, 0x4B, 0x05, 0x06])?;
    let mut size = u32_at(eocd + 12)?;
    let mut start = u32_at(eocd + 16)?;
    if size == 0xFFFF_FFFF || start == 0xFFFF_FFFF {
        // Zip64: the locator just before points at the zip64 record.
        let locator = eocd.checked_sub(20)?;
        if bytes.get(locator..locator + 4)? != [0x50, 0x4B, 0x06, 0x07] {
            return None;
        }
        let record = usize::try_from(u64_at(locator + 8)?).ok()?;
        if bytes.get(record..record + 4)? != [0x50, 0x4B, 0x06, 0x06] {
            return None;
        }
        size = u64_at(record + 40)?;
        start = u64_at(record + 48)?;
    } else if let Some(s) = (eocd as u64).checked_sub(size) {
        // Data before the archive (a self-extractor) shifts it: trust the record's place.
        start = s;
    }
    let start = usize::try_from(start).ok()?;
    let end = start
        .checked_add(usize::try_from(size).ok()?)?
        .min(bytes.len());
    let mut names = Vec::new();
    let mut at = start;
    while at + 46 <= end && bytes[at..at + 4] == [0x50, 0x4B, 0x01, 0x02] {
        let (n, m, k) = (u16_at(at + 28)?, u16_at(at + 30)?, u16_at(at + 32)?);
        names.push(bytes.get(at + 46..at + 46 + n)?);
        at += 46 + n + m + k;
    }
    Some(names)
}

fn import_with_limit(
    file: FileId,
    bytes: &[u8],
    limit: u64,
    first_member: Option<FileId>,
) -> (Export, Vec<Diagnostic>, Vec<MemberText>) {
    let mut st = State::new(file, first_member);
    if bytes.len() as u64 > limit {
        st.error_at(
            Span::new(file, 0..0),
            format!(
                "the requirements export is {} bytes, more than the limit of {limit} bytes",
                bytes.len()
            ),
        );
        return st.finish();
    }
    let zipped = bytes.starts_with(b"PK\x03\x04");
    if zipped {
        read_zip(&mut st, bytes, limit);
    } else {
        st.members.push(Member::new(None, bytes));
        parse_member(&mut st, 0, bytes);
    }
    let header = st
        .members
        .iter()
        .find_map(|m| super::info::read_header(&m.bytes));
    let (mut export, diags, members) = st.finish();
    export.info.header = header;
    if zipped {
        export.pictures = super::pictures::from_archive(bytes, &export.objects);
    }
    (export, diags, members)
}

fn read_zip(st: &mut State, bytes: &[u8], limit: u64) {
    let file = st.file;
    let mut archive = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(a) => a,
        Err(e) => {
            st.error_at(
                Span::new(file, 0..0),
                format!("not a readable ReqIFz (zip) archive: {e}"),
            );
            return;
        }
    };
    // Two members of one name: the zip reader would keep the last silently; which one
    // is the export is not ours to guess.
    if let Some(names) = central_directory_names(bytes) {
        let mut seen: HashSet<&[u8]> = HashSet::new();
        for name in names {
            let is_reqif =
                name.len() >= 6 && name[name.len() - 6..].eq_ignore_ascii_case(b".reqif");
            if is_reqif && !seen.insert(name) {
                st.error_at(
                    Span::new(file, 0..0),
                    format!(
                        "the ReqIFz archive holds two members named `{}`: which one is the \
                         export is ambiguous, so the archive is not read",
                        String::from_utf8_lossy(name)
                    ),
                );
                return;
            }
        }
    }
    let mut budget = limit;
    let mut found = 0usize;
    for i in 0..archive.len() {
        let mut member = match archive.by_index(i) {
            Ok(m) => m,
            Err(e) => {
                st.error_at(
                    Span::new(file, 0..0),
                    format!("cannot read member {i} of the ReqIFz archive: {e}"),
                );
                continue;
            }
        };
        let name = member.name().to_string();
        if member.is_dir() || !name.to_ascii_lowercase().ends_with(".reqif") {
            continue;
        }
        found += 1;
        let mut data = Vec::new();
        let read = (&mut member).take(budget + 1).read_to_end(&mut data);
        if let Err(e) = read {
            st.error_at(
                Span::new(file, 0..0),
                format!("cannot decompress member `{name}` of the ReqIFz archive: {e}"),
            );
            continue;
        }
        if data.len() as u64 > budget {
            st.error_at(
                Span::new(file, 0..0),
                format!(
                    "member `{name}` of the ReqIFz archive decompresses to more than {limit} \
                     bytes (in total); it was not read"
                ),
            );
            return;
        }
        budget -= data.len() as u64;
        let idx = st.members.len();
        // The member keeps the bytes (moved, not copied); the parse reads them through a
        // second handle while the state records into the member list.
        st.members.push(Member::owned(Some(name), data));
        let bytes = std::sync::Arc::clone(&st.members[idx].bytes);
        parse_member(st, idx, &bytes);
    }
    if found == 0 {
        st.error_at(
            Span::new(file, 0..0),
            "the ReqIFz archive holds no `.reqif` member",
        );
    }
}

// ---------------------------------------------------------------------------------------
// Raw tables

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    String,
    Xhtml,
    Enumeration,
    Integer,
    Real,
    Boolean,
    Date,
}

fn kind_of(suffix: &str) -> Option<Kind> {
    Some(match suffix {
        "STRING" => Kind::String,
        "XHTML" => Kind::Xhtml,
        "ENUMERATION" => Kind::Enumeration,
        "INTEGER" => Kind::Integer,
        "REAL" => Kind::Real,
        "BOOLEAN" => Kind::Boolean,
        "DATE" => Kind::Date,
        _ => return None,
    })
}

/// Where something is: a member and a byte range in it.
#[derive(Debug, Clone, Copy, Default)]
struct Loc {
    member: usize,
    start: usize,
    end: usize,
}

#[derive(Debug, Default)]
struct Datatype {
    enum_values: Vec<(String, String)>,
}

#[derive(Debug)]
struct AttrDef {
    ident: String,
    name: String,
    datatype: Option<String>,
    default: Option<RawValue>,
}

#[derive(Debug, Default)]
struct SpecType {
    name: Option<String>,
    defs: Vec<String>,
}

#[derive(Debug, Clone)]
struct RawValue {
    kind: Kind,
    def: Option<String>,
    the_value: Option<String>,
    xhtml: Option<String>,
    enum_refs: Vec<String>,
    loc: Loc,
}

#[derive(Debug, Default)]
struct RawObject {
    ident: String,
    long_name: Option<String>,
    type_ref: Option<String>,
    values: Vec<RawValue>,
    loc: Loc,
}

#[derive(Debug, Default)]
struct RawRelation {
    type_ref: Option<String>,
    source: Option<String>,
    target: Option<String>,
    values: Vec<RawValue>,
    loc: Loc,
}

#[derive(Debug, Default)]
struct RawSpec {
    ident: String,
    long_name: Option<String>,
    type_ref: Option<String>,
    values: Vec<RawValue>,
}

#[derive(Debug)]
struct Node {
    spec: usize,
    depth: u32,
    object: Option<String>,
    loc: Loc,
}

#[derive(Debug, Default)]
struct Ext {
    object: Option<String>,
    heading: bool,
    core: Option<String>,
}

struct Member {
    name: Option<String>,
    /// Line starts, and character counts every few hundred bytes: a column is counted
    /// from the nearest count, not from its line's start (exports are often one line).
    lines: crate::source::LineIndex,
    /// For columns: the bytes of each line start's line are needed; keep the text
    /// (an archive member's text is then handed to the caller, [`MemberText`]).
    bytes: std::sync::Arc<Vec<u8>>,
}

impl Member {
    fn new(name: Option<String>, bytes: &[u8]) -> Self {
        Member::owned(name, bytes.to_vec())
    }

    fn owned(name: Option<String>, bytes: Vec<u8>) -> Self {
        Member {
            name,
            // Lines and columns as the sources count them (a `\r` alone ends a line too),
            // so a location found here points at the same place in the excerpt.
            lines: crate::source::LineIndex::of_bytes(&bytes),
            bytes: std::sync::Arc::new(bytes),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    fn line_col(&self, offset: usize) -> (usize, usize) {
        let at = self.lines.line_col_bytes(&self.bytes, offset);
        (at.line as usize, at.column as usize)
    }
}

/// The file of the `k`-th member read, the first being `first`.
fn member_file(first: FileId, k: usize) -> FileId {
    FileId(first.0.saturating_add(u32::try_from(k).unwrap_or(u32::MAX)))
}

/// Everything collected from all members, and the diagnostics so far.
struct State {
    file: FileId,
    /// The file id of the first archive member, when members are located in their own
    /// text ([`import_reqif_members`]).
    first_member: Option<FileId>,
    members: Vec<Member>,
    diags: Vec<Diagnostic>,
    datatypes: HashMap<String, Datatype>,
    /// Every enum value IDENTIFIER → its name, for values whose definition is unknown.
    all_enum_values: HashMap<String, String>,
    defs: HashMap<String, AttrDef>,
    spec_types: HashMap<String, SpecType>,
    objects: Vec<RawObject>,
    object_index: HashMap<String, usize>,
    relations: Vec<RawRelation>,
    specs: Vec<RawSpec>,
    nodes: Vec<Node>,
    exts: Vec<Ext>,
}

impl State {
    fn new(file: FileId, first_member: Option<FileId>) -> Self {
        State {
            file,
            first_member,
            members: Vec::new(),
            diags: Vec::new(),
            datatypes: HashMap::new(),
            all_enum_values: HashMap::new(),
            defs: HashMap::new(),
            spec_types: HashMap::new(),
            objects: Vec::new(),
            object_index: HashMap::new(),
            relations: Vec::new(),
            specs: Vec::new(),
            nodes: Vec::new(),
            exts: Vec::new(),
        }
    }

    fn error_at(&mut self, span: Span, message: impl Into<String>) {
        self.diags.push(Diagnostic::new(
            Code::InvalidRequirementExport,
            message,
            Label::new(span, "here"),
        ));
    }

    /// A span and a message suffix for a location: the byte range for a plain file or a
    /// member located in its own text, the member name and line for an archive member
    /// otherwise.
    fn place(&self, loc: Loc) -> (Span, String) {
        match (self.members.get(loc.member), self.first_member) {
            (Some(Member { name: Some(_), .. }), Some(first)) => (
                Span::new(
                    member_file(first, loc.member),
                    loc.start..loc.end.max(loc.start),
                ),
                String::new(),
            ),
            (
                Some(Member {
                    name: Some(name), ..
                }),
                None,
            ) => {
                let (line, col) = self.members[loc.member].line_col(loc.start);
                (
                    Span::new(self.file, 0..0),
                    format!(" (in member `{name}`, line {line}, column {col})"),
                )
            }
            _ => (
                Span::new(self.file, loc.start..loc.end.max(loc.start)),
                String::new(),
            ),
        }
    }

    fn diag(&mut self, loc: Loc, severity: Severity, message: String) {
        let (span, suffix) = self.place(loc);
        self.diags.push(
            Diagnostic::new(
                Code::InvalidRequirementExport,
                format!("{message}{suffix}"),
                Label::new(span, "here"),
            )
            .with_severity(severity),
        );
    }
}

// ---------------------------------------------------------------------------------------
// Streaming pass

/// The parser's context while inside the ReqIF content.
#[derive(Default)]
struct Ctx {
    /// Open elements: (in the ReqIF namespace, local name).
    stack: Vec<(bool, String)>,
    text: String,
    datatype: Option<(String, Kind, Datatype)>,
    spec_type: Option<(String, SpecType)>,
    def: Option<(AttrDef, Loc)>,
    in_default: bool,
    value: Option<RawValue>,
    object: Option<RawObject>,
    relation: Option<RawRelation>,
    spec: Option<RawSpec>,
    node_stack: Vec<usize>,
    tool_ext: usize,
    ext: Option<Ext>,
    seen_root: bool,
}

/// Bytes as text: borrowed when they are valid UTF-8 (checked by `from_utf8`, much faster
/// than `from_utf8_lossy` on the million short names and texts of a large module).
fn lossy(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

fn attr(e: &BytesStart, key: &[u8]) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .map(|a| decode_entities(&lossy(&a.value)))
}

/// The first character in `raw` (text, a tag's attributes, XHTML markup) that XML 1.0
/// does not allow: a control character other than tab, line feed and carriage return,
/// U+FFFE, U+FFFF, written as is or, when `refs`, as a character reference (`&#0;`, and
/// references to surrogates or past U+10FFFF). Its offset in `raw`, its length and what
/// it is.
fn invalid_xml_char(raw: &[u8], refs: bool) -> Option<(usize, usize, String)> {
    // Blocks holding no byte that could start one (a control character, 0xEF, `&`) are
    // skipped by a branch-free test the compiler vectorises: most text has none.
    const BLOCK: usize = 64;
    let could_start = |block: &[u8]| {
        block.iter().fold(0u8, |acc, &b| {
            let control = u8::from(b < 0x20)
                & u8::from(b != b'\t')
                & u8::from(b != b'\n')
                & u8::from(b != b'\r');
            acc | control | u8::from(b == 0xEF) | (u8::from(b == b'&') & u8::from(refs))
        }) != 0
    };
    let mut i = 0;
    while i < raw.len() {
        if i % BLOCK == 0 && !could_start(&raw[i..raw.len().min(i + BLOCK)]) {
            i += BLOCK;
            continue;
        }
        let b = raw[i];
        if b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') {
            return Some((i, 1, format!("the control character U+{b:04X}")));
        }
        if b == 0xEF && raw.get(i + 1) == Some(&0xBF) && matches!(raw.get(i + 2), Some(0xBE | 0xBF))
        {
            let c = if raw[i + 2] == 0xBE { 0xFFFE } else { 0xFFFF };
            return Some((i, 3, format!("the non-character U+{c:04X}")));
        }
        if refs && b == b'&' && raw.get(i + 1) == Some(&b'#') {
            let rest = &raw[i + 2..];
            if let Some(end) = rest.iter().take(12).position(|&c| c == b';') {
                let digits = &rest[..end];
                let value = match digits.first() {
                    Some(b'x' | b'X') => std::str::from_utf8(&digits[1..])
                        .ok()
                        .and_then(|h| u32::from_str_radix(h, 16).ok()),
                    _ => std::str::from_utf8(digits)
                        .ok()
                        .and_then(|d| d.parse().ok()),
                };
                if let Some(v) = value {
                    let allowed = matches!(v, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF);
                    if !allowed {
                        let written = String::from_utf8_lossy(&raw[i..i + 3 + end]).into_owned();
                        return Some((
                            i,
                            3 + end,
                            format!("the character reference `{written}` (U+{v:04X})"),
                        ));
                    }
                }
            }
        }
        i += 1;
    }
    None
}

/// At most this many characters XML 1.0 does not allow are reported per member; one note
/// counts the rest.
const MAX_INVALID_CHARS: usize = 20;

/// The deepest an element may be nested (the root is at depth 1): a SPEC-HIERARCHY level
/// takes two (the hierarchy and its CHILDREN), so about 30,000 heading levels. The XML
/// reader's namespace scopes count levels in 16 bits: past 65,535 they would overflow
/// (a panic, or in a release build namespaces silently lost), so the file stops being
/// read here, with a finding.
pub const MAX_XML_DEPTH: usize = 60_000;

/// Reports a character XML 1.0 does not allow, found in `raw` at `offset` of the member,
/// in `what` (`the text of \`THE-VALUE\``, `the attributes of \`SPEC-OBJECT\``).
fn check_chars(
    st: &mut State,
    member: usize,
    offset: usize,
    raw: &[u8],
    refs: bool,
    what: impl Fn() -> String,
    count: &mut usize,
) {
    let mut rest = raw;
    let mut base = offset;
    while let Some((i, len, found)) = invalid_xml_char(rest, refs) {
        *count += 1;
        if *count <= MAX_INVALID_CHARS {
            st.diag(
                Loc {
                    member,
                    start: base + i,
                    end: base + i + len,
                },
                Severity::Error,
                format!("{found} in {}: XML 1.0 does not allow it", what()),
            );
        } else {
            return;
        }
        rest = &rest[i + len..];
        base += i + len;
    }
}

fn parse_member(st: &mut State, member: usize, bytes: &[u8]) {
    let mut invalid_chars = 0usize;
    let mut reader = NsReader::from_reader(bytes);
    reader.config_mut().trim_text(false);
    let mut cx = Ctx::default();
    loop {
        let before = reader.buffer_position() as usize;
        let (in_ns, event) = match reader.read_resolved_event() {
            Ok((ns, ev)) => (
                matches!(ns, ResolveResult::Bound(n) if n.as_ref() == REQIF_NS),
                ev,
            ),
            Err(e) => {
                let pos = reader.error_position() as usize;
                let what = if cx.seen_root {
                    "the ReqIF file is not well-formed XML"
                } else {
                    "not a ReqIF file: not XML"
                };
                st.diag(
                    Loc {
                        member,
                        start: pos,
                        end: pos,
                    },
                    Severity::Error,
                    format!("{what}: {e}"),
                );
                return;
            }
        };
        let after = reader.buffer_position() as usize;
        // Characters XML 1.0 does not allow: in a tag (names, attribute values and their
        // references), in text (as is or as a reference), in CDATA. (Before the root
        // element, the file is not a ReqIF file at all: said once, below.)
        match &event {
            Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) if !cx.seen_root => {}
            Event::Start(e) | Event::Empty(e) => {
                let what = || format!("the attributes of `{}`", lossy(e.local_name().as_ref()));
                check_chars(
                    st,
                    member,
                    before + 1,
                    e.as_ref(),
                    true,
                    what,
                    &mut invalid_chars,
                );
            }
            Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
                // (where the text starts, its bytes, whether references count)
                let written;
                let (at, raw, refs): (usize, &[u8], bool) = match &event {
                    Event::Text(t) => (before, t.as_ref(), false),
                    Event::CData(t) => (before + 9, t.as_ref(), false),
                    Event::GeneralRef(r) => {
                        written = format!("&{};", lossy(r.as_ref()));
                        (before, written.as_bytes(), true)
                    }
                    _ => unreachable!("matched above"),
                };
                let what = || {
                    format!(
                        "the text of `{}`",
                        cx.stack.last().map_or("", |(_, n)| n.as_str())
                    )
                };
                check_chars(st, member, at, raw, refs, what, &mut invalid_chars);
            }
            _ => {}
        }
        match event {
            Event::Start(e) => {
                let local = lossy(e.local_name().as_ref()).into_owned();
                if cx.stack.len() >= MAX_XML_DEPTH {
                    st.diag(
                        Loc {
                            member,
                            start: before,
                            end: after,
                        },
                        Severity::Error,
                        format!(
                            "`{local}` is nested more than {} elements deep (about {} heading \
                             levels), the most opsplan reads; the file is not read further",
                            MAX_XML_DEPTH,
                            MAX_XML_DEPTH / 2
                        ),
                    );
                    return;
                }
                if !cx.seen_root {
                    cx.seen_root = true;
                    if !(in_ns && local == "REQ-IF") {
                        st.diag(
                            Loc {
                                member,
                                start: before,
                                end: after,
                            },
                            Severity::Error,
                            format!(
                                "not a ReqIF file: the root element is `{}`, not `REQ-IF` in \
                                 the ReqIF namespace",
                                lossy(e.name().as_ref())
                            ),
                        );
                        return;
                    }
                }
                let loc = Loc {
                    member,
                    start: before,
                    end: after,
                };
                // The XHTML value: take its inner markup as is.
                if in_ns
                    && cx.tool_ext == 0
                    && (local == "THE-VALUE" || local == "THE-ORIGINAL-VALUE")
                {
                    let name = e.name().as_ref().to_vec();
                    match reader.read_to_end(quick_xml::name::QName(&name)) {
                        Ok(span) => {
                            let inner = &bytes[span.start as usize..span.end as usize];
                            check_chars(
                                st,
                                member,
                                span.start as usize,
                                inner,
                                true,
                                || format!("the XHTML of `{local}`"),
                                &mut invalid_chars,
                            );
                            if local == "THE-VALUE" {
                                if let Some(v) = cx.value.as_mut() {
                                    let inner = &bytes[span.start as usize..span.end as usize];
                                    v.xhtml = Some(lossy(inner).into_owned());
                                }
                            }
                        }
                        Err(err) => {
                            let pos = reader.error_position() as usize;
                            st.diag(
                                Loc {
                                    member,
                                    start: pos,
                                    end: pos,
                                },
                                Severity::Error,
                                format!("the ReqIF file is not well-formed XML: {err}"),
                            );
                            return;
                        }
                    }
                    continue;
                }
                cx.text.clear();
                start(st, &mut cx, in_ns, &local, &e, loc);
                cx.stack.push((in_ns, local));
            }
            Event::Empty(e) => {
                let local = lossy(e.local_name().as_ref()).into_owned();
                if !cx.seen_root {
                    cx.seen_root = true;
                    st.diag(
                        Loc {
                            member,
                            start: before,
                            end: after,
                        },
                        Severity::Error,
                        "not a ReqIF file: the root element is empty".to_string(),
                    );
                    return;
                }
                let loc = Loc {
                    member,
                    start: before,
                    end: after,
                };
                if in_ns && local == "THE-VALUE" && cx.tool_ext == 0 {
                    if let Some(v) = cx.value.as_mut() {
                        v.xhtml = Some(String::new());
                    }
                    continue;
                }
                cx.text.clear();
                start(st, &mut cx, in_ns, &local, &e, loc);
                cx.stack.push((in_ns, local.clone()));
                end(st, &mut cx, in_ns, &local, after);
                cx.stack.pop();
            }
            Event::End(e) => {
                let local = lossy(e.local_name().as_ref()).into_owned();
                end(st, &mut cx, in_ns, &local, after);
                cx.stack.pop();
                cx.text.clear();
            }
            Event::Text(t) => cx.text.push_str(&lossy(t.as_ref())),
            Event::CData(t) => cx.text.push_str(&lossy(t.as_ref())),
            Event::DocType(d) => {
                // ReqIF files have no DTD. One that declares entities is refused (they are
                // never expanded: a billion-laughs or external-entity file reads as text).
                let body = lossy(d.as_ref());
                if body.contains("<!ENTITY") {
                    st.diag(
                        Loc {
                            member,
                            start: before,
                            end: after,
                        },
                        Severity::Error,
                        "the file has a DOCTYPE that declares entities; ReqIF uses none, and \
                         opsplan never expands them (remove the DOCTYPE)"
                            .to_string(),
                    );
                }
            }
            Event::GeneralRef(r) => {
                let name = lossy(r.as_ref()).into_owned();
                cx.text.push_str(&decode_entities(&format!("&{name};")));
            }
            Event::Eof => {
                if !cx.seen_root {
                    st.diag(
                        Loc {
                            member,
                            start: 0,
                            end: 0,
                        },
                        Severity::Error,
                        "not a ReqIF file: no root element".to_string(),
                    );
                } else if let Some((_, open)) = cx.stack.last() {
                    st.diag(
                        Loc {
                            member,
                            start: after,
                            end: after,
                        },
                        Severity::Error,
                        format!("the ReqIF file is truncated: `{open}` is not closed"),
                    );
                }
                if invalid_chars > MAX_INVALID_CHARS {
                    let rest = invalid_chars - MAX_INVALID_CHARS;
                    st.diag(
                        Loc {
                            member,
                            start: 0,
                            end: 0,
                        },
                        Severity::Note,
                        format!(
                            "{rest} more character{} XML 1.0 does not allow {} not shown \
                             (at most {MAX_INVALID_CHARS} are reported per file)",
                            if rest == 1 { "" } else { "s" },
                            if rest == 1 { "is" } else { "are" }
                        ),
                    );
                }
                break;
            }
            _ => {}
        }
    }
}

fn start(st: &mut State, cx: &mut Ctx, in_ns: bool, local: &str, e: &BytesStart, loc: Loc) {
    if local == "TOOL-EXTENSIONS" && in_ns {
        cx.tool_ext += 1;
    }
    if cx.tool_ext > 0 {
        if local == "SPEC-OBJECT-EXTENSION" {
            cx.ext = Some(Ext::default());
        }
        return;
    }
    if !in_ns {
        return;
    }
    let ident = || attr(e, b"IDENTIFIER").unwrap_or_default();
    if let Some(suffix) = local.strip_prefix("DATATYPE-DEFINITION-") {
        if let Some(kind) = kind_of(suffix) {
            cx.datatype = Some((ident(), kind, Datatype::default()));
        }
    } else if local == "ENUM-VALUE" {
        if let Some((_, _, dt)) = cx.datatype.as_mut() {
            let id = ident();
            let name = attr(e, b"LONG-NAME").unwrap_or_else(|| id.clone());
            dt.enum_values.push((id, name));
        }
    } else if matches!(
        local,
        "SPEC-OBJECT-TYPE" | "SPECIFICATION-TYPE" | "SPEC-RELATION-TYPE" | "RELATION-GROUP-TYPE"
    ) {
        cx.spec_type = Some((
            ident(),
            SpecType {
                name: attr(e, b"LONG-NAME"),
                defs: Vec::new(),
            },
        ));
    } else if let Some(suffix) = local.strip_prefix("ATTRIBUTE-DEFINITION-") {
        if kind_of(suffix).is_some() {
            let id = ident();
            cx.def = Some((
                AttrDef {
                    name: attr(e, b"LONG-NAME").unwrap_or_else(|| id.clone()),
                    ident: id,
                    datatype: None,
                    default: None,
                },
                loc,
            ));
        }
    } else if local == "DEFAULT-VALUE" {
        cx.in_default = true;
    } else if let Some(suffix) = local.strip_prefix("ATTRIBUTE-VALUE-") {
        if let Some(kind) = kind_of(suffix) {
            cx.value = Some(RawValue {
                kind,
                def: None,
                the_value: attr(e, b"THE-VALUE"),
                xhtml: None,
                enum_refs: Vec::new(),
                loc,
            });
        }
    } else if local == "SPEC-OBJECT" {
        cx.object = Some(RawObject {
            ident: ident(),
            long_name: attr(e, b"LONG-NAME"),
            loc,
            ..Default::default()
        });
    } else if local == "SPEC-RELATION" {
        cx.relation = Some(RawRelation {
            loc,
            ..Default::default()
        });
    } else if local == "SPECIFICATION" {
        cx.spec = Some(RawSpec {
            ident: ident(),
            long_name: attr(e, b"LONG-NAME"),
            ..Default::default()
        });
    } else if local == "SPEC-HIERARCHY" {
        st.nodes.push(Node {
            spec: st.specs.len(),
            depth: cx.node_stack.len() as u32 + 1,
            object: None,
            loc,
        });
        cx.node_stack.push(st.nodes.len() - 1);
    }
}

fn end(st: &mut State, cx: &mut Ctx, in_ns: bool, local: &str, after: usize) {
    let parent = cx
        .stack
        .len()
        .checked_sub(2)
        .map(|i| cx.stack[i].1.as_str())
        .unwrap_or("");
    let text = cx.text.trim().to_string();
    if cx.tool_ext > 0 {
        match local {
            "TOOL-EXTENSIONS" if in_ns => cx.tool_ext -= 1,
            "SPEC-OBJECT-REF" if parent == "SPEC-OBJECT-EXTENSION" => {
                if let Some(x) = cx.ext.as_mut() {
                    x.object = Some(text);
                }
            }
            "HEADING" if parent == "SPEC-OBJECT-EXTENSION" => {
                if let Some(x) = cx.ext.as_mut() {
                    x.heading = text.eq_ignore_ascii_case("true");
                }
            }
            "CORE-SPEC-OBJECT-REF" if parent == "SPEC-OBJECT-EXTENSION" => {
                if let Some(x) = cx.ext.as_mut() {
                    x.core = Some(text);
                }
            }
            "SPEC-OBJECT-EXTENSION" => {
                if let Some(x) = cx.ext.take() {
                    st.exts.push(x);
                }
            }
            _ => {}
        }
        return;
    }
    if !in_ns {
        return;
    }
    if local.starts_with("DATATYPE-DEFINITION-") && local.ends_with("-REF") {
        if let Some((d, _)) = cx.def.as_mut() {
            d.datatype = Some(text);
        }
    } else if let Some(suffix) = local.strip_prefix("DATATYPE-DEFINITION-") {
        if kind_of(suffix).is_some() {
            if let Some((id, _, dt)) = cx.datatype.take() {
                for (v, n) in &dt.enum_values {
                    st.all_enum_values.insert(v.clone(), n.clone());
                }
                st.datatypes.entry(id).or_insert(dt);
            }
        }
    } else if local.starts_with("ATTRIBUTE-DEFINITION-") && local.ends_with("-REF") {
        if let Some(v) = cx.value.as_mut() {
            v.def = Some(text);
        }
    } else if let Some(suffix) = local.strip_prefix("ATTRIBUTE-DEFINITION-") {
        if kind_of(suffix).is_some() {
            if let Some((d, loc)) = cx.def.take() {
                if let Some((_, t)) = cx.spec_type.as_mut() {
                    t.defs.push(d.ident.clone());
                }
                if let Some(old) = st.defs.get(&d.ident) {
                    if old.name != d.name {
                        st.diag(
                            loc,
                            Severity::Error,
                            format!("duplicate attribute definition identifier `{}`", d.ident),
                        );
                    }
                } else {
                    st.defs.insert(d.ident.clone(), d);
                }
            }
        }
    } else if local == "DEFAULT-VALUE" {
        cx.in_default = false;
    } else if local == "ENUM-VALUE-REF" {
        if let Some(v) = cx.value.as_mut() {
            v.enum_refs.push(text);
        }
    } else if let Some(suffix) = local.strip_prefix("ATTRIBUTE-VALUE-") {
        if kind_of(suffix).is_some() {
            if let Some(mut v) = cx.value.take() {
                v.loc.end = after;
                if cx.in_default {
                    if let Some((d, _)) = cx.def.as_mut() {
                        d.default = Some(v);
                    }
                } else if let Some(o) = cx.object.as_mut() {
                    o.values.push(v);
                } else if let Some(r) = cx.relation.as_mut() {
                    r.values.push(v);
                } else if let Some(s) = cx.spec.as_mut() {
                    s.values.push(v);
                }
            }
        }
    } else if local.ends_with("-TYPE-REF") && parent == "TYPE" {
        if let Some(o) = cx.object.as_mut() {
            o.type_ref = Some(text);
        } else if let Some(r) = cx.relation.as_mut() {
            r.type_ref = Some(text);
        } else if let Some(s) = cx.spec.as_mut() {
            s.type_ref = Some(text);
        }
    } else if local == "SPEC-OBJECT-REF" {
        match parent {
            "SOURCE" => {
                if let Some(r) = cx.relation.as_mut() {
                    r.source = Some(text);
                }
            }
            "TARGET" => {
                if let Some(r) = cx.relation.as_mut() {
                    r.target = Some(text);
                }
            }
            "OBJECT" => {
                if let Some(&n) = cx.node_stack.last() {
                    st.nodes[n].object = Some(text);
                }
            }
            _ => {}
        }
    } else if matches!(
        local,
        "SPEC-OBJECT-TYPE" | "SPECIFICATION-TYPE" | "SPEC-RELATION-TYPE" | "RELATION-GROUP-TYPE"
    ) {
        if let Some((id, t)) = cx.spec_type.take() {
            st.spec_types.entry(id).or_insert(t);
        }
    } else if local == "SPEC-OBJECT" {
        if let Some(mut o) = cx.object.take() {
            o.loc.end = after;
            if st.object_index.contains_key(&o.ident) {
                st.diag(
                    o.loc,
                    Severity::Error,
                    format!(
                        "duplicate SPEC-OBJECT identifier `{}`: the later object is ignored",
                        o.ident
                    ),
                );
            } else {
                st.object_index.insert(o.ident.clone(), st.objects.len());
                st.objects.push(o);
            }
        }
    } else if local == "SPEC-RELATION" {
        if let Some(mut r) = cx.relation.take() {
            r.loc.end = after;
            st.relations.push(r);
        }
    } else if local == "SPECIFICATION" {
        if let Some(s) = cx.spec.take() {
            st.specs.push(s);
        }
        cx.node_stack.clear();
    } else if local == "SPEC-HIERARCHY" {
        if let Some(n) = cx.node_stack.pop() {
            st.nodes[n].loc.end = after;
        }
    }
}

// ---------------------------------------------------------------------------------------
// Resolution

/// One resolved attribute value of an object.
struct Val {
    name: String,
    value: AttrValue,
}

const ID_NAMES: &[&str] = &[
    "id",
    "identifier",
    "requirementid",
    "documentkey",
    "objectidentifier",
    "reqid",
    "requirementidentifier",
];
const TEXT_NAMES: &[&str] = &[
    "objecttext",
    "primarytext",
    "text",
    "description",
    "richtext",
    "plaintext",
    "reqifdescription",
    "content",
];
const TITLE_NAMES: &[&str] = &["title", "name", "shorttext", "objectshorttext", "summary"];
const HEADING_NAMES: &[&str] = &["objectheading", "heading", "chaptername", "headline"];

fn says_heading(s: &str) -> bool {
    let s = s.to_ascii_lowercase();
    ["heading", "headline", "chapter", "section"]
        .iter()
        .any(|w| s.contains(w))
}

impl State {
    fn resolve_value(&mut self, v: &RawValue, owner_def: Option<&str>) -> Option<Val> {
        let def_id = v.def.as_deref().or(owner_def);
        let def = def_id.and_then(|d| self.defs.get(d));
        let (name, datatype) = match (def, def_id) {
            (Some(d), _) => (d.name.clone(), d.datatype.clone()),
            (None, Some(id)) => {
                let id = id.to_string();
                self.diag(
                    v.loc,
                    Severity::Warning,
                    format!("reference to an undefined attribute definition `{id}`"),
                );
                (id, None)
            }
            (None, None) => {
                self.diag(
                    v.loc,
                    Severity::Warning,
                    "attribute value without a DEFINITION".to_string(),
                );
                return None;
            }
        };
        let raw = v.the_value.clone().unwrap_or_default();
        let value = match v.kind {
            Kind::String => AttrValue::Text(raw),
            Kind::Xhtml => AttrValue::Text(to_text(v.xhtml.as_deref().unwrap_or(&raw))),
            Kind::Integer => match raw.trim().parse::<i64>() {
                Ok(i) => AttrValue::Integer(i),
                Err(_) => AttrValue::Text(raw),
            },
            Kind::Real => match raw.trim().parse::<f64>() {
                Ok(r) => AttrValue::Real(r),
                Err(_) => AttrValue::Text(raw),
            },
            Kind::Boolean => match raw.trim() {
                "true" | "1" => AttrValue::Bool(true),
                "false" | "0" => AttrValue::Bool(false),
                _ => AttrValue::Text(raw),
            },
            Kind::Date => AttrValue::Date(raw.trim().to_string()),
            Kind::Enumeration => {
                let mut names = Vec::new();
                for r in &v.enum_refs {
                    let own = datatype
                        .as_ref()
                        .and_then(|d| self.datatypes.get(d))
                        .and_then(|d| d.enum_values.iter().find(|(id, _)| id == r))
                        .map(|(_, n)| n.clone());
                    match own.or_else(|| self.all_enum_values.get(r).cloned()) {
                        Some(n) => names.push(n),
                        None => {
                            self.diag(
                                v.loc,
                                Severity::Warning,
                                format!("reference to an undefined enumeration value `{r}`"),
                            );
                            names.push(r.clone());
                        }
                    }
                }
                AttrValue::Enum(names)
            }
        };
        Some(Val { name, value })
    }

    /// An owner's values, resolved, with its type's defaults for the missing ones.
    fn resolve_values(&mut self, values: &[RawValue], type_ref: Option<&str>) -> Vec<Val> {
        let mut out = Vec::new();
        let mut given = HashSet::new();
        for v in values {
            if let Some(d) = &v.def {
                given.insert(d.clone());
            }
            if let Some(val) = self.resolve_value(v, None) {
                out.push(val);
            }
        }
        let defaults: Vec<(String, RawValue)> = type_ref
            .and_then(|t| self.spec_types.get(t))
            .map(|t| {
                t.defs
                    .iter()
                    .filter(|d| !given.contains(*d))
                    .filter_map(|d| {
                        let def = self.defs.get(d)?;
                        Some((d.clone(), def.default.clone()?))
                    })
                    .collect()
            })
            .unwrap_or_default();
        for (d, v) in defaults {
            if let Some(val) = self.resolve_value(&v, Some(&d)) {
                out.push(val);
            }
        }
        out
    }

    /// Whether the export marks headings by type or by a kind enumeration.
    fn heading_signal(&self, used_types: &HashSet<String>) -> bool {
        let by_type = used_types.iter().any(|t| {
            self.spec_types
                .get(t)
                .and_then(|t| t.name.as_deref())
                .is_some_and(says_heading)
        });
        let by_kind = self.defs.values().any(|d| {
            matches!(
                super::attribute_key(&d.name).as_str(),
                "kind" | "type" | "artifacttype" | "category"
            ) && d
                .datatype
                .as_ref()
                .and_then(|dt| self.datatypes.get(dt))
                .is_some_and(|dt| dt.enum_values.iter().any(|(_, n)| says_heading(n)))
        });
        by_type || by_kind
    }

    fn type_name(&self, type_ref: Option<&str>) -> Option<String> {
        type_ref
            .and_then(|t| self.spec_types.get(t))
            .and_then(|t| t.name.clone())
    }

    fn finish(mut self) -> (Export, Vec<Diagnostic>, Vec<MemberText>) {
        let file = self.file;
        // Specifications: module names and id prefixes.
        let specs = std::mem::take(&mut self.specs);
        let mut modules = Vec::new();
        let mut specifications = Vec::new();
        for s in &specs {
            let vals = self.resolve_values(&s.values, s.type_ref.as_deref());
            let find = |n: &str| {
                vals.iter()
                    .find(|v| v.name == n)
                    .map(|v| v.value.display().trim().to_string())
                    .filter(|v| !v.is_empty())
            };
            let prefix = find("ReqIF.Prefix");
            let name = s
                .long_name
                .clone()
                .filter(|n| !n.trim().is_empty())
                .or_else(|| find("ReqIF.Name"))
                .or_else(|| prefix.clone())
                .unwrap_or_else(|| s.ident.clone());
            specifications.push(super::info::Specification {
                name: name.clone(),
                baseline: vals
                    .iter()
                    .filter(|v| super::info::is_baseline_attribute(&v.name))
                    .map(|v| (v.name.clone(), super::info::value(&v.value.display())))
                    .collect(),
            });
            modules.push((name, prefix));
        }
        // Where each object sits first in a hierarchy.
        let mut placed: Vec<Option<usize>> = vec![None; self.objects.len()];
        let mut order: Vec<(usize, Option<usize>)> = Vec::new(); // (object, node)
        let nodes = std::mem::take(&mut self.nodes);
        for (ni, n) in nodes.iter().enumerate() {
            let Some(obj) = &n.object else { continue };
            match self.object_index.get(obj) {
                Some(&oi) => {
                    if placed[oi].is_none() {
                        placed[oi] = Some(ni);
                        order.push((oi, Some(ni)));
                    }
                }
                None => {
                    let obj = obj.clone();
                    self.diag(
                        n.loc,
                        Severity::Warning,
                        format!("SPEC-HIERARCHY refers to an undefined SPEC-OBJECT `{obj}`"),
                    );
                }
            }
        }
        for (oi, p) in placed.iter().enumerate() {
            if p.is_none() {
                order.push((oi, None));
            }
        }
        let headings_ext: HashSet<String> = self
            .exts
            .iter()
            .filter(|x| x.heading)
            .filter_map(|x| x.object.clone())
            .collect();
        let core_map: HashMap<String, String> = self
            .exts
            .iter()
            .filter_map(|x| Some((x.core.clone()?, x.object.clone()?)))
            .collect();

        // Headings: when the export marks them explicitly (a heading type, rm:HEADING, a
        // kind enumeration with a Heading/Section value), a chapter name is only a title
        // (Polarion, ReqView); otherwise (DOORS Classic) a set chapter name makes a heading.
        let chapter_means_heading =
            !self.heading_signal(&raw_objects_types(&self.objects)) && headings_ext.is_empty();
        // Build the objects.
        let raw_objects = std::mem::take(&mut self.objects);
        let mut built: Vec<Option<ReqObject>> = vec![None; raw_objects.len()];
        let mut out_order = Vec::new();
        // Heading stack per pass: (spec, depth, the path down to and with that heading).
        let mut stack: Vec<(usize, u32, HeadingPath)> = Vec::new();
        for (oi, node) in order {
            let o = &raw_objects[oi];
            if o.type_ref.is_some()
                && !self
                    .spec_types
                    .contains_key(o.type_ref.as_deref().unwrap_or(""))
            {
                let t = o.type_ref.clone().unwrap_or_default();
                self.diag(
                    o.loc,
                    Severity::Warning,
                    format!(
                        "SPEC-OBJECT `{}` refers to an undefined type `{t}`",
                        o.ident
                    ),
                );
            }
            let vals = self.resolve_values(&o.values, o.type_ref.as_deref());
            let type_name = self.type_name(o.type_ref.as_deref());
            let (spec, level) = match node {
                Some(ni) => (Some(nodes[ni].spec), Some(nodes[ni].depth)),
                None => (None, None),
            };
            let (module, prefix) = match spec.and_then(|s| modules.get(s)) {
                Some((m, p)) => (Some(m.clone()), p.clone()),
                None => (None, None),
            };
            let mut obj = build_object(
                o,
                vals,
                type_name,
                prefix,
                headings_ext.contains(&o.ident),
                chapter_means_heading,
            );
            obj.module = module;
            obj.level = level;
            if let (Some(s), Some(d)) = (spec, level) {
                while stack.last().is_some_and(|(ss, dd, _)| *ss != s || *dd >= d) {
                    stack.pop();
                }
                obj.path = stack.last().map(|(_, _, p)| p.clone()).unwrap_or_default();
                if obj.is_heading {
                    let h = obj.heading.clone().unwrap_or_else(|| obj.text.clone());
                    let inner = obj.path.child(h);
                    stack.push((s, d, inner));
                }
            }
            let member = &self.members[o.loc.member];
            let (line, column) = member.line_col(o.loc.start);
            obj.location = ReqLocation::Xml {
                element: format!("SPEC-OBJECT {}", o.ident),
                line,
                column,
                member: member.name.clone(),
            };
            built[oi] = Some(obj);
            out_order.push(oi);
        }

        // Links.
        let cited: HashMap<String, String> = raw_objects
            .iter()
            .enumerate()
            .filter_map(|(i, o)| Some((o.ident.clone(), built[i].as_ref()?.id.clone())))
            .collect();
        let resolve_end = |id: &str| -> Option<usize> {
            self.object_index
                .get(id)
                .or_else(|| core_map.get(id).and_then(|m| self.object_index.get(m)))
                .copied()
        };
        let relations = std::mem::take(&mut self.relations);
        let mut dangling = 0;
        let mut pending = Vec::new();
        for r in &relations {
            let kind = match r.type_ref.as_deref() {
                Some(t) => match self.spec_types.get(t) {
                    Some(ty) => ty.name.clone().unwrap_or_else(|| t.to_string()),
                    None => {
                        pending.push((
                            r.loc,
                            format!("SPEC-RELATION refers to an undefined relation type `{t}`"),
                        ));
                        t.to_string()
                    }
                },
                None => "relation".to_string(),
            };
            let (Some(src), Some(tgt)) = (r.source.as_deref(), r.target.as_deref()) else {
                pending.push((r.loc, "SPEC-RELATION without SOURCE or TARGET".to_string()));
                continue;
            };
            let s = resolve_end(src);
            let t = resolve_end(tgt);
            if s.is_some() && s == t && src != tgt {
                // A DOORS Next module object embedding its own core artifact.
                continue;
            }
            if s.is_none() || t.is_none() {
                dangling += 1;
            }
            let name_of = |i: Option<usize>, raw: &str| match i {
                Some(i) => cited
                    .get(&raw_objects[i].ident)
                    .cloned()
                    .unwrap_or_else(|| raw.to_string()),
                None => raw.to_string(),
            };
            if let Some(si) = s {
                if let Some(o) = built[si].as_mut() {
                    o.links.push(Link {
                        kind: kind.clone(),
                        target: name_of(t, tgt),
                        direction: Direction::Out,
                        resolved: t.is_some(),
                    });
                }
            }
            if let Some(ti) = t {
                if let Some(o) = built[ti].as_mut() {
                    o.links.push(Link {
                        kind: kind.clone(),
                        target: name_of(s, src),
                        direction: Direction::In,
                        resolved: s.is_some(),
                    });
                }
            }
        }
        for (loc, m) in pending {
            self.diag(loc, Severity::Warning, m);
        }
        let objects = out_order
            .into_iter()
            .filter_map(|i| built[i].take())
            .collect();
        let mut members = Vec::new();
        let mut texts = Vec::new();
        if let Some(first) = self.first_member {
            for (k, m) in std::mem::take(&mut self.members).into_iter().enumerate() {
                if let Some(name) = m.name {
                    members.push((name.clone(), member_file(first, k)));
                    texts.push(MemberText {
                        name,
                        bytes: std::sync::Arc::try_unwrap(m.bytes)
                            .unwrap_or_else(|shared| shared.as_ref().clone()),
                    });
                }
            }
        }
        (
            Export {
                file: Some(file),
                objects,
                dangling_links: dangling,
                members,
                info: super::info::ExportInfo {
                    header: None,
                    specifications,
                },
                pictures: Default::default(),
            },
            self.diags,
            texts,
        )
    }
}

fn raw_objects_types(objects: &[RawObject]) -> HashSet<String> {
    objects.iter().filter_map(|o| o.type_ref.clone()).collect()
}

fn build_object(
    o: &RawObject,
    vals: Vec<Val>,
    type_name: Option<String>,
    prefix: Option<String>,
    ext_heading: bool,
    chapter_means_heading: bool,
) -> ReqObject {
    let find_exact = |n: &str| vals.iter().position(|v| v.name == n);
    // Each value's name normalised once, not once per name looked for.
    let keys: Vec<String> = vals.iter().map(|v| super::attribute_key(&v.name)).collect();
    let find_norm = |names: &[&str]| names.iter().find_map(|n| keys.iter().position(|k| k == n));
    let nonempty = |i: Option<usize>| i.filter(|&i| !vals[i].value.display().trim().is_empty());
    let mut used = HashSet::new();

    // Id.
    let mut id = None;
    if let Some(i) = nonempty(find_exact("ReqIF.ForeignID")) {
        // A number (DOORS Classic's absolute number, a DOORS Next artifact number) stays
        // an attribute too: the key a spreadsheet write-back is matched by
        // (`trace::writeback`). Text ids are the id alone.
        if !matches!(vals[i].value, AttrValue::Integer(_)) {
            used.insert(i);
        }
        id = Some(match &vals[i].value {
            AttrValue::Integer(n) => match &prefix {
                Some(p) if p.ends_with(['-', '_', '.', ' ']) => format!("{p}{n}"),
                Some(p) => format!("{p}-{n}"),
                None => n.to_string(),
            },
            v => v.display().trim().to_string(),
        });
    }
    if id.is_none() {
        if let Some(i) = nonempty(find_norm(ID_NAMES)) {
            used.insert(i);
            id = Some(vals[i].value.display().trim().to_string());
        }
    }
    let id = id.unwrap_or_else(|| o.ident.clone());

    // Text.
    let text_i = nonempty(find_exact("ReqIF.Text")).or_else(|| nonempty(find_norm(TEXT_NAMES)));
    let text_i = text_i.inspect(|&i| {
        used.insert(i);
    });
    let text = text_i.map(|i| vals[i].value.display()).unwrap_or_default();
    // Heading.
    let chapter_i =
        nonempty(find_exact("ReqIF.ChapterName")).or_else(|| nonempty(find_norm(HEADING_NAMES)));
    let name_i = nonempty(find_exact("ReqIF.Name")).or_else(|| nonempty(find_norm(TITLE_NAMES)));
    let kind_heading = vals.iter().zip(&keys).any(|(v, k)| {
        matches!(k.as_str(), "kind" | "type" | "artifacttype" | "category")
            && matches!(&v.value, AttrValue::Enum(e) if e.iter().any(|x| says_heading(x)))
    });
    let is_heading = (chapter_means_heading && chapter_i.is_some())
        || ext_heading
        || kind_heading
        || type_name.as_deref().is_some_and(says_heading);
    let heading = if let Some(i) = chapter_i {
        used.insert(i);
        Some(vals[i].value.display())
    } else if let Some(i) = name_i {
        used.insert(i);
        Some(vals[i].value.display())
    } else if is_heading && !text.is_empty() {
        Some(text.clone())
    } else {
        o.long_name.clone().filter(|n| !n.trim().is_empty())
    };

    // Without a text-like name (RMF test files), the first other plain or rich text (never
    // a write-back attribute's: writing one back must not change what the object says).
    let text = if text_i.is_none() {
        match vals.iter().enumerate().position(|(i, v)| {
            !used.contains(&i)
                && !v.name.starts_with("ReqIF.")
                && !super::reqif_update::WRITEBACK_NAMES.contains(&v.name.as_str())
                && matches!(&v.value, AttrValue::Text(t) if !t.trim().is_empty())
        }) {
            Some(i) => {
                used.insert(i);
                vals[i].value.display()
            }
            None => text,
        }
    } else {
        text
    };

    let mut attributes = BTreeMap::new();
    for (i, v) in vals.into_iter().enumerate() {
        if !used.contains(&i) {
            attributes.insert(v.name, v.value);
        }
    }
    super::artifact_type::expose(&mut attributes, &keys, type_name.as_deref());
    let fp = fingerprint(&id, heading.as_deref(), &text);
    ReqObject {
        id,
        is_heading,
        heading,
        text,
        level: None,
        path: HeadingPath::default(),
        module: None,
        attributes,
        links: Vec::new(),
        location: ReqLocation::Xml {
            element: String::new(),
            line: 0,
            column: 0,
            member: None,
        },
        fingerprint: fp,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: &str = "http://www.omg.org/spec/ReqIF/20110401/reqif.xsd";

    fn corpus(name: &str) -> (Export, Vec<Diagnostic>) {
        let path = crate::reqs::corpus_path(&format!("reqif/{name}"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "corpus file {} is missing or unreadable ({e}); set OPSPLAN_CORPUS or put shared/corpus beside the project",
                path.display()
            )
        });
        import_reqif(FileId(7), &bytes)
    }

    fn errors(diags: &[Diagnostic]) -> Vec<&str> {
        diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.message.as_str())
            .collect()
    }

    fn obj<'a>(ex: &'a Export, id: &str) -> &'a ReqObject {
        ex.objects
            .iter()
            .find(|o| o.id == id)
            .unwrap_or_else(|| panic!("no object {id}"))
    }

    fn headings(ex: &Export) -> usize {
        ex.objects.iter().filter(|o| o.is_heading).count()
    }

    fn text(s: &str) -> AttrValue {
        AttrValue::Text(s.to_string())
    }

    /// Every file of the corpus directory is covered by a test below.
    #[test]
    fn every_corpus_file_is_tested() {
        let dir = crate::reqs::corpus_path("reqif");
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .expect("corpus directory")
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        let known = [
            "doors9_multi_module_user_export_2018.reqif",
            "doorsng_702_stk_module_with_images.reqifz",
            "doorsng_fragment_escaped_xhtml.reqif",
            "fmstudio_datatype_demo.reqif",
            "polarion_live_doc_anonymized.reqif",
            "pror_rmf_software_requirements_spec.reqif",
            "reqif_if_TC1200_rmf_reference.reqif",
            "reqif_if_TC1700_rmf_reference.reqifz",
            "reqview_2_21_demo_needs.reqif",
            "rmf_TC1300_short_namespace_prefix.reqif",
        ];
        assert_eq!(names, known);
        for n in known {
            let (ex, diags) = corpus(n);
            assert!(!ex.objects.is_empty(), "{n}");
            // Only the DOORS Next fragment (no datatypes, types or definitions) warns.
            if n != "doorsng_fragment_escaped_xhtml.reqif" {
                assert!(diags.is_empty(), "{n}: {diags:?}");
            }
            assert!(errors(&diags).is_empty(), "{n}: {diags:?}");
            for o in &ex.objects {
                assert_eq!(
                    o.fingerprint,
                    fingerprint(&o.id, o.heading.as_deref(), &o.text)
                );
                assert!(matches!(&o.location, ReqLocation::Xml { line, .. } if *line > 0));
            }
        }
    }

    #[test]
    fn doors_classic_multi_module() {
        let (ex, diags) = corpus("doors9_multi_module_user_export_2018.reqif");
        assert!(diags.is_empty(), "{diags:?}");
        // The file holds one specification (module) with three heading objects.
        assert_eq!(ex.objects.len(), 3);
        assert_eq!(headings(&ex), 3);
        assert_eq!(ex.dangling_links, 0);
        let ids: Vec<&str> = ex.objects.iter().map(|o| o.id.as_str()).collect();
        // Prefix `AMR-REF-` (module attribute, XHTML) + ReqIF.ForeignID (INTEGER).
        assert_eq!(ids, ["AMR-REF-1", "AMR-REF-2", "AMR-REF-3"]);
        let o = obj(&ex, "AMR-REF-1");
        assert!(o.is_heading);
        assert_eq!(o.heading.as_deref(), Some("Carbon Trust Standard"));
        assert_eq!(o.module.as_deref(), Some("AMR Standards Documents"));
        assert_eq!(o.level, Some(1));
        assert!(o.path.is_empty());
        // XHTML "String" attributes read as text; the enum by IDENTIFIER (KEYs are all 0).
        assert_eq!(o.attributes["ReqIF.ForeignCreatedBy"], text("susan"));
        assert_eq!(
            o.attributes["ReqIF.ForeignCreatedThru"],
            AttrValue::Enum(vec!["Manual Input".into()])
        );
        assert_eq!(
            o.attributes["ReqIF.ForeignCreatedOn"],
            AttrValue::Date("2011-07-01T00:00:00".into())
        );
        // The number stays as an attribute: the key of a spreadsheet write-back.
        assert_eq!(o.attributes["ReqIF.ForeignID"], AttrValue::Integer(1));
        match &o.location {
            ReqLocation::Xml {
                element,
                line,
                column,
                member: None,
            } => {
                assert!(element.starts_with("SPEC-OBJECT _1_"), "{element}");
                assert_eq!((*line, *column), (3772, 9));
            }
            l => panic!("{l:?}"),
        }
    }

    #[test]
    fn doors_next_reqifz_with_images() {
        let (ex, diags) = corpus("doorsng_702_stk_module_with_images.reqifz");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(ex.objects.len(), 93);
        assert_eq!(headings(&ex), 21);
        // 18 Satisfaction, 7 Artifact Term Reference, 1 Link end outside the module.
        assert_eq!(ex.dangling_links, 26);
        let intro = obj(&ex, "4448");
        assert!(intro.is_heading);
        assert_eq!(intro.heading.as_deref(), Some("Introduction"));
        assert_eq!(intro.level, Some(1));
        let purpose = obj(&ex, "4429");
        assert!(purpose.is_heading);
        assert_eq!(purpose.path.labels(), ["Introduction"]);
        let r = obj(&ex, "4594");
        assert!(!r.is_heading);
        assert_eq!(r.text, "ANSI 1252 Latin 1 for CSV Export");
        assert_eq!(
            r.module.as_deref(),
            Some("AMR Stakeholder Requirements Specification")
        );
        assert_eq!(
            r.attributes["Artifact Format"],
            AttrValue::Enum(vec!["Text".into()])
        );
        match &r.location {
            ReqLocation::Xml {
                element, member, ..
            } => {
                assert!(element.starts_with("SPEC-OBJECT _"), "{element}");
                assert_eq!(member.as_deref(), Some("Requirements.reqif"));
            }
            l => panic!("{l:?}"),
        }
        let img = obj(&ex, "4276");
        assert!(img.text.contains("[object: _26dceceb"), "{}", img.text);
        let sat: Vec<&Link> = ex
            .objects
            .iter()
            .flat_map(|o| &o.links)
            .filter(|l| l.kind == "Satisfaction")
            .collect();
        assert_eq!(sat.len(), 18);
        assert!(sat
            .iter()
            .all(|l| l.direction == Direction::In && !l.resolved));
    }

    #[test]
    fn doors_next_fragment_without_definitions() {
        // Genuinely partial: a fragment whose types and definitions are not in the file.
        let (ex, diags) = corpus("doorsng_fragment_escaped_xhtml.reqif");
        assert!(errors(&diags).is_empty(), "{diags:?}");
        assert!(diags.iter().any(|d| d.message.contains("undefined type")));
        assert!(diags
            .iter()
            .any(|d| d.message.contains("undefined attribute definition")));
        assert_eq!(ex.objects.len(), 1);
        // Escaped markup stays text.
        assert_eq!(ex.objects[0].text, "<FOOOOO> BAR");
        assert_eq!(ex.objects[0].level, None);
    }

    #[test]
    fn fmstudio_all_datatypes() {
        let (ex, _) = corpus("fmstudio_datatype_demo.reqif");
        assert_eq!(ex.objects.len(), 3);
        let o = obj(&ex, "REQ-1");
        assert_eq!(
            o.attributes["Enum_Multi"],
            AttrValue::Enum(vec!["One".into(), "Two".into(), "Three".into()])
        );
        assert_eq!(
            o.attributes["Enum_Single"],
            AttrValue::Enum(vec!["Two".into()])
        );
        assert_eq!(o.attributes["Int"], AttrValue::Integer(10));
        assert_eq!(o.attributes["Real"], AttrValue::Real(1.6));
        assert_eq!(o.attributes["Bool"], AttrValue::Bool(true));
        assert!(matches!(&o.attributes["Date"], AttrValue::Date(d) if d.starts_with("2017-01-01")));
        assert!(o.text.starts_with("This is the demo file"));
        assert_eq!(obj(&ex, "REQ-2").attributes["Int"], AttrValue::Integer(6));
    }

    #[test]
    fn polarion_live_doc() {
        let (ex, diags) = corpus("polarion_live_doc_anonymized.reqif");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(ex.objects.len(), 101);
        // A "Heading" type: ChapterName on the other types is only their title.
        assert_eq!(headings(&ex), 42);
        let h = &ex.objects[0];
        assert_eq!(h.id, "...Anonymized-1567910156...");
        assert!(h.is_heading);
        assert_eq!(h.heading.as_deref(), Some("...Anonymized-8302745742..."));
        assert_eq!(h.module.as_deref(), Some("sample"));
        let r = obj(&ex, "...Anonymized-1890729041...");
        assert!(!r.is_heading);
        assert_eq!(r.heading.as_deref(), Some("...Anonymized-8651603154..."));
        assert_eq!(r.text, "...Anonymized-2087513185...");
        assert_eq!(r.level, Some(3));
        assert_eq!(r.path.len(), 2);
        assert!(
            matches!(&r.attributes["ReqIF.ForeignCreatedOn"], AttrValue::Date(d) if d.ends_with("-07:00"))
        );
    }

    #[test]
    fn pror_spec() {
        let (ex, _) = corpus("pror_rmf_software_requirements_spec.reqif");
        assert_eq!(ex.objects.len(), 61);
        assert_eq!(headings(&ex), 26);
        let h = obj(&ex, "sws_0005");
        assert!(h.is_heading);
        assert_eq!(h.heading.as_deref(), Some("Functional Requirements"));
        let r = obj(&ex, "sws_13");
        assert_eq!(r.heading.as_deref(), Some("Support XHTML entities"));
        assert!(
            r.text
                .starts_with("RMF shall translate XHTML entities such as '&ouml;'"),
            "{}",
            r.text
        );
        assert_eq!(
            r.path.labels(),
            ["Functional and Data Requirements", "Data Requirements"]
        );
    }

    #[test]
    fn columns_on_one_long_line_count_characters_from_blocks() {
        let text = "é".repeat(1500) + "x";
        let m = Member::new(None, text.as_bytes());
        assert_eq!(m.line_col(3000), (1, 1501));
        assert_eq!(m.line_col(1024), (1, 513));
        let text = format!("ab\n{}", "é".repeat(600));
        let m = Member::new(None, text.as_bytes());
        assert_eq!(m.line_col(3 + 2 * 520), (2, 521));
        assert_eq!(m.line_col(1), (1, 2));
    }

    #[test]
    fn tc1200_xhtml_subset() {
        let (ex, _) = corpus("reqif_if_TC1200_rmf_reference.reqif");
        assert_eq!(ex.objects.len(), 44);
        let o = obj(&ex, "ID_TC1200_SpecObject_xhtml.p.type");
        assert_eq!(o.text, "xhtml.p.type");
        assert!(
            matches!(&o.attributes["TC1200 AttributeDefinitionXHTML"], AttrValue::Text(t) if t.starts_with("text before br\ntext after br"))
        );
    }

    #[test]
    fn tc1700_relation_in_another_member() {
        let (ex, diags) = corpus("reqif_if_TC1700_rmf_reference.reqifz");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(ex.objects.len(), 2);
        assert_eq!(ex.dangling_links, 0);
        let o = obj(&ex, "ID_TC1700_SpecObject1");
        assert_eq!(o.text, "Requirement 1");
        assert_eq!(
            o.links,
            [Link {
                kind: "TC 1700 SpecRelationType".into(),
                target: "ID_TC1700_SpecObject2".into(),
                direction: Direction::Out,
                resolved: true,
            }]
        );
        assert_eq!(
            obj(&ex, "ID_TC1700_SpecObject2").links[0].direction,
            Direction::In
        );
    }

    #[test]
    fn corpus_reqifz_objects_are_located_in_their_member() {
        for (name, members) in [
            (
                "doorsng_702_stk_module_with_images.reqifz",
                &["Requirements.reqif"][..],
            ),
            ("reqif_if_TC1700_rmf_reference.reqifz", &[][..]),
        ] {
            let path = crate::reqs::corpus_path(&format!("reqif/{name}"));
            let bytes = std::fs::read(&path).unwrap();
            let (ex, diags, texts) = import_reqif_members(FileId(7), &bytes, FileId(8));
            assert!(diags.is_empty(), "{name}: {diags:?}");
            if !members.is_empty() {
                let names: Vec<&str> = texts.iter().map(|t| t.name.as_str()).collect();
                assert_eq!(names, members, "{name}");
            }
            assert_eq!(ex.members.len(), texts.len());
            let files = ex.member_files();
            for o in &ex.objects {
                let ReqLocation::Xml {
                    line,
                    column,
                    member: Some(m),
                    ..
                } = &o.location
                else {
                    panic!("{name}: {:?}", o.location)
                };
                let file = ex.file_of(&files, &o.location).unwrap();
                let k = (file.0 - 8) as usize;
                assert_eq!(&texts[k].name, m, "{name}");
                let text = std::str::from_utf8(&texts[k].bytes).unwrap();
                let index = crate::source::LineIndex::new(text);
                let at = index.offset_of(text, line - 1, *column);
                let tag = text[at..].trim_start_matches('<');
                let element = tag.split([' ', '>', '/', '\t', '\r', '\n']).next().unwrap();
                assert!(
                    element.rsplit(':').next() == Some("SPEC-OBJECT"),
                    "{name}: {} at {line}:{column}: {}",
                    o.id,
                    &text[at..(at + 40).min(text.len())]
                );
            }
        }
    }

    #[test]
    fn reqview_sections() {
        let (ex, _) = corpus("reqview_2_21_demo_needs.reqif");
        assert_eq!(ex.objects.len(), 54);
        assert_eq!(headings(&ex), 6);
        let s = obj(&ex, "NEEDS-64");
        assert!(s.is_heading);
        assert_eq!(s.heading.as_deref(), Some("Purpose"));
        let r = obj(&ex, "NEEDS-67");
        assert!(!r.is_heading);
        assert_eq!(r.path.labels(), ["Introduction", "Purpose"]);
        assert_eq!(
            r.attributes["Type"],
            AttrValue::Enum(vec!["Information".into()])
        );
        assert!(r.text.starts_with("The main purpose of this document"));
        assert!(obj(&ex, "NEEDS-45").text.contains("©"));
    }

    #[test]
    fn short_namespace_prefix() {
        let (ex, diags) = corpus("rmf_TC1300_short_namespace_prefix.reqif");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(ex.objects.len(), 2);
        let o = obj(&ex, "ID_TC1300_SpecObject1");
        assert_eq!(o.text, "Requirement 1");
        assert_eq!(o.module.as_deref(), Some("ID_TC1300_Specification"));
        assert_eq!(o.links.len(), 1);
        assert_eq!(o.links[0].kind, "TC 1300 SpecRelationType");
        assert!(o.links[0].resolved);
    }

    // --- inline inputs -------------------------------------------------------------

    /// A small DOORS-Classic-like document; `objects` are SPEC-OBJECT elements.
    fn doc(prefix_decl: &str, objects: &str, extra: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
{prefix_decl}<REQ-IF xmlns="{NS}"><CORE-CONTENT><REQ-IF-CONTENT>
<DATATYPES>
 <DATATYPE-DEFINITION-INTEGER IDENTIFIER="dt-int" LONG-NAME="Integer"/>
 <DATATYPE-DEFINITION-XHTML IDENTIFIER="dt-x" LONG-NAME="String"/>
 <DATATYPE-DEFINITION-ENUMERATION IDENTIFIER="dt-e"><SPECIFIED-VALUES>
  <ENUM-VALUE IDENTIFIER="ev-1" LONG-NAME="High"><PROPERTIES><EMBEDDED-VALUE KEY="0" OTHER-CONTENT="Navy"/></PROPERTIES></ENUM-VALUE>
  <ENUM-VALUE IDENTIFIER="ev-2" LONG-NAME="Low"><PROPERTIES><EMBEDDED-VALUE KEY="0" OTHER-CONTENT="Red"/></PROPERTIES></ENUM-VALUE>
 </SPECIFIED-VALUES></DATATYPE-DEFINITION-ENUMERATION>
</DATATYPES>
<SPEC-TYPES>
 <SPEC-OBJECT-TYPE IDENTIFIER="t"><SPEC-ATTRIBUTES>
  <ATTRIBUTE-DEFINITION-INTEGER IDENTIFIER="t_ABS" LONG-NAME="ReqIF.ForeignID"><TYPE><DATATYPE-DEFINITION-INTEGER-REF>dt-int</DATATYPE-DEFINITION-INTEGER-REF></TYPE></ATTRIBUTE-DEFINITION-INTEGER>
  <ATTRIBUTE-DEFINITION-XHTML IDENTIFIER="t_TEXT" LONG-NAME="ReqIF.Text"><TYPE><DATATYPE-DEFINITION-XHTML-REF>dt-x</DATATYPE-DEFINITION-XHTML-REF></TYPE></ATTRIBUTE-DEFINITION-XHTML>
  <ATTRIBUTE-DEFINITION-XHTML IDENTIFIER="t_HEAD" LONG-NAME="ReqIF.ChapterName"><TYPE><DATATYPE-DEFINITION-XHTML-REF>dt-x</DATATYPE-DEFINITION-XHTML-REF></TYPE></ATTRIBUTE-DEFINITION-XHTML>
  <ATTRIBUTE-DEFINITION-ENUMERATION IDENTIFIER="t_PRIO" LONG-NAME="Priority" MULTI-VALUED="false"><DEFAULT-VALUE><ATTRIBUTE-VALUE-ENUMERATION><DEFINITION><ATTRIBUTE-DEFINITION-ENUMERATION-REF>t_PRIO</ATTRIBUTE-DEFINITION-ENUMERATION-REF></DEFINITION><VALUES><ENUM-VALUE-REF>ev-2</ENUM-VALUE-REF></VALUES></ATTRIBUTE-VALUE-ENUMERATION></DEFAULT-VALUE><TYPE><DATATYPE-DEFINITION-ENUMERATION-REF>dt-e</DATATYPE-DEFINITION-ENUMERATION-REF></TYPE></ATTRIBUTE-DEFINITION-ENUMERATION>
 </SPEC-ATTRIBUTES></SPEC-OBJECT-TYPE>
 <SPECIFICATION-TYPE IDENTIFIER="st"><SPEC-ATTRIBUTES>
  <ATTRIBUTE-DEFINITION-XHTML IDENTIFIER="st_PREFIX-DOORS-MODULE" LONG-NAME="ReqIF.Prefix"><TYPE><DATATYPE-DEFINITION-XHTML-REF>dt-x</DATATYPE-DEFINITION-XHTML-REF></TYPE></ATTRIBUTE-DEFINITION-XHTML>
 </SPEC-ATTRIBUTES></SPECIFICATION-TYPE>
 <SPEC-RELATION-TYPE IDENTIFIER="rt" LONG-NAME="satisfies"/>
</SPEC-TYPES>
<SPEC-OBJECTS>{objects}</SPEC-OBJECTS>
<SPECIFICATIONS><SPECIFICATION IDENTIFIER="s1" LONG-NAME="Ops Reqs"><TYPE><SPECIFICATION-TYPE-REF>st</SPECIFICATION-TYPE-REF></TYPE>
 <VALUES><ATTRIBUTE-VALUE-XHTML><DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>st_PREFIX-DOORS-MODULE</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION><THE-VALUE><xhtml:div xmlns:xhtml="http://www.w3.org/1999/xhtml">OPS</xhtml:div></THE-VALUE></ATTRIBUTE-VALUE-XHTML></VALUES>
 <CHILDREN><SPEC-HIERARCHY IDENTIFIER="h1"><OBJECT><SPEC-OBJECT-REF>o1</SPEC-OBJECT-REF></OBJECT>
   <CHILDREN><SPEC-HIERARCHY IDENTIFIER="h2"><OBJECT><SPEC-OBJECT-REF>o2</SPEC-OBJECT-REF></OBJECT></SPEC-HIERARCHY></CHILDREN>
 </SPEC-HIERARCHY></CHILDREN></SPECIFICATION></SPECIFICATIONS>
{extra}
</REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>
"#
        )
    }

    fn spec_object(id: &str, abs: i64, head: &str, body: &str) -> String {
        format!(
            r#"<SPEC-OBJECT IDENTIFIER="{id}"><TYPE><SPEC-OBJECT-TYPE-REF>t</SPEC-OBJECT-TYPE-REF></TYPE><VALUES>
<ATTRIBUTE-VALUE-INTEGER THE-VALUE="{abs}"><DEFINITION><ATTRIBUTE-DEFINITION-INTEGER-REF>t_ABS</ATTRIBUTE-DEFINITION-INTEGER-REF></DEFINITION></ATTRIBUTE-VALUE-INTEGER>
<ATTRIBUTE-VALUE-XHTML><THE-VALUE><div xmlns="http://www.w3.org/1999/xhtml">{head}</div></THE-VALUE><DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>t_HEAD</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION></ATTRIBUTE-VALUE-XHTML>
<ATTRIBUTE-VALUE-XHTML><DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>t_TEXT</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION><THE-VALUE><div xmlns="http://www.w3.org/1999/xhtml">{body}</div></THE-VALUE></ATTRIBUTE-VALUE-XHTML>
</VALUES></SPEC-OBJECT>"#
        )
    }

    fn two_objects() -> String {
        spec_object("o1", 1, "Power", "")
            + &spec_object("o2", 7, "", "The unit &amp; the bus shall start&#160;up.")
    }

    #[test]
    fn synthetic_doors_classic_document() {
        let rel = r#"<SPEC-RELATIONS><SPEC-RELATION IDENTIFIER="r1"><TYPE><SPEC-RELATION-TYPE-REF>rt</SPEC-RELATION-TYPE-REF></TYPE>
<SOURCE><SPEC-OBJECT-REF>o2</SPEC-OBJECT-REF></SOURCE><TARGET><SPEC-OBJECT-REF>ext-9</SPEC-OBJECT-REF></TARGET></SPEC-RELATION>
<SPEC-RELATION IDENTIFIER="r2"><TARGET><SPEC-OBJECT-REF>o1</SPEC-OBJECT-REF></TARGET><SOURCE><SPEC-OBJECT-REF>o2</SPEC-OBJECT-REF></SOURCE><TYPE><SPEC-RELATION-TYPE-REF>rt</SPEC-RELATION-TYPE-REF></TYPE></SPEC-RELATION></SPEC-RELATIONS>"#;
        let xml = doc("", &two_objects(), rel);
        let (ex, diags) = import_reqif(FileId(1), xml.as_bytes());
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(ex.objects.len(), 2);
        let h = &ex.objects[0];
        assert_eq!(h.id, "OPS-1");
        assert!(h.is_heading);
        assert_eq!(h.heading.as_deref(), Some("Power"));
        assert_eq!(h.module.as_deref(), Some("Ops Reqs"));
        let r = &ex.objects[1];
        assert_eq!(r.id, "OPS-7");
        assert!(!r.is_heading);
        assert_eq!(r.text, "The unit & the bus shall start up.");
        assert_eq!(r.level, Some(2));
        assert_eq!(r.path.labels(), ["Power"]);
        // The default value applies when the object has none.
        assert_eq!(
            r.attributes["Priority"],
            AttrValue::Enum(vec!["Low".into()])
        );
        assert_eq!(ex.dangling_links, 1);
        assert_eq!(
            r.links,
            [
                Link {
                    kind: "satisfies".into(),
                    target: "ext-9".into(),
                    direction: Direction::Out,
                    resolved: false
                },
                Link {
                    kind: "satisfies".into(),
                    target: "OPS-1".into(),
                    direction: Direction::Out,
                    resolved: true
                },
            ]
        );
        assert_eq!(
            h.links,
            [Link {
                kind: "satisfies".into(),
                target: "OPS-7".into(),
                direction: Direction::In,
                resolved: true
            }]
        );
        // Location: the SPEC-OBJECT element's line.
        let ReqLocation::Xml {
            element,
            line,
            column,
            member: None,
        } = &r.location
        else {
            panic!()
        };
        assert_eq!(element, "SPEC-OBJECT o2");
        let off = xml.find(r#"<SPEC-OBJECT IDENTIFIER="o2""#).unwrap();
        assert_eq!(*line, xml[..off].matches('\n').count() + 1);
        assert_eq!(*column, off - xml[..off].rfind('\n').unwrap());
    }

    #[test]
    fn prefix_other_than_reqif_is_matched_by_namespace() {
        let xml = doc("", &two_objects(), "")
            .replace("<REQ-IF xmlns=", "<q:REQ-IF xmlns:q=")
            .replace("</REQ-IF>", "</q:REQ-IF>");
        // Only the root carries the prefix; the rest stays in no namespace and is ignored.
        let (ex, diags) = import_reqif(FileId(1), xml.as_bytes());
        assert!(errors(&diags).is_empty(), "{diags:?}");
        assert!(ex.objects.is_empty());
        // A root with the right name in the wrong namespace is not ReqIF.
        let wrong = doc("", "", "").replace(NS, "urn:other");
        let (ex, diags) = import_reqif(FileId(1), wrong.as_bytes());
        assert!(ex.objects.is_empty());
        assert!(errors(&diags)[0].contains("not a ReqIF file"), "{diags:?}");
    }

    #[test]
    fn billion_laughs_is_not_expanded() {
        let dtd = r#"<!DOCTYPE REQ-IF [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
"#;
        let objects = spec_object("o1", 1, "", "&lol9; &xxe;") + &spec_object("o2", 2, "", "x");
        let xml = doc(dtd, &objects, "");
        let (ex, diags) = import_reqif(FileId(1), xml.as_bytes());
        // Refused with a located error, never expanded; the objects are still read.
        assert_eq!(errors(&diags).len(), 1, "{diags:?}");
        assert!(errors(&diags)[0].contains("DOCTYPE that declares entities"));
        assert_eq!(
            diags[0].primary.span.start as usize,
            xml.find("<!DOCTYPE").unwrap()
        );
        assert_eq!(ex.objects[0].text, "&lol9; &xxe;");
    }

    #[test]
    fn garbage_and_truncated_input_give_diagnostics() {
        for bytes in [
            &b"\x00\x01\xff\xfegarbage"[..],
            b"",
            b"<<<>>>",
            b"<?xml version=\"1.0\"?><html/>",
            b"PK\x03\x04 not really a zip",
        ] {
            let (ex, diags) = import_reqif(FileId(3), bytes);
            assert!(ex.objects.is_empty());
            assert_eq!(errors(&diags).len(), 1, "{bytes:?}: {diags:?}");
            assert_eq!(diags[0].code, Code::InvalidRequirementExport);
        }
        let xml = doc("", &two_objects(), "");
        let cut = xml.find(r#"<SPEC-OBJECT IDENTIFIER="o2""#).unwrap() + 40;
        let (ex, diags) = import_reqif(FileId(3), &xml.as_bytes()[..cut]);
        assert_eq!(ex.objects.len(), 1, "what was read is kept");
        let errs = errors(&diags);
        assert_eq!(errs.len(), 1, "{diags:?}");
        assert!(
            errs[0].contains("truncated") || errs[0].contains("well-formed"),
            "{errs:?}"
        );
        let mismatched = xml.replace("</SPEC-OBJECTS>", "</SPEC-OBJECT-S>");
        let (_, diags) = import_reqif(FileId(3), mismatched.as_bytes());
        let d = diags
            .iter()
            .find(|d| d.severity == Severity::Error)
            .unwrap();
        assert!(d.message.contains("well-formed"), "{d:?}");
        assert!(d.primary.span.start > 0);
    }

    #[test]
    fn duplicates_and_dangling_references() {
        let objects = two_objects()
            + &spec_object("o1", 3, "", "again")
            + r#"<SPEC-OBJECT IDENTIFIER="o4"><TYPE><SPEC-OBJECT-TYPE-REF>nope</SPEC-OBJECT-TYPE-REF></TYPE><VALUES>
<ATTRIBUTE-VALUE-ENUMERATION><DEFINITION><ATTRIBUTE-DEFINITION-ENUMERATION-REF>t_PRIO</ATTRIBUTE-DEFINITION-ENUMERATION-REF></DEFINITION><VALUES><ENUM-VALUE-REF>ev-1</ENUM-VALUE-REF><ENUM-VALUE-REF>ev-404</ENUM-VALUE-REF></VALUES></ATTRIBUTE-VALUE-ENUMERATION>
<ATTRIBUTE-VALUE-STRING THE-VALUE="v"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>missing-def</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>
</VALUES></SPEC-OBJECT>"#;
        let xml = doc("", &objects, "");
        let (ex, diags) = import_reqif(FileId(2), xml.as_bytes());
        let errs = errors(&diags);
        assert_eq!(errs.len(), 1, "{diags:?}");
        assert!(errs[0].contains("duplicate SPEC-OBJECT identifier `o1`"));
        let dup = diags
            .iter()
            .find(|d| d.severity == Severity::Error)
            .unwrap();
        let span = dup.primary.span.range();
        assert!(xml[span].starts_with(r#"<SPEC-OBJECT IDENTIFIER="o1">"#));
        for w in [
            "undefined type `nope`",
            "undefined enumeration value `ev-404`",
            "undefined attribute definition `missing-def`",
        ] {
            assert!(
                diags
                    .iter()
                    .any(|d| d.severity == Severity::Warning && d.message.contains(w)),
                "{w}: {diags:?}"
            );
        }
        // Objects are kept: o1, o2 in the hierarchy, o4 after them.
        let ids: Vec<&str> = ex.objects.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["OPS-1", "OPS-7", "o4"]);
        let o4 = &ex.objects[2];
        assert_eq!(o4.level, None);
        assert_eq!(
            o4.attributes["Priority"],
            AttrValue::Enum(vec!["High".into(), "ev-404".into()])
        );
        // With no text-like attribute, the only plain text value is the text.
        assert_eq!(o4.text, "v");
    }

    fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in members {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn reqifz_members_are_merged_and_capped() {
        let xml = doc("", &two_objects(), "");
        let rel = format!(
            r#"<REQ-IF xmlns="{NS}"><CORE-CONTENT><REQ-IF-CONTENT><SPEC-RELATIONS><SPEC-RELATION IDENTIFIER="r"><TYPE><SPEC-RELATION-TYPE-REF>rt</SPEC-RELATION-TYPE-REF></TYPE><SOURCE><SPEC-OBJECT-REF>o1</SPEC-OBJECT-REF></SOURCE><TARGET><SPEC-OBJECT-REF>o2</SPEC-OBJECT-REF></TARGET></SPEC-RELATION></SPEC-RELATIONS></REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>"#
        );
        let z = zip_of(&[
            ("a.reqif", xml.as_bytes()),
            ("media/pic", b"\x89PNG"),
            ("b.REQIF", rel.as_bytes()),
        ]);
        let (ex, diags) = import_reqif(FileId(4), &z);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(ex.objects.len(), 2);
        assert_eq!(ex.objects[0].links[0].target, "OPS-7");
        assert!(ex.objects[0].links[0].resolved);
        let ReqLocation::Xml {
            element, member, ..
        } = &ex.objects[0].location
        else {
            panic!()
        };
        assert_eq!(element, "SPEC-OBJECT o1");
        assert_eq!(member.as_deref(), Some("a.reqif"));
        assert!(ex.members.is_empty(), "members located in the archive");

        // A bomb-like member: 4 MiB of blanks compress to a few KiB; the cap is 1 MiB.
        let mut big = xml.clone().into_bytes();
        big.extend(std::iter::repeat_n(b' ', 4 << 20));
        let z = zip_of(&[("bomb.reqif", &big)]);
        assert!(z.len() < 64 * 1024);
        let (ex, diags, _) = import_with_limit(FileId(4), &z, 1 << 20, None);
        assert!(ex.objects.is_empty());
        assert_eq!(errors(&diags).len(), 1);
        assert!(diags[0].message.contains("bomb.reqif"), "{diags:?}");
        assert_eq!(diags[0].primary.span, Span::new(FileId(4), 0..0));
        // Input over the limit is refused before parsing.
        let (_, diags, _) = import_with_limit(FileId(4), xml.as_bytes(), 100, None);
        assert!(errors(&diags)[0].contains("limit"));
        // No .reqif member.
        let (_, diags) = import_reqif(FileId(4), &zip_of(&[("README", b"hi")]));
        assert!(errors(&diags)[0].contains("no `.reqif` member"));
        // Problems in a member name it and its line.
        let bad = zip_of(&[("m.reqif", b"<REQ-IF xmlns=\"urn:x\"/>")]);
        let (_, diags) = import_reqif(FileId(4), &bad);
        assert!(
            diags[0].message.contains("member `m.reqif`, line 1"),
            "{diags:?}"
        );
    }

    #[test]
    fn reqifz_members_can_be_located_in_their_own_text() {
        // Two members: objects in the first, a relation and a bad reference in the
        // second; then a member that is not XML.
        let xml = doc("", &two_objects(), "");
        let rel = format!(
            "<REQ-IF xmlns=\"{NS}\"><CORE-CONTENT><REQ-IF-CONTENT>\n<SPEC-RELATIONS>\n  <SPEC-RELATION IDENTIFIER=\"r\"><TYPE><SPEC-RELATION-TYPE-REF>nope</SPEC-RELATION-TYPE-REF></TYPE><SOURCE><SPEC-OBJECT-REF>o1</SPEC-OBJECT-REF></SOURCE><TARGET><SPEC-OBJECT-REF>o2</SPEC-OBJECT-REF></TARGET></SPEC-RELATION></SPEC-RELATIONS></REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>"
        );
        let z = zip_of(&[
            ("a.reqif", xml.as_bytes()),
            ("media/pic", b"\x89PNG"),
            ("b.reqif", rel.as_bytes()),
            ("c.reqif", b"\n\nnot xml <"),
        ]);
        let (ex, diags, members) = import_reqif_members(FileId(4), &z, FileId(9));
        let names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["a.reqif", "b.reqif", "c.reqif"]);
        assert_eq!(members[0].bytes, xml.as_bytes());
        assert_eq!(
            ex.members,
            [
                ("a.reqif".to_string(), FileId(9)),
                ("b.reqif".to_string(), FileId(10)),
                ("c.reqif".to_string(), FileId(11)),
            ]
        );
        // The object: its line and column in the member, the member named.
        let o = &ex.objects[0];
        let ReqLocation::Xml {
            line,
            column,
            member,
            ..
        } = &o.location
        else {
            panic!("{:?}", o.location)
        };
        assert_eq!(member.as_deref(), Some("a.reqif"));
        let at = xml.find("<SPEC-OBJECT ").unwrap();
        let line_start = xml[..at].rfind('\n').map_or(0, |i| i + 1);
        assert_eq!(
            (*line, *column),
            (xml[..at].matches('\n').count() + 1, at - line_start + 1)
        );
        assert_eq!(ex.file_of(&ex.member_files(), &o.location), Some(FileId(9)));
        // Findings: in the member's file, at the bytes, no suffix naming the member.
        let undefined = diags
            .iter()
            .find(|d| d.message.contains("undefined relation type"))
            .unwrap();
        assert_eq!(undefined.primary.span.file, FileId(10));
        assert!(
            !undefined.message.contains("member"),
            "{}",
            undefined.message
        );
        assert!(rel[undefined.primary.span.range()].starts_with("<SPEC-RELATION "));
        assert!(
            diags.iter().any(|d| d.primary.span.file == FileId(11)
                && d.severity == Severity::Error
                && !d.message.contains("member")),
            "{diags:?}"
        );
        // A plain file has no member.
        let (ex, _, members) = import_reqif_members(FileId(4), xml.as_bytes(), FileId(9));
        assert!(members.is_empty() && ex.members.is_empty());
        assert_eq!(
            ex.file_of(&ex.member_files(), &ex.objects[0].location),
            Some(FileId(4))
        );
    }

    #[test]
    fn doors_next_heading_extension_and_core_refs() {
        let objects = spec_object("o1", 1, "", "Title") + &spec_object("o2", 2, "", "Body");
        let ext = r#"<SPEC-RELATIONS><SPEC-RELATION IDENTIFIER="r"><TYPE><SPEC-RELATION-TYPE-REF>rt</SPEC-RELATION-TYPE-REF></TYPE><SOURCE><SPEC-OBJECT-REF>core-2</SPEC-OBJECT-REF></SOURCE><TARGET><SPEC-OBJECT-REF>o1</SPEC-OBJECT-REF></TARGET></SPEC-RELATION></SPEC-RELATIONS>
</REQ-IF-CONTENT></CORE-CONTENT><TOOL-EXTENSIONS><REQ-IF-TOOL-EXTENSION><rm:SPEC-OBJECT-EXTENSIONS xmlns:rm="http://www.ibm.com/rm">
<rm:SPEC-OBJECT-EXTENSION><SPEC-OBJECT-REF>o1</SPEC-OBJECT-REF><rm:HEADING>true</rm:HEADING><rm:CORE-SPEC-OBJECT-REF>core-1</rm:CORE-SPEC-OBJECT-REF></rm:SPEC-OBJECT-EXTENSION>
<rm:SPEC-OBJECT-EXTENSION><SPEC-OBJECT-REF>o2</SPEC-OBJECT-REF><rm:CORE-SPEC-OBJECT-REF>core-2</rm:CORE-SPEC-OBJECT-REF><![CDATA[<div>x</div>]]></rm:SPEC-OBJECT-EXTENSION>
<rm:X><SPEC-OBJECT><VALUES/></SPEC-OBJECT></rm:X>
</rm:SPEC-OBJECT-EXTENSIONS></REQ-IF-TOOL-EXTENSION></TOOL-EXTENSIONS><CORE-CONTENT><REQ-IF-CONTENT>"#;
        let xml = doc("", &objects, ext);
        let (ex, diags) = import_reqif(FileId(5), xml.as_bytes());
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(ex.objects.len(), 2);
        let h = &ex.objects[0];
        assert!(h.is_heading, "rm:HEADING marks the heading");
        assert_eq!(h.heading.as_deref(), Some("Title"));
        assert_eq!(ex.objects[1].path.labels(), ["Title"]);
        assert_eq!(
            h.links[0].target, "OPS-2",
            "core artifact ref resolves to the module object"
        );
        assert!(h.links[0].resolved);
    }
}
