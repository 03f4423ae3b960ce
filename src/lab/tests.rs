//! The lab's settings as files: what they write, where each problem is placed, and that the
//! lab's runs are the command line's.

use std::collections::BTreeMap;

use super::stream;
use super::*;
use crate::ensemble;

fn library() -> Library {
    let files: BTreeMap<String, String> = [
        (
            "scenarios/historical.toml",
            include_str!("../../scenarios/historical.toml"),
        ),
        (
            "scenarios/factions_allowed.toml",
            include_str!("../../scenarios/factions_allowed.toml"),
        ),
        (
            "scenarios/as_it_happened.toml",
            include_str!("../../scenarios/as_it_happened.toml"),
        ),
        (
            "scenarios/views/lessons.toml",
            include_str!("../../scenarios/views/lessons.toml"),
        ),
        (
            "scenarios/claims/factions.toml",
            include_str!("../../scenarios/claims/factions.toml"),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let (library, problems) = Library::new(
        files,
        &names(&[
            "scenarios/historical.toml",
            "scenarios/factions_allowed.toml",
            "scenarios/as_it_happened.toml",
        ]),
        &names(&["scenarios/views/lessons.toml"]),
        &names(&["scenarios/claims/factions.toml"]),
    );
    assert!(problems.is_empty(), "{problems:?}");
    library
}

/// A small experiment: few agents, few replicates, so that tests run it in moments.
fn small(scenario: &str) -> Settings {
    Settings {
        scenario: scenario.into(),
        replicates: Some(2),
        agents: Some(150),
        ..Settings::default()
    }
}

fn pinned(date: &str) -> DecisionSetting {
    DecisionSetting {
        mode: "pinned".into(),
        date: Some(date.into()),
        target: None,
    }
}

fn problems(settings: &Settings) -> Vec<Problem> {
    match experiment(&library(), settings, &Limits::default()) {
        Ok(e) => panic!("expected problems, got\n{}", e.toml),
        Err(p) => p,
    }
}

#[test]
fn the_library_reads_scenarios_views_and_claims_and_the_pins_of_each() {
    let lib = library();
    let names: Vec<&str> = lib
        .scenarios
        .iter()
        .map(|s| s.scenario.name.as_str())
        .collect();
    assert_eq!(names, ["as_it_happened", "factions_allowed", "historical"]);
    assert_eq!(lib.views[0].name, "lessons");
    assert!(lib.claim("ban-drives-dissent-underground").is_some());
    let pins = &lib.scenario("as_it_happened").unwrap().pinned_events;
    assert!(pins.contains(&(Some("cheka".into()), "raise_police".into())));
    assert!(lib.scenario("historical").unwrap().pinned_events.is_empty());
    assert_eq!(
        lib.resolve("scenarios/claims/factions.toml", "../historical.toml")
            .unwrap()
            .0,
        "scenarios/historical.toml"
    );
    assert!(lib.resolve("scenarios/x.toml", "../../etc/passwd").is_err());
    assert_eq!(
        joined("/srv/lab/scenarios/claims", "../x.toml"),
        "/srv/lab/scenarios/x.toml"
    );
}

#[test]
fn an_experiment_is_a_child_file_that_says_only_what_it_changes() {
    let mut s = small("factions_allowed");
    s.decisions.insert("ban_factions".into(), pinned("1921-03"));
    s.mechanisms.insert("precedent".into(), 0.9);
    s.soviets.elections = Some("single_list".into());
    s.police.targets = Some(vec!["whites".into(), "strikers".into()]);
    let e = experiment(&library(), &s, &Limits::default()).unwrap();
    assert_eq!(e.file, "scenarios/factions_allowed_lab.toml");
    for line in [
        "extends = \"factions_allowed.toml\"",
        "name = \"factions_allowed_lab\"",
        "replicates = 2",
        "agents = 150",
        "ban_factions = \"pinned\"",
        "precedent = 0.9",
        "elections = \"single_list\"",
        "targets = [\"whites\", \"strikers\"]",
        "date = \"1921-03\"",
        "decision = \"ban_factions\"",
        "#   sovsim run scenarios/factions_allowed_lab.toml",
    ] {
        assert!(e.toml.lines().any(|l| l == line), "{line} in\n{}", e.toml);
    }
    assert!(!e.toml.contains("seed ="), "the scenario's seed is kept");
    assert_eq!(e.scenario.replicates, 2);
    assert_eq!(
        e.scenario.decisions.get(Decision::BanFactions),
        DecisionMode::Pinned
    );
    assert_eq!(e.scenario.rules.leadership.precedent, 0.9);
}

#[test]
fn changing_a_decision_the_scenario_pins_removes_its_dates() {
    let mut s = small("as_it_happened");
    s.decisions.insert(
        "raise_police".into(),
        DecisionSetting {
            mode: "endogenous".into(),
            ..DecisionSetting::default()
        },
    );
    let e = experiment(&library(), &s, &Limits::default()).unwrap();
    assert!(
        e.toml.contains("id = \"cheka\"\nremove = true"),
        "{}",
        e.toml
    );
    let raise = |sc: &Scenario| {
        sc.events
            .iter()
            .filter(|ev| matches!(&ev.action, crate::model::Action::Decide(o) if o.decision == Decision::RaisePolice))
            .count()
    };
    assert_eq!(raise(&e.scenario), 0);
    assert!(raise(&library().scenario("as_it_happened").unwrap().scenario) > 0);
    // Pinned again, at a date of its own: the file's dates go, the lab's comes.
    s.decisions.insert("raise_police".into(), pinned("1919-01"));
    let e = experiment(&library(), &s, &Limits::default()).unwrap();
    assert_eq!(raise(&e.scenario), 1);
}

#[test]
fn each_problem_is_placed_at_the_control_that_caused_it() {
    let mut s = small("factions_allowed");
    s.decisions.insert("ban_factions".into(), pinned("1921-13"));
    let p = problems(&s);
    assert_eq!(
        p[0].control.as_deref(),
        Some("decision.ban_factions.date"),
        "{p:?}"
    );
    assert!(p[0].message.contains("13"), "{p:?}");

    let mut s = small("factions_allowed");
    s.decisions.insert("ban_factions".into(), pinned(""));
    assert_eq!(
        problems(&s)[0].control.as_deref(),
        Some("decision.ban_factions.date")
    );

    let mut s = small("factions_allowed");
    s.decisions.insert("purge".into(), pinned("1921-06"));
    assert_eq!(
        problems(&s)[0].control.as_deref(),
        Some("decision.purge.target")
    );

    let mut s = small("factions_allowed");
    s.decisions.insert("purge".into(), {
        let mut d = pinned("1921-06");
        d.target = Some("everyone".into());
        d
    });
    let p = problems(&s);
    assert_eq!(
        p[0].control.as_deref(),
        Some("decision.purge.target"),
        "{p:?}"
    );

    let mut s = small("factions_allowed");
    s.mechanisms.insert("oligarchy".into(), 1.5);
    let p = problems(&s);
    assert_eq!(
        p[0].control.as_deref(),
        Some("mechanism.oligarchy"),
        "{p:?}"
    );

    let mut s = small("factions_allowed");
    s.soviets.elections = Some("lottery".into());
    let p = problems(&s);
    assert_eq!(p[0].control.as_deref(), Some("soviets.elections"), "{p:?}");
    assert!(p[0].message.contains("single_list"), "{p:?}");

    let mut s = small("factions_allowed");
    s.police.principal = Some("tsar".into());
    assert_eq!(problems(&s)[0].control.as_deref(), Some("police.principal"));

    let mut s = small("factions_allowed");
    s.replicates = Some(33);
    let p = problems(&s);
    assert_eq!(p[0].control.as_deref(), Some("replicates"));
    assert!(p[0].message.contains("32"), "{p:?}");

    let mut s = small("factions_allowed");
    s.agents = Some(20_001);
    assert_eq!(problems(&s)[0].control.as_deref(), Some("agents"));

    let mut s = small("factions_allowed");
    s.name = Some("Bad Name".into());
    assert_eq!(problems(&s)[0].control.as_deref(), Some("name"));

    let s = small("nowhere");
    assert_eq!(problems(&s)[0].control.as_deref(), Some("scenario"));

    // Every problem at once: the lab's own and the validator's.
    let mut s = small("factions_allowed");
    s.replicates = Some(1000);
    s.decisions.insert("ban_factions".into(), pinned("1921-13"));
    s.decisions.insert("purge".into(), pinned("1921-06"));
    let controls: Vec<Option<String>> = problems(&s).into_iter().map(|p| p.control).collect();
    for c in [
        "replicates",
        "decision.ban_factions.date",
        "decision.purge.target",
    ] {
        assert!(
            controls.contains(&Some(c.to_string())),
            "{c} in {controls:?}"
        );
    }
}

#[test]
fn what_the_page_sends_cannot_break_out_of_its_value() {
    let mut s = small("factions_allowed");
    s.decisions.insert(
        "ban_factions".into(),
        pinned("1921-03\"\n[rules.leadership]\nprecedent = 0.0\n#"),
    );
    let p = problems(&s);
    assert!(
        p.iter()
            .all(|p| p.control.as_deref() == Some("decision.ban_factions.date")),
        "{p:?}"
    );
    let mut s = small("factions_allowed");
    s.mechanisms.insert("precedent = 0\n[x]\ny".into(), 0.5);
    assert_eq!(problems(&s)[0].control.as_deref(), Some("mechanisms"));
    let mut s = small("factions_allowed");
    s.decisions.insert("nope\n[x]".into(), pinned("1921-03"));
    assert_eq!(problems(&s)[0].control.as_deref(), Some("decisions"));
}

#[test]
fn the_lab_runs_what_the_command_line_runs() {
    let lib = library();
    let mut s = small("factions_allowed");
    s.decisions.insert("ban_factions".into(), pinned("1921-03"));
    let e = experiment(&lib, &s, &Limits::default()).unwrap();
    // The file as the command line reads it: saved beside its parent, parents from disk.
    let from_file = Scenario::parse_with(&e.toml, &e.file, &|child, parent| {
        lib.resolve(child, parent)
    })
    .unwrap();
    assert_eq!(from_file.sha256, e.scenario.sha256);
    let mut seen = Vec::new();
    let results = stream::run(&e.scenario, &|| false, |so_far| seen.push(so_far.len())).unwrap();
    assert_eq!(
        seen,
        [1, 2],
        "each replicate is reported as it finishes, in order"
    );
    let cli = ensemble::run(&from_file, from_file.seed, from_file.replicates, &|_| {});
    assert_eq!(results, cli);
    let files = stream::files(&e.scenario, &results);
    assert_eq!(files["runs_csv"], crate::output::runs_csv(&from_file, &cli));
    // A stopped run ends without results.
    assert!(stream::run(&e.scenario, &|| true, |_| {}).is_none());
}

#[test]
fn the_band_is_the_summary_files_and_the_comparison_pairs_the_same_world() {
    let lib = library();
    let base = experiment(&lib, &small("factions_allowed"), &Limits::default()).unwrap();
    let mut s = small("factions_allowed");
    s.name = Some("with_ban".into());
    s.decisions.insert("ban_factions".into(), pinned("1918-06"));
    let run = experiment(&lib, &s, &Limits::default()).unwrap();
    let a = stream::run(&base.scenario, &|| false, |_| {}).unwrap();
    let b = stream::run(&run.scenario, &|| false, |_| {}).unwrap();
    let metrics = stream::metric_indices(&run.scenario, &["party_democracy".into()]);
    let progress = stream::progress(&run.scenario, &b, &metrics);
    let summary = crate::output::summary_csv(&run.scenario, &b);
    let last_mean = summary
        .lines()
        .rfind(|l| l.contains(",party_democracy,"))
        .unwrap()
        .split(',')
        .nth(3)
        .unwrap()
        .parse::<f64>()
        .unwrap();
    let means = progress["bands"]["party_democracy"]["mean"]
        .as_array()
        .unwrap();
    assert_eq!(means.len(), run.scenario.steps() as usize);
    assert_eq!(means.last().unwrap().as_f64().unwrap(), last_mean);
    let timeline = progress["timeline"].as_array().unwrap();
    let ban = timeline
        .iter()
        .find(|t| t["decision"] == "ban_factions")
        .expect("the pinned ban is on the timeline");
    assert_eq!(ban["taken"], 2);
    let c = stream::comparison((&base.scenario, &a), (&run.scenario, &b), &metrics);
    assert_eq!(c["pairing"], "paired");
    let sentence = c["metrics"][0]["sentence"].as_str().unwrap();
    assert!(
        sentence.contains("the baseline (factions_allowed_lab)"),
        "{sentence}"
    );
    assert!(sentence.contains("this run (with_ban)"), "{sentence}");
    assert!(sentence.contains("95% interval"), "{sentence}");
}

#[test]
fn a_claim_is_judged_with_the_labs_strengths_over_both_sides() {
    let lib = library();
    let mut settings = ClaimSettings {
        claim: "ban-drives-dissent-underground".into(),
        replicates: Some(2),
        mechanisms: BTreeMap::new(),
    };
    settings.mechanisms.insert("precedent".into(), 0.1);
    let (entry, scenario, baseline) = claim_sides(&lib, &settings, &Limits::default()).unwrap();
    let baseline = baseline.unwrap();
    assert_eq!(scenario.name, "historical");
    assert_eq!(baseline.name, "factions_allowed");
    assert_eq!(scenario.replicates, 2);
    assert_eq!(scenario.rules.leadership.precedent, 0.1);
    assert_eq!(baseline.rules.leadership.precedent, 0.1);
    settings.mechanisms.insert("nonsense".into(), 0.1);
    assert!(claim_sides(&lib, &settings, &Limits::default()).is_err());
    // Too few replicates for a verdict: inconclusive, and the sentence says why.
    let small = |s: &Scenario| {
        let mut s = s.clone();
        s.population.agents = 150;
        s
    };
    let (a, b) = (small(&scenario), small(&baseline));
    let ra = stream::run(&a, &|| false, |_| {}).unwrap();
    let rb = stream::run(&b, &|| false, |_| {}).unwrap();
    let v = stream::verdict(&entry.claim, &entry.file, (&a, &ra), Some((&b, &rb)));
    assert_eq!(v["verdict"], "inconclusive");
    assert_eq!(v["pairing"], "paired");
    assert!(v["sentence"].as_str().unwrap().contains("too few"), "{v}");
    assert!(
        v["test"]
            .as_str()
            .unwrap()
            .contains("in historical and in factions_allowed"),
        "{v}"
    );
}

#[test]
fn the_catalogue_lists_what_the_page_needs() {
    let lib = library();
    let c = catalogue(&lib, &Limits::default());
    assert_eq!(c["scenarios"].as_array().unwrap().len(), 3);
    let historical = &c["scenarios"][2];
    assert_eq!(historical["name"], "historical");
    assert!(
        historical["explain"]
            .as_str()
            .unwrap()
            .contains("Scenario: historical")
    );
    assert_eq!(
        historical["defaults"]["decisions"]["ban_factions"]["mode"],
        "endogenous"
    );
    let pinned = &c["scenarios"][0]["defaults"]["decisions"]["raise_police"];
    assert_eq!(pinned["mode"], "pinned");
    assert!(!pinned["dates"].as_array().unwrap().is_empty());
    assert_eq!(c["mechanisms"].as_array().unwrap().len(), 5);
    assert_eq!(c["limits"]["replicates"], 32);
    assert_eq!(c["decisions"].as_array().unwrap().len(), Decision::COUNT);
}

mod any_settings {
    use super::*;
    use proptest::prelude::*;

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            "[a-z_]{1,12}",
            "[0-9]{4}-[0-9]{2}",
            any::<String>(),
            Just("\"\n[rules]\nx = 1\n#".to_string()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whatever the page sends, the lab answers with an experiment or with problems,
        /// never a panic; and an experiment it accepts is within its limits.
        #[test]
        fn any_settings_give_an_experiment_or_problems(
            scenario in prop_oneof![Just("factions_allowed".to_string()), Just("as_it_happened".to_string()), text()],
            name in proptest::option::of(text()),
            seed in proptest::option::of(any::<u64>()),
            replicates in proptest::option::of(0u32..40),
            agents in proptest::option::of(0u32..30_000),
            decision in prop_oneof![Just("ban_factions".to_string()), Just("purge".to_string()), Just("raise_police".to_string()), text()],
            mode in prop_oneof![Just("pinned".to_string()), Just("forbidden".to_string()), Just("endogenous".to_string()), text()],
            date in proptest::option::of(text()),
            target in proptest::option::of(text()),
            mechanism in prop_oneof![Just("precedent".to_string()), text()],
            strength in any::<f64>(),
            elections in proptest::option::of(text()),
            capacity in proptest::option::of(any::<f64>()),
        ) {
            let mut s = Settings { scenario, name, seed, replicates, agents, ..Settings::default() };
            s.decisions.insert(decision, DecisionSetting { mode, date, target });
            if strength.is_finite() {
                s.mechanisms.insert(mechanism, strength);
            }
            s.soviets.elections = elections;
            s.police.capacity = capacity.filter(|c| c.is_finite());
            let limits = Limits::default();
            match experiment(&library(), &s, &limits) {
                Ok(e) => {
                    prop_assert!(e.scenario.replicates <= limits.replicates);
                    prop_assert!(e.scenario.agents() <= limits.agents);
                }
                Err(problems) => prop_assert!(!problems.is_empty()),
            }
        }
    }
}
