//! The calibration of the endogenous history: the windows in which the historical scenario,
//! whose institutional decisions the model takes itself, should take each decision, which are
//! the dates of the record of the shared history (`scenarios/record/record.toml`), and the two measures its tables of contrasts use (each replicate's mean over a
//! period, and the difference of two sets of replicates with its 95% interval). The tests
//! hold the shipped scenarios to them; `examples/decisions.rs` and
//! `examples/counterfactuals.rs` print them.

use crate::metrics::{METRIC_NAMES, Row};
use crate::model::{Calendar, Decision, DecisionRecord};

/// The record of the shared history as shipped (`scenarios/record/record.toml`): the windows'
/// source, compiled in so that the library reads no file.
const RECORD: &str = include_str!("../scenarios/record/record.toml");

/// The record's targets the defaults reach: in at least 60% of the replicates of
/// `historical.toml` (16, seed 1917) the decision falls within the record's dates. The test
/// in tests/decisions.rs holds both sides: these reach it, and every other window does not,
/// so that the list cannot go stale in either direction. docs/model.md ("How close the
/// dated course comes") gives the figures.
pub const REACHED: &[&str] = &[
    "kadets-outlawed",
    "anarchists-raided",
    "mensheviks-harassed",
    "single-list",
    "unions-subordinated",
    "faction-ban",
    "nep",
    "purge-1921",
    "nep-ends",
];

/// A decision the historical leadership took, and the dates within which a replicate should
/// take it too: a target of the record that a decision measures.
#[derive(Clone, Debug)]
pub struct Window {
    /// The record's target.
    pub id: String,
    pub decision: Decision,
    /// Only decisions aimed at this party or faction count (any, if `None`).
    pub target: Option<String>,
    /// `YYYY-MM`, inclusive.
    pub from: String,
    pub to: String,
    /// What the window stands for, in words: the record's own.
    pub what: String,
    /// Whether the model reaches it in most replicates ([`REACHED`]).
    pub reached: bool,
}

/// The calibration windows: one per target of the shipped record that a decision measures,
/// with the record's dates, in the record's order.
pub fn windows() -> Vec<Window> {
    // The shipped record is checked by its own tests; should it ever fail to parse, there
    // are no windows, and the tests that use them say so.
    let Ok(record) = crate::record::parse(RECORD, "scenarios/record/record.toml") else {
        return Vec::new();
    };
    record
        .targets
        .iter()
        .filter_map(|t| {
            let crate::record::Measured::Decision { decision, aimed_at } = &t.measured else {
                return None;
            };
            let crate::record::Interval::Dates(low, high) = t.interval else {
                return None;
            };
            Some(Window {
                id: t.id.clone(),
                decision: *decision,
                target: aimed_at.clone(),
                from: low.month(),
                to: high.month(),
                what: t.what.clone(),
                reached: REACHED.contains(&t.id.as_str()),
            })
        })
        .collect()
}

impl Window {
    /// Whether a replicate's decisions took this one within the window.
    pub fn holds(&self, records: &[DecisionRecord], calendar: Calendar) -> bool {
        records.iter().any(|r| {
            let month = calendar.date(r.step).month();
            r.decision == self.decision
                && self.target.as_ref().is_none_or(|t| *t == r.target)
                && month.as_str() >= self.from.as_str()
                && month.as_str() <= self.to.as_str()
        })
    }

    /// The window in words: "faction-ban: ban_factions between 1921-03 and 1921-03".
    pub fn describe(&self) -> String {
        let aimed = self
            .target
            .as_ref()
            .map_or(String::new(), |t| format!(" aimed at {t}"));
        format!(
            "{}: {}{aimed} between {} and {}",
            self.id,
            self.decision.name(),
            self.from,
            self.to
        )
    }
}

/// The share of replicates, each given by its decision log, that hold a window.
pub fn share_within(window: &Window, logs: &[&[DecisionRecord]], calendar: Calendar) -> f64 {
    if logs.is_empty() {
        return 0.0;
    }
    let inside = logs
        .iter()
        .filter(|log| window.holds(log, calendar))
        .count();
    inside as f64 / logs.len() as f64
}

/// Each replicate's mean of `metric` over the months `from..=to` (`YYYY-MM`, inclusive);
/// `None` for a metric that does not exist.
pub fn period_means(
    calendar: Calendar,
    replicates: &[&[Row]],
    metric: &str,
    from: &str,
    to: &str,
) -> Option<Vec<f64>> {
    let k = METRIC_NAMES.iter().position(|m| *m == metric)?;
    let means = replicates
        .iter()
        .map(|rows| {
            let (mut sum, mut n) = (0.0, 0usize);
            for (step, row) in rows.iter().enumerate() {
                let month = calendar.date(step as u32).month();
                if month.as_str() >= from && month.as_str() <= to {
                    sum += row[k];
                    n += 1;
                }
            }
            if n > 0 { sum / n as f64 } else { 0.0 }
        })
        .collect();
    Some(means)
}

/// The difference of the means of `a` and `b` (a less b) and the half-width of its 95%
/// interval, by Welch's normal approximation (1.96 standard errors).
pub fn difference(a: &[f64], b: &[f64]) -> (f64, f64) {
    let mean = |x: &[f64]| x.iter().sum::<f64>() / x.len().max(1) as f64;
    let var = |x: &[f64]| {
        let m = mean(x);
        x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() as f64 - 1.0).max(1.0)
    };
    let se = (var(a) / a.len().max(1) as f64 + var(b) / b.len().max(1) as f64).sqrt();
    (mean(a) - mean(b), 1.96 * se)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;
    use crate::model::StepKind;

    fn calendar() -> Calendar {
        let (start, _) = Date::parse("1917-11").unwrap();
        let (end, _) = Date::parse("1930-12").unwrap();
        Calendar::new(start, end, StepKind::Month)
    }

    fn record(calendar: Calendar, month: &str, decision: Decision, target: &str) -> DecisionRecord {
        let (date, _) = Date::parse(month).unwrap();
        DecisionRecord {
            step: calendar.step_on_or_after(date),
            decision,
            target: target.into(),
            why: String::new(),
        }
    }

    fn window(id: &str) -> Window {
        windows()
            .into_iter()
            .find(|w| w.id == id)
            .unwrap_or_else(|| panic!("no window {id}"))
    }

    #[test]
    fn the_windows_are_the_records_decision_targets_with_its_dates() {
        let all = windows();
        assert!(all.len() >= 12, "{}", all.len());
        let srs = window("srs-outlawed");
        assert_eq!(srs.decision, Decision::BanParty);
        assert_eq!(srs.target.as_deref(), Some("srs"));
        assert_eq!((srs.from.as_str(), srs.to.as_str()), ("1918-06", "1918-06"));
        for id in REACHED {
            assert!(all.iter().any(|w| w.id == *id && w.reached), "{id}");
        }
    }

    #[test]
    fn a_window_holds_only_for_its_decision_target_and_dates() {
        let c = calendar();
        let ban = window("srs-outlawed");
        assert!(ban.holds(&[record(c, "1918-06", Decision::BanParty, "srs")], c));
        assert!(!ban.holds(&[record(c, "1918-06", Decision::BanParty, "kadets")], c));
        assert!(!ban.holds(&[record(c, "1919-01", Decision::BanParty, "srs")], c));
        let factions = window("faction-ban");
        assert_eq!(factions.decision, Decision::BanFactions);
        assert!(!factions.holds(&[record(c, "1921-02", Decision::BanFactions, "")], c));
        assert!(factions.holds(&[record(c, "1921-03", Decision::BanFactions, "")], c));
        let logs = [
            vec![record(c, "1921-03", Decision::BanFactions, "")],
            vec![],
        ];
        let logs: Vec<&[DecisionRecord]> = logs.iter().map(Vec::as_slice).collect();
        assert_eq!(share_within(&factions, &logs, c), 0.5);
    }

    #[test]
    fn period_means_read_only_the_months_asked_for() {
        let c = calendar();
        let k = METRIC_NAMES.iter().position(|m| *m == "unrest").unwrap();
        let rows: Vec<Row> = (0..24)
            .map(|step| {
                let mut row = [0.0; crate::metrics::METRIC_COUNT];
                row[k] = step as f64;
                row
            })
            .collect();
        // Monthly from 1917-11: step 2 is 1918-01, step 13 is 1918-12.
        let means = period_means(c, &[&rows], "unrest", "1918-01", "1918-12").unwrap();
        assert_eq!(means, vec![7.5]);
        assert!(period_means(c, &[&rows], "unrestt", "1918-01", "1918-12").is_none());
    }

    #[test]
    fn the_difference_and_its_interval_follow_welch() {
        let (d, h) = difference(&[1.0, 2.0, 3.0], &[1.0, 1.0, 1.0]);
        assert_eq!(d, 1.0);
        // Variances 1 and 0, three each: the standard error is sqrt(1/3).
        assert!((h - 1.96 * (1.0f64 / 3.0).sqrt()).abs() < 1e-12);
        assert_eq!(difference(&[2.0, 2.0], &[2.0, 2.0]), (0.0, 0.0));
    }
}
