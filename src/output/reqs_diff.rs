//! `opsplan reqs diff`: a [`ReqDiff`] as text for a reader or JSON for a tool.
//! Deterministic: the order is the diff's (changed, added, removed, each in outline order),
//! fields in the diff's order.
//!
//! Text layout: a `---`/`+++` header naming the two exports, one line per object
//! (`changed`, `added`, `removed`, the id, a short summary), under a changed object one
//! line per field (`field: old → new`). A value that is long or spans lines goes on its
//! own lines instead, after `old:` and `new:`, its lines kept and long ones wrapped at
//! blanks with a deeper indent (line breaks are not compared, so wrapping hides no
//! change). Links show only the ones removed (`-`) and added (`+`). Last, the counts.

use crate::reqs::diff::{Changed, Entry, FieldChange, ReqDiff, FIELDS};
use std::collections::BTreeSet;
use std::fmt::Write;

/// A value longer than this (in characters) goes on its own lines.
const INLINE_VALUE: usize = 60;
/// An inline `field: old → new` line longer than this goes on several lines.
const INLINE_LINE: usize = 100;
/// Block values are wrapped at blanks to this many characters per line.
const WRAP: usize = 80;
/// At most this many duplicated ids are named in the text.
const DUPLICATES_SHOWN: usize = 10;

/// The diff for a reader: header, one block per changed object, one line per added or
/// removed object, the duplicated ids if any, and a summary line.
pub fn text(diff: &ReqDiff, old_name: &str, new_name: &str) -> String {
    crate::diag::terminal_safe(&text_raw(diff, old_name, new_name)).into_owned()
}

/// [`text`] before control characters from the inputs are escaped.
fn text_raw(diff: &ReqDiff, old_name: &str, new_name: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "--- {old_name}");
    let _ = writeln!(out, "+++ {new_name}");
    for c in &diff.changed {
        changed_text(&mut out, c);
    }
    for e in &diff.added {
        entry_line(&mut out, "added  ", e);
    }
    for e in &diff.removed {
        entry_line(&mut out, "removed", e);
    }
    if !diff.duplicates.is_empty() {
        let n = diff.duplicates.len();
        let shown: Vec<&str> = diff
            .duplicates
            .iter()
            .take(DUPLICATES_SHOWN)
            .map(String::as_str)
            .collect();
        let more = if n > DUPLICATES_SHOWN {
            format!(" and {} more", n - DUPLICATES_SHOWN)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "note: {} written more than once in an export, only the first of each compared: {}{more}",
            plural(n, "id"),
            shown.join(", ")
        );
    }
    let _ = writeln!(out, "{}", summary(diff));
    out
}

/// `3 changed (2 in content), 1 added, 1 removed, 26 unchanged`
pub fn summary(diff: &ReqDiff) -> String {
    format!(
        "{} changed ({} in content), {} added, {} removed, {} unchanged",
        diff.changed.len(),
        diff.content_changed(),
        diff.added.len(),
        diff.removed.len(),
        diff.unchanged
    )
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// `added   ATV-OPS-REQ-024  Each procedure shall …`; headings are marked `[heading]`.
fn object_line(out: &mut String, what: &str, id: &str, is_heading: bool, summary: &str) {
    let mut line = format!("{what} {id}");
    if is_heading {
        line.push_str("  [heading]");
    }
    if !summary.is_empty() {
        line.push_str(if is_heading { " " } else { "  " });
        line.push_str(summary);
    }
    let _ = writeln!(out, "{line}");
}

fn entry_line(out: &mut String, what: &str, e: &Entry) {
    object_line(out, what, &e.id, e.is_heading, &e.summary);
}

fn changed_text(out: &mut String, c: &Changed) {
    object_line(out, "changed", &c.id, c.is_heading, &c.summary);
    for f in &c.fields {
        field_text(out, f);
    }
    let content_field = c
        .fields
        .iter()
        .any(|f| !f.attribute && (f.field == "heading" || f.field == "text"));
    if c.content_changed && !content_field {
        let _ = writeln!(
            out,
            "    fingerprint: differs (the heading and text read the same)"
        );
    }
}

/// The field's name as shown: an attribute named like a field is called `attribute X`.
fn label(f: &FieldChange) -> String {
    if f.attribute && FIELDS.contains(&f.field.as_str()) {
        format!("attribute {}", f.field)
    } else {
        f.field.clone()
    }
}

fn field_text(out: &mut String, f: &FieldChange) {
    let label = label(f);
    if !f.attribute && f.field == "links" {
        // Sets: show what left and what came.
        let set = |v: &Option<String>| -> BTreeSet<String> {
            v.as_deref()
                .map(|s| s.split("; ").map(str::to_string).collect())
                .unwrap_or_default()
        };
        let (old, new) = (set(&f.old), set(&f.new));
        let _ = writeln!(out, "    {label}:");
        for l in old.difference(&new) {
            let _ = writeln!(out, "      - {l}");
        }
        for l in new.difference(&old) {
            let _ = writeln!(out, "      + {l}");
        }
        return;
    }
    let quoted = !f.attribute && (f.field == "heading" || f.field == "text");
    let short = |v: &Option<String>| {
        v.as_deref()
            .is_none_or(|s| !s.contains('\n') && s.chars().count() <= INLINE_VALUE)
    };
    if short(&f.old) && short(&f.new) {
        let line = format!(
            "    {label}: {} → {}",
            inline(f.old.as_deref(), quoted),
            inline(f.new.as_deref(), quoted)
        );
        if line.chars().count() <= INLINE_LINE {
            let _ = writeln!(out, "{line}");
            return;
        }
    }
    let _ = writeln!(out, "    {label}:");
    block(out, "old", f.old.as_deref());
    block(out, "new", f.new.as_deref());
}

/// A value on one line: `(none)` when absent, `(empty)` when empty, quoted if asked.
fn inline(v: Option<&str>, quoted: bool) -> String {
    match v {
        None => "(none)".into(),
        Some(s) if quoted => format!("\"{s}\""),
        Some("") => "(empty)".into(),
        Some(s) => s.to_string(),
    }
}

/// A value on its own lines after `old:` or `new:` (not `-` and `+`, which texts use for
/// list items), each of its lines kept, long ones wrapped with a deeper indent.
fn block(out: &mut String, which: &str, v: Option<&str>) {
    let first = format!("      {which}: ");
    let rest = " ".repeat(first.len());
    let wrap = " ".repeat(first.len() + 2);
    let Some(s) = v else {
        let _ = writeln!(out, "{first}(none)");
        return;
    };
    if s.trim().is_empty() {
        let _ = writeln!(out, "{first}(empty)");
        return;
    }
    for (i, line) in s.trim_end().lines().enumerate() {
        let indent = if i == 0 { &first } else { &rest };
        let line = line.trim_end();
        if line.is_empty() {
            out.push('\n');
            continue;
        }
        for (j, piece) in wrapped(line, WRAP).into_iter().enumerate() {
            let _ = writeln!(out, "{}{piece}", if j == 0 { indent } else { &wrap });
        }
    }
}

/// `line` cut at blanks into pieces of at most `width` characters (a longer word stays
/// whole); the first piece keeps the line's indentation.
fn wrapped(line: &str, width: usize) -> Vec<String> {
    if line.chars().count() <= width {
        return vec![line.to_string()];
    }
    let indent_len = line.len() - line.trim_start().len();
    let mut pieces = Vec::new();
    let mut current = line[..indent_len].to_string();
    let mut current_chars = current.chars().count();
    let mut has_word = false;
    for word in line.split_whitespace() {
        let n = word.chars().count();
        if has_word && current_chars + 1 + n > width {
            pieces.push(std::mem::take(&mut current));
            current_chars = 0;
            has_word = false;
        }
        if has_word {
            current.push(' ');
            current_chars += 1;
        }
        current.push_str(word);
        current_chars += n;
        has_word = true;
    }
    if has_word {
        pieces.push(current);
    }
    pieces
}

#[derive(serde::Serialize)]
struct JsonDiff<'a> {
    old: &'a str,
    new: &'a str,
    summary: JsonSummary,
    added: &'a [Entry],
    removed: &'a [Entry],
    changed: &'a [Changed],
    duplicates: &'a [String],
}

#[derive(serde::Serialize)]
struct JsonSummary {
    changed: usize,
    content_changed: usize,
    added: usize,
    removed: usize,
    unchanged: usize,
    duplicates: usize,
}

/// `{"old", "new", "summary": {changed, content_changed, added, removed, unchanged,
/// duplicates}, "added": [...], "removed": [...], "changed": [...], "duplicates": [...]}`,
/// pretty-printed, ending with a newline.
pub fn json(diff: &ReqDiff, old_name: &str, new_name: &str) -> String {
    let doc = JsonDiff {
        old: old_name,
        new: new_name,
        summary: JsonSummary {
            changed: diff.changed.len(),
            content_changed: diff.content_changed(),
            added: diff.added.len(),
            removed: diff.removed.len(),
            unchanged: diff.unchanged,
            duplicates: diff.duplicates.len(),
        },
        added: &diff.added,
        removed: &diff.removed,
        changed: &diff.changed,
        duplicates: &diff.duplicates,
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reqs::diff::diff;
    use crate::reqs::{fingerprint, AttrValue, Direction, Link, ReqLocation, ReqObject};
    use std::collections::BTreeMap;

    const OLD: &str = "requirements/baseline/atv-ops-requirements-2014-09.reqif";
    const NEW: &str = "requirements/atv-ops-requirements.reqif";

    fn object(id: &str, heading: Option<&str>, text: &str, line: usize) -> ReqObject {
        ReqObject {
            id: id.to_string(),
            is_heading: heading.is_some() && text.is_empty(),
            heading: heading.map(str::to_string),
            text: text.to_string(),
            level: Some(if heading.is_some() { 1 } else { 2 }),
            path: if heading.is_some() {
                Default::default()
            } else {
                crate::reqs::HeadingPath::from_labels(["Orbit Control"])
            },
            module: Some("ATV Operations Requirements".to_string()),
            attributes: BTreeMap::new(),
            links: Vec::new(),
            location: ReqLocation::Xml {
                element: "SPEC-OBJECT".to_string(),
                line,
                column: 7,
                member: None,
            },
            fingerprint: fingerprint(id, heading, text),
        }
    }

    fn attr(o: &mut ReqObject, name: &str, value: AttrValue) {
        o.attributes.insert(name.to_string(), value);
    }

    fn satisfies(target: &str) -> Link {
        Link {
            kind: "satisfies".into(),
            target: target.into(),
            direction: Direction::Out,
            resolved: true,
        }
    }

    const LATE_BOOST_OLD: &str = "The FCT shall not command an OCS boost when the predicted ground station coverage of the burn is less than 80 % of its duration, unless the Flight Director has accepted the gap.";
    const LATE_BOOST_NEW: &str = "The FCT shall not command an OCS boost when the predicted ground station coverage of the burn is less than 90 % of its duration, unless the Flight Director has accepted the gap in writing.";

    /// Two baselines of a small ATV operations specification.
    fn baselines() -> (Vec<ReqObject>, Vec<ReqObject>) {
        let verification = |v: &str| AttrValue::Enum(vec![v.to_string()]);
        let mut old = vec![
            object("ATV-OPS-1", Some("Orbit Control"), "", 40),
            object("ATV-OPS-REQ-011", None, "OCS burns shall be ≥2 h apart.", 52),
            object(
                "ATV-OPS-REQ-012",
                None,
                "The FCT shall confirm the ATV attitude with the\nflight dynamics team before each boost.",
                64,
            ),
            object(
                "ATV-OPS-REQ-015",
                None,
                "Before each boost the FCT shall verify:\n- the OCS thruster status;\n- the propellant budget.",
                76,
            ),
            object("ATV-OPS-REQ-017", None, LATE_BOOST_OLD, 82),
            object(
                "ATV-OPS-REQ-020",
                None,
                "Collision avoidance manoeuvres shall be planned by Flight Dynamics.",
                88,
            ),
            object(
                "ATV-OPS-REQ-031",
                None,
                "The FCT shall keep a paper copy of every procedure in the control room.",
                100,
            ),
        ];
        attr(&mut old[1], "Verification Method", verification("Review"));
        attr(&mut old[1], "Priority", AttrValue::Text("High".into()));
        attr(&mut old[2], "Verification Method", verification("Test"));
        attr(&mut old[3], "Verification Method", verification("Test"));
        old[3].links = vec![satisfies("ATV-SYS-REQ-104"), satisfies("ATV-SYS-REQ-107")];
        attr(&mut old[4], "Verification Method", verification("Analysis"));
        attr(&mut old[5], "Verification Method", verification("Analysis"));

        let mut new = vec![
            object("ATV-OPS-1", Some("Orbit Control"), "", 40),
            object("ATV-OPS-REQ-011", None, "OCS burns shall be ≥3 h apart.", 52),
            object(
                "ATV-OPS-REQ-012",
                None,
                "The FCT shall confirm the ATV attitude with the flight dynamics team\nbefore each boost.",
                64,
            ),
            object(
                "ATV-OPS-REQ-015",
                None,
                "Before each boost the FCT shall verify:\n- the OCS thruster status;\n- the propellant budget, including the margin for a second attempt;\n- the ground station visibility for the whole burn.",
                76,
            ),
            object("ATV-OPS-REQ-017", None, LATE_BOOST_NEW, 82),
            object(
                "ATV-OPS-REQ-020",
                None,
                "Collision avoidance manoeuvres shall be planned by Flight Dynamics.",
                100,
            ),
            object("ATV-OPS-2", Some("Contingency Procedures"), "", 112),
            object(
                "ATV-OPS-REQ-024",
                None,
                "Each procedure shall name its contingency procedure.",
                118,
            ),
        ];
        attr(&mut new[1], "Verification Method", verification("Analysis"));
        attr(&mut new[1], "Priority", AttrValue::Text("High".into()));
        attr(&mut new[1], "Source", AttrValue::Integer(37));
        attr(&mut new[2], "Verification Method", verification("Test"));
        attr(&mut new[3], "Verification Method", verification("Test"));
        new[3].links = vec![satisfies("ATV-SYS-REQ-104"), satisfies("ATV-SYS-REQ-112")];
        attr(&mut new[4], "Verification Method", verification("Analysis"));
        attr(&mut new[5], "Verification Method", verification("Analysis"));
        new[5].path =
            crate::reqs::HeadingPath::from_labels(["Orbit Control", "Collision Avoidance"]);
        new[5].level = Some(3);
        attr(
            &mut new[7],
            "Verification Method",
            verification("Inspection"),
        );
        new[7].path = crate::reqs::HeadingPath::from_labels(["Contingency Procedures"]);
        (old, new)
    }

    fn example() -> ReqDiff {
        let (old, new) = baselines();
        let old: Vec<&ReqObject> = old.iter().collect();
        let new: Vec<&ReqObject> = new.iter().collect();
        diff(&old, &new)
    }

    #[test]
    fn text_snapshot() {
        insta::assert_snapshot!(text(&example(), OLD, NEW));
    }

    #[test]
    fn json_snapshot() {
        let s = json(&example(), OLD, NEW);
        assert!(s.ends_with("}\n"));
        insta::assert_snapshot!(s);
    }

    #[test]
    fn summary_counts() {
        assert_eq!(
            summary(&example()),
            "4 changed (3 in content), 2 added, 1 removed, 2 unchanged"
        );
    }

    #[test]
    fn json_is_valid_and_ordered() {
        let s = json(&example(), OLD, NEW);
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["old"], OLD);
        assert_eq!(v["summary"]["content_changed"], 3);
        assert_eq!(v["changed"][0]["id"], "ATV-OPS-REQ-011");
        assert_eq!(v["changed"][0]["fields"][0]["field"], "text");
        let keys: Vec<&str> = s
            .lines()
            .filter_map(|l| l.strip_prefix("  \"")?.split('"').next())
            .collect();
        assert_eq!(
            keys,
            [
                "old",
                "new",
                "summary",
                "added",
                "removed",
                "changed",
                "duplicates"
            ]
        );
    }

    #[test]
    fn no_differences() {
        let (old, _) = baselines();
        let refs: Vec<&ReqObject> = old.iter().collect();
        let d = diff(&refs, &refs);
        assert_eq!(
            text(&d, OLD, OLD),
            format!(
                "--- {OLD}\n+++ {OLD}\n0 changed (0 in content), 0 added, 0 removed, 7 unchanged\n"
            )
        );
    }

    #[test]
    fn values_absent_empty_quoted_and_long() {
        let f = |field: &str, attribute, old: Option<&str>, new: Option<&str>| {
            let mut out = String::new();
            field_text(
                &mut out,
                &FieldChange {
                    field: field.into(),
                    attribute,
                    old: old.map(Into::into),
                    new: new.map(Into::into),
                },
            );
            out
        };
        assert_eq!(
            f("Source", true, None, Some("37")),
            "    Source: (none) → 37\n"
        );
        assert_eq!(
            f("Note", true, Some(""), None),
            "    Note: (empty) → (none)\n"
        );
        assert_eq!(
            f("heading", false, None, Some("Docking")),
            "    heading: (none) → \"Docking\"\n"
        );
        assert_eq!(
            f("level", true, Some("A"), Some("B")),
            "    attribute level: A → B\n"
        );
        let long = "word ".repeat(30);
        assert_eq!(
            f("Rationale", true, Some("short"), Some(long.trim())),
            format!(
                "    Rationale:\n      old: short\n      new: {}\n             {}\n",
                "word ".repeat(16).trim(),
                "word ".repeat(14).trim()
            )
        );
        assert_eq!(
            f("text", false, Some("a\n\n  b"), Some("")),
            "    text:\n      old: a\n\n             b\n      new: (empty)\n"
        );
    }

    #[test]
    fn wrapping_keeps_every_word() {
        let line =
            "  - a list item whose words run well past the width of one line of the report, and on";
        let pieces = wrapped(line, 40);
        assert!(pieces.iter().all(|p| p.chars().count() <= 40));
        assert!(pieces[0].starts_with("  - a"));
        assert_eq!(
            pieces.join(" ").split_whitespace().collect::<Vec<_>>(),
            line.split_whitespace().collect::<Vec<_>>()
        );
        let word = "x".repeat(50);
        assert_eq!(wrapped(&word, 40), [word]);
    }

    #[test]
    fn a_fingerprint_only_change_is_said() {
        let a = object("R-1", None, "one", 1);
        let mut b = a.clone();
        b.fingerprint = "0".repeat(64);
        let t = text(&diff(&[&a], &[&b]), "a", "b");
        assert!(
            t.contains(
                "changed R-1  one\n    fingerprint: differs (the heading and text read the same)\n"
            ),
            "{t}"
        );
        assert!(t.ends_with("1 changed (1 in content), 0 added, 0 removed, 0 unchanged\n"));
    }

    #[test]
    fn duplicates_are_named() {
        let a = object("R-1", None, "one", 1);
        let b = object("R-1", None, "uno", 2);
        let d = diff(&[&a, &b], &[&a]);
        let t = text(&d, "a", "b");
        assert!(
            t.contains("note: 1 id written more than once in an export, only the first of each compared: R-1\n"),
            "{t}"
        );
    }
}
