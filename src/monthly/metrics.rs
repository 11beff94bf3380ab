//! The monthly metrics, computed from the inputs (never hard-coded). `docs/monthly.md`
//! defines each; the comments here say how.

use super::anomalies::{Anomaly, Severity};
use super::asflown::{Flown, FlownStatus};
use super::cdm::{events, Cdm, Event, Screening};
use super::changes::{ChangeRequest, CrStatus};
use super::kpi::{self, History, KpiDef, Rag, KPIS};
use super::manifest::{Selector, Target};
use super::{show_dur, Month, Problem};
use crate::model::Model;
use crate::time::{Dur, Time};
use std::collections::{BTreeMap, BTreeSet};

/// A plan of the run.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanInfo {
    pub id: String,
    pub title: String,
    pub issue: String,
    pub mission: String,
    pub horizon: Option<(Time, Time)>,
    pub errors: usize,
    pub warnings: usize,
}

impl PlanInfo {
    /// `pass` or `fail`, from the plan file's findings.
    pub fn verdict(&self) -> &'static str {
        if self.errors > 0 {
            "fail"
        } else {
            "pass"
        }
    }
}

/// A planned activity with a known time.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub plan: String,
    pub id: String,
    pub title: String,
    pub kind: Option<String>,
    pub tags: Vec<String>,
    pub critical: bool,
    pub start: Time,
    pub end: Time,
    /// The procedure it runs: id and version (empty when the procedure has none).
    pub procedure: Option<(String, String)>,
}

/// The plans of a model, with the error and warning counts of their files, and every
/// activity whose time is known. `findings` gives (file, is_error) per finding.
pub fn from_model(
    model: &Model,
    findings: &[(crate::source::FileId, bool)],
) -> (Vec<PlanInfo>, Vec<Planned>, usize) {
    let mut plans = Vec::new();
    let mut acts = Vec::new();
    let mut unresolved = 0;
    for p in &model.plans {
        let (errors, warnings) =
            findings
                .iter()
                .filter(|(f, _)| *f == p.file)
                .fold(
                    (0, 0),
                    |(e, w), (_, err)| if *err { (e + 1, w) } else { (e, w + 1) },
                );
        plans.push(PlanInfo {
            id: p.id.value.clone(),
            title: p.title.clone().unwrap_or_default(),
            issue: p.issue.clone().unwrap_or_default(),
            mission: p.mission.clone().unwrap_or_default(),
            horizon: p.horizon.map(|h| (h.start, h.end)),
            errors,
            warnings,
        });
        for a in &p.activities {
            let Some(iv) = a.time.interval() else {
                unresolved += 1;
                continue;
            };
            acts.push(Planned {
                plan: p.id.value.clone(),
                id: a.ast.id.value.clone(),
                title: a
                    .ast
                    .title
                    .as_ref()
                    .map(|t| t.value.clone())
                    .unwrap_or_default(),
                kind: a.ast.kind.as_ref().map(|k| k.value.clone()),
                tags: a.ast.tags.iter().map(|t| t.value.clone()).collect(),
                critical: a.ast.critical.is_some(),
                start: iv.start,
                end: iv.end,
                procedure: a
                    .procedure
                    .and_then(|pi| model.procedures.get(pi))
                    .map(|pr| (pr.id().to_string(), pr.version().unwrap_or("").to_string())),
            });
        }
    }
    (plans, acts, unresolved)
}

/// A `waive` declaration of a plan and what the checks made of it.
#[derive(Debug, Clone, PartialEq)]
pub struct WaiverInfo {
    pub plan: String,
    pub rule: String,
    pub activities: Vec<String>,
    /// The approval reference (a change request, an IMMT decision).
    pub reference: String,
    /// `plans/atv5-week44.plan:27`
    pub location: String,
    /// The violations it covers (F004 findings), by their messages.
    pub covered: Vec<String>,
    /// Reported as unused (F005).
    pub unused: bool,
}

/// The flight-rule side of the month's plans: waivers and violations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlightRuleFindings {
    /// In plan order, then source order.
    pub waivers: Vec<WaiverInfo>,
    /// Flight-rule violations (F001) by plan id (an empty id: outside any plan's file).
    pub violations: BTreeMap<String, usize>,
}

/// Waivers and flight-rule findings of a checked model. `location` names a span
/// (`file:line`).
pub fn flight_rules_of(
    model: &Model,
    diagnostics: &[crate::diag::Diagnostic],
    location: &dyn Fn(crate::source::Span) -> String,
) -> FlightRuleFindings {
    use crate::diag::Code;
    let mut out = FlightRuleFindings::default();
    for p in &model.plans {
        for w in &p.waivers {
            let same =
                |l: &crate::diag::Label| l.span.file == w.span.file && l.span.start == w.span.start;
            let covered = diagnostics
                .iter()
                .filter(|d| d.code == Code::WaivedViolation && d.secondary.iter().any(same))
                .map(|d| d.message.clone())
                .collect();
            out.waivers.push(WaiverInfo {
                plan: p.id.value.clone(),
                rule: w.rule.value.clone(),
                activities: w.activities.iter().map(|a| a.value.clone()).collect(),
                reference: w.reference.value.clone(),
                location: location(w.span),
                covered,
                unused: diagnostics
                    .iter()
                    .any(|d| d.code == Code::UnusedWaiver && same(&d.primary)),
            });
        }
    }
    for d in diagnostics
        .iter()
        .filter(|d| d.code == Code::FlightRuleViolated)
    {
        let plan = model
            .plans
            .iter()
            .find(|p| p.file == d.primary.span.file)
            .map(|p| p.id.value.clone())
            .unwrap_or_default();
        *out.violations.entry(plan).or_default() += 1;
    }
    out
}

/// A procedure run by activities of the month.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcedureUse {
    pub id: String,
    pub version: String,
    /// Activities of the month that run it (planned in the month).
    pub planned: usize,
    /// Of those, the ones that ran (done or partial).
    pub ran: usize,
}

/// Requirement coverage: now and against the previous month's baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageCounts {
    pub needing: usize,
    pub covered: usize,
    pub percent: f64,
    pub by_status: BTreeMap<String, usize>,
    /// Requirement id → status.
    pub statuses: BTreeMap<String, String>,
}

/// Requirements whose status differs: (id, before, after); `—` where absent.
pub fn status_changes(
    previous: &BTreeMap<String, String>,
    now: &BTreeMap<String, String>,
) -> Vec<(String, String, String)> {
    let ids: BTreeSet<&String> = previous.keys().chain(now.keys()).collect();
    ids.into_iter()
        .filter_map(|id| {
            let b = previous.get(id).map_or("—", String::as_str);
            let a = now.get(id).map_or("—", String::as_str);
            (a != b).then(|| (id.clone(), b.to_string(), a.to_string()))
        })
        .collect()
}

/// What a metric computation needs.
pub struct Inputs<'a> {
    pub month: Month,
    pub plans: &'a [PlanInfo],
    /// Files of the plans' check with errors that hold no plan read (a file that does
    /// not parse, a procedure library, a flight-rule file) and how many errors: each
    /// makes the month red.
    pub unread_plan_errors: &'a [(String, usize)],
    pub activities: &'a [Planned],
    pub flown: &'a [Flown],
    pub anomalies: Option<&'a [Anomaly]>,
    pub changes: Option<&'a [ChangeRequest]>,
    pub cdms: Option<&'a [Cdm]>,
    pub outages: Option<&'a [super::outages::Outage]>,
    pub coverage: Option<(&'a CoverageCounts, Option<&'a CoverageCounts>)>,
    pub history: Option<&'a History>,
    pub tolerance: Dur,
    /// An actual time further than this from the planned one is a warning.
    pub far_from_plan: Dur,
    pub screening: Screening,
    pub manoeuvres: &'a Selector,
    pub decisions: &'a Selector,
    pub targets: &'a BTreeMap<String, Target>,
    /// The custom KPIs of the manifest (`kpis:`), after the built-in ones.
    pub custom_kpis: &'a [super::custom_kpi::CustomKpi],
    /// The on-call KPI's value: `None` without an on-call log (the KPI is left out),
    /// `Some(None)` when no call-out of the month could be held to a response time.
    pub oncall_response: Option<Option<f64>>,
    pub major_open_days: i64,
    /// How the reasons write their times.
    pub dates: super::Dates,
}

/// What became of a planned activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    OnTime,
    /// Done, started before the tolerance.
    Early,
    /// Done, started after the tolerance.
    Late,
    Partial,
    Moved,
    Cancelled,
    NotReported,
}

impl Outcome {
    pub const ALL: [Outcome; 7] = [
        Outcome::OnTime,
        Outcome::Early,
        Outcome::Late,
        Outcome::Partial,
        Outcome::Moved,
        Outcome::Cancelled,
        Outcome::NotReported,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::OnTime => "done on time",
            Outcome::Early => "done, started early",
            Outcome::Late => "done, started late",
            Outcome::Partial => "partial",
            Outcome::Moved => "moved",
            Outcome::Cancelled => "cancelled",
            Outcome::NotReported => "not reported",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Outcome::OnTime => "on-time",
            Outcome::Early => "early",
            Outcome::Late => "late",
            Outcome::Partial => "partial",
            Outcome::Moved => "moved",
            Outcome::Cancelled => "cancelled",
            Outcome::NotReported => "not-reported",
        }
    }
}

/// One planned activity of the month and what the log says.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityResult {
    /// Index into [`Inputs::activities`].
    pub activity: usize,
    /// Index into [`Inputs::flown`].
    pub flown: Option<usize>,
    pub outcome: Outcome,
    /// Actual start − planned start, for activities that ran.
    pub delay: Option<Dur>,
    /// Within the tolerance (ran only).
    pub on_time: bool,
    /// Changed by an approved change request decided in the month.
    pub changed_by_cr: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    pub planned: usize,
    pub done: usize,
    pub partial: usize,
    pub moved: usize,
    pub cancelled: usize,
    pub not_reported: usize,
    /// Done or partial, started within the tolerance.
    pub on_time: usize,
    /// Not done on time: early, late, partial, moved, cancelled or not reported.
    pub deviated: usize,
    pub by_outcome: BTreeMap<Outcome, usize>,
}

impl Counts {
    fn add(&mut self, r: &ActivityResult) {
        self.planned += 1;
        *self.by_outcome.entry(r.outcome).or_default() += 1;
        match r.outcome {
            Outcome::OnTime | Outcome::Early | Outcome::Late => self.done += 1,
            Outcome::Partial => self.partial += 1,
            Outcome::Moved => self.moved += 1,
            Outcome::Cancelled => self.cancelled += 1,
            Outcome::NotReported => self.not_reported += 1,
        }
        if r.on_time {
            self.on_time += 1;
        }
        if r.outcome != Outcome::OnTime {
            self.deviated += 1;
        }
    }
}

/// A calendar week (Monday to Sunday) of the month.
#[derive(Debug, Clone, PartialEq)]
pub struct Week {
    pub iso_week: i8,
    pub first: Time,
    /// Exclusive, clipped to the month.
    pub end: Time,
    pub counts: Counts,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Collision {
    /// CDMs created in the month (indices into the CDM list), by creation date.
    pub cdms: Vec<usize>,
    pub in_box: usize,
    pub yellow: usize,
    pub red: usize,
    pub without_pc: usize,
    /// Events of the month's CDMs, by TCA.
    pub events: Vec<Event>,
    /// Decision per event (index into `events`): (decision time, activity index).
    pub decisions: BTreeMap<usize, (Time, usize)>,
    /// Manoeuvre activities planned in the month (indices into the results).
    pub manoeuvres: Vec<usize>,
    /// Median first-CDM-to-decision, seconds.
    pub median_decision: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Anomalies {
    pub opened: usize,
    pub closed: usize,
    pub open_at_end: usize,
    /// By severity: (opened, closed, open at end).
    pub by_severity: BTreeMap<Severity, (usize, usize, usize)>,
    /// Open at the end, by severity then age bucket ([`AGE_BUCKETS`]).
    pub ages: BTreeMap<Severity, [usize; 4]>,
    /// Indices of the anomalies opened, closed or open in the month.
    pub listed: Vec<usize>,
}

/// Age buckets of open anomalies, in whole days at month end: upper bounds (inclusive).
pub const AGE_BUCKETS: [(&str, i64); 4] = [
    ("0-7 d", 7),
    ("8-30 d", 30),
    ("31-90 d", 90),
    ("> 90 d", i64::MAX),
];

/// The bucket of an age in whole days.
pub fn age_bucket(days: i64) -> usize {
    AGE_BUCKETS
        .iter()
        .position(|(_, max)| days <= *max)
        .unwrap_or(AGE_BUCKETS.len() - 1)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Planning {
    /// Indices of the plans whose horizon overlaps the month.
    pub plans: Vec<usize>,
    /// Change requests raised or decided in the month, or open at its end (indices).
    pub crs: Vec<usize>,
    pub raised: usize,
    pub approved: usize,
    pub rejected: usize,
    pub withdrawn: usize,
    pub open_at_end: usize,
    /// Planned activities neither moved, cancelled nor changed by an approved CR.
    pub stable: usize,
}

#[derive(Debug, Clone)]
pub struct KpiValue {
    pub def: KpiDef,
    /// A custom KPI of the manifest.
    pub custom: bool,
    /// Why there is no value, when it is not just a missing input (a custom KPI whose
    /// activities were not planned in the month).
    pub note: Option<String>,
    pub target: Target,
    pub value: Option<f64>,
    pub status: Option<Rag>,
    pub previous: Option<f64>,
    pub trend: Option<&'static str>,
    /// Earlier months (oldest first), then this month when it has a value.
    pub series: Vec<(Month, f64)>,
}

#[derive(Debug, Clone)]
pub struct Metrics {
    pub results: Vec<ActivityResult>,
    pub counts: Counts,
    pub by_kind: BTreeMap<String, Counts>,
    pub weeks: Vec<Week>,
    /// As-flown rows for activities planned outside the month (ignored).
    pub outside_month: usize,
    pub planning: Planning,
    pub anomalies: Option<Anomalies>,
    pub collision: Option<Collision>,
    /// Per system named in the outage log, by name.
    pub availability: Option<Vec<super::outages::SystemAvailability>>,
    /// Procedures of the month's activities, by id then version.
    pub procedures: Vec<ProcedureUse>,
    pub kpis: Vec<KpiValue>,
    pub rag: Rag,
    /// Why the status is what it is, worst first.
    pub reasons: Vec<(Rag, String)>,
}

/// The problems [`compute`] finds, by the file they are in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JoinProblems {
    pub as_flown: Vec<Problem>,
    pub changes: Vec<Problem>,
}

/// Computes everything. Problems are those of the joins to the plans ([`super::join`]):
/// located in the as-flown log (an id in no plan, an id in several plans without a plan
/// column, two rows for one activity; actual times far from the planned ones, warnings)
/// and in the change-request register (a plan or activity that does not exist).
pub fn compute(inp: &Inputs) -> (Metrics, JoinProblems) {
    let month = inp.month;
    let (m_start, m_end) = (month.start(), month.end());
    let mut problems = JoinProblems::default();

    // --- join the log and the change requests to the plans
    let named: Vec<&str> = inp
        .flown
        .iter()
        .filter(|f| f.plan.is_none())
        .map(|f| f.activity.as_str())
        .chain(
            inp.changes
                .into_iter()
                .flatten()
                .filter(|c| c.plan.is_none())
                .flat_map(|c| c.activities.iter().map(String::as_str)),
        )
        .collect();
    let index = super::join::Index::new(inp.activities, month, &named);
    let (joined, join_problems) = super::join::as_flown(&index, inp.flown, inp.far_from_plan);
    problems.as_flown = join_problems;
    let super::join::FlownJoin {
        flown_of,
        outside_month,
    } = joined;
    let (cr_activities, cr_problems) = match inp.changes {
        Some(crs) => super::join::change_requests(&index, crs),
        None => (Vec::new(), Vec::new()),
    };
    problems.changes = cr_problems;

    // --- change requests: the activities approved changes touched
    let mut cr_changed: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut planning = Planning {
        plans: inp
            .plans
            .iter()
            .enumerate()
            .filter(|(_, p)| match p.horizon {
                Some((s, e)) => s < m_end && e > m_start,
                None => inp
                    .activities
                    .iter()
                    .any(|a| a.plan == p.id && month.contains(a.start)),
            })
            .map(|(i, _)| i)
            .collect(),
        crs: Vec::new(),
        raised: 0,
        approved: 0,
        rejected: 0,
        withdrawn: 0,
        open_at_end: 0,
        stable: 0,
    };
    if let Some(crs) = inp.changes {
        for (ci, cr) in crs.iter().enumerate() {
            if !cr.ok {
                continue;
            }
            let raised_in = month.contains(cr.raised);
            let decided_in = cr.decided.is_some_and(|d| month.contains(d));
            let open_at_end = cr.raised < m_end
                && (cr.status == CrStatus::Open || cr.decided.is_some_and(|d| d >= m_end));
            if raised_in {
                planning.raised += 1;
            }
            if decided_in {
                match cr.status {
                    s if s.accepted() => planning.approved += 1,
                    CrStatus::Rejected => planning.rejected += 1,
                    CrStatus::Withdrawn => planning.withdrawn += 1,
                    _ => {}
                }
            }
            if open_at_end {
                planning.open_at_end += 1;
            }
            if raised_in || decided_in || open_at_end {
                planning.crs.push(ci);
            }
            if decided_in && cr.status.accepted() {
                for &i in cr_activities.get(ci).into_iter().flatten() {
                    if month.contains(inp.activities[i].start) {
                        cr_changed.entry(i).or_default().push(cr.id.clone());
                    }
                }
            }
        }
    }

    // --- results per planned activity of the month, by planned start
    let mut in_month: Vec<usize> = (0..inp.activities.len())
        .filter(|&i| month.contains(inp.activities[i].start))
        .collect();
    in_month.sort_by(|&a, &b| {
        let (x, y) = (&inp.activities[a], &inp.activities[b]);
        (x.start, &x.plan, &x.id).cmp(&(y.start, &y.plan, &y.id))
    });
    let mut results = Vec::new();
    for &i in &in_month {
        let a = &inp.activities[i];
        let fi = flown_of.get(&i).copied();
        let f = fi.map(|fi| &inp.flown[fi]);
        let delay = f
            .filter(|f| f.status.ran())
            .and_then(|f| f.start)
            .map(|s| s.since(a.start));
        let on_time = delay.is_some_and(|d| d.0.abs() <= inp.tolerance.0);
        let outcome = match f.map(|f| f.status) {
            None => Outcome::NotReported,
            Some(FlownStatus::Done) if on_time => Outcome::OnTime,
            Some(FlownStatus::Done) if delay.is_some_and(|d| d.0 < 0) => Outcome::Early,
            Some(FlownStatus::Done) => Outcome::Late,
            Some(FlownStatus::Partial) => Outcome::Partial,
            Some(FlownStatus::Moved) => Outcome::Moved,
            Some(FlownStatus::Cancelled) => Outcome::Cancelled,
        };
        results.push(ActivityResult {
            activity: i,
            flown: fi,
            outcome,
            delay,
            on_time,
            changed_by_cr: cr_changed.get(&i).cloned().unwrap_or_default(),
        });
    }
    let mut counts = Counts::default();
    let mut by_kind: BTreeMap<String, Counts> = BTreeMap::new();
    for r in &results {
        counts.add(r);
        let kind = inp.activities[r.activity]
            .kind
            .clone()
            .unwrap_or_else(|| "(no kind)".into());
        by_kind.entry(kind).or_default().add(r);
        let changed =
            matches!(r.outcome, Outcome::Moved | Outcome::Cancelled) || !r.changed_by_cr.is_empty();
        if !changed {
            planning.stable += 1;
        }
    }
    let weeks = weeks_of(month, &results, inp.activities);

    // --- anomalies
    let anomalies = inp.anomalies.map(|list| {
        let mut a = Anomalies {
            opened: 0,
            closed: 0,
            open_at_end: 0,
            by_severity: Severity::ALL.iter().map(|&s| (s, (0, 0, 0))).collect(),
            ages: Severity::ALL.iter().map(|&s| (s, [0; 4])).collect(),
            listed: Vec::new(),
        };
        for (i, an) in list.iter().enumerate() {
            let opened = month.contains(an.opened);
            let closed = an.closed.is_some_and(|c| month.contains(c));
            let open = an.open_at(m_end);
            let e = a.by_severity.entry(an.severity).or_default();
            if opened {
                a.opened += 1;
                e.0 += 1;
            }
            if closed {
                a.closed += 1;
                e.1 += 1;
            }
            if open {
                a.open_at_end += 1;
                e.2 += 1;
                let days = (m_end.0 - an.opened.0).div_euclid(86_400);
                a.ages.entry(an.severity).or_default()[age_bucket(days)] += 1;
            }
            if opened || closed || open {
                a.listed.push(i);
            }
        }
        a
    });

    // --- collision risk
    let collision = inp.cdms.map(|cdms| {
        let mut idx: Vec<usize> = (0..cdms.len())
            .filter(|&i| month.contains(cdms[i].creation))
            .collect();
        idx.sort_by(|&a, &b| {
            (cdms[a].creation, &cdms[a].message_id).cmp(&(cdms[b].creation, &cdms[b].message_id))
        });
        let month_cdms: Vec<Cdm> = idx.iter().map(|&i| cdms[i].clone()).collect();
        let mut evs = events(&month_cdms, &inp.screening);
        for e in &mut evs {
            for c in &mut e.cdms {
                *c = idx[*c];
            }
        }
        let sc = &inp.screening;
        let manoeuvres: Vec<usize> = results
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                let a = &inp.activities[r.activity];
                inp.manoeuvres.matches(a.kind.as_deref(), &a.tags)
            })
            .map(|(i, _)| i)
            .collect();
        // Decisions: decision activities that ran, by actual end; each to the event
        // whose first CDM precedes it and whose TCA is the next after it.
        let mut decided: Vec<(Time, usize)> = results
            .iter()
            .filter(|r| {
                let a = &inp.activities[r.activity];
                inp.decisions.matches(a.kind.as_deref(), &a.tags)
            })
            .filter_map(|r| {
                let f = &inp.flown[r.flown?];
                f.status.ran().then_some(())?;
                Some((f.end?, r.activity))
            })
            .collect();
        decided.sort();
        let mut decisions = BTreeMap::new();
        for (t, act) in decided {
            let pick = evs
                .iter()
                .enumerate()
                .filter(|(ei, e)| e.first_cdm <= t && t <= e.tca && !decisions.contains_key(ei))
                .min_by_key(|(_, e)| (e.tca, e.object.designator.clone()))
                .map(|(ei, _)| ei);
            if let Some(ei) = pick {
                decisions.insert(ei, (t, act));
            }
        }
        let mut delays: Vec<i64> = decisions
            .iter()
            .map(|(ei, (t, _))| t.0 - evs[*ei].first_cdm.0)
            .collect();
        delays.sort();
        let median_decision = match delays.len() {
            0 => None,
            n if n % 2 == 1 => Some(delays[n / 2]),
            n => Some((delays[n / 2 - 1] + delays[n / 2]) / 2),
        };
        Collision {
            in_box: idx.iter().filter(|&&i| sc.in_box(&cdms[i])).count(),
            yellow: idx.iter().filter(|&&i| sc.is_yellow(cdms[i].pc)).count(),
            red: idx.iter().filter(|&&i| sc.is_red(cdms[i].pc)).count(),
            without_pc: idx.iter().filter(|&&i| cdms[i].pc.is_none()).count(),
            cdms: idx,
            events: evs,
            decisions,
            manoeuvres,
            median_decision,
        }
    });

    // --- availability
    let availability = inp
        .outages
        .map(|log| super::outages::availability(month, log));

    // --- procedures run by the month's activities
    let mut procs: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    for r in &results {
        if let Some(p) = &inp.activities[r.activity].procedure {
            let e = procs.entry(p.clone()).or_default();
            e.0 += 1;
            if matches!(
                r.outcome,
                Outcome::OnTime | Outcome::Early | Outcome::Late | Outcome::Partial
            ) {
                e.1 += 1;
            }
        }
    }
    let procedures = procs
        .into_iter()
        .map(|((id, version), (planned, ran))| ProcedureUse {
            id,
            version,
            planned,
            ran,
        })
        .collect();

    // --- KPIs
    let pct = |n: usize, d: usize| (d > 0).then(|| 100.0 * n as f64 / d as f64);
    let values: BTreeMap<&str, Option<f64>> = BTreeMap::from([
        ("completion", pct(counts.done, counts.planned)),
        ("on_time", pct(counts.on_time, counts.done + counts.partial)),
        ("stability", pct(planning.stable, counts.planned)),
        (
            "change_requests",
            inp.changes.map(|_| planning.raised as f64),
        ),
        (
            "open_critical",
            anomalies
                .as_ref()
                .map(|a| a.by_severity.get(&Severity::Critical).map_or(0, |s| s.2) as f64),
        ),
        (
            "open_anomalies",
            anomalies.as_ref().map(|a| a.open_at_end as f64),
        ),
        ("coverage", inp.coverage.map(|(now, _)| now.percent)),
        (
            "decision_time",
            collision
                .as_ref()
                .and_then(|c| c.median_decision)
                .map(|s| s as f64 / 3600.0),
        ),
        (
            "availability",
            availability.as_ref().and_then(|v| {
                v.iter()
                    .map(super::outages::SystemAvailability::availability)
                    .reduce(f64::min)
            }),
        ),
    ]);
    let kpi_value = |def: KpiDef, target: Target, value: Option<f64>| {
        let mut series: Vec<(Month, f64)> = inp
            .history
            .map(|h| {
                h.range(..month)
                    .filter_map(|(m, v)| v.get(&*def.id).map(|x| (*m, *x)))
                    .collect()
            })
            .unwrap_or_default();
        let previous = series
            .last()
            .filter(|(m, _)| *m == month.previous())
            .map(|(_, v)| *v);
        if let Some(v) = value {
            series.push((month, v));
        }
        KpiValue {
            status: value.map(|v| kpi::status(&def, target, v)),
            trend: value.zip(previous).map(|(v, p)| kpi::trend(&def, p, v)),
            def,
            custom: false,
            note: None,
            target,
            value,
            previous,
            series,
        }
    };
    let mut kpis: Vec<KpiValue> = KPIS
        .iter()
        .map(|def| {
            let target = inp.targets.get(&*def.id).copied().unwrap_or(def.default);
            kpi_value(def.clone(), target, values.get(&*def.id).copied().flatten())
        })
        .collect();
    if let Some(value) = inp.oncall_response {
        let def = &kpi::ONCALL;
        let target = inp.targets.get(&*def.id).copied().unwrap_or(def.default);
        let mut k = kpi_value(def.clone(), target, value);
        if value.is_none() {
            k.note = Some(
                "no call-out of the month was for a duty with a response time, at a time a roster covers".to_string(),
            );
        }
        kpis.push(k);
    }
    for c in inp.custom_kpis {
        let measured = super::custom_kpi::measure(c, &results, inp.activities, inp.flown);
        let mut k = kpi_value(c.def(), c.target, measured.as_ref().ok().copied());
        k.custom = true;
        k.note = measured.err();
        kpis.push(k);
    }

    // --- red / amber / green
    let mut reasons: Vec<(Rag, String)> = Vec::new();
    for k in &kpis {
        if let (Some(s @ (Rag::Red | Rag::Amber)), Some(v)) = (k.status, k.value) {
            reasons.push((
                s,
                format!(
                    "KPI {} is {}: {} against a target of {}{}",
                    k.def.name,
                    s.as_str(),
                    show_kpi(&k.def, v),
                    if k.def.higher_is_better {
                        "≥ "
                    } else {
                        "≤ "
                    },
                    show_kpi(&k.def, k.target.target)
                ),
            ));
        }
    }
    if let (Some(list), Some(_)) = (inp.anomalies, &anomalies) {
        for an in list.iter().filter(|a| a.open_at(m_end)) {
            let days = (m_end.0 - an.opened.0).div_euclid(86_400);
            if an.severity == Severity::Critical {
                reasons.push((
                    Rag::Red,
                    format!("critical anomaly {} open at month end ({days} d)", an.id),
                ));
            } else if an.severity == Severity::Major && days > inp.major_open_days {
                reasons.push((
                    Rag::Amber,
                    format!(
                        "major anomaly {} open for {days} d (more than {} d)",
                        an.id, inp.major_open_days
                    ),
                ));
            }
        }
    }
    for &pi in &planning.plans {
        let p = &inp.plans[pi];
        if p.errors > 0 {
            reasons.push((
                Rag::Red,
                format!(
                    "plan {} fails its consistency check ({} error{})",
                    p.id,
                    p.errors,
                    if p.errors == 1 { "" } else { "s" }
                ),
            ));
        }
    }
    for (file, n) in inp.unread_plan_errors {
        reasons.push((
            Rag::Red,
            format!(
                "the consistency check of the plans fails in {file} ({n} error{}), a file \
                 holding no plan that could be read",
                if *n == 1 { "" } else { "s" }
            ),
        ));
    }
    if let (Some(c), Some(cdms)) = (&collision, inp.cdms) {
        for e in &c.events {
            if !inp.screening.is_red(e.max_pc) {
                continue;
            }
            let mitigated = c.manoeuvres.iter().any(|&ri| {
                let r = &results[ri];
                r.flown
                    .map(|fi| &inp.flown[fi])
                    .filter(|f| f.status.ran())
                    .and_then(|f| f.start)
                    .is_some_and(|s| e.first_cdm <= s && s <= e.tca)
            });
            if !mitigated {
                reasons.push((
                    Rag::Red,
                    format!(
                        "red conjunction with {} (TCA {}, Pc {}) without an avoidance manoeuvre flown",
                        cdms[e.cdms[0]].object2.designator,
                        inp.dates.time(e.tca),
                        e.max_pc.map(super::show_pc).unwrap_or_default()
                    ),
                ));
            }
        }
    }
    reasons.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let rag = reasons.first().map_or(Rag::Green, |r| r.0);

    (
        Metrics {
            results,
            counts,
            by_kind,
            weeks,
            outside_month,
            planning,
            anomalies,
            collision,
            availability,
            procedures,
            kpis,
            rag,
            reasons,
        },
        problems,
    )
}

/// A KPI's value: [`show_value`], with two decimals for availability (99.46 % must not
/// read as the 99.5 % target).
pub fn show_kpi(def: &KpiDef, v: f64) -> String {
    if def.id == "availability" && v.is_finite() {
        format!("{:.2} %", (v * 100.0).round() / 100.0)
    } else {
        show_value(v, def.unit)
    }
}

/// `97.5 %`, `3`, `6.2 h`
pub fn show_value(v: f64, unit: &str) -> String {
    match unit {
        "%" => format!("{} %", super::fixed1(v)),
        "" if v.fract() == 0.0 => format!("{v:.0}"),
        "" => super::fixed1(v),
        u => format!("{} {u}", super::fixed1(v)),
    }
}

fn weeks_of(month: Month, results: &[ActivityResult], acts: &[Planned]) -> Vec<Week> {
    let mut out = Vec::new();
    let mut day = month.start();
    while day < month.end() {
        let date = civil(day);
        let weekday = date.weekday().to_monday_zero_offset() as i64;
        let next_monday = Time(day.0 - weekday * 86_400 + 7 * 86_400);
        let end = next_monday.min(month.end());
        let mut counts = Counts::default();
        for r in results {
            let s = acts[r.activity].start;
            if day <= s && s < end {
                counts.add(r);
            }
        }
        out.push(Week {
            iso_week: date.iso_week_date().week(),
            first: day,
            end,
            counts,
        });
        day = end;
    }
    out
}

/// The civil date of an instant.
pub fn civil(t: Time) -> jiff::civil::Date {
    jiff::civil::date(1970, 1, 1)
        .checked_add(jiff::Span::new().days(t.0.div_euclid(86_400)))
        .unwrap_or(jiff::civil::date(1970, 1, 1))
}

/// `6 h 00 min` of a number of seconds.
pub fn show_secs(s: i64) -> String {
    show_dur(Dur(s))
}
