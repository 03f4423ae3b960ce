//! Phase 1c, the leadership decides. The central committee (the members who hold the role
//! `Leader`, chosen by each congress and renewed between congresses by co-optation) takes
//! the regime's institutional decisions: dispersing and overriding soviets, harassing and
//! banning parties, single lists and suspended elections, party dictatorship, appointment
//! instead of election, one-man management, the faction ban, purges, expulsions, the police's
//! targets and capacity, concessions and their end.
//!
//! Each decision has a pressure, a weighted sum of terms read from the state of the world
//! (the White threat, unrest, soviets lost, organised opposition outside and inside the
//! party, the apparatus's interest, doctrine, the crisis, a grain shortfall; see [`Term`]),
//! and a bar (`[rules.leadership] <decision>_bar`). The leadership takes a decision when it
//! is available (its conditions hold: there is a soviet to disperse, a faction to ban) and
//! the pressure reaches the bar, lowered by precedent: every measure already taken makes the
//! next of its family cheaper. A scenario may pin a decision to dates (`decide` events, which
//! this phase carries out) or forbid it; a forbidden decision is never taken.
//!
//! Reads: the agents' state, party, faction, role, elected flag, private and expressed
//! opinions; the parties; the soviets' seats; today's conditions and the environment's
//! series; the rules; the concession level; the decisions' modes and the leadership's memory.
//! Writes: roles (co-optation), the parties' status, the rule parameters a decision changes,
//! the concession level, the pending orders (dispersals, overrides, purges) that phases 6c and
//! 7 carry out the same step, and the leadership's memory and log.

use super::rates::unit;
use crate::model::params::{CongressMode, Elections, Sovereignty, Unions};
use crate::model::{
    Class, Decision, DecisionMode, DecisionRecord, NONE, Order, OrderTarget, PartyStatus,
    PurgeTarget, Role, State, Target, World,
};
use crate::rng::SimRng;

/// A term of a decision's pressure: a number in [0, 1] read from the world, already scaled
/// by the mechanism it belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Term {
    /// The White threat and the right's activity, times `siege`.
    Threat,
    /// The share of people active and the share of workplaces on strike.
    Unrest,
    /// Unrest the White threat no longer contains: unrest times the square of one less the
    /// threat. With
    /// the Whites at the gates the class rallies to the regime whatever it suffers; once they
    /// are beaten, its anger turns on the regime itself (the winter of 1920-21).
    Discontent,
    /// The share of soviets whose make-up the party rejects (seats lost).
    LostSoviets,
    /// The strongest other party's members and seats (for a decision aimed at a party, that
    /// party's).
    OppositionOutside,
    /// The share of the ruling party's members in factions.
    OppositionInside,
    /// The share of offices held by appointment, times twice `oligarchy`: appointees want
    /// appointment, and election and recall hold them back only where they remain.
    Apparatus,
    /// The central committee's own leaning to authority, times twice `doctrine`.
    Doctrine,
    /// Civil war, hunger, the collapse of output and isolation, times twice `circumstances`.
    Crisis,
    /// Towns' food falling below its level a year before (a grain crisis), times twice
    /// `circumstances`.
    Shortfall,
    /// The peasants and soldiers in revolt once the rally is over, as the leadership has
    /// endured it: their active share (per 60%) times the square of one less the remembered
    /// threat, added up in half-years and halved every year (Tambov, western Siberia,
    /// Kronstadt): a rising that lasts presses harder than one that flares.
    Revolt,
    /// The retreat in the economy that must be balanced by discipline in the party: the
    /// level of concessions, times twice `circumstances` (Ward's reading of 1921).
    Retreat,
    /// The retreat as the party has lived with it: the concession level it has come to,
    /// approaching today's over `retreat_weeks`, times twice `circumstances`. The purge that
    /// balances the retreat answers the traders and the "petty-bourgeois" pressure as they
    /// appear, not the decree (the 1921 purge was decided in June, three months into NEP).
    LivedRetreat,
    /// The apparatus as entrenched: the share of offices held by appointment as the
    /// appointees have settled in, approaching today's share over `entrench_weeks`, times
    /// twice `oligarchy`. A congress is made by secretaries who have held their posts long
    /// enough to name the delegates (the secretarial hierarchy of 1922-23 that the Platform
    /// of the 46 describes), not by the week's appointments.
    EntrenchedApparatus,
    /// The party a decision is aimed at in arms: the share of its visible members who are
    /// active (a rising). For the strongest other party unless a decision is aimed at one.
    Rising,
}

impl Term {
    pub const COUNT: usize = 15;

    pub const ALL: [Term; Term::COUNT] = [
        Term::Threat,
        Term::Unrest,
        Term::Discontent,
        Term::LostSoviets,
        Term::OppositionOutside,
        Term::OppositionInside,
        Term::Apparatus,
        Term::Doctrine,
        Term::Crisis,
        Term::Shortfall,
        Term::Revolt,
        Term::Retreat,
        Term::LivedRetreat,
        Term::EntrenchedApparatus,
        Term::Rising,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Term::Threat => "threat",
            Term::Unrest => "unrest",
            Term::Discontent => "discontent",
            Term::LostSoviets => "lost_soviets",
            Term::OppositionOutside => "opposition_outside",
            Term::OppositionInside => "opposition_inside",
            Term::Apparatus => "apparatus",
            Term::Doctrine => "doctrine",
            Term::Crisis => "crisis",
            Term::Shortfall => "shortfall",
            Term::Revolt => "revolt",
            Term::Retreat => "retreat",
            Term::LivedRetreat => "lived_retreat",
            Term::EntrenchedApparatus => "entrenched_apparatus",
            Term::Rising => "rising",
        }
    }
}

/// Each decision's terms and their weights (docs/model.md, "The leadership decides", has
/// the same table with the reasoning).
pub fn weights(d: Decision) -> &'static [(Term, f64)] {
    use Term::*;
    match d {
        Decision::DisperseSoviets => &[(LostSoviets, 0.5), (Threat, 0.5), (Doctrine, 0.2)],
        Decision::OverrideSoviets => &[(LostSoviets, 0.5), (Unrest, 0.3), (Doctrine, 0.2)],
        Decision::HarassParty => &[
            (OppositionOutside, 0.4),
            (Threat, 0.4),
            (Rising, 0.3),
            (Doctrine, 0.2),
        ],
        Decision::BanParty => &[
            (OppositionOutside, 0.3),
            (Threat, 0.6),
            (Rising, 0.5),
            (Unrest, 0.2),
            (Doctrine, 0.2),
        ],
        Decision::SingleList => &[(Discontent, 0.7), (LostSoviets, 0.2), (Doctrine, 0.2)],
        Decision::SuspendElections => &[(Unrest, 0.4), (LostSoviets, 0.3), (Doctrine, 0.2)],
        Decision::PartyDictatorship => &[(Threat, 0.5), (Crisis, 0.4), (Doctrine, 0.3)],
        Decision::AppointCongress => &[(EntrenchedApparatus, 0.6), (Doctrine, 0.3)],
        Decision::AppointOfficials => &[(Crisis, 0.5), (Apparatus, 0.3), (Doctrine, 0.2)],
        Decision::OneManManagement => &[(Crisis, 0.6), (Apparatus, 0.2), (Doctrine, 0.2)],
        // Production in the collapse (the unions' "production tasks"), the opposition whose
        // base the unions are (the Workers' Opposition), the apparatus that wants their posts.
        Decision::SubordinateUnions => &[
            (Crisis, 0.4),
            (OppositionInside, 0.3),
            (Apparatus, 0.2),
            (Doctrine, 0.2),
        ],
        Decision::BanFactions => &[
            (Retreat, 0.4),
            (Revolt, 0.3),
            (OppositionInside, 0.3),
            (Discontent, 0.2),
            (Doctrine, 0.1),
        ],
        Decision::Purge => &[
            (LivedRetreat, 0.5),
            (OppositionInside, 0.2),
            (Discontent, 0.2),
            (Doctrine, 0.2),
            (Apparatus, 0.1),
        ],
        Decision::CondemnOpposition => &[(OppositionInside, 0.6), (Doctrine, 0.3), (Retreat, 0.1)],
        Decision::ExpelOpposition => &[(OppositionInside, 0.5), (Apparatus, 0.3), (Doctrine, 0.2)],
        Decision::WidenPolice => &[(Threat, 0.4), (Unrest, 0.4), (Doctrine, 0.2)],
        Decision::RaisePolice => &[(Threat, 0.6), (Unrest, 0.3), (Doctrine, 0.1)],
        Decision::Concede => &[(Revolt, 0.8), (Discontent, 0.2), (Crisis, 0.1)],
        Decision::EndConcessions => &[(Shortfall, 0.6), (Doctrine, 0.3), (Apparatus, 0.1)],
    }
}

/// Which measures make which cheaper: precedent works fully within a family and a quarter
/// across families ([`CROSS_FAMILY`]); concessions are not measures of coercion and set no
/// precedent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Against other parties and the soviets.
    Outside,
    /// Against the party's own members.
    Inside,
    /// Appointment over election in offices and workplaces.
    Apparatus,
    Police,
    None,
}

pub fn family(d: Decision) -> Family {
    match d {
        Decision::DisperseSoviets
        | Decision::OverrideSoviets
        | Decision::HarassParty
        | Decision::BanParty
        | Decision::SingleList
        | Decision::SuspendElections
        | Decision::PartyDictatorship => Family::Outside,
        Decision::AppointCongress
        | Decision::BanFactions
        | Decision::Purge
        | Decision::ExpelOpposition => Family::Inside,
        Decision::AppointOfficials | Decision::OneManManagement | Decision::SubordinateUnions => {
            Family::Apparatus
        }
        Decision::WidenPolice | Decision::RaisePolice => Family::Police,
        // Condemnation is a word, not a sanction: it sets no precedent.
        Decision::CondemnOpposition | Decision::Concede | Decision::EndConcessions => Family::None,
    }
}

/// How much a measure of one family counts toward the precedent of another: a quarter of a
/// measure of the decision's own family. The anarchist FAQ's argument runs across families
/// (the police and bans turned on the socialist parties in 1918 became the precedent for
/// turning them on the party's own oppositions), so the weight cannot be negligible.
pub const CROSS_FAMILY: f64 = 0.25;

/// The factor that multiplies a decision's bar: 1 - 0.6 precedent (1 - e^-stock), where
/// the stock counts each kind of measure already taken (once, however often) as 1 within the
/// decision's family and [`CROSS_FAMILY`] across families. At full precedent one measure of the family
/// lowers the bar by 38% and many measures by 60% at most: precedent makes a measure
/// cheaper, it does not make it free.
pub fn precedent_factor(world: &World, d: Decision) -> f64 {
    let own = family(d);
    if own == Family::None {
        return 1.0;
    }
    let mut stock = 0.0;
    for other in Decision::ALL {
        let f = family(other);
        if f == Family::None || world.leadership.times(other) == 0 {
            continue;
        }
        stock += if f == own { 1.0 } else { CROSS_FAMILY };
    }
    1.0 - 0.6 * unit(world.rules.leadership.precedent) * (1.0 - libm::exp(-stock))
}

/// Weeks from step `from` to step `to`.
fn weeks_between(world: &World, from: u32, to: u32) -> f64 {
    let c = &world.calendar;
    c.date(to).days_since(c.date(from)) as f64 / 7.0
}

/// Today's terms, in [`Term::ALL`] order.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Terms(pub [f64; Term::COUNT]);

impl Terms {
    pub fn get(&self, t: Term) -> f64 {
        self.0[t as usize]
    }
    fn set(&mut self, t: Term, v: f64) {
        self.0[t as usize] = unit(v);
    }
}

/// A party's challenge to the regime, read from its organisation and its support, not from
/// the seats the soviets' rules give it: half its visible members per 3% of the present
/// population, half the share of the present people whose private view lies nearer its
/// platform than the line or any other party's (per 30%). A party that is small but
/// well-rooted, or organised but without a following, challenges by half.
pub fn party_strength(party: u32, c: &Census) -> f64 {
    if c.present == 0 {
        return 0.0;
    }
    let k = party as usize;
    let organisation = unit(c.members[k] as f64 / c.present as f64 / 0.03);
    let support = unit(c.support[k] as f64 / c.present as f64 / 0.3);
    0.5 * organisation + 0.5 * support
}

/// How far a party's platform leans toward the restoration's, on the property axis, from the
/// line (0) to the restoration party's platform (1); 1 for the restoration party itself. The
/// threat weighs on a decision to ban a party by this much: the SRs, whose programme was
/// the Constituent Assembly, sided with the armed revolt; the Mensheviks opposed the Whites.
pub fn restoration_leaning(world: &World, party: u32) -> f64 {
    let p = &world.parties[party as usize];
    if p.restoration {
        return 1.0;
    }
    let line = world.line().property;
    let far = world
        .parties
        .iter()
        .find(|q| q.restoration)
        .map_or(1.0, |q| q.platform.property);
    if far - line <= 1e-9 {
        return 0.0;
    }
    unit((p.platform.property - line) / (far - line))
}

/// How a party ranks among those the leadership may move against: its strength, doubled for
/// the restoration party (the counter-revolution's legal face), plus its rising.
fn party_rank(restoration: bool, strength: f64, c: &Census, party: u32) -> f64 {
    let weighed = if restoration {
        2.0 * strength
    } else {
        strength
    };
    weighed + rising(c, party)
}

/// The share of its visible members active at which a party is in arms.
pub const RISING: f64 = 0.2;

/// The share of a party's visible members who are active: a party in arms.
fn rising(c: &Census, party: u32) -> f64 {
    let k = party as usize;
    if c.members[k] == 0 {
        0.0
    } else {
        c.active_members[k] as f64 / c.members[k] as f64
    }
}

/// What a pass over the agents finds: visible members per party, and the rest the terms need.
pub struct Census {
    present: usize,
    active: usize,
    active_right: usize,
    /// Present peasants and soldiers, and how many of them are active.
    rural: usize,
    rural_active: usize,
    members: Vec<u32>,
    /// Visible members of each party who are active.
    active_members: Vec<u32>,
    /// Present people whose private view lies nearest each party's platform (the ruling
    /// party's is its line), among the parties not banned.
    support: Vec<u32>,
    ruling_visible: usize,
    in_factions: usize,
    officials: usize,
    appointed: usize,
    leaders: usize,
    leader_authority: f64,
    underground: usize,
    /// Present ruling-party members of each faction, underground ones included.
    faction_sizes: Vec<u32>,
    /// Of them, how many are active: an opposition that takes its case outside the party.
    faction_active: Vec<u32>,
}

fn census(world: &World) -> Census {
    let a = &world.agents;
    let cut = world.rules.regime.restoration_property;
    let mut c = Census {
        present: 0,
        active: 0,
        active_right: 0,
        rural: 0,
        rural_active: 0,
        members: vec![0; world.parties.len()],
        active_members: vec![0; world.parties.len()],
        support: vec![0; world.parties.len()],
        ruling_visible: 0,
        in_factions: 0,
        officials: 0,
        appointed: 0,
        leaders: 0,
        leader_authority: 0.0,
        underground: 0,
        faction_sizes: vec![0; world.factions.len()],
        faction_active: vec![0; world.factions.len()],
    };
    let ruling = world.regime.ruling_party;
    // The platforms people may support: the line for the ruling party, and every party that
    // is not banned.
    let platforms: Vec<(usize, crate::model::Opinion)> = world
        .parties
        .iter()
        .enumerate()
        .filter(|(_, q)| q.status != PartyStatus::Banned)
        .map(|(k, q)| {
            let at = if k as u32 == ruling {
                world.line()
            } else {
                q.platform
            };
            (k, at)
        })
        .collect();
    // Every column cut to the same length, so that the loop's indexing needs no checks.
    let n = a.len();
    let (state, party, faction, role) =
        (&a.state[..n], &a.party[..n], &a.faction[..n], &a.role[..n]);
    let (elected, property, authority, class) = (
        &a.elected[..n],
        &a.private_property[..n],
        &a.private_authority[..n],
        &a.class[..n],
    );
    for i in 0..n {
        let state = state[i];
        if !state.is_present() {
            continue;
        }
        c.present += 1;
        // The nearest platform by squared distance (the same order as the distance, without
        // a square root per party per agent); with one platform left there is nothing to
        // compare.
        let nearest = if platforms.len() > 1 {
            let squared = |at: &crate::model::Opinion| {
                let (da, dp) = (authority[i] - at.authority, property[i] - at.property);
                da * da + dp * dp
            };
            platforms
                .iter()
                .min_by(|x, y| squared(&x.1).total_cmp(&squared(&y.1)).then(x.0.cmp(&y.0)))
                .map(|p| p.0)
        } else {
            platforms.first().map(|p| p.0)
        };
        if let Some(k) = nearest {
            c.support[k] += 1;
        }
        let rural = matches!(class[i], Class::Peasant | Class::Soldier);
        c.rural += usize::from(rural);
        c.rural_active += usize::from(rural && state == State::Active);
        let member = party[i] == ruling;
        match state {
            State::Underground => c.underground += 1,
            State::Active => {
                c.active += 1;
                c.active_right += usize::from(property[i] >= cut);
            }
            _ => {}
        }
        if faction[i] != NONE && member {
            c.faction_sizes[faction[i] as usize] += 1;
            c.faction_active[faction[i] as usize] += u32::from(state == State::Active);
        }
        if state == State::Underground {
            continue;
        }
        if party[i] != NONE {
            c.members[party[i] as usize] += 1;
            c.active_members[party[i] as usize] += u32::from(state == State::Active);
        }
        if member {
            c.ruling_visible += 1;
            c.in_factions += usize::from(faction[i] != NONE);
        }
        match role[i] {
            Role::Official => {
                c.officials += 1;
                c.appointed += usize::from(!elected[i]);
            }
            Role::Leader => {
                c.leaders += 1;
                c.leader_authority += authority[i];
            }
            _ => {}
        }
    }
    c
}

/// The other party the leadership would move against: the strongest that is not banned and
/// does not share the government, restoration parties counting double (they are the
/// counter-revolution's legal face) and a party in arms by its rising.
fn strongest_party(world: &World, c: &Census) -> Option<(u32, f64)> {
    let ruling = world.regime.ruling_party;
    let mut best: Option<(u32, f64, f64)> = None;
    for (k, party) in world.parties.iter().enumerate() {
        let k = k as u32;
        if k == ruling || party.status == PartyStatus::Banned || party.in_government {
            continue;
        }
        let strength = party_strength(k, c);
        let rank = party_rank(party.restoration, strength, c, k);
        if best.is_none_or(|b| rank > b.2) {
            best = Some((k, strength, rank));
        }
    }
    best.map(|(k, s, _)| (k, s))
}

/// Today's revolt before it is endured: the share of present peasants and soldiers who are
/// active, per 60%, released by the fading rally.
fn revolt_today(world: &World, c: &Census) -> f64 {
    let share = if c.rural > 0 {
        c.rural_active as f64 / c.rural as f64
    } else {
        0.0
    };
    unit(share / 0.6 * released(world))
}

/// How far the class is released from the rally round the regime: the square of one less the
/// remembered threat (or today's, if higher). Unrest and revolt turn on the regime by this.
fn released(world: &World) -> f64 {
    (1.0 - world.regime.rally.max(world.conditions.white_threat)).powi(2)
}

/// Adds today's revolt to the revolt endured: in half-years, the stock halved every year.
fn endure_revolt(world: &mut World, c: &Census) {
    let weeks = world.weeks();
    let today = revolt_today(world, c);
    let stock = &mut world.leadership.revolt_endured;
    *stock = *stock * libm::pow(0.5, weeks / 52.0) + today * weeks / 26.0;
}

/// Moves a remembered level toward today's by the share `weeks / unit_weeks` of the gap (at
/// most all of it): what the party has come to live with, over a step of `weeks`.
fn approach(level: &mut f64, today: f64, weeks: f64, unit_weeks: f64) {
    *level += (weeks / unit_weeks.max(1e-9)).min(1.0) * (today - *level);
}

/// The share of offices held by appointment.
fn appointed_share(c: &Census) -> f64 {
    if c.officials > 0 {
        c.appointed as f64 / c.officials as f64
    } else {
        0.0
    }
}

/// Moves the retreat the party has lived with toward today's concessions, over
/// `retreat_weeks`.
fn live_retreat(world: &mut World) {
    let (weeks, unit_weeks) = (world.weeks(), world.rules.leadership.retreat_weeks);
    let today = world.regime.concession;
    approach(
        &mut world.leadership.retreat_lived,
        today,
        weeks,
        unit_weeks,
    );
}

/// Moves the entrenched apparatus toward today's appointed share of offices, over
/// `entrench_weeks`.
fn entrench(world: &mut World, c: &Census) {
    let (weeks, unit_weeks) = (world.weeks(), world.rules.leadership.entrench_weeks);
    let today = appointed_share(c);
    approach(
        &mut world.leadership.apparatus_entrenched,
        today,
        weeks,
        unit_weeks,
    );
}

/// Adds each living faction's challenge today to the challenge argued with: in units of
/// `argument_weeks`, the stock halved every year. An opposition is first argued with (the
/// discussion of November and December 1923); the leadership condemns it when its challenge
/// has lasted, not the week it comes forward.
fn argue(world: &mut World, c: &Census) {
    let weeks = world.weeks();
    let unit_weeks = world.rules.leadership.argument_weeks.max(1e-9);
    let fade = libm::pow(0.5, weeks / 52.0);
    let n = world.factions.len();
    world.leadership.argued.resize(n, 0.0);
    for k in 0..n {
        let today = if world.factions[k].alive {
            faction_challenge(c, k)
        } else {
            0.0
        };
        let stock = &mut world.leadership.argued[k];
        *stock = *stock * fade + today * weeks / unit_weeks;
    }
}

/// Computes today's terms.
pub fn terms(world: &World) -> Terms {
    terms_from(world, &census(world))
}

/// Today's terms from a census already taken (the rule takes one per step for the terms and
/// the decisions' conditions both).
fn terms_from(world: &World, c: &Census) -> Terms {
    let p = &world.rules.leadership;
    let conditions = world.conditions;
    let mut t = Terms::default();
    let share = |k: usize, of: usize| if of > 0 { k as f64 / of as f64 } else { 0.0 };
    // The White threat, and how near the right's activity brings the regime to its fall
    // (the restoration check's product over its threshold), half each.
    let right = share(c.active_right, c.present);
    let regime = &world.rules.regime;
    let nearness = if regime.restoration_threshold > 0.0 {
        conditions.white_threat * right / regime.restoration_threshold
    } else {
        0.0
    };
    t.set(
        Term::Threat,
        2.0 * p.siege * unit(0.5 * conditions.white_threat + 0.5 * nearness),
    );
    let strikes = world.workplaces.iter().filter(|w| w.on_strike).count();
    t.set(
        Term::Unrest,
        share(c.active, c.present) / 0.3 + 0.5 * share(strikes, world.workplaces.len()),
    );
    // The threat as remembered: the class's anger turns on the regime only as the rally
    // round it fades, some months after the danger.
    t.set(Term::Discontent, t.get(Term::Unrest) * released(world));
    t.set(Term::Revolt, world.leadership.revolt_endured);
    t.set(
        Term::Retreat,
        2.0 * p.circumstances * world.regime.concession,
    );
    t.set(
        Term::EntrenchedApparatus,
        2.0 * p.oligarchy * world.leadership.apparatus_entrenched,
    );
    t.set(
        Term::LivedRetreat,
        2.0 * p.circumstances * world.leadership.retreat_lived,
    );
    let lost = (0..world.soviets.len())
        .filter(|&s| super::soviets::rejected(world, s))
        .count();
    t.set(Term::LostSoviets, share(lost, world.soviets.len()));
    let strongest = strongest_party(world, c);
    t.set(
        Term::OppositionOutside,
        strongest.map_or(0.0, |(k, _)| party_strength(k, c)),
    );
    t.set(
        Term::Rising,
        strongest.map_or(0.0, |(k, _)| rising(c, k) / 0.3),
    );
    t.set(
        Term::OppositionInside,
        share(c.in_factions, c.ruling_visible) / 0.15,
    );
    t.set(Term::Apparatus, 2.0 * p.oligarchy * appointed_share(c));
    let committee = if c.leaders > 0 {
        c.leader_authority / c.leaders as f64
    } else {
        world.line().authority
    };
    t.set(Term::Doctrine, 2.0 * p.doctrine * committee);
    let crisis = (conditions.civil_war
        + (1.0 - conditions.food_supply)
        + (1.0 - conditions.industrial_output)
        + (1.0 - conditions.world_revolution))
        / 4.0;
    t.set(Term::Crisis, 2.0 * p.circumstances * crisis);
    let calendar = &world.calendar;
    let year_ago = calendar.position(calendar.date(world.step).add_days(-365));
    let before = world.environment.at(year_ago.max(0.0)).food_supply;
    t.set(
        Term::Shortfall,
        2.0 * p.circumstances * 5.0 * (before - conditions.food_supply).max(0.0),
    );
    t
}

/// A decision's pressure today and the terms that made it, largest first.
pub fn pressure(d: Decision, t: &Terms) -> (f64, Vec<(Term, f64)>) {
    let mut parts: Vec<(Term, f64)> = weights(d)
        .iter()
        .map(|&(term, w)| (term, w * t.get(term)))
        .collect();
    let total = parts.iter().map(|p| p.1).sum();
    parts.sort_by(|x, y| y.1.total_cmp(&x.1));
    (total, parts)
}

/// Whether decision `d` can be taken today and, if so, at whom: the conditions each
/// decision needs (docs/model.md lists them).
fn available(world: &World, d: Decision, c: &Census) -> Option<OrderTarget> {
    let p = &world.rules.leadership;
    let since = |weeks: f64| {
        world.leadership.last[d.index()]
            .is_none_or(|last| weeks_between(world, last, world.step) >= weeks)
    };
    let rules = &world.rules;
    let any_lost = || (0..world.soviets.len()).any(|s| super::soviets::rejected(world, s));
    let living_faction = || world.factions.iter().any(|f| f.alive);
    let embattled = embattled(world, c);
    match d {
        Decision::DisperseSoviets => (embattled
            && rules.soviets.elections == Elections::Free
            && since(p.repeat_weeks)
            && any_lost())
        .then_some(OrderTarget::None),
        // Overriding is what is left when even single-list elections return soviets the
        // party cannot hold.
        Decision::OverrideSoviets => (rules.soviets.elections == Elections::SingleList
            && since(p.repeat_weeks)
            && any_lost())
        .then_some(OrderTarget::None),
        Decision::HarassParty | Decision::BanParty => party_targets(world, d, c, embattled)
            .first()
            .map(|&k| OrderTarget::Party(k)),
        Decision::SingleList => {
            (embattled && rules.soviets.elections == Elections::Free).then_some(OrderTarget::None)
        }
        Decision::SuspendElections => (embattled
            && matches!(
                rules.soviets.elections,
                Elections::Free | Elections::SingleList
            ))
        .then_some(OrderTarget::None),
        Decision::PartyDictatorship => {
            (rules.soviets.sovereignty == Sovereignty::Soviets).then_some(OrderTarget::None)
        }
        // While factions may stand lists the members can still vote the apparatus down; the
        // ban leaves the secretaries' list the only one (the Platform of the 46).
        Decision::AppointCongress => (rules.ruling_party.congress == CongressMode::Elected
            && rules.factions.banned)
            .then_some(OrderTarget::None),
        Decision::AppointOfficials => (rules.bureaucracy.elected_share > p.elected_floor + 1e-9
            && since(p.repeat_weeks))
        .then_some(OrderTarget::None),
        Decision::OneManManagement => (rules.bureaucracy.one_man_management < 1.0
            && since(p.repeat_weeks))
        .then_some(OrderTarget::None),
        // While factions may stand, the party's members in the unions vote as they see fit
        // (the Fourth Trade Union Congress's communists passed their own resolution in May
        // 1921); the ban binds them to the central committee's line, and only then can the
        // party make the unions its own.
        Decision::SubordinateUnions => (rules.bureaucracy.unions == Unions::Independent
            && rules.factions.banned)
            .then_some(OrderTarget::None),
        // At war the party closes ranks of itself; the ban answers the crisis that follows
        // the victory, once the rally round the regime is over.
        Decision::BanFactions => (!rules.factions.banned
            && living_faction()
            && world.regime.rally.max(world.conditions.white_threat) < 0.15)
            .then_some(OrderTarget::None),
        Decision::Purge => {
            if !since(p.purge_weeks) || c.ruling_visible == 0 {
                return None;
            }
            Some(OrderTarget::Purge(if c.in_factions > 0 {
                PurgeTarget::Critics
            } else {
                PurgeTarget::Careerists
            }))
        }
        Decision::CondemnOpposition => {
            if !rules.factions.banned {
                return None;
            }
            // The largest living faction not condemned before: an opposition is first argued
            // with, then condemned as a deviation.
            let k = largest_faction(world, c, |name| {
                !logged(world, Decision::CondemnOpposition, name)
            })?;
            Some(OrderTarget::Faction(world.factions[k].name.clone()))
        }
        Decision::ExpelOpposition => {
            if !rules.factions.banned {
                return None;
            }
            // The largest living faction condemned at an earlier step and never expelled:
            // expulsion comes when its challenge and the apparatus's strength make it so (the
            // pressure), not after a set time; what is left of it afterwards is left to
            // sanctions. An earlier step, because the leadership judges the challenge that
            // survives the condemnation, not the one that brought it.
            let k = largest_faction(world, c, |name| {
                condemned_before(world, name) && !logged(world, Decision::ExpelOpposition, name)
            })?;
            Some(OrderTarget::Faction(world.factions[k].name.clone()))
        }
        Decision::WidenPolice => {
            let targets = rules.repression.targets;
            let banned_present = world
                .parties
                .iter()
                .enumerate()
                .any(|(k, q)| q.status == PartyStatus::Banned && c.members[k] > 0)
                || c.underground > 0;
            let strikes = world.workplaces.iter().any(|w| w.on_strike);
            let tolerated = world
                .parties
                .iter()
                .any(|q| q.status == PartyStatus::Tolerated);
            let next = [
                (Target::BannedParties, banned_present),
                (Target::Strikers, strikes),
                (Target::Underground, c.underground > 0),
                (Target::Factions, rules.factions.banned && living_faction()),
                (Target::OtherParties, tolerated),
            ]
            .into_iter()
            .find(|(t, relevant)| *relevant && !targets.contains(*t))?;
            Some(OrderTarget::Police(next.0))
        }
        Decision::RaisePolice => (rules.repression.capacity + 1e-9 < p.police_max
            && since(p.repeat_weeks))
        .then_some(OrderTarget::None),
        Decision::Concede => (world.regime.concession + 1e-9 < p.concession_level
            && world.regime.rally.max(world.conditions.white_threat) < 0.15
            && since(p.repeat_weeks))
        .then_some(OrderTarget::None),
        Decision::EndConcessions => {
            let conceded = world.leadership.last[Decision::Concede.index()];
            // Concessions granted are kept at least two years before they can be ended.
            let settled =
                conceded.is_none_or(|step| weeks_between(world, step, world.step) >= 104.0);
            (world.regime.concession > 1e-9 && settled && since(p.repeat_weeks))
                .then_some(OrderTarget::None)
        }
    }
}

/// Whether the regime is embattled: a civil war of at least 0.3, or unrest of at least 0.6 on
/// the `unrest` term's scale. A regime in its first months, neither at war nor facing mass
/// unrest, does not move against the soviets and the socialist parties its power rests on.
fn embattled(world: &World, c: &Census) -> bool {
    world.conditions.civil_war >= 0.3 || c.active as f64 >= 0.6 * 0.3 * c.present as f64
}

/// The parties a decision aimed at a party may be aimed at today, the strongest first (a
/// restoration party counting double, a party in arms by its rising): every party that is
/// not the ruling one, not banned and not in the government, and that meets the
/// decision's own condition. Each is weighed on its own, so that several parties may be
/// harassed the same week (the Mensheviks and the SRs, June 1918) and each is outlawed
/// when its own challenge comes.
fn party_targets(world: &World, d: Decision, c: &Census, embattled: bool) -> Vec<u32> {
    let ruling = world.regime.ruling_party;
    let mut ranked: Vec<(f64, u32)> = world
        .parties
        .iter()
        .enumerate()
        .filter(|(k, party)| {
            let k = *k as u32;
            if k == ruling || party.status == PartyStatus::Banned || party.in_government {
                return false;
            }
            match d {
                Decision::HarassParty => {
                    embattled && party.status == PartyStatus::Legal && !party.restoration
                }
                // A socialist party already harassed is outlawed when it takes up arms or
                // leads mass unrest (a share of its members active): the SRs with the Komuch
                // in 1918, the Left SRs' rising, the Mensheviks in the strikes of 1921. The
                // restoration party needs no such act: its victory is the Whites'.
                Decision::BanParty => {
                    party.restoration
                        || (party.status == PartyStatus::Tolerated && rising(c, k) >= RISING)
                }
                _ => false,
            }
        })
        .map(|(k, party)| {
            let k = k as u32;
            (party_rank(party.restoration, party_strength(k, c), c, k), k)
        })
        .collect();
    ranked.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    ranked.into_iter().map(|(_, k)| k).collect()
}

/// Whether the faction `name` was condemned at a step before this one.
fn condemned_before(world: &World, name: &str) -> bool {
    world.leadership.log.iter().any(|r| {
        r.decision == Decision::CondemnOpposition && r.target == name && r.step < world.step
    })
}

/// Whether `decision` was ever taken against the faction `name`.
fn logged(world: &World, decision: Decision, name: &str) -> bool {
    world
        .leadership
        .log
        .iter()
        .any(|r| r.decision == decision && r.target == name)
}

/// The largest living faction with present members that passes `eligible` (by name), the
/// earlier on a tie.
fn largest_faction(world: &World, c: &Census, eligible: impl Fn(&str) -> bool) -> Option<usize> {
    let (k, &n) = c
        .faction_sizes
        .iter()
        .enumerate()
        .filter(|(k, _)| {
            let f = &world.factions[*k];
            f.alive && eligible(&f.name)
        })
        .max_by(|x, y| x.1.cmp(y.1).then(y.0.cmp(&x.0)))?;
    (n > 0).then_some(k)
}

/// A faction's challenge: its share of the ruling party's visible members per 15%, and the
/// share of its members who are active (an opposition that takes its case to the street,
/// as the United Opposition did on 7 November 1927).
fn faction_challenge(c: &Census, k: usize) -> f64 {
    let size = c.faction_sizes[k] as f64;
    let share = if c.ruling_visible > 0 {
        size / c.ruling_visible as f64
    } else {
        0.0
    };
    let active = if size > 0.0 {
        c.faction_active[k] as f64 / size
    } else {
        0.0
    };
    unit(share / 0.15 + active)
}

/// The name a target goes by in the decision log.
fn target_name(world: &World, target: &OrderTarget) -> String {
    match target {
        OrderTarget::None => String::new(),
        OrderTarget::Party(k) => world.parties[*k as usize].name.clone(),
        OrderTarget::Faction(name) => name.clone(),
        OrderTarget::Purge(PurgeTarget::Critics) => "critics".into(),
        OrderTarget::Purge(PurgeTarget::Careerists) => "careerists".into(),
        OrderTarget::Purge(PurgeTarget::Faction(name)) => name.clone(),
        OrderTarget::Police(t) => {
            let value = toml::Value::try_from(t).ok();
            value
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        }
    }
}

/// Carries out an order, whoever gave it, and records it with `why`.
pub fn carry_out(world: &mut World, order: &Order, why: String) {
    let p = world.rules.leadership;
    let level = order.level;
    let rules = &mut world.rules;
    match (&order.decision, &order.target) {
        (Decision::DisperseSoviets, _) => {
            let l = level.unwrap_or(p.disperse_level);
            world.pending.dissolve_chance = world.pending.dissolve_chance.max(l);
        }
        (Decision::OverrideSoviets, _) => {
            let l = level.unwrap_or(p.override_level);
            world.pending.override_chance = world.pending.override_chance.max(l);
        }
        (Decision::HarassParty, OrderTarget::Party(k)) => {
            let party = &mut world.parties[*k as usize];
            if party.status == PartyStatus::Legal {
                party.status = PartyStatus::Tolerated;
            }
        }
        (Decision::BanParty, OrderTarget::Party(k)) => {
            world.parties[*k as usize].status = PartyStatus::Banned;
        }
        (Decision::SingleList, _) => rules.soviets.elections = Elections::SingleList,
        (Decision::SuspendElections, _) => rules.soviets.elections = Elections::Suspended,
        (Decision::PartyDictatorship, _) => rules.soviets.sovereignty = Sovereignty::Party,
        (Decision::AppointCongress, _) => rules.ruling_party.congress = CongressMode::Appointed,
        (Decision::AppointOfficials, _) => {
            let b = &mut rules.bureaucracy;
            b.elected_share =
                level.unwrap_or((b.elected_share - p.appointment_step).max(p.elected_floor));
        }
        (Decision::OneManManagement, _) => {
            let b = &mut rules.bureaucracy;
            b.one_man_management =
                level.unwrap_or((b.one_man_management + p.one_man_step).min(1.0));
        }
        (Decision::SubordinateUnions, _) => rules.bureaucracy.unions = Unions::State,
        (Decision::BanFactions, _) => rules.factions.banned = true,
        (Decision::Purge, OrderTarget::Purge(target)) => {
            let l = level.unwrap_or(p.purge_level);
            world.pending.purges.push((target.clone(), l));
        }
        (Decision::CondemnOpposition, OrderTarget::Faction(name)) => {
            // Condemned: its members are warned, and fear makes them hold their tongues; from
            // now on a ban's sanctions reach them.
            if let Some(k) = world.factions.iter().position(|f| f.name == *name) {
                world.factions[k].condemned = true;
                let a = &mut world.agents;
                for i in 0..a.len() {
                    if a.faction[i] == k as u32 && a.state[i].is_present() {
                        a.fear[i] = unit(a.fear[i] + p.condemn_fear);
                    }
                }
            }
        }
        (Decision::ExpelOpposition, OrderTarget::Faction(name)) => {
            let l = level.unwrap_or(p.expel_level);
            world
                .pending
                .purges
                .push((PurgeTarget::Faction(name.clone()), l));
        }
        (Decision::WidenPolice, OrderTarget::Police(t)) => {
            rules.repression.targets = rules.repression.targets.with(*t);
        }
        (Decision::RaisePolice, _) => {
            let r = &mut rules.repression;
            r.capacity =
                level.unwrap_or((r.capacity + p.police_step).min(p.police_max.max(r.capacity)));
        }
        (Decision::Concede, _) => {
            world.regime.concession = level.unwrap_or(p.concession_level);
        }
        (Decision::EndConcessions, _) => {
            let c = world.regime.concession;
            world.regime.concession = level.unwrap_or((c - p.end_step).max(0.0));
        }
        // A targeted decision without a target of its kind does nothing: the scenario
        // checker resolves every pinned target, and the rule always names one.
        _ => return,
    }
    let d = order.decision;
    world.leadership.taken[d.index()] += 1;
    world.leadership.last[d.index()] = Some(world.step);
    let target = target_name(world, &order.target);
    world.leadership.log.push(DecisionRecord {
        step: world.step,
        decision: d,
        target,
        why,
    });
}

/// Carries out the pinned decisions dated today; what the phase does when switched off.
pub fn carry_out_pinned(world: &mut World) {
    if world.regime.restored {
        world.pending.orders.clear();
        return;
    }
    let orders = std::mem::take(&mut world.pending.orders);
    for order in &orders {
        if world.decisions.get(order.decision) != DecisionMode::Forbidden {
            carry_out(world, order, "pinned".into());
        }
    }
}

/// Fills the central committee's empty places between congresses: leaders who are no longer
/// present lose their place, and the committee co-opts the present, visible members nearest
/// the line and most loyal, preferring appointed officials the more `oligarchy` is.
pub fn co_opt(world: &mut World) {
    let size = world.rules.ruling_party.central_committee as usize;
    let a = &mut world.agents;
    let mut sitting = 0;
    for i in 0..a.len() {
        if a.role[i] == Role::Leader {
            if a.state[i].is_visible() && a.party[i] == world.regime.ruling_party {
                sitting += 1;
            } else {
                a.role[i] = Role::None;
                a.elected[i] = false;
            }
        }
    }
    // Before the first congress there is no committee to co-opt.
    if sitting == 0 || sitting >= size {
        return;
    }
    let line = world.line();
    let oligarchy = world.rules.leadership.oligarchy;
    let a = &world.agents;
    let mut candidates: Vec<(f64, u32)> = (0..a.len())
        .filter(|&i| {
            world.is_ruling_member(i)
                && a.state[i].is_visible()
                && matches!(a.role[i], Role::None | Role::Official)
        })
        .map(|i| {
            let appointed = a.role[i] == Role::Official && !a.elected[i];
            let score = a.loyalty[i] - a.expressed(i).distance(line)
                + if appointed { oligarchy } else { 0.0 };
            (score, i as u32)
        })
        .collect();
    candidates.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    for &(_, i) in candidates.iter().take(size - sitting) {
        world.agents.role[i as usize] = Role::Leader;
        world.agents.elected[i as usize] = false;
    }
}

/// Phase 1c: co-optation, the pinned decisions dated today, then every decision of the
/// model's own whose pressure reaches its bar.
pub fn apply(world: &mut World, _rng: &mut SimRng) {
    if world.regime.restored {
        world.pending.orders.clear();
        return;
    }
    co_opt(world);
    carry_out_pinned(world);
    let c = census(world);
    endure_revolt(world, &c);
    argue(world, &c);
    live_retreat(world);
    entrench(world, &c);
    let t = terms_from(world, &c);
    for d in Decision::ALL {
        if world.decisions.get(d) != DecisionMode::Endogenous {
            continue;
        }
        let targets: Vec<OrderTarget> = match d {
            Decision::HarassParty | Decision::BanParty => {
                party_targets(world, d, &c, embattled(world, &c))
                    .into_iter()
                    .map(OrderTarget::Party)
                    .collect()
            }
            _ => available(world, d, &c).into_iter().collect(),
        };
        for target in targets {
            consider(world, d, target, &c, &t);
        }
    }
}

/// Weighs decision `d` aimed at `target` and takes it if its pressure reaches its bar.
fn consider(world: &mut World, d: Decision, target: OrderTarget, c: &Census, t: &Terms) {
    let (_, mut parts) = pressure(d, t);
    // A decision aimed at a party weighs that party's strength, the threat counting
    // double against a restoration party.
    let retarget = |parts: &mut Vec<(Term, f64)>, term: Term, value: f64| {
        let w = weights(d).iter().find(|x| x.0 == term).map_or(0.0, |x| x.1);
        for part in parts.iter_mut().filter(|p| p.0 == term) {
            part.1 = w * unit(value);
        }
    };
    match &target {
        // A decision aimed at a party weighs that party's strength and its rising; a ban
        // weighs the threat by how far the party leans to the restoration, double for the
        // restoration party itself.
        OrderTarget::Party(k) => {
            retarget(&mut parts, Term::OppositionOutside, party_strength(*k, c));
            retarget(&mut parts, Term::Rising, rising(c, *k) / 0.3);
            if d == Decision::BanParty {
                let leaning = restoration_leaning(world, *k);
                retarget(
                    &mut parts,
                    Term::Threat,
                    2.0 * leaning * t.get(Term::Threat),
                );
            }
        }
        // Condemning a faction weighs the challenge the leadership has argued with;
        // expelling one weighs its challenge today, the one that survives the condemnation.
        OrderTarget::Faction(name) => {
            if let Some(k) = world.factions.iter().position(|f| f.name == *name) {
                let challenge = if d == Decision::CondemnOpposition {
                    world.leadership.argued.get(k).copied().unwrap_or(0.0)
                } else {
                    faction_challenge(c, k)
                };
                retarget(&mut parts, Term::OppositionInside, challenge);
            }
        }
        _ => {}
    }
    let total: f64 = parts.iter().map(|p| p.1).sum();
    parts.sort_by(|x, y| y.1.total_cmp(&x.1));
    let bar = world.rules.leadership.bar(d) * precedent_factor(world, d);
    if total < bar {
        return;
    }
    let why = explain(&parts, total, bar);
    carry_out(
        world,
        &Order {
            decision: d,
            target,
            level: None,
        },
        why,
    );
}

/// The `why` of a decision: the terms that carried at least a fifth of the pressure, with
/// their contributions, and the bar it crossed.
fn explain(parts: &[(Term, f64)], total: f64, bar: f64) -> String {
    let named: Vec<String> = parts
        .iter()
        .filter(|p| p.1 > 0.0 && p.1 >= 0.2 * total)
        .map(|p| format!("{} {:.2}", p.0.name(), p.1))
        .collect();
    format!("{} >= bar {:.2}", named.join(" + "), bar)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Action, DecisionModes, Event, Faction, Opinion};
    use crate::testing::{small_world, visible_members};

    /// A world where the members of a living faction are a fifth of the party and a quarter
    /// of the people are active, with the Whites beaten: the winter of 1920-21.
    fn discontented(seed: u64) -> World {
        let (mut world, _) = small_world(2000, seed);
        world.factions.push(Faction {
            name: "workers_opposition".into(),
            platform: Opinion::new(0.2, 0.1),
            alive: true,
            born: 0,
            condemned: false,
        });
        for (k, i) in visible_members(&world).into_iter().enumerate() {
            if k % 5 == 0 {
                world.agents.faction[i] = 0;
            }
        }
        for i in 0..world.agents.len() {
            if i % 4 == 0 && world.agents.state[i].is_visible() {
                world.agents.state[i] = State::Active;
                world.agents.private_property[i] = 0.2;
            }
        }
        world.conditions.white_threat = 0.0;
        world.regime.rally = 0.0;
        world
    }

    /// Every other decision forbidden, so that none of them moves the precedent first.
    fn only(world: &mut World, d: Decision) {
        world.decisions = DecisionModes::all(DecisionMode::Forbidden);
        world.decisions.set(d, DecisionMode::Endogenous);
    }

    fn run(world: &mut World) {
        apply(world, &mut crate::rng::replicate_stream(1, 0));
    }

    fn taken(world: &World, d: Decision) -> usize {
        world
            .leadership
            .log
            .iter()
            .filter(|r| r.decision == d)
            .count()
    }

    #[test]
    fn a_decision_is_taken_when_its_pressure_reaches_its_bar_and_not_below() {
        let mut world = discontented(1);
        only(&mut world, Decision::BanFactions);
        // The pressure as the rule will see it: after this step's revolt is endured.
        let mut probe = world.clone();
        let c = census(&probe);
        endure_revolt(&mut probe, &c);
        let (pressure, _) = pressure(Decision::BanFactions, &terms(&probe));
        assert!(pressure > 0.3, "{pressure}");
        world.rules.leadership.ban_factions_bar =
            pressure / precedent_factor(&world, Decision::BanFactions) + 0.01;
        let mut below = world.clone();
        run(&mut below);
        assert!(!below.rules.factions.banned);
        assert_eq!(taken(&below, Decision::BanFactions), 0);
        world.rules.leadership.ban_factions_bar -= 0.05;
        run(&mut world);
        assert!(world.rules.factions.banned);
        let record = &world
            .leadership
            .log
            .iter()
            .find(|r| r.decision == Decision::BanFactions)
            .unwrap();
        assert!(
            record.why.contains("opposition_inside") || record.why.contains("revolt"),
            "{}",
            record.why
        );
        assert!(record.why.contains(">= bar"), "{}", record.why);
    }

    #[test]
    fn without_its_conditions_a_decision_is_not_taken_however_strong_the_pressure() {
        // No living faction: nothing to ban.
        let mut world = discontented(2);
        world.factions[0].alive = false;
        world.rules.leadership.ban_factions_bar = 0.0;
        run(&mut world);
        assert!(!world.rules.factions.banned);
        // Concessions wait for the Whites' defeat.
        let mut besieged = discontented(2);
        besieged.conditions.white_threat = 0.5;
        besieged.rules.leadership.concede_bar = 0.0;
        run(&mut besieged);
        assert_eq!(besieged.regime.concession, 0.0);
        // An opposition is expelled only under a faction ban.
        let mut legal = discontented(2);
        legal.step = 100;
        legal.rules.leadership.expel_opposition_bar = 0.0;
        legal
            .decisions
            .set(Decision::BanFactions, DecisionMode::Forbidden);
        run(&mut legal);
        assert_eq!(taken(&legal, Decision::ExpelOpposition), 0);
    }

    /// Every seat of soviet 0 held by a member of another party: a soviet the party has lost.
    fn lose_soviet(world: &mut World) {
        let ruling = world.regime.ruling_party;
        let outsiders: Vec<usize> = (0..world.agents.len())
            .filter(|&i| world.agents.party[i] != NONE && world.agents.party[i] != ruling)
            .collect();
        for (k, seat) in world.soviets[0].seats.iter_mut().enumerate() {
            let i = outsiders[k % outsiders.len()];
            seat.holder = i as u32;
            seat.party = world.agents.party[i];
        }
    }

    fn set_status(world: &mut World, status: PartyStatus, restoration: bool) {
        let ruling = world.regime.ruling_party as usize;
        for (k, party) in world.parties.iter_mut().enumerate() {
            if k != ruling && party.restoration == restoration {
                party.status = status;
            }
        }
    }

    /// A world in which decision `d` is available: the winter of 1920-21 at war, with a
    /// soviet lost, and whatever `d` needs besides.
    fn ready_for(d: Decision) -> World {
        let mut world = discontented(10);
        world.conditions.civil_war = 0.5;
        world.step = 100;
        lose_soviet(&mut world);
        only(&mut world, d);
        match d {
            Decision::OverrideSoviets => world.rules.soviets.elections = Elections::SingleList,
            Decision::HarassParty => set_status(&mut world, PartyStatus::Banned, true),
            Decision::BanParty => {
                set_status(&mut world, PartyStatus::Tolerated, false);
                // The other parties in arms: every visible member active.
                let ruling = world.regime.ruling_party;
                for i in 0..world.agents.len() {
                    let party = world.agents.party[i];
                    if party != NONE && party != ruling && world.agents.state[i].is_visible() {
                        world.agents.state[i] = State::Active;
                    }
                }
            }
            Decision::AppointCongress
            | Decision::CondemnOpposition
            | Decision::SubordinateUnions => world.rules.factions.banned = true,
            Decision::ExpelOpposition => {
                world.rules.factions.banned = true;
                world.leadership.log.push(DecisionRecord {
                    step: 0,
                    decision: Decision::CondemnOpposition,
                    target: "workers_opposition".into(),
                    why: String::new(),
                });
            }
            Decision::WidenPolice => set_status(&mut world, PartyStatus::Banned, true),
            Decision::EndConcessions => world.regime.concession = 0.5,
            _ => {}
        }
        world
    }

    /// [`ready_for`] with the one condition `d` needs taken away.
    fn not_ready_for(d: Decision) -> World {
        let mut world = ready_for(d);
        let rules = &mut world.rules;
        match d {
            Decision::DisperseSoviets | Decision::SingleList => {
                rules.soviets.elections = Elections::SingleList
            }
            Decision::OverrideSoviets => rules.soviets.elections = Elections::Free,
            Decision::HarassParty | Decision::BanParty => {
                set_status(&mut world, PartyStatus::Banned, false);
                set_status(&mut world, PartyStatus::Banned, true);
            }
            Decision::SuspendElections => rules.soviets.elections = Elections::Suspended,
            Decision::PartyDictatorship => rules.soviets.sovereignty = Sovereignty::Party,
            Decision::AppointCongress => rules.factions.banned = false,
            Decision::AppointOfficials => {
                rules.bureaucracy.elected_share = rules.leadership.elected_floor
            }
            Decision::OneManManagement => rules.bureaucracy.one_man_management = 1.0,
            // Without the ban the party's members in the unions still vote as they will.
            Decision::SubordinateUnions => rules.factions.banned = false,
            Decision::BanFactions => rules.factions.banned = true,
            Decision::Purge => world.leadership.last[d.index()] = Some(world.step - 1),
            Decision::CondemnOpposition | Decision::ExpelOpposition => {
                rules.factions.banned = false
            }
            Decision::WidenPolice => rules.repression.targets = Target::ALL.into_iter().collect(),
            Decision::RaisePolice => rules.repression.capacity = rules.leadership.police_max,
            Decision::Concede => world.conditions.white_threat = 0.5,
            Decision::EndConcessions => world.regime.concession = 0.0,
        }
        world
    }

    fn with_bar(mut world: World, d: Decision, bar: f64) -> World {
        let path = format!("rules.leadership.{}_bar", d.name());
        world.rules = world
            .rules
            .with_set(&path, &toml::Value::Float(bar))
            .unwrap();
        world
    }

    /// Each decision, one by one: taken when its conditions hold and its bar is reached; not
    /// taken below its bar; not taken without its conditions, whatever the pressure.
    #[test]
    fn every_decision_is_taken_when_its_conditions_hold_and_its_bar_is_reached() {
        for d in Decision::ALL {
            let mut ready = with_bar(ready_for(d), d, 0.0);
            run(&mut ready);
            // A decision aimed at a party is weighed for each party it may be aimed at;
            // every other decision is taken once.
            let expected = match d {
                Decision::HarassParty | Decision::BanParty => {
                    party_targets(&ready_for(d), d, &census(&ready_for(d)), true).len()
                }
                _ => 1,
            };
            assert!(expected >= 1, "{d:?} has a target");
            assert_eq!(
                taken(&ready, d),
                expected,
                "{d:?} with its conditions and a bar of 0"
            );
            let mut high = with_bar(ready_for(d), d, 10.0);
            run(&mut high);
            assert_eq!(taken(&high, d), 0, "{d:?} below its bar");
            let mut unready = with_bar(not_ready_for(d), d, 0.0);
            run(&mut unready);
            assert_eq!(taken(&unready, d), 0, "{d:?} without its conditions");
        }
    }

    #[test]
    fn a_forbidden_decision_is_never_taken_not_even_when_pinned() {
        let mut world = discontented(3);
        for d in Decision::ALL {
            world.decisions.set(d, DecisionMode::Forbidden);
        }
        let zero_bars = Decision::NAMES.map(|n| format!("rules.leadership.{n}_bar"));
        for path in &zero_bars {
            world.rules = world
                .rules
                .with_set(path, &toml::Value::Float(0.0))
                .unwrap();
        }
        world.pending.orders.push(Order {
            decision: Decision::BanFactions,
            target: OrderTarget::None,
            level: None,
        });
        for step in 0..20 {
            world.step = step;
            run(&mut world);
        }
        assert!(
            world.leadership.log.is_empty(),
            "{:?}",
            world.leadership.log
        );
        assert!(!world.rules.factions.banned);
    }

    #[test]
    fn a_pinned_decision_is_taken_on_its_date_only() {
        let mut world = discontented(4);
        world.decisions = DecisionModes::all(DecisionMode::Pinned);
        world.rules.leadership.ban_factions_bar = 0.0;
        world.events = vec![Event {
            step: 5,
            action: Action::Decide(Order {
                decision: Decision::BanFactions,
                target: OrderTarget::None,
                level: None,
            }),
            label: "faction-ban".into(),
        }];
        for step in 0..10 {
            world.step = step;
            super::super::environment::apply(&mut world);
            run(&mut world);
            assert_eq!(world.rules.factions.banned, step >= 5, "step {step}");
            world.pending.clear();
        }
        let log = &world.leadership.log;
        assert_eq!(log.len(), 1, "{log:?}");
        assert_eq!((log[0].step, log[0].why.as_str()), (5, "pinned"));
    }

    #[test]
    fn precedent_lowers_the_next_decisions_bar_most_within_its_family() {
        let (mut world, _) = small_world(200, 5);
        world.rules.leadership.precedent = 1.0;
        assert_eq!(precedent_factor(&world, Decision::AppointCongress), 1.0);
        world.leadership.taken[Decision::BanFactions.index()] = 1;
        let after_ban = precedent_factor(&world, Decision::AppointCongress);
        assert!((after_ban - (1.0 - 0.6 * (1.0 - (-1.0f64).exp()))).abs() < 1e-12);
        // A measure of another family counts a tenth as much.
        let mut other = world.clone();
        other.leadership.taken = Default::default();
        other.leadership.taken[Decision::BanParty.index()] = 1;
        let across = precedent_factor(&other, Decision::AppointCongress);
        assert!(after_ban < across && across < 1.0, "{after_ban} {across}");
        // Repeating a measure adds nothing; concessions set no precedent.
        world.leadership.taken[Decision::BanFactions.index()] = 3;
        assert_eq!(
            precedent_factor(&world, Decision::AppointCongress),
            after_ban
        );
        assert_eq!(precedent_factor(&world, Decision::Concede), 1.0);
        // Without the mechanism, nothing is cheaper.
        world.rules.leadership.precedent = 0.0;
        assert_eq!(precedent_factor(&world, Decision::AppointCongress), 1.0);
        // And the lower bar is what decides: pressure between the two bars.
        let mut ready = discontented(6);
        only(&mut ready, Decision::Purge);
        ready.rules.leadership.precedent = 1.0;
        let (p, _) = pressure(Decision::Purge, &terms(&ready));
        ready.rules.leadership.purge_bar = p / (0.5 * (1.0 + after_ban));
        let mut fresh = ready.clone();
        run(&mut fresh);
        assert_eq!(taken(&fresh, Decision::Purge), 0);
        ready.leadership.taken[Decision::BanFactions.index()] = 1;
        run(&mut ready);
        assert_eq!(taken(&ready, Decision::Purge), 1);
    }

    #[test]
    fn subordinating_the_unions_makes_them_the_states_once_and_for_all() {
        let mut world = with_bar(
            ready_for(Decision::SubordinateUnions),
            Decision::SubordinateUnions,
            0.0,
        );
        assert_eq!(world.rules.bureaucracy.unions, Unions::Independent);
        run(&mut world);
        assert_eq!(world.rules.bureaucracy.unions, Unions::State);
        // Already the state's: nothing left to take.
        world.step += 1;
        run(&mut world);
        assert_eq!(taken(&world, Decision::SubordinateUnions), 1);
        // And the ban is what makes it possible, not the pressure.
        let mut unbanned = with_bar(
            not_ready_for(Decision::SubordinateUnions),
            Decision::SubordinateUnions,
            0.0,
        );
        run(&mut unbanned);
        assert_eq!(unbanned.rules.bureaucracy.unions, Unions::Independent);
    }

    #[test]
    fn the_purge_weighs_the_retreat_as_lived_not_as_decreed() {
        let mut world = discontented(12);
        world.regime.concession = 0.7;
        let decreed = terms(&world);
        assert!(decreed.get(Term::Retreat) > 0.0);
        assert_eq!(decreed.get(Term::LivedRetreat), 0.0);
        let (fresh, _) = pressure(Decision::Purge, &decreed);
        let share = world.weeks() / world.rules.leadership.retreat_weeks;
        assert!(share > 0.0 && share < 1.0);
        for _ in 0..8 {
            live_retreat(&mut world);
        }
        let expected = 0.7 * (1.0 - (1.0 - share).powi(8));
        assert!((world.leadership.retreat_lived - expected).abs() < 1e-12);
        let lived = terms(&world);
        assert_eq!(lived.get(Term::Retreat), decreed.get(Term::Retreat));
        let (later, _) = pressure(Decision::Purge, &lived);
        assert!((later - fresh - 0.5 * lived.get(Term::LivedRetreat)).abs() < 1e-12);
        // Concessions taken back are unlearned the same way.
        world.regime.concession = 0.0;
        live_retreat(&mut world);
        assert!((world.leadership.retreat_lived - expected * (1.0 - share)).abs() < 1e-12);
    }

    #[test]
    fn a_congress_is_appointed_by_the_apparatus_as_entrenched() {
        let mut world = discontented(13);
        // Forty officials, a quarter of them elected.
        let present: Vec<usize> = (0..world.agents.len())
            .filter(|&i| world.agents.state[i].is_present())
            .take(40)
            .collect();
        for (k, &i) in present.iter().enumerate() {
            world.agents.role[i] = Role::Official;
            world.agents.elected[i] = k % 4 == 0;
        }
        let c = census(&world);
        assert!(c.officials >= 40 && c.appointed > 0 && c.appointed < c.officials);
        let today = c.appointed as f64 / c.officials as f64;
        let fresh = terms(&world);
        assert!(fresh.get(Term::Apparatus) > 0.0);
        assert_eq!(fresh.get(Term::EntrenchedApparatus), 0.0);
        let share = world.weeks() / world.rules.leadership.entrench_weeks;
        for _ in 0..52 {
            entrench(&mut world, &c);
        }
        let expected = today * (1.0 - (1.0 - share).powi(52));
        assert!((world.leadership.apparatus_entrenched - expected).abs() < 1e-12);
        let settled = terms(&world);
        let (before, _) = pressure(Decision::AppointCongress, &fresh);
        let (after, _) = pressure(Decision::AppointCongress, &settled);
        assert!((after - before - 0.6 * settled.get(Term::EntrenchedApparatus)).abs() < 1e-12);
        // The other decisions that weigh the apparatus weigh today's.
        assert_eq!(
            pressure(Decision::AppointOfficials, &fresh).0,
            pressure(Decision::AppointOfficials, &settled).0
        );
    }

    #[test]
    fn the_mechanisms_scale_their_terms() {
        let mut world = discontented(7);
        world.conditions.civil_war = 1.0;
        world.rules.leadership.circumstances = 0.0;
        world.rules.leadership.doctrine = 0.0;
        world.rules.leadership.siege = 0.0;
        world.conditions.white_threat = 0.8;
        let none = terms(&world);
        assert_eq!(none.get(Term::Crisis), 0.0);
        assert_eq!(none.get(Term::Doctrine), 0.0);
        assert_eq!(none.get(Term::Threat), 0.0);
        world.rules.leadership.circumstances = 1.0;
        world.rules.leadership.doctrine = 1.0;
        world.rules.leadership.siege = 1.0;
        let full = terms(&world);
        assert!(full.get(Term::Crisis) > 0.3);
        assert!(full.get(Term::Doctrine) > 0.3);
        assert!(full.get(Term::Threat) > 0.5);
    }

    #[test]
    fn a_party_in_the_government_is_neither_harassed_nor_banned() {
        let mut world = with_bar(ready_for(Decision::HarassParty), Decision::HarassParty, 0.0);
        for party in world.parties.iter_mut() {
            if !party.restoration {
                party.in_government = true;
            }
        }
        run(&mut world);
        assert_eq!(taken(&world, Decision::HarassParty), 0);
    }

    #[test]
    fn a_ban_weighs_the_threat_by_the_partys_leaning_to_the_restoration() {
        let (world, _) = small_world(500, 12);
        let index = |name: &str| world.parties.iter().position(|p| p.name == name).unwrap() as u32;
        let (kadets, srs, mensheviks, anarchists) = (
            index("kadets"),
            index("srs"),
            index("mensheviks"),
            index("anarchists"),
        );
        assert_eq!(restoration_leaning(&world, kadets), 1.0);
        let sr = restoration_leaning(&world, srs);
        let menshevik = restoration_leaning(&world, mensheviks);
        assert!(sr > menshevik && menshevik > 0.0, "{sr} {menshevik}");
        assert_eq!(restoration_leaning(&world, anarchists), 0.0);
    }

    #[test]
    fn a_socialist_party_not_in_arms_is_not_banned() {
        let mut world = with_bar(ready_for(Decision::BanParty), Decision::BanParty, 0.0);
        for i in 0..world.agents.len() {
            if world.agents.state[i] == State::Active {
                world.agents.state[i] = State::Quiet;
            }
        }
        run(&mut world);
        // Only the restoration party, which needs no rising, is outlawed.
        let banned: Vec<&str> = world
            .leadership
            .log
            .iter()
            .filter(|r| r.decision == Decision::BanParty)
            .map(|r| r.target.as_str())
            .collect();
        assert_eq!(banned, ["kadets"]);
    }

    #[test]
    fn a_revolt_that_lasts_presses_harder_than_one_that_flares() {
        let mut world = discontented(13);
        let c = census(&world);
        assert!(revolt_today(&world, &c) > 0.0);
        endure_revolt(&mut world, &c);
        let once = world.leadership.revolt_endured;
        for _ in 0..25 {
            endure_revolt(&mut world, &c);
        }
        assert!(world.leadership.revolt_endured > 10.0 * once);
        assert!(terms(&world).get(Term::Revolt) > 0.3);
        // While the Whites threaten, the same risings are no revolt against the regime.
        let mut besieged = discontented(13);
        besieged.conditions.white_threat = 1.0;
        let c = census(&besieged);
        assert_eq!(revolt_today(&besieged, &c), 0.0);
    }

    #[test]
    fn an_opposition_is_condemned_before_it_is_expelled() {
        let mut world = discontented(14);
        world.step = 100;
        world.rules.factions.banned = true;
        world.decisions = DecisionModes::all(DecisionMode::Forbidden);
        world
            .decisions
            .set(Decision::ExpelOpposition, DecisionMode::Endogenous);
        world.rules.leadership.expel_opposition_bar = 0.0;
        run(&mut world);
        assert_eq!(
            taken(&world, Decision::ExpelOpposition),
            0,
            "not condemned yet"
        );
        world
            .decisions
            .set(Decision::CondemnOpposition, DecisionMode::Endogenous);
        world.rules.leadership.condemn_opposition_bar = 0.0;
        run(&mut world);
        assert_eq!(taken(&world, Decision::CondemnOpposition), 1);
        // Not in the step that condemns it, though nothing bars the expulsion: the leadership
        // judges the challenge that survives the condemnation.
        assert_eq!(taken(&world, Decision::ExpelOpposition), 0);
        let faction = &world.factions[0];
        assert!(faction.condemned, "condemnation marks the faction");
        // Condemned, the faction's members are afraid; the next step it can be expelled.
        world.step += 1;
        run(&mut world);
        assert_eq!(taken(&world, Decision::ExpelOpposition), 1);
        assert_eq!(
            taken(&world, Decision::CondemnOpposition),
            1,
            "condemned once"
        );
    }

    #[test]
    fn an_opposition_is_condemned_only_when_its_challenge_has_lasted() {
        let mut world = ready_for(Decision::CondemnOpposition);
        let c = census(&world);
        let challenge = faction_challenge(&c, 0);
        assert!(challenge > 0.5, "a large opposition: {challenge}");
        // The bar the faction's challenge reaches in half the argument's weeks, at full
        // weight (0.6) and no other term.
        world.rules.leadership.doctrine = 0.0;
        world.rules.leadership.circumstances = 0.0;
        world.rules.leadership.argument_weeks = 20.0;
        world.rules.leadership.condemn_opposition_bar = 0.6 * challenge * 0.5;
        let weeks = |world: &World| weeks_between(world, 100, world.step).round() as i64;
        while taken(&world, Decision::CondemnOpposition) == 0 && weeks(&world) < 30 {
            run(&mut world);
            world.step += 1;
        }
        let after = weeks(&world);
        // Ten weeks of argument, less the little the stock fades in them.
        assert!((10..=12).contains(&after), "condemned after {after} weeks");
        // A faction that has gone quiet is forgotten by half in a year.
        let k = 0;
        let before = world.leadership.argued[k];
        for f in &mut world.factions {
            f.alive = false;
        }
        for _ in 0..52 {
            world.step += 1;
            run(&mut world);
        }
        let after = world.leadership.argued[k];
        assert!((after / before - 0.5).abs() < 0.01, "{before} -> {after}");
    }

    #[test]
    fn the_committee_co_opts_when_members_leave_it() {
        let (mut world, mut rng) = small_world(2000, 8);
        let members = visible_members(&world);
        for &i in members
            .iter()
            .take(world.rules.ruling_party.central_committee as usize)
        {
            world.agents.role[i] = Role::Leader;
        }
        let first = members[0];
        world.agents.state[first] = State::Jailed;
        apply(&mut world, &mut rng);
        assert_eq!(world.agents.role[first], Role::None);
        let leaders = (0..world.agents.len())
            .filter(|&i| world.agents.role[i] == Role::Leader)
            .count();
        assert_eq!(leaders, world.rules.ruling_party.central_committee as usize);
    }
}
