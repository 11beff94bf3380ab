use crate::checks::staffing::{and_list, judged, when};
use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label, Severity};
use crate::model::staffing::{PositionIdx, Staffing};
use crate::model::Model;
use crate::time::{first_gap, merge_intervals, Interval};
use rustc_hash::FxHashMap as HashMap;

rule! {
    /// ## What it does
    /// Reports an activity of a roster's plan during which one of its `by` roles is
    /// filled by no one: no holder on shift on a position that `fills` the role, and no
    /// person `assign`ed to the activity who is qualified (or a trainee) for such a
    /// position. The first uncovered part of the activity is named. A warning; an error
    /// for a `critical` activity.
    ///
    /// Only roles that some position of the roster fills are judged: the roles of partner
    /// centres and of the crew, which no position of the roster fills, are staffed
    /// elsewhere. Groups are not expanded: a position fills the roles its `fills` lists.
    /// Activities whose time is unknown are not judged (they are `T005`).
    ///
    /// The shifts of the positions filling each role are merged once; each activity is
    /// then one binary search per role: O((shifts + activities) log shifts).
    ///
    /// ## Why it matters
    /// A plan says which role does what; a roster says who is there. The planner's
    /// 03:00 telecon is not held if the planner desk is empty at 03:00.
    ///
    /// ## Example
    /// ```text
    /// activity A21 "Publish Final WLP" { at 2014/274 15:00   lasts 30m   by PLN }
    /// position PLN-DESK { fills PLN }
    /// shift JDUPONT PLN-DESK 2014/274 06:00 .. 2014/274 14:15   // nobody from 14:15
    /// ```
    UnfilledRole, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    for s in judged(m) {
        let Some(pi) = s.plan else { continue };
        let plan = &m.plans[pi];
        // Role → the positions filling it, and when someone holds one of them.
        let mut filling: HashMap<&str, Vec<PositionIdx>> = HashMap::default();
        for (k, p) in s.positions.iter().enumerate() {
            for r in &p.fills {
                let list = filling.entry(r.value.as_str()).or_default();
                if !list.contains(&k) {
                    list.push(k);
                }
            }
        }
        let cover: HashMap<&str, Vec<Interval>> = filling
            .iter()
            .map(|(role, positions)| {
                let held = positions
                    .iter()
                    .flat_map(|&p| s.by_position[p].items().iter().map(|(iv, _)| *iv))
                    .collect();
                (*role, merge_intervals(held))
            })
            .collect();
        let mut assigned: HashMap<usize, Vec<usize>> = HashMap::default();
        for a in &s.assignments {
            assigned.entry(a.activity).or_default().push(a.person);
        }
        for (ai, am) in plan.activities.iter().enumerate() {
            let Some(iv) = am.time.interval() else {
                continue;
            };
            for role in &am.ast.by {
                let (Some(positions), Some(held)) = (
                    filling.get(role.value.as_str()),
                    cover.get(role.value.as_str()),
                ) else {
                    continue;
                };
                let Some(gap) = first_gap(held, iv) else {
                    continue;
                };
                let by_assignment = assigned.get(&ai).is_some_and(|people| {
                    people.iter().any(|&p| {
                        positions
                            .iter()
                            .any(|&pos| s.qualification(p, pos, iv.start).is_some())
                    })
                });
                if by_assignment {
                    continue;
                }
                out.push(diagnostic(m, s, pi, ai, role, positions, iv, gap));
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn diagnostic(
    m: &Model,
    s: &Staffing,
    pi: usize,
    ai: usize,
    role: &crate::syntax::ast::Ident,
    positions: &[PositionIdx],
    iv: Interval,
    gap: Interval,
) -> Diagnostic {
    let am = &m.plans[pi].activities[ai];
    let id = &am.ast.id.value;
    let names: Vec<String> = positions
        .iter()
        .map(|&p| format!("`{}`", s.positions[p].name.value))
        .collect();
    let mut d = Diagnostic::new(
        Code::UnfilledRole,
        format!(
            "no one on shift fills {} while {id} runs ({}): nobody holds {} from {} to {}",
            role.value,
            when(s, iv),
            and_list(&names),
            s.format_time(gap.start),
            s.format_time(gap.end)
        ),
        Label::new(
            role.span,
            format!("{} is staffed by roster {}", role.value, s.id.value),
        ),
    );
    if am.ast.critical.is_some() {
        d = d
            .with_severity(Severity::Error)
            .with_note(format!("{id} is critical: an error"));
    }
    for &p in positions.iter().take(3) {
        d = d.with_secondary(Label::new(
            s.positions[p].name.span,
            format!("fills {}", role.value),
        ));
    }
    let help = positions
        .iter()
        .find_map(|&p| s.available_text(p, gap, &[]))
        .map(|t| format!("{t}; or `assign` someone qualified to {id}"))
        .unwrap_or_else(|| {
            format!(
                "nobody qualified is free and rested then: move a shift, move {id}, or `assign` someone to it"
            )
        });
    d.with_help(help).with_interval(Some(gap))
}
