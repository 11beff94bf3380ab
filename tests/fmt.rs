//! `opsplan fmt`: idempotent, every comment kept, the meaning unchanged, on every example
//! and on generated plans (a property test); the CLI's exit codes and outputs.

mod common;
use common::copy_dir;

#[path = "../benches/generate/mod.rs"]
mod generate;

use assert_cmd::Command;
use opsplan::source::FileId;
use opsplan::syntax::{self, format::format};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn opsplan() -> Command {
    Command::cargo_bin("opsplan").expect("the binary is built")
}

/// The comments of a source text, in order, found by a scanner independent of the
/// formatter's (strings skipped; trailing blanks of each comment line dropped).
fn comments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = text[i..].find('\n').map_or(b.len(), |n| i + n);
                out.push(text[i..end].trim_end().to_string());
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2);
                let c: Vec<&str> = text[i..end].lines().map(str::trim_end).collect();
                out.push(c.join("\n"));
                i = end;
            }
            _ => i += 1,
        }
    }
    out
}

/// The typed syntax tree of a text, without its source positions: what the file says.
fn meaning(text: &str) -> String {
    let (ast, diags) = syntax::parse(FileId(0), text);
    assert!(!ast.has_syntax_errors, "parses: {diags:#?}");
    // Literal findings (an impossible date) are part of what the file says.
    let findings: Vec<(String, String)> = diags
        .iter()
        .map(|d| (format!("{:?}", d.code), d.message.clone()))
        .collect();
    let dump = format!("{:?}{:?}{findings:?}", ast.plans, ast.procedures);
    // Drop `start: N, end: N` of every span.
    let mut out = String::with_capacity(dump.len());
    let mut rest = dump.as_str();
    while let Some(at) = rest.find("start: ") {
        let digits = rest[at + 7..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(0);
        let after = &rest[at + 7 + digits..];
        if digits > 0 && after.starts_with(", end: ") {
            out.push_str(&rest[..at]);
            let d2 = after[7..]
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(after.len() - 7);
            rest = &after[7 + d2..];
        } else {
            out.push_str(&rest[..at + 7]);
            rest = &rest[at + 7..];
        }
    }
    out.push_str(rest);
    out
}

/// The properties `fmt` promises for one text.
fn assert_formats_well(name: &str, text: &str) {
    let once = format(text).unwrap_or_else(|e| panic!("{name}: not formatted: {e:?}"));
    let twice = format(&once).unwrap_or_else(|e| panic!("{name}: formatted text: {e:?}"));
    assert_eq!(once, twice, "{name}: formatting is idempotent");
    assert_eq!(
        comments(text),
        comments(&once),
        "{name}: every comment kept"
    );
    assert_eq!(meaning(text), meaning(&once), "{name}: the same meaning");
    for (n, line) in once.lines().enumerate() {
        assert_eq!(
            line,
            line.trim_end(),
            "{name}:{}: no trailing blanks",
            n + 1
        );
        assert!(!line.contains('\t') || line.contains("//") || line.contains('"'));
    }
    assert!(once.is_empty() || once.ends_with('\n') && !once.ends_with("\n\n"));
}

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            source_files(&p, out);
        } else if p
            .extension()
            .is_some_and(|e| e == "plan" || e == "proc" || e == "scn")
        {
            out.push(p);
        }
    }
}

#[test]
fn every_example_file_formats_idempotently_keeping_comments_and_meaning() {
    let mut files = Vec::new();
    source_files(Path::new("examples"), &mut files);
    source_files(Path::new("tests/fixtures"), &mut files);
    assert!(files.len() > 20, "{files:?}");
    let mut formatted = 0;
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue; // fixtures of unreadable files
        };
        if format(&text).is_err() && !syntax::parse(FileId(0), &text).1.is_empty() {
            continue; // fixtures of syntax errors
        }
        assert_formats_well(&f.display().to_string(), &text);
        formatted += 1;
    }
    assert!(formatted > 20);
}

#[test]
fn the_shipped_examples_are_formatted() {
    opsplan()
        .args(["fmt", "--check", "examples"])
        .assert()
        .success()
        .stdout("");
}

/// Puts comments at line starts and ends, shifts indentation, joins some lines: every
/// change is between tokens, so the text says the same.
fn perturb(text: &str, seed: u64) -> String {
    let mut rng = generate::Rng::new(seed);
    let mut out = String::new();
    let mut n = 0;
    let mut in_block_comment = false;
    for line in text.lines() {
        if in_block_comment || line.contains("/*") {
            // Block comments stay as they are.
            in_block_comment = !line.contains("*/") || line.rfind("/*") > line.rfind("*/");
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let r = rng.next_u64();
        if r % 7 == 0 {
            n += 1;
            out.push_str(&format!("// own line comment {n}\n"));
        }
        if r % 11 == 0 {
            n += 1;
            out.push_str(&format!("   /* block {n}\n   goes on */\n"));
        }
        let indent = (r >> 8) as usize % 6;
        out.push_str(&" ".repeat(indent));
        out.push_str(line.trim_start());
        let has_comment = line.contains("//");
        match (r >> 16) % 9 {
            0 if !has_comment => {
                n += 1;
                out.push_str(&format!("   // trailing {n}\n"));
            }
            1 if !has_comment => {
                n += 1;
                out.push_str(&format!(" /* inline {n} */\n"));
            }
            2 if !has_comment => out.push(' '), // joined with the next line
            3 => out.push_str("\n\n\n"),
            _ => out.push('\n'),
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn generated_plans_format_well(seed in any::<u64>(), activities in 20usize..300, procedures in 2usize..12) {
        let g = generate::generate(generate::Spec { activities, procedures, seed });
        assert_formats_well("generated.plan", &g.plan);
        assert_formats_well("generated.proc", &g.procedures);
        assert_formats_well("perturbed.plan", &perturb(&g.plan, seed));
        assert_formats_well("perturbed.proc", &perturb(&g.procedures, seed ^ 1));
    }
}

#[test]
fn a_formatted_plan_checks_exactly_as_before() {
    let tmp = tempfile::tempdir().expect("temp dir");
    for dir in ["examples", "requirements"] {
        copy_dir(Path::new(dir), &tmp.path().join(dir));
    }
    // Unformatted first, so that formatting has something to do.
    let plan = tmp
        .path()
        .join("examples/atv5-week40-defects/atv5-week40.plan");
    let text = std::fs::read_to_string(&plan).expect("plan");
    std::fs::write(&plan, perturb(&text, 7)).expect("write");
    let findings = |root: &Path, example: &str| -> (i32, Vec<(String, String, String)>) {
        let out = opsplan()
            .args(["check", "--format", "json"])
            .arg(root.join("examples").join(example))
            .output()
            .expect("runs");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let mut f: Vec<(String, String, String)> = v["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or_default().to_string(),
                    d["severity"].as_str().unwrap_or_default().to_string(),
                    d["message"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        f.sort();
        (out.status.code().unwrap_or(-1), f)
    };
    let examples = ["atv5-week40", "atv5-week40-defects", "atv5-2014-10"];
    let before: Vec<_> = examples.iter().map(|e| findings(tmp.path(), e)).collect();
    opsplan()
        .arg("fmt")
        .arg(tmp.path().join("examples"))
        .assert()
        .success();
    let after: Vec<_> = examples.iter().map(|e| findings(tmp.path(), e)).collect();
    assert_eq!(before, after);
    assert_eq!(before[1].0, 1, "the defects example fails");
    assert!(before[1].1.len() > 10);
}

#[test]
fn check_lists_the_files_that_would_change_and_writes_nothing() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let messy = tmp.path().join("messy.plan");
    let tidy = tmp.path().join("tidy.proc");
    let messy_text = "plan P {   roles FD\n  activity A1 { at 2014/272 06:30 lasts 30m by FD } }\n";
    std::fs::write(&messy, messy_text).expect("write");
    std::fs::write(&tidy, "procedure X {\n  step 1 {\n    end\n  }\n}\n").expect("write");
    opsplan()
        .args(["fmt", "--check"])
        .arg(tmp.path())
        .assert()
        .code(1)
        .stdout(format!("{}\n", messy.display()))
        .stderr(predicates::str::contains(
            "1 of 2 files would be reformatted",
        ));
    assert_eq!(std::fs::read_to_string(&messy).expect("read"), messy_text);

    let mtime = |p: &Path| {
        std::fs::metadata(p)
            .and_then(|m| m.modified())
            .expect("mtime")
    };
    let tidy_before = mtime(&tidy);
    opsplan()
        .arg("fmt")
        .arg(tmp.path())
        .assert()
        .success()
        .stdout(format!("{}\n", messy.display()));
    assert_eq!(
        std::fs::read_to_string(&messy).expect("read"),
        "plan P {\n  roles FD\n  activity A1 {\n    at 2014/272 06:30   lasts 30m   by FD\n  }\n}\n"
    );
    assert_eq!(
        mtime(&tidy),
        tidy_before,
        "a formatted file is not rewritten"
    );
    opsplan()
        .args(["fmt", "--check"])
        .arg(tmp.path())
        .assert()
        .success()
        .stdout("");
}

#[test]
fn a_file_that_does_not_parse_is_reported_and_the_others_are_formatted() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let bad = tmp.path().join("bad.plan");
    let good = tmp.path().join("good.plan");
    std::fs::write(&bad, "plan P {\n  activity A1 { at 2014/272 }\n}\n").expect("write");
    std::fs::write(&good, "plan Q {  roles FD }\n").expect("write");
    let out = opsplan()
        .arg("fmt")
        .arg(tmp.path())
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad.plan:2:"), "{stderr}");
    assert!(stderr.contains("E001"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&good).expect("read"),
        "plan Q {\n  roles FD\n}\n"
    );
    assert_eq!(
        std::fs::read_to_string(&bad).expect("read"),
        "plan P {\n  activity A1 { at 2014/272 }\n}\n",
        "untouched"
    );
}

#[test]
fn missing_paths_and_invalid_utf8_exit_2() {
    opsplan()
        .args(["fmt", "no/such/dir"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "no/such/dir: no such file or directory",
        ));
    let tmp = tempfile::tempdir().expect("temp dir");
    let f = tmp.path().join("latin1.plan");
    std::fs::write(&f, b"plan P \"Lema\xeetre\" {\n}\n").expect("write");
    opsplan()
        .arg("fmt")
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not valid UTF-8"));
    assert_eq!(
        std::fs::read(&f).expect("read"),
        b"plan P \"Lema\xeetre\" {\n}\n"
    );
}

#[test]
fn standard_input_to_standard_output() {
    opsplan()
        .args(["fmt", "-"])
        .write_stdin("plan P{roles FD,OM}")
        .assert()
        .success()
        .stdout("plan P {\n  roles FD, OM\n}\n");
    opsplan()
        .args(["fmt", "-"])
        .write_stdin("plan P {")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("<stdin>:1:"));
}

#[test]
fn the_layout_shown_in_the_docs_is_the_canonical_one() {
    let doc = std::fs::read_to_string("docs/fmt.md").expect("docs/fmt.md");
    let start = doc.find("```opsplan\n").expect("an example") + "```opsplan\n".len();
    let block = &doc[start..start + doc[start..].find("```").expect("closed")];
    assert_eq!(format(block).expect("parses"), block);
}
