//! The requirement ids of a rule's `traces` as they are written.
//!
//! YAML reads a plain `4594` as a number and `1.10` as the number 1.1: the tree the loader
//! builds keeps the number, not its digits, and an id read back from it could differ from
//! the one written (`1.10` → `1.1`, `04594` stays a string but `0x11F2` becomes `4594`). So a
//! `traces` entry that YAML reads as a number (or as `true`/`false`) is taken from the
//! rule's text: the value of `traces` is cut out of it (a flow list `[…]` to its closing
//! bracket, a block list to the rule's next key, a scalar to the end of its line) and read
//! again as YAML strings, which keep every scalar as written. When that reading does not
//! give back the same entries, the rule is refused, located, with the entry quoted in the
//! message: an id is never read as anything but what is written.

use super::Node;
use std::ops::Range;

/// The ids `names` of the `traces` value `value` (already read as names, in order), with
/// every entry YAML read as a number or a boolean replaced by its text as written in
/// `text[region]` (the text after the key `traces`, up to the rule's next key). `Err`
/// holds the entry that cannot be read back.
pub(super) fn as_written(
    value: &Node,
    names: Vec<String>,
    text: &str,
    region: Range<usize>,
) -> Result<Vec<String>, String> {
    let items: Vec<&Node> = match value {
        Node::Seq(items) => items.iter().collect(),
        other => vec![other],
    };
    let needs_text = |n: &Node| matches!(n, Node::Number(_) | Node::Bool(_));
    let Some(first) = items.iter().position(|n| needs_text(n)) else {
        return Ok(names);
    };
    let mut out = names;
    let refused = |out: &[String], i: usize| out.get(i).cloned().unwrap_or_default();
    let Some(written) = written_scalars(text, region, matches!(value, Node::Seq(_))) else {
        return Err(refused(&out, first));
    };
    if written.len() != items.len() {
        return Err(refused(&out, first));
    }
    for (i, item) in items.iter().enumerate() {
        if !needs_text(item) {
            continue;
        }
        let raw = written[i].trim();
        // The text read again must be the same value, and be the scalar written there.
        let again: Option<Node> = serde_yaml::from_str(raw).ok();
        let same = match (&again, item) {
            (Some(Node::Number(a)), Node::Number(b)) => a == b,
            (Some(Node::Bool(a)), Node::Bool(b)) => a == b,
            _ => false,
        };
        if !same || raw.is_empty() {
            return Err(refused(&out, i));
        }
        out[i] = raw.to_string();
    }
    Ok(out)
}

/// The scalars of the value written after a key: `region` starts just after the key's
/// name. A list gives its items, a scalar itself; each as YAML reads it as a string (as
/// written, for plain scalars). `None` when the text cut out does not read as that.
fn written_scalars(text: &str, region: Range<usize>, list: bool) -> Option<Vec<String>> {
    let after = text.get(region)?;
    // A quoted key ends with its quote; then `:`.
    let after = after.strip_prefix(['"', '\'']).unwrap_or(after);
    let after = after.trim_start_matches([' ', '\t']).strip_prefix(':')?;
    let mut value = after.trim_start_matches([' ', '\t']);
    if let Some(anchored) = value.strip_prefix('&') {
        // `&ids [1.10]`: the anchor's name, then the value.
        let name = anchored
            .find([' ', '\t', '\n', '\r'])
            .unwrap_or(anchored.len());
        value = anchored[name..].trim_start_matches([' ', '\t']);
    }
    let cut = if value.starts_with('[') {
        &value[..flow_end(value)?]
    } else if value.starts_with(['\n', '\r', '#']) || value.is_empty() {
        // A block list on the lines below, up to the rule's next key.
        value
    } else {
        // A plain scalar on the key's line: to the line's end, a comment, or the end of
        // the flow mapping the rule is written as.
        let end = value
            .find(['\n', '\r', ',', '}', ']'])
            .unwrap_or(value.len());
        let line = &value[..end];
        line.find(" #").map_or(line, |i| &line[..i])
    };
    if list {
        serde_yaml::from_str::<Vec<String>>(cut).ok()
    } else {
        serde_yaml::from_str::<String>(cut).ok().map(|s| vec![s])
    }
}

/// The length of the flow collection `value` starts with (`[` to its closing bracket),
/// quoted scalars skipped; `None` when it is not closed.
fn flow_end(value: &str) -> Option<usize> {
    let b = value.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'\'' if i > 0 && matches!(b[i - 1], b'[' | b',' | b' ' | b'\t' | b'\n') => {
                // A single-quoted scalar: `''` is a quote inside it.
                i += 1;
                while i < b.len() {
                    if b[i] == b'\'' {
                        if b.get(i + 1) == Some(&b'\'') {
                            i += 1;
                        } else {
                            break;
                        }
                    }
                    i += 1;
                }
            }
            b'#' if i > 0 && matches!(b[i - 1], b' ' | b'\t') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(yaml_value: &str) -> Result<Vec<String>, String> {
        let text = format!("traces{yaml_value}");
        let node: Node = serde_yaml::from_str(&format!("k{yaml_value}"))
            .map(|n: Node| match n {
                Node::Map(mut e) => e.remove(0).1,
                other => other,
            })
            .unwrap();
        let names = super::super::names_of(&node).unwrap();
        as_written(&node, names, &text, "traces".len()..text.len())
    }

    #[test]
    fn numbers_keep_their_digits() {
        assert_eq!(
            read(": [4594, 1.10, REQ-1]").unwrap(),
            ["4594", "1.10", "REQ-1"]
        );
        assert_eq!(
            read(": [0x11F2, \"0x11F2\", 1e3]").unwrap(),
            ["0x11F2", "0x11F2", "1e3"]
        );
        assert_eq!(read(": 1.10   # a comment").unwrap(), ["1.10"]);
        assert_eq!(
            read(":\n  - 1.10  # a comment\n  - 'x, y'\n  - 2.50\n").unwrap(),
            ["1.10", "x, y", "2.50"]
        );
        assert_eq!(
            read(": [\"a]\", 1.20, true]").unwrap(),
            ["a]", "1.20", "true"]
        );
        assert_eq!(read(": [TRUE]").unwrap(), ["TRUE"]);
        assert_eq!(read(": &ids [1.10]").unwrap(), ["1.10"]);
        // Nothing to read again when YAML kept every entry as text.
        assert_eq!(read(": [REQ-1, 04594]").unwrap(), ["REQ-1", "04594"]);
    }

    #[test]
    fn a_number_whose_text_cannot_be_found_is_refused() {
        // An alias: the text holds no digits to keep.
        let text = "traces: *ids";
        let node = Node::Seq(vec![Node::Number("1.1".into())]);
        assert_eq!(
            as_written(&node, vec!["1.1".into()], text, 6..text.len()),
            Err("1.1".to_string())
        );
    }

    #[test]
    fn flow_lists_end_at_their_bracket() {
        assert_eq!(flow_end("[a, [b], 'c]', \"d]\"] tail"), Some(20));
        assert_eq!(flow_end("[a, b"), None);
        assert_eq!(flow_end("[a, # ]\n b]"), Some(11));
    }
}
