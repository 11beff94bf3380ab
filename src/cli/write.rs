//! Writing outputs: `-o FILE` of every command, `report templates --out DIR`, and the
//! in-place rewrite of `opsplan fmt`. An output never replaces an input or a file that is
//! not a regular file, and is written whole or not at all.
//!
//! - [`write_output`]: `-o FILE`. Before anything is written the path is examined: absent,
//!   or a regular file (a symbolic link to one is written through, to its target); never
//!   a folder, a device (`/dev/null` included), a FIFO or a socket; and never the same
//!   file (device and inode, so through symbolic and hard links) as any input of the run.
//!   A refusal is one line naming both paths, and nothing is written (exit 2). Then a
//!   temporary file beside the target (`temp`) receives the bytes, is synced, gets the
//!   replaced file's mode and owner, and is renamed onto the target.
//! - [`write_new`]: a file that must not exist (report templates), never replacing one.
//! - [`replace_checked`]: `opsplan fmt`, see its documentation.

use super::temp::{self, TempFile};
use crate::workspace::inputs::Inputs;
use std::fs::Metadata;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to the output `path` given with `flag` (`-o`), after checking it
/// is neither an input of the run nor anything but a regular file. `Err` holds the
/// message to print (after `opsplan: error: `); nothing is written then.
pub(crate) fn write_output(
    flag: &str,
    path: &Path,
    bytes: &[u8],
    inputs: &Inputs,
) -> Result<(), String> {
    let target = check_output(flag, path, inputs)?;
    write_atomic(&target, bytes).map_err(|e| format!("{}: cannot be written: {e}", path.display()))
}

/// Where an output goes once checked: the path (the target of a symbolic link given),
/// and the file it replaces.
pub(crate) struct Target {
    pub path: PathBuf,
    existing: Option<Metadata>,
}

/// What kind of file a non-regular path is, for the refusal.
fn kind_of(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// A file's identity: device and inode (on other systems, its canonical path).
#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

/// Standard output's device and inode, when the shell redirected it to a regular file.
#[cfg(unix)]
fn stdout_file() -> Option<(u64, u64)> {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let fd = std::io::stdout().as_fd().try_clone_to_owned().ok()?;
    let meta = std::fs::File::from(fd).metadata().ok()?;
    meta.is_file().then(|| (meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn stdout_file() -> Option<(u64, u64)> {
    None
}

/// Refuses to print when standard output is a file the run read (`opsplan check p.plan`
/// appended to `p.plan` by the shell would add the findings to the plan). `inputs` is only made when
/// standard output is a regular file. `Err` is the one-line refusal. (With `>` the shell
/// has emptied the file before opsplan starts: the refusal then says what happened.)
pub(crate) fn check_stdout(inputs: impl FnOnce() -> Inputs) -> Result<(), String> {
    let Some(out) = stdout_file() else {
        return Ok(());
    };
    #[cfg(unix)]
    for input in inputs().iter() {
        if identity(&input.path) == Some(out) {
            return Err(format!(
                "standard output is {}, an input of this run (read as {}): nothing written; \
                 redirect the output to another file, or use -o where the command has it",
                input.path.display(),
                input.role.as_str()
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = (inputs, out);
    Ok(())
}

/// Checks the output path `path` given with `flag`: absent, or a regular file (through a
/// symbolic link) that is no input of the run. `Err` is the one-line refusal.
pub(crate) fn check_output(flag: &str, path: &Path, inputs: &Inputs) -> Result<Target, String> {
    let shown = path.display();
    let link = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Target {
                path: path.to_path_buf(),
                existing: None,
            })
        }
        Err(e) => {
            return Err(format!(
                "{flag} {shown}: cannot be examined: {e}; nothing written"
            ))
        }
    };
    let is_link = link.is_symlink();
    let meta = if is_link {
        match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(format!(
                    "{flag} {shown} is a symbolic link to a missing file: nothing written"
                ))
            }
            Err(e) => {
                return Err(format!(
                    "{flag} {shown}: cannot be examined: {e}; nothing written"
                ))
            }
        }
    } else {
        link
    };
    if !meta.is_file() {
        return Err(format!(
            "{flag} {shown} is {}, not a regular file: nothing written",
            kind_of(&meta)
        ));
    }
    let out = identity(path);
    if out.is_some() {
        for input in inputs.iter() {
            if identity(&input.path) != out {
                continue;
            }
            return Err(if same_path(&input.path, path) {
                format!(
                    "{flag} {shown} is an input of this run (read as {}): nothing written",
                    input.role.as_str()
                )
            } else {
                format!(
                    "{flag} {shown} is the same file as {}, an input of this run (read as {}): nothing written",
                    input.path.display(),
                    input.role.as_str()
                )
            });
        }
    }
    let target = if is_link {
        std::fs::canonicalize(path)
            .map_err(|e| format!("{flag} {shown}: cannot be examined: {e}; nothing written"))?
    } else {
        path.to_path_buf()
    };
    Ok(Target {
        path: target,
        existing: Some(meta),
    })
}

/// Whether two paths are written alike, `.` components aside (`./w.plan` and `w.plan`).
fn same_path(a: &Path, b: &Path) -> bool {
    use std::path::Component;
    let named = |p| Path::components(p).filter(|c| *c != Component::CurDir);
    named(a).eq(named(b))
}

/// The folder a file is in (`.` for a bare name).
fn parent_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn folder_of(path: &Path) -> std::io::Result<&Path> {
    let dir = parent_of(path);
    if dir.is_dir() {
        Ok(dir)
    } else {
        Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("the folder {} does not exist", dir.display()),
        ))
    }
}

/// Gives the temporary `file` the mode and (when allowed) the owner of `old`.
fn keep_mode_and_owner(file: &std::fs::File, old: &Metadata) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // Only root may give a file away; for others this fails and the file is theirs.
        let _ = std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid()));
    }
    let _ = file.set_permissions(old.permissions());
}

/// The Unix mode a new temporary gets (before the umask): the replaced file's, or 0666.
fn mode_of(old: Option<&Metadata>) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        old.map_or(0o666, |m| m.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = old;
        0o666
    }
}

/// Syncs a folder, so a rename in it survives a power cut (where folders can be opened).
fn sync_folder(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Writes `bytes` to the checked target whole or not at all: a temporary file beside it,
/// then a rename. A replaced file keeps its mode and owner; a new one gets those of any
/// new file (umask).
pub(crate) fn write_atomic(target: &Target, bytes: &[u8]) -> std::io::Result<()> {
    let dir = folder_of(&target.path)?;
    temp::sweep_stale(dir);
    let mut tmp = TempFile::create_in(dir, mode_of(target.existing.as_ref()))?;
    tmp.write_all(bytes)?;
    if let Some(old) = &target.existing {
        keep_mode_and_owner(tmp.file(), old);
    }
    tmp.file().sync_all()?;
    tmp.persist(&target.path)?;
    sync_folder(dir);
    Ok(())
}

/// Writes a new file at `path`, whole or not at all; an existing file (or anything else
/// at that name) is never replaced: `Ok(false)` then.
pub(crate) fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Ok(false);
    }
    let dir = folder_of(path)?;
    temp::sweep_stale(dir);
    let mut tmp = TempFile::create_in(dir, 0o666)?;
    tmp.write_all(bytes)?;
    tmp.file().sync_all()?;
    match tmp.persist_new(path) {
        Ok(()) => {
            sync_folder(dir);
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

/// Why [`replace_checked`] left a file as it was (or, for `Damaged`, could not).
#[derive(Debug)]
pub enum ReplaceError {
    /// Its mode gives its owner no write permission.
    ReadOnly,
    /// Its bytes are no longer the ones formatted: it was saved meanwhile.
    Changed,
    /// It is not a regular file (any more).
    NotRegular(&'static str),
    Io(std::io::Error),
    /// Rewriting a hard-linked file in place failed half-way and its former content
    /// could not be put back: that content is in `backup`.
    Damaged {
        backup: PathBuf,
        error: std::io::Error,
    },
}

impl From<std::io::Error> for ReplaceError {
    fn from(e: std::io::Error) -> ReplaceError {
        ReplaceError::Io(e)
    }
}

impl std::fmt::Display for ReplaceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReplaceError::ReadOnly => write!(
                f,
                "read-only: not reformatted (make it writable to format it)"
            ),
            ReplaceError::Changed => write!(
                f,
                "changed while formatting: not written (run opsplan fmt again)"
            ),
            ReplaceError::NotRegular(kind) => {
                write!(f, "is {kind}, not a regular file: not written")
            }
            ReplaceError::Io(e) => write!(f, "cannot be written: {e}"),
            ReplaceError::Damaged { backup, error } => write!(
                f,
                "cannot be written: {error}; the file may be incomplete: its former content is in {}",
                backup.display()
            ),
        }
    }
}

/// Whether a file's mode gives its owner no write permission (`chmod a-w`, `chmod 444`).
/// The mode bits, not `access(2)`: root may write anything, and would rewrite a file its
/// owner protected.
pub fn is_read_only(meta: &Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o200 == 0
    }
    #[cfg(not(unix))]
    {
        meta.permissions().readonly()
    }
}

/// Whether the regular file at `path` holds exactly `bytes`.
fn holds(path: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() || meta.len() != bytes.len() as u64 {
        return Ok(false);
    }
    let mut now = Vec::with_capacity(bytes.len());
    std::fs::File::open(path)?
        .take(bytes.len() as u64 + 1)
        .read_to_end(&mut now)?;
    Ok(now == bytes)
}

/// `opsplan fmt`'s write: replaces the file at `path` by `new`, provided it still holds
/// `read` (the bytes that were formatted), checked last before the file is replaced.
///
/// - A symbolic link is written through: its target is replaced, the link stays.
/// - A read-only file (no write bit for its owner) is refused, whoever runs opsplan.
/// - A file with one name is replaced by a rename of a temporary file beside it (mode and,
///   when allowed, owner kept): readers see the old file or the new, never half of one.
/// - A file with several names (hard links) is rewritten in place, so that every name
///   sees the new text: first a backup copy beside it (`temp::BACKUP_PREFIX`) is written
///   and synced, then, holding the temporary register's lock (a signal waits), the bytes
///   are checked once more, written, truncated and synced; the backup is removed after.
///   When the rewrite fails, the former bytes are written back; if even that fails, the
///   backup is kept and named in the error.
pub fn replace_checked(path: &Path, read: &[u8], new: &[u8]) -> Result<(), ReplaceError> {
    let target = if std::fs::symlink_metadata(path)?.is_symlink() {
        std::fs::canonicalize(path)?
    } else {
        path.to_path_buf()
    };
    let meta = std::fs::metadata(&target)?;
    if !meta.is_file() {
        return Err(ReplaceError::NotRegular(kind_of(&meta)));
    }
    if is_read_only(&meta) {
        return Err(ReplaceError::ReadOnly);
    }
    let dir = folder_of(&target)?;
    temp::sweep_stale(dir);
    let still = || -> Result<(), ReplaceError> {
        if holds(&target, read)? {
            Ok(())
        } else {
            Err(ReplaceError::Changed)
        }
    };
    if links(&meta) > 1 {
        return rewrite_in_place(&target, dir, read, new, still);
    }
    let mut tmp = TempFile::create_in(dir, mode_of(Some(&meta)))?;
    tmp.write_all(new)?;
    keep_mode_and_owner(tmp.file(), &meta);
    tmp.file().sync_all()?;
    tmp.persist_checked(&target, still).map_err(|e| match e {
        temp::PersistError::Check(e) => e,
        temp::PersistError::Io(e) => ReplaceError::Io(e),
    })?;
    sync_folder(dir);
    Ok(())
}

fn links(meta: &Metadata) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta.nlink()
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        1
    }
}

/// The hard-linked case of [`replace_checked`].
fn rewrite_in_place(
    target: &Path,
    dir: &Path,
    read: &[u8],
    new: &[u8],
    still: impl FnOnce() -> Result<(), ReplaceError>,
) -> Result<(), ReplaceError> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut backup = TempFile::create_backup(dir, &name, 0o600)?;
    backup.write_all(read)?;
    backup.file().sync_all()?;
    sync_folder(dir);
    let outcome = {
        let mut register = temp::lock();
        if temp::terminating() {
            drop(register);
            temp::wait_for_the_end();
        }
        match still() {
            Err(e) => Err(e),
            Ok(()) => match std::fs::OpenOptions::new().write(true).open(target) {
                Err(e) => Err(ReplaceError::Io(e)),
                Ok(mut file) => {
                    let write = |f: &mut std::fs::File, bytes: &[u8]| -> std::io::Result<()> {
                        f.rewind()?;
                        f.write_all(bytes)?;
                        f.set_len(bytes.len() as u64)?;
                        f.sync_all()
                    };
                    match write(&mut file, new) {
                        Ok(()) => Ok(()),
                        Err(error) => match write(&mut file, read) {
                            Ok(()) => Err(ReplaceError::Io(error)),
                            Err(_) => Err(ReplaceError::Damaged {
                                backup: backup.keep(&mut register),
                                error,
                            }),
                        },
                    }
                }
            },
        }
    };
    // The backup (unless kept) is removed here, the register's lock released.
    drop(backup);
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_file_saved_while_formatting_is_left_as_saved() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("w.plan");
        std::fs::write(&f, "plan  P {}\n").unwrap();
        let read = std::fs::read(&f).unwrap();
        // The editor saves between the read and the write.
        std::fs::write(&f, "plan  P { } // edited\n").unwrap();
        match replace_checked(&f, &read, b"plan P {}\n") {
            Err(ReplaceError::Changed) => {}
            other => panic!("{other:?}"),
        }
        assert_eq!(
            std::fs::read_to_string(&f).unwrap(),
            "plan  P { } // edited\n"
        );
        assert_eq!(names(dir.path()), ["w.plan"], "no temporary left");
        // The same with a second name: the in-place path checks too.
        let other = dir.path().join("other.plan");
        std::fs::hard_link(&f, &other).unwrap();
        match replace_checked(&f, &read, b"plan P {}\n") {
            Err(ReplaceError::Changed) => {}
            other => panic!("{other:?}"),
        }
        assert_eq!(
            std::fs::read_to_string(&other).unwrap(),
            "plan  P { } // edited\n"
        );
        assert_eq!(
            names(dir.path()),
            ["other.plan", "w.plan"],
            "backup removed"
        );
        // A file cut to the same length but other bytes is a change as well.
        std::fs::remove_file(&other).unwrap();
        std::fs::write(&f, "plan  Q {}\n").unwrap();
        assert!(matches!(
            replace_checked(&f, &read, b"plan P {}\n"),
            Err(ReplaceError::Changed)
        ));
    }

    #[test]
    fn an_unchanged_file_is_replaced_and_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("w.plan");
        std::fs::write(&f, "plan  P {}\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        replace_checked(&f, b"plan  P {}\n", b"plan P {}\n").unwrap();
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "plan P {}\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o640);
        }
        assert_eq!(names(dir.path()), ["w.plan"]);
    }

    #[cfg(unix)]
    #[test]
    fn hard_links_see_the_new_text_and_a_link_writes_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("w.plan");
        let other = dir.path().join("copy.plan");
        let link = dir.path().join("link.plan");
        std::fs::write(&f, "plan  P {}\n").unwrap();
        std::fs::hard_link(&f, &other).unwrap();
        replace_checked(&f, b"plan  P {}\n", b"plan P {}\n").unwrap();
        assert_eq!(std::fs::read_to_string(&other).unwrap(), "plan P {}\n");
        std::os::unix::fs::symlink("w.plan", &link).unwrap();
        replace_checked(&link, b"plan P {}\n", b"plan P { }\n").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(std::fs::read_to_string(&other).unwrap(), "plan P { }\n");
        assert_eq!(names(dir.path()), ["copy.plan", "link.plan", "w.plan"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_file_is_refused_by_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("w.plan");
        std::fs::write(&f, "plan  P {}\n").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o444)).unwrap();
        assert!(matches!(
            replace_checked(&f, b"plan  P {}\n", b"plan P {}\n"),
            Err(ReplaceError::ReadOnly)
        ));
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "plan  P {}\n");
    }

    #[test]
    fn an_output_may_not_be_an_input_or_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("w.plan");
        std::fs::write(&plan, "x").unwrap();
        let mut inputs = Inputs::new();
        inputs.add(&plan, crate::workspace::inputs::Role::Plan);
        let e = check_output("-o", &plan, &inputs).err().unwrap();
        assert!(
            e.ends_with("w.plan is an input of this run (read as a plan): nothing written"),
            "{e}"
        );
        let e = check_output("-o", dir.path(), &inputs).err().unwrap();
        assert!(e.contains("is a folder, not a regular file"), "{e}");
        let new = dir.path().join("out.html");
        assert!(check_output("-o", &new, &inputs).is_ok());
        write_output("-o", &new, b"<html>", &inputs).unwrap();
        assert!(
            check_output("-o", &new, &inputs).is_ok(),
            "an earlier output"
        );
    }
}
