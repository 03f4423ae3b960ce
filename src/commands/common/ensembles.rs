//! Running scenarios' ensembles and writing their files (`runs.csv`, `decisions.csv`,
//! `summary.csv`, `manifest.json`, plots and report, and the fit to the record when the
//! scenario names one), with a progress bar; and making sure a set of scenarios has finished
//! runs in the output folder, reusing those whose manifest matches. With `reuse` (the main
//! job), a scenario whose folder holds a run made by the same command of the same files,
//! seed, replicates and version of sovsim, every file of it still whole
//! ([`output::unchanged`]), and fitted to the record as it now is, is neither run nor drawn
//! again.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use sovsim::format::join_name;
use sovsim::output::{self, ScenarioRun};
use sovsim::scenario::Scenario;

use super::fitting::{LoadedRecord, named_record, write_fit, written_run};
use super::job;
use super::preflight::{needs, preflight};
use super::settings::EnsembleSettings;
use super::{Interrupted, InvalidInput, interrupted, worker_pool, write};

/// A scenario with the file it was read from.
type Listed = (PathBuf, Scenario);

/// What stops an ensemble early.
#[derive(Debug)]
enum RunError {
    Interrupted,
    Output(output::OutputError),
}

/// The record each scenario names, read and checked, by the scenario's name.
fn records_of(scenarios: &[Listed]) -> Result<BTreeMap<String, LoadedRecord>> {
    let mut records = BTreeMap::new();
    for (_, s) in scenarios {
        if let Some(r) = named_record(s).map_err(InvalidInput)? {
            records.insert(s.name.clone(), r);
        }
    }
    Ok(records)
}

/// Whether the run in `dir` was fitted to the record as it now is (or, for a scenario that
/// names none, to none): a record changed since leaves the run's fit and report stale, so
/// the run is made again rather than reused.
fn fitted_to_current(dir: &Path, record: Option<&LoadedRecord>) -> bool {
    fs::read_to_string(dir.join("manifest.json"))
        .is_ok_and(|text| output::fitted_to(&text, record.map(|r| r.sha256.as_str())))
}

/// Runs checked scenarios and writes their files.
pub fn run_ensembles(
    ensemble: &EnsembleSettings,
    plots: bool,
    reuse: bool,
    scenarios: &[(PathBuf, Scenario)],
) -> Result<()> {
    // The command that reproduces each run, as its report quotes it.
    let command_of = |file: &PathBuf| {
        format!(
            "sovsim run {}{} --out {}",
            file.display(),
            ensemble.flags(),
            ensemble.out.display()
        )
    };
    let work_of = |s: &Scenario| {
        u64::from(ensemble.replicates_of(s)) * u64::from(s.steps()) * u64::from(s.agents())
    };
    let records = records_of(scenarios)?;
    let (kept, scenarios): (Vec<&Listed>, Vec<&Listed>) =
        scenarios.iter().partition(|(file, s)| {
            let dir = ensemble.out.join(&s.name);
            reuse
                && plots
                && output::unchanged(
                    &dir,
                    s,
                    ensemble.seed_of(s),
                    ensemble.replicates_of(s),
                    &command_of(file),
                )
                && fitted_to_current(&dir, records.get(&s.name))
        });
    if !kept.is_empty() {
        job::reused(
            kept.len() as u64,
            kept.iter().map(|(_, s)| work_of(s)).sum(),
        );
        if !ensemble.quiet {
            let names: Vec<&str> = kept.iter().map(|(_, s)| s.name.as_str()).collect();
            job::say(format!(
                "sovsim: reused {} finished run(s), unchanged since they were made (same files, seed, replicates and sovsim, every output whole): {}",
                kept.len(),
                names.join(", ")
            ));
        }
    }
    let scenarios: Vec<(PathBuf, Scenario)> = scenarios.into_iter().cloned().collect();
    let scenarios = scenarios.as_slice();
    if scenarios.is_empty() {
        return Ok(());
    }
    let pool = worker_pool(ensemble.jobs)?;
    let threads = pool.current_num_threads();
    preflight(
        &ensemble.out,
        &needs(scenarios, ensemble.replicates, threads),
        ensemble.force,
        threads,
    )?;
    let mut written: Vec<String> = Vec::new();

    let started = Instant::now();
    let mut agent_steps = 0f64;
    let mut replicates_run = 0u64;
    let total: u64 = scenarios
        .iter()
        .map(|(_, s)| ensemble.replicates.unwrap_or(s.replicates) as u64)
        .sum();
    // Drawn only on a terminal (indicatif hides it otherwise) and never with --quiet.
    let bar = if ensemble.quiet {
        ProgressBar::hidden()
    } else if job::active() {
        job::add_bar(ProgressBar::new(total))
    } else {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{prefix:.bold} [{bar:30}] {pos}/{len} replicates, {msg}, ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    // A line above the bar on a terminal; a plain line on stderr otherwise (a hidden bar
    // prints nothing).
    let say = |line: String| {
        if job::active() {
            job::say(line);
        } else if bar.is_hidden() {
            eprintln!("{line}");
        } else {
            bar.println(line);
        }
    };
    let batch = 2 * pool.current_num_threads() as u32;
    for (file, scenario) in scenarios {
        let seed = ensemble.seed.unwrap_or(scenario.seed);
        let replicates = ensemble.replicates.unwrap_or(scenario.replicates);
        let run = ScenarioRun::of(scenario, seed, replicates);
        let dir = join_name(&ensemble.out, &scenario.name, "")?;
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        if !ensemble.quiet {
            say(format!(
                "sovsim: running {} ({} replicates x {} steps x {} agents)",
                scenario.name,
                replicates,
                scenario.steps(),
                scenario.agents()
            ));
        }
        bar.set_prefix(scenario.name.clone());
        let t0 = Instant::now();
        let per_replicate = scenario.steps() as f64 * scenario.agents() as f64;
        let before = agent_steps;
        let mut writer = output::EnsembleWriter::create(&dir, scenario)?;
        let overall = job::ensemble_run(replicates);
        let progress = |_: u32| {
            bar.inc(1);
            if let Some(p) = &overall {
                p.advance(per_replicate as u64);
            }
        };
        // A signal stops the replicates in progress within a step; those already taken
        // are dropped with the writer below, so a scenario is written whole or not at all.
        let stopped = pool.install(|| {
            sovsim::ensemble::run_in_order_unless(
                scenario,
                seed,
                replicates,
                batch,
                &interrupted,
                &progress,
                |result| {
                    if interrupted() {
                        return Err(RunError::Interrupted);
                    }
                    writer.add(scenario, &result).map_err(RunError::Output)?;
                    let done = before + (result.replicate + 1) as f64 * per_replicate;
                    let wall = started.elapsed().as_secs_f64().max(1e-9);
                    bar.set_message(format!("{:.2e} agent-steps/s", done / wall));
                    Ok::<(), RunError>(())
                },
            )
        });
        match stopped {
            Ok(true) => {}
            Ok(false) | Err(RunError::Interrupted) => {
                // The writer's temporary files go with it; nothing half-made is left.
                drop(writer);
                bar.finish_and_clear();
                let done = if written.is_empty() {
                    "nothing was complete".to_string()
                } else {
                    format!("complete: {}", written.join(", "))
                };
                return Err(Interrupted(format!(
                    "sovsim: interrupted: {} was not finished and nothing of it was written; {done}",
                    scenario.name
                ))
                .into());
            }
            Err(RunError::Output(e)) => {
                return Err(anyhow::Error::new(e).context(format!("scenario {}", scenario.name)));
            }
        }
        let summary = writer
            .finish(scenario)
            .with_context(|| format!("scenario {}", scenario.name))?;
        let record = records.get(&scenario.name);
        let fitted = match record {
            Some(r) => {
                let run = written_run(&dir, &scenario.name, scenario.calendar, replicates)?;
                let fitted = write_fit(&dir, &r.record, &run, plots)
                    .with_context(|| format!("the fit of scenario {}", scenario.name))?;
                if !ensemble.quiet {
                    say(fitted.summary());
                }
                Some(fitted)
            }
            None => None,
        };
        if plots {
            let svgs = sovsim::plot::write_plots(&dir.join("plots"), scenario, &summary)
                .with_context(|| format!("plots of scenario {}", scenario.name))?;
            // A reference model has no leadership, so no decisions to show.
            let decisions = if scenario.reference.is_none() {
                let line = output::ScenarioDecisions {
                    name: &scenario.name,
                    calendar: scenario.calendar,
                    timeline: &summary.decisions,
                    modes: scenario.decisions,
                };
                let svg =
                    sovsim::plot::write_decisions(&dir.join("plots"), &scenario.name, &[line])
                        .with_context(|| {
                            format!("decision timeline of scenario {}", scenario.name)
                        })?;
                Some(sovsim::report::ReportDecisions {
                    svg,
                    sentences: sovsim::report::decisions::sentences(&[line]),
                })
            } else {
                None
            };
            let names = scenario.metric_names();
            let all: Vec<usize> = (0..names.len()).collect();
            let rows = sovsim::compare::comparison(
                &[(scenario.name.clone(), summary.finals.clone())],
                &[sovsim::compare::Pairing::Paired],
                names,
                &all,
                seed,
            );
            let plots: Vec<sovsim::report::ReportPlot> = svgs
                .into_iter()
                .map(|(metric, svg)| sovsim::report::ReportPlot {
                    metric,
                    name: names[metric],
                    svg,
                })
                .collect();
            let command = command_of(file);
            let fit = fitted.as_ref().map(|f| sovsim::report::ReportFit {
                summary: format!("{}.", f.score_text()),
                rows: f.rows.clone(),
                svg: f.svg.clone(),
            });
            let sections = sovsim::report::Sections {
                decisions: decisions.as_ref(),
                fit: fit.as_ref(),
                overview: None,
            };
            let html = sovsim::report::render(
                &scenario.name,
                std::slice::from_ref(&run),
                sections,
                &plots,
                &rows,
                &command,
            )
            .context("the report")?;
            write(&dir.join("report.html"), html.as_bytes())?;
        }
        let elapsed = t0.elapsed().as_secs_f64();
        let work = replicates as f64 * per_replicate;
        agent_steps += work;
        replicates_run += replicates as u64;
        let manifest = output::Manifest {
            run: &run,
            scenario_file: file.display().to_string(),
            metrics: scenario.metric_names().to_vec(),
            elapsed_seconds: elapsed,
            agent_steps_per_second: if elapsed > 0.0 { work / elapsed } else { 0.0 },
            command: command_of(file),
            record: record.map(|r| output::RecordUsed {
                file: r.path.display().to_string(),
                sha256: r.sha256.clone(),
            }),
            outputs: output::outputs_of(&dir)
                .with_context(|| format!("cannot list the files of {}", dir.display()))?,
        };
        write(&dir.join("manifest.json"), manifest.to_json().as_bytes())?;
        written.push(dir.display().to_string());
        if !ensemble.quiet {
            say(format!(
                "sovsim: wrote {} in {:.1} s ({:.2e} agent-steps/s)",
                dir.display(),
                elapsed,
                manifest.agent_steps_per_second
            ));
        }
    }
    bar.finish_and_clear();
    if !ensemble.quiet {
        let wall = started.elapsed().as_secs_f64();
        job::say(format!(
            "sovsim: {} scenario(s), {} replicate(s) in {:.1} s ({:.2e} agent-steps/s)",
            scenarios.len(),
            replicates_run,
            wall,
            if wall > 0.0 { agent_steps / wall } else { 0.0 }
        ));
    }
    Ok(())
}

/// Every replicate of a scenario at once on `pool`, in replicate order, as
/// [`sovsim::ensemble::run`] makes them; a signal stops the replicates in progress within a
/// step, and the answer is then an error (the caller reports the stop: [`interrupted`] is
/// set).
pub fn run_all(
    pool: &rayon::ThreadPool,
    scenario: &Scenario,
    seed: u64,
    replicates: u32,
    done: &(dyn Fn(u32) + Sync),
) -> Result<Vec<sovsim::ensemble::ReplicateResult>> {
    let mut results = Vec::with_capacity(replicates as usize);
    let finished = pool.install(|| {
        sovsim::ensemble::run_in_order_unless(
            scenario,
            seed,
            replicates,
            replicates,
            &interrupted,
            done,
            |r| {
                results.push(r);
                Ok::<(), std::convert::Infallible>(())
            },
        )
    });
    match finished {
        Ok(true) => Ok(results),
        _ => Err(Interrupted(format!(
            "sovsim: interrupted: {} was not finished",
            scenario.name
        ))
        .into()),
    }
}

/// Makes sure `OUT/<name>/` holds a finished run of every scenario with these settings: a
/// run whose manifest matches ([`output::reusable`]) and which was fitted to the record as
/// it now is is reused; the others are run, with their plots, fit and report, exactly as
/// `run` makes them.
pub fn ensure_runs(ensemble: &EnsembleSettings, scenarios: &[(PathBuf, Scenario)]) -> Result<()> {
    let records = records_of(scenarios)?;
    let stale: Vec<(PathBuf, Scenario)> = scenarios
        .iter()
        .filter(|(_, s)| {
            let dir = ensemble.out.join(&s.name);
            !(output::reusable(&dir, s, ensemble.seed_of(s), ensemble.replicates_of(s))
                && fitted_to_current(&dir, records.get(&s.name)))
        })
        .cloned()
        .collect();
    let reused = scenarios.len() - stale.len();
    if reused > 0 {
        let work: u64 = scenarios
            .iter()
            .filter(|(_, s)| !stale.iter().any(|(_, t)| t.name == s.name))
            .map(|(_, s)| {
                u64::from(ensemble.replicates_of(s)) * u64::from(s.steps()) * u64::from(s.agents())
            })
            .sum();
        job::reused(reused as u64, work);
    }
    if stale.is_empty() {
        return Ok(());
    }
    run_ensembles(ensemble, true, false, &stale)
}
