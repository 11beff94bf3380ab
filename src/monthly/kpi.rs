//! Key performance indicators: their definitions, default targets, the history of
//! earlier months (a CSV or sheet `month, kpi, value`), status and trend.

use super::manifest::Target;
use super::table::{find_columns, Column, Table};
use super::{one_of, Loc, Month, Problem, ReadCtx};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// A KPI's definition: a built-in one of [`KPIS`], or a custom one of `monthly.yaml`
/// ([`super::custom_kpi`]), whose texts are the manifest's.
#[derive(Debug, Clone)]
pub struct KpiDef {
    pub id: Cow<'static, str>,
    pub name: Cow<'static, str>,
    pub unit: &'static str,
    pub higher_is_better: bool,
    pub default: Target,
    pub definition: Cow<'static, str>,
}

/// Whether `t` makes sense for the KPI `def`: finite values, percentages within 0-100,
/// counts and hours not negative, and the amber limit on the lenient side of the target
/// (at most the target when higher is better, at least it when lower is). `Err` says what
/// is wrong.
pub fn check_target(def: &KpiDef, t: &Target) -> Result<(), String> {
    for (what, v) in [("target", t.target), ("amber", t.amber)] {
        if !v.is_finite() {
            return Err(format!("{what} {v} is not a number"));
        }
        if def.unit == "%" && !(0.0..=100.0).contains(&v) {
            return Err(format!("{what} {v} is not a percentage (0 to 100)"));
        }
        if v < 0.0 {
            return Err(format!("{what} {v} is negative"));
        }
    }
    if def.higher_is_better && t.amber > t.target {
        return Err(format!(
            "amber {} is above the target {}: higher is better, so the amber limit must be at most the target",
            t.amber, t.target
        ));
    }
    if !def.higher_is_better && t.amber < t.target {
        return Err(format!(
            "amber {} is below the target {}: lower is better, so the amber limit must be at least the target",
            t.amber, t.target
        ));
    }
    Ok(())
}

/// Every KPI, in report order.
pub const KPIS: &[KpiDef] = &[
    KpiDef {
        id: Cow::Borrowed("completion"),
        name: Cow::Borrowed("Activities completed"),
        unit: "%",
        higher_is_better: true,
        default: Target {
            target: 95.0,
            amber: 90.0,
        },
        definition: Cow::Borrowed("activities done / activities planned in the month"),
    },
    KpiDef {
        id: Cow::Borrowed("on_time"),
        name: Cow::Borrowed("On-time starts"),
        unit: "%",
        higher_is_better: true,
        default: Target {
            target: 95.0,
            amber: 85.0,
        },
        definition: Cow::Borrowed("activities done or partial that started within the tolerance of their planned start / activities done or partial"),
    },
    KpiDef {
        id: Cow::Borrowed("stability"),
        name: Cow::Borrowed("Plan stability"),
        unit: "%",
        higher_is_better: true,
        default: Target {
            target: 90.0,
            amber: 80.0,
        },
        definition: Cow::Borrowed("planned activities neither moved, cancelled nor changed by an approved change request / activities planned"),
    },
    KpiDef {
        id: Cow::Borrowed("change_requests"),
        name: Cow::Borrowed("Change requests raised"),
        unit: "",
        higher_is_better: false,
        default: Target {
            target: 8.0,
            amber: 12.0,
        },
        definition: Cow::Borrowed("change requests raised in the month"),
    },
    KpiDef {
        id: Cow::Borrowed("open_critical"),
        name: Cow::Borrowed("Critical anomalies open"),
        unit: "",
        higher_is_better: false,
        default: Target {
            target: 0.0,
            amber: 0.0,
        },
        definition: Cow::Borrowed("critical anomalies open at the end of the month"),
    },
    KpiDef {
        id: Cow::Borrowed("open_anomalies"),
        name: Cow::Borrowed("Anomalies open"),
        unit: "",
        higher_is_better: false,
        default: Target {
            target: 5.0,
            amber: 10.0,
        },
        definition: Cow::Borrowed("anomalies (any severity) open at the end of the month"),
    },
    KpiDef {
        id: Cow::Borrowed("coverage"),
        name: Cow::Borrowed("Requirement coverage"),
        unit: "%",
        higher_is_better: true,
        default: Target {
            target: 90.0,
            amber: 75.0,
        },
        definition: Cow::Borrowed("requirements needing coverage that are covered / requirements needing coverage (opsplan trace)"),
    },
    KpiDef {
        id: Cow::Borrowed("decision_time"),
        name: Cow::Borrowed("First CDM to decision (median)"),
        unit: "h",
        higher_is_better: false,
        default: Target {
            target: 24.0,
            amber: 48.0,
        },
        definition: Cow::Borrowed("median, over the conjunction events decided in the month, of the hours from the event's first CDM to the end of its decision activity"),
    },
    KpiDef {
        id: Cow::Borrowed("availability"),
        name: Cow::Borrowed("Availability (lowest system)"),
        unit: "%",
        higher_is_better: true,
        default: Target {
            target: 99.5,
            amber: 99.0,
        },
        definition: Cow::Borrowed("the lowest, over the systems of the outage log, of 1 − unplanned outage time in the month / the month's length (planned outages excluded)"),
    },
];

/// The on-call KPI: in the table only when an on-call log is given (after the other
/// built-in KPIs). Its default target is an assumption of ours (docs/monthly.md).
pub const ONCALL: KpiDef = KpiDef {
    id: Cow::Borrowed("oncall_response"),
    name: Cow::Borrowed("On-call responses in time"),
    unit: "%",
    higher_is_better: true,
    default: Target {
        target: 95.0,
        amber: 90.0,
    },
    definition: Cow::Borrowed("call-outs of the on-call log answered within their duty's response time / call-outs of the month for a duty with a response time, at times a roster covers"),
};

/// A built-in KPI by id (the on-call KPI too).
pub fn def(id: &str) -> Option<&'static KpiDef> {
    KPIS.iter().chain([&ONCALL]).find(|k| k.id == id)
}

/// red, amber, green, or n/a (no value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rag {
    Green,
    Amber,
    Red,
}

impl Rag {
    pub fn as_str(self) -> &'static str {
        match self {
            Rag::Green => "green",
            Rag::Amber => "amber",
            Rag::Red => "red",
        }
    }
}

/// The status of a value against its target (bounds met at equality).
pub fn status(def: &KpiDef, target: Target, value: f64) -> Rag {
    if def.higher_is_better {
        if value >= target.target {
            Rag::Green
        } else if value >= target.amber {
            Rag::Amber
        } else {
            Rag::Red
        }
    } else if value <= target.target {
        Rag::Green
    } else if value <= target.amber {
        Rag::Amber
    } else {
        Rag::Red
    }
}

/// Better, worse or unchanged compared with the previous value.
pub fn trend(def: &KpiDef, previous: f64, value: f64) -> &'static str {
    let d = value - previous;
    if d.abs() < 0.05 {
        "same"
    } else if (d > 0.0) == def.higher_is_better {
        "better"
    } else {
        "worse"
    }
}

/// Earlier months' values: month → KPI id → value.
pub type History = BTreeMap<Month, BTreeMap<String, f64>>;

const COLUMNS: &[Column] = &[
    Column {
        name: "month",
        aliases: &["month"],
        required: true,
    },
    Column {
        name: "kpi",
        aliases: &["kpi", "indicator", "kpi id"],
        required: true,
    },
    Column {
        name: "value",
        aliases: &["value"],
        required: true,
    },
];

/// Reads a KPI history table (`month, kpi, value`), whatever its months.
pub fn read_history(table: &Table) -> (History, Vec<Problem>) {
    read_history_with(table, &ReadCtx::default())
}

/// Reads a KPI history table. Rows for the month reported or later are not used (this
/// report computes the month's values; a later month cannot be known): a warning per such
/// month, at its first row. A month before 1957-10 is an error.
pub fn read_history_with(table: &Table, ctx: &ReadCtx) -> (History, Vec<Problem>) {
    read_history_of(table, ctx, Some(&[]))
}

/// [`read_history_with`], the KPI ids being the built-in ones and `custom` (the custom
/// KPIs of `monthly.yaml`); `None` when the manifest's `kpis:` could not be read: then
/// any id is taken (that error stops the report; the history's rows are not blamed for
/// it).
pub fn read_history_of(
    table: &Table,
    ctx: &ReadCtx,
    custom: Option<&[&str]>,
) -> (History, Vec<Problem>) {
    let cols = match find_columns(table, COLUMNS) {
        Ok(c) => c,
        Err(p) => return (History::new(), vec![p]),
    };
    let ids: Vec<&str> = KPIS
        .iter()
        .chain([&ONCALL])
        .map(|k| &*k.id)
        .chain(custom.unwrap_or_default().iter().copied())
        .collect();
    let mut out = History::new();
    let mut problems = Vec::new();
    let mut seen: BTreeMap<(Month, String), Loc> = BTreeMap::new();
    // Months at or after the month reported: where the first row is, how many rows.
    let mut late: BTreeMap<Month, (Loc, usize)> = BTreeMap::new();
    for row in table.rows.iter().skip(1) {
        let month = Month::parse(row.text(cols[0]))
            .map_err(|e| problems.push(Problem::error(row.loc(cols[0]), e)))
            .ok()
            .filter(|m| {
                let old = m.end() <= super::floor();
                if old {
                    problems.push(Problem::error(
                        row.loc(cols[0]),
                        format!(
                            "the month `{m}` is before 1957-10 (the first satellite): no report is that old; is the year mistyped?"
                        ),
                    ));
                }
                !old
            });
        let kpi = row.text(cols[1]).to_string();
        let known = custom.is_none() || ids.contains(&kpi.as_str());
        if !known {
            problems.push(Problem::error(
                row.loc(cols[1]),
                format!("unknown KPI `{kpi}`: the KPIs are {}", one_of(&ids)),
            ));
        }
        let vt = row.text(cols[2]);
        let value = match vt.trim_end_matches('%').trim().parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            _ => {
                problems.push(Problem::error(
                    row.loc(cols[2]),
                    format!("`{vt}` is not a number"),
                ));
                None
            }
        };
        if let (Some(m), true, Some(v)) = (month, known, value) {
            if let Some(first) = seen.get(&(m, kpi.clone())) {
                problems.push(Problem::error(
                    row.loc(cols[0]),
                    format!(
                        "{kpi} for {m} is given twice (first {})",
                        super::anomalies::where_is(first)
                    ),
                ));
                continue;
            }
            seen.insert((m, kpi.clone()), row.loc(cols[0]));
            if ctx.month.is_some_and(|r| m >= r) {
                late.entry(m).or_insert((row.loc(cols[0]), 0)).1 += 1;
                continue;
            }
            out.entry(m).or_default().insert(kpi, v);
        }
    }
    for (m, (loc, n)) in late {
        let reported = ctx.month.unwrap_or(m);
        problems.push(Problem::warning(
            loc,
            format!(
                "{n} row{} for {m} {} not used: {}",
                if n == 1 { "" } else { "s" },
                if n == 1 { "is" } else { "are" },
                if m == reported {
                    format!("{m} is the month reported, whose values this report computes from its inputs")
                } else {
                    format!("{m} is after the month reported ({reported})")
                }
            ),
        ));
    }
    (out, problems)
}
