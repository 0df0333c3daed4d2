//! `portsim sweep`: run every variant of a sweep file in parallel, writing results as
//! they come; `--shard I/N` runs one slice of the jobs for `portsim merge`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::Args;

use portsim::experiment::journal::{JOURNAL_FILE, Journal};
use portsim::experiment::shard::{SHARD_FILE, Shard, ShardFile};
use portsim::experiment::sweep::{
    Finish, SweepMeta, SweepRun, SweepState, VariantMeta, planned_jobs,
};
use portsim::experiment::warmup::settle_all;
use portsim::model::Model;
use portsim::report::out_dir::{OutDir, Outputs};
use portsim::report::plots::PlotInput;
use portsim::report::progress::JobProgress;
use portsim::report::sweep::{
    plan_json, results_json, shard_run_json, sweep_results, sweep_table, variant_summaries,
    write_sweep,
};
use portsim::scenario::sweep_file::load_sweep;

use super::{
    EXIT_INTERRUPTED, Failure, PrecisionArgs, SimArgs, bad_input, distinct_dirs, fail_on_unstable,
    internal, no_threads, overrides, print_out,
};

/// Flags of `portsim sweep`.
#[derive(Args)]
pub struct SweepArgs {
    /// The sweep file (TOML): a base scenario, axes or variants, replications, seed.
    pub sweep: PathBuf,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Write results.csv, replications.csv and results.json (and the jobs.jsonl journal
    /// that --resume reads) into DIR.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Continue an interrupted sweep in --out DIR: finished jobs are not run again.
    #[arg(long, requires = "out")]
    pub resume: bool,
    /// Run only slice I of N of the jobs and write DIR/shard.json for `portsim merge`.
    #[arg(long, value_name = "I/N", requires = "out", allow_hyphen_values = true,
          value_parser = parse_shard)]
    pub shard: Option<Shard>,
    #[command(flatten)]
    pub precision: PrecisionArgs,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print results.json on stdout instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Check the sweep and list its variants without running them.
    #[arg(long)]
    pub dry_run: bool,
    /// Draw the sweep's figures and report.html into DIR when it completes.
    #[arg(long, value_name = "DIR")]
    pub plots: Option<PathBuf>,
    /// Let --out and --plots replace files that portsim did not write there.
    #[arg(long)]
    pub force: bool,
    /// Exit 1 (after writing every result) when any variant is flagged unstable: an
    /// overloaded pool, shipments left unreleased or turned away. Not with --shard: a
    /// variant is judged on all its replications, in `merge`'s results.
    #[arg(long, conflicts_with = "shard")]
    pub fail_on_unstable: bool,
}

fn parse_shard(text: &str) -> Result<Shard, String> {
    text.parse()
}

/// The files a whole (unsharded) sweep writes into `--out`.
const RESULT_FILES: [&str; 3] = ["results.csv", "replications.csv", "results.json"];

/// Writes the result files so far into `out` as one set, keeping the journal.
fn write_results(out: &OutDir, meta: &SweepMeta, state: &SweepState) -> Result<(), Failure> {
    let cannot = |e: std::io::Error| {
        internal(format!(
            "{}: cannot write results: {e}",
            out.path().display()
        ))
    };
    let stage = out.stage().map_err(cannot)?;
    write_sweep(stage.path(), meta, state).map_err(cannot)?;
    out.commit(stage, &[JOURNAL_FILE]).map_err(cannot).map(drop)
}

/// Set by the first Ctrl-C: no new job starts; the second one quits at once.
static STOP: AtomicBool = AtomicBool::new(false);

/// Runs the sweep.
pub fn sweep(args: SweepArgs) -> Result<(), Failure> {
    if args.shard.is_some() && args.precision.precision.is_some() {
        return Err(bad_input(
            "--shard cannot be combined with --precision: how many replications a variant needs is only known when all its replications are in one place",
        ));
    }
    // Every destination is checked (and claimed) before anything runs.
    let mut out = None;
    let mut plots = None;
    if !args.dry_run {
        if let Some(dir) = &args.out {
            let names: &[&str] = if args.shard.is_some() {
                &[SHARD_FILE]
            } else {
                &RESULT_FILES
            };
            let claimed =
                OutDir::claim(dir, Outputs::Named(names), args.force).map_err(bad_input)?;
            distinct_dirs(&claimed, args.plots.as_deref())?;
            out = Some(claimed);
        }
        plots = super::plot::guard(args.plots.as_deref(), args.force)?;
    }
    let overrides = overrides(&args.sim)?;
    let loaded = load_sweep(&args.sweep, &overrides).map_err(|e| bad_input(e.to_string()))?;
    // Variants share their scenario file: each warning once.
    let mut warned: Vec<&String> = Vec::new();
    for v in &loaded.variants {
        let fresh: Vec<String> = v
            .scenario
            .warnings
            .iter()
            .filter(|w| !warned.contains(w))
            .cloned()
            .collect();
        super::warn_loaded(&v.scenario.file, &fresh);
        warned.extend(&v.scenario.warnings);
    }
    let threads = args.sim.jobs.map(|j| j as usize);
    let mut stdout = std::io::stdout().lock();

    if args.dry_run {
        // The plan is listed in full: `load_sweep` has bounded it (variants and jobs), so
        // materialising it is safe.
        let jobs: u32 = loaded
            .variants
            .iter()
            .map(|v| v.scenario.model.replications)
            .sum();
        if args.json {
            return print_out(&mut stdout, &plan_json(&loaded));
        }
        print_out(
            &mut stdout,
            &format!(
                "ok: {} — sweep \"{}\" of {}: {} variants, {} jobs",
                loaded.file,
                loaded.name,
                loaded.variants[0].scenario.file,
                loaded.variants.len(),
                jobs
            ),
        )?;
        for (i, v) in loaded.variants.iter().enumerate() {
            let values: Vec<String> = v
                .values
                .iter()
                .map(|(k, x)| format!("{k}={}", portsim::scenario::sweep_file::value_text(x)))
                .collect();
            print_out(
                &mut stdout,
                &format!(
                    "  {i}: {} ({} replications)",
                    values.join(" "),
                    v.scenario.model.replications
                ),
            )?;
        }
        return Ok(());
    }

    // With --precision, rounds may add replications up to --max-replications: a sweep
    // whose most jobs pass the limit is refused before anything runs.
    planned_jobs(
        loaded
            .variants
            .iter()
            .map(|v| v.scenario.model.replications),
        args.precision.rule().as_ref(),
    )
    .map_err(|m| bad_input(format!("{}: {m}", loaded.file)))?;
    // Automatic warm-ups: one pilot run per variant, in parallel, deterministic.
    let mut models: Vec<Model> = loaded
        .variants
        .iter()
        .map(|v| v.scenario.model.clone())
        .collect();
    settle_all(&mut models, threads).map_err(no_threads)?;
    let meta = SweepMeta::new(
        loaded.name.clone(),
        loaded.columns.clone(),
        loaded
            .variants
            .iter()
            .zip(&models)
            .map(|(v, m)| VariantMeta::of(&v.values, &v.scenario.sha256, m))
            .collect(),
    );
    let model_refs: Vec<&Model> = models.iter().collect();
    let run = SweepRun {
        meta: &meta,
        models: &model_refs,
        precision: args.precision.rule(),
        shard: args.shard,
        threads,
    };

    let mut journal = None;
    let mut resumed = Vec::new();
    if let Some(out) = &out {
        let (j, records) =
            Journal::open(out.path(), &meta.sweep_sha256, args.resume).map_err(bad_input)?;
        out.record(&[JOURNAL_FILE])
            .map_err(|e| internal(format!("{}: cannot write: {e}", out.path().display())))?;
        journal = Some(j);
        resumed = records;
    }
    let mut state = run.start(resumed.into_iter().map(|r| (r.job, r.result)));
    let (done0, total0) = state.progress(args.shard);
    if done0 > 0 {
        eprintln!("resuming: {done0} of {total0} jobs already done");
    }

    ctrlc::set_handler(|| {
        if STOP.swap(true, Ordering::SeqCst) {
            std::process::exit(EXIT_INTERRUPTED.into());
        }
        eprintln!(
            "\nstopping: running jobs finish, then the results so far are written (Ctrl-C again to quit now)"
        );
    })
    .map_err(|e| internal(format!("cannot handle Ctrl-C: {e}")))?;

    let progress = JobProgress::stderr(done0 as u64, total0 as u64, args.quiet);
    let started = Instant::now();
    let mut last_write = Instant::now();
    let mut complete: Vec<bool> = (0..meta.variants.len())
        .map(|v| state.complete(v))
        .collect();
    let mut failure: Option<Failure> = None;
    let finish = run
        .drive(&mut state, &STOP, |job, state| {
            if failure.is_some() {
                return;
            }
            if let Some(j) = journal.as_mut()
                && let Err(e) = j.append(job, &state.done[&job])
            {
                // The journal is in an accepted directory: a failed append is the
                // machine's (a full disk).
                failure = Some(internal(e));
                STOP.store(true, Ordering::SeqCst);
                return;
            }
            let (done, total) = state.progress(run.shard);
            progress.update(done as u64, total as u64);
            // Results as they come: after each variant completes, and every few
            // seconds for the replication rows.
            let newly_complete = !complete[job.variant] && state.complete(job.variant);
            complete[job.variant] |= newly_complete;
            if run.shard.is_none()
                && let Some(out) = &out
                && (newly_complete || last_write.elapsed() > Duration::from_secs(5))
            {
                if let Err(e) = write_results(out, &meta, state) {
                    failure = Some(e);
                    STOP.store(true, Ordering::SeqCst);
                }
                last_write = Instant::now();
            }
        })
        .map_err(no_threads)?;
    progress.finish();
    if let Some(f) = failure {
        return Err(f);
    }
    let (done, total) = state.progress(args.shard);
    let wall = started.elapsed().as_secs_f64();

    if let (Some(shard), Some(out)) = (args.shard, &out) {
        let dir = out.path();
        if finish == Finish::Complete {
            let file = ShardFile::new(shard, &meta, &state.done);
            let text = serde_json::to_string(&file).expect("serialises");
            out.write_set(&[(SHARD_FILE, text.as_bytes())], &[JOURNAL_FILE])
                .map_err(|e| {
                    internal(format!("{}: cannot write {SHARD_FILE}: {e}", dir.display()))
                })?;
            eprintln!(
                "shard {shard}: {done} jobs in {wall:.1} s; wrote {}",
                dir.join(SHARD_FILE).display()
            );
            if args.json {
                let text =
                    shard_run_json(&meta.name, &shard.to_string(), done, &dir.join(SHARD_FILE));
                print_out(&mut stdout, &text)?;
            }
        }
    } else {
        if let Some(out) = &out {
            write_results(out, &meta, &state)?;
        }
        if finish == Finish::Complete {
            let summaries = variant_summaries(&meta, &state);
            for (v, s) in summaries.iter().enumerate() {
                for w in s.iter().flat_map(|s| s.warnings()) {
                    eprintln!("warning: variant {v}: {w}");
                }
            }
            let doc = results_json(&meta, &state, &summaries);
            if let Some(dir) = &plots {
                let results = sweep_results(&meta, &state, &summaries);
                super::plot::draw(&PlotInput::Sweep(results), dir)?;
            }
            if args.json {
                print_out(&mut stdout, doc.trim_end())?;
            } else {
                print_out(&mut stdout, sweep_table(&meta, &summaries).trim_end())?;
            }
            eprintln!(
                "{} variants, {done} jobs in {wall:.1} s{}",
                meta.variants.len(),
                args.out
                    .as_ref()
                    .map(|d| format!("; results in {}", d.display()))
                    .unwrap_or_default()
            );
            if args.fail_on_unstable {
                let verdicts: Vec<(String, Vec<String>)> = summaries
                    .iter()
                    .enumerate()
                    .filter_map(|(v, s)| {
                        let values: Vec<String> = meta.variants[v]
                            .values
                            .iter()
                            .map(|(k, x)| {
                                format!("{k}={}", portsim::scenario::sweep_file::value_text(x))
                            })
                            .collect();
                        Some((
                            format!("variant {v} [{}]", values.join(" ")),
                            s.as_ref()?.unstable_parts(),
                        ))
                    })
                    .collect();
                fail_on_unstable(&verdicts)?;
            }
        }
    }
    if finish == Finish::Interrupted {
        let hint = match &args.out {
            Some(d) => format!(
                "results so far are in {}; continue with the same command and --resume",
                d.display()
            ),
            None => "give --out DIR to keep results and resume later".into(),
        };
        return Err(Failure {
            code: EXIT_INTERRUPTED,
            message: format!("interrupted after {done} of {total} jobs; {hint}"),
        });
    }
    Ok(())
}
