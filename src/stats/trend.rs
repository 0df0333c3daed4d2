//! Least-squares linear trend of a short series: slope and its standard error.

/// The least-squares line through points (x, y).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Trend {
    /// Slope: change of y per unit of x.
    pub slope: f64,
    /// Standard error of the slope from the residuals (n − 2 degrees of freedom), as if
    /// the points were independent; `None` with fewer than three points.
    pub slope_std_error: Option<f64>,
    /// Number of points.
    pub n: usize,
}

/// The least-squares trend of `points`; `None` with fewer than two points or when all
/// x are equal (no slope can be fitted).
pub fn linear_trend(points: &[(f64, f64)]) -> Option<Trend> {
    let n = points.len();
    if n < 2 {
        return None;
    }
    let nf = n as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / nf;
    let my = points.iter().map(|p| p.1).sum::<f64>() / nf;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    if sxx <= 0.0 || !sxx.is_finite() {
        return None;
    }
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let slope = sxy / sxx;
    let slope_std_error = (n >= 3).then(|| {
        let intercept = my - slope * mx;
        let rss: f64 = points
            .iter()
            .map(|p| (p.1 - intercept - slope * p.0).powi(2))
            .sum();
        (rss / (nf - 2.0) / sxx).sqrt()
    });
    Some(Trend {
        slope,
        slope_std_error,
        n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_line_has_zero_error() {
        let t = linear_trend(&[(0.0, 1.0), (1.0, 3.0), (2.0, 5.0), (3.0, 7.0)]).unwrap();
        assert!((t.slope - 2.0).abs() < 1e-12);
        assert!(t.slope_std_error.unwrap() < 1e-12);
        assert_eq!(t.n, 4);
    }

    #[test]
    fn slope_and_error_by_hand() {
        // x = 0..4, y = 0, 2, 1, 3, 4: x̄ = 2, ȳ = 2, Sxx = 10, Sxy = 9, slope 0.9,
        // intercept 0.2, residuals −0.2, 0.9, −1.0, 0.1, 0.2: RSS 1.9,
        // se = √(1.9 / 3 / 10) = 0.25166.
        let pts = [(0.0, 0.0), (1.0, 2.0), (2.0, 1.0), (3.0, 3.0), (4.0, 4.0)];
        let t = linear_trend(&pts).unwrap();
        assert!((t.slope - 0.9).abs() < 1e-12);
        assert!((t.slope_std_error.unwrap() - 0.251_661).abs() < 1e-6);
    }

    #[test]
    fn too_few_points_or_no_spread() {
        assert_eq!(linear_trend(&[(1.0, 2.0)]), None);
        assert_eq!(linear_trend(&[(1.0, 2.0), (1.0, 3.0)]), None);
        let two = linear_trend(&[(0.0, 0.0), (2.0, 1.0)]).unwrap();
        assert_eq!(two.slope, 0.5);
        assert_eq!(two.slope_std_error, None);
    }
}
