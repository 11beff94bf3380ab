//! A window's occurrences, evaluated without materialising them.
//!
//! A periodic window of period one second over a century has three billion occurrences:
//! it is kept as its rule (first start, period, length, count) and every question is
//! answered by arithmetic (the occurrence covering an instant is found by division). A
//! window given as a list of intervals is kept sorted and merged, and answered by binary
//! search. Occurrences of one window that overlap or touch are merged, so a periodic
//! window whose occurrences last at least its period is one interval.
//!
//! Every query is O(log n) for a list of n intervals and O(1) for a periodic window, except
//! the iterators, which yield only what they are asked for. The queries over several
//! windows ([`union_first_gap`], [`intersection_first_gap`], [`next_common_fit`]) advance
//! from occurrence to occurrence; they take a [`Budget`] of steps and say when it ran out,
//! so that a pathological pair of windows is a reported limit, never a hang and never a
//! silent answer.

use crate::time::{Dur, Interval, Time};

/// The most steps one query over several windows may take (each step moves past one
/// occurrence of one window).
pub const MAX_QUERY_STEPS: u64 = 1_000_000;

/// Steps left to a query over several windows.
#[derive(Debug, Clone, Copy)]
pub struct Budget(pub u64);

impl Default for Budget {
    fn default() -> Self {
        Budget(MAX_QUERY_STEPS)
    }
}

impl Budget {
    fn spend(&mut self) -> Result<(), LimitExceeded> {
        if self.0 == 0 {
            return Err(LimitExceeded);
        }
        self.0 -= 1;
        Ok(())
    }
}

/// A query over several windows ran out of its [`Budget`]: the windows open and close
/// more than [`MAX_QUERY_STEPS`] times inside the interval asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitExceeded;

/// The occurrences of one window: sorted, disjoint, never touching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrences {
    repr: Repr,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Repr {
    /// Sorted, disjoint, separated intervals, with a tree of their lengths for
    /// "the next occurrence at least this long".
    Listed {
        list: Vec<Interval>,
        longest: MaxTree,
    },
    /// `[first + k·every, first + k·every + lasting)` for `k` in `0..count`, with
    /// `0 < lasting < every` and `count ≥ 1`.
    Periodic {
        first: i64,
        every: i64,
        lasting: i64,
        count: i64,
    },
}

impl Default for Occurrences {
    fn default() -> Self {
        Occurrences::listed(Vec::new())
    }
}

impl Occurrences {
    /// Occurrences from a list of intervals in any order; overlapping or touching ones
    /// are merged, empty ones dropped.
    pub fn listed(list: Vec<Interval>) -> Occurrences {
        let list =
            crate::time::merge_intervals(list.into_iter().filter(|iv| iv.start < iv.end).collect());
        let longest = MaxTree::new(list.iter().map(|iv| iv.duration().0));
        Occurrences {
            repr: Repr::Listed { list, longest },
        }
    }

    /// `count` occurrences of length `lasting`, the first at `first`, one every `every`.
    /// When they overlap or touch (`lasting ≥ every`) they are one interval. Nothing for a
    /// non-positive period, length or count, or when the last end leaves the calendar.
    pub fn periodic(first: Time, every: Dur, lasting: Dur, count: i64) -> Occurrences {
        if every.0 <= 0 || lasting.0 <= 0 || count <= 0 {
            return Occurrences::default();
        }
        let last_end = (count - 1)
            .checked_mul(every.0)
            .and_then(|o| first.0.checked_add(o))
            .and_then(|s| s.checked_add(lasting.0));
        let Some(last_end) = last_end else {
            return Occurrences::default();
        };
        if lasting.0 >= every.0 || count == 1 {
            return Occurrences::listed(vec![Interval::new(first, Time(last_end))]);
        }
        Occurrences {
            repr: Repr::Periodic {
                first: first.0,
                every: every.0,
                lasting: lasting.0,
                count,
            },
        }
    }

    /// The number of occurrences.
    pub fn len(&self) -> u64 {
        match &self.repr {
            Repr::Listed { list, .. } => list.len() as u64,
            Repr::Periodic { count, .. } => *count as u64,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True for a window kept as its rule rather than a list.
    pub fn is_periodic(&self) -> bool {
        matches!(self.repr, Repr::Periodic { .. })
    }

    /// The `k`-th occurrence (`k < len`).
    fn get(&self, k: u64) -> Interval {
        match &self.repr {
            Repr::Listed { list, .. } => list[k as usize],
            Repr::Periodic {
                first,
                every,
                lasting,
                ..
            } => {
                let s = first + (k as i64) * every;
                Interval::new(Time(s), Time(s + lasting))
            }
        }
    }

    pub fn first(&self) -> Option<Interval> {
        (!self.is_empty()).then(|| self.get(0))
    }

    pub fn last(&self) -> Option<Interval> {
        (!self.is_empty()).then(|| self.get(self.len() - 1))
    }

    /// The index of the first occurrence that ends after `t` (the one holding `t`, or the
    /// next one); `len` when there is none.
    fn first_ending_after(&self, t: Time) -> u64 {
        match &self.repr {
            Repr::Listed { list, .. } => list.partition_point(|iv| iv.end <= t) as u64,
            Repr::Periodic {
                first,
                every,
                lasting,
                count,
            } => {
                // Occurrence k ends after t when first + k·every + lasting > t.
                let need = t.0.saturating_sub(*first).saturating_sub(*lasting); // k·every > need
                if need < 0 {
                    return 0;
                }
                let k = need / every + 1;
                k.min(*count) as u64
            }
        }
    }

    /// The index of the first occurrence that starts at or after `t`; `len` when none.
    fn first_starting_from(&self, t: Time) -> u64 {
        match &self.repr {
            Repr::Listed { list, .. } => list.partition_point(|iv| iv.start < t) as u64,
            Repr::Periodic {
                first,
                every,
                count,
                ..
            } => {
                let d = t.0.saturating_sub(*first);
                if d <= 0 {
                    return 0;
                }
                let k = d / every + i64::from(d % every != 0);
                k.min(*count) as u64
            }
        }
    }

    /// The occurrence holding the instant `t` (`start ≤ t < end`).
    pub fn containing(&self, t: Time) -> Option<Interval> {
        let k = self.first_ending_after(t);
        (k < self.len())
            .then(|| self.get(k))
            .filter(|iv| iv.start <= t)
    }

    /// The occurrence that holds all of `need` (bounds included), if one does.
    pub fn covering(&self, need: Interval) -> Option<Interval> {
        let k = self.first_ending_after(need.start);
        (k < self.len())
            .then(|| self.get(k))
            .filter(|iv| iv.start <= need.start && need.end <= iv.end)
    }

    /// The last occurrence that starts before `t`.
    pub fn last_starting_before(&self, t: Time) -> Option<Interval> {
        let k = self.first_starting_from(t);
        (k > 0).then(|| self.get(k - 1))
    }

    /// The first occurrence that starts at or after `t`.
    pub fn first_starting_from_time(&self, t: Time) -> Option<Interval> {
        let k = self.first_starting_from(t);
        (k < self.len()).then(|| self.get(k))
    }

    /// The first occurrence that ends after `t` (the one holding `t`, or the next one).
    pub fn first_ending_after_time(&self, t: Time) -> Option<Interval> {
        let k = self.first_ending_after(t);
        (k < self.len()).then(|| self.get(k))
    }

    /// The earliest start at or after `t` of an interval of length `d` that lies inside
    /// one occurrence.
    pub fn next_fit(&self, t: Time, d: Dur) -> Option<Time> {
        let k = self.first_ending_after(t);
        if k >= self.len() {
            return None;
        }
        let iv = self.get(k);
        let start = iv.start.max(t);
        if iv.end.0 - start.0 >= d.0 {
            return Some(start);
        }
        // From the next occurrence on, each starts after t: its whole length counts.
        match &self.repr {
            Repr::Listed { list, longest } => {
                let j = longest.first_at_least(k as usize + 1, d.0)?;
                Some(list[j].start)
            }
            Repr::Periodic { lasting, .. } => {
                (k + 1 < self.len() && *lasting >= d.0).then(|| self.get(k + 1).start)
            }
        }
    }

    /// The occurrences that share time with `range`, in order, as they are (not clipped).
    pub fn overlapping(&self, range: Interval) -> impl Iterator<Item = Interval> + '_ {
        let from = self.first_ending_after(range.start);
        let to = self.first_starting_from(range.end).max(from);
        (from..to).map(move |k| self.get(k))
    }

    /// How many occurrences share time with `range`.
    pub fn count_overlapping(&self, range: Interval) -> u64 {
        let from = self.first_ending_after(range.start);
        let to = self.first_starting_from(range.end);
        to.saturating_sub(from)
    }

    /// Every occurrence, in order.
    pub fn iter(&self) -> impl Iterator<Item = Interval> + '_ {
        (0..self.len()).map(move |k| self.get(k))
    }

    /// The occurrences clipped to `range`, empty ones left out.
    pub fn clipped(&self, range: Interval) -> impl Iterator<Item = Interval> + '_ {
        self.overlapping(range).filter_map(move |iv| {
            let c = Interval::new(iv.start.max(range.start), iv.end.min(range.end));
            (c.start < c.end).then_some(c)
        })
    }

    /// The time inside `range` that the occurrences cover, by arithmetic.
    pub fn covered_within(&self, range: Interval) -> Dur {
        if range.end <= range.start {
            return Dur(0);
        }
        let from = self.first_ending_after(range.start);
        let to = self.first_starting_from(range.end);
        if from >= to {
            return Dur(0);
        }
        let whole: i64 = match &self.repr {
            Repr::Listed { list, .. } => list[from as usize..to as usize]
                .iter()
                .map(|iv| iv.duration().0)
                .sum(),
            Repr::Periodic { lasting, .. } => (to - from) as i64 * lasting,
        };
        let (a, b) = (self.get(from), self.get(to - 1));
        let cut_front = (range.start.0 - a.start.0).max(0);
        let cut_back = (b.end.0 - range.end.0).max(0);
        Dur(whole - cut_front - cut_back)
    }

    /// The first part of `need` that no occurrence covers (bounds included).
    pub fn first_gap(&self, need: Interval) -> Option<Interval> {
        if need.start >= need.end {
            return None;
        }
        let k = self.first_ending_after(need.start);
        if k >= self.len() {
            return Some(need);
        }
        let c = self.get(k);
        if c.start <= need.start {
            if c.end >= need.end {
                return None;
            }
            let stop = if k + 1 < self.len() {
                self.get(k + 1).start.min(need.end)
            } else {
                need.end
            };
            Some(Interval::new(c.end, stop))
        } else {
            Some(Interval::new(need.start, c.start.min(need.end)))
        }
    }

    /// The first part of `iv` that an occurrence shares; touching shares nothing.
    pub fn first_overlap(&self, iv: Interval) -> Option<Interval> {
        let k = self.first_ending_after(iv.start);
        if k >= self.len() {
            return None;
        }
        let u = self.get(k);
        (u.start < iv.end).then(|| Interval::new(u.start.max(iv.start), u.end.min(iv.end)))
    }
}

/// The first part of `need` that none of `windows` covers; a handover from one window to
/// another is continuous (ends included).
pub fn union_first_gap(
    windows: &[&Occurrences],
    need: Interval,
    budget: &mut Budget,
) -> Result<Option<Interval>, LimitExceeded> {
    let mut t = need.start;
    while t < need.end {
        budget.spend()?;
        let reach = windows
            .iter()
            .filter_map(|w| w.containing(t))
            .map(|iv| iv.end)
            .max();
        match reach {
            Some(end) => t = end,
            None => {
                let reopen = windows
                    .iter()
                    .filter_map(|w| w.first_ending_after_time(t))
                    .map(|iv| iv.start)
                    .min()
                    .map_or(need.end, |s| s.min(need.end));
                return Ok(Some(Interval::new(t, reopen)));
            }
        }
    }
    Ok(None)
}

/// The first part of `need` during which not every one of `windows` is open.
pub fn intersection_first_gap(
    windows: &[&Occurrences],
    need: Interval,
    budget: &mut Budget,
) -> Result<Option<Interval>, LimitExceeded> {
    if windows.is_empty() {
        return Ok((need.start < need.end).then_some(need));
    }
    let mut t = need.start;
    while t < need.end {
        budget.spend()?;
        let mut until = Time(i64::MAX);
        let mut all_open = true;
        for w in windows {
            match w.containing(t) {
                Some(iv) => until = until.min(iv.end),
                None => {
                    all_open = false;
                    break;
                }
            }
        }
        if all_open {
            t = until;
            continue;
        }
        // Closed at t: the gap lasts until every window is open at once again.
        let reopen = next_common_open(windows, t, need.end, budget)?;
        return Ok(Some(Interval::new(
            t,
            reopen.unwrap_or(need.end).min(need.end),
        )));
    }
    Ok(None)
}

/// The first instant at or after `t` (and before `stop`) at which every window is open.
fn next_common_open(
    windows: &[&Occurrences],
    mut t: Time,
    stop: Time,
    budget: &mut Budget,
) -> Result<Option<Time>, LimitExceeded> {
    while t < stop {
        budget.spend()?;
        let mut latest = t;
        for w in windows {
            match w.first_ending_after_time(t) {
                Some(iv) => latest = latest.max(iv.start),
                None => return Ok(None),
            }
        }
        if latest == t {
            return Ok(Some(t));
        }
        t = latest;
    }
    Ok(None)
}

/// The earliest start at or after `t` (and before `stop`) of an interval of length `d`
/// that lies inside one occurrence of every window.
pub fn next_common_fit(
    windows: &[&Occurrences],
    mut t: Time,
    d: Dur,
    stop: Time,
    budget: &mut Budget,
) -> Result<Option<Time>, LimitExceeded> {
    if windows.is_empty() {
        return Ok(None);
    }
    while t < stop {
        budget.spend()?;
        let mut latest = t;
        for w in windows {
            match w.next_fit(t, d) {
                Some(s) => latest = latest.max(s),
                None => return Ok(None),
            }
        }
        if latest == t {
            return Ok(Some(t));
        }
        t = latest;
    }
    Ok(None)
}

/// A segment tree of maxima over a list of lengths: the first index from `i` on whose
/// length is at least `d`, in O(log n).
#[derive(Debug, Clone, PartialEq, Eq)]
struct MaxTree {
    /// Leaves at `size..size + n`; `tree[k] = max(tree[2k], tree[2k + 1])`.
    tree: Vec<i64>,
    size: usize,
    n: usize,
}

impl MaxTree {
    fn new(values: impl ExactSizeIterator<Item = i64>) -> MaxTree {
        let n = values.len();
        if n == 0 {
            return MaxTree {
                tree: Vec::new(),
                size: 0,
                n: 0,
            };
        }
        let size = n.next_power_of_two();
        let mut tree = vec![i64::MIN; 2 * size];
        for (k, v) in values.enumerate() {
            tree[size + k] = v;
        }
        for k in (1..size).rev() {
            tree[k] = tree[2 * k].max(tree[2 * k + 1]);
        }
        MaxTree { tree, size, n }
    }

    /// The first index `j ≥ from` with `value[j] ≥ d`.
    fn first_at_least(&self, from: usize, d: i64) -> Option<usize> {
        if from >= self.n {
            return None;
        }
        // Walk up from the leaf: at each level, if we are a left child, look at the right
        // sibling's subtree; the first subtree holding a large enough value is descended.
        let mut k = self.size + from;
        if self.tree[k] >= d {
            return Some(from);
        }
        loop {
            // Move to the next subtree to the right at the lowest level possible.
            while k & 1 == 1 {
                k >>= 1;
                if k <= 1 {
                    return None;
                }
            }
            k += 1; // the right sibling
            if self.tree[k] >= d {
                break;
            }
        }
        while k < self.size {
            k = if self.tree[2 * k] >= d {
                2 * k
            } else {
                2 * k + 1
            };
        }
        let j = k - self.size;
        (j < self.n).then_some(j)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(a: i64, b: i64) -> Interval {
        Interval::new(Time(a), Time(b))
    }

    /// The same occurrences, materialised.
    fn brute(o: &Occurrences) -> Vec<Interval> {
        o.iter().collect()
    }

    fn brute_first_gap(list: &[Interval], need: Interval) -> Option<Interval> {
        crate::time::first_gap(list, need)
    }

    fn brute_next_fit(list: &[Interval], t: Time, d: Dur) -> Option<Time> {
        list.iter()
            .filter(|iv| iv.end > t)
            .map(|iv| (iv.start.max(t), iv.end))
            .find(|(s, e)| e.0 - s.0 >= d.0)
            .map(|(s, _)| s)
    }

    #[test]
    fn periodic_occurrences_by_arithmetic() {
        // every 10 lasting 4 from 100, 5 occurrences: 100-104, 110-114, …, 140-144
        let o = Occurrences::periodic(Time(100), Dur(10), Dur(4), 5);
        assert!(o.is_periodic());
        assert_eq!(o.len(), 5);
        assert_eq!(o.containing(Time(112)), Some(iv(110, 114)));
        assert_eq!(o.containing(Time(114)), None);
        assert_eq!(o.containing(Time(99)), None);
        assert_eq!(o.containing(Time(150)), None);
        assert_eq!(o.covering(iv(110, 114)), Some(iv(110, 114)));
        assert_eq!(o.covering(iv(110, 115)), None);
        assert_eq!(o.next_fit(Time(112), Dur(3)), Some(Time(120)));
        assert_eq!(o.next_fit(Time(112), Dur(2)), Some(Time(112)));
        assert_eq!(o.next_fit(Time(112), Dur(5)), None);
        assert_eq!(o.next_fit(Time(141), Dur(4)), None);
        assert_eq!(o.covered_within(iv(102, 132)), Dur(2 + 4 + 4 + 2));
        assert_eq!(o.count_overlapping(iv(104, 110)), 0);
        assert_eq!(o.count_overlapping(iv(103, 111)), 2);
        assert_eq!(
            o.clipped(iv(102, 112)).collect::<Vec<_>>(),
            [iv(102, 104), iv(110, 112)]
        );
        assert_eq!(o.first_gap(iv(101, 103)), None);
        assert_eq!(o.first_gap(iv(101, 113)), Some(iv(104, 110)));
        assert_eq!(o.first_overlap(iv(104, 111)), Some(iv(110, 111)));
        assert_eq!(o.last_starting_before(Time(110)), Some(iv(100, 104)));
        assert_eq!(o.first_starting_from_time(Time(110)), Some(iv(110, 114)));
    }

    #[test]
    fn touching_periodic_occurrences_are_one_interval() {
        let o = Occurrences::periodic(Time(0), Dur(10), Dur(10), 3);
        assert!(!o.is_periodic());
        assert_eq!(brute(&o), [iv(0, 30)]);
        let o = Occurrences::periodic(Time(0), Dur(10), Dur(25), 3);
        assert_eq!(brute(&o), [iv(0, 45)]);
    }

    #[test]
    fn a_century_of_one_second_windows_costs_nothing() {
        let century = 100 * 365 * 86_400;
        let o = Occurrences::periodic(Time(0), Dur(2), Dur(1), century / 2);
        assert_eq!(o.len(), (century / 2) as u64);
        assert_eq!(o.containing(Time(century - 1001)), None);
        assert_eq!(
            o.containing(Time(century - 1000)),
            Some(iv(century - 1000, century - 999))
        );
        assert_eq!(o.covered_within(iv(0, century)), Dur(century / 2));
    }

    #[test]
    fn periodic_queries_agree_with_the_materialised_list() {
        let mut seed = 7u64;
        let mut rnd = |n: i64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as i64).rem_euclid(n)
        };
        for _ in 0..300 {
            let every = 2 + rnd(20);
            let lasting = 1 + rnd(every + 5);
            let count = 1 + rnd(12);
            let first = rnd(50) - 25;
            let o = Occurrences::periodic(Time(first), Dur(every), Dur(lasting), count);
            let list: Vec<Interval> = crate::time::merge_intervals(
                (0..count)
                    .map(|k| iv(first + k * every, first + k * every + lasting))
                    .collect(),
            );
            assert_eq!(brute(&o), list);
            let l = Occurrences::listed(list.clone());
            for _ in 0..40 {
                let a = rnd(300) - 40;
                let b = a + 1 + rnd(60);
                let need = iv(a, b);
                let d = Dur(1 + rnd(15));
                for x in [&o, &l] {
                    assert_eq!(x.first_gap(need), brute_first_gap(&list, need));
                    assert_eq!(x.next_fit(Time(a), d), brute_next_fit(&list, Time(a), d));
                    assert_eq!(
                        x.containing(Time(a)),
                        list.iter()
                            .copied()
                            .find(|i| i.start <= Time(a) && Time(a) < i.end)
                    );
                    assert_eq!(
                        x.covering(need),
                        list.iter().copied().find(|i| i.contains(&need))
                    );
                    let expect: Vec<Interval> =
                        list.iter().copied().filter(|i| i.overlaps(&need)).collect();
                    assert_eq!(x.overlapping(need).collect::<Vec<_>>(), expect);
                    assert_eq!(x.count_overlapping(need), expect.len() as u64);
                    let covered: i64 = expect
                        .iter()
                        .map(|i| i.end.min(need.end).0 - i.start.max(need.start).0)
                        .sum();
                    assert_eq!(x.covered_within(need), Dur(covered));
                    assert_eq!(
                        x.first_overlap(need),
                        expect.first().map(|i| iv(i.start.0.max(a), i.end.0.min(b)))
                    );
                    assert_eq!(
                        x.last_starting_before(Time(a)),
                        list.iter().copied().rfind(|i| i.start < Time(a))
                    );
                }
            }
        }
    }

    #[test]
    fn several_windows_together() {
        let a = Occurrences::listed(vec![iv(0, 10), iv(20, 30)]);
        let b = Occurrences::listed(vec![iv(8, 22), iv(40, 50)]);
        let mut budget = Budget::default();
        // Union: 0-30 continuous (handovers at 8-10 and 20-22), then a gap until 40.
        assert_eq!(union_first_gap(&[&a, &b], iv(0, 30), &mut budget), Ok(None));
        assert_eq!(
            union_first_gap(&[&a, &b], iv(5, 45), &mut budget),
            Ok(Some(iv(30, 40)))
        );
        // Intersection: 8-10 and 20-22.
        assert_eq!(
            intersection_first_gap(&[&a, &b], iv(8, 10), &mut budget),
            Ok(None)
        );
        assert_eq!(
            intersection_first_gap(&[&a, &b], iv(8, 21), &mut budget),
            Ok(Some(iv(10, 20)))
        );
        assert_eq!(
            next_common_fit(&[&a, &b], Time(0), Dur(2), Time(100), &mut budget),
            Ok(Some(Time(8)))
        );
        assert_eq!(
            next_common_fit(&[&a, &b], Time(9), Dur(2), Time(100), &mut budget),
            Ok(Some(Time(20)))
        );
        assert_eq!(
            next_common_fit(&[&a, &b], Time(0), Dur(3), Time(100), &mut budget),
            Ok(None)
        );
    }

    #[test]
    fn a_query_that_would_not_end_reports_its_limit() {
        // Two one-second windows that hand over to each other every second for a century.
        let century = 100 * 365 * 86_400;
        let a = Occurrences::periodic(Time(0), Dur(2), Dur(1), century / 2);
        let b = Occurrences::periodic(Time(1), Dur(2), Dur(1), century / 2);
        let mut budget = Budget::default();
        assert_eq!(
            union_first_gap(&[&a, &b], iv(0, century), &mut budget),
            Err(LimitExceeded)
        );
        let mut budget = Budget::default();
        assert_eq!(
            union_first_gap(&[&a, &b], iv(0, 1000), &mut budget),
            Ok(None)
        );
    }

    #[test]
    fn the_tree_finds_the_first_long_enough_occurrence() {
        let t = MaxTree::new([3, 1, 4, 1, 5, 9, 2, 6].into_iter());
        assert_eq!(t.first_at_least(0, 4), Some(2));
        assert_eq!(t.first_at_least(3, 4), Some(4));
        assert_eq!(t.first_at_least(5, 7), Some(5));
        assert_eq!(t.first_at_least(6, 7), None);
        assert_eq!(t.first_at_least(6, 3), Some(7));
        let t = MaxTree::new([1, 2, 3].into_iter());
        assert_eq!(t.first_at_least(0, 3), Some(2));
        assert_eq!(t.first_at_least(0, 4), None);
        assert_eq!(t.first_at_least(3, 1), None);
    }
}
