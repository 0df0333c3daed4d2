//! The JSON Schemas of what the Rust types of [`raw`](super::raw) do not say alone: strings
//! with a syntax of their own (durations, dates, clock times, weekdays), maps whose entries
//! are constrained, and rules that tie keys together. The raw types point at them with
//! `#[schemars(with = ...)]`, `schema_with` and `transform`.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::Value;

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

/// Describes `dist` in every variant of a distribution.
pub(crate) fn describe_dist(schema: &mut Schema) {
    describe_tag(schema, "dist", "The distribution family.");
}

/// Describes `kind` in every variant of an arrival process.
pub(crate) fn describe_kind(schema: &mut Schema) {
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

// ---------------------------------------------------------------------------------------
// Maps and lists whose entries are constrained.

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

/// The rules on a scenario that tie keys together (see [`RawScenario`](super::raw::RawScenario)).
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
