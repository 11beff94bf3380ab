//! Bad input is a diagnostic, never a panic or a hang.

use opsplan::diag::{Code, Severity};
use opsplan::source::SourceDb;
use opsplan::workspace::{check_paths, check_sources};

mod common;

fn check_text(text: &str) -> Vec<(Code, String)> {
    let mut db = SourceDb::new();
    db.add("input.plan", text.to_string());
    check_sources(db)
        .diagnostics
        .into_iter()
        .map(|d| (d.code, d.message))
        .collect()
}

const VALID: &str = "plan P {\n  horizon 2014/272 00:00 .. 2014/279 00:00\n  roles FD\n  activity A1 \"Poll\" { at 2014/273 09:00 lasts 30m by FD }\n}\n";

#[test]
fn missing_brace() {
    common::limit_this_process();
    let d = check_text(&VALID.replace("by FD }", "by FD"));
    assert!(
        d.iter()
            .any(|(c, m)| *c == Code::SyntaxError && m.contains("found end of file")),
        "{d:?}"
    );
}

#[test]
fn impossible_time() {
    common::limit_this_process();
    let d = check_text(&VALID.replace("2014/273 09:00", "2014/367 25:00"));
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].0, Code::InvalidLiteral);
}

#[test]
fn unknown_keyword() {
    common::limit_this_process();
    let d = check_text(&VALID.replace("by FD", "owner FD"));
    assert!(
        d.iter()
            .any(|(c, m)| *c == Code::SyntaxError && m.contains("found `owner`")),
        "{d:?}"
    );
}

#[test]
fn file_cut_in_half_at_every_byte() {
    common::limit_this_process();
    for cut in (0..VALID.len()).filter(|&i| VALID.is_char_boundary(i)) {
        let d = check_text(&VALID[..cut]);
        if cut > 0 && !VALID[cut..].trim().is_empty() {
            assert!(!d.is_empty(), "cut at {cut} accepted");
        }
    }
}

#[test]
fn invalid_utf8_is_located() {
    common::limit_this_process();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.plan");
    let mut bytes = VALID.as_bytes().to_vec();
    bytes.insert(20, 0xE9);
    std::fs::write(&path, &bytes).unwrap();
    let run = check_paths(&[path]).unwrap();
    assert_eq!(run.diagnostics.len(), 1);
    assert_eq!(run.diagnostics[0].code, Code::UnreadableSource);
    assert_eq!(run.diagnostics[0].primary.span.start, 20);
}

#[test]
fn deep_nesting() {
    common::limit_this_process();
    let text = format!("plan P {}{}", "{".repeat(20_000), "}".repeat(20_000));
    let d = check_text(&text);
    assert!(d.iter().all(|(c, _)| *c == Code::SyntaxError) && !d.is_empty());
    let text = format!("{}{}", "activity A { ".repeat(20_000), "}".repeat(20_000));
    assert!(!check_text(&text).is_empty());
}

#[test]
fn very_long_line() {
    common::limit_this_process();
    let title = "x".repeat(20 * 1024 * 1024);
    let d = check_text(&VALID.replace("\"Poll\"", &format!("\"{title}\"")));
    assert!(d.is_empty(), "{d:?}");
    let garbage = "y".repeat(20 * 1024 * 1024);
    let d = check_text(&format!("{VALID}{garbage}"));
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].0, Code::SyntaxError);
    assert!(
        d[0].1.len() < 400,
        "the message quotes at most a short token"
    );
}

#[test]
fn nul_bytes_and_crlf() {
    common::limit_this_process();
    assert!(!check_text(&VALID.replace("Poll", "Po\0ll\"\0")).is_empty());
    assert!(check_text(&VALID.replace('\n', "\r\n")).is_empty());
    assert!(check_text(&format!("\u{FEFF}{VALID}")).is_empty());
}

#[test]
fn duration_and_offset_overflow() {
    common::limit_this_process();
    let d = check_text(&VALID.replace("lasts 30m", "lasts 9999999999999999999999m"));
    assert!(d.iter().any(|(c, _)| *c == Code::InvalidLiteral), "{d:?}");
    let text = VALID.replace(
        "}\n}",
        "}\n  activity A2 { at A1.end + 2930000d lasts 1m by FD }\n}",
    );
    let d = check_text(&text);
    assert!(
        d.iter()
            .any(|(c, m)| *c == Code::UnresolvedTime && m.contains("calendar")),
        "{d:?}"
    );
}

#[test]
fn every_error_of_a_file_in_one_run() {
    common::limit_this_process();
    let text = "plan P {\n  roles FD\n  activity A1 { at 2014/273 09:00 lasts 40 by FD }\n  activity A2 { at 2014/273 10:00 lasts 1h by FD }\n  activity A3 { at 2014/273 11:00 lats 1h by FD }\n}\n";
    let d = check_text(text);
    assert_eq!(
        d.iter().filter(|(c, _)| *c == Code::SyntaxError).count(),
        2,
        "{d:?}"
    );
}

#[test]
fn errors_of_every_file_in_one_run() {
    common::limit_this_process();
    let mut db = SourceDb::new();
    db.add(
        "a.plan",
        "plan A { roles FD activity A1 { at 2014/273 09:00 lasts 40 by FD } }".to_string(),
    );
    db.add(
        "b.proc",
        "procedure X { version 1 step 1 { comand Y } }".to_string(),
    );
    let run = check_sources(db);
    let files: std::collections::BTreeSet<u32> = run
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.primary.span.file.0)
        .collect();
    assert_eq!(files.len(), 2, "{:#?}", run.diagnostics);
}

#[test]
fn the_memory_limit_is_in_force() {
    common::limit_this_process();
    let mut v: Vec<u8> = Vec::new();
    assert!(
        v.try_reserve(3 * 1024 * 1024 * 1024).is_err(),
        "3 GiB must not fit under the 2 GiB address-space limit"
    );
}
