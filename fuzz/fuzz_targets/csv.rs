//! Requirements CSV bytes (`reqs::tabular::import_csv`, default column map).
#![no_main]

use libfuzzer_sys::fuzz_target;
use opsplan::reqs::tabular::{import_csv, ColumnMap};
use opsplan::source::FileId;

fuzz_target!(|data: &[u8]| {
    let _ = import_csv(FileId(0), data, &ColumnMap::default());
});
