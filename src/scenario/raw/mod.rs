//! The scenario file as written: serde types that mirror the TOML, before any checking
//! beyond types and unknown keys. Tables whose keys depend on a tag are tagged enums
//! ([`RawDurationDist`], [`RawCountDist`], [`RawArrivals`]; read by
//! [`tagged`](super::tagged)), and a stage is an enum of its kinds ([`RawStage`]).
//!
//! The doc comments are also the descriptions in the JSON Schema of the format
//! ([`schema`](super::schema)); the `#[schemars(...)]` attributes say there what the checks
//! in `validate` accept where the Rust type alone does not.

mod arrivals;
mod dist;
mod stage;

pub use arrivals::{ArrivalKeys, RawArrivals, RawService};
pub use dist::{DistKeys, RawCountDist, RawDurationDist};
pub use stage::{RawBranch, RawBranchStage, RawOnArrival, RawStage};

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};

use super::formats;
use super::tagged;

/// A portsim scenario: the calendar, staff pools with their rosters, and modes (streams of
/// shipments) with their arrivals and stages. Unknown keys are errors.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "portsim scenario", transform = formats::scenario_rules)]
pub struct RawScenario {
    /// Scenario name, shown in reports.
    #[schemars(with = "formats::Name")]
    pub name: String,
    /// Free text describing the scenario.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Civil start date ("2024-01-01" or a TOML date); the run starts at 00:00.
    #[schemars(with = "formats::Date")]
    pub start: toml::Value,
    /// Length of the run in days, warm-up included (> 0, at most 36525: 100 years).
    #[schemars(range(max = 36525), extend("exclusiveMinimum" = 0))]
    pub horizon_days: f64,
    /// Days at the start whose arrivals are not counted (≥ 0, shorter than the horizon;
    /// default 0). Not with `warmup = "auto"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0), extend("default" = 0))]
    pub warmup_days: Option<f64>,
    /// `"auto"`: the warm-up is estimated (MSER-5 on a pilot run) instead of given in
    /// `warmup_days`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "formats::Auto")]
    pub warmup: Option<toml::Value>,
    /// Longest time, in days after the horizon, to wait for counted shipments (0 to
    /// 36525; default 60).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 36525), extend("default" = 60))]
    pub drain_days: Option<f64>,
    /// Most shipments in the system at once (≥ 1; default 1000000). An overloaded
    /// system would grow without limit: at the cap, arrivals are turned away and counted
    /// (`turned_away`), with a warning, so memory stays bounded (about 200 bytes per
    /// shipment in the system).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1), extend("default" = 1_000_000))]
    pub max_in_system: Option<i64>,
    /// Independent replications (1 to 10000; default 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 10_000), extend("default" = 10))]
    pub replications: Option<i64>,
    /// Master seed (≥ 0; default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0), extend("default" = 1))]
    pub seed: Option<i64>,
    /// The policy whose rosters are used: a key of the pools' `rosters` (needed when
    /// they name several policies; `--policy` overrides it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// Public holidays (dates).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<formats::Date>")]
    pub holidays: Vec<toml::Value>,
    /// Make-up working days: weekend dates worked as weekdays.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<formats::Date>")]
    pub workdays: Vec<toml::Value>,
    /// Which interval is the clearance time, FROM-TO with milestones in order (arrival,
    /// lodgement, release, exit): "lodgement-release" (default), "arrival-release",
    /// "arrival-exit", "lodgement-exit", ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "formats::ClearanceInterval", extend("default" = "lodgement-release"))]
    pub clearance_interval: Option<String>,
    /// Service-level target, a duration ("24h"): the share cleared within it is reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "formats::Duration")]
    pub sla: Option<String>,
    /// Named working-hour calendars (`calendars.trader = [...]`) that delays count in:
    /// each a list of open hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "calendars")]
    pub calendars: Option<BTreeMap<String, Vec<RawOpenHours>>>,
    /// Reservation rules for service outside office hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservations: Option<RawReservations>,
    /// What an officer-hour of each kind costs: a cost figure beside the officer-hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<RawCost>,
    /// Peak periods: more arrivals, more hands.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub peaks: Vec<RawPeak>,
    /// Dated regimes: periods during which listed values of the file differ (a rule
    /// that came into force, a roster that changed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regimes: Vec<RawRegime>,
    /// Staff pools.
    #[serde(default)]
    pub pools: Vec<RawPool>,
    /// Modes (streams of shipments), at least one.
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub modes: Vec<RawMode>,
}

/// A staff pool: constant `staff`, or `rosters` by policy (one of the two).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "Pool",
    extend("oneOf" = [{ "required": ["staff"] }, { "required": ["rosters"] }])
)]
pub struct RawPool {
    /// Pool name (unique).
    #[schemars(with = "formats::Name")]
    pub name: String,
    /// Constant headcount, for a pool without rosters (0 to 1000000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 1_000_000))]
    pub staff: Option<i64>,
    /// Rosters by policy name (`rosters.business-hours = [...]`): each a list of shifts;
    /// the scenario's `policy` picks one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "rosters")]
    pub rosters: Option<BTreeMap<String, Vec<RawShift>>>,
    /// The roster this pool works whatever the policy (a key of `rosters`; default: the
    /// policy's). A regime sets it to switch a pool's roster for a period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roster: Option<String>,
}

/// One shift of a roster. It belongs to the day it starts.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Shift")]
pub struct RawShift {
    /// Weekdays the shift starts on: "Mon-Fri", "Sat,Sun".
    #[schemars(with = "formats::Days")]
    pub days: String,
    /// Start time "HH:MM" (not "24:00").
    #[schemars(with = "formats::ClockTime")]
    pub start: String,
    /// End time "HH:MM" (earlier than start: overnight; "24:00": midnight; not equal to
    /// start).
    #[schemars(with = "formats::EndTime")]
    pub end: String,
    /// Officers on duty (0 to 1000000).
    #[schemars(range(min = 0, max = 1_000_000))]
    pub staff: i64,
    /// Whether the shift runs on holidays: true (default), false, or "only" (on holidays
    /// and no other day: cover while a weekday roster is off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "ShiftHolidays", extend("default" = true))]
    pub holidays: Option<ShiftHolidays>,
    /// Whom its officers serve: "all" (default) or "reserved" (only the priority class
    /// and shipments that reserved service; on call otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Serves", extend("default" = "all"))]
    pub serves: Option<Serves>,
}

/// Open hours of a working-hour calendar.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "OpenHours")]
pub struct RawOpenHours {
    /// Weekdays: "Mon-Fri".
    #[schemars(with = "formats::Days")]
    pub days: String,
    /// Opening time "HH:MM" (not "24:00").
    #[schemars(with = "formats::ClockTime")]
    pub start: String,
    /// Closing time "HH:MM" ("24:00": midnight; not equal to the opening time).
    #[schemars(with = "formats::EndTime")]
    pub end: String,
    /// Whether it is open on holidays (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = false))]
    pub holidays: Option<bool>,
}

/// Reservation rules: traders may book service outside office hours.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Reservations")]
pub struct RawReservations {
    /// The calendar of office hours in which bookings are made (a key of `calendars`).
    pub office_hours: String,
    /// How long before arrival a booking must be made (a duration).
    #[schemars(with = "formats::Duration")]
    pub lead_time: String,
}

/// Cost weights per officer-hour, by kind of hour, in any unit (a currency, or
/// regular-hour equivalents).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Cost")]
pub struct RawCost {
    /// What the weights are in ("CNY"); default "cost".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Per regular (rostered) officer-hour.
    #[schemars(range(min = 0.0))]
    pub regular: f64,
    /// Per on-call officer-hour; default: as `regular`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub on_call: Option<f64>,
    /// Per overtime officer-hour (finishing work in hand after a shift); default: as
    /// `regular`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub overtime: Option<f64>,
}

/// A peak period.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Peak")]
pub struct RawPeak {
    /// Name ("Lunar New Year rush").
    pub name: String,
    /// First date.
    #[schemars(with = "formats::Date")]
    pub from: toml::Value,
    /// Last date (inclusive; not before `from`).
    #[schemars(with = "formats::Date")]
    pub to: toml::Value,
    /// Multiplier of every mode's arrivals (0 to 1000; default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 1000), extend("default" = 1))]
    pub arrival_factor: Option<f64>,
    /// Multipliers (0 to 1000) by mode name (instead of, or on top of, `arrival_factor`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "formats::factors")]
    pub arrival_factors: Option<BTreeMap<String, f64>>,
    /// Extra officers by pool name, added to shifts on duty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "formats::officers")]
    pub extra_staff: Option<BTreeMap<String, i64>>,
}

/// A dated regime: from `from` to `to` (both inclusive; no `to`: to the end of the run),
/// the values listed in `set` replace the file's. Shipments follow the regime in force
/// when they arrive (their class, channel and every stage, the calendars their delays
/// count in); arrival rates and pools' rosters change at the regime's first and last
/// instant.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Regime")]
pub struct RawRegime {
    /// Name ("national clearance integration"), unique.
    #[schemars(with = "formats::Name")]
    pub name: String,
    /// Free text: what changed and the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// First date: the regime starts at its 00:00.
    #[schemars(with = "formats::Date")]
    pub from: toml::Value,
    /// Last date (inclusive; not before `from`); absent: the regime never ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<formats::Date>")]
    pub to: Option<toml::Value>,
    /// Whether the regime applies (default true): `false` keeps it in the file but out
    /// of the run, so that a sweep can switch it on and off
    /// (`--set regimes.NAME.enabled=false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = true))]
    pub enabled: Option<bool>,
    /// The values that differ, by `--set` path (`"pools.parcels.roster" = "7x24"`,
    /// `"modes.road.channels.green.share" = 0.4`); a `*` segment stands for every element
    /// of an array or key of a table. Paths under `calendars`, `reservations`, `pools` and
    /// `modes` only; names and the shape of stages stay as in the file.
    #[schemars(schema_with = "regime_set")]
    pub set: BTreeMap<String, toml::Value>,
}

/// A mode: a named stream of shipments, with `stages` or `channels` (one of the two).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "Mode",
    extend(
        "oneOf" = [{ "required": ["stages"] }, { "required": ["channels"] }],
        "dependentRequired" = {
            "lodgement_calendar": ["lodgement"],
            "exit_calendar": ["exit"]
        }
    )
)]
pub struct RawMode {
    /// Mode name (unique).
    #[schemars(with = "formats::Name")]
    pub name: String,
    /// Whether the mode counts in the headline (`overall`) figures (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = true))]
    pub headline: Option<bool>,
    /// Share of shipments in the priority class (0 to 1; default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 1), extend("default" = 0))]
    pub priority_share: Option<f64>,
    /// Whether the priority class gets the fast track (default true): served first at
    /// every pool, and by on-call officers too. `false` keeps the class — in the figures
    /// (`classes.priority`) and on its own channel mix (`share_priority`, what its goods
    /// need) — but serves it as any other shipment: the same file with the fast track
    /// off, paired shipment by shipment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = true))]
    pub fast_track: Option<bool>,
    /// Whether the priority class draws its channel from the channels' `share_priority`
    /// (default: true when a channel gives one). `false` puts it on the other shipments'
    /// mix (`share`): with `fast_track = false`, the same file with the class served and
    /// checked as any other shipment of its mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_mix: Option<bool>,
    /// Share of shipments whose trader tries to reserve off-hours service (0 to 1;
    /// default 0); above 0 only with `[reservations]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 1), extend("default" = 0))]
    pub reservation_share: Option<f64>,
    /// Time from arrival to lodgement of the declaration (a duration distribution).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "tagged::some"
    )]
    #[schemars(with = "RawDurationDist")]
    pub lodgement: Option<RawDurationDist>,
    /// Working-hour calendar the lodgement time counts in (a key of `calendars`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lodgement_calendar: Option<String>,
    /// Time from release to exit from the port (a duration distribution).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "tagged::some"
    )]
    #[schemars(with = "RawDurationDist")]
    pub exit: Option<RawDurationDist>,
    /// Working-hour calendar the exit time counts in (a key of `calendars`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_calendar: Option<String>,
    /// How shipments arrive.
    #[serde(deserialize_with = "tagged::read")]
    pub arrivals: RawArrivals,
    /// Stages of the single channel, in order (instead of `channels`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<RawStage>", length(min = 1))]
    pub stages: Option<Vec<RawStage>>,
    /// Channels with shares summing to 1 (instead of `stages`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub channels: Option<Vec<RawChannel>>,
}

/// A channel: a share of the mode's shipments and their stages.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Channel")]
pub struct RawChannel {
    /// Channel name ("green", "yellow", "red"; unique within the mode).
    pub name: String,
    /// Share of the mode's shipments (≥ 0; the mode's shares sum to 1). With
    /// `share_priority` on any channel: the share of the normal class.
    #[schemars(range(min = 0))]
    pub share: f64,
    /// Share of the priority class (the fast track) taking this channel, when it differs
    /// from the normal class's: perishables 10 % red and all quarantined, say (≥ 0;
    /// default 0 once any channel of the mode gives it; these shares sum to 1 too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub share_priority: Option<f64>,
    /// Ordered stages.
    #[schemars(with = "Vec<RawStage>", length(min = 1))]
    pub stages: Vec<RawStage>,
}

/// A shift's `holidays`: `true`, `false` or `"only"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShiftHolidays {
    /// `true`: also on holidays.
    Also,
    /// `false`: not on holidays.
    Not,
    /// `"only"`: on holidays only.
    Only,
}

impl<'de> Deserialize<'de> for ShiftHolidays {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = ShiftHolidays;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("true, false or \"only\"")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<ShiftHolidays, E> {
                Ok(if v {
                    ShiftHolidays::Also
                } else {
                    ShiftHolidays::Not
                })
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ShiftHolidays, E> {
                match v {
                    "only" => Ok(ShiftHolidays::Only),
                    _ => Err(E::invalid_value(serde::de::Unexpected::Str(v), &self)),
                }
            }
        }
        d.deserialize_any(Visitor)
    }
}

impl From<ShiftHolidays> for crate::calendar::HolidayRule {
    fn from(h: ShiftHolidays) -> Self {
        match h {
            ShiftHolidays::Also => Self::Also,
            ShiftHolidays::Not => Self::Not,
            ShiftHolidays::Only => Self::Only,
        }
    }
}

impl Serialize for ShiftHolidays {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ShiftHolidays::Also => s.serialize_bool(true),
            ShiftHolidays::Not => s.serialize_bool(false),
            ShiftHolidays::Only => s.serialize_str("only"),
        }
    }
}

impl JsonSchema for ShiftHolidays {
    fn schema_name() -> Cow<'static, str> {
        "ShiftHolidays".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "oneOf": [{ "type": "boolean" }, { "const": "only" }] })
    }
}

/// Whom a shift's officers serve: `"all"` or `"reserved"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Serves {
    /// `"all"`: every shipment.
    All,
    /// `"reserved"`: only the priority class and shipments that reserved service (on call).
    Reserved,
}

impl Serves {
    /// The word in the file.
    fn word(self) -> &'static str {
        match self {
            Serves::All => "all",
            Serves::Reserved => "reserved",
        }
    }
}

impl<'de> Deserialize<'de> for Serves {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Serves;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "\"all\" (serve every shipment) or \"reserved\" (only the priority class and reserved shipments)",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Serves, E> {
                [Serves::All, Serves::Reserved]
                    .into_iter()
                    .find(|s| s.word() == v)
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(v), &self))
            }
        }
        d.deserialize_str(Visitor)
    }
}

impl Serialize for Serves {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.word())
    }
}

impl JsonSchema for Serves {
    fn schema_name() -> Cow<'static, str> {
        "Serves".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "enum": ["all", "reserved"] })
    }
}

/// `calendars`: named working-hour calendars, each with at least one entry of open hours.
fn calendars(generator: &mut SchemaGenerator) -> Schema {
    let hours = generator.subschema_for::<RawOpenHours>();
    json_schema!({
        "type": "object",
        "additionalProperties": { "type": "array", "items": hours, "minItems": 1 },
    })
}

/// A regime's `set`: at least one value, by path.
fn regime_set(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "object",
        "minProperties": 1,
        "propertyNames": { "pattern": "^(calendars|reservations|pools|modes)(\\.[^.]+)+$" },
    })
}

/// `rosters`: at least one roster, by policy name.
fn rosters(generator: &mut SchemaGenerator) -> Schema {
    let shift = generator.subschema_for::<RawShift>();
    json_schema!({
        "type": "object",
        "additionalProperties": { "type": "array", "items": shift },
        "minProperties": 1,
    })
}
