//! Time series of one replication, for plots: how the number in the system, queues and
//! staff on duty vary by hour of the week and by day, and clearance by day of arrival.
//!
//! A step function (shipments in the system, a queue, a headcount) is not sampled at
//! points: its integral over the counting window, which the flow keeps anyway, is split
//! at every whole hour into the bins of that hour — its hour of the week and its day of
//! the window — and so are the counted arrivals. A bin's mean is then exact: its
//! integral over the window hours that fell into it ([`SeriesClock::coverage`]). The
//! flow splits lazily, before the first event at or after each whole hour (nothing
//! changes between events). Per shipment, an arrival notes its day and its release adds
//! to that day.
//!
//! Hours of the week follow [`Calendar::hour_of_week`], as arrival profiles do: 0 is
//! Monday 00:00-01:00, a holiday counts as a Sunday and a make-up working day as a
//! Wednesday. Day 0 is the day that contains the warm-up end.
//!
//! The daily series hold at most [`MAX_PERIODS`] bins, so that memory and the summary do
//! not grow with the horizon: a longer window bins [`SeriesClock::days_per_bin`] whole
//! days together — a week or several (bin i holds days i·w … i·w + w − 1 of the window).

pub use crate::results::series::{Bin, Binned, HOURS_OF_WEEK, ModeSeries, PoolSeries};

use crate::calendar::Calendar;
use crate::engine::SimTime;

/// The most bins a daily series has: a window of up to this many days is binned by day,
/// a longer one by weeks or periods of whole weeks (about 2.7 years of days; a chart
/// cannot show more points than that anyway).
pub const MAX_PERIODS: usize = 1000;

/// Whole days per bin of the daily series for a window of `days` days: 1, or a multiple
/// of 7 — whole weeks, so that each bin holds every day of the week alike and the weekly
/// rhythm of rosters does not alias into the series.
pub fn days_per_bin(days: usize) -> usize {
    if days <= MAX_PERIODS {
        1
    } else {
        7 * days.div_ceil(7 * MAX_PERIODS)
    }
}

/// Walks a replication's counting window hour by hour: knows the bin of the current
/// stretch (from the last split to the next whole hour) and records which window hours
/// fell into each bin.
#[derive(Clone, Debug)]
pub struct SeriesClock {
    window_end: f64,
    first_day: i64,
    days: usize,
    days_per_bin: usize,
    /// Day of the window of the current stretch.
    day: usize,
    /// The series are binned up to here.
    closed_until: f64,
    /// The next whole hour at which to split (infinite when none is left before the
    /// window end).
    next_split: f64,
    /// The bin of `[closed_until, next_split)`, and its hour of the day.
    current: Bin,
    hour_of_day: u8,
    /// Window hours in each bin.
    pub coverage: Binned,
}

impl SeriesClock {
    /// The clock of the window `[window_start, window_end)` hours of `calendar`.
    pub fn new(calendar: &Calendar, window_start: f64, window_end: f64) -> SeriesClock {
        let start = SimTime::from_hours(window_start);
        let first_day = Calendar::day_index(start);
        let mut last_day = Calendar::day_index(SimTime::from_hours(window_end));
        if Calendar::day_minute(last_day, 0).hours() >= window_end {
            last_day -= 1;
        }
        let days = if window_end > window_start {
            usize::try_from(last_day - first_day + 1).unwrap_or(0)
        } else {
            0
        };
        let next = window_start.floor() + 1.0;
        let days_per_bin = days_per_bin(days);
        SeriesClock {
            window_end,
            first_day,
            days,
            days_per_bin,
            day: 0,
            closed_until: window_start,
            next_split: if next < window_end {
                next
            } else {
                f64::INFINITY
            },
            current: Bin {
                hour_of_week: calendar.hour_of_week(start),
                period: 0,
            },
            hour_of_day: (calendar.hour_of_week(start) % 24) as u8,
            coverage: Binned::new(days.div_ceil(days_per_bin)),
        }
    }

    /// Days in the window.
    pub fn days(&self) -> usize {
        self.days
    }

    /// Whole days per bin of the daily series: 1 for a window of up to [`MAX_PERIODS`]
    /// days.
    pub fn days_per_bin(&self) -> usize {
        self.days_per_bin
    }

    /// Bins of the daily series (the last may hold fewer days than the others).
    pub fn periods(&self) -> usize {
        self.days.div_ceil(self.days_per_bin)
    }

    /// The first day of the window, as a day index from the start.
    pub fn first_day(&self) -> i64 {
        self.first_day
    }

    /// The next whole hour of the window at which to split; infinite when none is left.
    #[inline]
    pub fn next_split(&self) -> f64 {
        self.next_split
    }

    /// The bin of the daily series of the current stretch: that of an arrival in the
    /// window once the series are split up to it.
    #[inline]
    pub fn current_period(&self) -> u32 {
        self.current.period as u32
    }

    /// Closes the stretch from the last split to `t` (clipped to the window and to the
    /// next split): returns its bin, having added its length to the coverage, or `None`
    /// if there is nothing to close.
    pub fn split(&mut self, calendar: &Calendar, t: f64) -> Option<Bin> {
        // Plain comparisons (not `f64::min`): this runs every simulated hour.
        let mut to = if t < self.window_end {
            t
        } else {
            self.window_end
        };
        let whole_hour = to >= self.next_split;
        if whole_hour {
            to = self.next_split;
        }
        let from = self.closed_until;
        // Nothing to close (also when either end is NaN).
        if to.partial_cmp(&from) != Some(std::cmp::Ordering::Greater) {
            return None;
        }
        let bin = self.current;
        self.coverage.add(bin, to - from);
        self.closed_until = to;
        if whole_hour {
            // The next stretch is the next hour.
            let next = to + 1.0;
            self.next_split = if next < self.window_end {
                next
            } else {
                f64::INFINITY
            };
            self.current = if self.hour_of_day < 23 {
                self.hour_of_day += 1;
                Bin {
                    hour_of_week: bin.hour_of_week + 1,
                    period: bin.period,
                }
            } else {
                self.hour_of_day = 0;
                self.day += 1;
                Bin {
                    hour_of_week: calendar
                        .hour_of_week(Calendar::day_minute(self.first_day + self.day as i64, 0)),
                    period: self.day / self.days_per_bin,
                }
            };
        }
        Some(bin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn window_days_and_whole_hour_splits() {
        // 2024-01-01 is a Monday; the window is [Tue 12:30, Thu 00:00).
        let cal = Calendar::new(date(2024, 1, 1), []);
        let mut clock = SeriesClock::new(&cal, 36.5, 72.0);
        assert_eq!(clock.days(), 2);
        assert_eq!(clock.first_day(), 1);
        assert_eq!(clock.next_split(), 37.0);
        let bin = clock.split(&cal, 37.0).unwrap();
        assert_eq!(
            bin,
            Bin {
                hour_of_week: 36,
                period: 0
            }
        );
        assert_eq!(clock.split(&cal, 37.0), None);
        assert_eq!(clock.next_split(), 38.0);
        let mut t = 37.0;
        while clock.next_split().is_finite() {
            t = clock.next_split();
            clock.split(&cal, t).unwrap();
        }
        assert_eq!(t, 71.0);
        assert_eq!(
            clock.split(&cal, 80.0).map(|b| (b.hour_of_week, b.period)),
            Some((71, 1))
        );
        let c = &clock.coverage;
        assert_eq!(c.hour_of_week[36], 0.5);
        assert_eq!(c.hour_of_week[37], 1.0);
        assert_eq!(c.hour_of_week[35], 0.0);
        assert_eq!(c.daily, vec![11.5, 24.0]);
        assert_eq!(c.hour_of_week.iter().sum::<f64>(), 35.5);
    }

    #[test]
    fn walking_the_window_follows_the_calendar() {
        // Tuesday 2 January is a holiday (Sunday's hours), Saturday 6 a make-up day
        // (Wednesday's); the window starts on Monday 1 at 10:15 and ends on day 9, 07:00.
        let cal =
            Calendar::new(date(2024, 1, 1), [date(2024, 1, 2)]).with_workdays([date(2024, 1, 6)]);
        let (start, end) = (10.25, 9.0 * 24.0 + 7.0);
        let mut clock = SeriesClock::new(&cal, start, end);
        assert_eq!(clock.days(), 10);
        let mut from = start;
        let mut seen = 0;
        loop {
            let to = clock.next_split().min(end);
            let day = clock.current_period();
            let bin = clock.split(&cal, to).unwrap();
            let at = SimTime::from_hours(from);
            assert_eq!(bin.hour_of_week, cal.hour_of_week(at), "{from}");
            assert_eq!(bin.period as i64, Calendar::day_index(at), "{from}");
            assert_eq!(day as usize, bin.period);
            seen += 1;
            from = to;
            if to == end {
                break;
            }
        }
        assert_eq!(seen, 9 * 24 + 7 - 10);
        assert_eq!(clock.split(&cal, end + 5.0), None);
        assert_eq!(clock.coverage.daily[0], 24.0 - 10.25);
        assert_eq!(clock.coverage.daily[9], 7.0);
        assert_eq!(
            clock.coverage.hour_of_week[144 + 12],
            2.0,
            "Sunday and the holiday"
        );
        assert_eq!(
            clock.coverage.hour_of_week[48 + 12],
            2.0,
            "Wednesday and Saturday"
        );
        assert_eq!(clock.coverage.hour_of_week[120 + 12], 0.0, "no Saturday");
        assert_eq!(clock.coverage.hour_of_week[10], 1.75, "Mondays 1 and 8");
        assert_eq!(clock.coverage.hour_of_week.iter().sum::<f64>(), end - start);
    }

    #[test]
    fn a_long_window_bins_whole_days_together() {
        assert_eq!(days_per_bin(0), 1);
        assert_eq!(days_per_bin(MAX_PERIODS), 1);
        assert_eq!(days_per_bin(MAX_PERIODS + 1), 7);
        assert_eq!(days_per_bin(7 * MAX_PERIODS), 7);
        assert_eq!(days_per_bin(7 * MAX_PERIODS + 1), 14);
        assert_eq!(days_per_bin(36_525), 42);
        // 2,500 days from Monday 1 January 2024, 06:00 to day 2,500 00:00: a week a bin,
        // 358 bins, the first short of six hours and the last of one day (2,500 = 357·7 + 1).
        let cal = Calendar::new(date(2024, 1, 1), []);
        let end = 2500.0 * 24.0;
        let mut clock = SeriesClock::new(&cal, 6.0, end);
        assert_eq!(
            (clock.days(), clock.days_per_bin(), clock.periods()),
            (2500, 7, 358)
        );
        let mut periods = Vec::new();
        while clock.next_split().is_finite() {
            periods.push(clock.current_period());
            clock.split(&cal, clock.next_split());
        }
        periods.push(clock.current_period());
        clock.split(&cal, end);
        // Hour h after 06:00 on day 0 is in bin ⌊(h + 6) / 168⌋.
        assert!(
            periods
                .iter()
                .enumerate()
                .all(|(h, &p)| p as usize == (h + 6) / 168)
        );
        let c = &clock.coverage.daily;
        assert_eq!(c.len(), 358);
        assert_eq!((c[0], c[1], c[356], c[357]), (162.0, 168.0, 168.0, 24.0));
        assert_eq!(c.iter().sum::<f64>(), end - 6.0);
        assert_eq!(
            clock.coverage.hour_of_week.iter().sum::<f64>(),
            end - 6.0,
            "the hours of the week are as before"
        );
    }

    #[test]
    fn releases_and_arrivals_outside_the_bins_are_ignored() {
        let mut s = ModeSeries::new(3);
        s.released(u32::MAX, 5.0);
        s.released(3, 5.0);
        s.released(2, 4.0);
        let bin = |hour_of_week| Bin {
            hour_of_week,
            period: 0,
        };
        s.arrived(bin(168), 5);
        s.arrived(bin(167), 2);
        assert_eq!(s.clearance, vec![(0.0, 0), (0.0, 0), (4.0, 1)]);
        assert_eq!(s.arrivals.iter().sum::<u64>(), 2);
    }
}
