//! `[rules.regime]`: the parameters of `rules::regime`, each with its meaning,
//! its default and the range a scenario may give it.

use serde::{Deserialize, Serialize};

use super::values::Leadership;

/// `[rules.regime]`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RegimeParams {
    /// Apply the rule (default: true).
    pub enabled: bool,
    /// `scripted` or `adaptive` (default: `scripted`).
    pub leadership: Leadership,
    /// The regime falls when white_threat x (share of the present population that is active
    /// and privately at or above `restoration_property`) reaches this (default: 0.04).
    pub restoration_threshold: f64,
    /// Property position from which an active agent counts toward restoration: nearer the
    /// Whites than the peasant who only wants his land (default: 0.7).
    pub restoration_property: f64,
    /// How far a full concession moves the line toward the market on the property axis
    /// (default: 0.3).
    pub concession_property_shift: f64,
    /// Weight of the right's foothold in sovereign soviets: the share of soviet seats held by
    /// parties whose platform lies at or above `restoration_property`, times the Congress's
    /// say in policy, counts this much toward the opposition (default: 0.2). The leadership's
    /// fear that free soviets hand the counter-revolution a legal platform.
    pub soviet_foothold: f64,
    /// Adaptive: unrest (share active) that the leadership treats as high (default: 0.05).
    pub unrest_high: f64,
    /// Adaptive: White threat treated as high (default: 0.5).
    pub threat_high: f64,
    /// Adaptive: White threat treated as low (default: 0.2).
    pub threat_low: f64,
    /// Adaptive: weekly increase of the police boost under threat (default: 0.1).
    pub boost_step: f64,
    /// Adaptive: the largest police boost, as a multiple of the base capacity added on top
    /// (default: 2.0).
    pub boost_max: f64,
    /// Adaptive: weekly increase of concessions when unrest is high and the threat low
    /// (default: 0.02).
    pub concession_step: f64,
    /// Adaptive: weekly relaxation of the police boost when unrest is low (default: 0.02).
    pub relax_step: f64,
}

impl Default for RegimeParams {
    fn default() -> Self {
        RegimeParams {
            enabled: true,
            leadership: Leadership::Scripted,
            restoration_threshold: 0.04,
            restoration_property: 0.7,
            concession_property_shift: 0.3,
            soviet_foothold: 0.2,
            unrest_high: 0.05,
            threat_high: 0.5,
            threat_low: 0.2,
            boost_step: 0.1,
            boost_max: 2.0,
            concession_step: 0.02,
            relax_step: 0.02,
        }
    }
}

impl RegimeParams {
    /// The numeric parameters whose range is not the share range [0, 1], each with its
    /// lowest and highest allowed value.
    pub const RANGES: &[(&str, f64, f64)] = &[("boost_max", 0.0, 100.0)];
}
