//! Inputs that are deep rather than big: a plan whose activities each start at the end of
//! the one before, a library whose procedures each call the next, a procedure whose steps
//! each jump to the one before, and cycles as long. Each runs the binary under
//! `common::limited()` (2 GiB of address space, 60 s of CPU): no recursion over input
//! depth (ARCHITECTURE.md), so no stack overflow (a 22,000-activity chain aborted with
//! exit 134 when petgraph's recursive Tarjan ordered the activities).
//!
//! The CLI chains are 100,000 long: a 1,000,000-activity plan takes about 100 s in the
//! debug test build (parsing, not the chain), so the million-long chains are checked at
//! the library level (`model::graph` and `model::scenario` unit tests).

// Only `limited()` is used here.
#[allow(dead_code)]
mod common;

use std::path::{Path, PathBuf};
use std::time::Instant;

const N: usize = 100_000;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("written");
    p
}

/// `opsplan check --no-config --format json PATH` under the limits: exit code and the
/// findings' codes.
fn check(path: &Path, what: &str) -> (i32, Vec<String>, serde_json::Value) {
    let t = Instant::now();
    let out = common::limited()
        .args(["check", "--no-config", "--format", "json"])
        .arg(path)
        .output()
        .expect("runs");
    eprintln!("[deep_chains] {what}: {:.1?}", t.elapsed());
    let code = out.status.code().unwrap_or_else(|| {
        panic!(
            "{what}: killed ({:?}); stderr: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{what}: exit {code}, not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let codes = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().expect("code").to_string())
        .collect();
    (code, codes, json)
}

fn activity_chain(n: usize, cyclic: bool) -> String {
    let mut s = String::from("plan CHAIN {\n");
    if cyclic {
        s.push_str(&format!(
            "  activity A0 {{ after A{}   lasts 1m }}\n",
            n - 1
        ));
    } else {
        s.push_str("  activity A0 { at 2014/275 00:00   lasts 1m }\n");
    }
    for i in 1..n {
        s.push_str(&format!(
            "  activity A{i} {{ at A{}.end   lasts 1m }}\n",
            i - 1
        ));
    }
    s.push_str("}\n");
    s
}

#[test]
fn a_plan_of_100000_activities_each_at_the_previous_end_passes() {
    let dir = tempfile::tempdir().unwrap();
    let plan = write(dir.path(), "chain.plan", &activity_chain(N, false));
    let (code, codes, json) = check(&plan, "100,000 activities chained by `at`");
    assert_eq!(code, 0, "{codes:?}");
    assert!(codes.is_empty(), "{codes:?}");
    assert_eq!(json["summary"]["errors"], 0);
}

#[test]
fn a_cycle_of_100000_activities_is_one_dependency_cycle() {
    let dir = tempfile::tempdir().unwrap();
    let plan = write(dir.path(), "cycle.plan", &activity_chain(N, true));
    let (code, codes, json) = check(&plan, "a cycle of 100,000 activities");
    assert_eq!(code, 1);
    assert_eq!(codes, ["G001"], "one finding for the whole cycle");
    let message = json["diagnostics"][0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("dependency cycle: `A0`, `A99999`, `A99998`"),
        "{}",
        &message[..100]
    );
    assert!(message.ends_with("and `A1` depend on one another in a circle"));
}

fn call_chain(n: usize, cyclic: bool) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i + 1 < n || cyclic {
            s.push_str(&format!(
                "procedure P{i} {{ step 1 {{ call P{} }} }}\n",
                (i + 1) % n
            ));
        } else {
            s.push_str(&format!("procedure P{i} {{ step 1 {{ end }} }}\n"));
        }
    }
    s
}

#[test]
fn a_library_of_100000_procedures_each_calling_the_next_passes() {
    let dir = tempfile::tempdir().unwrap();
    let lib = write(dir.path(), "calls.proc", &call_chain(N, false));
    let (code, codes, _) = check(&lib, "100,000 procedures each calling the next");
    assert_eq!(code, 0, "{codes:?}");
    assert!(codes.is_empty(), "{codes:?}");
}

#[test]
fn a_call_cycle_of_100000_procedures_is_one_call_cycle() {
    let dir = tempfile::tempdir().unwrap();
    let lib = write(dir.path(), "cycle.proc", &call_chain(N, true));
    let (code, codes, _) = check(&lib, "a call cycle of 100,000 procedures");
    assert_eq!(code, 1);
    assert_eq!(codes, ["P004"], "one finding for the whole cycle");
}

#[test]
fn a_procedure_of_100000_steps_each_jumping_back_passes() {
    // Step 1 jumps to the last step, each step from there to the one before, step 2
    // ends: every step is reached, the last one first, through a goto chain as long as
    // the procedure (the unreachable-step and failure-step walks follow it).
    let mut s = String::from("procedure LONG {\n  step S1 { goto S100000 }\n  step S2 { end }\n");
    for i in 3..=N {
        s.push_str(&format!(
            "  step S{i} {{ manual FD \"step {i}\"   goto S{} }}\n",
            i - 1
        ));
    }
    s.push_str("}\n");
    let dir = tempfile::tempdir().unwrap();
    let lib = write(dir.path(), "long.proc", &s);
    let (code, codes, _) = check(&lib, "a procedure of 100,000 steps in a goto chain");
    assert_eq!(code, 0, "{codes:?}");
    assert!(codes.is_empty(), "{codes:?}");
}

/// ARCHITECTURE.md: the grammar has fixed nesting, so no input can make the parser (or
/// the formatter's walk of the parse tree) recurse deeper than the grammar. No rule of
/// grammar/opsplan.pest may reach itself through the rules it names.
#[test]
fn no_grammar_rule_reaches_itself() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/grammar/opsplan.pest"))
            .unwrap();
    // Comments and literals out: what is left is rule names and operators.
    let mut code = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
                code.push('\n');
            }
            '"' | '\'' => {
                let mut escaped = false;
                for d in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if d == '\\' {
                        escaped = true;
                    } else if d == c {
                        break;
                    }
                }
                code.push(' ');
            }
            _ => code.push(c),
        }
    }
    // `name = modifier? { body }`, bodies with balanced braces.
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut rules: Vec<(String, String)> = Vec::new();
    let b: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < b.len() {
        if !word(b[i]) || (i > 0 && word(b[i - 1])) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && word(b[i]) {
            i += 1;
        }
        let name: String = b[start..i].iter().collect();
        let mut j = i;
        while j < b.len() && b[j].is_whitespace() {
            j += 1;
        }
        if b.get(j) != Some(&'=') {
            continue;
        }
        j += 1;
        while j < b.len() && (b[j].is_whitespace() || "_@$!".contains(b[j])) {
            j += 1;
        }
        if b.get(j) != Some(&'{') {
            continue;
        }
        let mut depth = 0;
        let body_start = j + 1;
        while j < b.len() {
            match b[j] {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        rules.push((name, b[body_start..j].iter().collect()));
        i = j + 1;
    }
    assert!(rules.len() > 100, "{} rules read", rules.len());
    let index: std::collections::HashMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(k, (n, _))| (n.as_str(), k))
        .collect();
    let names: Vec<Vec<usize>> = rules
        .iter()
        .map(|(_, body)| {
            body.split(|c: char| !word(c))
                .filter_map(|w| index.get(w).copied())
                .collect()
        })
        .collect();
    // Depth-first search with an explicit stack: a rule met again while open is a cycle.
    let mut state = vec![0u8; rules.len()]; // 0 new, 1 open, 2 done
    for root in 0..rules.len() {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some((r, k)) = stack.pop() {
            if let Some(&next) = names[r].get(k) {
                stack.push((r, k + 1));
                assert_ne!(
                    state[next], 1,
                    "rule `{}` reaches itself through `{}`",
                    rules[next].0, rules[r].0
                );
                if state[next] == 0 {
                    state[next] = 1;
                    stack.push((next, 0));
                }
            } else {
                state[r] = 2;
            }
        }
    }
}
