//! `sovsim run`: checks every scenario named, then runs each as an ensemble and writes
//! `OUT/<name>/`.

use std::path::PathBuf;

use anyhow::Result;

use sovsim::scenario::Scenario;

use super::common::ensembles::run_ensembles;
use super::common::files::load_valid;
use super::common::settings::RunSettings;

/// Checks every file before running any, then runs them; returns the scenarios run.
pub fn run(settings: &RunSettings) -> Result<Vec<(PathBuf, Scenario)>> {
    let scenarios = load_valid(&settings.paths)?;
    run_ensembles(&settings.ensemble, settings.plots, &scenarios)?;
    Ok(scenarios)
}
