//! `opsplan.yaml`: the project file. Unknown keys and wrong types are errors located at
//! their line and column.

use super::LoadError;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "opsplan.yaml";

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Files and directories to check, relative to the project file (default: its folder).
    #[serde(default)]
    pub inputs: Vec<PathBuf>,
    /// Flight-rule files (YAML), relative to the project file; they apply to every plan.
    #[serde(default)]
    pub rules: Vec<PathBuf>,
    /// See [`Policy::severity`].
    #[serde(default)]
    pub severity: std::collections::BTreeMap<String, Level>,
    /// See [`Policy::select`].
    #[serde(default)]
    pub select: Vec<String>,
    /// See [`Policy::ignore`].
    #[serde(default)]
    pub ignore: Vec<String>,
    /// How the Flight Dynamics window files (`use windows`) name their columns.
    #[serde(default)]
    pub windows: Option<super::windows_csv::WindowColumns>,
    /// The requirement exports the plans trace to, and how tracing is judged.
    #[serde(default)]
    pub requirements: Option<RequirementsConfig>,
    /// Files and folders outside the project's folder that the paths of the inputs may
    /// name (`use`, `inputs`, `rules`, `requirements`), relative to the project file
    /// (`super::contain`).
    #[serde(default, rename = "allow-paths")]
    pub allow_paths: Vec<PathBuf>,
    /// The document control of the reports (number, issue, signatures).
    #[serde(default)]
    pub document: Option<super::document::DocumentControl>,
    /// Verification evidence per requirement (docs/tracing.md, "Verification evidence").
    #[serde(default)]
    pub evidence: Option<crate::trace::evidence::EvidenceConfig>,
    /// The file's text, to locate a refused value.
    #[serde(skip)]
    pub text: String,
}

/// One path or a list of paths.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(untagged)]
pub enum Paths {
    One(PathBuf),
    Many(Vec<PathBuf>),
}

impl Default for Paths {
    fn default() -> Self {
        Paths::Many(Vec::new())
    }
}

impl Paths {
    pub fn to_vec(&self) -> Vec<PathBuf> {
        match self {
            Paths::One(p) => vec![p.clone()],
            Paths::Many(v) => v.clone(),
        }
    }
}

/// `requirements:` in `opsplan.yaml` (documented in docs/tracing.md).
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequirementsConfig {
    /// Export files or folders (ReqIF, ReqIFz, CSV, TSV, XLSX, XLS, ODS).
    #[serde(default)]
    pub sources: Paths,
    /// An older baseline of the same exports: changed requirements make traces suspect.
    #[serde(default)]
    pub baseline: Paths,
    /// The attribute or column holding the id users cite (`Req ID`).
    #[serde(default)]
    pub id: Option<String>,
    /// The sheet of a workbook to read.
    #[serde(default)]
    pub sheet: Option<String>,
    /// Spreadsheet columns, when the DOORS names are not used.
    #[serde(default)]
    pub columns: Option<crate::reqs::tabular::ColumnMap>,
    /// Which requirements need coverage.
    #[serde(default)]
    pub need: crate::trace::Need,
    /// Which requirements are deleted or rejected.
    #[serde(default)]
    pub withdrawn: Option<crate::trace::Withdrawn>,
    /// Attributes whose change makes a trace suspect (besides id, heading and text).
    #[serde(default)]
    pub fingerprint: Vec<String>,
    /// Requirement id → why its coverage gap is accepted.
    #[serde(default)]
    pub justified: std::collections::BTreeMap<String, String>,
    /// Settings of one module each, by module name (DOORS module, ReqIF specification,
    /// workbook sheet or `Module` column), in place of the common ones for that module.
    #[serde(default)]
    pub modules: std::collections::BTreeMap<String, ModuleConfig>,
    /// Which requirement links carry a change (`opsplan trace --changed-since`).
    #[serde(default)]
    pub impact: crate::trace::follow::ImpactConfig,
    /// What `opsplan trace --format doors-csv|doors-xlsx` writes back into DOORS.
    #[serde(default)]
    pub writeback: crate::trace::writeback::WritebackConfig,
}

impl RequirementsConfig {
    /// A `need` whose `values` or `except` has no `attribute` to hold them (it would be
    /// ignored, unsaid): the key, its first value and the message.
    pub fn need_without_attribute(&self) -> Option<(&'static str, String, String)> {
        let needs = std::iter::once((None, &self.need)).chain(
            self.modules
                .iter()
                .filter_map(|(m, c)| Some((Some(m.as_str()), c.need.as_ref()?))),
        );
        for (module, need) in needs {
            if need.attribute.is_some() {
                continue;
            }
            for (key, list) in [("except", &need.except), ("values", &need.values)] {
                if let Some(first) = list.first() {
                    let whose = module.map_or(String::new(), |m| format!(" of module `{m}`"));
                    return Some((
                        key,
                        first.clone(),
                        format!(
                            "the `need`{whose} lists `{key}` but no `attribute`: they are values of an attribute (`need: {{ attribute: Artifact Type, except: [Information] }}`)"
                        ),
                    ));
                }
            }
        }
        None
    }
}

/// One entry of `requirements: modules:`.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleConfig {
    /// Put before the module's ids that are bare numbers (`AMR-` + `4594`).
    #[serde(default)]
    pub prefix: Option<String>,
    /// The attribute holding the id people cite, for this module.
    #[serde(default)]
    pub id: Option<String>,
    /// Which of the module's requirements need coverage, in place of `need:`.
    #[serde(default)]
    pub need: Option<crate::trace::Need>,
}

/// Which findings are reported, and how severe they are.
#[derive(Debug, Default, Clone)]
pub struct Policy {
    /// Severity by code (`P003`), code name (`unreachable-step`) or flight-rule id
    /// (`FR-09`): `error`, `warning`, `note` or `off`. A flight-rule id wins over a code.
    pub severity: std::collections::BTreeMap<String, Level>,
    /// Report only the codes starting with one of these prefixes (`T`, `F00`, `P003`).
    pub select: Vec<String>,
    /// Never report the codes starting with one of these prefixes.
    pub ignore: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Note,
    Off,
}

impl Policy {
    /// Applies the policy; syntax errors and invalid input files are never hidden.
    pub fn apply(&self, diags: &mut Vec<crate::diag::Diagnostic>) {
        use crate::diag::{Code, Severity};
        let keep_always = |c: Code| {
            matches!(
                c,
                Code::SyntaxError
                    | Code::UnreadableSource
                    | Code::InvalidFlightRuleFile
                    | Code::InvalidWindowFile
            )
        };
        diags.retain_mut(|d| {
            let info = d.code.info();
            if keep_always(d.code) {
                return true;
            }
            if !self.select.is_empty()
                && !self
                    .select
                    .iter()
                    .any(|p| info.code.starts_with(p.as_str()))
            {
                return false;
            }
            if self
                .ignore
                .iter()
                .any(|p| info.code.starts_with(p.as_str()))
            {
                return false;
            }
            let by_code = self
                .severity
                .get(info.code)
                .or_else(|| self.severity.get(info.name));
            // A flight-rule id wins over the code. A finding about several rules (an
            // F002) takes the most severe of their levels, a rule without one counting
            // at the code's level, or else at the finding's own severity.
            let own = match d.severity {
                Severity::Note => 1,
                Severity::Warning => 2,
                Severity::Error => 3,
            };
            let rank = |l: Option<&Level>| match l {
                Some(Level::Off) => 0,
                Some(Level::Note) => 1,
                Some(Level::Warning) => 2,
                Some(Level::Error) => 3,
                None => own,
            };
            let level = if d.flight_rule.is_some() {
                d.flight_rules()
                    .map(|id| self.severity.get(id).or(by_code))
                    .max_by_key(|l| rank(*l))
                    .flatten()
            } else {
                by_code
            };
            match level {
                Some(Level::Off) => false,
                Some(Level::Error) => {
                    d.severity = Severity::Error;
                    true
                }
                Some(Level::Warning) => {
                    d.severity = Severity::Warning;
                    true
                }
                Some(Level::Note) => {
                    d.severity = Severity::Note;
                    true
                }
                None => true,
            }
        });
    }
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, LoadError> {
        let bytes = super::read_bounded(path, super::MAX_INPUT_BYTES).map_err(|e| {
            LoadError::Unreadable {
                path: path.to_path_buf(),
                source: e,
            }
        })?;
        let text = String::from_utf8(bytes).map_err(|e| LoadError::Unreadable {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        })?;
        Config::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Config, LoadError> {
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        // Nesting is bounded before the parser sees the text (it is slow on deep nesting).
        if let Err(e) = crate::yaml::check_depth(text, crate::yaml::MAX_DEPTH) {
            let (line, column) = e.line_col(text);
            return Err(LoadError::Config {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message(),
            });
        }
        let mut config: Config = serde_yaml::from_str(text).map_err(|e| {
            let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
            LoadError::Config {
                path: path.to_path_buf(),
                line,
                column,
                message: e
                    .to_string()
                    .split(" at line ")
                    .next()
                    .unwrap_or_default()
                    .to_string(),
            }
        })?;
        if let Some((key, value)) = config.document.as_ref().and_then(|d| d.bad_date()) {
            let (line, column) = super::contain::locate_value(text, key, value);
            return Err(LoadError::Config {
                path: path.to_path_buf(),
                line,
                column,
                message: format!(
                    "document: {key}: `{value}` is not a date: write it as YYYY-MM-DD (2014-10-03)"
                ),
            });
        }
        // A justification says why the gap is accepted: an empty one would turn an
        // uncovered requirement into a pass that nobody explained.
        let blank = config.requirements.as_ref().and_then(|r| {
            r.justified
                .iter()
                .find(|(_, why)| why.trim().is_empty())
                .map(|(id, _)| id.clone())
        });
        if let Some(id) = blank {
            let at = super::locate_justification(text, &id).map_or(0, |r| r.start);
            let l = crate::source::LineIndex::new(text).line_col(text, at);
            return Err(LoadError::Config {
                path: path.to_path_buf(),
                line: l.line as usize,
                column: l.column as usize,
                message: format!(
                    "requirements: justified: `{id}` gives no reason: write why its coverage \
                     gap is accepted and by which review (\"Verified by test campaign TC-12, \
                     review QR-014\"), or remove the entry"
                ),
            });
        }
        config.text = text.to_string();
        Ok(config)
    }

    /// A [`LoadError::Config`] at the value `value` of key `key` (a path refused).
    pub fn error_at(&self, path: &Path, key: &str, value: &Path, message: String) -> LoadError {
        let (line, column) =
            super::contain::locate_value(&self.text, key, &value.to_string_lossy());
        LoadError::Config {
            path: path.to_path_buf(),
            line,
            column,
            message,
        }
    }

    pub fn policy(&self) -> Policy {
        Policy {
            severity: self.severity.clone(),
            select: self.select.clone(),
            ignore: self.ignore.clone(),
        }
    }

    pub fn inputs_or_default(&self) -> Vec<PathBuf> {
        if self.inputs.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            self.inputs.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Code, Diagnostic, Label, Severity};
    use crate::source::{FileId, Span};

    fn f002(rules: &[&str]) -> Diagnostic {
        let ids: Vec<String> = rules.iter().map(|r| r.to_string()).collect();
        let at = Label::new(Span::new(FileId(0), 0..1), "time unknown");
        Diagnostic::new(Code::FlightRuleUnknown, "m", at).with_flight_rules(&ids, &[])
    }

    fn apply(levels: &[(&str, Level)], d: Diagnostic) -> Option<Severity> {
        let policy = Policy {
            severity: levels.iter().map(|(k, l)| (k.to_string(), *l)).collect(),
            ..Default::default()
        };
        let mut found = vec![d];
        policy.apply(&mut found);
        found.first().map(|d| d.severity)
    }

    #[test]
    fn a_finding_about_several_flight_rules_takes_the_most_severe_of_their_levels() {
        use Level::*;
        let both = || f002(&["FR-01", "FR-02"]);
        assert_eq!(
            apply(&[("FR-01", Warning)], f002(&["FR-01"])),
            Some(Severity::Warning)
        );
        // FR-02 has no level of its own: the finding keeps its severity.
        assert_eq!(apply(&[("FR-01", Off)], both()), Some(Severity::Error));
        assert_eq!(
            apply(&[("FR-01", Off), ("FR-02", Note)], both()),
            Some(Severity::Note)
        );
        assert_eq!(apply(&[("FR-01", Off), ("FR-02", Off)], both()), None);
        // The code's level stands for the rules without one.
        assert_eq!(
            apply(&[("F002", Warning), ("FR-01", Off)], both()),
            Some(Severity::Warning)
        );
        assert_eq!(
            apply(&[("flight-rule-unknown", Off)], both()),
            None,
            "the code turned off turns every rule off"
        );
    }

    #[test]
    fn a_project_file_nested_too_deep_is_refused_where_it_gets_too_deep() {
        let deep = format!(
            "select: [T]\ninputs: {}{}\n",
            "{a: ".repeat(100_000),
            "}".repeat(100_000)
        );
        match Config::parse(Path::new("opsplan.yaml"), &deep) {
            Err(LoadError::Config {
                line,
                column,
                message,
                ..
            }) => {
                // `inputs` is the first level, its 64th `{` the 65th.
                assert_eq!((line, column), (2, "inputs: ".len() + 4 * 63 + 1));
                assert!(
                    message.contains("nested more than 64 levels deep"),
                    "{message}"
                );
            }
            other => panic!("{other:?}"),
        }
    }
}
