//! The essays' claims as experiments. A claims file (`scenarios/claims/*.toml`) states what
//! an essay argues and how the model would show it: which scenarios to compare, on which
//! metric, over which dates, by which statistic, and in which direction. [`parse`] reads and
//! checks such a file with the same diagnostics as scenario files; [`evaluate`] turns the
//! replicates of the scenarios into an effect, its bootstrap interval and a verdict;
//! [`sensitivity`] says which of the model's uncertain parameters the verdict depends on;
//! [`coherence`] counts each essay's verdicts under the default parameters and under every
//! essay's view, and [`contrasts`] sorts the claims onto the sides of the five contrasts.
//!
//! A verdict is about the model: "supported" means that under the model's assumptions the
//! scenarios differ in the direction the essay says by more than the smallest effect of
//! interest, beyond what the spread of replicates allows, not that history went that way;
//! "negligible" means that the model says the difference does not matter.

pub mod cache;
pub mod coherence;
pub mod contrasts;
pub mod evaluate;
pub mod sensitivity;

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

pub use crate::measure::{Cross, Measure, Statistic, Window};

use crate::date::{Date, Precision};
use crate::format::{
    Diagnostic, Diagnostics, Opened, SourceMap, is_short_id, open, report_duplicate_ids, suggest,
};
use crate::metrics::METRIC_NAMES;

/// The five essays, by their titles (kept with the views, which name them too).
pub use crate::scenario::ESSAYS;

/// The five contrasts on which the essays disagree, numbered as docs/claims.md lists them.
pub const CONTRASTS: [&str; 5] = [
    "Ideology or circumstances?",
    "Was the 1921 faction ban decisive, or were faction rights gone since 1918?",
    "Multi-party soviets: workers' parties only, all parties, or one party?",
    "The iron law of oligarchy: inevitable or resistible?",
    "The Left Opposition: the last proletarian current, or no alternative?",
];

/// The least number of replicates per scenario for a verdict other than `inconclusive`:
/// below it a bootstrap interval is too unreliable to trust.
pub const MIN_REPLICATES: usize = 8;

/// The replicates of each scenario in the heavy analyses of the claims: the sensitivity
/// variants and the runs under the essays' views (`sovsim claims --analysis-replicates`
/// sets another number; never more than the scenario's own). The claims' own verdicts use
/// each scenario's `replicates` (16 in the shipped scenarios). A claim's scenario and
/// baseline are paired ([`crate::compare::pairing`]); paired at 12, the shipped claims'
/// intervals are in the median as narrow as unpaired at 16 (docs/performance.md, "Paired
/// comparisons", measured by `examples/pairing.rs`). Not below [`MIN_REPLICATES`].
pub const HEAVY_REPLICATES: u32 = 12;

/// What an essay expects of the scenario against its baseline (or threshold).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    /// The scenario's statistic is higher than the baseline's (or than the threshold) by
    /// more than the smallest effect of interest.
    Higher,
    /// Lower, by more than the smallest effect.
    Lower,
    /// No difference that matters: within plus or minus the smallest effect.
    Negligible,
}

impl Expect {
    pub fn name(self) -> &'static str {
        match self {
            Expect::Higher => "higher",
            Expect::Lower => "lower",
            Expect::Negligible => "negligible",
        }
    }
}

/// `[[claim]]` as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimSpec {
    id: Spanned<String>,
    source: Spanned<String>,
    argument: String,
    #[serde(default)]
    contradicted_by: Vec<Spanned<String>>,
    #[serde(default)]
    contrast: Option<Spanned<u32>>,
    #[serde(default)]
    leadership_case: bool,
    #[serde(default)]
    assumes: String,
    test: TestSpec,
}

/// `[claim.test]` as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TestSpec {
    scenario: Spanned<String>,
    #[serde(default)]
    baseline: Option<Spanned<String>>,
    metric: Spanned<String>,
    #[serde(default)]
    window: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    at: Option<Spanned<String>>,
    statistic: Spanned<Statistic>,
    #[serde(default)]
    level: Option<Spanned<f64>>,
    #[serde(default)]
    cross: Option<Spanned<Cross>>,
    expect: Spanned<Expect>,
    #[serde(default)]
    threshold: Option<Spanned<f64>>,
    #[serde(default)]
    min_effect: Option<Spanned<f64>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimsFileSpec {
    claim: Vec<Spanned<ClaimSpec>>,
}

/// Keys of the file, of `[[claim]]` and of `[claim.test]`.
pub const TOP_KEYS: [&str; 1] = ["claim"];
pub const CLAIM_KEYS: [&str; 8] = [
    "id",
    "source",
    "argument",
    "contradicted_by",
    "contrast",
    "leadership_case",
    "assumes",
    "test",
];
pub const TEST_KEYS: [&str; 11] = [
    "scenario",
    "baseline",
    "metric",
    "window",
    "at",
    "statistic",
    "level",
    "cross",
    "expect",
    "threshold",
    "min_effect",
];

/// What a claim's test compares against: another scenario or a fixed number.
#[derive(Clone, Debug, PartialEq)]
pub enum Against {
    Baseline(String),
    Threshold(f64),
}

/// A checked claim test: a measure of the scenario, compared with the same measure of the
/// baseline or with a threshold. Scenario paths are as written (relative to the claims
/// file).
#[derive(Clone, PartialEq)]
pub struct Test {
    pub scenario: String,
    pub against: Against,
    pub measure: Measure,
    pub expect: Expect,
    /// The smallest effect of interest the verdict uses: the claim's `min_effect`, or else
    /// the measure's ([`Measure::smallest_effect`]) against a baseline and 0 against a
    /// threshold.
    pub min_effect: f64,
    /// Whether the claim set `min_effect` itself.
    pub min_effect_set: bool,
}

/// Written field by field as before the measure had a type of its own: the sensitivity
/// cache keys its entries by a hash of this text, so a cache written by the same version
/// stays valid. Every field the verdict depends on must be written here.
impl std::fmt::Debug for Test {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Test")
            .field("scenario", &self.scenario)
            .field("against", &self.against)
            .field("metric", &self.measure.metric)
            .field("window", &self.measure.window)
            .field("statistic", &self.measure.statistic)
            .field("level", &self.measure.level)
            .field("cross", &self.measure.cross)
            .field("expect", &self.expect)
            .field("min_effect", &self.min_effect)
            .finish()
    }
}

/// Where each part of a test was written, for diagnostics found later (a scenario that
/// cannot be read, a window outside the scenario's dates).
#[derive(Clone, Debug, PartialEq)]
pub struct TestSpans {
    pub scenario: Range<usize>,
    pub baseline: Option<Range<usize>>,
    pub window: Range<usize>,
    pub window_key: &'static str,
}

/// A checked claim.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    pub id: String,
    /// Index into [`ESSAYS`].
    pub source: usize,
    pub argument: String,
    /// Indices into [`ESSAYS`].
    pub contradicted_by: Vec<usize>,
    /// Index into [`CONTRASTS`].
    pub contrast: Option<usize>,
    pub leadership_case: bool,
    pub assumes: String,
    pub test: Test,
    pub spans: TestSpans,
    /// Index of the claim in its file (its `[[claim]]` number, from 0).
    pub index: usize,
}

/// A checked claims file: its claims and the text to point diagnostics into.
#[derive(Clone, Debug)]
pub struct ClaimsFile {
    pub file: String,
    pub claims: Vec<Claim>,
    map: SourceMap,
}

impl ClaimsFile {
    /// A diagnostic at a span of the file, about `claim[index].key`.
    pub fn diagnostic(
        &self,
        span: Option<Range<usize>>,
        key: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.map.diagnostic(span, Some(key), message)
    }
}

fn allowed(path: &[&str]) -> Option<Vec<String>> {
    let own = |keys: &[&str]| Some(keys.iter().map(|k| k.to_string()).collect());
    match path {
        [] => own(&TOP_KEYS),
        ["claim"] => own(&CLAIM_KEYS),
        ["claim", "test"] => own(&TEST_KEYS),
        ["claim", "test", "window"] => None,
        _ => Some(Vec::new()),
    }
}

/// The essay a title names, or a diagnostic message with the nearest title (claims and
/// the record name essays alike).
pub(crate) fn essay(title: &str) -> Result<usize, String> {
    ESSAYS.iter().position(|(t, _)| *t == title).ok_or_else(|| {
        format!(
            "unknown essay `{title}`{}; expected the title of one of the five essays: {}",
            suggest(title, ESSAYS.iter().map(|(t, _)| *t)),
            ESSAYS
                .iter()
                .map(|(t, _)| format!("\"{t}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

/// Parses and checks a claims file; `file` names it in diagnostics. Every problem is
/// reported, with its line, column and key.
pub fn parse(text: &str, file: &str) -> Result<ClaimsFile, Diagnostics> {
    let Opened {
        spec,
        map,
        mut found,
    } = open::<ClaimsFileSpec>(text, file, &allowed, &too_large)?;
    let mut claims = Vec::new();
    for (index, spanned) in spec.claim.iter().enumerate() {
        let mut at = |span: Range<usize>, key: &str, message: String| {
            found.push(map.diagnostic(Some(span), Some(&format!("claim[{index}].{key}")), message));
        };
        claims.extend(claim(spanned, index, &mut at));
    }
    let ids = spec.claim.iter().map(|c| &c.get_ref().id);
    report_duplicate_ids(ids, "claim.id", "claim", &map, &mut found);
    misplaced(&mut found);
    if found.is_empty() {
        Ok(ClaimsFile {
            file: file.to_string(),
            claims,
            map,
        })
    } else {
        found.sort_by_key(|d| (d.line, d.column));
        Err(Diagnostics::new(found))
    }
}

/// A test's key written at the claim's level is reported as such, with where it belongs,
/// rather than as an unknown key.
fn misplaced(found: &mut [Diagnostic]) {
    for d in found.iter_mut() {
        if let Some(key) = d.key.as_deref()
            && let Some(name) = key.strip_prefix("claim.")
            && TEST_KEYS.contains(&name)
        {
            d.message = format!(
                "`{name}` belongs to the claim's test: write it under [claim.test], not under [[claim]]"
            );
        }
    }
}

/// Where the checks of one claim send a problem: its span, its key within the claim
/// (`test.metric`), and the message.
type Report<'a> = dyn FnMut(Range<usize>, &str, String) + 'a;

/// A contrast too large for its type is out of range like any other.
fn too_large(key: &str, _found: i128, _most: u64) -> Option<String> {
    key.ends_with(".contrast").then(contrast_range)
}

/// One `[[claim]]` checked; `None` when it has a problem (reported through `at`).
fn claim(spanned: &Spanned<ClaimSpec>, index: usize, at: &mut Report) -> Option<Claim> {
    let c = spanned.get_ref();
    let id_ok = is_short_id(c.id.get_ref());
    if !id_ok {
        at(
            c.id.span(),
            "id",
            "expected an id of 1 to 64 lowercase letters, digits, `-` and `_` (it names the claim's plot)".to_string(),
        );
    }
    let source = match essay(c.source.get_ref()) {
        Ok(k) => k,
        Err(message) => {
            at(c.source.span(), "source", message);
            0
        }
    };
    let contradicted_by = contradicted_by(&c.contradicted_by, source, at);
    let contrast = contrast(c.contrast.as_ref(), at);
    if c.argument.trim().is_empty() {
        at(
            spanned.span(),
            "argument",
            "expected the argument in a sentence or two".to_string(),
        );
    }
    let t = &c.test;
    let metric = metric(&t.metric, at);
    let window = window(t, at);
    let statistic = *t.statistic.get_ref();
    let level = level(t, statistic, at);
    if let (Some(cr), false) = (&t.cross, statistic.needs_level()) {
        at(
            cr.span(),
            "test.cross",
            format!(
                "statistic `{}` takes no `cross` (only time_to_cross and probability do)",
                statistic.name()
            ),
        );
    }
    let against = against(t, at);
    let ((window, window_span, window_key), against) = (window?, against?);
    let measure = Measure {
        metric,
        window,
        statistic,
        level,
        cross: t.cross.as_ref().map(|c| *c.get_ref()).unwrap_or_default(),
    };
    let min_effect = min_effect(t, &measure, &against, at)?;
    id_ok.then(|| Claim {
        id: c.id.get_ref().clone(),
        source,
        argument: c.argument.trim().to_string(),
        contradicted_by,
        contrast,
        leadership_case: c.leadership_case,
        assumes: c.assumes.trim().to_string(),
        test: Test {
            scenario: t.scenario.get_ref().clone(),
            against,
            measure,
            expect: *t.expect.get_ref(),
            min_effect,
            min_effect_set: t.min_effect.is_some(),
        },
        spans: TestSpans {
            scenario: t.scenario.span(),
            baseline: t.baseline.as_ref().map(|b| b.span()),
            window: window_span,
            window_key,
        },
        index,
    })
}

/// The essays that contradict a claim; an essay cannot contradict its own claim.
fn contradicted_by(titles: &[Spanned<String>], source: usize, at: &mut Report) -> Vec<usize> {
    let mut essays = Vec::new();
    for title in titles {
        match essay(title.get_ref()) {
            Ok(k) if k == source => at(
                title.span(),
                "contradicted_by",
                "an essay cannot contradict a claim it makes".to_string(),
            ),
            Ok(k) => essays.push(k),
            Err(message) => at(title.span(), "contradicted_by", message),
        }
    }
    essays
}

/// The contrast a claim belongs to, numbered from 1 as the essays' index numbers them.
fn contrast(number: Option<&Spanned<u32>>, at: &mut Report) -> Option<usize> {
    let n = number?;
    if (1..=CONTRASTS.len() as u32).contains(n.get_ref()) {
        Some(*n.get_ref() as usize - 1)
    } else {
        at(n.span(), "contrast", contrast_range());
        None
    }
}

/// What a contrast must be, with the five listed: the message of a contrast out of range.
pub fn contrast_range() -> String {
    format!(
        "expected one of the five contrasts, 1 to {}: {}",
        CONTRASTS.len(),
        CONTRASTS
            .iter()
            .enumerate()
            .map(|(k, c)| format!("{} {c}", k + 1))
            .collect::<Vec<_>>()
            .join("; ")
    )
}

/// The column of the test's metric (0, after reporting, when it names none).
fn metric(name: &Spanned<String>, at: &mut Report) -> usize {
    METRIC_NAMES
        .iter()
        .position(|m| m == name.get_ref())
        .unwrap_or_else(|| {
            at(
                name.span(),
                "test.metric",
                format!(
                    "unknown metric `{}`{}; expected one of {}",
                    name.get_ref(),
                    suggest(name.get_ref(), METRIC_NAMES),
                    METRIC_NAMES.join(", ")
                ),
            );
            0
        })
}

/// A date of a window; an end given as a month covers the whole month.
fn date(text: &Spanned<String>, end: bool, key: &str, at: &mut Report) -> Option<Date> {
    match Date::parse(text.get_ref()) {
        Ok((d, Precision::Month)) if end => Some(d.end_of_month()),
        Ok((d, _)) => Some(d),
        Err(e) => {
            at(text.span(), key, e.to_string());
            None
        }
    }
}

/// The test's window (from `window` or `at`), where it was written, and under which key.
fn window(t: &TestSpec, at: &mut Report) -> Option<(Window, Range<usize>, &'static str)> {
    match (&t.window, &t.at) {
        (Some(w), None) => match w.get_ref().as_slice() {
            [a, b] => {
                let first = date(a, false, "test.window", at);
                let last = date(b, true, "test.window", at);
                match (first, last) {
                    (Some(first), Some(last)) if first <= last => Some((
                        Window {
                            first,
                            last,
                            single: false,
                        },
                        w.span(),
                        "test.window",
                    )),
                    (Some(_), Some(_)) => {
                        at(
                            w.span(),
                            "test.window",
                            "the window ends before it starts".to_string(),
                        );
                        None
                    }
                    _ => None,
                }
            }
            _ => {
                at(
                    w.span(),
                    "test.window",
                    "expected two dates, [\"YYYY-MM\", \"YYYY-MM\"]: the first and the last month (or day) of the window".to_string(),
                );
                None
            }
        },
        (None, Some(d)) => date(d, false, "test.at", at).map(|first| {
            (
                Window {
                    first,
                    last: first,
                    single: true,
                },
                d.span(),
                "test.at",
            )
        }),
        (Some(w), Some(_)) => {
            at(
                w.span(),
                "test.window",
                "give either `window` (a range of dates) or `at` (one date), not both".to_string(),
            );
            None
        }
        (None, None) => {
            at(
                t.statistic.span(),
                "test",
                "missing key `window` (a range of dates) or `at` (one date)".to_string(),
            );
            None
        }
    }
}

/// The level the event statistics need (0 for the others, which take none).
fn level(t: &TestSpec, statistic: Statistic, at: &mut Report) -> f64 {
    match (&t.level, statistic.needs_level()) {
        (Some(l), true) if l.get_ref().is_finite() => *l.get_ref(),
        (Some(l), true) => {
            at(
                l.span(),
                "test.level",
                "expected a finite number".to_string(),
            );
            0.0
        }
        (None, true) => {
            at(
                t.statistic.span(),
                "test.level",
                format!(
                    "statistic `{}` needs a `level`: the value whose crossing is the event",
                    statistic.name()
                ),
            );
            0.0
        }
        (Some(l), false) => {
            at(
                l.span(),
                "test.level",
                format!(
                    "statistic `{}` takes no `level` (only time_to_cross and probability do)",
                    statistic.name()
                ),
            );
            0.0
        }
        (None, false) => 0.0,
    }
}

/// What the test compares with: a baseline scenario or a threshold, exactly one. A baseline
/// that is the test's own scenario would compare it with itself: refused.
fn against(t: &TestSpec, at: &mut Report) -> Option<Against> {
    match (&t.baseline, &t.threshold) {
        (Some(b), None) if tidy(b.get_ref()) == tidy(t.scenario.get_ref()) => {
            at(
                b.span(),
                "test.baseline",
                format!(
                    "the baseline is the test's own scenario, {}; a claim compares its scenario with another (or with a `threshold`)",
                    t.scenario.get_ref()
                ),
            );
            None
        }
        (Some(b), None) => Some(Against::Baseline(b.get_ref().clone())),
        (None, Some(x)) if x.get_ref().is_finite() => Some(Against::Threshold(*x.get_ref())),
        (None, Some(x)) => {
            at(
                x.span(),
                "test.threshold",
                "expected a finite number".to_string(),
            );
            None
        }
        (Some(b), Some(_)) => {
            at(
                b.span(),
                "test.baseline",
                "give either `baseline` (a scenario to compare with) or `threshold` (a number), not both".to_string(),
            );
            None
        }
        (None, None) => {
            at(
                t.expect.span(),
                "test",
                "missing key `baseline` (a scenario to compare with) or `threshold` (a number to compare with)".to_string(),
            );
            None
        }
    }
}

/// A scenario's path as a claims file writes it, tidied as the command finds the file
/// (`./a/../b.toml` is `b.toml`), so that one file named two ways is seen as one.
fn tidy(path: &str) -> std::path::PathBuf {
    use std::path::{Component, Path, PathBuf};
    let mut out = PathBuf::new();
    for part in Path::new(path).components() {
        match part {
            Component::ParentDir
                if out
                    .components()
                    .next_back()
                    .is_some_and(|c| matches!(c, Component::Normal(_))) =>
            {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The test's smallest effect of interest: the claim's `min_effect` (a finite number, not
/// below 0), or else the measure's against a baseline and 0 against a threshold, which
/// already says where the difference starts to matter. Expecting a negligible difference
/// needs a band to lie within, so it needs a smallest effect above 0.
fn min_effect(t: &TestSpec, measure: &Measure, against: &Against, at: &mut Report) -> Option<f64> {
    let (default, unit) = match against {
        Against::Baseline(_) => measure.smallest_effect(),
        Against::Threshold(_) => (0.0, measure.smallest_effect().1),
    };
    let value = match &t.min_effect {
        Some(m) if !m.get_ref().is_finite() || *m.get_ref() < 0.0 => {
            at(
                m.span(),
                "test.min_effect",
                format!(
                    "expected a finite number, 0 or more, in the unit of the statistic ({unit}); found {}",
                    m.get_ref()
                ),
            );
            return None;
        }
        Some(m) => *m.get_ref(),
        None => default,
    };
    if *t.expect.get_ref() == Expect::Negligible && value == 0.0 {
        let (span, why) = match &t.min_effect {
            Some(m) => (m.span(), "a `min_effect` of 0 leaves no band"),
            None => (
                t.expect.span(),
                "a test against a threshold has no smallest effect unless it sets `min_effect`",
            ),
        };
        at(
            span,
            if t.min_effect.is_some() {
                "test.min_effect"
            } else {
                "test.expect"
            },
            format!(
                "`expect = \"negligible\"` needs a smallest effect above 0 for the interval to lie within; {why} (in {unit})"
            ),
        );
        return None;
    }
    Some(value)
}

#[cfg(test)]
mod tests;
