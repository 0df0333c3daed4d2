//! Holm's step-down correction: many tests at once without many false alarms.
//!
//! With m p-values sorted ascending, the k-th smallest (k from 0) is compared with
//! α / (m − k); testing stops at the first that is not below its threshold. The chance of
//! any false alarm among the m stays at most α, whatever their dependence.

/// Holm's decision on one p-value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HolmDecision {
    /// Whether the null hypothesis is rejected (the difference is significant).
    pub reject: bool,
    /// The level this p-value was compared with, α / (m − rank).
    pub threshold: f64,
}

/// Decisions for `p_values` (in their order) at family-wise level `alpha`. NaN p-values
/// are never rejected and rank last.
pub fn holm(p_values: &[f64], alpha: f64) -> Vec<HolmDecision> {
    let m = p_values.len();
    let mut order: Vec<usize> = (0..m).collect();
    // Stable: equal p-values keep their order, so decisions are deterministic.
    order.sort_by(|&i, &j| p_values[i].total_cmp(&p_values[j]));
    let mut out = vec![
        HolmDecision {
            reject: false,
            threshold: alpha / m.max(1) as f64,
        };
        m
    ];
    let mut rejecting = true;
    for (rank, &i) in order.iter().enumerate() {
        let threshold = alpha / (m - rank) as f64;
        rejecting = rejecting && p_values[i] <= threshold;
        out[i] = HolmDecision {
            reject: rejecting,
            threshold,
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_down_and_stops_at_the_first_acceptance() {
        // m = 4: thresholds 0.0125, 0.01667, 0.025, 0.05 for the sorted p-values.
        let d = holm(&[0.04, 0.001, 0.016, 0.03], 0.05);
        let reject: Vec<bool> = d.iter().map(|d| d.reject).collect();
        // 0.001 ≤ 0.0125, 0.016 ≤ 0.01667, 0.03 > 0.025 stops: 0.04 is not rejected
        // although it is below 0.05.
        assert_eq!(reject, [false, true, true, false]);
        assert!((d[1].threshold - 0.0125).abs() < 1e-12);
        assert!((d[0].threshold - 0.05).abs() < 1e-12);
    }

    #[test]
    fn one_test_is_an_ordinary_test() {
        assert!(holm(&[0.049], 0.05)[0].reject);
        assert!(!holm(&[0.051], 0.05)[0].reject);
    }

    #[test]
    fn nan_is_never_rejected() {
        let d = holm(&[f64::NAN, 0.0], 0.05);
        assert!(!d[0].reject && d[1].reject);
    }

    #[test]
    fn empty_is_fine() {
        assert!(holm(&[], 0.05).is_empty());
    }
}
