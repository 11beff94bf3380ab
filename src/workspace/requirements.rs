//! Reading requirements exports from disk: the format by extension, the bytes to the
//! importer in `reqs`, text formats into the `SourceDb` so findings show their line.

use super::LoadError;
use crate::diag::{sort_and_dedup, Diagnostic};
use crate::reqs::tabular::ColumnMap;
use crate::reqs::Export;
use crate::source::{FileId, SourceDb, Span};
use std::path::{Path, PathBuf};

/// The extensions read as requirements exports.
pub const EXPORT_EXTENSIONS: &[&str] = &[
    "reqif", "reqifz", "csv", "tsv", "xlsx", "xlsm", "xls", "ods",
];

/// Options of an import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub columns: ColumnMap,
    /// The sheet of a workbook to read (default: the first that holds requirements).
    pub sheet: Option<String>,
    /// An attribute (column) holding the id users cite, when it is not the export's own
    /// id: see [`crate::reqs::rekey`].
    pub id_attribute: Option<String>,
    /// When the exports are named by a project file: where they may lead (a file found
    /// in a folder that leads outside is a `Q001`, not read).
    pub contain: Option<super::contain::Roots>,
    /// Files and folders a folder search leaves out (canonical paths): the baseline, when
    /// it lies inside a folder of the current exports (`requirements/baseline/`).
    pub exclude: Vec<PathBuf>,
    /// The id rules of named modules (`requirements: modules:`), in place of
    /// `id_attribute` and `columns.prefix` for their module: see [`crate::reqs::ids`].
    pub modules: std::collections::BTreeMap<String, crate::reqs::ids::IdRule>,
    /// Read the paths from this revision of their repository instead of the disk
    /// (`git:REV`): named `git:REV:path` in the sources and outputs.
    pub tree: Option<std::sync::Arc<super::git::Tree>>,
}

impl ImportOptions {
    /// How the cited ids are made: `id_attribute` and `columns.prefix` for every module,
    /// and the named modules' own rules.
    pub fn cited_ids(&self) -> crate::reqs::ids::CitedIds {
        crate::reqs::ids::CitedIds {
            all: crate::reqs::ids::IdRule {
                attribute: self.id_attribute.clone(),
                prefix: self.columns.prefix.clone(),
            },
            modules: self.modules.clone(),
        }
    }
}

/// What a set of exports holds.
pub struct ReqRun {
    pub sources: SourceDb,
    /// One per file, in the order given.
    pub exports: Vec<(PathBuf, Export)>,
    /// Sorted findings (`Q001`).
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads every export named (files, or folders searched for the export extensions).
pub fn load_requirements(paths: &[PathBuf], options: &ImportOptions) -> Result<ReqRun, LoadError> {
    let mut sources = SourceDb::new();
    let (exports, diagnostics) = load_into(paths, options, &mut sources)?;
    Ok(ReqRun {
        sources,
        exports,
        diagnostics,
    })
}

/// Exports read, one per file in the order given, and the findings of reading them.
pub type Loaded = (Vec<(PathBuf, Export)>, Vec<Diagnostic>);

/// [`load_requirements`] into an existing set of sources (the text formats join it).
pub fn load_into(
    paths: &[PathBuf],
    options: &ImportOptions,
    sources: &mut SourceDb,
) -> Result<Loaded, LoadError> {
    let mut files = Vec::new();
    for p in paths {
        if let Some(tree) = &options.tree {
            files.extend(git_files(tree, p)?);
            continue;
        }
        let meta = std::fs::metadata(p).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => LoadError::NotFound(p.clone()),
            _ => LoadError::Unreadable {
                path: p.clone(),
                source: e,
            },
        })?;
        if meta.is_dir() {
            let found = super::files_below(
                p,
                super::MAX_WALK_ENTRIES,
                |name| !name.to_string_lossy().starts_with('.'),
                |f| {
                    let hidden = f
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'));
                    !hidden && EXPORT_EXTENSIONS.contains(&extension(f).as_str())
                },
            )?;
            let found: Vec<PathBuf> = if options.exclude.is_empty() {
                found
            } else {
                found
                    .into_iter()
                    .filter(|f| {
                        let real = std::fs::canonicalize(f).unwrap_or_else(|_| f.clone());
                        !options.exclude.iter().any(|x| real.starts_with(x))
                    })
                    .collect()
            };
            if found.is_empty() {
                let kinds: Vec<String> =
                    EXPORT_EXTENSIONS.iter().map(|e| format!(".{e}")).collect();
                return Err(LoadError::NoExportsIn(p.clone(), kinds.join(", ")));
            }
            files.extend(found);
        } else {
            files.push(p.clone());
        }
    }
    // A module's own prefix must find the bare numbers of its spreadsheet rows: then every
    // prefix is put after the import, by `reqs::ids`, not by the spreadsheet reader.
    let module_prefix = options.modules.values().any(|r| r.prefix.is_some());
    let columns = crate::reqs::tabular::ColumnMap {
        prefix: options.columns.prefix.clone().filter(|_| !module_prefix),
        ..options.columns.clone()
    };
    crate::context::progress(crate::context::Phase::Importing { files: files.len() });
    let mut exports = Vec::new();
    let mut diagnostics = Vec::new();
    for path in files {
        let _reading = crate::context::reading(path.display().to_string());
        if let Some(Err(outside)) = options
            .contain
            .as_ref()
            .filter(|_| options.tree.is_none())
            .map(|r| r.check(&path))
        {
            let id = sources.add(&path, String::new());
            diagnostics.push(crate::diag::Diagnostic::new(
                crate::diag::Code::InvalidRequirementExport,
                format!("export not read: {outside}"),
                crate::diag::Label::new(Span::new(id, 0..0), "outside the project"),
            ));
            continue;
        }
        let (path, bytes) = match &options.tree {
            Some(tree) => (
                PathBuf::from(tree.name(&path)),
                tree.read(&path, super::MAX_INPUT_BYTES)
                    .map_err(LoadError::Git)?,
            ),
            None => {
                let bytes = super::read_bounded(&path, super::MAX_INPUT_BYTES).map_err(|e| {
                    LoadError::Unreadable {
                        path: path.clone(),
                        source: e,
                    }
                })?;
                (path, bytes)
            }
        };
        let ext = extension(&path);
        // Text formats join the sources so that a finding shows its line.
        // (CSV spans are offsets into the decoded text: no byte-order mark, UTF-16 and
        // Windows-1252 decoded; ReqIF spans are byte offsets.)
        // A valid UTF-8 ReqIF file is moved into the sources, not copied: the importer
        // reads the bytes there (a copy only for invalid UTF-8, whose bytes it reports).
        let (text, raw): (String, Option<Vec<u8>>) = match ext.as_str() {
            // Mixed bytes are refused by the importer; their text reads as lossy UTF-8
            // so that its finding points at the first bad byte.
            "csv" | "tsv" => (
                crate::reqs::tabular::decode_checked(&bytes).unwrap_or_else(|m| m.text),
                Some(bytes),
            ),
            "reqif" => match String::from_utf8(bytes) {
                Ok(text) => (text, None),
                Err(e) => {
                    let bytes = e.into_bytes();
                    (String::from_utf8_lossy(&bytes).into_owned(), Some(bytes))
                }
            },
            _ => (String::new(), Some(bytes)),
        };
        let id = sources.add(&path, text);
        // The `.reqif` members of a ReqIFz join the sources after it, as
        // `archive.reqifz!member.reqif`, so that findings and objects in a member point at
        // its line and column and show its text.
        let first_member = FileId(sources.len() as u32);
        let bytes: &[u8] = match &raw {
            Some(b) => b,
            None => sources.text(id).as_bytes(),
        };
        let (export, mut d) = match ext.as_str() {
            "reqif" | "reqifz" => {
                let (export, d, members) =
                    crate::reqs::reqif::import_reqif_members(id, bytes, first_member);
                for m in members {
                    let text = String::from_utf8(m.bytes)
                        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
                    sources.add_member(&path, &m.name, text);
                }
                (export, d)
            }
            "csv" | "tsv" => crate::reqs::tabular::import_csv(id, bytes, &columns),
            _ => crate::reqs::tabular::import_workbook(
                id,
                bytes,
                &ext,
                &columns,
                options.sheet.as_deref(),
            ),
        };
        debug_assert!(export
            .members
            .iter()
            .all(|(name, f)| sources.get(*f).member.as_deref() == Some(name.as_str())));
        // A span past the text (a decoded UTF-16 file, a binary workbook, a member that is
        // not UTF-8) points at its start.
        for diag in &mut d {
            for label in std::iter::once(&mut diag.primary).chain(diag.secondary.iter_mut()) {
                let mut f = label.span.file;
                if f != id && (f.0 < first_member.0 || f.0 as usize >= sources.len()) {
                    f = id;
                    label.span = Span::new(id, 0..0);
                }
                let text = sources.text(f);
                if label.span.end as usize > text.len()
                    || !text.is_char_boundary(label.span.start as usize)
                    || !text.is_char_boundary(label.span.end as usize)
                {
                    label.span = Span::new(f, 0..0);
                }
            }
        }
        diagnostics.extend(d);
        exports.push((path, export));
    }
    // The ids people cite: the `id` attribute, prefixes before bare numbers (ReqIF ones
    // too: DOORS Next exports artifact numbers), module by module. An attribute no
    // object has would leave every id as exported, unsaid: refused.
    let ids = options.cited_ids();
    if !ids.is_empty() && exports.iter().any(|(_, e)| !e.objects.is_empty()) {
        let mut only: Vec<Export> = exports.iter_mut().map(|(_, e)| std::mem::take(e)).collect();
        let applied = crate::reqs::ids::apply(&mut only, &ids);
        for ((_, slot), e) in exports.iter_mut().zip(only) {
            *slot = e;
        }
        if let Err(e) = applied {
            let known = listed(&e.known);
            return Err(match e.module {
                None => LoadError::UnknownIdAttribute {
                    attribute: e.attribute,
                    known,
                },
                Some(module) => LoadError::UnknownModuleIdAttribute {
                    attribute: e.attribute,
                    module,
                    known,
                },
            });
        }
    }
    sort_and_dedup(&mut diagnostics);
    Ok((exports, diagnostics))
}

/// The exports `p` names at the tree's revision: the file, or the export files below
/// the folder (hidden ones left out, as on disk).
fn git_files(tree: &super::git::Tree, p: &Path) -> Result<Vec<PathBuf>, LoadError> {
    match tree.kind(p).map_err(LoadError::Git)? {
        super::git::Kind::File => Ok(vec![p.to_path_buf()]),
        super::git::Kind::Folder => {
            let found = tree
                .files_below(
                    p,
                    super::MAX_WALK_ENTRIES,
                    |name| !name.to_string_lossy().starts_with('.'),
                    |f| {
                        let hidden = f
                            .file_name()
                            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
                        !hidden && EXPORT_EXTENSIONS.contains(&extension(f).as_str())
                    },
                )
                .map_err(LoadError::Git)?;
            if found.is_empty() {
                let kinds: Vec<String> =
                    EXPORT_EXTENSIONS.iter().map(|e| format!(".{e}")).collect();
                return Err(LoadError::NoExportsIn(
                    PathBuf::from(tree.name(p)),
                    kinds.join(", "),
                ));
            }
            Ok(found)
        }
    }
}

/// A `requirements: modules:` key that names no module of the exports.
pub struct UnknownModule {
    pub key: String,
    /// The modules the exports hold, in name order.
    pub known: Vec<String>,
}

impl UnknownModule {
    /// Its finding (`Q001`, an error: the trace stops), at `span` (the key in the
    /// project file).
    pub fn finding(&self, span: Span) -> Diagnostic {
        let mut d = Diagnostic::new(
            crate::diag::Code::InvalidRequirementExport,
            format!(
                "`requirements: modules:` names the module `{}`, which no export holds: its settings would apply to nothing",
                self.key
            ),
            crate::diag::Label::new(span, "no such module"),
        );
        d = if self.known.is_empty() {
            d.with_note(
                "no object of the exports names its module (a CSV file without a `Module` column has none: the settings outside `modules:` apply to it)",
            )
        } else {
            d.with_note(format!(
                "the modules of the exports: {}",
                listed(&self.known)
            ))
        };
        let names: Vec<&str> = self.known.iter().map(String::as_str).collect();
        match crate::diag::did_you_mean(&self.key, names) {
            Some(s) => d.with_help(s.did_you_mean()),
            None => d.with_help(
                "name a module as `opsplan reqs list` shows it (`module:` under each file)",
            ),
        }
    }
}

/// The `keys` that name no module of `exports` (none when no export holds an object:
/// their reading failed, and says so).
pub fn unknown_modules<'k>(
    exports: &[(PathBuf, Export)],
    keys: impl Iterator<Item = &'k String>,
) -> Vec<UnknownModule> {
    let objects = || exports.iter().flat_map(|(_, e)| e.objects.iter());
    if objects().next().is_none() {
        return Vec::new();
    }
    let known: std::collections::BTreeSet<&str> =
        objects().filter_map(|o| o.module.as_deref()).collect();
    keys.filter(|k| !known.contains(k.as_str()))
        .map(|k| UnknownModule {
            key: k.clone(),
            known: known.iter().map(|m| m.to_string()).collect(),
        })
        .collect()
}

/// Where the key `key` of `requirements: modules:` is written in the project file's text
/// (plain or quoted, followed by `:`).
pub fn locate_module_key(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let from = text.find("modules:")?;
    let mut at = from;
    while let Some(i) = text[at..].find(key) {
        let start = at + i;
        let end = start + key.len();
        let before = text[..start].chars().next_back();
        let after = text[end..]
            .trim_start_matches(['"', '\''])
            .trim_start_matches([' ', '\t']);
        if before.is_none_or(|c| c.is_whitespace() || matches!(c, '"' | '\'' | '{' | ','))
            && after.starts_with(':')
        {
            return Some(start..end);
        }
        at = end;
    }
    None
}

/// Names in backticks, at most 12 then how many more; `none` for none.
fn listed(names: &[String]) -> String {
    if names.is_empty() {
        return "none".to_string();
    }
    let mut list = names
        .iter()
        .take(12)
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > 12 {
        list.push_str(&format!(" and {} more", names.len() - 12));
    }
    list
}

fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}
