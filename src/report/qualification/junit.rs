//! A minimal JUnit XML reader: each `<testcase>` with its outcome. Kept small and on its
//! own (the evidence module's reader will replace it).

use quick_xml::events::Event;
use quick_xml::Reader;

/// What a test case's run gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Passed,
    Failed,
    Skipped,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::Skipped => "skipped",
        }
    }
}

/// One `<testcase>`: its `name` (nextest: `module::test`), `classname` (the binary) and
/// outcome (a `<failure>` or `<error>` child: failed; `<skipped>`: skipped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCase {
    pub name: String,
    pub classname: String,
    pub outcome: Outcome,
}

/// The test cases of a JUnit file, in file order, or the line and reason it cannot be read.
pub fn read(text: &str) -> Result<Vec<TestCase>, String> {
    let mut reader = Reader::from_str(text);
    let mut cases: Vec<TestCase> = Vec::new();
    let mut open = false;
    let mut depth = 0usize;
    let line_at = |pos: u64| text[..(pos as usize).min(text.len())].matches('\n').count() + 1;
    loop {
        let before = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| format!("line {}: not well-formed XML: {e}", line_at(before)))?;
        let (e, empty) = match event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                if open {
                    if depth == 0 && e.name().as_ref() == b"testcase" {
                        open = false;
                    } else {
                        depth = depth.saturating_sub(1);
                    }
                }
                continue;
            }
            Event::DocType(_) => {
                return Err(format!(
                    "line {}: a DOCTYPE: JUnit files have none, and opsplan reads none",
                    line_at(before)
                ))
            }
            Event::Eof => break,
            _ => continue,
        };
        if e.name().as_ref() == b"testcase" {
            let attr = |key: &[u8]| {
                e.attributes()
                    .flatten()
                    .find(|a| a.key.as_ref() == key)
                    .map(|a| {
                        crate::reqs::xhtml::decode_entities(&String::from_utf8_lossy(&a.value))
                    })
            };
            let Some(name) = attr(b"name") else {
                return Err(format!(
                    "line {}: a <testcase> without a name",
                    line_at(before)
                ));
            };
            cases.push(TestCase {
                name,
                classname: attr(b"classname").unwrap_or_default(),
                outcome: Outcome::Passed,
            });
            open = !empty;
            depth = 0;
        } else if open {
            let outcome = match e.name().as_ref() {
                b"failure" | b"error" => Some(Outcome::Failed),
                b"skipped" => Some(Outcome::Skipped),
                _ => None,
            };
            if let (Some(o), Some(last)) = (outcome, cases.last_mut()) {
                if last.outcome != Outcome::Failed {
                    last.outcome = o;
                }
            }
            if !empty {
                depth += 1;
            }
        }
    }
    if cases.is_empty() {
        return Err("no <testcase> in the file".into());
    }
    Ok(cases)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nextest_junit_is_read() {
        let text = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="nextest-run" tests="3" failures="1" errors="0">
  <testsuite name="opsplan::qualification" tests="3">
    <testcase name="ops_tor_e001::finding_is_reported" classname="opsplan::qualification" time="0.01"/>
    <testcase name="ops_tor_e002::finding_is_reported" classname="opsplan::qualification" time="0.01">
      <failure type="test failure">assertion &lt;failed&gt;</failure>
      <system-out>x</system-out>
    </testcase>
    <testcase name="ops_tor_e003::finding_is_reported" classname="opsplan::qualification"><skipped/></testcase>
  </testsuite>
</testsuites>"#;
        let cases = read(text).unwrap();
        let got: Vec<(&str, Outcome)> =
            cases.iter().map(|c| (c.name.as_str(), c.outcome)).collect();
        assert_eq!(
            got,
            [
                ("ops_tor_e001::finding_is_reported", Outcome::Passed),
                ("ops_tor_e002::finding_is_reported", Outcome::Failed),
                ("ops_tor_e003::finding_is_reported", Outcome::Skipped),
            ]
        );
        assert_eq!(cases[0].classname, "opsplan::qualification");
    }

    #[test]
    fn malformed_junit_is_located() {
        let err = read("<testsuites>\n<testcase name=\"a\">\n</testsuite>").unwrap_err();
        assert!(err.starts_with("line 3:"), "{err}");
        assert_eq!(
            read("<testsuites/>").unwrap_err(),
            "no <testcase> in the file"
        );
    }
}
