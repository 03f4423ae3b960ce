//! The statistics of `sovsim compare` (the results it compares are read back by
//! [`crate::output::read`]): for every scenario and metric the final-state mean and 5-95% interval over
//! replicates, and the difference from the first scenario with a bootstrap 95% interval
//! (resampling replicates, from a seeded stream, so the interval is reproducible).

use std::fmt::Write as _;

use crate::metrics::Row;
use crate::output::{fixed, quantile};
use crate::rng;

/// A difference of means with its bootstrap 95% interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Difference {
    pub mean: f64,
    pub low: f64,
    pub high: f64,
}

/// Resamples drawn for each bootstrap interval.
pub const RESAMPLES: usize = 2000;

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

/// mean(b) - mean(a), with a percentile bootstrap interval: both samples resampled with
/// replacement [`RESAMPLES`] times from `stream`.
pub fn bootstrap_difference(a: &[f64], b: &[f64], stream: &mut rng::SimRng) -> Difference {
    let observed = mean(b) - mean(a);
    if a.is_empty() || b.is_empty() {
        return Difference {
            mean: observed,
            low: observed,
            high: observed,
        };
    }
    let mut diffs = Vec::with_capacity(RESAMPLES);
    for _ in 0..RESAMPLES {
        let ma = (0..a.len())
            .map(|_| a[rng::index(stream, a.len())])
            .sum::<f64>()
            / a.len() as f64;
        let mb = (0..b.len())
            .map(|_| b[rng::index(stream, b.len())])
            .sum::<f64>()
            / b.len() as f64;
        diffs.push(mb - ma);
    }
    diffs.sort_by(f64::total_cmp);
    Difference {
        mean: observed,
        low: quantile(&diffs, 0.025),
        high: quantile(&diffs, 0.975),
    }
}

/// One scenario's final state on one metric, against the first scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct ComparisonRow {
    pub scenario: String,
    pub metric: usize,
    /// The metric's name.
    pub name: &'static str,
    pub final_mean: f64,
    pub p05: f64,
    pub p95: f64,
    pub difference: Difference,
}

/// The comparison of every scenario (in the order given) on every metric (in the order
/// given) with the first scenario; bootstrap intervals are drawn from `seed`'s bootstrap
/// stream.
pub fn comparison(
    scenarios: &[(String, Vec<Row>)],
    names: &'static [&'static str],
    metrics: &[usize],
    seed: u64,
) -> Vec<ComparisonRow> {
    let mut stream = rng::bootstrap_stream(seed);
    let column = |rows: &[Row], k: usize| rows.iter().map(|r| r[k]).collect::<Vec<f64>>();
    let mut out = Vec::new();
    for (name, rows) in scenarios {
        for &k in metrics {
            let mut v = column(rows, k);
            let base = column(&scenarios[0].1, k);
            let difference = bootstrap_difference(&base, &v, &mut stream);
            let final_mean = mean(&v);
            v.sort_by(f64::total_cmp);
            out.push(ComparisonRow {
                scenario: name.clone(),
                metric: k,
                name: names[k],
                final_mean,
                p05: quantile(&v, 0.05),
                p95: quantile(&v, 0.95),
                difference,
            });
        }
    }
    out
}

/// `comparison.csv`: `scenario,metric,final_mean,p05,p95,difference,difference_low,
/// difference_high`, one line per [`ComparisonRow`].
pub fn comparison_csv(rows: &[ComparisonRow]) -> String {
    let mut out = String::from(
        "scenario,metric,final_mean,p05,p95,difference,difference_low,difference_high\n",
    );
    for r in rows {
        let _ = write!(out, "{},{}", r.scenario, r.name);
        for x in [
            r.final_mean,
            r.p05,
            r.p95,
            r.difference.mean,
            r.difference.low,
            r.difference.high,
        ] {
            let _ = write!(out, ",{}", fixed(x));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bootstrap_interval_holds_the_difference_and_shrinks_with_more_replicates() {
        let mut s = rng::bootstrap_stream(1);
        let a: Vec<f64> = (0..20).map(|i| (i % 5) as f64 / 10.0).collect();
        let b: Vec<f64> = a.iter().map(|x| x + 0.3).collect();
        let d = bootstrap_difference(&a, &b, &mut s);
        assert!((d.mean - 0.3).abs() < 1e-12);
        assert!(d.low < 0.3 && 0.3 < d.high, "{d:?}");
        assert!(d.low > 0.2 && d.high < 0.4, "{d:?}");
        let same = bootstrap_difference(&a, &a, &mut s);
        assert!(same.low <= 0.0 && 0.0 <= same.high);
        // Reproducible from the seed.
        let again = bootstrap_difference(&a, &b, &mut rng::bootstrap_stream(1));
        assert_eq!(again, d);
    }
}
