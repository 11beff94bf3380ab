//! `opsplan report consistency` and `opsplan report trace` as users run them (issue #5):
//! the Markdown and JSON reports as snapshots, identical bytes across runs, every text
//! from an input escaped, exit codes, atomic `-o`, templates replaced with `--templates`,
//! provenance (hashes, the generation time never from the clock), long plans drawn as an
//! overview. The monthly report has its own tests (tests/monthly.rs).

mod common;

use assert_cmd::Command;

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

/// Hashes change with every edit of an example; the test below checks them for real.
fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.add_filter(r"[0-9a-f]{64}", "[sha256]");
    s.add_filter(r"opsplan \d+\.\d+\.\d+", "opsplan [version]");
    s.add_filter(r#""version": "\d+\.\d+\.\d+""#, r#""version": "[version]""#);
    s
}

#[test]
fn consistency_markdown_of_the_defects_example() {
    let (code, md, err) = run(["report", "consistency", DEFECTS, "--format", "md"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(md.starts_with("# Consistency report: ATV5-W40 issue 3\n"));
    assert!(md.contains("**Verdict: FAIL**"));
    snapshot_settings().bind(|| insta::assert_snapshot!("consistency_defects_md", md));
}

#[test]
fn consistency_json_of_the_clean_example() {
    let (code, json, err) = run(["report", "consistency", MISSION, "--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["verdict"]["status"], "pass");
    assert_eq!(v["plans"][0]["mission"], "ATV-5 Georges Lemaitre");
    assert!(v.get("timelines").is_none(), "geometry stays out of JSON");
    snapshot_settings().bind(|| insta::assert_snapshot!("consistency_clean_json", json));
}

#[test]
fn trace_markdown_and_json_of_the_example() {
    let (code, md, err) = run(["report", "trace", MISSION, "--format", "md"]);
    assert_eq!(code, Some(1), "three uncovered, one suspect: {err}");
    snapshot_settings().bind(|| insta::assert_snapshot!("trace_md", md));
    let (code, json, _) = run(["report", "trace", MISSION, "--format", "json"]);
    assert_eq!(code, Some(1));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["verdict"]["status"], "defects");
    assert_eq!(v["trace"]["summary"]["covered"], 23);
    snapshot_settings().bind(|| insta::assert_snapshot!("trace_json", json));
}

#[test]
fn every_report_and_format_is_byte_identical_across_runs() {
    for (kind, path) in [
        ("consistency", MISSION),
        ("consistency", DEFECTS),
        ("trace", MISSION),
    ] {
        for format in ["html", "md", "json"] {
            let a = opsplan()
                .args(["report", kind, path, "--format", format])
                .output()
                .unwrap();
            let b = opsplan()
                .args(["report", kind, path, "--format", format])
                .output()
                .unwrap();
            assert!(!a.stdout.is_empty());
            assert_eq!(a.stdout, b.stdout, "{kind} {path} {format}");
        }
    }
}

#[test]
fn the_html_report_holds_the_key_elements() {
    let (code, html, _) = run(["report", "consistency", DEFECTS]);
    assert_eq!(code, Some(1));
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains(r#"<span class="word" id="verdict">fail</span>"#));
    assert!(html.contains(r#"<table id="findings">"#));
    assert_eq!(
        html.matches(r#"<svg class="timeline""#).count(),
        7,
        "a page per day"
    );
    // A violation on the timeline links to its finding.
    assert!(html.contains(r##"<a href="#F1"><rect class="bar violation""##));
    assert!(html.contains(r#"<section class="finding error" id="F1">"#));
    // Nothing from the network.
    for banned in ["http://", "https://", "<script", "<link", "@import"] {
        let hits: Vec<&str> = html
            .lines()
            .filter(|l| l.contains(banned) && !l.contains("http://www.w3.org/2000/svg"))
            .collect();
        assert!(hits.is_empty(), "{banned}: {hits:?}");
    }
    let (_, trace, _) = run(["report", "trace", MISSION]);
    assert!(trace.contains(r#"<span class="word" id="verdict">defects</span>"#));
    assert!(trace.contains(r#"<table id="requirements" class="sort">"#));
    assert!(trace.contains(r#"<table class="matrix sort" id="matrix">"#));
    // Nothing from the network in the traceability report either; its one script is
    // inline (the tables' sorting and filtering).
    for banned in ["http://", "https://", "<link", "@import", "<script src"] {
        assert!(!trace.contains(banned), "{banned}");
    }
}

const HOSTILE_PLAN: &str = r#"plan EVIL "<script>alert(1)</script>" {
  mission "<img src=x onerror=alert(2)>"
  issue "1 | *bold* [link](http://x)"
  horizon 2014/272 00:00 .. 2014/273 00:00
  roles FD
  activity A1 "<script>alert(1)</script>" { at 2014/272 01:00 lasts 1h by FD covers REQ-1 }
  activity A2 "</svg><script>alert(3)</script>" { at 2014/272 01:30 lasts 1h by FD after A9 }
}
"#;

const HOSTILE_REQS: &str =
    "ID,Text\r\nREQ-1,<script>alert(1)</script>\r\nREQ-2,\"=cmd|' /C calc'!A0 & <b>bold</b>\"\r\n";

#[test]
fn every_text_from_an_input_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("evil.plan"), HOSTILE_PLAN).unwrap();
    std::fs::write(dir.path().join("reqs.csv"), HOSTILE_REQS).unwrap();
    let plan = dir.path().join("evil.plan");
    let (code, html, err) = run(["report".as_ref(), "consistency".as_ref(), plan.as_os_str()]);
    assert_eq!(code, Some(1), "{err}");
    assert!(!html.contains("<script"), "raw script in the HTML");
    assert!(!html.contains("<img"), "raw img in the HTML");
    assert!(!html.contains("</svg><"), "the SVG closed early");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    let (_, md, _) = run([
        "report".as_ref(),
        "consistency".as_ref(),
        plan.as_os_str(),
        "--format".as_ref(),
        "md".as_ref(),
    ]);
    // Outside code fences nothing is markup; inside them (the source excerpts) text is
    // shown as written by every Markdown renderer.
    let prose = outside_fences(&md);
    assert!(
        !prose.contains("<script") && !prose.contains("<img"),
        "{prose}"
    );
    assert!(md.contains("```text\n"));
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(md.contains(r"1 \| \*bold\* \[link\](http://x)"), "{md}");

    let reqs = dir.path().join("reqs.csv");
    for format in ["html", "md"] {
        let (code, out, err) = run([
            "report".as_ref(),
            "trace".as_ref(),
            plan.as_os_str(),
            "-r".as_ref(),
            reqs.as_os_str(),
            "--format".as_ref(),
            format.as_ref(),
        ]);
        assert_eq!(code, Some(1), "REQ-2 is uncovered: {err}");
        // The HTML carries one script, the report's own (templates/sortable.html).
        let out = if format == "html" {
            without_own_script(&out)
        } else {
            out
        };
        assert!(
            !out.contains("<script") && !out.contains("<b>bold"),
            "{format}: {out}"
        );
        assert!(out.contains("alert(1)"));
    }
}

/// The HTML without the report's own script (the last `<script>` element, which must be
/// the only one).
fn without_own_script(html: &str) -> String {
    assert_eq!(
        html.matches("<script").count(),
        1,
        "one script: the report's own"
    );
    let start = html.find("<script>\n").expect("the report's script");
    let end = html[start..].find("</script>").expect("closed") + start + "</script>".len();
    format!("{}{}", &html[..start], &html[end..])
}

/// The Markdown without its fenced code blocks.
fn outside_fences(md: &str) -> String {
    let mut out = String::new();
    let mut fence: Option<String> = None;
    for line in md.lines() {
        let ticks: String = line.chars().take_while(|&c| c == '`').collect();
        match &fence {
            Some(f) if line.trim_end() == f => fence = None,
            Some(_) => {}
            None if ticks.len() >= 3 => fence = Some(ticks),
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

#[test]
fn exit_codes_and_atomic_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c.html");
    let (code, stdout, err) = run([
        "report".as_ref(),
        "consistency".as_ref(),
        MISSION.as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(stdout, "");
    assert!(err.starts_with("pass: "), "{err}");
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("id=\"verdict\""));

    // A path that does not exist: exit 2, nothing written.
    let missing = dir.path().join("missing.html");
    let (code, _, err) = run([
        "report".as_ref(),
        "consistency".as_ref(),
        "no/such/plan".as_ref(),
        "-o".as_ref(),
        missing.as_os_str(),
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("no/such/plan"), "{err}");
    assert!(!missing.exists());

    // An output folder that does not exist.
    let (code, _, err) = run([
        "report".as_ref(),
        "trace".as_ref(),
        MISSION.as_ref(),
        "-o".as_ref(),
        dir.path().join("nope/t.html").as_os_str(),
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("cannot be written"), "{err}");

    // An unreadable export: the trace report is not written.
    let bad = dir.path().join("bad.reqif");
    std::fs::write(&bad, "<REQ-IF><THE-HEADER>").unwrap();
    let t = dir.path().join("t.html");
    let (code, _, err) = run([
        "report".as_ref(),
        "trace".as_ref(),
        MISSION.as_ref(),
        "-r".as_ref(),
        bad.as_os_str(),
        "-o".as_ref(),
        t.as_os_str(),
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("bad.reqif"), "{err}");
    assert!(!t.exists());
    // No temporary file left behind.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".opsplan-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn templates_can_be_replaced_and_a_broken_one_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("consistency.md"),
        "{{ title | md }}: {{ verdict.text }} ({{ findings | length }} findings)\n",
    )
    .unwrap();
    let (code, md, err) = run([
        "report".as_ref(),
        "consistency".as_ref(),
        DEFECTS.as_ref(),
        "--format".as_ref(),
        "md".as_ref(),
        "--templates".as_ref(),
        dir.path().as_os_str(),
    ]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(
        md,
        "Consistency report: ATV5-W40 issue 3: fail (41 findings)\n"
    );

    std::fs::write(dir.path().join("consistency.md"), "{% for x in %}\n").unwrap();
    let out = dir.path().join("r.md");
    let (code, _, err) = run([
        "report".as_ref(),
        "consistency".as_ref(),
        DEFECTS.as_ref(),
        "--format".as_ref(),
        "md".as_ref(),
        "--templates".as_ref(),
        dir.path().as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("consistency.md"), "{err}");
    assert!(!out.exists());

    // `report templates --out` writes every embedded template, never over a file.
    let copy = dir.path().join("copy");
    let (code, listed, _) = run([
        "report".as_ref(),
        "templates".as_ref(),
        "--out".as_ref(),
        copy.as_os_str(),
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(
        listed.lines().count(),
        opsplan::report::template_names().count()
    );
    std::fs::write(copy.join("style.css"), "/* mine */").unwrap();
    let (code, _, err) = run([
        "report".as_ref(),
        "templates".as_ref(),
        "--out".as_ref(),
        copy.as_os_str(),
    ]);
    assert_eq!(code, Some(0));
    assert!(err.contains("exists, left as it is"));
    assert_eq!(
        std::fs::read_to_string(copy.join("style.css")).unwrap(),
        "/* mine */"
    );
}

#[test]
fn provenance_hashes_every_input_and_never_reads_the_clock() {
    use sha2::Digest;
    let (_, json, _) = run(["report", "consistency", MISSION, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let p = &v["provenance"];
    assert_eq!(p["generated"], "2014-10-01T00:00:00Z");
    assert_eq!(p["generated_from"], "SOURCE_DATE_EPOCH");
    let inputs = p["inputs"].as_array().unwrap();
    let paths: Vec<&str> = inputs.iter().map(|i| i["path"].as_str().unwrap()).collect();
    for expected in [
        "examples/atv5-week40/atv5-week40.plan",
        "examples/atv5-week40/flight-rules.yaml",
        "examples/atv5-week40/windows/rgs-week40.csv",
        "requirements/atv-ops-requirements.reqif",
    ] {
        assert!(paths.contains(&expected), "{expected} in {paths:?}");
    }
    for i in inputs {
        let bytes = std::fs::read(i["path"].as_str().unwrap()).unwrap();
        let hex: String = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(i["sha256"], hex.as_str());
    }

    // Without SOURCE_DATE_EPOCH: the newest input's modification time.
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("p.plan");
    std::fs::write(
        &plan,
        "plan P {\n  roles FD\n  activity A1 { at 2014/272 01:00 lasts 1h by FD }\n}\n",
    )
    .unwrap();
    let f = std::fs::File::options().write(true).open(&plan).unwrap();
    f.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_414_800_000))
        .unwrap();
    drop(f);
    let out = Command::cargo_bin("opsplan")
        .unwrap()
        .env_remove("SOURCE_DATE_EPOCH")
        .args([
            "report".as_ref(),
            "consistency".as_ref(),
            plan.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["provenance"]["generated"], "2014-11-01T00:00:00Z");
    assert_eq!(
        v["provenance"]["generated_from"],
        "inputs (newest modification time)"
    );
}

#[test]
fn a_long_plan_is_drawn_as_an_overview_with_its_error_days() {
    let mut plan = String::from(
        "plan LONG {\n  horizon 2014/001 00:00 .. 2014/091 00:00\n  roles FD, GC\n  resource OCS exclusive\n",
    );
    for d in 1..=90 {
        plan.push_str(&format!(
            "  activity A{d} {{ at 2014/{d:03} 10:00 lasts 1h by FD uses OCS }}\n  activity B{d} {{ at 2014/{d:03} {} lasts 1h by GC uses OCS }}\n",
            if d % 30 == 0 { "10:30" } else { "14:00" }
        ));
    }
    plan.push_str("}\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.plan");
    std::fs::write(&path, plan).unwrap();
    let (code, html, err) = run(["report".as_ref(), "consistency".as_ref(), path.as_os_str()]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        html.contains("180 activities over 90 days: the overview counts"),
        "{html}"
    );
    // The overview and the three days holding a resource clash.
    assert_eq!(html.matches(r#"<svg class="timeline""#).count(), 4);
    assert!(html.contains(r#"id="tl-LONG-overview""#));
    assert!(
        html.contains(r#"id="tl-LONG-2014-030""#),
        "day 30 holds an error"
    );
}

#[test]
fn a_plan_with_syntax_errors_still_gets_its_report() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.plan");
    std::fs::write(
        &path,
        "plan P {\n  roles FD\n  activity A1 { at 2014/272 01:00 lasts by FD }\n}\n",
    )
    .unwrap();
    let (code, md, err) = run([
        "report".as_ref(),
        "consistency".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        "md".as_ref(),
    ]);
    assert_eq!(code, Some(1), "{err}");
    assert!(md.contains("E001"), "{md}");
    assert!(md.contains("**Verdict: FAIL**"));
}

#[test]
fn the_report_help_names_every_report() {
    let (code, help, _) = run(["report", "--help"]);
    assert_eq!(code, Some(0));
    for cmd in ["consistency", "trace", "monthly", "templates"] {
        assert!(help.contains(cmd), "{cmd}");
    }
}

#[test]
fn consistency_verdict_says_when_the_check_is_incomplete() {
    // One rule of the file cannot be read: the others are evaluated, and the verdict
    // says what was left out.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("w40.plan"),
        "plan W40 {\n  horizon 2014/275 00:00 .. 2014/277 00:00\n  use rules \"geo-ops-rules.yaml\"\n  roles CREW\n  window CREW-SLEEP daily 21:30 .. 06:00\n  waive GEO-FR-07 for A25 ref \"CR-1\"\n  activity A25 \"Photos\" { at 2014/276 02:00 lasts 30m by CREW }\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("geo-ops-rules.yaml"),
        "rules:\n  - id: GEO-FR-06\n    title: Crew tasks outside crew sleep\n    kind: forbidden_window\n    select: { role: CREW }\n    windows: [CREW-SLEEP]\n  - id: GEO-FR-07\n    title: Burns apart\n    kind: min_separation\n    select: { kind: burn }\n    minimum: 2h\n",
    )
    .unwrap();
    let out = opsplan()
        .current_dir(dir.path())
        .args(["report", "consistency", ".", "--format", "md"])
        .output()
        .unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(2), "{md}");
    assert!(md.contains(
        "**Verdict: FAIL (INCOMPLETE CHECK)**: Incomplete check: 1 flight rule was not \
         evaluated (GEO-FR-07), so findings may be missing. 2 findings at error severity"
    ));
    snapshot_settings().bind(|| insta::assert_snapshot!("consistency_incomplete_md", md));
    let out = opsplan()
        .current_dir(dir.path())
        .args(["report", "consistency", ".", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"]["incomplete"], true);
    let out = opsplan()
        .current_dir(dir.path())
        .args(["report", "consistency", "."])
        .output()
        .unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.contains("<b>Incomplete check</b>"));
}
