//! Sweeps: many variants of a scenario, each replicated, run as one list of jobs.
//!
//! The job list is variant-major (variant 0's replications, then variant 1's, ...).
//! Results are kept by job, so whatever order jobs finish in — any thread count, any
//! sharding, resumed or not — the collected results are the same.

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::jobs::{Job, SharedStart, run_shared_jobs, shared_starts};
use super::layout::Layout;
use super::precision::{Precision, PrecisionStatus};
use super::shard_slice::Shard;
use crate::model::{Model, ReplicationResult};

// Defined with the sweep file, which counts jobs as its variants load (below this
// layer); re-exported here, where a sweep's jobs are planned.
pub use crate::scenario::sweep_file::MAX_JOBS;

/// How many jobs variants of these `replications` plan with fixed replications, or with
/// `precision`, the most they may reach (each variant at the larger of its first batch
/// and the rule's maximum); counted without listing them. Beyond [`MAX_JOBS`], an error
/// says the count and the limit.
pub fn planned_jobs(
    replications: impl ExactSizeIterator<Item = u32>,
    precision: Option<&Precision>,
) -> Result<u64, String> {
    let variants = replications.len();
    let most = precision.map_or(0, |p| p.max_replications);
    // Each term is at most 2³², so a u64 sum overflows only past 2³² variants; checked
    // anyway, as the variants may come from a file.
    let mut total = Some(0u64);
    for r in replications {
        total = total.and_then(|t| t.checked_add(u64::from(r.max(most))));
    }
    match total {
        Some(n) if n <= MAX_JOBS => Ok(n),
        n => Err(format!(
            "the sweep has {} jobs ({variants} variants × their {}replications); at most {MAX_JOBS} are allowed: lower the replications{} or split the sweep",
            n.map_or_else(|| "more than 2⁶⁴".to_string(), |n| n.to_string()),
            if precision.is_some() { "most " } else { "" },
            if precision.is_some() {
                " or --max-replications"
            } else {
                ""
            },
        )),
    }
}

/// What a sweep's results are about: enough to summarise them without the scenario
/// files, and stored with every shard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepMeta {
    /// The sweep's name.
    pub name: String,
    /// SHA-256 identifying the sweep: its axes, values and every variant's resolved
    /// scenario (so seed and replications too).
    pub sweep_sha256: String,
    /// The axis paths, the results' first columns.
    pub columns: Vec<String>,
    /// The variants, in job order.
    pub variants: Vec<VariantMeta>,
}

/// One variant of a sweep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VariantMeta {
    /// Axis path → value.
    pub values: IndexMap<String, toml::Value>,
    /// SHA-256 of the variant's resolved scenario.
    pub scenario_sha256: String,
    /// Replications asked for (the first batch when replications are precision-driven).
    pub replications: u32,
    /// The shape of its results.
    pub layout: Layout,
}

impl VariantMeta {
    /// The meta of a variant with these axis `values`, resolved-scenario hash and model
    /// (warm-up settled).
    pub fn of(values: &[(String, toml::Value)], scenario_sha256: &str, model: &Model) -> Self {
        VariantMeta {
            values: values.iter().cloned().collect(),
            scenario_sha256: scenario_sha256.to_string(),
            replications: model.replications,
            layout: Layout::of(model),
        }
    }
}

impl SweepMeta {
    /// The meta of a sweep, its identifying hash computed.
    pub fn new(name: String, columns: Vec<String>, variants: Vec<VariantMeta>) -> SweepMeta {
        let mut meta = SweepMeta {
            name,
            sweep_sha256: String::new(),
            columns,
            variants,
        };
        meta.sweep_sha256 = meta.identity();
        meta
    }

    /// The identifying hash of the axes and variants (the name is not part of it).
    pub fn identity(&self) -> String {
        let key: Vec<(&IndexMap<String, toml::Value>, &str)> = self
            .variants
            .iter()
            .map(|v| (&v.values, v.scenario_sha256.as_str()))
            .collect();
        let text = serde_json::to_string(&(&self.columns, key)).expect("serialises");
        Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// How many jobs the sweep plans: see [`planned_jobs`].
    pub fn job_count(&self, precision: Option<&Precision>) -> Result<u64, String> {
        planned_jobs(self.variants.iter().map(|v| v.replications), precision)
    }

    /// Every job of the sweep with fixed replications, in order.
    pub fn all_jobs(&self) -> Vec<Job> {
        self.variants
            .iter()
            .enumerate()
            .flat_map(|(variant, v)| {
                (0..v.replications).map(move |replication| Job {
                    variant,
                    replication,
                })
            })
            .collect()
    }
}

/// Where a sweep stands: finished jobs and each variant's replication target.
#[derive(Clone, Debug, Default)]
pub struct SweepState {
    /// Finished jobs' results.
    pub done: BTreeMap<Job, ReplicationResult>,
    /// Replications each variant is to have.
    pub targets: Vec<u32>,
    /// Whether a variant's target is final (precision reached, or fixed replications).
    pub settled: Vec<bool>,
    /// The precision rule's last verdict per variant (precision-driven sweeps only).
    pub precision: Vec<Option<PrecisionStatus>>,
}

impl SweepState {
    /// The state of a finished fixed-replication sweep with these results (as merged
    /// from shards).
    pub fn finished(meta: &SweepMeta, done: BTreeMap<Job, ReplicationResult>) -> Self {
        let n = meta.variants.len();
        SweepState {
            done,
            targets: meta.variants.iter().map(|v| v.replications).collect(),
            settled: vec![true; n],
            precision: vec![None; n],
        }
    }

    /// The results of `variant` so far, in replication order, up to its target.
    pub fn results(&self, variant: usize) -> Vec<ReplicationResult> {
        self.results_of(variant).cloned().collect()
    }

    /// Like [`SweepState::results`], borrowed.
    pub fn results_of(&self, variant: usize) -> impl Iterator<Item = &ReplicationResult> {
        let end = self.targets.get(variant).copied().unwrap_or(0);
        self.done
            .range(
                Job {
                    variant,
                    replication: 0,
                }..Job {
                    variant,
                    replication: end,
                },
            )
            .map(|(_, r)| r)
    }

    /// Whether every replication of `variant` is done and no more will be added.
    pub fn complete(&self, variant: usize) -> bool {
        self.settled.get(variant).copied().unwrap_or(false)
            && (0..self.targets[variant]).all(|replication| {
                self.done.contains_key(&Job {
                    variant,
                    replication,
                })
            })
    }

    /// Jobs finished and jobs planned so far (within `shard`, if any), counted without
    /// listing the planned jobs: this runs after every job.
    pub fn progress(&self, shard: Option<Shard>) -> (usize, usize) {
        // Where each variant's jobs start in the job order.
        let mut first = Vec::with_capacity(self.targets.len());
        let mut total = 0usize;
        for &n in &self.targets {
            first.push(total);
            total += n as usize;
        }
        let taken = |ordinal: usize| shard.is_none_or(|s| s.takes(ordinal));
        let done = self
            .done
            .keys()
            .filter(|j| {
                self.targets
                    .get(j.variant)
                    .is_some_and(|&n| j.replication < n)
                    && taken(first[j.variant] + j.replication as usize)
            })
            .count();
        let planned = match shard {
            // Ordinals i − 1, i − 1 + n, … below the total.
            Some(s) => (total + s.count as usize - s.index as usize) / s.count as usize,
            None => total,
        };
        (done, planned)
    }

    /// The planned jobs in order (within `shard`, if any), lazily.
    fn planned(&self, shard: Option<Shard>) -> impl Iterator<Item = Job> + '_ {
        self.targets
            .iter()
            .enumerate()
            .flat_map(|(variant, &n)| {
                (0..n).map(move |replication| Job {
                    variant,
                    replication,
                })
            })
            .enumerate()
            .filter(move |(ordinal, _)| shard.is_none_or(|s| s.takes(*ordinal)))
            .map(|(_, j)| j)
    }
}

/// How a sweep is to run.
pub struct SweepRun<'a> {
    /// The sweep.
    pub meta: &'a SweepMeta,
    /// Each variant's model (warm-up settled). Private, so that it cannot be replaced
    /// behind `shared`, which is derived from it.
    models: &'a [&'a Model],
    /// Add replications until this precision (not with a shard).
    pub precision: Option<Precision>,
    /// Run only this slice of the jobs.
    pub shard: Option<Shard>,
    /// Worker threads (`None`: rayon's default).
    pub threads: Option<usize>,
    /// Which variants share their first days with which, worked out once from `models`
    /// by [`SweepRun::new`].
    shared: Vec<Option<SharedStart>>,
}

/// How a sweep ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Finish {
    /// Every job ran.
    Complete,
    /// `stop` was set; finished jobs are kept.
    Interrupted,
}

impl<'a> SweepRun<'a> {
    /// The jobs of `meta` on `models` (one per variant); which variants share their
    /// first days ([`shared_starts`]) is worked out here, once.
    pub fn new(
        meta: &'a SweepMeta,
        models: &'a [&'a Model],
        precision: Option<Precision>,
        shard: Option<Shard>,
        threads: Option<usize>,
    ) -> SweepRun<'a> {
        SweepRun {
            meta,
            models,
            precision,
            shard,
            threads,
            shared: shared_starts(models),
        }
    }

    /// A fresh state (targets = each variant's replications), with `resumed` jobs done.
    pub fn start(&self, resumed: impl IntoIterator<Item = (Job, ReplicationResult)>) -> SweepState {
        let n = self.meta.variants.len();
        let mut state = SweepState {
            done: BTreeMap::new(),
            targets: self.meta.variants.iter().map(|v| v.replications).collect(),
            settled: vec![self.precision.is_none(); n],
            precision: vec![None; n],
        };
        for (job, result) in resumed {
            if job.variant < n {
                state.done.insert(job, result);
            }
        }
        state
    }

    /// Which variants share their first days with which ([`shared_starts`]): the jobs
    /// of a group's replication run those days once.
    pub fn shared_starts(&self) -> &[Option<SharedStart>] {
        &self.shared
    }

    /// Runs the jobs `state` lacks, in rounds: all planned jobs, then (precision-driven)
    /// one more batch for each variant short of its target, until none is. `on_job` is
    /// called on the calling thread after each job with the state including it.
    pub fn drive(
        &self,
        state: &mut SweepState,
        stop: &AtomicBool,
        mut on_job: impl FnMut(Job, &SweepState),
    ) -> Result<Finish, rayon::ThreadPoolBuildError> {
        assert!(
            self.precision.is_none() || self.shard.is_none(),
            "precision-driven sweeps cannot be sharded"
        );
        loop {
            let todo: Vec<Job> = state
                .planned(self.shard)
                .filter(|j| !state.done.contains_key(j))
                .collect();
            run_shared_jobs(
                self.models,
                &self.shared,
                &todo,
                self.threads,
                stop,
                |record| {
                    let job = record.job;
                    state.done.insert(job, record.result);
                    on_job(job, state);
                },
            )?;
            if stop.load(std::sync::atomic::Ordering::Relaxed)
                && todo.iter().any(|j| !state.done.contains_key(j))
            {
                return Ok(Finish::Interrupted);
            }
            let Some(precision) = &self.precision else {
                return Ok(Finish::Complete);
            };
            // Every planned job is done: decide on whole batches only.
            let mut more = false;
            for v in 0..self.meta.variants.len() {
                if state.settled[v] {
                    continue;
                }
                let results: Vec<&ReplicationResult> = state.results_of(v).collect();
                let status = precision.status(&self.meta.variants[v].layout, &results);
                state.precision[v] = Some(status);
                match precision.next_target(&status) {
                    Some(n) => {
                        state.targets[v] = n;
                        more = true;
                    }
                    None => state.settled[v] = true,
                }
            }
            if !more {
                return Ok(Finish::Complete);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One real replication's result, to fill a state with.
    fn a_result() -> ReplicationResult {
        let text = "name = \"t\"\nstart = \"2024-01-01\"\nhorizon_days = 1\nreplications = 1\nseed = 1\n[[pools]]\nname = \"p\"\nstaff = 1\n[[modes]]\nname = \"m\"\narrivals = { kind = \"poisson\", rate_per_hour = 0.1 }\nstages = [{ name = \"s\", pool = \"p\", time = { dist = \"exponential\", mean = \"1h\" } }]\n";
        let model = crate::scenario::load_str("t.toml", text, &[])
            .unwrap()
            .model;
        super::super::run_replications(&model, Default::default())
            .unwrap()
            .remove(0)
    }

    #[test]
    fn progress_counts_what_the_plan_lists() {
        let r = a_result();
        let mut state = SweepState {
            targets: vec![3, 0, 4],
            ..Default::default()
        };
        // Done: some planned jobs, and one beyond its variant's target (not planned).
        for (variant, replication) in [(0, 0), (0, 2), (2, 1), (2, 3), (0, 5)] {
            state.done.insert(
                Job {
                    variant,
                    replication,
                },
                r.clone(),
            );
        }
        for shard in [None]
            .into_iter()
            .chain((1..=4).map(|index| Some(Shard { index, count: 4 })))
        {
            let planned: Vec<Job> = state.planned(shard).collect();
            let done = planned
                .iter()
                .filter(|j| state.done.contains_key(j))
                .count();
            assert_eq!(state.progress(shard), (done, planned.len()), "{shard:?}");
        }
        assert_eq!(state.progress(None), (4, 7));
    }

    #[test]
    fn jobs_are_counted_against_the_limit() {
        assert_eq!(planned_jobs([3, 4].into_iter(), None), Ok(7));
        let rule = Precision {
            relative: 0.01,
            max_replications: 200,
            batch: 5,
        };
        assert_eq!(planned_jobs([3, 400].into_iter(), Some(&rule)), Ok(600));
        let e = planned_jobs(std::iter::repeat_n(10_000, 101), None).unwrap_err();
        assert!(e.contains("1010000 jobs (101 variants"), "{e}");
    }
}
