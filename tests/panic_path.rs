//! A panic is a bug, never a verdict: the binary prints one line naming the input being
//! read (control characters escaped), asks for a report, writes nothing and exits 3.
//! `OPSPLAN_TEST_PANIC=LABEL` makes a worker thread panic while "reading" LABEL.

mod common;

#[test]
fn a_panic_is_one_line_naming_the_input_and_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let assert = common::limited()
        .env("OPSPLAN_TEST_PANIC", "evil\u{1b}[2J.xlsx")
        .args(["report", "consistency", "examples/atv5-week40", "-o"])
        .arg(&out)
        .assert()
        .code(3);
    let output = assert.get_output();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("opsplan: internal error while reading evil\\u{1b}[2J.xlsx: "),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(stderr.contains("report it"), "{stderr}");
    assert!(!stderr.contains("RUST_BACKTRACE"), "{stderr}");
    assert!(output.stdout.is_empty());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn one_worker_or_many_the_line_is_printed_once() {
    for threads in ["1", "4"] {
        let assert = common::limited()
            .env("OPSPLAN_THREADS", threads)
            .env("OPSPLAN_TEST_PANIC", "a.plan")
            .args(["check", "examples/atv5-week40"])
            .assert()
            .code(3);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert_eq!(stderr.matches("internal error").count(), 1, "{stderr}");
    }
}
