//! The example mission's requirements module in the forms DOORS Classic exports it
//! (`requirements/`): the spreadsheet CSV, the ReqIF and the Excel workbook read to the same
//! objects, and baseline 1.0 differs from the current module exactly as its README says.

use opsplan::reqs::ReqObject;
use opsplan::workspace::requirements::{load_requirements, ImportOptions};
use std::collections::BTreeMap;
use std::path::PathBuf;

const CURRENT: [&str; 3] = [
    "requirements/atv-ops-requirements.csv",
    "requirements/atv-ops-requirements.reqif",
    "requirements/atv-ops-requirements.xlsx",
];
const BASELINE: &str = "requirements/baseline/atv-ops-requirements-baseline-1.reqif";

/// The DOORS Object Identifiers (prefix + absolute number) of the seven headings.
const HEADING_IDS: [&str; 7] = [
    "ATV-OPS-REQ-1",
    "ATV-OPS-REQ-7",
    "ATV-OPS-REQ-13",
    "ATV-OPS-REQ-17",
    "ATV-OPS-REQ-21",
    "ATV-OPS-REQ-27",
    "ATV-OPS-REQ-33",
];

/// The objects of one export, read with the cited id taken from `Req ID`.
fn load(relative: &str) -> Vec<ReqObject> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative);
    let options = ImportOptions {
        id_attribute: Some("Req ID".into()),
        ..Default::default()
    };
    let run = load_requirements(std::slice::from_ref(&path), &options)
        .unwrap_or_else(|e| panic!("{relative}: {e}"));
    assert!(
        run.diagnostics.is_empty(),
        "{relative}: unexpected diagnostics: {:#?}",
        run.diagnostics
    );
    assert_eq!(run.exports.len(), 1, "{relative}");
    run.exports.into_iter().next().unwrap().1.objects
}

/// An attribute as one line of text (formats type values differently: an enumeration in
/// ReqIF, text in a spreadsheet).
fn attr(o: &ReqObject, name: &str) -> Option<String> {
    o.attributes.get(name).map(|v| v.display())
}

/// What must be the same in every form of the module.
type Shape = (
    String,
    bool,
    Option<String>,
    String,
    Option<u32>,
    Vec<String>,
    String,
    Option<String>,
    Option<String>,
);

fn shape(o: &ReqObject) -> Shape {
    (
        o.id.clone(),
        o.is_heading,
        o.heading.clone(),
        o.text.clone(),
        o.level,
        o.path.labels().into_iter().map(str::to_string).collect(),
        o.fingerprint.clone(),
        attr(o, "Verification Method"),
        attr(o, "Source"),
    )
}

fn by_id(objects: &[ReqObject]) -> BTreeMap<&str, &ReqObject> {
    objects.iter().map(|o| (o.id.as_str(), o)).collect()
}

#[test]
fn every_form_holds_the_whole_module() {
    for form in CURRENT {
        let objects = load(form);
        assert_eq!(objects.len(), 37, "{form}");
        assert_eq!(objects.iter().filter(|o| o.is_heading).count(), 7, "{form}");
        assert_eq!(
            objects.iter().filter(|o| !o.is_heading).count(),
            30,
            "{form}"
        );
        let mut cited: Vec<&str> = objects
            .iter()
            .filter(|o| !o.is_heading)
            .map(|o| o.id.as_str())
            .collect();
        cited.sort_unstable();
        let expected: Vec<String> = (1..=30).map(|n| format!("ATV-OPS-REQ-{n:03}")).collect();
        assert_eq!(cited, expected, "{form}");
    }
}

#[test]
fn the_three_forms_read_the_same() {
    let csv: Vec<Shape> = load(CURRENT[0]).iter().map(shape).collect();
    for form in &CURRENT[1..] {
        let other: Vec<Shape> = load(form).iter().map(shape).collect();
        assert_eq!(other.len(), csv.len(), "{form}");
        for (a, b) in csv.iter().zip(&other) {
            assert_eq!(a, b, "{} vs {form}", CURRENT[0]);
        }
    }
}

#[test]
fn spot_checks() {
    for form in CURRENT {
        let objects = load(form);
        let ids = by_id(&objects);
        let r006 = ids["ATV-OPS-REQ-006"];
        assert_eq!(
            r006.text, "Propellant transfer shall have ART and TDRS coverage.",
            "{form}"
        );
        assert_eq!(
            attr(r006, "Verification Method").as_deref(),
            Some("Analysis")
        );
        assert_eq!(attr(r006, "Source").as_deref(), Some("34"), "{form}");
        let r010 = ids["ATV-OPS-REQ-010"];
        assert_eq!(attr(r010, "Source").as_deref(), Some("6, 8"), "{form}");
        let r011 = ids["ATV-OPS-REQ-011"];
        assert_eq!(r011.path.labels(), ["Reboost and thrusters"], "{form}");
        assert_eq!(r011.level, Some(2), "{form}");
        assert_eq!(r011.text, "OCS burns shall be ≥3 h apart.", "{form}");
        assert_eq!(
            ids["ATV-OPS-REQ-017"].text, "Screening shall use ±25 × ±25 × ±0.5 km.",
            "{form}"
        );
        // Headings have no Req ID: they keep the DOORS Object Identifier.
        let headings: Vec<&str> = objects
            .iter()
            .filter(|o| o.is_heading)
            .map(|o| o.id.as_str())
            .collect();
        assert_eq!(headings, HEADING_IDS, "{form}");
        let first = ids["ATV-OPS-REQ-1"];
        assert_eq!(
            first.heading.as_deref(),
            Some("Planning and plan checking"),
            "{form}"
        );
        assert_eq!(first.level, Some(1), "{form}");
        assert!(first.path.is_empty(), "{form}");
        assert!(first.text.is_empty(), "{form}");
    }
}

#[test]
fn baseline_1_differs_as_documented() {
    let base = load(BASELINE);
    assert_eq!(base.len(), 37);
    assert_eq!(base.iter().filter(|o| o.is_heading).count(), 7);
    let current = load(CURRENT[1]);
    let (b, c) = (by_id(&base), by_id(&current));

    let only_base: Vec<&str> = b.keys().filter(|k| !c.contains_key(*k)).copied().collect();
    let only_current: Vec<&str> = c.keys().filter(|k| !b.contains_key(*k)).copied().collect();
    assert_eq!(only_base, ["ATV-OPS-REQ-031"]);
    assert_eq!(only_current, ["ATV-OPS-REQ-024"]);
    let deleted = b["ATV-OPS-REQ-031"];
    assert_eq!(
        deleted.text,
        "The flight plan shall be transmitted to the teams by e-mail."
    );
    assert_eq!(deleted.path.labels(), ["Operations discipline"]);
    assert_eq!(
        attr(deleted, "Verification Method").as_deref(),
        Some("Review")
    );

    let mut text_changed = Vec::new();
    let mut method_changed = Vec::new();
    for (id, old) in &b {
        let Some(new) = c.get(id) else { continue };
        assert_eq!(
            (old.is_heading, &old.heading, old.level, &old.path),
            (new.is_heading, &new.heading, new.level, &new.path),
            "{id}"
        );
        assert_eq!(attr(old, "Source"), attr(new, "Source"), "{id}");
        if old.text != new.text {
            assert_ne!(old.fingerprint, new.fingerprint, "{id}");
            text_changed.push((*id, old.text.as_str()));
        } else {
            assert_eq!(old.fingerprint, new.fingerprint, "{id}");
        }
        let (om, nm) = (
            attr(old, "Verification Method"),
            attr(new, "Verification Method"),
        );
        if om != nm {
            method_changed.push((*id, om, nm));
        }
    }
    assert_eq!(
        text_changed,
        [
            (
                "ATV-OPS-REQ-007",
                "Propellant transfer shall start inside a ground station pass."
            ),
            ("ATV-OPS-REQ-011", "OCS burns shall be ≥2 h apart."),
            (
                "ATV-OPS-REQ-019",
                "Every DAM shall be followed by a conjunction re-assessment."
            ),
        ]
    );
    assert_eq!(
        method_changed,
        [(
            "ATV-OPS-REQ-022",
            Some("Review".to_string()),
            Some("Analysis".to_string())
        )]
    );
}
