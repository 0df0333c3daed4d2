//! Overload is flagged where it is real and only there: the offered load measured
//! against the capacity that can take the work, and the model-free backlog-growth
//! detector (`experiment::backlog`), validated on M/M/10 queues with seeds fixed in
//! advance, on rosters, on the shipped scenarios, and on the case that once slipped
//! through (on-call officers counted as capacity for work they may not take).

use portsim::experiment::{PoolSummary, Summary};

use crate::support::{flagship, mmc, model, run};

/// The M/M/10 of the validation: `mmc.toml` with ten officers, exponential service of
/// mean 1 h and arrivals at 10ρ an hour; 400 days with 20 of warm-up, 10 replications.
fn mm10(rho: f64, seed: u64) -> Summary {
    let rate = format!("modes.customers.arrivals.rate_per_hour={}", 10.0 * rho);
    let seed = format!("seed={seed}");
    let m = model(
        "scenarios/validation/mmc.toml",
        &["pools.servers.staff=10", &rate, &seed],
    );
    run(&m).1
}

fn servers(s: &Summary) -> &PoolSummary {
    &s.pools["servers"]
}

/// Seeds 1–50, fixed before the detector was tried on them; for each load, how many
/// runs the pool is flagged unstable in, and how many the backlog detector alone flags.
/// Stable loads: at most 1 of 50; overloaded: at least 49 of 50 (issue acceptance).
/// The rates are reported in docs/experiments.md ("Overload").
#[test]
fn mm10_with_fifty_fixed_seeds() {
    for (rho, stable) in [
        (0.9, true),
        (0.95, true),
        (1.02, false),
        (1.1, false),
        (2.0, false),
    ] {
        let (mut flagged, mut by_backlog) = (0, 0);
        for seed in 1..=50 {
            let s = mm10(rho, seed);
            let p = servers(&s);
            flagged += usize::from(p.unstable);
            by_backlog += usize::from(p.backlog_growth.as_ref().unwrap().growing);
            assert_eq!(s.unstable, p.unstable || s.overall.unreleased > 0);
        }
        eprintln!("M/M/10 rho {rho}: flagged {flagged}/50, by backlog growth {by_backlog}/50");
        if stable {
            assert!(flagged <= 1, "rho {rho}: {flagged} of 50 flagged");
            assert!(by_backlog <= 1, "rho {rho}: {by_backlog} of 50 by backlog");
        } else {
            assert!(flagged >= 49, "rho {rho}: {flagged} of 50 flagged");
            assert!(by_backlog >= 49, "rho {rho}: {by_backlog} of 50 by backlog");
        }
    }
}

#[test]
fn growth_share_estimates_the_unserved_share_of_demand() {
    // ρ = 1.1: the queue grows at λ − cμ = 1 an hour, 1 − 1/ρ = 9.1 % of arrivals.
    let s = mm10(1.1, 7);
    let g = servers(&s).backlog_growth.clone().unwrap();
    let [lo, hi] = g.share_ci95.unwrap();
    assert!(lo < 1.0 - 1.0 / 1.1 && 1.0 - 1.0 / 1.1 < hi, "{g:?}");
    assert_eq!(g.weeks, 27);
    let p = servers(&s);
    assert_eq!(
        p.unstable_reasons,
        ["offered_load_general", "offered_load_all", "backlog_growth"]
    );
    // Growing from the first days of the window (it starts on 2024-01-21).
    let since = p.unstable_since.as_deref().unwrap();
    assert!(("2024-01-21".."2024-02-04").contains(&since), "{since}");
}

/// A business-hours pool (Mon–Fri 09–17, four officers: 160 officer-hours a week)
/// facing arrivals around the clock; `rate` per hour, exponential service of 1 h.
fn business_hours(rate: f64) -> Summary {
    let m = model(
        "scenarios/validation/business-hours.toml",
        &[
            &format!("modes.customers.arrivals.rate_per_hour={rate}"),
            "modes.customers.stages.serve.time.mean=1h",
            "horizon_days=196",
        ],
    );
    run(&m).1
}

#[test]
fn a_roster_below_weekly_demand_is_flagged() {
    // 1.2 an hour: 202 hours of work a week against 160 rostered officer-hours and
    // about 20 of overtime (officers finish the shipment in hand at 17:00).
    let s = business_hours(1.2);
    let p = servers(&s);
    assert_eq!(
        p.unstable_reasons,
        ["offered_load_general", "offered_load_all", "backlog_growth"]
    );
    // 1.0 an hour: 168 hours of work a week. The roster keeps up only through the
    // overtime its non-preemptive closing gives, so the backlog does not grow, but the
    // offered load of its rostered hours says it is short.
    let s = business_hours(1.0);
    let p = servers(&s);
    assert!(p.offered_load > 1.0 && p.overtime_hours > 0.05 * p.staff_hours);
    assert!(!p.backlog_growth.as_ref().unwrap().growing);
    assert_eq!(
        p.unstable_reasons,
        ["offered_load_general", "offered_load_all"]
    );
    // 0.8 an hour: 134 hours a week. The queue swells every night and weekend and
    // empties, so it is stable.
    let s = business_hours(0.8);
    let p = servers(&s);
    assert!(
        !p.unstable,
        "{:?} {:?}",
        p.unstable_reasons, p.backlog_growth
    );
}

#[test]
fn overloaded_on_weekdays_but_clear_every_weekend_is_stable() {
    // Ten officers around the clock; arrivals only Monday to Friday at 12 an hour: 20 %
    // beyond capacity on weekdays (a backlog of about 240 by Friday night), cleared
    // over the weekend (1,440 hours of work a week against 1,680 officer-hours).
    let m = model(
        "scenarios/validation/mmc.toml",
        &[
            "pools.servers.staff=10",
            "modes.customers.arrivals.rate_per_hour=12",
            "modes.customers.arrivals.weekly_profile=[1, 1, 1, 1, 1, 0, 0]",
            "horizon_days=196",
        ],
    );
    let s = run(&m).1;
    let p = servers(&s);
    assert!(
        p.mean_queue > 50.0,
        "a real weekday backlog: {}",
        p.mean_queue
    );
    let friday_night = p.hour_of_week.queue[4 * 24 + 23].unwrap();
    let sunday_night = p.hour_of_week.queue[6 * 24 + 23].unwrap();
    assert!(
        friday_night > 150.0 && sunday_night < 1.0,
        "{friday_night} {sunday_night}"
    );
    assert!(
        !p.unstable,
        "{:?} {:?}",
        p.unstable_reasons, p.backlog_growth
    );
}

#[test]
fn on_call_officers_do_not_count_as_capacity_for_plain_work() {
    // Chongqing 2016 with the business-hours release shifts cut by a quarter (24 → 18):
    // general officers cannot keep up with the plain work, although with the on-call
    // officers' hours counted the load looks like 0.7.
    let m = model(
        "scenarios/chongqing-2016.toml",
        &[
            "pools.release.rosters.business-hours.0.staff=18",
            "pools.release.rosters.business-hours.1.staff=18",
            "replications=3",
        ],
    );
    let s = run(&m).1;
    let p = &s.pools["release"];
    assert!(p.offered_load_all < 0.8, "{}", p.offered_load_all);
    assert!(p.offered_load_general > 1.0, "{}", p.offered_load_general);
    assert_eq!(p.offered_load, p.offered_load_general);
    assert!(p.backlog_growth.as_ref().unwrap().growing);
    assert!(p.unstable && s.unstable);
    let w = s.warnings().join("\n");
    assert!(
        w.contains("pool \"release\" is overloaded from 2016-")
            && w.contains("general officers' hours")
            && w.contains("backlog grows by"),
        "{w}"
    );
    for other in ["review", "inspection", "quarantine"] {
        assert!(!s.pools[other].unstable, "{other}");
    }
}

#[test]
fn no_shipped_scenario_is_flagged() {
    for path in [
        "scenarios/chongqing-2016.toml",
        "scenarios/chongqing-2017.toml",
        "scenarios/chongqing-peak-2017.toml",
        "scenarios/validation/mm1.toml",
        "scenarios/validation/mmc.toml",
        "scenarios/validation/md1.toml",
        "scenarios/validation/mg1-lognormal.toml",
        "scenarios/validation/business-hours.toml",
    ] {
        // The flagship files' shipped runs are shared with tests/flagship.rs.
        let owned;
        let s = match path {
            "scenarios/chongqing-2016.toml" | "scenarios/chongqing-2017.toml" => &flagship(path).1,
            _ => {
                owned = run(&model(path, &[])).1;
                &owned
            }
        };
        for (name, p) in &s.pools {
            assert!(
                !p.unstable,
                "{path}: pool {name}: {:?} {:?}",
                p.unstable_reasons, p.backlog_growth
            );
        }
        assert!(!s.unstable, "{path}");
    }
}

/// mmc.toml (M/M/3, service 1 h) at 3.3 arrivals an hour: ρ = 1.1, over 120 days.
const OVER: [&str; 4] = [
    "--set",
    "modes.customers.arrivals.rate_per_hour=3.3",
    "--set",
    "horizon_days=120",
];

/// The words every output repeats: pool, measures, from when.
const WHY: &str = "pool \"servers\" is overloaded from 2024-01-";

#[test]
fn run_shows_why_in_the_warning_the_table_the_json_and_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    let plots = tmp.path().join("plots");
    let out = crate::support::portsim()
        .args(["run", &mmc(), "--replications", "3"])
        .args(OVER)
        .args(["--plots", plots.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "overload alone is not an error");
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    for text in [&stdout, &stderr] {
        assert!(text.contains(WHY), "{text}");
        assert!(
            text.contains("offered load 1.0") || text.contains("offered load 1.1"),
            "{text}"
        );
        assert!(text.contains("its backlog grows by"), "{text}");
    }
    assert!(stdout.contains("backlog growth"), "the column: {stdout}");
    let html = std::fs::read_to_string(plots.join("report.html")).unwrap();
    assert!(
        html.contains(
            "UNSTABLE: offered_load_general, offered_load_all, backlog_growth from 2024-01-"
        ),
        "report.html names the measures and the date"
    );
    let json = crate::support::ok(
        &[
            &["run", &mmc(), "--replications", "3", "--json"][..],
            &OVER[..],
        ]
        .concat(),
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let p = &v["pools"]["servers"];
    assert_eq!(p["unstable"], true);
    assert_eq!(
        p["unstable_reasons"],
        serde_json::json!(["offered_load_general", "offered_load_all", "backlog_growth"])
    );
    assert!(
        p["unstable_since"]
            .as_str()
            .unwrap()
            .starts_with("2024-01-")
    );
    assert!(p["backlog_growth"]["share"].as_f64().unwrap() > 0.05);
}

#[test]
fn sweep_and_staff_name_the_overloaded_pool() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = tmp.path().join("sweep.toml");
    std::fs::write(
        &sweep,
        format!(
            "scenario = {:?}\nreplications = 3\n[[axes]]\nset = \"modes.customers.arrivals.rate_per_hour\"\nvalues = [2.7, 3.3]\n",
            mmc()
        ),
    )
    .unwrap();
    let out_dir = tmp.path().join("out");
    let out = crate::support::portsim()
        .args([
            "sweep",
            sweep.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ])
        .args(["--set", "horizon_days=120"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("UNSTABLE: servers"), "{table}");
    assert!(String::from_utf8(out.stderr).unwrap().contains(WHY));
    let csv = std::fs::read_to_string(out_dir.join("results.csv")).unwrap();
    let mut rows = csv.lines().map(|l| l.split(',').collect::<Vec<_>>());
    let head = rows.next().unwrap();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let rows: Vec<Vec<&str>> = rows.collect();
    let reasons = col("pool.servers.unstable_reasons");
    assert_eq!(rows[0][reasons], "");
    assert_eq!(
        rows[1][reasons],
        "offered_load_general+offered_load_all+backlog_growth"
    );
    assert!(rows[1][col("pool.servers.unstable_since")].starts_with("2024-01-"));
    assert!(
        rows[1][col("pool.servers.backlog_growth")]
            .parse::<f64>()
            .unwrap()
            > 0.05
    );

    // staff: a candidate with three officers at 3.3 an hour is overloaded, and says how.
    let out = crate::support::portsim()
        .args([
            "staff",
            &mmc(),
            "--vary",
            "pools.servers.staff",
            "--target",
            "mean<=100h",
        ])
        .args(["--min", "3", "--max", "3", "--replications", "3"])
        .args(OVER)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("overloaded (servers: offered_load_general+offered_load_all+backlog_growth from 2024-01-"),
        "{text}"
    );
}

#[test]
fn check_names_the_overloaded_pool_of_a_run_that_became_unstable() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tmp.path().join("mmc.toml");
    std::fs::copy(
        crate::support::repo("scenarios/validation/mmc.toml"),
        &scenario,
    )
    .unwrap();
    let s = scenario.to_str().unwrap();
    let b = tmp.path().join("baseline.json");
    let b = b.to_str().unwrap();
    let short = ["--set", "horizon_days=120", "--replications", "3"];
    crate::support::ok(&[&["check", s, "--baseline", b, "--update"][..], &short[..]].concat());
    let out = crate::support::portsim()
        .args(["check", s, "--baseline", b])
        .args(short)
        .args(["--set", "modes.customers.arrivals.rate_per_hour=3.3"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "a run that became unstable fails the check"
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("overloaded: servers: offered_load_general+offered_load_all+backlog_growth from 2024-01-"),
        "{text}"
    );
    assert!(String::from_utf8(out.stderr).unwrap().contains(WHY));
}
