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

use portsim::report::out_dir::{record_written, write_atomic};
use portsim::scenario::{LoadedScenario, Override, load};

/// Flags shared by every command that simulates.
#[derive(Args)]
pub struct SimArgs {
    /// Policy whose rosters to use (overrides the scenario's `policy`).
    #[arg(long)]
    pub policy: Option<String>,
    /// Master seed (overrides the scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Replications (overrides the scenario's `replications`).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub replications: Option<u32>,
    /// Override one scenario value: PATH=VALUE, e.g. pools.servers.staff=5 (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Worker threads (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub jobs: Option<u32>,
}

/// Flags of precision-driven replications (`run`, `sweep`).
#[derive(Args)]
pub struct PrecisionArgs {
    /// Add replications in batches until the 95 % CI half-width of the mean clearance
    /// time is within this share of the mean, e.g. 1% (the first batch: --replications
    /// or the scenario's).
    #[arg(long, value_name = "SHARE", value_parser = portsim::experiment::precision::Precision::parse_relative)]
    pub precision: Option<f64>,
    /// Most replications with --precision.
    #[arg(long, value_name = "N", default_value_t = 200, requires = "precision",
          value_parser = clap::value_parser!(u32).range(2..=10_000))]
    pub max_replications: u32,
    /// Replications added per round with --precision.
    #[arg(long, value_name = "N", default_value_t = 5, requires = "precision",
          value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub batch: u32,
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

/// A failure, with the exit code it maps to.
pub struct Failure {
    pub code: u8,
    pub message: String,
}

pub fn bad_input(message: impl Into<String>) -> Failure {
    Failure {
        code: 2,
        message: message.into(),
    }
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

pub fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario".into())
}

/// The files `run --out` writes.
pub const RUN_OUTPUTS: [&str; 3] = ["summary.json", "replications.csv", "scenario.toml"];

/// Writes `run`'s output files into `dir` and records them as portsim's.
pub fn write_outputs(dir: &Path, json: &str, csv: &str, scenario: &str) -> Result<(), Failure> {
    for (name, contents) in RUN_OUTPUTS.into_iter().zip([json, csv, scenario]) {
        write_atomic(dir, name, contents.as_bytes())
            .map_err(|e| bad_input(format!("{}: cannot write {name}: {e}", dir.display())))?;
    }
    record_written(dir, &RUN_OUTPUTS)
        .map_err(|e| bad_input(format!("{}: cannot write its manifest: {e}", dir.display())))
}

/// Prints a line to stdout; a closed pipe (`portsim run ... | head`) ends quietly.
pub fn print_out(out: &mut impl Write, text: &str) -> Result<(), Failure> {
    match writeln!(out, "{text}") {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(bad_input(format!("cannot write to standard output: {e}"))),
    }
}
