//! Intervals sorted by start over a tree of latest ends: which run at an instant, and the
//! first (in start order) of a range of starts still running at an instant, each in
//! O(log n) plus what is found. Built once per position and duty of a roster.

use crate::time::{Interval, Time};

/// Items sorted by (start, item) with a segment tree of their latest ends.
#[derive(Debug, Clone, Default)]
pub struct IntervalIndex {
    /// (interval, item), sorted by (start, item).
    by_start: Vec<(Interval, usize)>,
    /// `latest[size + i]` is the end of `by_start[i]`; `latest[k]` the later of its
    /// children's; `size` a power of two (empty leaves: `Time(i64::MIN)`).
    latest: Vec<Time>,
    size: usize,
}

impl IntervalIndex {
    pub fn new(mut items: Vec<(Interval, usize)>) -> IntervalIndex {
        items.sort_unstable_by_key(|(i, k)| (i.start, *k));
        let size = items.len().next_power_of_two();
        let mut latest = vec![Time(i64::MIN); 2 * size];
        for (k, (i, _)) in items.iter().enumerate() {
            latest[size + k] = i.end;
        }
        for k in (1..size).rev() {
            latest[k] = latest[2 * k].max(latest[2 * k + 1]);
        }
        IntervalIndex {
            by_start: items,
            latest,
            size,
        }
    }

    pub fn len(&self) -> usize {
        self.by_start.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_start.is_empty()
    }

    /// Every (interval, item), by start.
    pub fn items(&self) -> &[(Interval, usize)] {
        &self.by_start
    }

    /// The items running at `t` (`start <= t < end`), in start order.
    pub fn running_at(&self, t: Time) -> Vec<usize> {
        let started = self.by_start.partition_point(|(i, _)| i.start <= t);
        let mut out = Vec::new();
        self.each_ending_after(0, started, t, |p| {
            out.push(self.by_start[p].1);
            true
        });
        out
    }

    /// The first item, in start order, that starts in `(after, upto]` and still runs at
    /// `upto`'s instant `t` (`end > t`), for which `keep` holds.
    pub fn first_running(
        &self,
        after: Time,
        t: Time,
        mut keep: impl FnMut(usize) -> bool,
    ) -> Option<(Interval, usize)> {
        let lo = self.by_start.partition_point(|(i, _)| i.start <= after);
        let hi = self.by_start.partition_point(|(i, _)| i.start <= t);
        let mut found = None;
        self.each_ending_after(lo, hi, t, |p| {
            let (iv, item) = self.by_start[p];
            if keep(item) {
                found = Some((iv, item));
                false
            } else {
                true
            }
        });
        found
    }

    /// The first item, in start order, that overlaps `iv` (`start < iv.end`,
    /// `end > iv.start`) and for which `keep` holds.
    pub fn first_overlapping(
        &self,
        iv: Interval,
        mut keep: impl FnMut(usize) -> bool,
    ) -> Option<(Interval, usize)> {
        let hi = self.by_start.partition_point(|(i, _)| i.start < iv.end);
        let mut found = None;
        self.each_ending_after(0, hi, iv.start, |p| {
            let (i, item) = self.by_start[p];
            if keep(item) {
                found = Some((i, item));
                false
            } else {
                true
            }
        });
        found
    }

    /// Calls `found` with each position in `lo..hi` whose end is after `t`, in order,
    /// until it returns false. Walks the tree with a stack: no recursion.
    fn each_ending_after(
        &self,
        lo: usize,
        hi: usize,
        t: Time,
        mut found: impl FnMut(usize) -> bool,
    ) {
        if lo >= hi {
            return;
        }
        // (node, first position it covers, positions it covers), left child on top.
        let mut stack: Vec<(usize, usize, usize)> = vec![(1, 0, self.size)];
        while let Some((node, first, len)) = stack.pop() {
            if first >= hi || first + len <= lo || self.latest[node] <= t {
                continue;
            }
            if len == 1 {
                if !found(first) {
                    return;
                }
                continue;
            }
            let half = len / 2;
            stack.push((2 * node + 1, first + half, half));
            stack.push((2 * node, first, half));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_items_agree_with_brute_force() {
        let mut seed = 7u64;
        let mut rnd = |n: i64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as i64).rem_euclid(n)
        };
        for _ in 0..200 {
            let n = rnd(12) as usize;
            let items: Vec<(Interval, usize)> = (0..n)
                .map(|k| {
                    let a = rnd(40);
                    (Interval::new(Time(a), Time(a + 1 + rnd(15))), k)
                })
                .collect();
            let index = IntervalIndex::new(items.clone());
            for t in -1..60 {
                let mut want: Vec<(Time, usize)> = items
                    .iter()
                    .filter(|(i, _)| i.start.0 <= t && t < i.end.0)
                    .map(|(i, k)| (i.start, *k))
                    .collect();
                want.sort_unstable();
                let want: Vec<usize> = want.into_iter().map(|(_, k)| k).collect();
                assert_eq!(index.running_at(Time(t)), want);
                let after = t - 5;
                let first = want
                    .iter()
                    .copied()
                    .find(|&k| items[k].0.start.0 > after && k % 2 == 0);
                assert_eq!(
                    index
                        .first_running(Time(after), Time(t), |k| k % 2 == 0)
                        .map(|(_, k)| k),
                    first
                );
                let window = Interval::new(Time(t), Time(t + 3));
                let mut want: Vec<(Time, usize)> = items
                    .iter()
                    .filter(|(i, k)| i.overlaps(&window) && k % 3 == 0)
                    .map(|(i, k)| (i.start, *k))
                    .collect();
                want.sort_unstable();
                assert_eq!(
                    index
                        .first_overlapping(window, |k| k % 3 == 0)
                        .map(|(_, k)| k),
                    want.first().map(|&(_, k)| k)
                );
            }
        }
    }
}
