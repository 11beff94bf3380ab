//! `opsplan trace --format reqif-update -o FILE` (docs/doors-roundtrip.md): the trace's
//! write-back written into the ReqIF or ReqIFz export it read, through
//! [`crate::reqs::reqif_update`]. Chooses the export (the only ReqIF/ReqIFz source, or
//! `--writeback-source`), turns the write-back rows into per-object values (the adapter,
//! [`values_of`]: the one place that knows the columns of a row), reads the export's bytes
//! again, writes, and reads the result back with the importer before anything is written:
//! a write-back that changes anything but the write-back values is refused.

use crate::reqs::reqif_update::{self, Column, Refusal, Updates};
use crate::trace::evidence::Verification;
use crate::trace::writeback::{KeyColumn, Row, COVERAGE_VALUES};
use crate::workspace;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The write-back attributes of a header (after its key column) and the values of a row,
/// in that order: (attribute name, value). The coverage attribute is an enumeration of
/// [`COVERAGE_VALUES`], the verification attribute (a fourth column, when written) one of
/// the verification values; "covered by" is a text.
pub(super) fn values_of(header: &[String], row: &Row) -> (Vec<Column>, Vec<(String, String)>) {
    let enumeration = |values: &[&str]| Some(values.iter().map(|v| v.to_string()).collect());
    let mut columns = vec![
        Column {
            name: header[1].clone(),
            values: enumeration(&COVERAGE_VALUES),
        },
        Column {
            name: header[2].clone(),
            values: None,
        },
    ];
    let mut values = vec![
        (header[1].clone(), row.coverage.to_string()),
        (header[2].clone(), row.covered_by.clone()),
    ];
    if let (Some(name), Some(v)) = (header.get(3), row.verification) {
        let all: Vec<&str> = Verification::ALL.iter().map(|v| v.as_str()).collect();
        columns.push(Column {
            name: name.clone(),
            values: enumeration(&all),
        });
        values.push((name.clone(), v.to_string()));
    }
    (columns, values)
}

/// `LAST-CHANGE` of the objects changed: SOURCE_DATE_EPOCH when set, else now (UTC, to
/// the second).
pub(super) fn stamp() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or_else(|| jiff::Timestamp::now().as_second());
    jiff::Timestamp::from_second(seconds)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

fn is_reqif(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("reqif") || e.eq_ignore_ascii_case("reqifz"))
}

fn shown(p: &Path) -> String {
    p.display().to_string().replace('\\', "/")
}

/// The export written back: the one ReqIF/ReqIFz source, or the one `choice` names.
pub(super) fn choose(traced: &workspace::Traced, choice: Option<&Path>) -> Result<usize, String> {
    let candidates: Vec<usize> = (0..traced.files.len())
        .filter(|&i| is_reqif(&traced.files[i]))
        .collect();
    let listed = || {
        candidates
            .iter()
            .map(|&i| format!("\n  {}", shown(&traced.files[i])))
            .collect::<String>()
    };
    match choice {
        Some(c) => {
            let wanted = std::fs::canonicalize(c).map_err(|e| {
                format!("--writeback-source {}: cannot read it: {e}", shown(c))
            })?;
            candidates
                .iter()
                .copied()
                .find(|&i| std::fs::canonicalize(&traced.files[i]).is_ok_and(|p| p == wanted))
                .ok_or_else(|| {
                    format!(
                        "--writeback-source {} is not one of the ReqIF or ReqIFz requirement sources of the trace:{}",
                        shown(c),
                        if candidates.is_empty() { "\n  (none)".to_string() } else { listed() }
                    )
                })
        }
        None => match candidates.len() {
            1 => Ok(candidates[0]),
            0 => Err(format!(
                "--format reqif-update writes back into a ReqIF or ReqIFz export, and the requirement sources hold none ({}); for a spreadsheet export use --format doors-csv or doors-xlsx",
                traced.files.iter().map(|p| shown(p)).collect::<Vec<_>>().join(", ")
            )),
            _ => Err(format!(
                "the requirement sources hold {} ReqIF or ReqIFz exports; choose the one to write back into with --writeback-source FILE:{}",
                candidates.len(),
                listed()
            )),
        },
    }
}

/// The write-back of `rows` (from [`crate::trace::writeback::rows`], `header` its header)
/// into the export `chosen` ([`choose`]): its new bytes, or why nothing can be written.
pub(super) fn write_back(
    traced: &workspace::Traced,
    header: &[String],
    rows: &[Row],
    chosen: usize,
    stamp: &str,
) -> Result<Vec<u8>, String> {
    let path: &PathBuf = &traced.files[chosen];
    let export = &traced.exports[chosen];
    // The rows are in the order of the requirements sorted by (export, object):
    // matched back to their objects, each key checked.
    let column = KeyColumn::of(&traced.exports);
    let mut order: Vec<&crate::trace::ReqEntry> = traced.trace.requirements.iter().collect();
    order.sort_by_key(|r| (r.export, r.object));
    if order.len() != rows.len() {
        return Err("internal error: the write-back rows do not match the requirements".into());
    }
    let mut columns: Vec<Column> = Vec::new();
    let mut by_member: BTreeMap<Option<String>, Updates> = BTreeMap::new();
    let mut expected = HashMap::new();
    for (r, row) in order.iter().zip(rows) {
        let (cols, values) = values_of(header, row);
        if columns.is_empty() {
            columns = cols;
        }
        if r.export != chosen {
            continue;
        }
        let o = traced.trace.object(&traced.exports, r);
        if column.key(export, o).as_deref() != Some(row.key.as_str()) {
            return Err(format!(
                "internal error: the write-back row of {} does not match its object",
                r.id
            ));
        }
        let Some((member, ident)) = reqif_update::object_ident(o) else {
            return Err(format!(
                "requirement {} of {} has no SPEC-OBJECT identifier",
                r.id,
                shown(path)
            ));
        };
        let member = member.map(str::to_string);
        expected.insert((member.clone(), ident.to_string()), values.clone());
        by_member
            .entry(member)
            .or_default()
            .push((ident.to_string(), values));
    }
    if columns.is_empty() {
        columns = values_of(
            header,
            &Row {
                key: String::new(),
                coverage: "",
                covered_by: String::new(),
                verification: header.get(3).map(|_| ""),
            },
        )
        .0;
    }
    let input =
        std::fs::read(path).map_err(|e| format!("{}: cannot read it again: {e}", shown(path)))?;
    let zipped = input.starts_with(b"PK\x03\x04");
    let updated = if zipped {
        let members: BTreeMap<String, Updates> = by_member
            .into_iter()
            .map(|(m, u)| (m.unwrap_or_default(), u))
            .collect();
        reqif_update::update_archive(&input, &columns, &members, stamp)
    } else {
        let updates = by_member.remove(&None).unwrap_or_default();
        reqif_update::update(&input, &columns, &updates, stamp)
    }
    .map_err(|r| refused(path, &r, &columns))?;
    let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
    reqif_update::verify(&input, &updated.bytes, &names, &expected).map_err(|why| {
        format!(
            "{}: the write-back would change more than the write-back values ({why}); nothing was written",
            shown(path)
        )
    })?;
    Ok(updated.bytes)
}

/// The message of a refused write-back: where, which element, why; the recipe when the
/// attributes are missing.
fn refused(path: &Path, r: &Refusal, columns: &[Column]) -> String {
    let mut place = shown(path);
    if let Some(m) = &r.member {
        place = format!("{place}!{m}");
    }
    if r.line > 0 {
        place = format!("{place}:{}:{}", r.line, r.column);
    }
    let mut out = format!("{place}: {}: {}; nothing was written", r.element, r.message);
    if r.needs_recipe {
        out.push('\n');
        out.push_str(&reqif_update::recipe(columns));
    }
    out
}
