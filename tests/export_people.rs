//! `opsplan export` with a roster (issue #18, item 3): one iCalendar per person
//! (`people/<id>.ics`, read back by the independent `icalendar` parser), listed in the
//! MANIFEST and SHA256SUMS, the people in `plan.json` (additive, in the published schema),
//! identical bytes across runs, and person ids that cannot be file names refused.

use assert_cmd::Command;
use icalendar::{CalendarComponent, Component};
use serde_json::Value;
use sha2::Digest;
use std::collections::BTreeMap;
use std::path::Path;

const MISSION: &str = "examples/atv5-week40";
/// 2014-10-01T00:00:00Z
const EPOCH: &str = "1412121600";

fn export(input: &Path, out: &Path, extra: &[&str]) -> (Option<i32>, String, String) {
    let o = Command::cargo_bin("opsplan")
        .unwrap()
        .env_remove("NO_COLOR")
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .arg("export")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

/// Every file under `dir`: relative path with `/` → bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn text(pkg: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(pkg[name].clone()).unwrap()
}

fn sha256(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A calendar's events by UID, parsed by the `icalendar` crate.
fn events(ics: &str) -> BTreeMap<String, icalendar::Event> {
    let cal: icalendar::Calendar = ics.parse().expect("a valid iCalendar");
    cal.components
        .into_iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some((e.get_uid().expect("UID").to_string(), e)),
            _ => None,
        })
        .collect()
}

fn utc(iso: &str) -> Option<icalendar::DatePerhapsTime> {
    Some(icalendar::DatePerhapsTime::DateTime(
        icalendar::CalendarDateTime::Utc(iso.parse().unwrap()),
    ))
}

fn compact(iso: &str) -> String {
    iso.chars().filter(|c| *c != '-' && *c != ':').collect()
}

#[test]
fn every_person_gets_a_calendar_of_their_shifts_turns_and_activities() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("pkg");
    let (code, stdout, err) = export(Path::new(MISSION), &out, &[]);
    assert_eq!(code, Some(0), "{err}");
    assert!(stdout.contains("  people/ADUBOIS.ics\n"), "{stdout}");
    let pkg = files(&out);
    let doc: Value = serde_json::from_slice(&pkg["plan.json"]).unwrap();
    let people = doc["people"].as_array().expect("people in plan.json");
    assert_eq!(people.len(), 11, "the eleven engineers of the week");

    let manifest = text(&pkg, "MANIFEST");
    let sums = text(&pkg, "SHA256SUMS");
    let mut total_events = 0;
    for p in people {
        let id = p["id"].as_str().unwrap();
        let path = format!("people/{id}.ics");
        assert_eq!(p["calendar"], path.as_str());
        let ics = text(&pkg, &path);
        // Listed, with the right checksum.
        assert!(manifest.contains(&path), "{path} not in MANIFEST");
        assert!(
            sums.contains(&format!("{}  {path}\n", sha256(&pkg[&path]))),
            "{path}: SHA256SUMS"
        );
        // RFC 5545 lines.
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'), "bare LF in {path}");
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{path}: {} octets: {line}", line.len());
        }
        // One event per shift, turn and activity, with the UIDs the docs give.
        let evs = events(&ics);
        let mut want: Vec<String> = Vec::new();
        for s in p["shifts"].as_array().unwrap() {
            want.push(format!(
                "shift.{id}.{}.{}.ATV5-W40@opsplan",
                s["position"].as_str().unwrap(),
                compact(s["start"].as_str().unwrap())
            ));
        }
        for o in p["on_call"].as_array().unwrap() {
            want.push(format!(
                "oncall.{id}.{}.{}.ATV5-W40@opsplan",
                o["duty"].as_str().unwrap(),
                compact(o["start"].as_str().unwrap())
            ));
        }
        for a in p["activities"].as_array().unwrap() {
            want.push(format!(
                "{}.ATV5-W40.{id}@opsplan",
                a["id"].as_str().unwrap()
            ));
        }
        want.sort();
        assert_eq!(evs.keys().cloned().collect::<Vec<_>>(), want, "{path}");
        // Each shift event at the shift's time.
        for s in p["shifts"].as_array().unwrap() {
            let uid = format!(
                "shift.{id}.{}.{}.ATV5-W40@opsplan",
                s["position"].as_str().unwrap(),
                compact(s["start"].as_str().unwrap())
            );
            let e = &evs[&uid];
            assert_eq!(e.get_start(), utc(s["start"].as_str().unwrap()));
            assert_eq!(e.get_end(), utc(s["end"].as_str().unwrap()));
        }
        total_events += evs.len();
    }
    // 52 shifts, 7 turns and the OM/PLN activities during the shifts.
    assert!(total_events > 59, "{total_events}");

    // Anne Dubois: her shifts, her turns on call, the report she is assigned.
    let anne = events(&text(&pkg, "people/ADUBOIS.ics"));
    let shift = &anne["shift.ADUBOIS.OM-DESK.20141002T140000Z.ATV5-W40@opsplan"];
    assert_eq!(shift.get_summary(), Some("Shift OM-DESK"));
    assert!(shift
        .get_description()
        .unwrap()
        .contains("Position: OM-DESK \"Operations Manager console\""));
    assert_eq!(shift.property_value("SEQUENCE"), Some("3"));
    assert_eq!(shift.property_value("DTSTAMP"), Some("20141001T000000Z"));
    let turn = &anne["oncall.ADUBOIS.OPS-ONCALL.20141002T000000Z.ATV5-W40@opsplan"];
    assert_eq!(turn.get_summary(), Some("On call OPS-ONCALL"));
    assert!(turn
        .get_description()
        .unwrap()
        .contains("Response: within 30m"));
    assert_eq!(turn.property_value("TRANSP"), Some("TRANSPARENT"));
    let report = &anne["A32.ATV5-W40.ADUBOIS@opsplan"];
    assert_eq!(report.get_summary(), Some("A32 Reboost report to MCC-H"));
    assert!(report
        .get_description()
        .unwrap()
        .contains("On it: assigned"));
    // Isabelle Bertrand is on PLN-DESK when A21 runs (2014/274 15:00), and so is the
    // trainee beside her.
    for id in ["IBERTRAND", "KVINCENT"] {
        let who = &people.iter().find(|p| p["id"] == id).unwrap();
        assert!(
            who["activities"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["id"] == "A21" && a["on"] == "PLN-DESK"),
            "{who}"
        );
    }
    insta::with_settings!({filters => vec![(r"opsplan \d+\.\d+\.\d+//", "opsplan [version]//")]}, {
        insta::assert_snapshot!("adubois_ics", text(&pkg, "people/ADUBOIS.ics").replace("\r\n", "⏎\n"));
    });
}

#[test]
fn two_exports_give_the_same_people_files() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert_eq!(export(Path::new(MISSION), &a, &[]).0, Some(0));
    assert_eq!(export(Path::new(MISSION), &b, &[]).0, Some(0));
    let (fa, fb) = (files(&a), files(&b));
    let people: Vec<&String> = fa.keys().filter(|k| k.starts_with("people/")).collect();
    assert_eq!(people.len(), 11);
    for name in people {
        assert!(fa[name] == fb[name], "{name} differs between runs");
    }
    assert!(fa["plan.json"] == fb["plan.json"]);
}

const PLAN: &str = r#"plan P1 "People" {
  horizon 2014/272 00:00 .. 2014/273 00:00
  roles   OM
  use roster "team.roster"
  activity A1 "Tag-up" { at 2014/272 09:00 lasts 30m by OM }
}
"#;

fn roster(people: &[&str]) -> String {
    let mut s = String::from("roster TEAM {\n  plan P1\n  position OM-DESK { fills OM }\n");
    for p in people {
        s.push_str(&format!("  person {p} {{ qualified OM-DESK }}\n"));
    }
    s.push_str(&format!(
        "  shift {} OM-DESK 2014/272 08:00 .. 2014/272 16:00\n}}\n",
        people[0]
    ));
    s
}

fn mission(dir: &Path, roster_text: Option<&str>) -> std::path::PathBuf {
    let m = dir.join("m");
    std::fs::create_dir(&m).unwrap();
    match roster_text {
        Some(r) => {
            std::fs::write(m.join("p1.plan"), PLAN).unwrap();
            std::fs::write(m.join("team.roster"), r).unwrap();
        }
        None => std::fs::write(
            m.join("p1.plan"),
            PLAN.replace("  use roster \"team.roster\"\n", ""),
        )
        .unwrap(),
    }
    m
}

#[test]
fn a_small_roster_exports_its_person_with_the_activity_of_the_shift() {
    let tmp = tempfile::tempdir().unwrap();
    let m = mission(tmp.path(), Some(&roster(&["JDUPONT", "MMARTIN"])));
    let out = tmp.path().join("pkg");
    let (code, _, err) = export(&m, &out, &[]);
    assert_eq!(code, Some(0), "{err}");
    let pkg = files(&out);
    let evs = events(&text(&pkg, "people/JDUPONT.ics"));
    assert!(evs.contains_key("A1.P1.JDUPONT@opsplan"), "{evs:?}");
    // Marc Martin has nothing: no file, `calendar` null.
    assert!(!pkg.contains_key("people/MMARTIN.ics"));
    let doc: Value = serde_json::from_slice(&pkg["plan.json"]).unwrap();
    assert_eq!(doc["people"][1]["id"], "MMARTIN");
    assert!(doc["people"][1]["calendar"].is_null());
}

#[test]
fn without_a_roster_there_are_no_people() {
    let tmp = tempfile::tempdir().unwrap();
    let m = mission(tmp.path(), None);
    let out = tmp.path().join("pkg");
    let (code, _, err) = export(&m, &out, &[]);
    assert_eq!(code, Some(0), "{err}");
    let pkg = files(&out);
    assert!(pkg.keys().all(|k| !k.starts_with("people/")));
    assert!(!text(&pkg, "plan.json").contains("\"people\""));
}

#[test]
fn ids_that_cannot_be_file_names_are_refused_at_the_person() {
    // Equal but for case: one file on a case-insensitive file system.
    let tmp = tempfile::tempdir().unwrap();
    let m = mission(tmp.path(), Some(&roster(&["JDUPONT", "jdupont"])));
    let out = tmp.path().join("pkg");
    let (code, stdout, err) = export(&m, &out, &["--force"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(stdout.is_empty());
    assert!(
        err.contains(
            "team.roster:5:10: person `jdupont` and person `JDUPONT` would share one file"
        ),
        "{err}"
    );
    assert!(err.contains("nothing exported"), "{err}");
    assert!(!out.exists());

    // A name Windows keeps for a device.
    let tmp = tempfile::tempdir().unwrap();
    let m = mission(tmp.path(), Some(&roster(&["NUL"])));
    let out = tmp.path().join("pkg");
    let (code, _, err) = export(&m, &out, &["--force"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("team.roster:4:10: person `NUL` cannot name a file of the package"),
        "{err}"
    );
    assert!(err.contains("Windows reserves it"), "{err}");
    assert!(!out.exists());
}
