//! The `portsim.roster/1` document: a designed roster — the window and its day types,
//! each designed pool's requirement and shifts hour by hour, officer-hours against the
//! scenario's own roster, the verification runs of both, and the TOML to paste — read
//! back as its types.

use serde::{Deserialize, Serialize};

use super::staff::Candidate;

/// Schema name of the roster design document.
pub const ROSTER_SCHEMA: &str = "portsim.roster/1";

/// The days designed for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RosterWindow {
    /// First date.
    pub from: String,
    /// Last date (included).
    pub to: String,
    /// Days in it.
    pub days: u32,
    /// How its days were sorted into types: `one`, `workday`, `peak` or `peak-workday`.
    pub day_typing: String,
}

/// A kind of day of the window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayTypeDoc {
    /// Its name ("Lunar New Year rush, working day").
    pub name: String,
    /// Days of the window of this type.
    pub days: u32,
}

/// One shift of a designed roster.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShiftDoc {
    /// Start, "HH:MM".
    pub start: String,
    /// End, "HH:MM" (at or before the start: the next day).
    pub end: String,
    /// Length in hours.
    pub hours: u32,
    /// Officers on it.
    pub staff: u32,
}

/// A pool's design for one day type, hour by hour (24 values each, 00:00 first).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoolDayDoc {
    /// The day type.
    pub day_type: String,
    /// Offered load m(t): officers busy on average if there were always enough (the
    /// infinite-server run).
    pub offered_load: Vec<f64>,
    /// Modified-offered-load staffing (Erlang C at m(t)): the algorithm's start.
    pub mol: Vec<u32>,
    /// The requirement s(t) the iterative staffing algorithm settled on.
    pub requirement: Vec<u32>,
    /// Officers on duty under the designed shifts (≥ the requirement).
    pub on_duty: Vec<u32>,
    /// Officers on duty under the scenario's own roster, extra hands included (mean over
    /// the days of this type).
    pub own_on_duty: Vec<f64>,
    /// Officer-hours per day of the designed shifts.
    pub officer_hours_per_day: u32,
    /// The designed shifts, by start.
    pub shifts: Vec<ShiftDoc>,
}

/// A designed pool.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoolRosterDoc {
    /// The pool.
    pub pool: String,
    /// General officer-hours over the window under the scenario's own roster, extra
    /// hands included.
    pub own_officer_hours: f64,
    /// The same under the designed roster.
    pub designed_officer_hours: f64,
    /// Whether every set cover was proven optimal (false: the solver's time ran out and
    /// the best roster found is shown).
    pub optimal: bool,
    /// Per day type.
    pub days: Vec<PoolDayDoc>,
}

/// A figure with its 95 % interval.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Hours (NaN, written `null`, when nothing was released).
    #[serde(
        serialize_with = "super::staff::finite_or_null",
        deserialize_with = "super::nan::nan_if_null"
    )]
    pub estimate: f64,
    /// Its 95 % interval (`null` with one replication).
    pub ci95: Option<[f64; 2]>,
}

/// One clearance figure under the scenario's own roster and the designed one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClearanceRow {
    /// The figure: `mean`, `p90`, or `MODE.p90`.
    pub figure: String,
    /// Under the scenario's own roster.
    pub own: Estimate,
    /// Under the designed roster.
    pub designed: Estimate,
}

/// One delay probability tried by the search for the cheapest roster meeting the
/// targets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DelayTrial {
    /// The per-hour delay probability (α) designed for.
    pub delay_probability: f64,
    /// General officer-hours of the designed pools over the window.
    pub designed_officer_hours: f64,
    /// Whether its verification run met every target.
    pub met: bool,
    /// Its verification run, judged.
    pub run: Candidate,
}

/// How the iterative staffing algorithm went for the chosen design.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IsaDoc {
    /// Simulation runs, the infinite-server run and the verifying run included.
    pub iterations: u32,
    /// Whether it settled within one officer per hour (false: it ran out of iterations
    /// and the last staffing is shown).
    pub converged: bool,
}

/// The `portsim.roster/1` document (`portsim roster --json`, `roster.json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RosterDocument {
    /// Always [`ROSTER_SCHEMA`].
    pub schema: String,
    /// Version of portsim that wrote it.
    pub portsim_version: String,
    /// The scenario file as given.
    pub file: String,
    /// The scenario's name.
    pub scenario: String,
    /// The policy whose rosters the scenario's own run used, if any.
    pub policy: Option<String>,
    /// Master seed (every run).
    pub seed: u64,
    /// Replications of every run.
    pub replications: u32,
    /// The window designed for.
    pub window: RosterWindow,
    /// Its day types, in order of first appearance.
    pub day_types: Vec<DayTypeDoc>,
    /// Clearance targets, as written (empty: none).
    pub targets: Vec<String>,
    /// How a target is judged, in words.
    pub decision: String,
    /// The per-hour delay probability (α) of the design shown.
    pub delay_probability: f64,
    /// With targets, every α tried, from the least to the most staff.
    pub searched: Vec<DelayTrial>,
    /// The iterative staffing algorithm of the design shown.
    pub isa: IsaDoc,
    /// The designed pools.
    pub pools: Vec<PoolRosterDoc>,
    /// The scenario's own roster's run, judged against the targets.
    pub own: Candidate,
    /// The designed roster's verification run (same seed), judged against the targets.
    pub designed: Candidate,
    /// Clearance figures of both runs: the headline modes' mean, p90 and p95, then
    /// the targets' figures.
    pub clearance: Vec<ClearanceRow>,
    /// The designed roster as scenario TOML to append to the scenario file.
    pub toml: String,
}

impl RosterDocument {
    /// Pretty-printed JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("the design always serialises");
        s.push('\n');
        s
    }

    /// General officer-hours of the designed pools over the window: (own, designed).
    pub fn officer_hours(&self) -> (f64, f64) {
        self.pools.iter().fold((0.0, 0.0), |(a, b), p| {
            (a + p.own_officer_hours, b + p.designed_officer_hours)
        })
    }
}
