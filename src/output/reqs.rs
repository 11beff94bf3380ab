//! `opsplan reqs list`: every object of the exports, as text for a reader or JSON for a
//! tool. Deterministic: objects in outline order, attributes by name.

use crate::reqs::{ReqLocation, ReqObject};
use crate::workspace::requirements::ReqRun;
use std::fmt::Write;

/// One block per object: the id and kind, the text, the attributes, the links, the place.
pub fn text(run: &ReqRun) -> String {
    crate::diag::terminal_safe(&text_raw(run)).into_owned()
}

/// [`text`] before control characters from the inputs are escaped.
fn text_raw(run: &ReqRun) -> String {
    let mut out = String::new();
    for (path, export) in &run.exports {
        let _ = writeln!(
            out,
            "== {} ({} objects)",
            path.display(),
            export.objects.len()
        );
        // The modules, by the names `requirements: modules:` takes, in order of appearance.
        let mut modules: Vec<(&str, usize)> = Vec::new();
        let mut seen: std::collections::HashMap<&str, usize> = Default::default();
        for m in export.objects.iter().filter_map(|o| o.module.as_deref()) {
            let i = *seen.entry(m).or_insert_with(|| {
                modules.push((m, 0));
                modules.len() - 1
            });
            modules[i].1 += 1;
        }
        for (m, n) in modules {
            let _ = writeln!(out, "module: {m} ({})", super::plural(n, "object"));
        }
        for o in &export.objects {
            object_text(&mut out, path, o);
        }
        out.push('\n');
    }
    out
}

fn object_text(out: &mut String, path: &std::path::Path, o: &ReqObject) {
    let kind = if o.is_heading {
        "heading"
    } else {
        "requirement"
    };
    let level = o.level.map(|l| format!(", level {l}")).unwrap_or_default();
    let _ = writeln!(out, "{}  [{kind}{level}]", o.id);
    if !o.path.is_empty() {
        let _ = writeln!(out, "  in: {}", o.path.join(" > "));
    }
    if let Some(h) = &o.heading {
        let _ = writeln!(out, "  heading: {h}");
    }
    for line in o.text.lines() {
        let _ = writeln!(out, "  | {line}");
    }
    for (k, v) in &o.attributes {
        let value = v.display().replace('\n', " / ");
        let _ = writeln!(out, "  {k}: {value}");
    }
    for l in &o.links {
        let arrow = match l.direction {
            crate::reqs::Direction::Out => "->",
            crate::reqs::Direction::In => "<-",
        };
        let external = if l.resolved {
            ""
        } else {
            " (not in the inputs)"
        };
        let _ = writeln!(out, "  {arrow} {} {}{external}", l.kind, l.target);
    }
    let at = match &o.location {
        ReqLocation::Text { line, column } => format!("{}:{line}:{column}", path.display()),
        ReqLocation::Cell { sheet, cell } => {
            format!("{} sheet {sheet} cell {cell}", path.display())
        }
        ReqLocation::Xml {
            element,
            line,
            column,
            member,
        } => match member {
            Some(m) => format!("{}!{m}:{line}:{column} {element}", path.display()),
            None => format!("{}:{line}:{column} {element}", path.display()),
        },
    };
    let _ = writeln!(out, "  at {at}");
}

/// `12 objects (3 headings, 9 requirements), 4 links (1 external) in 2 files`.
pub fn summary(run: &ReqRun) -> String {
    let objects: Vec<&ReqObject> = run.exports.iter().flat_map(|(_, e)| &e.objects).collect();
    let headings = objects.iter().filter(|o| o.is_heading).count();
    let links: usize = objects.iter().map(|o| o.links.len()).sum();
    let external: usize = objects
        .iter()
        .flat_map(|o| &o.links)
        .filter(|l| !l.resolved)
        .count();
    let errors = run
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .count();
    use super::plural;
    format!(
        "{} ({}, {}), {} ({external} to objects not in the inputs), {} in {}",
        plural(objects.len(), "object"),
        plural(headings, "heading"),
        plural(objects.len() - headings, "requirement"),
        plural(links, "link"),
        plural(errors, "error"),
        plural(run.exports.len(), "file")
    )
}

#[derive(serde::Serialize)]
struct JsonRun<'a> {
    version: u32,
    files: Vec<JsonFile<'a>>,
    diagnostics: serde_json::Value,
}

#[derive(serde::Serialize)]
struct JsonFile<'a> {
    file: String,
    dangling_links: usize,
    objects: &'a [ReqObject],
}

/// `{"version": 1, "files": [{"file", "dangling_links", "objects": [...]}], "diagnostics": …}`
pub fn json(run: &ReqRun) -> String {
    let diagnostics = super::json::diagnostics_value(&run.sources, &run.diagnostics);
    let doc = JsonRun {
        version: 1,
        files: run
            .exports
            .iter()
            .map(|(p, e)| JsonFile {
                file: p.display().to_string(),
                dangling_links: e.dangling_links,
                objects: &e.objects,
            })
            .collect(),
        diagnostics,
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
