//! What a replication measures, apart from the events that move shipments: per mode the
//! shipments in the system, the clearance tallies and histogram of released ones, stage
//! visits and the work of arrivals turned away at the cap; per pool the time integrals of
//! staff, busy officers, overtime and the queue, and the work offered. Each record splits
//! its integrals into the series bins and, at the end, becomes a result
//! ([`crate::results`]).

use super::arrivals::Arrival;
use super::mode::Mode;
use super::occupancy::{Occupancy, OccupancyPeriods};
use super::pool_queue::PoolQueue;
use super::series::{Bin, ModeSeries, PoolSeries};
use super::shipment::Shipment;
use crate::engine::SimTime;
use crate::results::{GroupTally, ModeResult, PoolResult, StageTally};
use crate::stats::{HoursHistogram, Tally, WindowedIntegral};

/// The measures of one pool over the counting window `[w0, w1)`.
#[derive(Clone, Default)]
pub(super) struct PoolRecord {
    staff: WindowedIntegral,
    busy: WindowedIntegral,
    overtime: WindowedIntegral,
    queue: WindowedIntegral,
    on_call: WindowedIntegral,
    on_call_busy: WindowedIntegral,
    offered_hours: f64,
    offered_general_hours: f64,
    joined: u64,
    series: PoolSeries,
    /// The queue's and staff's integrals, the work offered and the on-call officers'
    /// integral at the last hourly split.
    queue_area: f64,
    staff_area: f64,
    offered_at_split: f64,
    offered_general_at_split: f64,
    on_call_area: f64,
    /// Time at each occupancy per period, when asked for.
    occupancy: Option<Occupancy>,
}

impl PoolRecord {
    /// A pool that starts with `general` and `on_call` officers on duty.
    pub fn new(
        w0: f64,
        w1: f64,
        general: u32,
        on_call: u32,
        periods: usize,
        occupancy: Option<OccupancyPeriods>,
    ) -> PoolRecord {
        let integral = |v: u32| WindowedIntegral::new(w0, w1, 0.0, f64::from(v));
        PoolRecord {
            occupancy: occupancy.map(|o| Occupancy::new(o, w0, w1)),
            staff: integral(general),
            on_call: integral(on_call),
            busy: integral(0),
            overtime: integral(0),
            queue: integral(0),
            on_call_busy: integral(0),
            series: PoolSeries::new(periods),
            ..PoolRecord::default()
        }
    }

    /// Updates the integrals after a change of headcount or busy officers at `t`.
    #[inline]
    pub fn account(&mut self, t: f64, q: &PoolQueue) {
        let (busy_general, busy_on_call) = q.busy();
        self.busy.set(t, f64::from(busy_general));
        let over = q.over();
        // Overtime changes only when busy exceeds the headcount: skip the common case.
        if f64::from(over) != self.overtime.value() {
            self.overtime.set(t, f64::from(over));
        }
        if q.headcount().1 > 0 || busy_on_call > 0 || self.on_call.value() > 0.0 {
            self.on_call_busy.set(t, f64::from(busy_on_call));
        }
        self.occupied(t, q);
    }

    /// Notes the pool's occupancy (in service and waiting) at `t`, if recorded.
    #[inline]
    fn occupied(&mut self, t: f64, q: &PoolQueue) {
        if let Some(o) = &mut self.occupancy {
            let (g, r) = q.busy();
            o.set(t, q.len() + g as usize + r as usize);
        }
    }

    /// The headcount changed at `t`.
    #[inline]
    pub fn staffed(&mut self, t: f64, general: u32, on_call: u32) {
        self.staff.set(t, f64::from(general));
        self.on_call.set(t, f64::from(on_call));
    }

    /// The queue `q` is as it is from `t` on.
    #[inline]
    pub fn queued(&mut self, t: f64, q: &PoolQueue) {
        self.queue.set(t, q.len() as f64);
        self.occupied(t, q);
    }

    /// A token joined in the window with `hours` of work; `general_only` when only
    /// general officers may take it.
    #[inline]
    pub fn joined(&mut self, hours: f64, general_only: bool) {
        self.offered_hours += hours;
        self.joined += 1;
        if general_only {
            self.offered_general_hours += hours;
        }
    }

    /// Work that an arrival turned away at the cap would have brought: `hours`, of which
    /// `general_hours` only general officers may take.
    #[inline]
    pub fn offered(&mut self, hours: f64, general_hours: f64) {
        self.offered_hours += hours;
        self.offered_general_hours += general_hours;
    }

    /// What the integrals gained since the last split goes into `bin` (split at `t`).
    pub fn split(&mut self, bin: Bin, t: f64) {
        self.series
            .queue
            .add_area(bin, self.queue.area_until(t), &mut self.queue_area);
        self.series
            .staff
            .add_area(bin, self.staff.area_until(t), &mut self.staff_area);
        let on_call = self.on_call.area_until(t);
        let load = &mut self.series.load;
        if bin.period < load.offered.len() {
            let i = bin.period;
            load.offered[i] += self.offered_hours - self.offered_at_split;
            load.offered_general[i] += self.offered_general_hours - self.offered_general_at_split;
            load.on_call[i] += on_call - self.on_call_area;
        }
        self.offered_at_split = self.offered_hours;
        self.offered_general_at_split = self.offered_general_hours;
        self.on_call_area = on_call;
    }

    /// The pool's figures at the end of a window of `window` hours ending at `end`.
    pub fn finish(self, end: f64, window: f64) -> PoolResult {
        PoolResult {
            staff_hours: self.staff.area_until(end),
            busy_hours: self.busy.area_until(end),
            overtime_hours: self.overtime.area_until(end),
            mean_queue: self.queue.area_until(end) / window,
            offered_hours: self.offered_hours,
            offered_general_hours: self.offered_general_hours,
            joined: self.joined,
            on_call_hours: self.on_call.area_until(end),
            on_call_busy_hours: self.on_call_busy.area_until(end),
            series: self.series,
            occupancy: self.occupancy.map_or_else(Vec::new, |o| o.finish(end)),
        }
    }
}

/// The measures of one mode over the counting window.
#[derive(Clone)]
pub(super) struct ModeRecord {
    result: ModeResult,
    in_system: WindowedIntegral,
    /// `in_system`'s integral and the counted arrivals at the last hourly split.
    in_system_area: f64,
    arrivals_at_split: u64,
    /// Expected service hours per pool of a shipment of each channel, and of the mode
    /// (channels drawn by their shares): offered by arrivals turned away at the cap.
    channel_work: Vec<Vec<f64>>,
    mode_work: Vec<f64>,
    /// The same for an arrival whose class is given (a trace's class column):
    /// [priority, normal].
    class_work: [Vec<f64>; 2],
}

impl ModeRecord {
    /// The record of `mode` in a model of `pools` pools.
    pub fn new(mode: &Mode, pools: usize, w0: f64, w1: f64, periods: usize) -> ModeRecord {
        ModeRecord {
            result: ModeResult {
                arrivals: 0,
                clearance: Tally::default(),
                within_sla: 0,
                wait: Tally::default(),
                histogram: HoursHistogram::new(),
                mean_in_system: 0.0,
                milestone_hours: [0.0; 3],
                stages: vec![StageTally::default(); mode.stage_names.len()],
                classes: [GroupTally::default(); 2],
                channels: vec![GroupTally::default(); mode.channels.len()],
                series: ModeSeries::new(periods),
                turned_away: 0,
            },
            in_system: WindowedIntegral::new(w0, w1, 0.0, 0.0),
            in_system_area: 0.0,
            arrivals_at_split: 0,
            channel_work: mode
                .channels
                .iter()
                .map(|c| c.expected_work(pools))
                .collect(),
            mode_work: mode.expected_work(pools),
            class_work: [true, false].map(|p| mode.expected_work_of(pools, Some(p))),
        }
    }

    /// A shipment entered the system at `t` (a counted arrival when `counted`).
    #[inline]
    pub fn entered(&mut self, t: f64, counted: bool) {
        if counted {
            self.result.arrivals += 1;
        }
        let v = self.in_system.value();
        self.in_system.set(t, v + 1.0);
    }

    /// A shipment left the system at `t`.
    #[inline]
    pub fn left(&mut self, t: f64) {
        let v = self.in_system.value();
        self.in_system.set(t, v - 1.0);
    }

    /// A counted shipment's visit of stage `stat`: waited `wait` hours, then `work`.
    #[inline]
    pub fn visited(&mut self, stat: usize, wait: f64, work: f64) {
        let tally = &mut self.result.stages[stat];
        tally.visits += 1;
        tally.wait_hours += wait;
        tally.work_hours += work;
    }

    /// A counted shipment `sh` left at `exit` with this clearance time, within the SLA
    /// or not.
    pub fn released(&mut self, sh: &Shipment, exit: SimTime, clearance: f64, within_sla: bool) {
        let within = u64::from(within_sla);
        let r = &mut self.result;
        r.clearance.add(clearance);
        r.within_sla += within;
        r.wait.add(sh.wait_hours);
        r.histogram.record(clearance);
        r.milestone_hours[0] += sh.lodgement - sh.arrival;
        r.milestone_hours[1] += sh.release - sh.lodgement;
        r.milestone_hours[2] += exit - sh.release;
        let class = &mut r.classes[usize::from(!sh.priority)];
        class.clearance.add(clearance);
        class.within_sla += within;
        let channel = &mut r.channels[sh.channel as usize];
        channel.clearance.add(clearance);
        channel.within_sla += within;
        r.series.released(sh.period, clearance);
    }

    /// An arrival of `mode` turned away at the cap in the window: counted, and the work
    /// it would have brought offered to each pool, `(hours, general-only hours)` — its
    /// expectation over the channel the arrival names, or else its class's channel mix,
    /// or else the mode's.
    pub fn turned_away(
        &mut self,
        mode: &Mode,
        arrival: &Arrival,
    ) -> impl Iterator<Item = (f64, f64)> + '_ {
        self.result.turned_away += 1;
        let work = match (arrival.channel, arrival.priority) {
            (Some(c), _) => &self.channel_work[c as usize],
            (None, Some(p)) => &self.class_work[usize::from(!p)],
            (None, None) => &self.mode_work,
        };
        // The part only general officers may take: none for a priority arrival, all of a
        // normal one's, and of an unknown class its normal class's share (a channel given
        // without a class keeps the channel's work).
        let general = match (arrival.channel, arrival.priority) {
            (_, Some(true)) => 0.0,
            (_, Some(false)) => 1.0,
            _ => 1.0 - mode.priority_share,
        };
        let normal_work = match arrival.channel {
            Some(_) => work,
            None if arrival.priority.is_none() => &self.class_work[1],
            None => work,
        };
        work.iter()
            .zip(normal_work)
            .map(move |(&w, &n)| (w, general * n))
    }

    /// What the integrals and counted arrivals gained since the last split goes into
    /// `bin` (split at `t`).
    pub fn split(&mut self, bin: Bin, t: f64) {
        let area = self.in_system.area_until(t);
        let series = &mut self.result.series;
        series
            .in_system
            .add_area(bin, area, &mut self.in_system_area);
        let arrivals = self.result.arrivals;
        series.arrived(bin, arrivals - self.arrivals_at_split);
        self.arrivals_at_split = arrivals;
    }

    /// The mode's figures at the end of a window of `window` hours ending at `end`.
    pub fn finish(self, end: f64, window: f64) -> ModeResult {
        ModeResult {
            mean_in_system: self.in_system.area_until(end) / window,
            ..self.result
        }
    }
}
