//! The temporary files and folders outputs are written into before they are renamed into
//! place: their names, their removal on SIGINT, SIGTERM and SIGHUP, and the removal of
//! those a killed run left behind.
//!
//! **Names.** `.opsplan-tmp-<pid>-<random>` (a file beside `-o FILE`, a folder beside
//! `export --out DIR`), `<pid>` the process that made it. A temporary that exists is
//! listed in this module's register from before it is created until it is renamed or
//! removed.
//!
//! **Signals.** The first time a temporary is made, a thread is started that waits for
//! SIGINT, SIGTERM and SIGHUP (signal-hook's self-pipe: nothing but a write happens in the
//! handler itself). On a signal it takes the register's lock, removes every temporary
//! listed, and ends the process as the signal's default action would (so a shell sees
//! status 130, 143 or 129, and a script loop stops on Ctrl-C), still holding the lock: no
//! temporary can be created or renamed after the removal. A signal the process was started
//! ignoring (`nohup`, a background job of a script) stays ignored. Writers check
//! [`terminating`] between chunks, so they stop writing at once.
//!
//! **Stale temporaries.** SIGKILL, a crash or a power cut leave a temporary behind. The
//! next write into the same folder (once per folder and process) removes every
//! `.opsplan-tmp-<pid>-*` whose process is no longer running (`kill(pid, 0)` says it does
//! not exist). One of a running process, or of one this process cannot tell about, is left
//! alone.
//!
//! **Backups.** `opsplan fmt` rewriting a hard-linked file in place first copies it to
//! `.opsplan-backup-<pid>-<random>-<name>` beside it, and removes the copy once the file
//! is whole again. Those are never removed as stale: one is left only if the process was
//! killed while the file was being rewritten, and then it holds the file as it was.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

/// The name prefix of temporary files and folders.
pub const TEMP_PREFIX: &str = ".opsplan-tmp-";
/// The name prefix of `opsplan fmt`'s backup copies of hard-linked files.
pub const BACKUP_PREFIX: &str = ".opsplan-backup-";

/// Writers write this much between two looks at [`terminating`].
const CHUNK: usize = 1 << 20;

/// The temporaries that exist now, and the folders already swept of stale ones.
pub(crate) struct Register {
    live: Vec<PathBuf>,
    swept: std::collections::BTreeSet<PathBuf>,
}

static REGISTER: Mutex<Register> = Mutex::new(Register {
    live: Vec::new(),
    swept: std::collections::BTreeSet::new(),
});

/// Set by the signal handler itself, before the cleaning thread runs.
static TERMINATING: LazyLock<Arc<AtomicBool>> = LazyLock::new(|| Arc::new(AtomicBool::new(false)));

/// The register, locked. While it is held, a signal's cleaning waits: the holder may
/// create, rename or rewrite without the cleaning coming in between.
pub(crate) fn lock() -> MutexGuard<'static, Register> {
    REGISTER.lock().unwrap_or_else(|e| e.into_inner())
}

/// A signal was received: the process is about to end. A writer stops (and waits for it).
pub(crate) fn terminating() -> bool {
    TERMINATING.load(Ordering::SeqCst)
}

/// Gives way to the cleaning thread and never returns: called by a writer that sees
/// [`terminating`], after releasing the lock.
pub(crate) fn wait_for_the_end() -> ! {
    loop {
        std::thread::park();
    }
}

impl Register {
    fn add(&mut self, path: PathBuf) {
        self.live.push(path);
    }

    fn forget(&mut self, path: &Path) {
        if let Some(i) = self.live.iter().rposition(|p| p == path) {
            self.live.swap_remove(i);
        }
    }

    fn remove_all(&mut self) {
        for p in self.live.drain(..) {
            remove_any(&p);
        }
    }
}

/// Removes a file, or a folder and all it holds; a symbolic link is removed itself.
fn remove_any(path: &Path) {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            let _ = std::fs::remove_dir_all(path);
        }
        Ok(_) => {
            let _ = std::fs::remove_file(path);
        }
        Err(_) => {}
    }
}

/// Installs the signal handling now (`--watch`: Ctrl-C ends the watch the usual way, by
/// the signal, after the temporaries are removed).
pub(crate) fn install_signals() {
    install();
}

/// Installs the signal thread (once per process).
fn install() {
    #[cfg(unix)]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(install_unix);
    }
}

#[cfg(unix)]
fn install_unix() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let ignored = ignored_signals();
    let wanted: Vec<i32> = [SIGINT, SIGTERM, SIGHUP]
        .into_iter()
        .filter(|s| !ignored.contains(s))
        .collect();
    if wanted.is_empty() {
        return;
    }
    let Ok(mut signals) = signal_hook::iterator::Signals::new(&wanted) else {
        return;
    };
    let spawned = std::thread::Builder::new()
        .name("opsplan-signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                let mut register = lock();
                register.remove_all();
                // The lock is kept to the end: nothing is created or renamed after this.
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        });
    if spawned.is_ok() {
        for s in wanted {
            let _ = signal_hook::flag::register(s, Arc::clone(&TERMINATING));
        }
    }
}

/// The signals this process was started ignoring (`SigIgn` of /proc/self/status, Linux);
/// elsewhere none is known.
#[cfg(unix)]
fn ignored_signals() -> Vec<i32> {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return Vec::new();
    };
    let mask = status
        .lines()
        .find_map(|l| l.strip_prefix("SigIgn:"))
        .and_then(|m| u64::from_str_radix(m.trim(), 16).ok())
        .unwrap_or(0);
    (1..=64).filter(|s| mask & (1u64 << (s - 1)) != 0).collect()
}

/// Whether process `pid` may still be running: `false` only when the system says it
/// does not exist.
fn running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(unix)]
    {
        let Some(p) = i32::try_from(pid)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        else {
            return true;
        };
        !matches!(
            rustix::process::test_kill_process(p),
            Err(e) if e == rustix::io::Errno::SRCH
        )
    }
    #[cfg(not(unix))]
    {
        true
    }
}

/// The process id in a temporary's name, if it is one.
pub(crate) fn pid_of(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(TEMP_PREFIX)?;
    let (pid, random) = rest.split_once('-')?;
    if random.is_empty() || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// Removes the temporaries of processes no longer running from `dir` (once per folder
/// and process).
pub(crate) fn sweep_stale(dir: &Path) {
    let key = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    if !lock().swept.insert(key) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(pid_of) else {
            continue;
        };
        if !running(pid) {
            remove_any(&e.path());
        }
    }
}

/// `.opsplan-tmp-<pid>-` (or the backup prefix) for this process.
fn prefix(kind: &str) -> String {
    format!("{kind}{}-", std::process::id())
}

/// A temporary file, listed in the register until it is renamed or dropped (then
/// removed).
pub(crate) struct TempFile {
    path: PathBuf,
    file: File,
    done: bool,
}

impl TempFile {
    /// A new, empty temporary file in `dir`, with Unix mode `mode` (before the umask).
    pub(crate) fn create_in(dir: &Path, mode: u32) -> std::io::Result<TempFile> {
        TempFile::create_named(dir, &prefix(TEMP_PREFIX), "", mode)
    }

    /// A backup copy's file in `dir`, named after `name` when the name stays short.
    pub(crate) fn create_backup(dir: &Path, name: &str, mode: u32) -> std::io::Result<TempFile> {
        let suffix = if name.len() <= 160 {
            format!("-{name}")
        } else {
            String::new()
        };
        TempFile::create_named(dir, &prefix(BACKUP_PREFIX), &suffix, mode)
    }

    fn create_named(
        dir: &Path,
        prefix: &str,
        suffix: &str,
        mode: u32,
    ) -> std::io::Result<TempFile> {
        install();
        let mut builder = tempfile::Builder::new();
        builder.prefix(prefix).suffix(suffix).rand_bytes(8);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(mode));
        }
        #[cfg(not(unix))]
        let _ = mode;
        let mut register = lock();
        if terminating() {
            drop(register);
            wait_for_the_end();
        }
        let (file, path) = builder
            .tempfile_in(dir)
            .map_err(plain)?
            .keep()
            .map_err(|e| plain(e.error))?;
        register.add(path.clone());
        Ok(TempFile {
            path,
            file,
            done: false,
        })
    }

    #[cfg(test)]
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn file(&self) -> &File {
        &self.file
    }

    /// Keeps the file where it is (it is no temporary any more); the register is locked
    /// by the caller.
    pub(crate) fn keep(&mut self, register: &mut Register) -> PathBuf {
        register.forget(&self.path);
        self.done = true;
        self.path.clone()
    }

    /// Writes all of `bytes`, a chunk at a time; stops for good when a signal came.
    pub(crate) fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        write_chunks(&mut self.file, bytes)
    }

    /// Renames the file onto `to`, replacing it; `check` runs just before, under the
    /// register's lock (a signal's cleaning cannot come between them): an `Err` from it
    /// leaves `to` untouched and removes the temporary.
    pub(crate) fn persist_checked<E>(
        mut self,
        to: &Path,
        check: impl FnOnce() -> Result<(), E>,
    ) -> Result<(), PersistError<E>> {
        let mut register = lock();
        if terminating() {
            drop(register);
            wait_for_the_end();
        }
        check().map_err(PersistError::Check)?;
        std::fs::rename(&self.path, to).map_err(PersistError::Io)?;
        register.forget(&self.path);
        self.done = true;
        Ok(())
    }

    /// Renames the file onto `to`, replacing it.
    pub(crate) fn persist(self, to: &Path) -> std::io::Result<()> {
        self.persist_checked(to, || Ok::<(), std::convert::Infallible>(()))
            .map_err(|e| match e {
                PersistError::Io(e) => e,
                PersistError::Check(never) => match never {},
            })
    }

    /// Gives the file the name `to` unless `to` exists (`AlreadyExists` then).
    pub(crate) fn persist_new(mut self, to: &Path) -> std::io::Result<()> {
        let mut register = lock();
        if terminating() {
            drop(register);
            wait_for_the_end();
        }
        match std::fs::hard_link(&self.path, to) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(e),
            Err(_) if std::fs::symlink_metadata(to).is_ok() => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "exists",
                ))
            }
            // A file system without hard links: the check above, then a rename.
            Err(_) => std::fs::rename(&self.path, to)?,
        }
        let _ = std::fs::remove_file(&self.path);
        register.forget(&self.path);
        self.done = true;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.done {
            let mut register = lock();
            let _ = std::fs::remove_file(&self.path);
            register.forget(&self.path);
        }
    }
}

/// Why [`TempFile::persist_checked`] did not rename.
pub(crate) enum PersistError<E> {
    Check(E),
    Io(std::io::Error),
}

/// Writes `bytes` a chunk at a time, stopping for good when a signal came.
pub(crate) fn write_chunks(file: &mut File, bytes: &[u8]) -> std::io::Result<()> {
    for chunk in bytes.chunks(CHUNK) {
        if terminating() {
            wait_for_the_end();
        }
        file.write_all(chunk)?;
    }
    Ok(())
}

/// A temporary folder, listed in the register until it is renamed or dropped (then
/// removed with everything in it).
pub(crate) struct TempDir {
    path: PathBuf,
    done: bool,
}

impl TempDir {
    pub(crate) fn create_in(dir: &Path) -> std::io::Result<TempDir> {
        install();
        let mut register = lock();
        if terminating() {
            drop(register);
            wait_for_the_end();
        }
        let path = tempfile::Builder::new()
            .prefix(&prefix(TEMP_PREFIX))
            .rand_bytes(8)
            .tempdir_in(dir)
            .map_err(plain)?
            .keep();
        register.add(path.clone());
        Ok(TempDir { path, done: false })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// A new file at `relative` inside the folder (its folders created), holding
    /// `bytes`, synced. Created under the register's lock, so a signal's cleaning never
    /// races a new entry.
    pub(crate) fn write_file(&self, relative: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.path.join(relative);
        let mut file = {
            let _register = lock();
            if terminating() {
                drop(_register);
                wait_for_the_end();
            }
            if let Some(p) = path.parent() {
                std::fs::create_dir_all(p)?;
            }
            File::create_new(&path)?
        };
        write_chunks(&mut file, bytes)?;
        file.sync_all()
    }

    /// Renames the folder onto `to` (which must not exist, or be an empty folder).
    pub(crate) fn persist(mut self, to: &Path) -> std::io::Result<()> {
        let mut register = lock();
        if terminating() {
            drop(register);
            wait_for_the_end();
        }
        std::fs::rename(&self.path, to).or_else(|e| {
            // Where renaming onto an empty folder is refused (not POSIX), remove it first.
            if to.is_dir() && std::fs::remove_dir(to).is_ok() {
                std::fs::rename(&self.path, to)
            } else {
                Err(e)
            }
        })?;
        register.forget(&self.path);
        self.done = true;
        Ok(())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !self.done {
            let mut register = lock();
            let _ = std::fs::remove_dir_all(&self.path);
            register.forget(&self.path);
        }
    }
}

/// An error without the temporary's path in its text (tempfile adds it): the user named
/// the output, not the temporary.
fn plain(e: std::io::Error) -> std::io::Error {
    let text = match e.raw_os_error() {
        Some(code) => std::io::Error::from_raw_os_error(code).to_string(),
        None => e.kind().to_string(),
    };
    std::io::Error::new(e.kind(), text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_temporary_name_holds_its_process_id() {
        assert_eq!(pid_of(".opsplan-tmp-1234-AbCd1234"), Some(1234));
        assert_eq!(pid_of(".opsplan-tmp-1234-"), None);
        assert_eq!(pid_of(".opsplan-tmp-12x4-AbCd"), None);
        assert_eq!(pid_of(".opsplan-backup-1234-AbCd"), None);
        assert_eq!(pid_of("report.html"), None);
        let dir = tempfile::tempdir().unwrap();
        let t = TempFile::create_in(dir.path(), 0o644).unwrap();
        let name = t.path().file_name().unwrap().to_str().unwrap().to_string();
        assert_eq!(pid_of(&name), Some(std::process::id()), "{name}");
    }

    #[test]
    fn a_dropped_temporary_is_removed_and_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let t = TempFile::create_in(dir.path(), 0o644).unwrap();
        let path = t.path().to_path_buf();
        assert!(lock().live.contains(&path));
        drop(t);
        assert!(!path.exists());
        assert!(!lock().live.contains(&path));
        let d = TempDir::create_in(dir.path()).unwrap();
        d.write_file("a/b.txt", b"x").unwrap();
        let path = d.path().to_path_buf();
        drop(d);
        assert!(!path.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn the_cleaning_a_signal_runs_removes_every_live_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let mut f = TempFile::create_in(dir.path(), 0o644).unwrap();
        f.write_all(b"partial").unwrap();
        let d = TempDir::create_in(dir.path()).unwrap();
        d.write_file("calendars/FD.ics", b"partial").unwrap();
        let (fp, dp) = (f.path().to_path_buf(), d.path().to_path_buf());
        {
            // What the signal thread does before ending the process, on this test's
            // temporaries only (other tests run beside it in this process).
            let mut register = lock();
            let ours: Vec<PathBuf> = register
                .live
                .iter()
                .filter(|p| **p == fp || **p == dp)
                .cloned()
                .collect();
            assert_eq!(ours.len(), 2);
            register.live.retain(|p| !ours.contains(p));
            let mut only = Register {
                live: ours,
                swept: Default::default(),
            };
            only.remove_all();
        }
        assert!(!fp.exists() && !dp.exists());
        drop((f, d));
    }

    #[test]
    fn stale_temporaries_of_dead_processes_are_swept_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let stale = dir.path().join(format!(".opsplan-tmp-{dead}-AbCdEf12"));
        let stale_dir = dir.path().join(format!(".opsplan-tmp-{dead}-XyZ12345"));
        let mine = dir
            .path()
            .join(format!(".opsplan-tmp-{}-AbCdEf12", std::process::id()));
        let backup = dir
            .path()
            .join(format!(".opsplan-backup-{dead}-AbCdEf12-w.plan"));
        std::fs::write(&stale, "x").unwrap();
        std::fs::create_dir(&stale_dir).unwrap();
        std::fs::write(stale_dir.join("plan.json"), "x").unwrap();
        std::fs::write(&mine, "x").unwrap();
        std::fs::write(&backup, "x").unwrap();
        sweep_stale(dir.path());
        assert!(!stale.exists() && !stale_dir.exists());
        assert!(mine.exists(), "a running process's temporary is kept");
        assert!(backup.exists(), "a backup is never swept");
        // Once per folder: a second sweep does not read it again.
        std::fs::write(&stale, "x").unwrap();
        sweep_stale(dir.path());
        assert!(stale.exists());
    }
}
