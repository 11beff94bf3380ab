//! `--watch` as users run it (issue #19 item 5): `opsplan check --watch` and `opsplan
//! report … -o FILE --watch` run again when an input is saved (an edit, a new file in a
//! folder searched, the project file), keep watching after a run that fails with exit 2,
//! never run again because of their own output, replace the report whole each time, and
//! write no terminal escape when standard output is not a terminal.
//!
//! Each test starts the binary, reads its standard output line by line on a thread, and
//! waits for each summary line with a timeout (a test never hangs), then kills it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long a run may take to be seen (the machine may be busy with other builds).
const PATIENCE: Duration = Duration::from_secs(30);

const PLAN: &str = r#"plan W "Watch" {
  horizon 2014/272 00:00 .. 2014/279 00:00
  roles FD, GC
  activity A1 "Prepare" {
    at 2014/273 09:00
    lasts 40m
    by FD
  }
  activity A2 "Close valves" {
    at 2014/273 10:00 lasts 30m
    by GC
  }
}
"#;

/// A running `opsplan … --watch` and the lines of its standard output.
struct Watch {
    child: Child,
    lines: mpsc::Receiver<String>,
    /// Every line read so far.
    seen: Vec<String>,
}

impl Watch {
    fn start(dir: &Path, args: &[&str]) -> Watch {
        let mut child = Command::new(env!("CARGO_BIN_EXE_opsplan"))
            .args(args)
            .current_dir(dir)
            .env_remove("NO_COLOR")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("opsplan starts");
        let stdout = child.stdout.take().expect("piped");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Watch {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// The lines up to and including the next summary line (`[watch …`), or a failure
    /// showing everything read when none comes within [`PATIENCE`].
    fn next_run(&mut self) -> Vec<String> {
        let deadline = Instant::now() + PATIENCE;
        let mut run = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    let done = line.starts_with("[watch ");
                    run.push(line);
                    if done {
                        return run;
                    }
                }
                Err(_) => panic!(
                    "no summary line within {PATIENCE:?}; output so far:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// Whether another summary line comes within `wait` (it must not).
    fn quiet_for(&mut self, wait: Duration) -> bool {
        let deadline = Instant::now() + wait;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.starts_with("[watch ") {
                        return false;
                    }
                }
                Err(_) => break,
            }
        }
        true
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        // The process this test started, by its handle.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn summary(run: &[String]) -> &str {
    run.last().expect("a summary line")
}

fn mission() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = dir.path().join("m");
    std::fs::create_dir_all(&m).unwrap();
    std::fs::write(m.join("week.plan"), PLAN).unwrap();
    (dir, m)
}

/// Writes `text` over `path` as an editor saving it would.
fn save(path: &Path, text: &str) {
    std::fs::write(path, text).expect("saved");
}

#[test]
fn check_watch_runs_again_on_each_save_and_on_a_new_file_in_a_folder_searched() {
    let (dir, m) = mission();
    let mut w = Watch::start(dir.path(), &["check", "--watch", "--color", "never", "m"]);
    let first = w.next_run();
    assert!(
        first
            .iter()
            .any(|l| l == "pass: 0 errors, 0 warnings, 0 notes in 1 file"),
        "{first:?}"
    );
    let line = summary(&first);
    assert!(
        line.contains("] pass: 0 errors, 0 warnings, 0 notes in 1 file ("),
        "{line}"
    );
    assert!(line.ends_with(", Ctrl-C to stop"), "{line}");

    // An error: the findings as usual, then the summary of the failure.
    save(&m.join("week.plan"), &PLAN.replace("by GC", "by XX"));
    let second = w.next_run();
    assert!(second.iter().any(|l| l.contains("XX")), "{second:?}");
    assert!(
        summary(&second).contains("] fail: 1 error, 0 warnings, 0 notes in 1 file ("),
        "{second:?}"
    );

    // Fixed: a pass again.
    save(&m.join("week.plan"), PLAN);
    let third = w.next_run();
    assert!(summary(&third).contains("] pass: 0 errors"), "{third:?}");

    // A new file in the folder searched is an input of the next run.
    std::fs::create_dir_all(m.join("lib")).unwrap();
    save(&m.join("lib/extra.proc"), "not a procedure\n");
    let fourth = w.next_run();
    let line = summary(&fourth);
    assert!(
        line.contains("] fail: 1 error, 0 warnings, 0 notes in 2 files ("),
        "{fourth:?}"
    );
    assert!(
        fourth.iter().any(|l| l.contains("extra.proc")),
        "{fourth:?}"
    );

    // Standard output is a pipe: no clear-screen escape, nor any other.
    assert!(!w.seen.iter().any(|l| l.contains('\u{1b}')), "{:?}", w.seen);
}

#[test]
fn a_failing_run_prints_its_message_and_the_watch_goes_on() {
    let (dir, m) = mission();
    // A project file that does not read: exit 2 for a single check.
    save(&m.join("opsplan.yaml"), "requirements: [\n");
    let mut w = Watch::start(dir.path(), &["check", "--watch", "--color", "never", "m"]);
    let first = w.next_run();
    assert!(
        summary(&first).contains("] error: see the message above ("),
        "{first:?}"
    );
    save(&m.join("opsplan.yaml"), "inputs: [week.plan]\n");
    let second = w.next_run();
    assert!(
        second.iter().any(|l| l.starts_with("project file: ")),
        "{second:?}"
    );
    assert!(summary(&second).contains("] pass: 0 errors"), "{second:?}");
    // The project file is an input now: breaking it again is seen.
    save(&m.join("opsplan.yaml"), "inputs: [\n");
    let third = w.next_run();
    assert!(
        summary(&third).contains("] error: see the message above ("),
        "{third:?}"
    );
}

/// Whether `text` is a whole HTML document (never a part of one).
fn whole_html(text: &str) -> bool {
    text.starts_with("<!DOCTYPE html>") && text.trim_end().ends_with("</html>")
}

#[test]
fn report_watch_replaces_the_report_whole_and_its_own_writes_start_no_run() {
    let (dir, m) = mission();
    // The report is written inside the folder watched: its writes must not count.
    let report = m.join("consistency.html");
    let mut w = Watch::start(
        dir.path(),
        &[
            "report",
            "consistency",
            "m",
            "-o",
            "m/consistency.html",
            "--watch",
        ],
    );
    let first = w.next_run();
    assert!(summary(&first).contains("] pass: 0 errors"), "{first:?}");
    let html = std::fs::read_to_string(&report).expect("the report is written");
    assert!(whole_html(&html), "{html}");
    assert!(!html.contains("by XX") && !html.contains("XX"));
    assert!(
        w.quiet_for(Duration::from_millis(1500)),
        "writing the report started another run: {:?}",
        w.seen
    );

    // A reader that opens the report again and again while it is re-rendered: every
    // read is a whole document.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let (stop, report) = (stop.clone(), report.clone());
        std::thread::spawn(move || {
            let mut reads = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                let text = std::fs::read_to_string(&report).expect("always there");
                assert!(whole_html(&text), "a partial report was read");
                reads += 1;
            }
            reads
        })
    };
    save(&m.join("week.plan"), &PLAN.replace("by GC", "by XX"));
    let second = w.next_run();
    assert!(summary(&second).contains("] fail: 1 error"), "{second:?}");
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(whole_html(&html) && html.contains("XX"), "{html}");

    save(&m.join("week.plan"), PLAN);
    let third = w.next_run();
    assert!(summary(&third).contains("] pass: 0 errors"), "{third:?}");
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    assert!(reader.join().expect("every read was whole") > 0);
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(whole_html(&html) && !html.contains("XX"), "{html}");
    assert!(!w.seen.iter().any(|l| l.contains('\u{1b}')), "{:?}", w.seen);
}

#[test]
fn report_watch_needs_an_output_file() {
    let (dir, _m) = mission();
    let out = Command::new(env!("CARGO_BIN_EXE_opsplan"))
        .args(["report", "consistency", "m", "--watch"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--output <FILE>"), "{err}");
}

#[cfg(unix)]
#[test]
fn ctrl_c_ends_the_watch_by_the_signal_with_no_temporary_left() {
    use std::os::unix::process::ExitStatusExt;
    let (dir, m) = mission();
    let mut w = Watch::start(
        dir.path(),
        &["report", "consistency", "m", "-o", "m/c.html", "--watch"],
    );
    let first = w.next_run();
    assert!(summary(&first).contains("] pass: 0 errors"), "{first:?}");
    let pid = rustix::process::Pid::from_raw(w.child.id() as i32).expect("a pid");
    rustix::process::kill_process(pid, rustix::process::Signal::INT).expect("sent");
    // Ends by SIGINT (a shell shows 130) within the patience, never hanging the test.
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(status) = w.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the watch did not end on SIGINT");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.signal(), Some(2), "{status:?}");
    let left: Vec<String> = std::fs::read_dir(&m)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".opsplan-tmp-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    assert!(whole_html(
        &std::fs::read_to_string(m.join("c.html")).unwrap()
    ));
}
