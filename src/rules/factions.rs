//! Phase 6, factions inside the ruling party.
//!
//! A faction forms when enough members' expressed opinions lie far from the line (bounded
//! confidence: they find each other), or is seeded by a dated event with a name and a platform
//! (the Left Communists of 1918, the Democratic Centralists of 1919, the Workers' Opposition of
//! 1920, the Workers' Group of 1923). Members near a faction's platform join it; its platform
//! follows its members (Laver's Aggregator). While factions are legal they stand lists at
//! congresses (see [`super::ruling_party`]). Under a ban, visible faction activity is
//! sanctioned by reprimand, transfer, expulsion or arrest, with a weekly probability set by
//! enforcement; dissent then hides (reprimands bring fear, and fear brings falsification) or
//! goes underground, where the group recruits party and non-party workers, counts as active
//! among its neighbours in strikes (see [`super::activation`]) and is hunted by the police.

use super::rates::{per_step, unit};
use super::{repression, ruling_party};
use crate::model::{Class, Faction, NONE, Opinion, Role, State, World};
use crate::rng::{self, SimRng};

/// Most dissenters tried as the centre of a new faction at one formation check.
const CENTRES: usize = 256;

/// Index of the faction named `name`, reviving it or creating it if need be.
fn found(world: &mut World, name: &str, platform: Opinion) -> usize {
    if let Some(k) = world.factions.iter().position(|f| f.name == name) {
        world.factions[k].alive = true;
        world.factions[k].platform = platform;
        k
    } else {
        world.factions.push(Faction {
            name: name.to_string(),
            platform,
            alive: true,
            born: world.step,
            condemned: false,
        });
        world.factions.len() - 1
    }
}

/// A faction seeded by an event: the `share` of the visible members whose private opinion
/// lies nearest its platform sign up, leaving any older faction for it.
fn seed(world: &mut World, name: &str, platform: Opinion, share: f64) {
    let k = found(world, name, platform) as u32;
    let a = &world.agents;
    let mut members: Vec<(f64, u32)> = (0..a.len())
        .filter(|&i| world.is_ruling_member(i) && a.state[i].is_visible())
        .map(|i| (a.private(i).distance(platform), i as u32))
        .collect();
    let wanted = (unit(share) * members.len() as f64).round() as usize;
    members.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
    for &(_, i) in members.iter().take(wanted) {
        world.agents.faction[i as usize] = k;
    }
}

/// Every formation interval: dissenters (members whose expressed opinion lies further than
/// `formation_distance` from the line) find each other by bounded confidence. The dissenter
/// with the most fellow dissenters within `join_distance` (of up to 256 evenly spaced
/// candidates) gathers them; if the group is large
/// enough, it forms a faction at its mean expressed opinion, unless a living faction already
/// stands there. Dissenters on opposite sides of the line never pool.
fn form(world: &mut World) {
    let p = world.rules.factions;
    let line = world.line();
    let mut members = 0usize;
    let mut dissenters: Vec<(u32, Opinion)> = Vec::new();
    let a = &world.agents;
    for i in 0..a.len() {
        if !world.is_ruling_member(i) || !a.state[i].is_visible() {
            continue;
        }
        members += 1;
        let view = a.expressed(i);
        if a.faction[i] == NONE && view.distance(line) > p.formation_distance {
            dissenters.push((i as u32, view));
        }
    }
    let needed = (p.formation_share * members as f64).max(p.min_members as f64);
    if (dissenters.len() as f64) < needed {
        return;
    }
    // The densest dissenter (ties to the lowest id), among at most CENTRES evenly spaced
    // candidates so that the search stays O(dissenters) in a large population.
    let stride = dissenters.len().div_ceil(CENTRES).max(1);
    let mut best = (0usize, 0usize);
    for (k, &(_, view)) in dissenters.iter().enumerate().step_by(stride) {
        let near = dissenters
            .iter()
            .filter(|(_, other)| other.distance(view) < p.join_distance)
            .count();
        if near > best.1 {
            best = (k, near);
        }
    }
    if (best.1 as f64) < needed {
        return;
    }
    let centre = dissenters[best.0].1;
    let group: Vec<u32> = dissenters
        .iter()
        .filter(|(_, other)| other.distance(centre) < p.join_distance)
        .map(|&(i, _)| i)
        .collect();
    let (sa, sp) = group.iter().fold((0.0, 0.0), |(sa, sp), &i| {
        let o = a.expressed(i as usize);
        (sa + o.authority, sp + o.property)
    });
    let platform = Opinion::new(sa / group.len() as f64, sp / group.len() as f64);
    if world
        .factions
        .iter()
        .any(|f| f.alive && f.platform.distance(platform) < p.join_distance)
    {
        return;
    }
    let (year, month, _) = world.calendar.date(world.step).ymd();
    let mut name = format!("dissenters-{year}-{month:02}");
    if world.factions.iter().any(|f| f.name == name) {
        name = format!("{name}-{}", world.factions.len());
    }
    let k = found(world, &name, platform) as u32;
    for &i in &group {
        world.agents.faction[i as usize] = k;
    }
}

/// Joining, by expressed opinion (joining is a public act), and leaving, by private opinion.
fn membership(world: &mut World, rng: &mut SimRng) {
    let p = world.rules.factions;
    let join = per_step(p.join_rate, world.weeks());
    let line = world.line();
    for i in 0..world.agents.len() {
        let a = &world.agents;
        if !world.is_ruling_member(i) || !a.state[i].is_visible() {
            continue;
        }
        let view = a.expressed(i);
        let current = a.faction[i];
        if current != NONE {
            // One leaves a faction on ceasing to agree with it, whatever one dares say.
            let f = &world.factions[current as usize];
            if !f.alive || a.private(i).distance(f.platform) > p.leave_distance {
                world.agents.faction[i] = NONE;
            }
            continue;
        }
        let mut best: Option<(usize, f64)> = None;
        for (k, f) in world.factions.iter().enumerate() {
            if f.alive {
                let d = view.distance(f.platform);
                if best.is_none_or(|(_, b)| d < b) {
                    best = Some((k, d));
                }
            }
        }
        let Some((k, d)) = best else { continue };
        if d >= p.join_distance || d >= view.distance(line) {
            continue;
        }
        let courage = if p.banned { 1.0 - a.fear[i] } else { 1.0 };
        if rng::chance(rng, unit(join * 2.0 * a.militancy[i] * courage)) {
            world.agents.faction[i] = k as u32;
        }
    }
}

/// Platforms follow their members; factions too small to act dissolve.
fn drift_and_dissolve(world: &mut World) {
    let p = world.rules.factions;
    let line = world.line();
    let rate = per_step(p.platform_drift, world.weeks());
    let mut sums = vec![(0.0f64, 0.0f64, 0u32); world.factions.len()];
    let a = &world.agents;
    for i in 0..a.len() {
        let f = a.faction[i];
        if f != NONE && a.state[i].is_present() {
            let s = &mut sums[f as usize];
            s.0 += a.private_authority[i];
            s.1 += a.private_property[i];
            s.2 += 1;
        }
    }
    let mut dissolved = false;
    for (k, faction) in world.factions.iter_mut().enumerate() {
        let (sa, sp, count) = sums[k];
        if !faction.alive {
            continue;
        }
        if count < p.min_members {
            faction.alive = false;
            dissolved = true;
            continue;
        }
        let mean = Opinion::new(sa / count as f64, sp / count as f64);
        faction.platform = Opinion::new(
            faction.platform.authority + rate * (mean.authority - faction.platform.authority),
            faction.platform.property + rate * (mean.property - faction.platform.property),
        );
        // A faction whose platform has come back to the line has nothing left to stand for.
        if faction.platform.distance(line) < p.absorption_distance {
            faction.alive = false;
            dissolved = true;
        }
    }
    if dissolved {
        for i in 0..world.agents.len() {
            let f = world.agents.faction[i];
            if f != NONE && !world.factions[f as usize].alive {
                world.agents.faction[i] = NONE;
            }
        }
    }
}

/// Sends agent `i` to another urban locality (a new workplace there if they had one).
fn transfer(world: &mut World, i: usize, rng: &mut SimRng) {
    let here = world.agents.locality[i];
    for _ in 0..8 {
        if world.agents.workplace[i] != NONE {
            let w = rng::index(rng, world.workplaces.len());
            let l = world.workplaces[w].locality;
            if l != here {
                world.agents.workplace[i] = w as u32;
                world.agents.locality[i] = l;
                world.locality_index.invalidate();
                break;
            }
        } else {
            let urban = world.localities.iter().filter(|l| l.urban).count();
            let l = rng::index(rng, urban.max(1)) as u32;
            if l != here {
                world.agents.locality[i] = l;
                world.locality_index.invalidate();
                break;
            }
        }
    }
    // The transferred lose their local office.
    if matches!(world.agents.role[i], Role::Official | Role::Delegate) {
        world.agents.role[i] = Role::None;
        world.agents.elected[i] = false;
    }
}

/// Under a ban: visible members of a condemned faction go underground or are sanctioned.
fn enforce(world: &mut World, rng: &mut SimRng) {
    let p = world.rules.factions;
    let weeks = world.weeks();
    let enforcement = per_step(p.enforcement, weeks);
    let line = world.line();
    let weights = [p.reprimand, p.transfer, p.expulsion, p.arrest].map(|w| w.max(0.0));
    let total: f64 = weights.iter().sum();
    let sanctions = total > 0.0;
    let police = world.rules.repression.enabled;
    for i in 0..world.agents.len() {
        let a = &world.agents;
        if a.faction[i] == NONE || !world.is_ruling_member(i) || !a.state[i].is_visible() {
            continue;
        }
        // A faction not condemned is argued with in the open: nobody is sanctioned for it,
        // and nobody hides.
        if !world.factions[a.faction[i] as usize].condemned {
            continue;
        }
        if rng::chance(
            rng,
            per_step(p.underground_rate * 2.0 * a.militancy[i], weeks),
        ) {
            let a = &mut world.agents;
            a.state[i] = State::Underground;
            a.role[i] = Role::None;
            a.elected[i] = false;
            continue;
        }
        if !sanctions
            || a.expressed(i).distance(line) <= p.visibility
            || !rng::chance(rng, enforcement)
        {
            continue;
        }
        let mut u = rng::uniform(rng) * total;
        let mut sanction = 0;
        while sanction < 3 && u >= weights[sanction] {
            u -= weights[sanction];
            sanction += 1;
        }
        match sanction {
            0 => {
                let a = &mut world.agents;
                a.fear[i] = unit(a.fear[i] + p.reprimand_fear);
                a.loyalty[i] = unit(a.loyalty[i] - p.reprimand_loyalty);
            }
            1 => transfer(world, i, rng),
            3 if police => repression::arrest(world, i, rng),
            _ => ruling_party::expel(world, i),
        }
    }
}

/// Underground groups recruit like-minded workers, party or not, among their ties; while
/// factions are legal their adherents come back into the open, and so do the adherents of a
/// group that has dissolved (at the parties rule's `resurface_rate`).
fn underground(world: &mut World, rng: &mut SimRng) {
    let p = world.rules.factions;
    let weeks = world.weeks();
    let recruit = per_step(p.underground_recruitment, weeks);
    let resurface = per_step(world.rules.parties.resurface_rate, weeks);
    let ruling = world.regime.ruling_party;
    for i in 0..world.agents.len() {
        if world.agents.state[i] != State::Underground {
            continue;
        }
        let f = world.agents.faction[i];
        let party = world.agents.party[i];
        // Adherents of a dissolved group with no banned party to hide for, and every
        // adherent once factions are legal, come back into the open.
        let free = if f == NONE {
            party == NONE || party == ruling
        } else {
            !p.banned
        };
        if free {
            if rng::chance(rng, resurface) {
                world.agents.state[i] = State::Quiet;
            }
            continue;
        }
        if f == NONE {
            continue;
        }
        if !world.factions[f as usize].alive || !rng::chance(rng, recruit) {
            continue;
        }
        let neighbours = world.network.neighbours(i);
        if neighbours.is_empty() {
            continue;
        }
        let j = neighbours[rng::index(rng, neighbours.len())] as usize;
        let a = &world.agents;
        let platform = world.factions[f as usize].platform;
        if a.state[j].is_visible()
            && a.class[j] == Class::Worker
            && (a.party[j] == NONE || a.party[j] == ruling)
            && a.faction[j] == NONE
            && a.role[j] != Role::Chekist
            && a.private(j).distance(platform) < p.leave_distance
        {
            let a = &mut world.agents;
            a.faction[j] = f;
            a.state[j] = State::Underground;
            a.role[j] = Role::None;
            a.elected[j] = false;
        }
    }
}

pub fn apply(world: &mut World, rng: &mut SimRng) {
    let p = world.rules.factions;
    if world.regime.restored {
        return;
    }
    let seeds = std::mem::take(&mut world.pending.faction_seeds);
    for (name, platform, share) in &seeds {
        seed(world, name, *platform, *share);
    }
    world.pending.faction_seeds = seeds;
    let interval = ((p.formation_interval_weeks / world.weeks().max(1e-9)).round() as u32).max(1);
    if world.step > 0 && world.step % interval == 0 {
        form(world);
    }
    membership(world, rng);
    drift_and_dissolve(world);
    // The ban condemns the factions that stand when it comes (the Tenth Congress condemned
    // the Workers' Opposition as it banned factions); those that form later wait for the
    // leadership's own condemnation.
    if p.banned && !world.party_life.ban_in_force {
        for f in world.factions.iter_mut().filter(|f| f.alive) {
            f.condemned = true;
        }
    }
    world.party_life.ban_in_force = p.banned;
    if p.banned {
        enforce(world, rng);
    }
    underground(world, rng);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{small_world, visible_members};

    /// A faction far from the line whose members think and say its platform.
    fn outspoken_faction(world: &mut World) -> Vec<usize> {
        let platform = Opinion::new(0.0, 0.0);
        assert!(platform.distance(world.line()) > world.rules.factions.visibility + 0.1);
        let k = found(world, "opposition", platform) as u32;
        let members: Vec<usize> = visible_members(world).into_iter().step_by(2).collect();
        for &i in &members {
            world.agents.faction[i] = k;
            world.agents.set_private(i, platform);
            world.agents.expressed_authority[i] = platform.authority;
            world.agents.expressed_property[i] = platform.property;
        }
        members
    }

    /// Faction members still in the party, in the open, unafraid and at home.
    fn untouched(world: &World, members: &[usize], homes: &[u32]) -> usize {
        members
            .iter()
            .zip(homes)
            .filter(|&(&i, &home)| {
                let a = &world.agents;
                world.is_ruling_member(i)
                    && a.state[i].is_visible()
                    && a.fear[i] == 0.0
                    && a.locality[i] == home
            })
            .count()
    }

    #[test]
    fn under_a_ban_visible_faction_members_are_sanctioned_and_without_one_they_are_not() {
        for banned in [false, true] {
            let (mut world, mut rng) = small_world(3000, 60);
            world.rules.factions.banned = banned;
            world.rules.factions.enforcement = 0.5;
            let members = outspoken_faction(&mut world);
            for &i in &members {
                world.agents.fear[i] = 0.0;
            }
            let homes: Vec<u32> = members.iter().map(|&i| world.agents.locality[i]).collect();
            for step in 1..=10 {
                world.step = step;
                apply(&mut world, &mut rng);
            }
            let left = untouched(&world, &members, &homes);

            if banned {
                assert!(left < members.len() / 2, "{left} of {}", members.len());
                assert!(world.party_life.expelled > 0);
            } else {
                assert_eq!(left, members.len());
                assert_eq!(world.party_life.expelled, 0);
            }
        }
    }

    #[test]
    fn a_faction_formed_under_the_ban_is_argued_with_until_condemned() {
        let (mut world, mut rng) = small_world(3000, 61);
        world.rules.factions.enforcement = 0.5;
        // The ban is in force before the faction comes forward.
        world.rules.factions.banned = true;
        world.step = 1;
        apply(&mut world, &mut rng);
        let members = outspoken_faction(&mut world);
        for &i in &members {
            world.agents.fear[i] = 0.0;
        }
        let homes: Vec<u32> = members.iter().map(|&i| world.agents.locality[i]).collect();
        for step in 2..=11 {
            world.step = step;
            apply(&mut world, &mut rng);
        }
        let k = world.agents.faction[members[0]] as usize;
        assert!(!world.factions[k].condemned);
        assert_eq!(untouched(&world, &members, &homes), members.len());
        assert_eq!(world.party_life.expelled, 0);
        // Condemned, it is sanctioned as a faction standing at the ban is.
        world.factions[k].condemned = true;
        for step in 12..=21 {
            world.step = step;
            apply(&mut world, &mut rng);
        }
        let left = untouched(&world, &members, &homes);
        assert!(left < members.len() / 2, "{left} of {}", members.len());
    }

    #[test]
    fn the_ban_condemns_the_factions_standing_when_it_comes() {
        let (mut world, mut rng) = small_world(3000, 62);
        let members = outspoken_faction(&mut world);
        let k = world.agents.faction[members[0]] as usize;
        world.step = 1;
        apply(&mut world, &mut rng);
        assert!(!world.factions[k].condemned, "no ban, no condemnation");
        world.rules.factions.banned = true;
        world.step = 2;
        apply(&mut world, &mut rng);
        assert!(world.factions[k].condemned);
        assert!(world.party_life.ban_in_force);
    }

    #[test]
    fn with_no_sanction_weighted_nobody_is_sanctioned() {
        let (mut world, mut rng) = small_world(3000, 65);
        world.rules.factions.banned = true;
        world.rules.factions.enforcement = 1.0;
        world.rules.factions.underground_rate = 0.0;
        world.rules.factions.reprimand = 0.0;
        world.rules.factions.transfer = 0.0;
        world.rules.factions.expulsion = 0.0;
        world.rules.factions.arrest = 0.0;
        let members = outspoken_faction(&mut world);
        let homes: Vec<u32> = members.iter().map(|&i| world.agents.locality[i]).collect();
        for &i in &members {
            world.agents.fear[i] = 0.0;
        }
        enforce(&mut world, &mut rng);
        assert_eq!(untouched(&world, &members, &homes), members.len());
    }

    #[test]
    fn dissenters_who_find_each_other_form_a_faction() {
        let (mut world, _) = small_world(3000, 61);
        let line = world.line();
        let far = Opinion::new(1.0 - line.authority, 1.0 - line.property);
        let members = visible_members(&world);
        // Two members in ten dissent one way, one in ten the other way: they must not pool.
        for (k, &i) in members.iter().enumerate() {
            let o = match k % 10 {
                0 | 1 => far,
                2 => Opinion::new(0.0, line.property),
                _ => continue,
            };
            world.agents.expressed_authority[i] = o.authority;
            world.agents.expressed_property[i] = o.property;
        }
        form(&mut world);
        assert_eq!(world.factions.len(), 1);
        assert!(world.factions[0].platform.distance(far) < 0.01);
        let joined: Vec<usize> = (0..members.len())
            .filter(|&k| world.agents.faction[members[k]] == 0)
            .collect();
        assert!(joined.iter().all(|k| k % 10 < 2));
        assert_eq!(
            joined.len(),
            (0..members.len()).filter(|k| k % 10 < 2).count()
        );
        // Without dissent nothing forms.
        let (mut calm, _) = small_world(3000, 61);
        for &i in &visible_members(&calm) {
            calm.agents.expressed_authority[i] = line.authority;
            calm.agents.expressed_property[i] = line.property;
        }
        form(&mut calm);
        assert!(calm.factions.is_empty());
    }

    #[test]
    fn a_seeded_faction_takes_the_share_of_members_nearest_its_platform() {
        let (mut world, _) = small_world(3000, 62);
        let members = visible_members(&world);
        let platform = Opinion::new(0.1, 0.1);
        seed(&mut world, "workers_opposition", platform, 0.2);
        let joined: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| world.agents.faction[i] == 0)
            .collect();
        assert_eq!(joined.len(), (0.2 * members.len() as f64).round() as usize);
        let farthest_in = joined
            .iter()
            .map(|&i| world.agents.private(i).distance(platform))
            .fold(0.0, f64::max);
        let nearest_out = members
            .iter()
            .filter(|&&i| world.agents.faction[i] != 0)
            .map(|&i| world.agents.private(i).distance(platform))
            .fold(f64::INFINITY, f64::min);
        assert!(farthest_in <= nearest_out);
    }

    #[test]
    fn an_underground_group_recruits_like_minded_workers_only_under_a_ban() {
        for banned in [false, true] {
            let (mut world, mut rng) = small_world(3000, 63);
            world.rules.factions.banned = banned;
            world.rules.factions.underground_recruitment = 1.0;
            world.rules.factions.underground_rate = 0.0;
            world.rules.factions.enforcement = 0.0;
            world.rules.parties.resurface_rate = 0.0;
            let members = outspoken_faction(&mut world);
            let platform = world.factions[0].platform;
            for &i in &members {
                world.agents.state[i] = State::Underground;
            }
            for i in 0..world.agents.len() {
                if world.agents.class[i] == Class::Worker && world.agents.party[i] == NONE {
                    world.agents.set_private(i, platform);
                }
            }
            for step in 1..=5 {
                world.step = step;
                apply(&mut world, &mut rng);
            }
            let recruits = (0..world.agents.len())
                .filter(|&i| world.agents.faction[i] == 0 && world.agents.party[i] == NONE)
                .count();
            assert_eq!(
                recruits > 0,
                banned,
                "banned: {banned}, recruits: {recruits}"
            );
        }
    }

    #[test]
    fn a_faction_back_at_the_line_is_absorbed() {
        let (mut world, _) = small_world(2000, 64);
        let line = world.line();
        let k = found(&mut world, "loyalists", line);
        for &i in visible_members(&world).iter().take(10) {
            world.agents.faction[i] = k as u32;
        }
        drift_and_dissolve(&mut world);
        assert!(!world.factions[k].alive);
        assert!(world.agents.faction.iter().all(|&f| f == NONE));
    }
}
