//! Scenario files: the schema ([`schema`]), the checks a file must pass ([`validate`]) and the
//! resolved [`Scenario`] the model is built from. Reading a file is the caller's job; this
//! module turns its text into a scenario or into every diagnostic it deserves.

mod decisions;
pub mod keys;
mod reference;
mod schema;
mod validate;
mod view;

pub use crate::format::{Diagnostic, Diagnostics, SourceMap, TextIndex, suggest};
pub use schema::{
    DEFAULT_REPLICATES, DEFAULT_SEED, EnvironmentSpec, EventSpec, PartySpec, PopulationSpec,
    ScenarioFile,
};
pub use validate::DEFAULT_FACTION_SHARE;
pub use view::{DEFAULT_VIEW, ESSAYS, VIEWS_DIR, View, ViewRecord, viewed_name};

use std::collections::{BTreeMap, VecDeque};

use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::date::{Date, Precision};
use crate::format::{deserialize_with_defaults, parse_table};
use crate::limits;
use crate::metrics::METRIC_NAMES;
use crate::model::{Calendar, Environment, Event, PartySetup, Population, Rules, Setup, StepKind};

/// Most agents a scenario may ask for (about 2 GB of agent columns and ties per replicate).
pub const MAX_AGENTS: u32 = 10_000_000;

/// Most replicates a scenario may ask for.
pub const MAX_REPLICATES: u32 = 100_000;

/// Latest year a scenario may end in. The model is made for 1917-1930 and the reference
/// models' calendars run in 2000-2019; a later `end` is a slip (`9999-12` is 421,708 weekly
/// steps, a CPU hour a replicate), refused where it is written rather than run.
pub const LATEST_END_YEAR: i32 = 2100;

/// Longest chain of `extends` (a guard against runaway chains; cycles are caught directly).
pub const MAX_EXTENDS_DEPTH: usize = 16;

/// Finds the file a scenario extends: given the name of the file that says `extends` and the
/// value it gives, returns the parent's name (as it should appear in diagnostics) and text,
/// or why it cannot be read. The library never touches the file system itself.
pub type Resolver<'a> = dyn Fn(&str, &str) -> Result<(String, String), String> + 'a;

/// A checked scenario, ready to build worlds from.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    /// SHA-256 of the file's bytes (of every file of an `extends` chain, the file first,
    /// each followed by a zero byte), in hex.
    pub sha256: String,
    /// The file and the files it extends, the file first.
    pub files: Vec<String>,
    pub calendar: Calendar,
    pub seed: u64,
    pub replicates: u32,
    pub population: Population,
    pub environment: Environment,
    /// Parties in name order.
    pub parties: Vec<PartySetup>,
    pub ruling_party: u32,
    /// Rule parameters at the start.
    pub rules: Rules,
    /// Events sorted by step (stable: same-date events keep file order).
    pub events: Vec<Event>,
    /// How the scenario treats each of the leadership's decisions (`[decisions]`).
    pub decisions: crate::model::DecisionModes,
    /// The essay's view this scenario is run under (`--view`), if any: its mechanism
    /// strengths replace the scenario's, and its name is in the scenario's.
    pub view: Option<ViewRecord>,
    /// A published model run instead of the revolution model, if the file has a
    /// `[reference]` table.
    pub reference: Option<crate::reference::ReferenceModel>,
    /// The record of the shared history its runs are held to (`record`), if it names one.
    pub record: Option<RecordName>,
}

/// The record a scenario names (`record = "record/record.toml"`): the name as written and
/// the place of the key in the file that wrote it. The library reads no files, so the
/// binary reads and checks the record, and reports what is wrong with it here, at the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordName {
    /// As written: relative to the folder of [`RecordName::file`].
    pub written: String,
    /// The key's place, with no message yet.
    at: Diagnostic,
}

impl RecordName {
    pub(crate) fn new(written: String, at: Diagnostic) -> RecordName {
        RecordName { written, at }
    }

    /// The file that names the record (a parent's, when the key is inherited).
    pub fn file(&self) -> &str {
        &self.at.file
    }

    /// A diagnostic at the `record` key.
    pub fn diagnostic(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            message: message.into(),
            ..self.at.clone()
        }
    }
}

impl Scenario {
    /// Parses and checks a scenario's text; `file` names it in diagnostics. A scenario that
    /// `extends` another cannot be read this way (there is nothing to find the parent with):
    /// use [`Scenario::parse_with`].
    pub fn parse(text: &str, file: &str) -> Result<Scenario, Diagnostics> {
        Scenario::parse_with(text, file, &|_, parent| {
            Err(format!("no parent files can be read here (`{parent}`)"))
        })
    }

    /// Parses and checks a scenario's text, following `extends` through `resolve`.
    pub fn parse_with(text: &str, file: &str, resolve: &Resolver) -> Result<Scenario, Diagnostics> {
        Scenario::parse_varied(text, file, resolve, None)
    }

    /// [`Scenario::parse_with`], then `variation` merged over the result as if it were one
    /// more file extending the scenario: a TOML text (`[rules.opinion]\nconfidence = 0.25`)
    /// and the name it is shown under in diagnostics and in [`Scenario::files`]. It is checked
    /// like a file, counts in the hash, and keeps the scenario's name. Sensitivity analysis
    /// and sweeps make their variants this way, so a variant is exactly the scenario a user
    /// would get by writing the child file.
    pub fn parse_varied(
        text: &str,
        file: &str,
        resolve: &Resolver,
        variation: Option<(&str, &str)>,
    ) -> Result<Scenario, Diagnostics> {
        Scenario::parse_layered(text, file, resolve, variation.as_slice())
    }

    /// [`Scenario::parse_varied`] under an essay's view ([`View`]), if one is given: the
    /// view's mechanism strengths are merged over the scenario (before the variation) as
    /// one more file would be, so they count in the hash, and the scenario is renamed
    /// [`viewed_name`] so that its runs never share a folder with the scenario's own.
    pub fn parse_viewed(
        text: &str,
        file: &str,
        resolve: &Resolver,
        view: Option<&View>,
        variation: Option<(&str, &str)>,
    ) -> Result<Scenario, Diagnostics> {
        let Some(view) = view else {
            return Scenario::parse_varied(text, file, resolve, variation);
        };
        let (label, toml) = view.layer();
        let mut layers = vec![(label.as_str(), toml.as_str())];
        layers.extend(variation);
        let mut scenario = Scenario::parse_layered(text, file, resolve, &layers)?;
        scenario.name = viewed_name(&scenario.name, &view.name);
        scenario.view = Some(view.record());
        Ok(scenario)
    }

    /// The scenario with `layers` merged over it in order, each as if it were one more file
    /// extending the one before: a label (shown in diagnostics and [`Scenario::files`]) and
    /// a TOML text.
    fn parse_layered(
        text: &str,
        file: &str,
        resolve: &Resolver,
        layers: &[(&str, &str)],
    ) -> Result<Scenario, Diagnostics> {
        let mut map = chain(text, file, resolve)?;
        let files = map.len();
        for (label, toml) in layers {
            map.push(label, toml);
        }
        let padded: Vec<String> = (0..map.len()).map(|k| map.padded(k)).collect();
        let mut found = Vec::new();
        if files > 1 {
            // The child must name itself: the name is its output folder.
            let own = DeTable::parse(&padded[0]).ok();
            for (key, why) in [
                ("name", "it names the output folder"),
                ("description", "it says what this scenario changes"),
            ] {
                if own.as_ref().is_some_and(|d| d.get_ref().get(key).is_none()) {
                    found.push(map.diagnostic(
                        None,
                        Some(key),
                        format!(
                            "a scenario that extends another needs a `{key}` of its own ({why})"
                        ),
                    ));
                }
            }
        }
        let mut merged = merge_chain(&map, files, &padded, &mut found)?;
        // Every unknown key at once; the rest of the file is still checked without them.
        keys::remove_unknown(merged.get_mut(), &map, &mut found);
        keys::check_fixed_lengths(merged.get_mut(), &map, &mut found);
        // Sizes are priced over the calendar of the dates as written.
        let calendar = calendar_of(merged.get_ref());
        let too_large =
            |key: &str, found: i128, _most: u64| too_large(calendar.as_ref(), key, found);
        let Some(raw) = deserialize_with_defaults::<ScenarioFile>(
            &mut merged,
            &map,
            &mut found,
            &too_large,
            &schema::default_of,
        ) else {
            return Err(Diagnostics::new(found));
        };
        let mut scenario = match validate::resolve(&raw, &map, merged) {
            Ok(s) if found.is_empty() => s,
            Ok(_) => return Err(in_order(found, &map)),
            Err(Diagnostics(more)) => {
                found.extend(more);
                return Err(in_order(found, &map));
            }
        };
        // The hash covers every file of the chain, the file itself first.
        let mut bytes = Vec::new();
        for k in 0..map.len() {
            bytes.extend_from_slice(map.text(k).as_bytes());
            bytes.push(0);
        }
        scenario.sha256 = hex_sha256(if map.len() == 1 {
            text.as_bytes()
        } else {
            &bytes
        });
        scenario.files = (0..map.len()).map(|k| map.file(k).to_string()).collect();
        Ok(scenario)
    }

    /// What the model builds a world from: the scenario without its name, files, seed and
    /// replicates.
    pub fn setup(&self) -> Setup<'_> {
        Setup {
            calendar: self.calendar,
            population: &self.population,
            environment: &self.environment,
            parties: &self.parties,
            ruling_party: self.ruling_party,
            rules: &self.rules,
            events: &self.events,
            decisions: self.decisions,
        }
    }

    /// Number of steps.
    pub fn steps(&self) -> u32 {
        self.calendar.steps
    }

    /// Number of agents.
    pub fn agents(&self) -> u32 {
        use crate::reference::ReferenceModel;
        match &self.reference {
            Some(ReferenceModel::Epstein(c)) => {
                let cells = (c.width * c.height) as f64;
                let cops = c
                    .cop_density
                    .at(0.0, crate::reference::EPSTEIN_DEFAULT_COP_DENSITY);
                ((c.citizen_density * cells).round() + (cops * cells).round()) as u32
            }
            Some(ReferenceModel::Granovetter(c)) => c.thresholds.len() as u32,
            _ => self.population.agents,
        }
    }

    /// The names of the metrics this scenario records, in column order: the twenty-three of the
    /// revolution model, or a reference model's own.
    pub fn metric_names(&self) -> &'static [&'static str] {
        match &self.reference {
            Some(r) => r.kind().metric_names(),
            None => &crate::metrics::METRIC_NAMES,
        }
    }
}

/// The files of `map` merged: from the first ancestor down to the file itself (the first
/// `files` entries), each overriding what it inherits; a variation after them, if any,
/// comes last.
fn merge_chain<'a>(
    map: &SourceMap,
    files: usize,
    padded: &'a [String],
    found: &mut Vec<Diagnostic>,
) -> Result<Spanned<DeTable<'a>>, Diagnostics> {
    let mut merged: Option<Spanned<DeTable>> = None;
    for k in (0..files).rev().chain(files..map.len()) {
        let doc = parse_table(&padded[k], map)?;
        merged = Some(match merged {
            None => doc,
            Some(mut base) => {
                merge_tables(base.get_mut(), doc.into_inner(), map, found);
                base
            }
        });
    }
    merged.ok_or_else(|| Diagnostics(vec![map.diagnostic(None, None, "empty scenario")]))
}

/// The document of a scenario and the files it extends, merged exactly as the parser merges
/// them, as plain TOML (only what the file says: defaults are not filled in). For tools that
/// describe a scenario, such as `sovsim explain`; it checks nothing beyond the merge.
pub fn merged_document(
    text: &str,
    file: &str,
    resolve: &Resolver,
) -> Result<toml::Table, Diagnostics> {
    let map = chain(text, file, resolve)?;
    let padded: Vec<String> = (0..map.len()).map(|k| map.padded(k)).collect();
    let mut found = Vec::new();
    let merged = merge_chain(&map, map.len(), &padded, &mut found)?;
    if !found.is_empty() {
        return Err(Diagnostics::new(found));
    }
    toml::Table::deserialize(toml::de::Deserializer::from(merged))
        .map_err(|e| Diagnostics(vec![map.diagnostic(e.span(), None, e.message().trim())]))
}

/// SHA-256 of some bytes, as lowercase hex.
pub fn hex_sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A size its type cannot hold (too large, or a negative count), worded with the scenario's own limit and, for agents and
/// replicates, the memory or disk a run of that size would need (the estimates of
/// [`limits`], over the calendar the file's dates make, when they make one); a rule
/// parameter with its own range.
fn too_large(calendar: Option<&Calendar>, key: &str, found: i128) -> Option<String> {
    let rows = calendar.map(|c| f64::from(c.steps) * METRIC_NAMES.len() as f64);
    match key {
        "population.agents" if found < 1 => {
            Some(format!("expected 1 to {MAX_AGENTS} agents, found {found}"))
        }
        "replicates" if found < 1 => Some(format!("expected 1 to {MAX_REPLICATES}, found {found}")),
        "population.agents" => Some(format!(
            "expected 1 to {MAX_AGENTS} agents, found {found}, which would need about {} of memory for each replicate in flight",
            limits::bytes(limits::replicate_memory(found as f64, rows.unwrap_or(0.0)))
        )),
        "replicates" => Some(match rows {
            Some(rows) => format!(
                "expected 1 to {MAX_REPLICATES}, found {found}, which would write about {} of results ({} steps each)",
                limits::bytes(limits::disk(found as f64, rows, METRIC_NAMES.len())),
                rows / METRIC_NAMES.len() as f64
            ),
            None => format!("expected 1 to {MAX_REPLICATES}, found {found}"),
        }),
        // A rule parameter has its own range, far inside its type's: name that one, as the
        // range check does for numbers the type can hold.
        _ => {
            let (rule, parameter) = key.strip_prefix("rules.")?.split_once('.')?;
            let (lo, hi) = Rules::range(rule, parameter);
            Some(format!(
                "expected a number from {lo} to {hi}, found {found}"
            ))
        }
    }
}

/// The calendar of a document's `start`, `end` and `step`, if they are well formed.
fn calendar_of(doc: &DeTable) -> Option<Calendar> {
    let date = |key: &str| match doc.get(key)?.get_ref() {
        DeValue::String(text) => Date::parse(text).ok(),
        _ => None,
    };
    let (start, _) = date("start")?;
    let end = match date("end")? {
        (d, Precision::Month) => d.end_of_month(),
        (d, Precision::Day) => d,
    };
    let step = match doc.get("step").map(|s| s.get_ref()) {
        None => StepKind::default(),
        Some(DeValue::String(text)) => {
            StepKind::deserialize(toml::Value::String(text.to_string())).ok()?
        }
        Some(_) => return None,
    };
    (start <= end).then(|| Calendar::new(start, end, step))
}

/// Every problem of a chain in the order of its files (the child first), and in each file
/// in the order of its text, one per value.
fn in_order(mut found: Vec<Diagnostic>, map: &SourceMap) -> Diagnostics {
    let order = |file: &str| (0..map.len()).position(|k| map.file(k) == file);
    found.sort_by_key(|d| (order(&d.file), d.line, d.column));
    Diagnostics::new(found)
}

/// The file and every file it extends, following `extends` until a file has none.
fn chain(text: &str, file: &str, resolve: &Resolver) -> Result<SourceMap, Diagnostics> {
    let mut map = SourceMap::default();
    map.push(file, text);
    loop {
        let k = map.len() - 1;
        let padded = map.padded(k);
        let doc = parse_table(&padded, &map)?;
        let Some(extends) = doc.get_ref().get("extends") else {
            return Ok(map);
        };
        let fail = |message: String| {
            Diagnostics(vec![map.diagnostic(
                Some(extends.span()),
                Some("extends"),
                message,
            )])
        };
        let DeValue::String(parent) = extends.get_ref() else {
            return Err(fail(
                "expected the name of a scenario file, as a string".to_string(),
            ));
        };
        let (parent_file, parent_text) = resolve(map.file(k), parent)
            .map_err(|why| fail(format!("cannot read the scenario `{parent}`: {why}")))?;
        if let Some(seen) = (0..map.len()).find(|&j| map.file(j) == parent_file) {
            let mut cycle: Vec<&str> = (seen..map.len()).map(|j| map.file(j)).collect();
            cycle.push(&parent_file);
            return Err(fail(format!(
                "`extends` goes round in a cycle: {}",
                cycle.join(" -> ")
            )));
        }
        if map.len() >= MAX_EXTENDS_DEPTH {
            return Err(fail(format!(
                "more than {MAX_EXTENDS_DEPTH} files extend one another"
            )));
        }
        // A parent that is not TOML at all (a CSV, a README) is the child's mistake: say
        // so at `extends` rather than quoting the other file's first line.
        let mut probe = SourceMap::default();
        probe.push(&parent_file, &parent_text);
        if let Err(Diagnostics(problems)) = parse_table(&parent_text, &probe)
            && let Some(first) = problems.first()
        {
            return Err(fail(format!(
                "`{parent}` is not a scenario file: it does not read as TOML ({}, at line {}, column {} of {parent_file})",
                first.message, first.line, first.column
            )));
        }
        map.push(&parent_file, &parent_text);
    }
}

/// Merges `over` into `base` key by key: tables merge, other values replace. `[[events]]`
/// are added to the parent's; an event whose `id` is the parent's replaces it, and one with
/// `remove = true` removes it.
fn merge_tables<'i>(
    base: &mut DeTable<'i>,
    over: DeTable<'i>,
    map: &SourceMap,
    found: &mut Vec<Diagnostic>,
) {
    for (key, value) in over {
        let name = key.get_ref().to_string();
        if name == "events" {
            merge_events(base, key, value, map, found);
            continue;
        }
        match (base.get_mut(name.as_str()), value.get_ref()) {
            (Some(existing), DeValue::Table(_))
                if matches!(existing.get_ref(), DeValue::Table(_)) =>
            {
                let DeValue::Table(inner) = value.into_inner() else {
                    continue;
                };
                if let DeValue::Table(target) = existing.get_mut() {
                    merge_tables(target, inner, map, found);
                }
            }
            _ => {
                base.remove(name.as_str());
                base.insert(key, value);
            }
        }
    }
}

/// The `id` of an event table, if it has one.
fn event_id<'a>(event: &'a Spanned<DeValue>) -> Option<&'a Spanned<DeValue<'a>>> {
    match event.get_ref() {
        DeValue::Table(t) => t.get("id"),
        _ => None,
    }
}

fn id_text(value: &Spanned<DeValue>) -> Option<String> {
    match value.get_ref() {
        DeValue::String(s) => Some(s.to_string()),
        _ => None,
    }
}

fn merge_events<'i>(
    base: &mut DeTable<'i>,
    key: Spanned<toml::de::DeString<'i>>,
    value: Spanned<DeValue<'i>>,
    map: &SourceMap,
    found: &mut Vec<Diagnostic>,
) {
    let span = value.span();
    let DeValue::Array(added) = value.into_inner() else {
        found.push(map.diagnostic(Some(span), Some("events"), "expected `[[events]]` tables"));
        return;
    };
    // Removed events become `None` until the end; `by_id` holds each id's live positions in
    // order, so that finding an event is a lookup, not a scan (a file with tens of
    // thousands of events made the scan quadratic).
    let mut events: Vec<Option<Spanned<DeValue<'i>>>> = match base.remove("events") {
        Some(existing) => match existing.into_inner() {
            DeValue::Array(a) => a.into_iter().map(Some).collect(),
            _ => Vec::new(),
        },
        None => Vec::new(),
    };
    let mut by_id: BTreeMap<String, VecDeque<usize>> = BTreeMap::new();
    for (k, event) in events.iter().enumerate() {
        if let Some(id) = event.as_ref().and_then(event_id).and_then(id_text) {
            by_id.entry(id).or_default().push_back(k);
        }
    }
    for event in added {
        let id = event_id(&event).and_then(id_text);
        let removes = match event.get_ref() {
            DeValue::Table(t) => t
                .get("remove")
                .map(|r| (r.span(), matches!(r.get_ref(), DeValue::Boolean(true)))),
            _ => None,
        };
        let positions = id.as_ref().and_then(|id| by_id.get_mut(id.as_str()));
        let position = positions.as_ref().and_then(|p| p.front().copied());
        match (removes, position) {
            (Some((_, true)), Some(k)) => {
                events[k] = None;
                if let Some(positions) = positions {
                    positions.pop_front();
                }
            }
            (Some((span, true)), None) => found.push(
                map.diagnostic(
                    Some(span),
                    Some("events.remove"),
                    match &id {
                        Some(id) => format!(
                            "no inherited event has the id `{id}`, so there is nothing to remove"
                        ),
                        None => "`remove = true` needs the `id` of the inherited event to remove"
                            .to_string(),
                    },
                ),
            ),
            (_, Some(k)) => events[k] = Some(event),
            (_, None) => {
                if let Some(id) = id {
                    by_id.entry(id).or_default().push_back(events.len());
                }
                events.push(Some(event));
            }
        }
    }
    base.insert(
        key,
        Spanned::new(span, DeValue::Array(events.into_iter().flatten().collect())),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARENT: &str = r#"name = "base"
description = "base"
start = "1917-11"
end = "1918-12"
[parties.bolsheviks]
platform = [0.6, 0.1]
members = 0.05
ruling = true
[rules.repression]
capacity = 2.0
[[events]]
id = "a"
date = "1918-02"
action = "concession"
level = 0.5
[[events]]
id = "b"
date = "1918-03"
action = "concession"
level = 0.6
"#;

    fn files(extra: &[(&str, &str)]) -> impl Fn(&str, &str) -> Result<(String, String), String> {
        let mut all: Vec<(String, String)> = vec![("base.toml".into(), PARENT.into())];
        all.extend(extra.iter().map(|(n, t)| (n.to_string(), t.to_string())));
        move |_, name| {
            all.iter()
                .find(|(n, _)| n == name)
                .cloned()
                .ok_or_else(|| "no such file".to_string())
        }
    }

    fn child(body: &str) -> String {
        format!("extends = \"base.toml\"\nname = \"child\"\ndescription = \"c\"\n{body}")
    }

    /// The levels of a scenario's events, all concessions in these tests.
    fn concession_levels(s: &Scenario) -> Vec<f64> {
        s.events
            .iter()
            .map(|e| match e.action {
                crate::model::Action::Concession { level } => level,
                _ => panic!("only concessions here"),
            })
            .collect()
    }

    /// `record` is kept as written with the place of the key in the file that wrote it, so
    /// that an inherited record is found beside the parent and its problems reported there.
    #[test]
    fn the_record_is_named_by_the_file_that_writes_it_and_inherited() {
        let parent = format!("record = \"record/record.toml\"\n{PARENT}");
        let resolve = |_: &str, name: &str| -> Result<(String, String), String> {
            (name == "base.toml")
                .then(|| ("lib/base.toml".to_string(), parent.clone()))
                .ok_or_else(|| "no such file".to_string())
        };
        let s = Scenario::parse_with(&child(""), "child.toml", &resolve).unwrap();
        let named = s.record.expect("inherited");
        assert_eq!(named.written, "record/record.toml");
        assert_eq!(named.file(), "lib/base.toml");
        let d = named.diagnostic("cannot read");
        assert_eq!(
            (d.line, d.column, d.key.as_deref()),
            (1, 10, Some("record"))
        );
        // The child's own key replaces the parent's, and is read beside the child.
        let own = child("record = \"mine.toml\"\n");
        let s = Scenario::parse_with(&own, "child.toml", &resolve).unwrap();
        let named = s.record.unwrap();
        assert_eq!(
            (named.written.as_str(), named.file()),
            ("mine.toml", "child.toml")
        );
        assert!(
            Scenario::parse(PARENT, "base.toml")
                .unwrap()
                .record
                .is_none()
        );
        // An empty name, and a reference model (which has none of the record's metrics),
        // are refused at the key.
        for (text, needle) in [
            (format!("record = \"\"\n{PARENT}"), "expected the record's file name"),
            (
                "record = \"r.toml\"\nname = \"g\"\ndescription = \"g\"\nstart = \"2000-01\"\nend = \"2000-12\"\nstep = \"month\"\n[reference]\nmodel = \"granovetter\"\nthresholds = [0, 1, 2]\n".to_string(),
                "a reference model cannot be held to the record",
            ),
        ] {
            let e = Scenario::parse(&text, "r.toml").unwrap_err();
            assert!(
                e.0.iter().any(|d| d.key.as_deref() == Some("record")
                    && d.line == 1
                    && d.message.contains(needle)),
                "{e}"
            );
        }
    }

    #[test]
    fn a_child_changes_only_what_it_says() {
        let text = child(
            "[rules.repression]\njail_max_weeks = 10\n[[events]]\nid = \"a\"\nremove = true\n[[events]]\nid = \"c\"\ndate = \"1918-04\"\naction = \"concession\"\nlevel = 0.9\n",
        );
        let s = Scenario::parse_with(&text, "child.toml", &files(&[])).unwrap();
        assert_eq!(s.name, "child");
        assert_eq!(s.rules.repression.capacity, 2.0, "inherited");
        assert_eq!(s.rules.repression.jail_max_weeks, 10, "changed");
        let levels = concession_levels(&s);
        assert_eq!(levels, vec![0.6, 0.9], "a removed, b kept, c added");
        assert_eq!(s.files, vec!["child.toml", "base.toml"]);
    }

    #[test]
    fn an_event_with_an_inherited_id_replaces_it() {
        let text = child(
            "[[events]]\nid = \"b\"\ndate = \"1918-05\"\naction = \"concession\"\nlevel = 0.1\n",
        );
        let s = Scenario::parse_with(&text, "child.toml", &files(&[])).unwrap();
        assert_eq!(s.events.len(), 2);
        assert!(
            matches!(s.events[1].action, crate::model::Action::Concession { level } if level == 0.1)
        );
    }

    /// Events merge by id in place: a removed id can be added again (at the end), a
    /// replacement keeps its parent's position, and a second removal of the same id finds
    /// nothing left to remove.
    #[test]
    fn events_merge_by_id_in_order() {
        let event = |id: &str, level: f64| {
            format!(
                "[[events]]\nid = \"{id}\"\ndate = \"1918-05\"\naction = \"concession\"\nlevel = {level}\n"
            )
        };
        let text = child(&format!(
            "[[events]]\nid = \"a\"\nremove = true\n{}{}{}",
            event("a", 0.3),
            event("b", 0.2),
            event("c", 0.4),
        ));
        let s = Scenario::parse_with(&text, "child.toml", &files(&[])).unwrap();
        let levels = concession_levels(&s);
        assert_eq!(
            levels,
            vec![0.2, 0.3, 0.4],
            "b replaced in place, a re-added, c added"
        );
        let twice =
            child("[[events]]\nid = \"a\"\nremove = true\n[[events]]\nid = \"a\"\nremove = true\n");
        let e = Scenario::parse_with(&twice, "child.toml", &files(&[])).unwrap_err();
        assert!(e.0[0].message.contains("nothing to remove"), "{e}");
        let dateless = child("[[events]]\nid = \"z\"\naction = \"concession\"\nlevel = 0.1\n");
        let e = Scenario::parse_with(&dateless, "child.toml", &files(&[])).unwrap_err();
        assert!(e.to_string().contains("missing key `date`"), "{e}");
    }

    #[test]
    fn errors_point_into_the_file_that_holds_the_value() {
        let broken_parent = PARENT.replace("capacity = 2.0", "capacity = -2.0");
        let text = child("[rules.repression]\njail_max_weeks = -1\n");
        let e = Scenario::parse_with(
            &text,
            "child.toml",
            &files(&[("broken.toml", &broken_parent)]),
        )
        .unwrap_err();
        assert_eq!(e.0[0].file, "child.toml");
        assert_eq!((e.0[0].line, e.0[0].column), (5, 18));
        let text = child("").replace("base.toml", "broken.toml");
        let e = Scenario::parse_with(
            &text,
            "child.toml",
            &files(&[("broken.toml", &broken_parent)]),
        )
        .unwrap_err();
        assert_eq!(e.0[0].file, "broken.toml");
        assert_eq!(e.0[0].line, 10);
        assert_eq!(e.0[0].key.as_deref(), Some("rules.repression.capacity"));
    }

    #[test]
    fn cycles_missing_parents_and_nameless_children_are_errors() {
        let a = "extends = \"b.toml\"\nname = \"a\"\ndescription = \"a\"\n";
        let b = "extends = \"a.toml\"\nname = \"b\"\ndescription = \"b\"\n";
        let e =
            Scenario::parse_with(a, "a.toml", &files(&[("a.toml", a), ("b.toml", b)])).unwrap_err();
        assert!(
            e.0[0].message.contains("cycle: a.toml -> b.toml -> a.toml"),
            "{}",
            e.0[0].message
        );
        let e = Scenario::parse_with(
            &child("").replace("base.toml", "nope.toml"),
            "c.toml",
            &files(&[]),
        )
        .unwrap_err();
        assert!(
            e.0[0]
                .message
                .contains("cannot read the scenario `nope.toml`")
        );
        assert_eq!(e.0[0].key.as_deref(), Some("extends"));
        let e =
            Scenario::parse_with("extends = \"base.toml\"\n", "c.toml", &files(&[])).unwrap_err();
        let keys: Vec<_> = e.0.iter().filter_map(|d| d.key.as_deref()).collect();
        assert!(
            keys.contains(&"name") && keys.contains(&"description"),
            "{keys:?}"
        );
        let e = Scenario::parse_with(
            &child("[[events]]\nid = \"zz\"\nremove = true\n"),
            "c.toml",
            &files(&[]),
        )
        .unwrap_err();
        assert!(
            e.0[0]
                .message
                .contains("no inherited event has the id `zz`")
        );
        // `remove` in a file that extends nothing is an error too.
        let e = Scenario::parse(
            &PARENT.replace("level = 0.5", "level = 0.5\nremove = true"),
            "p.toml",
        )
        .unwrap_err();
        assert!(e.0[0].message.contains("`remove` works only"));
    }

    #[test]
    fn every_unknown_key_is_reported_at_once_with_a_suggestion() {
        let text = PARENT
            .replace("members = 0.05", "membres = 0.05")
            .replace("capacity = 2.0", "capacty = 2.0")
            .replace("[[events]]\nid = \"a\"", "[[events]]\nidd = \"a\"");
        let e = Scenario::parse(&format!("sed = 4\n{text}"), "p.toml").unwrap_err();
        let keys: Vec<_> = e.0.iter().filter_map(|d| d.key.clone()).collect();
        for k in [
            "sed",
            "parties.bolsheviks.membres",
            "rules.repression.capacty",
            "events.idd",
        ] {
            assert!(keys.iter().any(|x| x == k), "{k} in {keys:?}");
        }
        let d =
            e.0.iter()
                .find(|d| d.key.as_deref() == Some("rules.repression.capacty"))
                .unwrap();
        assert!(
            d.message.contains("did you mean `capacity`"),
            "{}",
            d.message
        );
    }
}
