//! Running (variant, replication) jobs on a pool of threads, handing each result back
//! as it finishes.
//!
//! A job's result depends only on its model and replication (every random stream is
//! keyed by seed, replication and purpose), never on which thread ran it or when, so
//! callers that order results by job get the same output for any thread count.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use serde::{Deserialize, Serialize};

use super::replications::thread_pool;
use crate::model::flow::Checkpoint;
use crate::model::{Model, Replication, ReplicationResult};

/// One unit of work: a replication of one variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Job {
    /// Index of the variant (its model).
    pub variant: usize,
    /// Replication (0-based).
    pub replication: u32,
}

/// A finished job.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct JobRecord {
    /// Which job.
    #[serde(flatten)]
    pub job: Job,
    /// What the replication produced.
    pub result: ReplicationResult,
}

/// Runs `jobs` on `threads` worker threads (`None`: rayon's default) and calls
/// `on_done` on the calling thread with each record as it finishes. Jobs start in list
/// order; once `stop` is set no new job starts, and the call returns when the running
/// ones have finished.
pub fn run_jobs(
    models: &[&Model],
    jobs: &[Job],
    threads: Option<usize>,
    stop: &AtomicBool,
    on_done: impl FnMut(JobRecord),
) -> Result<(), rayon::ThreadPoolBuildError> {
    run_each(jobs, threads, stop, on_done, |job| {
        Replication::new(models[job.variant], job.replication, None).run()
    })
}

/// [`run_jobs`], each job continuing `stopped[job.replication]` under its variant's
/// model instead of running it from the start: the same records when every model is
/// the same as the stopped replications' up to their stop (see [`Checkpoint::resume`]).
///
/// # Panics
///
/// If a job's replication has no checkpoint.
pub fn resume_jobs(
    models: &[&Model],
    stopped: &[Checkpoint<'_>],
    jobs: &[Job],
    threads: Option<usize>,
    stop: &AtomicBool,
    on_done: impl FnMut(JobRecord),
) -> Result<(), rayon::ThreadPoolBuildError> {
    run_each(jobs, threads, stop, on_done, |job| {
        stopped[job.replication as usize].resume(models[job.variant])
    })
}

/// The worker loop of [`run_jobs`] and [`resume_jobs`]: `run` makes a job's result.
fn run_each(
    jobs: &[Job],
    threads: Option<usize>,
    stop: &AtomicBool,
    mut on_done: impl FnMut(JobRecord),
    run: impl Fn(Job) -> ReplicationResult + Sync,
) -> Result<(), rayon::ThreadPoolBuildError> {
    if jobs.is_empty() {
        return Ok(());
    }
    let pool = thread_pool(threads)?;
    let workers = pool.current_num_threads().min(jobs.len());
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<JobRecord>();
    let run = &run;
    pool.in_place_scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move |_| {
                // Each worker takes the next job in list order until none is left,
                // so jobs finish roughly in order and long and short jobs mix evenly.
                while !stop.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&job) = jobs.get(i) else { break };
                    let result = run(job);
                    if tx.send(JobRecord { job, result }).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // The calling thread is not one of the pool's workers: it only receives.
        for record in rx {
            on_done(record);
        }
    });
    Ok(())
}
