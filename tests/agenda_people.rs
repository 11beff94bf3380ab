//! `opsplan agenda --at T` with a roster (issue #18, item 3): who holds each position at T
//! and who takes over during the sheet, the gaps of the continuous positions and duties
//! said plainly, who is on call with the response time, and the people on shift for each
//! activity's role; in text, JSON and HTML. Without a roster the sheet is unchanged.

use assert_cmd::Command;
use serde_json::Value;

const WEEK: &str = "examples/atv5-week40";
const GAP: &str = "tests/data/agenda-gap";

fn opsplan() -> Command {
    let mut c = Command::cargo_bin("opsplan").expect("binary built");
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("SOURCE_DATE_EPOCH", "1412121600");
    c
}

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = opsplan().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn sheet(args: &[&str]) -> String {
    let (code, text, err) = run(args);
    assert_eq!(code, Some(0), "{err}");
    text
}

/// The STAFFING section of a text sheet.
fn staffing(text: &str) -> &str {
    let start = text.find("STAFFING").expect("a staffing section");
    let end = text[start..]
        .find("\nROLE ")
        .map_or(text.len(), |e| start + e);
    &text[start..end]
}

#[test]
fn at_a_shift_change_both_holders_are_named() {
    // 2014/275 14:05: the morning shift hands over to the afternoon (14:00-14:15).
    let text = sheet(&["agenda", WEEK, "--at", "2014/275 14:05", "--hours", "3"]);
    let s = staffing(&text);
    assert!(
        s.contains("on shift   BMOREAU (Bruno Moreau)  until 2014/275 14:15"),
        "{s}"
    );
    assert!(
        s.contains("on shift   ADUBOIS (Anne Dubois)  until 2014/275 22:15"),
        "{s}"
    );
    assert!(
        s.contains("on call    ADUBOIS (Anne Dubois)  until 2014/276 00:00, response 30m"),
        "{s}"
    );
    assert!(!s.contains("UNSTAFFED"), "{s}");
    // A32, the reboost report by OM at 17:00: the Operations Manager then.
    let om = &text[text.find("ROLE OM\n").unwrap()..];
    assert!(
        om.contains("on shift     ADUBOIS (Anne Dubois) on OM-DESK"),
        "{om}"
    );
    // Roles no position fills (FD, MCC-M) name nobody: the roster does not staff them.
    let fd = &text[text.find("ROLE FD\n").unwrap()..text.find("ROLE OM\n").unwrap()];
    assert!(!fd.contains("on shift"), "{fd}");
    for line in text.lines() {
        assert!(line.chars().count() <= 100, "too wide: {line}");
    }
    insta::assert_snapshot!("people_shift_change", s);
}

#[test]
fn at_night_the_night_shift_and_the_next_handovers() {
    let text = sheet(&["agenda", WEEK, "--at", "2014/276 03:00", "--hours", "8"]);
    let s = staffing(&text);
    assert!(
        s.contains("on shift   EMICHEL (Emma Michel)  until 2014/276 06:15"),
        "{s}"
    );
    assert!(
        s.contains("next       HDAVID (Helene David)  2014/276 06:00 .. 2014/276 14:15"),
        "{s}"
    );
    assert!(s.contains("on call    BMOREAU (Bruno Moreau)"), "{s}");
    insta::assert_snapshot!("people_night", s);
}

#[test]
fn a_gap_is_said_plainly() {
    let text = sheet(&["agenda", GAP, "--at", "2014/272 14:30", "--hours", "4"]);
    let s = staffing(&text);
    assert!(
        s.contains("!! UNSTAFFED until 2014/272 16:00 (1h30m left)"),
        "{s}"
    );
    assert!(
        s.contains(
            "on shift   KVINCENT (Karine Vincent)  until 2014/272 18:00  TRAINEE UNDER JDUPONT"
        ),
        "{s}"
    );
    // The activity of the unstaffed role says nobody fills it.
    assert!(
        text.contains("on shift     NOBODY on shift in a position filling this role"),
        "{text}"
    );
    assert!(
        text.contains("on shift     KVINCENT (Karine Vincent) on PLN-DESK (trainee)"),
        "{text}"
    );
    insta::assert_snapshot!("people_gap", s);

    // Earlier: the gaps to come, and the hotline uncovered now.
    let text = sheet(&["agenda", GAP, "--at", "2014/272 12:15", "--hours", "4"]);
    let s = staffing(&text);
    assert!(
        s.contains("!! unstaffed from 2014/272 14:15 until 2014/272 16:00 (1h45m)"),
        "{s}"
    );
    assert!(
        s.contains("!! NOBODY ON CALL until 2014/272 13:00 (45m left)"),
        "{s}"
    );
    assert!(
        s.contains(
            "next       MMARTIN (Marc Martin)  2014/272 13:00 .. 2014/273 00:00, response 20m"
        ),
        "{s}"
    );
}

#[test]
fn json_carries_the_people() {
    let text = sheet(&[
        "agenda",
        GAP,
        "--at",
        "2014/272 14:30",
        "--hours",
        "4",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&text).unwrap();
    let st = &v["sheets"][0]["staffing"][0];
    assert_eq!(st["roster"], "TEAM");
    let om = &st["positions"][0];
    assert_eq!(om["name"], "OM-DESK");
    assert_eq!(om["continuous_now"], true);
    assert_eq!(om["holders"].as_array().unwrap().len(), 0);
    assert_eq!(om["gap"], "UNSTAFFED until 2014/272 16:00 (1h30m left)");
    assert_eq!(om["next"][0]["person"], "MMARTIN");
    let pln = &st["positions"][1];
    assert_eq!(pln["holders"][0]["status"], "trainee under JDUPONT");
    let hot = &st["duties"][0];
    assert_eq!(hot["on_call"][0]["person"], "MMARTIN");
    assert_eq!(hot["on_call"][0]["response"], "20m");
    assert_eq!(hot["response"], "30m");
    // Entries: people for the roles a position fills, absent for the others.
    let roles = v["sheets"][0]["roles"].as_array().unwrap();
    let role = |name: &str| roles.iter().find(|r| r["role"] == name).unwrap();
    assert_eq!(role("OM")["next"][0]["on_shift"], serde_json::json!([]));
    assert!(role("FD")["next"][0].get("on_shift").is_none());
}

#[test]
fn without_a_roster_the_sheet_has_no_people() {
    let dir = tempfile::tempdir().unwrap();
    let plan = std::fs::read_to_string(format!("{GAP}/plan.plan")).unwrap();
    let plan = plan.replace("  use roster \"team.roster\"\n", "");
    std::fs::write(dir.path().join("plan.plan"), plan).unwrap();
    let path = dir.path().to_str().unwrap();
    let text = sheet(&["agenda", path, "--at", "2014/272 14:30", "--hours", "4"]);
    assert!(
        !text.contains("STAFFING") && !text.contains("on shift"),
        "{text}"
    );
    let json = sheet(&["agenda", path, "--at", "2014/272 14:30", "--format", "json"]);
    assert!(
        !json.contains("\"staffing\"") && !json.contains("\"on_shift\""),
        "{json}"
    );
    let html = sheet(&["agenda", path, "--at", "2014/272 14:30", "--format", "html"]);
    assert!(!html.contains("Staffing") && !html.contains("on shift"));
}

#[test]
fn the_html_sheet_shows_the_people_escaped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(format!("{GAP}/plan.plan"), dir.path().join("plan.plan")).unwrap();
    let roster = std::fs::read_to_string(format!("{GAP}/team.roster")).unwrap();
    let roster = roster.replace("\"Marc Martin\"", "\"Marc <b>Martin</b> & co\"");
    std::fs::write(dir.path().join("team.roster"), roster).unwrap();
    let path = dir.path().to_str().unwrap();
    let html = sheet(&[
        "agenda",
        path,
        "--at",
        "2014/272 14:30",
        "--hours",
        "4",
        "--format",
        "html",
    ]);
    assert!(html.contains("<h2>Staffing"), "{html}");
    assert!(html.contains("UNSTAFFED until 2014/272 16:00 (1h30m left)"));
    assert!(html.contains("trainee under JDUPONT"));
    assert!(
        html.contains("Marc &lt;b&gt;Martin&lt;/b&gt; &amp; co"),
        "{html}"
    );
    assert!(!html.contains("<b>Martin</b>"));
    assert!(html.contains("nobody in a position filling this role"));
}
