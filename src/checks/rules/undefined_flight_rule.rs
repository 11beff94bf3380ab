use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label, Suggester};

rule! {
    /// ## What it does
    /// Reports a `waive` whose rule id no flight-rule file of the run defines, with a
    /// "did you mean" among the ids that exist.
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
    let suggest = Suggester::new(ids.clone(), 1);
    for plan in &cx.model.plans {
        for w in &plan.waivers {
            if ids.contains(&w.rule.value.as_str()) {
                continue;
            }
            let mut d = Diagnostic::new(
                Code::UndefinedFlightRule,
                format!(
                    "waiver names flight rule `{}`, which no rule file defines",
                    w.rule.value
                ),
                Label::new(w.rule.span, "unknown flight rule"),
            );
            d = match suggest.suggest(&w.rule.value) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None if ids.is_empty() => d.with_help(
                    "no flight rules are loaded: add `use rules \"…\"` to the plan or `rules:` to opsplan.yaml",
                ),
                None => d,
            };
            out.push(d);
        }
    }
}
