//! The paired t-test: do two sets of replications that share their random numbers
//! (replication r of each ran on the same streams) have the same mean?
//!
//! Pairing removes the noise the two sides have in common. With common random numbers
//! the replications of a run and of a slightly changed run are strongly correlated, so
//! the differences d_r = b_r − a_r scatter far less than either side: a change that
//! Welch's test (which takes the sides as independent) cannot tell from noise stands
//! out here.

use statrs::distribution::{ContinuousCDF, StudentsT};

use super::welch::Untestable;

/// The outcome of [`paired_t`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PairedTest {
    /// Mean of the differences `b[r] − a[r]`.
    pub difference: f64,
    /// Standard error of that mean, s_d / √n (0 when the differences do not scatter).
    pub std_error: f64,
    /// Pairs tested: those where both values are numbers.
    pub pairs: usize,
    /// Two-sided p-value of "no difference", from Student's t with `pairs − 1` degrees of
    /// freedom.
    pub p_value: f64,
}

/// Two-sided paired t-test of `b[r] − a[r]` over the replications `r` where neither
/// value is NaN. Differences that are all exactly 0 give p = 1; equal non-zero
/// differences give p = 0 (there is no noise to hide them in). Values of any finite size
/// are tested: they are scaled by a common power of two first, which leaves the statistic
/// as it is but keeps differences, sums and squares from overflowing.
///
/// # Panics
/// If `a` and `b` differ in length: they are paired by position.
pub fn paired_t(a: &[f64], b: &[f64]) -> Result<PairedTest, Untestable> {
    assert_eq!(a.len(), b.len(), "paired values come in pairs");
    let pairs: Vec<(f64, f64)> = a
        .iter()
        .zip(b)
        .filter(|(x, y)| !x.is_nan() && !y.is_nan())
        .map(|(x, y)| (*x, *y))
        .collect();
    if pairs
        .iter()
        .any(|(x, y)| x.is_infinite() || y.is_infinite())
    {
        return Err(Untestable::Infinite);
    }
    if pairs.len() < 2 {
        return Err(Untestable::TooFewPairs);
    }
    let largest = pairs
        .iter()
        .fold(0.0f64, |m, (x, y)| m.max(x.abs()).max(y.abs()));
    // 2^-e with 2^e ≥ largest, exactly (as in `welch`): scaled values are at most 1 in
    // size, so their differences at most 2.
    let e = if largest > 0.0 {
        (largest.log2().ceil() as i32).max(-1000)
    } else {
        0
    };
    let scale = 2f64.powi(-(e / 2)) * 2f64.powi(-(e - e / 2));
    let d: Vec<f64> = pairs.iter().map(|(x, y)| y * scale - x * scale).collect();
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let scaled_error = (var / n).sqrt();
    let (difference, std_error) = (mean / scale, scaled_error / scale);
    // No spread: decided on the differences themselves, not on a variance that rounding
    // can leave a hair above 0 when they are all equal.
    if d.iter().all(|&x| x == d[0]) || scaled_error == 0.0 {
        let p_value = if d.iter().all(|&x| x == 0.0) {
            1.0
        } else {
            0.0
        };
        return Ok(PairedTest {
            difference,
            std_error: 0.0,
            pairs: d.len(),
            p_value,
        });
    }
    let t = StudentsT::new(0.0, 1.0, n - 1.0).map_err(|_| Untestable::NoFreedom)?;
    let p_value = (2.0 * t.sf((mean / scaled_error).abs())).min(1.0);
    Ok(PairedTest {
        difference,
        std_error,
        pairs: d.len(),
        p_value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_a_textbook_value() {
        // Student's (1908) sleep data, the classic paired example: extra hours of sleep
        // under two drugs for ten patients. R's `t.test(extra ~ group, paired = TRUE)`:
        // t = -4.0621, df = 9, p-value = 0.002833, mean difference -1.58.
        let a = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
        let b = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
        let p = paired_t(&a, &b).unwrap();
        assert!((p.difference + 1.58).abs() < 1e-12, "{p:?}");
        assert!((p.difference / p.std_error + 4.0621).abs() < 1e-4, "{p:?}");
        assert!((p.p_value - 0.002833).abs() < 1e-6, "{p:?}");
        assert_eq!(p.pairs, 10);
        // The same values as independent samples: Welch cannot tell them apart.
        let w = super::super::welch(&a, &b).unwrap();
        assert!(w.p_value > 0.05, "{w:?}");
    }

    #[test]
    fn no_difference_is_p_one_and_a_constant_one_is_p_zero() {
        let a = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(paired_t(&a, &a).unwrap().p_value, 1.0);
        let b = [1.5, 2.5, 3.5, 4.5];
        let p = paired_t(&a, &b).unwrap();
        assert_eq!(p.p_value, 0.0);
        assert_eq!(p.difference, 0.5);
        assert_eq!(p.std_error, 0.0);
        // Differences equal but not exactly representable as a mean: still no spread.
        let p = paired_t(&[0.0, 0.0, 0.0], &[0.1, 0.1, 0.1]).unwrap();
        assert_eq!(p.p_value, 0.0);
    }

    #[test]
    fn needs_two_pairs_with_values() {
        assert_eq!(paired_t(&[1.0], &[2.0]), Err(Untestable::TooFewPairs));
        // Two values a side, but only one replication has both.
        assert_eq!(
            paired_t(&[1.0, f64::NAN, 3.0], &[f64::NAN, 2.0, 4.0]),
            Err(Untestable::TooFewPairs)
        );
        let p = paired_t(&[1.0, f64::NAN, 3.0, 5.0], &[2.0, 9.0, 4.5, 5.5]).unwrap();
        assert_eq!(p.pairs, 3);
        assert_eq!(
            paired_t(&[1.0, f64::INFINITY], &[1.0, 2.0]),
            Err(Untestable::Infinite)
        );
    }

    #[test]
    fn values_of_any_size_give_the_same_test() {
        let a = [1.0, 2.0, 4.0, 3.5, 2.0];
        let b = [2.0, 3.0, 5.5, 4.0, 3.0];
        let p = paired_t(&a, &b).unwrap();
        for k in [1e-300, 1e-100, 1e100, 1e300, f64::MAX / 8.0] {
            let (ka, kb): (Vec<f64>, Vec<f64>) = (
                a.iter().map(|x| x * k).collect(),
                b.iter().map(|x| x * k).collect(),
            );
            let q = paired_t(&ka, &kb).unwrap();
            assert!((q.p_value - p.p_value).abs() < 1e-9, "{k}: {q:?} {p:?}");
        }
        // Differences past the largest number: still a test, no infinity.
        let q = paired_t(&[f64::MAX, -f64::MAX], &[-f64::MAX, f64::MAX]).unwrap();
        assert!((0.0..=1.0).contains(&q.p_value), "{q:?}");
    }
}
