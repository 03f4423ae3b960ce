//! The table of "Paired comparisons" in docs/performance.md: for every shipped claim with a
//! baseline (`scenarios/claims/*.toml`), at the scenarios' own replicates and seeds as
//! `sovsim claims` runs them, the width of the effect's 95% interval bootstrapped unpaired
//! (the two sides resampled apart, as before version 0.5) and paired (the per-replicate
//! differences resampled, [`sovsim::compare::paired_difference`]), their ratio, the
//! correlation of the pairs' statistics, the replicates the paired test needs to be as narrow
//! as the unpaired one is today (width falls as one over the square root of the replicates),
//! and the paired width with only the first `HEAVY` replicates (what the sensitivity runs
//! and the views use) against the unpaired width today; then, for every number of
//! replicates from `MIN_REPLICATES` to today's, how the paired widths compare with today's
//! unpaired ones. Prints Markdown.
//!
//! `cargo run --release --example pairing -- [HEAVY]` (default: the claims files'
//! `heavy_replicates`, [`sovsim::claims::HEAVY_REPLICATES`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sovsim::claims::evaluate::{Evaluation, evaluate, statistics, window_steps};
use sovsim::claims::{Against, HEAVY_REPLICATES, MIN_REPLICATES};
use sovsim::compare::{Pairing, Side, pairing};
use sovsim::ensemble::run_replicate;
use sovsim::metrics::Row;
use sovsim::output::as_written;
use sovsim::scenario::Scenario;

fn load(path: &Path) -> Scenario {
    let text = std::fs::read_to_string(path).unwrap();
    let dir = path.parent().unwrap().to_path_buf();
    let resolve = move |_: &str, parent: &str| {
        let file = dir.join(parent);
        let text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
        Ok((file.display().to_string(), text))
    };
    Scenario::parse_with(&text, &path.display().to_string(), &resolve).unwrap()
}

/// The scenario's replicates with its own seed, rounded as `runs.csv` holds them.
fn ensemble(s: &Scenario) -> Vec<Vec<Row>> {
    (0..s.replicates)
        .into_par_iter()
        .map(|r| {
            run_replicate(s, s.seed, r)
                .rows
                .into_iter()
                .map(|row| row.map(as_written))
                .collect()
        })
        .collect()
}

fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    if va == 0.0 || vb == 0.0 {
        f64::NAN
    } else {
        cov / (va * vb).sqrt()
    }
}

fn width(e: &Evaluation) -> f64 {
    e.high - e.low
}

fn main() {
    let heavy: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse().expect("HEAVY: a number of replicates"))
        .unwrap_or(HEAVY_REPLICATES as usize);
    let dir = Path::new("scenarios/claims");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut claims = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let parsed = sovsim::claims::parse(&text, &file.display().to_string()).unwrap();
        for c in parsed.claims {
            if let Against::Baseline(b) = &c.test.against {
                let scenario = dir.join(&c.test.scenario);
                let baseline = dir.join(b);
                claims.push((c, scenario, baseline));
            }
        }
    }
    let mut scenarios: BTreeMap<PathBuf, (Scenario, Vec<Vec<Row>>)> = BTreeMap::new();
    for (_, a, b) in &claims {
        for p in [a, b] {
            if !scenarios.contains_key(p) {
                let s = load(p);
                eprintln!("running {} ({} replicates)", s.name, s.replicates);
                let rows = ensemble(&s);
                scenarios.insert(p.clone(), (s, rows));
            }
        }
    }
    println!(
        "| claim | pairing | replicates | correlation | unpaired width | paired width | paired / unpaired | replicates paired needs | paired width at {heavy} / unpaired today | verdict unpaired | verdict paired | verdict paired at {heavy} |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    let mut ratios = Vec::new();
    let mut needs = Vec::new();
    let mut heavy_ratios = Vec::new();
    // For each number of replicates k from MIN_REPLICATES to today's, every claim's paired
    // width with the first k replicates over its unpaired width today.
    let mut by_k: BTreeMap<usize, Vec<f64>> = BTreeMap::new();
    for (c, a, b) in &claims {
        let (sa, ra) = &scenarios[a];
        let (sb, rb) = &scenarios[b];
        let t = &c.test;
        let of = |s: &Scenario, rows: &[Vec<Row>]| {
            let steps = window_steps(&s.calendar, t.measure.window).unwrap();
            statistics(t, &s.calendar, &steps, rows)
        };
        let (xa, xb) = (of(sa, ra), of(sb, rb));
        let side = |s| Side {
            scenario: s,
            seed: s.seed,
            replicates: s.replicates,
        };
        let p = pairing(side(sa), Some(side(sb)));
        let unpaired = evaluate(t, &xa, Some(&xb), sa.seed, Pairing::DifferentSeeds);
        let paired = evaluate(t, &xa, Some(&xb), sa.seed, Pairing::Paired);
        let k = heavy.min(xa.len()).min(xb.len());
        let few = evaluate(t, &xa[..k], Some(&xb[..k]), sa.seed, Pairing::Paired);
        let n = xa.len();
        let ratio = width(&paired) / width(&unpaired);
        let need = (n as f64 * ratio * ratio).ceil().max(1.0) as usize;
        let heavy_ratio = width(&few) / width(&unpaired);
        let rho = correlation(&xa, &xb);
        let show = |x: f64| {
            if x.is_finite() {
                format!("{x:.3}")
            } else {
                "-".to_string()
            }
        };
        println!(
            "| {} | {} | {n} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            c.id,
            p.name(),
            show(rho),
            show(width(&unpaired)),
            show(width(&paired)),
            show(ratio),
            if ratio.is_finite() {
                need.to_string()
            } else {
                "-".to_string()
            },
            show(heavy_ratio),
            unpaired.verdict.name(),
            paired.verdict.name(),
            few.verdict.name(),
        );
        for k in MIN_REPLICATES..=n.min(xb.len()) {
            let e = evaluate(t, &xa[..k], Some(&xb[..k]), sa.seed, Pairing::Paired);
            let r = width(&e) / width(&unpaired);
            if r.is_finite() {
                by_k.entry(k).or_default().push(r);
            }
        }
        if ratio.is_finite() {
            ratios.push(ratio);
            needs.push(need);
            heavy_ratios.push(heavy_ratio);
        }
    }
    ratios.sort_by(f64::total_cmp);
    needs.sort();
    heavy_ratios.sort_by(f64::total_cmp);
    let median = |v: &[f64]| v.get(v.len() / 2).copied().unwrap_or(f64::NAN);
    println!();
    println!(
        "{} claims with a baseline: paired / unpaired width median {:.3} (range {:.3} to {:.3}); replicates the paired test needs for today's unpaired width: median {}, largest {}; paired width at {heavy} replicates / unpaired today: median {:.3}, largest {:.3}.",
        ratios.len(),
        median(&ratios),
        ratios.first().copied().unwrap_or(f64::NAN),
        ratios.last().copied().unwrap_or(f64::NAN),
        needs.get(needs.len() / 2).copied().unwrap_or(0),
        needs.last().copied().unwrap_or(0),
        median(&heavy_ratios),
        heavy_ratios.last().copied().unwrap_or(f64::NAN),
    );
    println!();
    println!(
        "| replicates, paired | median width / unpaired today | claims at most 1.1 times as wide | widest / unpaired today |"
    );
    println!("|---|---|---|---|");
    for (k, mut v) in by_k {
        v.sort_by(f64::total_cmp);
        let close = v.iter().filter(|&&r| r <= 1.1).count();
        println!(
            "| {k} | {:.3} | {close} of {} | {:.3} |",
            median(&v),
            v.len(),
            v.last().copied().unwrap_or(f64::NAN)
        );
    }
}
