//! The files a run writes: `runs.csv` (every replicate and step), `decisions.csv` (every
//! decision the leadership took, replicate by replicate), `summary.csv` (ensemble statistics
//! per step and metric) and `manifest.json` (what was run, how, and how fast).
//! Every file is written to a temporary file in the same folder and renamed into place when
//! complete, so a crash never leaves a truncated file that looks finished.
//!
//! [`EnsembleWriter`] streams: each replicate's rows go to `runs.csv` and its decisions to
//! `decisions.csv` (buffered) as the replicate is handed over, and to a binary spill file from which `summary.csv` is computed
//! at the end a block of steps at a time, so memory does not grow with the number of
//! replicates. The spill keeps full precision, so the summary is exactly what it would be
//! with every value in memory.

use std::fmt::Write as _;
use std::fs;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write as _};
use std::path::{Path, PathBuf};

use crate::ensemble::ReplicateResult;
use crate::metrics::METRIC_COUNT;
use crate::scenario::Scenario;

mod manifest;
pub mod read;
pub mod timeline;

pub use manifest::{
    Manifest, RUN_FILES, RecordUsed, SOVSIM_VERSION, ScenarioRun, SweepManifest, fitted_to,
    manifest_matches, outputs_of, reusable, unchanged,
};
pub use read::{ReadError, as_written, read_decisions, read_final_rows, read_runs, read_summary};
pub use timeline::{ScenarioDecisions, Timeline};

/// A metric came out as NaN or infinite: a bug in the model, never to be written as data.
#[derive(Debug, thiserror::Error)]
#[error("metric {metric} is {value} at replicate {replicate}, step {step}")]
pub struct NonFinite {
    pub metric: &'static str,
    pub value: f64,
    pub replicate: u32,
    pub step: u32,
}

/// Appends a value with six decimals, as every CSV and report sovsim writes shows it; `-0`
/// is written as `0`.
pub fn push_fixed(out: &mut String, x: f64) {
    let x = if x == 0.0 { 0.0 } else { x };
    let _ = write!(out, "{x:.6}");
}

/// A value with six decimals ([`push_fixed`]), as a string of its own.
pub fn fixed(x: f64) -> String {
    let mut out = String::with_capacity(12);
    push_fixed(&mut out, x);
    out
}

/// Checks every value of every replicate, of the metrics `names` (a scenario's
/// [`Scenario::metric_names`]: a reference model fills only the first few columns of a row,
/// and its metrics have their own names).
pub fn check_finite(names: &[&'static str], results: &[ReplicateResult]) -> Result<(), NonFinite> {
    for r in results {
        for (step, row) in r.rows.iter().enumerate() {
            for (&metric, &value) in names.iter().zip(row.iter()) {
                if !value.is_finite() {
                    return Err(NonFinite {
                        metric,
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
    runs_header(&mut out, scenario);
    for r in results {
        runs_rows(&mut out, scenario, r);
    }
    out
}

/// The columns of `decisions.csv`.
pub const DECISIONS_HEADER: [&str; 5] = ["replicate", "date", "decision", "target", "why"];

/// `decisions.csv`: `replicate,date,decision,target,why`, one row per decision taken, by
/// replicate and then in the order taken; the date is the step's, as `runs.csv` writes it,
/// and fields are quoted where they need to be (a reason may hold commas). A reference model
/// takes no decisions: its file is the header alone, so that every run has the same files.
pub fn decisions_csv(scenario: &Scenario, results: &[ReplicateResult]) -> String {
    let mut w = decisions_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = w.write_record(DECISIONS_HEADER);
    for r in results {
        let _ = decision_rows(&mut w, scenario, r);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The CSV writer of `decisions.csv`: quoted where needed, lines ending in `\n` as in the
/// other CSV files.
fn decisions_writer<W: std::io::Write>(to: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(to)
}

/// The rows of one replicate's decisions in `decisions.csv`.
fn decision_rows<W: std::io::Write>(
    w: &mut csv::Writer<W>,
    scenario: &Scenario,
    r: &ReplicateResult,
) -> csv::Result<()> {
    let replicate = r.replicate.to_string();
    for d in &r.decisions {
        let date = scenario.calendar.date(d.step).to_string();
        w.write_record([
            replicate.as_str(),
            &date,
            d.decision.name(),
            &d.target,
            &d.why,
        ])?;
    }
    Ok(())
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
        summary_rows(&mut out, scenario, step, &mut values, |k, values| {
            values.extend(results.iter().map(|r| r.rows[step][k]));
        });
    }
    out
}

/// The statistics [`summary_csv`] writes, for the plots.
pub fn summarise(scenario: &Scenario, results: &[ReplicateResult]) -> EnsembleSummary {
    let steps = results.first().map_or(0, |r| r.rows.len());
    let mut sink = String::new();
    let mut values = Vec::with_capacity(results.len());
    let stats = (0..steps)
        .map(|step| {
            sink.clear();
            summary_rows(&mut sink, scenario, step, &mut values, |k, values| {
                values.extend(results.iter().map(|r| r.rows[step][k]));
            })
        })
        .collect();
    let decisions: Vec<Vec<crate::model::DecisionRecord>> =
        results.iter().map(|r| r.decisions.clone()).collect();
    EnsembleSummary {
        stats,
        decisions: Timeline::of(scenario.steps(), &decisions),
        traces: results.iter().take(TRACES).cloned().collect(),
        finals: results
            .iter()
            .filter_map(|r| r.rows.last().copied())
            .collect(),
    }
}

/// Why writing an ensemble's files failed.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(transparent)]
    NonFinite(#[from] NonFinite),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The header and rows of one replicate in `runs.csv`.
fn runs_rows(out: &mut String, scenario: &Scenario, r: &ReplicateResult) {
    for (step, row) in r.rows.iter().enumerate() {
        let date = scenario.calendar.date(step as u32);
        let _ = write!(out, "{},{},{}", r.replicate, step, date);
        for &v in &row[..scenario.metric_names().len()] {
            out.push(',');
            push_fixed(out, v);
        }
        out.push('\n');
    }
}

fn runs_header(out: &mut String, scenario: &Scenario) {
    out.push_str("replicate,step,date");
    for name in scenario.metric_names() {
        out.push(',');
        out.push_str(name);
    }
    out.push('\n');
}

/// Writes `runs.csv`, `decisions.csv` and `summary.csv` for one ensemble, replicate by
/// replicate. Nothing is in place until [`EnsembleWriter::finish`]; if the writer is dropped
/// before, its temporary files are removed and nothing that looks complete is left.
pub struct EnsembleWriter {
    dir: PathBuf,
    runs_tmp: PathBuf,
    runs: Option<BufWriter<fs::File>>,
    decisions_tmp: PathBuf,
    decisions: Option<csv::Writer<fs::File>>,
    timeline: Timeline,
    spill_tmp: PathBuf,
    spill: Option<BufWriter<fs::File>>,
    steps: usize,
    replicates: u32,
    text: String,
    traces: Vec<ReplicateResult>,
    finals: Vec<crate::metrics::Row>,
}

impl EnsembleWriter {
    /// Starts the files of an ensemble of `scenario` in `dir`.
    pub fn create(dir: &Path, scenario: &Scenario) -> Result<EnsembleWriter, OutputError> {
        let steps = scenario.steps() as usize;
        remove_stale_temporaries(dir);
        let tag = std::process::id();
        let runs_tmp = dir.join(format!(".runs.csv.tmp-{tag}"));
        let decisions_tmp = dir.join(format!(".decisions.csv.tmp-{tag}"));
        let spill_tmp = dir.join(format!(".summary.spill.tmp-{tag}"));
        let open = |path: &Path| {
            fs::File::create(path)
                .map(|f| BufWriter::with_capacity(1 << 16, f))
                .map_err(|source| OutputError::Io {
                    path: path.to_path_buf(),
                    source,
                })
        };
        let mut writer = EnsembleWriter {
            dir: dir.to_path_buf(),
            runs: Some(open(&runs_tmp)?),
            decisions: None,
            decisions_tmp: decisions_tmp.clone(),
            timeline: Timeline::new(scenario.steps()),
            spill: None,
            runs_tmp,
            spill_tmp: spill_tmp.clone(),
            steps,
            replicates: 0,
            text: String::new(),
            traces: Vec::new(),
            finals: Vec::new(),
        };
        writer.spill = Some(open(&spill_tmp)?);
        let file = fs::File::create(&decisions_tmp).map_err(writer.io(&decisions_tmp))?;
        let mut decisions = decisions_writer(file);
        decisions
            .write_record(DECISIONS_HEADER)
            .map_err(|e| writer.io(&decisions_tmp)(e.into()))?;
        writer.decisions = Some(decisions);
        runs_header(&mut writer.text, scenario);
        writer.flush_text()?;
        Ok(writer)
    }

    fn io(&self, path: &Path) -> impl Fn(std::io::Error) -> OutputError + use<> {
        let path = path.to_path_buf();
        move |source| OutputError::Io {
            path: path.clone(),
            source,
        }
    }

    fn flush_text(&mut self) -> Result<(), OutputError> {
        let err = self.io(&self.runs_tmp);
        if let Some(runs) = self.runs.as_mut() {
            runs.write_all(self.text.as_bytes()).map_err(err)?;
        }
        self.text.clear();
        Ok(())
    }

    /// Adds the next replicate (replicates must come in order, 0 first).
    pub fn add(&mut self, scenario: &Scenario, r: &ReplicateResult) -> Result<(), OutputError> {
        check_finite(scenario.metric_names(), std::slice::from_ref(r))?;
        runs_rows(&mut self.text, scenario, r);
        self.flush_text()?;
        let err = self.io(&self.spill_tmp);
        if let Some(spill) = self.spill.as_mut() {
            for row in &r.rows {
                for v in row {
                    spill.write_all(&v.to_le_bytes()).map_err(&err)?;
                }
            }
        }
        let err = self.io(&self.decisions_tmp);
        if let Some(decisions) = self.decisions.as_mut() {
            decision_rows(decisions, scenario, r).map_err(|e| err(e.into()))?;
        }
        self.timeline.add(&r.decisions);
        self.replicates += 1;
        if self.traces.len() < TRACES {
            self.traces.push(r.clone());
        }
        self.finals.extend(r.rows.last().copied());
        Ok(())
    }

    /// Completes both files and moves them into place; returns the statistics and traces
    /// for the plots.
    pub fn finish(mut self, scenario: &Scenario) -> Result<EnsembleSummary, OutputError> {
        let runs_err = self.io(&self.runs_tmp);
        if let Some(runs) = self.runs.take() {
            let file = runs.into_inner().map_err(|e| runs_err(e.into_error()))?;
            file.sync_all().map_err(&runs_err)?;
        }
        fs::rename(&self.runs_tmp, self.dir.join("runs.csv")).map_err(&runs_err)?;
        let decisions_err = self.io(&self.decisions_tmp);
        if let Some(decisions) = self.decisions.take() {
            let file = decisions
                .into_inner()
                .map_err(|e| decisions_err(e.into_error()))?;
            file.sync_all().map_err(&decisions_err)?;
        }
        fs::rename(&self.decisions_tmp, self.dir.join("decisions.csv")).map_err(&decisions_err)?;
        let spill_err = self.io(&self.spill_tmp);
        if let Some(spill) = self.spill.take() {
            spill.into_inner().map_err(|e| spill_err(e.into_error()))?;
        }
        let (summary, stats) = self.summary(scenario).map_err(&spill_err)?;
        let path = self.dir.join("summary.csv");
        write_atomic(&path, summary.as_bytes()).map_err(self.io(&path))?;
        let _ = fs::remove_file(&self.spill_tmp);
        Ok(EnsembleSummary {
            stats,
            decisions: std::mem::take(&mut self.timeline),
            traces: std::mem::take(&mut self.traces),
            finals: std::mem::take(&mut self.finals),
        })
    }

    /// `summary.csv` from the spill, a block of steps at a time (about 4 MB of values).
    fn summary(&self, scenario: &Scenario) -> std::io::Result<(String, Vec<StepStats>)> {
        let replicates = self.replicates as usize;
        let steps = self.steps;
        let row_bytes = METRIC_COUNT * 8;
        let block = (4 << 20) / (replicates.max(1) * row_bytes).max(1);
        let block = block.clamp(1, steps.max(1));
        let mut file = fs::File::open(&self.spill_tmp)?;
        let mut buffer = vec![0u8; replicates * block * row_bytes];
        let mut out = String::with_capacity(steps * METRIC_COUNT * 80 + 64);
        out.push_str("step,date,metric,mean,sd,p05,p50,p95\n");
        let mut values = Vec::with_capacity(replicates);
        let mut stats = Vec::with_capacity(steps);
        let mut first = 0;
        while first < steps {
            let n = block.min(steps - first);
            for r in 0..replicates {
                let offset = ((r * steps + first) * row_bytes) as u64;
                file.seek(SeekFrom::Start(offset))?;
                let at = r * block * row_bytes;
                file.read_exact(&mut buffer[at..at + n * row_bytes])?;
            }
            let value = |r: usize, s: usize, k: usize| {
                let at = r * block * row_bytes + (s * METRIC_COUNT + k) * 8;
                let mut b = [0u8; 8];
                b.copy_from_slice(&buffer[at..at + 8]);
                f64::from_le_bytes(b)
            };
            for s in 0..n {
                let step = first + s;
                stats.push(summary_rows(
                    &mut out,
                    scenario,
                    step,
                    &mut values,
                    |k, values: &mut Vec<f64>| {
                        values.extend((0..replicates).map(|r| value(r, s, k)));
                    },
                ));
            }
            first += n;
        }
        Ok((out, stats))
    }
}

impl Drop for EnsembleWriter {
    fn drop(&mut self) {
        // Unfinished: take the temporary files away.
        if self.runs.is_some() || self.spill.is_some() || self.decisions.is_some() {
            self.runs = None;
            self.spill = None;
            self.decisions = None;
            let _ = fs::remove_file(&self.runs_tmp);
            let _ = fs::remove_file(&self.spill_tmp);
            let _ = fs::remove_file(&self.decisions_tmp);
        }
    }
}

/// The summary lines of one step: `fill(k, values)` must push metric `k`'s value of every
/// replicate, in replicate order.
fn summary_rows(
    out: &mut String,
    scenario: &Scenario,
    step: usize,
    values: &mut Vec<f64>,
    mut fill: impl FnMut(usize, &mut Vec<f64>),
) -> StepStats {
    let date = scenario.calendar.date(step as u32);
    let mut stats: StepStats = [[0.0; 5]; METRIC_COUNT];
    for (k, name) in scenario.metric_names().iter().enumerate() {
        values.clear();
        fill(k, values);
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
        stats[k] = [
            mean,
            sd,
            quantile(values, 0.05),
            quantile(values, 0.5),
            quantile(values, 0.95),
        ];
        for v in stats[k] {
            out.push(',');
            push_fixed(out, v);
        }
        out.push('\n');
    }
    stats
}

/// One step's ensemble statistics per metric: mean, sd, p05, p50, p95.
pub type StepStats = [[f64; 5]; METRIC_COUNT];

/// What an ensemble left for the plots: its statistics per step, when each replicate first
/// took each decision, and the first few replicates' rows as traces.
#[derive(Clone, Debug, Default)]
pub struct EnsembleSummary {
    pub stats: Vec<StepStats>,
    pub decisions: Timeline,
    pub traces: Vec<ReplicateResult>,
    /// Every replicate's row at the last step, in replicate order.
    pub finals: Vec<crate::metrics::Row>,
}

/// Replicates kept whole for the plots' thin traces.
pub const TRACES: usize = 3;

/// Removes the temporary files a killed run left in `dir` (`.<name>.tmp-<pid>`, hidden and
/// never mistaken for results), so that a rerun leaves a clean folder.
pub fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && name.contains(".tmp-") {
            let _ = fs::remove_file(entry.path());
        }
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

    /// A NaN is named by the scenario's own metric names (a reference model's first column
    /// is not `soviet_power`), and columns a reference model does not fill are not checked.
    #[test]
    fn non_finite_values_are_named_by_the_scenarios_metrics() {
        let names: &[&'static str] = &["actives", "jailed"];
        let mut row = [0.0; METRIC_COUNT];
        row[METRIC_COUNT - 1] = f64::NAN;
        let mut result = crate::ensemble::ReplicateResult {
            replicate: 3,
            rows: vec![row; 4],
            decisions: Vec::new(),
        };
        assert!(check_finite(names, std::slice::from_ref(&result)).is_ok());
        result.rows[2][1] = f64::INFINITY;
        let e = check_finite(names, std::slice::from_ref(&result)).unwrap_err();
        assert_eq!((e.metric, e.replicate, e.step), ("jailed", 3, 2));
        let all = crate::metrics::METRIC_NAMES;
        let e = check_finite(&all, &[result]).unwrap_err();
        assert_eq!(
            (e.metric, e.step),
            (all[METRIC_COUNT - 1], 0),
            "with every metric checked, the NaN in the last column comes first"
        );
    }

    #[test]
    fn numbers_have_six_decimals_and_no_negative_zero() {
        let mut s = String::new();
        push_fixed(&mut s, -0.0);
        s.push(' ');
        push_fixed(&mut s, 1.0 / 3.0);
        assert_eq!(s, "0.000000 0.333333");
        assert_eq!(
            fixed(-1e-9),
            "-0.000000",
            "only an exact zero loses its sign"
        );
        assert_eq!(fixed(2.5), "2.500000");
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

    #[test]
    fn the_streaming_writer_writes_what_the_in_memory_functions_write() {
        let text = crate::testing::TEST_SCENARIO
            .replace("agents = 1000", "agents = 150")
            .replace("end = \"1919-12\"", "end = \"1918-06\"");
        let scenario = Scenario::parse(&text, "t.toml").unwrap();
        let results = crate::ensemble::run(&scenario, 9, 3, &|_| {});
        let dir = tempfile::tempdir().unwrap();
        let mut writer = EnsembleWriter::create(dir.path(), &scenario).unwrap();
        for r in &results {
            writer.add(&scenario, r).unwrap();
        }
        let streamed = writer.finish(&scenario).unwrap();
        let runs = fs::read_to_string(dir.path().join("runs.csv")).unwrap();
        let summary = fs::read_to_string(dir.path().join("summary.csv")).unwrap();
        let decisions = fs::read_to_string(dir.path().join("decisions.csv")).unwrap();
        assert_eq!(runs, runs_csv(&scenario, &results));
        assert_eq!(summary, summary_csv(&scenario, &results));
        assert_eq!(decisions, decisions_csv(&scenario, &results));
        assert!(decisions.starts_with("replicate,date,decision,target,why\n"));
        assert_eq!(
            streamed.decisions,
            summarise(&scenario, &results).decisions,
            "the timeline of the streamed replicates is that of them all"
        );
        assert_eq!(streamed.decisions.replicates(), 3);
        let mut names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["decisions.csv", "runs.csv", "summary.csv"],
            "no temporary files left"
        );
    }

    #[test]
    fn an_unfinished_writer_leaves_nothing_behind() {
        let text = crate::testing::TEST_SCENARIO
            .replace("agents = 1000", "agents = 100")
            .replace("end = \"1919-12\"", "end = \"1918-01\"");
        let scenario = Scenario::parse(&text, "t.toml").unwrap();
        let results = crate::ensemble::run(&scenario, 9, 1, &|_| {});
        let dir = tempfile::tempdir().unwrap();
        let mut writer = EnsembleWriter::create(dir.path(), &scenario).unwrap();
        writer.add(&scenario, &results[0]).unwrap();
        drop(writer);
        assert!(fs::read_dir(dir.path()).unwrap().next().is_none());
        let mut broken = results[0].clone();
        broken.rows[1][3] = f64::NAN;
        let mut writer = EnsembleWriter::create(dir.path(), &scenario).unwrap();
        assert!(matches!(
            writer.add(&scenario, &broken),
            Err(OutputError::NonFinite(_))
        ));
        drop(writer);
        assert!(fs::read_dir(dir.path()).unwrap().next().is_none());
    }
}
