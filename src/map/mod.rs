//! Claim maps: where a claim holds over two mechanism strengths. A map file
//! (`scenarios/maps/*.toml`) names a claim (a claims file and the claim's id) and two axes,
//! each a number the scenarios take (`rules.leadership.doctrine`), with their values; every
//! combination of the two is a point, a variation merged over both the claim's scenario and
//! its baseline exactly as a child file would be, and at every point the claim's test is
//! evaluated as the claims command evaluates it. The map is the verdicts drawn as a grid
//! ([`crate::plot::map`]), with each essay's view marked where its strengths put it.
//!
//! [`parse`] reads and checks a map file with the diagnostics every format shares (the
//! axes as [`crate::sweep::axes`] reads a sweep's); [`ClaimMap::find_claim`] and
//! [`ClaimMap::resolve`] check it against its claim and the claim's scenarios and make
//! every point's variations; [`evaluate_point`] and [`point_row`] make a point's row of the
//! points file; [`cells`] and [`marks`] read the finished file back and place the views for
//! the plot; [`MapManifest`] is `<name>.json`. The files, the runs and the threads are the
//! binary's; the points file grows and its shards merge as a sweep's do
//! ([`crate::sweep::shards`]).

use std::ops::Range;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::claims::evaluate::{Evaluation, Verdict, evaluate_runs};
use crate::claims::{Against, CONTRASTS, Claim, ClaimsFile, Test, contrast_range};
use crate::compare::{self, pairing};
use crate::ensemble::ReplicateResult;
use crate::format::{Diagnostic, Diagnostics, Opened, SourceMap, is_short_id, open, show, suggest};
use crate::metrics::Row;
use crate::model::params::LeadershipParams;
use crate::output::{as_written, fixed};
use crate::plot::map::{Cell, Mark};
use crate::scenario::keys::{number_keys, rule_default};
use crate::scenario::{MAX_REPLICATES, Scenario, View, hex_sha256};
use crate::sweep::Design;
use crate::sweep::axes::{self, AXIS_KEYS, Axis, AxisSpec, Report, Target, axis_with};

/// Keys of a map file (those of `[[axis]]` are [`AXIS_KEYS`], as in a sweep).
pub const TOP_KEYS: [&str; 8] = [
    "name",
    "description",
    "contrast",
    "claims",
    "claim",
    "replicates",
    "seed",
    "axis",
];

/// Replicates per scenario and point unless the file says otherwise: as many as a verdict
/// other than inconclusive needs ([`crate::claims::MIN_REPLICATES`]).
pub const DEFAULT_REPLICATES: u32 = 8;

/// The seed unless the file says otherwise (a sweep's too).
pub const DEFAULT_SEED: u64 = 1917;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MapSpec {
    name: Spanned<String>,
    description: Spanned<String>,
    contrast: Spanned<u32>,
    claims: Spanned<String>,
    claim: Spanned<String>,
    #[serde(default = "default_replicates")]
    replicates: Spanned<u32>,
    #[serde(default = "default_seed")]
    seed: u64,
    #[serde(default)]
    axis: Vec<AxisSpec>,
}

fn default_replicates() -> Spanned<u32> {
    Spanned::new(0..0, DEFAULT_REPLICATES)
}

fn default_seed() -> u64 {
    DEFAULT_SEED
}

fn allowed(path: &[&str]) -> Option<Vec<String>> {
    let own = |keys: &[&str]| Some(keys.iter().map(|k| k.to_string()).collect());
    match path {
        [] => own(&TOP_KEYS),
        ["axis"] => own(&AXIS_KEYS),
        ["axis", "values"] => None,
        _ => Some(Vec::new()),
    }
}

/// A checked map file.
#[derive(Clone, Debug)]
pub struct ClaimMap {
    /// Short id: names its files, `<name>.csv`, `.json`, `.svg` and `.png`.
    pub name: String,
    pub description: String,
    /// Index into [`CONTRASTS`] (the file writes it from 1).
    pub contrast: usize,
    /// The claims file as written (relative to the map file).
    pub claims: String,
    /// The claim's id in it.
    pub claim: String,
    pub replicates: u32,
    pub seed: u64,
    /// The two axes: the first across, the second up.
    pub axes: Vec<Axis>,
    /// Every point's value on each axis, the first axis varying slowest.
    pub points: Vec<Vec<toml::Value>>,
    claims_span: Range<usize>,
    claim_span: Range<usize>,
    contrast_span: Range<usize>,
    map: SourceMap,
}

/// Parses and checks a map file; `file` names it in diagnostics. Every problem is reported
/// at once, each at its line and column with its key.
pub fn parse(text: &str, file: &str) -> Result<ClaimMap, Diagnostics> {
    let Opened {
        spec,
        map,
        mut found,
    } = open::<MapSpec>(text, file, &allowed, &too_large)?;
    let mut at = |span: Range<usize>, key: &str, message: String| {
        found.push(map.diagnostic(Some(span), Some(key), message));
    };
    let at: &mut Report = &mut at;
    header(&spec, at);
    let numbers = number_keys();
    let axes: Vec<Axis> = (spec.axis.iter().enumerate())
        .filter_map(|(k, a)| axis(k, a, &numbers, at))
        .collect();
    if spec.axis.len() != 2 {
        let span = spec.axis.get(2).map_or(spec.name.span(), |a| a.path.span());
        at(
            span,
            "axis",
            format!(
                "a map has exactly two [[axis]] tables, the first drawn across and the second up; found {}",
                spec.axis.len()
            ),
        );
    } else if let [a, b] = axes.as_slice()
        && a.path == b.path
    {
        at(
            b.span.clone(),
            "axis[1].path",
            format!(
                "both axes vary `{}`; a map needs two different keys",
                a.path
            ),
        );
    }
    let points = if axes.len() == 2 && spec.axis.len() == 2 {
        axes::grid(&axes).unwrap_or_default()
    } else {
        Vec::new()
    };
    if !found.is_empty() {
        found.sort_by_key(|d| (d.line, d.column));
        return Err(Diagnostics::new(found));
    }
    Ok(ClaimMap {
        name: spec.name.get_ref().clone(),
        description: spec.description.get_ref().trim().to_string(),
        contrast: *spec.contrast.get_ref() as usize - 1,
        claims: spec.claims.get_ref().clone(),
        claim: spec.claim.get_ref().clone(),
        replicates: *spec.replicates.get_ref(),
        seed: spec.seed,
        axes,
        points,
        claims_span: spec.claims.span(),
        claim_span: spec.claim.span(),
        contrast_span: spec.contrast.span(),
        map,
    })
}

/// Sizes too large for their type are out of range like any other.
fn too_large(key: &str, found: i128, _most: u64) -> Option<String> {
    match key {
        "replicates" => Some(format!("expected 1 to {MAX_REPLICATES}, found {found}")),
        "contrast" => Some(contrast_range()),
        _ if key.starts_with("axis[") && key.ends_with("].steps") => {
            Some(format!("expected 1 to {} steps", crate::sweep::MAX_POINTS))
        }
        _ => None,
    }
}

/// The file's own keys: its name, description, contrast, claim id and replicates.
fn header(spec: &MapSpec, at: &mut Report) {
    if !is_short_id(spec.name.get_ref()) {
        at(
            spec.name.span(),
            "name",
            "expected 1 to 64 lowercase letters, digits, `-` and `_` (it names the map's files)"
                .to_string(),
        );
    }
    if spec.description.get_ref().trim().is_empty() {
        at(
            spec.description.span(),
            "description",
            "expected a sentence saying what the map asks".to_string(),
        );
    }
    if !(1..=CONTRASTS.len() as u32).contains(spec.contrast.get_ref()) {
        at(spec.contrast.span(), "contrast", contrast_range());
    }
    if !is_short_id(spec.claim.get_ref()) {
        at(
            spec.claim.span(),
            "claim",
            "expected a claim's id: 1 to 64 lowercase letters, digits, `-` and `_`".to_string(),
        );
    }
    let replicates = *spec.replicates.get_ref();
    if !(1..=MAX_REPLICATES).contains(&replicates) {
        at(
            spec.replicates.span(),
            "replicates",
            format!("expected 1 to {MAX_REPLICATES}, found {replicates}"),
        );
    }
}

/// One `[[axis]]` checked as a sweep's is on a grid (no value twice), and more: its path a
/// number key the scenarios take, its values numbers.
fn axis(k: usize, a: &AxisSpec, numbers: &[String], at: &mut Report) -> Option<Axis> {
    let path = a.path.get_ref();
    let target = if numbers.contains(path) {
        Some(Target::Set(path.clone()))
    } else {
        at(
            a.path.span(),
            &format!("axis[{k}].path"),
            format!(
                "`{path}` is not a number the scenarios take{}; a map varies a rule's parameter (such as rules.leadership.doctrine) or a number of [population], set at the start of the run in the claim's scenario and its baseline alike",
                suggest(path, numbers.iter().map(String::as_str))
            ),
        );
        None
    };
    let checked = axis_with(k, a, Design::Grid, target, at)?;
    let key = format!("axis[{k}].values");
    for (v, span) in checked.values.iter().zip(&checked.value_spans) {
        if number(v).is_none() {
            at(
                span.clone(),
                &key,
                format!("expected finite numbers; found {}", show(v)),
            );
            return None;
        }
    }
    Some(checked)
}

/// A value as a finite number, if it is one.
fn number(v: &toml::Value) -> Option<f64> {
    axes::number(v).filter(|x| x.is_finite())
}

/// One side of a claim's test, as the map varies it: the scenario's name, its merged
/// document and how to parse it with a variation merged over it.
pub use crate::sweep::axes::Side;

/// A point of the map: its index, its value on each axis, and one variation per side
/// (the label it is shown under and the TOML merged over the side's scenario).
#[derive(Clone, Debug, PartialEq)]
pub struct MapPoint {
    pub index: usize,
    pub values: Vec<toml::Value>,
    pub variations: Vec<(String, String)>,
}

impl ClaimMap {
    /// A diagnostic at a span of the map file.
    pub fn diagnostic(
        &self,
        span: Option<Range<usize>>,
        key: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.map.diagnostic(span, Some(key), message)
    }

    /// A diagnostic at the map's `claims` (the claims file cannot be read, or is invalid).
    pub fn at_claims(&self, message: impl Into<String>) -> Diagnostic {
        self.diagnostic(Some(self.claims_span.clone()), "claims", message)
    }

    /// A diagnostic at the map's `claim` (a scenario of the claim cannot be used).
    pub fn at_claim(&self, message: impl Into<String>) -> Diagnostic {
        self.diagnostic(Some(self.claim_span.clone()), "claim", message)
    }

    /// The claim the map names, in its claims file (`file`, as read); an unknown id is an
    /// error at `claim` with the nearest id, and a claim of another contrast than the map's
    /// an error at `contrast`.
    pub fn find_claim<'a>(&self, file: &'a ClaimsFile) -> Result<&'a Claim, Diagnostics> {
        let Some(claim) = file.claims.iter().find(|c| c.id == self.claim) else {
            let ids: Vec<&str> = file.claims.iter().map(|c| c.id.as_str()).collect();
            return Err(Diagnostics(vec![self.at_claim(format!(
                "{} has no claim `{}`{}; its claims are {}",
                file.file,
                self.claim,
                suggest(&self.claim, ids.iter().copied()),
                ids.join(", ")
            ))]));
        };
        match claim.contrast {
            Some(c) if c != self.contrast => Err(Diagnostics(vec![self.diagnostic(
                Some(self.contrast_span.clone()),
                "contrast",
                format!(
                    "the claim `{}` belongs to contrast {} ({}), not {}",
                    claim.id,
                    c + 1,
                    CONTRASTS[c],
                    self.contrast + 1
                ),
            )])),
            _ => Ok(claim),
        }
    }

    /// Checks the map against the sides of its claim (the scenario, then the baseline if
    /// the claim has one) and makes every point's variation of each: the same values set in
    /// both, each parsed over its side here, so that a value a scenario would refuse is
    /// reported at the axes before anything runs.
    pub fn resolve(&self, sides: &[Side]) -> Result<Vec<MapPoint>, Diagnostics> {
        let mut found = Vec::new();
        let mut at = |span: Range<usize>, key: &str, message: String| {
            found.push(self.diagnostic(Some(span), key, message));
        };
        let probes: Vec<_> = self.axes.iter().map(Axis::probes).collect();
        let mut clean = true;
        for side in sides {
            clean &= axes::check_base(&self.axes, &probes, side.name, side.doc, &mut at);
        }
        let of = format!("map {}", self.name);
        // A value a scenario refuses, once at its own line rather than at every point and
        // side that has it.
        if !clean || !axes::check_values(&self.axes, &probes, sides, &of, &mut at) {
            return Err(Diagnostics::new(found));
        }
        let points: Vec<MapPoint> = (self.points.iter().enumerate())
            .map(|(index, values)| MapPoint {
                index,
                values: values.clone(),
                variations: sides
                    .iter()
                    .map(|side| {
                        let name = Some(side.name);
                        axes::vary(
                            &self.axes,
                            index,
                            values,
                            &of,
                            name,
                            side.doc,
                            side.reparse,
                            &mut at,
                        )
                    })
                    .collect(),
            })
            .collect();
        if found.is_empty() {
            Ok(points)
        } else {
            Err(Diagnostics::new(found))
        }
    }

    /// The header of the points file: `point`, each axis's path, then the effect, its
    /// interval and the verdict.
    pub fn header(&self) -> Vec<String> {
        let mut h = vec!["point".to_string()];
        h.extend(self.axes.iter().map(|a| a.path.clone()));
        h.extend(["effect", "ci_low", "ci_high", "verdict"].map(String::from));
        h
    }
}

/// What makes a map's points what they are, hashed: the map file, the claim's id and test
/// (as the sensitivity cache keys a test), how intervals are taken ([`compare::METHOD`]),
/// and the scenarios' hashes (each over its files).
/// A folder whose manifest records another is stale.
pub fn fingerprint(map_text: &str, claim: &Claim, scenarios: &[&str]) -> String {
    let mut bytes = map_text.as_bytes().to_vec();
    for part in [
        claim.id.clone(),
        format!("{:?}", claim.test),
        compare::METHOD.to_string(),
    ]
    .iter()
    .map(String::as_str)
    .chain(scenarios.iter().copied())
    {
        bytes.push(0);
        bytes.extend_from_slice(part.as_bytes());
    }
    hex_sha256(&bytes)
}

/// The claim's test evaluated at one point, exactly as the claims command evaluates it: each
/// side's replicates rounded as `runs.csv` would hold them, then
/// [`evaluate_runs`] with the map's seed, pair by pair where the sides pair (both sides of a
/// cell run with the map's seed and replicates and the cell's values, so they pair unless
/// their populations differ).
pub fn evaluate_point(
    test: &Test,
    seed: u64,
    scenario: (&Scenario, &[ReplicateResult]),
    baseline: Option<(&Scenario, &[ReplicateResult])>,
) -> Evaluation {
    let rounded = |results: &[ReplicateResult]| -> Vec<Vec<Row>> {
        results
            .iter()
            .map(|r| r.rows.iter().map(|row| row.map(as_written)).collect())
            .collect()
    };
    let side = |s, results: &[ReplicateResult]| compare::Side {
        scenario: s,
        seed,
        replicates: u32::try_from(results.len()).unwrap_or(u32::MAX),
    };
    let pairing = pairing(
        side(scenario.0, scenario.1),
        baseline.map(|(s, r)| side(s, r)),
    );
    let a = rounded(scenario.1);
    let b = baseline.map(|(s, results)| (s, rounded(results)));
    evaluate_runs(
        test,
        (&scenario.0.calendar, &a),
        b.as_ref().map(|(s, rows)| (&s.calendar, rows.as_slice())),
        seed,
        pairing,
    )
}

/// A point's row of the points file: its index, its values as written, the effect and its
/// interval (six decimals) and the verdict.
pub fn point_row(index: usize, values: &[toml::Value], e: &Evaluation) -> Vec<String> {
    let mut row = vec![index.to_string()];
    row.extend(values.iter().map(show));
    row.extend([fixed(e.effect), fixed(e.low), fixed(e.high)]);
    row.push(e.verdict.name().to_string());
    row
}

/// The map's title: the claim it shows.
pub fn title(claim: &Claim) -> String {
    format!("Where the claim holds: {}", claim.id)
}

/// The line under the title: what is compared, on what, and which way the essay expects it
/// (`no_civil_war against historical: mean of soviet_power, 1918-06 to 1921-02; expected
/// higher; 8 replicates a cell`).
pub fn subtitle(claim: &Claim, scenario: &str, baseline: Option<&str>, replicates: u32) -> String {
    let t = &claim.test;
    let against = match (&t.against, baseline) {
        (Against::Threshold(x), _) => format!("the threshold {x}"),
        (Against::Baseline(_), Some(b)) => b.to_string(),
        (Against::Baseline(b), None) => b.clone(),
    };
    let w = t.measure.window;
    let when = if w.single {
        format!("at {}", w.first.month())
    } else {
        format!("{} to {}", w.first.month(), w.last.month())
    };
    let metric = crate::metrics::METRIC_NAMES
        .get(t.measure.metric)
        .copied()
        .unwrap_or("?");
    format!(
        "{scenario} against {against}: {} of {metric}, {when}; expected {}; {replicates} replicates a cell",
        t.measure.statistic.name(),
        t.expect.name()
    )
}

/// The cells of a finished points file (`text`, with its header) of a map of two axes, for
/// the plot; a row that does not read is an error naming it.
pub fn cells(text: &str) -> Result<Vec<Cell>, String> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let bad = || format!("row {} of the points file does not read", n + 1);
        let r = record.map_err(|_| bad())?;
        let at = |k: usize| r.get(k).and_then(|c| c.parse::<f64>().ok());
        let verdict = r.get(6).and_then(Verdict::parse).ok_or_else(bad)?;
        let (Some(x), Some(y), Some(effect)) = (at(1), at(2), at(3)) else {
            return Err(bad());
        };
        out.push(Cell {
            x,
            y,
            verdict,
            effect,
        });
    }
    Ok(out)
}

/// The points marked on a map: the model's default strengths when both axes are rule
/// parameters (`default`), and when both are mechanism strengths
/// (`rules.leadership.<mechanism>`) each view, at its strengths or, where it leaves a
/// mechanism to the scenario, at the default. Views that fall on the same point share one
/// mark, their names joined; the default comes first.
pub fn marks(axes: &[Axis], views: &[View]) -> Vec<Mark> {
    let [a, b] = axes else {
        return Vec::new();
    };
    let (Some(da), Some(db)) = (rule_default(&a.path), rule_default(&b.path)) else {
        return Vec::new();
    };
    let mut marks = vec![Mark {
        label: "default".to_string(),
        x: da,
        y: db,
        default: true,
    }];
    let (Some(ma), Some(mb)) = (mechanism(&a.path), mechanism(&b.path)) else {
        return marks;
    };
    let value = |v: &View, m: &str, default: f64| {
        v.values
            .iter()
            .find(|(name, _)| name == m)
            .map_or(default, |(_, x)| *x)
    };
    for v in views {
        let (x, y) = (value(v, ma, da), value(v, mb, db));
        match marks.iter_mut().find(|m| m.x == x && m.y == y) {
            Some(m) => m.label = format!("{}, {}", m.label, v.name),
            None => marks.push(Mark {
                label: v.name.clone(),
                x,
                y,
                default: false,
            }),
        }
    }
    marks
}

/// The mechanism a path sets, if it is `rules.leadership.<mechanism>`.
fn mechanism(path: &str) -> Option<&'static str> {
    let name = path.strip_prefix("rules.leadership.")?;
    LeadershipParams::MECHANISMS
        .iter()
        .copied()
        .find(|m| *m == name)
}

/// `<name>.json`: what a map's files hold, for whoever reads them (the claims page embeds
/// the plot of each contrast's maps) and for a rerun, which reuses the points when the
/// fingerprint and version match. Each shard writes one too, `<name>.shard-K-of-N.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapManifest {
    pub sovsim_version: String,
    pub name: String,
    pub description: String,
    /// The contrast, from 1 (as the files write it).
    pub contrast: usize,
    /// The claim's id.
    pub claim: String,
    /// The files, relative to the map's folder.
    pub csv: String,
    pub svg: String,
    pub png: String,
    /// Whether every point is in the points file and the plot is drawn from it.
    pub complete: bool,
    pub map_file: String,
    pub claims_file: String,
    pub scenario: String,
    /// The baseline's name; none for a claim against a threshold.
    pub baseline: Option<String>,
    /// [`fingerprint`].
    pub sha256: String,
    pub axes: Vec<String>,
    pub axis_labels: Vec<String>,
    /// Each axis's values, as written.
    pub values: Vec<Vec<String>>,
    pub points: usize,
    pub replicates: u32,
    pub seed: u64,
    pub header: Vec<String>,
}

impl MapManifest {
    /// Whether two manifests are of the same map, claim and scenarios run by the same
    /// version, so that their points may be kept together.
    pub fn same_map(&self, other: &MapManifest) -> bool {
        self.sha256 == other.sha256 && self.sovsim_version == other.sovsim_version
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }
}

#[cfg(test)]
mod tests;
