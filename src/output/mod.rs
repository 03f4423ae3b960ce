//! The files a run writes: `runs.csv` (every replicate and step), `summary.csv` (ensemble
//! statistics per step and metric) and `manifest.json` (what was run, how, and how fast).
//! Every file is written to a temporary file in the same folder and renamed into place when
//! complete, so a crash never leaves a truncated file that looks finished.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::ensemble::ReplicateResult;
use crate::metrics::{METRIC_COUNT, METRIC_NAMES};
use crate::scenario::Scenario;

/// A metric came out as NaN or infinite: a bug in the model, never to be written as data.
#[derive(Debug, thiserror::Error)]
#[error("metric {metric} is {value} at replicate {replicate}, step {step}")]
pub struct NonFinite {
    pub metric: &'static str,
    pub value: f64,
    pub replicate: u32,
    pub step: u32,
}

/// Formats a value with six decimals; `-0` is written as `0`.
fn number(out: &mut String, x: f64) {
    let x = if x == 0.0 { 0.0 } else { x };
    let _ = write!(out, "{x:.6}");
}

/// Checks every value of every replicate.
pub fn check_finite(results: &[ReplicateResult]) -> Result<(), NonFinite> {
    for r in results {
        for (step, row) in r.rows.iter().enumerate() {
            for (k, &value) in row.iter().enumerate() {
                if !value.is_finite() {
                    return Err(NonFinite {
                        metric: METRIC_NAMES[k],
                        value,
                        replicate: r.replicate,
                        step: step as u32,
                    });
                }
            }
        }
    }
    Ok(())
}

/// `runs.csv`: `replicate,step,date`, then the metrics; sorted by replicate then step.
pub fn runs_csv(scenario: &Scenario, results: &[ReplicateResult]) -> String {
    let rows: usize = results.iter().map(|r| r.rows.len()).sum();
    let mut out = String::with_capacity(rows * (16 + 10 * METRIC_COUNT) + 128);
    out.push_str("replicate,step,date");
    for name in METRIC_NAMES {
        out.push(',');
        out.push_str(name);
    }
    out.push('\n');
    for r in results {
        for (step, row) in r.rows.iter().enumerate() {
            let date = scenario.calendar.date(step as u32);
            let _ = write!(out, "{},{},{}", r.replicate, step, date);
            for &v in row {
                out.push(',');
                number(&mut out, v);
            }
            out.push('\n');
        }
    }
    out
}

/// Quantile by linear interpolation between order statistics (Hyndman and Fan type 7, the
/// default of R and numpy) of sorted values.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// `summary.csv`: `step,date,metric,mean,sd,p05,p50,p95`, sorted by step then metric (in the
/// documented metric order). `sd` is the sample standard deviation (0 for one replicate).
pub fn summary_csv(scenario: &Scenario, results: &[ReplicateResult]) -> String {
    let steps = results.first().map_or(0, |r| r.rows.len());
    let mut out = String::with_capacity(steps * METRIC_COUNT * 80 + 64);
    out.push_str("step,date,metric,mean,sd,p05,p50,p95\n");
    let mut values = Vec::with_capacity(results.len());
    for step in 0..steps {
        let date = scenario.calendar.date(step as u32);
        for (k, name) in METRIC_NAMES.iter().enumerate() {
            values.clear();
            values.extend(results.iter().map(|r| r.rows[step][k]));
            let n = values.len() as f64;
            // Summed in replicate order, so the result does not depend on scheduling.
            let mean = values.iter().sum::<f64>() / n;
            let sd = if values.len() > 1 {
                (values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0)).sqrt()
            } else {
                0.0
            };
            values.sort_by(f64::total_cmp);
            let _ = write!(out, "{step},{date},{name}");
            for v in [
                mean,
                sd,
                quantile(&values, 0.05),
                quantile(&values, 0.5),
                quantile(&values, 0.95),
            ] {
                out.push(',');
                number(&mut out, v);
            }
            out.push('\n');
        }
    }
    out
}

/// `manifest.json`: what was run, and how fast.
#[derive(Debug, Serialize)]
pub struct Manifest<'a> {
    pub sovsim_version: &'a str,
    pub scenario: &'a str,
    pub scenario_file: String,
    pub scenario_sha256: &'a str,
    pub seed: u64,
    pub replicates: u32,
    pub steps: u32,
    pub agents: u32,
    pub start: String,
    pub end: String,
    pub metrics: Vec<&'static str>,
    pub elapsed_seconds: f64,
    pub agent_steps_per_second: f64,
}

impl Manifest<'_> {
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, flushed to disk,
/// then renamed over the target.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_like_numpy() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&v, 0.0), 1.0);
        assert_eq!(quantile(&v, 1.0), 4.0);
        assert!((quantile(&v, 0.5) - 2.5).abs() < 1e-12);
        assert!((quantile(&v, 0.05) - 1.15).abs() < 1e-12);
        assert_eq!(quantile(&[7.0], 0.95), 7.0);
    }

    #[test]
    fn numbers_have_six_decimals_and_no_negative_zero() {
        let mut s = String::new();
        number(&mut s, -0.0);
        s.push(' ');
        number(&mut s, 1.0 / 3.0);
        assert_eq!(s, "0.000000 0.333333");
    }

    #[test]
    fn atomic_write_replaces_the_whole_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("runs.csv");
        write_atomic(&path, b"old contents").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1);
    }
}
