//! `portsim roster` from the command line: the table and document, the files of `--out`
//! (whose TOML, appended to the scenario, runs as the design's verification run), the
//! figures, the same answer on any thread count, the target search, and one located
//! message for each bad input.

use std::path::{Path, PathBuf};

use super::support::{bad, ok, portsim};

/// Demand peaking in the afternoon, a rush week with extra hands, a holiday and a
/// make-up Saturday; the officers on one round-the-clock roster.
const SCENARIO: &str = r#"
name = "afternoon peak"
start = "2024-01-01"
horizon_days = 33
warmup_days = 5
replications = 3
seed = 5
holidays = ["2024-01-15"]
workdays = ["2024-01-13"]

[[peaks]]
name = "rush"
from = "2024-01-10"
to = "2024-01-16"
arrival_factor = 1.5
extra_staff = { officers = 4 }

[[pools]]
name = "officers"
roster = "own"
rosters.own = [
  { days = "Mon-Sun", start = "00:00", end = "24:00", staff = 14 },
  { days = "Mon-Fri", start = "08:00", end = "18:00", staff = 1, serves = "reserved" },
]

[[pools]]
name = "desk"
staff = 3

[[modes]]
name = "shipments"
arrivals = { kind = "poisson", rate_per_hour = 10.0, hourly_profile = [0.4, 0.4, 0.4, 0.4, 0.4, 0.5, 0.7, 0.9, 1.2, 1.4, 1.5, 1.6, 1.6, 1.6, 1.6, 1.5, 1.4, 1.3, 1.1, 1.0, 0.8, 0.7, 0.5, 0.5] }
stages = [
  { name = "serve", pool = "officers", time = { dist = "exponential", mean = "45m" } },
  { name = "stamp", pool = "desk", time = { dist = "exponential", mean = "5m" } },
]
"#;

/// The scenario written into a fresh directory.
fn scenario() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("peak.toml");
    std::fs::write(&path, SCENARIO).unwrap();
    (dir, path)
}

fn roster_args<'a>(path: &'a Path, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "roster",
        path.to_str().unwrap(),
        "--pool",
        "officers",
        "--shift-lengths",
        "8h,12h",
        "--shift-starts-every",
        "2h",
        "--quiet",
    ];
    args.extend_from_slice(extra);
    args
}

#[test]
fn the_design_is_printed_written_drawn_and_its_toml_runs_as_the_verification_run() {
    let (dir, path) = scenario();
    let out = dir.path().join("out");
    let plots = dir.path().join("plots");
    let table = ok(&roster_args(
        &path,
        &[
            "--out",
            out.to_str().unwrap(),
            "--plots",
            plots.to_str().unwrap(),
        ],
    ));
    assert!(table.contains("officer-hours in the window"), "{table}");
    assert!(table.contains("rush, working day"), "{table}");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("roster.json")).unwrap()).unwrap();
    assert_eq!(doc["schema"], "portsim.roster/1");
    assert_eq!(doc["window"]["from"], "2024-01-06");
    assert_eq!(doc["window"]["to"], "2024-02-02");
    let pool = &doc["pools"][0];
    for day in pool["days"].as_array().unwrap() {
        let req = day["requirement"].as_array().unwrap();
        let on = day["on_duty"].as_array().unwrap();
        assert_eq!(req.len(), 24);
        assert!(req.iter().zip(on).all(|(r, o)| o.as_u64() >= r.as_u64()));
    }
    let csv = std::fs::read_to_string(out.join("requirement.csv")).unwrap();
    let types = doc["day_types"].as_array().unwrap().len();
    assert_eq!(csv.lines().count(), 1 + 24 * types);
    assert!(plots.join("roster-officers.png").is_file());
    assert!(plots.join("roster-officers.svg").is_file());

    // Round trip: the TOML appended to the scenario reproduces the verification run.
    let toml = std::fs::read_to_string(out.join("roster.toml")).unwrap();
    assert_eq!(toml, doc["toml"].as_str().unwrap());
    // The on-call officer is kept beside the designed shifts.
    assert!(toml.contains("serves = \"reserved\""), "{toml}");
    let pasted = dir.path().join("pasted.toml");
    std::fs::write(&pasted, format!("{SCENARIO}\n{toml}")).unwrap();
    let run: serde_json::Value =
        serde_json::from_str(&ok(&["run", pasted.to_str().unwrap(), "--json", "--quiet"])).unwrap();
    let designed = &doc["designed"];
    assert_eq!(
        run["overall"]["clearance_hours"]["mean"],
        designed["mean_clearance_hours"]
    );
    assert_eq!(run["officer_hours"], designed["officer_hours"]);
    // The clearance rows: mean, p90, p95 of the same run.
    assert_eq!(doc["clearance"][0]["figure"], "mean");
    assert_eq!(
        doc["clearance"][0]["designed"]["estimate"],
        run["overall"]["clearance_hours"]["mean"]
    );
    assert_eq!(doc["clearance"][1]["figure"], "p90");
    assert_eq!(
        doc["clearance"][1]["designed"]["estimate"],
        run["overall"]["clearance_hours"]["p90"]
    );
}

#[test]
fn the_design_is_the_same_on_one_thread_and_on_two() {
    let (_dir, path) = scenario();
    let json = |jobs| ok(&roster_args(&path, &["--json", "--jobs", jobs]));
    assert_eq!(json("1"), json("2"));
}

#[test]
fn progress_is_shown_while_it_searches() {
    let (_dir, path) = scenario();
    let args: Vec<&str> = roster_args(&path, &[])
        .into_iter()
        .filter(|a| *a != "--quiet")
        .collect();
    let out = portsim().args(&args).output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("iteration 1, infinite-server run") && err.contains("iteration 2, "),
        "{err}"
    );
    // The design settles: its last run is either a fixed point or the final run of the
    // larger of the last two staffings, named as such (not a request left unmet).
    let last = err.lines().rfind(|l| l.contains(": iteration "));
    assert!(
        last.is_some_and(|l| l.ends_with(", settled")
            || l.contains(", final run of the larger of the last two staffings")),
        "{err}"
    );
}

#[test]
fn targets_choose_the_delay_probability_and_an_unmet_target_exits_1() {
    let (dir, path) = scenario();
    // Without --quiet: the notes say which delay probability was tried first.
    let mut args = roster_args(&path, &["--target", "p90<=3h", "--json"]);
    args.retain(|a| *a != "--quiet");
    let run = portsim().args(&args).output().unwrap();
    assert!(run.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let notes = String::from_utf8(run.stderr).unwrap();
    let first_tried = notes
        .lines()
        .find_map(|l| l.strip_prefix("α = ")?.split_once(": iteration 1,"))
        .map(|(a, _)| a.parse::<f64>().unwrap())
        .expect("a first delay probability");
    let searched = doc["searched"].as_array().unwrap();
    assert!(searched.len() >= 2, "{searched:?}");
    // The chosen α is the largest that met the targets; every larger one tried did not.
    let alpha = doc["delay_probability"].as_f64().unwrap();
    assert_eq!(doc["designed"]["met"], true);
    for t in searched {
        let a = t["delay_probability"].as_f64().unwrap();
        if a > alpha {
            assert_eq!(t["met"], false, "{t}");
        }
        if a == alpha {
            assert_eq!(t["met"], true);
        }
    }
    // Officer-hours fall as α grows.
    let hours: Vec<f64> = searched
        .iter()
        .map(|t| t["designed_officer_hours"].as_f64().unwrap())
        .collect();
    assert!(hours.windows(2).all(|w| w[0] <= w[1]), "{hours:?}");

    // The chosen design is not the first tried, so its verification run continued the
    // first design's replications from the window's first midnight: its figures are
    // still those of the scenario with its roster pasted in, run from the start.
    assert_ne!(
        Some(first_tried),
        doc["delay_probability"].as_f64(),
        "{notes}"
    );
    let pasted = dir.path().join("pasted.toml");
    let toml = doc["toml"].as_str().unwrap();
    std::fs::write(&pasted, format!("{SCENARIO}\n{toml}")).unwrap();
    let run: serde_json::Value =
        serde_json::from_str(&ok(&["run", pasted.to_str().unwrap(), "--json", "--quiet"])).unwrap();
    assert_eq!(
        run["overall"]["clearance_hours"]["mean"],
        doc["designed"]["mean_clearance_hours"]
    );
    assert_eq!(run["officer_hours"], doc["designed"]["officer_hours"]);

    let out = portsim()
        .args(roster_args(&path, &["--target", "p90<=10m"]))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("targets"), "{stdout}");
}

#[test]
fn bad_designs_are_refused_with_one_located_message() {
    let (_dir, path) = scenario();
    let file = path.to_str().unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["roster", file, "--pool", "clerks"],
            "--pool clerks: no such pool",
        ),
        (
            vec!["roster", file, "--pool", "officers", "--pool", "officers"],
            "--pool officers is given twice",
        ),
        (
            vec!["roster", file, "--pool", "desk"],
            "--pool desk: the pool has constant `staff`",
        ),
        (
            vec![
                "roster",
                file,
                "--pool",
                "officers",
                "--window",
                "2024-01-10",
            ],
            "--window 2024-01-10: no \"..\" between the dates",
        ),
        (
            vec![
                "roster",
                file,
                "--pool",
                "officers",
                "--window",
                "2024-01-20..2024-01-10",
            ],
            "is before",
        ),
        (
            vec![
                "roster",
                file,
                "--pool",
                "officers",
                "--window",
                "2024-01-02..2024-01-10",
            ],
            "the days must lie in the counting window, 2024-01-06 to 2024-02-02",
        ),
        (
            vec![
                "roster",
                file,
                "--pool",
                "officers",
                "--window",
                "2024-01-10..2024-02-31",
            ],
            "\"2024-02-31\" is not a date",
        ),
        (
            vec![
                "roster",
                file,
                "--pool",
                "officers",
                "--delay-probability",
                "1.5",
            ],
            "strictly between 0 and 1",
        ),
        (
            vec![
                "roster",
                file,
                "--pool",
                "officers",
                "--shift-lengths",
                "8h,30h",
            ],
            "expected whole hours from 1h to 24h",
        ),
        (
            vec![
                "roster",
                file,
                "--pool",
                "officers",
                "--shift-lengths",
                "24h",
            ],
            "--shift-lengths: 24h is not a shift length",
        ),
        (
            vec![
                "roster",
                file,
                "--pool",
                "officers",
                "--shift-starts-every",
                "5h",
            ],
            "divides a day",
        ),
        (
            vec!["roster", file, "--pool", "officers", "--max-per-shift", "0"],
            "--max-per-shift",
        ),
        (
            vec!["roster", file, "--pool", "officers", "--target", "p80<=3h"],
            "--target expects [MODE.]METRIC<=DURATION",
        ),
        (
            vec![
                "roster",
                file,
                "--pool",
                "officers",
                "--target",
                "air.p90<=3h",
            ],
            "no mode \"air\"",
        ),
        (
            vec![
                "roster",
                file,
                "--pool",
                "officers",
                "--day-types",
                "weekly",
            ],
            "expected one of one, workday, peak, peak-workday",
        ),
        (
            vec![
                "roster",
                file,
                "--pool",
                "officers",
                "--set",
                "pools.officers.stafff=3",
            ],
            "stafff",
        ),
        (vec!["roster", file], "--pool"),
    ];
    for (args, want) in cases {
        let err = bad(&args);
        assert!(err.contains(want), "{args:?}: {err}");
    }
}
