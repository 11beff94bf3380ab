//! The timeline (Gantt) of a plan as geometry for an SVG template: phases, windows as
//! bands, activities in swimlanes by role, violations highlighted and linked to their
//! findings.
//!
//! Only numbers and texts leave this module; the template draws them (so every text is
//! escaped by the HTML template). A plan of up to [`DETAIL_MAX_DAYS`] days and
//! [`DETAIL_MAX_ACTIVITIES`] activities gets one page per day with every activity; a
//! longer or denser plan gets an overview (activities counted per lane and time bin,
//! windows as the share of each bin they cover, violations per bin) and detail pages for
//! the first [`DETAIL_PAGES_WHEN_LONG`] days that hold violations. Work is linear in
//! activities plus window occurrences (one sort for the swimlane rows).

use crate::model::staffing::Staffing;
use crate::model::{ActIdx, PlanModel};
use crate::time::{Interval, Time};
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

mod staff;
pub(crate) use staff::{duty_gaps, position_gaps};

/// Longest plan drawn day by day in full.
pub const DETAIL_MAX_DAYS: i64 = 14;
/// Most activities drawn box by box.
pub const DETAIL_MAX_ACTIVITIES: usize = 3_000;
/// Day pages added to an overview: the first days holding violations.
pub const DETAIL_PAGES_WHEN_LONG: usize = 7;
/// Columns of the overview.
const OVERVIEW_BINS: i64 = 240;
/// A window with more occurrences than this on one page is drawn as shares of bins.
const MAX_BANDS_PER_PAGE: u64 = 480;

const LABEL_W: i64 = 120;
const PLOT_W: i64 = 960;
const ROW_H: i64 = 18;
const BAR_H: i64 = 14;
const HEADER_H: i64 = 22;
const DAY: i64 = 86_400;

/// A finding to show on the timeline.
#[derive(Debug, Clone)]
pub struct Mark {
    /// The finding's anchor in the report (`F3`).
    pub anchor: String,
    /// The activity it is about, if any.
    pub activity: Option<ActIdx>,
    /// When it happens, if known (a flight-rule violation's interval).
    pub interval: Option<Interval>,
    pub error: bool,
    /// `F001 FR-09 …`: the tooltip.
    pub title: String,
}

/// Every page of one plan's timeline.
#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    pub plan: String,
    /// `days` or `overview`.
    pub mode: &'static str,
    /// Why the plan is not drawn in full, when it is not.
    pub note: Option<String>,
    pub pages: Vec<Page>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// The HTML id (`tl-ATV5-W40-2014-273`).
    pub id: String,
    pub title: String,
    pub width: i64,
    pub height: i64,
    pub plot_x: i64,
    pub plot_w: i64,
    pub ticks: Vec<Tick>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tick {
    pub x: i64,
    pub label: String,
}

/// One horizontal band of a page.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// `phase`, `window`, `lane` or `violations`.
    pub kind: &'static str,
    pub label: String,
    pub y: i64,
    pub height: i64,
    pub items: Vec<Item>,
}

/// A box on a row.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub x: i64,
    pub y: i64,
    pub w: i64,
    pub h: i64,
    /// CSS classes: `bar`, `critical`, `violation`, `error`, `band`, `phase`, `heat3` …
    pub class: String,
    /// Text drawn inside the box (empty when it would not fit).
    pub label: String,
    /// The tooltip.
    pub title: String,
    /// The finding it links to (`#F3`).
    pub href: Option<String>,
}

/// Builds the timeline of `plan`.
pub fn build(plan: &PlanModel, marks: &[Mark]) -> Timeline {
    build_staffed(plan, marks, &[])
}

/// Builds the timeline of `plan` with a staffing lane per position and a thin on-call
/// lane per duty of `rosters` (those staffing it) below the activity lanes
/// (`gantt/staff.rs`). Without rosters, the timeline of [`build`].
pub fn build_staffed(plan: &PlanModel, marks: &[Mark], rosters: &[&Staffing]) -> Timeline {
    let known: Vec<(ActIdx, Interval)> = plan
        .activities
        .iter()
        .enumerate()
        .filter_map(|(i, a)| a.time.interval().map(|iv| (i, iv)))
        .collect();
    let span = plan.horizon.or_else(|| {
        let start = known.iter().map(|(_, iv)| iv.start).min()?;
        let end = known.iter().map(|(_, iv)| iv.end).max()?;
        Some(Interval::new(start, end))
    });
    let mut timeline = Timeline {
        plan: plan.id.value.clone(),
        mode: "days",
        note: None,
        pages: Vec::new(),
    };
    let Some(span) = span else {
        timeline.note = Some("no activity has a known time: nothing to draw".into());
        return timeline;
    };
    let first_day = span.start.day_start().0;
    let last_day = Time(span.end.0 - 1).day_start().0.max(first_day);
    let days = (last_day - first_day) / DAY + 1;

    // Per activity: the finding it links to (the first, errors before the rest).
    let mut flagged: HashMap<ActIdx, &Mark> = HashMap::default();
    for m in marks {
        if let Some(a) = m.activity {
            let e = flagged.entry(a).or_insert(m);
            if m.error && !e.error {
                *e = m;
            }
        }
    }
    let lanes = staff::Lanes::new(rosters);
    let ctx = Ctx {
        plan,
        flagged: &flagged,
        marks,
        staff: &lanes,
    };

    if days <= DETAIL_MAX_DAYS && known.len() <= DETAIL_MAX_ACTIVITIES {
        let buckets = day_buckets(&known, first_day, days);
        for (d, acts) in buckets.iter().enumerate() {
            let start = Time(first_day + d as i64 * DAY);
            timeline.pages.push(ctx.day_page(start, acts));
        }
        return timeline;
    }

    timeline.mode = "overview";
    timeline.pages.push(ctx.overview(span, &known));
    // Detail pages for the first days holding error findings.
    let mut violation_days: Vec<i64> = marks
        .iter()
        .filter(|m| m.error)
        .filter_map(|m| {
            m.interval
                .or_else(|| m.activity.and_then(|a| plan.activities[a].time.interval()))
        })
        .map(|iv| iv.start.day_start().0)
        .filter(|d| (first_day..=last_day).contains(d))
        .collect();
    violation_days.sort_unstable();
    violation_days.dedup();
    let shown: Vec<i64> = violation_days
        .iter()
        .copied()
        .take(DETAIL_PAGES_WHEN_LONG)
        .collect();
    let buckets = day_buckets(&known, first_day, days);
    for &d in &shown {
        let idx = ((d - first_day) / DAY) as usize;
        timeline.pages.push(ctx.day_page(Time(d), &buckets[idx]));
    }
    timeline.note = Some(format!(
        "{} activities over {} days: the overview counts activities per lane and time bin \
         (darker is busier); {} drawn in full{}.",
        known.len(),
        days,
        match shown.len() {
            0 => "no day holds an error, so no day is".to_string(),
            1 => "the one day holding errors is".to_string(),
            n => format!("the first {n} days holding errors are"),
        },
        if violation_days.len() > shown.len() {
            format!(
                " ({} more days hold errors)",
                violation_days.len() - shown.len()
            )
        } else {
            String::new()
        }
    ));
    timeline
}

/// Activities overlapping each day, in start order.
fn day_buckets(
    known: &[(ActIdx, Interval)],
    first_day: i64,
    days: i64,
) -> Vec<Vec<(ActIdx, Interval)>> {
    let mut buckets: Vec<Vec<(ActIdx, Interval)>> = vec![Vec::new(); days as usize];
    for &(a, iv) in known {
        let from = ((iv.start.0 - first_day).div_euclid(DAY)).max(0);
        let to = ((iv.end.0 - 1 - first_day).div_euclid(DAY)).min(days - 1);
        for d in from..=to {
            buckets[d as usize].push((a, iv));
        }
    }
    for b in &mut buckets {
        b.sort_by_key(|&(a, iv)| (iv.start, a));
    }
    buckets
}

struct Ctx<'a> {
    plan: &'a PlanModel,
    flagged: &'a HashMap<ActIdx, &'a Mark>,
    marks: &'a [Mark],
    staff: &'a staff::Lanes<'a>,
}

/// Maps times of `[start, end)` onto the plot.
struct Scale {
    start: i64,
    end: i64,
}

impl Scale {
    fn x(&self, t: i64) -> i64 {
        let t = t.clamp(self.start, self.end);
        LABEL_W
            + ((t - self.start) as i128 * PLOT_W as i128 / (self.end - self.start) as i128) as i64
    }

    /// x and width of an interval clipped to the page, at least 2 px wide.
    fn span(&self, iv: Interval) -> Option<(i64, i64)> {
        if iv.end.0 <= self.start || iv.start.0 >= self.end {
            return None;
        }
        let x = self.x(iv.start.0);
        let w = (self.x(iv.end.0) - x).max(2);
        Some((x, w))
    }
}

impl Ctx<'_> {
    fn format(&self, t: Time) -> String {
        self.plan.format_time(t)
    }

    /// One day with every activity.
    fn day_page(&self, day: Time, acts: &[(ActIdx, Interval)]) -> Page {
        let scale = Scale {
            start: day.0,
            end: day.0 + DAY,
        };
        let ticks = (0..=24)
            .step_by(2)
            .map(|h| Tick {
                x: scale.x(day.0 + h * 3600),
                label: format!("{h:02}:00"),
            })
            .collect();
        let mut rows = Vec::new();
        let mut y = HEADER_H;
        let page_iv = Interval::new(day, Time(day.0 + DAY));
        y = self.phase_row(&scale, page_iv, y, &mut rows);
        y = self.window_rows(&scale, page_iv, y, &mut rows);

        // Swimlanes: roles in declaration order, then activities without a role.
        let mut lanes: Vec<Vec<(ActIdx, Interval)>> = vec![Vec::new(); self.plan.roles.len() + 1];
        for &(a, iv) in acts {
            let by = &self.plan.activities[a].ast.by;
            let mut placed = false;
            for role in by {
                if let Some(&r) = self.plan.role_index.get(&role.value) {
                    lanes[r].push((a, iv));
                    placed = true;
                }
            }
            if !placed {
                lanes[self.plan.roles.len()].push((a, iv));
            }
        }
        for (r, lane) in lanes.iter().enumerate() {
            if lane.is_empty() {
                continue;
            }
            let label = self
                .plan
                .roles
                .get(r)
                .map_or("(no role)".to_string(), |role| role.name.value.clone());
            let (items, sub_rows) = self.lane_items(&scale, lane, y);
            let height = sub_rows * ROW_H + 4;
            rows.push(Row {
                kind: "lane",
                label,
                y,
                height,
                items,
            });
            y += height;
        }
        y = self.staff.rows(&scale, page_iv, None, y, &mut rows);
        y = self.violation_row(&scale, page_iv, y, &mut rows);
        let date = day_title(day);
        Page {
            id: format!(
                "tl-{}-{}",
                slug(&self.plan.id.value),
                slug(&short_day(day, self.plan))
            ),
            title: date,
            width: LABEL_W + PLOT_W + 24,
            height: y + 6,
            plot_x: LABEL_W,
            plot_w: PLOT_W,
            ticks,
            rows,
        }
    }

    fn phase_row(&self, scale: &Scale, page: Interval, y: i64, rows: &mut Vec<Row>) -> i64 {
        let items: Vec<Item> = self
            .plan
            .phases
            .iter()
            .filter_map(|p| {
                let iv = p.interval?;
                let instant = iv.start == iv.end && page.start <= iv.start && iv.start < page.end;
                if !(iv.overlaps(&page) || instant) {
                    return None;
                }
                let (x, w) = scale.span(iv)?;
                let name = p.name.value.clone();
                let title = match &p.title {
                    Some(t) => format!("{name} \"{t}\" {}", iv.format(self.plan.notation)),
                    None => format!("{name} {}", iv.format(self.plan.notation)),
                };
                Some(Item {
                    x,
                    y: y + 2,
                    w,
                    h: BAR_H,
                    class: "phase".into(),
                    label: fit(&name, w),
                    title,
                    href: None,
                })
            })
            .collect();
        if items.is_empty() {
            return y;
        }
        rows.push(Row {
            kind: "phase",
            label: "phases".into(),
            y,
            height: ROW_H,
            items,
        });
        y + ROW_H
    }

    fn window_rows(&self, scale: &Scale, page: Interval, mut y: i64, rows: &mut Vec<Row>) -> i64 {
        for w in &self.plan.windows {
            let name = &w.decl.name.value;
            let class = w.kind().as_str();
            let occ = &w.occurrences;
            // A window denser than the page can show (a one-second window over a day)
            // is drawn as the share of each bin it covers, by arithmetic.
            let items: Vec<Item> = if occ.count_overlapping(page) > MAX_BANDS_PER_PAGE {
                let bins = OVERVIEW_BINS;
                let bin_len = ((page.end.0 - page.start.0) / bins).max(1);
                let bin_iv = |b: i64| {
                    Interval::new(
                        Time(page.start.0 + b * bin_len),
                        Time((page.start.0 + (b + 1) * bin_len).min(page.end.0)),
                    )
                };
                let cover: Vec<i64> = (0..bins).map(|b| occ.covered_within(bin_iv(b)).0).collect();
                heat_items(
                    scale,
                    &cover,
                    bin_len,
                    &bin_iv,
                    y,
                    &format!("band {class}"),
                    |share| format!("{name} covers {share}% of"),
                )
            } else {
                occ.overlapping(page)
                    .filter_map(|iv| {
                        let (x, width) = scale.span(iv)?;
                        Some(Item {
                            x,
                            y: y + 3,
                            w: width,
                            h: ROW_H - 6,
                            class: format!("band {class}"),
                            label: String::new(),
                            title: format!("{name} {}", iv.format(self.plan.notation)),
                            href: None,
                        })
                    })
                    .collect()
            };
            rows.push(Row {
                kind: "window",
                label: name.clone(),
                y,
                height: ROW_H,
                items,
            });
            y += ROW_H;
        }
        y
    }

    /// Bars of one lane, packed into sub-rows so overlapping activities never hide each
    /// other. Returns the items and the number of sub-rows.
    fn lane_items(&self, scale: &Scale, lane: &[(ActIdx, Interval)], y: i64) -> (Vec<Item>, i64) {
        let mut free: BinaryHeap<Reverse<(i64, i64)>> = BinaryHeap::new();
        let mut sub_rows = 0;
        let mut items = Vec::with_capacity(lane.len());
        for &(a, iv) in lane {
            let Some((x, w)) = scale.span(iv) else {
                continue;
            };
            let row = match free.peek() {
                Some(&Reverse((end, row))) if end <= x => {
                    free.pop();
                    row
                }
                _ => {
                    sub_rows += 1;
                    sub_rows - 1
                }
            };
            free.push(Reverse((x + w + 1, row)));
            let act = &self.plan.activities[a];
            let id = &act.ast.id.value;
            let mut class = String::from("bar");
            if act.ast.critical.is_some() {
                class.push_str(" critical");
            }
            let flag = self.flagged.get(&a);
            if let Some(m) = flag {
                class.push_str(if m.error { " violation" } else { " flagged" });
            }
            let mut title = format!("{id} {}", iv.format(self.plan.notation));
            if let Some(t) = &act.ast.title {
                title = format!("{id} \"{}\" {}", t.value, iv.format(self.plan.notation));
            }
            if let Some(m) = flag {
                title.push_str(" | ");
                title.push_str(&m.title);
            }
            let label = match &act.ast.title {
                Some(t) if fits(&format!("{id} {}", t.value), w) => format!("{id} {}", t.value),
                _ => fit(id, w),
            };
            items.push(Item {
                x,
                y: y + 2 + row * ROW_H,
                w,
                h: BAR_H,
                class,
                label,
                title,
                href: flag.map(|m| format!("#{}", m.anchor)),
            });
        }
        (items, sub_rows.max(1))
    }

    /// Findings with a time, as marks under the lanes.
    fn violation_row(&self, scale: &Scale, page: Interval, y: i64, rows: &mut Vec<Row>) -> i64 {
        let items: Vec<Item> = self
            .marks
            .iter()
            .filter_map(|m| {
                let iv = m.interval?;
                let instant = iv.start == iv.end && page.start <= iv.start && iv.start < page.end;
                if !(iv.overlaps(&page) || instant) {
                    return None;
                }
                let (x, w) =
                    scale.span(Interval::new(iv.start, Time(iv.end.0.max(iv.start.0 + 1))))?;
                Some(Item {
                    x,
                    y: y + 3,
                    w,
                    h: ROW_H - 6,
                    class: if m.error { "mark error" } else { "mark" }.into(),
                    label: String::new(),
                    title: format!("{} {}", m.title, iv.format(self.plan.notation)),
                    href: Some(format!("#{}", m.anchor)),
                })
            })
            .collect();
        if items.is_empty() {
            return y;
        }
        rows.push(Row {
            kind: "violations",
            label: "violations".into(),
            y,
            height: ROW_H,
            items,
        });
        y + ROW_H
    }

    /// The whole span: activities counted per lane and bin, windows as coverage shares,
    /// violations per bin.
    fn overview(&self, span: Interval, known: &[(ActIdx, Interval)]) -> Page {
        let start = span.start.day_start().0;
        let days = (Time(span.end.0 - 1).day_start().0 - start) / DAY + 1;
        let end = start + days * DAY;
        let scale = Scale { start, end };
        let bin_len = ((end - start) / OVERVIEW_BINS).max(1);
        let bins = ((end - start) + bin_len - 1) / bin_len;
        let bin_of = |t: i64| ((t - start) / bin_len).clamp(0, bins - 1);
        let bin_iv = |b: i64| {
            Interval::new(
                Time(start + b * bin_len),
                Time((start + (b + 1) * bin_len).min(end)),
            )
        };
        let tick_every = (days / 12).max(1);
        let ticks = (0..=days)
            .step_by(tick_every as usize)
            .map(|d| Tick {
                x: scale.x(start + d * DAY),
                label: short_day(Time(start + d * DAY), self.plan),
            })
            .collect();
        let mut rows = Vec::new();
        let mut y = HEADER_H;
        y = self.phase_row(&scale, Interval::new(Time(start), Time(end)), y, &mut rows);

        // Windows: the share of each bin they cover.
        for w in &self.plan.windows {
            // Computed per bin by arithmetic: the occurrences are never listed.
            let cover: Vec<i64> = (0..bins)
                .map(|b| w.occurrences.covered_within(bin_iv(b)).0)
                .collect();
            let class = format!("band {}", w.kind().as_str());
            let items = heat_items(&scale, &cover, bin_len, &bin_iv, y, &class, |share| {
                format!("{} covers {share}% of", w.decl.name.value)
            });
            rows.push(Row {
                kind: "window",
                label: w.decl.name.value.clone(),
                y,
                height: ROW_H,
                items,
            });
            y += ROW_H;
        }

        // Lanes: activity counts per bin.
        let lanes = self.plan.roles.len() + 1;
        let mut counts = vec![vec![0i64; bins as usize]; lanes];
        for &(a, iv) in known {
            let by = &self.plan.activities[a].ast.by;
            let mut lane_ids: Vec<usize> = by
                .iter()
                .filter_map(|r| self.plan.role_index.get(&r.value).copied())
                .collect();
            if lane_ids.is_empty() {
                lane_ids.push(lanes - 1);
            }
            let (from, to) = (bin_of(iv.start.0), bin_of(iv.end.0 - 1));
            for l in lane_ids {
                for b in from..=to {
                    counts[l][b as usize] += 1;
                }
            }
        }
        let max = counts.iter().flatten().copied().max().unwrap_or(1).max(1);
        for (l, row_counts) in counts.iter().enumerate() {
            if row_counts.iter().all(|&c| c == 0) {
                continue;
            }
            let label = self
                .plan
                .roles
                .get(l)
                .map_or("(no role)".to_string(), |r| r.name.value.clone());
            let mut items = Vec::new();
            for (b, &c) in row_counts.iter().enumerate() {
                if c == 0 {
                    continue;
                }
                let biv = bin_iv(b as i64);
                let Some((x, w)) = scale.span(biv) else {
                    continue;
                };
                let level = 1 + (c * 4 / max).min(4);
                items.push(Item {
                    x,
                    y: y + 2,
                    w,
                    h: BAR_H,
                    class: format!("heat heat{level}"),
                    label: String::new(),
                    title: format!(
                        "{label}: {c} {} in {}",
                        if c == 1 { "activity" } else { "activities" },
                        biv.format(self.plan.notation)
                    ),
                    href: None,
                });
            }
            rows.push(Row {
                kind: "lane",
                label,
                y,
                height: ROW_H,
                items,
            });
            y += ROW_H;
        }
        let bins = staff::Bins {
            start,
            end,
            len: bin_len,
            count: bins,
        };
        y = self.staff.rows(
            &scale,
            Interval::new(Time(start), Time(end)),
            Some(bins),
            y,
            &mut rows,
        );
        let bins = bins.count;

        // Violations per bin, linked to the first finding of the bin.
        let mut per_bin: Vec<(usize, Option<&Mark>)> = vec![(0, None); bins as usize];
        for m in self.marks.iter().filter(|m| m.error) {
            let when = m.interval.or_else(|| {
                m.activity
                    .and_then(|a| self.plan.activities[a].time.interval())
            });
            let Some(iv) = when else { continue };
            if iv.start.0 >= end || iv.start.0 < start {
                continue;
            }
            let slot = &mut per_bin[bin_of(iv.start.0) as usize];
            slot.0 += 1;
            slot.1.get_or_insert(m);
        }
        let items: Vec<Item> = per_bin
            .iter()
            .enumerate()
            .filter_map(|(b, &(n, m))| {
                let m = m?;
                let (x, w) = scale.span(bin_iv(b as i64))?;
                Some(Item {
                    x,
                    y: y + 3,
                    w,
                    h: ROW_H - 6,
                    class: "mark error".into(),
                    label: String::new(),
                    title: format!(
                        "{n} {} in {}; first: {}",
                        if n == 1 { "error" } else { "errors" },
                        bin_iv(b as i64).format(self.plan.notation),
                        m.title
                    ),
                    href: Some(format!("#{}", m.anchor)),
                })
            })
            .collect();
        if !items.is_empty() {
            rows.push(Row {
                kind: "violations",
                label: "violations".into(),
                y,
                height: ROW_H,
                items,
            });
            y += ROW_H;
        }
        Page {
            id: format!("tl-{}-overview", slug(&self.plan.id.value)),
            title: format!(
                "Overview, {} .. {}",
                self.format(Time(start)),
                self.format(Time(end))
            ),
            width: LABEL_W + PLOT_W + 24,
            height: y + 6,
            plot_x: LABEL_W,
            plot_w: PLOT_W,
            ticks,
            rows,
        }
    }
}

/// Bins with a share of coverage, drawn with five opacity levels.
fn heat_items(
    scale: &Scale,
    cover: &[i64],
    bin_len: i64,
    bin_iv: &dyn Fn(i64) -> Interval,
    y: i64,
    class: &str,
    title: impl Fn(i64) -> String,
) -> Vec<Item> {
    cover
        .iter()
        .enumerate()
        .filter(|(_, &c)| c > 0)
        .filter_map(|(b, &c)| {
            let biv = bin_iv(b as i64);
            let (x, w) = scale.span(biv)?;
            let share = (c * 100 / bin_len.max(1)).min(100);
            let level = 1 + (share * 4 / 100).min(4);
            Some(Item {
                x,
                y: y + 3,
                w,
                h: ROW_H - 6,
                class: format!("{class} heat{level}"),
                label: String::new(),
                title: format!(
                    "{} {}",
                    title(share),
                    biv.format(crate::time::Notation::DayOfYear)
                ),
                href: None,
            })
        })
        .collect()
}

/// `2014/273 · Tue 30 Sep 2014`
fn day_title(day: Time) -> String {
    let doy = day.format(crate::time::Notation::DayOfYear);
    let doy = doy.split(' ').next().unwrap_or("").to_string();
    match jiff::Timestamp::from_second(day.0) {
        Ok(t) => format!("{doy} · {}", t.strftime("%a %d %b %Y")),
        Err(_) => doy,
    }
}

fn short_day(day: Time, plan: &PlanModel) -> String {
    let s = plan.format_time(day);
    s.split(' ').next().unwrap_or("").to_string()
}

/// Letters, digits and `-`: for HTML ids.
fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Roughly 6.5 px per character at the timeline's font size.
fn fits(text: &str, w: i64) -> bool {
    (text.chars().count() as i64) * 13 / 2 + 6 <= w
}

fn fit(text: &str, w: i64) -> String {
    if fits(text, w) {
        text.to_string()
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(text: &str) -> PlanModel {
        let run = crate::workspace::check_texts(&[("t.plan", text)]);
        run.model.plans.into_iter().next().expect("a plan")
    }

    const WEEK: &str = r#"plan P {
  horizon 2014/272 00:00 .. 2014/274 00:00
  roles FD, GC
  window ART kind relay every 92m lasting 40m from 2014/272 00:10 until 2014/274 00:00
  phase one 2014/272 00:00 .. 2014/274 00:00 {
    activity A1 "First" { at 2014/272 01:00 lasts 1h by FD }
    activity A2 "Overlaps A1" { at 2014/272 01:30 lasts 1h by FD }
    activity A3 "Over midnight" { at 2014/272 23:00 lasts 2h by GC }
    activity A4 { at 2014/273 05:00 lasts 30m }
  }
}
"#;

    #[test]
    fn one_page_per_day_with_sub_rows_and_clipping() {
        let p = plan(WEEK);
        let t = build(&p, &[]);
        assert_eq!(t.mode, "days");
        assert_eq!(t.pages.len(), 2);
        let day1 = &t.pages[0];
        let fd = day1.rows.iter().find(|r| r.label == "FD").unwrap();
        assert_eq!(fd.items.len(), 2);
        assert_ne!(
            fd.items[0].y, fd.items[1].y,
            "overlapping bars get their own rows"
        );
        // A3 runs over midnight: drawn on both days, clipped at the page edge.
        let gc1 = day1.rows.iter().find(|r| r.label == "GC").unwrap();
        assert_eq!(gc1.items[0].x + gc1.items[0].w, LABEL_W + PLOT_W);
        let day2 = &t.pages[1];
        let gc2 = day2.rows.iter().find(|r| r.label == "GC").unwrap();
        assert_eq!(gc2.items[0].x, LABEL_W);
        assert!(day2.rows.iter().any(|r| r.label == "(no role)"));
        let art = day1.rows.iter().find(|r| r.label == "ART").unwrap();
        assert_eq!(art.items.len(), 16, "00:10 + k*92m within the day");
        assert!(art.items[0].class.contains("relay"));
    }

    #[test]
    fn marks_flag_bars_and_link_to_findings() {
        let p = plan(WEEK);
        let a2 = p.activity_index["A2"];
        let marks = vec![Mark {
            anchor: "F1".into(),
            activity: Some(a2),
            interval: Some(Interval::new(
                Time::parse_doy("2014/272 01:30").unwrap(),
                Time::parse_doy("2014/272 02:00").unwrap(),
            )),
            error: true,
            title: "F001 FR-01".into(),
        }];
        let t = build(&p, &marks);
        let fd = t.pages[0].rows.iter().find(|r| r.label == "FD").unwrap();
        let bar = fd.items.iter().find(|i| i.title.starts_with("A2")).unwrap();
        assert!(bar.class.contains("violation"));
        assert_eq!(bar.href.as_deref(), Some("#F1"));
        let v = t.pages[0]
            .rows
            .iter()
            .find(|r| r.kind == "violations")
            .unwrap();
        assert_eq!(v.items.len(), 1);
        assert!(t.pages[1].rows.iter().all(|r| r.kind != "violations"));
    }

    #[test]
    fn a_long_plan_gets_an_overview_and_error_days() {
        let mut text =
            String::from("plan L {\n  horizon 2014/001 00:00 .. 2014/061 00:00\n  roles FD\n");
        for d in 1..=60 {
            text.push_str(&format!(
                "  activity A{d} {{ at 2014/{d:03} 10:00 lasts 1h by FD }}\n"
            ));
        }
        text.push_str("}\n");
        let p = plan(&text);
        let marks: Vec<Mark> = (0..10)
            .map(|i| Mark {
                anchor: format!("F{i}"),
                activity: Some(p.activity_index[&format!("A{}", i * 5 + 1)]),
                interval: None,
                error: true,
                title: "T001".into(),
            })
            .collect();
        let t = build(&p, &marks);
        assert_eq!(t.mode, "overview");
        assert_eq!(t.pages.len(), 1 + DETAIL_PAGES_WHEN_LONG);
        let lane = t.pages[0].rows.iter().find(|r| r.label == "FD").unwrap();
        assert!(lane.items.len() <= OVERVIEW_BINS as usize);
        assert!(t
            .note
            .as_deref()
            .unwrap()
            .contains("3 more days hold errors"));
    }
}
