//! A roster's step function precomputed over a span of days, so that "how many on duty
//! at t" and "when does that change next" are binary searches instead of a walk over
//! every shift and day.
//!
//! The answers are those of [`Roster::headcount_at`] and [`Roster::next_change_after`]
//! bit for bit: the change points are the roster's own boundaries (from
//! [`Calendar::day_minute`]) at which `headcount_at` differs from its value just before,
//! and a time outside the span (or a look-ahead reaching past it) is answered by the
//! roster itself.
//!
//! A question is answered from the day it falls in: each day of the span keeps how many
//! change points come at or before its 00:00, so finding a time's place among them
//! takes a step or two past that (a day has a few changes) instead of a binary search
//! over the whole span — the same place, found sooner.

use super::{Calendar, RECHECK_DAYS, Roster};
use crate::engine::SimTime;

/// The headcount of a roster as change points over `[start, end]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    /// 00:00 of the first day covered.
    start: SimTime,
    /// 00:00 of the day after the last day covered.
    end: SimTime,
    /// The headcount at `start`.
    initial: u32,
    /// The times in `(start, end]` at which the headcount changes, ascending.
    times: Vec<SimTime>,
    /// The headcount from each of `times` until the next.
    counts: Vec<u32>,
    /// The first day covered (its 00:00 is `start`).
    first_day: i64,
    /// For each day covered, the number of `times` at or before its 00:00.
    day_changes: Vec<u32>,
}

impl Timeline {
    /// The step function of `roster` under `cal` from 00:00 of `first_day` to 00:00 of
    /// the day after `last_day`.
    pub fn new(roster: &Roster, cal: &Calendar, first_day: i64, last_day: i64) -> Timeline {
        let start = Calendar::day_minute(first_day, 0);
        let end = Calendar::day_minute(last_day.saturating_add(1), 0);
        // One sweep over the starts and ends of every worked interval that can cover a
        // time in the span (a shift's interval of day d lies within [d, d + 2], so days
        // from two before the first): the headcount after the steps at b is the sum of
        // the intervals with start <= b < end, as `Roster::headcount_at` counts it.
        let mut steps: Vec<(SimTime, i64)> = Vec::new();
        for shift in roster.shifts() {
            if shift.staff == 0 {
                continue;
            }
            for day in first_day.saturating_sub(2)..=last_day.saturating_add(1) {
                if shift.works_on(cal, day) {
                    let (from, to) = shift.interval(day);
                    let staff = i64::from(shift.staff);
                    steps.extend([(from, staff), (to, -staff)]);
                }
            }
        }
        steps.sort_unstable_by(|a, b| a.0.hours().total_cmp(&b.0.hours()));
        // `headcount_at` adds with saturation: the same as capping the exact sum.
        let count = |sum: i64| sum.clamp(0, i64::from(u32::MAX)) as u32;
        let mut sum = 0i64;
        let mut i = 0;
        while i < steps.len() && steps[i].0 <= start {
            sum += steps[i].1;
            i += 1;
        }
        let initial = count(sum);
        let mut times = Vec::new();
        let mut counts = Vec::new();
        let mut current = initial;
        while i < steps.len() && steps[i].0 <= end {
            let b = steps[i].0;
            while i < steps.len() && steps[i].0 == b {
                sum += steps[i].1;
                i += 1;
            }
            let now = count(sum);
            if now != current {
                times.push(b);
                counts.push(now);
                current = now;
            }
        }
        let days = last_day.saturating_sub(first_day).saturating_add(1).max(0);
        let day_changes = (0..days)
            .map(|i| {
                let midnight = Calendar::day_minute(first_day + i, 0);
                let k = times.partition_point(|&c| c <= midnight);
                u32::try_from(k).expect("fewer than 2^32 change points")
            })
            .collect();
        Timeline {
            start,
            end,
            initial,
            times,
            counts,
            first_day,
            day_changes,
        }
    }

    /// Whether the table covers exactly days `first_day` to `last_day` (as made by
    /// [`Timeline::new`] with them).
    pub fn spans(&self, first_day: i64, last_day: i64) -> bool {
        self.start == Calendar::day_minute(first_day, 0)
            && self.end == Calendar::day_minute(last_day.saturating_add(1), 0)
    }

    /// Whether `t` lies in the span covered.
    #[inline]
    fn covers(&self, t: SimTime) -> bool {
        self.start <= t && t < self.end
    }

    /// The day covered that `t` (covered) falls in, counted from the first: the `i` with
    /// `t` in [00:00 of day `first_day + i`, 00:00 of the next) — midnights computed as
    /// [`Calendar::day_minute`] does, so that `first_day + i` is [`Calendar::day_index`]
    /// of `t`.
    #[inline]
    fn day_of(&self, t: SimTime) -> usize {
        let h = t.hours();
        let midnight = |i: usize| Calendar::day_minute(self.first_day + i as i64, 0).hours();
        // `h >= start`, so the cast truncates a non-negative number: the floor, or — the
        // quotient being a few units in the last place off — a day off when it rounds
        // across a midnight, which one step settles. (One step, not a loop: a loop gets
        // vectorised into a scan of every earlier day.)
        let i = ((h - self.start.hours()) / 24.0) as usize;
        if i > 0 && midnight(i) > h {
            i - 1
        } else if midnight(i + 1) <= h {
            i + 1
        } else {
            i
        }
    }

    /// The number of change points at or before `t` (covered), from its day's count.
    #[inline]
    fn changes_up_to(&self, t: SimTime) -> usize {
        self.changes_in_day_up_to(self.day_of(t), t)
    }

    /// The number of change points at or before `t`, which falls in day `day` (counted
    /// from the first): the day's count at its 00:00 (all at or before `t`), then each
    /// change of the day up to `t`.
    #[inline]
    fn changes_in_day_up_to(&self, day: usize, t: SimTime) -> usize {
        let mut k = self.day_changes[day] as usize;
        // The day is found comparing numbers, the changes in `SimTime`'s total order,
        // where −0.0 comes before a change at +0.0: then, and only then, step back.
        if k > 0 && self.times[k - 1] > t {
            k -= 1;
        }
        while self.times.get(k).is_some_and(|&c| c <= t) {
            k += 1;
        }
        k
    }

    /// [`Roster::headcount_at`], from the table when `t` is covered.
    #[inline]
    pub fn headcount_at(&self, roster: &Roster, cal: &Calendar, t: SimTime) -> u32 {
        if !self.covers(t) {
            return roster.headcount_at(cal, t);
        }
        match self.changes_up_to(t) {
            0 => self.initial,
            k => self.counts[k - 1],
        }
    }

    /// [`Roster::next_change_after`], from the table when its look-ahead (to the
    /// re-check point [`RECHECK_DAYS`] days on) stays in the span.
    #[inline]
    pub fn next_change_after(&self, roster: &Roster, cal: &Calendar, t: SimTime) -> SimTime {
        if !self.covers(t) {
            return roster.next_change_after(cal, t);
        }
        let day = self.day_of(t);
        // `first_day + day` is `Calendar::day_index(t)`.
        let recheck = Calendar::day_minute(self.first_day + day as i64 + RECHECK_DAYS, 0);
        if recheck > self.end {
            return roster.next_change_after(cal, t);
        }
        // The first boundary after t whose headcount differs from t's is the first change
        // point after t; with none by the re-check point, the roster answers that point.
        match self.times.get(self.changes_in_day_up_to(day, t)) {
            Some(&c) if c <= recheck => c,
            _ => recheck,
        }
    }

    /// The start of the run of the headcount that holds at `t` (the last change point at
    /// or before `t`), and the headcount before it; `None` when that run began before
    /// the span or `t` is not covered.
    #[inline]
    pub fn run_start(&self, t: SimTime) -> Option<(SimTime, u32)> {
        if !self.covers(t) {
            return None;
        }
        match self.changes_up_to(t) {
            0 => None,
            1 => Some((self.times[0], self.initial)),
            k => Some((self.times[k - 1], self.counts[k - 2])),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::test_shift as shift;
    use crate::calendar::{HolidayRule, Shift};
    use jiff::civil::date;

    /// Rosters with day, overnight, back-to-back, holiday-only and make-up-day shifts.
    fn rosters() -> Vec<Roster> {
        vec![
            Roster::new(vec![shift("Mon-Fri", "09:00", "17:00", 3, false)]),
            Roster::new(vec![
                shift("Mon-Sun", "08:00", "20:00", 2, true),
                shift("Mon-Sun", "20:00", "08:00", 2, true),
            ]),
            Roster::new(vec![
                shift("Mon-Fri", "08:30", "18:00", 4, false),
                shift("Sat", "10:00", "14:00", 1, false),
                shift("Mon-Sun", "22:00", "06:00", 1, true),
                Shift {
                    holidays: HolidayRule::Only,
                    ..shift("Mon-Sun", "00:00", "24:00", 1, false)
                },
            ]),
            Roster::new(vec![shift("Mon-Sun", "00:00", "24:00", 5, true)]),
            Roster::new(vec![]),
        ]
    }

    #[test]
    fn answers_as_the_roster_does_at_every_quarter_hour_and_boundary() {
        let cal = Calendar::new(date(2017, 1, 1), [date(2017, 1, 2), date(2017, 1, 28)])
            .with_workdays([date(2017, 1, 22), date(2017, 2, 4)]);
        for roster in rosters() {
            let timeline = Timeline::new(&roster, &cal, -3, 60);
            // Inside, at the edges and outside the span (where the roster answers).
            let mut times: Vec<SimTime> = (-6 * 24 * 4..70 * 24 * 4)
                .map(|q| SimTime::from_hours(q as f64 / 4.0))
                .collect();
            times.extend(roster.boundaries_in(
                &cal,
                SimTime::from_hours(-100.0),
                SimTime::from_hours(1700.0),
            ));
            times.extend([0.1, 1000.0 / 3.0, 1_439.999_999, 1464.0].map(SimTime::from_hours));
            for t in times {
                assert_eq!(
                    timeline.headcount_at(&roster, &cal, t),
                    roster.headcount_at(&cal, t),
                    "{roster:?} at {t}"
                );
                assert_eq!(
                    timeline
                        .next_change_after(&roster, &cal, t)
                        .hours()
                        .to_bits(),
                    roster.next_change_after(&cal, t).hours().to_bits(),
                    "{roster:?} after {t}"
                );
            }
        }
    }

    #[test]
    fn a_times_day_and_place_are_those_of_a_search_of_the_whole_span() {
        let cal = Calendar::new(date(2017, 1, 1), [date(2017, 1, 2)]);
        // Also a roster that changes at +0.0, asked about at −0.0 (before it, in the
        // total order times compare in).
        let night = Roster::new(vec![shift("Mon-Sun", "00:00", "06:00", 1, true)]);
        for roster in rosters().into_iter().chain([night]) {
            let timeline = Timeline::new(&roster, &cal, -3, 60);
            let mut times = vec![-0.0];
            for day in -3..=60 {
                let midnight = Calendar::day_minute(day, 0).hours();
                // Each midnight, a hair either side, and the day's change points.
                times.extend([midnight, midnight.next_down(), midnight.next_up()]);
            }
            times.extend(timeline.times.iter().map(|c| c.hours()));
            times.extend(timeline.times.iter().map(|c| c.hours().next_down()));
            for h in times.into_iter().map(SimTime::from_hours) {
                if !timeline.covers(h) {
                    continue;
                }
                let day = timeline.day_of(h);
                assert_eq!(
                    timeline.first_day + day as i64,
                    Calendar::day_index(h),
                    "{h}"
                );
                assert_eq!(
                    timeline.changes_up_to(h),
                    timeline.times.partition_point(|&c| c <= h),
                    "{roster:?} at {h}"
                );
            }
        }
    }

    #[test]
    fn a_run_starts_at_its_change_point() {
        let cal = Calendar::new(date(2024, 1, 1), []);
        let roster = Roster::new(vec![shift("Mon-Fri", "09:00", "17:00", 3, false)]);
        let timeline = Timeline::new(&roster, &cal, 0, 13);
        // Monday 12:00: open since 09:00, closed before.
        assert_eq!(
            timeline.run_start(SimTime::from_hours(12.0)),
            Some((SimTime::from_hours(9.0), 0))
        );
        // Saturday: closed since Friday 17:00.
        assert_eq!(
            timeline.run_start(SimTime::from_hours(5.0 * 24.0 + 3.0)),
            Some((SimTime::from_hours(4.0 * 24.0 + 17.0), 3))
        );
        // Before the first change, and outside the span: unknown here.
        assert_eq!(timeline.run_start(SimTime::from_hours(2.0)), None);
        assert_eq!(timeline.run_start(SimTime::from_hours(-1.0)), None);
        assert_eq!(timeline.run_start(SimTime::from_hours(14.0 * 24.0)), None);
    }
}
