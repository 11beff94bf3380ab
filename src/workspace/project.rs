//! Which project file (`opsplan.yaml`) a run uses, and how it is found
//! (docs/flight-rules.md, "Project file: how it is found").
//!
//! Finding one only asks whether `opsplan.yaml` and `.git` exist in the folders above a
//! path (one `stat` each, never following a folder's contents); the project file found is
//! then read as any other (`Config::load`).

use super::{LoadError, CONFIG_FILE};
use std::path::{Component, Path, PathBuf};

/// Which project file a run is to use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ProjectChoice {
    /// The paths' own: a folder given that holds `opsplan.yaml`, an `opsplan.yaml`
    /// given, or else the nearest `opsplan.yaml` above the paths (stopping after the
    /// repository root, the first folder holding `.git`). Paths leading to two different
    /// project files are refused ([`LoadError::ProjectConflict`]).
    #[default]
    Discover,
    /// This project file, whatever the paths (`--config FILE`).
    File(PathBuf),
    /// No project file at all (`--no-config`).
    Off,
    /// Only a project file the paths name (a folder holding one, or the file itself),
    /// never one above them; with several, the last one's policy and requirements win.
    /// What `opsplan report monthly` reads its plans with (its own `monthly.yaml` says
    /// where they are).
    NamedOnly,
}

/// How the project file of a run was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectSource {
    /// A path given is the project file, or a folder holding it.
    Named,
    /// Found above the paths given.
    Found,
    /// `--config FILE`.
    Config,
    /// None given and none found above the paths.
    NotFound,
    /// `--no-config`.
    Disabled,
}

/// The project file a run used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// The file as it was read: as given, or (found above the paths) relative to the
    /// current folder, with `..` when needed, absolute when they share only the root.
    pub file: Option<PathBuf>,
    pub source: ProjectSource,
}

impl Default for Project {
    fn default() -> Self {
        Project {
            file: None,
            source: ProjectSource::NotFound,
        }
    }
}

impl Project {
    /// The file for outputs (`/` separators, no `./`, `a/..` removed); `None` without one.
    pub fn shown(&self) -> Option<String> {
        self.file.as_deref().map(show_path)
    }

    /// The file, or why there is none: `none found`, `none (--no-config)`.
    pub fn describe(&self) -> String {
        match (self.shown(), self.source) {
            (Some(f), _) => f,
            (None, ProjectSource::Disabled) => "none (--no-config)".to_string(),
            (None, _) => "none found".to_string(),
        }
    }

    /// `project file: …`, the line text outputs print (terminal-safe: a folder name may
    /// hold control characters).
    pub fn line(&self) -> String {
        format!(
            "project file: {}",
            crate::diag::terminal_safe(&self.describe())
        )
    }
}

/// In JSON (and to templates) a project is its file as outputs show it, or `null`.
impl serde::Serialize for Project {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.shown() {
            Some(f) => s.serialize_some(&f),
            None => s.serialize_none(),
        }
    }
}

/// A path as outputs show it: `/` separators, no leading `./`, `a/..` removed.
pub fn show_path(path: &Path) -> String {
    let p = super::tidy(path).to_string_lossy().replace('\\', "/");
    p.strip_prefix("./").map(str::to_string).unwrap_or(p)
}

/// The project file in `dir`, when there is an entry named `opsplan.yaml` that is not a
/// folder (a dangling link counts: reading it then fails, exit 2, rather than the rules
/// being dropped in silence).
pub fn project_file_in(dir: &Path) -> Result<Option<PathBuf>, LoadError> {
    let path = dir.join(CONFIG_FILE);
    match std::fs::metadata(&path) {
        Ok(m) => Ok((!m.is_dir()).then_some(path)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A link pointing nowhere is still a project file someone meant.
            Ok(std::fs::symlink_metadata(&path).is_ok().then_some(path))
        }
        Err(e) => Err(LoadError::Unreadable { path, source: e }),
    }
}

/// True when `dir` holds an entry `.git` (a folder, or the file of a worktree).
fn is_repository_root(dir: &Path) -> Result<bool, LoadError> {
    let git = dir.join(".git");
    match std::fs::symlink_metadata(&git) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(LoadError::Unreadable {
            path: git,
            source: e,
        }),
    }
}

/// The nearest project file in `start` (a folder) or above it, as a canonical path:
/// each folder from `start` upwards is asked for `opsplan.yaml`, and the walk stops
/// after the first folder holding `.git` (the repository root) or at the root.
pub fn find_above(start: &Path) -> Result<Option<PathBuf>, LoadError> {
    let start = if start.as_os_str().is_empty() {
        Path::new(".")
    } else {
        start
    };
    let abs = std::fs::canonicalize(start).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => LoadError::NotFound(start.to_path_buf()),
        _ => LoadError::Unreadable {
            path: start.to_path_buf(),
            source: e,
        },
    })?;
    for dir in abs.ancestors() {
        if let Some(found) = project_file_in(dir)? {
            return Ok(Some(found));
        }
        if is_repository_root(dir)? {
            return Ok(None);
        }
    }
    Ok(None)
}

/// `target` (absolute) as seen from the current folder: relative when they share more
/// than the root (`examples/w40/opsplan.yaml`, `../opsplan.yaml`), else absolute.
pub fn from_current_dir(target: &Path) -> PathBuf {
    match std::env::current_dir().and_then(std::fs::canonicalize) {
        Ok(cwd) => relative_to(target, &cwd).unwrap_or_else(|| target.to_path_buf()),
        Err(_) => target.to_path_buf(),
    }
}

/// `target` relative to `base` (both absolute and free of `.`/`..`), or `None` when
/// they share nothing but the root.
fn relative_to(target: &Path, base: &Path) -> Option<PathBuf> {
    let t: Vec<Component> = target.components().collect();
    let b: Vec<Component> = base.components().collect();
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let named = t[..common]
        .iter()
        .any(|c| matches!(c, Component::Normal(_)));
    if !named {
        return None;
    }
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c.as_os_str());
    }
    Some(out)
}

/// The canonical path of an existing file, for comparing two names of one file.
pub fn same_file_key(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_go_down_or_up_and_never_through_the_root_alone() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(
            relative_to(&p("/r/ex/w40/opsplan.yaml"), &p("/r")),
            Some(p("ex/w40/opsplan.yaml"))
        );
        assert_eq!(
            relative_to(&p("/r/ex/w40/opsplan.yaml"), &p("/r/ex/w40/procedures")),
            Some(p("../opsplan.yaml"))
        );
        assert_eq!(
            relative_to(&p("/r/a/opsplan.yaml"), &p("/r/b/c")),
            Some(p("../../a/opsplan.yaml"))
        );
        assert_eq!(relative_to(&p("/a/opsplan.yaml"), &p("/b")), None);
    }

    #[test]
    fn the_walk_stops_after_the_repository_root() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        let nested = repo.join("mission/procedures");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "").unwrap();
        // Above the repository root: not used.
        std::fs::create_dir(repo.join(".git")).unwrap();
        assert_eq!(find_above(&nested).unwrap(), None);
        // The repository root's own is used.
        std::fs::write(repo.join(CONFIG_FILE), "").unwrap();
        let found = find_above(&nested).unwrap().unwrap();
        assert_eq!(found, same_file_key(&repo.join(CONFIG_FILE)));
        // The nearest wins; a folder named opsplan.yaml is not a project file.
        std::fs::create_dir(nested.join(CONFIG_FILE)).unwrap();
        std::fs::write(repo.join("mission").join(CONFIG_FILE), "").unwrap();
        let found = find_above(&nested).unwrap().unwrap();
        assert_eq!(
            found,
            same_file_key(&repo.join("mission").join(CONFIG_FILE))
        );
    }

    #[test]
    fn a_git_file_marks_a_worktree_root_too() {
        let dir = tempfile::tempdir().unwrap();
        let wt = dir.path().join("wt");
        std::fs::create_dir_all(wt.join("plans")).unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "").unwrap();
        std::fs::write(wt.join(".git"), "gitdir: elsewhere\n").unwrap();
        assert_eq!(find_above(&wt.join("plans")).unwrap(), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_dangling_link_named_opsplan_yaml_is_a_project_file() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(dir.path().join("gone.yaml"), dir.path().join(CONFIG_FILE))
            .unwrap();
        assert!(project_file_in(dir.path()).unwrap().is_some());
    }

    #[test]
    fn describe_says_why_there_is_none() {
        let none = Project::default();
        assert_eq!(none.line(), "project file: none found");
        let off = Project {
            file: None,
            source: ProjectSource::Disabled,
        };
        assert_eq!(off.describe(), "none (--no-config)");
        let some = Project {
            file: Some(PathBuf::from("./ex/../ex/opsplan.yaml")),
            source: ProjectSource::Named,
        };
        assert_eq!(some.shown().as_deref(), Some("ex/opsplan.yaml"));
    }
}
