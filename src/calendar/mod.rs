//! Civil calendar, shifts, rosters and working hours: how many staff are on duty, and
//! which offices are open, at any simulated time.
//!
//! A run starts at 00:00 local time of a civil start date; simulated time is hours since
//! then, and day `d` covers `[24d, 24d + 24)` (days before the start have negative
//! indices). There is no time zone and no daylight saving: every day has 24 hours.
//!
//! - [`Calendar`] maps between [`SimTime`](crate::engine::SimTime) and civil dates, and
//!   knows the public holidays and the make-up working days.
//! - [`DaySet`] is a set of weekdays parsed from text such as `"Mon-Fri"` or `"Sat,Sun"`.
//! - [`ClockTime`] is a time of day `"HH:MM"` from 00:00 to 24:00.
//! - [`Shift`] is one recurring block of duty; it belongs to the day it starts, so an
//!   overnight shift runs into the next day whatever that day is.
//! - [`Roster`] sums the shifts into a step function of time: [`Roster::headcount_at`]
//!   gives its value and [`Roster::next_change_after`] the next step.
//! - [`Timeline`] is a roster's step function precomputed over a span of days: the same
//!   answers as the roster's, found by binary search (the hot path of a run).
//! - [`WorkingHours`] is a named calendar of open hours (a trader's office, a
//!   laboratory) made of shifts, for delays that count only while it is open
//!   ([`WorkingHours::advance`]).
//!
//! # When a shift runs
//!
//! Some countries move working days: a weekend date is worked as a weekday (a make-up
//! working day, given by [`Calendar::with_workdays`]). The shift starting on day `d`
//! runs iff
//!
//! - its `days` contain the weekday of `d`, or `d` is a make-up working day and its
//!   `days` contain all of Monday to Friday; and
//! - its holiday rule allows `d`: `holidays = true` any day, `false` no public holiday,
//!   `"only"` public holidays only.
//!
//! So on a make-up Saturday a `"Mon-Fri"` shift runs, a `"Sat,Sun"` shift still runs
//! (Saturday is one of its days) and a `"Mon,Wed"` shift does not. A date that is both a
//! holiday and a make-up working day is a holiday: shifts that do not work holidays do
//! not run. [`Shift::works_on`] is the one place where this is decided.
//!
//! [`Calendar::hour_of_week`] uses Sunday's hours on a holiday and Wednesday's on a
//! make-up working day (Sunday's if it is both).
//!
//! All boundary times come from one formula, [`Calendar::day_minute`], so a boundary
//! returned by `next_change_after` is exactly the time at which `headcount_at` changes,
//! and open intervals of [`WorkingHours`] begin and end exactly there too.

mod clock;
mod clock_time;
mod days;
mod roster;
mod shift;
mod timeline;
mod working_hours;

pub use clock::Calendar;
pub use clock_time::ClockTime;
pub use days::DaySet;
pub use roster::{RECHECK_DAYS, Roster};
pub use shift::{HolidayRule, Shift};
pub use timeline::Timeline;
pub use working_hours::{OPENING_SEARCH_DAYS, WorkingHours};

/// A shift written as in a scenario (`"Mon-Fri"`, `"09:00"`, `"17:00"`), for tests.
#[cfg(test)]
pub(crate) fn test_shift(days: &str, from: &str, to: &str, staff: u32, holidays: bool) -> Shift {
    let t = |s| ClockTime::parse(s).unwrap();
    Shift::new(
        DaySet::parse(days).unwrap(),
        t(from),
        t(to),
        staff,
        holidays,
    )
    .unwrap()
}
