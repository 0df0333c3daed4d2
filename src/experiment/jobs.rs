//! Running (variant, replication) jobs on a pool of threads, handing each result back
//! as it finishes.
//!
//! A job's result depends only on its model and replication (every random stream is
//! keyed by seed, replication and purpose), never on which thread ran it or when, so
//! callers that order results by job get the same output for any thread count.
//!
//! Variants that run alike for their first days ([`Model::runs_alike_until`]: a peak's
//! extra hands varied, say) can share them: [`shared_starts`] groups them, and
//! [`run_shared_jobs`] runs each group's replication to the instant once and continues
//! every member's job from it — the same records as running each from the start.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use serde::{Deserialize, Serialize};

use super::replications::thread_pool;
use crate::engine::SimTime;
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

/// Where a variant's replications start: continued from its group's leader's, stopped
/// at `until` (see [`shared_starts`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SharedStart {
    /// The variant whose replications are run to `until`.
    pub leader: usize,
    /// The instant up to which every member of the group runs alike with the leader.
    pub until: SimTime,
}

/// Groups `models` (a sweep's variants, in order) by the days they share: each joins
/// the group whose leader it runs alike with longest, provided it runs alike with the
/// leader at least to the group's instant (the first member to join sets it: joining
/// never cuts short what the group already shares); a variant that can join none leads
/// a group of its own. `None` for a variant alone in its group (it runs from the start).
///
/// In a factorial of dated changes, the variants that differ only in changes starting
/// later thus share the days before the earliest of them.
pub fn shared_starts(models: &[&Model]) -> Vec<Option<SharedStart>> {
    // (leader, instant: None while the leader is alone, members)
    let mut groups: Vec<(usize, Option<SimTime>, Vec<usize>)> = Vec::new();
    for (v, model) in models.iter().enumerate() {
        let best = groups
            .iter()
            .enumerate()
            .filter_map(|(g, (leader, until, _))| {
                let alike = models[*leader].runs_alike_until(model)?;
                (alike > SimTime::ZERO && until.is_none_or(|u| alike >= u))
                    .then_some((g, until.unwrap_or(alike)))
            })
            .max_by_key(|&(_, t)| t);
        match best {
            Some((g, until)) => {
                groups[g].1 = Some(until);
                groups[g].2.push(v);
            }
            None => groups.push((v, None, vec![v])),
        }
    }
    let mut starts = vec![None; models.len()];
    for (leader, until, members) in groups {
        if let Some(until) = until {
            for v in members {
                starts[v] = Some(SharedStart { leader, until });
            }
        }
    }
    starts
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
    each_job(jobs, threads, stop, on_done, |job| {
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
    each_job(jobs, threads, stop, on_done, |job| {
        stopped[job.replication as usize].resume(models[job.variant])
    })
}

/// [`run_each`] with every job a unit of its own, its record made by `result`.
fn each_job(
    jobs: &[Job],
    threads: Option<usize>,
    stop: &AtomicBool,
    on_done: impl FnMut(JobRecord),
    result: impl Fn(Job) -> ReplicationResult + Sync,
) -> Result<(), rayon::ThreadPoolBuildError> {
    run_each(jobs, threads, stop, on_done, |&job, emit| {
        emit(JobRecord {
            job,
            result: result(job),
        });
    })
}

/// [`run_jobs`], with the jobs of variants that share their start (`shared`, one entry
/// per model, from [`shared_starts`]) taken together by replication: the leader's
/// replication is run to the group's instant once, and each of those jobs continues
/// from it (with fewer than four such units per worker, each is split, so that no
/// worker waits while another works through a long unit). The same records as
/// [`run_jobs`]; units start in the order of their first job; once `stop` is set no
/// further job starts (within a unit either).
pub fn run_shared_jobs(
    models: &[&Model],
    shared: &[Option<SharedStart>],
    jobs: &[Job],
    threads: Option<usize>,
    stop: &AtomicBool,
    on_done: impl FnMut(JobRecord),
) -> Result<(), rayon::ThreadPoolBuildError> {
    // (shared start, replication) → the jobs continuing it, in list order.
    let mut units: Vec<(Option<SharedStart>, Vec<Job>)> = Vec::new();
    let mut unit_of: std::collections::HashMap<(usize, u32), usize> = Default::default();
    for &job in jobs {
        let start = shared[job.variant];
        match start.and_then(|s| unit_of.get(&(s.leader, job.replication))) {
            Some(&u) => units[u].1.push(job),
            None => {
                if let Some(s) = start {
                    unit_of.insert((s.leader, job.replication), units.len());
                }
                units.push((start, vec![job]));
            }
        }
    }
    // Few, long units would leave workers idle (one replication, say, and one group):
    // then each group's jobs are split so that there are some four units per worker,
    // each running the shared days itself — still fewer times than once per job.
    let workers = threads.unwrap_or_else(rayon::current_num_threads).max(1);
    if units.len() < 4 * workers {
        let pieces = (4 * workers).div_ceil(units.len().max(1));
        units = units
            .into_iter()
            .flat_map(|(start, jobs)| {
                let size = jobs.len().div_ceil(pieces).max(1);
                jobs.chunks(size)
                    .map(|c| (start, c.to_vec()))
                    .collect::<Vec<_>>()
            })
            .collect();
    }
    run_each(&units, threads, stop, on_done, |(start, jobs), emit| {
        match (start, jobs.as_slice()) {
            (Some(s), [first, _, ..]) => {
                let stopped =
                    Replication::new(models[s.leader], first.replication, None).run_until(s.until);
                for &job in jobs {
                    let result = stopped.resume(models[job.variant]);
                    if !emit(JobRecord { job, result }) {
                        break;
                    }
                }
            }
            // Alone: nothing to share.
            _ => {
                for &job in jobs {
                    let model = models[job.variant];
                    let result = Replication::new(model, job.replication, None).run();
                    if !emit(JobRecord { job, result }) {
                        break;
                    }
                }
            }
        }
    })
}

/// The worker loop of the functions above: workers take `units` in list order, and
/// `run` makes a unit's records, handing each to `emit`, which says whether to go on
/// (false once `stop` is set or nobody listens).
fn run_each<U: Sync>(
    units: &[U],
    threads: Option<usize>,
    stop: &AtomicBool,
    mut on_done: impl FnMut(JobRecord),
    run: impl Fn(&U, &mut dyn FnMut(JobRecord) -> bool) + Sync,
) -> Result<(), rayon::ThreadPoolBuildError> {
    if units.is_empty() {
        return Ok(());
    }
    let pool = thread_pool(threads)?;
    let workers = pool.current_num_threads().min(units.len());
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<JobRecord>();
    let run = &run;
    pool.in_place_scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move |_| {
                // Each worker takes the next unit in list order until none is left,
                // so units finish roughly in order and long and short ones mix evenly.
                let mut listening = true;
                while listening && !stop.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(unit) = units.get(i) else { break };
                    run(unit, &mut |record| {
                        listening = tx.send(record).is_ok();
                        listening && !stop.load(Ordering::Relaxed)
                    });
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Office hours, a rush from 2024-01-15 with `extra` more officers; 40 days.
    fn model(extra: u32) -> Model {
        crate::model::rush_test_model(extra, &[])
    }

    /// Every record of `jobs`, by job, as JSON.
    fn records(
        run: impl FnOnce(&mut dyn FnMut(JobRecord)) -> Result<(), rayon::ThreadPoolBuildError>,
    ) -> Vec<(Job, String)> {
        let mut out = Vec::new();
        run(&mut |r: JobRecord| out.push((r.job, serde_json::to_string(&r.result).unwrap())))
            .unwrap();
        out.sort_by_key(|(job, _)| *job);
        out
    }

    #[test]
    fn shared_jobs_give_the_records_of_jobs_run_from_the_start() {
        let owned: Vec<Model> = [0, 1, 2, 3, 4].into_iter().map(model).collect();
        let models: Vec<&Model> = owned.iter().collect();
        let shared = shared_starts(&models);
        // Without extra hands no change of staff is pending at the rush, but both make
        // the change at 17:00 the Friday before (day 11) alike: one group.
        let group = Some(SharedStart {
            leader: 0,
            until: SimTime::from_hours(11.0 * 24.0 + 17.0),
        });
        assert_eq!(shared, [group; 5]);
        let never = AtomicBool::new(false);
        for replications in [1, 2] {
            let jobs: Vec<Job> = (0..models.len())
                .flat_map(|variant| {
                    (0..replications).map(move |replication| Job {
                        variant,
                        replication,
                    })
                })
                .collect();
            let own = records(|f| run_jobs(&models, &jobs, Some(2), &never, f));
            assert_eq!(own.len(), jobs.len());
            // One replication: a single unit per group, split for two workers.
            for threads in [1, 2] {
                let got =
                    records(|f| run_shared_jobs(&models, &shared, &jobs, Some(threads), &never, f));
                assert!(got == own, "{replications} replications, {threads} threads");
            }
        }
    }
}
