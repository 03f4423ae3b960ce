//! The reference models against their published results (`docs/validation.md`): exact
//! results exactly, statistical ones over the shipped scenarios' ten seeds with the test each
//! states. The shipped scenario files are read as they are, so a change to one that breaks
//! its published result fails here.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use sovsim::metrics::Row;
use sovsim::reference::ReferenceModel;
use sovsim::scenario::Scenario;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/reference")
}

fn load(name: &str) -> Scenario {
    let path = dir().join(format!("{name}.toml"));
    let text = fs::read_to_string(&path).unwrap();
    Scenario::parse(&text, &path.display().to_string()).unwrap_or_else(|e| panic!("{e}"))
}

/// Every replicate's series of the first metric.
fn first_metric(s: &Scenario) -> Vec<Vec<f64>> {
    sovsim::ensemble::run(s, s.seed, s.replicates, &|_| {})
        .into_iter()
        .map(|r| r.rows.iter().map(|row: &Row| row[0]).collect())
        .collect()
}

fn peak_after(series: &[f64], step: usize) -> f64 {
    series[step..].iter().copied().fold(f64::MIN, f64::max)
}

#[test]
fn epsteins_arrest_probability_at_one_cop_and_one_active_is_exact() {
    let s = load("epstein_2002");
    let p = sovsim::rules::activation::arrest_probability(&s.rules.activation, 1.0, 1);
    assert!((p - (1.0 - (-2.3f64).exp())).abs() < 1e-15, "{p}");
    assert_eq!(format!("{p:.4}"), "0.8997");
}

#[test]
fn no_citizen_is_ever_active_when_legitimacy_is_at_least_one_minus_the_threshold() {
    let mut s = load("epstein_2002");
    let Some(ReferenceModel::Epstein(c)) = &mut s.reference else {
        panic!("not the Epstein model")
    };
    // T = 0.1, so G = H (1 - L) <= 0.1 whatever the hardship: nobody can clear the threshold.
    for l in [0.9, 0.95, 1.0] {
        c.legitimacy = sovsim::model::Series::new(vec![(0.0, l)]);
        let config = c.clone();
        for seed in 0..40u64 {
            let mut rng = sovsim::rng::replicate_stream(seed, 0);
            let rows = sovsim::reference::epstein::run(&config, &s.rules, 150, &mut rng);
            assert!(rows.iter().all(|r| r[0] == 0.0), "L = {l}, seed {seed}");
        }
    }
}

#[test]
fn epstein_2002_is_a_punctuated_equilibrium() {
    // Stated test, for each of the ten seeds, after the opening transient (the first 50
    // steps, when everyone aggrieved comes out before the cops have jailed anyone): at least
    // five outbursts (the count of actives rising through 50), quiet (fewer than 50 active)
    // at least 70% of the time, a quiet spell of at least 20 steps, and a peak of at least
    // twice the outburst level.
    let s = load("epstein_2002");
    for (seed, all) in first_metric(&s).iter().enumerate() {
        let actives = &all[50..];
        let level = 50.0;
        let outbursts = actives
            .windows(2)
            .filter(|w| w[0] < level && w[1] >= level)
            .count();
        let quiet = actives.iter().filter(|&&a| a < level).count() as f64 / actives.len() as f64;
        let (mut longest, mut run) = (0, 0);
        for &a in actives {
            run = if a < level { run + 1 } else { 0 };
            longest = longest.max(run);
        }
        let peak = peak_after(actives, 0);
        assert!(outbursts >= 5, "seed {seed}: {outbursts} outbursts");
        assert!(quiet >= 0.7, "seed {seed}: quiet {quiet}");
        assert!(longest >= 20, "seed {seed}: longest quiet spell {longest}");
        assert!(peak >= 2.0 * level, "seed {seed}: peak {peak}");
    }
}

/// The peak of actives after step 100 in every seed of two scenarios: the first must be
/// higher in every paired seed.
fn sudden_beats_gradual(sudden: &str, gradual: &str) {
    let a = first_metric(&load(sudden));
    let b = first_metric(&load(gradual));
    assert_eq!(a.len(), 10);
    for (seed, (x, y)) in a.iter().zip(&b).enumerate() {
        let (px, py) = (peak_after(x, 100), peak_after(y, 100));
        assert!(
            px > py,
            "seed {seed}: {sudden} peaks at {px}, {gradual} at {py}"
        );
    }
}

#[test]
fn a_legitimacy_cut_in_one_jump_brings_a_larger_outburst_than_the_same_cut_spread_out() {
    sudden_beats_gradual("epstein_legitimacy_jump", "epstein_legitimacy_gradual");
}

#[test]
fn a_sudden_cut_in_cops_brings_a_larger_outburst_than_the_same_cut_spread_out() {
    sudden_beats_gradual("epstein_cops_cut", "epstein_cops_gradual");
}

#[test]
fn deffuant_clusters_number_about_one_over_twice_the_confidence() {
    for (name, d) in [
        ("deffuant_2000_d05", 0.05),
        ("deffuant_2000_d10", 0.10),
        ("deffuant_2000_d15", 0.15),
        ("deffuant_2000_d20", 0.20),
        ("deffuant_2000_d25", 0.25),
        ("deffuant_2000_d30", 0.30),
        ("deffuant_2000_d50", 0.50),
    ] {
        let s = load(name);
        assert_eq!(s.rules.opinion.confidence, d);
        let finals: Vec<f64> = first_metric(&s).iter().map(|v| v[v.len() - 1]).collect();
        let expected = (1.0 / (2.0 * d) + 1e-9).floor();
        if d <= 0.25 {
            if d < 0.1 {
                // At d = 0.05 the rule of thumb overestimates (docs/validation.md): the outer
                // clusters hold under 2% or merge. Stated test: every seed within two, the
                // mean within one and a half.
                let mean = finals.iter().sum::<f64>() / finals.len() as f64;
                assert!((mean - expected).abs() <= 1.5, "{name}: mean {mean}");
                assert!(
                    finals.iter().all(|c| (c - expected).abs() <= 2.0),
                    "{name}: {finals:?}"
                );
            } else {
                assert!(
                    finals.iter().all(|c| (c - expected).abs() <= 1.0),
                    "{name}: {finals:?} against {expected}"
                );
            }
        }
        if d >= 0.3 {
            assert!(finals.iter().all(|&c| c == 1.0), "{name}: {finals:?}");
        }
    }
}

#[test]
fn above_a_confidence_of_a_third_one_major_cluster_and_at_a_half_full_consensus() {
    let mut s = load("deffuant_2000_d30");
    s.rules.opinion.confidence = 0.4;
    assert!(first_metric(&s).iter().all(|v| v[v.len() - 1] == 1.0));
    // Full consensus: one cluster holding every agent (a cluster counts only at 100%).
    let mut s = load("deffuant_2000_d50");
    let Some(ReferenceModel::Deffuant(c)) = &mut s.reference else {
        panic!("not the Deffuant model")
    };
    c.cluster_share = 1.0;
    assert!(first_metric(&s).iter().all(|v| v[v.len() - 1] == 1.0));
}

fn sovsim() -> Command {
    Command::cargo_bin("sovsim").unwrap()
}

#[test]
fn granovetters_hundred_against_one_through_the_ordinary_run_command() {
    let out = tempfile::tempdir().unwrap();
    sovsim()
        .arg("run")
        .arg(dir().join("granovetter_1978.toml"))
        .arg(dir().join("granovetter_1978_variant.toml"))
        .args(["--quiet", "--no-plots", "--out"])
        .arg(out.path())
        .assert()
        .success();
    for (name, rioters) in [
        ("granovetter_1978", "100.000000"),
        ("granovetter_1978_variant", "1.000000"),
    ] {
        let runs = fs::read_to_string(out.path().join(name).join("runs.csv")).unwrap();
        assert!(runs.starts_with("replicate,step,date,rioters\n"), "{runs}");
        let last = runs.lines().last().unwrap();
        assert!(last.ends_with(&format!(",{rioters}")), "{name}: {last}");
    }
}

#[test]
fn every_reference_scenario_validates_and_is_listed() {
    sovsim().args(["validate"]).arg(dir()).assert().success();
    let listed = sovsim()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("list")
        .assert()
        .success();
    let listed = String::from_utf8_lossy(&listed.get_output().stdout).into_owned();
    let mut names = 0;
    for entry in fs::read_dir(dir()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        assert!(
            listed.lines().any(|l| l.starts_with(&format!("{name}\t"))),
            "{name}"
        );
        names += 1;
    }
    assert_eq!(names, 16);
}

#[test]
fn a_reference_scenario_must_switch_off_the_rules_it_does_not_use() {
    let path = dir().join("granovetter_1978.toml");
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("[rules.opinion]\nenabled = false\n", "")
        .replace("thresholds = [", "vision = 3\nthresholds = [");
    let e = Scenario::parse(&text, "g.toml").unwrap_err().to_string();
    assert!(
        e.contains("set `enabled = false` in [rules.opinion]"),
        "{e}"
    );
    assert!(
        e.contains("`vision` does not apply to the granovetter model"),
        "{e}"
    );
}
