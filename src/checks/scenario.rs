//! What the scenario rules (`S005`–`S007`) share: every inject that has running
//! activities, judged once against the contingency paths of their procedures.

use crate::model::{ActIdx, Model, PathStep, PlanModel, ProcIdx, ScnIdx};
use crate::syntax::ast::{Inject, TimeExpr};
use crate::time::{Dur, Time};

/// One running activity and the contingency path of its procedure.
pub struct RunningPath<'a> {
    pub activity: ActIdx,
    /// Empty when the activity runs no (resolved) procedure.
    pub path: &'a [PathStep],
}

/// An inject whose time falls inside a running activity.
pub struct Judgement<'a> {
    pub scenario: ScnIdx,
    pub inject: usize,
    pub running: Vec<RunningPath<'a>>,
    /// (index in `running`, index in its path) of every procedure declaring `handles EVENT`.
    pub handlers: Vec<(usize, usize)>,
}

impl Judgement<'_> {
    /// True when some procedure on a path handles the event.
    pub fn handled(&self) -> bool {
        !self.handlers.is_empty()
    }

    /// The procedures on the paths, each once, in path order.
    pub fn procedures(&self) -> Vec<ProcIdx> {
        let mut seen: rustc_hash::FxHashSet<ProcIdx> = Default::default();
        let mut roots: rustc_hash::FxHashSet<ProcIdx> = Default::default();
        let mut out: Vec<ProcIdx> = Vec::new();
        for r in &self.running {
            // A path is its root's: one already walked adds nothing.
            if !r
                .path
                .first()
                .is_some_and(|root| roots.insert(root.procedure))
            {
                continue;
            }
            for s in r.path {
                if seen.insert(s.procedure) {
                    out.push(s.procedure);
                }
            }
        }
        out
    }
}

/// Judges every inject that has running activities, in scenario and inject order, and
/// hands each judgement to `each`. The running activities of an inject are found when it
/// is judged and dropped after `each` returns, and a running activity's path is the one
/// computed for its procedure, shared: memory is linear in activities + injects (plus the
/// paths of the procedures that run), not in injects × running activities. The path of a
/// procedure is computed once per call, however many injects reach it.
pub fn judge(m: &Model, mut each: impl FnMut(&Judgement<'_>)) {
    let n = m.procedures.len();
    // The contingency path of each procedure that runs, computed on first use: `slot[p]`
    // is its index in `paths`.
    let mut slot: Vec<usize> = vec![usize::MAX; n];
    let mut paths: Vec<Vec<PathStep>> = Vec::new();
    // The handlers on a procedure's path, found once per inject: `hits[p]` holds them
    // when `stamp[p]` is the inject's number (many activities often run one procedure).
    let mut stamp: Vec<usize> = vec![0; n];
    let mut hits: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut number = 0;
    for (si, sc) in m.scenarios.iter().enumerate() {
        let Some(pi) = sc.plan else { continue };
        let plan = &m.plans[pi];
        for (ii, inj) in sc.ast.injects.iter().enumerate() {
            let running = m.running_at_inject(si, ii);
            if running.is_empty() {
                continue;
            }
            number += 1;
            for &ai in &running {
                if let Some(root) = plan.activities[ai].procedure {
                    if slot[root] == usize::MAX {
                        slot[root] = paths.len();
                        paths.push(m.contingency_path(root));
                    }
                }
            }
            let mut runs = Vec::with_capacity(running.len());
            let mut handlers = Vec::new();
            for &ai in &running {
                let path: &[PathStep] = match plan.activities[ai].procedure {
                    Some(root) => {
                        let path = &paths[slot[root]];
                        if stamp[root] != number {
                            stamp[root] = number;
                            hits[root].clear();
                            hits[root].extend(
                                path.iter()
                                    .enumerate()
                                    .filter(|(_, s)| {
                                        m.procedures[s.procedure].handles(&inj.event.value)
                                    })
                                    .map(|(k, _)| k),
                            );
                        }
                        handlers.extend(hits[root].iter().map(|&k| (runs.len(), k)));
                        path
                    }
                    None => &[],
                };
                runs.push(RunningPath { activity: ai, path });
            }
            each(&Judgement {
                scenario: si,
                inject: ii,
                running: runs,
                handlers,
            });
        }
    }
}

/// At most this many running activities are named in a scenario finding's message; the
/// others are counted ("A1, …, A8 and 2,992 more"), so that a finding stays readable and
/// its size does not grow with the plan (3,000 injects over 3,000 running activities).
pub const MAX_NAMED: usize = 8;

/// `A1, A2, A3`; past [`MAX_NAMED`], the first ones and how many more.
pub fn named(ids: &[&str]) -> String {
    if ids.len() <= MAX_NAMED {
        return ids.join(", ");
    }
    format!(
        "{} and {} more",
        ids[..MAX_NAMED].join(", "),
        ids.len() - MAX_NAMED
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_eight_activities_the_others_are_counted() {
        let ids: Vec<String> = (0..10).map(|i| format!("A{i}")).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        assert_eq!(named(&ids[..1]), "A0");
        assert_eq!(named(&ids[..8]), "A0, A1, A2, A3, A4, A5, A6, A7");
        assert_eq!(named(&ids), "A0, A1, A2, A3, A4, A5, A6, A7 and 2 more");
    }

    #[test]
    fn judgements_name_every_running_activity_and_its_handlers() {
        // Three activities run at the inject, two of them the same procedure, whose
        // contingency handles the event; one runs none. Judged as a scan would.
        let text = r#"
            plan P {
              horizon 2014/275 00:00 .. 2014/276 00:00
              activity A1 { at 2014/275 10:00   lasts 2h   procedure R }
              activity A2 { at 2014/275 10:30   lasts 2h }
              activity A3 { at 2014/275 11:00   lasts 1h   procedure R }
              activity A4 { at 2014/275 12:00   lasts 1h   procedure R }
            }
            procedure R { contingency C   step 1 { wait 1m } }
            procedure C { family CRP   handles EV   step 1 { wait 1m } }
            scenario S {
              plan P
              inject EV at 2014/275 11:30
              inject EV at 2014/275 12:00
              inject EV at 2014/275 20:00
            }
        "#;
        let (ast, diags) = crate::syntax::parse(crate::source::FileId(0), text);
        assert!(diags.is_empty(), "{diags:#?}");
        let m = Model::build(vec![ast]);
        let mut seen = Vec::new();
        judge(&m, |j| {
            let ids: Vec<&str> = j
                .running
                .iter()
                .map(|r| m.plans[0].activities[r.activity].ast.id.value.as_str())
                .collect();
            let procs: Vec<&str> = j
                .procedures()
                .iter()
                .map(|&p| m.procedures[p].id())
                .collect();
            seen.push((j.inject, ids.join(" "), j.handlers.clone(), procs.join(" ")));
        });
        assert_eq!(
            seen,
            [
                (
                    0,
                    "A1 A2 A3".to_string(),
                    vec![(0, 1), (2, 1)],
                    "R C".to_string()
                ),
                (1, "A2 A4".to_string(), vec![(1, 1)], "R C".to_string()),
            ]
        );
        assert_eq!(m.scenarios[0].injects[2].running, 0);
        assert_eq!(m.scenarios[0].injects[1].running, 2);
    }
}
