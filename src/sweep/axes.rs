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
    pub values: Option<Spanned<Vec<Spanned<toml::Value>>>>,
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
    /// Every value of a dated series multiplied by the axis value, a factor that keeps the
    /// series within [0, 1] ([`check_base`] refuses any other).
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
    /// Where each of `values` was written (a value of a range: at its `from`, `steps` or
    /// `to`), so that a value refused is reported at its own line.
    pub value_spans: Vec<Range<usize>>,
    /// Where `from` and `to` were written, for a range.
    pub range_spans: Option<(Range<usize>, Range<usize>)>,
}

impl Axis {
    /// The values to check one by one, each with where it was written: the axis's values
    /// or, for a Latin hypercube, the two ends of its range (whatever it draws lies between).
    pub fn probes(&self) -> Vec<(toml::Value, Range<usize>)> {
        match (&self.range, &self.range_spans) {
            (Some((from, to)), Some((fs, ts))) if self.values.is_empty() => vec![
                (toml::Value::Float(*from), fs.clone()),
                (toml::Value::Float(*to), ts.clone()),
            ],
            _ => (self.values.iter().cloned())
                .zip(self.value_spans.iter().cloned())
                .collect(),
        }
    }
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
    let (values, value_spans, range) = axis_values(k, a, design, at);
    let path = a.path.get_ref().clone();
    repeated(k, &values, &value_spans, design, at);
    Some(Axis {
        label: a.label.clone().unwrap_or_else(|| path.clone()),
        target: target?,
        path,
        values,
        range,
        span: a.path.span(),
        value_spans,
        range_spans: a
            .from
            .as_ref()
            .zip(a.to.as_ref())
            .map(|(f, t)| (f.span(), t.span())),
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

/// An axis's values (for a grid) with where each was written, and its range (for a Latin
/// hypercube). A key the design would ignore is refused: on a `list` the points give the
/// values, and a Latin hypercube draws from the range whatever `steps` says.
#[allow(clippy::type_complexity)]
fn axis_values(
    k: usize,
    a: &AxisSpec,
    design: Design,
    at: &mut Report,
) -> (Vec<toml::Value>, Vec<Range<usize>>, Option<(f64, f64)>) {
    let key = |field: &str| format!("axis[{k}].{field}");
    let mut values = Vec::new();
    let mut spans = Vec::new();
    let mut range = None;
    if design == Design::List {
        let given = [
            ("values", a.values.as_ref().map(|v| v.span())),
            ("from", a.from.as_ref().map(|v| v.span())),
            ("to", a.to.as_ref().map(|v| v.span())),
            ("steps", a.steps.as_ref().map(|v| v.span())),
        ];
        for (field, span) in given {
            if let Some(span) = span {
                at(
                    span,
                    &key(field),
                    format!(
                        "design `list` takes each point's values from `points`, so an axis's `{field}` would be ignored; an axis of a list has only `path` and `label`"
                    ),
                );
            }
        }
        return (values, spans, range);
    }
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
            for value in v.get_ref() {
                values.push(value.get_ref().clone());
                spans.push(value.span());
            }
            if let Some(s) = &a.steps {
                at(
                    s.span(),
                    &key("steps"),
                    "`steps` divides a range, `from` to `to`; an axis with `values` runs those"
                        .to_string(),
                );
            }
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
                (Some(s), Design::LatinHypercube) => at(
                    s.span(),
                    &key("steps"),
                    "a latin_hypercube axis draws `samples` values from its range; `steps` would be ignored".to_string(),
                ),
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
                        spans.push(from.span());
                    } else if f == t {
                        at(
                            to.span(),
                            &key("to"),
                            format!("`from` and `to` are equal, so the {n} steps would all be the one value {f} and run it {n} times; give `steps = 1` or a wider range"),
                        );
                    } else {
                        for i in 0..n {
                            let x = f + (t - f) * i as f64 / (n - 1) as f64;
                            values.push(toml::Value::Float(x));
                            spans.push(match i {
                                0 => from.span(),
                                i if i == n - 1 => to.span(),
                                _ => s.span(),
                            });
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
        _ => at(
            a.path.span(),
            &key("values"),
            "give an axis either `values = [...]` or a range `from`, `to` (with `steps` on a grid)"
                .to_string(),
        ),
    }
    (values, spans, range)
}

/// The same value twice on an axis would run the same points twice (and a map would draw
/// one cell over another): refused at the second, naming the first. Numbers are compared as
/// numbers (`1` and `1.0` are one value).
fn repeated(
    k: usize,
    values: &[toml::Value],
    spans: &[Range<usize>],
    design: Design,
    at: &mut Report,
) {
    let same = |a: &toml::Value, b: &toml::Value| match (number(a), number(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    };
    for (j, v) in values.iter().enumerate() {
        let Some(first) = values[..j].iter().position(|w| same(v, w)) else {
            continue;
        };
        let Some(span) = spans.get(j) else { continue };
        let what = match design {
            Design::Grid => "every point with it would run twice",
            _ => "it would be run twice",
        };
        at(
            span.clone(),
            &format!("axis[{k}].values"),
            format!(
                "the value {} is given twice (first as value {} of this axis); {what}",
                show(v),
                first + 1
            ),
        );
        return;
    }
}

/// A value as a number, if it is one.
pub fn number(v: &toml::Value) -> Option<f64> {
    v.as_float().or_else(|| v.as_integer().map(|i| i as f64))
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
/// axis's path. And a series scaled by a factor that would take it outside 0 to 1, at the
/// factor (`probes`, each axis's values with where they were written, [`Axis::probes`]):
/// clamped, the points would be labelled with factors that never ran. Whether all is well.
pub fn check_base(
    axes: &[Axis],
    probes: &[Vec<(toml::Value, Range<usize>)>],
    name: &str,
    doc: &toml::Table,
    at: &mut Report,
) -> bool {
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
            Target::Scale(series) => match series_points(doc, series) {
                None => Some(format!(
                    "{name} does not give the series environment.{series}, so there is nothing to scale"
                )),
                Some(points) => {
                    let values = probes.get(k).map_or(&[][..], Vec::as_slice);
                    clean &= check_factors(k, series, &points, values, at);
                    None
                }
            },
            Target::Set(_) => None,
        };
        if let Some(message) = fail {
            at(a.span.clone(), &format!("axis[{k}].path"), message);
            clean = false;
        }
    }
    clean
}

/// A series of a merged document as (date, value) points, if the document gives it.
fn series_points(doc: &toml::Table, series: &str) -> Option<Vec<(String, f64)>> {
    let points = doc.get("environment")?.get(series)?.as_array()?;
    Some(
        points
            .iter()
            .filter_map(|p| {
                let pair = p.as_array()?;
                let date = pair.first().map_or_else(String::new, show);
                Some((date, number(pair.get(1)?)?))
            })
            .collect(),
    )
}

/// Whether every factor keeps the series (its `points`) within 0 to 1, the range of every
/// series; each factor that does not is reported at its own place with the factors that do.
fn check_factors(
    k: usize,
    series: &str,
    points: &[(String, f64)],
    factors: &[(toml::Value, Range<usize>)],
    at: &mut Report,
) -> bool {
    let top = points
        .iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .filter(|(_, v)| *v > 0.0);
    // Shown cut down, not rounded, so that the largest factor shown is one that fits.
    let allowed = match top {
        Some((date, v)) => format!(
            "the factors that keep it within are 0 to {} (1 divided by its largest value, {} on {date})",
            (1000.0 / v).floor() / 1000.0,
            v
        ),
        None => "every value is 0, so any factor of 0 or more keeps it there".to_string(),
    };
    let mut clean = true;
    let mut reported: Vec<&Range<usize>> = Vec::new();
    for (value, span) in factors {
        let Some(f) = number(value) else { continue };
        let beyond = points
            .iter()
            .find(|(_, v)| !(0.0..=1.0).contains(&(v * f)) || !f.is_finite());
        if f >= 0.0 && beyond.is_none() || reported.contains(&span) {
            continue;
        }
        reported.push(span);
        clean = false;
        let reaches = match beyond {
            Some((date, v)) if f >= 0.0 => format!(" (its value {v} on {date} would be {})", v * f),
            _ => String::new(),
        };
        at(
            span.clone(),
            &format!("axis[{k}].values"),
            format!(
                "scaling environment.{series} by {} takes it outside 0 to 1, the range of a series{reaches}; {allowed}",
                show(value)
            ),
        );
    }
    clean
}

/// One side of what the axes vary: a scenario's name, its merged document
/// ([`crate::scenario::merged_document`]) and how to parse it with a variation merged over
/// it ([`Scenario::parse_varied`]). A sweep has one, its base; a map two, a claim's scenario
/// and its baseline.
pub struct Side<'a> {
    pub name: &'a str,
    pub doc: &'a toml::Table,
    pub reparse: &'a Reparse<'a>,
}

/// Each axis's values (`probes`, [`Axis::probes`]) set one at a time over each side and
/// parsed, so that a value a scenario refuses is reported once, at the value's own line, and
/// not at every point that has it (`of` names what the axes are of, `sweep s`). Whether
/// every value was taken; if not, the points need not be tried.
pub fn check_values(
    axes: &[Axis],
    probes: &[Vec<(toml::Value, Range<usize>)>],
    sides: &[Side],
    of: &str,
    at: &mut Report,
) -> bool {
    let mut clean = true;
    for (k, (a, values)) in axes.iter().zip(probes).enumerate() {
        let mut reported: Vec<&Range<usize>> = Vec::new();
        for (value, span) in values {
            if reported.contains(&span) {
                continue;
            }
            let shown = format!("{} = {}", a.path, show(value));
            let mut refused_by: Vec<&str> = Vec::new();
            let mut why: Option<String> = None;
            for side in sides {
                let (text, problems) = variation(
                    std::slice::from_ref(a),
                    std::slice::from_ref(value),
                    side.doc,
                );
                let reason = if let Some((_, message)) = problems.into_iter().next() {
                    Some(message)
                } else {
                    let label = format!("<{of} axis {k}: {shown}>");
                    (side.reparse)(&label, &text)
                        .err()
                        .map(|d| inner(&d, &label))
                };
                if let Some(reason) = reason {
                    refused_by.push(side.name);
                    why.get_or_insert(reason);
                }
            }
            let Some(why) = why else { continue };
            reported.push(span);
            clean = false;
            at(
                span.clone(),
                &format!("axis[{k}].values"),
                format!(
                    "`{shown}` makes an invalid scenario of {}: {why}",
                    refused_by.join(" and ")
                ),
            );
        }
    }
    clean
}

/// The problems a scenario has with a variation, as one line: each with its key, those in
/// the variation itself (the file `label`) first.
fn inner(d: &Diagnostics, label: &str) -> String {
    let mut found: Vec<&crate::format::Diagnostic> = d.0.iter().collect();
    found.sort_by_key(|x| x.file != label);
    found
        .iter()
        .map(|x| match &x.key {
            Some(key) => format!("`{key}`: {}", x.message),
            None => x.message.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ")
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
