//! The fast track beyond the pools, to the minute: a branch of a channel's first stage
//! that starts on arrival (inspection before the declaration is lodged), and a delay
//! that counts in its own calendar for fast-tracked shipments (a laboratory testing
//! perishables out of its hours). 2024-01-01 is a Monday.

use portsim::model::Replication;
use portsim::model::flow::{ShipmentRecord, TraceSink};
use portsim::scenario::load_str;

use crate::support::rejected_text as rejected;

const EPS: f64 = 1e-9;

/// (arrival, lodgement, release, clearance) of each released shipment, hours since the
/// start, by arrival.
#[derive(Default)]
struct Recorder {
    rows: Vec<[f64; 4]>,
}

impl TraceSink for Recorder {
    fn shipment_released(&mut self, r: &ShipmentRecord<'_>) {
        self.rows.push([
            r.arrival.hours(),
            r.lodgement.hours(),
            r.release.hours(),
            r.clearance_hours,
        ]);
    }
}

fn simulate(text: &str) -> Vec<[f64; 4]> {
    let loaded = load_str("fast-track.toml", text, &[]).unwrap_or_else(|e| panic!("{e}"));
    let mut rec = Recorder::default();
    Replication::new(&loaded.model, 0, Some(&mut rec)).run();
    let mut rows = rec.rows;
    rows.sort_by(|a, b| a[0].total_cmp(&b[0]));
    rows
}

/// Hours since Monday 2024-01-01 00:00 of day `day` (0-based) at hh:mm.
fn at(day: u32, hh: u32, mm: u32) -> f64 {
    f64::from(day) * 24.0 + f64::from(hh) + f64::from(mm) / 60.0
}

fn assert_close(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() < EPS,
        "{what}: got {got} h, want {want} h ({:+.4} min)",
        (got - want) * 60.0
    );
}

/// Perishables (`priority_share`, `fast_track` as given) arriving at `arrivals`, lodged
/// 2 h after arrival; customs review (a 30-minute delay) ∥ quarantine (45 minutes by an
/// officer on duty round the clock, then `lab` hours of laboratory in the Mon–Fri 09–17
/// `lab` calendar). `quarantine` and `lab` are extra keys of those branches and stages.
fn scenario(mode: &str, arrivals: &str, quarantine: &str, lab: &str, lab_keys: &str) -> String {
    format!(
        r#"
name = "fast track"
start = "2024-01-01"
horizon_days = 14
replications = 1
calendars.lab = [{{ days = "Mon-Fri", start = "09:00", end = "17:00" }}]
calendars.around-the-clock = [{{ days = "Mon-Sun", start = "00:00", end = "24:00", holidays = true }}]

[[pools]]
name = "iq"
rosters.always = [{{ days = "Mon-Sun", start = "00:00", end = "24:00", staff = 5 }}]

[[modes]]
name = "perishables"
{mode}
lodgement = {{ dist = "deterministic", value = "2h" }}
arrivals = {{ kind = "list", at = [{arrivals}] }}
stages = [
  {{ name = "checks", branches = [
    {{ name = "customs", stages = [{{ name = "review", delay = {{ dist = "deterministic", value = "30m" }} }}] }},
    {{ name = "quarantine", {quarantine} stages = [
      {{ name = "iq-inspect", pool = "iq", time = {{ dist = "deterministic", value = "45m" }} }},
      {{ name = "lab", delay = {{ dist = "deterministic", value = "{lab}" }}, calendar = "lab" {lab_keys} }},
    ] }},
  ] }},
]
"#
    )
}

const FAST: &str = "priority_share = 1.0";
const FAST_OFF: &str = "priority_share = 1.0\nfast_track = false";
const ORDINARY: &str = "priority_share = 0.0";
const ON_ARRIVAL: &str = r#"on_arrival = "fast-track","#;
const LAB_ON_CALL: &str = r#", calendar_fast_track = "around-the-clock""#;

/// Releases of one shipment arriving at `arrival` in each file.
fn release(mode: &str, arrival: &str, quarantine: &str, lab: &str, lab_keys: &str) -> [f64; 4] {
    let rows = simulate(&scenario(
        mode,
        &format!("\"{arrival}\""),
        quarantine,
        lab,
        lab_keys,
    ));
    assert_eq!(rows.len(), 1, "one shipment released");
    rows[0]
}

#[test]
fn a_fast_tracked_shipment_is_inspected_on_arrival_and_tested_out_of_lab_hours() {
    // Saturday 10:00: inspected 10:00–10:45, tested 3 plain hours to 13:45; lodged 12:00,
    // reviewed to 12:30; released when the test ends.
    let [arrival, lodged, released, clearance] =
        release(FAST, "2024-01-06 10:00", ON_ARRIVAL, "3h", LAB_ON_CALL);
    assert_close(arrival, at(5, 10, 0), "arrival");
    assert_close(lodged, at(5, 12, 0), "lodgement");
    assert_close(released, at(5, 13, 45), "release");
    assert_close(
        clearance,
        released - lodged,
        "clearance is lodgement → release",
    );
}

#[test]
fn without_the_fast_track_the_same_shipment_waits_for_lodgement_and_lab_hours() {
    // Inspected from lodgement (12:00–12:45); the laboratory opens Monday 09:00: 12:00.
    let [_, lodged, released, _] =
        release(FAST_OFF, "2024-01-06 10:00", ON_ARRIVAL, "3h", LAB_ON_CALL);
    assert_close(lodged, at(5, 12, 0), "lodgement");
    assert_close(released, at(7, 12, 0), "release");
    // An ordinary shipment of the same file: the same.
    let [_, _, ordinary, _] = release(ORDINARY, "2024-01-06 10:00", ON_ARRIVAL, "3h", LAB_ON_CALL);
    assert_close(ordinary, at(7, 12, 0), "ordinary release");
}

#[test]
fn on_arrival_for_all_starts_every_shipment_s_branch_before_lodgement() {
    // Tuesday 15:00, not fast-tracked: inspected 15:00–15:45, tested 15:45–17:00 and
    // Wednesday 09:00–10:45 (3 lab hours).
    let all = r#"on_arrival = "all","#;
    let [_, lodged, released, _] = release(ORDINARY, "2024-01-02 15:00", all, "3h", "");
    assert_close(lodged, at(1, 17, 0), "lodgement");
    assert_close(released, at(2, 10, 45), "release");
    // From lodgement instead: inspected 17:00–17:45, tested Wednesday 09:00–12:00.
    let [_, _, later, _] = release(ORDINARY, "2024-01-02 15:00", "", "3h", "");
    assert_close(later, at(2, 12, 0), "release without on_arrival");
}

#[test]
fn a_branch_done_before_lodgement_leaves_the_stage_to_the_others() {
    // Monday 10:00, fast-tracked, no laboratory test: quarantine done at 10:45, before
    // lodgement at 12:00; the review (30 min) ends the stage at 12:30.
    let [_, lodged, released, clearance] =
        release(FAST, "2024-01-01 10:00", ON_ARRIVAL, "0s", LAB_ON_CALL);
    assert_close(lodged, at(0, 12, 0), "lodgement");
    assert_close(released, at(0, 12, 30), "release");
    assert_close(clearance, 0.5, "clearance");
}

#[test]
fn when_every_branch_finished_before_lodgement_the_shipment_is_released_at_lodgement() {
    let text = scenario(FAST, "\"2024-01-01 10:00\"", ON_ARRIVAL, "0s", LAB_ON_CALL).replace(
        r#"{ name = "customs", stages"#,
        r#"{ name = "customs", on_arrival = "fast-track", stages"#,
    );
    let rows = simulate(&text);
    assert_eq!(rows.len(), 1);
    assert_close(rows[0][1], at(0, 12, 0), "lodgement");
    assert_close(rows[0][2], at(0, 12, 0), "release");
    assert_close(rows[0][3], 0.0, "clearance");
}

#[test]
fn many_shipments_all_leave_and_none_is_released_before_its_branches_end() {
    // A busy hour of mixed classes on one officer: every shipment is released exactly
    // once, never before lodgement plus its review, whatever order the branches end in.
    let arrivals: Vec<String> = (0..40)
        .map(|i| format!("\"2024-01-02 {:02}:{:02}\"", 8 + i / 4, (i % 4) * 15))
        .collect();
    let text = scenario(
        "priority_share = 0.5",
        &arrivals.join(", "),
        ON_ARRIVAL,
        "1h",
        LAB_ON_CALL,
    )
    .replace("staff = 5", "staff = 1");
    let rows = simulate(&text);
    assert_eq!(rows.len(), 40, "every shipment released once");
    for r in &rows {
        assert!(
            r[2] >= r[1] + 0.5 - EPS,
            "released before its review: {r:?}"
        );
        // Inspection (45 min) and a 1-hour test come after arrival, whoever starts them.
        assert!(r[2] >= r[0] + 1.75 - EPS, "released before its test: {r:?}");
    }
}

/// The line of the quarantine branch in [`scenario`], and of its lab stage.
const QUARANTINE: usize = 21;
const LAB: usize = 23;

#[test]
fn an_unknown_fast_track_calendar_is_refused_at_its_key() {
    let text = scenario(
        FAST,
        "\"2024-01-01 10:00\"",
        "",
        "1h",
        r#", calendar_fast_track = "night-lab""#,
    );
    rejected(
        &text,
        LAB,
        &["calendar_fast_track", "night-lab", "around-the-clock"],
    );
}

#[test]
fn a_fast_track_calendar_on_a_service_is_refused() {
    let text = scenario(FAST, "\"2024-01-01 10:00\"", "", "1h", "").replace(
        r#"value = "45m" } }"#,
        r#"value = "45m" }, calendar_fast_track = "around-the-clock" }"#,
    );
    rejected(&text, LAB - 1, &["`calendar_fast_track` applies to delays"]);
}

#[test]
fn an_unknown_on_arrival_value_is_refused() {
    let text = scenario(
        FAST,
        "\"2024-01-01 10:00\"",
        r#"on_arrival = "urgent","#,
        "1h",
        "",
    );
    rejected(&text, QUARANTINE, &["on_arrival", "fast-track", "all"]);
}

#[test]
fn on_arrival_after_the_first_stage_is_refused() {
    let text = scenario(FAST, "\"2024-01-01 10:00\"", ON_ARRIVAL, "1h", "").replace(
        "stages = [\n  { name = \"checks\"",
        "stages = [\n  { name = \"wait\", delay = { dist = \"deterministic\", value = \"1m\" } },\n  { name = \"checks\"",
    );
    rejected(
        &text,
        QUARANTINE + 1,
        &[
            "on_arrival",
            "channel's first stage",
            "before the declaration is lodged",
        ],
    );
}
