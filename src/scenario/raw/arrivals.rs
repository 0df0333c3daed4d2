//! Arrival processes as written: tagged by `kind`, with a timetable's services.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::dist::{RawCountDist, RawDurationDist};
use crate::scenario::formats;
use crate::scenario::tagged::{self, Tagged};

/// A scheduled service of a timetable.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Service")]
pub struct RawService {
    /// Name (a flight number, a train; default "DAYS TIME").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Weekdays it runs: "Mon,Thu".
    #[schemars(with = "formats::Days")]
    pub days: String,
    /// Scheduled time "HH:MM" (before "24:00").
    #[schemars(with = "formats::ClockTime")]
    pub time: String,
    /// Batch size (a count distribution; default: the timetable's `batch`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "tagged::some"
    )]
    #[schemars(with = "RawCountDist")]
    pub batch: Option<RawCountDist>,
    /// Lateness (a duration distribution; default: the timetable's `jitter`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "tagged::some"
    )]
    #[schemars(with = "RawDurationDist")]
    pub jitter: Option<RawDurationDist>,
    /// Probability that the service is cancelled (0 to 1; default: the timetable's
    /// `cancel_probability`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 1))]
    pub cancel_probability: Option<f64>,
}

/// How shipments arrive; `kind` selects the process and its keys.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[schemars(rename = "Arrivals", transform = formats::describe_kind)]
pub enum RawArrivals {
    /// A Poisson process: `rate_per_hour`, optionally shaped by hour of day and day of week
    /// (rate × hourly_profile[hour] × weekly_profile[weekday], plain multipliers) or by one
    /// `hour_of_week_profile`. Holidays follow Sunday's factors; peaks multiply the rate.
    #[schemars(extend("dependentSchemas" = {
        "hour_of_week_profile": {
            "properties": { "hourly_profile": false, "weekly_profile": false }
        }
    }))]
    Poisson {
        /// Base rate, shipments per hour (0 to 1000000).
        #[schemars(range(min = 0, max = 1_000_000))]
        rate_per_hour: f64,
        /// 24 multipliers ≥ 0, hour 0 = 00:00–01:00.
        #[serde(skip_serializing_if = "Option::is_none")]
        #[schemars(length(min = 24, max = 24), inner(range(min = 0)))]
        hourly_profile: Option<Vec<f64>>,
        /// 7 multipliers ≥ 0, Monday first.
        #[serde(skip_serializing_if = "Option::is_none")]
        #[schemars(length(min = 7, max = 7), inner(range(min = 0)))]
        weekly_profile: Option<Vec<f64>>,
        /// 168 multipliers ≥ 0, Monday 00:00 first (instead of `hourly_profile` and
        /// `weekly_profile`).
        #[serde(skip_serializing_if = "Option::is_none")]
        #[schemars(length(min = 168, max = 168), inner(range(min = 0)))]
        hour_of_week_profile: Option<Vec<f64>>,
    },
    /// Scheduled services (flights, trains, ships) on given weekdays at given times, each
    /// bringing a batch of shipments; `batch`, `jitter` and `cancel_probability` here apply
    /// to services that give none.
    #[schemars(extend(
        "if" = { "not": { "required": ["batch"] } },
        "then" = { "properties": { "services": { "items": { "required": ["batch"] } } } }
    ))]
    Timetable {
        /// The scheduled services.
        #[schemars(length(min = 1))]
        services: Vec<RawService>,
        /// Batch size of services that give none (a count distribution); without it every
        /// service needs its own `batch`.
        #[serde(skip_serializing_if = "Option::is_none")]
        batch: Option<RawCountDist>,
        /// Lateness of services that give none (a duration distribution).
        #[serde(skip_serializing_if = "Option::is_none")]
        jitter: Option<RawDurationDist>,
        /// Cancellation probability of services that give none (default 0).
        #[serde(skip_serializing_if = "Option::is_none")]
        #[schemars(range(min = 0, max = 1))]
        cancel_probability: Option<f64>,
    },
    /// Arrivals at listed moments.
    List {
        /// Arrival date-times ("2024-01-05 17:30").
        #[schemars(with = "Vec<formats::DateTime>")]
        at: Vec<toml::Value>,
    },
    /// Arrivals replayed from a CSV log.
    Trace {
        /// The arrival log (CSV), relative to the scenario file.
        file: String,
    },
}

impl Tagged for RawArrivals {
    const TAG: &'static str = "kind";
    const WHAT: &'static str = "arrival kind";
    type Keys = ArrivalKeys;

    fn unknown(name: &str, known: &[&str]) -> String {
        let quoted: Vec<String> = known.iter().map(|k| format!("\"{k}\"")).collect();
        let shown = match quoted.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => quoted.join(""),
        };
        format!("unknown arrival kind \"{name}\": expected {shown}")
    }

    fn missing(tag: &str, key: &str) -> String {
        // The lists and the log are shown as written, as they are easily got wrong.
        let shown = match key {
            "at" => "`at = [\"2024-01-05 17:30\", ...]`".to_string(),
            "services" => "`services = [{ days, time, batch }, ...]`".to_string(),
            "file" => "`file = \"arrivals.csv\"` (relative to the scenario file)".to_string(),
            _ => format!("`{key}`"),
        };
        format!("{tag} arrivals need {shown}")
    }
}

/// The keys any arrival process may have, each with its type: what an `arrivals` table is
/// read into first, so that a wrong value is reported at its key (see [`tagged`](crate::scenario::tagged)).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ArrivalKeys {
    /// "poisson", "timetable", "list" or "trace".
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
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "tagged::some"
    )]
    pub batch: Option<RawCountDist>,
    /// Timetable: lateness of services that give none.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "tagged::some"
    )]
    pub jitter: Option<RawDurationDist>,
    /// Timetable: cancellation probability of services that give none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_probability: Option<f64>,
    /// Trace: the arrival log (CSV), relative to the scenario file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}
