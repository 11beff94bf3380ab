use crate::checks::{rule, Context, Reporter};
use crate::diag::{did_you_mean, Code, Diagnostic, Label};
use std::collections::BTreeSet;

rule! {
    /// ## What it does
    /// Reports a flight-rule selector value (`kind`, `tag`, `role` or `phase`) that no
    /// activity of the run has, when a value close to it exists: `kind: brun` when
    /// activities have `kind burn`, `kind: Burn` (case), `role: FSD` when the plans declare
    /// `FDS`. The rule then selects nothing through that value, so it is met however the
    /// plan is written. The finding points at the value in the rule file and gives the
    /// close one.
    ///
    /// A value that nothing has and nothing resembles is taken as intended and not
    /// reported: a rule about EVAs selects nothing in a week without an EVA. Values are
    /// gathered over every plan of the run (activities' kinds, tags and phases; the roles
    /// the plans declare), so a project-wide rule file is judged against all its plans.
    /// Activity ids (`id: "A4*"`) are patterns and are not judged.
    ///
    /// ## Why it matters
    /// A rule that selects nothing is silently met: a typo in a selector turns a rule about
    /// burns during eclipse into no rule at all, and the plan passes.
    ///
    /// ## Example
    /// ```yaml
    /// - id: GEO-FR-01
    ///   title: No station-keeping burn in eclipse
    ///   kind: forbidden_window
    ///   select: { kind: brun }     # the activities say `kind burn`
    ///   windows: [ECLIPSE]
    /// ```
    UnmatchedSelectorValue, Reporter::Check(check)
}

/// Every value a selector field can match in the run.
#[derive(Default)]
struct Values<'a> {
    kind: BTreeSet<&'a str>,
    tag: BTreeSet<&'a str>,
    role: BTreeSet<&'a str>,
    phase: BTreeSet<&'a str>,
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    if cx.flight.rules.is_empty() || cx.model.plans.is_empty() {
        return;
    }
    let mut v = Values::default();
    for plan in &cx.model.plans {
        v.role
            .extend(plan.roles.iter().map(|r| r.name.value.as_str()));
        v.phase
            .extend(plan.phases.iter().map(|p| p.name.value.as_str()));
        for a in &plan.activities {
            v.kind.extend(a.ast.kind.as_ref().map(|k| k.value.as_str()));
            v.tag.extend(a.ast.tags.iter().map(|t| t.value.as_str()));
            v.role.extend(a.ast.by.iter().map(|r| r.value.as_str()));
        }
    }
    for rule in &cx.flight.rules {
        let mut seen: BTreeSet<(&str, &str)> = BTreeSet::new();
        // Made on the rule's first finding: it indexes the words of the rule once.
        let mut locator: Option<crate::flight::RuleLocator> = None;
        for (key, sel) in rule.check.selectors() {
            for (field, wanted, have) in [
                ("kind", &sel.kind, &v.kind),
                ("tag", &sel.tag, &v.tag),
                ("role", &sel.role, &v.role),
                ("phase", &sel.phase, &v.phase),
            ] {
                for value in wanted {
                    if have.contains(value.as_str()) || !seen.insert((field, value.as_str())) {
                        continue;
                    }
                    let Some(close) = did_you_mean(value, have.iter().copied()) else {
                        continue;
                    };
                    let span = match cx.flight.sources {
                        Some(db) => locator
                            .get_or_insert_with(|| {
                                crate::flight::RuleLocator::new(db.text(rule.span.file), rule)
                            })
                            .locate(value, key),
                        None => rule.span,
                    };
                    out.push(
                        Diagnostic::new(
                            Code::UnmatchedSelectorValue,
                            format!(
                                "{} {} selects `{field}: {value}`, which no activity has: the rule selects nothing through it",
                                rule.id, rule.title
                            ),
                            Label::new(span, format!("no activity has {field} `{value}`")),
                        )
                        .with_help(close.did_you_mean())
                        .with_flight_rule(rule.id.clone(), &rule.traces),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::Code;
    use crate::workspace::check_texts;

    #[test]
    fn a_selector_value_close_to_an_existing_one_is_a_likely_typo() {
        let plan = r#"
            plan P {
              horizon 2014/273 00:00 .. 2014/274 00:00
              roles FDS, GC
              activity B1 { at 2014/273 10:00   lasts 10m   by GC    kind burn   tags propulsion }
              activity E1 { at 2014/273 12:00   lasts 10m   by FDS   kind od }
            }
        "#;
        let rules = "rules:
  - id: R1
    title: typo
    kind: min_separation
    select: { kind: brun }
    min: 1h
  - id: R2
    title: case
    kind: min_separation
    select: { kind: Burn, tag: propulsoin }
    min: 1h
  - id: R3
    title: role
    kind: min_separation
    select: { role: FSD }
    min: 1h
  - id: R4
    title: no EVA this week
    kind: min_separation
    select: { kind: eva }
    min: 1h
";
        let run = check_texts(&[("p.plan", plan), ("r.yaml", rules)]);
        let got: Vec<(String, Option<String>)> = run
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::UnmatchedSelectorValue)
            .map(|d| (d.message.clone(), d.help.clone()))
            .collect();
        let help = |s: &str| Some(format!("did you mean `{s}`?"));
        assert_eq!(
            got,
            [
                ("R1 typo selects `kind: brun`, which no activity has: the rule selects nothing through it".to_string(), help("burn")),
                ("R2 case selects `kind: Burn`, which no activity has: the rule selects nothing through it".to_string(), help("burn")),
                ("R2 case selects `tag: propulsoin`, which no activity has: the rule selects nothing through it".to_string(), help("propulsion")),
                ("R3 role selects `role: FSD`, which no activity has: the rule selects nothing through it".to_string(), help("FDS")),
            ],
            "{:#?}",
            run.diagnostics
        );
    }
}
