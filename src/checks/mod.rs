//! The rule registry. One file per rule under `rules/`, each documented in place with
//! fixed headings (What it does / Why it matters / Example); the same text feeds
//! `opsplan rule CODE` and `docs/rules.md`. Rules read the model and return findings;
//! they print nothing.

pub mod flight;
pub mod rules;
pub mod scenario;
pub(crate) mod staffing;

use crate::diag::{Code, Diagnostic, Label, Suggester, Suggestion};
use crate::model::{Model, RefKind, Scope};
pub use flight::{FlightState, NotEvaluated};

/// What a rule sees.
pub struct Context<'a> {
    pub model: &'a Model,
    /// The flight rules of the run, evaluated once (empty when there are none).
    pub flight: FlightState<'a>,
}

/// Which phase reports a code.
#[derive(Debug, Clone, Copy)]
pub enum Reporter {
    /// Reported while parsing (`syntax`).
    Parser,
    /// Reported while reading inputs (`workspace`).
    Loader,
    /// Reported by tracing to requirement exports (`trace`).
    Trace,
    /// Reported by this rule's `check` over the model.
    Check(fn(&Context, &mut Vec<Diagnostic>)),
}

/// A registered rule: its code, its documentation and what reports it.
#[derive(Clone, Copy)]
pub struct RuleEntry {
    pub code: Code,
    /// Markdown with the headings `## What it does`, `## Why it matters`, `## Example`.
    pub doc: &'static str,
    pub reporter: Reporter,
}

impl RuleEntry {
    /// The documentation with the one leading space of each `///` line removed.
    pub fn documentation(&self) -> String {
        self.doc
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string()
    }
}

/// Declares a rule file's entry; the doc comments become its documentation.
macro_rules! rule {
    ($(#[doc = $doc:literal])* $code:ident, $reporter:expr) => {
        pub const RULE: $crate::checks::RuleEntry = $crate::checks::RuleEntry {
            code: $crate::diag::Code::$code,
            doc: concat!($($doc, "\n"),*),
            reporter: $reporter,
        };
    };
}
pub(crate) use rule;

/// Every rule, in code-table order.
pub fn registry() -> &'static [RuleEntry] {
    rules::ALL
}

/// The entry for a code.
pub fn rule_for(code: Code) -> Option<&'static RuleEntry> {
    registry().iter().find(|r| r.code == code)
}

/// The documentation of a rule, as `opsplan rule CODE` prints it and the language
/// server's hover shows it: code, name, severity, summary, then the rule file's text.
pub fn documentation(code: Code) -> Option<String> {
    let info = code.info();
    let entry = rule_for(code)?;
    Some(format!(
        "# {} {} ({})\n\n{}\n\n{}",
        info.code,
        info.name,
        info.severity.as_str(),
        info.summary,
        entry.documentation()
    ))
}

/// Runs every model rule and returns their findings (unsorted).
pub fn run(model: &Model) -> Vec<Diagnostic> {
    run_with(model, FlightState::default())
}

/// Runs every model rule, with flight rules, and returns their findings (unsorted).
pub fn run_with<'a>(model: &'a Model, flight: FlightState<'a>) -> Vec<Diagnostic> {
    let cx = Context { model, flight };
    // Rules are independent readers of the model: run them side by side; the findings
    // keep the registry's order.
    let checks: Vec<_> = registry()
        .iter()
        .filter_map(|rule| match rule.reporter {
            Reporter::Check(check) => Some(check),
            _ => None,
        })
        .collect();
    crate::par::map_ordered(&checks, |check| {
        let mut out = Vec::new();
        check(&cx, &mut out);
        out
    })
    .into_iter()
    .flatten()
    .collect()
}

/// Shared by the `undefined-*` rules: one diagnostic per unresolved name of `kind`.
pub(crate) fn report_unresolved(
    cx: &Context,
    kind: RefKind,
    code: Code,
    what: &str,
    out: &mut Vec<Diagnostic>,
) {
    let m = cx.model;
    // A window of a `use windows` file that could not be read is not reported again:
    // the file's E005 says why it is missing.
    let unread = |r: &&crate::model::UnresolvedRef| {
        kind == RefKind::Window
            && match r.scope {
                Scope::Plan(p) => m.plans[p].window_unread(&r.name.value),
                Scope::Procedure(_) => m.plans.iter().any(|p| p.window_unread(&r.name.value)),
            }
    };
    let refs: Vec<_> = m
        .unresolved
        .iter()
        .filter(|r| r.kind == kind)
        .filter(|r| !unread(r))
        .collect();
    // One candidate list per scope, and the suggestions of a scope's references asked
    // together (the deletion index when there are many: `diag::Suggester`).
    let mut by_scope: rustc_hash::FxHashMap<Scope, Vec<usize>> = Default::default();
    for (i, r) in refs.iter().enumerate() {
        by_scope.entry(r.scope).or_default().push(i);
    }
    let mut names_of: rustc_hash::FxHashMap<Scope, Vec<&str>> = Default::default();
    let mut suggestions: Vec<Option<Suggestion>> = vec![None; refs.len()];
    for (scope, idx) in &by_scope {
        let names = m.names(kind, *scope);
        let queries: Vec<&str> = idx.iter().map(|&i| refs[i].name.value.as_str()).collect();
        let answers = Suggester::new(names.clone()).suggest_all(&queries);
        for (&i, a) in idx.iter().zip(answers) {
            suggestions[i] = a;
        }
        names_of.insert(*scope, names);
    }
    for (r, suggestion) in refs.iter().zip(&suggestions) {
        let names = &names_of[&r.scope];
        let place = match r.scope {
            Scope::Plan(p) => format!("plan {}", m.plans[p].id.value),
            Scope::Procedure(p) => format!("procedure {}", m.procedures[p].display_name()),
        };
        let label = match kind {
            RefKind::Activity => format!("no activity `{}` in {place}", r.name.value),
            RefKind::Role | RefKind::Resource | RefKind::Window => match r.scope {
                Scope::Plan(_) => format!("not declared in {place}"),
                Scope::Procedure(_) => "not declared by any plan".to_string(),
            },
            RefKind::Step => format!("no step `{}` in {place}", r.name.value),
            _ => "no procedure library defines it".to_string(),
        };
        let mut d = Diagnostic::new(
            code,
            format!("undefined {what} `{}`", r.name.value),
            Label::new(r.name.span, label),
        );
        if kind == RefKind::Role {
            d = d.with_help(role_help(m, r, suggestion.as_ref()));
        } else if let Some(s) = suggestion {
            d = d.with_help(s.did_you_mean());
        } else if kind == RefKind::Step && !names.is_empty() {
            d = d.with_help(format!("the steps are {}", names.join(", ")));
        }
        out.push(d);
    }
}

/// An undefined role may be a slip or a role nobody declared yet. A slip (the name of a
/// declared role in another case, with a confusable character or two adjacent characters
/// swapped: `GCS` for `GSC`) gets only "did you mean". A weaker match (`MCC-N` for
/// `MCC-M`, but also `FE-7` beside `FE-5`, `FE-6`) gets both answers, the declaration in
/// the group of the suggested roles when they share one (`roles FE-7 in CREW`). No close
/// name: the declaration alone.
fn role_help(
    m: &Model,
    r: &crate::model::UnresolvedRef,
    suggestion: Option<&Suggestion>,
) -> String {
    let name = &r.name.value;
    // By each plan's role index: no scan of the roles per reference.
    let group_of = |role: &str| {
        let in_plan = |p: &crate::model::PlanModel| {
            let d = &p.roles[*p.role_index.get(role)?];
            d.group.as_ref().map(|g| g.value.clone())
        };
        match r.scope {
            Scope::Plan(p) => in_plan(&m.plans[p]),
            Scope::Procedure(_) => m.plans.iter().find_map(in_plan),
        }
    };
    let place = match r.scope {
        Scope::Plan(_) => "",
        Scope::Procedure(_) => " in a plan",
    };
    match suggestion {
        Some(s) if s.is_slip() => s.did_you_mean(),
        Some(s) => {
            let groups: Vec<Option<String>> = s.names().iter().map(|n| group_of(n)).collect();
            let declaration = match groups.split_first() {
                Some((Some(g), rest)) if rest.iter().all(|o| o.as_ref() == Some(g)) => {
                    format!("`roles {name} in {g}`")
                }
                _ => format!("`roles {name}`"),
            };
            format!(
                "{} If `{name}` is a new role, declare it{place}: {declaration}",
                s.did_you_mean()
            )
        }
        None => format!("declare it{place}: `roles {name}`"),
    }
}
