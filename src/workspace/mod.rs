//! Reading inputs and running the pipeline: the only layer below `cli` that does I/O.
//!
//! Inputs are files, directories (searched recursively for `*.plan` and `*.proc`) or a
//! project file `opsplan.yaml`. Plans pull in their procedure libraries with
//! `use procedures "…"`, relative to the plan file. Files are only ever opened for reading.

mod config;

use crate::source::FileId;
pub use config::{Config, CONFIG_FILE};

use crate::checks;
use crate::diag::{sort_and_dedup, Code, Diagnostic, Family, Label};
use crate::model::Model;
use crate::source::{SourceDb, Span};
use crate::syntax::{self, ast::UseKind};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Failures that stop a run before any checking (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0}: no such file or directory")]
    NotFound(PathBuf),
    #[error("{path}: cannot be read: {source}")]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Config {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{0}: no .plan or .proc files found")]
    NothingToCheck(PathBuf),
}

/// The result of a check run.
pub struct Run {
    pub sources: SourceDb,
    pub model: Model,
    /// Sorted, deduplicated findings.
    pub diagnostics: Vec<Diagnostic>,
}

impl Run {
    pub fn count(&self, severity: crate::diag::Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// Source file extensions opsplan reads.
const SOURCE_EXTENSIONS: &[&str] = &["plan", "proc"];

/// Collects, reads, parses, resolves and checks everything reachable from `paths`.
pub fn check_paths(paths: &[PathBuf]) -> Result<Run, LoadError> {
    let mut loader = Loader::default();
    let roots: Vec<PathBuf> = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    for root in &roots {
        loader.add_root(root)?;
    }
    if loader.queue.is_empty() {
        return Err(LoadError::NothingToCheck(roots[0].clone()));
    }
    Ok(loader.run())
}

/// Parses, resolves and checks sources already in memory (no I/O; `use` paths are not followed).
pub fn check_sources(sources: SourceDb) -> Run {
    let mut diags = Vec::new();
    let texts: Vec<(FileId, &str)> = sources.ids().map(|id| (id, sources.text(id))).collect();
    let asts = syntax::parse_many(&texts)
        .into_iter()
        .map(|(ast, d)| {
            diags.extend(d);
            ast
        })
        .collect();
    finish(sources, asts, diags)
}

fn finish(sources: SourceDb, asts: Vec<syntax::ast::SourceAst>, mut diags: Vec<Diagnostic>) -> Run {
    let model = Model::build(asts);
    diags.extend(checks::run(&model));
    // Inside a file with syntax errors only the syntax findings are trustworthy.
    diags.retain(|d| {
        d.code.info().family == Family::Syntax
            || d.code == Code::UnresolvedUsePath
            || !model
                .files_with_syntax_errors
                .contains(&d.primary.span.file)
    });
    sort_and_dedup(&mut diags);
    Run {
        sources,
        model,
        diagnostics: diags,
    }
}

#[derive(Default)]
struct Loader {
    /// Files to read, in order; `seen` holds their canonical paths.
    queue: Vec<PathBuf>,
    seen: HashSet<PathBuf>,
}

impl Loader {
    fn add_root(&mut self, root: &Path) -> Result<(), LoadError> {
        let meta = std::fs::metadata(root).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => LoadError::NotFound(root.to_path_buf()),
            _ => LoadError::Unreadable {
                path: root.to_path_buf(),
                source: e,
            },
        })?;
        if meta.is_dir() {
            let config = root.join(CONFIG_FILE);
            if config.is_file() {
                return self.add_config(&config);
            }
            self.add_dir(root)
        } else if root.file_name().is_some_and(|n| n == CONFIG_FILE) {
            self.add_config(root)
        } else {
            self.push(root.to_path_buf());
            Ok(())
        }
    }

    fn add_config(&mut self, path: &Path) -> Result<(), LoadError> {
        let config = Config::load(path)?;
        let base = path.parent().unwrap_or(Path::new("."));
        for input in config.inputs_or_default() {
            let p = base.join(input);
            if !p.exists() {
                return Err(LoadError::NotFound(p));
            }
            if p.is_dir() {
                self.add_dir(&p)?;
            } else {
                self.push(p);
            }
        }
        Ok(())
    }

    fn add_dir(&mut self, dir: &Path) -> Result<(), LoadError> {
        for file in source_files_in(dir)? {
            self.push(file);
        }
        Ok(())
    }

    fn push(&mut self, path: PathBuf) {
        let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if self.seen.insert(key) {
            self.queue.push(path);
        }
    }

    /// Reads and parses the queue in waves: every file queued so far is parsed (on all
    /// cores), then the `use procedures` of its plans queue the next wave. The files keep
    /// the queue's order, so the output does not depend on the number of threads.
    fn run(mut self) -> Run {
        let mut sources = SourceDb::new();
        let mut asts = Vec::new();
        let mut diags = Vec::new();
        let mut next = 0;
        while next < self.queue.len() {
            let wave: Vec<PathBuf> = self.queue[next..].to_vec();
            next = self.queue.len();
            let mut parsed: Vec<(PathBuf, FileId)> = Vec::new();
            for path in wave {
                let Some(id) = Self::read(&path, &mut sources, &mut asts, &mut diags) else {
                    continue;
                };
                parsed.push((path, id));
            }
            let texts: Vec<(FileId, &str)> = parsed
                .iter()
                .map(|&(_, id)| (id, sources.text(id)))
                .collect();
            for ((path, _), (ast, d)) in parsed.iter().zip(syntax::parse_many(&texts)) {
                diags.extend(d);
                self.follow_uses(path, &ast, &mut diags);
                asts.push(ast);
            }
        }
        finish(sources, asts, diags)
    }

    /// Reads one file into `sources`. `None` when it is unreadable or not UTF-8 (then
    /// the finding and an empty tree are recorded).
    fn read(
        path: &Path,
        sources: &mut SourceDb,
        asts: &mut Vec<syntax::ast::SourceAst>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<FileId> {
        {
            let (id, readable) = match std::fs::read(path) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => (sources.add(path, text), true),
                    Err(e) => {
                        let valid = e.utf8_error().valid_up_to();
                        let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
                        let id = sources.add(path, lossy);
                        diags.push(
                            Diagnostic::new(
                                Code::UnreadableSource,
                                "file is not valid UTF-8 text",
                                Label::new(
                                    Span::new(id, valid..valid + 1),
                                    "first byte that is not UTF-8",
                                ),
                            )
                            .with_help("save the file as UTF-8"),
                        );
                        (id, false)
                    }
                },
                Err(e) => {
                    let id = sources.add(path, String::new());
                    diags.push(Diagnostic::new(
                        Code::UnreadableSource,
                        format!("file cannot be read: {e}"),
                        Label::new(Span::new(id, 0..0), "unreadable"),
                    ));
                    (id, false)
                }
            };
            if !readable {
                asts.push(syntax::ast::SourceAst {
                    file: id,
                    plans: Vec::new(),
                    procedures: Vec::new(),
                    has_syntax_errors: true,
                });
                return None;
            }
            Some(id)
        }
    }

    fn follow_uses(
        &mut self,
        path: &Path,
        ast: &syntax::ast::SourceAst,
        diags: &mut Vec<Diagnostic>,
    ) {
        let base = path.parent().unwrap_or(Path::new("."));
        for plan in &ast.plans {
            for u in &plan.uses {
                let target = base.join(&u.path.value);
                let problem = match std::fs::metadata(&target) {
                    Err(e) => Some(e.to_string()),
                    Ok(meta) if u.kind == UseKind::Procedures => {
                        if meta.is_dir() {
                            match source_files_in(&target) {
                                Ok(files) => {
                                    for f in files.into_iter().filter(|f| has_ext(f, "proc")) {
                                        self.push(f);
                                    }
                                    None
                                }
                                Err(e) => Some(e.to_string()),
                            }
                        } else {
                            self.push(target.clone());
                            None
                        }
                    }
                    Ok(_) => None,
                };
                if let Some(why) = problem {
                    diags.push(
                        Diagnostic::new(
                            Code::UnresolvedUsePath,
                            format!("cannot use `{}`: {why}", u.path.value),
                            Label::new(u.path.span, format!("looked for {}", target.display())),
                        )
                        .with_help("paths in `use` are relative to the plan file"),
                    );
                }
            }
        }
    }
}

fn has_ext(path: &Path, ext: &str) -> bool {
    path.extension().is_some_and(|e| e == ext)
}

/// Every `*.plan` and `*.proc` below `dir`, sorted, skipping hidden directories and `target`.
fn source_files_in(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| LoadError::Unreadable {
            path: d.clone(),
            source: e,
        })?;
        for entry in entries {
            let entry = entry.map_err(|e| LoadError::Unreadable {
                path: d.clone(),
                source: e,
            })?;
            let p = entry.path();
            let name = entry.file_name();
            let hidden = name.to_string_lossy().starts_with('.');
            let ft = entry.file_type().map_err(|e| LoadError::Unreadable {
                path: p.clone(),
                source: e,
            })?;
            if ft.is_dir() {
                if !hidden && name != "target" {
                    stack.push(p);
                }
            } else if SOURCE_EXTENSIONS.iter().any(|e| has_ext(&p, e)) {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}
