//! Designing a roster: the written TOML reproduces the design when pasted into the
//! scenario, the design does not depend on the thread count, and bad requests are
//! refused with a message saying what was expected.

use std::time::Duration;

use portsim::engine::SimTime;
use portsim::experiment::roster_design::{DesignRequest, apply, design, regimes_toml, roster_toml};
use portsim::experiment::{Layout, RunOptions, run_replications, summarize};
use portsim::model::{Model, PoolId};
use portsim::roster::day_types::{DayTyping, classify};
use portsim::scenario::load_str;
use portsim::scenario::regimes::{on_call_shifts, roster_in_force};

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
        window: None,
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
        [pool.shifts.iter().map(|s| s.hours * s.staff).sum::<u32>()]
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

/// A week of rush (arrivals × 1.5, four extra officers) inside a month with a holiday
/// and a make-up Saturday, the pool on its own roster.
fn peak_scenario() -> String {
    scenario(
        r#"roster = "own"
rosters.own = [
  { days = "Mon-Sun", start = "00:00", end = "24:00", staff = 25 },
]"#,
    )
    .replace(
        "seed = 5\n",
        r#"seed = 5
holidays = ["2024-01-15"]
workdays = ["2024-01-13"]

[[peaks]]
name = "rush"
from = "2024-01-10"
to = "2024-01-16"
arrival_factor = 1.5
extra_staff = { officers = 4 }
"#,
    )
}

#[test]
fn a_windowed_design_pasted_as_regimes_runs_the_same_as_the_design() {
    let text = peak_scenario();
    let base = load_str("peak.toml", &text, &[]).unwrap().model;
    // 5 January to 25 January: days 4 to 24 from the start (1 January).
    let window = classify(&base.calendar, &base.peaks, 4, 24, DayTyping::PeakWorkday);
    assert_eq!(window.names.len(), 4, "{:?}", window.names);
    let req = DesignRequest {
        window: Some(window.clone()),
        ..request(2)
    };
    let d = design(&base, &req, |_| {}).unwrap();
    let pool = &d.pools[0];
    assert_eq!(pool.requirement.len(), 4 * 24);
    assert_eq!(pool.officer_hours_per_day.len(), 4);
    // The rush's working days need more officers than the quiet ones.
    let rush = window
        .names
        .iter()
        .position(|n| n == "rush, working day")
        .unwrap();
    let quiet = window
        .names
        .iter()
        .position(|n| n == "no peak, working day")
        .unwrap();
    assert!(
        pool.officer_hours_per_day[rush] > pool.officer_hours_per_day[quiet],
        "{:?}",
        pool.officer_hours_per_day
    );
    let loaded = load_str("peak.toml", &text, &[]).unwrap();
    let in_force = |p: PoolId, t: SimTime| {
        let pool = &base.pools[p.index()].name;
        roster_in_force(&loaded.raw, &base, pool, t)
            .map(|r| (r.clone(), on_call_shifts(&loaded.raw, pool, &r)))
    };
    let regimes = regimes_toml(&base, &d, "designed by a test", &in_force).unwrap();
    assert!(
        regimes.contains("\"pools.officers.rosters.own\" = ["),
        "{regimes}"
    );
    assert!(
        regimes.contains("\"peaks.rush.extra_staff.officers\" = 0"),
        "{regimes}"
    );
    let pasted = load_str("peak.toml", &format!("{text}\n{regimes}"), &[])
        .unwrap_or_else(|e| panic!("{e}\n{regimes}"))
        .model;
    let designed = apply(&base, &d);
    // The pasted file's summary lists its regimes (the designed ones) with the calendar;
    // the rest must be the same, byte for byte.
    let mut pasted_doc: serde_json::Value = serde_json::from_str(&summary_json(&pasted)).unwrap();
    let listed = pasted_doc["calendar"]
        .as_object_mut()
        .unwrap()
        .remove("regimes")
        .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), window.blocks().len());
    let (a, b) = (
        serde_json::to_string_pretty(&pasted_doc).unwrap(),
        serde_json::to_string_pretty(
            &serde_json::from_str::<serde_json::Value>(&summary_json(&designed)).unwrap(),
        )
        .unwrap(),
    );
    if a != b {
        let differing: Vec<String> = a
            .lines()
            .zip(b.lines())
            .enumerate()
            .filter(|(_, (x, y))| x != y)
            .take(8)
            .map(|(i, (x, y))| format!("line {i}: pasted {x} / designed {y}"))
            .collect();
        panic!(
            "the pasted regimes run differently:\n{}",
            differing.join("\n")
        );
    }
    // The design changed the run.
    assert_ne!(summary_json(&base), summary_json(&designed));
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
