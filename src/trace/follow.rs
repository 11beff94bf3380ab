//! Which requirement links carry a change to other requirements, and which way
//! (`requirements: impact: follow:` in `opsplan.yaml`; docs/tracing.md, "Impact of a
//! change").
//!
//! A link goes from its source to its target, as the export records it: a ReqIF
//! SPEC-RELATION's SOURCE and TARGET; in a spreadsheet, the row's object is the source of
//! the links of its `Out-links`, `Link To` and named columns (`Satisfies`: the row
//! satisfies the objects listed) and the target of those of its `In-links`, `Link From`
//! and `… By` columns (`Satisfied By`: the objects listed satisfy the row), which list the
//! sources of links into it, as DOORS Next shows its incoming links. A link's type is the
//! name the export gives it: the SPEC-RELATION-TYPE's LONG-NAME, or the column's header.
//!
//! Configured, each entry names a type (matched ignoring case, blanks and punctuation) and
//! the direction a change travels along it: `target-to-source` (a change of the target
//! reaches the source), `source-to-target`, or `both`. Not configured, the defaults:
//!
//! - a type that means derivation (its name holds `satisf`, `refine`, `deriv`,
//!   `implement`, `decompos`, `parent` or `child`) is followed from the upper end to the
//!   one derived from it: from target to source (`Satisfies`, `Refines`, `Derived From`,
//!   `Implements`, `Decomposes`, `Parent`, `Child Of`, DOORS Next's `Satisfaction`, and the
//!   `… By` columns, whose rows are the targets), but from source to target when the name
//!   says the source is the upper end (`Parent Of`, `Child`, `Children`, `Has Child`,
//!   `Decomposed Into`, `Parent-Child`);
//! - never a type naming a term, a glossary, a reference, a relation or a "see also"
//!   (`Artifact Term Reference`, `Glossary`, `Related To`, `See Also`), even one that also
//!   names derivation;
//! - an untyped link (a DOORS Classic `In-links`/`Out-links`/`Links` column, a ReqIF
//!   relation without a type) from target to source: DOORS links a requirement to the one
//!   it derives from (the link module belongs to the lower module, whose objects' out-links
//!   point up), so a change reaches the objects that link to the changed one, never the
//!   objects it links to;
//! - every other type is not followed (`Embeds`, `Mitigates`, `Validated By`, DOORS
//!   Next's generic `Link`, `Link To`, `Link From`); the impact lists them as not followed.

use crate::reqs::attribute_key;
use std::path::PathBuf;

/// `requirements: impact:` in `opsplan.yaml`.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImpactConfig {
    /// The link types a change travels along, and which way; `None`: the defaults (see
    /// the module documentation); empty: no link is followed.
    #[serde(default)]
    pub follow: Option<Vec<Follow>>,
    /// The project file and where each `follow` entry's type is written in it (line,
    /// column), for the error naming a type no link has.
    #[serde(skip)]
    pub written: Option<(PathBuf, Vec<(usize, usize)>)>,
}

/// One `follow:` entry: `{ type: Satisfies, direction: target-to-source }`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Follow {
    /// The link type as the export names it.
    #[serde(rename = "type")]
    pub link_type: String,
    pub direction: FollowDirection,
}

/// Which way a change travels along the links of a type.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Deserialize, serde::Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum FollowDirection {
    /// A change of a link's target reaches its source.
    TargetToSource,
    /// A change of a link's source reaches its target.
    SourceToTarget,
    Both,
}

impl FollowDirection {
    /// `from target to source`, `from source to target`, `both ways`.
    pub fn words(self) -> &'static str {
        match self {
            FollowDirection::TargetToSource => "from target to source",
            FollowDirection::SourceToTarget => "from source to target",
            FollowDirection::Both => "both ways",
        }
    }

    /// True when a change travels along the link the given way.
    pub fn carries(self, way: Way) -> bool {
        match self {
            FollowDirection::Both => true,
            FollowDirection::TargetToSource => way == Way::TargetToSource,
            FollowDirection::SourceToTarget => way == Way::SourceToTarget,
        }
    }

    fn with(self, other: FollowDirection) -> FollowDirection {
        if self == other {
            self
        } else {
            FollowDirection::Both
        }
    }
}

/// One step along a link: from its target to its source, or the other way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Way {
    TargetToSource,
    SourceToTarget,
}

impl Way {
    /// `from target to source`, `from source to target`.
    pub fn words(self) -> &'static str {
        match self {
            Way::TargetToSource => "from target to source",
            Way::SourceToTarget => "from source to target",
        }
    }
}

/// Type names that say nothing of the link: followed like a derivation.
const UNTYPED: &[&str] = &[
    "inlinks", "outlinks", "links", "inlink", "outlink", "relation",
];
/// Words of a type name that mean derivation.
const DERIVATION: &[&str] = &[
    "satisf",
    "refine",
    "deriv",
    "implement",
    "decompos",
    "parent",
    "child",
];
/// Words of a type name that are never followed by default.
const NEVER: &[&str] = &["term", "glossar", "refer", "relat", "seealso"];

/// How the defaults follow the links of a type (`None`: not followed). See the module
/// documentation.
pub fn default_direction(link_type: &str) -> Option<FollowDirection> {
    let key = attribute_key(link_type);
    if UNTYPED.contains(&key.as_str()) {
        return Some(FollowDirection::TargetToSource);
    }
    if NEVER.iter().any(|w| key.contains(w)) || !DERIVATION.iter().any(|w| key.contains(w)) {
        return None;
    }
    let source_is_upper = match (key.find("parent"), key.find("child")) {
        _ if key.contains("parentof") => true,
        _ if key.contains("childof") => false,
        (Some(p), Some(c)) => p < c,
        (None, Some(_)) => true,
        (Some(_), None) => false,
        (None, None) => key.contains("into"),
    };
    Some(if source_is_upper {
        FollowDirection::SourceToTarget
    } else {
        FollowDirection::TargetToSource
    })
}

/// A configured type that no link of the exports has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLinkType {
    /// Its `follow:` entry (0-based).
    pub entry: usize,
    pub link_type: String,
    /// The link types the exports have, sorted.
    pub known: Vec<String>,
}

/// How each link type of the exports (`kinds`, distinct) is followed, in their order:
/// by `config` when it lists types (every type it names must be one of `kinds`), else by
/// [`default_direction`].
pub fn directions(
    config: &ImpactConfig,
    kinds: &[&str],
) -> Result<Vec<Option<FollowDirection>>, UnknownLinkType> {
    let Some(follow) = &config.follow else {
        return Ok(kinds.iter().map(|k| default_direction(k)).collect());
    };
    let keys: Vec<String> = kinds.iter().map(|k| attribute_key(k)).collect();
    let mut out: Vec<Option<FollowDirection>> = vec![None; kinds.len()];
    for (entry, f) in follow.iter().enumerate() {
        let wanted = attribute_key(&f.link_type);
        let mut found = false;
        for (i, key) in keys.iter().enumerate() {
            if *key == wanted {
                found = true;
                out[i] = Some(out[i].map_or(f.direction, |d| d.with(f.direction)));
            }
        }
        if !found {
            let mut known: Vec<String> = kinds.iter().map(|k| k.to_string()).collect();
            known.sort();
            known.dedup();
            return Err(UnknownLinkType {
                entry,
                link_type: f.link_type.clone(),
                known,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use FollowDirection::*;

    #[test]
    fn defaults_follow_derivation_from_the_upper_end_and_never_terms_or_references() {
        for t in [
            "Satisfies",
            "satisfies",
            "Satisfaction",
            "Satisfied By",
            "Refines",
            "refined-by",
            "Derives",
            "Derived From",
            "Implements",
            "Implemented By",
            "Decomposes",
            "Parent",
            "has parent",
            "Child Of",
            "In-links",
            "Out-links",
            "Inlinks",
            "Links",
            "relation",
        ] {
            assert_eq!(default_direction(t), Some(TargetToSource), "{t}");
        }
        for t in [
            "Parent Of",
            "Child",
            "Children",
            "Has Child",
            "Decomposed Into",
            "Parent-Child",
        ] {
            assert_eq!(default_direction(t), Some(SourceToTarget), "{t}");
        }
        for t in [
            "Artifact Term Reference",
            "Glossary",
            "Glossary Term",
            "Uses Term",
            "Reference",
            "Refers To",
            "Related",
            "Relates To",
            "Related Requirement",
            "See Also",
            "see-also",
            "Derived Term",
            "Embeds",
            "Mitigates",
            "Validated By",
            "Link",
            "Link To",
            "Link From",
            "_f3a9-relation-type",
            "",
        ] {
            assert_eq!(default_direction(t), None, "{t}");
        }
    }

    fn follow(t: &str, d: FollowDirection) -> Follow {
        Follow {
            link_type: t.into(),
            direction: d,
        }
    }

    #[test]
    fn configured_types_match_ignoring_case_and_punctuation_and_must_exist() {
        let kinds = [
            "Satisfies",
            "satisfies",
            "Embeds",
            "Artifact Term Reference",
        ];
        let config = ImpactConfig {
            follow: Some(vec![
                follow("SATISFIES", TargetToSource),
                follow("artifact-term reference", SourceToTarget),
                follow("Satisfies", SourceToTarget),
            ]),
            written: None,
        };
        assert_eq!(
            directions(&config, &kinds).unwrap(),
            [Some(Both), Some(Both), None, Some(SourceToTarget)]
        );
        // Not configured: the defaults.
        assert_eq!(
            directions(&ImpactConfig::default(), &kinds).unwrap(),
            [Some(TargetToSource), Some(TargetToSource), None, None]
        );
        // Configured empty: nothing.
        let none = ImpactConfig {
            follow: Some(Vec::new()),
            written: None,
        };
        assert_eq!(directions(&none, &kinds).unwrap(), [None; 4]);
        // A type no link has.
        let typo = ImpactConfig {
            follow: Some(vec![
                follow("Satisfies", TargetToSource),
                follow("Satisfy", TargetToSource),
            ]),
            written: None,
        };
        assert_eq!(
            directions(&typo, &kinds),
            Err(UnknownLinkType {
                entry: 1,
                link_type: "Satisfy".into(),
                known: vec![
                    "Artifact Term Reference".into(),
                    "Embeds".into(),
                    "Satisfies".into(),
                    "satisfies".into()
                ],
            })
        );
    }

    #[test]
    fn directions_carry_their_ways() {
        assert!(TargetToSource.carries(Way::TargetToSource));
        assert!(!TargetToSource.carries(Way::SourceToTarget));
        assert!(SourceToTarget.carries(Way::SourceToTarget));
        assert!(Both.carries(Way::TargetToSource) && Both.carries(Way::SourceToTarget));
    }
}
