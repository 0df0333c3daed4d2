//! Running the replications of a model on a pool of threads.

use std::ops::Range;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rayon::prelude::*;

use crate::engine::SimTime;
use crate::model::flow::Checkpoint;
use crate::model::flow::TraceSink;
use crate::model::{Model, Replication, ReplicationResult};

/// How to run replications.
#[derive(Default)]
pub struct RunOptions<'t> {
    /// Worker threads; `None` for rayon's default (`RAYON_NUM_THREADS` or one per core).
    pub jobs: Option<usize>,
    /// Receives every counted shipment of the first replication; the caller keeps it
    /// (to flush a file, say) after the run.
    pub trace: Option<&'t mut dyn TraceSink>,
    /// Told `(done, planned)` after each replication, from the worker that ran it:
    /// replications done so far and the planned total (a precision rule raises it
    /// round by round).
    pub progress: Option<&'t (dyn Fn(u64, u64) + Sync)>,
}

/// A pool of `threads` workers (`None`: `RAYON_NUM_THREADS`, or one per core).
pub fn thread_pool(
    threads: Option<usize>,
) -> Result<rayon::ThreadPool, rayon::ThreadPoolBuildError> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        builder = builder.num_threads(n.max(1));
    }
    builder.build()
}

/// Runs every replication of `model` and returns their results in replication order.
pub fn run_replications(
    model: &Model,
    options: RunOptions<'_>,
) -> Result<Vec<ReplicationResult>, rayon::ThreadPoolBuildError> {
    run_replication_range(model, 0..model.replications, options)
}

/// Runs replications `range` of `model` (the trace sees replication 0, if in range) and
/// returns their results in replication order.
pub fn run_replication_range(
    model: &Model,
    range: Range<u32>,
    options: RunOptions<'_>,
) -> Result<Vec<ReplicationResult>, rayon::ThreadPoolBuildError> {
    let pool = thread_pool(options.jobs)?;
    // Only replication 0 is traced; the others never touch the lock.
    let trace = Mutex::new(options.trace);
    // Replications before the range were done in an earlier round.
    let done = AtomicU64::new(u64::from(range.start));
    let planned = u64::from(range.end);
    let progress = options.progress;
    Ok(pool.install(|| {
        range
            .into_par_iter()
            .map(|r| {
                let result = if r == 0 {
                    let mut guard = trace.lock().unwrap_or_else(|e| e.into_inner());
                    // Reborrow with this replication's (shorter) lifetime.
                    let sink = guard.as_mut().map(|s| -> &mut dyn TraceSink { &mut **s });
                    Replication::new(model, r, sink).run()
                } else {
                    Replication::new(model, r, None).run()
                };
                if let Some(tell) = progress {
                    tell(done.fetch_add(1, Ordering::Relaxed) + 1, planned);
                }
                result
            })
            .collect()
    }))
}

/// Every replication of `model` run up to `until` and stopped there (untraced), in
/// replication order: to be continued by [`resume_replications`].
pub fn checkpoints(
    model: &Model,
    until: SimTime,
    jobs: Option<usize>,
) -> Result<Vec<Checkpoint<'_>>, rayon::ThreadPoolBuildError> {
    let never = AtomicBool::new(false);
    Ok(checkpoints_unless_stopped(model, until, jobs, &never)?.expect("never stopped"))
}

/// [`checkpoints`], starting no replication once `stop` is set: `None` if any was not
/// run (the caller was interrupted).
pub fn checkpoints_unless_stopped<'a>(
    model: &'a Model,
    until: SimTime,
    jobs: Option<usize>,
    stop: &AtomicBool,
) -> Result<Option<Vec<Checkpoint<'a>>>, rayon::ThreadPoolBuildError> {
    let pool = thread_pool(jobs)?;
    Ok(pool.install(|| {
        (0..model.replications)
            .into_par_iter()
            .map(|r| {
                (!stop.load(Ordering::Relaxed))
                    .then(|| Replication::new(model, r, None).run_until(until))
            })
            .collect()
    }))
}

/// Each of `checkpoints` continued under `model` (see [`Checkpoint::resume`] for when
/// that is the same as running `model` from the start); their results in order.
pub fn resume_replications<'a>(
    checkpoints: &[Checkpoint<'a>],
    model: &Model,
    jobs: Option<usize>,
) -> Result<Vec<ReplicationResult>, rayon::ThreadPoolBuildError> {
    let pool = thread_pool(jobs)?;
    Ok(pool.install(|| checkpoints.par_iter().map(|c| c.resume(model)).collect()))
}

/// A model's replications and their summary.
pub struct SummarizedRun {
    /// Each replication's results, in order.
    pub results: Vec<ReplicationResult>,
    /// The model's layout (names and order of modes and pools).
    pub layout: crate::experiment::Layout,
    /// Their summary, timed from the start of the run.
    pub summary: crate::experiment::Summary,
}
