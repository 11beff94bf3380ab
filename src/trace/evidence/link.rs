//! How evidence joins the trace: tests and tags become artifacts whose ids are cites
//! (folded ids resolved first, an id folding to several requirement ids a `Q010`);
//! after the statuses are known, each requirement gets the items that are evidence for
//! it (its tests and tags, the scenarios expecting a procedure that covers it, the
//! as-flown rows of an activity that covers it), its [`Verification`], and the headings
//! the worst of theirs.

use super::{
    fold, Evidence, EvidenceKind, EvidenceSummary, HeadingVerification, Item, ReqEvidence, Target,
    Verification,
};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::{Model, Node};
use crate::reqs::Export;
use crate::trace::{Artifact, ArtifactKind, Cite, LinkStatus, ReqStatus, Trace};
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;

/// Adds the tests and tags of `items` as artifacts, their ids as cites; returns, per
/// artifact added, the item it is, and the `Q010` findings.
pub(in crate::trace) fn add_artifacts<'a>(
    items: &'a [Item],
    index: &HashMap<&'a str, Vec<usize>>,
    artifacts: &mut Vec<Artifact>,
    cites: &mut Vec<(usize, Cite<'a>)>,
) -> (HashMap<usize, usize>, Vec<Diagnostic>) {
    let mut by_artifact = HashMap::default();
    let mut findings = Vec::new();
    // Folded id → the requirement ids it stands for (built only when a source folds).
    let mut folded: HashMap<String, Vec<&'a str>> = HashMap::default();
    let folds = items
        .iter()
        .any(|i| matches!(&i.target, Target::Ids(ids) if ids.iter().any(|n| n.fold)));
    if folds {
        let mut keys: Vec<&'a str> = index.keys().copied().collect();
        keys.sort_unstable();
        for k in keys {
            folded.entry(fold(k)).or_default().push(k);
        }
    }
    for (ii, item) in items.iter().enumerate() {
        let Target::Ids(ids) = &item.target else {
            continue;
        };
        let kind = match item.kind {
            EvidenceKind::Tag => ArtifactKind::Tag,
            _ => ArtifactKind::Test,
        };
        let ai = artifacts.len();
        artifacts.push(Artifact {
            kind,
            name: item.name.clone(),
            context: None,
            title: None,
            span: item.span,
            node: None,
        });
        by_artifact.insert(ai, ii);
        let mut seen: Vec<&str> = Vec::new();
        for n in ids {
            let id: &'a str = if n.fold && !index.contains_key(n.id.as_str()) {
                match folded.get(&fold(&n.id)).map(Vec::as_slice) {
                    Some([one]) => one,
                    Some(many @ [_, _, ..]) => {
                        let list: Vec<String> = many.iter().map(|s| s.to_string()).collect();
                        findings.push(
                            Diagnostic::new(
                                Code::AmbiguousEvidence,
                                format!(
                                    "{} {} names `{}`, which matches {} folded",
                                    kind.as_str(),
                                    item.name,
                                    n.id,
                                    crate::diag::or_list(&list, "`").replace(" or ", " and ")
                                ),
                                Label::new(n.span, "which one?"),
                            )
                            .with_help(
                                "name the requirement as the export writes it, or make the ids differ by more than case and separators",
                            ),
                        );
                        continue;
                    }
                    _ => n.id.as_str(),
                }
            } else {
                n.id.as_str()
            };
            // One test naming an id twice (by property and by name) cites it once.
            if seen.contains(&id) {
                continue;
            }
            seen.push(id);
            cites.push((
                ai,
                Cite {
                    id,
                    stamp: None,
                    span: n.span,
                },
            ));
        }
    }
    (by_artifact, findings)
}

/// The evidence of every requirement of `t`, its summary and the headings' roll-up; the
/// findings of as-flown rows that name no activity, or one of several plans.
pub(in crate::trace) fn verify(
    t: &Trace,
    items: &[Item],
    by_artifact: &HashMap<usize, usize>,
    model: &Model,
    exports: &[Export],
) -> (Evidence, Vec<Diagnostic>) {
    let mut findings = Vec::new();
    // Scenario items by the procedures they expect; as-flown items by activity.
    let mut by_procedure: HashMap<usize, Vec<usize>> = HashMap::default();
    let mut by_activity: HashMap<(usize, usize), Vec<usize>> = HashMap::default();
    let mut activities: HashMap<&str, Vec<(usize, usize)>> = HashMap::default();
    if items
        .iter()
        .any(|i| matches!(i.target, Target::Activity { .. }))
    {
        for (pi, p) in model.plans.iter().enumerate() {
            for (ai, a) in p.activities.iter().enumerate() {
                activities
                    .entry(a.ast.id.value.as_str())
                    .or_default()
                    .push((pi, ai));
            }
        }
    }
    for (ii, item) in items.iter().enumerate() {
        match &item.target {
            Target::Ids(_) => {}
            Target::Procedures(procs) => {
                for &p in procs {
                    by_procedure.entry(p).or_default().push(ii);
                }
            }
            Target::Activity { activity, plan } => {
                let found: Vec<(usize, usize)> = activities
                    .get(activity.as_str())
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|(pi, _)| {
                        plan.as_deref()
                            .is_none_or(|p| model.plans[*pi].id.value == p)
                    })
                    .collect();
                match found.as_slice() {
                    [one] => by_activity.entry(*one).or_default().push(ii),
                    [] => findings.push(
                        Diagnostic::new(
                            Code::InvalidEvidence,
                            match plan {
                                Some(p) => format!(
                                    "the as-flown log names activity `{activity}` of plan `{p}`, which no plan read has"
                                ),
                                None => format!(
                                    "the as-flown log names activity `{activity}`, which no plan read has"
                                ),
                            },
                            Label::new(item.span, "no such activity"),
                        )
                        .with_help("name an activity of the plans the project checks"),
                    ),
                    several => {
                        let plans: Vec<String> = several
                            .iter()
                            .map(|(pi, _)| model.plans[*pi].id.value.clone())
                            .collect();
                        findings.push(
                            Diagnostic::new(
                                Code::AmbiguousEvidence,
                                format!(
                                    "the as-flown log names activity `{activity}`, which plans {} have",
                                    crate::diag::or_list(&plans, "`").replace(" or ", " and ")
                                ),
                                Label::new(item.span, "which one?"),
                            )
                            .with_help("fill the row's `plan` column"),
                        );
                    }
                }
            }
        }
    }
    let mut requirements = Vec::with_capacity(t.requirements.len());
    for r in &t.requirements {
        let mut mine: Vec<usize> = Vec::new();
        for &li in &r.links {
            let l = &t.links[li];
            if !matches!(l.status, LinkStatus::Covers | LinkStatus::Suspect) {
                continue;
            }
            if let Some(&ii) = by_artifact.get(&l.artifact) {
                mine.push(ii);
            }
            match t.artifacts[l.artifact].node {
                Some(Node::Procedure(p)) | Some(Node::Step { procedure: p, .. }) => {
                    mine.extend(by_procedure.get(&p).into_iter().flatten());
                }
                Some(Node::Activity { plan, activity }) => {
                    mine.extend(by_activity.get(&(plan, activity)).into_iter().flatten());
                }
                _ => {}
            }
        }
        mine.sort_unstable();
        mine.dedup();
        requirements.push(ReqEvidence {
            status: Verification::of(mine.iter().map(|&i| items[i].outcome)),
            items: mine,
        });
    }
    let summary = summarize(t, items, &requirements);
    let headings = headings(t, exports, &requirements);
    (
        Evidence {
            items: items.to_vec(),
            requirements,
            headings,
            summary,
        },
        findings,
    )
}

fn summarize(t: &Trace, items: &[Item], reqs: &[ReqEvidence]) -> EvidenceSummary {
    let mut s = EvidenceSummary {
        items: items.len(),
        ..EvidenceSummary::default()
    };
    for v in Verification::ALL {
        s.by_status.insert(v.as_str(), 0);
    }
    for i in items {
        *s.items_by_outcome.entry(i.outcome.as_str()).or_default() += 1;
    }
    for (r, e) in t.requirements.iter().zip(reqs) {
        *s.by_status.entry(e.status.as_str()).or_default() += 1;
        if counted(r.status) {
            s.counted += 1;
            if e.status == Verification::Verified {
                s.verified += 1;
            }
        }
    }
    s
}

/// True for the requirements `--min-verified` counts: every status but not-required,
/// withdrawn and justified.
pub fn counted(status: ReqStatus) -> bool {
    !matches!(
        status,
        ReqStatus::NotRequired | ReqStatus::Withdrawn | ReqStatus::Justified
    )
}

/// Every heading with requirements under it (at any depth), the worst status of those
/// and their counts, in the order of its first requirement. Each heading node is
/// visited once (paths share their nodes), so the roll-up is linear in the requirements
/// and headings, however deep.
fn headings(t: &Trace, exports: &[Export], reqs: &[ReqEvidence]) -> Vec<HeadingVerification> {
    struct Acc {
        path: crate::reqs::HeadingPath,
        export: usize,
        first: usize,
        counts: [usize; 5],
        parent: Option<usize>,
        depth: usize,
    }
    let slot = |v: Verification| Verification::ALL.iter().position(|x| *x == v).expect("all");
    let mut nodes: Vec<Acc> = Vec::new();
    let mut by_id: HashMap<usize, usize> = HashMap::default();
    for (ri, (r, e)) in t.requirements.iter().zip(reqs).enumerate() {
        if !counted(r.status) {
            continue;
        }
        let o = t.object(exports, r);
        let mut path = o.path.clone();
        let mut child: Option<usize> = None;
        let mut first_node: Option<usize> = None;
        // Walk up until a node already known: each node is added once.
        while let Some(id) = path.node_id() {
            if let Some(&known) = by_id.get(&id) {
                if let Some(c) = child {
                    nodes[c].parent = Some(known);
                }
                first_node.get_or_insert(known);
                break;
            }
            let n = nodes.len();
            nodes.push(Acc {
                path: path.clone(),
                export: r.export,
                first: ri,
                counts: [0; 5],
                parent: None,
                depth: path.len(),
            });
            by_id.insert(id, n);
            if let Some(c) = child {
                nodes[c].parent = Some(n);
            }
            first_node.get_or_insert(n);
            child = Some(n);
            path = path.parent();
        }
        if let Some(n) = first_node {
            nodes[n].counts[slot(e.status)] += 1;
        }
    }
    // Children before parents: deepest first.
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    order.sort_by_key(|&n| std::cmp::Reverse(nodes[n].depth));
    for n in order {
        if let Some(p) = nodes[n].parent {
            let c = nodes[n].counts;
            for (k, v) in c.iter().enumerate() {
                nodes[p].counts[k] += v;
            }
        }
    }
    let mut out: Vec<(usize, usize, HeadingVerification)> = nodes
        .into_iter()
        .map(|a| {
            let status = Verification::ALL
                .iter()
                .zip(a.counts)
                .filter(|(_, c)| *c > 0)
                .map(|(v, _)| *v)
                .max_by_key(|v| v.rank())
                .unwrap_or(Verification::NoEvidence);
            let counts: BTreeMap<&'static str, usize> = Verification::ALL
                .iter()
                .zip(a.counts)
                .filter(|(_, c)| *c > 0)
                .map(|(v, c)| (v.as_str(), c))
                .collect();
            (
                a.first,
                a.depth,
                HeadingVerification {
                    export: a.export,
                    path: a.path.shown().into_iter().map(str::to_string).collect(),
                    status,
                    counts,
                },
            )
        })
        .collect();
    // By first requirement, then outer headings before inner ones.
    out.sort_by_key(|(first, depth, _)| (*first, *depth));
    out.into_iter().map(|(_, _, h)| h).collect()
}
