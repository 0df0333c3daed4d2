//! Time of day, "HH:MM" from 00:00 to 24:00.

use std::fmt;
use std::str::FromStr;

/// Minutes in a day; 24:00 is this many minutes.
const MINUTES_PER_DAY: u32 = 1440;

/// A time of day with minute resolution, from 00:00 to 24:00 inclusive (24:00 is the
/// midnight at the end of the day).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime {
    /// Minutes since 00:00, `0..=1440`.
    minutes: u32,
}

impl ClockTime {
    /// 00:00, the start of the day.
    pub const MIDNIGHT: ClockTime = ClockTime { minutes: 0 };
    /// 24:00, the end of the day.
    pub const END_OF_DAY: ClockTime = ClockTime {
        minutes: MINUTES_PER_DAY,
    };

    /// Parses `"HH:MM"` (two digits each, surrounding whitespace ignored) between 00:00
    /// and 24:00 inclusive.
    pub fn parse(s: &str) -> Result<ClockTime, String> {
        let err = || format!("expected a time of day \"HH:MM\" between 00:00 and 24:00, got {s:?}");
        let b = s.trim().as_bytes();
        let shaped =
            b.len() == 5 && b[2] == b':' && [0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit());
        if !shaped {
            return Err(err());
        }
        let two = |i: usize| u32::from(b[i] - b'0') * 10 + u32::from(b[i + 1] - b'0');
        let (hours, minutes) = (two(0), two(3));
        if minutes >= 60 {
            return Err(err());
        }
        ClockTime::from_minutes(hours * 60 + minutes).map_err(|_| err())
    }

    /// The time `minutes` after 00:00; `minutes` must be at most 1440 (24:00).
    pub fn from_minutes(minutes: u32) -> Result<ClockTime, String> {
        if minutes <= MINUTES_PER_DAY {
            Ok(ClockTime { minutes })
        } else {
            Err(format!(
                "expected a time of day between 0 and {MINUTES_PER_DAY} minutes after 00:00, got {minutes}"
            ))
        }
    }

    /// Minutes since 00:00, `0..=1440`.
    pub fn minutes(&self) -> u32 {
        self.minutes
    }
}

impl FromStr for ClockTime {
    type Err = String;
    fn from_str(s: &str) -> Result<ClockTime, String> {
        ClockTime::parse(s)
    }
}

impl fmt::Display for ClockTime {
    /// Formats as `"HH:MM"`, the form [`ClockTime::parse`] accepts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.minutes / 60, self.minutes % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_valid_times() {
        assert_eq!(ClockTime::parse("00:00").unwrap().minutes(), 0);
        assert_eq!(ClockTime::parse("09:05").unwrap().minutes(), 545);
        assert_eq!(ClockTime::parse("23:59").unwrap().minutes(), 1439);
        assert_eq!(ClockTime::parse("24:00").unwrap(), ClockTime::END_OF_DAY);
        assert_eq!(ClockTime::parse(" 07:30 ").unwrap().minutes(), 450);
        assert_eq!("17:00".parse::<ClockTime>().unwrap().minutes(), 1020);
    }

    #[test]
    fn rejects_malformed_or_out_of_range_times() {
        for bad in [
            "24:30",
            "25:00",
            "9",
            "09:60",
            "9:5x",
            "",
            "9:00",
            "09:5",
            "0900",
            "09-00",
            "+9:00",
            "-1:00",
            "09:00:00",
            "24:01",
            "99:99",
            "０９:００",
            "ab:cd",
        ] {
            let err = ClockTime::parse(bad).unwrap_err();
            assert_eq!(
                err,
                format!("expected a time of day \"HH:MM\" between 00:00 and 24:00, got {bad:?}"),
                "for {bad:?}"
            );
        }
        assert!(
            ClockTime::parse("24:30")
                .unwrap_err()
                .contains("between 00:00 and 24:00, got \"24:30\"")
        );
    }

    #[test]
    fn from_minutes_bounds() {
        assert_eq!(
            ClockTime::from_minutes(1440).unwrap(),
            ClockTime::END_OF_DAY
        );
        assert_eq!(ClockTime::from_minutes(0).unwrap(), ClockTime::MIDNIGHT);
        assert!(ClockTime::from_minutes(1441).is_err());
    }

    #[test]
    fn displays_as_hh_mm_and_round_trips() {
        for m in [0, 1, 59, 60, 545, 1439, 1440] {
            let t = ClockTime::from_minutes(m).unwrap();
            assert_eq!(ClockTime::parse(&t.to_string()).unwrap(), t);
        }
        assert_eq!(ClockTime::from_minutes(545).unwrap().to_string(), "09:05");
        assert_eq!(ClockTime::END_OF_DAY.to_string(), "24:00");
    }
}
