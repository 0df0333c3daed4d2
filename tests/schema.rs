//! The JSON Schema of scenario files (`portsim schema`): the shipped scenarios follow it,
//! the committed copy is current, its string patterns accept exactly what the loader's
//! parsers accept, and the schema and the loader reject the same invalid files.

use std::sync::OnceLock;

use portsim::calendar::{ClockTime, DaySet};
use portsim::scenario::duration::parse_duration_hours;
use portsim::scenario::load_str;
use portsim::scenario::schema::{scenario_schema, scenario_schema_text};
use portsim::scenario::validate::values::parse_date;
use serde_json::{Value, json};

use crate::support::{ok, repo};

/// The committed copy of the schema.
const COMMITTED: &str = "scenarios/portsim.schema.json";

fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        jsonschema::validator_for(&scenario_schema()).expect("the schema is a valid JSON Schema")
    })
}

/// A TOML document as an editor's schema validation sees it: TOML dates and times become
/// strings ("2024-01-01", "2024-01-05T17:30:00"), as Taplo does.
fn json_of(text: &str) -> Value {
    fn convert(v: toml::Value) -> Value {
        match v {
            toml::Value::Datetime(d) => Value::String(d.to_string()),
            toml::Value::Table(t) => t.into_iter().map(|(k, v)| (k, convert(v))).collect(),
            toml::Value::Array(a) => a.into_iter().map(convert).collect(),
            other => serde_json::to_value(other).unwrap(),
        }
    }
    convert(toml::from_str::<toml::Value>(text).unwrap_or_else(|e| panic!("{e}\n{text}")))
}

/// The schema's complaints about a document, one per line.
fn schema_errors(text: &str) -> Vec<String> {
    let instance = json_of(text);
    validator()
        .iter_errors(&instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn shipped_scenarios_follow_the_schema() {
    let mut checked = 0;
    for dir in ["scenarios", "scenarios/validation"] {
        let mut paths: Vec<_> = std::fs::read_dir(repo(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            let errors = schema_errors(&text);
            assert!(
                errors.is_empty(),
                "{}:\n{}",
                path.display(),
                errors.join("\n")
            );
            checked += 1;
        }
    }
    assert!(checked >= 8, "only {checked} scenarios found");
}

#[test]
fn committed_schema_is_current() {
    let committed = std::fs::read_to_string(repo(COMMITTED)).unwrap_or_default();
    let generated = format!("{}\n", scenario_schema_text());
    assert!(
        committed == generated,
        "{COMMITTED} is not the schema portsim generates; regenerate it with \
         `cargo run -- schema > {COMMITTED}`"
    );
}

#[test]
fn schema_is_draft_2020_12_with_a_title() {
    let schema = scenario_schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(schema["title"], "portsim scenario");
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn cli_prints_the_schema() {
    let out = ok(&["schema"]);
    assert_eq!(out, format!("{}\n", scenario_schema_text()));
    let printed: Value = serde_json::from_str(&out).expect("portsim schema prints JSON");
    assert_eq!(printed, scenario_schema());
}

/// A small valid scenario the cases below change.
const BASE: &str = r#"
name = "M/M/3"
start = "2024-01-01"
horizon_days = 40
warmup_days = 2
replications = 2
seed = 1
calendars.office = [{ days = "Mon-Fri", start = "09:00", end = "17:00" }]

[[pools]]
name = "servers"
staff = 3

[[modes]]
name = "customers"
arrivals = { kind = "poisson", rate_per_hour = 2.7 }
stages = [ { name = "serve", pool = "servers", time = { dist = "exponential", mean = "1h" } } ]
"#;

/// `BASE` with `from` replaced by `to` (which must change it).
fn edit(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "{from:?} is not in the base scenario");
    BASE.replacen(from, to, 1)
}

fn loader_error(text: &str) -> Option<String> {
    load_str("case.toml", text, &[])
        .err()
        .map(|e| e.to_string())
}

#[test]
fn base_scenario_is_valid() {
    assert_eq!(schema_errors(BASE), Vec::<String>::new());
    assert_eq!(loader_error(BASE), None);
}

/// Every key of the format in one file, which both the schema and the loader accept.
const EVERY_KEY: &str = r#"
name = "every key"
description = "all the keys at once"
start = 2024-01-01
horizon_days = 60
warmup = "auto"
drain_days = 10
max_in_system = 50000
replications = 3
seed = 7
policy = "shifts"
holidays = ["2024-01-01", 2024-02-10]
workdays = ["2024-02-04"]
clearance_interval = "arrival-exit"
sla = "24h"
calendars.office = [
  { days = "mon - wed , Fri", start = " 09:00", end = "17:30 " },
  { days = "Thu", start = "20:00", end = "08:00", holidays = true },
]

[reservations]
office_hours = "office"
lead_time = "1d"

[[peaks]]
name = "rush"
from = "2024-01-10"
to = 2024-01-20
arrival_factor = 1.5
arrival_factors = { ships = 2.0 }
extra_staff = { inspection = 2 }

[[pools]]
name = "inspection"
rosters.shifts = [
  { days = "Mon-Sun", start = "00:00", end = "24:00", staff = 2 },
  { days = "Sat,Sun", start = "20:00", end = "08:00", staff = 1, holidays = false, serves = "reserved" },
]
rosters.other = [
  { days = "Mon-Fri", start = "09:00", end = "17:00", staff = 1, serves = "all" },
  { days = "Mon-Sun", start = "09:00", end = "17:00", staff = 1, holidays = "only" },
]

[[pools]]
name = "review"
staff = 4

[[modes]]
name = "ships"
headline = false
priority_share = 0.1
reservation_share = 0.2
lodgement = { dist = "triangular", min = "0m", mode = " 45 min", max = "+1.5h" }
lodgement_calendar = "office"
exit = { dist = "empirical", values = ["1h", "2.h", ".5h"], weights = [1, 2.5, 0] }
exit_calendar = "office"
arrivals = { kind = "timetable", jitter = { dist = "uniform", min = "-0m", max = "30m" }, cancel_probability = 0.1, services = [
  { name = "MV Lotus", days = "Mon,Thu", time = "06:30", batch = { dist = "poisson", mean = 40 }, jitter = { dist = "deterministic", value = "10m" }, cancel_probability = 0.05 },
  { days = "Sat", time = "23:59", batch = { dist = "uniform_int", min = 2, max = 9 } },
] }
channels = [
  { name = "green", share = 0.7, stages = [
    { name = "review", pool = "review", time = { dist = "lognormal", mean = "20m", cv = 0.5 } },
  ] },
  { name = "red", share = 0.3, share_priority = 1.0, stages = [
    { name = "review", pool = "review", time = { dist = "gamma", mean = "20m", cv = 1.5 } },
    { name = "checks", branches = [
      { name = "inspect", stages = [
        { name = "inspect", pool = "inspection", time = { dist = "exponential", mean = "2h" } },
      ] },
      { name = "lab", stages = [
        { name = "test", delay = { dist = "deterministic", value = "1d" }, calendar = "office" },
        { name = "report", delay = { dist = "exponential", mean = "1w" } },
      ] },
    ] },
  ] },
]

[[modes]]
name = "trucks"
arrivals = { kind = "poisson", rate_per_hour = 3, hourly_profile = [0, 0, 0, 0, 0, 0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 0, 0, 0], weekly_profile = [1, 1, 1, 1, 1, 0.5, 0] }
stages = [ { name = "review", pool = "review", time = { dist = "exponential", mean = "90s" } } ]

[[modes]]
name = "couriers"
arrivals = { kind = "timetable", batch = { dist = "empirical", values = [1, 5, 20], weights = [3, 2, 1] }, services = [
  { days = "Mon-Fri", time = "10:00" },
  { days = "Mon-Fri", time = "16:00", batch = { dist = "constant", value = 12 } },
] }
stages = [ { name = "review", pool = "review", time = { dist = "exponential", mean = "5m" } } ]

[[modes]]
name = "charters"
arrivals = { kind = "list", at = ["2024-01-05 17:30", "2024-01-06T08:15:30", 2024-01-07T12:00:00, "2024-01-08", 2024-01-09] }
stages = [ { name = "review", pool = "review", time = { dist = "exponential", mean = "1h" } } ]
"#;

#[test]
fn a_scenario_with_every_key_is_valid() {
    assert_eq!(schema_errors(EVERY_KEY), Vec::<String>::new());
    assert_eq!(loader_error(EVERY_KEY), None);
    // And with the 168-value profile instead of the two.
    let week = format!("hour_of_week_profile = [{}] }}", vec!["1"; 168].join(", "));
    let text = EVERY_KEY.replacen(
        "hourly_profile = [0, 0, 0, 0, 0, 0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 0, 0, 0], weekly_profile = [1, 1, 1, 1, 1, 0.5, 0] }",
        &week,
        1,
    );
    assert_ne!(text, EVERY_KEY);
    assert_eq!(schema_errors(&text), Vec::<String>::new());
    assert_eq!(loader_error(&text), None);
}

#[test]
fn invalid_scenarios_are_rejected_by_the_schema_and_the_loader() {
    const ONE_BRANCH: &str = r#"{ name = "both", branches = [ { name = "a", stages = [ { name = "x", delay = { dist = "deterministic", value = "1h" } } ] } ] }"#;
    const NESTED: &str = r#"{ name = "both", branches = [
        { name = "a", stages = [ { name = "x", delay = { dist = "deterministic", value = "1h" } } ] },
        { name = "b", stages = [ { name = "y", branches = [] } ] } ] }"#;
    let serve =
        r#"{ name = "serve", pool = "servers", time = { dist = "exponential", mean = "1h" } }"#;
    let poisson = r#"{ kind = "poisson", rate_per_hour = 2.7 }"#;
    let cases: Vec<(&str, String)> = vec![
        (
            "an unknown top-level key",
            edit("seed = 1\n", "seed = 1\ncolour = \"blue\"\n"),
        ),
        (
            "an unknown key in a pool",
            edit("staff = 3\n", "staff = 3\nstaf = 4\n"),
        ),
        (
            "a duration without a unit",
            edit("mean = \"1h\"", "mean = \"90\""),
        ),
        ("a wrong dist", edit("\"exponential\"", "\"exponentail\"")),
        ("no modes[0].name", edit("name = \"customers\"\n", "")),
        (
            "no modes at all",
            BASE[..BASE.find("[[modes]]").unwrap()].to_string(),
        ),
        ("no start", edit("start = \"2024-01-01\"\n", "")),
        ("a month 13", edit("\"2024-01-01\"", "\"2024-13-01\"")),
        (
            "a date with a slash",
            edit("\"2024-01-01\"", "\"2024/01/01\""),
        ),
        ("a number for a date", edit("\"2024-01-01\"", "20240101")),
        ("an unknown weekday", edit("\"Mon-Fri\"", "\"Mon-Funday\"")),
        (
            "an empty weekday entry",
            edit("\"Mon-Fri\"", "\"Mon,,Fri\""),
        ),
        (
            "a shift starting at 24:00",
            edit("start = \"09:00\"", "start = \"24:00\""),
        ),
        (
            "a time past 24:00",
            edit("end = \"17:00\"", "end = \"24:30\""),
        ),
        (
            "a time without two digits",
            edit("end = \"17:00\"", "end = \"9:00\""),
        ),
        ("a negative duration", edit("\"1h\"", "\"-1h\"")),
        ("an unknown unit", edit("\"1h\"", "\"1 hour\"")),
        ("a zero exponential mean", edit("\"1h\"", "\"0h\"")),
        ("a duration as a number", edit("\"1h\"", "1")),
        (
            "a count family for a duration",
            edit(
                "dist = \"exponential\", mean = \"1h\"",
                "dist = \"poisson\", mean = 2",
            ),
        ),
        (
            "a key of another family",
            edit("mean = \"1h\"", "mean = \"1h\", cv = 0.5"),
        ),
        (
            "a missing parameter",
            edit(
                "dist = \"exponential\", mean = \"1h\"",
                "dist = \"uniform\", min = \"1h\"",
            ),
        ),
        (
            "a cv of 0",
            edit(
                "dist = \"exponential\", mean = \"1h\"",
                "dist = \"gamma\", mean = \"1h\", cv = 0",
            ),
        ),
        (
            "no empirical values",
            edit(
                "dist = \"exponential\", mean = \"1h\"",
                "dist = \"empirical\", values = []",
            ),
        ),
        (
            "a negative weight",
            edit(
                "dist = \"exponential\", mean = \"1h\"",
                "dist = \"empirical\", values = [\"1h\"], weights = [-1]",
            ),
        ),
        (
            "warmup auto and warmup_days",
            edit("seed = 1\n", "seed = 1\nwarmup = \"auto\"\n"),
        ),
        (
            "a warmup other than auto",
            edit("warmup_days = 2\n", "warmup = \"manual\"\n"),
        ),
        (
            "a negative warm-up",
            edit("warmup_days = 2", "warmup_days = -1"),
        ),
        (
            "a zero horizon",
            edit("horizon_days = 40", "horizon_days = 0"),
        ),
        (
            "a cap of no shipments",
            edit("seed = 1\n", "seed = 1\nmax_in_system = 0\n"),
        ),
        (
            "zero replications",
            edit("replications = 2", "replications = 0"),
        ),
        ("a negative seed", edit("seed = 1", "seed = -1")),
        (
            "a reversed clearance interval",
            edit(
                "seed = 1\n",
                "seed = 1\nclearance_interval = \"release-arrival\"\n",
            ),
        ),
        (
            "a duration SLA without a unit",
            edit("seed = 1\n", "seed = 1\nsla = \"24\"\n"),
        ),
        (
            "a calendar never open",
            edit(
                "calendars.office = [{ days = \"Mon-Fri\", start = \"09:00\", end = \"17:00\" }]",
                "calendars.office = []",
            ),
        ),
        (
            "staff and rosters",
            edit(
                "staff = 3\n",
                "staff = 3\nrosters.a = [{ days = \"Mon-Fri\", start = \"09:00\", end = \"17:00\", staff = 1 }]\n",
            ),
        ),
        ("neither staff nor rosters", edit("staff = 3\n", "")),
        ("negative staff", edit("staff = 3", "staff = -3")),
        (
            "an unknown key in a shift",
            edit(
                "staff = 3\n",
                "rosters.a = [{ days = \"Mon-Fri\", start = \"09:00\", end = \"17:00\", staff = 1, break = \"1h\" }]\n",
            ),
        ),
        (
            "holidays sometimes",
            edit(
                "staff = 3\n",
                "rosters.a = [{ days = \"Mon-Fri\", start = \"09:00\", end = \"17:00\", staff = 1, holidays = \"sometimes\" }]\n",
            ),
        ),
        (
            "holidays as a number",
            edit(
                "staff = 3\n",
                "rosters.a = [{ days = \"Mon-Fri\", start = \"09:00\", end = \"17:00\", staff = 1, holidays = 1 }]\n",
            ),
        ),
        (
            "serves someone else",
            edit(
                "staff = 3\n",
                "rosters.a = [{ days = \"Mon-Fri\", start = \"09:00\", end = \"17:00\", staff = 1, serves = \"vip\" }]\n",
            ),
        ),
        (
            "a service stage without time",
            edit(serve, r#"{ name = "serve", pool = "servers" }"#),
        ),
        (
            "a service stage with a delay",
            edit(
                serve,
                r#"{ name = "serve", pool = "servers", delay = { dist = "exponential", mean = "1h" } }"#,
            ),
        ),
        (
            "a calendar on a service stage",
            edit(
                serve,
                r#"{ name = "serve", pool = "servers", time = { dist = "exponential", mean = "1h" }, calendar = "office" }"#,
            ),
        ),
        (
            "a stage with nothing to do",
            edit(serve, r#"{ name = "serve" }"#),
        ),
        ("one parallel branch", edit(serve, ONE_BRANCH)),
        ("nested branches", edit(serve, NESTED)),
        ("no stages", edit(&format!("[ {serve} ]"), "[]")),
        (
            "stages and channels",
            edit(
                "stages = [",
                "channels = [ { name = \"all\", share = 1, stages = [ { name = \"s\", delay = { dist = \"deterministic\", value = \"1h\" } } ] } ]\nstages = [",
            ),
        ),
        (
            "a channel without share",
            edit(
                &format!("stages = [ {serve} ]"),
                &format!("channels = [ {{ name = \"all\", stages = [ {serve} ] }} ]"),
            ),
        ),
        (
            "a share above 1",
            edit(
                "name = \"customers\"\n",
                "name = \"customers\"\npriority_share = 1.5\n",
            ),
        ),
        (
            "reservations without [reservations]",
            edit(
                "name = \"customers\"\n",
                "name = \"customers\"\nreservation_share = 0.1\n",
            ),
        ),
        (
            "a lodgement calendar without lodgement",
            edit(
                "name = \"customers\"\n",
                "name = \"customers\"\nlodgement_calendar = \"office\"\n",
            ),
        ),
        ("an unknown arrival kind", edit("\"poisson\"", "\"poison\"")),
        (
            "a timetable key in poisson",
            edit(
                poisson,
                r#"{ kind = "poisson", rate_per_hour = 2.7, cancel_probability = 0.1 }"#,
            ),
        ),
        (
            "poisson without a rate",
            edit(poisson, r#"{ kind = "poisson" }"#),
        ),
        (
            "a negative rate",
            edit("rate_per_hour = 2.7", "rate_per_hour = -1"),
        ),
        (
            "an hourly profile of 23 values",
            edit(
                "rate_per_hour = 2.7",
                &format!(
                    "rate_per_hour = 2.7, hourly_profile = [{}]",
                    vec!["1"; 23].join(", ")
                ),
            ),
        ),
        (
            "both kinds of profile",
            edit(
                "rate_per_hour = 2.7",
                &format!(
                    "rate_per_hour = 2.7, weekly_profile = [1, 1, 1, 1, 1, 1, 1], hour_of_week_profile = [{}]",
                    vec!["1"; 168].join(", ")
                ),
            ),
        ),
        (
            "a service without a batch",
            edit(
                poisson,
                r#"{ kind = "timetable", services = [ { days = "Mon", time = "10:00" } ] }"#,
            ),
        ),
        (
            "a service at 24:00",
            edit(
                poisson,
                r#"{ kind = "timetable", batch = { dist = "constant", value = 3 }, services = [ { days = "Mon", time = "24:00" } ] }"#,
            ),
        ),
        (
            "a duration family for a batch",
            edit(
                poisson,
                r#"{ kind = "timetable", batch = { dist = "exponential", mean = "1h" }, services = [ { days = "Mon", time = "10:00" } ] }"#,
            ),
        ),
        (
            "a batch as a string",
            edit(
                poisson,
                r#"{ kind = "timetable", batch = { dist = "constant", value = "3" }, services = [ { days = "Mon", time = "10:00" } ] }"#,
            ),
        ),
        (
            "a negative count",
            edit(
                poisson,
                r#"{ kind = "timetable", batch = { dist = "uniform_int", min = -1, max = 3 }, services = [ { days = "Mon", time = "10:00" } ] }"#,
            ),
        ),
        (
            "no services",
            edit(
                poisson,
                r#"{ kind = "timetable", batch = { dist = "constant", value = 3 }, services = [] }"#,
            ),
        ),
        (
            "a cancel probability above 1",
            edit(
                poisson,
                r#"{ kind = "timetable", batch = { dist = "constant", value = 3 }, cancel_probability = 2, services = [ { days = "Mon", time = "10:00" } ] }"#,
            ),
        ),
        (
            "a trace without a file",
            edit(poisson, r#"{ kind = "trace" }"#),
        ),
        (
            "a peak without dates",
            edit("[[pools]]", "[[peaks]]\nname = \"rush\"\n\n[[pools]]"),
        ),
        (
            "a negative arrival factor",
            edit(
                "[[pools]]",
                "[[peaks]]\nname = \"rush\"\nfrom = \"2024-01-05\"\nto = \"2024-01-09\"\narrival_factor = -1\n\n[[pools]]",
            ),
        ),
        (
            "negative extra staff",
            edit(
                "[[pools]]",
                "[[peaks]]\nname = \"rush\"\nfrom = \"2024-01-05\"\nto = \"2024-01-09\"\nextra_staff = { servers = -2 }\n\n[[pools]]",
            ),
        ),
        (
            "an unknown key in reservations",
            edit(
                "[[pools]]",
                "[reservations]\noffice_hours = \"office\"\nlead_time = \"1d\"\nlimit = 3\n\n[[pools]]",
            ),
        ),
        (
            "a blank scenario name",
            edit("name = \"M/M/3\"", "name = \"  \""),
        ),
        (
            "a date with a time",
            edit("\"2024-01-01\"", "\"2024-01-01T10:00\""),
        ),
    ];
    expect_verdicts(&cases, true, true);
}

/// Checks that the schema and the loader reject (`true`) or accept each case as expected.
fn expect_verdicts(cases: &[(&str, String)], schema_rejects: bool, loader_rejects: bool) {
    let verdict = |rejects: bool| if rejects { "rejects" } else { "accepts" };
    let mut unexpected = Vec::new();
    for (what, text) in cases {
        let by_schema = schema_errors(text);
        let by_loader = loader_error(text);
        if by_schema.is_empty() == schema_rejects || by_loader.is_none() == loader_rejects {
            unexpected.push(format!(
                "{what}: the schema {} ({}), the loader {} ({})",
                verdict(!by_schema.is_empty()),
                by_schema.join("; "),
                verdict(by_loader.is_some()),
                by_loader.unwrap_or_default(),
            ));
        }
    }
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n"));
}

/// What the schema cannot express: rules across keys and tables, which the loader checks.
/// Keep this list in step with the documentation of the schema's limits.
#[test]
fn rules_across_keys_are_left_to_the_loader() {
    let serve =
        r#"{ name = "serve", pool = "servers", time = { dist = "exponential", mean = "1h" } }"#;
    let rosters = |extra: &str| {
        edit(
            "staff = 3\n",
            &format!(
                "rosters.a = [{{ days = \"Mon-Fri\", start = \"09:00\", end = \"17:00\", staff = 1 }}]\n{extra}"
            ),
        )
    };
    let cases: Vec<(&str, String)> = vec![
        (
            "an unknown pool",
            edit("pool = \"servers\"", "pool = \"officers\""),
        ),
        (
            "an unknown calendar",
            edit(
                "[[pools]]",
                "[reservations]\noffice_hours = \"lab\"\nlead_time = \"1d\"\n\n[[pools]]",
            ),
        ),
        (
            "an unknown mode in a peak",
            edit(
                "[[pools]]",
                "[[peaks]]\nname = \"rush\"\nfrom = \"2024-01-05\"\nto = \"2024-01-09\"\narrival_factors = { ships = 2 }\n\n[[pools]]",
            ),
        ),
        (
            "a peak ending before it starts",
            edit(
                "[[pools]]",
                "[[peaks]]\nname = \"rush\"\nfrom = \"2024-01-09\"\nto = \"2024-01-05\"\n\n[[pools]]",
            ),
        ),
        (
            "a policy no roster has",
            format!("policy = \"b\"\n{}", rosters("")),
        ),
        (
            "several policies and none chosen",
            rosters("rosters.b = []\n"),
        ),
        (
            "two pools of one name",
            edit(
                "[[modes]]",
                "[[pools]]\nname = \"servers\"\nstaff = 1\n\n[[modes]]",
            ),
        ),
        (
            "two stages of one name",
            edit(&format!("[ {serve} ]"), &format!("[ {serve}, {serve} ]")),
        ),
        (
            "shares that do not sum to 1",
            edit(
                &format!("stages = [ {serve} ]"),
                &format!("channels = [ {{ name = \"all\", share = 0.5, stages = [ {serve} ] }} ]"),
            ),
        ),
        (
            "a warm-up as long as the horizon",
            edit("warmup_days = 2", "warmup_days = 40"),
        ),
        (
            "a uniform min above max",
            edit(
                "dist = \"exponential\", mean = \"1h\"",
                "dist = \"uniform\", min = \"2h\", max = \"1h\"",
            ),
        ),
        (
            "weights not one per value",
            edit(
                "dist = \"exponential\", mean = \"1h\"",
                "dist = \"empirical\", values = [\"1h\"], weights = [1, 2]",
            ),
        ),
        (
            "weights summing to 0",
            edit(
                "dist = \"exponential\", mean = \"1h\"",
                "dist = \"empirical\", values = [\"1h\"], weights = [0]",
            ),
        ),
        (
            "a shift ending when it starts",
            edit("end = \"17:00\"", "end = \"09:00\""),
        ),
        (
            "a pool never on duty",
            rosters("").replace("staff = 1 }", "staff = 0 }"),
        ),
        ("a 30 February", edit("\"2024-01-01\"", "\"2024-02-30\"")),
        (
            "a whole number written as a float",
            edit("replications = 2", "replications = 2.0"),
        ),
    ];
    expect_verdicts(&cases, false, true);
}

/// Forms the loader takes but the schema, which describes the documented forms, does not.
#[test]
fn undocumented_forms_are_left_out_of_the_schema() {
    let list = |at: &str| {
        edit(
            r#"{ kind = "poisson", rate_per_hour = 2.7 }"#,
            &format!(r#"{{ kind = "list", at = [{at}] }}"#),
        )
    };
    let cases: Vec<(&str, String)> = vec![
        (
            "a date in the basic format",
            edit("\"2024-01-01\"", "\"20240101\""),
        ),
        (
            "a listed time with the hour only",
            list(r#""2024-01-05T17""#),
        ),
    ];
    expect_verdicts(&cases, true, false);
    // An offset is refused by both: scenario times are the port's civil time.
    let offset = vec![(
        "a listed time with an offset",
        list(r#""2024-01-05T17:30+08:00""#),
    )];
    expect_verdicts(&offset, true, true);
}

/// Every string up to `len` characters long over `alphabet`.
fn strings(alphabet: &[&str], len: usize) -> Vec<String> {
    let mut all = vec![String::new()];
    let mut last = vec![String::new()];
    for _ in 0..len {
        last = last
            .iter()
            .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
            .collect();
        all.extend(last.iter().cloned());
    }
    all
}

/// A validator for the string pattern of `$defs/<def>`.
fn pattern(def: &str) -> jsonschema::Validator {
    let schema = scenario_schema();
    let pattern = &schema["$defs"][def]["pattern"];
    assert!(pattern.is_string(), "{def} has a pattern");
    jsonschema::validator_for(&json!({ "type": "string", "pattern": pattern })).unwrap()
}

/// Checks that `def`'s pattern accepts exactly the strings `accepts` accepts.
fn agree(def: &str, candidates: &[String], accepts: impl Fn(&str) -> bool) {
    let pattern = pattern(def);
    let disagree: Vec<String> = candidates
        .iter()
        .filter(|s| pattern.is_valid(&json!(s)) != accepts(s))
        .map(|s| format!("{s:?}: pattern {}", pattern.is_valid(&json!(s))))
        .take(20)
        .collect();
    assert!(disagree.is_empty(), "{def}:\n{}", disagree.join("\n"));
}

// The patterns use `\s` for the whitespace the parsers trim: that is Rust's Unicode
// White_Space but for U+0085, which `\s` lacks, and U+FEFF, which it has.

#[test]
fn duration_patterns_accept_what_the_parser_accepts() {
    let alphabet = [
        "0", "1", "5", ".", "-", "+", " ", "h", "m", "i", "n", "s", "e",
    ];
    let candidates = strings(&alphabet, 5);
    let mut more: Vec<String> = [
        "90s", "30m", "45 min", "1.5h", "2d", "1w", "\t2d\n", "-0.0h", "-.0s", "1e3h", "infh",
        "NaNh", "1.2.3h", "1x", "1 hour", "0.000h", "00.010m", "1_000h", "١h",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    more.extend(candidates);
    agree("Duration", &more, |s| parse_duration_hours(s).is_ok());
    agree("PositiveDuration", &more, |s| {
        parse_duration_hours(s).is_ok_and(|h| h > 0.0)
    });
}

#[test]
fn clock_time_patterns_accept_what_the_parser_accepts() {
    let candidates = strings(&["0", "1", "2", "3", "4", "5", "9", ":", " "], 6);
    agree("ClockTime", &candidates, |s| {
        ClockTime::parse(s).is_ok_and(|t| t.minutes() < 24 * 60)
    });
    agree("EndTime", &candidates, |s| ClockTime::parse(s).is_ok());
}

#[test]
fn days_pattern_accepts_what_the_parser_accepts() {
    let candidates = strings(&["Mon", "tHU", "sun", "Fri", "Mo", "-", ",", " "], 5);
    agree("Days", &candidates, |s| DaySet::parse(s).is_ok());
}

#[test]
fn date_pattern_accepts_plain_dates_the_parser_accepts() {
    // The pattern takes "YYYY-MM-DD" only (the loader also takes other ISO 8601 forms, such
    // as "20240101"), and cannot know the length of each month.
    let mut candidates = Vec::new();
    for year in ["2024", "2023", "0000", "9999"] {
        for month in 0..=13 {
            for day in 0..=32 {
                candidates.push(format!("{year}-{month:02}-{day:02}"));
            }
        }
    }
    let days_in_month = |year: i32, month: u32| match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    agree("Date", &candidates, |s| {
        let parsed = parse_date(&toml::Value::String(s.to_string()));
        let (y, m, d) = (&s[..4], &s[5..7], &s[8..]);
        let (y, m, d): (i32, u32, u32) =
            (y.parse().unwrap(), m.parse().unwrap(), d.parse().unwrap());
        let real = (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m);
        assert_eq!(parsed.is_ok(), real, "{s}");
        // The pattern allows up to 31 days in every month.
        (1..=12).contains(&m) && (1..=31).contains(&d)
    });
}

#[test]
fn date_time_pattern_accepts_only_what_the_parser_accepts() {
    // The loader also takes other ISO 8601 forms (offsets, which it ignores; "T17" for the
    // hour); the pattern takes the documented ones, and every one of them loads.
    let mut candidates = Vec::new();
    for date in ["2024-01-05", "2024-02-29", "2024-1-05", "2024-01-5"] {
        for sep in ["", " ", "T", "t", "  ", "_"] {
            for time in [
                "",
                "17:30",
                "00:00",
                "23:59",
                "24:00",
                "7:30",
                "17:3",
                "17",
                "17:30:15",
                "17:30:60",
                "17:30:61",
                "17:30:15.5",
                "17:30:15.123456789",
                "17:30.5",
                "17:30+08:00",
                "17:30Z",
            ] {
                candidates.push(format!("{date}{sep}{time}"));
            }
        }
    }
    let pattern = pattern("DateTime");
    let mut accepted = 0;
    for s in &candidates {
        if pattern.is_valid(&json!(s)) {
            accepted += 1;
            let value = toml::Value::String(s.clone());
            assert!(
                portsim::scenario::validate::values::parse_datetime(&value).is_ok(),
                "{s:?}: the pattern accepts it, the loader does not"
            );
        }
    }
    assert_eq!(accepted, 2 * (1 + 3 * 7), "documented forms accepted");
}
