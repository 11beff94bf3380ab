//! Training scenarios: where a procedure's failures lead (its contingency links), and
//! each scenario's plan, trainees, injection times, running activities and expected
//! procedures, resolved.
//!
//! The running activities of an inject are not stored: a plan's [`Timeline`] (its
//! activities sorted by start, over a tree of the latest end in each range) answers "what
//! runs at t" when an inject is judged, in O(log n) per activity found, and the model keeps
//! per inject only how many run and, when none does, its neighbours. Memory is linear in
//! activities + injects however many activities run at each inject (3,000 injects over
//! 3,000 activities running at once stored 9 million indices, then a path per pair).

use super::build::resolve_procedure_ref;
use super::*;
use crate::syntax::ast::{Anchor, FailAction, StatementKind, TimeExpr};

/// The procedures the failures of procedure `pi` lead to, those it calls, and its failure
/// steps (see [`ProcedureModel::failure_targets`], [`ProcedureModel::call_targets`],
/// [`ProcedureModel::failure_steps`]). Unresolved names are skipped (reported by R002,
/// R003 and P002). Linear in the procedure's statements.
pub(super) fn failure_targets(m: &Model, pi: ProcIdx) -> (Vec<ProcIdx>, Vec<ProcIdx>, Vec<usize>) {
    let pm = &m.procedures[pi];
    if pm.incomplete {
        return (Vec::new(), Vec::new(), Vec::new());
    }
    let p = &pm.ast;
    let steps = &p.steps;
    let label = |l: &ast::Ident| pm.step_index.get(&l.value).copied();
    // Successors of a step: fall-through and `goto`, and with `on_fail` the `on fail goto`s.
    let successors = |si: usize, on_fail: bool| -> Vec<usize> {
        let step = &steps[si];
        let mut out = Vec::new();
        for st in &step.statements {
            if let StatementKind::Goto(l) = &st.kind {
                out.extend(label(l));
            }
            if let (true, Some(FailAction::Goto(l))) = (on_fail, &st.on_fail) {
                out.extend(label(l));
            }
        }
        let falls_through = !matches!(
            step.statements.last().map(|s| &s.kind),
            Some(StatementKind::Goto(_) | StatementKind::Abort(_) | StatementKind::End)
        );
        if falls_through && si + 1 < steps.len() {
            out.push(si + 1);
        }
        out
    };
    let walk = |starts: Vec<usize>, on_fail: bool, stop: &[bool]| -> Vec<bool> {
        let mut seen = vec![false; steps.len()];
        let mut stack = starts;
        while let Some(s) = stack.pop() {
            if seen[s] || stop[s] {
                continue;
            }
            seen[s] = true;
            stack.extend(successors(s, on_fail));
        }
        seen
    };
    let none = vec![false; steps.len()];
    let nominal = if steps.is_empty() {
        Vec::new()
    } else {
        walk(vec![0], false, &none)
    };
    let fail_starts: Vec<usize> = steps
        .iter()
        .flat_map(|s| &s.statements)
        .filter_map(|st| match &st.on_fail {
            Some(FailAction::Goto(l)) => label(l),
            _ => None,
        })
        .collect();
    let failure = walk(fail_starts, true, &nominal);

    let mut refs: Vec<&ast::ProcRef> = p.contingency.iter().collect();
    let mut calls: Vec<&ast::ProcRef> = Vec::new();
    for (si, step) in steps.iter().enumerate() {
        for st in &step.statements {
            if let Some(FailAction::Call(r)) = &st.on_fail {
                refs.push(r);
                calls.push(r);
            }
            if let StatementKind::Call(r) = &st.kind {
                calls.push(r);
                if failure[si] {
                    refs.push(r);
                }
            }
        }
    }
    let resolve = |refs: Vec<&ast::ProcRef>| {
        let mut seen: HashSet<ProcIdx> = HashSet::default();
        let mut out: Vec<ProcIdx> = Vec::new();
        for r in refs {
            let version = r.version.as_ref().map(|v| v.value.as_str());
            if let Ok(t) = resolve_procedure_ref(m, &r.id.value, version) {
                if seen.insert(t) {
                    out.push(t);
                }
            }
        }
        out
    };
    let failure_steps = (0..steps.len()).filter(|&si| failure[si]).collect();
    (resolve(refs), resolve(calls), failure_steps)
}

pub(super) fn resolve_scenarios(m: &mut Model, asts: Vec<(FileId, ast::Scenario)>) {
    let mut plan_ids: HashMap<&str, PlanIdx> = HashMap::default();
    for (pi, p) in m.plans.iter().enumerate() {
        plan_ids.entry(p.id.value.as_str()).or_insert(pi);
    }
    let mut ids: HashMap<String, Span> = HashMap::default();
    let mut duplicates = Vec::new();
    let mut unresolved = Vec::new();
    let mut scenarios = Vec::with_capacity(asts.len());
    for (file, sc) in asts {
        if let Some(&first) = ids.get(&sc.id.value) {
            duplicates.push(Duplicate {
                what: "scenario",
                name: sc.id.value.clone(),
                first,
                second: sc.id.span,
            });
        } else {
            ids.insert(sc.id.value.clone(), sc.id.span);
        }
        let plan = sc
            .plan
            .as_ref()
            .and_then(|p| plan_ids.get(p.value.as_str()).copied());
        let mut trainees: HashMap<&str, Span> = HashMap::default();
        for t in &sc.trainees {
            if let Some(&first) = trainees.get(t.value.as_str()) {
                duplicates.push(Duplicate {
                    what: "trainee",
                    name: t.value.clone(),
                    first,
                    second: t.span,
                });
            } else {
                trainees.insert(&t.value, t.span);
            }
        }
        let mut injects = Vec::with_capacity(sc.injects.len());
        for inj in &sc.injects {
            let mut im = InjectModel {
                time: Err(InjectUnknown::InvalidInput),
                in_horizon: false,
                running: 0,
                neighbours: (None, None),
                expects: vec![None; inj.expects.len()],
            };
            if let Some(pi) = plan {
                im.time = inject_time(&m.plans[pi], &inj.at);
                if let TimeExpr::Relative { activity, .. } = &inj.at {
                    if !m.plans[pi].activity_index.contains_key(&activity.value) {
                        unresolved.push(UnresolvedRef {
                            kind: RefKind::Activity,
                            name: activity.clone(),
                            version: None,
                            scope: Scope::Plan(pi),
                        });
                    }
                }
                for (slot, e) in im.expects.iter_mut().zip(&inj.expects) {
                    let version = e.version.as_ref().map(|v| v.value.as_str());
                    match resolve_procedure_ref(m, &e.id.value, version) {
                        Ok(p) => *slot = Some(p),
                        Err(kind) => unresolved.push(UnresolvedRef {
                            kind,
                            name: e.id.clone(),
                            version: e.version.clone(),
                            scope: Scope::Plan(pi),
                        }),
                    }
                }
            }
            injects.push(im);
        }
        // Trainees that are not roles of the plan are resolved against the plan's roster
        // once the rosters are built (`staffing::training::link`).
        let mut training = super::staffing::training::Record::default();
        if let Some(h) = &sc.held {
            if let (Some(start), Some(end)) = (h.start.value, h.end.value) {
                if end <= start {
                    m.bad_intervals.push((
                        h.span,
                        format!(
                            "the session of scenario {} (`held`) ends before it starts",
                            sc.id.value
                        ),
                    ));
                } else {
                    training.held = Some(Interval::new(start, end));
                }
            }
        }
        scenarios.push(ScenarioModel {
            ast: sc,
            file,
            plan,
            injects,
            training,
        });
    }
    // Running activities: one timeline per plan that has injects in its horizon.
    let mut timelines: HashMap<PlanIdx, Timeline> = HashMap::default();
    for sc in scenarios.iter_mut() {
        let Some(pi) = sc.plan else { continue };
        let horizon = m.plans[pi].horizon;
        for im in sc.injects.iter_mut() {
            let Ok(t) = im.time else { continue };
            im.in_horizon = horizon.is_none_or(|h| h.start <= t && t < h.end);
            if !im.in_horizon {
                continue;
            }
            let timeline = timelines
                .entry(pi)
                .or_insert_with(|| Timeline::new(&m.plans[pi]));
            im.running = timeline.count_running(t);
            if im.running == 0 {
                im.neighbours = timeline.neighbours(t);
            }
        }
    }
    m.timelines = timelines;
    m.scenarios = scenarios;
    m.duplicates.extend(duplicates);
    m.unresolved.extend(unresolved);
}

/// The time an `inject … at` names, in the scenario's plan.
fn inject_time(plan: &PlanModel, at: &TimeExpr) -> Result<Time, InjectUnknown> {
    match at {
        TimeExpr::Absolute(lit) => lit.value.ok_or(InjectUnknown::InvalidInput),
        TimeExpr::Relative {
            activity,
            anchor,
            offset,
            ..
        } => {
            let &ai = plan
                .activity_index
                .get(&activity.value)
                .ok_or(InjectUnknown::InvalidInput)?;
            let i = plan.activities[ai]
                .time
                .bounds()
                .ok_or(InjectUnknown::Activity(ai))?;
            let base = match anchor {
                Anchor::Start => i.start,
                Anchor::End => i.end,
            };
            let off = match offset {
                None => crate::time::Dur::ZERO,
                Some(d) => d.value.ok_or(InjectUnknown::InvalidInput)?,
            };
            base.checked_add(off).map_err(|_| InjectUnknown::OutOfRange)
        }
    }
}

/// The activities of a plan with known times, for "which run at t" (`start <= t < end`):
/// sorted by start, over an implicit binary tree holding the latest end of each range of
/// them. A query descends only into ranges that start by `t` and end after it, with an
/// explicit stack: O(log n) per activity found, O(n) memory, no recursion.
#[derive(Debug, Clone)]
pub struct Timeline {
    /// (interval, activity), sorted by (start, activity).
    by_start: Vec<(Interval, ActIdx)>,
    /// (end, activity), sorted.
    by_end: Vec<(Time, ActIdx)>,
    /// `latest[size + i]` is the end of `by_start[i]`; `latest[k]` the later of
    /// `latest[2k]` and `latest[2k + 1]`; `size` a power of two (empty leaves: `Time(i64::MIN)`).
    latest: Vec<Time>,
    size: usize,
}

impl Timeline {
    pub fn new(plan: &PlanModel) -> Timeline {
        let mut by_start: Vec<(Interval, ActIdx)> = plan
            .activities
            .iter()
            .enumerate()
            .filter_map(|(ai, a)| a.time.interval().map(|i| (i, ai)))
            .collect();
        by_start.sort_by_key(|(i, ai)| (i.start, *ai));
        let mut by_end: Vec<(Time, ActIdx)> = by_start.iter().map(|(i, ai)| (i.end, *ai)).collect();
        by_end.sort_unstable();
        let size = by_start.len().next_power_of_two();
        let mut latest = vec![Time(i64::MIN); 2 * size];
        for (k, (i, _)) in by_start.iter().enumerate() {
            latest[size + k] = i.end;
        }
        for k in (1..size).rev() {
            latest[k] = latest[2 * k].max(latest[2 * k + 1]);
        }
        Timeline {
            by_start,
            by_end,
            latest,
            size,
        }
    }

    /// Calls `found` with the position in `by_start` of every activity running at `t`, in
    /// start order.
    fn each_running(&self, t: Time, mut found: impl FnMut(usize)) {
        // Only the activities started by `t` can run at `t`.
        let started = self.by_start.partition_point(|(i, _)| i.start <= t);
        if started == 0 {
            return;
        }
        // (node, first position it covers, positions it covers), children right first
        // so that positions come out in order.
        let mut stack: Vec<(usize, usize, usize)> = vec![(1, 0, self.size)];
        while let Some((node, first, len)) = stack.pop() {
            if first >= started || self.latest[node] <= t {
                continue;
            }
            if len == 1 {
                found(first);
                continue;
            }
            let half = len / 2;
            stack.push((2 * node + 1, first + half, half));
            stack.push((2 * node, first, half));
        }
    }

    /// How many activities run at `t`: those started by then less those ended by then
    /// (an activity ended by `t` started before it). O(log n).
    pub fn count_running(&self, t: Time) -> usize {
        let started = self.by_start.partition_point(|(i, _)| i.start <= t);
        let ended = self.by_end.partition_point(|(end, _)| *end <= t);
        started - ended
    }

    /// The activities running at `t`, in plan order.
    pub fn running(&self, t: Time) -> Vec<ActIdx> {
        let mut out = Vec::new();
        self.each_running(t, |k| out.push(self.by_start[k].1));
        out.sort_unstable();
        out
    }

    /// The activity that ended last at or before `t` and the first to start after it.
    pub fn neighbours(&self, t: Time) -> (Option<ActIdx>, Option<ActIdx>) {
        let ended = self.by_end.partition_point(|(end, _)| *end <= t);
        let started = self.by_start.partition_point(|(i, _)| i.start <= t);
        (
            ended.checked_sub(1).map(|k| self.by_end[k].1),
            self.by_start.get(started).map(|(_, ai)| *ai),
        )
    }
}

impl Model {
    /// The activities running when inject `ii` of scenario `si` comes (`start <= t <
    /// end`), in plan order; empty when its time is unknown or outside the horizon.
    /// Computed on each call (O(r log n) for r of n activities): the model keeps only
    /// their number, [`InjectModel::running`].
    pub fn running_at_inject(&self, si: ScnIdx, ii: usize) -> Vec<ActIdx> {
        let sc = &self.scenarios[si];
        let im = &sc.injects[ii];
        match (sc.plan, im.time) {
            (Some(pi), Ok(t)) if im.in_horizon && im.running > 0 => self
                .timelines
                .get(&pi)
                .map(|tl| tl.running(t))
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn model(text: &str) -> Model {
        let (ast, diags) = crate::syntax::parse(FileId(0), text);
        assert!(diags.is_empty(), "{diags:#?}");
        Model::build(vec![ast])
    }

    fn idx(m: &Model, id: &str) -> ProcIdx {
        m.procedure_index[id][0]
    }

    #[test]
    fn the_contingency_path_is_transitive_and_ends_on_cycles() {
        let m = model(
            r#"
            procedure ROOT {
              contingency C1
              step 1 { call MON   check X < 1 on fail goto 1 }     // a retry: not a failure step
              step 2 { check Y < 1 on fail call C2   end }
            }
            procedure C1 {
              step 1 { check Z < 1 on fail goto 3 }
              step 2 { end }
              step 3 { manual FD "safe"   call C3 }                // reached only on failure
              step 4 { call C4   abort }                           // falls through from 3
            }
            procedure C2 { contingency ROOT   step 1 { call ROOT } } // a cycle back to ROOT
            procedure C3 { contingency C1 }                          // and back to C1
            procedure C4 { handles X   step 1 { call C5 } }         // a contingency's own call
            procedure C5 { }
            procedure MON { step 1 { wait 1m } }
        "#,
        );
        let names = |path: &[PathStep]| -> Vec<(String, Option<usize>)> {
            path.iter()
                .map(|s| (m.procedures[s.procedure].id().to_string(), s.from))
                .collect()
        };
        let path = m.contingency_path(idx(&m, "ROOT"));
        assert_eq!(
            names(&path),
            [
                ("ROOT".to_string(), None),
                ("C1".to_string(), Some(0)),
                ("C2".to_string(), Some(0)),
                ("C3".to_string(), Some(1)),
                ("C4".to_string(), Some(1)),
                ("C5".to_string(), Some(4)),
            ]
        );
        assert!(m.procedures[idx(&m, "C2")].failure_targets == [idx(&m, "ROOT")]);
        // MON is called on the nominal flow only: never on the path.
        assert!(!path.iter().any(|s| s.procedure == idx(&m, "MON")));
    }

    #[test]
    fn a_long_chain_is_followed_to_a_bounded_depth() {
        let mut text = String::new();
        for i in 0..100 {
            text.push_str(&format!("procedure P{i} {{ contingency P{} }}\n", i + 1));
        }
        text.push_str("procedure P100 { }\n");
        let m = model(&text);
        let path = m.contingency_path(idx(&m, "P0"));
        assert_eq!(path.len(), MAX_CONTINGENCY_DEPTH + 1);
        let short = m.contingency_path(idx(&m, "P90"));
        assert_eq!(short.len(), 11, "P90 .. P100");
    }

    #[test]
    fn call_paths_over_a_chain_of_a_million_stay_bounded() {
        // A million procedures, each calling the next, each the contingency of the one
        // before: the path stops 32 deep, from any root, with no recursion.
        let n = 1_000_000;
        let next: Vec<Vec<ProcIdx>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        for root in [0, n / 2, n - 1] {
            let path = super::super::contingency_path(root, |p| &next[p], |p| &next[p]);
            assert_eq!(path.len(), MAX_CONTINGENCY_DEPTH + 1);
            assert_eq!(path[32].procedure, (root + 32) % n);
            assert!(path
                .iter()
                .enumerate()
                .skip(1)
                .all(|(k, s)| s.from == Some(k - 1) && s.procedure == (root + k) % n));
        }
        // The same chain as a call graph: one component per procedure, in call order;
        // closed into a cycle: one component (P004 reports it once).
        let mut g = super::super::DepGraph::default();
        let ix: Vec<_> = (0..n).map(|p| g.node(Node::Procedure(p))).collect();
        let span = Span::new(FileId(0), 0..0);
        for p in 0..n - 1 {
            g.graph.add_edge(
                ix[p],
                ix[p + 1],
                Edge {
                    kind: EdgeKind::Calls,
                    span,
                },
            );
        }
        let order = g.components(|k| k == EdgeKind::Calls);
        assert_eq!(order.len(), n);
        assert!(order.iter().enumerate().all(|(i, c)| c == &[ix[i]]));
        g.graph.add_edge(
            ix[n - 1],
            ix[0],
            Edge {
                kind: EdgeKind::Calls,
                span,
            },
        );
        assert_eq!(g.components(|k| k == EdgeKind::Calls).len(), 1);
    }

    #[test]
    fn a_broad_path_is_followed_to_a_bounded_length() {
        // ROOT's contingency calls 200 procedures: the path stops at its length bound,
        // breadth first (the hub, then the first callees).
        let mut text = String::from("procedure ROOT { contingency HUB }\nprocedure HUB { step 1 {");
        for i in 0..200 {
            text.push_str(&format!(" call Q{i}"));
        }
        text.push_str(" } }\n");
        for i in 0..200 {
            text.push_str(&format!("procedure Q{i} {{ contingency ROOT }}\n"));
        }
        let m = model(&text);
        let path = m.contingency_path(idx(&m, "ROOT"));
        assert_eq!(path.len(), MAX_CONTINGENCY_PROCEDURES);
        assert_eq!(path[1].procedure, idx(&m, "HUB"));
        assert_eq!(path[2].procedure, idx(&m, "Q0"));
        assert_eq!(path.last().unwrap().procedure, idx(&m, "Q61"));
    }

    #[test]
    fn running_activities_agree_with_a_scan() {
        // Pseudo-random activities (some overlapping, some touching) and injection times,
        // against the half-open definition checked one by one.
        let mut seed: u64 = 0x5eed;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let mut text = String::from("plan P {\n");
        for i in 0..300 {
            let start = next(2000);
            let len = 1 + next(60);
            text.push_str(&format!(
                "activity A{i} {{ at 2014/275 00:00   lasts {len}m }}\n"
            ));
            text = text.replacen(
                &format!("activity A{i} {{ at 2014/275 00:00"),
                &format!(
                    "activity A{i} {{ at 2014/275 {:02}:{:02}",
                    start / 60 % 24,
                    start % 60
                ),
                1,
            );
        }
        text.push_str("}\n");
        let m = model(&text);
        let plan = &m.plans[0];
        let base = Time::parse_doy("2014/275 00:00").unwrap();
        let times: Vec<Time> = (0..500)
            .map(|_| {
                base.checked_add(crate::time::Dur(next(25 * 3600) as i64))
                    .unwrap()
            })
            .collect();
        let timeline = Timeline::new(plan);
        for t in &times {
            let running = timeline.running(*t);
            let (before, after) = timeline.neighbours(*t);
            assert_eq!(timeline.count_running(*t), running.len());
            let expected: Vec<ActIdx> = (0..plan.activities.len())
                .filter(|&ai| {
                    let i = plan.activities[ai].time.interval().unwrap();
                    i.start <= *t && *t < i.end
                })
                .collect();
            assert_eq!(running, expected, "at {t:?}");
            if expected.is_empty() {
                let end_of = |ai: ActIdx| plan.activities[ai].time.interval().unwrap().end;
                let start_of = |ai: ActIdx| plan.activities[ai].time.interval().unwrap().start;
                let last_end = (0..plan.activities.len())
                    .map(end_of)
                    .filter(|e| e <= t)
                    .max();
                let first_start = (0..plan.activities.len())
                    .map(start_of)
                    .filter(|s| s > t)
                    .min();
                assert_eq!(before.map(end_of), last_end);
                assert_eq!(after.map(start_of), first_start);
            }
        }
    }
}
