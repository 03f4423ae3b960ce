//! `[rules.parties]`: the parameters of `rules::parties`, each with its meaning,
//! its default and the range a scenario may give it.

use serde::{Deserialize, Serialize};

/// `[rules.parties]`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PartiesParams {
    /// Apply the rule (default: true).
    pub enabled: bool,
    /// Probability that a member of a banned party of average militancy goes underground;
    /// it scales with militancy (2 M times this) (default: 0.3).
    pub underground_share: f64,
    /// Probability that a member of a banned party emigrates, scaled by (0.5 + the member's
    /// private property position) (default: 0.1).
    pub emigration_share: f64,
    /// Probability that a member of a banned party is arrested when the ban finds them
    /// (default: 0.15). Requires the repression rule; without it they renounce instead.
    pub arrest_share: f64,
    /// Weekly probability that an underground member resurfaces once the party is legal or
    /// tolerated again (default: 0.1).
    pub resurface_rate: f64,
    /// Weekly share of the distance to its members' mean private opinion by which a
    /// non-ruling party's platform moves (Laver's Aggregator; default: 0, fixed platforms).
    pub platform_drift: f64,
    /// A coalition partner leaves the government when its present members' mean legitimacy
    /// falls below this (default: 0.6).
    pub break_legitimacy: f64,
}

impl Default for PartiesParams {
    fn default() -> Self {
        PartiesParams {
            enabled: true,
            underground_share: 0.3,
            emigration_share: 0.1,
            arrest_share: 0.15,
            resurface_rate: 0.1,
            platform_drift: 0.0,
            break_legitimacy: 0.6,
        }
    }
}

impl PartiesParams {
    /// The numeric parameters whose range is not the share range [0, 1], each with its
    /// lowest and highest allowed value.
    pub const RANGES: &[(&str, f64, f64)] = &[];
}
