//! `opsplan diff git:REV:PATH NEW`: a side of a plan comparison read from a revision of
//! its repository. The loader reads only the disk, so the files of the revision (every
//! one: a project names its inputs, evidence and templates by any name) are written,
//! through `workspace::git` (gix, no git program), into a temporary folder of `temp.rs`
//! that stands for the work tree,
//! and the side is checked from there; every name under that folder is shown as
//! `git:REV:path`. The folder holds an empty `.git`, so the search for the project file
//! stops at its top as it stops at the repository's, and it is removed when the
//! comparison ends (or on a signal).

use super::temp::TempDir;
use crate::workspace::git::{Spec, Tree};
use crate::workspace::{MAX_INPUT_BYTES, MAX_WALK_ENTRIES};
use std::path::{Path, PathBuf};

/// Folders never copied: the repository's own data and build outputs.
const SKIPPED_FOLDERS: &[&str] = &[".git", "target", "node_modules"];

/// A side checked out of a revision.
pub(crate) struct GitSide {
    /// The folder standing for the work tree at the revision.
    dir: TempDir,
    /// The path to check: the side's path inside `dir`.
    pub path: PathBuf,
    /// `git:REV:`, what the folder's names are shown with.
    shown: String,
}

impl GitSide {
    /// Writes the files of the revision into a temporary folder; the path of the side is
    /// `spec.path` (the current folder when absent) taken relative to the work tree.
    pub(crate) fn checkout(spec: &Spec) -> Result<GitSide, String> {
        let path = spec.path.clone().unwrap_or_else(|| PathBuf::from("."));
        let tree = Tree::open(&path, &spec.rev)?;
        let relative = tree.relative(&path)?;
        tree.kind(&path)?;
        let root = tree.workdir().to_path_buf();
        let files = tree.files_below(
            &root,
            MAX_WALK_ENTRIES,
            |name| !SKIPPED_FOLDERS.iter().any(|s| name == *s),
            |_| true,
        )?;
        let dir = TempDir::create_in(&std::env::temp_dir())
            .map_err(|e| format!("cannot make a temporary folder for git:{}: {e}", spec.rev))?;
        let fail = |e: std::io::Error| format!("cannot write the revision's files: {e}");
        dir.write_file(".git", b"").map_err(fail)?;
        let mut total = 0u64;
        for file in files {
            let bytes = tree.read(&file, MAX_INPUT_BYTES)?;
            total += bytes.len() as u64;
            if total > MAX_INPUT_BYTES {
                return Err(format!(
                    "git:{}: the files of the revision pass {} MiB together; not compared (check the revision out with `git worktree add` and compare the folders)",
                    spec.rev,
                    MAX_INPUT_BYTES >> 20
                ));
            }
            let rel = file.strip_prefix(&root).unwrap_or(&file);
            let Some(rel) = rel.to_str() else {
                continue; // a name that is not UTF-8 is no name opsplan could be given
            };
            dir.write_file(rel, &bytes).map_err(fail)?;
        }
        let path = dir.path().join(&relative);
        Ok(GitSide {
            path,
            shown: format!("git:{}:", tree.rev()),
            dir,
        })
    }

    /// `text` with every name under the folder shown as `git:REV:path`.
    pub(crate) fn rename(&self, text: &str) -> String {
        let mut prefix = self.dir.path().to_string_lossy().replace('\\', "/");
        prefix.push('/');
        text.replace(&prefix, &self.shown)
    }

    /// The project file of a run checked from the folder, named as the revision's.
    pub(crate) fn rename_project(&self, project: &mut crate::workspace::Project) {
        if let Some(file) = &project.file {
            let absolute = if file.is_absolute() {
                file.clone()
            } else {
                std::env::current_dir().unwrap_or_default().join(file)
            };
            let file = lexical(&absolute);
            if let Ok(rel) = file.strip_prefix(lexical(self.dir.path())) {
                project.file = Some(PathBuf::from(format!(
                    "{}{}",
                    self.shown,
                    rel.to_string_lossy().replace('\\', "/")
                )));
            }
        }
    }
}

/// `p` with `.` and `..` taken away without touching the disk.
fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
