//! The record of the shared history as the commands use it: the record a scenario names,
//! read and checked when the scenario is read (what is wrong with it is a diagnostic at the
//! scenario's `record` key, the record's own problems listed under it), and a run's fit to
//! a record written beside the run (`fit.csv`, `fit.svg`, `fit.png`) by [`write_fit`], the
//! one function both `sovsim fit` and `run` (for a scenario that names a record) call.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use sovsim::model::Calendar;
use sovsim::record::fit::{self, FitRow, RunData, Score};
use sovsim::record::{self, Record};
use sovsim::scenario::{Scenario, hex_sha256};

use super::{TextError, lexically_normal, read_text, write};

/// A record read and checked, with the file it was read from and the hash of its bytes
/// (which a fitted run's manifest records).
#[derive(Clone, Debug)]
pub struct LoadedRecord {
    pub record: Record,
    pub path: PathBuf,
    pub sha256: String,
}

/// Why a record could not be had: it could not be read, or it has problems.
#[derive(Debug)]
pub enum RecordError {
    /// The file could not be read.
    Unreadable(std::io::Error),
    /// Every problem of the record, located (one, at its first bad byte, for a file that is
    /// not UTF-8).
    Invalid(sovsim::format::Diagnostics),
}

/// The record at `path`, read and checked.
pub fn read_record(path: &Path) -> std::result::Result<LoadedRecord, RecordError> {
    let shown = path.display().to_string();
    let text = read_text(path).map_err(|e| match e {
        TextError::Io(e) => RecordError::Unreadable(e),
        TextError::NotUtf8(d) => RecordError::Invalid(sovsim::format::Diagnostics(vec![d])),
    })?;
    let record = record::parse(&text, &shown).map_err(RecordError::Invalid)?;
    Ok(LoadedRecord {
        record,
        path: path.to_path_buf(),
        sha256: hex_sha256(text.as_bytes()),
    })
}

/// The record `scenario` names, read and checked: none when it names none. A record that
/// cannot be read or has problems is a diagnostic at the `record` key of the file that
/// names it, followed by the record's own problems (as a sweep's base scenario's are
/// reported under its `base`), as printable text.
pub fn named_record(scenario: &Scenario) -> std::result::Result<Option<LoadedRecord>, String> {
    let Some(name) = &scenario.record else {
        return Ok(None);
    };
    // Relative to the file that names it, as `extends` is: an inherited key means the
    // parent's folder.
    let base = Path::new(name.file()).parent().unwrap_or(Path::new(""));
    let path = lexically_normal(&base.join(&name.written));
    read_record(&path).map(Some).map_err(|e| match e {
        RecordError::Unreadable(why) => name
            .diagnostic(format!("cannot read the record {}: {why}", path.display()))
            .to_string(),
        RecordError::Invalid(d) => format!(
            "{}\n{d}",
            name.diagnostic(format!("the record {} is invalid:", path.display()))
        ),
    })
}

/// A run's fit, written.
#[derive(Clone, Debug)]
pub struct Fitted {
    pub rows: Vec<FitRow>,
    pub score: Score,
    pub csv: PathBuf,
    /// The plot's SVG, when it was drawn.
    pub svg: Option<String>,
}

impl Fitted {
    /// How close the run comes, in words: `5 of 18 measured targets within the record; 13
    /// not yet measurable or outside the run`.
    pub fn score_text(&self) -> String {
        let s = self.score;
        format!(
            "{} of {} measured targets within the record; {} not yet measurable or outside the run",
            s.within,
            s.measured,
            s.total - s.measured
        )
    }

    /// The line `sovsim fit` and `run` print.
    pub fn summary(&self) -> String {
        format!(
            "sovsim: wrote {} ({})",
            self.csv.display(),
            self.score_text()
        )
    }
}

/// Fits `run` to `record` and writes `dir/fit.csv` and, with `draw`, the plot
/// (`dir/fit.svg`, `dir/fit.png`), each file whole or not at all.
pub fn write_fit(dir: &Path, record: &Record, run: &RunData, draw: bool) -> Result<Fitted> {
    let rows = fit::fit(record, run);
    let csv = dir.join("fit.csv");
    write(&csv, fit::fit_csv(&rows).as_bytes())?;
    let score = Score::of(&rows);
    let svg = if draw {
        let title = format!(
            "{}: the record's targets against the ensemble ({} of {} measured within)",
            run.scenario, score.within, score.measured
        );
        Some(
            sovsim::plot::fit::write_fit(dir, &title, &fit::bars(&rows))
                .context("the fit's plot")?,
        )
    } else {
        None
    };
    Ok(Fitted {
        rows,
        score,
        csv,
        svg,
    })
}

/// A file of a finished run's folder, or why it cannot be read.
pub fn run_file(dir: &Path, name: &str) -> Result<String> {
    let path = dir.join(name);
    fs::read_to_string(&path).with_context(|| {
        format!(
            "cannot read {} (is {} the folder of a finished run?)",
            path.display(),
            dir.display()
        )
    })
}

/// The run `run` has just written into `dir` (its `runs.csv` and `decisions.csv`), read back
/// as `sovsim fit` reads a finished run, so that the two fit alike; its manifest, which lists
/// the fit among the run's files, is not written yet.
pub fn written_run(dir: &Path, name: &str, calendar: Calendar, replicates: u32) -> Result<RunData> {
    RunData::of(
        name,
        calendar,
        replicates,
        &run_file(dir, "runs.csv")?,
        &run_file(dir, "decisions.csv")?,
    )
    .with_context(|| format!("reading the run in {}", dir.display()))
}
