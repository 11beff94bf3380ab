use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::{EdgeKind, Node, RefKind, Scope};
use std::collections::{HashSet, VecDeque};

rule! {
    /// ## What it does
    /// Reports a step that no path from the procedure's first step reaches. Steps run in
    /// order: a step falls through to the next unless it ends with `goto`, `abort` or
    /// `end`; `on fail goto` adds a branch.
    ///
    /// ## Why it matters
    /// An unreachable step is never executed: usually a `goto` that skips a step by
    /// mistake, or a leftover of an older version (PLUTO execution-logic checks, MOIS).
    /// Procedures with a `goto` to an undefined step (P001) are not judged.
    ///
    /// ## Example
    /// ```text
    /// step 3 { command PROP_VALVES_OPEN  goto 5 }
    /// step 4 { wait for MCC-M "transfer complete" timeout 45m }   // never reached
    /// step 5 { command PROP_VALVES_CLOSE }
    /// ```
    UnreachableStep, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    // A `goto` to an undefined step is reported by P001; the flow after it is unknown.
    let broken: HashSet<usize> = m
        .unresolved
        .iter()
        .filter_map(|r| match (r.kind, r.scope) {
            (RefKind::Step, Scope::Procedure(p)) => Some(p),
            _ => None,
        })
        .collect();
    for (pi, p) in m.procedures.iter().enumerate() {
        if p.incomplete || p.ast.steps.len() < 2 || broken.contains(&pi) {
            continue;
        }
        let mut reached = vec![false; p.ast.steps.len()];
        let mut queue = VecDeque::new();
        if let Some(first) = m.graph.find(&Node::Step {
            procedure: pi,
            step: 0,
        }) {
            reached[0] = true;
            queue.push_back(first);
        }
        while let Some(n) = queue.pop_front() {
            for (t, _) in m.graph.successors(n, EdgeKind::is_step_flow) {
                if let Node::Step { step, .. } = m.graph.graph[t] {
                    if !reached[step] {
                        reached[step] = true;
                        queue.push_back(t);
                    }
                }
            }
        }
        for (si, step) in p.ast.steps.iter().enumerate() {
            if reached[si] {
                continue;
            }
            let mut d = Diagnostic::new(
                Code::UnreachableStep,
                format!(
                    "step {} of {} is unreachable",
                    step.label.value,
                    p.display_name()
                ),
                Label::new(step.label.span, "no path from the first step leads here"),
            );
            if si > 0 {
                let prev = &p.ast.steps[si - 1];
                if let Some(last) = prev.statements.last() {
                    d = d.with_secondary(Label::new(
                        last.span,
                        format!("step {} never falls through to it", prev.label.value),
                    ));
                }
            }
            out.push(d);
        }
    }
}
