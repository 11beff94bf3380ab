//! Building the model: symbol tables, name resolution, graph edges, then times.

use super::*;
use crate::syntax::ast::{FailAction, RelationKind, StatementKind, TimeExpr};

pub(super) fn build(files: Vec<ast::SourceAst>) -> Model {
    let mut m = Model {
        plans: Vec::new(),
        procedures: Vec::new(),
        scenarios: Vec::new(),
        staffing: Vec::new(),
        timelines: HashMap::default(),
        procedure_index: HashMap::default(),
        all_roles: HashSet::default(),
        all_windows: HashSet::default(),
        unresolved: Vec::new(),
        duplicates: Vec::new(),
        bad_intervals: Vec::new(),
        graph: DepGraph::default(),
        files_with_syntax_errors: HashSet::default(),
    };
    let mut plan_asts = Vec::new();
    let mut scenario_asts = Vec::new();
    let mut roster_asts = Vec::new();
    for f in files {
        if f.has_syntax_errors {
            m.files_with_syntax_errors.insert(f.file);
        }
        for p in f.procedures {
            m.procedures.push(ProcedureModel {
                ast: p,
                file: f.file,
                incomplete: f.has_syntax_errors,
                step_index: HashMap::default(),
                failure_targets: Vec::new(),
                failure_steps: Vec::new(),
                call_targets: Vec::new(),
            });
        }
        plan_asts.extend(f.plans.into_iter().map(|p| (f.file, p)));
        scenario_asts.extend(f.scenarios.into_iter().map(|s| (f.file, s)));
        roster_asts.extend(f.rosters.into_iter().map(|r| (f.file, r)));
    }
    index_procedures(&mut m);
    let mut plan_ids: HashMap<String, Span> = HashMap::default();
    for (file, plan) in plan_asts {
        if let Some(&first) = plan_ids.get(&plan.id.value) {
            m.duplicates.push(Duplicate {
                what: "plan",
                name: plan.id.value.clone(),
                first,
                second: plan.id.span,
            });
        } else {
            plan_ids.insert(plan.id.value.clone(), plan.id.span);
        }
        let pm = plan_tables(&mut m, file, plan);
        m.plans.push(pm);
    }
    for p in &m.plans {
        m.all_roles
            .extend(p.roles.iter().map(|r| r.name.value.clone()));
        m.all_windows
            .extend(p.windows.iter().map(|w| w.decl.name.value.clone()));
    }
    for pi in 0..m.plans.len() {
        resolve_plan(&mut m, pi);
    }
    for pi in 0..m.procedures.len() {
        resolve_procedure(&mut m, pi);
    }
    for pi in 0..m.procedures.len() {
        let (failures, calls, steps) = scenario::failure_targets(&m, pi);
        m.procedures[pi].failure_targets = failures;
        m.procedures[pi].call_targets = calls;
        m.procedures[pi].failure_steps = steps;
    }
    for pi in 0..m.plans.len() {
        windows::expand_plan_windows(&mut m, pi);
    }
    schedule::schedule(&mut m);
    scenario::resolve_scenarios(&mut m, scenario_asts);
    staffing::build_staffing(&mut m, roster_asts);
    staffing::training::link(&mut m);
    m
}

/// Records `name` in `table` or a duplicate when it is already there.
fn define(
    dups: &mut Vec<Duplicate>,
    table: &mut HashMap<String, usize>,
    what: &'static str,
    name: &ast::Ident,
    idx: usize,
    span_of: impl Fn(usize) -> Span,
) {
    match table.get(&name.value) {
        Some(&first) => dups.push(Duplicate {
            what,
            name: name.value.clone(),
            first: span_of(first),
            second: name.span,
        }),
        None => {
            table.insert(name.value.clone(), idx);
        }
    }
}

fn index_procedures(m: &mut Model) {
    let mut seen: HashMap<(String, Option<String>), Span> = HashMap::default();
    for (i, p) in m.procedures.iter_mut().enumerate() {
        let key = (
            p.ast.id.value.clone(),
            p.ast.version.as_ref().map(|v| v.value.clone()),
        );
        if let Some(&first) = seen.get(&key) {
            m.duplicates.push(Duplicate {
                what: "procedure",
                name: p.display_name(),
                first,
                second: p.ast.id.span,
            });
            continue;
        }
        seen.insert(key, p.ast.id.span);
        m.procedure_index
            .entry(p.ast.id.value.clone())
            .or_default()
            .push(i);
        let steps = &p.ast.steps;
        let mut table = HashMap::default();
        for (si, s) in steps.iter().enumerate() {
            define(&mut m.duplicates, &mut table, "step", &s.label, si, |f| {
                steps[f].label.span
            });
        }
        p.step_index = table;
    }
    for versions in m.procedure_index.values_mut() {
        let procs = &m.procedures;
        versions.sort_by(|&a, &b| {
            compare_versions(
                procs[a].version().unwrap_or(""),
                procs[b].version().unwrap_or(""),
            )
        });
    }
}

fn plan_tables(m: &mut Model, file: FileId, plan: ast::Plan) -> PlanModel {
    let horizon = plan.horizon.as_ref().and_then(|h| interval_of(m, h));
    let mut pm = PlanModel {
        id: plan.id,
        title: plan.title.map(|t| t.value),
        mission: plan.mission.map(|t| t.value),
        issue: plan.issue.map(|t| t.value),
        horizon,
        horizon_span: plan.horizon.as_ref().map(|h| h.span),
        notation: plan.notation,
        uses: plan.uses,
        span: plan.span,
        file,
        roles: Vec::new(),
        resources: plan.resources,
        windows: Vec::new(),
        phases: Vec::new(),
        activities: Vec::new(),
        activity_index: HashMap::default(),
        waivers: plan.waivers,
        role_index: HashMap::default(),
        resource_index: HashMap::default(),
        window_index: HashMap::default(),
        unread_windows: plan.unread_windows.into_iter().collect(),
        unread_window_file: plan.unread_window_file,
    };
    let mut spans: Vec<Span> = Vec::new();
    for r in plan.roles {
        let idx = pm.roles.len();
        spans.push(r.name.span);
        define(
            &mut m.duplicates,
            &mut pm.role_index,
            "role",
            &r.name,
            idx,
            |f| spans[f],
        );
        pm.roles.push(RoleModel {
            name: r.name,
            group: r.group,
        });
    }
    for (i, r) in pm.resources.iter().enumerate() {
        let res = &pm.resources;
        define(
            &mut m.duplicates,
            &mut pm.resource_index,
            "resource",
            &r.name,
            i,
            |f| res[f].name.span,
        );
    }
    spans.clear();
    for w in plan.windows {
        let idx = pm.windows.len();
        spans.push(w.name.span);
        define(
            &mut m.duplicates,
            &mut pm.window_index,
            "window",
            &w.name,
            idx,
            |f| spans[f],
        );
        pm.windows.push(WindowModel {
            decl: w,
            occurrences: Default::default(),
        });
    }
    let mut phase_index = HashMap::default();
    // Activities are boxed by lowering, so building the model moves pointers, not
    // 640-byte clauses.
    let total = plan.activities.len()
        + plan
            .phases
            .iter()
            .map(|p| p.activities.len())
            .sum::<usize>();
    let mut activities: Vec<(Option<usize>, Box<ast::Activity>)> = Vec::with_capacity(total);
    pm.activities.reserve_exact(total);
    pm.activity_index.reserve(total);
    spans.clear();
    for (pi, phase) in plan.phases.into_iter().enumerate() {
        let interval = phase.interval.as_ref().and_then(|i| interval_of(m, i));
        spans.push(phase.name.span);
        define(
            &mut m.duplicates,
            &mut phase_index,
            "phase",
            &phase.name,
            pi,
            |f| spans[f],
        );
        pm.phases.push(PhaseModel {
            name: phase.name,
            title: phase.title.map(|t| t.value),
            interval,
            span: phase.span,
        });
        activities.extend(phase.activities.into_iter().map(|a| (Some(pi), a)));
    }
    activities.extend(plan.activities.into_iter().map(|a| (None, a)));
    for (i, (phase, a)) in activities.into_iter().enumerate() {
        let spans = &pm.activities;
        match pm.activity_index.get(&a.id.value) {
            Some(&first) => m.duplicates.push(Duplicate {
                what: "activity",
                name: a.id.value.clone(),
                first: spans[first].ast.id.span,
                second: a.id.span,
            }),
            None => {
                pm.activity_index.insert(a.id.value.clone(), i);
            }
        }
        let n = a.relations.len();
        pm.activities.push(ActivityModel {
            ast: a,
            phase,
            time: TimeState::Unknown(Unknown::NoStart),
            procedure: None,
            relation_targets: vec![None; n],
        });
    }
    pm
}

/// A literal interval with both ends valid; records `end <= start` as a bad interval.
pub(super) fn interval_of(m: &mut Model, lit: &ast::IntervalLit) -> Option<Interval> {
    let (start, end) = (lit.start.value?, lit.end.value?);
    if end <= start {
        m.bad_intervals.push((
            lit.span,
            "the interval ends before it starts, or is empty".to_string(),
        ));
        return None;
    }
    Some(Interval::new(start, end))
}

/// Resolves a procedure reference to one version.
pub(super) fn resolve_procedure_ref(
    m: &Model,
    id: &str,
    version: Option<&str>,
) -> Result<ProcIdx, RefKind> {
    let versions = m.procedure_index.get(id).ok_or(RefKind::Procedure)?;
    if let Some(&p) = versions.iter().find(|&&p| m.procedures[p].incomplete) {
        return Ok(p);
    }
    match version {
        None => versions.last().copied().ok_or(RefKind::Procedure),
        Some(v) => versions
            .iter()
            .copied()
            .find(|&p| m.procedures[p].version() == Some(v))
            .ok_or(RefKind::ProcedureVersion),
    }
}

fn resolve_plan(m: &mut Model, pi: PlanIdx) {
    let plan = &m.plans[pi];
    let unknown: Vec<UnresolvedRef> = plan
        .waivers
        .iter()
        .flat_map(|w| &w.activities)
        .filter(|a| !plan.activity_index.contains_key(&a.value))
        .map(|a| UnresolvedRef {
            kind: RefKind::Activity,
            name: a.clone(),
            version: None,
            scope: Scope::Plan(pi),
        })
        .collect();
    m.unresolved.extend(unknown);
    // `roles FE-5, FE-6 in CREW`: the group is a role and must be declared too (once per
    // `roles` line, whose members share the group's name and span).
    let plan = &m.plans[pi];
    let mut seen_groups: HashSet<Span> = HashSet::default();
    let groups: Vec<UnresolvedRef> = plan
        .roles
        .iter()
        .filter_map(|r| r.group.as_ref())
        .filter(|g| !plan.role_index.contains_key(&g.value) && seen_groups.insert(g.span))
        .map(|g| UnresolvedRef {
            kind: RefKind::Role,
            name: g.clone(),
            version: None,
            scope: Scope::Plan(pi),
        })
        .collect();
    m.unresolved.extend(groups);
    for ai in 0..m.plans[pi].activities.len() {
        m.graph.node(Node::Activity {
            plan: pi,
            activity: ai,
        });
        let links = activity_links(m, pi, ai);
        m.unresolved.extend(links.unresolved);
        for (from, to, kind, span) in links.edges {
            m.graph.add_edge(from, to, kind, span);
        }
        let am = &mut m.plans[pi].activities[ai];
        am.relation_targets = links.targets;
        am.procedure = links.procedure;
    }
}

type EdgeSpec = (Node, Node, EdgeKind, Span);

/// What one activity's clauses resolve to; computed from a shared borrow of the model
/// so that no AST is cloned.
struct ActivityLinks {
    unresolved: Vec<UnresolvedRef>,
    edges: Vec<EdgeSpec>,
    targets: Vec<Option<ActIdx>>,
    procedure: Option<ProcIdx>,
}

fn activity_links(m: &Model, pi: PlanIdx, ai: ActIdx) -> ActivityLinks {
    let scope = Scope::Plan(pi);
    let plan = &m.plans[pi];
    let a = &plan.activities[ai].ast;
    let act_node = Node::Activity {
        plan: pi,
        activity: ai,
    };
    let mut unresolved = Vec::new();
    let mut missing = |kind: RefKind, name: &ast::Ident| {
        unresolved.push(UnresolvedRef {
            kind,
            name: name.clone(),
            version: None,
            scope,
        })
    };
    for role in &a.by {
        if !plan.role_index.contains_key(&role.value) {
            missing(RefKind::Role, role);
        }
    }
    for u in &a.uses {
        if !plan.resource_index.contains_key(&u.resource.value) {
            missing(RefKind::Resource, &u.resource);
        }
    }
    if let Some(needs) = &a.needs {
        for w in &needs.windows {
            if !plan.window_index.contains_key(&w.value) {
                missing(RefKind::Window, w);
            }
        }
    }
    let mut edges: Vec<EdgeSpec> = Vec::new();
    let mut targets = Vec::with_capacity(a.relations.len());
    for r in &a.relations {
        let target = plan.activity_index.get(&r.target.value).copied();
        match target {
            None => missing(RefKind::Activity, &r.target),
            Some(t) => {
                let other = Node::Activity {
                    plan: pi,
                    activity: t,
                };
                let (from, to) = match r.kind {
                    RelationKind::Before => (act_node.clone(), other),
                    _ => (other, act_node.clone()),
                };
                edges.push((from, to, EdgeKind::Relation(r.kind), r.span));
            }
        }
        targets.push(target);
    }
    for expr in [&a.at, &a.until].into_iter().flatten() {
        if let TimeExpr::Relative { activity, span, .. } = expr {
            match plan.activity_index.get(&activity.value) {
                None => missing(RefKind::Activity, activity),
                Some(&t) => edges.push((
                    Node::Activity {
                        plan: pi,
                        activity: t,
                    },
                    act_node.clone(),
                    EdgeKind::TimeReference,
                    *span,
                )),
            }
        }
    }
    for req in &a.covers {
        edges.push((
            act_node.clone(),
            Node::Requirement(req.id.value.clone()),
            EdgeKind::Covers,
            req.id.span,
        ));
    }
    let mut procedure = None;
    if let Some(pr) = &a.procedure {
        let version = pr.version.as_ref().map(|v| v.value.as_str());
        match resolve_procedure_ref(m, &pr.id.value, version) {
            Ok(p) => {
                procedure = Some(p);
                edges.push((act_node, Node::Procedure(p), EdgeKind::Runs, pr.span));
            }
            Err(kind) => unresolved.push(UnresolvedRef {
                kind,
                name: pr.id.clone(),
                version: pr.version.clone(),
                scope,
            }),
        }
    }
    ActivityLinks {
        unresolved,
        edges,
        targets,
        procedure,
    }
}

fn resolve_procedure(m: &mut Model, pi: ProcIdx) {
    m.graph.node(Node::Procedure(pi));
    if m.procedures[pi].incomplete {
        return;
    }
    let (unresolved, edges) = procedure_links(m, pi);
    m.unresolved.extend(unresolved);
    for (from, to, kind, span) in edges {
        m.graph.add_edge(from, to, kind, span);
    }
}

/// What one procedure's declarations and steps resolve to (see [`activity_links`]).
fn procedure_links(m: &Model, pi: ProcIdx) -> (Vec<UnresolvedRef>, Vec<EdgeSpec>) {
    let scope = Scope::Procedure(pi);
    let proc_node = Node::Procedure(pi);
    let p = &m.procedures[pi].ast;
    let mut unresolved = Vec::new();
    let check_roles = !m.plans.is_empty();
    let mut missing: Vec<(RefKind, ast::Ident)> = Vec::new();
    let mut edges: Vec<(Node, Node, EdgeKind, Span)> = Vec::new();
    if check_roles {
        for r in &p.roles {
            if !m.all_roles.contains(&r.value) {
                missing.push((RefKind::Role, r.clone()));
            }
        }
        if let Some(needs) = &p.requires_coverage {
            for w in &needs.windows {
                if !m.all_windows.contains(&w.value) {
                    missing.push((RefKind::Window, w.clone()));
                }
            }
        }
    }
    for req in &p.covers {
        edges.push((
            proc_node.clone(),
            Node::Requirement(req.id.value.clone()),
            EdgeKind::Covers,
            req.id.span,
        ));
    }
    if let Some(c) = &p.contingency {
        match resolve_procedure_ref(m, &c.id.value, c.version.as_ref().map(|v| v.value.as_str())) {
            Ok(t) => edges.push((
                proc_node.clone(),
                Node::Procedure(t),
                EdgeKind::Contingency,
                c.span,
            )),
            Err(kind) => unresolved.push(UnresolvedRef {
                kind,
                name: c.id.clone(),
                version: c.version.clone(),
                scope,
            }),
        }
    }
    let step_index = &m.procedures[pi].step_index;
    let mut calls: Vec<(ast::ProcRef, usize)> = Vec::new();
    for (si, step) in p.steps.iter().enumerate() {
        let step_node = Node::Step {
            procedure: pi,
            step: si,
        };
        edges.push((
            proc_node.clone(),
            step_node.clone(),
            EdgeKind::HasStep,
            step.label.span,
        ));
        for req in &step.covers {
            edges.push((
                step_node.clone(),
                Node::Requirement(req.id.value.clone()),
                EdgeKind::Covers,
                req.id.span,
            ));
        }
        // Only the step's last statement decides whether it falls through to the next.
        let falls_through = !matches!(
            step.statements.last().map(|s| &s.kind),
            Some(StatementKind::Goto(_) | StatementKind::Abort(_) | StatementKind::End)
        );
        for st in &step.statements {
            match &st.kind {
                StatementKind::Goto(label) => match step_index.get(&label.value) {
                    Some(&t) => edges.push((
                        step_node.clone(),
                        Node::Step {
                            procedure: pi,
                            step: t,
                        },
                        EdgeKind::Goto,
                        st.span,
                    )),
                    None => missing.push((RefKind::Step, label.clone())),
                },
                StatementKind::Call(r) => calls.push((r.clone(), si)),
                StatementKind::Poll { roles } if check_roles => {
                    for r in roles {
                        if !m.all_roles.contains(&r.value) {
                            missing.push((RefKind::Role, r.clone()));
                        }
                    }
                }
                StatementKind::Manual { role, .. }
                    if check_roles && !m.all_roles.contains(&role.value) =>
                {
                    missing.push((RefKind::Role, role.clone()));
                }
                _ => {}
            }
            match &st.on_fail {
                Some(FailAction::Goto(label)) => match step_index.get(&label.value) {
                    Some(&t) => edges.push((
                        step_node.clone(),
                        Node::Step {
                            procedure: pi,
                            step: t,
                        },
                        EdgeKind::OnFail,
                        st.span,
                    )),
                    None => missing.push((RefKind::Step, label.clone())),
                },
                Some(FailAction::Call(r)) => calls.push((r.clone(), si)),
                _ => {}
            }
        }
        if falls_through && si + 1 < p.steps.len() {
            edges.push((
                step_node,
                Node::Step {
                    procedure: pi,
                    step: si + 1,
                },
                EdgeKind::Next,
                step.span,
            ));
        }
    }
    for (r, si) in calls {
        match resolve_procedure_ref(m, &r.id.value, r.version.as_ref().map(|v| v.value.as_str())) {
            Ok(t) => {
                edges.push((
                    Node::Step {
                        procedure: pi,
                        step: si,
                    },
                    Node::Procedure(t),
                    EdgeKind::CallsFromStep,
                    r.span,
                ));
                edges.push((
                    proc_node.clone(),
                    Node::Procedure(t),
                    EdgeKind::Calls,
                    r.span,
                ));
            }
            // A version that does not exist of a procedure that does is R003, as for an
            // activity's `procedure`; no procedure of that name at all is P002.
            Err(kind) => unresolved.push(UnresolvedRef {
                kind: if kind == RefKind::ProcedureVersion {
                    kind
                } else {
                    RefKind::CallTarget
                },
                name: r.id.clone(),
                version: r.version.clone(),
                scope,
            }),
        }
    }
    unresolved.extend(missing.into_iter().map(|(kind, name)| UnresolvedRef {
        kind,
        name,
        version: None,
        scope,
    }));
    (unresolved, edges)
}
