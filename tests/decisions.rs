//! The leadership's decisions in whole runs: the endogenous history takes each decision in
//! its historical window in most replicates, and the essays' views decide whether the
//! counterfactuals they argue over make a difference (docs/model.md, "Mechanisms and the
//! essays' views").

use std::path::Path;

use sovsim::calibration::{WINDOWS, share_within};
use sovsim::ensemble::{ReplicateResult, run};
use sovsim::metrics::METRIC_NAMES;
use sovsim::model::DecisionRecord;
use sovsim::scenario::Scenario;

fn load(name: &str) -> Scenario {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let text = std::fs::read_to_string(dir.join(name)).unwrap();
    let dir = dir.clone();
    let resolve = move |_: &str, parent: &str| {
        let file = dir.join(parent);
        let text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
        Ok((file.display().to_string(), text))
    };
    Scenario::parse_with(&text, name, &resolve).unwrap()
}

/// The scenario with a view's mechanism strengths.
fn under(mut scenario: Scenario, view: &str) -> Scenario {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/views");
    let text = std::fs::read_to_string(dir.join(format!("{view}.toml"))).unwrap();
    let table: toml::Table = text.parse().unwrap();
    let leadership = table["rules"]["leadership"].as_table().unwrap();
    for (key, value) in leadership {
        scenario.rules = scenario
            .rules
            .with_set(&format!("rules.leadership.{key}"), value)
            .unwrap();
    }
    scenario
}

/// Each replicate's mean of a metric over `from..=to` (`YYYY-MM`).
fn period_means(
    scenario: &Scenario,
    results: &[ReplicateResult],
    metric: &str,
    from: &str,
    to: &str,
) -> Vec<f64> {
    let k = METRIC_NAMES.iter().position(|m| *m == metric).unwrap();
    results
        .iter()
        .map(|r| {
            let (mut sum, mut n) = (0.0, 0);
            for (step, row) in r.rows.iter().enumerate() {
                let month = scenario.calendar.date(step as u32).to_string()[..7].to_string();
                if month.as_str() >= from && month.as_str() <= to {
                    sum += row[k];
                    n += 1;
                }
            }
            sum / n as f64
        })
        .collect()
}

/// Whether two sets of replicates differ beyond their noise: the difference of the means is
/// more than twice its standard error (a 95% interval that excludes 0).
fn differ(a: &[f64], b: &[f64]) -> bool {
    let mean = |x: &[f64]| x.iter().sum::<f64>() / x.len() as f64;
    let var = |x: &[f64]| {
        let m = mean(x);
        x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() as f64 - 1.0)
    };
    let se = (var(a) / a.len() as f64 + var(b) / b.len() as f64).sqrt();
    let d = (mean(a) - mean(b)).abs();
    d > 2.0 * se && d > 1e-9
}

fn ensemble(scenario: &Scenario, replicates: u32) -> Vec<ReplicateResult> {
    run(scenario, scenario.seed, replicates, &|_| {})
}

#[test]
fn the_endogenous_history_takes_each_decision_in_its_window() {
    let scenario = load("historical.toml");
    let results = ensemble(&scenario, 16);
    let logs: Vec<&[DecisionRecord]> = results.iter().map(|r| r.decisions.as_slice()).collect();
    for window in WINDOWS.iter().filter(|w| w.reached) {
        let share = share_within(window, &logs, scenario.calendar);
        assert!(share >= 0.6, "{}: {share}", window.describe());
    }
}

#[test]
fn views_decide_whether_the_ban_mattered() {
    for (view, expect) in [("lessons", true), ("anarchist_faq", false)] {
        let historical = under(load("historical.toml"), view);
        let allowed = under(load("factions_allowed.toml"), view);
        let (h, a) = (ensemble(&historical, 16), ensemble(&allowed, 16));
        let differs = ["party_democracy", "oligarchy", "faction_pluralism"]
            .iter()
            .any(|m| {
                differ(
                    &period_means(&historical, &h, m, "1922-01", "1930-12"),
                    &period_means(&allowed, &a, m, "1922-01", "1930-12"),
                )
            });
        assert_eq!(differs, expect, "under the view {view}");
    }
}

#[test]
fn views_decide_whether_the_world_revolution_mattered() {
    for (view, expect) in [("ward", true), ("ratcliffe", false)] {
        let historical = under(load("historical.toml"), view);
        let abroad = under(load("world_revolution_1923.toml"), view);
        let (h, w) = (ensemble(&historical, 16), ensemble(&abroad, 16));
        let differs = ["participation", "party_democracy", "oligarchy"]
            .iter()
            .any(|m| {
                differ(
                    &period_means(&historical, &h, m, "1924-01", "1930-12"),
                    &period_means(&abroad, &w, m, "1924-01", "1930-12"),
                )
            });
        assert_eq!(differs, expect, "under the view {view}");
    }
}
