//! The leadership's institutional decisions as values: which decisions exist, how a scenario
//! treats each (taken by the model, pinned to dates, or forbidden), an order to carry one
//! out, and the record of each decision taken in a run. The rule that decides and carries
//! them out is `rules::leadership`; docs/model.md ("The leadership decides") gives each
//! decision's terms.

use super::{PurgeTarget, Target};

/// One institutional decision the leadership can take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Decision {
    /// Soviets whose elected make-up the party rejects are dispersed.
    DisperseSoviets,
    /// Such soviets keep meeting, but the party appoints their delegates.
    OverrideSoviets,
    /// A party is harassed: tolerated, and open to the police's `other_parties` target.
    HarassParty,
    /// A party is outlawed.
    BanParty,
    /// Soviet elections with one list.
    SingleList,
    /// Soviet elections suspended: seats stay with whoever holds them.
    SuspendElections,
    /// Policy is set by the party, not the Congress of Soviets.
    PartyDictatorship,
    /// Congress delegates chosen by the apparatus.
    AppointCongress,
    /// Another step from election to appointment of officials (soviet executives, union and
    /// factory heads, army officers).
    AppointOfficials,
    /// Another step toward one-man management of the workplaces.
    OneManManagement,
    /// The trade unions made organs of the state (the trade-union debate of 1920-21).
    SubordinateUnions,
    /// Factions of the ruling party banned.
    BanFactions,
    /// A purge of the party's critics or careerists.
    Purge,
    /// An opposition faction condemned: its platform declared a deviation, its members
    /// warned; the step before expulsion.
    CondemnOpposition,
    /// The members of an opposition faction expelled.
    ExpelOpposition,
    /// One more group among the political police's targets.
    WidenPolice,
    /// The political police's capacity raised.
    RaisePolice,
    /// Concessions to the peasants (a NEP).
    Concede,
    /// Concessions ended.
    EndConcessions,
}

/// What a decision is aimed at, when it is aimed at someone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetKind {
    None,
    /// A party other than the ruling one, by name.
    Party,
    /// A faction of the ruling party, by name.
    Faction,
    /// `critics` or `careerists`.
    Purge,
    /// One of the police's target groups (`banned_parties`, `strikers`, ...).
    Police,
}

impl Decision {
    pub const COUNT: usize = 19;

    pub const ALL: [Decision; Decision::COUNT] = [
        Decision::DisperseSoviets,
        Decision::OverrideSoviets,
        Decision::HarassParty,
        Decision::BanParty,
        Decision::SingleList,
        Decision::SuspendElections,
        Decision::PartyDictatorship,
        Decision::AppointCongress,
        Decision::AppointOfficials,
        Decision::OneManManagement,
        Decision::SubordinateUnions,
        Decision::BanFactions,
        Decision::Purge,
        Decision::CondemnOpposition,
        Decision::ExpelOpposition,
        Decision::WidenPolice,
        Decision::RaisePolice,
        Decision::Concede,
        Decision::EndConcessions,
    ];

    /// The names a scenario uses, in [`Decision::ALL`] order.
    pub const NAMES: [&str; Decision::COUNT] = [
        "disperse_soviets",
        "override_soviets",
        "harass_party",
        "ban_party",
        "single_list",
        "suspend_elections",
        "party_dictatorship",
        "appoint_congress",
        "appoint_officials",
        "one_man_management",
        "subordinate_unions",
        "ban_factions",
        "purge",
        "condemn_opposition",
        "expel_opposition",
        "widen_police",
        "raise_police",
        "concede",
        "end_concessions",
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        Decision::NAMES[self.index()]
    }

    pub fn parse(name: &str) -> Option<Decision> {
        Decision::NAMES
            .iter()
            .position(|n| *n == name)
            .map(|k| Decision::ALL[k])
    }

    /// What the decision is aimed at, and so what a pinned decision's `target` names.
    pub fn target_kind(self) -> TargetKind {
        match self {
            Decision::HarassParty | Decision::BanParty => TargetKind::Party,
            Decision::CondemnOpposition | Decision::ExpelOpposition => TargetKind::Faction,
            Decision::Purge => TargetKind::Purge,
            Decision::WidenPolice => TargetKind::Police,
            _ => TargetKind::None,
        }
    }

    /// The dates (`YYYY-MM`) the Bolshevik leadership took this decision, as
    /// `scenarios/as_it_happened.toml` pins them: what the decision timelines mark.
    pub fn historical_dates(self) -> &'static [&'static str] {
        match self {
            Decision::DisperseSoviets => &["1918-06", "1920-03"],
            Decision::OverrideSoviets => &["1921-05"],
            Decision::HarassParty => &["1918-03", "1918-06"],
            Decision::BanParty => &["1917-12", "1918-06", "1918-07", "1921-04", "1923-08"],
            Decision::SingleList => &["1921-03"],
            Decision::SuspendElections => &[],
            Decision::PartyDictatorship => &["1919-03"],
            Decision::AppointCongress => &["1922-04"],
            Decision::AppointOfficials => &["1918-03", "1920-03"],
            Decision::OneManManagement => &["1918-04", "1920-03", "1929-09"],
            Decision::SubordinateUnions => &["1921-05"],
            Decision::BanFactions => &["1921-03"],
            Decision::Purge => &["1921-08"],
            Decision::CondemnOpposition => &["1924-01"],
            Decision::ExpelOpposition => &["1922-02", "1927-12"],
            Decision::WidenPolice => &["1918-06", "1921-02", "1923-05"],
            Decision::RaisePolice => &["1917-12", "1918-09", "1929-11"],
            Decision::Concede => &["1921-03"],
            Decision::EndConcessions => &["1928-01", "1929-11"],
        }
    }

    /// Whether the decision takes a `level` (a chance, a share or a capacity).
    pub fn takes_level(self) -> bool {
        matches!(
            self,
            Decision::DisperseSoviets
                | Decision::OverrideSoviets
                | Decision::AppointOfficials
                | Decision::OneManManagement
                | Decision::Purge
                | Decision::ExpelOpposition
                | Decision::RaisePolice
                | Decision::Concede
                | Decision::EndConcessions
        )
    }

    /// What the decision does, in one line, for docs and `sovsim explain` (the variants' doc
    /// comments, which the program cannot read).
    pub fn meaning(self) -> &'static str {
        match self {
            Decision::DisperseSoviets => {
                "soviets whose elected make-up the party rejects are dispersed"
            }
            Decision::OverrideSoviets => {
                "such soviets keep meeting, but the party appoints their delegates"
            }
            Decision::HarassParty => {
                "a party is harassed: tolerated, and open to the police's `other_parties` target"
            }
            Decision::BanParty => "a party is outlawed",
            Decision::SingleList => "soviet elections with one list",
            Decision::SuspendElections => {
                "soviet elections suspended: seats stay with whoever holds them"
            }
            Decision::PartyDictatorship => {
                "policy is set by the party, not the Congress of Soviets"
            }
            Decision::AppointCongress => "party congress delegates chosen by the apparatus",
            Decision::AppointOfficials => {
                "another step from election to appointment of officials (soviet executives, union and factory heads, army officers)"
            }
            Decision::OneManManagement => {
                "another step toward one-man management of the workplaces"
            }
            Decision::SubordinateUnions => {
                "the trade unions made organs of the state: officials named through the party, production their task, their members undefended"
            }
            Decision::BanFactions => "factions of the ruling party banned",
            Decision::Purge => "a purge of the party's critics or careerists",
            Decision::CondemnOpposition => {
                "an opposition faction condemned as a deviation: the step before expulsion"
            }
            Decision::ExpelOpposition => "the members of an opposition faction expelled",
            Decision::WidenPolice => "one more group among the political police's targets",
            Decision::RaisePolice => "the political police's capacity raised",
            Decision::Concede => "concessions to the peasants (a NEP)",
            Decision::EndConcessions => "concessions ended",
        }
    }

    /// What a pinned decision's `level` means and its allowed range, for errors and docs.
    pub fn level_meaning(self) -> Option<(&'static str, f64, f64)> {
        Some(match self {
            Decision::DisperseSoviets => {
                ("the chance that each lost soviet is dispersed", 0.0, 1.0)
            }
            Decision::OverrideSoviets => {
                ("the chance that each lost soviet is overridden", 0.0, 1.0)
            }
            Decision::AppointOfficials => (
                "the share of posts still filled by election after it",
                0.0,
                1.0,
            ),
            Decision::OneManManagement => (
                "the share of workplaces under one-man management after it",
                0.0,
                1.0,
            ),
            Decision::Purge | Decision::ExpelOpposition => {
                ("the chance that each targeted member is expelled", 0.0, 1.0)
            }
            Decision::RaisePolice => (
                "the police's capacity after it (chekists per 1,000)",
                0.0,
                1000.0,
            ),
            Decision::Concede | Decision::EndConcessions => {
                ("the level of concessions after it", 0.0, 1.0)
            }
            _ => return None,
        })
    }
}

/// How a scenario treats one decision.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DecisionMode {
    /// The leadership takes it when its rule says so, from the state of the world.
    #[default]
    Endogenous,
    /// Taken only on the dates the scenario's `decide` events give.
    Pinned,
    /// Never taken: a constraint (the statute protects factions, elections cannot be
    /// suspended, ...).
    Forbidden,
}

impl DecisionMode {
    pub const NAMES: [&str; 3] = ["endogenous", "pinned", "forbidden"];

    pub fn name(self) -> &'static str {
        match self {
            DecisionMode::Endogenous => "endogenous",
            DecisionMode::Pinned => "pinned",
            DecisionMode::Forbidden => "forbidden",
        }
    }

    pub fn parse(name: &str) -> Option<DecisionMode> {
        match name {
            "endogenous" => Some(DecisionMode::Endogenous),
            "pinned" => Some(DecisionMode::Pinned),
            "forbidden" => Some(DecisionMode::Forbidden),
            _ => None,
        }
    }
}

/// The mode of every decision; endogenous unless the scenario says otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DecisionModes([DecisionMode; Decision::COUNT]);

impl DecisionModes {
    pub fn get(&self, d: Decision) -> DecisionMode {
        self.0[d.index()]
    }

    pub fn set(&mut self, d: Decision, mode: DecisionMode) {
        self.0[d.index()] = mode;
    }

    /// Every decision in one mode.
    pub fn all(mode: DecisionMode) -> DecisionModes {
        DecisionModes([mode; Decision::COUNT])
    }
}

/// Whom an order is aimed at, resolved from the names a scenario gives.
#[derive(Clone, Debug, PartialEq)]
pub enum OrderTarget {
    None,
    Party(u32),
    /// A faction by name (it may be seeded only later in the run).
    Faction(String),
    Purge(PurgeTarget),
    Police(Target),
}

/// An order to carry out a decision: from a pinned `decide` event, or from the leadership's
/// own rule. `level` is `None` where the decision's default applies.
#[derive(Clone, Debug, PartialEq)]
pub struct Order {
    pub decision: Decision,
    pub target: OrderTarget,
    pub level: Option<f64>,
}

/// A decision taken in a run: when, what, at whom, and why (for a decision of the model's
/// own, the terms that carried it over its bar; for a pinned one, `pinned`).
#[derive(Clone, Debug, PartialEq)]
pub struct DecisionRecord {
    pub step: u32,
    pub decision: Decision,
    /// The target's name, or empty.
    pub target: String,
    pub why: String,
}

/// What the leadership remembers between steps.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LeadershipState {
    /// How many times each decision has been taken, in [`Decision::ALL`] order.
    pub taken: [u32; Decision::COUNT],
    /// The step each decision was last taken at.
    pub last: [Option<u32>; Decision::COUNT],
    /// Every decision taken so far, in order.
    pub log: Vec<DecisionRecord>,
    /// The revolt as the leadership has lived through it: each step's revolt (the share of
    /// peasants and soldiers active, released by the fading rally) added in half-years and
    /// halved every year. A rising that lasts weighs more than a rising that flares.
    pub revolt_endured: f64,
    /// Each faction's challenge as the leadership has argued with it, by faction index:
    /// each step's challenge added in units of `argument_weeks`, the stock halved every year.
    pub argued: Vec<f64>,
    /// The concession level the party has lived with: it approaches today's level by
    /// `weeks / retreat_weeks` of the gap each step.
    pub retreat_lived: f64,
    /// The share of offices held by appointment as the appointees have settled in: it
    /// approaches today's share by `weeks / entrench_weeks` of the gap each step.
    pub apparatus_entrenched: f64,
}

impl LeadershipState {
    pub fn times(&self, d: Decision) -> u32 {
        self.taken[d.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back_to_their_decisions() {
        for d in Decision::ALL {
            assert_eq!(Decision::parse(d.name()), Some(d));
        }
        assert_eq!(Decision::parse("ban_faction"), None);
        for (k, d) in Decision::ALL.iter().enumerate() {
            assert_eq!(d.index(), k);
        }
    }

    #[test]
    fn only_decisions_that_take_a_level_say_what_it_means() {
        for d in Decision::ALL {
            assert_eq!(d.takes_level(), d.level_meaning().is_some(), "{d:?}");
        }
    }
}
