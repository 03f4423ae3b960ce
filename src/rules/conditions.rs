//! Phase 3, hardship and legitimacy. Hardship follows the environment and the agent's place
//! in it: townspeople suffer hunger and idle factories, peasants suffer requisitioning (eased
//! by concessions), everyone suffers war, and privilege shields. Legitimacy moves toward a
//! target set by how well the line answers the agent's own view, by hardship, by hope of help
//! from abroad, by concessions and, the leadership's own case, by the White threat: fear of
//! restoration rallies those who have most to lose from it and alienates those who want it.
//! The rally outlasts the threat by some months (the remembered threat, `RegimeState::rally`),
//! and those who hold no office see the material split: officials' privileges and, under
//! concessions, the traders' gains.
//!
//! Reads: today's conditions, the concession level, the line and the policy, each agent's
//! class, workplace, vulnerability, privilege, role and private opinion.
//! Writes: hardship, legitimacy and loyalty, and the remembered threat.

use super::rates::{per_step, unit};
use crate::model::params::Unions;
use crate::model::{Class, Opinion, Role, World};

/// The hardship an agent of a class, vulnerability and privilege would settle at under
/// today's conditions: the class's burden scaled by 0.5 + vulnerability, less privilege.
pub fn hardship_target(world: &World, class: Class, vulnerability: f64, privilege: f64) -> f64 {
    let relief = world.rules.conditions.privilege_relief;
    unit(class_burden(world, class) * (0.5 + vulnerability) - relief * privilege)
}

/// The burden today's conditions lay on a class, before the agent's vulnerability and
/// privilege: war for everyone, requisitioning (eased by concessions) for peasants, hunger
/// and idle factories for the others, and for the workers the chance of being out of work
/// and, once the unions are the state's, the loss of their defence.
fn class_burden(world: &World, class: Class) -> f64 {
    let p = &world.rules.conditions;
    let c = world.conditions;
    let mut h = p.base_hardship + p.war_hardship * c.civil_war;
    if class == Class::Peasant {
        h += p.requisition_hardship * (1.0 - c.food_supply) * (1.0 - world.regime.concession);
    } else {
        h += p.food_hardship * (1.0 - c.food_supply)
            + p.output_hardship * (1.0 - c.industrial_output);
    }
    if class == Class::Worker {
        h += p.unemployment_hardship * c.unemployment;
        // State unions no longer stand between the workers and the managers of their state.
        if world.rules.bureaucracy.unions == Unions::State {
            h += world.rules.bureaucracy.union_hardship;
        }
    }
    h
}

/// Hardship a workplace's governance adds: output pressure and discipline under one-man
/// management, nothing under a factory committee.
#[inline]
pub fn governance_hardship(world: &World, workplace: u32) -> f64 {
    if workplace != crate::model::NONE && world.workplaces[workplace as usize].one_man {
        world.rules.bureaucracy.one_man_hardship
    } else {
        0.0
    }
}

/// How much an agent at this property position has to fear from restoration, in [-1, 1]:
/// positive below the pivot, negative above it.
#[inline]
pub fn siege_stake(pivot: f64, property: f64) -> f64 {
    if property <= pivot {
        if pivot > 0.0 {
            (pivot - property) / pivot
        } else {
            0.0
        }
    } else if pivot < 1.0 {
        -(property - pivot) / (1.0 - pivot)
    } else {
        0.0
    }
}

pub fn apply(world: &mut World) {
    let p = world.rules.conditions;
    // Hope of help from abroad is one of the circumstances: at the middle strength of
    // `[rules.leadership] circumstances` it weighs as `hope` says, at 0 not at all.
    let circumstances = 2.0 * world.rules.leadership.circumstances;
    let weeks = world.weeks();
    let h_rate = per_step(p.hardship_rate, weeks);
    let l_rate = per_step(p.legitimacy_rate, weeks);
    let y_rate = per_step(p.loyalty_rate, weeks);
    let line = world.line();
    let policy = world.policy();
    let ruling = world.regime.ruling_party;
    let mut c = world.conditions;
    if world.regime.restored {
        // The threat has come true; there is no revolution left to rally round.
        c.white_threat = 0.0;
    }
    let rally = remembered_threat(world.regime.rally, c.white_threat, p.rally_weeks, weeks);
    world.regime.rally = rally;
    let split = if p.inequality_weight > 0.0 {
        p.inequality_weight * material_split(world)
    } else {
        0.0
    };
    let concession = world.regime.concession;
    // What `hardship_target` adds up for each class before the agent's own terms: the same
    // sums, worked out once a step instead of once an agent.
    let burden = Class::ALL.map(|class| class_burden(world, class));
    let relief = p.privilege_relief;
    let one_man = world.rules.bureaucracy.one_man_hardship;
    // Legitimacy's terms that are the same for everyone, and those of peasants.
    let common = p.hope * circumstances * c.world_revolution;
    let peasants = p.concession_weight * concession;
    let tolerance = p.gap_tolerance.max(1e-9);
    let siege = p.siege * rally;
    let (a, workplaces) = (&mut world.agents, &world.workplaces);
    let n = a.len();
    // Every column cut to `n`, so that the loop indexes them without bounds checks.
    let (state, class, workplace) = (&a.state[..n], &a.class[..n], &a.workplace[..n]);
    let (vulnerability, privilege) = (&a.vulnerability[..n], &a.privilege[..n]);
    let (private_a, private_p, party, role) = (
        &a.private_authority[..n],
        &a.private_property[..n],
        &a.party[..n],
        &a.role[..n],
    );
    let (hardship, legitimacy, loyalty) = (
        &mut a.hardship[..n],
        &mut a.legitimacy[..n],
        &mut a.loyalty[..n],
    );
    for i in 0..n {
        if !state[i].is_present() {
            continue;
        }
        let class = class[i];
        let w = workplace[i];
        let governance = if w != crate::model::NONE && workplaces[w as usize].one_man {
            one_man
        } else {
            0.0
        };
        let own = unit(burden[class as usize] * (0.5 + vulnerability[i]) - relief * privilege[i]);
        let target_h = unit(own + governance);
        hardship[i] += h_rate * (target_h - hardship[i]);
        let view = Opinion::new(private_a[i], private_p[i]);
        let gap = view.distance(policy);
        let peasant = if class == Class::Peasant { 1.0 } else { 0.0 };
        let without = matches!(class, Class::Worker | Class::Soldier)
            && !matches!(role[i], Role::Official | Role::Leader | Role::Chekist);
        let target_l = unit(
            p.base_legitimacy + p.responsiveness * (1.0 - gap / tolerance)
                - p.hardship_weight * hardship[i]
                + siege * siege_stake(p.siege_pivot, view.property)
                + common
                + peasants * peasant
                - if without { split } else { 0.0 },
        );
        legitimacy[i] = unit(legitimacy[i] + l_rate * (target_l - legitimacy[i]));
        if party[i] == ruling {
            let agreement = 1.0 - 2.0 * view.distance(line);
            loyalty[i] = unit(loyalty[i] + y_rate * (agreement - loyalty[i]));
        }
    }
}

/// The White threat as remembered: today's threat, or the remembered one faded by the
/// half-life `rally_weeks` over a step of `weeks`, whichever is greater.
pub fn remembered_threat(remembered: f64, today: f64, rally_weeks: f64, weeks: f64) -> f64 {
    let fade = if rally_weeks > 0.0 {
        libm::pow(0.5, weeks / rally_weeks)
    } else {
        0.0
    };
    today.max(remembered * fade)
}

/// The material split those without office see, in [0, 1]: half the mean privilege of the
/// present office holders (rations, housing, cars: the goods of office) and half the level of
/// concessions (the traders' gains under a NEP).
pub fn material_split(world: &World) -> f64 {
    let a = &world.agents;
    let (mut sum, mut holders) = (0.0, 0usize);
    for i in 0..a.len() {
        if a.state[i].is_present() && matches!(a.role[i], Role::Official | Role::Leader) {
            sum += a.privilege[i];
            holders += 1;
        }
    }
    let privilege = if holders > 0 {
        sum / holders as f64
    } else {
        0.0
    };
    unit(0.5 * privilege + 0.5 * world.regime.concession)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::small_world;

    fn mean_of(world: &World, column: &[f64], class: Class) -> f64 {
        let idx: Vec<usize> = (0..world.agents.len())
            .filter(|&i| world.agents.class[i] == class)
            .collect();
        idx.iter().map(|&i| column[i]).sum::<f64>() / idx.len() as f64
    }

    /// Two copies of the same world, the second with `change` made to it, after 100 steps of
    /// the rule each: the baseline and the changed world.
    fn contrast(seed: u64, change: impl FnOnce(&mut World)) -> (World, World) {
        let (mut baseline, _) = small_world(1000, seed);
        let mut changed = baseline.clone();
        change(&mut changed);
        for _ in 0..100 {
            apply(&mut baseline);
            apply(&mut changed);
        }
        (baseline, changed)
    }

    #[test]
    fn hunger_raises_townspeoples_hardship_and_lowers_legitimacy() {
        let (fed, hungry) = contrast(1, |w| w.conditions.food_supply = 0.2);
        let h = |w: &World| mean_of(w, &w.agents.hardship, Class::Worker);
        let l = |w: &World| mean_of(w, &w.agents.legitimacy, Class::Worker);
        assert!(h(&hungry) > h(&fed) + 0.3, "{} vs {}", h(&hungry), h(&fed));
        assert!(l(&hungry) < l(&fed) - 0.05, "{} vs {}", l(&hungry), l(&fed));
    }

    #[test]
    fn unemployment_burdens_the_workers_and_no_other_class() {
        let (employed, idle) = contrast(6, |w| w.conditions.unemployment = 0.5);
        let h = |w: &World, c| mean_of(w, &w.agents.hardship, c);
        let l = |w: &World, c| mean_of(w, &w.agents.legitimacy, c);
        // Half the workers out of work at the default weight 0.7: a burden of 0.35 times
        // 0.5 + vulnerability, about 0.35 on average.
        let rise = h(&idle, Class::Worker) - h(&employed, Class::Worker);
        assert!(rise > 0.25 && rise < 0.45, "{rise}");
        assert!(l(&idle, Class::Worker) < l(&employed, Class::Worker) - 0.03);
        for class in [Class::Peasant, Class::Soldier, Class::Specialist] {
            assert_eq!(h(&idle, class), h(&employed, class), "{class:?}");
        }
    }

    #[test]
    fn state_unions_burden_the_workers_and_no_other_class() {
        let (independent, state) = contrast(7, |w| {
            w.rules.bureaucracy.unions = Unions::State;
            w.rules.bureaucracy.union_hardship = 0.2;
        });
        let h = |w: &World, c| mean_of(w, &w.agents.hardship, c);
        // A burden of 0.2 times 0.5 + vulnerability, about 0.2 on average, less where the
        // hardship was already at its ceiling.
        let rise = h(&state, Class::Worker) - h(&independent, Class::Worker);
        assert!(rise > 0.1 && rise < 0.25, "{rise}");
        for class in [Class::Peasant, Class::Soldier, Class::Specialist] {
            assert_eq!(h(&state, class), h(&independent, class), "{class:?}");
        }
    }

    #[test]
    fn concessions_ease_peasants_and_not_workers() {
        let (mut war_communism, _) = small_world(1000, 2);
        let (mut nep, _) = small_world(1000, 2);
        for w in [&mut war_communism, &mut nep] {
            w.conditions.food_supply = 0.3;
        }
        nep.regime.concession = 1.0;
        for _ in 0..100 {
            apply(&mut war_communism);
            apply(&mut nep);
        }
        let peasant_h = |w: &World| mean_of(w, &w.agents.hardship, Class::Peasant);
        let worker_h = |w: &World| mean_of(w, &w.agents.hardship, Class::Worker);
        let peasant_l = |w: &World| mean_of(w, &w.agents.legitimacy, Class::Peasant);
        assert!(peasant_h(&nep) < peasant_h(&war_communism) - 0.2);
        assert!(peasant_l(&nep) > peasant_l(&war_communism) + 0.05);
        assert!((worker_h(&nep) - worker_h(&war_communism)).abs() < 1e-9);
    }

    #[test]
    fn the_white_threat_rallies_the_left_and_alienates_the_right() {
        let (calm, siege) = contrast(3, |w| w.conditions.white_threat = 1.0);
        let l = |w: &World, c| mean_of(w, &w.agents.legitimacy, c);
        assert!(l(&siege, Class::Worker) > l(&calm, Class::Worker) + 0.05);
        assert!(l(&siege, Class::Specialist) < l(&calm, Class::Specialist) - 0.05);
    }

    #[test]
    fn the_remembered_threat_follows_the_threat_up_at_once_and_fades_with_its_half_life() {
        assert_eq!(remembered_threat(0.2, 0.9, 13.0, 1.0), 0.9);
        let faded = remembered_threat(0.8, 0.0, 13.0, 13.0);
        assert!((faded - 0.4).abs() < 1e-12, "{faded}");
        assert_eq!(
            remembered_threat(0.8, 0.1, 0.0, 1.0),
            0.1,
            "0 weeks forgets at once"
        );
    }

    #[test]
    fn the_rally_outlasts_the_threat() {
        let (mut world, _) = small_world(500, 5);
        world.conditions.white_threat = 0.9;
        apply(&mut world);
        assert!((world.regime.rally - 0.9).abs() < 1e-12);
        world.conditions.white_threat = 0.0;
        for _ in 0..13 {
            apply(&mut world);
        }
        assert!(
            (world.regime.rally - 0.45).abs() < 0.01,
            "{}",
            world.regime.rally
        );
    }

    #[test]
    fn the_material_split_lowers_the_legitimacy_of_workers_without_office() {
        let (mut equal, _) = small_world(1000, 6);
        let (mut split, _) = small_world(1000, 6);
        split.regime.concession = 1.0;
        for i in 0..split.agents.len() {
            if split.agents.role[i] == Role::Official {
                split.agents.privilege[i] = 1.0;
            }
        }
        assert!(material_split(&split) > material_split(&equal) + 0.4);
        for _ in 0..100 {
            apply(&mut equal);
            apply(&mut split);
        }
        let l = |w: &World| {
            let idx: Vec<usize> = (0..w.agents.len())
                .filter(|&i| w.agents.class[i] == Class::Worker && w.agents.role[i] == Role::None)
                .collect();
            idx.iter().map(|&i| w.agents.legitimacy[i]).sum::<f64>() / idx.len() as f64
        };
        assert!(
            l(&split) < l(&equal) - 0.05,
            "{} vs {}",
            l(&split),
            l(&equal)
        );
    }

    #[test]
    fn privilege_shields_from_hardship() {
        let (mut world, _) = small_world(200, 4);
        world.conditions.food_supply = 0.0;
        let plain = hardship_target(&world, Class::Worker, 0.5, 0.0);
        let privileged = hardship_target(&world, Class::Worker, 0.5, 1.0);
        assert!((plain - privileged - world.rules.conditions.privilege_relief).abs() < 1e-12);
    }
}
