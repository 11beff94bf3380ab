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
    pub fn components(&self, keep: fn(EdgeKind) -> bool) -> Vec<Vec<NodeIndex>> {
        let filtered =
            petgraph::visit::EdgeFiltered::from_fn(&self.graph, |e| keep(e.weight().kind));
        let mut sccs = petgraph::algo::tarjan_scc(&filtered);
        // tarjan_scc yields components in reverse topological order.
        sccs.reverse();
        sccs
    }

    /// True when the node has an edge to itself that satisfies `keep`.
    pub fn has_self_loop(&self, n: NodeIndex, keep: fn(EdgeKind) -> bool) -> bool {
        self.successors(n, keep).any(|(t, _)| t == n)
    }
}
