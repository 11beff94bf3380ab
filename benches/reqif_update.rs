//! The ReqIF write-back at scale (issue #20): `opsplan trace --format reqif-update` on a
//! generated DOORS Classic module of 10,000 requirements (`benches/generate/reqif.rs`,
//! the write-back attributes added by `reqs::reqif_update::with_writeback_definitions`)
//! against `opsplan trace` on it. Target: the write-back within 1.5× the trace.
//!
//! Criterion group `reqif_update`, both in process and from the texts (no disk):
//! - `trace/10000`: what `opsplan trace` does: the mission checked
//!   (`workspace::check_texts`), the module imported, the trace;
//! - `write_back/10000`: the same, then the write-back rows, the splice
//!   (`reqif_update::update`) and the check that reads input and output back
//!   (`reqif_update::verify`, the two reads on two threads);
//! - `splice/10000` and `verify/10000`: those two steps alone.
//!
//! `cargo bench --bench reqif_update` (about a minute on 2 cores). Results in
//! BENCHMARKS.md.

mod generate;

// The allocator of the shipped binary (src/main.rs), so that timings match the CLI.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{BatchSize, BenchmarkId, Criterion, SamplingMode};
use generate::reqif::{mission, reqif};
use opsplan::reqs::reqif::import_reqif;
use opsplan::reqs::reqif_update::{self, Column, Updates};
use opsplan::reqs::Export;
use opsplan::trace::writeback::{rows, WritebackConfig, COVERAGE_VALUES};
use opsplan::trace::{trace, Inputs, Trace, TracePolicy};
use opsplan::workspace::{self, Run};
use std::collections::HashMap;
use std::hint::black_box;
use std::time::Duration;

const N: usize = 10_000;
const STAMP: &str = "2014-09-30T11:13:20Z";

fn columns() -> Vec<Column> {
    vec![
        Column {
            name: "OPS Coverage".into(),
            values: Some(COVERAGE_VALUES.iter().map(|v| v.to_string()).collect()),
        },
        Column {
            name: "OPS Covered By".into(),
            values: None,
        },
    ]
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

/// The per-object values of a trace, as `cli::reqif_update` builds them.
type Expected = HashMap<(Option<String>, String), Vec<(String, String)>>;

fn updates(run: &Run, export: &Export, t: &Trace) -> (Updates, Expected) {
    let config = WritebackConfig::default();
    let locate = |span: opsplan::source::Span| {
        let lc = run.sources.line_col(span.file, span.start as usize);
        format!("{}:{}", run.sources.name(span.file), lc.line)
    };
    let exports = std::slice::from_ref(export);
    let (header, rows) = rows(t, exports, &config, &locate).expect("every object has a key");
    let mut order: Vec<_> = t.requirements.iter().collect();
    order.sort_by_key(|r| (r.export, r.object));
    let mut out = Vec::with_capacity(rows.len());
    let mut expected = HashMap::new();
    for (r, row) in order.iter().zip(&rows) {
        let o = t.object(exports, r);
        let (_, ident) = reqif_update::object_ident(o).expect("a SPEC-OBJECT");
        let values = vec![
            (header[1].clone(), row.coverage.to_string()),
            (header[2].clone(), row.covered_by.clone()),
        ];
        expected.insert((None, ident.to_string()), values.clone());
        out.push((ident.to_string(), values));
    }
    (out, expected)
}

fn main() {
    let mut reqs = reqif(N);
    let m = mission(&reqs);
    let texts = m.files();
    let bytes = reqif_update::with_writeback_definitions(
        reqs.reqif.as_bytes(),
        "OPS Coverage",
        "OPS Covered By",
        &COVERAGE_VALUES,
    )
    .expect("the generated module");
    reqs.reqif = String::from_utf8(bytes).expect("UTF-8");
    let bytes = reqs.reqif.as_bytes();
    let policy = TracePolicy::default();
    let names: Vec<String> = columns().into_iter().map(|c| c.name).collect();

    // Once, outside the timings: the run, and a write-back checked.
    let run = workspace::check_texts(&texts);
    let (export, diags) = import_reqif(opsplan::source::FileId(999), bytes);
    assert!(diags.is_empty(), "{diags:#?}");
    let t = trace(&inputs(&run, &export, &policy));
    let (u, expected) = updates(&run, &export, &t);
    let updated = reqif_update::update(bytes, &columns(), &u, STAMP).expect("written");
    assert_eq!(updated.changed.len(), N);
    reqif_update::verify(bytes, &updated.bytes, &names, &expected).expect("only the values");

    let mut c = Criterion::default().configure_from_args();
    let mut g = c.benchmark_group("reqif_update");
    g.sample_size(10);
    g.sampling_mode(SamplingMode::Flat);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(5));
    g.bench_function(BenchmarkId::new("trace", N), |b| {
        b.iter_batched(
            || (),
            |()| {
                let run = workspace::check_texts(black_box(&texts));
                let (export, diags) = import_reqif(opsplan::source::FileId(999), bytes);
                let t = trace(&inputs(&run, &export, &policy));
                (run, export, diags, t)
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function(BenchmarkId::new("write_back", N), |b| {
        b.iter_batched(
            || (),
            |()| {
                let run = workspace::check_texts(black_box(&texts));
                let (export, diags) = import_reqif(opsplan::source::FileId(999), bytes);
                let t = trace(&inputs(&run, &export, &policy));
                let (u, expected) = updates(&run, &export, &t);
                let out = reqif_update::update(bytes, &columns(), &u, STAMP).expect("written");
                reqif_update::verify(bytes, &out.bytes, &names, &expected).expect("checked");
                (run, export, diags, t, out)
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function(BenchmarkId::new("splice", N), |b| {
        b.iter_batched(
            || (),
            |()| reqif_update::update(black_box(bytes), &columns(), &u, STAMP),
            BatchSize::PerIteration,
        )
    });
    g.bench_function(BenchmarkId::new("verify", N), |b| {
        b.iter_batched(
            || (),
            |()| reqif_update::verify(black_box(bytes), &updated.bytes, &names, &expected),
            BatchSize::PerIteration,
        )
    });
    g.finish();
    c.final_summary();
}
