//! Phase 2, demography: hunger and idle factories empty the towns and recovery refills them
//! (the "declassing" the Miasnikov essay and Ward describe); the party mobilises its most
//! militant to the front, where many die; famine kills at home; demobilised soldiers come back
//! with army habits (Trotsky's observation, quoted by the anarchist FAQ, that the victorious
//! commanders carried the civil war's regime into civilian bodies).

use super::rates::{per_step, unit};
use crate::model::params::DemographyParams;
use crate::model::{Class, Role, State, World};
use crate::rng::{self, SimRng};

/// Hunger or idleness in [0, 1]: how far food or output lies below its threshold.
pub fn pressure(p: &DemographyParams, food: f64, output: f64) -> f64 {
    let below = |x: f64, t: f64| if t > 0.0 { unit((t - x) / t) } else { 0.0 };
    below(food, p.hunger_threshold).max(below(output, p.idle_threshold))
}

/// Recovery in [0, 1]: how far both food and output lie above their thresholds.
pub fn recovery(p: &DemographyParams, food: f64, output: f64) -> f64 {
    let above = |x: f64, t: f64| {
        if t < 1.0 {
            unit((x - t) / (1.0 - t))
        } else {
            0.0
        }
    };
    above(food, p.hunger_threshold).min(above(output, p.idle_threshold))
}

pub fn apply(world: &mut World, rng: &mut SimRng) {
    let p = world.rules.demography;
    let weeks = world.weeks();
    let c = world.conditions;
    let hunger = pressure(&p, c.food_supply, c.industrial_output);
    let food_hunger = if p.hunger_threshold > 0.0 {
        unit((p.hunger_threshold - c.food_supply) / p.hunger_threshold)
    } else {
        0.0
    };
    // The towns' emptying is the same under every view: all the essays accept it (Petrograd
    // lost about two thirds of its people by 1920). What they dispute is what it did to the
    // soviets and the party, which `[rules.leadership] circumstances` scales in the soviets'
    // rule; scaling the departures too let a view deny the record and, with the hungry kept
    // in the towns, bring the Whites in.
    let leave = per_step(p.departure_rate * hunger, weeks);
    let back = per_step(
        p.return_rate * recovery(&p, c.food_supply, c.industrial_output),
        weeks,
    );
    let famine = per_step(p.famine_mortality * food_hunger, weeks);
    let front_death = per_step(p.front_mortality * c.civil_war, weeks);
    let demob = per_step(p.demobilisation_rate * (1.0 - c.civil_war), weeks);
    let ruling = world.regime.ruling_party;
    // Each event with one chance for everyone it can befall is drawn as the gap to the next
    // agent it befalls (`rng::Countdown`): the same law as a draw per agent, at a draw per
    // event. Mobilisation's chance grows with militancy and membership: candidates come at
    // the highest chance, and each is taken with its own chance over that one (thinning).
    let most_mobilised = per_step(
        p.mobilisation_rate * c.civil_war * 2.0 * (1.0 + p.member_mobilisation.max(0.0)),
        weeks,
    );
    let mut famine_deaths = rng::Countdown::new(rng, famine);
    let mut mobilisations = rng::Countdown::new(rng, most_mobilised);
    let mut departures = rng::Countdown::new(rng, leave);
    let mut returns = rng::Countdown::new(rng, back);
    let mut front_deaths = rng::Countdown::new(rng, front_death);
    let mut demobilisations = rng::Countdown::new(rng, demob);
    let a = &mut world.agents;
    for i in 0..a.len() {
        match a.state[i] {
            State::Quiet | State::Active => {
                if famine_deaths.hit(rng) {
                    a.state[i] = State::Dead;
                    continue;
                }
                let mobilisable = a.role[i] == Role::None
                    && matches!(a.class[i], Class::Worker | Class::Peasant | Class::Soldier);
                if mobilisable && mobilisations.hit(rng) {
                    let member_weight = if a.party[i] == ruling {
                        1.0 + p.member_mobilisation
                    } else {
                        1.0
                    };
                    let mobilise = per_step(
                        p.mobilisation_rate * c.civil_war * 2.0 * a.militancy[i] * member_weight,
                        weeks,
                    );
                    if rng::chance(rng, mobilise / most_mobilised) {
                        a.state[i] = State::Front;
                        continue;
                    }
                }
                if a.class[i].is_urban() && a.role[i] == Role::None && departures.hit(rng) {
                    a.state[i] = State::Departed;
                }
            }
            State::Departed => {
                if famine_deaths.hit(rng) {
                    a.state[i] = State::Dead;
                } else if returns.hit(rng) {
                    a.state[i] = State::Quiet;
                }
            }
            State::Front => {
                if front_deaths.hit(rng) {
                    a.state[i] = State::Dead;
                } else if demobilisations.hit(rng) {
                    a.state[i] = State::Quiet;
                    a.veteran[i] = true;
                    a.private_authority[i] = unit(a.private_authority[i] + p.army_habits);
                }
            }
            State::Jailed | State::Underground | State::Emigrated | State::Dead => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::State;
    use crate::testing::{count_state, small_world};

    fn urban_present(w: &World) -> usize {
        (0..w.agents.len())
            .filter(|&i| w.agents.class[i].is_urban() && w.agents.state[i].is_present())
            .count()
    }

    #[test]
    fn hunger_empties_the_cities_and_recovery_refills_them() {
        let (mut world, mut rng) = small_world(2000, 1);
        world.rules.demography.famine_mortality = 0.0;
        world.rules.demography.mobilisation_rate = 0.0;
        let before = urban_present(&world);
        world.conditions.food_supply = 0.1;
        world.conditions.industrial_output = 0.1;
        for _ in 0..52 {
            apply(&mut world, &mut rng);
        }
        let hungry = urban_present(&world);
        assert!(
            hungry < before * 3 / 4,
            "{hungry} of {before} still in town"
        );
        assert!(count_state(&world, State::Departed) > 0);
        // Peasants do not leave the countryside.
        world.conditions.food_supply = 1.0;
        world.conditions.industrial_output = 1.0;
        for _ in 0..200 {
            apply(&mut world, &mut rng);
        }
        let recovered = urban_present(&world);
        assert!(recovered > before * 9 / 10, "{recovered} of {before} back");
    }

    #[test]
    fn the_towns_empty_alike_under_every_view_of_the_circumstances() {
        // The emptying of the towns is the shared record; a view's `circumstances` weighs
        // what it did to the soviets, not whether it happened.
        let departed = |strength: f64| {
            let (mut world, mut rng) = small_world(2000, 1);
            world.rules.leadership.circumstances = strength;
            world.conditions.food_supply = 0.1;
            world.conditions.industrial_output = 0.1;
            for _ in 0..26 {
                apply(&mut world, &mut rng);
            }
            count_state(&world, State::Departed)
        };
        let middle = departed(0.5);
        assert!(middle > 0);
        assert_eq!(departed(0.0), middle);
        assert_eq!(departed(1.0), middle);
    }

    #[test]
    fn nobody_leaves_when_food_and_output_are_normal() {
        let (mut world, mut rng) = small_world(1000, 2);
        world.conditions.food_supply = 1.0;
        world.conditions.industrial_output = 1.0;
        for _ in 0..50 {
            apply(&mut world, &mut rng);
        }
        assert_eq!(count_state(&world, State::Departed), 0);
        assert_eq!(count_state(&world, State::Dead), 0);
    }

    #[test]
    fn war_mobilises_the_militant_and_kills_at_the_front() {
        let (mut world, mut rng) = small_world(4000, 3);
        world.rules.demography.famine_mortality = 0.0;
        world.conditions.civil_war = 1.0;
        world.rules.demography.mobilisation_rate = 0.02;
        let mean_militancy: f64 =
            world.agents.militancy.iter().sum::<f64>() / world.agents.len() as f64;
        for _ in 0..10 {
            apply(&mut world, &mut rng);
        }
        let front: Vec<usize> = (0..world.agents.len())
            .filter(|&i| matches!(world.agents.state[i], State::Front | State::Dead))
            .collect();
        assert!(!front.is_empty());
        let front_militancy = front
            .iter()
            .map(|&i| world.agents.militancy[i])
            .sum::<f64>()
            / front.len() as f64;
        assert!(
            front_militancy > mean_militancy + 0.05,
            "{front_militancy} vs {mean_militancy}"
        );
        assert!(
            !front
                .iter()
                .any(|&i| world.agents.class[i] == Class::Specialist)
        );
        for _ in 0..100 {
            apply(&mut world, &mut rng);
        }
        assert!(count_state(&world, State::Dead) > 0);
        // Peace brings the survivors home, as veterans with army habits.
        world.conditions.civil_war = 0.0;
        for _ in 0..600 {
            apply(&mut world, &mut rng);
        }
        assert_eq!(count_state(&world, State::Front), 0);
        assert!(world.agents.veteran.iter().any(|&v| v));
    }
}
