//! How the monthly report writes its numbers and its summary sentences: fixed
//! precision for what a reader compares, signed changes, day ranges; the highlights.

use super::{Anomalies, Collision, Operations, Requirements};
use crate::monthly::fixed1;
use crate::monthly::metrics;
use crate::time::Time;
use crate::workspace::monthly::Loaded;

/// `99.87 %`: two decimals, as availability is read (one decimal would show 99.9 % for
/// 99.86 %).
pub(super) fn pct2(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let r = (x * 100.0).round() / 100.0;
    format!("{r:.2} %")
}

pub(super) fn pct(n: usize, d: usize) -> String {
    if d == 0 {
        "n/a".into()
    } else {
        format!("{} %", fixed1(100.0 * n as f64 / d as f64))
    }
}

/// `n / d` in percent, `None` when `d` is 0: the number behind [`pct`].
pub(super) fn percent(n: usize, d: usize) -> Option<f64> {
    (d != 0).then(|| num(100.0 * n as f64 / d as f64))
}

/// The inside of a CSS string for `content:` in `<style>`: letters, digits and blanks
/// as they are, every other character as a CSS escape (`\\3c `), so no quote, backslash
/// or `</style>` of the input survives.
pub(super) fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == ' ' {
            out.push(c);
        } else {
            out.push_str(&format!("\\{:x} ", c as u32));
        }
    }
    out
}

/// A computed number for the JSON, to 6 decimals: `3.333333`, not the
/// `3.3333333333333286` a subtraction leaves (the figures shown have at most 2).
pub(super) fn num(x: f64) -> f64 {
    if x.is_finite() {
        (x * 1e6).round() / 1e6
    } else {
        x
    }
}

pub(super) fn signed(x: f64, unit: &str) -> String {
    let s = fixed1(x);
    let s = if x > 0.0 && s != "0.0" {
        format!("+{s}")
    } else {
        s
    };
    match unit {
        "%" => format!("{s} pt"),
        "" => s,
        u => format!("{s} {u}"),
    }
}

pub(super) fn highlights(
    l: &Loaded,
    ops: &Operations,
    anomalies: &Option<Anomalies>,
    collision: &Option<Collision>,
    reqs: &Option<Requirements>,
) -> Vec<String> {
    let t = &ops.totals;
    let mut out = vec![format!(
        "{} activities planned in {} plan{}: {} done ({} on time), {} partial, {} moved, {} cancelled, {} not reported.",
        t.planned,
        l.metrics.planning.plans.len(),
        if l.metrics.planning.plans.len() == 1 { "" } else { "s" },
        t.done,
        ops.on_time_pct,
        t.partial,
        t.moved,
        t.cancelled,
        t.not_reported
    )];
    for a in &ops.critical {
        out.push(format!(
            "Critical: {} {} ({}), planned {}, {}{}.",
            a.plan,
            a.id,
            a.title,
            a.planned,
            a.outcome,
            if a.actual.is_empty() {
                String::new()
            } else {
                format!(", flown {}", a.actual)
            }
        ));
    }
    if let Some(c) = collision {
        out.push(format!(
            "Collision risk: {} CDMs, {} events ({} in the screening box, {} ≥ {}, {} ≥ {}); {} avoidance manoeuvre{} flown of {} planned.",
            c.cdms,
            c.events,
            c.events_in_box,
            c.events_yellow,
            c.yellow_threshold,
            c.events_red,
            c.red_threshold,
            c.manoeuvres_flown,
            if c.manoeuvres_flown == 1 { "" } else { "s" },
            c.manoeuvres_planned
        ));
    }
    if let Some(a) = anomalies {
        let crit = a
            .by_severity
            .iter()
            .find(|s| s.severity == "critical")
            .map_or(0, |s| s.open);
        out.push(format!(
            "Anomalies: {} opened, {} closed, {} open at month end ({} critical).",
            a.opened, a.closed, a.open_at_end, crit
        ));
    }
    if let Some(r) = reqs {
        out.push(if r.previous_coverage.is_empty() {
            format!(
                "Requirement coverage {} ({} of {}).",
                r.coverage, r.covered, r.needing
            )
        } else {
            format!(
                "Requirement coverage {} ({} of {}), {} against the previous baseline ({}).",
                r.coverage, r.covered, r.needing, r.delta, r.previous_coverage
            )
        });
    }
    out
}

pub(super) fn trim_num(x: f64) -> String {
    let s = format!("{x:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// `17:42`
pub(super) fn clock(t: Time) -> String {
    crate::monthly::Dates::DayOfYear.time(t)[9..].to_string()
}

/// `6-12 Oct`
pub(super) fn day_range(first: Time, end: Time) -> String {
    let a = metrics::civil(first);
    let b = metrics::civil(Time(end.0 - 86_400));
    let mon = |d: jiff::civil::Date| {
        [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ][(d.month() - 1) as usize]
    };
    if a == b {
        format!("{} {}", a.day(), mon(a))
    } else {
        format!("{}-{} {}", a.day(), b.day(), mon(b))
    }
}
