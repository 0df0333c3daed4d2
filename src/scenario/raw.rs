//! The scenario file as written: serde structures that mirror the TOML, before any
//! checking beyond types and unknown keys.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A whole scenario file.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// Scenario name, shown in reports.
    pub name: String,
    /// Free text describing the scenario.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Civil start date ("2024-01-01" or a TOML date); the run starts at 00:00.
    pub start: toml::Value,
    /// Length of the run in days, warm-up included.
    pub horizon_days: f64,
    /// Days at the start whose arrivals are not counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warmup_days: Option<f64>,
    /// `"auto"`: the warm-up is estimated (MSER-5 on a pilot run) instead of given in
    /// `warmup_days`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warmup: Option<toml::Value>,
    /// Longest time, in days after the horizon, to wait for counted shipments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drain_days: Option<f64>,
    /// Most shipments in the system at once (≥ 1; default 1000000). An overloaded
    /// system would grow without limit: at the cap, arrivals are turned away and counted
    /// (`turned_away`), with a warning, so memory stays bounded (about 200 bytes per
    /// shipment in the system).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_in_system: Option<i64>,
    /// Independent replications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replications: Option<i64>,
    /// Master seed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    /// The policy whose rosters are used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// Public holidays (dates).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<toml::Value>,
    /// Make-up working days: weekend dates worked as weekdays.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub workdays: Vec<toml::Value>,
    /// Which interval is the clearance time: "lodgement-release" (default),
    /// "arrival-release", "arrival-exit", "lodgement-exit".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clearance_interval: Option<String>,
    /// Service-level target, a duration ("24h"): the share cleared within it is reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla: Option<String>,
    /// Named working-hour calendars (`calendars.trader = [...]`) that delays count in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendars: Option<BTreeMap<String, Vec<RawOpenHours>>>,
    /// Reservation rules for service outside office hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservations: Option<RawReservations>,
    /// Peak periods: more arrivals, more hands.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub peaks: Vec<RawPeak>,
    /// Staff pools.
    #[serde(default)]
    pub pools: Vec<RawPool>,
    /// Modes (streams of shipments).
    #[serde(default)]
    pub modes: Vec<RawMode>,
}

/// A staff pool.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawPool {
    /// Pool name.
    pub name: String,
    /// Constant headcount, for a pool without rosters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff: Option<i64>,
    /// Rosters by policy name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rosters: Option<BTreeMap<String, Vec<RawShift>>>,
}

/// One shift of a roster.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawShift {
    /// Weekdays the shift starts on: "Mon-Fri", "Sat,Sun".
    pub days: String,
    /// Start time "HH:MM".
    pub start: String,
    /// End time "HH:MM" (earlier than start: overnight; "24:00": midnight).
    pub end: String,
    /// Officers on duty.
    pub staff: i64,
    /// Whether the shift runs on holidays (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holidays: Option<bool>,
    /// Whom its officers serve: "all" (default) or "reserved" (only the priority class
    /// and shipments that reserved service; on call otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serves: Option<String>,
}

/// Open hours of a working-hour calendar.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawOpenHours {
    /// Weekdays: "Mon-Fri".
    pub days: String,
    /// Opening time "HH:MM".
    pub start: String,
    /// Closing time "HH:MM".
    pub end: String,
    /// Whether it is open on holidays (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holidays: Option<bool>,
}

/// Reservation rules.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawReservations {
    /// The calendar of office hours in which bookings are made.
    pub office_hours: String,
    /// How long before arrival a booking must be made (a duration).
    pub lead_time: String,
}

/// A peak period.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawPeak {
    /// Name ("Lunar New Year rush").
    pub name: String,
    /// First date.
    pub from: toml::Value,
    /// Last date (inclusive).
    pub to: toml::Value,
    /// Multiplier of every mode's arrivals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrival_factor: Option<f64>,
    /// Multipliers by mode name (instead of, or on top of, `arrival_factor`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrival_factors: Option<BTreeMap<String, f64>>,
    /// Extra officers by pool name, added to shifts on duty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_staff: Option<BTreeMap<String, i64>>,
}

/// A mode: a named stream of shipments.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawMode {
    /// Mode name.
    pub name: String,
    /// Whether the mode counts in the headline (`overall`) figures (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline: Option<bool>,
    /// Share of shipments in the priority class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority_share: Option<f64>,
    /// Share of shipments whose trader tries to reserve off-hours service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation_share: Option<f64>,
    /// Time from arrival to lodgement of the declaration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lodgement: Option<RawDist>,
    /// Working-hour calendar the lodgement time counts in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lodgement_calendar: Option<String>,
    /// Time from release to exit from the port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit: Option<RawDist>,
    /// Working-hour calendar the exit time counts in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_calendar: Option<String>,
    /// How shipments arrive.
    pub arrivals: RawArrivals,
    /// Stages of the single channel (instead of `channels`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stages: Option<Vec<RawStage>>,
    /// Channels with shares (instead of `stages`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channels: Option<Vec<RawChannel>>,
}

/// An arrival process; `kind` selects which other keys apply.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivals {
    /// "poisson" or "list".
    pub kind: String,
    /// Poisson: base rate per hour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_per_hour: Option<f64>,
    /// Poisson: 24 multipliers, hour 0 = 00:00–01:00.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hourly_profile: Option<Vec<f64>>,
    /// Poisson: 7 multipliers, Monday first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekly_profile: Option<Vec<f64>>,
    /// Poisson: 168 multipliers, Monday 00:00 first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hour_of_week_profile: Option<Vec<f64>>,
    /// List: arrival date-times ("2024-01-05 17:30").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Vec<toml::Value>>,
    /// Timetable: the scheduled services.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub services: Option<Vec<RawService>>,
    /// Timetable: batch size of services that give none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<RawDist>,
    /// Timetable: lateness of services that give none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jitter: Option<RawDist>,
    /// Timetable: cancellation probability of services that give none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_probability: Option<f64>,
    /// Trace: the arrival log (CSV), relative to the scenario file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

/// A scheduled service of a timetable.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawService {
    /// Name (a flight number, a train).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Weekdays it runs: "Mon,Thu".
    pub days: String,
    /// Scheduled time "HH:MM".
    pub time: String,
    /// Batch size (a count distribution).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<RawDist>,
    /// Lateness (a duration distribution).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jitter: Option<RawDist>,
    /// Probability that the service is cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_probability: Option<f64>,
}

/// A channel: a share of the mode's shipments and their stages.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawChannel {
    /// Channel name ("green", "yellow", "red").
    pub name: String,
    /// Share of the mode's shipments.
    pub share: f64,
    /// Ordered stages.
    pub stages: Vec<RawStage>,
}

/// A stage: service by one officer of `pool` for `time`, or a `delay`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawStage {
    /// Stage name.
    pub name: String,
    /// Pool serving the stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<String>,
    /// Service time distribution (with `pool`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<RawDist>,
    /// Delay distribution (without `pool`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay: Option<RawDist>,
    /// Working-hour calendar the delay counts in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
    /// Branches that run in parallel (instead of `pool`/`time` or `delay`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branches: Option<Vec<RawBranch>>,
}

/// One branch of a parallel stage.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawBranch {
    /// Branch name.
    pub name: String,
    /// Its stages, in order (services and delays).
    pub stages: Vec<RawStage>,
}

/// A distribution; `dist` selects which other keys apply.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawDist {
    /// Family name.
    pub dist: String,
    /// Mean (a duration for durations, a number for counts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean: Option<toml::Value>,
    /// Coefficient of variation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cv: Option<f64>,
    /// Fixed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<toml::Value>,
    /// Lower bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<toml::Value>,
    /// Mode (most likely value) of a triangular distribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<toml::Value>,
    /// Upper bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<toml::Value>,
    /// Empirical values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<toml::Value>>,
    /// Empirical weights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<Vec<f64>>,
}
