//! Phase 5, activation: who protests. Epstein's civil-violence rule on the tie network: an
//! agent's grievance is G = H (1 - L); it estimates its risk of arrest from the chekists C and
//! the active agents A among its neighbours (A counts itself) as P = 1 - exp(-k round(C / A)),
//! and goes active when G - R P > T. With the optional Granovetter term, the share of active
//! neighbours lowers the threshold: people come out when others around them do, as in the
//! strike waves of February 1921 and summer 1923. A workplace whose active share passes a
//! threshold is on strike.

use super::rates::unit;
use crate::model::params::ActivationParams;
use crate::model::{NONE, Role, State, World};

/// Epstein's estimated arrest probability for `chekists` (informers counted by weight) and
/// `actives` (self included) in view.
#[inline]
pub fn arrest_probability(p: &ActivationParams, chekists: f64, actives: u32) -> f64 {
    let ratio = chekists / actives.max(1) as f64;
    1.0 - libm::exp(-p.arrest_constant * p.rounding.apply(ratio))
}

/// Whether an agent with these attributes goes active.
#[inline]
pub fn decides_active(
    p: &ActivationParams,
    hardship: f64,
    legitimacy: f64,
    risk_aversion: f64,
    arrest_probability: f64,
    active_share: f64,
) -> bool {
    let grievance = hardship * (1.0 - legitimacy);
    let threshold = p.threshold * (1.0 - p.granovetter * unit(active_share));
    grievance - risk_aversion * arrest_probability > threshold
}

/// What a neighbour shows an agent deciding whether to come out, one byte per agent so that
/// the neighbour loop reads a compact array (it stays in cache) instead of four columns. The
/// bits say what the neighbour counts toward, so that the loop adds them up without
/// branching on the kind of neighbour.
mod signal {
    /// Counts as present.
    const PRESENT: u8 = 1;
    /// Counts as active (and present).
    const ACTIVES: u8 = 2;
    /// Counts as an agitator of an underground group.
    const AGITATES: u8 = 4;
    /// Deters: a chekist, or a member of the ruling party as an informer.
    pub const DETERS: u8 = 8;
    /// The deterrent is an informer's (weighted by loyalty), not a chekist's.
    pub const INFORMS: u8 = 16;

    pub const ABSENT: u8 = 0;
    pub const QUIET: u8 = PRESENT;
    pub const CHEKIST: u8 = PRESENT | DETERS;
    /// A quiet member of the ruling party: deters by `informer_weight x loyalty`.
    pub const MEMBER: u8 = PRESENT | DETERS | INFORMS;
    pub const ACTIVE: u8 = PRESENT | ACTIVES;
    pub const UNDERGROUND: u8 = PRESENT;
    /// An underground member of a faction's group.
    pub const AGITATOR: u8 = PRESENT | AGITATES;

    #[inline]
    pub fn present(s: u8) -> u32 {
        u32::from(s & PRESENT)
    }

    #[inline]
    pub fn active(s: u8) -> u32 {
        u32::from((s & ACTIVES) >> 1)
    }

    #[inline]
    pub fn agitator(s: u8) -> u32 {
        u32::from((s & AGITATES) >> 2)
    }
}

pub fn apply(world: &mut World) {
    let p = world.rules.activation;
    let n = world.agents.len();
    let ruling = world.regime.ruling_party;
    // Every agent's signal, from the states before the pass.
    let mut signals = std::mem::take(&mut world.scratch.codes);
    signals.resize(n, signal::ABSENT);
    let a = &world.agents;
    for j in 0..n {
        signals[j] = match a.state[j] {
            State::Active => signal::ACTIVE,
            State::Quiet => {
                if a.role[j] == Role::Chekist {
                    signal::CHEKIST
                } else if a.party[j] == ruling {
                    signal::MEMBER
                } else {
                    signal::QUIET
                }
            }
            State::Underground => {
                if a.faction[j] != NONE {
                    signal::AGITATOR
                } else {
                    signal::UNDERGROUND
                }
            }
            _ => signal::ABSENT,
        };
    }
    // Decide everyone from those signals, then apply.
    let decisions = &mut world.scratch.flags;
    let agitation = world.rules.factions.agitation;
    // No one whose grievance is at or below the lowest threshold the Granovetter term can
    // give comes out, whatever the neighbours do: skip their neighbours (the same decision,
    // far less work in calm times).
    let floor = p.threshold * (1.0 - p.granovetter.clamp(0.0, 1.0));
    for i in 0..n {
        decisions[i] = false;
        if !a.state[i].is_visible() || a.role[i] == Role::Chekist {
            continue;
        }
        if a.hardship[i] * (1.0 - a.legitimacy[i]) <= floor {
            continue;
        }
        let (mut chekists, mut actives, mut present) = (0.0f64, 1u32, 0u32);
        let mut agitators = 0u32;
        for &j in world.network.neighbours(i) {
            let s = signals[j as usize];
            present += signal::present(s);
            actives += signal::active(s);
            agitators += signal::agitator(s);
            if s & signal::DETERS != 0 {
                chekists += if s & signal::INFORMS != 0 {
                    p.informer_weight * a.loyalty[j as usize]
                } else {
                    1.0
                };
            }
        }
        // An underground group's members agitate: each counts as active neighbours.
        let agitation = agitation * agitators as f64;
        let share = if present > 0 {
            ((actives - 1) as f64 + agitation).min(present as f64) / present as f64
        } else {
            0.0
        };
        // The arrest risk can only hold back: work it out only for those it could stop.
        let threshold = p.threshold * (1.0 - p.granovetter * unit(share));
        decisions[i] = a.hardship[i] * (1.0 - a.legitimacy[i]) > threshold
            && decides_active(
                &p,
                a.hardship[i],
                a.legitimacy[i],
                a.risk_aversion[i],
                arrest_probability(&p, chekists, actives),
                share,
            );
    }
    world.scratch.codes = signals;
    let a = &mut world.agents;
    for i in 0..n {
        if a.state[i].is_visible() {
            a.state[i] = if decisions[i] {
                State::Active
            } else {
                State::Quiet
            };
        }
    }
    mark_strikes(world);
}

/// Marks the workplaces whose active share of present workers passes the strike threshold.
pub fn mark_strikes(world: &mut World) {
    let threshold = world.rules.activation.strike_threshold;
    let (present, active) = (&mut world.scratch.counts, &mut world.scratch.counts2);
    present.iter_mut().for_each(|c| *c = 0);
    active.iter_mut().for_each(|c| *c = 0);
    let a = &world.agents;
    for i in 0..a.len() {
        let w = a.workplace[i];
        if w != NONE && a.state[i].is_visible() {
            present[w as usize] += 1;
            if a.state[i] == State::Active {
                active[w as usize] += 1;
            }
        }
    }
    for (w, place) in world.workplaces.iter_mut().enumerate() {
        place.on_strike = present[w] > 0 && active[w] as f64 / present[w] as f64 > threshold;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::params::Rounding;
    use crate::testing::{count_state, small_world};

    #[test]
    fn one_chekist_facing_one_active_agent_gives_epsteins_probability() {
        let p = ActivationParams::default();
        let expected = 1.0 - (-2.3f64).exp();
        assert!((arrest_probability(&p, 1.0, 1) - expected).abs() < 1e-12);
        assert!((arrest_probability(&p, 1.0, 1) - 0.8997).abs() < 1e-4);
        assert_eq!(arrest_probability(&p, 0.0, 5), 0.0);
        // Rounding: one chekist among three actives rounds to none.
        assert_eq!(arrest_probability(&p, 1.0, 3), 0.0);
        let none = ActivationParams {
            rounding: Rounding::None,
            ..p
        };
        assert!(arrest_probability(&none, 1.0, 3) > 0.5);
    }

    #[test]
    fn nobody_turns_active_when_legitimacy_is_at_least_one_minus_t() {
        let (mut world, _) = small_world(2000, 9);
        let t = world.rules.activation.threshold;
        for i in 0..world.agents.len() {
            world.agents.hardship[i] = 1.0;
            world.agents.legitimacy[i] = 1.0 - t;
            world.agents.risk_aversion[i] = 0.0;
            if world.agents.role[i] == Role::Chekist {
                world.agents.role[i] = Role::None;
            }
        }
        apply(&mut world);
        assert_eq!(count_state(&world, State::Active), 0);
        // Just below the bound, the same people come out.
        for l in world.agents.legitimacy.iter_mut() {
            *l = 1.0 - t - 0.01;
        }
        apply(&mut world);
        assert_eq!(count_state(&world, State::Active), world.present_count());
    }

    #[test]
    fn chekists_in_view_deter_the_risk_averse() {
        let p = ActivationParams::default();
        assert!(decides_active(&p, 0.8, 0.5, 0.5, 0.0, 0.0));
        assert!(!decides_active(&p, 0.8, 0.5, 0.5, 0.9, 0.0));
        assert!(decides_active(&p, 0.8, 0.5, 0.0, 0.9, 0.0));
    }

    #[test]
    fn active_neighbours_lower_the_threshold_with_the_granovetter_term() {
        let p = ActivationParams {
            granovetter: 1.0,
            ..ActivationParams::default()
        };
        // Grievance 0.08 is below T = 0.1 alone, above it when half the neighbours are out.
        assert!(!decides_active(&p, 0.4, 0.8, 0.0, 0.0, 0.0));
        assert!(decides_active(&p, 0.4, 0.8, 0.0, 0.0, 0.5));
        let pure = ActivationParams::default();
        assert!(!decides_active(&pure, 0.4, 0.8, 0.0, 0.0, 0.5));
    }

    #[test]
    fn a_workplace_strikes_when_enough_of_its_workers_are_active() {
        let (mut world, _) = small_world(3000, 10);
        let members: Vec<usize> = (0..world.agents.len())
            .filter(|&i| world.agents.workplace[i] == 0)
            .collect();
        assert!(members.len() >= 4);
        let half = members.len() / 2;
        for &i in &members[..half] {
            world.agents.state[i] = State::Active;
        }
        mark_strikes(&mut world);
        assert!(world.workplaces[0].on_strike);
        assert!(!world.workplaces[1].on_strike);
        for &i in &members {
            world.agents.state[i] = State::Quiet;
        }
        mark_strikes(&mut world);
        assert!(!world.workplaces[0].on_strike);
    }

    #[test]
    fn loyal_members_in_view_deter_only_with_an_informer_weight() {
        let run = |weight: f64| {
            let (mut world, _) = small_world(2000, 27);
            world.rules.activation.informer_weight = weight;
            world.rules.activation.rounding = Rounding::None;
            let ruling = world.regime.ruling_party;
            for i in 0..world.agents.len() {
                world.agents.hardship[i] = 0.5;
                world.agents.legitimacy[i] = 0.5;
                world.agents.risk_aversion[i] = 1.0;
                if i % 2 == 0 {
                    world.agents.party[i] = ruling;
                    world.agents.loyalty[i] = 1.0;
                }
            }
            apply(&mut world);
            count_state(&world, State::Active)
        };
        let free = run(0.0);
        let watched = run(0.5);
        assert!(free > 1500, "{free}");
        assert!(watched < free / 2, "{watched} vs {free}");
    }

    #[test]
    fn underground_agitators_bring_their_neighbours_out() {
        let (mut calm, _) = small_world(2000, 12);
        calm.rules.activation.granovetter = 1.0;
        // Grievance 0.08, just under the threshold of 0.1, with no police anywhere.
        for i in 0..2000 {
            calm.agents.hardship[i] = 0.4;
            calm.agents.legitimacy[i] = 0.8;
            calm.agents.role[i] = Role::None;
            calm.agents.party[i] = NONE;
        }
        let mut agitated = calm.clone();
        for i in (0..2000).step_by(3) {
            for w in [&mut calm, &mut agitated] {
                w.agents.state[i] = State::Underground;
            }
            agitated.agents.faction[i] = 0;
        }
        apply(&mut calm);
        apply(&mut agitated);
        assert_eq!(count_state(&calm, State::Active), 0);
        assert!(count_state(&agitated, State::Active) > 500);
        let mut silenced = agitated.clone();
        silenced.rules.factions.agitation = 0.0;
        for i in 0..2000 {
            if silenced.agents.state[i] == State::Active {
                silenced.agents.state[i] = State::Quiet;
            }
        }
        apply(&mut silenced);
        assert_eq!(count_state(&silenced, State::Active), 0);
    }
}
