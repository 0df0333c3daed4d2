//! The command line's building blocks: flags shared by commands, failures and their exit
//! codes, loading scenarios, and writing to stdout and output directories.

pub mod check;
pub mod compare;
pub mod merge;
pub mod plot;
pub mod run;
pub mod schema;
pub mod staff;
pub mod sweep;
pub mod validate;

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use portsim::files::check_file_destination;
use portsim::report::out_dir::OutDir;
use portsim::scenario::{LoadedScenario, Override, load};

/// Flags shared by every command that simulates.
#[derive(Args)]
pub struct SimArgs {
    /// Policy whose rosters to use (overrides the scenario's `policy`).
    #[arg(long)]
    pub policy: Option<String>,
    /// Master seed (overrides the scenario's `seed`).
    #[arg(long, allow_hyphen_values = true, value_parser = parse_seed)]
    pub seed: Option<u64>,
    /// Replications (overrides the scenario's `replications`).
    #[arg(long, allow_hyphen_values = true, value_parser = parse_replications)]
    pub replications: Option<u32>,
    /// Override one scenario value: PATH=VALUE, e.g. pools.servers.staff=5 (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Worker threads (default: one per core).
    #[arg(long, allow_hyphen_values = true, value_parser = parse_jobs)]
    pub jobs: Option<u32>,
}

/// Flags of precision-driven replications (`run`, `sweep`).
#[derive(Args)]
pub struct PrecisionArgs {
    /// Add replications in batches until the 95 % CI half-width of the mean clearance
    /// time is within this share of the mean, e.g. 1% (the first batch: --replications
    /// or the scenario's).
    #[arg(long, value_name = "SHARE", allow_hyphen_values = true,
          value_parser = portsim::experiment::precision::Precision::parse_relative)]
    pub precision: Option<f64>,
    /// Most replications with --precision.
    #[arg(long, value_name = "N", default_value_t = 200, requires = "precision",
          allow_hyphen_values = true, value_parser = parse_max_replications)]
    pub max_replications: u32,
    /// Replications added per round with --precision.
    #[arg(long, value_name = "N", default_value_t = 5, requires = "precision",
          allow_hyphen_values = true, value_parser = parse_replications)]
    pub batch: u32,
}

/// A whole number from `lo` to `hi`; the message says what is expected (clap names the
/// flag and the value). Flags using it take `allow_hyphen_values`, so `-1` reaches it
/// instead of being read as an unknown flag.
pub fn whole(text: &str, lo: i64, hi: i64) -> Result<i64, String> {
    match text.trim().parse::<i128>() {
        Ok(n) if (i128::from(lo)..=i128::from(hi)).contains(&n) => Ok(n as i64),
        Ok(_) => Err(format!(
            "expected a whole number from {lo} to {hi}, got {}",
            text.trim()
        )),
        Err(_) => Err(format!("expected a whole number from {lo} to {hi}")),
    }
}

fn parse_seed(text: &str) -> Result<u64, String> {
    whole(text, 0, i64::MAX).map(|n| n as u64)
}

fn parse_replications(text: &str) -> Result<u32, String> {
    whole(text, 1, 10_000).map(|n| n as u32)
}

fn parse_max_replications(text: &str) -> Result<u32, String> {
    whole(text, 2, 10_000).map(|n| n as u32)
}

fn parse_jobs(text: &str) -> Result<u32, String> {
    whole(text, 1, 4096).map(|n| n as u32)
}

impl PrecisionArgs {
    /// The rule asked for, if any.
    pub fn rule(&self) -> Option<portsim::experiment::precision::Precision> {
        self.precision
            .map(|relative| portsim::experiment::precision::Precision {
                relative,
                max_replications: self.max_replications,
                batch: self.batch,
            })
    }
}

/// `--fail-on-unstable`'s verdict over `(what, parts)` pairs from [`portsim::experiment::Summary::unstable_parts`]:
/// exit 1 with one line naming each unstable result, or `Ok` when none is.
pub fn fail_on_unstable(results: &[(String, Vec<String>)]) -> Result<(), Failure> {
    let named: Vec<String> = results
        .iter()
        .filter(|(_, parts)| !parts.is_empty())
        .map(|(what, parts)| format!("{what} ({})", parts.join(", ")))
        .collect();
    if named.is_empty() {
        return Ok(());
    }
    Err(Failure {
        code: EXIT_FAILED,
        message: format!(
            "--fail-on-unstable: unstable: {} (results were written in full)",
            named.join("; ")
        ),
    })
}

/// A failure, with the exit code it maps to.
pub struct Failure {
    /// The process's exit code: one of [`EXIT_FAILED`], [`EXIT_BAD_INPUT`],
    /// [`EXIT_INTERNAL`], [`EXIT_INTERRUPTED`].
    pub code: u8,
    /// One line for stderr, after `error: `.
    pub message: String,
}

/// Exit code: a check found results moved, a staffing search found no value meeting the
/// targets, or `--fail-on-unstable` found an unstable result (everything was written).
pub const EXIT_FAILED: u8 = 1;
/// Exit code: bad input — a file, flag or value the user gave.
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code: an internal or environment failure, not caused by the input — worker
/// threads that cannot start, an accepted destination that cannot be written.
pub const EXIT_INTERNAL: u8 = 3;
/// Exit code: a sweep stopped by Ctrl-C (the shell's 128 + SIGINT).
pub const EXIT_INTERRUPTED: u8 = 130;

/// The exit codes, for `portsim --help`.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0    success
  1    a check found results moved, staff found no value meeting the targets, or
       --fail-on-unstable found an unstable result (results are written in full)
  2    bad input: a file, flag or value (one message naming where)
  3    internal or environment failure: worker threads cannot start, or an output
       that was accepted cannot be written (disk full, standard output failing)
  130  a sweep stopped by Ctrl-C (its results so far are kept for --resume)";

/// A failure of the input the user gave (a file, flag or value): exit 2.
pub fn bad_input(message: impl Into<String>) -> Failure {
    Failure {
        code: EXIT_BAD_INPUT,
        message: message.into(),
    }
}

/// A failure of the machine rather than the input — the input was accepted, then the
/// environment failed it (threads, a full disk, a broken standard output): exit 3.
pub fn internal(message: impl Into<String>) -> Failure {
    Failure {
        code: EXIT_INTERNAL,
        message: message.into(),
    }
}

/// The failure of a rayon pool that could not be built (an environment failure).
pub fn no_threads(e: impl std::fmt::Display) -> Failure {
    internal(format!("cannot start worker threads: {e}"))
}

/// The overrides the flags ask for, in order: `--set` first, then the dedicated flags.
pub fn overrides(sim: &SimArgs) -> Result<Vec<Override>, Failure> {
    let mut out = Vec::with_capacity(sim.set.len() + 3);
    for s in &sim.set {
        out.push(Override::parse(s).map_err(bad_input)?);
    }
    if let Some(p) = &sim.policy {
        out.push(Override::from_flag(
            "--policy",
            "policy",
            toml::Value::String(p.clone()),
        ));
    }
    if let Some(seed) = sim.seed {
        let seed = i64::try_from(seed)
            .map_err(|_| bad_input(format!("--seed must be at most {}", i64::MAX)))?;
        out.push(Override::from_flag(
            "--seed",
            "seed",
            toml::Value::Integer(seed),
        ));
    }
    if let Some(r) = sim.replications {
        out.push(Override::from_flag(
            "--replications",
            "replications",
            toml::Value::Integer(i64::from(r)),
        ));
    }
    Ok(out)
}

/// Loads every scenario, printing its load-time warnings on stderr.
pub fn load_all(paths: &[PathBuf], overrides: &[Override]) -> Result<Vec<LoadedScenario>, Failure> {
    let loaded = paths
        .iter()
        .map(|p| load(p, overrides).map_err(|e| bad_input(e.to_string())))
        .collect::<Result<Vec<_>, _>>()?;
    for s in &loaded {
        warn_loaded(&s.file, &s.warnings);
    }
    Ok(loaded)
}

/// Prints a scenario's load-time warnings on stderr, naming its file.
pub fn warn_loaded(file: &str, warnings: &[String]) {
    for w in warnings {
        eprintln!("warning: {file}: {w}");
    }
}

/// A scenario file's name without its extension (a run's subdirectory of `--out`).
pub fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario".into())
}

/// The files `run --out` writes.
pub const RUN_OUTPUTS: [&str; 3] = ["summary.json", "replications.csv", "scenario.toml"];

/// Writes `run`'s output files into `out` as one set (see [`OutDir::commit`]).
pub fn write_outputs(out: &OutDir, json: &str, csv: &str, scenario: &str) -> Result<(), Failure> {
    let files: Vec<(&str, &[u8])> = RUN_OUTPUTS
        .into_iter()
        .zip([json.as_bytes(), csv.as_bytes(), scenario.as_bytes()])
        .collect();
    // The error names the file; the directory was accepted, so a failure is the
    // machine's (a full disk).
    out.write_set(&files, &[])
        .map_err(|e| internal(format!("cannot write {e}")))
}

/// Checks a file destination (`--trace`, `--junit`, a baseline to record) before any
/// work; the message names the flag.
pub fn check_destination(flag: &str, path: &Path) -> Result<(), Failure> {
    check_file_destination(path).map_err(|e| bad_input(format!("{flag} {e}")))
}

/// Refuses `--plots` naming the directory claimed for `--out` (call it before claiming
/// the plots' directory): each holds one set of files, and one would remove the other's.
pub fn distinct_dirs(out: &OutDir, plots: Option<&Path>) -> Result<(), Failure> {
    match plots {
        Some(p) if same_dir(out.path(), p) => Err(bad_input(format!(
            "--out {} and --plots {} are one directory: give each its own",
            out.path().display(),
            p.display()
        ))),
        _ => Ok(()),
    }
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// Prints a line to stdout; a closed pipe (`portsim run ... | head`) ends quietly.
pub fn print_out(out: &mut impl Write, text: &str) -> Result<(), Failure> {
    match writeln!(out, "{text}") {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(internal(format!("cannot write to standard output: {e}"))),
    }
}
