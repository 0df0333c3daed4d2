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

/// `mmc.toml` with a fortnight's rush of 30 % more arrivals (10–24 February 2024) that
/// `extra` officers join, written to `dir`.
fn rush_file(dir: &std::path::Path, extra: u32) -> std::path::PathBuf {
    let text = std::fs::read_to_string(mmc()).unwrap();
    let path = dir.join("rush.toml");
    let peak = format!(
        "[[peaks]]\nname = \"rush\"\nfrom = \"2024-02-10\"\nto = \"2024-02-24\"\n\
         arrival_factor = 1.3\nextra_staff = {{ servers = {extra} }}\n"
    );
    std::fs::write(&path, format!("{text}\n{peak}")).unwrap();
    path
}

/// `mmc.toml` (ρ = 0.9) over 120 days with a fortnight's rush of 30 % more arrivals:
/// `extra` officers join it. Loaded from a file, so that the peak has its dates.
fn rush(extra: u32) -> (Vec<portsim::model::ReplicationResult>, Summary) {
    let tmp = tempfile::tempdir().unwrap();
    let path = rush_file(tmp.path(), extra);
    let sets: Vec<portsim::scenario::Override> =
        ["horizon_days=120", "warmup_days=10", "replications=4"]
            .iter()
            .map(|s| portsim::scenario::Override::parse(s).unwrap())
            .collect();
    let m = portsim::scenario::load(&path, &sets).unwrap().model;
    run(&m)
}

/// A rush that three officers cannot keep up with (offered load about 1.17 on its days)
/// while the window as a whole can (about 0.94): the pool is not unstable, but the peak
/// is reported overloaded, with its dates, load and backlog; a fourth officer in the
/// rush (about 0.88) clears it. The daily series the peak is judged on add up to the
/// window's figures.
#[test]
fn a_rush_the_window_absorbs_is_reported_as_a_peak_overload() {
    let (results, s) = rush(0);
    let p = servers(&s);
    assert!(!p.unstable, "{:?}", p.unstable_reasons);
    assert_eq!(p.peaks.len(), 1);
    let peak = &p.peaks[0];
    assert_eq!(
        (peak.name.as_str(), peak.from.as_str(), peak.to.as_str()),
        ("rush", "2024-02-10", "2024-02-24")
    );
    assert!(
        (1.1..1.25).contains(&peak.offered_load),
        "{}",
        peak.offered_load
    );
    assert!(peak.backlog_days > 1.0, "{}", peak.backlog_days);
    assert!(peak.overloaded);
    let warnings = s.warnings().join("\n");
    assert!(
        warnings.contains("pool \"servers\" is overloaded during peak \"rush\" (2024-02-10 to 2024-02-24): offered load 1."),
        "{warnings}"
    );
    for r in &results {
        let pool = &r.pools[0];
        let sum = |v: &[f64]| v.iter().sum::<f64>();
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
        assert!(close(sum(&pool.series.load.offered), pool.offered_hours));
        assert!(close(
            sum(&pool.series.load.offered_general),
            pool.offered_general_hours
        ));
        assert!(close(sum(&pool.series.load.on_call), pool.on_call_hours));
    }

    let (_, s) = rush(1);
    let p = servers(&s);
    assert!(!p.unstable);
    let peak = &p.peaks[0];
    assert!(
        (0.8..0.95).contains(&peak.offered_load),
        "{}",
        peak.offered_load
    );
    assert!(peak.backlog_days < 1.0, "{}", peak.backlog_days);
    assert!(!peak.overloaded);
    assert!(s.warnings().is_empty(), "{:?}", s.warnings());
}

/// The same rush from the command line: the run's table and stderr say it, and a sweep
/// row's status names the pool instead of "ok".
#[test]
fn a_peak_overload_is_shown_where_a_run_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let path = rush_file(tmp.path(), 0);
    let short = [
        "--set",
        "horizon_days=120",
        "--set",
        "warmup_days=10",
        "--replications",
        "2",
    ];
    let out = crate::support::portsim()
        .arg("run")
        .arg(&path)
        .args(short)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let line = "pool \"servers\" is overloaded during peak \"rush\" (2024-02-10 to 2024-02-24)";
    assert!(
        stdout.contains(&format!("PEAK OVERLOAD {line}")),
        "{stdout}"
    );
    assert!(stderr.contains(line), "{stderr}");
    assert!(!stdout.contains("UNSTABLE"), "{stdout}");

    let sweep = tmp.path().join("sweep.toml");
    std::fs::write(
        &sweep,
        "scenario = \"rush.toml\"\nreplications = 2\n\n[[axes]]\nset = \"peaks.rush.extra_staff.servers\"\nvalues = [0, 1]\n",
    )
    .unwrap();
    let out = crate::support::portsim()
        .arg("sweep")
        .arg(&sweep)
        .args(&short[..4])
        .arg("--out")
        .arg(tmp.path().join("out"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let rows: Vec<&str> = stdout
        .lines()
        .filter(|l| l.trim_start().starts_with(['0', '1']))
        .collect();
    assert_eq!(rows.len(), 2, "{stdout}");
    assert!(rows[0].ends_with("peak overload: servers"), "{stdout}");
    assert!(rows[1].ends_with("ok"), "{stdout}");
}
