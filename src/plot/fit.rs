//! The fit of a run to the record (`fit.svg`, `fit.png`): one row per target, the record's
//! interval as a grey bar and the ensemble's 5-95% range as a line with its median as a dot,
//! green where the median lies inside the record and orange where it does not. Targets are
//! in different units (shares, counts, dates), so each row has its own scale, from the
//! least to the greatest of the record and the model, and the figures are written beside
//! it.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{Figure, PALETTE, PlotError, WIDTH, prepare, write_figure};

/// One target's row: its label, the record's interval and the model's 5th percentile,
/// median and 95th percentile on one scale (months for dates, infinity for a decision
/// never taken), whether the median lies within, and the figures in words.
#[derive(Clone, Debug, PartialEq)]
pub struct FitBar {
    pub label: String,
    /// The record's interval and the model's range; `None` for a target not measured.
    pub values: Option<FitValues>,
    pub within: Option<bool>,
    pub note: String,
}

/// The numbers of a row, on the row's own scale.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FitValues {
    pub low: f64,
    pub high: f64,
    pub p5: f64,
    pub median: f64,
    pub p95: f64,
}

const ROW: u32 = 22;
const TOP: u32 = 44;
const BAR_START: i32 = 260;
const BAR_END: i32 = 620;
const NOTE_START: i32 = 632;

struct FitPlot<'a> {
    title: &'a str,
    bars: &'a [FitBar],
}

impl Figure for FitPlot<'_> {
    fn stem(&self) -> String {
        "fit".to_string()
    }
    fn size(&self) -> (u32, u32) {
        (WIDTH, TOP + ROW * self.bars.len().max(1) as u32 + 30)
    }
    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        draw(root, self.title, self.bars).map_err(|e| e.to_string())
    }
}

/// The x position of `x` on a row scaled from `lo` to `hi` (a value beyond, never taken,
/// at the right edge).
fn place(x: f64, lo: f64, hi: f64) -> i32 {
    if !x.is_finite() {
        return BAR_END;
    }
    let t = ((x - lo) / (hi - lo)).clamp(0.0, 1.0);
    BAR_START + (t * (BAR_END - BAR_START) as f64).round() as i32
}

/// A row's scale: the least and greatest finite value of the record and the model, widened
/// a little so that a point is not drawn on the edge.
fn scale(v: &FitValues) -> (f64, f64) {
    let finite = [v.low, v.high, v.p5, v.median, v.p95]
        .into_iter()
        .filter(|x| x.is_finite());
    let lo = finite.clone().fold(f64::INFINITY, f64::min);
    let hi = finite.fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    // A little either side; a single point gets a margin of its own size (a date never is
    // one: the record's months have a length).
    let pad = if hi > lo {
        (hi - lo) * 0.08
    } else {
        (0.05 * lo.abs()).max(0.01)
    };
    (lo - pad, hi + pad)
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    title: &str,
    bars: &[FitBar],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    let text = |size: u32| ("sans-serif", size).into_font().color(&BLACK);
    root.draw(&Text::new(title.to_string(), (8, 10), text(18)))?;
    root.draw(&Text::new(
        "grey: the record's interval; line: 5-95% of replicates; dot: median (green within, orange outside); each row has its own scale",
        (8, 30),
        ("sans-serif", 11).into_font().color(&RGBColor(90, 90, 90)),
    ))?;
    let inside = PALETTE[2];
    let outside = PALETTE[1];
    for (k, bar) in bars.iter().enumerate() {
        let y = (TOP + ROW * k as u32 + ROW / 2) as i32;
        if k % 2 == 0 {
            root.draw(&Rectangle::new(
                [(0, y - ROW as i32 / 2), (WIDTH as i32, y + ROW as i32 / 2)],
                RGBColor(246, 246, 246).filled(),
            ))?;
        }
        let mut label = bar.label.clone();
        if label.chars().count() > 40 {
            label = label.chars().take(39).collect::<String>() + "…";
        }
        root.draw(&Text::new(label, (8, y - 6), text(12)))?;
        if let Some(v) = &bar.values {
            let (lo, hi) = scale(v);
            let (a, b) = (place(v.low, lo, hi), place(v.high, lo, hi));
            root.draw(&Rectangle::new(
                [(a, y - 6), (b.max(a + 2), y + 6)],
                RGBColor(190, 190, 190).filled(),
            ))?;
            let colour = match bar.within {
                Some(true) => inside,
                _ => outside,
            };
            let (p, q) = (place(v.p5, lo, hi), place(v.p95, lo, hi));
            root.draw(&PathElement::new([(p, y), (q, y)], colour.stroke_width(2)))?;
            root.draw(&Circle::new(
                (place(v.median, lo, hi), y),
                4,
                colour.filled(),
            ))?;
        }
        root.draw(&Text::new(
            bar.note.clone(),
            (NOTE_START, y - 6),
            ("sans-serif", 11).into_font().color(&RGBColor(60, 60, 60)),
        ))?;
    }
    root.present()?;
    Ok(())
}

/// Writes `fit.svg` and `fit.png` into `dir`, each atomically; returns the SVG.
pub fn write_fit(dir: &Path, title: &str, bars: &[FitBar]) -> Result<String, PlotError> {
    prepare(dir)?;
    write_figure(dir, &FitPlot { title, bars })
}
