//! Unit tests of the record's parser and of the fit.

use super::*;

/// A small valid record: one target of each kind.
pub(super) const VALID: &str = r#"
[[target]]
id = "faction-ban"
what = "The Tenth Congress bans factions."
decision = "ban_factions"
low = "1921-03"
high = "1921-03"
essays = "all"
source = [{ author = "RCP(b)", title = "Tenth Congress, On Party Unity", year = 1921, at = "resolution of 16 March" }]

[[target]]
id = "survives-1922"
what = "The regime is not restored before 1922."
metric = "restored"
window = ["1917-11", "1922-12"]
statistic = "probability"
level = 1.0
low = 0
high = 0.1
essays = ["Lessons of Party and Class from the Russian Revolution", "(Help or Hindrance?)"]
disputed_by = ["An Anarchist FAQ" ]
source = [{ author = "E. H. Carr", title = "The Bolshevik Revolution", year = 1950, at = "vol. 1" }]

[[target]]
id = "members-1921"
what = "Party members per 1,000 people, March 1921."
needs = "party members per 1,000 people"
low = 4.5
high = 5.5
essays = "all"
source = [{ author = "T. H. Rigby", title = "Communist Party Membership in the USSR 1917-1967", year = 1968, at = "pp. 50-53" }]
"#;

#[test]
fn a_valid_record_reads_every_kind_of_target() {
    let text = VALID.replace(
        "\"An Anarchist FAQ\" ",
        "\"Were any of the Bolshevik oppositions a real alternative?\"",
    );
    let r = parse(&text, "record.toml").unwrap();
    assert_eq!(r.targets.len(), 3);
    assert!(matches!(
        r.targets[0].measured,
        Measured::Decision {
            decision: Decision::BanFactions,
            aimed_at: None
        }
    ));
    assert!(matches!(r.targets[0].interval, Interval::Dates(_, _)));
    assert_eq!(r.targets[1].interval, Interval::Numbers(0.0, 0.1));
    assert_eq!(
        r.targets[1].essays_text(),
        "Lessons; R. Ratcliffe; disputed by An Anarchist FAQ"
    );
    assert!(matches!(r.targets[2].measured, Measured::Needs(_)));
    assert_eq!(
        r.targets[2].sources_text(),
        "T. H. Rigby, Communist Party Membership in the USSR 1917-1967 (1968), pp. 50-53"
    );
}

/// Every mistake in one run, each at its line with its key.
#[test]
fn every_mistake_is_reported_at_once_and_located() {
    let text = VALID
        .replace("decision = \"ban_factions\"", "decision = \"ban_faction\"")
        .replace(
            "statistic = \"probability\"",
            "statistic = \"probability\"\ncolour = 1",
        )
        .replace("high = 0.1", "high = \"0.1\"")
        .replace(
            "\"An Anarchist FAQ\" ",
            "\"Lessons of Party and Class from the Russian Revolution\"",
        )
        .replace("year = 1968", "year = 68")
        .replace(
            "needs = \"party members per 1,000 people\"",
            "needs = \"members\"\nmetric = \"jailed\"",
        );
    let e = parse(&text, "record.toml").unwrap_err();
    let found: Vec<(usize, String)> =
        e.0.iter()
            .map(|d| (d.line, d.key.clone().unwrap_or_default()))
            .collect();
    let line = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    for (needle, key) in [
        ("ban_faction\"", "target[0].decision"),
        ("colour", "target.colour"),
        ("high = \"0.1\"", "target[1].high"),
        ("disputed_by", "target[1].disputed_by"),
        ("year = 68", "target[2].source[0].year"),
        ("needs = \"members\"", "target[2].needs"),
    ] {
        assert!(
            found.contains(&(line(needle), key.to_string())),
            "{key} at line {} not in {found:?}\n{e}",
            line(needle)
        );
    }
    assert_eq!(found.len(), 6, "{e}");
    assert!(
        e.to_string().contains("(did you mean `ban_factions`?)"),
        "{e}"
    );
}

/// Values of the wrong type (serde's own errors, which stop at the first) are each reported,
/// with the checks of the rest of the file, through the stand-ins of
/// `format::deserialize_with_defaults`.
#[test]
fn several_wrong_typed_values_are_each_reported() {
    let text = VALID
        .replace(
            "\"An Anarchist FAQ\" ",
            "\"Were any of the Bolshevik oppositions a real alternative?\"",
        )
        .replacen("year = 1968", "year = \"1968\"", 1)
        .replacen("what = ", "what = 5 #", 1)
        .replace("level = 1.0", "level = \"one\"")
        .replace("statistic = \"probability\"", "statistic = 3");
    assert_ne!(text, VALID);
    let e = parse(&text, "record.toml").unwrap_err();
    let line = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let found: Vec<usize> = e.0.iter().map(|d| d.line).collect();
    for needle in [
        "year = \"1968\"",
        "what = 5",
        "level = \"one\"",
        "statistic = 3",
    ] {
        assert!(
            found.contains(&line(needle)),
            "{needle} not in {found:?}\n{e}"
        );
    }
    // One diagnostic per value: the range check of the year's stand-in is not another.
    assert_eq!(e.0.len(), 4, "{e}");
    for d in &e.0 {
        assert_eq!(d.file, "record.toml");
        assert!(d.line >= 1 && d.column >= 1 && d.key.is_some(), "{d}");
    }
}

#[test]
fn wrong_shapes_are_refused_with_what_was_expected() {
    let cases = [
        (
            "essays = \"all\"",
            "essays = 3",
            "expected \"all\" or a list",
        ),
        (
            "low = \"1921-03\"",
            "low = 1921",
            "expected a date in quotes",
        ),
        ("low = 0\n", "low = 0.5\n", "ends before it starts"),
        ("low = 4.5\n", "", "missing key `low`"),
        (
            "window = [\"1917-11\", \"1922-12\"]",
            "",
            "missing key `window`",
        ),
        ("level = 1.0", "", "needs a `level`"),
        (
            "decision = \"ban_factions\"",
            "decision = \"ban_factions\"\nstatistic = \"mean\"",
            "takes no `statistic`",
        ),
        (
            "id = \"members-1921\"",
            "id = \"faction-ban\"",
            "ids must be unique",
        ),
        (
            "statistic = \"probability\"",
            "statistic = \"peak_dat\"",
            "unknown statistic `peak_dat` (did you mean `peak_date`?)",
        ),
        (
            "level = 1.0",
            "level = 1.0\nrelative_to = \"1918-01\"",
            "takes no `relative_to`",
        ),
        (
            "decision = \"ban_factions\"",
            "decision = \"ban_factions\"\nrelative_to = \"1918-01\"",
            "takes no `relative_to`",
        ),
        (
            "statistic = \"probability\"\nlevel = 1.0",
            "statistic = \"peak_date\"",
            "expected a date in quotes",
        ),
        (
            "source = [{ author = \"E. H. Carr\", title = \"The Bolshevik Revolution\", year = 1950, at = \"vol. 1\" }]",
            "source = []",
            "at least one source",
        ),
    ];
    for (from, to, expected) in cases {
        let text = VALID
            .replace(
                "\"An Anarchist FAQ\" ",
                "\"Were any of the Bolshevik oppositions a real alternative?\"",
            )
            .replacen(from, to, 1);
        assert_ne!(text, VALID, "{from}");
        let e = parse(&text, "record.toml").unwrap_err().to_string();
        assert!(e.contains(expected), "{from} -> {to}: {e}");
        assert!(e.contains("record.toml:"), "{e}");
    }
}

#[test]
fn the_shipped_record_is_valid() {
    let text = include_str!("../../scenarios/record/record.toml");
    let r = parse(text, "scenarios/record/record.toml").unwrap_or_else(|e| panic!("{e}"));
    assert!(r.targets.len() >= 25, "{} targets", r.targets.len());
}

mod fitting {
    use super::super::fit::*;
    use super::*;
    use crate::metrics::{METRIC_COUNT, METRIC_NAMES};
    use crate::model::{Calendar, DecisionRecord, StepKind};

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap().0
    }

    /// Four replicates of a monthly run, 1921-01 to 1921-12: `restored` is 1 from month 6
    /// in replicate 0 only; `pluralism` is the replicate's number; the faction ban comes in
    /// 1921-03 in replicates 0 and 1, 1921-05 in 2, never in 3.
    fn run() -> RunData {
        let calendar = Calendar::new(d("1921-01"), d("1921-12"), StepKind::Month);
        let k = |name: &str| METRIC_NAMES.iter().position(|m| *m == name).unwrap();
        let rows = (0..4)
            .map(|r| {
                (0..calendar.steps)
                    .map(|s| {
                        let mut row = [0.0; METRIC_COUNT];
                        row[k("pluralism")] = r as f64;
                        // Members: 50 until month 3, then 50 + 10 r; strikes peak in
                        // month 2 + r, and stay at that height for one more month.
                        row[k("party_members")] = if s < 3 { 50.0 } else { 50.0 + 10.0 * r as f64 };
                        row[k("strikes")] = if s == 2 + r || s == 3 + r { 0.9 } else { 0.1 };
                        row[k("restored")] = if r == 0 && s >= 6 { 1.0 } else { 0.0 };
                        row
                    })
                    .collect()
            })
            .collect();
        let ban = |step: u32| DecisionRecord {
            step,
            decision: Decision::BanFactions,
            target: String::new(),
            why: String::new(),
        };
        RunData {
            scenario: "t".into(),
            calendar,
            rows,
            decisions: vec![vec![ban(2)], vec![ban(2)], vec![ban(4)], vec![]],
        }
    }

    const RECORD: &str = r#"
[[target]]
id = "ban"
what = "ban"
decision = "ban_factions"
low = "1921-03"
high = "1921-04"
essays = "all"
source = [{ author = "A, B", title = "T", year = 1999, at = "p. 1" }]

[[target]]
id = "plural"
what = "plural"
metric = "pluralism"
window = ["1921-02", "1921-05"]
statistic = "mean"
low = 1.0
high = 1.4
essays = "all"
source = [{ author = "A", title = "T", year = 1999, at = "p. 1" }]

[[target]]
id = "restored"
what = "restored"
metric = "restored"
window = ["1921-01", "1921-12"]
statistic = "probability"
level = 1.0
low = 0
high = 0.1
essays = "all"
source = [{ author = "A", title = "T", year = 1999, at = "p. 1" }]

[[target]]
id = "later"
what = "later"
decision = "purge"
low = "1925-01"
high = "1925-12"
essays = "all"
source = [{ author = "A", title = "T", year = 1999, at = "p. 1" }]

[[target]]
id = "count"
what = "count"
needs = "a count"
essays = "all"
source = [{ author = "A", title = "T", year = 1999, at = "p. 1" }]

[[target]]
id = "growth"
what = "growth"
metric = "party_members"
at = "1921-10"
relative_to = "1921-02"
low = 1.2
high = 1.3
essays = "all"
source = [{ author = "A", title = "T", year = 1999, at = "p. 1" }]

[[target]]
id = "wave"
what = "wave"
metric = "strikes"
window = ["1921-02", "1921-12"]
statistic = "peak_date"
low = "1921-04"
high = "1921-05"
essays = "all"
source = [{ author = "A", title = "T", year = 1999, at = "p. 1" }]
"#;

    #[test]
    fn each_kind_of_target_is_fitted_as_documented() {
        let record = parse(RECORD, "r.toml").unwrap();
        let rows = fit(&record, &run());
        // Dates: 1921-03, 1921-03, 1921-05, never; the median lies between the second and
        // the third, in 1921-04; the 95th percentile needs the replicate that never bans.
        assert_eq!(
            rows[0].model,
            ["1921-03", "1921-04", "never"].map(String::from)
        );
        assert_eq!(rows[0].within, Within::Yes);
        // Means of 0, 1, 2, 3: the median 1.5 lies above the record's 1.4.
        assert_eq!(rows[1].model[1], "1.500000");
        assert_eq!(rows[1].within, Within::No);
        // One replicate in four restored: the share is the median, outside 0 to 0.1.
        assert_eq!(rows[2].model[1], "0.250000");
        assert_eq!(rows[2].within, Within::No);
        let (a, b) = (
            rows[2].model[0].parse::<f64>().unwrap(),
            rows[2].model[2].parse::<f64>().unwrap(),
        );
        assert!(a > 0.0 && a < 0.25 && b > 0.25 && b < 1.0, "{a} {b}");
        assert_eq!(rows[3].within, Within::OutsideRun);
        assert_eq!(rows[4].within, Within::Unmeasured);
        // Members in 1921-10 over those in 1921-02: 1, 1.2, 1.4, 1.6; the median 1.3 lies
        // on the record's upper bound.
        assert_eq!(
            rows[5].model,
            ["1.030000", "1.300000", "1.570000"].map(String::from)
        );
        assert_eq!(rows[5].within, Within::Yes);
        // Strikes first reach their height in 1921-03, -04, -05 and -06: the median falls
        // half-way through 1921-04, inside, and the 95th percentile late in 1921-05; a
        // plateau peaks when it is first reached.
        assert_eq!(
            rows[6].model,
            ["1921-03", "1921-04", "1921-05"].map(String::from)
        );
        assert_eq!(rows[6].within, Within::Yes);
        let rows = &rows[..5];
        assert_eq!(score(rows), (1, 3));
        let csv = fit_csv(rows);
        // The index reads the same score back from the file.
        let read = Score::of_csv(&csv).unwrap();
        assert_eq!(read, Score::of(rows));
        assert_eq!((read.within, read.measured, read.total), (1, 3, 5));
        assert_eq!(Score::of_csv("a,b\n1,2\n"), None);
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some(FIT_HEADER.join(",").as_str()));
        // A source with a comma is quoted.
        assert!(lines.next().unwrap().starts_with(
            "ban,\"A, B, T (1999), p. 1\",all,1921-03,1921-04,1921-03,1921-04,never,yes"
        ));
        assert_eq!(bars(rows).len(), 5);
    }

    #[test]
    fn a_run_is_read_back_from_its_files() {
        let text = crate::testing::TEST_SCENARIO
            .replace("agents = 1000", "agents = 120")
            .replace("end = \"1919-12\"", "end = \"1918-03\"");
        let scenario = crate::scenario::Scenario::parse(&text, "t.toml").unwrap();
        let results = crate::ensemble::run(&scenario, 3, 2, &|_| {});
        let runs = crate::output::runs_csv(&scenario, &results);
        let decisions = crate::output::decisions_csv(&scenario, &results);
        let described = crate::output::ScenarioRun::of(&scenario, 3, 2);
        let manifest = crate::output::Manifest {
            run: &described,
            scenario_file: "t.toml".into(),
            metrics: METRIC_NAMES.to_vec(),
            elapsed_seconds: 0.0,
            agent_steps_per_second: 0.0,
            command: String::new(),
            record: None,
            outputs: Vec::new(),
        }
        .to_json();
        let read = RunData::read(&manifest, &runs, &decisions).unwrap();
        assert_eq!(read.calendar, scenario.calendar);
        assert_eq!(read.rows.len(), 2);
        // `run` fits the files it has just written, before the manifest, alike.
        let of = RunData::of(&scenario.name, scenario.calendar, 2, &runs, &decisions).unwrap();
        assert_eq!(
            (of.scenario, of.calendar, of.rows, of.decisions),
            (read.scenario, read.calendar, read.rows, read.decisions)
        );
        assert!(RunData::read("{}", &runs, &decisions).is_err());
    }
}

/// docs/record.md names every key of the format and every target of the shipped record.
#[test]
fn the_docs_describe_every_key_and_every_target() {
    let docs = include_str!("../../docs/record.md");
    for key in TARGET_KEYS {
        assert!(
            docs.contains(&format!("`{key}`")),
            "docs/record.md lacks `{key}`"
        );
    }
    let record = parse(
        include_str!("../../scenarios/record/record.toml"),
        "record.toml",
    )
    .unwrap();
    for t in &record.targets {
        assert!(
            docs.contains(&format!("| `{}` |", t.id)),
            "docs/record.md lacks the target `{}`",
            t.id
        );
    }
    let measured = record
        .targets
        .iter()
        .filter(|t| !matches!(t.measured, Measured::Needs(_)))
        .count();
    assert!(docs.contains(&format!(
        "The {} targets of `scenarios/record/record.toml`, {measured} measured and {} not yet measurable",
        record.targets.len(),
        record.targets.len() - measured
    )));
}
