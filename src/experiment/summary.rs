//! The summary of a run: the `portsim.summary/1` document.
//!
//! Counting (contract): a shipment counts if it arrives in [warm-up end, horizon).
//! Means and their CIs come from per-replication means (Student t); quantiles from
//! histograms merged over every counted shipment of every replication; pool figures are
//! per-replication means over [warm-up end, horizon).
//!
//! For plots, each flow and pool also carries time series (by hour of the week, by day
//! of the window — or by periods of `calendar.days_per_bin` days in a window longer than
//! [`MAX_PERIODS`](crate::model::series::MAX_PERIODS) days: means over replications of
//! each bin's time-average) and each flow the
//! clearance-time distribution (quantiles and log-spaced bins of the pooled histogram),
//! and the document the window's calendar — everything a plot needs, so that plots can
//! be redrawn from the summary alone.

use std::borrow::Borrow;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::backlog::{BacklogGrowth, PoolSeriesOfReplication, backlog_growth, growing_since};
use super::layout::{CalendarLayout, Layout, ModeLayout};
use crate::model::ReplicationResult;
use crate::model::flow::{GroupTally, ModeResult, PoolResult, StageTally};
use crate::model::series::{Binned, HOURS_OF_WEEK};
use crate::results::{Cost, OfficerHours, offered_load};
// A number written as `null` (serde_json writes NaN and infinity so) reads back as NaN.
use crate::results::nan::nan_if_null;
use crate::stats::{HoursHistogram, Tally, mean_ci95};

/// Schema name of the summary document.
pub const SUMMARY_SCHEMA: &str = "portsim.summary/1";

/// A mean over replications with its 95 % CI.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeanBlock {
    /// Mean of per-replication values.
    #[serde(deserialize_with = "nan_if_null")]
    pub mean: f64,
    /// 95 % Student-t interval, `null` with one replication.
    pub mean_ci95: Option<[f64; 2]>,
}

/// Clearance time figures, hours.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClearanceBlock {
    /// Mean of per-replication means.
    #[serde(deserialize_with = "nan_if_null")]
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

/// Waiting and working time at one stage, Time Release Study style (pooled over every
/// counted visit of every replication).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageSummary {
    /// Visits, summed over replications.
    pub visits: u64,
    /// Mean hours waiting for an officer per visit.
    #[serde(deserialize_with = "nan_if_null")]
    pub mean_wait_hours: f64,
    /// Mean hours of service, delay, or the whole parallel block per visit.
    #[serde(deserialize_with = "nan_if_null")]
    pub mean_service_hours: f64,
}

/// Clearance of a group of shipments (a class or a channel).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupSummary {
    /// Released, summed over replications.
    pub released: u64,
    /// Mean clearance over replications, with its 95 % CI.
    pub clearance_hours: MeanBlock,
    /// Share cleared within the SLA (`null` without one).
    pub sla_share: Option<MeanBlock>,
}

/// Figures of a flow of shipments: one mode, or the headline modes together.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    /// Counted arrivals turned away because the system held `max_in_system` shipments
    /// (overload; not in `arrivals`).
    pub turned_away: u64,
    /// Counted arrivals per hour of the window (mean over replications).
    #[serde(deserialize_with = "nan_if_null")]
    pub arrival_rate_per_hour: f64,
    /// Which milestones bound the clearance time: "lodgement-release", ...
    pub clearance_interval: String,
    /// Clearance time, hours.
    pub clearance_hours: ClearanceBlock,
    /// Share cleared within the SLA (`null` without one).
    pub sla_share: Option<MeanBlock>,
    /// Mean hours between consecutive milestones.
    pub milestones: IndexMap<String, MeanBlock>,
    /// Per stage: mean wait and mean service or delay.
    pub stages: IndexMap<String, StageSummary>,
    /// Per class: "priority", "normal".
    pub classes: IndexMap<String, GroupSummary>,
    /// Per channel.
    pub channels: IndexMap<String, GroupSummary>,
    /// Total time waiting for officers per shipment, hours.
    pub wait_hours: MeanBlock,
    /// Share of shipments that waited for an officer at least once.
    pub waited_share: MeanBlock,
    /// Time-average number of shipments in the system over the window.
    pub mean_in_system: MeanBlock,
    /// By hour of the week and by day (or period of whole weeks) of the window.
    pub series: FlowSeries,
    /// The clearance-time distribution, pooled over replications.
    pub distribution: Distribution,
}

/// Time series of a flow. A value is the mean over replications of the bin's
/// time-average (or rate); `null` where the window has no hours in the bin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlowSeries {
    /// By hour of the week (168, Monday 00:00 first; holidays count as Sundays).
    pub hour_of_week: FlowHourOfWeek,
    /// By day of the window (day 0 is `calendar.start`), or period of
    /// `calendar.days_per_bin` days.
    pub daily: FlowDaily,
}

/// A flow by hour of the week.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlowHourOfWeek {
    /// Mean number of shipments in the system in that hour.
    pub in_system: Vec<Option<f64>>,
    /// Counted arrivals per hour in that hour.
    pub arrivals_per_hour: Vec<Option<f64>>,
}

/// A flow by day (or period of days) of the window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlowDaily {
    /// Mean clearance, hours, of the shipments that arrived in the bin's day (or days)
    /// (pooled over replications; `null` when none was released).
    pub clearance_mean: Vec<Option<f64>>,
    /// Mean number of shipments in the system over the bin's day (or days).
    pub in_system: Vec<Option<f64>>,
    /// Released counted shipments by bin of arrival, summed over replications: the
    /// weights of `clearance_mean`.
    pub released: Vec<u64>,
}

/// The distribution of clearance times, from the pooled histogram.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    /// `[p, hours]` for p = 0.005, 0.010, …, 0.995 and 0.999 (empty when nothing was
    /// released).
    pub quantiles: Vec<[f64; 2]>,
    /// `[from_hours, to_hours, share]`: a bin below about a minute (from 0), then ten
    /// log-spaced bins per decade up to the first edge beyond the maximum; the shares
    /// sum to 1 (empty when nothing was released).
    pub bins: Vec<[f64; 3]>,
}

/// A pool's queue and staff on duty over some bins: means over replications of each
/// bin's time-average (`null` where the window has no hours in the bin).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoolSeriesSummary {
    /// Tokens waiting.
    pub queue: Vec<Option<f64>>,
    /// General officers on duty (extra hands included, on-call officers not).
    pub staff_on_duty: Vec<Option<f64>>,
}

/// Figures of a staff pool (per-replication means over the window).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoolSummary {
    /// Busy officer-time / on-duty officer-time (general officers).
    #[serde(deserialize_with = "nan_if_null")]
    pub utilization: f64,
    /// Rostered officer-hours (general officers).
    #[serde(deserialize_with = "nan_if_null")]
    pub staff_hours: f64,
    /// Officer-hours finishing service after the roster dropped.
    #[serde(deserialize_with = "nan_if_null")]
    pub overtime_hours: f64,
    /// Time-average queue length.
    #[serde(deserialize_with = "nan_if_null")]
    pub mean_queue: f64,
    /// Service work offered against the capacity that can serve it; ≥ 1: the pool
    /// cannot keep up. The larger of `offered_load_general` and `offered_load_all`
    /// (on-call officers serve only priority and reserved shipments, so they count as
    /// capacity only for that work). Arrivals turned away at the `max_in_system` cap
    /// offer their expected work, so the figure measures demand, not what was let in.
    #[serde(deserialize_with = "nan_if_null")]
    pub offered_load: f64,
    /// Work only general officers may take (normal class, no reservation) over general
    /// officer-hours.
    #[serde(deserialize_with = "nan_if_null")]
    pub offered_load_general: f64,
    /// All work over officer-hours of both kinds (general and on call).
    #[serde(deserialize_with = "nan_if_null")]
    pub offered_load_all: f64,
    /// The model-free detector: how the queue grew over the second half of the window
    /// (see [`crate::experiment::backlog`]); `null` when the window holds fewer than six
    /// whole weeks or nothing came to the pool.
    pub backlog_growth: Option<BacklogGrowth>,
    /// Officer-hours on call (officers serving only priority and reserved shipments).
    #[serde(deserialize_with = "nan_if_null")]
    pub on_call_hours: f64,
    /// Of which busy.
    #[serde(deserialize_with = "nan_if_null")]
    pub on_call_busy_hours: f64,
    /// Whether the pool is overloaded: by any of `unstable_reasons`.
    pub unstable: bool,
    /// The measures that found it overloaded, of `offered_load_general`,
    /// `offered_load_all`, `backlog_growth` and `max_in_system` (it had the longest
    /// queue when the system first turned arrivals away); empty when stable.
    pub unstable_reasons: Vec<String>,
    /// From when ("YYYY-MM-DD"): the day from which its backlog grew (the last day its
    /// daily mean queue was at its lowest before the fitted weeks) when the backlog
    /// grows, else the day the cap first turned arrivals away, else the window's first
    /// day (the offered load is a whole-window figure); `null` when stable or without a
    /// calendar.
    pub unstable_since: Option<String>,
    /// For each peak of the window (`calendar.peaks`), the pool's offered load over the
    /// peak's days alone. A peak can overload a pool whose window as a whole keeps up: its
    /// backlog builds during the rush and clears after, so `unstable` stays false while
    /// clearance in and after the peak shows it. Empty without peaks (and in summaries of
    /// results stored before it was recorded).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub peaks: Vec<PeakLoad>,
    /// By hour of the week (168, Monday 00:00 first; holidays count as Sundays).
    pub hour_of_week: PoolSeriesSummary,
    /// By day of the window (day 0 is `calendar.start`), or period of
    /// `calendar.days_per_bin` days.
    pub daily: PoolSeriesSummary,
}

/// A pool's offered load over one peak's days (means over replications, as the
/// window's figures are): the same measures as the pool's `offered_load_*`, restricted to
/// the work that joined and the officer-hours rostered on those days.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeakLoad {
    /// The peak's name.
    pub name: String,
    /// Its first and last day within the window ("YYYY-MM-DD", both inclusive). In a
    /// window binned by weeks (`calendar.days_per_bin` > 1) the figures cover the whole
    /// bins the peak touches.
    pub from: String,
    /// Last day.
    pub to: String,
    /// The larger of the two below.
    #[serde(deserialize_with = "nan_if_null")]
    pub offered_load: f64,
    /// Work only general officers may take over general officer-hours, on those days.
    #[serde(deserialize_with = "nan_if_null")]
    pub offered_load_general: f64,
    /// All work over officer-hours of both kinds, on those days.
    #[serde(deserialize_with = "nan_if_null")]
    pub offered_load_all: f64,
    /// How far the queue grew over the peak (its daily mean on the peak's last day less
    /// that on the day before the peak), in days of the work the pool's officers do in
    /// the peak (the queued tokens times the pool's mean work per token, over its
    /// officer-hours per day). Rostered hours can overstate what a pool gets done when
    /// its work comes in bursts or waits on other offices; the queue cannot.
    #[serde(deserialize_with = "nan_if_null")]
    pub backlog_days: f64,
    /// Whether the peak overloads the pool: an offered load at or beyond 1 (more work
    /// joined in the peak than its officers could do in it), or a backlog of a day's
    /// work or more built up in it. A peak in which the pool has no general officers on
    /// duty at all (closed for a holiday, on-call officers at most) is not listed: its
    /// work waits for the reopening by design.
    pub overloaded: bool,
}

impl PoolSummary {
    /// The peaks that overload the pool.
    pub fn overloaded_peaks(&self) -> impl Iterator<Item = &PeakLoad> {
        self.peaks.iter().filter(|p| p.overloaded)
    }

    /// One line per peak that overloads the pool named `name`, for a pool not already
    /// flagged unstable (whose warning says more): which peak, its dates and the load.
    pub fn peak_warnings(&self, name: &str) -> Vec<String> {
        if self.unstable {
            return Vec::new();
        }
        self.overloaded_peaks()
            .map(|p| {
                format!(
                    "pool \"{name}\" is overloaded during peak \"{}\" ({} to {}): offered load {:.3} of its officer-hours on those days, a backlog of {:.1} days' work built up by its end; the window as a whole keeps up (not flagged unstable), but clearance in and after the peak carries it",
                    p.name, p.from, p.to, p.offered_load, p.backlog_days
                )
            })
            .collect()
    }

    /// The pool's overload in a few words, for tables and lists: `name`, the measures
    /// that tripped and from when (`release: offered_load_general+backlog_growth from
    /// 2016-01-09`).
    pub fn overload_brief(&self, name: &str) -> String {
        let since = self
            .unstable_since
            .as_ref()
            .map(|d| format!(" from {d}"))
            .unwrap_or_default();
        format!("{name}: {}{since}", self.unstable_reasons.join("+"))
    }

    /// One line saying why the pool named `name` is overloaded: every measure that
    /// tripped, with its figure, and from when.
    pub fn overload_warning(&self, name: &str) -> String {
        let since = self
            .unstable_since
            .as_ref()
            .map(|d| format!(" from {d}"))
            .unwrap_or_default();
        if !self.offered_load_all.is_finite() {
            return format!(
                "pool \"{name}\" has no staff on duty in the counting window, but shipments need it"
            );
        }
        if !self.offered_load_general.is_finite() {
            return format!(
                "pool \"{name}\" has no general officers on duty in the counting window, but shipments only they may serve need them (its on-call officers serve the fast track and reservations only)"
            );
        }
        let mut why: Vec<String> = Vec::new();
        // Without on-call officers both loads are one figure: say it once.
        let no_on_call = self.on_call_hours == 0.0;
        for reason in &self.unstable_reasons {
            why.push(match reason.as_str() {
                "offered_load_general" if no_on_call => format!(
                    "offered load {:.3} of its rostered officer-hours",
                    self.offered_load
                ),
                "offered_load_all" if no_on_call => continue,
                "offered_load_general" => format!(
                    "offered load {:.3} of its general officers' hours for the work only they may take",
                    self.offered_load_general
                ),
                "offered_load_all" => format!(
                    "offered load {:.3} of its officer-hours, on call included",
                    self.offered_load_all
                ),
                "backlog_growth" => match &self.backlog_growth {
                    Some(g) => format!(
                        "its backlog grows by {:.1}% of its arrivals over the last {} weeks of the window",
                        100.0 * g.share,
                        g.weeks
                    ),
                    None => "its backlog grows".to_string(),
                },
                _ => "it had the longest queue when the system reached max_in_system".to_string(),
            });
        }
        format!(
            "pool \"{name}\" is overloaded{since}: {} (utilisation {:.1}%)",
            why.join("; "),
            100.0 * self.utilization
        )
    }
}

/// The whole summary document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Always [`SUMMARY_SCHEMA`].
    pub schema: String,
    /// Version of portsim that produced it.
    pub portsim_version: String,
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
    #[serde(deserialize_with = "nan_if_null")]
    pub horizon_hours: f64,
    /// Warm-up, hours.
    #[serde(deserialize_with = "nan_if_null")]
    pub warmup_hours: f64,
    /// How the warm-up was chosen: `fixed` (as written) or `MSER-5` (estimated from a
    /// pilot run).
    pub warmup_method: String,
    /// The service-level target, hours (`null` without one).
    pub sla_hours: Option<f64>,
    /// Events processed, summed over replications.
    pub events: u64,
    /// Wall-clock seconds of the run (the one field that varies between identical runs).
    #[serde(deserialize_with = "nan_if_null")]
    pub wall_seconds: f64,
    /// Whether any pool is overloaded, counted shipments were left unreleased, or
    /// arrivals were turned away at the `max_in_system` cap.
    pub unstable: bool,
    /// The cap on shipments in the system at once (`max_in_system`).
    pub max_in_system: u64,
    /// Day of the horizon (1-based) on which the cap first turned an arrival away, in
    /// any replication; absent when it never did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_turned_away_day: Option<u64>,
    /// How replications were chosen when they were precision-driven (`--precision`);
    /// absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<PrecisionReport>,
    /// Headline modes together.
    pub overall: FlowSummary,
    /// Per mode, in scenario order.
    pub modes: IndexMap<String, FlowSummary>,
    /// Per pool, in scenario order.
    pub pools: IndexMap<String, PoolSummary>,
    /// The counting window's first day, length, holidays and peaks (`null` for results
    /// whose layout did not record it).
    pub calendar: Option<CalendarLayout>,
    /// Officer-hours of every pool together, by kind (regular, on-call, overtime) and in
    /// total: means over replications.
    #[serde(default)]
    pub officer_hours: OfficerHours,
    /// What they cost under the scenario's `[cost]` weights; absent without them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Cost>,
}

/// The verdict of precision-driven replications.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrecisionReport {
    /// Target half-width of the 95 % CI of the overall mean, over the mean.
    #[serde(deserialize_with = "nan_if_null")]
    pub target: f64,
    /// Half-width over mean reached (`null` if it could not be estimated).
    pub achieved: Option<f64>,
    /// Whether the target was met (else the maximum was reached).
    pub met: bool,
    /// Replications needed (run).
    pub replications: u32,
    /// The most that were allowed.
    pub max_replications: u32,
}

impl Summary {
    /// The `portsim.summary/1` document: pretty-printed JSON with a trailing newline,
    /// as `run --out` writes it and a baseline hashes it.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("the summary always serialises");
        s.push('\n');
        s
    }

    /// Counted arrivals turned away at the `max_in_system` cap, over every mode (headline
    /// or not).
    pub fn turned_away(&self) -> u64 {
        self.modes.values().map(|m| m.turned_away).sum()
    }

    /// What made the run unstable, a phrase each: every overloaded pool with the measures
    /// that found it so and from when (`pool "release": offered_load_general+backlog_growth
    /// from 2016-01-09`), counted shipments left unreleased, arrivals turned away at the
    /// cap; empty when the run is stable.
    pub fn unstable_parts(&self) -> Vec<String> {
        if !self.unstable {
            return Vec::new();
        }
        let mut parts: Vec<String> = self
            .pools
            .iter()
            .filter(|(_, p)| p.unstable)
            .map(|(name, p)| format!("pool {}", p.overload_brief(&format!("\"{name}\""))))
            .collect();
        if self.overall.unreleased > 0 {
            parts.push(format!(
                "{} counted shipments unreleased",
                self.overall.unreleased
            ));
        }
        if self.turned_away() > 0 {
            parts.push(format!(
                "{} arrivals turned away at the cap",
                self.turned_away()
            ));
        }
        if parts.is_empty() {
            // Flagged for a reason not broken down above: still name the run.
            parts.push("flagged unstable".into());
        }
        parts
    }

    /// What a reader must know before trusting the figures: overloaded pools, pools
    /// overloaded during a peak, and counted shipments left in the system at the drain
    /// limit.
    pub fn warnings(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .pools
            .iter()
            .filter(|(_, p)| p.unstable)
            .map(|(name, p)| p.overload_warning(name))
            .collect();
        out.extend(
            self.pools
                .iter()
                .flat_map(|(name, p)| p.peak_warnings(name)),
        );
        if let Some(p) = &self.precision
            && !p.met
        {
            out.push(format!(
                "precision target {:.2}% not met: {} after the maximum of {} replications",
                100.0 * p.target,
                p.achieved
                    .map(|a| format!("{:.2}%", 100.0 * a))
                    .unwrap_or_else(|| "no interval".into()),
                p.max_replications
            ));
        }
        let turned_away = self.turned_away();
        if turned_away > 0 {
            out.push(format!(
                "{turned_away} arriving shipments were turned away: the system held its cap of {} shipments (max_in_system){}; the figures describe a capped system — add staff, or raise max_in_system if the backlog is real",
                self.max_in_system,
                self.first_turned_away_day
                    .map(|d| format!(", first on day {d} of the horizon"))
                    .unwrap_or_default()
            ));
        }
        if self.overall.unreleased > 0 {
            out.push(format!(
                "{} counted shipments were still in the system at the drain limit",
                self.overall.unreleased
            ));
        }
        out
    }
}

/// Summarises replication results of a model with this `layout`: owned results, or
/// references to them (a sweep summarises the results it keeps without copying them).
pub fn summarize<R: Borrow<ReplicationResult>>(
    model: &Layout,
    scenario_sha256: &str,
    results: &[R],
    wall_seconds: f64,
) -> Summary {
    let results: Vec<&ReplicationResult> = results.iter().map(Borrow::borrow).collect();
    let results = results.as_slice();
    let hours: Vec<&Binned> = results.iter().map(|r| &r.series_hours).collect();
    let flow = |pick: &dyn Fn(&ModeLayout) -> bool| {
        let per_rep: Vec<Vec<(&ModeLayout, &ModeResult)>> = results
            .iter()
            .map(|r| {
                model
                    .modes
                    .iter()
                    .zip(&r.modes)
                    .filter(|(m, _)| pick(m))
                    .collect()
            })
            .collect();
        flow_summary(model, &per_rep, &hours)
    };
    let modes: IndexMap<String, FlowSummary> = model
        .modes
        .iter()
        .map(|mode| {
            let mut f = flow(&|m: &ModeLayout| m.name == mode.name);
            f.headline = Some(mode.headline);
            (mode.name.clone(), f)
        })
        .collect();
    let overall = flow(&|m: &ModeLayout| m.headline);

    let days_per_bin = model
        .calendar
        .as_ref()
        .map_or(1, |c| c.days_per_bin.max(1) as usize);
    let first_turned_away = results
        .iter()
        .filter_map(|r| r.first_turned_away)
        .min_by(f64::total_cmp);
    // Day of the window (negative in the warm-up) the cap first turned an arrival away.
    let capped_day = first_turned_away
        .map(|t| (t / 24.0).floor() as i64 - (model.warmup_hours / 24.0).floor() as i64);
    let pools: IndexMap<String, PoolSummary> = model
        .pools
        .iter()
        .enumerate()
        .map(|(p, pool_name)| {
            let s = pool_summary(model, p, results, &hours, days_per_bin, capped_day);
            (pool_name.clone(), s)
        })
        .collect();
    let officer_hours = mean_officer_hours(results);
    let unstable = pools.values().any(|p| p.unstable)
        || results.iter().any(|r| r.unreleased > 0)
        || first_turned_away.is_some();
    Summary {
        schema: SUMMARY_SCHEMA.to_string(),
        portsim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: model.scenario.clone(),
        scenario_sha256: scenario_sha256.to_string(),
        policy: model.policy.clone(),
        seed: model.seed,
        replications: results.len() as u32,
        horizon_hours: model.horizon_hours,
        warmup_hours: model.warmup_hours,
        warmup_method: model.warmup_method.clone(),
        sla_hours: model.sla_hours,
        events: results.iter().map(|r| r.events).sum(),
        wall_seconds,
        unstable,
        max_in_system: model.max_in_system,
        first_turned_away_day: first_turned_away.map(|h| (h / 24.0).floor() as u64 + 1),
        precision: None,
        overall,
        modes,
        pools,
        calendar: model.calendar.clone(),
        officer_hours,
        cost: model.cost.as_ref().map(|w| Cost::of(w, &officer_hours)),
    }
}

/// Officer-hours of all pools by kind, means over `results` (zeros without any).
pub fn mean_officer_hours(results: &[&ReplicationResult]) -> OfficerHours {
    let n = results.len().max(1) as f64;
    let each: Vec<OfficerHours> = results
        .iter()
        .map(|r| OfficerHours::of_pools(&r.pools))
        .collect();
    let mean = |f: fn(&OfficerHours) -> f64| each.iter().map(f).sum::<f64>() / n;
    OfficerHours::new(
        mean(|h| h.regular),
        mean(|h| h.on_call),
        mean(|h| h.overtime),
    )
}

/// The summary of pool `p` (in model order) over `results`, whose series bins hold
/// `hours` of the window each; `capped_day` is the day of the window the cap first
/// turned arrivals away, if it did.
fn pool_summary(
    model: &Layout,
    p: usize,
    results: &[&ReplicationResult],
    hours: &[&Binned],
    days_per_bin: usize,
    capped_day: Option<i64>,
) -> PoolSummary {
    let per_rep: Vec<&PoolResult> = results.iter().map(|r| &r.pools[p]).collect();
    let mean = |f: &dyn Fn(&PoolResult) -> f64| {
        mean_ci95(&per_rep.iter().map(|r| f(r)).collect::<Vec<_>>()).mean
    };
    let offered_load = mean(&|r| r.offered_load());
    let offered_load_general = mean(&|r| r.offered_load_general());
    let offered_load_all = mean(&|r| r.offered_load_all());
    // Queue or staff, by hour of the week or by day.
    let series = |staff: bool, daily: bool| {
        let values: Vec<&[f64]> = per_rep
            .iter()
            .map(|r| {
                part(
                    if staff {
                        &r.series.staff
                    } else {
                        &r.series.queue
                    },
                    daily,
                )
            })
            .collect();
        let hours: Vec<&[f64]> = hours.iter().map(|h| part(h, daily)).collect();
        bin_means(&values, &hours, if daily { 0 } else { HOURS_OF_WEEK })
    };
    let daily_queue = series(false, true);
    let growth = backlog_growth(
        &per_rep
            .iter()
            .zip(hours)
            .map(|(r, h)| PoolSeriesOfReplication {
                queue_area: &r.series.queue.daily,
                hours: &h.daily,
                joined: r.joined,
            })
            .collect::<Vec<_>>(),
        days_per_bin,
    );
    // Overloaded: offered work at or beyond the capacity that can take it, a
    // backlog still growing at the window's end, or the bottleneck when the
    // system reached its cap (then the turned-away shipments' work is missing
    // from what the queue shows).
    let capped = results.iter().any(|r| r.capped_by == Some(p as u32));
    let growing = growth.as_ref().is_some_and(|g| g.growing);
    let unstable_reasons: Vec<String> = [
        ("offered_load_general", offered_load_general >= 1.0),
        ("offered_load_all", offered_load_all >= 1.0),
        ("backlog_growth", growing),
        ("max_in_system", capped),
    ]
    .into_iter()
    .filter(|&(_, tripped)| tripped)
    .map(|(name, _)| name.to_string())
    .collect();
    let since_day = if growing {
        growth
            .as_ref()
            .map(|g| growing_since(&daily_queue, days_per_bin, g.from_day as usize) as i64)
    } else if capped {
        capped_day
    } else {
        Some(0)
    };
    let unstable_since = (!unstable_reasons.is_empty())
        .then(|| window_date(model, since_day?))
        .flatten();
    PoolSummary {
        utilization: mean(&|r| r.utilization()),
        staff_hours: mean(&|r| r.staff_hours),
        overtime_hours: mean(&|r| r.overtime_hours),
        mean_queue: mean(&|r| r.mean_queue),
        offered_load,
        offered_load_general,
        offered_load_all,
        backlog_growth: growth,
        on_call_hours: mean(&|r| r.on_call_hours),
        on_call_busy_hours: mean(&|r| r.on_call_busy_hours),
        unstable: !unstable_reasons.is_empty(),
        unstable_reasons,
        unstable_since,
        peaks: peak_loads(model, &per_rep, hours),
        hour_of_week: PoolSeriesSummary {
            queue: series(false, false),
            staff_on_duty: series(true, false),
        },
        daily: PoolSeriesSummary {
            queue: daily_queue,
            staff_on_duty: series(true, true),
        },
    }
}

/// Each peak's load of one pool, from its replications' daily series and the window
/// hours in each bin (`hours`, per replication); none when the results predate those
/// series.
fn peak_loads(model: &Layout, per_rep: &[&PoolResult], hours: &[&Binned]) -> Vec<PeakLoad> {
    let Some(cal) = &model.calendar else {
        return Vec::new();
    };
    if per_rep.is_empty() || per_rep.iter().any(|r| r.series.load.is_empty()) {
        return Vec::new();
    }
    let Ok(start) = cal.start.parse::<jiff::civil::Date>() else {
        return Vec::new();
    };
    let day = |text: &str| -> Option<i64> {
        let date: jiff::civil::Date = text.parse().ok()?;
        Some(i64::from(start.until(date).ok()?.get_days()))
    };
    let days = i64::from(cal.days);
    let per_bin = i64::from(cal.days_per_bin.max(1));
    cal.peaks
        .iter()
        .filter_map(|peak| {
            let (from, to) = (day(&peak.from)?.max(0), day(&peak.to)?.min(days - 1));
            if from > to {
                return None;
            }
            let (first, last) = ((from / per_bin) as usize, (to / per_bin) as usize);
            let bins = first..=last;
            let sum = |v: &[f64]| v.get(bins.clone()).map_or(0.0, |x| x.iter().sum::<f64>());
            let peak_days = ((last - first + 1) as i64 * per_bin) as f64;
            let mut figures = Vec::with_capacity(per_rep.len());
            for (r, h) in per_rep.iter().zip(hours) {
                let staff = sum(&r.series.staff.daily);
                let load = &r.series.load;
                let capacity = staff + sum(&load.on_call);
                // A pool closed to general work for the whole peak (a holiday, on-call
                // officers at most) keeps that work for the reopening by design: not
                // judged.
                if staff <= 0.0 {
                    return None;
                }
                // The queue's growth over the peak, in days of the work its officers do
                // in it: a backlog of a day or more means a shipment joining at the
                // peak's end waits a day for this pool alone.
                let queue_on = |bin: usize| {
                    let area = r.series.queue.daily.get(bin).copied().unwrap_or(0.0);
                    let covered = h.daily.get(bin).copied().unwrap_or(0.0);
                    if covered > 0.0 { area / covered } else { 0.0 }
                };
                let before = queue_on(first.checked_sub(1).unwrap_or(first));
                let growth = (queue_on(last) - before).max(0.0);
                let work_per_token = if r.joined > 0 {
                    r.offered_hours / r.joined as f64
                } else {
                    0.0
                };
                figures.push((
                    offered_load(sum(&load.offered_general), staff),
                    offered_load(sum(&load.offered), capacity),
                    growth * work_per_token / (capacity / peak_days),
                ));
            }
            let mean = |f: fn(&(f64, f64, f64)) -> f64| {
                figures.iter().map(f).sum::<f64>() / figures.len() as f64
            };
            let (general, all, backlog) = (mean(|f| f.0), mean(|f| f.1), mean(|f| f.2));
            Some(PeakLoad {
                name: peak.name.clone(),
                from: window_date(model, from)?,
                to: window_date(model, to)?,
                offered_load: general.max(all),
                offered_load_general: general,
                offered_load_all: all,
                backlog_days: backlog,
                overloaded: general >= 1.0 || all >= 1.0 || backlog >= 1.0,
            })
        })
        .collect()
}

/// The date of day `day` of the window, "YYYY-MM-DD" (`None` without a calendar).
fn window_date(model: &Layout, day: i64) -> Option<String> {
    let start: jiff::civil::Date = model.calendar.as_ref()?.start.parse().ok()?;
    let date = start.checked_add(jiff::Span::new().days(day)).ok()?;
    Some(date.to_string())
}

/// The daily or hour-of-week bins of `b`.
fn part(b: &Binned, daily: bool) -> &[f64] {
    if daily { &b.daily } else { &b.hour_of_week }
}

/// Per bin, the mean over replications of `values[r][i] / hours[r][i]`, over the
/// replications with hours in bin i; `None` where none has. As long as the longest
/// `hours[r]`, and at least `min_len` (results stored without series give `null`s).
fn bin_means<V: AsRef<[f64]>>(values: &[V], hours: &[&[f64]], min_len: usize) -> Vec<Option<f64>> {
    let n = hours
        .iter()
        .map(|h| h.len())
        .max()
        .unwrap_or(0)
        .max(min_len);
    (0..n)
        .map(|i| {
            let (mut sum, mut count) = (0.0, 0u32);
            for (v, h) in values.iter().zip(hours) {
                if let (Some(&x), Some(&w)) = (v.as_ref().get(i), h.get(i))
                    && w > 0.0
                {
                    sum += x / w;
                    count += 1;
                }
            }
            (count > 0).then(|| sum / f64::from(count))
        })
        .collect()
}

/// Quantiles at p = 0.005, 0.010, …, 0.995 and 0.999, and the share of values in
/// log-spaced bins (see [`Distribution`]).
fn distribution(hist: &HoursHistogram) -> Distribution {
    let Some(max) = hist.max() else {
        return Distribution {
            quantiles: Vec::new(),
            bins: Vec::new(),
        };
    };
    let ps: Vec<f64> = (1..200)
        .map(|k| f64::from(k) / 200.0)
        .chain([0.999])
        .collect();
    let quantiles = ps
        .iter()
        .zip(hist.quantiles(&ps))
        .map(|(&p, q)| [p, q])
        .collect();
    // Edges: 0, then 10^(k/10) hours from k = -18 (57 s) up to the first beyond the max.
    let mut edges = vec![0.0];
    for k in -18.. {
        let e = 10f64.powf(f64::from(k) / 10.0);
        edges.push(e);
        if e > max {
            break;
        }
    }
    let last = edges.len() - 2;
    let mut counts = vec![0u64; last + 1];
    for (v, n) in hist.buckets() {
        let i = edges.partition_point(|&e| e <= v).saturating_sub(1);
        counts[i.min(last)] += n;
    }
    let total = hist.count() as f64;
    let bins = counts
        .iter()
        .enumerate()
        .map(|(i, &n)| [edges[i], edges[i + 1], n as f64 / total])
        .collect();
    Distribution { quantiles, bins }
}

fn block(xs: &[f64]) -> MeanBlock {
    let m = mean_ci95(xs);
    MeanBlock {
        mean: m.mean,
        mean_ci95: m.ci95,
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        f64::NAN
    } else {
        a as f64 / b as f64
    }
}

/// Figures of one flow; `per_rep[r]` lists the modes (and their results in replication
/// r) that make up the flow.
fn flow_summary(
    model: &Layout,
    per_rep: &[Vec<(&ModeLayout, &ModeResult)>],
    hours: &[&Binned],
) -> FlowSummary {
    let window = model.window_hours();
    let sla = model.sla_hours.is_some();
    let mut hist = HoursHistogram::new();
    let (mut arrivals, mut released, mut turned_away) = (0, 0, 0);
    let mut series: IndexMap<&str, Vec<f64>> = IndexMap::new();
    let mut push = |k: &'static str, x: f64| series.entry(k).or_default().push(x);
    let mut stages: IndexMap<String, StageTally> = IndexMap::new();
    // Per group (class or channel name): per-replication (clearance tally, within SLA).
    let mut groups: [IndexMap<String, Vec<GroupTally>>; 2] = [IndexMap::new(), IndexMap::new()];
    for rep in per_rep {
        let (mut c, mut w, mut within) = (Tally::default(), Tally::default(), 0);
        let mut ms = [0.0; 3];
        let (mut rep_arrivals, mut l) = (0, 0.0);
        let mut rep_groups: [IndexMap<String, GroupTally>; 2] = [IndexMap::new(), IndexMap::new()];
        for (mode, r) in rep {
            turned_away += r.turned_away;
            c.merge(&r.clearance);
            w.merge(&r.wait);
            within += r.within_sla;
            hist.merge(&r.histogram);
            rep_arrivals += r.arrivals;
            l += r.mean_in_system;
            for (a, b) in ms.iter_mut().zip(&r.milestone_hours) {
                *a += b;
            }
            for (name, t) in mode.stages.iter().zip(&r.stages) {
                let s = stages.entry(name.clone()).or_default();
                s.visits += t.visits;
                s.wait_hours += t.wait_hours;
                s.work_hours += t.work_hours;
            }
            let class_names = ["priority", "normal"];
            for (k, g) in r.classes.iter().enumerate() {
                merge_group(
                    rep_groups[0].entry(class_names[k].to_string()).or_default(),
                    g,
                );
            }
            for (ch, g) in mode.channels.iter().zip(&r.channels) {
                merge_group(rep_groups[1].entry(ch.clone()).or_default(), g);
            }
        }
        for (all, rep) in groups.iter_mut().zip(rep_groups) {
            for (name, g) in rep {
                all.entry(name).or_default().push(g);
            }
        }
        arrivals += rep_arrivals;
        released += c.count;
        push("clearance", c.mean());
        push("sla", ratio(within, c.count));
        push("wait", w.mean());
        push("waited", w.positive_share());
        push("in_system", l);
        push("rate", rep_arrivals as f64 / window);
        let per_shipment = |hours: f64| {
            if c.count == 0 {
                f64::NAN
            } else {
                hours / c.count as f64
            }
        };
        push("arrival_to_lodgement", per_shipment(ms[0]));
        push("lodgement_to_release", per_shipment(ms[1]));
        push("release_to_exit", per_shipment(ms[2]));
    }
    let get = |k: &str| series.get(k).map(Vec::as_slice).unwrap_or(&[]);
    let flow_series = flow_series(per_rep, hours);
    let c = mean_ci95(get("clearance"));
    let group_summaries =
        |g: &IndexMap<String, Vec<GroupTally>>| -> IndexMap<String, GroupSummary> {
            g.iter()
                .filter(|(_, reps)| reps.iter().any(|t| t.clearance.count > 0))
                .map(|(name, reps)| {
                    let means: Vec<f64> = reps.iter().map(|t| t.clearance.mean()).collect();
                    let shares: Vec<f64> = reps
                        .iter()
                        .map(|t| ratio(t.within_sla, t.clearance.count))
                        .collect();
                    let s = GroupSummary {
                        released: reps.iter().map(|t| t.clearance.count).sum(),
                        clearance_hours: block(&means),
                        sla_share: sla.then(|| block(&shares)),
                    };
                    (name.clone(), s)
                })
                .collect()
        };
    FlowSummary {
        headline: None,
        arrivals,
        released,
        unreleased: arrivals - released,
        turned_away,
        arrival_rate_per_hour: mean_ci95(get("rate")).mean,
        clearance_interval: model.clearance_interval.clone(),
        clearance_hours: ClearanceBlock {
            mean: c.mean,
            mean_ci95: c.ci95,
            p50: hist.quantile(0.5),
            p90: hist.quantile(0.9),
            p95: hist.quantile(0.95),
            p99: hist.quantile(0.99),
            max: hist.max(),
        },
        sla_share: sla.then(|| block(get("sla"))),
        milestones: [
            "arrival_to_lodgement",
            "lodgement_to_release",
            "release_to_exit",
        ]
        .into_iter()
        .map(|k| (k.to_string(), block(get(k))))
        .collect(),
        stages: stages
            .into_iter()
            .map(|(name, t)| {
                let s = StageSummary {
                    visits: t.visits,
                    mean_wait_hours: t.wait_hours / t.visits.max(1) as f64,
                    mean_service_hours: t.work_hours / t.visits.max(1) as f64,
                };
                (name, s)
            })
            .collect(),
        classes: group_summaries(&groups[0]),
        channels: group_summaries(&groups[1]),
        wait_hours: block(get("wait")),
        waited_share: block(get("waited")),
        mean_in_system: block(get("in_system")),
        series: flow_series,
        distribution: distribution(&hist),
    }
}

/// The series of a flow: its modes' bins added up in each replication.
fn flow_series(per_rep: &[Vec<(&ModeLayout, &ModeResult)>], hours: &[&Binned]) -> FlowSeries {
    let sum = |pick: &dyn Fn(&ModeResult) -> Vec<f64>| -> Vec<Vec<f64>> {
        per_rep
            .iter()
            .map(|rep| {
                let mut total: Vec<f64> = Vec::new();
                for (_, r) in rep {
                    let v = pick(r);
                    if total.len() < v.len() {
                        total.resize(v.len(), 0.0);
                    }
                    for (t, x) in total.iter_mut().zip(v) {
                        *t += x;
                    }
                }
                total
            })
            .collect()
    };
    let how: Vec<&[f64]> = hours.iter().map(|h| h.hour_of_week.as_slice()).collect();
    let days: Vec<&[f64]> = hours.iter().map(|h| h.daily.as_slice()).collect();
    let clearance = sum(&|r| r.series.clearance.iter().map(|c| c.0).collect());
    let released = sum(&|r| r.series.clearance.iter().map(|c| c.1 as f64).collect());
    let n_days = days.iter().map(|d| d.len()).max().unwrap_or(0);
    let pooled = |v: &[Vec<f64>], d: usize| v.iter().filter_map(|r| r.get(d)).sum::<f64>();
    FlowSeries {
        hour_of_week: FlowHourOfWeek {
            in_system: bin_means(
                &sum(&|r| r.series.in_system.hour_of_week.clone()),
                &how,
                HOURS_OF_WEEK,
            ),
            arrivals_per_hour: bin_means(
                &sum(&|r| r.series.arrivals.iter().map(|&n| n as f64).collect()),
                &how,
                HOURS_OF_WEEK,
            ),
        },
        daily: FlowDaily {
            clearance_mean: (0..n_days)
                .map(|d| {
                    let n = pooled(&released, d);
                    (n > 0.0).then(|| pooled(&clearance, d) / n)
                })
                .collect(),
            in_system: bin_means(&sum(&|r| r.series.in_system.daily.clone()), &days, 0),
            released: (0..n_days).map(|d| pooled(&released, d) as u64).collect(),
        },
    }
}

fn merge_group(into: &mut GroupTally, g: &GroupTally) {
    into.clearance.merge(&g.clearance);
    into.within_sla += g.within_sla;
}
