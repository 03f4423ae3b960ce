//! `[rules.demography]`: the parameters of `rules::demography`, each with its meaning,
//! its default and the range a scenario may give it.

use serde::{Deserialize, Serialize};

/// `[rules.demography]`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DemographyParams {
    /// Apply the rule (default: true).
    pub enabled: bool,
    /// Food supply (share of normal) below which the towns go hungry (default: 0.6).
    pub hunger_threshold: f64,
    /// Industrial output (share of pre-war) below which factories stand idle (default: 0.4).
    pub idle_threshold: f64,
    /// Weekly probability that an urban agent leaves for the countryside under full hunger or
    /// idleness (default: 0.01 per week).
    pub departure_rate: f64,
    /// Weekly probability that a departed agent returns under full recovery (default: 0.01).
    pub return_rate: f64,
    /// Weekly probability of dying of cold, hunger and disease under full hunger, for agents
    /// at home or departed (default: 0.0005 per week).
    pub famine_mortality: f64,
    /// Weekly probability of mobilisation at full civil war, for an agent of average
    /// militancy (default: 0.004 per week).
    pub mobilisation_rate: f64,
    /// Extra weight of ruling-party membership in mobilisation: the party sends its own
    /// first (default: 1.0, i.e. members are twice as likely to go).
    pub member_mobilisation: f64,
    /// Weekly probability of dying at the front at full civil war (default: 0.004 per week).
    pub front_mortality: f64,
    /// Weekly probability of demobilisation once the war is over, scaled by (1 - civil_war)
    /// (default: 0.03 per week).
    pub demobilisation_rate: f64,
    /// Shift toward authority of a demobilised soldier's private opinion (default: 0.1).
    pub army_habits: f64,
}

impl Default for DemographyParams {
    fn default() -> Self {
        DemographyParams {
            enabled: true,
            hunger_threshold: 0.6,
            idle_threshold: 0.4,
            departure_rate: 0.01,
            return_rate: 0.01,
            famine_mortality: 0.0005,
            mobilisation_rate: 0.004,
            member_mobilisation: 1.0,
            front_mortality: 0.004,
            demobilisation_rate: 0.03,
            army_habits: 0.1,
        }
    }
}

impl DemographyParams {
    /// The numeric parameters whose range is not the share range [0, 1], each with its
    /// lowest and highest allowed value.
    pub const RANGES: &[(&str, f64, f64)] = &[];
}
