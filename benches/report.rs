//! Benchmarks of the consistency report (issue #5) on generated plans (see
//! `benches/generate`): 10,000 and 100,000 activities, each in two variants: as generated
//! (clean), and with one activity in a hundred given an undefined role (an R004 error
//! each, so the report draws day pages and lists a thousand findings with excerpts).
//!
//! - `report_view`: `report::consistency::view` of a finished check run (findings grouped,
//!   excerpts, timeline geometry, provenance hashes);
//! - `report_html`: rendering that view with the embedded tera templates;
//! - `report_total`: check + view + HTML, what `opsplan report consistency` does between
//!   reading the files and writing the report.
//!
//! The missions are written to `target/bench-plans/<n>/` and `<n>-defects/` first, so the
//! CLI can be timed on the same input. `OPSPLAN_BENCH_MAX=10000` skips the 100k size.
//! Run with `cargo bench --bench report`; results in BENCHMARKS.md.

mod generate;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput};
use generate::{generate, Spec};
use opsplan::report::{consistency, Provenance, Templates};
use opsplan::workspace;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

const SIZES: [usize; 2] = [10_000, 100_000];
const PROCEDURES: usize = 2_000;
/// One activity in this many gets an undefined role in the defects variant.
const DEFECT_EVERY: usize = 100;

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let max: usize = std::env::var("OPSPLAN_BENCH_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
    let mut c = Criterion::default().configure_from_args();
    let sizes: Vec<usize> = if full {
        SIZES.iter().copied().filter(|&n| n <= max).collect()
    } else {
        vec![1_000]
    };
    for n in sizes {
        let g = generate(Spec::new(n, PROCEDURES));
        let clean = bench_dir().join(n.to_string());
        let defects = bench_dir().join(format!("{n}-defects"));
        write(&g.plan, &g.procedures, &clean);
        write(&with_defects(&g.plan), &g.procedures, &defects);
        for (variant, dir) in [("clean", &clean), ("defects", &defects)] {
            bench_one(&mut c, n, variant, dir);
        }
    }
    c.final_summary();
}

fn bench_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("bench-plans")
}

fn write(plan: &str, procedures: &str, dir: &Path) {
    let go = || -> std::io::Result<()> {
        std::fs::create_dir_all(dir.join("procedures"))?;
        std::fs::write(dir.join(generate::Generated::PLAN_FILE), plan)?;
        std::fs::write(dir.join(generate::Generated::PROC_FILE), procedures)
    };
    go().unwrap_or_else(|e| panic!("cannot write {}: {e}", dir.display()));
}

/// The plan with `by X` of every [`DEFECT_EVERY`]th activity replaced by an undefined
/// role (`by NO-SUCH-ROLE`): one R004 error per changed activity.
fn with_defects(plan: &str) -> String {
    let mut out = String::with_capacity(plan.len() + 4096);
    let mut seen = 0usize;
    let mut pending = false;
    for line in plan.split_inclusive('\n') {
        if line.trim_start().starts_with("activity ") {
            seen += 1;
            pending = seen % DEFECT_EVERY == 0;
        }
        if pending {
            if let Some(at) = line.find(" by ") {
                let rest = &line[at + 4..];
                let end = rest
                    .find(|c: char| c.is_whitespace() || c == '}')
                    .unwrap_or(rest.len());
                out.push_str(&line[..at + 4]);
                out.push_str("NO-SUCH-ROLE");
                out.push_str(&rest[end..]);
                pending = false;
                continue;
            }
        }
        out.push_str(line);
    }
    out
}

fn bench_one(c: &mut Criterion, n: usize, variant: &str, dir: &Path) {
    let paths = vec![dir.to_path_buf()];
    let run = workspace::check_paths(&paths).expect("generated mission loads");
    let templates = Templates::embedded();
    let view = consistency::view(&run, Provenance::of_sources(&run.sources));
    let html = templates
        .render("consistency.html", &view)
        .expect("renders");
    eprintln!(
        "[opsplan bench] report n={n} {variant}: {} findings, {} timeline pages ({}), HTML {:.1} MiB; written to {}",
        view.findings.len(),
        view.timelines.iter().map(|t| t.pages.len()).sum::<usize>(),
        view.timelines.first().map_or("none", |t| t.mode),
        html.len() as f64 / (1024.0 * 1024.0),
        dir.display()
    );
    let id = BenchmarkId::new(variant, n);
    let mut g = c.benchmark_group("report");
    g.throughput(Throughput::Elements(n as u64));
    g.sample_size(10);
    g.sampling_mode(SamplingMode::Flat);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(if n >= 100_000 { 8 } else { 3 }));
    g.bench_function(BenchmarkId::new(format!("view/{variant}"), n), |b| {
        b.iter(|| consistency::view(black_box(&run), Provenance::of_sources(&run.sources)))
    });
    g.bench_function(BenchmarkId::new(format!("html/{variant}"), n), |b| {
        b.iter(|| {
            templates
                .render("consistency.html", black_box(&view))
                .unwrap()
        })
    });
    g.bench_function(id, |b| {
        b.iter_batched(
            || (),
            |()| {
                let run = workspace::check_paths(black_box(&paths)).unwrap();
                let view = consistency::view(&run, Provenance::of_sources(&run.sources));
                let html = templates.render("consistency.html", &view).unwrap();
                (run, html)
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}
