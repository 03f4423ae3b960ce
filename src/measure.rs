//! A measure of a run: one metric, over a window of dates, reduced by a statistic to one
//! number per replicate (with the `level` and the side of it, `cross`, that the event
//! statistics need). A claim's test and a sweep's outcome are both measures; this module
//! holds the type, the window's steps in a scenario's calendar, and the reduction.

use std::ops::RangeInclusive;

use serde::Deserialize;

use crate::date::Date;
use crate::metrics::Row;
use crate::model::Calendar;

/// How the replicates' values over the window are reduced to one number per replicate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Statistic {
    /// The mean over the window's steps.
    Mean,
    /// The value at the window's last step.
    Final,
    /// The highest value in the window.
    Peak,
    /// The lowest value in the window.
    Trough,
    /// Years from the window's first step until the metric first crosses `level` (in the
    /// direction `cross`); the window's length when it never does (censored).
    TimeToCross,
    /// 1 if the metric crosses `level` (in the direction `cross`) at any step of the window,
    /// else 0: over replicates, the probability of the event.
    Probability,
}

impl Statistic {
    /// Every statistic, in the order of [`Statistic::NAMES`].
    pub const ALL: [Statistic; 6] = [
        Statistic::Mean,
        Statistic::Final,
        Statistic::Peak,
        Statistic::Trough,
        Statistic::TimeToCross,
        Statistic::Probability,
    ];

    pub const NAMES: [&str; 6] = [
        "mean",
        "final",
        "peak",
        "trough",
        "time_to_cross",
        "probability",
    ];

    pub fn name(self) -> &'static str {
        Statistic::NAMES[self as usize]
    }

    /// Whether the statistic needs a `level`.
    pub fn needs_level(self) -> bool {
        matches!(self, Statistic::TimeToCross | Statistic::Probability)
    }
}

/// The side of `level` an event is about.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cross {
    /// The metric reaches `level` or more.
    #[default]
    Above,
    /// The metric falls to `level` or less.
    Below,
}

/// A date range: the first and last day it covers (a `YYYY-MM` end covers the whole
/// month).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub first: Date,
    pub last: Date,
    /// Whether it was given as `at` (one step: the first on or after `first`).
    pub single: bool,
}

/// A metric over a window reduced by a statistic. The metric is its column (`usize`) once
/// known; a sweep's outcome holds its name until the base scenario says which column it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Measure<M = usize> {
    pub metric: M,
    pub window: Window,
    pub statistic: Statistic,
    /// The event's level, for `time_to_cross` and `probability` (0 otherwise).
    pub level: f64,
    pub cross: Cross,
}

impl<M> Measure<M> {
    /// The same measure of another metric (or of its column, once known).
    pub fn with_metric<N>(&self, metric: N) -> Measure<N> {
        Measure {
            metric,
            window: self.window,
            statistic: self.statistic,
            level: self.level,
            cross: self.cross,
        }
    }
}

/// The smallest effect of interest of a `time_to_cross` statistic, in years: the essays date
/// their turning points to the season, so half a year earlier or later is the least
/// difference in timing they would argue over.
pub const SMALLEST_YEARS: f64 = 0.5;

/// The smallest effect of interest of a `probability` statistic: a tenth of the replicates
/// (two of sixteen) having the event, or not.
pub const SMALLEST_PROBABILITY: f64 = 0.1;

impl Measure {
    /// The measure's smallest effect of interest and its unit: the metric's own for the
    /// statistics that keep its unit ([`crate::metrics::SMALLEST_EFFECTS`]),
    /// [`SMALLEST_YEARS`] for `time_to_cross` and [`SMALLEST_PROBABILITY`] for
    /// `probability`.
    pub fn smallest_effect(&self) -> (f64, &'static str) {
        match self.statistic {
            Statistic::TimeToCross => (SMALLEST_YEARS, "years"),
            Statistic::Probability => (SMALLEST_PROBABILITY, "probability"),
            _ => {
                let s = crate::metrics::SMALLEST_EFFECTS[self.metric];
                (s.value, s.unit)
            }
        }
    }
}

impl Measure {
    /// One replicate's value over `steps` of its rows (NaN when the rows do not reach the
    /// window).
    pub fn value(&self, calendar: &Calendar, steps: &RangeInclusive<usize>, rows: &[Row]) -> f64 {
        let k = self.metric;
        let (first, last) = (
            *steps.start(),
            (*steps.end()).min(rows.len().saturating_sub(1)),
        );
        if rows.is_empty() || first > last {
            return f64::NAN;
        }
        let values = rows[first..=last].iter().map(|r| r[k]);
        match self.statistic {
            Statistic::Mean => values.sum::<f64>() / (last - first + 1) as f64,
            Statistic::Final => rows[last][k],
            Statistic::Peak => values.fold(f64::NEG_INFINITY, f64::max),
            Statistic::Trough => values.fold(f64::INFINITY, f64::min),
            Statistic::TimeToCross => {
                let years = |step: usize| {
                    calendar
                        .date(step as u32)
                        .days_since(calendar.date(first as u32)) as f64
                        / 365.25
                };
                (first..=last)
                    .find(|&s| self.crossed(rows[s][k]))
                    .map_or(years(last + 1), years)
            }
            Statistic::Probability => {
                let hit = (first..=last).any(|s| self.crossed(rows[s][k]));
                if hit { 1.0 } else { 0.0 }
            }
        }
    }

    fn crossed(&self, value: f64) -> bool {
        match self.cross {
            Cross::Above => value >= self.level,
            Cross::Below => value <= self.level,
        }
    }
}

/// The steps of `calendar` a window covers, or why it does not fit the scenario's dates.
pub fn window_steps(calendar: &Calendar, window: Window) -> Result<RangeInclusive<usize>, String> {
    let last_step = calendar.steps.saturating_sub(1);
    let outside = || {
        format!(
            "the window {} to {} does not lie within the scenario's dates ({} to {})",
            window.first,
            window.last,
            calendar.date(0),
            calendar.date(last_step)
        )
    };
    if calendar.steps == 0 || window.first < calendar.start {
        return Err(outside());
    }
    let first = calendar.step_on_or_after(window.first);
    if first >= calendar.steps {
        return Err(outside());
    }
    if window.single {
        return Ok(first as usize..=first as usize);
    }
    // The window may end after the last step's date but not after the period it stands for.
    if window.last >= calendar.date(calendar.steps) {
        return Err(outside());
    }
    let after = calendar.step_on_or_after(window.last.add_days(1));
    let last = after.saturating_sub(1).min(last_step);
    if last < first {
        return Err(format!(
            "the window {} to {} holds no step of the scenario (steps fall on {} and {})",
            window.first,
            window.last,
            calendar.date(first.saturating_sub(1)),
            calendar.date(first)
        ));
    }
    Ok(first as usize..=last as usize)
}
