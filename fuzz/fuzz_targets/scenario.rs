//! Fuzzes the scenario parser: `Scenario::parse` and `Scenario::parse_with` (following
//! `extends`) return Ok or diagnostics with a line and column; they never panic.
//!
//! The input is the child file. Its `extends` is served by a resolver that knows every
//! shipped scenario (so `extends = "historical.toml"` merges over the real historical
//! course, and chains such as multi_party_soviets -> historical are followed) and
//! `parent.toml`: the part of the input after a line `#parent` (the historical course when
//! there is none), so the parent of a chain is fuzzed too. Any other name is refused.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sovsim::scenario::Scenario;

const FILE: &str = "fuzz.toml";
const SEPARATOR: &str = "\n#parent\n";

/// The shipped scenarios, by the name `extends` gives them.
const SHIPPED: &[(&str, &str)] = &[
    (
        "commune_state.toml",
        include_str!("../../scenarios/commune_state.toml"),
    ),
    (
        "factions_allowed.toml",
        include_str!("../../scenarios/factions_allowed.toml"),
    ),
    (
        "favourable_circumstances.toml",
        include_str!("../../scenarios/favourable_circumstances.toml"),
    ),
    (
        "free_press_for_all.toml",
        include_str!("../../scenarios/free_press_for_all.toml"),
    ),
    (
        "historical.toml",
        include_str!("../../scenarios/historical.toml"),
    ),
    (
        "informal_suppression_1918.toml",
        include_str!("../../scenarios/informal_suppression_1918.toml"),
    ),
    (
        "left_opposition_1923.toml",
        include_str!("../../scenarios/left_opposition_1923.toml"),
    ),
    (
        "multi_party_soviets.toml",
        include_str!("../../scenarios/multi_party_soviets.toml"),
    ),
    (
        "no_civil_war.toml",
        include_str!("../../scenarios/no_civil_war.toml"),
    ),
    (
        "soviet_controlled_police.toml",
        include_str!("../../scenarios/soviet_controlled_police.toml"),
    ),
    (
        "workers_control.toml",
        include_str!("../../scenarios/workers_control.toml"),
    ),
    (
        "world_revolution_1923.toml",
        include_str!("../../scenarios/world_revolution_1923.toml"),
    ),
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(d) = Scenario::parse(text, FILE) {
        sovsim_fuzz::check(&d, &[(FILE, text)]);
    }

    let (child, parent) = match text.find(SEPARATOR) {
        Some(at) => (&text[..at], &text[at + SEPARATOR.len()..]),
        None => (
            text,
            SHIPPED
                .iter()
                .find(|(n, _)| *n == "historical.toml")
                .unwrap()
                .1,
        ),
    };
    let resolve = |_from: &str, name: &str| -> Result<(String, String), String> {
        if name == "parent.toml" {
            return Ok((name.to_string(), parent.to_string()));
        }
        SHIPPED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .ok_or_else(|| "not found".to_string())
    };
    if let Err(d) = Scenario::parse_with(child, FILE, &resolve) {
        let mut files: Vec<(&str, &str)> = vec![(FILE, child), ("parent.toml", parent)];
        files.extend(SHIPPED.iter().copied());
        sovsim_fuzz::check(&d, &files);
    }
});
