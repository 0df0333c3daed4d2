//! The library's experiment API as a caller other than the command line sees it: the
//! same documents as the CLI, typed errors with their location, warnings and notes
//! through an observer, and a stop request honoured.

use std::sync::atomic::Ordering;

use portsim::api::compare::{CompareRequest, compare_sides};
use portsim::api::run::{RunRequest, run};
use portsim::api::staff::{StaffRequest, staff};
use portsim::api::sweep::{SweepRequest, sweep};
use portsim::api::{Collect, ErrorKind, Silent, SimSettings};
use portsim::experiment::sweep::Finish;
use portsim::report::export::{Export, Format};

use crate::support::{ok, repo};

/// Overrides that keep the M/M/3 scenario short.
fn short(replications: u32) -> SimSettings {
    SimSettings {
        set: vec!["horizon_days=60".into()],
        replications: Some(replications),
        seed: Some(5),
        ..SimSettings::default()
    }
}

fn without_wall_time(json: &str) -> String {
    json.lines()
        .filter(|l| !l.contains("wall_seconds"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_run_through_the_api_is_the_clis_document() {
    let mmc = repo("scenarios/validation/mmc.toml");
    let request = RunRequest {
        scenarios: vec![mmc.clone()],
        sim: short(3),
        ..RunRequest::default()
    };
    let outcomes = run(&request, &Silent).unwrap();
    assert_eq!(outcomes.len(), 1);
    let summaries = [outcomes[0].run.summary.clone()];
    let json = portsim::report::export::Runs(&summaries).render(Format::Json);
    let cli = ok(&[
        "run",
        mmc.to_str().unwrap(),
        "--set",
        "horizon_days=60",
        "--replications",
        "3",
        "--seed",
        "5",
        "--json",
    ]);
    assert_eq!(without_wall_time(&json), without_wall_time(cli.trim_end()));
    assert_eq!(outcomes[0].run.results.len(), 3);
}

#[test]
fn bad_input_is_a_typed_error_that_says_where() {
    let request = RunRequest {
        scenarios: vec![repo("scenarios/validation/mmc.toml")],
        sim: SimSettings {
            set: vec!["pools.servers.staff=-1".into()],
            ..SimSettings::default()
        },
        ..RunRequest::default()
    };
    let e = run(&request, &Silent).err().expect("refused");
    assert_eq!(e.kind, ErrorKind::BadInput);
    assert!(e.file.as_deref().unwrap().ends_with("mmc.toml"), "{e:?}");
    assert_eq!(e.key.as_deref(), Some("pools.servers.staff"), "{e:?}");
    assert!(e.flag.as_deref().unwrap().contains("--set"), "{e:?}");
    assert!(e.message.contains("pools.servers.staff"), "{e}");

    // A file that does not parse: its line is known.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.toml");
    std::fs::write(&file, "name = \"x\"\nhorizon_days = \"ten\"\n").unwrap();
    let request = RunRequest {
        scenarios: vec![file],
        ..RunRequest::default()
    };
    let e = run(&request, &Silent).err().expect("refused");
    assert_eq!(e.kind, ErrorKind::BadInput);
    assert!(e.line.is_some(), "{e:?}");
}

#[test]
fn the_staffing_search_reports_through_the_observer_and_says_no_as_a_value() {
    let observer = Collect::default();
    let request = StaffRequest {
        scenario: repo("scenarios/validation/mmc.toml"),
        targets: vec!["mean<=0.001h".into()],
        vary: vec!["pools.servers.staff".into()],
        min: 4,
        max: 5,
        sim: short(1),
    };
    let outcome = staff(&request, &observer).unwrap();
    assert_eq!(outcome.search.answer, None);
    assert_eq!(outcome.verdict().unwrap_err().kind, ErrorKind::NotMet);
    let notes = observer.notes.lock().unwrap();
    assert!(notes.iter().any(|n| n.starts_with("N = 5:")), "{notes:?}");
    let warnings = observer.warnings.lock().unwrap();
    assert!(
        warnings.iter().any(|w| w.contains("one replication")),
        "{warnings:?}"
    );
}

#[test]
fn a_stop_is_heard_while_the_candidates_shared_days_run() {
    // A peak's extra hands vary: the candidates share the days before the peak, run
    // before any candidate's own replications — a stop set by then runs nothing.
    let observer = Collect::default();
    observer.stop.store(true, Ordering::SeqCst);
    let request = StaffRequest {
        scenario: repo("scenarios/chongqing-peak-2017.toml"),
        targets: vec!["mean<=8.5h".into()],
        vary: vec!["peaks.Lunar New Year rush.extra_staff.release".into()],
        min: 1,
        max: 5,
        sim: SimSettings {
            replications: Some(2),
            ..SimSettings::default()
        },
    };
    let e = staff(&request, &observer).err().expect("stopped");
    assert_eq!(e.kind, ErrorKind::Interrupted);
    assert!(e.message.contains("the days the candidates share"), "{e}");
    let notes = observer.notes.lock().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("the candidates run alike until 2017-01-06 00:00")),
        "{notes:?}"
    );
}

#[test]
fn a_comparison_pairs_its_sides_and_names_them() {
    let request = CompareRequest {
        scenarios: vec![
            repo("scenarios/validation/mmc.toml"),
            repo("scenarios/validation/mmc.toml"),
        ],
        sim: short(3),
        ..CompareRequest::default()
    };
    let outcome = compare_sides(&request, &Silent).unwrap();
    // The same scenario on both sides with common random numbers: no difference at all.
    assert_eq!(outcome.comparison.overall.mean.difference.mean, 0.0);
    assert_eq!(outcome.unstable_parts().len(), 2);
    assert!(outcome.report().json().contains("portsim.compare/1"));
}

#[test]
fn a_stop_requested_before_the_start_runs_no_job_and_keeps_the_sweep_resumable() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sweep");
    let observer = Collect::default();
    observer.stop.store(true, Ordering::SeqCst);
    let request = SweepRequest {
        file: repo("scenarios/sweeps/lny-staffing.toml"),
        sim: SimSettings {
            set: vec!["warmup_days=5".into(), "horizon_days=20".into()],
            replications: Some(1),
            ..SimSettings::default()
        },
        out: Some(out.clone()),
        ..SweepRequest::default()
    };
    let outcome = sweep(&request, &observer).unwrap();
    assert_eq!(outcome.finish, Finish::Interrupted);
    assert_eq!(outcome.progress.0, 0);
    let e = outcome.verdict(Some(&out)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Interrupted);
    assert!(e.message.contains("--resume"), "{e}");
    assert!(out.join("jobs.jsonl").exists());
}

#[test]
fn a_scenario_loaded_from_text_runs_as_its_file_does() {
    use portsim::api::run::run_scenario;
    let path = repo("scenarios/validation/mmc.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let settings = short(2);
    let overrides = settings.overrides().unwrap();
    let mut from_text = portsim::scenario::load_str("mmc.toml", &text, &overrides).unwrap();
    let request = RunRequest {
        sim: settings.clone(),
        ..RunRequest::default()
    };
    let a = run_scenario(&mut from_text, &request, &Silent).unwrap();
    let file = RunRequest {
        scenarios: vec![path],
        sim: settings,
        ..RunRequest::default()
    };
    let b = run(&file, &Silent).unwrap().remove(0).run;
    assert_eq!(
        without_wall_time(&a.summary.to_json()),
        without_wall_time(&b.summary.to_json())
    );
}
