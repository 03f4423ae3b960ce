//! `[rules.repression]`: the parameters of `rules::repression`, each with its meaning,
//! its default and the range a scenario may give it.

use serde::{Deserialize, Serialize};

use super::values::{Principal, Target, Targets};

/// `[rules.repression]`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RepressionParams {
    /// Apply the rule (default: true).
    pub enabled: bool,
    /// Chekists per 1,000 people at home (default: 2.0).
    pub capacity: f64,
    /// Whom the police answer to: `centre` or `soviets` (default: `centre`).
    pub principal: Principal,
    /// Under `principal = "soviets"`, the share of arrests of non-White targets that the
    /// soviets stop, at full soviet power (default: 0.7).
    pub soviet_restraint: f64,
    /// Who is targeted (default: `["whites"]`).
    pub targets: Targets,
    /// Private property position at or above which an active agent counts as White
    /// (default: 0.7).
    pub white_property: f64,
    /// Shortest jail term in weeks (default: 4).
    pub jail_min_weeks: u32,
    /// Longest jail term in weeks; terms are uniform between the two (default: 104).
    pub jail_max_weeks: u32,
    /// Share of arrests that end in execution (default: 0).
    pub execution_share: f64,
    /// Weekly probability of finding a hidden target, per chekist per 1,000 people
    /// (default: 0.005).
    pub detection: f64,
    /// Strength of the duty to denounce: weekly probability that a fully loyal ruling-party
    /// member who knows a hidden target reports it, before solidarity (default: 0.05).
    pub denunciation: f64,
    /// How much shared views stop denunciation: the probability is multiplied by
    /// 1 - solidarity x closeness of the two private opinions (default: 0.8).
    pub solidarity: f64,
    /// Legitimacy lost by a witness of an arrest of someone who thinks exactly as they do;
    /// less the further apart they are (default: 0.05).
    pub witness_legitimacy_loss: f64,
    /// Probability that a candidate chekist who is not a ruling-party member is accepted
    /// (members always are) (default: 0.02).
    pub outsider_recruitment: f64,
    /// Fear gained by a witness of an arrest, as a share of the fear they do not yet have
    /// (default: 0.2).
    pub witness_fear: f64,
    /// Weekly decay of fear (default: 0.05).
    pub fear_decay: f64,
}

impl Default for RepressionParams {
    fn default() -> Self {
        RepressionParams {
            enabled: true,
            capacity: 2.0,
            principal: Principal::Centre,
            soviet_restraint: 0.7,
            targets: Targets::default().with(Target::Whites),
            white_property: 0.7,
            jail_min_weeks: 4,
            jail_max_weeks: 104,
            execution_share: 0.0,
            detection: 0.005,
            denunciation: 0.05,
            solidarity: 0.8,
            witness_legitimacy_loss: 0.05,
            outsider_recruitment: 0.02,
            witness_fear: 0.2,
            fear_decay: 0.05,
        }
    }
}

impl RepressionParams {
    /// The numeric parameters whose range is not the share range [0, 1], each with its
    /// lowest and highest allowed value.
    pub const RANGES: &[(&str, f64, f64)] = &[
        ("capacity", 0.0, 1000.0),
        ("jail_min_weeks", 0.0, 5200.0),
        ("jail_max_weeks", 1.0, 5200.0),
    ];
}
