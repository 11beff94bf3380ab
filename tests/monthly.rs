//! `opsplan report monthly`: the example mission's October 2014 report in HTML, Markdown
//! and JSON; determinism; escaping; missing optional inputs; malformed inputs.

use assert_cmd::Command;
use std::path::Path;

const EXAMPLE: &str = "examples/atv5-2014-10";
/// 2014-11-03T08:00:00Z, the day the report is issued.
const EPOCH: &str = "1415001600";

fn opsplan() -> Command {
    let mut c = Command::cargo_bin("opsplan").expect("the binary is built");
    c.env("SOURCE_DATE_EPOCH", EPOCH);
    c
}

fn report(args: &[&str]) -> (i32, String, String) {
    let out = opsplan()
        .args(["report", "monthly", "--month", "2014-10"])
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn example(format: &str) -> String {
    let (code, out, err) = report(&[EXAMPLE, "--format", format]);
    assert_eq!(code, 0, "stderr: {err}");
    out
}

// ------------------------------------------------------------------ the example

#[test]
fn markdown_snapshot() {
    insta::assert_snapshot!("example_md", example("md"));
}

#[test]
fn json_snapshot() {
    let json: serde_json::Value = serde_json::from_str(&example("json")).expect("JSON");
    insta::assert_json_snapshot!("example_json", json);
}

#[test]
fn json_carries_numbers_beside_the_display_strings() {
    let j: serde_json::Value = serde_json::from_str(&example("json")).expect("JSON");
    assert_eq!(j["schema_version"], 2);
    // Each number agrees with the string shown beside it.
    let ops = &j["operations"];
    let completion = ops["completion_percent"].as_f64().expect("a number");
    assert_eq!(
        format!("{completion:.1} %"),
        ops["completion"].as_str().unwrap()
    );
    assert_eq!(ops["tolerance_s"], 300);
    for k in j["kpis"].as_array().unwrap() {
        let unit = k["unit"].as_str().unwrap();
        assert!(["%", "count", "h"].contains(&unit), "{k}");
        match k["value_number"].as_f64() {
            Some(v) if unit == "count" => assert_eq!(format!("{v}"), k["value"].as_str().unwrap()),
            Some(v) => assert!(k["value"].as_str().unwrap().starts_with(&format!("{v:.1}"))),
            None => assert_eq!(k["value"], "n/a"),
        }
        assert!(k["target_number"].is_number(), "{k}");
    }
    let systems = j["availability"]["systems"].as_array().unwrap();
    for s in systems {
        let a = s["availability_percent"].as_f64().unwrap();
        assert_eq!(format!("{a:.2} %"), s["availability"].as_str().unwrap());
        assert!(s["unplanned_s"].is_i64());
    }
    for o in j["availability"]["outages"].as_array().unwrap() {
        assert!(o["duration_s"].as_i64().unwrap() > 0, "{o}");
    }
    for e in j["collision"]["event_list"].as_array().unwrap() {
        let miss = e["min_miss_distance_m"].as_f64().unwrap();
        assert_eq!(format!("{miss:.0} m"), e["min_miss"].as_str().unwrap());
        assert!(
            e["max_probability"].is_number() || e["max_pc"] == "n/a",
            "{e}"
        );
    }
    assert_eq!(j["collision"]["box_radial_m"], 500.0);
    assert_eq!(j["collision"]["red_probability"], 1e-4);
    assert_eq!(j["requirements"]["coverage_percent"], 80.0);
    let late = j["operations"]["deviations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["outcome_key"] == "late")
        .expect("a late start in the example");
    assert!(late["delay_s"].as_i64().unwrap() > 300, "{late}");
}

#[test]
fn html_has_the_verdict_the_kpi_table_and_charts() {
    let html = example("html");
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..40]);
    assert!(html.contains("id=\"verdict\""));
    assert!(html.contains("<table id=\"kpis\""));
    assert!(html.contains("<svg"));
    assert!(html.contains("class=\"chart"));
    assert!(!html.contains("<script"), "no JavaScript");
    assert!(!html.contains("http://") || html.contains("xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(
        !html.contains("https://"),
        "nothing loaded from the network"
    );
    assert!(html.contains("@media print"));
    // The provenance closes the report.
    let prov = html.find("id=\"provenance\"").expect("provenance");
    assert!(prov > html.find("id=\"kpis\"").expect("kpis"));
}

#[test]
fn the_example_metrics_come_from_the_inputs() {
    let json: serde_json::Value = serde_json::from_str(&example("json")).expect("JSON");
    assert_eq!(json["month"], "2014-10");
    let ops = &json["operations"]["totals"];
    // Week 40 contributes GMT 274-278 (33 activities), weeks 41-44 the rest of October.
    assert_eq!(ops["planned"], 33 + 15 + 16 + 12 + 17);
    assert_eq!(ops["cancelled"], 5);
    assert_eq!(ops["moved"], 1);
    assert_eq!(ops["partial"], 1);
    assert_eq!(ops["not_reported"], 1);
    let c = &json["collision"];
    assert_eq!(c["cdms"], 9, "the September CDM is not counted");
    assert_eq!(c["events"], 5);
    assert_eq!(c["events_yellow"], 2);
    assert_eq!(c["events_red"], 1);
    assert_eq!(c["manoeuvres_planned"], 2);
    assert_eq!(c["manoeuvres_flown"], 1);
    assert_eq!(json["anomalies"]["open_at_end"], 4);
    assert_eq!(json["planning"]["change_requests"]["raised"], 9);
    assert_eq!(json["status"], "amber");
}

#[test]
fn two_runs_give_identical_bytes() {
    for format in ["html", "md", "json"] {
        assert_eq!(example(format), example(format), "{format}");
    }
}

#[test]
fn without_source_date_epoch_the_time_comes_from_the_inputs() {
    let run = || {
        Command::cargo_bin("opsplan")
            .expect("built")
            .env_remove("SOURCE_DATE_EPOCH")
            .args([
                "report", "monthly", "--month", "2014-10", EXAMPLE, "--format", "json",
            ])
            .output()
            .expect("runs")
    };
    let (a, b) = (run(), run());
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
    let json: serde_json::Value = serde_json::from_slice(&a.stdout).expect("JSON");
    assert_eq!(
        json["provenance"]["generated_from"],
        "inputs (newest modification time)"
    );
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("mor.html");
    let (code, out, err) = report(&[EXAMPLE, "-o", path.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty());
    let html = std::fs::read_to_string(&path).expect("written");
    assert!(html.contains("id=\"verdict\""));
}

#[test]
fn the_example_shows_availability_procedures_and_waivers() {
    let html = example("html");
    assert!(html.contains("<table id=\"availability\""));
    assert!(html.contains("<table id=\"waivers\""));
    assert!(html.contains("<tr id=\"kpi-availability\""));
    let json: serde_json::Value = serde_json::from_str(&example("json")).expect("JSON");
    let a = &json["availability"];
    assert_eq!(a["source"], "examples/atv5-2014-10/outages-2014-10.csv");
    assert_eq!(a["target"], "≥ 99.50 %");
    let systems = a["systems"].as_array().expect("systems");
    let names: Vec<&str> = systems
        .iter()
        .map(|s| s["system"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "ATV-CC control system",
            "Artemis link",
            "Kourou station",
            "SCOOP chain",
            "TDRS link"
        ]
    );
    // Artemis: five dropouts (23 min) and the 75 min overrun of the Redu maintenance,
    // whose 30 min overlap with the planned slot counts as unplanned only.
    let artemis = &systems[1];
    assert_eq!(artemis["unplanned_time"], "1 h 38 min");
    assert_eq!(artemis["planned_time"], "3 h 30 min");
    assert_eq!(artemis["availability"], "99.78 %");
    assert_eq!(artemis["availability_all"], "99.31 %");
    // Kourou: the September outage is clipped at 2014-10-01 00:00 (2 h of 6 h count).
    assert_eq!(systems[2]["unplanned_time"], "2 h 00 min");
    assert_eq!(systems[3]["availability"], "99.60 %");
    let kpi = json["kpis"]
        .as_array()
        .expect("kpis")
        .iter()
        .find(|k| k["id"] == "availability")
        .expect("the availability KPI")
        .clone();
    assert_eq!(kpi["value"], "99.60 %", "the lowest system");
    assert_eq!(kpi["status"], "green");
    let p = &json["procedures"];
    assert_eq!(p["violations"], 0);
    assert_eq!(p["waived_violations"], 1);
    assert_eq!(p["unused_waivers"], 0);
    let w = &p["waivers"][0];
    assert_eq!(w["plan"], "ATV5-W44");
    assert_eq!(w["rule"], "FR-06");
    assert_eq!(w["activities"], "A10");
    assert_eq!(w["reference"], "IMMT-300-02");
    assert_eq!(w["state"], "used");
    assert_eq!(w["covered"].as_array().map(Vec::len), Some(1));
    let dam = p["procedures"]
        .as_array()
        .expect("procedures")
        .iter()
        .find(|p| p["id"] == "ATV-FCP-DAM-030")
        .expect("the DAM procedure")
        .clone();
    assert_eq!(
        (
            dam["version"].as_str(),
            dam["planned"].as_u64(),
            dam["ran"].as_u64()
        ),
        (Some("1.6"), Some(2), Some(1))
    );
}

#[test]
fn the_example_lists_its_software_deliveries() {
    let (code, html, err) = report(&[EXAMPLE, "--format", "html"]);
    assert_eq!(code, 0, "{err}");
    let section = &html[html
        .find("<section id=\"deliveries-section\">")
        .expect("the section")..];
    let section = &section[..section.find("</section>").expect("its end")];
    assert!(section.contains("<h2>10. Software deliveries</h2>"));
    assert!(section.contains("3 software deliveries in October 2014, closing 2 anomalies."));
    assert!(section.contains("<table id=\"deliveries\">"));
    assert_eq!(
        section.matches("<tr>").count(),
        4,
        "a header and three rows"
    );
    assert!(section.contains(
        "<span class=\"nowrap\">AR-ATV5-0155</span>: CDM ingestion at ATV-CC stalled 3 h (SCOOP feed)"
    ));
    assert!(
        !section.contains("5.3.0"),
        "the September delivery is not listed"
    );
    assert!(html
        .contains("deliveries-2014.csv:2:13: note: 1 delivery of the log is outside October 2014"));
}

#[test]
fn a_red_system_makes_the_month_red() {
    // 8 h of unplanned outage in October is 98.92 % (red, below 99.0 %); 4 h is 99.46 %
    // (amber). The KPI takes the lowest system.
    let log = "System,Start,End,Kind\n\
               Artemis link,2014-10-10 00:00,2014-10-10 08:00,unplanned\n\
               TDRS link,2014-10-10 00:00,2014-10-10 04:00,unplanned\n";
    let (_dir, args) = with_inputs(&[("outages.csv", log.as_bytes())]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, json, err) = report(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(json["status"], "red");
    let systems = &json["availability"]["systems"];
    assert_eq!(systems[0]["availability"], "98.92 %");
    assert_eq!(systems[0]["status"], "red");
    assert_eq!(systems[1]["availability"], "99.46 %");
    assert_eq!(systems[1]["status"], "amber");
    assert!(json["reasons"][0]["text"]
        .as_str()
        .unwrap()
        .contains("KPI Availability (lowest system) is red: 98.92 %"));
}

// ------------------------------------------------------------------ flags, missing inputs

fn flags_without_optional() -> Vec<String> {
    vec![
        "--plans".into(),
        EXAMPLE.into(),
        "--as-flown".into(),
        format!("{EXAMPLE}/as-flown-2014-10.csv"),
    ]
}

#[test]
fn missing_optional_inputs_leave_their_sections_out_with_a_note() {
    let args = flags_without_optional();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, md, err) = report(&[&args[..], &["--format", "md"]].concat());
    assert_eq!(code, 0, "{err}");
    assert!(md.contains("No anomaly register was given"), "{md}");
    assert!(md.contains("No CDMs were given"));
    assert!(md.contains("No change-request register was given"));
    assert!(md.contains("No outage log was given"), "{md}");
    assert!(!md.contains("## 3. Availability"));
    assert!(
        md.contains("| Availability (lowest system) | n/a |"),
        "{md}"
    );
    assert!(!md.contains("## Collision risk"));
    assert!(!md.contains("## Anomalies"));
    let (code, json, _) = report(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert!(json["collision"].is_null());
    assert!(json["anomalies"].is_null());
    assert!(json["availability"].is_null());
    let (code, html, _) = report(&[&args[..], &["--format", "html"]].concat());
    assert_eq!(code, 0);
    assert!(html.contains("id=\"verdict\""));
    assert!(html.contains("No CDMs were given"));
    assert!(!html.contains("<table id=\"availability\""));
    // The procedures and flight rules come from the plans: always there.
    assert!(html.contains("<table id=\"waivers\""));
}

#[test]
fn without_plans_or_as_flown_log_nothing_is_written() {
    let (code, out, err) = report(&["--format", "md"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("no plans"), "{err}");
    assert!(err.contains("no as-flown log"), "{err}");
}

#[test]
fn a_bad_month_is_a_usage_error() {
    let out = opsplan()
        .args(["report", "monthly", "--month", "October", EXAMPLE])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`October` is not a month: write YYYY-MM"),
        "{err}"
    );
}

#[test]
fn the_manifest_month_must_agree() {
    let out = opsplan()
        .args([
            "report", "monthly", "--month", "2014-11", EXAMPLE, "--format", "md",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the manifest is for month `2014-10`"), "{err}");
}

// ------------------------------------------------------------------ escaping

/// Arguments reading the example's plans in place and the given files (written to a
/// temporary folder; the flag is chosen by the name's first word); the example's as-flown
/// log unless one is given.
fn with_inputs(files: &[(&str, &[u8])]) -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut args = vec!["--plans".to_string(), EXAMPLE.to_string()];
    for (name, bytes) in files {
        let p = dir.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, bytes).expect("write");
        let flag = match name.split(['.', '/']).next().unwrap_or("") {
            "asflown" => "--as-flown",
            "anomalies" => "--anomalies",
            "changes" => "--changes",
            "cdm" => "--cdm",
            "history" => "--kpi-history",
            "outages" => "--outages",
            other => panic!("unknown input {other}"),
        };
        args.push(flag.into());
        args.push(p.to_string_lossy().into_owned());
    }
    if !files.iter().any(|(n, _)| n.starts_with("asflown")) {
        args.push("--as-flown".into());
        args.push(format!("{EXAMPLE}/as-flown-2014-10.csv"));
    }
    (dir, args)
}

const SCRIPT: &str = "<script>alert(1)</script>";

#[test]
fn every_text_from_the_inputs_is_escaped() {
    let register = format!(
        "ID,Opened,Closed,Severity,Title,Linked activity\nAR-1,2014-10-02,,minor,{SCRIPT},A17\nAR-2 *bold* | pipe,2014-10-03,2014-10-04,major,[link](http://x) _u_,\n"
    );
    let outages = format!(
        "System,Start,End,Kind,Comment\nLink *x* | y,2014-10-02 10:00,2014-10-02 11:00,unplanned,{SCRIPT}\n"
    );
    let (_dir, args) = with_inputs(&[
        ("anomalies.csv", register.as_bytes()),
        ("outages.csv", outages.as_bytes()),
    ]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, html, err) = report(&[&args[..], &["--format", "html"]].concat());
    assert_eq!(code, 0, "{err}");
    assert!(!html.contains(SCRIPT), "raw script in HTML");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "escaped text in HTML"
    );
    let (code, md, _) = report(&[&args[..], &["--format", "md"]].concat());
    assert_eq!(code, 0);
    assert!(!md.contains(SCRIPT), "raw script in Markdown");
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{md}");
    assert!(md.contains("AR-2 \\*bold\\* \\| pipe"), "{md}");
    assert!(md.contains("| Link \\*x\\* \\| y | unplanned |"), "{md}");
    assert!(md.contains("\\[link\\](http://x) \\_u\\_"), "{md}");
}

// ------------------------------------------------------------------ dates

/// The report with a manifest holding `manifest` (its other inputs as flags) and the
/// given files, in `format`.
fn with_manifest(manifest: &str, files: &[(&str, &[u8])], format: &str) -> (i32, String, String) {
    let (dir, args) = with_inputs(files);
    std::fs::write(dir.path().join("monthly.yaml"), manifest).expect("write");
    let dir_arg = dir.path().to_string_lossy().into_owned();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    report(&[&args[..], &[dir_arg.as_str(), "--format", format]].concat())
}

const CRS_DATE_ONLY: &str = "CR,Raised,Status,Decided,Plan,Activities,Title\n\
    CR-1,2014-10-03,approved,2014-10-04,ATV5-W40,A45,Dates only\n\
    CR-2,2014-10-06 07:00,rejected,2014-10-06 07:30,ATV5-W41,A07,With times\n";

#[test]
fn dates_are_iso_by_default_and_day_of_year_on_request() {
    let files: &[(&str, &[u8])] = &[("changes.csv", CRS_DATE_ONLY.as_bytes())];
    let (code, iso, err) = with_manifest("on_time_tolerance: 5m\n", files, "md");
    assert_eq!(code, 0, "{err}");
    // Planned times, CR dates (a date alone stays a date), the CDM note's creation time
    // (written 14:02:11: minutes only).
    assert!(iso.contains("| 2014-10-27 17:42 |"), "{iso}");
    assert!(iso.contains("| 2014-10-03 | 2014-10-04 |"), "{iso}");
    assert!(
        iso.contains("| 2014-10-06 07:00 | 2014-10-06 07:30 |"),
        "{iso}"
    );
    assert!(!iso.contains("2014-10-03 00:00"), "{iso}");
    assert!(!iso.contains("2014/300 17:42"), "{iso}");
    let (code, doy, err) = with_manifest("dates: day-of-year\n", files, "md");
    assert_eq!(code, 0, "{err}");
    assert!(doy.contains("| 2014/300 17:42 |"), "{doy}");
    assert!(doy.contains("| 2014/276 | 2014/277 |"), "{doy}");
    assert!(doy.contains("| 2014/279 07:00 | 2014/279 07:30 |"), "{doy}");
    assert!(!doy.contains("2014-10-27 17:42"), "{doy}");
    // The HTML follows the same notation.
    let (code, html, err) = with_manifest("dates: day-of-year\n", files, "html");
    assert_eq!(code, 0, "{err}");
    assert!(html.contains("2014/300 17:42"));
    assert!(!html.contains("2014-10-27 17:42"));
}

#[test]
fn times_are_shown_to_the_minute_everywhere() {
    let (code, md, err) = report(&[EXAMPLE, "--format", "md"]);
    assert_eq!(code, 0, "{err}");
    // The CDM created outside the month was written 14:02:11.
    assert!(md.contains("(2014-09-28 14:02)"), "{md}");
    // No time with seconds outside the notes on the inputs (which quote the files) and
    // the provenance's generation time (an ISO 8601 timestamp, as in every report).
    let seconds = |l: &str| {
        let b = l.as_bytes();
        b.windows(8).any(|w| {
            w.iter().enumerate().all(|(i, c)| {
                if i == 2 || i == 5 {
                    *c == b':'
                } else {
                    c.is_ascii_digit()
                }
            })
        })
    };
    for l in md
        .lines()
        .filter(|l| !l.starts_with("- examples/") && !l.starts_with("Generated by"))
    {
        assert!(!seconds(l), "a time with seconds: {l}");
    }
}

#[test]
fn an_unknown_date_notation_is_located() {
    let (code, _, err) = with_manifest("dates: julian\n", &[], "md");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("monthly.yaml:1:"), "{err}");
    assert!(
        err.contains("julian") && err.contains("day-of-year"),
        "{err}"
    );
}

// ------------------------------------------------------------------ document control

#[test]
fn the_document_control_block_and_the_managers_summary_come_first() {
    let (code, html, err) = report(&[EXAMPLE, "--format", "html"]);
    assert_eq!(code, 0, "{err}");
    let at = |needle: &str| {
        html.find(needle)
            .unwrap_or_else(|| panic!("{needle} missing"))
    };
    // Classification in the header and at the foot; then the block, the manager's
    // summary, the status.
    assert!(at("id=\"classification-top\"") < at("<h1>"));
    assert!(at("id=\"document-control\"") < at("id=\"executive-summary\""));
    assert!(at("id=\"executive-summary\"") < at("id=\"verdict\""));
    assert!(at("id=\"provenance\"") < at("id=\"classification-bottom\""));
    assert_eq!(
        html.matches("ESA and CNES internal: not for public release")
            .count(),
        2
    );
    assert!(html.contains("<th>Issue</th><td>1.0</td><th>Date</th><td>2014-11-03</td>"));
    assert!(html.contains(
        "<tr><th>Prepared by</th><td>A. Delmas, ATV-CC operations manager</td><td>2014-11-03</td>"
    ));
    assert!(html.contains(
        "<tr><th>Approved by</th><td>M. Laurent, ATV-CC head of operations</td><td></td>"
    ));
    assert!(html.contains("Distribution: ESA ATV-5 mission management (ESTEC); "));
    // Two paragraphs, the blank line between them kept, the lines of each joined.
    let summary = &html[at("id=\"executive-summary\"")..at("id=\"summary\"")];
    assert_eq!(summary.matches("<p>").count(), 2, "{summary}");
    assert!(
        summary.contains("Cargo, water and reboost operations"),
        "{summary}"
    );
}

#[test]
fn without_document_keys_the_block_holds_the_reference_and_the_generation_date() {
    let (code, html, err) = with_manifest("summary: [\"<b>Bold</b> claim\"]\n", &[], "html");
    assert_eq!(code, 0, "{err}");
    assert!(!html.contains("class=\"classification\""));
    assert!(!html.contains("id=\"signatures\""));
    // SOURCE_DATE_EPOCH is 2014-11-03 08:00.
    assert!(html.contains("<th>Reference</th><td>MOR-2014-10</td><th>Issue</th><td></td><th>Date</th><td>2014-11-03</td>"));
    assert!(
        html.contains("&lt;b&gt;Bold&lt;&#x2F;b&gt; claim")
            || html.contains("&lt;b&gt;Bold&lt;/b&gt; claim")
    );
}

#[test]
fn bad_document_control_values_are_located() {
    let (code, _, err) = with_manifest("issue: A\nissue_date: 2014-13-40\n", &[], "md");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("monthly.yaml:2:"), "{err}");
    assert!(err.contains("`2014-13-40` is not a date"), "{err}");
    let (code, _, err) = with_manifest(
        "checked: { name: X, role: lead }\napproved: { name: Y, date: 03/11/2014 }\n",
        &[],
        "md",
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("monthly.yaml:1:") && err.contains("unknown field `role`"),
        "{err}"
    );
    assert!(
        err.contains("monthly.yaml:2:") && err.contains("`03/11/2014` is not a date"),
        "{err}"
    );
}

// ------------------------------------------------------------------ print

#[test]
fn the_printed_page_is_a4_with_the_reference_and_page_numbers_in_its_margins() {
    let (code, html, err) = report(&[EXAMPLE, "--format", "html"]);
    assert_eq!(code, 0, "{err}");
    let style = &html[html.find("<style>").unwrap()..html.find("</style>").unwrap()];
    assert!(style.contains("size: A4;"));
    assert!(style.contains(r#"@bottom-left { content: "MOR\2d 2014\2d 10\2c  issue 1\2e 0";"#));
    assert!(style.contains(r#"content: "Page " counter(page) " of " counter(pages);"#));
    assert!(style
        .contains(r#"@top-center { content: "ESA and CNES internal\3a  not for public release";"#));
    // Tables break between rows with their header repeated; headings keep their content.
    assert!(style.contains(".mor table { break-inside: auto; }"));
    assert!(style.contains(".mor thead { display: table-header-group; }"));
    assert!(style.contains(".mor h2, .mor h3 { break-after: avoid;"));
    assert!(html.contains("<table id=\"kpis\">\n<thead>"));
    // Whatever the manifest writes stays a CSS string.
    let (code, html, err) = with_manifest(
        "reference: 'R\"}</style><script>x()</script>'\nclassification: \"a\\\\b\"\n",
        &[],
        "html",
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(html.matches("</style>").count(), 1);
    assert!(!html.contains("<script>"));
    assert!(html.contains(
        r#"content: "R\22 \7d \3c \2f style\3e \3c script\3e x\28 \29 \3c \2f script\3e ";"#
    ));
    assert!(html.contains(r#"@top-center { content: "a\5c b";"#));
}

// ------------------------------------------------------------------ no tool jargon

/// What a customer should not read in the report's body: a backtick, a rule code
/// (`F004`: a capital and three digits as a word), a configuration key (`snake_case:`).
fn jargon(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let word = |i: usize| {
        b.get(i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
    };
    let around =
        |i: usize, j: usize| text[i.saturating_sub(40)..(j + 40).min(text.len())].to_string();
    let mut out = Vec::new();
    for (i, &c) in b.iter().enumerate() {
        if c == b'`' {
            out.push(format!("backtick: {}", around(i, i)));
        }
        if c.is_ascii_uppercase()
            && (i == 0 || !word(i - 1))
            && b.len() > i + 3
            && b[i + 1..i + 4].iter().all(u8::is_ascii_digit)
            && !word(i + 4)
        {
            out.push(format!("rule code: {}", around(i, i + 4)));
        }
        if c == b':' {
            let start = (0..i)
                .rev()
                .take_while(|&k| b[k].is_ascii_lowercase() || b[k] == b'_')
                .last()
                .unwrap_or(i);
            let key = &text[start..i];
            if (start == 0 || !word(start - 1))
                && key.contains('_')
                && !key.starts_with('_')
                && !key.ends_with('_')
            {
                out.push(format!("config key: {}", around(start, i)));
            }
        }
    }
    out
}

/// The HTML's text from `<main` to the technical annex, tags dropped.
fn html_body(html: &str) -> String {
    let start = html.find("<main").expect("main");
    let end = html.find("<section id=\"technical-annex\"").expect("annex");
    let mut text = String::new();
    let mut in_tag = false;
    for c in html[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&#x60;", "`").replace("&#96;", "`")
}

#[test]
fn the_body_of_the_report_has_no_tool_jargon() {
    let (code, html, err) = report(&[EXAMPLE, "--format", "html"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(jargon(&html_body(&html)), Vec::<String>::new());
    // The annex holds what was taken out: the rule codes, the input notes.
    let annex = &html[html.find("id=\"technical-annex\"").unwrap()..];
    assert!(annex.contains("<code>F004</code>"));
    assert!(annex.contains("id=\"input-notes\""));
    assert!(annex.contains("change-requests-2014.csv:11:34: note:"));
    let (code, md, _) = report(&[EXAMPLE, "--format", "md"]);
    assert_eq!(code, 0);
    let body = &md[..md.find("## Technical annex").expect("annex")];
    // The Markdown escapes input text (`\*`): only the report's own words are judged.
    assert_eq!(jargon(body), Vec::<String>::new());
    // Sections left out say so in words; the keys that add them are in the annex.
    let args = flags_without_optional();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, html, err) = report(&[&args[..], &["--format", "html"]].concat());
    assert_eq!(code, 0, "{err}");
    assert_eq!(jargon(&html_body(&html)), Vec::<String>::new());
    assert!(html.contains("No anomaly register was given: the anomalies section"));
    assert!(html.contains("The anomaly register: `anomalies:` in monthly.yaml or `--anomalies`."));
    // The check itself: each kind of jargon is caught.
    assert_eq!(jargon("a `key`").len(), 2);
    assert_eq!(jargon("covering 1 violation (F004)").len(), 1);
    assert_eq!(jargon("set previous_requirements: to").len(), 1);
    assert!(jargon("ATV5-W40 A10 CR-276-01 2014-10-03 13:42 Pc 3.2e-5").is_empty());
}

// ------------------------------------------------------------------ malformed inputs

fn assert_fails_located(files: &[(&str, &[u8])], expected: &[&str]) {
    let (dir, args) = with_inputs(files);
    let out_file = dir.path().join("out").join("mor.html");
    std::fs::create_dir_all(out_file.parent().expect("parent")).expect("mkdir");
    let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = out_file.to_string_lossy().into_owned();
    all.extend(["-o", &o]);
    let (code, out, err) = report(&all);
    assert_eq!(code, 2, "stderr: {err}");
    assert!(out.is_empty());
    assert!(!out_file.exists(), "nothing is written");
    let err = err.replace(&dir.path().to_string_lossy().replace('\\', "/"), "TMP");
    for e in expected {
        assert!(err.contains(e), "expected `{e}` in:\n{err}");
    }
}

#[test]
fn malformed_csv_cells_are_located_and_all_reported() {
    let log = "Plan,Activity ID,Actual start (UTC),Actual end (UTC),Status,Comment\n\
               ATV5-W41,A01,2014-10-06 06:30,2014-10-06 07:00,done,\n\
               ATV5-W41,A02,2014-10-06 09:00,2014-13-06 10:00,done,\n\
               ATV5-W41,A03,2014-10-06 14:00,2014-10-06 14:30,finished,\n\
               ATV5-W41,A04,,2014-10-07 09:00,partial,\n\
               ATV5-W41,A05,2014-10-07 11:00,2014-10-07 10:00,done,\n";
    assert_fails_located(
        &[("asflown.csv", log.as_bytes())],
        &[
            "TMP/asflown.csv:3:31: error: `2014-13-06 10:00` is not a time (`2014-13-06` is not a valid calendar date)",
            "TMP/asflown.csv:4:48: error: unknown status `finished`: the statuses are `done`, `partial`, `cancelled` or `moved`",
            "TMP/asflown.csv:5:14: error: the actual start is empty",
            "TMP/asflown.csv:6:31: error: the actual end 2014/280 10:00 is before the actual start 2014/280 11:00",
        ],
    );
}

#[test]
fn as_flown_rows_must_join_the_plans() {
    let log = "Plan,Activity ID,Actual start (UTC),Actual end (UTC),Status\n\
               ATV5-W41,A99,2014-10-06 06:30,2014-10-06 07:00,done\n\
               ,A01,2014-10-06 06:30,2014-10-06 07:00,done\n\
               ATV5-W41,A01,2014-10-06 06:30,2014-10-06 07:00,done\n\
               ATV5-W99,A01,2014-10-06 06:30,2014-10-06 07:00,done\n";
    assert_fails_located(
        &[("asflown.csv", log.as_bytes())],
        &[
            "TMP/asflown.csv:2:10: error: activity `A99` is not in plan `ATV5-W41`",
            "TMP/asflown.csv:3:2: error: activity `A01` is in several plans (ATV5-W40, ATV5-W41, ATV5-W42, ATV5-W43, ATV5-W44): give the plan in a `plan` column",
            "TMP/asflown.csv:5:10: error: plan `ATV5-W99` is not among the plans read",
        ],
    );
}

#[test]
fn malformed_outage_rows_are_located_and_nothing_is_written() {
    let log = "System,Start (UTC),End (UTC),Kind,Comment\n\
               Artemis link,2014-10-04 03:12,2014-10-04 03:17,unplanned,fine\n\
               TDRS link,2014-10-17 19:32,2014-10-17 19:20,unplanned,ends first\n\
               SCOOP chain,2014-10-08 13:00,2014-10-08 13:30,maybe,\n\
               ,2014-10-08 13:00,soon,planned,\n";
    assert_fails_located(
        &[("outages.csv", log.as_bytes())],
        &[
            "TMP/outages.csv:3:28: error: the outage ends 2014/290 19:20 before it starts (2014/290 19:32)",
            "TMP/outages.csv:4:47: error: unknown outage kind `maybe`: the kinds are `planned` or `unplanned`",
            "TMP/outages.csv:5:1: error: the system is empty",
            "TMP/outages.csv:5:19: error: end: `soon` is not a time",
        ],
    );
}

#[test]
fn a_missing_column_names_the_columns_found() {
    let register = "Ref;Opened;Severity;Title\nAR-1;2014-10-01;minor;x\n";
    assert_fails_located(
        &[("anomalies.csv", register.as_bytes())],
        &["TMP/anomalies.csv:1:1: error: the header row has no `closed` column (columns found: `Ref`, `Opened`, `Severity`, `Title`)"],
    );
}

#[test]
fn an_empty_register_is_an_error_not_a_panic() {
    assert_fails_located(
        &[("anomalies.csv", b"")],
        &["TMP/anomalies.csv: error: the file is empty"],
    );
}

#[test]
fn malformed_xlsx_cells_are_located_by_sheet_and_cell() {
    let bytes = anomaly_workbook(&[
        ("AR-1", Some((2014, 10, 2)), None, "minor", "Fine"),
        (
            "AR-2",
            Some((2014, 10, 5)),
            Some((2014, 10, 3)),
            "major",
            "Closed before opened",
        ),
        (
            "AR-3",
            Some((2014, 10, 6)),
            None,
            "catastrophic",
            "Unknown severity",
        ),
    ]);
    assert_fails_located(
        &[("anomalies.xlsx", &bytes)],
        &[
            "TMP/anomalies.xlsx: sheet 'Register' cell C3: error: closed 2014/276 00:00 before it was opened (2014/278 00:00)",
            "TMP/anomalies.xlsx: sheet 'Register' cell D4: error: unknown severity `catastrophic`: the severities are `critical`, `major` or `minor`",
        ],
    );
}

#[test]
fn a_file_that_is_not_a_workbook_is_an_error() {
    assert_fails_located(
        &[("anomalies.xlsx", b"not a zip")],
        &["TMP/anomalies.xlsx: error: unreadable workbook (xlsx)"],
    );
}

#[test]
fn malformed_cdms_are_located_by_line() {
    let good = std::fs::read_to_string(format!("{EXAMPLE}/cdm/2014-300-cdm-25544-34427-3.kvn"))
        .expect("example CDM");
    let nan = good.replace(
        "COLLISION_PROBABILITY              = 1.9E-04",
        "COLLISION_PROBABILITY              = NaN",
    );
    let bad_tca = good.replace(
        "TCA                                = 2014-10-27T21:58:40.913",
        "TCA                                = 2014-367T21:58:40.913",
    );
    let no_id = good.replace("MESSAGE_ID", "COMMENT MESSAGE_ID");
    assert_fails_located(
        &[
            ("cdm/a.kvn", nan.as_bytes()),
            ("cdm/b.kvn", bad_tca.as_bytes()),
            ("cdm/c.kvn", no_id.as_bytes()),
            ("cdm/d.kvn", b"CCSDS_CDM_VERS = 1.0\nthis is not kvn\n"),
        ],
        &[
            "TMP/cdm/a.kvn:22: error: `COLLISION_PROBABILITY` = `NaN` is not a finite number",
            "TMP/cdm/b.kvn:7: error: TCA: `2014-367T21:58:40.913` is not a time (day 367 does not exist in 2014",
            "TMP/cdm/c.kvn: error: no `MESSAGE_ID`",
            "TMP/cdm/d.kvn:2: error: expected `KEY = value`, found `this is not kvn`",
        ],
    );
}

#[test]
fn a_bad_manifest_is_located() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = dir.path().join("monthly.yaml");
    std::fs::write(&m, "plans: x\nas_flown: y\ncolour: blue\n").expect("write");
    let out = opsplan()
        .args(["report", "monthly", "--month", "2014-10"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("monthly.yaml:3:1: error: unknown field `colour`"),
        "{err}"
    );
}

// ------------------------------------------------------------------ workbooks

/// An anomaly register workbook: sheet "Register", dates as Excel dates.
#[allow(clippy::type_complexity)]
fn anomaly_workbook(
    rows: &[(
        &str,
        Option<(u16, u8, u8)>,
        Option<(u16, u8, u8)>,
        &str,
        &str,
    )],
) -> Vec<u8> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let when = ExcelDateTime::from_ymd(2014, 10, 31).expect("date");
    wb.set_properties(&DocProperties::new().set_creation_datetime(&when));
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name("Register").expect("name");
    for (c, h) in [
        "ID",
        "Opened",
        "Closed",
        "Severity",
        "Title",
        "Linked activity",
    ]
    .iter()
    .enumerate()
    {
        ws.write_with_format(0, c as u16, *h, &bold)
            .expect("header");
    }
    for (i, (id, opened, closed, sev, title)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write(r, 0, *id).expect("id");
        for (c, d) in [(1u16, opened), (2, closed)] {
            if let Some((y, m, d)) = d {
                let dt = ExcelDateTime::from_ymd(*y, *m, *d).expect("date");
                ws.write_datetime_with_format(r, c, &dt, &date)
                    .expect("date");
            }
        }
        ws.write(r, 3, *sev).expect("sev");
        ws.write(r, 4, *title).expect("title");
    }
    wb.save_to_buffer().expect("workbook")
}

/// The example's anomaly register is this listing, written by rust_xlsxwriter: the
/// committed workbook must be exactly what it gives (set `OPSPLAN_WRITE_EXAMPLES=1` to
/// rewrite the file after changing the listing).
#[test]
fn the_example_anomaly_register_is_generated_from_this_listing() {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    // id, opened, closed, severity, title, linked activity, system
    let rows: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
        (
            "AR-ATV5-0128",
            "2014-07-30T11:20",
            "2014-09-12T16:00",
            "minor",
            "LEOP: ground-station handover log gaps at Kourou",
            "",
            "Ground segment",
        ),
        (
            "AR-ATV5-0131",
            "2014-08-20T04:45",
            "",
            "major",
            "Artemis forward-link dropouts at Redu (intermittent, 2-6 min)",
            "",
            "Links",
        ),
        (
            "AR-ATV5-0147",
            "2014-09-16T09:10",
            "2014-10-02T14:30",
            "minor",
            "STP export drops the leading zeros of day-of-year dates",
            "",
            "Planning tools",
        ),
        (
            "AR-ATV5-0150",
            "2014-09-24T18:05",
            "",
            "minor",
            "FDS relay-visibility file delivered without its header line",
            "",
            "Flight dynamics",
        ),
        (
            "AR-ATV5-0155",
            "2014-10-03T02:40",
            "2014-10-14T10:00",
            "major",
            "CDM ingestion at ATV-CC stalled 3 h (SCOOP feed)",
            "A33",
            "Orbitography",
        ),
        (
            "AR-ATV5-0158",
            "2014-10-09T12:15",
            "2014-10-22T09:30",
            "minor",
            "Water transfer: 4 kg mismatch between ATV and ISS gauging",
            "A07",
            "Cargo",
        ),
        (
            "AR-ATV5-0161",
            "2014-10-16T14:40",
            "2014-10-18T17:00",
            "critical",
            "OCS thruster 3 at 116 degC during the reboost (limit 120 degC)",
            "A11",
            "Propulsion",
        ),
        (
            "AR-ATV5-0163",
            "2014-10-21T16:20",
            "2014-10-23T11:00",
            "minor",
            "Hatch close-out photos downlinked 12 min late",
            "A05",
            "Cargo",
        ),
        (
            "AR-ATV5-0166",
            "2014-10-19T18:10",
            "",
            "major",
            "Ground chain B not restored after the maintenance slot",
            "A16",
            "Ground segment",
        ),
        (
            "AR-ATV5-0169",
            "2014-10-28T09:00",
            "",
            "minor",
            "Post-PDAM orbit determination residuals above 50 m",
            "A09",
            "Flight dynamics",
        ),
    ];
    let mut wb = Workbook::new();
    let when = ExcelDateTime::from_ymd(2014, 10, 31).expect("date");
    wb.set_properties(
        &DocProperties::new()
            .set_title("ATV-5 anomaly register")
            .set_author("ATV-CC Operations Management")
            .set_creation_datetime(&when),
    );
    let stamp = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name("Register").expect("name");
    let headers = [
        "ID",
        "Opened",
        "Closed",
        "Severity",
        "Title",
        "Linked activity",
        "System",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_with_format(0, c as u16, *h, &bold)
            .expect("header");
    }
    for (i, (id, opened, closed, sev, title, act, system)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write(r, 0, *id).expect("id");
        for (c, d) in [(1u16, opened), (2, closed)] {
            if !d.is_empty() {
                let dt = ExcelDateTime::parse_from_str(d).expect("date");
                ws.write_datetime_with_format(r, c, &dt, &stamp)
                    .expect("date");
            }
        }
        ws.write(r, 3, *sev).expect("sev");
        ws.write(r, 4, *title).expect("title");
        if !act.is_empty() {
            ws.write(r, 5, *act).expect("act");
        }
        ws.write(r, 6, *system).expect("system");
    }
    ws.set_column_width(0, 14).expect("w");
    ws.set_column_width(1, 17).expect("w");
    ws.set_column_width(2, 17).expect("w");
    ws.set_column_width(4, 60).expect("w");
    ws.set_column_width(5, 15).expect("w");
    ws.set_column_width(6, 18).expect("w");
    ws.set_freeze_panes(1, 0).expect("freeze");
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(EXAMPLE)
        .join("anomalies-2014.xlsx");
    let bytes = wb.save_to_buffer().expect("workbook");
    if std::env::var_os("OPSPLAN_WRITE_EXAMPLES").is_some() {
        std::fs::write(&path, &bytes).expect("write");
    }
    let committed = std::fs::read(&path).expect("the example workbook exists");
    assert!(
        committed == bytes,
        "{} differs from the listing in tests/monthly.rs; rewrite it with OPSPLAN_WRITE_EXAMPLES=1",
        path.display()
    );
}
