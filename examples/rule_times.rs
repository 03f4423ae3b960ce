//! Where a step's time goes: runs the historical scenario for its first 300 weeks with one
//! thread and reports each rule's time per agent-step. Used for `docs/performance.md`.
//!
//! `cargo run --release --example rule_times -- [AGENTS]` (default 100,000).

use std::time::Instant;

use sovsim::model::World;
use sovsim::scenario::Scenario;
use sovsim::{metrics, rng, rules};

type Phase = fn(&mut World, &mut rng::SimRng);

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
    let mut world = World::build(&scenario, &mut rng);
    let phases: [(&str, Phase); 13] = [
        ("environment", |w, _| rules::environment::apply(w)),
        ("demography", rules::demography::apply),
        ("conditions", |w, _| rules::conditions::apply(w)),
        ("opinion", rules::opinion::apply),
        ("activation", |w, _| rules::activation::apply(w)),
        ("parties", rules::parties::apply),
        ("factions", rules::factions::apply),
        ("ruling_party", rules::ruling_party::apply),
        ("soviets", rules::soviets::apply),
        ("bureaucracy", rules::bureaucracy::apply),
        ("repression", rules::repression::apply),
        ("regime", |w, _| rules::regime::apply(w)),
        ("record", |w, _| {
            metrics::record(w);
        }),
    ];
    let mut seconds = [0f64; 13];
    let steps = 300u32.min(scenario.steps());
    for step in 0..steps {
        world.step = step;
        world.counters = Default::default();
        for (k, (_, phase)) in phases.iter().enumerate() {
            let t0 = Instant::now();
            phase(&mut world, &mut rng);
            seconds[k] += t0.elapsed().as_secs_f64();
        }
        world.pending.clear();
    }
    let per = |s: f64| s / (steps as f64 * agents as f64) * 1e9;
    let total: f64 = seconds.iter().sum();
    for ((name, _), s) in phases.iter().zip(seconds) {
        println!(
            "{name:14} {:6.1} ns/agent-step {:5.1}%",
            per(s),
            100.0 * s / total
        );
    }
    println!("{:14} {:6.1} ns/agent-step", "total", per(total));
}
