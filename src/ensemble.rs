//! Ensembles: every replicate of a scenario, run in parallel across a caller-supplied rayon
//! pool, with results gathered in replicate order so that the output never depends on which
//! replicate finished first.

use rayon::prelude::*;

use crate::metrics::{self, Row};
use crate::model::World;
use crate::rng::replicate_stream;
use crate::rules;
use crate::scenario::Scenario;

/// The metric rows of one replicate, one per step.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicateResult {
    pub replicate: u32,
    pub rows: Vec<Row>,
}

/// Runs one replicate from start to end.
pub fn run_replicate(scenario: &Scenario, seed: u64, replicate: u32) -> ReplicateResult {
    let mut rng = replicate_stream(seed, replicate as u64);
    let mut world = World::build(scenario, &mut rng);
    let steps = scenario.steps();
    let mut rows = Vec::with_capacity(steps as usize);
    for step in 0..steps {
        world.step = step;
        rules::step(&mut world, &mut rng);
        rows.push(metrics::record(&mut world));
    }
    ReplicateResult { replicate, rows }
}

/// Runs `replicates` replicates on the current rayon pool; `done` is called as each one
/// finishes (from worker threads, in any order) and must only report progress.
pub fn run(
    scenario: &Scenario,
    seed: u64,
    replicates: u32,
    done: &(dyn Fn(u32) + Sync),
) -> Vec<ReplicateResult> {
    (0..replicates)
        .into_par_iter()
        .map(|r| {
            let result = run_replicate(scenario, seed, r);
            done(r);
            result
        })
        .collect()
}
