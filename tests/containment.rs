//! Inputs stay inside the project (issue 15, item 5; docs/limits.md, "Excerpts and
//! paths"): a path named inside an input leads inside the project folder (links
//! resolved) or a path `allow-paths:` names, else it is refused at its `use` or YAML
//! value and never read; special files are never read; a file read as opsplan source, a
//! flight-rule file or a window file that is not one is never quoted, in any format.
//! Every run is under the hostile-input limits (`common::limited`).

#[allow(dead_code)] // not every helper is used here
mod common;

use std::path::Path;

/// A secret the environment of the checking process holds: it must never be printed.
const SECRET: &str = "hunter2-opsplan-containment-secret";

/// (exit code, stdout, stderr) of `opsplan ARGS` run in `dir`, under the hostile limits,
/// with [`SECRET`] in its environment.
fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = common::limited()
        .current_dir(dir)
        .env("OPSPLAN_TEST_TOKEN", SECRET)
        .args(args)
        .output()
        .expect("runs");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(
        !stdout.contains(SECRET) && !stderr.contains(SECRET),
        "the secret was printed:\n{stdout}{stderr}"
    );
    (out.status.code(), stdout, stderr)
}

const PLAN: &str = "plan P {\n  horizon 2014/272 00:00 .. 2014/279 00:00\n  roles FD\n  activity A1 \"Poll\" {\n    at 2014/273 09:00   lasts 30m   by FD\n  }\n}\n";

const PROC: &str =
    "procedure X-1 \"x\" {\n  version 1.0\n  roles FD\n  step 1 {\n    end\n  }\n}\n";

/// `PLAN` with `line` added after its roles.
fn plan_with(line: &str) -> String {
    PLAN.replace("  roles FD\n", &format!("  roles FD\n  {line}\n"))
}

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[test]
fn use_of_a_file_outside_the_project_is_refused_at_the_use_and_never_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "opsplan.yaml", "");
    write(
        d,
        "p.plan",
        &plan_with("use procedures \"/proc/self/environ\"\n  use rules \"/etc/passwd\""),
    );
    let (code, text, _) = run(d, &["check", "p.plan", "--color", "never"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(!text.contains("root:"), "{text}");
    insta::assert_snapshot!("use_outside", text);

    // Not read in any format, the report included.
    for format in ["json", "sarif", "github", "junit"] {
        let (_, out, _) = run(d, &["check", "p.plan", "--format", format]);
        assert!(!out.contains("root:x"), "{format}: {out}");
    }
    let (_, html, _) = run(d, &["report", "consistency", "p.plan", "--format", "html"]);
    assert!(html.contains("is outside the project"), "{html}");
    assert!(!html.contains("root:x"));
}

#[test]
fn a_link_inside_the_project_pointing_out_is_outside() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let project = d.join("mission");
    write(&project, "opsplan.yaml", "");
    write(&project, "lib/ok.proc", PROC);
    write(d, "elsewhere/secret.proc", &format!("// {SECRET}\n{PROC}"));
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            d.join("elsewhere/secret.proc"),
            project.join("lib/link.proc"),
        )
        .unwrap();
        std::os::unix::fs::symlink("/etc/passwd", project.join("passwd.proc")).unwrap();
    }
    write(
        &project,
        "p.plan",
        &plan_with("use procedures \"lib/\"\n  use procedures \"passwd.proc\""),
    );
    let (code, text, _) = run(&project, &["check", "p.plan", "--color", "never"]);
    assert_eq!(code, Some(1), "{text}");
    insta::assert_snapshot!("link_out_of_the_project", text);

    // A folder given on the command line: its files are read, a link out of it is not.
    let (code, text, _) = run(&project, &["check", ".", "--color", "never"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains(
            "error[E003]: file not read: ../elsewhere/secret.proc is outside the project (.)"
        ),
        "{text}"
    );
}

#[test]
fn dot_dot_inside_the_project_and_allowed_paths_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "shared/lib/x.proc", PROC);
    write(d, "mission/opsplan.yaml", "");
    write(d, "mission/lib/y.proc", &PROC.replace("X-1", "Y-1"));
    write(
        d,
        "mission/plans/p.plan",
        &plan_with("use procedures \"../lib/\"\n  use procedures \"../../shared/lib/\""),
    );
    let m = d.join("mission");
    let (code, text, _) = run(&m, &["check", "plans/p.plan", "--color", "never"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("cannot use `../../shared/lib/`: ../shared/lib is outside the project (.): allow it with `allow-paths:` in opsplan.yaml"),
        "{text}"
    );
    // `..` that stays inside the project is read; the sibling folder once allowed.
    write(d, "mission/opsplan.yaml", "allow-paths: [../shared]\n");
    let (code, text, _) = run(&m, &["check", "plans/p.plan", "--color", "never"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.ends_with("in 3 files\n"), "{text}");
}

#[test]
fn paths_typed_on_the_command_line_are_read_wherever_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "mission/opsplan.yaml", "");
    write(d, "other/p.plan", PLAN);
    write(
        d,
        "other/r.csv",
        "Object Identifier,Object Heading,Object Text,Object Level\nR-1,,Shall poll,1\n",
    );
    let m = d.join("mission");
    let (code, text, _) = run(&m, &["check", "../other/p.plan", "--color", "never"]);
    assert_eq!(code, Some(0), "{text}");
    let (code, text, err) = run(&m, &["trace", "../other/p.plan", "-r", "../other/r.csv"]);
    assert_ne!(code, Some(2), "{text}{err}");
    assert!(text.contains("R-1  uncovered     — Shall poll"), "{text}");
}

#[test]
fn project_file_paths_outside_the_project_are_errors_at_their_value() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "p.plan", PLAN);
    write(d, "elsewhere/r.reqif", "");
    let mut out = String::new();
    for yaml in [
        "inputs: [p.plan, /etc/passwd]\n",
        "rules:\n  - /etc/passwd\n",
        "requirements:\n  sources: ../../../../../../../etc/passwd\n",
        "allow-paths: [nowhere]\n",
        "allow-paths: [/]\n",
        "allow-paths:\n  - /proc/self\n",
    ] {
        write(d, "opsplan.yaml", yaml);
        let (code, stdout, stderr) = run(d, &["check", "--color", "never"]);
        assert_eq!(code, Some(2), "{yaml}: {stdout}{stderr}");
        assert!(stdout.is_empty(), "nothing is written on exit 2: {stdout}");
        out.push_str(&format!("{yaml}=> {stderr}\n"));
    }
    insta::assert_snapshot!("project_file_values_outside", out);
}

#[test]
fn special_files_are_never_read_even_when_named_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (code, text, _) = run(d, &["check", "/proc/self/environ", "--color", "never"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("error[E003]: file cannot be read: a special file (under /proc), never read"),
        "{text}"
    );
    // Through a link in a folder given: the same.
    #[cfg(unix)]
    {
        write(d, "m/p.plan", PLAN);
        std::os::unix::fs::symlink("/proc/self/environ", d.join("m/env.proc")).unwrap();
        let (code, text, _) = run(
            d,
            &["check", "--no-config", "m/env.proc", "--color", "never"],
        );
        assert_eq!(code, Some(1), "{text}");
        assert!(text.contains("a special file (under /proc)"), "{text}");
    }
}

#[test]
fn a_file_that_is_not_of_its_kind_is_never_quoted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "opsplan.yaml", "");
    let env = format!("export API_TOKEN={SECRET}\nHOME=/root\n");
    write(d, ".env", &env);
    write(
        d,
        "id_key",
        &format!("-----BEGIN OPENSSH PRIVATE KEY-----\n{SECRET}\n"),
    );
    write(
        d,
        "secrets.yaml",
        &format!("# deploy keys\napi_token: {SECRET}\n"),
    );
    std::fs::write(
        d.join("blob.proc"),
        [&[0xffu8, 0xfe, 0, 1][..], SECRET.as_bytes()].concat(),
    )
    .unwrap();
    write(
        d,
        "p.plan",
        &plan_with(
            "use procedures \".env\"\n  use procedures \"id_key\"\n  use procedures \"blob.proc\"\n  use rules \"secrets.yaml\"\n  use windows \"id_key\"",
        ),
    );
    let (code, text, _) = run(d, &["check", "p.plan", "--color", "never"]);
    assert_eq!(code, Some(2), "{text}");
    insta::assert_snapshot!("not_of_its_kind", text);
    for format in ["json", "sarif", "github", "junit"] {
        run(d, &["check", "p.plan", "--format", format]);
    }
    for format in ["html", "md", "json"] {
        run(d, &["report", "consistency", "p.plan", "--format", format]);
    }
    // `fmt` of a folder holding a key named as a procedure: located, not quoted.
    write(
        d,
        "key.proc",
        &format!("-----BEGIN OPENSSH PRIVATE KEY-----\n{SECRET}\n"),
    );
    let (code, _, err) = run(d, &["fmt", "--check", "."]);
    assert_ne!(code, Some(0), "{err}");
    assert!(
        err.contains("error[E003]: not an opsplan source: it starts with `-----`"),
        "{err}"
    );
}

#[test]
fn monthly_manifest_paths_stay_inside_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "report/opsplan.yaml", "");
    write(d, "report/p.plan", PLAN);
    write(
        d,
        "report/monthly.yaml",
        "month: 2014-10\nplans: .\nas_flown: /etc/passwd\ncdm: ../cdm\n",
    );
    write(d, "cdm/x.kvn", "CCSDS_CDM_VERS = 1.0\n");
    let (code, _, err) = run(
        d,
        &[
            "report", "monthly", "--month", "2014-10", "report", "-o", "m.html",
        ],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(!d.join("m.html").exists());
    insta::assert_snapshot!("monthly_outside", err);
}

#[test]
fn a_file_named_as_procedures_and_as_rules_is_read_as_both_in_either_order() {
    // Once, a file named by `use procedures` before `use rules` was read only as a
    // source: its rules were dropped without a word.
    let rules = "rules:\n  - id: FR-1\n    title: no FD work before 10:00\n    kind: forbidden_window\n    select: { role: FD }\n    windows: [EARLY]\n";
    for uses in [
        "use procedures \"r.yaml\"\n  use rules \"r.yaml\"",
        "use rules \"r.yaml\"\n  use procedures \"r.yaml\"",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "r.yaml", rules);
        write(
            d,
            "p.plan",
            &plan_with(&format!(
                "window EARLY 2014/273 00:00 .. 2014/273 10:00\n  {uses}"
            )),
        );
        let (code, out, _) = run(d, &["check", "p.plan"]);
        assert_eq!(code, Some(1), "{out}");
        assert!(
            out.contains("error[F001]: FR-1"),
            "the rule was dropped:\n{out}"
        );
        assert!(
            out.contains("error[E003]: not an opsplan source"),
            "the use as procedures was dropped:\n{out}"
        );
    }
}
