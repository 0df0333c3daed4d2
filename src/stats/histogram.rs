//! A mergeable histogram of durations in hours, for quantiles with bounded memory.

use hdrhistogram::Histogram;

/// Resolution of recorded values: one millisecond, in hours.
const UNIT_HOURS: f64 = 1.0 / 3_600_000.0;

/// Durations in hours, kept in an HDR histogram with 3 significant digits (relative
/// error ≤ 0.1 % for values of a second or more), plus the exact maximum. Memory depends
/// on the range of values, never on how many are recorded.
#[derive(Clone, Debug)]
pub struct HoursHistogram {
    hist: Histogram<u64>,
    max: f64,
}

impl Default for HoursHistogram {
    fn default() -> Self {
        Self::new()
    }
}

impl HoursHistogram {
    /// An empty histogram.
    pub fn new() -> Self {
        HoursHistogram {
            hist: Histogram::new(3).expect("3 significant digits is valid"),
            max: 0.0,
        }
    }

    /// Records one duration (negative values are recorded as zero).
    #[inline]
    pub fn record(&mut self, hours: f64) {
        // Values are not negative, so adding ½ and truncating rounds to nearest (and
        // avoids a libm call on the hot path).
        let units = (hours.max(0.0) / UNIT_HOURS + 0.5) as u64;
        // An auto-resizing histogram grows to take any value, so this cannot fail.
        self.hist.record(units).expect("auto-resizing histogram");
        if hours > self.max {
            self.max = hours;
        }
    }

    /// Adds every value of `other`.
    pub fn merge(&mut self, other: &HoursHistogram) {
        self.hist
            .add(&other.hist)
            .expect("auto-resizing histograms always merge");
        self.max = self.max.max(other.max);
    }

    /// Number of values recorded.
    pub fn count(&self) -> u64 {
        self.hist.len()
    }

    /// The `q` quantile (0 ≤ q ≤ 1), in hours; `None` when empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.hist.is_empty() {
            return None;
        }
        let v = self.hist.value_at_quantile(q);
        // hdrhistogram reports the top of a bucket: never beyond the true maximum.
        Some((v as f64 * UNIT_HOURS).min(self.max))
    }

    /// The exact largest value; `None` when empty.
    pub fn max(&self) -> Option<f64> {
        (!self.hist.is_empty()).then_some(self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_within_a_tenth_of_a_percent() {
        let mut h = HoursHistogram::new();
        for i in 1..=100_000 {
            h.record(f64::from(i) * 0.001); // 0.001 h .. 100 h
        }
        for (q, want) in [(0.5, 50.0), (0.9, 90.0), (0.99, 99.0)] {
            let got = h.quantile(q).unwrap();
            assert!((got - want).abs() / want < 1e-3, "q{q}: {got} vs {want}");
        }
        assert_eq!(h.max(), Some(100.0));
        assert_eq!(h.count(), 100_000);
    }

    #[test]
    fn merging_equals_recording_together() {
        let (mut a, mut b, mut all) = (
            HoursHistogram::new(),
            HoursHistogram::new(),
            HoursHistogram::new(),
        );
        for i in 0..1000 {
            let v = f64::from(i) * 0.37;
            if i % 3 == 0 {
                a.record(v)
            } else {
                b.record(v)
            }
            all.record(v);
        }
        a.merge(&b);
        assert_eq!(a.count(), all.count());
        assert_eq!(a.quantile(0.9), all.quantile(0.9));
        assert_eq!(a.max(), all.max());
        assert_eq!(HoursHistogram::new().quantile(0.5), None);
    }
}
