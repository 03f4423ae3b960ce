use super::evaluate::{Verdict, evaluate, statistics, window_steps};
use super::sensitivity::{Direction, STEP, UNCERTAIN, Variant};
use super::*;
use crate::compare::Pairing;
use crate::metrics::{METRIC_COUNT, Row};
use crate::model::Calendar;
use crate::model::StepKind;

const GOOD: &str = r#"
[[claim]]
id = "ban-underground"
source = "Lessons of Party and Class from the Russian Revolution"
argument = "A ban drives dissent underground."
contradicted_by = ["Were any of the Bolshevik oppositions a real alternative?"]
contrast = 2

[claim.test]
scenario = "historical.toml"
baseline = "factions_allowed.toml"
metric = "underground"
window = ["1921-03", "1927-12"]
statistic = "mean"
expect = "higher"

[[claim]]
id = "restoration"
source = "Lessons of Party and Class from the Russian Revolution"
argument = "A free press in a civil war lets the Whites win."
leadership_case = true

[claim.test]
scenario = "free_press_for_all.toml"
threshold = 0.1
metric = "restored"
at = "1920-11"
statistic = "probability"
level = 0.5
expect = "higher"
"#;

fn errors(text: &str) -> String {
    parse(text, "c.toml").unwrap_err().to_string()
}

#[test]
fn a_good_file_reads_into_claims() {
    let f = parse(GOOD, "c.toml").unwrap();
    assert_eq!(f.claims.len(), 2);
    let a = &f.claims[0];
    assert_eq!(a.id, "ban-underground");
    assert_eq!(
        (a.source, a.contradicted_by.clone(), a.contrast),
        (0, vec![3], Some(1))
    );
    assert_eq!(
        a.test.against,
        Against::Baseline("factions_allowed.toml".into())
    );
    assert_eq!(
        a.test.measure.metric,
        METRIC_NAMES
            .iter()
            .position(|m| *m == "underground")
            .unwrap()
    );
    assert_eq!(a.test.measure.window.first.to_string(), "1921-03-01");
    assert_eq!(a.test.measure.window.last.to_string(), "1927-12-31");
    let b = &f.claims[1];
    assert!(b.leadership_case);
    assert!(b.test.measure.window.single);
    assert_eq!(b.test.against, Against::Threshold(0.1));
    assert_eq!(
        (
            b.test.measure.statistic,
            b.test.measure.level,
            b.test.measure.cross
        ),
        (Statistic::Probability, 0.5, Cross::Above)
    );
}

#[test]
fn an_unknown_metric_is_an_error_at_its_line_and_column() {
    let text = GOOD.replace("metric = \"underground\"", "metric = \"undergruond\"");
    let e = parse(&text, "c.toml").unwrap_err();
    assert_eq!(e.0.len(), 1, "{e}");
    let d = &e.0[0];
    assert_eq!((d.line, d.column), (12, 10), "{e}");
    assert_eq!(d.key.as_deref(), Some("claim[0].test.metric"));
    assert!(d.message.contains("did you mean `underground`"), "{e}");
}

#[test]
fn every_unknown_key_is_reported_with_a_suggestion() {
    let text = GOOD
        .replace("argument =", "argumnet =")
        .replace("statistic = \"mean\"", "statistic = \"mean\"\nwindwo = 1");
    let e = errors(&text);
    assert!(
        e.contains("unknown key `argumnet` (did you mean `argument`?)"),
        "{e}"
    );
    assert!(
        e.contains("unknown key `windwo` (did you mean `window`?)"),
        "{e}"
    );
}

#[test]
fn the_test_must_be_complete_and_consistent() {
    let e = errors(&GOOD.replace(
        "statistic = \"probability\"\nlevel = 0.5",
        "statistic = \"probability\"",
    ));
    assert!(e.contains("needs a `level`"), "{e}");
    let e = errors(&GOOD.replace(
        "at = \"1920-11\"",
        "at = \"1920-11\"\nwindow = [\"1920-01\", \"1920-12\"]",
    ));
    assert!(e.contains("not both"), "{e}");
    let e = errors(&GOOD.replace("threshold = 0.1\n", ""));
    assert!(e.contains("missing key `baseline`"), "{e}");
    let e = errors(&GOOD.replace(
        "window = [\"1921-03\", \"1927-12\"]",
        "window = [\"1927-03\", \"1921-12\"]",
    ));
    assert!(e.contains("ends before it starts"), "{e}");
    let e = errors(&GOOD.replace(
        "window = [\"1921-03\", \"1927-12\"]",
        "window = [\"1921-13\", \"1927-12\"]",
    ));
    assert!(e.contains("month 13"), "{e}");
    let e = errors(&GOOD.replace("statistic = \"mean\"", "statistic = \"mean\"\nlevel = 0.2"));
    assert!(e.contains("takes no `level`"), "{e}");
    let e = errors(&GOOD.replace("statistic = \"mean\"", "statistic = \"median\""));
    assert!(e.contains("unknown name `median`"), "{e}");
    // A baseline that is the scenario itself, however the path is written.
    for same in [
        "historical.toml",
        "./historical.toml",
        "x/../historical.toml",
    ] {
        let d = parse(
            &GOOD.replace(
                "baseline = \"factions_allowed.toml\"",
                &format!("baseline = {same:?}"),
            ),
            "c.toml",
        )
        .unwrap_err();
        assert_eq!(d.0.len(), 1, "{d}");
        assert_eq!(
            (d.0[0].line, d.0[0].key.as_deref()),
            (11, Some("claim[0].test.baseline")),
            "{d}"
        );
        assert!(
            d.0[0]
                .message
                .starts_with("the baseline is the test's own scenario")
        );
    }
}

#[test]
fn sources_and_contrasts_must_be_the_essays() {
    let e = errors(&GOOD.replace(
        "source = \"Lessons of Party and Class from the Russian Revolution\"\nargument = \"A ban",
        "source = \"Lessons of Party and Class from the Russian Revolutoin\"\nargument = \"A ban",
    ));
    assert!(
        e.contains("did you mean `Lessons of Party and Class from the Russian Revolution`"),
        "{e}"
    );
    let e = errors(&GOOD.replace("contrast = 2", "contrast = 6"));
    assert!(e.contains("1 to 5"), "{e}");
    let e = errors(&GOOD.replace(
        "contradicted_by = [\"Were any of the Bolshevik oppositions a real alternative?\"]",
        "contradicted_by = [\"Lessons of Party and Class from the Russian Revolution\"]",
    ));
    assert!(e.contains("cannot contradict a claim it makes"), "{e}");
}

#[test]
fn ids_are_unique_and_safe() {
    let e = errors(&GOOD.replace("id = \"restoration\"", "id = \"ban-underground\""));
    assert!(
        e.contains("a second claim has the id `ban-underground`"),
        "{e}"
    );
    let e = errors(&GOOD.replace("id = \"restoration\"", "id = \"../x\""));
    assert!(e.contains("lowercase letters"), "{e}");
    let e = errors("nothing = 1\n");
    assert!(e.contains("unknown key `nothing`"), "{e}");
}

fn weekly() -> Calendar {
    let (start, _) = crate::date::Date::parse("1920-01-05").unwrap();
    let (end, _) = crate::date::Date::parse("1920-12-31").unwrap();
    Calendar::new(start, end, StepKind::Week)
}

fn window(a: &str, b: &str) -> Window {
    Window {
        first: crate::date::Date::parse(a).unwrap().0,
        last: crate::date::Date::parse(b).unwrap().0,
        single: false,
    }
}

#[test]
fn windows_map_to_the_steps_they_cover_and_must_fit_the_scenario() {
    let cal = weekly();
    // 1920-01-05 is step 0; February holds the steps of 02-02, 02-09, 02-16, 02-23.
    assert_eq!(
        window_steps(&cal, window("1920-02-01", "1920-02-29")),
        Ok(4..=7)
    );
    assert!(window_steps(&cal, window("1919-12-01", "1920-02-29")).is_err());
    assert!(window_steps(&cal, window("1920-02-01", "1921-02-28")).is_err());
    assert_eq!(
        window_steps(&cal, window("1920-12-01", "1920-12-31")),
        Ok(48..=51)
    );
    let one = Window {
        single: true,
        ..window("1920-02-03", "1920-02-03")
    };
    assert_eq!(window_steps(&cal, one), Ok(5..=5));
    assert!(window_steps(&cal, window("1920-02-03", "1920-02-04")).is_err());
}

fn test_of(statistic: Statistic, level: f64, cross: Cross) -> Test {
    Test {
        scenario: "s".into(),
        against: Against::Threshold(0.0),
        measure: Measure {
            metric: 0,
            window: window("1920-01-05", "1920-12-31"),
            statistic,
            level,
            cross,
        },
        expect: Expect::Higher,
        min_effect: 0.0,
        min_effect_set: false,
    }
}

fn rows(values: &[f64]) -> Vec<Row> {
    values
        .iter()
        .map(|&v| {
            let mut r = [0.0; METRIC_COUNT];
            r[0] = v;
            r
        })
        .collect()
}

#[test]
fn each_statistic_reduces_the_window_as_documented() {
    let cal = weekly();
    let r = rows(&[0.9, 0.5, 0.2, 0.6, 0.1, 0.4]);
    let steps = 1..=4;
    let at = |s: Statistic, level: f64, cross: Cross| {
        test_of(s, level, cross).measure.value(&cal, &steps, &r)
    };
    assert!((at(Statistic::Mean, 0.0, Cross::Above) - 0.35).abs() < 1e-12);
    assert_eq!(at(Statistic::Final, 0.0, Cross::Above), 0.1);
    assert_eq!(at(Statistic::Peak, 0.0, Cross::Above), 0.6);
    assert_eq!(at(Statistic::Trough, 0.0, Cross::Above), 0.1);
    // Below 0.3 first at step 2: one week after the window's first step.
    assert!((at(Statistic::TimeToCross, 0.3, Cross::Below) - 7.0 / 365.25).abs() < 1e-12);
    // Never above 0.95 in the window: censored at its length, four weeks.
    assert!((at(Statistic::TimeToCross, 0.95, Cross::Above) - 28.0 / 365.25).abs() < 1e-12);
    assert_eq!(at(Statistic::Probability, 0.6, Cross::Above), 1.0);
    assert_eq!(at(Statistic::Probability, 0.65, Cross::Above), 0.0);
    // Step 0 (0.9) is outside the window.
    assert_eq!(at(Statistic::Probability, 0.9, Cross::Above), 0.0);
}

fn against(baseline: bool, expect: Expect) -> Test {
    Test {
        against: if baseline {
            Against::Baseline("b".into())
        } else {
            Against::Threshold(0.5)
        },
        expect,
        ..test_of(Statistic::Mean, 0.0, Cross::Above)
    }
}

#[test]
fn verdicts_follow_the_interval() {
    let low: Vec<f64> = (0..16).map(|i| 0.2 + 0.01 * (i % 4) as f64).collect();
    let high: Vec<f64> = low.iter().map(|x| x + 0.3).collect();
    let e = evaluate(
        &against(true, Expect::Higher),
        &high,
        Some(&low),
        7,
        Pairing::DifferentSeeds,
    );
    assert_eq!(e.verdict, Verdict::Supported);
    assert!(
        (e.effect - 0.3).abs() < 1e-12 && e.low > 0.0 && e.high > e.low,
        "{e:?}"
    );
    assert_eq!(
        evaluate(
            &against(true, Expect::Lower),
            &high,
            Some(&low),
            7,
            Pairing::DifferentSeeds
        )
        .verdict,
        Verdict::Contradicted
    );
    assert_eq!(
        evaluate(
            &against(true, Expect::Lower),
            &low,
            Some(&high),
            7,
            Pairing::DifferentSeeds
        )
        .verdict,
        Verdict::Supported
    );
    // A scenario against itself: no effect, an interval around zero; with no band at all
    // it can only be inconclusive.
    let same = evaluate(
        &against(true, Expect::Higher),
        &low,
        Some(&low),
        7,
        Pairing::DifferentSeeds,
    );
    assert_eq!(same.verdict, Verdict::Inconclusive);
    assert!(
        same.effect == 0.0 && same.low <= 0.0 && same.high >= 0.0,
        "{same:?}"
    );
    // Against a threshold of 0.5.
    assert_eq!(
        evaluate(
            &against(false, Expect::Higher),
            &high,
            None,
            7,
            Pairing::Threshold
        )
        .verdict,
        Verdict::Supported
    );
    assert_eq!(
        evaluate(
            &against(false, Expect::Higher),
            &low,
            None,
            7,
            Pairing::Threshold
        )
        .verdict,
        Verdict::Contradicted
    );
    // Too few replicates: inconclusive whatever the interval.
    let few = evaluate(
        &against(true, Expect::Higher),
        &high[..MIN_REPLICATES - 1],
        Some(&low),
        7,
        Pairing::Paired,
    );
    assert_eq!(few.verdict, Verdict::Inconclusive);
    assert!(few.too_few());
    // Samples of different lengths cannot be paired, whatever the caller asked.
    assert_eq!(few.pairing, Pairing::DifferentReplicates);
    // Deterministic from the seed.
    assert_eq!(
        evaluate(
            &against(true, Expect::Higher),
            &high,
            Some(&low),
            7,
            Pairing::DifferentSeeds
        ),
        e
    );
}

fn banded(expect: Expect, m: f64) -> Test {
    Test {
        min_effect: m,
        ..against(true, expect)
    }
}

#[test]
fn the_smallest_effect_sets_the_band_of_what_matters() {
    use super::evaluate::verdict;
    let m = 0.05;
    // Beyond the band on the expected side, within it, beyond it on the other side, and
    // across each bound.
    let cases = [
        (
            (0.06, 0.2),
            [
                Verdict::Supported,
                Verdict::Contradicted,
                Verdict::Contradicted,
            ],
        ),
        (
            (-0.04, 0.049),
            [Verdict::Negligible, Verdict::Negligible, Verdict::Supported],
        ),
        (
            (-0.05, 0.05),
            [Verdict::Negligible, Verdict::Negligible, Verdict::Supported],
        ),
        (
            (-0.2, -0.051),
            [
                Verdict::Contradicted,
                Verdict::Supported,
                Verdict::Contradicted,
            ],
        ),
        (
            (0.01, 0.2),
            [
                Verdict::Inconclusive,
                Verdict::Inconclusive,
                Verdict::Inconclusive,
            ],
        ),
        (
            (-0.2, 0.01),
            [
                Verdict::Inconclusive,
                Verdict::Inconclusive,
                Verdict::Inconclusive,
            ],
        ),
        (
            (0.05, 0.2),
            [
                Verdict::Inconclusive,
                Verdict::Inconclusive,
                Verdict::Inconclusive,
            ],
        ),
    ];
    for ((low, high), want) in cases {
        let got = [Expect::Higher, Expect::Lower, Expect::Negligible]
            .map(|expect| verdict(expect, low, high, m));
        assert_eq!(got, want, "interval {low} to {high}");
    }
    // A significant but tiny effect is not supported: it is negligible.
    assert_eq!(
        verdict(Expect::Higher, 0.001, 0.002, m),
        Verdict::Negligible
    );
    assert_eq!(
        verdict(Expect::Higher, 0.001, 0.002, 0.0),
        Verdict::Supported
    );
}

#[test]
fn a_self_comparison_is_never_supported_and_no_difference_can_be_expected() {
    let base: Vec<f64> = (0..16).map(|i| 0.2 + 0.01 * (i % 4) as f64).collect();
    let near: Vec<f64> = base.iter().map(|x| x + 0.002).collect();
    let far: Vec<f64> = base.iter().map(|x| x + 0.3).collect();
    for expect in [Expect::Higher, Expect::Lower] {
        for m in [0.0, 0.05] {
            let v = evaluate(
                &banded(expect, m),
                &base,
                Some(&base),
                3,
                Pairing::DifferentSeeds,
            )
            .verdict;
            assert!(
                matches!(v, Verdict::Negligible | Verdict::Inconclusive),
                "{expect:?} {m}: {v:?}"
            );
        }
    }
    assert_eq!(
        evaluate(
            &banded(Expect::Higher, 0.05),
            &near,
            Some(&base),
            3,
            Pairing::DifferentSeeds
        )
        .verdict,
        Verdict::Negligible
    );
    // Expecting no difference that matters works both ways.
    assert_eq!(
        evaluate(
            &banded(Expect::Negligible, 0.05),
            &near,
            Some(&base),
            3,
            Pairing::DifferentSeeds
        )
        .verdict,
        Verdict::Supported
    );
    assert_eq!(
        evaluate(
            &banded(Expect::Negligible, 0.05),
            &far,
            Some(&base),
            3,
            Pairing::DifferentSeeds
        )
        .verdict,
        Verdict::Contradicted
    );
    assert_eq!(
        evaluate(
            &banded(Expect::Negligible, 0.05),
            &base,
            Some(&far),
            3,
            Pairing::DifferentSeeds
        )
        .verdict,
        Verdict::Contradicted
    );
}

#[test]
fn the_smallest_effect_comes_from_the_metric_the_statistic_or_the_claim() {
    let f = parse(GOOD, "c.toml").unwrap();
    // `underground`'s own, against a baseline; 0 against a threshold.
    assert_eq!(f.claims[0].test.min_effect, 0.005);
    assert!(!f.claims[0].test.min_effect_set);
    assert_eq!(f.claims[1].test.min_effect, 0.0);
    let set = GOOD.replacen(
        "expect = \"higher\"",
        "expect = \"higher\"\nmin_effect = 0.01",
        1,
    );
    let f = parse(&set, "c.toml").unwrap();
    assert_eq!(f.claims[0].test.min_effect, 0.01);
    assert!(f.claims[0].test.min_effect_set);
    let years = GOOD.replacen(
        "statistic = \"mean\"",
        "statistic = \"time_to_cross\"\nlevel = 0.01",
        1,
    );
    let f = parse(&years, "c.toml").unwrap();
    assert_eq!(f.claims[0].test.min_effect, crate::measure::SMALLEST_YEARS);
    let negligible = GOOD.replacen("expect = \"higher\"", "expect = \"negligible\"", 1);
    let f = parse(&negligible, "c.toml").unwrap();
    assert_eq!(f.claims[0].test.expect, Expect::Negligible);
}

#[test]
fn a_bad_or_misplaced_min_effect_is_a_located_error() {
    let with = |value: &str| {
        GOOD.replacen(
            "expect = \"higher\"",
            &format!("expect = \"higher\"\nmin_effect = {value}"),
            1,
        )
    };
    for bad in ["-0.01", "nan", "inf"] {
        let e = parse(&with(bad), "c.toml").unwrap_err();
        assert_eq!(e.0.len(), 1, "{e}");
        let d = &e.0[0];
        assert_eq!(d.key.as_deref(), Some("claim[0].test.min_effect"), "{e}");
        assert_eq!((d.line, d.column), (16, 14), "{e}");
        assert!(d.message.contains("0 or more"), "{e}");
    }
    let e = parse(&with("\"large\""), "c.toml").unwrap_err();
    assert_eq!(
        e.0[0].key.as_deref(),
        Some("claim[0].test.min_effect"),
        "{e}"
    );
    // Under [[claim]] instead of [claim.test].
    let misplaced = GOOD.replacen("contrast = 2", "contrast = 2\nmin_effect = 0.01", 1);
    let e = parse(&misplaced, "c.toml").unwrap_err();
    assert_eq!(e.0.len(), 1, "{e}");
    assert_eq!(
        (e.0[0].line, e.0[0].key.as_deref()),
        (8, Some("claim.min_effect")),
        "{e}"
    );
    assert!(e.0[0].message.contains("under [claim.test]"), "{e}");
    // Expecting no difference needs a band: against a threshold without `min_effect`, or
    // with a `min_effect` of 0.
    let threshold = GOOD.replacen(
        "expect = \"higher\"\n\"#",
        "expect = \"negligible\"\n\"#",
        1,
    );
    let threshold = threshold.replace(
        "level = 0.5\nexpect = \"higher\"",
        "level = 0.5\nexpect = \"negligible\"",
    );
    let e = parse(&threshold, "c.toml").unwrap_err();
    assert_eq!(e.0[0].key.as_deref(), Some("claim[1].test.expect"), "{e}");
    assert!(
        e.0[0].message.contains("needs a smallest effect above 0"),
        "{e}"
    );
    let zero = with("0").replacen("expect = \"higher\"", "expect = \"negligible\"", 1);
    let e = parse(&zero, "c.toml").unwrap_err();
    assert_eq!(
        e.0[0].key.as_deref(),
        Some("claim[0].test.min_effect"),
        "{e}"
    );
}

#[test]
fn statistics_are_per_replicate() {
    let cal = weekly();
    let reps = vec![rows(&[0.0, 1.0]), rows(&[0.0, 3.0])];
    let t = test_of(Statistic::Final, 0.0, Cross::Above);
    assert_eq!(statistics(&t, &cal, &(0..=1), &reps), vec![1.0, 3.0]);
}

#[test]
fn a_variant_moves_one_parameter_by_the_step_and_nothing_else() {
    let scenario =
        crate::scenario::Scenario::parse(crate::testing::TEST_SCENARIO, "t.toml").unwrap();
    assert_eq!(Variant::all().len(), 2 * UNCERTAIN.len());
    for v in Variant::all() {
        let (base, value) = v.values(&scenario).unwrap();
        let factor = if v.direction == Direction::Down {
            1.0 - STEP
        } else {
            1.0 + STEP
        };
        assert!(
            (value - base * factor).abs() < 1e-9 * base.abs().max(1e-12),
            "{}",
            v.label()
        );
        assert!(format!("{value:?}").len() < 12, "{value:?}");
        let (label, toml) = v.variation(&scenario).unwrap();
        let varied = crate::scenario::Scenario::parse_varied(
            crate::testing::TEST_SCENARIO,
            "t.toml",
            &|_, _| Err("none".into()),
            Some((&label, &toml)),
        )
        .unwrap();
        assert_eq!(varied.name, scenario.name);
        assert_ne!(varied.sha256, scenario.sha256);
        let path = v.uncertain().path;
        let moved = scenario
            .rules
            .with_set(path, &toml::Value::Float(value))
            .unwrap();
        assert_eq!(varied.rules, moved, "{}", v.label());
        assert_eq!(
            varied.files.last().map(String::as_str),
            Some(label.as_str())
        );
    }
}

#[test]
fn a_bad_variation_is_reported_in_its_own_name() {
    let e = crate::scenario::Scenario::parse_varied(
        crate::testing::TEST_SCENARIO,
        "t.toml",
        &|_, _| Err("none".into()),
        Some(("<variation>", "[rules.opinion]\nconfidense = 0.2\n")),
    )
    .unwrap_err();
    assert_eq!(e.0[0].file, "<variation>");
    assert!(e.to_string().contains("did you mean `confidence`"), "{e}");
}

/// The keys in the table under a heading of `docs/claims.md`.
fn documented_keys(doc: &str, heading: &str) -> Vec<String> {
    doc.split(heading)
        .nth(1)
        .unwrap_or("")
        .split("\n### ")
        .next()
        .unwrap_or("")
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_reference_lists_every_key_and_no_other_and_every_essay_contrast_and_statistic() {
    const DOC: &str = include_str!("../../docs/claims.md");
    assert_eq!(documented_keys(DOC, "### `[[claim]]`"), CLAIM_KEYS);
    let mut test_keys = documented_keys(DOC, "### `[claim.test]`");
    test_keys.truncate(TEST_KEYS.len());
    let mut expected = TEST_KEYS.to_vec();
    expected.sort_unstable();
    test_keys.sort_unstable();
    assert_eq!(test_keys, expected);
    for (title, short) in ESSAYS {
        assert!(DOC.contains(&format!("| `{title}` | {short} |")), "{title}");
    }
    for (n, c) in CONTRASTS.iter().enumerate() {
        assert!(DOC.contains(&format!("{}. {c}", n + 1)), "{c}");
    }
    for s in Statistic::NAMES {
        assert!(DOC.contains(&format!("| `{s}` |")), "{s}");
    }
    for e in crate::metrics::SMALLEST_EFFECTS {
        assert!(
            DOC.contains(&format!(
                "| `{}` | {} | {} | {} |",
                e.metric, e.value, e.unit, e.why
            )),
            "the smallest effect of {} in docs/claims.md",
            e.metric
        );
    }
}

#[test]
fn wrong_typed_values_in_different_claims_are_all_reported() {
    let text = GOOD
        .replace("contrast = 2", "contrast = 5000000000")
        .replace("leadership_case = true", "leadership_case = \"yes\"")
        .replace("threshold = 0.1", "threshold = \"low\"");
    let e = parse(&text, "c.toml").unwrap_err();
    let keys: Vec<&str> = e.0.iter().filter_map(|d| d.key.as_deref()).collect();
    assert_eq!(
        keys,
        [
            "claim[0].contrast",
            "claim[1].leadership_case",
            "claim[1].test.threshold"
        ],
        "{e}"
    );
    assert!(
        e.0[0]
            .message
            .starts_with("expected one of the five contrasts, 1 to 5"),
        "{}",
        e.0[0].message
    );
}

/// The sensitivity cache hashes this text: it must not change when the test's fields move.
#[test]
fn a_test_is_written_for_the_cache_key_as_its_fields_always_were() {
    let t = test_of(Statistic::Probability, 0.5, Cross::Below);
    assert_eq!(
        format!("{t:?}"),
        "Test { scenario: \"s\", against: Threshold(0.0), metric: 0, window: Window { first: Date { days: -18259 }, last: Date { days: -17898 }, single: false }, statistic: Probability, level: 0.5, cross: Below, expect: Higher, min_effect: 0.0 }"
    );
}
