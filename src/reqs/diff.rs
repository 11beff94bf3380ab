//! `opsplan reqs diff`: what changed between two exports of the same requirements (two
//! DOORS baselines): the objects added, removed and changed, attribute by attribute.
//!
//! Objects are matched by [`ReqObject::id`]. Pure logic, no I/O; hash maps keep it linear
//! in the number of objects (plus the sort of the duplicated ids), so two exports of
//! 100,000 objects each diff in well under a second.
//!
//! Whitespace runs count as one blank in every compared value (as in
//! [`super::fingerprint`]), so re-wrapping a text or re-exporting through another format is
//! not a change; the values shown are the original ones. Attribute values are compared as
//! they read ([`AttrValue::display`]): `37` as text in a CSV export and `37` as an integer
//! in a ReqIF export are the same value.

use super::{AttrValue, Direction, Link, ReqLocation, ReqObject};
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet};

/// The names of the compared fields that are not attributes, in the order they are compared.
pub const FIELDS: [&str; 7] = [
    "heading", "text", "kind", "level", "path", "module", "links",
];

/// The longest [`Entry::summary`], in characters (an ellipsis included).
pub const SUMMARY_CHARS: usize = 60;

/// What changed from an old export (baseline) to a new one.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ReqDiff {
    /// Objects only in the new export, in the new export's outline order.
    pub added: Vec<Entry>,
    /// Objects only in the old export, in the old export's outline order.
    pub removed: Vec<Entry>,
    /// Objects in both whose compared fields (or content fingerprint) differ, in the new
    /// export's outline order.
    pub changed: Vec<Changed>,
    /// Objects in both that read the same.
    pub unchanged: usize,
    /// Ids written more than once in either export, sorted, each once. Only the first
    /// occurrence of such an id is compared; the others are neither added nor removed.
    pub duplicates: Vec<String>,
}

impl ReqDiff {
    /// How many changed objects changed in content (heading or text).
    pub fn content_changed(&self) -> usize {
        self.changed.iter().filter(|c| c.content_changed).count()
    }

    /// True when nothing was added, removed or changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// An object present on one side only.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Entry {
    pub id: String,
    pub is_heading: bool,
    /// The heading, else the first line of the text, whitespace collapsed, at most
    /// [`SUMMARY_CHARS`] characters (`…` marks a cut or further lines).
    pub summary: String,
    /// Where the object is written in its export.
    pub location: ReqLocation,
}

/// An object present in both exports that changed.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Changed {
    pub id: String,
    /// The new object's kind (a change of kind is also listed in `fields`).
    pub is_heading: bool,
    /// The new object's summary, as in [`Entry::summary`].
    pub summary: String,
    pub old_location: ReqLocation,
    pub new_location: ReqLocation,
    /// The fields that differ, in the order `heading`, `text`, `kind`, `level`, `path`,
    /// `module`, the attributes by name, `links`.
    pub fields: Vec<FieldChange>,
    /// True when what the object says changed: its heading or text differ (beyond
    /// whitespace), i.e. its fingerprint differs. Traces recorded against the old text
    /// become suspect. (Also true when only the stored fingerprints differ.)
    pub content_changed: bool,
}

/// One field's old and new value, as text. `None` is an absent value: an attribute the
/// object does not have, no heading, no level, no module, an empty path, no links.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldChange {
    /// One of [`FIELDS`], or the attribute's name when `attribute` is true.
    pub field: String,
    /// True for an attribute (so an attribute named like a field, `level`, stays apart).
    pub attribute: bool,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Compares two exports, given as their objects in outline order. Never fails: ids
/// written twice are reported in [`ReqDiff::duplicates`] and matched by their first
/// occurrence.
pub fn diff(old: &[&ReqObject], new: &[&ReqObject]) -> ReqDiff {
    let mut duplicates = BTreeSet::new();
    let old_index = index(old, &mut duplicates);
    let new_index = index(new, &mut duplicates);
    let mut out = ReqDiff {
        duplicates: duplicates.into_iter().map(str::to_string).collect(),
        ..ReqDiff::default()
    };
    for (i, o) in new.iter().enumerate() {
        if new_index.get(o.id.as_str()) != Some(&i) {
            continue;
        }
        match old_index.get(o.id.as_str()) {
            Some(&j) => match compare(old[j], o) {
                Some(changed) => out.changed.push(changed),
                None => out.unchanged += 1,
            },
            None => out.added.push(Entry::of(o)),
        }
    }
    for (j, o) in old.iter().enumerate() {
        if old_index.get(o.id.as_str()) == Some(&j) && !new_index.contains_key(o.id.as_str()) {
            out.removed.push(Entry::of(o));
        }
    }
    out
}

/// Id → position of its first occurrence; the ids seen again go to `duplicates`.
fn index<'a>(
    objects: &[&'a ReqObject],
    duplicates: &mut BTreeSet<&'a str>,
) -> FxHashMap<&'a str, usize> {
    let mut map = FxHashMap::with_capacity_and_hasher(objects.len(), Default::default());
    for (i, o) in objects.iter().enumerate() {
        let id = o.id.as_str();
        if map.contains_key(id) {
            duplicates.insert(id);
        } else {
            map.insert(id, i);
        }
    }
    map
}

impl Entry {
    fn of(o: &ReqObject) -> Entry {
        Entry {
            id: o.id.clone(),
            is_heading: o.is_heading,
            summary: summary(o),
            location: o.location.clone(),
        }
    }
}

/// The changes from `a` to `b`, or `None` when they read the same.
fn compare(a: &ReqObject, b: &ReqObject) -> Option<Changed> {
    let mut fields = Vec::new();
    let mut push = |field: &str, attribute: bool, old: Option<String>, new: Option<String>| {
        fields.push(FieldChange {
            field: field.to_string(),
            attribute,
            old,
            new,
        })
    };
    let heading_changed = !same_opt(a.heading.as_deref(), b.heading.as_deref());
    let text_changed = !same(&a.text, &b.text);
    let content_changed = heading_changed || text_changed || a.fingerprint != b.fingerprint;
    if heading_changed {
        push("heading", false, a.heading.clone(), b.heading.clone());
    }
    if text_changed {
        push("text", false, Some(a.text.clone()), Some(b.text.clone()));
    }
    if a.is_heading != b.is_heading {
        push("kind", false, Some(kind(a).into()), Some(kind(b).into()));
    }
    if a.level != b.level {
        let show = |l: Option<u32>| l.map(|l| l.to_string());
        push("level", false, show(a.level), show(b.level));
    }
    if !a.path.same_as(&b.path) {
        push("path", false, path(a), path(b));
    }
    if !same_opt(a.module.as_deref(), b.module.as_deref()) {
        push("module", false, a.module.clone(), b.module.clone());
    }
    if a.attributes != b.attributes {
        for (name, old, new) in merge(&a.attributes, &b.attributes) {
            let old = old.map(AttrValue::display);
            let new = new.map(AttrValue::display);
            if !same_opt(old.as_deref(), new.as_deref()) || old.is_some() != new.is_some() {
                push(name, true, old, new);
            }
        }
    }
    if !same_links(&a.links, &b.links) {
        let (old, new) = (link_set(&a.links), link_set(&b.links));
        if old != new {
            push("links", false, join_links(&old), join_links(&new));
        }
    }
    if fields.is_empty() && !content_changed {
        return None;
    }
    Some(Changed {
        id: b.id.clone(),
        is_heading: b.is_heading,
        summary: summary(b),
        old_location: a.location.clone(),
        new_location: b.location.clone(),
        fields,
        content_changed,
    })
}

/// Equal once whitespace runs count as one blank (and leading/trailing ones as none).
fn same(a: &str, b: &str) -> bool {
    a == b || a.split_whitespace().eq(b.split_whitespace())
}

/// [`same`], an absent value reading as an empty one (as in the fingerprint).
fn same_opt(a: Option<&str>, b: Option<&str>) -> bool {
    same(a.unwrap_or(""), b.unwrap_or(""))
}

fn kind(o: &ReqObject) -> &'static str {
    if o.is_heading {
        "heading"
    } else {
        "requirement"
    }
}

/// The path as shown (its last headings; `…` first when cut).
fn path(o: &ReqObject) -> Option<String> {
    (!o.path.is_empty()).then(|| o.path.join(" / "))
}

/// Both attribute maps walked together in name order: (name, old, new).
fn merge<'a>(
    a: &'a BTreeMap<String, AttrValue>,
    b: &'a BTreeMap<String, AttrValue>,
) -> Vec<(&'a str, Option<&'a AttrValue>, Option<&'a AttrValue>)> {
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    let (mut x, mut y) = (a.iter().peekable(), b.iter().peekable());
    loop {
        let next = match (x.peek(), y.peek()) {
            (None, None) => break,
            (Some((ka, _)), Some((kb, _))) => ka.cmp(kb),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
        };
        match next {
            std::cmp::Ordering::Less => {
                if let Some((k, v)) = x.next() {
                    out.push((k.as_str(), Some(v), None));
                }
            }
            std::cmp::Ordering::Greater => {
                if let Some((k, v)) = y.next() {
                    out.push((k.as_str(), None, Some(v)));
                }
            }
            std::cmp::Ordering::Equal => {
                if let (Some((k, va)), Some((_, vb))) = (x.next(), y.next()) {
                    out.push((k.as_str(), Some(va), Some(vb)));
                }
            }
        }
    }
    out
}

/// The fast path: the same links in the same order (whether resolved is not compared).
fn same_links(a: &[Link], b: &[Link]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.kind == y.kind && x.direction == y.direction && x.target == y.target)
}

/// The links as a set of `kind direction target` strings.
fn link_set(links: &[Link]) -> BTreeSet<String> {
    links
        .iter()
        .map(|l| {
            let direction = match l.direction {
                Direction::Out => "out",
                Direction::In => "in",
            };
            format!("{} {direction} {}", l.kind, l.target)
        })
        .collect()
}

fn join_links(set: &BTreeSet<String>) -> Option<String> {
    (!set.is_empty()).then(|| {
        set.iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// The heading, else the first non-blank line of the text, whitespace collapsed and cut
/// to [`SUMMARY_CHARS`] characters at a word boundary when there is one; `…` marks a cut
/// or text left out.
fn summary(o: &ReqObject) -> String {
    let heading = o.heading.as_deref().filter(|h| !h.trim().is_empty());
    let (first, more) = match heading {
        Some(h) => (h, false),
        None => {
            let mut lines = o.text.lines().filter(|l| !l.trim().is_empty());
            (lines.next().unwrap_or(""), lines.next().is_some())
        }
    };
    let line = first.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars = line.chars().count();
    if !more && chars <= SUMMARY_CHARS {
        return line;
    }
    if chars + 2 <= SUMMARY_CHARS {
        return format!("{line} …");
    }
    // The characters kept before the ellipsis.
    let limit = SUMMARY_CHARS - 1;
    let cut = line
        .char_indices()
        .nth(limit)
        .map_or(line.len(), |(i, _)| i);
    let head = &line[..cut];
    let whole_words = cut == line.len() || line[cut..].starts_with(' ');
    let head = match head.rfind(' ') {
        // Cut at the last word boundary unless that loses more than half.
        Some(space) if !whole_words && head[..space].chars().count() > limit / 2 => &head[..space],
        _ => head,
    };
    format!("{}…", head.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reqs::fingerprint;

    fn req(id: &str, text: &str) -> ReqObject {
        ReqObject {
            id: id.to_string(),
            is_heading: false,
            heading: None,
            text: text.to_string(),
            level: Some(2),
            path: crate::reqs::HeadingPath::from_labels(["Flight Operations"]),
            module: Some("ATV Ops Requirements".to_string()),
            attributes: BTreeMap::new(),
            links: Vec::new(),
            location: ReqLocation::Text { line: 1, column: 1 },
            fingerprint: fingerprint(id, None, text),
        }
    }

    fn heading(id: &str, title: &str) -> ReqObject {
        ReqObject {
            is_heading: true,
            heading: Some(title.to_string()),
            level: Some(1),
            path: Default::default(),
            fingerprint: fingerprint(id, Some(title), ""),
            ..req(id, "")
        }
    }

    fn set_text(o: &mut ReqObject, text: &str) {
        o.text = text.to_string();
        o.fingerprint = fingerprint(&o.id, o.heading.as_deref(), text);
    }

    fn link(kind: &str, direction: Direction, target: &str) -> Link {
        Link {
            kind: kind.into(),
            target: target.into(),
            direction,
            resolved: true,
        }
    }

    fn refs(v: &[ReqObject]) -> Vec<&ReqObject> {
        v.iter().collect()
    }

    fn change(field: &str, attribute: bool, old: Option<&str>, new: Option<&str>) -> FieldChange {
        FieldChange {
            field: field.into(),
            attribute,
            old: old.map(Into::into),
            new: new.map(Into::into),
        }
    }

    #[test]
    fn identical_exports_have_no_differences() {
        let v = vec![
            heading("ATV-OPS-1", "Flight Operations"),
            req("ATV-OPS-REQ-001", "The FCT shall uplink the plan."),
        ];
        let d = diff(&refs(&v), &refs(&v));
        assert!(d.is_empty());
        assert_eq!(d.unchanged, 2);
        assert!(d.duplicates.is_empty());
        let empty = diff(&[], &[]);
        assert!(empty.is_empty());
        assert_eq!(empty.unchanged, 0);
    }

    #[test]
    fn added_and_removed_follow_their_exports_order() {
        let old = vec![req("R-3", "c"), req("R-1", "a"), req("R-9", "x")];
        let new = vec![req("R-8", "h"), req("R-1", "a"), req("R-2", "b")];
        let d = diff(&refs(&old), &refs(&new));
        let ids = |e: &[Entry]| e.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&d.added), ["R-8", "R-2"]);
        assert_eq!(ids(&d.removed), ["R-3", "R-9"]);
        assert_eq!(d.unchanged, 1);
        assert_eq!(d.added[0].summary, "h");
    }

    #[test]
    fn changed_lists_fields_in_order_and_attributes_by_name() {
        let mut a = req("ATV-OPS-REQ-011", "OCS burns shall be ≥2 h apart.");
        a.attributes.insert(
            "Verification Method".into(),
            AttrValue::Enum(vec!["Review".into()]),
        );
        a.attributes
            .insert("Priority".into(), AttrValue::Text("High".into()));
        let mut b = a.clone();
        set_text(&mut b, "OCS burns shall be ≥3 h apart.");
        b.level = Some(3);
        b.path = crate::reqs::HeadingPath::from_labels(["Flight Operations", "Orbit Control"]);
        b.attributes.insert(
            "Verification Method".into(),
            AttrValue::Enum(vec!["Analysis".into()]),
        );
        b.attributes.remove("Priority");
        b.attributes.insert("Source".into(), AttrValue::Integer(37));
        b.links = vec![link("satisfies", Direction::Out, "ATV-SYS-REQ-4")];
        b.location = ReqLocation::Text { line: 9, column: 1 };
        let old = [a];
        let new = [b];
        let d = diff(&refs(&old), &refs(&new));
        assert_eq!(d.changed.len(), 1);
        let c = &d.changed[0];
        assert!(c.content_changed);
        assert_eq!(c.old_location, ReqLocation::Text { line: 1, column: 1 });
        assert_eq!(c.new_location, ReqLocation::Text { line: 9, column: 1 });
        assert_eq!(c.summary, "OCS burns shall be ≥3 h apart.");
        assert_eq!(
            c.fields,
            vec![
                change(
                    "text",
                    false,
                    Some("OCS burns shall be ≥2 h apart."),
                    Some("OCS burns shall be ≥3 h apart.")
                ),
                change("level", false, Some("2"), Some("3")),
                change(
                    "path",
                    false,
                    Some("Flight Operations"),
                    Some("Flight Operations / Orbit Control")
                ),
                change("Priority", true, Some("High"), None),
                change("Source", true, None, Some("37")),
                change(
                    "Verification Method",
                    true,
                    Some("Review"),
                    Some("Analysis")
                ),
                change("links", false, None, Some("satisfies out ATV-SYS-REQ-4")),
            ]
        );
    }

    #[test]
    fn rewrapping_and_moving_are_not_changes() {
        let a = req(
            "R-1",
            "The FCT shall confirm the attitude\n  before every boost.",
        );
        let mut b = a.clone();
        set_text(
            &mut b,
            " The FCT shall confirm the attitude before  every boost.\n",
        );
        b.location = ReqLocation::Cell {
            sheet: "Reqs".into(),
            cell: "B7".into(),
        };
        b.attributes.insert(
            "Rationale".into(),
            AttrValue::Text("See  FDIR\nplan".into()),
        );
        let mut a = a;
        a.attributes
            .insert("Rationale".into(), AttrValue::Text("See FDIR plan".into()));
        let d = diff(&[&a], &[&b]);
        assert_eq!(d.unchanged, 1, "{d:?}");
        assert!(d.changed.is_empty());
    }

    #[test]
    fn attribute_values_compare_as_they_read() {
        let mut a = req("R-1", "t");
        a.attributes
            .insert("Source".into(), AttrValue::Text("37".into()));
        a.attributes
            .insert("Ratio".into(), AttrValue::Real(f64::NAN));
        let mut b = a.clone();
        b.attributes.insert("Source".into(), AttrValue::Integer(37));
        let d = diff(&[&a], &[&b]);
        assert_eq!(d.unchanged, 1, "{d:?}");
        // An empty value is still a value: present on one side only is a change.
        let mut c = a.clone();
        c.attributes
            .insert("Note".into(), AttrValue::Text(String::new()));
        let d = diff(&[&a], &[&c]);
        assert_eq!(
            d.changed[0].fields,
            vec![change("Note", true, None, Some(""))]
        );
        assert!(!d.changed[0].content_changed);
    }

    #[test]
    fn heading_kind_module_and_export_id_changes() {
        let a = heading("ATV-OPS-7", "Rendezvous");
        let mut b = a.clone();
        b.heading = Some("Rendezvous and Docking".into());
        b.fingerprint = fingerprint(&b.id, b.heading.as_deref(), &b.text);
        b.is_heading = false;
        b.module = None;
        b.attributes.insert(
            crate::reqs::EXPORT_ID.into(),
            AttrValue::Text("ATV-OPS-77".into()),
        );
        let d = diff(&[&a], &[&b]);
        let c = &d.changed[0];
        assert!(c.content_changed);
        assert!(!c.is_heading);
        let names: Vec<&str> = c.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["heading", "kind", "module", "Export ID"]);
        assert_eq!(
            c.fields[1],
            change("kind", false, Some("heading"), Some("requirement"))
        );
        assert_eq!(c.fields[2].new, None);
        // An absent heading and an empty one read the same.
        let mut e = a.clone();
        e.heading = Some("  ".into());
        let mut f = a.clone();
        f.heading = None;
        assert_eq!(diff(&[&e], &[&f]).unchanged, 1);
    }

    #[test]
    fn links_compare_as_sets() {
        let mut a = req("R-1", "t");
        a.links = vec![
            link("satisfies", Direction::Out, "S-2"),
            link("satisfies", Direction::Out, "S-1"),
            link("refines", Direction::In, "O-4"),
        ];
        let mut b = a.clone();
        b.links.reverse();
        b.links[0].resolved = false;
        assert_eq!(diff(&[&a], &[&b]).unchanged, 1);
        b.links[1] = link("satisfies", Direction::In, "S-1");
        let d = diff(&[&a], &[&b]);
        assert_eq!(
            d.changed[0].fields,
            vec![change(
                "links",
                false,
                Some("refines in O-4; satisfies out S-1; satisfies out S-2"),
                Some("refines in O-4; satisfies in S-1; satisfies out S-2")
            )]
        );
        assert!(!d.changed[0].content_changed);
    }

    #[test]
    fn a_fingerprint_difference_alone_is_a_content_change() {
        let a = req("R-1", "t");
        let mut b = a.clone();
        b.fingerprint = "0".repeat(64);
        let d = diff(&[&a], &[&b]);
        assert!(d.changed[0].content_changed);
        assert!(d.changed[0].fields.is_empty());
    }

    #[test]
    fn duplicates_match_their_first_occurrence() {
        let old = vec![req("R-1", "one"), req("R-2", "two"), req("R-1", "uno")];
        let new = vec![
            req("R-3", "three"),
            req("R-3", "tres"),
            req("R-1", "one"),
            req("R-2", "dos"),
            req("R-2", "two"),
        ];
        let d = diff(&refs(&old), &refs(&new));
        assert_eq!(d.duplicates, ["R-1", "R-2", "R-3"]);
        assert_eq!(d.unchanged, 1);
        assert_eq!(d.added.len(), 1);
        assert_eq!(d.added[0].summary, "three");
        assert!(d.removed.is_empty());
        assert_eq!(d.changed.len(), 1);
        assert_eq!(d.changed[0].id, "R-2");
    }

    #[test]
    fn summaries_are_short() {
        let long = "The flight control team shall verify the ATV attitude, the OCS \
                    thruster status and the propellant budget before each boost.";
        let s = summary(&req("R-1", long));
        assert!(s.chars().count() <= SUMMARY_CHARS, "{s}");
        assert_eq!(
            s,
            "The flight control team shall verify the ATV attitude, the…"
        );
        assert_eq!(
            summary(&req("R-1", "\n  Line one.\nLine two.")),
            "Line one. …"
        );
        assert_eq!(summary(&req("R-1", "")), "");
        let word = "x".repeat(100);
        let s = summary(&req("R-1", &word));
        assert_eq!(s.chars().count(), SUMMARY_CHARS);
        assert!(s.ends_with('…'));
        let wide = "≥".repeat(70);
        assert_eq!(summary(&req("R-1", &wide)).chars().count(), SUMMARY_CHARS);
        assert_eq!(summary(&heading("H-1", " Rendezvous ")), "Rendezvous");
    }

    /// 100,000 objects a side: a quadratic match would not finish in the test's time.
    #[test]
    fn large_exports_diff_by_hash() {
        let n = 100_000;
        let base = ReqObject {
            path: Default::default(),
            module: None,
            ..req("", "")
        };
        // Fingerprints by text only: the ids are the same on both sides anyway.
        let prints =
            ["The FCT shall act.", "The FCT shall not act."].map(|t| fingerprint("", None, t));
        let make = |i: usize, text: &str| ReqObject {
            id: format!("ATV-OPS-REQ-{i:06}"),
            text: text.to_string(),
            fingerprint: prints[usize::from(text.contains("not"))].clone(),
            ..base.clone()
        };
        let old: Vec<ReqObject> = (0..n).map(|i| make(i, "The FCT shall act.")).collect();
        let new: Vec<ReqObject> = (0..n)
            .map(|i| {
                // Shifted by 10: ten removed, ten added; every 1000th changed.
                let i = i + 10;
                make(
                    i,
                    if i % 1000 == 0 {
                        "The FCT shall not act."
                    } else {
                        "The FCT shall act."
                    },
                )
            })
            .rev()
            .collect();
        let d = diff(&refs(&old), &refs(&new));
        assert_eq!(d.removed.len(), 10);
        assert_eq!(d.added.len(), 10);
        assert_eq!(d.changed.len(), 99);
        assert_eq!(d.unchanged, n - 10 - 99);
        assert_eq!(d.removed[0].id, "ATV-OPS-REQ-000000");
        assert_eq!(d.added[0].id, "ATV-OPS-REQ-100009");
        assert_eq!(d.changed[0].id, "ATV-OPS-REQ-099000");
    }
}
