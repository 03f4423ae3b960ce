//! Phase 9, the political police (Cheka, then GPU). A capacity of chekists per 1,000 people,
//! recruited from the ruling party first; a principal (the centre, or the soviets, who can
//! restrain it, the counter-model the Miasnikov essay finds in the Makhnovist movement); a
//! list of targets that scenarios change by date (Whites, other parties, strikers, the
//! underground), so that repression widens from outside the party to inside it as the essays
//! trace. Each chekist arrests one target in view, as a cop does in Epstein's model; hidden
//! targets are found by detection and by denunciation (the duty Dzerzhinsky asked the
//! Politburo to impose), unless solidarity stops the would-be informer. Arrests end in jail
//! terms (and, where a scenario says so, executions). Every arrest lowers the legitimacy of
//! those who see it and raises their fear; the anarchist FAQ's point that arrests need not be
//! many to deter.

use super::rates::{per_step, unit};
use crate::model::PartyStatus;
use crate::model::params::{Principal, Target};
use crate::model::{NONE, Role, State, World};
use crate::rng::{self, SimRng};

/// Whether agent `i` is a White in the police's eyes.
fn is_white(world: &World, i: usize) -> bool {
    let a = &world.agents;
    let party = a.party[i];
    (party != NONE && world.parties[party as usize].restoration)
        || (a.state[i] == State::Active
            && a.private_property[i] >= world.rules.repression.white_property)
}

/// Whether agent `i` is on today's target list.
pub fn is_target(world: &World, i: usize) -> bool {
    let p = &world.rules.repression;
    let a = &world.agents;
    if a.role[i] == Role::Chekist || !a.state[i].is_present() {
        return false;
    }
    let party = a.party[i];
    let other_party = party != NONE && party != world.regime.ruling_party;
    p.targets.iter().any(|t| match t {
        Target::Whites => is_white(world, i),
        Target::Active => a.state[i] == State::Active,
        Target::Strikers => {
            a.state[i] == State::Active
                && a.workplace[i] != NONE
                && world.workplaces[a.workplace[i] as usize].on_strike
        }
        Target::OtherParties => other_party,
        Target::BannedParties => {
            party != NONE && world.parties[party as usize].status == PartyStatus::Banned
        }
        Target::Underground => a.state[i] == State::Underground,
        Target::Factions => {
            let f = &world.rules.factions;
            f.banned
                && a.faction[i] != NONE
                && a.state[i].is_visible()
                && a.expressed(i).distance(world.line()) > f.visibility
        }
    })
}

/// Jails agent `i` (or executes them, with the scenario's execution share), counts the
/// arrest, and lets every present neighbour witness it.
pub fn arrest(world: &mut World, i: usize, rng: &mut SimRng) {
    let p = world.rules.repression;
    let weeks = world.weeks().max(1e-9);
    let lo = p.jail_min_weeks.min(p.jail_max_weeks);
    let hi = p.jail_max_weeks.max(lo);
    let term_weeks = lo + rng::index(rng, (hi - lo + 1) as usize) as u32;
    let term_steps = ((term_weeks as f64 / weeks).ceil() as u32).max(1);
    let a = &mut world.agents;
    a.role[i] = Role::None;
    a.elected[i] = false;
    if rng::chance(rng, p.execution_share) {
        a.state[i] = State::Dead;
    } else {
        a.state[i] = State::Jailed;
        a.release_step[i] = world.step + term_steps;
    }
    world.counters.arrests += 1;
    let victim = a.private(i);
    for &j in world.network.neighbours(i) {
        let j = j as usize;
        if a.state[j].is_present() {
            let closeness = 1.0 - a.private(j).distance(victim);
            a.legitimacy[j] = unit(a.legitimacy[j] - p.witness_legitimacy_loss * closeness);
            a.fear[j] = unit(a.fear[j] + p.witness_fear * (1.0 - a.fear[j]));
        }
    }
}

/// Brings the number of serving chekists toward the capacity for a home population of
/// `home` and returns how many serve afterwards. Recruits from the visible ruling-party
/// members first; dismisses at random when there are too many. Both passes cost O(agents):
/// recruitment gives up after 4 draws per agent and tries again next step.
fn staff(world: &mut World, rng: &mut SimRng, home: usize) -> usize {
    let p = world.rules.repression;
    let wanted =
        (p.capacity * (1.0 + world.regime.police_boost) * home as f64 / 1000.0).round() as usize;
    let n = world.agents.len();
    let serving = (0..n)
        .filter(|&i| world.agents.role[i] == Role::Chekist && world.agents.state[i].is_visible())
        .count();
    if serving > wanted {
        // Selection sampling (Knuth's Algorithm S): exactly `serving - wanted` of the serving
        // chekists are dismissed, each equally likely, in one pass.
        let mut excess = serving - wanted;
        let mut left = serving;
        let a = &mut world.agents;
        for i in 0..n {
            if a.role[i] == Role::Chekist && a.state[i].is_visible() {
                if rng::index(rng, left) < excess {
                    a.role[i] = Role::None;
                    excess -= 1;
                }
                left -= 1;
            }
        }
        wanted
    } else {
        let mut hired = 0;
        // Rejection sampling: members are always accepted, others with the outsider
        // probability, so the police are mostly party members when the party has enough.
        let mut tries = 0;
        while serving + hired < wanted && tries < 4 * n {
            tries += 1;
            let i = rng::index(rng, n);
            let a = &world.agents;
            if !a.state[i].is_visible() || a.role[i] != Role::None || is_target(world, i) {
                continue;
            }
            let accept = if world.is_ruling_member(i) {
                1.0
            } else {
                p.outsider_recruitment
            };
            if rng::chance(rng, accept) {
                world.agents.role[i] = Role::Chekist;
                hired += 1;
            }
        }
        serving + hired
    }
}

/// Frees every prisoner whose term ends today or has ended.
pub fn release(world: &mut World) {
    for i in 0..world.agents.len() {
        if world.agents.state[i] == State::Jailed && world.agents.release_step[i] <= world.step {
            world.agents.state[i] = State::Quiet;
        }
    }
}

pub fn apply(world: &mut World, rng: &mut SimRng) {
    let p = world.rules.repression;
    let weeks = world.weeks();
    let n = world.agents.len();

    // Releases first: a term that ends today frees its prisoner before new arrests.
    release(world);
    if world.regime.restored {
        // The revolution's police are gone; what the restored regime does is outside the
        // model. Prisoners still come out and fear still fades.
        fade_fear(world, weeks);
        return;
    }
    let home = world.home_population().max(1);
    let chekists = staff(world, rng, home);

    let restraint = match p.principal {
        Principal::Centre => 0.0,
        Principal::Soviets => unit(p.soviet_restraint * world.regime.soviet_power),
    };
    // Each serving chekist picks one visible target among its neighbours (reservoir sampling,
    // so no list is built); choices are made against the state before any arrest.
    // Taken out of the world for the pass so that the world can be read while it is filled.
    let mut chosen = std::mem::take(&mut world.scratch.marks);
    chosen.iter_mut().for_each(|c| *c = false);
    for c in 0..n {
        if world.agents.role[c] != Role::Chekist || !world.agents.state[c].is_visible() {
            continue;
        }
        let mut pick = usize::MAX;
        let mut seen = 0usize;
        for &j in world.network.neighbours(c) {
            let j = j as usize;
            if world.agents.state[j].is_visible() && !chosen[j] && is_target(world, j) {
                seen += 1;
                if rng::index(rng, seen) == 0 {
                    pick = j;
                }
            }
        }
        if pick != usize::MAX {
            let restrained = !is_white(world, pick) && rng::chance(rng, restraint);
            if !restrained {
                chosen[pick] = true;
            }
        }
    }
    // Hidden targets: detection by the police's own means, and denunciation by ruling-party
    // members among the target's ties, unless solidarity stops them.
    let per_thousand = chekists as f64 * 1000.0 / home as f64;
    let detect = per_step(p.detection * per_thousand, weeks);
    let ruling = world.regime.ruling_party;
    for i in 0..n {
        if world.agents.state[i] != State::Underground || chosen[i] || !is_target(world, i) {
            continue;
        }
        let a = &world.agents;
        let me = a.private(i);
        let mut escape = 1.0 - detect;
        for &j in world.network.neighbours(i) {
            let j = j as usize;
            if a.party[j] == ruling && a.state[j].is_visible() {
                let closeness = 1.0 - a.private(j).distance(me);
                let report = p.denunciation * a.loyalty[j] * (1.0 - p.solidarity * closeness);
                escape *= 1.0 - per_step(unit(report), weeks);
            }
        }
        let caught = !rng::chance(rng, escape);
        let restrained = !is_white(world, i) && rng::chance(rng, restraint);
        if caught && !restrained {
            chosen[i] = true;
        }
    }
    for i in 0..n {
        if chosen[i] {
            arrest(world, i, rng);
        }
    }
    world.scratch.marks = chosen;
    fade_fear(world, weeks);
}

/// Fear fades without fresh repression.
fn fade_fear(world: &mut World, weeks: f64) {
    let keep = 1.0 - per_step(world.rules.repression.fear_decay, weeks);
    for f in world.agents.fear.iter_mut() {
        *f *= keep;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::params::Targets;
    use crate::testing::{count_state, party_index, small_world};

    /// A world whose police (20 per 1,000) are staffed and hunt `target`, with everyone
    /// else active.
    fn policed_world(agents: u32, seed: u64, target: Target) -> (World, SimRng) {
        let (mut world, mut rng) = small_world(agents, seed);
        world.rules.repression.capacity = 20.0;
        world.rules.repression.targets = Targets::default().with(target);
        let home = world.home_population();
        staff(&mut world, &mut rng, home);
        activate_all_but_chekists(&mut world);
        (world, rng)
    }

    fn activate_all_but_chekists(world: &mut World) {
        for i in 0..world.agents.len() {
            if world.agents.role[i] != Role::Chekist {
                world.agents.state[i] = State::Active;
            }
        }
    }

    #[test]
    fn an_arrest_lowers_its_witnesses_legitimacy_and_raises_their_fear() {
        let (mut world, mut rng) = small_world(500, 14);
        let victim = (0..500)
            .find(|&i| world.network.neighbours(i).len() >= 3)
            .unwrap();
        let witnesses: Vec<usize> = world
            .network
            .neighbours(victim)
            .iter()
            .map(|&j| j as usize)
            .collect();
        let before: Vec<f64> = witnesses
            .iter()
            .map(|&j| world.agents.legitimacy[j])
            .collect();
        let bystander = (0..500)
            .find(|&k| k != victim && !witnesses.contains(&k))
            .unwrap();
        let bystander_before = world.agents.legitimacy[bystander];
        arrest(&mut world, victim, &mut rng);
        assert_eq!(world.agents.state[victim], State::Jailed);
        assert!(world.agents.release_step[victim] > world.step);
        assert_eq!(world.counters.arrests, 1);
        for (k, &j) in witnesses.iter().enumerate() {
            assert!(world.agents.legitimacy[j] < before[k], "witness {j}");
            assert!(world.agents.fear[j] > 0.0);
        }
        assert_eq!(world.agents.legitimacy[bystander], bystander_before);
    }

    #[test]
    fn the_police_take_active_targets_in_view_and_release_them_later() {
        let (mut world, mut rng) = policed_world(2000, 15, Target::Active);
        world.rules.repression.jail_min_weeks = 2;
        world.rules.repression.jail_max_weeks = 2;
        apply(&mut world, &mut rng);
        let jailed = count_state(&world, State::Jailed);
        assert!(jailed > 0);
        assert_eq!(world.counters.arrests as usize, jailed);
        // Every jailed agent is released after its term.
        for s in world.agents.state.iter_mut() {
            if *s == State::Active {
                *s = State::Quiet;
            }
        }
        world.step += 2;
        apply(&mut world, &mut rng);
        assert_eq!(count_state(&world, State::Jailed), 0);
    }

    #[test]
    fn nobody_is_arrested_who_is_not_a_target() {
        let (mut world, mut rng) = policed_world(2000, 16, Target::Underground);
        apply(&mut world, &mut rng);
        assert!(world.agents.role.contains(&Role::Chekist));
        assert_eq!(count_state(&world, State::Jailed), 0);
    }

    #[test]
    fn soviet_control_restrains_arrests_of_workers_but_not_of_whites() {
        let run = |principal: Principal| {
            let (mut world, mut rng) = policed_world(3000, 17, Target::Active);
            world.rules.repression.principal = principal;
            world.rules.repression.soviet_restraint = 1.0;
            for i in 0..world.agents.len() {
                world.agents.private_property[i] = 0.1;
                world.agents.party[i] = NONE;
            }
            apply(&mut world, &mut rng);
            world.counters.arrests
        };
        assert!(run(Principal::Centre) > 0);
        assert_eq!(run(Principal::Soviets), 0);
    }

    #[test]
    fn staffing_follows_capacity_and_prefers_party_members() {
        let (mut world, mut rng) = small_world(5000, 18);
        world.rules.repression.capacity = 4.0;
        assert_eq!(staff(&mut world, &mut rng, 5000), 20);
        let chekists: Vec<usize> = (0..world.agents.len())
            .filter(|&i| world.agents.role[i] == Role::Chekist)
            .collect();
        assert_eq!(chekists.len(), 20);
        let members = chekists
            .iter()
            .filter(|&&i| world.is_ruling_member(i))
            .count();
        assert!(
            members * 2 > chekists.len(),
            "{members} of {}",
            chekists.len()
        );
        world.rules.repression.capacity = 1.0;
        assert_eq!(staff(&mut world, &mut rng, 5000), 5);
        let serving = (0..world.agents.len())
            .filter(|&i| world.agents.role[i] == Role::Chekist)
            .count();
        assert_eq!(serving, 5);
    }

    #[test]
    fn loyal_informers_expose_the_underground_and_solidarity_protects_it() {
        let exposed = |solidarity: f64| {
            let (mut world, mut rng) = small_world(3000, 19);
            let ruling = world.regime.ruling_party;
            world.rules.repression.targets = Targets::default().with(Target::Underground);
            world.rules.repression.detection = 0.0;
            world.rules.repression.denunciation = 1.0;
            world.rules.repression.solidarity = solidarity;
            for i in 0..world.agents.len() {
                world
                    .agents
                    .set_private(i, crate::model::Opinion::new(0.3, 0.2));
                if i % 3 == 0 {
                    world.agents.state[i] = State::Underground;
                    world.agents.party[i] = NONE;
                } else {
                    world.agents.party[i] = ruling;
                    world.agents.loyalty[i] = 1.0;
                }
            }
            apply(&mut world, &mut rng);
            world.counters.arrests
        };
        assert!(exposed(0.0) > 100);
        assert_eq!(exposed(1.0), 0);
    }

    #[test]
    fn banned_party_members_are_targets_only_when_listed() {
        let (mut world, _) = small_world(3000, 20);
        let srs = party_index(&world, "srs");
        world.parties[srs as usize].status = PartyStatus::Banned;
        let member = (0..3000).find(|&i| world.agents.party[i] == srs).unwrap();
        assert!(!is_target(&world, member));
        world.rules.repression.targets = Targets::default().with(Target::BannedParties);
        assert!(is_target(&world, member));
    }

    #[test]
    fn after_restoration_the_revolutions_police_arrest_nobody() {
        let (mut world, mut rng) = policed_world(2000, 28, Target::Active);
        crate::rules::regime::restore(&mut world);
        apply(&mut world, &mut rng);
        assert_eq!(world.counters.arrests, 0);
        assert!(!world.agents.role.contains(&Role::Chekist));
    }

    #[test]
    fn visible_factionalists_are_targets_only_under_a_ban() {
        let (mut world, _) = small_world(1000, 29);
        world.rules.repression.targets = Targets::default().with(Target::Factions);
        let member = (0..1000)
            .find(|&i| world.is_ruling_member(i) && world.agents.state[i].is_visible())
            .unwrap();
        world.agents.faction[member] = 0;
        world.agents.expressed_authority[member] = 0.0;
        world.agents.expressed_property[member] = 0.0;
        assert!(!is_target(&world, member));
        world.rules.factions.banned = true;
        assert!(is_target(&world, member));
        // One who keeps to the line in public is not seen.
        let line = world.line();
        world.agents.expressed_authority[member] = line.authority;
        world.agents.expressed_property[member] = line.property;
        assert!(!is_target(&world, member));
    }
}
