//! Published reference models, run with sovsim's own rules so that a doubter can check them
//! against the literature (`docs/validation.md`): Epstein's civil violence on a torus grid
//! ([`epstein`]), Deffuant and Weisbuch's bounded confidence on a complete graph
//! ([`deffuant`]) and Granovetter's thresholds ([`granovetter`]). A scenario with a
//! `[reference]` table runs one of these instead of the revolution model; it records its
//! own metrics ([`ReferenceKind::metric_names`]).

pub mod deffuant;
pub mod epstein;
pub mod granovetter;

use serde::{Deserialize, Serialize};

use crate::metrics::{METRIC_COUNT, Row};
use crate::model::Series;
use crate::rng::SimRng;
use crate::rules::Rules;

/// Which published model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferenceKind {
    Epstein,
    Deffuant,
    Granovetter,
}

impl ReferenceKind {
    /// Every published model, in the order the docs list their keys.
    pub const ALL: [ReferenceKind; 3] = [
        ReferenceKind::Epstein,
        ReferenceKind::Deffuant,
        ReferenceKind::Granovetter,
    ];
}

/// The metrics of the Epstein model, in column order: active citizens, jailed citizens
/// (both counts), and the number of outbursts so far (upward crossings of the outburst
/// level by the count of actives).
pub const EPSTEIN_METRICS: [&str; 3] = ["actives", "jailed", "outbursts"];
/// The metric of the Deffuant model: the number of major opinion clusters.
pub const DEFFUANT_METRICS: [&str; 1] = ["clusters"];
/// The metric of the Granovetter model: the number of agents acting.
pub const GRANOVETTER_METRICS: [&str; 1] = ["rioters"];

impl ReferenceKind {
    pub const NAMES: [&str; 3] = ["epstein", "deffuant", "granovetter"];

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    pub fn metric_names(self) -> &'static [&'static str] {
        match self {
            ReferenceKind::Epstein => &EPSTEIN_METRICS,
            ReferenceKind::Deffuant => &DEFFUANT_METRICS,
            ReferenceKind::Granovetter => &GRANOVETTER_METRICS,
        }
    }

    /// The rules the model uses (all others must be switched off in its scenario).
    pub fn rules_used(self) -> &'static [&'static str] {
        match self {
            ReferenceKind::Epstein => &["activation", "repression"],
            ReferenceKind::Deffuant => &["opinion"],
            ReferenceKind::Granovetter => &["activation"],
        }
    }

    /// The `[reference]` keys that apply to the model (besides `model`).
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            ReferenceKind::Epstein => &[
                "width",
                "height",
                "citizen_density",
                "cop_density",
                "legitimacy",
                "vision",
                "cop_vision",
                "vision_shape",
                "jail_draw",
                "jailed_keep_cell",
                "order",
                "placement",
                "movement",
                "outburst_level",
            ],
            ReferenceKind::Deffuant => &["encounters", "cluster_share", "cluster_gap"],
            ReferenceKind::Granovetter => &["thresholds"],
        }
    }
}

/// Which cells an agent sees within its vision radius v.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisionShape {
    /// |dx| + |dy| <= v: the diamond of Epstein's lattice directions (also Mesa 3.3's
    /// example, on its `OrthogonalVonNeumannGrid`).
    #[default]
    VonNeumann,
    /// max(|dx|, |dy|) <= v: the square.
    Moore,
    /// dx^2 + dy^2 <= v^2: the disk (NetLogo's `in-radius`).
    Disk,
}

/// How a jail term is drawn from the maximum J (`rules.repression.jail_max_weeks`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JailDraw {
    /// Uniform on 0..=J (Epstein 2002; Mesa's `randint(0, J)`).
    #[default]
    ZeroToMax,
    /// Uniform on 0..J, J excluded (NetLogo's `random J`).
    ZeroToBelowMax,
}

/// In what order an agent's turn moves and acts (a citizen decides, a cop arrests).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TurnOrder {
    /// Move, then act where the agent has arrived (Epstein 2002; NetLogo's Rebellion:
    /// `move` before `determine-behavior` and `enforce`).
    #[default]
    MoveThenAct,
    /// Act where the agent stands, then move (Mesa 3.3.1's example: `Citizen.step` decides
    /// and then calls `self.move()`; `Cop.step` arrests and then moves).
    ActThenMove,
}

/// How agents are placed on the grid at the start.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    /// Exactly round(density x cells) citizens and cops, on cells drawn at random
    /// (NetLogo's Rebellion: `n-of` patches).
    #[default]
    Exact,
    /// Each cell in turn draws a citizen (with the citizens' density), a cop (the cops'
    /// density) or nothing, so the counts vary from seed to seed (Mesa 3.3.1's example:
    /// `random.choices([Citizen, Cop, None], cum_weights=...)` for every cell).
    CellDraw,
}

/// The Epstein model's configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct EpsteinConfig {
    pub width: u32,
    pub height: u32,
    pub citizen_density: f64,
    /// Cops per cell, by step position.
    pub cop_density: Series,
    /// The regime's legitimacy L, the same for every citizen, by step position.
    pub legitimacy: Series,
    pub vision: u32,
    pub cop_vision: u32,
    pub vision_shape: VisionShape,
    pub jail_draw: JailDraw,
    /// Whether a jailed citizen keeps occupying its cell (Mesa) or leaves it free and comes
    /// back to the same place on release (NetLogo, where cells may then be shared).
    pub jailed_keep_cell: bool,
    pub order: TurnOrder,
    pub placement: Placement,
    pub movement: bool,
    /// A count of actives; each step it is crossed upward counts one outburst.
    pub outburst_level: f64,
}

/// Defaults: Epstein (2002), run 1.
pub const EPSTEIN_DEFAULT_LEGITIMACY: f64 = 0.82;
pub const EPSTEIN_DEFAULT_COP_DENSITY: f64 = 0.04;

/// The Deffuant model's configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct DeffuantConfig {
    /// Random pairs meeting per step.
    pub encounters: u32,
    /// A cluster counts as major when it holds at least this share of the agents.
    pub cluster_share: f64,
    /// Sorted opinions closer than this belong to the same cluster.
    pub cluster_gap: f64,
}

/// The Granovetter model's configuration: each agent's threshold, as the number of others
/// who must act before it does.
#[derive(Clone, Debug, PartialEq)]
pub struct GranovetterConfig {
    pub thresholds: Vec<u32>,
}

/// A resolved reference model.
#[derive(Clone, Debug, PartialEq)]
pub enum ReferenceModel {
    Epstein(EpsteinConfig),
    Deffuant(DeffuantConfig),
    Granovetter(GranovetterConfig),
}

impl ReferenceModel {
    pub fn kind(&self) -> ReferenceKind {
        match self {
            ReferenceModel::Epstein(_) => ReferenceKind::Epstein,
            ReferenceModel::Deffuant(_) => ReferenceKind::Deffuant,
            ReferenceModel::Granovetter(_) => ReferenceKind::Granovetter,
        }
    }

    /// Runs one replicate for `steps` steps: one row per step, the model's metrics first
    /// and the rest of the row zero.
    pub fn run(&self, rules: &Rules, agents: u32, steps: u32, rng: &mut SimRng) -> Vec<Row> {
        match self {
            ReferenceModel::Epstein(c) => epstein::run(c, rules, steps, rng),
            ReferenceModel::Deffuant(c) => deffuant::run(c, rules, agents, steps, rng),
            ReferenceModel::Granovetter(c) => granovetter::run(c, rules, steps),
        }
    }
}

/// A row with the given leading values.
fn row(values: &[f64]) -> Row {
    let mut r = [0.0; METRIC_COUNT];
    r[..values.len()].copy_from_slice(values);
    r
}
