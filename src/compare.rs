//! The statistics of `sovsim compare` (the results it compares are read back by
//! [`crate::output::read`]): for every scenario and metric the final-state mean and 5-95% interval over
//! replicates, and the difference from the first scenario with a bootstrap 95% interval
//! (resampling replicates, from a seeded stream, so the interval is reproducible).
//!
//! It is also where every comparison of two ensembles (this command's, a claim's, a
//! sensitivity variant's, a map cell's) decides whether the two can be compared replicate
//! by replicate: [`pairing`] is the one rule, and [`difference`] the interval it chooses.

use std::fmt::Write as _;

use crate::metrics::Row;
use crate::model::{Opinion, PartySetup};
use crate::output::{fixed, quantile};
use crate::rng;
use crate::scenario::Scenario;

/// A difference of means with its bootstrap 95% interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Difference {
    pub mean: f64,
    pub low: f64,
    pub high: f64,
}

/// Resamples drawn for each bootstrap interval.
pub const RESAMPLES: usize = 2000;

/// How intervals are taken, as caches and map folders record it: a verdict kept from
/// another method (before 0.5 every comparison was unpaired) is computed afresh.
pub const METHOD: &str = "percentile bootstrap, 2000 resamples, paired by compare::pairing";

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

/// mean(b) - mean(a), with a percentile bootstrap interval: both samples resampled with
/// replacement [`RESAMPLES`] times from `stream`.
pub fn bootstrap_difference(a: &[f64], b: &[f64], stream: &mut rng::SimRng) -> Difference {
    let observed = mean(b) - mean(a);
    if a.is_empty() || b.is_empty() {
        return Difference {
            mean: observed,
            low: observed,
            high: observed,
        };
    }
    let mut diffs = Vec::with_capacity(RESAMPLES);
    for _ in 0..RESAMPLES {
        let ma = (0..a.len())
            .map(|_| a[rng::index(stream, a.len())])
            .sum::<f64>()
            / a.len() as f64;
        let mb = (0..b.len())
            .map(|_| b[rng::index(stream, b.len())])
            .sum::<f64>()
            / b.len() as f64;
        diffs.push(mb - ma);
    }
    diffs.sort_by(f64::total_cmp);
    Difference {
        mean: observed,
        low: quantile(&diffs, 0.025),
        high: quantile(&diffs, 0.975),
    }
}

/// mean(b) - mean(a) for two samples of the same length whose `i`-th values belong together
/// (replicate `i` of two scenarios that start from the same world), with the percentile
/// bootstrap interval of the mean of the per-pair differences `b[i] - a[i]`: pair indices
/// resampled with replacement [`RESAMPLES`] times from `stream`. What the two share (the
/// world, and the random numbers until they diverge) cancels in the differences, so with
/// positively correlated pairs the interval is narrower than [`bootstrap_difference`]'s.
/// Samples of different lengths cannot be paired: they get [`bootstrap_difference`].
pub fn paired_difference(a: &[f64], b: &[f64], stream: &mut rng::SimRng) -> Difference {
    let observed = mean(b) - mean(a);
    if a.len() != b.len() {
        return bootstrap_difference(a, b, stream);
    }
    if a.is_empty() {
        return Difference {
            mean: observed,
            low: observed,
            high: observed,
        };
    }
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| y - x).collect();
    let n = d.len();
    let mut diffs = Vec::with_capacity(RESAMPLES);
    for _ in 0..RESAMPLES {
        diffs.push((0..n).map(|_| d[rng::index(stream, n)]).sum::<f64>() / n as f64);
    }
    diffs.sort_by(f64::total_cmp);
    Difference {
        mean: observed,
        low: quantile(&diffs, 0.025),
        high: quantile(&diffs, 0.975),
    }
}

/// Whether two ensembles can be compared replicate by replicate, and if not, why not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Pairing {
    /// Same seed, same number of replicates, and the same inputs to world building:
    /// replicate `i` of each starts from the same world with the same random stream.
    Paired,
    /// Against a fixed number: one sample, nothing to pair with.
    Threshold,
    /// The two were run with different seeds: replicate `i` of each is unrelated.
    DifferentSeeds,
    /// Different numbers of replicates: some replicates would have no partner.
    DifferentReplicates,
    /// Different population or parties: the worlds are built from different draws, so
    /// replicate `i` of each starts from a different world.
    DifferentPopulations,
    /// A reference model (not the revolution model) on either side: its runs are not built
    /// from the population settings this rule compares.
    ReferenceModel,
}

impl Pairing {
    /// Every value, in the order documented.
    pub const ALL: [Pairing; 6] = [
        Pairing::Paired,
        Pairing::Threshold,
        Pairing::DifferentSeeds,
        Pairing::DifferentReplicates,
        Pairing::DifferentPopulations,
        Pairing::ReferenceModel,
    ];

    /// The name the CSV files write (`pairing` column).
    pub fn name(self) -> &'static str {
        match self {
            Pairing::Paired => "paired",
            Pairing::Threshold => "threshold",
            Pairing::DifferentSeeds => "different_seeds",
            Pairing::DifferentReplicates => "different_replicates",
            Pairing::DifferentPopulations => "different_populations",
            Pairing::ReferenceModel => "reference_model",
        }
    }

    /// The value a name gives (as the CSV files and the claims cache write it).
    pub fn parse(name: &str) -> Option<Pairing> {
        Pairing::ALL.into_iter().find(|p| p.name() == name)
    }

    pub fn is_paired(self) -> bool {
        self == Pairing::Paired
    }
}

/// A scenario as one side of a comparison is run: the scenario (as varied or viewed), the
/// seed it is run with and its number of replicates.
#[derive(Clone, Copy, Debug)]
pub struct Side<'a> {
    pub scenario: &'a Scenario,
    pub seed: u64,
    pub replicates: u32,
}

/// Whether `scenario` can be compared with `baseline` (`None`: a threshold) replicate by
/// replicate. [`crate::model::World::build`] draws the world from the replicate's stream
/// using only the population, the parties' names, platforms and starting members, and which
/// party rules; the rules, events, environment, decisions and the parties' statuses are not
/// drawn from. So two sides with the same seed, the same number of replicates and equal
/// population and parties (so far as they are drawn from) build the same world for every
/// replicate `i`, and draw the same numbers until their rules make them diverge: their
/// replicates are pairs. Everything else is compared as two independent samples.
pub fn pairing(scenario: Side, baseline: Option<Side>) -> Pairing {
    let Some(baseline) = baseline else {
        return Pairing::Threshold;
    };
    let (a, b) = (scenario.scenario, baseline.scenario);
    if a.reference.is_some() || b.reference.is_some() {
        Pairing::ReferenceModel
    } else if scenario.seed != baseline.seed {
        Pairing::DifferentSeeds
    } else if scenario.replicates != baseline.replicates {
        Pairing::DifferentReplicates
    } else if a.population != b.population
        || a.ruling_party != b.ruling_party
        || !a.parties.iter().map(drawn).eq(b.parties.iter().map(drawn))
    {
        Pairing::DifferentPopulations
    } else {
        Pairing::Paired
    }
}

/// What of a party the world's draws depend on: its place in the name order, where it
/// stands and how many it starts with (its status and aims are not drawn from).
fn drawn(p: &PartySetup) -> (&str, [u64; 3]) {
    let Opinion {
        authority,
        property,
    } = p.platform;
    (
        &p.name,
        [authority.to_bits(), property.to_bits(), p.members.to_bits()],
    )
}

/// mean(b) - mean(a) with the interval `pairing` allows: [`paired_difference`] for paired
/// sides, else [`bootstrap_difference`].
pub fn difference(a: &[f64], b: &[f64], pairing: Pairing, stream: &mut rng::SimRng) -> Difference {
    if pairing.is_paired() {
        paired_difference(a, b, stream)
    } else {
        bootstrap_difference(a, b, stream)
    }
}

/// One scenario's final state on one metric, against the first scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct ComparisonRow {
    pub scenario: String,
    pub metric: usize,
    /// The metric's name.
    pub name: &'static str,
    pub final_mean: f64,
    pub p05: f64,
    pub p95: f64,
    pub difference: Difference,
    /// Whether the difference was taken pair by pair ([`pairing`] with the first scenario).
    pub pairing: Pairing,
}

/// The comparison of every scenario (in the order given) on every metric (in the order
/// given) with the first scenario; bootstrap intervals are drawn from `seed`'s bootstrap
/// stream. `pairings[k]` says how scenario `k` pairs with the first ([`pairing`]); the rows of
/// each scenario are its replicates' final rows in replicate order.
pub fn comparison(
    scenarios: &[(String, Vec<Row>)],
    pairings: &[Pairing],
    names: &'static [&'static str],
    metrics: &[usize],
    seed: u64,
) -> Vec<ComparisonRow> {
    let mut stream = rng::bootstrap_stream(seed);
    let column = |rows: &[Row], k: usize| rows.iter().map(|r| r[k]).collect::<Vec<f64>>();
    let mut out = Vec::new();
    for (j, (name, rows)) in scenarios.iter().enumerate() {
        let pairing = pairings.get(j).copied().unwrap_or(Pairing::DifferentSeeds);
        for &k in metrics {
            let mut v = column(rows, k);
            let base = column(&scenarios[0].1, k);
            let difference = difference(&base, &v, pairing, &mut stream);
            let final_mean = mean(&v);
            v.sort_by(f64::total_cmp);
            out.push(ComparisonRow {
                scenario: name.clone(),
                metric: k,
                name: names[k],
                final_mean,
                p05: quantile(&v, 0.05),
                p95: quantile(&v, 0.95),
                difference,
                pairing,
            });
        }
    }
    out
}

/// `comparison.csv`: `scenario,metric,final_mean,p05,p95,difference,difference_low,
/// difference_high,pairing`, one line per [`ComparisonRow`].
pub fn comparison_csv(rows: &[ComparisonRow]) -> String {
    let mut out = String::from(
        "scenario,metric,final_mean,p05,p95,difference,difference_low,difference_high,pairing\n",
    );
    for r in rows {
        let _ = write!(out, "{},{}", r.scenario, r.name);
        for x in [
            r.final_mean,
            r.p05,
            r.p95,
            r.difference.mean,
            r.difference.low,
            r.difference.high,
        ] {
            let _ = write!(out, ",{}", fixed(x));
        }
        let _ = writeln!(out, ",{}", r.pairing.name());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::World;
    use crate::testing::TEST_SCENARIO;
    use proptest::prelude::*;

    fn scenario(extra: &str) -> Scenario {
        Scenario::parse(
            &format!(
                "{}{extra}",
                TEST_SCENARIO.replace("agents = 1000", "agents = 300")
            ),
            "s.toml",
        )
        .unwrap()
    }

    fn side(s: &Scenario, seed: u64, replicates: u32) -> Side<'_> {
        Side {
            scenario: s,
            seed,
            replicates,
        }
    }

    #[test]
    fn pairing_holds_only_for_the_same_seed_replicates_and_population() {
        let base = scenario("");
        // A counterfactual: other rules and another party status, the same population.
        let rules = scenario("[rules.opinion]\nconfidence = 0.2\n");
        let banned = TEST_SCENARIO
            .replace("agents = 1000", "agents = 300")
            .replace(
                "members = 0.02\n[parties.srs]",
                "members = 0.02\nstatus = \"banned\"\n[parties.srs]",
            );
        let banned = Scenario::parse(&banned, "b.toml").unwrap();
        assert_ne!(banned.parties, base.parties, "the status changed");
        for other in [&rules, &banned, &base] {
            assert_eq!(
                pairing(side(other, 7, 16), Some(side(&base, 7, 16))),
                Pairing::Paired
            );
        }
        assert_eq!(
            pairing(side(&rules, 7, 16), Some(side(&base, 8, 16))),
            Pairing::DifferentSeeds
        );
        assert_eq!(
            pairing(side(&rules, 7, 16), Some(side(&base, 7, 12))),
            Pairing::DifferentReplicates
        );
        assert_eq!(pairing(side(&rules, 7, 16), None), Pairing::Threshold);
        // Other population settings, or a party that starts with other members: other worlds.
        let bigger = Scenario::parse(
            &TEST_SCENARIO.replace("agents = 1000", "agents = 301"),
            "p.toml",
        )
        .unwrap();
        let degree = scenario("");
        let mut degree = degree;
        degree.population.mean_degree += 1.0;
        let mut members = scenario("");
        members.parties[0].members += 0.01;
        for other in [&bigger, &degree, &members] {
            assert_eq!(
                pairing(side(other, 7, 16), Some(side(&base, 7, 16))),
                Pairing::DifferentPopulations
            );
        }
    }

    /// The rule's premise: sides that pair build the same world for each replicate, sides
    /// whose populations differ do not. If world building ever draws from something the
    /// rule does not compare, this fails.
    #[test]
    fn paired_sides_build_the_same_world_and_unpaired_ones_do_not() {
        let base = scenario("");
        let rules =
            scenario("[rules.opinion]\nconfidence = 0.2\n[rules.repression]\ndetection = 0.2\n");
        let mut members = scenario("");
        members.parties[1].members += 0.01;
        let world = |s: &Scenario| World::build(&s.setup(), &mut rng::replicate_stream(5, 3));
        let columns = |w: &World| {
            (
                w.agents.private_authority.clone(),
                w.agents.private_property.clone(),
                w.agents.militancy.clone(),
                w.agents.locality.clone(),
                w.agents.party.clone(),
            )
        };
        let (a, b, c) = (world(&base), world(&rules), world(&members));
        assert_eq!(
            pairing(side(&rules, 5, 4), Some(side(&base, 5, 4))),
            Pairing::Paired
        );
        assert!(
            columns(&a) == columns(&b),
            "paired sides built different worlds"
        );
        assert!(
            columns(&a) != columns(&c),
            "other members built the same world"
        );
    }

    #[test]
    fn the_paired_interval_is_the_bootstrap_of_the_differences() {
        // Pairs that move together: unpaired, the spread of each side shows; paired, only
        // the spread of the differences (here none but a constant shift).
        let a: Vec<f64> = (0..16).map(|i| (i % 7) as f64 / 10.0).collect();
        let b: Vec<f64> = a.iter().map(|x| x + 0.05).collect();
        let p = paired_difference(&a, &b, &mut rng::bootstrap_stream(1));
        assert!((p.mean - 0.05).abs() < 1e-12);
        assert!(
            (p.low - 0.05).abs() < 1e-12 && (p.high - 0.05).abs() < 1e-12,
            "{p:?}"
        );
        let u = bootstrap_difference(&a, &b, &mut rng::bootstrap_stream(1));
        assert!(u.low < 0.0 && u.high > 0.1, "{u:?}");
        // The dispatcher takes the pairing's interval.
        assert_eq!(
            difference(&a, &b, Pairing::Paired, &mut rng::bootstrap_stream(1)),
            p
        );
        assert_eq!(
            difference(
                &a,
                &b,
                Pairing::DifferentSeeds,
                &mut rng::bootstrap_stream(1)
            ),
            u
        );
        // Samples of unequal length cannot be paired.
        let short = paired_difference(&a[..8], &b, &mut rng::bootstrap_stream(1));
        assert_eq!(
            short,
            bootstrap_difference(&a[..8], &b, &mut rng::bootstrap_stream(1))
        );
        for p in Pairing::ALL {
            assert_eq!(Pairing::parse(p.name()), Some(p));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]
        /// Strongly, positively correlated pairs (a shared part with a spread at least four
        /// times the pairs' own noise): with the same resamples the paired interval is never
        /// wider than the unpaired one.
        #[test]
        fn the_paired_interval_is_never_wider_with_positively_correlated_pairs(
            shared in prop::collection::vec(-1.0f64..1.0, 8..40),
            noise_seed in any::<u64>(),
            shift in -0.5f64..0.5,
            scale in 0.01f64..0.05,
            seed in any::<u64>(),
        ) {
            let spread = {
                let m = shared.iter().sum::<f64>() / shared.len() as f64;
                (shared.iter().map(|x| (x - m).powi(2)).sum::<f64>() / shared.len() as f64).sqrt()
            };
            prop_assume!(spread > 0.2);
            let mut noise = rng::replicate_stream(noise_seed, 0);
            let a: Vec<f64> = shared.iter().map(|x| x + scale * rng::standard_normal(&mut noise)).collect();
            let b: Vec<f64> = shared.iter().map(|x| x + shift + scale * rng::standard_normal(&mut noise)).collect();
            let paired = paired_difference(&a, &b, &mut rng::bootstrap_stream(seed));
            let unpaired = bootstrap_difference(&a, &b, &mut rng::bootstrap_stream(seed));
            let (wp, wu) = (paired.high - paired.low, unpaired.high - unpaired.low);
            prop_assert!(wp <= wu, "paired {paired:?} unpaired {unpaired:?}");
            // Not merely no wider: the shared part is gone from the paired interval, so it
            // is a fraction of the unpaired one (noise / spread is at most a quarter here).
            prop_assert!(wp <= 0.6 * wu, "paired {paired:?} unpaired {unpaired:?}");
            prop_assert!(paired.low <= paired.mean && paired.mean <= paired.high);
        }
    }

    #[test]
    fn the_bootstrap_interval_holds_the_difference_and_shrinks_with_more_replicates() {
        let mut s = rng::bootstrap_stream(1);
        let a: Vec<f64> = (0..20).map(|i| (i % 5) as f64 / 10.0).collect();
        let b: Vec<f64> = a.iter().map(|x| x + 0.3).collect();
        let d = bootstrap_difference(&a, &b, &mut s);
        assert!((d.mean - 0.3).abs() < 1e-12);
        assert!(d.low < 0.3 && 0.3 < d.high, "{d:?}");
        assert!(d.low > 0.2 && d.high < 0.4, "{d:?}");
        let same = bootstrap_difference(&a, &a, &mut s);
        assert!(same.low <= 0.0 && 0.0 <= same.high);
        // Reproducible from the seed.
        let again = bootstrap_difference(&a, &b, &mut rng::bootstrap_stream(1));
        assert_eq!(again, d);
    }
}
