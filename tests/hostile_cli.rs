//! Hostile inputs through the binary: devices and pipes, link loops, `use` cycles and
//! `..`, XML entities, zip bombs, spreadsheet error cells, dates out of range. Each gives
//! a clear, located message and its documented exit code; none panics or hangs (every
//! run has a generous time limit, a guard against hangs, not a speed target), and a
//! failed run writes nothing.

use assert_cmd::Command;
use std::path::Path;

mod common;

/// The binary under the hostile-input limits (2 GiB of address space, 60 s of CPU).
fn opsplan() -> Command {
    common::limited()
}

/// Runs the binary; (exit code, stdout, stderr). A run killed by the time limit has no
/// exit code, so a hang fails the test.
fn run(args: &[&std::ffi::OsStr], dir: Option<&Path>) -> (Option<i32>, String, String) {
    let mut c = opsplan();
    c.args(args);
    if let Some(d) = dir {
        c.current_dir(d);
    }
    let out = c.output().expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

const PLAN: &str = "plan P {\n  horizon 2014/272 00:00 .. 2014/279 00:00\n  roles FD\n  activity A1 \"Poll\" {\n    at 2014/273 09:00   lasts 30m   by FD\n  }\n}\n";

#[cfg(unix)]
#[test]
fn devices_and_pipes_are_refused_without_being_read() {
    // A device given on the command line: /dev/zero would never end. An unreadable
    // source is a finding (E003, exit 1), as a syntax error is.
    let (code, out, err) = run(&[os("check"), os("/dev/zero")], None);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(out.contains("not a regular file"), "{out}");

    // A plan that uses a device as its procedure library: a special file (and outside
    // the project), refused before anything is opened.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p.plan"),
        PLAN.replace(
            "  roles FD\n",
            "  roles FD\n  use procedures \"/dev/zero\"\n",
        ),
    )
    .unwrap();
    let (code, out, _) = run(&[os("check"), os("p.plan")], Some(dir.path()));
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(
            "error[E003]: cannot use `/dev/zero`: a special file (under /dev), never read"
        ) && out.contains("p.plan:4:18"),
        "{out}"
    );

    // A named pipe in a mission folder: opening it would wait for a writer forever.
    let fifo = dir.path().join("pipe.plan");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let (code, out, _) = run(&[os("check"), dir.path().as_os_str()], None);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("pipe.plan") && out.contains("not a regular file"),
        "{out}"
    );

    // A requirement export that is a device.
    let (code, _, err) = run(
        &[os("trace"), os("p.plan"), os("-r"), os("/dev/zero")],
        Some(dir.path()),
    );
    assert_eq!(code, Some(2));
    assert!(
        err.contains("/dev/zero: cannot be read: not a regular file"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn a_folder_link_loop_ends_and_links_to_folders_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.plan"), PLAN).unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    std::os::unix::fs::symlink("missing-target", dir.path().join("dangling.proc")).unwrap();
    let (code, out, _) = run(&[os("check"), dir.path().as_os_str()], None);
    // The dangling link is an unreadable file (E003); the loop is not followed.
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("dangling.proc") && out.contains("E003"),
        "{out}"
    );
    assert!(out.ends_with("in 2 files\n"), "{out}");
}

#[cfg(unix)]
#[test]
fn requirement_and_cdm_folders_with_link_loops_end() {
    // Both walks once followed links to folders: a loop made `trace -r` endless.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("p.plan"), PLAN).unwrap();
    std::fs::create_dir(d.join("reqs")).unwrap();
    std::fs::write(
        d.join("reqs/r.csv"),
        "Object Identifier,Object Text\nREQ-1,the requirement\n",
    )
    .unwrap();
    std::os::unix::fs::symlink("..", d.join("reqs/up")).unwrap();
    std::os::unix::fs::symlink(".", d.join("reqs/self")).unwrap();
    let (code, out, err) = run(&[os("trace"), os("p.plan"), os("-r"), os("reqs")], Some(d));
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        out.contains("1 uncovered"),
        "one export, read once:\n{out}{err}"
    );

    std::fs::create_dir(d.join("cdm")).unwrap();
    std::os::unix::fs::symlink("..", d.join("cdm/up")).unwrap();
    let files = opsplan_walk_cdm(d);
    assert!(files.is_ok(), "{files:?}");
}

/// Runs the monthly report with only a CDM folder holding a link loop; the walk must end
/// (the report itself may refuse the missing inputs).
#[cfg(unix)]
fn opsplan_walk_cdm(d: &Path) -> Result<(), String> {
    let (code, out, err) = run(
        &[
            os("report"),
            os("monthly"),
            os("--month"),
            os("2014-10"),
            os("--plans"),
            os("p.plan"),
            os("--cdm"),
            os("cdm"),
            os("-o"),
            os("m.html"),
        ],
        Some(d),
    );
    match code {
        Some(0..=2) => Ok(()),
        _ => Err(format!("{code:?}\n{out}{err}")),
    }
}

#[test]
fn use_procedures_naming_a_plan_is_an_error_so_includes_cannot_cycle() {
    let dir = tempfile::tempdir().unwrap();
    let with_use = |id: &str, target: &str| {
        PLAN.replace("plan P", &format!("plan {id}")).replace(
            "  roles FD\n",
            &format!("  roles FD\n  use procedures \"{target}\"\n"),
        )
    };
    std::fs::write(dir.path().join("a.plan"), with_use("A", "b.plan")).unwrap();
    std::fs::write(dir.path().join("b.plan"), with_use("B", "a.plan")).unwrap();
    std::fs::write(dir.path().join("self.plan"), with_use("S", "self.plan")).unwrap();
    for start in ["a.plan", "self.plan"] {
        let (code, out, _) = run(&[os("check"), os(start)], Some(dir.path()));
        assert_eq!(code, Some(1), "{out}");
        assert!(
            out.contains("error[R008]: cannot use `")
                && out.contains("as procedures: it holds plan `"),
            "{out}"
        );
    }
    let (_, out, _) = run(&[os("check"), os("a.plan")], Some(dir.path()));
    assert_eq!(out.matches("error[R008]").count(), 2, "a → b → a: {out}");
}

#[test]
fn dot_dot_in_use_paths_names_a_folder_beside_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("plans")).unwrap();
    std::fs::create_dir_all(dir.path().join("lib")).unwrap();
    std::fs::write(
        dir.path().join("lib/x.proc"),
        "procedure X-1 \"x\" {\n  version 1.0\n  roles FD\n  step 1 {\n    end\n  }\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("plans/p.plan"),
        PLAN.replace("  roles FD\n", "  roles FD\n  use procedures \"../lib/\"\n")
            .replace("by FD\n", "by FD\n    procedure X-1 v1.0\n"),
    )
    .unwrap();
    // Without a project file the folder of the plan given is the project: `../lib` is
    // outside it, refused at the `use` (tests/containment.rs).
    let (code, out, _) = run(&[os("check"), os("plans/p.plan")], Some(dir.path()));
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("error[E003]: cannot use `../lib/`: lib is outside the folders given (plans)"),
        "{out}"
    );
    // With the project file above both, `..` stays inside the project: read.
    std::fs::write(dir.path().join("opsplan.yaml"), "").unwrap();
    let (code, out, _) = run(&[os("check"), os("plans/p.plan")], Some(dir.path()));
    assert_eq!(code, Some(0), "{out}");
    assert!(out.ends_with("in 2 files\n"), "{out}");
}

#[test]
fn xml_external_entities_are_never_resolved_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.plan"), PLAN).unwrap();
    std::fs::write(dir.path().join("secret.txt"), "TOP-SECRET-CONTENT").unwrap();
    let reqif = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE REQ-IF [<!ENTITY xxe SYSTEM \"file://{}/secret.txt\">]>\n\
         <REQ-IF xmlns=\"http://www.omg.org/spec/ReqIF/20110401/reqif.xsd\"><THE-HEADER/>\
         <CORE-CONTENT><REQ-IF-CONTENT><SPEC-OBJECTS><SPEC-OBJECT IDENTIFIER=\"R1\" \
         LAST-CHANGE=\"2014-01-01T00:00:00Z\"><VALUES>&xxe;</VALUES></SPEC-OBJECT>\
         </SPEC-OBJECTS></REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>\n",
        dir.path().display()
    );
    std::fs::write(dir.path().join("xxe.reqif"), reqif).unwrap();
    let (code, out, err) = run(
        &[
            os("report"),
            os("trace"),
            os("p.plan"),
            os("-r"),
            os("xxe.reqif"),
            os("-o"),
            os("trace.html"),
        ],
        Some(dir.path()),
    );
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(
        err.contains("xxe.reqif:2:") && err.contains("DOCTYPE that declares entities"),
        "{err}"
    );
    assert!(!err.contains("TOP-SECRET") && !out.contains("TOP-SECRET"));
    assert!(!dir.path().join("trace.html").exists(), "nothing written");
}

/// A workbook whose sheet inflates to 600 MiB of blanks from about 600 KiB.
fn zip_bomb_xlsx(path: &Path) {
    use std::io::Write;
    let file = std::fs::File::create(path).unwrap();
    let mut w = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    w.start_file("[Content_Types].xml", opts).unwrap();
    w.write_all(b"<?xml version=\"1.0\"?><Types/>").unwrap();
    w.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..600 {
        w.write_all(&chunk).unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn a_zip_bomb_workbook_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.plan"), PLAN).unwrap();
    let bomb = dir.path().join("bomb.xlsx");
    zip_bomb_xlsx(&bomb);
    assert!(std::fs::metadata(&bomb).unwrap().len() < 4 << 20);
    let (code, out, err) = run(
        &[
            os("trace"),
            os("p.plan"),
            os("-r"),
            os("bomb.xlsx"),
            os("--format"),
            os("xlsx"),
            os("-o"),
            os("matrix.xlsx"),
        ],
        Some(dir.path()),
    );
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(
        err.contains("bomb.xlsx") && err.contains("unpacks to more than 512 MiB"),
        "{err}"
    );
    assert!(!dir.path().join("matrix.xlsx").exists(), "nothing written");
}

#[test]
fn spreadsheet_error_cells_and_formulas_are_located() {
    use rust_xlsxwriter::{Formula, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reqs.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Requirements").unwrap();
    ws.write_string(0, 0, "ID").unwrap();
    ws.write_string(0, 1, "Text").unwrap();
    ws.write_string(1, 0, "REQ-1").unwrap();
    ws.write_string(1, 1, "Plan times shall be GMT.").unwrap();
    // A formula with its cached result: the value people saw is read.
    ws.write_formula(2, 0, Formula::new("=\"REQ-\"&2").set_result("REQ-2"))
        .unwrap();
    ws.write_string(2, 1, "Each activity shall have a role.")
        .unwrap();
    // A formula that failed: its cached result is an error value.
    ws.write_string(3, 0, "REQ-3").unwrap();
    ws.write_formula(3, 1, Formula::new("=1/0").set_result("#DIV/0!"))
        .unwrap();
    wb.save(&path).unwrap();
    let (code, out, err) = run(
        &[
            os("reqs"),
            os("list"),
            os("reqs.xlsx"),
            os("--color"),
            os("never"),
        ],
        Some(dir.path()),
    );
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(
        out.contains("REQ-2"),
        "the cached formula result is read: {out}"
    );
    assert!(
        out.contains("sheet 'Requirements' cell B4 holds the spreadsheet error #DIV/0!"),
        "{out}"
    );
}

#[test]
fn dates_out_of_range_and_overflowing_offsets_are_located_findings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p.plan"),
        "plan P {\n  horizon 9999/360 00:00 .. 9999/365 23:59\n  roles FD\n  \
         activity A1 { at 9999/365 23:30 lasts 1h by FD }\n  \
         activity A2 { at 0000/001 00:00 lasts 1h by FD }\n  \
         activity A3 { at A1.end + 3650000d lasts 1h by FD }\n}\n",
    )
    .unwrap();
    let (code, out, _) = run(
        &[os("check"), os("p.plan"), os("--color"), os("never")],
        Some(dir.path()),
    );
    assert_eq!(code, Some(1), "{out}");
    for expected in [
        "error[T005]: A1's time falls outside the supported calendar (1900-9999)",
        "error[E002]: invalid time `0000/001 00:00`: year 0000 is out of range (1900-9999)",
        "--> p.plan:5:20",
        "error[E002]: invalid duration: duration `3650000d` is too large",
    ] {
        assert!(out.contains(expected), "{expected:?} in {out}");
    }
}

#[test]
fn fmt_leaves_a_hostile_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.plan");
    let mut bytes = PLAN.as_bytes().to_vec();
    bytes.extend_from_slice(b"\0\0 plan Q { roles \xff }\n");
    std::fs::write(&path, &bytes).unwrap();
    let (code, _, err) = run(&[os("fmt"), path.as_os_str()], None);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("not valid UTF-8"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}
