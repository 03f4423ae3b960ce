//! Dated events, resolved from the scenario: what each does to the world when its step comes.

use super::{Class, Opinion, Order, PartyStatus, PurgeTarget, World};

/// The attribute a `shock` event moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShockAttribute {
    Legitimacy,
    Hardship,
    Fear,
}

impl ShockAttribute {
    pub const NAMES: [&str; 3] = ["legitimacy", "hardship", "fear"];

    pub fn parse(name: &str) -> Option<ShockAttribute> {
        match name {
            "legitimacy" => Some(ShockAttribute::Legitimacy),
            "hardship" => Some(ShockAttribute::Hardship),
            "fear" => Some(ShockAttribute::Fear),
            _ => None,
        }
    }
}

/// What an event does.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Set one rule parameter, `rules.<rule>.<parameter>` (checked when the scenario was
    /// read). Only that parameter changes: whatever the leadership's decisions changed in the
    /// rules before the event stays as they left it.
    Set { path: String, value: toml::Value },
    /// Change a party's legal status.
    PartyStatus { party: u32, status: PartyStatus },
    /// Set the level of concessions (NEP).
    Concession { level: f64 },
    /// Move an attribute of every present agent (of one class, of one party's members and of
    /// one faction's members, if given; a faction by name, since factions come and go).
    Shock {
        attribute: ShockAttribute,
        delta: f64,
        class: Option<Class>,
        party: Option<u32>,
        faction: Option<String>,
    },
    /// A faction of the ruling party comes forward with a name and a platform; the `share`
    /// of members whose views lie nearest the platform sign it.
    Faction {
        name: String,
        platform: Opinion,
        share: f64,
    },
    /// A purge: each targeted member is expelled with probability `level`.
    Purge { target: PurgeTarget, level: f64 },
    /// Each soviet whose elected make-up the leadership rejects has its elected delegates
    /// replaced by an appointed list, with probability `level`.
    Override { level: f64 },
    /// Each soviet whose elected make-up the leadership rejects is dissolved, with
    /// probability `level`.
    Dissolve { level: f64 },
    /// A pinned decision, carried out by the leadership rule (phase 1c) the same step.
    Decide(Order),
}

/// An action and the step it happens at.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub step: u32,
    pub action: Action,
    /// What plots call it: the event's `id`, or its action when it has none.
    pub label: String,
}

impl Event {
    /// Applies the event to the world.
    pub fn apply(&self, world: &mut World) {
        match &self.action {
            Action::Set { path, value } => {
                // The checker applied the same change to the scenario's own course of rules,
                // so it cannot fail here; were it to, the rules stay as they are.
                if let Ok(next) = world.rules.with_set(path, value) {
                    world.rules = next;
                }
            }
            Action::PartyStatus { party, status } => {
                world.parties[*party as usize].status = *status;
            }
            Action::Concession { level } => {
                if !world.regime.restored {
                    world.regime.concession = *level;
                }
            }
            Action::Shock {
                attribute,
                delta,
                class,
                party,
                faction,
            } => {
                // A faction that is not living (or never came forward) has no members to move.
                let faction = match faction {
                    None => None,
                    Some(name) => match world
                        .factions
                        .iter()
                        .position(|f| f.alive && f.name == *name)
                    {
                        Some(k) => Some(k as u32),
                        None => return,
                    },
                };
                let a = &mut world.agents;
                let column = match attribute {
                    ShockAttribute::Legitimacy => &mut a.legitimacy,
                    ShockAttribute::Hardship => &mut a.hardship,
                    ShockAttribute::Fear => &mut a.fear,
                };
                for i in 0..a.class.len() {
                    if a.state[i].is_present()
                        && class.is_none_or(|c| a.class[i] == c)
                        && party.is_none_or(|p| a.party[i] == p)
                        && faction.is_none_or(|f| a.faction[i] == f)
                    {
                        column[i] = (column[i] + delta).clamp(0.0, 1.0);
                    }
                }
            }
            // The rest need the replicate's random stream: the rules carry them out this step.
            Action::Faction {
                name,
                platform,
                share,
            } => {
                world
                    .pending
                    .faction_seeds
                    .push((name.clone(), *platform, *share));
            }
            Action::Purge { target, level } => {
                world.pending.purges.push((target.clone(), *level));
            }
            Action::Override { level } => {
                world.pending.override_chance = world.pending.override_chance.max(*level);
            }
            Action::Dissolve { level } => {
                world.pending.dissolve_chance = world.pending.dissolve_chance.max(*level);
            }
            Action::Decide(order) => world.pending.orders.push(order.clone()),
        }
    }
}
