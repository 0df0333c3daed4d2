//! Designing a roster: the written TOML reproduces the design when pasted into the
//! scenario, the design does not depend on the thread count, and bad requests are
//! refused with a message saying what was expected.

use std::time::Duration;

use portsim::experiment::roster_design::{DesignRequest, apply, design, roster_toml};
use portsim::experiment::{Layout, RunOptions, run_replications, summarize};
use portsim::model::{Model, PoolId};
use portsim::scenario::load_str;

/// Demand peaking in the afternoon (20 an hour on average), service of 30 minutes.
fn scenario(pool: &str) -> String {
    let hourly: Vec<String> = (0..24)
        .map(|h| {
            let x = 1.0 + 0.6 * (2.0 * std::f64::consts::PI * (h as f64 - 8.0) / 24.0).sin();
            format!("{x:.4}")
        })
        .collect();
    format!(
        r#"
name = "afternoon peak"
start = "2024-01-01"
horizon_days = 64
warmup_days = 4
replications = 4
seed = 5

[[pools]]
name = "officers"
{pool}

[[modes]]
name = "shipments"
arrivals = {{ kind = "poisson", rate_per_hour = 20.0, hourly_profile = [{}] }}
stages = [ {{ name = "serve", pool = "officers", time = {{ dist = "exponential", mean = "30m" }} }} ]
"#,
        hourly.join(", ")
    )
}

fn model(pool: &str) -> Model {
    load_str("peak.toml", &scenario(pool), &[])
        .unwrap_or_else(|e| panic!("{e}"))
        .model
}

fn request(jobs: usize) -> DesignRequest {
    DesignRequest {
        pools: vec![PoolId(0)],
        delay_probability: 0.2,
        shift_lengths: vec![8, 10],
        starts_every: 2,
        max_per_shift: None,
        max_iterations: 10,
        jobs: Some(jobs),
        time_limit: Duration::from_secs(60),
    }
}

/// The summary of a model's run, without the wall time.
fn summary_json(m: &Model) -> String {
    let results = run_replications(m, RunOptions::default()).unwrap();
    summarize(&Layout::of(m), "test", &results, 0.0).to_json()
}

#[test]
fn the_written_roster_pasted_into_the_scenario_runs_the_same_as_the_design() {
    let base = model("staff = 30");
    let d = design(&base, &request(2), |_| {}).unwrap();
    let pool = &d.pools[0];
    // Every hour covered, and the shifts are on the grid.
    assert!(
        pool.on_duty
            .iter()
            .zip(&pool.requirement)
            .all(|(a, b)| a >= b)
    );
    assert!(
        pool.shifts
            .iter()
            .all(|s| s.start_hour % 2 == 0 && [8, 10].contains(&s.hours))
    );
    assert_eq!(
        pool.officer_hours_per_day,
        pool.shifts.iter().map(|s| s.hours * s.staff).sum::<u32>()
    );
    // The roster follows the demand: more officers in the afternoon than at night.
    assert!(pool.on_duty[15] > pool.on_duty[3], "{:?}", pool.on_duty);
    let text = roster_toml(pool, "designed", "designed by a test");
    let pasted = model(&text);
    // The pasted file names the roster it works (the summary's `policy`); everything
    // else is the same, byte for byte.
    assert_eq!(pasted.policy.as_deref(), Some("designed"));
    let without_policy = |json: String| {
        json.lines()
            .filter(|l| !l.trim_start().starts_with("\"policy\":"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        without_policy(summary_json(&pasted)),
        without_policy(summary_json(&apply(&base, &d)))
    );
}

#[test]
fn the_design_is_the_same_on_one_thread_and_on_two() {
    let base = model("staff = 30");
    let one = design(&base, &request(1), |_| {}).unwrap();
    let two = design(&base, &request(2), |_| {}).unwrap();
    assert_eq!(one, two);
}

#[test]
fn bad_requests_say_what_was_expected() {
    let base = model("staff = 30");
    let cases: Vec<(DesignRequest, &str)> = vec![
        (
            DesignRequest {
                pools: vec![],
                ..request(1)
            },
            "no pool to design a roster for",
        ),
        (
            DesignRequest {
                delay_probability: 0.0,
                ..request(1)
            },
            "the delay probability must lie strictly between 0 and 1; got 0",
        ),
        (
            DesignRequest {
                delay_probability: 1.5,
                ..request(1)
            },
            "the delay probability must lie strictly between 0 and 1; got 1.5",
        ),
        (
            DesignRequest {
                shift_lengths: vec![],
                ..request(1)
            },
            "no shift length given",
        ),
        (
            DesignRequest {
                shift_lengths: vec![8, 24],
                ..request(1)
            },
            "a shift length must be a whole number of hours from 1 to 23; got 24",
        ),
        (
            DesignRequest {
                starts_every: 0,
                ..request(1)
            },
            "shifts must start every 1 to 24 hours; got every 0",
        ),
        (
            DesignRequest {
                max_per_shift: Some(0),
                ..request(1)
            },
            "the most officers per shift must be at least 1",
        ),
        (
            // Three officers at most on each of three 8-hour shifts a day cannot cover the
            // afternoon.
            DesignRequest {
                shift_lengths: vec![8],
                starts_every: 8,
                max_per_shift: Some(3),
                ..request(1)
            },
            "pool officers: period",
        ),
    ];
    for (req, want) in cases {
        let err = design(&base, &req, |_| {}).unwrap_err().to_string();
        assert!(
            err.starts_with(want),
            "{err:?} does not start with {want:?}"
        );
    }
}
