//! `sovsim fit`: reads a finished run's folder and a record, and writes the run's fit to
//! the record beside the run (`fit.csv`, `fit.svg`, `fit.png`). The record is checked
//! first, every problem at once, and nothing is written when it is refused.

use std::fs;
use std::path::PathBuf;

use anyhow::{Context, Result};

use sovsim::record::{self, fit};

use super::common::settings::FitSettings;
use super::common::{InvalidInput, job, read_input, write};

/// Fits the run to the record; returns the path of `fit.csv`.
pub fn fit(settings: &FitSettings) -> Result<PathBuf> {
    let shown = settings.record.display().to_string();
    let text = read_input(&settings.record).map_err(InvalidInput)?;
    let record = record::parse(&text, &shown).map_err(|d| InvalidInput(d.to_string()))?;
    let dir = &settings.dir;
    let read = |name: &str| {
        let path = dir.join(name);
        fs::read_to_string(&path).with_context(|| {
            format!(
                "cannot read {} (is {} the folder of a finished run?)",
                path.display(),
                dir.display()
            )
        })
    };
    let run = fit::RunData::read(
        &read("manifest.json")?,
        &read("runs.csv")?,
        &read("decisions.csv")?,
    )
    .with_context(|| format!("reading the run in {}", dir.display()))?;
    let rows = fit::fit(&record, &run);
    let csv_path = dir.join("fit.csv");
    write(&csv_path, fit::fit_csv(&rows).as_bytes())?;
    let (within, measured) = fit::score(&rows);
    let title = format!(
        "{}: the record's targets against the ensemble ({within} of {measured} measured within)",
        run.scenario
    );
    sovsim::plot::fit::write_fit(dir, &title, &fit::bars(&rows)).context("the fit's plot")?;
    if !settings.quiet {
        job::say(format!(
            "sovsim: wrote {} ({within} of {measured} measured targets within the record; {} not yet measurable or outside the run)",
            csv_path.display(),
            rows.len() - measured
        ));
    }
    Ok(csv_path)
}
