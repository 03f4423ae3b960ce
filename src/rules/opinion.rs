//! Phase 4, opinion. People talk along their ties and are persuaded only by views close to
//! their own (Deffuant-Weisbuch bounded confidence): agent i is moved by what j *says*, when
//! that lies within i's confidence bound of what i privately *thinks*. Private opinions also
//! drift with experience: hardship blamed on the regime pushes away from its line, privilege
//! pulls toward authority (social position shapes consciousness, the argument of Ward and the
//! Workers' Group about the new bureaucracy). What an agent says is its private view pulled
//! toward the line by fear and by loyalty: preference falsification, the silence the Platform
//! of the 46 complained of ("free discussion has in fact disappeared").

use super::rates::per_step;
use crate::model::params::OpinionParams;
use crate::model::{Opinion, World, falsification_pressure};
use crate::rng::{self, SimRng};

/// The Deffuant-Weisbuch rule: a private view `own` hearing `said` moves toward it by the
/// convergence share when it lies within the confidence bound, and stays otherwise.
#[inline]
pub fn hear(p: &OpinionParams, own: Opinion, said: Opinion) -> Option<Opinion> {
    hear_within(p.convergence, reach(p), own, said)
}

/// The squared Euclidean distance below which a view persuades: the confidence bound on the
/// distance scaled to [0, 1] (`Opinion::distance`), squared, so that an encounter compares
/// without a square root. Negative (nothing persuades) for a bound of 0 or less.
#[inline]
fn reach(p: &OpinionParams) -> f64 {
    if p.confidence > 0.0 {
        2.0 * p.confidence * p.confidence
    } else {
        -1.0
    }
}

#[inline]
fn hear_within(convergence: f64, reach: f64, own: Opinion, said: Opinion) -> Option<Opinion> {
    let (da, dp) = (said.authority - own.authority, said.property - own.property);
    (da * da + dp * dp < reach).then(|| {
        Opinion::new(
            own.authority + convergence * da,
            own.property + convergence * dp,
        )
    })
}

/// One bounded-confidence encounter between `i` and `j`: each is moved by what the other
/// says if it is within its confidence bound of its own private view. Works on the opinion
/// columns themselves (private authority and property, then expressed ones), so that the
/// loop over the agents indexes slices it has already cut to length.
#[inline]
fn encounter(
    private: (&mut [f64], &mut [f64]),
    said: (&[f64], &[f64]),
    (convergence, reach): (f64, f64),
    i: usize,
    j: usize,
) {
    let (private_a, private_p) = private;
    let (said_a, said_p) = said;
    let pi = Opinion::new(private_a[i], private_p[i]);
    let pj = Opinion::new(private_a[j], private_p[j]);
    let ei = Opinion::new(said_a[i], said_p[i]);
    let ej = Opinion::new(said_a[j], said_p[j]);
    if let Some(moved) = hear_within(convergence, reach, pi, ej) {
        private_a[i] = moved.authority.clamp(0.0, 1.0);
        private_p[i] = moved.property.clamp(0.0, 1.0);
    }
    if let Some(moved) = hear_within(convergence, reach, pj, ei) {
        private_a[j] = moved.authority.clamp(0.0, 1.0);
        private_p[j] = moved.property.clamp(0.0, 1.0);
    }
}

pub fn apply(world: &mut World, rng: &mut SimRng) {
    let p = world.rules.opinion;
    let weeks = world.weeks();
    // Whole conversations per agent this step; the fraction is drawn per agent.
    let per_agent = p.conversations * weeks;
    let n = world.agents.len();
    // Sequential pairwise encounters, visiting agents in id order, as in the published
    // asynchronous model; every draw comes from the replicate's stream.
    let whole = per_agent.floor();
    let (whole_talks, fraction) = (whole as usize, per_agent - whole);
    let (convergence, reach) = (p.convergence, reach(&p));
    let (a, network) = (&mut world.agents, &world.network);
    let state = &a.state[..n];
    let (private_a, private_p) = (&mut a.private_authority[..n], &mut a.private_property[..n]);
    let (said_a, said_p) = (&a.expressed_authority[..n], &a.expressed_property[..n]);
    for i in 0..n {
        if !state[i].is_present() {
            continue;
        }
        let talks = whole_talks + usize::from(rng::chance(rng, fraction));
        let neighbours = network.neighbours(i);
        if neighbours.is_empty() {
            continue;
        }
        for _ in 0..talks {
            let j = neighbours[rng::fast_index(rng, neighbours.len())] as usize;
            if j >= n || !state[j].is_present() {
                continue;
            }
            encounter(
                (&mut *private_a, &mut *private_p),
                (said_a, said_p),
                (convergence, reach),
                i,
                j,
            );
        }
    }
    // Experience: hardship pushes away from the line, privilege toward authority, class
    // interest back toward the class's position.
    let line = world.line();
    let hardship_step = per_step(p.hardship_drift, weeks);
    // Privilege pulling officials toward authority is half of the oligarchy's feedback
    // (`[rules.leadership] oligarchy`; as given at its middle value).
    let privilege_step = per_step(
        p.privilege_drift * 2.0 * world.rules.leadership.oligarchy,
        weeks,
    );
    let anchor_step = per_step(p.class_anchor, weeks);
    let anchors = world.class_positions;
    // The drift and the expression of opinion share one pass over the agents: what an agent
    // says is its private view after the drift, pulled toward the line (`express_opinions`,
    // which everyone, present or not, goes through).
    let a = &mut world.agents;
    // Every column cut to `n`, so that the loop indexes them without bounds checks.
    let (state, class) = (&a.state[..n], &a.class[..n]);
    let (hardship, legitimacy) = (&a.hardship[..n], &a.legitimacy[..n]);
    let (privilege, fear, loyalty) = (&a.privilege[..n], &a.fear[..n], &a.loyalty[..n]);
    let (private_a, private_p) = (&mut a.private_authority[..n], &mut a.private_property[..n]);
    let (said_a, said_p) = (
        &mut a.expressed_authority[..n],
        &mut a.expressed_property[..n],
    );
    for i in 0..n {
        let (mut oa, mut op) = (private_a[i], private_p[i]);
        if state[i].is_present() {
            let push = hardship_step * hardship[i] * (1.0 - legitimacy[i]);
            if push > 0.0 {
                let (da, dp) = (oa - line.authority, op - line.property);
                let norm = (da * da + dp * dp).sqrt();
                if norm > 1e-12 {
                    oa += push * da / norm;
                    op += push * dp / norm;
                }
            }
            oa += privilege_step * privilege[i] * (1.0 - oa);
            let home = anchors[class[i] as usize];
            oa += anchor_step * (home.authority - oa);
            op += anchor_step * (home.property - op);
            oa = oa.clamp(0.0, 1.0);
            op = op.clamp(0.0, 1.0);
            private_a[i] = oa;
            private_p[i] = op;
        }
        // As `Agents::express`.
        let s = falsification_pressure(&p, fear[i], loyalty[i]);
        said_a[i] = oa + s * (line.authority - oa);
        said_p[i] = op + s * (line.property - op);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::small_world;

    fn spread(values: &[f64]) -> f64 {
        let m = values.iter().sum::<f64>() / values.len() as f64;
        (values.iter().map(|v| (v - m).powi(2)).sum::<f64>() / values.len() as f64).sqrt()
    }

    #[test]
    fn wide_confidence_brings_neighbours_together_and_narrow_does_not() {
        let (mut wide, mut rng_w) = small_world(1000, 5);
        let (mut narrow, mut rng_n) = small_world(1000, 5);
        for w in [&mut wide, &mut narrow] {
            w.rules.opinion.hardship_drift = 0.0;
            w.rules.opinion.fear_weight = 0.0;
            w.rules.opinion.loyalty_weight = 0.0;
            w.rules.opinion.class_anchor = 0.0;
        }
        wide.rules.opinion.confidence = 1.0;
        narrow.rules.opinion.confidence = 0.0;
        let start = spread(&wide.agents.private_authority);
        for _ in 0..60 {
            apply(&mut wide, &mut rng_w);
            apply(&mut narrow, &mut rng_n);
        }
        assert!(spread(&wide.agents.private_authority) < start / 3.0);
        assert!((spread(&narrow.agents.private_authority) - start).abs() < 1e-12);
    }

    fn meet(world: &mut World, p: &OpinionParams) {
        let a = &mut world.agents;
        encounter(
            (&mut a.private_authority, &mut a.private_property),
            (&a.expressed_authority, &a.expressed_property),
            (p.convergence, reach(p)),
            0,
            1,
        );
    }

    #[test]
    fn opinions_outside_the_bound_do_not_persuade() {
        let (mut world, _) = small_world(10, 6);
        let p = OpinionParams {
            confidence: 0.2,
            ..OpinionParams::default()
        };
        world.agents.set_private(0, Opinion::new(0.1, 0.1));
        world.agents.set_private(1, Opinion::new(0.9, 0.9));
        world.agents.expressed_authority[..2].copy_from_slice(&[0.1, 0.9]);
        world.agents.expressed_property[..2].copy_from_slice(&[0.1, 0.9]);
        meet(&mut world, &p);
        assert_eq!(world.agents.private(0), Opinion::new(0.1, 0.1));
        world.agents.set_private(1, Opinion::new(0.2, 0.1));
        world.agents.expressed_authority[1] = 0.2;
        world.agents.expressed_property[1] = 0.1;
        meet(&mut world, &p);
        assert!((world.agents.private_authority[0] - 0.13).abs() < 1e-12);
        assert!((world.agents.private_authority[1] - 0.17).abs() < 1e-12);
    }

    #[test]
    fn fear_and_loyalty_make_people_echo_the_line() {
        let (mut world, _) = small_world(50, 7);
        let line = world.line();
        world.agents.fear[0] = 0.0;
        world.agents.loyalty[0] = 0.0;
        world.agents.fear[1] = 1.0;
        world.agents.loyalty[1] = 0.0;
        world.agents.fear[2] = 0.0;
        world.agents.loyalty[2] = 1.0;
        world.express_opinions();
        let a = &world.agents;
        assert_eq!(a.expressed(0), a.private(0));
        let gap = |i: usize| a.expressed(i).distance(line) / a.private(i).distance(line).max(1e-9);
        assert!(
            (gap(1) - 0.2).abs() < 1e-9,
            "fear 1 leaves a fifth of the gap: {}",
            gap(1)
        );
        assert!(
            (gap(2) - 0.5).abs() < 1e-9,
            "loyalty 1 leaves half: {}",
            gap(2)
        );
        let p = OpinionParams::default();
        assert!((falsification_pressure(&p, 1.0, 1.0) - 0.9).abs() < 1e-12);
    }

    #[test]
    fn privilege_pulls_toward_authority_and_hardship_away_from_the_line() {
        let (mut world, mut rng) = small_world(200, 8);
        world.rules.opinion.confidence = 0.0;
        world.rules.opinion.class_anchor = 0.0;
        let line = world.line();
        world.agents.privilege[0] = 1.0;
        world.agents.hardship[0] = 0.0;
        world.agents.set_private(0, Opinion::new(0.2, 0.2));
        world.agents.hardship[1] = 1.0;
        world.agents.legitimacy[1] = 0.0;
        world.agents.privilege[1] = 0.0;
        world.agents.set_private(1, Opinion::new(0.3, 0.2));
        let gap_before = world.agents.private(1).distance(line);
        for _ in 0..20 {
            apply(&mut world, &mut rng);
        }
        assert!(world.agents.private_authority[0] > 0.4);
        assert!(world.agents.private(1).distance(line) > gap_before + 0.05);
    }

    #[test]
    fn class_interest_pulls_private_opinion_home() {
        let (mut world, mut rng) = small_world(500, 9);
        world.rules.opinion.confidence = 0.0;
        world.rules.opinion.hardship_drift = 0.0;
        world.rules.opinion.class_anchor = 0.1;
        let worker = (0..500)
            .find(|&i| world.agents.class[i] == crate::model::Class::Worker)
            .unwrap();
        world.agents.privilege[worker] = 0.0;
        world.agents.set_private(worker, Opinion::new(1.0, 1.0));
        for _ in 0..100 {
            apply(&mut world, &mut rng);
        }
        let home = world.class_positions[crate::model::Class::Worker as usize];
        assert!(world.agents.private(worker).distance(home) < 0.01);
    }
}
