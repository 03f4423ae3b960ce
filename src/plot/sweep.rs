//! The phase diagrams of a sweep: for two axes, a heat map per outcome (each point a cell
//! of a grid, or a dot for a sampled design, coloured by the outcome's mean on a
//! colour-blind-safe scale with a legend); for one axis, the mean as a line with the band
//! of 5-95% of replicates. Axis labels carry each axis's label, with its unit.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{Figure, HEIGHT, PlotError, WIDTH, prepare, write_figure};

/// One point of a sweep, as `points.csv` holds it: its values on the axes (as written) and,
/// per outcome, mean, p05 and p95.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepPoint {
    pub values: Vec<String>,
    pub outcomes: Vec<[f64; 3]>,
}

/// Viridis at eleven stops (perceptually uniform, readable in grey and by the colour-blind).
const VIRIDIS: [(u8, u8, u8); 11] = [
    (68, 1, 84),
    (72, 36, 117),
    (65, 68, 135),
    (53, 95, 141),
    (42, 120, 142),
    (33, 145, 140),
    (34, 168, 132),
    (68, 191, 112),
    (122, 209, 81),
    (189, 223, 38),
    (253, 231, 37),
];

/// The colour of `t` in [0, 1].
pub fn colour(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (VIRIDIS.len() - 1) as f64;
    let i = (x.floor() as usize).min(VIRIDIS.len() - 2);
    let f = x - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |p: u8, q: u8| (p as f64 + (q as f64 - p as f64) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// The distinct values of an axis, in first-seen order (a grid's order).
fn levels(points: &[SweepPoint], axis: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in points {
        if !out.contains(&p.values[axis]) {
            out.push(p.values[axis].clone());
        }
    }
    out
}

struct HeatMap<'a> {
    stem: String,
    title: &'a str,
    labels: [&'a str; 2],
    points: &'a [SweepPoint],
    outcome: usize,
    /// A grid: one cell per point; otherwise dots at the values.
    grid: bool,
}

fn numeric(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|x| x.is_finite())
}

impl Figure for HeatMap<'_> {
    fn stem(&self) -> String {
        self.stem.clone()
    }
    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let (plot, legend) = root.split_horizontally(WIDTH - 130);
        let means: Vec<f64> = self
            .points
            .iter()
            .map(|p| p.outcomes[self.outcome][0])
            .collect();
        let lo = means.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = means.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = if lo.is_finite() && hi > lo {
            (lo, hi)
        } else {
            (lo.min(0.0), lo.max(0.0) + 1.0)
        };
        let scale = |v: f64| (v - lo) / (hi - lo);
        let xs = levels(self.points, 0);
        let ys = levels(self.points, 1);
        if self.grid {
            let mut chart = ChartBuilder::on(&plot)
                .caption(self.title, ("sans-serif", 20))
                .margin(12)
                .x_label_area_size(44)
                .y_label_area_size(70)
                .build_cartesian_2d(0f64..xs.len() as f64, 0f64..ys.len() as f64)
                .map_err(|e| e.to_string())?;
            chart
                .configure_mesh()
                .disable_mesh()
                .x_labels(xs.len() * 2 + 1)
                .y_labels(ys.len() * 2 + 1)
                .x_label_formatter(&|x| {
                    let k = x - 0.5;
                    if (k - k.round()).abs() < 1e-9 && k >= 0.0 {
                        xs.get(k.round() as usize).cloned().unwrap_or_default()
                    } else {
                        String::new()
                    }
                })
                .y_label_formatter(&|y| {
                    let k = y - 0.5;
                    if (k - k.round()).abs() < 1e-9 && k >= 0.0 {
                        ys.get(k.round() as usize).cloned().unwrap_or_default()
                    } else {
                        String::new()
                    }
                })
                .x_desc(self.labels[0])
                .y_desc(self.labels[1])
                .draw()
                .map_err(|e| e.to_string())?;
            chart
                .draw_series(self.points.iter().map(|p| {
                    let x = xs.iter().position(|v| *v == p.values[0]).unwrap_or(0) as f64;
                    let y = ys.iter().position(|v| *v == p.values[1]).unwrap_or(0) as f64;
                    Rectangle::new(
                        [(x, y), (x + 1.0, y + 1.0)],
                        colour(scale(p.outcomes[self.outcome][0])).filled(),
                    )
                }))
                .map_err(|e| e.to_string())?;
        } else {
            let value = |p: &SweepPoint, k: usize, levels: &[String]| {
                numeric(&p.values[k]).unwrap_or_else(|| {
                    levels.iter().position(|v| *v == p.values[k]).unwrap_or(0) as f64
                })
            };
            let range = |k: usize, levels: &[String]| {
                let v: Vec<f64> = self.points.iter().map(|p| value(p, k, levels)).collect();
                let a = v.iter().copied().fold(f64::INFINITY, f64::min);
                let b = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let pad = ((b - a) * 0.05).max(1e-9);
                (a - pad)..(b + pad)
            };
            let mut chart = ChartBuilder::on(&plot)
                .caption(self.title, ("sans-serif", 20))
                .margin(12)
                .x_label_area_size(44)
                .y_label_area_size(70)
                .build_cartesian_2d(range(0, &xs), range(1, &ys))
                .map_err(|e| e.to_string())?;
            chart
                .configure_mesh()
                .light_line_style(RGBColor(235, 235, 235))
                .x_desc(self.labels[0])
                .y_desc(self.labels[1])
                .draw()
                .map_err(|e| e.to_string())?;
            chart
                .draw_series(self.points.iter().map(|p| {
                    Circle::new(
                        (value(p, 0, &xs), value(p, 1, &ys)),
                        7,
                        colour(scale(p.outcomes[self.outcome][0])).filled(),
                    )
                }))
                .map_err(|e| e.to_string())?;
        }
        // The legend: the colour scale from the lowest mean to the highest, drawn in the
        // legend's own pixels, with five labelled values.
        let (top, bottom) = (50i32, HEIGHT as i32 - 60);
        let (left, right) = (20i32, 44i32);
        let bands = 64;
        for i in 0..bands {
            let y0 = bottom - (bottom - top) * (i + 1) / bands;
            let y1 = bottom - (bottom - top) * i / bands;
            legend
                .draw(&Rectangle::new(
                    [(left, y0), (right, y1)],
                    colour(i as f64 / (bands - 1) as f64).filled(),
                ))
                .map_err(|e| e.to_string())?;
        }
        let style = ("sans-serif", 13).into_font().color(&BLACK);
        for k in 0..5 {
            let v = lo + (hi - lo) * k as f64 / 4.0;
            let y = bottom - (bottom - top) * k / 4;
            legend
                .draw(&PathElement::new([(right, y), (right + 4, y)], BLACK))
                .map_err(|e| e.to_string())?;
            legend
                .draw(&Text::new(
                    format!("{v:.3}"),
                    (right + 7, y - 7),
                    style.clone(),
                ))
                .map_err(|e| e.to_string())?;
        }
        legend
            .draw(&Text::new("mean", (left, top - 24), style.clone()))
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
        Ok(())
    }
}

struct Line<'a> {
    stem: String,
    title: &'a str,
    label: &'a str,
    points: &'a [SweepPoint],
    outcome: usize,
}

impl Figure for Line<'_> {
    fn stem(&self) -> String {
        self.stem.clone()
    }
    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let xs = levels(self.points, 0);
        let x_of = |p: &SweepPoint| {
            numeric(&p.values[0])
                .unwrap_or_else(|| xs.iter().position(|v| *v == p.values[0]).unwrap_or(0) as f64)
        };
        let mut pts: Vec<(f64, [f64; 3])> = self
            .points
            .iter()
            .map(|p| (x_of(p), p.outcomes[self.outcome]))
            .collect();
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (x0, x1) = (
            pts.first().map_or(0.0, |p| p.0),
            pts.last().map_or(1.0, |p| p.0),
        );
        let x1 = if x1 > x0 { x1 } else { x0 + 1.0 };
        let lo = pts
            .iter()
            .map(|p| p.1[1])
            .fold(f64::INFINITY, f64::min)
            .min(0.0);
        let hi = pts.iter().map(|p| p.1[2]).fold(f64::NEG_INFINITY, f64::max);
        let hi = if hi > lo { hi * 1.1 } else { lo + 1.0 };
        let mut chart = ChartBuilder::on(&root)
            .caption(self.title, ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(60)
            .build_cartesian_2d(x0..x1, lo..hi)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .light_line_style(RGBColor(235, 235, 235))
            .x_desc(self.label)
            .y_desc("mean, with 5-95% of replicates")
            .draw()
            .map_err(|e| e.to_string())?;
        let blue = super::PALETTE[0];
        let band: Vec<(f64, f64)> = pts
            .iter()
            .map(|p| (p.0, p.1[2]))
            .chain(pts.iter().rev().map(|p| (p.0, p.1[1])))
            .collect();
        chart
            .draw_series(std::iter::once(Polygon::new(band, blue.mix(0.2).filled())))
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(LineSeries::new(
                pts.iter().map(|p| (p.0, p.1[0])),
                blue.stroke_width(2),
            ))
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(
                pts.iter()
                    .map(|p| Circle::new((p.0, p.1[0]), 3, blue.filled())),
            )
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
        Ok(())
    }
}

/// Writes the phase diagrams of a sweep into `dir`, one per outcome, named after it: a heat
/// map for two axes (`grid`: cells; otherwise dots), a line with its band for one. Returns
/// the outcome names with their SVGs; none for three axes or more.
pub fn write_sweep_plots(
    dir: &Path,
    name: &str,
    axis_labels: &[String],
    outcomes: &[String],
    points: &[SweepPoint],
    grid: bool,
) -> Result<Vec<(String, String)>, PlotError> {
    if points.is_empty() || !(1..=2).contains(&axis_labels.len()) {
        return Ok(Vec::new());
    }
    prepare(dir)?;
    let _ = (WIDTH, HEIGHT);
    let mut out = Vec::new();
    for (k, outcome) in outcomes.iter().enumerate() {
        let title = format!("{name}: {outcome}");
        let svg = if axis_labels.len() == 2 {
            write_figure(
                dir,
                &HeatMap {
                    stem: outcome.clone(),
                    title: &title,
                    labels: [&axis_labels[0], &axis_labels[1]],
                    points,
                    outcome: k,
                    grid,
                },
            )?
        } else {
            write_figure(
                dir,
                &Line {
                    stem: outcome.clone(),
                    title: &title,
                    label: &axis_labels[0],
                    points,
                    outcome: k,
                },
            )?
        };
        out.push((outcome.clone(), svg));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_runs_from_dark_purple_to_yellow() {
        assert_eq!(colour(0.0), RGBColor(68, 1, 84));
        assert_eq!(colour(1.0), RGBColor(253, 231, 37));
        assert_eq!(colour(f64::NAN), RGBColor(68, 1, 84));
    }

    #[test]
    fn heat_maps_and_lines_are_written_whole() {
        let dir = tempfile::tempdir().unwrap();
        let mut points = Vec::new();
        for x in ["0.5", "1", "2"] {
            for y in ["0", "0.5"] {
                let v = x.parse::<f64>().unwrap() * (1.0 + y.parse::<f64>().unwrap());
                points.push(SweepPoint {
                    values: vec![x.into(), y.into()],
                    outcomes: vec![[v, v - 0.1, v + 0.1]],
                });
            }
        }
        let labels = [
            "police (per 1,000)".to_string(),
            "civil war (x)".to_string(),
        ];
        let svgs = write_sweep_plots(
            dir.path(),
            "s",
            &labels,
            &["power_final".into()],
            &points,
            true,
        )
        .unwrap();
        assert_eq!(svgs.len(), 1);
        assert!(
            svgs[0].1.contains("police (per 1,000)") && svgs[0].1.trim_end().ends_with("</svg>")
        );
        assert!(dir.path().join("power_final.png").is_file());
        let one: Vec<SweepPoint> = points
            .iter()
            .filter(|p| p.values[1] == "0")
            .cloned()
            .collect();
        let svgs = write_sweep_plots(
            dir.path(),
            "s",
            &labels[..1],
            &["power_final".into()],
            &one,
            true,
        )
        .unwrap();
        assert!(svgs[0].1.contains("5-95%"));
    }
}
