//! Measures of the institutions, read by the rules and recorded by the metrics: the power of
//! the soviets, the pluralism of their seats and the effective number of groups it rests on.
//! They live beside the institutions so that neither the rules nor the metrics own them.

use super::{NONE, World};

/// The power of the soviets (the metric), in [0, 1]: the mean over local soviets of vitality
/// x the share of seats won in competitive, recallable elections x the plenum's share.
pub fn soviet_power(world: &World) -> f64 {
    if world.soviets.is_empty() {
        return 0.0;
    }
    let recallable = world.rules.soviets.recall && world.rules.soviets.enabled;
    let total: f64 = world
        .soviets
        .iter()
        .map(|s| {
            let competitive = if recallable {
                s.competitive_share()
            } else {
                0.0
            };
            s.vitality * competitive * s.plenum
        })
        .sum();
    total / world.soviets.len() as f64
}

/// Effective number of parties among the filled soviet seats, non-party delegates counted
/// as one group; 0 when no seat is filled.
pub fn pluralism(world: &World) -> f64 {
    let mut counts = vec![0u32; world.parties.len() + 1];
    let mut filled = 0u32;
    for soviet in &world.soviets {
        for seat in &soviet.seats {
            if seat.is_filled() {
                let slot = if seat.party == NONE {
                    world.parties.len()
                } else {
                    seat.party as usize
                };
                counts[slot] += 1;
                filled += 1;
            }
        }
    }
    effective_number(&counts, filled)
}

/// 1 / sum of squared shares; 0 for an empty total.
pub fn effective_number(counts: &[u32], total: u32) -> f64 {
    if total == 0 {
        return 0.0;
    }
    let sum: f64 = counts
        .iter()
        .map(|&c| {
            let s = c as f64 / total as f64;
            s * s
        })
        .sum();
    1.0 / sum
}
