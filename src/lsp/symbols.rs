//! `textDocument/documentSymbol` (the outline of one file, from its syntax tree) and
//! `workspace/symbol` (the names of the checked projects).

#![allow(deprecated)] // `DocumentSymbol::deprecated` and `SymbolInformation::deprecated`

use super::diagnostics::{range_of, uri_of};
use super::position::Lines;
use crate::source::{FileId, Span};
use crate::syntax::{self, ast};
use crate::workspace::Run;
use lsp_types::{DocumentSymbol, Location, SymbolInformation, SymbolKind};

/// The most symbols `workspace/symbol` returns.
pub const MAX_WORKSPACE_SYMBOLS: usize = 500;

fn symbol(
    lines: &Lines,
    name: &str,
    detail: Option<&str>,
    kind: SymbolKind,
    span: Span,
    name_span: Span,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    let range = lines.range(span.range());
    let mut selection = lines.range(name_span.range());
    // The selection must lie inside the range.
    if selection.start < range.start || selection.end > range.end {
        selection = range;
    }
    DocumentSymbol {
        name: if name.is_empty() {
            "?".to_string()
        } else {
            name.to_string()
        },
        detail: detail.map(str::to_string),
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range: selection,
        children: (!children.is_empty()).then_some(children),
    }
}

fn title(t: &Option<crate::source::Spanned<String>>) -> Option<&str> {
    t.as_ref().map(|t| t.value.as_str())
}

fn activity(lines: &Lines, a: &ast::Activity) -> DocumentSymbol {
    symbol(
        lines,
        &a.id.value,
        title(&a.title),
        SymbolKind::EVENT,
        a.span,
        a.id.span,
        Vec::new(),
    )
}

/// The outline of `text`: plans → phases → activities (and windows), procedures →
/// steps, scenarios → injects, rosters → positions and people. What parses of a text
/// with syntax errors is shown.
pub fn document_symbols(text: &str) -> Vec<DocumentSymbol> {
    let (tree, _) = syntax::parse(FileId(0), text);
    let lines = Lines::new(text);
    let l = &lines;
    let mut out = Vec::new();
    for p in &tree.plans {
        let mut children: Vec<DocumentSymbol> = p
            .windows
            .iter()
            .map(|w| {
                symbol(
                    l,
                    &w.name.value,
                    title(&w.title),
                    SymbolKind::INTERFACE,
                    w.span,
                    w.name.span,
                    Vec::new(),
                )
            })
            .collect();
        for ph in &p.phases {
            let acts = ph.activities.iter().map(|a| activity(l, a)).collect();
            children.push(symbol(
                l,
                &ph.name.value,
                title(&ph.title),
                SymbolKind::NAMESPACE,
                ph.span,
                ph.name.span,
                acts,
            ));
        }
        children.extend(p.activities.iter().map(|a| activity(l, a)));
        children.sort_by_key(|s| (s.range.start.line, s.range.start.character));
        out.push(symbol(
            l,
            &p.id.value,
            title(&p.title),
            SymbolKind::MODULE,
            p.span,
            p.id.span,
            children,
        ));
    }
    for pr in &tree.procedures {
        let steps = pr
            .steps
            .iter()
            .map(|s| {
                symbol(
                    l,
                    &s.label.value,
                    title(&s.title),
                    SymbolKind::METHOD,
                    s.span,
                    s.label.span,
                    Vec::new(),
                )
            })
            .collect();
        let detail = pr.version.as_ref().map(|v| format!("version {}", v.value));
        out.push(symbol(
            l,
            &pr.id.value,
            title(&pr.title).or(detail.as_deref()),
            SymbolKind::FUNCTION,
            pr.span,
            pr.id.span,
            steps,
        ));
    }
    for sc in &tree.scenarios {
        let injects = sc
            .injects
            .iter()
            .map(|i| {
                symbol(
                    l,
                    &i.event.value,
                    title(&i.text),
                    SymbolKind::EVENT,
                    i.span,
                    i.event.span,
                    Vec::new(),
                )
            })
            .collect();
        out.push(symbol(
            l,
            &sc.id.value,
            title(&sc.title),
            SymbolKind::CLASS,
            sc.span,
            sc.id.span,
            injects,
        ));
    }
    for r in &tree.rosters {
        let mut children: Vec<DocumentSymbol> = r
            .positions
            .iter()
            .map(|p| {
                symbol(
                    l,
                    &p.name.value,
                    title(&p.title),
                    SymbolKind::FIELD,
                    p.span,
                    p.name.span,
                    Vec::new(),
                )
            })
            .collect();
        children.extend(r.people.iter().map(|p| {
            symbol(
                l,
                &p.id.value,
                title(&p.name),
                SymbolKind::OBJECT,
                p.span,
                p.id.span,
                Vec::new(),
            )
        }));
        children.sort_by_key(|s| (s.range.start.line, s.range.start.character));
        out.push(symbol(
            l,
            &r.id.value,
            title(&r.title),
            SymbolKind::STRUCT,
            r.span,
            r.id.span,
            children,
        ));
    }
    out.sort_by_key(|s| (s.range.start.line, s.range.start.character));
    out
}

/// One name of a run for `workspace/symbol`.
struct Found<'a> {
    name: &'a str,
    kind: SymbolKind,
    container: Option<&'a str>,
    location: Location,
}

/// True when every character of `query` appears in `name` in order, ignoring case (the
/// usual fuzzy match of editors); an empty query matches everything.
fn matches(name: &str, query: &str) -> bool {
    let mut chars = name.chars().flat_map(char::to_lowercase);
    query
        .chars()
        .flat_map(char::to_lowercase)
        .all(|q| chars.any(|c| c == q))
}

/// The activities, procedures, steps, scenarios, flight rules and requirements of the
/// runs whose names match `query`: exact matches first, then by name, kind and place;
/// at most [`MAX_WORKSPACE_SYMBOLS`].
pub fn workspace_symbols<'a>(
    runs: impl Iterator<Item = &'a Run>,
    query: &str,
) -> Vec<SymbolInformation> {
    let mut found: Vec<Found> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for run in runs {
        let at = |span: Span| {
            Location::new(
                uri_of(&run.sources, span.file),
                range_of(&run.sources, span),
            )
        };
        let m = &run.model;
        for plan in &m.plans {
            for a in &plan.activities {
                if matches(&a.ast.id.value, query) {
                    found.push(Found {
                        name: &a.ast.id.value,
                        kind: SymbolKind::EVENT,
                        container: Some(&plan.id.value),
                        location: at(a.ast.id.span),
                    });
                }
            }
        }
        for p in &m.procedures {
            if matches(&p.ast.id.value, query) {
                found.push(Found {
                    name: &p.ast.id.value,
                    kind: SymbolKind::FUNCTION,
                    container: None,
                    location: at(p.ast.id.span),
                });
            }
            for s in &p.ast.steps {
                if matches(&s.label.value, query) {
                    found.push(Found {
                        name: &s.label.value,
                        kind: SymbolKind::METHOD,
                        container: Some(&p.ast.id.value),
                        location: at(s.label.span),
                    });
                }
            }
        }
        for s in &m.scenarios {
            if matches(&s.ast.id.value, query) {
                found.push(Found {
                    name: &s.ast.id.value,
                    kind: SymbolKind::CLASS,
                    container: None,
                    location: at(s.ast.id.span),
                });
            }
        }
        for set in &run.rule_sets {
            for r in &set.rules {
                if matches(&r.id, query) {
                    found.push(Found {
                        name: &r.id,
                        kind: SymbolKind::PROPERTY,
                        container: None,
                        location: at(r.span),
                    });
                }
            }
        }
        if let Some(t) = &run.traced {
            for e in &t.exports {
                let members = e.member_files();
                for o in &e.objects {
                    if o.is_heading || !matches(&o.id, query) {
                        continue;
                    }
                    let Some(file) = e.file_of(&members, &o.location) else {
                        continue;
                    };
                    let (line, column) = match &o.location {
                        crate::reqs::ReqLocation::Text { line, column }
                        | crate::reqs::ReqLocation::Xml { line, column, .. } => (*line, *column),
                        crate::reqs::ReqLocation::Cell { .. } => (1, 1),
                    };
                    let f = run.sources.get(file);
                    let lines = Lines::with_index(&f.text, &f.line_index);
                    let offset = f
                        .line_index
                        .offset_of(&f.text, line.saturating_sub(1), column);
                    let pos = lines.position(offset);
                    found.push(Found {
                        name: &o.id,
                        kind: SymbolKind::KEY,
                        container: o.heading.as_deref(),
                        location: Location::new(
                            uri_of(&run.sources, file),
                            lsp_types::Range::new(pos, pos),
                        ),
                    });
                }
            }
        }
    }
    let q = query.to_lowercase();
    found.sort_by(|a, b| {
        let exact = |f: &Found| f.name.to_lowercase() != q;
        (
            exact(a),
            a.name,
            a.location.uri.as_str(),
            a.location.range.start.line,
            a.location.range.start.character,
        )
            .cmp(&(
                exact(b),
                b.name,
                b.location.uri.as_str(),
                b.location.range.start.line,
                b.location.range.start.character,
            ))
    });
    found
        .into_iter()
        .filter(|f| {
            seen.insert((
                f.name.to_string(),
                f.location.uri.as_str().to_string(),
                f.location.range.start,
            ))
        })
        .take(MAX_WORKSPACE_SYMBOLS)
        .map(|f| SymbolInformation {
            name: f.name.to_string(),
            kind: f.kind,
            tags: None,
            deprecated: None,
            location: f.location,
            container_name: f.container.map(str::to_string),
        })
        .collect()
}
