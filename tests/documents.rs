//! Documents portsim writes read back as their types: a summary parsed from its own JSON
//! writes the same bytes again — including figures JSON cannot hold (NaN and infinity
//! are written as `null` and read back as NaN).

use portsim::experiment::Summary;

use crate::support::{NOBODY_COMES, model, run};

/// The summary's JSON, parsed as a `Summary` and written again, gives the same bytes.
fn round_trips(s: &Summary) {
    let json = s.to_json();
    let back: Summary = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}\n{json}"));
    assert_eq!(back.to_json(), json);
}

#[test]
fn summaries_read_back_as_themselves() {
    // A flagship month: modes, classes, channels, stages, on-call pools, peaks, holidays.
    round_trips(
        &run(&model(
            "scenarios/chongqing-peak-2017.toml",
            &["replications=2"],
        ))
        .1,
    );
    // An overloaded pool: its reasons, its date and its backlog growth.
    let over = run(&model(
        "scenarios/validation/mmc.toml",
        &[
            "modes.customers.arrivals.rate_per_hour=3.3",
            "horizon_days=120",
            "replications=3",
        ],
    ))
    .1;
    assert!(over.pools["servers"].unstable);
    round_trips(&over);
    // One replication: no intervals.
    round_trips(
        &run(&model(
            "scenarios/validation/mm1.toml",
            &["replications=1", "horizon_days=60"],
        ))
        .1,
    );
}

#[test]
fn figures_json_cannot_hold_read_back_as_nan() {
    // Nobody on duty (every day a holiday): nothing released, utilisation and offered
    // load undefined.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("stuck.toml");
    std::fs::write(&file, NOBODY_COMES).unwrap();
    let m = portsim::scenario::load(&file, &[]).unwrap().model;
    let s = run(&m).1;
    assert!(s.overall.clearance_hours.mean.is_nan());
    let json = s.to_json();
    let back: Summary = serde_json::from_str(&json).unwrap();
    assert!(back.overall.clearance_hours.mean.is_nan());
    assert!(back.pools["servers"].utilization.is_nan());
    assert_eq!(back.to_json(), json);
}
