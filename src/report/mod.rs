//! `report.html`: one self-contained page a teacher can put on the projector. It says what
//! was compared and why (each scenario's description), shows first the decision timeline
//! with a sentence per decision ([`decisions`]), then, for a scenario that names the record
//! of the shared history, how close its run comes to it ([`ReportFit`]), then the plots
//! inline as SVG with a line of
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
use crate::record::fit::{FitRow, Score, Within};

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

/// How close a scenario's run comes to the record it names: the line `sovsim fit` prints,
/// the targets, and the fit's plot (none when the run drew no plots).
#[derive(Clone, Debug)]
pub struct ReportFit {
    pub summary: String,
    pub rows: Vec<FitRow>,
    pub svg: Option<String>,
}

/// The sections a page may have beyond its plots and table: the decision timeline (none
/// for a reference model, which has no leadership), the fit to the record (a scenario's
/// page, when the scenario names one) and an overview plot (a comparison's page).
#[derive(Clone, Copy, Debug, Default)]
pub struct Sections<'a> {
    pub decisions: Option<&'a ReportDecisions>,
    pub fit: Option<&'a ReportFit>,
    pub overview: Option<&'a str>,
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
{% endif %}{% if fit %}<h2 id="record">How close to the record</h2>
<p>{{ fit.summary }}</p>
<p class="small">Each target of the record of the shared history (<code>docs/record.md</code>) against the ensemble: the record's interval, the replicates' 5th percentile, median and 95th percentile (for a share of replicates, the share and its 90% interval; for a decision, the month it is first taken, <code>never</code> when a replicate never takes it), and whether the median lies within the record. The same rows are in <code>fit.csv</code>.</p>
{% if fit.svg %}<div class="plot" id="fit">{{ fit.svg }}</div>
{% endif %}<table class="fit">
<tr><th>target</th><th>record</th><th>model 5%</th><th>median</th><th>95%</th><th>within</th></tr>
{% for r in fit.rows %}<tr><td>{{ r.target }}</td><td>{{ r.record }}</td><td>{{ r.p5 }}</td><td>{{ r.median }}</td><td>{{ r.p95 }}</td><td>{{ r.within }}</td></tr>
{% endfor %}</table>
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

/// The record's interval as the fit table shows it: `low to high`, one value where they
/// agree, `none` where the record gives none.
fn interval_text(r: &FitRow) -> String {
    match (r.record[0].as_str(), r.record[1].as_str()) {
        ("", "") => "none".to_string(),
        (low, high) if low == high => low.to_string(),
        (low, high) => format!("{low} to {high}"),
    }
}

fn fit_value(fit: &ReportFit) -> Value {
    let rows: Vec<Value> = fit
        .rows
        .iter()
        .map(|r| {
            context! {
                target => r.target.clone(),
                record => interval_text(r),
                p5 => r.model[0].clone(),
                median => r.model[1].clone(),
                p95 => r.model[2].clone(),
                within => match r.within {
                    Within::Unmeasured => "not yet measurable",
                    Within::OutsideRun => "outside the run",
                    w => w.name(),
                },
            }
        })
        .collect();
    context! {
        summary => fit.summary.clone(),
        svg => fit.svg.clone().map(Value::from_safe_string),
        rows => rows,
    }
}

/// Renders the report.
pub fn render(
    title: &str,
    scenarios: &[ScenarioRun],
    sections: Sections,
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
        decisions => sections.decisions.map(|d| context! {
            svg => Value::from_safe_string(d.svg.clone()),
            sentences => d.sentences.clone(),
        }),
        fit => sections.fit.map(fit_value),
        overview => sections.overview.map(|svg| Value::from_safe_string(svg.to_string())),
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
table { border-collapse: collapse; } td, th { padding: 0.2em 0.8em; border-bottom: 1px solid #eee; text-align: right; }
td:first-child, th:first-child { text-align: left; }
</style>
</head>
<body>
<h1>sovsim results</h1>
{% if claims %}<h2>Claims</h2>
<p><a href="{{ claims.href }}">{{ claims.title }}</a>: {{ claims.description }}</p>
<p>The tables beside it: <a href="claims/coherence.csv">coherence.csv</a> (each essay's claims counted by verdict under the default parameters and under each essay's view) and <a href="claims/claims.csv">claims.csv</a> (every claim's verdict, effect and interval under each).</p>
{% endif %}{% if readings %}<h2>The record: how close each reading comes</h2>
<p>A verdict under a reading means something only where, under it, the model reproduces the history all five essays accept. {{ readings[0].scenario }} held to the record of the shared history (<code>docs/record.md</code>) under the default parameters and under each essay's view: of the record's targets, how many the model measures, and of those how many its median lies within.</p>
<table>
<tr><th>reading</th><th>targets within</th><th>measured</th><th>total</th></tr>
{% for r in readings %}<tr><td><a href="{{ r.href }}">{{ r.title }}</a></td><td>{{ r.within }}</td><td>{{ r.measured }}</td><td>{{ r.total }}</td></tr>
{% endfor %}</table>
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

/// A row of the index's table of the record: one reading (the default parameters, or an
/// essay's view) of a scenario, linked to its fit, and how close it comes.
#[derive(Clone, Debug)]
pub struct IndexReading {
    /// The scenario's own name (`historical`), not the viewed run's.
    pub scenario: String,
    pub title: String,
    pub href: String,
    pub score: Score,
}

/// `index.html`: links to every report and to the claim maps. The claims entry is the main
/// job's `claims/claims.html`, and the index links the tables written beside it too; the
/// readings of the record, when there are any, are a table of their own.
pub fn render_index(
    claims: Option<&IndexEntry>,
    readings: &[IndexReading],
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
        readings => readings
            .iter()
            .map(|r| context! {
                scenario => r.scenario.clone(),
                title => r.title.clone(),
                href => r.href.clone(),
                within => r.score.within,
                measured => r.score.measured,
                total => r.score.total,
            })
            .collect::<Vec<Value>>(),
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
            Sections {
                decisions: Some(&ReportDecisions {
                    svg: "<svg><text>lanes</text></svg>".into(),
                    sentences: vec!["purge: taken in <b>1</b> of 2 replicates".into()],
                }),
                ..Sections::default()
            },
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
        let without = render("t", &[scenario("d")], Sections::default(), &[], &[], "c").unwrap();
        assert!(
            !without.contains("Decisions"),
            "a reference model has no leadership"
        );
        assert!(
            !html.contains("How close to the record") && !without.contains("How close"),
            "no record named, no section"
        );
        assert!(
            !html.contains("http://") && !html.contains("https://"),
            "no network"
        );
    }

    #[test]
    fn a_scenario_naming_the_record_shows_its_fit() {
        let row = |target: &str, record: [&str; 2], model: [&str; 3], within| FitRow {
            target: target.into(),
            what: String::new(),
            source: String::new(),
            essays: "all".into(),
            record: record.map(String::from),
            model: model.map(String::from),
            values: None,
            within,
        };
        let fit = ReportFit {
            summary: "sovsim: wrote x/fit.csv (1 of 2 measured targets within the record)".into(),
            rows: vec![
                row(
                    "faction-ban",
                    ["1921-03", "1921-03"],
                    ["1920-11", "1921-03", "never"],
                    Within::Yes,
                ),
                row(
                    "pluralism",
                    ["1.8", "1.95"],
                    ["1.1", "1.2", "1.3"],
                    Within::No,
                ),
                row("members", ["", ""], ["", "", ""], Within::Unmeasured),
            ],
            svg: Some("<svg><text>fit</text></svg>".into()),
        };
        let html = render(
            "t",
            &[scenario("d")],
            Sections {
                fit: Some(&fit),
                ..Sections::default()
            },
            &[],
            &[],
            "c",
        )
        .unwrap();
        assert!(html.contains("<h2 id=\"record\">How close to the record</h2>"));
        assert!(html.contains("1 of 2 measured targets within the record"));
        assert!(html.contains("<svg><text>fit</text></svg>"));
        assert!(html.contains("<td>faction-ban</td><td>1921-03</td><td>1920-11</td><td>1921-03</td><td>never</td><td>yes</td>"), "{html}");
        assert!(html.contains("<td>pluralism</td><td>1.8 to 1.95</td>"));
        assert!(html.contains("<td>members</td><td>none</td>"));
        assert!(html.contains("not yet measurable"));
    }

    #[test]
    fn the_index_tables_each_reading_of_the_record() {
        let reading = |title: &str, href: &str, within| IndexReading {
            scenario: "historical".into(),
            title: title.into(),
            href: href.into(),
            score: Score {
                within,
                measured: 18,
                total: 31,
            },
        };
        let readings = [
            reading("the default parameters", "historical/report.html#record", 7),
            reading(
                "the view lessons (Lessons)",
                "historical.view-lessons/report.html#record",
                9,
            ),
        ];
        let html = render_index(None, &readings, &[], &[], &[], &[]).unwrap();
        assert!(html.contains("The record: how close each reading comes"));
        assert!(html.contains("<tr><td><a href=\"historical&#x2f;report.html#record\">the default parameters</a></td><td>7</td><td>18</td><td>31</td></tr>"), "{html}");
        assert!(html.contains("historical.view-lessons&#x2f;report.html#record"));
        let none = render_index(None, &[], &[], &[], &[], &[]).unwrap();
        assert!(!none.contains("The record"));
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
