//! Calendar dates for scenarios: parsing `YYYY-MM` / `YYYY-MM-DD`, day arithmetic and the
//! step calendar. Hand-written (proleptic Gregorian, days since 1970-01-01) because the model
//! needs only dates, never times or zones, and the arithmetic must be exact on every machine.

use std::fmt;

/// A calendar day, stored as days since 1970-01-01 so that comparisons and differences are
/// plain integer arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    days: i64,
}

/// Why a date string could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("expected a date as YYYY-MM or YYYY-MM-DD, found {0:?}")]
    Format(String),
    #[error("month {month} is not between 1 and 12")]
    Month { month: u32 },
    #[error("day {day} does not exist in {year:04}-{month:02}")]
    Day { year: i32, month: u32, day: u32 },
}

/// Whether a date was written with a day or only as a month: `end = "1930-12"` means the
/// whole of December, `start = "1917-11"` its first day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    Month,
    Day,
}

impl Date {
    /// The date of a year, month (1-12) and day (1-31), if it exists.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Result<Date, DateError> {
        if !(1..=12).contains(&month) {
            return Err(DateError::Month { month });
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(DateError::Day { year, month, day });
        }
        Ok(Date {
            days: days_from_civil(year, month, day),
        })
    }

    /// Parses `YYYY-MM` (the first day of the month) or `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<(Date, Precision), DateError> {
        let bad = || DateError::Format(text.to_string());
        let parts: Vec<&str> = text.split('-').collect();
        let number = |s: &str, len: usize| -> Result<u32, DateError> {
            if s.len() != len || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            s.parse::<u32>().map_err(|_| bad())
        };
        match parts.as_slice() {
            [y, m] => {
                let date = Date::from_ymd(number(y, 4)? as i32, number(m, 2)?, 1)?;
                Ok((date, Precision::Month))
            }
            [y, m, d] => {
                let date = Date::from_ymd(number(y, 4)? as i32, number(m, 2)?, number(d, 2)?)?;
                Ok((date, Precision::Day))
            }
            _ => Err(bad()),
        }
    }

    /// Year, month and day of this date.
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.days)
    }

    /// The date's month, `YYYY-MM`: how decision timelines and calibration windows word it.
    pub fn month(self) -> String {
        let (year, month, _) = self.ymd();
        format!("{year:04}-{month:02}")
    }

    /// This date moved by a number of days.
    pub fn add_days(self, days: i64) -> Date {
        Date {
            days: self.days + days,
        }
    }

    /// This date moved by whole months, the day clamped to the target month's length.
    pub fn add_months(self, months: i64) -> Date {
        let (y, m, d) = self.ymd();
        let index = y as i64 * 12 + (m as i64 - 1) + months;
        let year = index.div_euclid(12) as i32;
        let month = index.rem_euclid(12) as u32 + 1;
        let day = d.min(days_in_month(year, month));
        Date {
            days: days_from_civil(year, month, day),
        }
    }

    /// The last day of this date's month.
    pub fn end_of_month(self) -> Date {
        let (y, m, _) = self.ymd();
        Date {
            days: days_from_civil(y, m, days_in_month(y, m)),
        }
    }

    /// Days from `other` to `self` (negative when `self` is earlier).
    pub fn days_since(self, other: Date) -> i64 {
        self.days - other.days
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(year) => 29,
        _ => 28,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic Gregorian
// calendar over the whole i32 year range.
fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = year as i64 - if month <= 2 { 1 } else { 0 };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + if month <= 2 { 1 } else { 0 }) as i32;
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_written_with_four_and_two_digits() {
        let (d, _) = Date::parse("1921-03-16").unwrap();
        assert_eq!(d.month(), "1921-03");
        assert_eq!(d.add_months(10).month(), "1922-01");
    }

    #[test]
    fn parses_months_and_days() {
        let (d, p) = Date::parse("1921-03").unwrap();
        assert_eq!(
            (d.to_string(), p),
            ("1921-03-01".to_string(), Precision::Month)
        );
        let (d, p) = Date::parse("1920-02-29").unwrap();
        assert_eq!(
            (d.to_string(), p),
            ("1920-02-29".to_string(), Precision::Day)
        );
    }

    #[test]
    fn rejects_malformed_dates() {
        assert!(Date::parse("1921").is_err());
        assert!(Date::parse("1921-13").is_err());
        assert!(Date::parse("1921-02-29").is_err());
        assert!(Date::parse("21-03").is_err());
        assert!(Date::parse("1921-3").is_err());
        assert!(Date::parse("1921-03-01-02").is_err());
    }

    #[test]
    fn arithmetic_round_trips() {
        let (d, _) = Date::parse("1970-01-01").unwrap();
        assert_eq!(d.days, 0);
        let (a, _) = Date::parse("1917-11-01").unwrap();
        assert_eq!(a.add_days(61).to_string(), "1918-01-01");
        assert_eq!(a.add_months(3).to_string(), "1918-02-01");
        let (jan31, _) = Date::parse("1920-01-31").unwrap();
        assert_eq!(jan31.add_months(1).to_string(), "1920-02-29");
        assert_eq!(a.end_of_month().to_string(), "1917-11-30");
        assert_eq!(a.add_days(10).days_since(a), 10);
    }
}
