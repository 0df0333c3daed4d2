//! MSER-k: where to truncate the initial transient of an output series.
//!
//! The Marginal Standard Error Rule (White 1997; MSER-5 of White, Cobb & Spratt 2000)
//! groups the series into batch means of `k` consecutive observations, Y_1 … Y_b, and
//! picks the number of batches d* to delete that minimises the squared standard error
//! of the mean of what is left:
//!
//! ```text
//! d* = argmin_{0 ≤ d ≤ b/2}  Σ_{i>d} (Y_i − Ȳ_d)² / (b − d)²
//! ```
//!
//! where Ȳ_d is the mean of Y_{d+1} … Y_b. The truncation is d*·k observations. The
//! search stops at half the batches (and leaves at least two): near the end of the
//! series the statistic is computed from a handful of batches and means nothing.
//! Trailing observations that do not fill a batch are left out of the batches (they are
//! not truncated).

/// The batch size of MSER-5.
pub const MSER5_BATCH: usize = 5;

/// The MSER-k truncation of `series` with batches of `batch` observations: how many
/// leading observations to delete (a multiple of `batch`, at most half the series, and
/// never all but one batch).
///
/// Degenerate input gives 0 and never panics: fewer than two full batches, a batch size
/// of 0, or a series whose statistic is flat (a constant series). Ties go to the
/// smaller truncation. Non-finite observations never make a truncation win.
pub fn mser_truncation(series: &[f64], batch: usize) -> usize {
    if batch == 0 {
        return 0;
    }
    let means: Vec<f64> = series
        .chunks_exact(batch)
        .map(|c| c.iter().sum::<f64>() / batch as f64)
        .collect();
    let b = means.len();
    if b < 2 {
        return 0;
    }
    let last_d = (b / 2).min(b - 2);
    // Walk back from the last batch, keeping the mean and sum of squared deviations of
    // the batches after d (Welford's update: exact zeros for a constant series).
    let (mut count, mut mean, mut m2) = (0.0_f64, 0.0_f64, 0.0_f64);
    let mut best = (f64::INFINITY, 0);
    for d in (0..b).rev() {
        let y = means[d];
        count += 1.0;
        let delta = y - mean;
        mean += delta / count;
        m2 += delta * (y - mean);
        // Now the statistics cover batches d+1 … b (1-based), i.e. deleting d batches.
        if d <= last_d {
            let stat = m2 / (count * count);
            // `<=` walking backwards: ties go to the smaller d.
            if stat <= best.0 {
                best = (stat, d);
            }
        }
    }
    best.1 * batch
}

/// The MSER-5 truncation of `series`: [`mser_truncation`] with batches of five.
pub fn mser5(series: &[f64]) -> usize {
    mser_truncation(series, MSER5_BATCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reproducible noise in [-0.5, 0.5) (a 64-bit LCG; good enough for a test series).
    fn noise(n: usize, seed: u64) -> Vec<f64> {
        let mut s = seed;
        (0..n)
            .map(|_| {
                s = s
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5
            })
            .collect()
    }

    #[test]
    fn an_initial_transient_is_cut_near_its_end() {
        // MSER never keeps transient here, and mostly cuts exactly at its end; now and
        // then a stretch of noisier batches just after it goes too.
        let mut exact = 0;
        for seed in 1..=10 {
            let n = 500;
            let mut xs = noise(n, seed);
            for x in xs.iter_mut().take(n / 5) {
                *x += 10.0;
            }
            let t = mser5(&xs);
            assert!((100..=150).contains(&t), "seed {seed}: truncation {t}");
            exact += usize::from(t == 100);
        }
        assert!(
            exact >= 7,
            "{exact} of 10 cut exactly at the transient's end"
        );
    }

    #[test]
    fn a_decaying_transient_is_cut_where_it_has_faded() {
        // x_t = 20·e^{−t/20} + noise: the bias falls below the noise's scale near t = 60.
        let xs: Vec<f64> = noise(1000, 7)
            .iter()
            .enumerate()
            .map(|(t, e)| 20.0 * (-(t as f64) / 20.0).exp() + e)
            .collect();
        let t = mser5(&xs);
        assert!((60..=150).contains(&t), "truncation {t}");
    }

    #[test]
    fn a_stationary_series_is_barely_cut() {
        for seed in 1..=5 {
            let xs = noise(1000, seed);
            let t = mser5(&xs);
            assert!(t <= 100, "seed {seed}: truncation {t}");
        }
    }

    #[test]
    fn degenerate_series_are_not_cut() {
        assert_eq!(mser5(&[]), 0);
        assert_eq!(mser5(&[1.0; 9]), 0, "fewer than two batches");
        assert_eq!(mser5(&[3.5; 100]), 0, "constant");
        assert_eq!(mser_truncation(&[1.0, 2.0, 3.0], 0), 0);
        assert_eq!(mser_truncation(&[5.0, 1.0], 1), 0, "two batches: both kept");
        assert_eq!(mser_truncation(&[9.0, 1.0, 1.2], 1), 1);
        let with_nan: Vec<f64> = (0..50)
            .map(|i| if i == 7 { f64::NAN } else { i as f64 })
            .collect();
        assert!(mser5(&with_nan) <= 25);
    }

    #[test]
    fn the_truncation_never_exceeds_half_the_batches() {
        // Rising to the end: every batch looks like transient, yet at most b/2 go.
        let xs: Vec<f64> = (0..103).map(|i| i as f64).collect();
        let t = mser5(&xs);
        assert!(t <= 50 && t.is_multiple_of(5), "truncation {t}");
    }

    #[test]
    fn matches_the_definition() {
        let xs = noise(200, 3)
            .iter()
            .enumerate()
            .map(|(t, e)| e + if t < 37 { 2.0 } else { 0.0 })
            .collect::<Vec<_>>();
        let y: Vec<f64> = xs
            .chunks_exact(5)
            .map(|c| c.iter().sum::<f64>() / 5.0)
            .collect();
        let b = y.len();
        let stat = |d: usize| {
            let rest = &y[d..];
            let m = rest.iter().sum::<f64>() / rest.len() as f64;
            rest.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (rest.len() as f64).powi(2)
        };
        let mut best = 0;
        for d in 0..=(b / 2).min(b - 2) {
            if stat(d) < stat(best) - 1e-12 {
                best = d;
            }
        }
        assert_eq!(mser5(&xs), best * 5);
    }
}
