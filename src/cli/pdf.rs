//! `--format pdf`: a report's HTML page printed to PDF by a headless Chromium.
//!
//! **Why a browser.** The reports' print CSS (A4, `@page` margin boxes with the reference
//! and `Page n of m`, headings kept with their content, tables breaking between rows with
//! repeated headers) is already what the browser check prints and reads back, so the PDF
//! is the very page a manager would print from a browser. A Rust typesetting library (the
//! typst crates: 206 crates more than opsplan builds today) would need a second layout of
//! every report, kept in step by hand. ARCHITECTURE.md ("PDF") records the choice.
//!
//! **Finding the browser.** `OPSPLAN_CHROMIUM` (a path, or a name looked up in `PATH`),
//! else the first of [`NAMES`] found in `PATH`. None: an error saying what to install,
//! and nothing is written (exit 2).
//!
//! **Nothing from the network, nothing left behind.** The page is written into a private
//! temporary folder (`cli::temp`, removed on exit and on SIGINT/SIGTERM/SIGHUP) with a
//! Content-Security-Policy that allows only inline styles, inline scripts and `data:`
//! images and fonts (a template given with `--templates` cannot load anything either), and
//! the browser runs with every host name mapped to nothing, a profile of its own in the
//! same folder, no extensions, no first-run or background networking, for at most
//! [`TIMEOUT`].
//!
//! **Deterministic.** Chromium writes the time of printing as the PDF's `CreationDate` and
//! `ModDate`; both are replaced by the report's generation time (`SOURCE_DATE_EPOCH`, else
//! the newest input), same length, so the cross-reference offsets stay right. The same
//! inputs and the same browser version (named in the PDF's `Creator`) give the same bytes.

use super::temp::TempDir;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The environment variable naming the browser.
pub const BROWSER_VAR: &str = "OPSPLAN_CHROMIUM";
/// The names looked up in `PATH`, in this order.
pub const NAMES: [&str; 5] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
];
/// How long the browser may take to print one report.
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// The policy put into the printed page's `<head>`.
const CSP: &str = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; font-src data:\">";

/// The browser to print with, or the message saying why there is none.
pub fn find_browser() -> Result<PathBuf, String> {
    let path_var = std::env::var_os("PATH").unwrap_or_default();
    if let Some(named) = std::env::var_os(BROWSER_VAR).filter(|v| !v.is_empty()) {
        let named = PathBuf::from(named);
        let found = if named.components().count() > 1 || named.is_absolute() {
            is_executable(&named).then(|| named.clone())
        } else {
            lookup(&named, &path_var)
        };
        return found.ok_or_else(|| {
            format!(
                "{BROWSER_VAR}={}: no such executable file; --format pdf prints the HTML \
                 report with a headless Chromium: point {BROWSER_VAR} at one, or unset it to \
                 look for {} in PATH",
                named.display(),
                NAMES.join(", ")
            )
        });
    }
    NAMES
        .iter()
        .find_map(|name| lookup(Path::new(name), &path_var))
        .ok_or_else(|| {
            format!(
                "--format pdf prints the HTML report with a headless Chromium, and none was \
                 found ({} not in PATH): install one (Debian and Ubuntu: `apt-get install \
                 chromium`), or set {BROWSER_VAR} to its path; or write --format html and \
                 print it from a browser (docs/reports.md, \"PDF\")",
                NAMES.join(", ")
            )
        })
}

fn lookup(name: &Path, path_var: &std::ffi::OsStr) -> Option<PathBuf> {
    std::env::split_paths(path_var)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    meta.is_file()
}

/// Prints `html` to PDF with `browser`; `when` (seconds since 1970) becomes the PDF's
/// creation and modification dates. `Err` is the one-line reason.
pub fn print(browser: &Path, html: &str, when: i64) -> Result<Vec<u8>, String> {
    let dir = TempDir::create_in(&std::env::temp_dir())
        .map_err(|e| format!("cannot make a temporary folder to print in: {e}"))?;
    let root = dir.path().to_path_buf();
    dir.write_file("report.html", with_policy(html).as_bytes())
        .map_err(|e| format!("cannot write the page to print: {e}"))?;
    let page = root.join("report.html");
    let pdf = root.join("report.pdf");
    let log = std::fs::File::create(root.join("browser.log"))
        .map_err(|e| format!("cannot write the browser's log: {e}"))?;
    let mut command = Command::new(browser);
    command
        .args([
            "--headless",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--hide-scrollbars",
            "--mute-audio",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--no-pdf-header-footer",
        ])
        .arg(format!(
            "--user-data-dir={}",
            root.join("profile").display()
        ))
        .arg(format!(
            "--crash-dumps-dir={}",
            root.join("crashes").display()
        ))
        .arg(format!("--print-to-pdf={}", pdf.display()));
    if running_as_root() {
        // Chromium refuses to start as root with its sandbox on.
        command.arg("--no-sandbox");
    }
    command
        .arg(file_url(&page))
        // The PDF's dates in UTC, so that they can be replaced in place.
        .env("TZ", "UTC")
        .env("HOME", &root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log);
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", browser.display()))?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() >= TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{} did not print the report within {} s: nothing written",
                    browser.display(),
                    TIMEOUT.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(format!("waiting for {}: {e}", browser.display())),
        }
    };
    let mut bytes = Vec::new();
    let printed = std::fs::File::open(&pdf)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .is_ok();
    if !status.success() || !printed || !bytes.starts_with(b"%PDF-") {
        let why = if status.success() {
            "wrote no PDF".to_string()
        } else {
            format!("ended with {status}")
        };
        return Err(format!(
            "{} {why}: nothing written{}",
            browser.display(),
            log_tail(&root.join("browser.log"))
        ));
    }
    set_dates(&mut bytes, when);
    Ok(bytes)
}

/// The page with [`CSP`] first in its `<head>` (or first of all, without one).
fn with_policy(html: &str) -> String {
    let lower = html.get(..html.len().min(4096)).unwrap_or("");
    let at = lower
        .to_ascii_lowercase()
        .find("<head")
        .and_then(|start| html[start..].find('>').map(|end| start + end + 1));
    match at {
        Some(at) => format!("{}{CSP}{}", &html[..at], &html[at..]),
        None => format!("{CSP}{html}"),
    }
}

fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

#[cfg(unix)]
fn running_as_root() -> bool {
    rustix::process::geteuid().is_root()
}

#[cfg(not(unix))]
fn running_as_root() -> bool {
    false
}

/// The last lines the browser wrote (control characters escaped), to say why it failed.
fn log_tail(log: &Path) -> String {
    let text = std::fs::read(log).unwrap_or_default();
    let text = String::from_utf8_lossy(&text);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.is_empty() {
        return String::new();
    }
    let tail = lines[lines.len().saturating_sub(5)..]
        .iter()
        .map(|l| crate::diag::terminal_safe(l))
        .collect::<Vec<_>>()
        .join("\n  ");
    format!("; it said:\n  {tail}")
}

/// Replaces the 14 digits of every `/CreationDate (D:` and `/ModDate (D:` with `when`
/// (UTC), byte for byte, so that no offset of the file moves.
pub fn set_dates(pdf: &mut [u8], when: i64) {
    let Ok(t) = jiff::Timestamp::from_second(when) else {
        return;
    };
    let stamp = t.strftime("%Y%m%d%H%M%S").to_string();
    if stamp.len() != 14 {
        return;
    }
    for key in [&b"/CreationDate (D:"[..], &b"/ModDate (D:"[..]] {
        let mut from = 0;
        while let Some(at) = memchr::memmem::find(&pdf[from..], key) {
            let digits = from + at + key.len();
            let end = digits + 14;
            if end <= pdf.len() && pdf[digits..end].iter().all(u8::is_ascii_digit) {
                pdf[digits..end].copy_from_slice(stamp.as_bytes());
            }
            from = digits;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_replaced_in_place() {
        let mut pdf = b"%PDF-1.4\n<</Title (x)\n/CreationDate (D:20261207152423+00'00')\n/ModDate (D:20261207152423+00'00')>>\n/ModDate (D:2026)".to_vec();
        let len = pdf.len();
        set_dates(&mut pdf, 1_415_005_200);
        let text = String::from_utf8(pdf).unwrap();
        assert_eq!(text.len(), len);
        assert!(
            text.contains("/CreationDate (D:20141103090000+00'00')"),
            "{text}"
        );
        assert!(
            text.contains("/ModDate (D:20141103090000+00'00')"),
            "{text}"
        );
        // Too short to be a date: left alone.
        assert!(text.ends_with("/ModDate (D:2026)"), "{text}");
    }

    #[test]
    fn the_policy_goes_first_in_the_head() {
        let page = with_policy("<!DOCTYPE html>\n<HTML><Head lang=x><title>t</title></head>");
        assert!(
            page.starts_with(&format!("<!DOCTYPE html>\n<HTML><Head lang=x>{CSP}<title>")),
            "{page}"
        );
        assert!(with_policy("<p>no head").starts_with(CSP));
    }

    #[test]
    fn file_urls_escape_what_is_not_a_path_character() {
        assert_eq!(
            file_url(Path::new("/tmp/a b/r#1.html")),
            "file:///tmp/a%20b/r%231.html"
        );
    }
}
