//! The figures of `opsplan report staffing` against brute force: on random small rosters
//! and random ranges, the coverage of a position day by day (required, covered to the
//! head count, held, gaps), each person's hours in the range and the shortest daily rest
//! from a start of work in the range (`model::staffing::summary`) are what a
//! minute-by-minute count finds; the nights of each week what `Staffing::nights` counts.

use opsplan::model::staffing::summary::{coverage, days, people_work, Post};
use opsplan::time::{Interval, Time};
use opsplan::workspace::check_texts;
use proptest::prelude::*;

const MIN: i64 = 60;

/// Minutes after 2014/272 00:00 as a roster writes them.
fn at(min: u32) -> String {
    let day = 272 + min / 1440;
    let m = min % 1440;
    format!("2014/{day:03} {:02}:{:02}", m / 60, m % 60)
}

fn base() -> i64 {
    Time::parse_doy("2014/272 00:00").unwrap().0
}

fn minute(t: Time) -> u32 {
    ((t.0 - base()) / MIN) as u32
}

fn time(m: u32) -> Time {
    Time(base() + i64::from(m) * MIN)
}

/// People P0-P2 qualified for `OM`, which must be held over `need` minutes by `minimum`.
fn roster(shifts: &[(usize, u32, u32)], need: (u32, u32), minimum: u32) -> String {
    let mut r = format!(
        "roster R {{\n  plan P\n  position OM {{ fills X   continuous during {} .. {}   minimum {minimum} }}\n",
        at(need.0),
        at(need.1)
    );
    for p in 0..3 {
        r.push_str(&format!("  person P{p} {{ qualified OM }}\n"));
    }
    for &(p, s, l) in shifts {
        r.push_str(&format!("  shift P{p} OM {} .. {}\n", at(s), at(s + l)));
    }
    r.push_str("}\n");
    r
}

const PLAN: &str = "plan P {\n  horizon 2014/272 00:00 .. 2014/279 00:00\n  roles X\n}\n";

/// How many shifts hold minute `m`.
fn holders(shifts: &[(usize, u32, u32)], m: u32) -> u32 {
    shifts
        .iter()
        .filter(|&&(_, s, l)| s <= m && m < s + l)
        .count() as u32
}

/// Whether person `p` works at minute `m`.
fn works(shifts: &[(usize, u32, u32)], p: usize, m: u32) -> bool {
    shifts
        .iter()
        .any(|&(q, s, l)| q == p && s <= m && m < s + l)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn coverage_per_day_matches_a_minute_count(
        shifts in prop::collection::vec((0usize..3, 0u32..4_000, 1u32..720), 1..10),
        need_from in 0u32..2_880,
        need_len in 1u32..2_880,
        minimum in 1u32..3,
        range_from in 0u32..2_880,
        range_len in 1u32..2_880,
    ) {
        let need = (need_from, need_from + need_len);
        let text = roster(&shifts, need, minimum);
        let run = check_texts(&[("p.plan", PLAN), ("r.roster", &text)]);
        let s = &run.model.staffing[0];
        let range = Interval::new(time(range_from), time(range_from + range_len));
        let got = coverage(s, Post::Position(0), range);
        prop_assert_eq!(got.len(), days(range).len());
        for c in &got {
            let (a, b) = (minute(c.day.start), minute(c.day.end));
            let (mut required, mut covered, mut held) = (0i64, 0i64, 0i64);
            let mut gaps: Vec<(u32, u32)> = Vec::new();
            for m in a..b {
                let n = holders(&shifts, m);
                if n > 0 {
                    held += 1;
                }
                if need.0 <= m && m < need.1 {
                    required += 1;
                    if n >= minimum {
                        covered += 1;
                    } else {
                        match gaps.last_mut() {
                            Some(last) if last.1 == m => last.1 = m + 1,
                            _ => gaps.push((m, m + 1)),
                        }
                    }
                }
            }
            prop_assert_eq!(c.required.0, required * MIN);
            prop_assert_eq!(c.covered.0, covered * MIN);
            prop_assert_eq!(c.held.0, held * MIN);
            let got_gaps: Vec<(u32, u32)> =
                c.gaps.iter().map(|g| (minute(g.start), minute(g.end))).collect();
            prop_assert_eq!(got_gaps, gaps);
        }
    }

    #[test]
    fn hours_and_shortest_daily_rest_match_a_minute_count(
        shifts in prop::collection::vec((0usize..3, 0u32..6_000, 1u32..720), 1..10),
        range_from in 0u32..4_000,
        range_len in 1u32..4_000,
    ) {
        let text = roster(&shifts, (0, 1), 1);
        let run = check_texts(&[("p.plan", PLAN), ("r.roster", &text)]);
        let s = &run.model.staffing[0];
        let range = Interval::new(time(range_from), time(range_from + range_len));
        for w in people_work(s, range) {
            let p: usize = s.people[w.person].id.value[1..].parse().unwrap();
            let worked = (range_from..range_from + range_len)
                .filter(|&m| works(&shifts, p, m))
                .count() as i64;
            prop_assert_eq!(w.worked.0, worked * MIN);
            // The nights of each week, by the sweep, are those `Staffing::nights` counts.
            for week in &w.weeks {
                prop_assert_eq!(week.nights, s.nights(w.person, week.week));
            }
            // Starts of work: a worked minute after one not worked.
            let starts: Vec<u32> = (0..8_000u32)
                .filter(|&m| works(&shifts, p, m) && (m == 0 || !works(&shifts, p, m - 1)))
                .filter(|&m| range_from <= m && m < range_from + range_len)
                .collect();
            let longest = |from: u32| {
                let (mut best, mut run) = (0u32, 0u32);
                for m in from..from + 1_440 {
                    if works(&shifts, p, m) {
                        run = 0;
                    } else {
                        run += 1;
                        best = best.max(run);
                    }
                }
                best
            };
            let want = starts.iter().map(|&m| longest(m)).min();
            let got = w.daily_rest.map(|r| (r.length().0 / MIN) as u32);
            prop_assert_eq!(got, want);
        }
    }
}
