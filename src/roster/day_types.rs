//! Day types: the days of a window sorted into kinds whose demand is alike, so that the
//! hours of a two-month window need not each be staffed (and simulated) on their own.
//!
//! A day's type is the peak period in force on it (by name, or none) and, when asked,
//! whether it is a working day — Monday to Friday and no public holiday, or a make-up
//! working day that is no holiday — or a rest day. The requirement of a type's hour is
//! estimated from every day of that type: a three-week rush of fifteen working days
//! gives fifteen samples of each working hour per replication.

use std::fmt;

use jiff::civil::Weekday;

use crate::calendar::Calendar;
use crate::engine::SimTime;
use crate::model::PeakPeriod;

/// How days are sorted into types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayTyping {
    /// Every day alike.
    One,
    /// Working days and rest days.
    Workday,
    /// By the peak period in force.
    Peak,
    /// By the peak period in force, and within it working days and rest days.
    PeakWorkday,
}

impl DayTyping {
    /// The flag's names, for messages.
    pub const NAMES: &'static str = "one, workday, peak, peak-workday";

    /// Reads `one`, `workday`, `peak` or `peak-workday`.
    pub fn parse(text: &str) -> Result<DayTyping, String> {
        match text.trim() {
            "one" => Ok(DayTyping::One),
            "workday" => Ok(DayTyping::Workday),
            "peak" => Ok(DayTyping::Peak),
            "peak-workday" => Ok(DayTyping::PeakWorkday),
            other => Err(format!(
                "expected one of {}, got \"{other}\"",
                DayTyping::NAMES
            )),
        }
    }
}

impl fmt::Display for DayTyping {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DayTyping::One => "one",
            DayTyping::Workday => "workday",
            DayTyping::Peak => "peak",
            DayTyping::PeakWorkday => "peak-workday",
        })
    }
}

/// The days of a window and their types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayTypes {
    /// The window's first day (days since the start date).
    pub first_day: usize,
    /// The type of each day of the window, in order.
    pub of_day: Vec<u16>,
    /// Each type's name ("Lunar New Year rush, working day"), in order of first
    /// appearance.
    pub names: Vec<String>,
    /// Days of each type.
    pub days: Vec<u32>,
}

/// Whether day `day` is a working day: Monday to Friday or a make-up working day, and
/// not a public holiday.
pub fn is_working_day(calendar: &Calendar, day: i64) -> bool {
    let weekday = calendar.weekday_of_day(day);
    let weekend = matches!(weekday, Weekday::Saturday | Weekday::Sunday);
    !calendar.is_holiday(day) && (!weekend || calendar.is_workday(day))
}

/// Sorts days `first_day ..= last_day` by `typing`. The peak of a day is the first listed
/// peak in force at its noon.
pub fn classify(
    calendar: &Calendar,
    peaks: &[PeakPeriod],
    first_day: usize,
    last_day: usize,
    typing: DayTyping,
) -> DayTypes {
    let mut names: Vec<String> = Vec::new();
    let mut days: Vec<u32> = Vec::new();
    let mut of_day = Vec::with_capacity(last_day + 1 - first_day);
    for day in first_day..=last_day {
        let noon = SimTime::from_hours(day as f64 * 24.0 + 12.0);
        let peak = peaks
            .iter()
            .find(|p| p.from <= noon && noon < p.to)
            .map_or("no peak", |p| p.name.as_str());
        let kind = if is_working_day(calendar, day as i64) {
            "working day"
        } else {
            "rest day"
        };
        let name = match typing {
            DayTyping::One => "every day".to_string(),
            DayTyping::Workday => kind.to_string(),
            DayTyping::Peak => peak.to_string(),
            DayTyping::PeakWorkday => format!("{peak}, {kind}"),
        };
        let t = match names.iter().position(|n| *n == name) {
            Some(t) => t,
            None => {
                names.push(name);
                days.push(0);
                names.len() - 1
            }
        };
        days[t] += 1;
        of_day.push(t as u16);
    }
    DayTypes {
        first_day,
        of_day,
        names,
        days,
    }
}

impl DayTypes {
    /// The runs of consecutive days of one type: (first day, last day, type), days since
    /// the start date.
    pub fn blocks(&self) -> Vec<(usize, usize, u16)> {
        let mut blocks: Vec<(usize, usize, u16)> = Vec::new();
        for (i, &t) in self.of_day.iter().enumerate() {
            let day = self.first_day + i;
            match blocks.last_mut() {
                Some(b) if b.2 == t && b.1 + 1 == day => b.1 = day,
                _ => blocks.push((day, day, t)),
            }
        }
        blocks
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn peak(name: &str, from_day: u32, to_day: u32) -> PeakPeriod {
        PeakPeriod {
            name: name.into(),
            from: SimTime::from_hours(f64::from(from_day) * 24.0),
            to: SimTime::from_hours(f64::from(to_day + 1) * 24.0),
        }
    }

    #[test]
    fn days_are_sorted_by_peak_and_working_day_with_holidays_and_make_up_days() {
        // 2017-01-02 is a Monday and a holiday; 2017-01-07 (Saturday) a make-up day.
        let cal = Calendar::new(date(2017, 1, 1), [date(2017, 1, 1), date(2017, 1, 2)])
            .with_workdays([date(2017, 1, 7)]);
        let peaks = [peak("rush", 5, 9)];
        let t = classify(&cal, &peaks, 0, 9, DayTyping::PeakWorkday);
        // Sun (holiday), Mon (holiday), Tue–Thu, Fri 6th (rush), Sat 7th (rush, make-up
        // day), Sun 8th (rush), Mon 9th, Tue 10th (rush).
        assert_eq!(
            t.names,
            [
                "no peak, rest day",
                "no peak, working day",
                "rush, working day",
                "rush, rest day"
            ]
        );
        assert_eq!(t.of_day, [0, 0, 1, 1, 1, 2, 2, 3, 2, 2]);
        assert_eq!(t.days, [2, 3, 4, 1]);
        assert_eq!(
            t.blocks(),
            [(0, 1, 0), (2, 4, 1), (5, 6, 2), (7, 7, 3), (8, 9, 2)]
        );
        let one = classify(&cal, &peaks, 2, 4, DayTyping::One);
        assert_eq!(one.names, ["every day"]);
        assert_eq!(one.of_day, [0, 0, 0]);
        assert_eq!(one.first_day, 2);
        let work = classify(&cal, &peaks, 0, 9, DayTyping::Workday);
        assert_eq!(work.names, ["rest day", "working day"]);
        let by_peak = classify(&cal, &peaks, 0, 9, DayTyping::Peak);
        assert_eq!(by_peak.names, ["no peak", "rush"]);
        assert_eq!(by_peak.of_day, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    }

    #[test]
    fn typing_names_parse_and_print_back() {
        for t in [
            DayTyping::One,
            DayTyping::Workday,
            DayTyping::Peak,
            DayTyping::PeakWorkday,
        ] {
            assert_eq!(DayTyping::parse(&t.to_string()), Ok(t));
        }
        assert!(
            DayTyping::parse("weekly")
                .unwrap_err()
                .contains("peak-workday")
        );
    }
}
