//! The inputs of a run, as a value: every file the run read and as what. The command line
//! compares each output path with them before writing (`cli::write`), so an output never
//! replaces an input.
//!
//! The list is built from what the run returns, not collected behind its back: every text
//! input is in the run's `SourceDb` (plans, procedures, scenarios, rosters, flight-rule files, window
//! files, requirement exports and baselines, the project file when it locates a
//! justification), and the project file is named by `Run::project`. Readers outside a check
//! run (the monthly report's tables and CDMs, report templates) add theirs with
//! [`Inputs::add`]. No process-wide state: two runs in one process (a language server)
//! have two lists.

use super::Run;
use crate::syntax::ast::UseKind;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What an input was read as (shown in the refusal: "read as a plan").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Plan,
    Procedures,
    Scenario,
    Roster,
    /// A plan, procedure or scenario file that did not parse (its kind is unknown).
    Source,
    ProjectFile,
    FlightRules,
    WindowFile,
    RequirementExport,
    RequirementBaseline,
    MonthlyManifest,
    AsFlownLog,
    AnomalyRegister,
    ChangeRegister,
    KpiHistory,
    OutageLog,
    DeliveryLog,
    OnCallLog,
    Cdm,
    Template,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Plan => "a plan",
            Role::Procedures => "a procedure file",
            Role::Scenario => "a scenario file",
            Role::Roster => "a roster",
            Role::Source => "a plan or procedure file",
            Role::ProjectFile => "the project file",
            Role::FlightRules => "a flight-rule file",
            Role::WindowFile => "a window file",
            Role::RequirementExport => "a requirement export",
            Role::RequirementBaseline => "a requirement baseline",
            Role::MonthlyManifest => "the monthly manifest",
            Role::AsFlownLog => "the as-flown log",
            Role::AnomalyRegister => "the anomaly register",
            Role::ChangeRegister => "the change-request register",
            Role::KpiHistory => "the KPI history",
            Role::OutageLog => "the outage log",
            Role::DeliveryLog => "the software-delivery log",
            Role::OnCallLog => "the on-call log",
            Role::Cdm => "a CDM",
            Role::Template => "a report template",
        }
    }
}

/// One file a run read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The path as it was read (as the user gave it, or joined to a `use` or project path).
    pub path: PathBuf,
    pub role: Role,
}

/// Every file a run read, in the order read (a path may appear twice).
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    list: Vec<Input>,
}

impl Inputs {
    pub fn new() -> Inputs {
        Inputs::default()
    }

    pub fn add(&mut self, path: impl Into<PathBuf>, role: Role) {
        self.list.push(Input {
            path: path.into(),
            role,
        });
    }

    pub fn extend(&mut self, other: Inputs) {
        self.list.extend(other.list);
    }

    pub fn iter(&self) -> impl Iterator<Item = &Input> {
        self.list.iter()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Every file of a check run: its sources, each with what it was read as, and its
    /// project file.
    pub fn of_run(run: &Run) -> Inputs {
        let sources = &run.sources;
        let mut roles: Vec<Option<Role>> = vec![None; sources.len()];
        let mut set = |file: crate::source::FileId, role: Role| {
            if let Some(r) = roles.get_mut(file.0 as usize) {
                r.get_or_insert(role);
            }
        };
        for set_ in &run.rule_sets {
            if let Some(f) = set_.file {
                set(f, Role::FlightRules);
            }
        }
        for p in &run.model.plans {
            set(p.id.span.file, Role::Plan);
        }
        for p in &run.model.procedures {
            set(p.file, Role::Procedures);
        }
        for s in &run.model.scenarios {
            set(s.file, Role::Scenario);
        }
        for s in &run.model.staffing {
            set(s.file, Role::Roster);
        }
        // Paths read under a role the model does not keep by file id (the first role
        // given to a path wins).
        let mut by_path: HashMap<PathBuf, Role> = HashMap::new();
        let mut named = |path: PathBuf, role: Role| {
            by_path.entry(path).or_insert(role);
        };
        if let Some(t) = &run.traced {
            for f in &t.files {
                named(f.clone(), Role::RequirementExport);
            }
            for f in &t.baseline_files {
                named(f.clone(), Role::RequirementBaseline);
            }
        }
        if let Some(f) = &run.project.file {
            named(f.clone(), Role::ProjectFile);
        }
        for p in &run.model.plans {
            let plan_file = sources.path(p.id.span.file);
            let base = plan_file.parent().unwrap_or(Path::new("."));
            for u in p.uses.iter().filter(|u| u.kind == UseKind::Windows) {
                named(base.join(&u.path.value), Role::WindowFile);
            }
        }
        let mut inputs = Inputs::new();
        for (id, role) in sources.ids().zip(roles) {
            let path = sources.path(id);
            let role = role
                .or_else(|| by_path.get(path).copied())
                .unwrap_or(Role::Source);
            inputs.add(path, role);
        }
        if let Some(f) = &run.project.file {
            inputs.add(f.clone(), Role::ProjectFile);
        }
        inputs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_of_a_run_is_listed_with_what_it_was_read_as() {
        let run = super::super::check_texts(&[
            (
                "w.plan",
                "plan P { horizon 2014/272 00:00 .. 2014/279 00:00 }\n",
            ),
            ("lib.proc", "procedure X { version 1.0 step 1 { end } }\n"),
            ("rules.yaml", "rules: []\n"),
        ]);
        let inputs = Inputs::of_run(&run);
        let got: Vec<(String, Role)> = inputs
            .iter()
            .map(|i| (i.path.display().to_string(), i.role))
            .collect();
        assert_eq!(
            got,
            vec![
                ("w.plan".to_string(), Role::Plan),
                ("lib.proc".to_string(), Role::Procedures),
                ("rules.yaml".to_string(), Role::FlightRules),
            ]
        );
    }
}
