//! Deffuant, Neau, Amblard and Weisbuch (2000), bounded confidence on a complete graph, run
//! with sovsim's own opinion rule ([`crate::rules::opinion::hear`]). Opinions start uniform
//! on [0, 1]; each step, `encounters` random pairs meet, and each moves toward the other by
//! the convergence share mu when they differ by less than the confidence d. sovsim's rule
//! works in its two-dimensional opinion space with distances divided by the diagonal, so
//! each one-dimensional opinion x is held as the point (x, x): on that diagonal the scaled
//! distance between two points is exactly |x - y|, and the rule is the published one.

use super::{DeffuantConfig, row};
use crate::metrics::Row;
use crate::model::Opinion;
use crate::rng::{self, SimRng};
use crate::rules::Rules;
use crate::rules::opinion::hear;

/// The number of major clusters: sorted opinions are chained while neighbours are closer
/// than `gap`, and a chain counts when it holds at least `share` of the agents.
pub fn major_clusters(opinions: &mut [f64], gap: f64, share: f64) -> u32 {
    if opinions.is_empty() {
        return 0;
    }
    opinions.sort_by(f64::total_cmp);
    let least = share * opinions.len() as f64;
    let (mut clusters, mut size) = (0, 1usize);
    for w in opinions.windows(2) {
        if w[1] - w[0] < gap {
            size += 1;
        } else {
            clusters += u32::from(size as f64 >= least);
            size = 1;
        }
    }
    clusters + u32::from(size as f64 >= least)
}

/// Runs one replicate of `agents` agents.
pub fn run(
    c: &DeffuantConfig,
    rules: &Rules,
    agents: u32,
    steps: u32,
    rng: &mut SimRng,
) -> Vec<Row> {
    let n = agents as usize;
    let p = &rules.opinion;
    let mut x: Vec<f64> = (0..n).map(|_| rng::uniform(rng)).collect();
    let mut sorted = x.clone();
    let mut rows = Vec::with_capacity(steps as usize);
    for _ in 0..steps {
        if n >= 2 {
            for _ in 0..c.encounters {
                let i = rng::index(rng, n);
                let mut j = rng::index(rng, n - 1);
                if j >= i {
                    j += 1;
                }
                let (oi, oj) = (Opinion::new(x[i], x[i]), Opinion::new(x[j], x[j]));
                if let Some(moved) = hear(p, oi, oj) {
                    x[i] = moved.authority;
                }
                if let Some(moved) = hear(p, oj, oi) {
                    x[j] = moved.authority;
                }
            }
        }
        sorted.copy_from_slice(&x);
        rows.push(row(&[
            major_clusters(&mut sorted, c.cluster_gap, c.cluster_share) as f64,
        ]));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clusters_are_chains_of_close_opinions_counted_when_large() {
        let mut v = vec![0.1, 0.1005, 0.1002, 0.5, 0.9, 0.9001];
        assert_eq!(major_clusters(&mut v.clone(), 0.01, 0.0), 3);
        // With a 20% floor, the lone 0.5 does not count.
        assert_eq!(major_clusters(&mut v, 0.01, 0.2), 2);
        assert_eq!(major_clusters(&mut [], 0.01, 0.0), 0);
    }

    #[test]
    fn on_the_diagonal_the_rule_is_the_one_dimensional_one() {
        let mut rules = Rules::default();
        rules.opinion.confidence = 0.3;
        rules.opinion.convergence = 0.5;
        let heard = hear(
            &rules.opinion,
            Opinion::new(0.2, 0.2),
            Opinion::new(0.45, 0.45),
        )
        .unwrap();
        assert!((heard.authority - 0.325).abs() < 1e-12 && (heard.property - 0.325).abs() < 1e-12);
        // 0.31 apart: beyond the bound.
        assert!(
            hear(
                &rules.opinion,
                Opinion::new(0.2, 0.2),
                Opinion::new(0.51, 0.51)
            )
            .is_none()
        );
    }
}
