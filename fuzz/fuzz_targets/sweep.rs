//! Fuzzes the sweep-file parser: `sovsim::sweep::parse` returns Ok or diagnostics with a line
//! and column; it never panics. A sweep that parses with few points is also resolved against
//! the shipped historical course (`Sweep::resolve`, which checks metrics, event ids and
//! series and reparses every point as a variation of the scenario), as `sovsim sweep` does.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sovsim::scenario::{Scenario, merged_document};

const FILE: &str = "fuzz.toml";
const BASE: &str = "historical.toml";
const BASE_TEXT: &str = include_str!("../../scenarios/historical.toml");
/// Most points resolved per input: each is a full reparse of the base scenario.
const MAX_RESOLVED_POINTS: usize = 8;

fn no_parent(_: &str, parent: &str) -> Result<(String, String), String> {
    Err(format!("no parent `{parent}` here"))
}

fn base() -> &'static (Scenario, toml::Table) {
    static BASE_SCENARIO: OnceLock<(Scenario, toml::Table)> = OnceLock::new();
    BASE_SCENARIO.get_or_init(|| {
        let s = Scenario::parse_with(BASE_TEXT, BASE, &no_parent).expect("historical parses");
        let doc = merged_document(BASE_TEXT, BASE, &no_parent).expect("historical merges");
        (s, doc)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match sovsim::sweep::parse(text, FILE) {
        Err(d) => sovsim_fuzz::check(&d, &[(FILE, text)]),
        Ok(sweep) if sweep.points.len() <= MAX_RESOLVED_POINTS => {
            let (scenario, doc) = base();
            let reparse = |label: &str, toml: &str| {
                Scenario::parse_varied(BASE_TEXT, BASE, &no_parent, Some((label, toml)))
            };
            if let Err(d) = sweep.resolve(scenario, doc, &reparse) {
                sovsim_fuzz::check(&d, &[(FILE, text)]);
            }
        }
        Ok(_) => {}
    }
});
