//! The simulator against queueing theory: M/M/1, M/M/c (Erlang C), M/D/1 and M/G/1
//! (Pollaczek–Khinchine). Each case runs enough replications over a long enough
//! horizon that the 95 % CI half-width of the mean sojourn is under 1 % of theory, so a
//! model 3 % off fails; estimates must lie within 3.3 standard errors of theory.
//!
//! Forty replications each: per-replication means of a heavily loaded queue are skewed,
//! and more replications bring the Student-t interval's coverage closer to its nominal
//! level than fewer, longer ones.

use portsim::model::ReplicationResult;
use portsim::stats::mean_ci95;
use portsim::theory::{Mg1, Mmc, md1_sojourn_quantile};

use crate::support::{model, run};

struct Expect {
    mean_sojourn: f64,
    prob_wait: f64,
    p90: Option<f64>,
}

/// Checks `values` (one per replication) against `theory` within 3.3 standard errors.
fn within(what: &str, values: &[f64], theory: f64, max_half_width: Option<f64>) {
    let ci = mean_ci95(values);
    let se = ci.std_error.expect("several replications");
    let z = (ci.mean - theory) / se;
    eprintln!(
        "{what}: simulated {:.5} ± {:.5} (95 %), theory {theory:.5}, z = {z:+.2}",
        ci.mean,
        ci.half_width().unwrap()
    );
    assert!(
        z.abs() <= 3.3,
        "{what}: {:.5} is {z:.2} standard errors from theory {theory:.5}",
        ci.mean
    );
    if let Some(max) = max_half_width {
        let hw = ci.half_width().unwrap();
        assert!(
            hw < max * theory,
            "{what}: CI half-width {hw:.5} is not under {:.1} % of {theory:.5}",
            100.0 * max
        );
    }
}

fn check(file: &str, sets: &[&str], expect: Expect) {
    let m = model(file, sets);
    let (results, summary) = run(&m);
    let per = |f: &dyn Fn(&ReplicationResult) -> f64| results.iter().map(f).collect::<Vec<f64>>();
    let name = format!("{} {}", m.name, sets.join(" "));
    let sojourn = per(&|r| r.modes[0].clearance.mean());
    within(
        &format!("{name}: mean sojourn"),
        &sojourn,
        expect.mean_sojourn,
        Some(0.01),
    );
    within(
        &format!("{name}: P(wait > 0)"),
        &per(&|r| r.modes[0].wait.positive_share()),
        expect.prob_wait,
        None,
    );
    if let Some(p90) = expect.p90 {
        within(
            &format!("{name}: p90 sojourn"),
            &per(&|r| r.modes[0].histogram.quantile(0.9).unwrap()),
            p90,
            None,
        );
    }
    // The summary reports the same mean of replication means.
    let reported = summary.overall.clearance_hours.mean;
    assert!((reported - mean_ci95(&sojourn).mean).abs() < 1e-12);
}

fn mmc(c: u32, lambda: f64) -> Expect {
    let q = Mmc::new(lambda, 1.0, c).expect("stable");
    Expect {
        mean_sojourn: q.mean_sojourn(),
        prob_wait: q.prob_wait(),
        p90: Some(q.sojourn_quantile(0.9)),
    }
}

#[test]
fn mm1_at_utilisation_0_8() {
    check(
        "scenarios/validation/mm1.toml",
        &["horizon_days=5000", "replications=40"],
        mmc(1, 0.8),
    );
}

#[test]
fn mmc_erlang_c_two_servers_at_0_8() {
    check(
        "scenarios/validation/mmc.toml",
        &[
            "pools.servers.staff=2",
            "modes.customers.arrivals.rate_per_hour=1.6",
            "horizon_days=2500",
            "replications=40",
        ],
        mmc(2, 1.6),
    );
}

#[test]
fn mmc_erlang_c_five_servers_at_0_9() {
    check(
        "scenarios/validation/mmc.toml",
        &[
            "pools.servers.staff=5",
            "modes.customers.arrivals.rate_per_hour=4.5",
            "horizon_days=3500",
            "replications=40",
        ],
        mmc(5, 4.5),
    );
}

#[test]
fn mmc_erlang_c_twenty_servers_at_0_9() {
    check(
        "scenarios/validation/mmc.toml",
        &[
            "pools.servers.staff=20",
            "modes.customers.arrivals.rate_per_hour=18",
            "horizon_days=500",
            "replications=40",
        ],
        mmc(20, 18.0),
    );
}

#[test]
fn md1_pollaczek_khinchine() {
    let q = Mg1::md1(0.8, 1.0).unwrap();
    let p90 = md1_sojourn_quantile(0.8, 1.0, 0.9).unwrap();
    check(
        "scenarios/validation/md1.toml",
        &["horizon_days=3000", "replications=40"],
        Expect {
            mean_sojourn: q.mean_sojourn(),
            prob_wait: q.prob_wait(),
            p90: Some(p90),
        },
    );
}

#[test]
fn mg1_lognormal_pollaczek_khinchine() {
    // Service lognormal, mean 1 h, cv 1.5: squared cv 2.25.
    let q = Mg1::new(0.8, 1.0, 2.25).unwrap();
    check(
        "scenarios/validation/mg1-lognormal.toml",
        &["horizon_days=20000", "replications=40"],
        Expect {
            mean_sojourn: q.mean_sojourn(),
            prob_wait: q.prob_wait(),
            p90: None,
        },
    );
}

#[test]
fn a_three_percent_error_would_fail() {
    // The same check against a theory 3 % off must fail: the tests above can tell.
    let q = Mmc::new(18.0, 1.0, 20).unwrap();
    let wrong = Expect {
        mean_sojourn: q.mean_sojourn() * 1.03,
        prob_wait: q.prob_wait(),
        p90: None,
    };
    let outcome = std::panic::catch_unwind(|| {
        check(
            "scenarios/validation/mmc.toml",
            &[
                "pools.servers.staff=20",
                "modes.customers.arrivals.rate_per_hour=18",
                "horizon_days=1000",
                "replications=40",
            ],
            wrong,
        )
    });
    assert!(
        outcome.is_err(),
        "a model 3 % off passed the validation check"
    );
}
