//! Every key a scenario file may hold, as data: the checker reports all unknown keys at once
//! (serde stops at the first), with a "did you mean"; the listing of every key in `docs/scenarios.md`
//! is tested against [`accepted_keys`]; and a test probes serde itself so that these lists
//! cannot drift from the schema.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{Diagnostic, SourceMap};
use crate::format::remove_unknown_placed;
use crate::model::{Decision, SERIES_NAMES, TargetKind};
use crate::reference::ReferenceKind;
use crate::rules::{RULE_NAMES, Rules};

/// Top-level keys.
pub const TOP: [&str; 16] = [
    "extends",
    "record",
    "name",
    "description",
    "start",
    "end",
    "step",
    "seed",
    "replicates",
    "population",
    "environment",
    "parties",
    "rules",
    "events",
    "decisions",
    "reference",
];

/// `[reference]`: the model, then every model's keys (each model says which are its own).
pub fn reference_keys() -> Vec<&'static str> {
    let mut keys = vec!["model"];
    for kind in ReferenceKind::ALL {
        for &key in kind.keys() {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    keys
}

/// `[population]`.
pub const POPULATION: [&str; 10] = [
    "agents",
    "classes",
    "urban_localities",
    "rural_localities",
    "workplaces",
    "mean_degree",
    "cross_ties",
    "opinion",
    "legitimacy",
    "hardship",
];

/// The tables with one value per class (`classes`, `legitimacy`, `hardship`, `opinion`).
pub const CLASSES: [&str; 4] = ["worker", "peasant", "soldier", "specialist"];

/// `[population.opinion.<class>]`.
pub const OPINION: [&str; 3] = ["authority", "property", "spread"];

/// `[parties.<name>]`.
pub const PARTY: [&str; 6] = [
    "platform",
    "status",
    "members",
    "ruling",
    "restoration",
    "government",
];

/// `[[events]]`.
pub const EVENT: [&str; 17] = [
    "date",
    "action",
    "id",
    "note",
    "path",
    "value",
    "party",
    "status",
    "level",
    "attribute",
    "delta",
    "class",
    "name",
    "platform",
    "target",
    "decision",
    "remove",
];

/// The keys allowed in the table at `path` (parties by their names, rules by theirs), or
/// `None` where any name is allowed (the names of parties).
fn allowed(path: &[&str]) -> Option<Vec<String>> {
    let own = |keys: &[&str]| Some(keys.iter().map(|k| k.to_string()).collect());
    match path {
        [] => own(&TOP),
        ["population"] => own(&POPULATION),
        [
            "population",
            "classes" | "legitimacy" | "hardship" | "opinion",
        ] => own(&CLASSES),
        ["population", "opinion", _] => own(&OPINION),
        ["environment"] => own(&SERIES_NAMES),
        ["parties"] => None,
        ["parties", _] => own(&PARTY),
        ["rules"] => own(&RULE_NAMES),
        ["rules", rule] => Some(Rules::parameter_names(rule)),
        ["events"] => own(&EVENT),
        ["decisions"] => own(&Decision::NAMES),
        ["reference"] => own(&reference_keys()),
        _ => Some(Vec::new()),
    }
}

/// Every key the parser accepts, dotted, with `<party>` for any party's name and `<class>`
/// for any of the four classes in `population.opinion`.
pub fn accepted_keys() -> Vec<String> {
    let mut keys: Vec<String> = TOP.iter().map(|k| k.to_string()).collect();
    for p in POPULATION {
        keys.push(format!("population.{p}"));
    }
    for table in ["classes", "legitimacy", "hardship"] {
        for c in CLASSES {
            keys.push(format!("population.{table}.{c}"));
        }
    }
    for c in CLASSES {
        keys.push(format!("population.opinion.{c}"));
    }
    for o in OPINION {
        keys.push(format!("population.opinion.<class>.{o}"));
    }
    for s in SERIES_NAMES {
        keys.push(format!("environment.{s}"));
    }
    keys.push("parties.<party>".to_string());
    for p in PARTY {
        keys.push(format!("parties.<party>.{p}"));
    }
    for rule in RULE_NAMES {
        keys.push(format!("rules.{rule}"));
        for p in Rules::parameter_names(rule) {
            keys.push(format!("rules.{rule}.{p}"));
        }
    }
    for e in EVENT {
        keys.push(format!("events.{e}"));
    }
    for d in Decision::NAMES {
        keys.push(format!("decisions.{d}"));
    }
    for k in reference_keys() {
        keys.push(format!("reference.{k}"));
    }
    keys
}

/// Finds every unknown key in the document, reports each with a suggestion, and removes it,
/// so that the rest of the file can still be checked. Reports too every text that holds a
/// control character, since this walk visits every value.
pub fn remove_unknown(doc: &mut DeTable, map: &SourceMap, found: &mut Vec<super::Diagnostic>) {
    remove_unknown_placed(doc, map, found, &allowed, &accepted_keys());
}

/// The names a rule parameter given as a string (or a list of strings) may take.
pub fn parameter_names(rule: &str, parameter: &str) -> Option<&'static [&'static str]> {
    Some(match (rule, parameter) {
        ("activation", "rounding") => &["none", "floor", "round_half_even"],
        ("repression", "principal") => &["centre", "soviets"],
        ("repression", "targets") => &[
            "whites",
            "active",
            "strikers",
            "other_parties",
            "banned_parties",
            "underground",
            "factions",
        ],
        ("regime", "leadership") => &["scripted", "adaptive"],
        ("soviets", "elections") => &["free", "single_list", "suspended", "appointed"],
        ("soviets", "sovereignty") => &["soviets", "party"],
        ("ruling_party", "recruitment") => &["workers_only", "open", "careerist"],
        ("ruling_party", "congress") => &["elected", "appointed"],
        ("bureaucracy", "unions") => &["independent", "state"],
        _ => return None,
    })
}

/// The table of every rule parameter (key, type, default, allowed values), as
/// Markdown, generated from the defaults and the checks so that `docs/scenarios.md` cannot
/// drift from the code (a test compares them).
pub fn rule_parameter_table() -> String {
    let defaults = toml::Table::try_from(Rules::default()).unwrap_or_default();
    let mut out = String::from("| key | type | default | allowed |\n|---|---|---|---|\n");
    for rule in RULE_NAMES {
        let Some(toml::Value::Table(params)) = defaults.get(rule) else {
            continue;
        };
        for name in Rules::parameter_names(rule) {
            let Some(value) = params.get(&name) else {
                continue;
            };
            let (kind, default, allowed) = match value {
                toml::Value::Boolean(b) => ("boolean", b.to_string(), "true or false".to_string()),
                toml::Value::Integer(i) => {
                    let (lo, hi) = Rules::range(rule, &name);
                    ("whole number", i.to_string(), format!("{lo} to {hi}"))
                }
                toml::Value::Float(x) => {
                    let (lo, hi) = Rules::range(rule, &name);
                    ("number", format!("{x}"), format!("{lo} to {hi}"))
                }
                toml::Value::String(v) => ("name", format!("`\"{v}\"`"), names(rule, &name)),
                toml::Value::Array(items) => (
                    "list of names",
                    format!(
                        "`[{}]`",
                        items
                            .iter()
                            .map(|i| i.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    names(rule, &name),
                ),
                _ => ("", String::new(), String::new()),
            };
            out.push_str(&format!(
                "| `rules.{rule}.{name}` | {kind} | {default} | {allowed} |\n"
            ));
        }
    }
    out
}

/// A rule parameter's default value as a number (`rules.leadership.siege` is 0.5); `None`
/// for any other key, and for a parameter that is not a number.
pub fn rule_default(path: &str) -> Option<f64> {
    let ["rules", rule, parameter] = path.split('.').collect::<Vec<_>>()[..] else {
        return None;
    };
    let defaults = toml::Table::try_from(Rules::default()).ok()?;
    match defaults.get(rule)?.get(parameter)? {
        toml::Value::Float(x) => Some(*x),
        toml::Value::Integer(i) => Some(*i as f64),
        _ => None,
    }
}

/// Every key whose value is a number: every rule parameter that is one, and the numbers of
/// `[population]` (a class's share, legitimacy and hardship included). What a claim map may
/// vary.
pub fn number_keys() -> Vec<String> {
    let mut keys: Vec<String> = [
        "agents",
        "urban_localities",
        "rural_localities",
        "workplaces",
        "mean_degree",
        "cross_ties",
    ]
    .iter()
    .map(|k| format!("population.{k}"))
    .collect();
    for table in ["classes", "legitimacy", "hardship"] {
        for c in CLASSES {
            keys.push(format!("population.{table}.{c}"));
        }
    }
    for rule in RULE_NAMES {
        for p in Rules::parameter_names(rule) {
            let key = format!("rules.{rule}.{p}");
            if rule_default(&key).is_some() {
                keys.push(key);
            }
        }
    }
    keys
}

fn names(rule: &str, name: &str) -> String {
    parameter_names(rule, name).map_or(String::new(), |names| {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    })
}

/// The table of every decision (its key under `[decisions]`, what it does, and what a
/// `decide` event's `target` and `level` mean for it), as Markdown, generated from
/// [`Decision`] so that `docs/scenarios.md` cannot drift from the code (a test compares
/// them).
pub fn decision_table() -> String {
    let mut out = String::from(
        "| key | what the leadership does | `target` of a `decide` event | `level` of a `decide` event |\n|---|---|---|---|\n",
    );
    for d in Decision::ALL {
        let target = match d.target_kind() {
            TargetKind::None => "none",
            TargetKind::Party => "a party other than the ruling one",
            TargetKind::Faction => "a faction a `faction` event seeds",
            TargetKind::Purge => "`critics` or `careerists`",
            TargetKind::Police => "a police target group (`rules.repression.targets`)",
        };
        let level = match d.level_meaning() {
            Some((meaning, lo, hi)) => format!("{lo} to {hi}: {meaning} (optional)"),
            None => "none".to_string(),
        };
        out.push_str(&format!(
            "| `decisions.{}` | {} | {target} | {level} |\n",
            d.name(),
            d.meaning()
        ));
    }
    out
}

/// The values written as arrays of a fixed length: a platform is `[authority, property]`,
/// and each point of a dated series `[date, value]`. serde reads the first two items of a
/// longer array and drops the rest without a word, and stops at a shorter one; so every such
/// array of another length is reported here, at the array, and cut or padded to its length
/// (the stand-ins carry the array's place, so what later checks say of them is dropped as
/// an echo of this report), and the checks after it still run.
pub fn check_fixed_lengths(doc: &mut DeTable, map: &SourceMap, found: &mut Vec<Diagnostic>) {
    if let Some(parties) = doc.get_mut("parties").map(Spanned::get_mut)
        && let DeValue::Table(parties) = parties
    {
        for (name, party) in parties.iter_mut() {
            let key = format!("parties.{}.platform", name.get_ref());
            if let DeValue::Table(party) = party.get_mut()
                && let Some(platform) = party.get_mut("platform")
            {
                fix_length(platform, &key, PLATFORM, map, found);
            }
        }
    }
    if let Some(events) = doc.get_mut("events").map(Spanned::get_mut)
        && let DeValue::Array(events) = events
    {
        for (k, event) in events.iter_mut().enumerate() {
            if let DeValue::Table(event) = event.get_mut()
                && let Some(platform) = event.get_mut("platform")
            {
                fix_length(
                    platform,
                    &format!("events[{k}].platform"),
                    PLATFORM,
                    map,
                    found,
                );
            }
        }
    }
    for (table, names) in [
        ("environment", &SERIES_NAMES[..]),
        ("reference", &["cop_density", "legitimacy"][..]),
    ] {
        let Some(DeValue::Table(table_value)) = doc.get_mut(table).map(Spanned::get_mut) else {
            continue;
        };
        for name in names {
            let Some(series) = table_value.get_mut(*name) else {
                continue;
            };
            let key = format!("{table}.{name}");
            if let DeValue::Array(points) = series.get_mut() {
                for point in points.iter_mut() {
                    fix_length(point, &key, SERIES_POINT, map, found);
                }
            }
        }
    }
}

/// A platform: two numbers, with what they mean and a stand-in for a missing one.
const PLATFORM: Shape = Shape {
    what: "2 numbers, [authority, property]",
    stand_ins: &["0.5", "0.5"],
};

/// A point of a dated series: a date and a value.
const SERIES_POINT: Shape = Shape {
    what: "a date and a value, [\"1918-05\", 0.8]",
    stand_ins: &["\"1917-11\"", "0.0"],
};

/// What a fixed-length array holds.
struct Shape {
    what: &'static str,
    stand_ins: &'static [&'static str],
}

/// Reports an array of the wrong length at `value`, and cuts or pads it to its length.
fn fix_length(
    value: &mut Spanned<DeValue>,
    key: &str,
    shape: Shape,
    map: &SourceMap,
    found: &mut Vec<Diagnostic>,
) {
    let span = value.span();
    let DeValue::Array(items) = value.get_mut() else {
        return;
    };
    let wanted = shape.stand_ins.len();
    if items.len() == wanted {
        return;
    }
    found.push(map.diagnostic(
        Some(span.clone()),
        Some(key),
        format!(
            "expected {}; found {} item{}",
            shape.what,
            items.len(),
            if items.len() == 1 { "" } else { "s" }
        ),
    ));
    let all = std::mem::replace(items, std::iter::empty().collect());
    *items = all.into_iter().take(wanted).collect();
    for literal in &shape.stand_ins[items.len()..] {
        if let Ok(stand_in) = DeValue::parse(literal) {
            items.push(Spanned::new(span.clone(), stand_in.into_inner()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fields serde expects in a table, read from its "unknown field" error.
    fn serde_fields(toml_text: &str) -> Vec<String> {
        let err = match toml::from_str::<super::super::ScenarioFile>(toml_text) {
            Ok(_) => panic!("the probe key was accepted"),
            Err(e) => e.message().to_string(),
        };
        let tail = err
            .split("expected ")
            .nth(1)
            .unwrap_or_else(|| panic!("{err}"));
        tail.split('`')
            .enumerate()
            .filter(|(k, _)| k % 2 == 1)
            .map(|(_, s)| s.to_string())
            .collect()
    }

    const BASE: &str =
        "name = \"x\"\ndescription = \"x\"\nstart = \"1917-11\"\nend = \"1918-01\"\n";

    fn sorted(v: impl IntoIterator<Item = String>) -> Vec<String> {
        let mut v: Vec<String> = v.into_iter().collect();
        v.sort();
        v
    }

    #[test]
    fn the_key_lists_are_the_ones_serde_accepts() {
        let own = |k: &[&str]| sorted(k.iter().map(|s| s.to_string()));
        assert_eq!(sorted(serde_fields(&format!("{BASE}zzz = 1\n"))), own(&TOP));
        assert_eq!(
            sorted(serde_fields(&format!("{BASE}[population]\nzzz = 1\n"))),
            own(&POPULATION)
        );
        assert_eq!(
            sorted(serde_fields(&format!(
                "{BASE}[population]\nclasses = {{ zzz = 1 }}\n"
            ))),
            own(&CLASSES)
        );
        assert_eq!(
            sorted(serde_fields(&format!("{BASE}[environment]\nzzz = 1\n"))),
            own(&SERIES_NAMES)
        );
        assert_eq!(
            sorted(serde_fields(&format!(
                "{BASE}[parties.p]\nplatform = [0.5, 0.5]\nzzz = 1\n"
            ))),
            own(&PARTY)
        );
        assert_eq!(
            sorted(serde_fields(&format!(
                "{BASE}[[events]]\ndate = \"1917-12\"\naction = \"set\"\nzzz = 1\n"
            ))),
            own(&EVENT)
        );
        assert_eq!(
            sorted(serde_fields(&format!("{BASE}[rules]\nzzz = 1\n"))),
            own(&RULE_NAMES)
        );
        for rule in RULE_NAMES {
            assert_eq!(
                sorted(serde_fields(&format!("{BASE}[rules.{rule}]\nzzz = 1\n"))),
                sorted(Rules::parameter_names(rule)),
                "{rule}"
            );
        }
        let opinion = "authority = 0.5, property = 0.5";
        assert_eq!(
            sorted(serde_fields(&format!(
                "{BASE}[population.opinion]\nworker = {{ {opinion}, zzz = 1 }}\n"
            ))),
            own(&OPINION)
        );
    }

    #[test]
    fn every_named_parameter_lists_the_names_serde_accepts() {
        let defaults = toml::Table::try_from(Rules::default()).unwrap();
        for rule in RULE_NAMES {
            let toml::Value::Table(params) = &defaults[rule] else {
                panic!()
            };
            for (name, value) in params {
                let named = matches!(value, toml::Value::String(_) | toml::Value::Array(_));
                assert_eq!(
                    parameter_names(rule, name).is_some(),
                    named,
                    "{rule}.{name}"
                );
                if let Some(names) = parameter_names(rule, name) {
                    let probe = if matches!(value, toml::Value::Array(_)) {
                        format!("{BASE}[rules.{rule}]\n{name} = [\"zzz\"]\n")
                    } else {
                        format!("{BASE}[rules.{rule}]\n{name} = \"zzz\"\n")
                    };
                    assert_eq!(
                        sorted(serde_fields(&probe)),
                        sorted(names.iter().map(|s| s.to_string())),
                        "{rule}.{name}"
                    );
                }
            }
        }
    }

    const DOC: &str = include_str!("../../docs/scenarios.md");
    const BEGIN: &str = "<!-- rule parameter table: generated from the code; `SOVSIM_BLESS=1 cargo test` rewrites it -->\n";
    const END: &str = "<!-- end of rule parameter table -->";

    /// The part of docs/scenarios.md between `begin` and `end` is `generated`; with
    /// `SOVSIM_BLESS` set, it is rewritten to be.
    fn check_generated(begin: &str, end: &str, generated: &str) {
        let start = DOC.find(begin).expect("begin marker") + begin.len();
        let stop = DOC.find(end).expect("end marker");
        if std::env::var_os("SOVSIM_BLESS").is_some() && DOC[start..stop] != *generated {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/scenarios.md");
            // Read again: the other generated table's test may have rewritten the file.
            let doc = std::fs::read_to_string(path).unwrap();
            let start = doc.find(begin).unwrap() + begin.len();
            let stop = doc.find(end).unwrap();
            let text = format!("{}{}{}", &doc[..start], generated, &doc[stop..]);
            std::fs::write(path, text).unwrap();
            return;
        }
        assert_eq!(
            DOC[start..stop],
            *generated,
            "run SOVSIM_BLESS=1 cargo test to update"
        );
    }

    #[test]
    fn the_rule_parameter_table_in_the_docs_is_the_generated_one() {
        check_generated(BEGIN, END, &rule_parameter_table());
    }

    const DECISIONS_BEGIN: &str = "<!-- decision table: generated from the code; `SOVSIM_BLESS=1 cargo test` rewrites it -->\n";
    const DECISIONS_END: &str = "<!-- end of decision table -->";

    #[test]
    fn the_decision_table_in_the_docs_is_the_generated_one() {
        check_generated(DECISIONS_BEGIN, DECISIONS_END, &decision_table());
    }

    #[test]
    fn the_docs_list_every_accepted_key_and_no_other() {
        let listing = &DOC[DOC.find("## Every key").expect("an \"Every key\" section")..];
        // The first column of every table headed `| key |`.
        let mut documented: Vec<String> = Vec::new();
        let mut in_key_table = false;
        for line in listing.lines() {
            if !line.starts_with('|') {
                in_key_table = false;
            } else if line.starts_with("| key |") {
                in_key_table = true;
            } else if in_key_table && let Some(rest) = line.strip_prefix("| `") {
                documented.extend(rest.split('`').next().map(str::to_string));
            }
        }
        documented.sort();
        documented.dedup();
        assert_eq!(documented, sorted(accepted_keys()));
    }

    #[test]
    fn accepted_keys_are_unique() {
        let keys = accepted_keys();
        assert_eq!(sorted(keys.clone()).len(), keys.len());
        let mut dedup = sorted(keys.clone());
        dedup.dedup();
        assert_eq!(dedup.len(), keys.len());
    }

    #[test]
    fn number_keys_are_accepted_keys_with_numbers_and_their_defaults() {
        let accepted = accepted_keys();
        let numbers = number_keys();
        for k in &numbers {
            assert!(accepted.contains(k), "{k}");
        }
        for k in [
            "rules.leadership.siege",
            "population.agents",
            "rules.repression.detection",
        ] {
            assert!(numbers.iter().any(|n| n == k), "{k}");
        }
        for k in [
            "rules.soviets.elections",
            "rules.leadership.enabled",
            "name",
            "seed",
        ] {
            assert!(!numbers.iter().any(|n| n == k), "{k}");
        }
        assert_eq!(rule_default("rules.leadership.doctrine"), Some(0.5));
        assert_eq!(rule_default("rules.soviets.elections"), None);
        assert_eq!(rule_default("population.agents"), None);
    }
}
