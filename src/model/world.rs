//! The world of one replicate: everything the rules read and change.

use super::params::{OpinionParams, Rules};
use super::{
    Agents, Calendar, Conditions, DecisionModes, Environment, Event, Faction, LeadershipState,
    LocalityIndex, Network, Opinion, PartyLife, Pending, Role, Soviet, State,
};
use serde::{Deserialize, Serialize};

/// Legal status of a party.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyStatus {
    Legal,
    /// Allowed to exist but harassed: its members are not driven out, but the police may
    /// target them (`other_parties`).
    Tolerated,
    /// Outlawed: members go underground, emigrate, are arrested or renounce.
    Banned,
}

/// A locality: the constituency of one local soviet.
#[derive(Clone, Debug, PartialEq)]
pub struct Locality {
    pub urban: bool,
}

/// A workplace in an urban locality.
#[derive(Clone, Debug, PartialEq)]
pub struct Workplace {
    pub locality: u32,
    /// The share of its visible workers (quiet or active) who are active passed the strike
    /// threshold this step.
    pub on_strike: bool,
    /// Run by one appointed manager rather than by the workers' factory committee.
    pub one_man: bool,
}

/// A party: a platform in opinion space and a legal status.
#[derive(Clone, Debug, PartialEq)]
pub struct Party {
    pub name: String,
    pub platform: Opinion,
    pub status: PartyStatus,
    /// Its victory would be a restoration.
    pub restoration: bool,
    /// It shares the government with the ruling party (a coalition partner, as the Left SRs
    /// were until Brest-Litovsk): the leadership does not move against it while it does.
    pub in_government: bool,
}

/// The regime's own state, changed by events and by the leadership.
#[derive(Clone, Debug, PartialEq)]
pub struct RegimeState {
    /// Index of the ruling party.
    pub ruling_party: u32,
    /// The regime has fallen to restoration; never reset.
    pub restored: bool,
    /// Level of concessions (NEP-like) in [0, 1].
    pub concession: f64,
    /// Extra police capacity ordered by an adaptive leadership, as a multiple of the base.
    pub police_boost: f64,
    /// Strength of the soviets in [0, 1] (the `soviet_power` metric, kept by the soviets
    /// rule), which limits a soviet-controlled police.
    pub soviet_power: f64,
    /// Where the Congress of Soviets stands: the mean expressed opinion of the delegates.
    pub congress_position: Opinion,
    /// The Congress's share in setting policy: the soviets' power while the soviets are
    /// sovereign, 0 under party dictatorship.
    pub congress_say: f64,
    /// The White threat as the class remembers it: it follows the threat up at once and
    /// fades after it with the half-life `[rules.conditions] rally_weeks`, so that the
    /// rally round the regime outlasts the danger by some months.
    pub rally: f64,
}

/// What happened during the current step, for the metrics.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StepCounters {
    pub arrests: u32,
    /// Urban workers present, and how many of them took part in a soviet or factory meeting.
    pub urban_workers: u32,
    pub participants: u32,
}

/// Buffers reused every step so that the step loop does not allocate.
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    pub flags: Vec<bool>,
    pub marks: Vec<bool>,
    pub values: Vec<f64>,
    pub values2: Vec<f64>,
    pub counts: Vec<u32>,
    pub counts2: Vec<u32>,
    /// Per-locality sums: opinion axes and counts, for constituency means.
    pub locality_authority: Vec<f64>,
    pub locality_property: Vec<f64>,
    pub locality_count: Vec<u32>,
    pub ids: Vec<u32>,
    /// One byte per agent (the activation rule's neighbour signals).
    pub codes: Vec<u8>,
}

impl Scratch {
    /// Bytes the buffers hold (allocated): most are one entry per agent, the rest per
    /// workplace or locality.
    pub fn bytes(&self) -> usize {
        self.flags.capacity()
            + self.marks.capacity()
            + 8 * (self.values.capacity()
                + self.values2.capacity()
                + self.locality_authority.capacity()
                + self.locality_property.capacity())
            + 4 * (self.counts.capacity()
                + self.counts2.capacity()
                + self.locality_count.capacity()
                + self.ids.capacity())
            + self.codes.capacity()
    }
}

/// The whole state of one replicate.
#[derive(Clone, Debug)]
pub struct World {
    pub agents: Agents,
    pub network: Network,
    pub localities: Vec<Locality>,
    pub workplaces: Vec<Workplace>,
    pub parties: Vec<Party>,
    /// Each class's position in opinion space (its starting mean), indexed by class.
    pub class_positions: [Opinion; 4],
    pub regime: RegimeState,
    /// Today's values of the series.
    pub conditions: Conditions,
    pub environment: Environment,
    /// The scenario's events, sorted by step; `next_event` is the first not yet applied.
    pub events: Vec<Event>,
    pub next_event: usize,
    /// The rule parameters in force today (events may change them).
    pub rules: Rules,
    pub calendar: Calendar,
    /// The step being computed.
    pub step: u32,
    pub counters: StepCounters,
    pub scratch: Scratch,
    /// One soviet per locality, in locality order.
    pub soviets: Vec<Soviet>,
    /// Factions of the ruling party ever formed or seeded, in order of birth.
    pub factions: Vec<Faction>,
    pub party_life: PartyLife,
    /// Administrative posts the bureaucracy has created for itself beyond the demand.
    pub self_made_posts: f64,
    /// Orders from today's events, carried out by the rules this step.
    pub pending: Pending,
    /// How the scenario treats each institutional decision.
    pub decisions: DecisionModes,
    /// The decisions taken so far, and what the leadership remembers of them.
    pub leadership: LeadershipState,
    pub locality_index: LocalityIndex,
}

impl World {
    /// Length of the current step in weeks.
    pub fn weeks(&self) -> f64 {
        self.calendar.weeks(self.step)
    }

    /// The ruling party's line: its platform, moved toward the market by concessions.
    pub fn line(&self) -> Opinion {
        let p = self.parties[self.regime.ruling_party as usize].platform;
        // A restoration sets concessions to 0 and events cannot raise them again.
        let shift = self.regime.concession * self.rules.regime.concession_property_shift;
        Opinion::new(p.authority, (p.property + shift).clamp(0.0, 1.0))
    }

    /// The policy the regime follows: the party line, moved toward the Congress of Soviets'
    /// position by the Congress's say (nothing under party dictatorship). Legitimacy answers
    /// to the policy; what members echo is the line.
    pub fn policy(&self) -> Opinion {
        let line = self.line();
        let w = self.regime.congress_say.clamp(0.0, 1.0);
        let c = self.regime.congress_position;
        Opinion::new(
            line.authority + w * (c.authority - line.authority),
            line.property + w * (c.property - line.property),
        )
    }

    /// Whether agent `i` is a member of the ruling party.
    #[inline]
    pub fn is_ruling_member(&self, i: usize) -> bool {
        self.agents.party[i] == self.regime.ruling_party
    }

    /// Whether agent `i` holds an office (appointed or elected official, or leader).
    #[inline]
    pub fn is_official(&self, i: usize) -> bool {
        matches!(self.agents.role[i], Role::Official | Role::Leader)
    }

    /// Bytes per agent of everything in the world that grows with the population: the
    /// columns, the ties (with their offsets), the step's reusable buffers and the locality
    /// index. What is left (places, parties, soviets, the series) does not grow with it.
    pub fn bytes_per_agent(&self) -> f64 {
        let bytes = self.agents.column_bytes()
            + self.network.bytes()
            + self.scratch.bytes()
            + self.locality_index.bytes();
        bytes as f64 / self.agents.len().max(1) as f64
    }

    /// Number of agents present in civil life (quiet, active or underground).
    pub fn present_count(&self) -> usize {
        self.agents.state.iter().filter(|s| s.is_present()).count()
    }

    /// The population the per-1,000 rates refer to: present plus jailed.
    pub fn home_population(&self) -> usize {
        self.agents
            .state
            .iter()
            .filter(|s| s.is_present() || **s == State::Jailed)
            .count()
    }
}

/// How strongly agent `i` falsifies: either fear or loyalty is enough, so the pressures
/// combine as 1 - (1 - fear) (1 - loyalty). A product would let an unafraid but loyal member
/// speak freely, against the essays' picture of loyal members who keep quiet and obey.
#[inline]
pub fn falsification_pressure(p: &OpinionParams, fear: f64, loyalty: f64) -> f64 {
    (1.0 - (1.0 - p.fear_weight * fear) * (1.0 - p.loyalty_weight * loyalty)).clamp(0.0, 1.0)
}

impl World {
    /// Recomputes every expressed opinion from the private one and today's line: the end of
    /// the opinion rule (phase 4), and the start of a world just built.
    pub fn express_opinions(&mut self) {
        let p = self.rules.opinion;
        let line = self.line();
        let a = &mut self.agents;
        for i in 0..a.len() {
            a.express(i, &p, line);
        }
    }
}
