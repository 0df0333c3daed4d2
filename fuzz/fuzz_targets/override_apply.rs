//! `--set PATH=VALUE` overrides: the input's first line is a scenario's override, the
//! rest is the scenario text. Parsing and applying never panic; an error names the file.

#![no_main]

use libfuzzer_sys::fuzz_target;
use portsim::scenario::{Override, load_str};

/// The M/M/3 validation scenario, used when the input has no scenario text of its own.
const MMC: &str = include_str!("../../scenarios/validation/mmc.toml");

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (sets, scenario) = text.split_once("\n---\n").unwrap_or((text, MMC));
    let mut overrides = Vec::new();
    for line in sets.lines() {
        let Ok(o) = Override::parse(line) else {
            continue;
        };
        // Applying alone must not panic either.
        let mut doc: toml::Table = scenario.parse().unwrap_or_default();
        let _ = o.apply(&mut doc);
        overrides.push(o);
    }
    if let Err(e) = load_str("fuzz.toml", scenario, &overrides) {
        assert!(e.to_string().starts_with("fuzz.toml"), "{e}");
    }
});
