//! Documents portsim writes read back as their types: a summary, a comparison, a staffing
//! search, a check, a sweep's results, its plan and a shard's note, each parsed from what
//! portsim wrote, write the same bytes again — including figures JSON cannot hold (NaN
//! and infinity are written as `null` and read back as NaN).

use std::path::Path;

use portsim::check::CheckReport;
use portsim::experiment::Summary;
use portsim::results::compare::CompareDocument;
use portsim::results::shard_run::ShardRun;
use portsim::results::staff::StaffDocument;
use portsim::results::sweep::SweepResults;
use portsim::results::sweep_plan::SweepPlan;
use serde::de::DeserializeOwned;

use crate::support::{NOBODY_COMES, mmc, model, ok, portsim, repo, run};

/// The summary's JSON, parsed as a `Summary` and written again, gives the same bytes.
fn round_trips(s: &Summary) {
    let json = s.to_json();
    let back: Summary = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}\n{json}"));
    assert_eq!(back.to_json(), json);
}

#[test]
fn summaries_read_back_as_themselves() {
    // A flagship month: modes, classes, channels, stages, on-call pools, peaks, holidays.
    round_trips(
        &run(&model(
            "scenarios/chongqing-peak-2017.toml",
            &["replications=2"],
        ))
        .1,
    );
    // An overloaded pool: its reasons, its date and its backlog growth.
    let over = run(&model(
        "scenarios/validation/mmc.toml",
        &[
            "modes.customers.arrivals.rate_per_hour=3.3",
            "horizon_days=120",
            "replications=3",
        ],
    ))
    .1;
    assert!(over.pools["servers"].unstable);
    round_trips(&over);
    // One replication: no intervals.
    round_trips(
        &run(&model(
            "scenarios/validation/mm1.toml",
            &["replications=1", "horizon_days=60"],
        ))
        .1,
    );
}

#[test]
fn figures_json_cannot_hold_read_back_as_nan() {
    // Nobody on duty (every day a holiday): nothing released, utilisation and offered
    // load undefined.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("stuck.toml");
    std::fs::write(&file, NOBODY_COMES).unwrap();
    let m = portsim::scenario::load(&file, &[]).unwrap().model;
    let s = run(&m).1;
    assert!(s.overall.clearance_hours.mean.is_nan());
    let json = s.to_json();
    let back: Summary = serde_json::from_str(&json).unwrap();
    assert!(back.overall.clearance_hours.mean.is_nan());
    assert!(back.pools["servers"].utilization.is_nan());
    assert_eq!(back.to_json(), json);
}

/// `text`, parsed as a `T` and written again by `write`, gives the same bytes (a
/// trailing newline aside: the command line prints some documents without one).
fn reads_back<T: DeserializeOwned>(text: &str, write: impl Fn(&T) -> String) -> T {
    let back: T = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(write(&back).trim_end(), text.trim_end());
    back
}

/// Owned arguments as `&str`s.
fn refs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

/// `portsim ARGS`: its stdout, whatever its exit code.
fn stdout(args: &[&str]) -> String {
    String::from_utf8(portsim().args(args).output().unwrap().stdout).unwrap()
}

#[test]
fn comparisons_read_back_as_themselves() {
    let scenario = repo("scenarios/chongqing-2017.toml").display().to_string();
    let at = |extra: &[&str]| -> String {
        let base = [
            "compare",
            &scenario,
            "--policies",
            "business-hours,7x24",
            "--replications",
            "2",
            "--set",
            "horizon_days=45",
            "--json",
        ];
        ok(&[&base[..], extra].concat())
    };
    // Paired: with what pairing bought.
    let paired = reads_back(&at(&[]), CompareDocument::to_json);
    assert!(paired.paired && paired.overall.mean.pairing.is_some());
    // Independent samples: no pairing, another seed for B.
    let independent = reads_back(&at(&["--independent"]), CompareDocument::to_json);
    assert!(!independent.paired && independent.overall.mean.pairing.is_none());
    assert_ne!(independent.a.side.seed, independent.b.side.seed);
}

#[test]
fn staffing_searches_read_back_as_themselves() {
    let staff = |extra: &[&str]| -> String {
        let mut args = vec![
            "staff".to_string(),
            mmc(),
            "--set".into(),
            "modes.customers.arrivals.rate_per_hour=4.5".into(),
            "--set".into(),
            "horizon_days=30".into(),
            "--replications".into(),
            "2".into(),
            "--vary".into(),
            "pools.servers.staff".into(),
            "--json".into(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        stdout(&refs(&args))
    };
    // An answer, and an overloaded candidate below it.
    let found = reads_back(
        &staff(&["--target", "mean<=2h", "--target", "p90<=5h", "--max", "8"]),
        StaffDocument::to_json,
    );
    assert!(found.answer.is_some());
    assert!(found.candidates.iter().any(|c| c.unstable));
    // No answer.
    let none = reads_back(
        &staff(&["--target", "p90<=0.01h", "--max", "6"]),
        StaffDocument::to_json,
    );
    assert_eq!(none.answer, None);
}

/// A copy of the M/M/3 validation scenario in `dir` with `staff` servers.
fn mmc_with(dir: &Path, staff: u32) -> String {
    let text = std::fs::read_to_string(mmc())
        .unwrap()
        .replace("staff = 3 ", &format!("staff = {staff} "));
    let path = dir.join("mmc.toml");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn checks_read_back_as_themselves() {
    let tmp = tempfile::tempdir().unwrap();
    let b = tmp.path().join("baseline.json").display().to_string();
    let s = mmc_with(tmp.path(), 4);
    let short = ["--set", "horizon_days=30", "--replications", "2"];
    let args = |extra: &[&'static str]| -> Vec<String> {
        let mut a: Vec<String> = ["check", &s, "--baseline", &b]
            .iter()
            .chain(&short)
            .map(|x| x.to_string())
            .collect();
        a.extend(extra.iter().map(|x| x.to_string()));
        a
    };
    ok(&refs(&args(&["--update"])));
    // A server fewer: figures move, by both methods.
    mmc_with(tmp.path(), 3);
    for method in ["statistical", "exact"] {
        let text = stdout(&refs(&args(&["--method", method, "--json"])));
        let back = reads_back(&text, CheckReport::to_json);
        assert!(!back.passed, "{text}");
    }
}

/// A sweep over the M/M/3 validation scenario: staff 3, 4 × rate 2.0, 2.5, a month each.
fn small_sweep(dir: &Path) -> String {
    let path = dir.join("grid.toml");
    std::fs::write(
        &path,
        format!(
            "scenario = {:?}\nreplications = 2\nseed = 3\n\n[[axes]]\nset = \"pools.servers.staff\"\nvalues = [3, 4]\n\n[[axes]]\nset = \"modes.customers.arrivals.rate_per_hour\"\nvalues = [2.0, 2.5]\n",
            mmc()
        ),
    )
    .unwrap();
    path.display().to_string()
}

#[test]
fn sweep_documents_read_back_as_themselves() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = small_sweep(tmp.path());
    let month = ["--set", "horizon_days=30"];
    // The plan.
    let plan = reads_back(
        &ok(&[&["sweep", &sweep, "--dry-run", "--json"][..], &month].concat()),
        SweepPlan::to_json,
    );
    assert_eq!((plan.variants.len(), plan.jobs), (4, 8));
    // The results, on stdout and in results.json, with precision-driven replications.
    let out = tmp.path().join("out").display().to_string();
    let printed = ok(&[
        &["sweep", &sweep, "--out", &out, "--json"][..],
        &month,
        &[
            "--precision",
            "50%",
            "--max-replications",
            "4",
            "--batch",
            "2",
        ],
    ]
    .concat());
    let file = std::fs::read_to_string(tmp.path().join("out/results.json")).unwrap();
    assert_eq!(printed.trim_end(), file.trim_end());
    let back = reads_back(&file, SweepResults::<Summary>::to_json);
    assert_eq!(back.to_json(), file, "results.json, to the last byte");
    assert_eq!(back.variants_complete, 4);
    assert!(back.variants.iter().all(|v| v.precision.is_some()));
    assert!(back.variants[0].summary.wall_seconds.is_nan(), "not stored");
    // A shard's note.
    let shard = tmp.path().join("shard").display().to_string();
    let note = reads_back(
        &ok(&[
            &["sweep", &sweep, "--out", &shard, "--shard", "1/2", "--json"][..],
            &month,
        ]
        .concat()),
        ShardRun::to_json,
    );
    assert_eq!((note.shard.as_str(), note.jobs), ("1/2", 4));
}
