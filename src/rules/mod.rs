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
pub mod params;
pub mod parties;
pub mod regime;
pub mod repression;
pub mod ruling_party;
pub mod soviets;

use serde::{Deserialize, Serialize};

use crate::model::World;
use crate::rng::SimRng;

/// The parameters of every rule, `[rules.<name>]` in a scenario.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Rules {
    pub environment: environment::EnvironmentParams,
    pub demography: demography::DemographyParams,
    pub conditions: conditions::ConditionsParams,
    pub opinion: opinion::OpinionParams,
    pub activation: activation::ActivationParams,
    pub parties: parties::PartiesParams,
    pub factions: factions::FactionsParams,
    pub ruling_party: ruling_party::RulingPartyParams,
    pub soviets: soviets::SovietsParams,
    pub bureaucracy: bureaucracy::BureaucracyParams,
    pub repression: repression::RepressionParams,
    pub regime: regime::RegimeParams,
}

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

/// Why a `set` event's path or value does not fit the rules.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SetError {
    #[error("a parameter path has the form rules.<rule>.<parameter>, found {0:?}")]
    Shape(String),
    #[error("there is no rule named {0:?}")]
    UnknownRule(String),
    #[error("rule {rule:?} has no parameter {parameter:?}")]
    UnknownParameter { rule: String, parameter: String },
    #[error("{0}")]
    Value(String),
}

impl Rules {
    /// These rules with one parameter, named `rules.<rule>.<parameter>`, set to `value`.
    pub fn with_set(&self, path: &str, value: &toml::Value) -> Result<Rules, SetError> {
        let parts: Vec<&str> = path.split('.').collect();
        let [root, rule, parameter] = parts.as_slice() else {
            return Err(SetError::Shape(path.to_string()));
        };
        if *root != "rules" {
            return Err(SetError::Shape(path.to_string()));
        }
        let mut table = toml::Table::try_from(self).map_err(|e| SetError::Value(e.to_string()))?;
        let Some(toml::Value::Table(rule_table)) = table.get_mut(*rule) else {
            return Err(SetError::UnknownRule(rule.to_string()));
        };
        let Some(slot) = rule_table.get_mut(*parameter) else {
            return Err(SetError::UnknownParameter {
                rule: rule.to_string(),
                parameter: parameter.to_string(),
            });
        };
        *slot = value.clone();
        toml::Value::Table(table)
            .try_into::<Rules>()
            .map_err(|e| SetError::Value(e.message().to_string()))
    }

    /// The names of a rule's parameters, for "did you mean" suggestions.
    pub fn parameter_names(rule: &str) -> Vec<String> {
        let table = toml::Table::try_from(Rules::default()).unwrap_or_default();
        match table.get(rule) {
            Some(toml::Value::Table(t)) => t.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }
}

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
    fn set_changes_one_parameter_and_nothing_else() {
        let rules = Rules::default();
        let changed = rules
            .with_set("rules.repression.capacity", &toml::Value::Float(7.5))
            .unwrap();
        assert_eq!(changed.repression.capacity, 7.5);
        let mut back = changed.clone();
        back.repression.capacity = rules.repression.capacity;
        assert_eq!(back, rules);
    }

    #[test]
    fn set_rejects_unknown_paths_and_bad_values() {
        let rules = Rules::default();
        let v = toml::Value::Float(1.0);
        assert!(matches!(
            rules.with_set("rules.repression", &v),
            Err(SetError::Shape(_))
        ));
        assert!(matches!(
            rules.with_set("rules.repressio.capacity", &v),
            Err(SetError::UnknownRule(_))
        ));
        assert!(matches!(
            rules.with_set("rules.repression.capacty", &v),
            Err(SetError::UnknownParameter { .. })
        ));
        let s = toml::Value::String("lots".into());
        assert!(matches!(
            rules.with_set("rules.repression.capacity", &s),
            Err(SetError::Value(_))
        ));
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
