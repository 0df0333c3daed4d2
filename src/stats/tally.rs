//! Count and sum of observations.

/// Count, sum and count of positive observations (e.g. shipments that waited).
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Tally {
    /// Observations.
    pub count: u64,
    /// Their sum.
    pub sum: f64,
    /// Observations greater than zero.
    pub positive: u64,
}

impl Tally {
    /// Adds one observation.
    #[inline]
    pub fn add(&mut self, x: f64) {
        self.count += 1;
        self.sum += x;
        self.positive += u64::from(x > 0.0);
    }

    /// Adds another tally.
    pub fn merge(&mut self, other: &Tally) {
        self.count += other.count;
        self.sum += other.sum;
        self.positive += other.positive;
    }

    /// The mean; NaN when empty.
    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            self.sum / self.count as f64
        }
    }

    /// Share of positive observations; NaN when empty.
    pub fn positive_share(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            self.positive as f64 / self.count as f64
        }
    }
}
