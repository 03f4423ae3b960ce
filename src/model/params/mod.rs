//! The parameters of every rule, `[rules.<name>]` in a scenario: one file per rule, each
//! parameter with its doc comment, its default and its allowed range. They live in the model
//! because the world holds them and dated `set` events change them; the rules in
//! [`crate::rules`] read them.

pub mod activation;
pub mod bureaucracy;
pub mod conditions;
pub mod demography;
pub mod environment;
pub mod factions;
pub mod leadership;
pub mod opinion;
pub mod parties;
pub mod regime;
pub mod repression;
pub mod ruling_party;
pub mod soviets;
pub mod values;

use serde::{Deserialize, Serialize};

pub use activation::ActivationParams;
pub use bureaucracy::{BureaucracyParams, Unions};
pub use conditions::ConditionsParams;
pub use demography::DemographyParams;
pub use environment::EnvironmentParams;
pub use factions::FactionsParams;
pub use leadership::LeadershipParams;
pub use opinion::OpinionParams;
pub use parties::PartiesParams;
pub use regime::RegimeParams;
pub use repression::RepressionParams;
pub use ruling_party::{CongressMode, Recruitment, RulingPartyParams};
pub use soviets::{Elections, Sovereignty, SovietsParams};
pub use values::{Leadership, Principal, Rounding, Target, Targets};

/// The parameters of every rule, `[rules.<name>]` in a scenario.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Rules {
    pub environment: EnvironmentParams,
    pub leadership: LeadershipParams,
    pub demography: DemographyParams,
    pub conditions: ConditionsParams,
    pub opinion: OpinionParams,
    pub activation: ActivationParams,
    pub parties: PartiesParams,
    pub factions: FactionsParams,
    pub ruling_party: RulingPartyParams,
    pub soviets: SovietsParams,
    pub bureaucracy: BureaucracyParams,
    pub repression: RepressionParams,
    pub regime: RegimeParams,
}

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

    /// Every number-valued parameter as `(rule, parameter, value)`, in the order of the
    /// `[rules]` tables: what range checks walk.
    pub fn numbers(&self) -> Vec<(String, String, f64)> {
        let Ok(table) = toml::Table::try_from(self) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (rule, params) in table {
            let toml::Value::Table(params) = params else {
                continue;
            };
            for (name, value) in params {
                let number = match value {
                    toml::Value::Float(x) => x,
                    toml::Value::Integer(x) => x as f64,
                    _ => continue,
                };
                out.push((rule.clone(), name, number));
            }
        }
        out
    }

    /// The range a number-valued parameter must lie in: the one its rule's parameters list,
    /// or [0, 1] (a share or a probability) when they list none.
    pub fn range(rule: &str, parameter: &str) -> (f64, f64) {
        let listed: &[(&str, f64, f64)] = match rule {
            "environment" => EnvironmentParams::RANGES,
            "leadership" => LeadershipParams::RANGES,
            "demography" => DemographyParams::RANGES,
            "conditions" => ConditionsParams::RANGES,
            "opinion" => OpinionParams::RANGES,
            "activation" => ActivationParams::RANGES,
            "parties" => PartiesParams::RANGES,
            "factions" => FactionsParams::RANGES,
            "ruling_party" => RulingPartyParams::RANGES,
            "soviets" => SovietsParams::RANGES,
            "bureaucracy" => BureaucracyParams::RANGES,
            "repression" => RepressionParams::RANGES,
            "regime" => RegimeParams::RANGES,
            _ => &[],
        };
        listed
            .iter()
            .find(|(name, _, _)| *name == parameter)
            .map_or((0.0, 1.0), |&(_, lo, hi)| (lo, hi))
    }
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
    fn every_listed_range_names_a_numeric_parameter_and_holds_its_default() {
        let mut listed = 0;
        let numbers = Rules::default().numbers();
        assert!(numbers.len() > 100, "{} numbers", numbers.len());
        for (rule, name, number) in numbers {
            let (lo, hi) = Rules::range(&rule, &name);
            assert!(lo <= number && number <= hi, "rules.{rule}.{name}");
            listed += usize::from((lo, hi) != (0.0, 1.0));
        }
        // Every entry of every RANGES list is a real numeric parameter.
        assert_eq!(listed, 54);
        assert_eq!(Rules::range("repression", "capacity"), (0.0, 1000.0));
        assert_eq!(Rules::range("repression", "no_such"), (0.0, 1.0));
    }
}
