//! What the scenario rules (`S005`–`S007`) share: every inject that has running
//! activities, judged once against the contingency paths of their procedures.

use crate::model::{ActIdx, Model, PathStep, PlanModel, ProcIdx, ScnIdx};
use crate::syntax::ast::{Inject, TimeExpr};
use crate::time::{Dur, Time};
use rustc_hash::FxHashMap as HashMap;

/// One running activity and the contingency path of its procedure.
pub struct RunningPath {
    pub activity: ActIdx,
    /// Empty when the activity runs no (resolved) procedure.
    pub path: Vec<PathStep>,
}

/// An inject whose time falls inside a running activity.
pub struct Judgement {
    pub scenario: ScnIdx,
    pub inject: usize,
    pub running: Vec<RunningPath>,
    /// (index in `running`, index in its path) of every procedure declaring `handles EVENT`.
    pub handlers: Vec<(usize, usize)>,
}

impl Judgement {
    /// True when some procedure on a path handles the event.
    pub fn handled(&self) -> bool {
        !self.handlers.is_empty()
    }

    /// The procedures on the paths, each once, in path order.
    pub fn procedures(&self) -> Vec<ProcIdx> {
        let mut seen: rustc_hash::FxHashSet<ProcIdx> = Default::default();
        let mut out: Vec<ProcIdx> = Vec::new();
        for s in self.running.iter().flat_map(|r| &r.path) {
            if seen.insert(s.procedure) {
                out.push(s.procedure);
            }
        }
        out
    }
}

/// Judges every inject that has running activities. The path of a procedure is
/// computed once per run, however many injects reach it.
pub fn judge(m: &Model) -> Vec<Judgement> {
    let mut paths: HashMap<ProcIdx, Vec<PathStep>> = HashMap::default();
    let mut out = Vec::new();
    for (si, sc) in m.scenarios.iter().enumerate() {
        let Some(pi) = sc.plan else { continue };
        let plan = &m.plans[pi];
        for (ii, (inj, im)) in sc.ast.injects.iter().zip(&sc.injects).enumerate() {
            if im.running.is_empty() {
                continue;
            }
            let mut running = Vec::with_capacity(im.running.len());
            let mut handlers = Vec::new();
            for &ai in &im.running {
                let path = match plan.activities[ai].procedure {
                    Some(root) => paths
                        .entry(root)
                        .or_insert_with(|| m.contingency_path(root))
                        .clone(),
                    None => Vec::new(),
                };
                for (k, s) in path.iter().enumerate() {
                    if m.procedures[s.procedure].handles(&inj.event.value) {
                        handlers.push((running.len(), k));
                    }
                }
                running.push(RunningPath { activity: ai, path });
            }
            out.push(Judgement {
                scenario: si,
                inject: ii,
                running,
                handlers,
            });
        }
    }
    out
}

/// `ATV-FCP-RBT-020 v2.4 → ATV-CRP-PRP-090 v1.1`: the procedures of a path, breadth first.
pub fn path_text(m: &Model, path: &[PathStep]) -> String {
    let names: Vec<String> = path
        .iter()
        .map(|s| m.procedures[s.procedure].display_name())
        .collect();
    names.join(" → ")
}

/// `A29 (2014/275 14:05 .. 2014/275 14:25)`
pub fn activity_text(plan: &PlanModel, ai: ActIdx) -> String {
    let a = &plan.activities[ai];
    match a.time.interval() {
        Some(i) => format!("{} ({})", a.ast.id.value, i.format(plan.notation)),
        None => a.ast.id.value.clone(),
    }
}

/// The path indices from the root to `k`, root first.
pub fn chain(path: &[PathStep], k: usize) -> Vec<usize> {
    let mut out = vec![k];
    let mut at = k;
    while let Some(from) = path[at].from {
        out.push(from);
        at = from;
    }
    out.reverse();
    out
}

/// `14:25` when `x` falls on the day of `t`, else the plan's full notation.
fn time_near(plan: &PlanModel, x: Time, t: Time) -> String {
    if x.day_start() == t.day_start() {
        let secs = x.0 - x.day_start().0;
        let clock = format!("{:02}:{:02}", secs / 3600, secs / 60 % 60);
        match secs % 60 {
            0 => clock,
            s => format!("{clock}:{s:02}"),
        }
    } else {
        plan.format_time(x)
    }
}

/// When activity `ai` is not running at the inject time `t`: "ended at 14:25, 3m before
/// the inject at 14:28", "starts at 14:05, 2m after the inject at 14:03"; `None` when it
/// runs then or has no time. An activity runs over `[start, end)`: one that ends at the
/// inject "ended at 14:25, when the inject comes".
pub fn not_running(plan: &PlanModel, ai: ActIdx, t: Time) -> Option<String> {
    let iv = plan.activities[ai].time.interval()?;
    let at = time_near(plan, t, t);
    if iv.end <= t {
        let end = time_near(plan, iv.end, t);
        Some(if iv.end == t {
            format!("ended at {end}, when the inject comes")
        } else {
            format!(
                "ended at {end}, {} before the inject at {at}",
                Dur(t.0 - iv.end.0)
            )
        })
    } else if t < iv.start {
        let start = time_near(plan, iv.start, t);
        Some(format!(
            "starts at {start}, {} after the inject at {at}",
            Dur(iv.start.0 - t.0)
        ))
    } else {
        None
    }
}

/// The activity an inject's time is written from (`at A29.end + 3m`), when it resolves.
pub fn timed_from(plan: &PlanModel, inj: &Inject) -> Option<ActIdx> {
    match &inj.at {
        TimeExpr::Relative { activity, .. } => plan.activity_index.get(&activity.value).copied(),
        TimeExpr::Absolute(_) => None,
    }
}

/// For an inject with running activities: a note when the activity its time is written
/// from is not among them ("`A29` ended at 14:25, 3m before the inject at 14:28: only the
/// activities running then are judged").
pub fn timed_from_note(plan: &PlanModel, inj: &Inject, t: Time) -> Option<String> {
    let ai = timed_from(plan, inj)?;
    let when = not_running(plan, ai, t)?;
    Some(format!(
        "`{}`, which the inject is timed from, {when}: only the activities running then are judged",
        plan.activities[ai].ast.id.value
    ))
}
