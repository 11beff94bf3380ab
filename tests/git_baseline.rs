//! Baselines read from git (issue #20, item 5): `trace --changed-since git:REV`,
//! `--baseline git:REV:path`, `reqs diff git:REV:path NEW`, read through gix by the
//! binary. The repositories are made in temporary folders with the `git` program (the
//! tests' tool, not opsplan's); every error is exit 2 with one located line.

use assert_cmd::Command;
use std::path::Path;

mod common;

fn opsplan(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("opsplan").expect("binary built");
    c.current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("SOURCE_DATE_EPOCH")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir);
    c
}

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    common::output_of(opsplan(dir).args(args))
}

/// Runs the `git` program in `dir` (a fixed identity and dates: the hashes do not
/// matter, the commits must succeed anywhere).
fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .env("GIT_AUTHOR_NAME", "T")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "T")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .env("GIT_AUTHOR_DATE", "2014-10-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2014-10-01T00:00:00Z")
        .output()
        .expect("the git program runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const PLAN: &str = "plan P \"Fixture\" {\n  horizon 2014/272 00:00 .. 2014/279 00:00\n  roles FD\n  activity A1 \"Burn\" { at 2014/273 09:00 lasts 30m by FD covers REQ-1 }\n  activity A2 \"Downlink\" { at 2014/273 10:00 lasts 30m by FD covers REQ-2 }\n}\n";
const REQS_1: &str =
    "Object Identifier,Object Text\nREQ-1,The burn shall be confirmed.\nREQ-2,The dump shall be complete.\n";
const REQS_2: &str = "Object Identifier,Object Text\nREQ-1,The burn shall be confirmed by two operators.\nREQ-2,The dump shall be complete.\n";

/// A project in a new repository: `opsplan.yaml`, `plans/week.plan`, `reqs.csv`;
/// committed (tag `v1`), then the export changed (REQ-1's text) and committed again.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("plans")).unwrap();
    std::fs::write(d.join("plans/week.plan"), PLAN).unwrap();
    std::fs::write(
        d.join("opsplan.yaml"),
        "inputs: [plans]\nrequirements:\n  sources: [reqs.csv]\n",
    )
    .unwrap();
    std::fs::write(d.join("reqs.csv"), REQS_1).unwrap();
    git(d, &["init", "-q", "-b", "main"]);
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "first issue"]);
    git(d, &["tag", "v1"]);
    std::fs::write(d.join("reqs.csv"), REQS_2).unwrap();
    git(d, &["commit", "-q", "-am", "REQ-1 changed"]);
    dir
}

/// `text` with the baseline's name in place of `name`.
fn renamed(text: &str, name: &str, by: &str) -> String {
    text.replace(name, by)
}

#[test]
fn changed_since_a_revision_is_the_same_as_the_old_file_on_disk() {
    let dir = project();
    let d = dir.path();
    std::fs::write(d.join("old.csv"), REQS_1).unwrap();
    let (code, on_disk, err) = run(
        d,
        &["trace", "--changed-since", "old.csv", "--color", "never"],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(on_disk.contains("REQ-1"), "{on_disk}");
    assert!(on_disk.contains("changed since the baseline"), "{on_disk}");
    for rev in ["git:HEAD~1", "git:v1", "git:main~1", "git:HEAD~1:reqs.csv"] {
        let (code, from_git, err) = run(d, &["trace", "--changed-since", rev, "--color", "never"]);
        assert_eq!(code, Some(1), "{rev}: {err}");
        assert_eq!(err, "", "{rev}");
        assert_eq!(
            renamed(&from_git, "git:HEAD~1:reqs.csv", "old.csv")
                .replace("git:v1:reqs.csv", "old.csv")
                .replace("git:main~1:reqs.csv", "old.csv"),
            on_disk,
            "{rev}"
        );
    }
    // The JSON names the baseline as it was read.
    let (_, json, _) = run(
        d,
        &["trace", "--changed-since", "git:HEAD~1", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["baseline"], serde_json::json!(["git:HEAD~1:reqs.csv"]));
}

#[test]
fn a_baseline_at_a_revision_makes_traces_suspect() {
    let dir = project();
    let d = dir.path();
    let (code, text, err) = run(d, &["trace", "--baseline", "git:v1", "--color", "never"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(text.contains("baseline:     git:v1:reqs.csv\n"), "{text}");
    let req1 = text
        .lines()
        .find(|l| l.starts_with("REQ-1 "))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(req1.contains("suspect"), "{req1}");
    // At the current revision nothing changed: no suspect trace.
    let (code, text, err) = run(d, &["trace", "--baseline", "git:HEAD", "--color", "never"]);
    assert_eq!(code, Some(0), "{text}{err}");
}

#[test]
fn the_repository_is_found_from_the_path_and_the_path_is_relative_to_the_current_folder() {
    let dir = project();
    let d = dir.path();
    // Run from the plans folder: the export is ../reqs.csv, the repository found upward.
    let (code, text, err) = run(
        &d.join("plans"),
        &["reqs", "diff", "git:HEAD~1:../reqs.csv", "../reqs.csv"],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(text.contains("REQ-1"), "{text}");
}

#[test]
fn reqs_diff_reads_the_old_export_at_a_revision() {
    let dir = project();
    let d = dir.path();
    std::fs::write(d.join("old.csv"), REQS_1).unwrap();
    let (code, on_disk, err) = run(d, &["reqs", "diff", "old.csv", "reqs.csv"]);
    assert_eq!(code, Some(1), "{err}");
    let (code, from_git, err) = run(d, &["reqs", "diff", "git:HEAD~1:reqs.csv", "reqs.csv"]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(err, "");
    assert_eq!(
        renamed(&from_git, "git:HEAD~1:reqs.csv", "old.csv"),
        on_disk
    );
    // The same revision: no difference.
    let (code, _, err) = run(d, &["reqs", "diff", "git:HEAD:reqs.csv", "reqs.csv"]);
    assert_eq!(code, Some(0), "{err}");
    // A folder at a revision is searched for exports as on disk.
    std::fs::create_dir(d.join("exports")).unwrap();
    std::fs::write(d.join("exports/a.csv"), REQS_1).unwrap();
    std::fs::write(d.join("exports/notes.txt"), "not an export").unwrap();
    git(d, &["add", "exports"]);
    git(d, &["commit", "-q", "-m", "exports folder"]);
    let (code, text, err) = run(d, &["reqs", "diff", "git:HEAD:exports", "reqs.csv"]);
    assert_eq!(code, Some(1), "{text}{err}");
    assert!(text.contains("REQ-1"), "{text}");
}

#[test]
fn a_file_named_like_a_revision_is_read_from_disk_when_written_with_dot_slash() {
    let dir = project();
    let d = dir.path();
    std::fs::write(d.join("git:old.csv"), REQS_1).unwrap();
    let (code, text, err) = run(d, &["reqs", "diff", "./git:old.csv", "reqs.csv"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(text.contains("REQ-1"), "{text}");
}

/// Every refusal: exit 2, nothing on stdout, one line on stderr (kept in a snapshot
/// with the temporary folders' names replaced).
#[test]
fn errors_are_exit_2_and_say_what_and_where() {
    let dir = project();
    let d = dir.path();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("r.csv"), REQS_1).unwrap();
    // A symbolic link and a submodule-like entry are not files of the tree.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("reqs.csv", d.join("link.csv")).unwrap();
        git(d, &["add", "link.csv"]);
        git(d, &["commit", "-q", "-m", "a link"]);
    }
    let real = |p: &Path| std::fs::canonicalize(p).unwrap().display().to_string();
    let (d_real, outside_real) = (real(d), real(outside.path()));
    let outside_csv = format!("{}/r.csv", outside.path().display());
    let cases: Vec<(&str, Vec<String>)> = vec![
        (
            "unknown revision",
            vec!["reqs", "diff", "git:no-such-tag:reqs.csv", "reqs.csv"]
                .into_iter()
                .map(String::from)
                .collect(),
        ),
        (
            "path absent at the revision",
            vec!["reqs", "diff", "git:v1:gone.csv", "reqs.csv"]
                .into_iter()
                .map(String::from)
                .collect(),
        ),
        (
            "a folder with no export",
            vec!["reqs", "diff", "git:v1:plans", "reqs.csv"]
                .into_iter()
                .map(String::from)
                .collect(),
        ),
        (
            "a symbolic link",
            vec!["reqs", "diff", "git:HEAD:link.csv", "reqs.csv"]
                .into_iter()
                .map(String::from)
                .collect(),
        ),
        (
            "no path",
            vec!["reqs", "diff", "git:HEAD", "reqs.csv"]
                .into_iter()
                .map(String::from)
                .collect(),
        ),
        (
            "no revision",
            vec!["reqs", "diff", "git::reqs.csv", "reqs.csv"]
                .into_iter()
                .map(String::from)
                .collect(),
        ),
        (
            "outside the repository",
            vec![
                "trace".to_string(),
                "-r".into(),
                "reqs.csv".into(),
                "-r".into(),
                outside_csv.clone(),
                "--changed-since".into(),
                "git:HEAD".into(),
            ],
        ),
        (
            "trace: unknown revision",
            vec!["trace", "--changed-since", "git:HEAD~9"]
                .into_iter()
                .map(String::from)
                .collect(),
        ),
        (
            "trace: the export absent at the revision",
            vec!["trace", "--changed-since", "git:HEAD:old.csv"]
                .into_iter()
                .map(String::from)
                .collect(),
        ),
        (
            "trace: a revision and a file",
            vec!["trace", "--baseline", "git:v1", "--baseline", "reqs.csv"]
                .into_iter()
                .map(String::from)
                .collect(),
        ),
        (
            "diff: a side absent at the revision",
            vec!["diff", "git:v1:no-such-plans", "plans"]
                .into_iter()
                .map(String::from)
                .collect(),
        ),
    ];
    let mut transcript = String::new();
    for (what, args) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out, err) = run(d, &args);
        assert_eq!(code, Some(2), "{what}: {out}{err}");
        assert_eq!(out, "", "{what}");
        assert_eq!(err.lines().count(), 1, "{what}: {err}");
        transcript.push_str(&format!("{what}:\n  {err}"));
    }
    // Not in a repository: a file outside every repository.
    let (code, out, err) = run(outside.path(), &["reqs", "diff", "git:HEAD:r.csv", "r.csv"]);
    assert_eq!(code, Some(2), "{out}{err}");
    // (A repository above the temporary folder, if any, would be found: say only that it
    // failed, and keep the message in the snapshot when it is the expected one.)
    if err.contains("is in no git repository") {
        transcript.push_str(&format!("not in a repository:\n  {err}"));
    }
    let transcript = transcript
        .replace(&d_real, "[REPO]")
        .replace(&d.display().to_string(), "[REPO]")
        .replace(&outside_real, "[OUTSIDE]")
        .replace(&outside.path().display().to_string(), "[OUTSIDE]");
    let transcript = regex_free_hash(&transcript);
    insta::assert_snapshot!(transcript);
}

/// gix's messages may name object hashes: none is expected here, but a 40-digit
/// hexadecimal run would be replaced by `[HASH]`.
fn regex_free_hash(text: &str) -> String {
    let mut out = String::new();
    let mut run = String::new();
    for c in text.chars() {
        if c.is_ascii_hexdigit() {
            run.push(c);
            continue;
        }
        out.push_str(if run.len() >= 40 { "[HASH]" } else { &run });
        run.clear();
        out.push(c);
    }
    out.push_str(if run.len() >= 40 { "[HASH]" } else { &run });
    out
}

#[test]
fn nothing_outside_the_repository_is_read_at_a_revision() {
    let dir = project();
    let d = dir.path();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("r.csv"), REQS_1).unwrap();
    // An export of the run outside the repository of the first: refused, not read.
    let outside_csv = outside.path().join("r.csv").display().to_string();
    let (code, out, err) = run(
        d,
        &[
            "trace",
            "-r",
            "reqs.csv",
            "-r",
            &outside_csv,
            "--changed-since",
            "git:HEAD",
        ],
    );
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(err.contains("outside the repository"), "{err}");
    // A folder of the work tree that is a link leading outside is not followed: the path
    // is looked up in the tree, where it is not.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.path(), d.join("out")).unwrap();
        let (code, out, err) = run(d, &["reqs", "diff", "git:HEAD:out/r.csv", "reqs.csv"]);
        assert_eq!(code, Some(2), "{out}{err}");
        assert!(
            err.contains("git:HEAD:out/r.csv: no such file or folder at HEAD"),
            "{err}"
        );
        // Committed, the link is a link in the tree: refused by name.
        git(d, &["add", "out"]);
        git(d, &["commit", "-q", "-m", "a link to a folder"]);
        let (code, out, err) = run(d, &["reqs", "diff", "git:HEAD:out/r.csv", "reqs.csv"]);
        assert_eq!(code, Some(2), "{out}{err}");
        let (code, out, err) = run(d, &["reqs", "diff", "git:HEAD:out", "reqs.csv"]);
        assert_eq!(code, Some(2), "{out}{err}");
        assert!(err.contains("a symbolic link at HEAD"), "{err}");
    }
}

#[test]
fn the_traceability_report_takes_a_revision_too() {
    let dir = project();
    let d = dir.path();
    std::fs::write(d.join("old.csv"), REQS_1).unwrap();
    let report = |old: &str| {
        let (code, out, err) =
            common::output_of(opsplan(d).env("SOURCE_DATE_EPOCH", "1412121600").args([
                "report",
                "trace",
                "--changed-since",
                old,
                "--format",
                "md",
            ]));
        assert_eq!(code, Some(1), "{old}: {err}");
        out
    };
    let on_disk = report("old.csv");
    assert!(on_disk.contains("REQ-1"), "{on_disk}");
    // The baseline's provenance (bytes, SHA-256) is that of the file at the revision.
    assert_eq!(
        renamed(&report("git:HEAD~1"), "git:HEAD\\~1:reqs.csv", "old.csv"),
        on_disk
    );
}

#[test]
fn plan_diff_reads_a_side_at_a_revision_and_names_it_so() {
    let dir = project();
    let d = dir.path();
    // The old issue kept on disk too, to compare with.
    std::fs::create_dir(d.join("old")).unwrap();
    std::fs::write(d.join("old/week.plan"), PLAN).unwrap();
    let moved = PLAN.replace("at 2014/273 10:00", "at 2014/273 11:00");
    std::fs::write(d.join("plans/week.plan"), moved).unwrap();
    git(d, &["commit", "-q", "-am", "A2 moved"]);
    let tmp = tempfile::tempdir().unwrap();
    let diff = |args: &[&str]| common::output_of(opsplan(d).env("TMPDIR", tmp.path()).args(args));
    let (code, from_git, err) = diff(&["diff", "git:HEAD~1:plans", "plans"]);
    assert_eq!(code, Some(1), "{from_git}{err}");
    assert!(from_git.contains("A2"), "{from_git}");
    assert!(
        from_git.contains("git:HEAD~1:plans/week.plan"),
        "{from_git}"
    );
    assert!(!from_git.contains(".opsplan-tmp"), "{from_git}");
    // The same comparison as with the old issue on disk (the old side's own project file
    // is the revision's opsplan.yaml, found above the folder as on disk).
    let (_, on_disk, _) = diff(&["diff", "--no-config", "old", "plans"]);
    let (_, from_git_bare, _) = diff(&["diff", "--no-config", "git:HEAD~1:plans", "plans"]);
    assert_eq!(
        renamed(&from_git_bare, "git:HEAD~1:plans/", "old/"),
        on_disk
    );
    let (code, json, err) = diff(&["diff", "--format", "json", "git:HEAD~1:plans", "plans"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(json.contains("git:HEAD~1:opsplan.yaml"), "{json}");
    assert!(!json.contains(".opsplan-tmp"), "{json}");
    // The same revision on both sides: no difference. The temporary folders are gone.
    let (code, _, err) = diff(&["diff", "git:HEAD:plans", "plans"]);
    assert_eq!(code, Some(0), "{err}");
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}
