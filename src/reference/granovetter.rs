//! Granovetter (1978), thresholds: each agent acts once at least its threshold of others
//! act. Run with sovsim's activation rule ([`crate::rules::activation::decides_active`])
//! with its Granovetter term: the threshold T (1 - g s) falls with the share s of others
//! active. On a complete graph of N agents, with T = 1, g = 1, no police (R P = 0) and
//! legitimacy 0, an agent whose grievance is G = 1 - (t - 1/2) / (N - 1) acts exactly when
//! at least t others act: G > 1 - s holds for s = k / (N - 1) if and only if k >= t. The
//! scenario sets T and g; the thresholds t are the model's data. All agents decide at once
//! from the previous step's actors.

use super::{GranovetterConfig, row};
use crate::metrics::Row;
use crate::rules::Rules;
use crate::rules::activation::decides_active;

/// The grievance that makes an agent act at `threshold` others out of `others`. It is not
/// clamped to [0, 1]: the instigator (threshold 0) needs a grievance just above T = 1 to act
/// with nobody else acting, which is what "threshold 0" means.
pub fn grievance(threshold: u32, others: usize) -> f64 {
    1.0 - (threshold as f64 - 0.5) / others.max(1) as f64
}

/// Runs the model for `steps` steps.
pub fn run(c: &GranovetterConfig, rules: &Rules, steps: u32) -> Vec<Row> {
    let n = c.thresholds.len();
    let others = n.saturating_sub(1);
    let grievances: Vec<f64> = c.thresholds.iter().map(|&t| grievance(t, others)).collect();
    let mut acting = vec![false; n];
    let mut rows = Vec::with_capacity(steps as usize);
    for _ in 0..steps {
        let total = acting.iter().filter(|&&a| a).count();
        let next: Vec<bool> = (0..n)
            .map(|i| {
                let k = total - usize::from(acting[i]);
                let share = if others > 0 {
                    k as f64 / others as f64
                } else {
                    0.0
                };
                decides_active(&rules.activation, grievances[i], 0.0, 0.0, 0.0, share)
            })
            .collect();
        acting = next;
        rows.push(row(&[acting.iter().filter(|&&a| a).count() as f64]));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        let mut r = Rules::default();
        r.activation.threshold = 1.0;
        r.activation.granovetter = 1.0;
        r
    }

    #[test]
    fn an_agent_acts_exactly_when_its_threshold_of_others_act() {
        let r = rules();
        for t in 0..100u32 {
            for k in 0..100usize {
                let acts = decides_active(
                    &r.activation,
                    grievance(t, 99),
                    0.0,
                    0.0,
                    0.0,
                    k as f64 / 99.0,
                );
                assert_eq!(acts, k >= t as usize, "t = {t}, k = {k}");
            }
        }
    }

    #[test]
    fn granovetters_hundred_and_one() {
        let uniform = GranovetterConfig {
            thresholds: (0..100).collect(),
        };
        let rows = run(&uniform, &rules(), 120);
        assert_eq!(rows.last().unwrap()[0], 100.0);
        let mut moved = uniform.clone();
        moved.thresholds[1] = 2;
        let rows = run(&moved, &rules(), 120);
        assert_eq!(rows.last().unwrap()[0], 1.0);
        assert!(rows.iter().all(|r| r[0] <= 1.0));
    }
}
