//! Flight Dynamics window files: CSV tables of ground-station passes, relay coverage and
//! bookings, one window occurrence per row, read into [`ExternalWindow`]s.
//!
//! # Format
//!
//! Comma-separated values as RFC 4180 has them (read with the `csv` crate): `"` quotes a
//! cell, `""` is a quote inside a quoted cell, lines end with LF, CRLF or CR, blank lines
//! and rows whose cells are all blank are skipped, blanks around a cell are ignored. A
//! header line without a comma but with semicolons (what spreadsheets write where the
//! decimal mark is a comma) or tabs makes `;` or tab the separator. The **first row is the header**; the
//! columns may come in any order, and columns that play no role (orbit, elevation, service,
//! remarks) are ignored.
//!
//! ```text
//! Window,Station,Orbit,AOS (UTC),LOS (UTC),Max elevation (deg)
//! RGS,Shchyolkovo,93391,2014/273 08:55,2014/273 09:07,41
//! window,relay,start,end
//! TDRS,TDRS-East,2014-09-30T08:30:00Z,2014-09-30T10:30:00Z
//! ```
//!
//! Each row gives a window name, a start and an end; the row's window is `[start, end)`.
//!
//! # Columns and their aliases
//!
//! [`WindowColumns`] names the columns; where it names none, a column is found by the aliases
//! below. A header matches an alias when they agree after dropping a bracketed part
//! (`AOS (UTC)`, `Start [GMT]`), the words `UTC` and `GMT`, case, blanks and punctuation:
//! `AOS (UTC)`, `aos`, `Start_Time`, `StartTime` and `Start time UTC` all match.
//!
//! | role | aliases ([`NAME_ALIASES`], …) | if several columns match |
//! |---|---|---|
//! | window name | `window`, `window name`, `window id`, `name` | the first alias in this order wins |
//! | station (optional) | `station`, `station name`, `ground station`, `site`, `antenna`, `relay`, `satellite` | the first alias in this order wins |
//! | start | `start`, `start time`, `begin`, `from`, `aos`, `open`, `window start`, `pass start`, `booking start` | error: name the column in [`WindowColumns::start`] |
//! | end | `end`, `end time`, `stop`, `stop time`, `finish`, `to`, `until`, `los`, `close`, `window end`, `pass end`, `booking end` | error: name the column in [`WindowColumns::end`] |
//!
//! A column named in [`WindowColumns`] is matched first exactly (trimmed, any case), then
//! the same lenient way as an alias. The window name is, in this order: the fixed name
//! [`WindowColumns::window`] (for a file of one window, e.g. `RGS`), the name column, or,
//! when the file has no name column, the station column (so `Station,AOS (UTC),LOS (UTC)`
//! gives one window per station).
//!
//! # Times
//!
//! All times are UTC, second resolution:
//!
//! - GMT day of year: `2014/273 09:00`, `2014/273 09:00:30`;
//! - ISO 8601: `2014-09-30T09:00:00Z`, `2014-09-30T09:00`, `2014-09-30 09:00:00`, with `Z`,
//!   a zero offset (`+00:00`, `+0000`, `+00`) or no suffix (any other offset is an error
//!   that gives the time in UTC: window files are UTC);
//! - CCSDS day of year: `2014-273T09:00:00Z`.
//!
//! A fraction of a second (`09:00:00.000`) is dropped. The day of year takes three digits
//! (`2014/044`), as in the language; hours, minutes, seconds, months and days may have
//! one digit (`9:00`), as spreadsheets write them.
//!
//! # Errors
//!
//! Reading never fails and never panics: every problem is a [`Diagnostic`] with code
//! `E005 invalid-window-file`, located at the exact cell (a byte span in the file text):
//! an empty name, a time that is not a time or is impossible (`2014/367 10:00`, `25:00`:
//! the message names the column, the help the notations accepted), an end not after its
//! start, a row too short to hold a column, a quote never closed.
//! A row with a problem gives no window; every other row is still read, so all bad rows
//! are reported, up to [`MAX_PROBLEMS`] per file and then one note counting the rest. A
//! missing column is one diagnostic at the header line naming what was expected and what
//! was found; an empty file (no header row) is one diagnostic. With a header problem no
//! row is read. A header without rows is a file with no windows, not an error.
//!
//! Windows and diagnostics come in file order; the time is linear in the file size.
//!
//! [`read_window_file`] also says which windows the file could not give: the names of its
//! rows with a problem, or the whole file when its header could not be read. A plan does
//! not report those names as undefined (`R006`): the `E005` already says why.

use crate::diag::{Code, Diagnostic, Label, Severity};
use crate::source::{FileId, LineIndex, Span};
use crate::time::{Digits, Interval, Time};
use std::ops::Range;

/// At most this many problems are reported per file; a final note counts the rest.
pub const MAX_PROBLEMS: usize = 100;

/// Headers taken as the window-name column, by priority.
pub const NAME_ALIASES: &[&str] = &["window", "window name", "window id", "name"];
/// Headers taken as the station column, by priority.
pub const STATION_ALIASES: &[&str] = &[
    "station",
    "station name",
    "ground station",
    "site",
    "antenna",
    "relay",
    "satellite",
];
/// Headers taken as the start column (two matching columns are ambiguous).
pub const START_ALIASES: &[&str] = &[
    "start",
    "start time",
    "begin",
    "from",
    "aos",
    "open",
    "window start",
    "pass start",
    "booking start",
];
/// Headers taken as the end column (two matching columns are ambiguous).
pub const END_ALIASES: &[&str] = &[
    "end",
    "end time",
    "stop",
    "stop time",
    "finish",
    "to",
    "until",
    "los",
    "close",
    "window end",
    "pass end",
    "booking end",
];

/// Which columns hold what. Every field is optional: `None` finds the column by its
/// aliases (see the module documentation); the defaults fit the files Flight Dynamics sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WindowColumns {
    /// Header of the window-name column.
    pub name: Option<String>,
    /// Header of the start column (AOS, booking start).
    pub start: Option<String>,
    /// Header of the end column (LOS, booking end).
    pub end: Option<String>,
    /// Header of the station (or relay) column.
    pub station: Option<String>,
    /// One name for every row, for a file of one window (`RGS`); a name column is then
    /// not needed and, if present, ignored.
    pub window: Option<String>,
}

/// One window occurrence read from a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalWindow {
    /// The window's name (trimmed): the fixed name, the name cell, or the station cell.
    pub name: String,
    /// The station cell (trimmed), when the file has a station column and the cell is not blank.
    pub station: Option<String>,
    /// `[start, end)`, with `start < end`.
    pub interval: Interval,
    /// 1-based line on which the record starts.
    pub row: usize,
    /// Byte range of the record in the file text (without its line terminator).
    pub span: Span,
    /// Byte range of the cell the name came from (the record when the name is fixed).
    pub name_span: Span,
}

/// Decodes a window file's bytes: UTF-8 with or without a byte-order mark, UTF-16 LE or
/// BE with a byte-order mark, otherwise Windows-1252 (what spreadsheet tools write). The
/// byte-order mark is dropped. Never fails: undecodable sequences become U+FFFD.
pub fn decode(bytes: &[u8]) -> String {
    crate::reqs::tabular::decode(bytes)
}

/// Reads the windows of one CSV file. `text` is the file's text (a leading byte-order
/// mark is skipped); spans are byte ranges in it. See the module documentation.
pub fn read_windows_csv(
    file: FileId,
    text: &str,
    columns: &WindowColumns,
) -> (Vec<ExternalWindow>, Vec<Diagnostic>) {
    let read = read_window_file(file, text, columns);
    (read.windows, read.diagnostics)
}

/// What one window file gives.
#[derive(Debug, Clone, Default)]
pub struct WindowFile {
    pub windows: Vec<ExternalWindow>,
    pub diagnostics: Vec<Diagnostic>,
    /// The names of the rows that could not be read (each once, in file order).
    pub unread: Vec<String>,
    /// True when no row was read: the header could not be (or the file is empty).
    pub rejected: bool,
}

/// [`read_windows_csv`], with the windows the file could not give.
pub fn read_window_file(file: FileId, text: &str, columns: &WindowColumns) -> WindowFile {
    let mut reader = Reader {
        file,
        text,
        delimiter: crate::reqs::tabular::delimiter(text),
        lines: LineIndex::new(text),
        diags: Vec::new(),
        suppressed: 0,
        first_suppressed: None,
        unread: Vec::new(),
        rejected: false,
    };
    let windows = reader.read(columns);
    let mut unread = std::mem::take(&mut reader.unread);
    let mut seen = rustc_hash::FxHashSet::default();
    unread.retain(|n| seen.insert(n.clone()));
    let rejected = reader.rejected;
    let mut diags = reader.diags;
    if let Some(span) = reader.first_suppressed {
        diags.push(
            Diagnostic::new(
                Code::InvalidWindowFile,
                format!(
                    "{} more problem{} in this window file not shown",
                    reader.suppressed,
                    if reader.suppressed == 1 {
                        " is"
                    } else {
                        "s are"
                    }
                ),
                Label::new(span, "the first problem not shown"),
            )
            .with_severity(Severity::Note)
            .with_note(format!(
                "at most {MAX_PROBLEMS} problems are reported per window file"
            )),
        );
    }
    WindowFile {
        windows,
        diagnostics: diags,
        unread,
        rejected,
    }
}

/// Where a row's window name comes from.
enum NameSource {
    Fixed(String),
    Column(usize),
}

struct Layout {
    name: NameSource,
    station: Option<usize>,
    start: usize,
    end: usize,
    /// The headers of the start and end columns, as written, for messages.
    start_header: String,
    end_header: String,
}

/// The cells of one record as written: byte ranges in the text, quotes included.
struct RawRecord {
    span: Range<usize>,
    cells: Vec<Range<usize>>,
    /// Offset of the opening quote of a quoted cell that runs to the end of the file.
    open_quote: Option<usize>,
}

struct Reader<'t> {
    file: FileId,
    text: &'t str,
    /// `,`, or `;` or tab (see [`delimiter`]).
    delimiter: u8,
    lines: LineIndex,
    diags: Vec<Diagnostic>,
    suppressed: usize,
    first_suppressed: Option<Span>,
    /// The window names of the rows that had a problem.
    unread: Vec<String>,
    /// No row could be read.
    rejected: bool,
}

/// Longest cell quoted in a message.
const SHOWN_CHARS: usize = 40;
/// Longest cell tried as a time (the longest accepted form is about 30 bytes).
const MAX_TIME_LEN: usize = 64;

impl Reader<'_> {
    fn span(&self, range: Range<usize>) -> Span {
        Span::new(self.file, range)
    }

    fn report(&mut self, d: Diagnostic) {
        if self.diags.len() < MAX_PROBLEMS {
            self.diags.push(d);
        } else {
            self.suppressed += 1;
            self.first_suppressed.get_or_insert(d.primary.span);
        }
    }

    fn read(&mut self, columns: &WindowColumns) -> Vec<ExternalWindow> {
        let bytes = self.text.as_bytes();
        // csv strips a UTF-8 byte-order mark itself, but then its offsets would not be ours.
        let base = if self.text.starts_with('\u{feff}') {
            3
        } else {
            0
        };
        let mut csv_reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(self.delimiter)
            .from_reader(&bytes[base..]);
        let mut record = csv::ByteRecord::new();
        let mut layout: Option<Layout> = None;
        let mut windows = Vec::new();
        loop {
            let start = base + csv_reader.position().byte() as usize;
            match csv_reader.read_byte_record(&mut record) {
                Ok(true) => {}
                // Reading from memory with `flexible` has no error to give; stop if it does.
                Ok(false) | Err(_) => break,
            }
            let raw = self.scan(start);
            let cells: Vec<(String, Range<usize>)> = if raw.cells.len() == record.len() {
                record
                    .iter()
                    .zip(&raw.cells)
                    .map(|(value, range)| (cell_text(value), self.trimmed(range.clone())))
                    .collect()
            } else {
                // Not expected (the scanner follows csv's rules); fall back to the record.
                record
                    .iter()
                    .map(|value| (cell_text(value), raw.span.clone()))
                    .collect()
            };
            match &layout {
                None => match self.layout(&cells, &raw, columns) {
                    Some(l) => layout = Some(l),
                    None => {
                        self.rejected = true;
                        return windows;
                    }
                },
                Some(l) => {
                    if let Some(w) = self.row(l, &cells, &raw) {
                        windows.push(w);
                    }
                }
            }
        }
        if layout.is_none() {
            self.rejected = true;
            self.report(
                Diagnostic::new(
                    Code::InvalidWindowFile,
                    "window file is empty: it has no header row",
                    Label::new(self.span(0..0), "expected a header row here"),
                )
                .with_help("the first row names the columns, e.g. `window,start,end`"),
            );
        }
        windows
    }

    /// Finds the record that starts at `start` (after blank lines, which csv skips) and
    /// the byte range of each of its cells, following the rules csv-core applies: a quote
    /// opens a quoted cell only as the cell's first byte; inside one, `""` is a quote and a
    /// lone quote ends the quoting; a delimiter or line end outside quotes ends the cell.
    fn scan(&self, start: usize) -> RawRecord {
        let bytes = self.text.as_bytes();
        let mut i = start;
        while i < bytes.len() && matches!(bytes[i], b'\r' | b'\n') {
            i += 1;
        }
        let first = i;
        #[derive(PartialEq)]
        enum State {
            CellStart,
            Unquoted,
            Quoted,
            AfterQuote,
        }
        let mut state = State::CellStart;
        let mut cells = Vec::new();
        let mut cell_start = i;
        let mut open_quote = None;
        while i < bytes.len() {
            let b = bytes[i];
            if state == State::Quoted {
                if b == b'"' {
                    state = State::AfterQuote;
                }
            } else {
                match b {
                    _ if b == self.delimiter => {
                        cells.push(cell_start..i);
                        cell_start = i + 1;
                        state = State::CellStart;
                    }
                    b'\r' | b'\n' => break,
                    b'"' if state == State::CellStart => {
                        open_quote = Some(i);
                        state = State::Quoted;
                    }
                    b'"' if state == State::AfterQuote => state = State::Quoted,
                    _ => state = State::Unquoted,
                }
            }
            i += 1;
        }
        cells.push(cell_start..i);
        RawRecord {
            span: first..i,
            cells,
            open_quote: open_quote.filter(|_| state == State::Quoted),
        }
    }

    /// The range without surrounding blanks, as `str::trim` has them (a blank cell gives an
    /// empty range at its start). Cells are cut at ASCII bytes, so on character boundaries.
    fn trimmed(&self, range: Range<usize>) -> Range<usize> {
        let Some(cell) = self.text.get(range.clone()) else {
            return range;
        };
        let start = range.start + (cell.len() - cell.trim_start().len());
        let end = start + cell.trim().len();
        start..end
    }

    fn line_of(&self, offset: usize) -> usize {
        self.lines.line_col(self.text, offset).line as usize
    }

    /// Matches the header row against the roles; `None` (after reporting) when a column is
    /// missing or ambiguous.
    fn layout(
        &mut self,
        header: &[(String, Range<usize>)],
        raw: &RawRecord,
        columns: &WindowColumns,
    ) -> Option<Layout> {
        if let Some(q) = raw.open_quote {
            self.unclosed_quote(q);
            return None;
        }
        let names = HeaderNames::new(header);
        let fixed = columns
            .window
            .as_deref()
            .map(str::trim)
            .filter(|w| !w.is_empty());
        let mut missing: Vec<Role> = Vec::new();
        let mut ok = true;
        let mut find = |this: &mut Self, role: Role, configured: &Option<String>| {
            let found = match configured {
                Some(c) => find_configured(&names, c),
                None => find_alias(&names, role.aliases(), role.strict()),
            };
            match found {
                Found::One(i) => Some(i),
                Found::None => {
                    missing.push(role);
                    None
                }
                Found::Many(all) => {
                    ok = false;
                    this.ambiguous(role, header, &all, configured.is_some());
                    None
                }
            }
        };
        let start = find(self, Role::Start, &columns.start);
        let end = find(self, Role::End, &columns.end);
        let station = find(self, Role::Station, &columns.station);
        let name_col = if fixed.is_some() {
            None
        } else {
            find(self, Role::Name, &columns.name)
        };
        // An optional station column may be absent; a name column too when the station names.
        missing.retain(|r| match r {
            Role::Station => columns.station.is_some(),
            Role::Name => columns.name.is_some() || station.is_none(),
            _ => true,
        });
        if !missing.is_empty() {
            self.missing(&missing, header, raw, columns, fixed.is_some());
        }
        if !missing.is_empty() || !ok {
            // Only header problems so far: put them in file order.
            self.diags
                .sort_by_key(|d| (d.primary.span.start, d.primary.span.end));
            return None;
        }
        let name = match (fixed, name_col, station) {
            (Some(w), _, _) => NameSource::Fixed(w.to_string()),
            (None, Some(i), _) | (None, None, Some(i)) => NameSource::Column(i),
            (None, None, None) => return None, // reported as missing above
        };
        let (start, end) = (start?, end?);
        let header_text = |i: usize| header.get(i).map_or(String::new(), |h| shorten(&h.0));
        Some(Layout {
            name,
            station,
            start,
            end,
            start_header: header_text(start),
            end_header: header_text(end),
        })
    }

    fn missing(
        &mut self,
        missing: &[Role],
        header: &[(String, Range<usize>)],
        raw: &RawRecord,
        columns: &WindowColumns,
        fixed: bool,
    ) {
        let wanted: Vec<String> = missing
            .iter()
            .map(|r| match r.configured(columns) {
                Some(c) => format!("the column `{c}`"),
                None => r.a_column(),
            })
            .collect();
        let found = if header.iter().all(|(h, _)| h.is_empty()) {
            "found no column names".to_string()
        } else {
            const SHOWN: usize = 12;
            let mut list: Vec<String> = header
                .iter()
                .take(SHOWN)
                .map(|(h, _)| format!("`{}`", shorten(h)))
                .collect();
            if header.len() > SHOWN {
                list.push(format!("and {} more", header.len() - SHOWN));
            }
            format!("found {}", list.join(", "))
        };
        let mut d = Diagnostic::new(
            Code::InvalidWindowFile,
            format!("window file lacks {}", join_and(&wanted)),
            Label::new(self.span(raw.span.clone()), found),
        );
        for role in missing {
            if role.configured(columns).is_none() {
                let aliases: Vec<String> =
                    role.aliases().iter().map(|a| format!("`{a}`")).collect();
                let mut note = format!(
                    "{} is headed {} (any case; `(UTC)` and the like ignored)",
                    role.a_column(),
                    join_or(&aliases)
                );
                if *role == Role::Name && !fixed {
                    note.push_str(", or a station column names the windows");
                }
                d = d.with_note(note);
            }
        }
        // "Did you mean": a header within an edit or two of an expected name (short headers
        // only, so a pathological header costs nothing), each header offered once.
        let keys: Vec<(&str, String)> = header
            .iter()
            .take(200)
            .filter(|(h, _)| h.len() <= 40)
            .map(|(h, _)| (h.as_str(), header_key(h)))
            .filter(|(_, k)| !k.is_empty())
            .collect();
        let mut offered: Vec<&str> = Vec::new();
        let mut hints = Vec::new();
        for role in missing {
            let targets: Vec<String> = match role.configured(columns) {
                Some(c) => vec![header_key(c)],
                None => role.aliases().iter().map(|a| header_key(a)).collect(),
            };
            let close = targets.iter().find_map(|t| {
                keys.iter()
                    .find(|(h, k)| {
                        let limit = if t.len() <= 4 { 1 } else { 2 };
                        !offered.contains(h) && strsim::damerau_levenshtein(t, k) <= limit
                    })
                    .map(|(h, _)| *h)
            });
            if let Some(h) = close {
                offered.push(h);
                hints.push(format!(
                    "is `{h}` the {} column? If so, set `{}: {h}` in the window file settings.",
                    role.label(),
                    role.key()
                ));
            }
        }
        let help = if hints.is_empty() {
            "name the columns in the window file settings (`name:`, `start:`, `end:`), or set \
             `window:` for a file of one window"
                .to_string()
        } else {
            hints.join(" ")
        };
        self.report(d.with_help(help));
    }

    fn ambiguous(
        &mut self,
        role: Role,
        header: &[(String, Range<usize>)],
        all: &[usize],
        configured: bool,
    ) {
        let (first, second) = (all[0], all[1]);
        let shown = |i: usize| format!("`{}`", shorten(&header[i].0));
        let mut d = Diagnostic::new(
            Code::InvalidWindowFile,
            format!(
                "two columns can be the {} column: {} and {}",
                role.label(),
                shown(first),
                shown(second)
            ),
            Label::new(
                self.span(header[second].1.clone()),
                format!("also {}", role.a_column()),
            ),
        )
        .with_secondary(Label::new(
            self.span(header[first].1.clone()),
            role.a_column(),
        ));
        d = if configured {
            d.with_help("give the columns distinct headers")
        } else {
            d.with_help(format!(
                "name the {} column in the window file settings (`{}: <header>`)",
                role.label(),
                role.key()
            ))
        };
        self.report(d);
    }

    fn unclosed_quote(&mut self, at: usize) {
        self.report(
            Diagnostic::new(
                Code::InvalidWindowFile,
                "quoted cell is never closed",
                Label::new(self.span(at..at + 1), "this quote has no closing quote"),
            )
            .with_note("the rest of the file is read as this one cell")
            .with_help("close the quote; a quote inside a quoted cell is written `\"\"`"),
        );
    }

    /// The value and span of cell `i`, or a problem when the row is too short.
    fn cell<'c>(
        &self,
        cells: &'c [(String, Range<usize>)],
        i: usize,
        role: Role,
        record: Span,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<(&'c str, Span)> {
        if let Some((v, r)) = cells.get(i) {
            return Some((v.as_str(), self.span(r.clone())));
        }
        problems.push(
            Diagnostic::new(
                Code::InvalidWindowFile,
                format!(
                    "row has {} cell{} but the {} column is cell {}",
                    cells.len(),
                    if cells.len() == 1 { "" } else { "s" },
                    role.label(),
                    i + 1
                ),
                Label::new(record, format!("no {} cell", role.label())),
            )
            .with_help("every row needs a cell for each column of the header"),
        );
        None
    }

    /// Reads one data row; `None` (after reporting) when it has a problem or is blank.
    fn row(
        &mut self,
        layout: &Layout,
        cells: &[(String, Range<usize>)],
        raw: &RawRecord,
    ) -> Option<ExternalWindow> {
        if cells.iter().all(|(v, _)| v.is_empty()) {
            return None;
        }
        if let Some(q) = raw.open_quote {
            self.unclosed_quote(q);
            return None;
        }
        let record = self.span(raw.span.clone());
        let mut problems: Vec<Diagnostic> = Vec::new();
        let name = match &layout.name {
            NameSource::Fixed(n) => Some((n.as_str(), record)),
            NameSource::Column(i) => self.cell(cells, *i, Role::Name, record, &mut problems),
        };
        let station = layout.station.and_then(|i| cells.get(i));
        let start = self.cell(cells, layout.start, Role::Start, record, &mut problems);
        let end = self.cell(cells, layout.end, Role::End, record, &mut problems);

        if let Some((n, span)) = name {
            if n.is_empty() {
                problems.push(Diagnostic::new(
                    Code::InvalidWindowFile,
                    "window name is empty",
                    Label::new(span, "expected the window's name"),
                ));
            }
        }
        let start_t = start.and_then(|(v, span)| {
            let column = (Role::Start, layout.start_header.as_str());
            time_cell(v, span, column, &mut problems)
        });
        let end_t = end.and_then(|(v, span)| {
            let column = (Role::End, layout.end_header.as_str());
            time_cell(v, span, column, &mut problems)
        });
        if let (Some(s), Some(e), Some((_, s_span)), Some((_, e_span))) =
            (start_t, end_t, start, end)
        {
            if e <= s {
                let what = if e == s {
                    "window lasts zero time: it ends when it starts"
                } else {
                    "window ends before it starts"
                };
                problems.push(
                    Diagnostic::new(Code::InvalidWindowFile, what, Label::new(e_span, "end"))
                        .with_secondary(Label::new(s_span, "start"))
                        .with_help("the end must be after the start"),
                );
            }
        }
        if !problems.is_empty() {
            if let Some((n, _)) = name.filter(|(n, _)| !n.is_empty()) {
                self.unread.push(n.to_string());
            }
            // File order: by position, then as found.
            problems.sort_by_key(|d| (d.primary.span.start, d.primary.span.end));
            for d in problems {
                self.report(d);
            }
            return None;
        }
        let (name, name_span) = name?;
        Some(ExternalWindow {
            name: name.to_string(),
            station: station.map(|(v, _)| v.clone()).filter(|v| !v.is_empty()),
            interval: Interval::new(start_t?, end_t?),
            row: self.line_of(raw.span.start),
            span: record,
            name_span,
        })
    }
}

/// The notations a window file's times may be written in, for messages.
const TIME_FORMS: &str = "`2014/273 09:00[:ss]` (GMT day of year), `2014-09-30T09:00[:ss]Z` or \
                          `2014-09-30 09:00[:ss]` (ISO 8601, UTC) or `2014-273T09:00:00Z` (CCSDS \
                          day of year)";

/// Parses a start or end cell of the column `(role, header)`; pushes the problem and
/// gives `None` when it is not a time.
fn time_cell(
    value: &str,
    span: Span,
    (role, header): (Role, &str),
    problems: &mut Vec<Diagnostic>,
) -> Option<Time> {
    let column = format!("column `{header}`");
    let (problem, fix) = if value.is_empty() {
        (format!("{} time is empty ({column})", role.label()), None)
    } else {
        match parse_time(value) {
            Ok(t) => return Some(t),
            Err((why, fix)) => (
                format!(
                    "invalid {} time `{}` in {column}: {why}",
                    role.label(),
                    shorten(value)
                ),
                fix,
            ),
        }
    };
    let mut help = format!("the {column} takes UTC times: {TIME_FORMS}");
    if let Some(fix) = fix {
        help = format!("write `{fix}`\n{help}");
    }
    problems.push(
        Diagnostic::new(
            Code::InvalidWindowFile,
            problem,
            Label::new(span, format!("expected a UTC {} time", role.label())),
        )
        .with_help(help),
    );
    None
}

/// Parses one UTC time in any of the accepted notations (see the module documentation):
/// the time, or why not and, when it can be said, what to write instead.
fn parse_time(text: &str) -> Result<Time, (String, Option<String>)> {
    if text.len() > MAX_TIME_LEN {
        return Err((
            format!("too long to be a time ({} bytes)", text.len()),
            None,
        ));
    }
    let text = drop_fraction(text);
    let b = text.as_bytes();
    let digits = |r: Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let why = |e: crate::time::TimeError| {
        let fix = e.fix().map(str::to_string);
        (e.to_string(), fix)
    };
    if digits(0..4) && b.get(4) == Some(&b'/') {
        return Time::parse_doy_with(&text, Digits::Loose).map_err(why);
    }
    if text.contains('/') {
        // `30/09/2014`: day/month/year or month/day/year, which no one can tell apart.
        return Err((
            "a date with slashes is read only as a GMT day of year (`2014/273`); \
             day/month/year and month/day/year cannot be told apart"
                .to_string(),
            None,
        ));
    }
    // CCSDS day of year: `2014-273T09:00:00Z`.
    let dash = digits(0..4) && b.get(4) == Some(&b'-');
    if dash && digits(5..8) && matches!(b.get(8), Some(b'T' | b't' | b' ')) {
        let clock = text[9..].trim_end_matches(['Z', 'z']);
        return Time::parse_doy_with(
            &format!("{}/{} {clock}", &text[..4], &text[5..8]),
            Digits::Loose,
        )
        .map_err(why);
    }
    if dash {
        // `2014-09-30 09:00` is ISO 8601 with a blank for the `T`.
        let iso = match text.split_once(' ') {
            Some((date, clock)) => format!("{date}T{}", clock.trim_start()),
            None => text.to_string(),
        };
        return Time::parse_iso_with(&iso, Digits::Loose).map_err(why);
    }
    Err(("not a time in a notation opsplan reads".to_string(), None))
}

/// `09:00:00.250` → `09:00:00`: times have second resolution.
fn drop_fraction(text: &str) -> std::borrow::Cow<'_, str> {
    if let Some(dot) = text.rfind('.') {
        let after = &text[dot + 1..];
        let n = after.bytes().take_while(u8::is_ascii_digit).count();
        let seconds_before = text[..dot].len() >= 3
            && text.as_bytes()[dot - 3] == b':'
            && text.as_bytes()[dot - 2..dot].iter().all(u8::is_ascii_digit);
        if n > 0 && seconds_before {
            return format!("{}{}", &text[..dot], &after[n..]).into();
        }
    }
    text.into()
}

fn cell_text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).trim().to_string()
}

/// A cell as shown in a message: at most [`SHOWN_CHARS`] characters.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

fn join_with(items: &[String], last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., tail] => format!("{} {last} {tail}", init.join(", ")),
    }
}

fn join_and(items: &[String]) -> String {
    join_with(items, "and")
}

fn join_or(items: &[String]) -> String {
    join_with(items, "or")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Name,
    Station,
    Start,
    End,
}

impl Role {
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Role::Name => NAME_ALIASES,
            Role::Station => STATION_ALIASES,
            Role::Start => START_ALIASES,
            Role::End => END_ALIASES,
        }
    }

    /// Whether two columns matching different aliases are ambiguous (times) or the
    /// first alias wins (names).
    fn strict(self) -> bool {
        matches!(self, Role::Start | Role::End)
    }

    fn label(self) -> &'static str {
        match self {
            Role::Name => "window name",
            Role::Station => "station",
            Role::Start => "start",
            Role::End => "end",
        }
    }

    /// `a start column`, `an end column`.
    fn a_column(self) -> String {
        let article = if self == Role::End { "an" } else { "a" };
        format!("{article} {} column", self.label())
    }

    /// The [`WindowColumns`] field that names this role's column.
    fn key(self) -> &'static str {
        match self {
            Role::Name => "name",
            Role::Station => "station",
            Role::Start => "start",
            Role::End => "end",
        }
    }

    fn configured(self, columns: &WindowColumns) -> Option<&str> {
        match self {
            Role::Name => columns.name.as_deref(),
            Role::Station => columns.station.as_deref(),
            Role::Start => columns.start.as_deref(),
            Role::End => columns.end.as_deref(),
        }
    }
}

enum Found {
    One(usize),
    None,
    Many(Vec<usize>),
}

impl Found {
    fn of(all: Vec<usize>) -> Found {
        match all.len() {
            0 => Found::None,
            1 => Found::One(all[0]),
            _ => Found::Many(all),
        }
    }
}

/// The lenient form of a header: bracketed parts, the words UTC and GMT, case, blanks
/// and punctuation dropped (`AOS (UTC)` → `aos`, `Start_Time` → `starttime`).
fn header_key(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    plain
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| w != "utc" && w != "gmt")
        .collect()
}

/// A column named in the settings: exact (trimmed, any case) first, then lenient.
fn find_configured(headers: &HeaderNames, wanted: &str) -> Found {
    let wanted = wanted.trim().to_lowercase();
    if wanted.is_empty() {
        return Found::None;
    }
    let exact: Vec<usize> = (0..headers.lower.len())
        .filter(|&i| headers.lower[i] == wanted)
        .collect();
    if !exact.is_empty() {
        return Found::of(exact);
    }
    let key = header_key(&wanted);
    if key.is_empty() {
        return Found::None;
    }
    Found::of(
        (0..headers.keys.len())
            .filter(|&i| headers.keys[i] == key)
            .collect(),
    )
}

/// Longest header compared with column names; a longer one names no column.
const MAX_HEADER_LEN: usize = 256;

/// The header cells lowercased, and in their lenient form ([`header_key`]), computed once.
struct HeaderNames {
    lower: Vec<String>,
    keys: Vec<String>,
}

impl HeaderNames {
    fn new(header: &[(String, Range<usize>)]) -> Self {
        let short = |h: &String| h.len() <= MAX_HEADER_LEN;
        HeaderNames {
            lower: header
                .iter()
                .map(|(h, _)| {
                    if short(h) {
                        h.to_lowercase()
                    } else {
                        String::new()
                    }
                })
                .collect(),
            keys: header
                .iter()
                .map(|(h, _)| {
                    if short(h) {
                        header_key(h)
                    } else {
                        String::new()
                    }
                })
                .collect(),
        }
    }
}

/// A column found by its aliases: with `strict`, every header matching any alias counts;
/// otherwise the first alias (in priority order) that some header matches wins.
fn find_alias(headers: &HeaderNames, aliases: &[&str], strict: bool) -> Found {
    let keys = &headers.keys;
    let alias_keys: Vec<String> = aliases.iter().map(|a| header_key(a)).collect();
    if strict {
        return Found::of(
            (0..keys.len())
                .filter(|&i| alias_keys.contains(&keys[i]))
                .collect(),
        );
    }
    for a in &alias_keys {
        let all: Vec<usize> = (0..keys.len()).filter(|&i| &keys[i] == a).collect();
        if !all.is_empty() {
            return Found::of(all);
        }
    }
    Found::None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::LineCol;
    use proptest::prop_assert;

    const FILE: FileId = FileId(7);

    fn read(text: &str) -> (Vec<ExternalWindow>, Vec<Diagnostic>) {
        read_windows_csv(FILE, text, &WindowColumns::default())
    }

    fn doy(t: &str) -> Time {
        Time::parse_doy(t).unwrap()
    }

    fn at(text: &str, span: Span) -> LineCol {
        LineIndex::new(text).line_col(text, span.start as usize)
    }

    fn data(name: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/windows")
            .join(name);
        decode(&std::fs::read(&path).unwrap())
    }

    #[test]
    fn reads_name_start_end() {
        let text = "window,start,end\nRGS,2014/273 08:55,2014/273 09:07\nTDRS,2014/273 08:30:00,2014/273 10:30\n";
        let (w, d) = read(text);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].name, "RGS");
        assert_eq!(w[0].station, None);
        assert_eq!(
            w[0].interval,
            Interval::new(doy("2014/273 08:55"), doy("2014/273 09:07"))
        );
        assert_eq!(w[0].row, 2);
        assert_eq!(
            &text[w[0].span.range()],
            "RGS,2014/273 08:55,2014/273 09:07"
        );
        assert_eq!(&text[w[0].name_span.range()], "RGS");
        assert_eq!(w[1].name, "TDRS");
        assert_eq!(w[1].row, 3);
        assert_eq!(w[0].span.file, FILE);
    }

    #[test]
    fn header_aliases() {
        let cases = [
            ("window,start,end", "X,2014/273 08:55,2014/273 09:07"),
            ("name,aos,los", "X,2014/273 08:55,2014/273 09:07"),
            (
                "Station,AOS (UTC),LOS (UTC)",
                "X,2014/273 08:55,2014/273 09:07",
            ),
            (
                "  WINDOW , Start Time [GMT] ,  Stop_Time ",
                "X,2014/273 08:55,2014/273 09:07",
            ),
            (
                "Window Name,StartTime,EndTime,Remarks",
                "X,2014/273 08:55,2014/273 09:07,r",
            ),
            (
                "orbit,window id,begin,finish",
                "93391,X,2014/273 08:55,2014/273 09:07",
            ),
            (
                "id,pass start,pass end,name",
                "1,2014/273 08:55,2014/273 09:07,X",
            ),
            (
                "Booking Start (UTC),Booking End (UTC),Relay",
                "2014/273 08:55,2014/273 09:07,X",
            ),
        ];
        for (header, row) in cases {
            let (w, d) = read(&format!("{header}\n{row}\n"));
            assert!(d.is_empty(), "{header}: {d:?}");
            assert_eq!(w.len(), 1, "{header}");
            assert_eq!(w[0].name, "X", "{header}");
            assert_eq!(w[0].interval.duration().seconds(), 12 * 60, "{header}");
        }
        assert_eq!(header_key("AOS (UTC)"), "aos");
        assert_eq!(header_key("Start_Time"), "starttime");
        assert_eq!(header_key("Start time UTC"), "starttime");
        assert_eq!(header_key("\u{feff}x"), "x");
    }

    #[test]
    fn name_priority_and_station() {
        // `window` wins over `name`; the station is kept.
        let text =
            "name,window,station,aos,los\nShort pass,RGS,Ussuriysk,2014/273 08:55,2014/273 09:07\n";
        let (w, d) = read(text);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(w[0].name, "RGS");
        assert_eq!(w[0].station.as_deref(), Some("Ussuriysk"));
        // Without a name column the station names the window.
        let (w, d) = read("Station,AOS (UTC),LOS (UTC)\nUlan-Ude,2014/273 08:55,2014/273 09:07\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(w[0].name, "Ulan-Ude");
        assert_eq!(w[0].station.as_deref(), Some("Ulan-Ude"));
    }

    #[test]
    fn configured_columns_and_fixed_name() {
        let cols = WindowColumns {
            start: Some("AOS (UTC)".into()),
            end: Some("los (utc)".into()),
            window: Some(" RGS ".into()),
            ..WindowColumns::default()
        };
        // Two AOS columns: the configured exact header picks one.
        let text = "Orbit,AOS (UTC),AOS (Moscow),LOS (UTC),LOS (Moscow)\n93391,2014/273 08:55,2014/273 12:55,2014/273 09:07,2014/273 13:07\n";
        let (w, d) = read_windows_csv(FILE, text, &cols);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(w[0].name, "RGS");
        assert_eq!(w[0].name_span, w[0].span);
        assert_eq!(w[0].interval.start, doy("2014/273 08:55"));
        // Without settings the same file is ambiguous, one diagnostic per role, and has
        // no name column; the diagnostics are in file order.
        let (w, d) = read(text);
        assert!(w.is_empty());
        assert_eq!(d.len(), 3, "{d:?}");
        assert_eq!(d[0].message, "window file lacks a window name column");
        assert!(
            d[1].message.contains("`AOS (UTC)` and `AOS (Moscow)`"),
            "{}",
            d[1].message
        );
        assert_eq!(&text[d[1].primary.span.range()], "AOS (Moscow)");
        assert_eq!(&text[d[1].secondary[0].span.range()], "AOS (UTC)");
        assert_eq!(d[2].primary.message, "also an end column");
        // A configured column that is absent is named.
        let cols = WindowColumns {
            start: Some("Booking start".into()),
            ..WindowColumns::default()
        };
        let (_, d) = read_windows_csv(FILE, "window,start,end\n", &cols);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`Booking start`"), "{}", d[0].message);
    }

    #[test]
    fn semicolons_and_tabs_separate_when_the_header_has_no_comma() {
        let text = "Window;Station;AOS (UTC);LOS (UTC);Max elevation (deg)\r\nRGS;Ulan-Ude;2014/273 08:55;2014/273 09:07;41,5\r\n";
        let (w, d) = read(text);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(w[0].station.as_deref(), Some("Ulan-Ude"));
        assert_eq!(w[0].interval.start, doy("2014/273 08:55"));
        let text = "window\tstart\tend\nRGS\t2014/273 08:55\tnever\n";
        let (_, d) = read(text);
        assert_eq!(d.len(), 1);
        assert_eq!(&text[d[0].primary.span.range()], "never");
    }

    #[test]
    fn settings_deserialize_and_reject_unknown_keys() {
        let c: WindowColumns = serde_yaml::from_str("start: AOS\nwindow: RGS\n").unwrap();
        assert_eq!(c.start.as_deref(), Some("AOS"));
        assert_eq!(c.window.as_deref(), Some("RGS"));
        assert_eq!(c.end, None);
        assert!(serde_yaml::from_str::<WindowColumns>("begin: AOS\n").is_err());
    }

    #[test]
    fn time_notations() {
        let t = doy("2014/273 09:00");
        for s in [
            "2014/273 09:00",
            "2014/273 09:00:00",
            "2014/273  09:00",
            "2014-09-30T09:00:00Z",
            "2014-09-30T09:00Z",
            "2014-09-30T09:00",
            "2014-09-30 09:00:00",
            "2014-09-30T09:00:00+00:00",
            "2014-09-30T09:00:00.000Z",
            "2014-09-30T09:00:00.999",
            "2014/273 09:00:00.5",
            "2014-273T09:00:00Z",
            "2014-273T09:00:00.000",
        ] {
            assert_eq!(parse_time(s), Ok(t), "{s}");
        }
        for s in [
            "2014/367 09:00",
            "2014/273 25:00",
            "2014-09-31T09:00Z",
            "2014-09-30T09:00:00+02:00",
            "273/09:00",
            "yesterday",
            "2014",
            "2014-",
            "2014/273",
            "2014-09-30",
            "",
        ] {
            assert!(parse_time(s).is_err(), "{s}");
        }
        let (why, fix) = parse_time("2014-09-30T09:00:00+02:00").unwrap_err();
        assert!(why.contains("only UTC"), "{why}");
        assert_eq!(fix.as_deref(), Some("2014-09-30T07:00:00Z"));
        // Spreadsheets drop an hour's leading zero; the day of year keeps its three digits.
        assert_eq!(parse_time("2014-09-30 9:00"), Ok(t));
        assert_eq!(parse_time("2014/273 9:00"), Ok(t));
        let (why, fix) = parse_time("2014/44 09:00").unwrap_err();
        assert_eq!(why, "the day of year needs three digits");
        assert_eq!(fix.as_deref(), Some("2014/044 09:00"));
    }

    #[test]
    fn bad_time_in_row_3_column_2_is_located_at_its_cell() {
        let text = "window,start,end\r\nRGS,2014/273 08:55,2014/273 09:07\r\nRGS, 2014/273 25:10 ,2014/273 10:43\r\n";
        let (w, d) = read(text);
        assert_eq!(w.len(), 1);
        assert_eq!(d.len(), 1, "{d:?}");
        let d = &d[0];
        assert_eq!(d.code, Code::InvalidWindowFile);
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(&text[d.primary.span.range()], "2014/273 25:10");
        assert_eq!(at(text, d.primary.span), LineCol { line: 3, column: 6 });
        assert!(d.message.contains("`2014/273 25:10`"), "{}", d.message);
        assert!(
            d.message.contains("not a valid time of day"),
            "{}",
            d.message
        );

        // Quoted cells, multi-byte text before: the span covers the cell as written.
        let text = "Station,AOS,LOS\nКоролёв,\"2014/273 08:55\",x\n";
        let (_, d) = read(text);
        assert_eq!(d.len(), 1);
        assert_eq!(&text[d[0].primary.span.range()], "x");
        assert_eq!(
            at(text, d[0].primary.span),
            LineCol {
                line: 2,
                column: 26
            }
        );
        let text = "window,start,end\nRGS,\"2014/273 \"\"08:55\",2014/273 09:07\n";
        let (_, d) = read(text);
        assert_eq!(&text[d[0].primary.span.range()], "\"2014/273 \"\"08:55\"");
        assert_eq!(at(text, d[0].primary.span), LineCol { line: 2, column: 5 });
    }

    #[test]
    fn every_bad_row_is_reported_in_file_order() {
        let text = "\
window,start,end
RGS,2014/273 08:55,2014/273 09:07
,2014/273 10:29,2014/273 10:43
RGS,2014/367 10:00,2014/273 09:07
RGS,2014/273 12:13,2014/273 12:03
RGS,2014/273 12:13,2014/273 12:13
RGS,2014/273 13:00
RGS,,whenever
RGS,2014/274 06:58,2014/274 07:10
";
        let (w, d) = read(text);
        assert_eq!(w.len(), 2);
        assert_eq!(w[1].row, 9);
        let lines: Vec<(u32, &str)> = d
            .iter()
            .map(|d| (at(text, d.primary.span).line, d.message.as_str()))
            .collect();
        assert_eq!(lines.len(), 7, "{lines:#?}");
        assert_eq!(lines[0], (3, "window name is empty"));
        assert!(lines[1].0 == 4 && lines[1].1.contains("day 367 does not exist"));
        assert_eq!(lines[2], (5, "window ends before it starts"));
        assert_eq!(lines[3].0, 6);
        assert!(lines[3].1.contains("zero time"));
        assert_eq!(
            lines[4],
            (7, "row has 2 cells but the end column is cell 3")
        );
        assert_eq!(lines[5], (8, "start time is empty (column `start`)"));
        assert!(
            lines[6].0 == 8
                && lines[6]
                    .1
                    .contains("`whenever` in column `end`: not a time")
        );
        // The end-before-start diagnostic points at the end and shows the start.
        let e = &d[2];
        assert_eq!(&text[e.primary.span.range()], "2014/273 12:03");
        assert_eq!(&text[e.secondary[0].span.range()], "2014/273 12:13");
        // An empty cell gets an empty span where the cell is.
        assert_eq!(d[5].primary.span.start, d[5].primary.span.end);
        assert_eq!(at(text, d[5].primary.span), LineCol { line: 8, column: 5 });
    }

    #[test]
    fn problems_are_capped_with_a_final_note() {
        let mut text = String::from("window,start,end\n");
        for _ in 0..250 {
            text.push_str("RGS,bad,2014/273 09:00\n");
        }
        let (w, d) = read(&text);
        assert!(w.is_empty());
        assert_eq!(d.len(), MAX_PROBLEMS + 1);
        let last = d.last().unwrap();
        assert_eq!(last.severity, Severity::Note);
        assert_eq!(last.code, Code::InvalidWindowFile);
        assert!(
            last.message.starts_with("150 more problems"),
            "{}",
            last.message
        );
        assert_eq!(at(&text, last.primary.span).line, 102);
    }

    #[test]
    fn missing_columns_are_one_diagnostic_at_the_header() {
        let text = "Pass,Strat,Duration\nRGS,2014/273 08:55,12\n";
        let (w, d) = read(text);
        assert!(w.is_empty());
        assert_eq!(d.len(), 1, "{d:?}");
        let d = &d[0];
        assert_eq!(
            d.message,
            "window file lacks a start column, an end column and a window name column"
        );
        assert_eq!(&text[d.primary.span.range()], "Pass,Strat,Duration");
        assert_eq!(d.primary.message, "found `Pass`, `Strat`, `Duration`");
        assert!(d.notes.iter().any(|n| n.contains("`aos`")), "{:?}", d.notes);
        assert_eq!(
            d.help.as_deref(),
            Some("is `Strat` the start column? If so, set `start: Strat` in the window file settings.")
        );
        // No name, no station and no fixed name: the name is missing too.
        let (_, d) = read("start,end\n");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("window name"), "{}", d[0].message);
        // With a fixed name it is not.
        let cols = WindowColumns {
            window: Some("TDRS".into()),
            ..WindowColumns::default()
        };
        let (w, d) = read_windows_csv(FILE, "start,end\n2014/273 08:30,2014/273 10:30\n", &cols);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(w[0].name, "TDRS");
    }

    #[test]
    fn degenerate_inputs_never_panic() {
        // Empty file, blank lines only: one diagnostic at the start.
        for text in ["", "\n\n", "\r\n"] {
            let (w, d) = read(text);
            assert!(w.is_empty());
            assert_eq!(d.len(), 1, "{text:?}");
            assert!(d[0].message.contains("empty"));
        }
        // Only a header: no windows, no problem.
        let (w, d) = read("window,start,end");
        assert!(w.is_empty() && d.is_empty());
        // Blank lines and all-blank rows are skipped; a BOM is skipped.
        let text = "\u{feff}window,start,end\n\n , , \nRGS,2014/273 08:55,2014/273 09:07";
        let (w, d) = read(text);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].row, 4);
        assert_eq!(
            &text[w[0].span.range()],
            "RGS,2014/273 08:55,2014/273 09:07"
        );
        // Ragged rows: too long is fine, too short is reported.
        let (w, d) = read("window,start,end\nRGS,2014/273 08:55,2014/273 09:07,x,y,z\nRGS\n");
        assert_eq!(w.len(), 1);
        assert_eq!(d.len(), 2, "{d:?}");
        // Invalid quotes: a quote in the middle of a cell is a character; an unclosed
        // quote swallows the rest of the file and is reported at the quote.
        let text = "window,start,end\nR\"GS,2014/273 08:55,2014/273 09:07\nRGS,\"2014/273 08:55,2014/273 09:07\nRGS,2014/273 10:00,2014/273 10:10\n";
        let (w, d) = read(text);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].name, "R\"GS");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].message, "quoted cell is never closed");
        assert_eq!(at(text, d[0].primary.span), LineCol { line: 3, column: 5 });
        let (_, d) = read("\"window,start,end\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].message, "quoted cell is never closed");
        // Text after a closing quote, and odd bytes.
        let (_, d) = read("window,start,end\n\"RGS\"x,\"2014/273 08:55\"\"\",\u{0},\n\r\r,,,\"\n");
        assert!(!d.is_empty());
        // Header that is all blank.
        let (_, d) = read(",,\nRGS,2014/273 08:55,2014/273 09:07\n");
        assert_eq!(d.len(), 1);
        assert!(d[0].primary.message.contains("no column names"));
    }

    #[test]
    fn a_ten_megabyte_line_is_read_in_linear_time() {
        let big = "x".repeat(10 << 20);
        // As a name: a fine window.
        let text = format!("window,start,end\n{big},2014/273 08:55,2014/273 09:07\n");
        let (w, d) = read(&text);
        assert!(d.is_empty());
        assert_eq!(w[0].name.len(), 10 << 20);
        // As a time: one short message.
        let text = format!("window,start,end\nRGS,{big},2014/273 09:07\n");
        let (_, d) = read(&text);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.len() < 200, "{}", d[0].message.len());
        assert_eq!(d[0].primary.span.end - d[0].primary.span.start, 10 << 20);
        // As a header, and a line of a million commas.
        let (_, d) = read(&format!("{big}\n"));
        assert_eq!(d.len(), 1);
        assert!(d[0].primary.message.len() < 200);
        let commas = ",".repeat(1 << 18);
        let (_, d) = read(&format!(
            "window,start,end\nRGS,2014/273 08:55,2014/273 09:07{commas}\n{commas}\n"
        ));
        assert!(d.is_empty(), "{:?}", d.first());
        let (_, d) = read(&format!("{commas}\n"));
        assert_eq!(d.len(), 1);
    }

    /// The cell ranges found by `scan`, unescaped, are the cells csv reads.
    fn check_scanner(text: &str) {
        let reader = Reader {
            file: FILE,
            text,
            delimiter: crate::reqs::tabular::delimiter(text),
            lines: LineIndex::new(text),
            diags: Vec::new(),
            suppressed: 0,
            first_suppressed: None,
            unread: Vec::new(),
            rejected: false,
        };
        let mut csv_reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(reader.delimiter)
            .from_reader(text.as_bytes());
        let mut record = csv::ByteRecord::new();
        loop {
            let start = csv_reader.position().byte() as usize;
            if !csv_reader.read_byte_record(&mut record).unwrap() {
                break;
            }
            let raw = reader.scan(start);
            let ours: Vec<String> = raw
                .cells
                .iter()
                .map(|r| unescape(&text[r.clone()]))
                .collect();
            let theirs: Vec<String> = record
                .iter()
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            assert_eq!(ours, theirs, "{text:?} at {start}");
        }
    }

    /// csv's reading of one cell as written.
    fn unescape(raw: &str) -> String {
        let mut out = String::new();
        let mut quoted = false;
        let mut after_quote = false;
        for (i, c) in raw.chars().enumerate() {
            if quoted {
                if c == '"' {
                    quoted = false;
                    after_quote = true;
                } else {
                    out.push(c);
                }
            } else if c == '"' && (i == 0 || after_quote) {
                if after_quote {
                    out.push('"');
                }
                quoted = true;
                after_quote = false;
            } else {
                after_quote = false;
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn scanner_agrees_with_csv_on_tricky_input() {
        for text in [
            "a,b\r\n\r\nc,d",
            "\"a\"\"b\",\"c\nd\"\n\"",
            "\"a\"x\"y,z\r\r\n\n",
            " \"a\",b\r",
            ",,\n,\n\n",
            "\"\"\"\"\"\",\"",
            "a;\"b;c\";d\n;;",
            "a\t\"b\tc\"\t,d\n\t",
        ] {
            check_scanner(text);
        }
    }

    proptest::proptest! {
        #[test]
        fn scanner_agrees_with_csv(text in "[a\",;\t\r\n é]{0,60}") {
            check_scanner(&text);
        }

        #[test]
        fn reading_never_panics(text in "[a\",\r\n /:0-9TZ-]{0,120}") {
            let header = format!("window,start,end\n{text}");
            let (w, d) = read(&header);
            prop_assert!(d.len() <= MAX_PROBLEMS + 1);
            for w in w {
                prop_assert!(w.interval.start < w.interval.end);
            }
        }
    }

    #[test]
    fn decode_handles_boms_and_windows_1252() {
        assert_eq!(decode(b"window,start\n"), "window,start\n");
        assert_eq!(decode(b"\xEF\xBB\xBFwindow"), "window");
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Korolёv,AOS".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&utf16le), "Korolёv,AOS");
        let utf16be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("AOS".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(&utf16be), "AOS");
        // Not UTF-8: Windows-1252 (`é` is 0xE9, `€` is 0x80).
        assert_eq!(decode(b"Kourou \xE9t\xE9 \x80"), "Kourou été €");
        assert_eq!(decode(b""), "");
        // A truncated UTF-16 unit becomes U+FFFD.
        assert_eq!(decode(&[0xFF, 0xFE, 0x41, 0x00, 0x42]), "A\u{fffd}");
    }

    #[test]
    fn output_is_deterministic() {
        let text = data("rgs-week40-errors.csv");
        let a = read(&text);
        let b = read(&text);
        assert_eq!(a, b);
    }

    #[test]
    fn rgs_week40_file() {
        let text = data("rgs-week40.csv");
        let (w, d) = read(&text);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(w.len(), 35);
        assert!(w.iter().all(|w| w.name == "RGS" && w.station.is_some()));
        let mins: Vec<i64> = w
            .iter()
            .map(|w| w.interval.duration().seconds() / 60)
            .collect();
        assert!(mins.iter().all(|m| (10..=15).contains(m)), "{mins:?}");
        for t in ["2014/273 08:55", "2014/275 14:00", "2014/276 13:38"] {
            assert!(w.iter().any(|w| w.interval.start == doy(t)), "{t}");
        }
        // File order, days 272 to 278, five a day.
        assert!(w
            .windows(2)
            .all(|p| p[0].interval.start < p[1].interval.start));
        assert!(w.windows(2).all(|p| p[0].row < p[1].row));
        for day in 272..=278 {
            let d0 = doy(&format!("2014/{day} 00:00"));
            let n = w
                .iter()
                .filter(|w| w.interval.start.day_start() == d0)
                .count();
            assert_eq!(n, 5, "day {day}");
        }
    }

    #[test]
    fn tdrs_bookings_iso_file() {
        let text = data("tdrs-bookings-iso.csv");
        let (w, d) = read(&text);
        assert!(d.is_empty(), "{d:?}");
        let got: Vec<(&str, Interval)> = w.iter().map(|w| (w.name.as_str(), w.interval)).collect();
        let want = [
            ("2014/273 08:30", "2014/273 10:30"),
            ("2014/275 13:30", "2014/275 15:00"),
            ("2014/276 13:15", "2014/276 14:30"),
        ];
        assert_eq!(got.len(), 3);
        for ((name, iv), (s, e)) in got.iter().zip(want) {
            assert_eq!(*name, "TDRS");
            assert_eq!(*iv, Interval::new(doy(s), doy(e)));
        }
    }

    #[test]
    fn the_windows_a_file_could_not_give_are_named() {
        let cols = WindowColumns::default();
        let text = "window,start,end\nRGS,2014/273 08:55,2014/273 09:07\nKOU,bad,2014/273 10:00\nKOU,also bad,2014/273 11:00\nTDRS,2014/273 12:00,2014/273 11:00\n";
        let read = read_window_file(FILE, text, &cols);
        assert_eq!(read.windows.len(), 1);
        assert_eq!(
            read.unread,
            ["KOU", "TDRS"],
            "each name once, in file order"
        );
        assert!(!read.rejected);
        let read = read_window_file(FILE, "window,begin\nRGS,2014/273 08:55\n", &cols);
        assert!(read.rejected && read.windows.is_empty());
        assert!(read_window_file(FILE, "", &cols).rejected);
    }

    #[test]
    fn errors_file() {
        let text = data("rgs-week40-errors.csv");
        let (w, d) = read(&text);
        let found: Vec<(u32, u32, &str)> = d
            .iter()
            .map(|d| {
                let lc = at(&text, d.primary.span);
                (lc.line, lc.column, &text[d.primary.span.range()])
            })
            .collect();
        assert_eq!(
            found,
            [
                (3, 16, "2014/272 25:24"),
                (5, 1, ""),
                (6, 30, "2014/367 12:04"),
                (7, 32, "2014/273 05:47"),
                (8, 1, "RGS,Kolpashevo,2014/273 07:21"),
                (9, 14, "2014-09-30T08:55:00+03:00"),
                (10, 15, "273/10:29"),
            ],
            "{d:#?}"
        );
        assert!(d.iter().all(|d| d.code == Code::InvalidWindowFile));
        assert_eq!(w.len(), 3);
    }
}
