//! `opsplan diff OLD NEW` (issue #6, part 2): what changed between two issues of a plan.

mod common;
use common::copy_dir;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn opsplan() -> Command {
    Command::cargo_bin("opsplan").expect("binary built")
}

fn run(args: &[&std::ffi::OsStr]) -> (Option<i32>, String, String) {
    let out = opsplan().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Issue 4 of the example week: A47 removed, A50 added, A11 re-assigned, A29 moved and
/// longer (so A30, after it, moves too), A41's relation re-timed.
fn issue_4(dir: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mission = dir.join("w40");
    copy_dir(&root.join("examples/atv5-week40"), &mission);
    let yaml = std::fs::read_to_string(mission.join("opsplan.yaml")).unwrap();
    let reqs = root
        .join("requirements")
        .to_string_lossy()
        .replace('\\', "/");
    std::fs::write(
        mission.join("opsplan.yaml"),
        yaml.replace("../../requirements", &reqs),
    )
    .unwrap();
    let plan = mission.join("atv5-week40.plan");
    let mut s = std::fs::read_to_string(&plan).unwrap();
    let edits = [
        ("  issue   3\n", "  issue   4\n"),
        (
            "    activity A47 \"Weekly ops summary\" {\n      at 2014/278 10:00   lasts 1h   by PLN   kind report\n    }\n",
            "",
        ),
        (
            "      at     2014/273 08:40\n      lasts  15m\n      by     MCC-M",
            "      at     2014/273 08:40\n      lasts  15m\n      by     MCC-H",
        ),
        ("A40 within 2h ", "A40 within 3h "),
        (
            "      at        2014/275 14:05\n      lasts     20m",
            "      at        2014/275 14:10\n      lasts     25m",
        ),
        (
            "    activity A48 \"Next reboost window\" {",
            "    activity A50 \"Extra GO poll rehearsal\" {\n      at 2014/278 09:00   lasts 30m   by FD, MCC-M, MCC-H   kind poll\n    }\n    activity A48 \"Next reboost window\" {",
        ),
    ];
    for (from, to) in edits {
        assert!(s.contains(from), "the example still holds {from:?}");
        s = s.replace(from, to);
    }
    std::fs::write(&plan, s).unwrap();
    mission
}

#[test]
fn a_new_issue_lists_every_kind_of_change() {
    let dir = tempfile::tempdir().unwrap();
    let new = issue_4(dir.path());
    let (code, text, err) = run(&[
        "diff".as_ref(),
        "examples/atv5-week40".as_ref(),
        new.as_os_str(),
    ]);
    assert_eq!(code, Some(1), "{err}");
    // Each side is judged by its own project file, named before the summary.
    let project = format!(
        "project files: examples/atv5-week40/opsplan.yaml → {}",
        new.join("opsplan.yaml")
            .to_string_lossy()
            .replace('\\', "/")
    );
    assert!(text.lines().any(|l| l == project), "{text}");
    let body: Vec<&str> = text
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with("project files: "))
        .collect();
    assert_eq!(
        body,
        [
            "added (1):",
            "  A50 \"Extra GO poll rehearsal\" 2014/278 09:00 .. 2014/278 09:30 by FD, MCC-M, MCC-H",
            "removed (1):",
            "  A47 \"Weekly ops summary\" 2014/278 10:00 .. 2014/278 11:00 by PLN",
            "moved (2):",
            "  A29 +5m: 2014/275 14:05 .. 2014/275 14:25 → 2014/275 14:10 .. 2014/275 14:35 (duration +5m)",
            "  A30 +10m: 2014/275 14:30 .. 2014/275 14:50 → 2014/275 14:40 .. 2014/275 15:00",
            "re-assigned (1):",
            "  A11: MCC-M → MCC-H",
            "relations (1):",
            "  A41: after A40 within 2h → after A40 within 3h",
            "summary: ATV5-W40 issue 3 → 4: 1 activity added, 1 removed, 2 moved, 1 re-assigned, 1 relation change; verdict pass",
        ]
    );
    assert!(
        text.starts_with("ATV5-W40 issue 3 → issue 4  (examples/atv5-week40/atv5-week40.plan → ")
    );

    let (code, json, _) = run(&[
        "diff".as_ref(),
        "examples/atv5-week40".as_ref(),
        new.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(code, Some(1));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["version"], 1);
    let p = &v["plans"][0];
    assert_eq!(p["moved"][0]["id"], "A29");
    assert_eq!(p["moved"][0]["shift_seconds"], 300);
    assert_eq!(p["reassigned"][0]["new"][0], "MCC-H");
    assert_eq!(v["old_verdict"], "pass");
}

#[test]
fn flight_rule_verdicts_procedure_versions_and_the_verdict() {
    let (code, text, err) = run(&[
        "diff".as_ref(),
        "examples/atv5-week40".as_ref(),
        "examples/atv5-week40-defects".as_ref(),
    ]);
    assert_eq!(code, Some(1), "{err}");
    for line in [
        "procedures (1):\n  A29: ATV-FCP-RBT-020 v2.4 → ATV-FCP-RBT-020 v2.5 (undefined)\n",
        "flight rules (5):\n  FR-05: met → violated (1)\n  FR-06: met → waived (1)\n  FR-09: met → violated (1)\n  FR-11: met → violated (1)\n  OPS-04: met → violated (1)\n",
        "  A49 -3d2h: 2014/278 16:00 .. 2014/278 18:00 → 2014/275 14:00 .. 2014/275 16:00\n",
        "  A30: MCC-M → MCC-N\n",
        "; verdict pass → fail\n",
    ] {
        assert!(text.contains(line), "{line:?} in:\n{text}");
    }
}

#[test]
fn the_same_issue_twice_is_no_difference_and_bad_input_is_exit_2() {
    let (code, text, _) = run(&[
        "diff".as_ref(),
        "examples/atv5-week40".as_ref(),
        "examples/atv5-week40".as_ref(),
    ]);
    assert_eq!(code, Some(0));
    assert!(
        text.ends_with("summary: no change to activities or flight-rule verdicts; verdict pass\n"),
        "{text}"
    );

    let (code, _, err) = run(&[
        "diff".as_ref(),
        "examples/atv5-week40".as_ref(),
        "no/such".as_ref(),
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("no/such"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("only.proc");
    std::fs::write(
        &lib,
        "procedure P-1 \"x\" {\n  step 1 \"a\" { wait 1m }\n}\n",
    )
    .unwrap();
    let (code, _, err) = run(&["diff".as_ref(), lib.as_os_str(), lib.as_os_str()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("holds no plan"), "{err}");
}

/// The example mission ships its previous issue (examples/atv5-week40/issues/): issue 3
/// replaced it through CR-276-01 when the conjunction of GMT 276 was known.
#[test]
fn the_shipped_earlier_issue_checks_clean_and_diffs_against_the_current_one() {
    let old = std::ffi::OsStr::new("examples/atv5-week40/issues/atv5-week40-issue2.plan");
    let (code, out, err) = run(&["check".as_ref(), old]);
    assert_eq!(code, Some(0), "{out}{err}");
    // Named alone, the old issue is judged by the project file beside the current one
    // (examples/atv5-week40/opsplan.yaml): its requirements too. Issue 2 does not cover
    // ATV-OPS-REQ-005 yet (the activity citing it came with issue 3): a fifth warning.
    assert!(
        out.ends_with(
            "project file: examples/atv5-week40/opsplan.yaml\npass: 0 errors, 5 warnings, 0 notes in 14 files\n"
        ),
        "{out}"
    );

    let (code, out, err) = run(&["diff".as_ref(), old, "examples/atv5-week40".as_ref()]);
    assert_eq!(code, Some(1), "{err}");
    assert!(out.contains("summary: ATV5-W40 issue 2 → 3: 10 activities added, 4 moved"));
    insta::assert_snapshot!("example_issue_2_to_3", out);
}

#[test]
fn declarations_windows_and_waivers_are_compared() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.plan");
    let new = dir.path().join("new.plan");
    let plan = |resource: &str, group: &str, waiver: &str, window: &str| {
        format!(
            "plan P {{\n  horizon 2014/272 00:00 .. 2014/273 00:00\n  roles CREW\n  roles FE-5{group}\n  \
             resource OCS {resource}\n  window W {window}\n  {waiver}\n  \
             activity A1 {{\n    at 2014/272 06:00   lasts 1h   by FE-5\n  }}\n}}\n"
        )
    };
    std::fs::write(
        &old,
        plan(
            "exclusive",
            " in CREW",
            "waive FR-06 for A1 ref \"CR-1\"",
            "2014/272 01:00 .. 2014/272 02:00, 2014/272 05:00 .. 2014/272 06:00",
        ),
    )
    .unwrap();
    std::fs::write(
        &new,
        plan(
            "capacity 2",
            "",
            "waive FR-06 for A1 ref \"CR-2\"",
            "2014/272 01:00 .. 2014/272 02:00, 2014/272 07:00 .. 2014/272 08:00",
        ),
    )
    .unwrap();
    let (code, out, err) = run(&["diff".as_ref(), old.as_os_str(), new.as_os_str()]);
    assert_eq!(code, Some(1), "{err}");
    for line in [
        "windows (1):\n  W: 2 → 2 occurrences\n      - 2014/272 05:00 .. 2014/272 06:00\n      + 2014/272 07:00 .. 2014/272 08:00\n",
        "resources (1):\n  OCS: exclusive → capacity 2\n",
        "roles (1):\n  FE-5: in CREW → declared\n",
        "waivers (1):\n  FR-06 for A1: ref \"CR-1\" → ref \"CR-2\"\n",
        "summary: 1 window changed, 2 declaration changes, 1 waiver change; verdict",
    ] {
        assert!(out.contains(line), "{line:?} in\n{out}");
    }
}
