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

/// Two-sided Welch test of equal means of `a` and `b`, NaN values left out; `None` when
/// either side has fewer than two values. Two constant samples give p = 1 when they are
/// equal and p = 0 when they are not (there is no noise to hide a difference in).
pub fn welch(a: &[f64], b: &[f64]) -> Option<WelchTest> {
    let (na, ma, va) = moments(a)?;
    let (nb, mb, vb) = moments(b)?;
    let difference = mb - ma;
    let (sa, sb) = (va / na, vb / nb);
    let std_error = (sa + sb).sqrt();
    if std_error == 0.0 {
        let p_value = if difference == 0.0 { 1.0 } else { 0.0 };
        return Some(WelchTest {
            difference,
            std_error,
            df: f64::NAN,
            p_value,
        });
    }
    let df = (sa + sb).powi(2) / (sa * sa / (na - 1.0) + sb * sb / (nb - 1.0));
    let t = StudentsT::new(0.0, 1.0, df).expect("positive degrees of freedom");
    let p_value = (2.0 * t.sf((difference / std_error).abs())).min(1.0);
    Some(WelchTest {
        difference,
        std_error,
        df,
        p_value,
    })
}

/// Count, mean and sample variance of the non-NaN values, if there are two or more.
fn moments(xs: &[f64]) -> Option<(f64, f64, f64)> {
    let xs: Vec<f64> = xs.iter().copied().filter(|x| !x.is_nan()).collect();
    if xs.len() < 2 {
        return None;
    }
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    Some((n, mean, var))
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
        assert!(welch(&[1.0], &[1.0, 2.0]).is_none());
        assert!(welch(&[1.0, f64::NAN], &[1.0, 2.0]).is_none());
    }
}
