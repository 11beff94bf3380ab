//! Which input each thread is working on, for the one line a panic prints.
//!
//! A panic is a bug in opsplan or in a crate it uses, never an answer. When one happens,
//! the user must learn which input triggered it (to report it, and to know which file
//! the run could not judge), not read a Rust backtrace. The readers set a label with
//! [`reading`] for as long as they work on a file; [`crate::par::map_ordered`] carries the
//! caller's label into its worker threads; the binary's panic hook (`cli::panic`) reads it
//! with [`current`].

use std::cell::RefCell;

thread_local! {
    static CURRENT: RefCell<Option<String>> = const { RefCell::new(None) };
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn workers_inherit_the_callers_label() {
        let _a = reading("mission");
        let seen = crate::par::map_ordered(&[1, 2, 3, 4, 5, 6, 7, 8], |_| current());
        assert!(seen.iter().all(|s| s.as_deref() == Some("mission")));
    }
}
