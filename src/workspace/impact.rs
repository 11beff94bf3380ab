//! What the requirements changed since the baseline affect: the changes from a diff of
//! the baseline and current exports, then [`crate::trace::impact`] over them, following the
//! requirement links `requirements: impact: follow:` names (located in the project file
//! for the error naming a link type no link has).

use super::{LoadError, Traced};
use crate::model::Model;

/// What the requirements changed since the baseline affect (see [`crate::trace::impact`]).
/// A requirement counts as changed when its fingerprint changed (heading, text, or an
/// attribute listed under `requirements: fingerprint:`) or it was deleted. A link type
/// named under `requirements: impact: follow:` that no link of the exports has is an
/// error at its place in the project file, naming the types there are.
pub fn impact(model: &Model, traced: &Traced) -> Result<crate::trace::impact::Impact, LoadError> {
    use crate::trace::impact::Change;
    let old: Vec<&crate::reqs::ReqObject> =
        traced.baseline.iter().flat_map(|e| &e.objects).collect();
    let new: Vec<&crate::reqs::ReqObject> =
        traced.exports.iter().flat_map(|e| &e.objects).collect();
    let diff = crate::reqs::diff::diff(&old, &new);
    let watched = &traced.policy.fingerprint;
    let mut changes: Vec<Change> = diff
        .changed
        .iter()
        .filter(|c| !c.is_heading)
        .filter_map(|c| {
            let what: Vec<String> = c
                .fields
                .iter()
                .filter(|f| {
                    if f.attribute {
                        watched.contains(&f.field)
                    } else {
                        c.content_changed && (f.field == "text" || f.field == "heading")
                    }
                })
                .map(|f| format!("{} changed", f.field))
                .collect();
            let what = if what.is_empty() && c.content_changed {
                vec!["content changed".to_string()]
            } else {
                what
            };
            (!what.is_empty()).then(|| Change {
                id: c.id.clone(),
                what: what.join(", "),
            })
        })
        .collect();
    changes.extend(
        diff.removed
            .iter()
            .filter(|e| !e.is_heading)
            .map(|e| Change {
                id: e.id.clone(),
                what: "deleted".to_string(),
            }),
    );
    let config = &traced.policy.impact;
    crate::trace::impact::impact(model, &traced.trace, &traced.exports, &changes, config).map_err(
        |e| {
            let mut known: Vec<String> = e.known.iter().map(|k| format!("`{k}`")).collect();
            let more = known.len().saturating_sub(20);
            known.truncate(20);
            let mut known = if known.is_empty() {
                "none (the exports hold no requirement links)".to_string()
            } else {
                known.join(", ")
            };
            if more > 0 {
                known.push_str(&format!(" and {more} more"));
            }
            let link_type = e.link_type;
            match &config.written {
                Some((path, places)) => {
                    let (line, column) = places.get(e.entry).copied().unwrap_or((1, 1));
                    LoadError::Config {
                        path: path.clone(),
                        line,
                        column,
                        message: format!(
                            "requirements: impact: follow: no link of the exports has the type `{link_type}`; their link types: {known}"
                        ),
                    }
                }
                None => LoadError::UnknownLinkType { link_type, known },
            }
        },
    )
}

/// Where the `type:` of each `follow:` entry under `impact:` is written in a project file's
/// text (line, column; 1, 1 when not found): each found after the one before.
pub(super) fn locate_follow_types(
    text: &str,
    follow: &[crate::trace::follow::Follow],
) -> Vec<(usize, usize)> {
    let index = crate::source::LineIndex::new(text);
    let mut at = text
        .find("impact:")
        .and_then(|i| text[i..].find("follow:").map(|j| i + j))
        .unwrap_or(text.len());
    follow
        .iter()
        .map(|f| {
            let found = text[at..].find("type:").and_then(|t| {
                let from = at + t;
                text[from..].find(f.link_type.as_str()).map(|v| from + v)
            });
            match found {
                Some(offset) => {
                    at = offset + f.link_type.len();
                    let lc = index.line_col(text, offset);
                    (lc.line as usize, lc.column as usize)
                }
                None => (1, 1),
            }
        })
        .collect()
}
