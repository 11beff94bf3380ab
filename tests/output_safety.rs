//! Output safety across every command (issue #7, part 5): the inputs are never modified
//! (bytes and modification times), every output is byte-identical across runs, and the
//! outputs written with `-o`/`--out` are the only files that appear.

mod common;
use common::copy_dir;

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file below `dir`: its bytes and modification time.
fn state(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let meta = std::fs::metadata(&p).unwrap();
                out.insert(
                    p.clone(),
                    (std::fs::read(&p).unwrap(), meta.modified().unwrap()),
                );
            }
        }
    }
    out
}

/// The commands, each writing into `out` (a folder outside the inputs); `{out}` is
/// replaced by that folder.
const COMMANDS: &[&[&str]] = &[
    &["check", "examples/atv5-week40", "--format", "json"],
    &["check", "examples/atv5-week40-defects", "--format", "sarif"],
    &["check", "examples/atv5-week40-defects", "--format", "junit"],
    &[
        "check",
        "examples/atv5-week40-defects",
        "--format",
        "github",
    ],
    &[
        "trace",
        "examples/atv5-week40",
        "--format",
        "json",
        "-o",
        "{out}/trace.json",
    ],
    &[
        "trace",
        "examples/atv5-week40",
        "--format",
        "csv",
        "-o",
        "{out}/trace.csv",
    ],
    &[
        "trace",
        "examples/atv5-week40",
        "--format",
        "xlsx",
        "-o",
        "{out}/trace.xlsx",
    ],
    &[
        "report",
        "consistency",
        "examples/atv5-week40-defects",
        "-o",
        "{out}/consistency.html",
    ],
    &[
        "report",
        "trace",
        "examples/atv5-week40",
        "--format",
        "md",
        "-o",
        "{out}/trace.md",
    ],
    &[
        "report",
        "monthly",
        "--month",
        "2014-10",
        "examples/atv5-2014-10",
        "-o",
        "{out}/monthly.html",
    ],
    &["export", "examples/atv5-week40", "--out", "{out}/package"],
    &[
        "agenda",
        "examples/atv5-week40",
        "--at",
        "2014/275 12:00",
        "--format",
        "html",
        "-o",
        "{out}/agenda.html",
    ],
    &[
        "agenda",
        "examples/atv5-week40",
        "--at",
        "2014/275 12:00",
        "--format",
        "json",
    ],
    &[
        "diff",
        "examples/atv5-week40/issues/atv5-week40-issue2.plan",
        "examples/atv5-week40",
        "--format",
        "json",
    ],
    &["fmt", "--check", "examples"],
    &[
        "reqs",
        "list",
        "requirements/atv-ops-requirements.xlsx",
        "--format",
        "json",
    ],
];

/// Runs every command in `root` (a copy of the project's inputs), writing into `out`;
/// returns each command's stdout.
fn run_all(root: &Path, out: &Path) -> Vec<Vec<u8>> {
    COMMANDS
        .iter()
        .map(|args| {
            let args: Vec<String> = args
                .iter()
                .map(|a| a.replace("{out}", &out.to_string_lossy()))
                .collect();
            let o = Command::cargo_bin("opsplan")
                .unwrap()
                .current_dir(root)
                // 2014-11-03 08:00: after every date of the examples (the October
                // monthly report refuses records dated after it is made).
                .env("SOURCE_DATE_EPOCH", "1415001600")
                .args(&args)
                .output()
                .unwrap();
            assert!(
                matches!(o.status.code(), Some(0 | 1)),
                "{args:?}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            // The export names its output folder.
            String::from_utf8_lossy(&o.stdout)
                .replace(&*out.to_string_lossy(), "{out}")
                .into_bytes()
        })
        .collect()
}

#[test]
fn inputs_are_never_modified_and_outputs_are_identical_across_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("project");
    for dir in ["examples", "requirements"] {
        copy_dir(Path::new(dir), &root.join(dir));
    }
    let before = state(&root);
    let (out1, out2) = (tmp.path().join("out1"), tmp.path().join("out2"));
    std::fs::create_dir_all(&out1).unwrap();
    std::fs::create_dir_all(&out2).unwrap();
    let stdout1 = run_all(&root, &out1);
    let stdout2 = run_all(&root, &out2);
    assert_eq!(
        state(&root),
        before,
        "no input changed, no file appeared among them"
    );
    for (i, (a, b)) in stdout1.iter().zip(&stdout2).enumerate() {
        assert!(
            a == b,
            "{:?}: standard output differs between runs",
            COMMANDS[i]
        );
    }
    // Paths inside the outputs name the output folder only in the export's listing.
    let files1: BTreeMap<PathBuf, Vec<u8>> = state(&out1)
        .into_iter()
        .map(|(p, (bytes, _))| (p.strip_prefix(&out1).unwrap().to_path_buf(), bytes))
        .collect();
    let files2: BTreeMap<PathBuf, Vec<u8>> = state(&out2)
        .into_iter()
        .map(|(p, (bytes, _))| (p.strip_prefix(&out2).unwrap().to_path_buf(), bytes))
        .collect();
    assert_eq!(
        files1.keys().collect::<Vec<_>>(),
        files2.keys().collect::<Vec<_>>()
    );
    assert!(files1.len() >= 20, "{:?}", files1.keys());
    for (name, bytes) in &files1 {
        assert!(
            bytes == &files2[name],
            "{}: differs between runs",
            name.display()
        );
        assert!(
            !name.to_string_lossy().contains(".opsplan-"),
            "no temporary file left"
        );
    }
}

#[test]
fn csv_for_excel_is_safe_from_formula_injection() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("p.plan"),
        "plan P {\n  horizon 2014/272 00:00 .. 2014/279 00:00\n  roles FD\n  \
         activity A1 \"=HYPERLINK(\\\"http://x\\\")\" {\n    at 2014/273 09:00   lasts 30m   by FD\n    \
         covers R-1\n  }\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("reqs.csv"),
        "ID,Text\nR-1,\"+cmd|' /C calc'!A0\"\nR-2,@SUM(1+1)\n",
    )
    .unwrap();
    let trace = Command::cargo_bin("opsplan")
        .unwrap()
        .current_dir(dir)
        .args(["trace", "p.plan", "-r", "reqs.csv", "--format", "csv"])
        .output()
        .unwrap();
    let csv = String::from_utf8(trace.stdout).unwrap();
    assert!(csv.contains("'+cmd") && !csv.contains(",+cmd"), "{csv}");
    assert!(
        !csv.contains(",@SUM") && !csv.contains(",=HYPERLINK"),
        "{csv}"
    );

    Command::cargo_bin("opsplan")
        .unwrap()
        .current_dir(dir)
        .args(["export", "p.plan", "--out", "pkg"])
        .assert()
        .success();
    let activities = std::fs::read_to_string(dir.join("pkg/activities.csv")).unwrap();
    assert!(activities.contains("'=HYPERLINK"), "{activities}");
    for line in activities.lines() {
        for cell in line.split(',') {
            let c = cell.trim_start_matches('"');
            assert!(!c.starts_with(['=', '+', '@']), "{cell} in {activities}");
        }
    }
}
