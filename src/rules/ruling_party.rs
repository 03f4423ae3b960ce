//! Phase 6, the ruling party's life: recruitment, purges and congresses.
//!
//! Recruitment follows a policy: workers only (the Lenin levy), open to anyone who agrees with
//! the line, or careerist (office requires a party card, so office holders join and agreement
//! matters less). A purge, called by an event, expels careerists, critics or the members of a
//! named faction. Congresses meet at an interval; their delegates are elected by the members,
//! each list (the mainstream and every legal faction) winning delegates in proportion to its
//! votes, or effectively appointed by the apparatus. The congress moves the line toward the
//! weighted mean of its delegates' positions, where officials and leaders weigh more, and
//! re-forms the central committee. Mobilisation of members to the front is part of the
//! demography rule (`member_mobilisation`).

use super::rates::{per_step, unit};
use crate::model::params::{CongressMode, Recruitment};
use crate::model::{Class, NONE, Opinion, PurgeTarget, Role, State, World};
use crate::rng::{self, SimRng};

/// Expels agent `i` from the ruling party: office and police posts go with the card; an
/// expelled member in the underground stays in his group.
pub fn expel(world: &mut World, i: usize) {
    let a = &mut world.agents;
    a.party[i] = NONE;
    a.loyalty[i] = 0.0;
    a.careerist[i] = false;
    if a.state[i] != State::Underground {
        a.faction[i] = NONE;
    }
    if matches!(a.role[i], Role::Official | Role::Leader | Role::Chekist) {
        a.role[i] = Role::None;
        a.elected[i] = false;
    }
    world.party_life.expelled += 1;
}

/// Makes agent `i` a member of the ruling party.
pub fn admit(world: &mut World, i: usize, careerist: bool, rng: &mut SimRng) {
    let a = &mut world.agents;
    a.party[i] = world.regime.ruling_party;
    a.faction[i] = NONE;
    a.loyalty[i] = rng::normal_unit(rng, 0.5, 0.15);
    a.careerist[i] = careerist;
    world.party_life.members_ever += 1;
}

fn recruit(world: &mut World, rng: &mut SimRng) {
    let p = world.rules.ruling_party;
    let weeks = world.weeks();
    let line = world.line();
    let careerist = p.recruitment == Recruitment::Careerist;
    let bound = if careerist {
        2.0 * p.recruitment_distance
    } else {
        p.recruitment_distance
    };
    // Every candidate below has at most the chance of the most militant; the candidates are
    // walked with a countdown at that chance (`rng::Countdown`), and one picked out is taken
    // if it is close enough to the line, with its own chance over the highest (thinning): the
    // same law as a draw for each, at a draw per success, and no distance worked out for the
    // others.
    let highest = per_step(p.recruitment_rate * 2.0, weeks);
    let mut picked = rng::Countdown::new(rng, highest);
    for i in 0..world.agents.len() {
        let a = &world.agents;
        if a.party[i] != NONE || !a.state[i].is_visible() || a.faction[i] != NONE {
            continue;
        }
        let class = a.class[i];
        if careerist && world.is_official(i) {
            // Office requires a card.
            admit(world, i, true, rng);
            continue;
        }
        let eligible = match p.recruitment {
            Recruitment::WorkersOnly => class == Class::Worker,
            Recruitment::Open | Recruitment::Careerist => true,
        };
        if !eligible || !picked.hit(rng) || a.expressed(i).distance(line) > bound {
            continue;
        }
        let own = per_step(p.recruitment_rate * 2.0 * a.militancy[i], weeks);
        if rng::chance(rng, own / highest) {
            admit(world, i, careerist && class != Class::Worker, rng);
        }
    }
}

/// Whether member `i` is passive (loyalty below `passive_loyalty`) or alien: of a class
/// other than the workers, holding no office.
#[inline]
fn passive_or_alien(world: &World, i: usize) -> bool {
    let a = &world.agents;
    a.loyalty[i] < world.rules.ruling_party.passive_loyalty
        || (a.class[i] != Class::Worker && matches!(a.role[i], Role::None | Role::Delegate))
}

/// Whether member `i` is among a purge's targets.
fn purged(world: &World, i: usize, target: &PurgeTarget, faction: u32) -> bool {
    let a = &world.agents;
    match target {
        // Every general purge also goes after the passive and the alien: members whose
        // attachment to the party has withered, and rank-and-file members of the
        // non-proletarian classes (the 1921 purge's "passive and alien elements", which fell
        // hardest on the peasants who had joined through the army).
        PurgeTarget::Careerists => {
            a.careerist[i] || a.class[i] == Class::Specialist || passive_or_alien(world, i)
        }
        PurgeTarget::Critics => {
            a.expressed(i).distance(world.line()) > world.rules.ruling_party.critic_distance
                || (a.faction[i] != NONE
                    && world.rules.factions.banned
                    && world.factions[a.faction[i] as usize].condemned)
                || passive_or_alien(world, i)
        }
        PurgeTarget::Faction(_) => faction != NONE && a.faction[i] == faction,
    }
}

fn purge(world: &mut World, target: &PurgeTarget, level: f64, rng: &mut SimRng) {
    let faction = match target {
        PurgeTarget::Faction(name) => world
            .factions
            .iter()
            .position(|f| f.name == *name)
            .map_or(NONE, |k| k as u32),
        _ => NONE,
    };
    let (mut members, mut expelled) = (0usize, 0usize);
    for i in 0..world.agents.len() {
        let state = world.agents.state[i];
        if !world.is_ruling_member(i) || !(state.is_present() || state == State::Jailed) {
            continue;
        }
        members += 1;
        if purged(world, i, target, faction) && rng::chance(rng, level) {
            expel(world, i);
            expelled += 1;
        }
    }
    // A purge of one faction is an expulsion, not a general purge: it leaves the measure of
    // the last general purge as it was.
    if !matches!(target, PurgeTarget::Faction(_)) && members > 0 {
        world.party_life.last_purge_share = expelled as f64 / members as f64;
    }
}

/// Whether agent `i` holds office by appointment rather than election.
#[inline]
fn appointed_office(world: &World, i: usize) -> bool {
    world.is_official(i) && !world.agents.elected[i]
}

/// The mean private opinion of the sitting central committee, if it has anyone present.
fn committee_view(world: &World) -> Option<Opinion> {
    let a = &world.agents;
    let (mut sa, mut sp, mut n) = (0.0, 0.0, 0usize);
    for i in 0..a.len() {
        if a.role[i] == Role::Leader && a.state[i].is_present() {
            sa += a.private_authority[i];
            sp += a.private_property[i];
            n += 1;
        }
    }
    (n > 0).then(|| Opinion::new(sa / n as f64, sp / n as f64))
}

/// A congress: delegates chosen, the line moved, the central committee re-formed.
fn congress(world: &mut World, rng: &mut SimRng) {
    let p = world.rules.ruling_party;
    let line = world.line();
    let legal = !world.rules.factions.banned && world.rules.factions.enabled;
    // Lists: 0 is the mainstream, then each living faction while factions are legal.
    let mut lists: Vec<(u32, Opinion)> = vec![(NONE, line)];
    if legal {
        for (k, f) in world.factions.iter().enumerate() {
            if f.alive {
                lists.push((k as u32, f.platform));
            }
        }
    }
    let mut voters: Vec<Vec<u32>> = vec![Vec::new(); lists.len()];
    let a = &world.agents;
    for i in 0..a.len() {
        if !world.is_ruling_member(i) || !a.state[i].is_visible() {
            continue;
        }
        let own = lists
            .iter()
            .position(|l| l.0 != NONE && l.0 == a.faction[i]);
        let choice = own.unwrap_or_else(|| {
            let view = a.expressed(i);
            let mut best = 0;
            for k in 1..lists.len() {
                if view.distance(lists[k].1) < view.distance(lists[best].1) {
                    best = k;
                }
            }
            best
        });
        voters[choice].push(i as u32);
    }
    let total: usize = voters.iter().map(Vec::len).sum();
    if total == 0 {
        return;
    }
    let seats = (p.delegates as usize).min(total);
    let mut delegates: Vec<(u32, usize)> = Vec::with_capacity(seats);
    let elected = p.congress == CongressMode::Elected;
    if elected {
        let shares: Vec<f64> = voters.iter().map(|v| v.len() as f64).collect();
        let won = crate::model::apportion(seats as u32, &shares);
        for (k, list) in voters.iter().enumerate() {
            // Weighted sampling without replacement (exponential keys): office holders are
            // likelier to be sent.
            let mut keyed: Vec<(f64, u32)> = list
                .iter()
                .map(|&i| {
                    let w = if world.is_official(i as usize) {
                        1.0 + p.apparatus_influence
                    } else {
                        1.0
                    };
                    (-libm::log(1.0 - rng::uniform(rng)) / w, i)
                })
                .collect();
            keyed.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
            delegates.extend(keyed.iter().take(won[k] as usize).map(|&(_, i)| (i, k)));
        }
    } else {
        let mut all: Vec<u32> = voters.iter().flatten().copied().collect();
        let score = |i: u32| {
            let i = i as usize;
            a.loyalty[i] - a.expressed(i).distance(line)
                + if world.is_official(i) { 1.0 } else { 0.0 }
        };
        all.sort_by(|&x, &y| score(y).total_cmp(&score(x)).then(x.cmp(&y)));
        delegates.extend(all.iter().take(seats).map(|&i| (i, 0)));
    }
    // The line moves toward the delegates' weighted position.
    let ruling = world.regime.ruling_party as usize;
    let retreat = line.property - world.parties[ruling].platform.property;
    let (mut wa, mut wp, mut weight, mut appointed) = (0.0, 0.0, 0.0, 0.0);
    let mut counts = vec![0u32; lists.len()];
    for &(i, k) in &delegates {
        let i = i as usize;
        let w = match world.agents.role[i] {
            Role::Leader => p.leader_weight,
            Role::Official => p.official_weight,
            _ => 1.0,
        };
        // Mainstream delegates echo today's line, concessions included; the platform the
        // congress adopts is the party's own aim, so the retreat is taken back out of what
        // they say (otherwise each congress would add the concession again). Faction
        // delegates carry their platform, which never contained it.
        // Delegates who hold office by appointment are the apparatus: they do not echo the
        // line, they make it, so their own private view is what they bring (and privilege has
        // been pulling it toward authority: phase 4).
        let position = if k == 0 && appointed_office(world, i) {
            world.agents.private(i)
        } else if k == 0 {
            let said = world.agents.expressed(i);
            Opinion::new(said.authority, said.property - retreat)
        } else {
            lists[k].1
        };
        wa += w * position.authority;
        wp += w * position.property;
        weight += w;
        if appointed_office(world, i) {
            appointed += w;
        }
        counts[k] += 1;
    }
    if weight > 0.0 {
        let old = world.parties[ruling].platform;
        let u = unit(p.line_update);
        // Doctrine (`[rules.leadership] doctrine`): the outgoing central committee puts its
        // own private view in place of the delegates' by that share, whatever they said.
        let mut target = Opinion::new(wa / weight, wp / weight);
        if let Some(committee) = committee_view(world) {
            let d = unit(world.rules.leadership.doctrine);
            target = Opinion::new(
                target.authority + d * (committee.authority - target.authority),
                target.property + d * (committee.property - target.property),
            );
        }
        world.parties[ruling].platform = Opinion::new(
            unit(old.authority + u * (target.authority - old.authority)),
            unit(old.property + u * (target.property - old.property)),
        );
    }
    let record = &mut world.party_life.congress;
    record.delegates = delegates.len() as u32;
    record.elected = if elected { delegates.len() as u32 } else { 0 };
    record.faction_pluralism =
        crate::model::measures::effective_number(&counts, delegates.len() as u32);
    record.oligarchy = if weight > 0.0 {
        appointed / weight
    } else {
        0.0
    };

    // The central committee: the delegates nearest the new line, the most loyal first.
    let line = world.line();
    let a = &world.agents;
    let mut ranked: Vec<u32> = delegates.iter().map(|&(i, _)| i).collect();
    let score = |i: u32| a.loyalty[i as usize] - a.expressed(i as usize).distance(line);
    ranked.sort_by(|&x, &y| score(y).total_cmp(&score(x)).then(x.cmp(&y)));
    ranked.truncate(p.central_committee as usize);
    for i in 0..world.agents.len() {
        if world.agents.role[i] == Role::Leader {
            // Former leaders step down; the bureaucracy may hire them again like anyone.
            world.agents.role[i] = Role::None;
            world.agents.elected[i] = false;
        }
    }
    for &i in &ranked {
        world.agents.role[i as usize] = Role::Leader;
        world.agents.elected[i as usize] = elected;
    }
}

pub fn apply(world: &mut World, rng: &mut SimRng) {
    let p = world.rules.ruling_party;
    if world.regime.restored {
        return;
    }
    recruit(world, rng);
    let purges = std::mem::take(&mut world.pending.purges);
    for (target, level) in &purges {
        purge(world, target, *level, rng);
    }
    world.pending.purges = purges;
    let interval = ((p.congress_interval_weeks / world.weeks().max(1e-9)).round() as u32).max(1);
    let due = world
        .party_life
        .last_congress
        .is_none_or(|last| world.step >= last + interval);
    if due {
        congress(world, rng);
        world.party_life.last_congress = Some(world.step);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Faction;
    use crate::testing::{small_world, visible_members};

    /// A faction at `platform` holding every `every`-th visible member.
    fn with_faction(world: &mut World, platform: Opinion, every: usize) {
        world.factions.push(Faction {
            name: "opposition".into(),
            platform,
            alive: true,
            born: 0,
            condemned: false,
        });
        for (k, i) in visible_members(world).into_iter().enumerate() {
            if k % every == 0 {
                world.agents.faction[i] = 0;
            }
        }
    }

    #[test]
    fn a_legal_faction_with_a_quarter_of_the_delegates_pulls_the_line() {
        let (mut legal, mut rng) = small_world(3000, 50);
        let platform = Opinion::new(0.1, 0.1);
        with_faction(&mut legal, platform, 4);
        let mut banned = legal.clone();
        banned.rules.factions.banned = true;
        let before = legal.line();
        congress(&mut legal, &mut rng.clone());
        congress(&mut banned, &mut rng);
        let record = legal.party_life.congress;
        assert!(
            record.faction_pluralism > 1.4,
            "{}",
            record.faction_pluralism
        );
        assert_eq!(banned.party_life.congress.faction_pluralism, 1.0);
        let moved = before.distance(platform) - legal.line().distance(platform);
        let moved_banned = before.distance(platform) - banned.line().distance(platform);
        assert!(moved > moved_banned + 0.01, "{moved} vs {moved_banned}");
    }

    #[test]
    fn appointed_congresses_elect_nobody_and_officials_weigh_in_the_oligarchy() {
        let (mut world, mut rng) = small_world(3000, 51);
        for (k, i) in visible_members(&world).into_iter().enumerate() {
            if k % 3 == 0 {
                world.agents.role[i] = Role::Official;
            }
        }
        let mut appointed = world.clone();
        appointed.rules.ruling_party.congress = CongressMode::Appointed;
        congress(&mut world, &mut rng.clone());
        congress(&mut appointed, &mut rng);
        let e = world.party_life.congress;
        let a = appointed.party_life.congress;
        assert_eq!(e.elected, e.delegates);
        assert_eq!(a.elected, 0);
        assert!(a.delegates > 0);
        // The apparatus sends its own: more of the weight comes from appointed office.
        assert!(
            a.oligarchy > e.oligarchy,
            "{} vs {}",
            a.oligarchy,
            e.oligarchy
        );
        let leaders = (0..world.agents.len())
            .filter(|&i| world.agents.role[i] == Role::Leader)
            .count();
        assert_eq!(leaders, world.rules.ruling_party.central_committee as usize);
    }

    #[test]
    fn appointed_officials_bring_their_own_views_to_the_line_and_the_rest_echo_it() {
        // Every member echoes the line aloud; the officials privately want more authority.
        let (mut world, mut rng) = small_world(3000, 52);
        world.rules.leadership.doctrine = 0.0;
        let line = world.line();
        for (k, i) in visible_members(&world).into_iter().enumerate() {
            world.agents.expressed_authority[i] = line.authority;
            world.agents.expressed_property[i] = line.property;
            if k % 2 == 0 {
                world.agents.role[i] = Role::Official;
                world.agents.elected[i] = false;
                world
                    .agents
                    .set_private(i, Opinion::new(1.0, line.property));
            }
        }
        let mut elected_officials = world.clone();
        for i in 0..elected_officials.agents.len() {
            if elected_officials.agents.role[i] == Role::Official {
                elected_officials.agents.elected[i] = true;
            }
        }
        congress(&mut world, &mut rng.clone());
        congress(&mut elected_officials, &mut rng);
        assert!(
            world.line().authority > line.authority + 0.02,
            "{} vs {}",
            world.line().authority,
            line.authority
        );
        assert!((elected_officials.line().authority - line.authority).abs() < 1e-9);
    }

    #[test]
    fn workers_only_recruitment_admits_only_workers_and_open_admits_others() {
        for (policy, others_expected) in
            [(Recruitment::WorkersOnly, false), (Recruitment::Open, true)]
        {
            let (mut world, mut rng) = small_world(2000, 52);
            world.rules.ruling_party.recruitment = policy;
            world.rules.ruling_party.recruitment_rate = 0.5;
            world.rules.ruling_party.recruitment_distance = 1.0;
            let before: Vec<bool> = (0..2000).map(|i| world.is_ruling_member(i)).collect();
            recruit(&mut world, &mut rng);
            let joined: Vec<usize> = (0..2000)
                .filter(|&i| !before[i] && world.is_ruling_member(i))
                .collect();
            assert!(!joined.is_empty());
            let others = joined
                .iter()
                .any(|&i| world.agents.class[i] != Class::Worker);
            assert_eq!(others, others_expected, "{policy:?}");
            assert_eq!(
                world.party_life.members_ever as usize,
                before.iter().filter(|b| **b).count() + joined.len()
            );
        }
    }

    #[test]
    fn careerist_recruitment_gives_every_office_holder_a_card() {
        let (mut world, mut rng) = small_world(2000, 53);
        world.rules.ruling_party.recruitment = Recruitment::Careerist;
        let official = (0..2000)
            .find(|&i| !world.is_ruling_member(i) && world.agents.party[i] == NONE)
            .unwrap();
        world.agents.role[official] = Role::Official;
        recruit(&mut world, &mut rng);
        assert!(world.is_ruling_member(official));
        assert!(world.agents.careerist[official]);
    }

    #[test]
    fn a_purge_of_critics_expels_critics_and_spares_the_loyal() {
        let (mut world, mut rng) = small_world(2000, 54);
        let line = world.line();
        let members = visible_members(&world);
        for (k, &i) in members.iter().enumerate() {
            let o = if k % 2 == 0 {
                Opinion::new(1.0 - line.authority, 1.0 - line.property)
            } else {
                line
            };
            world.agents.expressed_authority[i] = o.authority;
            world.agents.expressed_property[i] = o.property;
            // Loyal workers all: neither passive nor alien.
            world.agents.loyalty[i] = 1.0;
            world.agents.class[i] = Class::Worker;
        }
        purge(&mut world, &PurgeTarget::Critics, 1.0, &mut rng);
        for (k, &i) in members.iter().enumerate() {
            assert_eq!(world.is_ruling_member(i), k % 2 == 1, "member {k}");
        }
        assert_eq!(
            world.party_life.expelled as usize,
            members.len().div_ceil(2)
        );
    }

    #[test]
    fn under_a_ban_a_purge_of_critics_takes_condemned_factions_only() {
        for condemned in [false, true] {
            let (mut world, mut rng) = small_world(2000, 56);
            let line = world.line();
            world.rules.factions.banned = true;
            world.factions.push(Faction {
                name: "opposition".into(),
                platform: line,
                alive: true,
                born: 0,
                condemned,
            });
            let members = visible_members(&world);
            for (k, &i) in members.iter().enumerate() {
                // Loyal workers who say what the line says; every other one in the faction.
                world.agents.expressed_authority[i] = line.authority;
                world.agents.expressed_property[i] = line.property;
                world.agents.loyalty[i] = 1.0;
                world.agents.class[i] = Class::Worker;
                world.agents.careerist[i] = false;
                world.agents.faction[i] = if k % 2 == 0 { 0 } else { NONE };
            }
            purge(&mut world, &PurgeTarget::Critics, 1.0, &mut rng);
            let expected = if condemned {
                members.len().div_ceil(2)
            } else {
                0
            };
            assert_eq!(world.party_life.expelled as usize, expected, "{condemned}");
        }
    }

    #[test]
    fn a_general_purge_takes_the_passive_and_the_alien_and_records_its_share() {
        let (mut world, mut rng) = small_world(2000, 55);
        let line = world.line();
        let members = visible_members(&world);
        assert_eq!(world.party_life.last_purge_share, 0.0);
        // A quarter passive workers, a quarter peasants without office, the rest loyal
        // workers; everyone says what the line says.
        for (k, &i) in members.iter().enumerate() {
            world.agents.expressed_authority[i] = line.authority;
            world.agents.expressed_property[i] = line.property;
            world.agents.role[i] = Role::None;
            world.agents.careerist[i] = false;
            let (class, loyalty) = match k % 4 {
                0 => (Class::Worker, 0.1),
                1 => (Class::Peasant, 1.0),
                _ => (Class::Worker, 1.0),
            };
            world.agents.class[i] = class;
            world.agents.loyalty[i] = loyalty;
        }
        purge(&mut world, &PurgeTarget::Careerists, 1.0, &mut rng);
        for (k, &i) in members.iter().enumerate() {
            assert_eq!(world.is_ruling_member(i), k % 4 >= 2, "member {k}");
        }
        let share = world.party_life.last_purge_share;
        assert!((share - 0.5).abs() < 0.01, "{share}");
        // Expelling one faction is not a general purge: the share stays.
        purge(
            &mut world,
            &PurgeTarget::Faction("nobody".into()),
            1.0,
            &mut rng,
        );
        assert_eq!(world.party_life.last_purge_share, share);
    }

    #[test]
    fn a_purge_of_a_named_faction_takes_only_its_members() {
        let (mut world, mut rng) = small_world(2000, 55);
        with_faction(&mut world, Opinion::new(0.2, 0.1), 3);
        let members = visible_members(&world);
        purge(
            &mut world,
            &PurgeTarget::Faction("opposition".into()),
            1.0,
            &mut rng,
        );
        for (k, &i) in members.iter().enumerate() {
            assert_eq!(world.is_ruling_member(i), k % 3 != 0);
        }
    }
}
