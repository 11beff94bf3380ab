//! JUnit XML for CI test dashboards (GitLab, Jenkins, Azure DevOps):
//!
//! - one `<testsuites name="opsplan">`, and in it one `<testsuite>` per input file, in
//!   the order of the run (plans, procedures, flight rules, window files and
//!   requirement exports alike), named by its path;
//! - one `<testcase>` per finding, named `CODE rule-name: message`, with the file
//!   (`classname` and `file`) and the line; its full text (location, labels, notes,
//!   help) is the body of a `<failure type="CODE">` for an error, of a `<system-out>` for
//!   a warning or a note, so a dashboard shows errors as failed tests and never fails on
//!   warnings (they are passing tests that carry their text);
//! - a file without findings holds one passing `<testcase name="no findings">`, so no
//!   suite is empty (and a run without files gives one suite `opsplan` with one);
//! - every suite starts with `<properties>` holding `<property name="project_file">`:
//!   the project file that judged the inputs, or `none found` / `none (--no-config)`.
//!
//! The document is deterministic: no timestamps, no durations, no host names.
//! Text and attributes are escaped (`& < > " '`, and line breaks and tabs in attributes
//! as character references); characters XML 1.0 cannot carry become U+FFFD.

use super::sarif::clean_path;
use super::Location;
use crate::diag::{Diagnostic, Severity};
use crate::source::{FileId, SourceDb};
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;
use quick_xml::Writer;
use std::borrow::Cow;
use std::fmt::Write as _;

/// The JUnit document for a run's files and findings.
pub fn render(
    sources: &SourceDb,
    diags: &[Diagnostic],
    project: &crate::workspace::Project,
) -> String {
    let mut by_file: Vec<Vec<&Diagnostic>> = vec![Vec::new(); sources.len()];
    for d in diags {
        if let Some(list) = by_file.get_mut(d.primary.span.file.0 as usize) {
            list.push(d);
        }
    }
    let failures = |list: &[&Diagnostic]| {
        list.iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    };
    // A suite per file; `max(1)`: the passing testcase of a file without findings.
    let suites: Vec<(String, &[&Diagnostic])> = if sources.is_empty() {
        vec![("opsplan".to_string(), &[][..])]
    } else {
        sources
            .ids()
            .map(|id: FileId| {
                let path = clean_path(&super::display_path(sources, id));
                (path, by_file[id.0 as usize].as_slice())
            })
            .collect()
    };
    let total_tests: usize = suites.iter().map(|(_, l)| l.len().max(1)).sum();
    let total_failures: usize = suites.iter().map(|(_, l)| failures(l)).sum();

    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    ev(
        &mut w,
        Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)),
    );
    ev(
        &mut w,
        Event::Start(element(
            "testsuites",
            &[
                ("name", "opsplan".into()),
                ("tests", total_tests.to_string()),
                ("failures", total_failures.to_string()),
                ("errors", "0".into()),
                ("skipped", "0".into()),
            ],
        )),
    );
    for (path, list) in &suites {
        ev(
            &mut w,
            Event::Start(element(
                "testsuite",
                &[
                    ("name", path.clone()),
                    ("tests", list.len().max(1).to_string()),
                    ("failures", failures(list).to_string()),
                    ("errors", "0".into()),
                    ("skipped", "0".into()),
                ],
            )),
        );
        ev(&mut w, Event::Start(BytesStart::new("properties")));
        ev(
            &mut w,
            Event::Empty(element(
                "property",
                &[
                    ("name", "project_file".into()),
                    ("value", project.describe()),
                ],
            )),
        );
        ev(&mut w, Event::End(BytesEnd::new("properties")));
        if list.is_empty() {
            ev(
                &mut w,
                Event::Empty(element(
                    "testcase",
                    &[("name", "no findings".into()), ("classname", path.clone())],
                )),
            );
        }
        for d in list.iter() {
            let info = d.code.info();
            let loc = Location::of(sources, &d.primary);
            ev(
                &mut w,
                Event::Start(element(
                    "testcase",
                    &[
                        (
                            "name",
                            format!("{} {}: {}", info.code, info.name, d.message),
                        ),
                        ("classname", path.clone()),
                        ("file", path.clone()),
                        ("line", loc.line.to_string()),
                    ],
                )),
            );
            let body = text(sources, d);
            if d.severity == Severity::Error {
                ev(
                    &mut w,
                    Event::Start(element(
                        "failure",
                        &[("message", d.message.clone()), ("type", info.code.into())],
                    )),
                );
                ev(
                    &mut w,
                    Event::Text(BytesText::from_escaped(escape(&body, false))),
                );
                ev(&mut w, Event::End(BytesEnd::new("failure")));
            } else {
                ev(&mut w, Event::Start(BytesStart::new("system-out")));
                ev(
                    &mut w,
                    Event::Text(BytesText::from_escaped(escape(&body, false))),
                );
                ev(&mut w, Event::End(BytesEnd::new("system-out")));
            }
            ev(&mut w, Event::End(BytesEnd::new("testcase")));
        }
        ev(&mut w, Event::End(BytesEnd::new("testsuite")));
    }
    ev(&mut w, Event::End(BytesEnd::new("testsuites")));
    let mut s = String::from_utf8(w.into_inner()).unwrap_or_default();
    s.push('\n');
    s
}

/// Writes one event; writing into a `Vec` cannot fail.
fn ev(w: &mut Writer<Vec<u8>>, e: Event) {
    let _ = w.write_event(e);
}

/// An element start with escaped attribute values.
fn element(name: &'static str, attributes: &[(&'static str, String)]) -> BytesStart<'static> {
    let mut start = BytesStart::new(name);
    for (key, value) in attributes {
        start.push_attribute(Attribute {
            key: QName(key.as_bytes()),
            value: Cow::Owned(escape(value, true).into_bytes()),
        });
    }
    start
}

/// A finding as plain text, as the body of its testcase.
fn text(sources: &SourceDb, d: &Diagnostic) -> String {
    let info = d.code.info();
    let loc = Location::of(sources, &d.primary);
    let mut s = format!(
        "{}[{}]: {}\n  --> {}:{}:{}",
        d.severity.as_str(),
        info.code,
        d.message,
        clean_path(&loc.file),
        loc.line,
        loc.column
    );
    if !d.primary.message.is_empty() {
        let _ = write!(s, "\n  {}", d.primary.message);
    }
    for l in &d.secondary {
        let r = Location::of(sources, l);
        let _ = write!(
            s,
            "\n  related: {}:{}:{}: {}",
            clean_path(&r.file),
            r.line,
            r.column,
            l.message
        );
    }
    for note in &d.notes {
        let _ = write!(s, "\n  = note: {note}");
    }
    if let Some(help) = &d.help {
        let _ = write!(s, "\n  = help: {help}");
    }
    let _ = write!(
        s,
        "\n  = rule: {} ({}); see `opsplan rule {}`",
        info.name, info.code, info.code
    );
    s
}

/// XML 1.0 escaping. In attributes, tabs and line breaks become character references
/// (an XML parser would otherwise turn them into blanks). Characters XML 1.0 does not
/// allow at all become U+FFFD.
fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            // In text only `]]>` needs it.
            '>' if attribute || out.ends_with("]]") => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_the_xml_well_formed() {
        assert_eq!(
            escape("a<b & \"c\" 'd'\n\r\u{1}", true),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&#10;&#13;\u{FFFD}"
        );
        assert_eq!(escape("x > y\n\tz ]]>", false), "x > y\n\tz ]]&gt;");
    }

    #[test]
    fn no_files_still_gives_one_passing_testcase() {
        let xml = render(&SourceDb::new(), &[], &Default::default());
        assert!(xml.contains(r#"<testsuite name="opsplan" tests="1" failures="0""#));
        assert!(xml.contains(r#"<testcase name="no findings" classname="opsplan"/>"#));
    }
}
