//! The language server's symbol index (`lsp::semantic::Index::build`) on generated plans
//! (`benches/generate`): 1,000, 10,000 and 100,000 activities with the 2,000-procedure
//! library, each checked once (`workspace::check_sources`), then the index built five
//! times, the fastest and the median printed; then one hover, one definition and one
//! completion in the middle of the plan, timed once each.
//!
//! Run with `cargo bench --bench semantic` (release); `cargo test --benches` runs the
//! smallest size only. The index must build in well under 100 ms at 100,000 activities.

mod generate;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use generate::{generate, Spec};
use opsplan::lsp::semantic::{complete, definition, hover, Index};
use opsplan::source::FileId;
use opsplan::workspace;
use std::hint::black_box;
use std::time::{Duration, Instant};

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];
const PROCEDURES: usize = 2_000;

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let sizes: &[usize] = if full { &SIZES } else { &SIZES[..1] };
    for &n in sizes {
        let g = generate(Spec::new(n, PROCEDURES));
        let run = workspace::check_sources(g.source_db());
        assert_eq!(run.model.plans[0].activities.len(), n);
        let mut times: Vec<Duration> = Vec::new();
        let mut index = Index::default();
        for _ in 0..5 {
            let t = Instant::now();
            index = black_box(Index::build(&run));
            times.push(t.elapsed());
        }
        times.sort();
        let plan = FileId(0);
        let text = run.sources.text(plan);
        // The middle activity's id.
        let mid = &run.model.plans[0].activities[n / 2].ast.id;
        let at = mid.span.start as usize;
        let t = Instant::now();
        let h = hover(&run, &index, plan, at);
        let hover_time = t.elapsed();
        let t = Instant::now();
        let d = definition(&run, &index, plan, at);
        let def_time = t.elapsed();
        // After the first `after ` of the second half of the plan.
        let after = text[at..]
            .find("after ")
            .map_or(at, |k| at + k + "after ".len());
        let t = Instant::now();
        let c = complete(&run, &index, plan, text, after);
        let complete_time = t.elapsed();
        assert!(h.is_some() && !d.is_empty());
        eprintln!(
            "[opsplan bench semantic] n={n}: {} places; Index::build min {:.1?}, median {:.1?}; \
             hover {:.1?}, definition {:.1?}, completion ({} items) {:.1?}",
            index.len(),
            times[0],
            times[times.len() / 2],
            hover_time,
            def_time,
            c.len(),
            complete_time
        );
    }
}
