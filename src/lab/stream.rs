//! What the lab streams to the page while an experiment runs, and how it runs it: the
//! replicates in order on the current rayon pool, stoppable between steps (a closed tab
//! stops its run), with the ensemble's band, the decision timeline, the comparison with a
//! pinned baseline and a claim's verdict as JSON. Every number is computed by the same code
//! the command line's files and reports use: [`output::summary_csv`]'s statistics,
//! [`Timeline::shares`], [`compare::comparison`] with [`report::reading`], and
//! [`map::evaluate_point`] with [`report::claims::verdict_sentence`].

use serde_json::{Value, json};

use crate::claims::{Against, Claim};
use crate::compare::{self, Side};
use crate::ensemble::{ReplicateResult, run_in_order_unless};
use crate::metrics::Row;
use crate::model::Decision;
use crate::output::{self, Timeline, as_written};
use crate::report;
use crate::report::claims::ClaimResult;
use crate::scenario::Scenario;

/// Runs the scenario's replicates in replicate order on the current rayon pool, as many at
/// a time as it has threads, calling `each` with all the replicates done so far after each
/// one. `None` if `stop` said to stop first. It is [`crate::ensemble::run_in_order`], the
/// command line's loop, so the results are `sovsim run`'s.
pub fn run(
    scenario: &Scenario,
    stop: &(dyn Fn() -> bool + Sync),
    mut each: impl FnMut(&[ReplicateResult]),
) -> Option<Vec<ReplicateResult>> {
    let mut results: Vec<ReplicateResult> = Vec::with_capacity(scenario.replicates as usize);
    let batch = rayon::current_num_threads().max(1) as u32;
    let finished = run_in_order_unless(
        scenario,
        scenario.seed,
        scenario.replicates,
        batch,
        stop,
        &|_| {},
        |result| {
            results.push(result);
            each(&results);
            Ok::<(), std::convert::Infallible>(())
        },
    );
    matches!(finished, Ok(true)).then_some(results)
}

/// The metrics' indices by name; unknown names are left out.
pub fn metric_indices(scenario: &Scenario, names: &[String]) -> Vec<usize> {
    names
        .iter()
        .filter_map(|n| scenario.metric_names().iter().position(|m| m == n))
        .collect()
}

/// The first message of a run: what it runs and the dates of its steps.
pub fn started(scenario: &Scenario, toml: &str, file: &str) -> Value {
    let dates: Vec<String> = (0..scenario.steps())
        .map(|s| scenario.calendar.date(s).to_string())
        .collect();
    json!({
        "name": scenario.name,
        "file": file,
        "toml": toml,
        "seed": scenario.seed,
        "replicates": scenario.replicates,
        "agents": scenario.agents(),
        "steps": scenario.steps(),
        "dates": dates,
    })
}

/// After each replicate: the ensemble so far, for the chosen metrics (mean, 5% and 95% at
/// every step, as `summary.csv` gives them), and the decision timeline (for each decision
/// taken, the step each replicate first took it, and its median date).
pub fn progress(scenario: &Scenario, results: &[ReplicateResult], metrics: &[usize]) -> Value {
    let summary = output::summarise(scenario, results);
    let mut bands = serde_json::Map::new();
    for &k in metrics {
        let column =
            |j: usize| -> Vec<f64> { summary.stats.iter().map(|s| as_written(s[k][j])).collect() };
        bands.insert(
            scenario.metric_names()[k].to_string(),
            json!({ "mean": column(0), "p05": column(2), "p95": column(4) }),
        );
    }
    json!({
        "done": results.len(),
        "total": scenario.replicates,
        "bands": bands,
        "timeline": timeline(scenario, &summary.decisions),
    })
}

fn timeline(scenario: &Scenario, t: &Timeline) -> Vec<Value> {
    t.decisions_taken()
        .into_iter()
        .map(|d: Decision| {
            json!({
                "decision": d.name(),
                "what": d.meaning(),
                "taken": t.taken(d),
                "median": t.median_step(d).map(|s| scenario.calendar.date(s).to_string()),
                // Each replicate's first step taking it (null: never), from which the page
                // draws the share that had taken it by each step, as [`Timeline::shares`].
                "first_steps": t.first_steps(d),
            })
        })
        .collect()
}

/// The files of a finished run, byte for byte as `sovsim run` writes them.
pub fn files(scenario: &Scenario, results: &[ReplicateResult]) -> Value {
    json!({
        "runs_csv": output::runs_csv(scenario, results),
        "decisions_csv": output::decisions_csv(scenario, results),
        "summary_csv": output::summary_csv(scenario, results),
    })
}

fn finals(results: &[ReplicateResult]) -> Vec<Row> {
    results
        .iter()
        .filter_map(|r| r.rows.last().map(|row| row.map(as_written)))
        .collect()
}

/// The run against a pinned baseline at the end of the run, metric by metric: the
/// sentence the comparison reports print ([`report::reading`]), with each difference and
/// its 95% interval, paired replicate by replicate where the two pair
/// ([`compare::pairing`]), the bootstrap drawn from the baseline's seed.
pub fn comparison(
    baseline: (&Scenario, &[ReplicateResult]),
    run: (&Scenario, &[ReplicateResult]),
    metrics: &[usize],
) -> Value {
    let pairing = compare::pairing(side(run), Some(side(baseline)));
    let rows = compare::comparison(
        &[
            (
                format!("the baseline ({})", baseline.0.name),
                finals(baseline.1),
            ),
            (format!("this run ({})", run.0.name), finals(run.1)),
        ],
        &[compare::Pairing::Paired, pairing],
        run.0.metric_names(),
        metrics,
        baseline.0.seed,
    );
    let metrics: Vec<Value> = metrics
        .iter()
        .map(|&k| {
            let row = rows
                .iter()
                .find(|r| r.metric == k && !r.scenario.starts_with("the baseline"));
            json!({
                "metric": run.0.metric_names()[k],
                "sentence": report::reading(&rows, k),
                "difference": row.map(|r| r.difference.mean),
                "low": row.map(|r| r.difference.low),
                "high": row.map(|r| r.difference.high),
            })
        })
        .collect();
    json!({ "pairing": pairing.name(), "metrics": metrics })
}

fn side<'a>((scenario, results): (&'a Scenario, &[ReplicateResult])) -> Side<'a> {
    Side {
        scenario,
        seed: scenario.seed,
        replicates: u32::try_from(results.len()).unwrap_or(u32::MAX),
    }
}

/// A claim's verdict with its sides as run: the effect, its interval and the sentences the
/// claims page prints.
pub fn verdict(
    claim: &Claim,
    file: &str,
    scenario: (&Scenario, &[ReplicateResult]),
    baseline: Option<(&Scenario, &[ReplicateResult])>,
) -> Value {
    let evaluation = crate::map::evaluate_point(&claim.test, scenario.0.seed, scenario, baseline);
    let result = ClaimResult {
        claim: claim.clone(),
        file: file.to_string(),
        scenario: scenario.0.name.clone(),
        baseline: match claim.test.against {
            Against::Baseline(_) => baseline.map(|b| b.0.name.clone()),
            Against::Threshold(_) => None,
        },
        evaluation,
        viewed: Vec::new(),
        sensitivity: None,
        svg: String::new(),
        png: String::new(),
    };
    json!({
        "claim": claim.id,
        "verdict": evaluation.verdict.name(),
        "effect": evaluation.effect,
        "low": evaluation.low,
        "high": evaluation.high,
        "pairing": evaluation.pairing.name(),
        "replicates": [evaluation.replicates.0, evaluation.replicates.1],
        "test": report::claims::test_sentence(&result),
        "sentence": report::claims::verdict_sentence(&result),
        "assumes": claim.assumes,
    })
}
