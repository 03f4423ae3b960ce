//! The decision timeline: one lane per decision that some replicate took, the decision's
//! name at the left, dates along the bottom. In each lane the share of replicates that had
//! taken the decision by each date rises as a filled step from 0 (the floor) toward 1 (the
//! ceiling), and each date the Bolshevik leadership took it is a dark vertical mark
//! labelled with its month. A comparison gives each scenario a strip of its own in every
//! lane, one above the other in the palette of the other plots (so a scenario keeps its
//! colour): overlaid, two scenarios that decided alike would hide each other.
//!
//! Lanes rather than one chart of seventeen overlapping lines, because the question a class
//! asks is "when, and how often, did the model come to this decision?", one decision at a
//! time; a lane answers it at a glance and the historical mark sits right on it.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Figure, PALETTE, PlotError, WIDTH, prepare, write_figure};
use crate::date::Date;
use crate::model::Decision;
use crate::output::ScenarioDecisions;

/// Heights of the parts of the figure, in pixels.
const TITLE: u32 = 40;
const LEGEND: u32 = 28;
/// The height of a scenario's strip in a lane: one scenario's alone, or each of several.
const STRIP: u32 = 38;
const STRIPS: u32 = 26;
const AXIS: u32 = 42;
/// Width of the decision names at the left, and the margin at the right.
const NAMES: u32 = 170;
const RIGHT: u32 = 24;
/// Space between lanes, above each lane's plot.
const GAP: u32 = 6;
/// About the width of a `YYYY-MM` label at 10 pixels, to keep close labels apart.
const LABEL_WIDTH: f64 = 44.0;
/// The colour of the historical marks.
const HISTORY: RGBColor = RGBColor(40, 40, 40);

/// The decisions some replicate of some scenario took, in [`Decision::ALL`] order.
pub fn lanes(lines: &[ScenarioDecisions]) -> Vec<Decision> {
    Decision::ALL
        .into_iter()
        .filter(|&d| lines.iter().any(|l| l.timeline.taken(d) > 0))
        .collect()
}

/// The height of a lane of `scenarios` strips.
fn lane(scenarios: usize) -> u32 {
    GAP + if scenarios > 1 {
        STRIPS * scenarios as u32
    } else {
        STRIP
    }
}

/// The figure's height for `lanes` lanes of `scenarios` strips (room for a one-line message
/// when there are none).
fn height(lanes: usize, scenarios: usize) -> u32 {
    TITLE + LEGEND + lane(scenarios) * lanes.max(1) as u32 + AXIS
}

/// The share of the strip's height a share of 1 fills, leaving a gap between strips.
const FILL: f64 = 0.85;

/// The points of a step function of `shares` over days: flat until the next step, then up.
fn steps(shares: &[f64], day: impl Fn(usize) -> f64) -> Vec<(f64, f64)> {
    let mut points = Vec::with_capacity(2 * shares.len());
    for (s, &share) in shares.iter().enumerate() {
        if s > 0 {
            points.push((day(s), shares[s - 1]));
        }
        points.push((day(s), share));
    }
    points
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    title: &str,
    lines: &[ScenarioDecisions],
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(e)?;
    let Some(first) = lines.first() else {
        return Ok(());
    };
    let body = root
        .titled(
            &format!("{title}: decisions, share of replicates that had taken each by each date"),
            ("sans-serif", 20),
        )
        .map_err(e)?;
    let (legend, body) = body.split_vertically(LEGEND);
    // The legend: each scenario's colour, then the historical mark.
    let text = |size| ("sans-serif", size).into_font().color(&BLACK);
    let middle = |size| text(size).pos(Pos::new(HPos::Left, VPos::Center));
    let y = (LEGEND / 2) as i32;
    let mut x = NAMES as i32;
    for (n, l) in lines.iter().enumerate() {
        let colour = PALETTE[n % PALETTE.len()];
        legend
            .draw(&Rectangle::new(
                [(x, y - 6), (x + 18, y + 6)],
                colour.mix(0.35).filled(),
            ))
            .map_err(e)?;
        legend
            .draw(&PathElement::new(
                [(x, y - 6), (x + 18, y - 6)],
                colour.stroke_width(2),
            ))
            .map_err(e)?;
        legend
            .draw(&Text::new(l.name.to_string(), (x + 24, y), middle(12)))
            .map_err(e)?;
        x += 24 + 8 * l.name.len() as i32 + 24;
    }
    legend
        .draw(&PathElement::new(
            [(x + 8, y - 8), (x + 8, y + 8)],
            HISTORY.stroke_width(1),
        ))
        .map_err(e)?;
    legend
        .draw(&Text::new(
            "taken by the Bolshevik leadership",
            (x + 16, y),
            middle(12),
        ))
        .map_err(e)?;

    let decisions = lanes(lines);
    let lane_height = lane(lines.len());
    if decisions.is_empty() {
        body.draw(&Text::new(
            "No replicate took any decision.",
            (NAMES as i32, (lane_height / 2) as i32),
            middle(14),
        ))
        .map_err(e)?;
        root.present().map_err(e)?;
        return Ok(());
    }
    // x is days since the first scenario's start, so scenarios on different calendars line
    // up (as in the overlays).
    let origin = first.calendar.date(0);
    let day = |l: &ScenarioDecisions, s: usize| l.calendar.date(s as u32).days_since(origin) as f64;
    let (mut left, mut right) = (f64::MAX, f64::MIN);
    for l in lines {
        let last = l.timeline.steps().max(1) as usize - 1;
        left = left.min(day(l, 0));
        right = right.max(day(l, last));
    }
    if left >= right {
        right = left + 1.0;
    }
    let width = (WIDTH - NAMES - RIGHT) as f64;
    let label_days = LABEL_WIDTH * (right - left) / width;
    let mut rest = body;
    for (k, &decision) in decisions.iter().enumerate() {
        let last = k + 1 == decisions.len();
        let (lane, below) = rest.split_vertically(lane_height + if last { AXIS } else { 0 });
        rest = below;
        let mut chart = ChartBuilder::on(&lane)
            .margin_top(GAP)
            .margin_right(RIGHT)
            .y_label_area_size(NAMES)
            .x_label_area_size(if last { AXIS } else { 0 })
            .build_cartesian_2d(left..right, 0f64..lines.len() as f64)
            .map_err(e)?;
        let blank = |_: &f64| String::new();
        let dated = |x: &f64| origin.add_days(x.round() as i64).month();
        let mut mesh = chart.configure_mesh();
        mesh.disable_y_mesh()
            .y_labels(0)
            .x_labels(10)
            .bold_line_style(RGBColor(225, 225, 225))
            .light_line_style(TRANSPARENT)
            .axis_style(RGBColor(170, 170, 170));
        if last {
            // Sizes in pixels: plotters' defaults scale with the area, and a lane is small.
            mesh.x_label_formatter(&dated)
                .x_label_style(("sans-serif", 12))
                .x_desc("date")
                .axis_desc_style(("sans-serif", 14));
        } else {
            mesh.x_label_formatter(&blank);
        }
        mesh.draw().map_err(|e| e.to_string())?;
        lane.draw(&Text::new(
            decision.name(),
            (8, (GAP + (lane_height - GAP) / 2) as i32),
            middle(13),
        ))
        .map_err(e)?;
        for (n, l) in lines.iter().enumerate() {
            let colour = PALETTE[n % PALETTE.len()];
            // The first scenario's strip on top.
            let floor = (lines.len() - 1 - n) as f64;
            let ceiling = floor + FILL;
            // The strip's ceiling: a share of 1, every replicate.
            chart
                .draw_series(std::iter::once(PathElement::new(
                    [(left, ceiling), (right, ceiling)],
                    RGBColor(215, 215, 215).stroke_width(1),
                )))
                .map_err(|e| e.to_string())?;
            let shares: Vec<f64> = l
                .timeline
                .shares(decision)
                .into_iter()
                .map(|share| floor + FILL * share)
                .collect();
            let line = steps(&shares, |s| day(l, s));
            let (Some(&(a, _)), Some(&(b, _))) = (line.first(), line.last()) else {
                continue;
            };
            let area: Vec<(f64, f64)> = line
                .iter()
                .copied()
                .chain([(b, floor), (a, floor)])
                .collect();
            chart
                .draw_series(std::iter::once(Polygon::new(
                    area,
                    colour.mix(0.25).filled(),
                )))
                .map_err(|e| e.to_string())?;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    line,
                    colour.stroke_width(2),
                )))
                .map_err(|e| e.to_string())?;
        }
        // The historical dates: a mark across the lane and the month beside it, raised to
        // another of three heights when it would overlap the label before it. Every mark is
        // drawn before any label, so that no mark crosses out a label.
        let top = lines.len() as f64;
        let mut marks: Vec<(f64, i32, Date)> = Vec::new();
        for date in decision.historical_dates() {
            let Ok((date, _)) = Date::parse(date) else {
                continue;
            };
            let x = date.days_since(origin) as f64;
            if x < left || x > right {
                continue;
            }
            let level = match marks.last() {
                Some(&(p, level, _)) if x - p < label_days => (level + 1) % 3,
                _ => 0,
            };
            marks.push((x, level, date));
        }
        chart
            .draw_series(
                marks.iter().map(|&(x, _, _)| {
                    PathElement::new([(x, 0.0), (x, top)], HISTORY.stroke_width(1))
                }),
            )
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(marks.iter().map(|&(x, level, date)| {
                // On a pale ground, so that a share's line under it does not cross it out.
                EmptyElement::at((x, top))
                    + Rectangle::new(
                        [(2, 12 * level), (38, 12 * level + 12)],
                        WHITE.mix(0.8).filled(),
                    )
                    + Text::new(date.month(), (3, 1 + 12 * level), text(10))
            }))
            .map_err(|e| e.to_string())?;
    }
    root.present().map_err(e)?;
    Ok(())
}

/// The decision timeline of one or more scenarios.
struct DecisionsPlot<'a> {
    title: &'a str,
    lines: &'a [ScenarioDecisions<'a>],
}

impl Figure for DecisionsPlot<'_> {
    fn stem(&self) -> String {
        "decisions".to_string()
    }
    fn size(&self) -> (u32, u32) {
        (WIDTH, height(lanes(self.lines).len(), self.lines.len()))
    }
    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> Result<(), String>
    where
        DB::ErrorType: 'static,
    {
        draw(root, self.title, self.lines)
    }
}

/// Writes `decisions.svg` and `decisions.png` into `dir`: a lane per decision some replicate
/// of some scenario took, each scenario's share in its colour, the historical dates marked;
/// returns the SVG for the report. With no decision taken anywhere, the figure says so.
pub fn write_decisions(
    dir: &Path,
    title: &str,
    lines: &[ScenarioDecisions],
) -> Result<String, PlotError> {
    prepare(dir)?;
    write_figure(dir, &DecisionsPlot { title, lines })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DecisionModes;
    use crate::output::Timeline;
    use crate::testing::record;

    #[test]
    fn a_step_function_is_flat_until_the_next_step() {
        assert_eq!(
            steps(&[0.0, 0.5, 1.0], |s| 10.0 * s as f64),
            [
                (0.0, 0.0),
                (10.0, 0.0),
                (10.0, 0.5),
                (20.0, 0.5),
                (20.0, 1.0)
            ]
        );
    }

    /// A timeline made by hand: a lane for each decision taken, named, with its historical
    /// months; as SVG and PNG of the same width as the other plots, the same bytes twice.
    #[test]
    fn the_timeline_has_a_lane_per_decision_taken_with_its_historical_dates() {
        let scenario =
            crate::scenario::Scenario::parse(crate::testing::TEST_SCENARIO, "t.toml").unwrap();
        let base = Timeline::of(
            scenario.steps(),
            &[
                vec![record(20, Decision::BanParty), record(60, Decision::Purge)],
                vec![record(30, Decision::BanParty)],
            ],
        );
        let other = Timeline::of(
            scenario.steps(),
            &[vec![], vec![record(40, Decision::Concede)]],
        );
        let line = |name, timeline| ScenarioDecisions {
            name,
            calendar: scenario.calendar,
            timeline,
            modes: DecisionModes::default(),
        };
        let lines = [line("base", &base), line("other", &other)];
        assert_eq!(
            lanes(&lines),
            [Decision::BanParty, Decision::Purge, Decision::Concede]
        );
        let dir = tempfile::tempdir().unwrap();
        let svg = write_decisions(dir.path(), "t", &lines).unwrap();
        assert!(svg.starts_with("<svg"));
        assert_eq!(svg.matches("</svg>").count(), 1, "one SVG document");
        for text in ["ban_party", "purge", "concede", "base", "other", "1918-06"] {
            assert!(svg.contains(text), "{text}");
        }
        assert!(
            !svg.contains("appoint_congress"),
            "no lane for a decision never taken"
        );
        assert!(
            !svg.contains("1921-03"),
            "historical dates after the run's end are not drawn"
        );
        let png = std::fs::read(dir.path().join("decisions.png")).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
        let tall = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
        assert_eq!((width, tall), (WIDTH, height(3, 2)));
        let again = tempfile::tempdir().unwrap();
        assert_eq!(write_decisions(again.path(), "t", &lines).unwrap(), svg);
        assert_eq!(
            std::fs::read(again.path().join("decisions.png")).unwrap(),
            png
        );
        // No decision anywhere: the figure says so.
        let none = Timeline::of(scenario.steps(), &[vec![]]);
        let svg = write_decisions(dir.path(), "t", &[line("base", &none)]).unwrap();
        assert!(svg.contains("No replicate took any decision."));
    }
}
