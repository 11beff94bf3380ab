//! The whole pipeline (parse, resolve, schedule, checks, flight rules) on one in-memory
//! source file, checked together with the example mission's flight rules.
#![no_main]

use libfuzzer_sys::fuzz_target;

const RULES: &str = include_str!("../../examples/atv5-week40/flight-rules.yaml");

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let run = opsplan::workspace::check_texts(&[("fuzz.plan", text), ("flight-rules.yaml", RULES)]);
    let _ = run.verdict();
});
