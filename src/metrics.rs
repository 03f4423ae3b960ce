//! Phase 11, record: the metrics, computed from the world at the end of
//! every step. The names and their order are public interface (the columns of `runs.csv` and
//! the rows of `summary.csv`); `docs/model.md` defines each.

use crate::model::{Class, NONE, Opinion, Role, State, World, measures};

/// The metric names, in column order (the order of the metrics table in `docs/model.md`).
pub const METRIC_NAMES: [&str; 23] = [
    "soviet_power",
    "participation",
    "pluralism",
    "faction_pluralism",
    "party_democracy",
    "bureaucracy",
    "official_share",
    "party_worker_share",
    "line_gap",
    "legitimacy",
    "unrest",
    "strikes",
    "arrests",
    "jailed",
    "expelled",
    "underground",
    "falsification",
    "oligarchy",
    "restored",
    "purge_share",
    "coalition",
    "party_members",
    "worker_legitimacy",
];

/// Number of metrics per row.
pub const METRIC_COUNT: usize = METRIC_NAMES.len();

/// One step's metrics, in [`METRIC_NAMES`] order.
pub type Row = [f64; METRIC_COUNT];

/// A metric's smallest effect of interest: the least difference between two scenarios (or
/// between a scenario and a threshold set by the claim) that a claim's verdict treats as
/// mattering, in the metric's unit, with the reason for the value. A difference whose whole
/// interval lies within plus or minus it is `negligible`: the model says it does not matter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SmallestEffect {
    pub metric: &'static str,
    pub value: f64,
    /// The unit, in words.
    pub unit: &'static str,
    /// Why this value, for docs/claims.md and the claims page.
    pub why: &'static str,
}

/// Every metric's smallest effect of interest, in [`METRIC_NAMES`] order. The values are
/// judgements about what a class would call a difference, set from the metrics' meaning and
/// the size of the shipped runs (5,000 agents), never from any claim's result;
/// docs/claims.md gives the reasoning.
pub const SMALLEST_EFFECTS: [SmallestEffect; METRIC_COUNT] = [
    SmallestEffect {
        metric: "soviet_power",
        value: 0.05,
        unit: "index from 0 to 1",
        why: "a twentieth of the scale: about one local soviet in twenty keeping or losing its power",
    },
    SmallestEffect {
        metric: "participation",
        value: 0.02,
        unit: "share of urban workers",
        why: "two workers in a hundred taking part in soviet or factory meetings, or not",
    },
    SmallestEffect {
        metric: "pluralism",
        value: 0.2,
        unit: "effective number of parties",
        why: "a second party holding about a tenth of the seats beside one that holds the rest (1 / (0.9^2 + 0.1^2) is about 1.2)",
    },
    SmallestEffect {
        metric: "faction_pluralism",
        value: 0.1,
        unit: "effective number of congress lists",
        why: "a faction the size of the Workers' Opposition at the Tenth Congress (37 delegates, about a twentieth) beside the mainstream: 1 / (0.95^2 + 0.05^2) is about 1.1",
    },
    SmallestEffect {
        metric: "party_democracy",
        value: 0.05,
        unit: "share of delegates and office holders chosen by election",
        why: "one delegate or office holder in twenty chosen by the members rather than appointed",
    },
    SmallestEffect {
        metric: "bureaucracy",
        value: 2.0,
        unit: "office holders per 1,000 people",
        why: "two office holders per 1,000 people: about a twentieth of the civil-war apparatus (40 to 50 per 1,000)",
    },
    SmallestEffect {
        metric: "official_share",
        value: 0.02,
        unit: "share of party members",
        why: "two members in a hundred holding office, or not",
    },
    SmallestEffect {
        metric: "party_worker_share",
        value: 0.02,
        unit: "share of party members",
        why: "two members in a hundred still at the bench, or not",
    },
    SmallestEffect {
        metric: "line_gap",
        value: 0.02,
        unit: "distance in the opinion space, 0 to 1",
        why: "a fiftieth of the widest possible gap between the line and the workers",
    },
    SmallestEffect {
        metric: "legitimacy",
        value: 0.02,
        unit: "mean legitimacy, 0 to 1",
        why: "a fiftieth of the scale of how rightful people hold the regime to be",
    },
    SmallestEffect {
        metric: "unrest",
        value: 0.01,
        unit: "share of people active",
        why: "one person in a hundred in open protest, or not: more than the whole of an organised opposition",
    },
    SmallestEffect {
        metric: "strikes",
        value: 0.02,
        unit: "share of workplaces on strike",
        why: "one workplace in fifty on strike, or not",
    },
    SmallestEffect {
        metric: "arrests",
        value: 0.1,
        unit: "arrests per 1,000 people per step",
        why: "one arrest per 10,000 people a week: about five per 1,000 a year",
    },
    SmallestEffect {
        metric: "jailed",
        value: 0.5,
        unit: "people held per 1,000",
        why: "one person in 2,000 held in prison, or not",
    },
    SmallestEffect {
        metric: "expelled",
        value: 0.01,
        unit: "share of everyone ever a member",
        why: "one member in a hundred expelled, or not",
    },
    SmallestEffect {
        metric: "underground",
        value: 0.005,
        unit: "share of people",
        why: "five people in 1,000 (25 in a run of 5,000): the size of an organised underground that can act; fewer is a handful of agents",
    },
    SmallestEffect {
        metric: "falsification",
        value: 0.005,
        unit: "mean distance between members' private and expressed opinions, 0 to 1",
        why: "a fifth of the mean falsification in the historical run (about 0.024): less is a shade of tact, not members hiding their views",
    },
    SmallestEffect {
        metric: "oligarchy",
        value: 0.05,
        unit: "share of the congress's weight from appointees",
        why: "a twentieth of the weight in setting the line moving between elected and appointed delegates",
    },
    SmallestEffect {
        metric: "restored",
        value: 0.05,
        unit: "share of time (and of replicates) under a restored regime",
        why: "one replicate in twenty restored, or the regime restored for a twentieth of the window",
    },
    SmallestEffect {
        metric: "purge_share",
        value: 0.02,
        unit: "share of the members at the last purge",
        why: "one member in fifty more or fewer expelled by a purge: the sources on the 1921 purge disagree by more",
    },
    SmallestEffect {
        metric: "coalition",
        value: 0.5,
        unit: "parties sharing the government",
        why: "a partner in the government, or none: the count moves in whole parties",
    },
    SmallestEffect {
        metric: "party_members",
        value: 5.0,
        unit: "ruling-party members per 1,000 people",
        why: "a tenth of the party's size at the start of the shipped runs (50 per 1,000): the sources' membership figures for one year disagree by about as much",
    },
    SmallestEffect {
        metric: "worker_legitimacy",
        value: 0.05,
        unit: "mean of the workers' legitimacy, from 0 to 1",
        why: "as for `legitimacy`: a twentieth of the scale moving among the workers",
    },
];

/// Whether a metric is a share in [0, 1]. The others are rates per 1,000 (`bureaucracy`,
/// `arrests`, `jailed`, `party_members`) or effective numbers, at least 1 once anything is counted
/// (`pluralism`, `faction_pluralism`).
pub fn is_share(name: &str) -> bool {
    !matches!(
        name,
        "arrests"
            | "jailed"
            | "bureaucracy"
            | "pluralism"
            | "faction_pluralism"
            | "coalition"
            | "party_members"
    )
}

/// Checks a step's row of metrics: every value finite, shares in [0, 1] and the rest not
/// below 0; the first broken rule, in words, with the step.
pub fn check_row(row: &Row, step: u32) -> Result<(), String> {
    let fail = |what: String| Err(format!("step {step}: {what}"));
    for (k, name) in METRIC_NAMES.iter().enumerate() {
        let v = row[k];
        if !v.is_finite() {
            return fail(format!("metric {name} is {v}"));
        }
        if is_share(name) && !(0.0..=1.0 + 1e-9).contains(&v) {
            return fail(format!("metric {name} is {v}, outside [0, 1]"));
        }
        if !is_share(name) && v < 0.0 {
            return fail(format!("metric {name} is {v}, below 0"));
        }
    }
    Ok(())
}

/// Computes the metrics of the current step. `scratch` holds two reusable buffers for the
/// median, so that recording does not allocate.
pub fn record(world: &mut World) -> Row {
    let a = &world.agents;
    let ruling = world.regime.ruling_party;
    let (mut present, mut jailed, mut active, mut underground) = (0usize, 0usize, 0usize, 0usize);
    // The living members, wherever they are: the party's size counts its members at the
    // front and in the villages too, as the party's own counts did.
    let mut living_members = 0usize;
    let mut legitimacy = 0.0;
    let (mut members, mut falsification) = (0usize, 0.0);
    let (mut officials, mut member_officials, mut elected_member_officials) = (0usize, 0, 0);
    let mut bench_members = 0usize;
    let authority = &mut world.scratch.values;
    let property = &mut world.scratch.values2;
    let mut workers = 0usize;
    let mut worker_legitimacy = 0.0;
    // Every column cut to the same length, so that the loop's indexing needs no checks.
    let n = a.len();
    let (state, party, role, class) = (&a.state[..n], &a.party[..n], &a.role[..n], &a.class[..n]);
    let (elected, legitimacies) = (&a.elected[..n], &a.legitimacy[..n]);
    let (private_authority, private_property) =
        (&a.private_authority[..n], &a.private_property[..n]);
    let authority = &mut authority[..n];
    let property = &mut property[..n];
    // The ruling party's members; no agent's party is `NONE` when there is no ruling party.
    let ruling = if ruling == NONE { u32::MAX - 1 } else { ruling };
    for i in 0..n {
        let state = state[i];
        let alive = !matches!(state, State::Dead | State::Emigrated);
        living_members += usize::from(alive && party[i] == ruling);
        if !state.is_present() {
            jailed += usize::from(state == State::Jailed);
            continue;
        }
        present += 1;
        legitimacy += legitimacies[i];
        active += usize::from(state == State::Active);
        underground += usize::from(state == State::Underground);
        let office = matches!(role[i], Role::Official | Role::Leader);
        officials += usize::from(office);
        let worker = class[i] == Class::Worker;
        if party[i] == ruling {
            members += 1;
            falsification += a.private(i).distance(a.expressed(i));
            if office {
                member_officials += 1;
                elected_member_officials += usize::from(elected[i]);
            }
            bench_members += usize::from(worker && matches!(role[i], Role::None | Role::Delegate));
        }
        if worker {
            worker_legitimacy += legitimacies[i];
            authority[workers] = private_authority[i];
            property[workers] = private_property[i];
            workers += 1;
        }
    }
    let line_gap = if workers > 0 {
        let median = Opinion::new(
            median(&mut authority[..workers]),
            median(&mut property[..workers]),
        );
        median.distance(world.line())
    } else {
        0.0
    };
    let share = |k: usize, of: usize| if of > 0 { k as f64 / of as f64 } else { 0.0 };
    let home = present + jailed;
    let struck = world.workplaces.iter().filter(|w| w.on_strike).count();
    let congress = world.party_life.congress;
    let party_posts = congress.delegates as usize + member_officials;
    let elected_posts = congress.elected as usize + elected_member_officials;
    let life = &world.party_life;
    [
        measures::soviet_power(world).clamp(0.0, 1.0),
        share(
            world.counters.participants as usize,
            world.counters.urban_workers as usize,
        ),
        measures::pluralism(world),
        congress.faction_pluralism,
        share(elected_posts, party_posts),
        1000.0 * share(officials, home),
        share(member_officials, members),
        share(bench_members, members),
        line_gap,
        if present > 0 {
            legitimacy / present as f64
        } else {
            0.0
        },
        share(active, present),
        share(struck, world.workplaces.len()),
        1000.0 * share(world.counters.arrests as usize, home),
        1000.0 * share(jailed, home),
        if life.members_ever > 0 {
            (life.expelled as f64 / life.members_ever as f64).min(1.0)
        } else {
            0.0
        },
        share(underground, present),
        if members > 0 {
            falsification / members as f64
        } else {
            0.0
        },
        congress.oligarchy.clamp(0.0, 1.0),
        if world.regime.restored { 1.0 } else { 0.0 },
        world.party_life.last_purge_share.clamp(0.0, 1.0),
        world.parties.iter().filter(|p| p.in_government).count() as f64,
        // Per 1,000 of the people the run began with, so that the metric's ratios between dates
        // are the ratios of the party's own counts, which the famine's dead did not shrink.
        1000.0 * share(living_members, n),
        if workers > 0 {
            worker_legitimacy / workers as f64
        } else {
            0.0
        },
    ]
}

/// The median of a non-empty slice (the mean of the two middle values for an even length).
/// Reorders the slice.
pub fn median(values: &mut [f64]) -> f64 {
    let n = values.len();
    let mid = n / 2;
    let (_, upper, _) = values.select_nth_unstable_by(mid, f64::total_cmp);
    let upper = *upper;
    if n % 2 == 1 {
        upper
    } else {
        let lower = values[..mid]
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        (lower + upper) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Class, Role};
    use crate::testing::small_world;

    fn column(row: &Row, name: &str) -> f64 {
        row[METRIC_NAMES.iter().position(|m| *m == name).unwrap()]
    }

    #[test]
    fn every_metric_has_a_positive_smallest_effect_in_its_order() {
        for (k, name) in METRIC_NAMES.iter().enumerate() {
            let s = SMALLEST_EFFECTS[k];
            assert_eq!(s.metric, *name);
            assert!(s.value > 0.0 && s.value.is_finite(), "{name}");
            assert!(!s.unit.is_empty() && !s.why.is_empty(), "{name}");
            if is_share(name) {
                assert!(
                    s.value < 0.25,
                    "{name}: a share's smallest effect is a small part of it"
                );
            }
        }
    }

    #[test]
    fn a_broken_row_is_caught() {
        let (mut world, mut rng) = small_world(200, 3);
        crate::rules::step(&mut world, &mut rng);
        let row = record(&mut world);
        assert_eq!(check_row(&row, 0), Ok(()));
        let mut bad = row;
        bad[9] = f64::NAN;
        assert!(check_row(&bad, 0).unwrap_err().contains("is NaN"));
        let mut bad = row;
        bad[1] = 1.2;
        assert!(check_row(&bad, 0).unwrap_err().contains("outside [0, 1]"));
        let mut bad = row;
        bad[METRIC_NAMES.iter().position(|m| *m == "arrests").unwrap()] = -1.0;
        assert!(check_row(&bad, 0).unwrap_err().contains("below 0"));
    }

    #[test]
    fn median_of_odd_and_even_slices() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&mut [7.0]), 7.0);
    }

    #[test]
    fn shares_and_rates_count_the_right_people() {
        let (mut world, _) = small_world(1000, 24);
        for i in 0..1000 {
            world.agents.state[i] = match i % 10 {
                0 => State::Active,
                1 => State::Jailed,
                2 => State::Underground,
                3 => State::Dead,
                _ => State::Quiet,
            };
        }
        world.counters.arrests = 9;
        let row = record(&mut world);
        // Present: quiet (600) + active (100) + underground (100) = 800; home adds 100 jailed.
        assert!((column(&row, "unrest") - 100.0 / 800.0).abs() < 1e-12);
        assert!((column(&row, "underground") - 100.0 / 800.0).abs() < 1e-12);
        assert!((column(&row, "jailed") - 1000.0 * 100.0 / 900.0).abs() < 1e-9);
        assert!((column(&row, "arrests") - 1000.0 * 9.0 / 900.0).abs() < 1e-9);
        assert_eq!(column(&row, "restored"), 0.0);
        for (k, name) in METRIC_NAMES.iter().enumerate() {
            assert!(row[k].is_finite(), "{name}");
            if is_share(name) {
                assert!((0.0..=1.0).contains(&row[k]), "{name} = {}", row[k]);
            }
        }
    }

    #[test]
    fn line_gap_is_the_distance_from_the_workers_median_to_the_line() {
        let (mut world, _) = small_world(500, 25);
        let line = world.line();
        for i in 0..500 {
            world.agents.set_private(i, Opinion::new(0.0, 0.0));
        }
        let row = record(&mut world);
        assert!((column(&row, "line_gap") - Opinion::new(0.0, 0.0).distance(line)).abs() < 1e-12);
        for i in 0..500 {
            world.agents.set_private(i, line);
        }
        assert_eq!(column(&record(&mut world), "line_gap"), 0.0);
    }

    #[test]
    fn party_members_and_worker_legitimacy_count_their_own_people() {
        let (mut world, _) = small_world(1000, 28);
        for i in 0..1000 {
            world.agents.state[i] = State::Quiet;
            world.agents.legitimacy[i] = 0.5;
        }
        let members = (0..1000).filter(|&i| world.is_ruling_member(i)).count();
        assert!(members > 0);
        let row = record(&mut world);
        assert!((column(&row, "party_members") - members as f64).abs() < 1e-9);
        assert!((column(&row, "worker_legitimacy") - 0.5).abs() < 1e-12);
        // Only the workers' legitimacy moves the workers' metric; everyone's moves the other.
        for i in 0..1000 {
            if world.agents.class[i] != Class::Worker {
                world.agents.legitimacy[i] = 0.0;
            }
        }
        let row = record(&mut world);
        assert!((column(&row, "worker_legitimacy") - 0.5).abs() < 1e-12);
        assert!(column(&row, "legitimacy") < 0.5);
        // A member at the front or in jail is still a member; a dead one counts nowhere, and
        // the people of the start stay the denominator.
        let mut in_party = (0..1000).filter(|&i| world.is_ruling_member(i));
        let (front, jail, dead) = (
            in_party.next().unwrap(),
            in_party.next().unwrap(),
            in_party.next().unwrap(),
        );
        world.agents.state[front] = State::Front;
        world.agents.state[jail] = State::Jailed;
        let row = record(&mut world);
        assert!((column(&row, "party_members") - members as f64).abs() < 1e-9);
        world.agents.state[dead] = State::Dead;
        let outsider = (0..1000).find(|&i| !world.is_ruling_member(i)).unwrap();
        world.agents.state[outsider] = State::Emigrated;
        let row = record(&mut world);
        let expected = (members - 1) as f64;
        assert!((column(&row, "party_members") - expected).abs() < 1e-9);
    }

    #[test]
    fn falsification_is_the_members_mean_gap_between_thought_and_word() {
        let (mut world, _) = small_world(500, 26);
        for i in 0..500 {
            world.agents.expressed_authority[i] = world.agents.private_authority[i];
            world.agents.expressed_property[i] = world.agents.private_property[i];
        }
        assert_eq!(column(&record(&mut world), "falsification"), 0.0);
        let member = (0..500).find(|&i| world.is_ruling_member(i)).unwrap();
        world.agents.set_private(member, Opinion::new(0.0, 0.0));
        world.agents.expressed_authority[member] = 1.0;
        world.agents.expressed_property[member] = 1.0;
        assert!(column(&record(&mut world), "falsification") > 0.0);
    }

    #[test]
    fn every_metric_is_defined_after_real_steps() {
        let (mut world, mut rng) = small_world(1500, 27);
        world.conditions.civil_war = 1.0;
        for step in 0..30 {
            world.step = step;
            crate::rules::step(&mut world, &mut rng);
            let row = record(&mut world);
            for (k, name) in METRIC_NAMES.iter().enumerate() {
                assert!(row[k].is_finite(), "{name}");
                assert!(row[k] >= 0.0, "{name}");
                if is_share(name) {
                    assert!(row[k] <= 1.0, "{name} = {}", row[k]);
                }
            }
            assert!(column(&row, "pluralism") >= 1.0);
            assert!(column(&row, "faction_pluralism") >= 1.0);
            assert!(column(&row, "soviet_power") > 0.0);
            assert!(column(&row, "participation") > 0.0);
        }
    }

    #[test]
    fn party_composition_metrics_count_members_by_class_and_office() {
        let (mut world, _) = small_world(1000, 30);
        let members: Vec<usize> = (0..1000)
            .filter(|&i| world.is_ruling_member(i) && world.agents.state[i].is_present())
            .collect();
        for &i in &members {
            world.agents.class[i] = Class::Worker;
            world.agents.role[i] = Role::None;
        }
        let quarter = members.len() / 4;
        for &i in &members[..quarter] {
            world.agents.role[i] = Role::Official;
        }
        world.party_life.members_ever = 2 * members.len() as u64;
        world.party_life.expelled = members.len() as u64;
        let row = record(&mut world);
        let n = members.len() as f64;
        assert!((column(&row, "official_share") - quarter as f64 / n).abs() < 1e-12);
        assert!((column(&row, "party_worker_share") - (n - quarter as f64) / n).abs() < 1e-12);
        assert!((column(&row, "expelled") - 0.5).abs() < 1e-12);
        // No member holds office by election and no congress has met: no party democracy.
        assert_eq!(column(&row, "party_democracy"), 0.0);
    }

    #[test]
    fn metric_names_follow_the_brief() {
        // The brief's nineteen, then the four the record of the shared history needs.
        assert_eq!(METRIC_COUNT, 23);
        assert_eq!(METRIC_NAMES[0], "soviet_power");
        assert_eq!(METRIC_NAMES[18], "restored");
        assert_eq!(
            &METRIC_NAMES[19..],
            [
                "purge_share",
                "coalition",
                "party_members",
                "worker_legitimacy"
            ]
        );
    }
}
