//! JUnit XML result files (`evidence: junit:`): one [`Item`] per `<testcase>` that names
//! requirements, through a `<property>` (`<property name="requirements" value="R-1,
//! R-2"/>`, or the ids as the property's text) or through the `name-pattern` over
//! `classname::name`.
//!
//! Read as a stream (quick-xml): only the test case being read is held, so memory grows
//! with the test cases that name requirements, never with the file's nesting; entities
//! are never expanded (a DOCTYPE declaring one is refused). `<failure>` or `<error>`
//! makes the case failed, `<skipped>` not run, nothing passed. A file that is not
//! well-formed is one `Q009` at the line and column where it breaks, and none of its
//! test cases counts.

use super::{EvidenceKind, Item, NamedId, Outcome, Target};
use crate::diag::{Code, Diagnostic, Label};
use crate::source::{FileId, Span};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// How the test cases of a file name requirements.
#[derive(Debug, Clone)]
pub struct Naming<'a> {
    pub property: Option<&'a str>,
    pub pattern: Option<&'a regex::Regex>,
    pub fold: bool,
}

/// Elements deeper than this are refused (a JUnit file is four or five deep).
pub const MAX_DEPTH: usize = 256;

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn attr(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| crate::reqs::xhtml::decode_entities(&lossy(&a.value)))
}

/// The test case being read.
struct Case {
    name: String,
    span: Span,
    outcome: Outcome,
    message: Option<String>,
    ids: Vec<NamedId>,
    /// The property whose text is being read (`<property name="requirements">R-1</property>`).
    in_property: bool,
    /// The `<failure>`/`<error>`/`<skipped>` whose text is being read, without a message.
    in_result: bool,
    depth: usize,
}

/// Splits a list of ids (commas, semicolons, blanks).
pub fn split_ids(list: &str) -> impl Iterator<Item = &str> {
    list.split([',', ';', ' ', '\t', '\n', '\r'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn first_line(s: &str) -> String {
    let line = s.trim().lines().next().unwrap_or("").trim();
    if line.chars().count() > 200 {
        format!("{}…", line.chars().take(199).collect::<String>())
    } else {
        line.to_string()
    }
}

/// Reads a JUnit XML file already in the `SourceDb` (`file`, its `text`).
pub fn read(file: FileId, text: &str, naming: &Naming) -> (Vec<Item>, Vec<Diagnostic>) {
    let mut items = Vec::new();
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut depth = 0usize;
    // The elements open, where they start and their names (at most `MAX_DEPTH`).
    let mut open: Vec<(usize, String)> = Vec::new();
    let mut case: Option<Case> = None;
    let mut suite_names: Vec<(usize, String)> = Vec::new();
    let mut seen_root = false;
    let fail = |at: usize, message: String, help: &str| {
        let at = at.min(text.len());
        // The element's name, or one character.
        let rest = &text[at..];
        let len = match rest.strip_prefix('<') {
            Some(r) => {
                1 + r
                    .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                    .unwrap_or(r.len())
            }
            None => rest.chars().next().map_or(0, char::len_utf8),
        };
        let end = at + len;
        (
            Vec::new(),
            vec![Diagnostic::new(
                Code::InvalidEvidence,
                message,
                Label::new(Span::new(file, at..end), "here"),
            )
            .with_help(help.to_string())
            .with_note("no test case of this file counts as evidence")],
        )
    };
    loop {
        let before = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => return fail(
                reader.error_position() as usize,
                format!("the JUnit file is not well-formed XML: {e}"),
                "write the whole file again (a test run that was cut short leaves it truncated)",
            ),
        };
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let name = e.local_name();
            let name = name.as_ref();
            if !seen_root {
                seen_root = true;
                if name != b"testsuites" && name != b"testsuite" {
                    return fail(
                        before,
                        format!(
                            "not a JUnit result file: the root element is <{}>, not <testsuites> or <testsuite>",
                            lossy(name)
                        ),
                        "name the JUnit XML file the test runner writes",
                    );
                }
            }
            if depth >= MAX_DEPTH {
                return fail(
                    before,
                    format!(
                        "<{}> is nested more than {MAX_DEPTH} elements deep",
                        lossy(name)
                    ),
                    "a JUnit file is four or five elements deep",
                );
            }
            match name {
                b"testsuite" if case.is_none() => {
                    if let Some(n) = attr(e, b"name") {
                        suite_names.push((depth, n));
                    }
                }
                b"testcase" if case.is_none() => {
                    let Some(n) = attr(e, b"name").filter(|n| !n.trim().is_empty()) else {
                        return fail(
                            before,
                            "a <testcase> without a `name`".to_string(),
                            "every test case of a JUnit file has a name",
                        );
                    };
                    let class = attr(e, b"classname")
                        .filter(|c| !c.trim().is_empty())
                        .or_else(|| suite_names.last().map(|(_, s)| s.clone()));
                    let full = match class {
                        Some(c) => format!("{c}::{n}"),
                        None => n,
                    };
                    let span = Span::new(
                        file,
                        before..before + "<testcase".len().min(text.len() - before),
                    );
                    let mut c = Case {
                        name: full,
                        span,
                        outcome: Outcome::Passed,
                        message: None,
                        ids: Vec::new(),
                        in_property: false,
                        in_result: false,
                        depth,
                    };
                    if let Some(p) = naming.pattern {
                        for m in p.captures_iter(&c.name) {
                            let id = m.get(1).or_else(|| m.get(0)).map_or("", |g| g.as_str());
                            if !id.is_empty() {
                                c.ids.push(NamedId {
                                    id: id.to_string(),
                                    span,
                                    fold: naming.fold,
                                });
                            }
                        }
                    }
                    case = Some(c);
                }
                b"property" => {
                    if let (Some(c), Some(wanted)) = (case.as_mut(), naming.property) {
                        if attr(e, b"name").as_deref() == Some(wanted) {
                            match attr(e, b"value") {
                                Some(v) => {
                                    for id in split_ids(&v) {
                                        c.ids.push(NamedId {
                                            id: id.to_string(),
                                            span: c.span,
                                            fold: naming.fold,
                                        });
                                    }
                                }
                                None => c.in_property = !empty,
                            }
                        }
                    }
                }
                b"failure" | b"error" | b"skipped" => {
                    if let Some(c) = case.as_mut() {
                        let outcome = if name == b"skipped" {
                            Outcome::NotRun
                        } else {
                            Outcome::Failed
                        };
                        // A failure wins over a skip.
                        if c.outcome != Outcome::Failed {
                            c.outcome = outcome;
                            c.message = attr(e, b"message")
                                .map(|m| first_line(&m))
                                .filter(|m| !m.is_empty());
                            c.in_result = !empty && c.message.is_none();
                        }
                    }
                }
                _ => {}
            }
            if !empty {
                depth += 1;
                open.push((before, lossy(name)));
                continue;
            }
        }
        match event {
            Event::Text(t) => {
                if let Some(c) = case.as_mut() {
                    let t = lossy(t.as_ref());
                    if c.in_property {
                        for id in split_ids(&t) {
                            c.ids.push(NamedId {
                                id: id.to_string(),
                                span: c.span,
                                fold: naming.fold,
                            });
                        }
                    } else if c.in_result && !t.trim().is_empty() {
                        c.message = Some(first_line(&t));
                        c.in_result = false;
                    }
                }
            }
            Event::DocType(d) if lossy(d.as_ref()).contains("<!ENTITY") => {
                return fail(
                    before,
                    "the file has a DOCTYPE that declares entities; opsplan never expands them"
                        .to_string(),
                    "remove the DOCTYPE: JUnit files use none",
                );
            }
            Event::End(_) | Event::Empty(_) => {
                if matches!(event, Event::End(_)) {
                    depth = depth.saturating_sub(1);
                    open.pop();
                }
                if let Some(c) = case.as_mut() {
                    c.in_property = false;
                    c.in_result = false;
                }
                if case.as_ref().is_some_and(|c| c.depth == depth) {
                    let c = case.take().expect("checked");
                    if !c.ids.is_empty() {
                        items.push(Item {
                            kind: EvidenceKind::Test,
                            name: c.name,
                            outcome: c.outcome,
                            message: c.message,
                            span: c.span,
                            target: Target::Ids(c.ids),
                        });
                    }
                }
                while suite_names.last().is_some_and(|(d, _)| *d >= depth) {
                    suite_names.pop();
                }
            }
            Event::Eof => {
                if !seen_root {
                    return fail(
                        0,
                        "not a JUnit result file: it holds no XML element".to_string(),
                        "name the JUnit XML file the test runner writes",
                    );
                }
                if let Some((at, name)) = open.last() {
                    return fail(
                        *at,
                        format!("the JUnit file ends inside <{name}> (it is truncated)"),
                        "write the whole file again (a test run that was cut short leaves it truncated)",
                    );
                }
                break;
            }
            _ => {}
        }
    }
    (items, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naming(pattern: Option<&regex::Regex>) -> Naming<'_> {
        Naming {
            property: Some("requirements"),
            pattern,
            fold: false,
        }
    }

    const FILE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="qualification" tests="4">
    <testcase classname="ops_tor_q002" name="dangling_covers">
      <properties><property name="requirements" value="R-1, R-2"/></properties>
    </testcase>
    <testcase classname="ops_tor_q003" name="withdrawn">
      <properties><property name="requirements">R-3</property></properties>
      <failure message="expected Q003&#10;got nothing">assertion</failure>
    </testcase>
    <testcase classname="ops_tor_q004" name="duplicate">
      <skipped/>
      <properties><property name="requirements" value="R-4"/></properties>
    </testcase>
    <testcase name="unrelated"/>
    <testcase name="by_name_only" classname="ops_tor_q005"><error>panicked at src/x.rs</error></testcase>
  </testsuite>
</testsuites>
"#;

    #[test]
    fn test_cases_name_requirements_by_property_and_by_name() {
        let re = regex::Regex::new(r"(ops_tor_q00[5])::").unwrap();
        let (items, diags) = read(FileId(0), FILE, &naming(Some(&re)));
        assert!(diags.is_empty(), "{diags:?}");
        let got: Vec<(String, Outcome, Option<String>, Vec<String>)> = items
            .iter()
            .map(|i| {
                let Target::Ids(ids) = &i.target else {
                    panic!()
                };
                (
                    i.name.clone(),
                    i.outcome,
                    i.message.clone(),
                    ids.iter().map(|n| n.id.clone()).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "ops_tor_q002::dangling_covers".into(),
                    Outcome::Passed,
                    None,
                    vec!["R-1".into(), "R-2".into()]
                ),
                (
                    "ops_tor_q003::withdrawn".into(),
                    Outcome::Failed,
                    Some("expected Q003".into()),
                    vec!["R-3".into()]
                ),
                (
                    "ops_tor_q004::duplicate".into(),
                    Outcome::NotRun,
                    None,
                    vec!["R-4".into()]
                ),
                (
                    "ops_tor_q005::by_name_only".into(),
                    Outcome::Failed,
                    Some("panicked at src/x.rs".into()),
                    vec!["ops_tor_q005".into()]
                ),
            ]
        );
        assert_eq!(&FILE[items[0].span.start as usize..][..9], "<testcase");
    }

    #[test]
    fn a_truncated_or_foreign_file_is_one_located_finding_and_no_evidence() {
        let cut = &FILE[..FILE.find("</failure>").unwrap()];
        let (items, diags) = read(FileId(0), cut, &naming(None));
        assert!(items.is_empty());
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, Code::InvalidEvidence);
        let (items, diags) = read(FileId(0), "<html><body/></html>", &naming(None));
        assert!(items.is_empty() && diags[0].message.contains("<html>"));
        let bad = FILE.replace(
            "</testcase>\n    <testcase classname=\"ops_tor_q004\"",
            "</testcas>\n    <testcase classname=\"ops_tor_q004\"",
        );
        let (_, diags) = read(FileId(0), &bad, &naming(None));
        assert!(
            diags[0].message.contains("not well-formed"),
            "{}",
            diags[0].message
        );
        let deep = format!("<testsuites>{}", "<a>".repeat(100_000));
        let (_, diags) = read(FileId(0), &deep, &naming(None));
        assert!(
            diags[0].message.contains("nested more than"),
            "{}",
            diags[0].message
        );
    }
}
