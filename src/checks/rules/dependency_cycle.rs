use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::{EdgeKind, Model, Node};
use petgraph::graph::NodeIndex;
use std::collections::{HashMap, HashSet, VecDeque};

rule! {
    /// ## What it does
    /// Reports activities that depend on each other in a cycle through relations
    /// (`after`, `before`, `during`, `starts with`) or relative times (`at X.end + 5m`).
    /// The whole cycle is shown, from the activity written first, each link at the place
    /// that states it and in the words of that statement, in time: `at M.start - 45m` in
    /// `P` reads "`P` starts 45m before `M` starts". `A after B` and `B before A` say the
    /// same thing and are not a cycle.
    ///
    /// ## Why it matters
    /// No order of execution satisfies a cycle, and the times of its activities cannot be
    /// computed. When a slip forces a replan, a cycle hides which activity must move.
    ///
    /// ## Example
    /// ```text
    /// activity A36 "Replan" { after A37 lasts 30m }
    /// activity A37 "Extra TDRS booking" { after A36 lasts 30m }
    /// ```
    DependencyCycle, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    let keep = EdgeKind::is_activity_dependency;
    for comp in m.graph.components(keep) {
        let cyclic = comp.len() > 1 || m.graph.has_self_loop(comp[0], keep);
        if !cyclic {
            continue;
        }
        out.push(cycle_diagnostic(m, &comp));
    }
}

fn name(m: &Model, n: NodeIndex) -> (String, Option<crate::source::Span>) {
    match &m.graph.graph[n] {
        Node::Activity { plan, activity } => {
            let a = &m.plans[*plan].activities[*activity].ast;
            (a.id.value.clone(), Some(a.id.span))
        }
        other => (format!("{other:?}"), None),
    }
}

/// One concrete cycle through the component, starting at its first activity in source order.
fn cycle_diagnostic(m: &Model, comp: &[NodeIndex]) -> Diagnostic {
    let keep = EdgeKind::is_activity_dependency;
    let members: HashSet<NodeIndex> = comp.iter().copied().collect();
    let start = *comp
        .iter()
        .min_by_key(|&&n| name(m, n).1.map(|s| (s.file, s.start)))
        .expect("non-empty component");
    // Breadth-first search from `start` back to `start`, inside the component.
    let mut parent: HashMap<NodeIndex, (NodeIndex, crate::model::Edge)> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    let mut closing = None;
    'search: while let Some(n) = queue.pop_front() {
        for (t, e) in m.graph.successors(n, keep) {
            if t == start {
                closing = Some((n, e));
                break 'search;
            }
            if members.contains(&t) && !parent.contains_key(&t) {
                parent.insert(t, (n, e));
                queue.push_back(t);
            }
        }
    }
    let (last, closing_edge) = closing.expect("a component with a cycle has a path back");
    let mut path = vec![(last, closing_edge)];
    let mut n = last;
    while n != start {
        let (p, e) = parent[&n];
        path.push((p, e));
        n = p;
    }
    path.reverse();
    // path: (from, edge from → next): `next` depends on `from`, and the edge's span is
    // where that is stated. Shown the other way round, from the first activity in
    // source order to what it depends on, each link in the words of its statement.
    let mut links: Vec<(NodeIndex, crate::model::Edge, NodeIndex)> = path
        .iter()
        .enumerate()
        .map(|(i, &(from, e))| (from, e, path.get(i + 1).map_or(start, |x| x.0)))
        .collect();
    links.reverse();
    let names: Vec<String> = links
        .iter()
        .map(|&(_, _, to)| format!("`{}`", name(m, to).0))
        .collect();
    let message = match names.as_slice() {
        [one] => format!("dependency cycle: {one} depends on itself"),
        [a, b] => format!("dependency cycle: {a} and {b} depend on each other"),
        [init @ .., last] => format!(
            "dependency cycle: {} and {last} depend on one another in a circle",
            init.join(", ")
        ),
        [] => "dependency cycle".to_string(),
    };
    let (from, e, to) = links[0];
    let mut d = Diagnostic::new(
        Code::DependencyCycle,
        message,
        Label::new(e.span, describe(m, from, e, to)),
    );
    for &(from, e, to) in &links[1..] {
        d = d.with_secondary(Label::new(e.span, describe(m, from, e, to)));
    }
    d.with_help("remove one of these links, or write an absolute time in its place")
}

/// The activity a node is, with its model.
fn activity(m: &Model, n: NodeIndex) -> Option<&crate::model::ActivityModel> {
    match &m.graph.graph[n] {
        Node::Activity { plan, activity } => m.plans[*plan].activities.get(*activity),
        _ => None,
    }
}

/// `10m`, or nothing for a zero or invalid offset; and whether it is negative.
fn offset_text(off: Option<&crate::syntax::ast::DurLit>) -> (String, bool) {
    match off.and_then(|o| o.value) {
        Some(d) if d.0 != 0 => (crate::time::Dur(d.0.abs()).to_string(), d.0 < 0),
        _ => (String::new(), false),
    }
}

/// How the link `from → to` (`to` depends on `from`) reads in time, in the words of the
/// statement that makes it: `after A36` is "A37 starts after A36 ends", `at M.start - 45m`
/// is "P starts 45m before M starts".
fn describe(m: &Model, from: NodeIndex, e: crate::model::Edge, to: NodeIndex) -> String {
    use crate::syntax::ast::{Anchor, RelationKind, TimeExpr};
    let (f, t) = (name(m, from).0, name(m, to).0);
    let fallback = format!("`{t}` depends on `{f}`");
    match e.kind {
        EdgeKind::Relation(kind) => {
            // `before` is written by the activity that comes first; the others by the
            // activity that depends.
            let (writer, other) = if kind == RelationKind::Before {
                (from, &t)
            } else {
                (to, &f)
            };
            let Some(a) = activity(m, writer) else {
                return fallback;
            };
            let w = &a.ast.id.value;
            let Some(r) = a.ast.relations.iter().find(|r| r.span == e.span) else {
                return fallback;
            };
            let (off, negative) = offset_text(r.offset.as_ref());
            match (kind, off.is_empty(), negative) {
                (RelationKind::After, true, _) => format!("`{w}` starts after `{other}` ends"),
                (RelationKind::After, false, false) => {
                    format!("`{w}` starts at least {off} after `{other}` ends")
                }
                (RelationKind::After, false, true) => {
                    format!("`{w}` starts at the earliest {off} before `{other}` ends")
                }
                (RelationKind::Before, true, _) => format!("`{w}` ends before `{other}` starts"),
                (RelationKind::Before, false, _) => {
                    format!("`{w}` ends at least {off} before `{other}` starts")
                }
                (RelationKind::During, _, _) => format!("`{w}` runs during `{other}`"),
                (RelationKind::StartsWith, true, _) => format!("`{w}` starts with `{other}`"),
                (RelationKind::StartsWith, false, false) => {
                    format!("`{w}` starts {off} after `{other}` starts")
                }
                (RelationKind::StartsWith, false, true) => {
                    format!("`{w}` starts {off} before `{other}` starts")
                }
            }
        }
        EdgeKind::TimeReference => {
            let Some(a) = activity(m, to) else {
                return fallback;
            };
            let (which, expr) = match (&a.ast.at, &a.ast.until) {
                (Some(at), _) if at.span() == e.span => ("starts", at),
                (_, Some(until)) if until.span() == e.span => ("ends", until),
                _ => return fallback,
            };
            let TimeExpr::Relative { anchor, offset, .. } = expr else {
                return fallback;
            };
            let point = match anchor {
                Anchor::Start => "starts",
                Anchor::End => "ends",
            };
            let (off, negative) = offset_text(offset.as_ref());
            match (off.is_empty(), negative) {
                (true, _) => format!("`{t}` {which} when `{f}` {point}"),
                (false, false) => format!("`{t}` {which} {off} after `{f}` {point}"),
                (false, true) => format!("`{t}` {which} {off} before `{f}` {point}"),
            }
        }
        _ => fallback,
    }
}
