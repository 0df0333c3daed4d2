//! A roster of shifts: staff on duty as a step function of time.

use super::{Calendar, HolidayRule, Shift};
use crate::engine::SimTime;

/// How far ahead [`Roster::next_change_after`] looks, in days, before returning a
/// re-check point instead of a change.
pub const RECHECK_DAYS: i64 = 14;

/// A set of shifts whose staff add up where they overlap.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Roster {
    shifts: Vec<Shift>,
}

impl Roster {
    /// A roster of these shifts (possibly none: never staffed).
    pub fn new(shifts: Vec<Shift>) -> Roster {
        Roster { shifts }
    }

    /// The shifts, in the order given.
    pub fn shifts(&self) -> &[Shift] {
        &self.shifts
    }

    /// Staff on duty at `t`: the sum over the worked shifts whose interval contains `t`.
    pub fn headcount_at(&self, cal: &Calendar, t: SimTime) -> u32 {
        let today = Calendar::day_index(t);
        // A shift starts by 24:00 of its day and lasts at most 24 hours, so only the
        // instances starting today or yesterday can cover `t`.
        let mut total = 0u32;
        for shift in &self.shifts {
            for day in today.saturating_sub(1)..=today {
                if shift.staff == 0 || !shift.works_on(cal, day) {
                    continue;
                }
                let (start, end) = shift.interval(day);
                if start <= t && t < end {
                    total = total.saturating_add(shift.staff);
                }
            }
        }
        total
    }

    /// The earliest time strictly after `t` at which the headcount differs from
    /// `headcount_at(t)`.
    ///
    /// Boundaries where the headcount stays the same (back-to-back shifts of equal
    /// staff) are skipped. If nothing changes within [`RECHECK_DAYS`] days, returns
    /// 00:00 of the day of `t` plus that many days: a re-check point at which the caller
    /// just sets the headcount again. Always later than `t` (for a `t` too large to
    /// index days, including infinity, returns [`SimTime::INFINITY`]).
    pub fn next_change_after(&self, cal: &Calendar, t: SimTime) -> SimTime {
        let today = Calendar::day_index(t);
        let last_day = today.saturating_add(RECHECK_DAYS);
        let recheck = Calendar::day_minute(last_day, 0);
        if recheck <= t {
            return SimTime::INFINITY;
        }
        let now = self.headcount_at(cal, t);
        let mut candidates = Vec::new();
        for shift in &self.shifts {
            // Same look-back as `headcount_at`, so every interval it counts has its end here.
            for day in today.saturating_sub(1)..=last_day {
                if shift.staff == 0 || !shift.works_on(cal, day) {
                    continue;
                }
                let (start, end) = shift.interval(day);
                candidates.extend([start, end].into_iter().filter(|&b| t < b && b <= recheck));
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates
            .into_iter()
            .find(|&b| self.headcount_at(cal, b) != now)
            .unwrap_or(recheck)
    }

    /// Every start and end in `[lo, hi]` of a worked interval of a staffed shift, sorted
    /// and deduplicated: the headcount is constant between consecutive ones.
    ///
    /// The same intervals as [`Roster::headcount_at`] counts, so the same boundaries.
    pub(crate) fn boundaries_in(&self, cal: &Calendar, lo: SimTime, hi: SimTime) -> Vec<SimTime> {
        // An interval of day `d` starts in [d, d + 1] and ends in (d, d + 2] (a hand-built
        // shift may start at 24:00), so these days hold every boundary in [lo, hi].
        let first = Calendar::day_index(lo).saturating_sub(2);
        let last = Calendar::day_index(hi);
        let mut out = Vec::new();
        for shift in &self.shifts {
            for day in first..=last {
                if shift.staff == 0 || !shift.works_on(cal, day) {
                    continue;
                }
                let (start, end) = shift.interval(day);
                out.extend([start, end].into_iter().filter(|&b| lo <= b && b <= hi));
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// An upper bound on the headcount: the sum of the staff of all shifts.
    pub fn max_staff(&self) -> u32 {
        self.shifts
            .iter()
            .fold(0u32, |sum, s| sum.saturating_add(s.staff))
    }

    /// Whether some shift has staff (the roster is not all-zero or empty).
    pub fn has_staffed_shift(&self) -> bool {
        self.shifts.iter().any(|s| s.staff > 0)
    }

    /// Whether some shift has staff on some day it can work: a shift for holidays only
    /// needs a holiday among its days.
    pub fn is_ever_staffed(&self, cal: &Calendar) -> bool {
        self.shifts.iter().any(|s| {
            s.staff > 0
                && (s.holidays != HolidayRule::Only
                    || cal.holiday_days().iter().any(|&d| s.works_on(cal, d)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{ClockTime, DaySet};
    use jiff::civil::{Date, date};

    /// 2024-01-01, a Monday.
    const START: Date = date(2024, 1, 1);

    fn shift(days: &str, start: &str, end: &str, staff: u32, holidays: bool) -> Shift {
        Shift::new(
            DaySet::parse(days).unwrap(),
            ClockTime::parse(start).unwrap(),
            ClockTime::parse(end).unwrap(),
            staff,
            holidays,
        )
        .unwrap()
    }

    fn at(h: f64) -> SimTime {
        SimTime::from_hours(h)
    }

    /// Day `day` at `hh:mm`, by the boundary formula.
    fn dm(day: i64, hh: u32, mm: u32) -> SimTime {
        Calendar::day_minute(day, hh * 60 + mm)
    }

    fn plain() -> Calendar {
        Calendar::new(START, [])
    }

    /// Checks `next_change_after` against a minute-by-minute scan from `from_day` for
    /// `days` days, and that it always moves forward.
    fn check_against_scan(roster: &Roster, cal: &Calendar, from_day: i64, days: i64) {
        let minutes: Vec<SimTime> = (from_day * 1440..(from_day + days) * 1440)
            .map(|m| Calendar::day_minute(m.div_euclid(1440), m.rem_euclid(1440) as u32))
            .collect();
        let counts: Vec<u32> = minutes
            .iter()
            .map(|&t| roster.headcount_at(cal, t))
            .collect();
        for i in 0..minutes.len() {
            let t = minutes[i];
            let next = roster.next_change_after(cal, t);
            assert!(next > t);
            let scanned = (i + 1..minutes.len()).find(|&j| counts[j] != counts[i]);
            let recheck = Calendar::day_minute(Calendar::day_index(t) + RECHECK_DAYS, 0);
            match scanned {
                Some(j) if minutes[j] <= recheck => {
                    assert_eq!(next, minutes[j], "after {t}");
                    assert_ne!(roster.headcount_at(cal, next), counts[i]);
                }
                // No change within the scan window: either a re-check point or a change
                // beyond the window.
                _ => assert!(
                    next == recheck || next > *minutes.last().unwrap(),
                    "after {t}: {next}"
                ),
            }
        }
    }

    #[test]
    fn weekday_office_hours() {
        let cal = plain();
        let r = Roster::new(vec![shift("Mon-Fri", "09:00", "17:00", 4, false)]);
        let fri_1730 = at(4.0 * 24.0 + 17.5);
        assert_eq!(r.headcount_at(&cal, fri_1730), 0);
        assert_eq!(r.next_change_after(&cal, fri_1730), at(177.0));
        assert_eq!(
            r.next_change_after(&cal, fri_1730),
            cal.time_of(date(2024, 1, 8).at(9, 0, 0, 0))
        );
        assert_eq!(r.headcount_at(&cal, at(177.0)), 4);
        assert_eq!(r.headcount_at(&cal, dm(4, 16, 59)), 4);
        assert_eq!(r.headcount_at(&cal, at(4.0 * 24.0 + 17.0)), 0);
        assert_eq!(r.headcount_at(&cal, dm(4, 17, 0)), 0);
        assert_eq!(r.headcount_at(&cal, dm(0, 9, 0)), 4); // on at the exact start
        assert_eq!(r.headcount_at(&cal, at(9.0 - 1e-9)), 0);
        assert_eq!(r.next_change_after(&cal, at(9.0 - 1e-9)), at(9.0));
        // From an exact boundary the next change is the following one.
        assert_eq!(r.next_change_after(&cal, at(9.0)), at(17.0));
        assert_eq!(r.next_change_after(&cal, at(17.0)), at(24.0 + 9.0));
        assert_eq!(r.next_change_after(&cal, SimTime::ZERO), at(9.0));
        check_against_scan(&r, &cal, -1, 16);
    }

    #[test]
    fn overnight_shift_belongs_to_its_start_day() {
        // Saturday is not in `days` and is a holiday: the Friday night shift still runs.
        let cal = Calendar::new(START, [date(2024, 1, 6)]);
        let r = Roster::new(vec![shift("Fri", "20:00", "08:00", 3, false)]);
        assert_eq!(r.headcount_at(&cal, dm(4, 19, 59)), 0);
        assert_eq!(r.headcount_at(&cal, dm(4, 20, 0)), 3);
        assert_eq!(r.headcount_at(&cal, dm(5, 3, 0)), 3);
        assert_eq!(r.headcount_at(&cal, dm(5, 7, 59)), 3);
        assert_eq!(r.headcount_at(&cal, dm(5, 8, 0)), 0);
        assert_eq!(r.next_change_after(&cal, dm(5, 3, 0)), dm(5, 8, 0));
        assert_eq!(r.next_change_after(&cal, dm(4, 12, 0)), dm(4, 20, 0));
        // No Saturday night shift.
        assert_eq!(r.headcount_at(&cal, dm(5, 21, 0)), 0);
        assert_eq!(r.next_change_after(&cal, dm(5, 8, 0)), dm(11, 20, 0));
        check_against_scan(&r, &cal, -1, 16);
    }

    #[test]
    fn a_holiday_only_overnight_shift_runs_from_the_holiday_into_the_next_morning() {
        // Friday 2024-01-05 is a holiday: the shift runs Friday 20:00 to Saturday 08:00,
        // and on no other night.
        let cal = Calendar::new(START, [date(2024, 1, 5)]);
        let only = shift("Mon-Sun", "20:00", "08:00", 2, false).with_holidays(HolidayRule::Only);
        let r = Roster::new(vec![only]);
        assert_eq!(r.headcount_at(&cal, dm(3, 21, 0)), 0);
        assert_eq!(r.headcount_at(&cal, dm(4, 20, 0)), 2);
        assert_eq!(r.headcount_at(&cal, dm(5, 7, 59)), 2);
        assert_eq!(r.headcount_at(&cal, dm(5, 8, 0)), 0);
        assert_eq!(r.next_change_after(&cal, dm(0, 0, 0)), dm(4, 20, 0));
        assert!(r.is_ever_staffed(&cal));
        assert!(!r.is_ever_staffed(&plain()), "no holiday, never on duty");
        check_against_scan(&r, &cal, -1, 16);
    }

    #[test]
    fn holiday_on_the_start_day_of_an_overnight_shift_cancels_it() {
        let cal = Calendar::new(START, [date(2024, 1, 5)]);
        let r = Roster::new(vec![shift("Fri", "20:00", "08:00", 3, false)]);
        assert_eq!(r.headcount_at(&cal, dm(5, 3, 0)), 0);
        assert_eq!(r.next_change_after(&cal, dm(4, 0, 0)), dm(11, 20, 0));
    }

    #[test]
    fn shift_ending_at_24_00_ends_at_midnight() {
        let cal = plain();
        let r = Roster::new(vec![shift("Mon", "09:00", "24:00", 2, false)]);
        assert_eq!(r.headcount_at(&cal, dm(0, 23, 59)), 2);
        assert_eq!(r.headcount_at(&cal, dm(1, 0, 0)), 0);
        assert_eq!(r.headcount_at(&cal, at(24.0)), 0);
        assert_eq!(r.next_change_after(&cal, dm(0, 12, 0)), at(24.0));
        check_against_scan(&r, &cal, -1, 9);
    }

    #[test]
    fn back_to_back_shifts_of_equal_staff_are_not_a_change() {
        let cal = plain();
        let r = Roster::new(vec![
            shift("Mon-Fri", "08:00", "16:00", 5, false),
            shift("Mon-Fri", "16:00", "24:00", 5, false),
        ]);
        assert_eq!(r.headcount_at(&cal, dm(0, 16, 0)), 5);
        assert_eq!(r.next_change_after(&cal, dm(0, 8, 30)), dm(1, 0, 0));
        assert_eq!(r.next_change_after(&cal, dm(0, 8, 30)), at(24.0));
        assert_eq!(r.next_change_after(&cal, dm(1, 0, 0)), dm(1, 8, 0));
        // Friday evening to Monday morning.
        assert_eq!(r.next_change_after(&cal, dm(4, 23, 0)), dm(5, 0, 0));
        assert_eq!(r.next_change_after(&cal, dm(5, 0, 0)), dm(7, 8, 0));
        check_against_scan(&r, &cal, -1, 16);
    }

    #[test]
    fn round_the_clock_relay_with_overnight_shift_never_changes() {
        let cal = Calendar::new(START, [date(2024, 1, 3)]);
        let r = Roster::new(vec![
            shift("Mon-Sun", "06:00", "14:00", 2, true),
            shift("Mon-Sun", "14:00", "22:00", 2, true),
            shift("Mon-Sun", "22:00", "06:00", 2, true),
        ]);
        for t in [at(0.0), at(5.99), at(6.0), at(100.25), dm(2, 22, 0)] {
            assert_eq!(r.headcount_at(&cal, t), 2);
            let day = Calendar::day_index(t);
            assert_eq!(
                r.next_change_after(&cal, t),
                Calendar::day_minute(day + RECHECK_DAYS, 0)
            );
        }
    }

    #[test]
    fn overlapping_shifts_add_up() {
        let cal = plain();
        let r = Roster::new(vec![
            shift("Mon-Fri", "08:00", "16:00", 3, false),
            shift("Mon-Fri", "12:00", "20:00", 2, false),
            shift("Mon-Sun", "00:00", "24:00", 1, true),
        ]);
        assert_eq!(r.headcount_at(&cal, dm(0, 7, 0)), 1);
        assert_eq!(r.headcount_at(&cal, dm(0, 9, 0)), 4);
        assert_eq!(r.headcount_at(&cal, dm(0, 12, 0)), 6);
        assert_eq!(r.headcount_at(&cal, dm(0, 16, 0)), 3);
        assert_eq!(r.headcount_at(&cal, dm(0, 20, 0)), 1);
        assert_eq!(r.headcount_at(&cal, dm(5, 12, 0)), 1);
        assert_eq!(r.next_change_after(&cal, dm(0, 9, 0)), dm(0, 12, 0));
        assert_eq!(r.next_change_after(&cal, dm(0, 12, 0)), dm(0, 16, 0));
        assert_eq!(r.max_staff(), 6);
        check_against_scan(&r, &cal, -1, 16);
    }

    #[test]
    fn swap_at_a_boundary_with_the_same_total_is_not_a_change() {
        // 3 + 2 before 12:00, 5 after: the total is the same, nothing changes at noon.
        let cal = plain();
        let r = Roster::new(vec![
            shift("Mon", "08:00", "12:00", 3, false),
            shift("Mon", "08:00", "16:00", 2, false),
            shift("Mon", "12:00", "16:00", 3, false),
        ]);
        assert_eq!(r.next_change_after(&cal, dm(0, 8, 0)), dm(0, 16, 0));
    }

    #[test]
    fn holiday_closes_shifts_that_do_not_work_holidays() {
        let cal = Calendar::new(START, [date(2024, 1, 1)]);
        let r = Roster::new(vec![shift("Mon-Fri", "09:00", "17:00", 4, false)]);
        assert_eq!(r.headcount_at(&cal, dm(0, 10, 0)), 0);
        assert_eq!(r.next_change_after(&cal, SimTime::ZERO), dm(1, 9, 0));
        assert_eq!(r.next_change_after(&cal, SimTime::ZERO), at(33.0));
        check_against_scan(&r, &cal, -1, 16);

        let open = Roster::new(vec![shift("Mon-Fri", "09:00", "17:00", 4, true)]);
        assert_eq!(open.headcount_at(&cal, dm(0, 10, 0)), 4);
        assert_eq!(open.next_change_after(&cal, SimTime::ZERO), dm(0, 9, 0));
    }

    #[test]
    fn holiday_on_the_day_an_overnight_shift_ends_does_not_cut_it() {
        // Sunday night shift into a Monday holiday.
        let cal = Calendar::new(START, [date(2024, 1, 8)]);
        let r = Roster::new(vec![
            shift("Sun", "22:00", "06:00", 2, false),
            shift("Mon-Fri", "06:00", "14:00", 2, false),
        ]);
        assert_eq!(r.headcount_at(&cal, dm(7, 3, 0)), 2);
        assert_eq!(r.next_change_after(&cal, dm(6, 23, 0)), dm(7, 6, 0));
        assert_eq!(r.headcount_at(&cal, dm(7, 6, 0)), 0);
        check_against_scan(&r, &cal, 0, 16);
    }

    #[test]
    fn overnight_shift_from_the_day_before_the_start() {
        // Day -1 is Sunday 2023-12-31.
        let r = Roster::new(vec![shift("Sun", "20:00", "08:00", 2, false)]);
        let cal = plain();
        assert_eq!(r.headcount_at(&cal, SimTime::ZERO), 2);
        assert_eq!(r.headcount_at(&cal, dm(0, 7, 59)), 2);
        assert_eq!(r.next_change_after(&cal, SimTime::ZERO), dm(0, 8, 0));
        assert_eq!(r.next_change_after(&cal, dm(0, 8, 0)), dm(6, 20, 0));
        // A holiday on 2023-12-31 cancels it.
        let cal = Calendar::new(START, [date(2023, 12, 31)]);
        assert_eq!(r.headcount_at(&cal, SimTime::ZERO), 0);
        assert_eq!(r.next_change_after(&cal, SimTime::ZERO), dm(6, 20, 0));
        // Negative times work too.
        assert_eq!(r.headcount_at(&plain(), at(-3.0)), 2);
        assert_eq!(r.next_change_after(&plain(), at(-5.0)), at(-4.0));
    }

    #[test]
    fn long_closure_returns_recheck_points_and_eventually_the_reopening() {
        let holidays: Vec<Date> = (0..20)
            .map(|i| START.checked_add(jiff::Span::new().days(i)).unwrap())
            .collect();
        let cal = Calendar::new(START, holidays);
        let r = Roster::new(vec![shift("Mon-Sun", "09:00", "17:00", 4, false)]);
        let first = r.next_change_after(&cal, at(1.0));
        assert_eq!(first, Calendar::day_minute(RECHECK_DAYS, 0));
        let second = r.next_change_after(&cal, first);
        assert_eq!(second, dm(20, 9, 0));
    }

    #[test]
    fn empty_and_zero_staff_rosters_return_the_recheck_point() {
        let cal = plain();
        let empty = Roster::new(vec![]);
        let zero = Roster::new(vec![shift("Mon-Fri", "09:00", "17:00", 0, false)]);
        for r in [&empty, &zero] {
            assert_eq!(r.headcount_at(&cal, at(10.0)), 0);
            assert_eq!(r.next_change_after(&cal, at(10.0)), at(14.0 * 24.0));
            assert_eq!(r.next_change_after(&cal, at(24.0)), at(15.0 * 24.0));
            assert_eq!(r.max_staff(), 0);
            assert!(!r.is_ever_staffed(&cal));
        }
        assert_eq!(Roster::default(), empty);
        assert!(empty.shifts().is_empty());
        assert_eq!(zero.shifts().len(), 1);
    }

    #[test]
    fn next_change_is_always_later_even_for_odd_times() {
        let cal = plain();
        let r = Roster::new(vec![shift("Mon-Fri", "09:00", "17:00", 4, false)]);
        assert_eq!(
            r.next_change_after(&cal, SimTime::INFINITY),
            SimTime::INFINITY
        );
        assert!(r.next_change_after(&cal, at(1e300)) > at(1e300));
        // Just below a boundary: the boundary itself, not the boundary after.
        let just_before = f64::from_bits(177.0f64.to_bits() - 1);
        assert_eq!(r.next_change_after(&cal, at(just_before)), at(177.0));
        // Walking the change points for a year never stalls and alternates 0 / 4.
        let year_end = at(366.0 * 24.0);
        let mut t = SimTime::ZERO;
        let mut steps = 0;
        loop {
            let next = r.next_change_after(&cal, t);
            assert!(next > t);
            assert_ne!(r.headcount_at(&cal, next), r.headcount_at(&cal, t));
            if next >= year_end {
                break;
            }
            t = next;
            steps += 1;
        }
        assert_eq!(steps, 2 * 262); // 262 weekdays in 2024, from Mon 1 Jan to Tue 31 Dec
    }

    #[test]
    fn whole_day_shift_on_some_days() {
        let cal = plain();
        let r = Roster::new(vec![shift("Sat,Sun", "00:00", "24:00", 1, false)]);
        assert_eq!(r.headcount_at(&cal, dm(5, 0, 0)), 1);
        assert_eq!(r.headcount_at(&cal, dm(6, 23, 59)), 1);
        // Saturday and Sunday join up: the next change is Monday 00:00.
        assert_eq!(r.next_change_after(&cal, dm(5, 0, 0)), dm(7, 0, 0));
        check_against_scan(&r, &cal, -1, 16);
    }

    #[test]
    fn hand_built_shifts_bypassing_new_stay_consistent() {
        // The fields are public: a shift "24:00"-"24:00" runs from the next midnight for
        // 24 hours; `headcount_at` and `next_change_after` must still agree.
        let cal = plain();
        let odd = Shift {
            days: DaySet::parse("Wed").unwrap(),
            start: ClockTime::END_OF_DAY,
            end: ClockTime::END_OF_DAY,
            staff: 2,
            holidays: HolidayRule::Not,
        };
        // A "12:00"-"12:00" shift built by hand lasts 24 hours.
        let noon_to_noon = Shift {
            days: DaySet::parse("Fri").unwrap(),
            start: ClockTime::parse("12:00").unwrap(),
            end: ClockTime::parse("12:00").unwrap(),
            staff: 1,
            holidays: HolidayRule::Not,
        };
        let r = Roster::new(vec![odd, noon_to_noon]);
        assert_eq!(r.headcount_at(&cal, dm(3, 10, 0)), 2); // Thursday
        assert_eq!(r.next_change_after(&cal, dm(3, 10, 0)), dm(4, 0, 0));
        check_against_scan(&r, &cal, -2, 16);
    }

    #[test]
    fn make_up_saturday_runs_weekday_shifts_to_the_minute() {
        // 2024-01-06 (day 5) is a make-up Saturday.
        let cal = plain().with_workdays([date(2024, 1, 6)]);
        let weekdays = Roster::new(vec![shift("Mon-Fri", "09:00", "17:00", 4, false)]);
        assert_eq!(weekdays.headcount_at(&cal, dm(5, 8, 59)), 0);
        assert_eq!(weekdays.headcount_at(&cal, dm(5, 9, 0)), 4);
        assert_eq!(weekdays.headcount_at(&cal, dm(5, 16, 59)), 4);
        assert_eq!(weekdays.headcount_at(&cal, dm(5, 17, 0)), 0);
        assert_eq!(weekdays.headcount_at(&cal, dm(6, 10, 0)), 0); // Sunday stays off
        assert_eq!(weekdays.next_change_after(&cal, dm(4, 17, 0)), dm(5, 9, 0));
        assert_eq!(weekdays.next_change_after(&cal, dm(5, 9, 0)), dm(5, 17, 0));
        assert_eq!(weekdays.next_change_after(&cal, dm(5, 17, 0)), dm(7, 9, 0));
        check_against_scan(&weekdays, &cal, -1, 16);
        // Without the workday the Saturday is off.
        assert_eq!(weekdays.headcount_at(&plain(), dm(5, 10, 0)), 0);

        let mon_wed = Roster::new(vec![shift("Mon,Wed", "09:00", "17:00", 2, false)]);
        assert_eq!(mon_wed.headcount_at(&cal, dm(5, 10, 0)), 0);
        assert_eq!(mon_wed.next_change_after(&cal, dm(2, 17, 0)), dm(7, 9, 0));

        let weekend = Roster::new(vec![shift("Sat,Sun", "10:00", "16:00", 1, false)]);
        assert_eq!(weekend.headcount_at(&cal, dm(5, 9, 59)), 0);
        assert_eq!(weekend.headcount_at(&cal, dm(5, 10, 0)), 1);
        assert_eq!(weekend.headcount_at(&cal, dm(6, 10, 0)), 1);

        // Both together: 4 + 1 where they overlap on the make-up Saturday.
        let both = Roster::new(vec![
            shift("Mon-Fri", "09:00", "17:00", 4, false),
            shift("Sat,Sun", "10:00", "16:00", 1, false),
        ]);
        assert_eq!(both.headcount_at(&cal, dm(5, 12, 0)), 5);
        check_against_scan(&both, &cal, -1, 16);
    }

    #[test]
    fn workday_that_is_also_a_holiday_stays_a_holiday() {
        let day = date(2024, 1, 6);
        let cal = Calendar::new(START, [day]).with_workdays([day]);
        let r = Roster::new(vec![shift("Mon-Fri", "09:00", "17:00", 4, false)]);
        assert_eq!(r.headcount_at(&cal, dm(5, 10, 0)), 0);
        assert_eq!(r.next_change_after(&cal, dm(4, 17, 0)), dm(7, 9, 0));
        check_against_scan(&r, &cal, -1, 16);
    }

    #[test]
    fn overnight_weekday_shift_on_a_make_up_day_runs_into_the_next_day() {
        // A make-up Sunday (2024-01-07, day 6): the Mon-Fri night shift starts that
        // evening and runs into Monday.
        let cal = plain().with_workdays([date(2024, 1, 7)]);
        let r = Roster::new(vec![shift("Mon-Fri", "22:00", "06:00", 2, false)]);
        assert_eq!(r.headcount_at(&cal, dm(6, 21, 59)), 0);
        assert_eq!(r.headcount_at(&cal, dm(6, 22, 0)), 2);
        assert_eq!(r.headcount_at(&cal, dm(7, 5, 59)), 2);
        assert_eq!(r.headcount_at(&cal, dm(7, 6, 0)), 0);
        // No Saturday-night shift (Saturday is not a workday): Friday's night shift ends
        // Saturday 06:00.
        assert_eq!(r.next_change_after(&cal, dm(5, 6, 0)), dm(6, 22, 0));
        check_against_scan(&r, &cal, -1, 16);
    }

    #[test]
    fn boundaries_in_lists_every_change() {
        let cal = Calendar::new(START, [date(2024, 1, 3)]).with_workdays([date(2024, 1, 6)]);
        let r = Roster::new(vec![
            shift("Mon-Fri", "07:30", "15:45", 3, false),
            shift("Fri-Mon", "22:15", "06:10", 2, false),
            shift("Thu", "15:45", "07:30", 3, true),
            shift("Sun", "08:00", "09:00", 0, true),
        ]);
        let (lo, hi) = (dm(-1, 12, 0), dm(8, 6, 10));
        let bs = r.boundaries_in(&cal, lo, hi);
        assert!(bs.windows(2).all(|w| w[0] < w[1]));
        assert!(bs.iter().all(|&b| lo <= b && b <= hi));
        assert_eq!(*bs.last().unwrap(), hi);
        assert!(bs.contains(&dm(5, 7, 30))); // the make-up Saturday
        assert!(!bs.contains(&dm(6, 8, 0))); // zero staff
        // Every minute at which the headcount changes is a boundary.
        let mut prev = r.headcount_at(&cal, lo);
        let mut m = (lo.hours() * 60.0).round() as i64 + 1;
        while Calendar::day_minute(m.div_euclid(1440), m.rem_euclid(1440) as u32) <= hi {
            let t = Calendar::day_minute(m.div_euclid(1440), m.rem_euclid(1440) as u32);
            let now = r.headcount_at(&cal, t);
            if now != prev {
                assert!(bs.contains(&t), "{t}");
            }
            prev = now;
            m += 1;
        }
    }

    #[test]
    fn mixed_roster_matches_a_minute_scan() {
        let cal = Calendar::new(
            START,
            [date(2024, 1, 1), date(2024, 1, 10), date(2024, 1, 13)],
        );
        let r = Roster::new(vec![
            shift("Mon-Fri", "07:30", "15:45", 3, false),
            shift("Fri-Mon", "22:15", "06:10", 2, false),
            shift("Wed,Sat", "06:10", "22:15", 1, true),
            shift("Tue", "00:00", "24:00", 1, false),
            shift("Thu", "15:45", "07:30", 3, true),
        ]);
        check_against_scan(&r, &cal, -2, 18);
    }
}
