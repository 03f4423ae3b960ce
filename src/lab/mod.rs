//! The classroom lab's logic (`sovsim serve`): the library of scenarios, views and claims the
//! page offers, an experiment's settings as the page sends them, the scenario file they make
//! (the TOML a student downloads and reruns with `sovsim run`), every problem with them placed
//! at the control that caused it, and the JSON the page draws from ([`stream`]).
//!
//! An experiment is never anything but a scenario file: a short child that `extends` a
//! library scenario, checked by the same validator as any file and run by the same ensemble
//! code. So the page and the command line cannot disagree: the same file and seed give the
//! same `runs.csv`, `decisions.csv` and `summary.csv`. The HTTP server is the binary's; this
//! module reads no files and keeps no state (the caller hands it the files' texts).

pub mod stream;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::claims::{self, Claim};
use crate::format::{Diagnostic, is_short_id};
use crate::model::params::LeadershipParams;
use crate::model::{Decision, DecisionMode, TargetKind};
use crate::scenario::keys::parameter_names;
use crate::scenario::{Scenario, View};

/// What one lab server allows, so that a class shares it fairly: each is refused with a
/// message saying which limit and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// Runs computing at once; the rest wait in the queue.
    pub concurrent_runs: usize,
    /// Runs waiting at once; one more is refused ("the lab is busy").
    pub queued_runs: usize,
    /// Most agents an experiment may have.
    pub agents: u32,
    /// Most replicates an experiment may have.
    pub replicates: u32,
    /// Largest request body, in bytes.
    pub body_bytes: usize,
}

impl Default for Limits {
    /// Sized for thirty students on a two-core laptop: two runs at a time, the shipped
    /// scenarios' 5,000 agents (a replicate takes about half a second), a verdict's 8 to 16
    /// replicates with room to spare.
    fn default() -> Limits {
        Limits {
            concurrent_runs: 2,
            queued_runs: 40,
            agents: 20_000,
            replicates: 32,
            body_bytes: 64 * 1024,
        }
    }
}

/// A scenario the page offers.
#[derive(Clone, Debug)]
pub struct LibraryScenario {
    /// The file as named from the server's folder (`scenarios/factions_allowed.toml`).
    pub file: String,
    pub scenario: Scenario,
    /// `sovsim explain`'s text.
    pub explain: String,
    /// The decide events of the file and its chain: (event id, decision), for the
    /// decisions the file pins. A lab setting that changes such a decision removes them.
    pub pinned_events: Vec<(Option<String>, String)>,
}

/// A claim the page offers, with the file it came from.
#[derive(Clone, Debug)]
pub struct LibraryClaim {
    pub file: String,
    pub claim: Claim,
}

/// Everything the page offers: scenarios, views and claims, all read and checked when the
/// server starts, and the text of every file, so that `extends` and a claim's scenarios
/// are found without touching the disk again.
#[derive(Clone, Debug, Default)]
pub struct Library {
    files: BTreeMap<String, String>,
    pub scenarios: Vec<LibraryScenario>,
    pub views: Vec<View>,
    pub claims: Vec<LibraryClaim>,
}

/// `dir/relative` with `.` and `..` resolved, in `/` form (`scenarios/claims/../x.toml` is
/// `scenarios/x.toml`); an absolute `dir` stays absolute.
fn joined(dir: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let path = parts.join("/");
    if dir.starts_with('/') {
        format!("/{path}")
    } else {
        path
    }
}

fn parent_dir(file: &str) -> &str {
    file.rsplit_once('/').map_or("", |(dir, _)| dir)
}

impl Library {
    /// The library made from files by name (`scenarios/historical.toml` and so on):
    /// `scenarios` are the files to offer, `views` and `claims` the view and claims files.
    /// Returns the library and every problem found (a file that does not check is left out
    /// and named, so one broken file does not keep a class from the others).
    pub fn new(
        files: BTreeMap<String, String>,
        scenarios: &[String],
        views: &[String],
        claims: &[String],
    ) -> (Library, Vec<String>) {
        let mut library = Library {
            files,
            ..Library::default()
        };
        let mut problems = Vec::new();
        for file in scenarios {
            match library.scenario_entry(file) {
                Ok(entry) if entry.scenario.reference.is_none() => library.scenarios.push(entry),
                Ok(_) => {}
                Err(why) => problems.push(why),
            }
        }
        library
            .scenarios
            .sort_by(|a, b| a.scenario.name.cmp(&b.scenario.name));
        for file in views {
            let text = library.files.get(file).cloned().unwrap_or_default();
            match View::parse(&text, file) {
                Ok(view) => library.views.push(view),
                Err(d) => problems.push(d.to_string()),
            }
        }
        library.views.sort_by(|a, b| a.name.cmp(&b.name));
        for file in claims {
            let text = library.files.get(file).cloned().unwrap_or_default();
            match claims::parse(&text, file) {
                Ok(parsed) => library
                    .claims
                    .extend(parsed.claims.into_iter().map(|claim| LibraryClaim {
                        file: file.clone(),
                        claim,
                    })),
                Err(d) => problems.push(d.to_string()),
            }
        }
        (library, problems)
    }

    fn scenario_entry(&self, file: &str) -> Result<LibraryScenario, String> {
        let text = self.text(file).ok_or_else(|| format!("{file}: not read"))?;
        let resolve = |child: &str, parent: &str| self.resolve(child, parent);
        let scenario = Scenario::parse_with(text, file, &resolve).map_err(|d| d.to_string())?;
        let explain = crate::explain::explain(text, file, &resolve).map_err(|d| d.to_string())?;
        let doc =
            crate::scenario::merged_document(text, file, &resolve).map_err(|d| d.to_string())?;
        let pinned_events = doc
            .get("events")
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
            .filter(|e| e.get("action").and_then(toml::Value::as_str) == Some("decide"))
            .filter_map(|e| {
                let decision = e.get("decision")?.as_str()?.to_string();
                let id = e.get("id").and_then(toml::Value::as_str).map(String::from);
                Some((id, decision))
            })
            .collect();
        Ok(LibraryScenario {
            file: file.to_string(),
            scenario,
            explain,
            pinned_events,
        })
    }

    /// The text of a file of the library.
    pub fn text(&self, file: &str) -> Option<&str> {
        self.files.get(file).map(String::as_str)
    }

    /// Finds the parent a file `extends` (or a claim's scenario), relative to the file, as
    /// the command line does, among the files read at start.
    pub fn resolve(&self, child: &str, parent: &str) -> Result<(String, String), String> {
        let path = joined(parent_dir(child), parent);
        match self.files.get(&path) {
            Some(text) => Ok((path, text.clone())),
            None => Err(format!("{path}: not among the files the lab read")),
        }
    }

    /// A scenario of the library by its name.
    pub fn scenario(&self, name: &str) -> Option<&LibraryScenario> {
        self.scenarios.iter().find(|s| s.scenario.name == name)
    }

    /// A claim of the library by its id.
    pub fn claim(&self, id: &str) -> Option<&LibraryClaim> {
        self.claims.iter().find(|c| c.claim.id == id)
    }
}

/// How the page sets one decision: its mode, and for `pinned` the date (and the target, for
/// the decisions aimed at someone).
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionSetting {
    pub mode: String,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub target: Option<String>,
}

/// The political police at the start of the run.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PoliceSetting {
    #[serde(default)]
    pub principal: Option<String>,
    #[serde(default)]
    pub targets: Option<Vec<String>>,
    #[serde(default)]
    pub capacity: Option<f64>,
}

/// The soviets' election rules at the start of the run.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SovietSetting {
    #[serde(default)]
    pub elections: Option<String>,
    #[serde(default)]
    pub recall: Option<bool>,
}

/// An experiment as the page sends it: the library scenario it changes and only what it
/// changes (anything left out keeps the scenario's value).
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The library scenario's name.
    pub scenario: String,
    /// The experiment's own name (its output folder on the command line); by default the
    /// scenario's with `_lab`.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub seed: Option<u64>,
    #[serde(default)]
    pub replicates: Option<u32>,
    #[serde(default)]
    pub agents: Option<u32>,
    /// By decision name.
    #[serde(default)]
    pub decisions: BTreeMap<String, DecisionSetting>,
    /// Mechanism strengths by name (`[rules.leadership]`).
    #[serde(default)]
    pub mechanisms: BTreeMap<String, f64>,
    /// The essay view the mechanism strengths were taken from, if the page took them from
    /// one (said in the file's comment; the strengths themselves are in `mechanisms`).
    #[serde(default)]
    pub view: Option<String>,
    #[serde(default)]
    pub police: PoliceSetting,
    #[serde(default)]
    pub soviets: SovietSetting,
}

/// A problem with an experiment, at the page's control that caused it (`None`: the
/// experiment as a whole). Controls are named `replicates`, `agents`, `seed`, `name`,
/// `scenario`, `decision.<name>.mode`, `decision.<name>.date`, `decision.<name>.target`,
/// `mechanism.<name>`, `police.principal`, `police.targets`, `police.capacity`,
/// `soviets.elections`, `soviets.recall` and `view`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Problem {
    pub control: Option<String>,
    pub message: String,
}

impl Problem {
    fn at(control: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            control: Some(control.into()),
            message: message.into(),
        }
    }
}

/// A checked experiment: its file and the scenario it makes.
#[derive(Clone, Debug)]
pub struct Experiment {
    /// The file's name, beside the scenario it extends (`scenarios/factions_allowed_lab.toml`).
    pub file: String,
    /// The scenario file the settings make: what the page offers for download.
    pub toml: String,
    pub scenario: Scenario,
}

/// A scenario file written line by line, remembering which control each line came from.
#[derive(Default)]
struct Writer {
    text: String,
    controls: Vec<(usize, String)>,
}

impl Writer {
    fn line(&mut self, control: Option<&str>, line: &str) {
        let number = self.text.lines().count() + 1;
        if let Some(c) = control {
            self.controls.push((number, c.to_string()));
        }
        self.text.push_str(line);
        self.text.push('\n');
    }

    fn control_at(&self, line: usize) -> Option<String> {
        self.controls
            .iter()
            .find(|(l, _)| *l == line)
            .map(|(_, c)| c.clone())
    }
}

/// A string as a TOML value, quoted and escaped: whatever the page sends cannot break out of
/// its value.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// A number as a TOML float (`0.5`, `1.0`), the shortest form that reads back exactly.
fn number(x: f64) -> String {
    format!("{x:?}")
}

/// The control a diagnostic's dotted key belongs to, for problems found at a line the lab
/// did not write (in the scenario it extends, or without a line).
fn control_of_key(key: &str) -> Option<String> {
    let parts: Vec<&str> = key.split('.').collect();
    Some(match parts[..] {
        ["replicates"] => "replicates".into(),
        ["seed"] => "seed".into(),
        ["name"] => "name".into(),
        ["population", "agents"] => "agents".into(),
        ["decisions", d] => format!("decision.{d}.mode"),
        ["rules", "leadership", m] if LeadershipParams::MECHANISMS.contains(&m) => {
            format!("mechanism.{m}")
        }
        [
            "rules",
            "repression",
            p @ ("principal" | "targets" | "capacity"),
        ] => {
            format!("police.{p}")
        }
        ["rules", "soviets", p @ ("elections" | "recall")] => format!("soviets.{p}"),
        _ => return None,
    })
}

/// The settings' experiment: its file, checked by the scenario validator with the library's
/// files, and within the lab's limits; or every problem, each at its control where it has
/// one.
pub fn experiment(
    library: &Library,
    settings: &Settings,
    limits: &Limits,
) -> Result<Experiment, Vec<Problem>> {
    let Some(base) = library.scenario(&settings.scenario) else {
        let names: Vec<&str> = library
            .scenarios
            .iter()
            .map(|s| s.scenario.name.as_str())
            .collect();
        return Err(vec![Problem::at(
            "scenario",
            format!(
                "no scenario named `{}` in the library; it has {}",
                settings.scenario,
                names.join(", ")
            ),
        )]);
    };
    let mut problems = Vec::new();
    let name = settings
        .name
        .clone()
        .unwrap_or_else(|| format!("{}_lab", base.scenario.name));
    if !is_short_id(&name) {
        problems.push(Problem::at(
            "name",
            "a name is 1 to 64 lowercase letters, digits, `-` or `_` (it names the output folder)",
        ));
    }
    // The view is named in the file's comment as a file of the library: only one of its
    // views may be.
    if let Some(view) = &settings.view
        && !library.views.iter().any(|v| &v.name == view)
    {
        let names: Vec<&str> = library.views.iter().map(|v| v.name.as_str()).collect();
        problems.push(Problem::at(
            "view",
            format!(
                "no view named `{}` in the library{}; it has {}",
                view.escape_default(),
                crate::format::suggest(view, names.iter().copied()),
                names.join(", ")
            ),
        ));
    }
    if let Some(r) = settings.replicates
        && (r == 0 || r > limits.replicates)
    {
        problems.push(Problem::at(
            "replicates",
            format!(
                "this lab runs 1 to {} replicates an experiment, so that a class shares it fairly (8 or more for a verdict); the command line has no such limit",
                limits.replicates
            ),
        ));
    }
    if let Some(a) = settings.agents
        && (a == 0 || a > limits.agents)
    {
        problems.push(Problem::at(
            "agents",
            format!(
                "this lab runs 1 to {} agents an experiment, so that a class shares it fairly; the command line has no such limit",
                limits.agents
            ),
        ));
    }
    let file = joined(parent_dir(&base.file), &format!("{name}.toml"));
    let mut w = Writer::default();
    write_file(&mut w, base, settings, &name, &mut problems);
    // The file is checked even when the lab has found problems, so that every problem is
    // shown at once; at a control the lab has already spoken for, its own words stand.
    let resolve = |child: &str, parent: &str| library.resolve(child, parent);
    let parsed = Scenario::parse_with(&w.text, &file, &resolve);
    if let Err(diagnostics) = &parsed {
        for p in diagnostics.0.iter().map(|d| placed(d, &file, &w)) {
            let spoken = p.control.is_some() && problems.iter().any(|q| q.control == p.control);
            if !spoken && !problems.contains(&p) {
                problems.push(p);
            }
        }
    }
    let scenario = match parsed {
        Ok(s) if problems.is_empty() => s,
        _ => return Err(problems),
    };
    if scenario.agents() > limits.agents {
        return Err(vec![Problem::at(
            "agents",
            format!(
                "{} agents: this lab runs at most {} an experiment; set fewer",
                scenario.agents(),
                limits.agents
            ),
        )]);
    }
    if scenario.replicates > limits.replicates {
        return Err(vec![Problem::at(
            "replicates",
            format!(
                "{} replicates: this lab runs at most {} an experiment; set fewer",
                scenario.replicates, limits.replicates
            ),
        )]);
    }
    Ok(Experiment {
        file,
        toml: w.text,
        scenario,
    })
}

/// A diagnostic as a problem at its control: by the line of the lab's file it points at,
/// else by its key; the message keeps the file and line where the problem is not in the
/// lab's own file.
fn placed(d: &Diagnostic, file: &str, w: &Writer) -> Problem {
    let own = d.file == file;
    let control = own
        .then(|| w.control_at(d.line))
        .flatten()
        .or_else(|| d.key.as_deref().and_then(control_of_key));
    let message = if own {
        d.message.clone()
    } else {
        format!("{}:{}:{}: {}", d.file, d.line, d.column, d.message)
    };
    Problem { control, message }
}

/// Writes the experiment's file: a comment saying how to rerun it, `extends`, then only
/// what the settings change, each line tagged with its control.
fn write_file(
    w: &mut Writer,
    base: &LibraryScenario,
    s: &Settings,
    name: &str,
    problems: &mut Vec<Problem>,
) {
    let parent = base.file.rsplit('/').next().unwrap_or(&base.file);
    let dir = parent_dir(&base.file);
    let path = if dir.is_empty() {
        format!("{name}.toml")
    } else {
        format!("{dir}/{name}.toml")
    };
    w.line(
        None,
        &format!(
            "# A lab experiment on {}, made by `sovsim serve`.",
            base.scenario.name
        ),
    );
    w.line(
        None,
        &format!("# Save it as {path}, beside {parent}, and rerun it with"),
    );
    w.line(None, &format!("#   sovsim run {path}"));
    w.line(
        None,
        "# The same file and seed give the same runs.csv, decisions.csv and summary.csv as the lab.",
    );
    if let Some(view) = &s.view {
        w.line(
            None,
            &format!(
                "# Mechanism strengths as the view `{}` sets them (scenarios/views/{}.toml).",
                view.replace('\n', " "),
                view.replace('\n', " ")
            ),
        );
    }
    w.line(None, &format!("extends = {}", quoted(parent)));
    w.line(Some("name"), &format!("name = {}", quoted(name)));
    w.line(
        None,
        &format!(
            "description = {}",
            quoted(&format!("{} with the lab's settings", base.scenario.name))
        ),
    );
    if let Some(seed) = s.seed {
        w.line(Some("seed"), &format!("seed = {seed}"));
    }
    if let Some(r) = s.replicates {
        w.line(Some("replicates"), &format!("replicates = {r}"));
    }
    if let Some(a) = s.agents {
        w.line(None, "");
        w.line(None, "[population]");
        w.line(Some("agents"), &format!("agents = {a}"));
    }
    write_decisions(w, s, problems);
    if !s.mechanisms.is_empty() {
        w.line(None, "");
        w.line(None, "[rules.leadership]");
        for (m, value) in &s.mechanisms {
            let control = format!("mechanism.{m}");
            if !LeadershipParams::MECHANISMS.contains(&m.as_str()) {
                problems.push(Problem::at(
                    "mechanisms",
                    format!(
                        "no mechanism `{m}`; the mechanisms are {}",
                        LeadershipParams::MECHANISMS.join(", ")
                    ),
                ));
                continue;
            }
            w.line(Some(&control), &format!("{m} = {}", number(*value)));
        }
    }
    let police = &s.police;
    if police.principal.is_some() || police.targets.is_some() || police.capacity.is_some() {
        w.line(None, "");
        w.line(None, "[rules.repression]");
        if let Some(p) = &police.principal {
            w.line(
                Some("police.principal"),
                &format!("principal = {}", quoted(p)),
            );
        }
        if let Some(c) = police.capacity {
            w.line(
                Some("police.capacity"),
                &format!("capacity = {}", number(c)),
            );
        }
        if let Some(t) = &police.targets {
            let list: Vec<String> = t.iter().map(|x| quoted(x)).collect();
            w.line(
                Some("police.targets"),
                &format!("targets = [{}]", list.join(", ")),
            );
        }
    }
    let soviets = &s.soviets;
    if soviets.elections.is_some() || soviets.recall.is_some() {
        w.line(None, "");
        w.line(None, "[rules.soviets]");
        if let Some(e) = &soviets.elections {
            w.line(
                Some("soviets.elections"),
                &format!("elections = {}", quoted(e)),
            );
        }
        if let Some(r) = soviets.recall {
            w.line(Some("soviets.recall"), &format!("recall = {r}"));
        }
    }
    write_events(w, base, s);
}

/// `[decisions]`: the modes the settings change; an unknown decision or mode, or a pinned
/// decision without a date, is a problem at its control.
fn write_decisions(w: &mut Writer, s: &Settings, problems: &mut Vec<Problem>) {
    let mut header = false;
    for (name, setting) in &s.decisions {
        let control = format!("decision.{name}.mode");
        let Some(decision) = Decision::parse(name) else {
            problems.push(Problem::at(
                "decisions",
                format!(
                    "no decision `{name}`; the decisions are {}",
                    Decision::NAMES.join(", ")
                ),
            ));
            continue;
        };
        let Some(mode) = DecisionMode::parse(&setting.mode) else {
            problems.push(Problem::at(
                control,
                format!(
                    "no mode `{}`; a decision is endogenous (the model takes it), pinned (on a date) or forbidden",
                    setting.mode
                ),
            ));
            continue;
        };
        if mode == DecisionMode::Pinned {
            let date = setting.date.as_deref().unwrap_or("").trim();
            if date.is_empty() {
                problems.push(Problem::at(
                    format!("decision.{name}.date"),
                    "a pinned decision needs the date it is taken (YYYY-MM or YYYY-MM-DD)",
                ));
            }
            let needs_target = decision.target_kind() != TargetKind::None;
            let target = setting.target.as_deref().unwrap_or("").trim();
            if needs_target && target.is_empty() {
                problems.push(Problem::at(
                    format!("decision.{name}.target"),
                    format!("`{name}` is aimed at someone: name its target"),
                ));
            }
        }
        if !header {
            w.line(None, "");
            w.line(None, "[decisions]");
            header = true;
        }
        w.line(Some(&control), &format!("{name} = {}", quoted(mode.name())));
    }
}

/// The events: each inherited `decide` event of a decision the settings change is removed,
/// and a pinned decision gets its own `decide` event.
fn write_events(w: &mut Writer, base: &LibraryScenario, s: &Settings) {
    for (name, setting) in &s.decisions {
        for (id, decision) in &base.pinned_events {
            if decision != name {
                continue;
            }
            // An inherited event without an id cannot be removed; the validator then says
            // that an event takes a decision no longer pinned, at the parent's line.
            if let Some(id) = id {
                w.line(None, "");
                w.line(None, "[[events]]");
                w.line(
                    Some(&format!("decision.{name}.mode")),
                    &format!("id = {}", quoted(id)),
                );
                w.line(Some(&format!("decision.{name}.mode")), "remove = true");
            }
        }
        if setting.mode != "pinned" {
            continue;
        }
        let date = setting.date.as_deref().unwrap_or("").trim();
        let date_control = format!("decision.{name}.date");
        let target_control = format!("decision.{name}.target");
        w.line(None, "");
        w.line(None, "[[events]]");
        w.line(
            Some(&date_control),
            &format!("id = {}", quoted(&format!("lab-{name}"))),
        );
        w.line(Some(&date_control), &format!("date = {}", quoted(date)));
        w.line(Some(&date_control), "action = \"decide\"");
        w.line(
            Some(&format!("decision.{name}.mode")),
            &format!("decision = {}", quoted(name)),
        );
        if let Some(target) = setting.target.as_deref().map(str::trim)
            && !target.is_empty()
        {
            w.line(
                Some(&target_control),
                &format!("target = {}", quoted(target)),
            );
        }
    }
}

/// The page's controls as the scenario sets them, for the library listing: each decision's
/// mode (and the dates the file pins it on), the mechanism strengths, the police and the
/// soviets' rules at the start.
pub fn defaults(entry: &LibraryScenario) -> serde_json::Value {
    let s = &entry.scenario;
    let rules = toml::Table::try_from(&s.rules).unwrap_or_default();
    let get = |rule: &str, p: &str| -> serde_json::Value {
        rules
            .get(rule)
            .and_then(|r| r.get(p))
            .and_then(|v| serde_json::to_value(v).ok())
            .unwrap_or(serde_json::Value::Null)
    };
    let decisions: serde_json::Map<String, serde_json::Value> = Decision::ALL
        .iter()
        .map(|&d| {
            let dates: Vec<String> = s
                .events
                .iter()
                .filter(|e| matches!(&e.action, crate::model::Action::Decide(order) if order.decision == d))
                .map(|e| s.calendar.date(e.step).to_string())
                .collect();
            (
                d.name().to_string(),
                serde_json::json!({ "mode": s.decisions.get(d).name(), "dates": dates }),
            )
        })
        .collect();
    let mechanisms: serde_json::Map<String, serde_json::Value> = LeadershipParams::MECHANISMS
        .iter()
        .map(|m| (m.to_string(), get("leadership", m)))
        .collect();
    serde_json::json!({
        "seed": s.seed,
        "replicates": s.replicates,
        "agents": s.agents(),
        "decisions": decisions,
        "mechanisms": mechanisms,
        "police": {
            "principal": get("repression", "principal"),
            "targets": get("repression", "targets"),
            "capacity": get("repression", "capacity"),
        },
        "soviets": {
            "elections": get("soviets", "elections"),
            "recall": get("soviets", "recall"),
        },
    })
}

/// The library as the page lists it: scenarios (description, explanation, defaults), views,
/// claims, decisions (with what each does and whether it takes a target), mechanisms, the
/// choices of the police and soviets' controls, the metrics, and the limits.
pub fn catalogue(library: &Library, limits: &Limits) -> serde_json::Value {
    let scenarios: Vec<serde_json::Value> = library
        .scenarios
        .iter()
        .map(|e| {
            serde_json::json!({
                "name": e.scenario.name,
                "file": e.file,
                "description": e.scenario.description,
                "explain": e.explain,
                "start": e.scenario.calendar.date(0).to_string(),
                "end": e.scenario.calendar.date(e.scenario.steps().saturating_sub(1)).to_string(),
                "defaults": defaults(e),
            })
        })
        .collect();
    let views: Vec<serde_json::Value> = library
        .views
        .iter()
        .map(|v| {
            let values: BTreeMap<&str, f64> =
                v.values.iter().map(|(m, x)| (m.as_str(), *x)).collect();
            serde_json::json!({
                "name": v.name, "essay": v.essay, "description": v.description, "values": values,
            })
        })
        .collect();
    let claims: Vec<serde_json::Value> = library
        .claims
        .iter()
        .map(|c| {
            serde_json::json!({
                "id": c.claim.id,
                "file": c.file,
                "essay": claims::ESSAYS[c.claim.source].0,
                "argument": c.claim.argument,
                "assumes": c.claim.assumes,
                "contrast": c.claim.contrast.map(|k| claims::CONTRASTS[k]),
            })
        })
        .collect();
    let decisions: Vec<serde_json::Value> = Decision::ALL
        .iter()
        .map(|d| {
            let target = match d.target_kind() {
                TargetKind::None => None,
                TargetKind::Party => Some("a party's name"),
                TargetKind::Faction => Some("a faction's name"),
                TargetKind::Purge => Some("critics or careerists"),
                TargetKind::Police => Some("a police target group"),
            };
            serde_json::json!({ "name": d.name(), "what": d.meaning(), "target": target })
        })
        .collect();
    serde_json::json!({
        "version": env!("CARGO_PKG_VERSION"),
        "scenarios": scenarios,
        "views": views,
        "claims": claims,
        "decisions": decisions,
        "mechanisms": LeadershipParams::MECHANISMS,
        "principals": parameter_names("repression", "principal"),
        "targets": parameter_names("repression", "targets"),
        "elections": parameter_names("soviets", "elections"),
        "metrics": crate::metrics::METRIC_NAMES,
        "limits": limits,
    })
}

/// A claim to evaluate on the spot: its id, and the mechanism strengths and replicates to
/// run both its scenarios with (the strengths merged over each alike, as a claim map varies
/// them; none: the scenarios' own).
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimSettings {
    pub claim: String,
    #[serde(default)]
    pub replicates: Option<u32>,
    #[serde(default)]
    pub mechanisms: BTreeMap<String, f64>,
}

/// A claim's scenario and baseline (none against a threshold) with the settings merged
/// over both, checked as files are; or the problems, at the `claim`, `replicates` or
/// `mechanism.<name>` control.
pub fn claim_sides(
    library: &Library,
    settings: &ClaimSettings,
    limits: &Limits,
) -> Result<(LibraryClaim, Scenario, Option<Scenario>), Vec<Problem>> {
    let Some(entry) = library.claim(&settings.claim) else {
        return Err(vec![Problem::at(
            "claim",
            format!("no claim `{}` in the library", settings.claim),
        )]);
    };
    let mut variation = String::new();
    if let Some(r) = settings.replicates {
        if r == 0 || r > limits.replicates {
            return Err(vec![Problem::at(
                "replicates",
                format!(
                    "this lab runs 1 to {} replicates a scenario (8 or more for a verdict)",
                    limits.replicates
                ),
            )]);
        }
        let _ = writeln!(variation, "replicates = {r}");
    }
    if !settings.mechanisms.is_empty() {
        variation.push_str("[rules.leadership]\n");
        for (m, value) in &settings.mechanisms {
            if !LeadershipParams::MECHANISMS.contains(&m.as_str()) {
                return Err(vec![Problem::at(
                    "mechanisms",
                    format!(
                        "no mechanism `{m}`; the mechanisms are {}",
                        LeadershipParams::MECHANISMS.join(", ")
                    ),
                )]);
            }
            let _ = writeln!(variation, "{m} = {}", number(*value));
        }
    }
    let resolve = |child: &str, parent: &str| library.resolve(child, parent);
    let side = |path: &str| -> Result<Scenario, Vec<Problem>> {
        let (file, text) = library
            .resolve(&entry.file, path)
            .map_err(|why| vec![Problem::at("claim", why)])?;
        let layer = (!variation.is_empty()).then_some(("<lab settings>", variation.as_str()));
        let scenario = Scenario::parse_varied(&text, &file, &resolve, layer).map_err(|d| {
            d.0.iter()
                .map(|d| Problem {
                    control: d.key.as_deref().and_then(control_of_key),
                    message: format!("{}:{}: {}", d.file, d.line, d.message),
                })
                .collect::<Vec<_>>()
        })?;
        if scenario.agents() > limits.agents || scenario.replicates > limits.replicates {
            return Err(vec![Problem::at(
                "replicates",
                format!(
                    "{} runs {} agents and {} replicates; this lab runs at most {} and {}",
                    scenario.name,
                    scenario.agents(),
                    scenario.replicates,
                    limits.agents,
                    limits.replicates
                ),
            )]);
        }
        Ok(scenario)
    };
    let scenario = side(&entry.claim.test.scenario)?;
    let baseline = match &entry.claim.test.against {
        claims::Against::Baseline(path) => Some(side(path)?),
        claims::Against::Threshold(_) => None,
    };
    Ok((entry.clone(), scenario, baseline))
}

#[cfg(test)]
mod tests;
