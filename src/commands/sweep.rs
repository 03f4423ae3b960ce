//! `sovsim sweep` and `sovsim merge`: runs a sweep's points in order, each as an ensemble
//! with its own seed, appending each point's row to `points.csv.partial` as it finishes and
//! renaming it to `points.csv` when the last is done; a rerun resumes after the last
//! complete row. With `--shard K/N` only the points with index % N == K run, into
//! `shard-K-of-N.csv`; `merge` checks the shards and writes the same `points.csv`, byte for
//! byte, that one unsharded run writes.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use sovsim::format::join_name;
use sovsim::limits::Work;
use sovsim::output::SweepManifest;
use sovsim::plot::sweep::SweepPoint;
use sovsim::scenario::Scenario;
use sovsim::sweep::shards::{self, ShardFolder, csv_line};
use sovsim::sweep::{self, Design, Sweep};

use super::common::load;
use super::common::points::{PointsFile, fill, names_in, shard, shard_points};
use super::common::preflight::{Need, place, preflight};
use super::common::settings::{MergeSettings, SweepSettings};
use super::common::{InvalidInput, interrupted, job, read_parent, worker_pool, write};

/// What running the sweep's points needs, for the preflight.
fn need(
    args: &SweepSettings,
    s: &Sweep,
    base: &Scenario,
    shard: Option<(usize, usize)>,
    threads: usize,
) -> Need {
    let mut estimate = sovsim::limits::ensemble(
        base.agents(),
        base.steps(),
        s.outcomes.len(),
        s.replicates,
        2 * threads as u32,
    );
    estimate.disk_bytes = s.points.len() as f64 * 400.0 + 2e6;
    Need {
        at: s.axes.first().map_or_else(
            || args.file.display().to_string(),
            |a| place(&s.diagnostic(Some(a.span.clone()), "axis", "")),
        ),
        name: format!("sweep {}", s.name),
        estimate,
        work: Work {
            points: shard_points(s.points.len(), shard),
            ..Work::ensemble(s.replicates, base.agents(), base.steps())
        },
    }
}

/// `sovsim sweep`.
pub fn sweep(args: &SweepSettings) -> Result<PathBuf> {
    let shard = shard(args.shard.as_deref())?;
    // One point's ensemble in memory; on disk, one short line per point.
    let threads = args
        .jobs
        .map_or_else(rayon::current_num_threads, |j| j as usize);
    let weigh = |s: &Sweep, base: &Scenario| {
        let need = need(args, s, base, shard, threads);
        preflight(&args.out, &[need], args.force, threads)
    };
    let loaded = load::sweep(&args.file, &weigh)?;
    let s = &loaded.sweep;
    let dir = join_name(&args.out, &s.name, "")?;
    fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    // A folder holds one sweep: refuse to mix another's rows into it.
    let manifest_path = dir.join("sweep.json");
    if let Ok(text) = fs::read_to_string(&manifest_path)
        && let Ok(old) = serde_json::from_str::<SweepManifest>(&text)
        && !old.same_sweep(&loaded.manifest)
    {
        return Err(InvalidInput(format!(
            "sovsim: error: {} holds the results of another version of this sweep (or of sovsim); delete it or use another --out",
            dir.display()
        ))
        .into());
    }
    let manifest_text = loaded.manifest.to_json();
    write(&manifest_path, manifest_text.as_bytes())?;
    let (file_name, selected) = shards::selection("", "points.csv", s.points.len(), shard);
    if let Some((k, n)) = shard {
        write(
            &dir.join(format!("shard-{k}-of-{n}.json")),
            manifest_text.as_bytes(),
        )?;
    }
    let header = csv_line(&loaded.manifest.header);
    let pool = worker_pool(args.jobs)?;
    let batch = 2 * pool.current_num_threads() as u32;
    let base_shown = loaded.base_file.display().to_string();
    let final_path = fill(
        &PointsFile {
            dir: &dir,
            name: &file_name,
            header: &header,
            selected: &selected,
            of: &s.name,
            quiet: args.quiet,
            ensembles: 1,
            work: u64::from(s.replicates)
                * u64::from(loaded.base.steps())
                * u64::from(loaded.base.agents()),
        },
        &mut |i| {
            let (label, toml) = &loaded.variations[i];
            let scenario = Scenario::parse_varied(
                &loaded.base_text,
                &base_shown,
                &read_parent,
                Some((label, toml)),
            )
            .map_err(|d| anyhow::anyhow!("{d}"))?;
            let seed = sovsim::rng::point_seed(s.seed, i as u64);
            let mut values: Vec<Vec<f64>> = vec![Vec::new(); s.outcomes.len()];
            let progress = job::ensemble_run(s.replicates);
            let work = u64::from(scenario.steps()) * u64::from(scenario.agents());
            let done = |_: u32| {
                if let Some(p) = &progress {
                    p.advance(work);
                }
            };
            let finished = pool.install(|| {
                sovsim::ensemble::run_in_order_unless(
                    &scenario,
                    seed,
                    s.replicates,
                    batch,
                    &interrupted,
                    &done,
                    |result| {
                        sovsim::output::check_finite(
                            scenario.metric_names(),
                            std::slice::from_ref(&result),
                        )?;
                        for (o, v) in s.outcomes.iter().zip(values.iter_mut()) {
                            let rows: Vec<_> = result
                                .rows
                                .iter()
                                .map(|r| r.map(sovsim::output::as_written))
                                .collect();
                            v.push(sweep::replicate_outcome(o, &scenario, &rows));
                        }
                        Ok::<(), sovsim::output::NonFinite>(())
                    },
                )
            })?;
            if !finished {
                anyhow::bail!("stopped by a signal");
            }
            Ok(sweep::outcome_row(i, &s.points[i], &values))
        },
    )?;
    if shard.is_none() {
        finish(
            &dir,
            &loaded.manifest,
            &loaded.sweep,
            &command(&loaded.file, &args.out),
        )?;
    }
    if !args.quiet {
        job::say(format!("sovsim: wrote {}", final_path.display()));
    }
    Ok(dir)
}

/// The command that reproduces a sweep, as its page shows it.
fn command(file: &Path, out: &Path) -> String {
    format!("sovsim sweep {} --out {}", file.display(), out.display())
}

/// The phase diagrams and `sweep.html`, from a complete `points.csv`.
fn finish(dir: &Path, m: &SweepManifest, s: &Sweep, command: &str) -> Result<()> {
    let text = fs::read_to_string(dir.join("points.csv"))?;
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let mut rows: Vec<Vec<String>> = Vec::new();
    for record in reader.records() {
        rows.push(record?.iter().map(str::to_string).collect());
    }
    let axes = m.axes.len();
    let points: Vec<SweepPoint> = rows
        .iter()
        .map(|r| SweepPoint {
            values: r[1..1 + axes].to_vec(),
            outcomes: (0..m.outcomes.len())
                .map(|k| {
                    let at = |j: usize| {
                        r.get(1 + axes + 3 * k + j)
                            .and_then(|c| c.parse().ok())
                            .unwrap_or(f64::NAN)
                    };
                    [at(0), at(1), at(2)]
                })
                .collect(),
        })
        .collect();
    let plots = sovsim::plot::sweep::write_sweep_plots(
        &dir.join("plots"),
        &m.sweep,
        &m.axis_labels,
        &m.outcomes,
        &points,
        s.design == Design::Grid,
    )
    .context("the phase diagrams")?;
    let page = sovsim::report::sweep::SweepPage {
        name: &m.sweep,
        description: &s.description,
        base: &m.base,
        design: &m.design,
        replicates: m.replicates,
        seed: m.seed,
        sha256: &m.sweep_sha256,
        axes: s
            .axes
            .iter()
            .enumerate()
            .map(|(k, a)| {
                let mut seen: Vec<String> = Vec::new();
                for p in &points {
                    if !seen.contains(&p.values[k]) {
                        seen.push(p.values[k].clone());
                    }
                }
                let shown = if seen.len() > 12 {
                    format!("{} values", seen.len())
                } else {
                    seen.join(", ")
                };
                (a.path.clone(), a.label.clone(), shown)
            })
            .collect(),
        outcomes: s
            .outcomes
            .iter()
            .map(|o| {
                (
                    o.name.clone(),
                    format!(
                        "{} of {} from {} to {}",
                        o.measure.statistic.name(),
                        o.measure.metric,
                        o.measure.window.first,
                        o.measure.window.last
                    ),
                )
            })
            .collect(),
        plots,
        header: m.header.clone(),
        rows,
        command: command.to_string(),
    };
    let html = sovsim::report::sweep::render(&page).context("sweep.html")?;
    write(&dir.join("sweep.html"), html.as_bytes())?;
    Ok(())
}

/// `sovsim merge`.
pub fn merge(args: &MergeSettings) -> Result<PathBuf> {
    let dir = &args.dir;
    let invalid = |message: String| InvalidInput(format!("sovsim: error: {message}"));
    let manifest: SweepManifest =
        serde_json::from_str(&fs::read_to_string(dir.join("sweep.json")).map_err(|e| {
            invalid(format!(
                "{}: no sweep.json ({e}); is this a sweep's folder?",
                dir.display()
            ))
        })?)
        .map_err(|e| {
            invalid(format!(
                "{}: unreadable sweep.json: {e}",
                dir.join("sweep.json").display()
            ))
        })?;
    let header = csv_line(&manifest.header);
    let names = names_in(dir)?;
    let read = |name: &str| fs::read_to_string(dir.join(name)).ok();
    let same = |text: &str| {
        serde_json::from_str::<SweepManifest>(text).is_ok_and(|m| m.same_sweep(&manifest))
    };
    let (text, merged) = shards::merge_folder(
        ShardFolder {
            prefix: "",
            shown: &dir.display().to_string(),
            what: "sweep",
            manifest: &dir.join("sweep.json").display().to_string(),
        },
        &names,
        &header,
        manifest.points,
        &read,
        &same,
    )
    .map_err(|e| invalid(e.0))?;
    write(&dir.join("points.csv"), text.as_bytes())?;
    // The diagrams need the sweep itself; it is read again from the file the shards ran.
    // A merge runs nothing, so there is nothing to weigh.
    match load::sweep(Path::new(&manifest.sweep_file), &|_, _| Ok(())) {
        Ok(loaded) if loaded.manifest.sweep_sha256 == manifest.sweep_sha256 => {
            let command = format!("sovsim merge {}", dir.display());
            finish(dir, &manifest, &loaded.sweep, &command)?;
        }
        _ => {
            if !args.quiet {
                eprintln!(
                    "sovsim: {} is not at hand (or has changed): points.csv written, diagrams skipped",
                    manifest.sweep_file
                );
            }
        }
    }
    if !args.quiet {
        eprintln!(
            "sovsim: merged {merged} shards into {}",
            dir.join("points.csv").display()
        );
    }
    Ok(dir.clone())
}
