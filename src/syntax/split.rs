//! Cutting a large file into pieces that can be parsed on several threads.
//!
//! A cheap scan (strings, comments and braces only) finds where top-level items end and,
//! inside a plan or a roster, where its blocks (phases, activities; positions, people)
//! end, and inside a roster where its one-line entries (`shift`, `oncall`, `assign`)
//! start. Pieces are cut only there, so each piece is a sequence of whole items: `file`
//! for top-level items, `plan_head` / `plan_body` / `plan_tail` for the parts of one large
//! plan, `roster_head` / `roster_body` / `roster_tail` for one large roster. When every
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
    /// `roster ID "title" {` and the roster's first items (`roster_head`).
    RosterHead,
    /// Items in the middle of a roster (`roster_body`).
    RosterBody,
    /// The roster's last items and its closing brace (`roster_tail`).
    RosterTail,
}

/// What a top-level item is, for where it may be cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ItemKind {
    Plan,
    Roster,
    Other,
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
    kind: ItemKind,
    /// Offsets just after each `}` that closes a block directly inside the item, and, in
    /// a roster, the starts of its lines that begin with `shift`, `oncall` or `assign`.
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
        if item.kind != ItemKind::Other && item.end - item.start > target {
            if item.start > group_start {
                out.push(Piece {
                    kind: PieceKind::Items,
                    range: group_start..item.start,
                });
            }
            split_item(item, target, &mut out);
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

fn split_item(item: &Item, target: usize, out: &mut Vec<Piece>) {
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
    let (head, body, tail) = match item.kind {
        ItemKind::Roster => (
            PieceKind::RosterHead,
            PieceKind::RosterBody,
            PieceKind::RosterTail,
        ),
        _ => (
            PieceKind::PlanHead,
            PieceKind::PlanBody,
            PieceKind::PlanTail,
        ),
    };
    let mut from = item.start;
    for (i, &c) in cuts.iter().enumerate() {
        let kind = if i == 0 { head } else { body };
        out.push(Piece {
            kind,
            range: from..c,
        });
        from = c;
    }
    out.push(Piece {
        kind: tail,
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
        let in_roster = depth == 1 && current.as_ref().is_some_and(|c| c.kind == ItemKind::Roster);
        if depth > 0 && current.is_some() {
            // Inside a block only quotes, slashes and braces matter (and line ends
            // directly inside a roster).
            let stops = if in_roster { &SPECIAL_ROSTER } else { &SPECIAL };
            match b[i..].iter().position(|&c| stops[c as usize]) {
                Some(p) => i += p,
                None => break,
            }
        }
        if in_roster && b[i] == b'\n' {
            // A line of the roster that starts with an entry keyword starts a piece.
            let start = i + 1;
            let word = start
                + b[start..]
                    .iter()
                    .take_while(|c| **c == b' ' || **c == b'\t')
                    .count();
            let rest = &b[word..];
            let entry = [&b"shift"[..], b"oncall", b"assign"].iter().any(|k| {
                rest.starts_with(k) && rest.get(k.len()).is_some_and(|c| *c == b' ' || *c == b'\t')
            });
            if entry {
                if let Some(item) = current.as_mut() {
                    item.inner_cuts.push(start);
                }
            }
            i += 1;
            continue;
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
            let word = &b[i..b.len().min(i + 7)];
            let is = |k: &[u8]| {
                word.starts_with(k)
                    && !word
                        .get(k.len())
                        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
            };
            let kind = if is(b"plan") {
                ItemKind::Plan
            } else if is(b"roster") {
                ItemKind::Roster
            } else {
                ItemKind::Other
            };
            current = Some(Item {
                start: i,
                end: i,
                kind,
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

/// The same directly inside a roster, and its line ends.
static SPECIAL_ROSTER: [bool; 256] = {
    let mut t = SPECIAL;
    t[b'\n' as usize] = true;
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
    fn a_large_roster_is_cut_before_its_entries_and_after_its_blocks() {
        let text = "roster R {\n  person A { qualified P }\n  shift A P 2014/272 06:00 .. 2014/272 07:00\n  // shift B: a comment\n  shift B P 2014/272 07:00 .. 2014/272 08:00\n  oncall A D 2014/272 00:00 .. 2014/273 00:00\n  assign A to X1,\n    X2\n}\n";
        let got = kinds(text, 10);
        assert_eq!(
            got[0],
            (
                PieceKind::RosterHead,
                "roster R {\n  person A { qualified P }"
            )
        );
        let tail = got
            .iter()
            .position(|p| p.0 == PieceKind::RosterTail)
            .expect("a tail");
        assert!(got[1..tail].iter().all(|p| p.0 == PieceKind::RosterBody));
        assert!(tail >= 3, "{got:#?}");
        assert!(
            got.iter().all(|p| !p.1.starts_with("    X2")),
            "only lines that start an entry are cuts"
        );
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
