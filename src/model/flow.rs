//! The flow of shipments through one replication: arrivals, lodgement, stages (service
//! at pools, delays, parallel branches), release, exit.
//!
//! A shipment moves through its channel as a *token*; a parallel stage spawns one token
//! per branch and continues when the last one finishes. Rules at a pool:
//! - one officer serves a token; priority tokens first, FIFO within a class;
//! - restricted officers (on call) serve only priority and reserved tokens;
//! - when the headcount rises, new officers take waiting tokens at once;
//! - when it drops, officers above it finish the token in hand (overtime) and no new
//!   service starts while the number busy is at or above the headcount.

use crate::results::OfficerHours;
use rand::RngExt;

use super::arrivals::{Arrival, ArrivalCursor};
use super::ids::{ModeId, PoolId, ShipmentId, TokenId};
use super::mode::{Branch, Stage, StageKind};
use super::pool_queue::{Claim, Officer, PoolQueue};
use super::recorder::{ModeRecord, PoolRecord};
use super::regime::VariantSpan;
use super::series::SeriesClock;
use super::shipment::{Phase, Shipment, ShipmentSlab, StageTimes};
pub use super::trace::{ShipmentRecord, TraceSink};
use super::{Milestone, Model};
use crate::engine::rng::StreamRng;
use crate::engine::{self, EventCalendar, Process, SimTime, StreamFamily, StreamKey, stream_rng};
pub use crate::results::replication::{
    GroupTally, ModeResult, PoolResult, ReplicationResult, StageTally,
};

/// What happens in a replication.
#[derive(Clone, Copy, Debug)]
pub enum Event {
    /// The next arrival of a mode.
    Arrival(ModeId),
    /// A token finishes its current stage (service or delay).
    StageDone(TokenId),
    /// A shipment reaches lodgement or exit.
    Milestone(ShipmentId),
    /// A pool's headcount changes per its roster or a peak.
    StaffChange(PoolId),
}

/// An [`Event`] as the event calendar holds it: one 64-bit word, its kind in the high
/// half and its id in the low. The enum is two 32-bit fields, written separately when an
/// event is scheduled and read back as one word when the heap moves it: a read that
/// spans two recent writes cannot be served from them and waits for both to reach the
/// cache, on every event. One word is written and read whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PackedEvent(u64);

impl From<Event> for PackedEvent {
    #[inline(always)]
    fn from(event: Event) -> PackedEvent {
        let (kind, id) = match event {
            Event::Arrival(m) => (0u64, m.0),
            Event::StageDone(t) => (1, t.0),
            Event::Milestone(s) => (2, s.0),
            Event::StaffChange(p) => (3, p.0),
        };
        PackedEvent(kind << 32 | u64::from(id))
    }
}

impl PackedEvent {
    /// The event packed.
    #[inline(always)]
    pub fn event(self) -> Event {
        let id = self.0 as u32;
        match self.0 >> 32 {
            0 => Event::Arrival(ModeId(id)),
            1 => Event::StageDone(TokenId(id)),
            2 => Event::Milestone(ShipmentId(id)),
            _ => Event::StaffChange(PoolId(id)),
        }
    }
}

#[derive(Clone)]
struct ModeState {
    cursor: ArrivalCursor,
    pending: Option<Arrival>,
    arrival_rng: StreamRng,
    shipments: StreamFamily,
    next_index: u64,
    record: ModeRecord,
}

/// A unit of work walking a list of stages: a shipment's channel, or one branch.
#[derive(Clone)]
struct Token<'a> {
    stages: &'a [Stage],
    pos: u32,
    shipment: ShipmentId,
    /// Whether this token is a branch (its end joins the parent).
    branch: bool,
    /// Served by a restricted officer (for the token in service).
    restricted: bool,
    entered: SimTime,
    started: SimTime,
    service_hours: f64,
    /// Index of the current visit in the shipment's stage log (when tracing).
    log: u32,
}

#[derive(Clone)]
struct PoolState {
    /// The waiting tokens and the officers: who is served next, by whom.
    waiting: PoolQueue,
    record: PoolRecord,
}

impl PoolState {
    #[inline]
    fn queue_len(&self) -> usize {
        self.waiting.len()
    }

    /// Updates the integrals after a change of headcount or busy officers at `t`.
    #[inline]
    fn account(&mut self, t: f64) {
        self.record.account(t, &self.waiting);
    }
}

/// One replication of a model, ready to run.
pub struct Replication<'a> {
    model: &'a Model,
    replication: u32,
    warmup: f64,
    horizon: f64,
    /// The SLA in hours (infinite without one: every shipment is within it).
    sla_hours: f64,
    modes: Vec<ModeState>,
    pools: Vec<PoolState>,
    shipments: ShipmentSlab,
    tokens: Vec<Token<'a>>,
    free_tokens: Vec<TokenId>,
    counted_open: u64,
    /// When the `max_in_system` cap first turned an arrival away.
    first_turned_away: Option<f64>,
    /// The pool with the longest queue when the cap was first reached.
    capped_by: Option<u32>,
    /// Stage visits by shipment slot, kept only when tracing.
    stage_logs: Vec<Vec<(&'a str, StageTimes)>>,
    trace: Option<&'a mut dyn TraceSink>,
    /// Bins of the time series.
    clock: SeriesClock,
    /// The regimes' variant in force and until when (asked once per change of regime).
    regime: VariantSpan,
}

impl<'a> Replication<'a> {
    /// Replication `replication` of `model`; every random stream is keyed by the model's
    /// seed, this replication and the stream's purpose, so the result depends on nothing
    /// else.
    pub fn new(model: &'a Model, replication: u32, trace: Option<&'a mut dyn TraceSink>) -> Self {
        let (w0, w1) = (model.warmup.hours(), model.horizon.hours());
        let clock = SeriesClock::new(&model.calendar, w0, w1);
        let periods = clock.periods();
        let rep = u64::from(replication);
        let modes = model
            .modes
            .iter()
            .map(|m| ModeState {
                cursor: ArrivalCursor::default(),
                pending: None,
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
                record: ModeRecord::new(m, model.pools.len(), w0, w1, periods),
            })
            .collect();
        let pools = model
            .pools
            .iter()
            .map(|p| {
                let (g, r) = p.headcount_at(&model.calendar, SimTime::ZERO);
                let mut waiting = PoolQueue::default();
                waiting.set_headcount(g, r);
                PoolState {
                    waiting,
                    record: PoolRecord::new(w0, w1, g, r, periods, model.occupancy.clone()),
                }
            })
            .collect();
        Replication {
            model,
            replication,
            warmup: w0,
            horizon: w1,
            sla_hours: model.sla_hours.unwrap_or(f64::INFINITY),
            modes,
            pools,
            shipments: ShipmentSlab::default(),
            tokens: Vec::new(),
            free_tokens: Vec::new(),
            counted_open: 0,
            first_turned_away: None,
            capped_by: None,
            stage_logs: Vec::new(),
            trace,
            clock,
            regime: VariantSpan::EMPTY,
        }
    }

    /// Runs the replication to the horizon, drains it, and returns its figures.
    pub fn run(mut self) -> ReplicationResult {
        let cal = self.first_events();
        self.finish(cal)
    }

    /// Runs the replication up to `until` (every event due before it) and stops there,
    /// to be continued — as often as wanted — by [`Checkpoint::resume`]. A trace, if
    /// any, ends at `until`: the continuations are not traced.
    pub fn run_until(mut self, until: SimTime) -> Checkpoint<'a> {
        let mut calendar = self.first_events();
        // Nothing at or past the horizon is handled before the drain phase.
        let stop = until.min(self.model.horizon);
        engine::advance(&mut self, &mut calendar, stop);
        self.trace = None;
        Checkpoint {
            replication: self,
            calendar,
        }
    }

    /// The calendar at time zero: each mode's first arrival, each pool's first change
    /// of headcount.
    fn first_events(&mut self) -> EventCalendar<PackedEvent> {
        let model = self.model;
        let mut cal = EventCalendar::new();
        for m in 0..model.modes.len() {
            self.schedule_next_arrival(ModeId(m as u32), SimTime::ZERO, &mut cal);
        }
        for (p, pool) in model.pools.iter().enumerate() {
            if let Some(t) = pool.next_change_after(&model.calendar, SimTime::ZERO) {
                cal.schedule(t, Event::StaffChange(PoolId(p as u32)).into());
            }
        }
        cal
    }

    /// Runs the rest of the replication from `cal`'s pending events to the horizon,
    /// drains it, and returns its figures.
    fn finish(mut self, mut cal: EventCalendar<PackedEvent>) -> ReplicationResult {
        let model = self.model;
        let outcome = engine::run(
            &mut self,
            &mut cal,
            model.horizon,
            model.horizon + model.drain_hours,
        );
        let end = self.horizon;
        // The hours of the window after the last event before the horizon.
        self.split_series_until(end);
        self.split_series(end);
        let window = model.window_hours();
        let pools: Vec<_> = self
            .pools
            .into_iter()
            .map(|p| p.record.finish(end, window))
            .collect();
        let cost = (model.cost.as_ref()).map(|w| w.cost(&OfficerHours::of_pools(&pools)).total);
        ReplicationResult {
            replication: self.replication,
            events: outcome.events,
            unreleased: self.counted_open,
            first_turned_away: self.first_turned_away,
            capped_by: self.capped_by,
            modes: self
                .modes
                .into_iter()
                .map(|m| m.record.finish(end, window))
                .collect(),
            pools,
            series_hours: self.clock.coverage,
            cost,
        }
    }

    /// Splits the series at every whole hour of the window up to `t` (inclusive).
    ///
    /// Called before each event whose time has reached the next whole hour, so the
    /// split at hour h comes before anything that happens at h: the integrals are
    /// exact (nothing changes between events), an arrival at exactly h counts in the
    /// hour starting at h, and it costs a comparison per event, not an event per hour.
    #[cold]
    #[inline(never)]
    fn split_series_until(&mut self, t: f64) {
        while self.clock.next_split() <= t {
            self.split_series(self.clock.next_split());
        }
    }

    /// Splits the series at `t` (a whole hour, or the horizon): what the integrals and
    /// the counted arrivals gained since the last split goes into that hour's bins.
    fn split_series(&mut self, t: f64) {
        let Some(bin) = self.clock.split(&self.model.calendar, t) else {
            return;
        };
        for m in &mut self.modes {
            m.record.split(bin, t);
        }
        for p in &mut self.pools {
            p.record.split(bin, t);
        }
    }

    fn schedule_next_arrival(
        &mut self,
        m: ModeId,
        after: SimTime,
        cal: &mut EventCalendar<PackedEvent>,
    ) {
        let model = self.model;
        let state = &mut self.modes[m.index()];
        state.pending = model.modes[m.index()].arrivals.next(
            after,
            model.horizon,
            &mut state.cursor,
            &model.calendar,
            &mut state.arrival_rng,
        );
        if let Some(a) = state.pending {
            cal.schedule(a.at, Event::Arrival(m).into());
        }
    }

    fn arrive(&mut self, m: ModeId, cal: &mut EventCalendar<PackedEvent>) {
        let Some(arrival) = self.modes[m.index()].pending.take() else {
            return;
        };
        for _ in 0..arrival.count {
            self.new_shipment(m, &arrival, cal);
        }
        self.schedule_next_arrival(m, arrival.at, cal);
    }

    #[inline(never)]
    fn new_shipment(&mut self, m: ModeId, arrival: &Arrival, cal: &mut EventCalendar<PackedEvent>) {
        let now = cal.now();
        let model = self.model;
        // The regimes in force when it arrives decide its class, channel and stages.
        let variant = self.regime.variant_at(&model.regimes, now);
        let mode = &model.regimes.modes(variant, &model.modes)[m.index()];
        let index = self.modes[m.index()].next_index;
        self.modes[m.index()].next_index += 1;
        // An overloaded system would grow without limit: at the cap, arrivals are turned
        // away (and counted), so memory stays bounded. The index is still used up, so
        // later shipments keep their random numbers.
        if self.shipments.len() as u64 >= model.max_in_system {
            if self.first_turned_away.is_none() {
                self.first_turned_away = Some(now.hours());
                self.capped_by = self
                    .pools
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.queue_len() > 0)
                    .max_by_key(|(_, p)| p.queue_len())
                    .map(|(i, _)| i as u32);
            }
            if now.hours() >= self.warmup {
                // The work it would have brought still counts as offered, so that the
                // offered load says how far demand exceeds capacity.
                let offered = self.modes[m.index()].record.turned_away(mode, arrival);
                for (pool, (w, general)) in self.pools.iter_mut().zip(offered) {
                    pool.record.offered(w, general);
                }
            }
            return;
        }
        let mut rng = self.modes[m.index()].shipments.rng(index);
        // Always three draws, in this order, whatever the shares or the log says: a
        // shipment's later draws (its stage times) then sit at the same place in its
        // stream in every variant (common random numbers).
        let u_class = rng.random::<f64>();
        let u_channel = rng.random::<f64>();
        let u_reserve = rng.random::<f64>();
        let priority = arrival.priority.unwrap_or(u_class < mode.priority_share);
        // The class's channel mix is what its goods need; the fast track is how they
        // are served (first, and by on-call officers too).
        let fast_track = priority && mode.fast_track;
        let channel = arrival.channel.map_or_else(
            || mode.channel_for_class(u_channel, priority),
            |c| c as usize,
        );
        let reserved = u_reserve < mode.reservation_share && self.can_reserve(now, variant);
        let counted = now.hours() >= self.warmup;
        let state = &mut self.modes[m.index()];
        if counted {
            self.counted_open += 1;
        }
        state.record.entered(now.hours(), counted);
        let id = self.shipments.insert(Shipment {
            rng,
            arrival: now,
            lodgement: now,
            release: now,
            wait_hours: 0.0,
            index,
            mode: m,
            variant,
            channel: channel as u32,
            open_branches: 0,
            main_token: TokenId(0),
            phase: if mode.lodgement.is_some() {
                Phase::Lodging
            } else {
                Phase::InProcess
            },
            priority,
            fast_track,
            reserved,
            early_branches: false,
            counted,
            period: self.clock.current_period(),
        });
        let lodgement_at = mode
            .lodgement
            .as_ref()
            .map(|d| d.end(model, now, &mut self.shipments.get_mut(id).rng, fast_track));
        if self.trace.is_some() {
            if self.stage_logs.len() <= id.index() {
                self.stage_logs.resize_with(id.index() + 1, Vec::new);
            }
            self.stage_logs[id.index()].clear();
        }
        match lodgement_at {
            Some(t) => {
                cal.schedule(t, Event::Milestone(id).into());
                self.start_on_arrival(id, &mode.channels[channel].stages, cal);
            }
            None => self.start_stages(id, &mode.channels[channel].stages, cal),
        }
    }

    /// Starts the branches of the channel's first stage that shipment `id` starts on
    /// arrival, before its declaration is lodged (inspection on arrival); the rest of
    /// the stage starts at lodgement.
    fn start_on_arrival(
        &mut self,
        id: ShipmentId,
        stages: &'a [Stage],
        cal: &mut EventCalendar<PackedEvent>,
    ) {
        let Some(StageKind::Parallel { branches }) = stages.first().map(|s| &s.kind) else {
            return;
        };
        let sh = self.shipments.get_mut(id);
        let fast_track = sh.fast_track;
        let early = branches
            .iter()
            .filter(|b| b.starts_on_arrival(fast_track))
            .count();
        if early == 0 {
            return;
        }
        sh.early_branches = true;
        // Counted before any starts, so that none can look like the last to finish.
        sh.open_branches += early as u32;
        let now = cal.now();
        for b in branches.iter().filter(|b| b.starts_on_arrival(fast_track)) {
            let bt = self.new_token(&b.stages, id, true, now);
            self.enter_stage(bt, cal);
        }
    }

    /// Whether a shipment arriving at `now` can hold a reservation: it must have been
    /// booked in office hours at least the lead time before arrival.
    fn can_reserve(&self, now: SimTime, variant: u16) -> bool {
        let model = self.model;
        let Some(r) = model.regimes.reservations(variant, model.reservations) else {
            return false;
        };
        let office = &self.model.calendars[r.office.0 as usize].1;
        office
            .last_open_at_or_before(&self.model.calendar, now)
            .is_some_and(|last| now - last >= r.lead_hours)
    }

    fn start_channel(&mut self, id: ShipmentId, cal: &mut EventCalendar<PackedEvent>) {
        let sh = self.shipments.get(id);
        let modes = self.model.regimes.modes(sh.variant, &self.model.modes);
        let stages = &modes[sh.mode.index()].channels[sh.channel as usize].stages;
        self.start_stages(id, stages, cal);
    }

    /// Starts shipment `id` on its channel's `stages`.
    fn start_stages(
        &mut self,
        id: ShipmentId,
        stages: &'a [Stage],
        cal: &mut EventCalendar<PackedEvent>,
    ) {
        let token = self.new_token(stages, id, false, cal.now());
        self.shipments.get_mut(id).main_token = token;
        self.enter_stage(token, cal);
    }

    fn new_token(
        &mut self,
        stages: &'a [Stage],
        shipment: ShipmentId,
        branch: bool,
        now: SimTime,
    ) -> TokenId {
        let token = Token {
            stages,
            pos: 0,
            shipment,
            branch,
            restricted: false,
            entered: now,
            started: now,
            service_hours: 0.0,
            log: 0,
        };
        match self.free_tokens.pop() {
            Some(t) => {
                self.tokens[t.index()] = token;
                t
            }
            None => {
                self.tokens.push(token);
                TokenId((self.tokens.len() - 1) as u32)
            }
        }
    }

    /// Puts token `t` into its current stage, or finishes its list.
    fn enter_stage(&mut self, t: TokenId, cal: &mut EventCalendar<PackedEvent>) {
        let now = cal.now();
        let tok = &mut self.tokens[t.index()];
        let Some(stage) = tok.stages.get(tok.pos as usize) else {
            self.finish_list(t, cal);
            return;
        };
        tok.entered = now;
        tok.started = now;
        let sid = tok.shipment;
        if self.trace.is_some() {
            let log = &mut self.stage_logs[sid.index()];
            tok.log = log.len() as u32;
            let at = now.hours();
            log.push((
                stage.name.as_str(),
                StageTimes {
                    entered: at,
                    started: at,
                    ended: f64::NAN,
                },
            ));
        }
        match &stage.kind {
            StageKind::Delay(delay) => {
                let sh = self.shipments.get_mut(sid);
                let end = delay.end(self.model, now, &mut sh.rng, sh.fast_track);
                cal.schedule(end, Event::StageDone(t).into());
            }
            StageKind::Service { pool, time } => {
                let sh = self.shipments.get_mut(sid);
                let s = time.sample(&mut sh.rng);
                let claim = Claim::of(sh.fast_track, sh.reserved);
                tok.service_hours = s;
                let p = pool.0 as usize;
                let in_window = now.hours() >= self.warmup && now.hours() < self.horizon;
                let state = &mut self.pools[p];
                if in_window {
                    state.record.joined(s, claim == Claim::Plain);
                }
                // Nobody waiting and an officer free who may serve it: at once.
                if let Some(by) = state.waiting.arrive(t, claim) {
                    self.start_service(p, t, by, cal);
                    return;
                }
                state.record.queued(now.hours(), &state.waiting);
                // Others were waiting: serve in queue order if anyone who may is free.
                if state.waiting.any_free() {
                    self.dispatch(p, cal);
                }
            }
            StageKind::Parallel { branches } => {
                let sh = self.shipments.get_mut(sid);
                // Branches already started on arrival (only ever in the channel's first
                // stage, entered by the shipment's own token) are not started again.
                let early = sh.early_branches && !tok.branch && tok.pos == 0;
                let fast_track = sh.fast_track;
                let starts = |b: &&Branch| !(early && b.starts_on_arrival(fast_track));
                let later = branches.iter().filter(starts).count() as u32;
                sh.open_branches += later;
                if sh.open_branches == 0 {
                    // Every branch started on arrival and has already finished.
                    self.join(sid, cal);
                    return;
                }
                for b in branches.iter().filter(starts) {
                    let bt = self.new_token(&b.stages, sid, true, now);
                    self.enter_stage(bt, cal);
                }
            }
        }
    }

    /// Token `t` starts service with an officer of kind `by` (already counted busy by
    /// the pool's queue).
    fn start_service(
        &mut self,
        p: usize,
        t: TokenId,
        by: Officer,
        cal: &mut EventCalendar<PackedEvent>,
    ) {
        let now = cal.now();
        self.pools[p].account(now.hours());
        let tok = &mut self.tokens[t.index()];
        tok.restricted = by == Officer::OnCall;
        tok.started = now;
        let waited = now - tok.entered;
        let sid = tok.shipment;
        let end = now + tok.service_hours;
        if self.trace.is_some() {
            self.stage_logs[sid.index()][tok.log as usize].1.started = now.hours();
        }
        self.shipments.get_mut(sid).wait_hours += waited;
        cal.schedule(end, Event::StageDone(t).into());
    }

    /// Starts service for waiting tokens while officers who may serve them are free.
    fn dispatch(&mut self, p: usize, cal: &mut EventCalendar<PackedEvent>) {
        loop {
            let state = &mut self.pools[p];
            let Some((t, by)) = state.waiting.start_next() else {
                return;
            };
            state.record.queued(cal.now().hours(), &state.waiting);
            self.start_service(p, t, by, cal);
        }
    }

    #[inline(never)]
    fn stage_done(&mut self, t: TokenId, cal: &mut EventCalendar<PackedEvent>) {
        let now = cal.now();
        let tok = &mut self.tokens[t.index()];
        let stage = &tok.stages[tok.pos as usize];
        tok.pos += 1;
        let (entered, started, sid, log) = (tok.entered, tok.started, tok.shipment, tok.log);
        if let StageKind::Service { pool, .. } = stage.kind {
            let p = pool.0 as usize;
            let state = &mut self.pools[p];
            state.waiting.finish(if tok.restricted {
                Officer::OnCall
            } else {
                Officer::General
            });
            state.account(now.hours());
            // Free officers take waiting tokens before this one moves on, so that a
            // next stage at the same pool joins the back of the queue.
            if state.queue_len() > 0 {
                self.dispatch(p, cal);
            }
        }
        self.stage_finished(sid, stage, entered, started, now, log);
        self.enter_stage(t, cal);
    }

    /// Records a finished stage visit of shipment `sid`.
    fn stage_finished(
        &mut self,
        sid: ShipmentId,
        stage: &Stage,
        entered: SimTime,
        started: SimTime,
        now: SimTime,
        log: u32,
    ) {
        let sh = self.shipments.get(sid);
        if sh.counted {
            self.modes[sh.mode.index()].record.visited(
                stage.stat as usize,
                started - entered,
                now - started,
            );
        }
        if self.trace.is_some() {
            self.stage_logs[sid.index()][log as usize].1.ended = now.hours();
        }
    }

    /// Token `t` has passed its last stage: a branch joins its parent, a channel releases.
    fn finish_list(&mut self, t: TokenId, cal: &mut EventCalendar<PackedEvent>) {
        let now = cal.now();
        let (sid, branch) = {
            let tok = &self.tokens[t.index()];
            (tok.shipment, tok.branch)
        };
        self.free_tokens.push(t);
        if branch {
            let sh = self.shipments.get_mut(sid);
            sh.open_branches -= 1;
            // A branch started on arrival may finish before lodgement, when the
            // shipment's own token does not exist yet: the stage then ends when it
            // enters it.
            if sh.open_branches == 0 && sh.phase == Phase::InProcess {
                self.join(sid, cal);
            }
            return;
        }
        // Released.
        let model = self.model;
        let sh = self.shipments.get_mut(sid);
        sh.release = now;
        sh.phase = Phase::Exiting;
        match model.regimes.modes(sh.variant, &model.modes)[sh.mode.index()]
            .exit
            .as_ref()
        {
            Some(d) => {
                let at = d.end(model, now, &mut sh.rng, sh.fast_track);
                cal.schedule(at, Event::Milestone(sid).into());
            }
            None => self.leave(sid, now),
        }
    }

    /// The last branch of shipment `sid`'s parallel stage has finished: its own token
    /// moves on.
    fn join(&mut self, sid: ShipmentId, cal: &mut EventCalendar<PackedEvent>) {
        let now = cal.now();
        let main = self.shipments.get(sid).main_token;
        let tok = &mut self.tokens[main.index()];
        let stage = &tok.stages[tok.pos as usize];
        tok.pos += 1;
        let (entered, log) = (tok.entered, tok.log);
        self.stage_finished(sid, stage, entered, entered, now, log);
        self.enter_stage(main, cal);
    }

    fn milestone(&mut self, sid: ShipmentId, cal: &mut EventCalendar<PackedEvent>) {
        let now = cal.now();
        let sh = self.shipments.get_mut(sid);
        match sh.phase {
            Phase::Lodging => {
                // The declaration is lodged and enters its channel.
                sh.lodgement = now;
                sh.phase = Phase::InProcess;
                self.start_channel(sid, cal);
            }
            Phase::Exiting => self.leave(sid, now),
            Phase::InProcess => unreachable!("no milestone is scheduled while in process"),
        }
    }

    /// The shipment exits the port: its statistics are recorded and its slot freed.
    fn leave(&mut self, sid: ShipmentId, now: SimTime) {
        let model = self.model;
        let sh = self.shipments.get(sid);
        let m = sh.mode.index();
        let mode = &model.modes[m];
        let state = &mut self.modes[m];
        state.record.left(now.hours());
        if sh.counted {
            let (from, to) = (model.clearance_interval.from, model.clearance_interval.to);
            let at = |ms: Milestone| match ms {
                Milestone::Arrival => sh.arrival,
                Milestone::Lodgement => sh.lodgement,
                Milestone::Release => sh.release,
                Milestone::Exit => now,
            };
            let clearance = at(to) - at(from);
            state
                .record
                .released(sh, now, clearance, clearance <= self.sla_hours);
            self.counted_open -= 1;
            if let Some(trace) = self.trace.as_deref_mut() {
                trace.shipment_released(&ShipmentRecord {
                    replication: self.replication,
                    mode,
                    index: sh.index,
                    priority: sh.priority,
                    reserved: sh.reserved,
                    channel: &mode.channels[sh.channel as usize],
                    arrival: sh.arrival,
                    lodgement: sh.lodgement,
                    release: sh.release,
                    exit: now,
                    clearance_hours: clearance,
                    stages: &self.stage_logs[sid.index()],
                });
            }
        }
        self.shipments.remove(sid);
    }

    fn staff_change(&mut self, p: PoolId, cal: &mut EventCalendar<PackedEvent>) {
        let now = cal.now();
        let model = self.model;
        let pool = &model.pools[p.index()];
        let (g, r) = pool.headcount_at(&model.calendar, now);
        let state = &mut self.pools[p.index()];
        state.waiting.set_headcount(g, r);
        state.record.staffed(now.hours(), g, r);
        state.account(now.hours());
        self.dispatch(p.index(), cal);
        if let Some(t) = pool.next_change_after(&model.calendar, now) {
            cal.schedule(t, Event::StaffChange(p).into());
        }
    }
}

/// A replication stopped part-way ([`Replication::run_until`]): its state and pending
/// events, from which it can be continued under its own model or another.
///
/// Continuing under another model gives exactly what a replication of that model run
/// from the start would (the same figures, bit for bit) when the two models behave the
/// same up to the stop: the same seed, replications, calendar, modes, stages, horizon
/// and recording, regimes that differ only from the stop on, and staffing that differs
/// only from the stop on — with a change of headcount pending at the stop in both, e.g.
/// a dated part of the staffing starting there. This is what lets the iterative
/// staffing algorithm run the days before its window once instead of once per
/// iteration, and the staffing search and sweeps the days before their candidates or
/// variants differ. [`Model::runs_alike_until`] says until when that holds; `resume`
/// checks only what makes it impossible (below).
pub struct Checkpoint<'a> {
    replication: Replication<'a>,
    calendar: EventCalendar<PackedEvent>,
}

impl<'a> Checkpoint<'a> {
    /// The time of the last event handled: every event due before the stop was handled,
    /// none at or after it.
    pub fn now(&self) -> SimTime {
        self.calendar.now()
    }

    /// A copy of the stopped replication continued under `model` to its horizon and
    /// drained; its figures. The checkpoint is left as it was.
    ///
    /// # Panics
    ///
    /// If `model` differs from the checkpoint's in seed, replications, horizon,
    /// warm-up or the number of modes or pools: it cannot be the same model up to now.
    pub fn resume<'b>(&self, model: &'b Model) -> ReplicationResult
    where
        'a: 'b,
    {
        let r = &self.replication;
        let own = r.model;
        assert!(
            model.seed == own.seed
                && model.replications == own.replications
                && model.horizon == own.horizon
                && model.warmup == own.warmup
                && model.modes.len() == own.modes.len()
                && model.pools.len() == own.pools.len(),
            "a replication is continued only under a model that is the same up to its stop"
        );
        let copy = Replication {
            model,
            replication: r.replication,
            warmup: r.warmup,
            horizon: r.horizon,
            sla_hours: r.sla_hours,
            modes: r.modes.clone(),
            pools: r.pools.clone(),
            shipments: r.shipments.clone(),
            tokens: r.tokens.clone(),
            free_tokens: r.free_tokens.clone(),
            counted_open: r.counted_open,
            first_turned_away: r.first_turned_away,
            capped_by: r.capped_by,
            stage_logs: r.stage_logs.clone(),
            trace: None,
            clock: r.clock.clone(),
            // Which variant is in force is asked again: the span kept ends where the
            // stopped model's next regime starts, which `model`'s may not.
            regime: VariantSpan::EMPTY,
        };
        copy.finish(self.calendar.clone())
    }
}

impl Process for Replication<'_> {
    type Event = PackedEvent;

    #[inline]
    fn handle(&mut self, event: PackedEvent, cal: &mut EventCalendar<PackedEvent>) {
        let now = cal.now().hours();
        if now >= self.clock.next_split() {
            self.split_series_until(now);
        }
        match event.event() {
            Event::Arrival(m) => self.arrive(m, cal),
            Event::StageDone(t) => self.stage_done(t, cal),
            Event::Milestone(s) => self.milestone(s, cal),
            Event::StaffChange(p) => self.staff_change(p, cal),
        }
    }

    fn drained(&self) -> bool {
        self.counted_open == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packed_event_unpacks_to_the_event() {
        for id in [0, 1, 7, u32::MAX - 1, u32::MAX] {
            for event in [
                Event::Arrival(ModeId(id)),
                Event::StageDone(TokenId(id)),
                Event::Milestone(ShipmentId(id)),
                Event::StaffChange(PoolId(id)),
            ] {
                let back = PackedEvent::from(event).event();
                assert_eq!(format!("{back:?}"), format!("{event:?}"));
            }
        }
    }
}
