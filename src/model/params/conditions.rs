//! `[rules.conditions]`: the parameters of `rules::conditions`, each with its meaning,
//! its default and the range a scenario may give it.

use serde::{Deserialize, Serialize};

/// `[rules.conditions]`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConditionsParams {
    /// Apply the rule (default: true).
    pub enabled: bool,
    /// Share of the gap to the hardship target closed per week (default: 0.2).
    pub hardship_rate: f64,
    /// Hardship everyone bears in normal times (default: 0.1).
    pub base_hardship: f64,
    /// Hardship added by the civil war at full intensity (default: 0.15).
    pub war_hardship: f64,
    /// Hardship added to townspeople by a total loss of food supply (default: 0.5).
    pub food_hardship: f64,
    /// Hardship added to townspeople by a total loss of output: idle factories, no wages
    /// (default: 0.2).
    pub output_hardship: f64,
    /// Hardship added to workers when every worker in the towns is out of work: the
    /// `unemployment` series times this. Out of work, a worker under NEP loses both his wage
    /// and the ration war communism gave him whether his factory ran or not, so the default is
    /// the sum of `food_hardship` and `output_hardship` (default: 0.7).
    pub unemployment_hardship: f64,
    /// Hardship added to peasants by requisitioning when the towns' food supply is zero and no
    /// concession is made (default: 0.3).
    pub requisition_hardship: f64,
    /// Hardship removed by full privilege (default: 0.5).
    pub privilege_relief: f64,
    /// Share of the gap to the legitimacy target closed per week (default: 0.05).
    pub legitimacy_rate: f64,
    /// Legitimacy target with no other influence (default: 0.8).
    pub base_legitimacy: f64,
    /// Weight of responsiveness: agreement with the line raises legitimacy, a large gap lowers
    /// it (default: 0.25).
    pub responsiveness: f64,
    /// Distance between an agent's private view and the line at which responsiveness neither
    /// raises nor lowers legitimacy: closer raises it, further lowers it (default: 0.4).
    pub gap_tolerance: f64,
    /// Weight of hardship in lowering legitimacy (default: 0.25).
    pub hardship_weight: f64,
    /// Weight of the White threat: it raises the legitimacy of those whose private opinion on
    /// the property axis lies below `siege_pivot` (they have a restoration to fear) and lowers
    /// it for those above, in proportion to the distance (default: 0.5).
    pub siege: f64,
    /// Property position that divides those who fear a White victory from those who want it:
    /// a peasant who wants his land (about 0.6) still fears the landlords' return
    /// (default: 0.7).
    pub siege_pivot: f64,
    /// Weight of the prospect of revolution abroad (default: 0.1).
    pub hope: f64,
    /// Weight of concessions in peasants' legitimacy (default: 0.25).
    pub concession_weight: f64,
    /// Share of the gap between a member's loyalty and agreement with the line closed per week
    /// (default: 0.01).
    pub loyalty_rate: f64,
    /// Half-life, in weeks, of the rally round the regime once the White threat falls: the
    /// threat as remembered (`siege` here, `discontent` in the leadership's decisions) fades
    /// with this half-life (default: 13; 0 forgets at once).
    pub rally_weeks: f64,
    /// Weight of the material split in the legitimacy of workers and soldiers who hold no
    /// office: the privileges of office holders and, under concessions, the traders' gains,
    /// seen by those who have neither (default: 0.2).
    pub inequality_weight: f64,
}

impl Default for ConditionsParams {
    fn default() -> Self {
        ConditionsParams {
            enabled: true,
            hardship_rate: 0.2,
            base_hardship: 0.1,
            war_hardship: 0.15,
            food_hardship: 0.5,
            output_hardship: 0.2,
            unemployment_hardship: 0.7,
            requisition_hardship: 0.3,
            privilege_relief: 0.5,
            legitimacy_rate: 0.05,
            base_legitimacy: 0.8,
            responsiveness: 0.25,
            gap_tolerance: 0.4,
            hardship_weight: 0.25,
            siege: 0.5,
            siege_pivot: 0.7,
            hope: 0.1,
            concession_weight: 0.25,
            loyalty_rate: 0.01,
            rally_weeks: 13.0,
            inequality_weight: 0.2,
        }
    }
}

impl ConditionsParams {
    /// The numeric parameters whose range is not the share range [0, 1], each with its
    /// lowest and highest allowed value.
    pub const RANGES: &[(&str, f64, f64)] = &[("rally_weeks", 0.0, 520.0)];
}
