//! Fuzzes the record's parser: `sovsim::record::parse` returns Ok or diagnostics with a
//! line and column; it never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

const FILE: &str = "fuzz.toml";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(d) = sovsim::record::parse(text, FILE) {
        sovsim_fuzz::check(&d, &[(FILE, text)]);
    }
});
