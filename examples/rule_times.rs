//! Where a step's time goes: runs the historical scenario for its first 300 weeks with one
//! thread and reports each rule's time per agent-step. Used for `docs/performance.md`.
//!
//! `cargo run --release --example rule_times -- [AGENTS] [STEPS]` (default 100,000 agents,
//! 300 steps; fewer steps for a memory measurement of a large world).

use std::time::Instant;

use sovsim::model::World;
use sovsim::scenario::Scenario;
use sovsim::{metrics, rng, rules};

fn main() {
    let agents: u32 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/historical.toml");
    let text = std::fs::read_to_string(path).expect("the historical scenario is shipped");
    let text = text.replace("agents = 5000", &format!("agents = {agents}"));
    let scenario = Scenario::parse(&text, path).expect("the historical scenario is valid");
    let mut rng = rng::replicate_stream(scenario.seed, 0);
    let mut world = World::build(&scenario.setup(), &mut rng);
    // The step's phases from the rules' own table, then the record.
    let mut names: Vec<&str> = rules::PHASES.iter().map(|p| p.name).collect();
    names.push("record");
    let mut seconds = vec![0f64; names.len()];
    let steps: u32 = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(300)
        .min(scenario.steps());
    for step in 0..steps {
        world.step = step;
        world.counters = Default::default();
        for (k, phase) in rules::PHASES.iter().enumerate() {
            let t0 = Instant::now();
            if phase.enabled(&world) {
                (phase.run)(&mut world, &mut rng);
            } else {
                (phase.when_off)(&mut world);
            }
            seconds[k] += t0.elapsed().as_secs_f64();
        }
        let t0 = Instant::now();
        metrics::record(&mut world);
        seconds[rules::PHASES.len()] += t0.elapsed().as_secs_f64();
        world.pending.clear();
    }
    let per = |s: f64| s / (steps as f64 * agents as f64) * 1e9;
    let total: f64 = seconds.iter().sum();
    for (name, &s) in names.iter().zip(&seconds) {
        println!(
            "{name:20} {:6.1} ns/agent-step {:5.1}%",
            per(s),
            100.0 * s / total
        );
    }
    println!("{:20} {:6.1} ns/agent-step", "total", per(total));
    println!(
        "{:20} {:6.1} bytes/agent (columns, ties, step buffers, locality index)",
        "memory",
        world.bytes_per_agent()
    );
}
