//! `opsplan report … --format pdf` (issue #17): the HTML page printed by a headless
//! Chromium. Without a browser the command fails clearly (exit 2, what to install, nothing
//! written); a browser that fails or writes no PDF is said so; the printed page may load
//! nothing; the PDF's dates are the report's, so two runs give the same bytes.
//!
//! A stand-in browser (a shell script) checks what opsplan gives the browser and what it
//! does with the browser's answer on every machine; the real Chromium, where one is
//! installed (`CHROMIUM`, or `chromium` in PATH, as the browser check finds it), prints
//! the example's monthly report, else the same command must say none was found.

#![cfg(unix)]

use assert_cmd::Command;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

const MONTHLY: &str = "examples/atv5-2014-10";
/// 2014-11-03 09:00 UTC.
const EPOCH: &str = "1415005200";

fn opsplan() -> Command {
    let mut c = Command::cargo_bin("opsplan").expect("binary built");
    c.env_remove("NO_COLOR")
        .env_remove("OPSPLAN_CHROMIUM")
        .env("SOURCE_DATE_EPOCH", EPOCH);
    c
}

/// An executable shell script `name` in `dir` holding `body`.
fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// A browser that keeps its arguments and the page it was given in `dir`, and prints a
/// small PDF carrying Chromium's time-of-printing dates.
fn fake_browser(dir: &Path) -> PathBuf {
    let keep = dir.display();
    script(
        dir,
        "chromium",
        &format!(
            r#"out=
for a in "$@"; do
  echo "$a" >> '{keep}/args'
  case "$a" in
    --print-to-pdf=*) out="${{a#--print-to-pdf=}}" ;;
    file://*) cp "${{a#file://}}" '{keep}/page.html' ;;
  esac
done
printf '%%PDF-1.4\n<</Title (x)\n/CreationDate (D:20261207152423+00'"'"'00'"'"')\n/ModDate (D:20261207152423+00'"'"'00'"'"')>>\n%%%%EOF\n' > "$out"
"#
        ),
    )
}

#[test]
fn without_a_browser_nothing_is_written_and_the_message_says_what_to_install() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("mor.pdf");
    for report in [
        vec!["report", "monthly", MONTHLY],
        vec!["report", "trace", "examples/atv5-week40"],
        vec!["report", "consistency", "examples/atv5-week40"],
    ] {
        let run = opsplan()
            .args(&report)
            .args(["--format", "pdf", "-o"])
            .arg(&out)
            .env("PATH", dir.path().join("nowhere"))
            .output()
            .unwrap();
        let stderr = String::from_utf8(run.stderr).unwrap();
        assert_eq!(run.status.code(), Some(2), "{report:?}: {stderr}");
        assert!(
            stderr.contains(
                "--format pdf prints the HTML report with a headless Chromium, and none was found"
            ) && stderr.contains("apt-get install chromium")
                && stderr.contains("OPSPLAN_CHROMIUM"),
            "{stderr}"
        );
        assert!(!out.exists(), "{report:?} wrote {}", out.display());
    }
}

#[test]
fn a_browser_named_by_the_variable_must_exist() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("mor.pdf");
    let run = opsplan()
        .args(["report", "monthly", MONTHLY, "--format", "pdf", "-o"])
        .arg(&out)
        .env("OPSPLAN_CHROMIUM", dir.path().join("no-such-browser"))
        .output()
        .unwrap();
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("no-such-browser: no such executable file"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn a_failing_browser_is_reported_with_what_it_said_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let browser = script(
        dir.path(),
        "broken",
        "echo 'first line' >&2\necho 'cannot open display' >&2\nexit 3\n",
    );
    let silent = script(dir.path(), "silent", "exit 0\n");
    let out = dir.path().join("mor.pdf");
    for (browser, said) in [
        (&browser, "ended with exit status: 3: nothing written; it said:\n  first line\n  cannot open display"),
        (&silent, "wrote no PDF: nothing written"),
    ] {
        let run = opsplan()
            .args(["report", "monthly", MONTHLY, "--format", "pdf", "-o"])
            .arg(&out)
            .env("OPSPLAN_CHROMIUM", browser)
            .output()
            .unwrap();
        let stderr = String::from_utf8(run.stderr).unwrap();
        assert_eq!(run.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(said), "{stderr}");
        assert!(!out.exists());
    }
}

#[test]
fn the_browser_prints_a_page_that_can_load_nothing_and_the_dates_are_the_reports() {
    let dir = tempfile::tempdir().unwrap();
    let browser = fake_browser(dir.path());
    let out = dir.path().join("mor.pdf");
    let run = opsplan()
        .args(["report", "monthly", MONTHLY, "--format", "pdf", "-o"])
        .arg(&out)
        .env("OPSPLAN_CHROMIUM", &browser)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let pdf = String::from_utf8(std::fs::read(&out).unwrap()).unwrap();
    assert!(pdf.starts_with("%PDF-1.4"), "{pdf}");
    // SOURCE_DATE_EPOCH, in place of the time of printing, at the same length.
    assert!(
        pdf.contains("/CreationDate (D:20141103090000+00'00')")
            && pdf.contains("/ModDate (D:20141103090000+00'00')"),
        "{pdf}"
    );
    let args = std::fs::read_to_string(dir.path().join("args")).unwrap();
    for flag in [
        "--headless",
        "--no-pdf-header-footer",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--disable-extensions",
    ] {
        assert!(args.lines().any(|a| a == flag), "{flag} missing: {args}");
    }
    assert!(
        args.lines().any(|a| a.starts_with("--user-data-dir=")),
        "{args}"
    );
    // The page is the HTML report with a policy that lets it load nothing.
    let page = std::fs::read_to_string(dir.path().join("page.html")).unwrap();
    assert!(
        page.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"),
        "{}",
        &page[..400]
    );
    assert!(page.contains("id=\"verdict\""));
    // The temporary folder the page was printed from is gone.
    let printed_from = args
        .lines()
        .find_map(|a| a.strip_prefix("file://"))
        .map(PathBuf::from)
        .unwrap();
    assert!(
        !printed_from.exists(),
        "{} left behind",
        printed_from.display()
    );
}

#[test]
fn pdf_to_a_pipe_gets_the_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let browser = fake_browser(dir.path());
    let run = opsplan()
        .args(["report", "monthly", MONTHLY, "--format", "pdf"])
        .env("OPSPLAN_CHROMIUM", &browser)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    assert!(run.stdout.starts_with(b"%PDF-1.4"));
}

/// The browser the browser check uses, if this machine has one.
fn real_browser() -> Option<PathBuf> {
    if let Some(c) = std::env::var_os("CHROMIUM").map(PathBuf::from) {
        if c.is_file() {
            return Some(c);
        }
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| ["chromium", "chromium-browser", "google-chrome"].map(|n| d.join(n)))
        .find(|p| p.is_file())
}

#[test]
fn the_monthly_report_prints_to_the_same_a4_pdf_twice_or_says_no_browser() {
    let dir = tempfile::tempdir().unwrap();
    let print = |name: &str| {
        let out = dir.path().join(name);
        let mut cmd = opsplan();
        cmd.args(["report", "monthly", MONTHLY, "--format", "pdf", "-o"])
            .arg(&out);
        if let Some(b) = real_browser() {
            cmd.env("OPSPLAN_CHROMIUM", b);
        }
        let run = cmd.output().unwrap();
        (
            run.status.code(),
            String::from_utf8(run.stderr).unwrap(),
            out,
        )
    };
    let (code, stderr, first) = print("a.pdf");
    if real_browser().is_none() {
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains("none was found"), "{stderr}");
        return;
    }
    assert_eq!(code, Some(0), "{stderr}");
    let a = std::fs::read(&first).unwrap();
    assert!(a.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&a);
    // A4 (595 x 842 pt, as Chromium writes it) and the report's own date.
    assert!(
        text.contains("/MediaBox [0 0 594.95996 841.91998]"),
        "not A4"
    );
    assert!(
        text.contains("/CreationDate (D:20141103090000"),
        "date not the report's"
    );
    assert!(
        text.contains("/Title (MOR-2014-10: ATV-CC operations"),
        "title"
    );
    let (code, stderr, second) = print("b.pdf");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(a == std::fs::read(second).unwrap(), "two runs differ");
}
