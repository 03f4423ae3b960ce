//! `[rules.leadership]`: the parameters of `rules::leadership`, the leadership's own
//! decisions, and the strengths of the five mechanisms the essays argue over. Each parameter
//! has its meaning, its default and the range a scenario may give it; docs/model.md ("The
//! leadership decides", "Mechanisms") gives the reasoning and the essay behind each.

use serde::{Deserialize, Serialize};

/// `[rules.leadership]`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LeadershipParams {
    /// Apply the rule: with it off, pinned decisions are still carried out on their dates,
    /// but the leadership takes none of its own (default: true).
    pub enabled: bool,

    // ---- Mechanisms: what the essays disagree about. 0 switches one off, 1 is its full
    // strength; the views in scenarios/views set these and nothing else.
    /// Circumstances: how far civil war, famine, the collapse of output and the ebb of the
    /// world revolution weaken the class and its organs and press the leadership (Ward, the
    /// Miasnikov essay) (default: 0.5).
    pub circumstances: f64,
    /// Doctrine: how far the leadership substitutes itself for the class by conviction,
    /// whatever the circumstances (the anarchist FAQ, Ratcliffe) (default: 0.5).
    pub doctrine: f64,
    /// Oligarchy as feedback: how strongly appointed officials press for more appointment
    /// and privilege pulls them toward authority (Ratcliffe after Michels; held by election
    /// and recall in "Lessons of Party and Class") (default: 0.5).
    pub oligarchy: f64,
    /// Precedent: how much cheaper each measure makes the next one of its kind ("Lessons of
    /// Party and Class": the 1921 ban as the turning point) (default: 0.5).
    pub precedent: f64,
    /// Siege: how much the White threat and the right's activity weigh in the leadership's
    /// decisions (the leadership's own case) (default: 0.5).
    pub siege: f64,

    // ---- The bars: a decision is taken when its pressure reaches its bar, lowered by
    // precedent. Pressures are sums of terms in [0, 1] (docs/model.md lists the weights).
    /// The pressure at which `disperse_soviets` is taken, before precedent (default: 0.75).
    pub disperse_soviets_bar: f64,
    /// The pressure at which `override_soviets` is taken, before precedent (default: 0.6).
    pub override_soviets_bar: f64,
    /// The pressure at which `harass_party` is taken, before precedent (default: 0.45, fitted
    /// to the first harassment on the record, the raid on the Moscow anarchists of April
    /// 1918).
    pub harass_party_bar: f64,
    /// The pressure at which `ban_party` is taken, before precedent (default: 0.6).
    pub ban_party_bar: f64,
    /// The pressure at which `single_list` is taken, before precedent (default: 0.7).
    pub single_list_bar: f64,
    /// The pressure at which `suspend_elections` is taken, before precedent (default: 1.2).
    pub suspend_elections_bar: f64,
    /// The pressure at which `party_dictatorship` is taken, before precedent (default: 0.8).
    pub party_dictatorship_bar: f64,
    /// The pressure at which `appoint_congress` is taken, before precedent (default: 0.65).
    pub appoint_congress_bar: f64,
    /// The pressure at which `appoint_officials` is taken, before precedent (default: 0.6).
    pub appoint_officials_bar: f64,
    /// The pressure at which `one_man_management` is taken, before precedent (default: 0.6).
    pub one_man_management_bar: f64,
    /// The pressure at which `subordinate_unions` is taken, before precedent (default: 0.65).
    pub subordinate_unions_bar: f64,
    /// The pressure at which `ban_factions` is taken, before precedent (default: 1.0).
    pub ban_factions_bar: f64,
    /// The pressure at which `purge` is taken, before precedent (default: 1.0, fitted to the
    /// purges on the record: the general purge of 1921 and the verification of 1924, and
    /// none in 1927, when the United Opposition still sat in the party).
    pub purge_bar: f64,
    /// The pressure at which `condemn_opposition` is taken, before precedent (default: 0.6).
    pub condemn_opposition_bar: f64,
    /// The pressure at which `expel_opposition` is taken, before precedent (default: 1.0).
    pub expel_opposition_bar: f64,
    /// The pressure at which `widen_police` is taken, before precedent (default: 0.55).
    pub widen_police_bar: f64,
    /// The pressure at which `raise_police` is taken, before precedent (default: 0.45).
    pub raise_police_bar: f64,
    /// The pressure at which `concede` is taken, before precedent (default: 0.7).
    pub concede_bar: f64,
    /// The pressure at which `end_concessions` is taken, before precedent (default: 0.6).
    pub end_concessions_bar: f64,

    // ---- What a decision of the model's own does.
    /// Chance that each soviet the party has lost is dispersed (default: 0.6).
    pub disperse_level: f64,
    /// Chance that each such soviet has its delegates replaced by appointees (default: 1.0).
    pub override_level: f64,
    /// How much of the share of elected posts each appointment decision takes away
    /// (default: 0.25).
    pub appointment_step: f64,
    /// The share of posts that stays elected whatever is decided (default: 0.1).
    pub elected_floor: f64,
    /// How much each one-man-management decision adds to the share of workplaces under it
    /// (default: 0.35).
    pub one_man_step: f64,
    /// Chance that each targeted member is expelled by a purge (default: 0.85).
    pub purge_level: f64,
    /// Chance that each member of an opposition is expelled by its expulsion (default: 0.8).
    pub expel_level: f64,
    /// Chekists per 1,000 that each police decision adds (default: 1.25).
    pub police_step: f64,
    /// The most chekists per 1,000 the leadership will order (default: 4.5).
    pub police_max: f64,
    /// The level of concessions a concession decision grants (default: 0.7).
    pub concession_level: f64,
    /// How much of the concessions each decision to end them takes back (default: 0.4).
    pub end_step: f64,
    /// Weeks before a decision that can be repeated may be taken again (default: 52).
    pub repeat_weeks: f64,
    /// Weeks between two purges (default: 156).
    pub purge_weeks: f64,
    /// Fear added to each member of a faction the leadership condemns (default: 0.2).
    pub condemn_fear: f64,
    /// Weeks of argument an opposition's challenge is weighed in: condemnation weighs the
    /// challenge the leadership has argued with, each week's challenge counted as this share
    /// of a full one (weeks / argument_weeks) and the stock halved every year, so that an
    /// opposition of full challenge is condemned after about this many weeks of discussion
    /// (default: 17, fitted to the Left Opposition's condemnation at the Thirteenth
    /// Conference, three months after the Platform of the 46).
    pub argument_weeks: f64,
    /// Weeks over which the party comes to live with a retreat: the lived retreat the purge
    /// weighs closes `weeks / retreat_weeks` of its gap to today's concessions each step
    /// (default: 8, fitted to the 1921 purge, decided in June, three months into NEP).
    pub retreat_weeks: f64,
    /// Weeks over which appointees settle into the apparatus: the entrenched apparatus that
    /// the appointment of congresses weighs closes `weeks / entrench_weeks` of its gap to
    /// today's appointed share each step (default: 104, fitted to the appointed congresses
    /// of 1922-23).
    pub entrench_weeks: f64,
}

impl Default for LeadershipParams {
    fn default() -> Self {
        LeadershipParams {
            enabled: true,
            circumstances: 0.5,
            doctrine: 0.5,
            oligarchy: 0.5,
            precedent: 0.5,
            siege: 0.5,
            disperse_soviets_bar: 0.75,
            override_soviets_bar: 0.6,
            harass_party_bar: 0.45,
            ban_party_bar: 0.6,
            single_list_bar: 0.7,
            suspend_elections_bar: 1.2,
            party_dictatorship_bar: 0.8,
            appoint_congress_bar: 0.65,
            appoint_officials_bar: 0.6,
            one_man_management_bar: 0.6,
            subordinate_unions_bar: 0.65,
            ban_factions_bar: 1.0,
            purge_bar: 1.0,
            condemn_opposition_bar: 0.6,
            expel_opposition_bar: 1.0,
            widen_police_bar: 0.55,
            raise_police_bar: 0.45,
            concede_bar: 0.7,
            end_concessions_bar: 0.6,
            disperse_level: 0.6,
            override_level: 1.0,
            appointment_step: 0.25,
            elected_floor: 0.1,
            one_man_step: 0.35,
            purge_level: 0.85,
            expel_level: 0.8,
            police_step: 1.25,
            police_max: 4.5,
            concession_level: 0.7,
            end_step: 0.4,
            repeat_weeks: 52.0,
            purge_weeks: 156.0,
            condemn_fear: 0.2,
            argument_weeks: 17.0,
            retreat_weeks: 8.0,
            entrench_weeks: 104.0,
        }
    }
}

impl LeadershipParams {
    /// The five mechanism strengths, by name: what a view may set.
    pub const MECHANISMS: [&str; 5] = [
        "circumstances",
        "doctrine",
        "oligarchy",
        "precedent",
        "siege",
    ];

    /// The numeric parameters whose range is not the share range [0, 1], each with its
    /// lowest and highest allowed value.
    pub const RANGES: &[(&str, f64, f64)] = &[
        ("disperse_soviets_bar", 0.0, 10.0),
        ("override_soviets_bar", 0.0, 10.0),
        ("harass_party_bar", 0.0, 10.0),
        ("ban_party_bar", 0.0, 10.0),
        ("single_list_bar", 0.0, 10.0),
        ("suspend_elections_bar", 0.0, 10.0),
        ("party_dictatorship_bar", 0.0, 10.0),
        ("appoint_congress_bar", 0.0, 10.0),
        ("appoint_officials_bar", 0.0, 10.0),
        ("one_man_management_bar", 0.0, 10.0),
        ("subordinate_unions_bar", 0.0, 10.0),
        ("ban_factions_bar", 0.0, 10.0),
        ("purge_bar", 0.0, 10.0),
        ("condemn_opposition_bar", 0.0, 10.0),
        ("expel_opposition_bar", 0.0, 10.0),
        ("widen_police_bar", 0.0, 10.0),
        ("raise_police_bar", 0.0, 10.0),
        ("concede_bar", 0.0, 10.0),
        ("end_concessions_bar", 0.0, 10.0),
        ("police_step", 0.0, 1000.0),
        ("police_max", 0.0, 1000.0),
        ("repeat_weeks", 1.0, 5200.0),
        ("purge_weeks", 1.0, 5200.0),
        ("argument_weeks", 1.0, 520.0),
        ("retreat_weeks", 1.0, 520.0),
        ("entrench_weeks", 1.0, 520.0),
    ];

    /// The bar of one decision.
    pub fn bar(&self, d: crate::model::Decision) -> f64 {
        use crate::model::Decision as D;
        match d {
            D::DisperseSoviets => self.disperse_soviets_bar,
            D::OverrideSoviets => self.override_soviets_bar,
            D::HarassParty => self.harass_party_bar,
            D::BanParty => self.ban_party_bar,
            D::SingleList => self.single_list_bar,
            D::SuspendElections => self.suspend_elections_bar,
            D::PartyDictatorship => self.party_dictatorship_bar,
            D::AppointCongress => self.appoint_congress_bar,
            D::AppointOfficials => self.appoint_officials_bar,
            D::OneManManagement => self.one_man_management_bar,
            D::SubordinateUnions => self.subordinate_unions_bar,
            D::BanFactions => self.ban_factions_bar,
            D::Purge => self.purge_bar,
            D::CondemnOpposition => self.condemn_opposition_bar,
            D::ExpelOpposition => self.expel_opposition_bar,
            D::WidenPolice => self.widen_police_bar,
            D::RaisePolice => self.raise_police_bar,
            D::Concede => self.concede_bar,
            D::EndConcessions => self.end_concessions_bar,
        }
    }
}
