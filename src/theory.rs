//! Analytic queueing results used to validate the simulator (and to suggest
//! staffing levels).
//!
//! # Assumptions
//!
//! Every result in this module is a *steady-state* result for a single queue
//! with
//!
//! * Poisson arrivals of rate `lambda` (exponential inter-arrival times),
//! * i.i.d. service times, independent of the arrival process,
//! * identical servers, an unlimited waiting room, no balking or abandonment,
//! * first-come-first-served (FCFS) discipline for the waiting-time
//!   *distributions* (means of M/G/1 hold for any work-conserving order that
//!   does not look at service times; tails and quantiles are FCFS only),
//! * stability: utilisation `ρ < 1` (`ρ = λ/(cμ)` for M/M/c, `ρ = λ·E[S]` for
//!   M/G/1).
//!
//! A simulation is only expected to match these numbers in long runs, after the
//! warm-up transient, and for configurations that satisfy the assumptions
//! (e.g. no shift calendars, priorities or batch arrivals).
//!
//! All times are in the unit of the service time (`1/mu`, `service_mean`,
//! `d`); rates are in the reciprocal unit. "Wait" `Wq` is the time from arrival
//! to start of service; "sojourn" `T = Wq + S` also includes the service.
//!
//! # Conventions
//!
//! * Free functions that take raw parameters return `Option<f64>` and give
//!   `None` when the quantity is undefined (`ρ ≥ 1`, non-positive or
//!   non-finite parameters, NaN arguments). The exception is [`erlang_b`],
//!   which is defined for every load `a ≥ 0` and returns NaN otherwise.
//! * [`Mmc`] and [`Mg1`] are validated on construction (`new` returns `None`
//!   unless the system is stable), so their methods return plain `f64`.
//! * Quantile functions accept any `p`: `p ≤ 0` gives the smallest possible
//!   value, `p ≥ 1` gives `f64::INFINITY`, NaN gives NaN (or `None`).
//!
//! # Numerics
//!
//! Erlang C is computed from the Erlang B recursion
//! `B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1))`, which never overflows and
//! has relative error `O(c·ε)` (fine for thousands of servers).
//!
//! The M/D/1 waiting-time CDF uses Erlang's alternating sum for `t < 6d` (where
//! its terms are at most ~10³ so it is accurate to ~10⁻¹⁴ absolute) and, for
//! `t ≥ 6d`, the equivalent exact residue (spectral) expansion over the roots of
//! `ρ(eˢ − 1) = s`, which has no cancellation. The alternating sum alone loses
//! all precision for large `t/d` (at `ρ = 0.9` the error is ~10⁻⁶ at
//! `t = 20d` and ~10⁻¹ at `t = 30d`), so the split is essential for high
//! quantiles at high utilisation.

use std::f64::consts::PI;

// ---------------------------------------------------------------------------
// Erlang B / Erlang C
// ---------------------------------------------------------------------------

/// Erlang B blocking probability for `c` servers and offered load
/// `a = λ/μ` (M/M/c/c loss system):
/// `B(c, a) = (aᶜ/c!) / Σₖ₌₀ᶜ aᵏ/k!`.
///
/// Computed by the stable recursion `B(0) = 1`,
/// `B(k) = a·B(k−1) / (k + a·B(k−1))`. Defined for every `a ≥ 0`
/// (no stability condition); returns `1` for `a = +∞` and NaN for a negative
/// or NaN load.
pub fn erlang_b(c: u32, offered_load: f64) -> f64 {
    let a = offered_load;
    if a.is_nan() || a < 0.0 {
        return f64::NAN;
    }
    if a.is_infinite() {
        return 1.0;
    }
    let mut b = 1.0;
    for k in 1..=c {
        let ab = a * b;
        b = ab / (f64::from(k) + ab);
    }
    b
}

/// Erlang C: probability that an arrival has to wait, `P(Wq > 0)`, in an
/// M/M/c queue with `c` servers and offered load `a = λ/μ`:
/// `C(c, a) = c·B / (c − a·(1 − B))` with `B = B(c, a)` from [`erlang_b`].
///
/// Returns `None` unless `c ≥ 1` and `0 ≤ a < c` (i.e. `ρ = a/c < 1`).
pub fn erlang_c(c: u32, offered_load: f64) -> Option<f64> {
    let a = offered_load;
    let cf = f64::from(c);
    if c == 0 || !(a >= 0.0 && a < cf) {
        return None;
    }
    let b = erlang_b(c, a);
    Some((cf * b / (cf - a * (1.0 - b))).clamp(0.0, 1.0))
}

// ---------------------------------------------------------------------------
// M/M/c
// ---------------------------------------------------------------------------

/// A stable M/M/c queue: Poisson arrivals of rate `lambda`, `c` servers with
/// exponential service of rate `mu` each, FCFS, `λ < cμ`.
///
/// M/M/1 is the case `c = 1` (see [`Mmc::mm1`]). Throughout, `a = λ/μ`,
/// `C` is [`erlang_c`]`(c, a)` and `θ = cμ − λ` is the decay rate of the
/// conditional waiting time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mmc {
    lambda: f64,
    mu: f64,
    c: u32,
    /// Erlang C probability of waiting.
    prob_wait: f64,
    /// `cμ − λ`.
    theta: f64,
}

impl Mmc {
    /// Builds an M/M/c model; `None` unless `λ ≥ 0`, `μ > 0` (both finite),
    /// `c ≥ 1` and `λ < cμ` (`ρ < 1`).
    pub fn new(lambda: f64, mu: f64, c: u32) -> Option<Self> {
        if !(lambda.is_finite() && lambda >= 0.0 && mu.is_finite() && mu > 0.0) {
            return None;
        }
        let prob_wait = erlang_c(c, lambda / mu)?;
        let theta = f64::from(c) * mu - lambda;
        if theta <= 0.0 {
            return None;
        }
        Some(Self {
            lambda,
            mu,
            c,
            prob_wait,
            theta,
        })
    }

    /// M/M/1 queue (`c = 1`); `None` unless `0 ≤ λ < μ`.
    pub fn mm1(lambda: f64, mu: f64) -> Option<Self> {
        Self::new(lambda, mu, 1)
    }

    /// Arrival rate `λ`.
    pub fn lambda(&self) -> f64 {
        self.lambda
    }

    /// Service rate `μ` of one server.
    pub fn mu(&self) -> f64 {
        self.mu
    }

    /// Number of servers `c`.
    pub fn servers(&self) -> u32 {
        self.c
    }

    /// Offered load `a = λ/μ` (mean number of busy servers, in Erlangs).
    pub fn offered_load(&self) -> f64 {
        self.lambda / self.mu
    }

    /// Server utilisation `ρ = λ/(cμ)`.
    pub fn utilization(&self) -> f64 {
        self.lambda / (f64::from(self.c) * self.mu)
    }

    /// Probability an arrival waits, `P(Wq > 0) = C(c, a)` (Erlang C).
    pub fn prob_wait(&self) -> f64 {
        self.prob_wait
    }

    /// Mean waiting time in queue, `Wq = C / (cμ − λ)`.
    pub fn mean_wait(&self) -> f64 {
        self.prob_wait / self.theta
    }

    /// Mean sojourn (response) time, `W = Wq + 1/μ`.
    pub fn mean_sojourn(&self) -> f64 {
        self.mean_wait() + 1.0 / self.mu
    }

    /// Mean number waiting in queue, `Lq = λ·Wq` (Little's law).
    pub fn mean_queue_length(&self) -> f64 {
        self.lambda * self.mean_wait()
    }

    /// Mean number in system, `L = λ·W = Lq + λ/μ`.
    pub fn mean_in_system(&self) -> f64 {
        self.lambda * self.mean_sojourn()
    }

    /// Waiting-time tail `P(Wq > t) = C·e^{−(cμ−λ)t}` for `t ≥ 0`
    /// (`1` for `t < 0`).
    pub fn wait_tail(&self, t: f64) -> f64 {
        if t < 0.0 {
            1.0
        } else {
            self.prob_wait * (-self.theta * t).exp()
        }
    }

    /// Sojourn-time tail `P(T > t)` for `t ≥ 0` (`1` for `t < 0`), with
    /// `θ = cμ − λ`:
    ///
    /// * `θ ≠ μ`: `e^{−μt} + C·μ/(θ − μ)·(e^{−μt} − e^{−θt})`,
    /// * `θ = μ`: `e^{−μt}·(1 + C·μ·t)` (the limit).
    ///
    /// Evaluated as `e^{−μt} + C·μ·e^{−min(μ,θ)t}·(1 − e^{−|θ−μ|t})/|θ−μ|`
    /// with `expm1`, which is continuous through `θ = μ` and cannot overflow.
    pub fn sojourn_tail(&self, t: f64) -> f64 {
        if t.is_nan() {
            return f64::NAN;
        }
        if t <= 0.0 {
            return 1.0;
        }
        if t.is_infinite() {
            return 0.0;
        }
        let mu = self.mu;
        let theta = self.theta;
        let delta = (theta - mu).abs();
        // (1 − e^{−δt})/δ, with its limit t at δ = 0.
        let h = if delta > 0.0 {
            -(-delta * t).exp_m1() / delta
        } else {
            t
        };
        let tail = (-mu * t).exp() + self.prob_wait * mu * (-mu.min(theta) * t).exp() * h;
        tail.clamp(0.0, 1.0)
    }

    /// Waiting-time quantile: the smallest `t` with `P(Wq ≤ t) ≥ p`, i.e.
    /// `0` if `p ≤ 1 − C`, else `ln(C/(1 − p)) / (cμ − λ)`.
    pub fn wait_quantile(&self, p: f64) -> f64 {
        if p.is_nan() {
            return f64::NAN;
        }
        if p >= 1.0 {
            return f64::INFINITY;
        }
        let c = self.prob_wait;
        if p <= 1.0 - c {
            return 0.0;
        }
        ((c / (1.0 - p)).ln() / self.theta).max(0.0)
    }

    /// Sojourn-time quantile: the `t` with `P(T > t) = 1 − p`, found by
    /// bisection on the monotone [`Mmc::sojourn_tail`] to relative precision
    /// `1e-12`. `0` for `p ≤ 0`, `+∞` for `p ≥ 1`.
    pub fn sojourn_quantile(&self, p: f64) -> f64 {
        if p.is_nan() {
            return f64::NAN;
        }
        if p <= 0.0 {
            return 0.0;
        }
        if p >= 1.0 {
            return f64::INFINITY;
        }
        bisect_tail(|t| self.sojourn_tail(t), 1.0 - p, self.mean_sojourn())
    }
}

/// Finds `t ≥ 0` with `tail(t) = q` for a continuous non-increasing `tail`
/// with `tail(0) > q > 0`, to relative precision `1e-12`. `guess > 0` is a
/// starting upper bracket.
fn bisect_tail(mut tail: impl FnMut(f64) -> f64, q: f64, guess: f64) -> f64 {
    let mut lo = 0.0_f64;
    let mut hi = if guess.is_finite() && guess > 0.0 {
        guess
    } else {
        1.0
    };
    while tail(hi) > q {
        lo = hi;
        hi *= 2.0;
        if !hi.is_finite() {
            return f64::INFINITY;
        }
    }
    for _ in 0..400 {
        if hi - lo <= 1e-12 * hi {
            break;
        }
        let mid = 0.5 * (lo + hi);
        if tail(mid) > q {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

// ---------------------------------------------------------------------------
// M/G/1 (Pollaczek–Khinchine)
// ---------------------------------------------------------------------------

/// A stable M/G/1 queue described by the first two moments of service:
/// Poisson arrivals of rate `lambda`, one server, service time `S` with mean
/// `E[S] = service_mean` and squared coefficient of variation
/// `scv = Var(S)/E[S]²`; `ρ = λ·E[S] < 1`.
///
/// `scv = 0` is M/D/1 (see [`Mg1::md1`]), `scv = 1` has the M/M/1 means.
/// Only means are available from two moments; for the M/D/1 distribution see
/// [`md1_wait_cdf`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mg1 {
    lambda: f64,
    service_mean: f64,
    service_scv: f64,
}

impl Mg1 {
    /// Builds an M/G/1 model; `None` unless `λ ≥ 0`, `E[S] > 0`, `scv ≥ 0`
    /// (all finite) and `ρ = λ·E[S] < 1`.
    pub fn new(lambda: f64, service_mean: f64, service_scv: f64) -> Option<Self> {
        let ok = lambda.is_finite()
            && lambda >= 0.0
            && service_mean.is_finite()
            && service_mean > 0.0
            && service_scv.is_finite()
            && service_scv >= 0.0
            && lambda * service_mean < 1.0;
        ok.then_some(Self {
            lambda,
            service_mean,
            service_scv,
        })
    }

    /// M/D/1 queue: deterministic service time `d` (`scv = 0`).
    pub fn md1(lambda: f64, d: f64) -> Option<Self> {
        Self::new(lambda, d, 0.0)
    }

    /// Arrival rate `λ`.
    pub fn lambda(&self) -> f64 {
        self.lambda
    }

    /// Mean service time `E[S]`.
    pub fn service_mean(&self) -> f64 {
        self.service_mean
    }

    /// Squared coefficient of variation of service, `Var(S)/E[S]²`.
    pub fn service_scv(&self) -> f64 {
        self.service_scv
    }

    /// Utilisation `ρ = λ·E[S]`.
    pub fn utilization(&self) -> f64 {
        self.lambda * self.service_mean
    }

    /// Probability an arrival waits, `P(Wq > 0) = ρ` (PASTA).
    pub fn prob_wait(&self) -> f64 {
        self.utilization()
    }

    /// Mean waiting time (Pollaczek–Khinchine),
    /// `Wq = ρ·E[S]·(1 + scv) / (2(1 − ρ)) = λ·E[S²] / (2(1 − ρ))`.
    pub fn mean_wait(&self) -> f64 {
        let rho = self.utilization();
        rho * self.service_mean * (1.0 + self.service_scv) / (2.0 * (1.0 - rho))
    }

    /// Mean sojourn time, `W = Wq + E[S]`.
    pub fn mean_sojourn(&self) -> f64 {
        self.mean_wait() + self.service_mean
    }

    /// Mean number waiting in queue, `Lq = λ·Wq`.
    pub fn mean_queue_length(&self) -> f64 {
        self.lambda * self.mean_wait()
    }

    /// Mean number in system, `L = λ·W = Lq + ρ`.
    pub fn mean_in_system(&self) -> f64 {
        self.lambda * self.mean_sojourn()
    }
}

// ---------------------------------------------------------------------------
// M/D/1 waiting-time distribution
// ---------------------------------------------------------------------------

/// Below this many service times (`t/d`) the M/D/1 CDF uses Erlang's finite
/// alternating sum; at and above it, the residue expansion.
const MD1_SUM_LIMIT: f64 = 6.0;
/// Hard cap on the number of complex root pairs in the residue expansion.
const MD1_MAX_ROOTS: usize = 4096;

/// Validates M/D/1 parameters and returns `ρ = λd`.
fn md1_rho(lambda: f64, d: f64) -> Option<f64> {
    let ok = lambda.is_finite() && lambda >= 0.0 && d.is_finite() && d > 0.0;
    let rho = lambda * d;
    (ok && rho < 1.0).then_some(rho)
}

/// M/D/1 (deterministic service time `d`, FCFS) waiting-time CDF,
/// `P(Wq ≤ t)`, by Erlang's (Crommelin's) formula with `ρ = λd`:
///
/// `P(Wq ≤ t) = (1 − ρ) Σ_{k=0}^{⌊t/d⌋} [λ(kd − t)]ᵏ / k! · e^{−λ(kd − t)}`.
///
/// The alternating sum is evaluated directly only for `t < 6d`; beyond that
/// the mathematically identical residue expansion
/// `P(Wq > t) = Σ_w (1 − ρ)/(w − (1 − ρ)) · e^{−w·t/d}` over the roots `w ≠ 0`
/// of `ρ(e^w − 1) = w` (one real root, the rest in conjugate pairs) is used,
/// which is free of cancellation. The absolute error is below ~1e-13 for any
/// `ρ < 1` and any `t` (use [`md1_wait_tail`] for small tail probabilities).
/// `P(Wq ≤ 0) = 1 − ρ` (the atom at zero).
///
/// Returns `Some(0)` for `t < 0` and `None` for invalid parameters
/// (`λ < 0`, `d ≤ 0`, non-finite, `ρ ≥ 1`) or NaN `t`.
pub fn md1_wait_cdf(lambda: f64, d: f64, t: f64) -> Option<f64> {
    let rho = md1_rho(lambda, d)?;
    if t.is_nan() {
        return None;
    }
    Some(Md1Wait::new(rho).cdf(t / d))
}

/// M/D/1 waiting-time tail `P(Wq > t) = 1 − P(Wq ≤ t)` (see
/// [`md1_wait_cdf`] for the formula). For `t ≥ 6d` it is computed directly
/// from the residue expansion, so small probabilities keep a relative accuracy
/// of ~1e-12 instead of being swamped by the absolute error of `1 − CDF`.
///
/// Returns `Some(1)` for `t < 0` and `None` for invalid parameters or NaN `t`.
pub fn md1_wait_tail(lambda: f64, d: f64, t: f64) -> Option<f64> {
    let rho = md1_rho(lambda, d)?;
    if t.is_nan() {
        return None;
    }
    Some(Md1Wait::new(rho).tail(t / d))
}

/// M/D/1 waiting-time quantile: the smallest `t` with `P(Wq ≤ t) ≥ p`.
///
/// `0` if `p ≤ 1 − ρ` (the atom at zero); otherwise found by bisection on
/// [`md1_wait_cdf`] (via its tail, for accuracy as `p → 1`) to relative
/// precision `1e-12`; `+∞` for `p ≥ 1`. `None` for invalid parameters or NaN
/// `p`.
pub fn md1_wait_quantile(lambda: f64, d: f64, p: f64) -> Option<f64> {
    let rho = md1_rho(lambda, d)?;
    if p.is_nan() {
        return None;
    }
    if p >= 1.0 {
        return Some(f64::INFINITY);
    }
    if p <= 1.0 - rho {
        return Some(0.0);
    }
    let mut dist = Md1Wait::new(rho);
    // Work in units of d; guess the P-K mean as the first bracket.
    let guess = rho / (2.0 * (1.0 - rho));
    let q = 1.0 - p;
    let u = bisect_tail(|u| dist.tail(u), q, guess.max(1.0));
    Some(u * d)
}

/// M/D/1 sojourn-time quantile: `d + ` [`md1_wait_quantile`]`(λ, d, p)`
/// (the sojourn time is the wait plus the fixed service time `d`).
/// `d` for `p ≤ 1 − ρ`, `+∞` for `p ≥ 1`.
pub fn md1_sojourn_quantile(lambda: f64, d: f64, p: f64) -> Option<f64> {
    md1_wait_quantile(lambda, d, p).map(|w| w + d)
}

/// Minimal complex number for the M/D/1 residue expansion.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Cx {
    re: f64,
    im: f64,
}

impl Cx {
    fn new(re: f64, im: f64) -> Self {
        Self { re, im }
    }

    fn abs(self) -> f64 {
        self.re.hypot(self.im)
    }

    fn ln(self) -> Self {
        Self::new(self.abs().ln(), self.im.atan2(self.re))
    }

    fn div(self, o: Self) -> Self {
        // Smith's algorithm, robust against overflow.
        if o.re.abs() >= o.im.abs() {
            let r = o.im / o.re;
            let den = o.re + o.im * r;
            Self::new((self.re + self.im * r) / den, (self.im - self.re * r) / den)
        } else {
            let r = o.re / o.im;
            let den = o.re * r + o.im;
            Self::new((self.re * r + self.im) / den, (self.im * r - self.re) / den)
        }
    }
}

/// The M/D/1 waiting time in units of `d`, for fixed `ρ`, with a cache of
/// the roots of `ρ(e^w − 1) = w` used by the residue expansion.
struct Md1Wait {
    rho: f64,
    /// Real root `γ > 0`: asymptotic decay rate of the tail (per `d`).
    gamma: f64,
    /// Residue weight of the real root, `(1 − ρ)/(γ − (1 − ρ))`.
    a0: f64,
    /// Complex roots `w_k` (upper half plane, `k = 1, 2, …`) and weights
    /// `A_k = (1 − ρ)/(w_k − (1 − ρ))`.
    roots: Vec<(Cx, Cx)>,
}

impl Md1Wait {
    fn new(rho: f64) -> Self {
        let (gamma, a0) = if rho > 0.0 {
            let g = md1_real_root(rho);
            (g, (1.0 - rho) / (g - (1.0 - rho)))
        } else {
            (f64::INFINITY, 0.0)
        };
        Self {
            rho,
            gamma,
            a0,
            roots: Vec::new(),
        }
    }

    /// `P(W ≤ u·d)`.
    fn cdf(&mut self, u: f64) -> f64 {
        if u < 0.0 {
            0.0
        } else if u < MD1_SUM_LIMIT {
            md1_cdf_sum(self.rho, u)
        } else {
            (1.0 - self.tail_spectral(u)).clamp(0.0, 1.0)
        }
    }

    /// `P(W > u·d)`.
    fn tail(&mut self, u: f64) -> f64 {
        if u < 0.0 {
            1.0
        } else if u < MD1_SUM_LIMIT {
            1.0 - md1_cdf_sum(self.rho, u)
        } else {
            self.tail_spectral(u)
        }
    }

    /// Root `k ≥ 1` in the upper half plane and its weight, cached.
    fn root(&mut self, k: usize) -> (Cx, Cx) {
        while self.roots.len() < k {
            let j = self.roots.len() + 1;
            let w = md1_complex_root(self.rho, j);
            let one_minus_rho = 1.0 - self.rho;
            let a = Cx::new(one_minus_rho, 0.0).div(Cx::new(w.re - one_minus_rho, w.im));
            self.roots.push((w, a));
        }
        self.roots[k - 1]
    }

    /// Residue expansion of `P(W > u·d)`; accurate for `u ≳ 2`, used for
    /// `u ≥ MD1_SUM_LIMIT` where it converges quickly.
    fn tail_spectral(&mut self, u: f64) -> f64 {
        // For ρ this small the tail beyond 6d is far below 1e-300 (it is of
        // order ρ⁶), and w/ρ could overflow in the root iteration.
        if self.rho < 1e-200 || u.is_infinite() {
            return 0.0;
        }
        let mut tail = self.a0 * (-self.gamma * u).exp();
        for k in 1..=MD1_MAX_ROOTS {
            let (w, a) = self.root(k);
            let decay = (-w.re * u).exp();
            let mag = 2.0 * a.abs() * decay;
            // 2·Re(A·e^{−i·Im(w)·u})·e^{−Re(w)·u}
            let (s, c) = (w.im * u).sin_cos();
            tail += 2.0 * (a.re * c + a.im * s) * decay;
            // Terms decrease like k^{−(u+1)}, so the remainder is a small
            // multiple of the last term.
            if mag <= 1e-17 * tail.abs() {
                break;
            }
        }
        tail.clamp(0.0, 1.0)
    }
}

/// Erlang's alternating sum for `P(W ≤ u·d)`, `0 ≤ u < MD1_SUM_LIMIT`; terms
/// are bounded by `e^{2ρu} < e^{12}`, so cancellation costs at most ~3 digits.
fn md1_cdf_sum(rho: f64, u: f64) -> f64 {
    let n = u.floor() as u32;
    let mut sum = 0.0;
    for k in 0..=n {
        // x = λ(t − kd) ≥ 0; term = (−x)ᵏ/k! · eˣ.
        let x = rho * (u - f64::from(k));
        let mut term = x.exp();
        for j in 1..=k {
            term *= x / f64::from(j);
        }
        if k % 2 == 0 {
            sum += term;
        } else {
            sum -= term;
        }
    }
    ((1.0 - rho) * sum).clamp(0.0, 1.0)
}

/// The positive real root `γ` of `ρ(e^γ − 1) = γ` for `0 < ρ < 1`, solved in
/// the cancellation-free form `(e^γ − 1 − γ)/γ = (1 − ρ)/ρ`.
fn md1_real_root(rho: f64) -> f64 {
    // h(s) = (e^s − 1 − s)/s = Σ_{n≥1} sⁿ/(n+1)!, increasing from 0 to ∞.
    fn h(s: f64) -> f64 {
        if s < 1.0 {
            let mut term = 1.0;
            let mut sum = 0.0;
            for n in 1..30 {
                term *= s / f64::from(n + 1);
                sum += term;
            }
            sum
        } else {
            (s.exp_m1() - s) / s
        }
    }
    let target = (1.0 - rho) / rho;
    let mut lo = 0.0_f64;
    let mut hi = 1.0_f64;
    while h(hi) < target {
        lo = hi;
        hi *= 2.0;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if h(mid) < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// The `k`-th (`k ≥ 1`) complex root of `ρ(e^w − 1) = w` in the upper half
/// plane, by the fixed-point iteration `w ← Log(1 + w/ρ) + 2πik`, which
/// contracts with factor `1/|ρ + w| ≤ 1/(2πk)`.
fn md1_complex_root(rho: f64, k: usize) -> Cx {
    let two_pi_k = 2.0 * PI * k as f64;
    let mut w = Cx::new((1.0 + two_pi_k / rho).ln(), two_pi_k);
    for _ in 0..200 {
        let l = Cx::new(1.0 + w.re / rho, w.im / rho).ln();
        let next = Cx::new(l.re, l.im + two_pi_k);
        let step = Cx::new(next.re - w.re, next.im - w.im).abs();
        w = next;
        if step <= 1e-16 * w.abs() {
            break;
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_close(actual: f64, expected: f64, rel: f64) {
        let err = (actual - expected).abs();
        assert!(
            err <= rel * expected.abs().max(f64::MIN_POSITIVE),
            "actual {actual:e}, expected {expected:e}, rel err {:e} > {rel:e}",
            err / expected.abs()
        );
    }

    /// Composite Simpson rule on `[a, b]` with `n` (even) panels.
    fn simpson(mut f: impl FnMut(f64) -> f64, a: f64, b: f64, n: usize) -> f64 {
        let h = (b - a) / n as f64;
        let mut s = f(a) + f(b);
        for i in 1..n {
            let w = if i % 2 == 1 { 4.0 } else { 2.0 };
            s += w * f(a + i as f64 * h);
        }
        s * h / 3.0
    }

    // --- Erlang B / C -----------------------------------------------------

    #[test]
    fn erlang_b_hand_values() {
        assert_close(erlang_b(2, 1.0), 0.2, 1e-15); // (1/2)/(1 + 1 + 1/2)
        assert_close(erlang_b(1, 3.0), 0.75, 1e-15); // a/(1+a)
        assert_eq!(erlang_b(0, 5.0), 1.0);
        assert_eq!(erlang_b(3, 0.0), 0.0);
        assert_eq!(erlang_b(3, f64::INFINITY), 1.0);
        assert!(erlang_b(3, -1.0).is_nan());
        assert!(erlang_b(3, f64::NAN).is_nan());
        // Exact rational arithmetic reference: B(500, 480).
        assert_close(erlang_b(500, 480.0), 0.014325780722426129, 1e-12);
        let b = erlang_b(100_000, 99_000.0);
        assert!(b.is_finite() && b > 0.0 && b < 1.0);
    }

    #[test]
    fn erlang_c_two_servers_unit_load_is_one_third() {
        assert_close(erlang_c(2, 1.0).unwrap(), 1.0 / 3.0, 1e-15);
    }

    #[test]
    fn erlang_c_single_server_equals_rho() {
        for rho in [0.0, 0.1, 0.5, 0.9, 0.999] {
            assert_close(erlang_c(1, rho).unwrap(), rho, 1e-15);
        }
    }

    #[test]
    fn erlang_c_table_values() {
        // References from exact rational arithmetic of
        // C = (aᶜ/c!·c/(c−a)) / (Σ_{k<c} aᵏ/k! + aᶜ/c!·c/(c−a)).
        assert_close(erlang_c(5, 4.0).unwrap(), 128.0 / 231.0, 1e-14); // 0.55411…
        assert_close(erlang_c(3, 2.0).unwrap(), 4.0 / 9.0, 1e-14);
        assert_close(erlang_c(10, 8.0).unwrap(), 0.40918015079644354, 1e-13);
        assert_close(erlang_c(20, 18.0).unwrap(), 0.5507690048161176, 1e-13);
        assert_close(erlang_c(100, 95.0).unwrap(), 0.5064568539130206, 1e-13);
    }

    #[test]
    fn erlang_c_large_c_is_finite() {
        let c = erlang_c(500, 480.0).unwrap();
        assert!(c.is_finite() && c > 0.0 && c < 1.0);
        assert_close(c, 0.26651251996236414, 1e-12);
        let near_saturation = erlang_c(500, 499.999).unwrap();
        assert!(near_saturation > 0.99 && near_saturation <= 1.0);
        let light = erlang_c(500, 1.0).unwrap();
        assert!((0.0..1e-300).contains(&light));
        let huge = erlang_c(50_000, 49_500.0).unwrap();
        assert!(huge.is_finite() && huge > 0.0 && huge < 1.0);
    }

    #[test]
    fn erlang_c_undefined_when_unstable_or_invalid() {
        assert_eq!(erlang_c(2, 2.0), None);
        assert_eq!(erlang_c(2, 3.0), None);
        assert_eq!(erlang_c(0, 0.5), None);
        assert_eq!(erlang_c(2, -0.1), None);
        assert_eq!(erlang_c(2, f64::NAN), None);
        assert_eq!(erlang_c(2, 0.0), Some(0.0));
    }

    // --- M/M/c --------------------------------------------------------------

    #[test]
    fn mmc_rejects_invalid_parameters() {
        assert!(Mmc::new(2.0, 1.0, 2).is_none());
        assert!(Mmc::new(3.0, 1.0, 2).is_none());
        assert!(Mmc::new(1.0, 0.0, 2).is_none());
        assert!(Mmc::new(1.0, 1.0, 0).is_none());
        assert!(Mmc::new(-1.0, 1.0, 2).is_none());
        assert!(Mmc::new(f64::NAN, 1.0, 2).is_none());
        assert!(Mmc::new(1.0, f64::INFINITY, 2).is_none());
        assert!(Mmc::new(0.0, 1.0, 2).is_some());
    }

    #[test]
    fn mmc_means_hand_checked() {
        // c = 2, λ = 1, μ = 1: C = 1/3, Wq = (1/3)/(2 − 1) = 1/3.
        let q = Mmc::new(1.0, 1.0, 2).unwrap();
        assert_eq!(q.servers(), 2);
        assert_close(q.offered_load(), 1.0, 1e-15);
        assert_close(q.utilization(), 0.5, 1e-15);
        assert_close(q.prob_wait(), 1.0 / 3.0, 1e-15);
        assert_close(q.mean_wait(), 1.0 / 3.0, 1e-15);
        assert_close(q.mean_sojourn(), 4.0 / 3.0, 1e-15);
        assert_close(q.mean_queue_length(), 1.0 / 3.0, 1e-15);
        assert_close(q.mean_in_system(), 4.0 / 3.0, 1e-15);
        // Little's law / L = Lq + a on a less symmetric case.
        let q = Mmc::new(7.3, 0.9, 9).unwrap();
        assert_close(
            q.mean_in_system(),
            q.mean_queue_length() + q.offered_load(),
            1e-13,
        );
        assert_close(q.wait_tail(0.0), q.prob_wait(), 1e-15);
    }

    #[test]
    fn mm1_closed_forms() {
        let (lambda, mu) = (0.8, 1.0);
        let q = Mmc::mm1(lambda, mu).unwrap();
        let rho: f64 = 0.8;
        assert_close(q.prob_wait(), rho, 1e-15);
        assert_close(q.mean_wait(), rho / (mu - lambda), 1e-13);
        assert_close(q.mean_sojourn(), 1.0 / (mu - lambda), 1e-13);
        assert_close(q.mean_queue_length(), rho * rho / (1.0 - rho), 1e-13);
        assert_close(q.mean_in_system(), rho / (1.0 - rho), 1e-13);
    }

    #[test]
    fn mm1_sojourn_is_exponential() {
        let (lambda, mu) = (0.8, 1.0);
        let q = Mmc::mm1(lambda, mu).unwrap();
        for t in [0.0, 0.1, 1.0, 5.0, 20.0, 100.0] {
            assert_close(q.sojourn_tail(t), (-(mu - lambda) * t).exp(), 1e-12);
        }
        assert_close(q.sojourn_quantile(0.9), 10f64.ln() / (mu - lambda), 1e-11);
        assert_close(q.sojourn_quantile(0.5), 2f64.ln() / (mu - lambda), 1e-11);
        assert_close(
            q.sojourn_quantile(0.999),
            1000f64.ln() / (mu - lambda),
            1e-11,
        );
    }

    #[test]
    fn sojourn_tail_boundaries() {
        for q in [
            Mmc::new(1.0, 1.0, 2).unwrap(),
            Mmc::new(1.5, 1.0, 2).unwrap(),
            Mmc::new(0.0, 2.0, 3).unwrap(),
        ] {
            assert_eq!(q.sojourn_tail(0.0), 1.0);
            assert_eq!(q.sojourn_tail(-1.0), 1.0);
            assert_eq!(q.wait_tail(-1.0), 1.0);
            assert_eq!(q.sojourn_tail(f64::INFINITY), 0.0);
            assert_eq!(q.sojourn_quantile(0.0), 0.0);
            assert_eq!(q.sojourn_quantile(1.0), f64::INFINITY);
            assert!(q.sojourn_quantile(f64::NAN).is_nan());
            // Monotone non-increasing.
            let mut prev = 1.0;
            for i in 1..400 {
                let s = q.sojourn_tail(i as f64 * 0.05);
                assert!(s <= prev && s >= 0.0);
                prev = s;
            }
        }
    }

    #[test]
    fn sojourn_tail_equal_rates_case_is_the_limit() {
        // c = 2, μ = 1, λ = 1 → cμ − λ = μ.
        let q = Mmc::new(1.0, 1.0, 2).unwrap();
        let c = q.prob_wait();
        for t in [0.3, 1.0, 4.0, 12.0] {
            assert_close(q.sojourn_tail(t), (-t).exp() * (1.0 + c * t), 1e-14);
            // Continuity from both sides of θ = μ.
            for lambda in [1.0 - 1e-7, 1.0 + 1e-7] {
                let near = Mmc::new(lambda, 1.0, 2).unwrap();
                assert_close(near.sojourn_tail(t), q.sojourn_tail(t), 1e-6);
            }
        }
    }

    #[test]
    fn sojourn_tail_matches_generic_formula_off_the_limit() {
        // θ = cμ − λ ≠ μ: compare with the textbook expression directly.
        for (lambda, mu, c) in [(1.5, 1.0, 2), (1.0, 1.0, 3), (18.0, 1.0, 20)] {
            let q = Mmc::new(lambda, mu, c).unwrap();
            let theta = f64::from(c) * mu - lambda;
            let cw = q.prob_wait();
            for t in [0.2, 1.0, 3.0, 7.0] {
                let textbook = (-mu * t).exp()
                    + cw * mu / (theta - mu) * ((-mu * t).exp() - (-theta * t).exp());
                assert_close(q.sojourn_tail(t), textbook, 1e-12);
            }
        }
    }

    #[test]
    fn sojourn_tail_integrates_to_mean_sojourn() {
        // Independent check of the tail formula: E[T] = ∫₀^∞ P(T > t) dt.
        for (lambda, mu, c) in [(1.0, 1.0, 2), (1.5, 1.0, 2), (1.0, 1.0, 3), (4.0, 1.0, 5)] {
            let q = Mmc::new(lambda, mu, c).unwrap();
            let upper = 80.0;
            let integral = simpson(|t| q.sojourn_tail(t), 0.0, upper, 20_000);
            assert_close(integral, q.mean_sojourn(), 1e-9);
            let wait_integral = simpson(|t| q.wait_tail(t), 0.0, upper, 20_000);
            assert_close(wait_integral, q.mean_wait(), 1e-9);
        }
    }

    #[test]
    fn sojourn_quantile_inverts_tail() {
        for (lambda, mu, c) in [
            (1.0, 1.0, 2),
            (1.5, 1.0, 2),
            (1.0, 1.0, 3),
            (4.0, 0.5, 9),
            (480.0, 1.0, 500),
            (0.0, 1.0, 1),
        ] {
            let q = Mmc::new(lambda, mu, c).unwrap();
            for p in [1e-6, 0.1, 0.5, 0.9, 0.99, 0.999_999] {
                let t = q.sojourn_quantile(p);
                assert!(t > 0.0 && t.is_finite());
                assert_close(q.sojourn_tail(t), 1.0 - p, 1e-9);
            }
        }
    }

    #[test]
    fn wait_quantile_cases() {
        let q = Mmc::new(4.0, 1.0, 5).unwrap();
        let c = q.prob_wait();
        assert_eq!(q.wait_quantile(0.0), 0.0);
        assert_eq!(q.wait_quantile(1.0 - c), 0.0);
        assert_eq!(q.wait_quantile(1.0), f64::INFINITY);
        for p in [0.5, 0.9, 0.99] {
            let t = q.wait_quantile(p);
            assert!(t > 0.0);
            assert_close(q.wait_tail(t), 1.0 - p, 1e-12);
        }
        // c = 5, a = 4: P(Wq > t) = C·e^{−t}, so the 90% point is ln(10·C).
        assert_close(q.wait_quantile(0.9), (10.0 * c).ln(), 1e-12);
    }

    // --- M/G/1 --------------------------------------------------------------

    #[test]
    fn mg1_with_scv_one_agrees_with_mm1() {
        for (lambda, mu) in [(0.3, 1.0), (0.8, 1.0), (4.5, 5.0)] {
            let g = Mg1::new(lambda, 1.0 / mu, 1.0).unwrap();
            let m = Mmc::mm1(lambda, mu).unwrap();
            assert_close(g.utilization(), m.utilization(), 1e-14);
            assert_close(g.prob_wait(), m.prob_wait(), 1e-14);
            assert_close(g.mean_wait(), m.mean_wait(), 1e-13);
            assert_close(g.mean_sojourn(), m.mean_sojourn(), 1e-13);
            assert_close(g.mean_queue_length(), m.mean_queue_length(), 1e-13);
            assert_close(g.mean_in_system(), m.mean_in_system(), 1e-13);
        }
    }

    #[test]
    fn md1_mean_wait_is_half_of_mm1() {
        let d = Mg1::md1(0.8, 1.0).unwrap();
        assert_eq!(d.service_scv(), 0.0);
        assert_close(d.mean_wait(), 0.8 / (2.0 * 0.2), 1e-14); // ρd/(2(1−ρ)) = 2
        assert_close(d.mean_sojourn(), 3.0, 1e-14);
        assert_close(d.mean_queue_length(), 1.6, 1e-14);
        assert_close(d.mean_in_system(), 1.6 + 0.8, 1e-14);
        let m = Mg1::new(0.8, 1.0, 1.0).unwrap();
        assert_close(d.mean_wait(), 0.5 * m.mean_wait(), 1e-14);
    }

    #[test]
    fn mg1_rejects_invalid_parameters() {
        assert!(Mg1::new(1.0, 1.0, 0.5).is_none());
        assert!(Mg1::new(0.5, 0.0, 0.5).is_none());
        assert!(Mg1::new(0.5, 1.0, -0.1).is_none());
        assert!(Mg1::new(-0.5, 1.0, 0.5).is_none());
        assert!(Mg1::new(0.5, f64::NAN, 0.5).is_none());
        assert!(Mg1::md1(0.0, 1.0).is_some());
    }

    // --- M/D/1 distribution -----------------------------------------------

    #[test]
    fn md1_cdf_boundaries_and_monotone() {
        for (lambda, d) in [(0.5, 1.0), (0.09, 10.0), (2.0, 0.49), (0.999, 1.0)] {
            let rho = lambda * d;
            assert_close(md1_wait_cdf(lambda, d, 0.0).unwrap(), 1.0 - rho, 1e-14);
            assert_eq!(md1_wait_cdf(lambda, d, -0.1), Some(0.0));
            assert_eq!(md1_wait_cdf(lambda, d, f64::INFINITY), Some(1.0));
            let mut prev = 0.0;
            for i in 0..=4000 {
                let f = md1_wait_cdf(lambda, d, i as f64 * 0.05 * d).unwrap();
                assert!((0.0..=1.0).contains(&f));
                assert!(f >= prev - 1e-14, "not monotone at t = {}", i as f64 * 0.05);
                prev = f;
            }
            let far = md1_wait_cdf(lambda, d, 1e5 * d).unwrap();
            assert_close(far, 1.0, 1e-15);
        }
        // ρ = 0: never waits.
        assert_eq!(md1_wait_cdf(0.0, 1.0, 0.0), Some(1.0));
        assert_eq!(md1_wait_cdf(0.0, 1.0, 7.5), Some(1.0));
    }

    #[test]
    fn md1_cdf_matches_high_precision_reference() {
        // (ρ, t/d, P(Wq > t)) from Erlang's sum in 300-digit arithmetic (d = 1).
        let cases = [
            (0.5, 0.5, 0.35798729165612925),
            (0.5, 2.5, 0.028640630363086353),
            (0.9, 1.0, 0.7540396888843051),
            (0.9, 5.5, 0.29869487515909576),
            (0.9, 6.0, 0.26930626676480496),
            (0.9, 10.0, 0.11759697957028051),
            (0.9, 30.0, 0.0018670007985298082),
            (0.9, 80.0, 5.929462748637857e-08),
            (0.99, 7.25, 0.8588374580008453),
            (0.99, 200.0, 0.01795095616121745),
            (0.3, 12.0, 8.923506810662526e-12),
            (0.05, 6.5, 4.790236384407203e-14),
        ];
        for (rho, u, tail) in cases {
            let cdf = md1_wait_cdf(rho, 1.0, u).unwrap();
            assert!((1.0 - cdf - tail).abs() <= 1e-14, "ρ={rho} u={u}");
            // Relative accuracy of the tail itself in the expansion region.
            let direct_tail = md1_wait_tail(rho, 1.0, u).unwrap();
            if u >= MD1_SUM_LIMIT {
                assert_close(direct_tail, tail, 1e-11);
            } else {
                assert!((direct_tail - tail).abs() <= 1e-14);
            }
            // Scale invariance in d.
            let scaled = md1_wait_cdf(rho / 4.0, 4.0, 4.0 * u).unwrap();
            assert!((scaled - cdf).abs() <= 1e-14);
        }
    }

    #[test]
    fn md1_sum_and_expansion_agree_where_both_are_accurate() {
        for rho in [0.01, 0.2, 0.5, 0.8, 0.95, 0.999] {
            let mut dist = Md1Wait::new(rho);
            for i in 0..=40 {
                let u = 3.0 + i as f64 * 0.1;
                let sum_cdf = md1_cdf_sum(rho, u);
                let spectral_cdf = 1.0 - dist.tail_spectral(u);
                assert!(
                    (sum_cdf - spectral_cdf).abs() <= 1e-12,
                    "ρ={rho} u={u}: {sum_cdf} vs {spectral_cdf}"
                );
            }
        }
    }

    #[test]
    fn md1_real_root_solves_equation() {
        for rho in [1e-12, 0.001, 0.3, 0.9, 0.999_999] {
            let g = md1_real_root(rho);
            assert_close(rho * g.exp_m1(), g, 1e-9);
        }
        // Heavy traffic: γ ≈ 2(1 − ρ)/ρ.
        assert_close(md1_real_root(0.999_999), 2e-6 / 0.999_999, 1e-5);
    }

    #[test]
    fn md1_mean_from_cdf_matches_pollaczek_khinchine() {
        // E[Wq] = ∫₀^∞ (1 − P(Wq ≤ t)) dt must equal ρd/(2(1 − ρ)).
        for (lambda, d) in [(0.3, 1.0), (0.35, 2.0), (0.9, 1.0), (0.95, 1.0)] {
            let rho: f64 = lambda * d;
            let mut dist = Md1Wait::new(rho);
            let gamma = md1_real_root(rho);
            // Integrate in units of d, panel by panel (the CDF has kinks at
            // multiples of d), far enough that the remaining tail < 1e-14.
            let upper = ((40.0 / gamma).ceil()).max(20.0) as usize;
            let mut integral = 0.0;
            for k in 0..upper {
                integral += simpson(|u| dist.tail(u), k as f64, k as f64 + 1.0, 64);
            }
            let mean = integral * d;
            let pk = Mg1::md1(lambda, d).unwrap().mean_wait();
            assert_close(mean, pk, 1e-9);
        }
    }

    #[test]
    fn md1_quantiles_invert_cdf() {
        for (lambda, d) in [(0.5, 1.0), (0.09, 10.0), (0.95, 1.0), (0.999, 1.0)] {
            let rho: f64 = lambda * d;
            assert_eq!(md1_wait_quantile(lambda, d, 1.0 - rho), Some(0.0));
            assert_eq!(md1_sojourn_quantile(lambda, d, 0.0), Some(d));
            assert_eq!(md1_sojourn_quantile(lambda, d, 1.0), Some(f64::INFINITY));
            for p in [0.6, 0.9, 0.99, 0.999, 0.999_999] {
                if p <= 1.0 - rho {
                    continue;
                }
                let w = md1_wait_quantile(lambda, d, p).unwrap();
                let s = md1_sojourn_quantile(lambda, d, p).unwrap();
                assert!(w > 0.0 && w.is_finite());
                assert_close(s, w + d, 1e-15);
                let tail = 1.0 - md1_wait_cdf(lambda, d, w).unwrap();
                assert_close(tail, 1.0 - p, 1e-8);
            }
        }
        // Heavy traffic, high quantile: far beyond where the plain sum works.
        let w = md1_wait_quantile(0.95, 1.0, 0.999).unwrap();
        let gamma = md1_real_root(0.95);
        let a0 = 0.05 / (gamma - 0.05);
        assert_close(w, (a0 / 1e-3).ln() / gamma, 1e-9);
    }

    #[test]
    fn md1_rejects_invalid_parameters() {
        assert_eq!(md1_wait_cdf(1.0, 1.0, 1.0), None);
        assert_eq!(md1_wait_cdf(0.5, 0.0, 1.0), None);
        assert_eq!(md1_wait_cdf(-0.5, 1.0, 1.0), None);
        assert_eq!(md1_wait_cdf(0.5, 1.0, f64::NAN), None);
        assert_eq!(md1_wait_quantile(0.5, 1.0, f64::NAN), None);
        assert_eq!(md1_sojourn_quantile(2.0, 1.0, 0.5), None);
    }

    #[test]
    fn md1_cdf_agrees_with_lindley_simulation() {
        // Independent check: FCFS waits from the Lindley recursion
        // W_{n+1} = max(0, W_n + d − A_{n+1}) with a fixed-seed xorshift.
        let (lambda, d) = (0.7, 1.0);
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut uniform = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ((state >> 11) as f64 + 0.5) / (1u64 << 53) as f64
        };
        let points = [0.0, 0.5, 1.0, 2.5, 6.0, 9.0];
        let mut below = [0usize; 6];
        let n = 2_000_000;
        let mut w = 0.0_f64;
        for _ in 0..n {
            for (count, &t) in below.iter_mut().zip(&points) {
                if w <= t {
                    *count += 1;
                }
            }
            let inter = -uniform().ln() / lambda;
            w = (w + d - inter).max(0.0);
        }
        for (count, &t) in below.iter().zip(&points) {
            let empirical = *count as f64 / n as f64;
            let exact = md1_wait_cdf(lambda, d, t).unwrap();
            assert!(
                (empirical - exact).abs() < 0.006,
                "t={t}: simulated {empirical}, formula {exact}"
            );
        }
    }
}
