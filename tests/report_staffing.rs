//! `opsplan report staffing` as users run it (issue #18): the Markdown and JSON reports of
//! the example week and of the defects example as snapshots, the figures checked against
//! the roster and against `opsplan check`, exit codes as `check`, `-o`, `--from/--to`, a
//! plan without a roster, every input text escaped in HTML and Markdown, the printed
//! page's rules.

mod common;

use assert_cmd::Command;
use std::path::Path;

const MISSION: &str = "examples/atv5-week40";
const DEFECTS: &str = "examples/atv5-week40-defects";
/// 2014-10-01T00:00:00Z
const EPOCH: &str = "1412121600";

fn opsplan() -> Command {
    let mut c = Command::cargo_bin("opsplan").expect("binary built");
    c.env_remove("NO_COLOR").env("SOURCE_DATE_EPOCH", EPOCH);
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

/// Hashes change with every edit of an example; the version with every release.
fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.add_filter(r"[0-9a-f]{64}", "[sha256]");
    s.add_filter(r"opsplan \d+\.\d+\.\d+", "opsplan [version]");
    s.add_filter(r#""version": "\d+\.\d+\.\d+""#, r#""version": "[version]""#);
    s.add_filter(r#"\| \d+ \| `\[sha256\]`"#, "| [bytes] | `[sha256]`");
    s.add_filter(r#""bytes": \d+"#, r#""bytes": "[bytes]""#);
    s
}

/// The exit code, the JSON document read and as written.
fn json_doc(args: &[&str]) -> (Option<i32>, serde_json::Value, String) {
    let mut all = vec!["report", "staffing", "--format", "json"];
    all.extend_from_slice(args);
    let (code, out, err) = run(&all);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    (code, v, out)
}

fn json(args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let (code, v, _) = json_doc(args);
    (code, v)
}

/// A copy of the example mission in a temporary folder, without the requirements it
/// traces to.
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
fn markdown_of_the_example_week() {
    let (code, md, err) = run(["report", "staffing", MISSION, "--format", "md"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(md.starts_with("# Staffing report: ATV-CC-W40\n"));
    assert!(md.contains("**Verdict: PASS**"));
    assert!(md.contains("2014/272 00:00 .. 2014/279 00:00 (7 days; the plan's horizon)"));
    snapshot_settings().bind(|| insta::assert_snapshot!("staffing_clean_md", md));
}

#[test]
fn json_of_the_example_week() {
    let (code, v, raw) = json_doc(&[MISSION]);
    assert_eq!(code, Some(0));
    assert!(raw.starts_with("{\n  \"report\": \"staffing\",\n  \"schema_version\": 1,"));
    assert_eq!(v["report"], "staffing");
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["verdict"]["status"], "pass");
    let r = &v["rosters"][0];
    // Two positions and a duty, held without a break for 7 days.
    let coverage = r["coverage"].as_array().unwrap();
    assert_eq!(coverage.len(), 21);
    for c in coverage {
        assert_eq!(c["required_s"], 86_400, "{c}");
        assert_eq!(c["covered_s"], 86_400, "{c}");
        assert_eq!(c["covered_percent"], 100.0);
        assert!(c["gaps"].as_array().unwrap().is_empty());
    }
    // 11 people; the week's hours never over 48 h; the rests never below the rules.
    let people = r["people"].as_array().unwrap();
    assert_eq!(people.len(), 11);
    assert!(people.iter().all(|p| p["over"] == false));
    let rest = r["rest"].as_array().unwrap();
    assert!(rest
        .iter()
        .all(|x| x["ok"] == true && x["margin_s"].as_i64().unwrap() >= 0));
    let margins: Vec<i64> = rest
        .iter()
        .map(|x| x["margin_s"].as_i64().unwrap())
        .collect();
    assert!(margins.windows(2).all(|w| w[0] <= w[1]), "the worst first");
    assert!(r["qualifications"].as_array().unwrap().is_empty());
    assert!(v["findings"].as_array().unwrap().is_empty());
    snapshot_settings().bind(|| insta::assert_snapshot!("staffing_clean_json", raw));
}

#[test]
fn the_defects_example_shows_every_staffing_finding_of_check() {
    let (code, md, err) = run(["report", "staffing", DEFECTS, "--format", "md"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(md.contains("**Verdict: FAIL**"));
    snapshot_settings().bind(|| insta::assert_snapshot!("staffing_defects_md", md));

    let (code, v, raw) = json_doc(&[DEFECTS]);
    assert_eq!(code, Some(1));
    assert_eq!(v["verdict"]["status"], "fail");
    // The W findings are those of `opsplan check`, in the same number.
    let (_, out, _) = run(["check", "--format", "json", DEFECTS]);
    let check: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut want: Vec<String> = check["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .filter(|c| c.starts_with('W'))
        .collect();
    want.sort();
    let mut got: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect();
    got.sort();
    assert_eq!(got, want);

    let r = &v["rosters"][0];
    let row = |post: &str, day: &str| {
        r["coverage"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["post"] == post && c["day"] == day)
            .unwrap_or_else(|| panic!("{post} {day}"))
            .clone()
    };
    // W002: PLN-DESK unheld 14:15-14:30 on 2014/272.
    let pln = row("PLN-DESK", "2014/272");
    assert_eq!(pln["status"], "gap");
    assert_eq!(pln["covered_s"], 86_400 - 900);
    assert_eq!(
        pln["gaps"][0]["interval"],
        "2014/272 14:15 .. 2014/272 14:30"
    );
    assert_eq!(pln["gaps"][0]["duration_s"], 900);
    // W013: the turn of 2014/277 answers in 45 min, the duty asks 30: not counted, but
    // someone is on call (held).
    let oncall = row("OPS-ONCALL", "2014/277");
    assert_eq!(oncall["covered_s"], 0);
    assert_eq!(oncall["held_s"], 86_400);
    // W010: JROUX's week over 48 h; W011: EMICHEL's four nights in a row.
    let person = |id: &str| {
        r["people"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(person("JROUX")["weeks"][0]["worked_s"], 48 * 3600 + 45 * 60);
    assert_eq!(person("JROUX")["weeks"][0]["over"], true);
    assert_eq!(person("EMICHEL")["longest_night_run"], 4);
    assert_eq!(person("EMICHEL")["nights_over"], true);
    // W008 then W007 lead the rest margins: the worst first.
    let rest = r["rest"].as_array().unwrap();
    assert_eq!(
        (&rest[0]["id"], &rest[0]["rule"], &rest[0]["shortest_s"]),
        (
            &"CLAURENT".into(),
            &"weekly rest".into(),
            &(23 * 3600 + 55 * 60).into()
        )
    );
    assert_eq!(rest[0]["margin"], "-11h5m");
    assert_eq!(
        (&rest[1]["id"], &rest[1]["rule"], &rest[1]["margin_s"]),
        (
            &"BMOREAU".into(),
            &"daily rest".into(),
            &(-(3 * 3600 + 15 * 60)).into()
        )
    );
    // W004: HDAVID's OM-DESK qualification ended with 2014/275.
    let q = &r["qualifications"][0];
    assert_eq!(
        (
            &q["id"],
            &q["position"],
            &q["until"],
            &q["status"],
            &q["days_left"]
        ),
        (
            &"HDAVID".into(),
            &"OM-DESK".into(),
            &"2014/275".into(),
            &"expired".into(),
            &(-3).into()
        )
    );
    snapshot_settings().bind(|| insta::assert_snapshot!("staffing_defects_json", raw));
}

#[test]
fn html_is_self_contained_and_printable() {
    let (code, html, err) = run(["report", "staffing", MISSION]);
    assert_eq!(code, Some(0), "{err}");
    assert!(html.starts_with("<!DOCTYPE html>"));
    for needle in [
        "id=\"verdict\"",
        "<table class=\"coverage\" id=\"coverage\">",
        "<table class=\"people\" id=\"people\">",
        "<table class=\"rest\" id=\"rest\">",
        "id=\"qualifications\"",
        "@page",
        "counter(page) \" / \" counter(pages)",
        "break-after: avoid",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
    assert!(!html.contains("<script src") && !html.contains("<link "));
}

#[test]
fn output_file_and_the_same_bytes_twice() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("staffing.md");
    let (code, stdout, err) = run([
        "report",
        "staffing",
        DEFECTS,
        "--format",
        "md",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(1), "{err}");
    assert!(stdout.is_empty());
    assert!(err.contains("fail:"), "{err}");
    let first = std::fs::read(&out).unwrap();
    let (_, again, _) = run(["report", "staffing", DEFECTS, "--format", "md"]);
    assert_eq!(first, again.as_bytes());
    for format in ["html", "json"] {
        let (_, a, _) = run(["report", "staffing", MISSION, "--format", format]);
        let (_, b, _) = run(["report", "staffing", MISSION, "--format", format]);
        assert_eq!(a, b, "{format}");
    }
}

#[test]
fn from_and_to_narrow_the_range() {
    let (code, v) = json(&[
        MISSION,
        "--from",
        "2014/274 12:00",
        "--to",
        "2014-10-03T00:00Z",
    ]);
    assert_eq!(code, Some(0));
    let r = &v["rosters"][0];
    assert_eq!(r["range"]["from"], "2014/274 12:00");
    assert_eq!(r["range"]["to"], "2014/276 00:00");
    assert_eq!(r["range"]["source"], "--from/--to");
    assert_eq!(r["range"]["days"], 2);
    // The first day is cut at noon.
    assert_eq!(r["coverage"][0]["day"], "2014/274");
    assert_eq!(r["coverage"][0]["required_s"], 12 * 3600);
    // A person's hours are those inside the range, the week's those of the whole week.
    let p = &r["people"][0];
    assert!(p["worked_s"].as_i64().unwrap() < p["weeks"][0]["worked_s"].as_i64().unwrap());
}

#[test]
fn bad_ranges_are_exit_2_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r.md");
    let o = out.to_str().unwrap();
    let (code, _, err) = run([
        "report",
        "staffing",
        MISSION,
        "--from",
        "2014/400 00:00",
        "-o",
        o,
    ]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("--from `2014/400 00:00` is not a valid time"),
        "{err}"
    );
    let (code, _, err) = run([
        "report",
        "staffing",
        MISSION,
        "--from",
        "2014/275 00:00",
        "--to",
        "2014/274 00:00",
        "-o",
        o,
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("is not after --from"), "{err}");
    let (code, _, err) = run([
        "report",
        "staffing",
        MISSION,
        "--from",
        "1990/001 00:00",
        "--to",
        "2014/274 00:00",
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("longer than 3660 days"), "{err}");
    assert!(!out.exists());
}

#[test]
fn a_plan_without_a_roster_is_a_clear_message_and_exit_2() {
    let tmp = mission_copy();
    edit(
        &tmp.path().join("atv5-week40.plan"),
        "use roster \"atv5-week40.roster\"",
        "",
    );
    std::fs::remove_file(tmp.path().join("atv5-week40.roster")).unwrap();
    let out = tmp.path().join("staffing.html");
    let (code, stdout, err) = run([
        "report",
        "staffing",
        tmp.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(stdout.is_empty());
    assert!(
        err.contains("no roster among the inputs: a staffing report needs one"),
        "{err}"
    );
    assert!(err.contains("no report written"), "{err}");
    assert!(!out.exists());
}

#[test]
fn a_roster_with_syntax_errors_is_located_and_exit_2() {
    let tmp = mission_copy();
    edit(
        &tmp.path().join("atv5-week40.roster"),
        "person ADUBOIS \"Anne Dubois\" {",
        "person ADUBOIS \"Anne Dubois\" {{",
    );
    let (code, stdout, err) = run(["report", "staffing", tmp.path().to_str().unwrap()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(stdout.is_empty());
    assert!(err.contains("atv5-week40.roster:"), "{err}");
    assert!(err.contains("atv5-week40.roster cannot be judged"), "{err}");
}

#[test]
fn every_input_text_is_escaped() {
    let tmp = mission_copy();
    let roster = tmp.path().join("atv5-week40.roster");
    edit(
        &roster,
        "\"Anne Dubois\"",
        "\"<script>alert(1)</script> *Anne* | [x](y)\"",
    );
    edit(
        &roster,
        "\"Operations Manager console\"",
        "\"<img src=x onerror=alert(2)>\"",
    );
    edit(
        &roster,
        "\"ATV-CC support team, week GMT 272-278\"",
        "\"<b>team</b> & co\"",
    );
    let dir = tmp.path().to_str().unwrap();
    let (code, html, err) = run(["report", "staffing", dir]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!html.contains("<script>alert"), "raw script in HTML");
    assert!(!html.contains("<img src=x"), "raw img in HTML");
    assert!(!html.contains("<b>team"), "raw b in HTML");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(html.contains("&lt;b&gt;team&lt;"));
    let (_, md, _) = run(["report", "staffing", dir, "--format", "md"]);
    assert!(
        md.contains("&lt;script&gt;alert(1)&lt;/script&gt; \\*Anne\\* \\| \\[x\\](y)"),
        "{md}"
    );
    assert!(md.contains("\"&lt;b&gt;team&lt;/b&gt; &amp; co\""), "{md}");
    let (_, v) = json(&[dir]);
    assert_eq!(
        v["rosters"][0]["people"][0]["name"],
        "<script>alert(1)</script> *Anne* | [x](y)"
    );
}

#[test]
fn templates_replace_the_embedded_ones_and_o_never_names_an_input() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("staffing.md"),
        "{{ title | md }}: {{ rosters[0].people | length }} people\n",
    )
    .unwrap();
    let (code, md, err) = run([
        "report",
        "staffing",
        MISSION,
        "--format",
        "md",
        "--templates",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(md, "Staffing report: ATV-CC-W40: 11 people\n");

    // `-o` naming the roster read is refused: exit 2, the roster untouched.
    let tmp = mission_copy();
    let roster = tmp.path().join("atv5-week40.roster");
    let before = std::fs::read(&roster).unwrap();
    let (code, _, err) = run([
        "report",
        "staffing",
        tmp.path().to_str().unwrap(),
        "-o",
        roster.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(std::fs::read(&roster).unwrap(), before);
}

#[test]
fn an_unusable_input_is_exit_2_with_the_report_written_and_marked_incomplete() {
    let tmp = mission_copy();
    std::fs::write(tmp.path().join("flight-rules.yaml"), "rules: [\n").unwrap();
    let out = tmp.path().join("staffing.json");
    let (code, _, err) = run([
        "report",
        "staffing",
        tmp.path().to_str().unwrap(),
        "--format",
        "json",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(2), "{err}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["verdict"]["incomplete"], true);
    assert!(v["verdict"]["explanation"]
        .as_str()
        .unwrap()
        .starts_with("Incomplete check: "));
}
