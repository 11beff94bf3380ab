use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::flight::RuleLocator;

rule! {
    /// ## What it does
    /// Reports a flight-rule file, or a rule in it, that cannot be used, at its YAML line
    /// and column.
    ///
    /// A problem in one rule skips that rule only, and its finding names it ("rule
    /// GEO-FR-07: unknown key `minimum`", or "the 3rd rule" when it has no id) and says
    /// "rule GEO-FR-07 is not evaluated"; every valid rule of the file is evaluated. The
    /// problems of a rule: an unknown key (with "did you mean"), a key the kind does not
    /// take, a key it needs, a missing `id`, `title` or `kind`, an unknown kind (the
    /// kinds are listed), a value of the wrong type, a negative or malformed duration, a
    /// `max_gap` below `min_gap`, a key given twice, an unknown selector key, an id
    /// defined twice in the file (the second definition is skipped) or in two files.
    /// Once the plans are read, a rule naming a window, resource or role that a plan
    /// does not declare is reported too (not a window that a `use windows` file of the
    /// plan would define but could not give: its `E005` says why).
    ///
    /// A file that cannot be read at all (not UTF-8, not YAML, an alias bomb, larger
    /// than 16 MiB, no `rules:` list) is one finding saying that none of its rules is
    /// evaluated. A file with no `rules` key at all that cannot be loaded is not a
    /// flight-rule file: its finding says what it starts with, and nothing of it is
    /// quoted. `opsplan check` exits with code 2 and says the check is incomplete,
    /// as does the verdict of `opsplan report consistency`.
    ///
    /// The keys every rule takes: `id`, `title`, `kind`, `description`, `traces`. The
    /// kinds and the other keys each takes (docs/flight-rules.md, "Kinds", tells what
    /// they mean):
    ///
    /// - `min_separation`: `select`, `min`
    /// - `no_overlap`: `a`, `b`, `margin`
    /// - `requires_window`: `select`, `windows`, `margin`
    /// - `forbidden_window`: `select`, `windows`, `margin`
    /// - `precedence`: `a`, `b`, `min_gap`, `max_gap`, `next_day`
    /// - `requires_preceding`: `select`, `preceding`, `min_gap`, `max_gap`
    /// - `requires_following`: `select`, `following`, `min_gap`, `max_gap`
    /// - `sequence`: `steps`, `max_gap`
    /// - `max_per_period`: `select`, `period`, `max_count`, `max_duration`
    /// - `resource_capacity`: `resource`, `select`, `max`
    /// - `crew_day`: `select`, `max_work`, `sleep`
    /// - `roles_required`: `select`, `all`, `any`
    ///
    /// A selector (`select`, `a`, `b`, `preceding`, `following`, each of `steps`) takes
    /// `kind`, `tag`, `role`, `critical`, `phase`, `id`.
    ///
    /// ## Why it matters
    /// A rule that cannot be read is a rule that is not checked: the plan must not look
    /// clean because its constraints were dropped, and one bad key must not drop the
    /// other rules of its file.
    ///
    /// ## Example
    /// ```text
    /// - id: FR-01
    ///   title: Critical activities need relay coverage
    ///   kind: requires_window
    ///   select: { critical: true }
    ///   windows: [ART, TDSR]        // no window TDSR in the plan
    ///   margin: -15m                // negative
    /// - id: FR-02
    ///   title: OCS burns at least 3 h apart
    ///   kind: min_separation
    ///   minimum: 3h                 // unknown key: did you mean `min`?
    /// ```
    InvalidFlightRuleFile, Reporter::Check(check)
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::BTreeSet::new();
    // One locator per rule with findings: it indexes the words of the rule once.
    let mut locators: rustc_hash::FxHashMap<usize, RuleLocator> = Default::default();
    for m in &cx.flight.evaluation.missing {
        let rule = cx.flight.rules[m.rule];
        let plan = &cx.model.plans[m.plan];
        // A window of a `use windows` file that could not be read: its E005 says why.
        if m.what == "window" && plan.window_unread(&m.name) {
            continue;
        }
        if !seen.insert((m.rule, m.name.clone())) {
            continue;
        }
        let span = match cx.flight.sources {
            Some(db) => locators
                .entry(m.rule)
                .or_insert_with(|| RuleLocator::new(db.text(rule.span.file), rule))
                .locate(&m.name, m.key),
            None => rule.span,
        };
        out.push(
            Diagnostic::new(
                Code::InvalidFlightRuleFile,
                format!(
                    "flight rule `{}` names {} `{}`, which plan {} does not declare",
                    rule.id, m.what, m.name, plan.id.value
                ),
                Label::new(span, format!("unknown {}", m.what)),
            )
            .with_secondary(Label::new(plan.id.span, "this plan"))
            .with_flight_rule(rule.id.clone(), &rule.traces),
        );
    }
}

#[cfg(test)]
mod tests {
    /// `opsplan rule F003` lists the keys of every kind as the loader has them.
    #[test]
    fn the_documentation_lists_the_keys_of_every_kind() {
        let doc = super::RULE.documentation();
        let common: Vec<String> = crate::flight::COMMON_KEYS
            .iter()
            .map(|k| format!("`{k}`"))
            .collect();
        assert!(doc.contains(&format!("every rule takes: {}.", common.join(", "))));
        for (kind, keys) in crate::flight::KINDS {
            let keys: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
            let line = format!("- `{kind}`: {}\n", keys.join(", "));
            assert!(doc.contains(&line), "{line}");
        }
        let selector: Vec<String> = crate::flight::SELECTOR_KEYS
            .iter()
            .map(|k| format!("`{k}`"))
            .collect();
        assert!(doc.contains(&selector.join(", ")));
    }
}
