//! Cutting a large file into pieces that can be parsed on several threads.
//!
//! A cheap scan (strings, comments and braces only) finds where top-level items end and,
//! inside a plan, where its blocks (phases, activities) end. Pieces are cut only there,
//! so each piece is a sequence of whole items: `file` for top-level items, and
//! `plan_head` / `plan_body` / `plan_tail` for the parts of one large plan. When every
//! piece parses, joining them gives exactly the tree of the whole-file parse (a block
//! rule always ends at its closing brace); when any piece fails, the caller parses the
//! whole file again the slow way, which also yields the located syntax errors.

use std::ops::Range;

/// What grammar entry point a piece is parsed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PieceKind {
    /// Whole top-level items (`file`).
    Items,
    /// `plan ID "title" {` and the plan's first items (`plan_head`).
    PlanHead,
    /// Items in the middle of a plan (`plan_body`).
    PlanBody,
    /// The plan's last items and its closing brace (`plan_tail`).
    PlanTail,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Piece {
    pub kind: PieceKind,
    pub range: Range<usize>,
}

/// A top-level item found by the scan.
struct Item {
    start: usize,
    end: usize,
    is_plan: bool,
    /// Offsets just after each `}` that closes a block directly inside the item.
    inner_cuts: Vec<usize>,
}

/// Cuts `text` into pieces of about `target` bytes. `None` when the file is not worth
/// cutting (one piece) or its braces do not balance (the slow path reports why).
pub(super) fn pieces(text: &str, target: usize) -> Option<Vec<Piece>> {
    if text.len() <= target {
        return None;
    }
    let items = scan(text.as_bytes())?;
    let mut out = Vec::new();
    let mut group_start = 0;
    for item in &items {
        if item.is_plan && item.end - item.start > target {
            if item.start > group_start {
                out.push(Piece {
                    kind: PieceKind::Items,
                    range: group_start..item.start,
                });
            }
            split_plan(item, target, &mut out);
            group_start = item.end;
        } else if item.end - group_start >= target {
            out.push(Piece {
                kind: PieceKind::Items,
                range: group_start..item.end,
            });
            group_start = item.end;
        }
    }
    if group_start < text.len() || out.is_empty() {
        out.push(Piece {
            kind: PieceKind::Items,
            range: group_start..text.len(),
        });
    }
    (out.len() > 1).then_some(out)
}

fn split_plan(item: &Item, target: usize, out: &mut Vec<Piece>) {
    let mut cuts = Vec::new();
    let mut last = item.start;
    for &c in &item.inner_cuts {
        if c - last >= target && item.end - c >= target / 2 {
            cuts.push(c);
            last = c;
        }
    }
    if cuts.is_empty() {
        out.push(Piece {
            kind: PieceKind::Items,
            range: item.start..item.end,
        });
        return;
    }
    let mut from = item.start;
    for (i, &c) in cuts.iter().enumerate() {
        let kind = if i == 0 {
            PieceKind::PlanHead
        } else {
            PieceKind::PlanBody
        };
        out.push(Piece {
            kind,
            range: from..c,
        });
        from = c;
    }
    out.push(Piece {
        kind: PieceKind::PlanTail,
        range: from..item.end,
    });
}

/// Finds the top-level items. `None` when a brace closes nothing or a block is left open.
fn scan(b: &[u8]) -> Option<Vec<Item>> {
    let mut items = Vec::new();
    let mut depth: usize = 0;
    let mut current: Option<Item> = None;
    let mut i = 0;
    while i < b.len() {
        if depth > 0 && current.is_some() {
            // Inside a block only quotes, slashes and braces matter.
            match b[i..].iter().position(|&c| SPECIAL[c as usize]) {
                Some(p) => i += p,
                None => break,
            }
        }
        match b[i] {
            b'"' => {
                // A string ends at its closing quote or, unterminated, at the line end.
                i += 1;
                while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = memchr_or_end(b, i, b'\n');
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = find(b, i + 2, b"*/").map_or(b.len(), |p| p + 2);
                continue;
            }
            c if c.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            _ => {}
        }
        if depth == 0 && current.is_none() {
            let word = &b[i..b.len().min(i + 5)];
            let is_plan = word.starts_with(b"plan")
                && !word
                    .get(4)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-');
            current = Some(Item {
                start: i,
                end: i,
                is_plan,
                inner_cuts: Vec::new(),
            });
        }
        match b[i] {
            b'{' => depth += 1,
            b'}' => {
                depth = depth.checked_sub(1)?;
                let item = current.as_mut()?;
                if depth == 1 {
                    item.inner_cuts.push(i + 1);
                } else if depth == 0 {
                    item.end = i + 1;
                    items.extend(current.take());
                }
            }
            _ => {}
        }
        i += 1;
    }
    (depth == 0).then_some(items)
}

/// The bytes the scan stops at inside a block.
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b'"' as usize] = true;
    t[b'/' as usize] = true;
    t[b'{' as usize] = true;
    t[b'}' as usize] = true;
    t
};

fn memchr_or_end(b: &[u8], from: usize, needle: u8) -> usize {
    b[from..]
        .iter()
        .position(|&c| c == needle)
        .map_or(b.len(), |p| from + p)
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str, target: usize) -> Vec<(PieceKind, &str)> {
        pieces(text, target)
            .unwrap_or_default()
            .into_iter()
            .map(|p| (p.kind, &text[p.range]))
            .collect()
    }

    #[test]
    fn small_files_are_not_cut() {
        assert!(pieces("plan P { }", 100).is_none());
    }

    #[test]
    fn a_large_plan_is_cut_after_its_blocks() {
        let text = "plan P {\n  activity A { lasts 1m }\n  activity B { note \"}\" }\n  activity C { }\n}\nprocedure X { }\n";
        let got = kinds(text, 10);
        assert_eq!(
            got[0],
            (PieceKind::PlanHead, "plan P {\n  activity A { lasts 1m }")
        );
        assert_eq!(got[1].0, PieceKind::PlanBody);
        assert!(
            got[1].1.contains("note \"}\""),
            "a brace in a string is not a cut"
        );
        assert_eq!(got.last().map(|p| p.0), Some(PieceKind::Items));
        let joined: String = got.iter().map(|p| p.1).collect();
        assert_eq!(joined, text, "pieces cover the file exactly");
    }

    #[test]
    fn braces_in_comments_are_ignored_and_unbalanced_files_are_not_cut() {
        let text = "// }\n/* { */ plan P { activity A { } activity B { } }";
        assert!(kinds(text, 5).iter().all(|(_, s)| !s.is_empty()));
        assert!(pieces("plan P { activity A { } activity B { }", 5).is_none());
        assert!(pieces("} plan P { activity A { } activity B { } }", 5).is_none());
    }
}
