//! `sovsim fit`: reads a finished run's folder and a record, and writes the run's fit to
//! the record beside the run (`fit.csv`, `fit.svg`, `fit.png`). The record is checked
//! first, every problem at once, and nothing is written when it is refused. The fitting
//! and writing are `run`'s too (`commands::common::fitting::write_fit`).

use std::path::PathBuf;

use anyhow::{Context, Result};

use sovsim::record::fit::RunData;

use super::common::fitting::{RecordError, read_record, run_file, write_fit};
use super::common::settings::FitSettings;
use super::common::{InvalidInput, job};

/// Fits the run to the record; returns the path of `fit.csv`.
pub fn fit(settings: &FitSettings) -> Result<PathBuf> {
    let loaded = read_record(&settings.record).map_err(|e| {
        InvalidInput(match e {
            RecordError::Unreadable(why) => {
                format!("{}: error: cannot read: {why}", settings.record.display())
            }
            RecordError::Invalid(d) => d.to_string(),
        })
    })?;
    let dir = &settings.dir;
    let run = RunData::read(
        &run_file(dir, "manifest.json")?,
        &run_file(dir, "runs.csv")?,
        &run_file(dir, "decisions.csv")?,
    )
    .with_context(|| format!("reading the run in {}", dir.display()))?;
    let fitted = write_fit(dir, &loaded.record, &run, true)?;
    if !settings.quiet {
        job::say(fitted.summary());
    }
    Ok(fitted.csv)
}
