//! Which files a run may read (docs/limits.md, "Excerpts and paths").
//!
//! **Inside the project.** A path named *inside* an input (a plan's `use procedures`,
//! `use rules`, `use windows`; `inputs:`, `rules:`, `requirements: sources:`/`baseline:`
//! of `opsplan.yaml`; the paths of `monthly.yaml`), and every file found in a folder
//! searched, must lead inside the project: the folder of the project file, or with none
//! the folders of the paths given on the command line (a file's folder, a folder
//! itself), or a path the project file allows with `allow-paths:`. Links are resolved
//! first (the canonical path is tested), so a link inside the project pointing at
//! `/etc` is outside. Paths typed on the command line are always allowed. A path outside
//! is refused before it is opened: a plan cannot make opsplan read, and quote, the
//! environment or the files of whoever checks it.
//!
//! **Never special files.** Whatever names it, a path whose canonical form is under
//! `/proc`, `/sys` or `/dev`, or (on Linux) on a kernel pseudo-filesystem wherever it
//! is mounted (procfs, sysfs, devtmpfs, cgroup, debugfs, …, read from
//! `/proc/self/mountinfo`), is never read: such files claim a size of 0 and hold what
//! the kernel makes up on the spot ([`special_place`], called by
//! [`super::read_bounded`]).

use std::path::{Path, PathBuf};

/// The key of `opsplan.yaml` and `monthly.yaml` that allows paths outside the project.
pub const ALLOW_KEY: &str = "allow-paths";

/// Where paths named by the inputs may lead.
#[derive(Debug, Clone, Default)]
pub struct Roots {
    /// Canonical paths: a path is inside when its canonical form is one of them or below.
    inside: Vec<PathBuf>,
    /// The project's folder (or the paths' folders) as messages show it.
    shown: Vec<String>,
    /// The file whose `allow-paths:` may allow more, as shown; `None` without one.
    project_file: Option<String>,
}

/// A path refused because it leads outside the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outside {
    /// Where the path leads (canonical), as shown.
    pub leads_to: String,
    /// The message: "outside the project (…): allow it with …".
    pub why: String,
    /// True for a special file ([`special_place`]): no `allow-paths:` allows it.
    pub special: bool,
}

impl std::fmt::Display for Outside {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.why)
    }
}

/// The canonical path, or the path itself when it cannot be resolved (it does not exist:
/// reading it then fails as "no such file").
fn canonical(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    })
    .ok()
}

impl Roots {
    /// The roots of a project file: its folder and the paths its `allow-paths:` names
    /// (already validated by [`allowed`]).
    pub fn of_project(file: &Path, allowed: &[PathBuf]) -> Roots {
        let folder = file.parent().unwrap_or(Path::new(""));
        let mut roots = Roots {
            project_file: Some(super::project::show_path(file)),
            ..Roots::default()
        };
        roots.add_folder(folder);
        for c in allowed {
            if !roots.inside.contains(c) {
                roots.shown.push(shown(c));
                roots.inside.push(c.clone());
            }
        }
        roots
    }

    /// No project file: the roots are the folders of the paths given ([`Roots::add_given`]).
    pub fn without_project() -> Roots {
        Roots::default()
    }

    /// A path given on the command line: its folder (a file's folder, or the folder
    /// itself) is inside.
    pub fn add_given(&mut self, path: &Path) {
        let folder = if path.is_dir() {
            path
        } else {
            path.parent().unwrap_or(Path::new(""))
        };
        self.add_folder(folder);
    }

    fn add_folder(&mut self, folder: &Path) {
        if let Some(c) = canonical(folder) {
            // A folder inside one already there adds nothing.
            if !self.inside.iter().any(|root| c.starts_with(root)) {
                self.shown.push(shown(&c));
                self.inside.push(c);
            }
        }
    }

    /// `Ok` when `path` leads inside (or does not exist: reading it will say so);
    /// `Err` with the message when it leads outside.
    pub fn check(&self, path: &Path) -> Result<(), Outside> {
        let Some(c) = canonical(path) else {
            return Ok(());
        };
        if let Some(why) = special_place(&c) {
            return Err(Outside {
                leads_to: shown(&c),
                why,
                special: true,
            });
        }
        if self.inside.iter().any(|root| c.starts_with(root)) {
            return Ok(());
        }
        let leads_to = shown(&c);
        let roots = if self.shown.is_empty() {
            "none".to_string()
        } else {
            self.shown.join(", ")
        };
        let why = match &self.project_file {
            Some(file) => format!(
                "{leads_to} is outside the project ({roots}): allow it with `{ALLOW_KEY}:` in {file}"
            ),
            None => format!(
                "{leads_to} is outside the folders given ({roots}): name it on the command line, \
                 or allow it with `{ALLOW_KEY}:` in an opsplan.yaml"
            ),
        };
        Err(Outside {
            leads_to,
            why,
            special: false,
        })
    }

    /// Adds the roots of `other` (several project files named in one run: the last one
    /// is the one messages name).
    pub fn merge(&mut self, other: Roots) {
        for (c, s) in other.inside.into_iter().zip(other.shown) {
            if !self.inside.contains(&c) {
                self.inside.push(c);
                self.shown.push(s);
            }
        }
        if other.project_file.is_some() {
            self.project_file = other.project_file;
        }
    }
}

/// A canonical path as messages show it: relative to the current folder when they share
/// more than the root, else absolute.
fn shown(canonical: &Path) -> String {
    let rel = super::project::from_current_dir(canonical);
    let s = super::project::show_path(&rel);
    if s.is_empty() {
        ".".to_string()
    } else {
        s
    }
}

/// The paths an `allow-paths:` list allows, canonical, relative to `base` (the folder of
/// the file that names them). `Err((index, why))` for the first entry that does not
/// exist, is the filesystem root (it would allow every file), or is a special place.
pub fn allowed(base: &Path, entries: &[PathBuf]) -> Result<Vec<PathBuf>, (usize, String)> {
    let mut out = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        if e.as_os_str().is_empty() {
            return Err((i, "an empty path".to_string()));
        }
        let p = base.join(e);
        let Some(c) = canonical(&p) else {
            return Err((i, format!("`{}` does not exist", e.display())));
        };
        if c.parent().is_none() {
            return Err((
                i,
                format!(
                    "`{}` is the filesystem root, which would allow every file: name the folders the project needs",
                    e.display()
                ),
            ));
        }
        if let Some(why) = special_place(&c) {
            return Err((i, format!("`{}`: {why}", e.display())));
        }
        out.push(c);
    }
    Ok(out)
}

/// Folders whose files are made up by the kernel (size 0, content generated when read).
const SPECIAL_FOLDERS: &[&str] = &["/proc", "/sys", "/dev"];

/// Linux filesystems whose files are not data: the kernel's views and devices.
#[cfg(target_os = "linux")]
const PSEUDO_FILESYSTEMS: &[&str] = &[
    "proc",
    "sysfs",
    "devtmpfs",
    "devpts",
    "debugfs",
    "tracefs",
    "securityfs",
    "cgroup",
    "cgroup2",
    "configfs",
    "fusectl",
    "bpf",
    "pstore",
    "efivarfs",
    "mqueue",
    "binfmt_misc",
    "hugetlbfs",
    "rpc_pipefs",
    "nsfs",
];

/// Why a path may never be read: it leads under `/proc`, `/sys` or `/dev`, or onto a
/// kernel pseudo-filesystem mounted elsewhere; `None` for any other path (and for one
/// that does not exist).
pub fn special_place(path: &Path) -> Option<String> {
    let c = canonical(path)?;
    for folder in SPECIAL_FOLDERS {
        if c.starts_with(folder) {
            return Some(format!(
                "a special file (under {folder}), never read: the kernel makes up its content"
            ));
        }
    }
    #[cfg(target_os = "linux")]
    if let Some(fs) = pseudo_filesystem_of(&c) {
        return Some(format!(
            "a special file (on a {fs} filesystem), never read: the kernel makes up its content"
        ));
    }
    None
}

/// The pseudo-filesystem a canonical path is on, from the mount table (read once).
#[cfg(target_os = "linux")]
fn pseudo_filesystem_of(c: &Path) -> Option<&'static str> {
    use std::sync::OnceLock;
    static MOUNTS: OnceLock<Vec<(PathBuf, String)>> = OnceLock::new();
    let mounts = MOUNTS.get_or_init(|| {
        // The table itself is on procfs: read it directly (it is never an input).
        std::fs::read_to_string("/proc/self/mountinfo")
            .map(|t| parse_mountinfo(&t))
            .unwrap_or_default()
    });
    let (_, fs) = mounts
        .iter()
        .filter(|(point, _)| c.starts_with(point))
        .max_by_key(|(point, _)| point.as_os_str().len())?;
    PSEUDO_FILESYSTEMS.iter().copied().find(|p| p == fs)
}

/// Mount points and filesystem types of `/proc/self/mountinfo` (fields 5 and the first
/// after ` - `; `\040` and other octal escapes undone).
#[cfg(target_os = "linux")]
fn parse_mountinfo(text: &str) -> Vec<(PathBuf, String)> {
    let unescape = |s: &str| -> PathBuf {
        let b = s.as_bytes();
        let mut out = Vec::with_capacity(b.len());
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'\\' && i + 3 < b.len() && b[i + 1..i + 4].iter().all(u8::is_ascii_digit) {
                let v = (b[i + 1] - b'0') as u32 * 64
                    + (b[i + 2] - b'0') as u32 * 8
                    + (b[i + 3] - b'0') as u32;
                out.push(v as u8);
                i += 4;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        use std::os::unix::ffi::OsStringExt;
        PathBuf::from(std::ffi::OsString::from_vec(out))
    };
    text.lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(' ').collect();
            let point = fields.get(4)?;
            let dash = fields.iter().position(|f| *f == "-")?;
            let fs = fields.get(dash + 1)?;
            Some((unescape(point), fs.to_string()))
        })
        .collect()
}

/// How comments are written in a kind of file, to find where its content starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comments {
    /// `//` and `/* */` (opsplan source).
    Opsplan,
    /// `#` to the end of the line, and a leading `---` (YAML).
    Yaml,
    /// None (CSV).
    None,
}

/// The byte offset of a text's first token, comments skipped as `comments` says.
fn first_token(text: &str, comments: Comments) -> usize {
    match comments {
        Comments::Opsplan => crate::syntax::first_token(text),
        Comments::Yaml => {
            let mut rest = text;
            loop {
                rest = rest.trim_start_matches([' ', '\t', '\r', '\n', '\u{FEFF}']);
                if rest.starts_with('#') {
                    rest = rest.find(['\n', '\r']).map_or("", |i| &rest[i..]);
                } else if rest.starts_with("---") && !rest.starts_with("----") {
                    rest = &rest[3..];
                } else {
                    return text.len() - rest.len();
                }
            }
        }
        Comments::None => {
            text.len()
                - text
                    .trim_start_matches([' ', '\t', '\r', '\n', '\u{FEFF}'])
                    .len()
        }
    }
}

/// What a text starts with, said without quoting a byte of it (the text may be a
/// secret): a kind of file, or the punctuation it starts with.
pub fn describe_start(text: &str, comments: Comments) -> String {
    let at = first_token(text, comments);
    let rest = &text[at..];
    let head = &text.as_bytes()[..text.len().min(8192)];
    if head.contains(&0) {
        return "binary data (it holds NUL bytes)".to_string();
    }
    let first_line = rest.split(['\n', '\r']).next().unwrap_or("");
    let is_name = |s: &str| {
        !s.is_empty()
            && s.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    match rest.chars().next() {
        None => "nothing but blanks and comments".to_string(),
        Some(c) if c.is_alphabetic() || c == '_' => {
            let word = first_line
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()
                .unwrap_or("");
            if first_line
                .split_once('=')
                .is_some_and(|(name, _)| is_name(name.trim_start_matches("export ")))
            {
                "`NAME=value` lines, as an environment file holds".to_string()
            } else if first_line.contains(':') && !first_line.contains(' ') {
                "`a:b:c` fields, as a password or group file holds".to_string()
            } else if first_line
                .split_once(": ")
                .is_some_and(|(key, _)| is_name(key.trim()))
            {
                "`key: value` lines, as a YAML file holds".to_string()
            } else if comments == Comments::Opsplan
                && word.len() <= 12
                && crate::diag::did_you_mean(word, ["plan", "procedure", "scenario"]).is_some()
            {
                "a word close to `plan`, `procedure` or `scenario`, but none of them".to_string()
            } else {
                "a word".to_string()
            }
        }
        Some(c) if c.is_ascii_digit() => "a number".to_string(),
        Some('<') => "`<`, as XML or HTML does".to_string(),
        Some('{') | Some('[') => "`{` or `[`, as JSON or YAML does".to_string(),
        Some('-') if rest.starts_with("-----") => {
            "`-----`, as a PEM key or certificate does".to_string()
        }
        Some('#') if rest.starts_with("#!") => "`#!`, as a script does".to_string(),
        Some('#') => "`#`, as a shell, YAML or Python file does".to_string(),
        Some(c) if c.is_ascii_punctuation() => format!("`{c}`"),
        Some(_) => "a character that starts no item".to_string(),
    }
}

/// What a file of some kind must be, for [`not_of_kind`].
pub struct Kind {
    /// `an opsplan source`, `a flight-rule file`, `a window file`.
    pub name: &'static str,
    /// What such a file starts with, the label at its first token.
    pub starts: &'static str,
    pub code: crate::diag::Code,
    pub comments: Comments,
    pub help: &'static str,
}

/// An opsplan source: `plan`, `procedure` or `scenario` and a name.
pub const OPSPLAN_SOURCE: Kind = Kind {
    name: "an opsplan source",
    starts: "an opsplan file starts with `plan`, `procedure` or `scenario` and a name",
    code: crate::diag::Code::UnreadableSource,
    comments: Comments::Opsplan,
    help: "`use procedures`, `use roster` and the paths given name opsplan files (`.plan`, `.proc`, `.scn`, `.roster`); \
           a file that does not start as one is never quoted, in case it holds secrets",
};

/// A flight-rule file: a YAML mapping with `rules:`.
pub const FLIGHT_RULE_FILE: Kind = Kind {
    name: "a flight-rule file",
    starts: "a flight-rule file holds `rules:` and, under it, one `- id: …` per rule",
    code: crate::diag::Code::InvalidFlightRuleFile,
    comments: Comments::Yaml,
    help: "`use rules` and `rules:` name flight-rule files (YAML); a file that has no \
           `rules:` key is never quoted, in case it holds secrets",
};

/// A window file: a table whose first row names its columns.
pub const WINDOW_FILE: Kind = Kind {
    name: "a window file",
    starts: "a window file starts with a header row naming its columns (`window,start,end`)",
    code: crate::diag::Code::InvalidWindowFile,
    comments: Comments::None,
    help: "`use windows` names window files (CSV); a file whose first line is not a row of \
           columns is never quoted, in case it holds secrets",
};

/// The finding for a file that is not of the kind it was read as (an opsplan source
/// with syntax errors that does not start as source does, a flight-rule file with no
/// `rules:` key, a window file whose first line is no row of columns): located at its
/// first token, saying what it starts with and how large it is, quoting nothing.
pub fn not_of_kind(
    file: crate::source::FileId,
    text: &str,
    kind: &Kind,
) -> crate::diag::Diagnostic {
    use crate::diag::{Diagnostic, Label};
    let at = first_token(text, kind.comments).min(text.len());
    let ends_with_line_end = text.ends_with(['\n', '\r']);
    let lines =
        crate::source::LineIndex::new(text).line_starts().len() - usize::from(ends_with_line_end);
    let mut d = Diagnostic::new(
        kind.code,
        format!(
            "not {}: it starts with {} ({} bytes, {} line{}); its content is not shown",
            kind.name,
            describe_start(text, kind.comments),
            text.len(),
            lines,
            if lines == 1 { "" } else { "s" }
        ),
        Label::new(crate::source::Span::new(file, at..at), kind.starts),
    )
    .with_help(kind.help);
    d.notes.push(match kind.code {
        crate::diag::Code::UnreadableSource => {
            "its plans, procedures and scenarios, if any, are not read".to_string()
        }
        crate::diag::Code::InvalidFlightRuleFile => {
            "none of the rules of this file is evaluated".to_string()
        }
        _ => "no window of this file is read".to_string(),
    });
    d
}

/// True when a flight-rule file that could not be loaded is a YAML file meant as one: it
/// has a `rules` key (at the start of a line, or in a flow mapping).
pub fn names_rules(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_start_matches(['"', '\'']);
        l.starts_with("rules")
            && l["rules".len()..]
                .trim_start_matches(['"', '\'', ' '])
                .starts_with(':')
    }) || (text[first_token(text, Comments::Yaml)..].starts_with('{') && text.contains("rules"))
}

/// True when a window file that could not be read is a table: its first line holds at
/// least two cells (by comma, semicolon, tab or bar) and no NUL byte.
pub fn looks_like_table(text: &str) -> bool {
    let rest = &text[first_token(text, Comments::None)..];
    let first = rest.split(['\n', '\r']).next().unwrap_or("");
    !text.as_bytes()[..text.len().min(8192)].contains(&0)
        && first.split([',', ';', '\t', '|']).count() >= 2
}

/// Where the value `value` of key `key` is in a YAML text (1-based line and column): the
/// first occurrence of the value after the first `key:`; the key's place when the value
/// is not found there; 1:1 when neither is. Used to locate a refused path.
pub fn locate_value(text: &str, key: &str, value: &str) -> (usize, usize) {
    let index = crate::source::LineIndex::new(text);
    let lc = |o: usize| {
        let l = index.line_col(text, o);
        (l.line as usize, l.column as usize)
    };
    let needle = format!("{key}:");
    let Some(k) = text.match_indices(&needle).map(|(i, _)| i).find(|&i| {
        i == 0 || text[..i].ends_with(|c: char| c.is_whitespace() || c == '{' || c == ',')
    }) else {
        return (1, 1);
    };
    match text[k..].find(value).filter(|_| !value.is_empty()) {
        Some(v) => lc(k + v),
        None => lc(k),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_places_are_named() {
        assert!(special_place(Path::new("/proc/self/environ")).is_some());
        assert!(special_place(Path::new("/dev/null")).is_some());
        assert!(special_place(Path::new("/sys")).is_some());
        assert!(special_place(Path::new("/etc/passwd")).is_none());
        assert!(special_place(Path::new("/no/such/file")).is_none());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn mountinfo_gives_points_and_types() {
        let t = "22 27 0:21 / /proc rw,relatime - proc proc rw\n\
                 99 27 0:50 / /mnt/my\\040proc rw shared:1 - proc proc rw\n\
                 27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n";
        let m = parse_mountinfo(t);
        assert_eq!(m[1], (PathBuf::from("/mnt/my proc"), "proc".to_string()));
        assert_eq!(m[2], (PathBuf::from("/"), "ext4".to_string()));
    }

    #[test]
    fn a_link_out_of_the_project_is_outside() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p");
        std::fs::create_dir_all(project.join("lib")).unwrap();
        std::fs::write(dir.path().join("secret"), "s").unwrap();
        std::fs::write(project.join("lib/x.proc"), "").unwrap();
        let roots = Roots::of_project(&project.join("opsplan.yaml"), &[]);
        assert!(roots.check(&project.join("lib/x.proc")).is_ok());
        assert!(roots.check(&project.join("lib/../lib/x.proc")).is_ok());
        assert!(roots.check(&project.join("../secret")).is_err());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret"), project.join("lib/s.proc"))
                .unwrap();
            let e = roots.check(&project.join("lib/s.proc")).unwrap_err();
            assert!(e.why.contains("is outside the project"), "{e}");
            assert!(e.why.contains("`allow-paths:` in"), "{e}");
        }
        let allowed = allowed(&project, &[PathBuf::from("../secret")]).unwrap();
        let roots = Roots::of_project(&project.join("opsplan.yaml"), &allowed);
        assert!(roots.check(&project.join("../secret")).is_ok());
    }

    #[test]
    fn allow_paths_must_exist_and_be_neither_the_root_nor_special() {
        let dir = tempfile::tempdir().unwrap();
        let p = |s: &str| PathBuf::from(s);
        assert!(allowed(dir.path(), &[p("nope")])
            .unwrap_err()
            .1
            .contains("does not exist"));
        assert!(allowed(dir.path(), &[p("/")])
            .unwrap_err()
            .1
            .contains("filesystem root"));
        assert!(allowed(dir.path(), &[p("/proc")])
            .unwrap_err()
            .1
            .contains("special file"));
        assert_eq!(allowed(dir.path(), &[p(".")]).unwrap().len(), 1);
    }

    #[test]
    fn values_are_located_after_their_key() {
        let text = "inputs:\n  - plans\nrules: [a.yaml, ../x/r.yaml]\n";
        assert_eq!(locate_value(text, "rules", "../x/r.yaml"), (3, 17));
        assert_eq!(locate_value(text, "inputs", "plans"), (2, 5));
        assert_eq!(locate_value(text, "allow-paths", "x"), (1, 1));
    }
}
