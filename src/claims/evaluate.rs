//! From replicates to a verdict: each replicate's window reduced to one number by the
//! claim's statistic, the effect (the scenario's mean minus the baseline's, or minus the
//! threshold) with a percentile bootstrap 95% interval over replicates, and the verdict the
//! interval allows.

use std::ops::RangeInclusive;

use super::{Against, Cross, Expect, MIN_REPLICATES, Statistic, Test, Window};
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

/// The steps of `calendar` a window covers, or why it does not fit the scenario's dates.
pub fn window_steps(calendar: &Calendar, window: Window) -> Result<RangeInclusive<usize>, String> {
    let last_step = calendar.steps.saturating_sub(1);
    let outside = || {
        format!(
            "the window {} to {} does not lie within the scenario's dates ({} to {})",
            window.first,
            window.last,
            calendar.date(0),
            calendar.date(last_step)
        )
    };
    if calendar.steps == 0 || window.first < calendar.start {
        return Err(outside());
    }
    let first = calendar.step_on_or_after(window.first);
    if first >= calendar.steps {
        return Err(outside());
    }
    if window.single {
        return Ok(first as usize..=first as usize);
    }
    // The window may end after the last step's date but not after the period it stands for.
    if window.last >= calendar.date(calendar.steps) {
        return Err(outside());
    }
    let after = calendar.step_on_or_after(window.last.add_days(1));
    let last = after.saturating_sub(1).min(last_step);
    if last < first {
        return Err(format!(
            "the window {} to {} holds no step of the scenario (steps fall on {} and {})",
            window.first,
            window.last,
            calendar.date(first.saturating_sub(1)),
            calendar.date(first)
        ));
    }
    Ok(first as usize..=last as usize)
}

fn crossed(value: f64, level: f64, cross: Cross) -> bool {
    match cross {
        Cross::Above => value >= level,
        Cross::Below => value <= level,
    }
}

/// One replicate's statistic over `steps` of its rows.
pub fn statistic(
    test: &Test,
    calendar: &Calendar,
    steps: &RangeInclusive<usize>,
    rows: &[Row],
) -> f64 {
    let k = test.metric;
    let (first, last) = (
        *steps.start(),
        (*steps.end()).min(rows.len().saturating_sub(1)),
    );
    if rows.is_empty() || first > last {
        return f64::NAN;
    }
    let values = rows[first..=last].iter().map(|r| r[k]);
    match test.statistic {
        Statistic::Mean => values.sum::<f64>() / (last - first + 1) as f64,
        Statistic::Final => rows[last][k],
        Statistic::Peak => values.fold(f64::NEG_INFINITY, f64::max),
        Statistic::Trough => values.fold(f64::INFINITY, f64::min),
        Statistic::TimeToCross => {
            let years = |step: usize| {
                calendar
                    .date(step as u32)
                    .days_since(calendar.date(first as u32)) as f64
                    / 365.25
            };
            (first..=last)
                .find(|&s| crossed(rows[s][k], test.level, test.cross))
                .map_or(years(last + 1), years)
        }
        Statistic::Probability => {
            let hit = (first..=last).any(|s| crossed(rows[s][k], test.level, test.cross));
            if hit { 1.0 } else { 0.0 }
        }
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
        .map(|rows| statistic(test, calendar, steps, rows))
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
