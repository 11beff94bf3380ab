use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::{EdgeKind, Node};

fn is_call(k: EdgeKind) -> bool {
    k == EdgeKind::Calls
}

rule! {
    /// ## What it does
    /// Reports procedures that call each other in a cycle (`call`, `on fail call`),
    /// directly or through others, including a procedure that calls itself. The
    /// contingency declaration is not a call and may point back.
    ///
    /// ## Why it matters
    /// A call cycle never completes: the operator following the procedures would loop
    /// between them with no exit.
    ///
    /// ## Example
    /// ```text
    /// procedure A { step 1 { call B } }
    /// procedure B { step 1 { call A } }
    /// ```
    ProcedureCallCycle, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    for comp in m.graph.components(is_call) {
        if comp.len() < 2 && !m.graph.has_self_loop(comp[0], is_call) {
            continue;
        }
        let mut procs: Vec<usize> = comp
            .iter()
            .filter_map(|&n| match m.graph.graph[n] {
                Node::Procedure(p) => Some(p),
                _ => None,
            })
            .collect();
        procs.sort_by_key(|&p| (m.procedures[p].file, m.procedures[p].ast.span.start));
        let names: Vec<String> = procs
            .iter()
            .map(|&p| m.procedures[p].display_name())
            .collect();
        let first = procs[0];
        // Membership by hash: a cycle of 100,000 procedures is checked in linear time.
        let members: rustc_hash::FxHashSet<petgraph::graph::NodeIndex> =
            comp.iter().copied().collect();
        let mut labels = Vec::new();
        for &p in &procs {
            let Some(n) = m.graph.find(&Node::Procedure(p)) else {
                continue;
            };
            for (t, e) in m.graph.successors(n, is_call) {
                if members.contains(&t) {
                    if let Node::Procedure(callee) = m.graph.graph[t] {
                        labels.push(Label::new(
                            e.span,
                            format!(
                                "{} calls {}",
                                m.procedures[p].display_name(),
                                m.procedures[callee].display_name()
                            ),
                        ));
                    }
                }
            }
        }
        labels.sort_by_key(|l| (l.span.file, l.span.start));
        let primary = labels
            .iter()
            .position(|l| l.span.file == m.procedures[first].file)
            .unwrap_or(0);
        let p_label = labels.remove(primary);
        let mut d = Diagnostic::new(
            Code::ProcedureCallCycle,
            format!("procedure call cycle between {}", names.join(", ")),
            p_label,
        );
        for l in labels {
            d = d.with_secondary(l);
        }
        out.push(d.with_help("a procedure must not call itself, directly or through others"));
    }
}
