//! Decision timelines: for each decision, the step at which each replicate first took it,
//! and from that the share of replicates that have taken it (at least once) by each step, a
//! step function from 0 up to at most 1. The plots and the reports draw and word it; it is
//! computed here, from the records a run hands over or reads back from `decisions.csv`, so
//! a run's report and a comparison of finished runs say the same.
//!
//! Only the first time counts: a decision taken again (a second purge, another party
//! banned) does not move the share, which answers "had the leadership come to this by
//! then?", the question a class asks of the historical dates.

use crate::model::{Calendar, Decision, DecisionModes, DecisionRecord};

/// When each replicate of an ensemble first took each decision.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Timeline {
    steps: u32,
    /// One entry per replicate, in replicate order: the first step each decision was taken
    /// at, in [`Decision::ALL`] order.
    first: Vec<[Option<u32>; Decision::COUNT]>,
}

impl Timeline {
    /// An empty timeline of a run of `steps` steps.
    pub fn new(steps: u32) -> Timeline {
        Timeline {
            steps,
            first: Vec::new(),
        }
    }

    /// The timeline of replicates whose decisions are given in replicate order.
    pub fn of(steps: u32, replicates: &[Vec<DecisionRecord>]) -> Timeline {
        let mut timeline = Timeline::new(steps);
        for decisions in replicates {
            timeline.add(decisions);
        }
        timeline
    }

    /// Adds the next replicate's decisions (in any order: the earliest step counts).
    pub fn add(&mut self, decisions: &[DecisionRecord]) {
        let mut first = [None; Decision::COUNT];
        for record in decisions {
            let slot: &mut Option<u32> = &mut first[record.decision.index()];
            *slot = Some(slot.map_or(record.step, |s| s.min(record.step)));
        }
        self.first.push(first);
    }

    /// The number of steps of the run.
    pub fn steps(&self) -> u32 {
        self.steps
    }

    /// The number of replicates.
    pub fn replicates(&self) -> u32 {
        self.first.len() as u32
    }

    /// The step each replicate first took `decision` at, in replicate order (`None` for a
    /// replicate that never took it).
    pub fn first_steps(&self, decision: Decision) -> Vec<Option<u32>> {
        self.first.iter().map(|f| f[decision.index()]).collect()
    }

    /// How many replicates took `decision` at least once.
    pub fn taken(&self, decision: Decision) -> u32 {
        self.first
            .iter()
            .filter(|f| f[decision.index()].is_some())
            .count() as u32
    }

    /// The decisions some replicate took, in [`Decision::ALL`] order: the lanes of a plot.
    pub fn decisions_taken(&self) -> Vec<Decision> {
        Decision::ALL
            .into_iter()
            .filter(|&d| self.taken(d) > 0)
            .collect()
    }

    /// For every step, the share of replicates that had taken `decision` at or before it
    /// (0 for an ensemble of no replicates). Counted in integers and divided once, so the
    /// shares are the same on every machine.
    pub fn shares(&self, decision: Decision) -> Vec<f64> {
        let mut new_at = vec![0u32; self.steps as usize];
        for first in self.first_steps(decision).into_iter().flatten() {
            if let Some(n) = new_at.get_mut(first as usize) {
                *n += 1;
            }
        }
        let n = self.replicates().max(1) as f64;
        let mut count = 0u32;
        new_at
            .into_iter()
            .map(|k| {
                count += k;
                count as f64 / n
            })
            .collect()
    }

    /// The median step at which the replicates that took `decision` first took it (the
    /// lower of the two middle ones for an even number, so that it is always a step a
    /// replicate took it at); `None` if no replicate took it.
    pub fn median_step(&self, decision: Decision) -> Option<u32> {
        let mut steps: Vec<u32> = self.first_steps(decision).into_iter().flatten().collect();
        steps.sort_unstable();
        steps.get(steps.len().saturating_sub(1) / 2).copied()
    }
}

/// One scenario's decisions, as the plots and reports show them: its name, its calendar
/// (to date the steps), its timeline, and how it treats each decision (a forbidden one is
/// said to be forbidden, not merely never taken).
#[derive(Clone, Copy, Debug)]
pub struct ScenarioDecisions<'a> {
    pub name: &'a str,
    pub calendar: Calendar,
    pub timeline: &'a Timeline,
    pub modes: DecisionModes,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::record;

    /// Four replicates of six steps, by hand: the shares count each replicate once, from the
    /// first time it took the decision.
    fn hand_made() -> Timeline {
        Timeline::of(
            6,
            &[
                vec![
                    record(1, Decision::BanParty),
                    record(3, Decision::BanParty),
                    record(4, Decision::Purge),
                ],
                vec![record(2, Decision::BanParty)],
                vec![],
                // Out of order: the earliest counts.
                vec![record(5, Decision::BanParty), record(1, Decision::BanParty)],
            ],
        )
    }

    #[test]
    fn shares_rise_from_zero_as_replicates_first_take_a_decision() {
        let t = hand_made();
        assert_eq!(t.replicates(), 4);
        assert_eq!(
            t.shares(Decision::BanParty),
            [0.0, 0.5, 0.75, 0.75, 0.75, 0.75]
        );
        assert_eq!(t.shares(Decision::Purge), [0.0, 0.0, 0.0, 0.0, 0.25, 0.25]);
        assert_eq!(t.shares(Decision::Concede), [0.0; 6]);
        assert_eq!(
            t.first_steps(Decision::BanParty),
            [Some(1), Some(2), None, Some(1)]
        );
        assert_eq!(
            (t.taken(Decision::BanParty), t.taken(Decision::Concede)),
            (3, 0)
        );
        assert_eq!(
            t.decisions_taken(),
            [Decision::BanParty, Decision::Purge],
            "in the order of Decision::ALL"
        );
    }

    #[test]
    fn the_median_is_a_step_some_replicate_took_the_decision_at() {
        let t = hand_made();
        // First steps 1, 1, 2: the middle one.
        assert_eq!(t.median_step(Decision::BanParty), Some(1));
        assert_eq!(t.median_step(Decision::Purge), Some(4));
        assert_eq!(t.median_step(Decision::Concede), None);
        // 2 and 5: the lower of the two.
        let even = Timeline::of(
            8,
            &[
                vec![record(5, Decision::Concede)],
                vec![record(2, Decision::Concede)],
            ],
        );
        assert_eq!(even.median_step(Decision::Concede), Some(2));
    }

    #[test]
    fn an_ensemble_without_decisions_has_no_lanes() {
        let t = Timeline::of(3, &[vec![], vec![]]);
        assert!(t.decisions_taken().is_empty());
        assert_eq!(Timeline::new(3).shares(Decision::Purge), [0.0; 3]);
    }
}
