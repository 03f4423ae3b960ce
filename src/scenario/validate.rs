//! The second pass over a scenario: every check that serde cannot make (ranges, dates, sums,
//! names, what each event action needs), all collected so the user sees every problem at
//! once, each pointing at the offending value.

use std::ops::Range;

use toml::Spanned;
use toml::de::DeTable;

use super::decisions::{self, Before, Pins};
use super::schema::{EventSpec, ScenarioFile};
use super::{
    Diagnostic, Diagnostics, LATEST_END_YEAR, MAX_AGENTS, MAX_REPLICATES, RecordName, Scenario,
    SourceMap,
};
use crate::date::{Date, Precision};
use crate::format::suggest;
use crate::model::Rules;
use crate::model::{
    Action, Calendar, Class, Environment, Event, Opinion, PartySetup, PartyStatus, PurgeTarget,
    SERIES_NAMES, Series, ShockAttribute, StepKind,
};

/// Checks a scenario's values and collects a diagnostic against its files for each problem.
pub(super) struct Checker<'a> {
    map: &'a SourceMap,
    /// The merged document with spans, for values whose Rust type carries none.
    doc: Spanned<DeTable<'a>>,
    pub(super) found: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    pub(super) fn at(&mut self, span: Range<usize>, key: &str, message: impl Into<String>) {
        let span = if span.start == 0 && span.end == 0 {
            self.span_of(key)
        } else {
            Some(span)
        };
        self.found
            .push(self.map.diagnostic(span, Some(key), message));
    }

    /// Whether the document gives this dotted key itself.
    pub(super) fn has_key(&self, key: &str) -> bool {
        let mut parts = key.split('.');
        let Some(first) = parts.next() else {
            return false;
        };
        let Some(mut node) = self.doc.get_ref().get(first) else {
            return false;
        };
        for part in parts {
            match node.get_ref().get(part) {
                Some(next) => node = next,
                None => return false,
            }
        }
        true
    }

    /// The span of a dotted key's value in the document, or of its nearest present parent.
    fn span_of(&self, key: &str) -> Option<Range<usize>> {
        let mut parts = key.split('.');
        let mut node = self.doc.get_ref().get(parts.next()?)?;
        let mut best = Some(node.span());
        for part in parts {
            match node.get_ref().get(part) {
                Some(next) => {
                    node = next;
                    best = Some(node.span());
                }
                None => break,
            }
        }
        best
    }

    pub(super) fn unit(&mut self, span: Range<usize>, key: &str, value: f64) {
        if !(0.0..=1.0).contains(&value) {
            self.at(
                span,
                key,
                format!("expected a number from 0 to 1, found {value}"),
            );
        }
    }

    /// A dated series of values in [0, 1]: at least one point, dates inside the scenario
    /// and never going backward.
    pub(super) fn series(
        &mut self,
        series: &Spanned<Vec<super::schema::SeriesPoint>>,
        key: &str,
        in_range: &dyn Fn(Date) -> bool,
        calendar: Option<&Calendar>,
    ) -> Option<Series> {
        if series.get_ref().is_empty() {
            self.at(
                series.span(),
                key,
                "a series needs at least one [date, value] point",
            );
            return None;
        }
        let mut points = Vec::new();
        let mut last: Option<Date> = None;
        for (date, value) in series.get_ref() {
            self.unit(value.span(), key, *value.get_ref());
            let Some((d, _)) = self.date(date, key) else {
                continue;
            };
            if !in_range(d) {
                self.at(
                    date.span(),
                    key,
                    format!("{d} lies outside the scenario's start..end"),
                );
            }
            if last.is_some_and(|l| d < l) {
                self.at(date.span(), key, "dates in a series must not go backward");
            }
            last = Some(d);
            if let Some(cal) = calendar {
                points.push((cal.position(d), value.get_ref().clamp(0.0, 1.0)));
            }
        }
        (last.is_some() && points.windows(2).all(|w| w[0].0 <= w[1].0)).then(|| Series::new(points))
    }

    fn date(&mut self, value: &Spanned<String>, key: &str) -> Option<(Date, Precision)> {
        match Date::parse(value.get_ref()) {
            Ok(d) => Some(d),
            Err(e) => {
                self.at(value.span(), key, e.to_string());
                None
            }
        }
    }
}

/// Checks every numeric rule parameter against its range; `at` names where the rules came
/// from (the `[rules]` tables, or a `set` event's value).
/// Checks the rules' ranges and relations. Under a `set` event (`at` its value's place and
/// key, `only` the path it sets) only what that event changes is checked: a value out of
/// range in the scenario's own tables is reported once, where it is written, and not again
/// at every event that sets something else.
fn check_rules(
    report: &mut Checker,
    rules: &Rules,
    at: Option<(Range<usize>, &str)>,
    only: Option<&str>,
) {
    let concerned = |key: &str| only.is_none_or(|path| path == key);
    for (rule, name, number) in rules.numbers() {
        let (lo, hi) = Rules::range(&rule, &name);
        let key = format!("rules.{rule}.{name}");
        if concerned(&key) && !(lo..=hi).contains(&number) {
            let message = format!("expected a number from {lo} to {hi}, found {number}");
            match &at {
                Some((span, set_key)) => {
                    report.at(span.clone(), set_key, format!("sets {key}: {message}"))
                }
                None => report.at(0..0, &key, message),
            }
        }
    }
    if rules.repression.jail_min_weeks > rules.repression.jail_max_weeks
        && (concerned("rules.repression.jail_min_weeks")
            || concerned("rules.repression.jail_max_weeks"))
    {
        let message = "jail_min_weeks must not exceed jail_max_weeks";
        match &at {
            Some((span, set_key)) => report.at(span.clone(), set_key, message),
            None => report.at(0..0, "rules.repression.jail_min_weeks", message),
        }
    }
}

/// Parameters read only when the world is built, which a dated `set` could not change.
const BUILD_TIME_PARAMETERS: [&str; 1] = ["rules.soviets.seats"];

/// Share of the members who sign a seeded faction's platform when the event does not say.
pub const DEFAULT_FACTION_SHARE: f64 = 0.05;

const ACTIONS: [&str; 9] = [
    "set",
    "party_status",
    "concession",
    "shock",
    "faction",
    "purge",
    "override",
    "dissolve",
    "decide",
];

pub(super) fn resolve<'a>(
    raw: &ScenarioFile,
    map: &'a SourceMap,
    doc: Spanned<DeTable<'a>>,
) -> Result<Scenario, Diagnostics> {
    let mut r = Checker {
        map,
        doc,
        found: Vec::new(),
    };
    check_name(&mut r, raw);
    let (calendar, start, end) = resolve_calendar(&mut r, raw);
    let in_range = |d: Date| match (start, end) {
        (Some(s), Some(e)) => d >= s && d <= e,
        _ => true,
    };
    let replicates = check_replicates(&mut r, raw);
    check_population(&mut r, raw);
    let environment = resolve_environment(&mut r, raw, &in_range, calendar.as_ref());
    let (parties, ruling) = resolve_parties(&mut r, raw);
    let reference = super::reference::resolve(&mut r, raw, &in_range, calendar.as_ref());
    let record = check_record(&mut r, raw);
    check_party_totals(&mut r, raw, &ruling);
    check_rules(&mut r, &raw.rules, None, None);
    let pins = decisions::Pins {
        modes: decisions::resolve_modes(&mut r, raw),
        ruling: ruling.first().copied(),
        factions: decisions::seeded_factions(raw),
    };
    let events = resolve_events(&mut r, raw, calendar, &in_range, &parties, &pins);
    decisions::check_pinned_have_dates(&mut r, raw, &pins.modes);

    if !r.found.is_empty() {
        return Err(Diagnostics(r.found));
    }
    let Some(calendar) = calendar else {
        return Err(Diagnostics(r.found));
    };
    Ok(Scenario {
        files: Vec::new(),
        name: raw.name.get_ref().clone(),
        description: raw.description.clone(),
        sha256: String::new(),
        calendar,
        seed: raw.seed,
        replicates,
        population: raw.population.plain(),
        environment,
        parties,
        ruling_party: ruling.first().copied().unwrap_or(0),
        reference,
        rules: raw.rules.clone(),
        events,
        decisions: pins.modes,
        view: None,
        record,
    })
}

/// `record`: the name of a record file, kept with the key's place for the binary, which
/// reads the record. A reference model does not record the revolution model's metrics, so
/// it cannot be held to the record.
fn check_record(r: &mut Checker, raw: &ScenarioFile) -> Option<RecordName> {
    let named = raw.record.as_ref()?;
    let written = named.get_ref().trim();
    if written.is_empty() {
        r.at(
            named.span(),
            "record",
            "expected the record's file name, relative to this file (`record = \"record/record.toml\"`)",
        );
        return None;
    }
    if raw.reference.is_some() {
        r.at(
            named.span(),
            "record",
            "a reference model cannot be held to the record: the record's targets are the revolution model's metrics and decisions",
        );
        return None;
    }
    let at = r.map.diagnostic(Some(named.span()), Some("record"), "");
    Some(RecordName::new(written.to_string(), at))
}

/// The name names the output folder: lowercase letters, digits, `-` and `_`, at most
/// [`crate::format::ID_MAX_LEN`] of them, as every name that becomes a path.
fn check_name(r: &mut Checker, raw: &ScenarioFile) {
    let name = raw.name.get_ref();
    if !crate::format::is_short_id(name) {
        r.at(
            raw.name.span(),
            "name",
            if crate::format::is_id(name) {
                "expected at most 64 lowercase letters, digits, `-` and `_` (it names the output folder)"
            } else {
                "expected lowercase letters, digits, `-` and `_` only"
            },
        );
    }
}

/// The calendar from `start`, `end` and `step`, with the dates it was made from (each
/// `None` when unreadable); no calendar when either date is unreadable or they are reversed.
fn resolve_calendar(
    r: &mut Checker,
    raw: &ScenarioFile,
) -> (Option<Calendar>, Option<Date>, Option<Date>) {
    let start = r.date(&raw.start, "start").map(|(d, _)| d);
    let end = r.date(&raw.end, "end").map(|(d, p)| match p {
        Precision::Month => d.end_of_month(),
        Precision::Day => d,
    });
    let calendar = match (start, end) {
        (_, Some(e)) if e.ymd().0 > LATEST_END_YEAR => {
            let steps = start
                .filter(|&s| s <= e)
                .map(|s| {
                    let unit = match raw.step {
                        StepKind::Week => "weekly",
                        StepKind::Month => "monthly",
                    };
                    let steps = u64::from(Calendar::new(s, e, raw.step).steps);
                    format!(" ({} {unit} steps)", crate::limits::thousands(steps))
                })
                .unwrap_or_default();
            r.at(
                raw.end.span(),
                "end",
                format!(
                    "expected a date no later than {LATEST_END_YEAR}-12-31 (the model is made for 1917-1930), found {}{steps}",
                    raw.end.get_ref()
                ),
            );
            None
        }
        (Some(s), Some(e)) if s <= e => Some(Calendar::new(s, e, raw.step)),
        (Some(_), Some(_)) => {
            r.at(
                raw.end.span(),
                "end",
                "the end must not come before the start",
            );
            None
        }
        _ => None,
    };
    (calendar, start, end)
}

fn check_replicates(r: &mut Checker, raw: &ScenarioFile) -> u32 {
    let replicates = *raw.replicates.get_ref();
    if !(1..=MAX_REPLICATES).contains(&replicates) {
        r.at(
            raw.replicates.span(),
            "replicates",
            format!("expected 1 to {MAX_REPLICATES}, found {replicates}"),
        );
    }
    replicates
}

/// `[population]`: size, class shares, places, ties and starting attributes.
fn check_population(r: &mut Checker, raw: &ScenarioFile) {
    let pop = &raw.population;
    let agents = *pop.agents.get_ref();
    if agents < 1 {
        r.at(
            pop.agents.span(),
            "population.agents",
            format!("expected 1 to {MAX_AGENTS} agents, found {agents}"),
        );
    } else if agents > MAX_AGENTS {
        let bytes = agents as f64
            * (crate::model::Agents::BYTES_PER_AGENT as f64
                + 8.0 * pop.mean_degree.get_ref().max(0.0));
        r.at(
            pop.agents.span(),
            "population.agents",
            format!(
                "expected 1 to {MAX_AGENTS} agents, found {agents}, which would need about {:.1} GB per replicate",
                bytes / 1e9
            ),
        );
    }
    let shares = pop.classes.get_ref();
    for (class, v) in Class::ALL.iter().zip(shares.as_array()) {
        r.unit(
            pop.classes.span(),
            &format!("population.classes.{}", class.name()),
            v,
        );
    }
    let total: f64 = shares.as_array().iter().sum();
    if (total - 1.0).abs() > 1e-6 {
        r.at(
            pop.classes.span(),
            "population.classes",
            format!(
                "the class shares must sum to 1, they sum to {}",
                (total * 1e6).round() / 1e6
            ),
        );
    }
    if *pop.urban_localities.get_ref() < 1 {
        r.at(
            pop.urban_localities.span(),
            "population.urban_localities",
            "expected at least 1 urban locality",
        );
    }
    if *pop.workplaces.get_ref() < 1 {
        r.at(
            pop.workplaces.span(),
            "population.workplaces",
            "expected at least 1 workplace",
        );
    }
    let degree = *pop.mean_degree.get_ref();
    if !(0.0..=1000.0).contains(&degree) {
        r.at(
            pop.mean_degree.span(),
            "population.mean_degree",
            format!("expected 0 to 1000, found {degree}"),
        );
    }
    r.unit(
        pop.cross_ties.span(),
        "population.cross_ties",
        *pop.cross_ties.get_ref(),
    );
    for class in Class::ALL {
        let o = pop.opinion.get(class);
        let key = format!("population.opinion.{}", class.name());
        for (field, v) in [
            ("authority", o.authority),
            ("property", o.property),
            ("spread", o.spread),
        ] {
            r.unit(0..0, &format!("{key}.{field}"), v);
        }
        r.unit(
            pop.legitimacy.span(),
            &format!("population.legitimacy.{}", class.name()),
            pop.legitimacy.get_ref().get(class),
        );
        r.unit(
            pop.hardship.span(),
            &format!("population.hardship.{}", class.name()),
            pop.hardship.get_ref().get(class),
        );
    }
}

/// `[environment]`: each series checked and placed on the calendar.
fn resolve_environment(
    r: &mut Checker,
    raw: &ScenarioFile,
    in_range: &dyn Fn(Date) -> bool,
    calendar: Option<&Calendar>,
) -> Environment {
    let mut environment = Environment::default();
    for (k, (series, name)) in raw
        .environment
        .all()
        .into_iter()
        .zip(SERIES_NAMES)
        .enumerate()
    {
        let Some(series) = series else { continue };
        let key = format!("environment.{name}");
        if let Some(s) = r.series(series, &key, in_range, calendar) {
            environment.series[k] = s;
        }
    }
    environment
}

/// `[parties]`, in name order, with the indices of those marked ruling.
fn resolve_parties(r: &mut Checker, raw: &ScenarioFile) -> (Vec<PartySetup>, Vec<u32>) {
    let mut parties = Vec::new();
    let mut ruling = Vec::new();
    for (name, spec) in &raw.parties {
        let key = format!("parties.{name}");
        let s = spec.get_ref();
        for v in s.platform {
            r.unit(spec.span(), &format!("{key}.platform"), v);
        }
        r.unit(spec.span(), &format!("{key}.members"), s.members);
        if s.government && (s.ruling || s.restoration || s.status != PartyStatus::Legal) {
            r.at(
                spec.span(),
                &format!("{key}.government"),
                "a coalition partner (`government = true`) must be a legal party that is neither \
                 the ruling party nor a restoration party",
            );
        }
        if s.ruling {
            ruling.push(parties.len() as u32);
        }
        parties.push(PartySetup {
            name: name.clone(),
            platform: Opinion::new(s.platform[0], s.platform[1]),
            status: s.status,
            members: s.members,
            restoration: s.restoration,
            government: s.government,
        });
    }
    (parties, ruling)
}

/// What the parties must satisfy together: one ruling party (unless a reference model is
/// run), at most one restoration party, members no more than the population.
fn check_party_totals(r: &mut Checker, raw: &ScenarioFile, ruling: &[u32]) {
    let restoration = raw
        .parties
        .values()
        .filter(|p| p.get_ref().restoration)
        .count();
    let members: f64 = raw.parties.values().map(|p| p.get_ref().members).sum();
    if ruling.len() != 1 && raw.reference.is_none() {
        r.at(
            0..0,
            "parties",
            format!(
                "exactly one party must have `ruling = true`, found {}",
                ruling.len()
            ),
        );
    }
    if restoration > 1 {
        r.at(
            0..0,
            "parties",
            "at most one party may have `restoration = true`",
        );
    }
    if members > 1.0 + 1e-9 {
        r.at(
            0..0,
            "parties",
            format!("party members add up to {members} of the population, more than all of it"),
        );
    }
}

/// `[[events]]`, in date order, each turned into an action; `set` events accumulate on the
/// rules in force so that later events are checked against them.
fn resolve_events(
    r: &mut Checker,
    raw: &ScenarioFile,
    calendar: Option<Calendar>,
    in_range: &dyn Fn(Date) -> bool,
    parties: &[PartySetup],
    pins: &Pins,
) -> Vec<Event> {
    let mut dated: Vec<(Date, usize)> = Vec::new();
    let mut outside: Vec<usize> = Vec::new();
    let mut undated: Vec<usize> = Vec::new();
    for (k, event) in raw.events.iter().enumerate() {
        if let Some((d, _)) = r.date(&event.get_ref().date, &format!("events[{k}].date")) {
            if !in_range(d) {
                r.at(
                    event.get_ref().date.span(),
                    &format!("events[{k}].date"),
                    format!("{d} lies outside the scenario's start..end"),
                );
                outside.push(k);
            }
            dated.push((d, k));
        } else {
            undated.push(k);
        }
    }
    dated.sort_by_key(|&(d, k)| (d, k));
    // Ids name events for the scenarios that extend this one: each must be unique.
    let mut ids: Vec<(&str, usize)> = Vec::new();
    for (k, event) in raw.events.iter().enumerate() {
        if let Some(id) = &event.get_ref().id {
            if let Some(&(_, first)) = ids.iter().find(|(i, _)| *i == id.get_ref()) {
                r.at(
                    id.span(),
                    &format!("events[{k}].id"),
                    format!(
                        "the id `{}` is already used by events[{first}]; ids must be unique",
                        id.get_ref()
                    ),
                );
            } else {
                ids.push((id.get_ref(), k));
            }
        }
    }
    let mut rules = raw.rules.clone();
    let mut events = Vec::new();
    // Factions seeded so far, in date order, for the purges that name one.
    let mut factions: Vec<String> = Vec::new();
    // The course as the events leave it, for reading which decisions older actions take.
    let mut concession = 0.0;
    let mut statuses: Vec<PartyStatus> = parties.iter().map(|p| p.status).collect();
    for (date, k) in dated {
        let spec = raw.events[k].get_ref();
        let party = spec
            .party
            .as_ref()
            .and_then(|name| parties.iter().position(|p| p.name == *name.get_ref()));
        let before = Before {
            rules: &rules,
            concession,
            party_status: party.map(|p| statuses[p]),
        };
        decisions::check_not_forbidden(r, spec, k, &before, &pins.modes);
        match (spec.action.get_ref().as_str(), &spec.level, &spec.status) {
            ("concession", Some(level), _) => concession = *level.get_ref(),
            ("party_status", _, Some(status)) => {
                if let Some(p) = party {
                    statuses[p] = *status.get_ref();
                }
            }
            _ => {}
        }
        let resolved = resolve_action(r, spec, k, parties, &mut rules, &mut factions, pins);
        if let Some(action) = resolved {
            let step = calendar.map_or(0, |c| c.step_on_or_after(date));
            if let Some(cal) = &calendar
                && step >= cal.steps
                && !outside.contains(&k)
            {
                let last = cal.date(cal.steps.saturating_sub(1));
                r.at(
                    spec.date.span(),
                    &format!("events[{k}].date"),
                    format!(
                        "{date} falls after the last step ({last}), so the event would never happen"
                    ),
                );
            }
            let label = spec
                .id
                .as_ref()
                .map_or_else(|| spec.action.get_ref().clone(), |id| id.get_ref().clone());
            events.push(Event {
                step,
                action,
                label,
            });
        }
    }
    // An event whose date is wrong still has its action checked (as of the end of the
    // course), so that one mistake does not hide another.
    for k in undated {
        let spec = raw.events[k].get_ref();
        resolve_action(r, spec, k, parties, &mut rules, &mut factions, pins);
    }
    events
}

/// Checks one event and turns it into an action, or reports why it cannot.
fn resolve_action(
    r: &mut Checker,
    e: &EventSpec,
    k: usize,
    parties: &[PartySetup],
    rules: &mut Rules,
    factions: &mut Vec<String>,
    pins: &Pins,
) -> Option<Action> {
    let key = |field: &str| event_key(k, field);
    let action = e.action.get_ref().as_str();
    if let Some(remove) = &e.remove {
        r.at(
            remove.span(),
            &key("remove"),
            "`remove` works only in a scenario that extends another, with the `id` of an inherited event",
        );
        return None;
    }
    if !check_fields(r, e, k) {
        return None;
    }
    match action {
        "set" => set_action(r, e, k, rules),
        "party_status" => party_status_action(r, e, k, parties),
        "concession" => concession_action(r, e, k),
        "shock" => shock_action(r, e, k, parties, factions),
        "faction" => faction_action(r, e, k, factions),
        "purge" => purge_action(r, e, k, factions),
        "override" | "dissolve" => level_action(r, e, k, action),
        "decide" => decisions::decide_action(r, e, k, parties, pins),
        _ => None,
    }
}

/// Whether the event has every field its action needs and none it does not take; an
/// unknown action is reported here.
fn check_fields(r: &mut Checker, e: &EventSpec, k: usize) -> bool {
    let key = |field: &str| event_key(k, field);
    let action = e.action.get_ref().as_str();
    let fields: [(&str, bool); 12] = [
        ("path", e.path.is_some()),
        ("value", e.value.is_some()),
        ("party", e.party.is_some()),
        ("status", e.status.is_some()),
        ("level", e.level.is_some()),
        ("attribute", e.attribute.is_some()),
        ("delta", e.delta.is_some()),
        ("class", e.class.is_some()),
        ("name", e.name.is_some()),
        ("platform", e.platform.is_some()),
        ("target", e.target.is_some()),
        ("decision", e.decision.is_some()),
    ];
    // The fields each action needs, and those it may take.
    let (required, optional): (&[&str], &[&str]) = match action {
        "set" => (&["path", "value"], &[]),
        "party_status" => (&["party", "status"], &[]),
        "concession" => (&["level"], &[]),
        "shock" => (&["attribute", "delta"], &["class", "party", "name"]),
        "faction" => (&["name", "platform"], &["level"]),
        "purge" => (&["target", "level"], &[]),
        "override" | "dissolve" => (&["level"], &[]),
        "decide" => (&["decision"], &["target", "level"]),
        other => {
            r.at(
                e.action.span(),
                &key("action"),
                format!(
                    "unknown action `{other}`; expected one of {}{}",
                    ACTIONS.join(", "),
                    suggest(other, ACTIONS)
                ),
            );
            return false;
        }
    };
    let mut ok = true;
    for (field, present) in fields {
        if required.contains(&field) && !present {
            r.at(
                e.action.span(),
                &key(field),
                format!("action `{action}` needs `{field}`"),
            );
            ok = false;
        }
        if present && !required.contains(&field) && !optional.contains(&field) {
            r.at(
                e.action.span(),
                &key(field),
                format!("action `{action}` does not take `{field}`"),
            );
            ok = false;
        }
    }
    ok
}

/// `set`: one rule parameter changed from then on, checked against its range.
fn set_action(r: &mut Checker, e: &EventSpec, k: usize, rules: &mut Rules) -> Option<Action> {
    let key = |field: &str| event_key(k, field);
    let (path, value) = (e.path.as_ref()?, e.value.as_ref()?);
    if BUILD_TIME_PARAMETERS.contains(&path.get_ref().as_str()) {
        r.at(
            path.span(),
            &key("path"),
            format!(
                "`{}` is fixed when the world is built; set it in the rule's table instead of by an event",
                path.get_ref()
            ),
        );
        return None;
    }
    match rules.with_set(path.get_ref(), value.get_ref()) {
        Ok(next) => {
            let before = r.found.len();
            check_rules(
                r,
                &next,
                Some((value.span(), &key("value"))),
                Some(path.get_ref()),
            );
            *rules = next;
            (r.found.len() == before).then(|| Action::Set {
                path: path.get_ref().clone(),
                value: value.get_ref().clone(),
            })
        }
        Err(err) => {
            let hint = match &err {
                crate::rules::SetError::UnknownRule(rule) => {
                    suggest(rule, crate::rules::RULE_NAMES)
                }
                crate::rules::SetError::UnknownParameter { rule, parameter } => {
                    let names = Rules::parameter_names(rule);
                    suggest(parameter, names.iter().map(String::as_str))
                }
                _ => String::new(),
            };
            if let crate::rules::SetError::Value(why) = &err {
                r.at(
                    value.span(),
                    &key("value"),
                    format!(
                        "sets {}: {}",
                        path.get_ref(),
                        set_value_wanted(rules, path.get_ref(), why)
                    ),
                );
            } else {
                r.at(path.span(), &key("path"), format!("{err}{hint}"));
            }
            None
        }
    }
}

/// What a `set` event's value should have been, from serde's complaint `why`: a name out
/// of a list is shown with its suggestion, and a number with its parameter's range.
fn set_value_wanted(rules: &Rules, path: &str, why: &str) -> String {
    let plain = crate::format::plain(why);
    let mut parts = path.split('.').skip(1);
    let (Some(rule), Some(parameter)) = (parts.next(), parts.next()) else {
        return plain;
    };
    let is_number = rules
        .numbers()
        .iter()
        .any(|(r, p, _)| r == rule && p == parameter);
    if is_number {
        let (lo, hi) = Rules::range(rule, parameter);
        format!("{plain}; the parameter is a number from {lo} to {hi}")
    } else {
        plain
    }
}

/// `party_status`: a party of the scenario and its new status.
fn party_status_action(
    r: &mut Checker,
    e: &EventSpec,
    k: usize,
    parties: &[PartySetup],
) -> Option<Action> {
    let key = |field: &str| event_key(k, field);
    let party = e.party.as_ref()?;
    match parties.iter().position(|p| p.name == *party.get_ref()) {
        Some(index) => Some(Action::PartyStatus {
            party: index as u32,
            status: *e.status.as_ref()?.get_ref(),
        }),
        None => {
            let names = parties.iter().map(|p| p.name.as_str());
            r.at(
                party.span(),
                &key("party"),
                format!(
                    "no party named `{}`{}",
                    party.get_ref(),
                    suggest(party.get_ref(), names)
                ),
            );
            None
        }
    }
}

/// `concession`: a level in [0, 1].
fn concession_action(r: &mut Checker, e: &EventSpec, k: usize) -> Option<Action> {
    let key = |field: &str| event_key(k, field);
    let level = e.level.as_ref()?;
    r.unit(level.span(), &key("level"), *level.get_ref());
    Some(Action::Concession {
        level: *level.get_ref(),
    })
}

/// `shock`: an attribute, a change in [-1, 1] and, optionally, the class, the party and the
/// faction (seeded by an earlier event) it hits.
fn shock_action(
    r: &mut Checker,
    e: &EventSpec,
    k: usize,
    parties: &[PartySetup],
    factions: &[String],
) -> Option<Action> {
    let key = |field: &str| event_key(k, field);
    let attribute = e.attribute.as_ref()?;
    let delta = e.delta.as_ref()?;
    if !(-1.0..=1.0).contains(delta.get_ref()) {
        r.at(
            delta.span(),
            &key("delta"),
            format!("expected a number from -1 to 1, found {}", delta.get_ref()),
        );
    }
    let parsed = ShockAttribute::parse(attribute.get_ref());
    if parsed.is_none() {
        r.at(
            attribute.span(),
            &key("attribute"),
            format!(
                "unknown attribute `{}`; expected one of {}{}",
                attribute.get_ref(),
                ShockAttribute::NAMES.join(", "),
                suggest(attribute.get_ref(), ShockAttribute::NAMES)
            ),
        );
    }
    let class = match &e.class {
        None => None,
        Some(c) => match Class::ALL.iter().find(|k| k.name() == c.get_ref()) {
            Some(k) => Some(*k),
            None => {
                let names = Class::ALL.map(Class::name);
                r.at(
                    c.span(),
                    &key("class"),
                    format!(
                        "unknown class `{}`; expected one of {}{}",
                        c.get_ref(),
                        names.join(", "),
                        suggest(c.get_ref(), names)
                    ),
                );
                return None;
            }
        },
    };
    let party = match &e.party {
        None => None,
        Some(name) => match parties.iter().position(|p| p.name == *name.get_ref()) {
            Some(index) => Some(index as u32),
            None => {
                let names = parties.iter().map(|p| p.name.as_str());
                r.at(
                    name.span(),
                    &key("party"),
                    format!(
                        "no party named `{}`{}",
                        name.get_ref(),
                        suggest(name.get_ref(), names)
                    ),
                );
                return None;
            }
        },
    };
    let faction = match &e.name {
        None => None,
        Some(name) if factions.contains(name.get_ref()) => Some(name.get_ref().clone()),
        Some(name) => {
            r.at(
                name.span(),
                &key("name"),
                format!(
                    "no faction named `{}` comes forward before this shock{}; a shock's `name` is a faction seeded by an earlier `faction` event",
                    name.get_ref(),
                    suggest(name.get_ref(), factions.iter().map(String::as_str))
                ),
            );
            return None;
        }
    };
    Some(Action::Shock {
        attribute: parsed?,
        delta: *delta.get_ref(),
        class,
        party,
        faction,
    })
}

/// `faction`: a faction of the ruling party seeded with a platform; its name is then a purge target.
fn faction_action(
    r: &mut Checker,
    e: &EventSpec,
    k: usize,
    factions: &mut Vec<String>,
) -> Option<Action> {
    let key = |field: &str| event_key(k, field);
    let name = e.name.as_ref()?;
    let platform = e.platform.as_ref()?;
    let before = r.found.len();
    if name.get_ref().trim().is_empty() {
        r.at(
            name.span(),
            &key("name"),
            "a faction needs a non-empty name",
        );
    }
    if PurgeTarget::NAMES.contains(&name.get_ref().as_str()) {
        r.at(
            name.span(),
            &key("name"),
            format!(
                "`{}` is a purge target's name; choose another faction name",
                name.get_ref()
            ),
        );
    }
    for v in platform.get_ref() {
        r.unit(platform.span(), &key("platform"), *v);
    }
    if !factions.contains(name.get_ref()) {
        factions.push(name.get_ref().clone());
    }
    let share = match &e.level {
        Some(level) => {
            r.unit(level.span(), &key("level"), *level.get_ref());
            *level.get_ref()
        }
        None => DEFAULT_FACTION_SHARE,
    };
    let [authority, property] = *platform.get_ref();
    (r.found.len() == before).then(|| Action::Faction {
        name: name.get_ref().clone(),
        platform: Opinion::new(authority, property),
        share,
    })
}

/// `purge`: careerists, critics or a faction seeded by an earlier event, at a level.
fn purge_action(r: &mut Checker, e: &EventSpec, k: usize, factions: &[String]) -> Option<Action> {
    let key = |field: &str| event_key(k, field);
    let target = e.target.as_ref()?;
    let level = e.level.as_ref()?;
    r.unit(level.span(), &key("level"), *level.get_ref());
    let parsed = match target.get_ref().as_str() {
        "careerists" => Some(PurgeTarget::Careerists),
        "critics" => Some(PurgeTarget::Critics),
        name if factions.iter().any(|f| f == name) => Some(PurgeTarget::Faction(name.to_string())),
        other => {
            let names: Vec<&str> = PurgeTarget::NAMES
                .iter()
                .copied()
                .chain(factions.iter().map(String::as_str))
                .collect();
            r.at(
                target.span(),
                &key("target"),
                format!(
                    "unknown purge target `{other}`; expected careerists, critics or a faction seeded by an earlier event ({}){}",
                    if factions.is_empty() {
                        "none so far".to_string()
                    } else {
                        factions.join(", ")
                    },
                    suggest(other, names)
                ),
            );
            None
        }
    };
    Some(Action::Purge {
        target: parsed?,
        level: *level.get_ref(),
    })
}

/// `override` and `dissolve`: a level in [0, 1].
fn level_action(r: &mut Checker, e: &EventSpec, k: usize, action: &str) -> Option<Action> {
    let key = |field: &str| event_key(k, field);
    let level = e.level.as_ref()?;
    r.unit(level.span(), &key("level"), *level.get_ref());
    let level = *level.get_ref();
    Some(if action == "override" {
        Action::Override { level }
    } else {
        Action::Dissolve { level }
    })
}

/// The dotted key of an event's field, `events[k].field`, as diagnostics name it.
pub(super) fn event_key(k: usize, field: &str) -> String {
    format!("events[{k}].{field}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    const BASE: &str = r#"
name = "t"
description = "test"
start = "1917-11"
end = "1918-12"
[parties.bolsheviks]
platform = [0.6, 0.1]
members = 0.05
ruling = true
[parties.kadets]
platform = [0.8, 0.9]
restoration = true
"#;

    fn errors(extra: &str) -> Vec<Diagnostic> {
        match Scenario::parse(&format!("{BASE}{extra}"), "t.toml") {
            Ok(_) => Vec::new(),
            Err(d) => d.0,
        }
    }

    #[test]
    fn a_minimal_scenario_is_valid() {
        let s = Scenario::parse(BASE, "t.toml").unwrap();
        assert_eq!(s.name, "t");
        assert_eq!(s.parties.len(), 2);
        assert_eq!(s.parties[s.ruling_party as usize].name, "bolsheviks");
        assert!(s.steps() > 50);
        assert_eq!(s.sha256.len(), 64);
    }

    #[test]
    fn unknown_keys_are_errors_with_their_location() {
        let e = errors("[rules.repression]\ncapacty = 3.0\n");
        assert_eq!(e.len(), 1);
        assert!(e[0].message.contains("capacty"), "{}", e[0].message);
        assert_eq!(e[0].line, BASE.lines().count() + 2);
    }

    #[test]
    fn out_of_range_values_point_at_the_value() {
        let e = errors("[rules.repression]\nwitness_fear = 1.5\n");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].key.as_deref(), Some("rules.repression.witness_fear"));
        assert_eq!(e[0].line, BASE.lines().count() + 2);
        assert_eq!(e[0].column, 16);
    }

    #[test]
    fn all_errors_are_reported_at_once() {
        let e = errors(
            "[population]\nagents = 20000000\n[[events]]\ndate = \"1925-01\"\naction = \"sett\"\n[[events]]\ndate = \"1918-02\"\naction = \"set\"\npath = \"rules.repression.capacty\"\nvalue = 3.0\n",
        );
        let text: Vec<String> = e.iter().map(|d| d.to_string()).collect();
        assert_eq!(e.len(), 4, "{text:#?}");
        assert!(text.iter().any(|t| t.contains("outside the scenario")));
        assert!(text.iter().any(|t| t.contains("did you mean `set`")));
        assert!(text.iter().any(|t| t.contains("did you mean `capacity`")));
        assert!(text.iter().any(|t| t.contains("GB")));
    }

    #[test]
    fn class_shares_must_sum_to_one() {
        let e = errors(
            "[population.classes]\nworker = 0.5\npeasant = 0.5\nsoldier = 0.1\nspecialist = 0.0\n",
        );
        assert_eq!(e.len(), 1);
        assert!(e[0].message.contains("sum to 1"));
    }

    #[test]
    fn series_must_not_go_backward_or_be_empty() {
        let e = errors(
            "[environment]\ncivil_war = [[\"1918-06\", 0.5], [\"1918-05\", 0.6]]\nfood_supply = []\n",
        );
        assert_eq!(e.len(), 2, "{e:#?}");
    }

    #[test]
    fn set_events_check_the_value_they_set() {
        let e = errors(
            "[[events]]\ndate = \"1918-02\"\naction = \"set\"\npath = \"rules.repression.execution_share\"\nvalue = 2.0\n",
        );
        assert_eq!(e.len(), 1);
        assert!(e[0].message.contains("execution_share"));
        let ok = Scenario::parse(&format!("{BASE}[[events]]\ndate = \"1918-02\"\naction = \"set\"\npath = \"rules.repression.capacity\"\nvalue = 5.0\n"), "t.toml").unwrap();
        match &ok.events[0].action {
            Action::Set { path, value } => {
                assert_eq!(path, "rules.repression.capacity");
                assert_eq!(value.as_float(), Some(5.0));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn actions_take_exactly_their_fields() {
        let e = errors(
            "[[events]]\ndate = \"1918-02\"\naction = \"concession\"\nlevel = 0.5\nparty = \"kadets\"\n",
        );
        assert_eq!(e.len(), 1);
        assert!(e[0].message.contains("does not take `party`"));
        let e = errors(
            "[[events]]\ndate = \"1918-02\"\naction = \"party_status\"\nparty = \"kadet\"\nstatus = \"banned\"\n",
        );
        assert_eq!(e.len(), 1);
        assert!(e[0].message.contains("did you mean `kadets`"));
    }

    #[test]
    fn names_are_checked() {
        let e = Scenario::parse(
            &BASE.replace("name = \"t\"", "name = \"Bad Name\""),
            "t.toml",
        )
        .unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].key.as_deref(), Some("name"));
    }

    #[test]
    fn an_event_after_the_last_step_is_an_error() {
        // The last weekly step of 1917-11-01 .. 1918-12-31 is 1918-12-26.
        let e = errors("[[events]]\ndate = \"1918-12-30\"\naction = \"concession\"\nlevel = 0.5\n");
        assert_eq!(e.len(), 1, "{e:#?}");
        assert!(e[0].message.contains("after the last step"));
        assert!(
            errors("[[events]]\ndate = \"1918-12-26\"\naction = \"concession\"\nlevel = 0.5\n")
                .is_empty()
        );
    }

    #[test]
    fn party_life_events_resolve_to_their_actions() {
        let text = format!(
            "{BASE}[[events]]\ndate = \"1918-02\"\naction = \"faction\"\nname = \"left_communists\"\nplatform = [0.3, 0.05]\n[[events]]\ndate = \"1918-05\"\naction = \"purge\"\ntarget = \"left_communists\"\nlevel = 0.5\n[[events]]\ndate = \"1918-06\"\naction = \"override\"\nlevel = 1.0\n[[events]]\ndate = \"1918-07\"\naction = \"dissolve\"\nlevel = 0.5\n"
        );
        let scenario = Scenario::parse(&text, "t.toml").unwrap();
        let actions: Vec<&Action> = scenario.events.iter().map(|e| &e.action).collect();
        assert!(
            matches!(actions[0], Action::Faction { name, share, .. } if name == "left_communists" && *share == DEFAULT_FACTION_SHARE)
        );
        assert!(
            matches!(actions[1], Action::Purge { target: PurgeTarget::Faction(f), level } if f == "left_communists" && *level == 0.5)
        );
        assert!(matches!(actions[2], Action::Override { level } if *level == 1.0));
        assert!(matches!(actions[3], Action::Dissolve { level } if *level == 0.5));
    }

    #[test]
    fn a_purge_must_name_a_known_target_seeded_before_it() {
        // The faction comes forward only after the purge that names it.
        let e = errors(
            "[[events]]\ndate = \"1918-05\"\naction = \"purge\"\ntarget = \"left_communists\"\nlevel = 0.5\n[[events]]\ndate = \"1918-08\"\naction = \"faction\"\nname = \"left_communists\"\nplatform = [0.3, 0.05]\n",
        );
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].key.as_deref(), Some("events[0].target"));
        let e = errors(
            "[[events]]\ndate = \"1918-05\"\naction = \"purge\"\ntarget = \"critcs\"\nlevel = 0.5\n",
        );
        assert!(
            e[0].message.contains("did you mean `critics`"),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn party_life_events_check_their_fields_and_ranges() {
        let e = errors(
            "[[events]]\ndate = \"1918-05\"\naction = \"faction\"\nname = \"x\"\nplatform = [1.5, 0.0]\nlevel = 2.0\n[[events]]\ndate = \"1918-06\"\naction = \"override\"\n[[events]]\ndate = \"1918-07\"\naction = \"dissolve\"\nlevel = 0.5\ntarget = \"critics\"\n",
        );
        let keys: Vec<&str> = e.iter().filter_map(|d| d.key.as_deref()).collect();
        assert!(keys.contains(&"events[0].platform"), "{keys:?}");
        assert!(keys.contains(&"events[0].level"), "{keys:?}");
        assert!(keys.contains(&"events[1].level"), "{keys:?}");
        assert!(keys.contains(&"events[2].target"), "{keys:?}");
    }
}
