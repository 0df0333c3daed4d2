//! `portsim run` and `portsim validate` from the command line.

use portsim::theory::Mmc;

use crate::support::{portsim, repo};

fn json_of(args: &[&str]) -> serde_json::Value {
    let out = portsim().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is exactly one JSON document")
}

#[test]
fn json_summary_has_the_contract_shape() {
    let mmc = repo("scenarios/validation/mmc.toml");
    let v = json_of(&[
        "run",
        mmc.to_str().unwrap(),
        "--json",
        "--set",
        "horizon_days=60",
        "--replications",
        "3",
    ]);
    assert_eq!(v["schema"], "portsim.summary/1");
    assert_eq!(v["scenario"], "M/M/3");
    assert_eq!(v["policy"], serde_json::Value::Null);
    assert_eq!(v["seed"], 1);
    assert_eq!(v["replications"], 3);
    assert_eq!(v["horizon_hours"], 1440.0);
    assert_eq!(v["warmup_hours"], 480.0);
    assert!(v["events"].as_u64().unwrap() > 0);
    assert!(v["wall_seconds"].as_f64().unwrap() >= 0.0);
    assert_eq!(v["scenario_sha256"].as_str().unwrap().len(), 64);
    let c = &v["overall"]["clearance_hours"];
    for k in ["mean", "p50", "p90", "p95", "p99", "max"] {
        assert!(c[k].as_f64().unwrap() > 0.0, "{k}");
    }
    assert_eq!(c["mean_ci95"].as_array().unwrap().len(), 2);
    assert_eq!(
        v["overall"]["released"],
        v["modes"]["customers"]["released"]
    );
    assert_eq!(v["overall"]["unreleased"], 0);
    let pool = &v["pools"]["servers"];
    for k in ["utilization", "staff_hours", "overtime_hours", "mean_queue"] {
        assert!(pool[k].is_number(), "{k}");
    }
    // 3 officers over the 40-day window.
    assert_eq!(pool["staff_hours"], 3.0 * 40.0 * 24.0);
}

#[test]
fn one_replication_has_no_interval() {
    let mmc = repo("scenarios/validation/mmc.toml");
    let v = json_of(&[
        "run",
        mmc.to_str().unwrap(),
        "--json",
        "--set",
        "horizon_days=30",
        "--replications",
        "1",
    ]);
    assert_eq!(
        v["overall"]["clearance_hours"]["mean_ci95"],
        serde_json::Value::Null
    );
}

#[test]
fn erlang_c_from_the_command_line_within_two_percent() {
    let mmc = repo("scenarios/validation/mmc.toml");
    let v = json_of(&[
        "run",
        mmc.to_str().unwrap(),
        "--json",
        "--set",
        "pools.servers.staff=5",
        "--set",
        "modes.customers.arrivals.rate_per_hour=4.5",
        "--set",
        "horizon_days=4000",
        "--replications",
        "20",
    ]);
    let mean = v["overall"]["clearance_hours"]["mean"].as_f64().unwrap();
    let theory = Mmc::new(4.5, 1.0, 5).unwrap().mean_sojourn();
    assert!(
        (mean - theory).abs() / theory < 0.02,
        "{mean} vs Erlang C {theory}"
    );
}

#[test]
fn out_dir_holds_summary_replications_and_resolved_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    let bh = repo("scenarios/validation/business-hours.toml");
    let v = json_of(&[
        "run",
        bh.to_str().unwrap(),
        "--json",
        "--replications",
        "4",
        "--set",
        "horizon_days=60",
        "--out",
        out.to_str().unwrap(),
    ]);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(saved["overall"], v["overall"]);
    let csv = std::fs::read_to_string(out.join("replications.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + 4, "header and one row per replication");
    assert!(lines[0].starts_with("replication,events,arrivals,released"));
    assert!(lines[0].contains("pool.servers.utilization"));
    let scenario = std::fs::read_to_string(out.join("scenario.toml")).unwrap();
    assert!(scenario.contains("horizon_days = 60"), "{scenario}");
    assert!(scenario.contains("replications = 4"), "{scenario}");
    // The resolved scenario is itself a valid scenario with the same hash.
    let again = portsim::scenario::load(&out.join("scenario.toml"), &[]).unwrap();
    assert_eq!(again.sha256, v["scenario_sha256"].as_str().unwrap());
}

#[test]
fn trace_has_one_row_per_counted_shipment_of_the_first_replication() {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace.csv");
    let bh = repo("scenarios/validation/business-hours.toml");
    let v = json_of(&[
        "run",
        bh.to_str().unwrap(),
        "--json",
        "--replications",
        "1",
        "--set",
        "horizon_days=28",
        "--trace",
        trace.to_str().unwrap(),
    ]);
    let mut reader = csv::Reader::from_path(&trace).unwrap();
    let headers = reader.headers().unwrap().clone();
    for h in [
        "mode",
        "class",
        "channel",
        "arrival_hours",
        "stage1_name",
        "stage1_started",
        "stage1_ended",
        "release_hours",
    ] {
        assert!(headers.iter().any(|x| x == h), "missing column {h}");
    }
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(
        rows.len() as u64,
        v["overall"]["released"].as_u64().unwrap()
    );
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let mut total = 0.0;
    for r in &rows {
        let num = |name: &str| r[col(name)].parse::<f64>().unwrap();
        assert!(
            num("arrival_hours") >= 14.0 * 24.0,
            "counted shipments arrive after the warm-up"
        );
        assert!(num("stage1_started") >= num("arrival_hours"));
        assert_eq!(num("stage1_ended"), num("release_hours"));
        assert_eq!(&r[col("stage1_name")], "serve");
        total += num("clearance_hours");
    }
    let mean = total / rows.len() as f64;
    let reported = v["overall"]["clearance_hours"]["mean"].as_f64().unwrap();
    assert!(
        (mean - reported).abs() < 1e-9 * reported,
        "{mean} vs {reported}"
    );
}

#[test]
fn table_output_is_readable() {
    let bh = repo("scenarios/validation/business-hours.toml");
    let out = portsim()
        .args([
            "run",
            bh.to_str().unwrap(),
            "--replications",
            "2",
            "--set",
            "horizon_days=30",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "business hours",
        "policy business-hours",
        "overall",
        "customers",
        "servers",
        "utilisation",
        "95% CI",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

#[test]
fn validate_accepts_every_shipped_scenario() {
    let mut cmd = portsim();
    cmd.arg("validate");
    for f in ["mm1", "mmc", "md1", "mg1-lognormal", "business-hours"] {
        cmd.arg(repo(&format!("scenarios/validation/{f}.toml")));
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .filter(|l| l.starts_with("ok: "))
            .count(),
        5
    );
}

#[test]
fn several_scenarios_print_side_by_side_and_as_a_json_array() {
    let bh = repo("scenarios/validation/business-hours.toml");
    let mmc = repo("scenarios/validation/mmc.toml");
    let args = [
        "run",
        bh.to_str().unwrap(),
        mmc.to_str().unwrap(),
        "--replications",
        "2",
        "--set",
        "horizon_days=40",
    ];
    let out = portsim().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "[1] business hours",
        "[2] M/M/3",
        "[1] mean ±95% CI · p90",
        "[2] mean ±95% CI · p90",
        "overall",
        "customers",
        "servers",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    let out = portsim().args(args).arg("--json").output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    let list = v.as_array().expect("an array of summaries");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["scenario"], "business hours");
    assert_eq!(list[1]["scenario"], "M/M/3");
}

#[test]
fn precision_driven_replications_stop_at_the_first_batch_that_meets_the_target() {
    let mmc = repo("scenarios/validation/mmc.toml");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "run",
            mmc.to_str().unwrap(),
            "--json",
            "--set",
            "horizon_days=300",
        ];
        args.extend_from_slice(extra);
        json_of(&args)
    };
    let half_width = |v: &serde_json::Value| {
        let c = &v["overall"]["clearance_hours"];
        let [lo, hi] = [
            c["mean_ci95"][0].as_f64().unwrap(),
            c["mean_ci95"][1].as_f64().unwrap(),
        ];
        (hi - lo) / 2.0 / c["mean"].as_f64().unwrap()
    };
    let flags = ["--precision", "3%", "--replications", "3", "--batch", "2"];
    let mut one = run(&[&flags[..], &["--jobs", "1"]].concat());
    let mut two = run(&[&flags[..], &["--jobs", "2"]].concat());
    let n = one["replications"].as_u64().unwrap();
    assert!(
        n > 3 && (n - 3) % 2 == 0,
        "whole batches after the first: {n}"
    );
    let p = &one["precision"];
    assert_eq!(p["met"], true);
    assert_eq!(p["replications"].as_u64(), Some(n));
    assert!(half_width(&one) <= 0.03);
    assert!((p["achieved"].as_f64().unwrap() - half_width(&one)).abs() < 1e-12);
    // The batch before did not meet it.
    let before = run(&["--replications", &(n - 2).to_string()]);
    assert!(half_width(&before) > 0.03);
    // Whatever the threads: the same document apart from wall time.
    one.as_object_mut().unwrap().remove("wall_seconds");
    two.as_object_mut().unwrap().remove("wall_seconds");
    assert_eq!(one, two);

    // A target out of reach stops at the maximum and says so.
    let out = portsim()
        .args([
            "run",
            mmc.to_str().unwrap(),
            "--set",
            "horizon_days=60",
            "--precision",
            "0.1%",
            "--max-replications",
            "4",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("precision target 0.10% not met"), "{err}");
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("replications: 4 to reach"), "{table}");
    // Bad targets: exit 2.
    for bad in ["0%", "150%", "x"] {
        let out = portsim()
            .args(["run", mmc.to_str().unwrap(), "--precision", bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
    }
}

#[test]
fn out_replaces_only_its_own_files_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let mmc = repo("scenarios/validation/mmc.toml");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "run",
            mmc.to_str().unwrap(),
            "--set",
            "horizon_days=40",
            "--replications",
            "2",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        portsim().args(&args).output().unwrap()
    };
    // Twice into the same directory: the second replaces the first's files.
    assert!(run(&[]).status.success());
    assert!(run(&[]).status.success());
    // A file someone else put there is not replaced, and nothing is simulated.
    std::fs::write(out.join("replications.csv"), "mine").unwrap();
    std::fs::remove_file(out.join(".portsim-files")).unwrap();
    let refused = run(&[]);
    assert_eq!(refused.status.code(), Some(2));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("not written by portsim") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("replications.csv")).unwrap(),
        "mine"
    );
    // --force replaces it.
    assert!(run(&["--force"]).status.success());
    assert!(
        std::fs::read_to_string(out.join("replications.csv"))
            .unwrap()
            .starts_with("replication,")
    );
}

#[test]
fn an_overloaded_run_finishes_with_a_warning_and_a_capped_system() {
    // M/M/3 at twice its capacity for 100 days: without the cap the queue would reach
    // ≈ 6,500; capped at 500 in the system, later arrivals are turned away.
    let file = repo("scenarios/validation/mmc.toml");
    let args = [
        "run",
        file.to_str().unwrap(),
        "--set",
        "modes.customers.arrivals.rate_per_hour=6",
        "--set",
        "horizon_days=100",
        "--set",
        "warmup_days=10",
        "--set",
        "max_in_system=500",
        "--replications",
        "2",
    ];
    let out = portsim().args(args).arg("--json").output().unwrap();
    assert!(out.status.success(), "overload is not an error");
    let err = String::from_utf8(out.stderr).unwrap();
    // Turned-away arrivals still offer their work: the offered load is the demand,
    // twice the capacity (6 per hour against 3 officers serving 1 per hour each).
    assert!(
        err.contains("pool \"servers\" is overloaded from 2024-01-")
            && err.contains("offered load 2.0"),
        "names the pool and the demand: {err}"
    );
    assert!(err.contains("utilisation 100.0%"), "{err}");
    assert!(
        err.contains("arriving shipments were turned away: the system held its cap of 500 shipments (max_in_system)"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["unstable"], true);
    assert_eq!(v["pools"]["servers"]["unstable"], true);
    assert_eq!(v["max_in_system"], 500);
    let load = v["pools"]["servers"]["offered_load"].as_f64().unwrap();
    assert!((load / 2.0 - 1.0).abs() < 0.03, "offered load {load}");
    let turned_away = v["modes"]["customers"]["turned_away"].as_u64().unwrap();
    let admitted = v["overall"]["arrivals"].as_u64().unwrap();
    // 6 per hour for 90 counted days in 2 replications, about half turned away.
    let offered = 2.0 * 6.0 * 24.0 * 90.0;
    let total = (turned_away + admitted) as f64;
    assert!((total / offered - 1.0).abs() < 0.02, "{total} of {offered}");
    assert!(turned_away as f64 > 0.4 * total, "{turned_away}");
    // Never more than the cap in the system: the daily backlog stays below it.
    let daily = v["overall"]["series"]["daily"]["in_system"]
        .as_array()
        .unwrap();
    let peak = daily.iter().filter_map(|x| x.as_f64()).fold(0.0, f64::max);
    assert!(peak <= 500.0 && peak > 450.0, "peak {peak}");
    // The table says so too.
    let table = portsim().args(args).output().unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(
        text.contains("arrivals turned away at the cap of 500 shipments in the system"),
        "{text}"
    );
}

#[test]
fn max_in_system_must_be_positive() {
    let out = portsim()
        .args([
            "run",
            repo("scenarios/validation/mmc.toml").to_str().unwrap(),
            "--set",
            "max_in_system=0",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("max_in_system: expected a number of shipments ≥ 1, got 0"),
        "{err}"
    );
}
