//! `[rules.bureaucracy]`: the parameters of `rules::bureaucracy`, each with its meaning,
//! its default and the range a scenario may give it.

use serde::{Deserialize, Serialize};

/// What the trade unions are: the question of the trade-union debate of 1920-21.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unions {
    /// The unions answer to their members: they defend wages and conditions, against the
    /// managers of a workers' state too.
    #[default]
    Independent,
    /// The unions are organs of the state, their officials named through the party and their
    /// task production: they no longer defend their members.
    State,
}

/// `[rules.bureaucracy]`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BureaucracyParams {
    /// Apply the rule (default: true).
    pub enabled: bool,
    /// Posts per 1,000 population in any state (default: 5).
    pub base_posts: f64,
    /// Posts per 1,000 added by a full civil war (default: 15).
    pub war_posts: f64,
    /// Posts per 1,000 added by rationing when the towns' food supply is zero (default: 15).
    pub rationing_posts: f64,
    /// Posts per 1,000 added by fully nationalised industry (default: 10).
    pub industry_posts: f64,
    /// Posts per 1,000 added by full central planning (default: 15).
    pub planning_posts: f64,
    /// Share of industry nationalised, in [0, 1] (default: 0).
    pub nationalisation: f64,
    /// Extent of central planning, in [0, 1] (default: 0).
    pub planning: f64,
    /// Share of workplaces under one-man management, in [0, 1] (default: 0).
    pub one_man_management: f64,
    /// Share of posts filled by election and subject to recall, in [0, 1] (default: 0.5).
    pub elected_share: f64,
    /// Weekly posts an appointed official creates beyond the demand (default: 0.002).
    pub self_growth: f64,
    /// Weekly share of the self-made posts that elected officials prune, at an all-elected
    /// bureaucracy (default: 0.02).
    pub pruning: f64,
    /// Self-made posts never exceed this multiple of the demanded ones (default: 1).
    pub self_made_cap: f64,
    /// Share of the gap between posts and officials filled per week (default: 0.2).
    pub hire_rate: f64,
    /// Candidates considered for each post (default: 8).
    pub shortlist: u32,
    /// Weight an appointing superior gives a candidate's loyalty to the ruling party, against
    /// a weight of 1 for conformity (closeness of expressed opinion to the line)
    /// (default: 0.5).
    pub loyalty_preference: f64,
    /// Extra score an appointing superior gives a specialist for expertise: the bourgeois
    /// specialists the leadership defended as indispensable (default: 0.4).
    pub specialist_preference: f64,
    /// Privilege of an appointed office (default: 0.6).
    pub office_privilege: f64,
    /// Privilege of an elected office, paid a worker's wage (default: 0.1).
    pub elected_privilege: f64,
    /// Share of the gap to the privilege of one's position closed per week (default: 0.05).
    pub privilege_rate: f64,
    /// An elected official is recalled when their private opinion lies further than this from
    /// the mean expressed opinion of their constituency (default: 0.25)...
    pub recall_distance: f64,
    /// ...with this weekly probability (default: 0.1).
    pub recall_rate: f64,
    /// Hardship one-man management adds to a workplace's workers: output pressure and
    /// discipline (default: 0.1).
    pub one_man_hardship: f64,
    /// Relative gain in industrial output when every workplace has one-man management
    /// (default: 0.15).
    pub one_man_output: f64,
    /// `independent` or `state` trade unions (default: independent).
    pub unions: Unions,
    /// Hardship state unions add to every worker: no one defends their wages and conditions
    /// (default: 0.05).
    pub union_hardship: f64,
    /// Relative gain in industrial output from state unions' labour discipline: the
    /// leadership's case for the unions' production tasks (default: 0.05).
    pub union_output: f64,
}

impl Default for BureaucracyParams {
    fn default() -> Self {
        BureaucracyParams {
            enabled: true,
            base_posts: 5.0,
            war_posts: 15.0,
            rationing_posts: 15.0,
            industry_posts: 10.0,
            planning_posts: 15.0,
            nationalisation: 0.0,
            planning: 0.0,
            one_man_management: 0.0,
            elected_share: 0.5,
            self_growth: 0.002,
            pruning: 0.02,
            self_made_cap: 1.0,
            hire_rate: 0.2,
            shortlist: 8,
            loyalty_preference: 0.5,
            specialist_preference: 0.4,
            office_privilege: 0.6,
            elected_privilege: 0.1,
            privilege_rate: 0.05,
            recall_distance: 0.25,
            recall_rate: 0.1,
            one_man_hardship: 0.1,
            one_man_output: 0.15,
            unions: Unions::Independent,
            union_hardship: 0.05,
            union_output: 0.05,
        }
    }
}

impl BureaucracyParams {
    /// The numeric parameters whose range is not the share range [0, 1], each with its
    /// lowest and highest allowed value.
    pub const RANGES: &[(&str, f64, f64)] = &[
        ("base_posts", 0.0, 1000.0),
        ("war_posts", 0.0, 1000.0),
        ("rationing_posts", 0.0, 1000.0),
        ("industry_posts", 0.0, 1000.0),
        ("planning_posts", 0.0, 1000.0),
        ("self_made_cap", 0.0, 100.0),
        ("shortlist", 1.0, 1000.0),
        ("one_man_output", 0.0, 10.0),
        ("union_output", 0.0, 10.0),
    ];
}
