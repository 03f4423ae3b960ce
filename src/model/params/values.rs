//! Small value types the rule parameters are made of: the political police's target set and
//! the enumerated switches (whom the police answer to, how Epstein's ratio is rounded, how the
//! leadership acts).

use serde::{Deserialize, Serialize};

/// Who the political police go after (docs/model.md, phase 9). A set of flags, so that rule
/// parameters stay `Copy` and the step loop never allocates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Targets(u8);

/// One kind of target, as written in a scenario's `targets` list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// Members of a restoration party, and anyone active whose private opinion on the
    /// property axis is at or above `white_property`.
    Whites,
    /// Every agent who is active (protesting or on strike).
    Active,
    /// Active agents in a workplace that is on strike.
    Strikers,
    /// Members of any party other than the ruling one.
    OtherParties,
    /// Members of a party whose status is banned.
    BannedParties,
    /// Agents in the underground.
    Underground,
    /// Members of a faction of the ruling party whose activity is visible while factions are
    /// banned.
    Factions,
}

impl Target {
    pub const ALL: [Target; 7] = [
        Target::Whites,
        Target::Active,
        Target::Strikers,
        Target::OtherParties,
        Target::BannedParties,
        Target::Underground,
        Target::Factions,
    ];

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl Targets {
    pub fn contains(self, t: Target) -> bool {
        self.0 & t.bit() != 0
    }

    pub fn with(self, t: Target) -> Targets {
        Targets(self.0 | t.bit())
    }

    pub fn iter(self) -> impl Iterator<Item = Target> {
        Target::ALL.into_iter().filter(move |t| self.contains(*t))
    }
}

impl FromIterator<Target> for Targets {
    fn from_iter<I: IntoIterator<Item = Target>>(iter: I) -> Targets {
        iter.into_iter().fold(Targets::default(), Targets::with)
    }
}

impl Serialize for Targets {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Targets {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Targets, D::Error> {
        let list = Vec::<Target>::deserialize(d)?;
        Ok(list.into_iter().collect())
    }
}

/// Whom the political police answer to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Principal {
    /// Appointed by and answerable to the central government (the Cheka as it was).
    Centre,
    /// Answerable to the soviets, which can restrain arrests of workers and socialists.
    Soviets,
}

/// How C/A is rounded in Epstein's estimated arrest probability.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    None,
    Floor,
    RoundHalfEven,
}

impl Rounding {
    pub fn apply(self, x: f64) -> f64 {
        match self {
            Rounding::None => x,
            Rounding::Floor => libm::floor(x),
            Rounding::RoundHalfEven => libm::rint(x),
        }
    }
}

/// Whether the regime phase adds its older, continuous reflexes to the leadership's
/// decisions (docs/model.md, phase 10). The institutional decisions themselves are taken in
/// phase 1c (`[rules.leadership]`, `[decisions]`) whichever is chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Leadership {
    /// No reflexes beyond the decisions.
    Scripted,
    /// Also raises a police boost when unrest and the White threat are high and concedes
    /// by degrees when unrest is high and the threat low.
    Adaptive,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_modes_differ_where_they_should() {
        assert_eq!(Rounding::None.apply(0.5), 0.5);
        assert_eq!(Rounding::Floor.apply(1.7), 1.0);
        assert_eq!(Rounding::RoundHalfEven.apply(0.5), 0.0);
        assert_eq!(Rounding::RoundHalfEven.apply(1.5), 2.0);
        assert_eq!(Rounding::RoundHalfEven.apply(0.6), 1.0);
    }

    #[test]
    fn targets_round_trip_through_toml() {
        #[derive(Serialize, Deserialize)]
        struct T {
            targets: Targets,
        }
        let t: T = toml::from_str(r#"targets = ["whites", "underground"]"#).unwrap();
        assert!(t.targets.contains(Target::Whites));
        assert!(t.targets.contains(Target::Underground));
        assert!(!t.targets.contains(Target::Active));
        let back = toml::to_string(&t).unwrap();
        assert_eq!(back.trim(), r#"targets = ["whites", "underground"]"#);
        assert!(toml::from_str::<T>(r#"targets = ["whitez"]"#).is_err());
    }
}
