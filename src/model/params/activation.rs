//! `[rules.activation]`: the parameters of `rules::activation`, each with its meaning,
//! its default and the range a scenario may give it.

use serde::{Deserialize, Serialize};

use super::values::Rounding;

/// `[rules.activation]`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ActivationParams {
    /// Apply the rule (default: true).
    pub enabled: bool,
    /// Threshold T: net grievance above which an agent goes active (default: 0.1).
    pub threshold: f64,
    /// Arrest constant k in P = 1 - exp(-k round(C / A)) (default: 2.3, Epstein's value,
    /// which makes P = 0.9 when C = A).
    pub arrest_constant: f64,
    /// Rounding of C / A: `none`, `floor` or `round_half_even` (default: `round_half_even`).
    pub rounding: Rounding,
    /// Granovetter weight g: the threshold becomes T (1 - g s) where s is the share of the
    /// agent's present neighbours who were active (default: 0, the pure Epstein rule).
    pub granovetter: f64,
    /// Weight of a ruling-party member in view as a would-be informer: C counts the chekists
    /// in view plus this weight times the loyalty of each visible ruling-party member in view,
    /// since the police saw through the party cells (the factory cells the Miasnikov essay
    /// says workers called "Communist sleuths"). Default 0, the pure Epstein rule.
    pub informer_weight: f64,
    /// Share of a workplace's visible workforce (quiet or active) that must be active for a strike
    /// (default: 0.25).
    pub strike_threshold: f64,
}

impl Default for ActivationParams {
    fn default() -> Self {
        ActivationParams {
            enabled: true,
            threshold: 0.1,
            arrest_constant: 2.3,
            rounding: Rounding::RoundHalfEven,
            granovetter: 0.0,
            informer_weight: 0.0,
            strike_threshold: 0.25,
        }
    }
}

impl ActivationParams {
    /// The numeric parameters whose range is not the share range [0, 1], each with its
    /// lowest and highest allowed value.
    pub const RANGES: &[(&str, f64, f64)] = &[("arrest_constant", 0.0, 100.0)];
}
