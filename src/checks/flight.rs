//! Flight rules in the check: the evaluation of every rule against every plan, done
//! once, and which violations the plans' waivers cover. The F-rules under `rules/` turn
//! this into findings.

use crate::flight::{evaluate, Evaluation, FlightRule, RuleSet, Violation};
use crate::model::{Model, PlanIdx};
use crate::source::SourceDb;
use crate::time::Interval;

/// The flight rules of a run and their evaluation.
#[derive(Default)]
pub struct FlightState<'a> {
    pub rules: Vec<&'a FlightRule>,
    /// The sources, to locate names inside rule files.
    pub sources: Option<&'a SourceDb>,
    pub evaluation: Evaluation,
    /// For each violation: the waiver covering it, as (plan, waiver index).
    pub waived_by: Vec<Option<(PlanIdx, usize)>>,
    /// For each plan, for each of its waivers: whether it covers a violation.
    pub waiver_used: Vec<Vec<bool>>,
    /// The rules that are written but not evaluated: a waiver naming one is neither
    /// undefined (F006) nor unused (F005); the F003 that skipped the rule says why.
    pub not_evaluated: NotEvaluated<'a>,
}

/// The rules of a run that are not evaluated.
#[derive(Debug, Default)]
pub struct NotEvaluated<'a> {
    /// The ids of the rules skipped for a problem (F003), sorted.
    pub ids: Vec<&'a str>,
    /// A rule file could not be read at all (not YAML, unreadable, no `rules:` list, a
    /// `use rules` path that names no file): any id may be one of its rules.
    pub unknown_rules: bool,
}

impl<'a> NotEvaluated<'a> {
    pub fn of(sets: &'a [RuleSet]) -> Self {
        let mut ids: Vec<&str> = sets
            .iter()
            .flat_map(|s| &s.skipped)
            .filter_map(|r| r.id.as_deref())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        NotEvaluated {
            ids,
            unknown_rules: sets.iter().any(|s| s.unreadable),
        }
    }

    /// Whether `id` is a rule that is written (or may be) but not evaluated.
    pub fn may_be(&self, id: &str) -> bool {
        self.unknown_rules || self.is_skipped(id)
    }

    /// Whether `id` is a rule skipped for a problem.
    pub fn is_skipped(&self, id: &str) -> bool {
        self.ids.binary_search(&id).is_ok()
    }
}

impl<'a> FlightState<'a> {
    pub fn new(model: &Model, rules: Vec<&'a FlightRule>, sources: Option<&'a SourceDb>) -> Self {
        let evaluation = evaluate(model, &rules);
        let mut waiver_used: Vec<Vec<bool>> = model
            .plans
            .iter()
            .map(|p| vec![false; p.waivers.len()])
            .collect();
        let waived_by = evaluation
            .violations
            .iter()
            .map(|v| {
                let rule = &rules[v.rule];
                let plan = &model.plans[v.plan];
                let names: Vec<&str> = v
                    .activities
                    .iter()
                    .map(|&a| plan.activities[a].ast.id.value.as_str())
                    .collect();
                let hit = plan.waivers.iter().position(|w| {
                    w.rule.value == rule.id
                        && w.activities
                            .iter()
                            .any(|a| names.contains(&a.value.as_str()))
                })?;
                waiver_used[v.plan][hit] = true;
                Some((v.plan, hit))
            })
            .collect();
        FlightState {
            rules,
            sources,
            evaluation,
            waived_by,
            waiver_used,
            not_evaluated: NotEvaluated::default(),
        }
    }

    pub fn rule_of(&self, v: &Violation) -> &FlightRule {
        self.rules[v.rule]
    }
}

/// "2014/275 14:25 .. 2014/276 13:42" in the plan's notation.
pub(crate) fn interval_note(model: &Model, plan: PlanIdx, iv: Option<Interval>) -> Option<String> {
    let iv = iv?;
    Some(format!("when: {}", iv.format(model.plans[plan].notation)))
}

/// The finding for one violation, as `code` (F001, or F004 when waived).
pub(crate) fn violation_diagnostic(
    model: &Model,
    state: &FlightState,
    index: usize,
    code: crate::diag::Code,
) -> crate::diag::Diagnostic {
    use crate::diag::{Diagnostic, Label};
    let v = &state.evaluation.violations[index];
    let rule = state.rule_of(v);
    let plan = &model.plans[v.plan];
    let main = &plan.activities[v.activities[0]].ast;
    let message = format!("{} {}: {}", rule.id, rule.title, v.detail);
    let mut d = Diagnostic::new(
        code,
        message,
        Label::new(main.id.span, format!("breaks {}", rule.id)),
    );
    for &other in &v.activities[1..] {
        let a = &plan.activities[other].ast;
        d = d.with_secondary(Label::new(a.id.span, "involved"));
    }
    d = d.with_secondary(Label::new(rule.span, format!("rule {}", rule.id)));
    if let Some(note) = interval_note(model, v.plan, v.interval) {
        d = d.with_note(note);
    }
    if !rule.traces.is_empty() {
        d = d.with_note(format!("traces to {}", rule.traces.join(", ")));
    }
    if let Some((p, w)) = state.waived_by[index] {
        let waiver = &model.plans[p].waivers[w];
        d = d.with_secondary(Label::new(
            waiver.span,
            format!("waived, ref {}", waiver.reference.value),
        ));
    }
    d.with_flight_rule(rule.id.clone(), &rule.traces)
        .with_interval(v.interval)
}
