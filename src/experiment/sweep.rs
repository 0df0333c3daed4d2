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

use super::jobs::{Job, run_jobs};
use super::layout::Layout;
use super::precision::{Precision, PrecisionStatus};
use super::shard::Shard;
use crate::model::{Model, ReplicationResult};

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
            .map(|(_, r)| r.clone())
            .collect()
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

    /// Jobs finished and jobs planned so far (within `shard`, if any).
    pub fn progress(&self, shard: Option<Shard>) -> (usize, usize) {
        let planned = self.planned(shard);
        let done = planned.iter().filter(|j| self.done.contains_key(j)).count();
        (done, planned.len())
    }

    fn planned(&self, shard: Option<Shard>) -> Vec<Job> {
        let all = self.targets.iter().enumerate().flat_map(|(variant, &n)| {
            (0..n).map(move |replication| Job {
                variant,
                replication,
            })
        });
        match shard {
            Some(s) => all
                .enumerate()
                .filter(|(ordinal, _)| s.takes(*ordinal))
                .map(|(_, j)| j)
                .collect(),
            None => all.collect(),
        }
    }
}

/// How a sweep is to run.
pub struct SweepRun<'a> {
    /// The sweep.
    pub meta: &'a SweepMeta,
    /// Each variant's model (warm-up settled).
    pub models: &'a [&'a Model],
    /// Add replications until this precision (not with a shard).
    pub precision: Option<Precision>,
    /// Run only this slice of the jobs.
    pub shard: Option<Shard>,
    /// Worker threads (`None`: rayon's default).
    pub threads: Option<usize>,
}

/// How a sweep ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Finish {
    /// Every job ran.
    Complete,
    /// `stop` was set; finished jobs are kept.
    Interrupted,
}

impl SweepRun<'_> {
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
                .into_iter()
                .filter(|j| !state.done.contains_key(j))
                .collect();
            run_jobs(self.models, &todo, self.threads, stop, |record| {
                let job = record.job;
                state.done.insert(job, record.result);
                on_job(job, state);
            })?;
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
                let status = precision.status(&self.meta.variants[v].layout, &state.results(v));
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
