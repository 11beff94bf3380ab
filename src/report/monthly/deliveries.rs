//! The software-deliveries section: the month's deliveries of the log (`deliveries:`),
//! each with the anomalies it closes and their titles from the anomaly register.

use crate::monthly::Dates;
use crate::workspace::monthly::Loaded;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Deliveries {
    pub source: String,
    /// Deliveries dated in the month.
    pub count: usize,
    /// Distinct anomalies they close.
    pub anomalies_closed: usize,
    /// `3 software deliveries in October 2014, closing 2 anomalies.`
    pub summary: String,
    pub list: Vec<DeliveryRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeliveryRow {
    pub software: String,
    pub version: String,
    /// major, minor, patch, hotfix, or empty
    pub kind: String,
    /// In the report's notation (`dates:`), the date alone.
    pub date: String,
    /// `2014-10-08` whatever the notation.
    pub date_iso: String,
    pub modules: Vec<String>,
    pub anomalies: Vec<ClosedAnomaly>,
    pub comment: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClosedAnomaly {
    pub id: String,
    /// From the anomaly register; empty without one.
    pub title: String,
}

/// The section, when a delivery log is given (empty of rows when none is in the month).
pub fn view(l: &Loaded, dt: Dates) -> Option<Deliveries> {
    let d = l.deliveries.as_ref()?;
    let titles: std::collections::BTreeMap<&str, &str> = l
        .anomalies
        .iter()
        .flat_map(|a| a.value.iter())
        .map(|a| (a.id.as_str(), a.title.as_str()))
        .collect();
    let title = |id: &str| titles.get(id).map_or_else(String::new, |t| t.to_string());
    let month: Vec<&crate::monthly::deliveries::Delivery> = d
        .value
        .iter()
        .filter(|x| x.ok && l.month.contains(x.date))
        .collect();
    let mut closed: Vec<&str> = month
        .iter()
        .flat_map(|x| x.anomalies.iter().map(String::as_str))
        .collect();
    closed.sort_unstable();
    closed.dedup();
    let (n, m) = (month.len(), closed.len());
    let summary = format!(
        "{n} software deliver{} in {}, closing {} anomal{}.",
        if n == 1 { "y" } else { "ies" },
        l.month.label(),
        if m == 0 {
            "no".to_string()
        } else {
            m.to_string()
        },
        if m == 1 { "y" } else { "ies" },
    );
    Some(Deliveries {
        source: d.path.clone(),
        count: n,
        anomalies_closed: m,
        summary,
        list: month
            .iter()
            .map(|x| DeliveryRow {
                software: x.software.clone(),
                version: x.version.clone(),
                kind: x.kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
                date: dt.date(x.date),
                date_iso: crate::monthly::show_date(x.date),
                modules: x.modules.clone(),
                anomalies: x
                    .anomalies
                    .iter()
                    .map(|id| ClosedAnomaly {
                        id: id.clone(),
                        title: title(id),
                    })
                    .collect(),
                comment: x.comment.clone(),
            })
            .collect(),
    })
}
