//! The staffing lanes of a timeline (issue #18): below the activity lanes, one lane per
//! position of each roster staffing the plan, drawing who holds it (a bar per shift,
//! labelled with the person's name or id) and, hatched in red, the gaps where a
//! continuous position has fewer holders than its minimum; then a thin lane per on-call
//! duty with its turns and its gaps (turns slower than the duty's response time do not
//! count, as in `W013`).
//!
//! The gaps are computed once per lane ([`work::below`], the sweep of the `W002` and `W013`
//! checks). A page draws a lane bar by bar when at most [`MAX_BARS_PER_LANE`] of its
//! shifts or turns overlap the page (found by binary search over the lane's starts and
//! ends); a denser page and the overview draw it binned like the activity lanes: the share
//! of each bin held, and one gap mark per bin holding gaps. So a page costs at most
//! O(bins + bars drawn) SVG elements per lane, whatever the number of shifts.

use super::{fit, heat_items, Item, Row, Scale, BAR_H, OVERVIEW_BINS, ROW_H};
use crate::checks::staffing::hours;
use crate::model::staffing::{work, Staffing};
use crate::time::{merge_intervals, Interval, Time};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Most shifts or turns of one lane drawn bar by bar on one page; more are binned.
pub(super) const MAX_BARS_PER_LANE: usize = 480;
/// Height of an on-call turn's bar.
const THIN_H: i64 = 6;

/// Where position `pi` of `s` has fewer holders than its minimum while it must be held:
/// the gaps `W002` reports, sorted and disjoint.
pub(crate) fn position_gaps(s: &Staffing, pi: usize) -> Vec<Interval> {
    let p = &s.positions[pi];
    if p.required.is_empty() {
        return Vec::new();
    }
    let held: Vec<Interval> = s.by_position[pi]
        .items()
        .iter()
        .map(|(iv, _)| *iv)
        .collect();
    work::below(&held, &p.required, p.minimum)
}

/// Where duty `di` of `s` has nobody on call who answers in time while it must be held:
/// the gaps `W013` reports (a turn slower than the duty's response time does not count).
pub(crate) fn duty_gaps(s: &Staffing, di: usize) -> Vec<Interval> {
    let d = &s.duties[di];
    if d.required.is_empty() {
        return Vec::new();
    }
    let limit = d.response.map(|r| r.value);
    let counted: Vec<Interval> = s.by_duty[di]
        .items()
        .iter()
        .filter(|(_, o)| match (s.oncalls[*o].response, limit) {
            (Some(r), Some(l)) => r <= l,
            _ => true,
        })
        .map(|(iv, _)| *iv)
        .collect();
    work::below(&counted, &d.required, 1)
}

/// Time bins of a page: `count` bins of `len` seconds from `start`, the last cut at `end`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Bins {
    pub start: i64,
    pub end: i64,
    pub len: i64,
    pub count: i64,
}

impl Bins {
    /// [`OVERVIEW_BINS`] bins over `page`.
    pub fn over(page: Interval) -> Bins {
        let (start, end) = (page.start.0, page.end.0);
        let len = ((end - start) / OVERVIEW_BINS).max(1);
        Bins {
            start,
            end,
            len,
            count: ((end - start) + len - 1) / len,
        }
    }

    fn iv(&self, b: i64) -> Interval {
        Interval::new(
            Time(self.start + b * self.len),
            Time((self.start + (b + 1) * self.len).min(self.end)),
        )
    }

    fn of(&self, t: i64) -> i64 {
        ((t - self.start) / self.len).clamp(0, self.count - 1)
    }
}

#[derive(Debug, Clone, Copy)]
enum What {
    Position(usize),
    Duty(usize),
}

/// One lane: a position or a duty of one roster.
struct Lane<'a> {
    s: &'a Staffing,
    what: What,
    label: String,
    /// (interval, shift or turn index), by start.
    items: &'a [(Interval, usize)],
    /// The items' ends, sorted.
    ends: Vec<Time>,
    /// Time held by at least one (any turn for a duty), sorted and disjoint.
    held: Vec<Interval>,
    /// Where a continuous position has fewer holders than its minimum, or a continuous
    /// duty nobody on call in time: sorted and disjoint.
    gaps: Vec<Interval>,
}

/// The staffing lanes of one plan's timeline.
pub(super) struct Lanes<'a> {
    lanes: Vec<Lane<'a>>,
}

impl<'a> Lanes<'a> {
    /// The lanes of `rosters` (those staffing the plan, in model order): positions in
    /// declaration order, then duties, roster by roster.
    pub fn new(rosters: &[&'a Staffing]) -> Lanes<'a> {
        let many = rosters.len() > 1;
        let mut lanes = Vec::new();
        for &s in rosters {
            let label = |name: &str| {
                if many {
                    format!("{}: {name}", s.id.value)
                } else {
                    name.to_string()
                }
            };
            for (pi, p) in s.positions.iter().enumerate() {
                lanes.push(Lane::new(
                    s,
                    What::Position(pi),
                    label(&p.name.value),
                    s.by_position[pi].items(),
                    position_gaps(s, pi),
                ));
            }
            for (di, d) in s.duties.iter().enumerate() {
                lanes.push(Lane::new(
                    s,
                    What::Duty(di),
                    label(&d.name.value),
                    s.by_duty[di].items(),
                    duty_gaps(s, di),
                ));
            }
        }
        Lanes { lanes }
    }

    /// Adds the lanes' rows over `page` from `y`: bar by bar where few enough shifts
    /// overlap the page and `binned` is `None`, else over `binned` (or
    /// [`OVERVIEW_BINS`] bins of the page). Returns the next free `y`.
    pub fn rows(
        &self,
        scale: &Scale,
        page: Interval,
        binned: Option<Bins>,
        mut y: i64,
        rows: &mut Vec<Row>,
    ) -> i64 {
        for lane in &self.lanes {
            let row = match binned {
                Some(bins) => lane.binned(scale, bins, y),
                None if lane.count_overlapping(page) > MAX_BARS_PER_LANE => {
                    lane.binned(scale, Bins::over(page), y)
                }
                None => lane.bars(scale, page, y),
            };
            y += row.height;
            rows.push(row);
        }
        y
    }
}

impl<'a> Lane<'a> {
    fn new(
        s: &'a Staffing,
        what: What,
        label: String,
        items: &'a [(Interval, usize)],
        gaps: Vec<Interval>,
    ) -> Lane<'a> {
        let mut ends: Vec<Time> = items.iter().map(|(iv, _)| iv.end).collect();
        ends.sort_unstable();
        let held = merge_intervals(
            items
                .iter()
                .map(|(iv, _)| *iv)
                .filter(|iv| iv.start < iv.end)
                .collect(),
        );
        Lane {
            s,
            what,
            label,
            items,
            ends,
            held,
            gaps,
        }
    }

    fn kind(&self) -> &'static str {
        match self.what {
            What::Position(_) => "staffing",
            What::Duty(_) => "oncall",
        }
    }

    fn name(&self) -> &str {
        match self.what {
            What::Position(p) => &self.s.positions[p].name.value,
            What::Duty(d) => &self.s.duties[d].name.value,
        }
    }

    /// "no holder", "fewer than 2 holders", "nobody on call in time".
    fn short(&self) -> String {
        match self.what {
            What::Position(p) => match self.s.positions[p].minimum {
                1 => "no holder".to_string(),
                n => format!("fewer than {n} holders"),
            },
            What::Duty(_) => "nobody on call in time".to_string(),
        }
    }

    /// Shifts or turns overlapping `page`: those starting before its end less those
    /// ending at or before its start (two binary searches).
    fn count_overlapping(&self, page: Interval) -> usize {
        let started = self.items.partition_point(|(iv, _)| iv.start < page.end);
        let ended = self.ends.partition_point(|&e| e <= page.start);
        started.saturating_sub(ended)
    }

    /// The gaps overlapping `range`, in order.
    fn gaps_in(&self, range: Interval) -> &[Interval] {
        let lo = self.gaps.partition_point(|g| g.end <= range.start);
        let hi = self.gaps.partition_point(|g| g.start < range.end);
        &self.gaps[lo..hi.max(lo)]
    }

    fn gap_title(&self, gap: Interval) -> String {
        format!(
            "{}: {} {} ({})",
            self.name(),
            self.short(),
            self.s.format_interval(gap),
            hours(gap.duration())
        )
    }

    /// Every shift or turn overlapping the page as a bar, packed into sub-rows so that
    /// overlapping ones (handovers) never hide each other; the gaps on top.
    fn bars(&self, scale: &Scale, page: Interval, y: i64) -> Row {
        let s = self.s;
        let thin = matches!(self.what, What::Duty(_));
        let (bar_h, step) = if thin {
            (THIN_H, THIN_H + 2)
        } else {
            (BAR_H, ROW_H)
        };
        // Those running at the page's start, then those starting inside it.
        let mut overlapping: Vec<(Interval, usize)> = Vec::new();
        let index = match self.what {
            What::Position(p) => &s.by_position[p],
            What::Duty(d) => &s.by_duty[d],
        };
        for k in index.running_at(page.start) {
            let iv = match self.what {
                What::Position(_) => s.shifts[k].interval,
                What::Duty(_) => s.oncalls[k].interval,
            };
            overlapping.push((iv, k));
        }
        let lo = self.items.partition_point(|(iv, _)| iv.start <= page.start);
        let hi = self.items.partition_point(|(iv, _)| iv.start < page.end);
        overlapping.extend_from_slice(&self.items[lo..hi.max(lo)]);

        let mut free: BinaryHeap<Reverse<(i64, i64)>> = BinaryHeap::new();
        let mut sub_rows = 0;
        let mut items = Vec::with_capacity(overlapping.len());
        for (iv, k) in overlapping {
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
            let (class, label, title) = match self.what {
                What::Position(p) => {
                    let shift = &s.shifts[k];
                    let person = &s.people[shift.person];
                    let trainee = s
                        .qualification(shift.person, p, iv.start)
                        .is_some_and(|q| q.trainee);
                    let label = match &person.name {
                        Some(n) if super::fits(n, w) => n.clone(),
                        _ => fit(&person.id.value, w),
                    };
                    (
                        if trainee { "shift trainee" } else { "shift" },
                        label,
                        format!(
                            "{} on {}{}: {}",
                            person.display(),
                            self.name(),
                            if trainee { " (trainee)" } else { "" },
                            s.format_interval(iv)
                        ),
                    )
                }
                What::Duty(_) => {
                    let turn = &s.oncalls[k];
                    let response = match turn.response {
                        Some(r) => format!(", response {}", hours(r)),
                        None => String::new(),
                    };
                    (
                        "oncall",
                        String::new(),
                        format!(
                            "{} on call for {}: {}{response}",
                            s.people[turn.person].display(),
                            self.name(),
                            s.format_interval(iv)
                        ),
                    )
                }
            };
            items.push(Item {
                x,
                y: y + 2 + row * step,
                w,
                h: bar_h,
                class: class.into(),
                label,
                title,
                href: None,
            });
        }
        let height = if thin {
            (sub_rows.max(1) * step + 4).max(ROW_H)
        } else {
            sub_rows.max(1) * ROW_H + 4
        };
        for &gap in self.gaps_in(page) {
            let Some((x, w)) = scale.span(gap) else {
                continue;
            };
            items.push(Item {
                x,
                y: y + 1,
                w,
                h: height - 2,
                class: "gap".into(),
                label: String::new(),
                title: self.gap_title(gap),
                href: None,
            });
        }
        Row {
            kind: self.kind(),
            label: self.label.clone(),
            y,
            height,
            items,
        }
    }

    /// The share of each bin held, and one gap mark per bin holding gaps (how many, how
    /// long, the first one's interval). Linear in bins plus held pieces and gaps.
    fn binned(&self, scale: &Scale, bins: Bins, y: i64) -> Row {
        let n = bins.count as usize;
        let range = Interval::new(Time(bins.start), Time(bins.end));
        let mut cover = vec![0i64; n];
        add_cover(&mut cover, &self.held, bins, range);
        let name = self.name().to_string();
        let verb = match self.what {
            What::Position(_) => "held",
            What::Duty(_) => "on call",
        };
        let class = match self.what {
            What::Position(_) => "held",
            What::Duty(_) => "held oncall-held",
        };
        let mut items = heat_items(
            scale,
            &cover,
            bins.len,
            &|b| bins.iv(b),
            y,
            class,
            |share| format!("{name}: {verb} {share}% of"),
        );
        // Gaps per bin: (count, time, first).
        let mut per_bin: Vec<(usize, i64, Option<Interval>)> = vec![(0, 0, None); n];
        for &gap in self.gaps_in(range) {
            let (from, to) = (bins.of(gap.start.0), bins.of(gap.end.0 - 1));
            for b in from..=to {
                let slot = &mut per_bin[b as usize];
                let biv = bins.iv(b);
                slot.0 += 1;
                slot.1 += gap.end.min(biv.end).0 - gap.start.max(biv.start).0;
                slot.2.get_or_insert(gap);
            }
        }
        for (b, &(count, time, first)) in per_bin.iter().enumerate() {
            let Some(first) = first else { continue };
            let biv = bins.iv(b as i64);
            let Some((x, w)) = scale.span(biv) else {
                continue;
            };
            items.push(Item {
                x,
                y: y + 1,
                w,
                h: ROW_H - 2,
                class: "gap".into(),
                label: String::new(),
                title: format!(
                    "{name}: {count} {} ({} with {}) in {}; first {}",
                    if count == 1 { "gap" } else { "gaps" },
                    hours(crate::time::Dur(time)),
                    self.short(),
                    self.s.format_interval(biv),
                    self.s.format_interval(first)
                ),
                href: None,
            });
        }
        Row {
            kind: self.kind(),
            label: self.label.clone(),
            y,
            height: ROW_H,
            items,
        }
    }
}

/// Adds to each bin the time of `held` (sorted, disjoint) inside it and inside `range`.
fn add_cover(cover: &mut [i64], held: &[Interval], bins: Bins, range: Interval) {
    let lo = held.partition_point(|h| h.end <= range.start);
    for h in &held[lo..] {
        if h.start >= range.end {
            break;
        }
        let (a, z) = (h.start.max(range.start).0, h.end.min(range.end).0);
        let mut t = a;
        while t < z {
            let b = bins.of(t);
            let bin_end = (bins.start + (b + 1) * bins.len).min(bins.end);
            let next = z.min(bin_end).max(t + 1);
            cover[b as usize] += next - t;
            t = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{build_staffed, Timeline, LABEL_W};
    use super::*;

    const PLAN: &str = "plan P {
  horizon 2014/272 00:00 .. 2014/273 00:00
  roles OM
  activity A1 { at 2014/272 01:00 lasts 1h by OM }
}
";

    fn timeline(roster: &str) -> Timeline {
        let run = crate::workspace::check_texts(&[("p.plan", PLAN), ("r.roster", roster)]);
        let rosters: Vec<&Staffing> = run.model.staffing.iter().collect();
        assert_eq!(rosters.len(), 1, "{:?}", run.diagnostics);
        build_staffed(&run.model.plans[0], &[], &rosters)
    }

    #[test]
    fn one_lane_per_position_and_duty_with_the_gaps() {
        let t = timeline(
            "roster R {
  plan P
  position OM-DESK \"OM console\" { fills OM  continuous }
  position SPARE { fills OM }
  duty CALL { continuous }
  person ANNE \"Anne Dubois\" { qualified OM-DESK, SPARE }
  person BRUNO { qualified OM-DESK }
  shift ANNE  OM-DESK 2014/272 00:00 .. 2014/272 12:00
  shift BRUNO OM-DESK 2014/272 13:00 .. 2014/273 00:00
  oncall BRUNO CALL 2014/272 00:00 .. 2014/272 20:00
}
",
        );
        let page = &t.pages[0];
        let lanes: Vec<(&str, &str)> = page
            .rows
            .iter()
            .filter(|r| r.kind == "staffing" || r.kind == "oncall")
            .map(|r| (r.kind, r.label.as_str()))
            .collect();
        assert_eq!(
            lanes,
            [
                ("staffing", "OM-DESK"),
                ("staffing", "SPARE"),
                ("oncall", "CALL")
            ]
        );
        let om = page.rows.iter().find(|r| r.label == "OM-DESK").unwrap();
        let shifts: Vec<&Item> = om.items.iter().filter(|i| i.class == "shift").collect();
        assert_eq!(shifts.len(), 2);
        assert_eq!(shifts[0].label, "Anne Dubois");
        assert_eq!(shifts[1].label, "BRUNO");
        assert!(shifts[0].title.contains("2014/272 00:00 .. 2014/272 12:00"));
        let gaps: Vec<&Item> = om.items.iter().filter(|i| i.class == "gap").collect();
        assert_eq!(gaps.len(), 1);
        // 12:00 and 13:00 of a 960 px day.
        assert_eq!((gaps[0].x, gaps[0].w), (LABEL_W + 480, 40));
        assert_eq!(
            gaps[0].title,
            "OM-DESK: no holder 2014/272 12:00 .. 2014/272 13:00 (1h)"
        );
        // A position that is not continuous has no gap.
        let spare = page.rows.iter().find(|r| r.label == "SPARE").unwrap();
        assert!(spare.items.is_empty());
        let call = page.rows.iter().find(|r| r.label == "CALL").unwrap();
        assert_eq!(call.items.iter().filter(|i| i.class == "oncall").count(), 1);
        let gap = call.items.iter().find(|i| i.class == "gap").unwrap();
        assert_eq!(
            gap.title,
            "CALL: nobody on call in time 2014/272 20:00 .. 2014/273 00:00 (4h)"
        );
        // Below the activity lanes.
        let om_lane = page.rows.iter().position(|r| r.label == "OM").unwrap();
        let om_desk = page.rows.iter().position(|r| r.label == "OM-DESK").unwrap();
        assert!(om_lane < om_desk);
    }

    #[test]
    fn a_dense_lane_is_binned_on_its_page() {
        let mut roster = String::from(
            "roster R {\n  plan P\n  position OM-DESK { fills OM  continuous }\n  person ANNE { qualified OM-DESK }\n",
        );
        // 700 shifts of one minute, every two minutes: a minute's gap after each.
        for k in 0..700 {
            let (a, b) = (2 * k, 2 * k + 1);
            roster.push_str(&format!(
                "  shift ANNE OM-DESK 2014/272 {:02}:{:02} .. 2014/272 {:02}:{:02}\n",
                a / 60,
                a % 60,
                b / 60,
                b % 60
            ));
        }
        roster.push_str("}\n");
        let t = timeline(&roster);
        let om = t.pages[0]
            .rows
            .iter()
            .find(|r| r.label == "OM-DESK")
            .unwrap();
        assert!(
            om.items.len() <= 2 * OVERVIEW_BINS as usize,
            "{}",
            om.items.len()
        );
        assert!(om.items.iter().all(|i| i.class != "shift"));
        let gap = om.items.iter().find(|i| i.class == "gap").unwrap();
        assert!(gap.title.starts_with("OM-DESK: "), "{}", gap.title);
        assert!(gap.title.contains("with no holder"), "{}", gap.title);
        assert!(om.items.iter().any(|i| i.class.starts_with("held heat")));
    }

    #[test]
    fn cover_is_the_time_held_in_each_bin() {
        let bins = Bins::over(Interval::new(Time(0), Time(2400)));
        assert_eq!(bins.count, 240);
        let mut cover = vec![0; 240];
        let held = [
            Interval::new(Time(5), Time(25)),
            Interval::new(Time(2395), Time(3000)),
        ];
        add_cover(&mut cover, &held, bins, Interval::new(Time(0), Time(2400)));
        assert_eq!(&cover[..3], &[5, 10, 5]);
        assert_eq!(cover[239], 5);
        assert_eq!(cover.iter().sum::<i64>(), 25);
    }
}
