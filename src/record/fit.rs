//! How close a finished run comes to the record: for every target, the ensemble's 5th
//! percentile, median and 95th percentile of what the target measures, and whether the
//! median lies inside the record's interval (`fit.csv`, and the plot of [`bars`]).
//!
//! A run is read back from its folder's files ([`RunData::read`]), so the fit of a run made
//! today and of one made last week are computed alike. A decision never taken in a
//! replicate counts as later than every date: a percentile that falls among such
//! replicates is written `never`, and a median of `never` lies outside every interval.

use crate::date::Date;
use crate::measure::{Statistic, window_steps};
use crate::metrics::{METRIC_NAMES, Row};
use crate::model::{Calendar, DecisionRecord, StepKind};
use crate::output::{ReadError, fixed, quantile, read_decisions, read_runs};
use crate::plot::fit::{FitBar, FitValues};

use super::{Interval, Measured, Record, Target};

/// Why a run's folder could not be fitted.
#[derive(Debug, thiserror::Error)]
pub enum FitError {
    #[error("manifest.json: {0}")]
    Manifest(String),
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(
        "the run records the metrics {0}, not the revolution model's; the record holds only the revolution model to it"
    )]
    NotTheModel(String),
}

/// A finished run as the fit needs it: its calendar, every replicate's rows and decisions.
#[derive(Clone, Debug)]
pub struct RunData {
    pub scenario: String,
    pub calendar: Calendar,
    pub rows: Vec<Vec<Row>>,
    pub decisions: Vec<Vec<DecisionRecord>>,
}

impl RunData {
    /// The run from the texts of its `manifest.json`, `runs.csv` and `decisions.csv`.
    pub fn read(manifest: &str, runs: &str, decisions: &str) -> Result<RunData, FitError> {
        let m: serde_json::Value = serde_json::from_str(manifest)
            .map_err(|e| FitError::Manifest(format!("not JSON: {e}")))?;
        let field = |key: &str| {
            m.get(key)
                .ok_or_else(|| FitError::Manifest(format!("missing `{key}`")))
        };
        let metrics: Vec<&str> = field("metrics")?
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        if metrics != METRIC_NAMES {
            return Err(FitError::NotTheModel(metrics.join(", ")));
        }
        let date = |key: &str| -> Result<Date, FitError> {
            let text = field(key)?.as_str().unwrap_or_default();
            Date::parse(text)
                .map(|(d, _)| d)
                .map_err(|e| FitError::Manifest(format!("`{key}`: {e}")))
        };
        let count = |key: &str| -> Result<u32, FitError> {
            field(key)?
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| FitError::Manifest(format!("`{key}` is not a count")))
        };
        let (start, end, steps, replicates) = (
            date("start")?,
            date("end")?,
            count("steps")?,
            count("replicates")?,
        );
        let calendar = calendar_of(start, end, steps, second_date(runs)).ok_or_else(|| {
            FitError::Manifest(format!(
                "start {start}, end {end} and {steps} steps fit neither weekly nor monthly steps"
            ))
        })?;
        let scenario = field("scenario")?.as_str().unwrap_or_default();
        RunData::of(scenario, calendar, replicates, runs, decisions)
    }

    /// The run of `scenario`, whose calendar and replicates are known, from the texts of its
    /// `runs.csv` and `decisions.csv`: how `run` fits a run it has just written, before its
    /// `manifest.json` (which lists the fit among the run's files) is written.
    pub fn of(
        scenario: &str,
        calendar: Calendar,
        replicates: u32,
        runs: &str,
        decisions: &str,
    ) -> Result<RunData, FitError> {
        let rows = read_runs(runs, "runs.csv", METRIC_NAMES.len())?;
        let decisions = read_decisions(decisions, "decisions.csv", &calendar, replicates)?;
        Ok(RunData {
            scenario: scenario.to_string(),
            calendar,
            rows,
            decisions,
        })
    }
}

/// The date of the second step in a `runs.csv`, which tells weekly steps from monthly.
fn second_date(runs: &str) -> Option<Date> {
    let line = runs.lines().nth(2)?;
    let cell = line.split(',').nth(2)?;
    Date::parse(cell).ok().map(|(d, _)| d)
}

/// The calendar of a run: the step kind whose steps from `start` to `end` number `steps`
/// and whose second step falls on `second`.
fn calendar_of(start: Date, end: Date, steps: u32, second: Option<Date>) -> Option<Calendar> {
    [StepKind::Week, StepKind::Month]
        .into_iter()
        .map(|kind| Calendar::new(start, end, kind))
        .find(|c| c.steps == steps && second.is_none_or(|d| steps < 2 || c.date(1) == d))
}

/// Whether the model's median lies inside the record's interval.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Within {
    Yes,
    No,
    /// The model has nothing yet that measures the target.
    Unmeasured,
    /// The target's dates lie outside the run's.
    OutsideRun,
}

impl Within {
    pub fn name(self) -> &'static str {
        match self {
            Within::Yes => "yes",
            Within::No => "no",
            Within::Unmeasured => "unmeasured",
            Within::OutsideRun => "outside_run",
        }
    }
}

/// The columns of `fit.csv`.
pub const FIT_HEADER: [&str; 9] = [
    "target",
    "source",
    "essays",
    "record_low",
    "record_high",
    "model_p5",
    "model_median",
    "model_p95",
    "within",
];

/// One target's fit.
#[derive(Clone, Debug, PartialEq)]
pub struct FitRow {
    pub target: String,
    pub what: String,
    pub source: String,
    pub essays: String,
    /// The record's interval and the model's percentiles as `fit.csv` writes them.
    pub record: [String; 2],
    pub model: [String; 3],
    /// The same on one numeric scale (months for dates), for the plot.
    pub values: Option<FitValues>,
    pub within: Within,
}

/// The fit of `run` to every target of `record`, in the record's order.
pub fn fit(record: &Record, run: &RunData) -> Vec<FitRow> {
    record.targets.iter().map(|t| fit_one(t, run)).collect()
}

/// A date's month on a continuous scale: months since year 0, the day as a fraction.
fn months(d: Date) -> f64 {
    let (y, m, day) = d.ymd();
    y as f64 * 12.0 + (m - 1) as f64 + (day - 1) as f64 / 31.0
}

/// A month of [`months`] as `YYYY-MM`, or `never`.
fn month_text(x: f64) -> String {
    if !x.is_finite() {
        return "never".to_string();
    }
    let whole = x.floor() as i64;
    format!("{}-{:02}", whole.div_euclid(12), whole.rem_euclid(12) + 1)
}

/// A record's number as written: as short as it reads.
fn number_text(x: f64) -> String {
    format!("{x}")
}

/// The quantile of sorted values that may end in infinities (decisions never taken): a
/// quantile that needs one of them is infinite.
fn quantile_or_never(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::INFINITY;
    }
    let h = (sorted.len() - 1) as f64 * q;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    if !sorted[lo].is_finite() || (hi != lo && !sorted[hi].is_finite()) {
        return f64::INFINITY;
    }
    quantile(sorted, q)
}

/// The Wilson score interval at 90% of a share of `n` replicates: the range a share of
/// replicates is known to within, where the 5th and 95th percentiles of its 0s and 1s say
/// nothing.
fn wilson(share: f64, n: usize) -> (f64, f64) {
    const Z: f64 = 1.644_853_626_951_472_2;
    if n == 0 {
        return (0.0, 1.0);
    }
    let n = n as f64;
    let centre = share + Z * Z / (2.0 * n);
    let spread = Z * (share * (1.0 - share) / n + Z * Z / (4.0 * n * n)).sqrt();
    let denominator = 1.0 + Z * Z / n;
    (
        ((centre - spread) / denominator).max(0.0),
        ((centre + spread) / denominator).min(1.0),
    )
}

/// The percentiles of dates (as [`months`], infinite for never) against the record's months
/// from `first` to `end`: the three as `fit.csv` writes them, the plot's values, and whether
/// the median lies inside.
fn dated(mut values: Vec<f64>, first: Date, end: Date) -> ([String; 3], FitValues, Within) {
    values.sort_by(f64::total_cmp);
    let [p5, median, p95] = [0.05, 0.5, 0.95].map(|q| quantile_or_never(&values, q));
    // The record's months: from the first day of the first to the end of the last.
    let (low, high) = (months(first).floor(), months(end).floor() + 1.0);
    let within = if median >= low && median < high {
        Within::Yes
    } else {
        Within::No
    };
    (
        [p5, median, p95].map(month_text),
        FitValues {
            low,
            high,
            p5,
            median,
            p95,
        },
        within,
    )
}

fn fit_one(t: &Target, run: &RunData) -> FitRow {
    let record = match t.interval {
        Interval::Numbers(l, h) => [number_text(l), number_text(h)],
        Interval::Dates(l, h) => [month_text(months(l)), month_text(months(h))],
        Interval::None => [String::new(), String::new()],
    };
    let row = |model: [String; 3], values: Option<FitValues>, within: Within| FitRow {
        target: t.id.clone(),
        what: t.what.clone(),
        source: t.sources_text(),
        essays: t.essays_text(),
        record: record.clone(),
        model,
        values,
        within,
    };
    let empty = || [String::new(), String::new(), String::new()];
    let cal = &run.calendar;
    let last = cal.date(cal.steps.saturating_sub(1));
    match (&t.measured, t.interval) {
        (Measured::Needs(_), _) | (_, Interval::None) => row(empty(), None, Within::Unmeasured),
        (
            Measured::Metric {
                measure,
                relative_to,
            },
            Interval::Numbers(low, high),
        ) => {
            let Ok(steps) = window_steps(cal, measure.window) else {
                return row(empty(), None, Within::OutsideRun);
            };
            let reference = match relative_to {
                None => None,
                Some(w) => match window_steps(cal, *w) {
                    Ok(r) => Some(*r.start()),
                    Err(_) => return row(empty(), None, Within::OutsideRun),
                },
            };
            let mut values: Vec<f64> = run
                .rows
                .iter()
                .map(|rows| {
                    let value = measure.value(cal, &steps, rows);
                    match reference {
                        None => value,
                        // A replicate whose reference is 0 (or past its end) has no ratio.
                        Some(r) => rows
                            .get(r)
                            .map_or(f64::NAN, |at| value / at[measure.metric]),
                    }
                })
                .filter(|x| x.is_finite())
                .collect();
            if values.is_empty() {
                return row(empty(), None, Within::OutsideRun);
            }
            values.sort_by(f64::total_cmp);
            let [p5, median, p95] = if measure.statistic == Statistic::Probability {
                let share = values.iter().sum::<f64>() / values.len() as f64;
                let (a, b) = wilson(share, values.len());
                [a, share, b]
            } else {
                [0.05, 0.5, 0.95].map(|q| quantile(&values, q))
            };
            let within = if (low..=high).contains(&median) {
                Within::Yes
            } else {
                Within::No
            };
            row(
                [p5, median, p95].map(fixed),
                Some(FitValues {
                    low,
                    high,
                    p5,
                    median,
                    p95,
                }),
                within,
            )
        }
        (Measured::Decision { decision, aimed_at }, Interval::Dates(first, end)) => {
            if first > last || cal.steps == 0 {
                return row(empty(), None, Within::OutsideRun);
            }
            let values: Vec<f64> = run
                .decisions
                .iter()
                .map(|taken| {
                    taken
                        .iter()
                        .find(|d| {
                            d.decision == *decision
                                && aimed_at.as_ref().is_none_or(|a| *a == d.target)
                        })
                        .map_or(f64::INFINITY, |d| months(cal.date(d.step)))
                })
                .collect();
            let (model, values, within) = dated(values, first, end);
            row(model, Some(values), within)
        }
        (Measured::PeakDate { metric, window }, Interval::Dates(first, end)) => {
            let Ok(steps) = window_steps(cal, *window) else {
                return row(empty(), None, Within::OutsideRun);
            };
            let values: Vec<f64> =
                run.rows
                    .iter()
                    .filter_map(|rows| {
                        let last = (*steps.end()).min(rows.len().checked_sub(1)?);
                        // The first step of the highest value: a plateau peaks when it is reached.
                        let step = (*steps.start()..=last).fold(
                            None,
                            |best: Option<usize>, s| match best {
                                Some(b) if rows[b][*metric] >= rows[s][*metric] => Some(b),
                                _ => Some(s),
                            },
                        )?;
                        Some(months(cal.date(step as u32)))
                    })
                    .collect();
            if values.is_empty() {
                return row(empty(), None, Within::OutsideRun);
            }
            let (model, values, within) = dated(values, first, end);
            row(model, Some(values), within)
        }
        // The parser gives a metric numbers, and a decision and a peak dates; nothing else
        // reaches here.
        _ => row(empty(), None, Within::Unmeasured),
    }
}

/// `fit.csv`: [`FIT_HEADER`], one row per target, quoted where a field needs it.
pub fn fit_csv(rows: &[FitRow]) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = w.write_record(FIT_HEADER);
    for r in rows {
        let _ = w.write_record([
            r.target.as_str(),
            &r.source,
            &r.essays,
            &r.record[0],
            &r.record[1],
            &r.model[0],
            &r.model[1],
            &r.model[2],
            r.within.name(),
        ]);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The rows of the fit's plot, one per target.
pub fn bars(rows: &[FitRow]) -> Vec<FitBar> {
    rows.iter()
        .map(|r| {
            let note = match r.within {
                Within::Unmeasured => "not yet measurable".to_string(),
                Within::OutsideRun => "outside the run's dates".to_string(),
                _ => format!(
                    "record {}..{}; model {} ({}..{})",
                    r.record[0], r.record[1], r.model[1], r.model[0], r.model[2]
                ),
            };
            FitBar {
                label: r.target.clone(),
                values: r.values,
                within: match r.within {
                    Within::Yes => Some(true),
                    Within::No => Some(false),
                    _ => None,
                },
                note,
            }
        })
        .collect()
}

/// How many of the measured targets the median lies within, of how many measured.
pub fn score(rows: &[FitRow]) -> (usize, usize) {
    let measured = rows
        .iter()
        .filter(|r| matches!(r.within, Within::Yes | Within::No))
        .count();
    let within = rows.iter().filter(|r| r.within == Within::Yes).count();
    (within, measured)
}

/// How a run's fit reads in one line: of the targets, how many the model measures and how
/// many of those its median lies within.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Score {
    pub within: usize,
    pub measured: usize,
    pub total: usize,
}

impl Score {
    pub fn of(rows: &[FitRow]) -> Score {
        let (within, measured) = score(rows);
        Score {
            within,
            measured,
            total: rows.len(),
        }
    }

    /// The score of a `fit.csv` read back (the main job's index counts each reading's fit
    /// so); `None` when the text is not a `fit.csv`.
    pub fn of_csv(text: &str) -> Option<Score> {
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let header = reader.headers().ok()?.clone();
        if header.iter().ne(FIT_HEADER) {
            return None;
        }
        let column = FIT_HEADER.len() - 1;
        let mut score = Score {
            within: 0,
            measured: 0,
            total: 0,
        };
        for record in reader.records() {
            let within = record.ok()?.get(column)?.to_string();
            score.total += 1;
            match within.as_str() {
                "yes" => {
                    score.within += 1;
                    score.measured += 1;
                }
                "no" => score.measured += 1,
                "unmeasured" | "outside_run" => {}
                _ => return None,
            }
        }
        Some(score)
    }
}
