//! Tables (CSV or a workbook sheet) whose every cell knows where it is: the CSV line and
//! column where the cell starts, or the sheet and `A1` name of the workbook cell.
//!
//! CSV: RFC 4180 (quoted cells may hold the separator, quotes doubled, line breaks), the
//! separator `,`, `;` or tab as the first line uses it, any line end (LF, CRLF, CR), a
//! byte-order mark, UTF-16, or Windows-1252 when the file holds no UTF-8 at all; bytes
//! mixing UTF-8 and others are a problem at the first line that is not UTF-8
//! (`reqs::tabular::decode_checked`). The first non-empty row is the header row.
//!
//! Workbooks: a sheet is read as its used cells (`reqs::workbook`, within its bounds:
//! docs/limits.md), so a row holds only the cells it uses, each with its column; a sheet
//! with cells in `A1` and `XFD1048576` is two cells, not a rectangle.

use super::{norm, Loc, Problem};

/// One cell: its text (trimmed), its column (zero-based) and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub col: usize,
    pub loc: Loc,
}

/// One non-empty row: its cells by column (a CSV row holds every field, a workbook row
/// its used cells).
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
    let text = match crate::reqs::tabular::decode_checked(bytes) {
        Ok(t) => t,
        Err(m) => {
            return (
                Table::default(),
                vec![Problem::error(Loc::LineCol(m.line, m.column), m.message())],
            )
        }
    };
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
        for (i, c) in cells.iter_mut().enumerate() {
            c.col = i;
        }
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
                col: 0,
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
                col: 0,
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
            col: 0,
            loc: Loc::LineCol(field_loc.0, field_loc.1),
        });
        finish_row(&mut cells, line, col);
    }
    (Table { rows }, problems)
}

/// Reads one sheet of a workbook (`xlsx`, `xlsm`, `xls`, `ods`; the first sheet unless
/// `sheet` names one), cell by cell within the bounds of `reqs::workbook`. Date cells read
/// as ISO 8601 text. A workbook that cannot be read (or passes a bound) is one problem,
/// at the sheet and cell when known.
pub fn from_workbook(bytes: &[u8], extension: &str, sheet: Option<&str>) -> Result<Table, Problem> {
    use crate::reqs::workbook::{self, ReadError, Value};
    let problem = |e: ReadError| {
        let loc = match (&e.sheet, &e.cell) {
            (Some(sheet), Some(cell)) => Loc::Cell {
                sheet: sheet.clone(),
                cell: cell.clone(),
            },
            _ => Loc::File,
        };
        let message = match (&e.sheet, &e.cell) {
            (Some(s), None) => format!("sheet '{s}': {}", e.message),
            _ => e.message,
        };
        Problem::error(loc, message)
    };
    let mut book = workbook::open(bytes, extension).map_err(problem)?;
    let names = book.sheet_names().to_vec();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.trim().eq_ignore_ascii_case(wanted.trim()))
            .cloned()
            .ok_or_else(|| {
                Problem::error(
                    Loc::File,
                    format!(
                        "the workbook has no sheet '{wanted}' (sheets: {})",
                        names
                            .iter()
                            .map(|n| format!("'{n}'"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Problem::error(Loc::File, "the workbook has no sheets"))?,
    };
    let read = book
        .read_sheet(&name, &mut workbook::Budget::default())
        .map_err(problem)?;
    let loc = |r: u32, c: usize| Loc::Cell {
        sheet: name.clone(),
        cell: crate::reqs::cell_name(r as usize, c),
    };
    let mut rows: Vec<(u32, Vec<Cell>)> = Vec::new();
    for c in read.cells {
        let text = match c.value {
            Value::Text(s) => s.trim().to_string(),
            Value::Int(v) => v.to_string(),
            Value::Real(f) => {
                if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15 {
                    format!("{}", f as i64)
                } else {
                    f.to_string()
                }
            }
            Value::Bool(b) => b.to_string(),
            Value::DateTime(dt) if !dt.is_duration() => {
                let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
                format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")
            }
            Value::DateTime(dt) => dt.as_f64().to_string(),
            Value::DateIso(s) | Value::DurationIso(s) => s,
            Value::Error(e) => format!("#{e:?}"),
        };
        if text.is_empty() {
            continue;
        }
        let cell = Cell {
            text,
            col: c.col as usize,
            loc: loc(c.row, c.col as usize),
        };
        match rows.last_mut() {
            Some((r, cells)) if *r == c.row => cells.push(cell),
            _ => rows.push((c.row, vec![cell])),
        }
    }
    Ok(Table {
        rows: rows
            .into_iter()
            .map(|(r, cells)| {
                let next = cells.last().map_or(0, |c| c.col + 1);
                Row {
                    cells,
                    end: loc(r, next),
                }
            })
            .collect(),
    })
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
        let found = w.aliases.iter().find_map(|a| {
            names
                .iter()
                .position(|n| *n == norm(a))
                .map(|i| header.cells[i].col)
        });
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
    /// The cell in column `col`, if the row has one.
    fn get(&self, col: usize) -> Option<&Cell> {
        match self.cells.get(col) {
            Some(c) if c.col == col => Some(c),
            _ => self
                .cells
                .binary_search_by_key(&col, |c| c.col)
                .ok()
                .map(|i| &self.cells[i]),
        }
    }

    /// The text of column `col` (empty when the row is short or the column absent).
    pub fn text(&self, col: Option<usize>) -> &str {
        col.and_then(|c| self.get(c))
            .map_or("", |c| c.text.as_str())
    }

    /// Where column `col` is (the row's end when it is short; for a workbook row without
    /// that cell, the cell itself).
    pub fn loc(&self, col: Option<usize>) -> Loc {
        match col.and_then(|c| self.get(c)) {
            Some(c) => c.loc.clone(),
            None => match (col, &self.end) {
                (Some(c), Loc::Cell { sheet, cell }) => {
                    let row = cell.trim_start_matches(|ch: char| ch.is_ascii_alphabetic());
                    let letters = crate::reqs::cell_name(0, c);
                    Loc::Cell {
                        sheet: sheet.clone(),
                        cell: format!("{}{row}", letters.trim_end_matches('1')),
                    }
                }
                _ => self.end.clone(),
            },
        }
    }

    /// The row's first cell (where row-level problems point).
    pub fn start(&self) -> Loc {
        self.cells
            .first()
            .map_or_else(|| self.end.clone(), |c| c.loc.clone())
    }
}

/// What the register readers' unit tests share: a reading context for October 2014
/// issued on 3 November, and a CSV table read without problems.
#[cfg(test)]
pub(crate) mod test_support {
    use super::{from_csv, Table};
    use crate::monthly::{parse_time, Issued, Month, ReadCtx};

    pub(crate) const OCT: Month = Month {
        year: 2014,
        month: 10,
    };

    pub(crate) fn october_ctx() -> ReadCtx {
        ReadCtx {
            month: Some(OCT),
            issued: Some(Issued {
                time: parse_time("2014-11-03 08:00").expect("time"),
                from_epoch: true,
            }),
            ..ReadCtx::default()
        }
    }

    pub(crate) fn csv(text: &str) -> Table {
        let (t, probs) = from_csv(text.as_bytes());
        assert!(probs.is_empty(), "{probs:?}");
        t
    }
}
