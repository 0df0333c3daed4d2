//! The civil calendar of a run: start date, weekdays, public holidays and make-up
//! working days.

use jiff::SignedDuration;
use jiff::civil::{Date, DateTime, Time, Weekday};

use crate::engine::SimTime;

/// Seconds in a civil day (civil dates have no daylight-saving transitions).
const SECS_PER_DAY: i64 = 86_400;

/// The civil calendar of a run: the start date (simulated time 0 is 00:00 of it), the
/// public holidays and the make-up working days (see the [module docs](super) for how
/// they affect shifts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    start: Date,
    /// Holidays as day indices relative to `start`, sorted and deduplicated.
    holidays: Vec<i64>,
    /// Make-up working days as day indices relative to `start`, sorted and deduplicated.
    workdays: Vec<i64>,
    /// `holidays` and `workdays` as flags per day ([`HOLIDAY`], [`WORKDAY`]) from day
    /// `marks_from` on: the day's kind by indexing, not by two binary searches (the
    /// hot path of [`Calendar::hour_of_week`]). Days outside are neither; empty when the
    /// listed days span more than [`MAX_MARKED_DAYS`] (then the searches answer).
    marks: Vec<u8>,
    marks_from: i64,
}

/// Flag of a public holiday in [`Calendar`]'s day marks.
const HOLIDAY: u8 = 1;
/// Flag of a make-up working day in [`Calendar`]'s day marks.
const WORKDAY: u8 = 2;
/// The longest span of listed days kept as day marks (about 270 years).
const MAX_MARKED_DAYS: i64 = 100_000;

impl Calendar {
    /// The public holidays, as day indices (day 0 is `start`), in order.
    pub fn holiday_days(&self) -> &[i64] {
        &self.holidays
    }

    /// A calendar starting at 00:00 of `start`, with the given public holidays.
    ///
    /// Holidays may be in any order, repeated, or before the start (a holiday the day
    /// before the start matters to an overnight shift that would start that evening).
    pub fn new(start: Date, holidays: impl IntoIterator<Item = Date>) -> Calendar {
        let mut cal = Calendar {
            start,
            holidays: day_indices(start, holidays),
            workdays: Vec::new(),
            marks: Vec::new(),
            marks_from: 0,
        };
        cal.mark_days();
        cal
    }

    /// Rebuilds the day marks from `holidays` and `workdays`.
    fn mark_days(&mut self) {
        let listed = || self.holidays.iter().chain(&self.workdays).copied();
        let (Some(first), Some(last)) = (listed().min(), listed().max()) else {
            self.marks = Vec::new();
            return;
        };
        if last - first >= MAX_MARKED_DAYS {
            self.marks = Vec::new();
            return;
        }
        let mut marks = vec![0u8; (last - first + 1) as usize];
        for &d in &self.holidays {
            marks[(d - first) as usize] |= HOLIDAY;
        }
        for &d in &self.workdays {
            marks[(d - first) as usize] |= WORKDAY;
        }
        self.marks = marks;
        self.marks_from = first;
    }

    /// The marks of day `day`, or `None` when the day marks are not kept.
    #[inline]
    fn marks_of(&self, day: i64) -> Option<u8> {
        if self.marks.is_empty() && !(self.holidays.is_empty() && self.workdays.is_empty()) {
            return None;
        }
        let i = day
            .checked_sub(self.marks_from)
            .and_then(|i| usize::try_from(i).ok());
        Some(i.and_then(|i| self.marks.get(i)).copied().unwrap_or(0))
    }

    /// This calendar with `dates` added to its make-up working days: dates (normally
    /// weekend dates) worked as ordinary weekdays.
    ///
    /// On such a day every shift whose days include all of Monday to Friday runs (as well
    /// as the shifts whose days include the date's own weekday), and
    /// [`Calendar::hour_of_week`] uses Wednesday's hours. A date that is also a holiday
    /// stays a holiday: shifts that do not work holidays do not run, and
    /// `hour_of_week` uses Sunday's hours. Listing a Monday-Friday date changes only
    /// its `hour_of_week` (to Wednesday's). Dates may be in any order, repeated, or
    /// before the start; calling this again adds to the dates already given.
    pub fn with_workdays(mut self, dates: impl IntoIterator<Item = Date>) -> Calendar {
        let start = self.start;
        self.workdays
            .extend(dates.into_iter().map(|date| days_from(start, date)));
        self.workdays.sort_unstable();
        self.workdays.dedup();
        self.mark_days();
        self
    }

    /// The civil date on which the run starts (day 0).
    pub fn start(&self) -> Date {
        self.start
    }

    /// The index of the day containing `t`: `floor(t / 24)`, negative before the start.
    ///
    /// Consistent with [`Calendar::day_minute`]: `t >= day_minute(d, 0)` exactly when
    /// `day_index(t) >= d`, whatever the rounding of `t / 24`.
    pub fn day_index(t: SimTime) -> i64 {
        let h = t.hours();
        let mut d = (h / 24.0).floor();
        if d * 24.0 > h {
            d -= 1.0;
        } else if (d + 1.0) * 24.0 <= h {
            d += 1.0;
        }
        d as i64
    }

    /// The time `minutes` after 00:00 of day `day`.
    ///
    /// This is the one formula for every shift boundary (`day * 24 + minutes / 60`), so
    /// equal civil times always give bit-identical `SimTime`s; `day_minute(d, 1440)` is
    /// exactly `day_minute(d + 1, 0)`.
    pub fn day_minute(day: i64, minutes: u32) -> SimTime {
        SimTime::from_hours(day as f64 * 24.0 + minutes as f64 / 60.0)
    }

    /// The civil date of day `day`.
    ///
    /// # Panics
    ///
    /// If the date falls outside the years -9999..=9999 supported by `jiff`.
    pub fn date_of_day(&self, day: i64) -> Date {
        day.checked_mul(SECS_PER_DAY)
            .and_then(|secs| self.start.checked_add(SignedDuration::from_secs(secs)).ok())
            .unwrap_or_else(|| panic!("day {day} from {} is out of the date range", self.start))
    }

    /// The weekday of day `day` (any index, including negative ones).
    pub fn weekday_of_day(&self, day: i64) -> Weekday {
        self.start.weekday().wrapping_add(day)
    }

    /// Whether day `day` is a public holiday.
    #[inline]
    pub fn is_holiday(&self, day: i64) -> bool {
        match self.marks_of(day) {
            Some(m) => m & HOLIDAY != 0,
            None => self.holidays.binary_search(&day).is_ok(),
        }
    }

    /// Whether day `day` was listed as a make-up working day (see
    /// [`Calendar::with_workdays`]); true even if the day is also a holiday.
    #[inline]
    pub fn is_workday(&self, day: i64) -> bool {
        match self.marks_of(day) {
            Some(m) => m & WORKDAY != 0,
            None => self.workdays.binary_search(&day).is_ok(),
        }
    }

    /// The simulated time of the civil date-time `dt` (hours from 00:00 of the start).
    ///
    /// Whole-minute times give exactly the same value as [`Calendar::day_minute`].
    pub fn time_of(&self, dt: DateTime) -> SimTime {
        let day = days_from(self.start, dt.date());
        let nanos = Time::midnight().duration_until(dt.time()).as_nanos();
        // At most 8.64e13 nanoseconds in a day: exact as an f64, so one rounding.
        SimTime::from_hours(day as f64 * 24.0 + nanos as f64 / 3.6e12)
    }

    /// The civil date-time of `t`, rounded to the nearest second.
    ///
    /// # Panics
    ///
    /// If `t` is not finite or falls outside the date range supported by `jiff`.
    pub fn datetime_at(&self, t: SimTime) -> DateTime {
        let secs = (t.hours() * 3600.0).round();
        assert!(
            secs.is_finite(),
            "no civil date-time for simulated time {t}"
        );
        let secs = secs as i64;
        let day = secs.div_euclid(SECS_PER_DAY);
        let of_day = secs.rem_euclid(SECS_PER_DAY);
        // Each part is in range by construction: hour < 24, minute and second < 60.
        let time = Time::constant(
            (of_day / 3600) as i8,
            (of_day / 60 % 60) as i8,
            (of_day % 60) as i8,
            0,
        );
        self.date_of_day(day).to_datetime(time)
    }

    /// The hour of the week containing `t`: 0 is Monday 00:00-01:00, 167 is Sunday
    /// 23:00-24:00. A holiday counts as a Sunday (hours 144..=167) and a make-up working
    /// day as a Wednesday (hours 48..=71); a day that is both counts as a Sunday.
    pub fn hour_of_week(&self, t: SimTime) -> usize {
        let day = Self::day_index(t);
        let weekday = if self.is_holiday(day) {
            6
        } else if self.is_workday(day) {
            2
        } else {
            self.weekday_of_day(day).to_monday_zero_offset() as usize
        };
        // Non-negative because of how `day_index` rounds; `min` guards the last ulp.
        let hour = ((t.hours() - day as f64 * 24.0).floor() as usize).min(23);
        weekday * 24 + hour
    }
}

/// Day indices of `dates` relative to `start`, sorted and deduplicated.
fn day_indices(start: Date, dates: impl IntoIterator<Item = Date>) -> Vec<i64> {
    let mut days: Vec<i64> = dates
        .into_iter()
        .map(|date| days_from(start, date))
        .collect();
    days.sort_unstable();
    days.dedup();
    days
}

/// Whole days from `start` to `date` (negative if `date` is earlier).
fn days_from(start: Date, date: Date) -> i64 {
    start
        .duration_until(date)
        .as_secs()
        .div_euclid(SECS_PER_DAY)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn cal() -> Calendar {
        // 2024-01-01 is a Monday.
        Calendar::new(date(2024, 1, 1), [date(2024, 1, 1), date(2023, 12, 31)])
    }

    #[test]
    fn day_index_floors_including_negative_times() {
        assert_eq!(Calendar::day_index(SimTime::ZERO), 0);
        assert_eq!(Calendar::day_index(SimTime::from_hours(23.999)), 0);
        assert_eq!(Calendar::day_index(SimTime::from_hours(24.0)), 1);
        assert_eq!(Calendar::day_index(SimTime::from_hours(-0.5)), -1);
        assert_eq!(Calendar::day_index(SimTime::from_hours(-24.0)), -1);
        assert_eq!(Calendar::day_index(SimTime::from_hours(-24.1)), -2);
        // The largest double below a day boundary still belongs to the earlier day.
        let just_before = f64::from_bits((240.0f64).to_bits() - 1);
        assert_eq!(Calendar::day_index(SimTime::from_hours(just_before)), 9);
        assert_eq!(Calendar::day_index(SimTime::INFINITY), i64::MAX);
    }

    #[test]
    fn dates_and_weekdays_of_days() {
        let c = cal();
        assert_eq!(c.start(), date(2024, 1, 1));
        assert_eq!(c.date_of_day(0), date(2024, 1, 1));
        assert_eq!(c.date_of_day(59), date(2024, 2, 29)); // leap day
        assert_eq!(c.date_of_day(-1), date(2023, 12, 31));
        assert_eq!(c.weekday_of_day(0), Weekday::Monday);
        assert_eq!(c.weekday_of_day(4), Weekday::Friday);
        assert_eq!(c.weekday_of_day(-1), Weekday::Sunday);
        assert_eq!(c.weekday_of_day(-7), Weekday::Monday);
        assert_eq!(c.weekday_of_day(-8), Weekday::Sunday);
        assert_eq!(c.weekday_of_day(366), Weekday::Wednesday); // 2025-01-01
    }

    #[test]
    fn holidays_are_day_indices_including_before_start() {
        let c = Calendar::new(
            date(2024, 1, 1),
            [
                date(2024, 12, 25),
                date(2024, 1, 1),
                date(2024, 12, 25),
                date(2023, 12, 31),
                date(2020, 1, 1),
            ],
        );
        assert!(c.is_holiday(0));
        assert!(c.is_holiday(-1));
        assert!(!c.is_holiday(1));
        assert!(c.is_holiday(359)); // 2024-12-25
        assert!(!c.is_holiday(358));
        assert!(Calendar::new(date(2024, 1, 1), []).holidays.is_empty());
    }

    #[test]
    fn time_of_and_datetime_at_round_trip() {
        let c = cal();
        let dt = date(2024, 1, 5).at(17, 30, 0, 0);
        assert_eq!(c.time_of(dt), SimTime::from_hours(4.0 * 24.0 + 17.5));
        assert_eq!(c.datetime_at(SimTime::from_hours(4.0 * 24.0 + 17.5)), dt);
        assert_eq!(
            c.time_of(date(2023, 12, 31).at(20, 0, 0, 0)),
            SimTime::from_hours(-4.0)
        );
        assert_eq!(
            c.datetime_at(SimTime::from_hours(-4.0)),
            date(2023, 12, 31).at(20, 0, 0, 0)
        );
        for (d, h, m, s) in [(2024, 1, 1, 0), (2024, 3, 1, 0), (2025, 7, 9, 0)] {
            let dt = date(d, h, m).at(9, 7, 13, 0);
            assert_eq!(c.datetime_at(c.time_of(dt)), dt);
            let dt = date(d, h, m).at(23, 59, 59, s);
            assert_eq!(c.datetime_at(c.time_of(dt)), dt);
        }
        // Every minute of a week round-trips and matches the boundary formula bit for bit.
        for day in -1..7 {
            for minute in 0..1440u32 {
                let t = Calendar::day_minute(day, minute);
                let dt = c.datetime_at(t);
                assert_eq!(c.time_of(dt), t);
                assert_eq!(dt.date(), c.date_of_day(day));
                assert_eq!((dt.hour() as u32 * 60 + dt.minute() as u32), minute);
            }
        }
    }

    #[test]
    fn datetime_at_rounds_to_the_nearest_second() {
        let c = cal();
        assert_eq!(
            c.datetime_at(SimTime::from_hours(0.4 / 3600.0)),
            date(2024, 1, 1).at(0, 0, 0, 0)
        );
        assert_eq!(
            c.datetime_at(SimTime::from_hours(0.6 / 3600.0)),
            date(2024, 1, 1).at(0, 0, 1, 0)
        );
        // Rounding carries into the next day.
        assert_eq!(
            c.datetime_at(SimTime::from_hours(24.0 - 0.2 / 3600.0)),
            date(2024, 1, 2).at(0, 0, 0, 0)
        );
        assert_eq!(
            c.datetime_at(SimTime::from_hours(-0.2 / 3600.0)),
            date(2024, 1, 1).at(0, 0, 0, 0)
        );
    }

    #[test]
    fn day_minute_of_midnight_is_the_next_day_start() {
        for day in [-3, -1, 0, 1, 400, 100_000] {
            assert_eq!(
                Calendar::day_minute(day, 1440),
                Calendar::day_minute(day + 1, 0)
            );
        }
    }

    #[test]
    fn hour_of_week_uses_sunday_hours_on_holidays() {
        let c = Calendar::new(date(2024, 1, 1), [date(2024, 1, 1)]);
        let plain = Calendar::new(date(2024, 1, 1), []);
        let t = c.time_of(date(2024, 1, 1).at(10, 30, 0, 0));
        assert_eq!(plain.hour_of_week(t), 10);
        assert_eq!(c.hour_of_week(t), 6 * 24 + 10);
        assert_eq!(c.hour_of_week(SimTime::from_hours(24.0 + 0.5)), 24); // Tuesday 00:30
        assert_eq!(c.hour_of_week(SimTime::from_hours(6.0 * 24.0 + 23.99)), 167); // Sunday
        assert_eq!(c.hour_of_week(SimTime::from_hours(7.0 * 24.0)), 0); // next Monday
        assert_eq!(c.hour_of_week(SimTime::from_hours(-0.5)), 167); // Sunday before the start
    }

    #[test]
    fn workdays_are_day_indices_and_accumulate() {
        let start = date(2024, 1, 1);
        let c = Calendar::new(start, [date(2024, 2, 10)])
            .with_workdays([date(2024, 2, 4), date(2023, 12, 30), date(2024, 2, 4)])
            .with_workdays([date(2024, 2, 18)]);
        assert!(c.is_workday(34)); // 2024-02-04, a Sunday
        assert!(c.is_workday(48)); // 2024-02-18
        assert!(c.is_workday(-2)); // 2023-12-30, before the start
        assert!(!c.is_workday(40)); // a holiday, not a workday
        assert!(!c.is_workday(35));
        assert!(c.is_holiday(40));
        assert!(!c.is_holiday(34));
        assert_eq!(c.workdays, [-2, 34, 48]);
        assert!(
            Calendar::new(start, [])
                .with_workdays([])
                .workdays
                .is_empty()
        );
        assert_ne!(
            Calendar::new(start, []).with_workdays([start]),
            Calendar::new(start, [])
        );
    }

    #[test]
    fn hour_of_week_uses_wednesday_hours_on_workdays_unless_also_a_holiday() {
        // 2024-01-06 is a Saturday, 2024-01-07 a Sunday.
        let c = Calendar::new(date(2024, 1, 1), [date(2024, 1, 7)])
            .with_workdays([date(2024, 1, 6), date(2024, 1, 7)]);
        let sat = |h, m| c.time_of(date(2024, 1, 6).at(h, m, 0, 0));
        assert_eq!(c.hour_of_week(sat(0, 0)), 2 * 24);
        assert_eq!(c.hour_of_week(sat(10, 30)), 2 * 24 + 10);
        assert_eq!(c.hour_of_week(sat(23, 59)), 2 * 24 + 23);
        // Both a holiday and a workday: the holiday wins (Sunday's hours).
        assert!(c.is_holiday(6) && c.is_workday(6));
        assert_eq!(
            c.hour_of_week(c.time_of(date(2024, 1, 7).at(10, 0, 0, 0))),
            6 * 24 + 10
        );
        // The days around are unchanged.
        assert_eq!(
            c.hour_of_week(c.time_of(date(2024, 1, 5).at(10, 0, 0, 0))),
            4 * 24 + 10
        );
        assert_eq!(
            c.hour_of_week(c.time_of(date(2024, 1, 8).at(10, 0, 0, 0))),
            10
        );
        // Without workdays Saturday keeps its own hours.
        let plain = Calendar::new(date(2024, 1, 1), []);
        assert_eq!(plain.hour_of_week(sat(10, 30)), 5 * 24 + 10);
    }
}
