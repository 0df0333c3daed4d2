//! Scenario text → `load_str`: whatever the bytes, loading returns `Ok` or a located
//! `Err`, and never panics, hangs or runs out of memory.

#![no_main]

use libfuzzer_sys::fuzz_target;
use portsim::scenario::load_str;

fuzz_target!(|data: &[u8]| {
    // Scenario files are read as UTF-8; other bytes never get this far.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = load_str("fuzz.toml", text, &[]) {
        // The message always names the file.
        assert!(e.to_string().starts_with("fuzz.toml"), "{e}");
    }
});
