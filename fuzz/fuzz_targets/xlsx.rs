//! Workbook bytes (`reqs::tabular::import_workbook`, as for a `.xlsx` file).
//!
//! `import_workbook` catches a panic of the workbook reader (calamine, third-party code
//! reading hostile bytes) and reports it as a `Q001` finding. libfuzzer-sys installs a
//! panic hook that aborts on every panic, caught or not, which would report those as
//! crashes; the default hook is put back so that only panics that reach the fuzz target
//! (which libfuzzer-sys still turns into an abort) are crashes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opsplan::reqs::tabular::{import_workbook, ColumnMap};
use opsplan::source::FileId;

fuzz_target!(|data: &[u8]| {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let _ = std::panic::take_hook();
    });
    let _ = import_workbook(FileId(0), data, "xlsx", &ColumnMap::default(), None);
});
