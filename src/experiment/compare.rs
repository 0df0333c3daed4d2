//! Comparing two policies (or two scenarios), A and B, replication by replication.
//!
//! **Paired** (common random numbers): A and B ran with the same seed and replications,
//! so replication r of each saw the same arrivals and every shipment the same draws.
//! Per-replication values A_r and B_r are then paired by r:
//! - difference B − A: the mean of d_r = B_r − A_r, with the Student-t interval
//!   d̄ ± t(0.975, n−1) · s_d / √n;
//! - relative change B/A − 1: the ratio estimator R̂ = B̄ / Ā with a delta-method
//!   standard error: z_r = B_r − R̂·A_r, se = s_z / (√n · Ā), interval
//!   R̂ − 1 ± t(0.975, n−1) · se.
//!
//! **Independent** (for measurement: B ran with another seed): the difference B̄ − Ā has
//! Welch's interval, se² = s_A²/n_A + s_B²/n_B with Welch–Satterthwaite degrees of
//! freedom; the relative change R̂ − 1 has the delta-method variance for independent
//! means, se² = (s_B²/n_B + R̂²·s_A²/n_A) / Ā², with Welch–Satterthwaite degrees of
//! freedom over the same two terms.
//!
//! Compared are the mean clearance time and the 90th percentile of each replication's
//! clearance times (overall, that is the headline modes together as in the summary, and
//! per mode present on both sides), and the staff-hours (sum over pools of rostered
//! officer-hours, per replication).

use std::fmt;

use statrs::distribution::{ContinuousCDF, StudentsT};

use super::layout::{Layout, ModeLayout};
use crate::model::ReplicationResult;
use crate::results::OfficerHours;
pub use crate::results::compare::{
    COMPARE_SCHEMA, Comparison, Contrast, CostContrast, FlowComparison, HoursContrast, Interval,
    PairingGain, ReplicationValues,
};
use crate::stats::{HoursHistogram, Tally, mean_ci95};

/// How the replications of A and B relate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pairing {
    /// Same seed and replications: paired by replication (common random numbers).
    Paired,
    /// Different seeds: two independent samples.
    Independent,
}

/// One side of a comparison: a model's layout and its replication results.
#[derive(Clone, Copy, Debug)]
pub struct Arm<'a> {
    /// The shape of the results.
    pub layout: &'a Layout,
    /// Results in replication order.
    pub results: &'a [ReplicationResult],
}

/// Why two sets of results cannot be compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompareError {
    /// What is wrong, for people.
    pub message: String,
}

impl fmt::Display for CompareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CompareError {}

/// The seed B runs with in an independent comparison: A's seed with bit 62 flipped
/// (`seed ^ 2^62`; seed 1 gives 4611686018427387905). It differs from A's seed, stays a
/// valid scenario seed (0 ≤ seed ≤ 2^63 − 1), and — every random stream being seeded
/// from a hash of the whole seed — shares no random numbers with A.
pub fn independent_seed(seed: u64) -> u64 {
    (seed ^ (1 << 62)) & (i64::MAX as u64)
}

/// Compares B against A: paired by replication, or as independent samples.
///
/// Paired needs the same seed and the same number of replications on both sides.
pub fn compare(a: Arm<'_>, b: Arm<'_>, pairing: Pairing) -> Result<Comparison, CompareError> {
    let (na, nb) = (a.results.len(), b.results.len());
    if na == 0 || nb == 0 {
        return Err(CompareError {
            message: "nothing to compare: a side has no replications".into(),
        });
    }
    if pairing == Pairing::Paired {
        if a.layout.seed != b.layout.seed {
            return Err(CompareError {
                message: format!(
                    "a paired comparison needs the same seed on both sides (A has {}, B has {})",
                    a.layout.seed, b.layout.seed
                ),
            });
        }
        if na != nb {
            return Err(CompareError {
                message: format!(
                    "a paired comparison needs the same replications on both sides (A has {na}, B has {nb})"
                ),
            });
        }
    }
    let contrast = |xa: &[f64], xb: &[f64]| match pairing {
        Pairing::Paired => paired_contrast(xa, xb),
        Pairing::Independent => independent_contrast(xa, xb),
    };
    let flow = |pick_a: &dyn Fn(&ModeLayout) -> bool, pick_b: &dyn Fn(&ModeLayout) -> bool| {
        let (mean_a, p90_a) = flow_series(a, pick_a);
        let (mean_b, p90_b) = flow_series(b, pick_b);
        FlowComparison {
            mean: contrast(&mean_a, &mean_b),
            p90: contrast(&p90_a, &p90_b),
        }
    };
    let overall = flow(&|m: &ModeLayout| m.headline, &|m: &ModeLayout| m.headline);
    let modes = a
        .layout
        .modes
        .iter()
        .filter(|m| b.layout.modes.iter().any(|o| o.name == m.name))
        .map(|m| {
            let name = m.name.as_str();
            (
                m.name.clone(),
                flow(&|x: &ModeLayout| x.name == name, &|x: &ModeLayout| {
                    x.name == name
                }),
            )
        })
        .collect();
    // Per class (index 0 priority, 1 normal, as recorded), the headline modes' mean
    // clearance per replication; a class compared only where both sides released some.
    let class_means = |arm: Arm<'_>, k: usize| -> Vec<f64> {
        arm.results
            .iter()
            .map(|r| {
                let mut tally = Tally::default();
                for (_, m) in arm
                    .layout
                    .modes
                    .iter()
                    .zip(&r.modes)
                    .filter(|(l, _)| l.headline)
                {
                    tally.merge(&m.classes[k].clearance);
                }
                tally.mean()
            })
            .collect()
    };
    let classes = [(0, "priority"), (1, "normal")]
        .into_iter()
        .filter_map(|(k, name)| {
            let (xa, xb) = (class_means(a, k), class_means(b, k));
            let some = |xs: &[f64]| xs.iter().any(|x| x.is_finite());
            (some(&xa) && some(&xb)).then(|| (name.to_string(), contrast(&xa, &xb)))
        })
        .collect();
    let staff = |arm: Arm<'_>, pick: &dyn Fn(&str) -> bool| -> Vec<f64> {
        arm.results
            .iter()
            .map(|r| {
                arm.layout
                    .pools
                    .iter()
                    .zip(&r.pools)
                    .filter(|(name, _)| pick(name))
                    .map(|(_, p)| p.staff_hours)
                    .sum()
            })
            .collect()
    };
    let staff_hours = contrast(&staff(a, &|_| true), &staff(b, &|_| true));
    let pools = a
        .layout
        .pools
        .iter()
        .filter(|p| b.layout.pools.contains(p))
        .map(|p| {
            let one = |name: &str| name == p.as_str();
            (p.clone(), contrast(&staff(a, &one), &staff(b, &one)))
        })
        .collect();
    let by_kind = |kind: HoursOf| contrast(&hours_series(a, kind), &hours_series(b, kind));
    let officer_hours = HoursContrast {
        regular: by_kind(|h| h.regular),
        on_call: by_kind(|h| h.on_call),
        overtime: by_kind(|h| h.overtime),
        total: by_kind(|h| h.total),
    };
    // Cost only where both sides price their hours, in the same unit.
    let cost = cost_series(a, b).map(|(unit, xa, xb)| CostContrast {
        unit,
        total: contrast(&xa, &xb),
    });
    Ok(Comparison {
        paired: pairing == Pairing::Paired,
        overall,
        modes,
        classes,
        staff_hours,
        pools,
        officer_hours,
        cost,
    })
}

/// One kind of officer-hour, read from a tally of them.
type HoursOf = fn(&OfficerHours) -> f64;

/// One kind of officer-hour of all pools, per replication of `arm`.
fn hours_series(arm: Arm<'_>, kind: HoursOf) -> Vec<f64> {
    (arm.results.iter())
        .map(|r| kind(&OfficerHours::of_pools(&r.pools)))
        .collect()
}

/// Each replication's cost on both sides, with their unit: only when both sides price
/// their hours, in the same unit.
fn cost_series(a: Arm<'_>, b: Arm<'_>) -> Option<(String, Vec<f64>, Vec<f64>)> {
    let (wa, wb) = (a.layout.cost.as_ref()?, b.layout.cost.as_ref()?);
    if wa.unit != wb.unit {
        return None;
    }
    let costs = |arm: Arm<'_>| -> Option<Vec<f64>> { arm.results.iter().map(|r| r.cost).collect() };
    Some((wa.unit.clone(), costs(a)?, costs(b)?))
}

/// Every compared figure in each replication of both sides — mean and p90 clearance
/// overall and per mode present on both sides, officer-hours by kind, the cost when both
/// sides price their hours in one unit — with B − A per pair when `paired`.
pub fn replication_values(a: Arm<'_>, b: Arm<'_>, paired: bool) -> Vec<ReplicationValues> {
    let mut out = Vec::new();
    let mut push = |entity: &str, figure: &str, unit: &str, xa: Vec<f64>, xb: Vec<f64>| {
        let difference = paired.then(|| xa.iter().zip(&xb).map(|(a, b)| b - a).collect());
        out.push(ReplicationValues {
            entity: entity.into(),
            figure: figure.into(),
            unit: unit.into(),
            a: xa,
            b: xb,
            difference,
        });
    };
    let mut flows = |entity: &str,
                     pick_a: &dyn Fn(&ModeLayout) -> bool,
                     pick_b: &dyn Fn(&ModeLayout) -> bool| {
        let (mean_a, p90_a) = flow_series(a, pick_a);
        let (mean_b, p90_b) = flow_series(b, pick_b);
        push(entity, "clearance_mean", "hours", mean_a, mean_b);
        push(entity, "clearance_p90", "hours", p90_a, p90_b);
    };
    flows("overall", &|m| m.headline, &|m| m.headline);
    for mode in a
        .layout
        .modes
        .iter()
        .filter(|m| b.layout.modes.iter().any(|n| n.name == m.name))
    {
        let one = |m: &ModeLayout| m.name == mode.name;
        flows(&mode.name, &one, &one);
    }
    let kinds: [(&str, HoursOf); 4] = [
        ("officer_hours_regular", |h| h.regular),
        ("officer_hours_on_call", |h| h.on_call),
        ("officer_hours_overtime", |h| h.overtime),
        ("officer_hours_total", |h| h.total),
    ];
    for (figure, kind) in kinds {
        push(
            "all pools",
            figure,
            "officer_hours",
            hours_series(a, kind),
            hours_series(b, kind),
        );
    }
    if let Some((unit, xa, xb)) = cost_series(a, b) {
        push("all pools", "cost", &unit, xa, xb);
    }
    out
}

/// Per replication: the mean clearance time and its 90th percentile over the modes
/// `pick` selects (NaN where nothing was released).
pub fn flow_series(arm: Arm<'_>, pick: &dyn Fn(&ModeLayout) -> bool) -> (Vec<f64>, Vec<f64>) {
    arm.results
        .iter()
        .map(|r| {
            let mut tally = Tally::default();
            let mut hist = HoursHistogram::new();
            for (_, m) in arm
                .layout
                .modes
                .iter()
                .zip(&r.modes)
                .filter(|(l, _)| pick(l))
            {
                tally.merge(&m.clearance);
                hist.merge(&m.histogram);
            }
            (tally.mean(), hist.quantile(0.9).unwrap_or(f64::NAN))
        })
        .unzip()
}

fn interval(m: crate::stats::MeanCi) -> Interval {
    Interval {
        mean: m.mean,
        ci95: m.ci95,
    }
}

/// The 97.5 % quantile of Student's t with `df` degrees of freedom.
fn t975(df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df)
        .expect("positive degrees of freedom")
        .inverse_cdf(0.975)
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// Sample variance (n − 1 in the denominator).
fn variance(xs: &[f64]) -> f64 {
    let m = mean(xs);
    xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64
}

fn symmetric(estimate: f64, half_width: f64) -> Option<[f64; 2]> {
    half_width
        .is_finite()
        .then_some([estimate - half_width, estimate + half_width])
}

/// Contrast of paired per-replication values (`a[r]` with `b[r]`); pairs where either
/// value is NaN are left out.
pub fn paired_contrast(a: &[f64], b: &[f64]) -> Contrast {
    assert_eq!(a.len(), b.len(), "paired values come in pairs");
    let (xa, xb): (Vec<f64>, Vec<f64>) = a
        .iter()
        .zip(b)
        .filter(|(x, y)| !x.is_nan() && !y.is_nan())
        .map(|(x, y)| (*x, *y))
        .unzip();
    let n = xa.len();
    let d: Vec<f64> = xa.iter().zip(&xb).map(|(x, y)| y - x).collect();
    let difference = interval(mean_ci95(&d));
    let mut relative = Interval::none();
    let mut pairing = None;
    if n > 0 {
        let (ma, mb) = (mean(&xa), mean(&xb));
        let r = mb / ma;
        if r.is_finite() {
            relative.mean = r - 1.0;
            if n >= 2 {
                let z: Vec<f64> = xa.iter().zip(&xb).map(|(x, y)| y - r * x).collect();
                let se = variance(&z).sqrt() / ((n as f64).sqrt() * ma.abs());
                relative.ci95 = symmetric(r - 1.0, t975((n - 1) as f64) * se);
                // The same values as two independent samples.
                let welch = independent_contrast(&xa, &xb);
                let width = |i: Interval| i.half_width().unwrap_or(f64::NAN);
                let covariance = xa
                    .iter()
                    .zip(&xb)
                    .map(|(x, y)| (x - ma) * (y - mb))
                    .sum::<f64>()
                    / (n - 1) as f64;
                let gain = PairingGain {
                    correlation: covariance / (variance(&xa) * variance(&xb)).sqrt(),
                    difference_narrower: width(welch.difference) / width(difference),
                    relative_narrower: width(welch.relative) / width(relative),
                };
                pairing = [
                    gain.correlation,
                    gain.difference_narrower,
                    gain.relative_narrower,
                ]
                .iter()
                .all(|x| x.is_finite())
                .then_some(gain);
            }
        }
    }
    Contrast {
        a: interval(mean_ci95(&xa)),
        b: interval(mean_ci95(&xb)),
        difference,
        relative,
        pairing,
    }
}

/// Contrast of two independent samples (Welch); NaN values are left out.
pub fn independent_contrast(a: &[f64], b: &[f64]) -> Contrast {
    let xa: Vec<f64> = a.iter().copied().filter(|x| !x.is_nan()).collect();
    let xb: Vec<f64> = b.iter().copied().filter(|x| !x.is_nan()).collect();
    let (na, nb) = (xa.len(), xb.len());
    let mut difference = Interval::none();
    let mut relative = Interval::none();
    if na > 0 && nb > 0 {
        let (ma, mb) = (mean(&xa), mean(&xb));
        difference.mean = mb - ma;
        let r = mb / ma;
        if r.is_finite() {
            relative.mean = r - 1.0;
        }
        if na >= 2 && nb >= 2 {
            let (va, vb) = (variance(&xa) / na as f64, variance(&xb) / nb as f64);
            difference.ci95 = symmetric(mb - ma, welch_half_width(va, na, vb, nb));
            if r.is_finite() {
                // Delta method: Var(B̄/Ā) ≈ (Var B̄ + R̂² Var Ā) / Ā².
                let ra = r * r * va;
                let hw = welch_half_width(ra, na, vb, nb) / ma.abs();
                relative.ci95 = symmetric(r - 1.0, hw);
            }
        }
    }
    Contrast {
        a: interval(mean_ci95(&xa)),
        b: interval(mean_ci95(&xb)),
        difference,
        relative,
        pairing: None,
    }
}

/// Half-width t · √(u + v) of an interval whose variance is the sum of two independent
/// terms, u from n_u values and v from n_v, with Welch–Satterthwaite degrees of freedom.
fn welch_half_width(u: f64, nu: usize, v: f64, nv: usize) -> f64 {
    let var = u + v;
    if var == 0.0 {
        return 0.0;
    }
    let df = var * var / (u * u / (nu - 1) as f64 + v * v / (nv - 1) as f64);
    t975(df) * var.sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(x: f64, y: f64, tol: f64) {
        assert!((x - y).abs() < tol, "{x} vs {y}");
    }

    #[test]
    fn paired_difference_and_ratio() {
        let a = [10.0, 12.0, 11.0, 13.0];
        let b = [5.1, 6.0, 5.4, 6.6];
        let c = paired_contrast(&a, &b);
        // d = −4.9, −6, −5.6, −6.4: mean −5.725, s = 0.6397, t(0.975, 3) = 3.1824
        close(c.difference.mean, -5.725, 1e-12);
        close(
            c.difference.half_width().unwrap(),
            3.1824 * 0.6397 / 2.0,
            1e-3,
        );
        // R̂ = 23.1 / 46 = 0.502174; z = b − R̂ a
        let r = 23.1 / 46.0;
        let z: Vec<f64> = a.iter().zip(&b).map(|(x, y)| y - r * x).collect();
        let se = variance(&z).sqrt() / (2.0 * 11.5);
        close(c.relative.mean, r - 1.0, 1e-12);
        close(c.relative.half_width().unwrap(), t975(3.0) * se, 1e-12);
        close(c.a.mean, 11.5, 1e-12);
        close(c.b.mean, 5.775, 1e-12);
        // What pairing bought: the same values through Welch, over the paired widths.
        let gain = c.pairing.expect("paired, with spread");
        let welch = independent_contrast(&a, &b);
        close(
            gain.difference_narrower,
            welch.difference.half_width().unwrap() / c.difference.half_width().unwrap(),
            1e-12,
        );
        close(
            gain.relative_narrower,
            welch.relative.half_width().unwrap() / c.relative.half_width().unwrap(),
            1e-12,
        );
        // Σ(a − ā)(b − b̄) = 2.55 over √(Σ(a − ā)² · Σ(b − b̄)²) = √(5 · 1.3275).
        close(gain.correlation, 2.55 / (5.0f64 * 1.3275).sqrt(), 1e-12);
        assert!(gain.difference_narrower > 1.0 && gain.relative_narrower > 1.0);
        assert_eq!(welch.pairing, None, "independent samples have no pairing");
    }

    #[test]
    fn welch_interval() {
        let a = [1.0, 2.0, 3.0, 4.0, 5.0];
        let b = [2.0, 4.0, 6.0];
        let c = independent_contrast(&a, &b);
        // s_A² = 2.5, s_B² = 4: u = 0.5, v = 1.3333; df = 1.8333² / (0.25/4 + 1.7778/2)
        let (u, v) = (0.5, 4.0 / 3.0);
        let df = (u + v) * (u + v) / (u * u / 4.0 + v * v / 2.0);
        close(c.difference.mean, 1.0, 1e-12);
        close(
            c.difference.half_width().unwrap(),
            t975(df) * (u + v).sqrt(),
            1e-12,
        );
        close(c.relative.mean, 1.0 / 3.0, 1e-12);
        assert!(c.relative.ci95.is_some());
    }

    #[test]
    fn degenerate_samples() {
        // Identical constants: zero-width intervals, not NaN.
        let c = paired_contrast(&[2.0, 2.0], &[3.0, 3.0]);
        assert_eq!(c.difference.ci95, Some([1.0, 1.0]));
        assert_eq!(c.relative.ci95, Some([0.5, 0.5]));
        assert_eq!(c.pairing, None, "no spread: nothing to say of pairing");
        let c = independent_contrast(&[2.0, 2.0], &[3.0, 3.0]);
        assert_eq!(c.difference.ci95, Some([1.0, 1.0]));
        // One replication: estimates, no intervals.
        let c = paired_contrast(&[2.0], &[3.0]);
        assert_eq!((c.difference.mean, c.difference.ci95), (1.0, None));
        // A zero baseline has no relative change; NaN pairs are dropped.
        let c = paired_contrast(&[0.0, 0.0], &[1.0, 1.0]);
        assert!(c.relative.mean.is_nan() && c.relative.ci95.is_none());
        let c = paired_contrast(&[1.0, f64::NAN, 3.0], &[2.0, 5.0, 4.0]);
        assert_eq!(c.difference.mean, 1.0);
    }

    #[test]
    fn independent_seed_differs_and_is_valid() {
        for s in [0, 1, 42, i64::MAX as u64] {
            let t = independent_seed(s);
            assert_ne!(s, t);
            assert!(t <= i64::MAX as u64);
        }
        assert_eq!(independent_seed(1), 4_611_686_018_427_387_905);
    }
}
