//! YAML read in time linear in the text, through the binary under `common::limited()`:
//! nesting past 64 levels is refused before the YAML parser sees it (100,000-deep flow
//! nesting took 35 to 180 s to fail), at the line and column where it gets too deep, by
//! every YAML reader (flight rules, `opsplan.yaml`, `monthly.yaml`); and 16,000 rules load
//! without a quadratic step, in block style and all on one line. Times are printed for
//! information, never asserted.

// Only `limited()` is used here.
#[allow(dead_code)]
mod common;

use std::path::Path;
use std::time::Instant;

const DEEP: usize = 100_000;

fn flow(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

fn timed(what: &str, cmd: &mut assert_cmd::Command) -> std::process::Output {
    let t = Instant::now();
    let out = cmd.output().expect("runs");
    eprintln!("[yaml_limits] {what}: {:.1?}", t.elapsed());
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_flight_rule_file_nested_100000_deep_is_refused_where_it_gets_too_deep() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("rules.yaml"),
        format!("rules:\n  - id: FR-1\n    windows: {}\n", flow(DEEP)),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("p.plan"),
        "plan P {\n  use rules \"rules.yaml\"\n  activity A1 { at 2014/275 00:00   lasts 1m }\n}\n",
    )
    .unwrap();
    let out = timed(
        "flight rules nested 100,000 deep",
        common::limited()
            .args(["check", "--no-config"])
            .arg(dir.path().join("p.plan")),
    );
    let stdout = text(&out.stdout);
    // Unreadable rules make the check incomplete: exit 2, the F003 located.
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.contains("error[F003]: flight-rule file is nested more than 64 levels deep"),
        "{stdout}"
    );
    // `rules`, its list and the rule are 3 levels: the 62nd bracket is the 65th.
    let col = "    windows: ".len() + 62;
    assert!(
        stdout.contains(&format!("rules.yaml:3:{col}")),
        "{}",
        &stdout[..stdout.len().min(600)]
    );
}

#[test]
fn a_project_file_nested_100000_deep_is_refused_where_it_gets_too_deep() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("opsplan.yaml"),
        format!("inputs: {}\n", "{a: ".repeat(DEEP) + &"}".repeat(DEEP)),
    )
    .unwrap();
    std::fs::write(dir.path().join("p.plan"), "plan P { }\n").unwrap();
    let out = timed(
        "opsplan.yaml nested 100,000 deep",
        common::limited().arg("check").arg(dir.path()),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    let col = "inputs: ".len() + 4 * 63 + 1;
    assert!(
        stderr.contains(&format!(
            "opsplan.yaml:1:{col}: nested more than 64 levels deep"
        )),
        "{stderr}"
    );
}

#[test]
fn a_monthly_manifest_nested_100000_deep_is_refused_where_it_gets_too_deep() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("monthly.yaml"),
        format!("plans: .\noutlook: {}\n", flow(DEEP)),
    )
    .unwrap();
    let out = timed(
        "monthly.yaml nested 100,000 deep",
        common::limited()
            .args(["report", "monthly", "--month", "2014-10"])
            .arg(dir.path())
            .arg("-o")
            .arg(dir.path().join("report.html")),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("report.html").exists());
    let all = text(&out.stdout) + &text(&out.stderr);
    let col = "outlook: ".len() + 64;
    assert!(
        all.contains(&format!(":2:{col}")) && all.contains("nested more than 64 levels deep"),
        "{all}"
    );
}

fn rules(n: usize, one_line: bool) -> String {
    let rule = |i: usize| {
        format!(
            "id: FR-{i}, title: rule {i}, kind: min_separation, select: {{ kind: burn }}, min: 20m, traces: [REQ-{i}]"
        )
    };
    if one_line {
        let items: Vec<String> = (0..n).map(|i| format!("{{{}}}", rule(i))).collect();
        format!("rules: [{}]\n", items.join(", "))
    } else {
        let mut s = String::from("rules:\n");
        for i in 0..n {
            s.push_str(&format!(
                "  - id: FR-{i}\n    title: rule {i}\n    kind: min_separation\n    select: {{ kind: burn }}\n    min: 20m\n    traces: [REQ-{i}]\n"
            ));
        }
        s
    }
}

fn sixteen_thousand_rules(one_line: bool, what: &str) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rules.yaml"), rules(16_000, one_line)).unwrap();
    let plan = Path::new("p.plan");
    std::fs::write(
        dir.path().join(plan),
        "plan P {\n  use rules \"rules.yaml\"\n  activity A1 { at 2014/275 00:00   lasts 1m   kind burn }\n}\n",
    )
    .unwrap();
    let out = timed(
        what,
        common::limited()
            .args(["check", "--no-config"])
            .arg(dir.path().join(plan)),
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("pass: 0 errors"), "{stdout}");
    // The traces, located rule by rule (every one is dangling: no requirements).
    std::fs::write(dir.path().join("reqs.csv"), "ID,Text\nREQ-0,x\n").unwrap();
    let out = timed(
        &format!("{what}, traced"),
        common::limited()
            .args(["trace", "--no-config", "--format", "json", "-r"])
            .arg(dir.path().join("reqs.csv"))
            .arg(dir.path().join(plan)),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = json.to_string();
    assert!(
        text.contains("REQ-15999"),
        "the last rule's trace is listed"
    );
}

#[test]
fn sixteen_thousand_rules_load_in_linear_time() {
    sixteen_thousand_rules(false, "16,000 rules");
}

#[test]
fn sixteen_thousand_rules_on_one_line_load_in_linear_time() {
    sixteen_thousand_rules(true, "16,000 rules on one line");
}
