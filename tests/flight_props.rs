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

/// The F001 findings of one rule on the activities, and every other finding.
fn run(acts: &[Act], wins: &[(u32, u32)], rule: &str) -> usize {
    let mut plan = String::from(
        "plan P {\n  horizon 2014/272 00:00 .. 2014/275 00:00\n  roles GC\n  resource R capacity 2\n",
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
    let rules = format!("rules:\n  - id: R\n    title: t\n{rule}");
    let run = check_texts(&[("p.plan", &plan), ("r.yaml", &rules)]);
    let others: Vec<_> = run
        .diagnostics
        .iter()
        .filter(|d| d.code != Code::FlightRuleViolated)
        .collect();
    assert!(others.is_empty(), "{others:#?}");
    run.diagnostics.len()
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
    fn resource_capacity_reports_each_episode_over_capacity(acts in acts()) {
        let rule = "    kind: resource_capacity\n    resource: R\n";
        // Minute by minute: the level in [t, t + 1); an episode is a run of minutes over 2.
        let mut over = vec![false; 800];
        for (t, slot) in over.iter_mut().enumerate() {
            let t = t as u32;
            let level: u32 = acts
                .iter()
                .filter(|a| a.start <= t && t < a.start + a.len)
                .map(|a| a.amount)
                .sum();
            *slot = level > 2;
        }
        let episodes = over
            .iter()
            .enumerate()
            .filter(|&(t, &o)| o && (t == 0 || !over[t - 1]))
            .count();
        prop_assert_eq!(run(&acts, &[], rule), episodes);
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
