//! Plots of one ensemble, written by `run` into `OUT/<name>/plots/`: for every metric a time
//! series of the ensemble median with a shaded 5-95% band, thin traces of the first few
//! replicates, the scenario's dated events as labelled vertical markers, dates on the x axis
//! and the metric's unit on the y axis; and the decision timeline ([`decisions`]); as SVG
//! and as PNG. Also a sweep's phase diagrams ([`sweep`]) and a claim's map ([`map`]). PNG text is drawn with a font
//! compiled into the binary (Ubuntu Light, under the Ubuntu Font Licence, from the
//! `epaint_default_fonts` crate), so no system fonts are needed. Same inputs, same bytes.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontStyle, FontTransform, register_font};

pub mod decisions;
pub mod fit;
pub mod map;
pub mod sweep;

pub use decisions::write_decisions;

use crate::format::join_name;
use crate::metrics::{METRIC_NAMES, is_share};
use crate::output::{EnsembleSummary, write_atomic};
use crate::scenario::Scenario;

/// Size of every plot, in pixels.
pub const WIDTH: u32 = 960;
pub const HEIGHT: u32 = 480;

/// Why a plot could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("drawing {metric}: {message}")]
    Draw { metric: String, message: String },
    #[error(transparent)]
    Name(#[from] crate::format::UnsafeName),
}

static FONT: Once = Once::new();

/// plotters keeps fonts in a registry of its own; the embedded font goes in once.
fn register_embedded_font() {
    FONT.call_once(|| {
        // The font is a constant of a well-tested crate; should it ever fail to load,
        // text is simply not drawn in PNGs.
        let _ = register_font(
            "sans-serif",
            FontStyle::Normal,
            epaint_default_fonts::UBUNTU_LIGHT,
        );
    });
}

/// Whether a metric of this set is a share in [0, 1] (no reference-model metric is).
fn share_in(names: &[&str], metric: &str) -> bool {
    names == METRIC_NAMES && is_share(metric)
}

/// The y-axis label of a metric of this set: what it counts and in which unit.
pub fn unit_in(names: &[&str], metric: &str) -> &'static str {
    if names == METRIC_NAMES {
        return unit(metric);
    }
    match metric {
        "outbursts" => "outbursts so far",
        "clusters" => "major opinion clusters",
        _ => "agents",
    }
}

/// The y-axis label of a metric of the revolution model: what it counts and in which unit.
pub fn unit(metric: &str) -> &'static str {
    match metric {
        "arrests" => "arrests per 1,000 per step",
        "jailed" | "bureaucracy" => "per 1,000 people",
        "pluralism" | "faction_pluralism" => "effective number of groups",
        "restored" => "share of replicates restored",
        _ if is_share(metric) => "share (0 to 1)",
        _ => "",
    }
}

/// Colours: the Okabe-Ito palette, safe for the colour-blind.
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(240, 228, 66),
];

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    scenario: &Scenario,
    summary: &EnsembleSummary,
    k: usize,
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let names = scenario.metric_names();
    let metric = names[k];
    let steps = summary.stats.len().max(1);
    let mut top = summary
        .stats
        .iter()
        .map(|s| s[k][4])
        .chain(
            summary
                .traces
                .iter()
                .flat_map(|t| t.rows.iter().map(|r| r[k])),
        )
        .fold(0.0f64, f64::max);
    if top <= 0.0 {
        top = 1.0;
    }
    top *= 1.1;
    if share_in(names, metric) {
        top = top.min(1.0);
    }
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let calendar = scenario.calendar;
    let mut chart = ChartBuilder::on(&root)
        .caption(format!("{}: {metric}", scenario.name), ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .build_cartesian_2d(0f64..(steps - 1).max(1) as f64, 0f64..top)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(RGBColor(235, 235, 235))
        .x_labels(15)
        .x_label_formatter(&|x| {
            let (year, month, _) = calendar.date(x.max(0.0).round() as u32).ymd();
            format!("{year}-{month:02}")
        })
        .x_desc("date")
        .y_desc(unit_in(names, metric))
        .draw()
        .map_err(|e| e.to_string())?;
    let colour = PALETTE[0];
    // The 5-95% band, as one polygon: the upper edge forward, the lower edge back.
    let band: Vec<(f64, f64)> = summary
        .stats
        .iter()
        .enumerate()
        .map(|(s, v)| (s as f64, v[k][4]))
        .chain(
            summary
                .stats
                .iter()
                .enumerate()
                .rev()
                .map(|(s, v)| (s as f64, v[k][2])),
        )
        .collect();
    chart
        .draw_series(std::iter::once(Polygon::new(
            band,
            colour.mix(0.2).filled(),
        )))
        .map_err(|e| e.to_string())?
        .label("5-95% of replicates")
        .legend(move |(x, y)| {
            Rectangle::new([(x, y - 5), (x + 16, y + 5)], colour.mix(0.2).filled())
        });
    for (t, trace) in summary.traces.iter().enumerate() {
        let series = chart
            .draw_series(LineSeries::new(
                trace.rows.iter().enumerate().map(|(s, r)| (s as f64, r[k])),
                RGBColor(150, 150, 150).stroke_width(1),
            ))
            .map_err(|e| e.to_string())?;
        if t == 0 {
            series
                .label("single replicates")
                .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], RGBColor(150, 150, 150)));
        }
    }
    chart
        .draw_series(LineSeries::new(
            summary
                .stats
                .iter()
                .enumerate()
                .map(|(s, v)| (s as f64, v[k][3])),
            colour.stroke_width(2),
        ))
        .map_err(|e| e.to_string())?
        .label("median")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], colour.stroke_width(2)));
    // Dated events: a thin line and the names of the events of that step, written upward.
    // Labels of events close together are raised to another of three heights so that they
    // do not overlap.
    let marker = RGBColor(110, 110, 110);
    let min_gap = steps as f64 * 14.0 / WIDTH as f64;
    let mut groups: Vec<(u32, String)> = Vec::new();
    for event in &scenario.events {
        match groups.last_mut() {
            Some((step, label)) if *step == event.step => {
                label.push_str(", ");
                label.push_str(&event.label);
            }
            _ => groups.push((event.step, event.label.clone())),
        }
    }
    let mut level = 0usize;
    let mut previous: Option<f64> = None;
    for (step, label) in groups {
        let x = step as f64;
        level = match previous {
            Some(p) if x - p < min_gap => (level + 1) % 3,
            _ => 0,
        };
        previous = Some(x);
        chart
            .draw_series(std::iter::once(PathElement::new(
                [(x, 0.0), (x, top)],
                marker.mix(0.3).stroke_width(1),
            )))
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(std::iter::once(Text::new(
                label,
                (x, top * (0.02 + 0.32 * level as f64)),
                ("sans-serif", 10)
                    .into_font()
                    .transform(FontTransform::Rotate270)
                    .color(&marker),
            )))
            .map_err(|e| e.to_string())?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(200, 200, 200))
        .label_font(("sans-serif", 12))
        .draw()
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())?;
    Ok(())
}

/// A figure sovsim draws: its file name stem, size, and how to draw it on any backend.
pub(crate) trait Figure {
    fn stem(&self) -> String;
    fn size(&self) -> (u32, u32) {
        (WIDTH, HEIGHT)
    }
    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static;
}

/// Writes a figure as `<stem>.svg` and `<stem>.png` into `dir`, each atomically (the PNG is
/// drawn to a temporary file ending in `.png`, since the bitmap backend picks its encoder by
/// the extension, then renamed); returns the SVG text.
pub(crate) fn write_figure(dir: &Path, figure: &impl Figure) -> Result<String, PlotError> {
    let stem = figure.stem();
    // Before drawing: a stem that is no plain name (an outcome's, a claim's, a map's) is
    // refused before any file is made.
    join_name(dir, &stem, ".svg")?;
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| PlotError::Io {
            path: path.clone(),
            source,
        }
    };
    let fail = |message| PlotError::Draw {
        metric: stem.clone(),
        message,
    };
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, figure.size()).into_drawing_area();
        figure.draw(root).map_err(fail)?;
    }
    let path = join_name(dir, &stem, ".svg")?;
    write_atomic(&path, text.as_bytes()).map_err(io(&path))?;
    let path = join_name(dir, &stem, ".png")?;
    let tmp = dir.join(format!(".{stem}.tmp-{}.png", std::process::id()));
    {
        let root = BitMapBackend::new(&tmp, figure.size()).into_drawing_area();
        if let Err(message) = figure.draw(root) {
            let _ = fs::remove_file(&tmp);
            return Err(fail(message));
        }
    }
    fs::rename(&tmp, &path).map_err(io(&path))?;
    Ok(text)
}

/// Registers the font and makes the folder figures go into.
pub(crate) fn prepare(dir: &Path) -> Result<(), PlotError> {
    register_embedded_font();
    fs::create_dir_all(dir).map_err(|source| PlotError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    crate::output::remove_stale_temporaries(dir);
    Ok(())
}

/// One metric of one scenario.
struct ScenarioPlot<'a> {
    scenario: &'a Scenario,
    summary: &'a EnsembleSummary,
    metric: usize,
}

impl Figure for ScenarioPlot<'_> {
    fn stem(&self) -> String {
        self.scenario.metric_names()[self.metric].to_string()
    }
    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        draw(root, self.scenario, self.summary, self.metric)
    }
}

/// Writes `<metric>.svg` and `<metric>.png` for every metric into `dir` (created if need
/// be), each atomically; returns the SVG texts by metric, for the report.
pub fn write_plots(
    dir: &Path,
    scenario: &Scenario,
    summary: &EnsembleSummary,
) -> Result<Vec<(usize, String)>, PlotError> {
    prepare(dir)?;
    (0..scenario.metric_names().len())
        .map(|metric| {
            let figure = ScenarioPlot {
                scenario,
                summary,
                metric,
            };
            write_figure(dir, &figure).map(|svg| (metric, svg))
        })
        .collect()
}

/// One scenario's line in an overlay: its name, calendar and statistics.
pub struct Overlay<'a> {
    pub name: &'a str,
    /// The names of the scenario's metrics (the same for every line of a figure).
    pub metrics: &'static [&'static str],
    pub calendar: crate::model::Calendar,
    pub stats: &'a [crate::output::StepStats],
}

/// What a claim's plot marks over an overlay: the window the claim looks at (shaded) and
/// the level or threshold it compares with (a dashed line).
#[derive(Clone, Copy, Debug, Default)]
pub struct Marks {
    pub window: Option<(crate::date::Date, crate::date::Date)>,
    pub level: Option<f64>,
}

fn draw_overlay<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    title: &str,
    lines: &[Overlay],
    k: usize,
    small: bool,
    marks: &Marks,
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let Some(first) = lines.first() else {
        return Ok(());
    };
    let names = first.metrics;
    let metric = names[k];
    let origin = first.calendar.date(0);
    // x is days since the first scenario's start, so scenarios on different calendars line up.
    let day = |o: &Overlay, step: usize| o.calendar.date(step as u32).days_since(origin) as f64;
    let mut left = f64::MAX;
    let mut right = f64::MIN;
    let mut top = 0.0f64;
    for o in lines {
        if !o.stats.is_empty() {
            left = left.min(day(o, 0));
            right = right.max(day(o, o.stats.len() - 1));
        }
        top = o.stats.iter().map(|s| s[k][4]).fold(top, f64::max);
    }
    if left >= right {
        right = left + 1.0;
    }
    if let Some(level) = marks.level {
        top = top.max(level);
    }
    top = if top <= 0.0 { 1.0 } else { top * 1.1 };
    if share_in(names, metric) {
        top = top.min(1.0);
    }
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let caption = if small {
        metric.to_string()
    } else {
        format!("{title}: {metric}")
    };
    let mut chart = ChartBuilder::on(&root)
        .caption(caption, ("sans-serif", if small { 16 } else { 22 }))
        .margin(if small { 6 } else { 12 })
        .x_label_area_size(if small { 24 } else { 36 })
        .y_label_area_size(if small { 40 } else { 56 })
        .build_cartesian_2d(left..right, 0f64..top)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(RGBColor(235, 235, 235))
        .x_labels(if small { 5 } else { 15 })
        .x_label_formatter(&|x| {
            let (year, month, _) = origin.add_days(x.round() as i64).ymd();
            format!("{year}-{month:02}")
        })
        .x_desc("date")
        .y_desc(unit_in(names, metric))
        .draw()
        .map_err(|e| e.to_string())?;
    if let Some((from, to)) = marks.window {
        let (a, b) = (
            (from.days_since(origin) as f64).max(left),
            (to.days_since(origin) as f64).min(right),
        );
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(a, 0.0), (b.max(a), top)],
                RGBColor(120, 120, 120).mix(0.12).filled(),
            )))
            .map_err(|e| e.to_string())?;
    }
    if let Some(level) = marks.level {
        chart
            .draw_series(DashedLineSeries::new(
                [(left, level), (right, level)],
                6,
                4,
                BLACK.stroke_width(1),
            ))
            .map_err(|e| e.to_string())?;
    }
    for (n, o) in lines.iter().enumerate() {
        let colour = PALETTE[n % PALETTE.len()];
        let band: Vec<(f64, f64)> = (0..o.stats.len())
            .map(|s| (day(o, s), o.stats[s][k][4]))
            .chain(
                (0..o.stats.len())
                    .rev()
                    .map(|s| (day(o, s), o.stats[s][k][2])),
            )
            .collect();
        chart
            .draw_series(std::iter::once(Polygon::new(
                band,
                colour.mix(0.15).filled(),
            )))
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(LineSeries::new(
                (0..o.stats.len()).map(|s| (day(o, s), o.stats[s][k][3])),
                colour.stroke_width(2),
            ))
            .map_err(|e| e.to_string())?
            .label(o.name.to_string())
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], colour.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(200, 200, 200))
        .label_font(("sans-serif", 12))
        .draw()
        .map_err(|e| e.to_string())?;
    // A panel of the overview is presented with the whole figure: presenting it alone
    // would close the SVG document after the first panel.
    if !small {
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// One metric, every scenario.
struct OverlayPlot<'a> {
    title: &'a str,
    lines: &'a [Overlay<'a>],
    metric: usize,
}

impl Figure for OverlayPlot<'_> {
    fn stem(&self) -> String {
        self.lines
            .first()
            .map_or("", |l| l.metrics[self.metric])
            .to_string()
    }
    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        draw_overlay(
            root,
            self.title,
            self.lines,
            self.metric,
            false,
            &Marks::default(),
        )
    }
}

/// Writes `<metric>.svg` and `<metric>.png` overlays (each scenario's median and 5-95% band
/// in its own colour, the same colour in every plot) for the given metrics into `dir`;
/// returns the SVG texts by metric, for the report.
pub fn write_overlays(
    dir: &Path,
    title: &str,
    lines: &[Overlay],
    metrics: &[usize],
) -> Result<Vec<(usize, String)>, PlotError> {
    prepare(dir)?;
    metrics
        .iter()
        .map(|&metric| {
            let figure = OverlayPlot {
                title,
                lines,
                metric,
            };
            write_figure(dir, &figure).map(|svg| (metric, svg))
        })
        .collect()
}

/// The metrics of the overview: the essays' main questions at a glance.
pub const OVERVIEW: [&str; 6] = [
    "soviet_power",
    "participation",
    "unrest",
    "bureaucracy",
    "oligarchy",
    "legitimacy",
];

fn draw_overview<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    title: &str,
    lines: &[Overlay],
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let panels = root.split_evenly((2, 3));
    for (panel, metric) in panels.into_iter().zip(OVERVIEW) {
        let k = METRIC_NAMES
            .iter()
            .position(|m| *m == metric)
            .ok_or_else(|| format!("no metric {metric}"))?;
        draw_overlay(panel, title, lines, k, true, &Marks::default())?;
    }
    root.present().map_err(|e| e.to_string())?;
    Ok(())
}

/// Small multiples of the overview metrics.
struct OverviewPlot<'a> {
    title: &'a str,
    lines: &'a [Overlay<'a>],
}

impl Figure for OverviewPlot<'_> {
    fn stem(&self) -> String {
        "overview".to_string()
    }
    fn size(&self) -> (u32, u32) {
        (WIDTH + WIDTH / 2, HEIGHT + HEIGHT / 4)
    }
    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        draw_overview(root, self.title, self.lines)
    }
}

/// Writes `overview.svg` and `overview.png`: small multiples of the [`OVERVIEW`] metrics,
/// each scenario in its colour; returns the SVG for the report.
pub fn write_overview(dir: &Path, title: &str, lines: &[Overlay]) -> Result<String, PlotError> {
    prepare(dir)?;
    write_figure(dir, &OverviewPlot { title, lines })
}

/// A claim's plot: one metric, each scenario the claim compares, its window and level.
struct ClaimPlot<'a> {
    stem: &'a str,
    title: &'a str,
    lines: &'a [Overlay<'a>],
    metric: usize,
    marks: Marks,
}

impl Figure for ClaimPlot<'_> {
    fn stem(&self) -> String {
        self.stem.to_string()
    }
    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        draw_overlay(
            root,
            self.title,
            self.lines,
            self.metric,
            false,
            &self.marks,
        )
    }
}

/// Writes `<stem>.svg` and `<stem>.png` into `dir`: the metric's median and 5-95% band in
/// each scenario, the claim's window shaded and its level dashed; returns the SVG.
pub fn write_claim_plot(
    dir: &Path,
    stem: &str,
    title: &str,
    lines: &[Overlay],
    metric: usize,
    marks: Marks,
) -> Result<String, PlotError> {
    prepare(dir)?;
    write_figure(
        dir,
        &ClaimPlot {
            stem,
            title,
            lines,
            metric,
            marks,
        },
    )
}
