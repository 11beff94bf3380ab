//! "Did you mean …?": the declared names a misspelt name is close to.
//!
//! From closest to farthest ([`Closeness`]):
//!
//! 1. the same name in another case (`ffd` for `FFD`);
//! 2. the same name up to case and characters confused in print and on screen: `0`/`O`,
//!    `1`/`I`/`l`, `5`/`S`, `8`/`B`, `2`/`Z` (`CO3` for `C03`);
//! 3. one swap of two adjacent characters (`GCS` for `GSC`, `C30` for `C03`), any length;
//! 4. one character replaced, added or left out, when the longer name has 3 characters or
//!    more (`GSX` for `GSC`; never `B` for `A` nor `A2` for `A1`);
//! 5. two such edits or swaps (optimal string alignment distance 2), when the longer name
//!    has 8 characters or more (`THRUSTR_OVRTEMP` for `THRUSTER_OVERTEMP`);
//! 6. one name the other cut short: the shorter has 8 characters or more and at least two
//!    thirds of the longer's (`THRUSTER_OVERTEMP` for `THRUSTER_OVERTEMPERATURE`).
//!
//! Edits (3-5) are counted on the names in lower case: a confusable character beside
//! another difference is an ordinary substitution (`CO4` is two edits from `C03`, too many
//! for 3 characters). Nothing farther is ever offered: a wrong suggestion is worse than
//! none. The edit tiers apply to names of at most [`MAX_EDIT_LEN`] characters. Every
//! candidate at the closest tier is offered, in name order (`SPACON-C` gets "`SPACON-A`
//! or `SPACON-B`", `MCC-N` gets "`MCC-H` or `MCC-M`"); more than [`MAX_LISTED`] equally
//! close names are no suggestion.
//!
//! Few queries scan every candidate. When queries × candidates exceed
//! [`Suggester::SCAN_LIMIT`], pairs are found by symmetric deletion instead: two names
//! within one edit of each other (a swap included: delete one of the swapped characters
//! on each side) share a string obtained by deleting at most one character from each, and
//! two names within two edits share one obtained by deleting at most two. The names are
//! indexed folded (lower case, confusables made one), so that names equal up to
//! confusables meet as well. The variants are hashed (a polynomial hash modulo 2^61 - 1,
//! O(1) per variant from prefix hashes), the side with fewer variants is sorted, the other
//! side is streamed through it, and every pair found is judged by the same rules as the
//! scan, so both strategies give the same answer. Two-deletion variants (names of 8 to 32
//! characters) are only made in a second pass, for the queries that the first pass left
//! without a name within one edit.

use std::collections::BTreeMap;

/// More than this many equally close names are no suggestion.
pub const MAX_LISTED: usize = 3;
/// Names longer than this (in characters) are matched up to case and confusables only,
/// never by edits (bounded work per name, also with hostile input).
pub const MAX_EDIT_LEN: usize = 32;
/// Two edits are allowed from this length (of the longer name) on.
const TWO_EDITS_FROM: usize = 8;
/// The shorter name of a [`Closeness::Prefix`] has at least this many characters.
const PREFIX_FROM: usize = 8;

/// How close a suggested name is, closest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Closeness {
    /// The same name in another case: `ffd` for `FFD`.
    Case,
    /// The same name up to case and confusable characters: `CO3` for `C03`.
    Confusable,
    /// One swap of adjacent characters: `GCS` for `GSC`.
    Transposition,
    /// One character replaced, added or left out: `GSX` for `GSC`.
    OneEdit,
    /// Two edits, in names of 8 characters or more.
    TwoEdits,
    /// One name is the other cut short (the shorter at least 8 characters and two
    /// thirds of the longer).
    Prefix,
}

impl Closeness {
    /// A slip of the fingers or the eyes: the same characters (up to case and
    /// confusables), at most two of them swapped. The writer almost certainly meant the
    /// suggested name.
    pub fn is_slip(self) -> bool {
        self <= Closeness::Transposition
    }
}

/// The closest declared names to a misspelt one, in name order, all equally close.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion<'a> {
    names: Vec<&'a str>,
    closeness: Closeness,
}

impl<'a> Suggestion<'a> {
    /// The suggested names (one to [`MAX_LISTED`]), in name order.
    pub fn names(&self) -> &[&'a str] {
        &self.names
    }

    pub fn closeness(&self) -> Closeness {
        self.closeness
    }

    /// See [`Closeness::is_slip`].
    pub fn is_slip(&self) -> bool {
        self.closeness.is_slip()
    }

    /// "`A`", "`A` or `B`", "`A`, `B` or `C`".
    pub fn alternatives(&self) -> String {
        or_list(&self.names, "`")
    }

    /// "did you mean `A`?", "did you mean `A` or `B`?".
    pub fn did_you_mean(&self) -> String {
        format!("did you mean {}?", self.alternatives())
    }
}

/// "A", "A or B", "A, B or C", each name between `quote`s.
pub fn or_list<S: AsRef<str>>(names: &[S], quote: &str) -> String {
    let q = |s: &S| format!("{quote}{}{quote}", s.as_ref());
    match names {
        [] => String::new(),
        [one] => q(one),
        [init @ .., last] => format!(
            "{} or {}",
            init.iter().map(q).collect::<Vec<_>>().join(", "),
            q(last)
        ),
    }
}

/// "Did you mean …?" for one name: see [`Suggester`].
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<Suggestion<'a>> {
    Suggester::new(candidates.into_iter().collect()).suggest(name)
}

/// A name as compared: in lower case, and with confusables folded too.
struct Key {
    lower: String,
    folded: String,
    /// Characters of both (folding maps a character to one character).
    len: usize,
}

impl Key {
    fn new(name: &str) -> Key {
        let lower = name.to_lowercase();
        let folded: String = lower
            .chars()
            .map(|c| match c {
                '0' => 'o',
                '1' | 'i' => 'l',
                '5' => 's',
                '8' => 'b',
                '2' => 'z',
                c => c,
            })
            .collect();
        let len = folded.chars().count();
        Key { lower, folded, len }
    }
}

/// How close two different names are, by the edit tiers (the prefix tier is found by
/// [`Suggester::prefixes`]).
fn closeness(q: &Key, c: &Key) -> Option<Closeness> {
    if q.folded == c.folded {
        return Some(if q.lower == c.lower {
            Closeness::Case
        } else {
            Closeness::Confusable
        });
    }
    let longer = q.len.max(c.len);
    let gap = q.len.abs_diff(c.len);
    let budget = match longer {
        0..=1 => 0,
        2..TWO_EDITS_FROM => 1,
        TWO_EDITS_FROM..=MAX_EDIT_LEN => 2,
        _ => 0,
    };
    if budget == 0 || gap > budget {
        return None;
    }
    // The edits are counted on the names in lower case: a confusable character beside
    // another edit is an ordinary substitution (`CO4` is two edits from `C03`, and `FE5`
    // is not one from `FDS`).
    match strsim::osa_distance(&q.lower, &c.lower) {
        1 if gap == 0 && strsim::levenshtein(&q.lower, &c.lower) == 2 => {
            Some(Closeness::Transposition)
        }
        1 if longer >= 3 => Some(Closeness::OneEdit),
        2 if longer >= TWO_EDITS_FROM => Some(Closeness::TwoEdits),
        _ => None,
    }
}

/// The closest candidates found so far for one query.
#[derive(Clone)]
struct Best {
    closeness: Closeness,
    /// Candidate indices, at most `MAX_LISTED + 1` (more are not needed to know that
    /// there are too many).
    picks: Vec<u32>,
}

fn offer(best: &mut Option<Best>, closeness: Closeness, pick: u32) {
    match best {
        Some(b) if closeness > b.closeness => {}
        Some(b) if closeness == b.closeness => {
            if b.picks.len() <= MAX_LISTED && !b.picks.contains(&pick) {
                b.picks.push(pick);
            }
        }
        _ => {
            *best = Some(Best {
                closeness,
                picks: vec![pick],
            })
        }
    }
}

/// Answers "did you mean …?" for misspelt names against one candidate list (module
/// documentation: the rules, and how many queries are answered without comparing each
/// with every candidate).
pub struct Suggester<'a> {
    /// Sorted, distinct.
    names: Vec<&'a str>,
    keys: Vec<Key>,
    /// Candidate indices by length, each list sorted by the name in lower case (for the
    /// prefix tier).
    by_len: BTreeMap<usize, Vec<u32>>,
}

impl<'a> Suggester<'a> {
    /// Above this many comparisons (queries × candidates) pairs are found by the deletion
    /// index instead of a scan.
    pub const SCAN_LIMIT: usize = 2_000_000;

    pub fn new(mut names: Vec<&'a str>) -> Self {
        names.sort_unstable();
        names.dedup();
        let keys: Vec<Key> = names.iter().map(|n| Key::new(n)).collect();
        let mut by_len: BTreeMap<usize, Vec<u32>> = BTreeMap::new();
        for (i, k) in keys.iter().enumerate() {
            by_len.entry(k.len).or_default().push(i as u32);
        }
        for ids in by_len.values_mut() {
            ids.sort_by(|&a, &b| {
                keys[a as usize]
                    .lower
                    .cmp(&keys[b as usize].lower)
                    .then(a.cmp(&b))
            });
        }
        Suggester {
            names,
            keys,
            by_len,
        }
    }

    /// The closest candidates to `name`, if any is close enough.
    pub fn suggest(&self, name: &str) -> Option<Suggestion<'a>> {
        self.suggest_all(&[name]).pop().flatten()
    }

    /// The answer for each of `queries`, in their order. Each distinct query is answered
    /// once.
    pub fn suggest_all(&self, queries: &[&str]) -> Vec<Option<Suggestion<'a>>> {
        let mut distinct: Vec<&str> = queries.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        let keys: Vec<Key> = distinct.iter().map(|q| Key::new(q)).collect();
        let mut best: Vec<Option<Best>> = vec![None; distinct.len()];
        if distinct.len().saturating_mul(self.names.len()) <= Self::SCAN_LIMIT {
            self.scan(&distinct, &keys, &mut best);
        } else {
            self.indexed(&distinct, &keys, &mut best);
        }
        for (b, q) in best.iter_mut().zip(&keys) {
            if b.is_none() {
                *b = self.prefixes(q);
            }
        }
        let answers: Vec<Option<Suggestion<'a>>> =
            best.into_iter().map(|b| self.answer(b)).collect();
        queries
            .iter()
            .map(|q| {
                let i = distinct
                    .binary_search(q)
                    .expect("every query is in `distinct`");
                answers[i].clone()
            })
            .collect()
    }

    fn answer(&self, best: Option<Best>) -> Option<Suggestion<'a>> {
        let mut b = best?;
        if b.picks.len() > MAX_LISTED {
            return None;
        }
        b.picks.sort_unstable();
        Some(Suggestion {
            names: b.picks.iter().map(|&i| self.names[i as usize]).collect(),
            closeness: b.closeness,
        })
    }

    /// Every query against every candidate.
    fn scan(&self, queries: &[&str], keys: &[Key], best: &mut [Option<Best>]) {
        for (qi, q) in keys.iter().enumerate() {
            for (ci, c) in self.keys.iter().enumerate() {
                if self.names[ci] == queries[qi] {
                    continue;
                }
                if let Some(cl) = closeness(q, c) {
                    offer(&mut best[qi], cl, ci as u32);
                }
            }
        }
    }

    /// The pairs that share a deletion variant, judged like the scan judges them: one
    /// pass with up to one deletion per name, then a pass with up to two for the queries
    /// still without a name within one edit.
    fn indexed(&self, queries: &[&str], keys: &[Key], best: &mut [Option<Best>]) {
        let judge = |qi: usize, ci: usize, best: &mut [Option<Best>]| {
            if self.names[ci] != queries[qi] {
                if let Some(cl) = closeness(&keys[qi], &self.keys[ci]) {
                    offer(&mut best[qi], cl, ci as u32);
                }
            }
        };
        let all_q: Vec<u32> = (0..keys.len() as u32).collect();
        let all_c: Vec<u32> = (0..self.keys.len() as u32).collect();
        join(keys, &all_q, &self.keys, &all_c, false, |q, c| {
            judge(q, c, best)
        });

        // Two edits need a longer name of 8 characters or more, so both names have at
        // least 6.
        let two = |k: &Key| (TWO_EDITS_FROM - 2..=MAX_EDIT_LEN).contains(&k.len);
        let needy: Vec<u32> = all_q
            .into_iter()
            .filter(|&i| {
                two(&keys[i as usize])
                    && best[i as usize]
                        .as_ref()
                        .is_none_or(|b| b.closeness >= Closeness::TwoEdits)
            })
            .collect();
        let long: Vec<u32> = all_c
            .into_iter()
            .filter(|&i| two(&self.keys[i as usize]))
            .collect();
        // Only lengths that can meet: at most 2 apart, the longer of 8 or more.
        let lengths = |keys: &[Key], ids: &[u32]| -> std::collections::BTreeSet<usize> {
            ids.iter().map(|&i| keys[i as usize].len).collect()
        };
        let fits = |n: usize, others: &std::collections::BTreeSet<usize>| {
            others
                .range(n.saturating_sub(2)..=n + 2)
                .any(|&m| n.max(m) >= TWO_EDITS_FROM)
        };
        let long_lengths = lengths(&self.keys, &long);
        let needy: Vec<u32> = needy
            .into_iter()
            .filter(|&i| fits(keys[i as usize].len, &long_lengths))
            .collect();
        let needy_lengths = lengths(keys, &needy);
        let long: Vec<u32> = long
            .into_iter()
            .filter(|&i| fits(self.keys[i as usize].len, &needy_lengths))
            .collect();
        if !needy.is_empty() && !long.is_empty() {
            join(keys, &needy, &self.keys, &long, true, |q, c| {
                judge(q, c, best)
            });
        }
    }

    /// The candidates that `q` cuts short or that cut `q` short ([`Closeness::Prefix`]),
    /// by binary search in the candidates of each fitting length.
    fn prefixes(&self, q: &Key) -> Option<Best> {
        let n = q.len;
        let mut best = None;
        let lower = |i: u32| self.keys[i as usize].lower.as_str();
        if n >= PREFIX_FROM {
            // Longer candidates: n + 3 ..= 1.5 n characters, starting with `q`.
            for ids in self.by_len.range(n + 3..=n * 3 / 2).map(|(_, ids)| ids) {
                let start = ids.partition_point(|&i| lower(i) < q.lower.as_str());
                for &i in ids[start..]
                    .iter()
                    .take_while(|&&i| lower(i).starts_with(&q.lower))
                    .take(MAX_LISTED + 1)
                {
                    offer(&mut best, Closeness::Prefix, i);
                }
            }
        }
        // Shorter candidates: at least 8 and two thirds of n characters, at most n - 3.
        let lo = PREFIX_FROM.max((2 * n).div_ceil(3));
        if n >= 3 && lo <= n - 3 {
            let offsets: Vec<usize> = q
                .lower
                .char_indices()
                .map(|(i, _)| i)
                .chain([q.lower.len()])
                .collect();
            for (&l, ids) in self.by_len.range(lo..=n - 3) {
                let p = &q.lower[..offsets[l]];
                let start = ids.partition_point(|&i| lower(i) < p);
                for &i in ids[start..]
                    .iter()
                    .take_while(|&&i| lower(i) == p)
                    .take(MAX_LISTED + 1)
                {
                    offer(&mut best, Closeness::Prefix, i);
                }
            }
        }
        best
    }
}

/// Calls `pair(l, r)` for each `l` of `left` (indices into `lk`) and `r` of `right`
/// (into `rk`) that share a deletion variant (see [`variants`]), and maybe for a few
/// more pairs (hashes are compared on 32 bits: the pairs are judged anyway); a pair may
/// be reported more than once. The side with fewer variants is indexed, the other
/// streamed through it: time linear in the variants of both sides (plus the pairs
/// found), memory in those of the smaller (12 bytes a variant).
fn join(
    lk: &[Key],
    left: &[u32],
    rk: &[Key],
    right: &[u32],
    two: bool,
    mut pair: impl FnMut(usize, usize),
) {
    let cost = |keys: &[Key], ids: &[u32]| -> usize {
        ids.iter()
            .map(|&i| variant_count(&keys[i as usize], two))
            .sum()
    };
    let (lc, rc) = (cost(lk, left), cost(rk, right));
    let store_left = lc <= rc;
    let (sk, sids, tk, tids) = if store_left {
        (lk, left, rk, right)
    } else {
        (rk, right, lk, left)
    };
    // Each entry is a variant's hash (its high 32 bits) and the name's index (the low 32
    // bits), sorted; `starts` finds the entries of a hash's leading `bits` bits.
    let mut buf = Vec::new();
    let mut index: Vec<u64> = Vec::with_capacity(lc.min(rc));
    for &i in sids {
        variants(&sk[i as usize], two, &mut buf);
        index.extend(buf.iter().map(|&h| (h & !0xFFFF_FFFF) | u64::from(i)));
    }
    index.sort_unstable();
    let bits = index.len().max(4).ilog2() - 1;
    let shift = 64 - bits;
    let mut starts: Vec<u32> = Vec::with_capacity((1 << bits) + 1);
    let mut at = 0;
    for b in 0..=(1u64 << bits) {
        while at < index.len() && index[at] >> shift < b {
            at += 1;
        }
        starts.push(at as u32);
    }
    let mut hits: Vec<u32> = Vec::new();
    for &j in tids {
        variants(&tk[j as usize], two, &mut buf);
        hits.clear();
        for &h in &buf {
            let b = (h >> shift) as usize;
            let bucket = &index[starts[b] as usize..starts[b + 1] as usize];
            hits.extend(
                bucket
                    .iter()
                    .filter(|&&e| e >> 32 == h >> 32)
                    .map(|&e| e as u32),
            );
        }
        hits.sort_unstable();
        hits.dedup();
        for &i in &hits {
            if store_left {
                pair(i as usize, j as usize);
            } else {
                pair(j as usize, i as usize);
            }
        }
    }
}

/// How many variants [`variants`] makes (before duplicates are removed).
fn variant_count(k: &Key, two: bool) -> usize {
    let n = k.len;
    let mut count = 1;
    if (2..=MAX_EDIT_LEN).contains(&n) {
        count += n;
    }
    if two && (TWO_EDITS_FROM..=MAX_EDIT_LEN).contains(&n) {
        count += n * (n - 1) / 2;
    }
    count
}

/// Arithmetic modulo the Mersenne prime 2^61 - 1.
const MOD: u64 = (1 << 61) - 1;
const BASE: u64 = 0x3C6E_F372_FE94_F82B % MOD;

fn mul(a: u64, b: u64) -> u64 {
    let r = u128::from(a) * u128::from(b);
    let s = (r as u64 & MOD) + (r >> 61) as u64;
    if s >= MOD {
        s - MOD
    } else {
        s
    }
}

fn add(a: u64, b: u64) -> u64 {
    let s = a + b;
    if s >= MOD {
        s - MOD
    } else {
        s
    }
}

fn sub(a: u64, b: u64) -> u64 {
    if a >= b {
        a - b
    } else {
        a + MOD - b
    }
}

/// The key of a string of `len` characters with polynomial hash `h`, its bits mixed
/// (a bijection: the splitmix64 finaliser) so that the leading ones are uniform.
fn finish(h: u64, len: usize) -> u64 {
    let mut z = h ^ (len as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The hashes of a folded name and of its deletion variants, sorted and distinct: the
/// name itself; for names of 2 to [`MAX_EDIT_LEN`] characters each one-character
/// deletion; with `two`, for names of 8 to [`MAX_EDIT_LEN`] characters, each
/// two-character deletion. Each variant's hash comes from prefix hashes in O(1).
fn variants(k: &Key, two: bool, out: &mut Vec<u64>) {
    out.clear();
    let cs: Vec<u64> = k.folded.chars().map(|c| u64::from(c) + 1).collect();
    let n = cs.len();
    let mut pre = vec![0u64; n + 1];
    for i in 0..n {
        pre[i + 1] = add(mul(pre[i], BASE), cs[i]);
    }
    out.push(finish(pre[n], n));
    if (2..=MAX_EDIT_LEN).contains(&n) {
        let mut pow = vec![1u64; n + 1];
        for i in 1..=n {
            pow[i] = mul(pow[i - 1], BASE);
        }
        // The hash of cs[a..b].
        let seg = |a: usize, b: usize| sub(pre[b], mul(pre[a], pow[b - a]));
        for i in 0..n {
            let h = add(mul(pre[i], pow[n - i - 1]), seg(i + 1, n));
            out.push(finish(h, n - 1));
        }
        if two && n >= TWO_EDITS_FROM {
            for i in 0..n {
                for j in i + 1..n {
                    let head = add(mul(pre[i], pow[j - i - 1]), seg(i + 1, j));
                    let h = add(mul(head, pow[n - j - 1]), seg(j + 1, n));
                    out.push(finish(h, n - 2));
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &Option<Suggestion>) -> Vec<String> {
        s.as_ref()
            .map(|s| s.names().iter().map(|n| n.to_string()).collect())
            .unwrap_or_default()
    }

    /// The pick of `name` among `candidates`, by the scan and by the deletion index.
    fn both(name: &str, candidates: &[&str]) -> Option<(Vec<String>, Closeness)> {
        let s = Suggester::new(candidates.to_vec());
        let keys = [Key::new(name)];
        let mut scanned = vec![None];
        s.scan(&[name], &keys, &mut scanned);
        let mut indexed = vec![None];
        s.indexed(&[name], &keys, &mut indexed);
        for b in [&mut scanned, &mut indexed] {
            if b[0].is_none() {
                b[0] = s.prefixes(&keys[0]);
            }
        }
        let (a, b) = (
            s.answer(scanned.pop().flatten()),
            s.answer(indexed.pop().flatten()),
        );
        assert_eq!(a, b, "scan and index differ for `{name}`");
        assert_eq!(a, s.suggest(name));
        a.map(|a| {
            (
                a.names().iter().map(|n| n.to_string()).collect(),
                a.closeness(),
            )
        })
    }

    fn one(name: &str, candidates: &[&str]) -> Option<String> {
        both(name, candidates).map(|(n, _)| n.join(" | "))
    }

    #[test]
    fn adjacent_swaps_are_slips() {
        let roles = ["GSC", "FD", "MCC-M", "EST"];
        assert_eq!(
            both("GCS", &roles),
            Some((vec!["GSC".into()], Closeness::Transposition))
        );
        assert_eq!(one("TLR", &["TRL", "KIR", "ART"]).as_deref(), Some("TRL"));
        assert_eq!(one("KRI", &["TRL", "KIR", "ART"]).as_deref(), Some("KIR"));
        assert_eq!(one("NAT", &["ANT", "A11", "A12"]).as_deref(), Some("ANT"));
        assert_eq!(one("DF", &["FD", "MCC"]).as_deref(), Some("FD"));
        assert!(Closeness::Transposition.is_slip());
    }

    #[test]
    fn confusable_characters_are_cheap() {
        let windows = ["C01", "C02", "C03", "C05"];
        assert_eq!(
            both("CO3", &windows),
            Some((vec!["C03".into()], Closeness::Confusable))
        );
        // A swap over a confusable: `C30` is `C03` with `3` and `0` swapped.
        assert_eq!(
            both("C30", &windows),
            Some((vec!["C03".into()], Closeness::Transposition))
        );
        assert_eq!(one("A1O", &["A10", "A11"]).as_deref(), Some("A10"));
        assert_eq!(one("SI", &["S1", "S2"]).as_deref(), Some("S1"));
        assert_eq!(one("B8", &["BB", "B9"]).as_deref(), Some("BB"));
        assert_eq!(one("Z2", &["ZZ"]).as_deref(), Some("ZZ"));
        assert_eq!(one("55", &["SS"]).as_deref(), Some("SS"));
        // Beside another edit a confusable is an ordinary substitution.
        assert_eq!(one("CO4", &["C03"]), None);
        assert_eq!(one("FE5", &["FDS", "FE-5"]).as_deref(), Some("FE-5"));
    }

    #[test]
    fn case_only_is_closest() {
        assert_eq!(
            both("ffd", &["FFD", "FD", "FFDX"]),
            Some((vec!["FFD".into()], Closeness::Case))
        );
        // Case beats a confusable: `a2` is `A2`, not `AZ`.
        assert_eq!(one("a2", &["AZ", "A2"]).as_deref(), Some("A2"));
    }

    #[test]
    fn one_edit_from_three_characters() {
        assert_eq!(
            both("GSX", &["GSC", "FD"]),
            Some((vec!["GSC".into()], Closeness::OneEdit))
        );
        assert_eq!(one("C04", &["C03", "C10"]).as_deref(), Some("C03"));
        assert_eq!(one("KIX", &["KIR", "ART"]).as_deref(), Some("KIR"));
        assert_eq!(one("FDX", &["FD", "MCC-M"]).as_deref(), Some("FD"));
        assert_eq!(one("FE5", &["FE-5", "FD"]).as_deref(), Some("FE-5"));
        // Two-character names: a swap or a confusable, never a replaced character.
        assert_eq!(one("A1", &["A2"]), None);
        assert_eq!(one("FX", &["FD"]), None);
        assert_eq!(one("A", &["B", "AB"]), None);
    }

    #[test]
    fn far_names_are_not_suggested() {
        assert_eq!(one("EVA", &["ART", "TDRS", "KIR"]), None);
        assert_eq!(one("A1", &["B2", "C3"]), None);
        assert_eq!(one("ZZZZZZ", &["A11", "A12", "MCC-M", "MCC-H"]), None);
        // Two edits in a name of less than 8 characters are too many.
        assert_eq!(one("ABCDEF", &["ABXDEY"]), None);
        assert_eq!(one("DOWNLINK", &["UPLINK"]), None);
    }

    #[test]
    fn two_edits_from_eight_characters() {
        assert_eq!(
            both("THRUSTR_OVRTEMP", &["THRUSTER_OVERTEMP", "NO_IGNITION"]),
            Some((vec!["THRUSTER_OVERTEMP".into()], Closeness::TwoEdits))
        );
        assert_eq!(
            one("ATV-OPS-REQ-21", &["ATV-OPS-REQ-021", "ATV-OPS-REQ-0021"]).as_deref(),
            Some("ATV-OPS-REQ-021"),
            "one edit beats two"
        );
        assert_eq!(
            one("ATV-OPS-REQ-21", &["ATV-OPS-REQ-0021"]).as_deref(),
            Some("ATV-OPS-REQ-0021")
        );
    }

    #[test]
    fn a_name_cut_short() {
        assert_eq!(
            both(
                "THRUSTER_OVERTEMPERATURE",
                &["THRUSTER_OVERTEMP", "NO_IGNITION"]
            ),
            Some((vec!["THRUSTER_OVERTEMP".into()], Closeness::Prefix))
        );
        assert_eq!(
            one("THRUSTER_OVERTEMP", &["THRUSTER_OVERTEMPERATURE"]).as_deref(),
            Some("THRUSTER_OVERTEMPERATURE")
        );
        // Too short a stem, or too little of the longer name.
        assert_eq!(one("FD", &["FD-BACKUP"]), None);
        assert_eq!(one("SPACON-A", &["SPACON-A-BACKUP"]), None);
    }

    #[test]
    fn equally_close_siblings_are_listed() {
        let procs = ["SPACON", "SPACON-A", "SPACON-B"];
        let s = did_you_mean("SPACON-C", procs).unwrap();
        assert_eq!(s.names(), ["SPACON-A", "SPACON-B"]);
        assert_eq!(s.did_you_mean(), "did you mean `SPACON-A` or `SPACON-B`?");
        assert!(!s.is_slip());
        assert_eq!(
            one("MCC-N", &["MCC-M", "MCC-H", "FD"]).as_deref(),
            Some("MCC-H | MCC-M")
        );
        assert_eq!(
            did_you_mean("FE-7", ["FE-4", "FE-5", "FE-6"])
                .unwrap()
                .alternatives(),
            "`FE-4`, `FE-5` or `FE-6`"
        );
        // More than three equally close names are no suggestion.
        assert_eq!(one("FE-7", &["FE-3", "FE-4", "FE-5", "FE-6"]), None);
        // A closer one wins over any number of farther ones.
        assert_eq!(
            one("FE-7", &["FE-3", "FE-4", "FE-5", "FE-6", "fe-7"]).as_deref(),
            Some("fe-7")
        );
    }

    #[test]
    fn long_names_are_matched_up_to_case_and_confusables_only() {
        // Far beyond MAX_EDIT_LEN: no edit distance is computed (it would be quadratic).
        let a = "A".repeat(50_000);
        let (b, c) = (format!("{a}B"), format!("{a}C"));
        assert_eq!(did_you_mean(&b, [c.as_str()]), None);
        let lower = b.to_lowercase();
        assert_eq!(
            did_you_mean(&lower, [b.as_str()]).map(|s| s.closeness()),
            Some(Closeness::Case)
        );
        let o = format!("{a}O");
        let zero = format!("{a}0");
        assert_eq!(
            did_you_mean(&o, [zero.as_str()]).map(|s| s.closeness()),
            Some(Closeness::Confusable)
        );
    }

    #[test]
    fn the_order_of_candidates_does_not_matter() {
        let a = did_you_mean("MCC-N", ["MCC-M", "MCC-H", "MCC-H"]);
        let b = did_you_mean("MCC-N", ["MCC-H", "MCC-M"]);
        assert_eq!(a, b);
        assert_eq!(names(&a), ["MCC-H", "MCC-M"]);
        assert_eq!(
            did_you_mean("FD", ["FD"]),
            None,
            "the name itself is no suggestion"
        );
    }

    #[test]
    fn lists_read_as_prose() {
        assert_eq!(or_list(&["A"], "`"), "`A`");
        assert_eq!(or_list(&["A", "B"], ""), "A or B");
        assert_eq!(or_list(&["A", "B", "C"], "`"), "`A`, `B` or `C`");
        assert_eq!(or_list::<&str>(&[], "`"), "");
    }

    #[test]
    fn variant_hashes_are_those_of_the_strings() {
        let hash = |s: &str| {
            let mut out = Vec::new();
            variants(&Key::new(s), false, &mut out);
            let whole = Key::new(s);
            let n = whole.len;
            let mut pre = 0;
            for c in whole.folded.chars() {
                pre = add(mul(pre, BASE), u64::from(c) + 1);
            }
            assert!(out.contains(&finish(pre, n)));
            finish(pre, n)
        };
        for name in ["ATV-OPS-REQ-021", "GSC", "Ärger-ß", "aab"] {
            let k = Key::new(name);
            let chars: Vec<char> = k.folded.chars().collect();
            let mut got = Vec::new();
            variants(&k, true, &mut got);
            let mut want = vec![hash(&k.folded)];
            for i in 0..chars.len() {
                let v: String = chars
                    .iter()
                    .enumerate()
                    .filter(|&(x, _)| x != i)
                    .map(|(_, c)| c)
                    .collect();
                want.push(hash(&v));
                if chars.len() >= TWO_EDITS_FROM {
                    for j in i + 1..chars.len() {
                        let v: String = chars
                            .iter()
                            .enumerate()
                            .filter(|&(x, _)| x != i && x != j)
                            .map(|(_, c)| c)
                            .collect();
                        want.push(hash(&v));
                    }
                }
            }
            want.sort_unstable();
            want.dedup();
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn the_deletion_index_and_the_scan_agree_on_random_names() {
        // Names over a small alphabet (confusables, case, a dash), 1 to 12 characters,
        // so that many pairs are within one or two edits.
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let alphabet: Vec<char> = "abAB01lIoO-".chars().collect();
        let mut word = |max: u64| -> String {
            let len = 1 + next(max);
            (0..len)
                .map(|_| alphabet[next(alphabet.len() as u64) as usize])
                .collect()
        };
        let owned: Vec<String> = (0..400)
            .map(|i| word(if i % 2 == 0 { 4 } else { 12 }))
            .collect();
        let asked: Vec<String> = (0..400)
            .map(|i| word(if i % 2 == 0 { 4 } else { 12 }))
            .collect();
        let s = Suggester::new(owned.iter().map(String::as_str).collect());
        let mut queries: Vec<&str> = asked.iter().map(String::as_str).collect();
        queries.sort_unstable();
        queries.dedup();
        let keys: Vec<Key> = queries.iter().map(|q| Key::new(q)).collect();
        let mut scanned = vec![None; queries.len()];
        s.scan(&queries, &keys, &mut scanned);
        let mut indexed = vec![None; queries.len()];
        s.indexed(&queries, &keys, &mut indexed);
        let mut found = 0;
        for (i, q) in queries.iter().enumerate() {
            let a = s.answer(scanned[i].clone());
            let b = s.answer(indexed[i].clone());
            assert_eq!(a, b, "scan and index differ for `{q}`");
            found += usize::from(a.is_some());
        }
        assert!(
            found > 50,
            "the names are close enough to test something: {found}"
        );
    }

    #[test]
    fn the_deletion_index_finds_what_the_scan_finds_among_many_names() {
        let owned: Vec<String> = (0..50_000).map(|i| format!("A{i}")).collect();
        let mut cands: Vec<&str> = owned.iter().map(String::as_str).collect();
        let long: Vec<String> = (0..20_000).map(|i| format!("OPS-REQ-{i:05}")).collect();
        cands.extend(long.iter().map(String::as_str));
        cands.extend(["GSC", "TRL", "C03", "SPACON", "SPACON-A", "SPACON-B", "FFD"]);
        cands.push("THRUSTER_OVERTEMP");
        let s = Suggester::new(cands);
        let queries = [
            "A49999x",                  // one insertion
            "a777",                     // case only
            "B12345",                   // one substitution
            "A4999xy",                  // two edits in 7 characters: none
            "QQQQQQQQ",                 // nothing
            "GCS",                      // swap
            "TLR",                      // swap
            "C30",                      // swap over a confusable
            "CO3",                      // confusable
            "ffd",                      // case
            "SPACON-C",                 // siblings
            "OPS-REQ-O1234",            // confusable
            "OPS-REQ-123",              // cut short by two: two deletions
            "OPS-RQE-12345",            // swap
            "OPS-REQ-12345xy",          // two insertions
            "THRUSTER_OVERTEMPERATURE", // prefix
            "THRUSTR_OVRTEMP",          // two deletions
        ];
        // Repeated queries are answered once each and in order.
        let mut asked: Vec<&str> = queries.to_vec();
        asked.extend(queries);
        let n = asked.len();
        assert!(
            n * s.names.len() > Suggester::SCAN_LIMIT,
            "the index is used"
        );
        let got = s.suggest_all(&asked);
        let got: Vec<Vec<String>> = got.iter().map(names).collect();
        assert_eq!(got[..queries.len()], got[queries.len()..]);
        let want: Vec<Vec<&str>> = vec![
            vec!["A49999"],
            vec!["A777"],
            vec!["A12345"],
            vec![],
            vec![],
            vec!["GSC"],
            vec!["TRL"],
            vec!["C03"],
            vec!["C03"],
            vec!["FFD"],
            vec!["SPACON-A", "SPACON-B"],
            vec!["OPS-REQ-01234"],
            vec![],
            vec!["OPS-REQ-12345"],
            vec!["OPS-REQ-12345"],
            vec!["THRUSTER_OVERTEMP"],
            vec!["THRUSTER_OVERTEMP"],
        ];
        for (q, (g, w)) in queries.iter().zip(got.iter().zip(&want)) {
            assert_eq!(g, w, "{q}");
        }
        // The same answers one by one (each by the scan).
        for (q, w) in queries.iter().zip(&want) {
            assert_eq!(names(&s.suggest(q)), *w, "{q}");
        }
    }
}
