//! The scenario file as written: a plain mirror of the TOML, deserialized by serde with
//! unknown keys rejected. Defaults live here, next to each field's meaning and unit; checks
//! that need more than one field (dates, sums, names) come in a second pass
//! ([`super::validate`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::model::{
    ClassValues, OpinionStart, OpinionStarts, PartyStatus, Population, Rules, StepKind,
};

/// A whole scenario file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// The scenario this one changes, as a file name relative to this file: its tables are
    /// merged key by key with this file's, and its events kept unless replaced or removed.
    #[serde(default)]
    pub extends: Option<Spanned<String>>,
    /// The record of the shared history the scenario's runs are held to, as a file name
    /// relative to the file that names it (inherited through `extends`). The library keeps
    /// the name; the binary reads and checks the record.
    #[serde(default)]
    pub record: Option<Spanned<String>>,
    /// Short name, used for the output folder: lowercase letters, digits, `-` and `_`.
    pub name: Spanned<String>,
    /// One or two sentences saying what the scenario is and which essay it follows.
    pub description: String,
    /// First day simulated, `YYYY-MM` (its first day) or `YYYY-MM-DD`.
    pub start: Spanned<String>,
    /// Last day simulated, inclusive; `YYYY-MM` means the whole month.
    pub end: Spanned<String>,
    /// Length of one step (default: `"week"`).
    #[serde(default)]
    pub step: StepKind,
    /// Seed of the random streams (default: 1917).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Number of Monte-Carlo replicates (default: 16).
    #[serde(default = "default_replicates")]
    pub replicates: Spanned<u32>,
    /// Who lives in the model and how they are tied.
    #[serde(default)]
    pub population: PopulationSpec,
    /// The dated series.
    #[serde(default)]
    pub environment: EnvironmentSpec,
    /// The parties, by name.
    #[serde(default)]
    pub parties: BTreeMap<String, Spanned<PartySpec>>,
    /// One table per rule, `[rules.<name>]`.
    #[serde(default)]
    pub rules: Rules,
    /// Dated events.
    #[serde(default)]
    pub events: Vec<Spanned<EventSpec>>,
    /// `[decisions]`: how the scenario treats each of the leadership's decisions, by name:
    /// `"endogenous"` (the model takes it), `"pinned"` (taken on the dates of `decide`
    /// events) or `"forbidden"` (never taken). Omitted decisions are endogenous; the names
    /// are checked with the rest of the keys, the modes in [`super::decisions`].
    #[serde(default)]
    pub decisions: BTreeMap<String, Spanned<String>>,
    /// A published reference model to run instead of the revolution model
    /// (`docs/validation.md`).
    #[serde(default)]
    pub reference: Option<Spanned<ReferenceSpec>>,
}

/// `[reference]`: which published model, and its settings. Each key applies to one model
/// ([`crate::reference::ReferenceKind::keys`]); defaults are those of the published runs.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceSpec {
    pub model: Spanned<crate::reference::ReferenceKind>,
    /// Epstein: grid width and height in cells (default 40 x 40).
    #[serde(default)]
    pub width: Option<Spanned<u32>>,
    #[serde(default)]
    pub height: Option<Spanned<u32>>,
    /// Epstein: share of cells holding a citizen (default 0.7).
    #[serde(default)]
    pub citizen_density: Option<Spanned<f64>>,
    /// Epstein: cops per cell, a dated series (default 0.04 throughout).
    #[serde(default)]
    pub cop_density: Option<Spanned<Vec<SeriesPoint>>>,
    /// Epstein: the regime's legitimacy L, a dated series (default 0.82 throughout).
    #[serde(default)]
    pub legitimacy: Option<Spanned<Vec<SeriesPoint>>>,
    /// Epstein: citizens' and cops' vision radius in cells (default 7 each).
    #[serde(default)]
    pub vision: Option<Spanned<u32>>,
    #[serde(default)]
    pub cop_vision: Option<Spanned<u32>>,
    /// Epstein: `von_neumann` (default), `moore` or `disk`.
    #[serde(default)]
    pub vision_shape: Option<Spanned<crate::reference::VisionShape>>,
    /// Epstein: jail terms from `zero_to_max` (default) or `zero_to_below_max`.
    #[serde(default)]
    pub jail_draw: Option<Spanned<crate::reference::JailDraw>>,
    /// Epstein: whether a jailed citizen keeps its cell (default false).
    #[serde(default)]
    pub jailed_keep_cell: Option<Spanned<bool>>,
    /// Epstein: `move_then_act` (default) or `act_then_move`.
    #[serde(default)]
    pub order: Option<Spanned<crate::reference::TurnOrder>>,
    /// Epstein: `exact` (default) or `cell_draw`.
    #[serde(default)]
    pub placement: Option<Spanned<crate::reference::Placement>>,
    /// Epstein: whether agents move (default true).
    #[serde(default)]
    pub movement: Option<Spanned<bool>>,
    /// Epstein: the count of actives whose upward crossing is an outburst (default 50).
    #[serde(default)]
    pub outburst_level: Option<Spanned<f64>>,
    /// Deffuant: random pairs meeting per step (default: half the agents).
    #[serde(default)]
    pub encounters: Option<Spanned<u32>>,
    /// Deffuant: least share of agents in a major cluster (default 0.02).
    #[serde(default)]
    pub cluster_share: Option<Spanned<f64>>,
    /// Deffuant: largest gap between sorted opinions inside a cluster (default 0.01).
    #[serde(default)]
    pub cluster_gap: Option<Spanned<f64>>,
    /// Granovetter: each agent's threshold, the number of others who must act first.
    #[serde(default)]
    pub thresholds: Option<Spanned<Vec<u32>>>,
}

impl ReferenceSpec {
    /// The keys given in the file (besides `model`), with where.
    pub fn given(&self) -> Vec<(&'static str, std::ops::Range<usize>)> {
        let mut out = Vec::new();
        let mut note = |key: &'static str, span: Option<std::ops::Range<usize>>| {
            if let Some(span) = span {
                out.push((key, span));
            }
        };
        note("width", self.width.as_ref().map(|v| v.span()));
        note("height", self.height.as_ref().map(|v| v.span()));
        note(
            "citizen_density",
            self.citizen_density.as_ref().map(|v| v.span()),
        );
        note("cop_density", self.cop_density.as_ref().map(|v| v.span()));
        note("legitimacy", self.legitimacy.as_ref().map(|v| v.span()));
        note("vision", self.vision.as_ref().map(|v| v.span()));
        note("cop_vision", self.cop_vision.as_ref().map(|v| v.span()));
        note("vision_shape", self.vision_shape.as_ref().map(|v| v.span()));
        note("jail_draw", self.jail_draw.as_ref().map(|v| v.span()));
        note(
            "jailed_keep_cell",
            self.jailed_keep_cell.as_ref().map(|v| v.span()),
        );
        note("order", self.order.as_ref().map(|v| v.span()));
        note("placement", self.placement.as_ref().map(|v| v.span()));
        note("movement", self.movement.as_ref().map(|v| v.span()));
        note(
            "outburst_level",
            self.outburst_level.as_ref().map(|v| v.span()),
        );
        note("encounters", self.encounters.as_ref().map(|v| v.span()));
        note(
            "cluster_share",
            self.cluster_share.as_ref().map(|v| v.span()),
        );
        note("cluster_gap", self.cluster_gap.as_ref().map(|v| v.span()));
        note("thresholds", self.thresholds.as_ref().map(|v| v.span()));
        out
    }
}

/// The seed when a scenario gives none.
pub const DEFAULT_SEED: u64 = 1917;

/// The number of replicates when a scenario gives none.
pub const DEFAULT_REPLICATES: u32 = 16;

fn default_seed() -> u64 {
    DEFAULT_SEED
}

fn default_replicates() -> Spanned<u32> {
    Spanned::new(0..0, DEFAULT_REPLICATES)
}

/// `[population]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PopulationSpec {
    /// Number of agents (default: 5000; at least 1, at most 10,000,000).
    pub agents: Spanned<u32>,
    /// Share of each class; must sum to 1 (default: worker 0.30, peasant 0.55, soldier 0.10,
    /// specialist 0.05; towns are over-represented against the real 1917 population so that
    /// the urban soviets the essays argue about have enough agents).
    pub classes: Spanned<ClassValues>,
    /// Number of urban localities: factory districts with their own soviet (default: 8).
    pub urban_localities: Spanned<u32>,
    /// Number of rural localities (default: 12).
    pub rural_localities: Spanned<u32>,
    /// Number of workplaces, spread over the urban localities (default: 60).
    pub workplaces: Spanned<u32>,
    /// Mean number of ties per agent (default: 10).
    pub mean_degree: Spanned<f64>,
    /// Share of ties drawn across the whole population instead of inside the workplace or
    /// locality (the small-world rewiring probability; default: 0.05).
    pub cross_ties: Spanned<f64>,
    /// Starting opinion per class.
    pub opinion: OpinionStarts,
    /// Starting legitimacy per class, in [0, 1].
    pub legitimacy: Spanned<ClassValues>,
    /// Starting hardship per class, in [0, 1].
    pub hardship: Spanned<ClassValues>,
}

impl PopulationSpec {
    /// The population as the model builds it, without the places in the file.
    pub fn plain(&self) -> Population {
        Population {
            agents: *self.agents.get_ref(),
            classes: *self.classes.get_ref(),
            urban_localities: *self.urban_localities.get_ref(),
            rural_localities: *self.rural_localities.get_ref(),
            workplaces: *self.workplaces.get_ref(),
            mean_degree: *self.mean_degree.get_ref(),
            cross_ties: *self.cross_ties.get_ref(),
            opinion: self.opinion,
            legitimacy: *self.legitimacy.get_ref(),
            hardship: *self.hardship.get_ref(),
        }
    }
}

/// A value with no location in any file (a default).
fn s<T>(value: T) -> Spanned<T> {
    Spanned::new(0..0, value)
}

impl Default for PopulationSpec {
    fn default() -> PopulationSpec {
        PopulationSpec {
            agents: s(5000),
            classes: s(ClassValues {
                worker: 0.30,
                peasant: 0.55,
                soldier: 0.10,
                specialist: 0.05,
            }),
            urban_localities: s(8),
            rural_localities: s(12),
            workplaces: s(60),
            mean_degree: s(10.0),
            cross_ties: s(0.05),
            opinion: OpinionStarts {
                worker: OpinionStart {
                    authority: 0.30,
                    property: 0.15,
                    spread: 0.12,
                },
                peasant: OpinionStart {
                    authority: 0.30,
                    property: 0.60,
                    spread: 0.12,
                },
                soldier: OpinionStart {
                    authority: 0.40,
                    property: 0.40,
                    spread: 0.15,
                },
                specialist: OpinionStart {
                    authority: 0.60,
                    property: 0.75,
                    spread: 0.12,
                },
            },
            legitimacy: s(ClassValues {
                worker: 0.85,
                peasant: 0.80,
                soldier: 0.80,
                specialist: 0.30,
            }),
            hardship: s(ClassValues {
                worker: 0.40,
                peasant: 0.30,
                soldier: 0.40,
                specialist: 0.20,
            }),
        }
    }
}

/// A dated point of a series: `["1918-05", 0.8]`.
pub type SeriesPoint = (Spanned<String>, Spanned<f64>);

/// `[environment]`: each series a list of dated points. A series left out keeps its
/// peacetime value (no war, full food and output, no threat, no help from abroad, no one out
/// of work).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EnvironmentSpec {
    pub civil_war: Option<Spanned<Vec<SeriesPoint>>>,
    pub food_supply: Option<Spanned<Vec<SeriesPoint>>>,
    pub industrial_output: Option<Spanned<Vec<SeriesPoint>>>,
    pub world_revolution: Option<Spanned<Vec<SeriesPoint>>>,
    pub white_threat: Option<Spanned<Vec<SeriesPoint>>>,
    pub unemployment: Option<Spanned<Vec<SeriesPoint>>>,
}

impl EnvironmentSpec {
    /// The series in the order of [`crate::model::SERIES_NAMES`].
    pub fn all(&self) -> [&Option<Spanned<Vec<SeriesPoint>>>; 6] {
        [
            &self.civil_war,
            &self.food_supply,
            &self.industrial_output,
            &self.world_revolution,
            &self.white_threat,
            &self.unemployment,
        ]
    }
}

/// `[parties.<name>]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartySpec {
    /// The platform: `[authority, property]`, each in [0, 1].
    pub platform: [f64; 2],
    /// Legal status at the start (default: legal).
    #[serde(default = "default_status")]
    pub status: PartyStatus,
    /// Members at the start, as a share of the population (default: 0).
    #[serde(default)]
    pub members: f64,
    /// The ruling party; exactly one party must say `ruling = true`.
    #[serde(default)]
    pub ruling: bool,
    /// Its victory would be a restoration (the Whites); its members are `whites` targets.
    #[serde(default)]
    pub restoration: bool,
    /// Shares the government with the ruling party at the start (a coalition partner).
    #[serde(default)]
    pub government: bool,
}

fn default_status() -> PartyStatus {
    PartyStatus::Legal
}

/// `[[events]]`: every field an action may use; validation checks that an action gets
/// exactly the fields it needs.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSpec {
    /// When it happens: `YYYY-MM` or `YYYY-MM-DD`; applied at the first step on or after it.
    pub date: Spanned<String>,
    /// What happens: `set`, `party_status`, `concession`, `shock`, `faction`, `purge`,
    /// `override`, `dissolve` or `decide`.
    pub action: Spanned<String>,
    /// An identifier, so that a scenario extending this one can refer to the event.
    pub id: Option<Spanned<String>>,
    /// A note for the reader (not used by the model).
    pub note: Option<String>,
    /// `set`: the parameter, as `rules.<rule>.<parameter>`.
    pub path: Option<Spanned<String>>,
    /// `set`: its new value.
    pub value: Option<Spanned<toml::Value>>,
    /// `party_status`: the party.
    pub party: Option<Spanned<String>>,
    /// `party_status`: its new status.
    pub status: Option<Spanned<PartyStatus>>,
    /// `concession`: the new level of concessions (NEP), in [0, 1]; `purge`: the chance that
    /// each targeted member is expelled; `override` and `dissolve`: the chance for each soviet
    /// whose make-up the leadership rejects; `faction`: the share of the members, those whose
    /// private views lie nearest its platform, who sign it (default: 0.05); `decide`: what
    /// the decision's level means ([`crate::model::Decision::level_meaning`]), for the
    /// decisions that take one (default: the rule's own).
    pub level: Option<Spanned<f64>>,
    /// `shock`: the attribute shocked: `legitimacy`, `hardship` or `fear`.
    pub attribute: Option<Spanned<String>>,
    /// `shock`: the change, added to every present agent's attribute and clamped to [0, 1].
    pub delta: Option<Spanned<f64>>,
    /// `shock`: limit the shock to one class (default: everyone).
    pub class: Option<Spanned<String>>,
    /// `faction`: the faction's name, by which a later `purge` can target it.
    pub name: Option<Spanned<String>>,
    /// `faction`: its platform, `[authority, property]`, each in [0, 1].
    pub platform: Option<Spanned<[f64; 2]>>,
    /// `purge`: whom it targets: `careerists`, `critics`, or the name of a faction seeded by
    /// an earlier event; `decide`: whom the decision is aimed at, for the decisions aimed at
    /// someone (a party, a faction, `critics` or `careerists`, a police target group).
    pub target: Option<Spanned<String>>,
    /// `decide`: the decision pinned to this date, by name (`ban_factions`, ...).
    pub decision: Option<Spanned<String>>,
    /// In a scenario that extends another: `remove = true` with the `id` of an inherited
    /// event removes that event (an event with an inherited `id` and no `remove` replaces it).
    pub remove: Option<Spanned<bool>>,
}

/// The default of a dotted key (`rules.repression.jail_max_weeks`, `population.agents`) as
/// a TOML literal: what a wrong value is replaced by while the rest of the file is checked.
/// `None` for a key with no plain default (a table, a list, an event's field).
pub fn default_of(key: &str) -> Option<&'static str> {
    // The defaults are constants of the code: computed on first use and kept, so that a
    // stand-in can borrow its text for as long as any document lives.
    static DEFAULTS: std::sync::OnceLock<BTreeMap<String, String>> = std::sync::OnceLock::new();
    DEFAULTS
        .get_or_init(|| {
            let mut out = BTreeMap::new();
            let tables = [
                (
                    "population",
                    toml::Table::try_from(PopulationSpec::default()),
                ),
                (
                    "rules",
                    toml::Table::try_from(crate::model::Rules::default()),
                ),
            ];
            for (name, table) in tables {
                if let Ok(table) = table {
                    plain_values(name, &table, &mut out);
                }
            }
            out
        })
        .get(key)
        .map(String::as_str)
}

/// Every plain value (not a table or a list) of `table`, by its dotted key under `prefix`.
fn plain_values(prefix: &str, table: &toml::Table, out: &mut BTreeMap<String, String>) {
    for (key, value) in table {
        let dotted = format!("{prefix}.{key}");
        match value {
            toml::Value::Table(inner) => plain_values(&dotted, inner, out),
            toml::Value::Array(_) => {}
            other => {
                out.insert(dotted, other.to_string());
            }
        }
    }
}
