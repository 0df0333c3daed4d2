//! `portsim check`: run scenarios and compare them with a stored baseline.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use portsim::check::{self, Baseline, Entry, Method, ReadError, Settings, entry_key};
use portsim::experiment::precision::parse_share;
use portsim::experiment::{run_summarized, settle};
use portsim::files::write_file;
use portsim::report::check::{check_json, check_junit, check_table, update_table};

use super::{
    EXIT_FAILED, Failure, SimArgs, bad_input, check_destination, internal, load_all, no_threads,
    overrides, print_out,
};

/// How `check` compares (see [`Method`]).
#[derive(Clone, Copy, ValueEnum)]
pub enum MethodArg {
    /// Byte-identical summaries apart from timing (one platform).
    Exact,
    /// Significant differences of means (Welch, Holm) and quantiles beyond --tolerance.
    Statistical,
}

/// Flags of `portsim check`.
#[derive(Args)]
pub struct CheckArgs {
    /// Scenario files (TOML).
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// The baseline file (JSON, schema portsim.baseline/1).
    #[arg(long, value_name = "FILE", required = true)]
    pub baseline: PathBuf,
    /// Record these scenarios' results as the new baseline (other entries are kept), after
    /// printing what moved against the entries they replace.
    #[arg(long)]
    pub update: bool,
    /// Also write the verdicts as JUnit XML to FILE (not when recording).
    #[arg(long, value_name = "FILE", conflicts_with = "update")]
    pub junit: Option<PathBuf>,
    /// Print the check as one JSON document (schema portsim.check/1) on stdout.
    #[arg(long)]
    pub json: bool,
    /// How to compare with the baseline.
    #[arg(long, value_enum, default_value = "statistical")]
    pub method: MethodArg,
    /// Relative tolerance for quantiles (statistical method), e.g. 5%.
    #[arg(long, value_name = "SHARE", default_value = "5%", allow_hyphen_values = true,
          value_parser = parse_tolerance)]
    pub tolerance: f64,
    #[command(flatten)]
    pub sim: SimArgs,
}

fn parse_tolerance(text: &str) -> Result<f64, String> {
    parse_share("--tolerance", text)
}

/// Runs each scenario, then compares with (or, with `--update`, records) the baseline.
pub fn check(args: CheckArgs) -> Result<(), Failure> {
    let overrides = overrides(&args.sim)?;
    let mut loaded = load_all(&args.scenarios, &overrides)?;
    // Destinations are checked before simulating: a device, FIFO or link is refused,
    // never renamed over.
    if args.update {
        check_destination("--baseline", &args.baseline)?;
    }
    if let Some(path) = &args.junit {
        check_destination("--junit", path)?;
    }
    let mut baseline = match Baseline::read(&args.baseline) {
        Ok(b) => b,
        Err(ReadError::Missing) if args.update => Baseline::new(),
        Err(ReadError::Missing) => {
            return Err(bad_input(format!(
                "{}: no such baseline; record one with --update",
                args.baseline.display()
            )));
        }
        Err(ReadError::Invalid(message)) => return Err(bad_input(message)),
    };
    let keys: Vec<String> = args
        .scenarios
        .iter()
        .map(|p| entry_key(&args.baseline, p))
        .collect();
    // Refuse before simulating: every scenario needs its entry (unless recording).
    if !args.update
        && let Some((i, _)) = keys
            .iter()
            .enumerate()
            .find(|(_, k)| baseline.entry(k).is_none())
    {
        return Err(bad_input(format!(
            "{}: no entry for {} (as \"{}\"); record it with --update",
            args.baseline.display(),
            args.scenarios[i].display(),
            keys[i]
        )));
    }
    let mut current = Vec::with_capacity(loaded.len());
    for ((s, path), key) in loaded.iter_mut().zip(&args.scenarios).zip(&keys) {
        let bytes = std::fs::read(path)
            .map_err(|e| bad_input(format!("{}: cannot read: {e}", path.display())))?;
        settle(&mut s.model);
        let run = run_summarized(&s.model, &s.sha256, args.sim.jobs.map(|j| j as usize))
            .map_err(no_threads)?;
        let summary = run.summary;
        for warning in summary.warnings() {
            eprintln!("warning: {}: {warning}", s.file);
        }
        let measures = check::measures(&run.layout, &run.results);
        current.push(Entry::observe(key.clone(), &bytes, &summary, measures));
    }
    let settings = Settings {
        method: match args.method {
            MethodArg::Exact => Method::Exact,
            MethodArg::Statistical => Method::Statistical,
        },
        alpha: 0.05,
        tolerance: args.tolerance,
    };
    // Compared: every scenario when checking; when recording, those that replace an
    // entry, so the one who updates sees what the new baseline changes.
    let pairs: Vec<(&Entry, &Entry)> = keys
        .iter()
        .zip(&current)
        .filter_map(|(k, c)| Some((baseline.entry(k)?, c)))
        .collect();
    let report = check::check(&pairs, &settings);
    if let Some(path) = &args.junit {
        write_file(path, check_junit(&report).as_bytes())
            .map_err(|e| internal(format!("{}: cannot write: {e}", path.display())))?;
    }
    let text = if args.json {
        check_json(&report)
    } else if args.update {
        update_table(&report)
    } else {
        check_table(&report)
    };
    let mut stdout = std::io::stdout().lock();
    if args.update {
        // Only what an update replaces is shown; a first recording has nothing to show,
        // and `--json` still prints its one document.
        if args.json || !pairs.is_empty() {
            print_out(&mut stdout, text.trim_end())?;
        }
        let (n, replaced, moved) = (current.len(), pairs.len(), report.moved());
        for entry in current {
            baseline.upsert(entry);
        }
        baseline
            .write(&args.baseline)
            .map_err(|e| internal(format!("{}: cannot write: {e}", args.baseline.display())))?;
        eprintln!(
            "recorded {n} scenario(s) in {} ({} new, {replaced} replaced with {moved} figure(s) moved; {} in all)",
            args.baseline.display(),
            n - replaced,
            baseline.entries.len()
        );
        return Ok(());
    }
    print_out(&mut stdout, text.trim_end())?;
    if report.passed {
        Ok(())
    } else {
        Err(Failure {
            code: EXIT_FAILED,
            message: format!(
                "check failed: {} of {} figures moved against {}",
                report.moved(),
                report.compared(),
                args.baseline.display()
            ),
        })
    }
}
