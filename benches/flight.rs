//! Flight rules at scale: all 50 generated rules (every constraint kind) evaluated together
//! on generated plans of 10,000, 100,000 and 1,000,000 activities.
//!
//! `cargo bench --bench flight` (about 3 minutes on 2 cores; the 1M plan is generated,
//! parsed and resolved once, about 2.5 GB). Results in BENCHMARKS.md.

mod generate;

// The allocator of the shipped binary (src/main.rs), so that timings match the CLI.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use generate::{generate, Spec};
use opsplan::flight::{evaluate, load, FlightRule};
use opsplan::source::FileId;
use opsplan::workspace;
use std::hint::black_box;
use std::time::{Duration, Instant};

const SIZES: [usize; 3] = [10_000, 100_000, 1_000_000];
/// `OPSPLAN_BENCH_MAX` caps the sizes (e.g. 100000 to skip the 1M plan).
fn max_size() -> usize {
    std::env::var("OPSPLAN_BENCH_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX)
}
const RULES: usize = 50;

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let mut c = Criterion::default().configure_from_args();
    let text = generate::flight_rules(RULES);
    let (set, errors) = load(FileId(0), &text);
    assert!(errors.is_empty(), "generated rules load: {errors:#?}");
    let rules: Vec<&FlightRule> = set.rules.iter().collect();
    let sizes: Vec<usize> = if full {
        SIZES.to_vec()
    } else {
        SIZES[..1].to_vec()
    };
    let sizes: Vec<usize> = sizes.into_iter().filter(|&n| n <= max_size()).collect();
    let mut g = c.benchmark_group("flight-rules");
    g.sample_size(10);
    g.sampling_mode(SamplingMode::Flat);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(5));
    for n in sizes {
        let t = Instant::now();
        let generated = generate(Spec::new(n, 2_000));
        let run = workspace::check_sources(generated.source_db());
        let model = run.model;
        let once = Instant::now();
        let ev = evaluate(&model, &rules);
        eprintln!(
            "[opsplan bench] n={n}: mission built in {:.1?}; one evaluation of {RULES} rules: {:.0?}, {} violations, {} unknown",
            once - t,
            once.elapsed(),
            ev.violations.len(),
            ev.unknown.len()
        );
        // Where the time goes: each kind's rules on their own.
        let mut kinds: Vec<&str> = rules.iter().map(|r| r.check.kind_name()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        for kind in kinds {
            let of_kind: Vec<&FlightRule> = rules
                .iter()
                .copied()
                .filter(|r| r.check.kind_name() == kind)
                .collect();
            let t = Instant::now();
            let ev = evaluate(&model, &of_kind);
            eprintln!(
                "[opsplan bench]   {kind:<20} {} rules: {:>8.1?}, {} violations",
                of_kind.len(),
                t.elapsed(),
                ev.violations.len()
            );
        }
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| evaluate(black_box(&model), black_box(&rules)))
        });
    }
    g.finish();
    c.final_summary();
}
