//! Files read from a git repository at a revision (`git:REV`, `git:REV:path`): the old
//! side of `trace --changed-since`/`--baseline`, `reqs diff` and `diff`, read through the
//! `gix` crate (no `git` program).
//!
//! The repository is discovered from the path, upward; the path is taken relative to its
//! work tree. Only objects of the repository are read: a path outside its work tree is
//! refused, and a symbolic link or a submodule in the tree is never followed (it is
//! refused where it is named, skipped in a folder search).

use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};

/// A `git:REV` or `git:REV:path` argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// What `git rev-parse` takes: `HEAD~1`, a tag, a branch, a hash.
    pub rev: String,
    /// The file or folder, as typed (relative to the current folder), when given.
    pub path: Option<PathBuf>,
}

impl Spec {
    /// `Some` when `arg` starts with `git:` (a file whose name starts so is named
    /// `./git:…`). `git:REV:path` splits at the first `:` after `REV`; a revision holding a
    /// `:` itself is not supported.
    pub fn parse(arg: &OsStr) -> Option<Result<Spec, String>> {
        let text = arg.to_str()?;
        let rest = text.strip_prefix("git:")?;
        let (rev, path) = match rest.split_once(':') {
            Some((rev, path)) => (rev, Some(path)),
            None => (rest, None),
        };
        if rev.is_empty() {
            return Some(Err(format!(
                "{text}: no revision after `git:` (write git:HEAD~1, git:TAG or git:HASH; a file named so is ./{text})"
            )));
        }
        if path.is_some_and(str::is_empty) {
            return Some(Err(format!(
                "{text}: no path after the revision (write git:{rev}:FILE, or git:{rev} for the same files as now)"
            )));
        }
        Some(Ok(Spec {
            rev: rev.to_string(),
            path: path.map(PathBuf::from),
        }))
    }

    /// How the argument was written.
    pub fn display(&self) -> String {
        match &self.path {
            Some(p) => format!("git:{}:{}", self.rev, p.display()),
            None => format!("git:{}", self.rev),
        }
    }
}

/// A file or a folder in a tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Folder,
}

/// The tree of one revision of a repository.
pub struct Tree {
    /// The repository's git folder, opened again by each read: a `gix::Repository` is
    /// neither `Send` nor `Sync` without gix's `parallel` feature, and the exports are
    /// read on a thread of their own.
    git_dir: PathBuf,
    tree: gix::ObjectId,
    /// The work tree, canonical.
    workdir: PathBuf,
    /// The revision as typed.
    rev: String,
}

impl std::fmt::Debug for Tree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tree")
            .field("workdir", &self.workdir)
            .field("rev", &self.rev)
            .field("tree", &self.tree)
            .finish()
    }
}

/// A path made absolute against the current folder, `.` and `..` taken away by name
/// (no link is resolved: a link inside the work tree is looked up in the tree as the
/// link it is there, never followed).
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut lexical = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                lexical.pop();
            }
            other => lexical.push(other),
        }
    }
    lexical
}

impl Tree {
    /// The tree at `rev` of the repository holding `near` (a file or folder, which need
    /// not exist now), found from its folder upward.
    pub fn open(near: &Path, rev: &str) -> Result<Tree, String> {
        let abs = absolute(near);
        let mut start = abs.as_path();
        while !start.is_dir() || start.is_symlink() {
            match start.parent() {
                Some(p) => start = p,
                None => break,
            }
        }
        let repo = gix::discover(start).map_err(|_| {
            format!(
                "git:{rev}: {} is in no git repository (looked from {} upward)",
                near.display(),
                start.display()
            )
        })?;
        let Some(workdir) = repo.workdir() else {
            return Err(format!(
                "git:{rev}: {} is a bare repository: it has no work tree to take {} relative to",
                repo.git_dir().display(),
                near.display()
            ));
        };
        let workdir = std::fs::canonicalize(workdir).unwrap_or_else(|_| workdir.to_path_buf());
        let id = repo.rev_parse_single(rev).map_err(|e| {
            format!(
                "git:{rev}: no such revision in the repository {} ({})",
                workdir.display(),
                first_line(&e.to_string())
            )
        })?;
        let tree = id
            .object()
            .map_err(|e| format!("git:{rev}: {}", first_line(&e.to_string())))?
            .peel_to_tree()
            .map_err(|_| format!("git:{rev}: names no commit or tree (a blob?)"))?;
        Ok(Tree {
            tree: tree.id,
            git_dir: repo.git_dir().to_path_buf(),
            workdir,
            rev: rev.to_string(),
        })
    }

    /// The revision as typed.
    pub fn rev(&self) -> &str {
        &self.rev
    }

    /// The work tree of the repository (canonical).
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// `path` (typed on the command line or found by the loader) relative to the work
    /// tree, or why it is not inside it.
    pub fn relative(&self, path: &Path) -> Result<PathBuf, String> {
        // The work tree is canonical; the path is not (the current folder may be reached
        // through a link): the ancestor of the path that is the work tree, found by
        // resolving ancestors only, never the path's own components below it.
        let abs = absolute(path);
        abs.ancestors()
            .find(|a| std::fs::canonicalize(a).is_ok_and(|real| real == self.workdir))
            .and_then(|a| abs.strip_prefix(a).ok())
            .map(Path::to_path_buf)
            .ok_or_else(|| {
                format!(
                    "git:{}:{}: outside the repository {}; nothing outside it is read",
                    self.rev,
                    path.display(),
                    self.workdir.display()
                )
            })
    }

    /// How a file of the tree is named in messages and outputs:
    /// `git:REV:path/in/repository`.
    pub fn name(&self, path: &Path) -> String {
        match self.relative(path) {
            Ok(rel) => format!("git:{}:{}", self.rev, slashed(&rel)),
            Err(_) => format!("git:{}:{}", self.rev, path.display()),
        }
    }

    /// Whether `path` is a file or a folder at the revision; an absent path, a
    /// symbolic link or a submodule is an error saying so.
    pub fn kind(&self, path: &Path) -> Result<Kind, String> {
        let rel = self.relative(path)?;
        if rel.as_os_str().is_empty() {
            return Ok(Kind::Folder);
        }
        let repo = self.repo()?;
        let entry = self.entry(&repo, &rel)?;
        let mode = entry.mode();
        if mode.is_tree() {
            Ok(Kind::Folder)
        } else if mode.is_link() {
            Err(format!(
                "{}: a symbolic link at {}; links in a repository are not followed (name the file it leads to)",
                self.name(path),
                self.rev
            ))
        } else if mode.is_commit() {
            Err(format!(
                "{}: a submodule at {}, not a file or folder of this repository",
                self.name(path),
                self.rev
            ))
        } else {
            Ok(Kind::File)
        }
    }

    fn repo(&self) -> Result<gix::Repository, String> {
        gix::open(&self.git_dir).map_err(|e| {
            format!(
                "git:{}: the repository {} cannot be opened again: {}",
                self.rev,
                self.workdir.display(),
                first_line(&e.to_string())
            )
        })
    }

    fn entry<'r>(
        &self,
        repo: &'r gix::Repository,
        rel: &Path,
    ) -> Result<gix::object::tree::Entry<'r>, String> {
        let tree = repo
            .find_tree(self.tree)
            .map_err(|e| format!("git:{}: {}", self.rev, first_line(&e.to_string())))?;
        tree.lookup_entry_by_path(rel)
            .map_err(|e| {
                format!(
                    "git:{}:{}: {}",
                    self.rev,
                    slashed(rel),
                    first_line(&e.to_string())
                )
            })?
            .ok_or_else(|| {
                format!(
                    "git:{}:{}: no such file or folder at {}",
                    self.rev,
                    slashed(rel),
                    self.rev
                )
            })
    }

    /// The bytes of the file `path` at the revision, at most `limit` (its size is asked
    /// before it is read).
    pub fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, String> {
        match self.kind(path)? {
            Kind::File => {}
            Kind::Folder => {
                return Err(format!(
                    "{}: a folder at {}, not a file",
                    self.name(path),
                    self.rev
                ))
            }
        }
        let rel = self.relative(path)?;
        let repo = self.repo()?;
        let entry = self.entry(&repo, &rel)?;
        let fail = |e: &dyn std::fmt::Display| {
            format!(
                "{}: cannot be read: {}",
                self.name(path),
                first_line(&e.to_string())
            )
        };
        let header = repo.find_header(entry.object_id()).map_err(|e| fail(&e))?;
        if header.size() > limit {
            return Err(format!(
                "{}: larger than {} MiB",
                self.name(path),
                limit / (1024 * 1024)
            ));
        }
        let object = entry.object().map_err(|e| fail(&e))?;
        let data = object.detach().data;
        record(&self.name(path), &data);
        Ok(data)
    }

    /// The files below the folder `dir` at the revision that `keep_file` accepts, in
    /// folders `keep_dir` accepts, sorted; at most `max` entries are looked at. Symbolic
    /// links and submodules are left out (never followed). Paths are in the work tree
    /// (`dir` joined with the names), as a search of the folder on disk gives them.
    pub fn files_below(
        &self,
        dir: &Path,
        max: usize,
        keep_dir: impl Fn(&OsStr) -> bool,
        keep_file: impl Fn(&Path) -> bool,
    ) -> Result<Vec<PathBuf>, String> {
        let rel = self.relative(dir)?;
        let repo = self.repo()?;
        let root = if rel.as_os_str().is_empty() {
            self.tree
        } else {
            self.entry(&repo, &rel)?.object_id()
        };
        let mut out = Vec::new();
        let mut seen = 0usize;
        let mut stack = vec![(dir.to_path_buf(), root)];
        while let Some((at, id)) = stack.pop() {
            let tree = repo
                .find_tree(id)
                .map_err(|e| format!("{}: {}", self.name(&at), first_line(&e.to_string())))?;
            for entry in tree.iter() {
                let entry = entry
                    .map_err(|e| format!("{}: {}", self.name(&at), first_line(&e.to_string())))?;
                seen += 1;
                if seen > max {
                    return Err(format!(
                        "{}: more than {max} entries below it at {}; not searched",
                        self.name(dir),
                        self.rev
                    ));
                }
                let name = gix::path::from_bstr(entry.filename()).into_owned();
                let path = at.join(&name);
                let mode = entry.mode();
                if mode.is_tree() {
                    if keep_dir(name.as_os_str()) {
                        stack.push((path, entry.object_id()));
                    }
                } else if mode.is_blob() && keep_file(&path) {
                    out.push(path);
                }
            }
        }
        out.sort();
        Ok(out)
    }
}

/// SHA-256 and size of every file read from a revision, by its name (`git:REV:path`),
/// for the reports' provenance, which hashes its inputs by reading them again and cannot
/// read these from disk. Process-wide: the report of a run is made right after its reads,
/// and a name read again (a symbolic revision that moved) replaces its entry; the
/// language server reads none.
static READ: std::sync::Mutex<Vec<(String, String, u64)>> = std::sync::Mutex::new(Vec::new());

fn record(name: &str, bytes: &[u8]) {
    use sha2::Digest;
    let sha: String = sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut read = READ.lock().unwrap_or_else(|p| p.into_inner());
    // The latest read wins: `git:HEAD:…` names other bytes after a commit (a report
    // rebuilt by `--watch` in the same process).
    match read.iter_mut().find(|(n, _, _)| n == name) {
        Some(entry) => *entry = (name.to_string(), sha, bytes.len() as u64),
        None => read.push((name.to_string(), sha, bytes.len() as u64)),
    }
}

/// The SHA-256 (hexadecimal) and size of the file named `name` (`git:REV:path`) when this
/// process read it from a revision.
pub fn read_digest(name: &Path) -> Option<(String, u64)> {
    let name = name.to_str()?;
    let read = READ.lock().unwrap_or_else(|p| p.into_inner());
    read.iter()
        .find(|(n, _, _)| n == name)
        .map(|(_, sha, len)| (sha.clone(), *len))
}

fn slashed(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse() {
        let p = |s: &str| Spec::parse(OsStr::new(s));
        assert_eq!(p("reqs.csv"), None);
        assert_eq!(p("./git:x"), None);
        assert_eq!(
            p("git:HEAD~1"),
            Some(Ok(Spec {
                rev: "HEAD~1".into(),
                path: None
            }))
        );
        assert_eq!(
            p("git:v1.0:requirements/r.csv"),
            Some(Ok(Spec {
                rev: "v1.0".into(),
                path: Some("requirements/r.csv".into())
            }))
        );
        assert!(p("git:").unwrap().is_err());
        assert!(p("git::x").unwrap().is_err());
        assert!(p("git:HEAD:").unwrap().is_err());
    }
}
