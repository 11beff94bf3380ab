//! Scenario judging in memory linear in activities + injects: 3,000 injects over 3,000
//! activities that all run at every inject (360 KB of input) took 1.85 GB when every
//! inject kept its running activities and a copy of their contingency paths; and 10,000
//! procedures whose shared contingency calls 10,000 others made paths of 10,000 each
//! (7.5 GB). Both now run under 512 MiB of address space (the binary, its threads and
//! its allocator's reservations included).

// Only `limited()` is used here.
#[allow(dead_code)]
mod common;

use std::path::Path;
use std::time::Instant;

/// Address space for these runs: a quarter of `common::HOSTILE_MEMORY_KIB`.
const MEMORY_KIB: u64 = 512 * 1024;

/// `opsplan` under [`MEMORY_KIB`] of address space and the CPU limit of
/// `common::limited()`.
fn limited_to_512_mib() -> assert_cmd::Command {
    let bin = env!("CARGO_BIN_EXE_opsplan");
    let mut cmd = assert_cmd::Command::new("sh");
    cmd.arg("-c")
        .arg(format!(
            "ulimit -v {MEMORY_KIB} && ulimit -t {} && exec \"$0\" \"$@\"",
            common::HOSTILE_CPU_SECONDS
        ))
        .arg(bin)
        .timeout(std::time::Duration::from_secs(
            2 * common::HOSTILE_CPU_SECONDS,
        ));
    cmd
}

fn run(dir: &Path, what: &str) -> (i32, serde_json::Value) {
    let t = Instant::now();
    let out = limited_to_512_mib()
        .args(["check", "--no-config", "--format", "json"])
        .arg(dir)
        .output()
        .expect("runs");
    eprintln!("[scenario_scale] {what}: {:.1?}", t.elapsed());
    let code = out.status.code().unwrap_or_else(|| {
        panic!(
            "{what}: killed ({:?}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{what}: exit {code}, not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, json)
}

fn count(json: &serde_json::Value, code: &str) -> usize {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == code)
        .count()
}

#[test]
fn three_thousand_injects_over_three_thousand_running_activities() {
    let (n, k) = (3_000, 3_000);
    let dir = tempfile::tempdir().unwrap();
    let mut plan =
        String::from("plan P {\n  horizon 2014/275 00:00 .. 2014/285 00:00\n  roles FD, CREW\n");
    for i in 0..n {
        plan.push_str(&format!(
            "  activity A{i} {{ at 2014/275 00:00 lasts 9d by FD procedure PR }}\n"
        ));
    }
    plan.push_str("}\n");
    std::fs::write(dir.path().join("p.plan"), plan).unwrap();
    std::fs::write(
        dir.path().join("lib.proc"),
        "procedure PR { roles FD   contingency C   handles E0   step 1 { manual FD \"x\" } }\n\
         procedure C { family CRP   roles FD   handles EV0   step 1 { manual FD \"y\" } }\n",
    )
    .unwrap();
    let mut scn = String::from("scenario S {\n  plan P\n  trainees FD, CREW\n");
    for i in 0..k {
        // Every fifth inject is handled (by C, on every running activity's path).
        scn.push_str(&format!(
            "  inject EV{} at A0.start + {}s {{ expect C }}\n",
            i % 5,
            i + 100
        ));
    }
    scn.push_str("}\n");
    std::fs::write(dir.path().join("s.scn"), scn).unwrap();
    let (code, json) = run(dir.path(), "3,000 injects over 3,000 running activities");
    assert_eq!(code, 1);
    // The findings of the quadratic version: every unhandled inject once (S005), and
    // for each, C on the path but not handling its event (S006).
    assert_eq!(count(&json, "S005"), k * 4 / 5);
    assert_eq!(count(&json, "S006"), k * 4 / 5);
    let first = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "S005")
        .unwrap();
    assert_eq!(
        first["message"],
        "no contingency path of the procedures of A0, A1, A2, A3, A4, A5, A6, A7 and 2992 more handles `EV1`"
    );
}

#[test]
fn ten_thousand_procedures_leading_to_one_that_calls_ten_thousand() {
    let n = 10_000;
    let dir = tempfile::tempdir().unwrap();
    let mut plan =
        String::from("plan P {\n  horizon 2014/275 00:00 .. 2014/285 00:00\n  roles FD\n");
    for i in 0..n {
        plan.push_str(&format!(
            "  activity A{i} {{ at 2014/275 00:00 lasts 9d by FD procedure P{i} }}\n"
        ));
    }
    plan.push_str("}\n");
    std::fs::write(dir.path().join("p.plan"), plan).unwrap();
    let mut lib = String::new();
    for i in 0..n {
        lib.push_str(&format!(
            "procedure P{i} {{ contingency HUB   step 1 {{ manual FD \"x\" }} }}\n"
        ));
    }
    lib.push_str("procedure HUB { family CRP   step 1 {");
    for i in 0..n {
        lib.push_str(&format!(" call Q{i}"));
    }
    lib.push_str(" } }\n");
    for i in 0..n {
        lib.push_str(&format!(
            "procedure Q{i} {{ family CRP   step 1 {{ manual FD \"q\" }} }}\n"
        ));
    }
    std::fs::write(dir.path().join("lib.proc"), lib).unwrap();
    std::fs::write(
        dir.path().join("s.scn"),
        "scenario S {\n  plan P\n  inject EV at 2014/276 00:00\n}\n",
    )
    .unwrap();
    let (code, json) = run(dir.path(), "10,000 paths through a 10,000-call contingency");
    assert_eq!(code, 1);
    assert_eq!(count(&json, "S005"), 1);
}
