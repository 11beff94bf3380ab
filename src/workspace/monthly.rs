//! Reading the monthly report's inputs: the manifest (`monthly.yaml`), the plans (through
//! [`super::check_with`], with their requirements trace), the as-flown log, the anomaly
//! and change-request registers (CSV or workbook), the CDMs (KVN or XML) and the KPI
//! history; then the metrics of [`crate::monthly::metrics`].
//!
//! Every problem of every input is collected in one run and rendered located
//! (`path:line:column: error: …`): a bad manifest key does not stop the other keys from
//! being read, a row with a problem is still joined to the plans, and the joins run
//! whenever the plans and the log could be read. Any error stops the report; warnings
//! and notes are shown in it.

use super::inputs::Role;
use super::{check_with, contain, tidy, CheckOptions, ProjectChoice, TraceOverrides};
use crate::monthly::anomalies::Anomaly;
use crate::monthly::asflown::Flown;
use crate::monthly::cdm::{self, Cdm, Orientation, Screening};
use crate::monthly::changes::ChangeRequest;
use crate::monthly::deliveries::Delivery;
use crate::monthly::kpi::History;
use crate::monthly::manifest::{self, Manifest, MANIFEST_FILE};
use crate::monthly::metrics::{
    self, CoverageCounts, FlightRuleFindings, Metrics, PlanInfo, Planned,
};
use crate::monthly::outages::Outage;
use crate::monthly::table::{self, Table};
use crate::monthly::{DateFormat, Issued, Level, Loc, Month, Problem, ReadCtx};
use crate::time::{Dur, Time};
use std::path::{Path, PathBuf};

/// What the command line asks for; flags win over the manifest.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// `YYYY-MM`; the manifest's `month:` when not given.
    pub month: Option<String>,
    /// Folders holding `monthly.yaml`, the manifest itself, or plan inputs.
    pub paths: Vec<PathBuf>,
    pub plans: Vec<PathBuf>,
    pub as_flown: Option<PathBuf>,
    pub anomalies: Option<PathBuf>,
    pub changes: Option<PathBuf>,
    pub cdm: Vec<PathBuf>,
    pub kpi_history: Option<PathBuf>,
    pub outages: Option<PathBuf>,
    pub deliveries: Option<PathBuf>,
    pub oncall_log: Option<PathBuf>,
    pub previous_requirements: Vec<PathBuf>,
    pub tolerance: Option<String>,
    /// The mission's objects, in place of the manifest's `collision: our_objects:`.
    pub our_objects: Vec<String>,
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
    /// The CDMs about the mission's objects (its object first) and, index for index,
    /// their files.
    pub cdms: Option<Vec<Cdm>>,
    pub cdm_files: Vec<String>,
    /// CDMs read but about neither of the mission's objects (not counted).
    pub cdms_not_ours: usize,
    /// The mission's objects, as declared.
    pub our_objects: Vec<String>,
    pub history: Option<Named<History>>,
    pub outages: Option<Named<Vec<Outage>>>,
    /// The software-delivery log (`deliveries:`), every well-formed row (those outside
    /// the month too: the view keeps the month's).
    pub deliveries: Option<Named<Vec<Delivery>>>,
    /// The rosters of the month's plans over the month, the staffing findings and the
    /// on-call log (`oncall_log:`).
    pub staffing: super::monthly_staffing::MonthStaffing,
    /// Waivers and flight-rule violations of the plans.
    pub flight_rules: FlightRuleFindings,
    pub coverage: Option<CoverageCounts>,
    pub previous_coverage: Option<CoverageCounts>,
    pub requirement_files: Vec<String>,
    pub previous_files: Vec<String>,
    pub tolerance: Dur,
    pub far_from_plan: Dur,
    pub screening: Screening,
    pub metrics: Metrics,
    /// Every file read, for the provenance.
    pub files: Vec<PathBuf>,
    /// Every file read and as what: no output may replace one.
    pub inputs: super::inputs::Inputs,
    /// Rendered warnings (the report is still made; they are printed and shown in it).
    pub warnings: Vec<String>,
    /// Rendered notes on the inputs (rows not counted, names taken as one, CDMs read
    /// with their objects swapped): shown in the report.
    pub notes: Vec<String>,
    /// The errors and warnings of the plans' consistency check, located
    /// (`file:line:col: error[CODE]: message`), errors first: the technical annex.
    pub check_findings: Vec<String>,
}

/// Problems sorted into what stops the report and what it shows, each list grouped by
/// file (files in the order they were first met; a problem of no file on its own) and
/// by place within a file: the problems a join finds late sit with their file's others.
#[derive(Default)]
struct Found {
    /// File → its rank, in the order first met (a problem of no file gets a rank alone).
    files: std::collections::BTreeMap<String, usize>,
    ranks: usize,
    errors: Vec<(usize, Loc, String)>,
    warnings: Vec<(usize, Loc, String)>,
    notes: Vec<(usize, Loc, String)>,
}

impl Found {
    fn file(&mut self, path: &str) -> usize {
        if let Some(&i) = self.files.get(path) {
            return i;
        }
        self.ranks += 1;
        self.files.insert(path.to_string(), self.ranks);
        self.ranks
    }

    /// The problems of the file shown as `path`.
    fn add(&mut self, path: &str, problems: Vec<Problem>) {
        let f = self.file(path);
        for p in problems {
            let line = p.render(path);
            let list = match p.level {
                Level::Error => &mut self.errors,
                Level::Warning => &mut self.warnings,
                Level::Note => &mut self.notes,
            };
            list.push((f, p.loc, line));
        }
    }

    /// An error of no file (or rendered already), in the order met.
    fn error(&mut self, line: String) {
        self.ranks += 1;
        self.errors.push((self.ranks, Loc::File, line));
    }

    fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    fn sorted(mut v: Vec<(usize, Loc, String)>) -> Vec<String> {
        v.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        v.into_iter().map(|(_, _, line)| line).collect()
    }

    /// Every error, then the warnings.
    fn failure(self) -> Vec<String> {
        let mut out = Found::sorted(self.errors);
        out.extend(Found::sorted(self.warnings));
        out
    }
}

/// The time the report is made, as the report dates itself (`report::generation_time`):
/// `SOURCE_DATE_EPOCH` when set, else the newest modification time of the inputs, else
/// 1980-01-01. No record read can be dated after it.
fn issued(paths: &[PathBuf]) -> Issued {
    if let Some(t) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
    {
        return Issued {
            time: Time(t),
            from_epoch: true,
        };
    }
    let newest = paths
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok()?.modified().ok())
        .map(|m| match m.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => d.as_secs() as i64,
            Err(e) => -(e.duration().as_secs() as i64),
        })
        .max();
    Issued {
        time: Time(newest.unwrap_or(315_532_800)),
        from_epoch: false,
    }
}

/// What a file in a CDM folder is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CdmForm {
    /// `.cdm`, `.kvn`: KVN; a file that is not a CDM is an error.
    Kvn,
    /// `.txt`: KVN; a file that is not a CDM is a warning (notes live beside CDMs).
    Txt,
    Xml,
    /// `.json`: no CCSDS form; an error.
    Json,
    /// Any other file of a folder: a warning, not read.
    Other,
}

fn cdm_form(path: &Path, named: bool) -> CdmForm {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "cdm" | "kvn" => CdmForm::Kvn,
        "txt" => CdmForm::Txt,
        "xml" => CdmForm::Xml,
        "json" => CdmForm::Json,
        // A file named on its own is read as the CDM it is said to be.
        _ if named => CdmForm::Kvn,
        _ => CdmForm::Other,
    }
}

/// Reads everything and computes the metrics; `Err` holds every rendered error (and
/// warning) when any input is unusable.
pub fn load(req: &Request) -> Result<Loaded, Vec<String>> {
    let mut found = Found::default();

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
            Some(m) if manifest_path.is_some() => found.error(format!(
                "{}: error: a second manifest (the first is {}); give one",
                show(&m),
                show(manifest_path.as_deref().unwrap_or(Path::new("")))
            )),
            Some(m) => manifest_path = Some(m),
            None => plan_paths.push(p.clone()),
        }
    }
    let mut parsed = manifest::Parsed::default();
    let mut base = PathBuf::new();
    let mut manifest_text = String::new();
    let shown_manifest = manifest_path
        .as_deref()
        .map_or_else(|| MANIFEST_FILE.to_string(), show);
    if let Some(m) = &manifest_path {
        base = m.parent().map(Path::to_path_buf).unwrap_or_default();
        match super::read_bounded(m, super::MAX_INPUT_BYTES) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                parsed = manifest::parse(&text);
                found.add(&shown_manifest, std::mem::take(&mut parsed.problems));
                manifest_text = text.into_owned();
            }
            Err(e) => {
                found.error(format!("{shown_manifest}: error: cannot be read: {e}"));
                parsed.failed.push("*".into());
            }
        }
    }
    let manifest = parsed.manifest.clone();
    let rel = |s: &str| tidy(&base.join(s));
    // `monthly.yaml:3:11`: where a key's value is (the key's place when the value is not
    // found after it).
    let at_value = |key: &str, value: &str| {
        let (line, column) = contain::locate_value(&manifest_text, key, value);
        format!("{shown_manifest}:{line}:{column}")
    };
    // The manifest's paths stay inside its folder (and its `allow-paths`); the paths
    // given on the command line are read wherever they are.
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
            Err((i, why)) => found.error(format!(
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

    // --- the month: --month, or the manifest's `month:` (they must agree)
    let manifest_month = match &manifest.month {
        Some(mm) => match Month::parse(mm) {
            Ok(m) => Some(m),
            Err(e) => {
                found.error(format!("{}: error: month: {e}", at_value("month", mm)));
                None
            }
        },
        None => None,
    };
    let month = match &req.month {
        Some(text) => match Month::parse(text) {
            Ok(m) => {
                if let (Some(mm), Some(text)) = (manifest_month, &manifest.month) {
                    if mm != m {
                        found.error(format!(
                            "{}: error: the manifest is for month `{text}`, and --month asks for {m}",
                            at_value("month", text)
                        ));
                    }
                }
                Some(m)
            }
            Err(e) => {
                found.error(format!("--month: error: {e}"));
                None
            }
        },
        None if manifest_month.is_some() => manifest_month,
        None if manifest.month.is_some() || parsed.failed("month") => None,
        None => {
            found.error(
                "error: no month: give it with --month YYYY-MM, or as `month:` in monthly.yaml"
                    .into(),
            );
            None
        }
    };

    // --- how to judge
    let tolerance = match (&req.tolerance, &manifest.on_time_tolerance) {
        (Some(t), _) => duration(t, "--tolerance", None, &mut found, false),
        (None, Some(t)) => duration(
            t,
            &at_value("on_time_tolerance", t),
            Some("on_time_tolerance"),
            &mut found,
            false,
        ),
        (None, None) => None,
    }
    .unwrap_or(Dur::minutes(5));
    let far_from_plan = manifest
        .far_from_plan
        .as_ref()
        .and_then(|t| {
            duration(
                t,
                &at_value("far_from_plan", t),
                Some("far_from_plan"),
                &mut found,
                true,
            )
        })
        .unwrap_or(Dur(7 * 86_400));
    let dates = match &manifest.date_format {
        Some(f) => DateFormat::parse(f).unwrap_or_else(|e| {
            found.error(format!(
                "{}: error: date_format: {e}",
                at_value("date_format", f)
            ));
            DateFormat::Iso
        }),
        None => DateFormat::Iso,
    };
    let c = &manifest.collision;
    let event_gap = duration(
        &c.event_gap,
        &at_value("event_gap", &c.event_gap),
        Some("collision: event_gap"),
        &mut found,
        true,
    )
    .map_or(3600, |d| d.0);
    let screening = Screening {
        radial_m: c.box_radial_km * 1000.0,
        along_m: c.box_along_km * 1000.0,
        cross_m: c.box_cross_km * 1000.0,
        yellow: c.yellow,
        red: c.red,
        event_gap_s: event_gap,
    };
    if !(screening.yellow > 0.0 && screening.yellow <= screening.red && screening.red <= 1.0) {
        found.error(format!(
            "{}: error: collision: the thresholds need 0 < yellow ≤ red ≤ 1 (yellow {}, red {})",
            at_value("yellow", ""),
            screening.yellow,
            screening.red
        ));
    }
    // Custom KPIs (`kpis:`): checked here, each problem at its place in the manifest.
    let (custom_kpis, kpi_problems) =
        crate::monthly::custom_kpi::build(&manifest.kpis, &manifest_text);
    found.add(&shown_manifest, kpi_problems);
    for (id, t) in &manifest.targets {
        if let Some(def) = crate::monthly::kpi::def(id) {
            if let Err(why) = crate::monthly::kpi::check_target(def, t) {
                found.error(format!("{}: error: targets: {id}: {why}", at_value(id, "")));
            }
        }
        if manifest.kpis.iter().any(|k| &k.id == id) {
            found.error(format!(
                "{}: error: targets: `{id}` is a custom KPI: its target and amber limit are given in its entry under `kpis:`",
                at_value("targets", id)
            ));
        } else if crate::monthly::kpi::def(id).is_none() {
            found.error(format!(
                "{}: error: targets: unknown KPI `{id}`: the KPIs are {}",
                at_value("targets", id),
                crate::monthly::one_of(
                    &crate::monthly::kpi::KPIS
                        .iter()
                        .chain([&crate::monthly::kpi::ONCALL])
                        .map(|k| &*k.id)
                        .collect::<Vec<_>>()
                )
            ));
        }
    }
    if manifest.rag.major_open_days < 0 {
        found.error(format!(
            "{}: error: rag: major_open_days is {}: a number of days, 0 or more",
            at_value("major_open_days", ""),
            manifest.rag.major_open_days
        ));
    }
    let our_objects: Vec<String> = if req.our_objects.is_empty() {
        manifest.collision.our_objects.0.clone()
    } else {
        req.our_objects.clone()
    };
    let ours: Vec<String> = our_objects
        .iter()
        .map(|d| cdm::designator_key(d))
        .filter(|d| !d.is_empty())
        .collect();

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
    if plan_paths.is_empty() && refused.borrow().is_empty() && !parsed.failed("plans") {
        found.error(
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
                found.error(format!("error: {e}"));
                None
            }
        }
    };

    // --- which files: the tables, the CDMs, the previous baseline
    let pick = |flag: &Option<PathBuf>, value: &Option<String>, key: &str| -> Option<PathBuf> {
        flag.clone()
            .or_else(|| value.as_deref().and_then(|v| keep(key, v, rel(v))))
    };
    let as_flown_path = pick(&req.as_flown, &manifest.as_flown, "as_flown");
    let anomalies_path = pick(&req.anomalies, &manifest.anomalies, "anomalies");
    let changes_path = pick(&req.changes, &manifest.changes, "changes");
    let history_path = pick(&req.kpi_history, &manifest.kpi_history, "kpi_history");
    let outages_path = pick(&req.outages, &manifest.outages, "outages");
    let deliveries_path = pick(&req.deliveries, &manifest.deliveries, "deliveries");
    let oncall_path = pick(&req.oncall_log, &manifest.oncall_log, "oncall_log");
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
    // Every file of a CDM folder, whatever its name: each is read or reported.
    let mut cdm_found: Vec<(PathBuf, CdmForm)> = Vec::new();
    for root in &cdm_roots {
        if root.is_dir() {
            match cdm_files_in(root) {
                Ok(list) => {
                    let named = root.strip_prefix(&base).unwrap_or(root).to_string_lossy();
                    let named = named.into_owned();
                    for f in list {
                        // Files of a folder the manifest names: a link out of the project
                        // is not read.
                        let f = if req.cdm.is_empty() {
                            let value = manifest
                                .cdm
                                .to_vec()
                                .into_iter()
                                .find(|v| rel(v) == *root)
                                .unwrap_or_else(|| named.clone());
                            match keep("cdm", &value, f) {
                                Some(f) => f,
                                None => continue,
                            }
                        } else {
                            f
                        };
                        let form = cdm_form(&f, false);
                        cdm_found.push((f, form));
                    }
                }
                Err(e) => found.error(format!("{}: error: cannot be read: {e}", show(root))),
            }
        } else if root.is_file() {
            cdm_found.push((root.clone(), cdm_form(root, true)));
        } else {
            found.error(format!("{}: error: no such file or directory", show(root)));
        }
    }
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

    // --- what dates can be: nothing after the report is made
    let mut dated: Vec<PathBuf> = files.clone();
    dated.extend(
        [
            &as_flown_path,
            &anomalies_path,
            &changes_path,
            &history_path,
            &outages_path,
            &deliveries_path,
            &oncall_path,
        ]
        .into_iter()
        .flatten()
        .cloned(),
    );
    dated.extend(cdm_found.iter().map(|(f, _)| f.clone()));
    dated.extend(previous_paths.iter().cloned());
    // Every file the plans' check read: sources, the project file, window files,
    // requirement exports.
    if let Some(r) = &run {
        dated.extend(
            super::inputs::Inputs::of_run(r)
                .iter()
                .map(|i| i.path.clone()),
        );
    }
    let ctx = ReadCtx {
        dates,
        month,
        issued: Some(issued(&dated)),
    };

    // --- tables
    let flown = match &as_flown_path {
        None if req.as_flown.is_none() && manifest.as_flown.is_some() => None,
        None if parsed.failed("as_flown") => None,
        None => {
            found.error(
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
                    found.add(&show(p), probs);
                    None
                }
                Ok(t) => {
                    let (v, probs) = crate::monthly::asflown::read_with(&t, &ctx);
                    found.add(&show(p), probs);
                    Some(Named {
                        path: show(p),
                        value: v,
                    })
                }
            }
        }
    };
    // Whether the anomaly register read without an error (the deliveries' anomaly ids are
    // held to it only then: a row it dropped would make a false "not in the register").
    let mut anomalies_clean = false;
    let anomalies = named_table(
        anomalies_path.inspect(|p| read.add(p, Role::AnomalyRegister)),
        manifest.anomalies_sheet.as_deref(),
        &mut found,
        &mut files,
    )
    .map(|(path, t)| {
        let (v, probs) = crate::monthly::anomalies::read_with(&t, &ctx);
        anomalies_clean = !probs.iter().any(Problem::is_error);
        found.add(&path, probs);
        Named { path, value: v }
    });
    let changes = named_table(
        changes_path.inspect(|p| read.add(p, Role::ChangeRegister)),
        manifest.changes_sheet.as_deref(),
        &mut found,
        &mut files,
    )
    .map(|(path, t)| {
        let (v, probs) = crate::monthly::changes::read_with(&t, &ctx);
        found.add(&path, probs);
        Named { path, value: v }
    });
    let history = named_table(
        history_path.inspect(|p| read.add(p, Role::KpiHistory)),
        None,
        &mut found,
        &mut files,
    )
    .map(|(path, t)| {
        let custom: Vec<&str> = manifest.kpis.iter().map(|k| k.id.as_str()).collect();
        let known = (!parsed.failed("kpis")).then_some(&custom[..]);
        let (v, probs) = crate::monthly::kpi::read_history_of(&t, &ctx, known);
        found.add(&path, probs);
        Named { path, value: v }
    });
    let outages = named_table(
        outages_path.inspect(|p| read.add(p, Role::OutageLog)),
        manifest.outages_sheet.as_deref(),
        &mut found,
        &mut files,
    )
    .map(|(path, t)| {
        let (v, probs) = crate::monthly::outages::read_with(&t, &ctx);
        found.add(&path, probs);
        Named { path, value: v }
    });
    let deliveries = named_table(
        deliveries_path.inspect(|p| read.add(p, Role::DeliveryLog)),
        manifest.deliveries_sheet.as_deref(),
        &mut found,
        &mut files,
    )
    .map(|(path, t)| {
        let (v, mut probs) = crate::monthly::deliveries::read_with(&t, &ctx);
        if let (Some(a), true) = (&anomalies, anomalies_clean) {
            probs.extend(crate::monthly::deliveries::check_closed(
                &v, &a.value, ctx.month,
            ));
        }
        found.add(&path, probs);
        Named { path, value: v }
    });
    let oncall = named_table(
        oncall_path.inspect(|p| read.add(p, Role::OnCallLog)),
        manifest.oncall_log_sheet.as_deref(),
        &mut found,
        &mut files,
    )
    .map(|(path, t)| {
        let (v, mut probs) = crate::monthly::oncall::read_with(&t, &ctx);
        if let (Some(a), true) = (&anomalies, anomalies_clean) {
            probs.extend(crate::monthly::oncall::check_anomalies(&v, &a.value));
        }
        found.add(&path, probs);
        (path, v)
    });

    // --- CDMs
    let mut cdms: Vec<Cdm> = Vec::new();
    let mut cdm_files: Vec<String> = Vec::new();
    let mut cdms_not_ours = 0usize;
    let mut seen_ids: std::collections::BTreeMap<String, String> = Default::default();
    // Designators of the first object of the CDMs read, for the hint when the mission's
    // objects are not declared.
    let mut firsts: std::collections::BTreeMap<String, (usize, String)> = Default::default();
    for (f, form) in &cdm_found {
        let path = show(f);
        match form {
            CdmForm::Other => {
                found.add(
                    &path,
                    vec![Problem::warning(
                        Loc::File,
                        "not read: not a CDM file (CDMs are .cdm, .kvn or .txt in KVN form, .xml in XML form)",
                    )],
                );
                continue;
            }
            CdmForm::Json => {
                found.add(
                    &path,
                    vec![Problem::error(
                        Loc::File,
                        "JSON CDMs are not supported: CCSDS 508.0-B-1 defines the KVN and XML forms; convert it to KVN (.kvn) or XML (.xml)",
                    )],
                );
                continue;
            }
            _ => {}
        }
        files.push(f.clone());
        read.add(f, Role::Cdm);
        let _reading = crate::context::reading(path.clone());
        let text = match super::read_bounded(f, super::MAX_INPUT_BYTES) {
            Ok(b) => crate::reqs::tabular::decode(&b),
            Err(e) => {
                found.error(format!("{path}: error: cannot be read: {e}"));
                continue;
            }
        };
        let plausible = |t, what: &str, text: &str| ctx.plausible(t, what, text);
        let (cdm, probs) = match form {
            CdmForm::Xml => {
                match crate::context::contain_panic(|| {
                    crate::monthly::cdm_xml::parse_with(&text, &plausible)
                }) {
                    Ok(r) => r,
                    Err(panic) => (
                        None,
                        vec![Problem::error(
                            Loc::File,
                            format!("the XML reader failed on this file: {panic}"),
                        )],
                    ),
                }
            }
            _ => match cdm::kvn_first_line(&text) {
                Err(mut p) if *form == CdmForm::Txt => {
                    p.level = Level::Warning;
                    p.message.push_str(": not read");
                    (None, vec![p])
                }
                _ => cdm::parse_with(&text, &plausible),
            },
        };
        found.add(&path, probs);
        let Some(mut cdm) = cdm else { continue };
        if let Some(first) = seen_ids.get(&cdm.message_id) {
            found.add(
                &path,
                vec![Problem::warning(
                    Loc::Line(cdm.line),
                    format!(
                        "MESSAGE_ID {} was already read from {first}: this copy is not counted",
                        cdm.message_id
                    ),
                )],
            );
            continue;
        }
        seen_ids.insert(cdm.message_id.clone(), path.clone());
        let e = firsts
            .entry(cdm::designator_key(&cdm.object1.designator))
            .or_insert((0, cdm.object1.name.clone()));
        e.0 += 1;
        if !ours.is_empty() {
            let (o1, o2) = (describe(&cdm.object1), describe(&cdm.object2));
            match cdm::orient(&mut cdm, &ours) {
                Orientation::Ours => {}
                Orientation::Swapped => found.add(
                    &path,
                    vec![Problem::note(
                        Loc::Line(cdm.object1.line),
                        format!(
                            "OBJECT2 ({o2}) is the mission's object: the CDM is read with its objects swapped, the other object being OBJECT1 ({o1})"
                        ),
                    )],
                ),
                Orientation::NotOurs => {
                    cdms_not_ours += 1;
                    found.add(
                        &path,
                        vec![Problem::warning(
                            Loc::Line(cdm.object1.line),
                            format!(
                                "not about our satellite: neither OBJECT1 ({o1}) nor OBJECT2 ({o2}) is one of the mission's objects ({}): this CDM is in no count",
                                our_objects.join(", ")
                            ),
                        )],
                    );
                    continue;
                }
            }
        }
        cdms.push(cdm);
        cdm_files.push(path);
    }
    if !cdms.is_empty() && ours.is_empty() {
        let common = firsts
            .iter()
            .max_by_key(|(d, (n, _))| (*n, std::cmp::Reverse((*d).clone())));
        let (seen, example) = match common {
            Some((d, (n, name))) => (
                format!(
                    " (OBJECT1 of {n} of the {} CDMs read is {d}{})",
                    cdms.len(),
                    if name.is_empty() {
                        String::new()
                    } else {
                        format!(" {name}")
                    }
                ),
                d.clone(),
            ),
            None => (String::new(), "25544".to_string()),
        };
        found.error(format!(
            "{}: error: CDMs are given but not the mission's own objects, so the report cannot tell whose conjunctions they are{seen}: declare them, `collision: {{ our_objects: [{example}] }}` in monthly.yaml or --our-object {example} (OBJECT_DESIGNATOR or INTERNATIONAL_DESIGNATOR values)",
            if manifest_path.is_some() {
                shown_manifest.clone()
            } else {
                "--cdm".to_string()
            }
        ));
    }
    let cdms = (!cdm_roots.is_empty()).then_some(cdms);

    // --- requirement coverage, now and against the previous baseline
    let coverage = run.as_ref().and_then(|r| r.traced.as_ref()).map(counts_of);
    let requirement_files: Vec<String> = run
        .as_ref()
        .and_then(|r| r.traced.as_ref())
        .map(|t| t.files.iter().map(|f| show(f)).collect())
        .unwrap_or_default();
    let mut previous_coverage = None;
    if !previous_paths.is_empty() && run.is_some() {
        if coverage.is_none() {
            found.error("error: previous requirements are named, but the plans name no requirements (`requirements:` in their opsplan.yaml)".into());
        } else {
            match check_with(
                &plan_paths,
                &CheckOptions {
                    project: ProjectChoice::NamedOnly,
                    trace: TraceOverrides {
                        sources: previous_paths.clone(),
                        baseline: previous_paths.clone(),
                        git_baseline: None,
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
                Err(e) => found.error(format!("error: previous requirements: {e}")),
            }
        }
    }
    for r in refused.take() {
        found.error(r);
    }

    // --- the metrics: computed whenever the plans and the log were read, so that the
    // joins report their problems in the same run as every other problem
    let (Some(month), Some(run), Some(flown)) = (month, run, flown) else {
        return Err(found.failure());
    };
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
    // The rosters over the month; the on-call log held to them.
    let oncall_path_shown = oncall.as_ref().map(|(p, _)| p.clone());
    let (staffing, oncall_problems) =
        super::monthly_staffing::build(&run.model, &run.diagnostics, month, oncall);
    if let Some(p) = &oncall_path_shown {
        found.add(p, oncall_problems);
    }
    // The check's errors and warnings, located, for the technical annex (errors first);
    // and the files with errors that hold no plan read (a file that does not parse, a
    // procedure library, a flight-rule file): each makes the month red (its plans, if
    // any, could not be read).
    let plan_files: std::collections::BTreeSet<crate::source::FileId> =
        run.model.plans.iter().map(|p| p.file).collect();
    let mut check_findings: Vec<(bool, String, u32, u32, String)> = run
        .diagnostics
        .iter()
        .filter(|d| d.severity != crate::diag::Severity::Note)
        .map(|d| {
            let lc = run
                .sources
                .line_col(d.primary.span.file, d.primary.span.start as usize);
            let error = d.severity == crate::diag::Severity::Error;
            (
                !error,
                show(run.sources.path(d.primary.span.file)),
                lc.line,
                lc.column,
                format!(
                    "{}[{}]: {}",
                    d.severity.as_str(),
                    d.code.info().code,
                    d.message
                ),
            )
        })
        .collect();
    check_findings.sort();
    let mut unread_plan_errors: std::collections::BTreeMap<String, usize> = Default::default();
    for d in &run.diagnostics {
        if d.severity == crate::diag::Severity::Error && !plan_files.contains(&d.primary.span.file)
        {
            *unread_plan_errors
                .entry(show(run.sources.path(d.primary.span.file)))
                .or_default() += 1;
        }
    }
    let unread_plan_errors: Vec<(String, usize)> = unread_plan_errors.into_iter().collect();
    let check_findings: Vec<String> = check_findings
        .into_iter()
        .map(|(_, file, line, col, text)| format!("{file}:{line}:{col}: {text}"))
        .collect();
    found.add(
        &shown_manifest,
        crate::monthly::custom_kpi::unmatched(&custom_kpis, &activities),
    );
    let flight_rules = metrics::flight_rules_of(&run.model, &run.diagnostics, &|span| {
        let lc = run.sources.line_col(span.file, span.start as usize);
        format!("{}:{}", show(run.sources.path(span.file)), lc.line)
    });
    let mut run_files: Vec<PathBuf> = super::inputs::Inputs::of_run(&run)
        .iter()
        .map(|i| tidy(&i.path))
        .collect();
    run_files.sort();
    let inputs = metrics::Inputs {
        month,
        plans: &plans,
        unread_plan_errors: &unread_plan_errors,
        activities: &activities,
        flown: &flown.value,
        anomalies: anomalies.as_ref().map(|a| &a.value[..]),
        changes: changes.as_ref().map(|c| &c.value[..]),
        cdms: cdms.as_deref(),
        outages: outages.as_ref().map(|o| &o.value[..]),
        coverage: coverage.as_ref().map(|c| (c, previous_coverage.as_ref())),
        history: history.as_ref().map(|h| &h.value),
        tolerance,
        far_from_plan,
        screening,
        manoeuvres: &manifest.collision.manoeuvres,
        decisions: &manifest.collision.decisions,
        targets: &manifest.targets,
        custom_kpis: &custom_kpis,
        oncall_response: staffing.kpi(),
        major_open_days: manifest.rag.major_open_days,
        dates: manifest.dates,
    };
    let (metrics, join_problems) = metrics::compute(&inputs);
    found.add(&flown.path, join_problems.as_flown);
    if let Some(c) = &changes {
        found.add(&c.path, join_problems.changes);
    }
    if found.has_errors() {
        return Err(found.failure());
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
        cdms_not_ours,
        our_objects,
        history,
        outages,
        deliveries,
        staffing,
        flight_rules,
        coverage,
        previous_coverage,
        requirement_files,
        previous_files: previous_paths.iter().map(|p| show(p)).collect(),
        tolerance,
        far_from_plan,
        screening,
        metrics,
        files,
        inputs: read,
        warnings: Found::sorted(found.warnings),
        notes: Found::sorted(found.notes),
        check_findings,
    })
}

/// `25544 ISS (ZARYA)`
fn describe(o: &crate::monthly::cdm::CdmObject) -> String {
    if o.name.is_empty() {
        o.designator.clone()
    } else {
        format!("{} {}", o.designator, o.name)
    }
}

/// A duration of the manifest (`at` its place, `monthly.yaml:3:20`, and `key`) or of the
/// command line (`at` the flag, no key); `None` with the error recorded when it is not
/// one (or, `positive`, is zero).
fn duration(
    text: &str,
    at: &str,
    key: Option<&str>,
    found: &mut Found,
    positive: bool,
) -> Option<Dur> {
    match Dur::parse(text.trim()) {
        Ok(d) if d.0 > 0 || (d.0 == 0 && !positive) => Some(d),
        _ => {
            found.error(format!(
                "{at}: error: {}`{text}` is not a{} duration: write 5m, 90s, 1h30m, 7d or PT5M (ISO 8601)",
                key.map(|k| format!("{k}: ")).unwrap_or_default(),
                if positive { " positive" } else { "" }
            ));
            None
        }
    }
}

fn named_table(
    path: Option<PathBuf>,
    sheet: Option<&str>,
    found: &mut Found,
    files: &mut Vec<PathBuf>,
) -> Option<(String, Table)> {
    let p = path?;
    files.push(p.clone());
    match read_table(&p, sheet) {
        Ok(t) => Some((show(&p), t)),
        Err(probs) => {
            found.add(&show(&p), probs);
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

/// Every file in a folder and its subfolders, sorted, whatever its name (each is read or
/// reported); folders and files whose name starts with `.` (`.git`, `.DS_Store`) are
/// skipped, links to folders are not followed, and the walk is capped as every folder
/// search is.
fn cdm_files_in(dir: &Path) -> Result<Vec<PathBuf>, super::LoadError> {
    let visible = |name: &std::ffi::OsStr| !name.to_string_lossy().starts_with('.');
    super::files_below(dir, super::MAX_WALK_ENTRIES, visible, |p| {
        p.file_name().is_some_and(visible)
    })
}

/// A path as people read it: `/` separators, lexically tidied, no leading `./`.
pub fn show(path: &Path) -> String {
    let p = tidy(path).to_string_lossy().replace('\\', "/");
    p.strip_prefix("./").map(str::to_string).unwrap_or(p)
}
