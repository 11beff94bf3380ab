//! A word diff of two texts (the baseline and the current text of a suspect
//! requirement), by Myers' O((N+M)·D) algorithm over the words, blanks ignored as the
//! fingerprint ignores them.
//!
//! The work is bounded, since texts can be long and a report can hold thousands of
//! suspect requirements: the common start and end are cut first (linear); the rest may
//! differ by at most [`MAX_EDITS`] words and hold at most [`MAX_WORDS`] words, and every
//! diff draws its steps from a budget the caller shares between all the diffs of a
//! report. Past any bound, [`diff`] says why and the report shows the two texts whole,
//! side by side. Iterative, no recursion.

use serde::Serialize;

/// The most words inserted plus deleted a diff looks for.
pub const MAX_EDITS: usize = 500;
/// The most words (both texts, common start and end cut) a diff compares.
pub const MAX_WORDS: usize = 50_000;
/// The steps (word comparisons) the diffs of one report may take in all.
pub const REPORT_BUDGET: usize = 50_000_000;

/// What a run of words is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    /// In both texts.
    Same,
    /// Only in the old text.
    Del,
    /// Only in the new text.
    Ins,
}

/// A run of words, blanks between them as one space.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Piece {
    pub op: Op,
    pub text: String,
}

/// Why no word diff was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TooMuch {
    /// More than [`MAX_WORDS`] words to compare.
    Words,
    /// More than [`MAX_EDITS`] words inserted and deleted.
    Edits,
    /// The report's budget of steps is spent.
    Budget,
}

impl TooMuch {
    /// Why, in words, for the report.
    pub fn explain(self) -> String {
        match self {
            TooMuch::Words => format!(
                "the texts are too long for a word diff (more than {MAX_WORDS} words to \
                 compare): both are shown whole"
            ),
            TooMuch::Edits => format!(
                "the texts differ in more than {MAX_EDITS} words, too many for a word diff: \
                 both are shown whole"
            ),
            TooMuch::Budget => "the report's word diffs used up their time budget: both \
                                texts are shown whole"
                .to_string(),
        }
    }
}

/// The word diff of `old` and `new`: runs of words in order, each the same, deleted or
/// inserted; steps are taken from `budget`.
pub fn diff(old: &str, new: &str, budget: &mut usize) -> Result<Vec<Piece>, TooMuch> {
    let a: Vec<&str> = old.split_whitespace().collect();
    let b: Vec<&str> = new.split_whitespace().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    *budget = budget.saturating_sub(prefix + suffix);
    if am.len() + bm.len() > MAX_WORDS {
        return Err(TooMuch::Words);
    }
    let middle = myers(am, bm, budget)?;
    let mut out = Pieces::default();
    for w in &a[..prefix] {
        out.push(Op::Same, w);
    }
    for (op, w) in middle {
        out.push(op, w);
    }
    for w in &a[a.len() - suffix..] {
        out.push(Op::Same, w);
    }
    Ok(out.0)
}

/// Runs of words, consecutive words of one kind joined.
#[derive(Default)]
struct Pieces(Vec<Piece>);

impl Pieces {
    fn push(&mut self, op: Op, word: &str) {
        match self.0.last_mut() {
            Some(p) if p.op == op => {
                p.text.push(' ');
                p.text.push_str(word);
            }
            _ => self.0.push(Piece {
                op,
                text: word.to_string(),
            }),
        }
    }
}

/// The edit script of `a` into `b`, word by word, in order.
fn myers<'w>(
    a: &[&'w str],
    b: &[&'w str],
    budget: &mut usize,
) -> Result<Vec<(Op, &'w str)>, TooMuch> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = ((n + m) as usize).min(MAX_EDITS) as isize;
    // v[k + off]: the furthest x on diagonal k; `trace[d]` holds v over k in
    // -(d+1)..=d+1 as it was when round d started.
    let off = max + 1;
    let mut v = vec![0isize; (2 * max + 3) as usize];
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let mut end = None;
    'rounds: for d in 0..=max {
        trace.push(v[(off - d - 1) as usize..=(off + d + 1) as usize].to_vec());
        let mut k = -d;
        while k <= d {
            let down = k == -d || (k != d && v[(off + k - 1) as usize] < v[(off + k + 1) as usize]);
            let mut x = if down {
                v[(off + k + 1) as usize]
            } else {
                v[(off + k - 1) as usize] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
                if *budget == 0 {
                    return Err(TooMuch::Budget);
                }
                *budget -= 1;
            }
            *budget = budget.checked_sub(1).ok_or(TooMuch::Budget)?;
            v[(off + k) as usize] = x;
            if x >= n && y >= m {
                end = Some(d);
                break 'rounds;
            }
            k += 2;
        }
    }
    let Some(last) = end else {
        return Err(TooMuch::Edits);
    };
    // Back from the end, one round at a time.
    let mut script = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (0..=last).rev() {
        let snap = &trace[d as usize];
        let at = |k: isize| snap[(k + d + 1) as usize];
        let k = x - y;
        let prev_k = if k == -d || (k != d && at(k - 1) < at(k + 1)) {
            k + 1
        } else {
            k - 1
        };
        let prev_x = at(prev_k);
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            script.push((Op::Same, a[(x - 1) as usize]));
            x -= 1;
            y -= 1;
        }
        if d > 0 {
            if x == prev_x {
                script.push((Op::Ins, b[(y - 1) as usize]));
            } else {
                script.push((Op::Del, a[(x - 1) as usize]));
            }
        }
        x = prev_x;
        y = prev_y;
    }
    script.reverse();
    Ok(script)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|p| match p.op {
                Op::Same => p.text.clone(),
                Op::Del => format!("[-{}-]", p.text),
                Op::Ins => format!("{{+{}+}}", p.text),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn d(a: &str, b: &str) -> String {
        let mut budget = REPORT_BUDGET;
        show(&diff(a, b, &mut budget).unwrap())
    }

    #[test]
    fn words_inserted_deleted_and_replaced() {
        assert_eq!(
            d(
                "The tank pressure shall stay below 22 bar.",
                "The tank pressure shall stay below 24 bar during transfers."
            ),
            "The tank pressure shall stay below [-22 bar.-] {+24 bar during transfers.+}"
        );
        assert_eq!(d("a b c", "a b c"), "a b c");
        assert_eq!(d("a  b\n c", "a b c"), "a b c", "blanks are not words");
        assert_eq!(d("", "new words"), "{+new words+}");
        assert_eq!(d("old words", ""), "[-old words-]");
        assert_eq!(d("a x b y c", "a b c"), "a [-x-] b [-y-] c");
        assert_eq!(d("a b c", "z a b c"), "{+z+} a b c");
    }

    /// Applying the script to the old words gives the new words, and the kept words are
    /// a longest common subsequence (checked against the quadratic table on small texts).
    #[test]
    fn the_script_rebuilds_both_texts_and_keeps_a_longest_common_subsequence() {
        let mut seed = 7u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..500 {
            let words = |next: &mut dyn FnMut() -> u64| -> Vec<String> {
                let len = (next() % 12) as usize;
                (0..len).map(|_| format!("w{}", next() % 4)).collect()
            };
            let (a, b) = (words(&mut next), words(&mut next));
            let (ta, tb) = (a.join(" "), b.join(" "));
            let mut budget = REPORT_BUDGET;
            let pieces = diff(&ta, &tb, &mut budget).unwrap();
            let side = |keep: Op| -> Vec<String> {
                pieces
                    .iter()
                    .filter(|p| p.op == Op::Same || p.op == keep)
                    .flat_map(|p| p.text.split(' ').map(str::to_string).collect::<Vec<_>>())
                    .filter(|w| !w.is_empty())
                    .collect()
            };
            assert_eq!(side(Op::Del), a, "{ta} / {tb}");
            assert_eq!(side(Op::Ins), b, "{ta} / {tb}");
            let same: usize = pieces
                .iter()
                .filter(|p| p.op == Op::Same)
                .map(|p| p.text.split(' ').count())
                .sum();
            let mut t = vec![vec![0usize; b.len() + 1]; a.len() + 1];
            for i in (0..a.len()).rev() {
                for j in (0..b.len()).rev() {
                    t[i][j] = if a[i] == b[j] {
                        t[i + 1][j + 1] + 1
                    } else {
                        t[i + 1][j].max(t[i][j + 1])
                    };
                }
            }
            assert_eq!(same, t[0][0], "{ta} / {tb}");
        }
    }

    #[test]
    fn the_work_is_bounded() {
        // Every word differs: more edits than looked for.
        let a: String = (0..MAX_EDITS).map(|i| format!("a{i} ")).collect();
        let b: String = (0..MAX_EDITS).map(|i| format!("b{i} ")).collect();
        let mut budget = REPORT_BUDGET;
        assert_eq!(diff(&a, &b, &mut budget), Err(TooMuch::Edits));
        // Too many words.
        let long = "w ".repeat(MAX_WORDS);
        assert_eq!(
            diff(&long, "x", &mut budget),
            Err(TooMuch::Words),
            "checked before any work"
        );
        // A spent budget.
        let mut none = 10;
        assert_eq!(
            diff("a b c d e f", "f e d c b a", &mut none),
            Err(TooMuch::Budget)
        );
        // A long text with one change costs about its length, not its square.
        let words: Vec<String> = (0..40_000).map(|i| format!("w{i}")).collect();
        let mut changed = words.clone();
        changed[20_000] = "changed".into();
        let mut budget = REPORT_BUDGET;
        let pieces = diff(&words.join(" "), &changed.join(" "), &mut budget).unwrap();
        assert_eq!(pieces.len(), 4);
        assert!(
            REPORT_BUDGET - budget < 200_000,
            "{}",
            REPORT_BUDGET - budget
        );
    }
}
