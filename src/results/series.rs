//! The time series of one replication as data: integrals and counts by hour of the week
//! and by day (or period of days) of the counting window. How moments fall into bins is
//! [`crate::model::series::SeriesClock`]'s business.

use serde::{Deserialize, Serialize};

/// Bins of the hour of the week: Monday 00:00-01:00 first.
pub const HOURS_OF_WEEK: usize = 168;

/// Where a moment of the counting window falls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bin {
    /// Hour of the week, 0..168.
    pub hour_of_week: usize,
    /// Bin of the daily series: the day of the window (0 = the day containing the
    /// warm-up end) over [`SeriesClock::days_per_bin`](crate::model::series::SeriesClock::days_per_bin).
    pub period: usize,
}

/// Something summed by hour of the week (168 values) and by day (or period of days) of the
/// window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Binned {
    /// By hour of the week, Monday 00:00 first.
    pub hour_of_week: Vec<f64>,
    /// By bin of the daily series.
    pub daily: Vec<f64>,
}

impl Binned {
    /// Zeros for `periods` bins of the daily series.
    pub fn new(periods: usize) -> Binned {
        Binned {
            hour_of_week: vec![0.0; HOURS_OF_WEEK],
            daily: vec![0.0; periods],
        }
    }

    /// Adds `x` to the bins of `bin`.
    pub fn add(&mut self, bin: Bin, x: f64) {
        if let Some(v) = self.hour_of_week.get_mut(bin.hour_of_week) {
            *v += x;
        }
        if let Some(v) = self.daily.get_mut(bin.period) {
            *v += x;
        }
    }

    /// Adds what an integral gained since the previous call: `area` is its value now,
    /// `last` its value then (updated).
    pub fn add_area(&mut self, bin: Bin, area: f64, last: &mut f64) {
        self.add(bin, area - *last);
        *last = area;
    }
}

/// A mode's series in one replication (counted shipments, counting window).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ModeSeries {
    /// ∫ the mode's shipments in the system dt (all of them, counted or not, like
    /// `mean_in_system`).
    pub in_system: Binned,
    /// Counted arrivals by hour of the week.
    pub arrivals: Vec<u64>,
    /// By bin of the daily series of arrival, the released counted shipments: (clearance
    /// hours summed, how many) — one vector of pairs, so that a release touches one place.
    pub clearance: Vec<(f64, u64)>,
}

impl ModeSeries {
    /// Zeros for `periods` bins of the daily series.
    pub fn new(periods: usize) -> ModeSeries {
        ModeSeries {
            in_system: Binned::new(periods),
            arrivals: vec![0; HOURS_OF_WEEK],
            clearance: vec![(0.0, 0); periods],
        }
    }

    /// `n` counted arrivals in the hour of `bin`.
    pub fn arrived(&mut self, bin: Bin, n: u64) {
        if let Some(a) = self.arrivals.get_mut(bin.hour_of_week) {
            *a += n;
        }
    }

    /// A counted shipment that arrived in bin `period` of the daily series was released
    /// with this clearance time.
    #[inline]
    pub fn released(&mut self, period: u32, clearance_hours: f64) {
        if let Some(c) = self.clearance.get_mut(period as usize) {
            c.0 += clearance_hours;
            c.1 += 1;
        }
    }
}

/// A pool's series in one replication, over the counting window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PoolSeries {
    /// ∫ tokens waiting dt.
    pub queue: Binned,
    /// ∫ general officers on duty dt (extra hands included, on-call officers not).
    pub staff: Binned,
    /// By bin of the daily series, what the pool's window-level figures are made of, so
    /// that a stretch of days (a peak) has its own offered load: work offered (service
    /// hours of the tokens that joined, and of arrivals turned away at the cap), of
    /// which only general officers may take, and ∫ on-call officers on duty dt. Empty
    /// in results stored before they were recorded.
    #[serde(default, skip_serializing_if = "DailyLoad::is_empty")]
    pub load: DailyLoad,
}

/// A pool's offered work and on-call capacity by bin of the daily series.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DailyLoad {
    /// Service hours offered.
    pub offered: Vec<f64>,
    /// Of which only general officers may take.
    pub offered_general: Vec<f64>,
    /// ∫ on-call officers on duty dt.
    pub on_call: Vec<f64>,
}

impl DailyLoad {
    /// Zeros for `periods` bins.
    pub fn new(periods: usize) -> DailyLoad {
        DailyLoad {
            offered: vec![0.0; periods],
            offered_general: vec![0.0; periods],
            on_call: vec![0.0; periods],
        }
    }

    /// Whether nothing was recorded (results stored before these series existed).
    pub fn is_empty(&self) -> bool {
        self.offered.is_empty()
    }
}

impl PoolSeries {
    /// Zeros for `periods` bins of the daily series.
    pub fn new(periods: usize) -> PoolSeries {
        PoolSeries {
            queue: Binned::new(periods),
            staff: Binned::new(periods),
            load: DailyLoad::new(periods),
        }
    }
}
