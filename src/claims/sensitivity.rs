//! Sensitivity of a verdict to the model's guesses. Each parameter of [`UNCERTAIN`] is moved
//! down and up by [`STEP`] (a quarter of its value), one at a time, in every scenario a
//! claim compares; the claim is evaluated again on the varied runs, and its verdict is
//! robust when it is the same in every variant. The variants are made with
//! [`crate::scenario::Scenario::parse_varied`], exactly as if a user had written a child file
//! setting the parameter, so events that set the parameter later still set it.

use crate::model::Rules;
use crate::scenario::Scenario;

/// A parameter the verdicts are tested against, with what it means in plain words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Uncertain {
    /// `rules.<rule>.<parameter>`.
    pub path: &'static str,
    /// What it sets, for the reader of `claims.html`.
    pub meaning: &'static str,
}

/// The guesses varied, chosen from the uncertain parameters of `docs/model.md` as the ones
/// each family of claims turns on: how opinions move, how legitimacy answers the regime,
/// how well the police find dissent, how much the apparatus weighs against the members,
/// and how strong the right must be to win. Each costs two runs of every scenario a claim
/// uses, so the list is short; `docs/model.md` says why these and not others. None of them
/// is set by an event in a shipped scenario (a test checks), so moving the starting value
/// moves it for the whole run.
pub const UNCERTAIN: [Uncertain; 5] = [
    Uncertain {
        path: "rules.opinion.confidence",
        meaning: "how far apart two people's views may be for a conversation to move them",
    },
    Uncertain {
        path: "rules.conditions.responsiveness",
        meaning: "how fast legitimacy follows what the regime does",
    },
    Uncertain {
        path: "rules.repression.detection",
        meaning: "how likely the police are to find a given dissenter",
    },
    Uncertain {
        path: "rules.ruling_party.apparatus_influence",
        meaning: "how much the apparatus weighs against the members when the line is set",
    },
    Uncertain {
        path: "rules.regime.restoration_threshold",
        meaning: "how strong the right must become to bring the regime down",
    },
];

/// The relative step: each parameter is multiplied by `1 - STEP` and by `1 + STEP`
/// (clamped to its allowed range).
pub const STEP: f64 = 0.25;

/// Down or up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Direction {
    Down,
    Up,
}

/// One parameter moved one way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Variant {
    /// Index into [`UNCERTAIN`].
    pub parameter: usize,
    pub direction: Direction,
}

/// Why a variant cannot be made of a scenario.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot vary `{path}`: {why}")]
pub struct VariantError {
    pub path: String,
    pub why: String,
}

impl Variant {
    /// Every variant, parameter by parameter, down before up.
    pub fn all() -> Vec<Variant> {
        (0..UNCERTAIN.len())
            .flat_map(|parameter| {
                [Direction::Down, Direction::Up].map(|direction| Variant {
                    parameter,
                    direction,
                })
            })
            .collect()
    }

    pub fn uncertain(self) -> Uncertain {
        UNCERTAIN[self.parameter]
    }

    /// The parameter's last name and the direction: `confidence-down`.
    pub fn label(self) -> String {
        let path = self.uncertain().path;
        let name = path.rsplit('.').next().unwrap_or(path);
        match self.direction {
            Direction::Down => format!("{name}-down"),
            Direction::Up => format!("{name}-up"),
        }
    }

    /// The parameter's value in `scenario` and the varied value.
    pub fn values(self, scenario: &Scenario) -> Result<(f64, f64), VariantError> {
        let path = self.uncertain().path;
        let fail = |why: &str| VariantError {
            path: path.to_string(),
            why: why.to_string(),
        };
        let mut parts = path.split('.').skip(1);
        let (Some(rule), Some(name)) = (parts.next(), parts.next()) else {
            return Err(fail("not a rule parameter"));
        };
        let table = toml::Table::try_from(&scenario.rules).map_err(|e| fail(&e.to_string()))?;
        let base = match table.get(rule).and_then(|t| t.get(name)) {
            Some(toml::Value::Float(x)) => *x,
            Some(toml::Value::Integer(n)) => *n as f64,
            _ => return Err(fail("no such number among the rules")),
        };
        let factor = match self.direction {
            Direction::Down => 1.0 - STEP,
            Direction::Up => 1.0 + STEP,
        };
        let (lo, hi) = Rules::range(rule, name);
        // Nine significant digits: 0.15, not 0.15000000000000002.
        let varied = (base * factor).clamp(lo, hi);
        let scale = 10f64.powi(8 - varied.abs().log10().floor().max(-300.0) as i32);
        let varied = if varied == 0.0 || !scale.is_finite() {
            varied
        } else {
            (varied * scale).round() / scale
        };
        Ok((base, varied))
    }

    /// The variation to parse over the scenario: its name (as it appears in the run's
    /// files) and its TOML.
    pub fn variation(self, scenario: &Scenario) -> Result<(String, String), VariantError> {
        let (_, value) = self.values(scenario)?;
        let path = self.uncertain().path;
        let (table, name) = path.rsplit_once('.').unwrap_or(("rules", path));
        Ok((
            format!("<sensitivity {}: {path} = {value:?}>", self.label()),
            format!("[{table}]\n{name} = {value:?}\n"),
        ))
    }
}
