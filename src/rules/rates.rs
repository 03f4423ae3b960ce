//! The arithmetic every rule shares: weekly rates converted to the scenario's step length,
//! and shares clamped to [0, 1].

/// Converts a weekly probability to the probability over a step of `weeks` weeks, so that a
/// monthly scenario and a weekly one describe the same process.
#[inline]
pub fn per_step(weekly: f64, weeks: f64) -> f64 {
    if weekly <= 0.0 {
        0.0
    } else if weeks == 1.0 {
        weekly.min(1.0)
    } else if weekly >= 1.0 {
        1.0
    } else {
        1.0 - libm::pow(1.0 - weekly, weeks)
    }
}

/// Clamps to [0, 1].
#[inline]
pub fn unit(x: f64) -> f64 {
    x.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekly_rates_compound_over_a_step() {
        assert_eq!(per_step(0.1, 1.0), 0.1);
        assert!((per_step(0.1, 2.0) - 0.19).abs() < 1e-12);
        assert_eq!(per_step(0.0, 4.0), 0.0);
        assert_eq!(per_step(1.0, 4.0), 1.0);
    }
}
