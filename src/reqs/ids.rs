//! The ids people cite, made from an export's: an attribute holding them (`Req ID`), a
//! prefix before bare numbers (DOORS Next exports artifact numbers, `4594`, cited as
//! `AMR-4594`), for every module or module by module.
//!
//! [`apply`] renames the objects after import, whatever the format (ReqIF, CSV,
//! workbooks), so a module's settings hold for its ReqIF and its spreadsheet alike, and
//! for the current exports and the baseline alike. An object renamed by an attribute
//! keeps its export id as the attribute [`super::EXPORT_ID`]; a prefix keeps it visible
//! in the id itself. Links follow the renaming, and fingerprints are recomputed over the
//! cited id: the fingerprint of a requirement is that of the id people cite, so an id
//! that is cited the same way keeps its fingerprint, and a text that did not change
//! keeps the text part of it.

use super::{attribute_key, fingerprint, AttrValue, Export, ReqObject, EXPORT_ID};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// How the cited id of an object is made from its export id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdRule {
    /// The attribute (or column) whose value is the cited id (`Req ID`), matched ignoring
    /// case, blanks and punctuation; objects without a value keep their id.
    pub attribute: Option<String>,
    /// Put before an id that is a bare number: `AMR-` and `4594` give `AMR-4594`; a
    /// prefix not ending in `-`, `_`, `.` or `:` gets a `-` (`AMR` gives `AMR-4594` too).
    pub prefix: Option<String>,
}

/// The id rules of a set of exports: one for every module, and those of named modules
/// (`requirements: modules:`), whose fields, when given, take the place of the common
/// ones for that module.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CitedIds {
    pub all: IdRule,
    /// By module name (`ReqObject::module`).
    pub modules: BTreeMap<String, IdRule>,
}

impl CitedIds {
    /// The rule of an object of `module`.
    pub fn rule_for(&self, module: Option<&str>) -> IdRule {
        let own = module.and_then(|m| self.modules.get(m));
        IdRule {
            attribute: own
                .and_then(|r| r.attribute.clone())
                .or_else(|| self.all.attribute.clone()),
            prefix: own
                .and_then(|r| r.prefix.clone())
                .or_else(|| self.all.prefix.clone()),
        }
    }

    /// True when no rule renames anything.
    pub fn is_empty(&self) -> bool {
        self.all == IdRule::default() && self.modules.values().all(|r| *r == IdRule::default())
    }

    /// Every prefix in use, each once, in name order.
    pub fn prefixes(&self) -> Vec<&str> {
        let set: BTreeSet<&str> = self
            .modules
            .values()
            .chain(std::iter::once(&self.all))
            .filter_map(|r| r.prefix.as_deref())
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        set.into_iter().collect()
    }
}

/// `AMR-` + `4594` → `AMR-4594`; `SRS` + `12` → `SRS-12`; an id that is not a bare number
/// is kept.
pub fn with_prefix(id: &str, prefix: Option<&str>) -> String {
    match prefix.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) if is_bare_number(id) => {
            if p.ends_with(['-', '_', '.', ':']) {
                format!("{p}{id}")
            } else {
                format!("{p}-{id}")
            }
        }
        _ => id.to_string(),
    }
}

/// True for an id of ASCII digits only (a DOORS absolute number, a DOORS Next artifact
/// number).
pub fn is_bare_number(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())
}

/// An id rule that cannot hold: its attribute is on no object it applies to (every id
/// would stay as exported, unsaid).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownAttribute {
    pub attribute: String,
    /// The module whose own `id:` it is; `None` for the common one.
    pub module: Option<String>,
    /// The attributes the objects it applies to do have, in name order.
    pub known: Vec<String>,
}

/// Renames the objects of `exports` by `ids`: the attribute's value first, then the
/// prefix before a bare number. Returns how many objects were renamed, or the first
/// attribute no object it applies to has (nothing is renamed then).
pub fn apply(exports: &mut [Export], ids: &CitedIds) -> Result<usize, UnknownAttribute> {
    if ids.is_empty() {
        return Ok(0);
    }
    check_attributes(exports, ids)?;
    let keys: HashMap<&str, String> = ids
        .modules
        .values()
        .chain(std::iter::once(&ids.all))
        .filter_map(|r| r.attribute.as_deref())
        .map(|a| (a, attribute_key(a)))
        .collect();
    // Old id → new id, per export (links inside an export) and across them.
    let mut per_export: Vec<HashMap<String, Option<String>>> = Vec::with_capacity(exports.len());
    let mut across: HashMap<String, Option<String>> = HashMap::new();
    let note = |map: &mut HashMap<String, Option<String>>, old: &str, new: &str| {
        map.entry(old.to_string())
            .and_modify(|v| {
                // One old id renamed two ways (two modules): links to it stay as they are.
                if v.as_deref() != Some(new) {
                    *v = None;
                }
            })
            .or_insert_with(|| Some(new.to_string()));
    };
    let mut renamed = 0;
    for export in exports.iter_mut() {
        let mut mine = HashMap::new();
        for o in &mut export.objects {
            let rule = ids.rule_for(o.module.as_deref());
            let old = o.id.clone();
            if let Some(a) = &rule.attribute {
                rename_by_attribute(o, &keys[a.as_str()]);
            }
            o.id = with_prefix(&o.id, rule.prefix.as_deref());
            if o.id != old {
                o.fingerprint = fingerprint(&o.id, o.heading.as_deref(), &o.text);
                note(&mut mine, &old, &o.id);
                note(&mut across, &old, &o.id);
                renamed += 1;
            }
        }
        per_export.push(mine);
    }
    if renamed > 0 {
        for (export, mine) in exports.iter_mut().zip(&per_export) {
            for l in export.objects.iter_mut().flat_map(|o| o.links.iter_mut()) {
                // A resolved link's other end is in the same export, as a rule.
                let found = match mine.get(&l.target) {
                    Some(v) => v,
                    None => across.get(&l.target).unwrap_or(&None),
                };
                if let Some(new) = found {
                    l.target = new.clone();
                }
            }
        }
    }
    Ok(renamed)
}

/// The value of the attribute (`key`: its [`attribute_key`]) becomes the id; the export
/// id is kept as [`EXPORT_ID`].
fn rename_by_attribute(o: &mut ReqObject, key: &str) {
    let Some(name) = o
        .attributes
        .keys()
        .find(|k| attribute_key(k) == key)
        .cloned()
    else {
        return;
    };
    let value = o.attributes[&name].display().trim().to_string();
    if value.is_empty() || value == o.id {
        return;
    }
    o.attributes.remove(&name);
    let old = std::mem::replace(&mut o.id, value);
    o.attributes
        .entry(EXPORT_ID.to_string())
        .or_insert(AttrValue::Text(old));
}

/// Every attribute of `ids` must be on an object it applies to, when it applies to any.
fn check_attributes(exports: &[Export], ids: &CitedIds) -> Result<(), UnknownAttribute> {
    let objects = || exports.iter().flat_map(|e| e.objects.iter());
    let mut wanted: Vec<(Option<&str>, &str)> = Vec::new();
    if let Some(a) = &ids.all.attribute {
        wanted.push((None, a));
    }
    for (m, r) in &ids.modules {
        if let Some(a) = &r.attribute {
            wanted.push((Some(m), a));
        }
    }
    for (module, attribute) in wanted {
        // The objects this attribute is the id rule of.
        let applies = |o: &&ReqObject| match module {
            Some(m) => o.module.as_deref() == Some(m),
            None => o
                .module
                .as_deref()
                .and_then(|m| ids.modules.get(m))
                .is_none_or(|r| r.attribute.is_none()),
        };
        let key = attribute_key(attribute);
        if !objects().any(|o| applies(&o)) {
            continue;
        }
        let has = objects()
            .filter(applies)
            .any(|o| o.attributes.keys().any(|k| attribute_key(k) == key));
        if !has {
            let known: BTreeSet<&str> = objects()
                .filter(applies)
                .flat_map(|o| o.attributes.keys().map(String::as_str))
                .collect();
            return Err(UnknownAttribute {
                attribute: attribute.to_string(),
                module: module.map(str::to_string),
                known: known.into_iter().map(str::to_string).collect(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reqs::{Direction, HeadingPath, Link, ReqLocation};

    fn object(id: &str, module: &str, attrs: &[(&str, &str)], link: Option<&str>) -> ReqObject {
        ReqObject {
            id: id.to_string(),
            is_heading: false,
            heading: None,
            text: format!("text of {id}"),
            level: Some(1),
            path: HeadingPath::default(),
            module: Some(module.to_string()),
            attributes: attrs
                .iter()
                .map(|(k, v)| (k.to_string(), AttrValue::Text(v.to_string())))
                .collect(),
            links: link
                .map(|t| Link {
                    kind: "Satisfaction".into(),
                    target: t.into(),
                    direction: Direction::Out,
                    resolved: true,
                })
                .into_iter()
                .collect(),
            location: ReqLocation::Text { line: 1, column: 1 },
            fingerprint: fingerprint(id, None, &format!("text of {id}")),
        }
    }

    fn export(objects: Vec<ReqObject>) -> Export {
        Export {
            objects,
            ..Export::default()
        }
    }

    #[test]
    fn prefixes_apply_to_bare_numbers_module_by_module_and_links_follow() {
        let mut exports = vec![export(vec![
            object("4594", "AMR", &[], Some("4595")),
            object("4595", "AMR", &[], None),
            object("12", "SYS", &[], Some("4594")),
            object("SYS-7", "SYS", &[], None),
        ])];
        let ids = CitedIds {
            all: IdRule {
                prefix: Some("SYS".into()),
                ..IdRule::default()
            },
            modules: [(
                "AMR".to_string(),
                IdRule {
                    prefix: Some("AMR-".into()),
                    ..IdRule::default()
                },
            )]
            .into(),
        };
        assert_eq!(apply(&mut exports, &ids), Ok(3));
        let ids: Vec<&str> = exports[0].objects.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["AMR-4594", "AMR-4595", "SYS-12", "SYS-7"]);
        assert_eq!(exports[0].objects[0].links[0].target, "AMR-4595");
        assert_eq!(exports[0].objects[2].links[0].target, "AMR-4594");
        // The fingerprint is that of the cited id; the export id is in the id itself.
        let o = &exports[0].objects[0];
        assert_eq!(o.fingerprint, fingerprint("AMR-4594", None, "text of 4594"));
        assert!(!o.attributes.contains_key(EXPORT_ID));
    }

    #[test]
    fn a_module_attribute_replaces_the_common_one_for_its_module_then_its_prefix_applies() {
        let mut exports = vec![export(vec![
            object("SRS-3", "OPS", &[("Req ID", "OPS-REQ-006")], None),
            object(
                "4594",
                "AMR",
                &[("Req ID", "X"), ("Identifier", "17")],
                None,
            ),
        ])];
        let ids = CitedIds {
            all: IdRule {
                attribute: Some("Req ID".into()),
                ..IdRule::default()
            },
            modules: [(
                "AMR".to_string(),
                IdRule {
                    attribute: Some("identifier".into()),
                    prefix: Some("AMR".into()),
                },
            )]
            .into(),
        };
        assert_eq!(apply(&mut exports, &ids), Ok(2));
        let [a, b] = &exports[0].objects[..] else {
            panic!()
        };
        assert_eq!(a.id, "OPS-REQ-006");
        assert_eq!(a.attributes[EXPORT_ID], AttrValue::Text("SRS-3".into()));
        assert_eq!(b.id, "AMR-17");
        assert_eq!(b.attributes[EXPORT_ID], AttrValue::Text("4594".into()));
        assert_eq!(b.attributes["Req ID"], AttrValue::Text("X".into()));
    }

    #[test]
    fn an_attribute_no_object_of_its_module_has_is_refused_naming_the_module() {
        let mut exports = vec![export(vec![
            object("1", "AMR", &[("Identifier", "1")], None),
            object("2", "SYS", &[("Req ID", "S-2")], None),
        ])];
        let ids = CitedIds {
            all: IdRule {
                attribute: Some("Req ID".into()),
                ..IdRule::default()
            },
            modules: [(
                "AMR".to_string(),
                IdRule {
                    attribute: Some("Req ID".into()),
                    prefix: None,
                },
            )]
            .into(),
        };
        let before = exports.clone();
        let e = apply(&mut exports, &ids).unwrap_err();
        assert_eq!(e.module.as_deref(), Some("AMR"));
        assert_eq!(e.known, ["Identifier"]);
        assert_eq!(
            exports[0].objects, before[0].objects,
            "nothing renamed on refusal"
        );
        // A module named by no object is not judged here.
        let ids = CitedIds {
            modules: [(
                "Other".to_string(),
                IdRule {
                    attribute: Some("Nope".into()),
                    prefix: None,
                },
            )]
            .into(),
            ..CitedIds::default()
        };
        assert_eq!(apply(&mut exports, &ids), Ok(0));
    }

    #[test]
    fn prefixed_ids_keep_the_separator_given() {
        assert_eq!(with_prefix("12", Some("SRS-")), "SRS-12");
        assert_eq!(with_prefix("12", Some("SRS")), "SRS-12");
        assert_eq!(with_prefix("12", Some("SRS:")), "SRS:12");
        assert_eq!(with_prefix("X12", Some("SRS")), "X12");
        assert_eq!(with_prefix("12", Some("  ")), "12");
        assert_eq!(with_prefix("12", None), "12");
    }
}
