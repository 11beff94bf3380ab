//! Benchmarks of the check pipeline on generated plans (see `benches/generate`).
//!
//! For 1,000, 10,000 and 100,000 activities with a library of 2,000 procedures:
//! - `parse`: `syntax::parse` of the plan and the library;
//! - `model`: `Model::build` from the parsed files (resolution, windows, graph, schedule);
//! - `rules`: `checks::run` over the built model;
//! - `check`: `workspace::check_sources`, the whole pipeline (parse + model + rules + sort);
//! - `fmt`: `syntax::format::format` of the plan (layout, then the re-parse and token
//!   comparison that guards every formatting).
//!
//! Run with `cargo bench --bench check`; results are discussed in BENCHMARKS.md. Before
//! measuring, the generated missions are written to `target/bench-plans/<n>/` so that the
//! CLI can be timed on the same input (`opsplan check target/bench-plans/100000`).

mod generate;

// The allocator of the shipped binary (src/main.rs), so that timings match the CLI.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput};
use generate::{generate, Generated, Spec};
use opsplan::diag::Severity;
use opsplan::model::Model;
use opsplan::source::SourceDb;
use opsplan::syntax::{self, ast::SourceAst};
use opsplan::{checks, workspace};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];
const PROCEDURES: usize = 2_000;
const FLIGHT_RULES: usize = 50;

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not (criterion then runs
    // every benchmark once as a test): keep that quick with the smallest size only.
    let full = std::env::args().any(|a| a == "--bench");
    sanity_check();
    let mut c = Criterion::default().configure_from_args();
    let sizes: &[usize] = if full { &SIZES } else { &SIZES[..1] };
    for &n in sizes {
        let case = Case::prepare(n);
        bench_case(&mut c, &case);
    }
    c.final_summary();
}

/// The generated plan of 1,000 activities must check clean (no finding at error severity).
fn sanity_check() {
    generate::self_check();
    let g = generate(Spec::new(1_000, PROCEDURES));
    let run = workspace::check_sources(g.source_db());
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
        "the generated 1,000-activity plan has {} error(s)",
        errors.len()
    );
    assert_eq!(run.model.plans[0].activities.len(), 1_000);
    assert_eq!(run.model.procedures.len(), PROCEDURES);
}

/// One size: the generated text, its parse and its model, built once outside the timings.
struct Case {
    n: usize,
    generated: Generated,
    asts: Vec<SourceAst>,
    model: Model,
}

impl Case {
    fn prepare(n: usize) -> Case {
        let t = Instant::now();
        let generated = generate(Spec::new(n, PROCEDURES));
        let generation = t.elapsed();
        let dir = bench_plans_dir().join(n.to_string());
        if let Err(e) = generated.write_to(&dir) {
            eprintln!("warning: cannot write {}: {e}", dir.display());
        }
        let db = generated.source_db();
        let asts = parse_all(&db);
        let t = Instant::now();
        let run = workspace::check_sources(generated.source_db());
        let once = t.elapsed();
        let count = |s| run.count(s);
        eprintln!(
            "[opsplan bench] n={n}: plan {:.1} MiB, library {:.1} MiB, {} days, generated in {:.0?}; \
             written to {}; one check_sources: {:.0?}; diagnostics: {} ({} error, {} warning, {} note)",
            mib(generated.plan.len()),
            mib(generated.procedures.len()),
            generated.days,
            generation,
            dir.display(),
            once,
            run.diagnostics.len(),
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Note),
        );
        Case {
            n,
            generated,
            asts,
            model: run.model,
        }
    }
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// `target/bench-plans` (or `$CARGO_TARGET_DIR/bench-plans`).
fn bench_plans_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("bench-plans")
}

fn parse_all(db: &SourceDb) -> Vec<SourceAst> {
    db.ids()
        .map(|id| syntax::parse(id, db.text(id)).0)
        .collect()
}

fn bench_case(c: &mut Criterion, case: &Case) {
    let n = case.n;
    let big = n >= 100_000;
    let configure = |g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>| {
        g.throughput(Throughput::Elements(n as u64));
        // The slow phases take up to seconds an iteration: ten flat samples (criterion's
        // minimum) keep `cargo bench --bench check` within a few minutes on 2 cores.
        g.sample_size(10);
        g.sampling_mode(SamplingMode::Flat);
        g.warm_up_time(Duration::from_secs(1));
        g.measurement_time(Duration::from_secs(if big { 5 } else { 3 }));
    };
    let id = BenchmarkId::from_parameter(n);
    // The sources are rebuilt for each iteration outside the timing, and every output is
    // dropped outside it (`iter_batched`), so each timing is the phase alone.
    let db = case.generated.source_db();

    let mut g = c.benchmark_group("parse");
    configure(&mut g);
    g.bench_function(id.clone(), |b| {
        b.iter_batched(
            || (),
            |()| parse_all(black_box(&db)),
            BatchSize::PerIteration,
        )
    });
    g.finish();

    let mut g = c.benchmark_group("fmt");
    configure(&mut g);
    g.bench_function(id.clone(), |b| {
        b.iter_batched(
            || (),
            |()| syntax::format::format(black_box(&case.generated.plan)),
            BatchSize::PerIteration,
        )
    });
    g.finish();

    let mut g = c.benchmark_group("model");
    configure(&mut g);
    g.bench_function(id.clone(), |b| {
        b.iter_batched(
            || case.asts.clone(),
            |asts| Model::build(black_box(asts)),
            BatchSize::PerIteration,
        )
    });
    g.finish();

    let mut g = c.benchmark_group("rules");
    configure(&mut g);
    g.bench_function(id.clone(), |b| {
        b.iter_batched(
            || (),
            |()| checks::run(black_box(&case.model)),
            BatchSize::PerIteration,
        )
    });
    g.finish();

    // All flight-rule checks together: 50 generated rules covering every kind.
    let mut g = c.benchmark_group("flight");
    configure(&mut g);
    let text = generate::flight_rules(FLIGHT_RULES);
    let (set, errors) = opsplan::flight::load(opsplan::source::FileId(0), &text);
    assert!(errors.is_empty(), "generated rules load: {errors:#?}");
    let rules: Vec<&opsplan::flight::FlightRule> = set.rules.iter().collect();
    g.bench_function(id.clone(), |b| {
        b.iter(|| opsplan::flight::evaluate(black_box(&case.model), black_box(&rules)))
    });
    g.finish();

    let mut g = c.benchmark_group("check");
    configure(&mut g);
    g.bench_function(id, |b| {
        b.iter_batched(
            || case.generated.source_db(),
            |db| workspace::check_sources(black_box(db)),
            BatchSize::PerIteration,
        )
    });
    g.finish();
}
