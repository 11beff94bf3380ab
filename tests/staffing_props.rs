//! The staffing sweeps against brute force: on random small rosters, the O(n log n)
//! computations (coverage gaps of continuous positions, the longest rest in the period
//! from each start of work, hours per calendar week, nights worked and runs of nights)
//! find exactly what a minute-by-minute count finds.

use opsplan::diag::Code;
use opsplan::model::staffing::work::{
    below, longest_rests, night_runs, week_hours, week_of, NightPeriod, NightRun,
};
use opsplan::time::{Dur, Interval, Time};
use opsplan::workspace::check_texts;
use proptest::prelude::*;

const MIN: i64 = 60;

/// Minutes after 2014/272 00:00 (a Monday) as a roster writes them.
fn at(min: u32) -> String {
    let day = 272 + min / 1440;
    let m = min % 1440;
    format!("2014/{day:03} {:02}:{:02}", m / 60, m % 60)
}

fn base() -> i64 {
    Time::parse_doy("2014/272 00:00").unwrap().0
}

fn iv(a: i64, b: i64) -> Interval {
    Interval::new(Time(a), Time(b))
}

/// Shifts: (person 0-2, start minute, length in minutes).
fn shifts() -> impl Strategy<Value = Vec<(usize, u32, u32)>> {
    prop::collection::vec((0usize..3, 0u32..2_880, 1u32..720), 1..10)
}

/// The roster text: people P0-P2 qualified for `OM`, which must be held over
/// `[need_from, need_to)` minutes, by `minimum`.
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

/// The minutes of `[from, to)` held by fewer than `minimum` shifts, as maximal intervals.
fn brute_gaps(shifts: &[(usize, u32, u32)], need: (u32, u32), minimum: u32) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for m in need.0..need.1 {
        let n = shifts
            .iter()
            .filter(|&&(_, s, l)| s <= m && m < s + l)
            .count() as u32;
        if n < minimum {
            match out.last_mut() {
                Some(last) if last.1 == m => last.1 = m + 1,
                _ => out.push((m, m + 1)),
            }
        }
    }
    out
}

/// The merged work of one person, in minutes.
fn stretches(list: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut v = list.to_vec();
    v.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::new();
    for (a, b) in v {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// The longest run of minutes without work in `[from, from + period)`.
fn brute_longest(work: &[(u32, u32)], from: u32, period: u32) -> u32 {
    let (mut best, mut run) = (0, 0);
    for m in from..from + period {
        if work.iter().any(|&(a, b)| a <= m && m < b) {
            run = 0;
        } else {
            run += 1;
            best = best.max(run);
        }
    }
    best
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The gaps `W002` reports are the minutes held by fewer than the minimum.
    #[test]
    fn coverage_gaps_match_a_minute_count(
        shifts in shifts(),
        from in 0u32..1_440,
        len in 1u32..1_440,
        minimum in 1u32..3,
    ) {
        let need = (from, from + len);
        let text = roster(&shifts, need, minimum);
        let run = check_texts(&[("p.plan", PLAN), ("r.roster", &text)]);
        let mut got: Vec<(u32, u32)> = run
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::UnstaffedPosition)
            .map(|d| {
                let i = d.interval.expect("a gap has its interval");
                (((i.start.0 - base()) / MIN) as u32, ((i.end.0 - base()) / MIN) as u32)
            })
            .collect();
        got.sort_unstable();
        prop_assert_eq!(got, brute_gaps(&shifts, need, minimum));
        // The same from the model's sweep.
        let held: Vec<Interval> = shifts
            .iter()
            .map(|&(_, s, l)| iv(base() + i64::from(s) * MIN, base() + i64::from(s + l) * MIN))
            .collect();
        let required = [iv(base() + i64::from(need.0) * MIN, base() + i64::from(need.1) * MIN)];
        let swept: Vec<(u32, u32)> = below(&held, &required, minimum)
            .iter()
            .map(|i| (((i.start.0 - base()) / MIN) as u32, ((i.end.0 - base()) / MIN) as u32))
            .collect();
        prop_assert_eq!(swept, brute_gaps(&shifts, need, minimum));
    }

    /// The model's stretches and the longest rest of every 24-hour and 7-day period from
    /// a start of work, against a minute count; and `W007` reports exactly the people who
    /// have a short period.
    #[test]
    fn rests_match_a_minute_count(shifts in shifts()) {
        let text = roster(&shifts, (0, 1), 1);
        let run = check_texts(&[("p.plan", PLAN), ("r.roster", &text)]);
        let s = &run.model.staffing[0];
        let mut short_people = Vec::new();
        for p in 0..3 {
            let mine: Vec<(u32, u32)> = shifts
                .iter()
                .filter(|&&(q, _, _)| q == p)
                .map(|&(_, a, l)| (a, a + l))
                .collect();
            let work = stretches(&mine);
            let person = s.person_index[&format!("P{p}")];
            let model: Vec<(u32, u32)> = s.stretches[person]
                .iter()
                .map(|st| {
                    (
                        ((st.interval.start.0 - base()) / MIN) as u32,
                        ((st.interval.end.0 - base()) / MIN) as u32,
                    )
                })
                .collect();
            prop_assert_eq!(&model, &work);
            let intervals: Vec<Interval> = s.work(person);
            for (period, minutes) in [(Dur(86_400), 1_440u32), (Dur(7 * 86_400), 10_080)] {
                let got: Vec<u32> = longest_rests(&intervals, period)
                    .iter()
                    .map(|r| r.map_or(0, |r| (r.duration().0 / MIN) as u32))
                    .collect();
                let want: Vec<u32> = work
                    .iter()
                    .map(|&(a, _)| brute_longest(&work, a, minutes))
                    .collect();
                prop_assert_eq!(&got, &want);
                if minutes == 1_440 && want.iter().any(|&w| w < 11 * 60) {
                    short_people.push(format!("P{p}"));
                }
            }
        }
        let mut reported: Vec<String> = run
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::ShortDailyRest)
            .map(|d| d.message.split(' ').next().unwrap_or("").to_string())
            .collect();
        reported.sort();
        reported.dedup();
        short_people.dedup();
        prop_assert_eq!(reported, short_people);
    }

    /// Hours per calendar week (Monday 00:00 UTC), and nights worked with their runs,
    /// against a minute count.
    #[test]
    fn weeks_and_nights_match_a_minute_count(
        spans in prop::collection::vec((0u32..20_000, 1u32..3_000), 1..8),
        night_from in 0u32..24,
        night_len in 1u32..12,
    ) {
        let mut list: Vec<(u32, u32)> = spans.iter().map(|&(a, l)| (a, a + l)).collect();
        list = stretches(&list);
        // Touching stretches are one.
        let work: Vec<Interval> = list
            .iter()
            .map(|&(a, b)| iv(base() + i64::from(a) * MIN, base() + i64::from(b) * MIN))
            .collect();
        // Weeks.
        let mut want = std::collections::BTreeMap::new();
        for &(a, b) in &list {
            for m in a..b {
                *want.entry(week_of(Time(base() + i64::from(m) * MIN))).or_insert(0i64) += MIN;
            }
        }
        let mut got = std::collections::BTreeMap::new();
        for w in week_hours(&work) {
            for k in 0..w.weeks {
                *got.entry(w.week + k).or_insert(0i64) += w.worked.0;
            }
        }
        prop_assert_eq!(got, want);
        // Nights: from `night_from` o'clock, `night_len` hours.
        let night = NightPeriod {
            from: i64::from(night_from) * 3600,
            to: i64::from((night_from + night_len) % 24) * 3600,
        };
        let need = (3 * 60).min(night_len * 60);
        let first_day = (base() / 86_400) - 2;
        let mut worked = std::collections::BTreeSet::new();
        for k in first_day..first_day + 20 {
            let n = night.night(k);
            for &(a, b) in &list {
                let (a, b) = (base() / 60 + i64::from(a), base() / 60 + i64::from(b));
                let overlap = (b.min(n.end.0 / 60) - a.max(n.start.0 / 60)).max(0);
                if overlap >= i64::from(need) {
                    worked.insert(k);
                }
            }
        }
        let mut from_stretches = std::collections::BTreeSet::new();
        for w in &work {
            if let Some((a, b)) = night.nights_of(*w) {
                from_stretches.extend(a..=b);
            }
        }
        prop_assert_eq!(&from_stretches, &worked);
        let mut runs: Vec<NightRun> = Vec::new();
        for &k in &worked {
            match runs.last_mut() {
                Some(r) if r.first + r.nights == k => r.nights += 1,
                _ => runs.push(NightRun { first: k, nights: 1 }),
            }
        }
        prop_assert_eq!(night_runs(&work, night), runs);
    }
}
