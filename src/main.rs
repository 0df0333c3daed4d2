//! The `portsim` command line: parses arguments, calls the library, prints.
//!
//! Exit codes: 0 success; 1 a check or target failed; 2 bad input (file, flag, value).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

use portsim::experiment::{RunOptions, run_replications, summarize};
use portsim::model::flow::TraceSink;
use portsim::report::out_dir::write_atomic;
use portsim::report::replications_csv::replications_csv;
use portsim::report::summary_json;
use portsim::report::table::{side_by_side, summary_table};
use portsim::report::trace::CsvTrace;
use portsim::scenario::{LoadedScenario, Override, load};

/// Discrete-event simulator of customs clearance throughput at a city's ports.
#[derive(Parser)]
#[command(name = "portsim", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Simulate scenarios and summarise clearance times and pool figures.
    Run(RunArgs),
    /// Check scenario files without simulating.
    Validate {
        /// Scenario files (TOML).
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
    },
}

/// Flags shared by every command that simulates.
#[derive(Args)]
struct SimArgs {
    /// Policy whose rosters to use (overrides the scenario's `policy`).
    #[arg(long)]
    policy: Option<String>,
    /// Master seed (overrides the scenario's `seed`).
    #[arg(long)]
    seed: Option<u64>,
    /// Replications (overrides the scenario's `replications`).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    replications: Option<u32>,
    /// Override one scenario value: PATH=VALUE, e.g. pools.servers.staff=5 (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    set: Vec<String>,
    /// Worker threads (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=4096))]
    jobs: Option<u32>,
}

#[derive(Args)]
struct RunArgs {
    /// Scenario files (TOML).
    #[arg(required = true)]
    scenarios: Vec<PathBuf>,
    #[command(flatten)]
    sim: SimArgs,
    /// Print the summary as one JSON document (schema portsim.summary/1) on stdout.
    #[arg(long)]
    json: bool,
    /// Write summary.json, replications.csv and scenario.toml into DIR.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Write one CSV row per counted shipment of the first replication to FILE.
    #[arg(long, value_name = "FILE.csv")]
    trace: Option<PathBuf>,
}

/// A failure, with the exit code it maps to.
struct Failure {
    code: u8,
    message: String,
}

fn bad_input(message: impl Into<String>) -> Failure {
    Failure {
        code: 2,
        message: message.into(),
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // One line: clap's first line names the flag and what was expected.
            let text = e.render().to_string();
            let first = text
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("error: invalid arguments");
            eprintln!("{} (see portsim --help)", first.trim_end());
            return ExitCode::from(2);
        }
    };
    let result = match cli.command {
        Command::Run(args) => run(args),
        Command::Validate { scenarios } => validate(&scenarios),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

/// The overrides the flags ask for, in order: `--set` first, then the dedicated flags.
fn overrides(sim: &SimArgs) -> Result<Vec<Override>, Failure> {
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

fn load_all(paths: &[PathBuf], overrides: &[Override]) -> Result<Vec<LoadedScenario>, Failure> {
    paths
        .iter()
        .map(|p| load(p, overrides).map_err(|e| bad_input(e.to_string())))
        .collect()
}

fn validate(paths: &[PathBuf]) -> Result<(), Failure> {
    let loaded = load_all(paths, &[])?;
    let mut stdout = std::io::stdout().lock();
    for s in &loaded {
        let m = &s.model;
        let line = format!(
            "ok: {} — \"{}\": {} mode{}, {} pool{}, policy {}, {} replications, horizon {} days",
            s.file,
            m.name,
            m.modes.len(),
            if m.modes.len() == 1 { "" } else { "s" },
            m.pools.len(),
            if m.pools.len() == 1 { "" } else { "s" },
            m.policy.as_deref().unwrap_or("none (constant staff)"),
            m.replications,
            m.horizon.hours() / 24.0
        );
        print_out(&mut stdout, &line)?;
    }
    Ok(())
}

fn run(args: RunArgs) -> Result<(), Failure> {
    let overrides = overrides(&args.sim)?;
    let loaded = load_all(&args.scenarios, &overrides)?;
    if args.trace.is_some() && loaded.len() > 1 {
        return Err(bad_input(
            "--trace takes one scenario; give the scenarios one run each",
        ));
    }
    let mut documents = Vec::with_capacity(loaded.len());
    let mut summaries = Vec::with_capacity(loaded.len());
    let mut stdout = std::io::stdout().lock();
    for (i, s) in loaded.iter().enumerate() {
        let mut trace = match &args.trace {
            Some(path) => Some(CsvTrace::create(path, &s.model).map_err(|e| {
                bad_input(format!(
                    "{}: cannot create the trace file: {e}",
                    path.display()
                ))
            })?),
            None => None,
        };
        let started = Instant::now();
        let results = run_replications(
            &s.model,
            RunOptions {
                jobs: args.sim.jobs.map(|j| j as usize),
                trace: trace.as_mut().map(|t| t as &mut dyn TraceSink),
            },
        )
        .map_err(|e| bad_input(format!("cannot start worker threads: {e}")))?;
        let summary = summarize(
            &s.model,
            &s.sha256,
            &results,
            started.elapsed().as_secs_f64(),
        );
        if let (Some(path), Some(trace)) = (&args.trace, trace) {
            trace.finish().map_err(|e| {
                bad_input(format!(
                    "{}: cannot write the trace file: {e}",
                    path.display()
                ))
            })?;
        }
        for warning in summary.warnings() {
            eprintln!("warning: {}: {warning}", s.file);
        }
        let json = summary_json(&summary);
        if let Some(out) = &args.out {
            let dir = if loaded.len() > 1 {
                out.join(stem(&args.scenarios[i]))
            } else {
                out.clone()
            };
            write_outputs(
                &dir,
                &json,
                &replications_csv(&s.model, &results),
                &s.resolved_toml,
            )?;
        }
        if args.json {
            documents.push(json);
        } else if loaded.len() == 1 {
            print_out(&mut stdout, summary_table(&summary).trim_end())?;
        }
        summaries.push(summary);
    }
    if !args.json && summaries.len() > 1 {
        print_out(&mut stdout, side_by_side(&summaries).trim_end())?;
    }
    if args.json {
        let doc = if documents.len() == 1 {
            documents.pop().unwrap_or_default()
        } else {
            // Several scenarios: one JSON array of summaries, still one document.
            let parsed: Vec<serde_json::Value> = documents
                .iter()
                .map(|d| serde_json::from_str(d).expect("our own JSON"))
                .collect();
            let mut s = serde_json::to_string_pretty(&parsed).expect("serialises");
            s.push('\n');
            s
        };
        print_out(&mut stdout, doc.trim_end())?;
    }
    Ok(())
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario".into())
}

fn write_outputs(dir: &Path, json: &str, csv: &str, scenario: &str) -> Result<(), Failure> {
    for (name, contents) in [
        ("summary.json", json),
        ("replications.csv", csv),
        ("scenario.toml", scenario),
    ] {
        write_atomic(dir, name, contents.as_bytes())
            .map_err(|e| bad_input(format!("{}: cannot write {name}: {e}", dir.display())))?;
    }
    Ok(())
}

/// Prints a line to stdout; a closed pipe (`portsim run ... | head`) ends quietly.
fn print_out(out: &mut impl Write, text: &str) -> Result<(), Failure> {
    match writeln!(out, "{text}") {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(bad_input(format!("cannot write to standard output: {e}"))),
    }
}
