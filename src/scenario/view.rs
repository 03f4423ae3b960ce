//! Essays' views: files that say how strong each mechanism the essays argue over is
//! (`scenarios/views/*.toml`), run over any scenario with `--view`. A view sets the five
//! mechanism strengths of `[rules.leadership]` and nothing else, so that running one
//! scenario under two views compares the essays' readings of the same history rather than
//! two histories; anything else in the file is an error saying so.
//!
//! A view is applied as one more layer merged over the scenario
//! ([`super::Scenario::parse_viewed`]), which puts its values at the start of the run (a
//! dated `set` event of the scenario still changes them later) and its bytes in the
//! scenario's hash, and renames the scenario [`viewed_name`] so that its runs, their reuse
//! and every comparison keyed on the name are the viewed run's own.

use std::collections::BTreeMap;

use serde::Serialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{Diagnostic, Diagnostics, SourceMap, hex_sha256, suggest};
use crate::format::{is_short_id, parse_table, remove_unknown_with};
use crate::model::params::LeadershipParams;

/// Where the shipped views are, relative to the working folder: `--view NAME` reads
/// `VIEWS_DIR/NAME.toml`.
pub const VIEWS_DIR: &str = "scenarios/views";

/// The five essays, by their titles as docs/claims.md lists them: `(title, author or short
/// name)`.
/// A claim's `source` and `contradicted_by` must name one of these titles; a view's `essay`
/// either one of them exactly or something plainly else (a title one slip away from one of
/// them is refused, since the claims page would not read the view as that essay's).
pub const ESSAYS: [(&str, &str); 5] = [
    (
        "Lessons of Party and Class from the Russian Revolution",
        "Lessons",
    ),
    ("(Help or Hindrance?)", "R. Ratcliffe"),
    (
        "The Communist Left in Russia 1918-1930, Part 2",
        "C. D. Ward",
    ),
    (
        "Were any of the Bolshevik oppositions a real alternative?",
        "An Anarchist FAQ",
    ),
    (
        "Untitled essay on G. I. Miasnikov and the Workers' Group",
        "the Miasnikov essay",
    ),
];

/// The name the claims' tables give the model's own parameters, so no view may take it: its
/// runs would be the folder `claims.view-default` beside the default's `claims`, and its
/// column would read as the defaults'.
pub const DEFAULT_VIEW: &str = "default";

/// The keys a view holds besides its mechanism strengths.
const TEXT_KEYS: [&str; 3] = ["name", "essay", "description"];

/// A checked view file.
#[derive(Clone, Debug, PartialEq)]
pub struct View {
    /// Short name (an id): it names the viewed runs' folders.
    pub name: String,
    /// The essay whose reading it is.
    pub essay: String,
    /// One or two sentences: what the essay holds about the mechanisms.
    pub description: String,
    /// The mechanism strengths it sets, in [`LeadershipParams::MECHANISMS`] order, each in
    /// [0, 1]; the mechanisms it leaves out keep the scenario's values.
    pub values: Vec<(String, f64)>,
    /// SHA-256 of the file's bytes, in hex.
    pub sha256: String,
    /// The file as named in diagnostics.
    pub file: String,
}

/// What a run records of the view it was run under (`manifest.json`, reports).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ViewRecord {
    pub name: String,
    pub essay: String,
    pub sha256: String,
    /// The strengths it set, by mechanism.
    pub values: BTreeMap<String, f64>,
}

/// The name of `scenario` run under the view `view`: `historical.view-lessons`. A dot cannot
/// be in a scenario's name, so a viewed run's folder never meets a scenario's own.
pub fn viewed_name(scenario: &str, view: &str) -> String {
    format!("{scenario}.view-{view}")
}

impl View {
    /// Parses and checks a view's text; `file` names it in diagnostics. Every problem is
    /// reported at once.
    pub fn parse(text: &str, file: &str) -> Result<View, Diagnostics> {
        let mut map = SourceMap::default();
        map.push(file, text);
        let mut doc = parse_table(text, &map)?;
        let mut found = Vec::new();
        // Only for its check of every text for control characters: the keys are checked
        // below, with the view's own wording.
        remove_unknown_with(doc.get_mut(), &map, &mut found, &|_| None);
        let doc = doc.into_inner();
        // The same document without places, for reading numbers as TOML reads them
        // (`1`, `0.5`, `1_0e-1`); the text parsed above, so this cannot fail.
        let plain: toml::Table = toml::from_str(text).unwrap_or_default();
        let mut texts: BTreeMap<&str, String> = BTreeMap::new();
        let mut values = Vec::new();
        let mut leadership_seen = false;
        for (key, value) in &doc {
            let name: &str = key.get_ref();
            if let Some(&text_key) = TEXT_KEYS.iter().find(|k| **k == name) {
                match value.get_ref() {
                    DeValue::String(s) => {
                        texts.insert(text_key, s.to_string());
                    }
                    _ => found.push(map.diagnostic(
                        Some(value.span()),
                        Some(name),
                        "expected a string",
                    )),
                }
            } else if name == "rules" {
                let plain = plain.get("rules").and_then(|r| r.get("leadership"));
                leadership_seen |= rules_table(value, plain, &map, &mut found, &mut values);
            } else {
                found.push(only_mechanisms(
                    &map,
                    key.span(),
                    name,
                    TEXT_KEYS.iter().copied().chain(["rules"]),
                ));
            }
        }
        for key in TEXT_KEYS {
            if !texts.contains_key(key) {
                found.push(map.diagnostic(None, Some(key), format!("a view needs a `{key}`")));
            }
        }
        if let Some(name) = texts.get("name")
            && !is_short_id(name)
            && let Some(value) = doc.get("name")
        {
            found.push(map.diagnostic(
                Some(value.span()),
                Some("name"),
                "expected lowercase letters, digits, `-` and `_` only, at most 64 of them (it names the viewed runs' folders)",
            ));
        }
        if texts.get("name").map(String::as_str) == Some(DEFAULT_VIEW)
            && let Some(value) = doc.get("name")
        {
            found.push(map.diagnostic(
                Some(value.span()),
                Some("name"),
                format!("`{DEFAULT_VIEW}` is reserved: runs without a view are the default (the claims' tables call the model's own parameters so); give the view another name"),
            ));
        }
        if let Some(essay) = texts.get("essay")
            && let Some(value) = doc.get("essay")
            && let Some(near) = near_essay(essay)
        {
            found.push(map.diagnostic(
                Some(value.span()),
                Some("essay"),
                format!("`{essay}` is not the title of one of the essays{near}; a view names its essay by its exact title, as docs/claims.md lists them"),
            ));
        }
        if !leadership_seen {
            found.push(map.diagnostic(
                None,
                Some("rules.leadership"),
                format!(
                    "a view sets at least one mechanism strength under `[rules.leadership]` ({})",
                    LeadershipParams::MECHANISMS.join(", ")
                ),
            ));
        }
        if !found.is_empty() {
            // In the order of the text (the table's own order is by key).
            found.sort_by_key(|d| (d.line, d.column));
            return Err(Diagnostics::new(found));
        }
        values.sort_by_key(|(m, _): &(String, f64)| {
            LeadershipParams::MECHANISMS.iter().position(|x| x == m)
        });
        let mut text_of = |key: &str| texts.remove(key).unwrap_or_default();
        Ok(View {
            name: text_of("name"),
            essay: text_of("essay"),
            description: text_of("description"),
            values,
            sha256: hex_sha256(text.as_bytes()),
            file: file.to_string(),
        })
    }

    /// The layer merged over a scenario: a label (shown in diagnostics and among the
    /// scenario's files) and a TOML text of the strengths. The text names the view's hash,
    /// so the scenario's hash changes with the view's file, comments included, as it does
    /// with any file of its chain.
    pub fn layer(&self) -> (String, String) {
        let mut toml = format!(
            "# view {} ({}, sha256 {})\n[rules.leadership]\n",
            self.name, self.file, self.sha256
        );
        for (mechanism, value) in &self.values {
            toml.push_str(&format!("{mechanism} = {value:?}\n"));
        }
        (format!("<view {}: {}>", self.name, self.file), toml)
    }

    /// What a run records of this view.
    pub fn record(&self) -> ViewRecord {
        ViewRecord {
            name: self.name.clone(),
            essay: self.essay.clone(),
            sha256: self.sha256.clone(),
            values: self.values.iter().cloned().collect(),
        }
    }
}

/// " (did you mean `<title>`?)" when `title` is none of the essays' titles exactly but
/// nearly one: a slip, which would leave the view read as nobody's.
fn near_essay(title: &str) -> Option<String> {
    let title = title.trim();
    if ESSAYS.iter().any(|(t, _)| *t == title) {
        return None;
    }
    let hint = suggest(title, ESSAYS.iter().map(|(t, _)| *t));
    (!hint.is_empty()).then_some(hint)
}

/// Reads a view's `[rules]` table into `values`; returns whether it held
/// `[rules.leadership]` with at least one mechanism.
fn rules_table(
    value: &Spanned<DeValue>,
    plain: Option<&toml::Value>,
    map: &SourceMap,
    found: &mut Vec<Diagnostic>,
    values: &mut Vec<(String, f64)>,
) -> bool {
    let DeValue::Table(rules) = value.get_ref() else {
        found.push(map.diagnostic(
            Some(value.span()),
            Some("rules"),
            "expected the table `[rules.leadership]`",
        ));
        return false;
    };
    let mut seen = false;
    for (key, inner) in rules {
        let rule: &str = key.get_ref();
        if rule != "leadership" {
            found.push(only_mechanisms(
                map,
                key.span(),
                &format!("rules.{rule}"),
                ["leadership"],
            ));
            continue;
        }
        let DeValue::Table(leadership) = inner.get_ref() else {
            found.push(map.diagnostic(
                Some(inner.span()),
                Some("rules.leadership"),
                "expected a table of mechanism strengths",
            ));
            continue;
        };
        seen |= mechanisms(leadership, plain, map, found, values);
    }
    seen
}

/// Reads the strengths of `[rules.leadership]`; returns whether there was at least one.
fn mechanisms(
    table: &DeTable,
    plain: Option<&toml::Value>,
    map: &SourceMap,
    found: &mut Vec<Diagnostic>,
    values: &mut Vec<(String, f64)>,
) -> bool {
    let mut any = false;
    for (key, value) in table {
        let name: &str = key.get_ref();
        let dotted = format!("rules.leadership.{name}");
        if !LeadershipParams::MECHANISMS.contains(&name) {
            found.push(only_mechanisms(
                map,
                key.span(),
                &dotted,
                LeadershipParams::MECHANISMS,
            ));
            continue;
        }
        any = true;
        let number = match plain.and_then(|t| t.get(name)) {
            Some(toml::Value::Float(x)) => Some(*x),
            Some(toml::Value::Integer(n)) => Some(*n as f64),
            _ => None,
        };
        match number {
            Some(x) if (0.0..=1.0).contains(&x) => values.push((name.to_string(), x)),
            Some(x) => found.push(map.diagnostic(
                Some(value.span()),
                Some(&dotted),
                format!("expected a strength from 0 (off) to 1 (full), found {x}"),
            )),
            None => found.push(map.diagnostic(
                Some(value.span()),
                Some(&dotted),
                "expected a number from 0 (off) to 1 (full)",
            )),
        }
    }
    any
}

/// The error for anything in a view but its texts and mechanism strengths.
fn only_mechanisms<'a>(
    map: &SourceMap,
    span: std::ops::Range<usize>,
    key: &str,
    near: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    let last = key.rsplit('.').next().unwrap_or(key);
    map.diagnostic(
        Some(span),
        Some(key),
        format!(
            "a view sets only mechanism strengths: `name`, `essay`, `description` and, under `[rules.leadership]`, some or all of {}; `{key}` belongs in a scenario{}",
            LeadershipParams::MECHANISMS.join(", "),
            suggest(last, near)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const LESSONS: &str = "# a comment\nname = \"lessons\"\nessay = \"Lessons\"\ndescription = \"d\"\n\n[rules.leadership]\nprecedent = 1.0\ncircumstances = 0.5\ndoctrine = 0\n";

    #[test]
    fn a_view_reads_its_strengths_in_mechanism_order() {
        let v = View::parse(LESSONS, "lessons.toml").unwrap();
        assert_eq!(v.name, "lessons");
        assert_eq!(v.essay, "Lessons");
        assert_eq!(
            v.values,
            [
                ("circumstances".to_string(), 0.5),
                ("doctrine".to_string(), 0.0),
                ("precedent".to_string(), 1.0)
            ]
        );
        assert_eq!(v.sha256, hex_sha256(LESSONS.as_bytes()));
        let (label, toml) = v.layer();
        assert_eq!(label, "<view lessons: lessons.toml>");
        assert!(toml.contains(&v.sha256), "the file's hash is in the layer");
        assert!(
            toml.ends_with(
                "[rules.leadership]\ncircumstances = 0.5\ndoctrine = 0.0\nprecedent = 1.0\n"
            ),
            "{toml}"
        );
        assert_eq!(v.record().values["precedent"], 1.0);
    }

    /// The message and location of every problem of a view's text.
    fn problems(text: &str) -> Vec<(String, usize, String)> {
        match View::parse(text, "v.toml") {
            Ok(_) => Vec::new(),
            Err(d) => {
                d.0.into_iter()
                    .map(|d| (d.key.unwrap_or_default(), d.line, d.message))
                    .collect()
            }
        }
    }

    #[test]
    fn a_view_that_sets_anything_but_mechanism_strengths_is_refused_where_it_does() {
        let text = LESSONS.replace(
            "doctrine = 0\n",
            "doctrine = 0\nban_factions_bar = 0.3\n[rules.soviets]\nrecall = false\n[[events]]\ndate = \"1921-03\"\n",
        );
        let found = problems(&format!("seed = 4\n{text}"));
        let keys: Vec<&str> = found.iter().map(|(k, _, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "seed",
                "rules.leadership.ban_factions_bar",
                "rules.soviets",
                "events"
            ],
            "{found:#?}"
        );
        for (_, _, message) in &found {
            assert!(
                message.starts_with("a view sets only mechanism strengths")
                    && message.contains("circumstances, doctrine, oligarchy, precedent, siege"),
                "{message}"
            );
        }
        assert_eq!(found[1].1, 11, "the line of the key itself");
    }

    #[test]
    fn a_view_checks_its_texts_ranges_and_that_it_sets_something() {
        let found = problems(
            &LESSONS
                .replace("precedent = 1.0", "precedent = 1.5")
                .replace("doctrine = 0", "doctrine = \"x\"")
                .replace("name = \"lessons\"", "name = \"Bad Name\""),
        );
        let keys: Vec<&str> = found.iter().map(|(k, _, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "name",
                "rules.leadership.precedent",
                "rules.leadership.doctrine"
            ],
            "{found:#?}"
        );
        assert!(found[1].2.contains("found 1.5"));
        let found = problems("name = \"x\"\nessay = \"e\"\n");
        let keys: Vec<&str> = found.iter().map(|(k, _, _)| k.as_str()).collect();
        assert_eq!(keys, ["description", "rules.leadership"], "{found:#?}");
        let found = problems(
            &LESSONS
                .replace("precednt", "x")
                .replace("precedent", "precedant"),
        );
        assert!(
            found[0].2.contains("did you mean `precedent`"),
            "{found:#?}"
        );
        assert!(View::parse("not toml [", "v.toml").is_err());
        assert!(
            problems(&LESSONS.replace("\"d\"", "\"\\u001b[2J\""))
                .iter()
                .any(|(_, _, m)| m.contains("control character"))
        );
    }

    #[test]
    fn the_reserved_name_and_a_near_miss_of_an_essay_title_are_refused_where_written() {
        let found = problems(&LESSONS.replace("\"lessons\"", "\"default\""));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!((found[0].0.as_str(), found[0].1), ("name", 2));
        assert!(
            found[0]
                .2
                .starts_with("`default` is reserved: runs without a view are the default")
        );
        let near = LESSONS.replace(
            "essay = \"Lessons\"",
            "essay = \"Lessons of Party and Class from the Russian Revolutoin\"",
        );
        let found = problems(&near);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!((found[0].0.as_str(), found[0].1), ("essay", 3));
        assert!(
            found[0].2.contains(
                "(did you mean `Lessons of Party and Class from the Russian Revolution`?)"
            ),
            "{found:#?}"
        );
        // An exact title, or something plainly else, is a view's own business.
        for essay in [
            "Lessons of Party and Class from the Russian Revolution",
            "A reading of my own",
        ] {
            let text = LESSONS.replace("essay = \"Lessons\"", &format!("essay = {essay:?}"));
            assert!(View::parse(&text, "v.toml").is_ok(), "{essay}");
        }
    }

    #[test]
    fn the_shipped_views_parse() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/views");
        let mut count = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let view =
                View::parse(&text, &path.display().to_string()).unwrap_or_else(|d| panic!("{d}"));
            assert_eq!(
                Some(view.name.as_str()),
                path.file_stem().and_then(|s| s.to_str()),
                "a view is named as its file"
            );
            count += 1;
        }
        assert!(count >= 5);
    }
}
