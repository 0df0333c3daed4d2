//! Distributions of durations (in hours) and of counts (batch sizes) used in scenario files.
//!
//! Both [`DurationDist`] and [`CountDist`] are built through their validating constructors
//! (`DurationDist::lognormal(2.0, 0.5)?`, ...), which reject bad parameters with a message that
//! says what was expected and what was given, and precompute everything sampling needs, so that
//! `sample` is branch-light and never allocates.
//!
//! # Draw pattern
//!
//! Every variant except [`DurationDist::Exponential`], [`DurationDist::Gamma`] and
//! [`CountDist::Poisson`] consumes **exactly one `next_u64()`** per sample, including [`DurationDist::Deterministic`] and
//! [`CountDist::Constant`], whose draw is discarded. These variants sample by inversion, as a
//! non-decreasing function of that one draw (empirical values are stored sorted). So swapping
//! one of these distributions for another in a scenario keeps every later draw of the same
//! stream aligned, and common random numbers across scenarios stay positively correlated.
//! `Gamma` and `Poisson` use rand_distr's rejection samplers and consume a variable number of
//! draws. `Exponential` uses rand_distr's ziggurat `Exp1` scaled by the mean: one draw in
//! about 99 % of samples, more in the rest. It is the most common service time and the
//! inversion's `ln` was the single most expensive step of a whole M/M/c run (about 5 % of
//! its time); scaling one `Exp1` draw by the mean still couples runs that differ only in
//! the mean perfectly.
//!
//! | variant | draws | method |
//! |---|---|---|
//! | `Exponential` | variable (1 × u64 in ≈ 99 %) | `mean · Exp1` (ziggurat) |
//! | `Deterministic` | 1 × u64 (discarded) | constant |
//! | `Uniform` | 1 × u64 | `min + (max−min)·u`, u ∈ [0,1) |
//! | `Triangular` | 1 × u64 | inverse CDF, u ∈ [0,1) |
//! | `LogNormal` | 1 × u64 | `exp(mu + sigma·Φ⁻¹(u))`, u ∈ (0,1), Φ⁻¹ by Wichura's AS 241 |
//! | `Gamma` | variable | `rand_distr::Gamma` (Marsaglia–Tsang) |
//! | `Empirical` (both) | 1 × u64 | binary search of u ∈ [0,1) in the cumulative probabilities |
//! | `Constant` | 1 × u64 (discarded) | constant |
//! | `Poisson` | variable | `rand_distr::Poisson` (Knuth below mean 12, else Ahrens–Dieter) |
//! | `UniformInt` | 1 × u64 | `min + ⌊x·n / 2⁶⁴⌋`, n = max − min + 1 |
//!
//! Here u ∈ [0,1) is `(x >> 11)·2⁻⁵³` and u ∈ (0,1) is `((x >> 12) + ½)·2⁻⁵²` for the drawn
//! `x: u64`. `UniformInt`'s multiply-shift has a relative bias of at most n / 2⁶⁴ per outcome
//! (below 10⁻⁹ for n < 2³⁴), which buys the fixed single draw.
//!
//! The variants' fields are public so that code can inspect them by pattern matching. Build
//! values only through the constructors: `LogNormal`, `Gamma` and `Poisson` carry precomputed
//! parameters that cannot be built elsewhere, and a hand-built variant of another kind skips
//! validation and may sample meaningless (even negative) values.

use std::fmt;

use rand::Rng;
use rand_distr::{Distribution, Exp1};

/// 2⁻⁵³.
const TWO_POW_M53: f64 = 1.0 / (1u64 << 53) as f64;
/// 2⁻⁵².
const TWO_POW_M52: f64 = 1.0 / (1u64 << 52) as f64;

/// Uniform on [0, 1) from exactly one `next_u64()`: the top 53 bits, `k·2⁻⁵³`.
#[inline]
fn unit_closed_open<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    (rng.next_u64() >> 11) as f64 * TWO_POW_M53
}

/// Uniform on (0, 1) from exactly one `next_u64()`: the top 52 bits, `(k + ½)·2⁻⁵²`.
///
/// Every value and its complement `1 − u` are exact, the extremes are `2⁻⁵³` and `1 − 2⁻⁵³`.
#[inline]
fn unit_open<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    ((rng.next_u64() >> 12) as f64 + 0.5) * TWO_POW_M52
}

/// Evaluates the polynomial with coefficients `c` (lowest degree first) at `x`.
#[inline]
fn poly(c: &[f64; 8], x: f64) -> f64 {
    c.iter().rev().fold(0.0, |acc, &ci| acc * x + ci)
}

/// Quantile function Φ⁻¹ of the standard normal distribution for `p` in (0, 1).
///
/// Wichura (1988), Algorithm AS 241 (PPND16), Applied Statistics 37(3), 477–484: relative
/// accuracy about 1e-16. Callers guarantee `0 < p < 1`.
// The coefficients are kept digit for digit as published, so they can be checked against the
// paper; the compiler rounds them to the nearest f64.
#[allow(clippy::excessive_precision)]
#[inline]
fn std_normal_quantile(p: f64) -> f64 {
    const A: [f64; 8] = [
        3.387_132_872_796_366_608,
        1.331_416_678_917_843_774_5e2,
        1.971_590_950_306_551_442_7e3,
        1.373_169_376_550_946_112_5e4,
        4.592_195_393_154_987_145_7e4,
        6.726_577_092_700_870_085_3e4,
        3.343_057_558_358_812_810_5e4,
        2.509_080_928_730_122_672_7e3,
    ];
    const B: [f64; 8] = [
        1.0,
        4.231_333_070_160_091_125_2e1,
        6.871_870_074_920_579_083e2,
        5.394_196_021_424_751_107_7e3,
        2.121_379_430_158_659_586_7e4,
        3.930_789_580_009_271_061e4,
        2.872_908_573_572_194_267_4e4,
        5.226_495_278_852_854_561e3,
    ];
    const C: [f64; 8] = [
        1.423_437_110_749_683_577_34,
        4.630_337_846_156_545_295_9,
        5.769_497_221_460_691_405_5,
        3.647_848_324_763_204_605_04,
        1.270_458_252_452_368_382_58,
        2.417_807_251_774_506_117_7e-1,
        2.272_384_498_926_918_458_33e-2,
        7.745_450_142_783_414_076_4e-4,
    ];
    const D: [f64; 8] = [
        1.0,
        2.053_191_626_637_758_821_87,
        1.676_384_830_183_803_849_4,
        6.897_673_349_851_000_045_5e-1,
        1.481_039_764_274_800_745_9e-1,
        1.519_866_656_361_645_719_66e-2,
        5.475_938_084_995_344_946e-4,
        1.050_750_071_644_416_843_24e-9,
    ];
    const E: [f64; 8] = [
        6.657_904_643_501_103_777_2,
        5.463_784_911_164_114_369_9,
        1.784_826_539_917_291_335_8,
        2.965_605_718_285_048_912_3e-1,
        2.653_218_952_657_612_309_3e-2,
        1.242_660_947_388_078_438_6e-3,
        2.711_555_568_743_487_578_15e-5,
        2.010_334_399_292_288_132_65e-7,
    ];
    const F: [f64; 8] = [
        1.0,
        5.998_322_065_558_879_376_9e-1,
        1.369_298_809_227_358_053_1e-1,
        1.487_536_129_085_061_485_25e-2,
        7.868_691_311_456_132_591e-4,
        1.846_318_317_510_054_681_8e-5,
        1.421_511_758_316_445_888_7e-7,
        2.044_263_103_389_939_785_64e-15,
    ];

    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180_625 - q * q;
        return q * poly(&A, r) / poly(&B, r);
    }
    let tail = if q < 0.0 { p } else { 1.0 - p };
    let r = (-tail.ln()).sqrt();
    let z = if r <= 5.0 {
        let r = r - 1.6;
        poly(&C, r) / poly(&D, r)
    } else {
        let r = r - 5.0;
        poly(&E, r) / poly(&F, r)
    };
    if q < 0.0 { -z } else { z }
}

/// `Ok` if `x` is finite and `> 0`, else "`dist` needs finite `what` > 0, got `x`".
fn require_positive(dist: &str, what: &str, x: f64) -> Result<(), String> {
    if x.is_finite() && x > 0.0 {
        Ok(())
    } else {
        Err(format!("{dist} needs finite {what} > 0, got {x:?}"))
    }
}

/// `Ok` if `x` is finite and `>= 0`, else "`dist` needs finite `what` >= 0, got `x`".
fn require_non_negative(dist: &str, what: &str, x: f64) -> Result<(), String> {
    if x.is_finite() && x >= 0.0 {
        Ok(())
    } else {
        Err(format!("{dist} needs finite {what} >= 0, got {x:?}"))
    }
}

/// Validates empirical weights, sorts `values` ascending (carrying the weights along) and
/// returns them with their normalised cumulative probabilities, the last being exactly 1.
fn build_empirical<T: Copy>(
    dist: &str,
    values: Vec<T>,
    weights: Option<Vec<f64>>,
    cmp: impl Fn(&T, &T) -> std::cmp::Ordering,
) -> Result<(Vec<T>, Vec<f64>), String> {
    if values.is_empty() {
        return Err(format!("{dist} needs at least one value, got none"));
    }
    let weights = match weights {
        Some(w) if w.len() != values.len() => {
            return Err(format!(
                "{dist} weights must have the same length as values ({} values, {} weights)",
                values.len(),
                w.len()
            ));
        }
        Some(w) => w,
        None => vec![1.0; values.len()],
    };
    if let Some((i, w)) = weights
        .iter()
        .enumerate()
        .find(|&(_, w)| !(w.is_finite() && *w >= 0.0))
    {
        return Err(format!(
            "{dist} weights must be finite and >= 0, got {w:?} at index {i}"
        ));
    }
    let mut pairs: Vec<(T, f64)> = values.into_iter().zip(weights).collect();
    pairs.sort_by(|a, b| cmp(&a.0, &b.0));
    let mut running = 0.0;
    let mut cumulative: Vec<f64> = pairs
        .iter()
        .map(|&(_, w)| {
            running += w;
            running
        })
        .collect();
    let total = running;
    if !(total.is_finite() && total > 0.0) {
        return Err(format!(
            "{dist} weights must have a finite sum > 0, got {total:?}"
        ));
    }
    for c in &mut cumulative {
        *c /= total;
    }
    let values = pairs.into_iter().map(|(v, _)| v).collect();
    Ok((values, cumulative))
}

/// Index drawn from normalised cumulative probabilities with one `next_u64()`: the first `i`
/// with `cumulative[i] > u`, so zero-probability entries are never drawn.
#[inline]
fn empirical_index<R: Rng + ?Sized>(cumulative: &[f64], rng: &mut R) -> usize {
    let u = unit_closed_open(rng);
    // The last cumulative probability is exactly 1 > u, so the index is in range.
    cumulative.partition_point(|&c| c <= u)
}

/// Mean and variance of a discrete distribution given by values and cumulative probabilities.
fn empirical_moments(values: impl Iterator<Item = f64> + Clone, cumulative: &[f64]) -> (f64, f64) {
    let probs = || {
        cumulative
            .iter()
            .scan(0.0, |prev, &c| {
                let p = c - *prev;
                *prev = c;
                Some(p)
            })
            .zip(values.clone())
    };
    let mean: f64 = probs().map(|(p, v)| p * v).sum();
    let variance: f64 = probs().map(|(p, v)| p * (v - mean) * (v - mean)).sum();
    (mean, variance)
}

/// Log-space parameters of a [`DurationDist::LogNormal`], precomputed by
/// [`DurationDist::lognormal`] (the only way to build one).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LogNormalParams {
    mu: f64,
    sigma: f64,
}

impl LogNormalParams {
    /// Mean of the logarithm of a sample: `ln(mean) − sigma²/2`.
    pub fn mu(&self) -> f64 {
        self.mu
    }

    /// Standard deviation of the logarithm of a sample: `sqrt(ln(1 + cv²))`.
    pub fn sigma(&self) -> f64 {
        self.sigma
    }
}

/// Shape, scale and sampler of a [`DurationDist::Gamma`], precomputed by
/// [`DurationDist::gamma`] (the only way to build one).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GammaParams {
    shape: f64,
    scale: f64,
    sampler: rand_distr::Gamma<f64>,
}

impl GammaParams {
    /// Shape parameter `k = 1/cv²`.
    pub fn shape(&self) -> f64 {
        self.shape
    }

    /// Scale parameter `θ = mean·cv²`, in hours.
    pub fn scale(&self) -> f64 {
        self.scale
    }
}

/// Sampler of a [`CountDist::Poisson`], precomputed by [`CountDist::poisson`] (the only way to
/// build one).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PoissonParams {
    sampler: rand_distr::Poisson<f64>,
}

/// A distribution of durations, in hours. Build with the constructors; see the
/// [module documentation](self) for the draw pattern of each variant.
#[derive(Clone, Debug, PartialEq)]
pub enum DurationDist {
    /// Exponential with the given mean.
    Exponential {
        /// Mean, hours (> 0).
        mean: f64,
    },
    /// Always the same value.
    Deterministic {
        /// The value, hours (>= 0).
        value: f64,
    },
    /// Continuous uniform between `min` and `max`.
    Uniform {
        /// Lower bound, hours (>= 0).
        min: f64,
        /// Upper bound, hours (>= `min`).
        max: f64,
    },
    /// Triangular on `[min, max]` with its peak at `mode`.
    Triangular {
        /// Lower bound, hours (>= 0).
        min: f64,
        /// Most likely value, hours (`min <= mode <= max`).
        mode: f64,
        /// Upper bound, hours (> `min`).
        max: f64,
    },
    /// Log-normal with the given (linear-space) mean and coefficient of variation.
    LogNormal {
        /// Mean, hours (> 0).
        mean: f64,
        /// Coefficient of variation, std dev / mean (> 0).
        cv: f64,
        /// Precomputed log-space parameters.
        params: LogNormalParams,
    },
    /// Gamma with the given mean and coefficient of variation (shape `1/cv²`).
    Gamma {
        /// Mean, hours (> 0).
        mean: f64,
        /// Coefficient of variation, std dev / mean (> 0).
        cv: f64,
        /// Precomputed shape, scale and sampler.
        params: GammaParams,
    },
    /// One of a finite set of values, drawn uniformly or by weight.
    Empirical {
        /// The values, hours (>= 0), sorted ascending.
        values: Vec<f64>,
        /// Cumulative probabilities aligned with `values`: non-decreasing, the last exactly 1.
        cumulative_weights: Vec<f64>,
    },
}

impl DurationDist {
    /// Exponential with `mean` hours; needs finite `mean > 0`.
    pub fn exponential(mean: f64) -> Result<Self, String> {
        require_positive("exponential", "mean", mean)?;
        Ok(Self::Exponential { mean })
    }

    /// Always `value` hours; needs finite `value >= 0`.
    pub fn deterministic(value: f64) -> Result<Self, String> {
        require_non_negative("deterministic", "value", value)?;
        Ok(Self::Deterministic { value })
    }

    /// Uniform on `[min, max)` hours; needs finite `0 <= min <= max` (`min == max` is a constant).
    pub fn uniform(min: f64, max: f64) -> Result<Self, String> {
        require_non_negative("uniform", "min", min)?;
        require_non_negative("uniform", "max", max)?;
        if min > max {
            return Err(format!(
                "uniform needs min <= max, got min {min:?}, max {max:?}"
            ));
        }
        Ok(Self::Uniform { min, max })
    }

    /// Triangular on `[min, max]` hours with peak `mode`; needs finite
    /// `0 <= min <= mode <= max` and `min < max`.
    pub fn triangular(min: f64, mode: f64, max: f64) -> Result<Self, String> {
        require_non_negative("triangular", "min", min)?;
        require_non_negative("triangular", "mode", mode)?;
        require_non_negative("triangular", "max", max)?;
        if !(min <= mode && mode <= max && min < max) {
            return Err(format!(
                "triangular needs min <= mode <= max and min < max, \
                 got min {min:?}, mode {mode:?}, max {max:?}"
            ));
        }
        Ok(Self::Triangular { min, mode, max })
    }

    /// Log-normal with linear-space `mean` hours and coefficient of variation `cv`; needs
    /// finite `mean > 0` and `cv > 0`. Precomputes `sigma² = ln(1 + cv²)` and
    /// `mu = ln(mean) − sigma²/2`.
    pub fn lognormal(mean: f64, cv: f64) -> Result<Self, String> {
        require_positive("lognormal", "mean", mean)?;
        require_positive("lognormal", "cv", cv)?;
        let sigma2 = (cv * cv).ln_1p();
        if !sigma2.is_finite() {
            return Err(format!("lognormal needs cv with a finite cv², got {cv:?}"));
        }
        let params = LogNormalParams {
            mu: mean.ln() - 0.5 * sigma2,
            sigma: sigma2.sqrt(),
        };
        Ok(Self::LogNormal { mean, cv, params })
    }

    /// Gamma with `mean` hours and coefficient of variation `cv`; needs finite `mean > 0` and
    /// `cv > 0` such that shape `1/cv²` and scale `mean·cv²` are finite and positive.
    pub fn gamma(mean: f64, cv: f64) -> Result<Self, String> {
        require_positive("gamma", "mean", mean)?;
        require_positive("gamma", "cv", cv)?;
        let cv2 = cv * cv;
        let shape = 1.0 / cv2;
        let scale = mean * cv2;
        let representable = |x: f64| x.is_finite() && x > 0.0;
        if !(representable(shape) && representable(scale)) {
            return Err(format!(
                "gamma needs shape 1/cv² and scale mean·cv² finite and > 0, \
                 got shape {shape:?}, scale {scale:?} (mean {mean:?}, cv {cv:?})"
            ));
        }
        let sampler = rand_distr::Gamma::new(shape, scale)
            .map_err(|e| format!("gamma(mean {mean:?}, cv {cv:?}): {e}"))?;
        let params = GammaParams {
            shape,
            scale,
            sampler,
        };
        Ok(Self::Gamma { mean, cv, params })
    }

    /// One of `values` (hours), equally likely or with probabilities proportional to
    /// `weights`. Needs at least one value, every value finite and `>= 0`, and, if given,
    /// as many weights as values, each finite and `>= 0`, with a finite sum `> 0`.
    /// Values are stored sorted ascending (stable, weights carried along).
    pub fn empirical(values: Vec<f64>, weights: Option<Vec<f64>>) -> Result<Self, String> {
        if let Some((i, v)) = values
            .iter()
            .enumerate()
            .find(|&(_, v)| !(v.is_finite() && *v >= 0.0))
        {
            return Err(format!(
                "empirical values must be finite and >= 0, got {v:?} at index {i}"
            ));
        }
        let (values, cumulative_weights) =
            build_empirical("empirical", values, weights, f64::total_cmp)?;
        Ok(Self::Empirical {
            values,
            cumulative_weights,
        })
    }

    /// Draws a duration in hours (finite and never negative). Consumes exactly one
    /// `next_u64()` except for `Gamma`; see the [module documentation](self).
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Self::Exponential { mean } => mean * Distribution::<f64>::sample(&Exp1, rng),
            Self::Deterministic { value } => {
                rng.next_u64();
                *value
            }
            Self::Uniform { min, max } => min + (max - min) * unit_closed_open(rng),
            Self::Triangular { min, mode, max } => {
                let (min, mode, max) = (*min, *mode, *max);
                let range = max - min;
                let t = unit_closed_open(rng) * range;
                let x = if t < mode - min {
                    min + (t * (mode - min)).sqrt()
                } else {
                    max - ((range - t) * (max - mode)).sqrt()
                };
                x.max(min).min(max)
            }
            Self::LogNormal { params, .. } => {
                (params.mu + params.sigma * std_normal_quantile(unit_open(rng))).exp()
            }
            Self::Gamma { params, .. } => params.sampler.sample(rng),
            Self::Empirical {
                values,
                cumulative_weights,
            } => values[empirical_index(cumulative_weights, rng).min(values.len() - 1)],
        }
    }

    /// Analytic mean, hours.
    pub fn mean(&self) -> f64 {
        match self {
            Self::Exponential { mean }
            | Self::LogNormal { mean, .. }
            | Self::Gamma { mean, .. } => *mean,
            Self::Deterministic { value } => *value,
            Self::Uniform { min, max } => 0.5 * (min + max),
            Self::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Self::Empirical {
                values,
                cumulative_weights,
            } => empirical_moments(values.iter().copied(), cumulative_weights).0,
        }
    }

    /// Analytic variance, hours².
    pub fn variance(&self) -> f64 {
        match self {
            Self::Exponential { mean } => mean * mean,
            Self::Deterministic { .. } => 0.0,
            Self::Uniform { min, max } => (max - min) * (max - min) / 12.0,
            Self::Triangular { min, mode, max } => {
                let (a, c, b) = (*min, *mode, *max);
                (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0
            }
            Self::LogNormal { mean, cv, .. } | Self::Gamma { mean, cv, .. } => {
                (mean * cv) * (mean * cv)
            }
            Self::Empirical {
                values,
                cumulative_weights,
            } => empirical_moments(values.iter().copied(), cumulative_weights).1,
        }
    }

    /// The kind's name as in scenario files: `"exponential"`, `"deterministic"`, `"uniform"`,
    /// `"triangular"`, `"lognormal"`, `"gamma"` or `"empirical"`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Exponential { .. } => "exponential",
            Self::Deterministic { .. } => "deterministic",
            Self::Uniform { .. } => "uniform",
            Self::Triangular { .. } => "triangular",
            Self::LogNormal { .. } => "lognormal",
            Self::Gamma { .. } => "gamma",
            Self::Empirical { .. } => "empirical",
        }
    }
}

impl Distribution<f64> for DurationDist {
    #[inline]
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        DurationDist::sample(self, rng)
    }
}

impl fmt::Display for DurationDist {
    /// Formats as e.g. `lognormal(mean=2, cv=0.5)` or `empirical(5 values)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.name();
        match self {
            Self::Exponential { mean } => write!(f, "{name}(mean={mean})"),
            Self::Deterministic { value } => write!(f, "{name}(value={value})"),
            Self::Uniform { min, max } => write!(f, "{name}(min={min}, max={max})"),
            Self::Triangular { min, mode, max } => {
                write!(f, "{name}(min={min}, mode={mode}, max={max})")
            }
            Self::LogNormal { mean, cv, .. } | Self::Gamma { mean, cv, .. } => {
                write!(f, "{name}(mean={mean}, cv={cv})")
            }
            Self::Empirical { values, .. } => write!(f, "{name}({} values)", values.len()),
        }
    }
}

/// A distribution of counts (batch sizes). Build with the constructors; see the
/// [module documentation](self) for the draw pattern of each variant.
#[derive(Clone, Debug, PartialEq)]
pub enum CountDist {
    /// Always the same count.
    Constant {
        /// The count.
        value: u64,
    },
    /// Poisson with the given mean (can be 0).
    Poisson {
        /// Mean (> 0).
        mean: f64,
        /// Precomputed sampler.
        params: PoissonParams,
    },
    /// Discrete uniform on `min..=max`.
    UniformInt {
        /// Smallest count.
        min: u64,
        /// Largest count, inclusive (>= `min`).
        max: u64,
    },
    /// One of a finite set of counts, drawn uniformly or by weight.
    Empirical {
        /// The counts, sorted ascending.
        values: Vec<u64>,
        /// Cumulative probabilities aligned with `values`: non-decreasing, the last exactly 1.
        cumulative_weights: Vec<f64>,
    },
}

impl CountDist {
    /// Always `value`. Never fails (returns `Result` for symmetry with the other constructors).
    pub fn constant(value: u64) -> Result<Self, String> {
        Ok(Self::Constant { value })
    }

    /// Poisson with `mean`; needs finite `0 < mean <= 1.844e19` (rand_distr's limit).
    /// Note that 0 is a possible count.
    pub fn poisson(mean: f64) -> Result<Self, String> {
        require_positive("poisson", "mean", mean)?;
        let max = rand_distr::Poisson::<f64>::MAX_LAMBDA;
        if mean > max {
            return Err(format!("poisson needs mean <= {max:e}, got {mean:?}"));
        }
        let sampler =
            rand_distr::Poisson::new(mean).map_err(|e| format!("poisson(mean {mean:?}): {e}"))?;
        Ok(Self::Poisson {
            mean,
            params: PoissonParams { sampler },
        })
    }

    /// Discrete uniform on `min..=max`; needs `min <= max`.
    pub fn uniform_int(min: u64, max: u64) -> Result<Self, String> {
        if min > max {
            return Err(format!(
                "uniform_int needs min <= max, got min {min}, max {max}"
            ));
        }
        Ok(Self::UniformInt { min, max })
    }

    /// One of `values`, equally likely or with probabilities proportional to `weights`.
    /// Needs at least one value and, if given, as many weights as values, each finite and
    /// `>= 0`, with a finite sum `> 0`. Values are stored sorted ascending (stable, weights
    /// carried along).
    pub fn empirical(values: Vec<u64>, weights: Option<Vec<f64>>) -> Result<Self, String> {
        let (values, cumulative_weights) = build_empirical("empirical", values, weights, u64::cmp)?;
        Ok(Self::Empirical {
            values,
            cumulative_weights,
        })
    }

    /// Draws a count. Consumes exactly one `next_u64()` except for `Poisson`; see the
    /// [module documentation](self).
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> u64 {
        match self {
            Self::Constant { value } => {
                rng.next_u64();
                *value
            }
            // Samples are integral floats far below 2⁶⁴ (mean <= MAX_LAMBDA), so `as` is exact.
            Self::Poisson { params, .. } => params.sampler.sample(rng) as u64,
            Self::UniformInt { min, max } => {
                let x = rng.next_u64();
                // n = max − min + 1 wraps to 0 for the full u64 range.
                let n = max.wrapping_sub(*min).wrapping_add(1);
                if n == 0 {
                    x
                } else {
                    min + ((u128::from(x) * u128::from(n)) >> 64) as u64
                }
            }
            Self::Empirical {
                values,
                cumulative_weights,
            } => values[empirical_index(cumulative_weights, rng).min(values.len() - 1)],
        }
    }

    /// Analytic mean.
    pub fn mean(&self) -> f64 {
        match self {
            Self::Constant { value } => *value as f64,
            Self::Poisson { mean, .. } => *mean,
            Self::UniformInt { min, max } => 0.5 * (*min as f64 + *max as f64),
            Self::Empirical {
                values,
                cumulative_weights,
            } => empirical_moments(values.iter().map(|&v| v as f64), cumulative_weights).0,
        }
    }

    /// Analytic variance.
    pub fn variance(&self) -> f64 {
        match self {
            Self::Constant { .. } => 0.0,
            Self::Poisson { mean, .. } => *mean,
            Self::UniformInt { min, max } => {
                let n = (max - min) as f64 + 1.0;
                (n * n - 1.0) / 12.0
            }
            Self::Empirical {
                values,
                cumulative_weights,
            } => empirical_moments(values.iter().map(|&v| v as f64), cumulative_weights).1,
        }
    }

    /// The kind's name as in scenario files: `"constant"`, `"poisson"`, `"uniform_int"` or
    /// `"empirical"`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Constant { .. } => "constant",
            Self::Poisson { .. } => "poisson",
            Self::UniformInt { .. } => "uniform_int",
            Self::Empirical { .. } => "empirical",
        }
    }
}

impl Distribution<u64> for CountDist {
    #[inline]
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> u64 {
        CountDist::sample(self, rng)
    }
}

impl fmt::Display for CountDist {
    /// Formats as e.g. `poisson(mean=2.5)` or `uniform_int(min=1, max=6)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.name();
        match self {
            Self::Constant { value } => write!(f, "{name}(value={value})"),
            Self::Poisson { mean, .. } => write!(f, "{name}(mean={mean})"),
            Self::UniformInt { min, max } => write!(f, "{name}(min={min}, max={max})"),
            Self::Empirical { values, .. } => write!(f, "{name}({} values)", values.len()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;
    use std::convert::Infallible;

    /// Samples per statistical check.
    const N: usize = 400_000;

    fn rng(seed: u64) -> Xoshiro256PlusPlus {
        Xoshiro256PlusPlus::seed_from_u64(seed)
    }

    /// Always returns the same `u64`: drives the inversion samplers at a chosen point.
    struct ConstRng(u64);

    impl rand::TryRng for ConstRng {
        type Error = Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Infallible> {
            Ok((self.0 >> 32) as u32)
        }
        fn try_next_u64(&mut self) -> Result<u64, Infallible> {
            Ok(self.0)
        }
        fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
            dst.fill(0);
            Ok(())
        }
    }

    /// Counts the calls made to a real generator.
    struct CountingRng {
        inner: Xoshiro256PlusPlus,
        u64s: u64,
        others: u64,
    }

    impl rand::TryRng for CountingRng {
        type Error = Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Infallible> {
            self.others += 1;
            Ok(self.inner.next_u32())
        }
        fn try_next_u64(&mut self) -> Result<u64, Infallible> {
            self.u64s += 1;
            Ok(self.inner.next_u64())
        }
        fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
            self.others += 1;
            self.inner.fill_bytes(dst);
            Ok(())
        }
    }

    fn all_durations() -> Vec<DurationDist> {
        vec![
            DurationDist::exponential(2.5).unwrap(),
            DurationDist::deterministic(1.5).unwrap(),
            DurationDist::uniform(1.0, 3.0).unwrap(),
            DurationDist::triangular(0.0, 1.0, 4.0).unwrap(),
            DurationDist::lognormal(2.0, 0.5).unwrap(),
            DurationDist::lognormal(2.0, 2.0).unwrap(),
            DurationDist::gamma(2.0, 0.5).unwrap(),
            DurationDist::gamma(2.0, 1.0).unwrap(),
            DurationDist::gamma(2.0, 2.0).unwrap(),
            DurationDist::empirical(vec![4.0, 1.0, 2.0], None).unwrap(),
            DurationDist::empirical(vec![0.5, 8.0, 3.0, 1.0], Some(vec![1.0, 0.5, 0.0, 2.5]))
                .unwrap(),
        ]
    }

    fn all_counts() -> Vec<CountDist> {
        vec![
            CountDist::constant(7).unwrap(),
            CountDist::poisson(3.5).unwrap(),
            CountDist::poisson(40.0).unwrap(),
            CountDist::uniform_int(1, 6).unwrap(),
            CountDist::empirical(vec![5, 0, 2, 9], Some(vec![1.0, 2.0, 1.0, 0.0])).unwrap(),
        ]
    }

    /// Draws `N` durations, checking each is finite and non-negative.
    fn draw(d: &DurationDist, seed: u64) -> Vec<f64> {
        let mut r = rng(seed);
        (0..N)
            .map(|_| {
                let x = d.sample(&mut r);
                assert!(x.is_finite() && x >= 0.0, "{d}: bad sample {x}");
                x
            })
            .collect()
    }

    fn draw_counts(d: &CountDist, seed: u64) -> Vec<f64> {
        let mut r = rng(seed);
        (0..N).map(|_| d.sample(&mut r) as f64).collect()
    }

    /// Sample mean and unbiased sample variance (two-pass).
    fn mean_var(xs: &[f64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let m = xs.iter().sum::<f64>() / n;
        let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0);
        (m, v)
    }

    /// Asserts the sample mean is within 4 standard errors (`sqrt(var/n)`) of `mean`, and the
    /// sample variance within 4 standard errors (`sqrt((mu4 − var²)/n)`, from the 4th central
    /// moment `mu4`) of `var`.
    fn assert_moments(label: &str, xs: &[f64], mean: f64, var: f64, mu4: f64) {
        let n = xs.len() as f64;
        let (m, v) = mean_var(xs);
        let tol_m = 4.0 * (var / n).sqrt();
        assert!(
            (m - mean).abs() <= tol_m,
            "{label}: sample mean {m} vs analytic {mean} (tolerance {tol_m})"
        );
        let tol_v = 4.0 * ((mu4 - var * var) / n).sqrt();
        assert!(
            (v - var).abs() <= tol_v,
            "{label}: sample variance {v} vs analytic {var} (tolerance {tol_v})"
        );
    }

    /// Asserts the fraction of `xs` satisfying `pred` is within 4 standard errors of `p`.
    fn assert_fraction(label: &str, xs: &[f64], pred: impl Fn(f64) -> bool, p: f64) {
        let n = xs.len() as f64;
        let f = xs.iter().filter(|&&x| pred(x)).count() as f64 / n;
        let tol = 4.0 * (p * (1.0 - p) / n).sqrt();
        assert!(
            (f - p).abs() <= tol,
            "{label}: fraction {f} vs {p} (tolerance {tol})"
        );
    }

    /// Probabilities of the values of an empirical distribution.
    fn probs(cumulative: &[f64]) -> Vec<f64> {
        let mut prev = 0.0;
        cumulative
            .iter()
            .map(|&c| {
                let p = c - prev;
                prev = c;
                p
            })
            .collect()
    }

    /// Fourth central moment of a discrete distribution.
    fn discrete_mu4(values: &[f64], cumulative: &[f64]) -> f64 {
        let ps = probs(cumulative);
        let m: f64 = ps.iter().zip(values).map(|(p, v)| p * v).sum();
        ps.iter()
            .zip(values)
            .map(|(p, v)| p * (v - m).powi(4))
            .sum()
    }

    /// Analytic fourth central moment of a duration distribution.
    fn duration_mu4(d: &DurationDist) -> f64 {
        let var = d.variance();
        match d {
            DurationDist::Exponential { mean } => 9.0 * mean.powi(4),
            DurationDist::Deterministic { .. } => 0.0,
            DurationDist::Uniform { min, max } => (max - min).powi(4) / 80.0,
            // Excess kurtosis of every triangular distribution is −3/5.
            DurationDist::Triangular { .. } => 2.4 * var * var,
            DurationDist::LogNormal { cv, .. } => {
                let w = 1.0 + cv * cv;
                var * var * (w.powi(4) + 2.0 * w.powi(3) + 3.0 * w * w - 3.0)
            }
            DurationDist::Gamma { cv, .. } => var * var * (3.0 + 6.0 * cv * cv),
            DurationDist::Empirical {
                values,
                cumulative_weights,
            } => discrete_mu4(values, cumulative_weights),
        }
    }

    fn assert_close(label: &str, got: f64, want: f64) {
        assert!(
            (got - want).abs() <= 1e-12 * want.abs().max(1.0),
            "{label}: got {got}, want {want}"
        );
    }

    #[test]
    fn normal_quantile_matches_reference_values() {
        // Reference values from mpmath (50 digits): sqrt(2)·erfinv(2p − 1) at the exact f64 p.
        let cases = [
            (0.5, 0.0),
            (0.975, 1.959_963_984_540_053_9),
            (0.9, 1.281_551_565_544_600_6),
            (0.3, -0.524_400_512_708_040_8),
            (0.075, -1.439_531_470_938_456),
            (0.92, 1.405_071_560_309_632_8),
            (1e-3, -3.090_232_306_167_813_5),
            (1e-10, -6.361_340_902_404_056),
            (1e-20, -9.262_340_089_798_408),
            (0.999_999, 4.753_424_308_817_088),
            (TWO_POW_M53, -8.209_536_151_601_387),
            (1.0 - TWO_POW_M53, 8.209_536_151_601_387),
        ];
        for (p, z) in cases {
            let got = std_normal_quantile(p);
            assert!(
                (got - z).abs() <= 1e-14 * z.abs().max(1.0),
                "quantile({p}) = {got}, want {z}"
            );
        }
        // Antisymmetric, and monotone across the branch boundaries (0.075 / 0.925, r = 5).
        // (Exactly, for dyadic p where 1 − p is exact, as for every draw of `unit_open`.)
        for k in [2, 4, 10, 30, 36, 37, 53] {
            let p = 0.5f64.powi(k);
            assert_eq!(
                std_normal_quantile(p),
                -std_normal_quantile(1.0 - p),
                "p = 2^-{k}"
            );
        }
        let mut prev = f64::NEG_INFINITY;
        for p in [
            1e-12, 1.38e-11, 1.39e-11, 0.0749, 0.075, 0.0751, 0.5, 0.9249, 0.925, 0.9251,
        ] {
            let z = std_normal_quantile(p);
            assert!(z > prev, "quantile not increasing at {p}");
            prev = z;
        }
    }

    #[test]
    fn analytic_moments_match_hand_computed_values() {
        let d = DurationDist::triangular(0.0, 1.0, 4.0).unwrap();
        assert_close("triangular mean", d.mean(), 5.0 / 3.0);
        assert_close("triangular var", d.variance(), 13.0 / 18.0);
        let d = DurationDist::exponential(2.0).unwrap();
        assert_close("exponential mean", d.mean(), 2.0);
        assert_close("exponential var", d.variance(), 4.0);
        let d = DurationDist::deterministic(1.5).unwrap();
        assert_close("deterministic mean", d.mean(), 1.5);
        assert_close("deterministic var", d.variance(), 0.0);
        let d = DurationDist::uniform(1.0, 3.0).unwrap();
        assert_close("uniform mean", d.mean(), 2.0);
        assert_close("uniform var", d.variance(), 1.0 / 3.0);

        let d = DurationDist::lognormal(2.0, 0.5).unwrap();
        assert_close("lognormal mean", d.mean(), 2.0);
        assert_close("lognormal var", d.variance(), 1.0);
        let DurationDist::LogNormal { params, .. } = &d else {
            unreachable!()
        };
        assert_close("lognormal sigma", params.sigma(), 1.25f64.ln().sqrt());
        assert_close("lognormal mu", params.mu(), 2f64.ln() - 0.5 * 1.25f64.ln());
        // E[X] = exp(mu + sigma²/2) recovers the mean.
        assert_close(
            "lognormal exp(mu + sigma²/2)",
            (params.mu() + 0.5 * params.sigma().powi(2)).exp(),
            2.0,
        );

        let d = DurationDist::gamma(2.0, 0.5).unwrap();
        assert_close("gamma mean", d.mean(), 2.0);
        assert_close("gamma var", d.variance(), 1.0);
        let DurationDist::Gamma { params, .. } = &d else {
            unreachable!()
        };
        assert_close("gamma shape", params.shape(), 4.0);
        assert_close("gamma scale", params.scale(), 0.5);

        // p = 1/4, 1/4, 1/2 on 1, 2, 4.
        let d = DurationDist::empirical(vec![4.0, 1.0, 2.0], Some(vec![2.0, 1.0, 1.0])).unwrap();
        assert_close("empirical mean", d.mean(), 2.75);
        assert_close("empirical var", d.variance(), 1.6875);

        let c = CountDist::constant(7).unwrap();
        assert_close("constant mean", c.mean(), 7.0);
        assert_close("constant var", c.variance(), 0.0);
        let c = CountDist::poisson(3.5).unwrap();
        assert_close("poisson mean", c.mean(), 3.5);
        assert_close("poisson var", c.variance(), 3.5);
        let c = CountDist::uniform_int(1, 6).unwrap();
        assert_close("uniform_int mean", c.mean(), 3.5);
        assert_close("uniform_int var", c.variance(), 35.0 / 12.0);
        // p = 1/2, 1/4, 1/4 on 0, 2, 5.
        let c = CountDist::empirical(vec![5, 0, 2], Some(vec![1.0, 2.0, 1.0])).unwrap();
        assert_close("count empirical mean", c.mean(), 1.75);
        assert_close("count empirical var", c.variance(), 4.1875);
    }

    #[test]
    fn exponential_sample_moments_and_tail() {
        let d = DurationDist::exponential(2.5).unwrap();
        let xs = draw(&d, 1);
        assert_moments("exponential", &xs, d.mean(), d.variance(), duration_mu4(&d));
        assert_fraction("exponential P(X > mean)", &xs, |x| x > 2.5, (-1f64).exp());
    }

    #[test]
    fn deterministic_always_returns_its_value() {
        let d = DurationDist::deterministic(1.5).unwrap();
        let xs = draw(&d, 2);
        assert!(xs.iter().all(|&x| x == 1.5));
        let zero = DurationDist::deterministic(0.0).unwrap();
        assert_eq!(zero.sample(&mut rng(2)), 0.0);
    }

    #[test]
    fn uniform_sample_moments() {
        let d = DurationDist::uniform(1.0, 3.0).unwrap();
        let xs = draw(&d, 3);
        assert_moments("uniform", &xs, d.mean(), d.variance(), duration_mu4(&d));
        assert!(xs.iter().all(|&x| (1.0..3.0).contains(&x)));
        assert_fraction("uniform P(X < 1.5)", &xs, |x| x < 1.5, 0.25);
        let point = DurationDist::uniform(3.0, 3.0).unwrap();
        assert_eq!(point.sample(&mut rng(3)), 3.0);
    }

    #[test]
    fn triangular_sample_moments() {
        for (seed, (min, mode, max)) in [(0.0, 1.0, 4.0), (2.0, 2.0, 5.0), (1.0, 3.0, 3.0)]
            .into_iter()
            .enumerate()
        {
            let d = DurationDist::triangular(min, mode, max).unwrap();
            let xs = draw(&d, 10 + seed as u64);
            let label = d.to_string();
            assert_moments(&label, &xs, d.mean(), d.variance(), duration_mu4(&d));
            assert!(xs.iter().all(|&x| (min..=max).contains(&x)));
            let p_below_mode = (mode - min) / (max - min);
            if p_below_mode > 0.0 && p_below_mode < 1.0 {
                assert_fraction(&label, &xs, |x| x < mode, p_below_mode);
            }
        }
    }

    #[test]
    fn lognormal_cv_below_one_sample_moments() {
        let d = DurationDist::lognormal(2.0, 0.5).unwrap();
        let xs = draw(&d, 20);
        assert_moments(
            "lognormal cv 0.5",
            &xs,
            d.mean(),
            d.variance(),
            duration_mu4(&d),
        );
        assert_log_moments(&d, &xs);
    }

    /// For cv = 2 the sample variance of X is dominated by rare huge values (its own spread
    /// depends on E[X⁸] = e^(28σ²)·…), so the variance is tested in log space, where ln X is
    /// exactly normal; the mean of X is still tested against its standard error.
    #[test]
    fn lognormal_cv_above_one_sample_moments() {
        let d = DurationDist::lognormal(2.0, 2.0).unwrap();
        let xs = draw(&d, 21);
        let n = xs.len() as f64;
        let (m, _) = mean_var(&xs);
        let tol = 4.0 * (d.variance() / n).sqrt();
        assert!(
            (m - 2.0).abs() <= tol,
            "lognormal cv 2: mean {m} (tolerance {tol})"
        );
        assert_log_moments(&d, &xs);
    }

    /// ln X ~ Normal(mu, sigma²): checks mean and variance of ln X, and the median exp(mu).
    fn assert_log_moments(d: &DurationDist, xs: &[f64]) {
        let DurationDist::LogNormal { params, .. } = d else {
            unreachable!()
        };
        let (mu, sigma) = (params.mu(), params.sigma());
        let logs: Vec<f64> = xs.iter().map(|x| x.ln()).collect();
        let s2 = sigma * sigma;
        assert_moments(&format!("ln of {d}"), &logs, mu, s2, 3.0 * s2 * s2);
        assert_fraction(&format!("{d} median"), xs, |x| x < mu.exp(), 0.5);
    }

    #[test]
    fn gamma_sample_moments() {
        for (seed, cv) in [(30, 0.5), (31, 1.0), (32, 2.0), (33, 0.1)] {
            let d = DurationDist::gamma(2.0, cv).unwrap();
            let xs = draw(&d, seed);
            assert_moments(
                &d.to_string(),
                &xs,
                d.mean(),
                d.variance(),
                duration_mu4(&d),
            );
        }
    }

    #[test]
    fn empirical_durations_sample_moments_and_frequencies() {
        for (seed, d) in [
            (
                40,
                DurationDist::empirical(vec![4.0, 1.0, 2.0], None).unwrap(),
            ),
            (
                41,
                DurationDist::empirical(vec![0.5, 8.0, 3.0, 1.0], Some(vec![1.0, 0.5, 0.0, 2.5]))
                    .unwrap(),
            ),
        ] {
            let xs = draw(&d, seed);
            assert_moments(
                &d.to_string(),
                &xs,
                d.mean(),
                d.variance(),
                duration_mu4(&d),
            );
            let DurationDist::Empirical {
                values,
                cumulative_weights,
            } = &d
            else {
                unreachable!()
            };
            for (&v, p) in values.iter().zip(probs(cumulative_weights)) {
                if p == 0.0 {
                    assert!(!xs.contains(&v), "zero-weight value {v} was drawn");
                } else {
                    assert_fraction(&format!("P(X = {v})"), &xs, |x| x == v, p);
                }
            }
        }
    }

    #[test]
    fn count_sample_moments() {
        let c = CountDist::constant(7).unwrap();
        assert!(draw_counts(&c, 50).iter().all(|&x| x == 7.0));

        for (seed, mean) in [(51, 3.5), (52, 40.0)] {
            let c = CountDist::poisson(mean).unwrap();
            let xs = draw_counts(&c, seed);
            assert_moments(&c.to_string(), &xs, mean, mean, mean * (1.0 + 3.0 * mean));
            assert_fraction(&c.to_string(), &xs, |x| x == 0.0, (-mean).exp());
        }

        let c = CountDist::uniform_int(1, 6).unwrap();
        let xs = draw_counts(&c, 53);
        let n = 6.0f64;
        let mu4 = (n * n - 1.0) * (3.0 * n * n - 7.0) / 240.0;
        assert_moments("uniform_int(1, 6)", &xs, c.mean(), c.variance(), mu4);
        for k in 1..=6 {
            assert_fraction("uniform_int face", &xs, |x| x == k as f64, 1.0 / 6.0);
        }

        let c = CountDist::empirical(vec![5, 0, 2, 9], Some(vec![1.0, 2.0, 1.0, 0.0])).unwrap();
        let xs = draw_counts(&c, 54);
        let CountDist::Empirical {
            values,
            cumulative_weights,
        } = &c
        else {
            unreachable!()
        };
        let fvalues: Vec<f64> = values.iter().map(|&v| v as f64).collect();
        let mu4 = discrete_mu4(&fvalues, cumulative_weights);
        assert_moments("count empirical", &xs, c.mean(), c.variance(), mu4);
        assert!(!xs.contains(&9.0), "zero-weight count 9 was drawn");
    }

    #[test]
    fn constructors_reject_bad_parameters_with_a_message() {
        let nan = f64::NAN;
        let inf = f64::INFINITY;
        let cases: Vec<(Result<DurationDist, String>, &str)> = vec![
            (
                DurationDist::exponential(0.0),
                "exponential needs finite mean > 0, got 0.0",
            ),
            (DurationDist::exponential(-1.0), "got -1.0"),
            (DurationDist::exponential(nan), "got NaN"),
            (DurationDist::exponential(inf), "got inf"),
            (
                DurationDist::deterministic(-0.5),
                "deterministic needs finite value >= 0, got -0.5",
            ),
            (DurationDist::deterministic(nan), "got NaN"),
            (
                DurationDist::uniform(-1.0, 2.0),
                "uniform needs finite min >= 0, got -1.0",
            ),
            (
                DurationDist::uniform(1.0, inf),
                "uniform needs finite max >= 0, got inf",
            ),
            (
                DurationDist::uniform(3.0, 2.0),
                "uniform needs min <= max, got min 3.0, max 2.0",
            ),
            (
                DurationDist::triangular(-1.0, 0.0, 1.0),
                "triangular needs finite min >= 0",
            ),
            (
                DurationDist::triangular(0.0, nan, 1.0),
                "triangular needs finite mode >= 0, got NaN",
            ),
            (
                DurationDist::triangular(0.0, 2.0, 1.0),
                "got min 0.0, mode 2.0, max 1.0",
            ),
            (
                DurationDist::triangular(1.0, 1.0, 1.0),
                "min < max, got min 1.0, mode 1.0, max 1.0",
            ),
            (
                DurationDist::lognormal(1.0, -0.5),
                "lognormal needs finite cv > 0, got -0.5",
            ),
            (
                DurationDist::lognormal(0.0, 0.5),
                "lognormal needs finite mean > 0, got 0.0",
            ),
            (DurationDist::lognormal(1.0, nan), "got NaN"),
            (
                DurationDist::lognormal(1.0, 1e200),
                "lognormal needs cv with a finite cv², got 1e200",
            ),
            (
                DurationDist::gamma(1.0, 0.0),
                "gamma needs finite cv > 0, got 0.0",
            ),
            (
                DurationDist::gamma(-2.0, 1.0),
                "gamma needs finite mean > 0, got -2.0",
            ),
            (DurationDist::gamma(1.0, 1e-200), "got shape inf, scale 0.0"),
            (
                DurationDist::empirical(vec![], None),
                "empirical needs at least one value, got none",
            ),
            (
                DurationDist::empirical(vec![1.0, -1.0], None),
                "empirical values must be finite and >= 0, got -1.0 at index 1",
            ),
            (
                DurationDist::empirical(vec![nan], None),
                "got NaN at index 0",
            ),
            (
                DurationDist::empirical(vec![1.0, 2.0, 3.0], Some(vec![1.0, 1.0])),
                "empirical weights must have the same length as values (3 values, 2 weights)",
            ),
            (
                DurationDist::empirical(vec![1.0, 2.0], Some(vec![1.0, -2.0])),
                "empirical weights must be finite and >= 0, got -2.0 at index 1",
            ),
            (
                DurationDist::empirical(vec![1.0, 2.0], Some(vec![inf, 1.0])),
                "got inf at index 0",
            ),
            (
                DurationDist::empirical(vec![1.0, 2.0], Some(vec![0.0, 0.0])),
                "empirical weights must have a finite sum > 0, got 0.0",
            ),
            (
                DurationDist::empirical(vec![1.0, 2.0], Some(vec![f64::MAX, f64::MAX])),
                "finite sum > 0, got inf",
            ),
        ];
        for (result, expected) in cases {
            match result {
                Ok(d) => panic!("accepted {d:?}, expected error containing {expected:?}"),
                Err(msg) => assert!(msg.contains(expected), "{msg:?} lacks {expected:?}"),
            }
        }

        let cases: Vec<(Result<CountDist, String>, &str)> = vec![
            (
                CountDist::poisson(0.0),
                "poisson needs finite mean > 0, got 0.0",
            ),
            (CountDist::poisson(nan), "got NaN"),
            (CountDist::poisson(inf), "got inf"),
            (
                CountDist::poisson(1e20),
                "poisson needs mean <= 1.844e19, got 1e20",
            ),
            (
                CountDist::uniform_int(5, 3),
                "uniform_int needs min <= max, got min 5, max 3",
            ),
            (
                CountDist::empirical(vec![], None),
                "empirical needs at least one value, got none",
            ),
            (
                CountDist::empirical(vec![1, 2, 3], Some(vec![1.0, 1.0])),
                "empirical weights must have the same length as values (3 values, 2 weights)",
            ),
            (
                CountDist::empirical(vec![1], Some(vec![nan])),
                "empirical weights must be finite and >= 0, got NaN at index 0",
            ),
            (
                CountDist::empirical(vec![1, 2], Some(vec![0.0, 0.0])),
                "finite sum > 0, got 0.0",
            ),
        ];
        for (result, expected) in cases {
            match result {
                Ok(d) => panic!("accepted {d:?}, expected error containing {expected:?}"),
                Err(msg) => assert!(msg.contains(expected), "{msg:?} lacks {expected:?}"),
            }
        }
    }

    #[test]
    fn constructors_accept_boundary_parameters() {
        assert!(DurationDist::deterministic(0.0).is_ok());
        assert!(DurationDist::uniform(0.0, 0.0).is_ok());
        assert!(DurationDist::triangular(0.0, 0.0, 1.0).is_ok());
        assert!(DurationDist::triangular(0.0, 1.0, 1.0).is_ok());
        assert!(DurationDist::empirical(vec![0.0], None).is_ok());
        assert!(DurationDist::empirical(vec![1.0, 2.0], Some(vec![0.0, 1.0])).is_ok());
        assert!(CountDist::constant(0).is_ok());
        assert!(CountDist::uniform_int(4, 4).is_ok());
        assert!(CountDist::uniform_int(0, u64::MAX).is_ok());
        // A tiny cv: sigma underflows to 0 and every sample is the mean.
        let d = DurationDist::lognormal(3.0, 1e-200).unwrap();
        assert_close("tiny-cv lognormal", d.sample(&mut rng(4)), 3.0);
    }

    #[test]
    fn fixed_draw_variants_consume_exactly_one_u64() {
        let fixed_durations = all_durations().into_iter().filter(|d| {
            !matches!(
                d,
                DurationDist::Gamma { .. } | DurationDist::Exponential { .. }
            )
        });
        let mut counting = CountingRng {
            inner: rng(60),
            u64s: 0,
            others: 0,
        };
        for d in fixed_durations {
            for i in 1..=1000 {
                d.sample(&mut counting);
                assert_eq!((counting.u64s, counting.others), (i, 0), "{d}");
            }
            counting.u64s = 0;
        }
        let fixed_counts = all_counts()
            .into_iter()
            .filter(|c| !matches!(c, CountDist::Poisson { .. }));
        for c in fixed_counts {
            for i in 1..=1000 {
                c.sample(&mut counting);
                assert_eq!((counting.u64s, counting.others), (i, 0), "{c}");
            }
            counting.u64s = 0;
        }
    }

    #[test]
    fn inversion_samplers_are_monotone_and_finite_at_the_extremes() {
        // Raw draws from 0 to u64::MAX, increasing.
        let xs: Vec<u64> = (0..=64u32)
            .map(|k| if k == 64 { u64::MAX } else { (1u64 << k) - 1 })
            .chain((0..=1000).map(|i| i * (u64::MAX / 1000)))
            .chain([u64::MAX - 1, u64::MAX])
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        // Exponential uses a ziggurat, which rejects some raw draws: not an inversion.
        for d in all_durations().into_iter().filter(|d| {
            !matches!(
                d,
                DurationDist::Gamma { .. } | DurationDist::Exponential { .. }
            )
        }) {
            let ys: Vec<f64> = xs.iter().map(|&x| d.sample(&mut ConstRng(x))).collect();
            assert!(ys.iter().all(|y| y.is_finite() && *y >= 0.0), "{d}: {ys:?}");
            assert!(ys.windows(2).all(|w| w[0] <= w[1]), "{d} not monotone");
        }
        for c in all_counts()
            .into_iter()
            .filter(|c| !matches!(c, CountDist::Poisson { .. }))
        {
            let ys: Vec<u64> = xs.iter().map(|&x| c.sample(&mut ConstRng(x))).collect();
            assert!(ys.windows(2).all(|w| w[0] <= w[1]), "{c} not monotone");
        }
        // Exact inversion points: the median of the raw draws.
        let half = 1u64 << 63;
        let tri = DurationDist::triangular(1.0, 1.0, 2.0).unwrap();
        assert_close(
            "triangular median",
            tri.sample(&mut ConstRng(half)),
            2.0 - 0.5f64.sqrt(),
        );
        let uni = CountDist::uniform_int(0, u64::MAX).unwrap();
        assert_eq!(uni.sample(&mut ConstRng(12345)), 12345);
        let uni = CountDist::uniform_int(10, 13).unwrap();
        assert_eq!(uni.sample(&mut ConstRng(0)), 10);
        assert_eq!(uni.sample(&mut ConstRng(u64::MAX)), 13);
    }

    #[test]
    fn samples_are_never_negative_and_counts_are_plausible() {
        for (i, d) in all_durations().iter().enumerate() {
            let mut r = rng(70 + i as u64);
            for _ in 0..20_000 {
                let x = d.sample(&mut r);
                assert!(x.is_finite() && x >= 0.0, "{d}: {x}");
            }
        }
        // Gamma with a very small shape underflows to 0 often, but never goes negative.
        let d = DurationDist::gamma(1.0, 10.0).unwrap();
        let mut r = rng(79);
        assert!((0..20_000).all(|_| d.sample(&mut r) >= 0.0));
        let c = CountDist::uniform_int(3, 9).unwrap();
        let mut r = rng(80);
        assert!((0..20_000).all(|_| (3..=9).contains(&c.sample(&mut r))));
    }

    #[test]
    fn sampling_is_reproducible_and_matches_the_distribution_trait() {
        for d in all_durations() {
            let (mut a, mut b) = (rng(90), rng(90));
            for _ in 0..1000 {
                let x = d.sample(&mut a);
                let y: f64 = Distribution::sample(&d, &mut b);
                assert_eq!(x.to_bits(), y.to_bits(), "{d}");
            }
        }
        for c in all_counts() {
            let (mut a, mut b) = (rng(91), rng(91));
            for _ in 0..1000 {
                assert_eq!(c.sample(&mut a), rand::RngExt::sample(&mut b, &c), "{c}");
            }
        }
        // Works through a trait object too.
        let d = DurationDist::exponential(1.0).unwrap();
        let mut r = rng(92);
        let dyn_rng: &mut dyn Rng = &mut r;
        assert!(d.sample(dyn_rng) > 0.0);
    }

    #[test]
    fn empirical_stores_values_sorted_with_normalised_cumulative_weights() {
        let d = DurationDist::empirical(vec![3.0, 1.0, 2.0, 1.0], Some(vec![3.0, 1.0, 0.0, 4.0]))
            .unwrap();
        let DurationDist::Empirical {
            values,
            cumulative_weights,
        } = &d
        else {
            unreachable!()
        };
        assert_eq!(values, &[1.0, 1.0, 2.0, 3.0]);
        assert_eq!(cumulative_weights, &[0.125, 0.625, 0.625, 1.0]);
        let c = CountDist::empirical(vec![9, 4, 6], None).unwrap();
        let CountDist::Empirical {
            values,
            cumulative_weights,
        } = &c
        else {
            unreachable!()
        };
        assert_eq!(values, &[4, 6, 9]);
        assert_eq!(*cumulative_weights.last().unwrap(), 1.0);
        // Weights that do not sum to a power of two still end exactly at 1.
        let d = DurationDist::empirical(vec![1.0; 7], Some(vec![0.1; 7])).unwrap();
        let DurationDist::Empirical {
            cumulative_weights, ..
        } = &d
        else {
            unreachable!()
        };
        assert_eq!(*cumulative_weights.last().unwrap(), 1.0);
    }

    #[test]
    fn names_and_display() {
        let names: Vec<&str> = all_durations().iter().map(DurationDist::name).collect();
        assert_eq!(
            names,
            [
                "exponential",
                "deterministic",
                "uniform",
                "triangular",
                "lognormal",
                "lognormal",
                "gamma",
                "gamma",
                "gamma",
                "empirical",
                "empirical",
            ]
        );
        let names: Vec<&str> = all_counts().iter().map(CountDist::name).collect();
        assert_eq!(
            names,
            ["constant", "poisson", "poisson", "uniform_int", "empirical"]
        );
        assert_eq!(
            DurationDist::lognormal(2.0, 0.5).unwrap().to_string(),
            "lognormal(mean=2, cv=0.5)"
        );
        assert_eq!(
            DurationDist::triangular(0.0, 1.0, 4.0).unwrap().to_string(),
            "triangular(min=0, mode=1, max=4)"
        );
        assert_eq!(
            CountDist::uniform_int(1, 6).unwrap().to_string(),
            "uniform_int(min=1, max=6)"
        );
        assert_eq!(
            CountDist::empirical(vec![1, 2], None).unwrap().to_string(),
            "empirical(2 values)"
        );
    }

    #[test]
    fn equal_parameters_compare_equal() {
        assert_eq!(DurationDist::gamma(2.0, 0.5), DurationDist::gamma(2.0, 0.5));
        assert_ne!(DurationDist::gamma(2.0, 0.5), DurationDist::gamma(2.0, 0.6));
        assert_eq!(
            DurationDist::lognormal(2.0, 0.5),
            DurationDist::lognormal(2.0, 0.5)
        );
        assert_eq!(CountDist::poisson(3.0), CountDist::poisson(3.0));
        let d = DurationDist::empirical(vec![2.0, 1.0], None).unwrap();
        assert_eq!(d.clone(), d);
    }
}
