//! The main job, `sovsim run` with no paths: every shipped scenario run, the shipped claim
//! maps drawn, the essays' claims tested (after the maps, so that the claims page finds
//! them), the historical course's fit to the record under every view made sure of, the
//! shipped sweeps run, the demonstrations compared, and `OUT/index.html` linking every
//! report, with a table of how close each reading of the historical course comes to the
//! record. It calls the same command functions a user's commands do, handed to it by
//! the dispatcher, so it depends on none of their modules.
//!
//! Each stage is timed and its ensembles counted ([`job`]): the table is printed at the end
//! and written to `OUT/timings.csv`. A rerun with nothing changed reuses every finished
//! scenario run ([`sovsim::output::unchanged`]), the claims' cached verdicts, and the maps'
//! and sweeps' complete points files. The closing line says which file to open.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use sovsim::scenario::Scenario;

use super::common::ensembles::ensure_runs;
use super::common::files::{
    CLAIMS_DIR, MAPS_DIR, MAPS_OUT, SCENARIOS_DIR, SWEEPS_DIR, beside, load_all, load_valid,
    load_views, toml_files_in,
};
use super::common::job;
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
    job::start(plan(&settings.ensemble), settings.ensemble.quiet);
    let done = stages(settings, commands);
    let (stages, total) = job::finish();
    done?;
    let out = &settings.ensemble.out;
    write(
        &out.join("timings.csv"),
        job::timings_csv(&stages, total).as_bytes(),
    )?;
    if !settings.ensemble.quiet {
        eprint!("{}", job::timings_table(&stages, total));
        eprintln!(
            "sovsim: the main job took {total:.0} s (the table is in {}). Open {} to see everything it made.",
            out.join("timings.csv").display(),
            out.join("index.html").display()
        );
    }
    Ok(())
}

/// The main job's stages, in order.
fn stages(settings: &RunSettings, commands: &Commands) -> Result<()> {
    job::stage("scenarios");
    let reusing = RunSettings {
        reuse: true,
        ..settings.clone()
    };
    let scenarios = (commands.run)(&reusing)?;
    job::stage("maps");
    let maps = shipped_maps(settings, commands.map)?;
    let claims = if Path::new(CLAIMS_DIR).is_dir() {
        Some((commands.claims)(&claims_settings(&settings.ensemble))?)
    } else {
        None
    };
    let readings = record_readings(settings, &scenarios)?;
    job::stage("sweeps");
    let sweeps = shipped_sweeps(settings, commands.sweep)?;
    job::stage("comparisons");
    demonstrations(
        settings,
        commands.compare,
        &scenarios,
        claims.is_some(),
        &readings,
        &maps,
        &sweeps,
    )
}

/// The scenario whose fit to the record the index tables, reading by reading.
const RECORD_SCENARIO: &str = "historical";

/// The analyses' replicates of a scenario, as the claims run it under each view (the main
/// job's claims take [`sovsim::claims::HEAVY_REPLICATES`]): the same runs, so each is made
/// once and the other reuses it.
fn viewed_replicates(ensemble: &EnsembleSettings, scenario: &Scenario) -> u32 {
    sovsim::claims::HEAVY_REPLICATES.min(ensemble.replicates_of(scenario))
}

/// The historical course's fit to the record it names under the default parameters (its
/// own run, made in the first stage) and under every view: the claims ran it under each
/// view, into `OUT/historical.view-<view>/`, when a claim names it; the runs are made here
/// when none does, and reused when one does. Returns a row for the index per reading whose
/// `fit.csv` is there; none when the historical course is not among the scenarios or names
/// no record.
fn record_readings(
    settings: &RunSettings,
    scenarios: &[(PathBuf, Scenario)],
) -> Result<Vec<sovsim::report::IndexReading>> {
    let Some((file, historical)) = scenarios.iter().find(|(_, s)| s.name == RECORD_SCENARIO) else {
        return Ok(Vec::new());
    };
    if historical.record.is_none() {
        return Ok(Vec::new());
    }
    // A stage only where there is a record to read the historical course against.
    job::stage("record");
    let out = &settings.ensemble.out;
    let reading = |folder: &str, title: String| {
        let text = fs::read_to_string(out.join(folder).join("fit.csv")).ok()?;
        Some(sovsim::report::IndexReading {
            scenario: RECORD_SCENARIO.to_string(),
            title,
            href: format!("{folder}/report.html#record"),
            score: sovsim::record::fit::Score::of_csv(&text)?,
        })
    };
    let mut readings = Vec::new();
    readings.extend(reading(
        RECORD_SCENARIO,
        "the default parameters".to_string(),
    ));
    for view in load_views()? {
        let viewed = load_valid(std::slice::from_ref(file), Some(&view))?;
        let mut ensemble = settings.ensemble.clone();
        ensemble.view = Some(view.name.clone());
        ensemble.replicates = Some(viewed_replicates(&settings.ensemble, historical));
        ensure_runs(&ensemble, &viewed)?;
        let folder = sovsim::scenario::viewed_name(RECORD_SCENARIO, &view.name);
        readings.extend(reading(
            &folder,
            format!("the view {} ({})", view.name, view.essay),
        ));
    }
    Ok(readings)
}

/// The work of every stage, in agent-steps, as if nothing were reused (each stage takes off
/// what it finds done): it sizes the progress bars. What cannot be read here counts as
/// nothing; the stage itself reports the problem.
fn plan(ensemble: &EnsembleSettings) -> Vec<(&'static str, u64)> {
    let work = |s: &Scenario, replicates: u32| {
        u64::from(replicates) * u64::from(s.steps()) * u64::from(s.agents())
    };
    let scenario_at = |path: &Path| {
        load_all(&[path.to_path_buf()], None)
            .ok()
            .and_then(|(mut loaded, problems)| {
                (problems.is_empty() && loaded.len() == 1).then(|| loaded.pop().map(|(_, s)| s))
            })
            .flatten()
    };
    let files = |dir: &str| {
        if Path::new(dir).is_dir() {
            toml_files_in(Path::new(dir)).unwrap_or_default()
        } else {
            Vec::new()
        }
    };
    let mut plan = Vec::new();
    let scenarios: u64 = load_all(&[], None)
        .map(|(loaded, _)| {
            loaded
                .iter()
                .map(|(_, s)| work(s, ensemble.replicates_of(s)))
                .sum()
        })
        .unwrap_or(0);
    plan.push(("scenarios", scenarios));
    let mut maps = 0;
    for file in files(MAPS_DIR) {
        let Some(m) = fs::read_to_string(&file)
            .ok()
            .and_then(|t| sovsim::map::parse(&t, "").ok())
        else {
            continue;
        };
        let claims_path = beside(&file, &m.claims);
        let Some(claims) = fs::read_to_string(&claims_path)
            .ok()
            .and_then(|t| sovsim::claims::parse(&t, "").ok())
        else {
            continue;
        };
        let Ok(claim) = m.find_claim(&claims) else {
            continue;
        };
        let mut sides = vec![beside(&claims_path, &claim.test.scenario)];
        if let sovsim::claims::Against::Baseline(b) = &claim.test.against {
            sides.push(beside(&claims_path, b));
        }
        let point: u64 = sides
            .iter()
            .filter_map(|p| scenario_at(p))
            .map(|s| work(&s, m.replicates))
            .sum();
        maps += point * m.points.len() as u64;
    }
    plan.push(("maps", maps));
    // Every scenario a shipped claim names, once: the claims' unit of work.
    let mut named: Vec<PathBuf> = Vec::new();
    for file in files(CLAIMS_DIR) {
        let Some(claims) = fs::read_to_string(&file)
            .ok()
            .and_then(|t| sovsim::claims::parse(&t, "").ok())
        else {
            continue;
        };
        for c in &claims.claims {
            named.push(beside(&file, &c.test.scenario));
            if let sovsim::claims::Against::Baseline(b) = &c.test.against {
                named.push(beside(&file, b));
            }
        }
    }
    named.sort();
    named.dedup();
    let claims: u64 = named
        .iter()
        .filter_map(|p| scenario_at(p))
        .map(|s| work(&s, ensemble.replicates_of(&s)))
        .sum();
    let views = files(sovsim::scenario::VIEWS_DIR).len() as u64;
    let variants = sovsim::claims::sensitivity::Variant::all().len() as u64;
    // The claims under the default parameters read the scenarios' own runs.
    plan.push(("claims under views", claims * views));
    plan.push(("claims sensitivity", claims * variants));
    // The historical course under every view, which the claims' runs usually hold already.
    let record = scenario_at(&Path::new(SCENARIOS_DIR).join(format!("{RECORD_SCENARIO}.toml")))
        .filter(|s| s.record.is_some())
        .map_or(0, |s| work(&s, viewed_replicates(ensemble, &s)) * views);
    plan.push(("record", record));
    let mut sweeps = 0;
    for file in files(SWEEPS_DIR) {
        let Some(s) = fs::read_to_string(&file)
            .ok()
            .and_then(|t| sovsim::sweep::parse(&t, "").ok())
        else {
            continue;
        };
        let base = file.parent().unwrap_or(Path::new("")).join(&s.base);
        if let Some(b) = scenario_at(&base) {
            sweeps += work(&b, s.replicates) * s.points.len() as u64;
        }
    }
    plan.push(("sweeps", sweeps));
    plan
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
    readings: &[sovsim::report::IndexReading],
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
        if view.is_some() {
            // The claims ran these scenarios under the view with the analyses' replicates,
            // into the same folders: read the contrast from those runs rather than run them
            // again at other replicates (which would also leave each rerun of the job to
            // find the other's runs in the folder and run them again).
            let replicates = |name| {
                scenarios
                    .iter()
                    .find(|(_, s)| s.name == name)
                    .map_or(0, |(_, s)| settings.ensemble.replicates_of(s))
            };
            ensemble.replicates = Some(
                sovsim::claims::HEAVY_REPLICATES
                    .min(replicates(a))
                    .min(replicates(b)),
            );
        }
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
    job::stage("index");
    let html = sovsim::report::render_index(
        claims.as_ref(),
        readings,
        &maps,
        &comparisons,
        &sweeps,
        &entries,
    )
    .context("the index")?;
    write(&settings.ensemble.out.join("index.html"), html.as_bytes())?;
    if !settings.ensemble.quiet {
        job::say(format!(
            "sovsim: wrote {}",
            settings.ensemble.out.join("index.html").display()
        ));
    }
    Ok(())
}
