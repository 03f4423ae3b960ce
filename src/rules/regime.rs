//! Phase 10, the regime. This is where the leadership's own case lives. Restoration: when
//! the White threat meets enough active opposition that wants private property back, the
//! regime falls, and that is final (an absorbing state): the Whites' party rules and the
//! socialist parties are banned. This is the danger Lenin invoked against a free press and
//! multi-party soviets in a peasant country surrounded by enemies, and scenarios that loosen
//! the regime must be able to run into it. The leadership's institutional decisions are
//! taken in phase 1c (`rules::leadership`); here, with `leadership = "adaptive"`, it also has
//! the older continuous reflexes: a police boost when unrest and the threat are both high,
//! concessions by degrees when unrest is high but the threat low, relaxing otherwise.
//! `scripted` (the default) adds nothing to the decisions.

use super::rates::per_step;
use crate::model::PartyStatus;
use crate::model::params::Leadership;
use crate::model::{Role, State, World};

/// Share of the present population that is active, and share that is active and privately
/// for private property.
pub fn unrest_and_opposition(world: &World, property_cut: f64) -> (f64, f64) {
    let a = &world.agents;
    let (mut present, mut active, mut opposed) = (0usize, 0usize, 0usize);
    for i in 0..a.len() {
        if a.state[i].is_present() {
            present += 1;
            if a.state[i] == State::Active {
                active += 1;
                if a.private_property[i] >= property_cut {
                    opposed += 1;
                }
            }
        }
    }
    if present == 0 {
        return (0.0, 0.0);
    }
    (
        active as f64 / present as f64,
        opposed as f64 / present as f64,
    )
}

/// Share of the filled soviet seats held by members of parties whose platform lies at or
/// above `property_cut` on the property axis.
pub fn right_seat_share(world: &World, property_cut: f64) -> f64 {
    let (mut filled, mut right) = (0usize, 0usize);
    for soviet in &world.soviets {
        for seat in soviet.seats.iter().filter(|s| s.is_filled()) {
            filled += 1;
            if seat.party != crate::model::NONE
                && world.parties[seat.party as usize].platform.property >= property_cut
            {
                right += 1;
            }
        }
    }
    if filled == 0 {
        0.0
    } else {
        right as f64 / filled as f64
    }
}

/// The regime falls: the restoration party takes power, the socialist parties are banned.
pub fn restore(world: &mut World) {
    world.regime.restored = true;
    world.regime.concession = 0.0;
    world.regime.police_boost = 0.0;
    if let Some(whites) = world.parties.iter().position(|p| p.restoration) {
        world.regime.ruling_party = whites as u32;
        for (k, party) in world.parties.iter_mut().enumerate() {
            if k != whites && party.platform.property < 0.5 {
                party.status = PartyStatus::Banned;
            }
        }
        world.parties[whites].status = PartyStatus::Legal;
        // The banned parties' delegates lose their seats with the fall.
        super::soviets::unseat_banned(world);
    }
    // Loyalty is attachment to the ruling party; the fallen party's members owe the new
    // regime none, and the new regime's members start from none.
    for loyalty in world.agents.loyalty.iter_mut() {
        *loyalty = 0.0;
    }
    // The revolution's police serve no longer.
    for role in world.agents.role.iter_mut() {
        if *role == Role::Chekist {
            *role = Role::None;
        }
    }
}

pub fn apply(world: &mut World) {
    if world.regime.restored {
        return;
    }
    let p = world.rules.regime;
    let (unrest, active_right) = unrest_and_opposition(world, p.restoration_property);
    let opposition = active_right
        + p.soviet_foothold
            * world.regime.congress_say
            * right_seat_share(world, p.restoration_property);
    let threat = world.conditions.white_threat;
    if threat * opposition >= p.restoration_threshold && p.restoration_threshold > 0.0 {
        restore(world);
        return;
    }
    if p.leadership == Leadership::Adaptive {
        let weeks = world.weeks();
        let r = &mut world.regime;
        if unrest > p.unrest_high && threat > p.threat_high {
            r.police_boost = (r.police_boost + p.boost_step * weeks).min(p.boost_max);
        } else if unrest > p.unrest_high && threat < p.threat_low {
            r.concession = (r.concession + per_step(p.concession_step, weeks)).min(1.0);
        } else if unrest <= p.unrest_high {
            r.police_boost = (r.police_boost - p.relax_step * weeks).max(0.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::small_world;

    fn set_active_right(world: &mut World, share: f64) {
        let n = world.agents.len();
        for i in 0..n {
            if (i as f64) < share * n as f64 {
                world.agents.state[i] = State::Active;
                world.agents.private_property[i] = 0.9;
            } else {
                world.agents.state[i] = State::Quiet;
            }
        }
    }

    #[test]
    fn restoration_once_reached_stays() {
        let (mut world, _) = small_world(1000, 21);
        set_active_right(&mut world, 0.2);
        world.conditions.white_threat = 0.1;
        apply(&mut world);
        assert!(!world.regime.restored, "a small threat is not enough");
        world.conditions.white_threat = 0.9;
        apply(&mut world);
        assert!(world.regime.restored);
        let whites = world.parties.iter().position(|p| p.restoration).unwrap();
        assert_eq!(world.regime.ruling_party as usize, whites);
        // Calm returns; the regime stays fallen.
        set_active_right(&mut world, 0.0);
        world.conditions.white_threat = 0.0;
        for _ in 0..10 {
            apply(&mut world);
        }
        assert!(world.regime.restored);
        let bolsheviks = crate::testing::party_index(&world, "bolsheviks");
        assert_eq!(
            world.parties[bolsheviks as usize].status,
            PartyStatus::Banned
        );
    }

    #[test]
    fn the_fall_unseats_the_banned_parties_delegates_the_same_day() {
        let (mut world, _) = small_world(400, 5);
        let anarchists = crate::testing::party_index(&world, "anarchists");
        let member = (0..world.agents.len())
            .find(|&i| world.agents.party[i] == anarchists && world.agents.state[i].is_visible())
            .unwrap();
        world.soviets[0].seats[0].holder = member as u32;
        world.soviets[0].seats[0].party = anarchists;
        world.agents.role[member] = Role::Delegate;
        restore(&mut world);
        assert_eq!(
            world.parties[anarchists as usize].status,
            PartyStatus::Banned
        );
        assert!(!world.soviets[0].seats[0].is_filled());
        assert_eq!(world.agents.role[member], Role::None);
    }

    #[test]
    fn active_opposition_without_a_threat_does_not_restore() {
        let (mut world, _) = small_world(1000, 22);
        set_active_right(&mut world, 0.5);
        world.conditions.white_threat = 0.0;
        apply(&mut world);
        assert!(!world.regime.restored);
    }

    #[test]
    fn adaptive_leadership_represses_under_threat_and_concedes_without() {
        let (mut world, _) = small_world(1000, 23);
        world.rules.regime.leadership = Leadership::Adaptive;
        world.rules.regime.restoration_threshold = 1.0;
        for i in 0..world.agents.len() {
            world.agents.state[i] = if i % 5 == 0 {
                State::Active
            } else {
                State::Quiet
            };
            world.agents.private_property[i] = 0.1;
        }
        world.conditions.white_threat = 0.8;
        for _ in 0..5 {
            apply(&mut world);
        }
        assert!(world.regime.police_boost > 0.4);
        assert_eq!(world.regime.concession, 0.0);
        world.conditions.white_threat = 0.0;
        for _ in 0..5 {
            apply(&mut world);
        }
        assert!(world.regime.concession > 0.05);
        // Scripted leadership does neither.
        let (mut scripted, _) = small_world(1000, 23);
        scripted.rules.regime.restoration_threshold = 1.0;
        scripted.conditions.white_threat = 0.8;
        apply(&mut scripted);
        assert_eq!(scripted.regime.police_boost, 0.0);
    }

    #[test]
    fn the_right_in_sovereign_soviets_brings_restoration_nearer() {
        let (mut world, _) = small_world(2000, 33);
        let kadets = crate::testing::party_index(&world, "kadets");
        world.soviets[0].seats[0] = crate::model::Seat {
            holder: 0,
            party: kadets,
            mode: crate::model::SeatMode::Competitive,
        };
        world.soviets[0].seats[1] = crate::model::Seat {
            holder: 1,
            party: world.regime.ruling_party,
            mode: crate::model::SeatMode::Competitive,
        };
        assert_eq!(right_seat_share(&world, 0.7), 0.5);
        world.conditions.white_threat = 1.0;
        world.rules.regime.restoration_threshold = 0.05;
        // Nobody is active: only the seats can bring the regime down.
        let mut party_rule = world.clone();
        world.regime.congress_say = 1.0;
        party_rule.regime.congress_say = 0.0;
        apply(&mut world);
        apply(&mut party_rule);
        assert!(world.regime.restored);
        assert!(!party_rule.regime.restored);
    }
}
