//! CCSDS Conjunction Data Messages (508.0-B), KVN form: `KEY = value [unit]` lines,
//! `COMMENT` lines, a header and relative-metadata part, then one part per object opened
//! by `OBJECT = OBJECT1` / `OBJECT = OBJECT2`.
//!
//! Read: `CCSDS_CDM_VERS`, `CREATION_DATE`, `ORIGINATOR`, `MESSAGE_ID`, `TCA`,
//! `MISS_DISTANCE`, `RELATIVE_POSITION_R/T/N` (all required), `RELATIVE_SPEED`,
//! `COLLISION_PROBABILITY`, `COLLISION_PROBABILITY_METHOD` (optional), and per object
//! `OBJECT_DESIGNATOR` (required), `OBJECT_NAME`, `OBJECT_TYPE`. Other keys (state
//! vectors, covariance, screening volume) are accepted and ignored. Dates are ISO
//! (`2014-10-27T17:42:00.000`) or day of year (`2014-300T17:42:00.000`). Lengths are in
//! metres (`[m]`, or `[km]` converted); a probability is a finite number in 0..1.

use super::{parse_time, Loc, Problem};
use crate::time::Time;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CdmObject {
    pub designator: String,
    pub name: String,
    pub kind: String,
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
    pub object1: CdmObject,
    pub object2: CdmObject,
    /// The line of `MESSAGE_ID`.
    pub line: usize,
}

/// One value as read: its text, unit and line.
struct Value {
    text: String,
    unit: Option<String>,
    line: usize,
}

/// Parses one CDM. Every problem is reported; `None` when any is an error.
pub fn parse(text: &str) -> (Option<Cdm>, Vec<Problem>) {
    let mut problems = Vec::new();
    // Part 0: header and relative metadata; 1 and 2: the objects.
    let mut parts: [BTreeMap<String, Value>; 3] = Default::default();
    let mut part = 0usize;
    let mut any = false;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim().trim_start_matches('\u{feff}');
        if l.is_empty() || l.starts_with("COMMENT") {
            continue;
        }
        any = true;
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
        if let Some(first) = parts[part].get(&key) {
            if key != "OBJECT" {
                problems.push(Problem::error(
                    Loc::Line(line),
                    format!("`{key}` is given twice (first at line {})", first.line),
                ));
            }
            continue;
        }
        parts[part].insert(
            key,
            Value {
                text: value.to_string(),
                unit,
                line,
            },
        );
    }
    if !any {
        problems.push(Problem::error(
            Loc::File,
            "the file is empty: expected a CCSDS CDM in KVN form (CCSDS_CDM_VERS = 1.0, …)",
        ));
        return (None, problems);
    }
    let [head, o1, o2] = &parts;
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
    let creation = time(creation, "CREATION_DATE");
    let tca = time(tca, "TCA");
    let length = |key: &str, problems: &mut Vec<Problem>| -> Option<f64> {
        let v = head.get(key)?;
        let x = number(&v.text, key, v.line, problems)?;
        match v.unit.as_deref().map(str::to_ascii_lowercase).as_deref() {
            None | Some("m") => Some(x),
            Some("km") => Some(x * 1000.0),
            Some(u) => {
                problems.push(Problem::error(
                    Loc::Line(v.line),
                    format!("`{key}` in [{u}]: the unit must be [m] (or [km])"),
                ));
                None
            }
        }
    };
    let miss_m = miss.and_then(|_| length("MISS_DISTANCE", &mut problems));
    if let (Some(m), Some(v)) = (miss_m, head.get("MISS_DISTANCE")) {
        if m < 0.0 {
            problems.push(Problem::error(
                Loc::Line(v.line),
                format!("MISS_DISTANCE {} is negative", v.text),
            ));
        }
    }
    let r_m = r.and_then(|_| length("RELATIVE_POSITION_R", &mut problems));
    let t_m = t.and_then(|_| length("RELATIVE_POSITION_T", &mut problems));
    let n_m = n.and_then(|_| length("RELATIVE_POSITION_N", &mut problems));
    let speed = head
        .get("RELATIVE_SPEED")
        .and_then(|v| number(&v.text, "RELATIVE_SPEED", v.line, &mut problems));
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
    if problems.iter().any(|p| !p.warning) {
        return (None, problems);
    }
    let object = |part: &BTreeMap<String, Value>, d: Option<(String, usize)>| CdmObject {
        designator: d.map(|d| d.0).unwrap_or_default(),
        name: part
            .get("OBJECT_NAME")
            .map(|v| v.text.clone())
            .unwrap_or_default(),
        kind: part
            .get("OBJECT_TYPE")
            .map(|v| v.text.clone())
            .unwrap_or_default(),
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
    };
    (Some(cdm), problems)
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

fn shorten(s: &str) -> String {
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
