//! Building a world from a setup and a replicate's random stream: classes, localities,
//! workplaces, starting attributes, party membership and the tie network.

use super::{
    Agents, Class, LeadershipState, Locality, LocalityIndex, NONE, Network, Party, PartyLife,
    Pending, RegimeState, Role, Scratch, Setup, Soviet, State, StepCounters, Workplace, World,
};
use crate::rng::{self, SimRng};

/// Splits `n` into counts proportional to `shares` (largest remainder, ties to the first).
pub fn apportion(n: u32, shares: &[f64]) -> Vec<u32> {
    let total: f64 = shares.iter().sum();
    if total <= 0.0 {
        let mut out = vec![0; shares.len()];
        if let Some(first) = out.first_mut() {
            *first = n;
        }
        return out;
    }
    let exact: Vec<f64> = shares.iter().map(|s| n as f64 * s / total).collect();
    let mut counts: Vec<u32> = exact.iter().map(|x| x.floor() as u32).collect();
    let mut left = n - counts.iter().sum::<u32>();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| {
        let ra = exact[a] - exact[a].floor();
        let rb = exact[b] - exact[b].floor();
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &k in order.iter().cycle() {
        if left == 0 {
            break;
        }
        counts[k] += 1;
        left -= 1;
    }
    counts
}

impl World {
    /// Builds replicate `rng`'s world from a setup (a setup's: `setup.setup()`).
    pub fn build(setup: &Setup, rng: &mut SimRng) -> World {
        let pop = &setup.population;
        let n = pop.agents as usize;
        let urban_n = (pop.urban_localities).max(1);
        let rural_n = pop.rural_localities;
        let workplaces_n = (pop.workplaces).max(1);

        let mut localities: Vec<Locality> =
            (0..urban_n).map(|_| Locality { urban: true }).collect();
        localities.extend((0..rural_n).map(|_| Locality { urban: false }));
        let workplaces: Vec<Workplace> = (0..workplaces_n)
            .map(|w| Workplace {
                locality: w % urban_n,
                on_strike: false,
                one_man: false,
            })
            .collect();

        // Who lives where: classes by exact shares, then a home for each agent. Soldiers are
        // garrisoned in the towns; with no rural localities peasants live in towns too.
        let counts = apportion(n as u32, &pop.classes.as_array());
        let mut people: Vec<(u32, u32, Class)> = Vec::with_capacity(n);
        for (class, &count) in Class::ALL.iter().zip(&counts) {
            for _ in 0..count {
                let (locality, workplace) = if class.is_urban() {
                    let w = rng::index(rng, workplaces_n as usize) as u32;
                    (workplaces[w as usize].locality, w)
                } else if *class == Class::Peasant && rural_n > 0 {
                    (urban_n + rng::index(rng, rural_n as usize) as u32, NONE)
                } else {
                    (rng::index(rng, urban_n as usize) as u32, NONE)
                };
                people.push((locality, workplace, *class));
            }
        }
        // Ids grouped by locality then workplace keep neighbours close in memory.
        people.sort_unstable_by_key(|&(l, w, c)| (l, w, c as u8));

        let mut agents = Agents::default();
        for &(locality, workplace, class) in &people {
            let start = pop.opinion.get(class);
            let a = rng::normal_unit(rng, start.authority, start.spread);
            let p = rng::normal_unit(rng, start.property, start.spread);
            agents.class.push(class);
            agents.locality.push(locality);
            agents.workplace.push(workplace);
            agents.private_authority.push(a);
            agents.private_property.push(p);
            agents.expressed_authority.push(a);
            agents.expressed_property.push(p);
            agents
                .hardship
                .push(rng::normal_unit(rng, pop.hardship.get(class), 0.1));
            agents
                .legitimacy
                .push(rng::normal_unit(rng, pop.legitimacy.get(class), 0.1));
            agents.vulnerability.push(rng::uniform(rng));
            agents.risk_aversion.push(rng::uniform(rng));
            agents.militancy.push(rng::normal_unit(rng, 0.5, 0.2));
            agents.loyalty.push(0.0);
            agents.privilege.push(0.0);
            agents.fear.push(0.0);
            agents.state.push(State::Quiet);
            agents.release_step.push(0);
            agents.party.push(NONE);
            agents.faction.push(NONE);
            agents.role.push(Role::None);
            agents.veteran.push(false);
            agents.elected.push(false);
            agents.careerist.push(false);
        }

        let parties: Vec<Party> = setup
            .parties
            .iter()
            .map(|p| Party {
                name: p.name.clone(),
                platform: p.platform,
                status: p.status,
                restoration: p.restoration,
                in_government: p.government,
            })
            .collect();
        assign_members(&mut agents, setup, rng);

        // Groups for the network: workplaces first, then localities.
        let group_of_locality = |l: u32| workplaces_n + l;
        let mut groups: Vec<Vec<u32>> =
            vec![Vec::new(); (workplaces_n + urban_n + rural_n) as usize];
        let mut memberships = vec![[NONE; 2]; n];
        for i in 0..n {
            let l = group_of_locality(agents.locality[i]);
            memberships[i] = if agents.workplace[i] != NONE {
                [agents.workplace[i], l]
            } else {
                [l, NONE]
            };
            for g in memberships[i] {
                if g != NONE {
                    groups[g as usize].push(i as u32);
                }
            }
        }
        let network = Network::small_world(
            n,
            &groups,
            &memberships,
            pop.mean_degree,
            pop.cross_ties,
            rng,
        );

        let ruling_party = setup.ruling_party;
        let mut world = World {
            agents,
            network,
            localities,
            workplaces,
            parties,
            class_positions: Class::ALL.map(|c| {
                let o = pop.opinion.get(c);
                crate::model::Opinion::new(o.authority, o.property)
            }),
            regime: RegimeState {
                ruling_party,
                restored: false,
                concession: 0.0,
                police_boost: 0.0,
                soviet_power: 1.0,
                congress_position: setup.parties[ruling_party as usize].platform,
                congress_say: 0.0,
                rally: setup.environment.at(0.0).white_threat,
            },
            conditions: setup.environment.at(0.0),
            environment: setup.environment.clone(),
            events: setup.events.to_vec(),
            next_event: 0,
            rules: setup.rules.clone(),
            calendar: setup.calendar,
            step: 0,
            counters: StepCounters::default(),
            scratch: Scratch::default(),
            soviets: Vec::new(),
            factions: Vec::new(),
            party_life: PartyLife {
                members_ever: 0,
                ..PartyLife::default()
            },
            self_made_posts: 0.0,
            pending: Pending::default(),
            decisions: setup.decisions,
            leadership: LeadershipState::default(),
            locality_index: LocalityIndex::default(),
        };
        let seats = setup.rules.soviets.seats as usize;
        world.soviets = (0..world.localities.len())
            .map(|_| Soviet::new(seats))
            .collect();
        world.party_life.members_ever =
            (0..n).filter(|&i| world.is_ruling_member(i)).count() as u64;
        world.scratch = Scratch {
            flags: vec![false; n],
            marks: vec![false; n],
            values: vec![0.0; n],
            values2: vec![0.0; n],
            counts: vec![0; world.workplaces.len().max(1)],
            counts2: vec![0; world.workplaces.len().max(1)],
            locality_authority: vec![0.0; world.localities.len()],
            locality_property: vec![0.0; world.localities.len()],
            locality_count: vec![0; world.localities.len()],
            ids: Vec::with_capacity(n),
            codes: vec![0; n],
        };
        world
            .locality_index
            .rebuild(&world.agents.locality, world.localities.len());
        // Expressed opinions start at the private ones pulled by loyalty.
        world.express_opinions();
        world
    }
}

/// Party membership at the start: each party takes its share of the population from the
/// agents nearest its platform (ties broken at random), parties in name order. Only the
/// ruling party's members start with loyalty: loyalty in the model is attachment to the
/// ruling party, which is what makes members echo its line.
fn assign_members(agents: &mut Agents, setup: &Setup, rng: &mut SimRng) {
    let n = agents.len();
    let mut jitter: Vec<f64> = (0..n).map(|_| rng::uniform(rng) * 1e-9).collect();
    for (index, party) in setup.parties.iter().enumerate() {
        let wanted = (party.members * n as f64).round() as usize;
        if wanted == 0 {
            continue;
        }
        let mut candidates: Vec<(f64, u32)> = (0..n)
            .filter(|&i| agents.party[i] == NONE)
            .map(|i| {
                (
                    agents.private(i).distance(party.platform) + jitter[i],
                    i as u32,
                )
            })
            .collect();
        candidates.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for &(_, i) in candidates.iter().take(wanted) {
            agents.party[i as usize] = index as u32;
            if index as u32 == setup.ruling_party {
                agents.loyalty[i as usize] = rng::normal_unit(rng, 0.6, 0.15);
            }
        }
        for j in jitter.iter_mut() {
            *j = rng::uniform(rng) * 1e-9;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportion_is_exact_and_proportional() {
        assert_eq!(apportion(10, &[0.3, 0.55, 0.1, 0.05]), vec![3, 6, 1, 0]);
        assert_eq!(apportion(7, &[1.0, 1.0, 1.0]), vec![3, 2, 2]);
        assert_eq!(apportion(0, &[0.5, 0.5]), vec![0, 0]);
        assert_eq!(
            apportion(1000, &[0.3, 0.55, 0.1, 0.05]).iter().sum::<u32>(),
            1000
        );
    }
}
