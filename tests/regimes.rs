//! Dated regimes, to the minute: a shipment takes the regime in force when it arrives;
//! pools switch rosters and arrival rates change at the regime's first and last instant;
//! regimes overlap peaks, each other and holidays; bad regimes are located errors.
//! 2024-01-01 is a Monday (and, in these files, a holiday where said).

use portsim::model::flow::{ShipmentRecord, TraceSink};
use portsim::model::{Replication, ReplicationResult};
use portsim::scenario::load_str;

use crate::support::{portsim, rejected_text};

const MIN: f64 = 1.0 / 60.0;
const EPS: f64 = 1e-9;

/// (arrival, release) of each released shipment, hours since start, by arrival.
#[derive(Default)]
struct Recorder {
    rows: Vec<(f64, f64)>,
}

impl TraceSink for Recorder {
    fn shipment_released(&mut self, r: &ShipmentRecord<'_>) {
        self.rows.push((r.arrival.hours(), r.release.hours()));
    }
}

fn simulate(text: &str) -> (ReplicationResult, Vec<(f64, f64)>) {
    let loaded = load_str("regimes.toml", text, &[]).unwrap_or_else(|e| panic!("{e}"));
    let mut rec = Recorder::default();
    let result = Replication::new(&loaded.model, 0, Some(&mut rec)).run();
    let mut rows = rec.rows;
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    (result, rows)
}

/// Hours since Monday 2024-01-01 00:00 of day `day` (0-based) at hh:mm.
fn at(day: u32, hh: u32, mm: u32) -> f64 {
    f64::from(day) * 24.0 + f64::from(hh) + f64::from(mm) * MIN
}

fn assert_close(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() < EPS,
        "{what}: got {got} h, want {want} h ({:+.4} min)",
        (got - want) * 60.0
    );
}

/// One mode whose shipments wait `wait` (a delay) and are then served 6 minutes by one
/// officer of pool `servers` (roster `day` 09–17 or `always` 00–24), with `regimes`.
fn scenario(arrivals: &str, regimes: &str) -> String {
    format!(
        r#"
name = "regimes"
start = "2024-01-01"
horizon_days = 14
replications = 1
policy = "day"
holidays = ["2024-01-01"]
calendars.office = [{{ days = "Mon-Fri", start = "09:00", end = "17:00" }}]

{regimes}

[[pools]]
name = "servers"
rosters.day = [{{ days = "Mon-Sun", start = "09:00", end = "17:00", staff = 1 }}]
rosters.always = [{{ days = "Mon-Sun", start = "00:00", end = "24:00", staff = 1 }}]

[[modes]]
name = "customers"
arrivals = {{ kind = "list", at = [{arrivals}] }}
stages = [
  {{ name = "wait", delay = {{ dist = "deterministic", value = "1h" }} }},
  {{ name = "serve", pool = "servers", time = {{ dist = "deterministic", value = "6m" }} }},
]
"#
    )
}

#[test]
fn a_regime_from_midnight_changes_a_shipment_one_minute_later_not_one_minute_earlier() {
    // From Wednesday 3 January to Thursday 4 January inclusive, the wait is 5 h and the
    // pool works around the clock.
    let regime = r#"
[[regimes]]
name = "slow wait, all-day officers"
from = "2024-01-03"
to = "2024-01-04"
set = { "modes.customers.stages.wait.delay" = { dist = "deterministic", value = "5h" }, "pools.servers.roster" = "always" }
"#;
    let (_, rows) = simulate(&scenario(
        r#""2024-01-02 23:59", "2024-01-03 00:01", "2024-01-04 23:59", "2024-01-05 00:00""#,
        regime,
    ));
    assert_eq!(rows.len(), 4);
    // 23:59 the day before: the file's 1 h wait; at 00:59 the regime's pool is on duty.
    assert_close(
        rows[0].1,
        at(2, 1, 5),
        "23:59 before: 1 h wait, then served",
    );
    // 00:01: the regime's 5 h wait, served at once at 05:01.
    assert_close(rows[1].1, at(2, 5, 7), "00:01 inside: 5 h wait");
    // 23:59 on the last date: still the regime's wait (5 h, to 04:59 on Friday); the
    // regime has ended by then, so the day roster serves it from 09:00 — second, as
    // the next one joined the queue at 01:00.
    assert_close(
        rows[2].1,
        at(4, 9, 12),
        "23:59 of the last date: 5 h, then the day roster",
    );
    // 00:00 the day after: the file's 1 h wait, then first in the queue at 09:00.
    assert_close(
        rows[3].1,
        at(4, 9, 6),
        "00:00 after: 1 h wait, then the day roster",
    );
}

#[test]
fn a_pool_switches_roster_at_the_regime_instant_for_shipments_already_waiting() {
    // Arrives Tuesday 20:00 (day roster closed): waits; the all-day roster starts at
    // Wednesday 00:00 and serves it then, though it arrived before the regime.
    let regime = r#"
[[regimes]]
name = "round the clock"
from = "2024-01-03"
set = { "pools.servers.roster" = "always" }
"#;
    let (_, rows) = simulate(&scenario(r#""2024-01-02 20:00""#, regime));
    assert_close(rows[0].1, at(2, 0, 6), "served from 00:00 Wednesday");
    // Without the regime it waits until 09:00 Wednesday.
    let (_, rows) = simulate(&scenario(r#""2024-01-02 20:00""#, ""));
    assert_close(rows[0].1, at(2, 9, 6), "served from 09:00 Wednesday");
}

#[test]
fn a_regime_on_a_holiday_can_open_a_calendar_on_holidays() {
    // The delay counts 1 h of office hours. On the holiday Monday 1 January the office is
    // closed; a regime for that day opens it on holidays, for shipments arriving that day.
    let text = |regime: &str| {
        scenario(r#""2024-01-01 10:00", "2024-01-02 10:00""#, regime)
            .replace(
                r#"{ name = "wait", delay = { dist = "deterministic", value = "1h" } }"#,
                r#"{ name = "wait", delay = { dist = "deterministic", value = "1h" }, calendar = "office" }"#,
            )
            .replace(r#"policy = "day""#, r#"policy = "always""#)
    };
    let (_, rows) = simulate(&text(""));
    assert_close(
        rows[0].1,
        at(1, 10, 6),
        "holiday: waits for Tuesday 09:00, +1 h",
    );
    assert_close(rows[1].1, at(1, 11, 6), "Tuesday: 1 h of office time");
    let regime = r#"
[[regimes]]
name = "holiday opening"
from = "2024-01-01"
to = "2024-01-01"
set = { "calendars.office" = [{ days = "Mon-Fri", start = "09:00", end = "17:00", holidays = true }] }
"#;
    let (_, rows) = simulate(&text(regime));
    assert_close(rows[0].1, at(0, 11, 6), "holiday under the regime: open");
    assert_close(rows[1].1, at(1, 11, 6), "Tuesday: as before");
}

#[test]
fn overlapping_regimes_and_peaks_compose() {
    // Poisson arrivals at 100 an hour over 6 days; a peak (×1.5) on days 2–3 and a regime
    // doubling the rate on days 3–4; the two overlap on day 3 (×3). Expected arrivals:
    // 2400 × (1 + 1.5 + 3 + 2 + 1 + 1) = 22800; the count's sd is about 151.
    let text = r#"
name = "rates"
start = "2024-01-01"
horizon_days = 6
replications = 1
[[peaks]]
name = "rush"
from = "2024-01-02"
to = "2024-01-03"
arrival_factor = 1.5
[[regimes]]
name = "double"
from = "2024-01-03"
to = "2024-01-04"
set = { "modes.customers.arrivals.rate_per_hour" = 200 }
[[regimes]]
name = "quicker service"
from = "2024-01-04"
set = { "modes.customers.stages.serve.time.mean" = "1m" }
[[pools]]
name = "servers"
staff = 1000
[[modes]]
name = "customers"
arrivals = { kind = "poisson", rate_per_hour = 100 }
stages = [ { name = "serve", pool = "servers", time = { dist = "exponential", mean = "6m" } } ]
"#;
    let (result, rows) = simulate(text);
    let n = result.modes[0].arrivals as f64;
    assert!(
        (n - 22800.0).abs() < 4.0 * 151.0,
        "arrivals {n}, expected about 22800"
    );
    // Service: 6 min before day 4 (index 3), 1 min from then.
    let mean = |from: f64, to: f64| {
        let xs: Vec<f64> = rows
            .iter()
            .filter(|r| r.0 >= from && r.0 < to)
            .map(|r| r.1 - r.0)
            .collect();
        xs.iter().sum::<f64>() / xs.len() as f64
    };
    let before = mean(0.0, at(3, 0, 0));
    let after = mean(at(3, 0, 0), at(6, 0, 0));
    assert!((before - 0.1).abs() < 0.005, "before: {before} h");
    assert!((after - 1.0 / 60.0).abs() < 0.002, "after: {after} h");
}

#[test]
fn wildcards_set_every_matching_stage() {
    let regime = r#"
[[regimes]]
name = "all waits 2 h"
from = "2024-01-03"
set = { "modes.*.stages.wait.delay.value" = "2h" }
"#;
    let (_, rows) = simulate(&scenario(r#""2024-01-03 12:00""#, regime));
    assert_close(rows[0].1, at(2, 14, 6), "2 h wait, then served");
}

#[test]
fn validate_lists_regimes_and_the_summary_layout_carries_them() {
    let dir = tempfile::tempdir().unwrap();
    let regime = r#"
[[regimes]]
name = "round the clock"
from = "2024-01-03"
to = "2024-01-05"
set = { "pools.servers.roster" = "always" }
"#;
    std::fs::write(
        dir.path().join("r.toml"),
        scenario(r#""2024-01-02 20:00""#, regime),
    )
    .unwrap();
    let out = portsim()
        .current_dir(dir.path())
        .args(["validate", "r.toml"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains(
            "  regime \"round the clock\": 2024-01-03 to 2024-01-05; sets pools.servers.roster"
        ),
        "{stdout}"
    );
    let out = portsim()
        .current_dir(dir.path())
        .args(["run", "r.toml", "--json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let regimes = &json["calendar"]["regimes"];
    assert_eq!(regimes[0]["name"], "round the clock", "{json}");
    assert_eq!(regimes[0]["from"], "2024-01-03");
    assert_eq!(regimes[0]["to"], "2024-01-05");
}

/// `portsim validate` on `regimes` added to the scenario: exit 2, one line naming the
/// file, the line and key, containing each of `expected`.
fn rejected(regimes: &str, line: usize, expected: &[&str]) {
    rejected_text(&scenario(r#""2024-01-02 20:00""#, regimes), line, expected);
}

/// The line of the first `[[regimes]]` key below in [`scenario`] (the header is line 10).
const NAME: usize = 11;
const FROM: usize = 12;
const TO: usize = 13;
const SET: usize = 14;

fn one(body: &str) -> String {
    format!("[[regimes]]\nname = \"r\"\nfrom = \"2024-01-03\"\nto = \"2024-01-04\"\n{body}")
}

/// [`one`] regime putting the pool on `always`, then regime `name` from `from` putting it
/// on `day` (its `name` on line [`NAME`] + 5, its `set` on [`SET`] + 4).
fn then(name: &str, from: &str) -> String {
    format!(
        "{}\n[[regimes]]\nname = \"{name}\"\nfrom = \"{from}\"\nset = {{ \"pools.servers.roster\" = \"day\" }}",
        one(r#"set = { "pools.servers.roster" = "always" }"#)
    )
}

#[test]
fn a_path_outside_the_settable_tables_is_refused() {
    rejected(
        &one(r#"set = { "horizon_days" = 3 }"#),
        SET,
        &[
            "regimes.r.set.horizon_days: ",
            "calendars, reservations, pools, modes",
        ],
    );
}

#[test]
fn an_unknown_element_is_refused() {
    rejected(
        &one(r#"set = { "pools.nobody.roster" = "always" }"#),
        SET,
        &["no element named or numbered \"nobody\"", "servers"],
    );
}

#[test]
fn a_bad_key_inside_a_value_the_regime_sets_is_located_inside_it() {
    rejected(
        &one(
            r#"set = { "calendars.office" = [{ days = "Mon-Sun", start = "00:00", end = "24:00", opens = true }] }"#,
        ),
        SET,
        &[
            "regimes.r.set.calendars.office.0.opens:",
            "under regime \"r\"",
            "unknown field `opens`",
        ],
    );
}

#[test]
fn an_unknown_roster_is_refused_under_the_regime() {
    rejected(
        &one(r#"set = { "pools.servers.roster" = "night" }"#),
        SET,
        &[
            "under regime \"r\"",
            "no roster named \"night\"",
            "always, day",
        ],
    );
}

#[test]
fn overlapping_regimes_that_set_the_same_value_are_refused() {
    rejected(
        &then("s", "2024-01-04"),
        SET + 4,
        &[
            "\"r\"",
            "\"s\"",
            "from 2024-01-04 to 2024-01-04",
            "pools.servers.roster",
        ],
    );
}

#[test]
fn a_regime_ending_before_it_starts_is_refused() {
    rejected(
        "[[regimes]]\nname = \"r\"\nfrom = \"2024-01-05\"\nto = \"2024-01-04\"\nset = { \"pools.servers.roster\" = \"always\" }",
        TO,
        &["ends (2024-01-04) before it starts (2024-01-05)"],
    );
}

#[test]
fn a_bad_date_is_refused() {
    rejected(
        &one(r#"set = { "pools.servers.roster" = "always" }"#).replace("2024-01-03", "2024-13-03"),
        FROM,
        &["regimes.r.from: ", "expected a date"],
    );
}

#[test]
fn a_duplicate_name_is_refused() {
    rejected(
        &then("r", "2025-01-04"),
        NAME + 5,
        &["a regime named \"r\" is already defined"],
    );
}

#[test]
fn an_empty_set_is_refused() {
    rejected(
        &one("set = {}"),
        SET,
        &["expected at least one value to set"],
    );
}

#[test]
fn renaming_or_moving_a_stage_is_refused() {
    rejected(
        &one(r#"set = { "modes.customers.stages.serve.pool" = "other" }"#),
        SET,
        &["cannot change `pool`"],
    );
    rejected(
        &one(r#"set = { "modes.customers.name" = "other" }"#),
        SET,
        &["cannot change `name`"],
    );
}

#[test]
fn a_value_invalid_under_the_regime_is_located_at_its_set_key() {
    rejected(
        &one(r#"set = { "modes.customers.stages.serve.time.value" = "-5m" }"#),
        SET,
        &[
            "under regime \"r\"",
            "modes.customers.stages.serve.time.value",
        ],
    );
}

#[test]
fn reshaping_arrivals_is_refused() {
    rejected(
        &one(r#"set = { "modes.customers.arrivals.at" = ["2024-01-05 10:00"] }"#),
        SET,
        &["under regime \"r\"", "not the shape of arrivals"],
    );
}

#[test]
fn an_unknown_key_in_a_regime_is_refused() {
    rejected(
        &one(r#"sets = { "pools.servers.roster" = "always" }"#),
        SET,
        &["unknown field `sets`"],
    );
}

#[test]
fn a_wildcard_that_matches_nothing_is_refused() {
    rejected(
        &one(r#"set = { "modes.*.stages.lab.calendar" = "office" }"#),
        SET,
        &["matches nothing"],
    );
}

#[test]
fn changing_a_stage_kind_is_refused() {
    rejected(
        &one(r#"set = { "modes.customers.stages.wait.pool" = "servers" }"#),
        SET,
        &["cannot change `pool`"],
    );
    rejected(
        &one(
            r#"set = { "modes.customers.stages.wait.time" = { dist = "deterministic", value = "1m" } }"#,
        ),
        SET,
        &["under regime \"r\""],
    );
}

#[test]
fn a_disabled_regime_changes_nothing_and_can_be_switched_on_with_set() {
    let regime = r#"
[[regimes]]
name = "round the clock"
from = "2024-01-03"
enabled = false
set = { "pools.servers.roster" = "always" }
"#;
    let text = scenario(r#""2024-01-02 20:00""#, regime);
    let (_, rows) = simulate(&text);
    assert_close(
        rows[0].1,
        at(2, 9, 6),
        "disabled: served from 09:00 Wednesday",
    );
    let on = portsim::scenario::Override::parse("regimes.round the clock.enabled=true").unwrap();
    let loaded = load_str("regimes.toml", &text, &[on]).unwrap();
    let mut rec = Recorder::default();
    Replication::new(&loaded.model, 0, Some(&mut rec)).run();
    assert_close(
        rec.rows[0].1,
        at(2, 0, 6),
        "enabled by --set: served from 00:00",
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.toml"), &text).unwrap();
    let out = portsim()
        .current_dir(dir.path())
        .args(["validate", "r.toml"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("sets pools.servers.roster (disabled)"),
        "{stdout}"
    );
}
