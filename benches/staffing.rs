//! What the staffing of issue #18 adds to `check` (BENCHMARKS.md, "Staffing"): a generated
//! roster of 100 people over the days of a generated plan (`benches/generate/roster.rs`;
//! about 118,000 shifts beside the 100,000-activity plan), at 1,000, 10,000 and 100,000
//! activities with the 2,000-procedure library:
//!
//! - `staffing-check/plan` and `staffing-check/staffed`: `workspace::check_sources` of the
//!   plan and library, without and with the roster (the difference is what the roster
//!   costs a check: parse, model, the `W` rules);
//! - `staffing-parse`: `syntax::parse` of the roster alone;
//! - `staffing-rules`: the fourteen `W` rules on the built model (`checks::run` with the
//!   roster minus `checks::run` without it is the same, measured apart).
//!
//! Run with `cargo bench --bench staffing`; before measuring, each staffed mission is
//! written to `target/bench-staffing/<n>/` so that the CLI can be timed on it
//! (`opsplan check target/bench-staffing/100000`).

mod generate;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput};
use generate::roster::{roster, ROSTER_FILE};
use generate::{generate, Generated, Spec};
use opsplan::diag::{Family, Severity};
use opsplan::source::{FileId, SourceDb};
use opsplan::{checks, syntax, workspace};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];
const PROCEDURES: usize = 2_000;
const PEOPLE: usize = 100;

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let mut c = Criterion::default().configure_from_args();
    let sizes: &[usize] = if full { &SIZES } else { &SIZES[..1] };
    for &n in sizes {
        let case = Case::prepare(n);
        bench_case(&mut c, &case);
    }
    c.final_summary();
}

struct Case {
    n: usize,
    generated: Generated,
    staffed_plan: String,
    roster: String,
    shifts: usize,
}

impl Case {
    fn prepare(n: usize) -> Case {
        let generated = generate(Spec::new(n, PROCEDURES));
        let t = Instant::now();
        let r = roster(
            &generated.plan_id(),
            generated.days,
            PEOPLE,
            generated.spec.seed,
        );
        let generation = t.elapsed();
        let case = Case {
            n,
            staffed_plan: generated.staffed_plan(),
            roster: r.text,
            shifts: r.shifts,
            generated,
        };
        let dir = bench_dir().join(n.to_string());
        if let Err(e) = case.write_to(&dir) {
            eprintln!("warning: cannot write {}: {e}", dir.display());
        }
        // The staffed mission checks clean but for the plan's own findings (none): every
        // finding at error severity, and any staffing finding, fails the benchmark.
        let t = Instant::now();
        let run = workspace::check_sources(case.staffed_db());
        let once = t.elapsed();
        let bad: Vec<String> = run
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error || d.code.info().family == Family::Staffing)
            .take(10)
            .map(|d| format!("{}: {}", d.code.info().code, d.message))
            .collect();
        assert!(bad.is_empty(), "the staffed mission checks clean: {bad:#?}");
        let staffing = &run.model.staffing[0];
        assert_eq!(staffing.shifts.len(), case.shifts);
        eprintln!(
            "[opsplan bench] n={n}: roster of {PEOPLE} people, {} shifts over {} days ({:.1} MiB, generated in {generation:.0?}); one staffed check_sources: {once:.0?}; written to {}",
            case.shifts,
            case.generated.days,
            case.roster.len() as f64 / (1024.0 * 1024.0),
            dir.display()
        );
        case
    }

    /// The plan (without `use roster`) and the library.
    fn plan_db(&self) -> SourceDb {
        self.generated.source_db()
    }

    /// The plan with `use roster`, the library and the roster.
    fn staffed_db(&self) -> SourceDb {
        let mut db = SourceDb::new();
        db.add(Generated::PLAN_FILE, self.staffed_plan.clone());
        db.add(Generated::PROC_FILE, self.generated.procedures.clone());
        db.add(ROSTER_FILE, self.roster.clone());
        db
    }

    fn write_to(&self, dir: &std::path::Path) -> std::io::Result<()> {
        self.generated.write_to(dir)?;
        std::fs::write(dir.join(Generated::PLAN_FILE), &self.staffed_plan)?;
        std::fs::write(dir.join(ROSTER_FILE), &self.roster)
    }
}

/// `target/bench-staffing` (or `$CARGO_TARGET_DIR/bench-staffing`).
fn bench_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("bench-staffing")
}

fn bench_case(c: &mut Criterion, case: &Case) {
    let n = case.n;
    let big = n >= 100_000;
    let configure = |g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>| {
        g.throughput(Throughput::Elements(case.shifts as u64));
        g.sample_size(10);
        g.sampling_mode(SamplingMode::Flat);
        g.warm_up_time(Duration::from_secs(1));
        g.measurement_time(Duration::from_secs(if big { 6 } else { 3 }));
    };
    let id = |what: &str| BenchmarkId::new(what, n);

    let mut g = c.benchmark_group("staffing-check");
    configure(&mut g);
    g.bench_function(id("plan"), |b| {
        b.iter_batched(
            || case.plan_db(),
            |db| workspace::check_sources(black_box(db)),
            BatchSize::PerIteration,
        )
    });
    g.bench_function(id("staffed"), |b| {
        b.iter_batched(
            || case.staffed_db(),
            |db| workspace::check_sources(black_box(db)),
            BatchSize::PerIteration,
        )
    });
    g.finish();

    let mut g = c.benchmark_group("staffing-parse");
    configure(&mut g);
    g.bench_function(BenchmarkId::from_parameter(n), |b| {
        b.iter(|| syntax::parse(FileId(2), black_box(&case.roster)))
    });
    g.finish();

    // The W rules alone, on the model of the staffed mission.
    let db = case.staffed_db();
    let asts: Vec<_> = db.ids().map(|i| syntax::parse(i, db.text(i)).0).collect();
    let model = opsplan::model::Model::build(asts);
    let staffing_rules: Vec<fn(&checks::Context, &mut Vec<opsplan::diag::Diagnostic>)> =
        checks::registry()
            .iter()
            .filter(|r| r.code.info().family == Family::Staffing)
            .filter_map(|r| match r.reporter {
                checks::Reporter::Check(f) => Some(f),
                _ => None,
            })
            .collect();
    assert_eq!(staffing_rules.len(), 14);
    let mut g = c.benchmark_group("staffing-rules");
    configure(&mut g);
    g.bench_function(BenchmarkId::from_parameter(n), |b| {
        b.iter(|| {
            let cx = checks::Context {
                model: black_box(&model),
                flight: Default::default(),
            };
            let mut out = Vec::new();
            for f in &staffing_rules {
                f(&cx, &mut out);
            }
            out
        })
    });
    g.finish();
}
