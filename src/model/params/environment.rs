//! `[rules.environment]`: the parameters of `rules::environment`, each with its meaning,
//! its default and the range a scenario may give it.

use serde::{Deserialize, Serialize};

/// `[rules.environment]`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EnvironmentParams {
    /// Apply the series and the events (default: true).
    pub enabled: bool,
}

impl Default for EnvironmentParams {
    fn default() -> Self {
        EnvironmentParams { enabled: true }
    }
}

impl EnvironmentParams {
    /// The numeric parameters whose range is not the share range [0, 1], each with its
    /// lowest and highest allowed value.
    pub const RANGES: &[(&str, f64, f64)] = &[];
}
