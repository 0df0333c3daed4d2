//! Shift, roster and holiday semantics, to the minute, on single shipments arriving at
//! listed times. 2024-01-01 is a Monday.

use portsim::model::flow::{ShipmentRecord, TraceSink};
use portsim::model::{Replication, ReplicationResult};
use portsim::scenario::load_str;

/// Minutes, in hours.
const MIN: f64 = 1.0 / 60.0;
/// Tolerance for times: well under a second.
const EPS: f64 = 1e-9;

#[derive(Default)]
struct Recorder {
    /// (arrival, service start, release) of each shipment, hours since start.
    rows: Vec<(f64, f64, f64)>,
}

impl TraceSink for Recorder {
    fn shipment_released(&mut self, r: &ShipmentRecord<'_>) {
        self.rows
            .push((r.arrival.hours(), r.stages[0].1.started, r.release.hours()));
    }
}

/// Runs one replication of a one-pool, one-stage scenario with the given shifts,
/// arrival times and service time.
fn simulate(
    shifts: &str,
    holidays: &str,
    arrivals: &str,
    service: &str,
) -> (ReplicationResult, Vec<(f64, f64, f64)>) {
    let text = format!(
        r#"
name = "calendar test"
start = "2024-01-01"
horizon_days = 21
replications = 1
holidays = [{holidays}]
[[pools]]
name = "servers"
rosters.test = [{shifts}]
[[modes]]
name = "customers"
arrivals = {{ kind = "list", at = [{arrivals}] }}
stages = [ {{ name = "serve", pool = "servers", time = {{ dist = "deterministic", value = "{service}" }} }} ]
"#
    );
    let loaded = load_str("calendar-test.toml", &text, &[]).unwrap_or_else(|e| panic!("{e}"));
    let mut rec = Recorder::default();
    let result = Replication::new(&loaded.model, 0, Some(&mut rec)).run();
    let mut rows = rec.rows;
    rows.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
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

const OFFICE: &str =
    r#"{ days = "Mon-Fri", start = "09:00", end = "17:00", staff = 4, holidays = false }"#;

#[test]
fn friday_evening_arrival_waits_until_monday_nine() {
    let (_, rows) = simulate(OFFICE, "", r#""2024-01-05 17:30""#, "6m");
    let (arrival, start, release) = rows[0];
    assert_close(arrival, at(4, 17, 30), "arrival Friday 17:30");
    assert_close(start, at(7, 9, 0), "service starts Monday 09:00");
    assert_close(release, at(7, 9, 6), "released Monday 09:06");
    assert_close(release - arrival, 63.6, "clearance");
}

#[test]
fn shift_boundaries_are_half_open() {
    // 16:59 is served at once; 17:00 exactly is after closing; 09:00 exactly is open.
    let (_, rows) = simulate(
        OFFICE,
        "",
        r#""2024-01-02 16:59", "2024-01-02 17:00", "2024-01-03 09:00""#,
        "1m",
    );
    assert_close(rows[0].1, at(1, 16, 59), "16:59 starts at once");
    assert_close(rows[1].1, at(2, 9, 0), "17:00 waits for Wednesday 09:00");
    assert_close(rows[2].1, at(2, 9, 0), "09:00 starts at once");
}

#[test]
fn overnight_shift_runs_into_the_next_day() {
    // Friday 20:00 to Saturday 08:00 only.
    let shift = r#"{ days = "Fri", start = "20:00", end = "08:00", staff = 1 }"#;
    let (result, rows) = simulate(
        shift,
        "",
        r#""2024-01-06 03:00", "2024-01-06 07:55", "2024-01-06 08:00""#,
        "10m",
    );
    assert_close(rows[0].1, at(5, 3, 0), "Saturday 03:00 is served at once");
    assert_close(rows[1].1, at(5, 7, 55), "Saturday 07:55 is served at once");
    assert_close(
        rows[1].2,
        at(5, 8, 5),
        "and finishes at 08:05, after the shift",
    );
    assert_close(
        rows[2].1,
        at(11, 20, 0),
        "Saturday 08:00 waits for next Friday 20:00",
    );
    // The 07:55 service ran 5 minutes past the end of the shift.
    assert_close(result.pools[0].overtime_hours, 5.0 * MIN, "overtime");
}

#[test]
fn holiday_closes_shifts_that_do_not_run_on_holidays() {
    let (_, rows) = simulate(OFFICE, r#""2024-01-01""#, r#""2024-01-01 10:00""#, "6m");
    assert_close(
        rows[0].1,
        at(1, 9, 0),
        "New Year's Day arrival waits for Tuesday 09:00",
    );
    // The same shift with holidays = true (the default) stays open.
    let open = OFFICE.replace("holidays = false", "holidays = true");
    let (_, rows) = simulate(&open, r#""2024-01-01""#, r#""2024-01-01 10:00""#, "6m");
    assert_close(rows[0].1, at(0, 10, 0), "served at once");
}

#[test]
fn a_holiday_only_shift_covers_the_holiday_and_no_other_day() {
    // Office hours off on holidays, and cover 10:00–14:00 on holidays only. Wednesday
    // 2024-01-03 is a holiday.
    let shifts = format!(
        r#"{OFFICE}, {{ days = "Mon-Sun", start = "10:00", end = "14:00", staff = 1, holidays = "only" }}"#
    );
    let (result, rows) = simulate(
        &shifts,
        r#""2024-01-03""#,
        r#""2024-01-03 08:00", "2024-01-03 13:59", "2024-01-03 14:00", "2024-01-06 11:00""#,
        "1m",
    );
    assert_close(
        rows[0].1,
        at(2, 10, 0),
        "holiday 08:00 waits for the cover at 10:00",
    );
    assert_close(rows[1].1, at(2, 13, 59), "holiday 13:59 is served at once");
    assert_close(
        rows[2].1,
        at(3, 9, 0),
        "holiday 14:00 waits for Thursday's office hours",
    );
    assert_close(
        rows[3].1,
        at(7, 9, 0),
        "a Saturday (no holiday) has no cover: Monday 09:00",
    );
    // Staff-hours: 4 officers on 14 weekdays of 8 hours (15 less the holiday), and the
    // holiday's one officer for 4 hours.
    assert_close(
        result.pools[0].staff_hours,
        4.0 * 14.0 * 8.0 + 4.0,
        "staff-hours",
    );
}

#[test]
fn a_roster_for_holidays_only_without_a_holiday_is_refused() {
    // With no holiday, the only shift never runs: the stage could never be served.
    let text = r#"
name = "no holiday"
start = "2024-01-01"
horizon_days = 7
[[pools]]
name = "servers"
rosters.only = [{ days = "Mon-Sun", start = "09:00", end = "17:00", staff = 1, holidays = "only" }]
[[modes]]
name = "customers"
arrivals = { kind = "poisson", rate_per_hour = 1 }
stages = [ { name = "serve", pool = "servers", time = { dist = "exponential", mean = "6m" } } ]
"#;
    let err = load_str("no-holiday.toml", text, &[])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no-holiday.toml:11: modes.customers.stages.serve.pool")
            && err.contains("never has anyone on duty"),
        "{err}"
    );
    // One holiday is enough.
    let with = text.replace(
        "horizon_days = 7",
        "horizon_days = 7\nholidays = [\"2024-01-03\"]",
    );
    assert!(load_str("a-holiday.toml", &with, &[]).is_ok());
}

#[test]
fn a_shift_ending_mid_service_gives_the_right_overtime() {
    // Service starts 16:30 and takes 1 h: it ends 17:30, half an hour after the shift.
    let shift =
        r#"{ days = "Mon-Fri", start = "09:00", end = "17:00", staff = 1, holidays = false }"#;
    let (result, rows) = simulate(shift, "", r#""2024-01-02 16:30""#, "1h");
    assert_close(rows[0].2, at(1, 17, 30), "finishes the shipment in hand");
    let pool = &result.pools[0];
    assert_close(pool.overtime_hours, 0.5, "overtime");
    // 15 weekdays of 8 hours in the 21-day window.
    assert_close(pool.staff_hours, 15.0 * 8.0, "staff-hours");
    assert_close(pool.busy_hours, 1.0, "busy hours");
}

#[test]
fn new_officers_take_waiting_shipments_at_once() {
    // Three shipments wait from 08:00; two officers arrive at 09:00.
    let shift =
        r#"{ days = "Mon-Fri", start = "09:00", end = "17:00", staff = 2, holidays = false }"#;
    let arrivals = r#""2024-01-02 08:00", "2024-01-02 08:00", "2024-01-02 08:00""#;
    let (result, rows) = simulate(shift, "", arrivals, "30m");
    let starts: Vec<f64> = rows.iter().map(|r| r.1).collect();
    assert_close(starts[0], at(1, 9, 0), "first at 09:00");
    assert_close(starts[1], at(1, 9, 0), "second at 09:00");
    assert_close(starts[2], at(1, 9, 30), "third when an officer is free");
    // Mean queue: 3 waiting 08:00–09:00 and 1 waiting 09:00–09:30 over a 504 h window.
    assert_close(
        result.pools[0].mean_queue,
        (3.0 + 0.5) / 504.0,
        "mean queue",
    );
}

#[test]
fn back_to_back_shifts_change_nothing() {
    let shifts = r#"{ days = "Mon-Sun", start = "08:00", end = "16:00", staff = 1 },
                    { days = "Mon-Sun", start = "16:00", end = "24:00", staff = 1 }"#;
    let (result, rows) = simulate(shifts, "", r#""2024-01-02 15:50""#, "20m");
    assert_close(
        rows[0].2,
        at(1, 16, 10),
        "service runs through the handover",
    );
    assert_eq!(
        result.pools[0].overtime_hours, 0.0,
        "no overtime at a same-size handover"
    );
}

#[test]
fn a_drop_in_headcount_is_not_preemptive() {
    // Two officers until 12:00, one after; both busy at 12:00 with 1 h services.
    let shifts = r#"{ days = "Mon-Fri", start = "09:00", end = "12:00", staff = 1, holidays = false },
                    { days = "Mon-Fri", start = "09:00", end = "17:00", staff = 1, holidays = false }"#;
    let arrivals = r#""2024-01-02 11:30", "2024-01-02 11:30", "2024-01-02 11:45""#;
    let (result, rows) = simulate(shifts, "", arrivals, "1h");
    assert_close(rows[0].2, at(1, 12, 30), "first finishes");
    assert_close(rows[1].2, at(1, 12, 30), "second finishes too (overtime)");
    // The third waits for a free officer within the new headcount: 12:30.
    assert_close(
        rows[2].1,
        at(1, 12, 30),
        "third starts when the one officer on duty is free",
    );
    assert_close(
        result.pools[0].overtime_hours,
        0.5,
        "one officer 12:00–12:30 over the headcount",
    );
}
