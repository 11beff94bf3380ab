//! Resolving every activity's absolute start and end, in dependency order.
//!
//! Order comes from the strongly connected components of the activity-dependency edges
//! (one Tarjan pass, O(V + E)): a component of one activity is resolved after everything
//! it depends on; the activities of a larger component form a cycle and stay unknown.
//!
//! Start: `at` (absolute or relative), else the latest of `after X [+ off]` (end of X plus
//! offset), `starts with X [+ off]` and `during X` (start of X). `before` never places an
//! activity. End: `lasts`, else `until`, else the duration of its procedure.

use super::*;
use crate::syntax::ast::{Anchor, RelationKind, TimeExpr};
use crate::time::Dur;

pub(super) fn schedule(m: &mut Model) {
    let order = m.graph.components(EdgeKind::is_activity_dependency);
    for component in order {
        let cyclic = component.len() > 1
            || m.graph
                .has_self_loop(component[0], EdgeKind::is_activity_dependency);
        for n in component {
            let Node::Activity { plan, activity } = m.graph.graph[n] else {
                continue;
            };
            let state = if cyclic {
                TimeState::Unknown(Unknown::InCycle)
            } else {
                resolve(m, plan, activity)
            };
            m.plans[plan].activities[activity].time = state;
        }
    }
}

/// The time of an activity this one depends on.
fn other(m: &Model, plan: PlanIdx, name: &str) -> Result<Interval, Unknown> {
    let Some(&idx) = m.plans[plan].activity_index.get(name) else {
        return Err(Unknown::InvalidInput);
    };
    m.plans[plan].activities[idx]
        .time
        .bounds()
        .ok_or(Unknown::DependsOn(idx))
}

fn offset_of(lit: &Option<ast::DurLit>) -> Result<Dur, Unknown> {
    match lit {
        None => Ok(Dur::ZERO),
        Some(d) => d.value.ok_or(Unknown::InvalidInput),
    }
}

fn eval(m: &Model, plan: PlanIdx, expr: &TimeExpr) -> Result<Time, Unknown> {
    match expr {
        TimeExpr::Absolute(lit) => lit.value.ok_or(Unknown::InvalidInput),
        TimeExpr::Relative {
            activity,
            anchor,
            offset,
            ..
        } => {
            let i = other(m, plan, &activity.value)?;
            let base = match anchor {
                Anchor::Start => i.start,
                Anchor::End => i.end,
            };
            base.checked_add(offset_of(offset)?)
                .map_err(|_| Unknown::OutOfRange)
        }
    }
}

fn start_of(m: &Model, plan: PlanIdx, a: &ast::Activity) -> Result<Time, Unknown> {
    if let Some(at) = &a.at {
        return eval(m, plan, at);
    }
    let mut start: Option<Time> = None;
    for r in &a.relations {
        let candidate = match r.kind {
            RelationKind::After => {
                let i = other(m, plan, &r.target.value)?;
                i.end.checked_add(offset_of(&r.offset)?)
            }
            RelationKind::StartsWith => {
                let i = other(m, plan, &r.target.value)?;
                i.start.checked_add(offset_of(&r.offset)?)
            }
            RelationKind::During => Ok(other(m, plan, &r.target.value)?.start),
            RelationKind::Before => continue,
        }
        .map_err(|_| Unknown::OutOfRange)?;
        start = Some(start.map_or(candidate, |s: Time| s.max(candidate)));
    }
    start.ok_or(Unknown::NoStart)
}

fn resolve(m: &Model, plan: PlanIdx, ai: ActIdx) -> TimeState {
    let am = &m.plans[plan].activities[ai];
    let a = &am.ast;
    let start = match start_of(m, plan, a) {
        Ok(s) => s,
        Err(u) => return TimeState::Unknown(u),
    };
    let end = if let Some(lasts) = &a.lasts {
        match lasts.value {
            Some(d) => start.checked_add(d).map_err(|_| Unknown::OutOfRange),
            None => Err(Unknown::InvalidInput),
        }
    } else if let Some(until) = &a.until {
        eval(m, plan, until)
    } else {
        match am
            .procedure
            .and_then(|p| m.procedures[p].ast.duration.as_ref())
        {
            Some(d) => match d.value {
                Some(d) => start.checked_add(d).map_err(|_| Unknown::OutOfRange),
                None => Err(Unknown::InvalidInput),
            },
            None if a.procedure.is_some() && am.procedure.is_none() => Err(Unknown::InvalidInput),
            None => Err(Unknown::NoDuration),
        }
    };
    match end {
        Ok(end) if end > start => TimeState::Known(Interval::new(start, end)),
        Ok(end) => TimeState::Inverted(Interval::new(start, end)),
        Err(u) => TimeState::Unknown(u),
    }
}
