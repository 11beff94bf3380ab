//! The write-back checked by reading it (`verify`), and the write-back attributes added
//! to an export for tests and benchmarks (`with_writeback_definitions`).

use super::{attr, escape_attr, escape_text, lossy, prefix_of, Expected, REQIF_NS};
use crate::reqs::xhtml::to_text;
use crate::reqs::{attribute_key, AttrValue, Export, ReqLocation, ReqObject};
use crate::source::FileId;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

/// An object as compared: everything but its location's line and column (an inserted
/// element moves the lines below it) and the write-back attributes.
fn comparable(o: &ReqObject, names: &[String]) -> ReqObject {
    let mut o = o.clone();
    let keys: Vec<String> = names.iter().map(|n| attribute_key(n)).collect();
    o.attributes
        .retain(|k, _| !keys.contains(&attribute_key(k)));
    if let ReqLocation::Xml { line, column, .. } = &mut o.location {
        *line = 0;
        *column = 0;
    }
    o
}

/// The SPEC-OBJECT identifier of an object read from a ReqIF, and its member.
pub fn object_ident(o: &ReqObject) -> Option<(Option<&str>, &str)> {
    match &o.location {
        ReqLocation::Xml {
            element, member, ..
        } => element
            .strip_prefix("SPEC-OBJECT ")
            .map(|id| (member.as_deref(), id)),
        _ => None,
    }
}

/// Reads `input` and `output` with opsplan's importer and checks that they hold the same
/// objects, in the same order, with the same ids, texts, headings, levels, paths, links,
/// modules and attributes but the write-back ones; the same header and specifications;
/// and that the write-back attributes of the objects in `expected` (keyed by member and
/// SPEC-OBJECT identifier) read as the values written. `Err` says the first difference.
pub fn verify(
    input: &[u8],
    output: &[u8],
    names: &[String],
    expected: &Expected,
) -> Result<(), String> {
    // The two reads on two threads: the check costs one import's time, not two.
    let ((a, da), (b, db)) = std::thread::scope(|s| {
        let other = s.spawn(|| crate::reqs::reqif::import_reqif(FileId(0), output));
        let a = crate::reqs::reqif::import_reqif(FileId(0), input);
        (
            a,
            other
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p)),
        )
    });
    let errors = |d: &[crate::diag::Diagnostic]| {
        d.iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .count()
    };
    if errors(&db) > errors(&da) || db.len() != da.len() {
        return Err(format!(
            "the output reads with {} finding(s), the input with {}",
            db.len(),
            da.len()
        ));
    }
    compare_exports(&a, &b, names)?;
    for o in &b.objects {
        let Some((member, id)) = object_ident(o) else {
            continue;
        };
        let Some(values) = expected.get(&(member.map(str::to_string), id.to_string())) else {
            continue;
        };
        for (name, v) in values {
            let got = o
                .attributes
                .iter()
                .find(|(k, _)| attribute_key(k) == attribute_key(name))
                .map(|(_, v)| v);
            let ok = match got {
                None => v.is_empty(),
                Some(AttrValue::Enum(e)) => {
                    e.len() == 1 && attribute_key(&e[0]) == attribute_key(v)
                }
                Some(AttrValue::Text(t)) => *t == *v || *t == to_text(&escape_text(v)),
                Some(other) => other.display() == *v,
            };
            if !ok {
                return Err(format!(
                    "object {} reads `{name}` as `{}`, not `{v}`",
                    o.id,
                    got.map(AttrValue::display).unwrap_or_default()
                ));
            }
        }
    }
    Ok(())
}

fn compare_exports(a: &Export, b: &Export, names: &[String]) -> Result<(), String> {
    if a.info != b.info {
        return Err("the header or the specifications differ".into());
    }
    if a.objects.len() != b.objects.len() {
        return Err(format!(
            "the output holds {} objects, the input {}",
            b.objects.len(),
            a.objects.len()
        ));
    }
    if a.dangling_links != b.dangling_links {
        return Err("the links differ".into());
    }
    let members = |e: &Export| e.members.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    if members(a) != members(b) {
        return Err("the archive's members differ".into());
    }
    for (x, y) in a.objects.iter().zip(&b.objects) {
        let (x, y) = (comparable(x, names), comparable(y, names));
        if x != y {
            let what = [
                ("id", x.id != y.id),
                ("text", x.text != y.text || x.heading != y.heading),
                ("level", x.level != y.level || x.is_heading != y.is_heading),
                ("path", x.path != y.path),
                ("module", x.module != y.module),
                ("attributes", x.attributes != y.attributes),
                ("links", x.links != y.links),
            ]
            .iter()
            .filter(|(_, d)| *d)
            .map(|(w, _)| *w)
            .collect::<Vec<_>>()
            .join(", ");
            return Err(format!(
                "object {} differs in more than the write-back attributes ({what})",
                x.id
            ));
        }
    }
    Ok(())
}

/// The datatype, and the two attributes of each SPEC-OBJECT-TYPE, that a qualification
/// team creates in DOORS before exporting (docs/doors-roundtrip.md): an enumeration
/// `coverage` of `values` and an XHTML `covered_by` (as DOORS Classic writes its text
/// attributes). For tests and benchmarks, which start from exports without them; the
/// identifiers are fixed, so the same input gives the same bytes.
pub fn with_writeback_definitions(
    bytes: &[u8],
    coverage: &str,
    covered_by: &str,
    values: &[&str],
) -> Result<Vec<u8>, String> {
    let mut reader = NsReader::from_reader(bytes);
    reader.config_mut().trim_text(false);
    let mut edits: Vec<(usize, String)> = Vec::new();
    let mut prefix = String::new();
    let mut xhtml_dt: Option<String> = None;
    let mut in_type = false;
    let mut has_spec_attributes = false;
    let mut n = 0usize;
    loop {
        let before = reader.buffer_position() as usize;
        let (in_ns, ev) = match reader.read_resolved_event() {
            Ok((ns, ev)) => (
                matches!(ns, ResolveResult::Bound(n) if n.as_ref() == REQIF_NS),
                ev,
            ),
            Err(e) => return Err(format!("not well-formed: {e}")),
        };
        match ev {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if in_ns => {
                let local = lossy(e.local_name().as_ref());
                if local == "DATATYPES" {
                    prefix = prefix_of(&e);
                }
                if local == "DATATYPE-DEFINITION-XHTML" && xhtml_dt.is_none() {
                    xhtml_dt = attr(&e, b"IDENTIFIER");
                }
                if local == "SPEC-OBJECT-TYPE" {
                    in_type = true;
                    has_spec_attributes = false;
                }
                if local == "SPEC-ATTRIBUTES" && in_type {
                    has_spec_attributes = true;
                }
            }
            Event::End(e) if in_ns => {
                let local = lossy(e.local_name().as_ref());
                let p = &prefix;
                match local.as_str() {
                    "DATATYPES" => {
                        let vals: String = values
                            .iter()
                            .enumerate()
                            .map(|(i, v)| format!(
                                "<{p}ENUM-VALUE IDENTIFIER=\"_ops-coverage-{i}\" LAST-CHANGE=\"2014-01-01T00:00:00\" LONG-NAME=\"{}\"><{p}PROPERTIES><{p}EMBEDDED-VALUE KEY=\"{i}\" OTHER-CONTENT=\"\"/></{p}PROPERTIES></{p}ENUM-VALUE>",
                                escape_attr(v)
                            ))
                            .collect();
                        let mut text = format!(
                            "<{p}DATATYPE-DEFINITION-ENUMERATION IDENTIFIER=\"_ops-coverage-type\" LAST-CHANGE=\"2014-01-01T00:00:00\" LONG-NAME=\"{}\"><{p}SPECIFIED-VALUES>{vals}</{p}SPECIFIED-VALUES></{p}DATATYPE-DEFINITION-ENUMERATION>",
                            escape_attr(coverage)
                        );
                        if xhtml_dt.is_none() {
                            text.push_str(&format!("<{p}DATATYPE-DEFINITION-XHTML IDENTIFIER=\"_ops-text-type\" LAST-CHANGE=\"2014-01-01T00:00:00\" LONG-NAME=\"OPS Text\"/>"));
                        }
                        edits.push((before, text));
                    }
                    "SPEC-ATTRIBUTES" | "SPEC-OBJECT-TYPE" if in_type => {
                        let xdt = xhtml_dt.clone().unwrap_or_else(|| "_ops-text-type".into());
                        let defs = format!(
                            "<{p}ATTRIBUTE-DEFINITION-ENUMERATION IDENTIFIER=\"_ops-coverage-{n}\" LAST-CHANGE=\"2014-01-01T00:00:00\" LONG-NAME=\"{}\" MULTI-VALUED=\"false\"><{p}TYPE><{p}DATATYPE-DEFINITION-ENUMERATION-REF>_ops-coverage-type</{p}DATATYPE-DEFINITION-ENUMERATION-REF></{p}TYPE></{p}ATTRIBUTE-DEFINITION-ENUMERATION><{p}ATTRIBUTE-DEFINITION-XHTML IDENTIFIER=\"_ops-covered-by-{n}\" LAST-CHANGE=\"2014-01-01T00:00:00\" LONG-NAME=\"{}\"><{p}TYPE><{p}DATATYPE-DEFINITION-XHTML-REF>{xdt}</{p}DATATYPE-DEFINITION-XHTML-REF></{p}TYPE></{p}ATTRIBUTE-DEFINITION-XHTML>",
                            escape_attr(coverage),
                            escape_attr(covered_by)
                        );
                        if local == "SPEC-ATTRIBUTES" {
                            edits.push((before, defs));
                            n += 1;
                        } else {
                            if !has_spec_attributes {
                                edits.push((
                                    before,
                                    format!("<{p}SPEC-ATTRIBUTES>{defs}</{p}SPEC-ATTRIBUTES>"),
                                ));
                                n += 1;
                            }
                            in_type = false;
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    // The enumeration's datatype goes before `</DATATYPES>`; the XHTML datatype is needed
    // only when the file has none (added there too).
    edits.sort_by_key(|(at, _)| *at);
    let mut out = Vec::with_capacity(bytes.len() + edits.len() * 600);
    let mut at = 0;
    for (i, text) in edits {
        out.extend_from_slice(&bytes[at..i]);
        out.extend_from_slice(text.as_bytes());
        at = i;
    }
    out.extend_from_slice(&bytes[at..]);
    Ok(out)
}
