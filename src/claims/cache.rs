//! The sensitivity cache (`OUT/claims/sensitivity-cache.csv`): every claim's verdict under
//! every variant already computed, keyed by everything the verdict depends on, so a rerun
//! (or a run interrupted and started again) does not redo the variant's ensembles. The text
//! is read and written here; the file itself is the caller's.

use std::collections::BTreeMap;

use super::Test;
use super::evaluate::{Evaluation, Verdict};
use super::sensitivity::Variant;
use crate::compare::Pairing;
use crate::output::SOVSIM_VERSION;
use crate::scenario::hex_sha256;

/// A claim's evaluation under one variant, with the varied parameter's value in the
/// scenario and under the variant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CachedVerdict {
    pub evaluation: Evaluation,
    pub base_value: f64,
    pub value: f64,
}

/// The verdicts already computed, by [`key`].
pub type Cache = BTreeMap<String, CachedVerdict>;

/// The first line of the cache; a file with another (an older layout) is ignored whole.
pub const HEADER: &str = "key,scenario_mean,against_mean,effect,low,high,verdict,replicates,baseline_replicates,base_value,value,pairing";

/// A scenario as one side of a claim's test is run: the varied scenario, its seed and its
/// replicates. Whether the two sides pair ([`crate::compare::pairing`]) follows from these,
/// so the key changes whenever the pairing could.
pub use crate::compare::Side;

/// The key of a claim's verdict under a variant: a hash of the sovsim version, how
/// intervals are taken ([`crate::compare::METHOD`]), the variant,
/// the claim's test, and each side's files (as varied), seed and replicates; any change to
/// one of them computes the verdict afresh.
pub fn key(variant: Variant, test: &Test, scenario: Side, baseline: Option<Side>) -> String {
    hex_sha256(
        format!(
            "{}|{}|{}|{:?}|{}|{}|{}|{}|{}|{}",
            SOVSIM_VERSION,
            crate::compare::METHOD,
            variant.label(),
            test,
            scenario.scenario.sha256,
            scenario.seed,
            scenario.replicates,
            baseline.map_or("", |b| b.scenario.sha256.as_str()),
            baseline.map_or(0, |b| b.seed),
            baseline.map_or(0, |b| b.replicates),
        )
        .as_bytes(),
    )
}

/// The cache a text holds: empty unless it starts with [`HEADER`]; a line that does not read
/// back whole (a file cut short) is skipped.
pub fn parse(text: &str) -> Cache {
    let mut cache = Cache::new();
    if text.lines().next() != Some(HEADER) {
        return cache;
    }
    for line in text.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        if c.len() != 12 {
            continue;
        }
        let num = |k: usize| c[k].parse::<f64>().ok();
        // A verdict that does not read back is a damaged line, not an inconclusive one.
        let Some(verdict) = Verdict::parse(c[6]) else {
            continue;
        };
        let (Some(sm), Some(am), Some(ef), Some(lo), Some(hi), Some(bv), Some(v)) =
            (num(1), num(2), num(3), num(4), num(5), num(9), num(10))
        else {
            continue;
        };
        let (Ok(n0), Ok(n1), Some(pairing)) = (c[7].parse(), c[8].parse(), Pairing::parse(c[11]))
        else {
            continue;
        };
        cache.insert(
            c[0].to_string(),
            CachedVerdict {
                evaluation: Evaluation {
                    scenario_mean: sm,
                    against_mean: am,
                    effect: ef,
                    low: lo,
                    high: hi,
                    verdict,
                    replicates: (n0, n1),
                    pairing,
                },
                base_value: bv,
                value: v,
            },
        );
    }
    cache
}

/// The text of a cache, in key order; [`parse`] reads it back to the same values.
pub fn to_text(cache: &Cache) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    for (key, cached) in cache {
        let e = &cached.evaluation;
        // `{:?}` writes the shortest text that reads back as the same f64.
        out.push_str(&format!(
            "{key},{:?},{:?},{:?},{:?},{:?},{},{},{},{:?},{:?},{}\n",
            e.scenario_mean,
            e.against_mean,
            e.effect,
            e.low,
            e.high,
            e.verdict.name(),
            e.replicates.0,
            e.replicates.1,
            cached.base_value,
            cached.value,
            e.pairing.name()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    const CLAIM: &str = r#"
[[claim]]
id = "ban-underground"
source = "Lessons of Party and Class from the Russian Revolution"
argument = "A ban drives dissent underground."

[claim.test]
scenario = "historical.toml"
baseline = "factions_allowed.toml"
metric = "underground"
window = ["1921-03", "1927-12"]
statistic = "mean"
expect = "higher"
"#;

    fn verdict(effect: f64, verdict: Verdict) -> CachedVerdict {
        CachedVerdict {
            evaluation: Evaluation {
                scenario_mean: 0.1 + effect,
                against_mean: 0.1,
                effect,
                low: effect - 1.0 / 3.0,
                high: effect + 1e-17,
                verdict,
                replicates: (30, 0),
                pairing: Pairing::Threshold,
            },
            base_value: 0.35,
            value: 0.7,
        }
    }

    #[test]
    fn the_cache_reads_back_exactly_what_it_wrote() {
        let mut cache = Cache::new();
        cache.insert("b".into(), verdict(0.2, Verdict::Supported));
        cache.insert(
            "a".into(),
            verdict(-0.123456789012345, Verdict::Contradicted),
        );
        cache.insert("c".into(), verdict(0.0, Verdict::Inconclusive));
        cache.insert("d".into(), verdict(0.001, Verdict::Negligible));
        let text = to_text(&cache);
        assert!(text.starts_with(&format!("{HEADER}\na,")), "{text}");
        assert_eq!(parse(&text), cache);
    }

    #[test]
    fn a_cache_of_another_layout_or_cut_short_keeps_only_whole_lines() {
        let mut cache = Cache::new();
        cache.insert("a".into(), verdict(0.2, Verdict::Supported));
        cache.insert("b".into(), verdict(0.3, Verdict::Supported));
        let text = to_text(&cache);
        assert!(parse(&text.replacen("key,", "id,", 1)).is_empty());
        assert!(parse("").is_empty());
        let cut = &text[..text.len() - 6];
        let read = parse(cut);
        assert_eq!(read.len(), 1);
        assert_eq!(read["a"], cache["a"]);
        let garbled = text.replace(",supported,30,0,", ",supported,thirty,0,");
        assert!(parse(&garbled).is_empty());
        let unknown_verdict = text.replacen(",supported,30,0,", ",supportd,30,0,", 1);
        assert_eq!(
            parse(&unknown_verdict).len(),
            1,
            "the damaged line is dropped"
        );
    }

    #[test]
    fn the_key_changes_with_everything_the_verdict_depends_on() {
        let text = crate::testing::TEST_SCENARIO;
        let a = Scenario::parse(text, "a.toml").unwrap();
        let b = Scenario::parse(&text.replace("agents = 1000", "agents = 900"), "b.toml").unwrap();
        assert_ne!(a.sha256, b.sha256);
        let claims = super::super::parse(CLAIM, "c.toml").unwrap();
        let test = &claims.claims[0].test;
        let variants = Variant::all();
        let side = |s, seed, replicates| Side {
            scenario: s,
            seed,
            replicates,
        };
        let base = key(variants[0], test, side(&a, 1, 10), None);
        assert_eq!(base, key(variants[0], test, side(&a, 1, 10), None));
        let others = [
            key(variants[1], test, side(&a, 1, 10), None),
            key(variants[0], test, side(&b, 1, 10), None),
            key(variants[0], test, side(&a, 2, 10), None),
            key(variants[0], test, side(&a, 1, 11), None),
            key(variants[0], test, side(&a, 1, 10), Some(side(&b, 1, 10))),
        ];
        for (k, other) in others.iter().enumerate() {
            assert_ne!(&base, other, "change {k} kept the key");
        }
        let mut other_test = test.clone();
        other_test.measure.level += 0.5;
        assert_ne!(base, key(variants[0], &other_test, side(&a, 1, 10), None));
        let mut other_band = test.clone();
        other_band.min_effect *= 2.0;
        assert_ne!(base, key(variants[0], &other_band, side(&a, 1, 10), None));
    }
}
