//! What a world is built from: the calendar, the population, the environment, the parties,
//! the rule parameters and the dated events, as plain values. A checked scenario produces it
//! (`scenario::Scenario::setup`); [`World::build`](super::World::build) takes it, so that the
//! model does not depend on the scenario format.

use serde::{Deserialize, Serialize};

use super::{Calendar, Class, DecisionModes, Environment, Event, Opinion, PartyStatus, Rules};

/// Everything [`World::build`](super::World::build) reads, borrowed from its owner.
#[derive(Clone, Copy, Debug)]
pub struct Setup<'a> {
    pub calendar: Calendar,
    pub population: &'a Population,
    pub environment: &'a Environment,
    /// Parties in name order.
    pub parties: &'a [PartySetup],
    /// Index of the ruling party in `parties`.
    pub ruling_party: u32,
    /// Rule parameters at the start.
    pub rules: &'a Rules,
    /// Events sorted by step.
    pub events: &'a [Event],
    /// How the scenario treats each of the leadership's decisions.
    pub decisions: DecisionModes,
}

/// The population to build: its size, classes, places, ties and starting attributes. The
/// meaning and default of each field is that of `[population]` in a scenario
/// (`scenario::PopulationSpec`).
#[derive(Clone, Debug, PartialEq)]
pub struct Population {
    pub agents: u32,
    pub classes: ClassValues,
    pub urban_localities: u32,
    pub rural_localities: u32,
    pub workplaces: u32,
    pub mean_degree: f64,
    pub cross_ties: f64,
    pub opinion: OpinionStarts,
    pub legitimacy: ClassValues,
    pub hardship: ClassValues,
}

/// A party at the start.
#[derive(Clone, Debug, PartialEq)]
pub struct PartySetup {
    pub name: String,
    pub platform: Opinion,
    pub status: PartyStatus,
    pub members: f64,
    pub restoration: bool,
    pub government: bool,
}

/// One value per class.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassValues {
    pub worker: f64,
    pub peasant: f64,
    pub soldier: f64,
    pub specialist: f64,
}

impl ClassValues {
    pub fn get(&self, class: Class) -> f64 {
        match class {
            Class::Worker => self.worker,
            Class::Peasant => self.peasant,
            Class::Soldier => self.soldier,
            Class::Specialist => self.specialist,
        }
    }

    pub fn as_array(&self) -> [f64; 4] {
        [self.worker, self.peasant, self.soldier, self.specialist]
    }
}

/// Where a class starts in opinion space: a normal distribution per axis, clamped to [0, 1].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpinionStart {
    /// Mean position on the authority axis (0 self-management, 1 central command).
    pub authority: f64,
    /// Mean position on the property axis (0 socialised, 1 private property and restoration).
    pub property: f64,
    /// Standard deviation on both axes (default: 0.12).
    #[serde(default = "default_spread")]
    pub spread: f64,
}

fn default_spread() -> f64 {
    0.12
}

/// Starting opinions for every class.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpinionStarts {
    pub worker: OpinionStart,
    pub peasant: OpinionStart,
    pub soldier: OpinionStart,
    pub specialist: OpinionStart,
}

impl OpinionStarts {
    pub fn get(&self, class: Class) -> OpinionStart {
        match class {
            Class::Worker => self.worker,
            Class::Peasant => self.peasant,
            Class::Soldier => self.soldier,
            Class::Specialist => self.specialist,
        }
    }
}
