//! Shared helpers for the integration tests.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use portsim::experiment::{Layout, RunOptions, Summary, run_replications, summarize};
use portsim::model::{Model, ReplicationResult};
use portsim::scenario::{Override, load};

/// Path of a file in the repository.
pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Loads a shipped scenario with `--set`-style overrides.
pub fn model(path: &str, sets: &[&str]) -> Model {
    let overrides: Vec<Override> = sets.iter().map(|s| Override::parse(s).unwrap()).collect();
    load(&repo(path), &overrides)
        .unwrap_or_else(|e| panic!("{e}"))
        .model
}

/// Runs every replication of a model (in parallel) and summarises them.
pub fn run(model: &Model) -> (Vec<ReplicationResult>, Summary) {
    let results = run_replications(model, RunOptions::default()).unwrap();
    let summary = summarize(&Layout::of(model), "test", &results, 0.0);
    (results, summary)
}

/// A flagship file (`scenarios/chongqing-2016.toml` or `-2017.toml`) as shipped (10
/// replications, default seed), run once for every test that reads it: a seven-month
/// replication is the suite's dearest unit of work.
pub fn flagship(file: &str) -> &'static (Vec<ReplicationResult>, Summary) {
    static Y2016: OnceLock<(Vec<ReplicationResult>, Summary)> = OnceLock::new();
    static Y2017: OnceLock<(Vec<ReplicationResult>, Summary)> = OnceLock::new();
    let cell = match file {
        "scenarios/chongqing-2016.toml" => &Y2016,
        "scenarios/chongqing-2017.toml" => &Y2017,
        _ => panic!("not a flagship file: {file}"),
    };
    cell.get_or_init(|| run(&model(file, &[])))
}

/// The summary of the first `n` of a run's replications: what a run of `model` with
/// `replications = n` and the same seed summarises (replication `i` depends only on the
/// seed and `i`).
pub fn first(model: &Model, results: &[ReplicationResult], n: usize) -> Summary {
    summarize(&Layout::of(model), "test", &results[..n], 0.0)
}

/// The portsim binary, ready for arguments.
pub fn portsim() -> assert_cmd::Command {
    assert_cmd::Command::new(env!("CARGO_BIN_EXE_portsim"))
}

/// Runs `portsim ARGS`, asserting success; returns stdout.
pub fn ok(args: &[&str]) -> String {
    let out = portsim().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "portsim {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `portsim ARGS`, asserting success and that stderr holds `note`; returns stdout.
pub fn ok_noting(args: &[&str], note: &str) -> String {
    let out = portsim().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "portsim {args:?}: {stderr}");
    assert!(
        stderr.contains(note),
        "portsim {args:?}: no {note:?} in\n{stderr}"
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `portsim ARGS`, asserting exit code 2 and one message line; returns it.
pub fn bad(args: &[&str]) -> String {
    let out = portsim().args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "portsim {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// The M/M/3 validation scenario's path, as an argument.
pub fn mmc() -> String {
    repo("scenarios/validation/mmc.toml").display().to_string()
}

/// [`mmc`] with nine busier days from day 30 (2024-01-31 … 2024-02-08, arrivals × 1.3)
/// and one extra server in them (`peaks.rush.extra_staff.servers`), written as
/// `rush.toml` in `dir`: its variants and candidates run alike until the rush.
pub fn mmc_with_rush(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(mmc()).unwrap();
    let path = dir.join("rush.toml");
    std::fs::write(
        &path,
        format!(
            "{text}\n[[peaks]]\nname = \"rush\"\nfrom = \"2024-01-31\"\nto = \"2024-02-09\"\n\
             arrival_factor = 1.3\nextra_staff = {{ servers = 1 }}\n"
        ),
    )
    .unwrap();
    path
}

/// Flags making a run of [`mmc`] a month with two replications: quick, whatever the load.
pub const MONTH: [&str; 6] = [
    "--set",
    "horizon_days=30",
    "--set",
    "warmup_days=1",
    "--replications",
    "2",
];

/// A pool whose only shift is off on holidays, in a run whose every day is a holiday:
/// nobody ever comes. The run finishes; every counted shipment is reported unreleased
/// at the drain limit, with warnings on stderr, and the pool is flagged unstable.
pub const NOBODY_COMES: &str = r#"name = "nobody comes"
start = "2024-01-01"
horizon_days = 3
drain_days = 1
replications = 2
holidays = ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"]

[[pools]]
name = "servers"
rosters.office = [ { days = "Mon-Sun", start = "09:00", end = "17:00", staff = 2, holidays = false } ]

[[modes]]
name = "customers"
arrivals = { kind = "poisson", rate_per_hour = 1.0 }
stages = [ { name = "serve", pool = "servers", time = { dist = "exponential", mean = "30m" } } ]
"#;

/// `portsim validate` on a file `bad.toml` holding `text`: exit 2, nothing on stdout, one
/// line naming the file and `line`, containing each of `expected`.
pub fn rejected_text(text: &str, line: usize, expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.toml"), text).unwrap();
    let out = portsim()
        .current_dir(dir.path())
        .args(["validate", "bad.toml"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains(&format!("bad.toml:{line}:")),
        "line {line} expected: {stderr}\n{text}"
    );
    for e in expected {
        assert!(stderr.contains(e), "{e:?} expected in: {stderr}");
    }
}
