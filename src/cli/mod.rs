//! The command line's building blocks: flags shared by commands, failures and their exit
//! codes, loading scenarios, and writing to stdout and output directories.

pub mod check;
pub mod compare;
pub mod merge;
pub mod plot;
pub mod roster;
pub mod run;
pub mod schema;
pub mod sensitivity;
pub mod staff;
pub mod sweep;
pub mod terminal;
pub mod validate;

use std::io::Write;

use clap::Args;

use portsim::api::SimSettings;
use portsim::report::export::{Export, Format};

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
    /// No progress bar (it is drawn only when stderr is a terminal).
    #[arg(long, short)]
    pub quiet: bool,
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

/// The exit codes, as a literal (for `concat!` into each command's help).
macro_rules! exit_codes_help {
    () => {
        "\
Exit codes:
  0    success
  1    a check found results moved, staff or roster found nothing meeting the
       targets, or --fail-on-unstable found an unstable result (results are written
       in full)
  2    bad input: a file, flag or value (one message naming where)
  3    internal or environment failure: worker threads cannot start, or an output
       that was accepted cannot be written (disk full, standard output failing)
  130  a sweep stopped by Ctrl-C (its results so far are kept for --resume)"
    };
}
pub(crate) use exit_codes_help;

/// The exit codes, for `portsim --help`.
pub const EXIT_CODES_HELP: &str = exit_codes_help!();

/// A command's `--help` epilogue: a one-line example, then the exit codes.
macro_rules! example_help {
    ($example:literal) => {
        concat!(
            "Example:\n  ",
            $example,
            "\n\n",
            $crate::cli::exit_codes_help!()
        )
    };
}
pub(crate) use example_help;

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

impl From<portsim::api::Error> for Failure {
    fn from(e: portsim::api::Error) -> Failure {
        use portsim::api::ErrorKind;
        Failure {
            code: match e.kind {
                ErrorKind::BadInput => EXIT_BAD_INPUT,
                ErrorKind::NotMet => EXIT_FAILED,
                ErrorKind::Internal => EXIT_INTERNAL,
                ErrorKind::Interrupted => EXIT_INTERRUPTED,
            },
            message: e.message,
        }
    }
}

impl SimArgs {
    /// The library's settings for these flags.
    pub fn settings(&self) -> SimSettings {
        SimSettings {
            set: self.set.clone(),
            policy: self.policy.clone(),
            seed: self.seed,
            replications: self.replications,
            jobs: self.jobs.map(|j| j as usize),
        }
    }
}

/// Prints `doc` in the format the flags chose, unless there is nothing to print.
pub fn print_doc(doc: &impl Export, format: Format) -> Result<(), Failure> {
    let text = doc.render(format);
    if text.is_empty() {
        return Ok(());
    }
    print_out(&mut std::io::stdout().lock(), &text)
}

/// Prints a line to stdout; a closed pipe (`portsim run ... | head`) ends quietly.
pub fn print_out(out: &mut impl Write, text: &str) -> Result<(), Failure> {
    match writeln!(out, "{text}") {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(internal(format!("cannot write to standard output: {e}"))),
    }
}
