//! Helpers shared by the integration tests (`mod common;` in each test file).

use std::path::Path;

/// Runs `command` and returns (exit code, stdout, stderr), both UTF-8.
#[allow(dead_code)]
pub fn output_of(command: &mut assert_cmd::Command) -> (Option<i32>, String, String) {
    let out = command.output().expect("the command runs");
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    )
}

/// The monthly report's mission folder (tests/monthly_*.rs).
#[allow(dead_code)]
pub mod mission;

/// A JSON-RPC client of `opsplan lsp` (tests/lsp_stdio.rs).
#[allow(dead_code)]
pub mod lsp;

/// A finding of `opsplan check --format json`: (code, file name, line, message).
#[allow(dead_code)]
pub type Finding = (String, String, u64, String);

/// The findings of the JSON `opsplan check --format json` printed (`out`; `err` is shown
/// when it is not JSON), in the order printed.
#[allow(dead_code)]
pub fn json_findings(out: &str, err: &str) -> Vec<Finding> {
    let v: serde_json::Value =
        serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let file = d["file"].as_str().unwrap_or("");
            let name = Path::new(file)
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            (
                d["code"].as_str().expect("a code").to_string(),
                name,
                d["line"].as_u64().unwrap_or(0),
                d["message"].as_str().expect("a message").to_string(),
            )
        })
        .collect()
}

/// Copies the folder `from` into `to` (created), recursively.
#[allow(dead_code)]
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("the folder is created");
    for e in std::fs::read_dir(from).expect("the folder is readable") {
        let p = e.expect("an entry").path();
        let dest = to.join(p.file_name().expect("a name"));
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).expect("the file is copied");
        }
    }
}

/// The address-space limit hostile-input tests run the binary under: a regression to a
/// memory bomb fails the test (allocation failure, exit non-zero) instead of the machine.
#[allow(dead_code)]
pub const HOSTILE_MEMORY_KIB: u64 = 2 * 1024 * 1024;

/// The CPU-time limit (seconds) of the same runs; a wall-clock bound is set as well.
#[allow(dead_code)]
pub const HOSTILE_CPU_SECONDS: u64 = 60;

/// A command running `opsplan` under `HOSTILE_MEMORY_KIB` of address space and
/// `HOSTILE_CPU_SECONDS` of CPU time (through `sh -c 'ulimit …; exec …'`), with a
/// wall-clock timeout of twice the CPU limit. Add arguments with `.arg(..)` as usual.
#[allow(dead_code)]
pub fn limited() -> assert_cmd::Command {
    let bin = env!("CARGO_BIN_EXE_opsplan");
    let mut cmd = assert_cmd::Command::new("sh");
    cmd.arg("-c")
        .arg(format!(
            "ulimit -v {HOSTILE_MEMORY_KIB} && ulimit -t {HOSTILE_CPU_SECONDS} && exec \"$0\" \"$@\""
        ))
        .arg(bin)
        .timeout(std::time::Duration::from_secs(2 * HOSTILE_CPU_SECONDS));
    cmd
}

/// Limits this test process to `HOSTILE_MEMORY_KIB` of address space (once): the
/// in-process hostile tests then fail with an allocation error, not an OOM-killed machine.
#[allow(dead_code)]
pub fn limit_this_process() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let bytes = (HOSTILE_MEMORY_KIB * 1024) as libc::rlim_t;
        let limit = libc::rlimit {
            rlim_cur: bytes,
            rlim_max: bytes,
        };
        // SAFETY: setrlimit reads the struct it is given; no memory is shared.
        let rc = unsafe { libc::setrlimit(libc::RLIMIT_AS, &limit) };
        assert_eq!(rc, 0, "setrlimit(RLIMIT_AS) is allowed to lower the limit");
    });
}
