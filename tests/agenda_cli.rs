//! `opsplan agenda --at TIME` (issue #6, part 5): the Operations Manager's shift sheet.
//! Text snapshots of the example week, the HTML written with `-o` (escaped, with its
//! provenance), both `--at` notations, the usage errors (exit 2, nothing written) and a
//! plan with errors (exit 0, the sheet warns).

use assert_cmd::Command;
use std::ffi::OsStr;
use std::path::Path;

const WEEK: &str = "examples/atv5-week40";

fn opsplan() -> Command {
    let mut c = Command::cargo_bin("opsplan").expect("binary built");
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("SOURCE_DATE_EPOCH", "1412121600");
    c
}

fn run<S: AsRef<OsStr>>(args: &[S]) -> (Option<i32>, String, String) {
    let out = opsplan().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn the_reboost_shift_as_text() {
    let (code, text, err) = run(&["agenda", WEEK, "--at", "2014/275 12:00", "--hours", "6"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.is_empty(), "{err}");
    // The reboost: owned by MCC-M, critical, its procedure, contingency and windows.
    assert!(text.contains("A29  2014/275 14:05 .. 2014/275 14:25  (20m, in 2h5m)  owner  CRITICAL"));
    assert!(text.contains("ATV-FCP-RBT-020 v2.4 \"Reboost support\""));
    assert!(text.contains("ATV-CRP-PRP-090 v1.1"));
    assert!(text.contains("ART & TDRS: met"));
    for line in text.lines() {
        assert!(line.chars().count() <= 100, "too wide: {line}");
    }
    insta::assert_snapshot!("reboost_shift_text", text);
}

#[test]
fn one_role() {
    let (code, text, err) = run(&[
        "agenda",
        WEEK,
        "--at",
        "2014/275 12:00",
        "--hours",
        "6",
        "--role",
        "MCC-M",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(text.matches("\nROLE ").count(), 1, "{text}");
    insta::assert_snapshot!("reboost_shift_mcc_m", text);
}

#[test]
fn a_group_role_shows_its_members_and_a_member_the_group() {
    // 2014/272: A02 "Morning DPC" by CREW at 07:30, A03 "Open ICC O2 valves" by FE-5 at 08:10.
    let (code, text, _) = run(&[
        "agenda",
        WEEK,
        "--at",
        "2014/272 07:00",
        "--hours",
        "2",
        "--role",
        "CREW",
        "--role",
        "FE-6",
    ]);
    assert_eq!(code, Some(0));
    let crew = &text[text.find("ROLE CREW").unwrap()..text.find("ROLE FE-6").unwrap()];
    assert!(crew.contains("group of FE-5, FE-6"), "{crew}");
    assert!(crew.contains("A02") && crew.contains("owner"), "{crew}");
    assert!(crew.contains("A03") && crew.contains("by FE-5"), "{crew}");
    let fe6 = &text[text.find("ROLE FE-6").unwrap()..text.find("WINDOWS").unwrap()];
    assert!(fe6.contains("A02") && fe6.contains("as CREW"), "{fe6}");
    assert!(!fe6.contains("A03"), "{fe6}");
}

#[test]
fn iso_and_day_of_year_give_the_same_sheet() {
    let doy = run(&["agenda", WEEK, "--at", "2014/275 12:00", "--hours", "6"]);
    let iso = run(&["agenda", WEEK, "--at", "2014-10-02T12:00Z", "--hours", "6"]);
    assert_eq!(doy.0, Some(0));
    assert_eq!(doy, iso);
}

#[test]
fn a_bad_time_is_a_usage_error_naming_the_forms() {
    for at in [
        "tomorrow",
        "2014/367 12:00",
        "2014-10-02 12:00",
        "2014/275 25:00",
    ] {
        let (code, out, err) = run(&["agenda", WEEK, "--at", at]);
        assert_eq!(code, Some(2), "{at}");
        assert!(out.is_empty(), "{at}");
        assert!(err.contains(&format!("--at `{at}`")), "{err}");
        assert!(
            err.contains("2014/275 12:00") && err.contains("2014-10-02T12:00"),
            "{err}"
        );
    }
    let (code, _, err) = run(&["agenda", WEEK, "--at", "2014/367 12:00"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("day 367 does not exist in 2014"), "{err}");
}

#[test]
fn an_unknown_role_or_plan_is_a_usage_error_with_a_suggestion() {
    let (code, out, err) = run(&["agenda", WEEK, "--at", "2014/275 12:00", "--role", "FE5"]);
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert!(err.contains("no role `FE5` in ATV5-W40"), "{err}");
    assert!(err.contains("did you mean `FE-5`?"), "{err}");
    assert!(err.contains("its roles are: FD, OM, PLN"), "{err}");
    let (code, _, err) = run(&[
        "agenda",
        WEEK,
        "--at",
        "2014/275 12:00",
        "--plan",
        "ATV5-W41",
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("did you mean `ATV5-W40`?"), "{err}");
    let (code, _, err) = run(&["agenda", WEEK, "--at", "2014/275 12:00", "--hours", "0"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--hours 0"), "{err}");
}

/// Short role names: a swap of two letters, a case slip and confusable characters get a
/// "did you mean"; a name far from every role gets none; equally close siblings are
/// all offered.
#[test]
fn a_swapped_or_misread_role_gets_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let plan = r#"
plan EOS7-W11 "Week 11" {
  horizon 2025/070 00:00 .. 2025/077 00:00
  roles GSC, FD, SPACON, SPACON-A, SPACON-B, C03
  activity A1 "Pass" { at 2025/070 12:00 lasts 30m by GSC }
}
"#;
    std::fs::write(dir.path().join("w11.plan"), plan).unwrap();
    let agenda = |role: &str| {
        let out = opsplan()
            .arg("agenda")
            .arg(dir.path())
            .args(["--at", "2025/070 11:00", "--role", role])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{role}");
        assert!(out.stdout.is_empty(), "{role}: nothing written");
        String::from_utf8(out.stderr).unwrap()
    };
    for (asked, meant) in [
        ("GCS", "(did you mean `GSC`?)"),
        ("gsc", "(did you mean `GSC`?)"),
        ("fd", "(did you mean `FD`?)"),
        ("CO3", "(did you mean `C03`?)"),
        ("C30", "(did you mean `C03`?)"),
        ("SPACON-C", "(did you mean `SPACON-A` or `SPACON-B`?)"),
    ] {
        let err = agenda(asked);
        assert!(
            err.contains(&format!(
                "no role `{asked}` in EOS7-W11 {meant}; its roles are: GSC, FD"
            )),
            "{err}"
        );
    }
    let err = agenda("EVA");
    assert!(
        err.contains("no role `EVA` in EOS7-W11; its roles are"),
        "{err}"
    );
    assert!(!err.contains("did you mean"), "{err}");
    // `--plan` too.
    let out = opsplan()
        .arg("agenda")
        .arg(dir.path())
        .args(["--at", "2025/070 11:00", "--plan", "EOS7-W1l"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("no plan `EOS7-W1l` (did you mean `EOS7-W11`?)"),
        "{err}"
    );
}

#[test]
fn a_plan_with_errors_gives_a_sheet_that_says_so() {
    let (code, text, _) = run(&[
        "agenda",
        "examples/atv5-week40-defects",
        "--at",
        "2014/276 05:00",
    ]);
    assert_eq!(code, Some(0));
    assert!(text.contains("Check        fail (32 errors"), "{text}");
    assert!(
        text.contains("!! WARNING: this sheet comes from a plan that fails its check (32 errors)"),
        "{text}"
    );
    // A29 asks for a version the library does not have; A36/A37 are in a cycle.
    let (_, text, _) = run(&[
        "agenda",
        "examples/atv5-week40-defects",
        "--at",
        "2014/275 12:00",
        "--hours",
        "6",
    ]);
    assert!(
        text.contains("ATV-FCP-RBT-020 v2.5  NOT IN THE LIBRARY"),
        "{text}"
    );
    assert!(text.contains("NOT SCHEDULED"), "{text}");
    assert!(text.contains("in a dependency cycle"), "{text}");
    let (code, html, _) = run(&[
        "agenda",
        "examples/atv5-week40-defects",
        "--at",
        "2014/275 12:00",
        "--format",
        "html",
    ]);
    assert_eq!(code, Some(0));
    assert!(html.contains("<p class=\"plan-warning\" id=\"warning\">WARNING: this sheet comes from a plan that fails its check (32 errors)"));
    assert!(html.contains("<div class=\"verdict fail\">"));
}

#[test]
fn a_missing_input_is_exit_2() {
    let (code, out, err) = run(&["agenda", "no/such/folder", "--at", "2014/275 12:00"]);
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert!(
        err.contains("no/such/folder: no such file or directory"),
        "{err}"
    );
}

#[test]
fn an_invalid_window_file_is_exit_2_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sheet.txt");
    let (code, out, err) = run(&[
        OsStr::new("agenda"),
        OsStr::new("tests/fixtures/E005-invalid-window-file"),
        OsStr::new("--at"),
        OsStr::new("2014/273 08:00"),
        OsStr::new("-o"),
        file.as_os_str(),
    ]);
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert!(
        err.contains("E005") && err.contains("no sheet written"),
        "{err}"
    );
    assert!(!file.exists());
}

#[test]
fn output_into_a_missing_folder_is_exit_2_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("missing").join("sheet.html");
    let (code, out, err) = run(&[
        OsStr::new("agenda"),
        OsStr::new(WEEK),
        OsStr::new("--at"),
        OsStr::new("2014/275 12:00"),
        OsStr::new("--format"),
        OsStr::new("html"),
        OsStr::new("-o"),
        file.as_os_str(),
    ]);
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert!(err.contains("cannot be written"), "{err}");
    assert!(!dir.path().join("missing").exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn the_html_sheet_is_written_with_its_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shift.html");
    let (code, out, err) = run(&[
        OsStr::new("agenda"),
        OsStr::new(WEEK),
        OsStr::new("--at"),
        OsStr::new("2014/275 12:00"),
        OsStr::new("--hours"),
        OsStr::new("6"),
        OsStr::new("--format"),
        OsStr::new("html"),
        OsStr::new("-o"),
        file.as_os_str(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.is_empty());
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") || html.contains("\n<!DOCTYPE html>"));
    assert!(html.contains("<title>Shift sheet ATV5-W40 from 2014/275 12:00</title>"));
    assert!(html.contains("<div class=\"verdict pass\">"));
    assert!(html.contains("<h2>MCC-M</h2>"));
    assert!(html.contains("<span class=\"mono\">A29</span> Reboost, OCS 1+3, ~2.6 m/s <span class=\"crit\">CRITICAL</span>"));
    assert!(
        html.contains("<span class=\"mono\">ART &amp; TDRS</span> <span class=\"met\">met</span>")
    );
    assert!(html.contains("ATV-CRP-PRP-090 v1.1"));
    assert!(html.contains("<footer id=\"provenance\">"));
    assert!(html.contains("examples/atv5-week40/atv5-week40.plan"));
    assert!(html.contains("at 2014-10-01T00:00:00Z (time from SOURCE_DATE_EPOCH)"));
    assert!(html.trim_end().ends_with("</html>"));
    // Deterministic: the same bytes again.
    let again = run(&[
        "agenda",
        WEEK,
        "--at",
        "2014/275 12:00",
        "--hours",
        "6",
        "--format",
        "html",
    ]);
    assert_eq!(again.1, html);
}

#[test]
fn the_html_sheet_escapes_every_input_text() {
    let dir = tempfile::tempdir().unwrap();
    let plan = r#"
plan P1 "<script>alert('plan')</script>" {
  mission "<b>M</b>"
  issue "<i>1</i>"
  horizon 2014/275 00:00 .. 2014/276 00:00
  roles OM
  window W "<script>alert('window')</script>" 2014/275 11:00 .. 2014/275 13:00
  activity A1 "<script>alert('activity')</script>" {
    at 2014/275 12:00 lasts 30m by OM procedure X needs W
  }
}
procedure X "<img src=x onerror=alert(1)>" { version 1.0 roles OM contingency Y
  step 1 "s" { end } }
procedure Y "<script>alert('contingency')</script>" { version 1.0 step 1 "s" { end } }
"#;
    std::fs::write(dir.path().join("p.plan"), plan).unwrap();
    let (code, html, err) = run(&[
        OsStr::new("agenda"),
        dir.path().as_os_str(),
        OsStr::new("--at"),
        OsStr::new("2014/275 11:45"),
        OsStr::new("--format"),
        OsStr::new("html"),
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(!html.contains("<b>M"), "{html}");
    for what in ["plan", "window", "activity", "contingency"] {
        assert!(
            html.contains(&format!(
                "&lt;script&gt;alert(&#39;{what}&#39;)&lt;/script&gt;"
            )),
            "{what} not escaped: {html}"
        );
    }
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{html}"
    );
}

#[test]
fn json_is_the_view() {
    let (code, text, _) = run(&[
        "agenda",
        WEEK,
        "--at",
        "2014/275 12:00",
        "--hours",
        "6",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(0));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let sheet = &v["sheets"][0];
    assert_eq!(sheet["plan"], "ATV5-W40");
    assert_eq!(sheet["verdict"], "pass");
    let mcc = sheet["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["role"] == "MCC-M")
        .unwrap();
    let a29 = mcc["next"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "A29")
        .unwrap();
    assert_eq!(a29["critical"], true);
    assert_eq!(a29["procedure"]["name"], "ATV-FCP-RBT-020 v2.4");
    assert_eq!(a29["needs"]["met"], true);
}

#[test]
fn a_shift_outside_the_horizon_still_gives_a_sheet() {
    let (code, text, _) = run(&["agenda", WEEK, "--at", "2014/300 12:00"]);
    assert_eq!(code, Some(0));
    assert!(
        text.contains("Note: the shift is outside the plan's horizon"),
        "{text}"
    );
    let (code, text, _) = run(&["agenda", WEEK, "--at", "2014/278 20:00"]);
    assert_eq!(code, Some(0));
    assert!(text.contains("partly outside the plan's horizon"), "{text}");
}

#[test]
fn with_several_plans_the_sheets_are_those_of_the_plans_in_the_shift() {
    let dir = tempfile::tempdir().unwrap();
    let week = |id: &str, from: &str, to: &str, at: &str| {
        format!(
            "plan {id} {{\n  horizon {from} .. {to}\n  roles OM\n  activity A1 \"t\" {{ at {at} lasts 1h by OM }}\n}}\n"
        )
    };
    std::fs::write(
        dir.path().join("w40.plan"),
        week("W40", "2014/272 00:00", "2014/279 00:00", "2014/275 13:00"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("w41.plan"),
        week("W41", "2014/279 00:00", "2014/286 00:00", "2014/280 13:00"),
    )
    .unwrap();
    let path = dir.path().as_os_str();
    let at = |t: &str| {
        run(&[
            OsStr::new("agenda"),
            path,
            OsStr::new("--at"),
            OsStr::new(t),
        ])
    };
    let (code, text, _) = at("2014/275 12:00");
    assert_eq!(code, Some(0));
    assert!(
        text.contains("SHIFT SHEET  W40") && !text.contains("W41"),
        "{text}"
    );
    // A shift across both weeks: a sheet each.
    let (_, text, _) = at("2014/278 20:00");
    assert!(
        text.contains("SHIFT SHEET  W40") && text.contains("SHIFT SHEET  W41"),
        "{text}"
    );
    let (code, text, _) = run(&[
        OsStr::new("agenda"),
        path,
        OsStr::new("--at"),
        OsStr::new("2014/278 20:00"),
        OsStr::new("--plan"),
        OsStr::new("W41"),
    ]);
    assert_eq!(code, Some(0));
    assert!(!text.contains("W40"), "{text}");
}

#[test]
fn the_sheet_reads_only_what_it_is_given() {
    // Writing with -o creates exactly one file and nothing beside it.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sheet.txt");
    let (code, out, _) = run(&[
        OsStr::new("agenda"),
        OsStr::new(WEEK),
        OsStr::new("--at"),
        OsStr::new("2014/275 12:00"),
        OsStr::new("-o"),
        file.as_os_str(),
    ]);
    assert_eq!(code, Some(0));
    assert!(out.is_empty());
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("sheet.txt")]);
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.starts_with("SHIFT SHEET  ATV5-W40 issue 3"));
    assert!(Path::new(&file).exists());
}

#[test]
fn the_html_template_can_be_replaced() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("agenda.html"),
        "{% for s in sheets %}{{ s.plan }} {{ s.at }}: {{ s.roles | length }} roles{% endfor %}",
    )
    .unwrap();
    let (code, out, err) = run(&[
        OsStr::new("agenda"),
        OsStr::new(WEEK),
        OsStr::new("--at"),
        OsStr::new("2014/275 12:00"),
        OsStr::new("--format"),
        OsStr::new("html"),
        OsStr::new("--templates"),
        dir.path().as_os_str(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, "ATV5-W40 2014/275 12:00: 12 roles");
    // A broken template is a clear error, exit 2, nothing written.
    std::fs::write(dir.path().join("agenda.html"), "{% for %}").unwrap();
    let (code, out, err) = run(&[
        OsStr::new("agenda"),
        OsStr::new(WEEK),
        OsStr::new("--at"),
        OsStr::new("2014/275 12:00"),
        OsStr::new("--format"),
        OsStr::new("html"),
        OsStr::new("--templates"),
        dir.path().as_os_str(),
    ]);
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert!(err.contains("template"), "{err}");
}

/// A procedure without a contingency procedure still has its own failure path: the
/// sheet names the failure steps (DAM-030 step 7, reached only from `on fail goto 7`).
#[test]
fn failure_steps_are_shown_beside_the_contingencies() {
    let (code, out, err) = run(&[
        "agenda",
        "examples/atv5-week40",
        "--at",
        "2014/276 13:00",
        "--hours",
        "2",
        "--role",
        "MCC-M",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains(
            "         procedure    ATV-FCP-DAM-030 v1.6 \"PDAM\"\n         on failure   step 7 \"Burn failure\"\n         contingency  none declared\n"
        ),
        "{out}"
    );
}
