//! Means with Student-t confidence intervals across replications.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// A mean over replications and its 95 % confidence interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct MeanCi {
    /// Mean of the replication values.
    pub mean: f64,
    /// 95 % Student-t interval; `None` with fewer than two replications.
    pub ci95: Option<[f64; 2]>,
    /// Standard error of the mean; `None` with fewer than two replications.
    #[serde(skip)]
    pub std_error: Option<f64>,
}

impl MeanCi {
    /// Half-width of the interval, if any.
    pub fn half_width(&self) -> Option<f64> {
        self.ci95.map(|[lo, hi]| (hi - lo) / 2.0)
    }
}

/// Mean and 95 % CI of `values` (one per replication, summed in order). NaN values
/// (replications with nothing to measure) are left out.
pub fn mean_ci95(values: &[f64]) -> MeanCi {
    let xs: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    let n = xs.len();
    if n == 0 {
        return MeanCi {
            mean: f64::NAN,
            ci95: None,
            std_error: None,
        };
    }
    let mean = xs.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return MeanCi {
            mean,
            ci95: None,
            std_error: None,
        };
    }
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let se = (var / n as f64).sqrt();
    let t = StudentsT::new(0.0, 1.0, (n - 1) as f64)
        .expect("n ≥ 2 gives positive degrees of freedom")
        .inverse_cdf(0.975);
    MeanCi {
        mean,
        ci95: Some([mean - t * se, mean + t * se]),
        std_error: Some(se),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn student_t_interval() {
        let m = mean_ci95(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(m.mean, 3.0);
        // s = 1.5811, se = 0.7071, t(0.975, 4) = 2.7764
        let hw = m.half_width().unwrap();
        assert!(
            (hw - 2.7764 * std::f64::consts::FRAC_1_SQRT_2).abs() < 1e-3,
            "{hw}"
        );
        assert_eq!(mean_ci95(&[2.0]).ci95, None);
        assert!(mean_ci95(&[]).mean.is_nan());
        assert_eq!(mean_ci95(&[1.0, f64::NAN, 3.0]).mean, 2.0);
    }
}
