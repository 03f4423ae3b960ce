//! The counterfactual table of docs/model.md: each shipped counterfactual's effect on the
//! metrics its argument concerns, against `historical.toml`, at the default mechanism
//! strengths and under each essay's view; the effect is the difference of the replicates'
//! period means with its 95% interval (Welch's normal approximation). Prints Markdown.
//!
//! `cargo run --release --example counterfactuals -- [REPLICATES]` (default 16).

use std::path::Path;

use rayon::prelude::*;
use sovsim::ensemble::run_replicate;
use sovsim::metrics::METRIC_NAMES;
use sovsim::scenario::Scenario;

const VIEWS: [&str; 5] = ["lessons", "anarchist_faq", "ratcliffe", "ward", "miasnikov"];

/// Each counterfactual, the metrics its argument concerns, and the period they are read over.
const ROWS: [(&str, &[&str], &str, &str); 11] = [
    (
        "factions_allowed",
        &["faction_pluralism", "party_democracy", "oligarchy"],
        "1922-01",
        "1930-12",
    ),
    (
        "informal_suppression_1918",
        &["faction_pluralism", "party_democracy"],
        "1918-06",
        "1921-12",
    ),
    (
        "multi_party_soviets",
        &["soviet_power", "pluralism", "restored"],
        "1918-01",
        "1930-12",
    ),
    (
        "free_press_for_all",
        &["pluralism", "restored"],
        "1918-01",
        "1930-12",
    ),
    (
        "commune_state",
        &["party_democracy", "soviet_power", "bureaucracy"],
        "1922-01",
        "1930-12",
    ),
    (
        "workers_control",
        &["participation", "legitimacy"],
        "1919-01",
        "1930-12",
    ),
    (
        "soviet_controlled_police",
        &["arrests", "jailed"],
        "1918-01",
        "1930-12",
    ),
    (
        "world_revolution_1923",
        &["participation", "party_democracy", "legitimacy"],
        "1924-01",
        "1930-12",
    ),
    (
        "no_civil_war",
        &["soviet_power", "participation", "party_democracy"],
        "1918-06",
        "1930-12",
    ),
    (
        "left_opposition_1923",
        &["party_democracy", "faction_pluralism", "line_gap"],
        "1924-01",
        "1930-12",
    ),
    (
        "favourable_circumstances",
        &["soviet_power", "participation", "oligarchy"],
        "1918-06",
        "1930-12",
    ),
];

fn load(dir: &Path, name: &str) -> Scenario {
    let text = std::fs::read_to_string(dir.join(name)).unwrap();
    let dir = dir.to_path_buf();
    let resolve = move |_: &str, parent: &str| {
        let file = dir.join(parent);
        let text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
        Ok((file.display().to_string(), text))
    };
    Scenario::parse_with(&text, name, &resolve).unwrap()
}

fn under(mut scenario: Scenario, dir: &Path, view: Option<&str>) -> Scenario {
    let Some(view) = view else { return scenario };
    let text = std::fs::read_to_string(dir.join(format!("views/{view}.toml"))).unwrap();
    let table: toml::Table = text.parse().unwrap();
    for (key, value) in table["rules"]["leadership"].as_table().unwrap() {
        scenario.rules = scenario
            .rules
            .with_set(&format!("rules.leadership.{key}"), value)
            .unwrap();
    }
    scenario
}

/// Each replicate's rows.
fn ensemble(s: &Scenario, replicates: u32) -> Vec<Vec<[f64; 19]>> {
    (0..replicates)
        .into_par_iter()
        .map(|r| run_replicate(s, s.seed, r).rows)
        .collect()
}

fn period_means(
    s: &Scenario,
    runs: &[Vec<[f64; 19]>],
    metric: &str,
    from: &str,
    to: &str,
) -> Vec<f64> {
    let k = METRIC_NAMES.iter().position(|m| *m == metric).unwrap();
    runs.iter()
        .map(|rows| {
            let (mut sum, mut n) = (0.0, 0);
            for (step, row) in rows.iter().enumerate() {
                let month = s.calendar.date(step as u32).to_string()[..7].to_string();
                if month.as_str() >= from && month.as_str() <= to {
                    sum += row[k];
                    n += 1;
                }
            }
            sum / n.max(1) as f64
        })
        .collect()
}

fn effect(a: &[f64], b: &[f64]) -> String {
    let mean = |x: &[f64]| x.iter().sum::<f64>() / x.len() as f64;
    let var = |x: &[f64]| {
        let m = mean(x);
        x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() as f64 - 1.0)
    };
    let d = mean(a) - mean(b);
    let h = 1.96 * (var(a) / a.len() as f64 + var(b) / b.len() as f64).sqrt();
    format!("{d:+.3} ({:+.3} to {:+.3})", d - h, d + h)
}

fn main() {
    let replicates: u32 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(16);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let views: Vec<Option<&str>> = std::iter::once(None).chain(VIEWS.map(Some)).collect();
    let mut header = String::from("| counterfactual | metric | period | default |");
    for v in VIEWS {
        header.push_str(&format!(" `{v}` |"));
    }
    println!("{header}");
    println!("|---|---|---|---|{}", "---|".repeat(VIEWS.len()));
    let historical: Vec<(Scenario, Vec<Vec<[f64; 19]>>)> = views
        .iter()
        .map(|v| {
            let s = under(load(&dir, "historical.toml"), &dir, *v);
            let runs = ensemble(&s, replicates);
            (s, runs)
        })
        .collect();
    for (name, metrics, from, to) in ROWS {
        let runs: Vec<(Scenario, Vec<Vec<[f64; 19]>>)> = views
            .iter()
            .map(|v| {
                let s = under(load(&dir, &format!("{name}.toml")), &dir, *v);
                let runs = ensemble(&s, replicates);
                (s, runs)
            })
            .collect();
        for metric in metrics {
            let mut line = format!("| `{name}` | `{metric}` | {from} to {to} |");
            for ((s, c), (hs, h)) in runs.iter().zip(&historical) {
                let a = period_means(s, c, metric, from, to);
                let b = period_means(hs, h, metric, from, to);
                line.push_str(&format!(" {} |", effect(&a, &b)));
            }
            println!("{line}");
        }
    }
}
