//! What one replication produced: figures per mode and per pool over the counting
//! window, with their series. Plain data, `Serialize + Deserialize`: shards and sweep
//! journals store them, and summaries are reduced from them.

use serde::{Deserialize, Serialize};

use super::series::{Binned, ModeSeries, PoolSeries};
use crate::stats::{HoursHistogram, Tally};

/// Time spent at one stage by counted shipments.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StageTally {
    /// Visits completed.
    pub visits: u64,
    /// Hours waiting for an officer.
    pub wait_hours: f64,
    /// Hours in service, in a delay, or in the parallel block.
    pub work_hours: f64,
}

/// Clearance of a group of shipments (a class, a channel).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupTally {
    /// Clearance times, hours.
    pub clearance: Tally,
    /// How many were cleared within the SLA.
    pub within_sla: u64,
}

/// Figures of one mode in one replication (counted shipments only).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ModeResult {
    /// Counted arrivals.
    pub arrivals: u64,
    /// Clearance over the scenario's interval, hours.
    pub clearance: Tally,
    /// How many were cleared within the SLA.
    pub within_sla: u64,
    /// Time waiting for officers, hours; `positive` counts those that waited at all.
    pub wait: Tally,
    /// Clearance times for quantiles.
    pub histogram: HoursHistogram,
    /// Time-average number of this mode's shipments in the system over the window.
    pub mean_in_system: f64,
    /// Arrival → lodgement, lodgement → release, release → exit: summed hours over the
    /// shipments counted in `clearance`.
    pub milestone_hours: [f64; 3],
    /// By stage name (the mode's `stage_names`).
    pub stages: Vec<StageTally>,
    /// By class: [priority, normal].
    pub classes: [GroupTally; 2],
    /// By channel, in the mode's order.
    pub channels: Vec<GroupTally>,
    /// By hour of the week and by day of the window (empty in results stored before
    /// series were recorded).
    #[serde(default)]
    pub series: ModeSeries,
    /// Counted arrivals turned away because the system held `max_in_system` shipments
    /// (not in `arrivals`).
    #[serde(default)]
    pub turned_away: u64,
}

/// Figures of one pool in one replication, over the counting window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PoolResult {
    /// ∫ general headcount dt: rostered officer-hours.
    pub staff_hours: f64,
    /// ∫ busy general officers dt.
    pub busy_hours: f64,
    /// ∫ max(0, busy − headcount) dt, both kinds of officer.
    pub overtime_hours: f64,
    /// Time-average number waiting.
    pub mean_queue: f64,
    /// Service hours of tokens that joined the pool in the window, plus the expected
    /// service hours of the window's arrivals turned away at the `max_in_system` cap.
    pub offered_hours: f64,
    /// Of which the work only general officers may take: plain tokens (normal class, no
    /// reservation). Turned-away arrivals count their normal class's expected work here
    /// (whether they would have booked is unknown, so none is taken as reserved).
    #[serde(default)]
    pub offered_general_hours: f64,
    /// Tokens that joined the pool in the window (served or still waiting at its end).
    #[serde(default)]
    pub joined: u64,
    /// ∫ restricted (on-call) headcount dt.
    pub on_call_hours: f64,
    /// ∫ busy restricted officers dt.
    pub on_call_busy_hours: f64,
    /// Queue and staff on duty by hour of the week and by day of the window (empty in
    /// results stored before series were recorded).
    #[serde(default)]
    pub series: PoolSeries,
    /// Hours spent at each occupancy (shipments in service or waiting at the pool) in
    /// each period — `occupancy[period][level]` — when the model asked for it
    /// ([`crate::model::Model::occupancy`], the roster designer); empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub occupancy: Vec<Vec<f64>>,
}

impl PoolResult {
    /// Busy general officer-time over on-duty general officer-time (overtime included).
    pub fn utilization(&self) -> f64 {
        let on_duty = self.staff_hours + self.overtime_hours;
        if on_duty > 0.0 {
            (self.busy_hours / on_duty).min(1.0)
        } else {
            f64::NAN
        }
    }

    /// Work offered against the capacity that can serve it; ≥ 1 means the pool cannot
    /// keep up. On-call officers serve only priority and reserved tokens, so the pool
    /// keeps up only if general officers keep up with the plain work *and* both kinds
    /// together keep up with all of it: the larger of [`PoolResult::offered_load_general`]
    /// and [`PoolResult::offered_load_all`].
    pub fn offered_load(&self) -> f64 {
        self.offered_load_general().max(self.offered_load_all())
    }

    /// Work only general officers may take over general officer-hours.
    pub fn offered_load_general(&self) -> f64 {
        offered_load(self.offered_general_hours, self.staff_hours)
    }

    /// All work over officer-hours of both kinds (general and on call).
    pub fn offered_load_all(&self) -> f64 {
        offered_load(self.offered_hours, self.staff_hours + self.on_call_hours)
    }
}

/// `work` over `capacity`, infinite for work without capacity.
pub fn offered_load(work: f64, capacity: f64) -> f64 {
    if capacity > 0.0 {
        work / capacity
    } else if work > 0.0 {
        f64::INFINITY
    } else {
        0.0
    }
}

/// Everything one replication produced.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReplicationResult {
    /// Replication (0-based).
    pub replication: u32,
    /// Events processed.
    pub events: u64,
    /// Counted shipments still in the system at the drain limit.
    pub unreleased: u64,
    /// When an arrival was first turned away at the `max_in_system` cap, hours from the
    /// start (`None`: never).
    #[serde(default)]
    pub first_turned_away: Option<f64>,
    /// The pool with the longest queue at that moment: the bottleneck.
    #[serde(default)]
    pub capped_by: Option<u32>,
    /// Per mode, in model order.
    pub modes: Vec<ModeResult>,
    /// Per pool, in model order.
    pub pools: Vec<PoolResult>,
    /// Hours of the counting window in each bin of the series (by hour of the week and
    /// by day, or period of days, of the window): what their integrals are divided by.
    #[serde(default)]
    pub series_hours: Binned,
    /// The officer-hours' cost under the scenario's `[cost]` weights (`None` without).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<f64>,
}
