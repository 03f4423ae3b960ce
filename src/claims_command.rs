//! `sovsim claims`: reads claims files, runs the scenarios they compare (reusing runs whose
//! manifest matches), evaluates every claim, runs the sensitivity variants (kept in memory,
//! their verdicts cached in `OUT/claims/sensitivity-cache.csv` so a rerun does not redo
//! them), and writes `OUT/claims/`: `claims.csv`, `sensitivity.csv`, `claims.html` and a plot
//! per claim.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use sovsim::claims::evaluate::{self, Evaluation, Verdict};
use sovsim::claims::sensitivity::Variant;
use sovsim::claims::{self, Against, Claim, ClaimsFile};
use sovsim::compare::{as_written, read_runs, read_summary};
use sovsim::metrics::Row;
use sovsim::output::StepStats;
use sovsim::report::claims::{ClaimResult, VariantResult};
use sovsim::scenario::{Diagnostic, Scenario};
use sovsim::{ensemble, plot};

use crate::app::{InvalidInput, load_all, read_parent, reusable, run_loaded, write};
use crate::cli::{ClaimsArgs, RunArgs};

/// The claims files named by the paths: files as given, folders' `*.toml` sorted by name.
fn claims_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    crate::app::toml_files(paths, &[PathBuf::from(crate::app::CLAIMS)], "claims")
}

/// A claim with the scenarios it names, resolved.
struct Resolved {
    claim: Claim,
    file: String,
    scenario: PathBuf,
    baseline: Option<PathBuf>,
}

/// The scenario file a claim names, relative to the claims file.
fn beside(claims_file: &Path, named: &str) -> PathBuf {
    let base = claims_file.parent().unwrap_or(Path::new(""));
    let joined = base.join(named);
    // Lexically tidy `a/claims/../x.toml` to `a/x.toml`, so that two claims naming the same
    // file by different routes share one run.
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::ParentDir
                if out
                    .components()
                    .next_back()
                    .is_some_and(|c| matches!(c, std::path::Component::Normal(_))) =>
            {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Reads, checks and resolves every claim, and reads every scenario they name. All problems
/// are reported together, each at its place in the claims file.
fn load(args: &ClaimsArgs) -> Result<(Vec<Resolved>, BTreeMap<PathBuf, Scenario>)> {
    let files = claims_files(&args.paths)?;
    let mut problems: Vec<String> = Vec::new();
    let mut parsed: Vec<(PathBuf, ClaimsFile)> = Vec::new();
    for file in &files {
        let shown = file.display().to_string();
        match fs::read_to_string(file) {
            Ok(text) => match claims::parse(&text, &shown) {
                Ok(f) => parsed.push((file.clone(), f)),
                Err(d) => problems.push(d.to_string()),
            },
            Err(e) => problems.push(format!("{shown}: error: cannot read: {e}")),
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
        match load_all(std::slice::from_ref(path)) {
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

/// The sensitivity results already computed, by key: one line per claim and variant.
type Cache = BTreeMap<String, (Evaluation, f64, f64)>;

const CACHE_HEADER: &str = "key,scenario_mean,against_mean,effect,low,high,verdict,replicates,baseline_replicates,base_value,value";

fn read_cache(path: &Path) -> Cache {
    let mut cache = Cache::new();
    let Ok(text) = fs::read_to_string(path) else {
        return cache;
    };
    if text.lines().next() != Some(CACHE_HEADER) {
        return cache;
    }
    for line in text.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        if c.len() != 11 {
            continue;
        }
        let num = |k: usize| c[k].parse::<f64>().ok();
        let verdict = match c[6] {
            "supported" => Verdict::Supported,
            "contradicted" => Verdict::Contradicted,
            _ => Verdict::Inconclusive,
        };
        let (Some(sm), Some(am), Some(ef), Some(lo), Some(hi), Some(bv), Some(v)) =
            (num(1), num(2), num(3), num(4), num(5), num(9), num(10))
        else {
            continue;
        };
        let (Ok(n0), Ok(n1)) = (c[7].parse(), c[8].parse()) else {
            continue;
        };
        cache.insert(
            c[0].to_string(),
            (
                Evaluation {
                    scenario_mean: sm,
                    against_mean: am,
                    effect: ef,
                    low: lo,
                    high: hi,
                    verdict,
                    replicates: (n0, n1),
                },
                bv,
                v,
            ),
        );
    }
    cache
}

fn cache_text(cache: &Cache) -> String {
    let mut out = String::from(CACHE_HEADER);
    out.push('\n');
    for (key, (e, bv, v)) in cache {
        // `{:?}` writes the shortest text that reads back as the same f64.
        out.push_str(&format!(
            "{key},{:?},{:?},{:?},{:?},{:?},{},{},{},{bv:?},{v:?}\n",
            e.scenario_mean,
            e.against_mean,
            e.effect,
            e.low,
            e.high,
            e.verdict.name(),
            e.replicates.0,
            e.replicates.1
        ));
    }
    out
}

/// Runs `sovsim claims`; returns the folder written.
pub fn claims(args: &ClaimsArgs) -> Result<PathBuf> {
    let (resolved, scenarios) = load(args)?;
    let out = &args.ensemble.out;
    let settings = |s: &Scenario| {
        (
            args.ensemble.seed.unwrap_or(s.seed),
            args.ensemble.replicates.unwrap_or(s.replicates),
        )
    };
    // The runs: reused when the manifest matches, made otherwise (with their plots and
    // report, exactly as `run` makes them).
    let stale: Vec<(PathBuf, Scenario)> = scenarios
        .iter()
        .filter(|(_, s)| {
            let (seed, replicates) = settings(s);
            !reusable(out, s, seed, replicates)
        })
        .map(|(p, s)| (p.clone(), s.clone()))
        .collect();
    if !stale.is_empty() {
        let run = RunArgs {
            paths: Vec::new(),
            ensemble: args.ensemble.clone(),
            no_plots: false,
        };
        run_loaded(&run, &stale)?;
    }
    let mut runs: BTreeMap<PathBuf, Run> = BTreeMap::new();
    for (path, s) in &scenarios {
        let dir = out.join(&s.name);
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
    let seed_of = |r: &Resolved| scenarios.get(&r.scenario).map_or(0, |s| settings(s).0);
    let evaluate_on = |r: &Resolved,
                       scen: &[Vec<Row>],
                       base: Option<&[Vec<Row>]>,
                       sc: &Scenario,
                       bs: Option<&Scenario>| {
        let t = &r.claim.test;
        let steps = evaluate::window_steps(&sc.calendar, t.measure.window).unwrap_or(0..=0);
        let a = evaluate::statistics(t, &sc.calendar, &steps, scen);
        let b = match (base, bs) {
            (Some(rows), Some(bs)) => {
                let steps = evaluate::window_steps(&bs.calendar, t.measure.window).unwrap_or(0..=0);
                Some(evaluate::statistics(t, &bs.calendar, &steps, rows))
            }
            _ => None,
        };
        evaluate::evaluate(t, &a, b.as_deref(), seed_of(r))
    };
    let mut results: Vec<ClaimResult> = Vec::new();
    for r in &resolved {
        let (Some(sc), Some(run)) = (scenarios.get(&r.scenario), runs.get(&r.scenario)) else {
            continue;
        };
        let base = r
            .baseline
            .as_ref()
            .and_then(|b| Some((scenarios.get(b)?, runs.get(b)?)));
        let evaluation = evaluate_on(
            r,
            &run.replicates,
            base.map(|(_, run)| run.replicates.as_slice()),
            sc,
            base.map(|(s, _)| s),
        );
        results.push(ClaimResult {
            claim: r.claim.clone(),
            file: r.file.clone(),
            scenario: sc.name.clone(),
            baseline: base.map(|(s, _)| s.name.clone()),
            evaluation,
            sensitivity: None,
            svg: String::new(),
            png: String::new(),
        });
    }
    let dir = out.join("claims");
    fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    if !args.no_sensitivity {
        sensitivity(
            args,
            &resolved,
            &scenarios,
            &mut results,
            &dir,
            &evaluate_on,
        )?;
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
    let csv = sovsim::report::claims::csv(&results).context("claims.csv")?;
    write(&dir.join("claims.csv"), csv.as_bytes())?;
    if !args.no_sensitivity {
        let csv = sovsim::report::claims::sensitivity_csv(&results).context("sensitivity.csv")?;
        write(&dir.join("sensitivity.csv"), csv.as_bytes())?;
    }
    let mut command = String::from("sovsim claims");
    for path in &args.paths {
        command.push_str(&format!(" {}", path.display()));
    }
    if let Some(r) = args.ensemble.replicates {
        command.push_str(&format!(" --replicates {r}"));
    }
    if let Some(s) = args.ensemble.seed {
        command.push_str(&format!(" --seed {s}"));
    }
    if args.no_sensitivity {
        command.push_str(" --no-sensitivity");
    }
    command.push_str(&format!(" --out {}", out.display()));
    let html = sovsim::report::claims::render(&results, &command).context("claims.html")?;
    write(&dir.join("claims.html"), html.as_bytes())?;
    if !args.ensemble.quiet {
        let count = |v: Verdict| results.iter().filter(|r| r.evaluation.verdict == v).count();
        eprintln!(
            "sovsim: {} claims: {} supported, {} contradicted, {} inconclusive; wrote {}",
            results.len(),
            count(Verdict::Supported),
            count(Verdict::Contradicted),
            count(Verdict::Inconclusive),
            dir.display()
        );
    }
    Ok(dir)
}

type EvaluateOn<'a> = dyn Fn(&Resolved, &[Vec<Row>], Option<&[Vec<Row>]>, &Scenario, Option<&Scenario>) -> Evaluation
    + 'a;

/// Every claim under every variant: runs each varied scenario a claim needs (in memory,
/// rounded as `runs.csv` would hold it) unless the cache already has the claim's verdict
/// under that variant.
fn sensitivity(
    args: &ClaimsArgs,
    resolved: &[Resolved],
    scenarios: &BTreeMap<PathBuf, Scenario>,
    results: &mut [ClaimResult],
    dir: &Path,
    evaluate_on: &EvaluateOn,
) -> Result<()> {
    let cache_path = dir.join("sensitivity-cache.csv");
    let mut cache = read_cache(&cache_path);
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(jobs) = args.ensemble.jobs {
        pool = pool.num_threads(jobs as usize);
    }
    let pool = pool.build().context("cannot start worker threads")?;
    let variants = Variant::all();
    // A verdict that too few replicates make inconclusive stays so under every variant:
    // there is nothing to test.
    let testable: Vec<bool> = results.iter().map(|r| !r.evaluation.too_few()).collect();
    for (r, &t) in results.iter_mut().zip(&testable) {
        if t {
            r.sensitivity = Some(Vec::new());
        }
    }
    for (n, variant) in variants.iter().enumerate() {
        if crate::app::interrupted() {
            return Err(crate::app::Interrupted(format!(
                "sovsim: interrupted during the sensitivity runs: the verdicts of {n} of {} variants are kept in {}; run the same command again to go on (claims.csv and claims.html were not written)",
                variants.len(),
                cache_path.display()
            ))
            .into());
        }
        // The varied scenarios, parsed (cheap) so that their hashes key the cache.
        let mut varied: BTreeMap<PathBuf, Scenario> = BTreeMap::new();
        for (path, s) in scenarios {
            let (label, toml) = variant.variation(s)?;
            let text = fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let v = Scenario::parse_varied(
                &text,
                &path.display().to_string(),
                &read_parent,
                Some((&label, &toml)),
            )
            .map_err(|d| anyhow::anyhow!("{d}"))?;
            varied.insert(path.clone(), v);
        }
        let key_of = |r: &Resolved| {
            let (Some(s), base) = (
                varied.get(&r.scenario),
                r.baseline.as_ref().and_then(|b| varied.get(b)),
            ) else {
                return String::new();
            };
            let replicates = |s: &Scenario| args.ensemble.replicates.unwrap_or(s.replicates);
            let seed = |s: &Scenario| args.ensemble.seed.unwrap_or(s.seed);
            sovsim::scenario::hex_sha256(
                format!(
                    "{}|{}|{:?}|{}|{}|{}|{}|{}|{}",
                    env!("CARGO_PKG_VERSION"),
                    variant.label(),
                    r.claim.test,
                    s.sha256,
                    seed(s),
                    replicates(s),
                    base.map_or("", |b| b.sha256.as_str()),
                    base.map_or(0, seed),
                    base.map_or(0, replicates),
                )
                .as_bytes(),
            )
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
        let mut rows: BTreeMap<&PathBuf, Vec<Vec<Row>>> = BTreeMap::new();
        for path in &needed {
            let s = &varied[*path];
            let replicates = args.ensemble.replicates.unwrap_or(s.replicates);
            let seed = args.ensemble.seed.unwrap_or(s.seed);
            if !args.ensemble.quiet {
                eprintln!(
                    "sovsim: sensitivity {}/{} ({}): {} ({replicates} replicates)",
                    n + 1,
                    variants.len(),
                    variant.label(),
                    s.name
                );
            }
            let results = pool.install(|| ensemble::run(s, seed, replicates, &|_| {}));
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
                .and_then(|b| Some((varied.get(b)?, rows.get(b)?)));
            let e = evaluate_on(
                r,
                scen,
                base.map(|(_, rows)| rows.as_slice()),
                sc,
                base.map(|(s, _)| s),
            );
            let (bv, v) = variant.values(&scenarios[&r.scenario])?;
            cache.insert(key_of(r), (e, bv, v));
        }
        for (r, result) in resolved.iter().zip(results.iter_mut()) {
            if let Some((evaluation, base_value, value)) = cache.get(&key_of(r))
                && let Some(list) = result.sensitivity.as_mut()
            {
                list.push(VariantResult {
                    variant: *variant,
                    base_value: *base_value,
                    value: *value,
                    evaluation: *evaluation,
                });
            }
        }
        // Written after each variant, so an interrupted run keeps what it finished.
        if !missing.is_empty() {
            write(&cache_path, cache_text(&cache).as_bytes())?;
        }
    }
    Ok(())
}
