//! The object type of a ReqIF object, as the attribute [`ARTIFACT_TYPE`].
//!
//! Every ReqIF SPEC-OBJECT names a SPEC-OBJECT-TYPE; DOORS Next gives each artifact type
//! its own (`Heading`, `Stakeholder Requirement`, `Information`, `System Requirement`…),
//! Polarion and ProR theirs (`Software Requirement`, `Headline Type`). The importer
//! exposes the type's LONG-NAME on every object as the attribute `Artifact Type`, the
//! name DOORS Next gives that column in its spreadsheet exports, so that a project can
//! say which types need coverage (`need: { attribute: Artifact Type, values:
//! [Stakeholder Requirement] }`) and leave `Information` objects out.
//!
//! An object that has a value for an attribute of that name (matched as every attribute
//! name is, ignoring case and punctuation) keeps its own; a type without a name (DOORS
//! Classic writes them unnamed) adds nothing. Like every attribute, it is not part of
//! the fingerprint unless `requirements: fingerprint:` names it.

use super::AttrValue;
use std::collections::BTreeMap;

/// The attribute that holds a ReqIF object's SPEC-OBJECT-TYPE name.
pub const ARTIFACT_TYPE: &str = "Artifact Type";

/// Adds [`ARTIFACT_TYPE`] = `type_name` to `attributes`, unless one of the object's own
/// attribute names (`own_keys`, as [`super::attribute_key`] gives them) is already that
/// name, or the type has no name.
pub(super) fn expose(
    attributes: &mut BTreeMap<String, AttrValue>,
    own_keys: &[String],
    type_name: Option<&str>,
) {
    let Some(name) = type_name.map(str::trim).filter(|n| !n.is_empty()) else {
        return;
    };
    let key = super::attribute_key(ARTIFACT_TYPE);
    if own_keys.contains(&key) || attributes.keys().any(|k| super::attribute_key(k) == key) {
        return;
    }
    attributes.insert(ARTIFACT_TYPE.to_string(), AttrValue::Text(name.to_string()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reqs::reqif::import_reqif;
    use crate::reqs::{fingerprint, Export};
    use crate::source::FileId;

    fn corpus(name: &str) -> Export {
        let path = crate::reqs::corpus_path(&format!("reqif/{name}"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "corpus file {} is missing or unreadable ({e}); set OPSPLAN_CORPUS or put shared/corpus beside the project",
                path.display()
            )
        });
        let (export, diags) = import_reqif(FileId(0), &bytes);
        assert!(diags.is_empty(), "{name}: {diags:?}");
        export
    }

    fn types(export: &Export) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for o in &export.objects {
            let t = o
                .attributes
                .get(ARTIFACT_TYPE)
                .map_or_else(|| "(none)".to_string(), AttrValue::display);
            *out.entry(t).or_default() += 1;
        }
        out
    }

    #[test]
    fn doors_next_objects_carry_their_artifact_type() {
        let ex = corpus("doorsng_702_stk_module_with_images.reqifz");
        let found = types(&ex);
        let expected: BTreeMap<String, usize> = [
            ("Diagrams and sketches", 1),
            ("Heading", 21),
            ("Information", 9),
            ("Stakeholder Requirement", 62),
        ]
        .into_iter()
        .map(|(t, n)| (t.to_string(), n))
        .collect();
        assert_eq!(found, expected);
        // The headings are the objects of type Heading, and the type is text.
        for o in &ex.objects {
            let t = &o.attributes[ARTIFACT_TYPE];
            assert_eq!(
                o.is_heading,
                *t == AttrValue::Text("Heading".into()),
                "{}",
                o.id
            );
            // Not fingerprinted: id, heading and text only.
            assert_eq!(
                o.fingerprint,
                fingerprint(&o.id, o.heading.as_deref(), &o.text)
            );
            assert_eq!(o.fingerprint_with(&[]), o.fingerprint);
        }
        let of = |id: &str| {
            let o = ex.objects.iter().find(|o| o.id == id).unwrap();
            o.attributes[ARTIFACT_TYPE].display()
        };
        assert_eq!(of("4448"), "Heading", "Introduction");
        assert_eq!(
            of("4594"),
            "Information",
            "ANSI 1252 Latin 1 for CSV Export"
        );
    }

    #[test]
    fn every_reqif_tool_gives_its_type_name_and_unnamed_types_give_none() {
        let polarion = types(&corpus("polarion_live_doc_anonymized.reqif"));
        assert!(polarion.contains_key("Heading"), "{polarion:?}");
        assert!(
            polarion.contains_key("Software Requirement"),
            "{polarion:?}"
        );
        assert!(!polarion.contains_key("(none)"), "{polarion:?}");
        let pror = types(&corpus("pror_rmf_software_requirements_spec.reqif"));
        assert_eq!(
            pror.keys().collect::<Vec<_>>(),
            ["Headline Type", "Requirement Type"]
        );
        // DOORS Classic writes its object types without a LONG-NAME.
        let classic = types(&corpus("doors9_multi_module_user_export_2018.reqif"));
        assert_eq!(classic.keys().collect::<Vec<_>>(), ["(none)"]);
    }

    #[test]
    fn doors_next_spreadsheets_keep_their_artifact_type_column_as_the_attribute() {
        // DOORS Next's CSV export names the column `Artifact Type`: the kind column, which
        // decides headings, and an attribute of that name, as the ReqIF one.
        let csv = "ID,Artifact Type,Primary Text\n\
                   1,Heading,Introduction\n\
                   2,Stakeholder Requirement,The meter shall be read monthly.\n\
                   3,Information,Meters are read by the utility.\n";
        let (ex, diags) = crate::reqs::tabular::import_csv(
            FileId(0),
            csv.as_bytes(),
            &crate::reqs::tabular::ColumnMap::default(),
        );
        assert!(diags.is_empty(), "{diags:?}");
        let found: Vec<(bool, String)> = ex
            .objects
            .iter()
            .map(|o| (o.is_heading, o.attributes[ARTIFACT_TYPE].display()))
            .collect();
        assert_eq!(
            found,
            [
                (true, "Heading".to_string()),
                (false, "Stakeholder Requirement".to_string()),
                (false, "Information".to_string()),
            ]
        );
    }

    #[test]
    fn an_own_attribute_of_that_name_is_kept() {
        let mut attributes = BTreeMap::new();
        attributes.insert("artifact_type".to_string(), AttrValue::Text("Mine".into()));
        expose(&mut attributes, &[], Some("System Requirement"));
        assert_eq!(attributes.len(), 1);
        assert_eq!(attributes["artifact_type"], AttrValue::Text("Mine".into()));
        // Its own value was taken for something else (an id, a text): still its own.
        let mut attributes = BTreeMap::new();
        expose(
            &mut attributes,
            &["artifacttype".to_string()],
            Some("System Requirement"),
        );
        assert!(attributes.is_empty());
        // A blank or missing name adds nothing.
        expose(&mut attributes, &[], Some("  "));
        expose(&mut attributes, &[], None);
        assert!(attributes.is_empty());
        expose(&mut attributes, &[], Some(" Information "));
        assert_eq!(
            attributes[ARTIFACT_TYPE],
            AttrValue::Text("Information".into())
        );
    }
}
