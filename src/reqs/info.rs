//! What an export says about itself, for the document-control block of the traceability
//! report: the ReqIF header (`REQ-IF-HEADER`: its IDENTIFIER, TITLE, CREATION-TIME, the
//! tools, the repository, the comment) and each specification (module) with the
//! attributes DOORS writes about a baseline (`Baseline`, `Baseline Version`, … : any
//! specification attribute whose name holds "baseline").
//!
//! The header is read by a reader of its own that stops at the end of `THE-HEADER` (or
//! at `CORE-CONTENT`, or after [`HEADER_SCAN`] bytes), so it costs the first few hundred
//! bytes of a file, never a second pass over the export. Elements are matched by the
//! ReqIF namespace URI and local name; entities are never expanded (the predefined and
//! numeric references are resolved by [`super::xhtml::decode_entities`]); each value is
//! cut to [`MAX_VALUE`] characters. A header that cannot be read is no header: the
//! importer reports what is wrong with the file.

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

/// The header is looked for in the first this many bytes of a `.reqif` member.
pub const HEADER_SCAN: usize = 1024 * 1024;
/// A header value or baseline attribute longer than this many characters is cut (`…`).
pub const MAX_VALUE: usize = 500;

/// What an export says about itself.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct ExportInfo {
    /// The ReqIF header (`None` for a spreadsheet, or a ReqIF without `THE-HEADER`).
    pub header: Option<ReqIfHeader>,
    /// The ReqIF specifications (DOORS modules), in file order.
    pub specifications: Vec<Specification>,
}

/// `THE-HEADER/REQ-IF-HEADER` of a ReqIF file (of its first member, for a ReqIFz).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct ReqIfHeader {
    /// The `IDENTIFIER` of `REQ-IF-HEADER`: the exchange's id.
    pub identifier: Option<String>,
    /// `TITLE` (DOORS: `IBM Rational DOORS, 29 September 2014`).
    pub title: Option<String>,
    /// `CREATION-TIME`, as written (ISO 8601).
    pub creation_time: Option<String>,
    pub source_tool: Option<String>,
    pub reqif_tool: Option<String>,
    pub repository: Option<String>,
    pub comment: Option<String>,
}

/// A ReqIF specification: a DOORS module, a DOORS Next module, a Polarion document.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Specification {
    pub name: String,
    /// Its attributes whose name holds "baseline" (`Baseline`, `Baseline Name`,
    /// `Baseline Version`): (name, value as one line).
    pub baseline: Vec<(String, String)>,
}

/// The `REQ-IF-HEADER` of a ReqIF text, when the file starts with one.
pub fn read_header(bytes: &[u8]) -> Option<ReqIfHeader> {
    let bytes = &bytes[..bytes.len().min(HEADER_SCAN)];
    let mut reader = NsReader::from_reader(bytes);
    reader.config_mut().trim_text(false);
    let mut header: Option<ReqIfHeader> = None;
    // The open elements of the ReqIF namespace below REQ-IF-HEADER (their local names).
    let mut open: Vec<String> = Vec::new();
    let mut text = String::new();
    loop {
        let (ns, event) = reader.read_resolved_event().ok()?;
        let in_ns = matches!(ns, ResolveResult::Bound(n) if n.as_ref() == super::reqif::REQIF_NS);
        // Text directly inside a child of REQ-IF-HEADER, while the value is short.
        let taking = header.is_some() && open.len() == 1 && text.len() < 4 * MAX_VALUE;
        match event {
            Event::Start(e) => {
                let local = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if in_ns && local == "CORE-CONTENT" {
                    break;
                }
                if in_ns && local == "REQ-IF-HEADER" && header.is_none() {
                    let identifier = e
                        .attributes()
                        .with_checks(false)
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == b"IDENTIFIER")
                        .map(|a| value(&String::from_utf8_lossy(&a.value)));
                    header = Some(ReqIfHeader {
                        identifier,
                        ..ReqIfHeader::default()
                    });
                    open.clear();
                } else if header.is_some() {
                    open.push(if in_ns { local } else { String::new() });
                    text.clear();
                }
            }
            Event::End(e) => {
                let local = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if local == "REQ-IF-HEADER" || local == "THE-HEADER" {
                    if header.is_some() {
                        break;
                    }
                    continue;
                }
                let Some(h) = header.as_mut() else { continue };
                if let Some(name) = open.pop() {
                    if open.is_empty() {
                        let v = Some(value(&text)).filter(|v| !v.is_empty());
                        match name.as_str() {
                            "TITLE" => h.title = v,
                            "CREATION-TIME" => h.creation_time = v,
                            "SOURCE-TOOL-ID" => h.source_tool = v,
                            "REQ-IF-TOOL-ID" => h.reqif_tool = v,
                            "REPOSITORY-ID" => h.repository = v,
                            "COMMENT" => h.comment = v,
                            _ => {}
                        }
                    }
                }
                text.clear();
            }
            Event::Text(t) if taking => {
                text.push_str(&super::xhtml::decode_entities(&String::from_utf8_lossy(
                    t.as_ref(),
                )));
            }
            Event::GeneralRef(r) if taking => {
                let written = format!("&{};", String::from_utf8_lossy(r.as_ref()));
                text.push_str(&super::xhtml::decode_entities(&written));
            }
            Event::CData(t) if taking => text.push_str(&String::from_utf8_lossy(t.as_ref())),
            Event::Eof => break,
            _ => {}
        }
    }
    header
}

/// A value as one line (blank runs as one blank), cut to [`MAX_VALUE`] characters.
pub fn value(s: &str) -> String {
    let one = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > MAX_VALUE {
        let mut cut: String = one.chars().take(MAX_VALUE - 1).collect();
        cut.push('…');
        cut
    } else {
        one
    }
}

/// True for a specification attribute that says something about a baseline.
pub fn is_baseline_attribute(name: &str) -> bool {
    super::attribute_key(name).contains("baseline")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_of_a_doors_export() {
        let text = r#"<?xml version="1.0" encoding="UTF-8"?>
<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd">
  <THE-HEADER>
    <REQ-IF-HEADER IDENTIFIER="_ca8e">
      <CREATION-TIME>2014-09-29T14:37:12</CREATION-TIME>
      <REPOSITORY-ID/>
      <REQ-IF-TOOL-ID>DOORS</REQ-IF-TOOL-ID>
      <SOURCE-TOOL-ID>DOORS 9.5.2.1</SOURCE-TOOL-ID>
      <TITLE>IBM Rational DOORS,
        29 September 2014 &amp; <![CDATA[<b>]]></TITLE>
    </REQ-IF-HEADER>
  </THE-HEADER>
  <CORE-CONTENT><TITLE>not the header</TITLE></CORE-CONTENT>
</REQ-IF>"#;
        let h = read_header(text.as_bytes()).expect("a header");
        assert_eq!(h.identifier.as_deref(), Some("_ca8e"));
        assert_eq!(h.creation_time.as_deref(), Some("2014-09-29T14:37:12"));
        assert_eq!(h.reqif_tool.as_deref(), Some("DOORS"));
        assert_eq!(h.source_tool.as_deref(), Some("DOORS 9.5.2.1"));
        assert_eq!(
            h.title.as_deref(),
            Some("IBM Rational DOORS, 29 September 2014 & <b>")
        );
        assert_eq!(h.repository, None);
        assert_eq!(h.comment, None);
    }

    #[test]
    fn no_header_a_foreign_namespace_or_bad_xml_is_no_header() {
        let none = r#"<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd"><CORE-CONTENT/></REQ-IF>"#;
        assert_eq!(read_header(none.as_bytes()), None);
        let foreign = r#"<REQ-IF xmlns="urn:other"><THE-HEADER><REQ-IF-HEADER IDENTIFIER="x"/></THE-HEADER></REQ-IF>"#;
        assert_eq!(read_header(foreign.as_bytes()), None);
        assert_eq!(read_header(b"\x00\x01 not xml <<<"), None);
        assert_eq!(read_header(b""), None);
    }

    #[test]
    fn long_values_are_cut_and_the_scan_is_bounded() {
        let long = "x".repeat(10 * MAX_VALUE);
        let text = format!(
            r#"<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd"><THE-HEADER><REQ-IF-HEADER IDENTIFIER="i"><TITLE>{long}</TITLE></REQ-IF-HEADER></THE-HEADER></REQ-IF>"#
        );
        let h = read_header(text.as_bytes()).unwrap();
        let title = h.title.unwrap();
        assert_eq!(title.chars().count(), MAX_VALUE);
        assert!(title.ends_with('…'));
        // A header that does not end within the scan is read as far as the scan goes.
        let huge = format!(
            r#"<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd"><THE-HEADER><REQ-IF-HEADER IDENTIFIER="i"><COMMENT>{}</COMMENT><TITLE>late</TITLE></REQ-IF-HEADER></THE-HEADER></REQ-IF>"#,
            "y ".repeat(HEADER_SCAN)
        );
        let h = read_header(huge.as_bytes());
        assert_eq!(h.and_then(|h| h.title), None);
    }

    #[test]
    fn baseline_attributes_are_named_so() {
        assert!(is_baseline_attribute("Baseline"));
        assert!(is_baseline_attribute("DOORS Baseline Version"));
        assert!(!is_baseline_attribute("ReqIF.ForeignModifiedOn"));
    }
}
