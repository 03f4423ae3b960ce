//! Phase 1, environment and events: today's values of the dated series, and the events dated
//! today. Switching it off freezes the world's conditions at their starting values and ignores
//! every event, which is the "nothing happens" control experiment.

use crate::model::World;
use crate::model::params::Unions;

/// Reads the series at the current step.
pub fn read_series(world: &mut World) {
    world.conditions = world.environment.at(world.step as f64);
}

/// Raises today's output under one-man management (workplace governance is settled just
/// before, in phase 1a) and under state unions, and applies every event due by today.
pub fn apply(world: &mut World) {
    // The leadership's case for one-man management and for the unions' production tasks:
    // the factories produce more.
    let b = &world.rules.bureaucracy;
    let discipline = if b.unions == Unions::State {
        b.union_output
    } else {
        0.0
    };
    let gain = b.one_man_output * super::bureaucracy::one_man_share(world) + discipline;
    world.conditions.industrial_output =
        (world.conditions.industrial_output * (1.0 + gain)).clamp(0.0, 1.0);
    while let Some(event) = world.events.get(world.next_event) {
        if event.step > world.step {
            break;
        }
        let event = event.clone();
        event.apply(world);
        world.next_event += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PartyStatus;
    use crate::model::{Action, Event, Series, ShockAttribute};
    use crate::testing::{party_index, small_world};

    #[test]
    fn series_are_read_and_events_applied_on_their_step_and_not_before() {
        let (mut world, _) = small_world(300, 29);
        let srs = party_index(&world, "srs");
        world.environment.series[0] = Series::new(vec![(0.0, 0.0), (10.0, 1.0)]);
        world.events = vec![
            Event {
                step: 3,
                action: Action::PartyStatus {
                    party: srs,
                    status: PartyStatus::Banned,
                },
                label: "ban".into(),
            },
            Event {
                step: 3,
                action: Action::Concession { level: 0.5 },
                label: "nep".into(),
            },
            Event {
                step: 5,
                action: Action::Shock {
                    attribute: ShockAttribute::Legitimacy,
                    delta: -1.0,
                    class: None,
                    party: None,
                    faction: None,
                },
                label: "shock".into(),
            },
        ];
        for step in 0..3 {
            world.step = step;
            read_series(&mut world);
            apply(&mut world);
            assert_eq!(world.parties[srs as usize].status, PartyStatus::Legal);
        }
        assert!((world.conditions.civil_war - 0.2).abs() < 1e-12);
        world.step = 3;
        read_series(&mut world);
        apply(&mut world);
        assert_eq!(world.parties[srs as usize].status, PartyStatus::Banned);
        assert_eq!(world.regime.concession, 0.5);
        assert!(world.agents.legitimacy.iter().any(|&l| l > 0.0));
        world.step = 5;
        read_series(&mut world);
        apply(&mut world);
        assert!(world.agents.legitimacy.iter().all(|&l| l == 0.0));
        assert_eq!(world.next_event, 3);
    }

    #[test]
    fn state_unions_raise_output_by_their_discipline() {
        let (mut world, _) = small_world(300, 29);
        for place in world.workplaces.iter_mut() {
            place.one_man = false;
        }
        read_series(&mut world);
        world.conditions.industrial_output = 0.5;
        apply(&mut world);
        assert_eq!(world.conditions.industrial_output, 0.5);
        world.rules.bureaucracy.unions = Unions::State;
        world.conditions.industrial_output = 0.5;
        apply(&mut world);
        let gain = world.rules.bureaucracy.union_output;
        assert!(gain > 0.0);
        assert!((world.conditions.industrial_output - 0.5 * (1.0 + gain)).abs() < 1e-12);
    }

    #[test]
    fn a_shock_aimed_at_a_party_moves_its_members_only() {
        let (mut world, _) = small_world(500, 30);
        let left_srs = party_index(&world, "left_srs");
        for l in world.agents.legitimacy.iter_mut() {
            *l = 0.8;
        }
        world.events = vec![Event {
            step: 0,
            action: Action::Shock {
                attribute: ShockAttribute::Legitimacy,
                delta: -0.5,
                class: None,
                party: Some(left_srs),
                faction: None,
            },
            label: "brest".into(),
        }];
        apply(&mut world);
        let a = &world.agents;
        let members = (0..a.len()).filter(|&i| a.party[i] == left_srs).count();
        assert!(members > 0);
        for i in 0..a.len() {
            let expected = if a.party[i] == left_srs && a.state[i].is_present() {
                0.3
            } else {
                0.8
            };
            assert!((a.legitimacy[i] - expected).abs() < 1e-12, "agent {i}");
        }
    }

    #[test]
    fn a_shock_aimed_at_a_faction_moves_its_living_members_only() {
        let (mut world, _) = small_world(500, 31);
        for l in world.agents.legitimacy.iter_mut() {
            *l = 0.8;
        }
        world.factions.push(crate::model::Faction {
            name: "left_opposition".into(),
            platform: crate::model::Opinion::new(0.5, 0.1),
            alive: true,
            born: 0,
            condemned: false,
        });
        let signed: Vec<usize> = (0..world.agents.len())
            .filter(|&i| world.is_ruling_member(i))
            .step_by(3)
            .collect();
        assert!(!signed.is_empty());
        for &i in &signed {
            world.agents.faction[i] = 0;
        }
        let shock = |name: &str| Event {
            step: 0,
            action: Action::Shock {
                attribute: ShockAttribute::Legitimacy,
                delta: -0.5,
                class: None,
                party: None,
                faction: Some(name.into()),
            },
            label: "demonstrations".into(),
        };
        world.events = vec![shock("left_opposition")];
        apply(&mut world);
        let a = &world.agents;
        for i in 0..a.len() {
            let expected = if a.faction[i] == 0 && a.state[i].is_present() {
                0.3
            } else {
                0.8
            };
            assert!((a.legitimacy[i] - expected).abs() < 1e-12, "agent {i}");
        }
        // A faction no longer living has nobody to move.
        world.factions[0].alive = false;
        let before = world.agents.legitimacy.clone();
        world.events = vec![shock("left_opposition")];
        apply(&mut world);
        assert_eq!(world.agents.legitimacy, before);
    }
}
