//! The on-call log: one row per call-out of an on-call engineer (who was called, for
//! which duty, when, how fast they answered, why).
//!
//! | column | aliases | |
//! |---|---|---|
//! | called | `Called`, `Called (UTC)`, `Called at`, `Call time`, `Time`, `Date`, `Alerted`, `Paged` | required: a date and time |
//! | person | `Person`, `Engineer`, `Called person`, `On call`, `Name`, `Who` | required: the roster's person id or full name |
//! | duty | `Duty`, `On-call duty`, `Rota` | required: the roster's duty |
//! | answered | `Answered`, `Answered (UTC)`, `Answered at`, `Arrived`, `Responded`, `On console` | a time, not before `called` |
//! | response | `Response`, `Response (min)`, `Response time`, `Minutes` | minutes (`25`, `25 min`) or a duration (`1h05m`) |
//! | reason | `Reason`, `Cause`, `Why`, `Description` | optional |
//! | anomaly | `Anomaly`, `Anomaly ID`, `AR` | optional: an id of the anomaly register |
//!
//! Every row gives `answered` or `response` (both: they agree within a minute).
//! [`read_with`] reads the rows; [`check_anomalies`] holds the anomaly ids to the
//! register; [`judge`] holds each call-out of the month to the roster that speaks for
//! its time (the person and duty known, the person on call for the duty then, the
//! response against the duty's `response`).

use super::anomalies::{where_is, Anomaly};
use super::table::{find_columns, Column, Table};
use super::{norm, show_time, Loc, Problem, ReadCtx};
use crate::model::staffing::period::Period;
use crate::model::staffing::Staffing;
use crate::model::Model;
use crate::time::{Dur, Time};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One row of the log.
#[derive(Debug, Clone, PartialEq)]
pub struct CallOut {
    pub called: Time,
    /// As written.
    pub person: String,
    pub duty: String,
    /// From `called` to the answer (`None` on a row with a problem).
    pub response: Option<Dur>,
    pub reason: String,
    pub anomaly: Option<String>,
    /// The `called` cell.
    pub loc: Loc,
    pub person_loc: Loc,
    pub duty_loc: Loc,
    pub anomaly_loc: Loc,
    /// The row has no problem of its own (else never counted; its anomaly id is still
    /// held to the register).
    pub ok: bool,
}

const COLUMNS: &[Column] = &[
    Column {
        name: "called",
        aliases: &[
            "called",
            "called (utc)",
            "called at",
            "call time",
            "call time (utc)",
            "time called",
            "time",
            "date",
            "alerted",
            "paged",
        ],
        required: true,
    },
    Column {
        name: "person",
        aliases: &[
            "person",
            "engineer",
            "called person",
            "person called",
            "on call",
            "name",
            "who",
        ],
        required: true,
    },
    Column {
        name: "duty",
        aliases: &["duty", "on-call duty", "oncall duty", "rota"],
        required: true,
    },
    Column {
        name: "answered",
        aliases: &[
            "answered",
            "answered (utc)",
            "answered at",
            "arrived",
            "arrived (utc)",
            "responded",
            "on console",
            "time answered",
        ],
        required: false,
    },
    Column {
        name: "response",
        aliases: &[
            "response",
            "response (min)",
            "response min",
            "response time",
            "response minutes",
            "minutes",
        ],
        required: false,
    },
    Column {
        name: "reason",
        aliases: &["reason", "cause", "why", "description"],
        required: false,
    },
    Column {
        name: "anomaly",
        aliases: &["anomaly", "anomaly id", "ar", "anomaly report"],
        required: false,
    },
];

/// `25`, `25.5`, `25 min`, `25 minutes` (minutes) or a duration (`25m`, `1h05m`).
fn parse_response(text: &str) -> Option<Dur> {
    let t = text.trim();
    let number = t
        .strip_suffix("minutes")
        .or_else(|| t.strip_suffix("mins"))
        .or_else(|| t.strip_suffix("min"))
        .unwrap_or(t)
        .trim();
    if let Ok(m) = number.parse::<f64>() {
        return (m.is_finite() && (0.0..1.0e6).contains(&m))
            .then(|| Dur((m * 60.0).round() as i64));
    }
    Dur::parse(t).ok().filter(|d| d.0 >= 0)
}

/// `25 min`, `1 h 05 min`
pub fn show_minutes(d: Dur) -> String {
    super::show_dur(d)
}

/// Reads the log. Every problem of a row is reported (a time that is not one or not
/// plausible, an empty person or duty, an answer before the call, a response that is not
/// one, neither answer nor response, the two disagreeing, a call-out listed twice); a
/// row with one comes back with `ok: false`. The call-outs outside the month are one
/// note. Sorted by time called, then person.
pub fn read_with(table: &Table, ctx: &ReadCtx) -> (Vec<CallOut>, Vec<Problem>) {
    let cols = match find_columns(table, COLUMNS) {
        Ok(c) => c,
        Err(p) => return (Vec::new(), vec![p]),
    };
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut seen: BTreeMap<(Time, String, String), Loc> = BTreeMap::new();
    for row in table.rows.iter().skip(1) {
        let before = problems.len();
        let called = ctx.cell_time(row, cols[0], "called", &mut problems);
        let person = row.text(cols[1]).to_string();
        let duty = row.text(cols[2]).to_string();
        for (col, text, what) in [(cols[1], &person, "person"), (cols[2], &duty, "duty")] {
            if text.is_empty() {
                problems.push(Problem::error(
                    row.loc(col),
                    format!("the {what} is empty: every call-out names the {what} called"),
                ));
            }
        }
        let answered_text = row.text(cols[3]);
        let answered = if answered_text.is_empty() {
            None
        } else {
            ctx.cell_time(row, cols[3], "answered", &mut problems)
        };
        let response_text = row.text(cols[4]);
        let given = if response_text.is_empty() {
            None
        } else {
            let r = parse_response(response_text);
            if r.is_none() {
                problems.push(Problem::error(
                    row.loc(cols[4]),
                    format!(
                        "response `{response_text}` is not a number of minutes: write 25 (minutes) or a duration such as 25m or 1h05m"
                    ),
                ));
            }
            r
        };
        let mut response = None;
        if let (Some(c), Some(a)) = (called, answered) {
            if a < c {
                problems.push(Problem::error(
                    row.loc(cols[3]),
                    format!(
                        "answered {} before the call ({})",
                        show_time(a),
                        show_time(c)
                    ),
                ));
            } else {
                response = Some(Dur(a.0 - c.0));
            }
        }
        match (response, given) {
            (Some(r), Some(g)) if (r.0 - g.0).abs() > 60 => problems.push(Problem::error(
                row.loc(cols[4]),
                format!(
                    "response {} does not agree with the call and the answer ({}, from {} to {})",
                    show_minutes(g),
                    show_minutes(r),
                    called.map(show_time).unwrap_or_default(),
                    answered.map(show_time).unwrap_or_default()
                ),
            )),
            (None, Some(g)) => response = Some(g),
            _ => {}
        }
        if answered_text.is_empty() && response_text.is_empty() {
            problems.push(Problem::error(
                row.loc(cols[3].or(cols[4]).or(cols[0])),
                "no answer: give the time answered or the response in minutes (a call-out never answered is an anomaly to record, with its response)",
            ));
        }
        let anomaly = Some(row.text(cols[6]).trim().to_string()).filter(|a| !a.is_empty());
        if let Some(c) = called {
            if !person.is_empty() && !duty.is_empty() {
                let key = (c, norm(&person), norm(&duty));
                match seen.get(&key) {
                    Some(first) => problems.push(Problem::error(
                        row.loc(cols[0]),
                        format!(
                            "the call-out of {person} for {duty} at {} is listed twice (first {})",
                            show_time(c),
                            where_is(first)
                        ),
                    )),
                    None => {
                        seen.insert(key, row.loc(cols[0]));
                    }
                }
            }
        }
        out.push(CallOut {
            called: called.unwrap_or(Time(0)),
            person,
            duty,
            response,
            reason: row.text(cols[5]).to_string(),
            anomaly,
            loc: row.loc(cols[0]),
            person_loc: row.loc(cols[1]),
            duty_loc: row.loc(cols[2]),
            anomaly_loc: row.loc(cols[6]),
            ok: problems.len() == before,
        });
    }
    if let Some(m) = ctx.month {
        let outside: Vec<&CallOut> = out
            .iter()
            .filter(|c| c.ok && !m.contains(c.called))
            .collect();
        if let Some(c) = outside.first() {
            let n = outside.len();
            problems.push(Problem::note(
                c.loc.clone(),
                format!(
                    "{n} call-out{} of the log {} outside {} and {} not counted (the first here: {}, {})",
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "is" } else { "are" },
                    m.label(),
                    if n == 1 { "is" } else { "are" },
                    c.person,
                    show_time(c.called)
                ),
            ));
        }
    }
    out.sort_by(|a, b| (a.called, &a.person).cmp(&(b.called, &b.person)));
    (out, problems)
}

/// Holds the call-outs' anomaly ids to the register: an id it does not hold is an error
/// at its cell, with "did you mean" when one is close.
pub fn check_anomalies(calls: &[CallOut], register: &[Anomaly]) -> Vec<Problem> {
    let ids: BTreeSet<&str> = register.iter().map(|a| a.id.as_str()).collect();
    let unknown: Vec<&str> = calls
        .iter()
        .filter_map(|c| c.anomaly.as_deref())
        .filter(|id| !ids.contains(id))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let hints: BTreeMap<&str, String> = unknown
        .iter()
        .zip(crate::diag::Suggester::new(ids.iter().copied().collect()).suggest_all(&unknown))
        .filter_map(|(q, s)| Some((*q, s?.did_you_mean())))
        .collect();
    calls
        .iter()
        .filter_map(|c| {
            let id = c.anomaly.as_deref()?;
            (!ids.contains(id)).then(|| {
                Problem::error(
                    c.anomaly_loc.clone(),
                    format!(
                        "anomaly `{id}` is not in the anomaly register{}",
                        hints.get(id).map(|h| format!("; {h}")).unwrap_or_default()
                    ),
                )
            })
        })
        .collect()
}

/// A call-out of the month held to its roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judged {
    /// Index into the log's call-outs.
    pub call: usize,
    /// The roster that speaks for its time (index into [`Model::staffing`]); `None`: no
    /// roster does, nothing below is known.
    pub roster: Option<usize>,
    /// The person's id (as written when unknown).
    pub person: String,
    /// `Anne Dubois`, when the roster names them.
    pub person_name: Option<String>,
    /// The duty's name (as written when unknown).
    pub duty: String,
    /// The person was on call for the duty then (`None`: not known).
    pub on_call: Option<bool>,
    /// The duty's `response`.
    pub limit: Option<Dur>,
    /// The response was longer than the limit.
    pub late: bool,
}

/// Each well-formed call-out of the month (`period`'s range) held to the roster that
/// speaks for its time: an unknown person or duty is an error at its cell ("did you
/// mean"), a person not on call for the duty then a warning; call-outs at times no roster
/// covers are one note. By time called.
pub fn judge(calls: &[CallOut], model: &Model, period: &Period) -> (Vec<Judged>, Vec<Problem>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut uncovered: Vec<&CallOut> = Vec::new();
    let range = period.range;
    // Per roster, built once: its people and duties by normalised id and name, and the
    // "did you mean" indexes.
    let mut names: BTreeMap<usize, Names> = BTreeMap::new();
    for (i, c) in calls.iter().enumerate() {
        if !c.ok || c.called < range.start || c.called >= range.end {
            continue;
        }
        let Some(r) = period.roster_at(c.called) else {
            uncovered.push(c);
            out.push(Judged {
                call: i,
                roster: None,
                person: c.person.clone(),
                person_name: None,
                duty: c.duty.clone(),
                on_call: None,
                limit: None,
                late: false,
            });
            continue;
        };
        let s = &model.staffing[r];
        let n = names.entry(r).or_insert_with(|| Names::of(s));
        let person = find(&s.person_index, &n.people, &c.person);
        let duty = find(&s.duty_index, &n.duties, &c.duty);
        if person.is_none() {
            problems.push(Problem::error(
                c.person_loc.clone(),
                format!(
                    "`{}` is not a person of roster {}, which staffs {}{}",
                    c.person,
                    s.id.value,
                    show_time(c.called),
                    hint(&n.person_ids, &c.person)
                ),
            ));
        }
        if duty.is_none() {
            problems.push(Problem::error(
                c.duty_loc.clone(),
                format!(
                    "`{}` is not an on-call duty of roster {}{}",
                    c.duty,
                    s.id.value,
                    if s.duties.is_empty() {
                        ", which declares none".to_string()
                    } else {
                        hint(&n.duty_names, &c.duty)
                    }
                ),
            ));
        }
        let on_call = match (person, duty) {
            (Some(p), Some(d)) => {
                let holders = s.on_call_at(d, c.called);
                let yes = holders.iter().any(|(h, _)| *h == p);
                if !yes {
                    let mut who: Vec<&str> = holders
                        .iter()
                        .map(|(h, _)| s.people[*h].id.value.as_str())
                        .collect();
                    who.dedup();
                    problems.push(Problem::warning(
                        c.person_loc.clone(),
                        format!(
                            "{} was not on call for {} at {} (roster {}: {})",
                            s.people[p].id.value,
                            s.duties[d].name.value,
                            show_time(c.called),
                            s.id.value,
                            if who.is_empty() {
                                "nobody was".to_string()
                            } else {
                                format!("{} was", who.join(", "))
                            }
                        ),
                    ));
                }
                Some(yes)
            }
            _ => None,
        };
        let limit = duty.and_then(|d| s.duties[d].response.map(|r| r.value));
        out.push(Judged {
            call: i,
            roster: Some(r),
            person: person.map_or_else(|| c.person.clone(), |p| s.people[p].id.value.clone()),
            person_name: person.and_then(|p| s.people[p].name.clone()),
            duty: duty.map_or_else(|| c.duty.clone(), |d| s.duties[d].name.value.clone()),
            on_call,
            late: matches!((c.response, limit), (Some(r), Some(l)) if r > l),
            limit,
        });
    }
    if let Some(first) = uncovered.first() {
        let n = uncovered.len();
        problems.push(Problem::note(
            first.loc.clone(),
            format!(
                "{n} call-out{} of the month {} at times no roster covers (the first here: {}, {}): who was on call and the response each duty asks cannot be checked, and {} in no on-call KPI",
                if n == 1 { "" } else { "s" },
                if n == 1 { "is" } else { "are" },
                first.person,
                show_time(first.called),
                if n == 1 { "it is" } else { "they are" }
            ),
        ));
    }
    (out, problems)
}

/// A roster's names, indexed once for the call-outs of its days.
struct Names<'a> {
    /// Normalised id and full name → person.
    people: HashMap<String, usize>,
    /// Normalised name and title → duty.
    duties: HashMap<String, usize>,
    person_ids: crate::diag::Suggester<'a>,
    duty_names: crate::diag::Suggester<'a>,
}

impl<'a> Names<'a> {
    fn of(s: &'a Staffing) -> Names<'a> {
        let mut people = HashMap::new();
        for (i, p) in s.people.iter().enumerate().rev() {
            if let Some(n) = &p.name {
                people.insert(norm(n), i);
            }
        }
        // Ids win over names.
        for (i, p) in s.people.iter().enumerate().rev() {
            people.insert(norm(&p.id.value), i);
        }
        let mut duties = HashMap::new();
        for (i, d) in s.duties.iter().enumerate().rev() {
            if let Some(t) = &d.title {
                duties.insert(norm(t), i);
            }
        }
        for (i, d) in s.duties.iter().enumerate().rev() {
            duties.insert(norm(&d.name.value), i);
        }
        Names {
            people,
            duties,
            person_ids: crate::diag::Suggester::new(
                s.people.iter().map(|p| p.id.value.as_str()).collect(),
            ),
            duty_names: crate::diag::Suggester::new(
                s.duties.iter().map(|d| d.name.value.as_str()).collect(),
            ),
        }
    }
}

/// A person or duty written as its id exactly, else as its id, full name or title
/// (case, blanks and punctuation ignored).
fn find(
    exact: &rustc_hash::FxHashMap<String, usize>,
    loose: &HashMap<String, usize>,
    text: &str,
) -> Option<usize> {
    exact.get(text).or_else(|| loose.get(&norm(text))).copied()
}

/// `; did you mean `X`?` or nothing.
fn hint(names: &crate::diag::Suggester<'_>, text: &str) -> String {
    names
        .suggest(text)
        .map(|s| format!("; {}", s.did_you_mean()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monthly::parse_time;
    use crate::monthly::table::test_support::{csv, october_ctx as ctx};

    fn rendered(probs: &[Problem]) -> Vec<String> {
        probs.iter().map(|p| p.render("o.csv")).collect()
    }

    #[test]
    fn responses_are_read_from_the_answer_or_in_minutes() {
        let t = csv("Call time,Engineer,Duty,Answered,Response (min),Cause,AR\n\
             2014-10-08 03:10,BMOREAU,OPS-ONCALL,2014-10-08 03:32,,CDM,\n\
             2014/282 01:00,ADUBOIS,OPS-ONCALL,,12.5,Artemis dropout,AR-ATV5-0131\n\
             2014-10-12 22:00,CLAURENT,OPS-ONCALL,2014-10-12 22:20,20 min,,\n\
             2014-10-13 22:00,CLAURENT,OPS-ONCALL,,1h05m,,\n");
        let (c, probs) = read_with(&t, &ctx());
        assert!(probs.is_empty(), "{probs:?}");
        let mins: Vec<i64> = c.iter().map(|c| c.response.unwrap().0).collect();
        assert_eq!(mins, vec![22 * 60, 750, 20 * 60, 65 * 60]);
        assert_eq!(c[1].anomaly.as_deref(), Some("AR-ATV5-0131"));
        assert_eq!(c[1].reason, "Artemis dropout");
        assert_eq!(c[1].anomaly_loc, Loc::LineCol(3, 57));
    }

    #[test]
    fn bad_rows_are_located_and_all_reported() {
        let t = csv("Called,Person,Duty,Answered,Response\n\
             2014-10-08 03:10,BMOREAU,OPS-ONCALL,2014-10-08 03:32,\n\
             2014-10-32 03:10,,OPS-ONCALL,,10\n\
             2014-10-09 03:10,BMOREAU,OPS-ONCALL,2014-10-09 03:00,\n\
             2014-10-10 03:10,BMOREAU,OPS-ONCALL,,soon\n\
             2014-10-11 03:10,BMOREAU,OPS-ONCALL,,\n\
             2014-10-12 03:10,BMOREAU,OPS-ONCALL,2014-10-12 03:40,10\n\
             2014-10-08 03:10,bmoreau,ops-oncall,,22\n\
             2014-11-02 03:10,BMOREAU,OPS-ONCALL,,5\n");
        let (c, probs) = read_with(&t, &ctx());
        let msgs = rendered(&probs);
        assert_eq!(msgs.len(), 8, "{msgs:#?}");
        assert!(
            msgs[0].starts_with("o.csv:3:1: error: called: `2014-10-32 03:10` is not a time"),
            "{msgs:#?}"
        );
        assert_eq!(
            msgs[1],
            "o.csv:3:18: error: the person is empty: every call-out names the person called"
        );
        assert_eq!(
            msgs[2],
            "o.csv:4:37: error: answered 2014/282 03:00 before the call (2014/282 03:10)"
        );
        assert!(
            msgs[3].starts_with("o.csv:5:38: error: response `soon` is not a number of minutes"),
            "{msgs:#?}"
        );
        assert!(
            msgs[4].starts_with("o.csv:6:37: error: no answer: give the time answered"),
            "{msgs:#?}"
        );
        assert_eq!(msgs[5], "o.csv:7:54: error: response 10 min does not agree with the call and the answer (30 min, from 2014/285 03:10 to 2014/285 03:40)");
        assert_eq!(msgs[6], "o.csv:8:1: error: the call-out of bmoreau for ops-oncall at 2014/281 03:10 is listed twice (first at line 2, column 1)");
        assert_eq!(msgs[7], "o.csv:9:1: note: 1 call-out of the log is outside October 2014 and is not counted (the first here: BMOREAU, 2014/306 03:10)");
        assert_eq!(c.iter().filter(|c| c.ok).count(), 2);
    }

    #[test]
    fn anomaly_ids_are_held_to_the_register() {
        let t = csv("Called,Person,Duty,Response,Anomaly\n\
             2014-10-08 03:10,BMOREAU,OPS-ONCALL,5,AR-ATV5-0131\n\
             2014-10-09 03:10,BMOREAU,OPS-ONCALL,5,AR-ATV5-0113\n");
        let (c, _) = read_with(&t, &ctx());
        let register = vec![Anomaly {
            id: "AR-ATV5-0131".into(),
            opened: parse_time("2014-09-01").unwrap(),
            closed: None,
            severity: crate::monthly::anomalies::Severity::Major,
            title: "Artemis dropouts".into(),
            activity: None,
            loc: Loc::LineCol(2, 1),
        }];
        assert_eq!(
            rendered(&check_anomalies(&c, &register)),
            vec!["o.csv:3:39: error: anomaly `AR-ATV5-0113` is not in the anomaly register; did you mean `AR-ATV5-0131`?"]
        );
    }
}
