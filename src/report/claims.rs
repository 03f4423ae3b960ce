//! `claims.html` and `claims.csv`: for each claim, the argument and who disputes it, the
//! plot that shows it, the verdict in plain words, and which of the model's guesses the
//! verdict depends on. The page says at the top, and again under every verdict, that a
//! verdict is about the model, not about history.

use minijinja::{Environment, Value, context};

use crate::claims::evaluate::{Evaluation, Verdict};
use crate::claims::sensitivity::{STEP, UNCERTAIN, Variant};
use crate::claims::{Against, CONTRASTS, Claim, Cross, ESSAYS, Expect, MIN_REPLICATES, Statistic};
use crate::metrics::METRIC_NAMES;
use crate::output::fixed;

/// One claim's evaluation under a varied parameter.
#[derive(Clone, Debug)]
pub struct VariantResult {
    pub variant: Variant,
    /// The parameter's value in the claim's scenario, and the varied value.
    pub base_value: f64,
    pub value: f64,
    pub evaluation: Evaluation,
}

/// Everything the page and the table say about one claim.
#[derive(Clone, Debug)]
pub struct ClaimResult {
    pub claim: Claim,
    /// The name of the claims file it came from.
    pub file: String,
    pub scenario: String,
    /// The baseline scenario's name (none against a threshold).
    pub baseline: Option<String>,
    pub evaluation: Evaluation,
    /// `None` when sensitivity was not run.
    pub sensitivity: Option<Vec<VariantResult>>,
    /// The plot, inline, and the path of its PNG relative to the page.
    pub svg: String,
    pub png: String,
}

impl ClaimResult {
    /// `Some(true)` when every variant gives the same verdict, `None` when none was run.
    pub fn robust(&self) -> Option<bool> {
        self.sensitivity.as_ref().map(|v| {
            v.iter()
                .all(|r| r.evaluation.verdict == self.evaluation.verdict)
        })
    }

    /// The variants whose verdict differs.
    pub fn changed(&self) -> Vec<&VariantResult> {
        self.sensitivity
            .iter()
            .flatten()
            .filter(|r| r.evaluation.verdict != self.evaluation.verdict)
            .collect()
    }
}

/// The statistic and window in words: "the mean over 1921-03-01 to 1927-12-31".
pub fn measured(claim: &Claim) -> String {
    let t = &claim.test;
    let metric = METRIC_NAMES[t.measure.metric];
    let (first, last) = (t.measure.window.first, t.measure.window.last);
    let span = if t.measure.window.single {
        format!("on {first}")
    } else {
        format!("from {first} to {last}")
    };
    let side = match t.measure.cross {
        Cross::Above => "reaches or exceeds",
        Cross::Below => "falls to or below",
    };
    match t.measure.statistic {
        Statistic::Mean => format!("the mean of {metric} {span}"),
        Statistic::Final => format!("{metric} at the end of the window ({span})"),
        Statistic::Peak => format!("the highest value of {metric} {span}"),
        Statistic::Trough => format!("the lowest value of {metric} {span}"),
        Statistic::TimeToCross => format!(
            "the years until {metric} first {side} {} (counted {span}; the whole window if it never does)",
            t.measure.level
        ),
        Statistic::Probability => format!(
            "the share of replicates in which {metric} {side} {} at some step {span}",
            t.measure.level
        ),
    }
}

/// What the test compares, in a sentence.
pub fn test_sentence(r: &ClaimResult) -> String {
    let t = &r.claim.test;
    let expect = t.expect.name();
    if t.expect == Expect::Negligible {
        let other = match (&t.against, &r.baseline) {
            (Against::Threshold(x), _) => format!("the threshold {x}"),
            (_, Some(b)) => format!("in {b}"),
            (_, None) => "in the baseline".to_string(),
        };
        return format!(
            "The test takes {} in {} and {other}, and expects no difference that matters: within plus or minus {}.",
            measured(&r.claim),
            r.scenario,
            smallest_words(&r.claim)
        );
    }
    match (&t.against, &r.baseline) {
        (Against::Threshold(x), _) if t.min_effect == 0.0 => format!(
            "The test takes {} in {} and expects it to be {expect} than {x}.",
            measured(&r.claim),
            r.scenario
        ),
        (Against::Threshold(x), _) => format!(
            "The test takes {} in {} and expects it to be {expect} than {x} by more than {}.",
            measured(&r.claim),
            r.scenario,
            smallest_words(&r.claim)
        ),
        (Against::Baseline(_), baseline) => format!(
            "The test takes {} in {} and in {}, and expects it to be {expect} in {} by more than {}.",
            measured(&r.claim),
            r.scenario,
            baseline.as_deref().unwrap_or("the baseline"),
            r.scenario,
            smallest_words(&r.claim)
        ),
    }
}

/// The verdict in plain words, always about the model.
pub fn verdict_sentence(r: &ClaimResult) -> String {
    let e = &r.evaluation;
    let who = ESSAYS[r.claim.source].1;
    let against = match (&r.claim.test.against, &r.baseline) {
        (Against::Threshold(x), _) => format!("the threshold {x}"),
        (_, Some(b)) => b.clone(),
        (_, None) => "the baseline".to_string(),
    };
    let m = r.claim.test.min_effect;
    let numbers = format!(
        "{:.4} against {:.4}: a difference of {:+.4}, 95% interval {:+.4} to {:+.4}; the smallest difference that matters is {}",
        e.scenario_mean,
        e.against_mean,
        e.effect,
        e.low,
        e.high,
        smallest_words(&r.claim)
    );
    let scenario = &r.scenario;
    let (expected, other) = match r.claim.test.expect {
        Expect::Higher => ("higher", "lower"),
        Expect::Lower => ("lower", "higher"),
        Expect::Negligible => {
            return match e.verdict {
                Verdict::Supported => format!(
                    "Supported in the model: {scenario} and {against} differ by less than what matters, as {who} argues ({numbers}). The whole interval lies within plus or minus {m}."
                ),
                Verdict::Contradicted => format!(
                    "Contradicted in the model: {scenario} and {against} differ by more than what matters, against what {who} argues ({numbers}). The whole interval lies beyond {m} on one side."
                ),
                _ => inconclusive(e, scenario, &against, &numbers),
            };
        }
    };
    match e.verdict {
        Verdict::Supported => format!(
            "Supported in the model: {scenario} comes out {expected} than {against} by more than what matters, as {who} argues ({numbers}). The whole interval lies beyond that, so neither the replicates' spread nor a trifle explains it."
        ),
        Verdict::Contradicted => format!(
            "Contradicted in the model: {scenario} comes out {other} than {against} by more than what matters, the opposite of what {who} argues ({numbers}). The whole interval lies on that side."
        ),
        Verdict::Negligible => format!(
            "Negligible in the model: {scenario} and {against} differ by less than what matters, so the difference {who} argues for does not show ({numbers}). The whole interval lies within plus or minus {m}."
        ),
        Verdict::Inconclusive => inconclusive(e, scenario, &against, &numbers),
    }
}

/// An inconclusive verdict in words: too few replicates, or an interval across a bound.
fn inconclusive(e: &Evaluation, scenario: &str, against: &str, numbers: &str) -> String {
    if e.too_few() {
        format!(
            "Inconclusive: fewer than {MIN_REPLICATES} replicates per scenario are too few to judge ({numbers})."
        )
    } else {
        format!(
            "Inconclusive in the model: the interval crosses a bound of what matters, so the model cannot say whether {scenario} and {against} differ by that much ({numbers})."
        )
    }
}

/// The claim's smallest effect of interest with its unit and where it comes from.
pub fn smallest_words(claim: &Claim) -> String {
    let t = &claim.test;
    let (_, unit) = t.measure.smallest_effect();
    let whence = if t.min_effect_set {
        "set by the claim"
    } else if matches!(t.against, Against::Threshold(_)) {
        "against a threshold, which says itself where the difference starts"
    } else {
        "the statistic's own, docs/claims.md"
    };
    format!("{} ({unit}; {whence})", t.min_effect)
}

/// What the verdict depends on among the varied guesses, in a sentence.
pub fn sensitivity_sentence(r: &ClaimResult) -> String {
    let Some(variants) = &r.sensitivity else {
        if r.evaluation.too_few() {
            return "Sensitivity was not run: with too few replicates the verdict cannot be anything but inconclusive.".to_string();
        }
        return "Sensitivity was not run (--no-sensitivity): it is not known whether the verdict depends on the model's uncertain parameters.".to_string();
    };
    let changed = r.changed();
    let pct = (STEP * 100.0).round() as i64;
    if changed.is_empty() {
        return format!(
            "Robust: the verdict is the same with each of the {} uncertain parameters moved {pct}% down and {pct}% up ({} runs of each scenario).",
            UNCERTAIN.len(),
            variants.len()
        );
    }
    let list: Vec<String> = changed
        .iter()
        .map(|v| {
            format!(
                "{} ({}, {} from {} to {}) makes it {}",
                v.variant.label(),
                v.variant.uncertain().meaning,
                v.variant.uncertain().path,
                v.base_value,
                v.value,
                v.evaluation.verdict.name()
            )
        })
        .collect();
    format!(
        "Not robust: the verdict depends on the model's guesses. {}.",
        list.join("; ")
    )
}

const TEMPLATE: &str = r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>sovsim: the essays' claims as experiments</title>
<style>
body { font-family: sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 2.5em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; font-size: 0.85em; } td, th { padding: 0.2em 0.6em; border-bottom: 1px solid #eee; text-align: left; }
.plot svg { width: 100%; height: auto; } code { background: #f4f4f4; padding: 0.1em 0.3em; }
.warning { background: #fff4e0; border-left: 4px solid #e69f00; padding: 0.6em 1em; }
.supported { color: #006e4f; font-weight: bold; } .contradicted { color: #a8400a; font-weight: bold; } .inconclusive { color: #555; font-weight: bold; } .negligible { color: #0a5c8a; font-weight: bold; }
.small { color: #555; font-size: 0.9em; }
</style>
</head>
<body>
<h1>The essays' claims as experiments</h1>
<p class="warning"><strong>A verdict is about the model, not about history.</strong> Each claim below is an argument from one of the five essays, turned into a comparison of scenarios in sovsim. "Supported" means that under the model's assumptions (<code>docs/model.md</code>) the scenarios differ the way the essay says, beyond what chance in the replicates explains; it does not mean that the essay is right about 1917-1930. "Contradicted" means the model, as built, says the opposite; "negligible" that the model says the difference the essay argues for is too small to matter; "inconclusive" that it cannot tell. Every verdict is checked against the model's uncertain guesses: a verdict that changes when one of them moves a little is a verdict about that guess.</p>
<p>{{ counts }}</p>
<table>
<tr><th>claim</th><th>essay</th><th>verdict</th><th>effect</th><th>95% interval</th><th>robust</th></tr>
{% for c in claims %}<tr><td><a href="#{{ c.id }}">{{ c.id }}</a></td><td>{{ c.author }}</td><td class="{{ c.verdict }}">{{ c.verdict }}</td><td>{{ c.effect }}</td><td>{{ c.low }} to {{ c.high }}</td><td>{{ c.robust }}</td></tr>
{% endfor %}</table>
{% for c in claims %}
<h2 id="{{ c.id }}">{{ c.id }}</h2>
<p><strong>{{ c.author }}</strong> (<em>{{ c.title }}</em>){% if c.leadership_case %}, for the leadership's own case{% endif %}: {{ c.argument }}</p>
{% if c.disputed %}<p>Disputed by: {{ c.disputed }}.</p>{% endif %}
{% if c.contrast %}<p class="small">Contrast: {{ c.contrast }}</p>{% endif %}
<p>{{ c.test }}</p>
<div class="plot">{{ c.svg }}</div>
<p class="small">The lines are medians over replicates and the bands the middle 90%; the shaded span is the claim's window{% if c.has_level %}, the dashed line its level{% endif %}. <a href="{{ c.png }}">PNG</a></p>
<p><span class="{{ c.verdict }}">{{ c.verdict }}.</span> {{ c.sentence }}</p>
<p>{{ c.sensitivity }}</p>
{% if c.assumes %}<p><strong>What the verdict rests on:</strong> {{ c.assumes }}</p>{% endif %}
{% if c.variants %}<details><summary>Every variant</summary>
<table><tr><th>variant</th><th>parameter</th><th>value</th><th>effect</th><th>95% interval</th><th>verdict</th></tr>
{% for v in c.variants %}<tr><td>{{ v.label }}</td><td><code>{{ v.path }}</code></td><td>{{ v.value }}</td><td>{{ v.effect }}</td><td>{{ v.low }} to {{ v.high }}</td><td class="{{ v.verdict }}">{{ v.verdict }}</td></tr>
{% endfor %}</table></details>{% endif %}
<p class="small">From {{ c.file }}.</p>
{% endfor %}
<h2>How the verdicts are reached</h2>
<p>For each replicate the claim's statistic is taken over its window; the effect is the mean over the scenario's replicates minus the baseline's (or minus the threshold), and its 95% interval comes from {{ resamples }} bootstrap resamples of the replicates, drawn from the seed. Each test has a smallest effect of interest: the least difference that matters, in the statistic's unit (docs/claims.md gives each metric's and why). The verdict is "supported" when the whole interval lies beyond it on the side the essay expects, "contradicted" when it lies wholly beyond it on the other side, "negligible" when it lies wholly within plus or minus it, and "inconclusive" when it crosses one of those bounds or a scenario has fewer than {{ min_replicates }} replicates. A claim that expects no difference that matters is supported when its interval lies within the band and contradicted when it lies wholly outside it. Sensitivity: each of these guesses is moved {{ step }}% down and up in every scenario of the claim, and the claim evaluated again:</p>
<ul>
{% for u in uncertain %}<li><code>{{ u.path }}</code>: {{ u.meaning }}</li>
{% endfor %}</ul>
<p>sovsim {{ version }}. To make this page again:</p>
<pre><code>{{ command }}</code></pre>
</body>
</html>
"##;

fn robust_word(r: &ClaimResult) -> &'static str {
    match r.robust() {
        Some(true) => "yes",
        Some(false) => "no",
        None => "not tested",
    }
}

/// Renders `claims.html`.
pub fn render(results: &[ClaimResult], command: &str) -> Result<String, minijinja::Error> {
    let mut env = Environment::new();
    env.add_template("claims.html", TEMPLATE)?;
    let count = |v: Verdict| results.iter().filter(|r| r.evaluation.verdict == v).count();
    let robust = results.iter().filter(|r| r.robust() == Some(true)).count();
    let counts = format!(
        "{} claims: {} supported, {} contradicted, {} negligible and {} inconclusive in the model; {} of them robust to the uncertain parameters.",
        results.len(),
        count(Verdict::Supported),
        count(Verdict::Contradicted),
        count(Verdict::Negligible),
        count(Verdict::Inconclusive),
        robust
    );
    let claims: Vec<Value> = results
        .iter()
        .map(|r| {
            let c = &r.claim;
            let disputed: Vec<String> = c
                .contradicted_by
                .iter()
                .map(|&k| format!("{}, \u{201c}{}\u{201d}", ESSAYS[k].1, ESSAYS[k].0))
                .collect();
            let variants: Vec<Value> = r
                .sensitivity
                .iter()
                .flatten()
                .map(|v| {
                    context! {
                        label => v.variant.label(),
                        path => v.variant.uncertain().path,
                        value => format!("{} (from {})", v.value, v.base_value),
                        effect => fixed(v.evaluation.effect),
                        low => fixed(v.evaluation.low),
                        high => fixed(v.evaluation.high),
                        verdict => v.evaluation.verdict.name(),
                    }
                })
                .collect();
            context! {
                id => c.id.clone(),
                author => ESSAYS[c.source].1,
                title => ESSAYS[c.source].0,
                leadership_case => c.leadership_case,
                argument => c.argument.clone(),
                disputed => disputed.join("; "),
                contrast => c.contrast.map(|k| format!("{}. {}", k + 1, CONTRASTS[k])),
                test => test_sentence(r),
                svg => Value::from_safe_string(r.svg.clone()),
                png => r.png.clone(),
                has_level => matches!(c.test.against, Against::Threshold(_)) || c.test.measure.statistic.needs_level(),
                verdict => r.evaluation.verdict.name(),
                sentence => verdict_sentence(r),
                sensitivity => sensitivity_sentence(r),
                assumes => c.assumes.clone(),
                variants => variants,
                effect => fixed(r.evaluation.effect),
                low => fixed(r.evaluation.low),
                high => fixed(r.evaluation.high),
                robust => robust_word(r),
                file => r.file.clone(),
            }
        })
        .collect();
    let uncertain: Vec<Value> = UNCERTAIN
        .iter()
        .map(|u| context! { path => u.path, meaning => u.meaning })
        .collect();
    env.get_template("claims.html")?.render(context! {
        claims => claims,
        counts => counts,
        uncertain => uncertain,
        step => (STEP * 100.0).round() as i64,
        resamples => crate::compare::RESAMPLES,
        min_replicates => MIN_REPLICATES,
        command => command,
        version => env!("CARGO_PKG_VERSION"),
    })
}

/// `claims.csv`: `id,source,verdict,effect,ci_low,ci_high,robust`, one line per claim;
/// `robust` is `true`, `false` or `not_tested`.
pub fn csv(results: &[ClaimResult]) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "id", "source", "verdict", "effect", "ci_low", "ci_high", "robust",
    ])?;
    for r in results {
        let e = &r.evaluation;
        w.write_record([
            r.claim.id.as_str(),
            ESSAYS[r.claim.source].0,
            e.verdict.name(),
            &fixed(e.effect),
            &fixed(e.low),
            &fixed(e.high),
            match r.robust() {
                Some(true) => "true",
                Some(false) => "false",
                None => "not_tested",
            },
        ])?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// `sensitivity.csv`: every claim under every variant:
/// `id,variant,parameter,base_value,value,effect,ci_low,ci_high,verdict`.
pub fn sensitivity_csv(results: &[ClaimResult]) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "id",
        "variant",
        "parameter",
        "base_value",
        "value",
        "effect",
        "ci_low",
        "ci_high",
        "verdict",
    ])?;
    for r in results {
        for v in r.sensitivity.iter().flatten() {
            let e = &v.evaluation;
            w.write_record([
                r.claim.id.as_str(),
                &v.variant.label(),
                v.variant.uncertain().path,
                &format!("{}", v.base_value),
                &format!("{}", v.value),
                &fixed(e.effect),
                &fixed(e.low),
                &fixed(e.high),
                e.verdict.name(),
            ])?;
        }
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
