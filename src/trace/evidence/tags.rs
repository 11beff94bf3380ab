//! Tags in text files (`evidence: tags:`): test scripts, SCILAB, KornShell, anything
//! with `[covers: ATV-OPS-REQ-010]` in it. Each match of the pattern is one [`Item`],
//! not run (a tag says what a script verifies, not that it ran), naming the ids of its
//! group 1 (or of the whole match), separated by commas, semicolons or blanks.

use super::{EvidenceKind, Item, NamedId, Outcome, Target};
use crate::source::{FileId, LineIndex, Span};

/// The tags of a text already in the `SourceDb` (`file`, shown as `shown`).
pub fn scan(
    file: FileId,
    shown: &str,
    text: &str,
    pattern: &regex::Regex,
    fold: bool,
) -> Vec<Item> {
    let mut items = Vec::new();
    let mut index: Option<LineIndex> = None;
    for m in pattern.captures_iter(text) {
        let Some(g) = m.get(1).or_else(|| m.get(0)) else {
            continue;
        };
        let whole = m.get(0).expect("a match has group 0");
        let mut ids = Vec::new();
        let list = g.as_str();
        let mut at = 0;
        for piece in list.split([',', ';', ' ', '\t', '\n', '\r']) {
            let start = g.start() + at;
            at += piece.len() + 1;
            let trimmed = piece.trim();
            if trimmed.is_empty() {
                continue;
            }
            let lead = piece.len() - piece.trim_start().len();
            let s = start + lead;
            ids.push(NamedId {
                id: trimmed.to_string(),
                span: Span::new(file, s..s + trimmed.len()),
                fold,
            });
        }
        if ids.is_empty() {
            continue;
        }
        let index = index.get_or_insert_with(|| LineIndex::new(text));
        let line = index.line_col(text, whole.start()).line;
        items.push(Item {
            kind: EvidenceKind::Tag,
            name: format!("{shown}:{line}"),
            outcome: Outcome::NotRun,
            message: None,
            span: Span::new(file, whole.start()..whole.end()),
            target: Target::Ids(ids),
        });
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tag_names_its_ids_where_they_are_written() {
        let re = regex::Regex::new(super::super::DEFAULT_TAG_PATTERN).unwrap();
        let text = "#!/bin/ksh\n# [covers: R-1, R-2]\nrun\n// [covers:R-3]\n[covers: ]\n";
        let items = scan(FileId(3), "scripts/run.ksh", text, &re, false);
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].name, "scripts/run.ksh:2");
        assert_eq!(items[1].name, "scripts/run.ksh:4");
        let Target::Ids(ids) = &items[0].target else {
            panic!()
        };
        let written: Vec<&str> = ids
            .iter()
            .map(|n| &text[n.span.start as usize..n.span.end as usize])
            .collect();
        assert_eq!(written, ["R-1", "R-2"]);
        assert!(items.iter().all(|i| i.outcome == Outcome::NotRun));
    }
}
