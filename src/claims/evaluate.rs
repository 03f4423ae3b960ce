//! From replicates to a verdict: each replicate's window reduced to one number by the
//! claim's statistic, the effect (the scenario's mean minus the baseline's, or minus the
//! threshold) with a percentile bootstrap 95% interval over replicates (over the
//! per-replicate differences when the two sides are paired, [`crate::compare::pairing`]),
//! and the verdict the interval allows against the test's smallest effect of interest `m`:
//!
//! | expect | supported | contradicted | negligible |
//! |---|---|---|---|
//! | higher | low > m | high < -m | -m <= low and high <= m |
//! | lower | high < -m | low > m | -m <= low and high <= m |
//! | negligible | -m <= low and high <= m | low > m or high < -m | (never) |
//!
//! Anything else is inconclusive: the interval straddles a bound of the band.

use std::ops::RangeInclusive;

pub use crate::measure::window_steps;

use super::{Against, Expect, MIN_REPLICATES, Test};
use crate::compare::{Pairing, difference};
use crate::metrics::Row;
use crate::model::Calendar;
use crate::rng;

/// What the replicates say about a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// The whole interval lies beyond the smallest effect on the side the essay expects (or,
    /// when it expects no difference that matters, within plus or minus the smallest
    /// effect).
    Supported,
    /// The whole interval lies beyond the smallest effect on the other side (or, when the
    /// essay expects no difference that matters, beyond it on either side).
    Contradicted,
    /// The whole interval lies within plus or minus the smallest effect, against an essay
    /// that expected a difference: the model says the difference does not matter.
    Negligible,
    /// The interval straddles a bound of the band, or there are too few replicates to say.
    Inconclusive,
}

impl Verdict {
    /// Every verdict, in the order reports list them.
    pub const ALL: [Verdict; 4] = [
        Verdict::Supported,
        Verdict::Contradicted,
        Verdict::Negligible,
        Verdict::Inconclusive,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::Contradicted => "contradicted",
            Verdict::Negligible => "negligible",
            Verdict::Inconclusive => "inconclusive",
        }
    }

    /// The verdict a name gives (as `claims.csv` and the cache write it).
    pub fn parse(name: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.name() == name)
    }
}

/// The verdict an interval `[low, high]` of the effect allows when the essay expects
/// `expect` and the smallest effect of interest is `m` (0 or more).
pub fn verdict(expect: Expect, low: f64, high: f64, m: f64) -> Verdict {
    let (above, below) = (low > m, high < -m);
    let within = -m <= low && high <= m;
    match expect {
        Expect::Higher if above => Verdict::Supported,
        Expect::Higher if below => Verdict::Contradicted,
        Expect::Lower if below => Verdict::Supported,
        Expect::Lower if above => Verdict::Contradicted,
        Expect::Higher | Expect::Lower if within => Verdict::Negligible,
        Expect::Negligible if within => Verdict::Supported,
        Expect::Negligible if above || below => Verdict::Contradicted,
        _ => Verdict::Inconclusive,
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
    /// Whether the interval was taken pair by pair, and if not why not.
    pub pairing: Pairing,
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

/// One side of a claim's test as run: the scenario's calendar and every replicate's rows (as
/// `runs.csv` holds them, rounded by [`crate::output::as_written`]).
pub type Runs<'a> = (&'a Calendar, &'a [Vec<Row>]);

/// The test evaluated on runs of its scenario and of its baseline (`None` against a
/// threshold): each replicate's statistic over the window's steps in its own calendar,
/// then [`evaluate`] with `seed` and `pairing` ([`crate::compare::pairing`] of the two sides
/// as run). The claims command, its sensitivity variants and the claim maps all judge a
/// claim this one way.
pub fn evaluate_runs(
    test: &Test,
    scenario: Runs,
    baseline: Option<Runs>,
    seed: u64,
    pairing: Pairing,
) -> Evaluation {
    let of = |(calendar, rows): Runs| {
        let steps = window_steps(calendar, test.measure.window).unwrap_or(0..=0);
        statistics(test, calendar, &steps, rows)
    };
    let b = baseline.map(of);
    evaluate(test, &of(scenario), b.as_deref(), seed, pairing)
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
/// With `pairing` [`Pairing::Paired`] (and a baseline of the same length) the interval is the
/// bootstrap of the per-replicate differences; else the two samples are resampled apart, and
/// against a threshold the scenario's alone. The pairing recorded is the one used.
pub fn evaluate(
    test: &Test,
    scenario: &[f64],
    baseline: Option<&[f64]>,
    seed: u64,
    pairing: Pairing,
) -> Evaluation {
    let mut stream = rng::bootstrap_stream(seed);
    let (against, against_mean, baseline_n) = match (&test.against, baseline) {
        (Against::Baseline(_), Some(b)) => (b.to_vec(), mean(b), b.len()),
        (Against::Threshold(x), _) => (vec![*x], *x, 0),
        (Against::Baseline(_), None) => (Vec::new(), f64::NAN, 0),
    };
    let pairing = match (&test.against, pairing) {
        (Against::Threshold(_), _) => Pairing::Threshold,
        (_, Pairing::Paired) if against.len() != scenario.len() => Pairing::DifferentReplicates,
        (_, p) => p,
    };
    let d = difference(&against, scenario, pairing, &mut stream);
    let mut e = Evaluation {
        scenario_mean: mean(scenario),
        against_mean,
        effect: mean(scenario) - against_mean,
        low: d.low,
        high: d.high,
        verdict: Verdict::Inconclusive,
        replicates: (scenario.len(), baseline_n),
        pairing,
    };
    let finite = e.effect.is_finite() && e.low.is_finite() && e.high.is_finite();
    if !finite || e.too_few() || against.is_empty() {
        return e;
    }
    e.verdict = verdict(test.expect, e.low, e.high, test.min_effect);
    e
}
