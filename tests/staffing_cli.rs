//! Rosters as users check them (issue #18): the example week staffed clean and read with
//! its plan by every command that judges it; `use roster` and the bad inputs of a roster
//! as located findings with the exit codes of `check`; assignments; `fmt` of rosters;
//! `opsplan rule` of the staffing codes; the roster example of docs/language.md.

mod common;

use common::{json_findings, Finding};

use assert_cmd::Command;
use std::path::Path;

const MISSION: &str = "examples/atv5-week40";

fn opsplan() -> Command {
    let mut c = Command::cargo_bin("opsplan").expect("binary built");
    c.env_remove("NO_COLOR").env_remove("SOURCE_DATE_EPOCH");
    c
}

/// Runs `opsplan ARGS` and returns (exit code, stdout, stderr).
fn run<I, S>(args: I) -> (Option<i32>, String, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    common::output_of(opsplan().args(args))
}

/// The findings of `opsplan check --format json ARGS`, and the exit code.
fn findings(args: &[&str]) -> (Option<i32>, Vec<Finding>) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let (code, out, err) = run(&all);
    (code, json_findings(&out, &err))
}

fn codes(list: &[Finding]) -> Vec<&str> {
    list.iter().map(|(c, _, _, _)| c.as_str()).collect()
}

/// A copy of the example mission in a temporary folder (the requirements it traces to
/// are not copied: its `opsplan.yaml` is replaced by one without them).
fn mission_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(Path::new(MISSION), tmp.path());
    std::fs::write(
        tmp.path().join("opsplan.yaml"),
        "inputs:\n  - atv5-week40.plan\n  - procedures/\n",
    )
    .unwrap();
    tmp
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{}: no {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn the_example_week_is_staffed_without_a_finding() {
    let (code, list) = findings(&[MISSION]);
    assert_eq!(code, Some(0));
    assert!(
        !list.iter().any(|(c, _, _, _)| c.starts_with('W')),
        "{list:#?}"
    );
    // The plan alone reads its roster: 15 files, the folder's 16 but the scenario (named
    // by the project's `inputs`, which a plan file alone does not read).
    let (code, out, _) = run(["check", "examples/atv5-week40/atv5-week40.plan"]);
    assert_eq!(code, Some(0));
    assert!(
        out.ends_with("pass: 0 errors, 4 warnings, 0 notes in 15 files\n"),
        "{out}"
    );
    // The roster is in the fmt layout.
    let (code, out, err) = run(["fmt", "--check", "examples/atv5-week40/atv5-week40.roster"]);
    assert_eq!((code, out.as_str()), (Some(0), ""), "{err}");
}

#[test]
fn every_command_that_judges_the_plan_reads_its_roster() {
    let tmp = mission_copy();
    let dir = tmp.path();
    // A planner shift moved by an hour: the desk is empty from 06:15 to 07:00 on 272.
    edit(
        &dir.join("atv5-week40.roster"),
        "shift DSIMON    PLN-DESK 2014/272 06:00 .. 2014/272 14:15",
        "shift DSIMON    PLN-DESK 2014/272 07:00 .. 2014/272 14:15",
    );
    let plan = dir.join("atv5-week40.plan");
    let plan = plan.to_str().unwrap();
    let (code, list) = findings(&[plan]);
    assert_eq!(code, Some(1));
    let staffing: Vec<(&str, &str, &str)> = list
        .iter()
        .filter(|f| f.0.starts_with('W'))
        .map(|f| (f.0.as_str(), f.1.as_str(), f.3.as_str()))
        .collect();
    assert_eq!(
        staffing,
        [
            // A01, the 06:30 tag-up by PLN, runs with nobody on the planner desk.
            (
                "W003",
                "atv5-week40.plan",
                "no one on shift fills PLN while A01 runs (2014/272 06:30 .. 2014/272 07:00): nobody holds `PLN-DESK` from 2014/272 06:30 to 2014/272 07:00"
            ),
            (
                "W002",
                "atv5-week40.roster",
                "position `PLN-DESK` has no holder from 2014/272 06:15 to 2014/272 07:00 (45m)"
            ),
        ],
        "{list:#?}"
    );
    // The consistency report fails with it, and the agenda is built from the same run.
    let report = dir.join("consistency.json");
    let (code, _, err) = run([
        "report",
        "consistency",
        plan,
        "--format",
        "json",
        "-o",
        report.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(1), "{err}");
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(text.contains("\"W002\""), "{text}");
    assert!(text.contains("atv5-week40.roster"), "{text}");
}

#[test]
fn use_roster_of_a_file_that_is_not_a_roster_of_the_plan_is_r008() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("other.roster"),
        "roster R {\n  plan Q\n}\nplan Q {\n  roles OM\n}\n",
    )
    .unwrap();
    std::fs::write(dir.join("q.roster"), "roster R2 {\n  plan Q\n}\n").unwrap();
    std::fs::write(dir.join("lib.proc"), "procedure X {\n  step 1 { end }\n}\n").unwrap();
    std::fs::create_dir(dir.join("folder")).unwrap();
    for (case, target, why) in [
        ("missing", "none.roster", "No such file"),
        ("plan", "other.roster", "it holds plan `Q`"),
        ("other", "q.roster", "its roster `R2` staffs plan `Q`"),
        ("procedures", "lib.proc", "it holds no roster"),
        ("folder", "folder", "not a file"),
    ] {
        let plan = dir.join(format!("{case}.plan"));
        std::fs::write(
            &plan,
            format!(
                "plan P {{\n  horizon    2014/272 00:00 .. 2014/273 00:00\n  roles      OM\n  use roster \"{target}\"\n}}\n"
            ),
        )
        .unwrap();
        let (code, list) = findings(&[plan.to_str().unwrap(), "--no-config"]);
        assert_eq!(code, Some(1), "{target}: {list:#?}");
        let r008: Vec<&String> = list
            .iter()
            .filter(|f| f.0 == "R008")
            .map(|f| &f.3)
            .collect();
        assert_eq!(r008.len(), 1, "{target}: {list:#?}");
        assert!(r008[0].contains(why), "{target}: {}", r008[0]);
    }
}

#[test]
fn a_roster_with_no_plan_or_an_unknown_one_is_judged_on_its_own() {
    let tmp = tempfile::tempdir().unwrap();
    let roster = tmp.path().join("team.roster");
    // Plan ATV5-W41 is not checked; the roster's own defects are still found.
    std::fs::write(
        &roster,
        "roster TEAM {\n  plan ATV5-W41\n  position OM-DESK {\n    fills      OM\n    continuous\n  }\n  person JD { qualified OM-DESK until 2014/200 }\n  shift JD OM-DESK 2014/272 06:00 .. 2014/272 14:15\n}\nroster TEAM {\n}\n",
    )
    .unwrap();
    let (code, list) = findings(&[roster.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert_eq!(codes(&list), ["W001", "W004", "R007", "W001"], "{list:#?}");
    assert_eq!(list[0].3, "undefined plan `ATV5-W41` in roster `TEAM`");
    assert_eq!(list[3].3, "roster `TEAM` names no plan");
    let (_, out, _) = run(["check", roster.to_str().unwrap(), "--color", "never"]);
    assert!(
        out.contains("without its plan, the roster is judged on its own"),
        "{out}"
    );
}

#[test]
fn bad_rosters_are_located_errors_with_the_exit_code_of_check() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("p.plan"),
        "plan P {\n  horizon    2014/272 00:00 .. 2014/273 00:00\n  roles      OM\n  use roster \"team.roster\"\n  activity A1 { at 2014/272 09:00   lasts 1h   by OM }\n}\n",
    )
    .unwrap();
    let roster = "roster TEAM {
  plan P
  rules {
    daily rest 11h
    daily rest 12h
    max nights 0
    night      06:00 .. 06:00
  }
  position OM-DESK {
    fills      OM, MCC-N
    continuous during routine
    minimum    0
  }
  person JD \"Jeanne Dupont\" {
    qualified OM-DESK from 2014/300 until 2014/200
    qualified OM-DSK
    qualified OM-DESK until 2014/366
  }
  person JD \"Jeanne again\"
  shift JDD OM-DESK 2014/272 06:00 .. 2014/272 14:15
  shift JD OM-DESK 2014/272 14:15 .. 2014/272 06:00
  shift JD OM-DESK 2014/272 25:00 .. 2014/272 23:00
  oncall JD HOTLINE 2014/272 00:00 .. 2014/273 00:00
  assign JD to A9
}
";
    std::fs::write(dir.join("team.roster"), roster).unwrap();
    let (code, list) = findings(&[dir.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    let line_of = |needle: &str| -> u64 {
        roster
            .lines()
            .position(|l| l.contains(needle))
            .map(|i| i as u64 + 1)
            .unwrap_or_else(|| panic!("{needle}"))
    };
    let expect = [
        (
            "E004",
            "daily rest 12h",
            "`daily rest` is given more than once",
        ),
        ("E002", "max nights 0", "must be a whole number from 1"),
        (
            "T004",
            "night      06:00",
            "the night period starts and ends at the same time",
        ),
        ("R004", "MCC-N", "undefined role `MCC-N`"),
        (
            "W001",
            "during routine",
            "undefined phase or window `routine`",
        ),
        ("E002", "minimum    0", "must be a whole number from 1"),
        (
            "T004",
            "from 2014/300",
            "the qualification ends before it starts",
        ),
        ("W001", "OM-DSK", "undefined position `OM-DSK`"),
        ("E002", "2014/366", "invalid day `2014/366`"),
        ("R007", "Jeanne again", "duplicate person `JD`"),
        ("W001", "JDD", "undefined person `JDD`"),
        ("T004", "14:15 .. 2014/272 06:00", "ends before it starts"),
        ("E002", "25:00", "invalid time"),
        ("W001", "HOTLINE", "undefined duty `HOTLINE`"),
        ("R001", "A9", "undefined activity `A9`"),
    ];
    for (code, needle, message) in expect {
        let line = line_of(needle);
        assert!(
            list.iter().any(|(c, f, l, m)| c == code
                && f == "team.roster"
                && *l == line
                && m.contains(message)),
            "{code} at team.roster:{line} ({message}) not in {list:#?}"
        );
    }
    // Nothing the roster cannot support is judged: the unknown phase and position leave
    // no gap and no unqualified shift to report; the plan's OM activity is unfilled.
    for absent in ["W002", "W004"] {
        assert!(!codes(&list).contains(&absent), "{absent} in {list:#?}");
    }
    // A syntax error in a roster is an E001 located in it, and the rest of its file is
    // not judged.
    std::fs::write(
        dir.join("team.roster"),
        "roster TEAM {\n  plan P\n  shift JD OM-DESK 2014/272 06:00\n}\n",
    )
    .unwrap();
    let (code, list) = findings(&[dir.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert_eq!(codes(&list), ["E001"], "{list:#?}");
    assert_eq!((list[0].1.as_str(), list[0].2), ("team.roster", 3));
}

#[test]
fn assignments_fill_roles_and_are_work() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("p.plan"),
        "plan P {\n  horizon    2014/272 00:00 .. 2014/274 00:00\n  roles      OM, PLN\n  use roster \"team.roster\"\n  activity A1 { at 2014/272 20:00   lasts 1h   by PLN }\n  activity A2 { at 2014/273 02:00   lasts 1h   by OM }\n}\n",
    )
    .unwrap();
    let roster = |assign: &str| {
        format!(
            "roster TEAM {{\n  plan P\n  position OM-DESK {{ fills OM }}\n  position PLN-DESK {{ fills PLN }}\n  person JD {{ qualified PLN-DESK }}\n  person MM {{ qualified OM-DESK }}\n  shift JD PLN-DESK 2014/272 06:00 .. 2014/272 14:00\n  shift MM OM-DESK  2014/273 01:00 .. 2014/273 09:00\n{assign}}}\n"
        )
    };
    // Without an assignment A1 (20:00, PLN) is unfilled.
    std::fs::write(dir.join("team.roster"), roster("")).unwrap();
    let (_, list) = findings(&[dir.to_str().unwrap()]);
    assert_eq!(codes(&list), ["W003"], "{list:#?}");
    // JD called in for A1: the role is filled, and the hour is work: 6 h of rest
    // between 14:00 and 20:00, then 9 h to the end of the 24 hours from 06:00.
    std::fs::write(dir.join("team.roster"), roster("  assign JD to A1\n")).unwrap();
    let (_, list) = findings(&[dir.to_str().unwrap()]);
    assert_eq!(codes(&list), ["W007"], "{list:#?}");
    assert!(
        list[0]
            .3
            .starts_with("JD rests at most 9h in the 24 hours from 2014/272 06:00"),
        "{list:#?}"
    );
    // MM, on the OM console, assigned to the planner's A1: not qualified for a position
    // filling PLN, and on shift elsewhere at 02:00 for A2 is fine (OM-DESK fills OM).
    std::fs::write(
        dir.join("team.roster"),
        roster("  assign MM to A1, A2\n  assign JD to A2\n"),
    )
    .unwrap();
    let (_, list) = findings(&[dir.to_str().unwrap()]);
    let got: Vec<(&str, String)> = list
        .iter()
        .map(|(c, _, _, m)| (c.as_str(), m.clone()))
        .collect();
    assert!(
        got.iter().any(|(c, m)| *c == "W004"
            && m.starts_with("MM is assigned to A1 (2014/272 20:00 .. 2014/272 21:00) without a qualification for `PLN-DESK`")),
        "{got:#?}"
    );
    assert!(
        got.iter()
            .any(|(c, m)| *c == "W004" && m.starts_with("JD is assigned to A2")),
        "{got:#?}"
    );
    assert!(
        !got.iter().any(|(c, m)| *c == "W006" && m.contains("A2")),
        "{got:#?}"
    );
}

#[test]
fn rosters_are_formatted_and_the_staffing_rules_documented() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("team.roster");
    std::fs::write(
        &file,
        "roster R { plan P\nrules { daily rest 11h\nhandover 20m }\nshift JD OM 2014/272 06:00 .. 2014/272 14:15\nshift MARTIN PLN 2014/272 14:00 .. 2014/272 22:15 }\n",
    )
    .unwrap();
    let (code, out, err) = run(["fmt", file.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("team.roster"), "{out}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "roster R {\n  plan P\n  rules {\n    daily rest 11h\n    handover   20m\n  }\n  shift JD     OM  2014/272 06:00 .. 2014/272 14:15\n  shift MARTIN PLN 2014/272 14:00 .. 2014/272 22:15\n}\n"
    );
    let (code, out, _) = run(["fmt", "--check", file.to_str().unwrap()]);
    assert_eq!((code, out.as_str()), (Some(0), ""));
    for (code, heading) in [
        ("W007", "short-daily-rest"),
        ("W013", "oncall-gap"),
        ("W003", "unfilled-role"),
    ] {
        let (status, out, _) = run(["rule", code]);
        assert_eq!(status, Some(0));
        assert!(out.contains(heading), "{out}");
        assert!(out.contains("## Why it matters"), "{out}");
    }
}

#[test]
fn the_roster_example_of_the_language_reference_checks_clean() {
    let doc = std::fs::read_to_string("docs/language.md").unwrap();
    let start = doc
        .find("```opsplan\nplan ATV5-W40 \"Week 40, staffed\"")
        .expect("the roster example");
    let body = &doc[start + "```opsplan\n".len()..];
    let body = &body[..body.find("```").unwrap()];
    let run = opsplan::workspace::check_texts(&[("week40.plan", body)]);
    assert!(run.diagnostics.is_empty(), "{:#?}", run.diagnostics);
    let s = &run.model.staffing[0];
    assert_eq!(s.people.len(), 4);
    // Who holds the console at 14:05: the outgoing and the incoming holder.
    let om = s.position_index["OM-DESK"];
    let at = opsplan::time::Time::parse_doy("2014/272 14:05").unwrap();
    let holders: Vec<&str> = s
        .holders_at(om, at)
        .into_iter()
        .map(|(p, _)| s.people[p].id.value.as_str())
        .collect();
    assert_eq!(holders, ["MMARTIN", "ADUBOIS"]);
    let duty = s.duty_index["OPS-ONCALL"];
    let on_call: Vec<&str> = s
        .on_call_at(duty, at)
        .into_iter()
        .map(|(p, _)| s.people[p].id.value.as_str())
        .collect();
    assert_eq!(on_call, ["JDUPONT"]);
    let day = opsplan::time::Interval::new(
        opsplan::time::Time::parse_doy("2014/272 00:00").unwrap(),
        opsplan::time::Time::parse_doy("2014/273 00:00").unwrap(),
    );
    let lpetit = s.person_index["LPETIT"];
    assert_eq!(s.hours(lpetit, day).0, (6 * 60 + 15 + 2 * 60) * 60);
    // The nights that start on 272: LPETIT works that of 272 (the one of 271 started before).
    assert_eq!(s.nights(lpetit, day), 1);
}
