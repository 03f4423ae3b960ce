//! `claims.html` and `claims.csv`. The page is organised for a lesson: after the statement
//! that a verdict is about the model, not about history, come the five contrasts (each
//! side's argument and its claims under every view, the contrast's map, and where each side
//! holds: [`super::contrasts`]), then the coherence table (each essay's verdicts under each
//! view), then every claim essay by essay: the argument and who disputes it, the plot, the
//! verdict in plain words and which of the model's guesses it depends on.

use minijinja::{Environment, Value, context};

use super::contrasts::{self, MapFigure};
use crate::claims::coherence::{self, ClaimVerdicts, DEFAULT, ViewColumn};
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
    /// The evaluation under the page's first column (the default parameters, or the one
    /// view of `--view`): the one the plot, the sentences and the sensitivity are about.
    pub evaluation: Evaluation,
    /// The evaluations under the other columns, in their order (empty when there is one).
    pub viewed: Vec<Evaluation>,
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

    /// The evaluations under every column, the first column's first.
    pub fn evaluations(&self) -> impl Iterator<Item = &Evaluation> {
        std::iter::once(&self.evaluation).chain(&self.viewed)
    }

    /// The verdicts under every column, for the coherence table.
    pub fn verdicts(&self) -> ClaimVerdicts {
        ClaimVerdicts {
            source: self.claim.source,
            verdicts: self.evaluations().map(|e| e.verdict).collect(),
        }
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

/// Each verdict's colours where a cell shows it (background, text): the Okabe-Ito
/// colour-blind-safe palette, each with the text colour that reads best on it (a contrast of
/// at least 4.5 to 1, tested, so that it reads on a projector), and the verdict always in
/// words as well.
pub const VERDICT_COLOURS: [(Verdict, &str, &str); 4] = [
    (Verdict::Supported, "#009E73", "#000000"),
    (Verdict::Contradicted, "#D55E00", "#000000"),
    (Verdict::Negligible, "#0072B2", "#FFFFFF"),
    (Verdict::Inconclusive, "#D9D9D9", "#000000"),
];

/// A claim's cells, one per column: the verdict (a word and a class that colours it), the
/// column, whether the column is the view of the claim's own essay (not for the leadership's
/// case, which the essay reports rather than argues), and the numbers for a tooltip.
pub(super) fn cells(r: &ClaimResult, columns: &[ViewColumn]) -> Vec<Value> {
    r.evaluations()
        .zip(columns)
        .map(|(e, column)| {
            context! {
                verdict => e.verdict.name(),
                column => column.name.clone(),
                own => !r.claim.leadership_case && column.essay == Some(r.claim.source),
                title => format!(
                    "{} under {}: effect {}, 95% interval {} to {}",
                    r.claim.id,
                    column.name,
                    fixed(e.effect),
                    fixed(e.low),
                    fixed(e.high)
                ),
            }
        })
        .collect()
}

const TEMPLATE: &str = r##"{% macro views_table(rows, columns) %}<table class="views">
<thead><tr><th scope="col">claim</th>{% for v in columns %}<th scope="col">{{ v.name }}<br><span class="reads">{{ v.reads }}</span></th>{% endfor %}</tr></thead>
<tbody>{% for r in rows %}<tr><th scope="row" class="claim"><a href="#{{ r.id }}">{{ r.id }}</a><br><span class="reads">{{ r.author }}{% if r.leadership_case %}, for the leadership{% endif %}</span></th>{% for v in r.cells %}<td class="verdict {{ v.verdict }}{% if v.own %} own{% endif %}" title="{{ v.title }}">{{ v.verdict }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>{% endmacro -%}
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>sovsim: the essays' claims as experiments</title>
<style>
body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.4; }
h1 { font-size: 1.6em; } h2 { margin-top: 2.5em; border-bottom: 1px solid #ccc; } h3 { margin-bottom: 0.3em; }
table { border-collapse: collapse; font-size: 0.85em; } td, th { padding: 0.2em 0.6em; border-bottom: 1px solid #eee; text-align: left; }
.plot svg { width: 100%; height: auto; } code { background: #f4f4f4; padding: 0.1em 0.3em; }
.warning { background: #fff4e0; border-left: 4px solid #e69f00; padding: 0.6em 1em; }
.supported { color: #006e4f; font-weight: bold; } .contradicted { color: #a8400a; font-weight: bold; } .inconclusive { color: #555; font-weight: bold; } .negligible { color: #0a5c8a; font-weight: bold; }
{% for c in colours %}.verdict.{{ c.name }} { background: {{ c.background }}; color: {{ c.text }}; }
{% endfor %}.verdict { font-weight: bold; }
.chip { display: inline-block; padding: 0.1em 0.5em; margin: 0.1em 0.2em 0.1em 0; border-radius: 3px; }
.small { color: #555; font-size: 0.9em; }
section.contrast { border-top: 4px solid #222; margin-top: 3em; }
section.contrast h2 { border-bottom: none; margin-top: 0.6em; }
.side { margin: 1.2em 0; padding-left: 1em; border-left: 5px solid #bbb; }
table.views { font-size: 1em; margin: 0.6em 0; }
table.views th { vertical-align: bottom; border-bottom: 2px solid #999; }
table.views th.claim { font-weight: normal; border-bottom: 1px solid #eee; }
table.views td.verdict { text-align: center; min-width: 7.5em; border: 2px solid #fff; }
table.views td.own { outline: 4px solid #222; outline-offset: -4px; }
.reads { font-weight: normal; color: #444; font-size: 0.8em; }
.holds { background: #f2f2f2; border-left: 5px solid #222; padding: 0.2em 1em; } .holds h3 { margin-top: 0.6em; }
figure.map { margin: 1em 0; } figure.map img { max-width: 100%; height: auto; border: 1px solid #ccc; }
figure.map figcaption { font-size: 0.9em; color: #333; }
table.coherence td { vertical-align: top; } table.coherence td.own { outline: 4px solid #222; outline-offset: -4px; }
nav ul { columns: 2; }
</style>
</head>
<body>
<h1>The essays' claims as experiments</h1>
<p class="warning"><strong>A verdict is about the model, not about history.</strong> Each claim below is an argument from one of the five essays, turned into a comparison of scenarios in sovsim. "Supported" means that under the model's assumptions (<code>docs/model.md</code>) the scenarios differ the way the essay says, beyond what chance in the replicates explains; it does not mean that the essay is right about 1917-1930. "Contradicted" means the model, as built, says the opposite; "negligible" that the model says the difference the essay argues for is too small to matter; "inconclusive" that it cannot tell. Every verdict is checked against the model's uncertain guesses: a verdict that changes when one of them moves a little is a verdict about that guess.</p>
<p>{{ counts }}</p>
<p>{{ views_intro }}</p>
<p class="small">Each cell gives the verdict in a word and a colour: {% for c in colours %}<span class="verdict chip {{ c.name }}">{{ c.name }}</span>{% endfor %}. A cell with a thick black frame is the claim under its own essay's view ("own view" in the sentences).</p>
<nav><ul>
{% for c in contrasts %}<li><a href="#contrast-{{ c.number }}">{{ c.number }}. {{ c.question }}</a></li>
{% endfor %}<li><a href="#coherence">Does each essay hold together in the model?</a></li>
<li><a href="#by-essay">The claims, essay by essay</a></li>
<li><a href="#how">How the verdicts are reached</a></li>
</ul></nav>
{% for c in contrasts %}
<section class="contrast" id="contrast-{{ c.number }}">
<h2>{{ c.number }}. {{ c.question }}</h2>
{% for s in c.sides %}<div class="side">
<h3>{{ s.label }}</h3>
<p class="small">{{ s.who }}</p>
<p>{{ s.argument }}</p>
{% if s.claims %}{{ views_table(s.claims, columns) }}{% else %}<p class="small">No claim stands for this side.</p>{% endif %}
</div>
{% endfor %}{% if c.others %}<div class="side">
<h3>Other claims in this contrast</h3>
<p class="small">Claims of essays that take no side in this contrast.</p>
{{ views_table(c.others, columns) }}
</div>
{% endif %}{% for m in c.maps %}<figure class="map">
{% if m.png %}<a href="maps/{{ m.png }}">{% endif %}<img src="maps/{{ m.svg }}" alt="The map {{ m.name }}">{% if m.png %}</a>{% endif %}
<figcaption>The map <strong>{{ m.name }}</strong>, for the claim {% if m.known %}<a href="#{{ m.claim }}">{{ m.claim }}</a>{% else %}{{ m.claim }}{% endif %}: {{ m.description }}{% if not m.complete %} (not every run of the map had finished when it was drawn){% endif %}{% if m.png %} <a href="maps/{{ m.png }}">PNG</a>{% endif %}</figcaption>
</figure>
{% else %}<p class="small">No map was made for this contrast (a map is made with <code>sovsim map scenarios/maps/&lt;file&gt;.toml</code>, into the <code>maps/</code> folder beside this page).</p>
{% endfor %}<div class="holds"><h3>Where each side holds in the model</h3>
{% for h in c.holds %}<p>{{ h }}</p>
{% endfor %}</div>
</section>
{% endfor %}
<h2 id="coherence">Does each essay hold together in the model?</h2>
<p>Each row is an essay's claims, each column a set of assumptions: the model's defaults and each essay's view of the mechanisms; each cell counts the essay's claims by their verdict under that column, and the framed cell is the essay's own view. Read along a row: an essay whose claims are supported under its own view holds together in the model; one whose claims are contradicted or negligible under its own view is at odds with itself in the model, because its reading of the causes does not give the effects it argues for. Read down a column to see which essays an assumption favours. A claim supported under every column is one the essays need not dispute: the model gives it whatever they assume. The same counts are in <code>coherence.csv</code>.</p>
<table class="coherence">
<tr><th>essay</th><th>claims</th>{% for v in columns %}<th>{{ v.name }}<br><span class="reads">{{ v.reads }}</span></th>{% endfor %}</tr>
{% for e in coherence %}<tr><th><span title="{{ e.title }}">{{ e.author }}</span>{% if e.own %}<br><span class="reads">own view: {{ e.own }}</span>{% endif %}</th><td>{{ e.claims }}</td>{% for cell in e.cells %}<td{% if cell.own %} class="own"{% endif %}>{% for l in cell.lines %}<span class="verdict chip {{ l.verdict }}">{{ l.count }} {{ l.verdict }}</span><br>{% endfor %}</td>{% endfor %}</tr>
{% endfor %}</table>
{% if everywhere %}<p>{{ everywhere }}</p>{% endif %}
<h2 id="by-essay">The claims, essay by essay</h2>
<table>
<tr><th>claim</th><th>essay</th><th>verdict ({{ columns[0].name }})</th><th>effect</th><th>95% interval</th><th>robust</th></tr>
{% for e in essays %}{% for c in e.claims %}<tr><td><a href="#{{ c.id }}">{{ c.id }}</a></td><td>{{ c.author }}</td><td class="{{ c.verdict }}">{{ c.verdict }}</td><td>{{ c.effect }}</td><td>{{ c.low }} to {{ c.high }}</td><td>{{ c.robust }}</td></tr>
{% endfor %}{% endfor %}</table>
{% for e in essays %}
<h3 class="essay">{{ e.author }}: <em>{{ e.title }}</em></h3>
{% for c in e.claims %}
<h4 id="{{ c.id }}">{{ c.id }}</h4>
<p><strong>{{ c.author }}</strong> (<em>{{ c.title }}</em>){% if c.leadership_case %}, for the leadership's own case{% endif %}: {{ c.argument }}</p>
{% if c.disputed %}<p>Disputed by: {{ c.disputed }}.</p>{% endif %}
{% if c.contrast %}<p class="small">Contrast: <a href="#contrast-{{ c.contrast_number }}">{{ c.contrast }}</a></p>{% endif %}
<p>{{ c.test }}</p>
<div class="plot">{{ c.svg }}</div>
<p class="small">The lines are medians over replicates and the bands the middle 90%; the shaded span is the claim's window{% if c.has_level %}, the dashed line its level{% endif %}. <a href="{{ c.png }}">PNG</a></p>
<p><span class="{{ c.verdict }}">{{ c.verdict }}.</span> {{ c.sentence }}</p>
{% if c.cells | length > 1 %}<p class="small">Under each view: {% for v in c.cells %}<span class="verdict chip {{ v.verdict }}" title="{{ v.title }}">{{ v.column }}: {{ v.verdict }}</span>{% endfor %}</p>{% endif %}
<p>{{ c.sensitivity }}</p>
{% if c.assumes %}<p><strong>What the verdict rests on:</strong> {{ c.assumes }}</p>{% endif %}
{% if c.variants %}<details><summary>Every variant</summary>
<table><tr><th>variant</th><th>parameter</th><th>value</th><th>effect</th><th>95% interval</th><th>verdict</th></tr>
{% for v in c.variants %}<tr><td>{{ v.label }}</td><td><code>{{ v.path }}</code></td><td>{{ v.value }}</td><td>{{ v.effect }}</td><td>{{ v.low }} to {{ v.high }}</td><td class="{{ v.verdict }}">{{ v.verdict }}</td></tr>
{% endfor %}</table></details>{% endif %}
<p class="small">From {{ c.file }}.</p>
{% endfor %}{% endfor %}
<h2 id="how">How the verdicts are reached</h2>
<p>For each replicate the claim's statistic is taken over its window; the effect is the mean over the scenario's replicates minus the baseline's (or minus the threshold), and its 95% interval comes from {{ resamples }} bootstrap resamples of the replicates, drawn from the seed: of the per-replicate differences where the two scenarios share the seed, the replicates and the population, so that replicate by replicate they start from the same world (the <code>pairing</code> column of <code>claims.csv</code> says where), else of each scenario's replicates apart. Each test has a smallest effect of interest: the least difference that matters, in the statistic's unit (docs/claims.md gives each metric's and why). The verdict is "supported" when the whole interval lies beyond it on the side the essay expects, "contradicted" when it lies wholly beyond it on the other side, "negligible" when it lies wholly within plus or minus it, and "inconclusive" when it crosses one of those bounds or a scenario has fewer than {{ min_replicates }} replicates. A claim that expects no difference that matters is supported when its interval lies within the band and contradicted when it lies wholly outside it.</p>
<p>Views: an essay's view (<code>scenarios/views/</code>) sets the strengths of the five mechanisms the essays argue over (the circumstances, doctrine, oligarchy, precedent and the siege) and nothing else, so a claim under two views is the same history read with two essays' assumptions. Every scenario a claim compares is run under each view, and the claim is evaluated on those runs exactly as under the defaults. The coherence table counts each essay's verdicts under each view; a side of a contrast "holds" under a view when every one of its claims is supported under it.</p>
<p>Sensitivity: each of these guesses is moved {{ step }}% down and up in every scenario of the claim, and the claim evaluated again{% if columns | length > 1 %} (under {{ columns[0].name }} only: under every view as well it would cost six times as many runs, so the verdicts under the views are marked not tested){% endif %}:</p>
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

/// What `claims.html` shows: the claims evaluated, the columns they were evaluated under
/// (the first is the one the plots, sentences and sensitivity are about), the contrasts'
/// maps found beside the page, and the command that makes the page again.
#[derive(Clone, Copy, Debug)]
pub struct ClaimsPage<'a> {
    pub results: &'a [ClaimResult],
    pub columns: &'a [ViewColumn],
    pub maps: &'a [MapFigure],
    pub command: &'a str,
}

/// What the columns are, in a sentence: the default and every view, the default alone, or
/// the one view of `--view`.
fn views_intro(columns: &[ViewColumn]) -> String {
    let named = |c: &ViewColumn| format!("{} ({})", c.name, c.reads_short());
    match columns {
        [only] if only.name == DEFAULT => "The claims were evaluated under the model's default parameters only (--no-views, or no views in scenarios/views/); run `sovsim claims` without --no-views to see each under every essay's view.".to_string(),
        [only] => format!(
            "Every scenario was run under the view {}, whose mechanism strengths replace the model's defaults; the page shows its verdicts only (`sovsim claims` without --view shows every view side by side).",
            named(only)
        ),
        [first, views @ ..] => format!(
            "Every claim was evaluated under the model's {} parameters and under each essay's view of the five mechanisms (scenarios/views/): {}. The plots, the verdict sentences and the sensitivity analysis are about the {} parameters; under a view only the verdict is shown, and it is not tested for robustness.",
            first.name,
            views.iter().map(named).collect::<Vec<_>>().join(", "),
            first.name
        ),
        [] => String::new(),
    }
}

/// The coherence table's rows for the page: per essay, per column, its claims counted by
/// verdict (only the verdicts it has).
fn coherence_rows(results: &[ClaimResult], columns: &[ViewColumn]) -> Vec<Value> {
    let verdicts: Vec<ClaimVerdicts> = results.iter().map(ClaimResult::verdicts).collect();
    let rows = coherence::coherence(columns, &verdicts);
    rows.chunks(columns.len().max(1))
        .map(|chunk| {
            let first = &chunk[0];
            let cells: Vec<Value> = chunk
                .iter()
                .zip(columns)
                .map(|(row, column)| {
                    let lines: Vec<Value> = Verdict::ALL
                        .iter()
                        .zip(row.counts)
                        .filter(|(_, n)| *n > 0)
                        .map(|(v, n)| context! { verdict => v.name(), count => n })
                        .collect();
                    context! { own => column.essay == Some(row.essay), lines => lines }
                })
                .collect();
            context! {
                author => ESSAYS[first.essay].1,
                title => ESSAYS[first.essay].0,
                own => first.essay_view.clone(),
                claims => first.claims,
                cells => cells,
            }
        })
        .collect()
}

/// The claims supported under every column, in a sentence (none when there is one column).
fn everywhere_sentence(results: &[ClaimResult], columns: &[ViewColumn]) -> Option<String> {
    if columns.len() < 2 {
        return None;
    }
    let verdicts: Vec<ClaimVerdicts> = results.iter().map(ClaimResult::verdicts).collect();
    let held: Vec<String> = coherence::held_everywhere(&verdicts, columns.len())
        .into_iter()
        .map(|k| {
            format!(
                "{} ({})",
                results[k].claim.id, ESSAYS[results[k].claim.source].1
            )
        })
        .collect();
    Some(if held.is_empty() {
        "No claim is supported under every column: every verdict here depends on which essay's assumptions the model takes.".to_string()
    } else {
        format!(
            "Supported under every column, so not in dispute between the essays' assumptions in the model: {}.",
            held.join(", ")
        )
    })
}

/// One claim's detail, as the essay-by-essay part of the page shows it.
fn claim_value(r: &ClaimResult, columns: &[ViewColumn]) -> Value {
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
        contrast_number => c.contrast.map(|k| k + 1),
        test => test_sentence(r),
        svg => Value::from_safe_string(r.svg.clone()),
        png => r.png.clone(),
        has_level => matches!(c.test.against, Against::Threshold(_)) || c.test.measure.statistic.needs_level(),
        verdict => r.evaluation.verdict.name(),
        sentence => verdict_sentence(r),
        cells => cells(r, columns),
        sensitivity => sensitivity_sentence(r),
        assumes => c.assumes.clone(),
        variants => variants,
        effect => fixed(r.evaluation.effect),
        low => fixed(r.evaluation.low),
        high => fixed(r.evaluation.high),
        robust => robust_word(r),
        file => r.file.clone(),
    }
}

/// Renders `claims.html`.
pub fn render(page: &ClaimsPage) -> Result<String, minijinja::Error> {
    let ClaimsPage {
        results,
        columns,
        maps,
        command,
    } = *page;
    let mut env = Environment::new();
    env.add_template("claims.html", TEMPLATE)?;
    let count = |v: Verdict| results.iter().filter(|r| r.evaluation.verdict == v).count();
    let robust = results.iter().filter(|r| r.robust() == Some(true)).count();
    let under = columns
        .first()
        .map_or(String::new(), |c| match c.name.as_str() {
            DEFAULT => " under the default parameters".to_string(),
            name => format!(" under the view {name}"),
        });
    let counts = format!(
        "{} claims{under}: {} supported, {} contradicted, {} negligible and {} inconclusive in the model; {} of them robust to the uncertain parameters.",
        results.len(),
        count(Verdict::Supported),
        count(Verdict::Contradicted),
        count(Verdict::Negligible),
        count(Verdict::Inconclusive),
        robust
    );
    // Essay by essay, each essay's claims in the order of their files.
    let essays: Vec<Value> = (0..ESSAYS.len())
        .filter_map(|e| {
            let claims: Vec<Value> = results
                .iter()
                .filter(|r| r.claim.source == e)
                .map(|r| claim_value(r, columns))
                .collect();
            (!claims.is_empty()).then(|| {
                context! { author => ESSAYS[e].1, title => ESSAYS[e].0, claims => claims }
            })
        })
        .collect();
    let uncertain: Vec<Value> = UNCERTAIN
        .iter()
        .map(|u| context! { path => u.path, meaning => u.meaning })
        .collect();
    let colours: Vec<Value> = VERDICT_COLOURS
        .iter()
        .map(|&(v, background, text)| context! { name => v.name(), background => background, text => text })
        .collect();
    let column_values: Vec<Value> = columns
        .iter()
        .map(|c| context! { name => c.name.clone(), reads => c.reads_short() })
        .collect();
    env.get_template("claims.html")?.render(context! {
        counts => counts,
        views_intro => views_intro(columns),
        colours => colours,
        columns => column_values,
        contrasts => contrasts::sections(results, columns, maps),
        coherence => coherence_rows(results, columns),
        everywhere => everywhere_sentence(results, columns),
        essays => essays,
        uncertain => uncertain,
        step => (STEP * 100.0).round() as i64,
        resamples => crate::compare::RESAMPLES,
        min_replicates => MIN_REPLICATES,
        command => command,
        version => env!("CARGO_PKG_VERSION"),
    })
}

/// `claims.csv`: `id,source,view,verdict,effect,ci_low,ci_high,min_effect,robust,pairing`, one line
/// per claim and column, claim by claim and the columns in order; `robust` is `true`,
/// `false` or `not_tested` (always `not_tested` but under the first column, the only one
/// the sensitivity runs under).
pub fn csv(results: &[ClaimResult], columns: &[ViewColumn]) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "id",
        "source",
        "view",
        "verdict",
        "effect",
        "ci_low",
        "ci_high",
        "min_effect",
        "robust",
        "pairing",
    ])?;
    for r in results {
        for (k, (e, column)) in r.evaluations().zip(columns).enumerate() {
            let robust = match (k, r.robust()) {
                (0, Some(true)) => "true",
                (0, Some(false)) => "false",
                _ => "not_tested",
            };
            w.write_record([
                r.claim.id.as_str(),
                ESSAYS[r.claim.source].0,
                column.name.as_str(),
                e.verdict.name(),
                &fixed(e.effect),
                &fixed(e.low),
                &fixed(e.high),
                &fixed(r.claim.test.min_effect),
                robust,
                e.pairing.name(),
            ])?;
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::evaluate::Verdict::{Contradicted, Inconclusive, Negligible, Supported};

    /// Two claims: one from Lessons on the side "the ban was decisive" of contrast 2, one
    /// from the FAQ in contrast 3, where it takes no side.
    const CLAIMS: &str = r#"
[[claim]]
id = "ban-mattered"
source = "Lessons of Party and Class from the Russian Revolution"
argument = "The ban <b>mattered</b>."
contrast = 2
[claim.test]
scenario = "a.toml"
baseline = "b.toml"
metric = "oligarchy"
window = ["1921-03", "1925-12"]
statistic = "mean"
expect = "higher"

[[claim]]
id = "one-party-empties"
source = "Were any of the Bolshevik oppositions a real alternative?"
argument = "One party empties the elections."
contrast = 3
[claim.test]
scenario = "a.toml"
threshold = 0.5
metric = "participation"
at = "1925-01"
statistic = "final"
expect = "lower"
min_effect = 0.25
"#;

    fn evaluation(verdict: Verdict, effect: f64) -> Evaluation {
        Evaluation {
            scenario_mean: effect,
            against_mean: 0.0,
            effect,
            low: effect - 0.01,
            high: effect + 0.01,
            verdict,
            replicates: (16, 16),
            pairing: crate::compare::Pairing::Paired,
        }
    }

    fn results() -> Vec<ClaimResult> {
        let file = crate::claims::parse(CLAIMS, "c.toml").unwrap();
        let verdicts = [
            [Supported, Contradicted, Supported],
            [Negligible, Inconclusive, Supported],
        ];
        file.claims
            .into_iter()
            .zip(verdicts)
            .map(|(claim, v)| ClaimResult {
                claim,
                file: "c.toml".into(),
                scenario: "a".into(),
                baseline: Some("b".into()),
                evaluation: evaluation(v[0], 0.5),
                viewed: vec![evaluation(v[1], -0.5), evaluation(v[2], 0.25)],
                sensitivity: None,
                svg: "<svg></svg>".into(),
                png: "plots/x.png".into(),
            })
            .collect()
    }

    fn columns() -> Vec<ViewColumn> {
        vec![
            ViewColumn::default_parameters(),
            ViewColumn {
                name: "anarchist_faq".into(),
                reads: ESSAYS[3].0.into(),
                essay: Some(3),
            },
            ViewColumn {
                name: "lessons".into(),
                reads: ESSAYS[0].0.into(),
                essay: Some(0),
            },
        ]
    }

    #[test]
    fn the_table_has_a_row_per_claim_and_view_with_the_smallest_effect() {
        let text = csv(&results(), &columns()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "id,source,view,verdict,effect,ci_low,ci_high,min_effect,robust,pairing"
        );
        assert_eq!(lines.len(), 1 + 2 * 3);
        assert_eq!(
            lines[1],
            "ban-mattered,Lessons of Party and Class from the Russian Revolution,default,supported,0.500000,0.490000,0.510000,0.050000,not_tested,paired"
        );
        assert!(
            lines[2].starts_with("ban-mattered,")
                && lines[2].contains(",anarchist_faq,contradicted,-0.500000,")
        );
        assert!(lines[3].contains(",lessons,supported,"));
        assert!(lines[4].starts_with("one-party-empties,Were any of the Bolshevik oppositions a real alternative?,default,negligible,"));
        assert!(lines[4].ends_with(",0.250000,not_tested,paired"));
    }

    #[test]
    fn the_page_opens_with_the_five_contrasts_each_claim_under_every_view() {
        let maps = [MapFigure {
            name: "ban-map".into(),
            description: "Where the <ban> bites".into(),
            contrast: 1,
            claim: "ban-mattered".into(),
            svg: "ban-map.svg".into(),
            png: Some("ban-map.png".into()),
            complete: false,
        }];
        let html = render(&ClaimsPage {
            results: &results(),
            columns: &columns(),
            maps: &maps,
            command: "sovsim claims",
        })
        .unwrap();
        let html = html.replace("&#x2f;", "/");
        assert!(html.contains("A verdict is about the model, not about history."));
        let sections: Vec<&str> = html.split("<section class=\"contrast\"").skip(1).collect();
        assert_eq!(sections.len(), 5);
        for (k, s) in sections.iter().enumerate() {
            assert!(s.starts_with(&format!(" id=\"contrast-{}\"", k + 1)));
        }
        // The claims are on their sides, one column per view, the verdict in a word.
        let ban = sections[1];
        let table = &ban[ban.find("<table class=\"views\">").unwrap()..];
        let table = &table[..table.find("</table>").unwrap()];
        assert_eq!(table.matches("<th scope=\"col\">").count(), 1 + 3);
        assert!(table.contains(">supported</td>") && table.contains(">contradicted</td>"));
        // Lessons's own view is framed.
        assert!(table.contains("class=\"verdict supported own\""), "{table}");
        assert!(ban.find("the ban was decisive").unwrap() < ban.find("ban-mattered").unwrap());
        // Its map, escaped, with a link to the PNG; the other contrasts say none was made.
        assert!(ban.contains("<figure class=\"map\">"));
        assert!(ban.contains("<img src=\"maps/ban-map.svg\""));
        assert!(ban.contains("<a href=\"maps/ban-map.png\">"));
        assert!(ban.contains("Where the &lt;ban&gt; bites"));
        assert!(ban.contains("not every run of the map had finished"));
        assert!(sections[0].contains("No map was made for this contrast"));
        assert!(!sections[0].contains("<figure"));
        // The FAQ takes no side in contrast 3.
        let other = sections[2];
        assert!(other.contains("Other claims in this contrast"));
        assert!(other.find("Other claims").unwrap() < other.find("one-party-empties").unwrap());
        // Where each side holds, in words.
        assert!(
            ban.contains("The claim of the side \u{2018}the ban was decisive\u{2019} holds (supported) under the default and lessons (own view); not under anarchist_faq."),
            "{ban}"
        );
        assert!(sections[3].contains("No claim stands for the side"));
        // Then the coherence table, the claims essay by essay, and how the verdicts are reached.
        let at = |needle: &str| html.find(needle).unwrap_or_else(|| panic!("{needle}"));
        assert!(at("id=\"contrast-5\"") < at("id=\"coherence\""));
        assert!(at("id=\"coherence\"") < at("id=\"by-essay\""));
        assert!(at("id=\"by-essay\"") < at("id=\"ban-mattered\""));
        assert!(at("id=\"ban-mattered\"") < at("id=\"one-party-empties\""));
        assert!(at("id=\"one-party-empties\"") < at("id=\"how\""));
        assert!(html.contains("The ban &lt;b&gt;mattered&lt;/b&gt;."));
        assert!(!html.contains("<b>mattered"));
        assert!(!html.contains("http://") && !html.contains("https://"));
    }

    #[test]
    fn one_column_pages_say_what_they_show() {
        let results: Vec<ClaimResult> = results()
            .into_iter()
            .map(|mut r| {
                r.viewed.clear();
                r
            })
            .collect();
        let only = [ViewColumn::default_parameters()];
        let page = |columns: &[ViewColumn]| {
            render(&ClaimsPage {
                results: &results,
                columns,
                maps: &[],
                command: "c",
            })
            .unwrap()
            .replace("&#x27;", "'")
        };
        let html = page(&only);
        assert!(html.contains("under the model's default parameters only (--no-views"));
        assert!(!html.contains("Supported under every column"));
        let view = [columns()[2].clone()];
        let html = page(&view);
        assert!(html.contains("Every scenario was run under the view lessons (Lessons)"));
        assert!(html.contains("2 claims under the view lessons:"));
    }

    /// WCAG's relative luminance of `#RRGGBB`.
    fn luminance(hex: &str) -> f64 {
        let channel = |k: usize| {
            let c = u8::from_str_radix(&hex[1 + 2 * k..3 + 2 * k], 16).unwrap() as f64 / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2)
    }

    #[test]
    fn every_verdict_colour_reads_on_a_projector_and_differs_from_the_others() {
        for (v, background, text) in VERDICT_COLOURS {
            let (a, b) = (luminance(background), luminance(text));
            let ratio = (a.max(b) + 0.05) / (a.min(b) + 0.05);
            assert!(ratio >= 4.5, "{}: {ratio}", v.name());
        }
        let mut verdicts: Vec<Verdict> = VERDICT_COLOURS.iter().map(|c| c.0).collect();
        verdicts.sort();
        assert_eq!(verdicts, Verdict::ALL);
        let mut backgrounds: Vec<&str> = VERDICT_COLOURS.iter().map(|c| c.1).collect();
        backgrounds.sort_unstable();
        backgrounds.dedup();
        assert_eq!(backgrounds.len(), 4);
    }
}
