//! Plan, procedure and scenario text: `syntax::parse` never panics, and the formatter is
//! idempotent (formatting its own output gives the same text).
#![no_main]

use libfuzzer_sys::fuzz_target;
use opsplan::source::FileId;
use opsplan::syntax::format::{format, FormatError};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = opsplan::syntax::parse(FileId(0), text);
    match format(text) {
        Ok(once) => {
            let twice = format(&once).expect("formatted text formats again");
            assert_eq!(once, twice, "formatting is not idempotent");
        }
        Err(FormatError::Syntax) => {}
        Err(FormatError::Changed(why)) => panic!("the formatter changed the text: {why}"),
    }
});
