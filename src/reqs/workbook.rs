//! Workbooks (XLSX, XLSM, XLSB, XLS, ODS) read cell by cell, within documented bounds, for
//! the requirement importer ([`super::tabular`]) and the monthly report's tables
//! (`monthly::table`).
//!
//! A sheet is read as its **used cells** (row, column, value), in row then column order,
//! never as a rectangle of rows × columns: an XLSX holding `A1` and `XFD1048576` is two
//! cells. XLSX/XLSM and XLSB are read with calamine's cell readers. XLS and ODS have no
//! cell reader (calamine lays every sheet out as a rectangle when it opens the file), so
//! the file is measured first, by a scan of its own: past the bounds it is refused before
//! calamine sees it.
//!
//! The bounds (docs/limits.md, "Requirement exports and spreadsheets"):
//!
//! - [`MAX_UNPACKED`]: a zipped workbook unpacks to at most 512 MiB.
//! - [`MAX_CELLS`]: at most 4,194,304 used cells are read from a workbook.
//! - [`MAX_CELL_TEXT`]: a cell's text is at most 1 MiB.
//! - [`MAX_TEXT`]: the text read from a workbook's cells is at most 256 MiB in all, a
//!   shared string counted each time a cell uses it (what the importers make of it grows
//!   with that sum); one shared string is held once however many cells use it.
//! - [`MAX_LAID_OUT`]: XLS and ODS: the cells calamine lays out (each sheet's rectangle
//!   from its first to its last used cell, and what it reserves for the declared size) are
//!   at most 4,194,304 over the workbook; an XLSX's shared-string table declares at most
//!   [`MAX_CELLS`] strings (calamine reserves room for them).
//! - Cell references are checked before calamine parses them: `A1` to `XFD1048576`.
//!
//! Past a bound the workbook is not read: [`ReadError`] names the sheet and the cell where
//! the bound was passed. A panic inside calamine is caught ([`super::guard`]) and reported
//! the same way ("the reader failed at …; please report it").

use crate::context::contain_panic as quietly;
use calamine::{CellErrorType, Data, DataRef, ExcelDateTime, Reader};
use std::collections::HashMap;
use std::io::{BufReader, Cursor, Read};
use std::sync::Arc;

/// The most a zipped workbook (XLSX, XLSM, XLSB, ODS) may unpack to: a zip bomb is
/// refused before the workbook reader sees it.
pub const MAX_UNPACKED: u64 = 512 * 1024 * 1024;
/// The most used (non-empty) cells read from one workbook.
pub const MAX_CELLS: usize = 4 * 1024 * 1024;
/// The longest text of one cell, in bytes (UTF-8). Excel itself stops at 32,767
/// characters.
pub const MAX_CELL_TEXT: usize = 1024 * 1024;
/// The most text read from one workbook's cells, in bytes, a shared string counted once per
/// cell that uses it.
pub const MAX_TEXT: usize = 256 * 1024 * 1024;
/// XLS and ODS: the most cells calamine may lay out for the whole workbook.
pub const MAX_LAID_OUT: u64 = 4 * 1024 * 1024;
/// Rows of a sheet (`1` to `1048576`).
pub const SHEET_ROWS: u32 = 1_048_576;
/// Columns of a sheet (`A` to `XFD`).
pub const SHEET_COLUMNS: u32 = 16_384;

/// One cell's value as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text; cells using one shared string share its allocation.
    Text(Arc<str>),
    Int(i64),
    Real(f64),
    Bool(bool),
    /// A date, time or duration cell (a number with a date format).
    DateTime(ExcelDateTime),
    /// A date or time written as ISO 8601 text (ODS, XLSX `t="d"`).
    DateIso(String),
    /// A duration written as ISO 8601 text (ODS).
    DurationIso(String),
    /// A formula that failed in the spreadsheet (`#DIV/0!`).
    Error(CellErrorType),
}

impl Value {
    fn text_len(&self) -> usize {
        match self {
            Value::Text(s) => s.len(),
            Value::DateIso(s) | Value::DurationIso(s) => s.len(),
            _ => 0,
        }
    }
}

/// A used cell: zero-based row and column, and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetCell {
    pub row: u32,
    pub col: u32,
    pub value: Value,
}

/// A sheet's used cells, sorted by row then column, one per position (the last written
/// wins, as in the spreadsheet programs).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub cells: Vec<SheetCell>,
}

/// Why a workbook (or a sheet of it) could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub sheet: Option<String>,
    /// A cell (`B7`), a range (`A1:XFD1048576`) or a reference as written.
    pub cell: Option<String>,
    pub message: String,
}

impl ReadError {
    fn new(message: impl Into<String>) -> Self {
        ReadError {
            sheet: None,
            cell: None,
            message: message.into(),
        }
    }

    fn at(sheet: &str, cell: Option<String>, message: impl Into<String>) -> Self {
        ReadError {
            sheet: Some(sheet.to_string()),
            cell,
            message: message.into(),
        }
    }

    /// `sheet 'Objects' cell B7: message`, or the message alone.
    pub fn full(&self) -> String {
        match (&self.sheet, &self.cell) {
            (Some(s), Some(c)) => format!("sheet '{s}' cell {c}: {}", self.message),
            (Some(s), None) => format!("sheet '{s}': {}", self.message),
            (None, Some(c)) => format!("cell {c}: {}", self.message),
            (None, None) => self.message.clone(),
        }
    }
}

/// The reader failed (a panic inside it): one located finding.
fn reader_failed(at: &str, p: &str) -> String {
    format!(
        "the workbook could not be read: the reader failed at {at} ({}); please report it, \
         with the file if you can",
        p
    )
}

/// What the cells read so far from one workbook used of the bounds.
#[derive(Debug, Default)]
pub struct Budget {
    text: usize,
    cells: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
}

enum Inner<'a> {
    Xlsx(calamine::Xlsx<Cursor<&'a [u8]>>),
    Xlsb(calamine::Xlsb<Cursor<&'a [u8]>>),
    Xls(calamine::Xls<Cursor<&'a [u8]>>),
    Ods(calamine::Ods<Cursor<&'a [u8]>>),
}

/// An open workbook over bytes in memory.
pub struct Workbook<'a> {
    bytes: &'a [u8],
    inner: Inner<'a>,
    names: Vec<String>,
    /// XLSX: each sheet's part (`xl/worksheets/sheet1.xml`), for the reference check.
    parts: HashMap<String, String>,
}

/// The format by extension (`xlsx`, `xlsm`, `xlam`, `xls`, `xla`, `xlsb`, `ods`), else
/// by the bytes.
fn format_of(bytes: &[u8], ext: &str) -> Option<Format> {
    match ext {
        "xlsx" | "xlsm" | "xlam" => return Some(Format::Xlsx),
        "xls" | "xla" => return Some(Format::Xls),
        "xlsb" => return Some(Format::Xlsb),
        "ods" => return Some(Format::Ods),
        _ => {}
    }
    if bytes.starts_with(&CFB_MAGIC) {
        return Some(Format::Xls);
    }
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let has = |name: &str| archive.file_names().any(|n| n.eq_ignore_ascii_case(name));
    if has("xl/workbook.xml") {
        Some(Format::Xlsx)
    } else if has("xl/workbook.bin") {
        Some(Format::Xlsb)
    } else if has("content.xml") {
        Some(Format::Ods)
    } else {
        None
    }
}

/// Opens a workbook by its extension (any other extension is sniffed), or says why it
/// cannot be read. The zip bomb check, and for XLS and ODS the layout check, run first.
pub fn open<'a>(bytes: &'a [u8], extension: &str) -> Result<Workbook<'a>, ReadError> {
    let ext = extension.trim_start_matches('.').to_ascii_lowercase();
    let unreadable = |e: String| ReadError::new(format!("unreadable workbook ({ext}): {e}"));
    // The checks read the archive too (zip, quick-xml): under the guard as well.
    let checked = quietly(|| -> Result<Option<Format>, ReadError> {
        check_unpacked_size(bytes, MAX_UNPACKED).map_err(unreadable)?;
        let format = format_of(bytes, &ext);
        match format {
            Some(Format::Xls) => xls::prescan(bytes)?,
            Some(Format::Ods) => ods_prescan(bytes)?,
            Some(Format::Xlsx) => shared_strings_check(bytes)?,
            Some(Format::Xlsb) => xlsb_shared_strings_check(bytes)?,
            None => {}
        }
        Ok(format)
    });
    let format = match checked {
        Ok(r) => r?,
        Err(p) => return Err(ReadError::new(reader_failed("checking the workbook", &p))),
    };
    let opened = quietly(|| -> Result<Inner<'a>, String> {
        use calamine::open_workbook_from_rs as open;
        let cursor = Cursor::new(bytes);
        let e = |e: &dyn std::fmt::Display| e.to_string();
        Ok(match format {
            Some(Format::Xlsx) => Inner::Xlsx(open(cursor).map_err(|x| e(&x))?),
            Some(Format::Xlsb) => Inner::Xlsb(open(cursor).map_err(|x| e(&x))?),
            Some(Format::Xls) => Inner::Xls(open(cursor).map_err(|x| e(&x))?),
            Some(Format::Ods) => Inner::Ods(open(cursor).map_err(|x| e(&x))?),
            None => match calamine::open_workbook_auto_from_rs(cursor).map_err(|x| e(&x))? {
                calamine::Sheets::Xlsx(x) => Inner::Xlsx(x),
                calamine::Sheets::Xlsb(x) => Inner::Xlsb(x),
                calamine::Sheets::Xls(x) => Inner::Xls(x),
                calamine::Sheets::Ods(x) => Inner::Ods(x),
            },
        })
    })
    .map_err(|p| ReadError::new(reader_failed("opening the workbook", &p)))?;
    let inner = opened.map_err(unreadable)?;
    let names = match &inner {
        Inner::Xlsx(x) => x.sheet_names(),
        Inner::Xlsb(x) => x.sheet_names(),
        Inner::Xls(x) => x.sheet_names(),
        Inner::Ods(x) => x.sheet_names(),
    };
    let parts = match inner {
        Inner::Xlsx(_) => quietly(|| xlsx_sheet_parts(bytes))
            .map_err(|p| ReadError::new(reader_failed("checking the workbook", &p)))?,
        _ => HashMap::new(),
    };
    Ok(Workbook {
        bytes,
        inner,
        names,
        parts,
    })
}

impl Workbook<'_> {
    /// The sheets' names, in the workbook's order.
    pub fn sheet_names(&self) -> &[String] {
        &self.names
    }

    /// Reads one sheet's used cells, counting them against `budget` (shared by the sheets
    /// of one workbook).
    pub fn read_sheet(&mut self, name: &str, budget: &mut Budget) -> Result<Sheet, ReadError> {
        if let Some(part) = self.parts.get(name) {
            quietly(|| check_xlsx_references(self.bytes, part, name)).map_err(|p| {
                ReadError::at(name, None, reader_failed("checking the sheet", &p))
            })??;
        }
        let mut last: Option<(u32, u32)> = None;
        let mut shared: HashMap<usize, Arc<str>> = HashMap::new();
        let inner = &mut self.inner;
        let read = quietly(|| -> Result<Vec<SheetCell>, ReadError> {
            let mut cells = Vec::new();
            let unreadable = |e: String, last: Option<(u32, u32)>| {
                let after = last
                    .map(|(r, c)| {
                        format!(" after cell {}", super::cell_name(r as usize, c as usize))
                    })
                    .unwrap_or_default();
                ReadError::at(name, None, format!("unreadable sheet{after}: {e}"))
            };
            match inner {
                Inner::Xlsx(x) => {
                    let mut reader = x
                        .worksheet_cells_reader(name)
                        .map_err(|e| unreadable(e.to_string(), None))?;
                    loop {
                        match reader.next_cell() {
                            Ok(Some(c)) => {
                                let (r, col) = c.get_position();
                                last = Some((r, col));
                                if let Some(v) = from_ref(c.get_value(), &mut shared) {
                                    accept(name, r, col, v, budget, &mut cells)?;
                                }
                            }
                            Ok(None) => break,
                            Err(e) => return Err(unreadable(e.to_string(), last)),
                        }
                    }
                }
                Inner::Xlsb(x) => {
                    let mut reader = x
                        .worksheet_cells_reader(name)
                        .map_err(|e| unreadable(e.to_string(), None))?;
                    loop {
                        match reader.next_cell() {
                            Ok(Some(c)) => {
                                let (r, col) = c.get_position();
                                last = Some((r, col));
                                if let Some(v) = from_ref(c.get_value(), &mut shared) {
                                    accept(name, r, col, v, budget, &mut cells)?;
                                }
                            }
                            Ok(None) => break,
                            Err(e) => return Err(unreadable(e.to_string(), last)),
                        }
                    }
                }
                Inner::Xls(x) => {
                    let range = x
                        .worksheet_range(name)
                        .map_err(|e| unreadable(e.to_string(), None))?;
                    from_range(name, &range, budget, &mut cells)?;
                }
                Inner::Ods(x) => {
                    let range = x
                        .worksheet_range(name)
                        .map_err(|e| unreadable(e.to_string(), None))?;
                    from_range(name, &range, budget, &mut cells)?;
                }
            }
            Ok(cells)
        });
        let mut cells = match read {
            Ok(r) => r?,
            Err(p) => {
                let at = match last {
                    Some((r, c)) => format!(
                        "sheet '{name}' after cell {}",
                        super::cell_name(r as usize, c as usize)
                    ),
                    None => format!("sheet '{name}'"),
                };
                return Err(ReadError::at(name, None, reader_failed(&at, &p)));
            }
        };
        // Row then column; the last cell written at a position wins.
        cells.sort_by_key(|c| (c.row, c.col));
        let mut out: Vec<SheetCell> = Vec::with_capacity(cells.len());
        for c in cells {
            match out.last_mut() {
                Some(prev) if (prev.row, prev.col) == (c.row, c.col) => *prev = c,
                _ => out.push(c),
            }
        }
        Ok(Sheet {
            name: name.to_string(),
            cells: out,
        })
    }
}

/// A cell from a cell reader; `None` for an empty one. A shared string becomes one
/// `Arc<str>` however many cells use it (keyed by where calamine holds it).
fn from_ref(d: &DataRef<'_>, shared: &mut HashMap<usize, Arc<str>>) -> Option<Value> {
    Some(match d {
        DataRef::Empty => return None,
        DataRef::Int(i) => Value::Int(*i),
        DataRef::Float(f) => Value::Real(*f),
        DataRef::Bool(b) => Value::Bool(*b),
        DataRef::String(s) => Value::Text(Arc::from(s.as_str())),
        DataRef::SharedString(s) => Value::Text(
            shared
                .entry(s.as_ptr() as usize)
                .or_insert_with(|| Arc::from(*s))
                .clone(),
        ),
        DataRef::DateTime(dt) => Value::DateTime(*dt),
        DataRef::DateTimeIso(s) => Value::DateIso(s.clone()),
        DataRef::DurationIso(s) => Value::DurationIso(s.clone()),
        DataRef::Error(e) => Value::Error(e.clone()),
    })
}

fn from_data(d: &Data) -> Option<Value> {
    Some(match d {
        Data::Empty => return None,
        Data::Int(i) => Value::Int(*i),
        Data::Float(f) => Value::Real(*f),
        Data::Bool(b) => Value::Bool(*b),
        Data::String(s) => Value::Text(Arc::from(s.as_str())),
        Data::DateTime(dt) => Value::DateTime(*dt),
        Data::DateTimeIso(s) => Value::DateIso(s.clone()),
        Data::DurationIso(s) => Value::DurationIso(s.clone()),
        Data::Error(e) => Value::Error(e.clone()),
    })
}

/// The used cells of a range calamine laid out (XLS, ODS).
fn from_range(
    name: &str,
    range: &calamine::Range<Data>,
    budget: &mut Budget,
    cells: &mut Vec<SheetCell>,
) -> Result<(), ReadError> {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    for (r, c, d) in range.used_cells() {
        if let Some(v) = from_data(d) {
            let row = r0.saturating_add(u32::try_from(r).unwrap_or(u32::MAX));
            let col = c0.saturating_add(u32::try_from(c).unwrap_or(u32::MAX));
            accept(name, row, col, v, budget, cells)?;
        }
    }
    Ok(())
}

/// Takes one used cell, within the bounds.
fn accept(
    sheet: &str,
    row: u32,
    col: u32,
    value: Value,
    budget: &mut Budget,
    cells: &mut Vec<SheetCell>,
) -> Result<(), ReadError> {
    let here = || {
        if row < SHEET_ROWS && col < SHEET_COLUMNS {
            Some(super::cell_name(row as usize, col as usize))
        } else {
            None
        }
    };
    if row >= SHEET_ROWS || col >= SHEET_COLUMNS {
        return Err(ReadError::at(
            sheet,
            None,
            format!(
                "a cell at row {}, column {} is outside a sheet (rows 1 to {SHEET_ROWS}, \
                 columns A to XFD); the workbook is not read",
                u64::from(row) + 1,
                u64::from(col) + 1
            ),
        ));
    }
    let len = value.text_len();
    if len > MAX_CELL_TEXT {
        return Err(ReadError::at(
            sheet,
            here(),
            format!(
                "this cell holds {} of text, more than the limit of {} per cell; the \
                 workbook is not read",
                bytes_text(len as u64),
                bytes_text(MAX_CELL_TEXT as u64)
            ),
        ));
    }
    budget.text = budget.text.saturating_add(len);
    if budget.text > MAX_TEXT {
        return Err(ReadError::at(
            sheet,
            here(),
            format!(
                "the text read from the workbook's cells passes {} here (a shared string \
                 counts once per cell that uses it); the workbook is not read",
                bytes_text(MAX_TEXT as u64)
            ),
        ));
    }
    budget.cells += 1;
    if budget.cells > MAX_CELLS {
        return Err(ReadError::at(
            sheet,
            here(),
            format!(
                "the workbook has more than {} used cells (this is one too many); it is not \
                 read",
                thousands(MAX_CELLS as u64)
            ),
        ));
    }
    cells.push(SheetCell { row, col, value });
    Ok(())
}

/// `1 MiB`, `256 MiB`, `1.5 MiB`, `12,345 bytes`.
fn bytes_text(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if n >= MIB {
        if n % MIB == 0 {
            format!("{} MiB", n / MIB)
        } else {
            format!("{:.1} MiB", n as f64 / MIB as f64)
        }
    } else {
        format!("{} bytes", thousands(n))
    }
}

/// `4,194,304`.
fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

// ---------------------------------------------------------------------------------------
// Zipped workbooks: unpacked size, XLSX parts and references, ODS layout

/// Refuses a zip archive that unpacks to more than `limit` bytes in all. The sizes its
/// directory declares are checked first; then every member is inflated into nothing,
/// at most `limit` bytes in all, since a forged archive may declare less than it holds.
/// Bytes that are not a zip archive (an XLS, a CSV named .xlsx) pass: the workbook
/// reader says why it cannot read them.
pub fn check_unpacked_size(bytes: &[u8], limit: u64) -> Result<(), String> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let refused = || {
        format!(
            "it unpacks to more than {} MiB (a zip bomb?); not read",
            limit / (1024 * 1024)
        )
    };
    let mut declared: u64 = 0;
    for i in 0..archive.len() {
        if let Ok(member) = archive.by_index_raw(i) {
            declared = declared.saturating_add(member.size());
        }
    }
    if declared > limit {
        return Err(refused());
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let Ok(member) = archive.by_index(i) else {
            continue;
        };
        let mut capped = member.take(limit - total + 1);
        // A member that cannot be inflated is the workbook reader's to report.
        let n = std::io::copy(&mut capped, &mut std::io::sink()).unwrap_or(0);
        total += n;
        if total > limit {
            return Err(refused());
        }
    }
    Ok(())
}

/// A member of a zip archive by name, ignoring case (as calamine finds them).
fn member_name(archive: &zip::ZipArchive<Cursor<&[u8]>>, wanted: &str) -> Option<String> {
    archive
        .file_names()
        .find(|n| n.replace('\\', "/").eq_ignore_ascii_case(wanted))
        .map(str::to_string)
}

/// An XML reader over one member of a zipped workbook.
type MemberXml<'z, 'b> = quick_xml::Reader<BufReader<zip::read::ZipFile<'z, Cursor<&'b [u8]>>>>;

fn member_xml<'z, 'b>(
    archive: &'z mut zip::ZipArchive<Cursor<&'b [u8]>>,
    name: &str,
) -> Option<MemberXml<'z, 'b>> {
    let member = archive.by_name(name).ok()?;
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(member));
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    Some(xml)
}

/// The value of attribute `key` (exactly, prefix included) of a start tag.
fn attribute(e: &quick_xml::events::BytesStart<'_>, key: &[u8]) -> Option<Vec<u8>> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .map(|a| a.value.into_owned())
}

/// XLSX: calamine reserves room for the number of strings the shared-string table
/// declares (`<sst uniqueCount>`) before reading them, and holds every string it lists
/// (an empty `<si/>` is five bytes of XML, and a string kept in memory takes far more):
/// more than [`MAX_CELLS`] declared or listed is refused.
fn shared_strings_check(bytes: &[u8]) -> Result<(), ReadError> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let Some(name) = member_name(&archive, "xl/sharedStrings.xml") else {
        return Ok(());
    };
    let Some(mut xml) = member_xml(&mut archive, &name) else {
        return Ok(());
    };
    let too_many = |what: String| {
        Err(ReadError::new(format!(
            "unreadable workbook: its shared-string table ({name}) {what}; not read"
        )))
    };
    let mut listed: u64 = 0;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Start(e)) | Ok(quick_xml::events::Event::Empty(e)) => {
                match e.local_name().as_ref() {
                    b"sst" => {
                        let count = attribute(&e, b"uniqueCount").unwrap_or_default();
                        let text = String::from_utf8_lossy(&count);
                        if let Ok(n) = text.trim().parse::<u128>() {
                            if n > MAX_CELLS as u128 {
                                return too_many(format!(
                                    "declares {} strings, more than the {} a workbook may hold \
                                     here",
                                    thousands(u64::try_from(n).unwrap_or(u64::MAX)),
                                    thousands(MAX_CELLS as u64)
                                ));
                            }
                        }
                    }
                    b"si" => {
                        listed += 1;
                        if listed > MAX_CELLS as u64 {
                            return too_many(format!(
                                "lists more than {} strings, the most a workbook may hold here",
                                thousands(MAX_CELLS as u64)
                            ));
                        }
                        if xml.buffer_position() > MAX_TEXT as u64 {
                            return too_many(format!(
                                "is more than {} (calamine holds it whole)",
                                bytes_text(MAX_TEXT as u64)
                            ));
                        }
                    }
                    _ => {}
                }
            }
            // Malformed XML is calamine's to report.
            Ok(quick_xml::events::Event::Eof) | Err(_) => return Ok(()),
            _ => {}
        }
    }
}

/// XLSB: the shared-string table (`xl/sharedStrings.bin`) counted the same way, by its
/// string records (BrtSSTItem).
fn xlsb_shared_strings_check(bytes: &[u8]) -> Result<(), ReadError> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let Some(name) = member_name(&archive, "xl/sharedStrings.bin") else {
        return Ok(());
    };
    let Ok(member) = archive.by_name(&name) else {
        return Ok(());
    };
    let mut r = BufReader::new(member);
    let mut byte = || -> Option<u8> {
        let mut b = [0u8; 1];
        r.read_exact(&mut b).ok()?;
        Some(b[0])
    };
    let mut listed: u64 = 0;
    loop {
        // A record: its type (one or two bytes of seven bits), its size (up to four).
        let Some(b) = byte() else { return Ok(()) };
        let typ = if b & 0x80 != 0 {
            let Some(b2) = byte() else { return Ok(()) };
            u16::from(b & 0x7F) | (u16::from(b2 & 0x7F) << 7)
        } else {
            u16::from(b)
        };
        let mut size = 0usize;
        for i in 0..4 {
            let Some(b) = byte() else { return Ok(()) };
            size |= usize::from(b & 0x7F) << (7 * i);
            if b & 0x80 == 0 {
                break;
            }
        }
        for _ in 0..size {
            if byte().is_none() {
                return Ok(());
            }
        }
        if typ == 0x0013 {
            listed += 1;
            if listed > MAX_CELLS as u64 {
                return Err(ReadError::new(format!(
                    "unreadable workbook: its shared-string table ({name}) lists more than {} \
                     strings, the most a workbook may hold here; not read",
                    thousands(MAX_CELLS as u64)
                )));
            }
        }
    }
}

/// XLSX: each sheet's part, from `xl/workbook.xml` and its relationships. Sheets not
/// found here are left to calamine.
fn xlsx_sheet_parts(bytes: &[u8]) -> HashMap<String, String> {
    use quick_xml::events::Event;
    let mut out = HashMap::new();
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return out;
    };
    let mut sheets: Vec<(String, Vec<u8>)> = Vec::new();
    if let Some(name) = member_name(&archive, "xl/workbook.xml") {
        if let Some(mut xml) = member_xml(&mut archive, &name) {
            let mut buf = Vec::new();
            loop {
                buf.clear();
                match xml.read_event_into(&mut buf) {
                    Ok(Event::Start(e)) | Ok(Event::Empty(e))
                        if e.local_name().as_ref() == b"sheet" =>
                    {
                        let name = e
                            .attributes()
                            .with_checks(false)
                            .flatten()
                            .find(|a| a.key.as_ref() == b"name")
                            .map(|a| {
                                super::xhtml::decode_entities(&String::from_utf8_lossy(&a.value))
                            });
                        // As calamine: the last attribute named `id` in any namespace.
                        let id = e
                            .attributes()
                            .with_checks(false)
                            .flatten()
                            .filter(|a| a.key.local_name().as_ref() == b"id")
                            .last()
                            .map(|a| a.value.into_owned());
                        if let (Some(n), Some(i)) = (name, id) {
                            sheets.push((n, i));
                        }
                    }
                    Ok(Event::Eof) | Err(_) => break,
                    _ => {}
                }
            }
        }
    }
    let mut targets: HashMap<Vec<u8>, String> = HashMap::new();
    if let Some(name) = member_name(&archive, "xl/_rels/workbook.xml.rels") {
        if let Some(mut xml) = member_xml(&mut archive, &name) {
            let mut buf = Vec::new();
            loop {
                buf.clear();
                match xml.read_event_into(&mut buf) {
                    Ok(Event::Start(e)) | Ok(Event::Empty(e))
                        if e.local_name().as_ref() == b"Relationship" =>
                    {
                        if let (Some(id), Some(t)) =
                            (attribute(&e, b"Id"), attribute(&e, b"Target"))
                        {
                            // As calamine resolves a target.
                            let t = String::from_utf8_lossy(&t).into_owned();
                            let path = if t.starts_with("/xl/") {
                                t[1..].to_string()
                            } else if t.starts_with("xl/") {
                                t
                            } else {
                                format!("xl/{t}")
                            };
                            targets.insert(id, path);
                        }
                    }
                    Ok(Event::Eof) | Err(_) => break,
                    _ => {}
                }
            }
        }
    }
    for (name, id) in sheets {
        if let Some(path) = targets.get(&id) {
            if let Some(member) = member_name(&archive, path) {
                out.insert(name, member);
            }
        }
    }
    out
}

/// `(row, column)`, zero-based, of an `A1` reference within a sheet; `None` for anything
/// else (too many letters or digits, row 0, past `XFD1048576`).
pub fn parse_cell_reference(r: &[u8]) -> Option<(u32, u32)> {
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = &r[letters..];
    if !(1..=3).contains(&letters)
        || digits.is_empty()
        || digits.len() > 7
        || !digits.iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    let col = r[..letters].iter().fold(0u32, |acc, b| {
        acc * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1
    });
    let row = digits
        .iter()
        .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'));
    if row == 0 || row > SHEET_ROWS || col > SHEET_COLUMNS {
        return None;
    }
    Some((row - 1, col - 1))
}

/// A row number (`<row r="12">`) within a sheet.
fn row_number_ok(r: &[u8]) -> bool {
    !r.is_empty()
        && r.len() <= 7
        && r.iter().all(u8::is_ascii_digit)
        && (1..=SHEET_ROWS).contains(&r.iter().fold(0u32, |a, b| a * 10 + u32::from(b - b'0')))
}

/// A reference calamine parses without overflowing (the `<dimension>` of a sheet is only
/// informative, so only what could overflow is refused there).
fn dimension_part_ok(r: &[u8]) -> bool {
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    letters <= 6 && r.len() - letters <= 9
}

/// XLSX: every cell reference (`<c r>`), row number (`<row r>`) and the sheet's
/// `<dimension ref>` are checked before calamine parses them (it computes them without
/// checking for overflow).
fn check_xlsx_references(bytes: &[u8], part: &str, sheet: &str) -> Result<(), ReadError> {
    use quick_xml::events::Event;
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let Some(mut xml) = member_xml(&mut archive, part) else {
        return Ok(());
    };
    let shown = |r: &[u8]| {
        let s = String::from_utf8_lossy(r);
        let s: String = s.chars().take(24).collect();
        s.escape_debug().to_string()
    };
    let mut last: Option<(u32, u32)> = None;
    let after = |last: Option<(u32, u32)>| match last {
        Some((r, c)) => format!(" after {}", super::cell_name(r as usize, c as usize)),
        None => String::new(),
    };
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                b"c" => {
                    if let Some(r) = attribute(&e, b"r") {
                        match parse_cell_reference(&r) {
                            Some(p) => last = Some(p),
                            None => {
                                return Err(ReadError::at(
                                    sheet,
                                    None,
                                    format!(
                                        "a cell{} is written `{}`, which is not a cell of a \
                                         sheet (columns A to XFD, rows 1 to {SHEET_ROWS}); the \
                                         workbook is not read",
                                        after(last),
                                        shown(&r)
                                    ),
                                ))
                            }
                        }
                    }
                }
                b"row" => {
                    if let Some(r) = attribute(&e, b"r") {
                        if !row_number_ok(&r) {
                            return Err(ReadError::at(
                                sheet,
                                None,
                                format!(
                                    "a row{} is numbered `{}`, which is not a row of a sheet (1 \
                                     to {SHEET_ROWS}); the workbook is not read",
                                    after(last),
                                    shown(&r)
                                ),
                            ));
                        }
                    }
                }
                b"dimension" => {
                    if let Some(r) = attribute(&e, b"ref") {
                        if !r.split(|b| *b == b':').all(dimension_part_ok) {
                            return Err(ReadError::at(
                                sheet,
                                None,
                                format!(
                                    "the sheet's dimension `{}` is not a range of cells; the \
                                     workbook is not read",
                                    shown(&r)
                                ),
                            ));
                        }
                    }
                }
                _ => {}
            },
            Ok(Event::End(e)) if e.local_name().as_ref() == b"sheetData" => return Ok(()),
            // Malformed XML is calamine's to report.
            Ok(Event::Eof) | Err(_) => return Ok(()),
            _ => {}
        }
    }
}

/// ODS: calamine lays every table out when it opens the file, copying a cell's value for
/// each repeated column and row. The content is measured first: the cells laid out and
/// the text copied, over all tables.
fn ods_prescan(bytes: &[u8]) -> Result<(), ReadError> {
    use quick_xml::events::Event;
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let Some(name) = member_name(&archive, "content.xml") else {
        return Ok(());
    };
    let Some(mut xml) = member_xml(&mut archive, &name) else {
        return Ok(());
    };
    xml.config_mut().expand_empty_elements = true;
    let number = |e: &quick_xml::events::BytesStart<'_>, key: &[u8]| -> u64 {
        attribute(e, key)
            .and_then(|v| String::from_utf8_lossy(&v).trim().parse::<u64>().ok())
            .unwrap_or(1)
    };
    #[derive(Default)]
    struct Table {
        name: String,
        rows: u64,
        first: Option<u64>,
        last_end: u64,
        col_min: u64,
        col_max: u64,
    }
    let mut laid_out: u64 = 0;
    let mut text: u64 = 0;
    let mut table: Option<Table> = None;
    // The current row: its repeats, position, and whether it holds a value.
    let mut row: Option<(u64, u64, bool, u64)> = None; // (repeats, col, non-empty, pushed)
                                                       // The current cell: (repeats, has a value by attribute, its text length, depth).
    let mut cell: Option<(u64, bool, u64, usize)> = None;
    let mut depth = 0usize;
    let mut buf = Vec::new();
    let over = |what: String, table: &Table, cell: Option<String>| {
        Err(ReadError::at(
            &table.name,
            cell,
            format!("{what}; the workbook is not read"),
        ))
    };
    loop {
        buf.clear();
        let event = match xml.read_event_into(&mut buf) {
            Ok(e) => e,
            // Malformed XML is calamine's to report.
            Err(_) => return Ok(()),
        };
        match event {
            Event::Start(e) => {
                depth += 1;
                match e.name().as_ref() {
                    b"table:table" if table.is_none() => {
                        let name = attribute(&e, b"table:name")
                            .map(|v| super::xhtml::decode_entities(&String::from_utf8_lossy(&v)))
                            .unwrap_or_default();
                        table = Some(Table {
                            name,
                            col_min: u64::MAX,
                            ..Table::default()
                        });
                    }
                    b"table:table-row" if table.is_some() && row.is_none() => {
                        let t = table.as_ref().map_or(0, |t| t.rows);
                        let repeats = number(&e, b"table:number-rows-repeated")
                            .min(u64::from(SHEET_ROWS).saturating_sub(t));
                        row = Some((repeats, 0, false, 0));
                    }
                    b"table:table-cell" | b"table:covered-table-cell"
                        if row.is_some() && cell.is_none() =>
                    {
                        let repeats = number(&e, b"table:number-columns-repeated");
                        let mut valued = false;
                        let mut len = 0u64;
                        for a in e.attributes().with_checks(false).flatten() {
                            match a.key.as_ref() {
                                b"office:value" | b"office:boolean-value" | b"table:formula" => {
                                    valued = true
                                }
                                b"office:string-value"
                                | b"office:date-value"
                                | b"office:time-value" => {
                                    valued = true;
                                    len += a.value.len() as u64;
                                }
                                _ => {}
                            }
                        }
                        cell = Some((repeats, valued, len, depth));
                    }
                    _ => {}
                }
            }
            // The cell's text is in its paragraphs (`text:p`), not between its elements.
            Event::Text(t) => {
                if let Some((_, _, len, d)) = cell.as_mut() {
                    if depth > *d {
                        *len += t.len() as u64;
                    }
                }
            }
            Event::GeneralRef(_) => {
                if let Some((_, _, len, d)) = cell.as_mut() {
                    if depth > *d {
                        *len += 4;
                    }
                }
            }
            Event::End(e) => {
                let name = e.name();
                if let (Some((repeats, valued, len, d)), Some(t), Some(r)) =
                    (cell, table.as_mut(), row.as_mut())
                {
                    if d == depth {
                        // The cell ends.
                        cell = None;
                        let reps = repeats.min(u64::from(SHEET_COLUMNS).saturating_sub(r.1));
                        if valued || len > 0 {
                            let at = Some(super::cell_name(t.rows as usize, r.1 as usize));
                            if len > MAX_CELL_TEXT as u64 {
                                return over(
                                    format!(
                                        "this cell holds {} of text, more than the limit of {} \
                                         per cell",
                                        bytes_text(len),
                                        bytes_text(MAX_CELL_TEXT as u64)
                                    ),
                                    t,
                                    at,
                                );
                            }
                            // Copied once per repeated column into the row, and again for
                            // each repeated row when laid out.
                            text = text
                                .saturating_add(len.saturating_mul(reps).saturating_mul(1 + r.0));
                            if text > MAX_TEXT as u64 {
                                return over(
                                    format!(
                                        "the text of the workbook's cells, repeated columns and \
                                         rows copied, passes {} here",
                                        bytes_text(MAX_TEXT as u64)
                                    ),
                                    t,
                                    at,
                                );
                            }
                            r.2 = true;
                            t.col_min = t.col_min.min(r.1);
                            t.col_max = t.col_max.max(r.1 + reps.saturating_sub(1));
                            r.3 = r.1 + reps;
                        }
                        r.1 += reps;
                    }
                } else if name.as_ref() == b"table:table-row" {
                    if let (Some((repeats, _, nonempty, pushed)), Some(t)) = (row, table.as_mut()) {
                        if nonempty {
                            if t.first.is_none() {
                                t.first = Some(t.rows);
                            }
                            t.last_end = t.rows + repeats;
                            // The row as calamine keeps it: up to its last value.
                            laid_out = laid_out.saturating_add(pushed);
                        }
                        t.rows += repeats;
                        row = None;
                        if laid_out > MAX_LAID_OUT {
                            return over(
                                format!(
                                    "the workbook's rows lay out more than {} cells",
                                    thousands(MAX_LAID_OUT)
                                ),
                                t,
                                Some(format!("row {}", t.rows)),
                            );
                        }
                    }
                } else if name.as_ref() == b"table:table" && row.is_none() {
                    if let Some(t) = table.take() {
                        if let Some(first) = t.first {
                            let rows = t.last_end - first;
                            let cols = t.col_max - t.col_min + 1;
                            laid_out = laid_out.saturating_add(rows.saturating_mul(cols));
                            if laid_out > MAX_LAID_OUT {
                                let range = format!(
                                    "{}:{}",
                                    super::cell_name(first as usize, t.col_min as usize),
                                    super::cell_name((t.last_end - 1) as usize, t.col_max as usize)
                                );
                                return over(
                                    format!(
                                        "the sheet spans {range} ({} cells from its first to its \
                                         last used cell, repeated rows and columns counted), and \
                                         a .ods workbook may lay out at most {} cells in all",
                                        thousands(rows.saturating_mul(cols)),
                                        thousands(MAX_LAID_OUT)
                                    ),
                                    &t,
                                    None,
                                );
                            }
                        }
                    }
                }
                depth = depth.saturating_sub(1);
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------
// XLS: the compound file and its BIFF records, measured before calamine opens them

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

mod xls {
    //! A reader of just enough of the compound file (CFB) and of BIFF to measure what
    //! calamine will build: the chains it follows must end (calamine follows a cycle
    //! forever), the sizes it reserves must fit the file, and each sheet's cells, declared
    //! size and text must fit the bounds.

    use super::{bytes_text, thousands, ReadError, MAX_LAID_OUT, MAX_TEXT};

    const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
    const RESERVED: u32 = 0xFFFF_FFFA;

    fn u16_at(b: &[u8], at: usize) -> Option<u16> {
        Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
    }

    fn u32_at(b: &[u8], at: usize) -> Option<u32> {
        Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
    }

    fn malformed(what: &str) -> ReadError {
        ReadError::new(format!(
            "unreadable workbook (xls): {what}; not read (the file is damaged or not an \
             Excel 97-2003 workbook)"
        ))
    }

    struct Cfb<'a> {
        bytes: &'a [u8],
        sector: usize,
        sectors: usize,
        fat: Vec<u32>,
    }

    impl<'a> Cfb<'a> {
        fn sector(&self, id: u32) -> Option<&'a [u8]> {
            let start = (id as usize + 1).checked_mul(self.sector)?;
            if start >= self.bytes.len() {
                return None;
            }
            Some(&self.bytes[start..(start + self.sector).min(self.bytes.len())])
        }

        /// The sectors of a chain; an error when it loops or leaves the file.
        fn chain(&self, start: u32, what: &str) -> Result<Vec<u32>, ReadError> {
            let mut out = Vec::new();
            let mut id = start;
            while id != END_OF_CHAIN {
                if id >= RESERVED {
                    // calamine stops on the free marker too (it finds no sector).
                    break;
                }
                if out.len() > self.sectors {
                    return Err(malformed(&format!("the chain of its {what} loops")));
                }
                out.push(id);
                match self.fat.get(id as usize) {
                    Some(&next) => id = next,
                    None => break,
                }
            }
            Ok(out)
        }

        fn read(&self, chain: &[u32], len: usize) -> Vec<u8> {
            let mut out = Vec::with_capacity(len.min(self.bytes.len()));
            for &id in chain {
                if out.len() >= len {
                    break;
                }
                if let Some(s) = self.sector(id) {
                    let take = s.len().min(len - out.len());
                    out.extend_from_slice(&s[..take]);
                }
            }
            out
        }
    }

    /// The workbook stream (`Workbook` or `Book`) of a compound file, after checking the
    /// structures calamine reads on the way.
    fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>, ReadError> {
        if bytes.len() < 512 {
            return Err(malformed("it is shorter than a compound-file header"));
        }
        let shift = u16_at(bytes, 30).unwrap_or(0);
        let sector = match shift {
            9 => 512usize,
            12 => 4096usize,
            // calamine refuses it with its own message.
            _ => return Ok(Vec::new()),
        };
        let sectors = bytes.len() / sector;
        let fat_len = u32_at(bytes, 44).unwrap_or(0) as usize;
        let mini_fat_len = u32_at(bytes, 64).unwrap_or(0) as usize;
        // calamine reserves a vector of these many entries from header fields.
        let reserved = u32_at(bytes, 62).unwrap_or(0) as usize;
        if fat_len > sectors + 1 || mini_fat_len > sectors + 1 || reserved > 1 << 24 {
            return Err(malformed(
                "its compound-file header declares more sectors than the file holds",
            ));
        }
        let dir_start = u32_at(bytes, 48).unwrap_or(END_OF_CHAIN);
        let mini_fat_start = u32_at(bytes, 60).unwrap_or(END_OF_CHAIN);
        let mut difat: Vec<u32> = (0..109).filter_map(|i| u32_at(bytes, 76 + 4 * i)).collect();
        let mut cfb = Cfb {
            bytes,
            sector,
            sectors,
            fat: Vec::new(),
        };
        // The DIFAT chain: calamine follows it while the next id is below the reserved
        // values, with no end but the data.
        let mut next = u32_at(bytes, 68).unwrap_or(END_OF_CHAIN);
        let mut steps = 0usize;
        while next < RESERVED {
            steps += 1;
            if steps > sectors + 1 {
                return Err(malformed("the chain of its sector tables loops"));
            }
            let Some(s) = cfb.sector(next) else {
                break;
            };
            let ids: Vec<u32> = s.chunks_exact(4).filter_map(|c| u32_at(c, 0)).collect();
            match ids.split_last() {
                Some((&last, rest)) => {
                    difat.extend_from_slice(rest);
                    next = last;
                }
                None => break,
            }
        }
        // calamine reads every sector the DIFAT lists (repeats included) into the table.
        let listed: Vec<u32> = difat.into_iter().filter(|id| *id < 0xFFFF_FFFC).collect();
        if listed.len() > sectors + 1 {
            return Err(malformed("its sector table is larger than the file"));
        }
        let mut fat = Vec::new();
        for id in listed {
            if let Some(s) = cfb.sector(id) {
                fat.extend(s.chunks_exact(4).filter_map(|c| u32_at(c, 0)));
            }
        }
        cfb.fat = fat;
        let dirs = cfb.read(&cfb.chain(dir_start, "directory")?, usize::MAX);
        let entries: Vec<&[u8]> = dirs.chunks_exact(128).collect();
        let Some(root) = entries.first() else {
            return Ok(Vec::new());
        };
        let size = |e: &[u8]| -> usize {
            if sector == 512 {
                u32_at(e, 120).unwrap_or(0) as usize
            } else {
                u32_at(e, 120).unwrap_or(0) as usize
                    | ((u32_at(e, 124).unwrap_or(0) as usize) << 32)
            }
        };
        let mut mini_stream = Vec::new();
        let mut mini_fat = Vec::new();
        if mini_fat_len > 0 {
            let root_chain = cfb.chain(u32_at(root, 116).unwrap_or(END_OF_CHAIN), "mini stream")?;
            mini_stream = cfb.read(&root_chain, size(root));
            let mf = cfb.read(&cfb.chain(mini_fat_start, "mini sector table")?, usize::MAX);
            mini_fat = mf.chunks_exact(4).filter_map(|c| u32_at(c, 0)).collect();
        }
        let name_of = |e: &[u8]| -> String {
            let units: Vec<u16> = e[..64]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .take_while(|u| *u != 0)
                .collect();
            String::from_utf16_lossy(&units)
        };
        for wanted in ["Workbook", "Book", "WORKBOOK", "BOOK"] {
            let Some(e) = entries.iter().find(|e| name_of(e) == wanted) else {
                continue;
            };
            let start = u32_at(e, 116).unwrap_or(END_OF_CHAIN);
            let len = size(e);
            if len < 4096 {
                // The mini stream: 64-byte sectors chained by the mini sector table,
                // read up to `len` (under 4 KiB) by calamine.
                let mut out = Vec::new();
                let mut id = start;
                while id != END_OF_CHAIN && out.len() < len {
                    let at = id as usize * 64;
                    let Some(s) = mini_stream.get(at..(at + 64).min(mini_stream.len())) else {
                        break;
                    };
                    out.extend_from_slice(&s[..s.len().min(len - out.len())]);
                    match mini_fat.get(id as usize) {
                        Some(&n) => id = n,
                        None => break,
                    }
                }
                return Ok(out);
            }
            let chain = cfb.chain(start, "workbook stream")?;
            return Ok(cfb.read(&chain, len));
        }
        Ok(Vec::new())
    }

    /// UTF-8 bytes of a BIFF8 string's characters: Latin-1 bytes or UTF-16 units.
    fn utf8_len(chars: &[u8], wide: bool) -> u64 {
        if wide {
            chars
                .chunks_exact(2)
                .map(|c| match u16::from_le_bytes([c[0], c[1]]) {
                    0..=0x7F => 1,
                    0x80..=0x7FF => 2,
                    0xD800..=0xDFFF => 2,
                    _ => 3,
                })
                .sum()
        } else {
            chars.iter().map(|&b| if b < 0x80 { 1 } else { 2 }).sum()
        }
    }

    /// The UTF-8 length of each string of a BIFF8 shared-string table (its record's data
    /// and the CONTINUE records after it).
    fn sst_lengths(segments: &[&[u8]]) -> Vec<u64> {
        struct Cursor<'s> {
            segs: &'s [&'s [u8]],
            seg: usize,
            pos: usize,
        }
        impl Cursor<'_> {
            fn byte(&mut self) -> Option<u8> {
                while self.seg < self.segs.len() && self.pos >= self.segs[self.seg].len() {
                    self.seg += 1;
                    self.pos = 0;
                }
                let b = *self.segs.get(self.seg)?.get(self.pos)?;
                self.pos += 1;
                Some(b)
            }
            fn u16(&mut self) -> Option<u16> {
                Some(u16::from_le_bytes([self.byte()?, self.byte()?]))
            }
            fn u32(&mut self) -> Option<u32> {
                Some(u32::from_le_bytes([
                    self.byte()?,
                    self.byte()?,
                    self.byte()?,
                    self.byte()?,
                ]))
            }
            fn skip(&mut self, mut n: usize) {
                while n > 0 && self.seg < self.segs.len() {
                    let left = self.segs[self.seg].len() - self.pos.min(self.segs[self.seg].len());
                    if left == 0 {
                        self.seg += 1;
                        self.pos = 0;
                        continue;
                    }
                    let take = left.min(n);
                    self.pos += take;
                    n -= take;
                }
            }
        }
        let mut c = Cursor {
            segs: segments,
            seg: 0,
            pos: 8.min(segments.first().map_or(0, |s| s.len())),
        };
        let mut out = Vec::new();
        while let Some(cch) = c.u16() {
            let Some(flags) = c.byte() else { break };
            let mut wide = flags & 1 != 0;
            let runs = if flags & 8 != 0 {
                c.u16().unwrap_or(0) as usize
            } else {
                0
            };
            let ext = if flags & 4 != 0 {
                c.u32().unwrap_or(0) as usize
            } else {
                0
            };
            let mut left = cch as usize;
            let mut len = 0u64;
            while left > 0 && c.seg < segments.len() {
                let seg = segments[c.seg];
                if c.pos >= seg.len() {
                    // A CONTINUE record: a new flags byte says the width of what follows.
                    c.seg += 1;
                    c.pos = 0;
                    match c.segs.get(c.seg).and_then(|s| s.first()) {
                        Some(&f) => {
                            wide = f & 1 != 0;
                            c.pos = 1;
                        }
                        None => break,
                    }
                    continue;
                }
                let width = if wide { 2 } else { 1 };
                let take = ((seg.len() - c.pos) / width).min(left);
                if take == 0 {
                    c.pos = seg.len();
                    continue;
                }
                len += utf8_len(&seg[c.pos..c.pos + take * width], wide);
                c.pos += take * width;
                left -= take;
            }
            c.skip(4 * runs + ext);
            out.push(len);
        }
        out
    }

    #[derive(Default)]
    struct Extent {
        min: Option<(u32, u32)>,
        max: (u32, u32),
    }

    impl Extent {
        fn add(&mut self, row: u32, col: u32) {
            self.min = Some(match self.min {
                Some((r, c)) => (r.min(row), c.min(col)),
                None => (row, col),
            });
            self.max = (self.max.0.max(row), self.max.1.max(col));
        }

        fn cells(&self) -> u64 {
            match self.min {
                Some((r, c)) => u64::from(self.max.0 - r + 1) * u64::from(self.max.1 - c + 1),
                None => 0,
            }
        }

        fn range(&self) -> Option<String> {
            let (r, c) = self.min?;
            Some(format!(
                "{}:{}",
                crate::reqs::cell_name(r as usize, c as usize),
                crate::reqs::cell_name(self.max.0 as usize, self.max.1 as usize)
            ))
        }
    }

    /// Measures an XLS workbook before calamine lays it out.
    pub(super) fn prescan(bytes: &[u8]) -> Result<(), ReadError> {
        if !bytes.starts_with(&super::CFB_MAGIC) {
            return Ok(());
        }
        let stream = workbook_stream(bytes)?;
        // Records: (type, data, the CONTINUE records' data after it).
        let record = |at: usize| -> Option<(u16, &[u8], usize)> {
            let typ = u16_at(&stream, at)?;
            let len = u16_at(&stream, at + 2)? as usize;
            let data = stream.get(at + 4..at + 4 + len)?;
            Some((typ, data, at + 4 + len))
        };
        let mut biff8 = true;
        let mut sheets: Vec<(usize, String)> = Vec::new();
        let mut sst: Vec<u64> = Vec::new();
        // The longest defined name, in characters: a formula token naming it is written
        // out whole in the formula text calamine builds.
        let mut longest_name = 0usize;
        let mut at = 0;
        while let Some((typ, data, next)) = record(at) {
            match typ {
                0x0809 => {
                    let v = u16_at(data, 0).unwrap_or(0);
                    let dt = u16_at(data, 2).unwrap_or(0);
                    biff8 = !(matches!(v, 0x0200 | 0x0002 | 0x0007 | 0x0300 | 0x0400 | 0x0500)
                        || (v == 0 && dt == 0x1000));
                }
                0x0085 => {
                    let pos = u32_at(data, 0).unwrap_or(0) as usize;
                    let cch = data.get(6).copied().unwrap_or(0) as usize;
                    let name = if biff8 {
                        let wide = data.get(7).is_some_and(|f| f & 1 != 0);
                        let chars = data.get(8..).unwrap_or(&[]);
                        if wide {
                            let units: Vec<u16> = chars
                                .chunks_exact(2)
                                .take(cch)
                                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                                .collect();
                            String::from_utf16_lossy(&units)
                        } else {
                            chars.iter().take(cch).map(|&b| char::from(b)).collect()
                        }
                    } else {
                        data.get(7..)
                            .unwrap_or(&[])
                            .iter()
                            .take(cch)
                            .map(|&b| char::from(b))
                            .collect()
                    };
                    sheets.push((pos, name.replace('\0', "")));
                }
                0x00FC => {
                    let mut segments = vec![data];
                    let mut n = next;
                    while let Some((0x003C, cont, after)) = record(n) {
                        segments.push(cont);
                        n = after;
                    }
                    sst = sst_lengths(&segments);
                    if sst.len() > super::MAX_CELLS {
                        return Err(ReadError::new(format!(
                            "unreadable workbook (xls): its shared-string table lists {} \
                             strings, more than the {} a workbook may hold here; not read",
                            thousands(sst.len() as u64),
                            thousands(super::MAX_CELLS as u64)
                        )));
                    }
                }
                0x0018 => {
                    longest_name = longest_name.max(data.get(3).copied().unwrap_or(0).into());
                }
                0x000A => break,
                _ => {}
            }
            at = next;
        }
        // The formula text calamine writes per byte of formula tokens, at most: a 5-byte
        // name token is the name (UTF-8: up to 3 bytes a character), a 7-byte 3-D
        // reference a quoted sheet name and a range (16 bytes a byte at most).
        let formula_factor = ((3 * longest_name).div_ceil(5) + 1).max(16) as u64;
        let mut laid_out: u64 = 0;
        let mut text: u64 = 0;
        for (pos, name) in &sheets {
            let sheet_error = |cell: Option<String>, what: String| {
                Err(ReadError::at(
                    name,
                    cell,
                    format!("{what}; the workbook is not read"),
                ))
            };
            if *pos > stream.len() {
                return sheet_error(
                    None,
                    "the sheet starts past the end of the workbook's data".to_string(),
                );
            }
            let mut cells = Extent::default();
            let mut formulas = Extent::default();
            let mut declared: u64 = 0;
            let mut at = *pos;
            let mut formula_at = (0u32, 0u32);
            while let Some((typ, data, next)) = record(at) {
                let pos_of = |d: &[u8]| -> Option<(u32, u32)> {
                    Some((u32::from(u16_at(d, 0)?), u32::from(u16_at(d, 2)?)))
                };
                let mut cell_text: u64 = 0;
                let mut here: Option<(u32, u32)> = None;
                match typ {
                    0x0200 => {
                        let (rf, rl, mut cf, cl) = match data.len() {
                            10 => (
                                u32::from(u16_at(data, 0).unwrap_or(0)),
                                u32::from(u16_at(data, 2).unwrap_or(0)),
                                u32::from(u16_at(data, 4).unwrap_or(0)),
                                u32::from(u16_at(data, 6).unwrap_or(0)),
                            ),
                            14 => (
                                u32_at(data, 0).unwrap_or(0),
                                u32_at(data, 4).unwrap_or(0),
                                u32::from(u16_at(data, 8).unwrap_or(0)),
                                u32::from(u16_at(data, 10).unwrap_or(0)),
                            ),
                            _ => (0, 0, 0, 0),
                        };
                        if 0xFF < cf || cl < cf {
                            cf = 0;
                        }
                        if rl >= 1 && cl >= 1 {
                            if rl - 1 < rf || cl - 1 < cf {
                                return sheet_error(
                                    None,
                                    "the sheet's declared size ends before it starts".to_string(),
                                );
                            }
                            declared = u64::from(rl - rf) * u64::from(cl - cf);
                        } else {
                            declared = 1;
                        }
                    }
                    0x0203 | 0x0205 | 0x027E => here = pos_of(data),
                    0x0204 => {
                        here = pos_of(data);
                        let cch = u16_at(data, 6).unwrap_or(0) as usize;
                        cell_text = if biff8 {
                            let wide = data.get(8).is_some_and(|f| f & 1 != 0);
                            let chars = data.get(9..).unwrap_or(&[]);
                            let n = (cch * if wide { 2 } else { 1 }).min(chars.len());
                            utf8_len(&chars[..n], wide)
                        } else {
                            let chars = data.get(8..).unwrap_or(&[]);
                            chars[..cch.min(chars.len())]
                                .iter()
                                .map(|&b| if b < 0x80 { 1 } else { 3 })
                                .sum()
                        };
                    }
                    0x0006 => {
                        if let Some(p) = pos_of(data) {
                            formula_at = p;
                            formulas.add(p.0, p.1);
                            here = Some(p);
                            let tokens = u64::from(u16_at(data, 18).unwrap_or(0));
                            cell_text = tokens.saturating_mul(formula_factor);
                        }
                    }
                    0x0207 => {
                        here = Some(formula_at);
                        let cch = u16_at(data, 0).unwrap_or(0) as usize;
                        cell_text = if biff8 {
                            let wide = data.get(2).is_some_and(|f| f & 1 != 0);
                            let chars = data.get(3..).unwrap_or(&[]);
                            let n = (cch * if wide { 2 } else { 1 }).min(chars.len());
                            utf8_len(&chars[..n], wide)
                        } else {
                            let chars = data.get(2..).unwrap_or(&[]);
                            chars[..cch.min(chars.len())]
                                .iter()
                                .map(|&b| if b < 0x80 { 1 } else { 3 })
                                .sum()
                        };
                    }
                    0x00FD if data.len() >= 10 => {
                        here = pos_of(data);
                        let i = u32_at(data, 6).unwrap_or(0) as usize;
                        cell_text = sst.get(i).copied().unwrap_or(0);
                    }
                    0x00BD if data.len() >= 6 => {
                        let row = u32::from(u16_at(data, 0).unwrap_or(0));
                        let first = u32::from(u16_at(data, 2).unwrap_or(0));
                        let last = u32::from(u16_at(data, data.len() - 2).unwrap_or(0));
                        if last < first {
                            return sheet_error(
                                Some(crate::reqs::cell_name(row as usize, first as usize)),
                                "a row of numbers ends before it starts".to_string(),
                            );
                        }
                        cells.add(row, first);
                        cells.add(row, last);
                    }
                    0x000A => break,
                    _ => {}
                }
                if let Some((r, c)) = here {
                    cells.add(r, c);
                    text = text.saturating_add(cell_text);
                    if text > MAX_TEXT as u64 {
                        return sheet_error(
                            Some(crate::reqs::cell_name(r as usize, c as usize)),
                            format!(
                                "the text of the workbook's cells and formulas (a shared \
                                 string counted once per cell that uses it) passes {} here",
                                bytes_text(MAX_TEXT as u64)
                            ),
                        );
                    }
                }
                at = next;
            }
            let sheet_cells = declared + cells.cells() + formulas.cells();
            laid_out = laid_out.saturating_add(sheet_cells);
            if laid_out > MAX_LAID_OUT {
                let what = if declared >= cells.cells() {
                    format!(
                        "the sheet declares a size of {} cells (its DIMENSIONS record)",
                        thousands(declared)
                    )
                } else {
                    format!(
                        "the sheet spans {} ({} cells from its first to its last used cell)",
                        cells.range().unwrap_or_default(),
                        thousands(cells.cells())
                    )
                };
                return sheet_error(
                    None,
                    format!(
                        "{what}, and a .xls workbook may lay out at most {} cells in all",
                        thousands(MAX_LAID_OUT)
                    ),
                );
            }
        }
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn shared_string_lengths_across_continue_records() {
            // Two strings: "abc" (Latin-1) and "é€" (UTF-16) split by a CONTINUE record
            // that switches to UTF-16 mid-string.
            let mut sst = vec![0u8; 8];
            sst.extend([3, 0, 0, b'a', b'b', b'c']);
            sst.extend([2, 0, 1, 0xE9, 0x00]);
            let cont = [1u8, 0xAC, 0x20];
            assert_eq!(sst_lengths(&[&sst, &cont]), vec![3, 5]);
        }

        #[test]
        fn a_file_that_is_not_a_compound_file_passes_to_calamine() {
            assert!(prescan(b"not an xls").is_ok());
            let mut short = super::super::CFB_MAGIC.to_vec();
            short.extend([0u8; 100]);
            assert!(prescan(&short).is_err());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references() {
        assert_eq!(parse_cell_reference(b"A1"), Some((0, 0)));
        assert_eq!(
            parse_cell_reference(b"xfd1048576"),
            Some((1_048_575, 16_383))
        );
        assert_eq!(parse_cell_reference(b"XFE1"), None);
        assert_eq!(parse_cell_reference(b"A1048577"), None);
        assert_eq!(parse_cell_reference(b"A0"), None);
        assert_eq!(parse_cell_reference(b"ZZZZZZZ99999999999"), None);
        assert_eq!(parse_cell_reference(b"1"), None);
        assert_eq!(parse_cell_reference(b"A"), None);
        assert!(row_number_ok(b"1048576"));
        assert!(!row_number_ok(b"99999999999"));
        assert!(dimension_part_ok(b"XFD1048576"));
        assert!(!dimension_part_ok(b"ZZZZZZZ1"));
    }

    #[test]
    fn numbers_for_messages() {
        assert_eq!(thousands(4_194_304), "4,194,304");
        assert_eq!(thousands(12), "12");
        assert_eq!(bytes_text(1024 * 1024), "1 MiB");
        assert_eq!(bytes_text(1_000_000), "1,000,000 bytes");
    }
}
