//! Working-hour calendars: open hours of an office or laboratory, and delays that count
//! only while it is open.

use super::{Calendar, Roster, Shift, Timeline};
use crate::engine::SimTime;

/// How far [`WorkingHours`] searches for an opening, in days (two years): a closure
/// longer than this makes [`WorkingHours::advance`] and
/// [`WorkingHours::last_open_at_or_before`] return `None`.
pub const OPENING_SEARCH_DAYS: i64 = 731;

/// Days examined per step of the backward search of
/// [`WorkingHours::last_open_at_or_before`] (enough for a weekend in one step).
const BACK_STEP_DAYS: i64 = 7;

/// A delay found to end within this many hours after a change point ends at the change
/// point: absorbs the rounding of the running sum of open time (3.6 µs).
const SNAP_HOURS: f64 = 1e-9;

/// A named calendar of open hours, such as a trader's office (Mon–Fri 08:30–18:00) or a
/// laboratory (Mon–Fri 09:00–17:00).
///
/// Open at `t` iff some shift covers `t` under the rules of
/// [`Shift::works_on`](super::Shift::works_on) (weekdays, make-up working days,
/// holidays); the shifts' staff do not matter. Open intervals are half-open: open at
/// the opening time, closed at the closing time. All boundaries come from
/// [`Calendar::day_minute`], as for a [`Roster`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WorkingHours {
    /// The shifts, each with staff 1: open iff the headcount is positive.
    roster: Roster,
    /// The open and closed intervals over the run's days, once [`WorkingHours::prepare`]d
    /// (the same answers as the roster's, faster).
    timeline: Option<Timeline>,
}

impl WorkingHours {
    /// Open hours made of these shifts (none: never open). Each shift's `staff` is
    /// replaced by 1, so a shift given with staff 0 still opens.
    pub fn new(shifts: Vec<Shift>) -> WorkingHours {
        let shifts = shifts
            .into_iter()
            .map(|shift| Shift { staff: 1, ..shift })
            .collect();
        WorkingHours {
            roster: Roster::new(shifts),
            timeline: None,
        }
    }

    /// Precomputes the open intervals under `cal` from day `first_day` to `last_day`:
    /// every answer stays the same, bit for bit, and those within the span come from a
    /// table. Every later call must pass the same `cal`.
    pub fn prepare(&mut self, cal: &Calendar, first_day: i64, last_day: i64) {
        self.timeline = Some(Timeline::new(&self.roster, cal, first_day, last_day));
    }

    /// [`Roster::next_change_after`] of the shifts, from the table if prepared.
    #[inline]
    fn next_change_after(&self, cal: &Calendar, t: SimTime) -> SimTime {
        match &self.timeline {
            Some(tl) => tl.next_change_after(&self.roster, cal, t),
            None => self.roster.next_change_after(cal, t),
        }
    }

    /// The shifts as a roster (every shift with staff 1).
    pub fn roster(&self) -> &Roster {
        &self.roster
    }

    /// Whether there is any shift (with none the calendar is never open).
    pub fn is_ever_open(&self) -> bool {
        // Open hours are never holidays-only shifts, so any shift opens some day.
        self.roster.has_staffed_shift()
    }

    /// Whether open at `t`.
    pub fn is_open(&self, cal: &Calendar, t: SimTime) -> bool {
        match &self.timeline {
            Some(tl) => tl.headcount_at(&self.roster, cal, t) > 0,
            None => self.roster.headcount_at(cal, t) > 0,
        }
    }

    /// The moment at which `hours` of open time have passed since `from`.
    ///
    /// Time outside open hours does not count: if `from` is closed, counting starts at
    /// the next opening. A delay that runs out exactly at a closing time ends at that
    /// closing time (not at the next opening). `hours <= 0` returns `from` itself, even
    /// when closed.
    ///
    /// Returns `None` if a closure longer than [`OPENING_SEARCH_DAYS`] days is met
    /// (never open, or holidays without end: a scenario error the caller reports), or if
    /// `hours` is NaN or infinite or `from` is not finite.
    ///
    /// Walks the open and closed intervals one by one, so the cost is proportional to
    /// the number of openings spanned.
    pub fn advance(&self, cal: &Calendar, from: SimTime, hours: f64) -> Option<SimTime> {
        if hours.is_nan() || hours == f64::INFINITY || !from.is_finite() {
            return None;
        }
        if hours <= 0.0 {
            return Some(from);
        }
        if !self.is_ever_open() {
            return None;
        }
        let horizon = OPENING_SEARCH_DAYS as f64 * 24.0;
        let mut t = from;
        let mut remaining = hours;
        let mut closed_since: Option<SimTime> = None;
        loop {
            // Open or closed throughout [t, next).
            let next = self.next_change_after(cal, t);
            if self.is_open(cal, t) {
                closed_since = None;
                let span = next - t;
                if remaining <= span + SNAP_HOURS {
                    return Some((t + remaining).min(next));
                }
                remaining -= span;
            } else {
                let since = *closed_since.get_or_insert(t);
                if next - since > horizon {
                    return None;
                }
            }
            t = next;
        }
    }

    /// The latest open moment at or before `t`: `t` itself if open, otherwise the end
    /// of the most recent open interval (the moment it closed, itself a closed moment).
    ///
    /// Searches back through the [`OPENING_SEARCH_DAYS`] days before the day of `t`,
    /// including days before the run start (the result may then be negative); returns
    /// `None` if closed throughout them, or if `t` is not finite.
    pub fn last_open_at_or_before(&self, cal: &Calendar, t: SimTime) -> Option<SimTime> {
        if !t.is_finite() {
            return None;
        }
        if self.is_open(cal, t) {
            return Some(t);
        }
        if !self.is_ever_open() {
            return None;
        }
        // Closed at t: it closed at the start of the closed run holding t, if the table
        // knows it (the run before was open, since change points change the headcount).
        if let Some((closed_at, _)) = self.timeline.as_ref().and_then(|tl| tl.run_start(t)) {
            return Some(closed_at);
        }
        let limit_day = Calendar::day_index(t).saturating_sub(OPENING_SEARCH_DAYS);
        let limit = Calendar::day_minute(limit_day, 0);
        // Invariant: closed throughout [hi, t].
        let mut hi = t;
        while hi > limit {
            let lo_day = Calendar::day_index(hi)
                .saturating_sub(BACK_STEP_DAYS)
                .max(limit_day);
            let lo = Calendar::day_minute(lo_day, 0);
            // Open or closed throughout [points[i - 1], points[i]), and closed from the
            // last point to `hi`.
            let mut points = vec![lo];
            points.extend(
                self.roster
                    .boundaries_in(cal, lo, hi)
                    .into_iter()
                    .filter(|&b| b > lo),
            );
            for i in (1..points.len()).rev() {
                if self.is_open(cal, points[i - 1]) {
                    return Some(points[i]);
                }
            }
            hi = lo;
        }
        None
    }

    /// Open hours in `[a, b)` (zero if `b <= a`; infinite if `b` is infinite and the
    /// calendar is ever open).
    ///
    /// Walks the intervals as [`WorkingHours::advance`] does, so that
    /// `open_hours_between(from, advance(from, h))` is `h` up to rounding.
    pub fn open_hours_between(&self, cal: &Calendar, a: SimTime, b: SimTime) -> f64 {
        if b <= a || !self.is_ever_open() {
            return 0.0;
        }
        if !a.is_finite() || !b.is_finite() {
            return f64::INFINITY;
        }
        let mut sum = 0.0;
        let mut t = a;
        while t < b {
            let next = self.next_change_after(cal, t).min(b);
            if self.is_open(cal, t) {
                sum += next - t;
            }
            t = next;
        }
        sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{ClockTime, DaySet};
    use jiff::Span;
    use jiff::civil::{Date, date};

    /// 2024-01-01, a Monday.
    const START: Date = date(2024, 1, 1);

    fn shift(days: &str, start: &str, end: &str, holidays: bool) -> Shift {
        Shift::new(
            DaySet::parse(days).unwrap(),
            ClockTime::parse(start).unwrap(),
            ClockTime::parse(end).unwrap(),
            1,
            holidays,
        )
        .unwrap()
    }

    /// Day `day` at `hh:mm`, by the boundary formula.
    fn dm(day: i64, hh: u32, mm: u32) -> SimTime {
        Calendar::day_minute(day, hh * 60 + mm)
    }

    fn plain() -> Calendar {
        Calendar::new(START, [])
    }

    /// A trader's office, Mon–Fri 08:30–18:00.
    fn trader() -> WorkingHours {
        WorkingHours::new(vec![shift("Mon-Fri", "08:30", "18:00", false)])
    }

    /// A laboratory, Mon–Fri 09:00–17:00.
    fn lab() -> WorkingHours {
        WorkingHours::new(vec![shift("Mon-Fri", "09:00", "17:00", false)])
    }

    #[test]
    fn is_open_ignores_staff_and_follows_the_shifts() {
        let cal = plain();
        let w = WorkingHours::new(vec![
            Shift::new(
                DaySet::parse("Mon-Fri").unwrap(),
                ClockTime::parse("08:30").unwrap(),
                ClockTime::parse("18:00").unwrap(),
                0,
                false,
            )
            .unwrap(),
        ]);
        assert!(w.is_ever_open());
        assert_eq!(w, trader());
        assert_eq!(w.roster().max_staff(), 1);
        assert!(!w.is_open(&cal, dm(0, 8, 29)));
        assert!(w.is_open(&cal, dm(0, 8, 30)));
        assert!(w.is_open(&cal, dm(0, 17, 59)));
        assert!(!w.is_open(&cal, dm(0, 18, 0)));
        assert!(!w.is_open(&cal, dm(5, 12, 0)));
        assert!(!WorkingHours::default().is_ever_open());
        assert!(!WorkingHours::new(vec![]).is_open(&cal, dm(0, 12, 0)));
    }

    #[test]
    fn advance_across_a_weekend_the_example() {
        // 1 h on Friday + 2.75 h on Monday.
        let cal = plain();
        assert_eq!(
            trader().advance(&cal, dm(4, 17, 0), 3.75),
            Some(dm(7, 11, 15))
        );
        assert_eq!(
            trader().advance(&cal, cal.time_of(date(2024, 1, 5).at(17, 0, 0, 0)), 3.75),
            Some(cal.time_of(date(2024, 1, 8).at(11, 15, 0, 0)))
        );
    }

    #[test]
    fn advance_within_a_day_and_across_a_night() {
        let cal = plain();
        let w = trader();
        assert_eq!(w.advance(&cal, dm(1, 10, 0), 2.0), Some(dm(1, 12, 0)));
        // 1 h on Tuesday + 1.5 h on Wednesday.
        assert_eq!(w.advance(&cal, dm(1, 17, 0), 2.5), Some(dm(2, 10, 0)));
        // From the middle of the night: counts from the opening.
        assert_eq!(w.advance(&cal, dm(2, 2, 0), 0.5), Some(dm(2, 9, 0)));
        assert_eq!(w.advance(&cal, dm(1, 23, 59), 9.5), Some(dm(2, 18, 0)));
        assert_eq!(w.advance(&cal, dm(1, 23, 59), 9.75), Some(dm(3, 8, 45)));
    }

    #[test]
    fn advance_across_a_holiday() {
        // Monday 2024-01-08 is a holiday.
        let cal = Calendar::new(START, [date(2024, 1, 8)]);
        assert_eq!(
            trader().advance(&cal, dm(4, 17, 0), 3.75),
            Some(dm(8, 11, 15))
        );
        // From inside the holiday.
        assert_eq!(
            trader().advance(&cal, dm(7, 10, 0), 1.0),
            Some(dm(8, 9, 30))
        );
        // A shift that works holidays ignores it.
        let always = WorkingHours::new(vec![shift("Mon-Fri", "08:30", "18:00", true)]);
        assert_eq!(
            always.advance(&cal, dm(4, 17, 0), 3.75),
            Some(dm(7, 11, 15))
        );
    }

    #[test]
    fn advance_over_a_make_up_saturday() {
        // Saturday 2024-01-06 is worked.
        let cal = plain().with_workdays([date(2024, 1, 6)]);
        assert_eq!(
            trader().advance(&cal, dm(4, 17, 0), 3.75),
            Some(dm(5, 11, 15))
        );
        assert_eq!(lab().advance(&cal, dm(3, 9, 0), 24.0), Some(dm(5, 17, 0)));
    }

    #[test]
    fn advance_exactly_at_boundaries() {
        let cal = plain();
        let w = trader();
        // Friday 18:00 is closed: counting starts on Monday 08:30.
        assert_eq!(w.advance(&cal, dm(4, 18, 0), 1.0), Some(dm(7, 9, 30)));
        assert_eq!(w.advance(&cal, dm(4, 18, 0), 0.25), Some(dm(7, 8, 45)));
        // 08:30 is open.
        assert_eq!(w.advance(&cal, dm(0, 8, 30), 1.0), Some(dm(0, 9, 30)));
        assert_eq!(w.advance(&cal, dm(0, 8, 30), 9.5), Some(dm(0, 18, 0)));
        // A delay running out at closing time ends then, not at the next opening.
        assert_eq!(w.advance(&cal, dm(4, 17, 0), 1.0), Some(dm(4, 18, 0)));
        assert_eq!(w.advance(&cal, dm(4, 8, 30), 9.5), Some(dm(4, 18, 0)));
        assert_eq!(w.advance(&cal, dm(0, 8, 30), 5.0 * 9.5), Some(dm(4, 18, 0)));
        // Just after: the next opening.
        assert_eq!(
            w.advance(&cal, dm(4, 17, 0), 1.0 + 1.0 / 60.0),
            Some(dm(7, 8, 31))
        );
        // Just before an opening.
        assert_eq!(w.advance(&cal, dm(7, 8, 29), 1.0), Some(dm(7, 9, 30)));
    }

    #[test]
    fn advance_by_zero_returns_from_itself() {
        let cal = plain();
        let w = trader();
        for from in [
            dm(4, 18, 0),
            dm(5, 10, 0),
            dm(0, 8, 30),
            dm(0, 12, 0),
            dm(-3, 2, 0),
        ] {
            assert_eq!(w.advance(&cal, from, 0.0), Some(from));
            assert_eq!(w.advance(&cal, from, -1.0), Some(from));
        }
        assert_eq!(
            WorkingHours::default().advance(&cal, dm(1, 0, 0), 0.0),
            Some(dm(1, 0, 0))
        );
    }

    #[test]
    fn advance_long_delays() {
        let cal = plain();
        let w = lab();
        // 24 lab hours = 3 working days.
        assert_eq!(w.advance(&cal, dm(0, 9, 0), 24.0), Some(dm(2, 17, 0)));
        assert_eq!(w.advance(&cal, dm(0, 17, 0), 24.0), Some(dm(3, 17, 0)));
        assert_eq!(w.advance(&cal, dm(3, 9, 0), 24.0), Some(dm(7, 17, 0)));
        assert_eq!(w.advance(&cal, dm(3, 13, 0), 24.0), Some(dm(8, 13, 0)));
        // 10 working weeks.
        assert_eq!(w.advance(&cal, dm(0, 9, 0), 400.0), Some(dm(67, 17, 0)));
        // A year of open hours: 262 weekdays in 2024.
        assert_eq!(
            w.advance(&cal, dm(0, 0, 0), 262.0 * 8.0),
            Some(dm(365, 17, 0))
        );
    }

    #[test]
    fn advance_never_or_not_for_years_open_is_none() {
        let cal = plain();
        let never = WorkingHours::new(vec![]);
        assert!(!never.is_ever_open());
        assert_eq!(never.advance(&cal, dm(0, 10, 0), 1.0), None);
        // Holidays every day for 800 days: closed for more than two years.
        let holidays: Vec<Date> = (0..800)
            .map(|i| START.checked_add(Span::new().days(i)).unwrap())
            .collect();
        let closed = Calendar::new(START, holidays.clone());
        assert_eq!(lab().advance(&closed, dm(0, 10, 0), 1.0), None);
        assert_eq!(
            lab().advance(&closed, dm(0, 10, 0), 0.0),
            Some(dm(0, 10, 0))
        );
        // A closure of a year is waited out.
        let year = Calendar::new(START, holidays[..366].iter().copied());
        assert_eq!(
            lab().advance(&year, dm(0, 10, 0), 1.0),
            Some(dm(366, 10, 0))
        ); // Wednesday 2025-01-01
        // Unusable inputs.
        assert_eq!(lab().advance(&cal, dm(0, 10, 0), f64::NAN), None);
        assert_eq!(lab().advance(&cal, dm(0, 10, 0), f64::INFINITY), None);
        assert_eq!(lab().advance(&cal, SimTime::INFINITY, 1.0), None);
    }

    #[test]
    fn advance_with_overnight_and_overlapping_shifts() {
        let cal = Calendar::new(START, [date(2024, 1, 3)]);
        let w = WorkingHours::new(vec![
            shift("Mon-Fri", "08:00", "16:00", false),
            shift("Mon-Fri", "12:00", "20:00", false),
            shift("Fri", "22:00", "06:00", false),
        ]);
        // Overlap counts once: 08:00-20:00 is 12 open hours.
        assert_eq!(w.open_hours_between(&cal, dm(0, 0, 0), dm(1, 0, 0)), 12.0);
        assert_eq!(w.advance(&cal, dm(0, 8, 0), 12.0), Some(dm(0, 20, 0)));
        assert_eq!(w.advance(&cal, dm(0, 8, 0), 13.0), Some(dm(1, 9, 0)));
        // Wednesday is a holiday: Tuesday 19:00 + 2 h = Thursday 09:00.
        assert_eq!(w.advance(&cal, dm(1, 19, 0), 2.0), Some(dm(3, 9, 0)));
        // Friday 19:00 + 3 h: 1 h to 20:00, 2 h from 22:00.
        assert_eq!(w.advance(&cal, dm(4, 19, 0), 3.0), Some(dm(5, 0, 0)));
        assert_eq!(w.advance(&cal, dm(4, 19, 0), 10.0), Some(dm(7, 9, 0)));
    }

    #[test]
    fn last_open_at_or_before() {
        let cal = plain();
        let w = trader();
        // Saturday: Friday's closing time.
        assert_eq!(
            w.last_open_at_or_before(&cal, dm(5, 10, 0)),
            Some(dm(4, 18, 0))
        );
        assert_eq!(
            w.last_open_at_or_before(&cal, dm(6, 23, 59)),
            Some(dm(4, 18, 0))
        );
        // During open hours: `t` itself, including the opening moment.
        assert_eq!(
            w.last_open_at_or_before(&cal, dm(2, 12, 0)),
            Some(dm(2, 12, 0))
        );
        assert_eq!(
            w.last_open_at_or_before(&cal, dm(2, 8, 30)),
            Some(dm(2, 8, 30))
        );
        let t = SimTime::from_hours(58.123_456);
        assert_eq!(w.last_open_at_or_before(&cal, t), Some(t));
        // At the closing moment: that moment.
        assert_eq!(
            w.last_open_at_or_before(&cal, dm(4, 18, 0)),
            Some(dm(4, 18, 0))
        );
        // Monday 07:00: the previous Friday 18:00, before the run start on day 0.
        assert_eq!(
            w.last_open_at_or_before(&cal, dm(7, 7, 0)),
            Some(dm(4, 18, 0))
        );
        assert_eq!(
            w.last_open_at_or_before(&cal, dm(0, 7, 0)),
            Some(dm(-3, 18, 0))
        );
        assert_eq!(dm(-3, 18, 0), SimTime::from_hours(-54.0));
        // Before an opening: the previous evening's closing.
        assert_eq!(
            w.last_open_at_or_before(&cal, dm(2, 8, 29)),
            Some(dm(1, 18, 0))
        );
        // A holiday Monday and a make-up Saturday.
        let cal2 = Calendar::new(START, [date(2024, 1, 8)]).with_workdays([date(2024, 1, 6)]);
        assert_eq!(
            w.last_open_at_or_before(&cal2, dm(8, 7, 0)),
            Some(dm(5, 18, 0))
        );
        // Shifts that end after midnight.
        let night = WorkingHours::new(vec![shift("Fri", "20:00", "08:00", false)]);
        assert_eq!(
            night.last_open_at_or_before(&cal, dm(5, 10, 0)),
            Some(dm(5, 8, 0))
        );
        assert_eq!(
            night.last_open_at_or_before(&cal, dm(11, 19, 0)),
            Some(dm(5, 8, 0))
        );
        assert_eq!(
            night.last_open_at_or_before(&cal, dm(5, 7, 0)),
            Some(dm(5, 7, 0))
        );
    }

    #[test]
    fn last_open_at_or_before_far_back_or_never() {
        let cal = plain();
        assert_eq!(
            WorkingHours::default().last_open_at_or_before(&cal, dm(3, 0, 0)),
            None
        );
        // A closure of a year and a half is searched through; of more than two years not.
        let days = |n| (0..n).map(|i| START.checked_add(Span::new().days(i)).unwrap());
        let long = Calendar::new(START, days(550));
        let t = dm(549, 12, 0);
        assert_eq!(lab().last_open_at_or_before(&long, t), Some(dm(-3, 17, 0)));
        let longer = Calendar::new(START, days(800));
        assert_eq!(lab().last_open_at_or_before(&longer, dm(799, 12, 0)), None);
        assert_eq!(lab().last_open_at_or_before(&cal, SimTime::INFINITY), None);
    }

    #[test]
    fn open_hours_between_simple_cases() {
        let cal = plain();
        let w = trader();
        assert_eq!(w.open_hours_between(&cal, dm(0, 0, 0), dm(7, 0, 0)), 47.5);
        assert_eq!(
            w.open_hours_between(&cal, dm(4, 17, 0), dm(7, 11, 15)),
            3.75
        );
        assert_eq!(w.open_hours_between(&cal, dm(5, 0, 0), dm(7, 0, 0)), 0.0);
        assert_eq!(w.open_hours_between(&cal, dm(2, 12, 0), dm(2, 12, 0)), 0.0);
        assert_eq!(w.open_hours_between(&cal, dm(2, 12, 0), dm(1, 12, 0)), 0.0);
        assert_eq!(w.open_hours_between(&cal, dm(-7, 0, 0), dm(0, 0, 0)), 47.5);
        assert_eq!(
            w.open_hours_between(&cal, dm(0, 0, 0), SimTime::INFINITY),
            f64::INFINITY
        );
        assert_eq!(
            WorkingHours::default().open_hours_between(&cal, dm(0, 0, 0), dm(9, 0, 0)),
            0.0
        );
        // A 2024 year of the lab: 262 weekdays of 8 hours.
        assert_eq!(
            lab().open_hours_between(&cal, dm(0, 0, 0), dm(366, 0, 0)),
            262.0 * 8.0
        );
    }

    /// Checks `advance`, `open_hours_between` and `last_open_at_or_before` against each
    /// other for many starting points and delays.
    fn check_consistency(w: &WorkingHours, cal: &Calendar) {
        let delays = [
            1e-6,
            0.01,
            0.1,
            0.25,
            1.0 / 3.0,
            1.0,
            2.0,
            3.75,
            7.3,
            8.0,
            9.5,
            10.0,
            24.0,
            47.5,
            100.0,
            333.3,
        ];
        // Every 37 minutes and a few seconds over three weeks, from before the start.
        let mut from = SimTime::from_hours(-30.0);
        while from < SimTime::from_hours(21.0 * 24.0) {
            for &h in &delays {
                let r = w.advance(cal, from, h).unwrap();
                assert!(r > from, "{from} + {h}");
                let back = w.open_hours_between(cal, from, r);
                assert!((back - h).abs() <= 1e-9, "{from} + {h} = {r}: {back}");
                // Open just before the end: nothing later was needed.
                assert!(w.is_open(cal, r + (-1e-7)), "{from} + {h} = {r}");
                // The end is the latest open moment at or before itself.
                assert_eq!(
                    w.last_open_at_or_before(cal, r),
                    Some(r),
                    "{from} + {h} = {r}"
                );
            }
            let last = w.last_open_at_or_before(cal, from).unwrap();
            assert!(last <= from);
            assert_eq!(w.open_hours_between(cal, last, from), 0.0, "{from}");
            if last < from {
                assert!(
                    !w.is_open(cal, last) && w.is_open(cal, last + (-1e-7)),
                    "{from}"
                );
            } else {
                assert!(w.is_open(cal, from));
            }
            from = from + (37.0 / 60.0 + 7.0 / 3600.0);
        }
        // Minute boundaries: also exact.
        for m in -1440i64..21 * 1440 {
            let t = Calendar::day_minute(m.div_euclid(1440), m.rem_euclid(1440) as u32);
            let r = w.advance(cal, t, 1.0).unwrap();
            assert!((w.open_hours_between(cal, t, r) - 1.0).abs() <= 1e-9, "{t}");
        }
    }

    #[test]
    fn advance_and_open_hours_between_agree() {
        check_consistency(&trader(), &plain());
        check_consistency(&lab(), &Calendar::new(START, [date(2024, 1, 10)]));
        let cal = Calendar::new(START, [date(2024, 1, 3), date(2024, 1, 13)])
            .with_workdays([date(2024, 1, 6), date(2024, 1, 13)]);
        let mixed = WorkingHours::new(vec![
            shift("Mon-Fri", "07:30", "15:45", false),
            shift("Fri-Mon", "22:15", "06:10", false),
            shift("Wed,Sat", "06:10", "22:15", true),
            shift("Thu", "15:45", "07:30", true),
        ]);
        check_consistency(&mixed, &cal);
    }
}
