//! Helpers for the unit tests: a small world built from a fixed scenario with all six parties,
//! and the keys a docs page lists for a file format.

use crate::model::{State, World};
use crate::rng::{SimRng, replicate_stream};
use crate::scenario::Scenario;

/// A scenario with every party of the essays and default rules.
pub const TEST_SCENARIO: &str = r#"
name = "unit"
description = "unit-test world"
start = "1917-11"
end = "1919-12"
[population]
agents = 1000
[parties.anarchists]
platform = [0.05, 0.1]
members = 0.01
[parties.bolsheviks]
platform = [0.6, 0.1]
members = 0.06
ruling = true
[parties.kadets]
platform = [0.8, 0.9]
members = 0.01
restoration = true
[parties.left_srs]
platform = [0.3, 0.4]
members = 0.02
[parties.mensheviks]
platform = [0.45, 0.35]
members = 0.02
[parties.srs]
platform = [0.35, 0.55]
members = 0.02
"#;

/// A world of `agents` agents from [`TEST_SCENARIO`], and the stream that built it.
pub fn small_world(agents: u32, seed: u64) -> (World, SimRng) {
    let text = TEST_SCENARIO.replace("agents = 1000", &format!("agents = {agents}"));
    let scenario = Scenario::parse(&text, "unit.toml").expect("the test scenario is valid");
    let mut rng = replicate_stream(seed, 0);
    let world = World::build(&scenario.setup(), &mut rng);
    (world, rng)
}

/// How many agents are in a state.
pub fn count_state(world: &World, state: State) -> usize {
    world.agents.state.iter().filter(|s| **s == state).count()
}

/// The index of a party by name.
pub fn party_index(world: &World, name: &str) -> u32 {
    world
        .parties
        .iter()
        .position(|p| p.name == name)
        .expect("party exists") as u32
}

/// The ruling party's members living openly, in id order.
pub fn visible_members(world: &World) -> Vec<usize> {
    (0..world.agents.len())
        .filter(|&i| world.is_ruling_member(i) && world.agents.state[i].is_visible())
        .collect()
}

/// A decision taken at `step`, with no target or reason: the records the timeline, plot and
/// report tests make by hand.
pub fn record(step: u32, decision: crate::model::Decision) -> crate::model::DecisionRecord {
    crate::model::DecisionRecord {
        step,
        decision,
        target: String::new(),
        why: String::new(),
    }
}

/// The keys a docs page lists in the table under `heading` (each row's first cell, `| `key`
/// |`), up to the next heading, sorted: what the format tests compare with their key lists.
pub fn documented_keys(doc: &str, heading: &str) -> Vec<String> {
    let mut keys: Vec<String> = doc
        .split(heading)
        .nth(1)
        .unwrap_or("")
        .split("\n#")
        .next()
        .unwrap_or("")
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_string)
        .collect();
    keys.sort();
    keys
}
