//! Sweeps: every variant of a sweep file run as one list of jobs in parallel, results
//! written as they come (a journal to resume from, the result files after each variant
//! and every few seconds), or one shard of the jobs for a later merge.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::error::Error;
use super::observer::Observer;
use super::outputs::{claim, claim_plots, draw};
use super::run::instant_text;
use super::scenarios::{SimSettings, warn_loaded};
use crate::experiment::Summary;
use crate::experiment::factorial::ClearanceEffects;
use crate::experiment::journal::{JOURNAL_FILE, Journal};
use crate::experiment::precision::Precision;
use crate::experiment::shard::{SHARD_FILE, Shard, ShardFile};
use crate::experiment::sweep::{
    Finish, SweepMeta, SweepRun, SweepState, VariantMeta, planned_jobs,
};
use crate::experiment::warmup::settle_all;
use crate::model::Model;
use crate::report::long_csv::{
    CsvFormat, long_name, sweep_replications_long_csv, sweep_results_long_csv,
};
use crate::report::out_dir::{OutDir, Outputs, write_atomic};
use crate::report::plots::PlotInput;
use crate::report::sweep::{CompleteSummaries, sweep_results, write_sweep};
use crate::scenario::sweep_file::{LoadedSweep, load_sweep, value_text};

/// The files a whole (unsharded) sweep writes into its output directory.
pub const RESULT_FILES: [&str; 3] = ["results.csv", "replications.csv", "results.json"];

/// The files a whole sweep writes in `format`: [`RESULT_FILES`], and with
/// [`CsvFormat::Long`] the long copy of each CSV file.
pub fn result_files(format: CsvFormat) -> Vec<String> {
    let mut names: Vec<String> = RESULT_FILES.map(String::from).to_vec();
    if format == CsvFormat::Long {
        names.extend(["results.csv", "replications.csv"].map(long_name));
    }
    names
}

/// What to sweep and where its results go.
#[derive(Clone, Debug, Default)]
pub struct SweepRequest {
    /// The sweep file.
    pub file: PathBuf,
    /// Overrides (of paths the sweep does not vary) and threads.
    pub sim: SimSettings,
    /// Write the results (and the journal that `resume` reads) here.
    pub out: Option<PathBuf>,
    /// Continue the interrupted sweep in `out`: finished jobs are not run again.
    pub resume: bool,
    /// Run only this slice of the jobs and write `out/shard.json`.
    pub shard: Option<Shard>,
    /// Add replications per variant until this precision (not with a shard).
    pub precision: Option<Precision>,
    /// Draw the sweep's figures and `report.html` here when it completes.
    pub plots: Option<PathBuf>,
    /// Let `out` and `plots` replace files portsim did not write there.
    pub force: bool,
    /// `Long`: also write `results-long.csv` and `replications-long.csv` into `out`.
    pub csv_format: CsvFormat,
}

/// How a sweep went.
pub struct SweepOutcome {
    /// What the results are about.
    pub meta: SweepMeta,
    /// The jobs done.
    pub state: SweepState,
    /// Whether every job ran or the caller stopped it.
    pub finish: Finish,
    /// Jobs done and planned (of the shard, with one).
    pub progress: (usize, usize),
    /// Each variant's summary, when the whole sweep completed (not a shard).
    pub summaries: Option<Vec<Option<Summary>>>,
    /// The `portsim.sweep/1` results document, when the whole sweep completed.
    pub document: Option<String>,
    /// The effects on the headline mean clearance, when the whole sweep completed and
    /// is a full two-level factorial.
    pub effects: Option<ClearanceEffects>,
    /// The shard file written, when a shard completed.
    pub shard_file: Option<PathBuf>,
    /// Wall time of the jobs, seconds.
    pub wall_seconds: f64,
}

impl SweepOutcome {
    /// `(variant, what made it unstable)` for each summarised variant, for
    /// [`fail_on_unstable`](super::unstable::fail_on_unstable).
    pub fn unstable_parts(&self) -> Vec<(String, Vec<String>)> {
        let Some(summaries) = &self.summaries else {
            return Vec::new();
        };
        summaries
            .iter()
            .enumerate()
            .filter_map(|(v, s)| {
                let values: Vec<String> = self.meta.variants[v]
                    .values
                    .iter()
                    .map(|(k, x)| format!("{k}={}", value_text(x)))
                    .collect();
                Some((
                    format!("variant {v} [{}]", values.join(" ")),
                    s.as_ref()?.unstable_parts(),
                ))
            })
            .collect()
    }

    /// `Err` ([`Interrupted`](super::ErrorKind::Interrupted)) when the sweep was stopped,
    /// saying how far it got and how to go on; `out` is the request's.
    pub fn verdict(&self, out: Option<&std::path::Path>) -> Result<(), Error> {
        if self.finish == Finish::Complete {
            return Ok(());
        }
        let hint = match out {
            Some(d) => format!(
                "results so far are in {}; continue with the same command and --resume",
                d.display()
            ),
            None => "give --out DIR to keep results and resume later".into(),
        };
        let (done, total) = self.progress;
        Err(Error::interrupted(format!(
            "interrupted after {done} of {total} jobs; {hint}"
        )))
    }
}

/// Refuses a shard of a precision-driven sweep.
fn refuse_unshardable(request: &SweepRequest) -> Result<(), Error> {
    if request.shard.is_some() && request.precision.is_some() {
        return Err(Error::bad_input(
            "--shard cannot be combined with --precision: how many replications a variant needs is only known when all its replications are in one place",
        ));
    }
    if request.shard.is_some() && request.csv_format == CsvFormat::Long {
        return Err(Error::bad_input(
            "--shard cannot be combined with --format long: a shard writes only shard.json; ask `portsim merge --format long` for the long files",
        ));
    }
    Ok(())
}

/// Checks the request and loads the sweep file and every variant: the plan a dry run
/// lists (nothing is claimed or run).
pub fn plan(request: &SweepRequest, observer: &dyn Observer) -> Result<LoadedSweep, Error> {
    refuse_unshardable(request)?;
    load_variants(request, observer)
}

/// Loads the sweep file and every variant, passing on each scenario's load-time
/// warnings once.
fn load_variants(request: &SweepRequest, observer: &dyn Observer) -> Result<LoadedSweep, Error> {
    let overrides = request.sim.overrides()?;
    let loaded = load_sweep(&request.file, &overrides).map_err(Error::from)?;
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
        warn_loaded(&v.scenario.file, &fresh, observer);
        warned.extend(&v.scenario.warnings);
    }
    Ok(loaded)
}

/// Claims the output and plots directories before anything loads.
fn claim_dirs(request: &SweepRequest) -> Result<(Option<OutDir>, Option<OutDir>), Error> {
    let mut outs = Vec::new();
    if let Some(dir) = &request.out {
        let whole = result_files(request.csv_format);
        let names: Vec<&str> = if request.shard.is_some() {
            vec![SHARD_FILE]
        } else {
            whole.iter().map(String::as_str).collect()
        };
        outs.push(claim(dir, Outputs::Named(&names), request.force)?);
    }
    let plots = claim_plots(request.plots.as_deref(), &outs, request.force)?;
    Ok((outs.pop(), plots))
}

/// The variants' models, warm-ups settled (one pilot run per variant, in parallel), and
/// the sweep's meta.
fn prepare(loaded: &LoadedSweep, request: &SweepRequest) -> Result<(Vec<Model>, SweepMeta), Error> {
    // With precision, rounds may add replications up to the maximum: a sweep whose
    // most jobs pass the limit is refused before anything runs.
    planned_jobs(
        loaded
            .variants
            .iter()
            .map(|v| v.scenario.model.replications),
        request.precision.as_ref(),
    )
    .map_err(|m| Error::bad_input(format!("{}: {m}", loaded.file)))?;
    let mut models: Vec<Model> = loaded
        .variants
        .iter()
        .map(|v| v.scenario.model.clone())
        .collect();
    settle_all(&mut models, request.sim.jobs).map_err(Error::no_threads)?;
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
    Ok((models, meta))
}

/// Writes the result files so far into `out` as one set (in `format`), keeping the
/// journal; `summaries` are those of `state`'s complete variants.
fn write_results(
    out: &OutDir,
    meta: &SweepMeta,
    state: &SweepState,
    summaries: &[Option<Summary>],
    format: CsvFormat,
) -> Result<(), Error> {
    let cannot = |e: std::io::Error| {
        Error::internal(format!(
            "{}: cannot write results: {e}",
            out.path().display()
        ))
    };
    let stage = out.stage().map_err(cannot)?;
    write_sweep_files(stage.path(), meta, state, summaries, format).map_err(cannot)?;
    out.commit(stage, &[JOURNAL_FILE]).map_err(cannot).map(drop)
}

/// Writes a sweep's result files into `dir` in `format`: [`RESULT_FILES`] and, with
/// [`CsvFormat::Long`], the long copy of each CSV file (what a whole sweep and a merge
/// of its shards both write); `summaries` are those of `state`'s complete variants.
pub(crate) fn write_sweep_files(
    dir: &std::path::Path,
    meta: &SweepMeta,
    state: &SweepState,
    summaries: &[Option<Summary>],
    format: CsvFormat,
) -> std::io::Result<()> {
    write_sweep(dir, meta, state, summaries)?;
    if format == CsvFormat::Long {
        let results = sweep_results_long_csv(meta, summaries);
        write_atomic(dir, &long_name("results.csv"), results.as_bytes())?;
        let replications = sweep_replications_long_csv(meta, state);
        write_atomic(dir, &long_name("replications.csv"), replications.as_bytes())?;
    }
    Ok(())
}

/// Says which variants share their first days (numbered from 0, as the plan lists them).
fn note_shared_starts(run: &SweepRun<'_>, models: &[Model], observer: &dyn Observer) {
    let starts = run.shared_starts();
    let mut leaders: Vec<usize> = starts.iter().flatten().map(|s| s.leader).collect();
    leaders.sort_unstable();
    leaders.dedup();
    for leader in leaders {
        let members: Vec<String> = (starts.iter().enumerate())
            .filter(|(_, s)| s.is_some_and(|s| s.leader == leader))
            .map(|(v, _)| v.to_string())
            .collect();
        let until = starts[leader].expect("a leader shares its start").until;
        observer.note(&format!(
            "variants {} run alike until {}: each replication's days before it run once",
            members.join(", "),
            instant_text(&models[leader], until)
        ));
    }
}

/// Runs the sweep the request describes. A stop request (the observer's flag) lets
/// running jobs finish, writes the results so far and returns an outcome whose
/// [`verdict`](SweepOutcome::verdict) says so.
pub fn sweep(request: &SweepRequest, observer: &dyn Observer) -> Result<SweepOutcome, Error> {
    refuse_unshardable(request)?;
    let (out, plots) = claim_dirs(request)?;
    let loaded = load_variants(request, observer)?;
    let (models, meta) = prepare(&loaded, request)?;
    drop(loaded);
    let model_refs: Vec<&Model> = models.iter().collect();
    let run = SweepRun::new(
        &meta,
        &model_refs,
        request.precision,
        request.shard,
        request.sim.jobs,
    );
    let mut journal = None;
    let mut resumed = Vec::new();
    if let Some(out) = &out {
        let (j, records) = Journal::open(out.path(), &meta.sweep_sha256, request.resume)
            .map_err(Error::bad_input)?;
        out.record(&[JOURNAL_FILE])
            .map_err(|e| Error::internal(format!("{}: cannot write: {e}", out.path().display())))?;
        journal = Some(j);
        resumed = records;
    }
    note_shared_starts(&run, &models, observer);
    let mut state = run.start(resumed.into_iter().map(|r| (r.job, r.result)));
    let (done0, total0) = state.progress(request.shard);
    if done0 > 0 {
        observer.note(&format!("resuming: {done0} of {total0} jobs already done"));
    }
    observer.progress(done0 as u64, total0 as u64);
    let started = Instant::now();
    let format = request.csv_format;
    let mut summaries = CompleteSummaries::default();
    let finish = drive(
        &run,
        &mut state,
        &mut summaries,
        out.as_ref(),
        journal,
        observer,
        format,
    );
    observer.finished();
    let finish = finish?;
    let mut outcome = SweepOutcome {
        progress: state.progress(request.shard),
        meta,
        state,
        finish,
        summaries: None,
        document: None,
        effects: None,
        shard_file: None,
        wall_seconds: started.elapsed().as_secs_f64(),
    };
    match (request.shard, &out) {
        (Some(shard), Some(out)) => finish_shard(&mut outcome, shard, out, observer)?,
        _ => finish_whole(
            &mut outcome,
            summaries,
            out.as_ref(),
            plots.as_ref(),
            observer,
            format,
        )?,
    }
    Ok(outcome)
}

/// Runs the jobs, journaling each and writing the results as they come (after each
/// variant completes, and every few seconds, but not after the last planned job: the
/// caller writes them next), summarising each variant once into `summaries`.
fn drive(
    run: &SweepRun<'_>,
    state: &mut SweepState,
    summaries: &mut CompleteSummaries,
    out: Option<&OutDir>,
    mut journal: Option<Journal>,
    observer: &dyn Observer,
    format: CsvFormat,
) -> Result<Finish, Error> {
    let own = AtomicBool::new(false);
    // A failed write stops the sweep through the same flag (the caller's, if it gave one).
    let stop = observer.stop_flag().unwrap_or(&own);
    let mut failure: Option<Error> = None;
    let mut last_write = Instant::now();
    let mut complete: Vec<bool> = (0..run.meta.variants.len())
        .map(|v| state.complete(v))
        .collect();
    let finish = run
        .drive(state, stop, |job, state| {
            if failure.is_some() {
                return;
            }
            if let Some(j) = journal.as_mut()
                && let Err(e) = j.append(job, &state.done[&job])
            {
                // The journal is in an accepted directory: a failed append is the
                // machine's (a full disk).
                failure = Some(Error::internal(e));
                stop.store(true, Ordering::SeqCst);
                return;
            }
            let (done, total) = state.progress(run.shard);
            observer.progress(done as u64, total as u64);
            let newly_complete = !complete[job.variant] && state.complete(job.variant);
            complete[job.variant] |= newly_complete;
            if run.shard.is_none()
                && let Some(out) = out
                && done < total
                && (newly_complete || last_write.elapsed() > Duration::from_secs(5))
            {
                let summaries = summaries.update(run.meta, state);
                if let Err(e) = write_results(out, run.meta, state, summaries, format) {
                    failure = Some(e);
                    stop.store(true, Ordering::SeqCst);
                }
                last_write = Instant::now();
            }
        })
        .map_err(Error::no_threads)?;
    match failure {
        Some(e) => Err(e),
        None => Ok(finish),
    }
}

/// A shard that completed writes its shard file (an interrupted one keeps its journal).
fn finish_shard(
    outcome: &mut SweepOutcome,
    shard: Shard,
    out: &OutDir,
    observer: &dyn Observer,
) -> Result<(), Error> {
    if outcome.finish != Finish::Complete {
        return Ok(());
    }
    let dir = out.path();
    let file = ShardFile::new(shard, &outcome.meta, &outcome.state.done);
    let text = serde_json::to_string(&file).expect("serialises");
    out.write_set(&[(SHARD_FILE, text.as_bytes())], &[JOURNAL_FILE])
        .map_err(|e| {
            Error::internal(format!("{}: cannot write {SHARD_FILE}: {e}", dir.display()))
        })?;
    let path = dir.join(SHARD_FILE);
    observer.note(&format!(
        "shard {shard}: {} jobs in {:.1} s; wrote {}",
        outcome.progress.0,
        outcome.wall_seconds,
        path.display()
    ));
    outcome.shard_file = Some(path);
    Ok(())
}

/// A whole sweep writes its results (so far, if stopped); one that completed is
/// summarised, its warnings passed on and its figures drawn.
fn finish_whole(
    outcome: &mut SweepOutcome,
    mut summaries: CompleteSummaries,
    out: Option<&OutDir>,
    plots: Option<&OutDir>,
    observer: &dyn Observer,
    format: CsvFormat,
) -> Result<(), Error> {
    let (meta, state) = (&outcome.meta, &outcome.state);
    let current = summaries.update(meta, state);
    if let Some(out) = out {
        write_results(out, meta, state, current, format)?;
    }
    if outcome.finish != Finish::Complete {
        return Ok(());
    }
    let summaries = summaries.into_vec();
    for (v, s) in summaries.iter().enumerate() {
        for w in s.iter().flat_map(|s| s.warnings()) {
            observer.warning(&format!("variant {v}: {w}"));
        }
    }
    let results = sweep_results(&outcome.meta, &outcome.state, &summaries);
    let doc = results.to_json();
    if let Some(dir) = plots {
        draw(&PlotInput::Sweep(Box::new(results)), dir, observer)?;
    }
    outcome.effects = ClearanceEffects::of(&outcome.meta, &outcome.state);
    outcome.summaries = Some(summaries);
    outcome.document = Some(doc);
    Ok(())
}
