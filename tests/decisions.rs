//! The leadership's decisions in whole runs: the endogenous history takes each decision in
//! its historical window in most replicates, and the essays' views decide whether the
//! counterfactuals they argue over make a difference (docs/model.md, "Mechanisms and the
//! essays' views").

use std::path::Path;

use sovsim::calibration::{WINDOWS, difference, period_means, share_within};
use sovsim::ensemble::{ReplicateResult, run};
use sovsim::model::DecisionRecord;
use sovsim::scenario::{Scenario, View};

/// A shipped scenario, under a shipped view if one is named, read as `sovsim run --view`
/// reads it.
fn load(name: &str, view: Option<&str>) -> Scenario {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let view = view.map(|v| {
        let file = dir.join(format!("views/{v}.toml"));
        View::parse(&std::fs::read_to_string(&file).unwrap(), v).unwrap()
    });
    let text = std::fs::read_to_string(dir.join(name)).unwrap();
    let resolve = move |_: &str, parent: &str| {
        let file = dir.join(parent);
        let text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
        Ok((file.display().to_string(), text))
    };
    Scenario::parse_viewed(&text, name, &resolve, view.as_ref(), None).unwrap()
}

/// Whether two scenarios' replicates differ beyond their noise on `metric` over a period:
/// the 95% interval of the difference of their means excludes 0.
fn differ(
    (a, ra): (&Scenario, &[ReplicateResult]),
    (b, rb): (&Scenario, &[ReplicateResult]),
    metric: &str,
    from: &str,
    to: &str,
) -> bool {
    let means = |s: &Scenario, r: &[ReplicateResult]| {
        let rows: Vec<&[sovsim::metrics::Row]> = r.iter().map(|x| x.rows.as_slice()).collect();
        period_means(s.calendar, &rows, metric, from, to).unwrap()
    };
    let (d, half) = difference(&means(a, ra), &means(b, rb));
    d.abs() > half && d.abs() > 1e-9
}

fn ensemble(scenario: &Scenario, replicates: u32) -> Vec<ReplicateResult> {
    run(scenario, scenario.seed, replicates, &|_| {})
}

#[test]
fn the_endogenous_history_takes_each_decision_in_its_window() {
    let scenario = load("historical.toml", None);
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
        let historical = load("historical.toml", Some(view));
        let allowed = load("factions_allowed.toml", Some(view));
        let (h, a) = (ensemble(&historical, 16), ensemble(&allowed, 16));
        let differs = ["party_democracy", "oligarchy", "faction_pluralism"]
            .iter()
            .any(|m| differ((&historical, &h), (&allowed, &a), m, "1922-01", "1930-12"));
        assert_eq!(differs, expect, "under the view {view}");
    }
}

#[test]
fn views_decide_whether_the_world_revolution_mattered() {
    for (view, expect) in [("ward", true), ("ratcliffe", false)] {
        let historical = load("historical.toml", Some(view));
        let abroad = load("world_revolution_1923.toml", Some(view));
        let (h, w) = (ensemble(&historical, 16), ensemble(&abroad, 16));
        let differs = ["participation", "party_democracy", "oligarchy"]
            .iter()
            .any(|m| differ((&historical, &h), (&abroad, &w), m, "1924-01", "1930-12"));
        assert_eq!(differs, expect, "under the view {view}");
    }
}
