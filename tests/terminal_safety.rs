//! Terminal-safe output (issue 15, item 6; docs/limits.md, "Excerpts and paths"): control
//! characters from plans, procedures, flight-rule files, requirement texts and paths are
//! shown escaped (`\u{1b}`) in every text output, with or without colour; a `\r` alone
//! ends a line, for the line numbers and the excerpts alike; on a long line the excerpts
//! are cut to a window around the finding and the work stays linear (10,000 findings
//! on a 1 MB line).

#[allow(dead_code)] // not every helper is used here
mod common;

use assert_cmd::Command;
use std::path::Path;

fn opsplan(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("opsplan").expect("the binary is built");
    c.current_dir(dir)
        .timeout(std::time::Duration::from_secs(120));
    c
}

/// (exit code, stdout, stderr) of `opsplan ARGS` in `dir`.
fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = opsplan(dir).args(args).output().expect("runs");
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    )
}

/// The characters that must never reach a terminal from an input: C0 controls but tab
/// and line feed, DEL, C1 controls, bidirectional overrides.
fn unsafe_chars(s: &str) -> Vec<char> {
    s.chars()
        .filter(|&c| {
            (c < ' ' && c != '\n' && c != '\t')
                || ('\u{7f}'..='\u{9f}').contains(&c)
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        })
        .collect()
}

/// A plan whose texts hold ESC sequences, BEL and a bidi override (a string cannot hold
/// a line end); its third activity names an undefined role, a `use` names a missing file
/// with an ESC in it, and its flight rule's title (YAML escapes) holds ESC, CR and BEL.
const HOSTILE_PLAN: &str = "plan P \"Title \u{1b}]0;pwned\u{7}\" {\n  horizon 2014/272 00:00 .. 2014/279 00:00\n  roles FD\n  use procedures \"lib\u{1b}[2J\u{7}.proc\"\n  use rules \"r.yaml\"\n  activity A1 \"Poll \u{1b}[31mred\u{1b}[0m\" {\n    at 2014/273 09:00   lasts 30m   by FD   kind burn\n  }\n  activity A2 \"Burn \u{202e}txet\" {\n    at 2014/273 10:00   lasts 30m   by FD   kind burn\n  }\n  activity A3 \"Hide\" {\n    at 2014/273 11:00   lasts 30m   by ZZ\n  }\n}\n";

const HOSTILE_RULES: &str = "rules:\n  - id: FR-01\n    title: \"Burns \\e[2J apart\\r hidden \\a\"\n    kind: min_separation\n    select: { kind: [burn] }\n    min: 3h\n";

fn hostile_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.plan"), HOSTILE_PLAN).unwrap();
    std::fs::write(dir.path().join("r.yaml"), HOSTILE_RULES).unwrap();
    dir
}

#[test]
fn control_characters_in_findings_are_escaped_in_text_and_github_output() {
    let dir = hostile_folder();
    let (code, text, _) = run(dir.path(), &["check", "p.plan", "--color", "never"]);
    assert_eq!(code, Some(1), "{text}");
    assert_eq!(unsafe_chars(&text), Vec::<char>::new(), "{text}");
    assert!(text.contains("lib\\u{1b}[2J\\u{7}.proc"), "{text}");
    assert!(
        text.contains("Burns \\u{1b}[2J apart\\u{d} hidden \\u{7}"),
        "{text}"
    );
    insta::assert_snapshot!("hostile_plan_text", text);

    // With colour: the only ESC are opsplan's own colour codes, never the input's.
    let (_, colour, _) = run(dir.path(), &["check", "p.plan", "--color", "always"]);
    assert!(
        !colour.contains("\u{1b}[2J") && !colour.contains('\u{7}'),
        "{colour:?}"
    );
    assert!(colour.contains("lib\\u{1b}[2J\\u{7}.proc"), "{colour:?}");

    let (_, github, _) = run(dir.path(), &["check", "p.plan", "--format", "github"]);
    assert_eq!(unsafe_chars(&github), Vec::<char>::new(), "{github}");
    assert!(github.contains("lib\\u{1b}[2J\\u{7}.proc"), "{github}");
}

#[test]
fn agenda_diff_and_reqs_text_escape_the_inputs_texts() {
    let dir = tempfile::tempdir().unwrap();
    let clean = HOSTILE_PLAN
        .replace("  use procedures \"lib\u{1b}[2J\u{7}.proc\"\n", "")
        .replace("  use rules \"r.yaml\"\n", "")
        .replace("by ZZ", "by FD");
    std::fs::write(dir.path().join("p.plan"), &clean).unwrap();
    let (code, agenda, err) = run(dir.path(), &["agenda", "p.plan", "--at", "2014/273 08:00"]);
    assert_eq!(code, Some(0), "{agenda}{err}");
    assert_eq!(unsafe_chars(&agenda), Vec::<char>::new(), "{agenda}");
    assert!(agenda.contains("Poll \\u{1b}[31mred\\u{1b}[0m"), "{agenda}");

    std::fs::create_dir(dir.path().join("old")).unwrap();
    std::fs::write(
        dir.path().join("old/p.plan"),
        clean.replace("Poll \u{1b}[31mred", "Poll \u{1b}[32mgreen"),
    )
    .unwrap();
    let (_, diff, err) = run(dir.path(), &["diff", "old/p.plan", "p.plan"]);
    assert_eq!(unsafe_chars(&diff), Vec::<char>::new(), "{diff}{err}");

    std::fs::write(
        dir.path().join("r.csv"),
        "Object Identifier,Object Heading,Object Text,Object Level\nR-1,,\"Shall \u{1b}[2J\u{9b}31m ring \u{7}\",1\n",
    )
    .unwrap();
    let (code, list, err) = run(dir.path(), &["reqs", "list", "r.csv"]);
    assert_eq!(code, Some(0), "{list}{err}");
    assert_eq!(unsafe_chars(&list), Vec::<char>::new(), "{list}");
    assert!(
        list.contains("Shall \\u{1b}[2J\\u{9b}31m ring \\u{7}"),
        "{list}"
    );
}

#[test]
fn reports_printed_to_a_terminal_carry_no_control_characters_from_the_inputs() {
    let dir = hostile_folder();
    for format in ["html", "md"] {
        let (code, report, err) = run(
            dir.path(),
            &["report", "consistency", "p.plan", "--format", format],
        );
        assert_eq!(code, Some(1), "{err}");
        assert_eq!(unsafe_chars(&report), Vec::<char>::new(), "{format}");
        assert!(report.contains("lib\\u{1b}[2J\\u{7}.proc"), "{format}");
    }
}

#[test]
fn a_carriage_return_alone_ends_a_line_for_numbers_and_excerpts() {
    let dir = tempfile::tempdir().unwrap();
    // Old Mac line ends only, the error on the fifth line.
    let cr_only = "plan P {\r  horizon 2014/272 00:00 .. 2014/279 00:00\r  roles FD\r  activity A1 \"Poll\" {\r    at 2014/273 09:00   lasts 30m   by ZZ\r  }\r}\r";
    std::fs::write(dir.path().join("cr.plan"), cr_only).unwrap();
    let (code, text, _) = run(dir.path(), &["check", "cr.plan", "--color", "never"]);
    assert_eq!(code, Some(1), "{text}");
    assert_eq!(unsafe_chars(&text), Vec::<char>::new(), "{text}");
    insta::assert_snapshot!("cr_only_text", text);

    // Mixed: LF, CRLF and CR, and a syntax error after each kind.
    let mixed = "plan P {\n  horizon 2014/272 00:00 .. 2014/279 00:00\r\n  roles FD\r  activity A1 \"Poll\" {\n    at 2014/273 09:00   lasts 30m   bi FD\r  }\r\n}\n";
    std::fs::write(dir.path().join("mixed.plan"), mixed).unwrap();
    let (_, json, _) = run(dir.path(), &["check", "mixed.plan", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(5), Some(37)),
        "{v}"
    );
    let (_, text, _) = run(dir.path(), &["check", "mixed.plan", "--color", "never"]);
    assert!(
        text.contains("5 |     at 2014/273 09:00   lasts 30m   bi FD\n"),
        "{text}"
    );
}

/// A plan on one line holding `n` activities, each with a role that is not declared:
/// one finding per activity, all on line 1.
fn one_line_plan(n: usize, pad: usize) -> String {
    let mut s =
        String::from("plan P \"one line\" { horizon 2014/272 00:00 .. 2014/279 00:00 roles FD");
    let title = "x".repeat(pad);
    for i in 0..n {
        s.push_str(&format!(
            " activity A{i} \"{title}\" {{ at 2014/273 07:00 lasts 1m by ZZ{i} }}"
        ));
    }
    s.push_str(" }\n");
    s
}

#[test]
fn ten_thousand_findings_on_a_one_megabyte_line_are_linear_and_cut_to_a_window() {
    let dir = tempfile::tempdir().unwrap();
    let plan = one_line_plan(10_000, 45);
    assert!(plan.len() > 1_000_000, "{}", plan.len());
    assert_eq!(plan.lines().count(), 1);
    std::fs::write(dir.path().join("one.plan"), &plan).unwrap();

    for format in ["text", "json", "sarif", "github"] {
        let out = common::limited()
            .current_dir(dir.path())
            .args(["check", "one.plan", "--color", "never", "--format", format])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1), "{format}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        if format == "text" {
            assert!(stdout.ends_with("fail: 10000 errors, 0 warnings, 0 notes in 1 file\n"));
            // Every excerpt line is a window: at most 80 characters either side of the
            // finding's two ends, and the cut marks.
            let widest = stdout.lines().map(|l| l.chars().count()).max().unwrap();
            assert!(widest < 300, "a line of {widest} characters");
            let first: String = stdout.split("\n\n").next().unwrap().to_string();
            insta::assert_snapshot!("one_line_cut_excerpt", first);
        }
    }

    // The consistency report's excerpts (HTML and JSON) are cut the same way.
    let out = common::limited()
        .current_dir(dir.path())
        .args(["report", "consistency", "one.plan", "--format", "json"])
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let mut excerpts = Vec::new();
    collect_excerpts(&v, &mut excerpts);
    assert_eq!(excerpts.len(), 10_000);
    assert!(excerpts.iter().all(|e| e.len() < 1_000 && e.contains('…')));
}

fn collect_excerpts(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("excerpt", serde_json::Value::String(s)) => out.push(s.clone()),
                    _ => collect_excerpts(x, out),
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_excerpts(x, out)),
        _ => {}
    }
}

#[test]
fn a_finding_far_along_a_long_line_has_its_column_in_characters() {
    let dir = tempfile::tempdir().unwrap();
    // A title of 5,000 characters, then an error on the same line.
    let plan = format!(
        "plan P {{ horizon 2014/272 00:00 .. 2014/279 00:00 roles FD activity A1 \"{}\" {{ at 2014/273 07:00 lasts 1m bi FD }} }}\n",
        "é".repeat(5_000)
    );
    std::fs::write(dir.path().join("far.plan"), plan).unwrap();
    let (_, text, _) = run(dir.path(), &["check", "far.plan", "--color", "never"]);
    // The column counts characters, not bytes.
    assert!(text.contains("far.plan:1:5104"), "{text}");
    insta::assert_snapshot!("far_along_a_long_line", text);
}

#[cfg(unix)]
#[test]
fn file_and_folder_names_with_control_characters_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("m\u{1b}]0;t\u{7}");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("opsplan.yaml"), "").unwrap();
    let plan = HOSTILE_PLAN
        .replace("  use procedures \"lib\u{1b}[2J\u{7}.proc\"\n", "")
        .replace("  use rules \"r.yaml\"\n", "")
        .replace("  roles FD", "  roles FD ");
    std::fs::write(folder.join("p\u{1b}[2J.plan"), plan).unwrap();
    let (code, text, _) = run(
        dir.path(),
        &["check", "m\u{1b}]0;t\u{7}", "--color", "never"],
    );
    assert_eq!(code, Some(1), "{text}");
    assert_eq!(unsafe_chars(&text), Vec::<char>::new(), "{text}");
    assert!(text.contains("p\\u{1b}[2J.plan:"), "{text}");
    assert!(
        text.contains("project file: m\\u{1b}]0;t\\u{7}/opsplan.yaml"),
        "{text}"
    );
    let (code, listed, _) = run(dir.path(), &["fmt", "--check", "."]);
    assert_eq!(code, Some(1), "{listed}");
    assert_eq!(unsafe_chars(&listed), Vec::<char>::new(), "{listed}");
    assert!(listed.contains("p\\u{1b}[2J.plan"), "{listed}");
}
