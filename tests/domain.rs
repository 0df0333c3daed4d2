//! Domain features, pinned to the minute on tiny deterministic scenarios: timetables,
//! replayed arrival logs, peaks, parallel branches, working-hour delays, make-up
//! workdays, on-call officers and the fast track, reservations, milestones, the summary
//! JSON blocks, and bad input for every key these features add. 2024-01-01 is a Monday.

use portsim::model::flow::{ShipmentRecord, TraceSink};
use portsim::model::shipment::StageTimes;
use portsim::model::{Model, Replication, ReplicationResult};
use portsim::scenario::{load, load_str};

use crate::support::portsim;

/// Tolerance for times, hours: well under a second.
const EPS: f64 = 1e-9;

/// One counted shipment as the trace shows it (times in hours since the start).
#[derive(Clone, Debug)]
struct Row {
    mode: String,
    priority: bool,
    reserved: bool,
    channel: String,
    arrival: f64,
    lodgement: f64,
    release: f64,
    exit: f64,
    clearance: f64,
    stages: Vec<(String, StageTimes)>,
}

impl Row {
    /// The visit of stage `name`.
    fn stage(&self, name: &str) -> StageTimes {
        self.stages
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no stage {name:?} in {:?}", self.stages))
            .1
    }

    /// When the first stage started.
    fn start(&self) -> f64 {
        self.stages[0].1.started
    }
}

#[derive(Default)]
struct Recorder(Vec<Row>);

impl TraceSink for Recorder {
    fn shipment_released(&mut self, r: &ShipmentRecord<'_>) {
        self.0.push(Row {
            mode: r.mode.name.clone(),
            priority: r.priority,
            reserved: r.reserved,
            channel: r.channel.name.clone(),
            arrival: r.arrival.hours(),
            lodgement: r.lodgement.hours(),
            release: r.release.hours(),
            exit: r.exit.hours(),
            clearance: r.clearance_hours,
            stages: r.stages.iter().map(|(n, t)| (n.to_string(), *t)).collect(),
        });
    }
}

/// Runs replication `rep` of `model`; rows sorted by arrival, then by first start.
fn simulate_model(model: &Model, rep: u32) -> (ReplicationResult, Vec<Row>) {
    let mut rec = Recorder::default();
    let result = Replication::new(model, rep, Some(&mut rec)).run();
    let mut rows = rec.0;
    rows.sort_by(|a, b| {
        a.arrival
            .total_cmp(&b.arrival)
            .then(a.start().total_cmp(&b.start()))
    });
    (result, rows)
}

/// Loads scenario text and runs its first replication.
fn simulate(text: &str) -> (ReplicationResult, Vec<Row>) {
    let loaded = load_str("domain.toml", text, &[]).unwrap_or_else(|e| panic!("{e}"));
    simulate_model(&loaded.model, 0)
}

/// Hours since Monday 2024-01-01 00:00 of day `day` (0-based) at hh:mm.
fn at(day: u32, hh: u32, mm: u32) -> f64 {
    f64::from(day) * 24.0 + f64::from(hh) + f64::from(mm) / 60.0
}

/// A time as "day N hh:mm:ss" for messages.
fn show(t: f64) -> String {
    let secs = (t * 3600.0).round() as i64;
    format!(
        "day {} {:02}:{:02}:{:02}",
        secs / 86_400,
        secs % 86_400 / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

fn assert_time(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() < EPS,
        "{what}: got {} ({got} h), want {} ({want} h)",
        show(got),
        show(want)
    );
}

fn assert_close(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() < 1e-9, "{what}: got {got}, want {want}");
}

/// Writes `files` into a fresh temporary directory and runs `portsim ARGS` there: exit
/// code, stdout, stderr.
fn portsim_in(files: &[(&str, &str)], args: &[&str]) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("writes a fixture");
    }
    let out = portsim()
        .current_dir(dir.path())
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .args(args)
        .output()
        .expect("runs portsim");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `portsim run scenario.toml --json` with `files` (one of them `scenario.toml`).
fn run_json(files: &[(&str, &str)]) -> serde_json::Value {
    let (code, stdout, stderr) = portsim_in(files, &["run", "scenario.toml", "--json"]);
    assert_eq!(code, Some(0), "portsim run failed: {stderr}");
    serde_json::from_str(&stdout).expect("stdout is one JSON document")
}

/// The number at `pointer` (`/overall/clearance_hours/mean`) of a JSON document.
fn num(v: &serde_json::Value, pointer: &str) -> f64 {
    v.pointer(pointer)
        .and_then(serde_json::Value::as_f64)
        .unwrap_or_else(|| panic!("no number at {pointer}: {:?}", v.pointer(pointer)))
}

fn assert_json(v: &serde_json::Value, pointer: &str, want: f64) {
    let got = num(v, pointer);
    assert!(
        (got - want).abs() < 1e-9,
        "{pointer}: got {got}, want {want}"
    );
}

// ---- 1. Timetables ------------------------------------------------------------------

/// A timetable with one service.
fn timetable(service_extra: &str, timetable_extra: &str) -> String {
    format!(
        r#"
name = "timetable"
start = "2024-01-01"
horizon_days = 14
replications = 1
[[modes]]
name = "rail"
arrivals = {{ kind = "timetable"{timetable_extra}, services = [ {{ days = "Mon,Thu", time = "06:30", batch = {{ dist = "constant", value = 3 }}{service_extra} }} ] }}
stages = [{{ name = "unload", delay = {{ dist = "deterministic", value = "10m" }} }}]
"#
    )
}

/// The scheduled times of "Mon,Thu 06:30" in two weeks: Mon 1st, Thu 4th, Mon 8th,
/// Thu 11th.
fn mon_thu_0630() -> [f64; 4] {
    [at(0, 6, 30), at(3, 6, 30), at(7, 6, 30), at(10, 6, 30)]
}

/// A timetable service brings its whole batch at exactly its scheduled time on each of
/// its weekdays; a cancellation probability of 1 (per service or for the whole
/// timetable) brings nothing; jitter only ever makes a service late, never early, and
/// the whole batch arrives together.
#[test]
fn timetable_services_bring_batches_on_time_cancelled_or_late() {
    let (result, rows) = simulate(&timetable("", ""));
    let got: Vec<f64> = rows.iter().map(|r| r.arrival).collect();
    let want: Vec<f64> = mon_thu_0630().iter().flat_map(|&t| [t, t, t]).collect();
    assert_eq!(got.len(), 12, "3 shipments × 4 services: {got:?}");
    for (g, w) in got.iter().zip(&want) {
        assert_time(*g, *w, "arrival at the scheduled time");
    }
    assert_eq!(result.modes[0].arrivals, 12);
    for r in &rows {
        assert_time(
            r.release,
            r.arrival + 10.0 / 60.0,
            "unloaded 10 minutes later",
        );
    }

    // Cancelled for sure: no arrivals at all.
    for text in [
        timetable(", cancel_probability = 1.0", ""),
        timetable("", ", cancel_probability = 1.0"),
    ] {
        let (result, rows) = simulate(&text);
        assert_eq!(
            result.modes[0].arrivals, 0,
            "cancelled services bring nothing"
        );
        assert!(rows.is_empty(), "{rows:?}");
    }

    // Up to 3 hours late, never early; the batch stays together.
    let text = timetable(
        r#", jitter = { dist = "uniform", min = "0m", max = "3h" }"#,
        "",
    );
    let loaded = load_str("timetable.toml", &text, &[]).unwrap_or_else(|e| panic!("{e}"));
    let mut late = 0;
    for rep in 0..10 {
        let (_, rows) = simulate_model(&loaded.model, rep);
        assert_eq!(rows.len(), 12, "replication {rep}: 12 shipments");
        for (k, sched) in mon_thu_0630().iter().enumerate() {
            let batch = &rows[3 * k..3 * k + 3];
            let t = batch[0].arrival;
            assert!(
                batch.iter().all(|r| r.arrival == t),
                "replication {rep}: the batch of service {k} arrives together: {:?}",
                batch.iter().map(|r| show(r.arrival)).collect::<Vec<_>>()
            );
            assert!(
                t >= *sched - EPS && t <= sched + 3.0 + EPS,
                "replication {rep}: service {k} scheduled {} arrived {}",
                show(*sched),
                show(t)
            );
            if t > sched + EPS {
                late += 1;
            }
        }
    }
    assert!(late > 30, "jitter made only {late} of 40 services late");
}

// ---- 2. Replayed arrival logs ------------------------------------------------------------

const REPLAY: &str = r#"
name = "replay"
start = "2024-01-01"
horizon_days = 7
replications = 1
[[pools]]
name = "officers"
rosters.office = [{ days = "Mon-Fri", start = "09:00", end = "17:00", staff = 1 }]
[[modes]]
name = "air"
arrivals = { kind = "trace", file = "log.csv" }
[[modes.channels]]
name = "green"
share = 1.0
stages = [{ name = "release", delay = { dist = "deterministic", value = "0s" } }]
[[modes.channels]]
name = "red"
share = 0.0
stages = [{ name = "inspect", pool = "officers", time = { dist = "deterministic", value = "1h" } }]
[[modes]]
name = "sea"
arrivals = { kind = "trace", file = "log.csv" }
stages = [{ name = "berth", delay = { dist = "deterministic", value = "15m" } }]
"#;

const REPLAY_LOG: &str = "timestamp,mode,class,channel,vessel
2024-01-02 07:00,air,normal,red,LH8400
2024-01-02 07:30,sea,,,MSC Anna
2024-01-02 08:00,air,priority,red,LH8401
2024-01-02 08:30:30,air,,,LH8402
2024-01-03 11:15,sea,,,MSC Bea
2024-01-08 10:00,air,normal,red,after the horizon
";

/// A `trace` mode replays the rows of its own mode from the log (found next to the
/// scenario file), at the logged times to the second; a `class` of "priority" puts the
/// shipment in the priority class (served first), and `channel` fixes its channel even
/// against the channel shares. A malformed row makes loading fail with a message naming
/// the log file and the row's line.
#[test]
fn a_trace_replays_its_modes_rows_with_their_class_and_channel() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("scenario.toml");
    std::fs::write(&scenario, REPLAY).unwrap();
    std::fs::write(dir.path().join("log.csv"), REPLAY_LOG).unwrap();
    let loaded = load(&scenario, &[]).unwrap_or_else(|e| panic!("{e}"));
    let (result, rows) = simulate_model(&loaded.model, 0);

    let air: Vec<&Row> = rows.iter().filter(|r| r.mode == "air").collect();
    let sea: Vec<&Row> = rows.iter().filter(|r| r.mode == "sea").collect();
    assert_eq!(
        result.modes[0].arrivals, 3,
        "air: 3 rows before the horizon"
    );
    assert_eq!(result.modes[1].arrivals, 2, "sea: its own 2 rows");
    assert_eq!(air.len(), 3);
    assert_eq!(sea.len(), 2);

    // Sea: its rows only, at the logged times.
    assert_time(sea[0].arrival, at(1, 7, 30), "sea row 1");
    assert_time(sea[1].arrival, at(2, 11, 15), "sea row 2");
    assert_time(sea[1].release, at(2, 11, 30), "sea row 2 released");

    // Air 07:00, normal, red: waits behind the priority shipment that came later.
    let normal = air[0];
    assert_time(normal.arrival, at(1, 7, 0), "air 07:00 arrival");
    assert!(!normal.priority, "class normal");
    assert_eq!(normal.channel, "red", "channel from the log");
    assert_time(
        normal.start(),
        at(1, 10, 0),
        "normal starts after the priority one",
    );
    assert_time(normal.release, at(1, 11, 0), "normal released");

    // Air 08:00, priority, red: first when the office opens.
    let priority = air[1];
    assert_time(priority.arrival, at(1, 8, 0), "air 08:00 arrival");
    assert!(priority.priority, "class priority");
    assert_eq!(
        priority.channel, "red",
        "channel from the log, not the shares"
    );
    assert_time(
        priority.start(),
        at(1, 9, 0),
        "priority served first at 09:00",
    );
    assert_time(priority.release, at(1, 10, 0), "priority released");

    // Air 08:30:30, no class or channel: drawn (normal, green).
    let drawn = air[2];
    assert_time(drawn.arrival, at(1, 8, 30) + 30.0 / 3600.0, "air 08:30:30");
    assert!(!drawn.priority);
    assert_eq!(drawn.channel, "green");
    assert_time(drawn.release, drawn.arrival, "green is a 0 s delay");

    // A malformed timestamp on line 4 of the log.
    let bad = REPLAY_LOG.replace("2024-01-02 08:00,air", "2024-01-02 8:00,air");
    std::fs::write(dir.path().join("log.csv"), bad).unwrap();
    let err = load(&scenario, &[]).expect_err("a malformed row is an error");
    let message = err.to_string();
    assert!(
        message.contains("log.csv:4"),
        "names the log and the row's line: {message}"
    );
}

// ---- 3. Peaks --------------------------------------------------------------------------

/// Extra staff in a peak (from/to inclusive dates) join only while the roster has
/// officers on duty: with one rostered officer and two extra, three shipments are served
/// in parallel during shifts on the peak dates, one at a time on other dates, and none
/// outside shifts, even on peak dates; the extras go home with the shift.
#[test]
fn peak_extra_staff_works_only_within_shifts_on_the_peak_dates() {
    let text = r#"
name = "peak staff"
start = "2024-01-01"
horizon_days = 7
replications = 1
[[peaks]]
name = "mid-week rush"
from = "2024-01-03"
to = "2024-01-04"
extra_staff = { servers = 2 }
[[pools]]
name = "servers"
rosters.office = [{ days = "Mon-Fri", start = "09:00", end = "17:00", staff = 1 }]
[[modes]]
name = "road"
arrivals = { kind = "list", at = [
  "2024-01-02 08:00", "2024-01-02 08:00", "2024-01-02 08:00",
  "2024-01-03 08:00", "2024-01-03 08:00", "2024-01-03 08:00", "2024-01-03 08:00",
  "2024-01-03 20:00", "2024-01-03 20:00", "2024-01-03 20:00",
  "2024-01-04 16:30", "2024-01-04 16:30", "2024-01-04 16:30", "2024-01-04 16:30",
  "2024-01-05 12:00", "2024-01-05 12:00",
] }
stages = [{ name = "inspect", pool = "servers", time = { dist = "deterministic", value = "1h" } }]
"#;
    let (result, rows) = simulate(text);
    let starts: Vec<f64> = rows.iter().map(Row::start).collect();
    let want = [
        // Tuesday, before the peak: one officer.
        at(1, 9, 0),
        at(1, 10, 0),
        at(1, 11, 0),
        // Wednesday, first peak day: three officers from 09:00.
        at(2, 9, 0),
        at(2, 9, 0),
        at(2, 9, 0),
        at(2, 10, 0),
        // Wednesday 20:00, peak date but no shift: nobody until Thursday 09:00.
        at(3, 9, 0),
        at(3, 9, 0),
        at(3, 9, 0),
        // Thursday 16:30, last peak day (inclusive): three at once; the fourth waits
        // past 17:00, when the extras leave with the shift, until Friday 09:00.
        at(3, 16, 30),
        at(3, 16, 30),
        at(3, 16, 30),
        at(4, 9, 0),
        // Friday, after the peak: one officer.
        at(4, 12, 0),
        at(4, 13, 0),
    ];
    assert_eq!(starts.len(), want.len());
    for (i, (g, w)) in starts.iter().zip(&want).enumerate() {
        assert_time(
            *g,
            *w,
            &format!("shipment {i} (arrived {})", show(rows[i].arrival)),
        );
    }
    let pool = &result.pools[0];
    // 5 weekdays × 8 h × 1 officer + 2 peak days × 8 h × 2 extra.
    assert_close(pool.staff_hours, 72.0, "staff-hours");
    // Three officers finish Thursday's 16:30 services at 17:30, over a headcount of 0.
    assert_close(pool.overtime_hours, 1.5, "overtime");
}

/// `arrival_factor` multiplies the Poisson rate from 00:00 of `from` to 24:00 of `to`,
/// and nowhere else (counts within 4 standard deviations).
#[test]
fn peak_arrival_factor_doubles_the_rate_within_its_dates() {
    let text = r#"
name = "peak arrivals"
start = "2024-01-01"
horizon_days = 21
replications = 1
[[peaks]]
name = "rush week"
from = "2024-01-08"
to = "2024-01-14"
arrival_factor = 2.0
[[modes]]
name = "road"
arrivals = { kind = "poisson", rate_per_hour = 2.0 }
stages = [{ name = "pass", delay = { dist = "deterministic", value = "0s" } }]
"#;
    let (_, rows) = simulate(text);
    let (from, to) = (at(7, 0, 0), at(14, 0, 0));
    let inside = rows
        .iter()
        .filter(|r| (from..to).contains(&r.arrival))
        .count() as f64;
    let outside = rows.len() as f64 - inside;
    // 7 days at 4/h; 14 days at 2/h.
    let (want_in, want_out) = (4.0 * 168.0, 2.0 * 336.0);
    assert!(
        (inside - want_in).abs() < 4.0 * want_in.sqrt(),
        "arrivals in the peak: {inside}, expected {want_in}"
    );
    assert!(
        (outside - want_out).abs() < 4.0 * want_out.sqrt(),
        "arrivals outside the peak: {outside}, expected {want_out}"
    );
}

// ---- 4. Parallel branches --------------------------------------------------------------

/// A parallel stage runs its branches at the same time, each at its own pool, and ends
/// when the last branch ends (max(1 h, 3 h) = 3 h); each branch queues at its pool on
/// its own; the trace shows the parallel stage and both branch stages.
#[test]
fn parallel_branches_run_together_and_release_after_the_longest() {
    let text = r#"
name = "parallel"
start = "2024-01-01"
horizon_days = 3
replications = 1
[[pools]]
name = "customs"
staff = 1
[[pools]]
name = "quarantine"
staff = 1
[[modes]]
name = "sea"
arrivals = { kind = "list", at = ["2024-01-02 10:00", "2024-01-02 10:30"] }
stages = [
  { name = "checks", branches = [
    { name = "customs", stages = [{ name = "review", pool = "customs", time = { dist = "deterministic", value = "1h" } }] },
    { name = "quarantine", stages = [{ name = "inspect", pool = "quarantine", time = { dist = "deterministic", value = "3h" } }] },
  ] },
]
"#;
    let (result, rows) = simulate(text);
    assert_eq!(rows.len(), 2);
    let first = &rows[0];
    let names: Vec<&str> = first.stages.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.len(), 3, "checks and both branch stages: {names:?}");
    for n in ["checks", "review", "inspect"] {
        assert!(names.contains(&n), "trace shows {n}: {names:?}");
    }
    let (checks, review, inspect) = (
        first.stage("checks"),
        first.stage("review"),
        first.stage("inspect"),
    );
    assert_time(
        review.started,
        at(1, 10, 0),
        "customs review starts at once",
    );
    assert_time(review.ended, at(1, 11, 0), "customs review takes 1 h");
    assert_time(
        inspect.started,
        at(1, 10, 0),
        "quarantine starts at once too",
    );
    assert_time(inspect.ended, at(1, 13, 0), "quarantine takes 3 h");
    assert_time(checks.entered, at(1, 10, 0), "parallel stage entered");
    assert_time(
        checks.ended,
        at(1, 13, 0),
        "parallel stage ends with the last branch",
    );
    assert_time(first.release, at(1, 13, 0), "released after max(1 h, 3 h)");
    // Both pools busy at the same time.
    assert!(
        review.started.max(inspect.started) < review.ended.min(inspect.ended),
        "the two services overlap: review {review:?}, inspect {inspect:?}"
    );

    // The second shipment queues at each pool separately.
    let second = &rows[1];
    assert_time(
        second.stage("review").started,
        at(1, 11, 0),
        "second review",
    );
    assert_time(
        second.stage("inspect").started,
        at(1, 13, 0),
        "second inspection",
    );
    assert_time(second.release, at(1, 16, 0), "second released");
    assert_close(result.pools[0].busy_hours, 2.0, "customs busy hours");
    assert_close(result.pools[1].busy_hours, 6.0, "quarantine busy hours");
}

// ---- 5. Working-hour delays ------------------------------------------------------------

/// A delay with a `calendar` counts only the calendar's open hours: 3.75 h entered
/// Friday 17:00 in Mon–Fri 08:30–18:00 is 1 h on Friday and 2.75 h on Monday, ending
/// Monday 11:15.
#[test]
fn a_delay_counts_only_working_hours_of_its_calendar() {
    let text = r#"
name = "trader query"
start = "2024-01-01"
horizon_days = 14
replications = 1
calendars.trader = [{ days = "Mon-Fri", start = "08:30", end = "18:00" }]
[[modes]]
name = "air"
arrivals = { kind = "list", at = ["2024-01-05 17:00"] }
stages = [{ name = "query", delay = { dist = "deterministic", value = "3.75h" }, calendar = "trader" }]
"#;
    let (_, rows) = simulate(text);
    assert_eq!(rows.len(), 1);
    let q = rows[0].stage("query");
    assert_time(q.entered, at(4, 17, 0), "entered Friday 17:00");
    assert_time(q.ended, at(7, 11, 15), "ends Monday 11:15");
    assert_time(rows[0].release, at(7, 11, 15), "released Monday 11:15");
}

// ---- 6. Make-up workdays ---------------------------------------------------------------

/// A make-up working day (`workdays`, here Saturday 2024-01-06) is worked by a Mon–Fri
/// roster as a weekday; the Sunday after is not.
#[test]
fn a_make_up_saturday_is_worked_by_a_weekday_roster() {
    let scenario = |workdays: &str| {
        format!(
            r#"
name = "make-up day"
start = "2024-01-01"
horizon_days = 14
replications = 1
workdays = [{workdays}]
[[pools]]
name = "servers"
rosters.office = [{{ days = "Mon-Fri", start = "09:00", end = "17:00", staff = 1 }}]
[[modes]]
name = "road"
arrivals = {{ kind = "list", at = ["2024-01-06 08:00", "2024-01-06 10:00", "2024-01-07 10:00"] }}
stages = [{{ name = "serve", pool = "servers", time = {{ dist = "deterministic", value = "30m" }} }}]
"#
        )
    };
    let (_, rows) = simulate(&scenario(r#""2024-01-06""#));
    assert_time(
        rows[0].start(),
        at(5, 9, 0),
        "Saturday 08:00 waits for 09:00",
    );
    assert_time(
        rows[1].start(),
        at(5, 10, 0),
        "Saturday 10:00 is served at once",
    );
    assert_time(
        rows[2].start(),
        at(7, 9, 0),
        "Sunday waits for Monday 09:00",
    );

    // Without the make-up day, Saturday is closed.
    let (_, rows) = simulate(&scenario(""));
    assert_time(
        rows[0].start(),
        at(7, 9, 0),
        "ordinary Saturday: Monday 09:00",
    );
    assert_time(
        rows[1].start(),
        at(7, 9, 30),
        "ordinary Saturday: after the first",
    );
}

// ---- 7. Fast track and on-call officers ------------------------------------------------

const ON_CALL: &str = r#"
name = "on call"
start = "2024-01-01"
horizon_days = 7
replications = 1
[[pools]]
name = "officers"
rosters.base = [
  { days = "Mon-Fri", start = "09:00", end = "17:00", staff = 1 },
  { days = "Mon-Sun", start = "17:00", end = "09:00", staff = 1, serves = "reserved" },
]
[[modes]]
name = "express"
priority_share = 1.0
arrivals = { kind = "list", at = ["2024-01-02 22:00"] }
stages = [{ name = "serve", pool = "officers", time = { dist = "deterministic", value = "30m" } }]
[[modes]]
name = "general"
arrivals = { kind = "list", at = ["2024-01-02 22:00"] }
stages = [{ name = "serve", pool = "officers", time = { dist = "deterministic", value = "30m" } }]
"#;

/// An on-call shift (`serves = "reserved"`) serves the priority class at once outside
/// office hours, while a normal shipment arriving at the same moment waits for the
/// general shift at 09:00 even though the on-call officer is idle. The pool's JSON block
/// reports the on-call officer-hours (16 h a night, 7 nights) and the 30 min busy.
#[test]
fn on_call_officers_serve_the_fast_track_only() {
    let (result, rows) = simulate(ON_CALL);
    assert_eq!(rows.len(), 2);
    let express = rows.iter().find(|r| r.mode == "express").unwrap();
    let general = rows.iter().find(|r| r.mode == "general").unwrap();
    assert!(express.priority && !general.priority);
    assert_time(
        express.start(),
        at(1, 22, 0),
        "priority served at once at 22:00",
    );
    assert_time(express.release, at(1, 22, 30), "priority released 22:30");
    assert_time(general.start(), at(2, 9, 0), "normal waits until 09:00");
    assert_close(
        result.pools[0].on_call_busy_hours,
        0.5,
        "on-call busy hours",
    );

    let v = run_json(&[("scenario.toml", ON_CALL)]);
    let on_call = num(&v, "/pools/officers/on_call_hours");
    assert!(on_call > 0.0, "on_call_hours = {on_call}");
    // 17:00–09:00 every night of the week: 16 h × 7 within the 168 h window.
    assert_json(&v, "/pools/officers/on_call_hours", 16.0 * 7.0);
    assert_json(&v, "/pools/officers/on_call_busy_hours", 0.5);
    // General officers: 5 days × 8 h.
    assert_json(&v, "/pools/officers/staff_hours", 40.0);
}

// ---- 8. Reservations -------------------------------------------------------------------

/// A shipment may reserve off-hours service only if it could be booked in office hours
/// at least `lead_time` before it arrives: Tuesday 02:00 is 9 h after Monday's 17:00
/// closing (≥ 8 h, reserved, served at once by the on-call officer), Tuesday 01:00
/// exactly 8 h (reserved), Monday 20:00 only 3 h (not reserved, waits for 09:00).
#[test]
fn reservations_need_the_lead_time_after_office_hours() {
    let text = r#"
name = "reservations"
start = "2024-01-01"
horizon_days = 7
replications = 1
calendars.office = [{ days = "Mon-Fri", start = "09:00", end = "17:00" }]
[reservations]
office_hours = "office"
lead_time = "8h"
[[pools]]
name = "officers"
rosters.base = [
  { days = "Mon-Fri", start = "09:00", end = "17:00", staff = 1 },
  { days = "Mon-Sun", start = "17:00", end = "09:00", staff = 1, serves = "reserved" },
]
[[modes]]
name = "road"
reservation_share = 1.0
arrivals = { kind = "list", at = ["2024-01-01 20:00", "2024-01-02 01:00", "2024-01-02 02:00"] }
stages = [{ name = "serve", pool = "officers", time = { dist = "deterministic", value = "30m" } }]
"#;
    let (_, rows) = simulate(text);
    assert_eq!(rows.len(), 3);
    let (late_booking, exact, early_booking) = (&rows[0], &rows[1], &rows[2]);

    assert_time(late_booking.arrival, at(0, 20, 0), "Monday 20:00");
    assert!(!late_booking.reserved, "3 h after closing: not reserved");
    assert_time(late_booking.start(), at(1, 9, 0), "waits for Tuesday 09:00");

    assert_time(exact.arrival, at(1, 1, 0), "Tuesday 01:00");
    assert!(exact.reserved, "exactly 8 h after closing: reserved");
    assert_time(exact.start(), at(1, 1, 0), "served at once");

    assert_time(early_booking.arrival, at(1, 2, 0), "Tuesday 02:00");
    assert!(early_booking.reserved, "9 h after closing: reserved");
    assert_time(early_booking.start(), at(1, 2, 0), "served at once");
    assert!(
        rows.iter().all(|r| !r.priority),
        "reservation is not priority"
    );
}

// ---- 9. Milestones ---------------------------------------------------------------------

fn milestones(interval: &str) -> String {
    format!(
        r#"
name = "milestones"
start = "2024-01-01"
horizon_days = 3
replications = 1
{interval}
[[pools]]
name = "officers"
staff = 1
[[modes]]
name = "road"
lodgement = {{ dist = "deterministic", value = "2h" }}
exit = {{ dist = "deterministic", value = "30m" }}
arrivals = {{ kind = "list", at = ["2024-01-02 10:00"] }}
stages = [{{ name = "serve", pool = "officers", time = {{ dist = "deterministic", value = "1h" }} }}]
"#
    )
}

/// Lodgement comes `lodgement` after arrival and exit `exit` after release; the
/// clearance time is lodgement→release by default (1 h, without the 2 h before
/// lodgement) and arrival→exit with `clearance_interval = "arrival-exit"` (2 h + 1 h +
/// 30 min); the summary reports the milestone intervals and names the interval.
#[test]
fn milestones_and_the_clearance_interval() {
    let (_, rows) = simulate(&milestones(""));
    let r = &rows[0];
    assert_time(r.arrival, at(1, 10, 0), "arrival");
    assert_time(r.lodgement, at(1, 12, 0), "lodgement 2 h later");
    assert_time(r.start(), at(1, 12, 0), "stages start at lodgement");
    assert_time(r.release, at(1, 13, 0), "release");
    assert_time(r.exit, at(1, 13, 30), "exit 30 min after release");
    assert_close(r.clearance, 1.0, "default clearance: lodgement→release");

    let (_, rows) = simulate(&milestones(r#"clearance_interval = "arrival-exit""#));
    assert_close(rows[0].clearance, 3.5, "arrival→exit");

    let v = run_json(&[("scenario.toml", &milestones(""))]);
    assert_eq!(v["overall"]["clearance_interval"], "lodgement-release");
    assert_json(&v, "/overall/clearance_hours/mean", 1.0);
    assert_json(&v, "/overall/milestones/arrival_to_lodgement/mean", 2.0);
    assert_json(&v, "/overall/milestones/lodgement_to_release/mean", 1.0);
    assert_json(&v, "/overall/milestones/release_to_exit/mean", 0.5);

    let v = run_json(&[(
        "scenario.toml",
        &milestones(r#"clearance_interval = "arrival-exit""#),
    )]);
    assert_eq!(v["overall"]["clearance_interval"], "arrival-exit");
    assert_json(&v, "/overall/clearance_hours/mean", 3.5);
    assert_json(&v, "/overall/milestones/arrival_to_lodgement/mean", 2.0);
    assert_json(&v, "/overall/milestones/release_to_exit/mean", 0.5);
}

// ---- 10. Summary JSON blocks -------------------------------------------------------------

const BLOCKS: &str = r#"
name = "blocks"
start = "2024-01-01"
horizon_days = 3
replications = 1
sla = "1h"
[[pools]]
name = "officers"
staff = 1
[[modes]]
name = "air"
arrivals = { kind = "trace", file = "log.csv" }
[[modes.channels]]
name = "green"
share = 0.5
stages = [{ name = "document_check", pool = "officers", time = { dist = "deterministic", value = "30m" } }]
[[modes.channels]]
name = "red"
share = 0.5
stages = [
  { name = "document_check", pool = "officers", time = { dist = "deterministic", value = "30m" } },
  { name = "inspection", pool = "officers", time = { dist = "deterministic", value = "1h" } },
]
"#;

/// A: green, normal; B: red, priority; C: red, normal. One officer.
const BLOCKS_LOG: &str = "timestamp,mode,class,channel
2024-01-02 10:00,air,normal,green
2024-01-02 10:00,air,priority,red
2024-01-02 10:10,air,normal,red
";

/// The summary's SLA share, per-channel and per-class clearance, and per-stage wait and
/// service agree with a hand simulation. One officer: A (green) 10:00–10:30; B (red,
/// priority) checked 10:30–11:00, inspected 11:30–12:30; C (red) arrived 10:10, checked
/// 11:00–11:30, inspected 12:30–13:30. Clearance A 0.5 h, B 2.5 h, C 3 h 20 min; only A
/// within the 1 h SLA.
#[test]
fn summary_blocks_agree_with_a_hand_simulation() {
    let v = run_json(&[("scenario.toml", BLOCKS), ("log.csv", BLOCKS_LOG)]);
    let (a, b, c) = (0.5, 2.5, 3.0 + 20.0 / 60.0);
    assert_eq!(v["sla_hours"], 1.0);
    assert_eq!(v["overall"]["released"], 3);
    assert_json(&v, "/overall/clearance_hours/mean", (a + b + c) / 3.0);
    assert_json(&v, "/overall/sla_share/mean", 1.0 / 3.0);

    assert_eq!(v["overall"]["channels"]["green"]["released"], 1);
    assert_json(&v, "/overall/channels/green/clearance_hours/mean", a);
    assert_json(&v, "/overall/channels/green/sla_share/mean", 1.0);
    assert_eq!(v["overall"]["channels"]["red"]["released"], 2);
    assert_json(
        &v,
        "/overall/channels/red/clearance_hours/mean",
        (b + c) / 2.0,
    );
    assert_json(&v, "/overall/channels/red/sla_share/mean", 0.0);

    assert_eq!(v["overall"]["classes"]["priority"]["released"], 1);
    assert_json(&v, "/overall/classes/priority/clearance_hours/mean", b);
    assert_eq!(v["overall"]["classes"]["normal"]["released"], 2);
    assert_json(
        &v,
        "/overall/classes/normal/clearance_hours/mean",
        (a + c) / 2.0,
    );
    assert_json(&v, "/overall/classes/normal/sla_share/mean", 0.5);

    // document_check: waits 0, 30 min (B), 50 min (C); 30 min each.
    assert_eq!(v["overall"]["stages"]["document_check"]["visits"], 3);
    assert_json(
        &v,
        "/overall/stages/document_check/mean_wait_hours",
        (0.0 + 0.5 + 50.0 / 60.0) / 3.0,
    );
    assert_json(&v, "/overall/stages/document_check/mean_service_hours", 0.5);
    // inspection: waits 30 min (B, 11:00–11:30), 1 h (C, 11:30–12:30); 1 h each.
    assert_eq!(v["overall"]["stages"]["inspection"]["visits"], 2);
    assert_json(&v, "/overall/stages/inspection/mean_wait_hours", 0.75);
    assert_json(&v, "/overall/stages/inspection/mean_service_hours", 1.0);
}

// ---- 11. Bad input for every new key -----------------------------------------------------

/// A valid scenario using every new key; each bad-input case below breaks one thing.
/// Edits keep the line count, so the lines of [`BASE`] hold for every case.
const BASE: &str = r#"name = "domain bad input"
start = "2024-01-01"
horizon_days = 2
replications = 1
clearance_interval = "arrival-release"
calendars.office = [{ days = "Mon-Fri", start = "09:00", end = "17:00" }]

[reservations]
office_hours = "office"
lead_time = "8h"

[[peaks]]
name = "rush"
from = "2024-01-02"
to = "2024-01-03"
arrival_factors = { rail = 2.0 }
extra_staff = { officers = 1 }

[[pools]]
name = "officers"
rosters.base = [
  { days = "Mon-Fri", start = "09:00", end = "17:00", staff = 1 },
  { days = "Mon-Sun", start = "17:00", end = "09:00", staff = 1, serves = "reserved" },
]

[[modes]]
name = "rail"
reservation_share = 0.5
stages = [
  { name = "query", delay = { dist = "deterministic", value = "1h" }, calendar = "office" },
  { name = "checks", branches = [
    { name = "customs", stages = [{ name = "review", pool = "officers", time = { dist = "deterministic", value = "1h" } }] },
    { name = "lab", stages = [{ name = "test", delay = { dist = "deterministic", value = "2h" } }] },
  ] },
]
[modes.arrivals]
kind = "timetable"
services = [
  { days = "Mon,Thu", time = "06:30", batch = { dist = "constant", value = 3 }, cancel_probability = 0.1 },
]

[[modes]]
name = "air"
arrivals = { kind = "trace", file = "log.csv" }
stages = [{ name = "serve", pool = "officers", time = { dist = "exponential", mean = "30m" } }]
"#;

const BASE_LOG: &str = "timestamp,mode,class,channel
2024-01-01 10:00,air,,
2024-01-01 11:00,air,priority,
";

/// The 1-based line of [`BASE`] containing `needle` (exactly one must).
fn base_line(needle: &str) -> usize {
    let found: Vec<usize> = BASE
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "{needle:?} must be on exactly one line of BASE"
    );
    found[0]
}

/// [`BASE`] with `from` (which must occur exactly once) replaced by `to`.
fn base_with(from: &str, to: &str) -> String {
    assert_eq!(
        BASE.matches(from).count(),
        1,
        "{from:?} must occur once in BASE"
    );
    let text = BASE.replacen(from, to, 1);
    assert_eq!(
        text.lines().count(),
        BASE.lines().count(),
        "edits keep the line count"
    );
    text
}

/// `portsim validate FILE` on `text` (with `log` as log.csv) must fail as bad input:
/// exit code 2, empty stdout, one stderr line starting `error: `, naming `FILE:LINE:`
/// and the key path `key`, and containing every one of `expected`. Reports every failed
/// check with the output.
fn rejects(file: &str, text: &str, log: &str, line: usize, key: &str, expected: &[&str]) {
    let (code, stdout, stderr) = portsim_in(&[(file, text), ("log.csv", log)], &["validate", file]);
    let mut problems = Vec::new();
    if code != Some(2) {
        problems.push(format!("exit code is {code:?}, expected 2"));
    }
    if !stdout.is_empty() {
        problems.push("stdout is not empty".to_string());
    }
    if !(stderr.ends_with('\n') && stderr.matches('\n').count() == 1) {
        problems.push(format!(
            "stderr has {} lines, expected exactly one",
            stderr.lines().count()
        ));
    }
    if !stderr.starts_with("error: ") {
        problems.push("stderr does not start with `error: `".to_string());
    }
    if stderr.contains("panicked") {
        problems.push("portsim panicked".to_string());
    }
    let located = format!("{file}:{line}:");
    if !stderr.contains(&located) {
        problems.push(format!(
            "stderr does not contain {located:?} (file and line)"
        ));
    }
    let key = format!(" {key}: ");
    if !stderr.contains(&key) {
        problems.push(format!("stderr does not contain {key:?} (the key path)"));
    }
    for e in expected {
        if !stderr.contains(e) {
            problems.push(format!("stderr does not contain {e:?} (what was expected)"));
        }
    }
    assert!(
        problems.is_empty(),
        "`portsim validate {file}` does not reject its input as it should:\n  - {}\n\
         exit code: {code:?}\nstdout: {stdout:?}\nstderr: {stderr:?}",
        problems.join("\n  - ")
    );
}

/// The base scenario of the bad-input cases is valid, so each case fails for the one
/// thing it breaks.
#[test]
fn bad_input_base_is_valid() {
    let (code, stdout, stderr) = portsim_in(
        &[("base.toml", BASE), ("log.csv", BASE_LOG)],
        &["validate", "base.toml"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        !stdout.is_empty() && stderr.is_empty(),
        "{stdout:?} {stderr:?}"
    );
}

/// A timetable service time must be a time of day before 24:00.
#[test]
fn bad_timetable_service_time() {
    rejects(
        "bad-time.toml",
        &base_with(r#"time = "06:30""#, r#"time = "25:00""#),
        BASE_LOG,
        base_line(r#"time = "06:30""#),
        "modes.rail.arrivals.services.0.time",
        &["\"25:00\"", "HH:MM"],
    );
}

/// Each timetable service needs a batch size (or the timetable a default one).
#[test]
fn bad_timetable_service_without_batch() {
    rejects(
        "no-batch.toml",
        &base_with(r#", batch = { dist = "constant", value = 3 }"#, ""),
        BASE_LOG,
        base_line(r#"time = "06:30""#),
        "modes.rail.arrivals.services.0.batch",
        &["`batch`"],
    );
}

/// A cancellation probability must be from 0 to 1.
#[test]
fn bad_timetable_cancel_probability() {
    rejects(
        "cancel.toml",
        &base_with("cancel_probability = 0.1", "cancel_probability = 1.5"),
        BASE_LOG,
        base_line("cancel_probability = 0.1"),
        "modes.rail.arrivals.services.0.cancel_probability",
        &["probability from 0 to 1", "1.5"],
    );
}

/// A batch size needs a count distribution the simulator knows.
#[test]
fn bad_timetable_batch_distribution() {
    rejects(
        "batch-dist.toml",
        &base_with(r#"dist = "constant""#, r#"dist = "geometric""#),
        BASE_LOG,
        base_line(r#"dist = "constant""#),
        "modes.rail.arrivals.services.0.batch.dist",
        &[
            "unknown count distribution \"geometric\"",
            "constant, poisson, uniform_int, empirical",
        ],
    );
}

/// A trace must name an arrival log that can be read.
#[test]
fn bad_trace_missing_file() {
    rejects(
        "missing-log.toml",
        &base_with(r#"file = "log.csv""#, r#"file = "missing.csv""#),
        BASE_LOG,
        base_line(r#"file = "log.csv""#),
        "modes.air.arrivals.file",
        &["missing.csv", "cannot read the arrival log"],
    );
}

/// A malformed row of the arrival log is reported at the scenario's `file` key and at
/// the row's line in the log.
#[test]
fn bad_trace_malformed_row() {
    let log = "timestamp,mode,class,channel
2024-01-01 10:00,air,,
01/01/2024 11:00,air,,
";
    rejects(
        "bad-row.toml",
        BASE,
        log,
        base_line(r#"file = "log.csv""#),
        "modes.air.arrivals.file",
        &["log.csv:3:", "malformed timestamp", "YYYY-MM-DD HH:MM"],
    );
}

/// A peak cannot end before it starts.
#[test]
fn bad_peak_ending_before_it_starts() {
    rejects(
        "peak-dates.toml",
        &base_with(r#"to = "2024-01-03""#, r#"to = "2023-12-31""#),
        BASE_LOG,
        base_line(r#"to = "2024-01-03""#),
        "peaks.rush.to",
        &["before it starts", "2023-12-31"],
    );
}

/// Extra peak staff must go to a pool that exists.
#[test]
fn bad_peak_extra_staff_pool() {
    rejects(
        "peak-pool.toml",
        &base_with(
            "extra_staff = { officers = 1 }",
            "extra_staff = { inspectors = 1 }",
        ),
        BASE_LOG,
        base_line("extra_staff = "),
        "peaks.rush.extra_staff.inspectors",
        &["unknown pool \"inspectors\"", "officers"],
    );
}

/// Per-mode peak factors must name modes that exist.
#[test]
fn bad_peak_arrival_factor_mode() {
    rejects(
        "peak-mode.toml",
        &base_with(
            "arrival_factors = { rail = 2.0 }",
            "arrival_factors = { truck = 2.0 }",
        ),
        BASE_LOG,
        base_line("arrival_factors = "),
        "peaks.rush.arrival_factors.truck",
        &["unknown mode \"truck\"", "air, rail"],
    );
}

/// A delay's calendar must be one of the scenario's `calendars`.
#[test]
fn bad_delay_calendar() {
    rejects(
        "calendar.toml",
        &base_with(r#"calendar = "office""#, r#"calendar = "trader""#),
        BASE_LOG,
        base_line(r#"calendar = "office""#),
        "modes.rail.stages.query.calendar",
        &["unknown calendar \"trader\"", "office"],
    );
}

/// A shift serves "all" or "reserved".
#[test]
fn bad_shift_serves() {
    rejects(
        "serves.toml",
        &base_with(r#"serves = "reserved""#, r#"serves = "vip""#),
        BASE_LOG,
        base_line(r#"serves = "reserved""#),
        "pools.officers.rosters.base.1.serves",
        &["\"vip\"", "\"all\"", "\"reserved\""],
    );
}

/// Shipments can only reserve service when the scenario has `[reservations]`.
#[test]
fn bad_reservation_share_without_reservations() {
    let text = base_with(
        "[reservations]\noffice_hours = \"office\"\nlead_time = \"8h\"",
        "# [reservations]\n# office_hours = \"office\"\n# lead_time = \"8h\"",
    );
    rejects(
        "no-reservations.toml",
        &text,
        BASE_LOG,
        base_line("reservation_share = "),
        "modes.rail.reservation_share",
        &["[reservations]"],
    );
}

/// The clearance interval runs between two milestones in order.
#[test]
fn bad_clearance_interval() {
    rejects(
        "interval.toml",
        &base_with(
            r#"clearance_interval = "arrival-release""#,
            r#"clearance_interval = "release-arrival""#,
        ),
        BASE_LOG,
        base_line("clearance_interval = "),
        "clearance_interval",
        &["\"release-arrival\"", "in order", "arrival-exit"],
    );
}

/// A parallel stage needs at least two branches.
#[test]
fn bad_parallel_stage_with_one_branch() {
    let lab = r#"    { name = "lab", stages = [{ name = "test", delay = { dist = "deterministic", value = "2h" } }] },"#;
    rejects(
        "one-branch.toml",
        &base_with(lab, "    # the lab branch is gone"),
        BASE_LOG,
        base_line(r#"{ name = "checks", branches = ["#),
        "modes.rail.stages.checks.branches",
        &["at least two branches"],
    );
}

/// Branches cannot be nested inside a branch.
#[test]
fn bad_nested_branches() {
    let customs = r#"    { name = "customs", stages = [{ name = "review", pool = "officers", time = { dist = "deterministic", value = "1h" } }] },"#;
    let nested = r#"    { name = "customs", stages = [{ name = "inner", branches = [{ name = "x", stages = [{ name = "x1", delay = { dist = "deterministic", value = "1h" } }] }, { name = "y", stages = [{ name = "y1", delay = { dist = "deterministic", value = "1h" } }] }] }] },"#;
    rejects(
        "nested.toml",
        &base_with(customs, nested),
        BASE_LOG,
        base_line(r#"{ name = "customs""#),
        "modes.rail.stages.checks.branches.customs.stages.inner.branches",
        &["cannot be nested"],
    );
}
