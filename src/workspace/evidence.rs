//! Reads the verification evidence `evidence:` names (docs/tracing.md, "Verification
//! evidence"): the JUnit XML files and tagged text files (files or globs, relative to the
//! project file, inside the project), the as-flown log, and the scenarios of the model,
//! into `trace::evidence::Item`s. Every file read joins the `SourceDb`, so findings in it
//! are located; a file that cannot be read, or a glob that names nothing, is a `Q009` at
//! its value in `opsplan.yaml`.

use super::contain::Roots;
use crate::diag::{Code, Diagnostic, Label};
use crate::model::Model;
use crate::source::{FileId, SourceDb, Span};
use crate::trace::evidence::{
    junit, scenario_items, tags, EvidenceConfig, EvidenceKind, Item, Outcome, Target,
    DEFAULT_TAG_PATTERN,
};
use std::path::{Path, PathBuf};

/// Most files a glob may name (a glob over the whole disk is a mistake, said so).
pub const MAX_GLOB_FILES: usize = 100_000;

/// `evidence:` of a project file, checked: regular expressions compiled, paths inside
/// the project.
#[derive(Debug, Clone)]
pub struct EvidenceSetup {
    pub config: EvidenceConfig,
    /// The project file's folder (paths are relative to it) and the file itself.
    pub base: PathBuf,
    pub config_file: PathBuf,
    pub roots: Roots,
    /// The `name-pattern` of each `junit:` entry and the `pattern` of each `tags:` entry.
    pub name_patterns: Vec<Option<regex::Regex>>,
    pub tag_patterns: Vec<regex::Regex>,
}

/// A refused value of `evidence:`: the key, the value as written, the message.
pub type Refused = (&'static str, String, String);

impl EvidenceSetup {
    /// Checks `evidence:` (its regular expressions, that its paths stay in the project).
    pub fn new(
        config: &EvidenceConfig,
        base: &Path,
        config_file: &Path,
        roots: &Roots,
    ) -> Result<EvidenceSetup, Refused> {
        let compile = |key: &'static str, p: &str| {
            regex::Regex::new(p).map_err(|e| {
                let why = e.to_string();
                let last = why.lines().last().unwrap_or("").trim().to_string();
                (
                    key,
                    p.to_string(),
                    format!("evidence: {key}: `{p}` is not a regular expression: {last}"),
                )
            })
        };
        let mut name_patterns = Vec::new();
        for j in &config.junit {
            name_patterns.push(match &j.name_pattern {
                Some(p) => Some(compile("name-pattern", p)?),
                None => None,
            });
        }
        let mut tag_patterns = Vec::new();
        for t in &config.tags {
            tag_patterns.push(compile(
                "pattern",
                t.pattern.as_deref().unwrap_or(DEFAULT_TAG_PATTERN),
            )?);
        }
        let paths = config
            .junit
            .iter()
            .map(|j| j.path.as_str())
            .chain(config.tags.iter().map(|t| t.path.as_str()));
        for p in paths {
            if p.trim().is_empty() {
                return Err(("path", p.to_string(), "evidence: path: empty".to_string()));
            }
            let (fixed, _) = split_glob(p);
            roots
                .check(&base.join(&fixed))
                .map_err(|o| ("path", p.to_string(), format!("evidence: path: `{p}`: {o}")))?;
        }
        if let Some(a) = &config.as_flown {
            roots.check(&base.join(a)).map_err(|o| {
                (
                    "as-flown",
                    a.to_string_lossy().into_owned(),
                    format!("evidence: as-flown: `{}`: {o}", a.display()),
                )
            })?;
        }
        Ok(EvidenceSetup {
            config: config.clone(),
            base: base.to_path_buf(),
            config_file: config_file.to_path_buf(),
            roots: roots.clone(),
            name_patterns,
            tag_patterns,
        })
    }
}

/// The folder part of a glob before its first wildcard, and the rest (`None` for a plain
/// path).
fn split_glob(pattern: &str) -> (PathBuf, Option<Vec<String>>) {
    let parts: Vec<&str> = pattern.split('/').collect();
    match parts.iter().position(|p| p.contains(['*', '?', '['])) {
        None => (PathBuf::from(pattern), None),
        Some(i) => (
            parts[..i].iter().collect::<PathBuf>(),
            Some(parts[i..].iter().map(|s| s.to_string()).collect()),
        ),
    }
}

/// `*` and `?` within one name (no `/`).
fn name_matches(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ni));
            pi += 1;
        } else if let Some((sp, sn)) = star {
            pi = sp + 1;
            ni = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Whether the names of a relative path match the glob's parts (`**`: any folders).
fn path_matches(parts: &[String], names: &[String]) -> bool {
    // reach[j]: the first i parts can match the first j names.
    let mut reach = vec![false; names.len() + 1];
    reach[0] = true;
    for p in parts {
        let mut next = vec![false; names.len() + 1];
        if p == "**" {
            let mut any = false;
            for j in 0..=names.len() {
                any |= reach[j];
                next[j] = any;
            }
        } else {
            for j in 0..names.len() {
                if reach[j] && name_matches(p, &names[j]) {
                    next[j + 1] = true;
                }
            }
        }
        reach = next;
    }
    reach[names.len()]
}

/// The files a path or glob names, sorted; `Err` when a glob names too many.
fn expand(base: &Path, pattern: &str) -> Result<Vec<PathBuf>, String> {
    let (fixed, rest) = split_glob(pattern);
    let root = super::tidy(&base.join(&fixed));
    let Some(parts) = rest else {
        return Ok(if root.is_file() {
            vec![root]
        } else {
            Vec::new()
        });
    };
    let mut out = Vec::new();
    // Iterative walk: no recursion over the depth of the folders.
    let mut stack: Vec<(PathBuf, Vec<String>)> = vec![(root, Vec::new())];
    let deep = parts.iter().any(|p| p == "**");
    while let Some((dir, names)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries.into_iter().rev() {
            let mut n = names.clone();
            n.push(e.file_name().to_string_lossy().into_owned());
            let Ok(kind) = e.file_type() else { continue };
            let path = e.path();
            if kind.is_dir() {
                if deep || n.len() < parts.len() {
                    stack.push((path, n));
                }
            } else if path_matches(&parts, &n) {
                out.push(path);
                if out.len() > MAX_GLOB_FILES {
                    return Err(format!("names more than {MAX_GLOB_FILES} files"));
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Reads every piece of evidence; findings are `Q009` (and `Q010`).
pub fn load(
    setup: &EvidenceSetup,
    sources: &mut SourceDb,
    model: &Model,
) -> (Vec<Item>, Vec<Diagnostic>) {
    let mut items = Vec::new();
    let mut diags = Vec::new();
    let mut config_id: Option<FileId> = None;
    // A finding at a value of the project file.
    let mut at_value = |sources: &mut SourceDb, key: &str, value: &str, message: String| {
        let id = *config_id.get_or_insert_with(|| {
            let text = super::read_bounded(&setup.config_file, super::MAX_INPUT_BYTES)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            sources.add(setup.config_file.clone(), text)
        });
        let text = sources.text(id);
        let (line, column) = super::contain::locate_value(text, key, value);
        let index = crate::source::LineIndex::new(text);
        let start = index.offset_of(text, line.saturating_sub(1), column.max(1));
        let end = (start + value.len()).min(text.len());
        Diagnostic::new(
            Code::InvalidEvidence,
            message,
            Label::new(Span::new(id, start..end), "not read"),
        )
    };
    // The text of one file, or a finding.
    let read = |path: &Path, roots: &Roots| -> Result<String, String> {
        roots.check(path).map_err(|o| o.to_string())?;
        let bytes = super::read_bounded(path, super::MAX_INPUT_BYTES).map_err(|e| e.to_string())?;
        String::from_utf8(bytes).map_err(|e| {
            format!(
                "not UTF-8 text (byte {} is not part of a UTF-8 character)",
                e.utf8_error().valid_up_to()
            )
        })
    };
    let sources_of = |key: &'static str, path: &str| -> Result<Vec<PathBuf>, String> {
        let files = expand(&setup.base, path)?;
        if files.is_empty() {
            return Err(format!("evidence: {key}: `{path}` names no file"));
        }
        Ok(files)
    };
    for (j, re) in setup.config.junit.iter().zip(&setup.name_patterns) {
        let files = match sources_of("junit", &j.path) {
            Ok(f) => f,
            Err(m) => {
                let d = at_value(sources, "path", &j.path, m)
                    .with_help("run the tests first, or fix the path (relative to opsplan.yaml)");
                diags.push(d);
                continue;
            }
        };
        let naming = junit::Naming {
            property: j.property.as_deref(),
            pattern: re.as_ref(),
            fold: j.fold,
        };
        for f in files {
            match read(&f, &setup.roots) {
                Ok(text) => {
                    let id = sources.add(f.clone(), text);
                    let (i, d) = junit::read(id, sources.text(id), &naming);
                    items.extend(i);
                    diags.extend(d);
                }
                Err(why) => {
                    let d = at_value(
                        sources,
                        "path",
                        &j.path,
                        format!("evidence: junit: `{}`: {why}", f.display()),
                    );
                    diags.push(d);
                }
            }
        }
    }
    for (t, re) in setup.config.tags.iter().zip(&setup.tag_patterns) {
        let files = match sources_of("tags", &t.path) {
            Ok(f) => f,
            Err(m) => {
                let d = at_value(sources, "path", &t.path, m)
                    .with_help("fix the path or glob (relative to opsplan.yaml)");
                diags.push(d);
                continue;
            }
        };
        for f in files {
            match read(&f, &setup.roots) {
                Ok(text) => {
                    // Named relative to the project file (the same whatever folder the
                    // command runs in), like the paths of the write-back's texts.
                    let relative = f.strip_prefix(&setup.base).unwrap_or(&f).to_path_buf();
                    let id = sources.add(f.clone(), text);
                    let name = relative.to_string_lossy().replace('\\', "/");
                    let shown = name.strip_prefix("./").unwrap_or(&name).to_string();
                    items.extend(tags::scan(id, &shown, sources.text(id), re, t.fold));
                }
                Err(why) => {
                    let d = at_value(
                        sources,
                        "path",
                        &t.path,
                        format!("evidence: tags: `{}`: {why}", f.display()),
                    );
                    diags.push(d);
                }
            }
        }
    }
    if setup.config.scenarios {
        items.extend(scenario_items(model));
    }
    if let Some(a) = &setup.config.as_flown {
        let path = super::tidy(&setup.base.join(a));
        let shown = a.to_string_lossy().into_owned();
        match as_flown(&path, &setup.roots, sources) {
            Ok((i, d)) => {
                items.extend(i);
                diags.extend(d);
            }
            Err(why) => {
                let d = at_value(
                    sources,
                    "as-flown",
                    &shown,
                    format!("evidence: as-flown: `{shown}`: {why}"),
                );
                diags.push(d);
            }
        }
    }
    (items, diags)
}

/// The as-flown log's rows as evidence: `done` passed, `partial` partial, `cancelled`
/// and `moved` not run. A row with a problem is a `Q009` and no evidence.
fn as_flown(
    path: &Path,
    roots: &Roots,
    sources: &mut SourceDb,
) -> Result<(Vec<Item>, Vec<Diagnostic>), String> {
    use crate::monthly::{asflown, table, Loc};
    roots.check(path).map_err(|o| o.to_string())?;
    let bytes = super::read_bounded(path, super::MAX_INPUT_BYTES).map_err(|e| e.to_string())?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let (tab, mut problems, id) =
        if matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods" | "xlsb") {
            let id = sources.add(path.to_path_buf(), String::new());
            match table::from_workbook(&bytes, &ext, None) {
                Ok(t) => (t, Vec::new(), id),
                Err(p) => (table::Table::default(), vec![p], id),
            }
        } else {
            let (t, p) = table::from_csv(&bytes);
            let id = sources.add(
                path.to_path_buf(),
                String::from_utf8_lossy(&bytes).into_owned(),
            );
            (t, p, id)
        };
    let rows = if problems.is_empty() && !tab.rows.is_empty() {
        let (rows, p) = asflown::read(&tab);
        problems.extend(p);
        rows
    } else {
        if problems.is_empty() {
            return Err("the log is empty".to_string());
        }
        Vec::new()
    };
    let span_of = |sources: &SourceDb, loc: &Loc| -> (Span, Option<String>) {
        let text = sources.text(id);
        match loc {
            Loc::LineCol(l, c) if !text.is_empty() => {
                let index = crate::source::LineIndex::new(text);
                let at = index.offset_of(text, l.saturating_sub(1), (*c).max(1));
                let end = text[at..]
                    .find([',', '\n', '\r', ';', '\t'])
                    .map_or(text.len(), |e| at + e)
                    .max((at + 1).min(text.len()));
                (Span::new(id, at..end), None)
            }
            Loc::Line(l) if !text.is_empty() => {
                let index = crate::source::LineIndex::new(text);
                let at = index.offset_of(text, l.saturating_sub(1), 1);
                (Span::new(id, at..at), None)
            }
            Loc::Cell { sheet, cell } => (
                Span::new(id, 0..0),
                Some(format!("sheet {sheet}, cell {cell}")),
            ),
            _ => (Span::new(id, 0..0), None),
        }
    };
    let mut diags = Vec::new();
    for p in problems.iter().filter(|p| p.is_error()) {
        let (span, words) = span_of(sources, &p.loc);
        let message = match words {
            Some(w) => format!("the as-flown log ({w}): {}", p.message),
            None => format!("the as-flown log: {}", p.message),
        };
        diags.push(Diagnostic::new(
            Code::InvalidEvidence,
            message,
            Label::new(span, "not read as evidence"),
        ));
    }
    let mut items = Vec::new();
    for r in rows.into_iter().filter(|r| r.ok) {
        let (span, words) = span_of(sources, &r.loc);
        let outcome = match r.status {
            asflown::FlownStatus::Done => Outcome::Passed,
            asflown::FlownStatus::Partial => Outcome::Partial,
            asflown::FlownStatus::Cancelled | asflown::FlownStatus::Moved => Outcome::NotRun,
        };
        let status = r.status.as_str();
        let comment = Some(r.comment.trim().to_string()).filter(|c| !c.is_empty());
        items.push(Item {
            kind: EvidenceKind::AsFlown,
            name: match (&r.plan, words) {
                (Some(p), _) => format!("{p} {}", r.activity),
                (None, _) => r.activity.clone(),
            },
            outcome,
            message: Some(match comment {
                Some(c) => format!("{status}: {c}"),
                None => status.to_string(),
            }),
            span,
            target: Target::Activity {
                activity: r.activity,
                plan: r.plan,
            },
        });
    }
    Ok((items, diags))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_names_and_any_folders() {
        let parts = |p: &str| p.split('/').map(str::to_string).collect::<Vec<_>>();
        assert!(path_matches(&parts("**/*.sh"), &parts("a/b/run.sh")));
        assert!(path_matches(&parts("**/*.sh"), &parts("run.sh")));
        assert!(!path_matches(&parts("*.sh"), &parts("a/run.sh")));
        assert!(path_matches(&parts("a/*/t?.sce"), &parts("a/x/t1.sce")));
        assert!(!path_matches(&parts("a/*/t?.sce"), &parts("a/x/t12.sce")));
        assert!(name_matches("*junit*.xml", "my-junit-1.xml"));
        assert_eq!(split_glob("scripts/**/*.sh").0, PathBuf::from("scripts"));
        assert!(split_glob("target/junit.xml").1.is_none());
    }
}
