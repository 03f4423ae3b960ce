//! The rules of the model, one module each, applied in a fixed order every step
//! (MODEL.md section 5; `docs/model.md` is the authority on what each does):
//!
//! 1. [`environment`]: read the series at today's date; apply the events dated today.
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

/// The rule names, in the order they are applied.
pub const RULE_NAMES: [&str; 12] = [
    "environment",
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

/// Advances the world by one step: every enabled rule in order. The caller records the
/// metrics afterwards and moves `world.step` on.
pub fn step(world: &mut World, rng: &mut SimRng) {
    world.counters = Default::default();
    if world.rules.environment.enabled {
        environment::apply(world);
    }
    if world.rules.demography.enabled {
        demography::apply(world, rng);
    }
    if world.rules.conditions.enabled {
        conditions::apply(world);
    }
    if world.rules.opinion.enabled {
        opinion::apply(world, rng);
    }
    if world.rules.activation.enabled {
        activation::apply(world);
    }
    if world.rules.parties.enabled {
        parties::apply(world, rng);
    }
    if world.rules.factions.enabled {
        factions::apply(world, rng);
    }
    if world.rules.ruling_party.enabled {
        ruling_party::apply(world, rng);
    }
    if world.rules.soviets.enabled {
        soviets::apply(world, rng);
    } else {
        // Without soviets the Congress has no say; the police's restraint keeps the last
        // strength the soviets had (1, the soviets of late 1917, if they were never run).
        world.regime.congress_say = 0.0;
    }
    if world.rules.bureaucracy.enabled {
        bureaucracy::apply(world, rng);
    }
    if world.rules.repression.enabled {
        repression::apply(world, rng);
    } else {
        // With the police switched off, prisoners still come out when their term ends.
        repression::release(world);
    }
    if world.rules.regime.enabled {
        regime::apply(world);
    }
    // Orders a switched-off rule did not carry out lapse with the day.
    world.pending.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

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
