//! Checks of a `[reference]` table: each key must belong to the chosen model, values must lie
//! in range, the scenario must switch off every rule the model does not use (and keep on
//! those it does), and it may hold no parties or events, which a reference model would
//! silently ignore.

use super::schema::ScenarioFile;
use super::validate::Checker;
use crate::date::Date;
use crate::model::{Calendar, Series};
use crate::reference::{
    DeffuantConfig, EPSTEIN_DEFAULT_COP_DENSITY, EPSTEIN_DEFAULT_LEGITIMACY, EpsteinConfig,
    GranovetterConfig, ReferenceKind, ReferenceModel,
};
use crate::rules::RULE_NAMES;

/// Largest grid side, and most Granovetter agents.
const MAX_SIDE: u32 = 10_000;
const MAX_THRESHOLDS: usize = 1_000_000;

pub(super) fn resolve(
    r: &mut Checker,
    raw: &ScenarioFile,
    in_range: &dyn Fn(Date) -> bool,
    calendar: Option<&Calendar>,
) -> Option<ReferenceModel> {
    let spanned = raw.reference.as_ref()?;
    let spec = spanned.get_ref();
    let kind = *spec.model.get_ref();
    let before = r.found.len();
    for (key, span) in spec.given() {
        if !kind.keys().contains(&key) {
            r.at(
                span,
                &format!("reference.{key}"),
                format!(
                    "`{key}` does not apply to the {} model; its keys are: {}",
                    kind.name(),
                    kind.keys().join(", ")
                ),
            );
        }
    }
    // The model reads only its own rules; the file must say so.
    let rules = toml::Table::try_from(&raw.rules).unwrap_or_default();
    let used = kind.rules_used();
    for rule in RULE_NAMES {
        let enabled = rules
            .get(rule)
            .and_then(|t| t.get("enabled"))
            .and_then(toml::Value::as_bool)
            .unwrap_or(true);
        let uses = used.contains(&rule);
        if enabled != uses {
            let message = if uses {
                format!(
                    "the {} model uses the {rule} rule: it must stay enabled",
                    kind.name()
                )
            } else {
                format!(
                    "the {} model uses only the {} rule(s): set `enabled = false` in [rules.{rule}]",
                    kind.name(),
                    used.join(" and ")
                )
            };
            // At the `enabled` the file wrote, or else at the model that needs it.
            let key = format!("rules.{rule}.enabled");
            let written = r.has_key(&key);
            let span = if written { 0..0 } else { spec.model.span() };
            r.at(span, &key, message);
        }
    }
    if !raw.parties.is_empty() {
        r.at(0..0, "parties", "a reference model has no parties");
    }
    if let Some(e) = raw.events.first() {
        r.at(
            e.span(),
            "events",
            "a reference model takes no events: its changes over time are dated series in [reference]",
        );
    }
    let series = |r: &mut Checker,
                  s: &Option<toml::Spanned<Vec<super::schema::SeriesPoint>>>,
                  key: &str,
                  default: f64| match s {
        Some(s) => r.series(s, key, in_range, calendar),
        None => Some(Series::new(vec![(0.0, default)])),
    };
    let model = match kind {
        ReferenceKind::Epstein => {
            let side =
                |r: &mut Checker, v: &Option<toml::Spanned<u32>>, key: &str, default: u32| {
                    let value = v.as_ref().map_or(default, |v| *v.get_ref());
                    if !(1..=MAX_SIDE).contains(&value) {
                        r.at(
                            v.as_ref().map_or(0..0, |v| v.span()),
                            key,
                            format!("expected 1 to {MAX_SIDE}, found {value}"),
                        );
                    }
                    value
                };
            let width = side(r, &spec.width, "reference.width", 40);
            let height = side(r, &spec.height, "reference.height", 40);
            let vision = side(r, &spec.vision, "reference.vision", 7);
            let cop_vision = side(r, &spec.cop_vision, "reference.cop_vision", 7);
            let citizen_density = spec.citizen_density.as_ref().map_or(0.7, |v| *v.get_ref());
            if let Some(v) = &spec.citizen_density {
                r.unit(v.span(), "reference.citizen_density", citizen_density);
            }
            let cop_density = series(
                r,
                &spec.cop_density,
                "reference.cop_density",
                EPSTEIN_DEFAULT_COP_DENSITY,
            );
            let legitimacy = series(
                r,
                &spec.legitimacy,
                "reference.legitimacy",
                EPSTEIN_DEFAULT_LEGITIMACY,
            );
            let most_cops = spec
                .cop_density
                .as_ref()
                .map_or(EPSTEIN_DEFAULT_COP_DENSITY, |s| {
                    s.get_ref()
                        .iter()
                        .map(|(_, v)| *v.get_ref())
                        .fold(0.0, f64::max)
                });
            if citizen_density + most_cops > 1.0 {
                r.at(
                    spec.citizen_density.as_ref().map_or(0..0, |v| v.span()),
                    "reference.citizen_density",
                    format!(
                        "citizens ({citizen_density}) and cops (up to {most_cops}) need more than every cell: their densities must sum to 1 or less"
                    ),
                );
            }
            let outburst_level = spec.outburst_level.as_ref().map_or(50.0, |v| *v.get_ref());
            if !(outburst_level.is_finite() && outburst_level >= 0.0) {
                r.at(
                    spec.outburst_level.as_ref().map_or(0..0, |v| v.span()),
                    "reference.outburst_level",
                    "expected a count of active citizens, 0 or more",
                );
            }
            match (cop_density, legitimacy) {
                (Some(cop_density), Some(legitimacy)) => ReferenceModel::Epstein(EpsteinConfig {
                    width,
                    height,
                    citizen_density,
                    cop_density,
                    legitimacy,
                    vision,
                    cop_vision,
                    vision_shape: spec
                        .vision_shape
                        .as_ref()
                        .map(|v| *v.get_ref())
                        .unwrap_or_default(),
                    jail_draw: spec
                        .jail_draw
                        .as_ref()
                        .map(|v| *v.get_ref())
                        .unwrap_or_default(),
                    jailed_keep_cell: spec.jailed_keep_cell.as_ref().is_some_and(|v| *v.get_ref()),
                    order: spec
                        .order
                        .as_ref()
                        .map(|v| *v.get_ref())
                        .unwrap_or_default(),
                    placement: spec
                        .placement
                        .as_ref()
                        .map(|v| *v.get_ref())
                        .unwrap_or_default(),
                    movement: spec.movement.as_ref().is_none_or(|v| *v.get_ref()),
                    outburst_level,
                }),
                _ => return None,
            }
        }
        ReferenceKind::Deffuant => {
            let agents = *raw.population.agents.get_ref();
            let encounters = spec
                .encounters
                .as_ref()
                .map_or((agents / 2).max(1), |v| *v.get_ref());
            let cluster_share = spec.cluster_share.as_ref().map_or(0.02, |v| *v.get_ref());
            if let Some(v) = &spec.cluster_share {
                r.unit(v.span(), "reference.cluster_share", cluster_share);
            }
            let cluster_gap = spec.cluster_gap.as_ref().map_or(0.01, |v| *v.get_ref());
            if !(cluster_gap > 0.0 && cluster_gap <= 1.0) {
                r.at(
                    spec.cluster_gap.as_ref().map_or(0..0, |v| v.span()),
                    "reference.cluster_gap",
                    format!("expected a number above 0 and at most 1, found {cluster_gap}"),
                );
            }
            ReferenceModel::Deffuant(DeffuantConfig {
                encounters,
                cluster_share,
                cluster_gap,
            })
        }
        ReferenceKind::Granovetter => match &spec.thresholds {
            Some(t) if !t.get_ref().is_empty() && t.get_ref().len() <= MAX_THRESHOLDS => {
                ReferenceModel::Granovetter(GranovetterConfig {
                    thresholds: t.get_ref().clone(),
                })
            }
            Some(t) => {
                r.at(
                    t.span(),
                    "reference.thresholds",
                    format!("expected 1 to {MAX_THRESHOLDS} thresholds, one per agent"),
                );
                return None;
            }
            None => {
                r.at(
                    spanned.span(),
                    "reference.thresholds",
                    "the granovetter model needs `thresholds`: one per agent, the number of others who must act first",
                );
                return None;
            }
        },
    };
    (r.found.len() == before).then_some(model)
}
