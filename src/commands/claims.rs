//! `sovsim claims`: reads claims files, runs the scenarios they compare (reusing runs whose
//! manifest matches) under the default parameters and under every essay's view in
//! `scenarios/views/` (each view's runs in `OUT/<scenario>.view-<view>/`, reused the same
//! way), evaluates every claim under each, runs the sensitivity variants under the default
//! parameters only (kept in memory, their verdicts cached in `OUT/claims/sensitivity-cache.csv`
//! ([`sovsim::claims::cache`]) so a rerun does not redo them), and writes `OUT/claims/`:
//! `claims.csv`, `coherence.csv`, `sensitivity.csv`, `claims.html` and a plot per claim. The
//! views' runs and the sensitivity variants use `--analysis-replicates` per scenario
//! (paired comparisons keep them about as precise as the claims' own). With
//! `--view`, every scenario is run under that view alone, sensitivity included, and the
//! folder is `OUT/claims.view-<view>/`; `--no-views` evaluates under the defaults alone.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use sovsim::claims::cache::{self, CachedVerdict, Side};
use sovsim::claims::coherence::{self, ViewColumn};
use sovsim::claims::evaluate::{self, Evaluation, Verdict};
use sovsim::claims::sensitivity::Variant;
use sovsim::claims::{self, Against, Claim, ClaimsFile};
use sovsim::compare::Pairing;
use sovsim::format::join_name;
use sovsim::limits::Work;
use sovsim::metrics::Row;
use sovsim::output::{StepStats, as_written, read_runs, read_summary};
use sovsim::plot;
use sovsim::report::claims::{ClaimResult, ClaimsPage, VariantResult};
use sovsim::report::contrasts::MapFigure;
use sovsim::scenario::{Diagnostic, Scenario, View, viewed_name};

use super::common::ensembles::{ensure_runs, run_all};
use super::common::files::{CLAIMS_DIR, beside, load_all, load_view, load_views, toml_files};
use super::common::preflight::{Need, preflight};
use super::common::settings::{ClaimsSettings, EnsembleSettings};
use super::common::{
    Interrupted, InvalidInput, interrupted, job, read_input, read_parent, worker_pool, write,
};

/// The claims files named by the paths: files as given, folders' `*.toml` sorted by name.
fn claims_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    toml_files(paths, &[PathBuf::from(CLAIMS_DIR)], "claims")
}

/// A claim with the scenarios it names, resolved.
struct Resolved {
    claim: Claim,
    file: String,
    scenario: PathBuf,
    baseline: Option<PathBuf>,
}

/// Reads, checks and resolves every claim, and reads every scenario they name (under
/// `view`, if one is given). All problems are reported together, each at its place in the
/// claims file.
fn load(
    paths: &[PathBuf],
    view: Option<&View>,
) -> Result<(Vec<Resolved>, BTreeMap<PathBuf, Scenario>)> {
    let files = claims_files(paths)?;
    let mut problems: Vec<String> = Vec::new();
    let mut parsed: Vec<(PathBuf, ClaimsFile)> = Vec::new();
    for file in &files {
        let shown = file.display().to_string();
        match read_input(file) {
            Ok(text) => match claims::parse(&text, &shown) {
                Ok(f) => parsed.push((file.clone(), f)),
                Err(d) => problems.push(d.to_string()),
            },
            Err(e) => problems.push(e),
        }
    }
    // Every scenario named, read once.
    let mut wanted: Vec<PathBuf> = Vec::new();
    for (path, f) in &parsed {
        for c in &f.claims {
            wanted.push(beside(path, &c.test.scenario));
            if let Against::Baseline(b) = &c.test.against {
                wanted.push(beside(path, b));
            }
        }
    }
    wanted.sort();
    wanted.dedup();
    let mut scenarios: BTreeMap<PathBuf, Scenario> = BTreeMap::new();
    let mut unreadable: BTreeMap<PathBuf, String> = BTreeMap::new();
    for path in &wanted {
        match load_all(std::slice::from_ref(path), view) {
            Ok((mut loaded, errs)) if errs.is_empty() && loaded.len() == 1 => {
                if let Some((_, s)) = loaded.pop() {
                    scenarios.insert(path.clone(), s);
                }
            }
            Ok((_, errs)) => {
                unreadable.insert(path.clone(), errs.join("\n"));
            }
            Err(e) => {
                unreadable.insert(path.clone(), format!("{e:#}"));
            }
        }
    }
    let mut resolved = Vec::new();
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for (path, f) in &parsed {
        for c in &f.claims {
            let mut diagnostics: Vec<Diagnostic> = Vec::new();
            let key = |k: &str| format!("claim[{}].{k}", c.index);
            let scenario = beside(path, &c.test.scenario);
            let baseline = match &c.test.against {
                Against::Baseline(b) => Some(beside(path, b)),
                Against::Threshold(_) => None,
            };
            let named = [
                (
                    Some(scenario.clone()),
                    c.spans.scenario.clone(),
                    "test.scenario",
                ),
                (
                    baseline.clone(),
                    c.spans.baseline.clone().unwrap_or_default(),
                    "test.baseline",
                ),
            ];
            for (file, span, k) in named {
                let Some(file) = file else { continue };
                if let Some(why) = unreadable.get(&file) {
                    diagnostics.push(f.diagnostic(
                        Some(span),
                        &key(k),
                        format!("the scenario {} cannot be used:\n{why}", file.display()),
                    ));
                } else if let Some(s) = scenarios.get(&file)
                    && let Some(model) = &s.reference
                {
                    diagnostics.push(f.diagnostic(
                        Some(span),
                        &key(k),
                        format!(
                            "{} runs the {} reference model; claims test the revolution model's metrics",
                            s.name,
                            model.kind().name()
                        ),
                    ));
                } else if let Some(s) = scenarios.get(&file)
                    && let Err(why) = evaluate::window_steps(&s.calendar, c.test.measure.window)
                {
                    diagnostics.push(f.diagnostic(
                        Some(c.spans.window.clone()),
                        &key(c.spans.window_key),
                        format!("{why}, in {}", s.name),
                    ));
                }
            }
            if let Some(other) = ids.insert(c.id.clone(), f.file.clone()) {
                diagnostics.push(f.diagnostic(
                    None,
                    &key("id"),
                    format!(
                        "the id `{}` is also a claim's in {other}; ids must be unique",
                        c.id
                    ),
                ));
            }
            if diagnostics.is_empty() {
                resolved.push(Resolved {
                    claim: c.clone(),
                    file: f.file.clone(),
                    scenario,
                    baseline,
                });
            } else {
                problems.extend(diagnostics.iter().map(|d| d.to_string()));
            }
        }
    }
    // Two different files under one name would write into the same output folder.
    let mut by_name: BTreeMap<&str, &Path> = BTreeMap::new();
    for (path, s) in &scenarios {
        if let Some(other) = by_name.insert(&s.name, path) {
            problems.push(format!(
                "sovsim: error: {} and {} are both named `{}`; the scenarios a set of claims uses must have different names",
                other.display(),
                path.display(),
                s.name
            ));
        }
    }
    if !problems.is_empty() {
        return Err(InvalidInput(problems.join("\n")).into());
    }
    Ok((resolved, scenarios))
}

/// One scenario's run as the claims use it.
struct Run {
    replicates: Vec<Vec<Row>>,
    stats: Vec<StepStats>,
}

/// The sets of assumptions the claims are evaluated under, each with its view: with
/// `--view`, that view alone; else the default parameters and, unless `--no-views`, every
/// view in `scenarios/views/` by name.
fn columns(settings: &ClaimsSettings) -> Result<Vec<(ViewColumn, Option<View>)>> {
    if let Some(view) = load_view(settings.ensemble.view.as_deref())? {
        return Ok(vec![(ViewColumn::of(&view), Some(view))]);
    }
    let mut columns = vec![(ViewColumn::default_parameters(), None)];
    if settings.views {
        // No view is named as the default's column: View::parse refuses the name.
        for view in load_views()? {
            columns.push((ViewColumn::of(&view), Some(view)));
        }
    }
    Ok(columns)
}

/// Each scenario's replicates and statistics, read back from its run in `out`.
fn read_back(
    out: &Path,
    scenarios: &BTreeMap<PathBuf, Scenario>,
) -> Result<BTreeMap<PathBuf, Run>> {
    let mut runs = BTreeMap::new();
    for (path, s) in scenarios {
        let dir = join_name(out, &s.name, "")?;
        let read = |name: &str| {
            let p = dir.join(name);
            fs::read_to_string(&p).with_context(|| format!("cannot read {}", p.display()))
        };
        runs.insert(
            path.clone(),
            Run {
                replicates: read_runs(&read("runs.csv")?, "runs.csv", s.metric_names().len())?,
                stats: read_summary(&read("summary.csv")?, "summary.csv", s.metric_names())?,
            },
        );
    }
    Ok(runs)
}

/// A claim evaluated on the replicates of its scenario `sc` (and of its baseline, when it
/// has one), with the bootstrap seeded by the scenario's seed, pair by pair where the two
/// sides pair ([`sovsim::compare::pairing`]).
fn evaluate_on(
    ensemble: &EnsembleSettings,
    r: &Resolved,
    sc: &Scenario,
    scen: &[Vec<Row>],
    base: Option<(&Scenario, &[Vec<Row>])>,
) -> Evaluation {
    let side = |s: &Scenario, rows: &[Vec<Row>]| {
        (
            ensemble.seed_of(s),
            u32::try_from(rows.len()).unwrap_or(u32::MAX),
        )
    };
    let as_side = |s, (seed, replicates)| Side {
        scenario: s,
        seed,
        replicates,
    };
    let pairing = sovsim::compare::pairing(
        as_side(sc, side(sc, scen)),
        base.map(|(bs, rows)| as_side(bs, side(bs, rows))),
    );
    let base = base.map(|(bs, rows)| (&bs.calendar, rows));
    evaluate::evaluate_runs(
        &r.claim.test,
        (&sc.calendar, scen),
        base,
        ensemble.seed_of(sc),
        pairing,
    )
}

/// Every claim evaluated on one column's runs, in the claims' order. A claim whose runs are
/// missing (which loading rules out) is inconclusive rather than dropped, so the columns
/// stay aligned.
fn evaluate_column(
    ensemble: &EnsembleSettings,
    resolved: &[Resolved],
    scenarios: &BTreeMap<PathBuf, Scenario>,
    runs: &BTreeMap<PathBuf, Run>,
) -> Vec<Evaluation> {
    let of = |path: &PathBuf| Some((scenarios.get(path)?, runs.get(path)?.replicates.as_slice()));
    resolved
        .iter()
        .map(|r| match of(&r.scenario) {
            Some((sc, scen)) => {
                evaluate_on(ensemble, r, sc, scen, r.baseline.as_ref().and_then(of))
            }
            None => evaluate::evaluate(&r.claim.test, &[], None, 0, Pairing::Threshold),
        })
        .collect()
}

/// Verdicts counted, as the progress lines give them.
fn tally<'a>(evaluations: impl Iterator<Item = &'a Evaluation>) -> String {
    let mut counts = [0usize; 4];
    let mut n = 0;
    for e in evaluations {
        n += 1;
        if let Some(k) = Verdict::ALL.iter().position(|v| *v == e.verdict) {
            counts[k] += 1;
        }
    }
    let named: Vec<String> = Verdict::ALL
        .iter()
        .zip(counts)
        .map(|(v, c)| format!("{c} {}", v.name()))
        .collect();
    format!("{n} claims: {}", named.join(", "))
}

/// The maps of the contrasts found in `dir/maps/` (`*.json`, by file name), made by another
/// command: those that cannot be read, or whose drawing is not there, are left out, and a
/// PNG that is not there is not linked.
fn maps(dir: &Path) -> Vec<MapFigure> {
    let folder = dir.join("maps");
    let Ok(entries) = fs::read_dir(&folder) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .filter_map(|p| MapFigure::parse(&fs::read_to_string(p).ok()?))
        .filter(|m| folder.join(&m.svg).is_file())
        .map(|mut m| {
            if m.png.as_ref().is_some_and(|p| !folder.join(p).is_file()) {
                m.png = None;
            }
            m
        })
        .collect()
}

/// Runs `sovsim claims`; returns the folder written.
pub fn claims(settings: &ClaimsSettings) -> Result<PathBuf> {
    let columns = columns(settings)?;
    // Every file is read and checked, under every view, before anything runs.
    let mut loaded = Vec::with_capacity(columns.len());
    for (_, view) in &columns {
        loaded.push(load(&settings.paths, view.as_ref())?);
    }
    let ensemble = &settings.ensemble;
    let out = &ensemble.out;
    // A view's verdicts are another page, not the scenarios' own overwritten.
    let folder = match columns.first().and_then(|(_, v)| v.as_ref()) {
        Some(v) if columns.len() == 1 => viewed_name("claims", &v.name),
        _ => "claims".to_string(),
    };
    let dir = join_name(out, &folder, "")?;
    check_work(settings, &loaded, &dir)?;
    let mut evaluations: Vec<Vec<Evaluation>> = Vec::with_capacity(columns.len());
    let mut primary: Option<BTreeMap<PathBuf, Run>> = None;
    for (k, ((column, view), (resolved, scenarios))) in columns.iter().zip(&loaded).enumerate() {
        // A view's runs are made as `run --view` makes them (and reused as such); the
        // first column's are those the command was asked for.
        let mut viewed = ensemble.clone();
        job::stage(if k == 0 {
            "claims"
        } else {
            "claims under views"
        });
        if k > 0 {
            viewed.view = view.as_ref().map(|v| v.name.clone());
            if !ensemble.quiet {
                job::say(format!(
                    "sovsim: claims under the view {} ({}): {} scenarios, run unless already run",
                    column.name,
                    column.reads_short(),
                    scenarios.len()
                ));
            }
        }
        let listed: Vec<(PathBuf, Scenario)> = scenarios
            .iter()
            .map(|(p, s)| (p.clone(), s.clone()))
            .collect();
        if k == 0 {
            ensure_runs(&viewed, &listed)?;
        } else {
            // The views are a heavy analysis: each scenario with the analyses' replicates.
            let mut by_replicates: BTreeMap<u32, Vec<(PathBuf, Scenario)>> = BTreeMap::new();
            for (p, s) in listed {
                let r = settings.analysis_replicates_of(&s);
                by_replicates.entry(r).or_default().push((p, s));
            }
            for (r, group) in by_replicates {
                viewed.replicates = Some(r);
                ensure_runs(&viewed, &group)?;
            }
        }
        let runs = read_back(out, scenarios)?;
        let evaluated = evaluate_column(ensemble, resolved, scenarios, &runs);
        if k > 0 && !ensemble.quiet {
            job::say(format!(
                "sovsim: under the view {}: {}",
                column.name,
                tally(evaluated.iter())
            ));
        }
        evaluations.push(evaluated);
        // Only the first column's runs are drawn; the others' are let go.
        if k == 0 {
            primary = Some(runs);
        }
    }
    let (Some((resolved, scenarios)), Some(runs)) = (loaded.first(), primary) else {
        return Err(anyhow::anyhow!(
            "no set of assumptions to evaluate the claims under"
        ));
    };
    let view = columns.first().and_then(|(_, v)| v.as_ref());
    let mut columns_evaluated = evaluations.into_iter();
    let first = columns_evaluated.next().unwrap_or_default();
    let mut results: Vec<ClaimResult> = resolved
        .iter()
        .zip(first)
        .map(|(r, evaluation)| {
            let name = |p: &PathBuf| scenarios.get(p).map(|s| s.name.clone());
            ClaimResult {
                claim: r.claim.clone(),
                file: r.file.clone(),
                scenario: name(&r.scenario).unwrap_or_default(),
                baseline: r.baseline.as_ref().and_then(name),
                evaluation,
                viewed: Vec::new(),
                sensitivity: None,
                svg: String::new(),
                png: String::new(),
            }
        })
        .collect();
    for column in columns_evaluated {
        for (result, e) in results.iter_mut().zip(column) {
            result.viewed.push(e);
        }
    }
    fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    if settings.sensitivity {
        job::stage("claims sensitivity");
        sensitivity(settings, view, resolved, scenarios, &mut results, &dir)?;
        // The claims' plots and page are counted with the claims.
        job::stage("claims");
    }
    // A plot per claim: its scenarios' medians and bands, its window and level.
    let plots = dir.join("plots");
    for (r, result) in resolved.iter().zip(results.iter_mut()) {
        let mut lines = Vec::new();
        for path in r.baseline.iter().chain(std::iter::once(&r.scenario)) {
            if let (Some(s), Some(run)) = (scenarios.get(path), runs.get(path)) {
                lines.push(plot::Overlay {
                    name: &s.name,
                    metrics: s.metric_names(),
                    calendar: s.calendar,
                    stats: &run.stats,
                });
            }
        }
        let t = &r.claim.test;
        let level = match t.against {
            Against::Threshold(x) => Some(x),
            Against::Baseline(_) if t.measure.statistic.needs_level() => Some(t.measure.level),
            Against::Baseline(_) => None,
        };
        let marks = plot::Marks {
            window: Some((t.measure.window.first, t.measure.window.last)),
            level,
        };
        result.svg = plot::write_claim_plot(
            &plots,
            &r.claim.id,
            &r.claim.id,
            &lines,
            t.measure.metric,
            marks,
        )
        .with_context(|| format!("the plot of claim {}", r.claim.id))?;
        result.png = format!("plots/{}.png", r.claim.id);
    }
    let columns: Vec<ViewColumn> = columns.into_iter().map(|(c, _)| c).collect();
    let csv = sovsim::report::claims::csv(&results, &columns).context("claims.csv")?;
    write(&dir.join("claims.csv"), csv.as_bytes())?;
    let verdicts: Vec<_> = results.iter().map(ClaimResult::verdicts).collect();
    let csv =
        coherence::csv(&coherence::coherence(&columns, &verdicts)).context("coherence.csv")?;
    write(&dir.join("coherence.csv"), csv.as_bytes())?;
    if settings.sensitivity {
        let csv = sovsim::report::claims::sensitivity_csv(&results).context("sensitivity.csv")?;
        write(&dir.join("sensitivity.csv"), csv.as_bytes())?;
    }
    let mut command = String::from("sovsim claims");
    for path in &settings.paths {
        command.push_str(&format!(" {}", path.display()));
    }
    command.push_str(&ensemble.flags());
    if !settings.sensitivity {
        command.push_str(" --no-sensitivity");
    }
    if settings.analysis_replicates != claims::HEAVY_REPLICATES {
        command.push_str(&format!(
            " --analysis-replicates {}",
            settings.analysis_replicates
        ));
    }
    if !settings.views && ensemble.view.is_none() {
        command.push_str(" --no-views");
    }
    command.push_str(&format!(" --out {}", out.display()));
    let page = ClaimsPage {
        results: &results,
        columns: &columns,
        maps: &maps(&dir),
        command: &command,
    };
    let html = sovsim::report::claims::render(&page).context("claims.html")?;
    write(&dir.join("claims.html"), html.as_bytes())?;
    if !ensemble.quiet {
        // With several columns the line says which one the counts are of.
        let under = match columns.as_slice() {
            [_, _, ..] => " under the default parameters",
            _ => "",
        };
        job::say(format!(
            "sovsim: {}{under}; wrote {}",
            tally(results.iter().map(|r| &r.evaluation)),
            dir.display()
        ));
    }
    Ok(dir)
}

/// The whole command's work, checked before any of it runs ([`preflight`]): every run of
/// every column that is not already made, and the sensitivity runs, all of them when no
/// cache of their verdicts exists (with one, a rerun resumes it, and its share is not known
/// before the varied scenarios are made; each ensemble is still checked as it starts).
fn check_work(
    settings: &ClaimsSettings,
    loaded: &[(Vec<Resolved>, BTreeMap<PathBuf, Scenario>)],
    claims_dir: &Path,
) -> Result<()> {
    let ensemble = &settings.ensemble;
    let threads = ensemble
        .jobs
        .map_or_else(rayon::current_num_threads, |j| j as usize);
    let need = |file: &Path, s: &Scenario, replicates: u32, what: String| Need {
        at: file.display().to_string(),
        name: what,
        estimate: sovsim::limits::ensemble(
            s.agents(),
            s.steps(),
            s.metric_names().len(),
            replicates,
            2 * threads as u32,
        ),
        work: Work::ensemble(replicates, s.agents(), s.steps()),
    };
    let mut needs = Vec::new();
    for (k, (_, scenarios)) in loaded.iter().enumerate() {
        for (file, s) in scenarios {
            let replicates = if k == 0 {
                ensemble.replicates_of(s)
            } else {
                settings.analysis_replicates_of(s)
            };
            let made = sovsim::output::reusable(
                &ensemble.out.join(&s.name),
                s,
                ensemble.seed_of(s),
                replicates,
            );
            if !made {
                needs.push(need(file, s, replicates, s.name.clone()));
            }
        }
    }
    let cached = claims_dir.join("sensitivity-cache.csv").is_file();
    let scenarios = loaded.first().map(|(_, s)| s);
    if settings.sensitivity && !cached {
        for (file, s) in scenarios.into_iter().flatten() {
            let mut n = need(
                file,
                s,
                settings.analysis_replicates_of(s),
                format!("{} under its sensitivity variants", s.name),
            );
            n.work.points = Variant::all().len() as u64;
            // Kept in memory and let go: nothing of it is written.
            n.estimate.disk_bytes = 0.0;
            needs.push(n);
        }
    }
    preflight(&ensemble.out, &needs, ensemble.force, threads)
}

/// Every claim under every variant: runs each varied scenario a claim needs (in memory,
/// rounded as `runs.csv` would hold it) unless the cache already has the claim's verdict
/// under that variant.
fn sensitivity(
    settings: &ClaimsSettings,
    view: Option<&View>,
    resolved: &[Resolved],
    scenarios: &BTreeMap<PathBuf, Scenario>,
    results: &mut [ClaimResult],
    dir: &Path,
) -> Result<()> {
    let cache_path = dir.join("sensitivity-cache.csv");
    let ensemble_settings = &settings.ensemble;
    let mut cache = fs::read_to_string(&cache_path)
        .map(|text| cache::parse(&text))
        .unwrap_or_default();
    let pool = worker_pool(ensemble_settings.jobs)?;
    let variants = Variant::all();
    // A verdict that too few replicates make inconclusive stays so under every variant:
    // there is nothing to test.
    let testable: Vec<bool> = results.iter().map(|r| !r.evaluation.too_few()).collect();
    for (r, &t) in results.iter_mut().zip(&testable) {
        if t {
            r.sensitivity = Some(Vec::new());
        }
    }
    let stopped = |n: usize| -> anyhow::Error {
        Interrupted(format!(
            "sovsim: interrupted during the sensitivity runs: the verdicts of {n} of {} variants are kept in {}; run the same command again to go on (claims.csv and claims.html were not written)",
            variants.len(),
            cache_path.display()
        ))
        .into()
    };
    for (n, variant) in variants.iter().enumerate() {
        if interrupted() {
            return Err(stopped(n));
        }
        // The varied scenarios, parsed (cheap) so that their hashes key the cache.
        let mut varied: BTreeMap<PathBuf, Scenario> = BTreeMap::new();
        for (path, s) in scenarios {
            let (label, toml) = variant.variation(s)?;
            let text = fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let v = Scenario::parse_viewed(
                &text,
                &path.display().to_string(),
                &read_parent,
                view,
                Some((&label, &toml)),
            )
            .map_err(|d| anyhow::anyhow!("{d}"))?;
            varied.insert(path.clone(), v);
        }
        let side = |s| Side {
            scenario: s,
            seed: ensemble_settings.seed_of(s),
            replicates: settings.analysis_replicates_of(s),
        };
        let key_of = |r: &Resolved| {
            let (Some(s), base) = (
                varied.get(&r.scenario),
                r.baseline.as_ref().and_then(|b| varied.get(b)),
            ) else {
                return String::new();
            };
            cache::key(*variant, &r.claim.test, side(s), base.map(side))
        };
        let missing: Vec<usize> = (0..resolved.len())
            .filter(|&k| testable[k] && !cache.contains_key(&key_of(&resolved[k])))
            .collect();
        let mut needed: Vec<&PathBuf> = missing
            .iter()
            .flat_map(|&k| {
                std::iter::once(&resolved[k].scenario).chain(resolved[k].baseline.as_ref())
            })
            .collect();
        needed.sort();
        needed.dedup();
        // The scenarios this variant need not run again: their verdicts are cached.
        let work_of = |s: &Scenario| {
            u64::from(ensemble_settings.replicates_of(s))
                * u64::from(s.steps())
                * u64::from(s.agents())
        };
        let cached: Vec<&Scenario> = varied
            .iter()
            .filter(|(p, _)| !needed.contains(p))
            .map(|(_, s)| s)
            .collect();
        job::reused(cached.len() as u64, cached.iter().map(|s| work_of(s)).sum());
        let mut rows: BTreeMap<&PathBuf, Vec<Vec<Row>>> = BTreeMap::new();
        for path in &needed {
            let s = &varied[*path];
            let replicates = settings.analysis_replicates_of(s);
            let seed = ensemble_settings.seed_of(s);
            if !ensemble_settings.quiet {
                job::note(format!(
                    "sovsim: sensitivity {}/{} ({}): {} ({replicates} replicates)",
                    n + 1,
                    variants.len(),
                    variant.label(),
                    s.name
                ));
            }
            let progress = job::ensemble_run(replicates);
            let work = u64::from(s.steps()) * u64::from(s.agents());
            let done = |_: u32| {
                if let Some(p) = &progress {
                    p.advance(work);
                }
            };
            let results = run_all(&pool, s, seed, replicates, &done).map_err(|_| stopped(n))?;
            sovsim::output::check_finite(s.metric_names(), &results)
                .with_context(|| format!("scenario {} ({})", s.name, variant.label()))?;
            let replicates: Vec<Vec<Row>> = results
                .into_iter()
                .map(|r| r.rows.into_iter().map(|row| row.map(as_written)).collect())
                .collect();
            rows.insert(path, replicates);
        }
        for &k in &missing {
            let r = &resolved[k];
            let (Some(sc), Some(scen)) = (varied.get(&r.scenario), rows.get(&r.scenario)) else {
                continue;
            };
            let base = r
                .baseline
                .as_ref()
                .and_then(|b| Some((varied.get(b)?, rows.get(b)?.as_slice())));
            let e = evaluate_on(ensemble_settings, r, sc, scen, base);
            let (bv, v) = variant.values(&scenarios[&r.scenario])?;
            cache.insert(
                key_of(r),
                CachedVerdict {
                    evaluation: e,
                    base_value: bv,
                    value: v,
                },
            );
        }
        for (r, result) in resolved.iter().zip(results.iter_mut()) {
            if let Some(cached) = cache.get(&key_of(r))
                && let Some(list) = result.sensitivity.as_mut()
            {
                list.push(VariantResult {
                    variant: *variant,
                    base_value: cached.base_value,
                    value: cached.value,
                    evaluation: cached.evaluation,
                });
            }
        }
        // Written after each variant, so an interrupted run keeps what it finished.
        if !missing.is_empty() {
            write(&cache_path, cache::to_text(&cache).as_bytes())?;
        }
    }
    Ok(())
}
