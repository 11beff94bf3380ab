use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::{EdgeKind, Model, Node};
use petgraph::graph::NodeIndex;
use std::collections::{HashMap, HashSet, VecDeque};

rule! {
    /// ## What it does
    /// Reports activities that depend on each other in a cycle through relations
    /// (`after`, `before`, `during`, `starts with`) or relative times (`at X.end + 5m`).
    /// The whole cycle is shown, each link at the place that states it. `A after B` and
    /// `B before A` say the same thing and are not a cycle.
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
    // path: (from, edge from → next); the edge span is where the dependent states it.
    let mut names: Vec<String> = path.iter().map(|(n, _)| name(m, *n).0).collect();
    names.push(name(m, start).0);
    let (_, first_edge) = path[0];
    let mut d = Diagnostic::new(
        Code::DependencyCycle,
        format!("dependency cycle: {}", names.join(" → ")),
        Label::new(
            first_edge.span,
            describe(m, path[0].0, path.get(1).map_or(start, |x| x.0)),
        ),
    );
    for (i, (from, e)) in path.iter().enumerate().skip(1) {
        let to = path.get(i + 1).map_or(start, |x| x.0);
        d = d.with_secondary(Label::new(e.span, describe(m, *from, to)));
    }
    d.with_help("remove or reverse one of these relations so that an order exists")
}

fn describe(m: &Model, from: NodeIndex, to: NodeIndex) -> String {
    format!("{} comes before {}", name(m, from).0, name(m, to).0)
}
