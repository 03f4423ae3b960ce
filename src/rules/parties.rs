//! Phase 6, parties as platforms with a legal status. When a party is banned its
//! members leave legal life: the militant go underground, some emigrate, some are arrested,
//! the rest renounce their membership (the fate of the Mensheviks, SRs and anarchists that the
//! anarchist FAQ and the Miasnikov essay record). When a party is legal again its underground
//! members resurface. Platforms may follow their supporters (Laver's Aggregator rule) where
//! a scenario asks for it. A coalition partner leaves the government when its members no
//! longer hold it legitimate (the Left SRs after Brest-Litovsk, March 1918); from then on it
//! is a party like the others, which the leadership may harass or ban, and which may rise.
//! Life inside the ruling party is in [`super::factions`] and [`super::ruling_party`].

use super::rates::{per_step, unit};
use super::repression;
use crate::model::PartyStatus;
use crate::model::{NONE, Opinion, Role, State, World};
use crate::rng::{self, SimRng};

/// Each coalition partner whose present members' mean legitimacy has fallen below
/// `break_legitimacy` leaves the government.
pub fn break_coalitions(world: &mut World) {
    // Once every partner has left (from 1918 in the historical run), no pass is needed.
    if !world.parties.iter().any(|p| p.in_government) {
        return;
    }
    let bar = world.rules.parties.break_legitimacy;
    let a = &world.agents;
    let mut sums = vec![(0.0f64, 0u32); world.parties.len()];
    for i in 0..a.len() {
        let party = a.party[i];
        if party != NONE && a.state[i].is_present() {
            let s = &mut sums[party as usize];
            s.0 += a.legitimacy[i];
            s.1 += 1;
        }
    }
    for (k, party) in world.parties.iter_mut().enumerate() {
        let (sum, count) = sums[k];
        if party.in_government && count > 0 && sum / (count as f64) < bar {
            party.in_government = false;
        }
    }
}

pub fn apply(world: &mut World, rng: &mut SimRng) {
    let p = world.rules.parties;
    break_coalitions(world);
    let weeks = world.weeks();
    let resurface = per_step(p.resurface_rate, weeks);
    let police = world.rules.repression.enabled;
    for i in 0..world.agents.len() {
        let party = world.agents.party[i];
        if party == NONE {
            continue;
        }
        let status = world.parties[party as usize].status;
        let state = world.agents.state[i];
        if status == PartyStatus::Banned && state.is_visible() {
            let a = &mut world.agents;
            let u = rng::uniform(rng);
            let go_under = unit(p.underground_share * 2.0 * a.militancy[i]);
            let emigrate = unit(p.emigration_share * (0.5 + a.private_property[i]));
            let arrest = if police { p.arrest_share } else { 0.0 };
            if u < go_under {
                a.state[i] = State::Underground;
                if a.role[i] != Role::None {
                    a.role[i] = Role::None;
                }
            } else if u < go_under + emigrate {
                a.state[i] = State::Emigrated;
                a.role[i] = Role::None;
            } else if u < go_under + emigrate + arrest {
                repression::arrest(world, i, rng);
            } else {
                a.party[i] = NONE;
                a.loyalty[i] = 0.0;
            }
        } else if status != PartyStatus::Banned
            && state == State::Underground
            && world.agents.faction[i] == NONE
            && rng::chance(rng, resurface)
        {
            world.agents.state[i] = State::Quiet;
        }
    }
    if p.platform_drift > 0.0 {
        drift_platforms(world, per_step(p.platform_drift, weeks));
    }
}

/// Laver's Aggregator: each non-ruling party's platform moves toward the mean private opinion
/// of its present members.
fn drift_platforms(world: &mut World, rate: f64) {
    let parties = world.parties.len();
    let mut sums = vec![(0.0f64, 0.0f64, 0u32); parties];
    let a = &world.agents;
    for i in 0..a.len() {
        let party = a.party[i];
        if party != NONE && a.state[i].is_present() {
            let s = &mut sums[party as usize];
            s.0 += a.private_authority[i];
            s.1 += a.private_property[i];
            s.2 += 1;
        }
    }
    for (k, party) in world.parties.iter_mut().enumerate() {
        let (sa, sp, count) = sums[k];
        if count == 0 || k as u32 == world.regime.ruling_party {
            continue;
        }
        let mean = Opinion::new(sa / count as f64, sp / count as f64);
        party.platform = Opinion::new(
            party.platform.authority + rate * (mean.authority - party.platform.authority),
            party.platform.property + rate * (mean.property - party.platform.property),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{party_index, small_world};

    #[test]
    fn a_coalition_partner_leaves_when_its_members_no_longer_hold_the_government_legitimate() {
        let (mut world, _) = small_world(1000, 31);
        let left_srs = party_index(&world, "left_srs") as usize;
        world.parties[left_srs].in_government = true;
        let bar = world.rules.parties.break_legitimacy;
        let members: Vec<usize> = (0..world.agents.len())
            .filter(|&i| world.agents.party[i] == left_srs as u32)
            .collect();
        assert!(!members.is_empty());
        for &i in &members {
            world.agents.legitimacy[i] = bar + 0.05;
        }
        break_coalitions(&mut world);
        assert!(
            world.parties[left_srs].in_government,
            "above the bar it stays"
        );
        for &i in &members {
            world.agents.legitimacy[i] = bar - 0.05;
        }
        break_coalitions(&mut world);
        assert!(
            !world.parties[left_srs].in_government,
            "below the bar it leaves"
        );
        // Leaving is for good: legitimacy regained does not bring it back.
        for &i in &members {
            world.agents.legitimacy[i] = 1.0;
        }
        break_coalitions(&mut world);
        assert!(!world.parties[left_srs].in_government);
    }

    #[test]
    fn a_banned_partys_members_leave_legal_life() {
        let (mut world, mut rng) = small_world(3000, 11);
        let mensheviks = party_index(&world, "mensheviks");
        let members: Vec<usize> = (0..world.agents.len())
            .filter(|&i| world.agents.party[i] == mensheviks)
            .collect();
        assert!(members.len() > 20);
        apply(&mut world, &mut rng);
        assert!(
            members.iter().all(|&i| world.agents.state[i].is_visible()),
            "legal: stay"
        );
        world.parties[mensheviks as usize].status = PartyStatus::Banned;
        apply(&mut world, &mut rng);
        let a = &world.agents;
        let visible_members = members
            .iter()
            .filter(|&&i| a.state[i].is_visible() && a.party[i] == mensheviks)
            .count();
        assert_eq!(
            visible_members, 0,
            "no visible member of a banned party remains"
        );
        let count = |s: State| members.iter().filter(|&&i| a.state[i] == s).count();
        assert!(count(State::Underground) > 0);
        assert!(count(State::Emigrated) > 0);
        assert!(count(State::Jailed) > 0);
        let renounced = members.iter().filter(|&&i| a.party[i] == NONE).count();
        assert!(renounced > 0);
    }

    #[test]
    fn underground_members_resurface_when_the_party_is_legal_again() {
        let (mut world, mut rng) = small_world(3000, 12);
        let anarchists = party_index(&world, "anarchists");
        world.parties[anarchists as usize].status = PartyStatus::Banned;
        apply(&mut world, &mut rng);
        let under = |w: &World| {
            (0..w.agents.len())
                .filter(|&i| {
                    w.agents.party[i] == anarchists && w.agents.state[i] == State::Underground
                })
                .count()
        };
        assert!(under(&world) > 0);
        world.parties[anarchists as usize].status = PartyStatus::Legal;
        for _ in 0..100 {
            apply(&mut world, &mut rng);
        }
        assert_eq!(under(&world), 0);
    }

    #[test]
    fn platforms_follow_their_members_only_when_asked() {
        let (mut world, mut rng) = small_world(2000, 13);
        let srs = party_index(&world, "srs") as usize;
        let before = world.parties[srs].platform;
        apply(&mut world, &mut rng);
        assert_eq!(world.parties[srs].platform, before);
        world.rules.parties.platform_drift = 0.5;
        for i in 0..world.agents.len() {
            if world.agents.party[i] == srs as u32 {
                world.agents.set_private(i, Opinion::new(0.0, 0.0));
            }
        }
        for _ in 0..20 {
            apply(&mut world, &mut rng);
        }
        assert!(world.parties[srs].platform.distance(Opinion::new(0.0, 0.0)) < 0.01);
    }
}
