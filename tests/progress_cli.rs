//! The progress spinner (issue #19 item 7): on standard error, only when it is a
//! terminal, never with `--quiet`, and only for a run that lasts a second
//! (`OPSPLAN_PROGRESS_DELAY_MS` sets the delay; 0 shows it at once, for the tests).
//!
//! A terminal is faked with util-linux `script -qec CMD /dev/null`, which runs CMD on a
//! pseudo-terminal and copies what it writes. Where `script` is missing those tests check
//! the other side of the decision only (a pipe gets nothing); the decision function
//! itself has a unit test (`cli::progress`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_opsplan");

/// A folder holding one plan of `n` activities.
fn generated(n: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::from(
        "plan BIG \"Big\" {\n  horizon 2014/272 00:00 .. 2014/279 00:00\n  roles FD, GC\n",
    );
    for i in 0..n {
        text.push_str(&format!(
            "  activity A{i} \"Step {i}\" {{\n    at 2014/273 09:00 lasts 1m\n    by FD\n  }}\n"
        ));
    }
    text.push_str("}\n");
    let plan = dir.path().join("big.plan");
    std::fs::write(&plan, text).unwrap();
    (dir, plan)
}

/// `script` (util-linux), when installed.
fn script() -> Option<PathBuf> {
    let ok = Command::new("script")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then(|| PathBuf::from("script"))
}

/// Runs `opsplan ARGS` on a pseudo-terminal (stdout and stderr both on it) and returns
/// what it showed, carriage returns as line ends, and how long it took.
fn on_a_terminal(script: &Path, args: &[&str], delay_ms: Option<u64>) -> (String, Duration) {
    let command = std::iter::once(BIN)
        .chain(args.iter().copied())
        .collect::<Vec<_>>()
        .join(" ");
    let mut c = Command::new(script);
    c.args(["-qec", &command, "/dev/null"])
        .env("TERM", "xterm")
        .env_remove("OPSPLAN_PROGRESS_DELAY_MS")
        .stdin(Stdio::null());
    if let Some(ms) = delay_ms {
        c.env("OPSPLAN_PROGRESS_DELAY_MS", ms.to_string());
    }
    let started = Instant::now();
    let out = c.output().expect("script runs");
    let elapsed = started.elapsed();
    assert!(out.status.success(), "{out:?}");
    (
        String::from_utf8_lossy(&out.stdout).replace('\r', "\n"),
        elapsed,
    )
}

/// Whether the spinner was drawn: a phase with the elapsed time, `checking (0s)`.
fn spinner_shown(shown: &str) -> bool {
    ["reading ", "parsing ", "checking (", "rendering ("]
        .iter()
        .any(|phase| shown.lines().any(|l| l.contains(phase) && l.contains("s)")))
}

/// Without a terminal to fake: the spinner asked for at once still stays off a pipe.
fn no_terminal_no_spinner() {
    let (_dir, plan) = generated(2_000);
    let out = Command::new(BIN)
        .args(["check", plan.to_str().unwrap()])
        .env("OPSPLAN_PROGRESS_DELAY_MS", "0")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn a_pipe_gets_no_progress_even_at_once() {
    let (dir, plan) = generated(20_000);
    let plan = plan.to_str().unwrap();
    let report = dir.path().join("c.html");
    for args in [
        vec!["check", plan],
        vec![
            "report",
            "consistency",
            plan,
            "-o",
            report.to_str().unwrap(),
        ],
        vec!["reqs", "list", "requirements/atv-ops-requirements.reqif"],
    ] {
        let out = Command::new(BIN)
            .args(&args)
            .env("OPSPLAN_PROGRESS_DELAY_MS", "0")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains('\u{1b}'), "{args:?}: {err}");
        assert!(!spinner_shown(&err), "{args:?}: {err}");
        assert!(!err.contains('\r'), "{args:?}: {err}");
        if args[0] == "check" {
            assert_eq!(err, "", "{args:?}");
            assert_eq!(out.status.code(), Some(0));
        }
    }
}

#[test]
fn a_terminal_shows_the_phases_unless_quiet() {
    let Some(script) = script() else {
        eprintln!("`script` is not installed: the terminal side is not exercised");
        no_terminal_no_spinner();
        return;
    };
    let (dir, plan) = generated(5_000);
    let plan = plan.to_str().unwrap();
    let (shown, _) = on_a_terminal(&script, &["check", plan], Some(0));
    assert!(spinner_shown(&shown), "{shown}");
    // The spinner is cleared before the findings: the verdict is the last line, whole.
    assert!(
        shown
            .trim_end()
            .ends_with("pass: 0 errors, 0 warnings, 0 notes in 1 file"),
        "{shown}"
    );
    let (quiet, _) = on_a_terminal(&script, &["check", "--quiet", plan], Some(0));
    assert!(!spinner_shown(&quiet), "{quiet}");
    let report = dir.path().join("c.html");
    let report = report.to_str().unwrap();
    let (shown, _) = on_a_terminal(
        &script,
        &["report", "consistency", plan, "-o", report],
        Some(0),
    );
    assert!(spinner_shown(&shown), "{shown}");
    let (quiet, _) = on_a_terminal(
        &script,
        &["report", "consistency", "-q", plan, "-o", report],
        Some(0),
    );
    assert!(!spinner_shown(&quiet), "{quiet}");
}

#[test]
fn a_slow_run_shows_the_spinner_after_a_second_and_a_quick_one_never() {
    let Some(script) = script() else {
        eprintln!("`script` is not installed: the terminal side is not exercised");
        no_terminal_no_spinner();
        return;
    };
    // A quick run with the real delay: nothing.
    let (_small, plan) = generated(10);
    let (shown, elapsed) = on_a_terminal(&script, &["check", plan.to_str().unwrap()], None);
    if elapsed < Duration::from_millis(900) {
        assert!(!spinner_shown(&shown), "{shown}");
    }
    // A large plan: a couple of seconds in a debug build.
    let (_big, plan) = generated(100_000);
    let (shown, elapsed) = on_a_terminal(&script, &["check", plan.to_str().unwrap()], None);
    if elapsed >= Duration::from_millis(1500) {
        assert!(spinner_shown(&shown), "{elapsed:?}: {shown}");
    } else if elapsed < Duration::from_millis(900) {
        assert!(!spinner_shown(&shown), "{elapsed:?}: {shown}");
    }
}
