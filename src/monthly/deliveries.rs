//! The software-delivery log: the versions of the ground software (the SCOOP suite's
//! evolutions, the planning tools) delivered to operations, and the anomalies each closes.
//!
//! | column | aliases | |
//! |---|---|---|
//! | software | `Software`, `System`, `Product`, `Component` | optional |
//! | version | `Version`, `Release` | required; a (software, version) pair once |
//! | date | `Date`, `Delivered`, `Delivery date`, `Installed` | required: a date (or a time) |
//! | kind | `Kind`, `Type`, `Delivery type` | optional: `major`, `minor`, `patch`, `hotfix` |
//! | modules | `Modules`, `Module`, `Components`, `Scope` | optional: names separated by `;` or `,` |
//! | anomalies closed | `Anomalies closed`, `Anomalies`, `Closes`, `Fixes`, `ARs closed` | optional: anomaly ids separated by `;`, `,` or blanks |
//! | comment | `Comment`, `Comments`, `Remarks`, `Note`, `Description` | optional |
//!
//! With an anomaly register, [`check_closed`] holds the ids to it: an id it lacks is an
//! error at the cell ("did you mean"), an anomaly a delivery of the month (or before)
//! closes that the register still has open at month end is a warning.

use super::anomalies::{where_is, Anomaly};
use super::outages::system_key;
use super::table::{find_columns, Column, Table};
use super::{one_of, show_date, Loc, Month, Problem, ReadCtx};
use crate::time::Time;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryKind {
    Major,
    Minor,
    Patch,
    Hotfix,
}

impl DeliveryKind {
    pub const NAMES: [&'static str; 4] = ["major", "minor", "patch", "hotfix"];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// `major` (or `release`), `minor` (or `evolution`), `patch` (or `fix`, `bugfix`,
    /// `maintenance`), `hotfix` (or `hot fix`, `emergency`); case, blanks and
    /// punctuation ignored.
    pub fn parse(text: &str) -> Option<DeliveryKind> {
        match super::norm(text).as_str() {
            "major" | "release" | "majorrelease" => Some(DeliveryKind::Major),
            "minor" | "evolution" | "minorrelease" => Some(DeliveryKind::Minor),
            "patch" | "fix" | "bugfix" | "maintenance" => Some(DeliveryKind::Patch),
            "hotfix" | "emergency" | "emergencyfix" => Some(DeliveryKind::Hotfix),
            _ => None,
        }
    }
}

/// One row of the log.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    /// As written (empty when the log has no software column or the cell is empty).
    pub software: String,
    pub version: String,
    /// The day delivered (the instant the cell gives; the report shows its date).
    pub date: Time,
    pub kind: Option<DeliveryKind>,
    /// In the order written.
    pub modules: Vec<String>,
    /// Anomaly ids, in the order written, each once.
    pub anomalies: Vec<String>,
    pub comment: String,
    pub loc: Loc,
    /// Where the anomalies cell is (an id the register lacks is an error there).
    pub anomalies_loc: Loc,
    /// The row has no problem of its own. A row with one is still held to the anomaly
    /// register (so a wrong id is reported in the same run), never shown; its unreadable
    /// fields hold placeholders.
    pub ok: bool,
}

impl Delivery {
    /// `SCOOP 5.3.1`, or the version alone.
    pub fn name(&self) -> String {
        if self.software.is_empty() {
            self.version.clone()
        } else {
            format!("{} {}", self.software, self.version)
        }
    }
}

const COLUMNS: &[Column] = &[
    Column {
        name: "software",
        aliases: &["software", "system", "product", "component"],
        required: false,
    },
    Column {
        name: "version",
        aliases: &["version", "release", "software version"],
        required: true,
    },
    Column {
        name: "date",
        aliases: &[
            "date",
            "delivered",
            "delivery date",
            "date delivered",
            "installed",
            "delivered on",
        ],
        required: true,
    },
    Column {
        name: "kind",
        aliases: &["kind", "type", "delivery type", "delivery kind"],
        required: false,
    },
    Column {
        name: "modules",
        aliases: &["modules", "module", "components", "scope"],
        required: false,
    },
    Column {
        name: "anomalies closed",
        aliases: &[
            "anomalies closed",
            "anomalies",
            "closes",
            "fixes",
            "ars closed",
            "closed anomalies",
        ],
        required: false,
    },
    Column {
        name: "comment",
        aliases: &["comment", "comments", "remarks", "note", "description"],
        required: false,
    },
];

/// Reads the log (ISO and day-of-year dates only). See [`read_with`].
pub fn read(table: &Table) -> (Vec<Delivery>, Vec<Problem>) {
    read_with(table, &ReadCtx::default())
}

/// Reads the log. Every problem of a row is reported (an empty version, a date that is
/// not one or not plausible, an unknown kind, a (software, version) pair listed twice,
/// naming the first); a row with one comes back with `ok: false`. The deliveries outside
/// the month are one note (how many, the first located). Sorted by date, software,
/// version.
pub fn read_with(table: &Table, ctx: &ReadCtx) -> (Vec<Delivery>, Vec<Problem>) {
    let cols = match find_columns(table, COLUMNS) {
        Ok(c) => c,
        Err(p) => return (Vec::new(), vec![p]),
    };
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut seen: BTreeMap<(String, String), Loc> = BTreeMap::new();
    for row in table.rows.iter().skip(1) {
        let before = problems.len();
        let software = row.text(cols[0]).to_string();
        let version = row.text(cols[1]).to_string();
        if version.is_empty() {
            problems.push(Problem::error(
                row.loc(cols[1]),
                "the version is empty: every delivery names the version delivered",
            ));
        } else {
            let key = (system_key(&software), version.to_lowercase());
            let name = if software.is_empty() {
                format!("version `{version}`")
            } else {
                format!("`{software} {version}`")
            };
            match seen.get(&key) {
                Some(first) => problems.push(Problem::error(
                    row.loc(cols[1]),
                    format!(
                        "delivery {name} is listed twice (first {})",
                        where_is(first)
                    ),
                )),
                None => {
                    seen.insert(key, row.loc(cols[1]));
                }
            }
        }
        let date = ctx.cell_time(row, cols[2], "date", &mut problems);
        let kind_text = row.text(cols[3]);
        let kind = if kind_text.is_empty() {
            None
        } else {
            let k = DeliveryKind::parse(kind_text);
            if k.is_none() {
                problems.push(Problem::error(
                    row.loc(cols[3]),
                    format!(
                        "unknown delivery kind `{kind_text}`: the kinds are {}",
                        one_of(&DeliveryKind::NAMES)
                    ),
                ));
            }
            k
        };
        let modules: Vec<String> = row
            .text(cols[4])
            .split([';', ',', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let mut anomalies: Vec<String> = Vec::new();
        for id in row
            .text(cols[5])
            .split([';', ',', ' ', '\n', '\t'])
            .filter(|s| !s.is_empty())
        {
            if !anomalies.iter().any(|a| a == id) {
                anomalies.push(id.to_string());
            }
        }
        out.push(Delivery {
            software,
            version,
            date: date.unwrap_or(Time(0)),
            kind,
            modules,
            anomalies,
            comment: row.text(cols[6]).to_string(),
            loc: row.loc(cols[2]),
            anomalies_loc: row.loc(cols[5]),
            ok: problems.len() == before,
        });
    }
    if let Some(m) = ctx.month {
        let outside: Vec<&Delivery> = out.iter().filter(|d| d.ok && !m.contains(d.date)).collect();
        if let Some(d) = outside.first() {
            let n = outside.len();
            problems.push(Problem::note(
                d.loc.clone(),
                format!(
                    "{n} deliver{} of the log {} outside {} and {} not counted (the first here: {}, {})",
                    if n == 1 { "y" } else { "ies" },
                    if n == 1 { "is" } else { "are" },
                    m.label(),
                    if n == 1 { "is" } else { "are" },
                    d.name(),
                    show_date(d.date)
                ),
            ));
        }
    }
    out.sort_by(|a, b| {
        (a.date, system_key(&a.software), &a.version).cmp(&(
            b.date,
            system_key(&b.software),
            &b.version,
        ))
    });
    (out, problems)
}

/// Holds the anomalies the deliveries close to the register: an id it does not hold is
/// an error at the delivery's anomalies cell (with "did you mean" when one is close); an
/// anomaly closed by a delivery dated before the end of `month` that the register still
/// has open at month end is a warning there.
pub fn check_closed(
    deliveries: &[Delivery],
    register: &[Anomaly],
    month: Option<Month>,
) -> Vec<Problem> {
    let by_id: BTreeMap<&str, &Anomaly> = register.iter().map(|a| (a.id.as_str(), a)).collect();
    let unknown: BTreeSet<&str> = deliveries
        .iter()
        .flat_map(|d| d.anomalies.iter())
        .map(String::as_str)
        .filter(|id| !by_id.contains_key(id))
        .collect();
    let unknown: Vec<&str> = unknown.into_iter().collect();
    let hints: BTreeMap<&str, String> = unknown
        .iter()
        .zip(crate::diag::Suggester::new(by_id.keys().copied().collect()).suggest_all(&unknown))
        .filter_map(|(q, s)| Some((*q, s?.did_you_mean())))
        .collect();
    let mut problems = Vec::new();
    for d in deliveries {
        for id in &d.anomalies {
            match by_id.get(id.as_str()) {
                None => problems.push(Problem::error(
                    d.anomalies_loc.clone(),
                    format!(
                        "anomaly `{id}` is not in the anomaly register{}",
                        hints
                            .get(id.as_str())
                            .map(|h| format!("; {h}"))
                            .unwrap_or_default()
                    ),
                )),
                Some(a) => {
                    let Some(m) = month else { continue };
                    let end = m.end();
                    if d.ok && d.date < end && a.closed.is_none_or(|c| c >= end) {
                        problems.push(Problem::warning(
                            d.anomalies_loc.clone(),
                            format!(
                                "{} ({}) closes anomaly `{id}`, which the anomaly register still has open at the end of {}",
                                d.name(),
                                show_date(d.date),
                                m.label()
                            ),
                        ));
                    }
                }
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monthly::parse_time;
    use crate::monthly::table::test_support::{csv, october_ctx as ctx, OCT};

    fn rendered(probs: &[Problem]) -> Vec<String> {
        probs.iter().map(|p| p.render("d.csv")).collect()
    }

    #[test]
    fn rows_are_read_with_aliases_lists_and_kinds() {
        let t = csv("Product ,RELEASE,Delivery date,Type,Module,ARs closed,Remarks\n\
             SCOOP,5.3.1,2014-10-08,Patch,\"CDM ingestion; Orbit determination\",\"AR-1, AR-2 AR-1\",restart\n\
             STP export,2.7.3,2014/274,hot fix,,,\n");
        let (d, probs) = read_with(&t, &ctx());
        assert!(probs.is_empty(), "{probs:?}");
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].name(), "STP export 2.7.3");
        assert_eq!(d[0].kind, Some(DeliveryKind::Hotfix));
        assert_eq!(d[0].date, parse_time("2014-10-01").unwrap());
        assert_eq!(d[1].software, "SCOOP");
        assert_eq!(d[1].kind, Some(DeliveryKind::Patch));
        assert_eq!(d[1].modules, vec!["CDM ingestion", "Orbit determination"]);
        assert_eq!(d[1].anomalies, vec!["AR-1", "AR-2"], "each id once");
        assert_eq!(d[1].comment, "restart");
        assert_eq!(d[1].anomalies_loc, Loc::LineCol(2, 67));
        assert!(d.iter().all(|d| d.ok));
    }

    #[test]
    fn bad_rows_are_located_and_all_reported() {
        let t = csv("Software,Version,Date,Kind\n\
             SCOOP,5.3.1,2014-10-08,patch\n\
             SCOOP,,2014-10-09,patch\n\
             SCOOP,5.4.0,2014-10-32,minor\n\
             SCOOP,5.4.1,2014-10-30,sometimes\n\
             scoop ,5.3.1,2014-10-20,patch\n\
             SCOOP,6.0,2114-10-20,major\n");
        let (d, probs) = read_with(&t, &ctx());
        let msgs = rendered(&probs);
        assert_eq!(msgs.len(), 5, "{msgs:#?}");
        assert_eq!(
            msgs[0],
            "d.csv:3:7: error: the version is empty: every delivery names the version delivered"
        );
        assert!(
            msgs[1].starts_with("d.csv:4:13: error: date: `2014-10-32` is not a time"),
            "{msgs:#?}"
        );
        assert!(
            msgs[2].starts_with("d.csv:5:24: error: unknown delivery kind `sometimes`: the kinds are `major`, `minor`, `patch` or `hotfix`"),
            "{msgs:#?}"
        );
        assert_eq!(
            msgs[3],
            "d.csv:6:8: error: delivery `scoop 5.3.1` is listed twice (first at line 2, column 7)"
        );
        assert!(
            msgs[4].starts_with("d.csv:7:11: error: date `2114-10-20` is after the report is made"),
            "{msgs:#?}"
        );
        assert_eq!(d.iter().filter(|d| d.ok).count(), 1);
    }

    #[test]
    fn deliveries_outside_the_month_are_one_note() {
        let t = csv("Software,Version,Date\n\
             SCOOP,5.2.0,2014-06-02\n\
             SCOOP,5.3.0,2014-09-17\n\
             SCOOP,5.3.1,2014-10-08\n\
             SCOOP,5.4.0,2014-10-31T23:59:59Z\n\
             SCOOP,5.4.1,2014-11-01\n");
        let (d, probs) = read_with(&t, &ctx());
        assert_eq!(d.len(), 5);
        assert_eq!(
            rendered(&probs),
            vec!["d.csv:2:13: note: 3 deliveries of the log are outside October 2014 and are not counted (the first here: SCOOP 5.2.0, 2014-06-02)"]
        );
        assert_eq!(d.iter().filter(|d| OCT.contains(d.date)).count(), 2);
    }

    #[test]
    fn a_log_without_a_version_column_is_an_error() {
        let (d, probs) = read(&csv("Software,Date\nSCOOP,2014-10-08\n"));
        assert!(d.is_empty());
        assert!(
            probs[0].message.contains("no `version` column"),
            "{probs:?}"
        );
    }

    fn anomaly(id: &str, closed: Option<&str>) -> Anomaly {
        Anomaly {
            id: id.into(),
            opened: parse_time("2014-09-01").unwrap(),
            closed: closed.map(|c| parse_time(c).unwrap()),
            severity: crate::monthly::anomalies::Severity::Major,
            title: format!("title of {id}"),
            activity: None,
            loc: Loc::LineCol(2, 1),
        }
    }

    #[test]
    fn closed_anomalies_are_held_to_the_register() {
        let t = csv("Software,Version,Date,Anomalies closed\n\
             SCOOP,5.3.1,2014-10-08,AR-ATV5-0155\n\
             SCOOP,5.4.0,2014-10-22,AR-ATV5-0515 AR-ATV5-0169\n\
             SCOOP,5.4.1,2014-11-02,AR-ATV5-0169\n\
             SCOOP,,2014-10-23,AR-9\n");
        let (d, _) = read_with(&t, &ctx());
        let register = vec![
            anomaly("AR-ATV5-0155", Some("2014-10-14")),
            anomaly("AR-ATV5-0169", None),
        ];
        let msgs = rendered(&check_closed(&d, &register, Some(OCT)));
        assert_eq!(
            msgs,
            vec![
                "d.csv:3:24: error: anomaly `AR-ATV5-0515` is not in the anomaly register; did you mean `AR-ATV5-0155`?",
                "d.csv:3:24: warning: SCOOP 5.4.0 (2014-10-22) closes anomaly `AR-ATV5-0169`, which the anomaly register still has open at the end of October 2014",
                // A row with a problem of its own is still held to the register.
                "d.csv:5:19: error: anomaly `AR-9` is not in the anomaly register",
            ],
            "the November delivery may close what is open at the end of October"
        );
    }
}
