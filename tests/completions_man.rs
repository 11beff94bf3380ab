//! `opsplan completions SHELL` and `opsplan man [--out DIR]` as users run them (issue #19,
//! item 6): every shell's script names the real subcommands, bash registers and answers
//! it, the manual page renders with `man -l`, `--out DIR` writes one page per subcommand,
//! and the output-safety rules hold for the pages (nothing written on a refusal).

use assert_cmd::Command;
use std::path::Path;

const SHELLS: [&str; 5] = ["bash", "zsh", "fish", "powershell", "elvish"];

/// Every page `man --out` writes: the main page and one per subcommand, nested ones too.
const PAGES: [&str; 21] = [
    "opsplan-agenda.1",
    "opsplan-check.1",
    "opsplan-completions.1",
    "opsplan-diff.1",
    "opsplan-export.1",
    "opsplan-fmt.1",
    "opsplan-lsp.1",
    "opsplan-man.1",
    "opsplan-report-consistency.1",
    "opsplan-report-monthly.1",
    "opsplan-report-qualification.1",
    "opsplan-report-staffing.1",
    "opsplan-report-templates.1",
    "opsplan-report-trace.1",
    "opsplan-report.1",
    "opsplan-reqs-diff.1",
    "opsplan-reqs-list.1",
    "opsplan-reqs.1",
    "opsplan-rule.1",
    "opsplan-trace.1",
    "opsplan.1",
];

fn opsplan() -> Command {
    Command::cargo_bin("opsplan").expect("binary built")
}

/// Runs `opsplan ARGS` and returns (exit code, stdout, stderr).
fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = opsplan().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    )
}

fn has_program(name: &str) -> bool {
    std::process::Command::new(name)
        .arg("--version")
        .output()
        .is_ok()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_shell_script_completes_the_real_command_tree() {
    for shell in SHELLS {
        let (code, script, err) = run(&["completions", shell]);
        assert_eq!(code, Some(0), "{shell}: {err}");
        assert_eq!(err, "", "{shell}");
        assert!(script.len() > 1000, "{shell}: a script expected:\n{script}");
        for word in [
            "check",
            "trace",
            "report",
            "reqs",
            "diff",
            "export",
            "fmt",
            "agenda",
            "rule",
            "completions",
            "man",
            "consistency",
            "monthly",
            // Long options (fish writes them `-l changed-since`).
            "changed-since",
            "no-config",
            // A value enum: the formats of `check --format`.
            "sarif",
            "junit",
        ] {
            assert!(script.contains(word), "{shell}: {word:?} not completed");
        }
    }
}

#[test]
fn path_arguments_complete_as_paths() {
    let (_, zsh, _) = run(&["completions", "zsh"]);
    let config = zsh
        .lines()
        .find(|l| l.contains("--config=["))
        .expect("--config in the zsh script");
    assert!(config.ends_with(":FILE:_files' \\"), "{config}");
    let out = zsh
        .lines()
        .find(|l| l.contains("'--out=[Write opsplan.1"))
        .expect("man --out in the zsh script");
    assert!(out.contains("_files -/"), "a folder expected: {out}");
    let (_, fish, _) = run(&["completions", "fish"]);
    assert!(
        fish.lines()
            .any(|l| l.contains("-l config") && l.contains("-F")),
        "fish completes --config as a file"
    );
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let (code, out, err) = run(&["completions", "tcsh"]);
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(out, "");
    assert!(err.contains("invalid value 'tcsh'"), "{err}");
    assert!(err.contains("bash, elvish, fish, powershell, zsh"), "{err}");
    let (code, _, err) = run(&["completions"]);
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn bash_registers_the_script_and_completes_subcommands() {
    if !has_program("bash") {
        println!("bash is absent: the bash completion test is skipped");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let script = tmp.path().join("opsplan.bash");
    let (code, text, err) = run(&["completions", "bash"]);
    assert_eq!(code, Some(0), "{err}");
    std::fs::write(&script, text).unwrap();
    let probe = "source \"$1\" || exit 9\n\
        complete -p opsplan || exit 8\n\
        COMP_WORDS=(opsplan ch); COMP_CWORD=1; COMP_LINE='opsplan ch'; COMP_POINT=10\n\
        _opsplan opsplan ch opsplan\n\
        echo \"words: ${COMPREPLY[*]}\"\n\
        COMP_WORDS=(opsplan check --for); COMP_CWORD=2; COMP_LINE='opsplan check --for'; COMP_POINT=19\n\
        _opsplan opsplan --for check\n\
        echo \"options: ${COMPREPLY[*]}\"\n";
    let out = std::process::Command::new("bash")
        .args(["--norc", "--noprofile", "-c", probe, "probe"])
        .arg(&script)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.starts_with("complete -o bashdefault -o default -o nosort -F _opsplan opsplan\n"),
        "{stdout}"
    );
    assert!(stdout.contains("words: check\n"), "{stdout}");
    assert!(stdout.contains("options: --format\n"), "{stdout}");
}

#[test]
fn the_man_page_has_name_synopsis_exit_status_and_the_docs() {
    let (code, page, err) = run(&["man"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(err, "");
    assert!(page.starts_with(".ie \\n(.g .ds Aq \\(aq"), "roff expected");
    assert!(page.contains("\n.TH opsplan 1 "), "{page}");
    // Deterministic: no date, no clock.
    assert_eq!(run(&["man"]).1, page);
    let text = if has_program("man") {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("opsplan.1");
        std::fs::write(&file, &page).unwrap();
        let out = std::process::Command::new("man")
            .arg("-l")
            .arg(&file)
            .env("MANWIDTH", "200")
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    } else {
        println!("man is absent: the roff source is checked instead");
        page.clone()
    };
    for needle in [
        "NAME",
        "opsplan - Check flight plans and operational procedures",
        "SYNOPSIS",
        "SUBCOMMANDS",
        "opsplan-check(1)",
        "EXIT STATUS",
        "An internal error (a bug in opsplan)",
        "SEE ALSO",
        "docs/tracing.md",
        "docs/editors.md",
    ] {
        assert!(text.contains(needle), "{needle:?} not in:\n{text}");
    }
    let status = text.split("EXIT STATUS").nth(1).unwrap();
    for code in ["0", "1", "2", "3"] {
        assert!(
            status
                .lines()
                .any(|l| l.trim() == code || l.trim().starts_with(&format!("{code} "))),
            "exit code {code} not listed:\n{status}"
        );
    }
    assert!(status.contains("129"), "{status}");
}

#[test]
fn man_out_writes_one_page_per_subcommand() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("share/man/man1");
    let shown = dir.to_str().unwrap();
    let (code, out, err) = run(&["man", "--out", shown]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(err, "");
    assert_eq!(files_in(&dir), PAGES);
    // opsplan.1 first, then the pages by name, one path a line.
    assert_eq!(
        out.lines().next(),
        Some(format!("{shown}/opsplan.1").as_str())
    );
    assert_eq!(out.lines().count(), PAGES.len());
    for page in PAGES {
        let text = std::fs::read_to_string(dir.join(page)).unwrap();
        let name = page.trim_end_matches(".1");
        assert!(
            text.contains(&format!("\n.TH {name} 1 ")),
            "{page}: its title expected"
        );
        assert!(text.contains("docs/"), "{page}: where the docs are");
    }
    let check = std::fs::read_to_string(dir.join("opsplan-check.1")).unwrap();
    assert!(check.contains("\\-\\-no\\-config"), "check's options");
    assert!(check.contains("\\-\\-watch"), "check's --watch");
    assert!(check.contains("\\-\\-quiet"), "check's --quiet");
    let report = std::fs::read_to_string(dir.join("opsplan-report-consistency.1")).unwrap();
    assert!(report.contains("\\-\\-watch"), "the reports' --watch");
    // The main page printed and the one written are the same.
    assert_eq!(
        std::fs::read_to_string(dir.join("opsplan.1")).unwrap(),
        run(&["man"]).1
    );
    // Again: the pages are replaced whole, and no temporary is left.
    std::fs::write(dir.join("opsplan-fmt.1"), "old").unwrap();
    let (code, _, err) = run(&["man", "--out", shown]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(files_in(&dir), PAGES);
    assert!(std::fs::read_to_string(dir.join("opsplan-fmt.1"))
        .unwrap()
        .contains(".TH opsplan-fmt 1"));
}

#[test]
fn man_out_onto_a_regular_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("pages");
    std::fs::write(&file, "mine").unwrap();
    let (code, out, err) = run(&["man", "--out", file.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(out, "");
    assert_eq!(
        err,
        format!(
            "opsplan: error: --out {} exists and is not a folder: nothing written\n",
            file.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
    let (code, _, err) = run(&["man", "--out", ""]);
    assert_eq!(code, Some(2), "{err}");
    // An empty DIR is refused by clap, before anything is made.
    assert!(
        err.starts_with("error: a value is required for '--out <DIR>'"),
        "{err}"
    );
}

#[test]
fn a_page_name_that_is_not_a_regular_file_is_refused_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir(dir.join("opsplan-check.1")).unwrap();
    let (code, out, err) = run(&["man", "--out", dir.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(out, "");
    assert_eq!(
        err,
        format!(
            "opsplan: error: --out {}/opsplan-check.1 is a folder, not a regular file: nothing written\n",
            dir.display()
        )
    );
    // Checked before the first write: no other page, no temporary.
    assert_eq!(files_in(dir), ["opsplan-check.1"]);
}

#[cfg(unix)]
#[test]
fn a_page_that_links_to_a_device_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::os::unix::fs::symlink("/dev/null", dir.join("opsplan.1")).unwrap();
    let (code, _, err) = run(&["man", "--out", dir.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.ends_with("opsplan.1 is a character device, not a regular file: nothing written\n"),
        "{err}"
    );
    assert_eq!(files_in(dir), ["opsplan.1"]);
}

#[cfg(unix)]
#[test]
fn a_page_that_links_to_a_regular_file_is_written_through_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("man1");
    std::fs::create_dir(&dir).unwrap();
    let real = tmp.path().join("real.1");
    std::fs::write(&real, "old").unwrap();
    std::os::unix::fs::symlink(&real, dir.join("opsplan.1")).unwrap();
    let (code, _, err) = run(&["man", "--out", dir.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(std::fs::symlink_metadata(dir.join("opsplan.1"))
        .unwrap()
        .is_symlink());
    assert_eq!(std::fs::read_to_string(&real).unwrap(), run(&["man"]).1);
}
