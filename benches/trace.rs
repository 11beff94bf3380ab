//! Requirements at scale (issue #4): importing a DOORS Classic ReqIF module of 10,000 and
//! 100,000 requirements and tracing a mission to it (see `benches/generate/reqif.rs`).
//!
//! Criterion group `trace`, at each size:
//! - `import_reqif/<n>`: `reqs::reqif::import_reqif` on the file's bytes;
//! - `trace/<n>`: `trace::trace` of the mission (plan of n/2 activities, n/100 procedures,
//!   20 flight rules, about n cites) over the imported module, the model built outside
//!   the timing (`workspace::check_texts`);
//! - `import_and_trace/<n>`: both (the target: under 2 s at 100,000 on 2 cores).
//!
//! `cargo bench --bench trace` (about 4 minutes on 2 cores). Before measuring, each size is
//! written to `target/bench-reqs/<n>/` (`mission/` and `requirements.reqif`) so that the
//! CLI can be timed on the same input:
//! `opsplan trace target/bench-reqs/100000/mission -r target/bench-reqs/100000/requirements.reqif`.
//! `OPSPLAN_BENCH_WRITE_ONLY=1` writes the files and measures nothing;
//! `OPSPLAN_BENCH_MAX=10000` skips the 100,000 size. Results in BENCHMARKS.md.

mod generate;

// The allocator of the shipped binary (src/main.rs), so that timings match the CLI.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput};
use generate::reqif::{mission, reqif, Mission};
use opsplan::diag::Severity;
use opsplan::reqs::reqif::import_reqif;
use opsplan::reqs::Export;
use opsplan::source::FileId;
use opsplan::trace::{trace, Inputs, LinkStatus, Trace, TracePolicy};
use opsplan::workspace::{self, Run};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const SIZES: [usize; 2] = [10_000, 100_000];

/// `OPSPLAN_BENCH_MAX` caps the sizes (e.g. 10000 to skip the 100k module).
fn max_size() -> usize {
    std::env::var("OPSPLAN_BENCH_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not (criterion then runs
    // every benchmark once as a test): keep that quick with the smallest size only.
    let full = std::env::args().any(|a| a == "--bench");
    let write_only = std::env::var_os("OPSPLAN_BENCH_WRITE_ONLY").is_some();
    let sizes: Vec<usize> = SIZES[..if full { SIZES.len() } else { 1 }]
        .iter()
        .copied()
        .filter(|&n| n <= max_size())
        .collect();
    if write_only {
        for n in sizes {
            let (dir, mission, bytes) = write_case(n);
            eprintln!(
                "[opsplan bench] n={n}: {} ({:.1} MiB ReqIF, {:.1} MiB plan, {:.1} MiB procedures)",
                dir.display(),
                mib(bytes),
                mib(mission.plan.len()),
                mib(mission.procedures.len())
            );
        }
        return;
    }
    sanity_check();
    let mut c = Criterion::default().configure_from_args();
    for n in sizes {
        let case = Case::prepare(n);
        bench_case(&mut c, &case);
    }
    c.final_summary();
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// `target/bench-reqs` (or `$CARGO_TARGET_DIR/bench-reqs`).
fn bench_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("bench-reqs")
}

/// Generates size `n` and writes `target/bench-reqs/<n>/{mission/, requirements.reqif}`.
fn write_case(n: usize) -> (PathBuf, Mission, usize) {
    let reqs = reqif(n);
    let m = mission(&reqs);
    let dir = bench_dir().join(n.to_string());
    let written = m
        .write_to(&dir.join("mission"))
        .and_then(|()| std::fs::write(dir.join("requirements.reqif"), &reqs.reqif));
    if let Err(e) = written {
        eprintln!("warning: cannot write {}: {e}", dir.display());
    }
    (dir, m, reqs.reqif.len())
}

fn inputs<'a>(run: &'a Run, export: &'a Export, policy: &'a TracePolicy) -> Inputs<'a> {
    Inputs {
        model: &run.model,
        rule_sets: &run.rule_sets,
        sources: &run.sources,
        exports: std::slice::from_ref(export),
        baseline: None,
        policy,
        evidence: None,
    }
}

/// One size: the mission checked and the module imported once, outside the timings. The
/// ReqIF text joins the run's sources, as `opsplan trace` does, so that requirement
/// locations are computed as in the CLI.
struct Case {
    n: usize,
    run: Run,
    file: FileId,
    export: Export,
    policy: TracePolicy,
}

impl Case {
    fn prepare(n: usize) -> Case {
        let t = Instant::now();
        let mut reqs = reqif(n);
        let m = mission(&reqs);
        let generation = t.elapsed();
        let dir = bench_dir().join(n.to_string());
        let written = m
            .write_to(&dir.join("mission"))
            .and_then(|()| std::fs::write(dir.join("requirements.reqif"), &reqs.reqif));
        if let Err(e) = written {
            eprintln!("warning: cannot write {}: {e}", dir.display());
        }
        let t = Instant::now();
        let mut run = workspace::check_texts(&m.files());
        let check = t.elapsed();
        let bytes = reqs.reqif.len();
        let file = run
            .sources
            .add("requirements.reqif", std::mem::take(&mut reqs.reqif));
        let t = Instant::now();
        let (export, diags) = import_reqif(file, run.sources.text(file).as_bytes());
        let import = t.elapsed();
        assert!(
            diags.is_empty(),
            "the generated ReqIF imports cleanly: {diags:#?}"
        );
        let policy = TracePolicy::default();
        let t = Instant::now();
        let tr = trace(&inputs(&run, &export, &policy));
        let traced = t.elapsed();
        eprintln!(
            "[opsplan bench] n={n}: ReqIF {:.1} MiB ({} objects, {} relations), plan {:.1} MiB \
             ({} activities), procedures {:.1} MiB ({}); generated in {generation:.1?}, \
             written to {}; check_texts {check:.2?}; one import {import:.2?}; one trace \
             {traced:.2?}; {} links ({} dangling), {} of {} requirements covered, {} findings",
            mib(bytes),
            export.objects.len(),
            reqs.relations,
            mib(m.plan.len()),
            m.activities,
            mib(m.procedures.len()),
            m.procedure_count,
            dir.display(),
            tr.summary.links,
            count_links(&tr, LinkStatus::Dangling),
            tr.summary.covered,
            tr.summary.requirements,
            tr.diagnostics.len(),
        );
        Case {
            n,
            run,
            file,
            export,
            policy,
        }
    }

    fn bytes(&self) -> &[u8] {
        self.run.sources.text(self.file).as_bytes()
    }
}

fn count_links(t: &Trace, status: LinkStatus) -> usize {
    t.links.iter().filter(|l| l.status == status).count()
}

/// The generators' invariants, and a 1,000-requirement mission that checks clean and
/// traces as designed: every requirement but the deliberately uncovered ones is covered,
/// and exactly the deliberately dangling cites dangle.
fn sanity_check() {
    generate::reqif::self_check();
    let n = 1_000;
    let reqs = reqif(n);
    let m = mission(&reqs);
    let mut run = workspace::check_texts(&m.files());
    let errors: Vec<_> = run
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    for d in errors.iter().take(20) {
        let at = run
            .sources
            .line_col(d.primary.span.file, d.primary.span.start as usize);
        eprintln!(
            "{}:{}:{}: {}: {}",
            run.sources.path(d.primary.span.file).display(),
            at.line,
            at.column,
            d.code.info().code,
            d.message
        );
    }
    assert!(
        errors.is_empty(),
        "the generated mission has {} error(s)",
        errors.len()
    );
    assert_eq!(run.model.plans[0].activities.len(), m.activities);
    assert_eq!(run.model.procedures.len(), m.procedure_count);
    let file = run.sources.add("requirements.reqif", reqs.reqif.clone());
    let (export, diags) = import_reqif(file, reqs.reqif.as_bytes());
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(export.objects.len(), reqs.objects());
    assert_eq!(export.dangling_links, 0);
    let ids: Vec<&str> = export
        .objects
        .iter()
        .filter(|o| !o.is_heading)
        .map(|o| o.id.as_str())
        .collect();
    assert_eq!(ids, reqs.ids);
    let o = &export.objects[2];
    assert_eq!(o.path.len(), 2, "{o:#?}");
    assert!(o.text.len() >= 60, "{o:#?}");
    assert!(o.attributes.contains_key("Verification Method"), "{o:#?}");
    let links: usize = export.objects.iter().map(|o| o.links.len()).sum();
    assert_eq!(
        links,
        2 * reqs.relations,
        "each relation is an out- and an in-link"
    );
    let policy = TracePolicy::default();
    let t = trace(&inputs(&run, &export, &policy));
    assert_eq!(t.summary.requirements, n);
    assert_eq!(t.summary.links, m.cites);
    assert_eq!(count_links(&t, LinkStatus::Dangling), m.dangling);
    assert_eq!(count_links(&t, LinkStatus::Covers), m.cites - m.dangling);
    assert_eq!(t.summary.covered, n - m.uncovered);
}

fn bench_case(c: &mut Criterion, case: &Case) {
    let n = case.n;
    let mut g = c.benchmark_group("trace");
    g.throughput(Throughput::Elements(n as u64));
    // The 100k iterations take about a second: ten flat samples (criterion's minimum).
    g.sample_size(10);
    g.sampling_mode(SamplingMode::Flat);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(if n >= 100_000 { 10 } else { 3 }));
    let bytes = case.bytes();
    // Every output is returned, so that it is dropped outside the timing.
    g.bench_function(BenchmarkId::new("import_reqif", n), |b| {
        b.iter_batched(
            || (),
            |()| import_reqif(case.file, black_box(bytes)),
            BatchSize::PerIteration,
        )
    });
    g.bench_function(BenchmarkId::new("trace", n), |b| {
        b.iter_batched(
            || (),
            |()| trace(black_box(&inputs(&case.run, &case.export, &case.policy))),
            BatchSize::PerIteration,
        )
    });
    g.bench_function(BenchmarkId::new("import_and_trace", n), |b| {
        b.iter_batched(
            || (),
            |()| {
                let (export, diags) = import_reqif(case.file, black_box(bytes));
                let t = trace(&inputs(&case.run, &export, &case.policy));
                (export, diags, t)
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}
