//! Parameter sweeps: a sweep file (`scenarios/sweeps/*.toml`) names a base scenario, one or
//! more axes (a parameter, an event's field, or a dated series scaled), a design that turns
//! the axes into points (the full `grid`, a `latin_hypercube` sample, or an explicit
//! `list`), and the outcomes to record at every point. [`parse`] reads and checks the file
//! with the scenario files' diagnostics; [`Sweep::resolve`] checks it against the base
//! scenario and makes every point's variation; [`outcome_row`] reduces a point's replicates
//! to the numbers written in `points.csv`; [`shards`] resumes a partial points file and merges
//! shards, on their texts. Running the points and the files themselves are the binary's.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

pub use crate::format::show;

use crate::date::{Date, Precision};
use crate::format::{Diagnostic, Diagnostics, Opened, SourceMap, is_short_id, open, suggest};
use crate::measure::{Cross, Measure, Statistic, Window, window_steps};
use crate::metrics::Row;
use crate::rng;
use crate::scenario::Scenario;
use crate::scenario::keys::accepted_keys;

pub mod axes;
pub mod shards;

pub use axes::{AXIS_KEYS, Axis, Target};
use axes::{AxisSpec, Report, axis};

/// Most points a sweep may have.
pub const MAX_POINTS: usize = 100_000;

/// How the axes become points.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Design {
    /// Every combination of the axes' values, the first axis varying slowest.
    #[default]
    Grid,
    /// `samples` points, each axis's range cut into `samples` equal strata, each stratum used
    /// once per axis, in an order and at a place within it drawn from the sweep's seed.
    LatinHypercube,
    /// The points given in `points`, one value per axis each.
    List,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OutcomeSpec {
    #[serde(default)]
    name: Option<Spanned<String>>,
    metric: Spanned<String>,
    statistic: Spanned<Statistic>,
    #[serde(default)]
    window: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    at: Option<Spanned<String>>,
    #[serde(default)]
    level: Option<Spanned<f64>>,
    #[serde(default)]
    cross: Option<Spanned<Cross>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SweepSpec {
    name: Spanned<String>,
    description: String,
    base: Spanned<String>,
    #[serde(default = "default_replicates")]
    replicates: Spanned<u32>,
    #[serde(default = "default_seed")]
    seed: u64,
    #[serde(default = "default_design")]
    design: Spanned<Design>,
    #[serde(default)]
    samples: Option<Spanned<u32>>,
    #[serde(default)]
    points: Option<Spanned<Vec<Vec<toml::Value>>>>,
    axis: Vec<AxisSpec>,
    outcome: Vec<OutcomeSpec>,
}

fn default_replicates() -> Spanned<u32> {
    Spanned::new(0..0, 8)
}

fn default_seed() -> u64 {
    1917
}

fn default_design() -> Spanned<Design> {
    Spanned::new(0..0, Design::Grid)
}

/// Keys of the file and of `[[outcome]]` (those of `[[axis]]` are [`AXIS_KEYS`]).
pub const TOP_KEYS: [&str; 10] = [
    "name",
    "description",
    "base",
    "replicates",
    "seed",
    "design",
    "samples",
    "points",
    "axis",
    "outcome",
];
pub const OUTCOME_KEYS: [&str; 7] = [
    "name",
    "metric",
    "statistic",
    "window",
    "at",
    "level",
    "cross",
];

fn allowed(path: &[&str]) -> Option<Vec<String>> {
    let own = |keys: &[&str]| Some(keys.iter().map(|k| k.to_string()).collect());
    match path {
        [] => own(&TOP_KEYS),
        ["axis"] => own(&AXIS_KEYS),
        ["outcome"] => own(&OUTCOME_KEYS),
        ["axis", "values"] | ["points"] | ["outcome", "window"] => None,
        _ => Some(Vec::new()),
    }
}

/// says which column that is), and where its metric and window were written.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub name: String,
    pub measure: Measure<String>,
    pub metric_span: Range<usize>,
    pub window_span: Range<usize>,
}

/// A checked sweep file.
#[derive(Clone, Debug)]
pub struct Sweep {
    pub name: String,
    pub description: String,
    /// The base scenario as written (relative to the sweep file).
    pub base: String,
    pub base_span: Range<usize>,
    pub replicates: u32,
    pub seed: u64,
    pub design: Design,
    pub axes: Vec<Axis>,
    pub outcomes: Vec<Outcome>,
    /// Every point's value on each axis, in point order.
    pub points: Vec<Vec<toml::Value>>,
    /// Where `points` was written, for design `list`.
    points_span: Option<Range<usize>>,
    map: SourceMap,
}

/// Every point's variation of the base scenario: a label and the TOML merged over it.
pub type Variations = Vec<(String, String)>;

fn date_of(text: &Spanned<String>, end: bool) -> Result<Date, String> {
    match Date::parse(text.get_ref()) {
        Ok((d, Precision::Month)) if end => Ok(d.end_of_month()),
        Ok((d, _)) => Ok(d),
        Err(e) => Err(e.to_string()),
    }
}

/// Parses and checks a sweep file; `file` names it in diagnostics.
pub fn parse(text: &str, file: &str) -> Result<Sweep, Diagnostics> {
    let Opened {
        spec,
        map,
        mut found,
    } = open::<SweepSpec>(text, file, &allowed, &too_large)?;
    let mut at = |span: Range<usize>, key: &str, message: String| {
        found.push(map.diagnostic(Some(span), Some(key), message));
    };
    let at: &mut Report = &mut at;
    let replicates = header(&spec, at);
    let design = *spec.design.get_ref();
    let accepted = accepted_keys();
    let axes: Vec<Axis> = (spec.axis.iter().enumerate())
        .filter_map(|(k, a)| axis(k, a, design, &accepted, at))
        .collect();
    same_paths(&spec.axis, at);
    let mut names: Vec<String> = Vec::new();
    let outcomes: Vec<Outcome> = (spec.outcome.iter().enumerate())
        .filter_map(|(k, o)| outcome(k, o, &mut names, at))
        .collect();
    let points = if axes.len() == spec.axis.len() && !axes.is_empty() {
        points(&spec, &axes, at)
    } else {
        Vec::new()
    };
    if !found.is_empty() {
        found.sort_by_key(|d| (d.line, d.column));
        return Err(Diagnostics::new(found));
    }
    Ok(Sweep {
        name: spec.name.get_ref().clone(),
        description: spec.description.clone(),
        base: spec.base.get_ref().clone(),
        base_span: spec.base.span(),
        replicates,
        seed: spec.seed,
        design,
        axes,
        outcomes,
        points,
        points_span: spec.points.as_ref().map(|p| p.span()),
        map,
    })
}

/// Two axes on one path would set the same key twice at every point, the second value
/// silently winning, while `points.csv` showed both: refused at the second, naming the
/// first.
fn same_paths(axes: &[AxisSpec], at: &mut Report) {
    for (k, a) in axes.iter().enumerate() {
        if let Some(first) = axes[..k]
            .iter()
            .position(|b| b.path.get_ref() == a.path.get_ref())
        {
            at(
                a.path.span(),
                &format!("axis[{k}].path"),
                format!(
                    "axis[{first}] already varies `{}`; two axes on one path would set it twice at every point, and only one value would run",
                    a.path.get_ref()
                ),
            );
        }
    }
}

/// Sizes too large for their type are out of range like any other.
fn too_large(key: &str, found: i128, _most: u64) -> Option<String> {
    if key == "replicates" {
        Some(format!(
            "expected 1 to {}, found {found}",
            crate::scenario::MAX_REPLICATES
        ))
    } else if key == "samples" {
        Some(format!("expected 1 to {MAX_POINTS} samples"))
    } else if key.starts_with("axis[") && key.ends_with("].steps") {
        Some(format!("expected 1 to {MAX_POINTS} steps"))
    } else {
        None
    }
}

/// The file's own keys: its name, its replicates, and that it has axes and outcomes.
fn header(spec: &SweepSpec, at: &mut Report) -> u32 {
    if !is_short_id(spec.name.get_ref()) {
        at(
            spec.name.span(),
            "name",
            "expected 1 to 64 lowercase letters, digits, `-` and `_` (it names the output folder)"
                .to_string(),
        );
    }
    let replicates = *spec.replicates.get_ref();
    if !(1..=crate::scenario::MAX_REPLICATES).contains(&replicates) {
        at(
            spec.replicates.span(),
            "replicates",
            format!(
                "expected 1 to {}, found {replicates}",
                crate::scenario::MAX_REPLICATES
            ),
        );
    }
    if spec.axis.is_empty() {
        at(
            spec.name.span(),
            "axis",
            "a sweep needs at least one [[axis]]".to_string(),
        );
    }
    if spec.outcome.is_empty() {
        at(
            spec.name.span(),
            "outcome",
            "a sweep needs at least one [[outcome]]".to_string(),
        );
    }
    replicates
}

/// One `[[outcome]]` checked: its name (unique among `names`, the outcomes' so far), its
/// window and its level.
fn outcome(k: usize, o: &OutcomeSpec, names: &mut Vec<String>, at: &mut Report) -> Option<Outcome> {
    let key = |field: &str| format!("outcome[{k}].{field}");
    let statistic = *o.statistic.get_ref();
    let name = o.name.as_ref().map_or_else(
        || format!("{}_{}", o.metric.get_ref(), statistic.name()),
        |n| n.get_ref().clone(),
    );
    if let Some(n) = &o.name
        && !is_short_id(n.get_ref())
    {
        at(
            n.span(),
            &key("name"),
            "expected 1 to 64 lowercase letters, digits, `-` and `_` (it names the outcome's plot files)".to_string(),
        );
    }
    if names.contains(&name) {
        at(
            o.metric.span(),
            &key("name"),
            format!("two outcomes are named `{name}`; give one a `name`"),
        );
    }
    names.push(name.clone());
    let window = outcome_window(k, o, at);
    if statistic.needs_level() != o.level.is_some() {
        at(
            o.statistic.span(),
            &key("level"),
            format!(
                "statistic `{}` {}",
                statistic.name(),
                if statistic.needs_level() {
                    "needs a `level`"
                } else {
                    "takes no `level`"
                }
            ),
        );
    }
    let (window, window_span) = window?;
    Some(Outcome {
        name,
        measure: Measure {
            metric: o.metric.get_ref().clone(),
            window,
            statistic,
            level: o.level.as_ref().map_or(0.0, |l| *l.get_ref()),
            cross: o.cross.as_ref().map(|c| *c.get_ref()).unwrap_or_default(),
        },
        metric_span: o.metric.span(),
        window_span,
    })
}

/// An outcome's window (from `window` or `at`) and where it was written.
fn outcome_window(k: usize, o: &OutcomeSpec, at: &mut Report) -> Option<(Window, Range<usize>)> {
    let key = |field: &str| format!("outcome[{k}].{field}");
    match (&o.window, &o.at) {
        (Some(w), None) => match w.get_ref().as_slice() {
            [a, b] => match (date_of(a, false), date_of(b, true)) {
                (Ok(first), Ok(last)) if first <= last => Some((
                    Window {
                        first,
                        last,
                        single: false,
                    },
                    w.span(),
                )),
                (Ok(_), Ok(_)) => {
                    at(
                        w.span(),
                        &key("window"),
                        "the window ends before it starts".to_string(),
                    );
                    None
                }
                (Err(e), _) | (_, Err(e)) => {
                    at(w.span(), &key("window"), e);
                    None
                }
            },
            _ => {
                at(w.span(), &key("window"), "expected two dates".to_string());
                None
            }
        },
        (None, Some(d)) => match date_of(d, false) {
            Ok(first) => Some((
                Window {
                    first,
                    last: first,
                    single: true,
                },
                d.span(),
            )),
            Err(e) => {
                at(d.span(), &key("at"), e);
                None
            }
        },
        _ => {
            at(
                o.metric.span(),
                &key("window"),
                "give exactly one of `window` (two dates) or `at` (one date)".to_string(),
            );
            None
        }
    }
}

/// Every point's value on each axis, as the design makes them.
fn points(spec: &SweepSpec, axes: &[Axis], at: &mut Report) -> Vec<Vec<toml::Value>> {
    let points = match spec.design.get_ref() {
        Design::Grid => grid_points(spec, axes, at),
        Design::List => listed_points(spec, axes.len(), at),
        Design::LatinHypercube => latin_hypercube_points(spec, axes, at),
    };
    if *spec.design.get_ref() != Design::List && spec.points.is_some() {
        at(
            spec.design.span(),
            "points",
            "`points` is for design `list` only".to_string(),
        );
    }
    if let Some(samples) = &spec.samples
        && *spec.design.get_ref() != Design::LatinHypercube
    {
        at(
            samples.span(),
            "samples",
            format!(
                "`samples` is for design `latin_hypercube` only; design `{}` runs {}, so it would be ignored",
                design_name(*spec.design.get_ref()),
                match spec.design.get_ref() {
                    Design::List => "the points given in `points`",
                    _ => "every combination of the axes' values",
                }
            ),
        );
    }
    points
}

/// A design as the file writes it.
fn design_name(design: Design) -> &'static str {
    match design {
        Design::Grid => "grid",
        Design::LatinHypercube => "latin_hypercube",
        Design::List => "list",
    }
}

/// Every combination of the axes' values ([`axes::grid`]).
fn grid_points(spec: &SweepSpec, axes: &[Axis], at: &mut Report) -> Vec<Vec<toml::Value>> {
    axes::grid(axes).unwrap_or_else(|| {
        at(
            spec.design.span(),
            "design",
            format!("the grid has more than {MAX_POINTS} points"),
        );
        Vec::new()
    })
}

/// The points of design `list`, one value per axis each.
fn listed_points(spec: &SweepSpec, axes: usize, at: &mut Report) -> Vec<Vec<toml::Value>> {
    let Some(p) = &spec.points else {
        at(
            spec.design.span(),
            "points",
            "design `list` needs `points = [[...], ...]`, one value per axis each".to_string(),
        );
        return Vec::new();
    };
    for (n, point) in p.get_ref().iter().enumerate() {
        if point.len() != axes {
            at(
                p.span(),
                "points",
                format!(
                    "point {n} has {} values; expected one per axis ({axes})",
                    point.len(),
                ),
            );
        }
    }
    let points = p.get_ref().clone();
    let same = |a: &[toml::Value], b: &[toml::Value]| {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| match (axes::number(x), axes::number(y)) {
                    (Some(x), Some(y)) => x == y,
                    _ => x == y,
                })
    };
    if points.len() <= MAX_POINTS
        && let Some((n, first)) = (points.iter().enumerate()).find_map(|(n, point)| {
            let first = points[..n].iter().position(|q| same(q, point))?;
            Some((n, first))
        })
    {
        at(
            p.span(),
            "points",
            format!("point {n} repeats point {first}; it would be run twice"),
        );
    }
    if points.is_empty() || points.len() > MAX_POINTS {
        at(
            p.span(),
            "points",
            format!("expected 1 to {MAX_POINTS} points"),
        );
    }
    points
}

/// `samples` points, each axis's range cut into `samples` equal strata, each stratum used
/// once per axis, in an order and at a place within it drawn from the sweep's seed.
fn latin_hypercube_points(
    spec: &SweepSpec,
    axes: &[Axis],
    at: &mut Report,
) -> Vec<Vec<toml::Value>> {
    let n = match &spec.samples {
        Some(s) if (1..=MAX_POINTS as u32).contains(s.get_ref()) => *s.get_ref() as usize,
        Some(s) => {
            at(
                s.span(),
                "samples",
                format!("expected 1 to {MAX_POINTS} samples"),
            );
            return Vec::new();
        }
        None => {
            at(
                spec.design.span(),
                "samples",
                "design `latin_hypercube` needs `samples`: how many points".to_string(),
            );
            return Vec::new();
        }
    };
    let mut stream = rng::design_stream(spec.seed);
    let mut columns = Vec::new();
    for a in axes {
        let (from, to) = a.range.unwrap_or((0.0, 1.0));
        let mut strata: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let j = rng::index(&mut stream, i + 1);
            strata.swap(i, j);
        }
        let column: Vec<f64> = strata
            .iter()
            .map(|&s| {
                let u = rng::uniform(&mut stream);
                from + (to - from) * (s as f64 + u) / n as f64
            })
            .collect();
        columns.push(column);
    }
    (0..n)
        .map(|i| columns.iter().map(|c| toml::Value::Float(c[i])).collect())
        .collect()
}

impl Sweep {
    /// A diagnostic at a span of the sweep file.
    pub fn diagnostic(
        &self,
        span: Option<Range<usize>>,
        key: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.map.diagnostic(span, Some(key), message)
    }

    /// Checks the sweep against its base scenario (`base_doc` is the base's merged document)
    /// and makes each point's variation; every variation is parsed over the base here, so a
    /// value the scenario would refuse is reported at its axis before anything runs.
    pub fn resolve(
        &self,
        base: &Scenario,
        base_doc: &toml::Table,
        reparse: &dyn Fn(&str, &str) -> Result<Scenario, Diagnostics>,
    ) -> Result<Variations, Diagnostics> {
        let mut found = Vec::new();
        let names = base.metric_names();
        for (k, o) in self.outcomes.iter().enumerate() {
            if !names.contains(&o.measure.metric.as_str()) {
                found.push(self.diagnostic(
                    Some(o.metric_span.clone()),
                    &format!("outcome[{k}].metric"),
                    format!(
                        "unknown metric `{}`{}; {} records {}",
                        o.measure.metric,
                        suggest(&o.measure.metric, names.iter().copied()),
                        base.name,
                        names.join(", ")
                    ),
                ));
            } else if let Err(why) = window_steps(&base.calendar, o.measure.window) {
                found.push(self.diagnostic(
                    Some(o.window_span.clone()),
                    &format!("outcome[{k}].window"),
                    why,
                ));
            }
        }
        // An outcome that names nothing: reported with the axes' problems, before any point.
        let outcomes_clean = found.is_empty();
        let mut at = |span: Range<usize>, key: &str, message: String| {
            found.push(self.diagnostic(Some(span), key, message));
        };
        let probes = self.probes();
        if !axes::check_base(&self.axes, &probes, &base.name, base_doc, &mut at) || !outcomes_clean
        {
            return Err(Diagnostics::new(found));
        }
        let of = format!("sweep {}", self.name);
        let side = axes::Side {
            name: &base.name,
            doc: base_doc,
            reparse,
        };
        if !axes::check_values(&self.axes, &probes, &[side], &of, &mut at) {
            return Err(Diagnostics::new(found));
        }
        let variations: Variations = (self.points.iter().enumerate())
            .map(|(i, point)| {
                axes::vary(&self.axes, i, point, &of, None, base_doc, reparse, &mut at)
            })
            .collect();
        if found.is_empty() {
            Ok(variations)
        } else {
            Err(Diagnostics::new(found))
        }
    }

    /// Each axis's values to check one by one, with where each was written ([`Axis::probes`];
    /// on a `list`, every value its column of `points` holds, at `points`).
    fn probes(&self) -> Vec<Vec<(toml::Value, Range<usize>)>> {
        (self.axes.iter().enumerate())
            .map(|(k, a)| match (&self.design, &self.points_span) {
                (Design::List, Some(span)) => {
                    let mut column: Vec<(toml::Value, Range<usize>)> = Vec::new();
                    for point in &self.points {
                        if let Some(v) = point.get(k)
                            && !column.iter().any(|(w, _)| w == v)
                        {
                            column.push((v.clone(), span.clone()));
                        }
                    }
                    column
                }
                _ => a.probes(),
            })
            .collect()
    }

    /// The header of `points.csv`: `point`, the axes' paths, then each outcome's mean, p05
    /// and p95.
    pub fn header(&self) -> Vec<String> {
        let mut h = vec!["point".to_string()];
        h.extend(self.axes.iter().map(|a| a.path.clone()));
        for o in &self.outcomes {
            for s in ["mean", "p05", "p95"] {
                h.push(format!("{}_{s}", o.name));
            }
        }
        h
    }
}

/// One outcome's value in one replicate.
pub fn replicate_outcome(o: &Outcome, scenario: &Scenario, rows: &[Row]) -> f64 {
    let metric = scenario
        .metric_names()
        .iter()
        .position(|m| *m == o.measure.metric)
        .unwrap_or(0);
    let steps = window_steps(&scenario.calendar, o.measure.window).unwrap_or(0..=0);
    o.measure
        .with_metric(metric)
        .value(&scenario.calendar, &steps, rows)
}

/// A point's row of `points.csv`: its index, its values, then each outcome's mean, p05 and
/// p95 over replicates (`values[outcome][replicate]`), six decimals.
pub fn outcome_row(index: usize, point: &[toml::Value], values: &[Vec<f64>]) -> Vec<String> {
    let mut row = vec![index.to_string()];
    row.extend(point.iter().map(show));
    for v in values {
        let mut sorted: Vec<f64> = v.iter().map(|&x| crate::output::as_written(x)).collect();
        let mean = sorted.iter().sum::<f64>() / sorted.len().max(1) as f64;
        sorted.sort_by(f64::total_cmp);
        for x in [
            mean,
            crate::output::quantile(&sorted, 0.05),
            crate::output::quantile(&sorted, 0.95),
        ] {
            row.push(crate::output::fixed(x));
        }
    }
    row
}

#[cfg(test)]
mod tests;
