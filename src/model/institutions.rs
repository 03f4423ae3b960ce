//! The institutions the essays argue about: local soviets and their seats, the factions inside
//! the ruling party, the record of the party's congresses and its history of members and expulsions,
//! and the dated orders (purges, overrides, dissolutions, faction seeds) that events leave for
//! the rules to carry out with the replicate's random stream.

use super::{NONE, Opinion};

/// How a soviet seat was filled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeatMode {
    /// Won in an election where more than one list stood.
    Competitive,
    /// Won in an election with one list only.
    SingleList,
    /// Filled from above: appointed, co-opted, or imposed by an override.
    Appointed,
}

/// One seat of a local soviet.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Seat {
    /// The delegate, or [`NONE`] while the seat is vacant.
    pub holder: u32,
    /// The delegate's party when seated, or [`NONE`].
    pub party: u32,
    pub mode: SeatMode,
}

impl Seat {
    pub const VACANT: Seat = Seat {
        holder: NONE,
        party: NONE,
        mode: SeatMode::Appointed,
    };

    pub fn is_filled(&self) -> bool {
        self.holder != NONE
    }
}

/// The soviet of one locality.
#[derive(Clone, Debug, PartialEq)]
pub struct Soviet {
    pub seats: Vec<Seat>,
    /// How alive the soviet is, in [0, 1]: the chance that its plenum meets in a week.
    pub vitality: f64,
    /// The plenum's share of decisions, in [0, 1]; the rest the executive takes alone.
    pub plenum: f64,
    /// The step at which the next general election falls due.
    pub next_election: u32,
}

impl Soviet {
    pub fn new(seats: usize) -> Soviet {
        Soviet {
            seats: vec![Seat::VACANT; seats],
            vitality: 1.0,
            plenum: 1.0,
            next_election: 0,
        }
    }

    /// Share of the seats held by delegates chosen in competitive elections.
    pub fn competitive_share(&self) -> f64 {
        if self.seats.is_empty() {
            return 0.0;
        }
        let k = self
            .seats
            .iter()
            .filter(|s| s.is_filled() && s.mode == SeatMode::Competitive)
            .count();
        k as f64 / self.seats.len() as f64
    }

    /// Share of the seats filled from above.
    pub fn appointed_share(&self) -> f64 {
        if self.seats.is_empty() {
            return 0.0;
        }
        let k = self
            .seats
            .iter()
            .filter(|s| s.is_filled() && s.mode == SeatMode::Appointed)
            .count();
        k as f64 / self.seats.len() as f64
    }
}

/// A faction of the ruling party, or the underground group that grows out of one.
#[derive(Clone, Debug, PartialEq)]
pub struct Faction {
    pub name: String,
    pub platform: Opinion,
    /// False once it has too few members left; its index is never reused.
    pub alive: bool,
    /// The step it came forward at.
    pub born: u32,
    /// Condemned as a deviation: by the ban, if it stood when factions were banned, or by the
    /// leadership afterwards. Only a condemned faction's members are sanctioned under a ban;
    /// one that forms later is argued with until then.
    pub condemned: bool,
}

/// What the last congress of the ruling party was like, for the metrics.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CongressRecord {
    /// Delegates seated, and how many of them members elected.
    pub delegates: u32,
    pub elected: u32,
    /// Effective number of lists among the delegates (the mainstream counts as one).
    pub faction_pluralism: f64,
    /// Share of the weight in the line update that came from appointed office holders.
    pub oligarchy: f64,
}

/// The ruling party's own history within a run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PartyLife {
    /// Step of the last congress, if any.
    pub last_congress: Option<u32>,
    pub congress: CongressRecord,
    /// Everyone who has ever been a member, and the expulsions so far.
    pub members_ever: u64,
    pub expelled: u64,
    /// The share of the members a purge expelled, at the last purge (0 before any).
    pub last_purge_share: f64,
    /// Whether the factions rule has seen the ban in force: the step it does first, it
    /// condemns every faction then standing.
    pub ban_in_force: bool,
}

/// Whom a purge goes after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PurgeTarget {
    /// Members who joined for office, and members of property-owning classes.
    Careerists,
    /// Members who say openly that they disagree with the line.
    Critics,
    /// The members of one faction, by name.
    Faction(String),
}

impl PurgeTarget {
    /// The named targets; any other name must be a faction seeded earlier.
    pub const NAMES: [&str; 2] = ["careerists", "critics"];
}

/// Orders that events give and the rules carry out later in the same step (they need the
/// replicate's random stream, which events do not have). Cleared at the end of every step.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pending {
    /// Name, platform and the share of members who sign up.
    pub faction_seeds: Vec<(String, Opinion, f64)>,
    pub purges: Vec<(PurgeTarget, f64)>,
    /// Chance that each soviet whose elected make-up the leadership rejects is overridden.
    pub override_chance: f64,
    /// Chance that each such soviet is dissolved.
    pub dissolve_chance: f64,
    /// Pinned decisions dated today, for the leadership rule.
    pub orders: Vec<super::Order>,
}

impl Pending {
    pub fn clear(&mut self) {
        self.faction_seeds.clear();
        self.purges.clear();
        self.override_chance = 0.0;
        self.dissolve_chance = 0.0;
        self.orders.clear();
    }
}

/// Agents grouped by locality: a compressed index, rebuilt only after someone moved (a
/// transfer calls [`LocalityIndex::invalidate`]), since moves are rare and a rebuild is a
/// pass over every agent.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LocalityIndex {
    start: Vec<u32>,
    members: Vec<u32>,
    /// Whether the index matches the locality column; false until first built.
    fresh: bool,
}

impl LocalityIndex {
    /// Marks the index out of date: the next [`LocalityIndex::refresh`] rebuilds it. Whoever
    /// writes the locality column must call this.
    pub fn invalidate(&mut self) {
        self.fresh = false;
    }

    /// Rebuilds the index if someone moved since it was last built (or it never was).
    pub fn refresh(&mut self, locality: &[u32], localities: usize) {
        if !self.fresh || self.members.len() != locality.len() {
            self.rebuild(locality, localities);
        }
    }

    /// Rebuilds the index by a counting sort over `locality` (agent ids stay in order).
    pub fn rebuild(&mut self, locality: &[u32], localities: usize) {
        self.fresh = true;
        self.start.clear();
        self.start.resize(localities + 1, 0);
        for &l in locality {
            self.start[l as usize + 1] += 1;
        }
        for k in 0..localities {
            self.start[k + 1] += self.start[k];
        }
        self.members.clear();
        self.members.resize(locality.len(), 0);
        let mut next = self.start.clone();
        for (i, &l) in locality.iter().enumerate() {
            let slot = &mut next[l as usize];
            self.members[*slot as usize] = i as u32;
            *slot += 1;
        }
    }

    /// Bytes the index holds (allocated).
    pub fn bytes(&self) -> usize {
        4 * (self.start.capacity() + self.members.capacity())
    }

    /// The agents living in locality `l`, in id order.
    pub fn residents(&self, l: usize) -> &[u32] {
        if l + 1 >= self.start.len() {
            return &[];
        }
        &self.members[self.start[l] as usize..self.start[l + 1] as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_locality_index_lists_every_resident_once_in_order() {
        let mut index = LocalityIndex::default();
        index.rebuild(&[2, 0, 2, 1, 0], 3);
        assert_eq!(index.residents(0), &[1, 4]);
        assert_eq!(index.residents(1), &[3]);
        assert_eq!(index.residents(2), &[0, 2]);
        assert!(index.residents(3).is_empty());
    }

    #[test]
    fn the_locality_index_is_rebuilt_only_after_a_move() {
        let mut index = LocalityIndex::default();
        let mut locality = vec![0, 1, 1];
        index.refresh(&locality, 2);
        assert_eq!(index.residents(1), &[1, 2]);
        locality[2] = 0;
        // Without the mover's notice the index keeps what it knew...
        index.refresh(&locality, 2);
        assert_eq!(index.residents(1), &[1, 2]);
        // ...and with it, it follows the move.
        index.invalidate();
        index.refresh(&locality, 2);
        assert_eq!(index.residents(0), &[0, 2]);
        assert_eq!(index.residents(1), &[1]);
    }

    #[test]
    fn seat_shares_count_filled_seats_by_mode() {
        let mut soviet = Soviet::new(4);
        soviet.seats[0] = Seat {
            holder: 1,
            party: 0,
            mode: SeatMode::Competitive,
        };
        soviet.seats[1] = Seat {
            holder: 2,
            party: 0,
            mode: SeatMode::Appointed,
        };
        assert_eq!(soviet.competitive_share(), 0.25);
        assert_eq!(soviet.appointed_share(), 0.25);
    }
}
