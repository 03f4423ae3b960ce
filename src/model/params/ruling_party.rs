//! `[rules.ruling_party]`: the parameters of `rules::ruling_party`, each with its meaning,
//! its default and the range a scenario may give it.

use serde::{Deserialize, Serialize};

/// Who may join the ruling party.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recruitment {
    /// Workers only.
    WorkersOnly,
    /// Anyone who agrees with the line.
    #[default]
    Open,
    /// Office requires a card: office holders join, and agreement matters half as much.
    Careerist,
}

/// How congress delegates are chosen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CongressMode {
    /// Elected by the members, lists in proportion to their votes.
    #[default]
    Elected,
    /// Picked by the apparatus: office holders and the loyal.
    Appointed,
}

/// `[rules.ruling_party]`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RulingPartyParams {
    /// Apply the rule (default: true).
    pub enabled: bool,
    /// `workers_only`, `open` or `careerist` (default: open).
    pub recruitment: Recruitment,
    /// Weekly chance that an eligible agent of average militancy who agrees with the line
    /// joins; it scales with militancy (2 M times this) (default: 0.0003).
    pub recruitment_rate: f64,
    /// An agent agrees with the line when their expressed opinion lies within this distance
    /// of it (default: 0.25; doubled under careerist recruitment).
    pub recruitment_distance: f64,
    /// Weeks between congresses (default: 52).
    pub congress_interval_weeks: f64,
    /// `elected` or `appointed` delegates (default: elected).
    pub congress: CongressMode,
    /// Delegates at a congress (default: 60).
    pub delegates: u32,
    /// Share of the distance to the delegates' weighted position that the line moves at a
    /// congress (default: 0.2).
    pub line_update: f64,
    /// Weight of an office holder's voice in the line update (default: 2).
    pub official_weight: f64,
    /// Weight of a central committee member's voice (default: 3).
    pub leader_weight: f64,
    /// How much the apparatus favours its own in local delegate elections: an office holder
    /// is (1 + this) times as likely to be sent as a rank-and-file member of the same list
    /// (default: 2).
    pub apparatus_influence: f64,
    /// Members of the central committee (default: 9).
    pub central_committee: u32,
    /// A member is a critic when their expressed opinion lies further than this from the line
    /// (default: 0.2).
    pub critic_distance: f64,
    /// A member whose loyalty is below this is passive, and a target of every general purge
    /// (default: 0.5).
    pub passive_loyalty: f64,
}

impl Default for RulingPartyParams {
    fn default() -> Self {
        RulingPartyParams {
            enabled: true,
            recruitment: Recruitment::Open,
            recruitment_rate: 0.0003,
            recruitment_distance: 0.25,
            congress_interval_weeks: 52.0,
            congress: CongressMode::Elected,
            delegates: 60,
            line_update: 0.2,
            official_weight: 2.0,
            leader_weight: 3.0,
            apparatus_influence: 2.0,
            central_committee: 9,
            critic_distance: 0.2,
            passive_loyalty: 0.5,
        }
    }
}

impl RulingPartyParams {
    /// The numeric parameters whose range is not the share range [0, 1], each with its
    /// lowest and highest allowed value.
    pub const RANGES: &[(&str, f64, f64)] = &[
        ("congress_interval_weeks", 1.0, 5200.0),
        ("delegates", 1.0, 100000.0),
        ("official_weight", 0.0, 100.0),
        ("leader_weight", 0.0, 100.0),
        ("apparatus_influence", 0.0, 100.0),
        ("central_committee", 0.0, 10000.0),
    ];
}
