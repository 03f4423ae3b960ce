//! Phase 1, environment and events: today's values of the dated series, and the events dated
//! today. Switching it off freezes the world's conditions at their starting values and ignores
//! every event, which is the "nothing happens" control experiment.

use serde::{Deserialize, Serialize};

use crate::model::World;

/// `[rules.environment]`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EnvironmentParams {
    /// Apply the series and the events (default: true).
    pub enabled: bool,
}

impl Default for EnvironmentParams {
    fn default() -> Self {
        EnvironmentParams { enabled: true }
    }
}

/// Reads the series at the current step and applies every event due by it.
pub fn apply(world: &mut World) {
    world.conditions = world.environment.at(world.step as f64);
    while let Some(event) = world.events.get(world.next_event) {
        if event.step > world.step {
            break;
        }
        let event = event.clone();
        event.apply(world);
        world.next_event += 1;
    }
}
