//! The state of one simulated world: agents as columns, their tie network, localities and
//! workplaces, parties, the environment, the regime and the dated events. The model has no
//! I/O, no threads, no clock and no globals: a world is built from a [`Setup`] and a random
//! stream, and the rules in [`crate::rules`] move it forward one step at a time.

mod agents;
mod build;
mod calendar;
mod decisions;
mod environment;
mod events;
mod institutions;
pub mod invariants;
pub mod measures;
mod network;
pub mod params;
mod setup;
mod world;

pub use agents::{AgentId, Agents, Class, NONE, Opinion, Role, State};
pub use build::apportion;
pub use calendar::{Calendar, StepKind};
pub use decisions::{
    Decision, DecisionMode, DecisionModes, DecisionRecord, LeadershipState, Order, OrderTarget,
    TargetKind,
};
pub use environment::{Conditions, Environment, SERIES_NAMES, Series};
pub use events::{Action, Event, ShockAttribute};
pub use institutions::{
    CongressRecord, Faction, LocalityIndex, PartyLife, Pending, PurgeTarget, Seat, SeatMode, Soviet,
};
pub use network::Network;
pub use params::{Rules, Target};
pub use setup::{ClassValues, OpinionStart, OpinionStarts, PartySetup, Population, Setup};
pub use world::{
    Locality, Party, PartyStatus, RegimeState, Scratch, StepCounters, Workplace, World,
    falsification_pressure,
};
