//! Windows evaluated by arithmetic (issue #14): no occurrence cap, so a dense periodic
//! window is judged correctly at the end of a long horizon, and outputs list only the
//! occurrences inside the horizon.

use opsplan::diag::Code;
use opsplan::workspace::check_texts;

fn codes(run: &opsplan::workspace::Run) -> Vec<(Code, String)> {
    run.diagnostics
        .iter()
        .map(|d| (d.code, d.message.clone()))
        .collect()
}

/// `every 1m lasting 50s` over two years: 1,051,200 occurrences, more than the million the
/// windows were once cut at. Late in the horizon the window is still there.
const DENSE: &str = r#"
plan LONG {
  horizon 2014/001 00:00 .. 2016/001 00:00
  roles   GC
  window  LINK every 1m lasting 50s from 2014/001 00:00
  activity EARLY { at 2014/002 10:00:05   lasts 40s   by GC   needs LINK   procedure MON }
  activity LATE  { at 2015/360 10:00:05   lasts 40s   by GC   needs LINK   procedure MON }
  activity OUT   { at 2015/360 11:00:30   lasts 40s   by GC   needs LINK }
  activity QUIET { at 2015/360 12:00:50   lasts 10s   by GC   kind quiet }
  activity NOISY { at 2015/360 12:00:40   lasts 30s   by GC   kind quiet }
}
procedure MON { roles GC   requires coverage LINK   step 1 { manual GC "Watch" } }
"#;

const RULES: &str = "rules:
  - id: Q1
    title: quiet between link passes
    kind: forbidden_window
    select: { kind: quiet }
    windows: [LINK]
";

#[test]
fn a_dense_window_is_judged_to_the_end_of_a_long_horizon() {
    let run = check_texts(&[("long.plan", DENSE), ("rules.yaml", RULES)]);
    let got = codes(&run);
    // No false P010 or T007 late in the horizon; OUT (00:30-01:10, the pass closes at
    // 00:50) is a T007; NOISY (12:00:40-12:01:10) shares 12:00:40-12:00:50 and
    // 12:01:00-12:01:10 with the link: the forbidden_window rule sees it; QUIET
    // (12:00:50-12:01:00) lies exactly between two passes.
    assert_eq!(
        got.iter().map(|(c, _)| *c).collect::<Vec<_>>(),
        [Code::NeedsNotMet, Code::FlightRuleViolated],
        "{got:#?}"
    );
    assert!(got[0].1.starts_with("OUT needs LINK"), "{got:#?}");
    assert!(
        got[1]
            .1
            .contains("`NOISY` runs into LINK from 2015/360 12:00:40 to 2015/360 12:00:50"),
        "{got:#?}"
    );
}

#[test]
fn until_before_from_is_an_impossible_window() {
    let run = check_texts(&[(
        "p.plan",
        "plan P {\n  horizon 2014/001 00:00 .. 2014/010 00:00\n  window W every 1h lasting 10m from 2014/005 00:00 until 2014/004 00:00\n}\n",
    )]);
    let got = codes(&run);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0].0, Code::NonPositiveDuration, "{got:#?}");
}

#[test]
fn the_export_lists_only_occurrences_inside_the_horizon() {
    let dir = tempfile::tempdir().unwrap();
    // A daily window 10:00-12:00: the occurrence of the day before the horizon lies
    // wholly before it; a wrapping one (21:30-06:00) is cut at the horizon's start.
    std::fs::write(
        dir.path().join("p.plan"),
        "plan P {\n  horizon 2014/273 00:00 .. 2014/275 00:00\n  roles GC\n  window DAY kind ground daily 10:00 .. 12:00\n  window NIGHT kind sleep daily 21:30 .. 06:00\n  activity A1 { at 2014/273 10:00   lasts 1h   by GC }\n}\n",
    )
    .unwrap();
    let out = dir.path().join("pkg");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_opsplan"))
        .args(["export", "--no-config"])
        .arg(dir.path().join("p.plan"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(0), "{status:?}");
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("plan.json")).unwrap()).unwrap();
    let windows = doc["windows"].as_array().unwrap();
    let occ = |name: &str| -> Vec<(String, String)> {
        windows.iter().find(|w| w["name"] == name).unwrap()["occurrences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                (
                    o["start"].as_str().unwrap().to_string(),
                    o["end"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let day = occ("DAY");
    assert_eq!(day.len(), 2, "{day:?}");
    assert!(day[0].0.starts_with("2014-09-30T10:00"), "{day:?}");
    let night = occ("NIGHT");
    assert_eq!(night.len(), 3, "{night:?}");
    assert!(night[0].0.starts_with("2014-09-30T00:00"), "{night:?}");
    assert!(night[0].1.starts_with("2014-09-30T06:00"), "{night:?}");
    assert!(night[2].1.starts_with("2014-10-02T00:00"), "{night:?}");
    let kinds: Vec<&str> = windows
        .iter()
        .map(|w| w["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["ground", "sleep"]);
}
