//! Requirements from tables: CSV, and XLSX/XLS/ODS workbooks (read with `calamine`).
//!
//! # Columns
//!
//! A table has a **header row** naming its columns, then one object per row, in document
//! order. In a CSV file the header is the first row that names an id column and a text (or
//! heading) column, within the first [`HEADER_SEARCH_ROWS`] rows; in a workbook the same
//! search runs on the chosen sheet (or, with no sheet named, on each sheet in turn until one
//! has a header row), so title rows above the header are skipped.
//!
//! [`ColumnMap`] names the columns; where it names none, a column is found by the aliases
//! below. A header matches an alias when they agree after dropping case, blanks and
//! punctuation (`In-links`, `Inlinks` and `in links` are the same).
//!
//! | role | aliases, by priority |
//! |---|---|
//! | id | [`ID_ALIASES`]: `Object Identifier`, `Identifier`, `ID`, `Absolute Number`, `Req ID`, … |
//! | text | [`TEXT_ALIASES`]: `Object Text`, `Primary Text`, `Text`, `ReqIF.Text`, `Description` |
//! | heading / title | [`HEADING_ALIASES`]: `Object Heading`, `Heading`, `Title`, `Name`, … |
//! | level | [`LEVEL_ALIASES`]: `Object Level`, `Level`, `Outline Level` |
//! | outline number (levels when there is no level column) | [`OUTLINE_ALIASES`]: `Object Number`, `Outline Number` |
//! | kind | [`KIND_ALIASES`]: `Artifact Type`, `oslc:instanceShape`, `Object Type`, `Type` |
//! | module | [`MODULE_ALIASES`]: `Module`, `Module Name` |
//! | links | [`LINK_ALIASES`] (`In-links`, `Out-links`, `Link To`, `Satisfies`, …) plus [`ColumnMap::links`] |
//!
//! A column named in [`ColumnMap`] is matched first exactly (trimmed, any case), then the
//! lenient way.
//!
//! # Objects
//!
//! - **id**: the id cell; a number stored as a number reads as an integer (`12`, not `12.0`).
//!   With [`ColumnMap::prefix`], a bare number gets the module prefix (`SRS` and `12` give
//!   `SRS-12`; a prefix ending in `-`, `_`, `.` or `:` is used as it is). A row without an id
//!   is reported and skipped; rows whose cells are all empty are skipped silently.
//! - **text**: a cell holding XHTML (DOORS Next `Primary Text`, `<div xmlns=…>`) is converted
//!   with [`super::xhtml::to_text`]; OOXML escapes (`_x000D_`) and CR LF become line breaks;
//!   an escape of a character XML 1.0 does not allow (`_x0000_`) reads as U+FFFD.
//! - **heading**: an object is a heading when its kind contains `Heading` (DOORS Next), or,
//!   when the table has no kind column, when it has a heading and no text (DOORS Classic).
//! - **level**: the level cell, a whole number, or a DOORS outline number where a level was
//!   expected (`2.3.1` is level 3, `1.0-1` a text object under heading 1, level 2; see
//!   [`super::outline`]); without a level column, the outline number of an `Object Number`
//!   column. A cell that is neither is reported (a warning) and the object has no level.
//! - **path**: with a level (or outline number) column, the headings above the object by
//!   level; without one, the last heading before it.
//! - **attributes**: every other column with a non-empty cell, typed: integer, real, `true`
//!   / `false`, a date (ISO 8601, `dd.mm.yyyy`, `dd/mm/yyyy`, or a workbook date cell) → [`AttrValue::Date`],
//!   a Python-style list (`['A', 'B']`, as OSLC dumps write multi-valued enums) →
//!   [`AttrValue::Enum`], else text. A number with a leading zero (`007`) stays text.
//! - **links**: each link cell is split on line breaks, commas and semicolons. DOORS
//!   Classic `Module Name:M` / `Object Identifier:N` pairs give the target `M:N`. A target
//!   is resolved when an object with that id is in the same export; the others are counted
//!   in [`Export::dangling_links`]. Directions: `in` for `In-links`, `Link From` and the
//!   `… By` columns, `out` otherwise.
//! - **location**: [`ReqLocation::Text`] (the line where the record starts, column 1) for
//!   CSV; [`ReqLocation::Cell`] (the id cell) for workbooks.
//!
//! # Problems
//!
//! Nothing here panics; every problem is a diagnostic with code `Q001
//! invalid-requirement-export`: no header row, no id column (naming the columns found), a
//! row without an id, the same id twice (both places; the first object is kept), a column
//! named in the map that is not there, an unreadable workbook or missing sheet, a workbook
//! past the bounds of [`super::workbook`], a CSV file mixing encodings
//! ([`decode_checked`]), a quoted CSV field still open at the end of the file. For CSV the
//! span is the exact bytes in the decoded text; for workbooks it is `0..0` and the message
//! names the sheet and cell. At most [`MAX_PROBLEMS`] are reported per file, then one note
//! counts the rest.
//!
//! One exception to "the same id twice": OSLC query dumps list a DOORS Next artifact twice,
//! as the core artifact and as its module binding (which has a `module` cell). When exactly
//! one of the two has a module cell, that row is kept and nothing is reported.

use super::ids::with_prefix;
use super::outline::{level_of, LevelColumn};
use super::{
    cell_name, fingerprint, workbook, xhtml, AttrValue, Direction, Export, HeadingPath, Link,
    ReqLocation, ReqObject,
};
use crate::diag::{Code, Diagnostic, Label, Severity};
use crate::source::{FileId, Span};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;

/// The header row is searched for within this many first (non-empty) rows.
pub const HEADER_SEARCH_ROWS: usize = 20;
/// At most this many problems are reported per file; a final note counts the rest.
pub const MAX_PROBLEMS: usize = 100;

/// Headers taken as the id column, by priority.
pub const ID_ALIASES: &[&str] = &[
    "Object Identifier",
    "Identifier",
    "ID",
    "Absolute Number",
    "Req ID",
    "Requirement ID",
    "ReqIF.ForeignID",
    "Key",
];
/// Headers taken as the text column, by priority.
pub const TEXT_ALIASES: &[&str] = &[
    "Object Text",
    "Primary Text",
    "Text",
    "ReqIF.Text",
    "Requirement Text",
    "Description",
];
/// Headers taken as the heading (or title) column, by priority.
pub const HEADING_ALIASES: &[&str] = &[
    "Object Heading",
    "Heading",
    "ReqIF.ChapterName",
    "Title",
    "Name",
    "ReqIF.Name",
    "Object Short Text",
];
/// Headers taken as the outline level column, by priority.
pub const LEVEL_ALIASES: &[&str] = &["Object Level", "Level", "Outline Level"];
/// Headers taken as the outline number column (DOORS `Object Number`: `2.3`, `2.3-1`),
/// read for levels when there is no level column, by priority.
pub const OUTLINE_ALIASES: &[&str] = &["Object Number", "Outline Number"];
/// Headers taken as the object kind column, by priority.
pub const KIND_ALIASES: &[&str] = &["Artifact Type", "oslc:instanceShape", "Object Type", "Type"];
/// Headers taken as the module column, by priority.
pub const MODULE_ALIASES: &[&str] = &["Module", "Module Name"];
/// Headers taken as link columns (all that match), with their direction.
pub const LINK_ALIASES: &[(&str, Direction)] = &[
    ("In-links", Direction::In),
    ("Out-links", Direction::Out),
    ("Link To", Direction::Out),
    ("Link From", Direction::In),
    ("Links", Direction::Out),
    ("Satisfies", Direction::Out),
    ("Satisfied By", Direction::In),
    ("Mitigates", Direction::Out),
    ("Mitigated By", Direction::In),
    ("Elaborates", Direction::Out),
    ("Elaborated By", Direction::In),
    ("Validated By", Direction::In),
    ("Implemented By", Direction::In),
    ("Derives", Direction::Out),
    ("Derived From", Direction::Out),
];

/// Which columns hold what. Every field is optional: `None` finds the column by its
/// aliases (see the module documentation).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ColumnMap {
    pub id: Option<String>,
    pub text: Option<String>,
    pub heading: Option<String>,
    pub level: Option<String>,
    /// The outline number column (DOORS `Object Number`), read for levels when there is no
    /// level column.
    pub outline: Option<String>,
    pub kind: Option<String>,
    /// Module prefix put before a bare absolute number (`SRS` + `12` → `SRS-12`).
    pub prefix: Option<String>,
    /// Extra link columns, besides those found by [`LINK_ALIASES`].
    pub links: Vec<String>,
}

/// Decodes a CSV file's bytes leniently: a byte-order mark picks UTF-8 or UTF-16 (and is
/// dropped); without one, UTF-8 when the bytes are valid UTF-8, else Windows-1252. (The
/// window files use it; requirement exports and the monthly tables use
/// [`decode_checked`], which refuses mixed bytes.) Spans in CSV diagnostics are byte
/// ranges in the decoded text.
pub fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// Bytes that are not one encoding: UTF-8 text with a byte that is not UTF-8 (a
/// Windows-1252 `é` pasted among UTF-8 rows), or a file marked UTF-8 by its byte-order
/// mark that is not. Never decoded as Windows-1252: that would turn its UTF-8 rows into
/// mojibake and change their fingerprints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MixedEncoding {
    /// The bytes read as UTF-8 with the bad bytes replaced (U+FFFD), without a byte-order
    /// mark: what the finding's span points into.
    pub text: String,
    /// Byte offset in `text` of the first bad byte (its replacement character).
    pub offset: usize,
    /// 1-based line and column (in characters) of the first bad byte.
    pub line: usize,
    pub column: usize,
    /// The first bad byte.
    pub byte: u8,
    /// The first line holding UTF-8 beyond ASCII (`None` with a UTF-8 byte-order mark).
    pub utf8_line: Option<usize>,
}

impl MixedEncoding {
    /// What to tell the user (the place is the finding's).
    pub fn message(&self) -> String {
        let why = match self.utf8_line {
            Some(l) => format!("line {l} is UTF-8 text"),
            None => "the file starts with a UTF-8 byte-order mark".to_string(),
        };
        format!(
            "line {}, column {} is not UTF-8 (byte 0x{:02X}), but {why}: the file mixes \
             encodings and is not read (decoding it all as Windows-1252 would garble its \
             UTF-8 text)",
            self.line, self.column, self.byte
        )
    }

    pub const HELP: &'static str =
        "save the file as UTF-8 (a Windows-1252 character pasted among UTF-8 text is the \
         usual cause)";
}

/// 1-based line of a byte offset (LF, CRLF and lone CR end lines).
fn line_of(bytes: &[u8], offset: usize) -> usize {
    1 + line_breaks_in(bytes, 0..offset.min(bytes.len()))
}

/// [`decode`], refusing mixed bytes: a file is UTF-8 when its bytes are valid UTF-8 (or
/// after a UTF-8 byte-order mark), UTF-16 after a UTF-16 byte-order mark, and Windows-1252
/// only when it holds no UTF-8 multi-byte sequence at all (a file saved entirely in that
/// encoding). Bytes that are partly UTF-8 are [`MixedEncoding`].
pub fn decode_checked(bytes: &[u8]) -> Result<String, Box<MixedEncoding>> {
    let (body, marked) = match encoding_rs::Encoding::for_bom(bytes) {
        Some((encoding, bom)) if encoding == encoding_rs::UTF_8 => (&bytes[bom..], true),
        Some(_) => return Ok(decode(bytes)),
        None => (bytes, false),
    };
    if let Ok(text) = std::str::from_utf8(body) {
        return Ok(text.to_string());
    }
    let mut offset = 0;
    let mut first_bad: Option<(usize, u8)> = None;
    let mut utf8_at: Option<usize> = None;
    for chunk in body.utf8_chunks() {
        let valid = chunk.valid();
        if utf8_at.is_none() {
            if let Some(i) = valid.bytes().position(|b| b >= 0x80) {
                utf8_at = Some(offset + i);
            }
        }
        if first_bad.is_none() && !chunk.invalid().is_empty() {
            first_bad = Some((offset + valid.len(), chunk.invalid()[0]));
        }
        if first_bad.is_some() && (utf8_at.is_some() || marked) {
            break;
        }
        offset += valid.len() + chunk.invalid().len();
    }
    let Some((bad, byte)) = first_bad else {
        return Ok(decode(bytes));
    };
    if !marked && utf8_at.is_none() {
        // No UTF-8 beyond ASCII anywhere: a file saved in Windows-1252.
        return Ok(decode(bytes));
    }
    let line = line_of(body, bad);
    let line_start = body[..bad]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1);
    // The line before the bad byte is valid UTF-8 (the bad byte is the first).
    let column = 1 + std::str::from_utf8(&body[line_start..bad]).map_or(0, |s| s.chars().count());
    Err(Box::new(MixedEncoding {
        text: String::from_utf8_lossy(body).into_owned(),
        offset: bad,
        line,
        column,
        byte,
        utf8_line: if marked {
            None
        } else {
            utf8_at.map(|at| line_of(body, at))
        },
    }))
}

/// Where a quoted field that is never closed opens (the byte offset of its quote), in
/// a CSV text read the way the `csv` crate reads it (which accepts such a field silently,
/// taking the rest of the file into it).
fn unterminated_quote(text: &str, delim: u8) -> Option<usize> {
    #[derive(Clone, Copy)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted(usize),
        QuoteInQuoted,
    }
    let mut state = State::FieldStart;
    for (i, b) in text.bytes().enumerate() {
        let ends = b == delim || b == b'\n' || b == b'\r';
        state = match state {
            State::FieldStart if b == b'"' => State::Quoted(i),
            State::FieldStart | State::Unquoted if ends => State::FieldStart,
            State::FieldStart | State::Unquoted => State::Unquoted,
            State::Quoted(_) if b == b'"' => State::QuoteInQuoted,
            State::Quoted(at) => State::Quoted(at),
            State::QuoteInQuoted if b == b'"' => State::Quoted(i),
            State::QuoteInQuoted if ends => State::FieldStart,
            State::QuoteInQuoted => State::Unquoted,
        };
    }
    match state {
        State::Quoted(at) => Some(at),
        _ => None,
    }
}

/// Reads the objects of a CSV export. See the module documentation. The reading runs
/// under [`crate::context::contain_panic`]: a panic is one `Q001`, never a crash.
pub fn import_csv(file: FileId, bytes: &[u8], map: &ColumnMap) -> (Export, Vec<Diagnostic>) {
    crate::context::contain_panic(|| read_csv(file, bytes, map)).unwrap_or_else(|p| {
        (
            Export {
                file: Some(file),
                ..Export::default()
            },
            vec![Diagnostic::new(
                Code::InvalidRequirementExport,
                format!(
                    "the requirements export could not be read: the reader failed ({}); please \
                     report it, with the file if you can",
                    p
                ),
                Label::new(Span::new(file, 0..0), "in this file"),
            )],
        )
    })
}

fn read_csv(file: FileId, bytes: &[u8], map: &ColumnMap) -> (Export, Vec<Diagnostic>) {
    let text = match decode_checked(bytes) {
        Ok(t) => t,
        Err(m) => {
            let span = Span::new(file, m.offset..m.offset + '\u{fffd}'.len_utf8());
            let diag = Diagnostic::new(
                Code::InvalidRequirementExport,
                m.message(),
                Label::new(span, "not UTF-8"),
            )
            .with_help(MixedEncoding::HELP);
            return (
                Export {
                    file: Some(file),
                    ..Export::default()
                },
                vec![diag],
            );
        }
    };
    let delim = delimiter(&text);
    let unterminated = unterminated_quote(&text, delim);
    let grid = Grid {
        file,
        origin: Origin::Csv,
        text: &text,
        delim,
    };
    let (export, mut diags) = grid.import(CsvRows::new(&text, delim), map);
    if let Some(at) = unterminated {
        let line = line_of(text.as_bytes(), at);
        diags.insert(
            0,
            Diagnostic::new(
                Code::InvalidRequirementExport,
                format!(
                    "the quoted field opened at line {line} is never closed: the file ends \
                     inside it (a `\"` is missing, or the file is cut short)"
                ),
                Label::new(Span::new(file, at..at + 1), "this quote is never closed"),
            )
            .with_help("close the field with `\"`, or export the file again"),
        );
    }
    (export, diags)
}

/// Reads the objects of a workbook (`extension`: `xlsx`, `xlsm`, `xls`, `xlsb` or `ods`;
/// anything else is sniffed). With `sheet`, only that sheet is read; without, the sheets
/// in turn until one has a header row. Sheets are read cell by cell within the bounds of
/// [`super::workbook`]; past them, or when the reader fails, one `Q001` names the sheet
/// and cell and nothing is imported. See the module documentation.
pub fn import_workbook(
    file: FileId,
    bytes: &[u8],
    extension: &str,
    map: &ColumnMap,
    sheet: Option<&str>,
) -> (Export, Vec<Diagnostic>) {
    let here = Span::new(file, 0..0);
    let problem = |message: String| {
        (
            Export {
                file: Some(file),
                ..Export::default()
            },
            vec![Diagnostic::new(
                Code::InvalidRequirementExport,
                message,
                Label::new(here, "in this workbook"),
            )],
        )
    };
    let mut book = match workbook::open(bytes, extension) {
        Ok(b) => b,
        Err(e) => return problem(e.full()),
    };
    let names = book.sheet_names().to_vec();
    let chosen: Vec<String> = match sheet {
        Some(wanted) => {
            let found = names.iter().find(|n| n.as_str() == wanted).or_else(|| {
                names
                    .iter()
                    .find(|n| n.trim().eq_ignore_ascii_case(wanted.trim()))
            });
            match found {
                Some(n) => vec![n.clone()],
                None => {
                    return problem(format!(
                        "the workbook has no sheet '{wanted}' (sheets: {})",
                        quoted_list(&names)
                    ))
                }
            }
        }
        None => names,
    };
    let mut budget = workbook::Budget::default();
    let mut first_failure: Option<(Export, Vec<Diagnostic>)> = None;
    let mut tried = Vec::new();
    for name in chosen {
        let cells = match book.read_sheet(&name, &mut budget) {
            Ok(s) => s,
            Err(e) => return problem(e.full()),
        };
        let grid = Grid {
            file,
            origin: Origin::Sheet { name: name.clone() },
            text: "",
            delim: b',',
        };
        let rows = sheet_rows(cells);
        if sheet.is_some() || Grid::find_header(&rows, map).is_some() {
            return grid.import(rows, map);
        }
        tried.push(format!("'{name}'"));
        if first_failure.is_none() {
            first_failure = Some(grid.import(rows, map));
        }
    }
    match first_failure {
        Some((export, mut diags)) if tried.len() == 1 => {
            diags.truncate(MAX_PROBLEMS);
            (export, diags)
        }
        Some(_) => problem(format!(
            "no header row with an id and a text column in any sheet (tried {})",
            tried.join(", ")
        )),
        None => problem("the workbook has no sheets".into()),
    }
}

pub use super::workbook::{check_unpacked_size, MAX_UNPACKED};

/// A sheet's used cells as rows (only the rows that have cells; each row's cells by
/// column, sparse).
fn sheet_rows(sheet: workbook::Sheet) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    for c in sheet.cells {
        let cell = workbook_cell(c.value);
        match rows.last_mut() {
            Some(r) if r.line == c.row as usize => r.cells.push((c.col as usize, cell)),
            _ => rows.push(Row {
                cells: vec![(c.col as usize, cell)],
                line: c.row as usize,
                bytes: 0..0,
            }),
        }
    }
    rows
}

fn quoted_list(names: &[String]) -> String {
    if names.is_empty() {
        return "none".into();
    }
    names
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn workbook_cell(value: workbook::Value) -> Cell {
    use workbook::Value;
    match value {
        Value::Int(i) => Cell::Int(i),
        Value::Real(f) => Cell::Real(f),
        Value::Bool(b) => Cell::Bool(b),
        Value::Text(s) => Cell::Text(s),
        Value::DateTime(dt) => {
            if dt.is_duration() {
                Cell::Real(dt.as_f64())
            } else {
                let (y, mo, d, h, mi, s, _ms) = dt.to_ymd_hms_milli();
                if (h, mi, s) == (0, 0, 0) {
                    Cell::Date(format!("{y:04}-{mo:02}-{d:02}"))
                } else {
                    Cell::Date(format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}"))
                }
            }
        }
        Value::DateIso(s) => Cell::Date(s),
        Value::DurationIso(s) => Cell::Text(Arc::from(s)),
        Value::Error(e) => Cell::Error(e.to_string()),
    }
}

/// One cell's value as read. Text is shared: the cells of one shared string hold one copy.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Text(Arc<str>),
    Int(i64),
    Real(f64),
    Bool(bool),
    Date(String),
    Error(String),
}

impl Cell {
    /// The cell as (raw) text; numbers without a needless `.0`.
    fn raw(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(s) => Cow::Borrowed(s),
            Cell::Date(s) | Cell::Error(s) => Cow::Borrowed(s),
            Cell::Int(i) => Cow::Owned(i.to_string()),
            Cell::Real(f) => Cow::Owned(real_text(*f)),
            Cell::Bool(b) => Cow::Owned(b.to_string()),
        }
    }

    fn is_blank(&self) -> bool {
        match self {
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

fn real_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// A row: its used cells by column (sorted, blank ones left out), where it is (CSV: the
/// 1-based line of the record start; workbook: the zero-based sheet row), and for CSV the
/// record's bytes (its fields' bytes are found in them when a finding needs one).
#[derive(Debug, Clone, Default)]
struct Row {
    cells: Vec<(usize, Cell)>,
    line: usize,
    bytes: Range<usize>,
}

impl Row {
    /// The cell in column `col`, if the row has one.
    fn get(&self, col: usize) -> Option<&Cell> {
        match self.cells.get(col) {
            Some((c, cell)) if *c == col => Some(cell),
            _ => self
                .cells
                .binary_search_by_key(&col, |(c, _)| *c)
                .ok()
                .map(|i| &self.cells[i].1),
        }
    }

    fn cell(&self, col: Option<usize>) -> Option<&Cell> {
        col.and_then(|c| self.get(c)).filter(|c| !c.is_blank())
    }

    fn is_blank(&self) -> bool {
        self.cells.iter().all(|(_, c)| c.is_blank())
    }
}

/// The number of line ends (LF, CRLF or a lone CR) in `range` of `text`.
fn line_breaks_in(text: &[u8], range: std::ops::Range<usize>) -> usize {
    range
        .filter(|&i| match text[i] {
            b'\n' => true,
            b'\r' => text.get(i + 1) != Some(&b'\n'),
            _ => false,
        })
        .count()
}

/// The records of a CSV text, one [`Row`] at a time (the importer turns each into an
/// object before reading the next, so a file is never held twice as rows); never fails
/// (the `csv` crate reads every input).
struct CsvRows<'t> {
    text: &'t str,
    reader: csv::Reader<&'t [u8]>,
    record: csv::ByteRecord,
    /// Line ends counted so far, and up to where.
    breaks: usize,
    counted: usize,
}

impl<'t> CsvRows<'t> {
    fn new(text: &'t str, delim: u8) -> Self {
        CsvRows {
            text,
            reader: csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(delim)
                .from_reader(text.as_bytes()),
            record: csv::ByteRecord::new(),
            breaks: 0,
            counted: 0,
        }
    }
}

impl Iterator for CsvRows<'_> {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        // Only I/O and UTF-8 errors exist for byte records from a slice; stop reading.
        if !self.reader.read_byte_record(&mut self.record).ok()? {
            return None;
        }
        let text = self.text.as_bytes();
        let pos = self
            .record
            .position()
            .map_or(0, |p| p.byte() as usize)
            .min(text.len());
        // After a CRLF the crate places the record at its LF.
        let start = if text.get(pos) == Some(&b'\n') && pos > 0 && text[pos - 1] == b'\r' {
            pos + 1
        } else {
            pos
        };
        let end = (self.reader.position().byte() as usize).clamp(start, text.len());
        let trimmed = self.text[start..end].trim_end_matches(['\r', '\n']).len();
        // The csv crate's line count is off after CRLF line ends: count here, from the
        // previous record on (linear in the text).
        let at = if text.get(pos) == Some(&b'\n') {
            pos + 1
        } else {
            pos
        };
        self.breaks += line_breaks_in(text, self.counted..at.max(self.counted));
        self.counted = at.max(self.counted);
        let cells = self
            .record
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.iter().all(u8::is_ascii_whitespace))
            .map(|(c, f)| (c, Cell::Text(Arc::from(String::from_utf8_lossy(f)))))
            .collect();
        Some(Row {
            cells,
            line: 1 + self.breaks,
            bytes: start..start + trimmed,
        })
    }
}

/// Byte ranges (in `record`) of each field, quotes included, split at delimiters outside
/// quotes.
fn field_ranges(record: &str, delim: u8) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, b) in record.bytes().enumerate() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == delim && !quoted {
            out.push(start..i);
            start = i + 1;
        }
    }
    out.push(start..record.len());
    out
}

/// The separator: `,` unless the first line has none but has `;` or a tab (shared with
/// the window files of `workspace::windows_csv`).
pub(crate) fn delimiter(text: &str) -> u8 {
    let first = text
        .trim_start_matches(['\u{feff}', '\r', '\n'])
        .split(['\r', '\n'])
        .next()
        .unwrap_or("");
    if first.contains(',') {
        b','
    } else if first.contains(';') {
        b';'
    } else if first.contains('\t') {
        b'\t'
    } else {
        b','
    }
}

enum Origin {
    Csv,
    Sheet { name: String },
}

/// How rows are read into objects: which file, and where its rows come from (CSV: the
/// decoded text, in which a finding's field is found).
struct Grid<'t> {
    file: FileId,
    origin: Origin,
    text: &'t str,
    delim: u8,
}

/// The columns found in the header row.
#[derive(Debug, Default)]
struct Columns {
    header: usize,
    names: Vec<String>,
    id: Option<usize>,
    text: Option<usize>,
    heading: Option<usize>,
    /// The level column, or else the outline number column, and how its cells are read.
    level: Option<usize>,
    level_reading: LevelColumn,
    kind: Option<usize>,
    module: Option<usize>,
    links: Vec<(usize, Direction)>,
}

/// What the import keeps of a row beside its object, until ids are checked and links
/// resolved.
struct Draft {
    /// The row's line, and its id cell's span.
    line: usize,
    id_span: Span,
    id_col: usize,
    has_module_cell: bool,
    /// (kind, target as written, direction)
    links: Vec<(String, String, Direction)>,
}

/// Lowercase letters and digits only: `In-links` → `inlinks`.
fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn find_alias(names: &[String], aliases: &[&str]) -> Option<usize> {
    aliases.iter().find_map(|a| {
        let a = norm(a);
        names.iter().position(|n| !n.is_empty() && norm(n) == a)
    })
}

fn find_named(names: &[String], wanted: &str) -> Option<usize> {
    let w = wanted.trim();
    names
        .iter()
        .position(|n| n.trim().eq_ignore_ascii_case(w))
        .or_else(|| {
            let w = norm(w);
            if w.is_empty() {
                None
            } else {
                names.iter().position(|n| norm(n) == w)
            }
        })
}

fn role(names: &[String], named: &Option<String>, aliases: &[&str]) -> Option<usize> {
    match named {
        Some(n) => find_named(names, n),
        None => find_alias(names, aliases),
    }
}

impl Grid<'_> {
    /// The header row's names by column (`""` where it has no cell).
    fn header_names(row: &Row) -> Vec<String> {
        let width = row.cells.last().map_or(0, |(c, _)| c + 1);
        let mut names = vec![String::new(); width];
        for (c, cell) in &row.cells {
            names[*c] = clean_text(&cell.raw()).trim().to_string();
        }
        names
    }

    /// The header row: the first of the first non-empty rows naming an id and a text or
    /// heading column.
    fn find_header(rows: &[Row], map: &ColumnMap) -> Option<usize> {
        rows.iter()
            .enumerate()
            .filter(|(_, r)| !r.is_blank())
            .take(HEADER_SEARCH_ROWS)
            .find(|(_, r)| {
                let names = Self::header_names(r);
                role(&names, &map.id, ID_ALIASES).is_some()
                    && (role(&names, &map.text, TEXT_ALIASES).is_some()
                        || role(&names, &map.heading, HEADING_ALIASES).is_some())
            })
            .map(|(i, _)| i)
    }

    fn whole_span(&self) -> Span {
        Span::new(self.file, 0..0)
    }

    /// The exact bytes of a cell (CSV, found in the record's text), else the row, else
    /// nothing.
    fn span(&self, row: &Row, col: Option<usize>) -> Span {
        match self.origin {
            Origin::Csv => {
                let range = row.bytes.clone();
                let record = self.text.get(range.clone()).unwrap_or("");
                let field = col.and_then(|c| field_ranges(record, self.delim).get(c).cloned());
                let range = match field {
                    Some(f) => range.start + f.start..range.start + f.end,
                    None => range,
                };
                Span::new(self.file, range)
            }
            Origin::Sheet { .. } => self.whole_span(),
        }
    }

    fn cell_ref(&self, line: usize, col: usize) -> String {
        match &self.origin {
            Origin::Csv => format!("line {line}"),
            Origin::Sheet { .. } => cell_name(line, col),
        }
    }

    /// `line 4` or `sheet 'Objects' cell B4`, for the row at `line`.
    fn place(&self, line: usize, col: usize) -> String {
        match &self.origin {
            Origin::Csv => self.cell_ref(line, col),
            Origin::Sheet { name, .. } => {
                format!("sheet '{name}' cell {}", self.cell_ref(line, col))
            }
        }
    }

    fn location(&self, line: usize, col: usize) -> ReqLocation {
        match &self.origin {
            Origin::Csv => ReqLocation::Text { line, column: 1 },
            Origin::Sheet { name, .. } => ReqLocation::Cell {
                sheet: name.clone(),
                cell: self.cell_ref(line, col),
            },
        }
    }

    /// `line 4` or `sheet 'Objects' row 4`.
    fn row_place(&self, row: &Row) -> String {
        match &self.origin {
            Origin::Csv => format!("line {}", row.line),
            Origin::Sheet { name, .. } => format!("sheet '{name}' row {}", row.line + 1),
        }
    }

    fn module_name(&self) -> Option<String> {
        match &self.origin {
            Origin::Csv => None,
            Origin::Sheet { name, .. } => Some(name.clone()),
        }
    }

    fn diag(&self, message: String, span: Span, label: &str) -> Diagnostic {
        Diagnostic::new(
            Code::InvalidRequirementExport,
            message,
            Label::new(span, label),
        )
    }

    /// The columns of the header row, found among `head` (the first rows).
    fn columns(
        &self,
        head: &[Row],
        map: &ColumnMap,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Columns> {
        let first = head.iter().position(|r| !r.is_blank());
        let Some(first) = first else {
            let what = match &self.origin {
                Origin::Csv => "the file is empty".to_string(),
                Origin::Sheet { name, .. } => format!("sheet '{name}' is empty"),
            };
            diags.push(self.diag(
                format!("no header row: {what}"),
                self.whole_span(),
                "no rows here",
            ));
            return None;
        };
        let header = match Self::find_header(head, map) {
            Some(h) => h,
            None => {
                // Say what the first row holds, and what was expected.
                let names = Self::header_names(&head[first]);
                let found: Vec<String> = names
                    .iter()
                    .filter(|n| !n.is_empty())
                    .map(|n| format!("'{}'", shorten(n)))
                    .collect();
                let has_id = role(&names, &map.id, ID_ALIASES).is_some();
                let (what, expected) = if has_id {
                    (
                        "no text column",
                        map.text.clone().unwrap_or_else(|| {
                            TEXT_ALIASES
                                .iter()
                                .chain(HEADING_ALIASES)
                                .copied()
                                .collect::<Vec<_>>()
                                .join("', '")
                        }),
                    )
                } else {
                    (
                        "no id column",
                        map.id.clone().unwrap_or_else(|| ID_ALIASES.join("', '")),
                    )
                };
                let place = self.row_place(&head[first]);
                diags.push(
                    self.diag(
                        format!(
                            "{what} in the header row ({place}); found columns: {}",
                            if found.is_empty() { "none".into() } else { found.join(", ") }
                        ),
                        self.span(&head[first], None),
                        "header row",
                    )
                    .with_help(format!(
                        "expected a column named '{expected}' within the first {HEADER_SEARCH_ROWS} rows, or name it in the column map"
                    )),
                );
                return None;
            }
        };
        let names = Self::header_names(&head[header]);
        let mut cols = Columns {
            header,
            id: role(&names, &map.id, ID_ALIASES),
            text: role(&names, &map.text, TEXT_ALIASES),
            heading: role(&names, &map.heading, HEADING_ALIASES),
            level: role(&names, &map.level, LEVEL_ALIASES),
            kind: role(&names, &map.kind, KIND_ALIASES),
            module: find_alias(&names, MODULE_ALIASES),
            ..Columns::default()
        };
        let level = cols.level;
        let outline = role(&names, &map.outline, OUTLINE_ALIASES);
        if level.is_none() && outline.is_some() {
            cols.level = outline;
            cols.level_reading = LevelColumn::Outline;
        }
        // A heading column equal to the text column (a DOORS main column) plays only text.
        if cols.heading == cols.text {
            cols.heading = None;
        }
        for (field, named, col) in [
            ("text", &map.text, cols.text),
            ("heading", &map.heading, cols.heading),
            ("level", &map.level, level),
            ("outline", &map.outline, outline),
            ("kind", &map.kind, cols.kind),
        ] {
            if let (Some(n), None) = (named, col) {
                diags.push(self.missing_column(&head[header], field, n, &names));
            }
        }
        let taken = |c: usize, cols: &Columns| {
            [
                cols.id,
                cols.text,
                cols.heading,
                cols.level,
                cols.kind,
                cols.module,
            ]
            .contains(&Some(c))
        };
        for (c, name) in names.iter().enumerate() {
            if taken(c, &cols) || name.is_empty() {
                continue;
            }
            if let Some((_, dir)) = LINK_ALIASES.iter().find(|(a, _)| norm(a) == norm(name)) {
                cols.links.push((c, *dir));
            }
        }
        for extra in &map.links {
            match find_named(&names, extra) {
                Some(c) if !cols.links.iter().any(|(l, _)| *l == c) && !taken(c, &cols) => {
                    let n = norm(extra);
                    let dir = if n.starts_with("in") || n.ends_with("by") || n.contains("from") {
                        Direction::In
                    } else {
                        Direction::Out
                    };
                    cols.links.push((c, dir));
                }
                Some(_) => {}
                None => diags.push(self.missing_column(&head[header], "links", extra, &names)),
            }
        }
        cols.names = names;
        Some(cols)
    }

    fn missing_column(
        &self,
        header: &Row,
        field: &str,
        wanted: &str,
        names: &[String],
    ) -> Diagnostic {
        let found: Vec<String> = names
            .iter()
            .filter(|n| !n.is_empty())
            .map(|n| format!("'{}'", shorten(n)))
            .collect();
        let place = self.row_place(header);
        self.diag(
            format!(
                "the column map names '{wanted}' as the {field} column, but the header row ({place}) has no such column; found columns: {}",
                found.join(", ")
            ),
            self.span(header, None),
            "header row",
        )
        .with_severity(Severity::Warning)
    }

    /// A level cell that is neither a level nor an outline number: the object is read
    /// without a level (its place is the last heading above it).
    fn bad_level(&self, row: &Row, col: usize, raw: &str, cols: &Columns) -> Diagnostic {
        let expected = match cols.level_reading {
            LevelColumn::Outline => "a DOORS outline number (`2.3`, `2.3-1`, `1.0-1`)",
            LevelColumn::Level => {
                "a level (a whole number) or a DOORS outline number (`2.3.1`, `1.0-1`)"
            }
        };
        let column = &cols.names[col];
        self.diag(
            format!(
                "{}: `{}` in the column '{}' is not {expected}; the object is read without a level",
                self.place(row.line, col),
                shorten(raw.trim()),
                shorten(column)
            ),
            self.span(row, Some(col)),
            "not a level",
        )
        .with_severity(Severity::Warning)
    }

    /// Reads `rows` into objects. Rows are taken one at a time: only the first ones
    /// (where the header row is looked for) are held together.
    fn import(
        &self,
        rows: impl IntoIterator<Item = Row>,
        map: &ColumnMap,
    ) -> (Export, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut export = Export {
            file: Some(self.file),
            ..Export::default()
        };
        let mut rows = rows.into_iter();
        let mut head: Vec<Row> = Vec::new();
        let mut non_empty = 0;
        while non_empty < HEADER_SEARCH_ROWS {
            let Some(row) = rows.next() else { break };
            non_empty += usize::from(!row.is_blank());
            head.push(row);
        }
        let Some(cols) = self.columns(&head, map, &mut diags) else {
            return (export, diags);
        };
        let Some(id_col) = cols.id else {
            return (export, diags);
        };
        // The objects, and beside them what only the import needs (kept apart so that
        // nothing is copied from one to the other).
        let mut objects: Vec<ReqObject> = Vec::new();
        let mut drafts: Vec<Draft> = Vec::new();
        for row in head.drain(cols.header + 1..).chain(rows) {
            if row.is_blank() {
                continue;
            }
            if let Some((o, d)) = self.draft(&row, &cols, id_col, map, &mut diags) {
                objects.push(o);
                drafts.push(d);
            }
        }
        drop(head);
        // Duplicate ids: keep the first (or the module binding, in the first one's
        // place), report both places.
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut keep = vec![true; objects.len()];
        for i in 0..objects.len() {
            let Some(&k) = seen.get(&objects[i].id) else {
                seen.insert(objects[i].id.clone(), i);
                continue;
            };
            keep[i] = false;
            if cols.module.is_some() && drafts[k].has_module_cell != drafts[i].has_module_cell {
                if drafts[i].has_module_cell {
                    objects.swap(k, i);
                    drafts.swap(k, i);
                }
                continue;
            }
            let (first, d) = (&drafts[k], &drafts[i]);
            diags.push(
                self.diag(
                    format!(
                        "duplicate id '{}' at {}: already at {}",
                        shorten(&objects[i].id),
                        self.place(d.line, d.id_col),
                        self.place(first.line, first.id_col)
                    ),
                    d.id_span,
                    "this object is skipped",
                )
                .with_secondary(Label::new(first.id_span, "first object with this id")),
            );
        }
        let mut at = 0;
        objects.retain(|_| {
            at += 1;
            keep[at - 1]
        });
        let mut at = 0;
        drafts.retain(|_| {
            at += 1;
            keep[at - 1]
        });
        drop(keep);
        // Every id seen is an object kept (the first of its id, or its module binding).
        let mut dangling = 0;
        for (o, d) in objects.iter_mut().zip(drafts) {
            for (kind, target, direction) in d.links {
                let resolved = seen.contains_key(target.as_str());
                if !resolved {
                    dangling += 1;
                }
                o.links.push(Link {
                    kind,
                    target,
                    direction,
                    resolved,
                });
            }
        }
        drop(seen);
        // Paths from the headings above, by level when levels are known: each heading's
        // path extends the one it sits in (shared, see `HeadingPath`).
        let mut stack: Vec<(u32, HeadingPath)> = Vec::new();
        for o in &mut objects {
            match o.level {
                Some(level) => {
                    while stack.last().is_some_and(|(l, _)| *l >= level) {
                        stack.pop();
                    }
                    o.path = stack.last().map(|(_, p)| p.clone()).unwrap_or_default();
                    if o.is_heading {
                        let inner = o.path.child(heading_label(o));
                        stack.push((level, inner));
                    }
                }
                None => {
                    if o.is_heading {
                        o.path = HeadingPath::default();
                        stack = vec![(0, HeadingPath::default().child(heading_label(o)))];
                    } else {
                        o.path = stack.last().map(|(_, p)| p.clone()).unwrap_or_default();
                    }
                }
            }
            o.fingerprint = fingerprint(&o.id, o.heading.as_deref(), &o.text);
        }
        export.objects = objects;
        export.dangling_links = dangling;
        if diags.len() > MAX_PROBLEMS {
            let rest = diags.len() - MAX_PROBLEMS;
            let span = diags[MAX_PROBLEMS].primary.span;
            diags.truncate(MAX_PROBLEMS);
            diags.push(
                self.diag(
                    format!(
                        "{rest} more problem{} in this export not shown",
                        if rest == 1 { " is" } else { "s are" }
                    ),
                    span,
                    "the first problem not shown",
                )
                .with_severity(Severity::Note)
                .with_note(format!(
                    "at most {MAX_PROBLEMS} problems are reported per export"
                )),
            );
        }
        (export, diags)
    }

    fn draft(
        &self,
        row: &Row,
        cols: &Columns,
        id_col: usize,
        map: &ColumnMap,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<(ReqObject, Draft)> {
        // A formula that failed in the spreadsheet: the export is not what its author saw.
        for (ci, cell) in &row.cells {
            let ci = *ci;
            if let Cell::Error(e) = cell {
                diags.push(self.diag(
                    format!(
                        "{} holds the spreadsheet error {e} (a formula that failed); it is \
                         read as that text",
                        self.place(row.line, ci)
                    ),
                    self.span(row, Some(ci)),
                    "error value here",
                ));
            }
        }
        let id = match row.cell(Some(id_col)) {
            Some(c) => clean_text(&c.raw()).trim().to_string(),
            None => String::new(),
        };
        if id.is_empty() {
            diags.push(self.diag(
                format!(
                    "row without an id ({}, column '{}')",
                    self.place(row.line, id_col),
                    shorten(&cols.names[id_col])
                ),
                self.span(row, Some(id_col)),
                "no id here",
            ));
            return None;
        }
        let id = with_prefix(&id, map.prefix.as_deref());
        let text_of = |col: Option<usize>| row.cell(col).map(|c| rich_text(&c.raw()));
        let text = text_of(cols.text).unwrap_or_default();
        let heading = text_of(cols.heading).filter(|h| !h.is_empty());
        let kind = row
            .cell(cols.kind)
            .map(|c| clean_text(&c.raw()).trim().to_string());
        let level = match (cols.level, row.cell(cols.level)) {
            (Some(c), Some(cell)) => {
                let raw = cell.raw();
                let level = level_of(&raw, cols.level_reading);
                if level.is_none() {
                    diags.push(self.bad_level(row, c, &raw, cols));
                }
                level
            }
            _ => None,
        };
        let is_heading = match &kind {
            _ if cols.kind.is_some() => kind
                .as_deref()
                .is_some_and(|k| k.to_lowercase().contains("heading")),
            _ => heading.is_some() && text.trim().is_empty(),
        };
        let module_cell = row
            .cell(cols.module)
            .map(|c| clean_text(&c.raw()).trim().to_string());
        let mut attributes = BTreeMap::new();
        let mut links = Vec::new();
        for (c, cell) in &row.cells {
            let c = *c;
            if cell.is_blank()
                || [
                    Some(id_col),
                    cols.text,
                    cols.heading,
                    cols.level,
                    cols.module,
                ]
                .contains(&Some(c))
            {
                continue;
            }
            let name = match cols.names.get(c) {
                Some(n) if !n.is_empty() => n.clone(),
                _ => format!("column {}", column_letters(c)),
            };
            if let Some((_, dir)) = cols.links.iter().find(|(l, _)| *l == c) {
                for target in split_links(&clean_text(&cell.raw())) {
                    let target = if target.contains(':') {
                        target
                    } else {
                        with_prefix(&target, map.prefix.as_deref())
                    };
                    links.push((name.clone(), target, *dir));
                }
                continue;
            }
            attributes.entry(name).or_insert_with(|| typed(cell));
        }
        let object = ReqObject {
            id,
            is_heading,
            heading,
            text,
            level,
            path: HeadingPath::default(),
            module: module_cell.clone().or_else(|| self.module_name()),
            attributes,
            links: Vec::new(),
            location: self.location(row.line, id_col),
            fingerprint: String::new(),
        };
        Some((
            object,
            Draft {
                line: row.line,
                id_span: self.span(row, Some(id_col)),
                id_col,
                has_module_cell: module_cell.is_some(),
                links,
            },
        ))
    }
}

fn heading_label(o: &ReqObject) -> String {
    o.heading
        .clone()
        .filter(|h| !h.trim().is_empty())
        .unwrap_or_else(|| o.text.lines().next().unwrap_or("").trim().to_string())
}

fn column_letters(col: usize) -> String {
    cell_name(0, col).trim_end_matches('1').to_string()
}

/// Link targets in a cell: split on line breaks, commas and semicolons; DOORS Classic
/// `Module Name:M` then `Object Identifier:N` give `M:N`.
fn split_links(cell: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut module: Option<String> = None;
    for part in cell.split(['\n', '\r', ',', ';']) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        if let Some((key, value)) = part.split_once(':') {
            let (k, v) = (norm(key), value.trim());
            if k == "modulename" || k == "module" {
                module = Some(v.to_string()).filter(|m| !m.is_empty());
                continue;
            }
            if k == "objectidentifier" || k == "absolutenumber" || k == "objectid" {
                if v.is_empty() {
                    continue;
                }
                out.push(match &module {
                    Some(m) => format!("{m}:{v}"),
                    None => v.to_string(),
                });
                continue;
            }
        }
        out.push(part.to_string());
    }
    out
}

/// OOXML `_xHHHH_` escapes decoded (`_x005F_` is a literal `_`), CR LF and CR made LF.
fn clean_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("_x") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let hex = tail.get(2..6);
        let decoded = match (hex, tail.as_bytes().get(6)) {
            (Some(h), Some(b'_')) if h.bytes().all(|b| b.is_ascii_hexdigit()) => {
                // A character XML 1.0 does not allow (`_x0000_`) never reaches an output.
                u32::from_str_radix(h, 16).ok().map(|v| match v {
                    0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD => {
                        char::from_u32(v).unwrap_or('\u{FFFD}')
                    }
                    _ => '\u{FFFD}',
                })
            }
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &tail[7..];
            }
            None => {
                out.push_str("_x");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    out.replace("\r\n", "\n").replace('\r', "\n")
}

/// A text cell: XHTML converted, plain text cleaned and trimmed.
fn rich_text(raw: &str) -> String {
    let s = clean_text(raw);
    let t = s.trim();
    if t.starts_with('<') && t.contains('>') {
        xhtml::to_text(t).trim().to_string()
    } else {
        t.to_string()
    }
}

fn shorten(s: &str) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 60 {
        format!("{}…", one.chars().take(59).collect::<String>())
    } else {
        one
    }
}

/// The typed value of an attribute cell.
fn typed(cell: &Cell) -> AttrValue {
    match cell {
        Cell::Int(i) => AttrValue::Integer(*i),
        Cell::Real(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15 => {
            AttrValue::Integer(*f as i64)
        }
        Cell::Real(f) => AttrValue::Real(*f),
        Cell::Bool(b) => AttrValue::Bool(*b),
        Cell::Date(d) => AttrValue::Date(d.clone()),
        Cell::Error(e) => AttrValue::Text(e.clone()),
        Cell::Text(s) => typed_text(s),
    }
}

/// Types a text value: integer, real, bool, date, list, else (converted) text.
fn typed_text(raw: &str) -> AttrValue {
    let s = clean_text(raw);
    let t = s.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    let leading_zero = digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.");
    if !leading_zero && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(i) = t.parse::<i64>() {
            return AttrValue::Integer(i);
        }
    }
    if !leading_zero
        && t.bytes().any(|b| b.is_ascii_digit())
        && t.bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
    {
        if let Ok(f) = t.parse::<f64>() {
            if f.is_finite() {
                return AttrValue::Real(f);
            }
        }
    }
    match t.to_ascii_lowercase().as_str() {
        "true" => return AttrValue::Bool(true),
        "false" => return AttrValue::Bool(false),
        _ => {}
    }
    if let Some(d) = parse_date(t) {
        return AttrValue::Date(d);
    }
    if let Some(items) = python_list(t) {
        return AttrValue::Enum(items);
    }
    AttrValue::Text(rich_text(t))
}

/// `2024-05-19`, `2024-05-19T16:21:32(.966Z)`, `2024-05-19 16:21`, `19.05.2024( 16:21:32)`,
/// `19/05/2024` (day first; month first only when the second number cannot be a month)
/// → ISO 8601.
fn parse_date(t: &str) -> Option<String> {
    let num = |s: &str, n: usize| -> Option<u32> {
        if s.len() == n && s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    let (date, time) = match t.split_once(['T', ' ']) {
        Some((d, tm)) => (d, Some(tm.trim())),
        None => (t, None),
    };
    let (y, m, d) = if let [y, m, d] = date.split('-').collect::<Vec<_>>()[..] {
        (num(y, 4)?, num(m, 2)?, num(d, 2)?)
    } else if let [a, b, y] = date.split('/').collect::<Vec<_>>()[..] {
        // DOORS writes dates in the client's locale: `29/09/2014` (day first, as in
        // Europe) unless the first number cannot be a month's day order (`09/29/2014`).
        let (a, b) = (
            num(a, 2).or_else(|| num(a, 1))?,
            num(b, 2).or_else(|| num(b, 1))?,
        );
        let (d, m) = if b > 12 && a <= 12 { (b, a) } else { (a, b) };
        (num(y, 4)?, m, d)
    } else if let [d, m, y] = date.split('.').collect::<Vec<_>>()[..] {
        let d2 = if d.len() == 1 {
            format!("0{d}")
        } else {
            d.to_string()
        };
        let m2 = if m.len() == 1 {
            format!("0{m}")
        } else {
            m.to_string()
        };
        (num(y, 4)?, num(&m2, 2)?, num(&d2, 2)?)
    } else {
        return None;
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let day = format!("{y:04}-{m:02}-{d:02}");
    let Some(time) = time else { return Some(day) };
    // A time: hh:mm[:ss[.fff]] and an optional zone; kept as written when ISO already.
    let core_end = time
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(time.len());
    let (core, zone) = time.split_at(core_end);
    let parts: Vec<&str> = core.split(':').collect();
    if parts.len() < 2 || parts.len() > 3 {
        return None;
    }
    let h = num(parts[0], 2).or_else(|| num(parts[0], 1))?;
    let mi = num(parts[1], 2)?;
    let sec = match parts.get(2) {
        Some(s) => {
            let whole = s.split('.').next().unwrap_or("");
            num(whole, 2)?;
            s.to_string()
        }
        None => "00".to_string(),
    };
    if h > 23 || mi > 59 {
        return None;
    }
    let zone = zone.trim();
    if !(zone.is_empty() || zone == "Z" || zone.starts_with(['+', '-']) && zone.len() <= 6) {
        return None;
    }
    Some(format!("{day}T{h:02}:{mi:02}:{sec}{zone}"))
}

/// `['Analysis', 'Test']` → the items.
fn python_list(t: &str) -> Option<Vec<String>> {
    let inner = t.strip_prefix('[')?.strip_suffix(']')?.trim();
    if inner.is_empty() {
        return Some(Vec::new());
    }
    inner
        .split(',')
        .map(|item| {
            let item = item.trim();
            item.strip_prefix('\'')
                .and_then(|i| i.strip_suffix('\''))
                .or_else(|| item.strip_prefix('"').and_then(|i| i.strip_suffix('"')))
                .map(str::to_string)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus(rel: &str) -> Vec<u8> {
        let path = crate::reqs::corpus_path(rel);
        std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "corpus file {} is missing or unreadable ({e}); set OPSPLAN_CORPUS or put shared/corpus beside the project",
                path.display()
            )
        })
    }

    fn csv(text: &str, map: &ColumnMap) -> (Export, Vec<Diagnostic>) {
        import_csv(FileId(0), text.as_bytes(), map)
    }

    fn obj<'a>(e: &'a Export, id: &str) -> &'a ReqObject {
        e.objects
            .iter()
            .find(|o| o.id == id)
            .unwrap_or_else(|| panic!("no object {id}"))
    }

    #[test]
    fn doors_next_oslc_csv_from_the_corpus() {
        let bytes = corpus("csv/doorsng_oslc_query_module_artifacts_amr.csv");
        let (e, diags) = import_csv(FileId(3), &bytes, &ColumnMap::default());
        assert!(diags.is_empty(), "{diags:#?}");
        assert_eq!(e.objects.len(), 92);
        assert_eq!(e.objects.iter().filter(|o| o.is_heading).count(), 21);
        let first = &e.objects[0];
        assert_eq!(first.id, "2991");
        assert_eq!(
            first.text,
            "The meter interface unit shall be compatible with the existing meter models in use for the area covered by this project."
        );
        assert!(!first.is_heading);
        assert_eq!(first.location, ReqLocation::Text { line: 2, column: 1 });
        assert_eq!(first.module.as_deref(), Some("2978"));
        assert_eq!(
            first.attributes["Status"],
            AttrValue::Text("Rejected".into())
        );
        assert_eq!(
            first.attributes["Created On"],
            AttrValue::Date("2025-09-23T16:38:10.966Z".into())
        );
        assert_eq!(
            first.attributes["oslc:instanceShape"],
            AttrValue::Text("Stakeholder Requirement".into())
        );
        assert_eq!(first.fingerprint.len(), 64);
        let heading = obj(&e, "3001");
        assert!(heading.is_heading);
        assert_eq!(
            heading.heading.as_deref(),
            Some("Definitions Acronyms, and Abbreviations")
        );
        let after = e.objects.iter().position(|o| o.id == "3001").unwrap() + 1;
        if !e.objects[after].is_heading {
            assert_eq!(
                e.objects[after].path.labels(),
                ["Definitions Acronyms, and Abbreviations"]
            );
        }
        // 3010 links to 3142.
        let linked = obj(&e, "3010");
        assert_eq!(linked.links.len(), 1);
        assert_eq!(linked.links[0].target, "3142");
        assert_eq!(linked.links[0].kind, "Link To");
        assert_eq!(linked.links[0].direction, Direction::Out);
        let resolved = e.objects.iter().any(|o| o.id == "3142");
        assert_eq!(linked.links[0].resolved, resolved);
        assert_eq!(e.dangling_links, usize::from(!resolved));
        // Booleans typed.
        assert_eq!(
            obj(&e, "3009").attributes["Accepted"],
            AttrValue::Bool(false)
        );
        // No XHTML left anywhere.
        assert!(e.objects.iter().all(|o| !o.text.contains("<div")));
    }

    #[test]
    fn doors_style_xlsx_from_the_corpus() {
        let bytes = corpus("xlsx/doors_style_excel_export_inlinks_polarion_names.xlsx");
        let (e, diags) = import_workbook(FileId(4), &bytes, "xlsx", &ColumnMap::default(), None);
        assert!(diags.is_empty(), "{diags:#?}");
        assert_eq!(e.objects.len(), 6);
        let ids: Vec<&str> = e.objects.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["1", "24", "57", "62", "74", "90"]);
        let o = obj(&e, "24");
        assert_eq!(
            o.text,
            "1.2 The ADS shall detect and respond appropriately to objects and events relevant for the DDT within the ODD"
        );
        assert_eq!(
            o.location,
            ReqLocation::Cell {
                sheet: "Objects".into(),
                cell: "B3".into()
            }
        );
        assert_eq!(o.module.as_deref(), Some("Objects"));
        assert_eq!(o.attributes["Status"], AttrValue::Text("New".into()));
        assert_eq!(
            o.attributes["Explanation"],
            AttrValue::Text("Requirement".into())
        );
        assert_eq!(o.links.len(), 1);
        assert_eq!(
            o.links[0],
            Link {
                kind: "Inlinks".into(),
                target: "Modul_Ebene3:24".into(),
                direction: Direction::In,
                resolved: false
            }
        );
        assert_eq!(obj(&e, "1").links.len(), 4);
        assert_eq!(obj(&e, "90").links.len(), 15);
        assert!(e
            .objects
            .iter()
            .all(|o| o.links.iter().all(|l| !l.target.contains("_x000D_"))));
        assert_eq!(e.dangling_links, 4 + 1 + 2 + 7 + 6 + 15);
        assert!(e.objects.iter().all(|o| !o.is_heading));
        // Naming the empty second sheet: a clear problem, no objects.
        let (e2, d2) = import_workbook(
            FileId(4),
            &bytes,
            "xlsx",
            &ColumnMap::default(),
            Some("Tabelle1"),
        );
        assert!(e2.objects.is_empty());
        assert_eq!(d2.len(), 1);
        assert!(d2[0].message.contains("Tabelle1"), "{}", d2[0].message);
        let (_, d3) = import_workbook(
            FileId(4),
            &bytes,
            "xlsx",
            &ColumnMap::default(),
            Some("Nope"),
        );
        assert!(
            d3[0].message.contains("'Objects', 'Tabelle1'"),
            "{}",
            d3[0].message
        );
    }

    #[test]
    fn doors_classic_csv_with_prefix_levels_and_links() {
        let text = "Absolute Number,Object Heading,Object Text,Object Level,In-links,Priority,Weight,Created On\n\
                    1,Introduction,,1,,,,\n\
                    2,,\"The unit shall\nstart.\",2,\"SRS-3\nSYS-9\",High,1.5,19.05.2024\n\
                    3,Power,,1,,,,\n\
                    4,Budget,,2,,,,\n\
                    5,,The unit shall draw 10 W.,3,SRS-2; SRS-4,007,2,\n";
        let map = ColumnMap {
            prefix: Some("SRS".into()),
            ..ColumnMap::default()
        };
        let (e, diags) = csv(text, &map);
        assert!(diags.is_empty(), "{diags:#?}");
        let ids: Vec<&str> = e.objects.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["SRS-1", "SRS-2", "SRS-3", "SRS-4", "SRS-5"]);
        let h = obj(&e, "SRS-1");
        assert!(h.is_heading);
        assert_eq!(h.heading.as_deref(), Some("Introduction"));
        assert_eq!(h.level, Some(1));
        let r = obj(&e, "SRS-2");
        assert!(!r.is_heading);
        assert_eq!(r.text, "The unit shall\nstart.");
        assert_eq!(r.path.labels(), ["Introduction"]);
        assert_eq!(r.location, ReqLocation::Text { line: 3, column: 1 });
        assert_eq!(r.attributes["Priority"], AttrValue::Text("High".into()));
        assert_eq!(r.attributes["Weight"], AttrValue::Real(1.5));
        assert_eq!(
            r.attributes["Created On"],
            AttrValue::Date("2024-05-19".into())
        );
        assert_eq!(r.links.len(), 2);
        assert_eq!(r.links[0].target, "SRS-3");
        assert!(r.links[0].resolved);
        assert_eq!(r.links[0].direction, Direction::In);
        assert!(!r.links[1].resolved);
        let deep = obj(&e, "SRS-5");
        assert_eq!(deep.path.labels(), ["Power", "Budget"]);
        assert_eq!(deep.attributes["Priority"], AttrValue::Text("007".into()));
        assert_eq!(deep.attributes["Weight"], AttrValue::Integer(2));
        assert_eq!(deep.links.len(), 2);
        assert!(deep.links.iter().all(|l| l.resolved));
        assert_eq!(e.dangling_links, 1);
    }

    #[test]
    fn doors_outline_numbers_in_the_level_column_nest_text_objects_under_their_heading() {
        // DOORS numbers the text objects under heading 1 as 1.0-1, 1.0-2; read as levels
        // they are level 2, and the next chapter (level 1) is not nested under them.
        let text = "Object Identifier,Object Level,Object Heading,Object Text\n\
                    SRS-1,1,Introduction,\n\
                    SRS-2,1.0-1,,The unit shall start.\n\
                    SRS-3,1.1,Power,\n\
                    SRS-4,1.1-1,,The unit shall draw 10 W.\n\
                    SRS-5,1,Operations,\n\
                    SRS-6,2.0-1,,The crew shall be told.\n\
                    SRS-7,3,,The log shall be kept.\n";
        let (e, diags) = csv(text, &ColumnMap::default());
        assert!(diags.is_empty(), "{diags:#?}");
        let levels: Vec<Option<u32>> = e.objects.iter().map(|o| o.level).collect();
        assert_eq!(
            levels,
            [
                Some(1),
                Some(2),
                Some(2),
                Some(3),
                Some(1),
                Some(2),
                Some(3)
            ]
        );
        assert_eq!(obj(&e, "SRS-2").path.labels(), ["Introduction"]);
        assert_eq!(obj(&e, "SRS-3").path.labels(), ["Introduction"]);
        assert_eq!(obj(&e, "SRS-4").path.labels(), ["Introduction", "Power"]);
        assert!(obj(&e, "SRS-5").path.is_empty(), "a new chapter");
        assert_eq!(obj(&e, "SRS-6").path.labels(), ["Operations"]);
        assert_eq!(obj(&e, "SRS-7").path.labels(), ["Operations"]);
        assert!(!obj(&e, "SRS-2").attributes.contains_key("Object Level"));
    }

    #[test]
    fn an_object_number_column_gives_the_levels_when_there_is_no_level_column() {
        let text = "ID,Object Number,Object Heading,Object Text\n\
                    0-1,0-1,,Before any heading.\n\
                    H1,1,Introduction,\n\
                    R1,1.0-1,,The unit shall start.\n\
                    H2,1.1,Power,\n\
                    R2,1.1-1,,The unit shall draw 10 W.\n\
                    H3,2,Operations,\n\
                    R3,2.0-1,,The crew shall be told.\n";
        let (e, diags) = csv(text, &ColumnMap::default());
        assert!(diags.is_empty(), "{diags:#?}");
        let levels: Vec<Option<u32>> = e.objects.iter().map(|o| o.level).collect();
        assert_eq!(
            levels,
            [
                Some(1),
                Some(1),
                Some(2),
                Some(2),
                Some(3),
                Some(1),
                Some(2)
            ]
        );
        assert!(obj(&e, "0-1").path.is_empty());
        assert_eq!(obj(&e, "R2").path.labels(), ["Introduction", "Power"]);
        assert_eq!(obj(&e, "R3").path.labels(), ["Operations"]);
        assert!(!obj(&e, "R3").attributes.contains_key("Object Number"));
        // With a level column, the outline number is only an attribute.
        let both = "ID,Object Level,Object Number,Object Text\nR1,2,1.0-1,x\n";
        let (e, diags) = csv(both, &ColumnMap::default());
        assert!(diags.is_empty(), "{diags:#?}");
        assert_eq!(obj(&e, "R1").level, Some(2));
        assert_eq!(
            obj(&e, "R1").attributes["Object Number"],
            AttrValue::Text("1.0-1".into())
        );
        // A column map names the outline column.
        let named = "ID,Section,Heading,Text\nH1,3,Scope,\nR1,3-1,,x\n";
        let map = ColumnMap {
            outline: Some("Section".into()),
            ..ColumnMap::default()
        };
        let (e, diags) = csv(named, &map);
        assert!(diags.is_empty(), "{diags:#?}");
        assert_eq!(obj(&e, "H1").level, Some(1));
        assert_eq!(obj(&e, "R1").level, Some(2));
        assert_eq!(obj(&e, "R1").path.labels(), ["Scope"]);
    }

    #[test]
    fn a_level_cell_that_is_neither_a_level_nor_an_outline_number_is_a_located_warning() {
        let text = "ID,Object Level,Object Heading,Object Text\n\
                    H1,1,Introduction,\n\
                    R1,High,,The unit shall start.\n\
                    R2,1..2,,The unit shall stop.\n";
        let (e, diags) = csv(text, &ColumnMap::default());
        assert_eq!(diags.len(), 2, "{diags:#?}");
        let d = &diags[0];
        assert_eq!(d.code, Code::InvalidRequirementExport);
        assert_eq!(d.severity, Severity::Warning);
        assert_eq!(
            d.message,
            "line 3: `High` in the column 'Object Level' is not a level (a whole number) or a \
             DOORS outline number (`2.3.1`, `1.0-1`); the object is read without a level"
        );
        // The span is the cell.
        assert_eq!(&text[d.primary.span.range()], "High");
        assert!(diags[1].message.contains("`1..2`"));
        // The objects are kept, without a level.
        assert_eq!(obj(&e, "R1").level, None);
        assert_eq!(obj(&e, "R1").path.labels(), ["Introduction"]);
        assert_eq!(e.objects.len(), 3);
        // In an outline column, a whole number with a fraction is not a number DOORS writes.
        let (_, diags) = csv(
            "ID,Object Number,Object Text\nR1,2.0,x\n",
            &ColumnMap::default(),
        );
        assert!(
            diags[0].message.contains("is not a DOORS outline number"),
            "{diags:#?}"
        );
    }

    #[test]
    fn windows_1252_and_utf16() {
        let mut bytes = b"ID,Text\nR-1,Temp\xE9rature \x80 5\n".to_vec();
        let (e, d) = import_csv(FileId(0), &bytes, &ColumnMap::default());
        assert!(d.is_empty());
        assert_eq!(e.objects[0].text, "Température € 5");
        bytes = [0xFF, 0xFE]
            .into_iter()
            .chain(
                "id;text;heading\r\nÜ-1;Größe;Kopf\r\n"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        let (e, d) = import_csv(FileId(0), &bytes, &ColumnMap::default());
        assert!(d.is_empty(), "{d:#?}");
        assert_eq!(e.objects[0].id, "Ü-1");
        assert_eq!(e.objects[0].text, "Größe");
        assert_eq!(e.objects[0].heading.as_deref(), Some("Kopf"));
        // UTF-8 with a BOM, CRLF.
        let (e, _) = import_csv(
            FileId(0),
            "\u{feff}ID,Text\r\nA,b\r\n".as_bytes(),
            &ColumnMap::default(),
        );
        assert_eq!(e.objects[0].id, "A");
    }

    #[test]
    fn decoding_is_decided_per_file() {
        assert_eq!(decode_checked(b"a,b\n").as_deref(), Ok("a,b\n"));
        assert_eq!(
            decode_checked(b"a,\xE9\n").as_deref(),
            Ok("a,\u{e9}\n"),
            "all Windows-1252"
        );
        let mut bytes = "ID\r\nGr\u{f6}\u{df}e\r\nx".as_bytes().to_vec();
        bytes.extend(b"\xE9y");
        let mixed = decode_checked(&bytes).expect_err("mixed");
        assert_eq!((mixed.line, mixed.column, mixed.byte), (3, 2, 0xE9));
        assert_eq!(mixed.utf8_line, Some(2));
        assert_eq!(&mixed.text[mixed.offset..mixed.offset + 3], "\u{fffd}");
        // A UTF-8 byte-order mark says UTF-8: a bad byte after it is an error too.
        let marked = decode_checked(b"\xEF\xBB\xBFa\n\xE9").expect_err("marked");
        assert_eq!((marked.line, marked.column, marked.utf8_line), (2, 1, None));
        assert!(!marked.text.starts_with('\u{feff}'));
        // UTF-16 is decoded as before.
        assert!(decode_checked(&[0xFF, 0xFE, b'a', 0]).is_ok());
    }

    #[test]
    fn an_open_quote_at_the_end_is_found_as_the_csv_crate_reads_quotes() {
        assert_eq!(unterminated_quote("a,\"b\nc", b','), Some(2));
        assert_eq!(unterminated_quote("a,\"b\"\"c\"\n", b','), None);
        assert_eq!(
            unterminated_quote("a,5\" disk\n", b','),
            None,
            "a quote inside a field"
        );
        assert_eq!(unterminated_quote("a,\"b\"x\"\n", b','), None);
        assert_eq!(unterminated_quote("a;\"b", b';'), Some(2));
        let (_, d) = import_csv(FileId(0), b"ID,Text\nA,\"open\n", &ColumnMap::default());
        assert_eq!(d.len(), 1, "{d:#?}");
        assert!(d[0].message.contains("opened at line 2 is never closed"));
        assert_eq!(d[0].primary.span.range(), 10..11);
    }

    #[test]
    fn missing_id_column_names_the_columns() {
        let (e, d) = csv("Name,Text,Owner\nx,y,z\n", &ColumnMap::default());
        assert!(e.objects.is_empty());
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::InvalidRequirementExport);
        assert!(d[0].message.contains("no id column"), "{}", d[0].message);
        assert!(
            d[0].message.contains("'Name', 'Text', 'Owner'"),
            "{}",
            d[0].message
        );
        assert_eq!(d[0].primary.span.range(), 0..15);
        // A named column that is there works.
        let map = ColumnMap {
            id: Some("owner".into()),
            ..ColumnMap::default()
        };
        let (e, d) = csv("Name,Text,Owner\nx,y,z\n", &map);
        assert!(d.is_empty());
        assert_eq!(e.objects[0].id, "z");
    }

    #[test]
    fn duplicate_ids_and_rows_without_id() {
        let text = "ID,Text\nA,one\nB,two\n,three\n A ,again\n";
        let (e, d) = csv(text, &ColumnMap::default());
        assert_eq!(e.objects.len(), 2);
        assert_eq!(obj(&e, "A").text, "one");
        assert_eq!(d.len(), 2, "{d:#?}");
        assert!(d[0].message.contains("row without an id"));
        assert_eq!(&text[d[0].primary.span.range()], "");
        assert_eq!(
            d[0].primary.span.range().start,
            text.find(",three").unwrap()
        );
        assert!(
            d[1].message
                .contains("duplicate id 'A' at line 5: already at line 2"),
            "{}",
            d[1].message
        );
        assert_eq!(&text[d[1].primary.span.range()], " A ");
        assert_eq!(&text[d[1].secondary[0].span.range()], "A");
    }

    #[test]
    fn header_row_is_searched_and_xhtml_converted() {
        let text = "Module export,,\n,,\nIdentifier,Primary Text,Artifact Type\n\
                    7,\"<div xmlns=\"\"http://www.w3.org/1999/xhtml\"\"><p>Scope</p></div>\",Heading\n\
                    8,\"<div xmlns=\"\"http://www.w3.org/1999/xhtml\"\"><ul><li>a &amp; b</li></ul></div>\",System Requirement\n";
        let (e, d) = csv(text, &ColumnMap::default());
        assert!(d.is_empty(), "{d:#?}");
        assert!(obj(&e, "7").is_heading);
        assert_eq!(obj(&e, "8").text, "- a & b");
        assert_eq!(obj(&e, "8").path.labels(), ["Scope"]);
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        let map = ColumnMap::default();
        for text in [
            "",
            "\n\n\n",
            "\"",
            "ID,Text\n\"unterminated,\n",
            "ID,Text\nA\nB,x,y,z,w\n,,,,\n\"\"\"\",\"\"\n",
            "ID,Text,Level,Out-links\nA,x,99999999999999,;;;,\nB,,-1,Module Name:\nC,y,2,Object Identifier:\n",
            "ID,Text\n=1+1,@SUM(A1)\n_x000D_,_x00ZZ_ _x\n",
        ] {
            let _ = csv(text, &map);
        }
        let huge = format!("ID,Text\nA,\"{}\"\n", "x".repeat(2_000_000));
        let (e, _) = csv(&huge, &map);
        assert_eq!(e.objects[0].text.len(), 2_000_000);
        let _ = import_csv(FileId(0), &[0xFF, 0xFE, 0x00], &map);
        let _ = import_csv(FileId(0), &[0x80, 0x00, 0xFF, b'\n', b'"'], &map);
        for ext in ["xlsx", "xls", "ods", "xlsb", "", "zip"] {
            let (e, d) = import_workbook(FileId(0), b"PK\x03\x04 not a workbook", ext, &map, None);
            assert!(e.objects.is_empty());
            assert_eq!(d.len(), 1, "{ext}: {d:#?}");
            assert!(d[0].message.contains("unreadable"), "{}", d[0].message);
        }
        let (_, d) = import_workbook(FileId(0), b"", "xlsx", &map, None);
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn helpers() {
        assert_eq!(clean_text("a_x000D_\nb_x005F_x000D_"), "a\nb_x000D_");
        assert_eq!(clean_text("a_x0000_b_x0001_"), "a\u{FFFD}b\u{FFFD}");
        assert_eq!(
            split_links(&clean_text(
                "Module Name:M_x000D_\nObject Identifier:1\n2, 3"
            )),
            ["M:1", "2", "3"]
        );
        assert_eq!(with_prefix("12", Some("SRS-")), "SRS-12");
        assert_eq!(with_prefix("X12", Some("SRS")), "X12");
        assert_eq!(
            typed_text("['Analysis', 'Test']"),
            AttrValue::Enum(vec!["Analysis".into(), "Test".into()])
        );
        assert_eq!(typed_text("-12"), AttrValue::Integer(-12));
        assert_eq!(typed_text("TRUE"), AttrValue::Bool(true));
        assert_eq!(
            typed_text("2024-13-01"),
            AttrValue::Text("2024-13-01".into())
        );
        assert_eq!(
            typed_text("19.05.2024 16:21:32"),
            AttrValue::Date("2024-05-19T16:21:32".into())
        );
        assert_eq!(typed_text("1e5"), AttrValue::Real(1e5));
        assert_eq!(typed_text("NaN"), AttrValue::Text("NaN".into()));
        // DOORS in a European locale; month first only when it cannot be day first.
        assert_eq!(
            typed_text("29/09/2014"),
            AttrValue::Date("2014-09-29".into())
        );
        assert_eq!(
            typed_text("01/02/2014"),
            AttrValue::Date("2014-02-01".into())
        );
        assert_eq!(
            typed_text("09/29/2014"),
            AttrValue::Date("2014-09-29".into())
        );
        assert_eq!(
            typed_text("31/31/2014"),
            AttrValue::Text("31/31/2014".into())
        );
    }
}
