//! `opsplan fmt` in place, safely (issue #15, "Data loss"): through a symbolic link it
//! formats the target and keeps the link; a file with several names keeps them all (each
//! sees the new text); mode kept; a read-only file is refused ("read-only", exit 2, by its
//! mode bits, also as root); a file saved while it was formatted is left as saved; a write
//! error is exit 2 and the summary counts only the files written.
#![cfg(unix)]

use assert_cmd::Command;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

const UNFORMATTED: &str =
    "plan W40 { horizon 2014/272 00:00 .. 2014/279 00:00\nroles FD,MCC-M\n}\n";

fn formatted(text: &str) -> String {
    opsplan::syntax::format::format(text).expect("the sample formats")
}

fn opsplan() -> Command {
    Command::cargo_bin("opsplan").expect("the binary is built")
}

/// (exit code, stdout, stderr) of `opsplan fmt ARGS`.
fn fmt(args: &[&Path]) -> (Option<i32>, String, String) {
    let out = opsplan().arg("fmt").args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".opsplan-"))
        .collect()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn a_symbolic_link_is_written_through_to_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.plan");
    let link = dir.path().join("link.plan");
    std::fs::write(&real, UNFORMATTED).unwrap();
    std::os::unix::fs::symlink("real.plan", &link).unwrap();
    let (code, out, err) = fmt(&[&link]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out.trim_end(), link.display().to_string());
    assert!(err.contains("1 of 1 files reformatted"), "{err}");
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(
        std::fs::read_to_string(&real).unwrap(),
        formatted(UNFORMATTED)
    );
    // A folder holding the file and a link to it: one file, formatted once.
    std::fs::write(&real, UNFORMATTED).unwrap();
    let (code, out, err) = fmt(&[dir.path()]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(err.contains("1 of 1 files reformatted"), "{err}");
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(
        std::fs::read_to_string(&real).unwrap(),
        formatted(UNFORMATTED)
    );
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn hard_links_keep_seeing_one_file_with_its_mode() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.plan");
    let b = dir.path().join("b.plan");
    std::fs::write(&a, UNFORMATTED).unwrap();
    std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o640)).unwrap();
    std::fs::hard_link(&a, &b).unwrap();
    let inode = std::fs::metadata(&a).unwrap().ino();
    let (code, _, err) = fmt(&[&a]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("1 of 1 files reformatted"), "{err}");
    for name in [&a, &b] {
        let m = std::fs::metadata(name).unwrap();
        assert_eq!((m.ino(), m.nlink()), (inode, 2), "{}", name.display());
        assert_eq!(
            std::fs::read_to_string(name).unwrap(),
            formatted(UNFORMATTED)
        );
    }
    assert_eq!(mode(&a), 0o640);
    assert!(
        leftovers(dir.path()).is_empty(),
        "the backup copy is removed"
    );
}

#[test]
fn a_replaced_file_keeps_its_mode() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("w.plan");
    std::fs::write(&f, UNFORMATTED).unwrap();
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o604)).unwrap();
    let (code, _, err) = fmt(&[&f]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(std::fs::read_to_string(&f).unwrap(), formatted(UNFORMATTED));
    assert_eq!(mode(&f), 0o604);
}

#[test]
fn a_read_only_file_is_refused_by_its_mode_bits_even_as_root() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("w.plan");
    std::fs::write(&f, UNFORMATTED).unwrap();
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o444)).unwrap();
    let (code, out, err) = fmt(&[&f]);
    assert_eq!(code, Some(2), "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains(&format!("{}: read-only: not reformatted", f.display())),
        "{err}"
    );
    assert!(err.contains("0 of 1 files reformatted"), "{err}");
    assert_eq!(std::fs::read_to_string(&f).unwrap(), UNFORMATTED);
    assert_eq!(mode(&f), 0o444);
    // --check writes nothing: the file is listed as one to reformat.
    let out = opsplan().args(["fmt", "--check"]).arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(leftovers(dir.path()).is_empty());
}

/// The check before the rename, on the library function `fmt` writes with: the bytes it
/// formatted are no longer in the file (an editor saved it meanwhile).
#[test]
fn a_file_changed_while_formatting_is_left_as_saved() {
    use opsplan::cli::write::{replace_checked, ReplaceError};
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("w.plan");
    std::fs::write(&f, UNFORMATTED).unwrap();
    let read = std::fs::read(&f).unwrap();
    let new = formatted(UNFORMATTED);
    let saved = UNFORMATTED.replace("MCC-M", "MCC-M, GC");
    std::fs::write(&f, &saved).unwrap();
    let e = replace_checked(&f, &read, new.as_bytes()).unwrap_err();
    assert!(matches!(e, ReplaceError::Changed));
    assert_eq!(
        e.to_string(),
        "changed while formatting: not written (run opsplan fmt again)"
    );
    assert_eq!(std::fs::read_to_string(&f).unwrap(), saved);
    assert!(leftovers(dir.path()).is_empty());
    // Unchanged, it is written.
    let read = std::fs::read(&f).unwrap();
    replace_checked(&f, &read, formatted(&saved).as_bytes()).unwrap();
    assert_eq!(std::fs::read_to_string(&f).unwrap(), formatted(&saved));
}

/// A plan whose formatted text is larger than 512 bytes.
fn large_plan() -> String {
    let mut s = String::from("plan BIG { horizon 2014/272 00:00 .. 2014/279 00:00\n");
    for i in 0..40 {
        s.push_str(&format!("roles R{i},S{i}\n"));
    }
    s.push_str("}\n");
    s
}

#[test]
fn a_write_error_is_exit_2_and_the_summary_counts_only_files_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let small = d.join("a-small.plan");
    let large = d.join("b-large.plan");
    let linked = d.join("c-linked.plan");
    let link = d.join("c-other-name.plan");
    let done = d.join("d-done.plan");
    let ro = d.join("e-read-only.plan");
    std::fs::write(&small, UNFORMATTED).unwrap();
    std::fs::write(&large, large_plan()).unwrap();
    std::fs::write(&linked, large_plan()).unwrap();
    std::fs::hard_link(&linked, &link).unwrap();
    std::fs::write(&done, formatted(UNFORMATTED)).unwrap();
    std::fs::write(&ro, UNFORMATTED).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
    assert!(formatted(&large_plan()).len() > 512 && UNFORMATTED.len() < 512);
    // A file-size limit of one 512-byte block, SIGXFSZ ignored: writing more than that
    // fails with EFBIG, as writing onto a full disk fails with ENOSPC.
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 1; exec \"$0\" fmt \"$1\"")
        .arg(env!("CARGO_BIN_EXE_opsplan"))
        .arg(d)
        .output()
        .unwrap();
    let (stdout, err) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(stdout.trim_end(), small.display().to_string(), "{stdout}");
    assert!(err.contains("1 of 5 files reformatted"), "{err}");
    assert!(
        err.contains(&format!("{}: cannot be written: ", large.display())),
        "{err}"
    );
    assert!(
        err.contains(&format!("{}: cannot be written: ", linked.display()))
            || err.contains(&format!("{}: cannot be written: ", link.display())),
        "{err}"
    );
    assert!(err.contains("read-only"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&small).unwrap(),
        formatted(UNFORMATTED)
    );
    assert_eq!(std::fs::read_to_string(&large).unwrap(), large_plan());
    assert_eq!(std::fs::read_to_string(&linked).unwrap(), large_plan());
    assert_eq!(std::fs::metadata(&link).unwrap().nlink(), 2);
    assert!(leftovers(d).is_empty(), "{:?}", leftovers(d));
}
