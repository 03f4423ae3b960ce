//! From replicates to a verdict: each replicate's window reduced to one number by the
//! claim's statistic, the effect (the scenario's mean minus the baseline's, or minus the
//! threshold) with a percentile bootstrap 95% interval over replicates, and the verdict the
//! interval allows.

use std::ops::RangeInclusive;

pub use crate::measure::window_steps;

use super::{Against, Expect, MIN_REPLICATES, Test};
use crate::compare::bootstrap_difference;
use crate::metrics::Row;
use crate::model::Calendar;
use crate::rng;

/// What the replicates say about a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// The whole interval lies on the side the essay expects.
    Supported,
    /// The whole interval lies on the other side.
    Contradicted,
    /// The interval holds zero, or there are too few replicates to say.
    Inconclusive,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::Contradicted => "contradicted",
            Verdict::Inconclusive => "inconclusive",
        }
    }
}

/// A claim's test evaluated on one set of replicates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Evaluation {
    /// Mean of the statistic over the scenario's replicates.
    pub scenario_mean: f64,
    /// Mean over the baseline's replicates, or the threshold.
    pub against_mean: f64,
    /// `scenario_mean - against_mean`.
    pub effect: f64,
    /// Bootstrap 95% interval of the effect.
    pub low: f64,
    pub high: f64,
    pub verdict: Verdict,
    /// Replicates of the scenario and of the baseline (0 against a threshold).
    pub replicates: (usize, usize),
}

impl Evaluation {
    /// Whether the verdict is inconclusive only for want of replicates.
    pub fn too_few(&self) -> bool {
        self.replicates.0 < MIN_REPLICATES
            || (self.replicates.1 > 0 && self.replicates.1 < MIN_REPLICATES)
    }
}

/// Every replicate's statistic.
pub fn statistics(
    test: &Test,
    calendar: &Calendar,
    steps: &RangeInclusive<usize>,
    replicates: &[Vec<Row>],
) -> Vec<f64> {
    replicates
        .iter()
        .map(|rows| test.measure.value(calendar, steps, rows))
        .collect()
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        f64::NAN
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

/// The verdict on a test from the scenario's per-replicate statistics and the baseline's
/// (`None` against a threshold). The bootstrap draws from `seed`'s bootstrap stream, fresh
/// for each call, so a claim's interval does not depend on which claims came before it.
pub fn evaluate(test: &Test, scenario: &[f64], baseline: Option<&[f64]>, seed: u64) -> Evaluation {
    let mut stream = rng::bootstrap_stream(seed);
    let (against, against_mean, baseline_n) = match (&test.against, baseline) {
        (Against::Baseline(_), Some(b)) => (b.to_vec(), mean(b), b.len()),
        (Against::Threshold(x), _) => (vec![*x], *x, 0),
        (Against::Baseline(_), None) => (Vec::new(), f64::NAN, 0),
    };
    let d = bootstrap_difference(&against, scenario, &mut stream);
    let mut e = Evaluation {
        scenario_mean: mean(scenario),
        against_mean,
        effect: mean(scenario) - against_mean,
        low: d.low,
        high: d.high,
        verdict: Verdict::Inconclusive,
        replicates: (scenario.len(), baseline_n),
    };
    let finite = e.effect.is_finite() && e.low.is_finite() && e.high.is_finite();
    if !finite || e.too_few() || against.is_empty() {
        return e;
    }
    let (above, below) = (e.low > 0.0, e.high < 0.0);
    e.verdict = match (test.expect, above, below) {
        (Expect::Higher, true, _) | (Expect::Lower, _, true) => Verdict::Supported,
        (Expect::Higher, _, true) | (Expect::Lower, true, _) => Verdict::Contradicted,
        _ => Verdict::Inconclusive,
    };
    e
}
