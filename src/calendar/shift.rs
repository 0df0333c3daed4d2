//! One recurring block of duty.

use super::{Calendar, ClockTime, DaySet};
use crate::engine::SimTime;

/// A recurring shift: `staff` people on duty from `start` to `end` on each of `days`.
///
/// A shift belongs to the day it starts. If `end <= start` it is overnight and ends on
/// the next day (whatever that day is, holiday or not); `end` = 24:00 is the midnight at
/// the end of the start day. The on-duty interval is half-open: on at `start`, off at
/// `end`. On a make-up working day the shift also works if `days` include all of Monday
/// to Friday; on a public holiday it works as its [`HolidayRule`] says (see
/// [`Shift::works_on`]).
///
/// Build with [`Shift::new`], which checks the times.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shift {
    /// Weekdays on which the shift starts (and, if they include all of Monday to Friday,
    /// also make-up working days).
    pub days: DaySet,
    /// Time of day the shift starts (before 24:00).
    pub start: ClockTime,
    /// Time of day the shift ends; at or before `start` means the next day.
    pub end: ClockTime,
    /// Number of staff on duty during the shift.
    pub staff: u32,
    /// Whether the shift works when its start day is a public holiday: also, not, or only
    /// then.
    pub holidays: HolidayRule,
}

/// How a shift treats public holidays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HolidayRule {
    /// It works on holidays as on any other of its days (`holidays = true`).
    Also,
    /// It does not work on holidays (`holidays = false`).
    Not,
    /// It works only on holidays (`holidays = "only"`): cover for the days a weekday
    /// roster is off.
    Only,
}

impl From<bool> for HolidayRule {
    fn from(works: bool) -> HolidayRule {
        if works {
            HolidayRule::Also
        } else {
            HolidayRule::Not
        }
    }
}

impl Shift {
    /// A shift, checking that it does not start at 24:00 and that `start != end`.
    pub fn new(
        days: DaySet,
        start: ClockTime,
        end: ClockTime,
        staff: u32,
        holidays: impl Into<HolidayRule>,
    ) -> Result<Shift, String> {
        if start == ClockTime::END_OF_DAY {
            return Err(format!(
                "a shift cannot start at 24:00 (to {end}); start it at 00:00 of the following day instead"
            ));
        }
        if start == end {
            return Err(format!(
                "a shift cannot start and end at the same time (got {start} to {end}); \
                 for round-the-clock duty use 00:00 to 24:00"
            ));
        }
        Ok(Shift {
            days,
            start,
            end,
            staff,
            holidays: holidays.into(),
        })
    }

    /// The same shift under another holiday rule.
    pub fn with_holidays(self, holidays: HolidayRule) -> Shift {
        Shift { holidays, ..self }
    }

    /// Whether the shift starting on day `day` is worked: its weekday is in `days`, or
    /// the day is a make-up working day ([`Calendar::is_workday`]) and `days` include all
    /// of Monday to Friday; and its [`HolidayRule`] allows the day: `Also` any day, `Not`
    /// no holiday, `Only` nothing but holidays.
    ///
    /// This is the one rule deciding whether a shift runs; [`Roster`](super::Roster)
    /// and [`WorkingHours`](super::WorkingHours) go through it.
    pub fn works_on(&self, cal: &Calendar, day: i64) -> bool {
        let scheduled = self.days.contains(cal.weekday_of_day(day))
            || (cal.is_workday(day) && self.days.contains_all(DaySet::WEEKDAYS));
        scheduled
            && match self.holidays {
                HolidayRule::Also => true,
                HolidayRule::Not => !cal.is_holiday(day),
                HolidayRule::Only => cal.is_holiday(day),
            }
    }

    /// The on-duty interval `[start, end)` of the shift starting on day `day` (whether or
    /// not it is worked), both ends from [`Calendar::day_minute`].
    pub(crate) fn interval(&self, day: i64) -> (SimTime, SimTime) {
        let start = Calendar::day_minute(day, self.start.minutes());
        let end = if self.end > self.start {
            Calendar::day_minute(day, self.end.minutes())
        } else {
            Calendar::day_minute(day.saturating_add(1), self.end.minutes())
        };
        (start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn ct(s: &str) -> ClockTime {
        ClockTime::parse(s).unwrap()
    }

    #[test]
    fn new_rejects_empty_and_midnight_start_shifts() {
        let err = Shift::new(DaySet::ALL, ct("08:00"), ct("08:00"), 3, false).unwrap_err();
        assert!(
            err.contains("a shift cannot start and end at the same time"),
            "{err}"
        );
        let err = Shift::new(DaySet::ALL, ct("00:00"), ct("00:00"), 3, false).unwrap_err();
        assert!(
            err.contains("a shift cannot start and end at the same time"),
            "{err}"
        );
        let err = Shift::new(DaySet::ALL, ct("24:00"), ct("08:00"), 3, false).unwrap_err();
        assert!(err.contains("cannot start at 24:00"), "{err}");
        let err = Shift::new(DaySet::ALL, ct("24:00"), ct("24:00"), 3, false).unwrap_err();
        assert!(err.contains("cannot start at 24:00"), "{err}");
        assert!(Shift::new(DaySet::ALL, ct("00:00"), ct("24:00"), 3, false).is_ok());
        assert!(Shift::new(DaySet::ALL, ct("09:00"), ct("24:00"), 3, false).is_ok());
        assert!(Shift::new(DaySet::ALL, ct("20:00"), ct("08:00"), 0, true).is_ok());
    }

    #[test]
    fn intervals_day_and_overnight() {
        let day = Shift::new(DaySet::ALL, ct("09:00"), ct("17:00"), 1, false).unwrap();
        assert_eq!(
            day.interval(4),
            (SimTime::from_hours(105.0), SimTime::from_hours(113.0))
        );
        let night = Shift::new(DaySet::ALL, ct("20:00"), ct("08:00"), 1, false).unwrap();
        assert_eq!(
            night.interval(4),
            (SimTime::from_hours(116.0), SimTime::from_hours(128.0))
        );
        assert_eq!(
            night.interval(-1),
            (SimTime::from_hours(-4.0), SimTime::from_hours(8.0))
        );
        let to_midnight = Shift::new(DaySet::ALL, ct("09:00"), ct("24:00"), 1, false).unwrap();
        assert_eq!(to_midnight.interval(0).1, Calendar::day_minute(1, 0));
        let whole_day = Shift::new(DaySet::ALL, ct("00:00"), ct("24:00"), 1, false).unwrap();
        assert_eq!(
            whole_day.interval(2),
            (SimTime::from_hours(48.0), SimTime::from_hours(72.0))
        );
    }

    #[test]
    fn works_on_weekdays_and_holidays() {
        let cal = Calendar::new(date(2024, 1, 1), [date(2024, 1, 1)]);
        let weekdays = Shift::new(
            DaySet::parse("Mon-Fri").unwrap(),
            ct("09:00"),
            ct("17:00"),
            1,
            false,
        )
        .unwrap();
        assert!(!weekdays.works_on(&cal, 0)); // holiday Monday
        assert!(weekdays.works_on(&cal, 1));
        assert!(!weekdays.works_on(&cal, 5)); // Saturday
        assert!(!weekdays.works_on(&cal, -1)); // Sunday
        let always = Shift {
            holidays: HolidayRule::Also,
            ..weekdays.clone()
        };
        assert!(always.works_on(&cal, 0));
    }

    #[test]
    fn works_on_make_up_workdays() {
        // 2024-01-06 is a make-up Saturday; 2024-01-14 (Sunday) is both a workday and a
        // holiday.
        let cal = Calendar::new(date(2024, 1, 1), [date(2024, 1, 14)])
            .with_workdays([date(2024, 1, 6), date(2024, 1, 14)]);
        let shift = |days: &str, holidays| {
            Shift::new(
                DaySet::parse(days).unwrap(),
                ct("09:00"),
                ct("17:00"),
                1,
                holidays,
            )
            .unwrap()
        };
        let weekdays = shift("Mon-Fri", false);
        assert!(weekdays.works_on(&cal, 5)); // make-up Saturday
        assert!(!weekdays.works_on(&cal, 6)); // ordinary Sunday
        assert!(!weekdays.works_on(&cal, 12)); // ordinary Saturday
        assert!(!weekdays.works_on(&cal, 13)); // workday and holiday: the holiday wins
        assert!(shift("Mon-Sun", false).works_on(&cal, 5));
        assert!(shift("Sat,Sun", false).works_on(&cal, 5)); // its own weekday
        assert!(!shift("Sat,Sun", false).works_on(&cal, 13)); // holiday
        assert!(shift("Sat,Sun", true).works_on(&cal, 13));
        assert!(!shift("Mon,Wed", false).works_on(&cal, 5));
        assert!(!shift("Mon-Thu", false).works_on(&cal, 5));
        assert!(!shift("Sun", false).works_on(&cal, 5));
        // A shift working holidays follows the formula: scheduled (Mon-Fri on a workday)
        // and allowed on the holiday.
        assert!(shift("Mon-Fri", true).works_on(&cal, 13));
        // Holidays only: the make-up Saturday is no holiday; the Sunday that is both is,
        // and is scheduled as a workday; an ordinary day never.
        let only = |days: &str| shift(days, false).with_holidays(HolidayRule::Only);
        assert!(!only("Mon-Fri").works_on(&cal, 5));
        assert!(only("Mon-Fri").works_on(&cal, 13));
        assert!(!only("Mon-Fri").works_on(&cal, 1));
        assert!(!only("Mon,Wed").works_on(&cal, 13)); // not scheduled that day
        assert!(only("Sun").works_on(&cal, 13));
    }
}
