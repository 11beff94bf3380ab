use crate::checks::{rule, Context, Reporter};
use crate::diag::{Code, Diagnostic, Label};
use crate::model::{ActIdx, PlanModel};
use crate::syntax::ast::ResourceKind;
use crate::time::{Interval, Time};

rule! {
    /// ## What it does
    /// Reports each episode during which the activities using a capacity resource
    /// (`resource GROUND-CHAIN capacity 2`) take more units than it has. An activity takes
    /// the units its `uses` names (`uses GROUND-CHAIN 2`), one by default; uses that only
    /// touch do not add up (intervals are half-open).
    ///
    /// One finding per episode over capacity: it names the instant the peak starts, the
    /// peak, and the activities running at the peak. Its primary location is the `uses`
    /// of the activity whose start took the resource over its capacity; the others
    /// running at the peak are related locations.
    ///
    /// Exclusive resources are `T006`; a `resource_capacity` flight rule on the same
    /// resource reports only what goes beyond this check (a lower `max`, a `select`), never
    /// the same episode twice. Activities whose time is unknown are not counted (they are
    /// reported as `T005`).
    ///
    /// The users of each resource are sorted by time and swept once, then swept again to
    /// list the activities at each peak: O(n log n) plus the size of the findings.
    ///
    /// ## Why it matters
    /// A resource declared with a capacity is a physical limit: two ground chains, three
    /// flight dynamics workstations. A plan that asks for a third chain at 13:00 cannot be
    /// executed as written, whether or not a flight rule restates the limit.
    ///
    /// ## Example
    /// ```text
    /// resource FD-WS capacity 2 "Flight dynamics workstations"
    /// activity A1 { at 2014/273 09:00   lasts 1h   uses FD-WS }
    /// activity A2 { at 2014/273 09:30   lasts 1h   uses FD-WS 2 }  // 3 units from 09:30
    /// ```
    ResourceCapacityExceeded, Reporter::Check(check)
}

/// One use: when, how many units, by which activity, and where its `uses` names it.
#[derive(Clone, Copy)]
struct Use {
    iv: Interval,
    amount: u64,
    activity: ActIdx,
    span: crate::source::Span,
}

/// An episode over capacity, from the first sweep.
struct Episode {
    from: Time,
    to: Time,
    peak: u64,
    peak_at: Time,
    /// The use whose start took the level over the capacity.
    culprit: Use,
}

/// The episodes during which `uses` exceed `capacity`: one sweep, ends before starts
/// at equal times (touching uses do not add up).
fn episodes(uses: &[Use], capacity: u64) -> Vec<Episode> {
    let mut events: Vec<(Time, bool, usize)> = Vec::with_capacity(uses.len() * 2);
    for (k, u) in uses.iter().enumerate() {
        events.push((u.iv.start, true, k));
        events.push((u.iv.end, false, k));
    }
    events.sort_unstable();
    let mut out: Vec<Episode> = Vec::new();
    let mut level: u64 = 0;
    let mut open: Option<Episode> = None;
    let mut k = 0;
    while k < events.len() {
        let t = events[k].0;
        let mut culprit = None;
        while k < events.len() && events[k].0 == t {
            let (_, is_start, u) = events[k];
            if is_start {
                level += uses[u].amount;
                if level > capacity && culprit.is_none() {
                    culprit = Some(uses[u]);
                }
            } else {
                level -= uses[u].amount;
            }
            k += 1;
        }
        if level > capacity {
            match &mut open {
                Some(e) => {
                    if level > e.peak {
                        e.peak = level;
                        e.peak_at = t;
                    }
                }
                None => {
                    open = Some(Episode {
                        from: t,
                        to: t,
                        peak: level,
                        peak_at: t,
                        // A start at `t` took it over (an end cannot raise the level).
                        culprit: culprit.expect("the level rose at a start"),
                    })
                }
            }
        } else if let Some(mut e) = open.take() {
            e.to = t;
            out.push(e);
        }
    }
    out
}

/// For each sorted instant of `at`, the uses running then, by start.
fn running_at(uses: &[Use], at: &[Time]) -> Vec<Vec<Use>> {
    let items: Vec<(Interval, (Time, ActIdx, usize))> = uses
        .iter()
        .enumerate()
        .map(|(k, u)| (u.iv, (u.iv.start, u.activity, k)))
        .collect();
    crate::time::running_at(&items, at)
        .into_iter()
        .map(|now| now.into_iter().map(|(_, _, k)| uses[k]).collect())
        .collect()
}

fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for plan in &cx.model.plans {
        let mut users: Vec<Vec<Use>> = vec![Vec::new(); plan.resources.len()];
        for (ai, am) in plan.activities.iter().enumerate() {
            let Some(iv) = am.time.interval() else {
                continue;
            };
            for u in &am.ast.uses {
                let Some(&ri) = plan.resource_index.get(&u.resource.value) else {
                    continue;
                };
                if !matches!(plan.resources[ri].kind, ResourceKind::Capacity(_)) {
                    continue;
                }
                let amount = u.amount.as_ref().map_or(1, |a| u64::from(a.value));
                if amount == 0 {
                    continue; // R009
                }
                users[ri].push(Use {
                    iv,
                    amount,
                    activity: ai,
                    span: u.resource.span,
                });
            }
        }
        for (ri, list) in users.iter().enumerate() {
            let ResourceKind::Capacity(capacity) = plan.resources[ri].kind else {
                continue;
            };
            let found = episodes(list, u64::from(capacity));
            if found.is_empty() {
                continue;
            }
            let peaks: Vec<Time> = found.iter().map(|e| e.peak_at).collect();
            for (e, at_peak) in found.iter().zip(running_at(list, &peaks)) {
                out.push(diagnostic(plan, ri, capacity, e, &at_peak));
            }
        }
    }
}

/// `1 unit`, `2 units`
fn units(n: u64) -> String {
    if n == 1 {
        "1 unit".to_string()
    } else {
        format!("{n} units")
    }
}

fn diagnostic(
    plan: &PlanModel,
    ri: usize,
    capacity: u32,
    e: &Episode,
    at_peak: &[Use],
) -> Diagnostic {
    let resource = &plan.resources[ri];
    let name = &resource.name.value;
    let f = |t: Time| t.format(plan.notation);
    let act = |u: &Use| &plan.activities[u.activity].ast.id.value;
    let who: Vec<String> = at_peak
        .iter()
        .map(|u| format!("{} ({})", act(u), u.amount))
        .collect();
    let culprit = act(&e.culprit);
    let mut d = Diagnostic::new(
        Code::ResourceCapacityExceeded,
        format!(
            "`{name}` (capacity {capacity}) is used by {} units at {}: {}",
            e.peak,
            f(e.peak_at),
            who.join(", ")
        ),
        Label::new(
            e.culprit.span,
            format!(
                "{culprit} takes {} from {}, over the capacity",
                units(e.culprit.amount),
                f(e.culprit.iv.start)
            ),
        ),
    );
    for u in at_peak {
        if u.activity != e.culprit.activity {
            d = d.with_secondary(Label::new(
                u.span,
                format!(
                    "{} takes {} {}",
                    act(u),
                    units(u.amount),
                    u.iv.format(plan.notation)
                ),
            ));
        }
    }
    d.with_secondary(Label::new(
        resource.name.span,
        format!("declared with capacity {capacity}"),
    ))
    .with_note(format!("over capacity from {} to {}", f(e.from), f(e.to)))
    .with_help(format!(
        "move one of them, lower the units it takes, or declare `{name}` with a larger capacity"
    ))
    .with_interval(Some(Interval::new(e.from, e.to)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::rules::findings;

    fn iv(a: i64, b: i64) -> Interval {
        Interval::new(Time(a), Time(b))
    }

    fn u(a: i64, b: i64, amount: u64, activity: ActIdx) -> Use {
        Use {
            iv: iv(a, b),
            amount,
            activity,
            span: crate::source::Span::new(crate::source::FileId(0), 0..0),
        }
    }

    #[test]
    fn episodes_follow_half_open_bounds() {
        // capacity 2: 0-10 (1), 5-15 (1), 8-12 (1) → 3 from 8 to 10; 10-20 touches 0-10.
        let uses = [
            u(0, 10, 1, 0),
            u(5, 15, 1, 1),
            u(8, 12, 1, 2),
            u(10, 20, 1, 3),
        ];
        let found = episodes(&uses, 2);
        let got: Vec<(i64, i64, u64, i64, usize)> = found
            .iter()
            .map(|e| (e.from.0, e.to.0, e.peak, e.peak_at.0, e.culprit.activity))
            .collect();
        // 8-10: 0,1,2 (3); 10: 0 ends, 3 starts → still 3 (1,2,3); 12: 2 ends → 2.
        assert_eq!(got, [(8, 12, 3, 8, 2)]);
        let at = running_at(&uses, &[Time(8), Time(10)]);
        let ids: Vec<Vec<usize>> = at
            .iter()
            .map(|v| v.iter().map(|u| u.activity).collect())
            .collect();
        assert_eq!(ids, [vec![0, 1, 2], vec![1, 2, 3]]);
        // Touching uses at capacity never exceed it.
        assert!(episodes(&[u(0, 10, 2, 0), u(10, 20, 2, 1)], 2).is_empty());
        // One use over the capacity on its own.
        let found = episodes(&[u(0, 10, 3, 0)], 2);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].from.0, found[0].to.0, found[0].peak), (0, 10, 3));
    }

    #[test]
    fn the_sweep_agrees_with_brute_force() {
        let mut seed = 11u64;
        let mut rnd = |n: i64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as i64).rem_euclid(n)
        };
        for _ in 0..300 {
            let n = 1 + rnd(8) as usize;
            let cap = 1 + rnd(3) as u64;
            let uses: Vec<Use> = (0..n)
                .map(|k| {
                    let a = rnd(40);
                    u(a, a + 1 + rnd(15), 1 + rnd(3) as u64, k)
                })
                .collect();
            let level = |t: i64| -> u64 {
                uses.iter()
                    .filter(|x| x.iv.start.0 <= t && t < x.iv.end.0)
                    .map(|x| x.amount)
                    .sum()
            };
            let over: Vec<i64> = (0..60).filter(|&t| level(t) > cap).collect();
            let found = episodes(&uses, cap);
            let mut from_episodes: Vec<i64> = found.iter().flat_map(|e| e.from.0..e.to.0).collect();
            from_episodes.sort_unstable();
            assert_eq!(from_episodes, over);
            for e in &found {
                let peak = (e.from.0..e.to.0).map(level).max().unwrap();
                assert_eq!(e.peak, peak);
                assert_eq!(level(e.peak_at.0), peak);
            }
        }
    }

    #[test]
    fn capacity_is_checked_without_a_flight_rule() {
        let found = findings(
            Code::ResourceCapacityExceeded,
            r#"
            plan P {
              horizon 2014/273 00:00 .. 2014/274 00:00
              roles FD
              resource FD-WS capacity 2 "Flight dynamics workstations"
              activity A1 { at 2014/273 09:00   lasts 1h    by FD   uses FD-WS }
              activity A2 { at 2014/273 09:30   lasts 1h    by FD   uses FD-WS 2 }
              activity A3 { at 2014/273 10:30   lasts 1h    by FD   uses FD-WS 2 }   // touches A2
              activity A4 { at 2014/273 12:00   lasts 10m   by FD   uses FD-WS 3 }   // alone over
            }
        "#,
        );
        let got: Vec<(&str, String)> = found
            .iter()
            .map(|d| (d.message.as_str(), d.notes.join("; ")))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "`FD-WS` (capacity 2) is used by 3 units at 2014/273 09:30: A1 (1), A2 (2)",
                    "over capacity from 2014/273 09:30 to 2014/273 10:00".to_string()
                ),
                (
                    "`FD-WS` (capacity 2) is used by 3 units at 2014/273 12:00: A4 (3)",
                    "over capacity from 2014/273 12:00 to 2014/273 12:10".to_string()
                ),
            ]
        );
        assert!(found[0].primary.message.starts_with("A2 takes 2"));
    }
}
