//! Civil calendar, shifts and rosters: how many staff are on duty at any simulated time.
//!
//! A run starts at 00:00 local time of a civil start date; simulated time is hours since
//! then, and day `d` covers `[24d, 24d + 24)` (days before the start have negative
//! indices). There is no time zone and no daylight saving: every day has 24 hours.
//!
//! - [`Calendar`] maps between [`SimTime`](crate::engine::SimTime) and civil dates, and
//!   knows the public holidays.
//! - [`DaySet`] is a set of weekdays parsed from text such as `"Mon-Fri"` or `"Sat,Sun"`.
//! - [`ClockTime`] is a time of day `"HH:MM"` from 00:00 to 24:00.
//! - [`Shift`] is one recurring block of duty; it belongs to the day it starts, so an
//!   overnight shift runs into the next day whatever that day is.
//! - [`Roster`] sums the shifts into a step function of time: [`Roster::headcount_at`]
//!   gives its value and [`Roster::next_change_after`] the next step.
//!
//! All boundary times come from one formula, [`Calendar::day_minute`], so a boundary
//! returned by `next_change_after` is exactly the time at which `headcount_at` changes.

mod clock;
mod clock_time;
mod days;
mod roster;
mod shift;

pub use clock::Calendar;
pub use clock_time::ClockTime;
pub use days::DaySet;
pub use roster::{RECHECK_DAYS, Roster};
pub use shift::Shift;
