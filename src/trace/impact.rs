//! Impact of requirement changes: which activities, procedures, steps and flight rules a
//! change touches.
//!
//! DOORS marks both ends of a suspect link; Doorstop only looks upward. Here a changed
//! requirement reaches, in order:
//! 1. the requirements derived from it: along the requirement links of the types
//!    [`super::follow`] says, each the way it says (by default from a derivation link's
//!    upper end to the requirement derived from it, never through term, glossary or
//!    reference links), transitively; each says through which link it was reached;
//! 2. every artifact citing a changed or derived requirement (direct impact; the reason
//!    says which, and through which link);
//! 3. downward from each: the procedure an activity runs, the procedures a procedure or
//!    step calls, its contingency procedure, transitively;
//! 4. upward from each: the procedure a step belongs to, the activities that run an
//!    affected procedure, the procedures that call it or name it as contingency,
//!    transitively.
//!
//! Up and down are followed separately (a procedure reached upward does not send the
//! search down again), so an impact never spreads sideways to unrelated activities.
//! Every item says why it is affected. Breadth-first over the graph: linear in its size.

use super::follow::{directions, FollowDirection, ImpactConfig, UnknownLinkType, Way};
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
    /// True when it cites an affected requirement itself: a changed one, or one derived
    /// from a changed one.
    pub direct: bool,
    /// True when it cites a changed requirement itself.
    pub cites_changed: bool,
    /// Why it is affected, in words: `cites R-10 (text changed)`, `cites R-6, derived
    /// from changed R-1 (via Satisfies)`, `runs procedure REF-010 v3.2`.
    pub reason: String,
    /// The changed requirements it is affected by, sorted.
    pub requirements: Vec<String>,
}

/// A requirement reached from a changed one through requirement links.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Reached {
    pub id: String,
    /// The changed requirement it derives from.
    pub changed: String,
    /// The requirement the last link comes from (the changed one, or one between).
    pub from: String,
    /// That link's type, as the export names it.
    #[serde(rename = "type")]
    pub link_type: String,
    /// Which way the link was followed.
    pub way: Way,
    /// How many links lie between it and the changed requirement.
    pub depth: usize,
}

/// How the requirement links of the exports were followed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Following {
    /// True when `requirements: impact: follow:` chose the types, false for the defaults.
    pub configured: bool,
    /// The link types followed, as the exports name them, sorted: (type, direction,
    /// links of that type).
    pub followed: Vec<(String, FollowDirection, usize)>,
    /// The link types not followed, sorted: (type, links of that type).
    pub not_followed: Vec<(String, usize)>,
}

/// The impact of a set of changes.
#[derive(Debug, Clone, Default)]
pub struct Impact {
    pub changes: Vec<Change>,
    /// How requirement links were followed.
    pub following: Following,
    /// Requirements reached through requirement links: (id, the changed id it derives
    /// from), sorted.
    pub linked: Vec<(String, String)>,
    /// The same requirements, with the link each was reached through, by id.
    pub reached: Vec<Reached>,
    /// Those citing a changed requirement first, then the other direct items, then by
    /// kind and name.
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

/// The artifacts affected by `changes`, following requirement links as `config` says;
/// a type `config` names that no link of the exports has is an error.
pub fn impact(
    model: &Model,
    trace: &Trace,
    exports: &[Export],
    changes: &[Change],
    config: &ImpactConfig,
) -> Result<Impact, UnknownLinkType> {
    // 1. Requirement links, each once (a ReqIF relation is recorded at both ends), as
    // (source, target, type).
    let mut kind_index: HashMap<&str, usize> = HashMap::default();
    let mut kinds: Vec<&str> = Vec::new();
    let mut seen: HashSet<(&str, &str, usize)> = HashSet::default();
    let mut links: Vec<(&str, &str, usize)> = Vec::new();
    for o in exports.iter().flat_map(|e| &e.objects) {
        for l in &o.links {
            let (source, target) = match l.direction {
                Direction::Out => (o.id.as_str(), l.target.as_str()),
                Direction::In => (l.target.as_str(), o.id.as_str()),
            };
            let k = *kind_index.entry(l.kind.as_str()).or_insert_with(|| {
                kinds.push(l.kind.as_str());
                kinds.len() - 1
            });
            if source != target && seen.insert((source, target, k)) {
                links.push((source, target, k));
            }
        }
    }
    drop(seen);
    let rule = directions(config, &kinds)?;
    let mut count = vec![0usize; kinds.len()];
    // id → (the next id, type, way), in export order.
    let mut adjacent: HashMap<&str, Vec<(&str, usize, Way)>> = HashMap::default();
    for &(source, target, k) in &links {
        count[k] += 1;
        let Some(d) = rule[k] else { continue };
        if d.carries(Way::TargetToSource) {
            adjacent
                .entry(target)
                .or_default()
                .push((source, k, Way::TargetToSource));
        }
        if d.carries(Way::SourceToTarget) {
            adjacent
                .entry(source)
                .or_default()
                .push((target, k, Way::SourceToTarget));
        }
    }
    drop(links);
    let mut following = Following {
        configured: config.follow.is_some(),
        ..Following::default()
    };
    for (k, kind) in kinds.iter().enumerate() {
        match rule[k] {
            Some(d) => following.followed.push((kind.to_string(), d, count[k])),
            None => following.not_followed.push((kind.to_string(), count[k])),
        }
    }
    following.followed.sort();
    following.not_followed.sort();

    // Breadth-first from the changed requirements, each requirement reached once:
    // id → (the changed id, the id before, type, way, depth).
    type Step<'a> = (&'a str, &'a str, usize, Way, usize);
    let mut origin: HashMap<&str, Option<Step>> = HashMap::default();
    let mut queue: VecDeque<(&str, &str, usize)> = VecDeque::new();
    for c in changes {
        if origin.insert(&c.id, None).is_none() {
            queue.push_back((&c.id, &c.id, 0));
        }
    }
    let mut reached = Vec::new();
    while let Some((id, changed, depth)) = queue.pop_front() {
        for &(next, k, way) in adjacent.get(id).into_iter().flatten() {
            if !origin.contains_key(next) {
                origin.insert(next, Some((changed, id, k, way, depth + 1)));
                reached.push(Reached {
                    id: next.to_string(),
                    changed: changed.to_string(),
                    from: id.to_string(),
                    link_type: kinds[k].to_string(),
                    way,
                    depth: depth + 1,
                });
                queue.push_back((next, changed, depth + 1));
            }
        }
    }
    drop(adjacent);
    reached.sort_by(|a, b| a.id.cmp(&b.id));
    let what: HashMap<&str, &str> = changes
        .iter()
        .map(|c| (c.id.as_str(), c.what.as_str()))
        .collect();
    // Why citing `id` affects an artifact, and the changed id it comes from.
    let because = |id: &str| -> (String, String, bool) {
        match origin[id] {
            None => (format!("cites {id} ({})", what[id]), id.to_string(), true),
            Some((changed, from, k, _, 1)) => {
                debug_assert_eq!(from, changed);
                (
                    format!("cites {id}, derived from changed {changed} (via {})", kinds[k]),
                    changed.to_string(),
                    false,
                )
            }
            Some((changed, from, k, _, depth)) => (
                format!(
                    "cites {id}, derived from changed {changed} (via {} from {from}, {depth} links away)",
                    kinds[k]
                ),
                changed.to_string(),
                false,
            ),
        }
    };

    // 2. Direct impact.
    let mut items: Vec<Impacted> = Vec::new();
    let mut item_of_node: HashMap<Node, usize> = HashMap::default();
    let mut direct_of_artifact: HashMap<usize, usize> = HashMap::default();
    for l in &trace.links {
        if !origin.contains_key(l.cited.as_str()) {
            continue;
        }
        let (reason, from, changed) = because(&l.cited);
        let i = *direct_of_artifact.entry(l.artifact).or_insert_with(|| {
            let a = trace.artifacts[l.artifact].clone();
            items.push(Impacted {
                artifact: a,
                direct: true,
                cites_changed: false,
                reason: String::new(),
                requirements: Vec::new(),
            });
            items.len() - 1
        });
        let item = &mut items[i];
        item.cites_changed |= changed;
        if !item.reason.is_empty() {
            item.reason.push_str("; ");
        }
        item.reason.push_str(&reason);
        if !item.requirements.contains(&from) {
            item.requirements.push(from);
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
                            cites_changed: false,
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
            !a.cites_changed,
            !a.direct,
            a.artifact.kind,
            &a.artifact.context,
            &a.artifact.name,
        )
            .cmp(&(
                !b.cites_changed,
                !b.direct,
                b.artifact.kind,
                &b.artifact.context,
                &b.artifact.name,
            ))
    });
    let mut linked: Vec<(String, String)> = reached
        .iter()
        .map(|r| (r.id.clone(), r.changed.clone()))
        .collect();
    linked.sort();
    Ok(Impact {
        changes: changes.to_vec(),
        following,
        linked,
        reached,
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reqs::{Link, ReqObject};
    use crate::trace::follow::Follow;
    use crate::trace::tests::{export, link, req, PLAN, RULES};
    use crate::trace::{trace, Inputs, TracePolicy};

    fn impact_of(exports: &[Export], changed: &[&str]) -> Impact {
        impact_with(exports, changed, &ImpactConfig::default()).unwrap()
    }

    fn impact_with(
        exports: &[Export],
        changed: &[&str],
        config: &ImpactConfig,
    ) -> Result<Impact, UnknownLinkType> {
        let run = crate::workspace::check_texts(&[("w40.plan", PLAN), ("rules.yaml", RULES)]);
        let t = trace(&Inputs {
            model: &run.model,
            rule_sets: &run.rule_sets,
            sources: &run.sources,
            exports,
            baseline: None,
            policy: &TracePolicy::default(),
            evidence: None,
        });
        let changes: Vec<Change> = changed
            .iter()
            .map(|id| Change {
                id: id.to_string(),
                what: "text changed".into(),
            })
            .collect();
        impact(&run.model, &t, exports, &changes, config)
    }

    /// `o` with a link of type `kind` to (`Out`) or from (`In`) `other`.
    fn linked(mut o: ReqObject, kind: &str, direction: Direction, other: &str) -> ReqObject {
        o.links.push(Link {
            kind: kind.into(),
            target: other.into(),
            direction,
            resolved: true,
        });
        o
    }

    fn reached(i: &Impact) -> Vec<(&str, &str, &str, &str, Way, usize)> {
        i.reached
            .iter()
            .map(|r| {
                (
                    r.id.as_str(),
                    r.changed.as_str(),
                    r.from.as_str(),
                    r.link_type.as_str(),
                    r.way,
                    r.depth,
                )
            })
            .collect()
    }

    fn item<'a>(i: &'a Impact, name: &str) -> &'a Impacted {
        i.items
            .iter()
            .find(|it| it.artifact.name == name)
            .unwrap_or_else(|| panic!("{name} is not affected"))
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
    fn a_satisfies_chain_is_followed_down_and_not_up() {
        // R-6 satisfies refines R-6: R-10 is the upper requirement. (The plan:
        // A09 and step 1 of REF-010 cite R-10; A12 cites; FR-02 cites R-6.)
        let exports = vec![export(vec![
            req("R-10", "GO poll.", "Inspection"),
            link(req("R-6", "Transfer coverage.", "Analysis"), "R-10"),
            linked(
                req("R-7", "In an RGS pass.", "Analysis"),
                "Refines",
                Direction::Out,
                "R-6",
            ),
        ])];
        let i = impact_of(&exports, &["R-10"]);
        assert_eq!(
            reached(&i),
            [
                ("R-6", "R-10", "R-10", "satisfies", Way::TargetToSource, 1),
                ("R-7", "R-10", "R-6", "Refines", Way::TargetToSource, 2),
            ]
        );
        assert_eq!(
            i.linked,
            [
                ("R-6".to_string(), "R-10".to_string()),
                ("R-7".to_string(), "R-10".to_string())
            ]
        );
        let a09 = item(&i, "A09");
        assert!(a09.cites_changed && a09.direct);
        assert_eq!(a09.reason, "cites R-10 (text changed)");
        let a12 = item(&i, "A12");
        assert!(a12.direct && !a12.cites_changed);
        assert_eq!(
            a12.reason,
            "cites R-6, derived from changed R-10 (via satisfies); cites R-7, derived from \
             changed R-10 (via Refines from R-6, 2 links away)"
        );
        assert_eq!(a12.requirements, ["R-10"]);
        let fr = item(&i, "FR-02");
        assert!(fr.direct && !fr.cites_changed);
        assert_eq!(
            fr.reason,
            "cites R-6, derived from changed R-10 (via satisfies)"
        );
        // Those citing the change itself come first, then those citing a derived one.
        let order: Vec<(bool, bool)> = i
            .items
            .iter()
            .map(|it| (it.cites_changed, it.direct))
            .collect();
        let mut sorted = order.clone();
        sorted.sort_by_key(|&(c, d)| (!c, !d));
        assert_eq!(order, sorted);
        assert!(order[0].0 && order.contains(&(false, true)));
        // The links followed, by default.
        assert_eq!(
            i.following,
            Following {
                configured: false,
                followed: vec![
                    ("Refines".into(), FollowDirection::TargetToSource, 1),
                    ("satisfies".into(), FollowDirection::TargetToSource, 1),
                ],
                not_followed: vec![],
            }
        );

        // Changing the bottom of the chain reaches nothing above it.
        let i = impact_of(&exports, &["R-7"]);
        assert!(i.reached.is_empty() && i.linked.is_empty());
        assert!(i.items.iter().all(|it| it.artifact.name != "A09"));
        assert_eq!(item(&i, "A12").reason, "cites R-7 (text changed)");
    }

    #[test]
    fn requirements_linking_one_glossary_term_do_not_affect_each_other() {
        // each link to the term T-1: as a typed term link (ReqIF,
        // DOORS Next), and as untyped DOORS Classic out-links.
        for kind in ["Artifact Term Reference", "Out-links"] {
            let exports = vec![export(vec![
                req("T-1", "GO: the flight director's poll.", "Review"),
                linked(req("R-6", "x", "Analysis"), kind, Direction::Out, "T-1"),
                linked(req("R-10", "y", "Inspection"), kind, Direction::Out, "T-1"),
                linked(req("R-12", "z", "Inspection"), kind, Direction::Out, "T-1"),
            ])];
            let i = impact_of(&exports, &["R-6"]);
            assert!(i.reached.is_empty(), "{kind}: {:?}", i.reached);
            let names: Vec<&str> = i.items.iter().map(|it| it.artifact.name.as_str()).collect();
            assert!(
                !names.contains(&"A09") && !names.contains(&"A13"),
                "{kind}: R-10 and R-12 are not affected: {names:?}"
            );
            assert!(names.contains(&"A12") && names.contains(&"FR-02"));
            // The same links recorded at the term's end (In), as a ReqIF relation is.
            let exports = vec![export(vec![
                linked(
                    linked(
                        linked(req("T-1", "GO.", "Review"), kind, Direction::In, "R-6"),
                        kind,
                        Direction::In,
                        "R-10",
                    ),
                    kind,
                    Direction::In,
                    "R-12",
                ),
                linked(req("R-6", "x", "Analysis"), kind, Direction::Out, "T-1"),
                req("R-10", "y", "Inspection"),
                req("R-12", "z", "Inspection"),
            ])];
            let i = impact_of(&exports, &["R-10"]);
            assert!(i.reached.is_empty(), "{kind}: {:?}", i.reached);
            // Three links, each once although R-6's is recorded at both ends.
            let counted: usize = i
                .following
                .followed
                .iter()
                .map(|t| t.2)
                .chain(i.following.not_followed.iter().map(|t| t.1))
                .sum();
            assert_eq!(counted, 3, "{kind}");
        }
        // A term link is never followed by default, even from the term; an untyped link
        // is, from the object linked to (DOORS links upward).
        let term = |kind: &str| {
            vec![export(vec![
                req("T-1", "GO.", "Review"),
                linked(req("R-6", "x", "Analysis"), kind, Direction::Out, "T-1"),
            ])]
        };
        let i = impact_of(&term("Artifact Term Reference"), &["T-1"]);
        assert!(i.reached.is_empty());
        assert_eq!(
            i.following.not_followed,
            [("Artifact Term Reference".to_string(), 1)]
        );
        let i = impact_of(&term("Out-links"), &["T-1"]);
        assert_eq!(
            reached(&i),
            [("R-6", "T-1", "T-1", "Out-links", Way::TargetToSource, 1)]
        );
    }

    #[test]
    fn configured_link_types_and_directions_replace_the_defaults() {
        let exports = vec![export(vec![
            req("R-10", "GO poll.", "Inspection"),
            link(req("R-6", "Transfer coverage.", "Analysis"), "R-10"),
            linked(
                req("R-12", "Hatch.", "Inspection"),
                "Related To",
                Direction::Out,
                "R-10",
            ),
        ])];
        let config = |follow: Vec<Follow>| ImpactConfig {
            follow: Some(follow),
            written: None,
        };
        let related_both = config(vec![Follow {
            link_type: "related-to".into(),
            direction: FollowDirection::Both,
        }]);
        let i = impact_with(&exports, &["R-10"], &related_both).unwrap();
        assert_eq!(
            reached(&i),
            [("R-12", "R-10", "R-10", "Related To", Way::TargetToSource, 1)]
        );
        assert!(i.following.configured);
        assert_eq!(i.following.not_followed, [("satisfies".to_string(), 1)]);
        // Following satisfies up (source to target) only: from, not back.
        let up = config(vec![Follow {
            link_type: "Satisfies".into(),
            direction: FollowDirection::SourceToTarget,
        }]);
        assert!(impact_with(&exports, &["R-10"], &up)
            .unwrap()
            .reached
            .is_empty());
        assert_eq!(
            reached(&impact_with(&exports, &["R-6"], &up).unwrap()),
            [("R-10", "R-6", "R-6", "satisfies", Way::SourceToTarget, 1)]
        );
        // Nothing followed.
        let none = impact_with(&exports, &["R-10"], &config(vec![])).unwrap();
        assert!(none.reached.is_empty() && none.following.followed.is_empty());
        // A type no link has.
        let typo = config(vec![Follow {
            link_type: "Satisfy".into(),
            direction: FollowDirection::TargetToSource,
        }]);
        let e = impact_with(&exports, &["R-10"], &typo).unwrap_err();
        assert_eq!(e.link_type, "Satisfy");
        assert_eq!(e.known, ["Related To", "satisfies"]);
    }

    #[test]
    fn a_long_chain_is_followed_breadth_first_without_recursion() {
        let n = 20_000;
        let mut objects = vec![req("R-0", "top", "Analysis")];
        for k in 1..n {
            objects.push(link(
                req(&format!("R-{k}"), "x", "Analysis"),
                &format!("R-{}", k - 1),
            ));
        }
        let exports = vec![export(objects)];
        let i = impact_of(&exports, &["R-0"]);
        assert_eq!(i.reached.len(), n - 1);
        let last = i
            .reached
            .iter()
            .find(|r| r.id == format!("R-{}", n - 1))
            .unwrap();
        assert_eq!(
            (last.depth, last.from.as_str()),
            (n - 1, format!("R-{}", n - 2).as_str())
        );
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
