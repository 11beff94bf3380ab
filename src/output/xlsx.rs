//! The traceability matrix as an Excel workbook (rust_xlsxwriter), for managers and
//! qualification teams: a Summary sheet, the Matrix (requirement × artifact, statuses
//! coloured, panes frozen on the ids and titles) and a Requirements sheet with what
//! covers each. Cells are written as text, so nothing from the inputs is ever a formula.
//! Deterministic: the creation time is the caller's (SOURCE_DATE_EPOCH), the zip
//! entries carry a fixed date.

use super::trace::{matrix_rows, TraceView};
use crate::trace::{LinkStatus, ReqStatus};
use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, FormatBorder, Workbook};

fn status_color(status: &str) -> Option<Color> {
    let s = status;
    let covered = [ReqStatus::Covered.as_str(), LinkStatus::Covers.as_str()];
    if covered.contains(&s) || s == ReqStatus::Justified.as_str() {
        Some(Color::RGB(0xC6EFCE))
    } else if s == ReqStatus::Suspect.as_str() || s == LinkStatus::Ambiguous.as_str() {
        Some(Color::RGB(0xFFEB9C))
    } else if [
        ReqStatus::Uncovered.as_str(),
        ReqStatus::Duplicate.as_str(),
        LinkStatus::Dangling.as_str(),
        LinkStatus::Withdrawn.as_str(),
    ]
    .contains(&s)
    {
        Some(Color::RGB(0xFFC7CE))
    } else {
        None
    }
}

/// The workbook's bytes. `created` is the document's creation time in Unix seconds.
pub fn trace_matrix(v: &TraceView, created: i64) -> Result<Vec<u8>, String> {
    let err = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut wb = Workbook::new();
    let when = ExcelDateTime::from_timestamp(created).map_err(err)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title("Traceability matrix")
            .set_creation_datetime(&when),
    );
    let bold = Format::new().set_bold();
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border_bottom(FormatBorder::Thin)
        .set_background_color(Color::RGB(0xD9E1F2));
    let wrap = Format::new().set_text_wrap();

    // Summary.
    let s = &v.summary;
    let sheet = wb.add_worksheet().set_name("Summary").map_err(err)?;
    sheet.set_column_width(0, 34).map_err(err)?;
    sheet.set_column_width(1, 60).map_err(err)?;
    let mut rows: Vec<(String, String)> = vec![
        ("Requirement exports".into(), v.exports.join("\n")),
        ("Baseline".into(), v.baseline.join("\n")),
        ("Requirements".into(), s.requirements.to_string()),
        ("Needing coverage".into(), s.needing_coverage.to_string()),
        ("Covered".into(), s.covered.to_string()),
        ("Coverage (%)".into(), format!("{:.1}", s.coverage_percent)),
    ];
    rows.extend(
        s.by_status
            .iter()
            .map(|(k, n)| (format!("Requirements {k}"), n.to_string())),
    );
    rows.push(("Links".into(), s.links.to_string()));
    rows.extend(
        s.links_by_status
            .iter()
            .map(|(k, n)| (format!("Links {k}"), n.to_string())),
    );
    rows.push((
        "Artifacts citing requirements".into(),
        s.artifacts.to_string(),
    ));
    for (r, (k, val)) in rows.iter().enumerate() {
        sheet
            .write_string_with_format(r as u32, 0, k, &bold)
            .map_err(err)?;
        sheet
            .write_string_with_format(r as u32, 1, val, &wrap)
            .map_err(err)?;
    }

    // Matrix.
    let sheet = wb.add_worksheet().set_name("Matrix").map_err(err)?;
    let matrix = matrix_rows(v);
    for (r, row) in matrix.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c16) = (r as u32, c as u16);
            if r == 0 {
                sheet
                    .write_string_with_format(r, c16, cell, &header)
                    .map_err(err)?;
            } else if c == 1 || c >= 4 {
                match status_color(cell) {
                    Some(color) => sheet
                        .write_string_with_format(
                            r,
                            c16,
                            cell,
                            &Format::new().set_background_color(color),
                        )
                        .map_err(err)?,
                    None => sheet.write_string(r, c16, cell).map_err(err)?,
                };
            } else {
                sheet.write_string(r, c16, cell).map_err(err)?;
            }
        }
    }
    sheet.set_column_width(0, 18).map_err(err)?;
    sheet.set_column_width(1, 12).map_err(err)?;
    sheet.set_column_width(2, 9).map_err(err)?;
    sheet.set_column_width(3, 50).map_err(err)?;
    for c in 4..4 + v.artifacts.len().min(16_000) {
        sheet.set_column_width(c as u16, 14).map_err(err)?;
    }
    sheet.set_freeze_panes(1, 1).map_err(err)?;

    // Requirements.
    let sheet = wb.add_worksheet().set_name("Requirements").map_err(err)?;
    let titles = [
        "Requirement",
        "Status",
        "Needs coverage",
        "Text",
        "Covered by",
        "Justification",
        "Export",
        "Place",
    ];
    for (c, t) in titles.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, *t, &header)
            .map_err(err)?;
    }
    for (i, r) in v.requirements.iter().enumerate() {
        let row = i as u32 + 1;
        let by: Vec<String> = r
            .covered_by
            .iter()
            .map(|c| format!("{} ({})", v.artifact_title(c.artifact), c.status.as_str()))
            .collect();
        let place = match &r.location {
            crate::reqs::ReqLocation::Cell { sheet, cell } => format!("{sheet}!{cell}"),
            crate::reqs::ReqLocation::Text { line, column }
            | crate::reqs::ReqLocation::Xml { line, column, .. } => format!("{line}:{column}"),
        };
        let cells = [
            r.id.clone(),
            r.status.as_str().to_string(),
            if r.needs_coverage { "yes" } else { "no" }.to_string(),
            r.text.clone(),
            by.join("\n"),
            r.justification.clone().unwrap_or_default(),
            r.file.clone(),
            place,
        ];
        for (c, cell) in cells.iter().enumerate() {
            if c == 1 {
                if let Some(color) = status_color(cell) {
                    sheet
                        .write_string_with_format(
                            row,
                            1,
                            cell,
                            &Format::new().set_background_color(color),
                        )
                        .map_err(err)?;
                    continue;
                }
            }
            sheet
                .write_string_with_format(row, c as u16, cell, &wrap)
                .map_err(err)?;
        }
    }
    for (c, w) in [18, 12, 9, 60, 40, 40, 30, 12].iter().enumerate() {
        sheet.set_column_width(c as u16, *w).map_err(err)?;
    }
    sheet.set_freeze_panes(1, 1).map_err(err)?;
    wb.save_to_buffer().map_err(err)
}
