//! Ensembles: every replicate of a scenario, run in parallel across a caller-supplied rayon
//! pool, with results handed on in replicate order so that the output never depends on which
//! replicate finished first. [`run_in_order`] streams them: it runs a few replicates at a
//! time and passes each on as soon as those before it are done, so memory does not grow
//! with the number of replicates.

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
    /// The leadership's decisions, in the order taken (none for a reference model).
    pub decisions: Vec<crate::model::DecisionRecord>,
}

/// Runs one replicate from start to end.
pub fn run_replicate(scenario: &Scenario, seed: u64, replicate: u32) -> ReplicateResult {
    match run_replicate_unless(scenario, seed, replicate, &|| false) {
        Some(result) => result,
        None => unreachable!("a replicate that is never stopped finishes"),
    }
}

/// [`run_replicate`], unless `stop` says to stop (it is asked before every step): then
/// `None`. Every step, because asking costs one atomic load against a step of thousands of
/// agents, and a step of the largest population accepted (ten million agents) already takes
/// about a second, the longest a stop should wait.
/// A replicate that finishes is the same as [`run_replicate`]'s, whatever `stop` is.
pub fn run_replicate_unless(
    scenario: &Scenario,
    seed: u64,
    replicate: u32,
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<ReplicateResult> {
    let mut rng = replicate_stream(seed, replicate as u64);
    if let Some(reference) = &scenario.reference {
        let rows = reference.run(
            &scenario.rules,
            scenario.agents(),
            scenario.steps(),
            &mut rng,
        );
        return Some(ReplicateResult {
            replicate,
            rows,
            decisions: Vec::new(),
        });
    }
    let mut world = World::build(&scenario.setup(), &mut rng);
    let steps = scenario.steps();
    let mut rows = Vec::with_capacity(steps as usize);
    let mut previous = crate::model::invariants::Previous::default();
    for step in 0..steps {
        if stop() {
            return None;
        }
        world.step = step;
        rules::step(&mut world, &mut rng);
        let row = metrics::record(&mut world);
        // The bookkeeping is checked after every step in debug builds (every test run);
        // a broken rule is a bug, reported with the step and the agent or soviet.
        if cfg!(debug_assertions)
            && let Err(why) = crate::model::invariants::check(&world, previous)
                .and_then(|()| metrics::check_row(&row, step))
        {
            panic!(
                "{} replicate {replicate}: model invariant broken at {why}",
                scenario.name
            );
        }
        previous.restored = world.regime.restored;
        rows.push(row);
    }
    Some(ReplicateResult {
        replicate,
        rows,
        decisions: std::mem::take(&mut world.leadership.log),
    })
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

/// Runs `replicates` replicates on the current rayon pool, `batch` at a time, and calls
/// `take` with each result in replicate order (replicate 0 first). `done` is called from the
/// worker threads as each replicate finishes, in any order, and must only report progress.
/// Stops at the first error `take` returns.
pub fn run_in_order<E>(
    scenario: &Scenario,
    seed: u64,
    replicates: u32,
    batch: u32,
    done: &(dyn Fn(u32) + Sync),
    take: impl FnMut(ReplicateResult) -> Result<(), E>,
) -> Result<(), E> {
    run_in_order_unless(scenario, seed, replicates, batch, &|| false, done, take).map(|_| ())
}

/// [`run_in_order`], unless `stop` says to stop (each replicate asks it before every step,
/// [`run_replicate_unless`]): then no result after the first unfinished replicate is taken,
/// and the answer is `Ok(false)`. `Ok(true)` when every replicate was taken.
pub fn run_in_order_unless<E>(
    scenario: &Scenario,
    seed: u64,
    replicates: u32,
    batch: u32,
    stop: &(dyn Fn() -> bool + Sync),
    done: &(dyn Fn(u32) + Sync),
    mut take: impl FnMut(ReplicateResult) -> Result<(), E>,
) -> Result<bool, E> {
    let batch = batch.max(1);
    let mut first = 0;
    while first < replicates {
        let last = (first + batch).min(replicates);
        let results: Vec<Option<ReplicateResult>> = (first..last)
            .into_par_iter()
            .map(|r| {
                let result = run_replicate_unless(scenario, seed, r, stop);
                done(r);
                result
            })
            .collect();
        for result in results {
            let Some(result) = result else {
                return Ok(false);
            };
            take(result)?;
        }
        first = last;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The test scenario with 200 agents, ending at `end`.
    fn small(end: &str) -> Scenario {
        let text = crate::testing::TEST_SCENARIO
            .replace("agents = 1000", "agents = 200")
            .replace("end = \"1919-12\"", &format!("end = \"{end}\""));
        Scenario::parse(&text, "t.toml").unwrap()
    }

    #[test]
    fn a_replicate_stops_when_asked_and_is_unchanged_when_not() {
        let scenario = small("1918-06");
        let whole = run_replicate(&scenario, 3, 1);
        assert_eq!(
            run_replicate_unless(&scenario, 3, 1, &|| false).as_ref(),
            Some(&whole)
        );
        let asked = std::sync::atomic::AtomicU32::new(0);
        let stop_on_third = || asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= 2;
        assert_eq!(run_replicate_unless(&scenario, 3, 1, &stop_on_third), None);
        assert_eq!(asked.load(std::sync::atomic::Ordering::SeqCst), 3);
        assert!(scenario.steps() > 3);
    }

    #[test]
    fn results_come_in_replicate_order_whatever_the_batch() {
        let scenario = small("1918-02");
        let all = run(&scenario, 5, 5, &|_| {});
        for batch in [1, 2, 7] {
            let mut streamed = Vec::new();
            run_in_order(&scenario, 5, 5, batch, &|_| {}, |r| {
                streamed.push(r);
                Ok::<(), ()>(())
            })
            .unwrap();
            assert_eq!(streamed, all, "batch {batch}");
        }
    }
}
