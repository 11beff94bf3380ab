//! Helpers shared by the integration tests (`mod common;` in each test file).

use std::path::Path;

/// Copies the folder `from` into `to` (created), recursively.
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
