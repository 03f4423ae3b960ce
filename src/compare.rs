//! Comparing ensembles: reading back what `run` wrote, and the statistics of `sovsim
//! compare`: for every scenario and metric the final-state mean and 5-95% interval over
//! replicates, and the difference from the first scenario with a bootstrap 95% interval
//! (resampling replicates, from a seeded stream, so the interval is reproducible).

use std::fmt::Write as _;

#[cfg(test)]
use crate::metrics::METRIC_NAMES;
use crate::metrics::{METRIC_COUNT, Row};
use crate::output::{StepStats, quantile};
use crate::rng;

/// Why a results file could not be read back.
#[derive(Debug, thiserror::Error)]
#[error("{file}: line {line}: {message}")]
pub struct ReadError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// The statistics of every step from a `summary.csv` of a scenario recording `names`.
pub fn read_summary(text: &str, file: &str, names: &[&str]) -> Result<Vec<StepStats>, ReadError> {
    let fail = |line: usize, message: &str| ReadError {
        file: file.to_string(),
        line,
        message: message.to_string(),
    };
    let mut stats: Vec<StepStats> = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        if cells.len() != 8 {
            return Err(fail(n + 1, "expected 8 columns"));
        }
        let step: usize = cells[0].parse().map_err(|_| fail(n + 1, "bad step"))?;
        let k = names
            .iter()
            .position(|m| *m == cells[2])
            .ok_or_else(|| fail(n + 1, "unknown metric"))?;
        if step >= stats.len() {
            stats.resize(step + 1, [[0.0; 5]; METRIC_COUNT]);
        }
        for (j, cell) in cells[3..].iter().enumerate() {
            stats[step][k][j] = cell.parse().map_err(|_| fail(n + 1, "bad number"))?;
        }
    }
    Ok(stats)
}

/// Every replicate's row at the last step, from a `runs.csv` with `columns` metrics.
pub fn read_final_rows(text: &str, file: &str, columns: usize) -> Result<Vec<Row>, ReadError> {
    let mut last: Vec<(u32, u32, Row)> = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let bad = || ReadError {
            file: file.to_string(),
            line: n + 1,
            message: format!("expected {} columns of numbers", 3 + columns),
        };
        if cells.len() != 3 + columns || columns > METRIC_COUNT {
            return Err(bad());
        }
        let replicate: u32 = cells[0].parse().map_err(|_| bad())?;
        let step: u32 = cells[1].parse().map_err(|_| bad())?;
        let mut row = [0.0; METRIC_COUNT];
        for (k, cell) in cells[3..].iter().enumerate() {
            row[k] = cell.parse().map_err(|_| bad())?;
        }
        match last.last_mut() {
            Some(l) if l.0 == replicate => {
                if step >= l.1 {
                    *l = (replicate, step, row);
                }
            }
            _ => last.push((replicate, step, row)),
        }
    }
    Ok(last.into_iter().map(|(_, _, row)| row).collect())
}

/// Every replicate's rows, in replicate order, from a `runs.csv` with `columns` metrics.
pub fn read_runs(text: &str, file: &str, columns: usize) -> Result<Vec<Vec<Row>>, ReadError> {
    let mut replicates: Vec<Vec<Row>> = Vec::new();
    let mut current: Option<u32> = None;
    for (n, line) in text.lines().enumerate().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let bad = |message: &str| ReadError {
            file: file.to_string(),
            line: n + 1,
            message: message.to_string(),
        };
        if cells.len() != 3 + columns || columns > METRIC_COUNT {
            return Err(bad(&format!("expected {} columns of numbers", 3 + columns)));
        }
        let replicate: u32 = cells[0].parse().map_err(|_| bad("bad replicate"))?;
        let step: usize = cells[1].parse().map_err(|_| bad("bad step"))?;
        if current != Some(replicate) {
            if replicate as usize != replicates.len() {
                return Err(bad("replicates out of order"));
            }
            replicates.push(Vec::new());
            current = Some(replicate);
        }
        let rows = replicates.last_mut().ok_or_else(|| bad("no replicate"))?;
        if step != rows.len() {
            return Err(bad("steps out of order"));
        }
        let mut row = [0.0; METRIC_COUNT];
        for (k, cell) in cells[3..].iter().enumerate() {
            row[k] = cell.parse().map_err(|_| bad("bad number"))?;
        }
        rows.push(row);
    }
    Ok(replicates)
}

/// A value as `runs.csv` holds it (six decimals), so that results computed in memory agree
/// exactly with results read back from the file.
pub fn as_written(x: f64) -> f64 {
    fixed(x).parse().unwrap_or(x)
}

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

/// Six decimals, and no negative zero.
pub fn fixed(x: f64) -> String {
    let x = if x == 0.0 { 0.0 } else { x };
    format!("{x:.6}")
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

    #[test]
    fn results_read_back_as_written() {
        let text = crate::testing::TEST_SCENARIO
            .replace("agents = 1000", "agents = 120")
            .replace("end = \"1919-12\"", "end = \"1918-03\"");
        let scenario = crate::scenario::Scenario::parse(&text, "t.toml").unwrap();
        let results = crate::ensemble::run(&scenario, 3, 3, &|_| {});
        let runs = crate::output::runs_csv(&scenario, &results);
        let rows = read_final_rows(&runs, "runs.csv", METRIC_NAMES.len()).unwrap();
        assert_eq!(rows.len(), 3);
        for (r, row) in results.iter().zip(&rows) {
            let last = r.rows.last().unwrap();
            for k in 0..METRIC_COUNT {
                assert!((last[k] - row[k]).abs() < 1e-6);
            }
        }
        let summary = crate::output::summary_csv(&scenario, &results);
        let stats = read_summary(&summary, "summary.csv", &METRIC_NAMES).unwrap();
        let direct = crate::output::summarise(&scenario, &results).stats;
        assert_eq!(stats.len(), direct.len());
        for (x, y) in stats.iter().zip(&direct) {
            for k in 0..METRIC_COUNT {
                for j in 0..5 {
                    assert!((x[k][j] - y[k][j]).abs() < 1e-6);
                }
            }
        }
    }
}
