//! `report.html`: one self-contained page a teacher can put on the projector. It says what
//! was compared and why (each scenario's description), shows first the decision timeline
//! with a sentence per decision ([`decisions`]), then the plots inline as SVG with a line of
//! plain reading under each, the comparison table, the run details and the one
//! command that reproduces it. No network and no JavaScript are needed to read it. It is
//! rendered by minijinja with HTML escaping on, so names and descriptions (user input) are
//! shown, never executed; only the SVG drawn by sovsim itself (whose text plotters escapes)
//! goes in unescaped.

pub mod claims;
pub mod contrasts;
pub mod decisions;
pub mod sweep;

use minijinja::{Environment, Value, context};

use crate::compare::ComparisonRow;
use crate::output::{ScenarioRun, fixed};

/// One metric's plot and its reading.
#[derive(Clone, Debug)]
pub struct ReportPlot {
    pub metric: usize,
    pub name: &'static str,
    pub svg: String,
}

/// The decision timeline of a report: its plot and a sentence per decision
/// ([`decisions::sentences`]).
#[derive(Clone, Debug)]
pub struct ReportDecisions {
    pub svg: String,
    pub sentences: Vec<String>,
}

const TEMPLATE: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<style>
body { font-family: sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; font-size: 0.85em; } td, th { padding: 0.2em 0.6em; border-bottom: 1px solid #eee; text-align: right; }
td:first-child, td:nth-child(2), th:first-child, th:nth-child(2) { text-align: left; }
.plot svg { width: 100%; height: auto; } .reading { margin: 0 0 1.5em 0; } code { background: #f4f4f4; padding: 0.1em 0.3em; }
.small { color: #555; font-size: 0.9em; }
</style>
</head>
<body>
<h1>{{ title }}</h1>
<p>What was compared, and the argument each scenario runs:</p>
<ul>
{% for s in scenarios %}<li><strong>{{ s.name }}</strong>: {{ s.description }}</li>
{% endfor %}</ul>
<p class="small">Each line is the median of {{ scenarios[0].replicates }} or more replicates, the shaded band the middle 90% of them. What the model assumes is in <code>docs/model.md</code>; a difference here is a statement about the model under those assumptions, not about history.</p>
{% if decisions %}<h2>Decisions</h2>
<p class="small">What the leadership decided, and when: each lane is a decision some replicate took, filled up to the share of replicates that had taken it (at least once) by each date, from none at the lane's floor to all at its ceiling; the dark marks are the months the Bolshevik leadership took it.</p>
<div class="plot" id="decisions">{{ decisions.svg }}</div>
<ul class="decisions">
{% for s in decisions.sentences %}<li>{{ s }}</li>
{% endfor %}</ul>
{% endif %}{% if overview %}<h2>Overview</h2>
<div class="plot" id="overview">{{ overview }}</div>
{% endif %}<h2>The plots</h2>
{% for p in plots %}<div class="plot" id="{{ p.name }}">{{ p.svg }}</div>
<p class="reading">{{ p.reading }}</p>
{% endfor %}
<h2>Final state, compared with {{ scenarios[0].name }}</h2>
<table>
<tr><th>scenario</th><th>metric</th><th>final mean</th><th>5%</th><th>95%</th><th>difference</th><th>95% interval</th></tr>
{% for r in rows %}<tr><td>{{ r.scenario }}</td><td>{{ r.metric }}</td><td>{{ r.mean }}</td><td>{{ r.p05 }}</td><td>{{ r.p95 }}</td><td>{{ r.difference }}</td><td>{{ r.low }} to {{ r.high }}</td></tr>
{% endfor %}</table>
<h2>Run details</h2>
<table>
<tr><th>scenario</th><th>files</th><th>seed</th><th>replicates</th><th>agents</th><th>steps</th><th>from</th><th>to</th><th>SHA-256 of the files</th></tr>
{% for s in scenarios %}<tr><td>{{ s.name }}</td><td>{{ s.files | join(", ") }}</td><td>{{ s.seed }}</td><td>{{ s.replicates }}</td><td>{{ s.agents }}</td><td>{{ s.steps }}</td><td>{{ s.start }}</td><td>{{ s.end }}</td><td><code>{{ s.sha256[:16] }}</code></td></tr>
{% endfor %}</table>
<p>sovsim {{ version }}. To make this report again:</p>
<pre><code>{{ command }}</code></pre>
</body>
</html>
"#;

/// One plain sentence about a metric's final state in each scenario.
pub fn reading(rows: &[ComparisonRow], metric: usize) -> String {
    let mine: Vec<&ComparisonRow> = rows.iter().filter(|r| r.metric == metric).collect();
    let Some(base) = mine.first() else {
        return String::new();
    };
    let name = base.name;
    let mut text = format!(
        "At the end of the run, {name} averages {:.3} in {} (90% of replicates between {:.3} and {:.3})",
        base.final_mean, base.scenario, base.p05, base.p95
    );
    for r in &mine[1..] {
        let d = r.difference;
        let verdict = if d.low > 0.0 {
            "higher, beyond the replicates' noise"
        } else if d.high < 0.0 {
            "lower, beyond the replicates' noise"
        } else {
            "not clearly different"
        };
        text.push_str(&format!(
            "; {:.3} in {}: {verdict} (difference {:+.3}, 95% interval {:+.3} to {:+.3})",
            r.final_mean, r.scenario, d.mean, d.low, d.high
        ));
    }
    text.push('.');
    text
}

fn scenario_value(s: &ScenarioRun) -> Value {
    context! {
        name => s.name.clone(),
        description => s.description.clone(),
        files => s.files.clone(),
        sha256 => s.sha256.clone(),
        seed => s.seed,
        replicates => s.replicates,
        steps => s.steps,
        agents => s.agents,
        start => s.start.clone(),
        end => s.end.clone(),
    }
}

/// Renders the report; `decisions` is `None` for a reference model, which has no
/// leadership.
pub fn render(
    title: &str,
    scenarios: &[ScenarioRun],
    decisions: Option<&ReportDecisions>,
    overview: Option<&str>,
    plots: &[ReportPlot],
    rows: &[ComparisonRow],
    command: &str,
) -> Result<String, minijinja::Error> {
    let mut env = Environment::new();
    // The name ends in .html, so minijinja escapes every value by default.
    env.add_template("report.html", TEMPLATE)?;
    let plots: Vec<Value> = plots
        .iter()
        .map(|p| {
            context! {
                name => p.name,
                svg => Value::from_safe_string(p.svg.clone()),
                reading => reading(rows, p.metric),
            }
        })
        .collect();
    let table: Vec<Value> = rows
        .iter()
        .map(|r| {
            context! {
                scenario => r.scenario.clone(),
                metric => r.name,
                mean => fixed(r.final_mean),
                p05 => fixed(r.p05),
                p95 => fixed(r.p95),
                difference => fixed(r.difference.mean),
                low => fixed(r.difference.low),
                high => fixed(r.difference.high),
            }
        })
        .collect();
    env.get_template("report.html")?.render(context! {
        title => title,
        decisions => decisions.map(|d| context! {
            svg => Value::from_safe_string(d.svg.clone()),
            sentences => d.sentences.clone(),
        }),
        overview => overview.map(|svg| Value::from_safe_string(svg.to_string())),
        scenarios => scenarios.iter().map(scenario_value).collect::<Vec<Value>>(),
        plots => plots,
        rows => table,
        command => command,
        version => env!("CARGO_PKG_VERSION"),
    })
}

const INDEX: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>sovsim results</title>
<style>
body { font-family: sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; }
li { margin: 0.4em 0; }
</style>
</head>
<body>
<h1>sovsim results</h1>
{% if claims %}<h2>Claims</h2>
<p><a href="{{ claims.href }}">{{ claims.title }}</a>: {{ claims.description }}</p>
<p>The tables beside it: <a href="claims/coherence.csv">coherence.csv</a> (each essay's claims counted by verdict under the default parameters and under each essay's view) and <a href="claims/claims.csv">claims.csv</a> (every claim's verdict, effect and interval under each).</p>
{% endif %}{% if maps %}<h2>Where the claims hold</h2>
<p>A claim's verdict over two mechanism strengths, with the essays' views marked:</p>
<ul>
{% for e in maps %}<li><a href="{{ e.href }}">{{ e.title }}</a>: {{ e.description }}</li>
{% endfor %}</ul>
{% endif %}{% if sweeps %}<h2>Sweeps</h2>
<ul>
{% for e in sweeps %}<li><a href="{{ e.href }}">{{ e.title }}</a>: {{ e.description }}</li>
{% endfor %}</ul>
{% endif %}<h2>Comparisons</h2>
<ul>
{% for e in comparisons %}<li><a href="{{ e.href }}">{{ e.title }}</a>: {{ e.description }}</li>
{% endfor %}</ul>
<h2>Scenarios</h2>
<ul>
{% for e in scenarios %}<li><a href="{{ e.href }}">{{ e.title }}</a>: {{ e.description }}</li>
{% endfor %}</ul>
<p>Made by sovsim {{ version }} with <code>cargo run --release -- run</code>.</p>
</body>
</html>
"#;

/// An entry of the index page: a title, a link relative to the index, and what it shows.
#[derive(Clone, Debug)]
pub struct IndexEntry {
    pub title: String,
    pub href: String,
    pub description: String,
}

/// `index.html`: links to every report and to the claim maps. The claims entry is the main
/// job's `claims/claims.html`, and the index links the tables written beside it too.
pub fn render_index(
    claims: Option<&IndexEntry>,
    maps: &[IndexEntry],
    comparisons: &[IndexEntry],
    sweeps: &[IndexEntry],
    scenarios: &[IndexEntry],
) -> Result<String, minijinja::Error> {
    let mut env = Environment::new();
    env.add_template("index.html", INDEX)?;
    let entries = |list: &[IndexEntry]| -> Vec<Value> {
        list.iter()
            .map(|e| {
                context! {
                    title => e.title.clone(),
                    href => e.href.clone(),
                    description => e.description.clone(),
                }
            })
            .collect()
    };
    env.get_template("index.html")?.render(context! {
        claims => claims.map(|e| entries(std::slice::from_ref(e)).remove(0)),
        maps => entries(maps),
        comparisons => entries(comparisons),
        sweeps => entries(sweeps),
        scenarios => entries(scenarios),
        version => env!("CARGO_PKG_VERSION"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::Difference;

    fn scenario(description: &str) -> ScenarioRun {
        ScenarioRun {
            name: "x".into(),
            description: description.into(),
            files: vec!["x.toml".into()],
            sha256: "0".repeat(64),
            seed: 1,
            replicates: 2,
            steps: 3,
            agents: 4,
            start: "1917-11-01".into(),
            end: "1918-01-01".into(),
            view: None,
        }
    }

    #[test]
    fn user_text_is_shown_not_executed_and_plots_go_in_whole() {
        let html = render(
            "t",
            &[scenario("<script>alert(1)</script>")],
            Some(&ReportDecisions {
                svg: "<svg><text>lanes</text></svg>".into(),
                sentences: vec!["purge: taken in <b>1</b> of 2 replicates".into()],
            }),
            None,
            &[ReportPlot {
                metric: 0,
                name: "soviet_power",
                svg: "<svg><text>plot</text></svg>".into(),
            }],
            &[],
            "sovsim compare a.toml b.toml",
        )
        .unwrap();
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;alert(1)"));
        assert!(html.contains("<svg><text>plot</text></svg>"));
        // The decisions come first, above the metric plots, their sentences escaped.
        let lanes = html.find("<svg><text>lanes</text></svg>").unwrap();
        assert!(lanes < html.find("<svg><text>plot</text></svg>").unwrap());
        assert!(
            html.contains("<li>purge: taken in &lt;b&gt;1&lt;&#x2f;b&gt; of 2 replicates</li>")
        );
        let without = render("t", &[scenario("d")], None, None, &[], &[], "c").unwrap();
        assert!(
            !without.contains("Decisions"),
            "a reference model has no leadership"
        );
        assert!(
            !html.contains("http://") && !html.contains("https://"),
            "no network"
        );
    }

    #[test]
    fn the_reading_says_which_way_and_whether_beyond_noise() {
        let row = |scenario: &str, mean: f64, d: (f64, f64, f64)| ComparisonRow {
            scenario: scenario.into(),
            metric: 10,
            name: "unrest",
            final_mean: mean,
            p05: mean,
            p95: mean,
            difference: Difference {
                mean: d.0,
                low: d.1,
                high: d.2,
            },
            pairing: crate::compare::Pairing::Paired,
        };
        let rows = [
            row("a", 0.2, (0.0, -0.01, 0.01)),
            row("b", 0.5, (0.3, 0.2, 0.4)),
            row("c", 0.19, (-0.01, -0.05, 0.03)),
        ];
        let text = reading(&rows, 10);
        assert!(
            text.contains("0.500 in b: higher, beyond the replicates' noise"),
            "{text}"
        );
        assert!(text.contains("0.190 in c: not clearly different"), "{text}");
    }
}
