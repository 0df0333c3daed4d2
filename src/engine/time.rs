//! Simulated time.

use std::cmp::Ordering;
use std::fmt;
use std::ops::{Add, Sub};

/// A moment of simulated time, in hours since the start of the run.
///
/// A newtype so that times are never mixed up with durations or counts, and so that
/// ordering is total: constructing a `SimTime` from NaN is a bug and panics in debug
/// builds; comparisons use [`f64::total_cmp`].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SimTime(f64);

impl SimTime {
    /// The start of the run.
    pub const ZERO: SimTime = SimTime(0.0);
    /// A time later than any event.
    pub const INFINITY: SimTime = SimTime(f64::INFINITY);

    /// A time `hours` after the start of the run.
    #[inline]
    pub fn from_hours(hours: f64) -> SimTime {
        debug_assert!(!hours.is_nan(), "SimTime from NaN");
        SimTime(hours)
    }

    /// Hours since the start of the run.
    #[inline]
    pub fn hours(self) -> f64 {
        self.0
    }

    /// Whether this time is finite (not [`SimTime::INFINITY`]).
    #[inline]
    pub fn is_finite(self) -> bool {
        self.0.is_finite()
    }
}

impl Eq for SimTime {}

impl PartialOrd for SimTime {
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SimTime {
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl Add<f64> for SimTime {
    type Output = SimTime;
    /// The time `hours` later.
    #[inline]
    fn add(self, hours: f64) -> SimTime {
        SimTime::from_hours(self.0 + hours)
    }
}

impl Sub for SimTime {
    type Output = f64;
    /// Hours elapsed from `rhs` to `self`.
    #[inline]
    fn sub(self, rhs: SimTime) -> f64 {
        self.0 - rhs.0
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}h", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordering_is_total_and_by_value() {
        let mut v = [
            SimTime::from_hours(3.0),
            SimTime::ZERO,
            SimTime::INFINITY,
            SimTime::from_hours(1.5),
        ];
        v.sort();
        assert_eq!(v[0], SimTime::ZERO);
        assert_eq!(v[1].hours(), 1.5);
        assert_eq!(v[3], SimTime::INFINITY);
        assert_eq!(SimTime::from_hours(2.0) - SimTime::from_hours(0.5), 1.5);
        assert_eq!((SimTime::from_hours(2.0) + 0.25).hours(), 2.25);
    }
}
