//! The counterfactual table of docs/model.md: each shipped counterfactual's effect on the
//! metrics its argument concerns, against `historical.toml`, at the default mechanism
//! strengths and under each essay's view; the effect is the difference of the replicates'
//! period means with its 95% interval (Welch's normal approximation). Prints Markdown.
//!
//! `cargo run --release --example counterfactuals -- [REPLICATES]` (default 16).

use std::path::Path;

use rayon::prelude::*;
use sovsim::calibration::{difference, period_means};
use sovsim::ensemble::run_replicate;
use sovsim::metrics::Row;
use sovsim::scenario::{Scenario, View};

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

/// A shipped scenario under a shipped view (or none), read as `sovsim run --view` reads it.
fn load(dir: &Path, name: &str, view: Option<&str>) -> Scenario {
    let view = view.map(|v| {
        let text = std::fs::read_to_string(dir.join(format!("views/{v}.toml"))).unwrap();
        View::parse(&text, v).unwrap()
    });
    let text = std::fs::read_to_string(dir.join(name)).unwrap();
    let dir = dir.to_path_buf();
    let resolve = move |_: &str, parent: &str| {
        let file = dir.join(parent);
        let text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
        Ok((file.display().to_string(), text))
    };
    Scenario::parse_viewed(&text, name, &resolve, view.as_ref(), None).unwrap()
}

/// The scenario's replicates, each as its rows.
fn ensemble(s: &Scenario, replicates: u32) -> (Scenario, Vec<Vec<Row>>) {
    let runs = (0..replicates)
        .into_par_iter()
        .map(|r| run_replicate(s, s.seed, r).rows)
        .collect();
    (s.clone(), runs)
}

fn means(run: &(Scenario, Vec<Vec<Row>>), metric: &str, from: &str, to: &str) -> Vec<f64> {
    let rows: Vec<&[Row]> = run.1.iter().map(Vec::as_slice).collect();
    period_means(run.0.calendar, &rows, metric, from, to).expect("a metric of the model")
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
    let historical: Vec<_> = views
        .iter()
        .map(|v| ensemble(&load(&dir, "historical.toml", *v), replicates))
        .collect();
    for (name, metrics, from, to) in ROWS {
        let file = format!("{name}.toml");
        let runs: Vec<_> = views
            .iter()
            .map(|v| ensemble(&load(&dir, &file, *v), replicates))
            .collect();
        for metric in metrics {
            let mut line = format!("| `{name}` | `{metric}` | {from} to {to} |");
            for (run, base) in runs.iter().zip(&historical) {
                let (d, h) = difference(
                    &means(run, metric, from, to),
                    &means(base, metric, from, to),
                );
                line.push_str(&format!(" {d:+.3} ({:+.3} to {:+.3}) |", d - h, d + h));
            }
            println!("{line}");
        }
    }
}
