//! Flight rules at scale: all 50 generated rules (every constraint kind) evaluated together
//! on generated plans of 10,000, 100,000 and 1,000,000 activities; and loading 16,000
//! generated rules from YAML, in block style and on one line (`load-rules`).
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
    dense_windows(&mut c);
    load_rules(&mut c);
    c.final_summary();
}

/// Issue #14: a periodic window of period 1 s over 100 years (3.2 billion occurrences)
/// and a daily window over the same century, read by every window check at once: `needs`
/// (T007), `requires coverage` (P010), `requires_window`, `forbidden_window` and
/// `crew_day`'s sleep, for 1,000 activities spread over the century. The windows are never
/// expanded, so the whole check takes milliseconds (target: well under a second).
fn dense_windows(c: &mut Criterion) {
    let mut plan = String::from(
        "plan CENTURY {\n  horizon 1950/001 00:00 .. 2050/001 00:00\n  roles GC, CREW\n  roles FE-5 in CREW\n  window TICK every 2s lasting 1s from 1950/001 00:00\n  window NIGHT kind sleep daily 22:00 .. 06:00\n",
    );
    for i in 0..1_000u32 {
        // One a month or so, over the century, each 10 s long at an odd second: TICK
        // cannot hold it (T007), NIGHT can.
        let year = 1950 + i / 10;
        let day = 1 + (i % 10) * 36;
        plan.push_str(&format!(
            "  activity A{i} {{ at {year}/{day:03} 23:00:01   lasts 10s   by FE-5   needs TICK | NIGHT   procedure WATCH }}\n"
        ));
    }
    plan.push_str("}\nprocedure WATCH { roles CREW, GC   requires coverage TICK | NIGHT   step 1 { manual GC \"Watch\" } }\n");
    let rules = "rules:\n  - id: W1\n    title: inside the ticks\n    kind: requires_window\n    select: { role: CREW }\n    windows: [TICK]\n  - id: W2\n    title: away from the ticks\n    kind: forbidden_window\n    select: { role: CREW }\n    windows: [TICK]\n  - id: W3\n    title: crew rest\n    kind: crew_day\n    select: { role: CREW }\n    sleep: NIGHT\n";
    let files = [("century.plan", plan.as_str()), ("rules.yaml", rules)];
    let once = workspace::check_texts(&files);
    eprintln!(
        "[opsplan bench] dense windows: {} findings over a century of 1-second occurrences",
        once.diagnostics.len()
    );
    let mut g = c.benchmark_group("dense-windows");
    g.sample_size(10);
    g.sampling_mode(SamplingMode::Flat);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(3));
    g.bench_function("1s-period-100-years", |b| {
        b.iter(|| workspace::check_texts(black_box(&files)))
    });
    g.finish();
}

/// Issue 15: loading 16,000 rules (every kind, generated), in block style and all on one
/// line (a flow list). Loading is linear in the file: rule texts are found by one scan
/// and line starts by binary search (one-line files took seconds per thousand rules).
fn load_rules(c: &mut Criterion) {
    const N: usize = 16_000;
    let block = generate::flight_rules(N);
    let (set, errors) = load(FileId(0), &block);
    assert!(errors.is_empty() && set.rules.len() == N, "{errors:#?}");
    // The same rules as one flow list on one line.
    let value: serde_yaml::Value = serde_yaml::from_str(&block).expect("generated YAML");
    let one_line = format!("{}\n", flow_yaml(&value));
    let (set, errors) = load(FileId(0), &one_line);
    assert!(errors.is_empty() && set.rules.len() == N, "{errors:#?}");
    let mut g = c.benchmark_group("load-rules");
    g.sample_size(10);
    g.sampling_mode(SamplingMode::Flat);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(5));
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("16000-block", |b| {
        b.iter(|| load(FileId(0), black_box(&block)))
    });
    g.bench_function("16000-one-line", |b| {
        b.iter(|| load(FileId(0), black_box(&one_line)))
    });
    g.finish();
}

/// A YAML value written in flow style on one line (`{rules: [{id: GEN-000, …}, …]}`),
/// plain scalars unquoted unless they need quotes.
fn flow_yaml(v: &serde_yaml::Value) -> String {
    use serde_yaml::Value;
    match v {
        Value::Mapping(m) => {
            let items: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", flow_yaml(k), flow_yaml(v)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
        Value::Sequence(s) => {
            let items: Vec<String> = s.iter().map(flow_yaml).collect();
            format!("[{}]", items.join(", "))
        }
        Value::String(t) => {
            let plain = t
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || " -_.*".contains(c))
                && t.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
            if plain {
                t.clone()
            } else {
                format!("{t:?}")
            }
        }
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_string(),
        Value::Tagged(t) => flow_yaml(&t.value),
    }
}
