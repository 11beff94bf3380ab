//! Why a cited id is in no export, when it can be told (`Q002`): the id is an object's
//! export id, and the requirement is cited by another (`--id "Req ID"`, a module
//! prefix); or the baseline holds it and the current exports do not (it was deleted).
//! A "did you mean" to a near id is only for the ids that are neither: `SRS-3` cited
//! for the requirement whose `Req ID` is `OPS-REQ-006` must not suggest `SRS-4`.

use super::{ArtifactKind, ReqEntry, TraceLink};
use crate::reqs::ids::{is_bare_number, with_prefix, CitedIds};
use crate::reqs::{AttrValue, Export, ReqObject, EXPORT_ID};
use rustc_hash::FxHashMap as HashMap;

/// Why an id no requirement has is cited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DanglingWhy {
    /// It is the export's own id of a requirement cited by another id.
    ExportId {
        /// The id the requirement is cited by.
        cite: String,
        /// How that id is made (`` `id: Req ID` ``, `` `prefix: AMR-` ``), empty when unknown.
        how: String,
    },
    /// The baseline holds it, the current exports do not.
    Deleted {
        /// The baseline export that holds it, as shown.
        baseline: String,
        /// Its text there.
        text: String,
    },
}

/// The requirements by export id, and the baseline's requirements by id: what a
/// dangling id is looked up in, built once (linear in the requirements).
pub(super) struct Lookup<'a> {
    export_ids: HashMap<&'a str, usize>,
    /// Baseline id → (the file shown, its text).
    baseline: HashMap<&'a str, (String, &'a str)>,
}

impl<'a> Lookup<'a> {
    pub(super) fn new(
        requirements: &[ReqEntry],
        exports: &'a [Export],
        baseline: Option<&'a [Export]>,
        sources: &crate::source::SourceDb,
    ) -> Self {
        let mut export_ids = HashMap::default();
        for (ri, r) in requirements.iter().enumerate() {
            let o = &exports[r.export].objects[r.object];
            if let Some(AttrValue::Text(old)) = o.attributes.get(EXPORT_ID) {
                export_ids.entry(old.as_str()).or_insert(ri);
            }
        }
        let mut by_id = HashMap::default();
        for e in baseline.unwrap_or(&[]) {
            let shown = e
                .file
                .filter(|f| (f.0 as usize) < sources.len())
                .map(|f| {
                    let p = sources.path(f).to_string_lossy().replace('\\', "/");
                    p.strip_prefix("./").map(str::to_string).unwrap_or(p)
                })
                .unwrap_or_else(|| "the baseline".to_string());
            for o in e.objects.iter().filter(|o| !o.is_heading) {
                by_id
                    .entry(o.id.as_str())
                    .or_insert_with(|| (shown.clone(), o.text.as_str()));
            }
        }
        Lookup {
            export_ids,
            baseline: by_id,
        }
    }

    /// Why `cited`, which no requirement has, is cited; `None` when it cannot be told.
    pub(super) fn why(
        &self,
        cited: &str,
        index: &HashMap<&str, Vec<usize>>,
        requirements: &[ReqEntry],
        exports: &[Export],
        ids: &CitedIds,
    ) -> Option<DanglingWhy> {
        let object = |ri: usize| -> &ReqObject {
            let r = &requirements[ri];
            &exports[r.export].objects[r.object]
        };
        if let Some(&ri) = self.export_ids.get(cited) {
            let o = object(ri);
            let rule = ids.rule_for(o.module.as_deref());
            let mut how = Vec::new();
            if let Some(a) = &rule.attribute {
                how.push(format!("`id: {a}`"));
            }
            if let Some(p) = rule
                .prefix
                .as_deref()
                .filter(|p| o.id.starts_with(p.trim()))
            {
                how.push(format!("`prefix: {p}`"));
            }
            return Some(DanglingWhy::ExportId {
                cite: o.id.clone(),
                how: how.join(" and "),
            });
        }
        if is_bare_number(cited) {
            for p in ids.prefixes() {
                let Some(&ri) = index
                    .get(with_prefix(cited, Some(p)).as_str())
                    .and_then(|v| v.first())
                else {
                    continue;
                };
                let o = object(ri);
                if ids
                    .rule_for(o.module.as_deref())
                    .prefix
                    .as_deref()
                    .map(str::trim)
                    == Some(p)
                {
                    return Some(DanglingWhy::ExportId {
                        cite: o.id.clone(),
                        how: format!("`prefix: {p}`"),
                    });
                }
            }
        }
        self.baseline
            .get(cited)
            .map(|(baseline, text)| DanglingWhy::Deleted {
                baseline: baseline.clone(),
                text: text.to_string(),
            })
    }
}

/// The id as the artifact writes it: in a `covers`, quoted when it must be; in a flight
/// rule's `traces`, as it is.
pub(super) fn as_cited(kind: ArtifactKind, id: &str) -> String {
    if kind.writes_ids_verbatim() {
        id.to_string()
    } else {
        crate::syntax::cited_form(id).unwrap_or_else(|| id.to_string())
    }
}

/// The finding of a dangling link whose cause is known.
pub(super) fn finding(
    l: &TraceLink,
    why: &DanglingWhy,
    by: String,
    kind: ArtifactKind,
) -> crate::diag::Diagnostic {
    use crate::diag::{Code, Diagnostic, Label};
    match why {
        DanglingWhy::ExportId { cite, how } => {
            let instead = as_cited(kind, cite);
            Diagnostic::new(
                Code::UnknownRequirement,
                format!(
                    "{by} cites `{}`, which is not the id its requirement is cited by",
                    l.cited
                ),
                Label::new(l.span, "an export identifier"),
            )
            .with_note(format!(
                "`{}` is the export identifier of `{cite}`",
                l.cited
            ))
            .with_help(if how.is_empty() {
                format!("cite `{instead}`")
            } else {
                format!("with {how}, cite `{instead}`")
            })
        }
        DanglingWhy::Deleted { baseline, text } => Diagnostic::new(
            Code::UnknownRequirement,
            format!(
                "{by} cites `{}`, which was deleted since the baseline {baseline}",
                l.cited
            ),
            Label::new(l.span, "deleted since the baseline"),
        )
        .with_note(format!("the baseline's text: {}", super::short(text)))
        .with_help("remove the trace, or cite the requirement that replaced it"),
    }
}
