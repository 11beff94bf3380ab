//! The consistency report's staffing lanes (issue #18 item 3): through the binary, the
//! Markdown staffing section of the example week and the JSON staffing view of the
//! defects example (its gaps); one SVG lane per position and per on-call duty on every
//! day page, the defects' gap drawn at its interval; a report without a roster holds
//! nothing of it; a large generated roster drawn binned, its overview bounded in size.

#[path = "../benches/generate/mod.rs"]
mod generate;

use assert_cmd::Command;

const MISSION: &str = "examples/atv5-week40";
const DEFECTS: &str = "examples/atv5-week40-defects";
/// 2014-10-01T00:00:00Z
const EPOCH: &str = "1412121600";

/// Runs `opsplan ARGS` and returns (exit code, stdout).
fn run<I, S>(args: I) -> (Option<i32>, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = Command::cargo_bin("opsplan")
        .expect("binary built")
        .env_remove("NO_COLOR")
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("UTF-8 stdout"),
    )
}

/// The day pages of an HTML consistency report: (page id, its SVG).
fn pages(html: &str) -> Vec<(String, String)> {
    html.split("<div class=\"timeline-page\" id=\"")
        .skip(1)
        .map(|p| {
            let id = p[..p.find('"').unwrap()].to_string();
            let svg = &p[p.find("<svg").unwrap()..p.find("</svg>").unwrap()];
            (id, svg.to_string())
        })
        .collect()
}

/// The lanes of a page's SVG: (kind, label, body).
fn lanes(svg: &str) -> Vec<(String, String, String)> {
    svg.split("<g class=\"staffing-lane ")
        .skip(1)
        .map(|l| {
            let kind = l[..l.find('"').unwrap()].to_string();
            let body = &l[..l.find("</g>").expect("a lane is closed")];
            let at = body.find("class=\"lane-label\"").unwrap();
            let label = &body[at..];
            let label = &label[label.find('>').unwrap() + 1..label.find("</text>").unwrap()];
            (kind, label.to_string(), body.to_string())
        })
        .collect()
}

#[test]
fn the_markdown_staffing_section_of_the_example_week() {
    let (code, md) = run(["report", "consistency", MISSION, "--format", "md"]);
    assert_eq!(code, Some(0));
    let from = md.find("## Staffing").expect("a staffing section");
    let to = md.find("## Findings by group").unwrap();
    insta::assert_snapshot!("week40_staffing_md", &md[from..to]);
}

#[test]
fn the_json_staffing_view_of_the_defects_names_the_gaps() {
    let (_, json) = run(["report", "consistency", DEFECTS, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rosters = v["staffing"].as_array().expect("a staffing array");
    assert_eq!(rosters.len(), 1);
    let r = &rosters[0];
    assert_eq!(r["gaps"], 2);
    let gaps: Vec<serde_json::Value> = r["positions"]
        .as_array()
        .unwrap()
        .iter()
        .chain(r["duties"].as_array().unwrap())
        .map(|p| serde_json::json!({"id": p["id"], "gaps": p["gaps"]}))
        .collect();
    insta::assert_json_snapshot!("defects_staffing_gaps", gaps);
    // Numbers are numbers.
    let pln = &r["positions"][1];
    assert_eq!(pln["id"], "PLN-DESK");
    assert!(pln["minimum"].is_u64() && pln["shifts"].is_u64());
    assert!(pln["holders"][0]["minutes"].is_i64());
    assert!(pln["gaps"][0]["minutes"].is_i64());
}

#[test]
fn one_svg_lane_per_position_and_duty_and_the_gap_at_its_interval() {
    let (_, html) = run(["report", "consistency", DEFECTS]);
    let pages = pages(&html);
    assert_eq!(pages.len(), 7, "one page a day");
    for (id, svg) in &pages {
        let kinds: Vec<(String, String)> = lanes(svg).into_iter().map(|(k, l, _)| (k, l)).collect();
        assert_eq!(
            kinds,
            [
                ("staffing".to_string(), "OM-DESK".to_string()),
                ("staffing".to_string(), "PLN-DESK".to_string()),
                ("oncall".to_string(), "OPS-ONCALL".to_string()),
            ],
            "{id}"
        );
    }
    // PLN-DESK has nobody 2014/272 14:15 .. 14:30: x = 120 + 960 * 14.25 / 24, 10 px wide.
    let (_, svg) = pages
        .iter()
        .find(|(id, _)| id.ends_with("2014-272"))
        .unwrap();
    let pln = lanes(svg)
        .into_iter()
        .find(|(_, l, _)| l == "PLN-DESK")
        .unwrap()
        .2;
    let gaps: Vec<&str> = pln.split("<rect class=\"gap\"").skip(1).collect();
    assert_eq!(gaps.len(), 1, "{pln}");
    assert!(gaps[0].starts_with(" x=\"690\" "), "{}", gaps[0]);
    assert!(gaps[0].contains(" width=\"10\" "), "{}", gaps[0]);
    assert!(
        gaps[0]
            .contains("<title>PLN-DESK: no holder 2014/272 14:15 .. 2014/272 14:30 (15m)</title>"),
        "{}",
        gaps[0]
    );
    // Holders are labelled by name, with their interval in the tooltip.
    assert!(pln.contains(
        "<title>FLEFEBVRE (Francois Lefebvre) on PLN-DESK: 2014/271 22:00 .. 2014/272 06:15</title>"
    ));
    assert!(pln.contains(">Francois Lefebvre</text>"));
    // The on-call gap of day 277 is on its own page, and nowhere else.
    let with_gap: Vec<&str> = pages
        .iter()
        .filter(|(_, svg)| {
            lanes(svg)
                .iter()
                .any(|(k, _, b)| k == "oncall" && b.contains("class=\"gap\""))
        })
        .map(|(id, _)| id.as_str())
        .collect();
    assert_eq!(with_gap, ["tl-ATV5-W40-2014-277"]);
    // The hatch is defined once, and styled.
    assert_eq!(html.matches("id=\"staffing-gap-hatch\"").count(), 1);
    assert!(html.contains("fill: url(#staffing-gap-hatch)"));
}

#[test]
fn a_report_without_a_roster_has_no_staffing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p.plan"),
        "plan P {\n  horizon 2014/272 00:00 .. 2014/273 00:00\n  roles OM\n  \
         activity A1 { at 2014/272 01:00 lasts 1h by OM }\n}\n",
    )
    .unwrap();
    let (code, html) = run([
        "report".as_ref(),
        "consistency".as_ref(),
        dir.path().as_os_str(),
    ]);
    assert_eq!(code, Some(0));
    assert!(html.contains("<svg class=\"timeline\""));
    for absent in ["staffing", "oncall", "class=\"gap\"", "shift on a position"] {
        assert!(!html.contains(absent), "{absent}");
    }
    let (_, md) = run([
        "report".as_ref(),
        "consistency".as_ref(),
        dir.path().as_os_str(),
        "--format".as_ref(),
        "md".as_ref(),
    ]);
    assert!(!md.contains("Staffing"));
    let (_, json) = run([
        "report".as_ref(),
        "consistency".as_ref(),
        dir.path().as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert!(!json.contains("\"staffing\""));
}

#[test]
fn a_large_generated_roster_is_drawn_binned_and_bounded() {
    // 100 days of 250 activities, 100 people: about 30,000 shifts.
    let g = generate::generate(generate::Spec::new(25_000, 40));
    let r = generate::roster::roster(&g.plan_id(), g.days, 100, g.spec.seed);
    assert!(r.shifts > 25_000, "{}", r.shifts);
    let dir = tempfile::tempdir().unwrap();
    g.write_to(dir.path()).unwrap();
    std::fs::write(
        dir.path().join(generate::Generated::PLAN_FILE),
        g.staffed_plan(),
    )
    .unwrap();
    std::fs::write(dir.path().join(generate::roster::ROSTER_FILE), &r.text).unwrap();
    let (code, html) = run([
        "report".as_ref(),
        "consistency".as_ref(),
        dir.path().as_os_str(),
    ]);
    assert_ne!(code, Some(2), "the report is written");
    let pages = pages(&html);
    let (id, overview) = &pages[0];
    assert!(id.ends_with("-overview"), "{id}");
    let lanes = lanes(overview);
    // Six desks, 25 consoles, the hotline.
    assert_eq!(lanes.iter().filter(|(k, _, _)| k == "staffing").count(), 31);
    assert_eq!(lanes.iter().filter(|(k, _, _)| k == "oncall").count(), 1);
    for (_, label, body) in &lanes {
        let rects = body.matches("<rect").count();
        assert!(rects <= 2 * 240, "{label}: {rects} elements");
        assert!(
            !body.contains("class=\"shift"),
            "{label}: binned, not shift by shift"
        );
        assert!(body.contains("class=\"held "), "{label}: coverage drawn");
    }
    // The whole report stays far below one element per shift.
    let staffing_rects: usize = lanes
        .iter()
        .map(|(_, _, b)| b.matches("<rect").count())
        .sum();
    assert!(staffing_rects < r.shifts / 2, "{staffing_rects}");
    assert!(html.len() < 8 << 20, "{} bytes", html.len());
}

#[test]
fn a_day_with_only_a_staffing_gap_gets_its_detail_page_on_a_long_plan() {
    // Twenty days (an overview and detail pages): the only error is a W002 gap of the
    // console on GMT 2014/285, 02:00-03:00, in the roster, not in an activity.
    let dir = tempfile::tempdir().unwrap();
    let mut plan = String::from(
        "plan P {\n  horizon 2014/275 00:00 .. 2014/295 00:00\n  roles OM\n  \
         use roster \"p.roster\"\n",
    );
    for d in 275..295 {
        plan.push_str(&format!(
            "  activity A{d} {{ at 2014/{d} 10:00 lasts 1h by OM }}\n"
        ));
    }
    plan.push_str("}\n");
    std::fs::write(dir.path().join("p.plan"), plan).unwrap();
    // Three engineers in 8-hour shifts with 15 minutes of handover, but for the
    // hour the console is left empty on GMT 285.
    let mut roster = String::from(
        "roster R {\n  plan P\n  position DESK { fills OM  continuous }\n  \
         person ONE { qualified DESK }\n  person TWO { qualified DESK }\n  \
         person THREE { qualified DESK }\n  \
         rules { weekly rest 15h  max week 60h  max nights 99 }\n",
    );
    let people = ["ONE", "TWO", "THREE"];
    for k in 0..60 {
        let (day, hour) = (275 + k / 3, (k % 3) * 8);
        let (end_day, end_hour) = (275 + (k + 1) / 3, ((k + 1) % 3) * 8);
        let start = if (day, hour) == (285, 8) { "09:00" } else { "" };
        let start = if start.is_empty() {
            format!("{hour:02}:00")
        } else {
            start.to_string()
        };
        let end = if k == 59 { "00:00" } else { "00:15" };
        let end = if k == 59 {
            end.to_string()
        } else {
            format!("{end_hour:02}:15")
        };
        roster.push_str(&format!(
            "  shift {} DESK 2014/{day} {start} .. 2014/{end_day} {end}\n",
            people[k % 3]
        ));
    }
    roster.push_str("}\n");
    std::fs::write(dir.path().join("p.roster"), roster).unwrap();
    let (code, html) = run([
        "report".as_ref(),
        "consistency".as_ref(),
        dir.path().as_os_str(),
    ]);
    assert_eq!(code, Some(1), "the gap is an error");
    assert!(html.contains("W002"));
    let ids: Vec<String> = pages(&html).into_iter().map(|(id, _)| id).collect();
    assert!(ids[0].ends_with("-overview"), "{ids:?}");
    assert_eq!(ids.len(), 2, "the overview and the gap's day: {ids:?}");
    assert!(
        html.contains("the one day holding errors is drawn in full"),
        "the note counts the gap's day"
    );
}
