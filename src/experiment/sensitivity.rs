//! One-at-a-time sensitivity on common random numbers: the paired design and its
//! statistics.
//!
//! Each varied value runs at a low and a high setting with every other value as loaded,
//! and every run — the base and each end — uses the same seed, replications and warm-up,
//! so replication r of each saw the same arrivals and every shipment the same draws
//! (common random numbers). A figure's change at an end is then estimated from the
//! per-replication differences from the base run, d_r = X_r(end) − X_r(base), as the
//! mean d̄ with the Student-t interval d̄ ± t(0.975, n−1) · s_d / √n
//! ([`paired_contrast`]): the noise the runs share cancels, so the interval is that of
//! the change, not of two independent estimates.
//!
//! The figures are the headline clearance time's mean and 90th percentile, per
//! replication ([`flow_series`], as `compare` forms them). With two policies A and B the
//! figure is the policy effect B − A, per replication, at the base and at each end; its
//! change is the difference-in-differences, again paired by replication.
//!
//! The paths are ranked by the width of the mean's swing, |figure(high) − figure(low)|,
//! widest first (the order of a tornado chart).

use super::compare::{Arm, flow_series, paired_contrast};
use super::layout::ModeLayout;
use crate::results::compare::Interval;
pub use crate::results::sensitivity::{
    BaseRun, Figures, Level, PathSensitivity, SENSITIVITY_SCHEMA, SensitivityDocument, Swing,
};
use crate::stats::mean_ci95;

/// The figures of one run, per replication.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Mean clearance time of the headline modes, hours, per replication.
    pub mean: Vec<f64>,
    /// The 90th percentile of the headline modes' clearance times, per replication.
    pub p90: Vec<f64>,
}

impl Series {
    /// The headline figures of a run.
    pub fn of(arm: Arm<'_>) -> Series {
        let (mean, p90) = flow_series(arm, &|m: &ModeLayout| m.headline);
        Series { mean, p90 }
    }
}

/// Which figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Figure {
    /// Mean clearance time.
    Mean,
    /// The 90th percentile of clearance time.
    P90,
}

/// One design point (the base, or one end of a varied value): its run, or with two
/// policies, A's and B's runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// The run (policy A's, with two policies).
    pub a: Series,
    /// Policy B's run, with two policies.
    pub b: Option<Series>,
}

impl Point {
    fn pick(s: &Series, f: Figure) -> &[f64] {
        match f {
            Figure::Mean => &s.mean,
            Figure::P90 => &s.p90,
        }
    }

    /// Per replication: the figure, or with two policies the effect B − A.
    pub fn series(&self, f: Figure) -> Vec<f64> {
        let a = Point::pick(&self.a, f);
        match &self.b {
            None => a.to_vec(),
            Some(b) => a
                .iter()
                .zip(Point::pick(b, f))
                .map(|(x, y)| y - x)
                .collect(),
        }
    }

    /// The figure with its 95 % interval: the mean over replications, or with two
    /// policies the paired difference B − A.
    pub fn value(&self, f: Figure) -> Interval {
        let a = Point::pick(&self.a, f);
        match &self.b {
            None => {
                let kept: Vec<f64> = a.iter().copied().filter(|x| !x.is_nan()).collect();
                let m = mean_ci95(&kept);
                Interval {
                    mean: m.mean,
                    ci95: m.ci95,
                }
            }
            Some(b) => paired_contrast(a, Point::pick(b, f)).difference,
        }
    }

    /// The figure's value and its change from `base`, paired by replication.
    pub fn level(&self, base: &Point, f: Figure) -> Level {
        Level {
            value: self.value(f),
            change: paired_contrast(&base.series(f), &self.series(f)).difference,
        }
    }

    /// Both figures with their intervals.
    pub fn figures(&self) -> Figures {
        Figures {
            mean: self.value(Figure::Mean),
            p90: self.value(Figure::P90),
        }
    }
}

/// A figure's swing over a varied value: each end against the base, and the width.
pub fn swing(base: &Point, low: &Point, high: &Point, f: Figure) -> Swing {
    let low = low.level(base, f);
    let high = high.level(base, f);
    Swing {
        width: (high.value.mean - low.value.mean).abs(),
        low,
        high,
    }
}

/// Orders paths by the width of the mean's swing, widest first (an undefined width
/// last; ties keep their order), and numbers their ranks from 1.
pub fn rank(paths: &mut [PathSensitivity]) {
    let key = |p: &PathSensitivity| {
        if p.mean.width.is_nan() {
            f64::NEG_INFINITY
        } else {
            p.mean.width
        }
    };
    paths.sort_by(|x, y| key(y).total_cmp(&key(x)));
    for (i, p) in paths.iter_mut().enumerate() {
        p.rank = i as u32 + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(mean: &[f64]) -> Series {
        Series {
            mean: mean.to_vec(),
            p90: mean.iter().map(|x| 2.0 * x).collect(),
        }
    }

    fn one(mean: &[f64]) -> Point {
        Point {
            a: series(mean),
            b: None,
        }
    }

    #[test]
    fn changes_are_paired_differences_from_the_base() {
        let base = one(&[3.0, 5.0, 4.0, 6.0]);
        let low = one(&[4.1, 6.0, 5.2, 6.9]);
        let high = one(&[2.6, 4.4, 3.5, 5.5]);
        let s = swing(&base, &low, &high, Figure::Mean);
        // d = 1.1, 1.0, 1.2, 0.9: mean 1.05, s = 0.1291, t(0.975, 3) = 3.1824.
        assert!((s.low.change.mean - 1.05).abs() < 1e-12);
        let half = s.low.change.half_width().unwrap();
        assert!((half - 3.1824 * 0.129_099 / 2.0).abs() < 1e-3, "{half}");
        // The paired interval is far narrower than the spread of either run.
        assert!(half < 0.25 * base.value(Figure::Mean).half_width().unwrap());
        assert!((s.low.value.mean - 5.55).abs() < 1e-12);
        assert!((s.width - (5.55 - 4.0)).abs() < 1e-12);
        let p = swing(&base, &low, &high, Figure::P90);
        assert!((p.low.change.mean - 2.1).abs() < 1e-12);
    }

    #[test]
    fn with_two_policies_the_figure_is_the_effect_and_its_change_a_difference_in_differences() {
        let point = |a: &[f64], b: &[f64]| Point {
            a: series(a),
            b: Some(series(b)),
        };
        let base = point(&[4.0, 6.0, 5.0], &[2.0, 3.0, 2.5]);
        let low = point(&[5.0, 7.5, 6.0], &[2.2, 3.1, 2.6]);
        let high = point(&[3.5, 5.0, 4.5], &[1.9, 2.9, 2.4]);
        let s = swing(&base, &low, &high, Figure::Mean);
        // Effects B − A: base −2, −3, −2.5; low −2.8, −4.4, −3.4.
        assert!((s.low.value.mean - (-3.533_333_333_333_333)).abs() < 1e-12);
        assert!((base.value(Figure::Mean).mean - (-2.5)).abs() < 1e-12);
        assert!((s.low.change.mean - (-1.033_333_333_333_333)).abs() < 1e-12);
        assert!(s.low.change.ci95.is_some());
    }

    #[test]
    fn paths_rank_by_the_width_of_the_means_swing() {
        let level = Level {
            value: Interval::none(),
            change: Interval::none(),
        };
        let path = |name: &str, width: f64| PathSensitivity {
            rank: 0,
            path: name.into(),
            kind: "number".into(),
            unit: None,
            from: "by".into(),
            base: 1.0,
            low: 0.75,
            high: 1.25,
            low_set: "0.75".into(),
            high_set: "1.25".into(),
            mean: Swing {
                low: level,
                high: level,
                width,
            },
            p90: Swing {
                low: level,
                high: level,
                width: 0.0,
            },
            unstable_low: vec![],
            unstable_high: vec![],
        };
        let mut paths = vec![
            path("a", 1.0),
            path("b", f64::NAN),
            path("c", 3.0),
            path("d", 1.0),
        ];
        rank(&mut paths);
        let order: Vec<(&str, u32)> = paths.iter().map(|p| (p.path.as_str(), p.rank)).collect();
        assert_eq!(order, [("c", 1), ("a", 2), ("d", 3), ("b", 4)]);
    }
}
