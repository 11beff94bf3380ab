//! The traceability matrix as an Excel workbook (rust_xlsxwriter), for managers and
//! qualification teams, as evidence: a Summary sheet (the exports, the verdict, the
//! counts as numbers, the legend of the status styles), the Matrix (requirement ×
//! artifact), the Requirements (what covers each, its module, heading path and export
//! attributes) and the Dangling traces (every trace that covers nothing, where it is
//! written, "did you mean"). Every table sheet has an autofilter and a frozen header row
//! (and first column); every status has a style of its own, the same on every sheet.
//!
//! Texts are written as text, so nothing from the inputs is ever a formula, and an id
//! such as `0012` stays text; numbers are written as numbers only where they are numbers
//! in the model (counts, coverage, line and column, integer and real attributes).
//! Deterministic: the creation time is the caller's (SOURCE_DATE_EPOCH), the zip entries
//! carry a fixed date.

use super::trace::{dangling_traces, heading_path, matrix_rows, TraceView, MATRIX_COLUMNS};
use crate::reqs::AttrValue;
use crate::trace::{LinkStatus, ReqStatus};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError,
};
use std::borrow::Cow;

/// The sheets, in order.
pub const SHEETS: [&str; 4] = ["Summary", "Matrix", "Requirements", "Dangling traces"];

/// The columns of the Requirements sheet before the attributes' columns.
pub const REQUIREMENT_COLUMNS: [&str; 10] = [
    "Requirement",
    "Status",
    "Needs coverage",
    "Module",
    "Heading path",
    "Text",
    "Covered by",
    "Justification",
    "Export",
    "Place",
];

/// The columns of the Dangling traces sheet.
pub const DANGLING_COLUMNS: [&str; 9] = [
    "Cited id",
    "Status",
    "Did you mean",
    "Cited by",
    "In",
    "File",
    "Line",
    "Column",
    "Requirement text",
];

/// The most characters Excel holds in a cell.
const CELL_MAX: usize = 32_767;
/// The most columns of a sheet.
const COLUMNS_MAX: usize = 16_384;

/// The fill and font of a status (a requirement's or a trace's): one style per
/// requirement status; a trace status shares the style of the requirement status it
/// leads to (`covers`: covered, `ambiguous`: duplicate), `dangling` has its own.
fn status_style(status: &str) -> Option<(u32, u32, &'static str)> {
    // (fill, font colour, emphasis)
    let covered = [ReqStatus::Covered.as_str(), LinkStatus::Covers.as_str()];
    let duplicate = [
        ReqStatus::Duplicate.as_str(),
        LinkStatus::Ambiguous.as_str(),
    ];
    Some(if covered.contains(&status) {
        (0xC6EFCE, 0x006100, "")
    } else if status == ReqStatus::Suspect.as_str() {
        (0xFFEB9C, 0x9C5700, "")
    } else if status == ReqStatus::Uncovered.as_str() {
        (0xFFC7CE, 0x9C0006, "bold")
    } else if status == ReqStatus::Justified.as_str() {
        (0xDDEBF7, 0x1F4E78, "italic")
    } else if status == ReqStatus::NotRequired.as_str() {
        (0xF2F2F2, 0x7F7F7F, "")
    } else if status == ReqStatus::Withdrawn.as_str() {
        (0xD9D9D9, 0x595959, "strikethrough")
    } else if duplicate.contains(&status) {
        (0xF8CBAD, 0x843C0C, "bold")
    } else if status == LinkStatus::Dangling.as_str() {
        (0xC00000, 0xFFFFFF, "bold")
    } else {
        return None;
    })
}

/// The cell format of a status, `None` for any other text.
fn status_format(status: &str) -> Option<Format> {
    let (fill, font, emphasis) = status_style(status)?;
    let f = Format::new()
        .set_background_color(Color::RGB(fill))
        .set_font_color(Color::RGB(font));
    Some(match emphasis {
        "bold" => f.set_bold(),
        "italic" => f.set_italic(),
        "strikethrough" => f.set_font_strikethrough(),
        _ => f,
    })
}

/// The legend on the Summary sheet: every status, what it is the status of, whether it
/// fails the trace, and what it means (docs/tracing.md, "Statuses").
fn legend() -> Vec<(&'static str, &'static str, bool, &'static str)> {
    let mut rows: Vec<(&'static str, &'static str, bool, &'static str)> = ReqStatus::ALL
        .iter()
        .map(|&s| {
            let meaning = match s {
                ReqStatus::Covered => "at least one trace, none suspect",
                ReqStatus::Suspect => "covered, but a trace was made against an older text",
                ReqStatus::Uncovered => "needs coverage and has none",
                ReqStatus::Justified => "needs coverage, has none, a justification is recorded",
                ReqStatus::NotRequired => "does not need coverage and has none",
                ReqStatus::Withdrawn => "deleted or rejected in the export",
                ReqStatus::Duplicate => "its id is defined more than once in the exports",
            };
            (s.as_str(), "requirement", s.is_defect(), meaning)
        })
        .collect();
    for s in [
        LinkStatus::Covers,
        LinkStatus::Suspect,
        LinkStatus::Dangling,
        LinkStatus::Withdrawn,
        LinkStatus::Ambiguous,
    ] {
        let meaning = match s {
            LinkStatus::Covers => "the requirement exists once, is in force, unchanged",
            LinkStatus::Suspect => {
                "the requirement changed since the baseline, or the recorded fingerprint differs"
            }
            LinkStatus::Dangling => "no requirement has this id",
            LinkStatus::Withdrawn => "the requirement is deleted or rejected",
            LinkStatus::Ambiguous => "several requirements have this id",
        };
        rows.push((s.as_str(), "trace", s.is_defect(), meaning));
    }
    rows
}

/// A text that fits a cell: one longer than Excel holds is cut, and says so.
pub(crate) fn fit(s: &str) -> Cow<'_, str> {
    if s.len() <= CELL_MAX || s.chars().count() <= CELL_MAX {
        return Cow::Borrowed(s);
    }
    let total = s.chars().count();
    let kept: String = s.chars().take(32_000).collect();
    Cow::Owned(format!(
        "{kept}… [cut here: a cell holds at most {CELL_MAX} characters, this text has {total}; \
         the export holds all of it]"
    ))
}

/// Writes a text cell, with a format when given.
fn text(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: &str,
    format: Option<&Format>,
) -> Result<(), XlsxError> {
    let value = fit(value);
    match format {
        Some(f) => sheet.write_string_with_format(row, col, value.as_ref(), f)?,
        None => sheet.write_string(row, col, value.as_ref())?,
    };
    Ok(())
}

/// Writes a status cell in its style.
fn status(sheet: &mut Worksheet, row: u32, col: u16, value: &str) -> Result<(), XlsxError> {
    text(sheet, row, col, value, status_format(value).as_ref())
}

/// Writes an attribute value: a number when it is one in the model (an integer beyond
/// what a spreadsheet number holds exactly stays text), a boolean, else text.
fn attribute(sheet: &mut Worksheet, row: u32, col: u16, v: &AttrValue) -> Result<(), XlsxError> {
    const EXACT: i64 = 1 << 53;
    match v {
        AttrValue::Integer(i) if (-EXACT..=EXACT).contains(i) => {
            sheet.write_number(row, col, *i as f64)?;
        }
        AttrValue::Real(r) if r.is_finite() => {
            sheet.write_number(row, col, *r)?;
        }
        AttrValue::Bool(b) => {
            sheet.write_boolean(row, col, *b)?;
        }
        other => text(sheet, row, col, &other.display(), None)?,
    }
    Ok(())
}

/// A header row, its autofilter over `rows` rows below it, and the panes frozen below
/// the header and right of the first column.
fn table(
    sheet: &mut Worksheet,
    titles: &[String],
    rows: usize,
    header: &Format,
) -> Result<(), XlsxError> {
    for (c, t) in titles.iter().enumerate() {
        text(sheet, 0, c as u16, t, Some(header))?;
    }
    let last_col = titles.len().max(1) as u16 - 1;
    sheet.autofilter(0, 0, rows as u32, last_col)?;
    sheet.set_freeze_panes(1, 1)?;
    Ok(())
}

/// The workbook's bytes. `created` is the document's creation time in Unix seconds.
pub fn trace_matrix(v: &TraceView, created: i64) -> Result<Vec<u8>, String> {
    build(v, created).map_err(|e| e.to_string())
}

fn build(v: &TraceView, created: i64) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let when = ExcelDateTime::from_timestamp(created)?;
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
    let percent = Format::new().set_num_format("0.0");
    let dangling = dangling_traces(v);

    // Requirement attributes: every name, in name order (as far as the sheet has columns).
    let mut names: std::collections::BTreeSet<&str> = Default::default();
    for r in &v.requirements {
        names.extend(r.attributes.keys().map(String::as_str));
    }
    let room = COLUMNS_MAX - REQUIREMENT_COLUMNS.len();
    let attributes_left_out = names.len().saturating_sub(room);
    let names: Vec<&str> = names.into_iter().take(room).collect();
    // Each name's column, so a requirement costs its own attributes, not every name.
    let column_of: std::collections::HashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(j, n)| (*n, REQUIREMENT_COLUMNS.len() + j))
        .collect();

    // Summary.
    let s = &v.summary;
    let sheet = wb.add_worksheet().set_name(SHEETS[0])?;
    sheet.set_column_width(0, 34)?;
    sheet.set_column_width(1, 60)?;
    sheet.set_column_width(2, 14)?;
    sheet.set_column_width(3, 70)?;
    enum Value {
        Text(String),
        Count(usize),
        Percent(f64),
    }
    let mut rows: Vec<(String, Value)> = vec![
        (
            "Project file".into(),
            Value::Text(v.project_file.describe()),
        ),
        (
            "Requirement exports".into(),
            Value::Text(v.exports.join("\n")),
        ),
        ("Baseline".into(), Value::Text(v.baseline.join("\n"))),
        (
            "Verdict".into(),
            Value::Text(if s.defects { "defects" } else { "complete" }.into()),
        ),
        ("Requirements".into(), Value::Count(s.requirements)),
        ("Needing coverage".into(), Value::Count(s.needing_coverage)),
        ("Covered".into(), Value::Count(s.covered)),
        ("Coverage (%)".into(), Value::Percent(s.coverage_percent)),
    ];
    rows.extend(
        s.by_status
            .iter()
            .map(|(k, n)| (format!("Requirements {k}"), Value::Count(*n))),
    );
    rows.push(("Links".into(), Value::Count(s.links)));
    // Every trace status, 0 included: a count of none is evidence too.
    for st in legend().iter().filter(|l| l.1 == "trace") {
        let n = s.links_by_status.get(st.0).copied().unwrap_or(0);
        rows.push((format!("Links {}", st.0), Value::Count(n)));
    }
    rows.push((
        "Artifacts citing requirements".into(),
        Value::Count(s.artifacts),
    ));
    rows.push((
        "Traces that cover nothing (sheet Dangling traces)".into(),
        Value::Count(dangling.len()),
    ));
    if attributes_left_out > 0 {
        rows.push((
            format!(
                "Attributes not shown on the Requirements sheet (it holds {COLUMNS_MAX} columns)"
            ),
            Value::Count(attributes_left_out),
        ));
    }
    for (r, (k, val)) in rows.iter().enumerate() {
        let r = r as u32;
        sheet.write_string_with_format(r, 0, k, &bold)?;
        match val {
            Value::Text(t) => text(sheet, r, 1, t, Some(&wrap))?,
            Value::Count(n) => {
                sheet.write_number(r, 1, *n as f64)?;
            }
            Value::Percent(p) => {
                sheet.write_number_with_format(r, 1, *p, &percent)?;
            }
        }
    }
    let top = rows.len() as u32 + 1;
    sheet.write_string_with_format(top, 0, "Status legend", &bold)?;
    for (c, t) in ["Status", "Of", "Fails the trace", "Meaning"]
        .iter()
        .enumerate()
    {
        sheet.write_string_with_format(top + 1, c as u16, *t, &header)?;
    }
    for (i, (st, of, fails, meaning)) in legend().into_iter().enumerate() {
        let r = top + 2 + i as u32;
        status(sheet, r, 0, st)?;
        sheet.write_string(r, 1, of)?;
        sheet.write_string(r, 2, if fails { "yes" } else { "no" })?;
        sheet.write_string(r, 3, meaning)?;
    }

    // Matrix.
    let sheet = wb.add_worksheet().set_name(SHEETS[1])?;
    let matrix = matrix_rows(v);
    let fixed = MATRIX_COLUMNS.len();
    table(sheet, &matrix[0], matrix.len() - 1, &header)?;
    for (r, row) in matrix.iter().enumerate().skip(1) {
        for (c, cell) in row.iter().enumerate() {
            let (r, c16) = (r as u32, c as u16);
            if c == 1 || c >= fixed {
                status(sheet, r, c16, cell)?;
            } else {
                text(sheet, r, c16, cell, None)?;
            }
        }
    }
    for (c, w) in [18, 12, 9, 24, 30, 50].iter().enumerate() {
        sheet.set_column_width(c as u16, *w)?;
    }
    for c in fixed..fixed + v.artifacts.len().min(COLUMNS_MAX - fixed) {
        sheet.set_column_width(c as u16, 14)?;
    }

    // Requirements.
    let sheet = wb.add_worksheet().set_name(SHEETS[2])?;
    let mut titles: Vec<String> = REQUIREMENT_COLUMNS.iter().map(|t| t.to_string()).collect();
    titles.extend(names.iter().map(|n| {
        // An attribute named as a column of opsplan's (a DOORS `Status`) says it is one.
        if REQUIREMENT_COLUMNS
            .iter()
            .any(|t| t.eq_ignore_ascii_case(n.trim()))
        {
            format!("{n} (attribute)")
        } else {
            n.to_string()
        }
    }));
    table(sheet, &titles, v.requirements.len(), &header)?;
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
            r.module.clone().unwrap_or_default(),
            heading_path(r),
            r.text.clone(),
            by.join("\n"),
            r.justification.clone().unwrap_or_default(),
            r.file.clone(),
            place,
        ];
        for (c, cell) in cells.iter().enumerate() {
            if c == 1 {
                status(sheet, row, 1, cell)?;
            } else {
                text(sheet, row, c as u16, cell, Some(&wrap))?;
            }
        }
        for (name, value) in &r.attributes {
            if let Some(&c) = column_of.get(name.as_str()) {
                attribute(sheet, row, c as u16, value)?;
            }
        }
    }
    for (c, w) in [18, 12, 9, 24, 30, 60, 40, 40, 30, 12].iter().enumerate() {
        sheet.set_column_width(c as u16, *w)?;
    }
    for c in 0..names.len() {
        sheet.set_column_width((REQUIREMENT_COLUMNS.len() + c) as u16, 16)?;
    }

    // Dangling traces.
    let sheet = wb.add_worksheet().set_name(SHEETS[3])?;
    let titles: Vec<String> = DANGLING_COLUMNS.iter().map(|t| t.to_string()).collect();
    table(sheet, &titles, dangling.len(), &header)?;
    for (i, d) in dangling.iter().enumerate() {
        let row = i as u32 + 1;
        let a = &v.artifacts[d.artifact];
        text(sheet, row, 0, &d.cite.id, None)?;
        status(sheet, row, 1, d.cite.status.as_str())?;
        text(sheet, row, 2, &d.suggestion(), None)?;
        text(sheet, row, 3, &v.artifact_title(d.artifact), None)?;
        text(sheet, row, 4, a.context.as_deref().unwrap_or(""), None)?;
        text(sheet, row, 5, &d.cite.file, None)?;
        sheet.write_number(row, 6, f64::from(d.cite.line))?;
        sheet.write_number(row, 7, f64::from(d.cite.column))?;
        let req_text = d.requirement.map_or("", |r| r.text.as_str());
        text(sheet, row, 8, req_text, Some(&wrap))?;
    }
    for (c, w) in [18, 12, 24, 30, 20, 40, 7, 7, 60].iter().enumerate() {
        sheet.set_column_width(c as u16, *w)?;
    }

    // With evidence: each requirement's verification, and every piece of evidence.
    if let Some(e) = &v.evidence {
        let sheet = wb.add_worksheet().set_name(EVIDENCE_SHEETS[0])?;
        let titles: Vec<String> = ["Requirement", "Status", "Verification", "Evidence"]
            .iter()
            .map(|t| t.to_string())
            .collect();
        table(sheet, &titles, v.requirements.len(), &header)?;
        for (i, r) in v.requirements.iter().enumerate() {
            let row = i as u32 + 1;
            let ver = r.verification.as_ref();
            let items: Vec<String> = ver
                .map(|x| x.evidence.as_slice())
                .unwrap_or_default()
                .iter()
                .map(|&k| {
                    let it = &e.items[k];
                    format!("{} {} ({})", it.kind.as_str(), it.name, it.outcome.as_str())
                })
                .collect();
            text(sheet, row, 0, &r.id, None)?;
            status(sheet, row, 1, r.status.as_str())?;
            text(sheet, row, 2, ver.map_or("", |x| x.status.as_str()), None)?;
            text(sheet, row, 3, &items.join("\n"), Some(&wrap))?;
        }
        for (c, w) in [18, 12, 18, 80].iter().enumerate() {
            sheet.set_column_width(c as u16, *w)?;
        }
        let sheet = wb.add_worksheet().set_name(EVIDENCE_SHEETS[1])?;
        let titles: Vec<String> = [
            "Kind",
            "Evidence",
            "Outcome",
            "Message",
            "File",
            "Line",
            "Column",
            "Requirements",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        table(sheet, &titles, e.items.len(), &header)?;
        for (i, it) in e.items.iter().enumerate() {
            let row = i as u32 + 1;
            text(sheet, row, 0, it.kind.as_str(), None)?;
            text(sheet, row, 1, &it.name, None)?;
            text(sheet, row, 2, it.outcome.as_str(), None)?;
            text(
                sheet,
                row,
                3,
                it.message.as_deref().unwrap_or(""),
                Some(&wrap),
            )?;
            text(sheet, row, 4, &it.file, None)?;
            sheet.write_number(row, 5, f64::from(it.line))?;
            sheet.write_number(row, 6, f64::from(it.column))?;
            text(sheet, row, 7, &it.requirements.join(", "), Some(&wrap))?;
        }
        for (c, w) in [10, 40, 10, 50, 40, 7, 7, 40].iter().enumerate() {
            sheet.set_column_width(c as u16, *w)?;
        }
    }
    wb.save_to_buffer()
}

/// The sheets added when `evidence:` is configured, after [`SHEETS`].
pub const EVIDENCE_SHEETS: [&str; 2] = ["Verification", "Evidence"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_requirement_status_has_a_style_of_its_own() {
        let styles: Vec<_> = ReqStatus::ALL
            .iter()
            .map(|s| status_style(s.as_str()).unwrap_or_else(|| panic!("{}", s.as_str())))
            .collect();
        for (i, a) in styles.iter().enumerate() {
            for b in &styles[i + 1..] {
                assert_ne!(a, b);
            }
        }
        // Trace statuses share the style of the requirement status they lead to.
        assert_eq!(status_style("covers"), status_style("covered"));
        assert_eq!(status_style("ambiguous"), status_style("duplicate"));
        let dangling = status_style("dangling").unwrap();
        assert!(!styles.contains(&dangling));
        assert_eq!(status_style("yes"), None);
        assert_eq!(legend().len(), 12);
    }

    #[test]
    fn a_text_longer_than_a_cell_is_cut_and_says_so() {
        assert_eq!(fit("short"), "short");
        let long = "é".repeat(40_000);
        let cut = fit(&long);
        assert!(cut.chars().count() <= CELL_MAX);
        assert!(cut.ends_with("this text has 40000; the export holds all of it]"));
        let exact = "x".repeat(CELL_MAX);
        assert_eq!(fit(&exact).len(), CELL_MAX);
    }
}
