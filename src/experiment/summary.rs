//! The summary of a run: the `portsim.summary/1` document.
//!
//! Counting (contract): a shipment counts if it arrives in [warm-up end, horizon).
//! Means and their CIs come from per-replication means (Student t); quantiles from
//! histograms merged over every counted shipment of every replication; pool figures are
//! per-replication means over [warm-up end, horizon).

use indexmap::IndexMap;
use serde::Serialize;

use crate::model::flow::{ModeResult, PoolResult};
use crate::model::{Model, ReplicationResult};
use crate::stats::{HoursHistogram, Tally, mean_ci95};

/// Schema name of the summary document.
pub const SUMMARY_SCHEMA: &str = "portsim.summary/1";

/// A mean over replications with its 95 % CI.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct MeanBlock {
    /// Mean of per-replication values.
    pub mean: f64,
    /// 95 % Student-t interval, `null` with one replication.
    pub mean_ci95: Option<[f64; 2]>,
}

/// Clearance time figures, hours.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ClearanceBlock {
    /// Mean of per-replication means.
    pub mean: f64,
    /// Its 95 % CI.
    pub mean_ci95: Option<[f64; 2]>,
    /// Median, pooled over replications.
    pub p50: Option<f64>,
    /// 90th percentile.
    pub p90: Option<f64>,
    /// 95th percentile.
    pub p95: Option<f64>,
    /// 99th percentile.
    pub p99: Option<f64>,
    /// Largest.
    pub max: Option<f64>,
}

/// Figures of a flow of shipments: one mode, or the headline modes together.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FlowSummary {
    /// Whether the mode counts in `overall` (absent on `overall` itself).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headline: Option<bool>,
    /// Counted arrivals, summed over replications.
    pub arrivals: u64,
    /// Counted shipments released, summed over replications.
    pub released: u64,
    /// Counted shipments not released by the drain limit, summed over replications.
    pub unreleased: u64,
    /// Counted arrivals per hour of the window (mean over replications).
    pub arrival_rate_per_hour: f64,
    /// Clearance time, arrival → release, hours.
    pub clearance_hours: ClearanceBlock,
    /// Total time waiting for officers per shipment, hours.
    pub wait_hours: MeanBlock,
    /// Share of shipments that waited for an officer at least once.
    pub waited_share: MeanBlock,
    /// Time-average number of shipments in the system over the window.
    pub mean_in_system: MeanBlock,
}

/// Figures of a staff pool (per-replication means over the window).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PoolSummary {
    /// Busy officer-time / on-duty officer-time.
    pub utilization: f64,
    /// Rostered officer-hours.
    pub staff_hours: f64,
    /// Officer-hours finishing service after the roster dropped.
    pub overtime_hours: f64,
    /// Time-average queue length.
    pub mean_queue: f64,
    /// Service hours offered / rostered officer-hours; ≥ 1: the pool cannot keep up.
    pub offered_load: f64,
    /// Whether the pool is overloaded.
    pub unstable: bool,
}

/// The whole summary document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Always [`SUMMARY_SCHEMA`].
    pub schema: &'static str,
    /// Version of portsim that produced it.
    pub portsim_version: &'static str,
    /// Scenario name.
    pub scenario: String,
    /// SHA-256 of the resolved scenario.
    pub scenario_sha256: String,
    /// Policy used; `null` when no pool has rosters.
    pub policy: Option<String>,
    /// Master seed.
    pub seed: u64,
    /// Replications run.
    pub replications: u32,
    /// Horizon, hours from start (warm-up included).
    pub horizon_hours: f64,
    /// Warm-up, hours.
    pub warmup_hours: f64,
    /// Events processed, summed over replications.
    pub events: u64,
    /// Wall-clock seconds of the run (the one field that varies between identical runs).
    pub wall_seconds: f64,
    /// Whether any pool is overloaded or counted shipments were left unreleased.
    pub unstable: bool,
    /// Headline modes together.
    pub overall: FlowSummary,
    /// Per mode, in scenario order.
    pub modes: IndexMap<String, FlowSummary>,
    /// Per pool, in scenario order.
    pub pools: IndexMap<String, PoolSummary>,
}

/// Summarises replication results of `model`.
pub fn summarize(
    model: &Model,
    scenario_sha256: &str,
    results: &[ReplicationResult],
    wall_seconds: f64,
) -> Summary {
    let window = model.window_hours();
    let modes: IndexMap<String, FlowSummary> = model
        .modes
        .iter()
        .enumerate()
        .map(|(m, mode)| {
            let per_rep: Vec<&ModeResult> = results.iter().map(|r| &r.modes[m]).collect();
            let unreleased: u64 = per_rep.iter().map(|r| r.arrivals - r.clearance.count).sum();
            let mut flow = flow_summary(
                &per_rep.iter().map(|r| vec![*r]).collect::<Vec<_>>(),
                window,
                unreleased,
            );
            flow.headline = Some(mode.headline);
            (mode.name.clone(), flow)
        })
        .collect();
    let headline: Vec<Vec<&ModeResult>> = results
        .iter()
        .map(|r| {
            r.modes
                .iter()
                .zip(&model.modes)
                .filter(|(_, m)| m.headline)
                .map(|(x, _)| x)
                .collect()
        })
        .collect();
    let unreleased_overall: u64 = headline
        .iter()
        .flatten()
        .map(|r| r.arrivals - r.clearance.count)
        .sum();
    let overall = flow_summary(&headline, window, unreleased_overall);

    let pools: IndexMap<String, PoolSummary> = model
        .pools
        .iter()
        .enumerate()
        .map(|(p, pool)| {
            let per_rep: Vec<&PoolResult> = results.iter().map(|r| &r.pools[p]).collect();
            let mean = |f: &dyn Fn(&PoolResult) -> f64| {
                mean_ci95(&per_rep.iter().map(|r| f(r)).collect::<Vec<_>>()).mean
            };
            let offered_load = mean(&|r| r.offered_load());
            let s = PoolSummary {
                utilization: mean(&|r| r.utilization()),
                staff_hours: mean(&|r| r.staff_hours),
                overtime_hours: mean(&|r| r.overtime_hours),
                mean_queue: mean(&|r| r.mean_queue),
                offered_load,
                unstable: offered_load >= 1.0,
            };
            (pool.name.clone(), s)
        })
        .collect();
    let unstable = pools.values().any(|p| p.unstable) || results.iter().any(|r| r.unreleased > 0);
    Summary {
        schema: SUMMARY_SCHEMA,
        portsim_version: env!("CARGO_PKG_VERSION"),
        scenario: model.name.clone(),
        scenario_sha256: scenario_sha256.to_string(),
        policy: model.policy.clone(),
        seed: model.seed,
        replications: results.len() as u32,
        horizon_hours: model.horizon.hours(),
        warmup_hours: model.warmup.hours(),
        events: results.iter().map(|r| r.events).sum(),
        wall_seconds,
        unstable,
        overall,
        modes,
        pools,
    }
}

/// Figures of one flow; `per_rep[r]` lists the mode results that make up the flow in
/// replication r.
fn flow_summary(per_rep: &[Vec<&ModeResult>], window: f64, unreleased: u64) -> FlowSummary {
    let mut hist = HoursHistogram::new();
    let mut arrivals = 0;
    let mut clearance_means = Vec::with_capacity(per_rep.len());
    let mut wait_means = Vec::with_capacity(per_rep.len());
    let mut waited = Vec::with_capacity(per_rep.len());
    let mut in_system = Vec::with_capacity(per_rep.len());
    let mut rates = Vec::with_capacity(per_rep.len());
    let mut released = 0;
    for rep in per_rep {
        let (mut c, mut w) = (Tally::default(), Tally::default());
        let mut rep_arrivals = 0;
        let mut l = 0.0;
        for m in rep {
            c.merge(&m.clearance);
            w.merge(&m.wait);
            hist.merge(&m.histogram);
            rep_arrivals += m.arrivals;
            l += m.mean_in_system;
        }
        arrivals += rep_arrivals;
        released += c.count;
        clearance_means.push(c.mean());
        wait_means.push(w.mean());
        waited.push(w.positive_share());
        in_system.push(l);
        rates.push(rep_arrivals as f64 / window);
    }
    let block = |xs: &[f64]| {
        let m = mean_ci95(xs);
        MeanBlock {
            mean: m.mean,
            mean_ci95: m.ci95,
        }
    };
    let c = mean_ci95(&clearance_means);
    FlowSummary {
        headline: None,
        arrivals,
        released,
        unreleased,
        arrival_rate_per_hour: mean_ci95(&rates).mean,
        clearance_hours: ClearanceBlock {
            mean: c.mean,
            mean_ci95: c.ci95,
            p50: hist.quantile(0.5),
            p90: hist.quantile(0.9),
            p95: hist.quantile(0.95),
            p99: hist.quantile(0.99),
            max: hist.max(),
        },
        wait_hours: block(&wait_means),
        waited_share: block(&waited),
        mean_in_system: block(&in_system),
    }
}
