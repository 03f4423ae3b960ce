//! A claim map: the claim's verdict at every point of a grid over two axes, each cell
//! coloured by its verdict (Okabe-Ito colours, safe for the colour-blind) and lettered too,
//! so that colour is never the only cue (`S` supported, `C` contradicted, `N` negligible,
//! `?` inconclusive, with the effect under the letter); the points the essays' views and the
//! model's defaults stand at, marked and named; a legend spelling the letters and marks out.
//! The cells are placed by the order of their values, so a grid need not be evenly spaced;
//! a mark between two values is placed between their cells in proportion.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Figure, PlotError, prepare, write_figure};
use crate::claims::evaluate::Verdict;

/// The size of a map, in pixels: square cells beside a legend.
pub const MAP_SIZE: (u32, u32) = (960, 760);

/// Width of the legend on the right.
const LEGEND: u32 = 230;

/// One point of the map: its values on the two axes, the verdict and the effect there.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cell {
    pub x: f64,
    pub y: f64,
    pub verdict: Verdict,
    pub effect: f64,
}

/// A point marked on the map: an essay's view, or the model's default strengths.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub label: String,
    pub x: f64,
    pub y: f64,
    /// The default strengths (drawn as a square; views as circles).
    pub default: bool,
}

/// What a verdict looks like in a cell: its fill, its letter, and the letter's colour
/// (whichever of black and white reads better on the fill).
pub fn style(verdict: Verdict) -> (RGBColor, &'static str, RGBColor) {
    match verdict {
        Verdict::Supported => (RGBColor(0, 158, 115), "S", BLACK),
        Verdict::Contradicted => (RGBColor(213, 94, 0), "C", BLACK),
        Verdict::Negligible => (RGBColor(0, 114, 178), "N", WHITE),
        Verdict::Inconclusive => (RGBColor(221, 221, 221), "?", BLACK),
    }
}

/// The distinct values of an axis, in increasing order.
fn levels(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut out: Vec<f64> = values.filter(|v| v.is_finite()).collect();
    out.sort_by(f64::total_cmp);
    out.dedup();
    out
}

/// Where `v` falls along an axis whose cells hold `levels` (increasing): the cell of level
/// `k` spans `k..k + 1`, a level at its middle and a value between two levels between their
/// middles in proportion; `None` outside the levels, where no cell says anything.
pub fn position(levels: &[f64], v: f64) -> Option<f64> {
    let (first, last) = (*levels.first()?, *levels.last()?);
    if !(first..=last).contains(&v) {
        return None;
    }
    let k = levels.windows(2).position(|w| v <= w[1]).unwrap_or(0);
    match levels.get(k + 1) {
        Some(&next) if next > levels[k] => {
            Some(k as f64 + 0.5 + (v - levels[k]) / (next - levels[k]))
        }
        _ => Some(k as f64 + 0.5),
    }
}

/// A claim map as a figure.
pub struct MapFigure<'a> {
    /// File name stem: the map's name.
    pub stem: &'a str,
    /// The title (naming the claim) and a line under it (what is compared, how).
    pub title: &'a str,
    pub subtitle: &'a str,
    /// The axes' labels: across, then up.
    pub labels: [&'a str; 2],
    pub cells: &'a [Cell],
    pub marks: &'a [Mark],
}

/// A label's box in pixels: left, top, right, bottom.
type Boxed = (i32, i32, i32, i32);

fn overlaps(a: Boxed, b: Boxed) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

impl Figure for MapFigure<'_> {
    fn stem(&self) -> String {
        self.stem.to_string()
    }
    fn size(&self) -> (u32, u32) {
        MAP_SIZE
    }
    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(e)?;
        let (width, _) = MAP_SIZE;
        root.draw(&Text::new(
            self.title,
            (16, 12),
            ("sans-serif", 22).into_font().color(&BLACK),
        ))
        .map_err(e)?;
        root.draw(&Text::new(
            self.subtitle,
            (16, 42),
            ("sans-serif", 14).into_font().color(&RGBColor(60, 60, 60)),
        ))
        .map_err(e)?;
        let body = root.margin(64, 0, 0, 0);
        let (plot, legend) = body.split_horizontally(width - LEGEND);
        let xs = levels(self.cells.iter().map(|c| c.x));
        let ys = levels(self.cells.iter().map(|c| c.y));
        let (nx, ny) = (xs.len().max(1), ys.len().max(1));
        let shown = |v: f64| {
            let text = format!("{v}");
            if text.len() > 6 {
                format!("{v:.3}")
            } else {
                text
            }
        };
        let mut chart = ChartBuilder::on(&plot)
            .margin(12)
            .x_label_area_size(52)
            .y_label_area_size(64)
            .build_cartesian_2d(0f64..nx as f64, 0f64..ny as f64)
            .map_err(|e| e.to_string())?;
        let tick = |at: f64, levels: &[f64]| {
            let k = at - 0.5;
            if (k - k.round()).abs() < 1e-9 && k >= 0.0 {
                levels
                    .get(k.round() as usize)
                    .map(|&v| shown(v))
                    .unwrap_or_default()
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(nx * 2 + 1)
            .y_labels(ny * 2 + 1)
            .x_label_formatter(&|x| tick(*x, &xs))
            .y_label_formatter(&|y| tick(*y, &ys))
            .x_label_style(("sans-serif", 14))
            .y_label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 15))
            .x_desc(self.labels[0])
            .y_desc(self.labels[1])
            .draw()
            .map_err(|e| e.to_string())?;
        // The cells, with a white rule between them, and each one's letter and effect.
        let side = {
            let (a, b) = (
                chart.backend_coord(&(0.0, 0.0)),
                chart.backend_coord(&(1.0, 1.0)),
            );
            (b.0 - a.0).abs().min((b.1 - a.1).abs()).max(1)
        };
        // The letter in the cell's upper left corner and the effect in its lower right, so
        // that the middle, where a mark at a grid value falls, is free for it.
        let (big_size, small_size) = ((side / 4).clamp(12, 40), (side / 8).clamp(10, 15));
        let (letter_at, effect_at) = ((0.2, 0.76), (0.7, 0.14));
        // What the labels of the marks had better not cover: each cell's letter and effect.
        let mut texts: Vec<Boxed> = Vec::new();
        let around = |(cx, cy): (i32, i32), half_w: i32, half_h: i32| {
            (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
        };
        for c in self.cells {
            let (Some(i), Some(j)) = (
                xs.iter().position(|v| *v == c.x),
                ys.iter().position(|v| *v == c.y),
            ) else {
                continue;
            };
            let (x, y) = (i as f64, j as f64);
            let (fill, letter, ink) = style(c.verdict);
            chart
                .draw_series([
                    Rectangle::new([(x, y), (x + 1.0, y + 1.0)], fill.filled()),
                    Rectangle::new([(x, y), (x + 1.0, y + 1.0)], WHITE.stroke_width(2)),
                ])
                .map_err(|e| e.to_string())?;
            let big = ("sans-serif", big_size)
                .into_font()
                .color(&ink)
                .pos(Pos::new(HPos::Center, VPos::Center));
            let small = ("sans-serif", small_size)
                .into_font()
                .color(&ink)
                .pos(Pos::new(HPos::Center, VPos::Center));
            let effect = if c.effect.is_finite() {
                format!("{:+.3}", c.effect)
            } else {
                "no effect".to_string()
            };
            let letter_xy = (x + letter_at.0, y + letter_at.1);
            let effect_xy = (x + effect_at.0, y + effect_at.1);
            texts.push(around(
                chart.backend_coord(&letter_xy),
                big_size * 2 / 5,
                big_size / 2,
            ));
            texts.push(around(
                chart.backend_coord(&effect_xy),
                effect.len() as i32 * small_size * 3 / 10,
                small_size * 3 / 5,
            ));
            chart
                .draw_series([
                    Text::new(letter.to_string(), letter_xy, big),
                    Text::new(effect, effect_xy, small),
                ])
                .map_err(|e| e.to_string())?;
        }
        // The marks, each named in a white box beside it: to the right unless that box
        // leaves the plot or covers another mark or label, or a cell's letter or effect; then
        // left, above, below or on a diagonal. Failing all, the first that covers no mark
        // or label, or else to the right.
        let label_style = ("sans-serif", 14).into_font().color(&BLACK);
        let (left_edge, right_edge, top_edge) = (
            chart.backend_coord(&(0.0, 0.0)).0,
            chart.backend_coord(&(nx as f64, 0.0)).0,
            chart.backend_coord(&(0.0, ny as f64)).1,
        );
        let at: Vec<(i32, i32)> = self
            .marks
            .iter()
            .filter_map(|m| Some(chart.backend_coord(&(position(&xs, m.x)?, position(&ys, m.y)?))))
            .collect();
        let shown: Vec<&Mark> = self
            .marks
            .iter()
            .filter(|m| position(&xs, m.x).is_some() && position(&ys, m.y).is_some())
            .collect();
        let mut taken: Vec<Boxed> = at.iter().map(|&p| around(p, 9, 9)).collect();
        let mut labels = Vec::new();
        for (m, &(cx, cy)) in shown.iter().zip(&at) {
            let (w, h) = root
                .estimate_text_size(&m.label, &label_style)
                .map(|(w, h)| (w as i32, h as i32))
                .unwrap_or((8 * m.label.len() as i32, 14));
            let (w, h) = (w + 12, h + 6);
            let candidates = [
                (11, -h / 2),
                (-11 - w, -h / 2),
                (-w / 2, -11 - h),
                (-w / 2, 11),
                (10, -10 - h),
                (10, 10),
                (-10 - w, -10 - h),
                (-10 - w, 10),
            ];
            let boxed = |(dx, dy): (i32, i32)| (cx + dx, cy + dy, cx + dx + w, cy + dy + h);
            let clear = |c: (i32, i32), of: &[Boxed]| {
                let b = boxed(c);
                b.0 >= left_edge
                    && b.2 <= right_edge
                    && b.1 >= top_edge
                    && !of.iter().any(|p| overlaps(*p, b))
            };
            let everything: Vec<Boxed> = taken.iter().chain(&texts).copied().collect();
            let (dx, dy) = candidates
                .into_iter()
                .find(|c| clear(*c, &everything))
                .or_else(|| candidates.into_iter().find(|c| clear(*c, &taken)))
                .unwrap_or(candidates[0]);
            taken.push(boxed((dx, dy)));
            labels.push(
                EmptyElement::at((cx, cy))
                    + Rectangle::new([(dx, dy), (dx + w, dy + h)], WHITE.mix(0.9).filled())
                    + Rectangle::new([(dx, dy), (dx + w, dy + h)], RGBColor(120, 120, 120))
                    + Text::new(m.label.clone(), (dx + 6, dy + 3), label_style.clone()),
            );
        }
        for label in &labels {
            root.draw(label).map_err(e)?;
        }
        for (m, &p) in shown.iter().zip(&at) {
            draw_marker(&root, p, m.default)?;
        }
        draw_legend(&legend)?;
        root.present().map_err(e)?;
        Ok(())
    }
}

/// A mark's marker at a pixel: a square for the defaults, a circle for a view, white with
/// a black rim so that it stands out on every verdict's colour.
fn draw_marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    default: bool,
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let drawn = if default {
        area.draw(
            &(EmptyElement::at(at)
                + Rectangle::new([(-6, -6), (6, 6)], WHITE.filled())
                + Rectangle::new([(-6, -6), (6, 6)], BLACK.stroke_width(2))),
        )
    } else {
        area.draw(
            &(EmptyElement::at(at)
                + Circle::new((0, 0), 7, WHITE.filled())
                + Circle::new((0, 0), 7, BLACK.stroke_width(2))),
        )
    };
    drawn.map_err(|e| e.to_string())
}

/// The legend: what each colour and letter means, and what the marks are.
fn draw_legend<DB: DrawingBackend>(legend: &DrawingArea<DB, Shift>) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let text = ("sans-serif", 15).into_font().color(&BLACK);
    let centred = |ink: &RGBColor| {
        ("sans-serif", 17)
            .into_font()
            .color(ink)
            .pos(Pos::new(HPos::Center, VPos::Center))
    };
    let mut y = 24;
    legend
        .draw(&Text::new("The claim's verdict", (8, y), text.clone()))
        .map_err(e)?;
    y += 30;
    for v in Verdict::ALL {
        let (fill, letter, ink) = style(v);
        legend
            .draw(&Rectangle::new([(8, y), (36, y + 28)], fill.filled()))
            .map_err(e)?;
        legend
            .draw(&Text::new(letter.to_string(), (22, y + 14), centred(&ink)))
            .map_err(e)?;
        legend
            .draw(&Text::new(v.name().to_string(), (46, y + 6), text.clone()))
            .map_err(e)?;
        y += 38;
    }
    let small = ("sans-serif", 13).into_font().color(&RGBColor(60, 60, 60));
    for line in [
        "The number in a cell is the effect:",
        "the scenario's statistic minus the",
        "baseline's (or the threshold).",
    ] {
        legend
            .draw(&Text::new(line, (8, y), small.clone()))
            .map_err(e)?;
        y += 17;
    }
    y += 20;
    draw_marker(legend, (22, y + 8), false)?;
    legend
        .draw(&Text::new("an essay's view", (46, y), text.clone()))
        .map_err(e)?;
    y += 32;
    draw_marker(legend, (22, y + 8), true)?;
    legend
        .draw(&Text::new("the model's defaults", (46, y), text))
        .map_err(e)?;
    Ok(())
}

/// Writes `<stem>.svg` and `<stem>.png` into `dir`, each atomically; returns the SVG.
pub fn write_map(dir: &Path, figure: &MapFigure) -> Result<String, PlotError> {
    prepare(dir)?;
    write_figure(dir, figure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_verdict_has_its_own_colour_and_letter_and_a_readable_ink() {
        let styles: Vec<(RGBColor, &str, RGBColor)> = Verdict::ALL.map(style).to_vec();
        assert_eq!(styles[0], (RGBColor(0, 158, 115), "S", BLACK));
        assert_eq!(styles[1], (RGBColor(213, 94, 0), "C", BLACK));
        assert_eq!(styles[2], (RGBColor(0, 114, 178), "N", WHITE));
        assert_eq!(styles[3], (RGBColor(221, 221, 221), "?", BLACK));
        for (k, a) in styles.iter().enumerate() {
            for b in &styles[k + 1..] {
                assert!(a.0 != b.0 && a.1 != b.1);
            }
        }
    }

    #[test]
    fn a_value_sits_at_its_cells_middle_or_between_two_in_proportion() {
        let levels = [0.0, 0.25, 0.5, 0.75, 1.0];
        assert_eq!(position(&levels, 0.0), Some(0.5));
        assert_eq!(position(&levels, 0.5), Some(2.5));
        assert_eq!(position(&levels, 1.0), Some(4.5));
        assert_eq!(position(&levels, 0.1), Some(0.9));
        assert!((position(&levels, 0.9).unwrap() - 4.1).abs() < 1e-12);
        assert_eq!(position(&levels, 1.2), None);
        assert_eq!(position(&levels, -0.1), None);
        assert_eq!(position(&[0.3], 0.3), Some(0.5));
        assert_eq!(position(&[], 0.3), None);
    }

    #[test]
    fn a_map_is_written_whole_with_its_letters_marks_and_labels() {
        let dir = tempfile::tempdir().unwrap();
        let mut cells = Vec::new();
        for (k, (x, y)) in [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]
            .into_iter()
            .enumerate()
        {
            cells.push(Cell {
                x,
                y,
                verdict: Verdict::ALL[k],
                effect: k as f64 / 10.0,
            });
        }
        let marks = [
            Mark {
                label: "default".into(),
                x: 0.5,
                y: 0.5,
                default: true,
            },
            Mark {
                label: "lessons".into(),
                x: 1.0,
                y: 0.2,
                default: false,
            },
        ];
        let svg = write_map(
            dir.path(),
            &MapFigure {
                stem: "m",
                title: "Where the claim holds: ban-seals",
                subtitle: "historical against factions_allowed",
                labels: ["precedent", "doctrine"],
                cells: &cells,
                marks: &marks,
            },
        )
        .unwrap();
        // plotters writes each text on a line of its own.
        for text in [
            "S",
            "C",
            "N",
            "?",
            "lessons",
            "default",
            "precedent",
            "doctrine",
            "inconclusive",
            "an essay&apos;s view",
            "+0.300",
        ] {
            assert!(svg.contains(&format!("\n{text}\n")), "{text}");
        }
        assert!(svg.contains("Where the claim holds: ban-seals"));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert!(dir.path().join("m.png").is_file());
    }
}
