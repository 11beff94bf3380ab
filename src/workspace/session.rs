//! Checks of an editor's session (`opsplan lsp`): texts held in memory in place of the
//! files on disk (the open documents, the *overlay*), and a parse cache, so that a
//! re-check re-parses only the files whose text changed.
//!
//! [`check_in`] runs [`super::check_with`] with a session active on the calling thread;
//! the loader asks [`overlaid`] before reading a file as UTF-8 text (plans, procedures,
//! scenarios, rosters, flight-rule files) and [`parse_many`] before parsing. Without an
//! active session both do what they did before: read the disk, parse everything.
//! Requirement exports, window files and `opsplan.yaml` are always read from disk.

use super::{CheckOptions, LoadError, Run};
use crate::diag::Diagnostic;
use crate::source::FileId;
use crate::syntax::{self, ast::SourceAst};
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// One parse kept: the text it was made from (compared whole, the hash only finds it
/// fast), the file id its spans carry, the tree and its findings.
struct Parsed {
    hash: u64,
    text: Arc<str>,
    file: FileId,
    ast: SourceAst,
    diags: Vec<Diagnostic>,
}

/// The in-memory texts and the parse cache of an editor session.
#[derive(Default)]
pub struct Session {
    /// Canonical path → the document's text.
    overlay: Mutex<HashMap<PathBuf, Arc<str>>>,
    /// Canonical path → its last parse.
    cache: Mutex<HashMap<PathBuf, Parsed>>,
    /// How many files the last check parsed, and how many it took from the cache.
    stats: Mutex<(usize, usize)>,
}

/// The key of a path: canonical when the file exists.
pub fn key_of(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn hash_of(text: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

impl Session {
    pub fn new() -> Session {
        Session::default()
    }

    /// `text` is read in place of the file at `path` from now on.
    pub fn set_text(&self, path: &Path, text: impl Into<Arc<str>>) {
        lock(&self.overlay).insert(key_of(path), text.into());
    }

    /// The file at `path` is read from disk again.
    pub fn forget_text(&self, path: &Path) {
        lock(&self.overlay).remove(&key_of(path));
    }

    /// The text held for `path`, if any.
    pub fn text(&self, path: &Path) -> Option<Arc<str>> {
        lock(&self.overlay).get(&key_of(path)).cloned()
    }

    /// (files parsed, files taken from the cache) by the last check in this session.
    pub fn last_parse_stats(&self) -> (usize, usize) {
        *lock(&self.stats)
    }
}

/// A poisoned lock (a panic in a check, contained by the server) still holds good maps:
/// every update is a single insert or remove.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

thread_local! {
    static ACTIVE: RefCell<Option<Arc<Session>>> = const { RefCell::new(None) };
}

/// Resets the active session when the check ends, even by a panic.
struct Active;

impl Drop for Active {
    fn drop(&mut self) {
        ACTIVE.with(|a| a.borrow_mut().take());
    }
}

/// [`super::check_with`] with `session`'s texts in place of the files on disk and its
/// parse cache.
pub fn check_in(
    session: &Arc<Session>,
    paths: &[PathBuf],
    options: &CheckOptions,
) -> Result<Run, LoadError> {
    ACTIVE.with(|a| *a.borrow_mut() = Some(session.clone()));
    let _active = Active;
    *lock(&session.stats) = (0, 0);
    super::check_with(paths, options)
}

/// The text held in memory for `path` by the active session (the loader's hook).
pub(super) fn overlaid(path: &Path) -> Option<String> {
    ACTIVE.with(|a| {
        let a = a.borrow();
        let session = a.as_ref()?;
        let overlay = lock(&session.overlay);
        if overlay.is_empty() {
            return None;
        }
        overlay.get(&key_of(path)).map(|t| t.to_string())
    })
}

/// [`syntax::parse_many`], taking from the active session's cache every file whose
/// canonical path, file id and text are those of a parse kept (the loader's hook).
pub(super) fn parse_many(
    paths: &[&Path],
    files: &[(FileId, &str)],
) -> Vec<(SourceAst, Vec<Diagnostic>)> {
    let Some(session) = ACTIVE.with(|a| a.borrow().clone()) else {
        return syntax::parse_many(files);
    };
    let keys: Vec<PathBuf> = paths.iter().map(|p| key_of(p)).collect();
    let hashes: Vec<u64> = files.iter().map(|(_, t)| hash_of(t)).collect();
    let mut out: Vec<Option<(SourceAst, Vec<Diagnostic>)>> = {
        let cache = lock(&session.cache);
        files
            .iter()
            .enumerate()
            .map(|(i, &(file, text))| {
                cache
                    .get(&keys[i])
                    .filter(|p| p.hash == hashes[i] && p.file == file && *p.text == *text)
                    .map(|p| (p.ast.clone(), p.diags.clone()))
            })
            .collect()
    };
    let missing: Vec<usize> = (0..files.len()).filter(|&i| out[i].is_none()).collect();
    let todo: Vec<(FileId, &str)> = missing.iter().map(|&i| files[i]).collect();
    let parsed = syntax::parse_many(&todo);
    {
        // A document held in memory changes at every edit: its parse is not kept (a
        // copy of a 100,000-activity tree costs more than it would save).
        let overlay = lock(&session.overlay);
        let mut cache = lock(&session.cache);
        for (&i, (ast, diags)) in missing.iter().zip(parsed) {
            if overlay.contains_key(&keys[i]) {
                cache.remove(&keys[i]);
                out[i] = Some((ast, diags));
                continue;
            }
            cache.insert(
                keys[i].clone(),
                Parsed {
                    hash: hashes[i],
                    text: Arc::from(files[i].1),
                    file: files[i].0,
                    ast: ast.clone(),
                    diags: diags.clone(),
                },
            );
            out[i] = Some((ast, diags));
        }
    }
    let mut stats = lock(&session.stats);
    stats.0 += missing.len();
    stats.1 += files.len() - missing.len();
    out.into_iter()
        .map(|r| r.expect("every file parsed or cached"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_overlay_replaces_the_file_and_an_unchanged_file_is_not_parsed_again() {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("a.plan");
        let proc_ = dir.path().join("b.proc");
        std::fs::write(&plan, "plan P {\n}\n").unwrap();
        std::fs::write(&proc_, "procedure Q {\n}\n").unwrap();
        let session = Arc::new(Session::new());
        let paths = vec![dir.path().to_path_buf()];
        let options = CheckOptions::default();
        let first = check_in(&session, &paths, &options).unwrap();
        assert_eq!(session.last_parse_stats(), (2, 0));
        let again = check_in(&session, &paths, &options).unwrap();
        assert_eq!(session.last_parse_stats(), (0, 2));
        assert_eq!(first.diagnostics, again.diagnostics);
        // An edit in memory: only that file is parsed, and its findings are the text's.
        session.set_text(&plan, "plan P {\n  activity ???\n}\n");
        let edited = check_in(&session, &paths, &options).unwrap();
        assert_eq!(session.last_parse_stats(), (1, 1));
        assert!(edited
            .diagnostics
            .iter()
            .any(|d| d.code == crate::diag::Code::SyntaxError));
        // The disk still holds the old text; without the session nothing changed.
        let plain = super::super::check_with(&paths, &options).unwrap();
        assert_eq!(plain.diagnostics, first.diagnostics);
        session.forget_text(&plan);
        let back = check_in(&session, &paths, &options).unwrap();
        assert_eq!(back.diagnostics, first.diagnostics);
    }
}
