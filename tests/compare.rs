//! `portsim compare`: common random numbers end to end, the paired comparison from the
//! command line, its JSON contract, and bad input.
//!
//! The scenario is the business-hours validation scenario (4 officers Mon–Fri 09–17)
//! with a second roster added by `--set`: round the clock with one officer (`7x24`), or
//! longer weekday hours with the same four (`extended`).

use std::collections::HashMap;

use portsim::model::Replication;
use portsim::model::flow::{ShipmentRecord, TraceSink};

use crate::support::{mmc_with_rush, model, ok, ok_noting, portsim, repo};

const BUSINESS_HOURS: &str = "scenarios/validation/business-hours.toml";
const ROSTER_7X24: &str =
    r#"pools.servers.rosters.7x24=[{days="Mon-Sun",start="00:00",end="24:00",staff=1}]"#;
const ROSTER_EXTENDED: &str = r#"pools.servers.rosters.extended=[{days="Mon-Fri",start="08:00",end="18:00",staff=4,holidays=false}]"#;

/// Per counted shipment (mode, index): arrival, and at the stage "serve" the wait and the
/// service time (hours).
#[derive(Default)]
struct Visits(HashMap<(String, u64), (f64, f64, f64)>);

impl TraceSink for Visits {
    fn shipment_released(&mut self, record: &ShipmentRecord<'_>) {
        let (_, t) = record
            .stages
            .iter()
            .find(|(name, _)| *name == "serve")
            .expect("every shipment is served");
        self.0.insert(
            (record.mode.name.clone(), record.index),
            (
                record.arrival.hours(),
                t.started - t.entered,
                t.ended - t.started,
            ),
        );
    }
}

fn replication_zero(policy: &str) -> Visits {
    let m = model(
        BUSINESS_HOURS,
        &[ROSTER_7X24, &format!("policy={policy}"), "horizon_days=42"],
    );
    let mut visits = Visits::default();
    Replication::new(&m, 0, Some(&mut visits)).run();
    visits
}

#[test]
fn common_random_numbers_give_each_shipment_the_same_arrival_and_work() {
    let a = replication_zero("business-hours");
    let b = replication_zero("7x24");
    // Four weeks counted at 2 per hour: about 1300 shipments, the same ones.
    assert!(a.0.len() > 1000, "{}", a.0.len());
    let mut keys_a: Vec<_> = a.0.keys().collect();
    let mut keys_b: Vec<_> = b.0.keys().collect();
    keys_a.sort();
    keys_b.sort();
    assert_eq!(keys_a, keys_b, "the same shipments are counted");
    let mut waits_differ = 0;
    for (key, (arrival_a, wait_a, service_a)) in &a.0 {
        let (arrival_b, wait_b, service_b) = b.0[key];
        assert_eq!(*arrival_a, arrival_b, "{key:?}: same arrival");
        // The service duration is drawn from the shipment's own stream; only the
        // subtraction of different start times rounds differently.
        assert!(
            (service_a - service_b).abs() < 1e-9,
            "{key:?}: service {service_a} vs {service_b}"
        );
        if (wait_a - wait_b).abs() > 1e-6 {
            waits_differ += 1;
        }
    }
    // Under business hours most shipments wait for the office to open; round the clock
    // with one officer, few wait at all.
    assert!(
        waits_differ > a.0.len() / 2,
        "{waits_differ} of {} waits differ",
        a.0.len()
    );
}

/// `portsim compare` on the business-hours scenario with the extra rosters and `args`.
fn compare(args: &[&str]) -> std::process::Output {
    let file = repo(BUSINESS_HOURS);
    let mut all = vec![
        "compare",
        file.to_str().unwrap(),
        "--set",
        ROSTER_7X24,
        "--set",
        ROSTER_EXTENDED,
    ];
    all.extend_from_slice(args);
    portsim().args(&all).output().unwrap()
}

fn compare_json(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.push("--json");
    let out = compare(&all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is exactly one JSON document")
}

fn pair(v: &serde_json::Value) -> [f64; 2] {
    let a = v.as_array().expect("an interval is [low, high]");
    assert_eq!(a.len(), 2);
    [a[0].as_f64().unwrap(), a[1].as_f64().unwrap()]
}

#[test]
fn compare_prints_the_headline_and_json() {
    let short = ["--set", "horizon_days=98", "--replications", "5"];
    let out = compare(&[&["--policies", "business-hours,7x24"], &short[..]].concat());
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let headline = text
        .lines()
        .find(|l| l.starts_with("7x24 vs business-hours: mean clearance −"))
        .unwrap_or_else(|| panic!("no headline line in:\n{text}"));
    assert!(
        headline.contains(" %, 95 % CI −") && headline.ends_with(" %)"),
        "{headline}"
    );

    let v = compare_json(&[&["--policies", "business-hours,7x24"], &short[..]].concat());
    assert_eq!(v["schema"], "portsim.compare/1");
    assert_eq!(v["paired"], true);
    assert_eq!(v["seed"], 1);
    assert_eq!(v["replications"], 5);
    assert_eq!(v["a"]["policy"], "business-hours");
    assert_eq!(v["b"]["policy"], "7x24");
    assert_eq!(v["unstable"], false);
    assert_eq!(v["b"]["unstable"], false);
    let d = &v["overall"]["difference"];
    let mean = d["mean"].as_f64().unwrap();
    let [lo, hi] = pair(&d["ci95"]);
    assert!(lo <= mean && mean <= hi, "{lo} ≤ {mean} ≤ {hi}");
    assert!(hi < 0.0, "round the clock clears faster: {mean}");
    let rel = &v["overall"]["relative"];
    let [rlo, rhi] = pair(&rel["ci95"]);
    assert!(rlo <= rel["mean"].as_f64().unwrap() && rel["mean"].as_f64().unwrap() <= rhi);
    for k in ["difference", "relative"] {
        assert!(v["overall"]["p90"][k]["mean"].is_number(), "p90.{k}");
        assert!(v["modes"]["customers"][k]["mean"].is_number(), "{k}");
    }
    // 4 officers × 8 h × 5 days against 1 × 24 h × 7 days: 160 against 168 hours a week.
    let staff = &v["staff_hours"];
    let (sa, sb) = (
        staff["a"]["mean"].as_f64().unwrap(),
        staff["b"]["mean"].as_f64().unwrap(),
    );
    assert!((sa - 160.0 * 12.0).abs() < 1e-6, "{sa}");
    assert!((sb - 168.0 * 12.0).abs() < 1e-6, "{sb}");
    assert!((staff["difference"]["mean"].as_f64().unwrap() - (sb - sa)).abs() < 1e-6);
}

#[test]
fn pairing_narrows_the_interval() {
    let args = [
        "--policies",
        "business-hours,extended",
        "--set",
        "horizon_days=182",
        "--replications",
        "10",
    ];
    let paired = compare_json(&args);
    let independent = compare_json(&[&args[..], &["--independent"]].concat());
    assert_eq!(paired["paired"], true);
    assert_eq!(independent["paired"], false);
    assert_eq!(independent["a"]["seed"], 1);
    assert_eq!(independent["b"]["seed"], 4_611_686_018_427_387_905_u64);
    let width = |v: &serde_json::Value, what: &str| {
        let [lo, hi] = pair(&v["overall"][what]["ci95"]);
        hi - lo
    };
    for what in ["difference", "relative"] {
        let (p, i) = (width(&paired, what), width(&independent, what));
        assert!(p < i, "{what}: paired {p} vs independent {i}");
    }
    // The paired run says itself what pairing bought: its widths against Welch's on the
    // same values — near what the independent run measured (another sample of B).
    let gain = &paired["overall"]["pairing"];
    let rho = gain["correlation"].as_f64().unwrap();
    assert!(rho > 0.3 && rho <= 1.0, "{gain}");
    for what in ["difference", "relative"] {
        let claimed = gain[format!("{what}_narrower")].as_f64().unwrap();
        let measured = width(&independent, what) / width(&paired, what);
        assert!(claimed > 1.0, "{what}: {gain}");
        assert!(
            (claimed / measured - 1.0).abs() < 0.5,
            "{what}: {claimed} claimed, {measured} measured"
        );
    }
    assert!(independent["overall"].get("pairing").is_none());
    let out = compare(&args);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines().any(
            |l| l.starts_with("pairing narrowed the intervals of the mean's change ")
                && l.contains("× (difference)")
                && l.ends_with(&format!("(correlation {rho:.2})"))
        ),
        "{text}"
    );
}

#[test]
fn difference_equals_the_difference_of_two_runs() {
    let file = repo(BUSINESS_HOURS);
    let short = [
        "--set",
        ROSTER_7X24,
        "--set",
        "horizon_days=70",
        "--replications",
        "4",
        "--seed",
        "7",
    ];
    let run_mean = |policy: &str| {
        let out = portsim()
            .args(
                [
                    &["run", file.to_str().unwrap(), "--json", "--policy", policy],
                    &short[..],
                ]
                .concat(),
            )
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["overall"]["clearance_hours"]["mean"].as_f64().unwrap()
    };
    let (a, b) = (run_mean("business-hours"), run_mean("7x24"));
    let v = compare_json(&[&["--policies", "business-hours,7x24"], &short[..]].concat());
    assert_eq!(v["seed"], 7);
    let d = v["overall"]["difference"]["mean"].as_f64().unwrap();
    assert!((d - (b - a)).abs() < 1e-9, "{d} vs {}", b - a);
    assert_eq!(v["a"]["clearance_hours"]["mean"].as_f64().unwrap(), a);
    assert_eq!(v["b"]["clearance_hours"]["mean"].as_f64().unwrap(), b);
}

/// Runs `portsim compare args` and checks for exit 2 with one `error: ` line that
/// contains `expected`.
fn refused(args: &[&str], expected: &str) {
    let out = portsim().arg("compare").args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{args:?}: one line, got {stderr}");
    assert!(
        lines[0].starts_with("error: ") && lines[0].contains(expected),
        "{args:?}: {stderr}"
    );
}

#[test]
fn bad_input_exits_2_with_one_message() {
    let file = repo(BUSINESS_HOURS);
    let f = file.to_str().unwrap();
    let mmc = repo("scenarios/validation/mmc.toml");
    let m = mmc.to_str().unwrap();
    refused(
        &[f],
        "needs --policies A,B (two policies), or a value changed",
    );
    refused(
        &[f, "--policies", "business-hours"],
        "--policies expects two policies",
    );
    refused(&[f, "--policies", "business-hours,business-hours"], "twice");
    refused(
        &[f, "--policies", "business-hours,nope"],
        "no pool has a roster for policy \"nope\"",
    );
    refused(
        &[f, m, "--policies", "business-hours,7x24"],
        "with two scenario files",
    );
    refused(&[f, "--policies", "a,b", "--policy", "a"], "no --policy");

    // Two files whose seeds differ cannot be paired.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(&mmc).unwrap();
    let other = dir.path().join("seed-2.toml");
    std::fs::write(&other, text.replace("seed = 1", "seed = 2")).unwrap();
    refused(&[m, other.to_str().unwrap()], "differ in seed (1 vs 2)");
}

#[test]
fn two_scenario_files_are_compared() {
    let dir = tempfile::tempdir().unwrap();
    let mmc = repo("scenarios/validation/mmc.toml");
    let text = std::fs::read_to_string(&mmc).unwrap();
    let four = dir.path().join("mm4.toml");
    std::fs::write(
        &four,
        text.replace("name = \"M/M/3\"", "name = \"M/M/4\"")
            .replace("staff = 3 ", "staff = 4 "),
    )
    .unwrap();
    let out = portsim()
        .args([
            "compare",
            mmc.to_str().unwrap(),
            four.to_str().unwrap(),
            "--set",
            "horizon_days=60",
            "--replications",
            "4",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["a"]["scenario"], "M/M/3");
    assert_eq!(v["b"]["scenario"], "M/M/4");
    // A fourth server: shorter clearance, a third more staff-hours.
    assert!(v["overall"]["difference"]["mean"].as_f64().unwrap() < 0.0);
    let rel = v["staff_hours"]["relative"]["mean"].as_f64().unwrap();
    assert!((rel - 1.0 / 3.0).abs() < 1e-9, "{rel}");
}

/// An overloaded side is flagged unstable in the JSON and the table, not only in the
/// warnings on stderr.
#[test]
fn an_overloaded_side_is_flagged_unstable() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo("scenarios/validation/mmc.toml")).unwrap();
    let two = tmp.path().join("two-officers.toml");
    std::fs::write(&two, text.replace("staff = 3", "staff = 2")).unwrap();
    let a = repo("scenarios/validation/mmc.toml");
    let args = [
        "compare",
        a.to_str().unwrap(),
        two.to_str().unwrap(),
        "--set",
        "horizon_days=60",
        "--replications",
        "2",
    ];
    let out = portsim().args(args).arg("--json").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "overload is not an error");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["a"]["unstable"], false);
    assert_eq!(v["b"]["unstable"], true);
    assert_eq!(v["unstable"], true);
    let table = String::from_utf8(portsim().args(args).output().unwrap().stdout).unwrap();
    let lines: Vec<&str> = table.lines().collect();
    assert!(!lines[0].contains("UNSTABLE"), "{table}");
    // The side names what made it unstable: the pool, the measures, from when.
    assert!(
        lines[1].contains(
            "UNSTABLE (pool \"servers\": offered_load_general+offered_load_all from 2024-01-"
        ) && lines[1].contains("its figures describe that, not a steady state"),
        "{table}"
    );
    assert_eq!(v["a"]["unstable_reasons"], serde_json::json!([]));
    assert!(
        v["b"]["unstable_reasons"][0]
            .as_str()
            .unwrap()
            .starts_with("pool \"servers\": offered_load_general+offered_load_all from ")
    );
}

#[test]
fn one_scenario_against_itself_with_the_fast_track_off_on_one_side() {
    // M/M/3 at ρ = 0.9 with 30 % in the priority class: the fast track shortens the
    // priority class's clearance and lengthens the normal class's, paired shipment by
    // shipment; side A runs without it.
    let mmc = repo("scenarios/validation/mmc.toml");
    let out = portsim()
        .args([
            "compare",
            mmc.to_str().unwrap(),
            "--set",
            "modes.customers.priority_share=0.3",
            "--set",
            "horizon_days=60",
            "--set",
            "warmup_days=5",
            "--set-a",
            "modes.customers.fast_track=false",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["a"]["overrides"][0], "modes.customers.fast_track=false");
    assert!(v["b"].get("overrides").is_none(), "{}", v["b"]);
    let [lo, hi] = pair(&v["classes"]["priority"]["difference"]["ci95"]);
    assert!(
        hi < 0.0,
        "the fast track shortens the priority class: {lo} … {hi}"
    );
    let [lo, hi] = pair(&v["classes"]["normal"]["difference"]["ci95"]);
    assert!(
        lo > 0.0,
        "and lengthens the normal class's wait: {lo} … {hi}"
    );
    // With the fast track off on both sides the classes are labels of one queue: their
    // means differ only by chance.
    let a = &v["classes"]["priority"]["a"]["mean"];
    let n = &v["classes"]["normal"]["a"]["mean"];
    let (a, n) = (a.as_f64().unwrap(), n.as_f64().unwrap());
    assert!(
        (a - n).abs() < 0.15 * n,
        "without the fast track: priority {a} h, normal {n} h"
    );
}

#[test]
fn set_a_and_set_b_are_checked_like_set() {
    let mmc = repo("scenarios/validation/mmc.toml");
    let m = mmc.to_str().unwrap();
    refused(
        &[m],
        "or a value changed on one side (--set-a / --set-b PATH=VALUE)",
    );
    refused(&[m, "--set-a", "nonsense"], "--set-a expects PATH=VALUE");
    refused(
        &[m, "--set-b", "pools.nobody.staff=3"],
        "--set-b pools.nobody.staff",
    );
}

#[test]
fn sides_that_differ_from_a_date_on_share_the_days_before_it_and_each_is_its_own_run() {
    // The rush's extra hands on one side only: the sides run alike until the rush
    // starts, and both continue one run of the days before it.
    let tmp = tempfile::tempdir().unwrap();
    let file = mmc_with_rush(tmp.path());
    let file = file.to_str().unwrap();
    let short = [
        "--set",
        "horizon_days=50",
        "--replications",
        "4",
        "--seed",
        "7",
    ];
    let mut args = vec![
        "compare",
        file,
        "--set-a",
        "peaks.rush.extra_staff.servers=2",
    ];
    args.extend(short);
    args.push("--json");
    let out = ok_noting(
        &args,
        "the two sides run alike until 2024-01-31 00:00: the days before it run once",
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // Each side's mean and its interval (from every replication's mean) are its own run's.
    for (side, extra) in [("a", "2"), ("b", "1")] {
        let set = format!("peaks.rush.extra_staff.servers={extra}");
        let mut run = vec!["run", file, "--set", &set, "--json"];
        run.extend(short);
        let own: serde_json::Value = serde_json::from_str(&ok(&run)).unwrap();
        assert_eq!(
            v[side]["clearance_hours"]["mean"], own["overall"]["clearance_hours"]["mean"],
            "side {side}"
        );
        assert_eq!(
            v[side]["clearance_hours"]["ci95"], own["overall"]["clearance_hours"]["mean_ci95"],
            "side {side}"
        );
    }
}
