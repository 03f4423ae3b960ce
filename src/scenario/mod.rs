//! Scenario files: the schema ([`schema`]), the checks a file must pass ([`validate`]) and the
//! resolved [`Scenario`] the model is built from. Reading a file is the caller's job; this
//! module turns its text into a scenario or into every diagnostic it deserves.

mod error;
mod schema;
mod validate;

pub use error::{Diagnostic, Diagnostics};
pub use schema::{
    ClassValues, EnvironmentSpec, EventSpec, OpinionStart, OpinionStarts, PartySpec, PartyStatus,
    PopulationSpec, ScenarioFile, StepKind,
};

use sha2::{Digest, Sha256};

use crate::model::{Calendar, Environment, Event, Opinion};
use crate::rules::Rules;

/// Most agents a scenario may ask for (about 2 GB of agent columns and ties per replicate).
pub const MAX_AGENTS: u32 = 10_000_000;

/// Most replicates a scenario may ask for.
pub const MAX_REPLICATES: u32 = 100_000;

/// A party as the model uses it.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedParty {
    pub name: String,
    pub platform: Opinion,
    pub status: PartyStatus,
    pub members: f64,
    pub restoration: bool,
}

/// A checked scenario, ready to build worlds from.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    /// SHA-256 of the file's bytes, in hex.
    pub sha256: String,
    pub calendar: Calendar,
    pub seed: u64,
    pub replicates: u32,
    pub population: PopulationSpec,
    pub environment: Environment,
    /// Parties in name order.
    pub parties: Vec<ResolvedParty>,
    pub ruling_party: u32,
    /// Rule parameters at the start.
    pub rules: Rules,
    /// Events sorted by step (stable: same-date events keep file order).
    pub events: Vec<Event>,
}

impl Scenario {
    /// Parses and checks a scenario's text; `file` names it in diagnostics.
    pub fn parse(text: &str, file: &str) -> Result<Scenario, Diagnostics> {
        let raw: ScenarioFile = toml::from_str(text).map_err(|e| {
            Diagnostics(vec![Diagnostic::at(
                file,
                text,
                e.span(),
                None,
                e.message().trim(),
            )])
        })?;
        let mut scenario = validate::resolve(&raw, text, file)?;
        scenario.sha256 = hex_sha256(text.as_bytes());
        Ok(scenario)
    }

    /// Number of steps.
    pub fn steps(&self) -> u32 {
        self.calendar.steps
    }

    /// Number of agents.
    pub fn agents(&self) -> u32 {
        *self.population.agents.get_ref()
    }
}

/// SHA-256 of some bytes, as lowercase hex.
pub fn hex_sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
