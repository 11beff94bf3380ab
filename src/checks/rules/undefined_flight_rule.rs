use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label, Suggester};

rule! {
    /// ## What it does
    /// Reports a `waive` whose rule id no flight-rule file of the run defines, with a
    /// "did you mean" among the ids that exist.
    ///
    /// A waiver is not reported when its rule is written but not evaluated: a rule whose
    /// definition has a problem (its `id:` is known, and its `F003` says what is wrong),
    /// or any rule at all when a rule file could not be read (not YAML, unreadable, no
    /// `rules:` list, a `use rules` path that names no file): its rules are unknown, so
    /// the waiver may well be right, and the `F003` (or `R008`) already fails the check.
    ///
    /// ## Why it matters
    /// A waiver for a misspelt rule waives nothing: the violation it was approved for is
    /// still reported, and the approval reference is lost from the report.
    ///
    /// ## Example
    /// ```text
    /// waive FR-6 for A25 ref "CR-276-01"    // the rule is FR-06
    /// ```
    UndefinedFlightRule, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let ids: Vec<&str> = cx.flight.rules.iter().map(|r| r.id.as_str()).collect();
    let known: rustc_hash::FxHashSet<&str> = ids.iter().copied().collect();
    // Defined, or written in a rule that is not evaluated (its F003 says why): not F006.
    let unknown: Vec<_> = cx
        .model
        .plans
        .iter()
        .flat_map(|p| &p.waivers)
        .filter(|w| {
            !known.contains(w.rule.value.as_str()) && !cx.flight.not_evaluated.may_be(&w.rule.value)
        })
        .collect();
    let queries: Vec<&str> = unknown.iter().map(|w| w.rule.value.as_str()).collect();
    let suggestions = Suggester::new(ids.clone()).suggest_all(&queries);
    for (w, suggestion) in unknown.into_iter().zip(suggestions) {
        let d = Diagnostic::new(
            Code::UndefinedFlightRule,
            format!(
                "waiver names flight rule `{}`, which no rule file defines",
                w.rule.value
            ),
            Label::new(w.rule.span, "unknown flight rule"),
        );
        out.push(match suggestion {
            Some(s) => d.with_help(s.did_you_mean()),
            None if ids.is_empty() => d.with_help(
                "no flight rules are loaded: add `use rules \"…\"` to the plan or `rules:` to opsplan.yaml",
            ),
            None => d,
        });
    }
}
