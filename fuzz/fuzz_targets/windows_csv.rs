//! `bodies::windows_csv` (fuzz/bodies.rs, shared with tests/fuzz_regressions.rs).
#![no_main]

#[path = "../bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::windows_csv(data));
