//! The offered load m(t) of a pool: the mean number of shipments in service if every
//! arrival found an officer at once (the M_t/G/∞ model), for demand in steps of one
//! period (an hour) and any service-time distribution.
//!
//! With arrival rate λ(·) and service time S, m(t) = ∫₀^∞ λ(t − u)·P(S > u) du
//! (Eick, Massey & Whitt, "The physics of the M_t/G/∞ queue", *Operations Research*
//! 41(4), 1993). Staffing is decided per period, so what is wanted is m̄ₖ, the average
//! of m(t) over period k. For step demand this is exact and cheap: with
//! J(x) = ∫₀ˣ E[min(S, y)] dy (and J = 0 for x ≤ 0),
//!
//! m̄ₖ = Σ_{n ≥ 0} λ_{k−n}·Dₙ,  Dₙ = (J((n+1)h) − 2·J(nh) + J((n−1)h)) / h,
//!
//! a convolution of the rates with weights that sum to E[S]: the load of period k is
//! the work brought in the periods before it that is still in service.

/// A service-time distribution, as far as the offered load needs it.
#[derive(Clone, Debug, PartialEq)]
pub enum ServiceTime {
    /// Exponential with this mean (hours).
    Exponential {
        /// The mean service time in hours.
        mean: f64,
    },
    /// The empirical distribution of these samples (hours, each ≥ 0): exact for it, and
    /// for another distribution as good as the samples (draw many, or use quantiles).
    Samples(Vec<f64>),
}

impl ServiceTime {
    /// The mean service time in hours.
    pub fn mean(&self) -> f64 {
        match self {
            ServiceTime::Exponential { mean } => *mean,
            ServiceTime::Samples(s) => s.iter().sum::<f64>() / s.len().max(1) as f64,
        }
    }

    /// J(x) = ∫₀ˣ E[min(S, y)] dy = E[x²/2 if x ≤ S, else S·x − S²/2].
    fn j(&self, x: f64) -> f64 {
        if x <= 0.0 {
            return 0.0;
        }
        match self {
            ServiceTime::Exponential { mean } => {
                // E[min(S, y)] = m·(1 − e^{−y/m}), integrated from 0 to x.
                x * mean - mean * mean * (-(-x / mean).exp_m1())
            }
            ServiceTime::Samples(s) => {
                let total: f64 = s
                    .iter()
                    .map(|&si| {
                        if x <= si {
                            x * x / 2.0
                        } else {
                            si * x - si * si / 2.0
                        }
                    })
                    .sum();
                total / s.len().max(1) as f64
            }
        }
    }

    /// Periods after which the service has (to 1e-12 of the mean) surely ended.
    fn tail_periods(&self, period_hours: f64) -> usize {
        let longest = match self {
            // P(S > 30·mean) = e^{−30} ≈ 1e-13.
            ServiceTime::Exponential { mean } => 30.0 * mean,
            ServiceTime::Samples(s) => s.iter().copied().fold(0.0, f64::max),
        };
        (longest / period_hours).ceil() as usize + 2
    }
}

/// What the rates are before the first period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Before {
    /// The periods repeat (a day type's 24 hours): before period 0 comes the last one.
    Cyclic,
    /// The first period's rate has held for ever (a window that starts in steady state).
    FirstRate,
}

/// The weights Dₙ of the convolution, n = 0, 1, … until service has surely ended.
fn weights(service: &ServiceTime, period_hours: f64) -> Vec<f64> {
    let h = period_hours;
    (0..=service.tail_periods(h))
        .map(|n| {
            let n = n as f64;
            (service.j((n + 1.0) * h) - 2.0 * service.j(n * h) + service.j((n - 1.0) * h)) / h
        })
        .collect()
}

/// The offered load averaged over each period: `rates[k]` arrivals per hour in period k
/// (each `period_hours` long), the service time `service`, and `before` saying what
/// came before period 0.
pub fn offered_load(
    rates: &[f64],
    period_hours: f64,
    service: &ServiceTime,
    before: Before,
) -> Vec<f64> {
    let p = rates.len();
    if p == 0 {
        return Vec::new();
    }
    let d = weights(service, period_hours);
    (0..p)
        .map(|k| {
            d.iter()
                .enumerate()
                .map(|(n, w)| {
                    let rate = if n <= k {
                        rates[k - n]
                    } else {
                        match before {
                            Before::Cyclic => rates[(k + p * n - n) % p],
                            Before::FirstRate => rates[0],
                        }
                    };
                    rate * w
                })
                .sum()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_demand_offers_rate_times_mean_service() {
        for service in [
            ServiceTime::Exponential { mean: 1.5 },
            ServiceTime::Samples(vec![0.1, 0.5, 2.0, 7.3]),
        ] {
            let m = offered_load(&[40.0; 24], 1.0, &service, Before::Cyclic);
            for x in m {
                assert!((x - 40.0 * service.mean()).abs() < 1e-9, "{x}");
            }
        }
    }

    /// For exponential service m(t) solves m' = λ(t) − m/τ: within a step of rate λ it
    /// relaxes as λτ + (m₀ − λτ)e^{−t/τ}. Integrated over each hour and run round the
    /// cycle until periodic, it must give the convolution's averages.
    #[test]
    fn exponential_load_matches_the_differential_equation() {
        let tau = 1.0;
        let rates: Vec<f64> = (0..24)
            .map(|k| 100.0 * (1.0 + 0.4 * (2.0 * std::f64::consts::PI * k as f64 / 24.0).sin()))
            .collect();
        let mut m0 = 100.0 * tau;
        let mut averages = [0.0; 24];
        for _ in 0..60 {
            for (k, &l) in rates.iter().enumerate() {
                let target = l * tau;
                let decay = (-1.0f64 / tau).exp();
                averages[k] = target + (m0 - target) * tau * (1.0 - decay);
                m0 = target + (m0 - target) * decay;
            }
        }
        let m = offered_load(
            &rates,
            1.0,
            &ServiceTime::Exponential { mean: tau },
            Before::Cyclic,
        );
        for (k, (a, b)) in averages.iter().zip(&m).enumerate() {
            assert!((a - b).abs() < 1e-9, "hour {k}: {a} vs {b}");
        }
        // The load lags the demand: its peak comes after the demand's (hour 6).
        let peak = (0..24).max_by(|&a, &b| m[a].total_cmp(&m[b])).unwrap();
        assert!(peak > 6, "{peak}");
    }

    /// Deterministic service of 2 h: the load of hour k is the arrivals of the two hours
    /// before it, weighted by how long each is still in service within hour k.
    #[test]
    fn deterministic_service_counts_the_work_still_in_hand() {
        let rates = [0.0, 10.0, 0.0, 0.0, 0.0];
        let m = offered_load(
            &rates,
            1.0,
            &ServiceTime::Samples(vec![2.0]),
            Before::FirstRate,
        );
        // Arrivals in hour 1 (uniform): in hour 1 on average half in service (5), all of
        // them through hour 2 (10), the half still in service in hour 3 (5).
        let want = [0.0, 5.0, 10.0, 5.0, 0.0];
        for (a, b) in m.iter().zip(want) {
            assert!((a - b).abs() < 1e-9, "{m:?}");
        }
    }
}
