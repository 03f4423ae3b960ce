//! `sweep.html`: a sweep on one page: what was varied and what recorded, the phase diagrams
//! inline, the points as a table, and the command that makes it again. Escaped like every
//! report; only sovsim's own SVG goes in unescaped.

use minijinja::{Environment, Value, context};

/// What the page shows.
pub struct SweepPage<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub base: &'a str,
    pub design: &'a str,
    pub replicates: u32,
    pub seed: u64,
    pub sha256: &'a str,
    /// Each axis: path, label, its values as shown.
    pub axes: Vec<(String, String, String)>,
    /// Each outcome: name and what it measures.
    pub outcomes: Vec<(String, String)>,
    /// Each diagram: outcome name and SVG.
    pub plots: Vec<(String, String)>,
    /// The header and rows of `points.csv`.
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub command: String,
}

/// Rows shown in the table; the rest are in `points.csv`.
const SHOWN: usize = 500;

const TEMPLATE: &str = r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>sweep {{ name }}</title>
<style>
body { font-family: sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; }
h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; font-size: 0.8em; } td, th { padding: 0.15em 0.5em; border-bottom: 1px solid #eee; text-align: right; }
.plot svg { width: 100%; height: auto; } code { background: #f4f4f4; padding: 0.1em 0.3em; } .small { color: #555; font-size: 0.9em; }
</style>
</head>
<body>
<h1>Sweep: {{ name }}</h1>
<p>{{ description }}</p>
<p>Base scenario <code>{{ base }}</code>; design <strong>{{ design }}</strong>, {{ points }} points, {{ replicates }} replicates each, seed {{ seed }} (each point's seed is derived from it and the point's index).</p>
<h2>What was varied</h2>
<ul>{% for a in axes %}<li><code>{{ a.0 }}</code>: {{ a.1 }}; values {{ a.2 }}</li>{% endfor %}</ul>
<h2>What was recorded</h2>
<ul>{% for o in outcomes %}<li><code>{{ o.0 }}</code>: {{ o.1 }}</li>{% endfor %}</ul>
<p class="small">A diagram shows the model under its assumptions (<code>docs/model.md</code>), not history: each cell is the mean over the point's replicates.</p>
{% for p in plots %}<h2>{{ p.name }}</h2>
<div class="plot">{{ p.svg }}</div>
{% endfor %}
<h2>The points</h2>
<p class="small">Every point with its values and, per outcome, the mean and the 5% and 95% quantiles over replicates ({{ points }} rows in <code>points.csv</code>{% if truncated %}; the first {{ shown }} shown here{% endif %}).</p>
<table>
<tr>{% for h in header %}<th>{{ h }}</th>{% endfor %}</tr>
{% for r in rows %}<tr>{% for c in r %}<td>{{ c }}</td>{% endfor %}</tr>
{% endfor %}</table>
<p>sovsim {{ version }}; sweep SHA-256 <code>{{ sha256[:16] }}</code>. To make this page again:</p>
<pre><code>{{ command }}</code></pre>
</body>
</html>
"##;

/// Renders `sweep.html`.
pub fn render(page: &SweepPage) -> Result<String, minijinja::Error> {
    let mut env = Environment::new();
    env.add_template("sweep.html", TEMPLATE)?;
    let plots: Vec<Value> = page
        .plots
        .iter()
        .map(|(name, svg)| context! { name => name.clone(), svg => Value::from_safe_string(svg.clone()) })
        .collect();
    env.get_template("sweep.html")?.render(context! {
        name => page.name.to_string(),
        description => page.description.to_string(),
        base => page.base.to_string(),
        design => page.design.to_string(),
        replicates => page.replicates,
        seed => page.seed,
        sha256 => page.sha256.to_string(),
        axes => page.axes.clone(),
        outcomes => page.outcomes.clone(),
        plots => plots,
        header => page.header.clone(),
        rows => page.rows.iter().take(SHOWN).cloned().collect::<Vec<_>>(),
        points => page.rows.len(),
        truncated => page.rows.len() > SHOWN,
        shown => SHOWN,
        command => page.command.clone(),
        version => env!("CARGO_PKG_VERSION"),
    })
}
