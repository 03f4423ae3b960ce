//! The leadership's decisions in a scenario file: the `[decisions]` table (each decision
//! endogenous, pinned or forbidden), the `decide` event that pins one to a date, and the
//! consistency between the two. A pinned course is always explicit: an event may take a
//! decision only if `[decisions]` says it is pinned, a pinned decision needs at least one
//! such event, and no event may do what a forbidden decision forbids, whether it says
//! `decide` or does the same with an older action (`set`, `party_status`, `purge`, ...).
//! A forbidden decision is a constraint of the counterfactual, so letting an event slip
//! past it would quietly run a different scenario from the one the file describes.

use toml::Spanned;

use super::schema::{EventSpec, ScenarioFile};
use super::validate::{Checker, event_key};
use crate::format::{is_id, suggest};
use crate::model::params::{CongressMode, Elections, Sovereignty, Target, Unions};
use crate::model::{
    Action, Decision, DecisionMode, DecisionModes, Order, OrderTarget, PartySetup, PartyStatus,
    PurgeTarget, Rules, TargetKind,
};

/// The modes of `[decisions]`, every decision not named endogenous. Decision names were
/// checked with the other keys (an unknown one is reported, with a suggestion, and removed
/// before this runs); the modes are checked here.
pub(super) fn resolve_modes(r: &mut Checker, raw: &ScenarioFile) -> DecisionModes {
    let mut modes = DecisionModes::default();
    for (name, mode) in &raw.decisions {
        let Some(decision) = Decision::parse(name) else {
            continue;
        };
        match DecisionMode::parse(mode.get_ref()) {
            Some(m) => modes.set(decision, m),
            None => r.at(
                mode.span(),
                &format!("decisions.{name}"),
                format!(
                    "unknown mode `{}`; expected `endogenous` (the model takes it), `pinned` (taken on the dates of `decide` events) or `forbidden` (never taken){}",
                    mode.get_ref(),
                    suggest(mode.get_ref(), DecisionMode::NAMES)
                ),
            ),
        }
    }
    modes
}

/// Every pinned decision must have a date: at least one `decide` event that takes it.
pub(super) fn check_pinned_have_dates(r: &mut Checker, raw: &ScenarioFile, modes: &DecisionModes) {
    for (name, mode) in &raw.decisions {
        let Some(decision) = Decision::parse(name) else {
            continue;
        };
        if modes.get(decision) != DecisionMode::Pinned {
            continue;
        }
        let dated = raw.events.iter().any(|e| {
            let e = e.get_ref();
            e.action.get_ref() == "decide"
                && e.decision.as_ref().is_some_and(|d| d.get_ref() == name)
        });
        if !dated {
            r.at(
                mode.span(),
                &format!("decisions.{name}"),
                format!(
                    "a pinned decision without a date: no `decide` event takes `{name}`; add one (`action = \"decide\"`, `decision = \"{name}\"`, `date = ...`), or leave the decision to the model (`endogenous`) or rule it out (`forbidden`)"
                ),
            );
        }
    }
}

/// The names the scenario's `faction` events seed, at any date: what a pinned
/// `expel_opposition` may target (the faction comes forward only when its event comes, so
/// a decision dated earlier finds nobody to expel, as in the model).
pub(super) fn seeded_factions(raw: &ScenarioFile) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    // A set beside the list, so that a file of many faction events is not read in
    // quadratic time.
    let mut seen: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    for e in &raw.events {
        let e = e.get_ref();
        if e.action.get_ref() == "faction"
            && let Some(name) = &e.name
            && seen.insert(name.get_ref().as_str())
        {
            names.push(name.get_ref().clone());
        }
    }
    names
}

/// What `decide` events are checked against.
pub(super) struct Pins {
    /// The modes of `[decisions]`.
    pub modes: DecisionModes,
    /// The ruling party, which no decision may target.
    pub ruling: Option<u32>,
    /// The factions the scenario's events seed ([`seeded_factions`]).
    pub factions: Vec<String>,
}

/// `decide`: a decision of `[decisions]` marked pinned, with the target and level it takes.
pub(super) fn decide_action(
    r: &mut Checker,
    e: &EventSpec,
    k: usize,
    parties: &[PartySetup],
    pins: &Pins,
) -> Option<Action> {
    let key = |field: &str| event_key(k, field);
    let named = e.decision.as_ref()?;
    let Some(decision) = Decision::parse(named.get_ref()) else {
        r.at(
            named.span(),
            &key("decision"),
            format!(
                "unknown decision `{}`; expected one of {}{}",
                named.get_ref(),
                Decision::NAMES.join(", "),
                suggest(named.get_ref(), Decision::NAMES)
            ),
        );
        return None;
    };
    let before = r.found.len();
    let name = decision.name();
    match pins.modes.get(decision) {
        DecisionMode::Pinned => {}
        DecisionMode::Forbidden => r.at(
            named.span(),
            &key("decision"),
            format!(
                "a forbidden decision that an event pins: `[decisions]` has `{name} = \"forbidden\"`, so neither the model nor an event may take it; remove this event, or write `{name} = \"pinned\"` under `[decisions]`"
            ),
        ),
        DecisionMode::Endogenous => r.at(
            named.span(),
            &key("decision"),
            format!(
                "`{name}` is left to the model (endogenous), so an event cannot pin it; to take it on the dates of its `decide` events, write `{name} = \"pinned\"` under `[decisions]`"
            ),
        ),
    }
    let target = decide_target(r, e, k, decision, parties, pins);
    let level = match (&e.level, decision.level_meaning()) {
        (None, _) => None,
        (Some(level), None) => {
            r.at(
                level.span(),
                &key("level"),
                format!("`{name}` takes no `level`"),
            );
            None
        }
        (Some(level), Some((meaning, lo, hi))) => {
            let v = *level.get_ref();
            if !(lo..=hi).contains(&v) {
                r.at(
                    level.span(),
                    &key("level"),
                    format!(
                        "the level of `{name}` is {meaning}: expected a number from {lo} to {hi}, found {v}"
                    ),
                );
            }
            Some(v)
        }
    };
    (r.found.len() == before).then(|| {
        Action::Decide(Order {
            decision,
            target: target.unwrap_or(OrderTarget::None),
            level,
        })
    })
}

/// The target of a `decide` event, resolved by the kind its decision takes; reported and
/// `None` when it is missing, unexpected or names nothing of its kind.
fn decide_target(
    r: &mut Checker,
    e: &EventSpec,
    k: usize,
    decision: Decision,
    parties: &[PartySetup],
    pins: &Pins,
) -> Option<OrderTarget> {
    let (ruling, factions) = (pins.ruling, pins.factions.as_slice());
    let key = event_key(k, "target");
    let name = decision.name();
    let kind = decision.target_kind();
    let Some(target) = &e.target else {
        if kind != TargetKind::None {
            r.at(
                e.decision.as_ref().map_or(e.action.span(), Spanned::span),
                &key,
                format!(
                    "`{name}` needs a `target`: {}",
                    expected_target(kind, parties, ruling, factions)
                ),
            );
        }
        return None;
    };
    let text = target.get_ref().as_str();
    let fail = |r: &mut Checker, why: String, candidates: &[&str]| {
        r.at(
            target.span(),
            &key,
            format!("{why}{}", suggest(text, candidates.iter().copied())),
        );
        None
    };
    match kind {
        TargetKind::None => fail(r, format!("`{name}` takes no `target`"), &[]),
        TargetKind::Party => {
            let others = other_parties(parties, ruling);
            match parties.iter().position(|p| p.name == text) {
                Some(p) if Some(p as u32) == ruling => fail(
                    r,
                    format!(
                        "`{text}` is the ruling party; `{name}` is aimed at another party ({})",
                        list(&others)
                    ),
                    &[],
                ),
                Some(p) => Some(OrderTarget::Party(p as u32)),
                None => fail(
                    r,
                    format!(
                        "no party named `{text}`; `{name}` is aimed at a party other than the ruling one ({})",
                        list(&others)
                    ),
                    &others,
                ),
            }
        }
        TargetKind::Purge => match text {
            "critics" => Some(OrderTarget::Purge(PurgeTarget::Critics)),
            "careerists" => Some(OrderTarget::Purge(PurgeTarget::Careerists)),
            _ => fail(
                r,
                format!(
                    "unknown purge target `{text}`; `{name}` targets `critics` or `careerists` (a faction's members are expelled by `expel_opposition`)"
                ),
                &PurgeTarget::NAMES,
            ),
        },
        TargetKind::Police => match police_target(text) {
            Some(t) => Some(OrderTarget::Police(t)),
            None => {
                let names = police_target_names();
                fail(
                    r,
                    format!(
                        "unknown police target `{text}`; expected one of {}",
                        names.join(", ")
                    ),
                    &names,
                )
            }
        },
        TargetKind::Faction => {
            let seeded: Vec<&str> = factions.iter().map(String::as_str).collect();
            if !is_id(text) {
                fail(
                    r,
                    format!(
                        "`{text}` is not a faction's name: expected lowercase letters, digits, `-` and `_`"
                    ),
                    &seeded,
                )
            } else if !seeded.contains(&text) {
                fail(
                    r,
                    format!(
                        "no `faction` event of this scenario seeds a faction named `{text}`; `{name}` is aimed at one it seeds ({})",
                        list(&seeded)
                    ),
                    &seeded,
                )
            } else {
                Some(OrderTarget::Faction(text.to_string()))
            }
        }
    }
}

/// What a decision's target must name, in words, with the scenario's candidates.
fn expected_target(
    kind: TargetKind,
    parties: &[PartySetup],
    ruling: Option<u32>,
    factions: &[String],
) -> String {
    match kind {
        TargetKind::None => "nothing".to_string(),
        TargetKind::Party => {
            let others = other_parties(parties, ruling);
            format!("a party other than the ruling one ({})", list(&others))
        }
        TargetKind::Faction => {
            let seeded: Vec<&str> = factions.iter().map(String::as_str).collect();
            format!("a faction a `faction` event seeds ({})", list(&seeded))
        }
        TargetKind::Purge => "`critics` or `careerists`".to_string(),
        TargetKind::Police => format!("a police target ({})", police_target_names().join(", ")),
    }
}

/// Names as a comma-separated list, or "none in this scenario".
fn list(names: &[&str]) -> String {
    if names.is_empty() {
        "none in this scenario".to_string()
    } else {
        names.join(", ")
    }
}

/// A police target group by its name in the files (`banned_parties`), as serde reads it.
fn police_target(name: &str) -> Option<Target> {
    serde::Deserialize::deserialize(toml::Value::String(name.to_string())).ok()
}

/// The names of the police's target groups, as the files write them.
fn police_target_names() -> Vec<&'static str> {
    super::keys::parameter_names("repression", "targets")
        .map(<[&str]>::to_vec)
        .unwrap_or_default()
}

/// The course just before an event, against which an older action is read: whether it
/// moves the regime the way a decision would.
pub(super) struct Before<'a> {
    /// The rule parameters in force.
    pub rules: &'a Rules,
    /// The level of concessions in force.
    pub concession: f64,
    /// The status of the party a `party_status` event names, if it names one.
    pub party_status: Option<PartyStatus>,
}

/// The decisions an event of an older action takes in effect: a `set` that bans factions
/// is `ban_factions`, a `purge` of a faction is `expel_opposition`, and so on. Only a move
/// the decision's way counts: lifting the faction ban, legalising a party or widening the
/// elected share of posts is no decision of the leadership's. `decide` events are checked
/// on their own ([`decide_action`]); an event that does not parse takes none.
pub(super) fn enacted(e: &EventSpec, before: &Before) -> Vec<Decision> {
    let mut out = Vec::new();
    match e.action.get_ref().as_str() {
        "set" => {
            let (Some(path), Some(value)) = (&e.path, &e.value) else {
                return out;
            };
            let Ok(after) = before.rules.with_set(path.get_ref(), value.get_ref()) else {
                return out;
            };
            let (b, a) = (before.rules, &after);
            if a.factions.banned && !b.factions.banned {
                out.push(Decision::BanFactions);
            }
            if a.soviets.elections != b.soviets.elections {
                match a.soviets.elections {
                    Elections::SingleList => out.push(Decision::SingleList),
                    Elections::Suspended => out.push(Decision::SuspendElections),
                    // Appointment from above goes past both a single list and suspension.
                    Elections::Appointed => {
                        out.extend([Decision::SingleList, Decision::SuspendElections])
                    }
                    Elections::Free => {}
                }
            }
            if a.soviets.sovereignty == Sovereignty::Party
                && b.soviets.sovereignty != Sovereignty::Party
            {
                out.push(Decision::PartyDictatorship);
            }
            if a.ruling_party.congress == CongressMode::Appointed
                && b.ruling_party.congress != CongressMode::Appointed
            {
                out.push(Decision::AppointCongress);
            }
            if a.bureaucracy.elected_share < b.bureaucracy.elected_share {
                out.push(Decision::AppointOfficials);
            }
            if a.bureaucracy.one_man_management > b.bureaucracy.one_man_management {
                out.push(Decision::OneManManagement);
            }
            if a.bureaucracy.unions == Unions::State && b.bureaucracy.unions != Unions::State {
                out.push(Decision::SubordinateUnions);
            }
            if a.repression
                .targets
                .iter()
                .any(|t| !b.repression.targets.contains(t))
            {
                out.push(Decision::WidenPolice);
            }
            if a.repression.capacity > b.repression.capacity {
                out.push(Decision::RaisePolice);
            }
        }
        "party_status" => match (e.status.as_ref().map(|s| *s.get_ref()), before.party_status) {
            (Some(PartyStatus::Tolerated), Some(PartyStatus::Legal)) => {
                out.push(Decision::HarassParty)
            }
            (Some(PartyStatus::Banned), Some(b)) if b != PartyStatus::Banned => {
                out.push(Decision::BanParty)
            }
            _ => {}
        },
        "concession" => {
            if let Some(level) = &e.level {
                let level = *level.get_ref();
                if level > before.concession {
                    out.push(Decision::Concede);
                } else if level < before.concession {
                    out.push(Decision::EndConcessions);
                }
            }
        }
        "purge" => {
            if let Some(target) = &e.target {
                out.push(if PurgeTarget::NAMES.contains(&target.get_ref().as_str()) {
                    Decision::Purge
                } else {
                    Decision::ExpelOpposition
                });
            }
        }
        "override" => out.push(Decision::OverrideSoviets),
        "dissolve" => out.push(Decision::DisperseSoviets),
        _ => {}
    }
    out
}

/// Reports an older-action event that takes a forbidden decision, at the field that makes
/// it one.
pub(super) fn check_not_forbidden(
    r: &mut Checker,
    e: &EventSpec,
    k: usize,
    before: &Before,
    modes: &DecisionModes,
) {
    // Reading a `set` event's effect costs a copy of the rules: not worth it when nothing
    // is forbidden, as in most scenarios.
    if !Decision::ALL
        .iter()
        .any(|d| modes.get(*d) == DecisionMode::Forbidden)
    {
        return;
    }
    for decision in enacted(e, before) {
        if modes.get(decision) != DecisionMode::Forbidden {
            continue;
        }
        let (field, span) = match e.action.get_ref().as_str() {
            "set" => ("path", e.path.as_ref().map(Spanned::span)),
            "party_status" => ("status", e.status.as_ref().map(Spanned::span)),
            "purge" => ("target", e.target.as_ref().map(Spanned::span)),
            _ => ("action", None),
        };
        let name = decision.name();
        r.at(
            span.unwrap_or(e.action.span()),
            &event_key(k, field),
            format!(
                "this event takes the decision `{name}` ({}), which `[decisions]` forbids; a forbidden decision is taken neither by the model nor by an event: remove the event, or make `{name}` endogenous or pinned",
                decision.meaning()
            ),
        );
    }
}

/// The names of the parties a decision may be aimed at: all but the ruling one.
fn other_parties(parties: &[PartySetup], ruling: Option<u32>) -> Vec<&str> {
    parties
        .iter()
        .enumerate()
        .filter(|(p, _)| Some(*p as u32) != ruling)
        .map(|(_, p)| p.name.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An event as a file writes it.
    fn event(body: &str) -> EventSpec {
        toml::from_str(&format!("date = \"1918-01\"\n{body}")).unwrap()
    }

    fn taken(body: &str, before: &Before) -> Vec<Decision> {
        enacted(&event(body), before)
    }

    #[test]
    fn older_actions_take_the_decisions_they_amount_to_and_only_the_way_they_go() {
        let rules = Rules::default();
        let at = Before {
            rules: &rules,
            concession: 0.3,
            party_status: Some(PartyStatus::Legal),
        };
        let set = |path: &str, value: &str| {
            taken(
                &format!("action = \"set\"\npath = \"{path}\"\nvalue = {value}"),
                &at,
            )
        };
        use Decision as D;
        assert_eq!(set("rules.factions.banned", "true"), [D::BanFactions]);
        assert_eq!(set("rules.factions.banned", "false"), []);
        assert_eq!(
            set("rules.soviets.elections", "\"single_list\""),
            [D::SingleList]
        );
        assert_eq!(
            set("rules.soviets.elections", "\"suspended\""),
            [D::SuspendElections]
        );
        assert_eq!(
            set("rules.soviets.elections", "\"appointed\""),
            [D::SingleList, D::SuspendElections]
        );
        assert_eq!(
            set("rules.soviets.sovereignty", "\"party\""),
            [D::PartyDictatorship]
        );
        assert_eq!(
            set("rules.ruling_party.congress", "\"appointed\""),
            [D::AppointCongress]
        );
        assert_eq!(
            set("rules.bureaucracy.elected_share", "0.2"),
            [D::AppointOfficials]
        );
        assert_eq!(set("rules.bureaucracy.elected_share", "0.9"), []);
        assert_eq!(
            set("rules.bureaucracy.one_man_management", "0.5"),
            [D::OneManManagement]
        );
        assert_eq!(
            set("rules.repression.targets", "[\"whites\", \"strikers\"]"),
            [D::WidenPolice]
        );
        assert_eq!(set("rules.repression.targets", "[]"), []);
        assert_eq!(set("rules.repression.capacity", "4.0"), [D::RaisePolice]);
        assert_eq!(set("rules.repression.capacity", "1.0"), []);
        assert_eq!(set("rules.opinion.confidence", "0.3"), []);
        assert_eq!(set("rules.nonsense.x", "1"), [], "a bad path takes nothing");

        let status = |s: &str, before: PartyStatus| {
            let at = Before {
                party_status: Some(before),
                ..at
            };
            taken(
                &format!("action = \"party_status\"\nparty = \"x\"\nstatus = \"{s}\""),
                &at,
            )
        };
        assert_eq!(status("tolerated", PartyStatus::Legal), [D::HarassParty]);
        assert_eq!(status("tolerated", PartyStatus::Banned), []);
        assert_eq!(status("banned", PartyStatus::Tolerated), [D::BanParty]);
        assert_eq!(status("legal", PartyStatus::Banned), []);

        let level = |action: &str, level: f64| {
            taken(&format!("action = \"{action}\"\nlevel = {level:?}"), &at)
        };
        assert_eq!(level("concession", 0.7), [D::Concede]);
        assert_eq!(level("concession", 0.1), [D::EndConcessions]);
        assert_eq!(level("concession", 0.3), []);
        assert_eq!(level("override", 1.0), [D::OverrideSoviets]);
        assert_eq!(level("dissolve", 0.5), [D::DisperseSoviets]);
        let purge = |target: &str| {
            taken(
                &format!("action = \"purge\"\ntarget = \"{target}\"\nlevel = 0.5"),
                &at,
            )
        };
        assert_eq!(purge("critics"), [D::Purge]);
        assert_eq!(purge("careerists"), [D::Purge]);
        assert_eq!(purge("workers_opposition"), [D::ExpelOpposition]);
        assert_eq!(
            taken("action = \"shock\"\nattribute = \"fear\"\ndelta = 0.1", &at),
            []
        );
    }

    #[test]
    fn every_police_target_name_reads_as_a_target() {
        let names = police_target_names();
        assert_eq!(names.len(), Target::ALL.len());
        for name in names {
            assert!(police_target(name).is_some(), "{name}");
        }
        assert!(police_target("whitey").is_none());
    }
}

#[cfg(test)]
mod scenario_tests {
    use crate::model::{Action, Decision, DecisionMode, Order, OrderTarget, PurgeTarget, Target};
    use crate::scenario::{Diagnostic, Scenario};

    const BASE: &str = r#"
name = "t"
description = "test"
start = "1917-11"
end = "1923-12"
[parties.bolsheviks]
platform = [0.6, 0.1]
members = 0.05
ruling = true
[parties.mensheviks]
platform = [0.4, 0.3]
[[events]]
id = "wo"
date = "1920-11"
action = "faction"
name = "workers_opposition"
platform = [0.2, 0.1]
"#;

    fn parse(extra: &str) -> Result<Scenario, Vec<Diagnostic>> {
        Scenario::parse(&format!("{BASE}{extra}"), "t.toml").map_err(|d| d.0)
    }

    fn errors(extra: &str) -> Vec<Diagnostic> {
        parse(extra).err().unwrap_or_default()
    }

    fn decide(date: &str, body: &str) -> String {
        format!("[[events]]\ndate = \"{date}\"\naction = \"decide\"\n{body}\n")
    }

    #[test]
    fn modes_and_pinned_decisions_resolve() {
        let s = parse(&format!(
            "[decisions]\nban_party = \"pinned\"\nexpel_opposition = \"pinned\"\nwiden_police = \"pinned\"\npurge = \"pinned\"\nraise_police = \"pinned\"\nban_factions = \"forbidden\"\n{}{}{}{}{}",
            decide("1918-06", "decision = \"ban_party\"\ntarget = \"mensheviks\""),
            decide("1922-02", "decision = \"expel_opposition\"\ntarget = \"workers_opposition\"\nlevel = 0.5"),
            decide("1921-02", "decision = \"widen_police\"\ntarget = \"banned_parties\""),
            decide("1921-08", "decision = \"purge\"\ntarget = \"careerists\""),
            decide("1918-09", "decision = \"raise_police\"\nlevel = 3.5"),
        ))
        .unwrap_or_else(|e| panic!("{e:#?}"));
        assert_eq!(s.decisions.get(Decision::BanParty), DecisionMode::Pinned);
        assert_eq!(
            s.decisions.get(Decision::BanFactions),
            DecisionMode::Forbidden
        );
        assert_eq!(s.decisions.get(Decision::Concede), DecisionMode::Endogenous);
        let orders: Vec<&Order> = s
            .events
            .iter()
            .filter_map(|e| match &e.action {
                Action::Decide(o) => Some(o),
                _ => None,
            })
            .collect();
        let mensheviks = s
            .parties
            .iter()
            .position(|p| p.name == "mensheviks")
            .unwrap() as u32;
        assert_eq!(
            orders,
            [
                &Order {
                    decision: Decision::BanParty,
                    target: OrderTarget::Party(mensheviks),
                    level: None
                },
                &Order {
                    decision: Decision::RaisePolice,
                    target: OrderTarget::None,
                    level: Some(3.5)
                },
                &Order {
                    decision: Decision::WidenPolice,
                    target: OrderTarget::Police(Target::BannedParties),
                    level: None
                },
                &Order {
                    decision: Decision::Purge,
                    target: OrderTarget::Purge(PurgeTarget::Careerists),
                    level: None
                },
                &Order {
                    decision: Decision::ExpelOpposition,
                    target: OrderTarget::Faction("workers_opposition".into()),
                    level: Some(0.5)
                },
            ],
            "in date order"
        );
    }

    #[test]
    fn unknown_decisions_and_modes_are_located_with_a_suggestion() {
        let e = errors(&format!(
            "[decisions]\nban_faction = \"forbidden\"\nsingle_list = \"forbiden\"\n{}",
            decide("1921-03", "decision = \"ban_fations\"")
        ));
        let found: Vec<(&str, usize, &str)> = e
            .iter()
            .map(|d| (d.key.as_deref().unwrap_or(""), d.line, d.message.as_str()))
            .collect();
        let line = BASE.lines().count();
        assert_eq!(found.len(), 3, "{found:#?}");
        assert_eq!(found[0].0, "decisions.ban_faction");
        assert_eq!(found[0].1, line + 2);
        assert!(
            found[0].2.contains("did you mean `ban_factions`"),
            "{}",
            found[0].2
        );
        assert_eq!(found[1].0, "decisions.single_list");
        assert!(
            found[1].2.contains("`endogenous`") && found[1].2.contains("did you mean `forbidden`"),
            "{}",
            found[1].2
        );
        assert_eq!(found[2].0, "events[1].decision");
        assert!(
            found[2].2.contains("did you mean `ban_factions`"),
            "{}",
            found[2].2
        );
    }

    #[test]
    fn modes_and_events_must_agree() {
        let e = errors(&format!(
            "[decisions]\nsingle_list = \"pinned\"\nban_factions = \"forbidden\"\n{}{}",
            decide("1921-03", "decision = \"ban_factions\""),
            decide("1921-04", "decision = \"concede\""),
        ));
        let found: Vec<(&str, &str)> = e
            .iter()
            .map(|d| (d.key.as_deref().unwrap_or(""), d.message.as_str()))
            .collect();
        // In the order of the text.
        assert_eq!(found.len(), 3, "{found:#?}");
        assert_eq!(found[0].0, "decisions.single_list");
        assert!(found[0].1.starts_with("a pinned decision without a date"));
        assert_eq!(found[1].0, "events[1].decision");
        assert!(
            found[1]
                .1
                .starts_with("a forbidden decision that an event pins")
        );
        assert_eq!(found[2].0, "events[2].decision");
        assert!(
            found[2]
                .1
                .contains("write `concede = \"pinned\"` under `[decisions]`")
        );
    }

    #[test]
    fn older_actions_may_not_take_a_forbidden_decision() {
        let e = errors(
            "[decisions]\nban_factions = \"forbidden\"\npurge = \"forbidden\"\nexpel_opposition = \"forbidden\"\nban_party = \"forbidden\"\n[[events]]\ndate = \"1921-03\"\naction = \"set\"\npath = \"rules.factions.banned\"\nvalue = true\n[[events]]\ndate = \"1921-08\"\naction = \"purge\"\ntarget = \"careerists\"\nlevel = 0.3\n[[events]]\ndate = \"1922-08\"\naction = \"purge\"\ntarget = \"workers_opposition\"\nlevel = 0.3\n[[events]]\ndate = \"1918-06\"\naction = \"party_status\"\nparty = \"mensheviks\"\nstatus = \"tolerated\"\n",
        );
        let keys: Vec<&str> = e.iter().filter_map(|d| d.key.as_deref()).collect();
        assert_eq!(
            keys,
            ["events[1].path", "events[2].target", "events[3].target"],
            "{e:#?}"
        );
        assert!(e[0].message.contains("`ban_factions`"), "{}", e[0].message);
        assert!(
            e[2].message.contains("`expel_opposition`"),
            "{}",
            e[2].message
        );
        // Harassment is not forbidden, and lifting the ban is no ban.
        assert!(errors("[decisions]\nban_factions = \"forbidden\"\n[[events]]\ndate = \"1921-03\"\naction = \"set\"\npath = \"rules.factions.banned\"\nvalue = false\n").is_empty());
    }

    #[test]
    fn targets_and_levels_are_checked_against_the_decision() {
        let pinned = "[decisions]\nban_party = \"pinned\"\nsingle_list = \"pinned\"\nexpel_opposition = \"pinned\"\nwiden_police = \"pinned\"\nraise_police = \"pinned\"\npurge = \"pinned\"\n";
        let e = errors(&format!(
            "{pinned}{}{}{}{}{}{}{}",
            decide("1918-06", "decision = \"ban_party\""),
            decide(
                "1918-07",
                "decision = \"ban_party\"\ntarget = \"bolsheviks\""
            ),
            decide(
                "1921-03",
                "decision = \"single_list\"\ntarget = \"mensheviks\"\nlevel = 0.5"
            ),
            decide(
                "1922-02",
                "decision = \"expel_opposition\"\ntarget = \"democratic_centralists\""
            ),
            decide(
                "1921-02",
                "decision = \"widen_police\"\ntarget = \"bystanders\""
            ),
            decide("1918-09", "decision = \"raise_police\"\nlevel = 2000.0"),
            decide(
                "1921-08",
                "decision = \"purge\"\ntarget = \"workers_opposition\""
            ),
        ));
        let mut found: Vec<(&str, &str)> = e
            .iter()
            .map(|d| (d.key.as_deref().unwrap_or(""), d.message.as_str()))
            .collect();
        // Events are checked in date order; these are listed in the file's.
        found.sort();
        let expect = [
            (
                "events[1].target",
                "`ban_party` needs a `target`: a party other than the ruling one (mensheviks)",
            ),
            ("events[2].target", "`bolsheviks` is the ruling party"),
            ("events[3].level", "`single_list` takes no `level`"),
            ("events[3].target", "`single_list` takes no `target`"),
            (
                "events[4].target",
                "no `faction` event of this scenario seeds a faction named `democratic_centralists`; `expel_opposition` is aimed at one it seeds (workers_opposition)",
            ),
            (
                "events[5].target",
                "unknown police target `bystanders`; expected one of whites, active",
            ),
            (
                "events[6].level",
                "the level of `raise_police` is the police's capacity after it (chekists per 1,000): expected a number from 0 to 1000, found 2000",
            ),
            (
                "events[7].target",
                "unknown purge target `workers_opposition`",
            ),
        ];
        assert_eq!(found.len(), expect.len(), "{found:#?}");
        for ((key, message), (k, m)) in found.iter().zip(expect) {
            assert_eq!(*key, k);
            assert!(message.starts_with(m), "{message}");
        }
    }

    #[test]
    fn a_child_overrides_its_parent_s_modes_key_by_key() {
        let parent = format!(
            "{BASE}[decisions]\nban_factions = \"forbidden\"\nsingle_list = \"forbidden\"\n"
        );
        let child = "extends = \"p.toml\"\nname = \"c\"\ndescription = \"c\"\n[decisions]\nsingle_list = \"endogenous\"\nconcede = \"forbidden\"\n";
        let resolve = |_: &str, _: &str| Ok(("p.toml".to_string(), parent.clone()));
        let s = Scenario::parse_with(child, "c.toml", &resolve).unwrap();
        assert_eq!(
            s.decisions.get(Decision::BanFactions),
            DecisionMode::Forbidden
        );
        assert_eq!(
            s.decisions.get(Decision::SingleList),
            DecisionMode::Endogenous
        );
        assert_eq!(s.decisions.get(Decision::Concede), DecisionMode::Forbidden);
    }
}
