//! Welch's two-sample t-test: do two sets of replications have the same mean, without
//! assuming equal variances?

use statrs::distribution::{ContinuousCDF, StudentsT};

/// The outcome of [`welch`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WelchTest {
    /// Mean of `b` minus mean of `a`.
    pub difference: f64,
    /// Standard error of the difference.
    pub std_error: f64,
    /// Welch–Satterthwaite degrees of freedom (NaN when both samples are constant).
    pub df: f64,
    /// Two-sided p-value of "equal means".
    pub p_value: f64,
}

/// Why [`welch`] (or [`paired_t`](super::paired_t)) could not test: the verdict is then
/// left to another rule, with this as its reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Untestable {
    /// A side has fewer than two (non-NaN) values: no estimate of its noise.
    TooFew,
    /// Fewer than two replications have a (non-NaN) value on both sides: nothing to pair.
    TooFewPairs,
    /// A value is infinite, so neither a mean nor a variance exists.
    Infinite,
    /// The Welch–Satterthwaite degrees of freedom are not a positive number.
    NoFreedom,
}

impl std::fmt::Display for Untestable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Untestable::TooFew => "fewer than two replications a side",
            Untestable::TooFewPairs => "fewer than two replications with values on both sides",
            Untestable::Infinite => "a value is infinite",
            Untestable::NoFreedom => "Welch's degrees of freedom are undefined",
        })
    }
}

/// Two-sided Welch test of equal means of `a` and `b`, NaN values left out. Two constant
/// samples give p = 1 when they are equal and p = 0 when they are not (there is no noise
/// to hide a difference in). Values of any finite size are tested: they are scaled by a
/// common power of two first, which leaves the statistic and the degrees of freedom as
/// they are but keeps sums and squares from overflowing.
pub fn welch(a: &[f64], b: &[f64]) -> Result<WelchTest, Untestable> {
    let finite = |xs: &[f64]| -> Result<Vec<f64>, Untestable> {
        let xs: Vec<f64> = xs.iter().copied().filter(|x| !x.is_nan()).collect();
        if xs.iter().any(|x| x.is_infinite()) {
            return Err(Untestable::Infinite);
        }
        if xs.len() < 2 {
            return Err(Untestable::TooFew);
        }
        Ok(xs)
    };
    let (a, b) = (finite(a)?, finite(b)?);
    let largest = a.iter().chain(&b).fold(0.0f64, |m, x| m.max(x.abs()));
    // 2^-e with 2^e ≥ largest, exactly: the largest scaled value is at most 1 in size.
    // Halved, as 2^1024 itself overflows; bounded, as 2^1074 (the smallest subnormal's
    // inverse) would too — values below 2^-1000 then stay below 1, which is harmless.
    let e = if largest > 0.0 {
        (largest.log2().ceil() as i32).max(-1000)
    } else {
        0
    };
    let scale = 2f64.powi(-(e / 2)) * 2f64.powi(-(e - e / 2));
    let (na, ma, va) = moments(&a, scale);
    let (nb, mb, vb) = moments(&b, scale);
    let difference = (mb - ma) / scale;
    let (sa, sb) = (va / na, vb / nb);
    let scaled_error = (sa + sb).sqrt();
    let std_error = scaled_error / scale;
    if scaled_error == 0.0 {
        let p_value = if mb == ma { 1.0 } else { 0.0 };
        return Ok(WelchTest {
            difference,
            std_error,
            df: f64::NAN,
            p_value,
        });
    }
    let df = (sa + sb).powi(2) / (sa * sa / (na - 1.0) + sb * sb / (nb - 1.0));
    // Scaled values are at most 1 in size and `scaled_error` is not 0, so `df` is
    // positive (infinite if the variances underflow when squared: the normal limit).
    let t = StudentsT::new(0.0, 1.0, df).map_err(|_| Untestable::NoFreedom)?;
    let p_value = (2.0 * t.sf(((mb - ma) / scaled_error).abs())).min(1.0);
    Ok(WelchTest {
        difference,
        std_error,
        df,
        p_value,
    })
}

/// Count, mean and sample variance of `xs` × `scale` (two or more values).
fn moments(xs: &[f64], scale: f64) -> (f64, f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().map(|x| x * scale).sum::<f64>() / n;
    let var = xs.iter().map(|x| (x * scale - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (n, mean, var)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_a_textbook_value() {
        // Reference values computed independently (t and df from the formulas, p by
        // numerical integration of the t density): t = 2.13647, df = 23.4355, p = 0.04330.
        let a = [
            19.8, 20.4, 19.6, 17.8, 18.5, 18.9, 18.3, 18.9, 19.5, 22.0, 20.3, 20.0,
        ];
        let b = [
            28.2, 26.6, 20.1, 23.3, 25.2, 22.1, 17.7, 27.6, 20.6, 13.7, 23.2, 17.5, 20.6, 18.0,
            23.9, 21.6, 24.3, 20.4, 23.9, 13.3,
        ];
        let w = welch(&a, &b).unwrap();
        assert!((w.difference / w.std_error - 2.13647).abs() < 1e-4, "{w:?}");
        assert!((w.df - 23.4355).abs() < 1e-3, "{w:?}");
        assert!((w.p_value - 0.04330).abs() < 1e-4, "{w:?}");
    }

    #[test]
    fn equal_samples_do_not_differ() {
        let a = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(welch(&a, &a).unwrap().p_value, 1.0);
    }

    #[test]
    fn constant_samples_differ_only_when_unequal() {
        assert_eq!(welch(&[2.0, 2.0], &[2.0, 2.0, 2.0]).unwrap().p_value, 1.0);
        assert_eq!(welch(&[2.0, 2.0], &[2.5, 2.5]).unwrap().p_value, 0.0);
    }

    #[test]
    fn needs_two_values_a_side() {
        assert_eq!(welch(&[1.0], &[1.0, 2.0]), Err(Untestable::TooFew));
        assert_eq!(
            welch(&[1.0, f64::NAN], &[1.0, 2.0]),
            Err(Untestable::TooFew)
        );
    }

    #[test]
    fn values_of_any_size_give_the_same_test() {
        let a = [1.0, 2.0, 4.0, 3.5];
        let b = [2.0, 3.0, 5.5, 4.0, 3.0];
        let w = welch(&a, &b).unwrap();
        for k in [1e-300, 1e-100, 1e100, 1e300, f64::MAX / 8.0] {
            let (ka, kb): (Vec<f64>, Vec<f64>) = (
                a.iter().map(|x| x * k).collect(),
                b.iter().map(|x| x * k).collect(),
            );
            let v = welch(&ka, &kb).unwrap();
            assert!((v.p_value - w.p_value).abs() < 1e-9, "{k}: {v:?} {w:?}");
            assert!((v.df - w.df).abs() < 1e-6, "{k}: {v:?} {w:?}");
        }
        // Values at both ends of the range at once: no panic, a p-value.
        let w = welch(&[1e-300, f64::MAX], &[f64::MIN, 1.0, 2.0]).unwrap();
        assert!((0.0..=1.0).contains(&w.p_value), "{w:?}");
        assert_eq!(
            welch(&[1.0, f64::INFINITY], &[1.0, 2.0]),
            Err(Untestable::Infinite)
        );
    }
}
