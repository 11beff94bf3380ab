//! The monthly report's charts, computed in Rust as SVG primitives (rectangles, lines,
//! circles, texts, polylines) that `templates/monthly.html` draws, so every text of a
//! chart passes through the template's escaping.

use super::{Counts, MonthlyView, Operations};
use crate::monthly::kpi::Rag;
use crate::monthly::metrics::{self, show_kpi};
use crate::monthly::{fixed1, show_pc, Month};
use crate::time::Time;
use crate::workspace::monthly::Loaded;
use serde::Serialize;

#[derive(Serialize)]
pub(super) struct Charts {
    weeks: Svg,
    pc: Option<Svg>,
    /// One per KPI, index for index (empty when there is nothing to draw).
    sparks: Vec<Svg>,
}

/// An SVG chart as primitives; the template draws them (and escapes every text).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Svg {
    pub width: u32,
    pub height: u32,
    pub title: String,
    pub rects: Vec<Rect>,
    pub lines: Vec<Line>,
    pub circles: Vec<Circle>,
    pub texts: Vec<Text>,
    /// Lines through points (`x,y x,y …`); a sparkline is cut where a month is missing.
    pub polylines: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Rect {
    pub x: String,
    pub y: String,
    pub w: String,
    pub h: String,
    pub class: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub x1: String,
    pub y1: String,
    pub x2: String,
    pub y2: String,
    pub class: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Circle {
    pub cx: String,
    pub cy: String,
    pub r: String,
    pub class: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Text {
    pub x: String,
    pub y: String,
    pub anchor: String,
    pub class: String,
    pub text: String,
}

fn n(x: f64) -> String {
    fixed1(x)
}

fn text(x: f64, y: f64, anchor: &str, class: &str, t: impl Into<String>) -> Text {
    Text {
        x: n(x),
        y: n(y),
        anchor: anchor.into(),
        class: class.into(),
        text: t.into(),
    }
}

fn line(x1: f64, y1: f64, x2: f64, y2: f64, class: &str) -> Line {
    Line {
        x1: n(x1),
        y1: n(y1),
        x2: n(x2),
        y2: n(y2),
        class: class.into(),
    }
}

pub(super) fn charts(v: &MonthlyView, l: &Loaded) -> Charts {
    Charts {
        weeks: weeks_chart(&v.operations),
        pc: v.collision.as_ref().map(|_| pc_chart(l)),
        sparks: l.metrics.kpis.iter().map(spark).collect(),
    }
}

/// Stacked bars: per week, the planned activities by outcome.
fn weeks_chart(ops: &Operations) -> Svg {
    let (w, h) = (640.0, 260.0);
    let (left, right, top, bottom) = (40.0, 150.0, 16.0, 40.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let max = ops
        .weeks
        .iter()
        .map(|w| w.counts.planned)
        .max()
        .unwrap_or(0)
        .max(1);
    let step = nice_step(max as f64);
    let top_val = (max as f64 / step).ceil() * step;
    let mut svg = Svg {
        width: w as u32,
        height: h as u32,
        title: "Planned activities per week, by outcome".into(),
        ..Svg::default()
    };
    let mut tick = 0.0;
    while tick <= top_val + 1e-9 {
        let y = top + plot_h - plot_h * tick / top_val;
        svg.lines.push(line(left, y, left + plot_w, y, "grid"));
        svg.texts.push(text(
            left - 6.0,
            y + 4.0,
            "end",
            "axis",
            format!("{tick:.0}"),
        ));
        tick += step;
    }
    let n_weeks = ops.weeks.len().max(1) as f64;
    let slot = plot_w / n_weeks;
    let bar = (slot * 0.6).min(60.0);
    let parts = |c: &Counts| {
        [
            ("on-time", "done on time", c.on_time),
            ("early", "done, started early", c.early),
            ("late", "done, started late", c.late),
            ("partial", "partial", c.partial),
            ("moved", "moved", c.moved),
            ("cancelled", "cancelled", c.cancelled),
            ("not-reported", "not reported", c.not_reported),
        ]
    };
    for (i, wk) in ops.weeks.iter().enumerate() {
        let x = left + slot * i as f64 + (slot - bar) / 2.0;
        let mut base = 0usize;
        for (class, label, count) in parts(&wk.counts) {
            if count == 0 {
                continue;
            }
            let y0 = top + plot_h - plot_h * (base + count) as f64 / top_val;
            let hh = plot_h * count as f64 / top_val;
            svg.rects.push(Rect {
                x: n(x),
                y: n(y0),
                w: n(bar),
                h: n(hh),
                class: format!("o-{class}"),
                title: format!("{} {}: {count} {label}", wk.week, wk.days),
            });
            base += count;
        }
        let cx = x + bar / 2.0;
        svg.texts.push(text(
            cx,
            top + plot_h + 16.0,
            "middle",
            "axis",
            wk.week.clone(),
        ));
        svg.texts.push(text(
            cx,
            top + plot_h + 30.0,
            "middle",
            "axis small",
            wk.days.clone(),
        ));
        svg.texts.push(text(
            cx,
            top + plot_h - plot_h * base as f64 / top_val - 4.0,
            "middle",
            "value",
            wk.counts.planned.to_string(),
        ));
    }
    svg.lines.push(line(
        left,
        top + plot_h,
        left + plot_w,
        top + plot_h,
        "axis",
    ));
    // legend
    let lx = w - right + 14.0;
    for (i, (class, label, _)) in parts(&ops.totals).iter().enumerate() {
        let y = top + 8.0 + 20.0 * i as f64;
        svg.rects.push(Rect {
            x: n(lx),
            y: n(y - 9.0),
            w: "11.0".into(),
            h: "11.0".into(),
            class: format!("o-{class}"),
            title: (*label).into(),
        });
        svg.texts
            .push(text(lx + 16.0, y, "start", "legend", *label));
    }
    svg
}

fn nice_step(max: f64) -> f64 {
    for s in [
        1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 500.0, 1000.0,
    ] {
        if max / s <= 6.0 {
            return s;
        }
    }
    (max / 6.0).ceil()
}

/// The month's CDMs: Pc (log scale) against creation date, with the thresholds.
fn pc_chart(l: &Loaded) -> Svg {
    let (w, h) = (640.0, 240.0);
    let (left, right, top, bottom) = (56.0, 20.0, 14.0, 36.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let (lo, hi) = (-9.0f64, -2.0f64);
    let mut svg = Svg {
        width: w as u32,
        height: h as u32,
        title: "Collision probability of each CDM received, by creation date (log scale)".into(),
        ..Svg::default()
    };
    let y_of = |pc: f64| {
        let e = if pc > 0.0 {
            pc.log10().clamp(lo, hi)
        } else {
            lo
        };
        top + plot_h - plot_h * (e - lo) / (hi - lo)
    };
    let (m0, m1) = (l.month.start().0 as f64, l.month.end().0 as f64);
    let x_of = |t: Time| left + plot_w * ((t.0 as f64 - m0) / (m1 - m0)).clamp(0.0, 1.0);
    for e in (lo as i32)..=(hi as i32) {
        let y = y_of(10f64.powi(e));
        svg.lines.push(line(left, y, left + plot_w, y, "grid"));
        svg.texts
            .push(text(left - 6.0, y + 4.0, "end", "axis", format!("1e{e}")));
    }
    for (thr, class) in [
        (l.screening.yellow, "thr-yellow"),
        (l.screening.red, "thr-red"),
    ] {
        let y = y_of(thr);
        svg.lines.push(line(left, y, left + plot_w, y, class));
    }
    let days = l.month.days();
    let mut d = 0;
    while d < days {
        let x = x_of(Time(l.month.start().0 + d * 86_400));
        svg.lines
            .push(line(x, top + plot_h, x, top + plot_h + 4.0, "axis"));
        svg.texts.push(text(
            x,
            top + plot_h + 18.0,
            "middle",
            "axis",
            format!("{}", d + 1),
        ));
        d += 5;
    }
    svg.lines.push(line(
        left,
        top + plot_h,
        left + plot_w,
        top + plot_h,
        "axis",
    ));
    let sc = &l.screening;
    if let (Some(cdms), Some(c)) = (&l.cdms, &l.metrics.collision) {
        for &i in &c.cdms {
            let cdm = &cdms[i];
            let title = format!(
                "{} {}: {} vs {}, Pc {}, miss {:.0} m",
                cdm.message_id,
                l.manifest.dates.time(cdm.creation),
                cdm.object1.designator,
                cdm.object2.designator,
                cdm.pc.map(show_pc).unwrap_or_else(|| "not given".into()),
                cdm.miss_distance
            );
            // A CDM without a probability is not drawn as one: a hollow grey circle on
            // the time axis, below every probability.
            let Some(pc) = cdm.pc else {
                svg.circles.push(Circle {
                    cx: n(x_of(cdm.creation)),
                    cy: n(top + plot_h),
                    r: "4.0".into(),
                    class: "pc-none".into(),
                    title,
                });
                continue;
            };
            let class = if sc.is_red(Some(pc)) {
                "pc-red"
            } else if sc.is_yellow(Some(pc)) {
                "pc-yellow"
            } else {
                "pc-green"
            };
            svg.circles.push(Circle {
                cx: n(x_of(cdm.creation)),
                cy: n(y_of(pc)),
                r: "4.0".into(),
                class: class.into(),
                title,
            });
        }
    }
    svg.texts.push(text(
        left + plot_w,
        top + plot_h + 32.0,
        "end",
        "axis small",
        format!("day of {}", l.month.label()),
    ));
    svg
}

/// A KPI's history as a small line.
fn spark(k: &metrics::KpiValue) -> Svg {
    let (w, h) = (110.0, 26.0);
    let mut svg = Svg {
        width: w as u32,
        height: h as u32,
        title: format!(
            "{}: {} month{}",
            k.def.name,
            k.series.len(),
            if k.series.len() == 1 { "" } else { "s" }
        ),
        ..Svg::default()
    };
    if k.series.len() < 2 {
        return svg;
    }
    // x by month, from the first month of the series to the month reported: a month the
    // history lacks is a gap in the line, not a point squeezed out.
    let index = |m: Month| i64::from(m.year) * 12 + i64::from(m.month);
    let (first, last_month) = (k.series[0].0, k.series[k.series.len() - 1].0);
    let months = (index(last_month) - index(first)).max(1) as f64;
    let vals: Vec<f64> = k.series.iter().map(|(_, v)| *v).collect();
    let lo = vals
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
        .min(k.target.target);
    let hi = vals
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max)
        .max(k.target.target);
    let span = if hi - lo < 1e-9 { 1.0 } else { hi - lo };
    let x_of = |m: Month| 4.0 + (w - 8.0) * (index(m) - index(first)) as f64 / months;
    let y_of = |v: f64| h - 4.0 - (h - 8.0) * (v - lo) / span;
    let ty = y_of(k.target.target);
    svg.lines.push(line(2.0, ty, w - 2.0, ty, "target"));
    // The points of a run of consecutive months, each with its month and value.
    let mut run: Vec<(String, String)> = Vec::new();
    let mut previous: Option<Month> = None;
    for (m, v) in &k.series {
        if previous.is_some_and(|p| p.next() != *m) {
            flush(&mut svg, &mut run);
        }
        run.push((
            format!("{},{}", n(x_of(*m)), n(y_of(*v))),
            format!("{m}: {}", show_kpi(&k.def, *v)),
        ));
        previous = Some(*m);
    }
    flush(&mut svg, &mut run);
    let (m_last, v_last) = k.series[k.series.len() - 1];
    svg.circles.push(Circle {
        cx: n(x_of(m_last)),
        cy: n(y_of(v_last)),
        r: "2.5".into(),
        class: format!("s-{}", k.status.map_or("na", Rag::as_str)),
        title: k
            .series
            .iter()
            .map(|(m, v)| format!("{m}: {}", show_kpi(&k.def, *v)))
            .collect::<Vec<_>>()
            .join(", "),
    });
    svg
}

/// Ends a run of consecutive months: a line when it has two points or more, a dot when
/// it has one (a month between two gaps).
fn flush(svg: &mut Svg, run: &mut Vec<(String, String)>) {
    match run.len() {
        0 => {}
        1 => {
            if let Some((x, y)) = run[0].0.split_once(',') {
                svg.circles.push(Circle {
                    cx: x.into(),
                    cy: y.into(),
                    r: "1.5".into(),
                    class: "s-point".into(),
                    title: run[0].1.clone(),
                });
            }
        }
        _ => svg.polylines.push(
            run.iter()
                .map(|(p, _)| p.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        ),
    }
    run.clear();
}
