//! ReqIF XML bytes (`reqs::reqif::import_reqif`, as for a `.reqif` file).
#![no_main]

use libfuzzer_sys::fuzz_target;
use opsplan::source::FileId;

fuzz_target!(|data: &[u8]| {
    // A zip is the reqifz target's; here the input is always read as XML.
    if data.starts_with(b"PK\x03\x04") {
        return;
    }
    let _ = opsplan::reqs::reqif::import_reqif(FileId(0), data);
});
