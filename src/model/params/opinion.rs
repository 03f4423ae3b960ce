//! `[rules.opinion]`: the parameters of `rules::opinion`, each with its meaning,
//! its default and the range a scenario may give it.

use serde::{Deserialize, Serialize};

/// `[rules.opinion]`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OpinionParams {
    /// Apply the rule (default: true).
    pub enabled: bool,
    /// Confidence bound d: the largest distance (on the [0, 1] scale) at which an opinion
    /// still persuades (default: 0.2).
    pub confidence: f64,
    /// Convergence mu: share of the distance moved at each persuasion (default: 0.3).
    pub convergence: f64,
    /// Conversations per agent per week (default: 1.0).
    pub conversations: f64,
    /// Weekly drift away from the line under full hardship and no legitimacy (default: 0.01).
    pub hardship_drift: f64,
    /// Weekly drift toward authority under full privilege (default: 0.02).
    pub privilege_drift: f64,
    /// Weekly pull of private opinion back toward the agent's class position (the class's
    /// starting mean): material interests keep reasserting themselves against persuasion
    /// (default: 0.01).
    pub class_anchor: f64,
    /// How much fear makes an agent echo the line in public, in [0, 1] (default: 0.8).
    pub fear_weight: f64,
    /// How much loyalty makes a party member echo the line in public, in [0, 1]
    /// (default: 0.5).
    pub loyalty_weight: f64,
}

impl Default for OpinionParams {
    fn default() -> Self {
        OpinionParams {
            enabled: true,
            confidence: 0.2,
            convergence: 0.3,
            conversations: 1.0,
            hardship_drift: 0.01,
            privilege_drift: 0.02,
            class_anchor: 0.01,
            fear_weight: 0.8,
            loyalty_weight: 0.5,
        }
    }
}

impl OpinionParams {
    /// The numeric parameters whose range is not the share range [0, 1], each with its
    /// lowest and highest allowed value.
    pub const RANGES: &[(&str, f64, f64)] = &[("conversations", 0.0, 50.0)];
}
