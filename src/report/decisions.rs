//! The decision timeline in words, one sentence per decision, for the reports: how many
//! replicates took it, the median date they first took it, and when the Bolshevik
//! leadership took it. For a run, "appoint_congress: taken in 14 of 16 replicates, median
//! date 1922-07 (historically 1922-04)"; for a comparison, each other scenario against the
//! first: "appoint_congress: in factions_allowed, taken in 11 of 16 replicates, median date
//! 1925-03, against 14 of 16, median date 1922-07, in historical (historically 1922-04)". A decision no replicate took is said to be never taken, or forbidden where the
//! scenario forbids it, so that the reader sees every decision, not only those on the plot.

use crate::model::{Decision, DecisionMode};
use crate::output::ScenarioDecisions;

/// `1918-03 and 1920-03`: the months the Bolshevik leadership took `decision`.
fn historically(decision: Decision) -> String {
    let dates = decision.historical_dates();
    match dates {
        [] => "not taken historically".to_string(),
        [one] => format!("historically {one}"),
        [init @ .., last] => format!("historically {} and {last}", init.join(", ")),
    }
}

/// What one scenario did with `decision`: `taken in 14 of 16 replicates, median date
/// 1922-07`, `never taken` or `never taken: forbidden in this scenario`.
fn outcome(line: &ScenarioDecisions, decision: Decision) -> String {
    let t = line.timeline;
    match t.median_step(decision) {
        Some(step) => format!(
            "taken in {} of {} replicates, median date {}",
            t.taken(decision),
            t.replicates(),
            line.calendar.date(step).month()
        ),
        None if line.modes.get(decision) == DecisionMode::Forbidden => {
            "never taken: forbidden in this scenario".to_string()
        }
        None => "never taken".to_string(),
    }
}

/// [`outcome`] as the scenario compared with: `14 of 16, median date 1922-07` or `0 of 16`.
fn briefly(line: &ScenarioDecisions, decision: Decision) -> String {
    let t = line.timeline;
    match t.median_step(decision) {
        Some(step) => format!(
            "{} of {}, median date {}",
            t.taken(decision),
            t.replicates(),
            line.calendar.date(step).month()
        ),
        None if line.modes.get(decision) == DecisionMode::Forbidden => {
            format!("0 of {} (forbidden there)", t.replicates())
        }
        None => format!("0 of {}", t.replicates()),
    }
}

/// One sentence per decision, in [`Decision::ALL`] order: for one scenario what it did;
/// for several, each other scenario against the first.
pub fn sentences(lines: &[ScenarioDecisions]) -> Vec<String> {
    let Some((base, others)) = lines.split_first() else {
        return Vec::new();
    };
    Decision::ALL
        .into_iter()
        .map(|d| {
            let name = d.name();
            let history = historically(d);
            if others.is_empty() {
                return format!("{name}: {} ({history}).", outcome(base, d));
            }
            if lines.iter().all(|l| l.timeline.taken(d) == 0) {
                let scope = if others.len() == 1 {
                    "either scenario"
                } else {
                    "any scenario"
                };
                return format!("{name}: never taken in {scope} ({history}).");
            }
            let against: Vec<String> = others
                .iter()
                .map(|o| format!("in {}, {}", o.name, outcome(o, d)))
                .collect();
            format!(
                "{name}: {}, against {}, in {} ({history}).",
                against.join("; "),
                briefly(base, d),
                base.name
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DecisionModes;
    use crate::output::Timeline;
    use crate::testing::record;

    /// Hand-made replicates on the test scenario's weekly calendar from 1917-11-01.
    #[test]
    fn each_decision_is_worded_with_its_count_median_and_history() {
        let scenario =
            crate::scenario::Scenario::parse(crate::testing::TEST_SCENARIO, "t.toml").unwrap();
        let calendar = scenario.calendar;
        let base = Timeline::of(
            scenario.steps(),
            &[
                vec![record(10, Decision::AppointCongress)],
                vec![record(30, Decision::AppointCongress)],
                vec![record(20, Decision::AppointCongress)],
                vec![],
            ],
        );
        let other = Timeline::of(
            scenario.steps(),
            &[
                vec![],
                vec![record(40, Decision::AppointCongress)],
                vec![],
                vec![],
            ],
        );
        let mut forbidding = DecisionModes::default();
        forbidding.set(Decision::BanFactions, DecisionMode::Forbidden);
        let line = |name, timeline, modes| ScenarioDecisions {
            name,
            calendar,
            timeline,
            modes,
        };
        let one = sentences(&[line("base", &base, forbidding)]);
        assert_eq!(one.len(), Decision::COUNT);
        let median = calendar.date(20).month();
        assert_eq!(
            one[Decision::AppointCongress.index()],
            format!(
                "appoint_congress: taken in 3 of 4 replicates, median date {median} (historically 1922-04)."
            )
        );
        assert_eq!(
            one[Decision::BanFactions.index()],
            "ban_factions: never taken: forbidden in this scenario (historically 1921-03)."
        );
        assert_eq!(
            one[Decision::AppointOfficials.index()],
            "appoint_officials: never taken (historically 1918-03 and 1920-03)."
        );
        assert_eq!(
            one[Decision::SuspendElections.index()],
            "suspend_elections: never taken (not taken historically)."
        );
        let two = sentences(&[
            line("base", &base, DecisionModes::default()),
            line("other", &other, DecisionModes::default()),
        ]);
        assert_eq!(
            two[Decision::AppointCongress.index()],
            format!(
                "appoint_congress: in other, taken in 1 of 4 replicates, median date {}, against 3 of 4, median date {median}, in base (historically 1922-04).",
                calendar.date(40).month()
            )
        );
        assert_eq!(
            two[Decision::BanParty.index()],
            "ban_party: never taken in either scenario (historically 1917-12, 1918-06, 1918-07, 1921-04 and 1923-08)."
        );
    }
}
