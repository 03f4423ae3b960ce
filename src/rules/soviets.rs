//! Phase 7, soviet life: one soviet per locality and, above them, the Congress of Soviets.
//!
//! Seats are filled by election (free, with every legal or tolerated party standing; or with a
//! single list), or from above (appointment and co-option, or elections suspended). Voters
//! choose the list nearest their expressed opinion and abstain more when there is no choice.
//! Constituents can recall a delegate whose views they reject; a by-election follows. The
//! leadership may override an elected soviet whose make-up it rejects, as the Central
//! Committee set aside the metalworkers' vote in 1921 (the anarchist FAQ), or dissolve it,
//! as the soviets with Menshevik and SR majorities were dispersed in 1918 (from outside the
//! essays, which record the expulsion of those parties from the soviet executive).
//! Elections are held at meetings, so voting counts as taking part. Meetings thin out when few attend and when the executive decides instead. Whether
//! the Congress of Soviets or the party sets policy is a switch (`sovereignty`).

use super::rates::{per_step, unit};
use crate::model::PartyStatus;
use crate::model::measures::soviet_power;
use crate::model::params::{Elections, Sovereignty, SovietsParams};
use crate::model::{Class, NONE, Opinion, Role, Seat, SeatMode, World};
use crate::rng::{self, SimRng};

/// Where a list stands: the line for the ruling party, the platform for the others.
fn list_position(world: &World, party: u32) -> Opinion {
    if party == world.regime.ruling_party {
        world.line()
    } else {
        world.parties[party as usize].platform
    }
}

/// The parties that may put up a list in this soviet's elections.
fn may_stand(world: &World, party: usize, elections: Elections) -> bool {
    let status = world.parties[party].status;
    match elections {
        Elections::Free => status != PartyStatus::Banned,
        _ => party as u32 == world.regime.ruling_party,
    }
}

/// Whether a resident may take a seat for their party: living openly and holding no other
/// office.
#[inline]
fn can_stand(world: &World, i: usize) -> bool {
    let a = &world.agents;
    a.state[i].is_visible() && a.party[i] != NONE && matches!(a.role[i], Role::None)
}

/// Candidates' order on a list: the militant and the loyal first, ties by id.
fn rank_candidates(world: &World, ids: &mut [u32]) {
    let a = &world.agents;
    ids.sort_by(|&x, &y| {
        let sx = a.militancy[x as usize] + a.loyalty[x as usize];
        let sy = a.militancy[y as usize] + a.loyalty[y as usize];
        sy.total_cmp(&sx).then(x.cmp(&y))
    });
}

/// Allocates `seats` by D'Hondt among lists with `votes`, none taking more seats than it has
/// candidates. Ties go to the earlier list.
pub fn dhondt(votes: &[f64], capacity: &[usize], seats: usize) -> Vec<usize> {
    let mut won = vec![0usize; votes.len()];
    for _ in 0..seats {
        let mut best: Option<(usize, f64)> = None;
        for k in 0..votes.len() {
            if won[k] >= capacity[k] || votes[k] <= 0.0 {
                continue;
            }
            let q = votes[k] / (won[k] + 1) as f64;
            if best.is_none_or(|(_, b)| q > b) {
                best = Some((k, q));
            }
        }
        match best {
            Some((k, _)) => won[k] += 1,
            None => break,
        }
    }
    won
}

fn vacate(world: &mut World, s: usize, k: usize) {
    let holder = world.soviets[s].seats[k].holder;
    if holder != NONE && world.agents.role[holder as usize] == Role::Delegate {
        world.agents.role[holder as usize] = Role::None;
        world.agents.elected[holder as usize] = false;
    }
    world.soviets[s].seats[k] = Seat::VACANT;
}

/// Empties at once the seats held by members of banned parties: a party banned after the
/// soviets' phase (by a restoration, phase 10) loses its seats the same day, not the next.
pub fn unseat_banned(world: &mut World) {
    for s in 0..world.soviets.len() {
        for k in 0..world.soviets[s].seats.len() {
            let seat = world.soviets[s].seats[k];
            if !seat.is_filled() {
                continue;
            }
            let party = world.agents.party[seat.holder as usize];
            if party != NONE && world.parties[party as usize].status == PartyStatus::Banned {
                vacate(world, s, k);
            }
        }
    }
}

/// Whether the holder of a seat in soviet `s` still holds it: living openly in the locality,
/// still a delegate, and not of a banned party (the expelled parties lose their seats).
fn keeps_seat(world: &World, s: usize, holder: usize) -> bool {
    let a = &world.agents;
    let party = a.party[holder];
    a.state[holder].is_visible()
        && a.locality[holder] as usize == s
        && a.role[holder] == Role::Delegate
        && (party == NONE || world.parties[party as usize].status != PartyStatus::Banned)
}

/// A general election in soviet `s` among `residents`.
fn elect(world: &mut World, s: usize, residents: &[u32], rng: &mut SimRng) {
    let p = world.rules.soviets;
    for k in 0..world.soviets[s].seats.len() {
        vacate(world, s, k);
    }
    let parties = world.parties.len();
    let mut candidates: Vec<Vec<u32>> = vec![Vec::new(); parties];
    for &i in residents {
        let i = i as usize;
        if can_stand(world, i) {
            let party = world.agents.party[i] as usize;
            if may_stand(world, party, p.elections) {
                candidates[party].push(i as u32);
            }
        }
    }
    let lists: Vec<usize> = (0..parties)
        .filter(|&k| !candidates[k].is_empty())
        .collect();
    if lists.is_empty() {
        return;
    }
    let positions: Vec<Opinion> = lists
        .iter()
        .map(|&k| list_position(world, k as u32))
        .collect();
    let choice = if lists.len() > 1 {
        1.0
    } else {
        1.0 - p.no_choice_abstention
    };
    let mut votes = vec![0.0; lists.len()];
    let a = &world.agents;
    for &i in residents {
        let i = i as usize;
        if !a.state[i].is_visible() {
            continue;
        }
        if !rng::chance(rng, unit(p.turnout * 2.0 * a.militancy[i]) * choice) {
            continue;
        }
        votes[nearest(a.expressed(i), &positions)] += 1.0;
    }
    let capacity: Vec<usize> = lists.iter().map(|&k| candidates[k].len()).collect();
    let seats = world.soviets[s].seats.len();
    let won = dhondt(&votes, &capacity, seats);
    let mode = if lists.len() > 1 {
        SeatMode::Competitive
    } else {
        SeatMode::SingleList
    };
    let mut next = 0;
    for (slot, &party) in lists.iter().enumerate() {
        let mut ids = std::mem::take(&mut candidates[party]);
        rank_candidates(world, &mut ids);
        for &i in ids.iter().take(won[slot]) {
            seat(world, s, next, i as usize, mode, true);
            next += 1;
        }
    }
}

/// The index of the position nearest `view` (ties to the first).
fn nearest(view: Opinion, positions: &[Opinion]) -> usize {
    let mut best = 0;
    for k in 1..positions.len() {
        if view.distance(positions[k]) < view.distance(positions[best]) {
            best = k;
        }
    }
    best
}

fn seat(world: &mut World, s: usize, k: usize, i: usize, mode: SeatMode, elected: bool) {
    world.agents.role[i] = Role::Delegate;
    world.agents.elected[i] = elected;
    world.soviets[s].seats[k] = Seat {
        holder: i as u32,
        party: world.agents.party[i],
        mode,
    };
}

/// Fills seats of soviet `s` from above with loyal ruling-party members of the locality: all
/// seats, or only the vacant ones.
fn appoint(world: &mut World, s: usize, residents: &[u32], all: bool) {
    if all {
        for k in 0..world.soviets[s].seats.len() {
            vacate(world, s, k);
        }
    }
    let line = world.line();
    let mut pool: Vec<u32> = residents
        .iter()
        .copied()
        .filter(|&i| can_stand(world, i as usize) && world.is_ruling_member(i as usize))
        .collect();
    let a = &world.agents;
    let score = |i: u32| a.loyalty[i as usize] - a.expressed(i as usize).distance(line);
    pool.sort_by(|&x, &y| score(y).total_cmp(&score(x)).then(x.cmp(&y)));
    let mut next = pool.into_iter();
    for k in 0..world.soviets[s].seats.len() {
        if world.soviets[s].seats[k].is_filled() {
            continue;
        }
        let Some(i) = next.next() else { break };
        seat(world, s, k, i as usize, SeatMode::Appointed, false);
    }
}

/// Whether the leadership rejects soviet `s`'s make-up: too few seats held by loyal members.
pub fn rejected(world: &World, s: usize) -> bool {
    let p = &world.rules.soviets;
    let line = world.line();
    let (mut filled, mut loyal) = (0usize, 0usize);
    for seat in &world.soviets[s].seats {
        if !seat.is_filled() {
            continue;
        }
        filled += 1;
        let h = seat.holder as usize;
        if world.is_ruling_member(h)
            && world.agents.faction[h] == NONE
            && world.agents.expressed(h).distance(line) <= p.loyal_distance
        {
            loyal += 1;
        }
    }
    filled > 0 && (loyal as f64) < p.override_majority * filled as f64
}

/// A recall meeting for the holder of seat `k` in soviet `s`: a sample of constituents; the
/// delegate goes if the dissatisfied reach the quorum, and the meeting elects a successor.
fn recall_meeting(world: &mut World, s: usize, k: usize, residents: &[u32], rng: &mut SimRng) {
    let p = world.rules.soviets;
    let holder = world.soviets[s].seats[k].holder as usize;
    let view = world.agents.expressed(holder);
    let mut sample: Vec<u32> = Vec::with_capacity(p.recall_sample as usize);
    let mut tries = 0;
    while sample.len() < p.recall_sample as usize && tries < 4 * p.recall_sample as usize {
        tries += 1;
        let i = residents[rng::index(rng, residents.len())];
        if world.agents.state[i as usize].is_visible() && i as usize != holder {
            sample.push(i);
        }
    }
    if sample.is_empty() {
        return;
    }
    let dissatisfied = sample
        .iter()
        .filter(|&&i| world.agents.expressed(i as usize).distance(view) > p.recall_distance)
        .count();
    if (dissatisfied as f64) < p.recall_quorum * sample.len() as f64 {
        return;
    }
    vacate(world, s, k);
    // The by-election: the same meeting chooses among the lists that may stand and still
    // have someone unseated to put up.
    let parties = world.parties.len();
    let mut best: Vec<Option<u32>> = vec![None; parties];
    for &i in residents {
        let i = i as usize;
        if !can_stand(world, i) || i == holder {
            continue;
        }
        let party = world.agents.party[i] as usize;
        if !may_stand(world, party, p.elections) {
            continue;
        }
        let a = &world.agents;
        let better = best[party].is_none_or(|b| {
            let b = b as usize;
            a.militancy[i] + a.loyalty[i] > a.militancy[b] + a.loyalty[b]
        });
        if better {
            best[party] = Some(i as u32);
        }
    }
    let lists: Vec<usize> = (0..parties).filter(|&q| best[q].is_some()).collect();
    if lists.is_empty() {
        return;
    }
    let positions: Vec<Opinion> = lists
        .iter()
        .map(|&q| list_position(world, q as u32))
        .collect();
    let mut votes = vec![0u32; lists.len()];
    for &i in &sample {
        votes[nearest(world.agents.expressed(i as usize), &positions)] += 1;
    }
    let winner = (0..lists.len())
        .max_by(|&x, &y| votes[x].cmp(&votes[y]).then(y.cmp(&x)))
        .unwrap_or(0);
    let mode = if lists.len() > 1 {
        SeatMode::Competitive
    } else {
        SeatMode::SingleList
    };
    if let Some(i) = best[lists[winner]] {
        seat(world, s, k, i as usize, mode, true);
    }
}

pub fn apply(world: &mut World, rng: &mut SimRng) {
    let p = world.rules.soviets;
    let weeks = world.weeks();
    let step = world.step;
    world
        .locality_index
        .refresh(&world.agents.locality, world.localities.len());
    let soviets = world.soviets.len();
    let interval = ((p.election_interval_weeks / weeks.max(1e-9)).round() as u32).max(1);
    let mut residents: Vec<u32> = std::mem::take(&mut world.scratch.ids);
    let override_order = world.pending.override_chance;
    let dissolve_order = world.pending.dissolve_chance;
    let recall_chance = per_step(p.recall_meetings, weeks);

    for s in 0..soviets {
        residents.clear();
        residents.extend_from_slice(world.locality_index.residents(s));
        for k in 0..world.soviets[s].seats.len() {
            let seat = world.soviets[s].seats[k];
            if seat.is_filled() {
                if keeps_seat(world, s, seat.holder as usize) {
                    world.soviets[s].seats[k].party = world.agents.party[seat.holder as usize];
                } else {
                    vacate(world, s, k);
                }
            }
        }
        // Orders from today's events.
        let mut dissolved = false;
        if dissolve_order > 0.0 && rejected(world, s) && rng::chance(rng, dissolve_order) {
            dissolved = true;
            for k in 0..world.soviets[s].seats.len() {
                vacate(world, s, k);
            }
            let soviet = &mut world.soviets[s];
            soviet.vitality = 0.0;
            soviet.plenum = 0.0;
            soviet.next_election = step + interval;
        }
        if override_order > 0.0 && rejected(world, s) && rng::chance(rng, override_order) {
            appoint(world, s, &residents, true);
        }
        // Regular terms; a soviet dissolved today stays empty until its next term.
        let due = step >= world.soviets[s].next_election && !dissolved;
        match p.elections {
            Elections::Free | Elections::SingleList => {
                if due {
                    elect(world, s, &residents, rng);
                    if rejected(world, s) && rng::chance(rng, p.override_chance) {
                        appoint(world, s, &residents, true);
                    }
                }
            }
            Elections::Suspended if !dissolved => appoint(world, s, &residents, false),
            Elections::Appointed if !dissolved => appoint(world, s, &residents, due),
            Elections::Suspended | Elections::Appointed => {}
        }
        if due {
            let first = world.soviets[s].next_election == 0;
            // The first terms are staggered so that the soviets do not all renew at once.
            world.soviets[s].next_election = if first {
                step + (interval as u64 * (s as u64 + 1) / soviets as u64).max(1) as u32
            } else {
                step + interval
            };
        }
        // Recall.
        if p.recall && matches!(p.elections, Elections::Free | Elections::SingleList) {
            for k in 0..world.soviets[s].seats.len() {
                let seat = world.soviets[s].seats[k];
                if seat.is_filled()
                    && seat.mode != SeatMode::Appointed
                    && rng::chance(rng, recall_chance)
                {
                    recall_meeting(world, s, k, &residents, rng);
                }
            }
        }
    }
    world.scratch.ids = residents;
    meetings(world, rng);
    congress(world);
}

/// Probability that agent `i` attends a meeting where the plenum has share `say`.
#[inline]
fn attendance(p: &SovietsParams, militancy: f64, hardship: f64, say: f64) -> f64 {
    unit(p.attendance * 2.0 * militancy * (0.3 + 0.7 * say) * (1.0 - p.hunger_apathy * hardship))
}

/// Soviet plenums and factory meetings; vitality and the plenum's share of decisions move
/// toward their targets; the step's participation is counted.
fn meetings(world: &mut World, rng: &mut SimRng) {
    // Hunger, war and isolation weaken the class's organs as far as the circumstances
    // mechanism says (`[rules.leadership] circumstances`, at its middle value exactly as the
    // soviets' own parameters give).
    let circumstances = 2.0 * world.rules.leadership.circumstances;
    let mut p = world.rules.soviets;
    p.hunger_apathy *= circumstances;
    p.war_centralisation *= circumstances;
    p.attendance *= (1.0
        - circumstances * p.isolation_apathy * (1.0 - world.conditions.world_revolution))
        .max(0.0);
    let weeks = world.weeks();
    let war = world.conditions.civil_war;
    let dictatorship = if p.sovereignty == Sovereignty::Party {
        1.0
    } else {
        0.0
    };
    // Which workplaces hold a meeting this step.
    let factory = per_step(p.factory_meetings, weeks);
    let held = &mut world.scratch.counts;
    held.iter_mut().for_each(|c| *c = 0);
    for (w, place) in world.workplaces.iter().enumerate() {
        if !place.one_man && rng::chance(rng, factory) {
            held[w] = 1;
        }
    }
    let (mut workers, mut participants) = (0u32, 0u32);
    for s in 0..world.soviets.len() {
        let soviet = &world.soviets[s];
        let meets = rng::chance(rng, per_step(soviet.vitality, weeks));
        let say = soviet.plenum;
        let (mut expected, mut residents) = (0.0, 0usize);
        let a = &world.agents;
        for &i in world.locality_index.residents(s) {
            let i = i as usize;
            let state = a.state[i];
            let counted = a.class[i] == Class::Worker && state.is_present();
            if counted {
                workers += 1;
            }
            if !state.is_visible() {
                continue;
            }
            let chance = attendance(&p, a.militancy[i], a.hardship[i], say);
            expected += chance;
            residents += 1;
            // Voting is not taking part in a meeting: counting an election's voters made
            // participation spike every election week.
            let mut took_part = meets && rng::chance(rng, chance);
            let w = a.workplace[i];
            if !took_part && w != NONE && world.scratch.counts[w as usize] == 1 {
                took_part = rng::chance(rng, attendance(&p, a.militancy[i], a.hardship[i], 1.0));
            }
            if counted && took_part {
                participants += 1;
            }
        }
        let mean = if residents > 0 {
            expected / residents as f64
        } else {
            0.0
        };
        let soviet = &mut world.soviets[s];
        let target_v = unit(mean / p.full_attendance.max(1e-9))
            * (1.0 - p.executive_drain * (1.0 - soviet.plenum));
        soviet.vitality =
            unit(soviet.vitality + per_step(p.vitality_rate, weeks) * (target_v - soviet.vitality));
        let target_p = unit(
            1.0 - p.war_centralisation * war
                - p.dictatorship_centralisation * dictatorship
                - p.uncontested_centralisation * (1.0 - soviet.competitive_share()),
        );
        soviet.plenum =
            unit(soviet.plenum + per_step(p.plenum_rate, weeks) * (target_p - soviet.plenum));
    }
    world.counters.urban_workers = workers;
    world.counters.participants = participants;
}

/// The Congress of Soviets: where its delegates stand, and its say in policy.
fn congress(world: &mut World) {
    let (mut sa, mut sp, mut k) = (0.0, 0.0, 0usize);
    for soviet in &world.soviets {
        for seat in &soviet.seats {
            if seat.is_filled() {
                let o = world.agents.expressed(seat.holder as usize);
                sa += o.authority;
                sp += o.property;
                k += 1;
            }
        }
    }
    world.regime.congress_position = if k > 0 {
        Opinion::new(sa / k as f64, sp / k as f64)
    } else {
        world.line()
    };
    let power = soviet_power(world);
    world.regime.soviet_power = power;
    world.regime.congress_say = match world.rules.soviets.sovereignty {
        Sovereignty::Soviets => power,
        Sovereignty::Party => 0.0,
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::measures::pluralism;
    use crate::testing::{party_index, small_world};

    /// A world whose soviets have just been elected, with no further terms due.
    fn elected_world(agents: u32, seed: u64) -> (World, SimRng) {
        let (mut world, mut rng) = small_world(agents, seed);
        apply(&mut world, &mut rng);
        for soviet in &mut world.soviets {
            soviet.next_election = u32::MAX;
        }
        world.step = 1;
        (world, rng)
    }

    fn residents(world: &World, s: usize) -> Vec<u32> {
        world.locality_index.residents(s).to_vec()
    }

    /// The first soviet with a seat won in an election, and that seat.
    fn elected_seat(world: &World) -> (usize, usize) {
        for (s, soviet) in world.soviets.iter().enumerate() {
            for (k, seat) in soviet.seats.iter().enumerate() {
                if seat.is_filled() && seat.mode != SeatMode::Appointed {
                    return (s, k);
                }
            }
        }
        panic!("no elected seat");
    }

    fn set_expressed(world: &mut World, i: usize, o: Opinion) {
        world.agents.expressed_authority[i] = o.authority;
        world.agents.expressed_property[i] = o.property;
    }

    #[test]
    fn dhondt_is_proportional_and_respects_the_candidates_available() {
        assert_eq!(dhondt(&[60.0, 30.0, 10.0], &[9, 9, 9], 9), vec![6, 3, 0]);
        assert_eq!(dhondt(&[60.0, 30.0, 10.0], &[2, 9, 9], 9), vec![2, 6, 1]);
        assert_eq!(dhondt(&[0.0, 0.0], &[5, 5], 4), vec![0, 0]);
    }

    #[test]
    fn free_elections_seat_several_parties_and_a_single_list_only_the_ruling_one() {
        let (world, _) = elected_world(3000, 40);
        let mut parties = std::collections::BTreeSet::new();
        for soviet in &world.soviets {
            for seat in soviet.seats.iter().filter(|s| s.is_filled()) {
                parties.insert(seat.party);
                assert_eq!(world.agents.role[seat.holder as usize], Role::Delegate);
            }
        }
        assert!(parties.len() >= 3, "{parties:?}");
        assert!(pluralism(&world) > 1.5);
        assert!(world.soviets.iter().any(|s| s.competitive_share() > 0.5));

        let (mut single, mut rng) = small_world(3000, 40);
        single.rules.soviets.elections = Elections::SingleList;
        apply(&mut single, &mut rng);
        let ruling = single.regime.ruling_party;
        for soviet in &single.soviets {
            assert_eq!(soviet.competitive_share(), 0.0);
            for seat in soviet.seats.iter().filter(|s| s.is_filled()) {
                assert_eq!(seat.party, ruling);
                assert_eq!(seat.mode, SeatMode::SingleList);
            }
        }
        assert_eq!(pluralism(&single), 1.0);
    }

    #[test]
    fn voters_choose_the_list_nearest_what_they_say() {
        let (mut world, mut rng) = small_world(3000, 41);
        let mensheviks = party_index(&world, "mensheviks");
        let platform = world.parties[mensheviks as usize].platform;
        for i in 0..world.agents.len() {
            set_expressed(&mut world, i, platform);
        }
        apply(&mut world, &mut rng);
        let (mut theirs, mut filled) = (0, 0);
        for soviet in &world.soviets {
            for seat in soviet.seats.iter().filter(|s| s.is_filled()) {
                filled += 1;
                if seat.party == mensheviks {
                    theirs += 1;
                }
            }
        }
        // Every vote goes to them; only a shortage of candidates gives seats to others.
        let candidates = (0..world.agents.len())
            .filter(|&i| world.agents.party[i] == mensheviks)
            .count();
        assert!(
            theirs as f64 >= 0.9 * filled.min(candidates) as f64,
            "{theirs} of {filled}"
        );
    }

    #[test]
    fn recall_removes_a_rejected_delegate_and_keeps_an_accepted_one() {
        let (mut world, mut rng) = elected_world(2000, 42);
        let (s, k) = elected_seat(&world);
        let delegate = world.soviets[s].seats[k].holder as usize;
        let people = residents(&world, s);
        let view = world.agents.expressed(delegate);

        // Constituents who say what he says keep him.
        for &i in &people {
            if i as usize != delegate {
                set_expressed(&mut world, i as usize, view);
            }
        }
        recall_meeting(&mut world, s, k, &people, &mut rng);
        assert_eq!(world.soviets[s].seats[k].holder as usize, delegate);
        assert_eq!(world.agents.role[delegate], Role::Delegate);

        // Constituents at the other end of opinion space unseat him.
        let far = Opinion::new(1.0 - view.authority.round(), 1.0 - view.property.round());
        for &i in &people {
            if i as usize != delegate {
                set_expressed(&mut world, i as usize, far);
            }
        }
        recall_meeting(&mut world, s, k, &people, &mut rng);
        assert_ne!(world.soviets[s].seats[k].holder as usize, delegate);
        assert_eq!(world.agents.role[delegate], Role::None);
    }

    #[test]
    fn an_override_replaces_an_elected_soviet_the_leadership_rejects() {
        let (mut world, mut rng) = elected_world(2000, 43);
        let line = world.line();
        let away = Opinion::new(1.0 - line.authority, 1.0 - line.property);
        // Make every delegate of the first soviet say what the leadership rejects.
        for seat in world.soviets[0].seats.clone() {
            if seat.is_filled() {
                set_expressed(&mut world, seat.holder as usize, away);
            }
        }
        assert!(rejected(&world, 0));
        let mut untouched = world.clone();
        let mut rng2 = rng.clone();
        world.pending.override_chance = 1.0;
        apply(&mut world, &mut rng);
        let ruling = world.regime.ruling_party;
        let filled: Vec<Seat> = world.soviets[0]
            .seats
            .iter()
            .copied()
            .filter(|s| s.is_filled())
            .collect();
        assert!(!filled.is_empty());
        for seat in &filled {
            assert_eq!(seat.mode, SeatMode::Appointed);
            assert_eq!(seat.party, ruling);
            assert!(!world.agents.elected[seat.holder as usize]);
        }
        // Without the order the elected delegates stay.
        apply(&mut untouched, &mut rng2);
        assert!(
            untouched.soviets[0]
                .seats
                .iter()
                .any(|s| s.is_filled() && s.mode != SeatMode::Appointed)
        );
    }

    #[test]
    fn dissolution_empties_a_rejected_soviet() {
        let (mut world, mut rng) = elected_world(2000, 44);
        let line = world.line();
        let away = Opinion::new(1.0 - line.authority, 1.0 - line.property);
        for seat in world.soviets[1].seats.clone() {
            if seat.is_filled() {
                set_expressed(&mut world, seat.holder as usize, away);
            }
        }
        world.pending.dissolve_chance = 1.0;
        apply(&mut world, &mut rng);
        assert!(world.soviets[1].seats.iter().all(|s| !s.is_filled()));
        assert!(world.soviets[1].vitality < 0.1);
    }

    #[test]
    fn meetings_thin_out_when_few_attend_or_the_executive_decides() {
        let (mut lively, mut rng) = elected_world(2000, 45);
        let mut apathetic = lively.clone();
        let mut executive = lively.clone();
        for i in 0..apathetic.agents.len() {
            apathetic.agents.militancy[i] = 0.02;
        }
        executive.rules.soviets.sovereignty = Sovereignty::Party;
        executive.rules.soviets.dictatorship_centralisation = 1.0;
        for _ in 0..150 {
            for w in [&mut lively, &mut apathetic, &mut executive] {
                w.step += 1;
                apply(w, &mut rng);
            }
        }
        let vitality =
            |w: &World| w.soviets.iter().map(|s| s.vitality).sum::<f64>() / w.soviets.len() as f64;
        let plenum =
            |w: &World| w.soviets.iter().map(|s| s.plenum).sum::<f64>() / w.soviets.len() as f64;
        assert!(vitality(&lively) > 0.8, "{}", vitality(&lively));
        assert!(vitality(&apathetic) < 0.3, "{}", vitality(&apathetic));
        assert!(plenum(&executive) < 0.2, "{}", plenum(&executive));
        assert!(vitality(&executive) < vitality(&lively) - 0.3);
        // Participation follows: the apathetic barely attend.
        let share = |w: &World| w.counters.participants as f64 / w.counters.urban_workers as f64;
        assert!(share(&apathetic) < 0.5 * share(&lively));
    }

    #[test]
    fn sovereign_soviets_move_policy_toward_the_congress_and_party_rule_does_not() {
        let (mut sovereign, mut rng) = elected_world(2000, 46);
        let mut party = sovereign.clone();
        party.rules.soviets.sovereignty = Sovereignty::Party;
        apply(&mut sovereign, &mut rng);
        apply(&mut party, &mut rng);
        assert!(sovereign.regime.congress_say > 0.2);
        assert_eq!(party.regime.congress_say, 0.0);
        assert_eq!(party.policy(), party.line());
        let line = sovereign.line();
        let toward = sovereign.regime.congress_position;
        let policy = sovereign.policy();
        assert!(policy.distance(toward) < line.distance(toward));
    }

    #[test]
    fn soviet_power_needs_contested_recallable_seats() {
        let (mut world, _) = elected_world(2000, 47);
        let power = soviet_power(&world);
        assert!(power > 0.3, "{power}");
        world.rules.soviets.recall = false;
        assert_eq!(soviet_power(&world), 0.0);
    }
}
