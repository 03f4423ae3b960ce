use super::*;
use crate::claims::evaluate::evaluate_runs;
use crate::testing::{TEST_SCENARIO, documented_keys};

const GOOD: &str = r#"# A map of a test claim.
name = "ban"
description = "Where the ban seals the rule of appointees."
contrast = 2
claims = "../claims/c.toml"
claim = "ban-underground"
replicates = 8
seed = 21

[[axis]]
path = "rules.leadership.precedent"
values = [0.0, 0.5, 1.0]
label = "precedent"

[[axis]]
path = "rules.leadership.doctrine"
from = 0.0
to = 1.0
steps = 2
"#;

/// A claims file with the claim the map names, against a baseline, and one against a
/// threshold.
const CLAIMS: &str = r#"
[[claim]]
id = "ban-underground"
source = "Lessons of Party and Class from the Russian Revolution"
argument = "A ban drives dissent underground."
contrast = 2

[claim.test]
scenario = "a.toml"
baseline = "b.toml"
metric = "underground"
window = ["1918-03", "1919-06"]
statistic = "mean"
expect = "higher"

[[claim]]
id = "unrest-high"
source = "Lessons of Party and Class from the Russian Revolution"
argument = "Unrest is high."

[claim.test]
scenario = "a.toml"
threshold = 0.1
metric = "unrest"
window = ["1918-03", "1919-06"]
statistic = "mean"
expect = "higher"
"#;

fn errors(text: &str) -> Diagnostics {
    parse(text, "m.toml").unwrap_err()
}

#[test]
fn a_good_map_reads_into_a_grid_the_first_axis_slowest() {
    let m = parse(GOOD, "m.toml").unwrap();
    assert_eq!(
        (
            m.name.as_str(),
            m.contrast,
            m.claim.as_str(),
            m.claims.as_str()
        ),
        ("ban", 1, "ban-underground", "../claims/c.toml")
    );
    assert_eq!((m.replicates, m.seed), (8, 21));
    assert_eq!(m.points.len(), 6);
    let shown: Vec<Vec<String>> = m
        .points
        .iter()
        .map(|p| p.iter().map(show).collect())
        .collect();
    assert_eq!(shown[0], ["0", "0"]);
    assert_eq!(shown[1], ["0", "1"]);
    assert_eq!(shown[5], ["1", "1"]);
    assert_eq!(m.axes[0].label, "precedent");
    assert_eq!(m.axes[1].label, "rules.leadership.doctrine");
    assert_eq!(
        m.header(),
        [
            "point",
            "rules.leadership.precedent",
            "rules.leadership.doctrine",
            "effect",
            "ci_low",
            "ci_high",
            "verdict"
        ]
    );
    // Defaults: 8 replicates and the sweeps' seed.
    let bare = GOOD.replace("replicates = 8\nseed = 21\n", "");
    let m = parse(&bare, "m.toml").unwrap();
    assert_eq!((m.replicates, m.seed), (DEFAULT_REPLICATES, DEFAULT_SEED));
}

#[test]
fn an_unknown_key_is_located_with_the_nearest_known_one() {
    let e = errors(&GOOD.replace("seed = 21", "sead = 21"));
    let d = &e.0[0];
    assert_eq!((d.file.as_str(), d.line, d.column), ("m.toml", 8, 1), "{e}");
    assert!(d.message.contains("(did you mean `seed`?)"), "{e}");
    let e = errors(&GOOD.replace("label = \"precedent\"", "lable = \"precedent\""));
    assert!(e.to_string().contains("did you mean `label`"), "{e}");
}

#[test]
fn a_map_needs_exactly_two_axes() {
    let one = GOOD[..GOOD
        .find("\n[[axis]]\npath = \"rules.leadership.doctrine\"")
        .unwrap()]
        .to_string();
    let e = errors(&one);
    assert!(
        e.to_string()
            .contains("a map has exactly two [[axis]] tables, the first drawn across and the second up; found 1"),
        "{e}"
    );
    assert_eq!(e.0[0].key.as_deref(), Some("axis"));
    let three = format!("{GOOD}\n[[axis]]\npath = \"rules.leadership.siege\"\nvalues = [0.5]\n");
    let e = errors(&three);
    let d = &e.0[0];
    assert!(d.message.contains("found 3"), "{e}");
    assert_eq!((d.line, d.column), (22, 8), "the third axis's path: {e}");
    let none = GOOD[..GOOD.find("\n[[axis]]").unwrap()].to_string();
    assert!(errors(&none).to_string().contains("found 0"));
}

#[test]
fn an_axis_must_vary_a_number_the_scenarios_take() {
    let e = errors(&GOOD.replace("rules.leadership.precedent", "rules.leadership.precedant"));
    let d = &e.0[0];
    assert_eq!(
        (d.line, d.column, d.key.as_deref()),
        (11, 8, Some("axis[0].path"))
    );
    assert!(
        d.message.contains("not a number the scenarios take")
            && d.message
                .contains("(did you mean `rules.leadership.precedent`?)"),
        "{e}"
    );
    for path in [
        "rules.soviets.elections",
        "events.kronstadt.delta",
        "environment.civil_war",
        "name",
    ] {
        let e = errors(&GOOD.replace("rules.leadership.precedent", path));
        assert!(
            e.to_string().contains("is not a number the scenarios take"),
            "{path}: {e}"
        );
    }
    let e = errors(&GOOD.replace("rules.leadership.doctrine", "rules.leadership.precedent"));
    assert!(e.to_string().contains("both axes vary"), "{e}");
}

#[test]
fn an_axis_takes_distinct_finite_numbers() {
    let e = errors(&GOOD.replace("[0.0, 0.5, 1.0]", "[0.0, \"half\", 1.0]"));
    let d = &e.0[0];
    assert_eq!((d.line, d.key.as_deref()), (12, Some("axis[0].values")));
    assert!(
        d.message.contains("expected finite numbers; found half"),
        "{e}"
    );
    let e = errors(&GOOD.replace("[0.0, 0.5, 1.0]", "[0.0, 0.5, 0.5]"));
    assert!(
        e.to_string().contains("the value 0.5 is given twice"),
        "{e}"
    );
    // At the second, in its column.
    assert_eq!((e.0[0].line, e.0[0].column), (12, 21), "{e}");
    let e = errors(&GOOD.replace("[0.0, 0.5, 1.0]", "[0.0, nan]"));
    assert!(e.to_string().contains("found NaN"), "{e}");
}

#[test]
fn the_header_keys_are_checked_all_at_once() {
    let text = GOOD
        .replace("name = \"ban\"", "name = \"Ban\"")
        .replace("contrast = 2", "contrast = 6")
        .replace("replicates = 8", "replicates = 0")
        .replace("claim = \"ban-underground\"", "claim = \"\"");
    let e = errors(&text);
    let keys: Vec<&str> = e.0.iter().filter_map(|d| d.key.as_deref()).collect();
    assert_eq!(keys, ["name", "contrast", "claim", "replicates"], "{e}");
    assert!(
        e.0[1].message.contains("1 Ideology or circumstances?"),
        "{e}"
    );
    let e = errors(&GOOD.replace("contrast = 2\n", ""));
    assert!(e.to_string().contains("missing key `contrast`"), "{e}");
}

#[test]
fn the_claim_is_found_by_id_with_a_suggestion_and_its_contrast_checked() {
    let claims = crate::claims::parse(CLAIMS, "claims/c.toml").unwrap();
    let m = parse(GOOD, "m.toml").unwrap();
    assert_eq!(m.find_claim(&claims).unwrap().id, "ban-underground");
    let typo = parse(
        &GOOD.replace("ban-underground", "ban-undreground"),
        "m.toml",
    )
    .unwrap();
    let e = typo.find_claim(&claims).unwrap_err();
    let d = &e.0[0];
    assert_eq!((d.line, d.column, d.key.as_deref()), (6, 9, Some("claim")));
    assert!(
        d.message.contains(
            "claims/c.toml has no claim `ban-undreground` (did you mean `ban-underground`?); its claims are ban-underground, unrest-high"
        ),
        "{e}"
    );
    let other = parse(&GOOD.replace("contrast = 2", "contrast = 4"), "m.toml").unwrap();
    let e = other.find_claim(&claims).unwrap_err();
    assert_eq!(e.0[0].key.as_deref(), Some("contrast"));
    assert!(e.0[0].message.contains("belongs to contrast 2"), "{e}");
    // A claim with no contrast of its own fits any map.
    let free = parse(&GOOD.replace("ban-underground", "unrest-high"), "m.toml").unwrap();
    assert!(free.find_claim(&claims).is_ok());
    // The plot's title names the claim; the line under it says what is compared.
    assert_eq!(
        title(&claims.claims[0]),
        "Where the claim holds: ban-underground"
    );
    assert_eq!(
        subtitle(&claims.claims[0], "a", Some("b"), 8),
        "a against b: mean of underground, 1918-03 to 1919-06; expected higher; 8 replicates a cell"
    );
    assert!(subtitle(&claims.claims[1], "a", None, 8).starts_with("a against the threshold 0.1: "));
}

/// The test scenario, named, with a shorter run.
fn scenario_text(name: &str) -> String {
    TEST_SCENARIO
        .replace("name = \"unit\"", &format!("name = \"{name}\""))
        .replace("agents = 1000", "agents = 200")
}

#[test]
fn every_point_sets_the_same_values_in_the_scenario_and_its_baseline() {
    let m = parse(GOOD, "m.toml").unwrap();
    let texts = [scenario_text("a"), scenario_text("b")];
    let docs: Vec<toml::Table> = texts.iter().map(|t| t.parse().unwrap()).collect();
    type Reparse = Box<dyn Fn(&str, &str) -> Result<Scenario, Diagnostics>>;
    let reparses: Vec<Reparse> = texts
        .iter()
        .map(|t| {
            let t = t.clone();
            Box::new(move |label: &str, toml: &str| {
                Scenario::parse_varied(
                    &t,
                    "x.toml",
                    &|_, _| Err(String::new()),
                    Some((label, toml)),
                )
            }) as Reparse
        })
        .collect();
    let sides: Vec<Side> = ["a", "b"]
        .iter()
        .zip(&docs)
        .zip(&reparses)
        .map(|((name, doc), reparse)| Side {
            name,
            doc,
            reparse: reparse.as_ref(),
        })
        .collect();
    let points = m.resolve(&sides).unwrap();
    assert_eq!(points.len(), 6);
    for p in &points {
        assert_eq!(p.values, m.points[p.index]);
        assert_eq!(p.variations.len(), 2);
        assert_eq!(p.variations[0], p.variations[1], "point {}", p.index);
        let expected = (number(&p.values[0]).unwrap(), number(&p.values[1]).unwrap());
        for (k, (label, toml)) in p.variations.iter().enumerate() {
            assert!(
                label.starts_with(&format!("<map ban point {}: ", p.index)),
                "{label}"
            );
            let s = (sides[k].reparse)(label, toml).unwrap();
            let l = &s.rules.leadership;
            assert_eq!(
                (l.precedent, l.doctrine),
                expected,
                "side {k}, point {}",
                p.index
            );
        }
    }
    // A value a scenario refuses is reported once, at the value, naming the sides, and not
    // once for every point and side that has it.
    let bad = parse(&GOOD.replace("[0.0, 0.5, 1.0]", "[0.0, 1.5]"), "m.toml").unwrap();
    let e = bad.resolve(&sides).unwrap_err();
    assert_eq!(e.0.len(), 1, "{e}");
    let d = &e.0[0];
    assert_eq!(
        (d.line, d.column, d.key.as_deref()),
        (12, 16, Some("axis[0].values")),
        "{e}"
    );
    assert_eq!(
        d.message,
        "`rules.leadership.precedent = 1.5` makes an invalid scenario of a and b: `rules.leadership.precedent`: expected a number from 0 to 1, found 1.5"
    );
}

#[test]
fn a_points_row_holds_the_values_effect_interval_and_verdict_and_reads_back() {
    let e = Evaluation {
        scenario_mean: 0.3,
        against_mean: 0.1,
        effect: 0.2,
        low: 0.15,
        high: 0.25,
        verdict: Verdict::Supported,
        replicates: (8, 8),
        pairing: crate::compare::Pairing::Paired,
    };
    let values = [toml::Value::Float(0.25), toml::Value::Integer(1)];
    let row = point_row(3, &values, &e);
    assert_eq!(
        row,
        [
            "3",
            "0.25",
            "1",
            "0.200000",
            "0.150000",
            "0.250000",
            "supported"
        ]
    );
    let text = format!(
        "point,a,b,effect,ci_low,ci_high,verdict\n{}\n",
        row.join(",")
    );
    assert_eq!(
        cells(&text).unwrap(),
        [Cell {
            x: 0.25,
            y: 1.0,
            verdict: Verdict::Supported,
            effect: 0.2
        }]
    );
    assert!(cells("point,a,b,effect,ci_low,ci_high,verdict\n0,x,1,0,0,0,supported\n").is_err());
    assert!(cells("point,a,b,effect,ci_low,ci_high,verdict\n0,0,1,0,0,0,maybe\n").is_err());
}

#[test]
fn a_point_is_judged_as_the_claims_command_judges_on_rounded_rows() {
    let claims = crate::claims::parse(CLAIMS, "c.toml").unwrap();
    let test = &claims.claims[0].test;
    let a = Scenario::parse(&scenario_text("a"), "a.toml").unwrap();
    let b = Scenario::parse(&scenario_text("b"), "b.toml").unwrap();
    let results = |s: &Scenario, seed: u64| -> Vec<ReplicateResult> {
        (0..8)
            .map(|r| crate::ensemble::run_replicate(s, seed, r))
            .collect()
    };
    let (ra, rb) = (results(&a, 3), results(&b, 4));
    let got = evaluate_point(test, 21, (&a, &ra), Some((&b, &rb)));
    let rounded = |rs: &[ReplicateResult]| -> Vec<Vec<Row>> {
        rs.iter()
            .map(|r| r.rows.iter().map(|row| row.map(as_written)).collect())
            .collect()
    };
    let (xa, xb) = (rounded(&ra), rounded(&rb));
    let side = |s| crate::compare::Side {
        scenario: s,
        seed: 21,
        replicates: 8,
    };
    let paired = crate::compare::pairing(side(&a), Some(side(&b)));
    let expected = evaluate_runs(
        test,
        (&a.calendar, &xa),
        Some((&b.calendar, &xb)),
        21,
        paired,
    );
    assert_eq!(got, expected);
    assert_eq!(got.replicates, (8, 8));
    // Both sides of a cell run with the map's seed and replicates from one population.
    assert_eq!(got.pairing, crate::compare::Pairing::Paired);
    // Against a threshold there is no baseline.
    let threshold = &claims.claims[1].test;
    let got = evaluate_point(threshold, 21, (&a, &ra), None);
    assert_eq!(got.against_mean, 0.1);
    assert_eq!(got.replicates, (8, 0));
}

fn view(name: &str, values: &[(&str, f64)]) -> View {
    let mut text =
        format!("name = \"{name}\"\nessay = \"e\"\ndescription = \"d\"\n[rules.leadership]\n");
    for (m, v) in values {
        text.push_str(&format!("{m} = {v}\n"));
    }
    View::parse(&text, "v.toml").unwrap()
}

#[test]
fn views_are_marked_at_their_strengths_and_the_default_at_the_models() {
    let m = parse(GOOD, "m.toml").unwrap();
    let views = [
        view(
            "lessons",
            &[("precedent", 1.0), ("doctrine", 0.2), ("siege", 0.5)],
        ),
        view("ward", &[("circumstances", 1.0), ("doctrine", 0.2)]),
        view("middling", &[("siege", 0.9)]),
    ];
    let marks = marks(&m.axes, &views);
    let at: Vec<(&str, f64, f64, bool)> = marks
        .iter()
        .map(|k| (k.label.as_str(), k.x, k.y, k.default))
        .collect();
    assert_eq!(
        at,
        [
            // A view that leaves both mechanisms to the scenario sits on the default.
            ("default, middling", 0.5, 0.5, true),
            ("lessons", 1.0, 0.2, false),
            // One that leaves precedent alone sits at its default on that axis.
            ("ward", 0.5, 0.2, false),
        ]
    );
    // Rule parameters that are not mechanisms: the default only; other numbers: nothing.
    let rules = parse(
        &GOOD
            .replace("rules.leadership.precedent", "rules.repression.detection")
            .replace("[0.0, 0.5, 1.0]", "[0.001, 0.01]"),
        "m.toml",
    )
    .unwrap();
    let only = super::marks(&rules.axes, &views);
    assert_eq!(only.len(), 1);
    assert_eq!((only[0].label.as_str(), only[0].y), ("default", 0.5));
    let population = parse(
        &GOOD
            .replace("rules.leadership.precedent", "population.mean_degree")
            .replace("[0.0, 0.5, 1.0]", "[4, 8]"),
        "m.toml",
    )
    .unwrap();
    assert!(super::marks(&population.axes, &views).is_empty());
}

#[test]
fn the_fingerprint_changes_with_the_map_the_claims_test_and_the_scenarios() {
    let claims = crate::claims::parse(CLAIMS, "c.toml").unwrap();
    let c = &claims.claims[0];
    let base = fingerprint(GOOD, c, &["aa", "bb"]);
    assert_eq!(base, fingerprint(GOOD, c, &["aa", "bb"]));
    assert_ne!(
        base,
        fingerprint(&GOOD.replace("21", "22"), c, &["aa", "bb"])
    );
    assert_ne!(base, fingerprint(GOOD, c, &["aa", "bc"]));
    let mut other = c.clone();
    other.test.expect = crate::claims::Expect::Lower;
    assert_ne!(base, fingerprint(GOOD, &other, &["aa", "bb"]));
}

#[test]
fn the_manifest_names_what_the_claims_page_reads() {
    let m = MapManifest {
        sovsim_version: "0.3.0".into(),
        name: "ban".into(),
        description: "d".into(),
        contrast: 2,
        claim: "ban-underground".into(),
        csv: "ban.csv".into(),
        svg: "ban.svg".into(),
        png: "ban.png".into(),
        complete: true,
        map_file: "m.toml".into(),
        claims_file: "c.toml".into(),
        scenario: "a".into(),
        baseline: Some("b".into()),
        sha256: "00".into(),
        axes: vec!["x".into(), "y".into()],
        axis_labels: vec!["x".into(), "y".into()],
        values: vec![vec!["0".into()], vec!["1".into()]],
        points: 1,
        replicates: 8,
        seed: 1,
        header: vec!["point".into()],
    };
    let json: serde_json::Value = serde_json::from_str(&m.to_json()).unwrap();
    for (key, value) in [
        ("name", serde_json::json!("ban")),
        ("description", serde_json::json!("d")),
        ("contrast", serde_json::json!(2)),
        ("claim", serde_json::json!("ban-underground")),
        ("svg", serde_json::json!("ban.svg")),
        ("png", serde_json::json!("ban.png")),
        ("complete", serde_json::json!(true)),
    ] {
        assert_eq!(json[key], value, "{key}");
    }
    let back: MapManifest = serde_json::from_str(&m.to_json()).unwrap();
    assert!(back.same_map(&m));
}

#[test]
fn the_docs_list_every_key_and_no_other() {
    let sorted = |k: &[&str]| {
        let mut v: Vec<String> = k.iter().map(|s| s.to_string()).collect();
        v.sort();
        v
    };
    const DOC: &str = include_str!("../../docs/claims.md");
    let maps = DOC.split("\n## Maps").nth(1).unwrap_or("");
    assert_eq!(documented_keys(maps, "### Map keys"), sorted(&TOP_KEYS));
    assert_eq!(
        documented_keys(maps, "### A map's `[[axis]]`"),
        sorted(&AXIS_KEYS)
    );
}
