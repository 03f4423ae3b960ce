//! Phase 8, the bureaucracy and the workplace.
//!
//! The administrative load demands posts: a base, the war, rationing (the worse the food
//! supply the bigger the apparatus that shares it out), nationalised industry, central
//! planning, and one post for each workplace under one-man management (its manager, filled
//! from the general pool like any other post). A bureaucracy that
//! answers to no one adds posts of its own; elected, recallable officials prune them. Posts are
//! filled by appointment (superiors pick the loyal and conforming) or by election (the
//! constituency picks someone close to its own view), in the shares a scenario sets. Office
//! brings privilege, more of it by appointment than by election; privilege shields from
//! hardship and pulls private opinion toward authority (the opinion rule). Elected officials
//! whose views leave their constituents' behind are recalled.
//!
//! Workplace governance: a workplace is run by its factory committee or by one appointed
//! manager. One-man management adds to the hardship of everyone working there (the
//! conditions rule), ends the
//! factory meetings that count as participation (the soviets rule) and, the leadership's case,
//! raises output (the environment rule).

use super::rates::{per_step, unit};
use crate::model::{Class, Opinion, Role, World};
use crate::rng::{self, SimRng};

/// Which workplaces have one-man management: the first `share` of them in index order, so
/// that raising the share only adds workplaces.
pub fn govern_workplaces(world: &mut World) {
    let share = if world.rules.bureaucracy.enabled {
        unit(world.rules.bureaucracy.one_man_management)
    } else {
        0.0
    };
    let n = world.workplaces.len();
    for (w, place) in world.workplaces.iter_mut().enumerate() {
        place.one_man = (w as f64 + 0.5) < share * n as f64;
    }
}

/// Share of workplaces under one-man management.
pub fn one_man_share(world: &World) -> f64 {
    if world.workplaces.is_empty() {
        return 0.0;
    }
    world.workplaces.iter().filter(|w| w.one_man).count() as f64 / world.workplaces.len() as f64
}

/// The posts the administrative load demands, before self-made ones.
pub fn demanded_posts(world: &World, home: usize) -> f64 {
    let p = &world.rules.bureaucracy;
    let c = &world.conditions;
    let per_1000 = p.base_posts
        + p.war_posts * c.civil_war
        + p.rationing_posts * (1.0 - c.food_supply)
        + p.industry_posts * unit(p.nationalisation)
        + p.planning_posts * unit(p.planning);
    let managers = world.workplaces.iter().filter(|w| w.one_man).count() as f64;
    per_1000.max(0.0) * home as f64 / 1000.0 + managers
}

/// Means of the expressed opinions of each locality's visible residents, into the scratch.
fn constituency_means(world: &mut World) {
    let s = &mut world.scratch;
    s.locality_authority.iter_mut().for_each(|x| *x = 0.0);
    s.locality_property.iter_mut().for_each(|x| *x = 0.0);
    s.locality_count.iter_mut().for_each(|x| *x = 0);
    let a = &world.agents;
    let n = a.len();
    let (state, locality) = (&a.state[..n], &a.locality[..n]);
    let (authority, property) = (&a.expressed_authority[..n], &a.expressed_property[..n]);
    for i in 0..n {
        if state[i].is_visible() {
            let l = locality[i] as usize;
            s.locality_authority[l] += authority[i];
            s.locality_property[l] += property[i];
            s.locality_count[l] += 1;
        }
    }
    for l in 0..s.locality_count.len() {
        let k = s.locality_count[l].max(1) as f64;
        s.locality_authority[l] /= k;
        s.locality_property[l] /= k;
    }
}

/// Whether agent `i` could take a post: present in the open, free of other roles, not a
/// peasant unless demobilised from the front, and a member if office requires a card.
fn eligible(world: &World, i: usize) -> bool {
    let a = &world.agents;
    let card = world.rules.ruling_party.recruitment == crate::model::params::Recruitment::Careerist;
    a.state[i].is_visible()
        && a.role[i] == Role::None
        && (a.class[i] != Class::Peasant || a.veteran[i])
        && (!card || world.is_ruling_member(i))
}

pub fn apply(world: &mut World, rng: &mut SimRng) {
    let p = world.rules.bureaucracy;
    let weeks = world.weeks();
    govern_workplaces(world);
    constituency_means(world);
    let home = world.home_population();
    let n = world.agents.len();

    // Recall of elected officials who have left their constituents behind.
    let recall = per_step(p.recall_rate, weeks);
    let (mut appointed, mut elected) = (0usize, 0usize);
    for i in 0..n {
        if world.agents.role[i] != Role::Official || !world.agents.state[i].is_visible() {
            continue;
        }
        if world.agents.elected[i] {
            let l = world.agents.locality[i] as usize;
            let here = Opinion::new(
                world.scratch.locality_authority[l],
                world.scratch.locality_property[l],
            );
            if world.agents.private(i).distance(here) > p.recall_distance
                && rng::chance(rng, recall)
            {
                world.agents.role[i] = Role::None;
                world.agents.elected[i] = false;
                continue;
            }
            elected += 1;
        } else {
            appointed += 1;
        }
    }

    // Self-made posts: added by the unaccountable, pruned by the accountable.
    let demanded = demanded_posts(world, home);
    let officials = appointed + elected;
    let elected_fraction = if officials > 0 {
        elected as f64 / officials as f64
    } else {
        0.0
    };
    let mut own = world.self_made_posts;
    own *= 1.0 - per_step(p.pruning, weeks) * elected_fraction;
    own += p.self_growth * weeks * appointed as f64;
    world.self_made_posts = own.clamp(0.0, p.self_made_cap.max(0.0) * demanded);
    let posts = (demanded + world.self_made_posts).round() as usize;

    if officials > posts {
        // Selection sampling: exactly the surplus is let go, each equally likely.
        let mut excess = officials - posts;
        let mut left = officials;
        for i in 0..n {
            if world.agents.role[i] == Role::Official && world.agents.state[i].is_visible() {
                if rng::index(rng, left) < excess {
                    world.agents.role[i] = Role::None;
                    world.agents.elected[i] = false;
                    excess -= 1;
                }
                left -= 1;
            }
        }
    } else if officials < posts {
        let gap = posts - officials;
        let hires = ((gap as f64 * per_step(p.hire_rate, weeks)).ceil() as usize).min(gap);
        hire(world, hires, rng);
    }

    // Privilege follows position.
    let rate = per_step(p.privilege_rate, weeks);
    let a = &mut world.agents;
    let (role, elected, privilege) = (&a.role[..n], &a.elected[..n], &mut a.privilege[..n]);
    for i in 0..n {
        let target = match role[i] {
            Role::Chekist => p.office_privilege,
            Role::Official | Role::Leader => {
                if elected[i] {
                    p.elected_privilege
                } else {
                    p.office_privilege
                }
            }
            // Most people never held office: their privilege is 0 and stays 0.
            _ if privilege[i] == 0.0 => continue,
            _ => 0.0,
        };
        privilege[i] = unit(privilege[i] + rate * (target - privilege[i]));
    }
}

/// Fills `hires` posts, each by election or appointment, from a shortlist of random
/// eligible agents.
fn hire(world: &mut World, hires: usize, rng: &mut SimRng) {
    let p = world.rules.bureaucracy;
    let n = world.agents.len();
    if n == 0 {
        return;
    }
    let line = world.line();
    let mut tries = 0;
    for _ in 0..hires {
        let by_election = rng::chance(rng, unit(p.elected_share));
        let mut best: Option<(usize, f64)> = None;
        let mut seen = 0;
        while seen < p.shortlist.max(1) && tries < 4 * n {
            tries += 1;
            let i = rng::index(rng, n);
            if !eligible(world, i) {
                continue;
            }
            seen += 1;
            let a = &world.agents;
            let score = if by_election {
                // The constituency picks the militant who speaks its mind.
                let l = a.locality[i] as usize;
                let here = Opinion::new(
                    world.scratch.locality_authority[l],
                    world.scratch.locality_property[l],
                );
                a.militancy[i] + 1.0 - a.expressed(i).distance(here)
            } else {
                // Superiors pick the loyal and conforming.
                let expertise = if a.class[i] == Class::Specialist {
                    p.specialist_preference
                } else {
                    0.0
                };
                p.loyalty_preference * a.loyalty[i] + 1.0 - a.expressed(i).distance(line)
                    + expertise
            };
            if best.is_none_or(|(_, b)| score > b) {
                best = Some((i, score));
            }
        }
        let Some((i, _)) = best else { break };
        world.agents.role[i] = Role::Official;
        world.agents.elected[i] = by_election;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::State;
    use crate::testing::small_world;

    fn officials(world: &World) -> Vec<usize> {
        (0..world.agents.len())
            .filter(|&i| world.agents.role[i] == Role::Official)
            .collect()
    }

    #[test]
    fn posts_follow_the_administrative_load() {
        let (mut world, _) = small_world(2000, 70);
        world.conditions.food_supply = 1.0;
        world.conditions.civil_war = 0.0;
        let peace = demanded_posts(&world, 2000);
        assert!((peace - 2.0 * world.rules.bureaucracy.base_posts).abs() < 1e-9);
        world.conditions.civil_war = 1.0;
        let war = demanded_posts(&world, 2000);
        assert!((war - peace - 2.0 * world.rules.bureaucracy.war_posts).abs() < 1e-9);
        world.rules.bureaucracy.one_man_management = 1.0;
        govern_workplaces(&mut world);
        let managers = demanded_posts(&world, 2000) - war;
        assert!((managers - world.workplaces.len() as f64).abs() < 1e-9);
    }

    #[test]
    fn officials_are_hired_up_to_the_posts_and_let_go_beyond_them() {
        let (mut world, mut rng) = small_world(2000, 71);
        world.rules.bureaucracy.hire_rate = 1.0;
        world.rules.bureaucracy.self_growth = 0.0;
        world.conditions.civil_war = 1.0;
        world.conditions.food_supply = 0.0;
        for _ in 0..5 {
            apply(&mut world, &mut rng);
        }
        let posts = demanded_posts(&world, world.home_population()).round() as usize;
        assert_eq!(officials(&world).len(), posts);
        world.conditions.civil_war = 0.0;
        world.conditions.food_supply = 1.0;
        apply(&mut world, &mut rng);
        let posts = demanded_posts(&world, world.home_population()).round() as usize;
        assert_eq!(officials(&world).len(), posts);
    }

    #[test]
    fn an_unaccountable_bureaucracy_makes_posts_and_an_elected_one_does_not() {
        let mut made = Vec::new();
        for elected_share in [0.0, 1.0] {
            let (mut world, mut rng) = small_world(2000, 72);
            world.rules.bureaucracy.elected_share = elected_share;
            world.rules.bureaucracy.hire_rate = 1.0;
            for step in 0..100 {
                world.step = step;
                apply(&mut world, &mut rng);
            }
            made.push(world.self_made_posts);
        }
        assert!(made[0] > 1.0, "{made:?}");
        assert!(made[1] < 0.01, "{made:?}");
    }

    #[test]
    fn appointed_officials_drift_toward_authority_and_elected_ones_are_checked() {
        let mut drift = Vec::new();
        for elected_share in [0.0, 1.0] {
            let (mut world, mut rng) = small_world(2000, 73);
            world.rules.bureaucracy.elected_share = elected_share;
            world.rules.bureaucracy.base_posts = 60.0;
            world.rules.bureaucracy.hire_rate = 1.0;
            world.rules.bureaucracy.self_growth = 0.0;
            world.rules.opinion.privilege_drift = 0.05;
            world.rules.opinion.class_anchor = 0.0;
            world.rules.opinion.conversations = 0.0;
            apply(&mut world, &mut rng);
            let first = officials(&world);
            let before: f64 = first
                .iter()
                .map(|&i| world.agents.private_authority[i])
                .sum::<f64>()
                / first.len() as f64;
            for step in 1..150 {
                world.step = step;
                apply(&mut world, &mut rng);
                crate::rules::opinion::apply(&mut world, &mut rng);
            }
            let now = officials(&world);
            let after: f64 = now
                .iter()
                .map(|&i| world.agents.private_authority[i])
                .sum::<f64>()
                / now.len() as f64;
            let privilege: f64 =
                now.iter().map(|&i| world.agents.privilege[i]).sum::<f64>() / now.len() as f64;
            drift.push((after - before, privilege));
        }
        let (appointed, elected) = (drift[0], drift[1]);
        assert!(appointed.0 > 0.1, "{drift:?}");
        assert!(appointed.0 > elected.0 + 0.08, "{drift:?}");
        assert!(appointed.1 > 0.5 && elected.1 < 0.15, "{drift:?}");
    }

    #[test]
    fn elected_officials_who_leave_their_constituents_behind_are_recalled() {
        let (mut world, mut rng) = small_world(2000, 74);
        world.rules.bureaucracy.recall_rate = 1.0;
        let i = (0..2000)
            .find(|&i| world.agents.state[i] == State::Quiet && world.agents.role[i] == Role::None)
            .unwrap();
        world.agents.role[i] = Role::Official;
        world.agents.elected[i] = true;
        let mut appointed = world.clone();
        appointed.agents.elected[i] = false;
        for w in [&mut world, &mut appointed] {
            let l = w.agents.locality[i];
            for j in 0..2000 {
                if w.agents.locality[j] == l && j != i {
                    w.agents.expressed_authority[j] = 0.0;
                    w.agents.expressed_property[j] = 0.0;
                }
            }
            w.agents
                .set_private(i, crate::model::Opinion::new(1.0, 1.0));
        }
        apply(&mut world, &mut rng);
        apply(&mut appointed, &mut rng);
        assert_eq!(world.agents.role[i], Role::None);
        assert_eq!(appointed.agents.role[i], Role::Official);
    }

    #[test]
    fn one_man_management_raises_hardship_and_output() {
        let (mut world, _) = small_world(2000, 75);
        let worker = (0..2000)
            .find(|&i| world.agents.workplace[i] != crate::model::NONE)
            .unwrap();
        let w = world.agents.workplace[worker];
        assert_eq!(
            crate::rules::conditions::governance_hardship(&world, w),
            0.0
        );
        world.rules.bureaucracy.one_man_management = 1.0;
        govern_workplaces(&mut world);
        assert_eq!(one_man_share(&world), 1.0);
        assert_eq!(
            crate::rules::conditions::governance_hardship(&world, w),
            world.rules.bureaucracy.one_man_hardship
        );
        let mut committees = world.clone();
        committees.rules.bureaucracy.one_man_management = 0.0;
        govern_workplaces(&mut committees);
        let output = crate::model::SERIES_NAMES
            .iter()
            .position(|n| *n == "industrial_output")
            .unwrap();
        for w in [&mut world, &mut committees] {
            w.environment.series[output] = crate::model::Series::new(vec![(0.0, 0.5)]);
            crate::rules::environment::read_series(w);
            crate::rules::environment::apply(w);
        }
        assert_eq!(committees.conditions.industrial_output, 0.5);
        let gain = world.rules.bureaucracy.one_man_output;
        assert!((world.conditions.industrial_output - 0.5 * (1.0 + gain)).abs() < 1e-12);
    }
}
