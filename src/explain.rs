//! `sovsim explain`: what a scenario assumes, in plain words for a teacher, generated from
//! the file: its changes against the scenario it extends, its dated events, and the rules
//! switched on. It says what the file sets and nothing more: no claim about history is made
//! here that the file does not make in its own notes.
//!
//! The labels of settings come from the parameter tables of `docs/model.md`, compiled in, so
//! that the words a teacher reads are the ones the model's documentation uses (a test checks
//! that every rule parameter has one); a parameter `docs/model.md` has no table row for yet
//! takes its meaning from the table of `docs/scenarios.md` that lists it (the leadership's).
//! No I/O: the caller reads the files.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use toml::{Table, Value};

use crate::date::Date;
use crate::format::show;
use crate::model::params::LeadershipParams;
use crate::model::{Decision, DecisionMode, StepKind};
use crate::rules::{RULE_NAMES, Rules};
use crate::scenario::{
    DEFAULT_FACTION_SHARE, DEFAULT_REPLICATES, DEFAULT_SEED, Diagnostic, Diagnostics, PartySpec,
    PopulationSpec, Resolver, Scenario,
};

/// The documentation the labels are read from.
const MODEL_DOC: &str = include_str!("../docs/model.md");

/// The file format's documentation, where the labels `docs/model.md` lacks are read from.
const SCENARIOS_DOC: &str = include_str!("../docs/scenarios.md");

/// The defaults of a party's fields other than its platform, read from the parser's own
/// (`PartySpec`): a party given only a platform.
fn party_defaults() -> Table {
    let mut fields = toml::from_str::<PartySpec>("platform = [0.0, 0.0]")
        .ok()
        .and_then(|spec| Table::try_from(spec).ok())
        .unwrap_or_default();
    fields.remove("platform");
    fields
}

/// Explains the scenario in `text` (named `file`, its parents found through `resolve`), or
/// returns every problem the file has, exactly as `sovsim validate` would.
pub fn explain(text: &str, file: &str, resolve: &Resolver) -> Result<String, Diagnostics> {
    let scenario = Scenario::parse_with(text, file, resolve)?;
    // The checks above passed, so the chain reads and parses; a failure here is reported
    // rather than assumed away.
    let fail = |why: String| Diagnostics(vec![Diagnostic::at(file, text, None, None, why)]);
    let merged = merged_chain(text, file, resolve).map_err(fail)?;
    let parent = match merged.get("extends") {
        Some(Value::String(extends)) => {
            let (parent_file, parent_text) = resolve(file, extends).map_err(fail)?;
            let table = merged_chain(&parent_text, &parent_file, resolve).map_err(fail)?;
            Some((parent_file, table))
        }
        _ => None,
    };
    let labels = Labels::all();
    let mut out = String::new();
    header(&mut out, &scenario, &merged);
    out.push('\n');
    match &parent {
        Some((parent_file, parent_table)) => {
            changes(&mut out, &labels, parent_file, parent_table, &merged)
        }
        None => out.push_str(
            "Changes: none. This is a base scenario: it extends no other file, so every \
             setting and event below is its own (settings it leaves out keep their defaults).\n",
        ),
    }
    out.push('\n');
    let events = dated_events(&merged);
    events_section(&mut out, &labels, &events);
    out.push('\n');
    rules_section(&mut out, &scenario, &events);
    out.push('\n');
    switches_section(&mut out, &scenario, &events);
    out.push('\n');
    decisions_section(&mut out, &scenario, &events);
    out.push('\n');
    mechanisms_section(&mut out, &labels, &scenario);
    Ok(out)
}

fn header(out: &mut String, s: &Scenario, doc: &Table) {
    let _ = writeln!(out, "Scenario: {}", s.name);
    let _ = writeln!(out, "{}", s.description);
    let step = match s.calendar.kind {
        StepKind::Week => "one week",
        StepKind::Month => "one month",
    };
    let written = |key: &str| {
        doc.get(key)
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string()
    };
    let _ = writeln!(
        out,
        "Runs from {} to {} in {} steps of {step}: the first step on {}, the last on {}.",
        written("start"),
        written("end"),
        s.steps(),
        s.calendar.date(0),
        s.calendar.date(s.steps().saturating_sub(1)),
    );
    let _ = writeln!(
        out,
        "Agents: {}. Replicates: {}. Seed: {}.",
        s.agents(),
        s.replicates,
        s.seed
    );
    let mut chain = String::new();
    for (k, f) in s.files.iter().enumerate() {
        if k == 0 {
            chain.push_str(f);
        } else {
            let _ = write!(chain, ", which extends {f}");
        }
    }
    if s.files.len() == 1 {
        chain.push_str(" (it extends no other file)");
    }
    let _ = writeln!(out, "Files: {chain}.");
}

/// The merged document of a file and the files it extends, as plain TOML: the parser's own
/// merge.
fn merged_chain(text: &str, file: &str, resolve: &Resolver) -> Result<Table, String> {
    crate::scenario::merged_document(text, file, resolve).map_err(|d| d.to_string())
}

/// `over` laid on `base` key by key: tables merge, other values replace (the defaults
/// filled in under what a file sets).
fn overlay(base: &mut Table, over: Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(Value::Table(target)), Value::Table(inner)) => overlay(target, inner),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

fn event_id(event: &Value) -> Option<&str> {
    event.get("id").and_then(Value::as_str)
}

/// Plain labels of the settings, read from the tables of `docs/model.md`.
struct Labels(BTreeMap<String, String>);

impl Labels {
    /// The labels of `docs/model.md`, and those of `docs/scenarios.md` for what it lacks.
    fn all() -> Labels {
        Labels::from_docs(MODEL_DOC).or(Labels::from_docs(SCENARIOS_DOC))
    }

    fn from_docs(doc: &str) -> Labels {
        let mut labels = BTreeMap::new();
        let mut heading = String::new();
        let mut table: Option<&str> = None;
        for line in doc.lines() {
            if let Some(h) = line.strip_prefix("###") {
                heading = h.trim().to_lowercase();
                table = None;
                continue;
            }
            if !line.starts_with('|') {
                table = None;
                continue;
            }
            let cells: Vec<String> = line.split('|').map(|c| c.trim().replace('`', "")).collect();
            let header = cells.get(1..cells.len().saturating_sub(1)).unwrap_or(&[]);
            let names: Vec<&str> = header.iter().map(String::as_str).collect();
            match names.as_slice() {
                ["parameter", "default", "unit", "meaning"] => {
                    // The rule a table belongs to is named in its section's heading.
                    table = RULE_NAMES
                        .iter()
                        .find(|r| heading.contains(&r.replace('_', " ")))
                        .copied();
                    continue;
                }
                ["key", "default", "meaning"] => {
                    table = Some("");
                    continue;
                }
                ["series", "meaning", ..] => {
                    table = Some("series");
                    continue;
                }
                ["field", "meaning", "default"] if heading.contains("parties") => {
                    table = Some("parties.*");
                    continue;
                }
                _ => {}
            }
            let (Some(kind), [key, rest @ ..]) = (table, header) else {
                continue;
            };
            if key.starts_with("---") || key.is_empty() {
                continue;
            }
            let label = match kind {
                "" => rest.get(1..).map(|m| m.join("|")),
                "series" | "parties.*" => rest.first().cloned(),
                _ => match rest {
                    [_, unit, meaning @ ..] if !unit.is_empty() => {
                        Some(format!("{}; unit: {unit}", meaning.join("|")))
                    }
                    [_, _, meaning @ ..] => Some(meaning.join("|")),
                    _ => None,
                },
            };
            let full = match kind {
                "" => key.clone(),
                "series" => format!("environment.{key}"),
                "parties.*" => format!("parties.*.{key}"),
                rule => format!("rules.{rule}.{key}"),
            };
            if let Some(label) = label.filter(|l| !l.is_empty()) {
                labels.entry(full).or_insert(label);
            }
        }
        labels.insert("start".into(), "first day simulated".into());
        labels.insert("end".into(), "last day simulated".into());
        Labels(labels)
    }

    /// These labels, and `other`'s for the keys these have none for.
    fn or(mut self, other: Labels) -> Labels {
        for (key, label) in other.0 {
            self.0.entry(key).or_insert(label);
        }
        self
    }

    /// The label of a dotted key, or of the nearest table holding it.
    fn get(&self, key: &str) -> Option<&str> {
        let mut parts: Vec<&str> = key.split('.').collect();
        if parts.len() == 3 && parts[0] == "parties" {
            parts[1] = "*";
        }
        while !parts.is_empty() {
            if let Some(l) = self.0.get(&parts.join(".")) {
                return Some(l);
            }
            parts.pop();
        }
        None
    }

    /// " (setting: label)", or "" when there is none. The label says what the setting is,
    /// not what the value makes it: `factions are banned` is the meaning of `banned`, whether
    /// it is set to true or false.
    fn suffix(&self, key: &str) -> String {
        self.get(key)
            .map_or(String::new(), |l| format!(" (setting: {l})"))
    }
}

/// Every setting of a merged document with the defaults filled in, by dotted key: what the
/// model runs with, so that a value set in one file and left at its default in the other
/// still counts as a change. Names, descriptions, `extends` and events are not settings.
fn settings(doc: &Table) -> BTreeMap<String, Value> {
    let mut full = Table::new();
    if let Ok(step) = Value::try_from(StepKind::default()) {
        full.insert("step".into(), step);
    }
    full.insert("seed".into(), Value::Integer(DEFAULT_SEED as i64));
    full.insert(
        "replicates".into(),
        Value::Integer(DEFAULT_REPLICATES.into()),
    );
    if let Ok(p) = Table::try_from(PopulationSpec::default()) {
        full.insert("population".into(), Value::Table(p));
    }
    if let Ok(r) = Table::try_from(Rules::default()) {
        full.insert("rules".into(), Value::Table(r));
    }
    let endogenous = Value::String(DecisionMode::Endogenous.name().to_string());
    let decisions: Table = Decision::NAMES
        .iter()
        .map(|d| (d.to_string(), endogenous.clone()))
        .collect();
    full.insert("decisions".into(), Value::Table(decisions));
    if let Some(Value::Table(parties)) = doc.get("parties") {
        let mut filled = Table::new();
        let fields = party_defaults();
        for name in parties.keys() {
            filled.insert(name.clone(), Value::Table(fields.clone()));
        }
        full.insert("parties".into(), Value::Table(filled));
    }
    let mut own = doc.clone();
    for skip in ["name", "description", "extends", "events"] {
        own.remove(skip);
    }
    overlay(&mut full, own);
    let mut flat = BTreeMap::new();
    flatten(&full, "", &mut flat);
    flat
}

fn flatten(table: &Table, prefix: &str, out: &mut BTreeMap<String, Value>) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            Value::Table(inner) => flatten(inner, &key, out),
            other => {
                out.insert(key, other.clone());
            }
        }
    }
}

/// Whether two values are the same setting: `13` and `13.0` are.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Integer(x), Value::Float(y)) | (Value::Float(y), Value::Integer(x)) => {
            *x as f64 == *y
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Table(x), Value::Table(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// One event of the merged document, with its position there (which breaks ties between
/// events of the same date, as in the model).
struct DatedEvent<'a> {
    date: Option<Date>,
    table: &'a Value,
}

impl DatedEvent<'_> {
    fn field(&self, key: &str) -> Option<&Value> {
        self.table.get(key)
    }

    fn text(&self, key: &str) -> &str {
        self.field(key).and_then(Value::as_str).unwrap_or("")
    }

    /// As written in the file.
    fn date_text(&self) -> &str {
        self.text("date")
    }

    /// What plots call it: the `id`, or the action when there is none.
    fn label(&self) -> &str {
        event_id(self.table).unwrap_or_else(|| self.text("action"))
    }
}

/// The events of a merged document in the order the model applies them: by date, and in
/// file order on the same date.
fn dated_events(doc: &Table) -> Vec<DatedEvent<'_>> {
    let Some(Value::Array(events)) = doc.get("events") else {
        return Vec::new();
    };
    let mut dated: Vec<DatedEvent> = events
        .iter()
        .map(|table| DatedEvent {
            date: table
                .get("date")
                .and_then(Value::as_str)
                .and_then(|d| Date::parse(d).ok())
                .map(|(d, _)| d),
            table,
        })
        .collect();
    // Stable: same-date events keep file order.
    dated.sort_by_key(|e| e.date);
    dated
}

/// What an event does, in words, from its fields.
fn action_words(event: &DatedEvent, labels: &Labels) -> String {
    let number = |key: &str| event.field(key).map_or_else(|| "?".to_string(), show);
    match event.text("action") {
        "set" => {
            let path = event.text("path");
            format!("set {path} = {}{}", number("value"), labels.suffix(path))
        }
        "party_status" => format!(
            "party {} becomes {}",
            event.text("party"),
            event.text("status")
        ),
        "concession" => format!(
            "concession level {} (the level of concessions, NEP: 0 none, 1 full)",
            number("level")
        ),
        "shock" => {
            let delta = event.field("delta").map_or(String::from("?"), |d| {
                let s = show(d);
                if s.starts_with('-') {
                    s
                } else {
                    format!("+{s}")
                }
            });
            let who = match event.field("class").and_then(Value::as_str) {
                Some(class) => format!("every present {class}"),
                None => "everyone present".to_string(),
            };
            format!("shock: {} {delta} for {who}", event.text("attribute"))
        }
        "faction" => {
            let share = match event.field("level") {
                Some(level) => show(level),
                None => format!("{DEFAULT_FACTION_SHARE} (the default)"),
            };
            format!(
                "faction {} comes forward in the ruling party with the platform {} (authority, property); share of the members who sign it: {share}",
                event.text("name"),
                number("platform"),
            )
        }
        "purge" => format!(
            "purge of {}: each targeted member of the ruling party is expelled with chance {}",
            event.text("target"),
            number("level")
        ),
        "override" => format!(
            "override: each soviet whose make-up the leadership rejects has its seats filled by appointment, with chance {}",
            number("level")
        ),
        "dissolve" => format!(
            "dissolve: each soviet whose make-up the leadership rejects is dissolved, with chance {}",
            number("level")
        ),
        "decide" => {
            let mut words = format!("decide: {}", event.text("decision"));
            if let Some(d) = Decision::parse(event.text("decision")) {
                let _ = write!(words, " ({})", d.meaning());
            }
            if let Some(target) = event.field("target") {
                let _ = write!(words, ", aimed at {}", show(target));
            }
            if let Some(level) = event.field("level") {
                let meaning = Decision::parse(event.text("decision"))
                    .and_then(Decision::level_meaning)
                    .map_or("level", |(m, _, _)| m);
                let _ = write!(words, "; {meaning}: {}", show(level));
            }
            words
        }
        other => format!("action {other}"),
    }
}

/// An event on one line: its label and date, what it does, and its note.
fn event_line(event: &DatedEvent, labels: &Labels) -> String {
    let mut line = format!(
        "{} ({}): {}",
        event.label(),
        event.date_text(),
        action_words(event, labels)
    );
    if let Some(note) = event.field("note").and_then(Value::as_str) {
        let _ = write!(line, ". Note in the file: {note}");
    }
    line
}

fn changes(out: &mut String, labels: &Labels, parent_file: &str, parent: &Table, child: &Table) {
    let name = parent
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or(parent_file);
    let _ = writeln!(out, "Changes against {name} ({parent_file}):");
    let (before, after) = (settings(parent), settings(child));
    let missing = Value::String("(not set)".to_string());
    let mut any = false;
    let keys: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for key in keys {
        let (a, b) = (
            before.get(key).unwrap_or(&missing),
            after.get(key).unwrap_or(&missing),
        );
        if !same(a, b) {
            any = true;
            let _ = writeln!(
                out,
                "  changed: {key}: {} -> {}{}",
                show(a),
                show(b),
                labels.suffix(key)
            );
        }
    }
    let (old, new) = (dated_events(parent), dated_events(child));
    // Events without an id cannot be replaced or removed: match them by their contents.
    let mut unmatched: Vec<&DatedEvent> =
        old.iter().filter(|e| event_id(e.table).is_none()).collect();
    for e in &old {
        if let Some(id) = event_id(e.table)
            && !new.iter().any(|n| event_id(n.table) == Some(id))
        {
            any = true;
            let _ = writeln!(out, "  removed event: {}", event_line(e, labels));
        }
    }
    for e in &new {
        match event_id(e.table) {
            Some(id) => match old.iter().find(|o| event_id(o.table) == Some(id)) {
                Some(o) if !same(o.table, e.table) => {
                    any = true;
                    let _ = writeln!(
                        out,
                        "  replaced event: {} -> {}",
                        event_line(o, labels),
                        event_line(e, labels)
                    );
                }
                Some(_) => {}
                None => {
                    any = true;
                    let _ = writeln!(out, "  added event: {}", event_line(e, labels));
                }
            },
            None => match unmatched.iter().position(|o| same(o.table, e.table)) {
                Some(k) => {
                    unmatched.remove(k);
                }
                None => {
                    any = true;
                    let _ = writeln!(out, "  added event: {}", event_line(e, labels));
                }
            },
        }
    }
    if !any {
        let _ = writeln!(out, "  nothing: it runs exactly as {name} does.");
    }
}

fn events_section(out: &mut String, labels: &Labels, events: &[DatedEvent]) {
    if events.is_empty() {
        out.push_str("Dated events: none.\n");
        return;
    }
    let _ = writeln!(
        out,
        "Dated events ({}, in date order; each happens at the first step on or after its date):",
        events.len()
    );
    for e in events {
        let _ = writeln!(
            out,
            "  {:<10}  {}: {}",
            e.date_text(),
            e.label(),
            action_words(e, labels)
        );
        if let Some(note) = e.field("note").and_then(Value::as_str) {
            let _ = writeln!(out, "  {:<10}    Note in the file: {note}", "");
        }
    }
}

/// The `set` events of one rule parameter, in date order.
fn sets_of<'e>(events: &'e [DatedEvent], path: &str) -> Vec<&'e DatedEvent<'e>> {
    events
        .iter()
        .filter(|e| e.text("action") == "set" && e.text("path") == path)
        .collect()
}

fn rules_section(out: &mut String, s: &Scenario, events: &[DatedEvent]) {
    let start = Table::try_from(&s.rules).unwrap_or_default();
    out.push_str("Rules (in the order the model applies them each step):\n");
    for rule in RULE_NAMES {
        let on = start
            .get(rule)
            .and_then(|t| t.get("enabled"))
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let mut line = format!("  {rule}: {}", if on { "on" } else { "off" });
        let prefix = format!("rules.{rule}.");
        // Parameters changed by events, in the order they are first changed.
        let mut changed: Vec<(&str, Vec<&str>)> = Vec::new();
        for e in events.iter().filter(|e| e.text("action") == "set") {
            if let Some(param) = e.text("path").strip_prefix(&prefix) {
                match changed.iter_mut().find(|(p, _)| *p == param) {
                    Some((_, dates)) => dates.push(e.date_text()),
                    None => changed.push((param, vec![e.date_text()])),
                }
            }
        }
        if !changed.is_empty() {
            let parts: Vec<String> = changed
                .iter()
                .map(|(param, dates)| {
                    let what = if *param == "enabled" {
                        "switched on or off".to_string()
                    } else {
                        format!("{param} set")
                    };
                    let n = dates.len();
                    format!(
                        "{what} by {n} event{} ({})",
                        if n == 1 { "" } else { "s" },
                        dates.join(", ")
                    )
                })
                .collect();
            let _ = write!(line, "; {}", parts.join("; "));
        }
        let _ = writeln!(out, "{line}");
    }
}

/// Which of the leadership's decisions the model takes, which are pinned (with the dates and
/// targets of their `decide` events) and which are forbidden.
fn decisions_section(out: &mut String, s: &Scenario, events: &[DatedEvent]) {
    let with = |mode: DecisionMode| -> Vec<Decision> {
        Decision::ALL
            .into_iter()
            .filter(|d| s.decisions.get(*d) == mode)
            .collect()
    };
    let names = |ds: &[Decision]| -> String {
        if ds.is_empty() {
            "none".to_string()
        } else {
            ds.iter().map(|d| d.name()).collect::<Vec<_>>().join(", ")
        }
    };
    let endogenous = with(DecisionMode::Endogenous);
    let _ = writeln!(
        out,
        "The leadership's decisions (taken in phase 1c; `[decisions]` in the file):"
    );
    let _ = writeln!(
        out,
        "  Left to the model, taken when their pressure reaches their bar ({}): {}.",
        endogenous.len(),
        names(&endogenous)
    );
    let pinned = with(DecisionMode::Pinned);
    if pinned.is_empty() {
        let _ = writeln!(out, "  Pinned to dates: none.");
    } else {
        let _ = writeln!(
            out,
            "  Pinned to dates (taken on these and never by the model):"
        );
        for d in pinned {
            let dates: Vec<String> = events
                .iter()
                .filter(|e| e.text("action") == "decide" && e.text("decision") == d.name())
                .map(|e| match e.field("target") {
                    Some(target) => format!("{} ({})", e.date_text(), show(target)),
                    None => e.date_text().to_string(),
                })
                .collect();
            let _ = writeln!(
                out,
                "    {}: {} ({})",
                d.name(),
                dates.join(", "),
                d.meaning()
            );
        }
    }
    let forbidden = with(DecisionMode::Forbidden);
    if forbidden.is_empty() {
        let _ = writeln!(out, "  Forbidden: none.");
    } else {
        let _ = writeln!(
            out,
            "  Forbidden (never taken, by the model or by an event):"
        );
        for d in forbidden {
            let _ = writeln!(out, "    {}: {}", d.name(), d.meaning());
        }
    }
}

/// The five mechanism strengths at the start, each with what it means (and the view the
/// scenario is read under, if any).
fn mechanisms_section(out: &mut String, labels: &Labels, s: &Scenario) {
    let start = Table::try_from(s.rules.leadership).unwrap_or_default();
    let _ = writeln!(
        out,
        "Mechanisms the essays argue over (rules.leadership; 0 off, 1 full strength):"
    );
    for m in LeadershipParams::MECHANISMS {
        let value = start.get(m).map_or_else(|| "?".to_string(), show);
        let meaning = labels
            .get(&format!("rules.leadership.{m}"))
            .unwrap_or("see docs/model.md");
        let _ = writeln!(out, "  {m} {value}: {meaning}");
    }
    if let Some(view) = &s.view {
        let _ = writeln!(
            out,
            "  (read under the view {} of {})",
            view.name, view.essay
        );
    }
}

/// A switch at the start and at every event that sets it.
fn history(
    start: String,
    events: &[DatedEvent],
    path: &str,
    words: impl Fn(&Value) -> String,
) -> String {
    let sets = sets_of(events, path);
    if sets.is_empty() {
        return format!("{start}, throughout the run");
    }
    let mut text = format!("{start} at the start");
    for e in sets {
        if let Some(v) = e.field("value") {
            let _ = write!(text, "; {} from {}", words(v), e.date_text());
        }
    }
    text
}

fn elections_words(name: &str) -> String {
    let what = match name {
        "free" => "free: every legal or tolerated party with candidates stands",
        "single_list" => "single list: only the ruling party's list stands",
        "suspended" => "suspended: seats stay with their holders, vacancies filled by co-option",
        "appointed" => "appointed: seats filled by appointment from above at every term",
        _ => name,
    };
    format!("{what} (elections = {name})")
}

fn sovereignty_words(name: &str) -> String {
    let what = match name {
        "soviets" => "the Congress of Soviets",
        "party" => "the party, whose line is the policy",
        _ => name,
    };
    format!("{what} (sovereignty = {name})")
}

fn targets_words(value: &Value) -> String {
    let names: Vec<String> = match value {
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .map(|t| {
                match t {
                    "whites" => "Whites",
                    "active" => "everyone active (protesting or on strike)",
                    "strikers" => "strikers",
                    "other_parties" => "members of parties other than the ruling one",
                    "banned_parties" => "members of banned parties",
                    "underground" => "the underground",
                    "factions" => "visible faction members while factions are banned",
                    other => other,
                }
                .to_string()
            })
            .collect(),
        other => vec![show(other)],
    };
    if names.is_empty() {
        "nobody".to_string()
    } else {
        names.join(", ")
    }
}

/// What the leadership's decisions may do to a switch, after its history by events: the
/// decisions pinned with their dates, and whether the model may take them (left to it) or
/// not (forbidden).
fn decided(s: &Scenario, events: &[DatedEvent], decisions: &[Decision]) -> String {
    let mut parts = Vec::new();
    for &d in decisions {
        match s.decisions.get(d) {
            DecisionMode::Endogenous => {
                parts.push(format!("the leadership may take {} itself", d.name()))
            }
            DecisionMode::Forbidden => parts.push(format!("{} forbidden", d.name())),
            DecisionMode::Pinned => {
                let dates: Vec<&str> = events
                    .iter()
                    .filter(|e| e.text("action") == "decide" && e.text("decision") == d.name())
                    .map(|e| e.date_text())
                    .collect();
                parts.push(format!("{} pinned to {}", d.name(), dates.join(", ")));
            }
        }
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join("; "))
    }
}

fn switches_section(out: &mut String, s: &Scenario, events: &[DatedEvent]) {
    let start = Table::try_from(&s.rules).unwrap_or_default();
    let at = |rule: &str, param: &str| {
        start
            .get(rule)
            .and_then(|t| t.get(param))
            .cloned()
            .unwrap_or(Value::String("?".into()))
    };
    let name_of = |v: &Value| v.as_str().map_or_else(|| show(v), str::to_string);
    out.push_str("Key switches:\n");
    let elections = at("soviets", "elections");
    let _ = writeln!(
        out,
        "  Soviet elections: {}{}.",
        history(
            elections_words(&name_of(&elections)),
            events,
            "rules.soviets.elections",
            |v| elections_words(&name_of(v))
        ),
        decided(
            s,
            events,
            &[Decision::SingleList, Decision::SuspendElections]
        )
    );
    let sovereignty = at("soviets", "sovereignty");
    let _ = writeln!(
        out,
        "  Who sets policy: {}{}.",
        history(
            sovereignty_words(&name_of(&sovereignty)),
            events,
            "rules.soviets.sovereignty",
            |v| sovereignty_words(&name_of(v))
        ),
        decided(s, events, &[Decision::PartyDictatorship])
    );
    let banned = |v: &Value| {
        if v.as_bool() == Some(true) {
            "banned".to_string()
        } else {
            "allowed".to_string()
        }
    };
    let _ = writeln!(
        out,
        "  Factions in the ruling party: {}{}.",
        history(
            banned(&at("factions", "banned")),
            events,
            "rules.factions.banned",
            banned
        ),
        decided(s, events, &[Decision::BanFactions])
    );
    let _ = writeln!(
        out,
        "  Police targets: {}{}.",
        history(
            targets_words(&at("repression", "targets")),
            events,
            "rules.repression.targets",
            targets_words
        ),
        decided(s, events, &[Decision::WidenPolice])
    );
    let principal = |v: &Value| match v.as_str() {
        Some("centre") => "the central government (principal = centre)".to_string(),
        Some("soviets") => "the soviets (principal = soviets)".to_string(),
        _ => show(v),
    };
    let _ = writeln!(
        out,
        "  The police answer to: {}.",
        history(
            principal(&at("repression", "principal")),
            events,
            "rules.repression.principal",
            principal
        )
    );
    let share = |v: &Value| format!("{} of workplaces", show(v));
    let _ = writeln!(
        out,
        "  One-man management: {}.",
        history(
            share(&at("bureaucracy", "one_man_management")),
            events,
            "rules.bureaucracy.one_man_management",
            share
        )
    );
    let leadership = |v: &Value| match v.as_str() {
        Some("scripted") => "scripted: it does what the dated events say".to_string(),
        Some("adaptive") => {
            "adaptive: it raises repression or concedes as unrest and the White threat move"
                .to_string()
        }
        _ => show(v),
    };
    let _ = writeln!(
        out,
        "  Leadership: {}.",
        history(
            leadership(&at("regime", "leadership")),
            events,
            "rules.regime.leadership",
            leadership
        )
    );
    let parties: Vec<String> = s
        .parties
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let mut words = vec![format!("{:?}", p.status).to_lowercase()];
            if k as u32 == s.ruling_party {
                words.insert(0, "ruling".to_string());
            }
            if p.restoration {
                words.push("its victory is a restoration".to_string());
            }
            words.push(format!("members {} of the population", p.members));
            let changes: Vec<String> = events
                .iter()
                .filter(|e| e.text("action") == "party_status" && e.text("party") == p.name)
                .map(|e| format!("{} from {}", e.text("status"), e.date_text()))
                .collect();
            if !changes.is_empty() {
                words.push(changes.join(", "));
            }
            format!("{} ({})", p.name, words.join("; "))
        })
        .collect();
    let _ = writeln!(out, "  Parties: {}.", parties.join(", "));
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARENT: &str = r#"name = "base"
description = "The parent."
start = "1917-11"
end = "1918-12"
[parties.bolsheviks]
platform = [0.6, 0.1]
members = 0.05
ruling = true
[parties.mensheviks]
platform = [0.45, 0.35]
[rules.repression]
capacity = 2.0
[[events]]
id = "a"
date = "1918-03"
action = "concession"
level = 0.5
note = "Note of a."
[[events]]
id = "b"
date = "1918-02"
action = "party_status"
party = "mensheviks"
status = "banned"
"#;

    fn files(name: &str, text: &str) -> impl Fn(&str, &str) -> Result<(String, String), String> {
        let all = [
            ("base.toml".to_string(), PARENT.to_string()),
            (name.to_string(), text.to_string()),
        ];
        move |_, wanted| {
            all.iter()
                .find(|(n, _)| n == wanted)
                .cloned()
                .ok_or_else(|| "no such file".to_string())
        }
    }

    /// The lines of one section: from its first line to the next blank line.
    fn section<'a>(text: &'a str, start: &str) -> Vec<&'a str> {
        text.lines()
            .skip_while(|l| !l.starts_with(start))
            .take_while(|l| !l.is_empty())
            .collect()
    }

    const CHILD: &str = r#"extends = "base.toml"
name = "child"
description = "The child."
[rules.soviets]
election_interval_weeks = 13
[[events]]
id = "a"
remove = true
[[events]]
id = "c"
date = "1918-05"
action = "set"
path = "rules.factions.banned"
value = true
note = "Note of c."
"#;

    #[test]
    fn a_child_shows_exactly_its_changes() {
        let text = explain(CHILD, "child.toml", &files("child.toml", "")).unwrap();
        let lines = section(&text, "Changes against");
        assert_eq!(lines[0], "Changes against base (base.toml):", "{text}");
        assert_eq!(lines.len(), 4, "{lines:#?}");
        assert!(
            lines[1].starts_with(
                "  changed: rules.soviets.election_interval_weeks: 26 -> 13 (setting: time between a soviet's general elections"
            ),
            "{}",
            lines[1]
        );
        assert!(
            lines[2].starts_with("  removed event: a (1918-03): concession level 0.5")
                && lines[2].ends_with("Note in the file: Note of a."),
            "{}",
            lines[2]
        );
        assert!(
            lines[3].starts_with("  added event: c (1918-05): set rules.factions.banned = true")
                && lines[3].ends_with("Note in the file: Note of c."),
            "{}",
            lines[3]
        );
        assert!(text.contains("Files: child.toml, which extends base.toml."));
    }

    #[test]
    fn a_replaced_event_and_a_value_set_to_the_default_are_changes() {
        // Setting the parent's capacity back to the default is a change of the parent's 2.0
        // only if the default differs; 2.0 is the default, so it is not one.
        let child = "extends = \"base.toml\"\nname = \"c\"\ndescription = \"c\"\n[rules.repression]\ncapacity = 2\njail_max_weeks = 104\n[[events]]\nid = \"b\"\ndate = \"1918-04\"\naction = \"party_status\"\nparty = \"mensheviks\"\nstatus = \"tolerated\"\n";
        let text = explain(child, "c.toml", &files("c.toml", "")).unwrap();
        let lines = section(&text, "Changes against");
        assert_eq!(lines.len(), 2, "{lines:#?}");
        assert_eq!(
            lines[1],
            "  replaced event: b (1918-02): party mensheviks becomes banned -> b (1918-04): party mensheviks becomes tolerated"
        );
        let same = "extends = \"base.toml\"\nname = \"c\"\ndescription = \"c\"\n";
        let text = explain(same, "c.toml", &files("c.toml", "")).unwrap();
        assert_eq!(
            section(&text, "Changes against")[1],
            "  nothing: it runs exactly as base does."
        );
    }

    #[test]
    fn a_base_scenario_says_so_and_lists_its_events_in_date_order() {
        let text = explain(PARENT, "base.toml", &files("x", "")).unwrap();
        assert!(text.contains("This is a base scenario"), "{text}");
        assert!(!text.contains("Changes against"));
        let events = section(&text, "Dated events");
        assert!(events[0].starts_with("Dated events (2,"), "{events:#?}");
        assert!(events[1].contains("b: party mensheviks becomes banned"));
        assert!(events[1].starts_with("  1918-02"));
        assert!(events[2].starts_with("  1918-03") && events[2].contains("a: concession"));
        assert!(events[3].contains("Note in the file: Note of a."));
    }

    #[test]
    fn rules_and_switches_say_what_is_on_and_what_events_change() {
        let child = format!(
            "{CHILD}[rules.demography]\nenabled = false\n[[events]]\nid = \"d\"\ndate = \"1918-06\"\naction = \"set\"\npath = \"rules.soviets.elections\"\nvalue = \"single_list\"\n"
        );
        let text = explain(&child, "child.toml", &files("child.toml", "")).unwrap();
        let rules = section(&text, "Rules");
        assert_eq!(rules.len(), RULE_NAMES.len() + 1, "{rules:#?}");
        for (line, rule) in rules[1..].iter().zip(RULE_NAMES) {
            assert!(line.starts_with(&format!("  {rule}: ")), "{line}");
        }
        assert!(rules.contains(&"  demography: off"), "{rules:#?}");
        assert!(rules.contains(&"  factions: on; banned set by 1 event (1918-05)"));
        assert!(rules.contains(&"  soviets: on; elections set by 1 event (1918-06)"));
        assert!(
            text.contains(
                "Factions in the ruling party: allowed at the start; banned from 1918-05 (the leadership may take ban_factions itself)."
            )
        );
        assert!(text.contains("Soviet elections: free: every legal or tolerated party with candidates stands (elections = free) at the start; single list: only the ruling party's list stands (elections = single_list) from 1918-06 (the leadership may take single_list itself; the leadership may take suspend_elections itself)."));
        assert!(
            text.contains("mensheviks (legal; members 0 of the population; banned from 1918-02)"),
            "{text}"
        );
        assert!(text.contains("bolsheviks (ruling; legal; members 0.05 of the population)"));
    }

    #[test]
    fn decisions_say_their_modes_with_dates_and_mechanisms_their_strengths() {
        let child = format!(
            "{CHILD}[decisions]\nsingle_list = \"forbidden\"\nban_party = \"pinned\"\n[rules.leadership]\nprecedent = 1.0\n[[events]]\nid = \"b\"\nremove = true\n[[events]]\nid = \"ban-mensheviks\"\ndate = \"1918-06\"\naction = \"decide\"\ndecision = \"ban_party\"\ntarget = \"mensheviks\"\n"
        );
        let text = explain(&child, "child.toml", &files("child.toml", ""))
            .unwrap_or_else(|d| panic!("{d}"));
        let decisions = section(&text, "The leadership's decisions");
        assert_eq!(
            decisions[1],
            format!(
                "  Left to the model, taken when their pressure reaches their bar (17): {}.",
                Decision::NAMES
                    .iter()
                    .filter(|n| !["single_list", "ban_party"].contains(n))
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        );
        assert_eq!(
            decisions[3],
            "    ban_party: 1918-06 (mensheviks) (a party is outlawed)"
        );
        assert_eq!(
            decisions[5],
            "    single_list: soviet elections with one list"
        );
        let mechanisms = section(&text, "Mechanisms the essays argue over");
        assert_eq!(mechanisms.len(), 1 + LeadershipParams::MECHANISMS.len());
        assert!(
            mechanisms[4]
                .starts_with("  precedent 1: each measure makes the next of its family cheaper"),
            "{mechanisms:#?}"
        );
        assert!(
            mechanisms[1].starts_with("  circumstances 0.5: "),
            "{mechanisms:#?}"
        );
        assert!(
            text.contains("  changed: decisions.single_list: endogenous -> forbidden"),
            "{text}"
        );
        assert!(
            text.contains("decide: ban_party (a party is outlawed), aimed at mensheviks"),
            "{text}"
        );
        // A scenario with no [decisions] leaves every decision to the model.
        let base = explain(PARENT, "base.toml", &files("x", "")).unwrap();
        let decisions = section(&base, "The leadership's decisions");
        assert!(decisions[1].contains("(19)"));
        assert_eq!(
            decisions[2..],
            ["  Pinned to dates: none.", "  Forbidden: none."]
        );
    }

    #[test]
    fn invalid_scenarios_give_their_diagnostics() {
        let broken = PARENT.replace("capacity = 2.0", "capacty = 2.0");
        let e = explain(&broken, "base.toml", &files("x", "")).unwrap_err();
        assert_eq!(e.0[0].key.as_deref(), Some("rules.repression.capacty"));
        assert!(explain("not toml [", "x.toml", &files("x", "")).is_err());
    }

    #[test]
    fn every_rule_parameter_has_a_label_from_the_docs() {
        let labels = Labels::all();
        for rule in RULE_NAMES {
            for p in Rules::parameter_names(rule) {
                let key = format!("rules.{rule}.{p}");
                assert!(labels.0.contains_key(&key), "no label for {key}");
            }
        }
        for key in [
            "seed",
            "replicates",
            "population.agents",
            "environment.civil_war",
            "parties.*.status",
        ] {
            assert!(labels.0.contains_key(key), "no label for {key}");
        }
        assert_eq!(
            labels.get("parties.kadets.members"),
            Some("members at the start, as a share of the population")
        );
    }

    #[test]
    fn the_party_defaults_are_every_field_but_the_platform() {
        let fields = party_defaults();
        let names: Vec<&str> = fields.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            ["government", "members", "restoration", "ruling", "status"]
        );
        assert_eq!(fields["status"], Value::String("legal".into()));
        assert_eq!(fields["members"], Value::Float(0.0));
        assert_eq!(fields["ruling"], Value::Boolean(false));
    }

    /// The shipped scenarios, read from disk (tests may; the module may not).
    fn shipped() -> Vec<(String, String)> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
        let mut all: Vec<(String, String)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read_to_string(&p).unwrap())
            })
            .collect();
        all.sort();
        all
    }

    #[test]
    fn the_merge_here_is_the_parser_s_for_every_shipped_scenario() {
        let all = shipped();
        let resolve = |_: &str, wanted: &str| {
            all.iter()
                .find(|(n, _)| n == wanted)
                .cloned()
                .ok_or_else(|| "no such file".to_string())
        };
        for (name, text) in &all {
            let s = Scenario::parse_with(text, name, &resolve).unwrap();
            let merged = merged_chain(text, name, &resolve).unwrap();
            let rules: Rules = merged
                .get("rules")
                .cloned()
                .unwrap_or(Value::Table(Table::new()))
                .try_into()
                .unwrap();
            assert_eq!(rules, s.rules, "{name}");
            let events = dated_events(&merged);
            let labels: Vec<&str> = events.iter().map(|e| e.label()).collect();
            let theirs: Vec<&str> = s.events.iter().map(|e| e.label.as_str()).collect();
            assert_eq!(labels, theirs, "{name}");
            // And every shipped scenario explains.
            explain(text, name, &resolve).unwrap();
        }
    }
}
