//! The spinner on standard error of a long run (imports, checks, reports): it shows the
//! phase the library reports (`context::progress`) and the time spent, and appears only
//! after [`DELAY`], only when standard error is a terminal and never with `--quiet`, so
//! that a quick run, a pipe, a CI log or a file never receives it. It lives only while
//! the library works ([`during`]): it is cleared before the command prints anything, so
//! no message or output is ever written across it.
//!
//! `OPSPLAN_PROGRESS_DELAY_MS` sets the delay in milliseconds (the tests show the spinner
//! on a small input with 0); docs/security.md lists it.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::mpsc;
use std::time::Duration;

/// How long a run goes before its spinner appears.
pub(crate) const DELAY: Duration = Duration::from_secs(1);

/// Whether the spinner is drawn: on a terminal, without `--quiet`, once the run has
/// lasted `delay`.
pub(crate) fn visible(stderr_tty: bool, quiet: bool, elapsed: Duration, delay: Duration) -> bool {
    stderr_tty && !quiet && elapsed >= delay
}

/// The delay in force: [`DELAY`], or `OPSPLAN_PROGRESS_DELAY_MS`.
fn delay() -> Duration {
    std::env::var("OPSPLAN_PROGRESS_DELAY_MS")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map_or(DELAY, Duration::from_millis)
}

/// Runs `work` (a check, an import, a rendering) with a spinner that appears when it
/// lasts [`DELAY`] on a terminal, and is cleared when it returns.
pub(crate) fn during<T>(quiet: bool, work: impl FnOnce() -> T) -> T {
    let _spinner = Progress::start(quiet);
    work()
}

/// A run's spinner; dropping it clears it (and stops reporting the library's phases).
pub(crate) struct Progress {
    inner: Option<Inner>,
}

struct Inner {
    bar: ProgressBar,
    done: mpsc::Sender<()>,
    shower: Option<std::thread::JoinHandle<()>>,
    _sink: crate::context::ProgressGuard,
}

impl Progress {
    /// Starts the clock; the spinner is hidden until [`delay`] has passed, and never
    /// drawn when standard error is not a terminal or `quiet` is set.
    pub fn start(quiet: bool) -> Progress {
        let tty = std::io::stderr().is_terminal();
        // Decided now for the two cases that never show it: no thread, no sink.
        if !visible(tty, quiet, Duration::MAX, Duration::ZERO) {
            return Progress { inner: None };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message("starting");
        let shown = bar.clone();
        let sink = crate::context::on_progress(move |phase| {
            shown.set_message(crate::diag::terminal_safe(&phase.to_string()).into_owned())
        });
        let (done, finished) = mpsc::channel::<()>();
        let later = bar.clone();
        let delay = delay();
        let shower = std::thread::Builder::new()
            .name("opsplan-progress".into())
            .spawn(move || {
                // Shown only when the run is still going after the delay.
                if let Err(mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(delay) {
                    later.set_draw_target(ProgressDrawTarget::stderr());
                    later.enable_steady_tick(Duration::from_millis(120));
                }
            })
            .ok();
        Progress {
            inner: Some(Inner {
                bar,
                done,
                shower,
                _sink: sink,
            }),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(inner) = self.inner.take() {
            let _ = inner.done.send(());
            if let Some(t) = inner.shower {
                let _ = t.join();
            }
            inner.bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spinner_shows_only_on_a_terminal_without_quiet_after_the_delay() {
        let second = Duration::from_secs(1);
        assert!(visible(true, false, Duration::from_millis(1000), second));
        assert!(visible(true, false, Duration::from_secs(30), second));
        assert!(!visible(true, false, Duration::from_millis(999), second));
        assert!(!visible(false, false, Duration::from_secs(30), second));
        assert!(!visible(true, true, Duration::from_secs(30), second));
        assert!(!visible(false, true, Duration::from_secs(30), second));
        assert_eq!(DELAY, second);
    }
}
