//! The flight-rule sweeps against brute force: on random small plans, the O(n log n)
//! evaluation finds exactly what a quadratic (or minute-by-minute) check finds.

use opsplan::diag::Code;
use opsplan::workspace::check_texts;
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Act {
    start: u32,
    len: u32,
    kind_a: bool,
    amount: u32,
}

fn clock(min: u32) -> String {
    format!("2014/273 {:02}:{:02}", min / 60, min % 60)
}

fn acts() -> impl Strategy<Value = Vec<Act>> {
    prop::collection::vec(
        (0u32..600, 1u32..120, any::<bool>(), 1u32..3).prop_map(|(start, len, kind_a, amount)| {
            Act {
                start,
                len,
                kind_a,
                amount,
            }
        }),
        1..12,
    )
}

fn windows() -> impl Strategy<Value = Vec<(u32, u32)>> {
    prop::collection::vec((0u32..700, 1u32..150).prop_map(|(s, l)| (s, s + l)), 0..5)
}

/// The plan of the activities, with the list window `W` and a resource `R` of `capacity`.
fn plan_text(acts: &[Act], wins: &[(u32, u32)], capacity: u32, extra: &str) -> String {
    let mut plan = format!(
        "plan P {{\n  horizon 2014/272 00:00 .. 2014/275 00:00\n  roles GC\n  resource R capacity {capacity}\n"
    );
    if !wins.is_empty() {
        let list: Vec<String> = wins
            .iter()
            .map(|&(s, e)| format!("{} .. {}", clock(s), clock(e)))
            .collect();
        plan.push_str(&format!("  window W {}\n", list.join(", ")));
    } else {
        plan.push_str("  window W 2014/280 00:00 .. 2014/280 00:01\n");
    }
    plan.push_str(extra);
    for (i, a) in acts.iter().enumerate() {
        plan.push_str(&format!(
            "  activity X{i} {{ at {} lasts {}m by GC kind {} uses R {} }}\n",
            clock(a.start),
            a.len,
            if a.kind_a { "ka" } else { "kb" },
            a.amount
        ));
    }
    plan.push_str("}\n");
    plan
}

/// The findings of one rule on the activities (with `R` of `capacity`), by code; any
/// other finding fails the test.
fn run_codes(acts: &[Act], wins: &[(u32, u32)], rule: &str, capacity: u32) -> (usize, usize) {
    let plan = plan_text(acts, wins, capacity, "");
    let rules = format!("rules:\n  - id: R\n    title: t\n{rule}");
    let run = check_texts(&[("p.plan", &plan), ("r.yaml", &rules)]);
    let count = |c: Code| run.diagnostics.iter().filter(|d| d.code == c).count();
    let others: Vec<_> = run
        .diagnostics
        .iter()
        .filter(|d| d.code != Code::FlightRuleViolated && d.code != Code::ResourceCapacityExceeded)
        .collect();
    assert!(others.is_empty(), "{others:#?}");
    (
        count(Code::FlightRuleViolated),
        count(Code::ResourceCapacityExceeded),
    )
}

/// The F001 findings of one rule on the activities (the resource has room for all).
fn run(acts: &[Act], wins: &[(u32, u32)], rule: &str) -> usize {
    let (f001, t008) = run_codes(acts, wins, rule, 100);
    assert_eq!(t008, 0);
    f001
}

/// Minute by minute, the units of `R` in use in `[t, t + 1)`.
fn levels(acts: &[Act]) -> Vec<u32> {
    (0..800u32)
        .map(|t| {
            acts.iter()
                .filter(|a| a.start <= t && t < a.start + a.len)
                .map(|a| a.amount)
                .sum()
        })
        .collect()
}

/// The maximal runs of minutes where `over` holds, as (first, last + 1).
fn runs(over: &[bool]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut t = 0;
    while t < over.len() {
        if over[t] {
            let from = t;
            while t < over.len() && over[t] {
                t += 1;
            }
            out.push((from, t));
        } else {
            t += 1;
        }
    }
    out
}

/// Windows of intervals for `needs`: `W` and `V`.
fn needs_plan(acts: &[(u32, u32, u8)], w: &[(u32, u32)], v: &[(u32, u32)]) -> String {
    let list = |wins: &[(u32, u32)]| -> String {
        if wins.is_empty() {
            "2014/280 00:00 .. 2014/280 00:01".to_string()
        } else {
            wins.iter()
                .map(|&(s, e)| format!("{} .. {}", clock(s), clock(e)))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let mut plan = format!(
        "plan P {{\n  horizon 2014/272 00:00 .. 2014/275 00:00\n  roles GC\n  window W {}\n  window V {}\n",
        list(w),
        list(v)
    );
    for (i, &(start, len, mode)) in acts.iter().enumerate() {
        let needs = match mode {
            0 => "W",
            1 => "W & V",
            _ => "W | V",
        };
        plan.push_str(&format!(
            "  activity N{i} {{ at {} lasts {len}m by GC needs {needs} }}\n",
            clock(start)
        ));
    }
    plan.push_str("}\n");
    plan
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn no_overlap_reports_every_overlapping_pair_once(acts in acts(), margin in prop::sample::select(vec![0u32, 5, 30])) {
        let rule = format!("    kind: no_overlap\n    a: {{ kind: ka }}\n    b: {{ kind: kb }}\n    margin: {margin}m\n");
        let mut pairs = 0;
        for x in acts.iter().filter(|a| a.kind_a) {
            let (lo, hi) = (x.start as i64 - margin as i64, (x.start + x.len + margin) as i64);
            for y in acts.iter().filter(|a| !a.kind_a) {
                if lo < (y.start + y.len) as i64 && (y.start as i64) < hi {
                    pairs += 1;
                }
            }
        }
        prop_assert_eq!(run(&acts, &[], &rule), pairs);
    }

    #[test]
    fn min_separation_reports_each_activity_too_close_to_an_earlier_one(acts in acts(), min in prop::sample::select(vec![0u32, 10, 60])) {
        let rule = format!("    kind: min_separation\n    select: {{ kind: ka }}\n    min: {min}m\n");
        let mut sel: Vec<(u32, u32, usize)> = acts
            .iter()
            .enumerate()
            .filter(|(_, a)| a.kind_a)
            .map(|(i, a)| (a.start, a.start + a.len, i))
            .collect();
        sel.sort();
        let mut expected = 0;
        for j in 1..sel.len() {
            if (0..j).any(|i| (sel[j].0 as i64) - (sel[i].1 as i64) < min as i64) {
                expected += 1;
            }
        }
        prop_assert_eq!(run(&acts, &[], &rule), expected);
    }

    #[test]
    fn capacity_is_checked_by_the_language_and_a_rule_restating_it_adds_nothing(acts in acts()) {
        // `resource R capacity 2`: T008 reports each run of minutes over 2; the rule that
        // only restates the declared capacity reports nothing on top.
        let rule = "    kind: resource_capacity\n    resource: R\n";
        let level = levels(&acts);
        let over: Vec<bool> = level.iter().map(|&l| l > 2).collect();
        prop_assert_eq!(run_codes(&acts, &[], rule, 2), (0, runs(&over).len()));
    }

    #[test]
    fn a_stricter_capacity_rule_reports_only_what_the_declaration_allows(acts in acts()) {
        // Capacity 2, rule max 1: the rule reports a run over 1 unless every minute of it
        // is over 2 (then T008 has it already); T008 reports the runs over 2.
        let rule = "    kind: resource_capacity\n    resource: R\n    max: 1\n";
        let level = levels(&acts);
        let over1: Vec<bool> = level.iter().map(|&l| l > 1).collect();
        let over2: Vec<bool> = level.iter().map(|&l| l > 2).collect();
        let rule_runs = runs(&over1)
            .into_iter()
            .filter(|&(a, b)| (a..b).any(|t| level[t] <= 2))
            .count();
        prop_assert_eq!(run_codes(&acts, &[], rule, 2), (rule_runs, runs(&over2).len()));
    }

    #[test]
    fn needs_is_met_exactly_when_one_occurrence_holds_the_activity(
        acts in prop::collection::vec((0u32..600, 1u32..120, 0u8..3), 1..10),
        w in windows(),
        v in windows(),
    ) {
        let plan = needs_plan(&acts, &w, &v);
        let run = check_texts(&[("p.plan", &plan)]);
        let others: Vec<_> = run.diagnostics.iter().filter(|d| d.code != Code::NeedsNotMet).collect();
        prop_assert!(others.is_empty(), "{:#?}", others);
        // Minute by minute: inside one occurrence of a window (occurrences that overlap
        // or touch are one) means every minute of the activity is covered by it.
        let inside = |wins: &[(u32, u32)], s: u32, len: u32| {
            (s..s + len).all(|t| wins.iter().any(|&(a, b)| a <= t && t < b))
        };
        let expected: Vec<String> = acts
            .iter()
            .enumerate()
            .filter(|&(_, &(s, len, mode))| match mode {
                0 => !inside(&w, s, len),
                1 => !(inside(&w, s, len) && inside(&v, s, len)),
                _ => !(inside(&w, s, len) || inside(&v, s, len)),
            })
            .map(|(i, _)| format!("N{i}"))
            .collect();
        let mut got: Vec<String> = run
            .diagnostics
            .iter()
            .map(|d| d.message.split(' ').next().unwrap_or_default().to_string())
            .collect();
        got.sort_by_key(|n| n[1..].parse::<usize>().unwrap_or(0));
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn requires_window_reports_each_activity_not_wholly_covered(acts in acts(), wins in windows(), margin in prop::sample::select(vec![0u32, 5])) {
        let rule = format!("    kind: requires_window\n    select: {{ kind: ka }}\n    windows: [W]\n    margin: {margin}m\n");
        let covered = |t: i64| wins.iter().any(|&(s, e)| (s as i64) <= t && t < e as i64);
        let expected = acts
            .iter()
            .filter(|a| a.kind_a)
            .filter(|a| {
                let lo = a.start as i64 - margin as i64;
                let hi = (a.start + a.len + margin) as i64;
                (lo..hi).any(|t| !covered(t))
            })
            .count();
        prop_assert_eq!(run(&acts, &wins, &rule), expected);
    }

    #[test]
    fn forbidden_window_reports_each_activity_sharing_time_with_it(acts in acts(), wins in windows()) {
        let rule = "    kind: forbidden_window\n    select: { kind: ka }\n    windows: [W]\n";
        let expected = acts
            .iter()
            .filter(|a| a.kind_a)
            .filter(|a| (a.start..a.start + a.len).any(|t| wins.iter().any(|&(s, e)| s <= t && t < e)))
            .count();
        prop_assert_eq!(run(&acts, &wins, rule), expected);
    }

    #[test]
    fn requires_preceding_reports_each_activity_without_one(acts in acts(), max in prop::sample::select(vec![0u32, 30, 120])) {
        let rule = format!("    kind: requires_preceding\n    select: {{ kind: ka }}\n    preceding: {{ kind: kb }}\n    min_gap: 0m\n    max_gap: {max}m\n");
        let expected = acts
            .iter()
            .filter(|b| b.kind_a)
            .filter(|b| {
                !acts.iter().any(|a| {
                    let end = a.start + a.len;
                    !a.kind_a && end <= b.start && b.start - end <= max
                })
            })
            .count();
        prop_assert_eq!(run(&acts, &[], &rule), expected);
    }

    #[test]
    fn max_per_period_finds_a_violation_exactly_when_a_window_holds_too_many(acts in acts()) {
        let rule = "    kind: max_per_period\n    select: { kind: ka }\n    period: 1h\n    max_count: 2\n";
        let starts: Vec<u32> = acts.iter().filter(|a| a.kind_a).map(|a| a.start).collect();
        let crowded = starts
            .iter()
            .any(|&t| starts.iter().filter(|&&u| t <= u && u < t + 60).count() > 2);
        prop_assert_eq!(run(&acts, &[], rule) > 0, crowded);
    }
}
