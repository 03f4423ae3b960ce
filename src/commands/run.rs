//! `sovsim run`: checks every scenario named (under the `--view` given, if any), then runs
//! each as an ensemble and writes `OUT/<name>/`.

use std::path::PathBuf;

use anyhow::Result;

use sovsim::scenario::Scenario;

use super::common::ensembles::run_ensembles;
use super::common::files::{load_valid, load_view};
use super::common::settings::RunSettings;

/// Checks every file before running any, then runs them; returns the scenarios run.
pub fn run(settings: &RunSettings) -> Result<Vec<(PathBuf, Scenario)>> {
    let view = load_view(settings.ensemble.view.as_deref())?;
    let scenarios = load_valid(&settings.paths, view.as_ref())?;
    run_ensembles(
        &settings.ensemble,
        settings.plots,
        settings.reuse,
        &scenarios,
    )?;
    Ok(scenarios)
}
