//! `document:` in `opsplan.yaml`: the document control of the reports (docs/reports.md,
//! "Document control"): number, issue, revision, title, date, and who prepared, checked
//! and approved the document. Unknown keys and wrong types are errors at their line and
//! column, as everywhere in the project file; a date must be a calendar date
//! (`2014-10-03`), checked once the file is read (`Config::parse`) so the error points at
//! the date itself.

use serde::de::{self, Deserializer, Visitor};

/// The document control shown at the top of the traceability report.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentControl {
    /// The document number (`ATV-OPS-TR-0040`).
    #[serde(default, deserialize_with = "scalar")]
    pub number: Option<String>,
    /// The issue (`2`).
    #[serde(default, deserialize_with = "scalar")]
    pub issue: Option<String>,
    /// The revision within the issue (`A`, `1`).
    #[serde(default, deserialize_with = "scalar")]
    pub revision: Option<String>,
    /// The title (default: the report's own).
    #[serde(default, deserialize_with = "scalar")]
    pub title: Option<String>,
    /// The date of the issue (`2014-10-03`).
    #[serde(default, deserialize_with = "scalar")]
    pub date: Option<String>,
    pub prepared: Option<Signature>,
    pub checked: Option<Signature>,
    pub approved: Option<Signature>,
}

/// Who prepared, checked or approved the document, and when.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    #[serde(deserialize_with = "required_scalar")]
    pub name: String,
    #[serde(default, deserialize_with = "scalar")]
    pub date: Option<String>,
}

impl DocumentControl {
    /// True when nothing is set.
    pub fn is_empty(&self) -> bool {
        *self == DocumentControl::default()
    }

    /// The first date that is not a calendar date written `YYYY-MM-DD`: its key and value.
    pub fn bad_date(&self) -> Option<(&'static str, &str)> {
        let signatures = [&self.prepared, &self.checked, &self.approved];
        std::iter::once(self.date.as_deref())
            .chain(
                signatures
                    .iter()
                    .map(|s| s.as_ref().and_then(|s| s.date.as_deref())),
            )
            .flatten()
            .find(|d| !is_date(d))
            .map(|d| ("date", d))
    }
}

/// True for a calendar date written `YYYY-MM-DD`.
pub fn is_date(s: &str) -> bool {
    s.len() == 10 && s.parse::<jiff::civil::Date>().is_ok()
}

/// A text, a number or a boolean, as text (`issue: 2` is the issue "2").
struct ScalarVisitor;

impl Visitor<'_> for ScalarVisitor {
    type Value = String;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a text or a number")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.trim().to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
}

fn scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = d.deserialize_any(ScalarVisitor)?;
    Ok(Some(s).filter(|s| !s.is_empty()))
}

fn required_scalar<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = d.deserialize_any(ScalarVisitor)?;
    if s.is_empty() {
        return Err(de::Error::custom("the name is empty"));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::{Config, LoadError};
    use std::path::Path;

    fn parse(text: &str) -> Result<Config, LoadError> {
        Config::parse(Path::new("opsplan.yaml"), text)
    }

    #[test]
    fn every_key_reads_and_numbers_are_texts() {
        let c = parse(
            "document:\n  number: ATV-OPS-TR-0040\n  issue: 2\n  revision: A\n  title: Week 40\n  date: 2014-10-03\n  prepared: { name: P. Moreau, date: 2014-10-02 }\n  checked: { name: A. Ruiz }\n  approved:\n    name: K. Weber\n    date: 2014-10-03\n",
        )
        .unwrap();
        let d = c.document.unwrap();
        assert_eq!(d.number.as_deref(), Some("ATV-OPS-TR-0040"));
        assert_eq!(d.issue.as_deref(), Some("2"));
        assert_eq!(d.revision.as_deref(), Some("A"));
        assert_eq!(d.date.as_deref(), Some("2014-10-03"));
        assert_eq!(
            d.prepared,
            Some(Signature {
                name: "P. Moreau".into(),
                date: Some("2014-10-02".into())
            })
        );
        assert_eq!(d.checked.unwrap().date, None);
        assert_eq!(d.approved.unwrap().name, "K. Weber");
    }

    #[test]
    fn unknown_keys_bad_dates_and_missing_names_are_located() {
        for (text, line, wanted) in [
            ("document:\n  numbr: X\n", 2, "unknown field `numbr`"),
            (
                "document:\n  number: X\n  date: 03/10/2014\n",
                3,
                "document: date: `03/10/2014` is not a date",
            ),
            (
                "document:\n  number: X\n  checked: { name: A, date: 2014-02-30 }\n",
                3,
                "`2014-02-30` is not a date",
            ),
            (
                "document:\n  checked: { date: 2014-10-03 }\n",
                2,
                "missing field `name`",
            ),
            ("document:\n  prepared: P. Moreau\n", 2, "invalid type"),
        ] {
            match parse(text) {
                Err(LoadError::Config {
                    line: l, message, ..
                }) => {
                    assert_eq!(l, line, "{text}: {message}");
                    assert!(message.contains(wanted), "{text}: {message}");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }
}
