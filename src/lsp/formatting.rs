//! `textDocument/formatting` and `rangeFormatting` through `opsplan fmt`'s formatter
//! (`syntax::format`): the edits are the changed line blocks (a line diff of the
//! document and its formatted text), never anything for a document that does not
//! parse.

use crate::syntax;
use std::ops::Range;

/// One changed block: old lines `old` (indices, end exclusive) become `new` lines of the
/// formatted text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    pub old: Range<usize>,
    pub new: Range<usize>,
}

/// The edits of a formatting, by byte range of `text` and the text to put there.
pub type Edits = Vec<(Range<usize>, String)>;

/// Lines with their line ends, so that joining them gives the text back.
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// Beyond this many differing lines the middle is one block (the diff stays
/// O((N + M) · D) with D bounded).
const MAX_DIFF: usize = 4096;

/// The changed blocks between `a` and `b` (Myers' greedy diff over the lines left once
/// the common head and tail are taken off).
pub fn diff(a: &[&str], b: &[&str]) -> Vec<Hunk> {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a_mid, b_mid) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    if a_mid.is_empty() && b_mid.is_empty() {
        return Vec::new();
    }
    let whole = || {
        vec![Hunk {
            old: head..a.len() - tail,
            new: head..b.len() - tail,
        }]
    };
    let Some(pairs) = myers(a_mid, b_mid) else {
        return whole();
    };
    // Matched pairs (i, j) in order; the gaps between them are the hunks.
    let mut out = Vec::new();
    let (mut i0, mut j0) = (0, 0);
    for (i, j) in pairs.into_iter().chain([(a_mid.len(), b_mid.len())]) {
        if i > i0 || j > j0 {
            out.push(Hunk {
                old: head + i0..head + i,
                new: head + j0..head + j,
            });
        }
        i0 = i + 1;
        j0 = j + 1;
    }
    out
}

/// The matched line pairs of a shortest edit script, or `None` past [`MAX_DIFF`].
fn myers(a: &[&str], b: &[&str]) -> Option<Vec<(usize, usize)>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (n + m) as usize;
    let limit = max.min(MAX_DIFF);
    let offset = limit as isize + 1;
    let mut v = vec![0isize; 2 * limit + 3];
    let mut trace: Vec<Vec<isize>> = Vec::new();
    for d in 0..=limit as isize {
        trace.push(v.clone());
        let mut k = -d;
        while k <= d {
            let idx = (k + offset) as usize;
            let mut x = if k == -d || (k != d && v[idx - 1] < v[idx + 1]) {
                v[idx + 1]
            } else {
                v[idx - 1] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[idx] = x;
            if x >= n && y >= m {
                return Some(backtrack(&trace, a.len(), b.len(), d, offset, a, b));
            }
            k += 2;
        }
    }
    None
}

fn backtrack(
    trace: &[Vec<isize>],
    n: usize,
    m: usize,
    d_end: isize,
    offset: isize,
    a: &[&str],
    b: &[&str],
) -> Vec<(usize, usize)> {
    let (mut x, mut y) = (n as isize, m as isize);
    let mut pairs = Vec::new();
    for d in (0..=d_end).rev() {
        let v = &trace[d as usize];
        let k = x - y;
        let prev_k =
            if k == -d || (k != d && v[(k - 1 + offset) as usize] < v[(k + 1 + offset) as usize]) {
                k + 1
            } else {
                k - 1
            };
        let prev_x = if d == 0 {
            0
        } else {
            v[(prev_k + offset) as usize]
        };
        let prev_y = if d == 0 { 0 } else { prev_x - prev_k };
        while x > prev_x && y > prev_y {
            x -= 1;
            y -= 1;
            debug_assert_eq!(a[x as usize], b[y as usize]);
            pairs.push((x as usize, y as usize));
        }
        x = prev_x;
        y = prev_y;
    }
    pairs.reverse();
    pairs
}

/// The formatted text of `text`, `None` when it does not parse or the formatter
/// refuses it.
fn formatted(text: &str) -> Option<String> {
    let bom = text.starts_with('\u{FEFF}');
    let out = syntax::format::format(text).ok()?;
    Some(if bom { format!("\u{FEFF}{out}") } else { out })
}

/// The edits of a `fmt` of `text` (empty when it is formatted or does not parse).
pub fn format_document(text: &str) -> Edits {
    let Some(out) = formatted(text) else {
        return Vec::new();
    };
    edits_of(text, &out, |_| true)
}

/// The edits of a `fmt` of `text` whose old lines lie within `lines` (first and last
/// line, inclusive): only when applying just them leaves a text that parses.
pub fn format_range(text: &str, first: usize, last: usize) -> Edits {
    let Some(out) = formatted(text) else {
        return Vec::new();
    };
    let edits = edits_of(text, &out, |h| {
        if h.old.is_empty() {
            h.old.start >= first && h.old.start <= last + 1
        } else {
            h.old.start >= first && h.old.end - 1 <= last
        }
    });
    if edits.is_empty() {
        return edits;
    }
    let mut applied = text.to_string();
    for (range, new) in edits.iter().rev() {
        applied.replace_range(range.clone(), new);
    }
    let (ast, _) = syntax::parse(crate::source::FileId(0), &applied);
    if ast.has_syntax_errors {
        return Vec::new();
    }
    edits
}

fn edits_of(text: &str, out: &str, keep: impl Fn(&Hunk) -> bool) -> Edits {
    let (a, b) = (lines(text), lines(out));
    let mut starts = Vec::with_capacity(a.len() + 1);
    let mut at = 0;
    for l in &a {
        starts.push(at);
        at += l.len();
    }
    starts.push(at);
    diff(&a, &b)
        .into_iter()
        .filter(|h| keep(h))
        .map(|h| {
            (
                starts[h.old.start]..starts[h.old.end],
                b[h.new.clone()].concat(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_diff_finds_the_changed_blocks() {
        let a = ["a\n", "b\n", "c\n", "d\n", "e\n"];
        let b = ["a\n", "B\n", "c\n", "d\n", "x\n", "e\n"];
        let h = diff(&a, &b);
        assert_eq!(
            h,
            vec![
                Hunk {
                    old: 1..2,
                    new: 1..2
                },
                Hunk {
                    old: 4..4,
                    new: 4..5
                }
            ]
        );
        assert!(diff(&a, &a).is_empty());
    }

    #[test]
    fn applying_the_edits_gives_the_formatted_text_and_a_bad_text_gets_none() {
        let text = "plan P {\n  activity A   { lasts 10m by GC }\nactivity B { lasts 5m by GC after A }\n}\n";
        let out = syntax::format::format(text).unwrap();
        let mut applied = text.to_string();
        for (r, new) in format_document(text).iter().rev() {
            applied.replace_range(r.clone(), new);
        }
        assert_eq!(applied, out);
        assert!(format_document("plan P {\n  activity ???\n").is_empty());
        assert!(format_range("plan P {\n  activity ???\n", 0, 5).is_empty());
        // Only the edits of the lines asked for.
        let first_only = format_range(text, 1, 1);
        assert!(first_only.iter().all(|(r, _)| {
            let start_line = text[..r.start].matches('\n').count();
            start_line == 1
        }));
    }
}
