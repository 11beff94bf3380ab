//! Every flight-rule kind at its boundary: exactly at the margin or gap (the documented
//! bound, see docs/flight-rules.md) and one minute past it.

use opsplan::diag::Code;
use opsplan::workspace::{check_texts, Verdict};

const HEAD: &str = r#"
plan P {
  horizon 2014/272 00:00 .. 2014/280 00:00
  roles FD, GC, MCC-M, CREW
  roles FE-5, FE-6 in CREW
  resource GROUND-CHAIN capacity 2
  window W 2014/273 09:45 .. 2014/273 10:35
  window SLEEP daily 21:30 .. 06:00
"#;

/// The F001 messages for a plan body and one rule.
fn violations(body: &str, rule: &str) -> Vec<String> {
    let plan = format!("{HEAD}{body}\n}}\n");
    let rules = format!("rules:\n  - id: R\n    title: the rule\n{rule}");
    let run = check_texts(&[("p.plan", &plan), ("r.yaml", &rules)]);
    let other: Vec<_> = run
        .diagnostics
        .iter()
        .filter(|d| d.code != Code::FlightRuleViolated)
        .collect();
    assert!(other.is_empty(), "unexpected findings: {other:#?}");
    run.diagnostics.iter().map(|d| d.message.clone()).collect()
}

fn passes(body: &str, rule: &str) {
    let v = violations(body, rule);
    assert!(v.is_empty(), "expected no violation, got {v:#?}");
}

fn fails(body: &str, rule: &str) -> String {
    let v = violations(body, rule);
    assert_eq!(v.len(), 1, "expected one violation, got {v:#?}");
    v[0].clone()
}

fn act(id: &str, at: &str, lasts: &str, extra: &str) -> String {
    format!("  activity {id} {{ at 2014/{at} lasts {lasts} by GC {extra} }}\n")
}

#[test]
fn min_separation_is_met_when_the_gap_equals_the_minimum() {
    let rule = "    kind: min_separation\n    select: { kind: burn }\n    min: 3h\n";
    let a = act("A1", "273 10:00", "20m", "kind burn");
    passes(
        &format!("{a}{}", act("A2", "273 13:20", "10m", "kind burn")),
        rule,
    );
    let m = fails(
        &format!("{a}{}", act("A2", "273 13:19", "10m", "kind burn")),
        rule,
    );
    assert!(
        m.contains("2h59m after `A1` ends; the minimum is 3h"),
        "{m}"
    );
    // Overlapping burns break it too, and a third one is compared with the latest end.
    let m = fails(
        &format!(
            "{}{}",
            act("A1", "273 10:00", "5h", "kind burn"),
            act("A2", "273 11:00", "1h", "kind burn")
        ),
        rule,
    );
    assert!(m.contains("starts while `A1` runs"), "{m}");
}

#[test]
fn no_overlap_margin_is_inclusive_on_both_sides() {
    let rule =
        "    kind: no_overlap\n    a: { kind: burn }\n    b: { kind: eva }\n    margin: 1h\n";
    let burn = act("B1", "273 10:00", "20m", "kind burn");
    passes(
        &format!("{burn}{}", act("E1", "273 11:20", "6h", "kind eva")),
        rule,
    );
    passes(
        &format!("{burn}{}", act("E1", "273 03:00", "6h", "kind eva")),
        rule,
    );
    fails(
        &format!("{burn}{}", act("E1", "273 11:19", "6h", "kind eva")),
        rule,
    );
    fails(
        &format!("{burn}{}", act("E1", "273 03:01", "6h", "kind eva")),
        rule,
    );
    // Without a margin, touching is not overlapping.
    let rule0 = "    kind: no_overlap\n    a: { kind: burn }\n    b: { kind: eva }\n";
    passes(
        &format!("{burn}{}", act("E1", "273 10:20", "1h", "kind eva")),
        rule0,
    );
    let m = fails(
        &format!("{burn}{}", act("E1", "273 10:19", "1h", "kind eva")),
        rule0,
    );
    // The `a` activity (what the rule keeps away from `b`) is named and located first.
    assert_eq!(m, "R the rule: `B1` overlaps `E1`");
}

#[test]
fn requires_window_includes_the_window_ends_and_joins_touching_windows() {
    let rule =
        "    kind: requires_window\n    select: { kind: op }\n    windows: [W]\n    margin: 15m\n";
    // W is 09:45 .. 10:35: 10:00-10:20 ± 15m fits exactly.
    passes(&act("A1", "273 10:00", "20m", "kind op"), rule);
    let m = fails(&act("A1", "273 10:00", "21m", "kind op"), rule);
    assert!(
        m.contains("not covered from 2014/273 10:35 to 2014/273 10:36"),
        "{m}"
    );
    fails(&act("A1", "273 09:59", "20m", "kind op"), rule);
    let two = "    kind: requires_window\n    select: { kind: op }\n    windows: [W, V]\n";
    let body = format!(
        "  window V 2014/273 10:35 .. 2014/273 11:00\n{}",
        act("A1", "273 10:00", "1h", "kind op")
    );
    passes(&body, two);
}

#[test]
fn forbidden_window_touching_is_allowed() {
    let rule = "    kind: forbidden_window\n    select: { role: CREW }\n    windows: [SLEEP]\n";
    let crew = |at: &str, lasts: &str| {
        format!("  activity C1 {{ at 2014/{at} lasts {lasts} by FE-5 kind crew }}\n")
    };
    passes(&crew("273 21:00", "30m"), rule);
    passes(&crew("273 06:00", "30m"), rule);
    let m = fails(&crew("273 21:00", "31m"), rule);
    assert!(m.contains("from 2014/273 21:30 to 2014/273 21:31"), "{m}");
    fails(&crew("273 05:59", "30m"), rule);
    let margin = "    kind: forbidden_window\n    select: { role: CREW }\n    windows: [SLEEP]\n    margin: 10m\n";
    passes(&crew("273 21:00", "20m"), margin);
    fails(&crew("273 21:00", "21m"), margin);
}

#[test]
fn precedence_bounds_and_next_day() {
    let rule = "    kind: precedence\n    a: { kind: dam }\n    b: { kind: tca }\n    min_gap: 2h\n    max_gap: 12h\n";
    let dam = act("D1", "273 09:00", "1h", "kind dam");
    passes(
        &format!("{dam}{}", act("T1", "273 12:00", "10m", "kind tca")),
        rule,
    );
    fails(
        &format!("{dam}{}", act("T1", "273 11:59", "10m", "kind tca")),
        rule,
    );
    passes(
        &format!("{dam}{}", act("T1", "273 22:00", "10m", "kind tca")),
        rule,
    );
    let m = fails(
        &format!("{dam}{}", act("T1", "273 22:01", "10m", "kind tca")),
        rule,
    );
    assert!(m.contains("the maximum is 12h"), "{m}");
    let day = "    kind: precedence\n    a: { kind: transfer }\n    b: { kind: purge }\n    next_day: true\n";
    // A transfer ending at midnight ended on its own day.
    passes(
        &format!(
            "{}{}",
            act("X1", "273 23:00", "1h", "kind transfer"),
            act("U1", "274 00:00", "1h", "kind purge")
        ),
        day,
    );
    let m = fails(
        &format!(
            "{}{}",
            act("X1", "273 09:00", "1h", "kind transfer"),
            act("U1", "273 23:00", "1h", "kind purge")
        ),
        day,
    );
    assert!(m.contains("later day"), "{m}");
}

#[test]
fn requires_preceding_max_gap_is_inclusive() {
    let rule = "    kind: requires_preceding\n    select: { kind: burn }\n    preceding: { kind: poll }\n    max_gap: 60m\n";
    let poll = act("G1", "273 08:30", "30m", "kind poll");
    passes(
        &format!("{poll}{}", act("B1", "273 10:00", "20m", "kind burn")),
        rule,
    );
    let m = fails(
        &format!("{poll}{}", act("B1", "273 10:01", "20m", "kind burn")),
        rule,
    );
    assert!(m.contains("the nearest, `G1`, ends 1h1m before"), "{m}");
    // A poll that ends after the burn starts does not count.
    fails(
        &format!(
            "{}{}",
            act("G1", "273 09:50", "30m", "kind poll"),
            act("B1", "273 10:00", "20m", "kind burn")
        ),
        rule,
    );
}

#[test]
fn requires_following_max_gap_is_inclusive() {
    let rule = "    kind: requires_following\n    select: { kind: dam }\n    following: { kind: screening }\n    max_gap: 2h\n";
    let dam = act("D1", "273 09:00", "1h", "kind dam");
    passes(
        &format!("{dam}{}", act("S1", "273 12:00", "1h", "kind screening")),
        rule,
    );
    fails(
        &format!("{dam}{}", act("S1", "273 12:01", "1h", "kind screening")),
        rule,
    );
    fails(&dam, rule);
}

#[test]
fn sequence_steps_may_touch_but_not_overlap_or_be_missing() {
    let rule = "    kind: sequence\n    steps:\n      - { kind: demate }\n      - { kind: drift }\n      - { kind: pushoff }\n    max_gap: 30m\n";
    let chain = |second: &str, third: &str| {
        format!(
            "{}{}{}",
            act("U1", "273 10:00", "10m", "kind demate"),
            act("U2", second, "10m", "kind drift"),
            act("U3", third, "10m", "kind pushoff")
        )
    };
    passes(&chain("273 10:10", "273 10:50"), rule);
    let m = fails(&chain("273 10:09", "273 10:49"), rule);
    assert!(
        m.contains("step 2 `U2` starts before step 1 `U1` ends"),
        "{m}"
    );
    let m = fails(&chain("273 10:10", "273 10:51"), rule);
    assert!(
        m.contains("step 3 `U3` starts 31m after step 2 `U2` ends; the maximum is 30m"),
        "{m}"
    );
    let m = fails(
        &format!(
            "{}{}",
            act("U1", "273 10:00", "10m", "kind demate"),
            act("U3", "273 11:00", "10m", "kind pushoff")
        ),
        rule,
    );
    assert!(m.contains("lacks step 2"), "{m}");
}

#[test]
fn max_per_period_counts_starts_in_a_half_open_window() {
    let rule =
        "    kind: max_per_period\n    select: { kind: burn }\n    period: 24h\n    max_count: 2\n";
    let two = format!(
        "{}{}",
        act("B1", "273 00:00", "10m", "kind burn"),
        act("B2", "273 12:00", "10m", "kind burn")
    );
    passes(
        &format!("{two}{}", act("B3", "274 00:00", "10m", "kind burn")),
        rule,
    );
    let m = fails(
        &format!("{two}{}", act("B3", "273 23:59", "10m", "kind burn")),
        rule,
    );
    assert!(m.contains("3 activities start within 1d"), "{m}");
    let dur = "    kind: max_per_period\n    select: { kind: burn }\n    period: 24h\n    max_duration: 1h\n";
    passes(
        &format!(
            "{}{}",
            act("B1", "273 00:00", "30m", "kind burn"),
            act("B2", "273 12:00", "30m", "kind burn")
        ),
        dur,
    );
    fails(
        &format!(
            "{}{}",
            act("B1", "273 00:00", "30m", "kind burn"),
            act("B2", "273 12:00", "31m", "kind burn")
        ),
        dur,
    );
}

#[test]
fn resource_capacity_counts_amounts_and_touching_uses_do_not_add() {
    // A rule stricter than the declared capacity (2): one chain at a time.
    let rule = "    kind: resource_capacity\n    resource: GROUND-CHAIN\n    max: 1\n";
    let c1 = act("C1", "273 10:00", "1h", "uses GROUND-CHAIN");
    passes(
        &format!("{c1}{}", act("C2", "273 11:00", "1h", "uses GROUND-CHAIN")),
        rule,
    );
    let m = fails(
        &format!("{c1}{}", act("C2", "273 10:59", "1h", "uses GROUND-CHAIN")),
        rule,
    );
    assert!(m.contains("reach 2 at once (maximum 1)"), "{m}");
    fails(&act("C1", "273 10:00", "1h", "uses GROUND-CHAIN 2"), rule);
    let count = "    kind: resource_capacity\n    select: { kind: burn }\n    max: 1\n";
    passes(
        &format!(
            "{}{}",
            act("B1", "273 10:00", "1h", "kind burn"),
            act("B2", "273 11:00", "1h", "kind burn")
        ),
        count,
    );
}

/// Codes of every finding for a plan body and one rule.
fn codes(body: &str, rule: &str) -> Vec<Code> {
    let plan = format!("{HEAD}{body}\n}}\n");
    let rules = format!("rules:\n  - id: R\n    title: the rule\n{rule}");
    let run = check_texts(&[("p.plan", &plan), ("r.yaml", &rules)]);
    run.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn a_declared_capacity_is_checked_by_the_language_and_a_rule_restating_it_adds_nothing() {
    let rule = "    kind: resource_capacity\n    resource: GROUND-CHAIN\n";
    let base = format!(
        "{}{}",
        act("C1", "273 10:00", "1h", "uses GROUND-CHAIN"),
        act("C2", "273 10:30", "1h", "uses GROUND-CHAIN")
    );
    let touching = act("C3", "273 11:00", "1h", "uses GROUND-CHAIN");
    assert_eq!(codes(&format!("{base}{touching}"), rule), []);
    let over = act("C3", "273 10:59", "1h", "uses GROUND-CHAIN");
    assert_eq!(
        codes(&format!("{base}{over}"), rule),
        [Code::ResourceCapacityExceeded]
    );
    // Without any rule, the same.
    assert_eq!(
        codes(
            &format!("{base}{over}"),
            "    kind: min_separation\n    select: { kind: none }\n    min: 1m\n"
        ),
        [Code::ResourceCapacityExceeded]
    );
}

#[test]
fn crew_day_counts_group_activities_for_every_member() {
    let rule = "    kind: crew_day\n    select: { role: CREW }\n    max_work: 6h30m\n";
    let crew = |id: &str, who: &str, at: &str, lasts: &str| {
        format!("  activity {id} {{ at 2014/{at} lasts {lasts} by {who} kind crew }}\n")
    };
    let day = format!(
        "{}{}",
        crew("C1", "FE-5", "273 08:00", "4h"),
        crew("C2", "CREW", "273 13:00", "2h30m")
    );
    passes(&day, rule);
    let over = format!("{day}{}", crew("C3", "FE-6", "273 16:00", "4h1m"));
    let m = fails(&over, rule);
    assert!(m.contains("`FE-6` works 6h31m"), "{m}");
    // Time after midnight counts for the next day.
    passes(
        &format!(
            "{}{}",
            crew("C1", "FE-5", "273 20:00", "6h"),
            crew("C2", "FE-5", "274 08:00", "4h")
        ),
        rule,
    );
}

#[test]
fn an_activity_without_a_time_is_reported_not_skipped() {
    let plan = format!("{HEAD}  activity A1 {{ after A2 lasts 1h kind burn }}\n  activity A2 {{ after A1 lasts 1h }}\n}}\n");
    let rules = "rules:\n  - id: R\n    title: the rule\n    kind: min_separation\n    select: { kind: burn }\n    min: 1h\n";
    let run = check_texts(&[("p.plan", &plan), ("r.yaml", rules)]);
    assert!(run
        .diagnostics
        .iter()
        .any(|d| d.code == Code::FlightRuleUnknown));
    assert_eq!(run.verdict(), Verdict::Fail);
}

#[test]
fn a_waived_violation_passes_with_waivers_and_an_unused_waiver_warns() {
    let rule = "rules:\n  - id: FR-06\n    title: crew sleep\n    kind: forbidden_window\n    select: { role: CREW }\n    windows: [SLEEP]\n";
    let body = "  activity C1 { at 2014/273 22:00 lasts 30m by FE-5 }\n  waive FR-06 for C1 ref \"CR-276-01\"\n";
    let plan = format!("{HEAD}{body}}}\n");
    let run = check_texts(&[("p.plan", &plan), ("r.yaml", rule)]);
    assert_eq!(
        run.verdict(),
        Verdict::PassWithWaivers,
        "{:#?}",
        run.diagnostics
    );
    assert!(run
        .diagnostics
        .iter()
        .any(|d| d.code == Code::WaivedViolation));
    let body = "  activity C1 { at 2014/273 12:00 lasts 30m by FE-5 }\n  waive FR-06 for C1 ref \"CR-276-01\"\n";
    let plan = format!("{HEAD}{body}}}\n");
    let run = check_texts(&[("p.plan", &plan), ("r.yaml", rule)]);
    assert_eq!(run.verdict(), Verdict::Pass);
    assert!(run.diagnostics.iter().any(|d| d.code == Code::UnusedWaiver));
}

#[test]
fn a_window_the_plan_does_not_declare_is_an_invalid_rule_file_at_the_name() {
    let rules = "rules:\n  - id: FR-01\n    title: relay\n    kind: requires_window\n    select: { kind: op }\n    windows: [W, TDSR]\n";
    let plan = format!("{HEAD}{}}}\n", act("A1", "273 10:00", "20m", "kind op"));
    let run = check_texts(&[("p.plan", &plan), ("r.yaml", rules)]);
    let d = run
        .diagnostics
        .iter()
        .find(|d| d.code == Code::InvalidFlightRuleFile)
        .expect("F003");
    let s = d.primary.span;
    assert_eq!(&rules[s.start as usize..s.end as usize], "TDSR");
    assert!(run.has_invalid_input());
}

#[test]
fn roles_required_counts_groups_both_ways() {
    let rule = "    kind: roles_required\n    select: { kind: poll }\n    all: [FD, MCC-M]\n    any: [GC, CREW]\n";
    let poll =
        |by: &str| format!("  activity P1 {{ at 2014/273 10:00 lasts 30m by {by} kind poll }}\n");
    passes(&poll("FD, MCC-M, GC"), rule);
    // A member of CREW brings CREW; the group CREW brings its members.
    passes(&poll("FD, MCC-M, FE-5"), rule);
    let m = fails(&poll("FD, GC"), rule);
    assert!(m.contains("`P1` (by FD, GC) lacks MCC-M"), "{m}");
    let m = fails(&poll("FD, MCC-M"), rule);
    assert!(m.contains("has none of GC, CREW"), "{m}");
    // Not selected: not judged.
    passes(
        "  activity X { at 2014/273 10:00 lasts 30m by GC kind telecon }\n",
        rule,
    );
    let members = "    kind: roles_required\n    select: { kind: crew }\n    all: [FE-6]\n";
    passes(
        "  activity C { at 2014/273 10:00 lasts 30m by CREW kind crew }\n",
        members,
    );
    let m = fails(
        "  activity C { at 2014/273 10:00 lasts 30m by FE-5 kind crew }\n",
        members,
    );
    assert!(m.contains("lacks FE-6"), "{m}");
}

#[test]
fn roles_required_names_only_declared_roles() {
    let rule = "    kind: roles_required\n    all: [FDE]\n";
    let plan = format!("{HEAD}  activity P1 {{ at 2014/273 10:00 lasts 30m by FD }}\n}}\n");
    let rules = format!("rules:\n  - id: R\n    title: the rule\n{rule}");
    let run = check_texts(&[("p.plan", &plan), ("r.yaml", &rules)]);
    let codes: Vec<Code> = run.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::InvalidFlightRuleFile]);
    assert!(
        run.diagnostics[0].message.contains("FDE"),
        "{:#?}",
        run.diagnostics
    );
    let empty = "    kind: roles_required\n    select: { kind: poll }\n";
    let rules = format!("rules:\n  - id: R\n    title: the rule\n{empty}");
    let run = check_texts(&[("p.plan", &plan), ("r.yaml", &rules)]);
    assert!(
        run.diagnostics.iter().any(|d| d
            .message
            .contains("`roles_required` needs `all`, `any` or both")),
        "{:#?}",
        run.diagnostics
    );
}

/// The F001 findings of a plan body and one rule: (message, the text at the primary
/// location, the texts at the other activity labels).
fn located(body: &str, rule: &str) -> Vec<(String, String, Vec<String>)> {
    let plan = format!("{HEAD}{body}\n}}\n");
    let rules = format!("rules:\n  - id: R\n    title: the rule\n{rule}");
    let run = check_texts(&[("p.plan", &plan), ("r.yaml", &rules)]);
    run.diagnostics
        .iter()
        .filter(|d| d.code == Code::FlightRuleViolated)
        .map(|d| {
            let others = d
                .secondary
                .iter()
                .filter(|l| l.message == "involved")
                .map(|l| run.sources.slice(l.span).to_string())
                .collect();
            (
                d.message.clone(),
                run.sources.slice(d.primary.span).to_string(),
                others,
            )
        })
        .collect()
}

#[test]
fn the_activity_that_makes_the_violation_is_the_primary_location() {
    // max_per_period: the third start in 24 h when two are allowed.
    let rule =
        "    kind: max_per_period\n    select: { kind: burn }\n    period: 24h\n    max_count: 2\n";
    let body = format!(
        "{}{}{}{}",
        act("B1", "273 00:00", "10m", "kind burn"),
        act("B2", "273 06:00", "10m", "kind burn"),
        act("B3", "273 12:00", "10m", "kind burn"),
        act("B4", "273 18:00", "10m", "kind burn")
    );
    let v = located(&body, rule);
    assert_eq!(v[0].1, "B3", "{v:#?}");
    assert_eq!(v[0].2, ["B1", "B2", "B4"]);
    // max_per_period by duration: the activity running when the total passes the maximum.
    let rule = "    kind: max_per_period\n    select: { kind: burn }\n    period: 24h\n    max_duration: 1h\n";
    let body = format!(
        "{}{}{}",
        act("B1", "273 00:00", "30m", "kind burn"),
        act("B2", "273 06:00", "20m", "kind burn"),
        act("B3", "273 12:00", "30m", "kind burn")
    );
    let v = located(&body, rule);
    assert_eq!(v[0].1, "B3", "{v:#?}");
    // resource_capacity: the use whose start takes the resource over, named in the message
    // (a rule stricter than the declared capacity of 2, which T008 checks by itself).
    let rule = "    kind: resource_capacity\n    resource: GROUND-CHAIN\n    max: 1\n";
    let body = format!(
        "{}{}{}",
        act("C1", "273 10:00", "2h", "uses GROUND-CHAIN"),
        act("C2", "273 10:30", "2h", "uses GROUND-CHAIN"),
        act("C3", "273 11:00", "2h", "uses GROUND-CHAIN")
    );
    let v = located(&body, rule);
    assert_eq!(v[0].1, "C3", "{v:#?}");
    assert!(
        v[0].0.ends_with(": `C3` starts while `C1`, `C2` run"),
        "{}",
        v[0].0
    );
    // crew_day: the activity that takes the working day over its limit.
    let rule = "    kind: crew_day\n    select: { role: CREW }\n    max_work: 6h\n";
    let crew = |id: &str, who: &str, at: &str, lasts: &str| {
        format!("  activity {id} {{ at 2014/{at} lasts {lasts} by {who} kind crew }}\n")
    };
    let body = format!(
        "{}{}{}",
        crew("C1", "FE-5", "273 08:00", "4h"),
        crew("C2", "CREW", "273 13:00", "3h"),
        crew("C3", "FE-5", "273 17:00", "1h")
    );
    let v = located(&body, rule);
    assert_eq!(v.len(), 1, "{v:#?}");
    assert_eq!(v[0].1, "C2");
    assert!(v[0].0.contains("crew member `FE-5` works 8h"), "{}", v[0].0);
    assert!(v[0].0.contains("the maximum crew day is 6h"), "{}", v[0].0);
    // min_separation and precedence: the one that starts too early.
    let rule = "    kind: min_separation\n    select: { kind: burn }\n    min: 3h\n";
    let body = format!(
        "{}{}",
        act("B1", "273 10:00", "20m", "kind burn"),
        act("B2", "273 11:00", "10m", "kind burn")
    );
    assert_eq!(located(&body, rule)[0].1, "B2");
}

#[test]
fn crew_day_speaks_of_crew_sleep_for_crew_and_of_rest_for_ground_roles() {
    let rule = "    kind: crew_day\n    select: { kind: [crew, ground] }\n    sleep: SLEEP\n    max_work: 8h\n";
    let body = format!(
        "{}{}{}",
        "  activity C1 { at 2014/273 21:00 lasts 1h by FE-5 kind crew }\n",
        "  activity G1 { at 2014/273 05:00 lasts 2h by FD kind ground }\n",
        "  activity G2 { at 2014/273 08:00 lasts 9h by FD kind ground }\n"
    );
    let v: Vec<String> = located(&body, rule).into_iter().map(|v| v.0).collect();
    assert_eq!(
        v,
        [
            "R the rule: `C1` runs into crew sleep (SLEEP) from 2014/273 21:30 to 2014/273 22:00",
            "R the rule: `G1` runs into the rest period of `FD` (SLEEP) from 2014/273 05:00 to 2014/273 06:00",
            "R the rule: `FD` works 11h on 2014/273 (2 activities); the maximum working day is 8h",
        ],
        "{v:#?}"
    );
}

#[test]
fn an_activity_of_a_cycle_gives_one_f002_naming_every_rule() {
    let plan = format!(
        "{HEAD}  activity A1 {{ after A2 lasts 1h by GC kind burn }}\n  activity A2 {{ after A1 lasts 1h by GC }}\n}}\n"
    );
    let rules = "rules:
  - id: R1
    title: one
    kind: min_separation
    select: { kind: burn }
    min: 1h
  - id: R2
    title: two
    kind: resource_capacity
    select: { kind: burn }
    max: 1
  - id: R3
    title: three
    kind: max_per_period
    select: {}
    period: 1d
    max_count: 9
";
    let run = check_texts(&[("p.plan", &plan), ("r.yaml", rules)]);
    let unknown: Vec<_> = run
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::FlightRuleUnknown)
        .collect();
    assert_eq!(unknown.len(), 2, "{unknown:#?}");
    assert_eq!(
        unknown[0].message,
        "3 flight rules cannot be checked for `A1`: its time is unknown (R1, R2, R3)"
    );
    assert_eq!(unknown[0].primary.message, "in a dependency cycle (G001)");
    assert_eq!(
        unknown[0].flight_rules().collect::<Vec<_>>(),
        ["R1", "R2", "R3"]
    );
    assert_eq!(
        unknown[1].message,
        "R3 three cannot be checked for `A2`: its time is unknown"
    );
    assert_eq!(run.verdict(), Verdict::Fail);
}

/// The activities a selector picks: every activity lies in the window W, and a
/// `forbidden_window` rule with the selector reports exactly the ones it picks.
fn picked(selector: &str) -> Vec<String> {
    let plan = format!(
        "{HEAD}{}{}{}{}{}  phase ph {{\n  {}  }}\n{}}}\n",
        act("A1", "273 10:00", "10m", "kind burn"),
        act("A2", "273 10:00", "10m", "tags relay, night"),
        "  activity A3 { at 2014/273 10:00 lasts 10m by FE-5 }\n",
        act("A4", "273 10:00", "10m", "critical procedure X"),
        act("B41", "273 10:00", "10m", "kind dump"),
        act("A5", "273 10:00", "10m", ""),
        act("B5", "273 10:00", "10m", "kind burn tags night"),
    );
    let rules = format!(
        "rules:\n  - id: R\n    title: the rule\n    kind: forbidden_window\n    select: {selector}\n    windows: [W]\n"
    );
    let procs = "procedure X {\n  version 1.0\n  roles GC\n  step 1 { end }\n}\n";
    let run = check_texts(&[("p.plan", &plan), ("r.yaml", &rules), ("x.proc", procs)]);
    let mut ids: Vec<String> = run
        .diagnostics
        .iter()
        .map(|d| {
            assert_eq!(d.code, Code::FlightRuleViolated, "{d:#?}");
            d.message
                .split('`')
                .nth(1)
                .expect("the activity")
                .to_string()
        })
        .collect();
    ids.sort();
    ids
}

#[test]
fn each_selector_field_picks_its_activities() {
    let all = ["A1", "A2", "A3", "A4", "A5", "B41", "B5"];
    assert_eq!(picked("{}"), all);
    assert_eq!(picked("{ kind: burn }"), ["A1", "B5"]);
    assert_eq!(picked("{ kind: [dump, burn] }"), ["A1", "B41", "B5"]);
    assert_eq!(picked("{ tag: night }"), ["A2", "B5"]);
    // A role picks its own activities and, for a group, its members' (FE-5 is in CREW).
    assert_eq!(picked("{ role: CREW }"), ["A3"]);
    assert_eq!(picked("{ role: FE-5 }"), ["A3"]);
    assert_eq!(picked("{ critical: true }"), ["A4"]);
    assert_eq!(
        picked("{ critical: false }"),
        ["A1", "A2", "A3", "A5", "B41", "B5"]
    );
    assert_eq!(picked("{ phase: ph }"), ["A5"]);
    assert_eq!(picked("{ id: \"B*\" }"), ["B41", "B5"]);
    assert_eq!(picked("{ id: [A1, B41] }"), ["A1", "B41"]);
    // Every field given must match.
    assert_eq!(picked("{ kind: burn, tag: night }"), ["B5"]);
    assert!(picked("{ kind: burn, phase: ph }").is_empty());
}

#[test]
fn crew_day_sleep_may_be_touched_not_entered() {
    let rule = "    kind: crew_day\n    select: { role: CREW }\n    sleep: SLEEP\n";
    let crew = |at: &str, lasts: &str| {
        format!("  activity C1 {{ at 2014/{at} lasts {lasts} by FE-5 kind crew }}\n")
    };
    passes(&crew("273 21:00", "30m"), rule);
    passes(&crew("274 06:00", "30m"), rule);
    fails(&crew("273 21:00", "31m"), rule);
    fails(&crew("274 05:59", "30m"), rule);
}

#[test]
fn a_rule_id_defined_in_two_files_is_an_invalid_rule_file() {
    let rule = "rules:\n  - id: FR-02\n    title: burns apart\n    kind: min_separation\n    select: { kind: burn }\n    min: 3h\n";
    let plan = format!("{HEAD}}}\n");
    let run = check_texts(&[("p.plan", &plan), ("a.yaml", rule), ("b.yaml", rule)]);
    let found: Vec<&str> = run.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        found,
        ["flight rule `FR-02` is defined in two files"],
        "{:#?}",
        run.diagnostics
    );
    assert!(run.has_invalid_input());
}

#[test]
fn an_absence_is_not_invented_when_the_missing_activity_has_no_time() {
    // C04 would follow C03, but its time is unknown (it is after an undefined activity):
    // the rule is not judged for C03 (F002 names C04), never failed.
    let rule = "    kind: requires_following\n    select: { kind: dump }\n    following: { kind: check }\n    max_gap: 1h\n";
    let plan = format!(
        "{HEAD}  activity C03 {{ at 2014/273 10:00 lasts 10m by GC kind dump }}\n  activity C04 {{ after CO3 lasts 10m by GC kind check }}\n}}\n"
    );
    let rules = format!("rules:\n  - id: R\n    title: the rule\n{rule}");
    let run = check_texts(&[("p.plan", &plan), ("r.yaml", &rules)]);
    let codes: Vec<Code> = run.diagnostics.iter().map(|d| d.code).collect();
    assert!(
        !codes.contains(&Code::FlightRuleViolated),
        "{:#?}",
        run.diagnostics
    );
    assert!(codes.contains(&Code::FlightRuleUnknown), "{codes:?}");
    // A sequence whose first step is in a cycle does not "lack step 1".
    let rule =
        "    kind: sequence\n    steps:\n      - { kind: press }\n      - { kind: transfer }\n";
    let plan = format!(
        "{HEAD}  activity P1 {{ after P2 lasts 10m by GC kind press }}\n  activity P2 {{ after P1 lasts 10m by GC kind other }}\n  activity T1 {{ at 2014/273 12:00 lasts 10m by GC kind transfer }}\n}}\n"
    );
    let rules = format!("rules:\n  - id: R\n    title: the rule\n{rule}");
    let run = check_texts(&[("p.plan", &plan), ("r.yaml", &rules)]);
    assert!(
        !run.diagnostics
            .iter()
            .any(|d| d.code == Code::FlightRuleViolated),
        "{:#?}",
        run.diagnostics
    );
    // With the step truly missing, the chain is incomplete.
    let plan =
        format!("{HEAD}  activity T1 {{ at 2014/273 12:00 lasts 10m by GC kind transfer }}\n}}\n");
    let run = check_texts(&[("p.plan", &plan), ("r.yaml", &rules)]);
    assert!(
        run.diagnostics
            .iter()
            .any(|d| d.message.contains("lacks step 1")),
        "{:#?}",
        run.diagnostics
    );
}

/// A rule file with a good rule (FR-06, broken by the plan) and a bad one (FR-07, an
/// unknown key), and a plan waiving FR-07 for an activity.
const GOOD_AND_BAD: &str = "rules:\n  - id: FR-06\n    title: Crew tasks outside crew sleep\n    kind: forbidden_window\n    select: { role: CREW }\n    windows: [SLEEP]\n  - id: FR-07\n    title: Burns apart\n    kind: min_separation\n    select: { kind: burn }\n    minimum: 2h\n";

#[test]
fn one_bad_rule_leaves_the_others_of_its_file_evaluated() {
    let body = "  waive FR-07 for B1 ref \"CR-1\"\n  activity C1 { at 2014/273 23:00 lasts 30m by FE-5 }\n  activity B1 { at 2014/273 10:00 lasts 30m by GC kind burn }\n";
    let plan = format!("{HEAD}{body}}}\n");
    let run = check_texts(&[("p.plan", &plan), ("r.yaml", GOOD_AND_BAD)]);
    let codes: Vec<(Code, &str)> = run
        .diagnostics
        .iter()
        .map(|d| (d.code, d.message.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            // The good rule still finds its violation...
            (
                Code::FlightRuleViolated,
                "FR-06 Crew tasks outside crew sleep: `C1` runs into SLEEP from 2014/273 23:00 to 2014/273 23:30"
            ),
            // ...the bad one is reported, and the waiver naming it is neither undefined
            // (F006) nor unused (F005).
            (
                Code::InvalidFlightRuleFile,
                "rule FR-07: unknown key `minimum`"
            ),
        ],
        "{:#?}",
        run.diagnostics
    );
    let f003 = &run.diagnostics[1];
    assert_eq!(f003.help.as_deref(), Some("did you mean `min`?"));
    assert!(f003
        .notes
        .contains(&"rule FR-07 is not evaluated".to_string()));
    assert!(run.has_invalid_input());
    assert_eq!(
        run.incomplete().as_deref(),
        Some("1 flight rule was not evaluated (FR-07)")
    );
}

#[test]
fn a_rule_file_that_cannot_be_read_leaves_every_waiver_unjudged() {
    // Its rules are unknown: no waiver is called undefined (F006), whatever it names;
    // a waiver of a rule of another file is still judged (F005).
    let body = "  waive FR-99 for C1 ref \"CR-1\"\n  waive FR-02 for C1 ref \"CR-2\"\n  activity C1 { at 2014/273 12:00 lasts 30m by FE-5 }\n";
    let plan = format!("{HEAD}{body}}}\n");
    let broken = "rules:\n  - id: FR-99\n    title: [unclosed\n";
    let other = "rules:\n  - id: FR-02\n    title: burns apart\n    kind: min_separation\n    select: { kind: burn }\n    min: 3h\n";
    let run = check_texts(&[("p.plan", &plan), ("a.yaml", broken), ("b.yaml", other)]);
    let codes: Vec<Code> = run.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        [Code::UnusedWaiver, Code::InvalidFlightRuleFile],
        "{:#?}",
        run.diagnostics
    );
    let f003 = &run.diagnostics[1];
    assert!(f003
        .message
        .starts_with("flight-rule file is not valid YAML"));
    assert_eq!(f003.notes, ["none of the rules of this file is evaluated"]);
    assert_eq!(
        run.incomplete().as_deref(),
        Some("1 flight-rule file could not be read (a.yaml): none of its rules was evaluated")
    );
    // Without the broken file, the misspelt waiver is F006 again.
    let run = check_texts(&[("p.plan", &plan), ("b.yaml", other)]);
    assert!(run
        .diagnostics
        .iter()
        .any(|d| d.code == Code::UndefinedFlightRule));
    assert_eq!(run.incomplete(), None);
}
