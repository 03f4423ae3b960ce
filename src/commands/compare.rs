//! `sovsim compare`: runs the scenarios not already run (reusing runs whose manifest
//! matches), then writes `OUT/compare-<names>/` (`OUT/compare-<names>.view-<view>/` under a
//! view): `comparison.csv`, overlay plots, the overview, the decision timelines side by side
//! and `report.html`. Everything is read back from the runs' files, so a reused run and a
//! fresh one give the same comparison. In the main job a comparison whose inputs have not
//! changed since it was written (`stamp.json` records them and every file's size) is left
//! as it is.

use std::fs;
use std::path::PathBuf;

use anyhow::{Context, Result};

use sovsim::compare::{Side, pairing};
use sovsim::format::join_name;
use sovsim::metrics;
use sovsim::output::{self, ScenarioRun};
use sovsim::scenario::viewed_name;

use super::common::ensembles::ensure_runs;
use super::common::files::{load_valid, load_view};
use super::common::settings::CompareSettings;
use super::common::{InvalidInput, job, write};

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
    let dir = join_name(&settings.ensemble.out, &folder, "")?;
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
    // What the comparison is made of: the runs (their files' hashes, seeds, replicates and
    // views), the metrics, the command its page quotes and the version that drew it.
    let key = serde_json::json!({
        "sovsim_version": output::SOVSIM_VERSION,
        "command": command,
        "metrics": metrics,
        "runs": described,
    });
    if job::active() && stamp_matches(&dir, &key) {
        job::say(format!(
            "sovsim: {} is unchanged (same runs, metrics and sovsim); left as it is",
            dir.display()
        ));
        return Ok(dir);
    }
    let _ = fs::remove_file(dir.join(STAMP));
    let mut finals = Vec::new();
    let mut stats = Vec::new();
    let mut timelines = Vec::new();
    for (_, s) in &scenarios {
        let dir = join_name(&settings.ensemble.out, &s.name, "")?;
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
    let plots: Vec<sovsim::report::ReportPlot> = svgs
        .into_iter()
        .map(|(metric, svg)| sovsim::report::ReportPlot {
            metric,
            name: metric_names[metric],
            svg,
        })
        .collect();
    let sections = sovsim::report::Sections {
        decisions: decisions.as_ref(),
        fit: None,
        overview: overview.as_deref(),
    };
    let html = sovsim::report::render(&title, &described, sections, &plots, &rows, &command)
        .context("the report")?;
    write(&dir.join("report.html"), html.as_bytes())?;
    write_stamp(&dir, key)?;
    if !settings.ensemble.quiet {
        job::say(format!("sovsim: wrote {}", dir.display()));
    }
    Ok(dir)
}

/// The file in a comparison's folder that records what it was made of and the size of
/// every file written, so that the main job's rerun can leave it alone.
const STAMP: &str = "stamp.json";

/// Writes the stamp: `key`, with every other file of the folder and its size.
fn write_stamp(dir: &std::path::Path, key: serde_json::Value) -> Result<()> {
    let outputs: serde_json::Map<String, serde_json::Value> = output::outputs_of(dir)
        .with_context(|| format!("cannot list the files of {}", dir.display()))?
        .into_iter()
        .filter(|(name, _)| name != STAMP)
        .map(|(name, size)| (name, size.into()))
        .collect();
    let stamp = serde_json::json!({ "key": key, "outputs": outputs });
    let text = serde_json::to_string_pretty(&stamp).unwrap_or_default() + "\n";
    write(&dir.join(STAMP), text.as_bytes())
}

/// Whether the folder's stamp records `key` and every file it lists is there at its size.
fn stamp_matches(dir: &std::path::Path, key: &serde_json::Value) -> bool {
    let Ok(text) = fs::read_to_string(dir.join(STAMP)) else {
        return false;
    };
    let Ok(stamp) = serde_json::from_str::<serde_json::Value>(&text) else {
        return false;
    };
    let Some(outputs) = stamp["outputs"].as_object() else {
        return false;
    };
    stamp["key"] == *key
        && outputs.contains_key("report.html")
        && outputs.iter().all(|(name, size)| {
            !name.split('/').any(|part| part == ".." || part.is_empty())
                && fs::metadata(dir.join(name))
                    .is_ok_and(|m| m.is_file() && Some(m.len()) == size.as_u64())
        })
}
