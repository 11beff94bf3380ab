//! CCSDS Conjunction Data Messages (508.0-B-1), KVN form: `KEY = value [unit]` lines,
//! `COMMENT` lines, a header and relative-metadata part, then one part per object opened
//! by `OBJECT = OBJECT1` / `OBJECT = OBJECT2`. The XML form (`<cdm>`) is read by
//! [`super::cdm_xml`] into the same parts, so both are judged by one [`build`].
//!
//! Read: `CCSDS_CDM_VERS`, `CREATION_DATE`, `ORIGINATOR`, `MESSAGE_ID`, `TCA`,
//! `MISS_DISTANCE`, `RELATIVE_POSITION_R/T/N` (all required), `RELATIVE_SPEED`,
//! `COLLISION_PROBABILITY`, `COLLISION_PROBABILITY_METHOD` (optional), and per object
//! `OBJECT_DESIGNATOR` (required), `INTERNATIONAL_DESIGNATOR`, `OBJECT_NAME`,
//! `OBJECT_TYPE`. Other keys (state vectors, covariance, screening volume) are accepted
//! and ignored. Dates are ISO (`2014-10-27T17:42:00.000`) or day of year
//! (`2014-300T17:42:00.000`); the TCA is not before the creation date. Lengths are in
//! metres (`[m]`, or `[km]` converted), speeds in `[m/s]` (or `[km/s]`); in KVN the unit
//! must be written (508.0-B-1 §6.2.4.1: "If units are applicable … they must be
//! displayed"); a probability is a finite number in 0..1. A KVN file whose first line
//! (comments aside) is not `CCSDS_CDM_VERS = …` is not a CDM: one problem, not one per line.

use super::{parse_time, Loc, Problem};
use crate::time::Time;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CdmObject {
    pub designator: String,
    /// `INTERNATIONAL_DESIGNATOR` (`1998-067A`), empty when not given.
    pub international: String,
    pub name: String,
    pub kind: String,
    /// The line of its `OBJECT_DESIGNATOR`.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cdm {
    pub message_id: String,
    pub originator: String,
    pub creation: Time,
    pub tca: Time,
    /// Metres.
    pub miss_distance: f64,
    /// Radial, transverse (along-track), normal (cross-track), metres.
    pub r: f64,
    pub t: f64,
    pub n: f64,
    pub relative_speed: Option<f64>,
    pub pc: Option<f64>,
    pub pc_method: String,
    /// The mission's object (after [`orient`]) and the other one.
    pub object1: CdmObject,
    pub object2: CdmObject,
    /// The line of `MESSAGE_ID`.
    pub line: usize,
    /// The line of `CREATION_DATE`.
    pub creation_line: usize,
}

/// One value as read: its text, unit and line.
pub(super) struct Value {
    pub text: String,
    pub unit: Option<String>,
    pub line: usize,
}

/// The keys of a CDM by part: 0 the header and relative metadata/data, 1 and 2 the
/// objects.
pub(super) type Parts = [BTreeMap<String, Value>; 3];

/// Whether a KVN text is a CDM at all: its first line that is neither blank nor a
/// `COMMENT` must be `CCSDS_CDM_VERS = …`. `Err` says what it starts with instead.
pub fn kvn_first_line(text: &str) -> Result<(), Problem> {
    for (i, raw) in text.lines().enumerate() {
        let l = raw.trim().trim_start_matches('\u{feff}');
        if l.is_empty() || l.starts_with("COMMENT") {
            continue;
        }
        let key = l.split('=').next().unwrap_or_default().trim();
        if key.eq_ignore_ascii_case("CCSDS_CDM_VERS") {
            return Ok(());
        }
        return Err(Problem::error(
            Loc::Line(i + 1),
            format!(
                "not a CDM: a CCSDS CDM in KVN form starts with `CCSDS_CDM_VERS = 1.0`, this file with `{}`",
                shorten(l)
            ),
        ));
    }
    Err(Problem::error(
        Loc::File,
        "the file is empty: expected a CCSDS CDM in KVN form (CCSDS_CDM_VERS = 1.0, …)",
    ))
}

/// Parses one CDM in KVN form. Every problem is reported; `None` when any is an error.
pub fn parse(text: &str) -> (Option<Cdm>, Vec<Problem>) {
    if let Err(p) = kvn_first_line(text) {
        return (None, vec![p]);
    }
    let mut problems = Vec::new();
    let mut parts: Parts = Default::default();
    let mut part = 0usize;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim().trim_start_matches('\u{feff}');
        if l.is_empty() || l.starts_with("COMMENT") {
            continue;
        }
        let Some((key, value)) = l.split_once('=') else {
            problems.push(Problem::error(
                Loc::Line(line),
                format!("expected `KEY = value`, found `{}`", shorten(l)),
            ));
            continue;
        };
        let key = key.trim().to_ascii_uppercase();
        let value = value.trim();
        let (value, unit) = match value.rfind('[') {
            Some(b) if value.ends_with(']') => (
                value[..b].trim(),
                Some(value[b + 1..value.len() - 1].trim().to_string()),
            ),
            _ => (value, None),
        };
        if key == "OBJECT" {
            part = match value.to_ascii_uppercase().as_str() {
                "OBJECT1" => 1,
                "OBJECT2" => 2,
                _ => {
                    problems.push(Problem::error(
                        Loc::Line(line),
                        format!("`OBJECT = {value}`: expected OBJECT1 or OBJECT2"),
                    ));
                    continue;
                }
            };
            if parts[part].contains_key("OBJECT") {
                problems.push(Problem::error(
                    Loc::Line(line),
                    format!("{value} is described twice"),
                ));
            }
        }
        insert(&mut parts[part], key, value, unit, line, &mut problems);
    }
    build(&parts, true, problems)
}

/// Adds a key to a part; a key given twice is an error (the first is kept).
pub(super) fn insert(
    part: &mut BTreeMap<String, Value>,
    key: String,
    text: &str,
    unit: Option<String>,
    line: usize,
    problems: &mut Vec<Problem>,
) {
    if let Some(first) = part.get(&key) {
        if key != "OBJECT" {
            problems.push(Problem::error(
                Loc::Line(line),
                format!("`{key}` is given twice (first at line {})", first.line),
            ));
        }
        return;
    }
    part.insert(
        key,
        Value {
            text: text.to_string(),
            unit,
            line,
        },
    );
}

/// Judges the parts of a CDM (KVN or XML). `units_required`: a length or speed without
/// its unit is an error (KVN, 508.0-B-1 §6.2.4.1); in XML a missing `units` attribute
/// means the unit of the element's type (metres, metres per second).
pub(super) fn build(
    parts: &Parts,
    units_required: bool,
    mut problems: Vec<Problem>,
) -> (Option<Cdm>, Vec<Problem>) {
    let [head, o1, o2] = parts;
    if head.is_empty() && o1.is_empty() && o2.is_empty() && problems.is_empty() {
        problems.push(Problem::error(
            Loc::File,
            "the CDM is empty: no header, no relative data, no objects",
        ));
        return (None, problems);
    }
    let mut need =
        |part: &BTreeMap<String, Value>, key: &str, whose: &str| -> Option<(String, usize)> {
            match part.get(key) {
                Some(v) if !v.text.is_empty() => Some((v.text.clone(), v.line)),
                Some(v) => {
                    problems.push(Problem::error(
                        Loc::Line(v.line),
                        format!("`{key}` is empty"),
                    ));
                    None
                }
                None => {
                    problems.push(Problem::error(Loc::File, format!("no `{key}`{whose}")));
                    None
                }
            }
        };
    let _version = need(head, "CCSDS_CDM_VERS", "");
    let creation = need(head, "CREATION_DATE", "");
    let originator = need(head, "ORIGINATOR", "");
    let message_id = need(head, "MESSAGE_ID", "");
    let tca = need(head, "TCA", "");
    let miss = need(head, "MISS_DISTANCE", "");
    let r = need(head, "RELATIVE_POSITION_R", "");
    let t = need(head, "RELATIVE_POSITION_T", "");
    let n = need(head, "RELATIVE_POSITION_N", "");
    let d1 = need(
        o1,
        "OBJECT_DESIGNATOR",
        " for OBJECT1 (`OBJECT = OBJECT1` then its keys)",
    );
    let d2 = need(
        o2,
        "OBJECT_DESIGNATOR",
        " for OBJECT2 (`OBJECT = OBJECT2` then its keys)",
    );
    let mut time = |v: Option<(String, usize)>, key: &str| {
        let (text, line) = v?;
        parse_time(&text)
            .map_err(|e| problems.push(Problem::error(Loc::Line(line), format!("{key}: {e}"))))
            .ok()
    };
    let creation_line = creation.as_ref().map_or(0, |c| c.1);
    let creation = time(creation, "CREATION_DATE");
    let tca = time(tca, "TCA");
    if let (Some(c), Some(t), Some(v)) = (creation, tca, head.get("TCA")) {
        if t < c {
            problems.push(Problem::error(
                Loc::Line(v.line),
                format!(
                    "the TCA {} is before the message was created ({}): a CDM predicts a close approach",
                    super::show_time(t),
                    super::show_time(c)
                ),
            ));
        }
    }
    // A value in `base` units, or `base` with a `k` in front (converted).
    let measure = |key: &str, base: &str, problems: &mut Vec<Problem>| -> Option<f64> {
        let v = head.get(key)?;
        let x = number(&v.text, key, v.line, problems)?;
        let unit = v.unit.as_deref().map(str::to_ascii_lowercase);
        match unit.as_deref() {
            None if units_required => {
                problems.push(Problem::error(
                    Loc::Line(v.line),
                    format!(
                        "`{key}` has no unit: write `{} [{base}]` (CCSDS 508.0-B-1 §6.2.4.1: the units of a CDM in KVN must be displayed)",
                        v.text
                    ),
                ));
                None
            }
            None => Some(x),
            Some(u) if u == base => Some(x),
            Some(u) if u == format!("k{base}") => Some(x * 1000.0),
            Some(u) => {
                problems.push(Problem::error(
                    Loc::Line(v.line),
                    format!("`{key}` in [{u}]: the unit must be [{base}] (or [k{base}])"),
                ));
                None
            }
        }
    };
    let miss_m = miss.and_then(|_| measure("MISS_DISTANCE", "m", &mut problems));
    if let (Some(m), Some(v)) = (miss_m, head.get("MISS_DISTANCE")) {
        if m < 0.0 {
            problems.push(Problem::error(
                Loc::Line(v.line),
                format!("MISS_DISTANCE {} is negative", v.text),
            ));
        }
    }
    let r_m = r.and_then(|_| measure("RELATIVE_POSITION_R", "m", &mut problems));
    let t_m = t.and_then(|_| measure("RELATIVE_POSITION_T", "m", &mut problems));
    let n_m = n.and_then(|_| measure("RELATIVE_POSITION_N", "m", &mut problems));
    let speed = measure("RELATIVE_SPEED", "m/s", &mut problems);
    let pc = match head.get("COLLISION_PROBABILITY") {
        Some(v) => match number(&v.text, "COLLISION_PROBABILITY", v.line, &mut problems) {
            Some(p) if (0.0..=1.0).contains(&p) => Some(p),
            Some(_) => {
                problems.push(Problem::error(
                    Loc::Line(v.line),
                    format!(
                        "COLLISION_PROBABILITY {} is not a probability (0 to 1)",
                        v.text
                    ),
                ));
                None
            }
            None => None,
        },
        None => None,
    };
    if problems.iter().any(Problem::is_error) {
        return (None, problems);
    }
    let object = |part: &BTreeMap<String, Value>, d: Option<(String, usize)>| {
        let text = |k: &str| part.get(k).map(|v| v.text.clone()).unwrap_or_default();
        let (designator, line) = d.unwrap_or_default();
        CdmObject {
            designator,
            international: text("INTERNATIONAL_DESIGNATOR"),
            name: text("OBJECT_NAME"),
            kind: text("OBJECT_TYPE"),
            line,
        }
    };
    let (Some(creation), Some(tca), Some(miss_distance), Some(r), Some(t), Some(n)) =
        (creation, tca, miss_m, r_m, t_m, n_m)
    else {
        return (None, problems);
    };
    let (message_id, line) = message_id.unwrap_or_default();
    let cdm = Cdm {
        message_id,
        originator: originator.map(|o| o.0).unwrap_or_default(),
        creation,
        tca,
        miss_distance,
        r,
        t,
        n,
        relative_speed: speed,
        pc,
        pc_method: head
            .get("COLLISION_PROBABILITY_METHOD")
            .map(|v| v.text.clone())
            .unwrap_or_default(),
        object1: object(o1, d1),
        object2: object(o2, d2),
        line,
        creation_line,
    };
    (Some(cdm), problems)
}

/// Whose CDM it is, against the mission's declared objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    /// OBJECT1 is ours.
    Ours,
    /// OBJECT2 is ours: the objects were swapped, so OBJECT1 is now ours.
    Swapped,
    /// Neither object is ours.
    NotOurs,
}

/// A designator as compared: trimmed, upper case, a catalogue number without its leading
/// zeros (`025544` is `25544`).
pub fn designator_key(d: &str) -> String {
    let d = d.trim().to_ascii_uppercase();
    if !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()) {
        let t = d.trim_start_matches('0');
        if t.is_empty() {
            "0".into()
        } else {
            t.to_string()
        }
    } else {
        d
    }
}

impl CdmObject {
    /// Whether its `OBJECT_DESIGNATOR` or `INTERNATIONAL_DESIGNATOR` is one of `ours`
    /// (keys of [`designator_key`]).
    pub fn is_one_of(&self, ours: &[String]) -> bool {
        let (d, i) = (
            designator_key(&self.designator),
            designator_key(&self.international),
        );
        ours.iter().any(|o| *o == d || (!i.is_empty() && *o == i))
    }
}

/// Puts the mission's object first: a CDM whose OBJECT2 is ours (and OBJECT1 is not)
/// has its objects swapped, so that OBJECT2 is always the other object, the one events
/// are grouped by. `ours` are [`designator_key`]s.
pub fn orient(cdm: &mut Cdm, ours: &[String]) -> Orientation {
    if cdm.object1.is_one_of(ours) {
        Orientation::Ours
    } else if cdm.object2.is_one_of(ours) {
        std::mem::swap(&mut cdm.object1, &mut cdm.object2);
        Orientation::Swapped
    } else {
        Orientation::NotOurs
    }
}

fn number(text: &str, key: &str, line: usize, problems: &mut Vec<Problem>) -> Option<f64> {
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() => Some(x),
        _ => {
            problems.push(Problem::error(
                Loc::Line(line),
                format!("`{key}` = `{}` is not a finite number", shorten(text)),
            ));
            None
        }
    }
}

pub(super) fn shorten(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}

/// The screening box and the probability thresholds.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Screening {
    /// Half-widths of the box, metres: radial, along-track (T), cross-track (N).
    pub radial_m: f64,
    pub along_m: f64,
    pub cross_m: f64,
    /// Pc at or above: yellow (manoeuvre if the mission impact is acceptable).
    pub yellow: f64,
    /// Pc at or above: red (manoeuvre unless it adds crew risk).
    pub red: f64,
    /// CDMs of one secondary object whose TCAs are at most this far from the event's
    /// first TCA belong to one conjunction event (seconds).
    pub event_gap_s: i64,
}

impl Default for Screening {
    fn default() -> Self {
        Screening {
            radial_m: 500.0,
            along_m: 25_000.0,
            cross_m: 25_000.0,
            yellow: 1e-5,
            red: 1e-4,
            event_gap_s: 3600,
        }
    }
}

impl Screening {
    /// In the box: |R| ≤ radial, |T| ≤ along-track, |N| ≤ cross-track (bounds included).
    pub fn in_box(&self, c: &Cdm) -> bool {
        c.r.abs() <= self.radial_m && c.t.abs() <= self.along_m && c.n.abs() <= self.cross_m
    }

    pub fn is_yellow(&self, pc: Option<f64>) -> bool {
        pc.is_some_and(|p| p >= self.yellow)
    }

    pub fn is_red(&self, pc: Option<f64>) -> bool {
        pc.is_some_and(|p| p >= self.red)
    }
}

/// A conjunction event: the CDMs about one secondary object and one close approach.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Indices into the CDM list, by creation date.
    pub cdms: Vec<usize>,
    pub object: CdmObject,
    /// The TCA of the latest CDM.
    pub tca: Time,
    pub first_cdm: Time,
    pub max_pc: Option<f64>,
    pub min_miss: f64,
    pub in_box: bool,
}

/// Groups CDMs into events: by secondary object designator, then by TCA (a CDM whose
/// TCA is within `event_gap_s` of the event's first TCA joins it). Deterministic: the
/// CDMs are taken by (designator, TCA, creation, message id).
pub fn events(cdms: &[Cdm], screening: &Screening) -> Vec<Event> {
    let mut order: Vec<usize> = (0..cdms.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&cdms[a], &cdms[b]);
        (&x.object2.designator, x.tca, x.creation, &x.message_id).cmp(&(
            &y.object2.designator,
            y.tca,
            y.creation,
            &y.message_id,
        ))
    });
    let mut groups: Vec<(String, Time, Vec<usize>)> = Vec::new();
    for i in order {
        let c = &cdms[i];
        match groups.last_mut() {
            Some((d, first_tca, members))
                if *d == c.object2.designator && c.tca.0 - first_tca.0 <= screening.event_gap_s =>
            {
                members.push(i)
            }
            _ => groups.push((c.object2.designator.clone(), c.tca, vec![i])),
        }
    }
    let mut out: Vec<Event> = groups
        .into_iter()
        .map(|(_, _, mut members)| {
            members.sort_by(|&a, &b| {
                (cdms[a].creation, &cdms[a].message_id)
                    .cmp(&(cdms[b].creation, &cdms[b].message_id))
            });
            let last = &cdms[*members.last().unwrap_or(&0)];
            let max_pc = members
                .iter()
                .filter_map(|&i| cdms[i].pc)
                .fold(None, |m: Option<f64>, p| Some(m.map_or(p, |m| m.max(p))));
            Event {
                object: last.object2.clone(),
                tca: last.tca,
                first_cdm: cdms[members[0]].creation,
                max_pc,
                min_miss: members
                    .iter()
                    .map(|&i| cdms[i].miss_distance)
                    .fold(f64::INFINITY, f64::min),
                in_box: members.iter().any(|&i| screening.in_box(&cdms[i])),
                cdms: members,
            }
        })
        .collect();
    out.sort_by(|a, b| (a.tca, &a.object.designator).cmp(&(b.tca, &b.object.designator)));
    out
}
