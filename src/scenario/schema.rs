//! A JSON Schema (draft 2020-12) of the scenario file format, for editors: `portsim schema`
//! prints it, and `scenarios/portsim.schema.json` is a copy of it.
//!
//! The schema is derived from the serde structures of [`raw`](super::raw), whose doc comments
//! become the descriptions shown on hover. Where a value is a plain string or a free-form
//! TOML value that the checks in [`validate`](super::validate) parse (durations, dates, clock
//! times, weekdays), or where one table takes different keys by its `kind`/`dist` or by which
//! keys it has (arrivals, distributions, stages), the raw field points at one of the
//! schema-only types below with `#[schemars(with = ...)]`.
//!
//! TOML has no null, so nothing in the schema allows one: an optional key is simply left out.

use std::borrow::Cow;

use schemars::generate::SchemaSettings;
use schemars::transform::{RecursiveTransform, Transform};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::Value;

use super::raw::{RawBranch, RawScenario, RawService};

/// The JSON Schema of scenario files.
pub fn scenario_schema() -> Value {
    let mut schema = SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<RawScenario>();
    RecursiveTransform(Tidy).transform(&mut schema);
    // `$schema` and the title first, for whoever opens the file.
    let mut object = schema.to_value();
    let Some(map) = object.as_object_mut() else {
        unreachable!("a root schema is an object");
    };
    let mut ordered = serde_json::Map::new();
    for key in ["$schema", "title", "description"] {
        if let Some(v) = map.shift_remove(key) {
            ordered.insert(key.to_string(), v);
        }
    }
    ordered.append(map);
    Value::Object(ordered)
}

/// The schema as pretty-printed JSON (what `portsim schema` prints, without the final
/// newline).
pub fn scenario_schema_text() -> String {
    serde_json::to_string_pretty(&scenario_schema()).expect("a JSON value always serialises")
}

/// Tidies what schemars generates for editors: no `null` (schemars allows it for `Option`
/// fields, but in TOML an optional key is left out, never null), no Rust-specific `format`
/// (`double`, `int64`), and descriptions as one line per paragraph (doc comments break
/// lines at 92 columns; editors show the breaks).
struct Tidy;

impl Transform for Tidy {
    fn transform(&mut self, schema: &mut Schema) {
        let Some(obj) = schema.as_object_mut() else {
            return;
        };
        if let Some(Value::Array(types)) = obj.get_mut("type") {
            types.retain(|t| t != "null");
            if types.len() == 1 {
                let only = types.remove(0);
                obj.insert("type".into(), only);
            }
        }
        if let Some(Value::Array(values)) = obj.get_mut("enum") {
            values.retain(|v| !v.is_null());
            if values.len() == 1 {
                let only = values.remove(0);
                obj.remove("enum");
                obj.insert("const".into(), only);
            }
        }
        if obj.get("default").is_some_and(Value::is_null) {
            obj.remove("default");
        }
        // `anyOf: [S, {type: null}]` (an optional reference): S, keeping the description.
        let is_null = |v: &Value| v.get("type").is_some_and(|t| t == "null");
        if let Some(Value::Array(options)) = obj.get("anyOf")
            && options.len() == 2
            && options.iter().any(is_null)
        {
            let kept = options.iter().find(|v| !is_null(v)).cloned();
            obj.remove("anyOf");
            if let Some(Value::Object(kept)) = kept {
                for (k, v) in kept {
                    obj.entry(k).or_insert(v);
                }
            }
        }
        if obj
            .get("format")
            .is_some_and(|f| f == "double" || f == "int64")
        {
            obj.remove("format");
        }
        if let Some(Value::String(text)) = obj.get_mut("description") {
            *text = text
                .split("\n\n")
                .map(|paragraph| {
                    paragraph
                        .split('\n')
                        .map(str::trim)
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect::<Vec<_>>()
                .join("\n\n");
        }
    }
}

/// Describes the tag (`dist`, `kind`) of every variant of a tagged table, for hover help.
fn describe_tag(schema: &mut Schema, tag: &str, description: &str) {
    let Some(Value::Array(variants)) = schema.get_mut("oneOf") else {
        return;
    };
    for v in variants {
        if let Some(Value::Object(t)) = v.pointer_mut(&format!("/properties/{tag}")) {
            t.insert("description".into(), description.into());
        }
    }
}

fn describe_dist(schema: &mut Schema) {
    describe_tag(schema, "dist", "The distribution family.");
}

fn describe_kind(schema: &mut Schema) {
    describe_tag(schema, "kind", "The arrival process.");
}

// ---------------------------------------------------------------------------------------
// Strings with a syntax of their own.

/// A duration's number: what `f64::from_str` accepts without an exponent (the unit follows
/// the first ASCII letter, so `e` cannot start an exponent), not negative (`-0` is zero).
const NUMBER_NOT_NEGATIVE: &str = r"(\+?([0-9]+\.?[0-9]*|\.[0-9]+)|-(0+\.?0*|\.0+))";
/// The same, greater than zero.
const NUMBER_POSITIVE: &str = r"\+?(0*[1-9][0-9]*\.?[0-9]*|0*\.[0-9]*[1-9][0-9]*)";
/// The units of [`parse_duration_hours`](super::duration::parse_duration_hours).
const UNIT: &str = "(s|m|min|h|d|w)";

fn duration_pattern(number: &str) -> String {
    format!(r"^\s*{number}\s*{UNIT}\s*$")
}

const DURATION_HELP: &str = "A duration: a number and a unit, s (seconds), m or min \
    (minutes), h (hours), d (days) or w (weeks), e.g. \"90s\", \"30m\", \"45 min\", \"1.5h\", \
    \"2d\". A bare number is not a duration.";

/// A duration string ("90s", "30m", "1.5h", "2d").
pub(crate) struct Duration;

impl JsonSchema for Duration {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": DURATION_HELP,
            "pattern": duration_pattern(NUMBER_NOT_NEGATIVE),
            "examples": ["90s", "30m", "1.5h", "2d"],
        })
    }
}

/// A duration string greater than zero.
pub(crate) struct PositiveDuration;

impl JsonSchema for PositiveDuration {
    fn schema_name() -> Cow<'static, str> {
        "PositiveDuration".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": format!("{DURATION_HELP} Greater than zero."),
            "pattern": duration_pattern(NUMBER_POSITIVE),
            "examples": ["90s", "30m", "1.5h", "2d"],
        })
    }
}

const DATE: &str = "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])";

/// A civil date "YYYY-MM-DD" (a string or a TOML local date).
pub(crate) struct Date;

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A date \"YYYY-MM-DD\", quoted or as a TOML local date (2024-01-01).",
            "pattern": format!("^{DATE}$"),
            "examples": ["2024-01-01"],
        })
    }
}

/// A local date and time "YYYY-MM-DD HH:MM" (a string or a TOML local date-time).
pub(crate) struct DateTime;

impl JsonSchema for DateTime {
    fn schema_name() -> Cow<'static, str> {
        "DateTime".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A local date and time \"YYYY-MM-DD HH:MM\" (a space or a T between \
                them; seconds optional), quoted or as a TOML local date-time \
                (2024-01-05T17:30:00); no offset. A date alone is its midnight.",
            "pattern": format!(
                r"^{DATE}([Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:([0-5][0-9]|60)(\.[0-9]{{1,9}})?)?)?$"
            ),
            "examples": ["2024-01-05 17:30"],
        })
    }
}

const HH_MM: &str = "([01][0-9]|2[0-3]):[0-5][0-9]";

/// A time of day "HH:MM" from 00:00 to 23:59.
pub(crate) struct ClockTime;

impl JsonSchema for ClockTime {
    fn schema_name() -> Cow<'static, str> {
        "ClockTime".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A time of day \"HH:MM\", two digits each, from \"00:00\" to \"23:59\".",
            "pattern": format!(r"^\s*{HH_MM}\s*$"),
            "examples": ["09:00", "17:30"],
        })
    }
}

/// A time of day "HH:MM" from 00:00 to 24:00 (the end of a shift or of open hours).
pub(crate) struct EndTime;

impl JsonSchema for EndTime {
    fn schema_name() -> Cow<'static, str> {
        "EndTime".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A time of day \"HH:MM\", two digits each, from \"00:00\" to \
                \"24:00\" (midnight at the end of the day). Earlier than the start: the time \
                is on the next day (overnight).",
            "pattern": format!(r"^\s*({HH_MM}|24:00)\s*$"),
            "examples": ["17:00", "24:00"],
        })
    }
}

/// Weekdays: "Mon-Fri", "Sat,Sun", "Mon-Wed,Fri".
pub(crate) struct Days;

impl JsonSchema for Days {
    fn schema_name() -> Cow<'static, str> {
        "Days".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        // Names in any case (JSON Schema patterns have no flag for that).
        let name = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
            .map(|n| {
                n.chars()
                    .map(|c| format!("[{}{}]", c.to_ascii_uppercase(), c.to_ascii_lowercase()))
                    .collect::<String>()
            })
            .join("|");
        let entry = format!(r"\s*({name})\s*(-\s*({name})\s*)?");
        json_schema!({
            "type": "string",
            "description": "Weekdays: Mon, Tue, Wed, Thu, Fri, Sat, Sun (any case), ranges \
                such as \"Mon-Fri\" (\"Fri-Mon\" wraps past Sunday), and comma-separated lists \
                such as \"Sat,Sun\" or \"Mon-Wed,Fri\". A set containing Monday to Friday also \
                runs on make-up working days (`workdays`).",
            "pattern": format!("^{entry}(,{entry})*$"),
            "examples": ["Mon-Fri", "Sat,Sun", "Mon-Sun"],
        })
    }
}

/// A name that is not empty or blank.
pub(crate) struct Name;

impl JsonSchema for Name {
    fn schema_name() -> Cow<'static, str> {
        "Name".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "pattern": r"\S" })
    }
}

/// `warmup = "auto"`.
pub(crate) struct Auto;

impl JsonSchema for Auto {
    fn schema_name() -> Cow<'static, str> {
        "Auto".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "const": "auto" })
    }
}

/// `clearance_interval`: two milestones in order.
pub(crate) struct ClearanceInterval;

impl JsonSchema for ClearanceInterval {
    fn schema_name() -> Cow<'static, str> {
        "ClearanceInterval".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let milestones = ["arrival", "lodgement", "release", "exit"];
        let pairs: Vec<String> = milestones
            .iter()
            .enumerate()
            .flat_map(|(i, a)| milestones[i + 1..].iter().map(move |b| format!("{a}-{b}")))
            .collect();
        json_schema!({ "type": "string", "enum": pairs })
    }
}

/// A shift's `holidays`: true, false or "only".
pub(crate) struct ShiftHolidays;

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

/// Whom a shift's officers serve.
pub(crate) struct Serves;

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

// ---------------------------------------------------------------------------------------
// Maps and lists whose entries are constrained.

/// `calendars`: named working-hour calendars, each with at least one entry of open hours.
pub(crate) fn calendars(generator: &mut SchemaGenerator) -> Schema {
    let hours = generator.subschema_for::<super::raw::RawOpenHours>();
    json_schema!({
        "type": "object",
        "additionalProperties": { "type": "array", "items": hours, "minItems": 1 },
    })
}

/// `rosters`: at least one roster, by policy name.
pub(crate) fn rosters(generator: &mut SchemaGenerator) -> Schema {
    let shift = generator.subschema_for::<super::raw::RawShift>();
    json_schema!({
        "type": "object",
        "additionalProperties": { "type": "array", "items": shift },
        "minProperties": 1,
    })
}

/// Multipliers (0 to 1000) by name.
pub(crate) fn factors(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "object",
        "additionalProperties": { "type": "number", "minimum": 0, "maximum": 1000 },
    })
}

/// Officers (0 to 1000000) by pool name.
pub(crate) fn officers(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "object",
        "additionalProperties": { "type": "integer", "minimum": 0, "maximum": 1_000_000 },
    })
}

/// The rules on a scenario that tie keys together (see [`RawScenario`]).
pub(crate) fn scenario_rules(schema: &mut Schema) {
    // The fixed warm-up and the estimated one exclude each other.
    schema.insert(
        "dependentSchemas".into(),
        serde_json::json!({ "warmup": { "properties": { "warmup_days": false } } }),
    );
    // Reservations need the [reservations] table.
    schema.insert(
        "if".into(),
        serde_json::json!({ "not": { "required": ["reservations"] } }),
    );
    schema.insert(
        "then".into(),
        serde_json::json!({
            "properties": {
                "modes": { "items": { "properties": { "reservation_share": { "maximum": 0 } } } }
            }
        }),
    );
    // `modes` is required: an empty list is an error, so the `[]` default does not apply.
    if let Some(Value::Object(modes)) = schema
        .get_mut("properties")
        .and_then(|p| p.get_mut("modes"))
    {
        modes.remove("default");
    }
    if let Some(Value::Array(required)) = schema.get_mut("required") {
        required.push("modes".into());
    }
}

// ---------------------------------------------------------------------------------------
// Tables whose keys depend on a `kind`, a `dist`, or on which keys they have. These types
// only describe the format; the file is read into the flat `Raw*` structures.

/// A distribution of durations; `dist` selects the family and its parameters.
#[derive(JsonSchema)]
#[schemars(
    tag = "dist",
    rename_all = "snake_case",
    deny_unknown_fields,
    transform = describe_dist
)]
#[allow(dead_code)]
pub(crate) enum DurationDist {
    /// Exponential with mean `mean`.
    Exponential {
        /// Mean, a duration > 0.
        mean: PositiveDuration,
    },
    /// Always `value`.
    Deterministic {
        /// The duration.
        value: Duration,
    },
    /// Uniform between `min` and `max` (min ≤ max).
    Uniform {
        /// Lower bound.
        min: Duration,
        /// Upper bound, ≥ min.
        max: Duration,
    },
    /// Triangular from `min` to `max` with its peak at `mode` (min ≤ mode ≤ max, min < max).
    Triangular {
        /// Lower bound.
        min: Duration,
        /// Most likely value.
        mode: Duration,
        /// Upper bound.
        max: Duration,
    },
    /// Log-normal with mean `mean` and coefficient of variation `cv`.
    Lognormal {
        /// Mean, a duration > 0.
        mean: PositiveDuration,
        /// Coefficient of variation (standard deviation / mean), > 0.
        #[schemars(extend("exclusiveMinimum" = 0))]
        cv: f64,
    },
    /// Gamma with mean `mean` and coefficient of variation `cv`.
    Gamma {
        /// Mean, a duration > 0.
        mean: PositiveDuration,
        /// Coefficient of variation (standard deviation / mean), > 0.
        #[schemars(extend("exclusiveMinimum" = 0))]
        cv: f64,
    },
    /// One of the listed durations, equally likely or in proportion to `weights`.
    Empirical {
        /// The durations drawn from.
        #[schemars(length(min = 1))]
        values: Vec<Duration>,
        /// Weights ≥ 0, one per value, with a sum > 0 (default: all equal).
        #[schemars(inner(range(min = 0)))]
        weights: Option<Vec<f64>>,
    },
}

/// A distribution of counts (batch sizes); `dist` selects the family and its parameters.
#[derive(JsonSchema)]
#[schemars(
    tag = "dist",
    rename_all = "snake_case",
    deny_unknown_fields,
    transform = describe_dist
)]
#[allow(dead_code)]
pub(crate) enum CountDist {
    /// Always `value`.
    Constant {
        /// The count, a whole number from 0 to 1000000.
        #[schemars(range(min = 0, max = 1_000_000))]
        value: i64,
    },
    /// Poisson with mean `mean` (0 is a possible count).
    Poisson {
        /// Mean, a number > 0 (at most 1000000).
        #[schemars(extend("exclusiveMinimum" = 0), range(max = 1_000_000))]
        mean: f64,
    },
    /// Whole numbers from `min` to `max`, equally likely.
    UniformInt {
        /// Smallest count, 0 to 1000000.
        #[schemars(range(min = 0, max = 1_000_000))]
        min: i64,
        /// Largest count, ≥ min, at most 1000000.
        #[schemars(range(min = 0, max = 1_000_000))]
        max: i64,
    },
    /// One of the listed counts, equally likely or in proportion to `weights`.
    Empirical {
        /// The counts drawn from, whole numbers from 0 to 1000000.
        #[schemars(length(min = 1), inner(range(min = 0, max = 1_000_000)))]
        values: Vec<i64>,
        /// Weights ≥ 0, one per value, with a sum > 0 (default: all equal).
        #[schemars(inner(range(min = 0)))]
        weights: Option<Vec<f64>>,
    },
}

/// How shipments arrive; `kind` selects the process and its keys.
#[derive(JsonSchema)]
#[schemars(
    tag = "kind",
    rename_all = "snake_case",
    deny_unknown_fields,
    transform = describe_kind
)]
#[allow(dead_code)]
pub(crate) enum Arrivals {
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
        #[schemars(length(min = 24, max = 24), inner(range(min = 0)))]
        hourly_profile: Option<Vec<f64>>,
        /// 7 multipliers ≥ 0, Monday first.
        #[schemars(length(min = 7, max = 7), inner(range(min = 0)))]
        weekly_profile: Option<Vec<f64>>,
        /// 168 multipliers ≥ 0, Monday 00:00 first (instead of `hourly_profile` and
        /// `weekly_profile`).
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
        batch: Option<CountDist>,
        /// Lateness of services that give none (a duration distribution).
        jitter: Option<DurationDist>,
        /// Cancellation probability of services that give none (default 0).
        #[schemars(range(min = 0, max = 1))]
        cancel_probability: Option<f64>,
    },
    /// Arrivals at listed moments.
    List {
        /// Arrival date-times ("2024-01-05 17:30").
        at: Vec<DateTime>,
    },
    /// Arrivals replayed from a CSV log.
    Trace {
        /// The arrival log (CSV), relative to the scenario file.
        file: String,
    },
}

/// A stage: service by one officer of `pool` for `time`, a `delay` (time passes, no
/// officer), or parallel `branches`.
#[derive(JsonSchema)]
#[schemars(untagged, deny_unknown_fields)]
#[allow(dead_code)]
pub(crate) enum Stage {
    /// Service by one officer of `pool` for `time`.
    Service {
        /// Stage name (unique within its list of stages).
        name: String,
        /// Pool serving the stage (a pool's `name`).
        pool: String,
        /// Service time (a duration distribution).
        time: DurationDist,
    },
    /// Time passes without an officer, in a working-hour `calendar` if given.
    Delay {
        /// Stage name (unique within its list of stages).
        name: String,
        /// How long (a duration distribution).
        delay: DurationDist,
        /// Working-hour calendar the delay counts in (a key of `calendars`).
        calendar: Option<String>,
    },
    /// Branches that run in parallel; the stage ends when the last branch ends.
    Parallel {
        /// Stage name (unique within its list of stages).
        name: String,
        /// At least two branches, each with its own stages (no nested branches).
        #[schemars(length(min = 2))]
        branches: Vec<RawBranch>,
    },
}

/// A stage of a parallel branch: a service or a delay (branches do not nest).
#[derive(JsonSchema)]
#[schemars(untagged, deny_unknown_fields)]
#[allow(dead_code)]
pub(crate) enum BranchStage {
    /// Service by one officer of `pool` for `time`.
    Service {
        /// Stage name (unique within the branch).
        name: String,
        /// Pool serving the stage (a pool's `name`).
        pool: String,
        /// Service time (a duration distribution).
        time: DurationDist,
    },
    /// Time passes without an officer, in a working-hour `calendar` if given.
    Delay {
        /// Stage name (unique within the branch).
        name: String,
        /// How long (a duration distribution).
        delay: DurationDist,
        /// Working-hour calendar the delay counts in (a key of `calendars`).
        calendar: Option<String>,
    },
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use serde::de::{DeserializeOwned, Visitor};

    use super::*;
    use crate::scenario::raw::*;
    use crate::scenario::validate::{arrivals, values};

    /// The keys of each variant of the tagged table `def` (besides the tag), by tag value,
    /// and the keys each requires.
    fn variants(
        schema: &Value,
        def: &str,
        tag: &str,
    ) -> BTreeMap<String, (Vec<String>, Vec<String>)> {
        let mut out = BTreeMap::new();
        for v in schema["$defs"][def]["oneOf"].as_array().unwrap() {
            let name = v["properties"][tag]["const"].as_str().unwrap().to_string();
            let keys = v["properties"].as_object().unwrap().keys();
            let keys = keys.filter(|k| *k != tag).cloned().collect();
            let required = v["required"].as_array().unwrap().iter();
            let required = required
                .map(|k| k.as_str().unwrap().to_string())
                .filter(|k| k != tag)
                .collect();
            assert_eq!(v["additionalProperties"], false, "{def} {name}");
            out.insert(name, (keys, required));
        }
        out
    }

    fn table(t: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        t.iter()
            .map(|(k, keys)| (k.to_string(), keys.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    #[test]
    fn distributions_and_arrivals_take_the_keys_the_checks_take() {
        let schema = scenario_schema();
        for (def, tag, checked, optional) in [
            (
                "DurationDist",
                "dist",
                values::DURATION_DISTS,
                &["weights"][..],
            ),
            ("CountDist", "dist", values::COUNT_DISTS, &["weights"]),
            (
                "Arrivals",
                "kind",
                arrivals::KEYS,
                &[
                    "hourly_profile",
                    "weekly_profile",
                    "hour_of_week_profile",
                    "batch",
                    "jitter",
                    "cancel_probability",
                ],
            ),
        ] {
            let found = variants(&schema, def, tag);
            let keys: BTreeMap<String, Vec<String>> = found
                .iter()
                .map(|(k, (keys, _))| (k.clone(), keys.clone()))
                .collect();
            assert_eq!(keys, table(checked), "{def}");
            for (name, (keys, required)) in &found {
                let expected: Vec<String> = keys
                    .iter()
                    .filter(|k| !optional.contains(&k.as_str()))
                    .cloned()
                    .collect();
                assert_eq!(required, &expected, "{def} {name}");
            }
        }
    }

    /// What `deserialize_struct` is told: the keys a serde struct takes.
    #[derive(Debug)]
    struct Fields(Option<&'static [&'static str]>);

    impl std::fmt::Display for Fields {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "{:?}", self.0)
        }
    }

    impl std::error::Error for Fields {}

    impl serde::de::Error for Fields {
        fn custom<T: std::fmt::Display>(_: T) -> Self {
            Fields(None)
        }
    }

    struct FieldNames;

    impl<'de> serde::Deserializer<'de> for FieldNames {
        type Error = Fields;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Fields> {
            Err(Fields(None))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Fields> {
            Err(Fields(Some(fields)))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }

    fn fields_of<T: DeserializeOwned>() -> BTreeSet<String> {
        match T::deserialize(FieldNames) {
            Err(Fields(Some(f))) => f.iter().map(|s| s.to_string()).collect(),
            _ => panic!("not a struct"),
        }
    }

    /// The properties of `schema` and, if it is a union, of its variants.
    fn properties(schema: &Value) -> BTreeSet<String> {
        let mut out: BTreeSet<String> = schema["properties"]
            .as_object()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        for union in ["oneOf", "anyOf"] {
            for v in schema[union].as_array().into_iter().flatten() {
                out.extend(properties(v));
            }
        }
        out
    }

    #[test]
    fn every_key_of_the_file_is_in_the_schema_and_no_other() {
        let schema = scenario_schema();
        let def = |name: &str| properties(&schema["$defs"][name]);
        let dists: BTreeSet<String> = def("DurationDist")
            .union(&def("CountDist"))
            .cloned()
            .collect();
        for (name, found, expected) in [
            ("scenario", properties(&schema), fields_of::<RawScenario>()),
            ("Pool", def("Pool"), fields_of::<RawPool>()),
            ("Shift", def("Shift"), fields_of::<RawShift>()),
            ("OpenHours", def("OpenHours"), fields_of::<RawOpenHours>()),
            (
                "Reservations",
                def("Reservations"),
                fields_of::<RawReservations>(),
            ),
            ("Peak", def("Peak"), fields_of::<RawPeak>()),
            ("Mode", def("Mode"), fields_of::<RawMode>()),
            ("Arrivals", def("Arrivals"), fields_of::<RawArrivals>()),
            ("Service", def("Service"), fields_of::<RawService>()),
            ("Channel", def("Channel"), fields_of::<RawChannel>()),
            ("Stage", def("Stage"), fields_of::<RawStage>()),
            ("Branch", def("Branch"), fields_of::<RawBranch>()),
            ("distributions", dists, fields_of::<RawDist>()),
        ] {
            assert_eq!(found, expected, "{name}");
        }
        let branch_stage = def("BranchStage");
        assert!(branch_stage.is_subset(&def("Stage")) && !branch_stage.contains("branches"));
    }

    #[test]
    fn every_table_is_closed_and_every_key_described() {
        fn walk(v: &Value, path: &str) {
            match v {
                Value::Object(o) => {
                    assert!(
                        o.get("type") != Some(&Value::from("null")),
                        "null at {path}"
                    );
                    if o.get("type") == Some(&Value::from("object")) && o.contains_key("properties")
                    {
                        assert_eq!(o["additionalProperties"], false, "{path}");
                    }
                    if let Some(Value::Object(props)) = o.get("properties")
                        && !["if", "then", "dependentSchemas"]
                            .iter()
                            .any(|rule| path.contains(&format!(".{rule}")))
                    {
                        for (k, p) in props {
                            let tag_or_false = p == &Value::Bool(false);
                            assert!(
                                tag_or_false || p.get("description").is_some(),
                                "{path}.{k} has no description"
                            );
                        }
                    }
                    for (k, v) in o {
                        assert!(!v.is_null(), "null at {path}.{k}");
                        walk(v, &format!("{path}.{k}"));
                    }
                }
                Value::Array(a) => {
                    for (i, v) in a.iter().enumerate() {
                        walk(v, &format!("{path}[{i}]"));
                    }
                }
                _ => {}
            }
        }
        walk(&scenario_schema(), "");
    }
}
