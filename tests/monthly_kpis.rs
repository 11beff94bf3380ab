//! `opsplan report monthly`: custom service KPIs defined in `monthly.yaml` (`kpis:`,
//! docs/monthly.md "Custom KPIs") on a small month of a test mission (TESTSAT, March
//! 2025): their values, status and reasons, the history's trend, `n/a` with its reason,
//! and every check of an entry located at its line and column of the manifest.

mod common;

use common::mission::Mission;

/// Four orbit products due by 08:00 (GMT 065-068 = 6-9 March), a pass, a maintenance.
const PLAN: &str = r#"plan SAT-M03 "March operations" {
  mission "TESTSAT"
  horizon 2025/060 00:00 .. 2025/091 00:00
  roles FD
  activity P1 "Orbit product" {
    at 2025/065 06:00   lasts 30m   by FD   kind product   tags orbit
  }
  activity P2 "Orbit product" {
    at 2025/066 06:00   lasts 30m   by FD   kind product   tags orbit
  }
  activity P3 "Orbit product" {
    at 2025/067 06:00   lasts 30m   by FD   kind product   tags orbit
  }
  activity P4 "Orbit product" {
    at 2025/068 06:00   lasts 30m   by FD   kind product   tags orbit
  }
  activity A1 "Pass" {
    at 2025/065 09:00   lasts 30m   by FD   kind pass
  }
  activity M1 "Antenna maintenance" {
    at 2025/070 10:00   lasts 2h   by FD   kind maintenance
  }
}
"#;

/// P1 on time, ends 06:40; P2 starts 1 h 30 min late and ends at 08:00 exactly; P3 ends
/// 08:05; P4 cancelled; the pass done; the maintenance cancelled.
const AS_FLOWN: &str = "Activity,Actual start,Actual end,Status,Comment
P1,2025-03-06 06:00,2025-03-06 06:40,done,
P2,2025-03-07 07:30,2025-03-07 08:00,done,
P3,2025-03-08 07:40,2025-03-08 08:05,done,
P4,,,cancelled,
A1,2025-03-06 09:00,2025-03-06 09:30,done,
M1,,,cancelled,
";

/// Lines 1-5; `kpis:` is line 6 and the first entry starts at line 7.
/// The built-in KPIs are green with these targets.
const MANIFEST: &str = "month: 2025-03
plans: .
as_flown: as-flown.csv
on_time_tolerance: 5m
targets: { completion: { target: 50, amber: 40 }, on_time: { target: 30, amber: 20 }, stability: { target: 50, amber: 40 } }
kpis:
";

/// Lines 7-14 once after [`MANIFEST`].
const ENTRY: &str = r#"  - id: orbit_by_0800
    name: "Orbit products delivered by 08:00"
    select: { kind: [product], tag: [orbit] }
    measure: done_by
    time: "08:00"
    target: 95
    amber: 90
    better: higher
"#;

/// A mission whose manifest's `kpis:` holds `entries`.
fn mission(entries: &str) -> Mission {
    Mission::with(&[
        ("opsplan.yaml", ""),
        ("p.plan", PLAN),
        ("as-flown.csv", AS_FLOWN),
        ("monthly.yaml", &format!("{MANIFEST}{entries}")),
    ])
}

fn kpi<'a>(json: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    json["kpis"]
        .as_array()
        .expect("kpis")
        .iter()
        .find(|k| k["id"] == id)
        .unwrap_or_else(|| panic!("no KPI {id}"))
}

fn reasons(json: &serde_json::Value) -> Vec<String> {
    json["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|r| r["text"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn a_red_custom_kpi_makes_the_month_red_and_the_reasons_name_it() {
    let m = mission(ENTRY);
    let json = m.json();
    let k = kpi(&json, "orbit_by_0800");
    // Done: P1, P2, P3; by 08:00 on their day: P1 (06:40) and P2 (08:00 exactly).
    assert_eq!(k["value"], "66.7 %");
    assert_eq!(k["value_number"], 66.666667);
    assert_eq!(k["status"], "red");
    assert_eq!(k["custom"], true);
    assert_eq!(k["unit"], "%");
    assert_eq!(k["higher_is_better"], true);
    assert_eq!(k["note"], serde_json::Value::Null);
    assert_eq!(json["status"], "red", "the built-in KPIs alone are green");
    assert_eq!(
        reasons(&json),
        ["KPI Orbit products delivered by 08:00 is red: 66.7 % against a target of ≥ 95.0 %"]
    );
    // The page: its row after the built-in ones, by id; the body shows the name only.
    let (code, html, err) = m.run(&["--format", "html"]);
    assert_eq!(code, 0, "{err}");
    let row = html.find("<tr id=\"kpi-orbit_by_0800\"").expect("its row");
    assert!(
        row > html
            .find("<tr id=\"kpi-availability\"")
            .expect("built-in row")
    );
    let body = &html[html.find("<main").unwrap()..html.find("id=\"technical-annex\"").unwrap()];
    assert_eq!(
        body.matches("orbit_by_0800").count(),
        1,
        "the id only in the row's element id"
    );
    assert!(body.contains("Orbit products delivered by 08:00"));
    // Amber when the value meets the amber limit.
    let amber = ENTRY
        .replace("target: 95", "target: 70")
        .replace("amber: 90", "amber: 66.6");
    let json = mission(&amber).json();
    assert_eq!(kpi(&json, "orbit_by_0800")["status"], "amber");
    assert_eq!(json["status"], "amber");
}

#[test]
fn each_measure_counts_the_selected_activities_of_the_month() {
    let entry = |id: &str, measure: &str, better: &str| {
        format!(
            "  - id: {id}\n    name: \"{id} words\"\n    select: {{ kind: [product] }}\n    measure: {measure}\n    target: 1\n    amber: {}\n    better: {better}\n",
            if better == "higher" { 0 } else { 2 }
        )
    };
    let m = mission(
        &[
            entry("done", "done_percent", "higher"),
            entry("started", "on_time_percent", "higher"),
            entry("planned", "planned_count", "lower"),
            entry("delivered", "done_count", "higher"),
        ]
        .concat(),
    );
    let json = m.json();
    let value = |id: &str| kpi(&json, id)["value_number"].as_f64().expect("a value");
    assert_eq!(value("done"), 75.0, "3 done of 4 planned");
    // Done or partial: P1, P2, P3; within 5 min of the planned start: P1.
    assert_eq!(value("started"), 33.333333);
    assert_eq!(value("planned"), 4.0);
    assert_eq!(kpi(&json, "planned")["unit"], "count");
    assert_eq!(kpi(&json, "planned")["value"], "4");
    assert_eq!(value("delivered"), 3.0);
    assert_eq!(
        kpi(&json, "done")["definition"],
        "activities of kind product done / activities of kind product planned in the month"
    );
    // The Markdown has the rows and the definitions, the manager's names escaped.
    let (code, md, err) = m.run(&["--format", "md"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        md.contains("| planned words | 4 | ≤ 1 | ≤ 2 | red |"),
        "{md}"
    );
    assert!(md.contains("- started words: activities of kind product done or partial that started within the tolerance"), "{md}");
}

#[test]
fn a_kpi_with_nothing_to_count_is_na_with_the_reason_never_a_percentage() {
    // The maintenance was cancelled: none done, so nothing is delivered by any time.
    let none_done = ENTRY
        .replace("kind: [product], tag: [orbit]", "kind: [maintenance]")
        .replace("orbit_by_0800", "maintenance_by_1200");
    // A tag no activity has: a warning at it, and an empty selection.
    let typo = ENTRY
        .replace("tag: [orbit]", "tag: [orbitt]")
        .replace("orbit_by_0800", "typo")
        .replace("Orbit products", "Typo products");
    let m = mission(&format!("{none_done}{typo}"));
    let (code, out, err) = m.run(&["--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("monthly.yaml:17:38: warning: kpis: typo: no activity of the plans has tag `orbitt` (did you mean `orbit`?): it selects nothing for the KPI `Typo products delivered by 08:00`"),
        "{err}"
    );
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let k = kpi(&json, "maintenance_by_1200");
    assert_eq!(
        (k["value"].as_str(), k["status"].as_str()),
        (Some("n/a"), Some("n/a"))
    );
    assert_eq!(k["value_number"], serde_json::Value::Null);
    assert_eq!(
        k["note"],
        "activities of kind maintenance planned in the month: 1; done: none"
    );
    let k = kpi(&json, "typo");
    assert_eq!(k["value"], "n/a");
    assert_eq!(
        k["note"],
        "no activities of kind product with tag orbitt were planned in the month"
    );
    assert_eq!(json["status"], "green", "an n/a KPI counts for nothing");
    let (code, html, _) = m.run(&["--format", "html"]);
    assert_eq!(code, 0);
    let row = &html[html.find("<tr id=\"kpi-typo\"").expect("row")..];
    let row = &row[..row.find("</tr>").expect("end")];
    assert!(
        row.contains(
            "n/a: no activities of kind product with tag orbitt were planned in the month"
        ),
        "{row}"
    );
    let (_, md, _) = m.run(&["--format", "md"]);
    assert!(
        md.contains(
            "Not available: activities of kind maintenance planned in the month: 1; done: none."
        ),
        "{md}"
    );
}

#[test]
fn history_rows_of_a_custom_kpi_give_its_trend_and_sparkline() {
    let m = mission(ENTRY);
    m.write(
        "history.csv",
        "month,kpi,value\n2025-01,orbit_by_0800,80\n2025-02,orbit_by_0800,70\n2025-02,completion,50\n",
    )
    .write(
        "monthly.yaml",
        &format!("kpi_history: history.csv\n{MANIFEST}{ENTRY}"),
    );
    let json = m.json();
    let k = kpi(&json, "orbit_by_0800");
    assert_eq!(k["previous_number"], 70.0);
    assert_eq!(k["delta_number"], -3.333333);
    assert_eq!(k["trend"], "worse");
    let (code, html, err) = m.run(&["--format", "html"]);
    assert_eq!(code, 0, "{err}");
    let row = &html[html.find("<tr id=\"kpi-orbit_by_0800\"").expect("row")..];
    let row = &row[..row.find("</tr>").expect("end")];
    assert_eq!(
        row.matches("<polyline").count(),
        1,
        "January to March: {row}"
    );
    assert!(row.contains("-3.3 pt (worse)"), "{row}");
    // An id that is neither built-in nor custom is still an error at its cell.
    m.write("history.csv", "month,kpi,value\n2025-02,orbit_by_0900,70\n");
    let err = m.refused();
    assert!(
        err.contains("history.csv:2:9: error: unknown KPI `orbit_by_0900`: the KPIs are `completion`, `on_time`, `stability`, `change_requests`, `open_critical`, `open_anomalies`, `coverage`, `decision_time`, `availability`, `oncall_response` or `orbit_by_0800`"),
        "{err}"
    );
}

/// Each entry's problem, alone, at its line and column (the entry is lines 7-14).
#[test]
fn every_check_of_an_entry_is_located() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "    better: higher\n",
            "    better: higher\n    colour: red\n",
            "monthly.yaml:15:5: error: kpis[0]: unknown field `colour`, expected one of `id`, `name`, `select`, `measure`, `time`, `target`, `amber`, `better`",
        ),
        (
            "    better: higher\n",
            "",
            "monthly.yaml:7:5: error: kpis[0]: missing field `better`",
        ),
        (
            "measure: done_by",
            "measure: done_parcent",
            "monthly.yaml:10:14: error: kpis: orbit_by_0800: unknown measure `done_parcent` (did you mean `done_percent`?): the measures are `done_percent`, `on_time_percent`, `done_by`, `planned_count` or `done_count`",
        ),
        (
            "    time: \"08:00\"\n",
            "",
            "monthly.yaml:10:14: error: kpis: orbit_by_0800: `done_by` needs `time:`, the time of day (UTC) the activities must be done by",
        ),
        (
            "time: \"08:00\"",
            "time: \"8h\"",
            "monthly.yaml:11:11: error: kpis: orbit_by_0800: time: `8h` is not a time of day: write HH:MM in UTC, from 00:00 to 23:59, such as 08:00",
        ),
        (
            "time: \"08:00\"",
            "time: \"24:00\"",
            "monthly.yaml:11:11: error: kpis: orbit_by_0800: time: `24:00` is not a time of day",
        ),
        (
            "measure: done_by",
            "measure: done_percent",
            "monthly.yaml:11:11: error: kpis: orbit_by_0800: `time` is for the measure `done_by` only; `done_percent` takes no time of day",
        ),
        (
            "id: orbit_by_0800",
            "id: completion",
            "monthly.yaml:7:9: error: kpis: `completion` is a built-in KPI: a custom KPI needs an id of its own",
        ),
        (
            "id: orbit_by_0800",
            "id: Orbit-0800",
            "monthly.yaml:7:9: error: kpis: id `Orbit-0800` is not a KPI id: write a lower-case letter then lower-case letters, digits or `_`",
        ),
        (
            "name: \"Orbit products delivered by 08:00\"",
            "name: \"activities completed\"",
            "monthly.yaml:8:11: error: kpis: orbit_by_0800: the name `activities completed` is already the name of the built-in KPI `completion`",
        ),
        (
            "name: \"Orbit products delivered by 08:00\"",
            "name: \" \"",
            "monthly.yaml:8:11: error: kpis: orbit_by_0800: the name is empty",
        ),
        (
            "select: { kind: [product], tag: [orbit] }",
            "select: {}",
            "monthly.yaml:9:13: error: kpis: orbit_by_0800: `select` picks no activity: give `kind:`, `tag:` or both",
        ),
        (
            "select: { kind: [product], tag: [orbit] }",
            "select: { kinds: [product] }",
            "monthly.yaml:9:15: error: kpis[0].select: unknown field `kinds`, expected `kind` or `tag`",
        ),
        (
            "amber: 90",
            "amber: 97",
            "monthly.yaml:13:12: error: kpis: orbit_by_0800: amber 97 is above the target 95: where higher is better, amber is the band just short of the target, so the amber limit is at or below the target",
        ),
        (
            "target: 95",
            "target: 120",
            "monthly.yaml:12:13: error: kpis: orbit_by_0800: target: `120` is not a percentage, from 0 to 100",
        ),
        (
            "better: higher",
            "better: up",
            "monthly.yaml:14:13: error: kpis: orbit_by_0800: better: `up` is not a direction: write higher or lower",
        ),
    ];
    for (from, to, expected) in cases {
        assert!(ENTRY.contains(from), "{from}");
        let err = mission(&ENTRY.replacen(from, to, 1)).refused();
        assert!(err.contains(expected), "expected `{expected}` in:\n{err}");
    }
    // Where lower is better, the amber limit is at or above the target.
    let lower = ENTRY
        .replace("measure: done_by", "measure: done_count")
        .replace("    time: \"08:00\"\n", "")
        .replace("target: 95", "target: 2")
        .replace("amber: 90", "amber: 1")
        .replace("better: higher", "better: lower");
    let err = mission(&lower).refused();
    assert!(
        err.contains("monthly.yaml:12:12: error: kpis: orbit_by_0800: amber 1 is below the target 2: where lower is better, amber is the band just short of the target, so the amber limit is at or above the target"),
        "{err}"
    );
}

#[test]
fn every_problem_of_the_kpis_is_reported_in_one_run() {
    // A second entry with the first one's id, a wrong direction and a bad time; and a
    // custom id under `targets:`.
    let second = ENTRY
        .replace("time: \"08:00\"", "time: \"7:5\"")
        .replace("better: higher", "better: more")
        .replace("Orbit products", "Other products");
    let m = mission(&format!("{ENTRY}{second}"));
    m.write(
        "monthly.yaml",
        &format!("{MANIFEST}{ENTRY}{second}").replace(
            "stability: { target: 50, amber: 40 } }",
            "stability: { target: 50, amber: 40 }, orbit_by_0800: { target: 1, amber: 0 } }",
        ),
    );
    let err = m.refused();
    for expected in [
        "monthly.yaml:5:125: error: targets: `orbit_by_0800` is a custom KPI: its target and amber limit are given in its entry under `kpis:`",
        "monthly.yaml:15:9: error: kpis: the id `orbit_by_0800` is given twice (first at line 7, column 9)",
        "monthly.yaml:19:11: error: kpis: orbit_by_0800: time: `7:5` is not a time of day",
        "monthly.yaml:22:13: error: kpis: orbit_by_0800: better: `more` is not a direction",
    ] {
        assert!(err.contains(expected), "expected `{expected}` in:\n{err}");
    }
}

#[test]
fn a_custom_kpis_name_and_selector_are_escaped_like_every_input_text() {
    let entry = ENTRY
        .replace(
            "name: \"Orbit products delivered by 08:00\"",
            "name: \"<script>alert(1)</script> *products* | by 08:00\"",
        )
        .replace("tag: [orbit]", "tag: [\"<b>night</b>\"]");
    let m = mission(&entry);
    let (code, html, err) = m.run(&["--format", "html"]);
    assert_eq!(code, 0, "{err}");
    assert!(!html.contains("<script>alert"), "raw script in HTML");
    assert!(!html.contains("<b>night"), "raw markup in HTML");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;"), "escaped name");
    assert!(
        html.contains("&lt;b&gt;night&lt;"),
        "escaped selector in the note"
    );
    let (code, md, _) = m.run(&["--format", "md"]);
    assert_eq!(code, 0);
    assert!(!md.contains("<script>"), "raw script in Markdown");
    assert!(
        md.contains("| &lt;script&gt;alert(1)&lt;/script&gt; \\*products\\* \\| by 08:00 | n/a |"),
        "{md}"
    );
}
