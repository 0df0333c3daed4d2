//! `portsim staff`: the smallest staffing that meets clearance targets.

use std::path::PathBuf;

use clap::Args;

use portsim::experiment::staffing::{Candidate, Target, search};
use portsim::experiment::{Layout, run_summarized, settle};
use portsim::report::staffing::{StaffReport, staff_json, staff_table};
use portsim::scenario::{Override, load};

use super::{EXIT_FAILED, Failure, SimArgs, bad_input, no_threads, overrides, print_out};

/// Flags of `portsim staff`.
#[derive(Args)]
pub struct StaffArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// A clearance target, [MODE.]METRIC<=DURATION with METRIC mean, p50, p90, p95 or
    /// p99, e.g. "p90<=12h" or "air-cargo.mean<8h" (repeatable: all must be met; no
    /// MODE: the headline modes together).
    #[arg(long = "target", value_name = "TARGET", required = true)]
    pub targets: Vec<String>,
    /// The scenario value to search, a --set path taking a whole number, e.g.
    /// pools.review.staff or "peaks.Lunar New Year rush.extra_staff.review" (repeatable:
    /// every path gets the same value).
    #[arg(long = "vary", value_name = "PATH", required = true)]
    pub vary: Vec<String>,
    /// Smallest value to try (0 to 1000000).
    #[arg(long, default_value_t = 1, allow_hyphen_values = true, value_parser = parse_value)]
    pub min: i64,
    /// Largest value to try (it runs first: if it fails, there is no answer, exit 1).
    #[arg(long, allow_hyphen_values = true, value_parser = parse_value)]
    pub max: i64,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Print the search as one JSON document (schema portsim.staff/1) on stdout.
    #[arg(long)]
    pub json: bool,
}

fn parse_value(text: &str) -> Result<i64, String> {
    super::whole(text, 0, 1_000_000)
}

/// Runs the search and prints it; exit 1 when no value in the range meets the targets.
pub fn staff(args: StaffArgs) -> Result<(), Failure> {
    if args.min > args.max {
        return Err(bad_input(format!(
            "--min {} is above --max {}: give a range of values to search, --min ≤ --max",
            args.min, args.max
        )));
    }
    let targets = args
        .targets
        .iter()
        .map(|t| Target::parse(t))
        .collect::<Result<Vec<_>, _>>()
        .map_err(bad_input)?;
    let base = overrides(&args.sim)?;
    for path in &args.vary {
        if path.contains('=') {
            return Err(bad_input(format!(
                "--vary takes a path without a value (the search sets it), got \"{path}\""
            )));
        }
        let segments = Override::parse(&format!("{path}=0"))
            .map_err(bad_input)?
            .path;
        if base.iter().any(|o| o.path == segments) {
            return Err(bad_input(format!(
                "--vary {path} is also given with --set: the search sets it; leave out the --set"
            )));
        }
    }
    let jobs = args.sim.jobs.map(|j| j as usize);
    let with_value = |value: i64| -> Result<Vec<Override>, Failure> {
        let mut all = base.clone();
        for path in &args.vary {
            let mut o = Override::parse(&format!("{path}=0")).map_err(bad_input)?;
            o.value = toml::Value::Integer(value);
            o.origin = format!("--vary {} (= {value})", o.path.join("."));
            all.push(o);
        }
        Ok(all)
    };
    let load_at = |value: i64| {
        load(&args.scenario, &with_value(value)?)
            .map_err(|e| bad_input(format!("at N = {value} ({}): {e}", args.vary.join(", "))))
    };
    // Load both ends of the range first: that checks the paths, the values and the
    // targets' modes before anything runs.
    load_at(args.min)?;
    let mut first = load_at(args.max)?;
    super::warn_loaded(&first.file, &first.warnings);
    // One warm-up for every candidate: with `warmup = "auto"` it is estimated once, at
    // the top of the range, so all candidates count the same window.
    settle(&mut first.model);
    let (warmup, warmup_rule) = (first.model.warmup, first.model.warmup_rule);
    let layout = Layout::of(&first.model);
    for t in &targets {
        t.check(&layout).map_err(bad_input)?;
    }
    let (file, scenario, policy, seed, replications) = (
        first.file.clone(),
        first.model.name.clone(),
        first.model.policy.clone(),
        first.model.seed,
        first.model.replications,
    );
    let mut loaded = Some(first);
    let run = |value: i64| -> Result<Candidate, Failure> {
        let mut s = match loaded.take().filter(|_| value == args.max) {
            Some(s) => s,
            None => load_at(value)?,
        };
        s.model.warmup = warmup;
        s.model.warmup_rule = warmup_rule;
        let run = run_summarized(&s.model, &s.sha256, jobs).map_err(no_threads)?;
        let c = Candidate::judge(value, &targets, &run);
        eprintln!(
            "N = {value}: {}",
            if c.met {
                "meets the targets"
            } else {
                "does not meet them"
            }
        );
        Ok(c)
    };
    if replications == 1 {
        eprintln!(
            "warning: one replication per candidate: targets are judged on estimates without confidence intervals"
        );
    }
    let outcome = search(args.min, args.max, run)?;
    if outcome.all_alike() {
        eprintln!(
            "warning: every candidate ran the same (staff-hours and mean clearance): does {} change anything under this policy and window?",
            args.vary.join(", ")
        );
    }
    let report = StaffReport {
        file: &file,
        scenario: &scenario,
        policy: policy.as_deref(),
        seed,
        replications,
        warmup_hours: warmup.hours(),
        vary: &args.vary,
        range: [args.min, args.max],
        targets: &targets,
        search: &outcome,
    };
    let text = if args.json {
        staff_json(&report)
    } else {
        staff_table(&report)
    };
    print_out(&mut std::io::stdout().lock(), text.trim_end())?;
    match outcome.answer {
        Some(_) => Ok(()),
        None => Err(Failure {
            code: EXIT_FAILED,
            message: format!(
                "no value of {} up to {} meets every target",
                args.vary.join(", "),
                args.max
            ),
        }),
    }
}
