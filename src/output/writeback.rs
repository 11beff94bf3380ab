//! The spreadsheet write-back (`opsplan trace --format doors-csv|doors-xlsx`): the key
//! column DOORS matches objects by and the two write-back columns (three with
//! the verification), one row per
//! requirement, nothing else (DOORS updates only the columns present). The rows come
//! from [`crate::trace::writeback::rows`]; here they become CSV (csv crate, CRLF, every
//! cell made safe against formula injection by [`super::trace::safe_cell`]) or a one-sheet
//! workbook (rust_xlsxwriter, every cell written as text). Deterministic: the workbook's
//! creation time is the caller's (SOURCE_DATE_EPOCH).

use super::trace::safe_cell;
use crate::trace::writeback::Row;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

/// The sheet of the workbook.
pub const SHEET: &str = "Write-back";

/// The write-back as CSV.
pub fn csv(header: &[String], rows: &[Row]) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(header.iter().map(|c| safe_cell(c)))
        .expect("writing to memory");
    for r in rows {
        w.write_record(r.cells().into_iter().map(safe_cell))
            .expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("UTF-8 cells")
}

/// The write-back as an XLSX workbook of one sheet.
pub fn xlsx(header: &[String], rows: &[Row], created: i64) -> Result<Vec<u8>, String> {
    build(header, rows, created).map_err(|e| e.to_string())
}

fn build(header: &[String], rows: &[Row], created: i64) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let when = ExcelDateTime::from_timestamp(created)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title("DOORS write-back")
            .set_creation_datetime(&when),
    );
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name(SHEET)?;
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, cell(h), &bold)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        for (c, text) in r.cells().into_iter().enumerate() {
            ws.write_string(row, c as u16, cell(text))?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.set_column_width(0, 18)?;
    ws.set_column_width(1, 16)?;
    ws.set_column_width(2, 80)?;
    if header.len() > 3 {
        ws.set_column_width(3, 18)?;
    }
    wb.save_to_buffer()
}

/// A text as a cell: one longer than Excel holds (a "covered by" of thousands of
/// artifacts) cut and saying so, as in the matrix workbook; written as a string, never a
/// formula.
fn cell(s: &str) -> String {
    super::xlsx::fit(s).into_owned()
}
