//! `sovsim map`: a claim's verdict over a grid of two mechanism strengths. Reads the map,
//! its claim and the claim's scenarios, and every view in `scenarios/views/`, checking all
//! of it before anything runs; then at every point runs the scenario and its baseline (each
//! varied by the point's values) as ensembles with the map's seed and evaluates the claim,
//! appending the point's row to `OUT/claims/maps/<name>.csv.partial` and renaming it when
//! the last is done, so that a rerun resumes (or, when the file is complete, reuses it);
//! then draws `<name>.svg` and `.png` and writes `<name>.json`. With `--shard K/N` only the
//! points with index % N == K run, into `shards/<name>.shard-K-of-N.csv` (a folder of their
//! own, so that the maps' folder holds only the maps, one `*.json` each, as the claims page
//! reads it); `--merge` joins the shards into the file one unsharded run writes, byte for
//! byte.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use sovsim::format::join_name;
use sovsim::limits::Work;
use sovsim::map::{self, ClaimMap, MapManifest};
use sovsim::plot::map::{MapFigure, write_map};
use sovsim::scenario::Scenario;
use sovsim::sweep::shards::{self, ShardFolder, csv_line};

use super::common::ensembles::run_all;
use super::common::files::MAPS_OUT;
use super::common::load::{self, LoadedMap, Read};
use super::common::points::{PointsFile, fill, names_in, shard, shard_points};
use super::common::preflight::{Need, place, preflight};
use super::common::settings::MapSettings;
use super::common::{InvalidInput, job, read_parent, worker_pool, write};

/// The folder of the maps' shards, in the maps' folder.
const SHARDS: &str = "shards";

/// A manifest in `dir`, if there is one that reads.
fn manifest_at(path: &Path) -> Option<MapManifest> {
    serde_json::from_str(&fs::read_to_string(path).ok()?).ok()
}

/// Removes `files` (a points file, its partial, the plot) unless `manifest` records this
/// version of the map (and of its claim, its scenarios and sovsim), so that no row of
/// another version, or of one that cannot be told, is kept or resumed.
fn discard_stale(
    dir: &Path,
    manifest: &Path,
    current: &MapManifest,
    files: &[String],
    quiet: bool,
) {
    let old = manifest_at(manifest);
    if old.as_ref().is_some_and(|old| old.same_map(current)) {
        return;
    }
    let mut removed = false;
    for name in files {
        removed |= fs::remove_file(dir.join(name)).is_ok();
    }
    if removed && !quiet {
        eprintln!(
            "sovsim: {} records another version of the map {}, its claim, its scenarios or sovsim; its points are run afresh",
            manifest.display(),
            current.name
        );
    }
}

/// What running the map's points needs (at its largest side's size), for the preflight.
fn needs(
    args: &MapSettings,
    m: &ClaimMap,
    sides: &[Read],
    shard: Option<(usize, usize)>,
    threads: usize,
) -> Vec<Need> {
    let largest = sides
        .iter()
        .map(|s| &s.scenario)
        .max_by_key(|s| u64::from(s.agents()) * u64::from(s.steps()));
    largest
        .map(|s| {
            let mut e = sovsim::limits::ensemble(
                s.agents(),
                s.steps(),
                s.metric_names().len(),
                m.replicates,
                threads as u32,
            );
            // Nothing of a run is written: the replicates are held while the point is
            // judged, and the points file has a short line a point.
            e.disk_bytes = m.points.len() as f64 * 200.0 + 2e6;
            Need {
                at: m.axes.first().map_or_else(
                    || args.file.display().to_string(),
                    |a| place(&m.diagnostic(Some(a.span.clone()), "axis", "")),
                ),
                name: format!("map {}", m.name),
                estimate: e,
                // Every side at the largest side's size: an upper figure when they differ.
                work: Work {
                    // A merge runs nothing.
                    points: if args.merge {
                        0
                    } else {
                        shard_points(m.points.len(), shard)
                    },
                    sides: sides.len() as u32,
                    ..Work::ensemble(m.replicates, s.agents(), s.steps())
                },
            }
        })
        .into_iter()
        .collect()
}

/// `sovsim map`; returns the folder written (`OUT/claims/maps`).
pub fn map(args: &MapSettings) -> Result<PathBuf> {
    let shard = shard(args.shard.as_deref())?;
    let threads = args
        .jobs
        .map_or_else(rayon::current_num_threads, |j| j as usize);
    let weigh = |m: &ClaimMap, sides: &[Read]| {
        preflight(
            &args.out,
            &needs(args, m, sides, shard, threads),
            args.force,
            threads,
        )
    };
    let loaded = load::map(&args.file, &weigh)?;
    let m = &loaded.map;
    let dir = args.out.join(MAPS_OUT);
    fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let manifest_path = join_name(&dir, &m.name, ".json")?;
    let header = csv_line(&loaded.manifest.header);
    if args.merge {
        return merge(args, &loaded, &dir, &header);
    }
    let prefix = format!("{}.", m.name);
    let whole = loaded.manifest.csv.clone();
    let (file_name, selected) = shards::selection(&prefix, &whole, m.points.len(), shard);
    let (points_dir, own_manifest) = match shard {
        Some((k, n)) => {
            let shards = dir.join(SHARDS);
            fs::create_dir_all(&shards)
                .with_context(|| format!("cannot create {}", shards.display()))?;
            let manifest = shards.join(format!("{prefix}shard-{k}-of-{n}.json"));
            (shards, manifest)
        }
        None => (dir.clone(), manifest_path.clone()),
    };
    let mut stale = vec![file_name.clone(), format!("{file_name}.partial")];
    if shard.is_none() {
        stale.extend([loaded.manifest.svg.clone(), loaded.manifest.png.clone()]);
    }
    discard_stale(
        &points_dir,
        &own_manifest,
        &loaded.manifest,
        &stale,
        args.quiet,
    );
    let done = shard.is_none()
        && dir.join(&file_name).is_file()
        && manifest_at(&own_manifest).is_some_and(|old| old.complete);
    if !done {
        write(&own_manifest, loaded.manifest.to_json().as_bytes())?;
    }
    let pool = worker_pool(args.jobs)?;
    let test = &loaded.claim.test;
    let point_work: u64 = loaded
        .sides
        .iter()
        .map(|s| {
            u64::from(m.replicates) * u64::from(s.scenario.steps()) * u64::from(s.scenario.agents())
        })
        .sum();
    let points_path = fill(
        &PointsFile {
            dir: &points_dir,
            name: &file_name,
            header: &header,
            selected: &selected,
            of: &format!("map {}", m.name),
            quiet: args.quiet,
            ensembles: loaded.sides.len() as u64,
            work: point_work,
        },
        &mut |i| {
            let point = &loaded.points[i];
            let mut runs = Vec::new();
            for (side, (label, toml)) in loaded.sides.iter().zip(&point.variations) {
                let s = Scenario::parse_varied(
                    &side.text,
                    &side.file,
                    &read_parent,
                    Some((label, toml)),
                )
                .map_err(|d| anyhow::anyhow!("{d}"))?;
                let progress = job::ensemble_run(m.replicates);
                let work = u64::from(s.steps()) * u64::from(s.agents());
                let done = |_: u32| {
                    if let Some(p) = &progress {
                        p.advance(work);
                    }
                };
                let results = run_all(&pool, &s, m.seed, m.replicates, &done)?;
                sovsim::output::check_finite(s.metric_names(), &results)
                    .with_context(|| format!("scenario {}", s.name))?;
                runs.push((s, results));
            }
            let [scenario, baseline @ ..] = runs.as_slice() else {
                anyhow::bail!("the claim has no scenario");
            };
            let e = map::evaluate_point(
                test,
                m.seed,
                (&scenario.0, &scenario.1),
                baseline.first().map(|(s, r)| (s, r.as_slice())),
            );
            Ok(map::point_row(i, &point.values, &e))
        },
    )?;
    if shard.is_none() {
        finish(&loaded, &dir, &manifest_path)?;
    }
    if !args.quiet {
        job::say(format!("sovsim: wrote {}", points_path.display()));
    }
    Ok(dir)
}

/// `sovsim map --merge`: the shards of this map in `shards/`, checked and joined.
fn merge(args: &MapSettings, loaded: &LoadedMap, dir: &Path, header: &str) -> Result<PathBuf> {
    let m = &loaded.map;
    let shards_dir = dir.join(SHARDS);
    // No folder of shards is no shard: the merge says so.
    let names = if shards_dir.is_dir() {
        names_in(&shards_dir)?
    } else {
        Vec::new()
    };
    let read = |name: &str| fs::read_to_string(shards_dir.join(name)).ok();
    let same = |text: &str| {
        serde_json::from_str::<MapManifest>(text).is_ok_and(|s| s.same_map(&loaded.manifest))
    };
    let manifest_path = dir.join(format!("{}.json", m.name));
    let (text, merged) = shards::merge_folder(
        ShardFolder {
            prefix: &format!("{}.", m.name),
            shown: &shards_dir.display().to_string(),
            what: "map",
            manifest: &args.file.display().to_string(),
        },
        &names,
        header,
        m.points.len(),
        &read,
        &same,
    )
    .map_err(|e| InvalidInput(format!("sovsim: error: {}", e.0)))?;
    write(&dir.join(&loaded.manifest.csv), text.as_bytes())?;
    finish(loaded, dir, &manifest_path)?;
    if !args.quiet {
        eprintln!(
            "sovsim: merged {merged} shards into {}",
            dir.join(&loaded.manifest.csv).display()
        );
    }
    Ok(dir.to_path_buf())
}

/// The plot from a complete points file, then the manifest saying the map is complete.
fn finish(loaded: &LoadedMap, dir: &Path, manifest_path: &Path) -> Result<()> {
    let m = &loaded.map;
    let csv = dir.join(&loaded.manifest.csv);
    let text =
        fs::read_to_string(&csv).with_context(|| format!("cannot read {}", csv.display()))?;
    let cells = map::cells(&text).map_err(|e| anyhow::anyhow!("{}: {e}", csv.display()))?;
    let marks = map::marks(&m.axes, &loaded.views);
    let names: Vec<&str> = loaded
        .sides
        .iter()
        .map(|s| s.scenario.name.as_str())
        .collect();
    let title = map::title(&loaded.claim);
    let subtitle = map::subtitle(&loaded.claim, names[0], names.get(1).copied(), m.replicates);
    write_map(
        dir,
        &MapFigure {
            stem: &m.name,
            title: &title,
            subtitle: &subtitle,
            labels: [&m.axes[0].label, &m.axes[1].label],
            cells: &cells,
            marks: &marks,
        },
    )
    .with_context(|| format!("the plot of map {}", m.name))?;
    let mut manifest = loaded.manifest.clone();
    manifest.complete = true;
    write(manifest_path, manifest.to_json().as_bytes())?;
    Ok(())
}
