//! The leadership's decisions in whole runs: the endogenous history takes each decision in
//! its historical window in most replicates, and the essays' views decide whether the
//! counterfactuals they argue over make a difference, and under every view the regime
//! survives the civil war (docs/model.md, "Mechanisms and the essays' views").

use std::path::Path;

use sovsim::calibration::{difference, period_means, share_within, windows};
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

fn ensemble(scenario: &Scenario, replicates: u32) -> Vec<ReplicateResult> {
    run(scenario, scenario.seed, replicates, &|_| {})
}

#[test]
fn the_endogenous_history_takes_each_decision_in_its_window() {
    let scenario = load("historical.toml", None);
    let results = ensemble(&scenario, 16);
    let logs: Vec<&[DecisionRecord]> = results.iter().map(|r| r.decisions.as_slice()).collect();
    // The windows are the record's dates: those the defaults reach hold in most replicates,
    // and the others do not (so that the list of the reached cannot go stale).
    for window in windows() {
        let share = share_within(&window, &logs, scenario.calendar);
        if window.reached {
            assert!(share >= 0.6, "{}: {share}", window.describe());
        } else {
            assert!(share < 0.6, "{} is reached now: {share}", window.describe());
        }
    }
}

/// The size of a counterfactual's effect under a view: the largest, over `metrics`, of the
/// difference of the two runs' means over a period, in units of its 95% half-width (0 when
/// the interval includes 0).
fn effect(
    view: &str,
    factual: &str,
    counterfactual: &str,
    metrics: &[&str],
    from: &str,
    to: &str,
) -> f64 {
    let a = load(factual, Some(view));
    let b = load(counterfactual, Some(view));
    let (ra, rb) = (ensemble(&a, 16), ensemble(&b, 16));
    metrics
        .iter()
        .map(|m| {
            let means = |s: &Scenario, r: &[ReplicateResult]| {
                let rows: Vec<&[sovsim::metrics::Row]> =
                    r.iter().map(|x| x.rows.as_slice()).collect();
                period_means(s.calendar, &rows, m, from, to).unwrap()
            };
            let (d, half) = difference(&means(&a, &ra), &means(&b, &rb));
            if d.abs() > half && d.abs() > 1e-9 {
                d.abs() / half.max(1e-9)
            } else {
                0.0
            }
        })
        .fold(0.0, f64::max)
}

/// A counterfactual's effect must be positive under the view whose essay holds it decisive,
/// and larger there than under the view whose essay denies it.
fn holds_more_under(
    (decisive, denying): (&str, &str),
    counterfactual: &str,
    metrics: &[&str],
    from: &str,
) {
    let effect_under = |view| {
        effect(
            view,
            "historical.toml",
            counterfactual,
            metrics,
            from,
            "1930-12",
        )
    };
    let (yes, no) = (effect_under(decisive), effect_under(denying));
    assert!(yes > 0.0, "{counterfactual} matters under {decisive}");
    assert!(yes > no, "{decisive} {yes} against {denying} {no}");
}

#[test]
fn the_ban_matters_under_both_readings_of_it() {
    // "Lessons" holds the ban decisive; the anarchist FAQ holds that it changed little. Until
    // version 0.7.0 the effect was larger under "Lessons", but only because the anarchist
    // FAQ's view lost the civil war in a third of its replicates, where a restored regime
    // leaves no party life to change. With every view surviving, allowing factions changes
    // the party's life about as much under both (docs/model.md, "Calibration of the
    // decisions"): the views no longer decide this contrast, and what each view's own
    // calibrated parameters say of it is for the calibration to tell.
    let metrics = ["party_democracy", "oligarchy", "faction_pluralism"];
    for view in ["lessons", "anarchist_faq"] {
        let size = effect(
            view,
            "historical.toml",
            "factions_allowed.toml",
            &metrics,
            "1922-01",
            "1930-12",
        );
        assert!(size > 0.0, "allowing factions changes nothing under {view}");
    }
}

#[test]
fn views_decide_how_much_the_world_revolution_mattered() {
    // Ward holds isolation decisive; Ratcliffe that the party's nature decided.
    let metrics = ["participation", "party_democracy", "oligarchy"];
    holds_more_under(
        ("ward", "ratcliffe"),
        "world_revolution_1923.toml",
        &metrics,
        "1924-01",
    );
}

#[test]
fn the_regime_survives_the_civil_war_under_every_view() {
    // The essays dispute why the regime became what it did, not that it won the civil war:
    // under each shipped view at most one replicate in ten is restored before 1922.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/views");
    let mut views: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let path = e.unwrap().path();
            let toml = path.extension().is_some_and(|x| x == "toml");
            toml.then(|| path.file_stem().unwrap().to_string_lossy().into_owned())
        })
        .collect();
    views.sort();
    assert!(views.len() >= 5, "the shipped views: {views:?}");
    for view in &views {
        let scenario = load("historical.toml", Some(view.as_str()));
        let results = ensemble(&scenario, 16);
        let rows: Vec<&[sovsim::metrics::Row]> =
            results.iter().map(|x| x.rows.as_slice()).collect();
        let means =
            period_means(scenario.calendar, &rows, "restored", "1917-11", "1921-12").unwrap();
        let restored = means.iter().filter(|&&m| m > 0.0).count();
        assert!(
            restored * 10 <= 16,
            "{view}: {restored} of 16 restored before 1922"
        );
    }
}
