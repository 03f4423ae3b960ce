//! The five contrasts as a lesson is organised around them: for each, the sides the essays
//! take, each side's argument in the project's own words, and which essays (and whether the
//! leadership's own case) stand on it. `claims.html` opens with these, and docs/essays.md
//! tells the same story at length; the claims of a contrast are sorted onto its sides by
//! [`side_of`].

use super::{CONTRASTS, Claim};

/// One side of a contrast.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Side {
    /// A few words: what the side holds.
    pub label: &'static str,
    /// Indices into [`super::ESSAYS`] of the essays that argue it.
    pub essays: &'static [usize],
    /// Whether the leadership's own case (claims with `leadership_case = true`) stands here.
    pub leadership: bool,
    /// The side's argument, paraphrased in a few sentences.
    pub argument: &'static str,
}

/// A contrast: its question (as [`CONTRASTS`] words it) and its sides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Contrast {
    pub question: &'static str,
    pub sides: &'static [Side],
}

/// The essays by index, for readability below.
const LESSONS: usize = 0;
const RATCLIFFE: usize = 1;
const WARD: usize = 2;
const FAQ: usize = 3;
const MIASNIKOV: usize = 4;

/// The five contrasts, in [`CONTRASTS`] order.
pub const SIDES: [Contrast; 5] = [
    Contrast {
        question: CONTRASTS[0],
        sides: &[
            Side {
                label: "the party form and its doctrine",
                essays: &[FAQ, RATCLIFFE],
                leadership: false,
                argument: "The degeneration was built in: a centralised vanguard that thinks it knows the class's interest better than the class will put itself in the class's place, and did so from 1918 (party dictatorship, one-man management) whatever the war did. Better circumstances would have changed the pace, not the direction.",
            },
            Side {
                label: "the circumstances",
                essays: &[WARD, MIASNIKOV],
                leadership: false,
                argument: "Civil war, famine, the collapse of industry and the ebb of the revolution abroad scattered the working class that had made the soviets, and a party fused with the state was left to rule in its name. Without those blows the soviets and the party's own democracy would have outlived the emergency.",
            },
            Side {
                label: "many causes, the politics decisive",
                essays: &[LESSONS],
                leadership: false,
                argument: "The war and the isolation weighed most, and the leadership answered a real emergency; but the decisive turns were political choices (above all the 1921 faction ban), which the circumstances explain without making inevitable.",
            },
        ],
    },
    Contrast {
        question: CONTRASTS[1],
        sides: &[
            Side {
                label: "the ban was decisive",
                essays: &[LESSONS, MIASNIKOV],
                leadership: false,
                argument: "Until March 1921 members could organise around platforms and take them to congresses. The Tenth Congress's ban ended that, and once it stood every later measure against members who disagreed (purges, expulsions, the arrest of the Workers' Group) came cheaply: it was the turning point toward the rule of the apparatus. Those who would not be silent, like the Workers' Group, were driven into clandestine work.",
            },
            Side {
                label: "faction rights were gone since 1918",
                essays: &[FAQ],
                leadership: false,
                argument: "Party dictatorship, appointment from above and one-man management had already hollowed out the party's democracy by 1918-1920; oppositions were tolerated only as long as they were harmless. The ban wrote down what was already so, and without it the apparatus would still have ruled.",
            },
            Side {
                label: "a necessity of the crisis (the leadership's case)",
                essays: &[],
                leadership: true,
                argument: "With Kronstadt in revolt, strikes in the cities and the peasants in arms, an openly divided party would have fed the unrest and invited the regime's overthrow; the ban was an emergency measure, to be lifted when the danger passed.",
            },
        ],
    },
    Contrast {
        question: CONTRASTS[2],
        sides: &[
            Side {
                label: "workers' parties only",
                essays: &[LESSONS],
                leadership: false,
                argument: "Power shared among the revolutionary and workers' parties in recallable soviets keeps the soviets plural and alive; the bourgeois and monarchist parties, at war with the revolution, can be banned without harm to workers' democracy.",
            },
            Side {
                label: "independent soviets, free for all workers",
                essays: &[MIASNIKOV],
                leadership: false,
                argument: "Soviets independent of the party, with freedom of speech and press for every current of the working class (for Miasnikov in 1921, for everyone), keep the workers mobilised and hold the party to account; without them the soviets become the party's offices.",
            },
            Side {
                label: "one party (the leadership's case)",
                essays: &[],
                leadership: true,
                argument: "In a peasant country at war and surrounded by enemies, a free press and rival parties would hand the Whites the means to win; only one party holding power can keep the majority together under siege.",
            },
        ],
    },
    Contrast {
        question: CONTRASTS[3],
        sides: &[
            Side {
                label: "inevitable",
                essays: &[RATCLIFFE],
                leadership: false,
                argument: "Any organisation that delegates leadership breeds an oligarchy of officials with interests of its own; a party of professional revolutionaries in power becomes a party of officials, and election and recall do not stop it.",
            },
            Side {
                label: "resistible",
                essays: &[LESSONS],
                leadership: false,
                argument: "The tendency is real but can be held back: election and recall of every official, power kept in the soviets, and a mass party with internal democracy keep the apparatus answerable to the members and the class.",
            },
        ],
    },
    Contrast {
        question: CONTRASTS[4],
        sides: &[
            Side {
                label: "the last proletarian current",
                essays: &[WARD],
                leadership: false,
                argument: "The Left Opposition of 1923, with the smaller left groups, was the last current inside the party that spoke for the workers against the apparatus; it failed because the class behind it had been scattered and the revolution abroad had ebbed.",
            },
            Side {
                label: "no alternative",
                essays: &[FAQ],
                leadership: false,
                argument: "The Left Opposition defended party dictatorship, planning from above and the ban on other parties; it wanted a better-run apparatus, not workers' democracy, and in power it would have fed the same bureaucracy. Only the groups that called for free soviets for all workers (the Workers' Group, Workers' Truth) were an alternative.",
            },
        ],
    },
];

/// The side of its contrast a claim stands on: the side holding its essay, or the
/// leadership's side for a claim made in the leadership's own case (when the contrast has
/// one). `None` for a claim with no contrast, or whose essay takes no side in it.
pub fn side_of(claim: &Claim) -> Option<usize> {
    let contrast = &SIDES[claim.contrast?];
    if claim.leadership_case
        && let Some(k) = contrast.sides.iter().position(|s| s.leadership)
    {
        return Some(k);
    }
    contrast
        .sides
        .iter()
        .position(|s| s.essays.contains(&claim.source))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::ESSAYS;

    #[test]
    fn every_contrast_has_two_or_three_sides_and_every_essay_a_place() {
        for (k, c) in SIDES.iter().enumerate() {
            assert_eq!(c.question, CONTRASTS[k]);
            assert!((2..=3).contains(&c.sides.len()), "{}", c.question);
            for s in c.sides {
                assert!(s.essays.iter().all(|&e| e < ESSAYS.len()));
                assert!(!s.argument.is_empty() && !s.label.is_empty());
                assert!(!s.essays.is_empty() || s.leadership);
                assert!(
                    !s.leadership || s.essays.is_empty(),
                    "the leadership's side is its own"
                );
            }
            // No essay on two sides of one contrast.
            let mut seen: Vec<usize> = c
                .sides
                .iter()
                .flat_map(|s| s.essays.iter().copied())
                .collect();
            let n = seen.len();
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len(), n, "{}", c.question);
        }
        // Each essay stands somewhere in at least two contrasts.
        for e in 0..ESSAYS.len() {
            let places = SIDES
                .iter()
                .filter(|c| c.sides.iter().any(|s| s.essays.contains(&e)))
                .count();
            assert!(places >= 2, "{}", ESSAYS[e].0);
        }
    }
}
