//! Verification evidence at scale (issue #20, item 4): 100,000 JUnit test cases, each
//! naming a requirement of a 10,000-requirement module by a `<property>`, added to a
//! trace. The target: the evidence adds under 0.5 s to `opsplan trace`.
//!
//! Criterion group `evidence`:
//! - `trace_without_evidence`: `trace::trace` of a small plan over the module;
//! - `junit_read`: `trace::evidence::junit::read` of the 100,000 test cases (about 15 MB);
//! - `trace_with_evidence`: reading them and the trace with them (the difference with the
//!   first is what evidence adds).
//!
//! `cargo bench --bench evidence` (under a minute on 2 cores). Results in BENCHMARKS.md.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{Criterion, SamplingMode};
use opsplan::reqs::{fingerprint, Export, HeadingPath, ReqLocation, ReqObject};
use opsplan::source::FileId;
use opsplan::trace::evidence::junit;
use opsplan::trace::{trace, Inputs, TracePolicy};
use std::hint::black_box;
use std::time::Duration;

const REQUIREMENTS: usize = 10_000;
const CASES: usize = 100_000;

fn module() -> Export {
    let path = HeadingPath::from_labels(["Qualification"]);
    let objects = (0..REQUIREMENTS)
        .map(|i| {
            let id = format!("OPS-TOR-{i:05}");
            let text = format!("Tool operational requirement {i}.");
            ReqObject {
                fingerprint: fingerprint(&id, None, &text),
                id,
                is_heading: false,
                heading: None,
                text,
                level: Some(2),
                path: path.clone(),
                module: Some("TOR".into()),
                attributes: Default::default(),
                links: Vec::new(),
                location: ReqLocation::Text {
                    line: i + 2,
                    column: 1,
                },
            }
        })
        .collect();
    Export {
        file: None,
        objects,
        dangling_links: 0,
        ..Export::default()
    }
}

/// 100,000 test cases: one in 50 failed, one in 100 skipped.
fn junit_file() -> String {
    let mut s =
        String::from("<?xml version=\"1.0\"?>\n<testsuites>\n<testsuite name=\"qualification\">\n");
    for i in 0..CASES {
        let id = format!("OPS-TOR-{:05}", i % REQUIREMENTS);
        s.push_str(&format!(
            "<testcase classname=\"ops_tor::case_{i}\" name=\"verifies_{i}\" time=\"0.001\">\
             <properties><property name=\"requirements\" value=\"{id}\"/></properties>"
        ));
        if i % 50 == 7 {
            s.push_str("<failure message=\"expected a finding\">assertion failed</failure>");
        } else if i % 100 == 3 {
            s.push_str("<skipped/>");
        }
        s.push_str("</testcase>\n");
    }
    s.push_str("</testsuite>\n</testsuites>\n");
    s
}

const PLAN: &str = "plan P {\n  horizon 2014/272 00:00 .. 2014/279 00:00\n  roles FD\n  activity A1 \"x\" { at 2014/273 08:00 lasts 30m by FD covers OPS-TOR-00001 }\n}\n";

fn main() {
    let run = opsplan::workspace::check_texts(&[("p.plan", PLAN)]);
    let exports = vec![module()];
    let text = junit_file();
    let policy = TracePolicy::default();
    let naming = junit::Naming {
        property: Some("requirements"),
        pattern: None,
        fold: false,
    };
    // Sanity: every case read, every requirement verified, failed or partially verified.
    let (items, diags) = junit::read(FileId(0), &text, &naming);
    assert!(diags.is_empty() && items.len() == CASES);
    let t = trace(&Inputs {
        model: &run.model,
        rule_sets: &run.rule_sets,
        sources: &run.sources,
        exports: &exports,
        baseline: None,
        policy: &policy,
        evidence: Some(&items),
    });
    let e = t.evidence.as_ref().expect("evidence");
    assert_eq!(e.summary.counted, REQUIREMENTS);
    eprintln!(
        "[opsplan bench] {CASES} test cases ({:.1} MiB), {REQUIREMENTS} requirements: {:?}",
        text.len() as f64 / (1024.0 * 1024.0),
        e.summary.by_status
    );

    let mut c = Criterion::default()
        .measurement_time(Duration::from_secs(10))
        .warm_up_time(Duration::from_secs(1))
        .configure_from_args();
    let mut g = c.benchmark_group("evidence");
    g.sampling_mode(SamplingMode::Flat).sample_size(10);
    let no_evidence = || {
        trace(&Inputs {
            model: &run.model,
            rule_sets: &run.rule_sets,
            sources: &run.sources,
            exports: &exports,
            baseline: None,
            policy: &policy,
            evidence: None,
        })
    };
    g.bench_function("trace_without_evidence", |b| {
        b.iter(|| black_box(no_evidence()))
    });
    g.bench_function("junit_read", |b| {
        b.iter(|| black_box(junit::read(FileId(0), &text, &naming)))
    });
    g.bench_function("trace_with_evidence", |b| {
        b.iter(|| {
            let (items, _) = junit::read(FileId(0), &text, &naming);
            black_box(trace(&Inputs {
                model: &run.model,
                rule_sets: &run.rule_sets,
                sources: &run.sources,
                exports: &exports,
                baseline: None,
                policy: &policy,
                evidence: Some(&items),
            }))
        })
    });
    g.finish();
    c.final_summary();
}
