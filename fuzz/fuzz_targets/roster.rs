//! `bodies::roster` (fuzz/bodies.rs, shared with tests/fuzz_regressions.rs).
#![no_main]

#[path = "../bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::roster(data));
