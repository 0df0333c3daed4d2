//! `portsim staff`: the smallest staffing that meets clearance targets, checked against
//! queueing theory, its JSON and table, no answer (exit 1), and bad input (exit 2).

use portsim::theory::Mmc;

use crate::support::{bad, mmc, mmc_with_rush, ok, ok_noting, portsim};

/// M/M/c at 4.5 arrivals an hour, service 1 h (mmc.toml with its rate raised).
const RATE: &str = "modes.customers.arrivals.rate_per_hour=4.5";

/// `portsim staff` on mmc.toml at RATE with these extra arguments.
fn staff(extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "staff",
        &mmc(),
        "--set",
        RATE,
        "--vary",
        "pools.servers.staff",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn refs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

/// Runs `portsim staff` on mmc.toml with `extra`, asserting the exit code; returns
/// (stdout, stderr).
fn staff_exits(code: i32, extra: &[&str]) -> (String, String) {
    let out = portsim().args(refs(&staff(extra))).output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert_eq!(out.status.code(), Some(code), "{stdout}\n{stderr}");
    (stdout, stderr)
}

/// The smallest c whose Erlang C figures meet both bounds.
fn theory_answer(mean_hours: f64, p90_hours: f64) -> u32 {
    (5..100)
        .find(|&c| {
            let q = Mmc::new(4.5, 1.0, c).unwrap();
            q.mean_sojourn() <= mean_hours && q.sojourn_quantile(0.9) <= p90_hours
        })
        .unwrap()
}

#[test]
fn the_answer_is_erlang_cs_smallest_staffing() {
    // Bounds well away from the theoretical figures of c = 6 and 7 (1.28 / 1.09 h mean,
    // 2.80 / 2.44 h p90), so the intervals cannot straddle them.
    let expected = theory_answer(1.2, 3.0);
    assert_eq!(expected, 7);
    let v: serde_json::Value = serde_json::from_str(&ok(&refs(&staff(&[
        "--target",
        "mean<=1.2h",
        "--target",
        "p90<=3h",
        "--max",
        "40",
        "--json",
    ]))))
    .unwrap();
    assert_eq!(v["schema"], "portsim.staff/1");
    assert_eq!(v["answer"], i64::from(expected));
    assert_eq!(v["vary"][0], "pools.servers.staff");
    assert_eq!(v["range"], serde_json::json!([1, 40]));
    assert_eq!(v["targets"][0]["metric"], "mean");
    assert_eq!(v["targets"][1]["hours"], 3.0);
    let candidates = v["candidates"].as_array().unwrap();
    let values: Vec<i64> = candidates
        .iter()
        .map(|c| c["value"].as_i64().unwrap())
        .collect();
    assert!(values.windows(2).all(|w| w[0] < w[1]), "{values:?}");
    assert!(values.len() <= 7, "bisection, not a scan: {values:?}");
    for c in candidates {
        let n = c["value"].as_i64().unwrap();
        assert_eq!(c["met"], n >= i64::from(expected), "{c}");
        // Each figure agrees with theory within its interval (widened a little for the
        // pooled quantile's own noise).
        let q = Mmc::new(4.5, 1.0, n as u32).unwrap();
        for (f, want) in c["figures"]
            .as_array()
            .unwrap()
            .iter()
            .zip([q.mean_sojourn(), q.sojourn_quantile(0.9)])
        {
            let [lo, hi] = [
                f["ci95"][0].as_f64().unwrap(),
                f["ci95"][1].as_f64().unwrap(),
            ];
            let slack = 0.5 * (hi - lo);
            assert!(
                lo - slack <= want && want <= hi + slack,
                "N = {n}: {f} vs theory {want}"
            );
        }
        assert!(c["staff_hours"].as_f64().unwrap() > 0.0);
    }
    // The value just below the answer ran and failed.
    assert!(values.contains(&(i64::from(expected) - 1)));
}

#[test]
fn the_table_names_the_answer_and_the_value_below_it() {
    let text = ok(&refs(&staff(&[
        "--target",
        "customers.p90<=3h",
        "--max",
        "12",
    ])));
    assert!(
        text.contains("N = pools.servers.staff over 1 … 12; targets: customers.p90<=3h"),
        "{text}"
    );
    assert!(
        text.contains(
            "answer: N = 6 is the smallest value that meets every target (N = 5 does not)"
        ),
        "{text}"
    );
    assert!(text.contains("fails") && text.contains("meets"), "{text}");
}

#[test]
fn overloaded_candidates_never_meet_and_no_answer_exits_1() {
    // Four officers serve 4 an hour: 4.5 an hour overloads every value up to 4.
    let (stdout, stderr) = staff_exits(1, &["--target", "mean<=100h", "--max", "4"]);
    let text = stdout;
    assert!(text.contains("overloaded"), "{text}");
    assert!(
        text.contains("no answer: even N = 4, the top of the range, fails (the run is overloaded)"),
        "{text}"
    );
    let err = stderr;
    assert!(
        err.contains("error: no value of pools.servers.staff up to 4 meets every target"),
        "{err}"
    );
    // With --json the document still comes out, with no answer.
    let (stdout, _) = staff_exits(1, &["--target", "mean<=0.5h", "--max", "30", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(v["answer"].is_null());
    assert_eq!(v["candidates"].as_array().unwrap().len(), 1);
    assert_eq!(v["candidates"][0]["figures"][0]["met"], false);
}

#[test]
fn the_search_is_the_same_for_any_thread_count() {
    let run = |jobs: &str| {
        ok(&refs(&staff(&[
            "--target", "p90<=3h", "--max", "9", "--json", "--jobs", jobs,
        ])))
    };
    assert_eq!(run("1"), run("2"));
}

#[test]
fn bad_searches_are_refused_with_one_located_message() {
    let cases: [(&[&str], &str); 9] = [
        (
            &["--target", "p80<=3h", "--max", "9"],
            "--target expects [MODE.]METRIC<=DURATION",
        ),
        (
            &["--target", "p90<=3", "--max", "9"],
            "--target \"p90<=3\": expected a duration",
        ),
        (
            &["--target", "air.p90<=3h", "--max", "9"],
            "the scenario has no mode \"air\" (modes: customers)",
        ),
        (
            &["--target", "p90<=3h", "--min", "9", "--max", "3"],
            "--min 9 is above --max 3",
        ),
        (
            &[
                "--target",
                "p90<=3h",
                "--max",
                "9",
                "--set",
                "pools.servers.staff=4",
            ],
            "--vary pools.servers.staff is also given with --set",
        ),
        (
            &["--target", "p90<=3h", "--max", "0", "--min", "0"],
            "at N = 0 (pools.servers.staff): ",
        ),
        // Refused before anything runs, although the answer (6) lies well above 0.
        (
            &["--target", "p90<=3h", "--max", "9", "--min", "0"],
            "at N = 0 (pools.servers.staff): ",
        ),
        (&["--target", "p90<=3h", "--max", "2000000"], "--max"),
        (&["--target", "p90<=3h"], "--max"),
    ];
    for (extra, want) in cases {
        let err = bad(&refs(&staff(extra)));
        assert!(err.contains(want), "{extra:?}: {err}");
    }
    // An unknown path is named, as --vary.
    let err = bad(&[
        "staff",
        &mmc(),
        "--target",
        "p90<=3h",
        "--vary",
        "pools.servers.stafff",
        "--max",
        "5",
    ]);
    assert!(
        err.contains("pools.servers.stafff") && err.contains("--vary"),
        "{err}"
    );
}

#[test]
fn unreleased_and_capped_runs_never_meet_and_say_why() {
    // A generous target at up to 9 officers, with one scenario value set.
    let unhealthy = |set: &str, json: &[&str]| {
        let mut extra = vec!["--target", "mean<=100h", "--max", "9", "--set", set];
        extra.extend_from_slice(json);
        staff_exits(1, &extra).0
    };
    // No drain: shipments still in the system at the horizon are unreleased.
    let text = unhealthy("drain_days=0", &[]);
    assert!(text.contains("unreleased left"), "{text}");
    assert!(text.contains("(the run is unreleased left)"), "{text}");
    // A cap of 5 shipments in the system turns arrivals away.
    let v: serde_json::Value =
        serde_json::from_str(&unhealthy("max_in_system=5", &["--json"])).unwrap();
    let top = &v["candidates"][0];
    assert!(top["turned_away"].as_u64().unwrap() > 0, "{top}");
    assert_eq!(top["unstable"], false, "capped, not overloaded: {top}");
    assert_eq!(top["met"], false);
}

#[test]
fn one_replication_is_judged_on_estimates_with_a_warning() {
    let (stdout, stderr) = staff_exits(
        0,
        &[
            "--target",
            "p90<=3h",
            "--max",
            "9",
            "--replications",
            "1",
            "--json",
        ],
    );
    let err = stderr;
    assert!(
        err.contains("warning: one replication per candidate"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(v["candidates"][0]["figures"][0]["ci95"].is_null());
    assert!(v["answer"].as_i64().is_some());
}

#[test]
fn an_automatic_warm_up_is_estimated_once_for_every_candidate() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(mmc()).unwrap();
    let auto = tmp.path().join("auto.toml");
    std::fs::write(
        &auto,
        text.replace("warmup_days = 20\n", "warmup = \"auto\"\n"),
    )
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&ok(&[
        "staff",
        auto.to_str().unwrap(),
        "--set",
        RATE,
        "--vary",
        "pools.servers.staff",
        "--target",
        "p90<=3h",
        "--max",
        "9",
        "--json",
    ]))
    .unwrap();
    let hours = v["warmup_hours"].as_f64().unwrap();
    assert_eq!(hours % 24.0, 0.0, "whole days: {hours}");
    assert_eq!(v["answer"], 6);
}

#[test]
fn a_search_over_a_peaks_extra_hands_runs_the_days_before_it_once_with_the_same_figures() {
    // mmc.toml's three servers with nine busier days from day 30: the extra hands count
    // only from 2024-01-31, so the candidates run alike until then — all but the one
    // without extra hands (0), which has no change of staff pending there and runs on
    // its own from the start.
    let tmp = tempfile::tempdir().unwrap();
    let file = mmc_with_rush(tmp.path());
    let file = file.to_str().unwrap();
    let short = ["--set", "horizon_days=50", "--replications", "4"];
    let vary = "peaks.rush.extra_staff.servers";
    let mut args = vec!["staff", file, "--vary", vary, "--min", "0", "--max", "5"];
    args.extend(["--target", "mean<=5h", "--json"]);
    args.extend(short);
    let out = ok_noting(
        &args,
        "the candidates run alike until 2024-01-31 00:00: the days before it run once",
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let candidates = v["candidates"].as_array().unwrap();
    let values: Vec<i64> = candidates
        .iter()
        .map(|c| c["value"].as_i64().unwrap())
        .collect();
    assert_eq!(values, [0, 1, 2, 5], "{v}");
    // Each candidate's figures are those of its scenario run from the start, bit for bit.
    for c in candidates {
        let n = c["value"].as_i64().unwrap();
        let set = format!("{vary}={n}");
        let mut run = vec!["run", file, "--set", &set, "--json"];
        run.extend(short);
        let r: serde_json::Value = serde_json::from_str(&ok(&run)).unwrap();
        let clearance = &r["overall"]["clearance_hours"];
        assert_eq!(c["mean_clearance_hours"], clearance["mean"], "N = {n}");
        assert_eq!(c["figures"][0]["ci95"], clearance["mean_ci95"], "N = {n}");
        assert_eq!(c["officer_hours"], r["officer_hours"], "N = {n}");
    }
}
