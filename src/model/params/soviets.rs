//! `[rules.soviets]`: the parameters of `rules::soviets`, each with its meaning,
//! its default and the range a scenario may give it.

use serde::{Deserialize, Serialize};

/// How soviet seats are filled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Elections {
    /// Every legal or tolerated party with candidates in the locality stands.
    #[default]
    Free,
    /// Only the ruling party's list stands.
    SingleList,
    /// No elections: seats stay with their holders, vacancies are filled by co-option.
    Suspended,
    /// Seats are filled by appointment from above at every term.
    Appointed,
}

/// Who sets policy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sovereignty {
    /// The Congress of Soviets: policy moves toward the delegates' position in proportion to
    /// the soviets' power.
    #[default]
    Soviets,
    /// The party: policy is the party line.
    Party,
}

/// `[rules.soviets]`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SovietsParams {
    /// Apply the rule (default: true).
    pub enabled: bool,
    /// Seats in each local soviet, fixed when the world is built (default: 9).
    pub seats: u32,
    /// How seats are filled: `free`, `single_list`, `suspended` or `appointed` (default: free).
    pub elections: Elections,
    /// Who sets policy: `soviets` or `party` (default: soviets).
    pub sovereignty: Sovereignty,
    /// Weeks between a soviet's general elections (default: 26).
    pub election_interval_weeks: f64,
    /// Turnout of a voter of average militancy when there is a choice; it scales with
    /// militancy (2 M times this) (default: 0.8).
    pub turnout: f64,
    /// Share of would-be voters who stay away when only one list stands (default: 0.5).
    pub no_choice_abstention: f64,
    /// Constituents may recall elected delegates (default: true).
    pub recall: bool,
    /// Weekly chance that an elected delegate faces a recall meeting (default: 0.05).
    pub recall_meetings: f64,
    /// Constituents sampled at a recall meeting (default: 25).
    pub recall_sample: u32,
    /// A constituent is dissatisfied with a delegate whose expressed opinion lies further
    /// than this from their own (default: 0.3).
    pub recall_distance: f64,
    /// Share of dissatisfied constituents at a meeting that unseats the delegate
    /// (default: 0.5).
    pub recall_quorum: f64,
    /// Chance that an election result the leadership rejects is overridden by an appointed
    /// list (default: 0).
    pub override_chance: f64,
    /// The leadership rejects a soviet where fewer than this share of the filled seats are
    /// held by loyal members of the ruling party (default: 0.5).
    pub override_majority: f64,
    /// A ruling-party delegate counts as loyal when no faction holds him and his expressed
    /// opinion lies within this distance of the line (default: 0.2).
    pub loyal_distance: f64,
    /// Scale of meeting attendance: a resident of average militancy attends a plenum with
    /// full say and no hardship with this probability (default: 0.6).
    pub attendance: f64,
    /// How much hardship keeps people from meetings: the struggle to eat leaves no time
    /// (default: 0.5).
    pub hunger_apathy: f64,
    /// How much isolation keeps people from meetings: with no hope of revolution abroad,
    /// attendance falls by this share at the middle strength of the circumstances
    /// (default: 0.2).
    pub isolation_apathy: f64,
    /// Expected attendance share at which a soviet's vitality can be full (default: 0.3).
    pub full_attendance: f64,
    /// Share of the gap to its target that vitality closes per week (default: 0.05).
    pub vitality_rate: f64,
    /// How much the executive deciding instead of the plenum thins meetings (default: 0.7).
    pub executive_drain: f64,
    /// Share of the gap to its target that the plenum's share of decisions closes per week
    /// (default: 0.03).
    pub plenum_rate: f64,
    /// Plenum share lost to the executives in a full civil war (default: 0.4).
    pub war_centralisation: f64,
    /// Plenum share lost under party dictatorship (default: 0.3).
    pub dictatorship_centralisation: f64,
    /// Plenum share lost when no seat was won in a contest: with one list or appointed
    /// delegates the plenum ratifies what was decided beforehand (default: 0.4).
    pub uncontested_centralisation: f64,
    /// Weekly chance that a workplace run by its factory committee holds a general meeting
    /// (default: 0.5). Workplaces under one-man management hold none.
    pub factory_meetings: f64,
}

impl Default for SovietsParams {
    fn default() -> Self {
        SovietsParams {
            enabled: true,
            seats: 9,
            elections: Elections::Free,
            sovereignty: Sovereignty::Soviets,
            election_interval_weeks: 26.0,
            turnout: 0.8,
            no_choice_abstention: 0.5,
            recall: true,
            recall_meetings: 0.05,
            recall_sample: 25,
            recall_distance: 0.3,
            recall_quorum: 0.5,
            override_chance: 0.0,
            override_majority: 0.5,
            loyal_distance: 0.2,
            attendance: 0.6,
            hunger_apathy: 0.5,
            isolation_apathy: 0.2,
            full_attendance: 0.3,
            vitality_rate: 0.05,
            executive_drain: 0.7,
            plenum_rate: 0.03,
            war_centralisation: 0.4,
            dictatorship_centralisation: 0.3,
            uncontested_centralisation: 0.4,
            factory_meetings: 0.5,
        }
    }
}

impl SovietsParams {
    /// The numeric parameters whose range is not the share range [0, 1], each with its
    /// lowest and highest allowed value.
    pub const RANGES: &[(&str, f64, f64)] = &[
        ("seats", 1.0, 1000.0),
        ("election_interval_weeks", 1.0, 5200.0),
        ("recall_sample", 1.0, 10000.0),
    ];
}
