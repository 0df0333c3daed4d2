//! The flow of shipments through one replication: arrivals, stages, queues at pools,
//! rosters changing the headcount, release — and the statistics of it all.
//!
//! Rules at a pool:
//! - a shipment is served by one officer; priority shipments first, FIFO within a class;
//! - when the headcount rises, new officers take waiting shipments at once;
//! - when it drops, officers above it finish the shipment in hand (counted as overtime)
//!   and no new service starts while the number busy is at or above the headcount.

use std::collections::VecDeque;

use rand::RngExt;

use super::Model;
use super::arrivals::ArrivalCursor;
use super::mode::{Channel, Mode, StageKind};
use super::shipment::{Shipment, ShipmentSlab, StageTimes};
use crate::engine::rng::StreamRng;
use crate::engine::{self, EventCalendar, Process, SimTime, StreamFamily, StreamKey, stream_rng};
use crate::stats::{HoursHistogram, Tally, WindowedIntegral};

/// What happens in a replication.
#[derive(Clone, Copy, Debug)]
pub enum Event {
    /// The next shipment of a mode arrives.
    Arrival(u32),
    /// A shipment finishes its current stage (service or delay).
    StageDone(u32),
    /// A pool's headcount changes per its roster.
    StaffChange(u32),
}

/// One counted shipment, as released: what a trace row shows.
#[derive(Debug)]
pub struct ShipmentRecord<'a> {
    /// Replication (0-based).
    pub replication: u32,
    /// The shipment's mode.
    pub mode: &'a Mode,
    /// Its number within the mode in this replication.
    pub index: u64,
    /// Priority class.
    pub priority: bool,
    /// Its channel.
    pub channel: &'a Channel,
    /// Arrival time.
    pub arrival: SimTime,
    /// Release time.
    pub release: SimTime,
    /// Times of each stage, in order.
    pub stages: &'a [StageTimes],
}

/// Receives every counted shipment at its release.
pub trait TraceSink: Send {
    /// Called once per counted shipment, in release order.
    fn shipment_released(&mut self, record: &ShipmentRecord<'_>);
}

/// Figures of one mode in one replication (counted shipments only).
#[derive(Clone, Debug)]
pub struct ModeResult {
    /// Counted arrivals.
    pub arrivals: u64,
    /// Clearance (arrival → release) of released counted shipments, hours.
    pub clearance: Tally,
    /// Time waiting for officers, hours; `positive` counts those that waited at all.
    pub wait: Tally,
    /// Clearance times for quantiles.
    pub histogram: HoursHistogram,
    /// Time-average number of this mode's shipments in the system over the window.
    pub mean_in_system: f64,
}

/// Figures of one pool in one replication, over the counting window.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PoolResult {
    /// ∫ headcount dt, officer-hours on the roster.
    pub staff_hours: f64,
    /// ∫ busy dt, officer-hours serving.
    pub busy_hours: f64,
    /// ∫ max(0, busy − headcount) dt.
    pub overtime_hours: f64,
    /// Time-average number waiting.
    pub mean_queue: f64,
    /// Service hours of shipments that entered the pool's queue in the window.
    pub offered_hours: f64,
}

impl PoolResult {
    /// Busy officer-time over on-duty officer-time (rostered plus overtime).
    pub fn utilization(&self) -> f64 {
        let on_duty = self.staff_hours + self.overtime_hours;
        if on_duty > 0.0 {
            self.busy_hours / on_duty
        } else {
            f64::NAN
        }
    }

    /// Work offered over rostered officer-time; ≥ 1 means the pool cannot keep up.
    pub fn offered_load(&self) -> f64 {
        if self.staff_hours > 0.0 {
            self.offered_hours / self.staff_hours
        } else if self.offered_hours > 0.0 {
            f64::INFINITY
        } else {
            0.0
        }
    }
}

/// Everything one replication produced.
#[derive(Clone, Debug)]
pub struct ReplicationResult {
    /// Replication (0-based).
    pub replication: u32,
    /// Events processed.
    pub events: u64,
    /// Counted shipments still in the system at the drain limit.
    pub unreleased: u64,
    /// Per mode, in model order.
    pub modes: Vec<ModeResult>,
    /// Per pool, in model order.
    pub pools: Vec<PoolResult>,
}

struct ModeState {
    cursor: ArrivalCursor,
    arrival_rng: StreamRng,
    shipments: StreamFamily,
    next_index: u64,
    arrivals: u64,
    clearance: Tally,
    wait: Tally,
    histogram: HoursHistogram,
    in_system: WindowedIntegral,
}

struct PoolState {
    on_duty: u32,
    busy: u32,
    /// Waiting shipments: [priority, normal].
    queues: [VecDeque<u32>; 2],
    staff: WindowedIntegral,
    busy_time: WindowedIntegral,
    overtime: WindowedIntegral,
    queue_time: WindowedIntegral,
    offered_hours: f64,
}

impl PoolState {
    #[inline]
    fn set_busy(&mut self, t: f64, busy: u32) {
        self.busy = busy;
        self.busy_time.set(t, f64::from(busy));
        // Overtime changes only when busy exceeds the headcount: skip the common case.
        let over = f64::from(busy.saturating_sub(self.on_duty));
        if over != self.overtime.value() {
            self.overtime.set(t, over);
        }
    }

    #[inline]
    fn queue_len(&self) -> usize {
        self.queues[0].len() + self.queues[1].len()
    }
}

/// One replication of a model, ready to run.
pub struct Replication<'a> {
    model: &'a Model,
    replication: u32,
    warmup: f64,
    horizon: f64,
    modes: Vec<ModeState>,
    pools: Vec<PoolState>,
    shipments: ShipmentSlab,
    counted_open: u64,
    /// Stage times by shipment slot, kept only when tracing.
    stage_logs: Vec<Vec<StageTimes>>,
    trace: Option<&'a mut dyn TraceSink>,
}

impl<'a> Replication<'a> {
    /// Replication `replication` of `model`; every random stream is keyed by the model's
    /// seed, this replication and the stream's purpose, so the result depends on nothing
    /// else.
    pub fn new(model: &'a Model, replication: u32, trace: Option<&'a mut dyn TraceSink>) -> Self {
        let (w0, w1) = (model.warmup.hours(), model.horizon.hours());
        let rep = u64::from(replication);
        let modes = model
            .modes
            .iter()
            .map(|m| ModeState {
                cursor: ArrivalCursor::default(),
                arrival_rng: stream_rng(StreamKey::new(
                    model.seed,
                    rep,
                    &format!("arrivals/{}", m.name),
                )),
                shipments: StreamFamily::of(StreamKey::new(
                    model.seed,
                    rep,
                    &format!("shipment/{}", m.name),
                )),
                next_index: 0,
                arrivals: 0,
                clearance: Tally::default(),
                wait: Tally::default(),
                histogram: HoursHistogram::new(),
                in_system: WindowedIntegral::new(w0, w1, 0.0, 0.0),
            })
            .collect();
        let pools = model
            .pools
            .iter()
            .map(|p| {
                let h = p.staffing.headcount_at(&model.calendar, SimTime::ZERO);
                PoolState {
                    on_duty: h,
                    busy: 0,
                    queues: [VecDeque::new(), VecDeque::new()],
                    staff: WindowedIntegral::new(w0, w1, 0.0, f64::from(h)),
                    busy_time: WindowedIntegral::new(w0, w1, 0.0, 0.0),
                    overtime: WindowedIntegral::new(w0, w1, 0.0, 0.0),
                    queue_time: WindowedIntegral::new(w0, w1, 0.0, 0.0),
                    offered_hours: 0.0,
                }
            })
            .collect();
        Replication {
            model,
            replication,
            warmup: w0,
            horizon: w1,
            modes,
            pools,
            shipments: ShipmentSlab::default(),
            counted_open: 0,
            stage_logs: Vec::new(),
            trace,
        }
    }

    /// Runs the replication to the horizon, drains it, and returns its figures.
    pub fn run(mut self) -> ReplicationResult {
        let model = self.model;
        let mut cal = EventCalendar::new();
        for m in 0..model.modes.len() {
            self.schedule_next_arrival(m, SimTime::ZERO, &mut cal);
        }
        for (p, pool) in model.pools.iter().enumerate() {
            if let Some(t) = pool
                .staffing
                .next_change_after(&model.calendar, SimTime::ZERO)
            {
                cal.schedule(t, Event::StaffChange(p as u32));
            }
        }
        let outcome = engine::run(
            &mut self,
            &mut cal,
            model.horizon,
            model.horizon + model.drain_hours,
        );
        let end = self.horizon;
        ReplicationResult {
            replication: self.replication,
            events: outcome.events,
            unreleased: self.counted_open,
            modes: self
                .modes
                .into_iter()
                .map(|m| ModeResult {
                    arrivals: m.arrivals,
                    clearance: m.clearance,
                    wait: m.wait,
                    histogram: m.histogram,
                    mean_in_system: m.in_system.area_until(end) / model.window_hours(),
                })
                .collect(),
            pools: self
                .pools
                .iter()
                .map(|p| PoolResult {
                    staff_hours: p.staff.area_until(end),
                    busy_hours: p.busy_time.area_until(end),
                    overtime_hours: p.overtime.area_until(end),
                    mean_queue: p.queue_time.area_until(end) / model.window_hours(),
                    offered_hours: p.offered_hours,
                })
                .collect(),
        }
    }

    fn schedule_next_arrival(&mut self, m: usize, after: SimTime, cal: &mut EventCalendar<Event>) {
        let model = self.model;
        let state = &mut self.modes[m];
        let mode = &model.modes[m];
        if let Some(t) = mode.arrivals.next(
            after,
            model.horizon,
            &mut state.cursor,
            &model.calendar,
            &mut state.arrival_rng,
        ) {
            cal.schedule(t, Event::Arrival(m as u32));
        }
    }

    fn arrive(&mut self, m: u32, cal: &mut EventCalendar<Event>) {
        let now = cal.now();
        let model = self.model;
        let mode = &model.modes[m as usize];
        let state = &mut self.modes[m as usize];
        let index = state.next_index;
        state.next_index += 1;
        let mut rng = state.shipments.rng(index);
        // Always two draws, in this order, whatever the shares: a shipment's later draws
        // (its stage times) then sit at the same place in its stream in every variant.
        let priority = rng.random::<f64>() < mode.priority_share;
        let channel = mode.channel_for(rng.random::<f64>());
        let counted = now.hours() >= self.warmup;
        if counted {
            state.arrivals += 1;
            self.counted_open += 1;
        }
        let v = state.in_system.value();
        state.in_system.set(now.hours(), v + 1.0);
        let id = self.shipments.insert(Shipment {
            rng,
            arrival: now,
            stage_entered: now,
            service_hours: 0.0,
            wait_hours: 0.0,
            index,
            mode: m,
            channel: channel as u32,
            stage: 0,
            priority,
            counted,
        });
        if self.trace.is_some() {
            if self.stage_logs.len() <= id as usize {
                self.stage_logs.resize_with(id as usize + 1, Vec::new);
            }
            self.stage_logs[id as usize].clear();
        }
        self.schedule_next_arrival(m as usize, now, cal);
        self.enter_stage(id, cal);
    }

    /// Puts shipment `id` into its current stage (or releases it after the last).
    fn enter_stage(&mut self, id: u32, cal: &mut EventCalendar<Event>) {
        let now = cal.now();
        let model = self.model;
        let tracing = self.trace.is_some();
        let sh = self.shipments.get_mut(id);
        let channel = &model.modes[sh.mode as usize].channels[sh.channel as usize];
        let Some(stage) = channel.stages.get(sh.stage as usize) else {
            self.release(id, now);
            return;
        };
        sh.stage_entered = now;
        if tracing {
            self.stage_logs[id as usize].push(StageTimes {
                entered: now.hours(),
                started: now.hours(),
                ended: f64::NAN,
            });
        }
        match &stage.kind {
            StageKind::Delay { time } => {
                let d = time.sample(&mut sh.rng);
                cal.schedule(now + d, Event::StageDone(id));
            }
            StageKind::Service { pool, time } => {
                let s = time.sample(&mut sh.rng);
                sh.service_hours = s;
                let priority = sh.priority;
                let p = pool.0 as usize;
                let in_window = now.hours() >= self.warmup && now.hours() < self.horizon;
                let state = &mut self.pools[p];
                if in_window {
                    state.offered_hours += s;
                }
                if state.busy < state.on_duty {
                    self.start_service(p, id, cal);
                } else {
                    state.queues[usize::from(!priority)].push_back(id);
                    let len = state.queue_len() as f64;
                    state.queue_time.set(now.hours(), len);
                }
            }
        }
    }

    fn start_service(&mut self, p: usize, id: u32, cal: &mut EventCalendar<Event>) {
        let now = cal.now();
        let state = &mut self.pools[p];
        let busy = state.busy + 1;
        state.set_busy(now.hours(), busy);
        let sh = self.shipments.get_mut(id);
        sh.wait_hours += now - sh.stage_entered;
        if let Some(log) = self
            .stage_logs
            .get_mut(id as usize)
            .and_then(|l| l.last_mut())
        {
            log.started = now.hours();
        }
        cal.schedule(now + sh.service_hours, Event::StageDone(id));
    }

    /// Starts service for waiting shipments while officers are free.
    fn dispatch(&mut self, p: usize, cal: &mut EventCalendar<Event>) {
        loop {
            let state = &mut self.pools[p];
            if state.busy >= state.on_duty {
                return;
            }
            let Some(id) = state.queues[0]
                .pop_front()
                .or_else(|| state.queues[1].pop_front())
            else {
                return;
            };
            let len = state.queue_len() as f64;
            state.queue_time.set(cal.now().hours(), len);
            self.start_service(p, id, cal);
        }
    }

    fn stage_done(&mut self, id: u32, cal: &mut EventCalendar<Event>) {
        let now = cal.now();
        let model = self.model;
        let sh = self.shipments.get_mut(id);
        if let Some(log) = self
            .stage_logs
            .get_mut(id as usize)
            .and_then(|l| l.last_mut())
        {
            log.ended = now.hours();
        }
        let stage =
            &model.modes[sh.mode as usize].channels[sh.channel as usize].stages[sh.stage as usize];
        sh.stage += 1;
        if let StageKind::Service { pool, .. } = stage.kind {
            let p = pool.0 as usize;
            let state = &mut self.pools[p];
            let busy = state.busy - 1;
            state.set_busy(now.hours(), busy);
            // Free officers take waiting shipments before this one moves on, so that a
            // next stage at the same pool joins the back of the queue.
            self.dispatch(p, cal);
        }
        self.enter_stage(id, cal);
    }

    fn staff_change(&mut self, p: u32, cal: &mut EventCalendar<Event>) {
        let now = cal.now();
        let model = self.model;
        let staffing = &model.pools[p as usize].staffing;
        let h = staffing.headcount_at(&model.calendar, now);
        let state = &mut self.pools[p as usize];
        state.on_duty = h;
        state.staff.set(now.hours(), f64::from(h));
        let busy = state.busy;
        state.set_busy(now.hours(), busy);
        self.dispatch(p as usize, cal);
        if let Some(t) = staffing.next_change_after(&model.calendar, now) {
            cal.schedule(t, Event::StaffChange(p));
        }
    }

    fn release(&mut self, id: u32, now: SimTime) {
        let model = self.model;
        let sh = self.shipments.get(id);
        let m = sh.mode as usize;
        let state = &mut self.modes[m];
        let v = state.in_system.value();
        state.in_system.set(now.hours(), v - 1.0);
        if sh.counted {
            let clearance = now - sh.arrival;
            state.clearance.add(clearance);
            state.wait.add(sh.wait_hours);
            state.histogram.record(clearance);
            self.counted_open -= 1;
            if let Some(trace) = self.trace.as_deref_mut() {
                let mode = &model.modes[m];
                trace.shipment_released(&ShipmentRecord {
                    replication: self.replication,
                    mode,
                    index: sh.index,
                    priority: sh.priority,
                    channel: &mode.channels[sh.channel as usize],
                    arrival: sh.arrival,
                    release: now,
                    stages: &self.stage_logs[id as usize],
                });
            }
        }
        self.shipments.remove(id);
    }
}

impl Process for Replication<'_> {
    type Event = Event;

    #[inline]
    fn handle(&mut self, event: Event, cal: &mut EventCalendar<Event>) {
        match event {
            Event::Arrival(m) => self.arrive(m, cal),
            Event::StageDone(id) => self.stage_done(id, cal),
            Event::StaffChange(p) => self.staff_change(p, cal),
        }
    }

    fn drained(&self) -> bool {
        self.counted_open == 0
    }
}
