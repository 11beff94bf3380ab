//! The dependency graph: one petgraph graph over activities, procedures, steps and
//! requirements. Edges point from what comes first (or what is depended on) to what
//! depends on it; each edge keeps the span of the text that stated it.

use super::{ActIdx, PlanIdx, ProcIdx};
use crate::source::Span;
use crate::syntax::ast::RelationKind;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use rustc_hash::FxHashMap as HashMap;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Node {
    Activity { plan: PlanIdx, activity: ActIdx },
    Procedure(ProcIdx),
    Step { procedure: ProcIdx, step: usize },
    Requirement(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// predecessor → dependent (`after`, `starts with`, `during`; `before` points the other way).
    Relation(RelationKind),
    /// referenced activity → activity whose `at`/`until` names it.
    TimeReference,
    /// activity → the procedure it runs.
    Runs,
    /// procedure → its step.
    HasStep,
    /// step → the next step it falls through to.
    Next,
    /// step → step named by `goto`.
    Goto,
    /// step → step named by `on fail goto`.
    OnFail,
    /// step → procedure it calls (also `on fail call`).
    CallsFromStep,
    /// procedure → procedure it calls from any step.
    Calls,
    /// procedure → its contingency procedure.
    Contingency,
    /// activity, procedure or step → requirement it covers.
    Covers,
}

impl EdgeKind {
    /// True for the edges that order activities in time.
    pub fn is_activity_dependency(self) -> bool {
        matches!(self, EdgeKind::Relation(_) | EdgeKind::TimeReference)
    }

    /// True for control flow between steps.
    pub fn is_step_flow(self) -> bool {
        matches!(self, EdgeKind::Next | EdgeKind::Goto | EdgeKind::OnFail)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub kind: EdgeKind,
    pub span: Span,
}

/// The graph and its node lookup.
#[derive(Debug, Default)]
pub struct DepGraph {
    pub graph: DiGraph<Node, Edge>,
    index: HashMap<Node, NodeIndex>,
}

impl DepGraph {
    /// The node for `node`, created on first use.
    pub fn node(&mut self, node: Node) -> NodeIndex {
        if let Some(&i) = self.index.get(&node) {
            return i;
        }
        let i = self.graph.add_node(node.clone());
        self.index.insert(node, i);
        i
    }

    pub fn find(&self, node: &Node) -> Option<NodeIndex> {
        self.index.get(node).copied()
    }

    pub fn add_edge(&mut self, from: Node, to: Node, kind: EdgeKind, span: Span) {
        let a = self.node(from);
        let b = self.node(to);
        self.graph.add_edge(a, b, Edge { kind, span });
    }

    /// Outgoing edges of a node that satisfy `keep`, as (target, edge).
    pub fn successors(
        &self,
        n: NodeIndex,
        keep: fn(EdgeKind) -> bool,
    ) -> impl Iterator<Item = (NodeIndex, Edge)> + '_ {
        self.graph
            .edges(n)
            .filter(move |e| keep(e.weight().kind))
            .map(|e| (e.target(), *e.weight()))
    }

    /// Strongly connected components of the subgraph whose edges satisfy `keep`, in
    /// topological order (a component comes before every component it points to).
    ///
    /// Iterative (see [`tarjan_scc`]): a chain of a million activities or procedure
    /// calls needs no deeper stack than a chain of two.
    pub fn components(&self, keep: fn(EdgeKind) -> bool) -> Vec<Vec<NodeIndex>> {
        let mut sccs = tarjan_scc(&self.graph, keep);
        // Tarjan yields components in reverse topological order.
        sccs.reverse();
        sccs
    }

    /// True when the node has an edge to itself that satisfies `keep`.
    pub fn has_self_loop(&self, n: NodeIndex, keep: fn(EdgeKind) -> bool) -> bool {
        self.successors(n, keep).any(|(t, _)| t == n)
    }
}

/// Tarjan's strongly connected components of the subgraph of `graph` whose edges satisfy
/// `keep`, in reverse topological order (every component after the components it points
/// to), with an explicit stack instead of recursion.
///
/// petgraph's `tarjan_scc` (0.8.3, `src/algo/scc/tarjan_scc.rs`) is recursive ("This
/// implementation is recursive", `TarjanScc::visit` calls itself for each unvisited
/// neighbour): a chain of 22,000 activities overflowed the main thread's stack. This is
/// the same algorithm (Pierce's space-efficient variant, Algorithm 3 of "A
/// Space-Efficient Algorithm for Finding Strongly Connected Components") with each
/// recursive call turned into a frame of `frames`: it visits nodes and neighbours in the
/// same order and returns the same components in the same order, node for node (checked
/// against petgraph on random graphs in the tests below). O(V + E) time, O(V) memory.
pub fn tarjan_scc<N>(graph: &DiGraph<N, Edge>, keep: fn(EdgeKind) -> bool) -> Vec<Vec<NodeIndex>> {
    /// A visit in progress: the node, its outgoing edges not yet followed, and whether
    /// it is still the root of its component.
    struct Frame<'g> {
        v: NodeIndex,
        edges: petgraph::graph::Edges<'g, Edge, petgraph::Directed>,
        local_root: bool,
    }
    // `root[v]`: 0 unvisited, else the visit index of the lowest node known to reach
    // v's component root (Pierce's `rindex`); finished components get values counted
    // down from usize::MAX, above every visit index.
    let mut root: Vec<usize> = vec![0; graph.node_count()];
    let mut index = 1usize;
    let mut component_count = usize::MAX;
    let mut stack: Vec<NodeIndex> = Vec::new();
    let mut frames: Vec<Frame<'_>> = Vec::new();
    let mut out: Vec<Vec<NodeIndex>> = Vec::new();
    for start in graph.node_indices() {
        if root[start.index()] != 0 {
            continue;
        }
        root[start.index()] = index;
        index += 1;
        frames.push(Frame {
            v: start,
            edges: graph.edges(start),
            local_root: true,
        });
        while let Some(top) = frames.last_mut() {
            let v = top.v;
            if let Some(e) = top.edges.next() {
                if !keep(e.weight().kind) {
                    continue;
                }
                let w = e.target();
                if root[w.index()] == 0 {
                    // The recursive call: visit w, compare when it is finished.
                    root[w.index()] = index;
                    index += 1;
                    frames.push(Frame {
                        v: w,
                        edges: graph.edges(w),
                        local_root: true,
                    });
                } else if root[w.index()] < root[v.index()] {
                    root[v.index()] = root[w.index()];
                    top.local_root = false;
                }
                continue;
            }
            // Every edge of v followed: v is finished.
            let local_root = top.local_root;
            frames.pop();
            if local_root {
                let mut adjustment = 1;
                let v_root = root[v.index()];
                let start = stack
                    .iter()
                    .rposition(|&w| {
                        if v_root > root[w.index()] {
                            true
                        } else {
                            root[w.index()] = component_count;
                            adjustment += 1;
                            false
                        }
                    })
                    .map_or(0, |x| x + 1);
                root[v.index()] = component_count;
                stack.push(v);
                out.push(stack[start..].to_vec());
                stack.truncate(start);
                index -= adjustment;
                component_count -= 1;
            } else {
                stack.push(v);
            }
            // Back in the caller: compare it with the node just finished.
            if let Some(parent) = frames.last_mut() {
                if root[v.index()] < root[parent.v.index()] {
                    root[parent.v.index()] = root[v.index()];
                    parent.local_root = false;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn edge(kind: EdgeKind) -> Edge {
        Edge {
            kind,
            span: Span::new(FileId(0), 0..0),
        }
    }

    fn all(_: EdgeKind) -> bool {
        true
    }

    #[test]
    fn the_components_are_petgraphs_node_for_node() {
        // Pseudo-random graphs, some edges filtered out: the same components in the same
        // order as petgraph's recursive tarjan_scc over the filtered graph.
        let mut seed: u64 = 0x7a2a;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        for round in 0..300 {
            let nodes = 1 + next(40) as usize;
            let edges = next(3 * nodes as u64 + 1) as usize;
            let mut g: DiGraph<(), Edge> = DiGraph::new();
            let ix: Vec<NodeIndex> = (0..nodes).map(|_| g.add_node(())).collect();
            for _ in 0..edges {
                let (a, b) = (next(nodes as u64) as usize, next(nodes as u64) as usize);
                let kind = if next(4) == 0 {
                    EdgeKind::Covers
                } else {
                    EdgeKind::TimeReference
                };
                g.add_edge(ix[a], ix[b], edge(kind));
            }
            let keep = EdgeKind::is_activity_dependency;
            let filtered = petgraph::visit::EdgeFiltered::from_fn(&g, |e| keep(e.weight().kind));
            let expected = petgraph::algo::tarjan_scc(&filtered);
            assert_eq!(tarjan_scc(&g, keep), expected, "round {round}");
        }
    }

    /// A chain of `n` nodes, each pointing to the next; with `cycle`, the last points
    /// back to the first.
    fn chain(n: usize, cycle: bool) -> DepGraph {
        let mut g = DepGraph::default();
        let ix: Vec<NodeIndex> = (0..n).map(|i| g.node(Node::Procedure(i))).collect();
        for w in ix.windows(2) {
            g.graph.add_edge(w[0], w[1], edge(EdgeKind::Calls));
        }
        if cycle {
            g.graph.add_edge(ix[n - 1], ix[0], edge(EdgeKind::Calls));
        }
        g
    }

    #[test]
    fn a_chain_of_a_million_is_ordered_without_recursion() {
        let n = 1_000_000;
        let g = chain(n, false);
        let order = g.components(all);
        assert_eq!(order.len(), n);
        // Topological order: each node before the one it points to.
        for (i, c) in order.iter().enumerate() {
            assert_eq!(c, &[NodeIndex::new(i)]);
        }
    }

    #[test]
    fn a_cycle_of_a_million_is_one_component() {
        let n = 1_000_000;
        let g = chain(n, true);
        let order = g.components(all);
        assert_eq!(order.len(), 1);
        let mut c = order[0].clone();
        c.sort_unstable();
        assert!(c.iter().enumerate().all(|(i, x)| x.index() == i));
    }
}
