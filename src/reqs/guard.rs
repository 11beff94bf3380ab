//! Third-party readers run under a guard: a panic inside calamine, zip or quick-xml while
//! reading an export is a problem with that input, reported as one finding, never a crash
//! and never panic text on standard error.
//!
//! [`quietly`] runs a closure under `catch_unwind` with this thread's panic output
//! silenced: the first use installs (once) a panic hook that stays silent on a thread
//! inside [`quietly`], remembering the panic's message and place for the finding, and
//! hands every other panic to the hook that was installed before it (the default one, or
//! the binary's own). A hook installed later can ask [`quiet_now`] to stay silent too.
//! The importers check what they can themselves first (cell references, sheet sizes), so
//! the guard is the backstop, not the rule.

use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static QUIET: Cell<usize> = const { Cell::new(0) };
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
}

static INSTALL: Once = Once::new();

/// True while this thread runs a third-party reader under [`quietly`]: a panic hook should
/// print nothing (the panic is caught and reported as a finding).
pub fn quiet_now() -> bool {
    QUIET.with(|q| q.get() > 0)
}

fn install() {
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if quiet_now() {
                let message = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic".to_string());
                let place = info
                    .location()
                    .map(|l| format!(" ({}:{})", short_path(l.file()), l.line()))
                    .unwrap_or_default();
                CAUGHT.with(|c| *c.borrow_mut() = Some(format!("{message}{place}")));
            } else {
                previous(info);
            }
        }));
    });
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

/// What a third-party reader's panic said, and where it was raised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderPanic {
    /// The panic message and its place in the reader's source (`attempt to multiply with
    /// overflow (calamine-0.35.0/src/xlsx/mod.rs:1880)`).
    pub detail: String,
}

/// Runs `f` (a call into a third-party reader) with this thread's panic output silenced;
/// a panic becomes `Err` with what it said.
pub fn quietly<T>(f: impl FnOnce() -> T) -> Result<T, ReaderPanic> {
    install();
    QUIET.with(|q| q.set(q.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(q.get() - 1));
    result.map_err(|_| ReaderPanic {
        detail: CAUGHT
            .with(|c| c.borrow_mut().take())
            .unwrap_or_else(|| "a panic".to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_caught_with_its_message_and_place() {
        let r: Result<(), _> = quietly(|| panic!("boom {}", 7));
        let e = r.unwrap_err();
        assert!(e.detail.starts_with("boom 7 ("), "{}", e.detail);
        assert!(e.detail.contains("src/reqs/guard.rs:"), "{}", e.detail);
        assert!(!quiet_now());
        assert_eq!(quietly(|| 5), Ok(5));
        // Nested guards: the inner panic is the inner one's.
        let outer = quietly(|| quietly(|| -> u8 { panic!("inner") }).is_err());
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
}
