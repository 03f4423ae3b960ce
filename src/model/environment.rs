//! The environment: the six dated series that drive hardship, departures, deaths at the front
//! and the leadership's sense of siege, each piecewise linear between the points a scenario
//! gives and flat before the first and after the last.

/// The current values of the series, all in [0, 1].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Conditions {
    /// Intensity of the civil war.
    pub civil_war: f64,
    /// Food supply of the towns, as a share of normal.
    pub food_supply: f64,
    /// Industrial output, as a share of pre-war.
    pub industrial_output: f64,
    /// Prospect of help from a revolution abroad.
    pub world_revolution: f64,
    /// Threat of a White (restorationist) victory.
    pub white_threat: f64,
    /// Share of the towns' workers out of work: NEP's unemployment, which rose while output
    /// recovered (the closed and rationalised factories, the demobilised, the peasants who
    /// came to the towns).
    pub unemployment: f64,
}

impl Default for Conditions {
    /// Peacetime: full food and output, no war, no threat, no help.
    fn default() -> Conditions {
        Conditions {
            civil_war: 0.0,
            food_supply: 1.0,
            industrial_output: 1.0,
            world_revolution: 0.0,
            white_threat: 0.0,
            unemployment: 0.0,
        }
    }
}

/// The names of the series, in the order of [`Conditions`]' fields.
pub const SERIES_NAMES: [&str; 6] = [
    "civil_war",
    "food_supply",
    "industrial_output",
    "world_revolution",
    "white_threat",
    "unemployment",
];

/// One series as (step position, value) points, sorted by position. Positions are in
/// fractional steps so that a point dated between two steps is honoured exactly.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Series {
    points: Vec<(f64, f64)>,
}

impl Series {
    /// A series from points sorted by position (checked by scenario validation).
    pub fn new(points: Vec<(f64, f64)>) -> Series {
        debug_assert!(points.windows(2).all(|w| w[0].0 <= w[1].0));
        Series { points }
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The value at a position, or `default` for a series with no points.
    pub fn at(&self, position: f64, default: f64) -> f64 {
        let pts = &self.points;
        match pts.len() {
            0 => default,
            // At a date given twice (a jump), the later point holds from that date on.
            _ if position >= pts[pts.len() - 1].0 => pts[pts.len() - 1].1,
            _ if position < pts[0].0 => pts[0].1,
            _ => {
                // First point strictly after the position; the one before is at or before it.
                let hi = pts.partition_point(|p| p.0 <= position);
                let (x0, y0) = pts[hi - 1];
                let (x1, y1) = pts[hi];
                if x1 == x0 {
                    y1
                } else {
                    y0 + (y1 - y0) * (position - x0) / (x1 - x0)
                }
            }
        }
    }
}

/// All six series.
#[derive(Clone, Debug, Default)]
pub struct Environment {
    pub series: [Series; 6],
}

impl Environment {
    /// The conditions at a position (in steps).
    pub fn at(&self, position: f64) -> Conditions {
        let d = Conditions::default();
        let v = |k: usize, def: f64| self.series[k].at(position, def).clamp(0.0, 1.0);
        Conditions {
            civil_war: v(0, d.civil_war),
            food_supply: v(1, d.food_supply),
            industrial_output: v(2, d.industrial_output),
            world_revolution: v(3, d.world_revolution),
            white_threat: v(4, d.white_threat),
            unemployment: v(5, d.unemployment),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolates_linearly_and_holds_at_the_ends() {
        let s = Series::new(vec![(10.0, 0.2), (20.0, 0.8), (30.0, 0.8)]);
        assert_eq!(s.at(0.0, 9.0), 0.2);
        assert_eq!(s.at(10.0, 9.0), 0.2);
        assert!((s.at(15.0, 9.0) - 0.5).abs() < 1e-12);
        assert_eq!(s.at(25.0, 9.0), 0.8);
        assert_eq!(s.at(99.0, 9.0), 0.8);
        assert_eq!(Series::default().at(5.0, 0.3), 0.3);
    }

    #[test]
    fn a_step_change_is_two_points_at_one_date() {
        let s = Series::new(vec![(10.0, 0.0), (10.0, 1.0)]);
        assert_eq!(s.at(9.9, 0.5), 0.0);
        assert_eq!(s.at(10.0, 0.5), 1.0);
        assert_eq!(s.at(10.1, 0.5), 1.0);
    }
}
