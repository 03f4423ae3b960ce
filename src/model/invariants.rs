//! The model's bookkeeping, checked: what must hold in the world at the end of every step
//! whatever the scenario. [`crate::ensemble::run_replicate`] checks after every step in debug builds (so
//! in every test run) and panics with the broken rule, the step and the agent or soviet; the
//! property tests check random scenarios. Release builds skip the checks (they cost a pass
//! over the agents per step).

use super::PartyStatus;
use super::{NONE, State, World};

/// What the previous step left, for the rules that compare two steps.
#[derive(Clone, Copy, Debug, Default)]
pub struct Previous {
    pub restored: bool,
}

/// Checks the world after a step; the first broken rule, in words. The metrics' own row is
/// checked by [`crate::metrics::check_row`].
pub fn check(world: &World, previous: Previous) -> Result<(), String> {
    let a = &world.agents;
    let n = a.len();
    let step = world.step;
    let fail = |what: String| Err(format!("step {step}: {what}"));
    // Every column has one entry per agent: no agent is lost or made up. The model has no
    // births, so the agents counted in all states together are the agents built.
    for (name, len) in [
        ("state", a.state.len()),
        ("release_step", a.release_step.len()),
        ("party", a.party.len()),
    ] {
        if len != n {
            return fail(format!("column {name} has {len} entries for {n} agents"));
        }
    }
    let mut by_state = [0usize; 8];
    for i in 0..n {
        by_state[a.state[i] as usize] += 1;
        if a.state[i] == State::Jailed && a.release_step[i] <= step {
            return fail(format!(
                "agent {i} is jailed with a release date ({}) not after today",
                a.release_step[i]
            ));
        }
        for (what, v) in [
            ("hardship", a.hardship[i]),
            ("legitimacy", a.legitimacy[i]),
            ("risk aversion", a.risk_aversion[i]),
            ("militancy", a.militancy[i]),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return fail(format!("agent {i} has {what} {v}, outside [0, 1]"));
            }
        }
        let p = a.party[i];
        if p != NONE && p as usize >= world.parties.len() {
            return fail(format!(
                "agent {i} belongs to party {p}, which does not exist"
            ));
        }
    }
    if by_state.iter().sum::<usize>() != n {
        return fail("the states do not account for every agent".to_string());
    }
    // Soviets: the number of seats is fixed when the world is built; a seat is held by a
    // living agent, never by a member of a banned party.
    let seats = world.rules.soviets.seats as usize;
    for (k, soviet) in world.soviets.iter().enumerate() {
        if world.rules.soviets.enabled && soviet.seats.len() != seats {
            return fail(format!(
                "soviet {k} has {} seats, not {seats}",
                soviet.seats.len()
            ));
        }
        if !(0.0..=1.0).contains(&soviet.vitality) || !(0.0..=1.0).contains(&soviet.plenum) {
            return fail(format!("soviet {k} has vitality or plenum outside [0, 1]"));
        }
        for seat in soviet.seats.iter().filter(|s| s.is_filled()) {
            let h = seat.holder as usize;
            if h >= n {
                return fail(format!("soviet {k} seats agent {h}, who does not exist"));
            }
            if matches!(a.state[h], State::Dead | State::Emigrated) {
                return fail(format!(
                    "soviet {k} seats agent {h}, who is {:?}",
                    a.state[h]
                ));
            }
            let party = a.party[h];
            if party != NONE
                && world
                    .parties
                    .get(party as usize)
                    .is_some_and(|p| p.status == PartyStatus::Banned)
            {
                return fail(format!(
                    "soviet {k} seats agent {h}, a member of the banned party {}",
                    world.parties[party as usize].name
                ));
            }
        }
    }
    // A restoration is final.
    if previous.restored && !world.regime.restored {
        return fail("the regime, once restored, is not restored any more".to_string());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::replicate_stream;
    use crate::scenario::Scenario;
    use crate::testing::TEST_SCENARIO;
    use proptest::prelude::*;

    /// Steps a world of this scenario text, checking after every step.
    fn run_checked(text: &str, seed: u64, steps: u32) -> Result<(), String> {
        let scenario = Scenario::parse(text, "p.toml").map_err(|d| d.to_string())?;
        let mut rng = replicate_stream(seed, 0);
        let mut world = World::build(&scenario.setup(), &mut rng);
        let mut previous = Previous::default();
        for step in 0..steps.min(scenario.steps()) {
            world.step = step;
            crate::rules::step(&mut world, &mut rng);
            let row = crate::metrics::record(&mut world);
            check(&world, previous)?;
            crate::metrics::check_row(&row, step)?;
            previous.restored = world.regime.restored;
        }
        Ok(())
    }

    #[test]
    fn each_broken_rule_is_caught() {
        let (mut world, mut rng) = crate::testing::small_world(200, 3);
        crate::rules::step(&mut world, &mut rng);
        assert_eq!(check(&world, Previous::default()), Ok(()));
        let mut w = world.clone();
        w.agents.state[0] = State::Jailed;
        w.agents.release_step[0] = w.step;
        assert!(
            check(&w, Previous::default())
                .unwrap_err()
                .contains("jailed")
        );
        let mut w = world.clone();
        w.agents.legitimacy[1] = 1.5;
        assert!(
            check(&w, Previous::default())
                .unwrap_err()
                .contains("legitimacy")
        );
        let restored = Previous { restored: true };
        assert!(
            check(&world, restored)
                .unwrap_err()
                .contains("once restored")
        );
        // A member of a banned party in a seat.
        let mut w = world.clone();
        let banned = crate::testing::party_index(&w, "mensheviks");
        w.parties[banned as usize].status = PartyStatus::Banned;
        let holder = (0..w.agents.len())
            .find(|&i| matches!(w.agents.state[i], State::Quiet | State::Active))
            .unwrap();
        w.agents.party[holder] = banned;
        w.soviets[0].seats[0].holder = holder as u32;
        assert!(
            check(&w, Previous::default())
                .unwrap_err()
                .contains("banned party")
        );
        let mut w = world.clone();
        w.soviets[0].seats.pop();
        assert!(
            check(&w, Previous::default())
                .unwrap_err()
                .contains("seats, not")
        );
    }

    proptest! {
        // Random scenarios: population, police, bans at the start and the main guesses
        // drawn at random; the bookkeeping must hold after every step of the first years.
        #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]
        #[test]
        fn the_bookkeeping_holds_in_random_scenarios(
            agents in 60u32..400,
            seed in 0u64..1_000_000,
            capacity in 0.0f64..20.0,
            detection in 0.0f64..0.2,
            confidence in 0.0f64..1.0,
            turnout in 0.0f64..1.0,
            seats in 1u32..60,
            enforcement in 0.0f64..1.0,
            ban_mensheviks in any::<bool>(),
            targets in prop::sample::subsequence(vec!["whites", "active", "strikers", "other_parties", "banned_parties", "underground", "factions"], 0..=7),
            restoration_threshold in 0.0f64..0.2,
            recruitment in prop::sample::select(vec!["workers_only", "open", "careerist"]),
        ) {
            let mut text = TEST_SCENARIO.replace("agents = 1000", &format!("agents = {agents}"));
            if ban_mensheviks {
                text = text.replace("platform = [0.45, 0.35]", "platform = [0.45, 0.35]\nstatus = \"banned\"");
            }
            let targets: Vec<String> = targets.iter().map(|t| format!("\"{t}\"")).collect();
            text.push_str(&format!(
                "[rules.repression]\ncapacity = {capacity}\ndetection = {detection}\ntargets = [{}]\n[rules.opinion]\nconfidence = {confidence}\n[rules.soviets]\nturnout = {turnout}\nseats = {seats}\n[rules.factions]\nenforcement = {enforcement}\nbanned = {ban_mensheviks}\n[rules.regime]\nrestoration_threshold = {restoration_threshold}\n[rules.ruling_party]\nrecruitment = \"{recruitment}\"\n[[events]]\ndate = \"1918-03\"\naction = \"faction\"\nname = \"left\"\nplatform = [0.3, 0.1]\n[[events]]\ndate = \"1918-06\"\naction = \"purge\"\ntarget = \"critics\"\nlevel = 0.5\n[[events]]\ndate = \"1918-09\"\naction = \"override\"\nlevel = 1.0\n",
                targets.join(", ")
            ));
            prop_assert_eq!(run_checked(&text, seed, 110), Ok(()));
        }
    }
}
