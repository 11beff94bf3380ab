//! Reading the monthly report's inputs: the manifest (`monthly.yaml`), the plans (through
//! [`super::check_with`], with their requirements trace), the as-flown log, the anomaly
//! and change-request registers (CSV or workbook), the CDMs (KVN) and the KPI history;
//! then the metrics of [`crate::monthly::metrics`]. Every problem of every input is
//! collected and rendered located (`path:line:column: error: …`); any error stops the
//! report.

use super::inputs::Role;
use super::{check_with, contain, tidy, CheckOptions, ProjectChoice, TraceOverrides};
use crate::monthly::anomalies::Anomaly;
use crate::monthly::asflown::Flown;
use crate::monthly::cdm::{Cdm, Screening};
use crate::monthly::changes::ChangeRequest;
use crate::monthly::kpi::History;
use crate::monthly::manifest::{self, Manifest, MANIFEST_FILE};
use crate::monthly::metrics::{
    self, CoverageCounts, FlightRuleFindings, Metrics, PlanInfo, Planned,
};
use crate::monthly::outages::Outage;
use crate::monthly::table::{self, Table};
use crate::monthly::{Loc, Month, Problem};
use crate::time::Dur;
use std::path::{Path, PathBuf};

/// What the command line asks for; flags win over the manifest.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub month: String,
    /// Folders holding `monthly.yaml`, the manifest itself, or plan inputs.
    pub paths: Vec<PathBuf>,
    pub plans: Vec<PathBuf>,
    pub as_flown: Option<PathBuf>,
    pub anomalies: Option<PathBuf>,
    pub changes: Option<PathBuf>,
    pub cdm: Vec<PathBuf>,
    pub kpi_history: Option<PathBuf>,
    pub outages: Option<PathBuf>,
    pub previous_requirements: Vec<PathBuf>,
    pub tolerance: Option<String>,
}

/// The file an input came from, as shown to people.
#[derive(Debug, Clone, PartialEq)]
pub struct Named<T> {
    pub path: String,
    pub value: T,
}

/// Everything the report is made from.
pub struct Loaded {
    pub month: Month,
    pub manifest: Manifest,
    pub manifest_path: Option<String>,
    pub plan_inputs: Vec<String>,
    pub plans: Vec<PlanInfo>,
    pub activities: Vec<Planned>,
    /// Activities whose time could not be resolved (left out).
    pub unresolved: usize,
    pub flown: Named<Vec<Flown>>,
    pub anomalies: Option<Named<Vec<Anomaly>>>,
    pub changes: Option<Named<Vec<ChangeRequest>>>,
    /// The CDMs and, index for index, their files.
    pub cdms: Option<Vec<Cdm>>,
    pub cdm_files: Vec<String>,
    pub history: Option<Named<History>>,
    pub outages: Option<Named<Vec<Outage>>>,
    /// Waivers and flight-rule violations of the plans.
    pub flight_rules: FlightRuleFindings,
    pub coverage: Option<CoverageCounts>,
    pub previous_coverage: Option<CoverageCounts>,
    pub requirement_files: Vec<String>,
    pub previous_files: Vec<String>,
    pub tolerance: Dur,
    pub screening: Screening,
    pub metrics: Metrics,
    /// Every file read, for the provenance.
    pub files: Vec<PathBuf>,
    /// Every file read and as what: no output may replace one.
    pub inputs: super::inputs::Inputs,
    /// Rendered warnings (the report is still made).
    pub warnings: Vec<String>,
}

/// Reads everything and computes the metrics; `Err` holds every rendered error (and
/// warning) when any input is unusable.
pub fn load(req: &Request) -> Result<Loaded, Vec<String>> {
    let mut errs: Vec<String> = Vec::new();
    let mut warnings: Vec<String> = Vec::new();

    // --- the manifest
    let mut manifest_path: Option<PathBuf> = None;
    let mut plan_paths: Vec<PathBuf> = Vec::new();
    for p in &req.paths {
        let candidate = if p.is_dir() {
            let m = p.join(MANIFEST_FILE);
            m.is_file().then_some(m)
        } else {
            let yaml = p
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
            let project = p.file_name().is_some_and(|n| n == super::CONFIG_FILE);
            (yaml && !project).then(|| p.clone())
        };
        match candidate {
            Some(m) if manifest_path.is_some() => errs.push(format!(
                "{}: error: a second manifest (the first is {}); give one",
                show(&m),
                show(manifest_path.as_deref().unwrap_or(Path::new("")))
            )),
            Some(m) => manifest_path = Some(m),
            None => plan_paths.push(p.clone()),
        }
    }
    let mut manifest = Manifest::default();
    let mut base = PathBuf::new();
    let mut manifest_text = String::new();
    if let Some(m) = &manifest_path {
        base = m.parent().map(Path::to_path_buf).unwrap_or_default();
        match super::read_bounded(m, super::MAX_INPUT_BYTES) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                match manifest::parse(&text) {
                    Ok(mf) => manifest = mf,
                    Err(p) => report(&show(m), vec![p], &mut errs, &mut warnings),
                }
                manifest_text = text.into_owned();
            }
            Err(e) => errs.push(format!("{}: error: cannot be read: {e}", show(m))),
        }
    }
    let rel = |s: &str| tidy(&base.join(s));
    // The manifest's paths stay inside its folder (and its `allow-paths`); the paths
    // given on the command line are read wherever they are.
    let at_value = |key: &str, value: &str| {
        let (line, column) = contain::locate_value(&manifest_text, key, value);
        format!(
            "{}:{line}:{column}",
            manifest_path.as_deref().map_or("monthly.yaml".into(), show)
        )
    };
    let mut roots: Option<contain::Roots> = None;
    if let Some(m) = &manifest_path {
        let entries: Vec<PathBuf> = manifest.allow_paths.iter().map(PathBuf::from).collect();
        match contain::allowed(&base, &entries) {
            Ok(allowed) => {
                let mut r = contain::Roots::of_project(m, &allowed);
                for p in &req.paths {
                    r.add_given(p);
                }
                roots = Some(r);
            }
            Err((i, why)) => errs.push(format!(
                "{}: error: {}: {why}",
                at_value(contain::ALLOW_KEY, &manifest.allow_paths[i]),
                contain::ALLOW_KEY
            )),
        }
    }
    let refused: std::cell::RefCell<Vec<String>> = Default::default();
    // A path of the manifest, or `None` (and the error recorded) when it leads outside.
    let keep = |key: &str, value: &str, path: PathBuf| -> Option<PathBuf> {
        match roots.as_ref().map(|r| r.check(&path)) {
            Some(Err(outside)) => {
                refused.borrow_mut().push(format!(
                    "{}: error: {key}: `{value}`: {outside}",
                    at_value(key, value)
                ));
                None
            }
            _ => Some(path),
        }
    };
    let month = match Month::parse(&req.month) {
        Ok(m) => Some(m),
        Err(e) => {
            errs.push(format!("--month: error: {e}"));
            None
        }
    };
    if let (Some(m), Some(mm), Some(mp)) = (month, &manifest.month, &manifest_path) {
        if Month::parse(mm).ok() != Some(m) {
            errs.push(format!(
                "{}: error: the manifest is for month `{mm}`, and --month asks for {m}",
                show(mp)
            ));
        }
    }
    let tolerance = match req
        .tolerance
        .clone()
        .or_else(|| manifest.on_time_tolerance.clone())
    {
        Some(t) => match Dur::parse(&t) {
            Ok(d) if d.0 >= 0 => d,
            _ => {
                errs.push(format!(
                    "on-time tolerance: error: `{t}` is not a duration (write 5m, 10m, PT5M)"
                ));
                Dur::minutes(5)
            }
        },
        None => Dur::minutes(5),
    };
    let c = &manifest.collision;
    let event_gap = match Dur::parse(&c.event_gap) {
        Ok(d) if d.0 > 0 => d.0,
        _ => {
            errs.push(format!(
                "collision: event_gap: error: `{}` is not a positive duration",
                c.event_gap
            ));
            3600
        }
    };
    let screening = Screening {
        radial_m: c.box_radial_km * 1000.0,
        along_m: c.box_along_km * 1000.0,
        cross_m: c.box_cross_km * 1000.0,
        yellow: c.yellow,
        red: c.red,
        event_gap_s: event_gap,
    };
    if !(screening.yellow > 0.0 && screening.yellow <= screening.red && screening.red <= 1.0) {
        errs.push("collision: error: the thresholds need 0 < yellow ≤ red ≤ 1".into());
    }
    for (id, _) in manifest.targets.iter() {
        if crate::monthly::kpi::def(id).is_none() {
            errs.push(format!(
                "{}: error: targets: unknown KPI `{id}`: the KPIs are {}",
                manifest_path.as_deref().map_or("monthly.yaml".into(), show),
                crate::monthly::one_of(
                    &crate::monthly::kpi::KPIS
                        .iter()
                        .map(|k| k.id)
                        .collect::<Vec<_>>()
                )
            ));
        }
    }

    let mut files: Vec<PathBuf> = manifest_path.iter().cloned().collect();
    let mut read = super::inputs::Inputs::new();
    if let Some(m) = &manifest_path {
        read.add(m, Role::MonthlyManifest);
    }

    // --- the plans
    if !req.plans.is_empty() {
        plan_paths = req.plans.clone();
    } else if plan_paths.is_empty() {
        plan_paths = manifest
            .plans
            .to_vec()
            .iter()
            .filter_map(|p| keep("plans", p, rel(p)))
            .collect();
    }
    if plan_paths.is_empty() && refused.borrow().is_empty() {
        errs.push(
            "error: no plans: give them with --plans, as paths, or under `plans:` in monthly.yaml"
                .into(),
        );
    }
    let run = if plan_paths.is_empty() {
        None
    } else {
        // The plans are read as before project files were looked for above them: the
        // manifest names their folders (issue #14 leaves the monthly report as it was).
        match check_with(
            &plan_paths,
            &CheckOptions {
                project: ProjectChoice::NamedOnly,
                trace: TraceOverrides::default(),
            },
        ) {
            Ok(run) => Some(run),
            Err(e) => {
                errs.push(format!("error: {e}"));
                None
            }
        }
    };

    // --- tables
    let pick = |flag: &Option<PathBuf>, value: &Option<String>, key: &str| -> Option<PathBuf> {
        flag.clone()
            .or_else(|| value.as_deref().and_then(|v| keep(key, v, rel(v))))
    };
    let as_flown_path = pick(&req.as_flown, &manifest.as_flown, "as_flown");
    let flown = match &as_flown_path {
        None if req.as_flown.is_none() && manifest.as_flown.is_some() => None,
        None => {
            errs.push(
                "error: no as-flown log: give it with --as-flown, or as `as_flown:` in monthly.yaml"
                    .into(),
            );
            None
        }
        Some(p) => {
            files.push(p.clone());
            read.add(p, Role::AsFlownLog);
            match read_table(p, manifest.as_flown_sheet.as_deref()) {
                Err(probs) => {
                    report(&show(p), probs, &mut errs, &mut warnings);
                    None
                }
                Ok(t) => {
                    let (v, probs) = crate::monthly::asflown::read(&t);
                    report(&show(p), probs, &mut errs, &mut warnings);
                    Some(Named {
                        path: show(p),
                        value: v,
                    })
                }
            }
        }
    };
    let anomalies = named_table(
        pick(&req.anomalies, &manifest.anomalies, "anomalies")
            .inspect(|p| read.add(p, Role::AnomalyRegister)),
        manifest.anomalies_sheet.as_deref(),
        &mut errs,
        &mut warnings,
        &mut files,
    )
    .map(|(path, t)| {
        let (v, probs) = crate::monthly::anomalies::read(&t);
        report(&path, probs, &mut errs, &mut warnings);
        Named { path, value: v }
    });
    let changes = named_table(
        pick(&req.changes, &manifest.changes, "changes")
            .inspect(|p| read.add(p, Role::ChangeRegister)),
        manifest.changes_sheet.as_deref(),
        &mut errs,
        &mut warnings,
        &mut files,
    )
    .map(|(path, t)| {
        let (v, probs) = crate::monthly::changes::read(&t);
        report(&path, probs, &mut errs, &mut warnings);
        Named { path, value: v }
    });
    let history = named_table(
        pick(&req.kpi_history, &manifest.kpi_history, "kpi_history")
            .inspect(|p| read.add(p, Role::KpiHistory)),
        None,
        &mut errs,
        &mut warnings,
        &mut files,
    )
    .map(|(path, t)| {
        let (v, probs) = crate::monthly::kpi::read_history(&t);
        report(&path, probs, &mut errs, &mut warnings);
        Named { path, value: v }
    });

    let outages = named_table(
        pick(&req.outages, &manifest.outages, "outages").inspect(|p| read.add(p, Role::OutageLog)),
        manifest.outages_sheet.as_deref(),
        &mut errs,
        &mut warnings,
        &mut files,
    )
    .map(|(path, t)| {
        let (v, probs) = crate::monthly::outages::read(&t);
        report(&path, probs, &mut errs, &mut warnings);
        Named { path, value: v }
    });

    // --- CDMs
    let cdm_roots: Vec<PathBuf> = if req.cdm.is_empty() {
        manifest
            .cdm
            .to_vec()
            .iter()
            .filter_map(|p| keep("cdm", p, rel(p)))
            .collect()
    } else {
        req.cdm.clone()
    };
    let mut cdm_files_found = Vec::new();
    for root in &cdm_roots {
        if root.is_dir() {
            match cdm_files_in(root) {
                Ok(found) if req.cdm.is_empty() => {
                    // Files of a folder the manifest names: a link out of the project is
                    // not read.
                    let named = root.strip_prefix(&base).unwrap_or(root).to_string_lossy();
                    let named = named.into_owned();
                    cdm_files_found.extend(found.into_iter().filter_map(|f| {
                        let value = manifest
                            .cdm
                            .to_vec()
                            .into_iter()
                            .find(|v| rel(v) == *root)
                            .unwrap_or_else(|| named.clone());
                        keep("cdm", &value, f)
                    }))
                }
                Ok(found) => cdm_files_found.extend(found),
                Err(e) => errs.push(format!("{}: error: cannot be read: {e}", show(root))),
            }
        } else if root.is_file() {
            cdm_files_found.push(root.clone());
        } else {
            errs.push(format!("{}: error: no such file or directory", show(root)));
        }
    }
    let mut cdms: Vec<Cdm> = Vec::new();
    let mut cdm_files: Vec<String> = Vec::new();
    let mut seen_ids: std::collections::BTreeMap<String, String> = Default::default();
    for f in &cdm_files_found {
        files.push(f.clone());
        read.add(f, Role::Cdm);
        let path = show(f);
        let _reading = crate::context::reading(path.clone());
        let text = match super::read_bounded(f, super::MAX_INPUT_BYTES) {
            Ok(b) => crate::reqs::tabular::decode(&b),
            Err(e) => {
                errs.push(format!("{path}: error: cannot be read: {e}"));
                continue;
            }
        };
        let (cdm, probs) = crate::monthly::cdm::parse(&text);
        report(&path, probs, &mut errs, &mut warnings);
        if let Some(cdm) = cdm {
            if let Some(first) = seen_ids.get(&cdm.message_id) {
                report(
                    &path,
                    vec![Problem::warning(
                        Loc::Line(cdm.line),
                        format!(
                            "MESSAGE_ID {} was already read from {first}: this copy is not counted",
                            cdm.message_id
                        ),
                    )],
                    &mut errs,
                    &mut warnings,
                );
                continue;
            }
            seen_ids.insert(cdm.message_id.clone(), path.clone());
            cdms.push(cdm);
            cdm_files.push(path);
        }
    }
    let cdms = (!cdm_roots.is_empty()).then_some(cdms);

    // --- requirement coverage, now and against the previous baseline
    let previous_paths: Vec<PathBuf> = if req.previous_requirements.is_empty() {
        manifest
            .previous_requirements
            .to_vec()
            .iter()
            .filter_map(|p| keep("previous_requirements", p, rel(p)))
            .collect()
    } else {
        req.previous_requirements.clone()
    };
    let coverage = run.as_ref().and_then(|r| r.traced.as_ref()).map(counts_of);
    let requirement_files: Vec<String> = run
        .as_ref()
        .and_then(|r| r.traced.as_ref())
        .map(|t| t.files.iter().map(|f| show(f)).collect())
        .unwrap_or_default();
    let mut previous_coverage = None;
    if !previous_paths.is_empty() && run.is_some() {
        if coverage.is_none() {
            errs.push("error: previous requirements are named, but the plans name no requirements (`requirements:` in their opsplan.yaml)".into());
        } else {
            match check_with(
                &plan_paths,
                &CheckOptions {
                    project: ProjectChoice::NamedOnly,
                    trace: TraceOverrides {
                        sources: previous_paths.clone(),
                        baseline: previous_paths.clone(),
                        id_attribute: None,
                        prefix: None,
                        required: true,
                    },
                },
            ) {
                Ok(prev) => {
                    previous_coverage = prev.traced.as_ref().map(counts_of);
                    read.extend(super::inputs::Inputs::of_run(&prev));
                    files.extend(previous_paths.iter().cloned());
                }
                Err(e) => errs.push(format!("error: previous requirements: {e}")),
            }
        }
    }

    errs.extend(refused.take());
    let (Some(month), Some(run), Some(flown)) = (month, run, flown) else {
        errs.extend(warnings);
        return Err(errs);
    };
    if !errs.is_empty() {
        errs.extend(warnings);
        return Err(errs);
    }
    // Errors and warnings per plan file (notes, such as waived violations, are shown in
    // the procedures and flight rules section instead).
    let findings: Vec<(crate::source::FileId, bool)> = run
        .diagnostics
        .iter()
        .filter(|d| d.severity != crate::diag::Severity::Note)
        .map(|d| {
            (
                d.primary.span.file,
                d.severity == crate::diag::Severity::Error,
            )
        })
        .collect();
    let (plans, activities, unresolved) = metrics::from_model(&run.model, &findings);
    let flight_rules = metrics::flight_rules_of(&run.model, &run.diagnostics, &|span| {
        let lc = run.sources.line_col(span.file, span.start as usize);
        format!("{}:{}", show(run.sources.path(span.file)), lc.line)
    });
    let mut run_files: Vec<PathBuf> = run
        .sources
        .ids()
        .map(|id| tidy(run.sources.path(id)))
        .collect();
    run_files.sort();
    let inputs = metrics::Inputs {
        month,
        plans: &plans,
        activities: &activities,
        flown: &flown.value,
        anomalies: anomalies.as_ref().map(|a| &a.value[..]),
        changes: changes.as_ref().map(|c| &c.value[..]),
        cdms: cdms.as_deref(),
        outages: outages.as_ref().map(|o| &o.value[..]),
        coverage: coverage.as_ref().map(|c| (c, previous_coverage.as_ref())),
        history: history.as_ref().map(|h| &h.value),
        tolerance,
        screening,
        manoeuvres: &manifest.collision.manoeuvres,
        decisions: &manifest.collision.decisions,
        targets: &manifest.targets,
        major_open_days: manifest.rag.major_open_days,
    };
    let (metrics, join_problems) = metrics::compute(&inputs);
    if join_problems.iter().any(|p| !p.warning) {
        let mut out = Vec::new();
        let mut probs = join_problems;
        probs.sort();
        for p in probs {
            out.push(p.render(&flown.path));
        }
        out.extend(warnings);
        return Err(out);
    }
    files.extend(run_files);
    read.extend(super::inputs::Inputs::of_run(&run));
    let files: Vec<PathBuf> = files.iter().map(|f| tidy(f)).collect();
    Ok(Loaded {
        month,
        manifest_path: manifest_path.as_deref().map(show),
        manifest,
        plan_inputs: plan_paths.iter().map(|p| show(p)).collect(),
        plans,
        activities,
        unresolved,
        flown,
        anomalies,
        changes,
        cdms,
        cdm_files,
        history,
        outages,
        flight_rules,
        coverage,
        previous_coverage,
        requirement_files,
        previous_files: previous_paths.iter().map(|p| show(p)).collect(),
        tolerance,
        screening,
        metrics,
        files,
        inputs: read,
        warnings,
    })
}

fn report(
    path: &str,
    mut problems: Vec<Problem>,
    errs: &mut Vec<String>,
    warnings: &mut Vec<String>,
) {
    problems.sort();
    for p in problems {
        if p.warning {
            warnings.push(p.render(path));
        } else {
            errs.push(p.render(path));
        }
    }
}

fn named_table(
    path: Option<PathBuf>,
    sheet: Option<&str>,
    errs: &mut Vec<String>,
    warnings: &mut Vec<String>,
    files: &mut Vec<PathBuf>,
) -> Option<(String, Table)> {
    let p = path?;
    files.push(p.clone());
    match read_table(&p, sheet) {
        Ok(t) => Some((show(&p), t)),
        Err(probs) => {
            report(&show(&p), probs, errs, warnings);
            None
        }
    }
}

fn counts_of(t: &super::Traced) -> CoverageCounts {
    let s = &t.trace.summary;
    CoverageCounts {
        needing: s.needing_coverage,
        covered: s.covered,
        percent: s.coverage_percent(),
        by_status: s
            .by_status
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect(),
        statuses: t
            .trace
            .requirements
            .iter()
            .map(|r| (r.id.clone(), r.status.as_str().to_string()))
            .collect(),
    }
}

/// A table from a CSV (`.csv`, `.tsv`, `.txt`) or a workbook (`.xlsx`, `.xlsm`, `.xls`,
/// `.ods`); problems located in it.
fn read_table(path: &Path, sheet: Option<&str>) -> Result<Table, Vec<Problem>> {
    let _reading = crate::context::reading(path.display().to_string());
    let bytes = super::read_bounded(path, super::MAX_INPUT_BYTES).map_err(|e| {
        vec![Problem::error(
            Loc::File,
            match e.kind() {
                std::io::ErrorKind::NotFound => "no such file".to_string(),
                _ => format!("cannot be read: {e}"),
            },
        )]
    })?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => {
            table::from_workbook(&bytes, &ext, sheet).map_err(|p| vec![p])
        }
        _ => {
            let (t, probs) = table::from_csv(&bytes);
            if probs.is_empty() {
                Ok(t)
            } else {
                Err(probs)
            }
        }
    }
}

/// `*.cdm`, `*.kvn`, `*.txt` in a folder and its subfolders, sorted (links to folders not
/// followed, the walk capped as every folder search is).
fn cdm_files_in(dir: &Path) -> Result<Vec<PathBuf>, super::LoadError> {
    let visible = |name: &std::ffi::OsStr| !name.to_string_lossy().starts_with('.');
    super::files_below(dir, super::MAX_WALK_ENTRIES, visible, |p| {
        p.file_name().is_some_and(visible)
            && p.extension().is_some_and(|e| {
                let e = e.to_string_lossy().to_ascii_lowercase();
                e == "cdm" || e == "kvn" || e == "txt"
            })
    })
}

/// A path as people read it: `/` separators, lexically tidied, no leading `./`.
pub fn show(path: &Path) -> String {
    let p = tidy(path).to_string_lossy().replace('\\', "/");
    p.strip_prefix("./").map(str::to_string).unwrap_or(p)
}
