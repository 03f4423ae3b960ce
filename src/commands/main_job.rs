//! The main job, `sovsim run` with no paths: every shipped scenario run, the shipped claim
//! maps drawn, the essays' claims tested (after the maps, so that the claims page finds
//! them), the shipped sweeps run, the demonstrations compared, and `OUT/index.html` linking
//! every report. It calls the same command functions a user's commands do, handed to it by
//! the dispatcher, so it depends on none of their modules.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use sovsim::scenario::Scenario;

use super::common::files::{CLAIMS_DIR, MAPS_DIR, MAPS_OUT, SWEEPS_DIR, toml_files_in};
use super::common::settings::{
    ClaimsSettings, CompareSettings, EnsembleSettings, MapSettings, RunSettings, SweepSettings,
};
use super::common::write;

/// `sovsim run`: runs the scenarios, returns them.
pub type RunCommand = fn(&RunSettings) -> Result<Vec<(PathBuf, Scenario)>>;
/// `sovsim claims`, `sweep`, `map` and `compare`: each returns the folder it wrote.
pub type ClaimsCommand = fn(&ClaimsSettings) -> Result<PathBuf>;
pub type SweepCommand = fn(&SweepSettings) -> Result<PathBuf>;
pub type MapCommand = fn(&MapSettings) -> Result<PathBuf>;
pub type CompareCommand = fn(&CompareSettings) -> Result<PathBuf>;

/// The commands the main job is made of.
pub struct Commands {
    pub run: RunCommand,
    pub claims: ClaimsCommand,
    pub sweep: SweepCommand,
    pub map: MapCommand,
    pub compare: CompareCommand,
}

/// Whether a `run` is the main job: no paths (every shipped scenario), plots on, no view
/// (the demonstrations and the index name the scenarios' own runs; under a view, `run`
/// runs the shipped scenarios and nothing more).
pub fn is_main_job(settings: &RunSettings) -> bool {
    settings.paths.is_empty() && settings.plots && settings.ensemble.view.is_none()
}

/// Runs the main job.
pub fn main_job(settings: &RunSettings, commands: &Commands) -> Result<()> {
    let scenarios = (commands.run)(settings)?;
    let maps = shipped_maps(settings, commands.map)?;
    let claims = if Path::new(CLAIMS_DIR).is_dir() {
        Some((commands.claims)(&claims_settings(&settings.ensemble))?)
    } else {
        None
    };
    let sweeps = shipped_sweeps(settings, commands.sweep)?;
    demonstrations(
        settings,
        commands.compare,
        &scenarios,
        claims.is_some(),
        &maps,
        &sweeps,
    )
}

/// The claims as the main job tests them: the shipped ones, sensitivity included, under
/// the default parameters and every view.
fn claims_settings(ensemble: &EnsembleSettings) -> ClaimsSettings {
    ClaimsSettings {
        paths: Vec::new(),
        ensemble: ensemble.clone(),
        sensitivity: true,
        views: true,
        analysis_replicates: sovsim::claims::HEAVY_REPLICATES,
    }
}

/// The comparisons the essays' main contrasts call for (where the essays disagree: a ban on
/// factions, other parties in the soviets, the world revolution, the civil war, ...),
/// written by the main job.
const DEMONSTRATIONS: [(&str, &str); 8] = [
    ("historical", "factions_allowed"),
    ("historical", "multi_party_soviets"),
    ("historical", "world_revolution_1923"),
    ("factions_allowed", "informal_suppression_1918"),
    ("historical", "no_civil_war"),
    ("historical", "favourable_circumstances"),
    ("historical", "commune_state"),
    ("multi_party_soviets", "free_press_for_all"),
];

/// The same contrasts read under the essays' views where the essays disagree about them:
/// whether the 1921 ban mattered ("Lessons" against the anarchist FAQ) and whether the
/// isolation did (Ward against Ratcliffe). Each is `(a, b, view)`.
const VIEWED_DEMONSTRATIONS: [(&str, &str, &str); 4] = [
    ("historical", "factions_allowed", "lessons"),
    ("historical", "factions_allowed", "anarchist_faq"),
    ("historical", "world_revolution_1923", "ward"),
    ("historical", "world_revolution_1923", "ratcliffe"),
];

/// The main job's sweeps: every `scenarios/sweeps/*.toml`, each into `OUT/<name>/`;
/// returns each sweep's name and description for the index.
fn shipped_sweeps(settings: &RunSettings, sweep: SweepCommand) -> Result<Vec<(String, String)>> {
    let ensemble = &settings.ensemble;
    let dir = Path::new(SWEEPS_DIR);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut done = Vec::new();
    for file in toml_files_in(dir)? {
        let out = sweep(&SweepSettings {
            file: file.clone(),
            out: ensemble.out.clone(),
            jobs: ensemble.jobs,
            shard: None,
            quiet: ensemble.quiet,
            force: ensemble.force,
        })?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let description = fs::read_to_string(&file)
            .ok()
            .and_then(|t| sovsim::sweep::parse(&t, "").ok())
            .map(|s| s.description)
            .unwrap_or_default();
        done.push((name, description));
    }
    Ok(done)
}

/// The main job's claim maps: every `scenarios/maps/*.toml`, each into `OUT/claims/maps/`;
/// returns each map's name and description for the index.
fn shipped_maps(settings: &RunSettings, map: MapCommand) -> Result<Vec<(String, String)>> {
    let ensemble = &settings.ensemble;
    let dir = Path::new(MAPS_DIR);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut done = Vec::new();
    for file in toml_files_in(dir)? {
        map(&MapSettings {
            file: file.clone(),
            out: ensemble.out.clone(),
            jobs: ensemble.jobs,
            shard: None,
            merge: false,
            quiet: ensemble.quiet,
            force: ensemble.force,
        })?;
        // The map was read whole by the command, so this reads too.
        if let Some(m) = fs::read_to_string(&file)
            .ok()
            .and_then(|t| sovsim::map::parse(&t, "").ok())
        {
            done.push((m.name, m.description));
        }
    }
    Ok(done)
}

/// After the main job: the demonstrations and `OUT/index.html` linking every report (and
/// the claims page, when the claims were tested).
fn demonstrations(
    settings: &RunSettings,
    compare: CompareCommand,
    scenarios: &[(PathBuf, Scenario)],
    with_claims: bool,
    maps: &[(String, String)],
    sweeps: &[(String, String)],
) -> Result<()> {
    let file_of = |name: &str| {
        scenarios
            .iter()
            .find(|(_, s)| s.name == name)
            .map(|(f, s)| (f.clone(), s.description.clone()))
    };
    let mut comparisons = Vec::new();
    let unviewed = DEMONSTRATIONS.iter().map(|&(a, b)| (a, b, None));
    // Where the views are not beside the scenarios (a library of one's own), there is
    // nothing to read the contrasts under.
    let viewed = VIEWED_DEMONSTRATIONS
        .iter()
        .filter(|(_, _, v)| {
            std::path::Path::new(sovsim::scenario::VIEWS_DIR)
                .join(format!("{v}.toml"))
                .is_file()
        })
        .map(|&(a, b, v)| (a, b, Some(v)));
    for (a, b, view) in unviewed.chain(viewed) {
        let (Some((fa, _)), Some((fb, db))) = (file_of(a), file_of(b)) else {
            continue;
        };
        let mut ensemble = settings.ensemble.clone();
        ensemble.view = view.map(str::to_string);
        let dir = compare(&CompareSettings {
            paths: vec![fa, fb],
            metrics: Vec::new(),
            ensemble,
        })?;
        let folder = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (title, description) = match view {
            None => (format!("{a} vs {b}"), db),
            Some(v) => (
                format!("{a} vs {b}, under the view {v}"),
                format!("{db} Read with the mechanism strengths of scenarios/views/{v}.toml."),
            ),
        };
        comparisons.push(sovsim::report::IndexEntry {
            title,
            href: format!("{folder}/report.html"),
            description,
        });
    }
    let entries: Vec<sovsim::report::IndexEntry> = scenarios
        .iter()
        .map(|(_, s)| sovsim::report::IndexEntry {
            title: s.name.clone(),
            href: format!("{}/report.html", s.name),
            description: s.description.clone(),
        })
        .collect();
    let claims = with_claims.then(|| sovsim::report::IndexEntry {
        title: "The essays' claims as experiments".to_string(),
        href: "claims/claims.html".to_string(),
        description: "Each essay's arguments tested in the model, under the default parameters and under every essay's view, organised by the five contrasts: verdicts, intervals, and what they depend on.".to_string(),
    });
    let sweeps: Vec<sovsim::report::IndexEntry> = sweeps
        .iter()
        .map(|(name, description)| sovsim::report::IndexEntry {
            title: name.clone(),
            href: format!("{name}/sweep.html"),
            description: description.clone(),
        })
        .collect();
    let maps: Vec<sovsim::report::IndexEntry> = maps
        .iter()
        .map(|(name, description)| sovsim::report::IndexEntry {
            title: name.clone(),
            href: format!("{MAPS_OUT}/{name}.svg"),
            description: description.clone(),
        })
        .collect();
    let html =
        sovsim::report::render_index(claims.as_ref(), &maps, &comparisons, &sweeps, &entries)
            .context("the index")?;
    write(&settings.ensemble.out.join("index.html"), html.as_bytes())?;
    if !settings.ensemble.quiet {
        eprintln!(
            "sovsim: wrote {}",
            settings.ensemble.out.join("index.html").display()
        );
    }
    Ok(())
}
