//! `opsplan report monthly`: the monthly operations report for managers.
//!
//! Exit codes: 0 the report was written; 2 usage or input failure (a malformed or
//! missing input: every problem is printed, located, and nothing is written).

use crate::report::monthly as view;
use crate::workspace::monthly::{load, Request};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  \
opsplan report monthly examples/atv5-2014-10 -o mor-2014-10.html\n  \
opsplan report monthly --month 2014-10 examples/atv5-2014-10 --format md\n  \
opsplan report monthly examples/atv5-2014-10 --format pdf -o mor-2014-10.pdf\n  \
opsplan report monthly --month 2014-10 --plans plans/ --as-flown as-flown.csv --anomalies anomalies.xlsx --cdm cdm/ --our-object 25544 --outages outages.csv\n\n\
`--format pdf` prints the HTML page with a headless Chromium (docs/reports.md, \"PDF\").\n\
PATHS: a folder holding monthly.yaml (the manifest), the manifest itself, or plan inputs \
(files, folders, opsplan.yaml). Flags take the place of the manifest's entries. \
docs/monthly.md documents the inputs, the manifest and every metric.\n\
Exit codes: 0 written, 2 usage or input failure (every problem printed, located; nothing written).")]
pub struct MonthlyArgs {
    /// The month reported, `YYYY-MM` (default: the manifest's `month:`; both given, they
    /// must agree).
    #[arg(long)]
    pub month: Option<String>,
    /// A folder holding monthly.yaml, the manifest file, or plan inputs.
    pub paths: Vec<PathBuf>,
    /// Plan inputs (files, folders, opsplan.yaml), in place of the manifest's `plans:`.
    #[arg(long, value_name = "PATH")]
    pub plans: Vec<PathBuf>,
    /// The as-flown log (CSV or XLSX).
    #[arg(long, value_name = "FILE")]
    pub as_flown: Option<PathBuf>,
    /// The anomaly register (CSV or XLSX).
    #[arg(long, value_name = "FILE")]
    pub anomalies: Option<PathBuf>,
    /// The change-request register (CSV or XLSX).
    #[arg(long, value_name = "FILE")]
    pub changes: Option<PathBuf>,
    /// CCSDS CDM files (KVN or XML) or folders of them.
    #[arg(long, value_name = "PATH")]
    pub cdm: Vec<PathBuf>,
    /// The mission's own object in the CDMs (OBJECT_DESIGNATOR or INTERNATIONAL_DESIGNATOR;
    /// repeat for several), in place of the manifest's `collision: our_objects:`.
    #[arg(long, value_name = "DESIGNATOR")]
    pub our_object: Vec<String>,
    /// Earlier months' KPI values (CSV or XLSX: month, kpi, value).
    #[arg(long, value_name = "FILE")]
    pub kpi_history: Option<PathBuf>,
    /// The outage log of the ground systems (CSV or XLSX: system, start, end, kind
    /// planned/unplanned, comment).
    #[arg(long, value_name = "FILE")]
    pub outages: Option<PathBuf>,
    /// The software-delivery log (CSV or XLSX: software, version, date, modules,
    /// anomalies closed, kind, comment).
    #[arg(long, value_name = "FILE")]
    pub deliveries: Option<PathBuf>,
    /// The on-call log (CSV or XLSX: called, person, duty, answered or response in
    /// minutes, reason, anomaly), held to the plans' rosters.
    #[arg(long, value_name = "FILE")]
    pub oncall_log: Option<PathBuf>,
    /// The requirement exports of the previous month's baseline.
    #[arg(long, value_name = "FILE")]
    pub previous_requirements: Vec<PathBuf>,
    /// On-time tolerance around the planned start (default 5m).
    #[arg(long, value_name = "DURATION")]
    pub tolerance: Option<String>,
    #[command(flatten)]
    pub output: super::report::ReportOutput,
}

/// Every path given on the command line (what `--watch` watches before a run has read
/// the manifest).
pub fn given(args: &MonthlyArgs) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = args.paths.iter().chain(&args.plans).cloned().collect();
    paths.extend(
        [
            &args.as_flown,
            &args.anomalies,
            &args.changes,
            &args.kpi_history,
            &args.outages,
            &args.deliveries,
            &args.oncall_log,
        ]
        .into_iter()
        .flatten()
        .cloned(),
    );
    paths.extend(args.cdm.iter().chain(&args.previous_requirements).cloned());
    paths
}

pub fn run(
    args: &MonthlyArgs,
    out: &mut impl Write,
    round: &mut super::watch::Round,
) -> anyhow::Result<u8> {
    let request = Request {
        month: args.month.clone(),
        paths: args.paths.clone(),
        plans: args.plans.clone(),
        as_flown: args.as_flown.clone(),
        anomalies: args.anomalies.clone(),
        changes: args.changes.clone(),
        cdm: args.cdm.clone(),
        kpi_history: args.kpi_history.clone(),
        outages: args.outages.clone(),
        deliveries: args.deliveries.clone(),
        oncall_log: args.oncall_log.clone(),
        previous_requirements: args.previous_requirements.clone(),
        tolerance: args.tolerance.clone(),
        our_objects: args.our_object.clone(),
    };
    let loaded = match super::progress::during(args.output.quiet, || load(&request)) {
        Ok(l) => l,
        Err(problems) => {
            let mut err = std::io::stderr().lock();
            for p in &problems {
                writeln!(err, "{}", crate::diag::terminal_safe(p))?;
            }
            let n = problems
                .iter()
                .filter(|p| p.contains(": error: ") || p.starts_with("error:"))
                .count();
            // Every problem was printed: say how many, and that nothing was written.
            writeln!(
                err,
                "opsplan: error: the monthly report was not written: {n} problem{} in its inputs",
                if n == 1 { "" } else { "s" }
            )?;
            return Ok(super::EXIT_FAILURE);
        }
    };
    {
        let mut err = std::io::stderr().lock();
        for w in &loaded.warnings {
            writeln!(err, "{}", crate::diag::terminal_safe(w))?;
        }
        // The plans' errors: they make the month red; the warnings are in the annex.
        for f in loaded
            .check_findings
            .iter()
            .filter(|f| f.contains(": error["))
        {
            writeln!(err, "{}", crate::diag::terminal_safe(f))?;
        }
    }
    round.record(&loaded.inputs);
    let v = view::view(&loaded);
    let written = args.output.emit(out, &loaded.inputs, |templates, format| {
        view::render(&v, templates, format, &loaded)
    })?;
    if written {
        round.summary("monthly report written");
    }
    Ok(if written {
        super::EXIT_OK
    } else {
        super::EXIT_FAILURE
    })
}
