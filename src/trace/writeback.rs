//! What is written back into DOORS (`requirements: writeback:`, docs/tracing.md,
//! "Writing back to DOORS"): the names of the two write-back attributes, the value a
//! requirement's status gives the coverage attribute, the "covered by" text, and the key
//! DOORS matches each object by. Pure: the spreadsheet writers (`output::writeback`) and
//! the ReqIF writer call it.

use super::{LinkStatus, ReqEntry, ReqStatus, Trace};
use crate::reqs::{attribute_key, Export, ReqObject, EXPORT_ID};
use crate::source::Span;

/// `requirements: writeback:` in `opsplan.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WritebackConfig {
    /// Which pair of attribute names is the default.
    #[serde(default)]
    pub profile: Profile,
    /// The coverage attribute's name, in place of the profile's.
    #[serde(default)]
    pub coverage: Option<String>,
    /// The "covered by" attribute's name, in place of the profile's.
    #[serde(default, rename = "covered-by")]
    pub covered_by: Option<String>,
    /// The verification attribute's name (`OPS Verification`): written only when set
    /// and `evidence:` is configured.
    #[serde(default)]
    pub verification: Option<String>,
}

/// The attribute names written back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// `OPS Coverage` and `OPS Covered By`, attributes the team creates.
    #[default]
    Ops,
    /// `ReqIF-WF.SupplierStatus` and `ReqIF-WF.SupplierComment`, the ReqIF
    /// Implementation Guide's exchange process.
    ReqifWf,
}

impl Profile {
    /// The coverage attribute's and the "covered by" attribute's names.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Profile::Ops => ("OPS Coverage", "OPS Covered By"),
            Profile::ReqifWf => ("ReqIF-WF.SupplierStatus", "ReqIF-WF.SupplierComment"),
        }
    }
}

impl WritebackConfig {
    /// The coverage attribute's name.
    pub fn coverage_name(&self) -> &str {
        self.coverage
            .as_deref()
            .unwrap_or_else(|| self.profile.names().0)
    }

    /// The "covered by" attribute's name.
    pub fn covered_by_name(&self) -> &str {
        self.covered_by
            .as_deref()
            .unwrap_or_else(|| self.profile.names().1)
    }
}

/// The values the coverage attribute takes (an enumeration in DOORS).
pub const COVERAGE_VALUES: [&str; 6] = [
    "covered",
    "justified",
    "suspect",
    "uncovered",
    "not-required",
    "withdrawn",
];

/// The coverage value of a status. A duplicate id is `suspect` (its coverage cannot be
/// told apart from the other object's), and its "covered by" text says why.
pub fn coverage_value(status: ReqStatus) -> &'static str {
    match status {
        ReqStatus::Covered => "covered",
        ReqStatus::Justified => "justified",
        ReqStatus::Suspect | ReqStatus::Duplicate => "suspect",
        ReqStatus::Uncovered => "uncovered",
        ReqStatus::NotRequired => "not-required",
        ReqStatus::Withdrawn => "withdrawn",
    }
}

/// The "covered by" text of a requirement: each artifact linked to it (covers or
/// suspect), `activity A09 (plans/week40.plan:12)`, in link order, joined by `; `; a
/// suspect link says so; a justification is quoted; a duplicate id says so. `locate`
/// gives a span's `file:line`.
pub fn covered_by(trace: &Trace, r: &ReqEntry, locate: &dyn Fn(Span) -> String) -> String {
    let mut parts = Vec::new();
    if r.status == ReqStatus::Duplicate {
        parts.push(format!("duplicate id {}", r.id));
    }
    for &li in &r.links {
        let link = &trace.links[li];
        if !matches!(link.status, LinkStatus::Covers | LinkStatus::Suspect) {
            continue;
        }
        let a = &trace.artifacts[link.artifact];
        let suspect = if link.status == LinkStatus::Suspect {
            ", suspect"
        } else {
            ""
        };
        parts.push(format!(
            "{} {} ({}{suspect})",
            a.kind.as_str(),
            a.name,
            locate(a.span)
        ));
    }
    if let Some(j) = &r.justification {
        parts.push(format!("justified: {j}"));
    }
    parts.join("; ")
}

/// The column DOORS matches an object by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyColumn {
    /// DOORS Classic's `Absolute Number` (the export's `Absolute Number` column, a
    /// ReqIF's `ReqIF.ForeignID`).
    AbsoluteNumber,
    /// The export's own id (`Object Identifier`, DOORS Next's `ID`): the id before the
    /// `id:` attribute renamed it.
    Id,
}

impl KeyColumn {
    /// The header of the key column.
    pub fn header(self) -> &'static str {
        match self {
            KeyColumn::AbsoluteNumber => "Absolute Number",
            KeyColumn::Id => "ID",
        }
    }

    /// The column of a set of exports: `Absolute Number` when any object has one (then
    /// every object must), else the export id.
    pub fn of(exports: &[Export]) -> KeyColumn {
        let any = exports
            .iter()
            .any(|e| e.objects.iter().any(|o| absolute_number(e, o).is_some()));
        if any {
            KeyColumn::AbsoluteNumber
        } else {
            KeyColumn::Id
        }
    }

    /// The key of an object of `export`, `None` when it has none.
    pub fn key(self, export: &Export, o: &ReqObject) -> Option<String> {
        let v = match self {
            KeyColumn::AbsoluteNumber => absolute_number(export, o)?,
            KeyColumn::Id => o
                .attributes
                .get(EXPORT_ID)
                .map(|v| v.display())
                .unwrap_or_else(|| o.id.clone()),
        };
        let v = v.trim().to_string();
        (!v.is_empty()).then_some(v)
    }
}

/// True for a ReqIF written by DOORS Classic (`SOURCE-TOOL-ID` `IBM Rational DOORS`),
/// whose `ReqIF.ForeignID` is the absolute number; DOORS Next (`IBM Engineering
/// Requirements …`) and other tools put their own ids there.
fn from_doors_classic(export: &Export) -> bool {
    export
        .info
        .header
        .as_ref()
        .and_then(|h| h.source_tool.as_deref())
        .is_some_and(|t| t.to_ascii_lowercase().contains("doors"))
}

/// The absolute number of an object: an `Absolute Number` attribute (a DOORS Classic
/// spreadsheet's column), or the `ReqIF.ForeignID` of a DOORS Classic ReqIF.
fn absolute_number(export: &Export, o: &ReqObject) -> Option<String> {
    let classic = from_doors_classic(export);
    o.attributes
        .iter()
        .find(|(k, _)| {
            let k = attribute_key(k);
            k == attribute_key("Absolute Number")
                || (classic && k == attribute_key("ReqIF.ForeignID"))
        })
        .map(|(_, v)| v.display())
        .filter(|v| !v.trim().is_empty())
}

/// The values the verification attribute takes (an enumeration in DOORS).
pub const VERIFICATION_VALUES: [&str; 5] = [
    "verified",
    "partially-verified",
    "not-run",
    "failed",
    "no-evidence",
];

/// One row of a write-back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub key: String,
    pub coverage: &'static str,
    pub covered_by: String,
    /// The verification value, when the header has a fourth column.
    pub verification: Option<&'static str>,
}

impl Row {
    /// The row's cells, header order: key, coverage, covered by, and verification when
    /// written.
    pub fn cells(&self) -> Vec<&str> {
        let mut out = vec![self.key.as_str(), self.coverage, self.covered_by.as_str()];
        out.extend(self.verification);
        out
    }
}

/// The write-back of a trace: the header (key, coverage, covered by, and verification
/// when `writeback: verification:` names it and the trace has evidence: 3 or 4 names,
/// as many as each row's [`Row::cells`]) and one row per requirement (headings are not
/// traced), in the exports' order; or the first requirement without a key (nothing is
/// to be written).
pub fn rows<'a>(
    trace: &'a Trace,
    exports: &[Export],
    config: &WritebackConfig,
    locate: &dyn Fn(Span) -> String,
) -> Result<(Vec<String>, Vec<Row>), &'a ReqEntry> {
    let verification = config.verification.as_deref().and(trace.evidence.as_ref());
    let column = KeyColumn::of(exports);
    let mut order: Vec<usize> = (0..trace.requirements.len()).collect();
    order.sort_by_key(|&i| (trace.requirements[i].export, trace.requirements[i].object));
    let mut out = Vec::with_capacity(order.len());
    for i in order {
        let r = &trace.requirements[i];
        let o = trace.object(exports, r);
        let Some(key) = column.key(&exports[r.export], o) else {
            return Err(r);
        };
        out.push(Row {
            key,
            coverage: coverage_value(r.status),
            covered_by: covered_by(trace, r, locate),
            verification: verification.map(|e| e.requirements[i].status.as_str()),
        });
    }
    let mut header = vec![
        column.header().to_string(),
        config.coverage_name().to_string(),
        config.covered_by_name().to_string(),
    ];
    if let (Some(name), Some(_)) = (&config.verification, verification) {
        header.push(name.clone());
    }
    Ok((header, out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reqs::AttrValue;

    #[test]
    fn every_status_has_a_coverage_value_of_the_enumeration() {
        for s in ReqStatus::ALL {
            assert!(COVERAGE_VALUES.contains(&coverage_value(s)), "{s:?}");
        }
        assert_eq!(coverage_value(ReqStatus::NotRequired), "not-required");
        assert_eq!(coverage_value(ReqStatus::Duplicate), "suspect");
    }

    #[test]
    fn names_by_profile_and_by_key() {
        let c = WritebackConfig::default();
        assert_eq!(
            (c.coverage_name(), c.covered_by_name()),
            ("OPS Coverage", "OPS Covered By")
        );
        let c: WritebackConfig = serde_yaml::from_str("profile: reqif-wf").unwrap();
        assert_eq!(
            (c.coverage_name(), c.covered_by_name()),
            ("ReqIF-WF.SupplierStatus", "ReqIF-WF.SupplierComment")
        );
        let c: WritebackConfig =
            serde_yaml::from_str("coverage: Coverage\ncovered-by: Evidence").unwrap();
        assert_eq!(
            (c.coverage_name(), c.covered_by_name()),
            ("Coverage", "Evidence")
        );
        assert!(serde_yaml::from_str::<WritebackConfig>("colour: red").is_err());
    }

    #[test]
    fn the_key_is_the_absolute_number_else_the_export_id() {
        let mut o = crate::trace::tests::req("ATV-OPS-REQ-001", "x", "Test");
        let mut export = crate::trace::tests::export(Vec::new());
        assert_eq!(
            KeyColumn::Id.key(&export, &o).as_deref(),
            Some("ATV-OPS-REQ-001")
        );
        o.attributes
            .insert(EXPORT_ID.into(), AttrValue::Text("ATV-OPS-REQ-2".into()));
        assert_eq!(
            KeyColumn::Id.key(&export, &o).as_deref(),
            Some("ATV-OPS-REQ-2")
        );
        assert_eq!(KeyColumn::AbsoluteNumber.key(&export, &o), None);
        // A ReqIF.ForeignID is an absolute number only in a DOORS Classic export.
        o.attributes
            .insert("ReqIF.ForeignID".into(), AttrValue::Integer(2));
        assert_eq!(KeyColumn::AbsoluteNumber.key(&export, &o), None);
        export.info.header = Some(crate::reqs::info::ReqIfHeader {
            source_tool: Some("IBM Rational DOORS".into()),
            ..Default::default()
        });
        assert_eq!(
            KeyColumn::AbsoluteNumber.key(&export, &o).as_deref(),
            Some("2")
        );
        o.attributes
            .insert("Absolute Number".into(), AttrValue::Integer(7));
        assert_eq!(
            KeyColumn::AbsoluteNumber.key(&export, &o).as_deref(),
            Some("7")
        );
    }
}
