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
        ("year = 68", "target[2].source.year"),
        ("needs = \"members\"", "target[2].needs"),
    ] {
        assert!(
            found.contains(&(line(needle), key.to_string())),
            "{key} at line {} not in {found:?}\n{e}",
            line(needle)
        );
    }
    assert_eq!(found.len(), 6, "{e}");
    assert!(e.to_string().contains("did you mean `ban_factions`"), "{e}");
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
    let text = include_str!("../../scenarios/record.toml");
    let r = parse(text, "scenarios/record.toml").unwrap_or_else(|e| panic!("{e}"));
    assert!(r.targets.len() >= 25, "{} targets", r.targets.len());
}
