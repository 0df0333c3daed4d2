//! Occupancy of a pool: how long, within each period, it held 0, 1, 2, … shipments
//! (in service or waiting) — the distribution of L(t) from which the iterative
//! staffing algorithm reads P(L(t) ≥ s). Recorded only when asked for
//! ([`super::Model::occupancy`]); periods are whole hours, pooled round a cycle (the
//! hours of a day, or of a week), by day type and hour of the day over a range of
//! days, or, without a cycle, the hours of the counting window.

use std::sync::Arc;

/// Which hours are pooled into one period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OccupancyPeriods {
    /// Hours round a cycle.
    Cycle {
        /// Periods in the cycle: 24 pools the same hour of every day, 168 the same hour
        /// of every week; 0 keeps every hour of the window apart.
        cycle: usize,
        /// The period of the simulation's first hour (the start date's 00:00), so that
        /// a cycle of 168 can start on Monday: (hour + offset) mod cycle.
        offset: usize,
    },
    /// The hours of a range of days, pooled by the day's type and the hour of the day:
    /// period = type × 24 + hour. Hours outside the range are not recorded.
    DayTypes {
        /// The range's first day (days since the start date).
        first_day: usize,
        /// The type of each day of the range, from `first_day` on (each below `types`).
        day_types: Arc<[u16]>,
        /// How many day types there are.
        types: usize,
    },
}

impl OccupancyPeriods {
    /// The hours of the day, pooled over every day.
    pub const DAY: OccupancyPeriods = OccupancyPeriods::Cycle {
        cycle: 24,
        offset: 0,
    };

    /// How many periods there are (for [`Cycle`](Self::Cycle) with cycle 0, none: the
    /// window decides).
    pub fn count(&self) -> usize {
        match self {
            OccupancyPeriods::Cycle { cycle, .. } => *cycle,
            OccupancyPeriods::DayTypes { types, .. } => types * 24,
        }
    }
}

/// The hours spent at each occupancy, per period, over the counting window.
#[derive(Clone, Debug)]
pub(super) struct Occupancy {
    periods: OccupancyPeriods,
    w0: f64,
    w1: f64,
    /// Since when the pool holds `level` shipments.
    since: f64,
    level: usize,
    /// `hours[period][level]`.
    hours: Vec<Vec<f64>>,
}

impl Occupancy {
    /// Records over the window `[w0, w1)` (hours from the start's 00:00), an empty pool
    /// at time 0.
    pub fn new(periods: OccupancyPeriods, w0: f64, w1: f64) -> Occupancy {
        let count = match periods {
            OccupancyPeriods::Cycle { cycle: 0, .. } => (w1.ceil() - w0.floor()).max(0.0) as usize,
            _ => periods.count(),
        };
        Occupancy {
            periods,
            w0,
            w1,
            since: 0.0,
            level: 0,
            hours: vec![Vec::new(); count],
        }
    }

    /// The period of hour `h` (whole hours since the start's 00:00), if it has one.
    #[inline]
    fn period(&self, h: f64) -> Option<usize> {
        match &self.periods {
            OccupancyPeriods::Cycle { cycle: 0, .. } => Some((h - self.w0.floor()) as usize),
            OccupancyPeriods::Cycle { cycle, offset } => Some((h as usize + offset) % cycle),
            OccupancyPeriods::DayTypes {
                first_day,
                day_types,
                ..
            } => {
                let hour = h as usize;
                let day = (hour / 24).checked_sub(*first_day)?;
                day_types.get(day).map(|&t| usize::from(t) * 24 + hour % 24)
            }
        }
    }

    /// The pool holds `level` shipments from `t` on.
    #[inline]
    pub fn set(&mut self, t: f64, level: usize) {
        if level == self.level {
            return;
        }
        self.add_until(t);
        self.since = t;
        self.level = level;
    }

    /// Adds the time from `since` to `t` (clipped to the window) at the current level,
    /// split at whole hours.
    fn add_until(&mut self, t: f64) {
        let mut a = self.since.max(self.w0);
        let b = t.min(self.w1);
        while a < b {
            let hour = a.floor();
            let end = (hour + 1.0).min(b);
            if let Some(p) = self.period(hour) {
                let row = &mut self.hours[p];
                if row.len() <= self.level {
                    row.resize(self.level + 1, 0.0);
                }
                row[self.level] += end - a;
            }
            a = end;
        }
    }

    /// The hours at each level per period, at the end of the window.
    pub fn finish(mut self, end: f64) -> Vec<Vec<f64>> {
        self.add_until(end);
        self.hours
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn occupancy(cycle: usize, offset: usize, w0: f64, w1: f64) -> Occupancy {
        Occupancy::new(OccupancyPeriods::Cycle { cycle, offset }, w0, w1)
    }

    #[test]
    fn time_at_each_level_is_split_at_whole_hours_and_pooled_round_the_cycle() {
        // A day cycle, window [1, 49): two whole days from 01:00.
        let mut o = occupancy(24, 0, 1.0, 49.0);
        o.set(0.5, 2); // before the window: only from 1.0 counts
        o.set(1.25, 3);
        o.set(26.5, 0); // 02:30 of day 2
        let hours = o.finish(49.0);
        // Hour 1 (01:00–02:00) on day 1: 0.25 h at 2, 0.75 h at 3; on day 2: 1 h at 3.
        assert_eq!(hours[1], [0.0, 0.0, 0.25, 1.75]);
        // Hour 2: day 1 at 3 for the hour, day 2 at 3 until 02:30 then empty.
        assert_eq!(hours[2], [0.5, 0.0, 0.0, 1.5]);
        // Hour 0: day 1's is before the window; day 2's at 3, day 3's (48–49) empty.
        assert_eq!(hours[0], [1.0, 0.0, 0.0, 1.0]);
        // Every period's hours add up to the window's days in it.
        let total: f64 = hours.iter().flatten().sum();
        assert!((total - 48.0).abs() < 1e-12);
    }

    #[test]
    fn without_a_cycle_every_hour_of_the_window_is_its_own_period() {
        let mut o = occupancy(0, 0, 2.0, 5.0);
        o.set(3.5, 1);
        let hours = o.finish(5.0);
        assert_eq!(hours.len(), 3);
        assert_eq!(hours[0], [1.0]);
        assert_eq!(hours[1], [0.5, 0.5]);
        assert_eq!(hours[2], [0.0, 1.0]);
    }

    #[test]
    fn day_types_pool_the_hours_of_days_of_one_type_and_skip_days_outside_the_range() {
        // Days 1 to 3 recorded: types 1, 0, 1; days 0 and 4 are outside the range.
        let periods = OccupancyPeriods::DayTypes {
            first_day: 1,
            day_types: Arc::from(vec![1u16, 0, 1]),
            types: 2,
        };
        assert_eq!(periods.count(), 48);
        let mut o = Occupancy::new(periods, 0.0, 120.0);
        o.set(0.0, 1); // one shipment throughout
        let hours = o.finish(120.0);
        assert_eq!(hours.len(), 48);
        // Hour 5 of type 0: day 2 only; of type 1: days 1 and 3.
        assert_eq!(hours[5], [0.0, 1.0]);
        assert_eq!(hours[24 + 5], [0.0, 2.0]);
        // 72 hours recorded in all, none from days 0 and 4.
        let total: f64 = hours.iter().flatten().sum();
        assert!((total - 72.0).abs() < 1e-12);
    }

    #[test]
    fn a_week_cycle_starts_at_its_offset() {
        let mut o = occupancy(168, 48, 0.0, 1.0);
        o.set(0.0, 1);
        let hours = o.finish(1.0);
        assert_eq!(hours[48], [0.0, 1.0]);
    }
}
