//! Tables (CSV or a workbook sheet) whose every cell knows where it is: the CSV line and
//! column where the cell starts, or the sheet and `A1` name of the workbook cell.
//!
//! CSV: RFC 4180 (quoted cells may hold the separator, quotes doubled, line breaks), the
//! separator `,`, `;` or tab as the first line uses it, any line end (LF, CRLF, CR), a
//! byte-order mark, UTF-16, or Windows-1252 when the bytes are not UTF-8 (the decoding of
//! `reqs::tabular`). The first non-empty row is the header row.

use super::{norm, Loc, Problem};

/// One cell: its text (trimmed) and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub loc: Loc,
}

/// One non-empty row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cells: Vec<Cell>,
    /// Where a cell past the last one would be (for a missing cell).
    pub end: Loc,
}

/// The non-empty rows of a table, the header row first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub rows: Vec<Row>,
}

/// Decodes and splits a CSV file. Problems: an unterminated quoted cell.
pub fn from_csv(bytes: &[u8]) -> (Table, Vec<Problem>) {
    let text = crate::reqs::tabular::decode(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let delim = crate::reqs::tabular::delimiter(text) as char;
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let (mut i, mut line, mut col) = (0usize, 1usize, 1usize);
    let mut cells: Vec<Cell> = Vec::new();
    let mut field = String::new();
    let mut field_loc = (1usize, 1usize);
    let mut at_field_start = true;
    let mut quoted = false;
    let mut finish_row = |cells: &mut Vec<Cell>, line: usize, col: usize| {
        let row = std::mem::take(cells);
        if row.iter().any(|c| !c.text.is_empty()) {
            rows.push(Row {
                cells: row,
                end: Loc::LineCol(line, col),
            });
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if at_field_start {
            field_loc = (line, col);
            at_field_start = false;
            if c == '"' {
                quoted = true;
                i += 1;
                col += 1;
                continue;
            }
        }
        if quoted {
            if c == '"' {
                if chars.get(i + 1) == Some(&'"') {
                    field.push('"');
                    i += 2;
                    col += 2;
                } else {
                    quoted = false;
                    i += 1;
                    col += 1;
                }
                continue;
            }
            if c == '\n' || (c == '\r' && chars.get(i + 1) != Some(&'\n')) {
                field.push('\n');
                line += 1;
                col = 1;
            } else if c != '\r' {
                field.push(c);
                col += 1;
            }
            i += 1;
            continue;
        }
        if c == delim {
            cells.push(Cell {
                text: field.trim().to_string(),
                loc: Loc::LineCol(field_loc.0, field_loc.1),
            });
            field.clear();
            at_field_start = true;
            i += 1;
            col += 1;
            continue;
        }
        if c == '\r' || c == '\n' {
            cells.push(Cell {
                text: field.trim().to_string(),
                loc: Loc::LineCol(field_loc.0, field_loc.1),
            });
            field.clear();
            finish_row(&mut cells, line, col);
            at_field_start = true;
            i += if c == '\r' && chars.get(i + 1) == Some(&'\n') {
                2
            } else {
                1
            };
            line += 1;
            col = 1;
            continue;
        }
        field.push(c);
        i += 1;
        col += 1;
    }
    if quoted {
        problems.push(Problem::error(
            Loc::LineCol(field_loc.0, field_loc.1),
            "this quoted cell is never closed (a `\"` is missing)",
        ));
    }
    if !at_field_start || !cells.is_empty() {
        cells.push(Cell {
            text: field.trim().to_string(),
            loc: Loc::LineCol(field_loc.0, field_loc.1),
        });
        finish_row(&mut cells, line, col);
    }
    (Table { rows }, problems)
}

/// Reads one sheet of a workbook (`xlsx`, `xlsm`, `xls`, `ods`; the first sheet unless
/// `sheet` names one). Date cells read as ISO 8601 text.
pub fn from_workbook(bytes: &[u8], extension: &str, sheet: Option<&str>) -> Result<Table, String> {
    // calamine reads hostile bytes: a panic there is a problem with the file.
    crate::context::contain_panic(|| read_workbook(bytes, extension, sheet))
        .unwrap_or_else(|_| Err("unreadable workbook: the reader failed on its contents".into()))
}

fn read_workbook(bytes: &[u8], extension: &str, sheet: Option<&str>) -> Result<Table, String> {
    use calamine::{Data, Reader};
    let mut workbook = crate::reqs::tabular::open_workbook(bytes, extension)?;
    let names = workbook.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.trim().eq_ignore_ascii_case(wanted.trim()))
            .cloned()
            .ok_or_else(|| {
                format!(
                    "the workbook has no sheet '{wanted}' (sheets: {})",
                    names
                        .iter()
                        .map(|n| format!("'{n}'"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| "the workbook has no sheets".to_string())?,
    };
    let range = workbook
        .worksheet_range(&name)
        .map_err(|e| format!("unreadable sheet '{name}': {e}"))?;
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::new();
    for (i, cells) in range.rows().enumerate() {
        let r = r0 as usize + i;
        let loc = |j: usize| Loc::Cell {
            sheet: name.clone(),
            cell: crate::reqs::cell_name(r, c0 as usize + j),
        };
        let row: Vec<Cell> = cells
            .iter()
            .enumerate()
            .map(|(j, d)| Cell {
                text: match d {
                    Data::Empty => String::new(),
                    Data::String(s) => s.trim().to_string(),
                    Data::Int(v) => v.to_string(),
                    Data::Float(f) => {
                        if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15 {
                            format!("{}", *f as i64)
                        } else {
                            f.to_string()
                        }
                    }
                    Data::Bool(b) => b.to_string(),
                    Data::DateTime(dt) if !dt.is_duration() => {
                        let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
                        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")
                    }
                    Data::DateTime(dt) => dt.as_f64().to_string(),
                    Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                    Data::Error(e) => format!("#{e:?}"),
                },
                loc: loc(j),
            })
            .collect();
        if row.iter().any(|c| !c.text.is_empty()) {
            let end = loc(row.len());
            rows.push(Row { cells: row, end });
        }
    }
    Ok(Table { rows })
}

/// A column a reader looks for.
pub struct Column {
    /// The name shown in messages.
    pub name: &'static str,
    /// Header texts taken for it, compared after [`norm`].
    pub aliases: &'static [&'static str],
    pub required: bool,
}

/// The header row's columns: index of each wanted column (`None` when absent and not
/// required). Problems: an empty table, a required column missing (naming those found).
pub fn find_columns(table: &Table, wanted: &[Column]) -> Result<Vec<Option<usize>>, Problem> {
    let Some(header) = table.rows.first() else {
        return Err(Problem::error(
            Loc::File,
            "the file is empty: expected a header row naming the columns",
        ));
    };
    let names: Vec<String> = header.cells.iter().map(|c| norm(&c.text)).collect();
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for w in wanted {
        let found = w
            .aliases
            .iter()
            .find_map(|a| names.iter().position(|n| *n == norm(a)));
        if found.is_none() && w.required {
            missing.push(w.name);
        }
        out.push(found);
    }
    if !missing.is_empty() {
        let found: Vec<String> = header
            .cells
            .iter()
            .filter(|c| !c.text.is_empty())
            .map(|c| format!("`{}`", c.text))
            .collect();
        let loc = header
            .cells
            .first()
            .map(|c| c.loc.clone())
            .unwrap_or(Loc::File);
        return Err(Problem::error(
            loc,
            format!(
                "the header row has no {} column{} (columns found: {})",
                missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                if missing.len() > 1 { "s" } else { "" },
                if found.is_empty() {
                    "none".to_string()
                } else {
                    found.join(", ")
                }
            ),
        ));
    }
    Ok(out)
}

impl Row {
    /// The text of column `col` (empty when the row is short or the column absent).
    pub fn text(&self, col: Option<usize>) -> &str {
        col.and_then(|c| self.cells.get(c))
            .map_or("", |c| c.text.as_str())
    }

    /// Where column `col` is (the row's end when it is short).
    pub fn loc(&self, col: Option<usize>) -> Loc {
        col.and_then(|c| self.cells.get(c))
            .map_or_else(|| self.end.clone(), |c| c.loc.clone())
    }

    /// The row's first cell (where row-level problems point).
    pub fn start(&self) -> Loc {
        self.cells
            .first()
            .map_or_else(|| self.end.clone(), |c| c.loc.clone())
    }
}
