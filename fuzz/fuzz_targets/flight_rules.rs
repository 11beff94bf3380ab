//! Flight-rule YAML (`flight::load`), and the valid rules evaluated against a small fixed
//! plan (`flight::evaluate`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use opsplan::model::Model;
use opsplan::source::FileId;
use std::sync::OnceLock;

/// The fixed plan (roles, a group, resources, windows, phases, tags, kinds, a critical
/// activity: names that fuzzed rules can select). `tests/fuzz_regressions.rs` uses it too.
const PLAN: &str = include_str!("../flight_rules.plan");

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| opsplan::workspace::check_texts(&[("fuzz.plan", PLAN)]).model)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (set, _diagnostics) = opsplan::flight::load(FileId(0), text);
    let rules: Vec<_> = set.rules.iter().collect();
    let _ = opsplan::flight::evaluate(model(), &rules);
});
