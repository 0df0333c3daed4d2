//! `portsim compare`: two policies of one scenario (or two scenarios), paired by
//! replication with common random numbers — or, with `--independent`, unpaired.

use std::path::{Path, PathBuf};

use clap::Args;

use portsim::experiment::{
    Arm, Pairing, SummarizedRun, compare as compare_results, independent_seed, run_summarized,
    settle,
};
use portsim::report::compare::{CompareReport, Side, compare_json, compare_table, headline};
use portsim::report::plots::PlotInput;
use portsim::scenario::{LoadedScenario, Override, load};

use super::{Failure, SimArgs, bad_input, fail_on_unstable, no_threads, overrides, print_out};

/// Flags of `portsim compare`.
#[derive(Args)]
pub struct CompareArgs {
    /// One scenario file with --policies A,B, or two files A and B (B is compared
    /// against A).
    #[arg(required = true, num_args = 1..=2, value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// The two policies of the one scenario to compare: A,B (B against A).
    #[arg(long, value_name = "A,B")]
    pub policies: Option<String>,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Print the comparison as one JSON document (schema portsim.compare/1) on stdout.
    #[arg(long)]
    pub json: bool,
    /// Run B with a seed derived from A's (A's seed with bit 62 flipped) and report
    /// unpaired (Welch) intervals: how much the pairing gains.
    #[arg(long)]
    pub independent: bool,
    /// Draw both sides' figures (one series each) and report.html into DIR.
    #[arg(long, value_name = "DIR")]
    pub plots: Option<PathBuf>,
    /// Let --plots replace files that portsim did not write there.
    #[arg(long)]
    pub force: bool,
    /// Exit 1 (after printing and drawing everything) when either side's run is flagged
    /// unstable: an overloaded pool, shipments left unreleased or turned away.
    #[arg(long)]
    pub fail_on_unstable: bool,
}

/// The two policies named by `--policies A,B`.
fn parse_policies(text: &str) -> Result<(String, String), Failure> {
    let names: Vec<&str> = text.split(',').map(str::trim).collect();
    match names.as_slice() {
        [a, b] if !a.is_empty() && !b.is_empty() && a != b => Ok((a.to_string(), b.to_string())),
        [a, b] if !a.is_empty() && a == b => Err(bad_input(format!(
            "--policies names \"{a}\" twice: give two different policies, A,B"
        ))),
        _ => Err(bad_input(format!(
            "--policies expects two policies separated by a comma, A,B (B is compared against A); got \"{text}\""
        ))),
    }
}

fn with(base: &[Override], extra: Override) -> Vec<Override> {
    let mut out = base.to_vec();
    out.push(extra);
    out
}

fn policy_override(name: &str) -> Override {
    Override::from_flag("--policies", "policy", toml::Value::String(name.into()))
}

fn load_one(path: &Path, overrides: &[Override]) -> Result<LoadedScenario, Failure> {
    load(path, overrides).map_err(|e| bad_input(e.to_string()))
}

/// " (policy NAME)" when the scenario runs a policy, to name a side in messages.
fn policy_note(s: &LoadedScenario) -> String {
    s.model
        .policy
        .as_deref()
        .map(|p| format!(" (policy {p})"))
        .unwrap_or_default()
}

/// Runs A and B and prints the comparison.
pub fn compare(args: CompareArgs) -> Result<(), Failure> {
    if args.sim.policy.is_some() {
        return Err(bad_input(
            "compare takes no --policy: name the two policies with --policies A,B, or give two scenario files",
        ));
    }
    let plots = super::plot::guard(args.plots.as_deref(), args.force)?;
    let base = overrides(&args.sim)?;
    // (file, overrides) of A and of B.
    let (a_in, b_in) = match (args.scenarios.as_slice(), &args.policies) {
        ([file], Some(p)) => {
            let (pa, pb) = parse_policies(p)?;
            (
                (file, with(&base, policy_override(&pa))),
                (file, with(&base, policy_override(&pb))),
            )
        }
        ([file], None) => {
            return Err(bad_input(format!(
                "{}: comparing within one scenario needs --policies A,B (two policies); or give two scenario files, A and B",
                file.display()
            )));
        }
        ([a, b], None) => ((a, base.clone()), (b, base.clone())),
        ([_, _], Some(_)) => {
            return Err(bad_input(
                "--policies compares two policies of one scenario; with two scenario files (A and B) leave it out",
            ));
        }
        _ => unreachable!("clap takes one or two scenario files"),
    };
    let mut a = load_one(a_in.0, &a_in.1)?;
    let mut b = load_one(b_in.0, &b_in.1)?;
    // Load-time warnings (an arrival log without rows), once per file.
    super::warn_loaded(&a.file, &a.warnings);
    if b.file != a.file {
        super::warn_loaded(&b.file, &b.warnings);
    }
    for (what, x, y) in [
        ("seed", a.model.seed, b.model.seed),
        (
            "replications",
            u64::from(a.model.replications),
            u64::from(b.model.replications),
        ),
    ] {
        if x != y {
            return Err(bad_input(format!(
                "{} and {} differ in {what} ({x} vs {y}): paired replications need the same seed and replications on both sides; set them with --seed N --replications R",
                a.file, b.file
            )));
        }
    }
    let pairing = if args.independent {
        let seed = independent_seed(a.model.seed);
        let seed = i64::try_from(seed).expect("independent seeds stay below 2^63");
        b = load_one(
            b_in.0,
            &with(
                &b_in.1,
                Override::from_flag("--independent", "seed", toml::Value::Integer(seed)),
            ),
        )?;
        Pairing::Independent
    } else {
        Pairing::Paired
    };
    // `warmup = "auto"`: each side's warm-up is estimated as `portsim run` would.
    settle(&mut a.model);
    settle(&mut b.model);

    let jobs = args.sim.jobs.map(|j| j as usize);
    let mut runs = Vec::with_capacity(2);
    let mut summaries = Vec::with_capacity(2);
    for s in [&a, &b] {
        let SummarizedRun {
            results,
            layout,
            summary,
        } = run_summarized(&s.model, &s.sha256, jobs).map_err(no_threads)?;
        for warning in summary.warnings() {
            eprintln!("warning: {}{}: {warning}", s.file, policy_note(s));
        }
        runs.push((layout, results));
        summaries.push(summary);
    }
    let arm = |i: usize| Arm {
        layout: &runs[i].0,
        results: &runs[i].1,
    };
    let comparison =
        compare_results(arm(0), arm(1), pairing).map_err(|e| bad_input(e.to_string()))?;
    let side = |s: &LoadedScenario, summary: &portsim::experiment::Summary| Side {
        file: s.file.clone(),
        scenario: s.model.name.clone(),
        policy: s.model.policy.clone(),
        seed: s.model.seed,
        replications: s.model.replications,
        scenario_sha256: s.sha256.clone(),
        unstable: summary.unstable,
        unstable_reasons: summary.unstable_parts(),
    };
    let (sa, sb) = (side(&a, &summaries[0]), side(&b, &summaries[1]));
    let report = CompareReport {
        a: &sa,
        b: &sb,
        comparison: &comparison,
    };
    let text = if args.json {
        compare_json(&report)
    } else {
        compare_table(&report)
    };
    print_out(&mut std::io::stdout().lock(), text.trim_end())?;
    if let Some(dir) = &plots {
        let input = PlotInput::Runs {
            summaries: summaries.clone(),
            notes: vec![headline(&report)],
        };
        super::plot::draw(&input, dir)?;
    }
    if args.fail_on_unstable {
        let verdicts: Vec<(String, Vec<String>)> = [("A", &a), ("B", &b)]
            .into_iter()
            .zip(&summaries)
            .map(|((side, s), summary)| {
                (
                    format!("side {side}: {}{}", s.file, policy_note(s)),
                    summary.unstable_parts(),
                )
            })
            .collect();
        fail_on_unstable(&verdicts)?;
    }
    Ok(())
}
