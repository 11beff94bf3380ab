//! ReqIFz archives: zip bytes holding `.reqif` members (`reqs::reqif::import_reqif`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use opsplan::source::FileId;

fuzz_target!(|data: &[u8]| {
    // import_reqif reads an input as a zip when it starts with the local-file magic; make
    // every input take that path (mutations that break the magic would test XML again).
    let mut bytes = Vec::with_capacity(data.len() + 4);
    if !data.starts_with(b"PK\x03\x04") {
        bytes.extend_from_slice(b"PK\x03\x04");
    }
    bytes.extend_from_slice(data);
    let _ = opsplan::reqs::reqif::import_reqif(FileId(0), &bytes);
});
