//! Impact of requirement changes: which activities, procedures, steps and flight rules a
//! change touches, following the graph both ways.
//!
//! DOORS marks both ends of a suspect link; Doorstop only looks upward. Here a changed
//! requirement reaches, in order:
//! 1. the requirements linked to it in the exports, both directions, transitively;
//! 2. every artifact citing one of those (direct impact);
//! 3. downward from each: the procedure an activity runs, the procedures a procedure or
//!    step calls, its contingency procedure, transitively;
//! 4. upward from each: the procedure a step belongs to, the activities that run an
//!    affected procedure, the procedures that call it or name it as contingency,
//!    transitively.
//!
//! Up and down are followed separately (a procedure reached upward does not send the
//! search down again), so an impact never spreads sideways to unrelated activities.
//! Every item says why it is affected. Breadth-first over the graph: linear in its size.

use super::{procedure_artifact, Artifact, ArtifactKind, Trace};
use crate::model::{EdgeKind, Model, Node};
use crate::reqs::{Direction, Export};
use petgraph::visit::EdgeRef;
use petgraph::Direction as Dir;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::VecDeque;

/// A requirement that changed between two exports.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    pub id: String,
    /// `text changed`, `heading changed`, `deleted`, `Verification Method changed`.
    pub what: String,
}

/// An affected artifact.
#[derive(Debug, Clone)]
pub struct Impacted {
    pub artifact: Artifact,
    /// True when it cites a changed (or linked) requirement itself.
    pub direct: bool,
    /// Why it is affected, in words.
    pub reason: String,
    /// The changed requirements it is affected by, sorted.
    pub requirements: Vec<String>,
}

/// The impact of a set of changes.
#[derive(Debug, Clone, Default)]
pub struct Impact {
    pub changes: Vec<Change>,
    /// Requirements reached through requirement links: (id, the changed id it links to).
    pub linked: Vec<(String, String)>,
    /// Direct items first, then by kind and name.
    pub items: Vec<Impacted>,
}

fn is_down(kind: EdgeKind) -> bool {
    matches!(
        kind,
        EdgeKind::Runs | EdgeKind::Calls | EdgeKind::CallsFromStep | EdgeKind::Contingency
    )
}

fn is_up(kind: EdgeKind) -> bool {
    is_down(kind) || kind == EdgeKind::HasStep
}

fn artifact_for(model: &Model, node: &Node) -> Option<Artifact> {
    Some(match *node {
        Node::Activity { plan, activity } => {
            let p = &model.plans[plan];
            let a = &p.activities[activity];
            Artifact {
                kind: ArtifactKind::Activity,
                name: a.ast.id.value.clone(),
                context: Some(p.id.value.clone()),
                title: a.ast.title.as_ref().map(|t| t.value.clone()),
                span: a.ast.id.span,
                node: Some(node.clone()),
            }
        }
        Node::Procedure(pi) => procedure_artifact(model, pi),
        Node::Step { procedure, step } => {
            let p = &model.procedures[procedure];
            let s = &p.ast.steps[step];
            Artifact {
                kind: ArtifactKind::Step,
                name: format!("{} step {}", p.display_name(), s.label.value),
                context: None,
                title: s.title.as_ref().map(|t| t.value.clone()),
                span: s.label.span,
                node: Some(node.clone()),
            }
        }
        Node::Requirement(_) => return None,
    })
}

fn name_of(model: &Model, node: &Node) -> String {
    artifact_for(model, node)
        .map_or_else(String::new, |a| format!("{} {}", a.kind.as_str(), a.name))
}

/// The artifacts affected by `changes`.
pub fn impact(model: &Model, trace: &Trace, exports: &[Export], changes: &[Change]) -> Impact {
    // 1. Requirement links, both directions, transitively.
    let mut adjacent: HashMap<&str, Vec<&str>> = HashMap::default();
    for o in exports.iter().flat_map(|e| &e.objects) {
        for l in &o.links {
            let (a, b) = match l.direction {
                Direction::Out => (o.id.as_str(), l.target.as_str()),
                Direction::In => (l.target.as_str(), o.id.as_str()),
            };
            adjacent.entry(a).or_default().push(b);
            adjacent.entry(b).or_default().push(a);
        }
    }
    // id → the changed id it is reached from.
    let mut origin: HashMap<&str, &str> = HashMap::default();
    let mut queue: VecDeque<&str> = VecDeque::new();
    for c in changes {
        if origin.insert(&c.id, &c.id).is_none() {
            queue.push_back(&c.id);
        }
    }
    let mut linked = Vec::new();
    while let Some(id) = queue.pop_front() {
        let from = origin[id];
        for &next in adjacent.get(id).into_iter().flatten() {
            if !origin.contains_key(next) {
                origin.insert(next, from);
                linked.push((next.to_string(), from.to_string()));
                queue.push_back(next);
            }
        }
    }
    let what: HashMap<&str, &str> = changes
        .iter()
        .map(|c| (c.id.as_str(), c.what.as_str()))
        .collect();
    let because = |id: &str| -> String {
        let from = origin[id];
        if from == id {
            format!("{id} ({})", what[from])
        } else {
            format!("{id}, linked to {from} ({})", what[from])
        }
    };

    // 2. Direct impact.
    let mut items: Vec<Impacted> = Vec::new();
    let mut item_of_node: HashMap<Node, usize> = HashMap::default();
    let mut direct_of_artifact: HashMap<usize, usize> = HashMap::default();
    for l in &trace.links {
        let Some(&from) = origin.get(l.cited.as_str()) else {
            continue;
        };
        let i = *direct_of_artifact.entry(l.artifact).or_insert_with(|| {
            let a = trace.artifacts[l.artifact].clone();
            items.push(Impacted {
                artifact: a,
                direct: true,
                reason: String::new(),
                requirements: Vec::new(),
            });
            items.len() - 1
        });
        let item = &mut items[i];
        if !item.reason.is_empty() {
            item.reason.push_str("; ");
        }
        item.reason
            .push_str(&format!("cites {}", because(&l.cited)));
        if !item.requirements.iter().any(|r| r == from) {
            item.requirements.push(from.to_string());
        }
        if let Some(node) = &item.artifact.node {
            item_of_node.insert(node.clone(), i);
        }
    }

    // 3 and 4. Down, then up, from every direct item.
    let graph = &model.graph;
    let starts: Vec<(Node, usize)> = item_of_node.iter().map(|(n, &i)| (n.clone(), i)).collect();
    for (dir, keep) in [
        (Dir::Outgoing, is_down as fn(EdgeKind) -> bool),
        (Dir::Incoming, is_up),
    ] {
        let mut seen: HashSet<Node> = HashSet::default();
        let mut queue: VecDeque<(Node, usize)> = VecDeque::new();
        let mut sorted = starts.clone();
        sorted.sort_by_key(|(_, i)| *i);
        for (n, i) in sorted {
            seen.insert(n.clone());
            queue.push_back((n, i));
        }
        while let Some((node, from_item)) = queue.pop_front() {
            let Some(ni) = graph.find(&node) else {
                continue;
            };
            let mut next: Vec<(Node, EdgeKind)> = graph
                .graph
                .edges_directed(ni, dir)
                .filter(|e| keep(e.weight().kind))
                .map(|e| {
                    let other = if dir == Dir::Outgoing {
                        e.target()
                    } else {
                        e.source()
                    };
                    (graph.graph[other].clone(), e.weight().kind)
                })
                .collect();
            next.sort_by_key(|(n, _)| name_of(model, n));
            for (n, kind) in next {
                if matches!(n, Node::Requirement(_)) || !seen.insert(n.clone()) {
                    continue;
                }
                let via = name_of(model, &node);
                let reason = match (dir, kind) {
                    (Dir::Outgoing, EdgeKind::Runs) => format!("run by {via}"),
                    (Dir::Outgoing, EdgeKind::Contingency) => format!("contingency of {via}"),
                    (Dir::Outgoing, _) => format!("called by {via}"),
                    (_, EdgeKind::Runs) => format!("runs {via}"),
                    (_, EdgeKind::HasStep) => format!("holds {via}"),
                    (_, EdgeKind::Contingency) => format!("names {via} as its contingency"),
                    _ => format!("calls {via}"),
                };
                let requirements = items[from_item].requirements.clone();
                let i = match item_of_node.get(&n) {
                    // Already affected (directly, or the other way): keep the first reason.
                    Some(&i) => i,
                    None => {
                        let Some(artifact) = artifact_for(model, &n) else {
                            continue;
                        };
                        items.push(Impacted {
                            artifact,
                            direct: false,
                            reason,
                            requirements: Vec::new(),
                        });
                        item_of_node.insert(n.clone(), items.len() - 1);
                        items.len() - 1
                    }
                };
                for r in requirements {
                    if !items[i].requirements.contains(&r) {
                        items[i].requirements.push(r);
                    }
                }
                queue.push_back((n, i));
            }
        }
    }
    for it in &mut items {
        it.requirements.sort();
    }
    items.sort_by(|a, b| {
        (
            !a.direct,
            a.artifact.kind,
            &a.artifact.context,
            &a.artifact.name,
        )
            .cmp(&(
                !b.direct,
                b.artifact.kind,
                &b.artifact.context,
                &b.artifact.name,
            ))
    });
    linked.sort();
    Impact {
        changes: changes.to_vec(),
        linked,
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::tests::{export, link, req, PLAN, RULES};
    use crate::trace::{trace, Inputs, TracePolicy};

    fn impact_of(exports: &[Export], changed: &[&str]) -> Impact {
        let run = crate::workspace::check_texts(&[("w40.plan", PLAN), ("rules.yaml", RULES)]);
        let t = trace(&Inputs {
            model: &run.model,
            rule_sets: &run.rule_sets,
            sources: &run.sources,
            exports,
            baseline: None,
            policy: &TracePolicy::default(),
        });
        let changes: Vec<Change> = changed
            .iter()
            .map(|id| Change {
                id: id.to_string(),
                what: "text changed".into(),
            })
            .collect();
        impact(&run.model, &t, exports, &changes)
    }

    fn names(i: &Impact) -> Vec<(bool, String, String)> {
        i.items
            .iter()
            .map(|it| (it.direct, it.artifact.name.clone(), it.reason.clone()))
            .collect()
    }

    #[test]
    fn a_step_reaches_its_procedure_and_the_activity_that_runs_it_but_not_sideways() {
        let exports = vec![export(vec![req("R-10", "GO poll.", "Inspection")])];
        let i = impact_of(&exports, &["R-10"]);
        assert_eq!(
            names(&i),
            [
                (true, "A09".into(), "cites R-10 (text changed)".into()),
                (
                    true,
                    "REF-010 v3.2 step 1".into(),
                    "cites R-10 (text changed)".into()
                ),
                (false, "A12".into(), "runs procedure REF-010 v3.2".into()),
                (
                    false,
                    "REF-010 v3.2".into(),
                    "holds step REF-010 v3.2 step 1".into()
                ),
            ]
        );
        // A13 shares nothing with the change; MON-060 is called by REF-010, but reached
        // only upward (from the step), so the search does not turn down again.
        assert!(!i
            .items
            .iter()
            .any(|it| it.artifact.name == "A13" || it.artifact.name.starts_with("MON-060")));
    }

    #[test]
    fn an_activity_reaches_down_to_its_procedure_and_what_it_calls() {
        let exports = vec![export(vec![req(
            "R-7",
            "Start in an RGS pass.",
            "Analysis",
        )])];
        let i = impact_of(&exports, &["R-7"]);
        let n = names(&i);
        assert_eq!(
            n[0],
            (true, "A12".into(), "cites R-7 (text changed)".into())
        );
        assert!(n.contains(&(false, "REF-010 v3.2".into(), "run by activity A12".into())));
        assert!(n.contains(&(
            false,
            "MON-060 v1.0".into(),
            "called by procedure REF-010 v3.2".into()
        )));
        assert!(i.items.iter().all(|it| it.requirements == ["R-7"]));
    }

    #[test]
    fn linked_requirements_spread_the_change_both_ways_and_flight_rules_count() {
        // R-1 changed; R-6 satisfies R-1 (link out of R-6), R-11 is linked from R-1.
        let exports = vec![export(vec![
            link(req("R-1", "Parent.", "Review"), "R-11"),
            link(req("R-6", "Transfer coverage.", "Analysis"), "R-1"),
            req("R-11", "Burns apart.", "Analysis"),
        ])];
        let i = impact_of(&exports, &["R-1"]);
        assert_eq!(
            i.linked,
            [
                ("R-11".to_string(), "R-1".to_string()),
                ("R-6".to_string(), "R-1".to_string())
            ]
        );
        let fr = i
            .items
            .iter()
            .find(|it| it.artifact.name == "FR-02")
            .unwrap();
        assert!(fr.direct);
        assert_eq!(
            fr.reason,
            "cites R-11, linked to R-1 (text changed); cites R-6, linked to R-1 (text changed)"
        );
        assert_eq!(fr.requirements, ["R-1"]);
        assert!(i
            .items
            .iter()
            .any(|it| it.artifact.name == "A12" && it.direct));
    }

    #[test]
    fn a_deleted_requirement_still_reaches_what_cites_it() {
        let exports = vec![export(vec![req("R-6", "x", "Analysis")])];
        let i = impact_of(&exports, &["R-31"]);
        assert!(i
            .items
            .iter()
            .any(|it| it.artifact.name == "A12" && it.direct));
    }
}
