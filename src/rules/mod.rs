//! The rules of the model, one module each, applied in a fixed order every step from one
//! table, [`PHASES`] (`docs/model.md` is the authority on what each does):
//!
//! 1. [`environment`]: read the series at today's date; (1a) workplace governance, from
//!    [`bureaucracy`]; (1b) output under one-man management; apply the events dated today.
//! 2. [`demography`]: departures under hunger, returns under recovery, mobilisation of the
//!    most militant, deaths at the front and from famine, demobilisation.
//! 3. [`conditions`]: hardship and legitimacy.
//! 4. [`opinion`]: bounded confidence on ties, drift of private opinion, falsification.
//! 5. [`activation`]: Epstein's rule with a Granovetter term; strikes.
//! 6. Party life: [`parties`] (legal status: members of banned parties leave legal life;
//!    platforms), then [`factions`] (formation, seeds, membership, sanctions under a ban,
//!    underground groups), then [`ruling_party`] (recruitment, purges, congresses, the line and
//!    the central committee).
//! 7. [`soviets`]: elections, recall, overrides and dissolutions, meetings and vitality, the
//!    Congress of Soviets and who sets policy.
//! 8. [`bureaucracy`]: posts demanded and self-made, filled by appointment or election,
//!    privilege, recall of elected officials; workplace governance.
//! 9. [`repression`]: the political police.
//! 10. [`regime`]: restoration, and the leadership (scripted or adaptive).
//! 11. Record: [`crate::metrics`].
//!
//! Every rule can be switched off by a scenario (`[rules.<name>] enabled = false`). A rule
//! is a plain function over the world and its parameters; where a rule's decisions depend on
//! other agents' states it computes them all from the state before the pass and applies them
//! after it, so that the outcome does not depend on the order agents are visited in.

pub mod activation;
pub mod bureaucracy;
pub mod conditions;
pub mod demography;
pub mod environment;
pub mod factions;
pub mod leadership;
pub mod opinion;
pub mod parties;
pub mod rates;
pub mod regime;
pub mod repression;
pub mod ruling_party;
pub mod soviets;

// The parameters live in the model, which holds them in the world; the rules read them.
pub use crate::model::params::{Rules, SetError};

use crate::model::World;
use crate::rng::SimRng;

/// The `[rules.<name>]` tables, in the order their rules first act in a step.
pub const RULE_NAMES: [&str; 13] = [
    "environment",
    "leadership",
    "demography",
    "conditions",
    "opinion",
    "activation",
    "parties",
    "factions",
    "ruling_party",
    "soviets",
    "bureaucracy",
    "repression",
    "regime",
];

/// One phase of a step: a rule, or the part of one that must run at another point.
pub struct Phase {
    /// The phase's number in `docs/model.md`'s rule-order table ("6b", "8").
    pub number: &'static str,
    /// What the phase is called in timings and in the docs' table.
    pub name: &'static str,
    /// The `[rules.<name>]` table whose `enabled` switches the phase on.
    pub switched_by: &'static str,
    /// The phase's work.
    pub run: fn(&mut World, &mut SimRng),
    /// What happens instead when the phase is switched off.
    pub when_off: fn(&mut World),
}

impl Phase {
    /// Whether the world's current parameters switch the phase on.
    pub fn enabled(&self, world: &World) -> bool {
        let rules = &world.rules;
        match self.switched_by {
            "environment" => rules.environment.enabled,
            "leadership" => rules.leadership.enabled,
            "demography" => rules.demography.enabled,
            "conditions" => rules.conditions.enabled,
            "opinion" => rules.opinion.enabled,
            "activation" => rules.activation.enabled,
            "parties" => rules.parties.enabled,
            "factions" => rules.factions.enabled,
            "ruling_party" => rules.ruling_party.enabled,
            "soviets" => rules.soviets.enabled,
            "bureaucracy" => rules.bureaucracy.enabled,
            "repression" => rules.repression.enabled,
            "regime" => rules.regime.enabled,
            other => unreachable!("no rule table named {other}"),
        }
    }
}

fn nothing(_: &mut World) {}

/// Every phase of a step, in the order [`step`] runs them. Workplace governance belongs to
/// the bureaucracy but is settled right after the series are read, before today's output and
/// the events, so that both reflect it; it runs with the environment phase, switched by it,
/// and reads the bureaucracy's own switch (off, no workplace is under one-man management).
pub const PHASES: [Phase; 15] = [
    Phase {
        number: "1",
        name: "environment",
        switched_by: "environment",
        run: |world, _| environment::read_series(world),
        when_off: nothing,
    },
    Phase {
        number: "1a",
        name: "workplace governance",
        switched_by: "environment",
        run: |world, _| bureaucracy::govern_workplaces(world),
        when_off: nothing,
    },
    Phase {
        number: "1b",
        name: "output and events",
        switched_by: "environment",
        run: |world, _| environment::apply(world),
        when_off: nothing,
    },
    Phase {
        number: "1c",
        name: "leadership",
        switched_by: "leadership",
        run: leadership::apply,
        // Switched off, the leadership takes no decision of its own, but the scenario's
        // pinned decisions still happen on their dates.
        when_off: leadership::carry_out_pinned,
    },
    Phase {
        number: "2",
        name: "demography",
        switched_by: "demography",
        run: demography::apply,
        when_off: nothing,
    },
    Phase {
        number: "3",
        name: "conditions",
        switched_by: "conditions",
        run: |world, _| conditions::apply(world),
        when_off: nothing,
    },
    Phase {
        number: "4",
        name: "opinion",
        switched_by: "opinion",
        run: opinion::apply,
        when_off: nothing,
    },
    Phase {
        number: "5",
        name: "activation",
        switched_by: "activation",
        run: |world, _| activation::apply(world),
        when_off: nothing,
    },
    Phase {
        number: "6",
        name: "parties",
        switched_by: "parties",
        run: parties::apply,
        when_off: nothing,
    },
    Phase {
        number: "6b",
        name: "factions",
        switched_by: "factions",
        run: factions::apply,
        when_off: nothing,
    },
    Phase {
        number: "6c",
        name: "ruling_party",
        switched_by: "ruling_party",
        run: ruling_party::apply,
        when_off: nothing,
    },
    Phase {
        number: "7",
        name: "soviets",
        switched_by: "soviets",
        run: soviets::apply,
        // Without soviets the Congress has no say; the police's restraint keeps the last
        // strength the soviets had (1, the soviets of late 1917, if they were never run).
        when_off: |world| world.regime.congress_say = 0.0,
    },
    Phase {
        number: "8",
        name: "bureaucracy",
        switched_by: "bureaucracy",
        run: bureaucracy::apply,
        when_off: nothing,
    },
    Phase {
        number: "9",
        name: "repression",
        switched_by: "repression",
        run: repression::apply,
        // With the police switched off, prisoners still come out when their term ends.
        when_off: repression::release,
    },
    Phase {
        number: "10",
        name: "regime",
        switched_by: "regime",
        run: |world, _| regime::apply(world),
        when_off: nothing,
    },
];

/// Advances the world by one step: every phase of [`PHASES`] in order, each run if its rule
/// is on or replaced by what it does when off. The caller records the metrics afterwards and
/// moves `world.step` on.
pub fn step(world: &mut World, rng: &mut SimRng) {
    world.counters = Default::default();
    for phase in &PHASES {
        if phase.enabled(world) {
            (phase.run)(world, rng);
        } else {
            (phase.when_off)(world);
        }
    }
    // Orders a switched-off rule did not carry out lapse with the day.
    world.pending.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_names_are_the_phases_switches_in_order() {
        let mut switches: Vec<&str> = PHASES.iter().map(|p| p.switched_by).collect();
        switches.dedup();
        assert_eq!(switches, RULE_NAMES);
    }

    /// The rule-order table of `docs/model.md` ("One step") lists the same phases, numbers
    /// and rules, in the same order, as [`PHASES`].
    #[test]
    fn the_docs_rule_table_is_the_phase_table() {
        let doc = include_str!("../../docs/model.md");
        let section = doc
            .split("\n## One step\n")
            .nth(1)
            .and_then(|s| s.split("\n## ").next())
            .expect("docs/model.md has a section \"One step\"");
        let rows: Vec<(String, String)> = section
            .lines()
            .filter(|l| l.starts_with('|'))
            .skip(2)
            .map(|l| {
                let cells: Vec<&str> = l.split('|').map(str::trim).collect();
                (cells[1].to_string(), cells[2].replace('`', ""))
            })
            .filter(|(number, _)| !number.starts_with('('))
            .collect();
        let phases: Vec<(String, String)> = PHASES
            .iter()
            .map(|p| (p.number.to_string(), p.switched_by.to_string()))
            .collect();
        assert_eq!(rows[..rows.len() - 1], phases[..]);
        assert_eq!(rows.last().map(|r| r.0.as_str()), Some("11"), "the record");
    }

    #[test]
    fn every_rule_has_parameters_listed() {
        for rule in RULE_NAMES {
            assert!(
                Rules::parameter_names(rule).contains(&"enabled".to_string()),
                "{rule}"
            );
        }
    }
}
