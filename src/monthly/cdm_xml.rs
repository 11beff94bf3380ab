//! CCSDS CDMs in XML (508.0-B-1 §4, the NDM/XML schema): `<cdm version="1.0">` holding a
//! `<header>`, a `<body>` with `<relativeMetadataData>` and two `<segment>`s (one per
//! object, named by its `<OBJECT>`), each element carrying the keyword of the KVN form
//! (`<MISS_DISTANCE units="m">715</MISS_DISTANCE>`). The keys are collected into the
//! parts the KVN reader makes and judged by the same [`super::cdm::build`], so a CDM says
//! the same thing whichever form it comes in.
//!
//! Read as a stream (quick-xml), elements by their local name (a namespace prefix such as
//! `ndm:` is ignored), entities never expanded (a DOCTYPE declaring one is refused),
//! nesting bounded (a CDM is six levels deep; more than 32 is refused), every problem at
//! the line of its element. A missing `units` attribute means the unit of the element's
//! schema type (metres, metres per second): the NDM/XML schema makes the attribute
//! optional, where the KVN form must display units.

use super::cdm::{build, insert, Cdm, Parts, Value};
use super::{Loc, Problem};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::BTreeMap;

/// Deeper than any CDM (`cdm/body/segment/data/covarianceMatrix/CR_R` is six).
const MAX_DEPTH: usize = 32;

/// An element being read.
struct Open {
    name: String,
    line: usize,
    units: Option<String>,
    /// It holds other elements (it is a section, not a keyword).
    parent: bool,
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn units_of(e: &BytesStart) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == b"units")
        .map(|a| crate::reqs::xhtml::decode_entities(&lossy(&a.value)))
}

/// Parses one CDM in XML form. Every problem is reported; `None` when any is an error.
pub fn parse(text: &str) -> (Option<Cdm>, Vec<Problem>) {
    let index = crate::source::LineIndex::new(text);
    let line_at = |offset: usize| index.line_col(text, offset.min(text.len())).line as usize;
    let mut problems = Vec::new();
    let mut parts: Parts = Default::default();
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Open> = Vec::new();
    let mut value = String::new();
    // The keys of the segment being read, and where it started.
    let mut segment: Option<(BTreeMap<String, Value>, usize)> = None;
    let mut segments = 0usize;
    let mut seen_root = false;
    loop {
        let before = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let at = line_at(reader.error_position() as usize);
                problems.push(Problem::error(
                    Loc::Line(at),
                    if seen_root {
                        format!("the file is not well-formed XML: {e}")
                    } else {
                        format!("not a CDM: not XML ({e})")
                    },
                ));
                return (None, problems);
            }
        };
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let name = lossy(e.local_name().as_ref());
            let line = line_at(before);
            if !seen_root {
                seen_root = true;
                if name != "cdm" {
                    problems.push(Problem::error(
                        Loc::Line(line),
                        format!(
                            "not a CDM: the root element is <{name}>, a CCSDS CDM in XML is <cdm>"
                        ),
                    ));
                    return (None, problems);
                }
                match e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == b"version")
                {
                    Some(v) => insert(
                        &mut parts[0],
                        "CCSDS_CDM_VERS".into(),
                        lossy(&v.value).trim(),
                        None,
                        line,
                        &mut problems,
                    ),
                    None => problems.push(Problem::error(
                        Loc::Line(line),
                        "<cdm> has no `version` attribute (the CCSDS_CDM_VERS of the KVN form)",
                    )),
                }
            }
            if let Some(parent) = stack.last_mut() {
                parent.parent = true;
            }
            if stack.len() >= MAX_DEPTH {
                problems.push(Problem::error(
                    Loc::Line(line),
                    format!("<{name}> is nested more than {MAX_DEPTH} elements deep: a CDM is six"),
                ));
                return (None, problems);
            }
            if name == "segment" {
                segments += 1;
                if segment.is_some() || segments > 2 {
                    problems.push(Problem::error(
                        Loc::Line(line),
                        "a CDM has two <segment>s, one per object, side by side",
                    ));
                    return (None, problems);
                }
                segment = Some((BTreeMap::new(), line));
            }
            stack.push(Open {
                name,
                line,
                units: units_of(&e),
                parent: false,
            });
            value.clear();
            if !empty {
                continue;
            }
        }
        match event {
            Event::Start(_) => {}
            Event::Text(t) => value.push_str(&lossy(t.as_ref())),
            Event::CData(t) => value.push_str(&lossy(t.as_ref())),
            Event::GeneralRef(r) => value.push_str(&crate::reqs::xhtml::decode_entities(&format!(
                "&{};",
                lossy(r.as_ref())
            ))),
            Event::DocType(d) if lossy(d.as_ref()).contains("<!ENTITY") => {
                problems.push(Problem::error(
                    Loc::Line(line_at(before)),
                    "the file has a DOCTYPE that declares entities; a CDM uses none, and opsplan never expands them (remove the DOCTYPE)",
                ));
                return (None, problems);
            }
            Event::End(_) | Event::Empty(_) => {
                let Some(open) = stack.pop() else { continue };
                if open.name == "segment" {
                    if let Some((keys, line)) = segment.take() {
                        close_segment(keys, line, &mut parts, &mut problems);
                    }
                } else if !open.parent && !stack.is_empty() && open.name != "COMMENT" {
                    let target = match &mut segment {
                        Some((keys, _)) => keys,
                        None => &mut parts[0],
                    };
                    insert(
                        target,
                        open.name.to_ascii_uppercase(),
                        value.trim(),
                        open.units,
                        open.line,
                        &mut problems,
                    );
                }
                value.clear();
            }
            Event::Eof => {
                if !seen_root {
                    problems.push(Problem::error(
                        Loc::File,
                        "not a CDM: the file holds no XML element",
                    ));
                    return (None, problems);
                }
                if let Some(open) = stack.last() {
                    problems.push(Problem::error(
                        Loc::Line(open.line),
                        format!("the file ends inside <{}>", open.name),
                    ));
                    return (None, problems);
                }
                break;
            }
            _ => {}
        }
    }
    build(&parts, false, problems)
}

/// Files a segment's keys as OBJECT1's or OBJECT2's, by its `<OBJECT>`.
fn close_segment(
    keys: BTreeMap<String, Value>,
    line: usize,
    parts: &mut Parts,
    problems: &mut Vec<Problem>,
) {
    let object = keys.get("OBJECT").map(|v| v.text.to_ascii_uppercase());
    let part = match object.as_deref() {
        Some("OBJECT1") => 1,
        Some("OBJECT2") => 2,
        Some(other) => {
            problems.push(Problem::error(
                Loc::Line(keys.get("OBJECT").map_or(line, |v| v.line)),
                format!("<OBJECT>{other}</OBJECT>: expected OBJECT1 or OBJECT2"),
            ));
            return;
        }
        None => {
            problems.push(Problem::error(
                Loc::Line(line),
                "this <segment> has no <OBJECT> (OBJECT1 or OBJECT2)",
            ));
            return;
        }
    };
    if !parts[part].is_empty() {
        problems.push(Problem::error(
            Loc::Line(line),
            format!("OBJECT{part} is described twice"),
        ));
        return;
    }
    parts[part] = keys;
}
