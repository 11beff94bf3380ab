//! The staffing section: the rosters of the month's plans over the month (which days
//! they cover, and the days none does, said plainly), hours, nights and on-call hours per
//! person, hours per position, the qualifications gained or ended in the month, the
//! staffing findings of the check by code, the on-call log's call-outs (per person and
//! duty, median and worst response, the late ones), and the simulations and training
//! sessions held in the month (the scenarios' `held`, `instructor`, trainees, `outcome`).

use super::format::num;
use crate::monthly::{show_date, show_dur, Dates, Month};
use crate::time::{Dur, Interval, Time};
use crate::workspace::monthly::Loaded;
use crate::workspace::monthly_staffing::MonthStaffing;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct Staffing {
    /// `Staffing is known for 6-31 October 2014 (rosters …); not for 1-5 October 2014: …`
    pub summary: String,
    /// Days (whole or in part) a roster covers, and those none does.
    pub known_days: i64,
    pub unknown_days: i64,
    /// The parts of the month no roster covers, as the page writes them.
    pub unknown: Vec<String>,
    pub rosters: Vec<RosterRow>,
    pub people: Vec<PersonRow>,
    pub positions: Vec<PositionRow>,
    pub qualifications: Vec<QualRow>,
    pub findings: Vec<FindingRow>,
    pub findings_total: usize,
    /// `null` without an on-call log.
    pub oncall: Option<OnCall>,
    /// `2 simulations or training sessions held in October 2014: 1 passed, 1 failed.`
    pub training_summary: String,
    /// The sessions held (in part) in the month, by start.
    pub training: Vec<TrainingRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrainingRow {
    pub scenario: String,
    pub title: String,
    pub plan: String,
    /// As the page writes times: `2014-10-13 09:00 to 2014-10-13 13:00`.
    pub held: String,
    /// ISO 8601, UTC.
    pub held_from: String,
    pub held_to: String,
    /// `passed`, `failed`, `cancelled`, or `not recorded`.
    pub outcome: String,
    /// `JROUX (Julien Roux)`; empty when none is named.
    pub instructor: String,
    /// The trainees that are people of the roster, with their names.
    pub trainees: Vec<String>,
    /// The trainees that are roles of the plan.
    pub roles: Vec<String>,
    pub injects: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RosterRow {
    pub id: String,
    pub title: String,
    pub plan: String,
    /// The part of the month it speaks for.
    pub period: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonRow {
    pub id: String,
    pub name: String,
    pub hours: String,
    pub hours_h: f64,
    pub nights: i64,
    pub shifts: usize,
    pub on_call: String,
    pub on_call_h: f64,
    /// Call-outs of the month (0 without an on-call log).
    pub call_outs: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PositionRow {
    pub name: String,
    pub title: String,
    pub hours: String,
    pub hours_h: f64,
    pub shifts: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct QualRow {
    pub person: String,
    pub position: String,
    /// `gained` or `ended`
    pub change: String,
    pub trainee: bool,
    /// Gained: the first day it holds; ended: the last day it held (the page's notation).
    pub date: String,
    pub date_iso: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingRow {
    pub code: String,
    pub name: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct OnCall {
    pub source: String,
    /// Call-outs of the month.
    pub count: usize,
    pub summary: String,
    pub by_person: Vec<CallOutCount>,
    /// Over the call-outs of the month with a response.
    pub median: String,
    pub median_min: Option<f64>,
    pub worst: String,
    pub worst_min: Option<f64>,
    /// Answered later than their duty's response time.
    pub late: Vec<CallOutRow>,
    /// Every call-out of the month, by time.
    pub list: Vec<CallOutRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CallOutCount {
    pub person: String,
    pub name: String,
    pub duty: String,
    pub count: usize,
    pub late: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CallOutRow {
    pub called: String,
    pub person: String,
    pub duty: String,
    pub response: String,
    pub response_min: Option<f64>,
    /// The duty's response time (`""`: none, or no roster covers the time).
    pub limit: String,
    pub limit_min: Option<f64>,
    pub late: bool,
    /// `false` when the person was not on call for the duty then; `null` when not known.
    pub on_call: Option<bool>,
    pub reason: String,
    pub anomaly: String,
}

fn hours(d: Dur) -> (String, f64) {
    let h = d.0 as f64 / 3600.0;
    (crate::monthly::fixed1(h), num(h))
}

/// `17.5 min`: a response to a tenth of a minute (the median of two may fall between).
fn show_min(d: Dur) -> String {
    format!("{} min", crate::monthly::fixed1(d.0 as f64 / 60.0))
}

fn minutes(d: Dur) -> f64 {
    num(d.0 as f64 / 60.0)
}

/// `1-5 October 2014`, `6 October 2014`; a part not on whole days by its times.
fn period_text(iv: Interval, dt: Dates) -> String {
    let midnight = |t: Time| t.0.rem_euclid(86_400) == 0;
    if !(midnight(iv.start) && midnight(iv.end)) {
        return format!("{} to {}", dt.time(iv.start), dt.time(iv.end));
    }
    let a = iv.start.civil();
    let b = Time(iv.end.0 - 86_400).civil();
    let month = Month {
        year: b.year(),
        month: b.month(),
    }
    .label();
    if a.date() == b.date() {
        format!("{} {month}", a.day())
    } else if (a.year(), a.month()) == (b.year(), b.month()) {
        format!("{}-{} {month}", a.day(), b.day())
    } else {
        format!("{} to {}", dt.date(iv.start), dt.date(Time(iv.end.0 - 1)))
    }
}

/// The days (whole or in part) of a set of intervals.
fn days_of(set: &[Interval]) -> i64 {
    let mut days: Vec<i64> = Vec::new();
    for iv in set {
        let (a, b) = (
            iv.start.0.div_euclid(86_400),
            (iv.end.0 - 1).div_euclid(86_400),
        );
        for d in a..=b {
            if days.last().is_none_or(|&l| l < d) {
                days.push(d);
            }
        }
    }
    days.len() as i64
}

/// `s` or nothing
fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

pub fn view(l: &Loaded, dt: Dates) -> Staffing {
    let s: &MonthStaffing = &l.staffing;
    let p = &s.period;
    let known = p.known();
    let label = l.month.label();
    let rosters: Vec<RosterRow> = p
        .parts
        .iter()
        .zip(&s.rosters)
        .map(|(part, r)| RosterRow {
            id: r.id.clone(),
            title: r.title.clone().unwrap_or_default(),
            plan: r.plan.clone(),
            period: part
                .intervals
                .iter()
                .map(|iv| period_text(*iv, dt))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    let unknown: Vec<String> = p.unknown.iter().map(|iv| period_text(*iv, dt)).collect();
    let mut whys: Vec<String> = Vec::new();
    if !s.plans_without_roster.is_empty() {
        whys.push(format!(
            "the plan{} {} name{} no roster",
            plural(s.plans_without_roster.len()),
            s.plans_without_roster.join(", "),
            if s.plans_without_roster.len() == 1 {
                "s"
            } else {
                ""
            }
        ));
    }
    if !s.incomplete.is_empty() {
        whys.push(format!(
            "the roster{} {} could not be read whole (syntax errors: see the check's findings) and {} not counted",
            plural(s.incomplete.len()),
            s.incomplete
                .iter()
                .map(|r| format!("{} of plan {}", r.id, r.plan))
                .collect::<Vec<_>>()
                .join(", "),
            if s.incomplete.len() == 1 { "is" } else { "are" }
        ));
    }
    let why = if whys.is_empty() {
        "no plan read for the month covers them".to_string()
    } else {
        whys.join("; ")
    };
    let summary = match (known.is_empty(), unknown.is_empty()) {
        (true, _) => format!(
            "Staffing is known for no day of {label}: {why}. No hour, night or on-call turn of the month is counted."
        ),
        (false, true) => format!(
            "Staffing is known for the whole of {label}, from the roster{} of the month's plans.",
            plural(rosters.len())
        ),
        (false, false) => format!(
            "Staffing is known for {} only; not for {}: {why}. The figures below count the days known; the others are not counted as zero hours.",
            known.iter().map(|iv| period_text(*iv, dt)).collect::<Vec<_>>().join(", "),
            unknown.join(", ")
        ),
    };
    // Call-outs per person id.
    let mut calls_per: BTreeMap<&str, usize> = BTreeMap::new();
    if let Some(o) = &s.oncall {
        for j in &o.judged {
            *calls_per.entry(j.person.as_str()).or_default() += 1;
        }
    }
    let people = p
        .people
        .iter()
        .map(|x| {
            let (h, hn) = hours(x.worked);
            let (c, cn) = hours(x.on_call);
            PersonRow {
                id: x.id.clone(),
                name: x.name.clone().unwrap_or_default(),
                hours: h,
                hours_h: hn,
                nights: x.nights,
                shifts: x.shifts,
                on_call: c,
                on_call_h: cn,
                call_outs: calls_per.get(x.id.as_str()).copied().unwrap_or(0),
            }
        })
        .collect();
    let positions = p
        .positions
        .iter()
        .map(|x| {
            let (h, hn) = hours(x.worked);
            PositionRow {
                name: x.name.clone(),
                title: x.title.clone().unwrap_or_default(),
                hours: h,
                hours_h: hn,
                shifts: x.shifts,
            }
        })
        .collect();
    let qualifications = p
        .quals
        .iter()
        .map(|q| {
            // Ended: the last day it held.
            let day = if q.ended { Time(q.at.0 - 1) } else { q.at };
            QualRow {
                person: q.person.clone(),
                position: q.position.clone(),
                change: if q.ended { "ended" } else { "gained" }.to_string(),
                trainee: q.trainee,
                date: dt.date(day),
                date_iso: show_date(day),
            }
        })
        .collect();
    let findings: Vec<FindingRow> = s
        .findings
        .iter()
        .map(|f| FindingRow {
            code: f.code.clone(),
            name: f.name.clone(),
            count: f.count,
        })
        .collect();
    let findings_total = findings.iter().map(|f| f.count).sum();
    Staffing {
        summary,
        known_days: days_of(&known),
        unknown_days: days_of(&p.unknown),
        unknown,
        rosters,
        people,
        positions,
        qualifications,
        findings,
        findings_total,
        oncall: oncall_view(s, &label, dt),
        training_summary: training_summary(&s.training, &label),
        training: s
            .training
            .iter()
            .map(|h| {
                let who = |p: &crate::workspace::monthly_staffing::PersonRef| match &p.name {
                    Some(n) => format!("{} ({n})", p.id),
                    None => p.id.clone(),
                };
                TrainingRow {
                    scenario: h.scenario.clone(),
                    title: h.title.clone().unwrap_or_default(),
                    plan: h.plan.clone(),
                    held: format!("{} to {}", dt.time(h.held.start), dt.time(h.held.end)),
                    held_from: h.held.start.format(crate::time::Notation::Iso),
                    held_to: h.held.end.format(crate::time::Notation::Iso),
                    outcome: h.outcome.unwrap_or("not recorded").to_string(),
                    instructor: h.instructor.as_ref().map(who).unwrap_or_default(),
                    trainees: h.people.iter().map(who).collect(),
                    roles: h.roles.clone(),
                    injects: h.injects,
                }
            })
            .collect(),
    }
}

/// `3 simulations or training sessions held in October 2014: 2 passed, 1 failed.`
fn training_summary(
    held: &[crate::workspace::monthly_staffing::HeldSession],
    label: &str,
) -> String {
    if held.is_empty() {
        return format!("No simulation or training session is recorded as held in {label}.");
    }
    let mut parts = Vec::new();
    for (what, key) in [
        ("passed", Some("passed")),
        ("failed", Some("failed")),
        ("cancelled", Some("cancelled")),
        ("with no result recorded", None),
    ] {
        let n = held.iter().filter(|h| h.outcome == key).count();
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    let people: std::collections::BTreeSet<&str> = held
        .iter()
        .flat_map(|h| h.people.iter().map(|p| p.id.as_str()))
        .collect();
    format!(
        "{} simulation{} or training session{} held in {label}: {}{}.",
        held.len(),
        plural(held.len()),
        plural(held.len()),
        parts.join(", "),
        match people.len() {
            0 => String::new(),
            1 => "; 1 person of the roster trained".to_string(),
            n => format!("; {n} people of the roster trained"),
        }
    )
}

fn oncall_view(s: &MonthStaffing, label: &str, dt: Dates) -> Option<OnCall> {
    let o = s.oncall.as_ref()?;
    let rows: Vec<CallOutRow> = o
        .judged
        .iter()
        .map(|j| {
            let c = &o.calls[j.call];
            CallOutRow {
                called: dt.time(c.called),
                person: j.person.clone(),
                duty: j.duty.clone(),
                response: c.response.map(show_dur).unwrap_or_default(),
                response_min: c.response.map(minutes),
                limit: j.limit.map(show_dur).unwrap_or_default(),
                limit_min: j.limit.map(minutes),
                late: j.late,
                on_call: j.on_call,
                reason: c.reason.clone(),
                anomaly: c.anomaly.clone().unwrap_or_default(),
            }
        })
        .collect();
    let mut per: BTreeMap<(String, String), CallOutCount> = BTreeMap::new();
    for j in &o.judged {
        let e = per
            .entry((j.person.clone(), j.duty.clone()))
            .or_insert_with(|| CallOutCount {
                person: j.person.clone(),
                name: j.person_name.clone().unwrap_or_default(),
                duty: j.duty.clone(),
                count: 0,
                late: 0,
            });
        e.count += 1;
        e.late += usize::from(j.late);
    }
    let mut responses: Vec<Dur> = o
        .judged
        .iter()
        .filter_map(|j| o.calls[j.call].response)
        .collect();
    responses.sort_unstable();
    // The median of an even count is the mean of the middle two.
    let median = match responses.len() {
        0 => None,
        n if n % 2 == 1 => Some(responses[n / 2]),
        n => Some(Dur((responses[n / 2 - 1].0 + responses[n / 2].0) / 2)),
    };
    let worst = responses.last().copied();
    let late: Vec<CallOutRow> = rows.iter().filter(|r| r.late).cloned().collect();
    let n = rows.len();
    let summary = format!(
        "{n} call-out{} in {label}{}{}.",
        plural(n),
        match (median, worst) {
            (Some(m), Some(w)) =>
                format!("; response median {}, worst {}", show_min(m), show_min(w)),
            _ => String::new(),
        },
        if late.is_empty() {
            String::new()
        } else {
            format!(
                "; {} answered later than the duty's response time",
                late.len()
            )
        }
    );
    Some(OnCall {
        source: o.path.clone(),
        count: n,
        summary,
        by_person: per.into_values().collect(),
        median: median.map(show_min).unwrap_or_else(|| "n/a".into()),
        median_min: median.map(minutes),
        worst: worst.map(show_min).unwrap_or_else(|| "n/a".into()),
        worst_min: worst.map(minutes),
        late,
        list: rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_written_as_days() {
        let t = |s: &str| crate::monthly::parse_time(s).expect("time");
        let iv = |a: &str, b: &str| Interval::new(t(a), t(b));
        assert_eq!(
            period_text(iv("2014-10-01", "2014-10-06"), Dates::Iso),
            "1-5 October 2014"
        );
        assert_eq!(
            period_text(iv("2014-10-06", "2014-10-07"), Dates::Iso),
            "6 October 2014"
        );
        assert_eq!(
            period_text(iv("2014-10-06 12:00", "2014-10-07"), Dates::Iso),
            "2014-10-06 12:00 to 2014-10-07 00:00"
        );
        assert_eq!(days_of(&[iv("2014-10-01", "2014-10-06 12:00")]), 6);
        assert_eq!(days_of(&[]), 0);
    }
}
