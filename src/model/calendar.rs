//! The step calendar: which date each step stands for and how many weeks it lasts.

use crate::date::Date;
use serde::{Deserialize, Serialize};

/// Length of a step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    #[default]
    Week,
    Month,
}

/// Maps step numbers to dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Calendar {
    pub start: Date,
    pub kind: StepKind,
    /// Number of steps: every step whose date is on or before the scenario's end.
    pub steps: u32,
}

impl Calendar {
    /// The calendar from `start` to `end` inclusive.
    pub fn new(start: Date, end: Date, kind: StepKind) -> Calendar {
        let mut cal = Calendar {
            start,
            kind,
            steps: 0,
        };
        // Every step dated on or before `end`: those before the first one after it.
        cal.steps = cal.step_on_or_after(end.add_days(1));
        cal
    }

    /// The date of step `step`.
    pub fn date(&self, step: u32) -> Date {
        match self.kind {
            StepKind::Week => self.start.add_days(7 * step as i64),
            StepKind::Month => self.start.add_months(step as i64),
        }
    }

    /// The length of step `step` in weeks: weekly rates are converted with it.
    pub fn weeks(&self, step: u32) -> f64 {
        self.date(step + 1).days_since(self.date(step)) as f64 / 7.0
    }

    /// The first step whose date is on or after `date` (may be `steps` if none is).
    pub fn step_on_or_after(&self, date: Date) -> u32 {
        if date <= self.start {
            return 0;
        }
        match self.kind {
            StepKind::Week => {
                let days = date.days_since(self.start);
                (days as u64).div_ceil(7) as u32
            }
            StepKind::Month => {
                // Step `s` falls in the month `s` months after the start's, so the step in
                // `date`'s month is the first candidate; if it falls earlier in the month
                // than `date`, the next step is the one. Constant time: a walk month by
                // month from the start made a calendar of ten thousand years cost that
                // many steps per series point.
                let (y0, m0, _) = self.start.ymd();
                let (y, m, _) = date.ymd();
                let months = (y as i64 - y0 as i64) * 12 + (m as i64 - m0 as i64);
                let s = months.clamp(0, u32::MAX as i64) as u32;
                if self.date(s) < date { s + 1 } else { s }
            }
        }
    }

    /// A date as a fractional step position, for interpolating series between steps.
    pub fn position(&self, date: Date) -> f64 {
        match self.kind {
            StepKind::Week => date.days_since(self.start) as f64 / 7.0,
            StepKind::Month => {
                let s = self.step_on_or_after(date);
                if s == 0 {
                    return date.days_since(self.start) as f64
                        / self.date(1).days_since(self.start) as f64;
                }
                let before = self.date(s - 1);
                let after = self.date(s);
                (s - 1) as f64
                    + date.days_since(before) as f64 / after.days_since(before).max(1) as f64
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap().0
    }

    #[test]
    fn weekly_calendar_covers_start_to_end() {
        let cal = Calendar::new(d("1917-11-01"), d("1917-11-30"), StepKind::Week);
        assert_eq!(cal.steps, 5); // Nov 1, 8, 15, 22, 29
        assert_eq!(cal.date(4).to_string(), "1917-11-29");
        assert_eq!(cal.weeks(0), 1.0);
        assert_eq!(cal.step_on_or_after(d("1917-11-08")), 1);
        assert_eq!(cal.step_on_or_after(d("1917-11-09")), 2);
        assert_eq!(cal.position(d("1917-11-04")), 3.0 / 7.0);
    }

    /// The direct computations agree with walking the calendar step by step, for starts on
    /// every kind of day (the 31st, the 29th of February) and both step kinds.
    #[test]
    fn step_arithmetic_agrees_with_walking_the_calendar() {
        let starts = [
            "1917-11-01",
            "1917-01-31",
            "1920-02-29",
            "1918-08-30",
            "1917-12-31",
        ];
        for kind in [StepKind::Week, StepKind::Month] {
            for start in starts {
                let start = d(start);
                let cal = Calendar::new(start, start.add_days(3000), kind);
                let walked = (0..)
                    .take_while(|&n| cal.date(n) <= start.add_days(3000))
                    .count();
                assert_eq!(cal.steps as usize, walked, "{start} {kind:?}");
                for offset in -40..1200 {
                    let date = start.add_days(offset);
                    let walked = (0..).find(|&n| cal.date(n) >= date).unwrap();
                    assert_eq!(
                        cal.step_on_or_after(date),
                        walked,
                        "{start} {date} {kind:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn monthly_calendar_steps_by_month() {
        let cal = Calendar::new(d("1917-11-01"), d("1918-12-31"), StepKind::Month);
        assert_eq!(cal.steps, 14);
        assert_eq!(cal.date(2).to_string(), "1918-01-01");
        assert!((cal.weeks(0) - 30.0 / 7.0).abs() < 1e-12);
        assert_eq!(cal.step_on_or_after(d("1918-01-15")), 3);
        assert!((cal.position(d("1917-12-16")) - (1.0 + 15.0 / 31.0)).abs() < 1e-12);
    }
}
