//! What the scenario rules (`S005`–`S007`) share: every inject that has running
//! activities, judged once against the contingency paths of their procedures.

use crate::model::{ActIdx, Model, PathStep, PlanModel, ProcIdx, ScnIdx};
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
