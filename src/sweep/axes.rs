//! What sweeps and claim maps share about their axes: an `[[axis]]` table as written
//! ([`AxisSpec`]) and checked ([`axis`]) with its path ([`Target`]) and its values, the grid
//! of every combination of the axes' values ([`grid`]), and a point made into the TOML text
//! merged over a scenario ([`variation`]) and parsed over it ([`vary`]), after checking that
//! the scenario has what the axes name ([`check_base`]). A sweep varies one base scenario; a map varies a claim's
//! scenario and its baseline with the same values.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::{Design, MAX_POINTS};
use crate::format::{Diagnostics, show, suggest};
use crate::model::SERIES_NAMES;
use crate::scenario::Scenario;
use crate::scenario::keys::EVENT;

/// Keys of `[[axis]]`.
pub const AXIS_KEYS: [&str; 6] = ["path", "values", "from", "to", "steps", "label"];

/// An `[[axis]]` table as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AxisSpec {
    pub path: Spanned<String>,
    #[serde(default)]
    pub values: Option<Spanned<Vec<toml::Value>>>,
    #[serde(default)]
    pub from: Option<Spanned<f64>>,
    #[serde(default)]
    pub to: Option<Spanned<f64>>,
    #[serde(default)]
    pub steps: Option<Spanned<u32>>,
    #[serde(default)]
    pub label: Option<String>,
}

/// What an axis moves.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// A key of the scenario file set to the value (`rules.repression.detection`,
    /// `population.agents`).
    Set(String),
    /// One field of the event with this `id` (`events.red-terror.value`).
    Event { id: String, field: String },
    /// Every value of a dated series multiplied by the axis value (clamped to [0, 1]).
    Scale(String),
}

/// A checked axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub path: String,
    pub target: Target,
    /// Its values for a grid; empty for a Latin hypercube (which uses the range).
    pub values: Vec<toml::Value>,
    pub range: Option<(f64, f64)>,
    /// For plots: what the axis is and in which unit (default: the path).
    pub label: String,
    pub span: Range<usize>,
}

/// Where the checks send a problem: its span, its key, and the message.
pub type Report<'a> = dyn FnMut(Range<usize>, &str, String) + 'a;

/// One `[[axis]]` checked (the `k`-th of its file): what it moves, and its values or range
/// for `design`; `accepted` is every scenario key ([`crate::scenario::keys::accepted_keys`]).
pub fn axis(
    k: usize,
    a: &AxisSpec,
    design: Design,
    accepted: &[String],
    at: &mut Report,
) -> Option<Axis> {
    let target = target(k, a, accepted, at);
    axis_with(k, a, design, target, at)
}

/// [`axis`] with its target found by the caller (`None` when the caller reported the path
/// as wrong), for a format whose axes may vary fewer things than a sweep's.
pub fn axis_with(
    k: usize,
    a: &AxisSpec,
    design: Design,
    target: Option<Target>,
    at: &mut Report,
) -> Option<Axis> {
    let (values, range) = axis_values(k, a, design, at);
    let path = a.path.get_ref().clone();
    Some(Axis {
        label: a.label.clone().unwrap_or_else(|| path.clone()),
        target: target?,
        path,
        values,
        range,
        span: a.path.span(),
    })
}

/// What an axis's `path` moves: a scenario key, an event's field, or a series scaled.
fn target(k: usize, a: &AxisSpec, accepted: &[String], at: &mut Report) -> Option<Target> {
    let key = format!("axis[{k}].path");
    let path = a.path.get_ref();
    let parts: Vec<&str> = path.split('.').collect();
    match parts.as_slice() {
        ["events", id, field] => {
            if EVENT.contains(field) && !matches!(*field, "id" | "remove") {
                Some(Target::Event {
                    id: id.to_string(),
                    field: field.to_string(),
                })
            } else {
                at(
                    a.path.span(),
                    &key,
                    format!(
                        "an event has no field `{field}`{} that a sweep can vary; expected one of {}",
                        suggest(field, EVENT),
                        EVENT
                            .iter()
                            .filter(|f| !matches!(**f, "id" | "remove"))
                            .copied()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                None
            }
        }
        ["environment", series] if SERIES_NAMES.contains(series) => {
            Some(Target::Scale(series.to_string()))
        }
        _ if accepted.contains(path)
            && !matches!(
                parts[0],
                "name"
                    | "description"
                    | "extends"
                    | "events"
                    | "environment"
                    | "parties"
                    | "reference"
            ) =>
        {
            Some(Target::Set(path.clone()))
        }
        _ => {
            at(
                a.path.span(),
                &key,
                format!(
                    "`{path}` names nothing a sweep can vary{}; expected a scenario key such as rules.repression.detection, an event field events.<id>.<field>, or a series environment.<series> (scaled)",
                    suggest(path, accepted.iter().map(String::as_str))
                ),
            );
            None
        }
    }
}

/// An axis's values (for a grid or a list) and its range (for a Latin hypercube).
fn axis_values(
    k: usize,
    a: &AxisSpec,
    design: Design,
    at: &mut Report,
) -> (Vec<toml::Value>, Option<(f64, f64)>) {
    let key = |field: &str| format!("axis[{k}].{field}");
    let mut values = Vec::new();
    let mut range = None;
    match (&a.values, &a.from, &a.to) {
        (Some(v), None, None) => {
            if v.get_ref().is_empty() {
                at(
                    v.span(),
                    &key("values"),
                    "expected at least one value".to_string(),
                );
            }
            if design == Design::LatinHypercube {
                at(
                    v.span(),
                    &key("values"),
                    "a latin_hypercube axis needs a range, `from` and `to`, not `values`"
                        .to_string(),
                );
            }
            values = v.get_ref().clone();
        }
        (None, Some(from), Some(to)) => {
            let (f, t) = (*from.get_ref(), *to.get_ref());
            if !(f.is_finite() && t.is_finite()) {
                at(
                    from.span(),
                    &key("from"),
                    "expected finite numbers".to_string(),
                );
            }
            range = Some((f, t));
            match (&a.steps, design) {
                (Some(s), _) => {
                    let n = *s.get_ref();
                    if n == 0 || n as usize > MAX_POINTS {
                        at(
                            s.span(),
                            &key("steps"),
                            format!("expected 1 to {MAX_POINTS} steps"),
                        );
                    } else if n == 1 {
                        values.push(toml::Value::Float(f));
                    } else {
                        for i in 0..n {
                            let x = f + (t - f) * i as f64 / (n - 1) as f64;
                            values.push(toml::Value::Float(x));
                        }
                    }
                }
                (None, Design::LatinHypercube) => {}
                (None, _) => at(
                    to.span(),
                    &key("steps"),
                    "a range on a grid needs `steps`: how many values from `from` to `to`, both included".to_string(),
                ),
            }
        }
        (None, None, None) if design == Design::List => {}
        _ => at(
            a.path.span(),
            &key("values"),
            "give an axis either `values = [...]` or a range `from`, `to` (with `steps` on a grid)"
                .to_string(),
        ),
    }
    (values, range)
}

/// Every combination of the axes' values, the first axis varying slowest (point 0 is every
/// axis's first value); `None` when there would be more than [`MAX_POINTS`].
pub fn grid(axes: &[Axis]) -> Option<Vec<Vec<toml::Value>>> {
    let total = axes.iter().try_fold(1usize, |n, a| {
        n.checked_mul(a.values.len()).filter(|&n| n <= MAX_POINTS)
    })?;
    let mut points = Vec::with_capacity(total);
    for i in 0..total {
        let mut rest = i;
        let mut point = vec![toml::Value::Boolean(false); axes.len()];
        for (k, a) in axes.iter().enumerate().rev() {
            let n = a.values.len().max(1);
            point[k] = a.values[rest % n].clone();
            rest /= n;
        }
        points.push(point);
    }
    Some(points)
}

/// Sets a dotted key in a table, making the tables on the way.
fn insert(table: &mut toml::Table, path: &str, value: toml::Value) {
    let mut parts: Vec<&str> = path.split('.').collect();
    let Some(last) = parts.pop() else { return };
    let mut node = table;
    for part in parts {
        let entry = node
            .entry(part.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if !entry.is_table() {
            *entry = toml::Value::Table(toml::Table::new());
        }
        let Some(next) = entry.as_table_mut() else {
            return;
        };
        node = next;
    }
    node.insert(last.to_string(), value);
}

/// The events of a scenario's merged document, as tables.
fn events(doc: &toml::Table) -> Vec<&toml::Table> {
    doc.get("events")
        .and_then(toml::Value::as_array)
        .map(|a| a.iter().filter_map(toml::Value::as_table).collect())
        .unwrap_or_default()
}

/// What a scenario (`name`, its merged document `doc`) lacks that the axes name: an event
/// `id` it does not have, a series it does not give; each reported through `at` at its
/// axis's path. Whether all is there.
pub fn check_base(axes: &[Axis], name: &str, doc: &toml::Table, at: &mut Report) -> bool {
    let events = events(doc);
    let mut clean = true;
    for (k, a) in axes.iter().enumerate() {
        let fail = match &a.target {
            Target::Event { id, .. } => {
                let ids: Vec<&str> = events
                    .iter()
                    .filter_map(|e| e.get("id").and_then(toml::Value::as_str))
                    .collect();
                (!ids.contains(&id.as_str())).then(|| {
                    format!(
                        "{name} has no event with id `{id}`{}",
                        suggest(id, ids.iter().copied())
                    )
                })
            }
            Target::Scale(series) => doc
                .get("environment")
                .and_then(|e| e.get(series))
                .is_none()
                .then(|| {
                    format!(
                        "{name} does not give the series environment.{series}, so there is nothing to scale"
                    )
                }),
            Target::Set(_) => None,
        };
        if let Some(message) = fail {
            at(a.span.clone(), &format!("axis[{k}].path"), message);
            clean = false;
        }
    }
    clean
}

/// A scenario parsed with a variation merged over it: the label it is shown under and the
/// TOML text ([`crate::scenario::Scenario::parse_varied`]).
pub type Reparse<'a> = dyn Fn(&str, &str) -> Result<Scenario, Diagnostics> + 'a;

/// Point `i`'s variation of one scenario (its merged document `doc`), made ([`variation`])
/// and parsed with `reparse`, so that a value the scenario would refuse is reported through
/// `at`, at the axes, before anything runs. `of` names what the points are of in the label
/// (`sweep s`, `map m`); `side` names the scenario in the message when there are several.
/// Returns the label and the text.
#[allow(clippy::too_many_arguments)]
pub fn vary(
    axes: &[Axis],
    i: usize,
    point: &[toml::Value],
    of: &str,
    side: Option<&str>,
    doc: &toml::Table,
    reparse: &Reparse,
    at: &mut Report,
) -> (String, String) {
    let (text, problems) = variation(axes, point, doc);
    for (k, message) in problems {
        at(axes[k].span.clone(), &format!("axis[{k}].values"), message);
    }
    let shown = shown(axes, point).join(", ");
    let label = format!("<{of} point {i}: {shown}>");
    if let (Err(d), Some(first)) = (reparse(&label, &text), axes.first()) {
        let of_side = side.map_or(String::new(), |s| format!(" of {s}"));
        at(
            first.span.clone(),
            "axis",
            format!("point {i} ({shown}) makes an invalid scenario{of_side}:\n{d}"),
        );
    }
    (label, text)
}

/// A point's values as shown in labels and messages: `path = value`, one per axis.
pub fn shown(axes: &[Axis], point: &[toml::Value]) -> Vec<String> {
    axes.iter()
        .zip(point)
        .map(|(a, v)| format!("{} = {}", a.path, show(v)))
        .collect()
}

/// A point made into the TOML text merged over a scenario (`doc`, its merged document), as a
/// child file setting the point's values would be: a key set, an event's field changed
/// (the event copied whole, since events merge by id), a series scaled. Also any axis whose
/// value cannot be applied, with the axis's index.
pub fn variation(
    axes: &[Axis],
    point: &[toml::Value],
    doc: &toml::Table,
) -> (String, Vec<(usize, String)>) {
    let events = events(doc);
    let mut problems = Vec::new();
    let mut table = toml::Table::new();
    let mut changed: BTreeMap<String, toml::Table> = BTreeMap::new();
    for (k, (a, value)) in axes.iter().zip(point).enumerate() {
        match &a.target {
            Target::Set(path) => insert(&mut table, path, value.clone()),
            Target::Event { id, field } => {
                let event = changed.entry(id.clone()).or_insert_with(|| {
                    events
                        .iter()
                        .find(|e| e.get("id").and_then(toml::Value::as_str) == Some(id))
                        .map(|e| (*e).clone())
                        .unwrap_or_default()
                });
                event.insert(field.clone(), value.clone());
            }
            Target::Scale(series) => {
                let factor = value
                    .as_float()
                    .or_else(|| value.as_integer().map(|n| n as f64));
                let points = doc
                    .get("environment")
                    .and_then(|e| e.get(series))
                    .and_then(toml::Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                let scaled: Vec<toml::Value> = points
                    .into_iter()
                    .map(|p| match (p.as_array(), factor) {
                        (Some(pair), Some(f)) if pair.len() == 2 => {
                            let v = pair[1]
                                .as_float()
                                .or_else(|| pair[1].as_integer().map(|n| n as f64))
                                .unwrap_or(0.0);
                            toml::Value::Array(vec![
                                pair[0].clone(),
                                toml::Value::Float((v * f).clamp(0.0, 1.0)),
                            ])
                        }
                        _ => p,
                    })
                    .collect();
                if factor.is_none() {
                    problems.push((
                        k,
                        format!("a series is scaled by a number; found {}", show(value)),
                    ));
                }
                insert(
                    &mut table,
                    &format!("environment.{series}"),
                    toml::Value::Array(scaled),
                );
            }
        }
    }
    if !changed.is_empty() {
        table.insert(
            "events".to_string(),
            toml::Value::Array(changed.into_values().map(toml::Value::Table).collect()),
        );
    }
    (toml::to_string(&table).unwrap_or_default(), problems)
}
