//! Every key a scenario file may hold, as data: the checker reports all unknown keys at once
//! (serde stops at the first), with a "did you mean"; the reference in `docs/scenarios.md`
//! is tested against [`accepted_keys`]; and a test probes serde itself so that these lists
//! cannot drift from the schema.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::SourceMap;
use super::validate::suggest;
use crate::model::SERIES_NAMES;
use crate::rules::{RULE_NAMES, Rules};

/// Top-level keys.
pub const TOP: [&str; 13] = [
    "extends",
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
];

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
pub const PARTY: [&str; 5] = ["platform", "status", "members", "ruling", "restoration"];

/// `[[events]]`.
pub const EVENT: [&str; 16] = [
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
        _ => Some(Vec::new()),
    }
}

/// Every key the parser accepts, dotted, with `<party>` for any party's name.
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
        for o in OPINION {
            keys.push(format!("population.opinion.{c}.{o}"));
        }
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
    keys
}

/// Finds every unknown key in the document, reports each with a suggestion, and removes it,
/// so that the rest of the file can still be checked.
pub fn remove_unknown(doc: &mut DeTable, map: &SourceMap, found: &mut Vec<super::Diagnostic>) {
    walk(doc, &mut Vec::new(), map, found);
}

fn walk(
    table: &mut DeTable,
    path: &mut Vec<String>,
    map: &SourceMap,
    found: &mut Vec<super::Diagnostic>,
) {
    let names: Vec<&str> = path.iter().map(String::as_str).collect();
    let allowed = allowed(&names);
    let keys: Vec<(String, Range<usize>)> = table
        .iter()
        .map(|(k, _)| (k.get_ref().to_string(), k.span()))
        .collect();
    for (key, span) in keys {
        if let Some(allowed) = &allowed
            && !allowed.contains(&key)
        {
            let dotted = path
                .iter()
                .cloned()
                .chain(std::iter::once(key.clone()))
                .collect::<Vec<_>>()
                .join(".");
            let expected = if allowed.is_empty() {
                "this table takes no keys".to_string()
            } else {
                format!("expected one of {}", allowed.join(", "))
            };
            found.push(map.diagnostic(
                Some(span),
                Some(&dotted),
                format!(
                    "unknown key `{key}`{}; {expected}",
                    suggest(&key, allowed.iter().map(String::as_str))
                ),
            ));
            table.remove(key.as_str());
            continue;
        }
        let Some(value) = table.get_mut(key.as_str()) else {
            continue;
        };
        path.push(key.clone());
        match value.get_mut() {
            DeValue::Table(inner) => walk(inner, path, map, found),
            DeValue::Array(items) if path.len() == 1 && key == "events" => {
                for item in items.iter_mut() {
                    if let DeValue::Table(inner) = item.get_mut() {
                        walk(inner, path, map, found);
                    }
                }
            }
            _ => {}
        }
        path.pop();
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
    fn accepted_keys_are_unique() {
        let keys = accepted_keys();
        assert_eq!(sorted(keys.clone()).len(), keys.len());
        let mut dedup = sorted(keys.clone());
        dedup.dedup();
        assert_eq!(dedup.len(), keys.len());
    }
}
