//! The monthly operations report's view: what the templates (and `--format json`) see,
//! built from [`crate::workspace::monthly::Loaded`]. Numbers a reader compares are
//! formatted here with fixed precision; chart geometry is computed here, while every
//! text of a chart goes through the template (so it is escaped).

mod charts;
mod deliveries;
mod format;
mod staffing;

use super::{Provenance, ReportError, ReportFormat, Templates};
use crate::monthly::kpi::Rag;
use crate::monthly::metrics::{self, show_kpi, Outcome, AGE_BUCKETS};
use crate::monthly::{fixed1, show_date, show_dur, show_pc, show_time};
use crate::time::Time;
use crate::workspace::monthly::Loaded;
use charts::{charts, Charts};
pub use deliveries::{ClosedAnomaly, Deliveries, DeliveryRow};
use format::{clock, day_range, highlights, num, pct, pct2, percent, signed, trim_num};
use serde::Serialize;
pub use staffing::Staffing;

/// The version of the monthly report's JSON document: 2 added the numbers (`*_percent`,
/// `*_s`, `*_m`, `*_number`, probabilities) beside the display strings
/// (docs/monthly.md, "JSON").
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Debug, Clone, Serialize)]
pub struct MonthlyView {
    pub report: &'static str,
    /// The JSON document's version ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    pub reference: String,
    pub title: String,
    pub organisation: String,
    pub mission: String,
    pub month: String,
    pub month_label: String,
    /// `2014-10-01 to 2014-10-31 (GMT 274-304)`
    pub period: String,
    /// The document-control block (reference, issue, date, signatures, distribution,
    /// classification).
    pub document: DocumentControl,
    /// The manager's executive summary (`summary:`), shown first: paragraphs.
    pub executive_summary: Vec<String>,
    /// red, amber or green
    pub status: String,
    pub reasons: Vec<Reason>,
    pub highlights: Vec<String>,
    pub outlook: Vec<String>,
    pub kpis: Vec<KpiRow>,
    pub operations: Operations,
    pub planning: Planning,
    pub anomalies: Option<Anomalies>,
    pub collision: Option<Collision>,
    pub availability: Option<Availability>,
    pub procedures: Procedures,
    pub requirements: Option<Requirements>,
    /// The software deliveries of the month (`deliveries:`).
    pub deliveries: Option<Deliveries>,
    /// The staffing of the month: the plans' rosters, the staffing findings, the
    /// on-call log (`oncall_log:`).
    pub staffing: Staffing,
    /// Sections left out and why; data notes. In words, no tool jargon: the keys and
    /// flags that add a section are in `annex_notes`.
    pub notes: Vec<String>,
    /// The technical annex's notes: which key of monthly.yaml or which flag adds each
    /// section left out.
    pub annex_notes: Vec<String>,
    pub warnings: Vec<String>,
    /// Located notes on the inputs (`file:line: note: …`): rows not counted, names taken
    /// as one, CDMs read with their objects swapped.
    pub input_notes: Vec<String>,
    /// The errors and warnings of the plans' consistency check, located, errors first.
    pub check_findings: Vec<String>,
    pub definitions: Definitions,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentControl {
    pub reference: String,
    /// Empty when the manifest gives none.
    pub issue: String,
    /// The issue date (`issue_date:`, else the generation date), in the report's notation.
    pub date: String,
    /// Prepared, checked, approved: the roles the manifest names, in that order.
    pub signatures: Vec<Signature>,
    pub distribution: Vec<String>,
    /// Shown in the header and footer when given; empty otherwise.
    pub classification: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Signature {
    /// `Prepared by`, `Checked by`, `Approved by`
    pub role: String,
    pub name: String,
    /// Empty when the manifest gives no date.
    pub date: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reason {
    pub status: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct KpiRow {
    pub id: String,
    pub name: String,
    pub value: String,
    pub target: String,
    pub amber: String,
    /// green, amber, red or n/a
    pub status: String,
    pub previous: String,
    pub delta: String,
    /// better, worse, same or an empty string
    pub trend: String,
    pub definition: String,
    /// A custom KPI of the manifest (`kpis:`).
    pub custom: bool,
    /// Why the value is `n/a`, when the reader needs telling (a custom KPI whose
    /// activities were not planned or not done in the month); `null` otherwise.
    pub note: Option<String>,
    /// `%`, `count` or `h`: the unit of the `*_number` fields.
    pub unit: String,
    pub higher_is_better: bool,
    /// The value as a number (`null` when `n/a`), then the limits, last month's value
    /// and the change.
    pub value_number: Option<f64>,
    pub target_number: f64,
    pub amber_number: f64,
    pub previous_number: Option<f64>,
    pub delta_number: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Counts {
    pub planned: usize,
    pub done: usize,
    pub on_time: usize,
    /// Done, started before the tolerance.
    pub early: usize,
    /// Done, started after the tolerance.
    pub late: usize,
    pub partial: usize,
    pub moved: usize,
    pub cancelled: usize,
    pub not_reported: usize,
    pub deviated: usize,
}

impl Counts {
    fn of(c: &metrics::Counts) -> Counts {
        let get = |o| c.by_outcome.get(&o).copied().unwrap_or(0);
        Counts {
            planned: c.planned,
            done: c.done,
            on_time: get(Outcome::OnTime),
            early: get(Outcome::Early),
            late: get(Outcome::Late),
            partial: c.partial,
            moved: c.moved,
            cancelled: c.cancelled,
            not_reported: c.not_reported,
            deviated: c.deviated,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Operations {
    pub totals: Counts,
    pub completion: String,
    pub on_time_pct: String,
    pub tolerance: String,
    /// `null` when nothing was planned (completion) or ran (on time).
    pub completion_percent: Option<f64>,
    pub on_time_percent: Option<f64>,
    pub tolerance_s: i64,
    pub by_kind: Vec<KindRow>,
    pub weeks: Vec<WeekRow>,
    /// Critical activities of the month.
    pub critical: Vec<ActRow>,
    /// Activities not done on time.
    pub deviations: Vec<ActRow>,
    /// As-flown rows for activities planned outside the month (not counted).
    pub outside_month: usize,
    /// Activities of the plans whose time is unknown (not counted).
    pub unresolved: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct KindRow {
    pub kind: String,
    pub counts: Counts,
}

#[derive(Debug, Clone, Serialize)]
pub struct WeekRow {
    /// `W41`
    pub week: String,
    /// `6-12 Oct`
    pub days: String,
    pub counts: Counts,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActRow {
    pub plan: String,
    pub id: String,
    pub title: String,
    pub kind: String,
    pub critical: bool,
    pub planned: String,
    pub actual: String,
    /// `+12 min`
    pub delay: String,
    /// Actual start − planned start, seconds (`null` when it did not start).
    pub delay_s: Option<i64>,
    pub outcome: String,
    pub outcome_key: String,
    pub comment: String,
    pub change_requests: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Planning {
    pub plans: Vec<PlanRow>,
    pub stable: usize,
    pub stable_pct: String,
    pub stable_percent: Option<f64>,
    pub change_requests: Option<ChangeRequests>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanRow {
    pub id: String,
    pub title: String,
    pub issue: String,
    pub horizon: String,
    pub verdict: String,
    pub errors: usize,
    pub warnings: usize,
    /// `0 errors, 1 warning`
    pub findings: String,
    pub activities_in_month: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangeRequests {
    pub source: String,
    pub raised: usize,
    pub approved: usize,
    pub rejected: usize,
    pub withdrawn: usize,
    pub open_at_end: usize,
    pub list: Vec<CrRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CrRow {
    pub id: String,
    pub title: String,
    pub status: String,
    pub raised: String,
    pub decided: String,
    pub plan: String,
    pub activities: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Anomalies {
    pub source: String,
    pub opened: usize,
    pub closed: usize,
    pub open_at_end: usize,
    pub age_buckets: Vec<String>,
    pub by_severity: Vec<SeverityRow>,
    pub list: Vec<AnomalyRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SeverityRow {
    pub severity: String,
    pub opened: usize,
    pub closed: usize,
    pub open: usize,
    pub ages: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnomalyRow {
    pub id: String,
    pub severity: String,
    pub title: String,
    pub opened: String,
    pub closed: String,
    /// open, closed
    pub state: String,
    /// Age at month end (open) or time to close.
    pub age: String,
    /// The same in whole days (`null` for a closed anomaly without a closing date).
    pub age_days: Option<i64>,
    pub activity: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Collision {
    pub files: usize,
    pub cdms: usize,
    pub in_box: usize,
    pub yellow: usize,
    pub red: usize,
    pub without_pc: usize,
    pub events: usize,
    pub events_in_box: usize,
    pub events_yellow: usize,
    pub events_red: usize,
    pub manoeuvres_planned: usize,
    pub manoeuvres_flown: usize,
    pub median_decision: String,
    pub median_decision_s: Option<i64>,
    pub screening_box: String,
    /// The screening box's half-widths.
    pub box_radial_m: f64,
    pub box_along_m: f64,
    pub box_cross_m: f64,
    pub yellow_threshold: String,
    pub red_threshold: String,
    /// The thresholds as probabilities.
    pub yellow_probability: f64,
    pub red_probability: f64,
    pub event_list: Vec<EventRow>,
    pub manoeuvres: Vec<ActRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventRow {
    pub object: String,
    pub name: String,
    pub tca: String,
    pub cdms: usize,
    pub first_cdm: String,
    /// The first CDM's state: `Pc 3.2e-5, 1100 m`.
    pub first: String,
    /// The worst state over its CDMs: the highest Pc (`n/a` when no CDM gives one) and the
    /// smallest miss distance.
    pub max_pc: String,
    pub min_miss: String,
    /// The last CDM (by creation): when it was created and its state, after a
    /// manoeuvre when one was flown.
    pub last_cdm: String,
    pub last: String,
    /// green, yellow, red, or na (no CDM of the event gives a probability)
    pub class: String,
    pub in_box: bool,
    pub decision: String,
    pub decision_after: String,
    /// Probabilities (`null` when no CDM gives one) and miss distances as numbers.
    pub first_probability: Option<f64>,
    pub first_miss_distance_m: Option<f64>,
    pub max_probability: Option<f64>,
    pub min_miss_distance_m: f64,
    pub last_probability: Option<f64>,
    pub last_miss_distance_m: Option<f64>,
    pub decision_after_s: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Availability {
    pub source: String,
    /// `≥ 99.5 %`
    pub target: String,
    /// `≥ 99.0 %`
    pub amber: String,
    /// `31 d, 744 h`
    pub month_length: String,
    pub target_percent: Option<f64>,
    pub amber_percent: Option<f64>,
    pub month_length_s: i64,
    pub systems: Vec<SystemRow>,
    pub outages: Vec<OutageRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SystemRow {
    pub system: String,
    pub unplanned_outages: usize,
    pub planned_outages: usize,
    /// `1 h 05 min`
    pub unplanned_time: String,
    pub planned_time: String,
    /// Excluding planned outages: `99.87 %`
    pub availability: String,
    /// Including planned outages.
    pub availability_all: String,
    /// green, amber or red (availability against the target)
    pub status: String,
    pub unplanned_s: i64,
    pub planned_s: i64,
    pub availability_percent: f64,
    pub availability_all_percent: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutageRow {
    pub system: String,
    pub kind: String,
    pub start: String,
    pub end: String,
    /// In the month (clipped).
    pub duration: String,
    pub duration_s: i64,
    pub comment: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Procedures {
    pub procedures: Vec<ProcedureRow>,
    pub waivers: Vec<WaiverRow>,
    pub waived_violations: usize,
    pub unused_waivers: usize,
    /// Flight-rule violations (F001) found by the checks in the month's plans.
    pub violations: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProcedureRow {
    pub id: String,
    pub version: String,
    pub planned: usize,
    pub ran: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct WaiverRow {
    pub plan: String,
    pub rule: String,
    pub activities: String,
    pub reference: String,
    pub location: String,
    pub covered: Vec<String>,
    /// used or unused
    pub state: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Requirements {
    pub sources: Vec<String>,
    pub coverage: String,
    pub covered: usize,
    pub needing: usize,
    pub by_status: Vec<StatusCount>,
    pub previous_sources: Vec<String>,
    pub previous_coverage: String,
    pub delta: String,
    pub changes: Vec<ReqChange>,
    pub coverage_percent: f64,
    pub previous_coverage_percent: Option<f64>,
    /// Coverage now − against the previous baseline, percentage points.
    pub delta_points: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusCount {
    pub status: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReqChange {
    pub id: String,
    pub before: String,
    pub after: String,
}

/// The rules the report applies, stated in the report.
#[derive(Debug, Clone, Serialize)]
pub struct Definitions {
    pub on_time: String,
    pub rag: Vec<String>,
}

/// The HTML template's context: the view, its charts, and the texts of the printed
/// pages' margins as CSS strings.
#[derive(Serialize)]
struct HtmlContext<'a> {
    #[serde(flatten)]
    view: &'a MonthlyView,
    charts: Charts,
    /// `MOR-2014-10 issue 1.0` and the classification, each the inside of a CSS string
    /// ([`format::css_string`]): safe in `<style>` whatever the manifest wrote.
    css_reference: String,
    css_classification: String,
}

/// Renders the report in `format`.
pub fn render(
    view: &MonthlyView,
    templates: &Templates,
    format: ReportFormat,
    loaded: &Loaded,
) -> Result<String, ReportError> {
    match format {
        ReportFormat::Json => serde_json::to_string_pretty(view)
            .map(|s| s + "\n")
            .map_err(|e| ReportError::Template {
                name: "json".into(),
                message: e.to_string(),
            }),
        ReportFormat::Md => templates.render("monthly.md", view),
        ReportFormat::Html => templates.render(
            "monthly.html",
            &HtmlContext {
                view,
                charts: charts(view, loaded),
                css_reference: format::css_string(&if view.document.issue.is_empty() {
                    view.reference.clone()
                } else {
                    format!("{}, issue {}", view.reference, view.document.issue)
                }),
                css_classification: format::css_string(&view.document.classification),
            },
        ),
    }
}

/// Builds the view.
pub fn view(l: &Loaded) -> MonthlyView {
    let dt = l.manifest.dates;
    let m = &l.metrics;
    let month = l.month;
    let mission = l
        .plans
        .iter()
        .map(|p| p.mission.clone())
        .find(|s| !s.is_empty())
        .unwrap_or_default();
    let act_row = |r: &metrics::ActivityResult| -> ActRow {
        let a = &l.activities[r.activity];
        let f = r.flown.map(|i| &l.flown.value[i]);
        ActRow {
            plan: a.plan.clone(),
            id: a.id.clone(),
            title: a.title.clone(),
            kind: a.kind.clone().unwrap_or_default(),
            critical: a.critical,
            planned: dt.time(a.start),
            actual: f.map(|f| actual_span(f, dt)).unwrap_or_default(),
            delay: r
                .delay
                .map(|d| {
                    if d.0 == 0 {
                        "0 min".to_string()
                    } else if d.0 > 0 {
                        format!("+{}", show_dur(d))
                    } else {
                        show_dur(d)
                    }
                })
                .unwrap_or_default(),
            delay_s: r.delay.map(|d| d.0),
            outcome: r.outcome.as_str().into(),
            outcome_key: r.outcome.key().into(),
            comment: f.map(|f| f.comment.clone()).unwrap_or_default(),
            change_requests: r.changed_by_cr.clone(),
        }
    };

    // --- operations
    let ops = Operations {
        totals: Counts::of(&m.counts),
        completion: pct(m.counts.done, m.counts.planned),
        on_time_pct: pct(m.counts.on_time, m.counts.done + m.counts.partial),
        tolerance: show_dur(l.tolerance),
        completion_percent: percent(m.counts.done, m.counts.planned),
        on_time_percent: percent(m.counts.on_time, m.counts.done + m.counts.partial),
        tolerance_s: l.tolerance.0,
        by_kind: m
            .by_kind
            .iter()
            .map(|(k, c)| KindRow {
                kind: k.clone(),
                counts: Counts::of(c),
            })
            .collect(),
        weeks: m
            .weeks
            .iter()
            .map(|w| WeekRow {
                week: format!("W{:02}", w.iso_week),
                days: day_range(w.first, w.end),
                counts: Counts::of(&w.counts),
            })
            .collect(),
        critical: m
            .results
            .iter()
            .filter(|r| l.activities[r.activity].critical)
            .map(act_row)
            .collect(),
        deviations: m
            .results
            .iter()
            .filter(|r| r.outcome != Outcome::OnTime)
            .map(act_row)
            .collect(),
        outside_month: m.outside_month,
        unresolved: l.unresolved,
    };

    // --- planning
    let mut plan_order = m.planning.plans.clone();
    plan_order.sort_by(|&a, &b| {
        let (x, y) = (&l.plans[a], &l.plans[b]);
        (x.horizon.map(|h| h.0), &x.id).cmp(&(y.horizon.map(|h| h.0), &y.id))
    });
    let planning = Planning {
        plans: plan_order
            .iter()
            .map(|&i| {
                let p = &l.plans[i];
                PlanRow {
                    id: p.id.clone(),
                    title: p.title.clone(),
                    issue: p.issue.clone(),
                    horizon: p
                        .horizon
                        .map(|(s, e)| format!("{} .. {}", dt.time(s), dt.time(e)))
                        .unwrap_or_default(),
                    verdict: p.verdict().into(),
                    errors: p.errors,
                    warnings: p.warnings,
                    findings: format!(
                        "{} error{}, {} warning{}",
                        p.errors,
                        if p.errors == 1 { "" } else { "s" },
                        p.warnings,
                        if p.warnings == 1 { "" } else { "s" }
                    ),
                    activities_in_month: m
                        .results
                        .iter()
                        .filter(|r| l.activities[r.activity].plan == p.id)
                        .count(),
                }
            })
            .collect(),
        stable: m.planning.stable,
        stable_pct: pct(m.planning.stable, m.counts.planned),
        stable_percent: percent(m.planning.stable, m.counts.planned),
        change_requests: l.changes.as_ref().map(|c| ChangeRequests {
            source: c.path.clone(),
            raised: m.planning.raised,
            approved: m.planning.approved,
            rejected: m.planning.rejected,
            withdrawn: m.planning.withdrawn,
            open_at_end: m.planning.open_at_end,
            list: m
                .planning
                .crs
                .iter()
                .map(|&i| {
                    let cr = &c.value[i];
                    CrRow {
                        id: cr.id.clone(),
                        title: cr.title.clone(),
                        status: cr.status.as_str().into(),
                        raised: dt.stamp(cr.raised, cr.raised_clock),
                        decided: cr
                            .decided
                            .map(|t| dt.stamp(t, cr.decided_clock))
                            .unwrap_or_default(),
                        plan: cr.plan.clone().unwrap_or_default(),
                        activities: cr.activities.join(", "),
                    }
                })
                .collect(),
        }),
    };

    // --- anomalies
    let m_end = month.end();
    let anomalies = l
        .anomalies
        .as_ref()
        .zip(m.anomalies.as_ref())
        .map(|(a, s)| Anomalies {
            source: a.path.clone(),
            opened: s.opened,
            closed: s.closed,
            open_at_end: s.open_at_end,
            age_buckets: AGE_BUCKETS.iter().map(|(n, _)| n.to_string()).collect(),
            by_severity: s
                .by_severity
                .iter()
                .map(|(sev, (o, c, open))| SeverityRow {
                    severity: sev.as_str().into(),
                    opened: *o,
                    closed: *c,
                    open: *open,
                    ages: s.ages.get(sev).map(|a| a.to_vec()).unwrap_or_default(),
                })
                .collect(),
            list: {
                let mut rows: Vec<&crate::monthly::anomalies::Anomaly> =
                    s.listed.iter().map(|&i| &a.value[i]).collect();
                rows.sort_by(|x, y| {
                    (x.severity, x.opened, &x.id).cmp(&(y.severity, y.opened, &y.id))
                });
                rows.into_iter()
                    .map(|an| {
                        let open = an.open_at(m_end);
                        AnomalyRow {
                            id: an.id.clone(),
                            severity: an.severity.as_str().into(),
                            title: an.title.clone(),
                            opened: dt.date(an.opened),
                            closed: an
                                .closed
                                .filter(|c| *c < m_end)
                                .map(|t| dt.date(t))
                                .unwrap_or_default(),
                            age_days: if open {
                                Some((m_end.0 - an.opened.0).div_euclid(86_400))
                            } else {
                                an.closed.map(|c| (c.0 - an.opened.0).div_euclid(86_400))
                            },
                            state: if open { "open" } else { "closed" }.into(),
                            age: if open {
                                format!("{} d", (m_end.0 - an.opened.0).div_euclid(86_400))
                            } else {
                                an.closed
                                    .map(|c| {
                                        format!(
                                            "closed after {} d",
                                            (c.0 - an.opened.0).div_euclid(86_400)
                                        )
                                    })
                                    .unwrap_or_default()
                            },
                            activity: an.activity.clone().unwrap_or_default(),
                        }
                    })
                    .collect()
            },
        });

    // --- collision risk
    let sc = &l.screening;
    let collision = l.cdms.as_ref().zip(m.collision.as_ref()).map(|(_, c)| {
        let class = |pc: Option<f64>| {
            if pc.is_none() {
                "na"
            } else if sc.is_red(pc) {
                "red"
            } else if sc.is_yellow(pc) {
                "yellow"
            } else {
                "green"
            }
        };
        let cdms = l.cdms.as_deref().unwrap_or_default();
        let state = |i: usize| {
            cdms.get(i).map_or_else(String::new, |c| {
                format!(
                    "Pc {}, {:.0} m",
                    c.pc.map(show_pc).unwrap_or_else(|| "n/a".into()),
                    c.miss_distance
                )
            })
        };
        Collision {
            files: l.cdm_files.len(),
            cdms: c.cdms.len(),
            in_box: c.in_box,
            yellow: c.yellow,
            red: c.red,
            without_pc: c.without_pc,
            events: c.events.len(),
            events_in_box: c.events.iter().filter(|e| e.in_box).count(),
            events_yellow: c.events.iter().filter(|e| sc.is_yellow(e.max_pc)).count(),
            events_red: c.events.iter().filter(|e| sc.is_red(e.max_pc)).count(),
            manoeuvres_planned: c.manoeuvres.len(),
            manoeuvres_flown: c
                .manoeuvres
                .iter()
                .filter(|&&i| {
                    matches!(
                        m.results[i].outcome,
                        Outcome::OnTime | Outcome::Early | Outcome::Late | Outcome::Partial
                    )
                })
                .count(),
            median_decision: c
                .median_decision
                .map(metrics::show_secs)
                .unwrap_or_else(|| "n/a".into()),
            median_decision_s: c.median_decision,
            box_radial_m: sc.radial_m,
            box_along_m: sc.along_m,
            box_cross_m: sc.cross_m,
            yellow_probability: sc.yellow,
            red_probability: sc.red,
            screening_box: format!(
                "±{} km radial × ±{} km along-track × ±{} km cross-track",
                trim_num(sc.radial_m / 1000.0),
                trim_num(sc.along_m / 1000.0),
                trim_num(sc.cross_m / 1000.0)
            ),
            yellow_threshold: show_pc(sc.yellow),
            red_threshold: show_pc(sc.red),
            event_list: c
                .events
                .iter()
                .enumerate()
                .map(|(ei, e)| EventRow {
                    object: e.object.designator.clone(),
                    name: e.object.name.clone(),
                    tca: dt.time(e.tca),
                    cdms: e.cdms.len(),
                    first_cdm: dt.time(e.first_cdm),
                    first: e.cdms.first().map(|&i| state(i)).unwrap_or_default(),
                    max_pc: e.max_pc.map(show_pc).unwrap_or_else(|| "n/a".into()),
                    min_miss: format!("{:.0} m", e.min_miss),
                    last_cdm: e
                        .cdms
                        .last()
                        .and_then(|&i| cdms.get(i))
                        .map(|c| dt.time(c.creation))
                        .unwrap_or_default(),
                    last: e.cdms.last().map(|&i| state(i)).unwrap_or_default(),
                    class: class(e.max_pc).into(),
                    in_box: e.in_box,
                    decision: c
                        .decisions
                        .get(&ei)
                        .map(|(t, a)| {
                            let a = &l.activities[*a];
                            format!("{} {} ({})", a.plan, a.id, dt.time(*t))
                        })
                        .unwrap_or_default(),
                    decision_after: c
                        .decisions
                        .get(&ei)
                        .map(|(t, _)| show_dur(t.since(e.first_cdm)))
                        .unwrap_or_default(),
                    first_probability: e.cdms.first().and_then(|&i| cdms.get(i)?.pc),
                    first_miss_distance_m: e
                        .cdms
                        .first()
                        .and_then(|&i| Some(cdms.get(i)?.miss_distance)),
                    max_probability: e.max_pc,
                    min_miss_distance_m: e.min_miss,
                    last_probability: e.cdms.last().and_then(|&i| cdms.get(i)?.pc),
                    last_miss_distance_m: e
                        .cdms
                        .last()
                        .and_then(|&i| Some(cdms.get(i)?.miss_distance)),
                    decision_after_s: c.decisions.get(&ei).map(|(t, _)| t.since(e.first_cdm).0),
                })
                .collect(),
            manoeuvres: c
                .manoeuvres
                .iter()
                .map(|&i| act_row(&m.results[i]))
                .collect(),
        }
    });

    // --- availability
    let month_s = month.end().0 - month.start().0;
    let availability = l
        .outages
        .as_ref()
        .zip(m.availability.as_ref())
        .map(|(o, systems)| {
            let target = m
                .kpis
                .iter()
                .find(|k| k.def.id == "availability")
                .map(|k| (&k.def, k.target));
            let status = |v: f64| {
                target
                    .map(|(d, t)| crate::monthly::kpi::status(d, t, v).as_str())
                    .unwrap_or("n/a")
                    .to_string()
            };
            let count = |s: &crate::monthly::outages::SystemAvailability, k| {
                s.outages.iter().filter(|&&i| o.value[i].kind == k).count()
            };
            use crate::monthly::outages::OutageKind;
            let mut outages: Vec<OutageRow> = systems
                .iter()
                .flat_map(|s| s.outages.iter())
                .map(|&i| {
                    let x = &o.value[i];
                    let clipped = x.end.0.min(month.end().0) - x.start.0.max(month.start().0);
                    OutageRow {
                        system: x.system.clone(),
                        kind: x.kind.as_str().into(),
                        start: dt.time(x.start),
                        end: dt.time(x.end),
                        duration: show_dur(crate::time::Dur(clipped.max(0))),
                        duration_s: clipped.max(0),
                        comment: x.comment.clone(),
                    }
                })
                .collect();
            outages.sort_by(|a, b| {
                (&a.start, &a.system, &a.end, &a.kind).cmp(&(&b.start, &b.system, &b.end, &b.kind))
            });
            Availability {
                source: o.path.clone(),
                target: target
                    .map(|(_, t)| format!("≥ {}", pct2(t.target)))
                    .unwrap_or_default(),
                amber: target
                    .map(|(_, t)| format!("≥ {}", pct2(t.amber)))
                    .unwrap_or_default(),
                month_length: format!("{} d, {} h", month.days(), month_s / 3600),
                target_percent: target.map(|(_, t)| t.target),
                amber_percent: target.map(|(_, t)| t.amber),
                month_length_s: month_s,
                systems: systems
                    .iter()
                    .map(|s| SystemRow {
                        system: s.system.clone(),
                        unplanned_outages: count(s, OutageKind::Unplanned),
                        planned_outages: count(s, OutageKind::Planned),
                        unplanned_time: show_dur(crate::time::Dur(s.unplanned_s)),
                        planned_time: show_dur(crate::time::Dur(s.planned_s)),
                        availability: pct2(s.availability()),
                        availability_all: pct2(s.availability_all()),
                        status: status(s.availability()),
                        unplanned_s: s.unplanned_s,
                        planned_s: s.planned_s,
                        availability_percent: num(s.availability()),
                        availability_all_percent: num(s.availability_all()),
                    })
                    .collect(),
                outages,
            }
        });

    // --- procedures and flight rules
    let month_plans: std::collections::BTreeSet<&str> = m
        .planning
        .plans
        .iter()
        .map(|&i| l.plans[i].id.as_str())
        .collect();
    let waivers: Vec<WaiverRow> = l
        .flight_rules
        .waivers
        .iter()
        .filter(|w| month_plans.contains(w.plan.as_str()))
        .map(|w| WaiverRow {
            plan: w.plan.clone(),
            rule: w.rule.clone(),
            activities: w.activities.join(", "),
            reference: w.reference.clone(),
            location: w.location.clone(),
            // The findings' messages quote names in backticks: words for the page.
            covered: w.covered.iter().map(|c| c.replace('`', "")).collect(),
            state: if w.unused { "unused" } else { "used" }.into(),
        })
        .collect();
    let procedures = Procedures {
        procedures: m
            .procedures
            .iter()
            .map(|p| ProcedureRow {
                id: p.id.clone(),
                version: p.version.clone(),
                planned: p.planned,
                ran: p.ran,
            })
            .collect(),
        waived_violations: waivers.iter().map(|w| w.covered.len()).sum(),
        unused_waivers: waivers.iter().filter(|w| w.state == "unused").count(),
        waivers,
        violations: l
            .flight_rules
            .violations
            .iter()
            .filter(|(p, _)| month_plans.contains(p.as_str()))
            .map(|(_, n)| n)
            .sum(),
    };

    // --- requirements
    let requirements = l.coverage.as_ref().map(|now| {
        let prev = l.previous_coverage.as_ref();
        Requirements {
            sources: l.requirement_files.clone(),
            coverage: format!("{} %", fixed1(now.percent)),
            covered: now.covered,
            needing: now.needing,
            by_status: now
                .by_status
                .iter()
                .filter(|(_, c)| **c > 0)
                .map(|(s, c)| StatusCount {
                    status: s.clone(),
                    count: *c,
                })
                .collect(),
            previous_sources: if prev.is_some() {
                l.previous_files.clone()
            } else {
                Vec::new()
            },
            previous_coverage: prev
                .map(|p| format!("{} %", fixed1(p.percent)))
                .unwrap_or_default(),
            delta: prev
                .map(|p| signed(now.percent - p.percent, "%"))
                .unwrap_or_default(),
            changes: prev
                .map(|p| {
                    metrics::status_changes(&p.statuses, &now.statuses)
                        .into_iter()
                        .map(|(id, before, after)| ReqChange { id, before, after })
                        .collect()
                })
                .unwrap_or_default(),
            coverage_percent: num(now.percent),
            previous_coverage_percent: prev.map(|p| num(p.percent)),
            delta_points: prev.map(|p| num(now.percent - p.percent)),
        }
    });

    // --- KPIs
    let kpis: Vec<KpiRow> = m
        .kpis
        .iter()
        .map(|k| KpiRow {
            id: k.def.id.to_string(),
            name: k.def.name.to_string(),
            value: k
                .value
                .map(|v| show_kpi(&k.def, v))
                .unwrap_or_else(|| "n/a".into()),
            target: format!(
                "{} {}",
                if k.def.higher_is_better { "≥" } else { "≤" },
                show_kpi(&k.def, k.target.target)
            ),
            amber: format!(
                "{} {}",
                if k.def.higher_is_better { "≥" } else { "≤" },
                show_kpi(&k.def, k.target.amber)
            ),
            status: k.status.map_or("n/a", Rag::as_str).into(),
            previous: k.previous.map(|v| show_kpi(&k.def, v)).unwrap_or_default(),
            delta: k
                .value
                .zip(k.previous)
                .map(|(v, p)| signed(v - p, k.def.unit))
                .unwrap_or_default(),
            trend: k.trend.unwrap_or_default().into(),
            definition: k.def.definition.to_string(),
            custom: k.custom,
            note: k.note.clone(),
            unit: if k.def.unit.is_empty() {
                "count"
            } else {
                k.def.unit
            }
            .into(),
            higher_is_better: k.def.higher_is_better,
            value_number: k.value.map(num),
            target_number: num(k.target.target),
            amber_number: num(k.target.amber),
            previous_number: k.previous.map(num),
            delta_number: k.value.zip(k.previous).map(|(v, p)| num(v - p)),
        })
        .collect();

    // --- notes on what is missing
    let mut notes = Vec::new();
    let mut annex = Vec::new();
    if l.anomalies.is_none() {
        notes.push("No anomaly register was given: the anomalies section and the anomaly KPIs are left out.".to_string());
        annex.push(
            "The anomaly register: `anomalies:` in monthly.yaml or `--anomalies`.".to_string(),
        );
    }
    if l.cdms.is_none() {
        notes.push("No CDMs were given: the collision-risk section and the decision-time KPI are left out.".to_string());
        annex.push("The conjunction data messages: `cdm:` in monthly.yaml or `--cdm`.".to_string());
    }
    if l.changes.is_none() {
        notes.push("No change-request register was given: change requests are not counted, and plan stability counts only moved and cancelled activities.".to_string());
        annex.push(
            "The change-request register: `changes:` in monthly.yaml or `--changes`.".to_string(),
        );
    }
    if l.coverage.is_none() {
        notes.push(
            "The plans name no requirements: the requirement coverage section is left out."
                .to_string(),
        );
        annex.push("The requirements: `requirements:` in the plans' opsplan.yaml.".to_string());
    } else if l.previous_coverage.is_none() {
        notes.push("No previous baseline of the requirements was given: coverage is shown without its change.".to_string());
        annex.push("The previous requirements baseline: `previous_requirements:` in monthly.yaml or `--previous-requirements`.".to_string());
    }
    if l.outages.is_none() {
        notes.push("No outage log was given: the availability section and the availability KPI are left out.".to_string());
        annex.push("The outage log: `outages:` in monthly.yaml or `--outages`.".to_string());
    }
    if l.staffing.oncall.is_none() {
        notes.push(
            "No on-call log was given: the staffing section shows no call-outs, and the on-call KPI is left out."
                .to_string(),
        );
        annex.push(
            "The on-call log: `oncall_log:` (and `oncall_log_sheet:` for a workbook) in monthly.yaml or `--oncall-log`.".to_string(),
        );
    }
    if l.deliveries.is_none() {
        notes.push(
            "No software-delivery log was given: the software deliveries section is left out."
                .to_string(),
        );
        annex.push(
            "The software-delivery log: `deliveries:` (and `deliveries_sheet:` for a workbook) in monthly.yaml or `--deliveries`.".to_string(),
        );
    }
    match &l.history {
        None => {
            notes.push("No KPI history was given: KPIs are shown without trends.".to_string());
            annex.push(
                "The KPI history: `kpi_history:` in monthly.yaml or `--kpi-history`.".to_string(),
            );
        }
        Some(h) => {
            let previous = month.previous();
            match h.value.get(&previous) {
                None => notes.push(format!(
                    "The KPI history has no value for {previous}, the month before: every trend is blank (the history's sparklines leave the months it lacks as gaps)."
                )),
                Some(values) => {
                    let lacking: Vec<&str> = m
                        .kpis
                        .iter()
                        .filter(|k| k.value.is_some() && !values.contains_key(&*k.def.id))
                        .map(|k| &*k.def.name)
                        .collect();
                    if !lacking.is_empty() {
                        notes.push(format!(
                            "The KPI history has no {previous} value for {}: {} trend is blank.",
                            lacking.join(", "),
                            if lacking.len() == 1 { "its" } else { "their" }
                        ));
                    }
                }
            }
        }
    }
    if let (Some(all), Some(c)) = (&l.cdms, &m.collision) {
        let outside: Vec<usize> = (0..all.len()).filter(|i| !c.cdms.contains(i)).collect();
        if !outside.is_empty() {
            let shown: Vec<String> = outside
                .iter()
                .take(5)
                .map(|&i| {
                    format!(
                        "{} ({})",
                        l.cdm_files.get(i).map_or("", String::as_str),
                        dt.time(all[i].creation)
                    )
                })
                .collect();
            notes.push(format!(
                "{} CDM{} created outside {} {} not counted: {}{}.",
                outside.len(),
                if outside.len() == 1 { "" } else { "s" },
                month.label(),
                if outside.len() == 1 { "is" } else { "are" },
                shown.join(", "),
                if outside.len() > shown.len() {
                    format!(" and {} more", outside.len() - shown.len())
                } else {
                    String::new()
                }
            ));
        }
    }
    if l.cdms_not_ours > 0 {
        notes.push(format!(
            "{} CDM{} about other satellites than the mission's ({}) {} in no count (see the warnings).",
            l.cdms_not_ours,
            if l.cdms_not_ours == 1 { "" } else { "s" },
            l.our_objects.join(", "),
            if l.cdms_not_ours == 1 { "is" } else { "are" }
        ));
    }
    if m.outside_month > 0 {
        notes.push(format!(
            "{} as-flown row{} for activities planned outside {} {} not counted.",
            m.outside_month,
            if m.outside_month == 1 { "" } else { "s" },
            month.label(),
            if m.outside_month == 1 { "is" } else { "are" }
        ));
    }
    if l.unresolved > 0 {
        notes.push(format!(
            "{} planned activit{} without a resolved time {} not counted (see the plans' consistency check).",
            l.unresolved,
            if l.unresolved == 1 { "y" } else { "ies" },
            if l.unresolved == 1 { "is" } else { "are" }
        ));
    }

    let mut highlights = highlights(l, &ops, &anomalies, &collision, &requirements);
    if let Some(a) = &availability {
        if let Some(low) = m.availability.as_ref().and_then(|v| {
            v.iter()
                .min_by(|x, y| x.availability().total_cmp(&y.availability()))
        }) {
            highlights.push(format!(
                "Availability: lowest {} ({}, target {}) over {} system{}; {} outage{} in the month.",
                pct2(low.availability()),
                low.system,
                a.target,
                a.systems.len(),
                if a.systems.len() == 1 { "" } else { "s" },
                a.outages.len(),
                if a.outages.len() == 1 { "" } else { "s" }
            ));
        }
    }
    if !procedures.waivers.is_empty() || procedures.violations > 0 {
        highlights.push(format!(
            "Flight rules: {} waiver{} ({} violation{} covered, {} unused), {} violation{} not waived.",
            procedures.waivers.len(),
            if procedures.waivers.len() == 1 { "" } else { "s" },
            procedures.waived_violations,
            if procedures.waived_violations == 1 { "" } else { "s" },
            procedures.unused_waivers,
            procedures.violations,
            if procedures.violations == 1 { "" } else { "s" }
        ));
    }
    let reference = l
        .manifest
        .reference
        .clone()
        .unwrap_or_else(|| format!("MOR-{month}"));
    let provenance = Provenance::of_files(&l.files);
    let mf = &l.manifest;
    let document = DocumentControl {
        reference: reference.clone(),
        issue: mf.issue.clone().unwrap_or_default(),
        date: match mf.issue_date {
            Some(d) => dt.date(d.0),
            None => crate::monthly::parse_time(&provenance.generated)
                .map(|t| dt.date(t))
                .unwrap_or_default(),
        },
        signatures: [
            ("Prepared by", &mf.prepared),
            ("Checked by", &mf.checked),
            ("Approved by", &mf.approved),
        ]
        .into_iter()
        .filter_map(|(role, s)| {
            s.as_ref().map(|s| Signature {
                role: role.into(),
                name: s.name.clone(),
                date: s.date.map(|d| dt.date(d.0)).unwrap_or_default(),
            })
        })
        .collect(),
        distribution: mf.distribution.clone(),
        classification: mf.classification.clone().unwrap_or_default(),
    };
    MonthlyView {
        report: "monthly",
        document,
        executive_summary: mf.summary.0.clone(),
        schema_version: SCHEMA_VERSION,
        title: l
            .manifest
            .title
            .clone()
            .unwrap_or_else(|| format!("Monthly operations report, {}", month.label())),
        reference,
        organisation: l.manifest.organisation.clone().unwrap_or_default(),
        mission,
        month: month.to_string(),
        month_label: month.label(),
        period: format!(
            "{} to {} (GMT {}-{})",
            show_date(month.start()),
            show_date(Time(month.end().0 - 86_400)),
            &show_time(month.start())[5..8],
            &show_time(Time(month.end().0 - 86_400))[5..8]
        ),
        status: m.rag.as_str().into(),
        reasons: m
            .reasons
            .iter()
            .map(|(r, t)| Reason {
                status: r.as_str().into(),
                text: t.clone(),
            })
            .collect(),
        highlights,
        outlook: l.manifest.outlook.clone(),
        kpis,
        operations: ops,
        planning,
        anomalies,
        collision,
        availability,
        procedures,
        requirements,
        deliveries: deliveries::view(l, dt),
        staffing: staffing::view(l, dt),
        notes,
        annex_notes: annex,
        warnings: l.warnings.clone(),
        input_notes: l.notes.clone(),
        check_findings: l.check_findings.clone(),
        definitions: Definitions {
            on_time: format!(
                "An activity is on time when it ran (done or partial) and its actual start is within ±{} of its planned start (bounds included); a done activity that started earlier is counted early, later late.",
                show_dur(l.tolerance)
            ),
            rag: vec![
                "Red: a KPI is red, a critical anomaly is open at month end, a plan of the month fails its consistency check, or a red conjunction (Pc ≥ red threshold) had no avoidance manoeuvre flown between its first CDM and its TCA.".into(),
                format!(
                    "Amber: otherwise, a KPI is amber, or a major anomaly has been open more than {} d at month end.",
                    l.manifest.rag.major_open_days
                ),
                "Green: otherwise. KPIs without a value (n/a) do not count.".into(),
            ],
        },
        provenance,
    }
}

/// `2014-10-27 17:42 .. 18:30`, as the as-flown log wrote it: a date written alone stays
/// a date (`2014-10-27`, `2014-10-27 .. 2014-10-28`), never a made-up 00:00.
fn actual_span(f: &crate::monthly::asflown::Flown, dt: crate::monthly::Dates) -> String {
    let Some(s) = f.start else {
        return String::new();
    };
    let start = if f.start_clock {
        dt.time(s)
    } else {
        dt.date(s)
    };
    match f.end {
        None => start,
        Some(e) if !f.end_clock && dt.date(e) == dt.date(s) && !f.start_clock => start,
        Some(e) if !f.end_clock => format!("{start} .. {}", dt.date(e)),
        Some(e) if f.start_clock && dt.date(e) == dt.date(s) => format!("{start} .. {}", clock(e)),
        Some(e) => format!("{start} .. {}", dt.time(e)),
    }
}
