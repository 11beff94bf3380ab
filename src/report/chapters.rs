//! Coverage rolled up per chapter: for each module and each heading of it (the heading
//! path of every requirement, `ReqObject::path`), how many requirements under it need
//! coverage and how many are covered, suspect, uncovered or justified, a chapter's
//! numbers holding those of the chapters inside it.
//!
//! Linear in the requirements and the headings: a heading is found by the node its path
//! ends in (`HeadingPath::node_id`, shared by everything under it), each heading is
//! visited once walking up from the first requirement under it, counts are added to the
//! parent in one pass from the last chapter made to the first (a parent is always made
//! before its children), and the rows are listed in document order by a walk with an
//! explicit stack. Headings deeper than [`MAX_DEPTH`] count in their ancestor at that
//! depth, so a module nested a million headings deep gives a few rows, not a million.

use crate::reqs::HeadingPath;
use crate::trace::ReqStatus;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

/// Chapters deeper than this many headings are counted in their ancestor at this depth.
pub const MAX_DEPTH: usize = 6;

/// One row of the roll-up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChapterRow {
    /// 0 for a module, 1 for its top-level headings, …, at most [`MAX_DEPTH`].
    pub depth: usize,
    pub label: String,
    /// The HTML anchor of the first requirement in the chapter.
    pub first: String,
    pub needed: usize,
    pub covered: usize,
    pub suspect: usize,
    pub uncovered: usize,
    pub justified: usize,
    /// (covered + suspect) ÷ needed, one decimal (`85.0`); `—` when none is needed.
    pub percent: String,
}

/// A requirement as the roll-up counts it.
pub struct Item<'a> {
    /// Its module (or its export's file when the export names none).
    pub module: &'a str,
    pub path: &'a HeadingPath,
    pub status: ReqStatus,
    pub needs_coverage: bool,
    /// Its HTML anchor.
    pub anchor: &'a str,
}

#[derive(Default, Clone, Copy)]
struct Counts {
    needed: usize,
    covered: usize,
    suspect: usize,
    uncovered: usize,
    justified: usize,
}

impl Counts {
    fn add(&mut self, o: Counts) {
        self.needed += o.needed;
        self.covered += o.covered;
        self.suspect += o.suspect;
        self.uncovered += o.uncovered;
        self.justified += o.justified;
    }
}

struct Node {
    label: String,
    depth: usize,
    parent: Option<usize>,
    children: Vec<usize>,
    first: String,
    counts: Counts,
}

/// The roll-up of `items`, modules in the order they first appear, chapters in document
/// order under them.
pub fn roll_up<'a>(items: impl IntoIterator<Item = Item<'a>>) -> Vec<ChapterRow> {
    let mut nodes: Vec<Node> = Vec::new();
    let mut modules: HashMap<&str, usize> = HashMap::default();
    let mut roots: Vec<usize> = Vec::new();
    // (module node, heading node id) → the chapter counting it.
    let mut chapter_of: HashMap<(usize, usize), usize> = HashMap::default();
    let new_node = |nodes: &mut Vec<Node>, label: String, depth, parent, first: &str| {
        nodes.push(Node {
            label,
            depth,
            parent,
            children: Vec::new(),
            first: first.to_string(),
            counts: Counts::default(),
        });
        let i = nodes.len() - 1;
        if let Some(p) = parent {
            nodes[p].children.push(i);
        }
        i
    };
    for item in items {
        let root = match modules.get(item.module) {
            Some(&r) => r,
            None => {
                let r = new_node(&mut nodes, item.module.to_string(), 0, None, item.anchor);
                modules.insert(item.module, r);
                roots.push(r);
                r
            }
        };
        // Walk up to a heading already placed (or the module), then place the headings
        // passed on the way, outermost first.
        let mut unplaced: Vec<HeadingPath> = Vec::new();
        let mut at = item.path.clone();
        let mut placed = root;
        while let Some(id) = at.node_id() {
            if let Some(&c) = chapter_of.get(&(root, id)) {
                placed = c;
                break;
            }
            let up = at.parent();
            unplaced.push(at);
            at = up;
        }
        for h in unplaced.iter().rev() {
            let depth = h.len();
            if depth <= MAX_DEPTH {
                let label = h.last().unwrap_or_default().to_string();
                placed = new_node(&mut nodes, label, depth, Some(placed), item.anchor);
            }
            if let Some(id) = h.node_id() {
                chapter_of.insert((root, id), placed);
            }
        }
        let c = &mut nodes[placed].counts;
        if item.needs_coverage {
            c.needed += 1;
            match item.status {
                ReqStatus::Covered => c.covered += 1,
                ReqStatus::Suspect => c.suspect += 1,
                ReqStatus::Uncovered => c.uncovered += 1,
                ReqStatus::Justified => c.justified += 1,
                _ => {}
            }
        }
    }
    // Children were made after their parents: add each to its parent, last first.
    for i in (0..nodes.len()).rev() {
        if let Some(p) = nodes[i].parent {
            let c = nodes[i].counts;
            nodes[p].counts.add(c);
        }
    }
    let mut rows = Vec::with_capacity(nodes.len());
    let mut stack: Vec<usize> = roots.iter().rev().copied().collect();
    while let Some(i) = stack.pop() {
        let n = &nodes[i];
        let c = n.counts;
        rows.push(ChapterRow {
            depth: n.depth,
            label: n.label.clone(),
            first: n.first.clone(),
            needed: c.needed,
            covered: c.covered,
            suspect: c.suspect,
            uncovered: c.uncovered,
            justified: c.justified,
            percent: if c.needed == 0 {
                "—".to_string()
            } else {
                format!(
                    "{:.1}",
                    100.0 * (c.covered + c.suspect) as f64 / c.needed as f64
                )
            },
        });
        stack.extend(n.children.iter().rev());
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReqStatus::*;

    fn row(r: &ChapterRow) -> String {
        format!(
            "{}{} {}/{} c{} s{} u{} j{} {}",
            "  ".repeat(r.depth),
            r.label,
            r.covered + r.suspect,
            r.needed,
            r.covered,
            r.suspect,
            r.uncovered,
            r.justified,
            r.percent
        )
    }

    #[test]
    fn nested_chapters_roll_up_into_their_parents_in_document_order() {
        let intro = HeadingPath::from_labels(["Intro"]);
        let transfers = intro.child("Transfers".into());
        let pressure = transfers.child("Pressure".into());
        let ops = HeadingPath::from_labels(["Operations"]);
        let none = HeadingPath::default();
        let items = [
            ("M", &none, Covered, true),
            ("M", &intro, Uncovered, true),
            ("M", &pressure, Covered, true),
            ("M", &ops, Justified, true),
            ("M", &transfers, Suspect, true),
            ("M", &pressure, NotRequired, false),
            ("M", &pressure, Withdrawn, false),
            ("N", &none, Uncovered, true),
            ("M", &ops, Duplicate, true),
        ];
        let rows = roll_up(items.iter().map(|(m, p, s, n)| Item {
            module: m,
            path: p,
            status: *s,
            needs_coverage: *n,
            anchor: "a",
        }));
        let shown: Vec<String> = rows.iter().map(row).collect();
        assert_eq!(
            shown,
            [
                "M 3/6 c2 s1 u1 j1 50.0",
                "  Intro 2/3 c1 s1 u1 j0 66.7",
                "    Transfers 2/2 c1 s1 u0 j0 100.0",
                "      Pressure 1/1 c1 s0 u0 j0 100.0",
                "  Operations 0/2 c0 s0 u0 j1 0.0",
                "N 0/1 c0 s0 u1 j0 0.0",
            ]
        );
    }

    #[test]
    fn two_headings_of_the_same_words_are_two_chapters_and_none_needed_shows_a_dash() {
        let a = HeadingPath::from_labels(["Scope"]);
        let b = HeadingPath::from_labels(["Scope"]);
        let rows = roll_up([(&a, NotRequired), (&b, NotRequired)].map(|(p, s)| Item {
            module: "M",
            path: p,
            status: s,
            needs_coverage: false,
            anchor: "a",
        }));
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].label, "Scope");
        assert_eq!(rows[2].label, "Scope");
        assert_eq!(rows[0].percent, "—");
    }

    #[test]
    fn a_module_a_million_headings_deep_gives_a_few_rows_in_linear_time() {
        let mut p = HeadingPath::default();
        let mut paths = Vec::new();
        for i in 0..1_000_000 {
            p = p.child(format!("H{i}"));
            if i % 100_000 == 99_999 {
                paths.push(p.clone());
            }
        }
        let start = std::time::Instant::now();
        let rows = roll_up(paths.iter().map(|p| Item {
            module: "M",
            path: p,
            status: Covered,
            needs_coverage: true,
            anchor: "a",
        }));
        assert_eq!(rows.len(), 1 + MAX_DEPTH);
        assert_eq!(rows[MAX_DEPTH].label, format!("H{}", MAX_DEPTH - 1));
        assert_eq!(rows[MAX_DEPTH].needed, 10);
        assert_eq!(rows[0].needed, 10);
        assert!(start.elapsed().as_secs() < 10);
        drop(p);
    }
}
