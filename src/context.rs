//! Which input each thread is working on, for the one line a panic prints.
//!
//! A panic is a bug in opsplan or in a crate it uses, never an answer. When one happens,
//! the user must learn which input triggered it (to report it, and to know which file
//! the run could not judge), not read a Rust backtrace. The readers set a label with
//! [`reading`] for as long as they work on a file; [`crate::par::map_ordered`] carries the
//! caller's label into its worker threads; the binary's panic hook (`cli::panic`) reads it
//! with [`current`].
//!
//! It also carries the run's progress ([`progress`], [`Phase`]): the library says which
//! phase it enters, the binary (`cli::progress`) shows it, after a second, as a spinner
//! on a terminal; the library draws nothing itself.

use std::cell::RefCell;
use std::sync::{Arc, RwLock};

thread_local! {
    static CURRENT: RefCell<Option<String>> = const { RefCell::new(None) };
    static CONTAINING: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Restores the previous label when dropped.
#[must_use = "the label lasts as long as the guard"]
pub struct Guard {
    previous: Option<String>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        let previous = self.previous.take();
        CURRENT.with(|c| *c.borrow_mut() = previous);
    }
}

/// Labels the work this thread does until the guard is dropped: `reading("a.reqif")`.
pub fn reading(label: impl Into<String>) -> Guard {
    let label = label.into();
    let previous = CURRENT.with(|c| c.borrow_mut().replace(label));
    Guard { previous }
}

/// The label of the innermost [`reading`] still alive on this thread.
pub fn current() -> Option<String> {
    CURRENT.with(|c| c.borrow().clone())
}

/// Sets `label` (from another thread's [`current`]) on this thread, if any.
pub fn inherit(label: Option<String>) -> Option<Guard> {
    label.map(reading)
}

static INSTALL: std::sync::Once = std::sync::Once::new();

thread_local! {
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs (once) a panic hook that, on a thread inside [`contain_panic`], prints nothing
/// and remembers the panic's message and place for the finding; every other panic goes to
/// the hook installed before it (the default one, or the binary's own `cli::panic`).
fn install() {
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if containing() {
                let place = info
                    .location()
                    .map(|l| format!(" ({}:{})", short_path(l.file()), l.line()))
                    .unwrap_or_default();
                let message = payload_text(info.payload());
                CAUGHT.with(|c| *c.borrow_mut() = Some(format!("{message}{place}")));
            } else {
                previous(info);
            }
        }));
    });
}

/// What a panic's payload says.
pub fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}

/// The crate and file of a source path (`calamine-0.35.0/src/xlsx/mod.rs`), not the
/// machine's folders.
fn short_path(file: &str) -> String {
    let parts: Vec<&str> = file.split(['/', '\\']).collect();
    match parts.iter().rposition(|p| *p == "src") {
        Some(i) => parts[i.saturating_sub(1)..].join("/"),
        None => parts.last().copied().unwrap_or(file).to_string(),
    }
}

/// Runs third-party code that reads hostile bytes (calamine, zip, quick-xml, csv), turning
/// a panic into `Err(what it said and where, "attempt to multiply with overflow
/// (calamine-0.35.0/src/xlsx/mod.rs:1880)")`: a problem with the file, reported as a
/// finding, not a crash. While it runs this thread's panic output is silenced, so no
/// panic text reaches the user. The importers check what they can themselves first (cell
/// references, sheet sizes); this is the backstop. It is the only `catch_unwind` of the
/// library.
pub fn contain_panic<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install();
    CONTAINING.with(|c| c.set(c.get() + 1));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    CONTAINING.with(|c| c.set(c.get() - 1));
    result.map_err(|payload| {
        CAUGHT
            .with(|c| c.borrow_mut().take())
            .unwrap_or_else(|| payload_text(&*payload))
    })
}

/// True inside [`contain_panic`] on this thread: a panic here is expected and handled.
pub fn containing() -> bool {
    CONTAINING.with(|c| c.get() > 0)
}

/// A phase of a run, as [`progress`] reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading source files (this many in the wave).
    Reading { files: usize },
    /// Parsing this many files.
    Parsing { files: usize },
    /// Reading requirement exports (this many files).
    Importing { files: usize },
    /// Resolving names and times, then the checks and the flight rules.
    Checking,
    /// Tracing to the requirements.
    Tracing,
    /// Rendering the output or report.
    Rendering,
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let files = |n: &usize| if *n == 1 { "file" } else { "files" };
        match self {
            Phase::Reading { files: n } => write!(f, "reading {n} {}", files(n)),
            Phase::Parsing { files: n } => write!(f, "parsing {n} {}", files(n)),
            Phase::Importing { files: n } => {
                write!(
                    f,
                    "importing {n} requirement export{}",
                    if *n == 1 { "" } else { "s" }
                )
            }
            Phase::Checking => f.write_str("checking"),
            Phase::Tracing => f.write_str("tracing"),
            Phase::Rendering => f.write_str("rendering"),
        }
    }
}

type Sink = Arc<dyn Fn(Phase) + Send + Sync>;

static SINK: RwLock<Option<Sink>> = RwLock::new(None);

/// Says that the run enters `phase`, to the sink set by [`on_progress`] (none: nothing
/// happens). Any thread may call it.
pub fn progress(phase: Phase) {
    let sink = SINK.read().unwrap_or_else(|e| e.into_inner()).clone();
    if let Some(sink) = sink {
        sink(phase);
    }
}

/// Removes the progress sink when dropped.
#[must_use = "the sink is removed when the guard is dropped"]
pub struct ProgressGuard(());

impl Drop for ProgressGuard {
    fn drop(&mut self) {
        *SINK.write().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

/// Sends every [`progress`] of the process to `sink` until the guard is dropped.
pub fn on_progress(sink: impl Fn(Phase) + Send + Sync + 'static) -> ProgressGuard {
    *SINK.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(sink));
    ProgressGuard(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_goes_to_the_sink_while_its_guard_lives() {
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let keep = Arc::clone(&seen);
        let guard = on_progress(move |p| keep.lock().unwrap().push(p.to_string()));
        progress(Phase::Parsing { files: 3 });
        crate::par::map_ordered(&[1], |_| progress(Phase::Checking));
        drop(guard);
        // A count no other test's run reports (the lib tests run in parallel).
        progress(Phase::Importing { files: 987_654 });
        let seen = seen.lock().unwrap();
        assert!(seen.contains(&"parsing 3 files".to_string()), "{seen:?}");
        assert!(seen.contains(&"checking".to_string()), "{seen:?}");
        assert!(
            !seen.iter().any(|s| s.contains("987654")),
            "after the guard: {seen:?}"
        );
    }

    #[test]
    fn guards_nest_and_restore() {
        assert_eq!(current(), None);
        {
            let _a = reading("a.plan");
            assert_eq!(current().as_deref(), Some("a.plan"));
            {
                let _b = reading("b.reqif");
                assert_eq!(current().as_deref(), Some("b.reqif"));
            }
            assert_eq!(current().as_deref(), Some("a.plan"));
        }
        assert_eq!(current(), None);
    }

    #[test]
    fn a_contained_panic_is_a_value() {
        let r: Result<(), String> = contain_panic(|| panic!("bad cell {}", 7));
        let e = r.unwrap_err();
        assert!(e.starts_with("bad cell 7 ("), "{e}");
        assert!(e.contains("src/context.rs:"), "{e}");
        assert!(!containing());
        assert_eq!(contain_panic(|| 5), Ok(5));
        // Nested: the inner panic is the inner one's.
        let outer = contain_panic(|| contain_panic(|| -> u8 { panic!("inner") }).is_err());
        assert_eq!(outer, Ok(true));
    }

    #[test]
    fn short_paths_keep_the_crate_and_file() {
        assert_eq!(
            short_path("/home/x/.cargo/registry/src/index/calamine-0.35.0/src/xlsx/mod.rs"),
            "calamine-0.35.0/src/xlsx/mod.rs"
        );
        assert_eq!(short_path("lib.rs"), "lib.rs");
    }

    #[test]
    fn workers_inherit_the_callers_label() {
        let _a = reading("mission");
        let seen = crate::par::map_ordered(&[1, 2, 3, 4, 5, 6, 7, 8], |_| current());
        assert!(seen.iter().all(|s| s.as_deref() == Some("mission")));
    }
}
