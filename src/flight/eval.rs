//! Checking a resolved plan against flight rules. Every kind runs in O(n log n) (sorting
//! plus binary search or a sweep line), plus the size of what it reports.
//!
//! Bounds (documented in `docs/flight-rules.md`, tested at the boundary): activities are
//! half-open intervals `[start, end)`; a minimum gap or margin is met when the gap equals
//! it; a maximum gap is met when the gap equals it; a window covers an activity when the
//! activity, widened by the margin, lies inside the union of the window's occurrences,
//! touching ends included; touching is never overlapping.

use super::{Constraint, FlightRule, Selector};
use crate::model::occurrences::{union_first_gap, Budget, LimitExceeded, Occurrences};
use crate::model::{ActIdx, Model, PlanIdx, PlanModel};
use crate::syntax::ast::ResourceKind;
use crate::time::{merge_intervals as merge, Dur, Interval, Time};
use rustc_hash::FxHashMap;

/// The first part of `iv` that one of the windows shares (the earliest); touching shares
/// nothing.
fn first_overlap_of(windows: &[&Occurrences], iv: Interval) -> Option<Interval> {
    windows
        .iter()
        .filter_map(|w| w.first_overlap(iv))
        .min_by_key(|hit| hit.start)
        .map(|hit| {
            // Joined with the other windows' occurrences that continue it.
            let mut end = hit.end;
            for _ in 0..crate::model::occurrences::MAX_QUERY_STEPS {
                let next = windows
                    .iter()
                    .filter_map(|w| w.containing(end))
                    .map(|o| o.end.min(iv.end))
                    .max();
                match next {
                    Some(e) if e > end => end = e,
                    _ => break,
                }
            }
            Interval::new(hit.start, end)
        })
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Index of the rule in the list given to [`evaluate`].
    pub rule: usize,
    pub plan: PlanIdx,
    /// The activities involved, the main one first.
    pub activities: Vec<ActIdx>,
    /// When the rule is broken.
    pub interval: Option<Interval>,
    /// What is wrong, in a sentence without the rule's id (the caller adds it).
    pub detail: String,
}

/// An activity a rule selects whose time is unknown: the rule cannot be judged for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    pub rule: usize,
    pub plan: PlanIdx,
    pub activity: ActIdx,
}

/// A name in a rule that a plan does not declare (a window, a resource).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingName {
    pub rule: usize,
    pub plan: PlanIdx,
    /// `window` or `resource`
    pub what: &'static str,
    pub name: String,
    /// The YAML key it was given under.
    pub key: &'static str,
}

/// An activity whose coverage by a rule's windows could not be decided: the windows
/// open and close more than [`crate::model::occurrences::MAX_QUERY_STEPS`] times inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undecided {
    pub rule: usize,
    pub plan: PlanIdx,
    pub activity: ActIdx,
    /// The windows, as the rule names them (`ART ∪ TDRS`).
    pub windows: String,
}

#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    pub violations: Vec<Violation>,
    pub unknown: Vec<Unknown>,
    pub missing: Vec<MissingName>,
    pub undecided: Vec<Undecided>,
}

/// Checks every plan of the model against every rule. The rules run side by side (each
/// is a pure reading of the plan); the results keep the order of plans, then rules.
pub fn evaluate(model: &Model, rules: &[&FlightRule]) -> Evaluation {
    let mut ev = Evaluation::default();
    let indices: Vec<usize> = (0..rules.len()).collect();
    for (pi, plan) in model.plans.iter().enumerate() {
        let cx = PlanCx::new(pi, plan);
        for part in crate::par::map_ordered(&indices, |&ri| {
            let mut part = Evaluation::default();
            RuleCx {
                cx: &cx,
                rule: ri,
                ev: &mut part,
            }
            .check(&rules[ri].check);
            // A rule that selects twice (`a` and `b`) reports an unknown activity once.
            part.unknown.sort_by_key(|u| u.activity);
            part.unknown.dedup();
            part
        }) {
            ev.violations.extend(part.violations);
            ev.unknown.extend(part.unknown);
            ev.missing.extend(part.missing);
            ev.undecided.extend(part.undecided);
        }
    }
    ev
}

/// What every rule needs to know about one plan.
struct PlanCx<'a> {
    index: PlanIdx,
    plan: &'a PlanModel,
    /// role → the group it belongs to (`FE-5` → `CREW`).
    group_of: FxHashMap<&'a str, &'a str>,
    /// Every activity with a known time, sorted by (start, end, index) once for all rules.
    by_start: Vec<(Interval, ActIdx)>,
    /// The activities whose time is unknown, in index order.
    unknown: Vec<ActIdx>,
}

impl<'a> PlanCx<'a> {
    fn new(index: PlanIdx, plan: &'a PlanModel) -> Self {
        let group_of = plan
            .roles
            .iter()
            .filter_map(|r| Some((r.name.value.as_str(), r.group.as_ref()?.value.as_str())))
            .collect();
        let mut by_start = Vec::with_capacity(plan.activities.len());
        let mut unknown = Vec::new();
        for (ai, a) in plan.activities.iter().enumerate() {
            match a.time.interval() {
                Some(iv) => by_start.push((iv, ai)),
                None => unknown.push(ai),
            }
        }
        by_start.sort_unstable();
        PlanCx {
            index,
            plan,
            group_of,
            by_start,
            unknown,
        }
    }

    fn matches(&self, sel: &Selector, ai: ActIdx) -> bool {
        let a = &self.plan.activities[ai];
        let ast = &a.ast;
        let any = |want: &[String], have: &str| want.iter().any(|w| w == have);
        if !sel.kind.is_empty() && !ast.kind.as_ref().is_some_and(|k| any(&sel.kind, &k.value)) {
            return false;
        }
        if !sel.tag.is_empty() && !ast.tags.iter().any(|t| any(&sel.tag, &t.value)) {
            return false;
        }
        if !sel.role.is_empty()
            && !ast.by.iter().any(|r| {
                any(&sel.role, &r.value)
                    || self
                        .group_of
                        .get(r.value.as_str())
                        .is_some_and(|g| any(&sel.role, g))
            })
        {
            return false;
        }
        if let Some(c) = sel.critical {
            if ast.critical.is_some() != c {
                return false;
            }
        }
        if !sel.phase.is_empty()
            && !a
                .phase
                .is_some_and(|p| any(&sel.phase, &self.plan.phases[p].name.value))
        {
            return false;
        }
        if !sel.id.is_empty() && !sel.id.iter().any(|p| glob(p, &ast.id.value)) {
            return false;
        }
        true
    }

    fn name(&self, ai: ActIdx) -> &str {
        &self.plan.activities[ai].ast.id.value
    }

    fn fmt(&self, t: Time) -> String {
        self.plan.format_time(t)
    }
}

/// `*` matches any run of characters; everything else matches itself.
fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || !text[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

fn fmt_dur(d: Dur) -> String {
    let mut s = d.0.abs();
    let mut out = String::new();
    if d.0 < 0 {
        out.push('-');
    }
    for (unit, len) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
        if s >= len {
            out.push_str(&format!("{}{unit}", s / len));
            s %= len;
        }
    }
    if out.is_empty() || out == "-" {
        out = "0m".into();
    }
    out
}

struct RuleCx<'c, 'a> {
    cx: &'c PlanCx<'a>,
    rule: usize,
    ev: &'c mut Evaluation,
}

impl<'a> RuleCx<'_, 'a> {
    /// The selected activities with known times, sorted by (start, end, index); the
    /// selected ones whose time is unknown are recorded.
    fn select(&mut self, sel: &Selector) -> Vec<(Interval, ActIdx)> {
        self.select_where(sel, |_| true)
    }

    /// [`Self::select`] among the activities for which `keep` holds.
    fn select_where(
        &mut self,
        sel: &Selector,
        keep: impl Fn(&crate::model::ActivityModel) -> bool,
    ) -> Vec<(Interval, ActIdx)> {
        let plan = self.cx.plan;
        let wanted = |ai: ActIdx| keep(&plan.activities[ai]) && self.cx.matches(sel, ai);
        for &ai in &self.cx.unknown {
            if wanted(ai) {
                self.ev.unknown.push(Unknown {
                    rule: self.rule,
                    plan: self.cx.index,
                    activity: ai,
                });
            }
        }
        // Already sorted: filtering keeps the order.
        self.cx
            .by_start
            .iter()
            .copied()
            .filter(|&(_, ai)| wanted(ai))
            .collect()
    }

    /// The activities `sel` picks whose time is unknown (already recorded by
    /// [`Self::select`]).
    fn unknown_matches(&self, sel: &Selector) -> Vec<ActIdx> {
        self.cx
            .unknown
            .iter()
            .copied()
            .filter(|&ai| self.cx.matches(sel, ai))
            .collect()
    }

    fn violate(&mut self, activities: Vec<ActIdx>, interval: Option<Interval>, detail: String) {
        self.ev.violations.push(Violation {
            rule: self.rule,
            plan: self.cx.index,
            activities,
            interval,
            detail,
        });
    }

    /// The named windows' occurrences (their union is what the kinds read). A name the
    /// plan does not declare is recorded; `None` then.
    fn union(&mut self, names: &[String], key: &'static str) -> Option<Vec<&'a Occurrences>> {
        let plan = self.cx.plan;
        let mut all = Vec::with_capacity(names.len());
        let mut ok = true;
        for n in names {
            match plan.window_index.get(n) {
                Some(&w) => all.push(&plan.windows[w].occurrences),
                None => {
                    ok = false;
                    self.ev.missing.push(MissingName {
                        rule: self.rule,
                        plan: self.cx.index,
                        what: "window",
                        name: n.clone(),
                        key,
                    });
                }
            }
        }
        ok.then_some(all)
    }

    fn check(&mut self, c: &Constraint) {
        match c {
            Constraint::MinSeparation { select, min } => self.min_separation(select, *min),
            Constraint::NoOverlap { a, b, margin } => self.no_overlap(a, b, *margin),
            Constraint::RequiresWindow {
                select,
                windows,
                margin,
            } => self.requires_window(select, windows, *margin),
            Constraint::ForbiddenWindow {
                select,
                windows,
                margin,
            } => self.forbidden_window(select, windows, *margin),
            Constraint::Precedence {
                a,
                b,
                min_gap,
                max_gap,
                next_day,
            } => self.precedence(a, b, *min_gap, *max_gap, *next_day),
            Constraint::RequiresPreceding {
                select,
                preceding,
                min_gap,
                max_gap,
            } => self.requires_near(select, preceding, *min_gap, *max_gap, true),
            Constraint::RequiresFollowing {
                select,
                following,
                min_gap,
                max_gap,
            } => self.requires_near(select, following, *min_gap, *max_gap, false),
            Constraint::Sequence { steps, max_gap } => self.sequence(steps, *max_gap),
            Constraint::MaxPerPeriod {
                select,
                period,
                max_count,
                max_duration,
            } => self.max_per_period(select, *period, *max_count, *max_duration),
            Constraint::ResourceCapacity {
                resource,
                select,
                max,
            } => self.resource_capacity(resource.as_deref(), select, *max),
            Constraint::CrewDay {
                select,
                max_work,
                sleep,
            } => self.crew_day(select, *max_work, sleep.as_deref()),
            Constraint::RolesRequired { select, all, any } => self.roles_required(select, all, any),
        }
    }

    fn min_separation(&mut self, sel: &Selector, min: Dur) {
        let acts = self.select(sel);
        // The activity that ends last so far: the next one must start `min` after it.
        let mut last: Option<(Time, ActIdx)> = None;
        for &(iv, ai) in &acts {
            if let Some((end, prev)) = last {
                let gap = iv.start.since(end);
                if gap < min {
                    let (a, b) = (self.cx.name(prev).to_string(), self.cx.name(ai).to_string());
                    let detail = if gap.0 < 0 {
                        format!(
                            "`{b}` starts while `{a}` runs (until {}); they must be at least {} apart",
                            self.cx.fmt(end),
                            fmt_dur(min)
                        )
                    } else {
                        format!(
                            "`{b}` starts {} after `{a}` ends; the minimum is {}",
                            fmt_dur(gap),
                            fmt_dur(min)
                        )
                    };
                    let window = Interval::new(end.min(iv.start), end.max(iv.start));
                    self.violate(vec![ai, prev], Some(window), detail);
                }
            }
            if last.is_none_or(|(end, _)| iv.end > end) {
                last = Some((iv.end, ai));
            }
        }
    }

    fn no_overlap(&mut self, a: &Selector, b: &Selector, margin: Dur) {
        // `a` widened by the margin; both lists stay sorted by start.
        let aa: Vec<(Interval, ActIdx)> = self
            .select(a)
            .into_iter()
            .map(|(iv, ai)| {
                let lo = Time(iv.start.0 - margin.0);
                (Interval::new(lo, Time(iv.end.0 + margin.0)), ai)
            })
            .collect();
        let bb = self.select(b);
        // One sweep over both lists by start. Each side keeps the intervals that are still
        // running, ordered by end; an interval that starts meets every running one of the
        // other side (they started before it and end after its start), so each
        // overlapping pair is found once, by the later one: O((a + b) log + pairs).
        type Running = std::collections::BTreeSet<(Time, Time, ActIdx)>;
        let (mut run_a, mut run_b): (Running, Running) = Default::default();
        let drop_ended = |set: &mut Running, now: Time| {
            while set.first().is_some_and(|f| f.0 <= now) {
                set.pop_first();
            }
        };
        let mut found = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < aa.len() || j < bb.len() {
            let take_a = j >= bb.len() || (i < aa.len() && aa[i].0.start <= bb[j].0.start);
            if take_a {
                let (iv, ai) = aa[i];
                i += 1;
                drop_ended(&mut run_b, iv.start);
                for &(bend, bstart, bi) in &run_b {
                    if bi != ai {
                        found.push((
                            ai,
                            bi,
                            Interval::new(bstart.max(iv.start), bend.min(iv.end)),
                        ));
                    }
                }
                run_a.insert((iv.end, iv.start, ai));
            } else {
                let (iv, bi) = bb[j];
                j += 1;
                drop_ended(&mut run_a, iv.start);
                for &(aend, astart, ai) in &run_a {
                    if bi != ai {
                        found.push((
                            ai,
                            bi,
                            Interval::new(astart.max(iv.start), aend.min(iv.end)),
                        ));
                    }
                }
                run_b.insert((iv.end, iv.start, bi));
            }
        }
        for (ai, bi, overlap) in found {
            // The `a` activity is what the rule keeps away from `b`: it comes first.
            let (an, bn) = (self.cx.name(ai).to_string(), self.cx.name(bi).to_string());
            let detail = if margin.0 > 0 {
                format!(
                    "`{an}` comes within {} of `{bn}` ({})",
                    fmt_dur(margin),
                    self.cx.fmt(overlap.start)
                )
            } else {
                format!("`{an}` overlaps `{bn}`")
            };
            self.violate(vec![ai, bi], Some(overlap), detail);
        }
    }

    fn requires_window(&mut self, sel: &Selector, windows: &[String], margin: Dur) {
        let acts = self.select(sel);
        if acts.is_empty() {
            return;
        }
        let Some(union) = self.union(windows, "windows") else {
            return;
        };
        let names = windows.join(" ∪ ");
        for (iv, ai) in acts {
            let need = Interval::new(Time(iv.start.0 - margin.0), Time(iv.end.0 + margin.0));
            let gap = match union_first_gap(&union, need, &mut Budget::default()) {
                Ok(gap) => gap,
                Err(LimitExceeded) => {
                    self.ev.undecided.push(Undecided {
                        rule: self.rule,
                        plan: self.cx.index,
                        activity: ai,
                        windows: names.clone(),
                    });
                    continue;
                }
            };
            if let Some(gap) = gap {
                let detail = format!(
                    "`{}` needs {names} from {} to {}{}; not covered from {} to {}",
                    self.cx.name(ai),
                    self.cx.fmt(need.start),
                    self.cx.fmt(need.end),
                    if margin.0 > 0 {
                        format!(" (its time ± {})", fmt_dur(margin))
                    } else {
                        String::new()
                    },
                    self.cx.fmt(gap.start),
                    self.cx.fmt(gap.end)
                );
                self.violate(vec![ai], Some(gap), detail);
            }
        }
    }

    fn forbidden_window(&mut self, sel: &Selector, windows: &[String], margin: Dur) {
        let acts = self.select(sel);
        if acts.is_empty() {
            return;
        }
        let Some(union) = self.union(windows, "windows") else {
            return;
        };
        let names = windows.join(" ∪ ");
        for (iv, ai) in acts {
            let widened = Interval::new(Time(iv.start.0 - margin.0), Time(iv.end.0 + margin.0));
            if let Some(hit) = first_overlap_of(&union, widened) {
                let detail = format!(
                    "`{}` runs into {names} from {} to {}",
                    self.cx.name(ai),
                    self.cx.fmt(hit.start),
                    self.cx.fmt(hit.end)
                );
                self.violate(vec![ai], Some(hit), detail);
            }
        }
    }

    fn precedence(
        &mut self,
        a: &Selector,
        b: &Selector,
        min_gap: Dur,
        max_gap: Option<Dur>,
        next_day: bool,
    ) {
        let aa = self.select(a);
        let bb = self.select(b);
        if aa.is_empty() || bb.is_empty() {
            return;
        }
        // The two latest- and two earliest-ending `a`, so that a `b` that is also an `a`
        // is compared with another one.
        let mut by_end: Vec<(Time, ActIdx)> = aa.iter().map(|&(iv, ai)| (iv.end, ai)).collect();
        by_end.sort_unstable();
        let latest: Vec<(Time, ActIdx)> = by_end.iter().rev().take(2).copied().collect();
        let earliest: Vec<(Time, ActIdx)> = by_end.iter().take(2).copied().collect();
        for (iv, bi) in bb {
            let pick = |list: &[(Time, ActIdx)]| list.iter().copied().find(|&(_, ai)| ai != bi);
            if let Some((end, ai)) = pick(&latest) {
                let gap = iv.start.since(end);
                let late_day = next_day && iv.start.day_start() <= Time(end.0 - 1).day_start();
                if gap < min_gap || late_day {
                    let (an, bn) = (self.cx.name(ai).to_string(), self.cx.name(bi).to_string());
                    let detail = if late_day && gap >= min_gap {
                        format!(
                            "`{bn}` starts on the day `{an}` ends; it must start on a later day"
                        )
                    } else if gap.0 < 0 {
                        format!(
                            "`{bn}` starts before `{an}` ends ({}); `{an}` must come first{}",
                            self.cx.fmt(end),
                            if min_gap.0 > 0 {
                                format!(", at least {} before", fmt_dur(min_gap))
                            } else {
                                String::new()
                            }
                        )
                    } else {
                        format!(
                            "`{bn}` starts {} after `{an}` ends; the minimum is {}",
                            fmt_dur(gap),
                            fmt_dur(min_gap)
                        )
                    };
                    let w = Interval::new(end.min(iv.start), end.max(iv.start));
                    self.violate(vec![bi, ai], Some(w), detail);
                    continue;
                }
            }
            if let (Some(max), Some((end, ai))) = (max_gap, pick(&earliest)) {
                let gap = iv.start.since(end);
                if gap > max {
                    let (an, bn) = (self.cx.name(ai).to_string(), self.cx.name(bi).to_string());
                    let detail = format!(
                        "`{bn}` starts {} after `{an}` ends; the maximum is {}",
                        fmt_dur(gap),
                        fmt_dur(max)
                    );
                    self.violate(vec![bi, ai], Some(Interval::new(end, iv.start)), detail);
                }
            }
        }
    }

    /// `requires_preceding` (`before`) and `requires_following`.
    fn requires_near(
        &mut self,
        sel: &Selector,
        other: &Selector,
        min_gap: Dur,
        max_gap: Option<Dur>,
        before: bool,
    ) {
        let acts = self.select(sel);
        if acts.is_empty() {
            return;
        }
        let others = self.select(other);
        // An activity the `other` selector picks but whose time is unknown could be the
        // one that satisfies the rule: without a known match, the rule is then not judged
        // (that activity is reported as F002), never failed with an invented absence.
        let unknown_others = self.unknown_matches(other);
        // Preceding: the others' ends; following: their starts. Sorted for binary search.
        let mut marks: Vec<(Time, ActIdx)> = others
            .iter()
            .map(|&(iv, oi)| (if before { iv.end } else { iv.start }, oi))
            .collect();
        marks.sort_unstable();
        for (iv, ai) in acts {
            // The admissible times of the other's end (or start).
            let (lo, hi) = if before {
                let hi = Time(iv.start.0 - min_gap.0);
                let lo = max_gap.map_or(Time(i64::MIN), |m| Time(iv.start.0 - m.0));
                (lo, hi)
            } else {
                let lo = Time(iv.end.0 + min_gap.0);
                let hi = max_gap.map_or(Time(i64::MAX), |m| Time(iv.end.0 + m.0));
                (lo, hi)
            };
            let from = marks.partition_point(|&(t, _)| t < lo);
            let ok = marks[from..]
                .iter()
                .take_while(|&&(t, _)| t <= hi)
                .any(|&(_, oi)| oi != ai);
            if ok || unknown_others.iter().any(|&u| u != ai) {
                continue;
            }
            let name = self.cx.name(ai).to_string();
            let range = match (before, max_gap, min_gap.0 == 0) {
                (true, Some(m), true) => format!("ending at most {} before it starts", fmt_dur(m)),
                (true, Some(m), false) => format!(
                    "ending between {} and {} before it starts",
                    fmt_dur(m),
                    fmt_dur(min_gap)
                ),
                (true, None, true) => "ending before it starts".to_string(),
                (true, None, false) => {
                    format!("ending at least {} before it starts", fmt_dur(min_gap))
                }
                (false, Some(m), true) => format!("starting at most {} after it ends", fmt_dur(m)),
                (false, Some(m), false) => format!(
                    "starting between {} and {} after it ends",
                    fmt_dur(min_gap),
                    fmt_dur(m)
                ),
                (false, None, true) => "starting after it ends".to_string(),
                (false, None, false) => {
                    format!("starting at least {} after it ends", fmt_dur(min_gap))
                }
            };
            // The nearest other one, to say how far off it is.
            let nearest = if before {
                marks[..marks.partition_point(|&(t, _)| t <= hi)]
                    .iter()
                    .rev()
                    .find(|&&(_, oi)| oi != ai)
                    .copied()
            } else {
                marks[from..].iter().find(|&&(_, oi)| oi != ai).copied()
            };
            let mut detail = format!("`{name}` has no matching activity {range}");
            let mut involved = vec![ai];
            if let Some((t, oi)) = nearest {
                let dist = if before {
                    iv.start.since(t)
                } else {
                    t.since(iv.end)
                };
                detail.push_str(&format!(
                    "; the nearest, `{}`, {} {}",
                    self.cx.name(oi),
                    if before { "ends" } else { "starts" },
                    if before {
                        format!("{} before", fmt_dur(dist))
                    } else {
                        format!("{} after", fmt_dur(dist))
                    }
                ));
                involved.push(oi);
            }
            let window = if before {
                Interval::new(if lo.0 == i64::MIN { hi } else { lo }, iv.start.max(hi))
            } else {
                Interval::new(iv.end.min(lo), if hi.0 == i64::MAX { lo } else { hi })
            };
            self.violate(involved, Some(window), detail);
        }
    }

    fn sequence(&mut self, steps: &[Selector], max_gap: Option<Dur>) {
        let sets: Vec<Vec<(Interval, ActIdx)>> = steps.iter().map(|s| self.select(s)).collect();
        // A step whose activities all have unknown times is planned, not missing: it is not
        // judged (they are reported as F002).
        let unknown: Vec<bool> = steps
            .iter()
            .map(|s| !self.unknown_matches(s).is_empty())
            .collect();
        let planned: Vec<usize> = (0..sets.len()).filter(|&i| !sets[i].is_empty()).collect();
        if planned.is_empty() {
            return;
        }
        let missing: Vec<usize> = (0..sets.len())
            .filter(|&i| sets[i].is_empty() && !unknown[i])
            .collect();
        if !missing.is_empty() {
            let first = sets[planned[0]][0].1;
            let missing: Vec<String> = missing.iter().map(|i| format!("step {}", i + 1)).collect();
            let detail = format!(
                "the chain starting with `{}` lacks {}",
                self.cx.name(first),
                missing.join(", ")
            );
            self.violate(vec![first], None, detail);
        }
        for w in planned.windows(2) {
            let (i, j) = (w[0], w[1]);
            let (last_end, li) = sets[i]
                .iter()
                .map(|&(iv, ai)| (iv.end, ai))
                .max()
                .expect("planned steps are not empty");
            let (first_start, fj) = sets[j]
                .iter()
                .map(|&(iv, ai)| (iv.start, ai))
                .min()
                .expect("planned steps are not empty");
            let gap = first_start.since(last_end);
            let (ln, fnm) = (self.cx.name(li).to_string(), self.cx.name(fj).to_string());
            if gap.0 < 0 {
                let detail = format!(
                    "step {} `{fnm}` starts before step {} `{ln}` ends",
                    j + 1,
                    i + 1
                );
                let window = Interval::new(first_start, last_end);
                self.violate(vec![fj, li], Some(window), detail);
            } else if let Some(max) = max_gap.filter(|m| gap > *m && j == i + 1) {
                // (Across a missing step only the order is judged.)
                let detail = format!(
                    "step {} `{fnm}` starts {} after step {} `{ln}` ends; the maximum is {}",
                    j + 1,
                    fmt_dur(gap),
                    i + 1,
                    fmt_dur(max)
                );
                self.violate(
                    vec![fj, li],
                    Some(Interval::new(last_end, first_start)),
                    detail,
                );
            }
        }
    }

    fn max_per_period(
        &mut self,
        sel: &Selector,
        period: Dur,
        max_count: Option<u32>,
        max_duration: Option<Dur>,
    ) {
        let acts = self.select(sel);
        if acts.is_empty() || period.0 <= 0 {
            return;
        }
        if let Some(max) = max_count {
            // Windows [start_i, start_i + period): two pointers over the sorted starts.
            let mut j = 0;
            let mut reported_to = 0;
            for i in 0..acts.len() {
                let end = Time(acts[i].0.start.0 + period.0);
                j = j.max(i);
                while j < acts.len() && acts[j].0.start < end {
                    j += 1;
                }
                let count = j - i;
                if count > max as usize && j > reported_to {
                    // The start that makes one too many comes first.
                    let over = i + max as usize;
                    let involved: Vec<ActIdx> = std::iter::once(acts[over].1)
                        .chain(
                            acts[i..j]
                                .iter()
                                .enumerate()
                                .filter(|&(k, _)| i + k != over)
                                .map(|(_, &(_, a))| a),
                        )
                        .collect();
                    let detail = format!(
                        "{count} activities start within {} from {}; the maximum is {max}",
                        fmt_dur(period),
                        self.cx.fmt(acts[i].0.start)
                    );
                    self.violate(involved, Some(Interval::new(acts[i].0.start, end)), detail);
                    reported_to = j;
                }
            }
        }
        if let Some(max) = max_duration {
            let busy = merge(acts.iter().map(|&(iv, _)| iv).collect());
            // prefix[k] = total length of busy[..k]
            let mut prefix = Vec::with_capacity(busy.len() + 1);
            prefix.push(0i64);
            for iv in &busy {
                prefix.push(prefix.last().copied().unwrap_or(0) + iv.duration().0);
            }
            let total_in = |w: Interval| -> i64 {
                // Busy time inside [w.start, w.end).
                let from = busy.partition_point(|iv| iv.end <= w.start);
                let to = busy.partition_point(|iv| iv.start < w.end);
                if from >= to {
                    return 0;
                }
                let mut sum = prefix[to] - prefix[from];
                sum -= (w.start.0 - busy[from].start.0).max(0);
                sum -= (busy[to - 1].end.0 - w.end.0).max(0);
                sum
            };
            let mut reported_until = Time(i64::MIN);
            for iv in &busy {
                // The busiest windows start where busy time starts.
                let w = Interval::new(iv.start, Time(iv.start.0 + period.0));
                let used = total_in(w);
                if used > max.0 && w.start >= reported_until {
                    // The instant the busy time passes the maximum, and the activity
                    // running then that started last: it comes first.
                    let mut acc = 0i64;
                    let mut over_at = w.start;
                    let from = busy.partition_point(|b| b.end <= w.start);
                    for b in busy[from..].iter().take_while(|b| b.start < w.end) {
                        let (s, e) = (b.start.max(w.start), b.end.min(w.end));
                        if acc + (e.0 - s.0) > max.0 {
                            over_at = Time(s.0 + (max.0 - acc));
                            break;
                        }
                        acc += e.0 - s.0;
                    }
                    let mut involved: Vec<ActIdx> = acts
                        .iter()
                        .filter(|(a, _)| a.overlaps(&w))
                        .map(|&(_, ai)| ai)
                        .collect();
                    let pusher = acts
                        .iter()
                        .filter(|(a, _)| a.start <= over_at && over_at < a.end)
                        .map(|&(_, ai)| ai)
                        .next_back();
                    if let Some(k) = pusher.and_then(|p| involved.iter().position(|&a| a == p)) {
                        let p = involved.remove(k);
                        involved.insert(0, p);
                    }
                    let detail = format!(
                        "selected activities run {} within {} from {}; the maximum is {}",
                        fmt_dur(Dur(used)),
                        fmt_dur(period),
                        self.cx.fmt(w.start),
                        fmt_dur(max)
                    );
                    self.violate(involved, Some(w), detail);
                    reported_until = w.end;
                }
            }
        }
    }

    fn resource_capacity(&mut self, resource: Option<&str>, sel: &Selector, max: Option<u32>) {
        let plan = self.cx.plan;
        // (interval, amount, activity)
        let mut uses: Vec<(Interval, u64, ActIdx)> = Vec::new();
        // With a resource: every use of it (selected or not) and its declared capacity.
        // Where they exceed it, the language's own checks report (`T006`, `T008`): an
        // episode of this rule is reported only if, at some instant of it, the uses stay
        // within the declared capacity (the rule is stricter than the declaration there).
        let mut declared: Option<(u64, Vec<(Interval, u64)>)> = None;
        let limit: u64;
        let what: String;
        match resource {
            Some(name) => {
                let Some(&ri) = plan.resource_index.get(name) else {
                    self.ev.missing.push(MissingName {
                        rule: self.rule,
                        plan: self.cx.index,
                        what: "resource",
                        name: name.to_string(),
                        key: "resource",
                    });
                    return;
                };
                let capacity = match plan.resources[ri].kind {
                    ResourceKind::Exclusive => 1,
                    ResourceKind::Capacity(c) => c,
                };
                limit = u64::from(max.unwrap_or(capacity));
                let every_use = self
                    .cx
                    .by_start
                    .iter()
                    .flat_map(|&(iv, ai)| {
                        plan.activities[ai]
                            .ast
                            .uses
                            .iter()
                            .filter(|u| u.resource.value == name)
                            .map(move |u| (iv, u.amount.as_ref().map_or(1, |a| u64::from(a.value))))
                    })
                    .filter(|&(_, amount)| amount > 0)
                    .collect();
                declared = Some((u64::from(capacity), every_use));
                what = format!("`{name}`");
                let chosen =
                    self.select_where(sel, |a| a.ast.uses.iter().any(|u| u.resource.value == name));
                for (iv, ai) in chosen {
                    for u in &plan.activities[ai].ast.uses {
                        if u.resource.value == name {
                            let amount = u.amount.as_ref().map_or(1, |a| a.value);
                            uses.push((iv, u64::from(amount), ai));
                        }
                    }
                }
            }
            None => {
                limit = u64::from(max.unwrap_or(1));
                what = "the selected activities".into();
                uses = self
                    .select(sel)
                    .into_iter()
                    .map(|(iv, ai)| (iv, 1, ai))
                    .collect();
            }
        }
        // Sweep: ends before starts at equal times (touching is not overlapping).
        let mut events: Vec<(Time, bool, u64, ActIdx)> = Vec::with_capacity(uses.len() * 2);
        for &(iv, amount, ai) in &uses {
            events.push((iv.start, true, amount, ai));
            events.push((iv.end, false, amount, ai));
        }
        events.sort_unstable_by_key(|&(t, is_start, _, ai)| (t, is_start, ai));
        // The declared capacity's own level, swept alongside.
        let mut total_events: Vec<(Time, bool, u64)> = Vec::new();
        if let Some((_, all)) = &declared {
            for &(iv, amount) in all {
                total_events.push((iv.start, true, amount));
                total_events.push((iv.end, false, amount));
            }
            total_events.sort_unstable();
        }
        let capacity = declared.as_ref().map(|(c, _)| *c);
        let (mut total, mut tk) = (0u64, 0usize);
        // Whether the current episode has an instant within the declared capacity.
        let mut beyond_declared = false;
        let mut level: u64 = 0;
        // (from, peak, when the peak begins, the one whose start made the peak)
        let mut episode: Option<(Time, u64, Time, Option<ActIdx>)> = None;
        // The episodes to report: (from, to, peak, peak instant, the one that made it);
        // the activities at each peak are found afterwards by one more sweep.
        let mut found: Vec<(Time, Time, u64, Time, Option<ActIdx>)> = Vec::new();
        let mut k = 0;
        while k < events.len() {
            // Every event at one instant first: an end and a start at the same time leave
            // the level where it was, without a dip that would split an episode.
            let t = events[k].0;
            let mut started = None;
            while k < events.len() && events[k].0 == t {
                let (_, is_start, amount, ai) = events[k];
                if is_start {
                    level += amount;
                    started = Some(ai);
                } else {
                    level -= amount;
                }
                k += 1;
            }
            while tk < total_events.len() && total_events[tk].0 <= t {
                let (_, is_start, amount) = total_events[tk];
                if is_start {
                    total += amount;
                } else {
                    total -= amount;
                }
                tk += 1;
            }
            // The level stays as it is until the next event: the instant `t` stands for
            // `[t, next event)`, during which the declared level may change too; it is
            // within the declared capacity somewhere there when it is at `t` or at one
            // of the declared level's own events before the next event.
            if level > limit && capacity.is_some_and(|c| total <= c) {
                beyond_declared = true;
            }
            if level > limit && !beyond_declared {
                if let Some(c) = capacity {
                    let next = events.get(k).map_or(Time(i64::MAX), |e| e.0);
                    let mut probe = total;
                    let mut j = tk;
                    while j < total_events.len() && total_events[j].0 < next {
                        let t0 = total_events[j].0;
                        while j < total_events.len() && total_events[j].0 == t0 {
                            let (_, is_start, amount) = total_events[j];
                            if is_start {
                                probe += amount;
                            } else {
                                probe -= amount;
                            }
                            j += 1;
                        }
                        if probe <= c {
                            beyond_declared = true;
                            break;
                        }
                    }
                }
            }
            if level > limit {
                match &mut episode {
                    Some((_, peak, at, pusher)) if level > *peak => {
                        *peak = level;
                        *at = t;
                        *pusher = started;
                    }
                    Some(_) => {}
                    None => episode = Some((t, level, t, started)),
                }
            } else if let Some((from, peak, at, pusher)) = episode.take() {
                let restates_capacity = capacity.is_some() && !beyond_declared;
                beyond_declared = false;
                if !restates_capacity {
                    found.push((from, t, peak, at, pusher));
                }
            }
        }
        let running: Vec<(Interval, ActIdx)> = uses.iter().map(|&(iv, _, ai)| (iv, ai)).collect();
        let peaks: Vec<Time> = found.iter().map(|f| f.3).collect();
        for ((from, to, peak, _, pusher), mut acts) in found
            .into_iter()
            .zip(crate::time::running_at(&running, &peaks))
        {
            acts.dedup();
            // The activity whose start takes the use over comes first.
            if let Some(i) = pusher.and_then(|p| acts.iter().position(|&a| a == p)) {
                let p = acts.remove(i);
                acts.insert(0, p);
            }
            let names: Vec<String> = acts[1..]
                .iter()
                .map(|&a| format!("`{}`", self.cx.name(a)))
                .collect();
            let first = format!("`{}`", self.cx.name(acts[0]));
            let who = match names.len() {
                0 => first,
                1 => format!("{first} starts while {} runs", names[0]),
                _ => format!("{first} starts while {} run", names.join(", ")),
            };
            let detail = format!(
                "{what} reach {peak} at once (maximum {limit}) from {} to {}: {who}",
                self.cx.fmt(from),
                self.cx.fmt(to),
            );
            self.violate(acts, Some(Interval::new(from, to)), detail);
        }
    }

    /// The roles of the plan named by `names` that it declares; the others are recorded.
    fn declared_roles<'n>(
        &mut self,
        names: &'n [String],
        key: &'static str,
    ) -> Option<Vec<&'n str>> {
        let plan = self.cx.plan;
        let mut ok = true;
        for n in names {
            if !plan.role_index.contains_key(n) {
                ok = false;
                self.ev.missing.push(MissingName {
                    rule: self.rule,
                    plan: self.cx.index,
                    what: "role",
                    name: n.clone(),
                    key,
                });
            }
        }
        ok.then(|| names.iter().map(String::as_str).collect())
    }

    fn roles_required(&mut self, sel: &Selector, all: &[String], any: &[String]) {
        let plan = self.cx.plan;
        let (Some(all), Some(any)) = (
            self.declared_roles(all, "all"),
            self.declared_roles(any, "any"),
        ) else {
            return;
        };
        let acts = self.select(sel);
        if acts.is_empty() {
            return;
        }
        let members_of = plan.members_of();
        for (iv, ai) in acts {
            // The roles taking part: each `by` role, the group it belongs to, and the
            // members of a group role (groups count both ways).
            let mut present: Vec<&str> = Vec::new();
            for r in &plan.activities[ai].ast.by {
                present.push(r.value.as_str());
                if let Some(g) = self.cx.group_of.get(r.value.as_str()) {
                    present.push(g);
                }
                if let Some(ms) = members_of.get(r.value.as_str()) {
                    present.extend(ms.iter().copied());
                }
            }
            let missing: Vec<&str> = all
                .iter()
                .copied()
                .filter(|r| !present.contains(r))
                .collect();
            let none_of_any = !any.is_empty() && !any.iter().any(|r| present.contains(r));
            if missing.is_empty() && !none_of_any {
                continue;
            }
            let name = self.cx.name(ai).to_string();
            let by: Vec<&str> = plan.activities[ai]
                .ast
                .by
                .iter()
                .map(|r| r.value.as_str())
                .collect();
            let mut parts = Vec::new();
            if !missing.is_empty() {
                parts.push(format!("lacks {}", missing.join(", ")));
            }
            if none_of_any {
                parts.push(format!("has none of {}", any.join(", ")));
            }
            let detail = format!(
                "`{name}` (by {}) {}",
                if by.is_empty() {
                    "no role".to_string()
                } else {
                    by.join(", ")
                },
                parts.join(" and ")
            );
            self.violate(vec![ai], Some(iv), detail);
        }
    }

    fn crew_day(&mut self, sel: &Selector, max_work: Option<Dur>, sleep: Option<&str>) {
        let plan = self.cx.plan;
        let acts = self.select(sel);
        if acts.is_empty() {
            return;
        }
        // A crew member is a role of a group (`roles FE-5 in CREW`), or the group itself;
        // any other role is a ground role: messages speak of its working day and rest,
        // not of crew sleep.
        let members_of = plan.members_of();
        let is_crew = |r: &str| self.cx.group_of.contains_key(r) || members_of.contains_key(r);
        if let Some(window) = sleep {
            if let Some(union) = self.union(&[window.to_string()], "sleep") {
                for &(iv, ai) in &acts {
                    if let Some(hit) = first_overlap_of(&union, iv) {
                        let by = &plan.activities[ai].ast.by;
                        let rest = if by.is_empty() || by.iter().any(|r| is_crew(&r.value)) {
                            format!("crew sleep ({window})")
                        } else {
                            let roles: Vec<String> =
                                by.iter().map(|r| format!("`{}`", r.value)).collect();
                            format!("the rest period of {} ({window})", roles.join(", "))
                        };
                        let detail = format!(
                            "`{}` runs into {rest} from {} to {}",
                            self.cx.name(ai),
                            self.cx.fmt(hit.start),
                            self.cx.fmt(hit.end)
                        );
                        self.violate(vec![ai], Some(hit), detail);
                    }
                }
            }
        }
        let Some(max) = max_work else { return };
        // Crew members: the roles of the plan that belong to a group, or that are named
        // by an activity and have no group. An activity by a group counts for each member.
        // (member, day) → (worked seconds, activities, the one that took the day over)
        type Day = (i64, Vec<ActIdx>, Option<ActIdx>);
        let mut days: std::collections::BTreeMap<(String, i64), Day> = Default::default();
        for &(iv, ai) in &acts {
            let mut who: Vec<&str> = Vec::new();
            for r in &plan.activities[ai].ast.by {
                match members_of.get(r.value.as_str()) {
                    Some(ms) => who.extend(ms.iter().copied()),
                    None => who.push(r.value.as_str()),
                }
            }
            who.sort_unstable();
            who.dedup();
            let mut day = iv.start.day_start();
            while day < iv.end {
                let next = Time(day.0 + 86_400);
                let part = iv.end.min(next).0 - iv.start.max(day).0;
                for m in &who {
                    let e = days.entry((m.to_string(), day.0)).or_default();
                    e.0 += part;
                    e.1.push(ai);
                    if e.0 > max.0 && e.2.is_none() {
                        e.2 = Some(ai);
                    }
                }
                day = next;
            }
        }
        for ((member, day), (worked, mut acts, over)) in days {
            if worked > max.0 {
                let day = Time(day);
                // The activity that took the day over its limit comes first.
                if let Some(i) = over.and_then(|o| acts.iter().position(|&a| a == o)) {
                    let o = acts.remove(i);
                    acts.insert(0, o);
                }
                let (who, limit) = if is_crew(&member) {
                    (format!("crew member `{member}`"), "the maximum crew day")
                } else {
                    (format!("`{member}`"), "the maximum working day")
                };
                // The day alone: `2014/276`, `2014-10-03` (no midnight clock).
                let date = self.cx.fmt(day);
                let date = match self.cx.plan.notation {
                    crate::time::Notation::DayOfYear => date.split(' ').next(),
                    crate::time::Notation::Iso => date.split('T').next(),
                }
                .unwrap_or_default()
                .to_string();
                let detail = format!(
                    "{who} works {} on {} ({} activities); {limit} is {}",
                    fmt_dur(Dur(worked)),
                    date,
                    acts.len(),
                    fmt_dur(max)
                );
                self.violate(acts, Some(Interval::new(day, Time(day.0 + 86_400))), detail);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("A4*", "A49"));
        assert!(glob("*", "A49"));
        assert!(glob("A*9", "A49"));
        assert!(!glob("A4*", "B49"));
        assert!(glob("A49", "A49"));
        assert!(!glob("A*5*9", "A49"));
    }

    #[test]
    fn durations_read_like_the_language() {
        assert_eq!(fmt_dur(Dur(3 * 3600 + 60)), "3h1m");
        assert_eq!(fmt_dur(Dur(0)), "0m");
        assert_eq!(fmt_dur(Dur(-90)), "-1m30s");
    }
}
