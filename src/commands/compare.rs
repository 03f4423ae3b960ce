//! `sovsim compare`: runs the scenarios not already run (reusing runs whose manifest
//! matches), then writes `OUT/compare-<names>/` (`OUT/compare-<names>.view-<view>/` under a
//! view): `comparison.csv`, overlay plots, the overview, the decision timelines side by side
//! and `report.html`. Everything is read back from the runs' files, so a reused run and a
//! fresh one give the same comparison.

use std::fs;
use std::path::PathBuf;

use anyhow::{Context, Result};

use sovsim::compare::{Side, pairing};
use sovsim::metrics;
use sovsim::output::{self, ScenarioRun};
use sovsim::scenario::viewed_name;

use super::common::ensembles::ensure_runs;
use super::common::files::{load_valid, load_view};
use super::common::settings::CompareSettings;
use super::common::{InvalidInput, write};

/// Runs what is not already run, then writes the comparison; returns its folder.
pub fn compare(settings: &CompareSettings) -> Result<PathBuf> {
    let view = load_view(settings.ensemble.view.as_deref())?;
    let scenarios = load_valid(&settings.paths, view.as_ref())?;
    // Scenarios are compared metric by metric: they must record the same ones.
    let metric_names = scenarios[0].1.metric_names();
    if let Some((_, other)) = scenarios
        .iter()
        .find(|(_, s)| s.metric_names() != metric_names)
    {
        return Err(InvalidInput(format!(
            "sovsim: error: {} and {} record different metrics ({} against {}); only scenarios of the same model can be compared",
            scenarios[0].1.name,
            other.name,
            metric_names.join(", "),
            other.metric_names().join(", ")
        ))
        .into());
    }
    let mut metrics = Vec::new();
    for name in &settings.metrics {
        match metric_names.iter().position(|m| m == name) {
            Some(k) => metrics.push(k),
            None => {
                return Err(InvalidInput(format!(
                    "sovsim: error: unknown metric `{name}`{}; expected one of {}",
                    sovsim::scenario::suggest(name, metric_names.iter().copied()),
                    metric_names.join(", ")
                ))
                .into());
            }
        }
    }
    if metrics.is_empty() {
        metrics = (0..metric_names.len()).collect();
    }
    ensure_runs(&settings.ensemble, &scenarios)?;
    let mut finals = Vec::new();
    let mut stats = Vec::new();
    let mut timelines = Vec::new();
    for (_, s) in &scenarios {
        let dir = settings.ensemble.out.join(&s.name);
        let read = |name: &str| {
            let path = dir.join(name);
            fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))
        };
        let summary = read("summary.csv")?;
        let runs = read("runs.csv")?;
        stats.push(output::read_summary(
            &summary,
            "summary.csv",
            s.metric_names(),
        )?);
        finals.push((
            s.name.clone(),
            output::read_final_rows(&runs, "runs.csv", s.metric_names().len())?,
        ));
        let decisions = output::read_decisions(
            &read("decisions.csv")?,
            "decisions.csv",
            &s.calendar,
            settings.ensemble.replicates_of(s),
        )?;
        timelines.push(output::Timeline::of(s.steps(), &decisions));
    }
    let names: Vec<&str> = scenarios.iter().map(|(_, s)| s.name.as_str()).collect();
    // Under a view every name carries it: the folder names the scenarios, then the view once.
    let folder = match &view {
        Some(v) => {
            let suffix = viewed_name("", &v.name);
            let own: Vec<&str> = names
                .iter()
                .map(|n| n.strip_suffix(suffix.as_str()).unwrap_or(n))
                .collect();
            format!("compare-{}{suffix}", own.join("-"))
        }
        None => format!("compare-{}", names.join("-")),
    };
    let dir = settings.ensemble.out.join(folder);
    fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let seed = settings.ensemble.seed_of(&scenarios[0].1);
    // Each scenario pairs with the first (or not) by the one rule every comparison uses.
    let sides: Vec<Side> = scenarios
        .iter()
        .zip(&finals)
        .map(|((_, s), (_, rows))| Side {
            scenario: s,
            seed: settings.ensemble.seed_of(s),
            replicates: u32::try_from(rows.len()).unwrap_or(u32::MAX),
        })
        .collect();
    let pairings: Vec<_> = sides.iter().map(|b| pairing(*b, Some(sides[0]))).collect();
    let rows = sovsim::compare::comparison(&finals, &pairings, metric_names, &metrics, seed);
    write(
        &dir.join("comparison.csv"),
        sovsim::compare::comparison_csv(&rows).as_bytes(),
    )?;
    let lines: Vec<sovsim::plot::Overlay> = scenarios
        .iter()
        .zip(&stats)
        .map(|((_, s), st)| sovsim::plot::Overlay {
            name: &s.name,
            metrics: s.metric_names(),
            calendar: s.calendar,
            stats: st,
        })
        .collect();
    let title = names.join(" vs ");
    let svgs =
        sovsim::plot::write_overlays(&dir, &title, &lines, &metrics).context("comparison plots")?;
    // The overview shows the revolution model's main questions; a reference model has none.
    let overview = if metric_names == metrics::METRIC_NAMES {
        Some(sovsim::plot::write_overview(&dir, &title, &lines).context("the overview plot")?)
    } else {
        None
    };
    // Scenarios of one model: all reference models (no leadership) or none.
    let decisions = if scenarios[0].1.reference.is_none() {
        let lines: Vec<output::ScenarioDecisions> = scenarios
            .iter()
            .zip(&timelines)
            .map(|((_, s), timeline)| output::ScenarioDecisions {
                name: &s.name,
                calendar: s.calendar,
                timeline,
                modes: s.decisions,
            })
            .collect();
        let svg = sovsim::plot::write_decisions(&dir, &title, &lines)
            .context("the decision timelines")?;
        Some(sovsim::report::ReportDecisions {
            svg,
            sentences: sovsim::report::decisions::sentences(&lines),
        })
    } else {
        None
    };
    let described: Vec<ScenarioRun> = scenarios
        .iter()
        .map(|(_, s)| {
            ScenarioRun::of(
                s,
                settings.ensemble.seed_of(s),
                settings.ensemble.replicates_of(s),
            )
        })
        .collect();
    let plots: Vec<sovsim::report::ReportPlot> = svgs
        .into_iter()
        .map(|(metric, svg)| sovsim::report::ReportPlot {
            metric,
            name: metric_names[metric],
            svg,
        })
        .collect();
    let mut command = String::from("sovsim compare");
    for path in &settings.paths {
        command.push(' ');
        command.push_str(&path.display().to_string());
    }
    if !settings.metrics.is_empty() {
        command.push_str(&format!(" --metrics {}", settings.metrics.join(",")));
    }
    command.push_str(&settings.ensemble.flags());
    command.push_str(&format!(" --out {}", settings.ensemble.out.display()));
    let html = sovsim::report::render(
        &title,
        &described,
        decisions.as_ref(),
        overview.as_deref(),
        &plots,
        &rows,
        &command,
    )
    .context("the report")?;
    write(&dir.join("report.html"), html.as_bytes())?;
    if !settings.ensemble.quiet {
        eprintln!("sovsim: wrote {}", dir.display());
    }
    Ok(dir)
}
