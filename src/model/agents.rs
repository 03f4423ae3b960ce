//! The people of the model, stored as columns (structure of arrays): attribute `x` of agent
//! `i` is `agents.x[i]`. Agents are never removed during a run; their `state` says whether
//! they are present, away, jailed or dead, so ids stay stable and every rule can index columns
//! directly.

/// An agent's index into every column.
pub type AgentId = u32;

/// Marks "no workplace", "no party" and similar absent links in integer columns.
pub const NONE: u32 = u32::MAX;

/// Social class (docs/model.md, "Agents").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Class {
    Worker = 0,
    Peasant = 1,
    Soldier = 2,
    /// Former owners, managers and technical staff.
    Specialist = 3,
}

impl Class {
    pub const ALL: [Class; 4] = [
        Class::Worker,
        Class::Peasant,
        Class::Soldier,
        Class::Specialist,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Class::Worker => "worker",
            Class::Peasant => "peasant",
            Class::Soldier => "soldier",
            Class::Specialist => "specialist",
        }
    }

    /// Workers and specialists live in towns and hold a workplace.
    pub fn is_urban(self) -> bool {
        matches!(self, Class::Worker | Class::Specialist)
    }
}

/// What an agent is doing, exactly one at a time. `Front` and `Emigrated` extend the brief's
/// list: a mobilised soldier and an émigré are neither present nor departed-and-returning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum State {
    Quiet = 0,
    /// Protesting or on strike.
    Active = 1,
    /// In jail until `release_step`.
    Jailed = 2,
    /// Hidden from public life, organising illegally.
    Underground = 3,
    /// Mobilised to the front.
    Front = 4,
    /// Left the city for the countryside; may come back.
    Departed = 5,
    /// Left the country for good.
    Emigrated = 6,
    Dead = 7,
}

impl State {
    /// Present in civil life: counted in the population whose shares the metrics report.
    #[inline]
    pub fn is_present(self) -> bool {
        matches!(self, State::Quiet | State::Active | State::Underground)
    }

    /// Living openly in the locality: seen by neighbours and the police, able to protest.
    #[inline]
    pub fn is_visible(self) -> bool {
        matches!(self, State::Quiet | State::Active)
    }
}

/// The agent's position in the institutions (docs/model.md, "Roles").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Role {
    None = 0,
    /// A delegate of a soviet.
    Delegate = 1,
    /// An appointed or elected office holder: state, party apparatus, manager, union.
    Official = 2,
    /// A member of the political police.
    Chekist = 3,
    /// A member of the central committee.
    Leader = 4,
}

/// A point in opinion space: `authority` (0 self-management, 1 central command) and
/// `property` (0 socialised production, 1 private property and restoration).
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Opinion {
    pub authority: f64,
    pub property: f64,
}

impl Opinion {
    pub const fn new(authority: f64, property: f64) -> Opinion {
        Opinion {
            authority,
            property,
        }
    }

    /// Euclidean distance, divided by the diagonal so that it lies in [0, 1].
    #[inline]
    pub fn distance(self, other: Opinion) -> f64 {
        let da = self.authority - other.authority;
        let dp = self.property - other.property;
        (da * da + dp * dp).sqrt() / std::f64::consts::SQRT_2
    }
}

/// Every agent attribute, one column each.
#[derive(Clone, Debug, Default)]
pub struct Agents {
    pub class: Vec<Class>,
    /// Index of the locality the agent lives in (its soviet constituency).
    pub locality: Vec<u32>,
    /// Index of the workplace, or [`NONE`] for agents without one (peasants, soldiers).
    pub workplace: Vec<u32>,
    /// Private opinion, one column per axis.
    pub private_authority: Vec<f64>,
    pub private_property: Vec<f64>,
    /// Expressed (public) opinion, one column per axis.
    pub expressed_authority: Vec<f64>,
    pub expressed_property: Vec<f64>,
    /// Hardship H in [0, 1].
    pub hardship: Vec<f64>,
    /// Legitimacy L in [0, 1]: how rightful the agent holds the regime to be.
    pub legitimacy: Vec<f64>,
    /// Vulnerability in [0, 1], fixed at birth: how hard the same conditions hit this agent
    /// (household, health, savings). Gives hardship the spread Epstein's model draws at random.
    pub vulnerability: Vec<f64>,
    /// Risk aversion R in [0, 1], fixed at birth.
    pub risk_aversion: Vec<f64>,
    /// Militancy M in [0, 1]: propensity to attend, vote, strike and organise.
    pub militancy: Vec<f64>,
    /// Loyalty in [0, 1] to the agent's party (0 for non-members).
    pub loyalty: Vec<f64>,
    /// Privilege in [0, 1]: the material advantage of office.
    pub privilege: Vec<f64>,
    /// Fear in [0, 1], raised by witnessed repression and decaying without it.
    pub fear: Vec<f64>,
    pub state: Vec<State>,
    /// The step at which a jailed agent is released (meaningful only while `Jailed`).
    pub release_step: Vec<u32>,
    /// Index of the agent's party, or [`NONE`].
    pub party: Vec<u32>,
    /// Index of the agent's faction inside the ruling party (or of the underground group that
    /// grew out of it, which non-members may join), or [`NONE`].
    pub faction: Vec<u32>,
    pub role: Vec<Role>,
    /// Has served at the front and come back (demobilised commanders carry army habits).
    pub veteran: Vec<bool>,
    /// Holds the current office or seat by election (and so can be recalled).
    pub elected: Vec<bool>,
    /// Joined the ruling party for the sake of office.
    pub careerist: Vec<bool>,
}

impl Agents {
    pub fn len(&self) -> usize {
        self.class.len()
    }

    pub fn is_empty(&self) -> bool {
        self.class.is_empty()
    }

    #[inline]
    pub fn private(&self, i: usize) -> Opinion {
        Opinion::new(self.private_authority[i], self.private_property[i])
    }

    #[inline]
    pub fn expressed(&self, i: usize) -> Opinion {
        Opinion::new(self.expressed_authority[i], self.expressed_property[i])
    }

    #[inline]
    pub fn set_private(&mut self, i: usize, o: Opinion) {
        self.private_authority[i] = o.authority.clamp(0.0, 1.0);
        self.private_property[i] = o.property.clamp(0.0, 1.0);
    }

    /// Sets what agent `i` says: its private view pulled toward `line` by the falsification
    /// pressure of its fear and loyalty.
    #[inline(always)]
    pub fn express(&mut self, i: usize, p: &crate::model::params::OpinionParams, line: Opinion) {
        let s = crate::model::falsification_pressure(p, self.fear[i], self.loyalty[i]);
        self.expressed_authority[i] =
            self.private_authority[i] + s * (line.authority - self.private_authority[i]);
        self.expressed_property[i] =
            self.private_property[i] + s * (line.property - self.private_property[i]);
    }

    /// Bytes of column storage per agent, for the memory estimate in the docs and the CLI
    /// ([`Agents::column_bytes`] measures it on real columns, and a test holds the two equal).
    pub const BYTES_PER_AGENT: usize = 1 // class
        + 4 + 4 // locality, workplace
        + 8 * 12 // the twelve f64 columns
        + 1 + 4 + 4 + 4 + 1 + 1 // state, release, party, faction, role, veteran
        + 1 + 1; // elected, careerist

    /// Bytes the columns hold, from each column's length and element size.
    pub fn column_bytes(&self) -> usize {
        fn bytes<T>(column: &[T]) -> usize {
            std::mem::size_of_val(column)
        }
        bytes(&self.class)
            + bytes(&self.locality)
            + bytes(&self.workplace)
            + bytes(&self.private_authority)
            + bytes(&self.private_property)
            + bytes(&self.expressed_authority)
            + bytes(&self.expressed_property)
            + bytes(&self.hardship)
            + bytes(&self.legitimacy)
            + bytes(&self.vulnerability)
            + bytes(&self.risk_aversion)
            + bytes(&self.militancy)
            + bytes(&self.loyalty)
            + bytes(&self.privilege)
            + bytes(&self.fear)
            + bytes(&self.state)
            + bytes(&self.release_step)
            + bytes(&self.party)
            + bytes(&self.faction)
            + bytes(&self.role)
            + bytes(&self.veteran)
            + bytes(&self.elected)
            + bytes(&self.careerist)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::small_world;

    /// The constant the docs and the scenario checker use is what the columns really take: a
    /// column whose type changes without the constant fails here.
    #[test]
    fn bytes_per_agent_is_what_the_columns_hold() {
        let (world, _) = small_world(3000, 1);
        let a = &world.agents;
        assert_eq!(a.column_bytes(), a.len() * Agents::BYTES_PER_AGENT);
    }

    /// Everything that grows with the population, after a few steps have sized the step's
    /// buffers: at most the figure `docs/performance.md` gives ("Memory per agent").
    #[test]
    fn a_world_holds_at_most_the_documented_bytes_per_agent() {
        let (mut world, mut rng) = small_world(20_000, 2);
        for s in 0..5 {
            world.step = s;
            crate::rules::step(&mut world, &mut rng);
        }
        let bytes = world.bytes_per_agent();
        eprintln!("bytes per agent: {bytes:.1}");
        assert!(bytes > Agents::BYTES_PER_AGENT as f64);
        assert!(
            bytes <= DOCUMENTED_BYTES_PER_AGENT,
            "{bytes:.1} bytes per agent"
        );
    }

    /// "Memory per agent" in `docs/performance.md`.
    const DOCUMENTED_BYTES_PER_AGENT: f64 = 200.0;
}
