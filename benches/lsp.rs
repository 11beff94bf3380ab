//! The language server driven in process (`lsp::Server` over
//! `lsp_server::Connection::memory()`): from a one-line `didChange` to the
//! `publishDiagnostics` of the edited document, on the example mission
//! (examples/atv5-week40, with its flight rules and requirement exports; target ≤ 50 ms)
//! and on a generated plan of 100,000 activities with 2,000 procedures (see
//! `benches/generate`; target ≤ 300 ms).
//!
//! Run with `cargo bench --bench lsp` (add `-- --quick` on a shared machine); results are
//! in BENCHMARKS.md, "Language server". `cargo test --benches` runs the example mission
//! only, once.

mod generate;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::Criterion;
use generate::{generate, Generated, Spec};
use lsp_server::{Connection, Message, Notification};
use opsplan::lsp::{position::path_to_uri, Server};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A server on a thread and the client's end of its connection.
struct Session {
    client: Connection,
    uri: String,
    version: i32,
    thread: Option<std::thread::JoinHandle<u8>>,
}

impl Session {
    /// Starts a server, initializes it and opens `plan`; waits for its first findings.
    fn open(plan: &Path) -> Session {
        let (server, client) = Connection::memory();
        let thread = std::thread::spawn(move || Server::new(server).run());
        let text = std::fs::read_to_string(plan).expect("the plan");
        let uri = path_to_uri(&std::fs::canonicalize(plan).expect("the plan"))
            .as_str()
            .to_string();
        let s = Session {
            client,
            uri,
            version: 1,
            thread: Some(thread),
        };
        s.send(Message::Request(lsp_server::Request::new(
            1.into(),
            "initialize".to_string(),
            json!({"capabilities": {}}),
        )));
        s.notify("initialized", json!({}));
        s.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": s.uri, "languageId": "opsplan", "version": 1, "text": text}}),
        );
        let t = Instant::now();
        s.wait_published(1);
        eprintln!(
            "[opsplan bench] lsp: {} opened and checked in {:.0?}",
            plan.display(),
            t.elapsed()
        );
        s
    }

    fn send(&self, m: Message) {
        self.client.sender.send(m).expect("the server runs");
    }

    fn notify(&self, method: &str, params: serde_json::Value) {
        self.send(Message::Notification(Notification::new(
            method.to_string(),
            params,
        )));
    }

    /// Waits for the edited document's findings of `version`; returns how many.
    fn wait_published(&self, version: i32) -> usize {
        loop {
            let m = self
                .client
                .receiver
                .recv_timeout(Duration::from_secs(600))
                .expect("the server answers");
            if let Message::Notification(n) = m {
                if n.method == "textDocument/publishDiagnostics"
                    && n.params["uri"] == self.uri
                    && n.params["version"] == version
                {
                    return n.params["diagnostics"].as_array().map_or(0, Vec::len);
                }
            }
        }
    }

    /// One edit of one line (a comment added on the first line, then taken off again)
    /// and its findings.
    fn edit(&mut self) -> usize {
        self.version += 1;
        let change = if self.version % 2 == 0 {
            json!({"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                   "text": "// edited\n"})
        } else {
            json!({"range": {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}},
                   "text": ""})
        };
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": self.uri, "version": self.version},
                   "contentChanges": [change]}),
        );
        self.wait_published(self.version)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.send(Message::Request(lsp_server::Request::new(
            2.into(),
            "shutdown".to_string(),
            serde_json::Value::Null,
        )));
        self.notify("exit", serde_json::Value::Null);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// What an edit of the large plan costs, part by part (printed once, for BENCHMARKS.md):
/// the parse of the plan alone, a whole check without a session, and a check in a
/// session whose cache holds the library (the plan's text changed).
fn breakdown(dir: &Path, g: &Generated) {
    use opsplan::workspace::{self, session};
    let paths = vec![dir.to_path_buf()];
    let options = workspace::CheckOptions::default();
    let t = Instant::now();
    let _ = opsplan::syntax::parse(opsplan::source::FileId(0), &g.plan);
    let parse = t.elapsed();
    let t = Instant::now();
    let _ = workspace::check_with(&paths, &options).expect("checked");
    let whole = t.elapsed();
    let s = std::sync::Arc::new(session::Session::new());
    let _ = session::check_in(&s, &paths, &options).expect("checked");
    s.set_text(
        &dir.join(Generated::PLAN_FILE),
        format!("// edited\n{}", g.plan),
    );
    let t = Instant::now();
    let _ = session::check_in(&s, &paths, &options).expect("checked");
    let cached = t.elapsed();
    eprintln!(
        "[opsplan bench] lsp: 100k breakdown: parse of the plan alone {parse:.0?}; check_with \
         (no session) {whole:.0?}; check_in with the library cached {cached:.0?} \
         (parsed {:?}, from the cache {:?})",
        s.last_parse_stats().0,
        s.last_parse_stats().1
    );
}

fn bench_plans_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("bench-plans")
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let mut c = Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(5))
        .warm_up_time(Duration::from_secs(1))
        .configure_from_args();
    let example =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/atv5-week40/atv5-week40.plan");
    let mut s = Session::open(&example);
    let t = Instant::now();
    let n = s.edit();
    eprintln!(
        "[opsplan bench] lsp: one edit of the example mission: {n} findings in {:.0?}",
        t.elapsed()
    );
    c.bench_function("lsp/didChange→publishDiagnostics/atv5-week40", |b| {
        b.iter(|| s.edit())
    });
    drop(s);
    if full {
        let dir = bench_plans_dir().join("lsp-100000");
        let g = generate(Spec::new(100_000, 2_000));
        g.write_to(&dir).expect("the generated mission is written");
        let mut s = Session::open(&dir.join(Generated::PLAN_FILE));
        let t = Instant::now();
        let n = s.edit();
        eprintln!(
            "[opsplan bench] lsp: one edit of the 100,000-activity plan: {n} findings in {:.0?}",
            t.elapsed()
        );
        c.bench_function("lsp/didChange→publishDiagnostics/100000", |b| {
            b.iter(|| s.edit())
        });
        breakdown(&dir, &g);
    }
    c.final_summary();
}
