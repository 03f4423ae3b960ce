//! `[rules.factions]`: the parameters of `rules::factions`, each with its meaning,
//! its default and the range a scenario may give it.

use serde::{Deserialize, Serialize};

/// `[rules.factions]`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FactionsParams {
    /// Apply the rule (default: true).
    pub enabled: bool,
    /// Factions are banned (default: false).
    pub banned: bool,
    /// Weeks between checks for a new faction among the dissenters (default: 13).
    pub formation_interval_weeks: f64,
    /// A member dissents when their expressed opinion lies further than this from the line
    /// (default: 0.25).
    pub formation_distance: f64,
    /// Share of the members who must dissent for a faction to form (default: 0.05).
    pub formation_share: f64,
    /// A faction with fewer present members than this dissolves (default: 3).
    pub min_members: u32,
    /// A faction whose platform comes within this distance of the line is absorbed: it
    /// dissolves (default: 0.08).
    pub absorption_distance: f64,
    /// A member may join a faction whose platform lies within this distance of their
    /// expressed opinion, and nearer than the line (default: 0.15).
    pub join_distance: f64,
    /// Weekly chance that such a member of average militancy joins; it scales with
    /// militancy (2 M times this) and, under a ban, with courage (1 - fear) (default: 0.005).
    pub join_rate: f64,
    /// A member leaves a faction whose platform has moved further than this from their
    /// expressed opinion (default: 0.3).
    pub leave_distance: f64,
    /// Weekly share of the distance to its members' mean private opinion that a faction's
    /// platform moves (default: 0.01).
    pub platform_drift: f64,
    /// Weekly chance that a visible faction member is sanctioned under a ban (default: 0.1).
    pub enforcement: f64,
    /// Faction activity is visible when the member's expressed opinion lies further than this
    /// from the line (default: 0.15).
    pub visibility: f64,
    /// Relative weights of the sanctions (defaults: 0.5, 0.2, 0.25, 0.05).
    pub reprimand: f64,
    pub transfer: f64,
    pub expulsion: f64,
    pub arrest: f64,
    /// Fear a reprimand adds (default: 0.2).
    pub reprimand_fear: f64,
    /// Loyalty a reprimand takes away (default: 0.1).
    pub reprimand_loyalty: f64,
    /// Weekly chance that a faction member of average militancy goes underground under a ban
    /// (2 M times this) (default: 0.003).
    pub underground_rate: f64,
    /// Weekly chance that an underground group member recruits a like-minded worker among
    /// their ties (default: 0.005).
    pub underground_recruitment: f64,
    /// How many active neighbours an underground group member counts as in a worker's
    /// decision to come out (default: 1).
    pub agitation: f64,
}

impl Default for FactionsParams {
    fn default() -> Self {
        FactionsParams {
            enabled: true,
            banned: false,
            formation_interval_weeks: 13.0,
            formation_distance: 0.25,
            formation_share: 0.05,
            min_members: 3,
            absorption_distance: 0.08,
            join_distance: 0.15,
            join_rate: 0.005,
            leave_distance: 0.3,
            platform_drift: 0.01,
            enforcement: 0.1,
            visibility: 0.15,
            reprimand: 0.5,
            transfer: 0.2,
            expulsion: 0.25,
            arrest: 0.05,
            reprimand_fear: 0.2,
            reprimand_loyalty: 0.1,
            underground_rate: 0.003,
            underground_recruitment: 0.005,
            agitation: 1.0,
        }
    }
}

impl FactionsParams {
    /// The numeric parameters whose range is not the share range [0, 1], each with its
    /// lowest and highest allowed value.
    pub const RANGES: &[(&str, f64, f64)] = &[
        ("formation_interval_weeks", 1.0, 5200.0),
        ("min_members", 1.0, 100000.0),
        ("agitation", 0.0, 100.0),
    ];
}
