//! An output never replaces an input or a file that is not a regular file (issue #15,
//! "Data loss"): `-o` naming each kind of input a run reads (directly, through a symbolic
//! link, through a hard link), a FIFO, a character device, a folder; `export --out` over
//! the input's folder. Each refusal is exit 2, one line naming both paths, and nothing
//! written. Then the temporaries: a run interrupted by SIGINT or SIGTERM while it writes
//! leaves no `.opsplan-tmp-*` behind and ends by that signal (a shell shows 130 and 143),
//! and a later run removes the temporaries of dead processes, not those of live ones.
#![cfg(unix)]

mod common;
use common::{copy_dir, limited};

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// A copy of the week-40 mission and the requirements it traces to, laid out as in the
/// repository (`examples/atv5-week40`, `requirements/`), and of the October monthly
/// report's folder.
struct Mission {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

impl Mission {
    fn new() -> Mission {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        copy_dir(
            Path::new("examples/atv5-week40"),
            &root.join("examples/atv5-week40"),
        );
        copy_dir(
            Path::new("examples/atv5-2014-10"),
            &root.join("examples/atv5-2014-10"),
        );
        copy_dir(Path::new("requirements"), &root.join("requirements"));
        Mission { _tmp: tmp, root }
    }

    fn week(&self) -> PathBuf {
        self.root.join("examples/atv5-week40")
    }

    fn month(&self) -> PathBuf {
        self.root.join("examples/atv5-2014-10")
    }

    fn reqs(&self) -> PathBuf {
        self.root.join("requirements")
    }
}

/// Runs opsplan (under the hostile-input limits) with `args`; (exit code, stderr).
fn run(args: &[OsString]) -> (Option<i32>, String) {
    let out = limited().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    )
}

fn os(parts: &[&dyn AsRef<std::ffi::OsStr>]) -> Vec<OsString> {
    parts.iter().map(|p| p.as_ref().to_os_string()).collect()
}

/// The names of the temporaries left in `dir`.
fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".opsplan-"))
        .collect()
}

/// Runs `args` (whose `-o` is `victim`) and checks the refusal: exit 2, one error line
/// naming `-o`'s path and `also` (the input's path when they differ) and what it was read
/// as, `victim` byte for byte as it was, no temporary beside it.
fn refused(args: &[OsString], victim: &Path, read_as: &str, also: Option<&Path>) {
    let before = std::fs::read(victim).unwrap();
    let modified = std::fs::metadata(victim).unwrap().modified().unwrap();
    let (code, err) = run(args);
    assert_eq!(code, Some(2), "{args:?}: {err}");
    let line = err
        .lines()
        .find(|l| l.starts_with("opsplan: error: -o "))
        .unwrap_or_else(|| panic!("{args:?}: {err}"));
    assert!(
        line.ends_with(&format!("(read as {read_as}): nothing written")),
        "{line}"
    );
    let name = victim.file_name().unwrap().to_string_lossy().into_owned();
    assert!(line.contains(&name), "{line}");
    if let Some(other) = also {
        assert!(
            line.contains(&format!("the same file as {}", other.display())),
            "{line}"
        );
    }
    assert_eq!(
        std::fs::read(victim).unwrap(),
        before,
        "{} changed",
        victim.display()
    );
    assert_eq!(
        std::fs::metadata(victim).unwrap().modified().unwrap(),
        modified
    );
    assert!(temporaries(victim.parent().unwrap()).is_empty());
}

#[test]
fn o_naming_any_input_of_a_check_run_is_refused() {
    let m = Mission::new();
    let week = m.week();
    let plan = week.join("atv5-week40.plan");
    // The plan, with the consistency report.
    refused(
        &os(&[&"report", &"consistency", &week, &"-o", &plan]),
        &plan,
        "a plan",
        None,
    );
    // A procedure, with the shift sheet.
    let procedure = week.join("procedures/ATV-FCP-RBT-020.proc");
    refused(
        &os(&[
            &"agenda",
            &week,
            &"--at",
            &"2014/275 12:00",
            &"-o",
            &procedure,
        ]),
        &procedure,
        "a procedure file",
        None,
    );
    // A scenario.
    let scenario = week.join("scenarios/sim-rbt-overtemp.scn");
    refused(
        &os(&[&"report", &"consistency", &week, &"-o", &scenario]),
        &scenario,
        "a scenario file",
        None,
    );
    // The project file, with the trace.
    let project = week.join("opsplan.yaml");
    refused(
        &os(&[&"trace", &week, &"--format", &"json", &"-o", &project]),
        &project,
        "the project file",
        None,
    );
    // The flight rules, with the traceability report.
    let rules = week.join("flight-rules.yaml");
    refused(
        &os(&[&"report", &"trace", &week, &"-o", &rules]),
        &rules,
        "a flight-rule file",
        None,
    );
    // A Flight Dynamics window file.
    let windows = week.join("windows/rgs-week40.csv");
    refused(
        &os(&[&"report", &"consistency", &week, &"-o", &windows]),
        &windows,
        "a window file",
        None,
    );
    // The requirement export given with -r, and the baseline.
    let export = m.reqs().join("atv-ops-requirements.csv");
    refused(
        &os(&[
            &"trace",
            &week,
            &"-r",
            &export,
            &"--format",
            &"csv",
            &"-o",
            &export,
        ]),
        &export,
        "a requirement export",
        None,
    );
    let baseline = m
        .reqs()
        .join("baseline/atv-ops-requirements-baseline-1.reqif");
    refused(
        &os(&[&"trace", &week, &"--format", &"xlsx", &"-o", &baseline]),
        &baseline,
        "a requirement baseline",
        None,
    );
}

#[test]
fn o_naming_an_input_through_a_link_is_refused() {
    let m = Mission::new();
    let week = m.week();
    let plan = week.join("atv5-week40.plan");
    let soft = week.join("soft.plan");
    let hard = week.join("hard.plan");
    std::os::unix::fs::symlink("atv5-week40.plan", &soft).unwrap();
    std::fs::hard_link(&plan, &hard).unwrap();
    for link in [&soft, &hard] {
        refused(
            &os(&[&"report", &"consistency", &plan, &"-o", link]),
            link,
            "a plan",
            Some(&plan),
        );
    }
    assert!(std::fs::symlink_metadata(&soft).unwrap().is_symlink());
    // And the other way round: the plan read through the link, -o naming the file.
    refused(
        &os(&[&"report", &"consistency", &soft, &"-o", &plan]),
        &plan,
        "a plan",
        Some(&soft),
    );
}

#[test]
fn o_naming_an_input_of_the_monthly_report_is_refused() {
    let m = Mission::new();
    let month = m.month();
    let run_month = |victim: &Path, read_as: &str| {
        refused(
            &os(&[
                &"report", &"monthly", &"--month", &"2014-10", &month, &"-o", &victim,
            ]),
            victim,
            read_as,
            None,
        )
    };
    run_month(&month.join("as-flown-2014-10.csv"), "the as-flown log");
    run_month(&month.join("anomalies-2014.xlsx"), "the anomaly register");
    run_month(&month.join("monthly.yaml"), "the monthly manifest");
    run_month(&month.join("plans/atv5-week41.plan"), "a plan");
}

#[test]
fn o_naming_a_template_read_is_refused() {
    let m = Mission::new();
    let week = m.week();
    let templates = m.root.join("templates");
    std::fs::create_dir(&templates).unwrap();
    let own = templates.join("consistency.md");
    std::fs::write(&own, "{{ title | md }}\n").unwrap();
    refused(
        &os(&[
            &"report",
            &"consistency",
            &week,
            &"--format",
            &"md",
            &"--templates",
            &templates,
            &"-o",
            &own,
        ]),
        &own,
        "a report template",
        None,
    );
}

#[test]
fn o_naming_a_fifo_a_device_or_a_folder_is_refused() {
    let m = Mission::new();
    let week = m.week();
    let fifo = m.root.join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    for (target, kind) in [
        (fifo.clone(), "a FIFO (named pipe)"),
        (PathBuf::from("/dev/null"), "a character device"),
        (week.join("procedures"), "a folder"),
    ] {
        let (code, err) = run(&os(&[&"report", &"consistency", &week, &"-o", &target]));
        assert_eq!(code, Some(2), "{err}");
        let expected = format!(
            "opsplan: error: -o {} is {kind}, not a regular file: nothing written",
            target.display()
        );
        assert!(err.lines().any(|l| l == expected), "{err}");
    }
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    assert!(std::fs::symlink_metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
    assert!(temporaries(&m.root).is_empty());
}

#[test]
fn o_through_a_link_to_an_ordinary_file_writes_the_file_and_keeps_the_link() {
    let m = Mission::new();
    let week = m.week();
    let reports = m.root.join("reports");
    std::fs::create_dir(&reports).unwrap();
    let real = reports.join("consistency.md");
    std::fs::write(&real, "old\n").unwrap();
    let link = m.root.join("latest.md");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let (code, err) = run(&os(&[
        &"report",
        &"consistency",
        &week,
        &"--format",
        &"md",
        &"-o",
        &link,
    ]));
    assert_eq!(code, Some(0), "{err}");
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert!(std::fs::read_to_string(&real).unwrap().starts_with('#'));
    assert!(temporaries(&reports).is_empty() && temporaries(&m.root).is_empty());
}

#[test]
fn export_out_over_the_input_folder_is_refused() {
    let m = Mission::new();
    let week = m.week();
    let before = std::fs::read(week.join("atv5-week40.plan")).unwrap();
    let count = std::fs::read_dir(&week).unwrap().count();
    for (plan, verb) in [
        (week.clone(), "is"),
        (week.join("atv5-week40.plan"), "holds"),
    ] {
        let (code, err) = run(&os(&[&"export", &plan, &"--out", &week]));
        assert_eq!(code, Some(2), "{err}");
        let expected = format!(
            "opsplan: error: --out {} {verb} {}, an input of this run (read as the plan): nothing exported",
            week.display(),
            plan.display()
        );
        assert!(err.lines().any(|l| l == expected), "{err}");
    }
    assert_eq!(std::fs::read_dir(&week).unwrap().count(), count);
    assert_eq!(
        std::fs::read(week.join("atv5-week40.plan")).unwrap(),
        before
    );
    assert!(temporaries(&m.root.join("examples")).is_empty());
}

/// A process that ran and ended: its id names no running process (ids are not reused
/// within the few milliseconds of a test).
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn a_later_write_removes_the_temporaries_of_dead_processes_only() {
    let m = Mission::new();
    let out = m.root.join("out");
    std::fs::create_dir(&out).unwrap();
    let dead = dead_pid();
    let live = std::process::id();
    let stale_file = out.join(format!(".opsplan-tmp-{dead}-Ab3dEf7h"));
    let stale_folder = out.join(format!(".opsplan-tmp-{dead}-Xy3zWv9u"));
    let running = out.join(format!(".opsplan-tmp-{live}-Ab3dEf7h"));
    let backup = out.join(format!(".opsplan-backup-{dead}-Ab3dEf7h-w.plan"));
    std::fs::write(&stale_file, "partial").unwrap();
    std::fs::create_dir_all(stale_folder.join("calendars")).unwrap();
    std::fs::write(stale_folder.join("calendars/FD.ics"), "partial").unwrap();
    std::fs::write(&running, "being written").unwrap();
    std::fs::write(&backup, "a plan as it was").unwrap();
    let (code, err) = run(&os(&[
        &"report",
        &"consistency",
        &m.week(),
        &"-o",
        &out.join("c.html"),
    ]));
    assert_eq!(code, Some(0), "{err}");
    assert!(!stale_file.exists() && !stale_folder.exists());
    assert!(
        running.exists(),
        "the temporary of a running process is kept"
    );
    assert!(backup.exists(), "a backup is never removed as stale");
    // export sweeps the folder it writes beside too.
    std::fs::write(&stale_file, "partial").unwrap();
    let (code, err) = run(&os(&[&"export", &m.week(), &"--out", &out.join("pkg")]));
    assert_eq!(code, Some(0), "{err}");
    assert!(!stale_file.exists());
    assert!(running.exists());
}

/// `sh -c 'ulimit …; exec opsplan ARGS'` (the limits of `common::limited()`) started in
/// the background: its id is opsplan's. opsplan leaves a signal it was started ignoring
/// ignored (`nohup`); should the test runner ignore them, GNU env's `--default-signal`
/// gives opsplan the default dispositions back.
fn spawn_limited(args: &[OsString], dir: &Path) -> std::process::Child {
    let reset = std::process::Command::new("env")
        .args(["--default-signal=INT,TERM,HUP", "true"])
        .status()
        .is_ok_and(|s| s.success());
    let env = if reset {
        "env --default-signal=INT,TERM,HUP "
    } else {
        ""
    };
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {} && ulimit -t {} && exec {env}\"$0\" \"$@\"",
            common::HOSTILE_MEMORY_KIB,
            common::HOSTILE_CPU_SECONDS
        ))
        .arg(env!("CARGO_BIN_EXE_opsplan"))
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

fn send(child: &std::process::Child, signal: rustix::process::Signal) {
    let pid = rustix::process::Pid::from_raw(child.id() as i32).unwrap();
    rustix::process::kill_process(pid, signal).unwrap();
}

/// Starts the command `make(size)` builds in a fresh folder, waits until a temporary
/// appears in it, freezes the process (SIGSTOP) and, the temporary still there, sends
/// `signal` and lets it go on (SIGCONT). When the run finished before (it renamed its
/// temporary: the output is there), tries again with twice the size. Returns the folder,
/// the process's status and the output's path.
fn interrupt(
    signal: rustix::process::Signal,
    make: impl Fn(&Path, u32) -> (Vec<OsString>, PathBuf),
) -> (tempfile::TempDir, std::process::ExitStatus, PathBuf) {
    use rustix::process::Signal;
    let mut size = 1;
    for _ in 0..8 {
        let dir = tempfile::tempdir().unwrap();
        let (args, output) = make(dir.path(), size);
        size *= 2;
        let mut child = spawn_limited(&args, dir.path());
        let mut seen = false;
        while child.try_wait().unwrap().is_none() {
            if !temporaries(dir.path()).is_empty() {
                seen = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        if !seen {
            child.wait().unwrap();
            continue;
        }
        send(&child, Signal::STOP);
        // Frozen: what is on disk now stays so until SIGCONT.
        let caught = !temporaries(dir.path()).is_empty() && !output.exists();
        if caught {
            send(&child, signal);
        }
        send(&child, Signal::CONT);
        let status = child.wait().unwrap();
        if caught && !output.exists() {
            return (dir, status, output);
        }
    }
    panic!("the run ended before it could be interrupted, eight times, the last with a 128 times larger output");
}

/// A plan and a template that writes `size` × 13 MB: the consistency report's output.
fn big_report(dir: &Path, size: u32) -> (Vec<OsString>, PathBuf) {
    std::fs::write(
        dir.join("p.plan"),
        "plan P {\n  horizon 2014/272 00:00 .. 2014/279 00:00\n}\n",
    )
    .unwrap();
    std::fs::create_dir(dir.join("tpl")).unwrap();
    std::fs::write(
        dir.join("tpl/consistency.html"),
        format!(
            "{{% for i in range(end={}) %}}{{% for j in range(end=100) %}}\
             0123456789012345678901234567890123456789012345678901234567890123\n\
             {{% endfor %}}{{% endfor %}}\n",
            2000 * size
        ),
    )
    .unwrap();
    let args = os(&[
        &"report",
        &"consistency",
        &"p.plan",
        &"--no-config",
        &"--templates",
        &"tpl",
        &"-o",
        &"report.html",
    ]);
    (args, dir.join("report.html"))
}

#[test]
fn sigint_while_writing_leaves_no_temporary_and_ends_by_sigint() {
    use std::os::unix::process::ExitStatusExt;
    let (dir, status, output) = interrupt(rustix::process::Signal::INT, big_report);
    // A shell shows 130 (128 + SIGINT) for a process that SIGINT ended.
    assert_eq!(status.signal(), Some(2), "{status:?}");
    assert!(!output.exists());
    assert!(
        temporaries(dir.path()).is_empty(),
        "{:?}",
        temporaries(dir.path())
    );
}

#[test]
fn sigterm_while_writing_leaves_no_temporary_and_ends_by_sigterm() {
    use std::os::unix::process::ExitStatusExt;
    let (dir, status, output) = interrupt(rustix::process::Signal::TERM, big_report);
    // A shell shows 143 (128 + SIGTERM).
    assert_eq!(status.signal(), Some(15), "{status:?}");
    assert!(!output.exists());
    assert!(
        temporaries(dir.path()).is_empty(),
        "{:?}",
        temporaries(dir.path())
    );
}

#[test]
fn sighup_while_exporting_leaves_no_partial_package() {
    use std::os::unix::process::ExitStatusExt;
    let (dir, status, output) = interrupt(rustix::process::Signal::HUP, |dir, size| {
        let n = 500 * size;
        // One activity a minute from 2014/272 00:00: none overlaps another.
        let mut plan =
            String::from("plan P {\n  horizon 2014/272 00:00 .. 2015/001 00:00\n  roles FD\n\n");
        for i in 0..n {
            plan.push_str(&format!(
                "  activity A{i:06} \"Activity {i}\" {{ at 2014/{} {:02}:{:02}   lasts 1m   by FD }}\n",
                272 + i / 1440,
                (i % 1440) / 60,
                i % 60
            ));
        }
        plan.push_str("}\n");
        std::fs::write(dir.join("p.plan"), plan).unwrap();
        let args = os(&[&"export", &"p.plan", &"--no-config", &"--out", &"pkg"]);
        (args, dir.join("pkg"))
    });
    // A shell shows 129 (128 + SIGHUP).
    assert_eq!(status.signal(), Some(1), "{status:?}");
    assert!(!output.exists());
    assert!(
        temporaries(dir.path()).is_empty(),
        "{:?}",
        temporaries(dir.path())
    );
}

/// Runs `args` with standard output appended to `victim` (`>> victim` in a shell) and
/// checks the refusal: exit 2, one line naming the file and what it was read as, and
/// `victim` byte for byte as it was.
fn stdout_refused(args: &[OsString], victim: &Path, read_as: &str) {
    let before = std::fs::read(victim).unwrap();
    let append = std::fs::OpenOptions::new()
        .append(true)
        .open(victim)
        .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opsplan"))
        .args(args)
        .stdout(append)
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    let line = err
        .lines()
        .find(|l| l.starts_with("opsplan: error: standard output is "))
        .unwrap_or_else(|| panic!("{args:?}: {err}"));
    let name = victim.file_name().unwrap().to_string_lossy().into_owned();
    assert!(line.contains(&name), "{line}");
    assert!(
        line.contains(&format!("(read as {read_as}): nothing written")),
        "{line}"
    );
    assert_eq!(
        std::fs::read(victim).unwrap(),
        before,
        "{} changed",
        victim.display()
    );
}

#[test]
fn standard_output_appended_to_an_input_is_refused() {
    let m = Mission::new();
    let week = m.week();
    let plan = week.join("atv5-week40.plan");
    let rules = week.join("flight-rules.yaml");
    let export = m.reqs().join("atv-ops-requirements.csv");
    stdout_refused(&os(&[&"check", &week]), &plan, "a plan");
    stdout_refused(
        &os(&[&"check", &week, &"--format", &"json"]),
        &rules,
        "a flight-rule file",
    );
    stdout_refused(
        &os(&[&"report", &"consistency", &week, &"--format", &"md"]),
        &plan,
        "a plan",
    );
    stdout_refused(
        &os(&[&"reqs", &"list", &export]),
        &export,
        "a requirement export",
    );
    stdout_refused(
        &os(&[&"agenda", &week, &"--at", &"2014/273 12:00"]),
        &plan,
        "a plan",
    );
    // Redirected to a file that is no input, the output is written as usual.
    let elsewhere = week.join("findings.txt");
    let file = std::fs::File::create(&elsewhere).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opsplan"))
        .args(os(&[&"check", &week]))
        .stdout(file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(std::fs::read_to_string(&elsewhere)
        .unwrap()
        .contains("pass:"));
}
