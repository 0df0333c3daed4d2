//! The run loop: process events up to a horizon, then drain.

use super::calendar::EventCalendar;
use super::time::SimTime;

/// A model driven by the engine.
pub trait Process {
    /// The model's event type.
    type Event: Clone;

    /// Handles one event at the calendar's current time, scheduling any follow-ups.
    fn handle(&mut self, event: Self::Event, calendar: &mut EventCalendar<Self::Event>);

    /// During the drain phase: whether everything that must finish has finished.
    fn drained(&self) -> bool;
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunOutcome {
    /// Events processed.
    pub events: u64,
    /// Time of the last event processed.
    pub ended_at: SimTime,
    /// Whether the model reported itself drained before the drain limit.
    pub drained: bool,
}

/// Runs `process`: every event before `horizon`, then — the model having stopped
/// generating new work — events until the model reports itself drained, the calendar
/// runs dry or the clock would pass `drain_limit`.
pub fn run<P: Process>(
    process: &mut P,
    calendar: &mut EventCalendar<P::Event>,
    horizon: SimTime,
    drain_limit: SimTime,
) -> RunOutcome {
    advance(process, calendar, horizon);
    let mut drained = process.drained();
    while !drained {
        match calendar.peek_time() {
            Some(t) if t <= drain_limit => {
                let (_, event) = calendar.pop().expect("peeked");
                process.handle(event, calendar);
                drained = process.drained();
            }
            _ => break,
        }
    }
    RunOutcome {
        events: calendar.processed(),
        ended_at: calendar.now(),
        drained,
    }
}

/// Handles every event due before `until` and stops, leaving the rest pending: the
/// first part of a [`run`] to `until` or beyond, which can be continued from a copy of
/// `process` and `calendar` (both as they were) with the same outcome as one run.
pub fn advance<P: Process>(
    process: &mut P,
    calendar: &mut EventCalendar<P::Event>,
    until: SimTime,
) {
    while let Some((_, event)) = calendar.pop_before(until) {
        process.handle(event, calendar);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ticks every hour until `last_tick`; each tick starts a job of `job_hours`.
    #[derive(Clone)]
    struct Ticker {
        last_tick: f64,
        job_hours: f64,
        open_jobs: u32,
        ticks: Vec<f64>,
        done: Vec<f64>,
    }

    #[derive(Clone)]
    enum Ev {
        Tick,
        JobDone,
    }

    impl Process for Ticker {
        type Event = Ev;
        fn handle(&mut self, event: Ev, cal: &mut EventCalendar<Ev>) {
            let now = cal.now().hours();
            match event {
                Ev::Tick => {
                    self.ticks.push(now);
                    self.open_jobs += 1;
                    cal.schedule_in(self.job_hours, Ev::JobDone);
                    if now + 1.0 <= self.last_tick {
                        cal.schedule_in(1.0, Ev::Tick);
                    }
                }
                Ev::JobDone => {
                    self.open_jobs -= 1;
                    self.done.push(now);
                }
            }
        }
        fn drained(&self) -> bool {
            self.open_jobs == 0
        }
    }

    fn ticker(job_hours: f64) -> (Ticker, EventCalendar<Ev>) {
        let m = Ticker {
            last_tick: 2.0,
            job_hours,
            open_jobs: 0,
            ticks: vec![],
            done: vec![],
        };
        let mut cal = EventCalendar::new();
        cal.schedule(SimTime::ZERO, Ev::Tick);
        (m, cal)
    }

    #[test]
    fn stops_at_horizon_then_drains_open_work() {
        let (mut m, mut cal) = ticker(5.0);
        let out = run(
            &mut m,
            &mut cal,
            SimTime::from_hours(3.0),
            SimTime::from_hours(100.0),
        );
        assert!(out.drained);
        assert_eq!(m.ticks, [0.0, 1.0, 2.0]);
        // Jobs started before the horizon finish in the drain phase.
        assert_eq!(m.done, [5.0, 6.0, 7.0]);
        assert_eq!(out.ended_at.hours(), 7.0);
        assert_eq!(out.events, 6);
    }

    #[test]
    fn a_run_advanced_part_way_continues_from_a_copy_as_one_run() {
        let (mut whole, mut whole_cal) = ticker(2.5);
        let (h, limit) = (SimTime::from_hours(3.0), SimTime::from_hours(100.0));
        let one = run(&mut whole, &mut whole_cal, h, limit);
        // Stopped at 1.0 exactly: the tick due then is left pending, not handled.
        let (mut m, mut cal) = ticker(2.5);
        advance(&mut m, &mut cal, SimTime::from_hours(1.0));
        assert_eq!(m.ticks, [0.0]);
        assert_eq!(cal.now().hours(), 0.0);
        for _ in 0..2 {
            let (mut copy, mut copy_cal) = (m.clone(), cal.clone());
            let out = run(&mut copy, &mut copy_cal, h, limit);
            assert_eq!(out, one);
            assert_eq!(
                (copy.ticks, copy.done),
                (whole.ticks.clone(), whole.done.clone())
            );
        }
    }

    #[test]
    fn drain_limit_is_respected() {
        let (mut m, mut cal) = ticker(50.0);
        let out = run(
            &mut m,
            &mut cal,
            SimTime::from_hours(3.0),
            SimTime::from_hours(10.0),
        );
        assert!(!out.drained);
        assert_eq!(m.open_jobs, 3);
        assert_eq!(out.ended_at.hours(), 2.0);
    }
}
