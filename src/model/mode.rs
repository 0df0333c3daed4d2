//! Modes, channels and stages.

use super::Model;
use super::arrivals::ArrivalProcess;
use super::distribution::DurationDist;
use super::ids::PoolId;
use crate::engine::SimTime;
use crate::engine::rng::StreamRng;

/// Index of a working-hour calendar in [`super::Model::calendars`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CalendarId(pub u32);

/// A named stream of shipments with its own arrivals and process.
#[derive(Clone, Debug, PartialEq)]
pub struct Mode {
    /// Mode name (`air-cargo`, `rail`, ...).
    pub name: String,
    /// Whether the mode counts in the headline figures.
    pub headline: bool,
    /// Share of shipments in the priority class (served first at every pool; the fast
    /// track when restricted officers are on call).
    pub priority_share: f64,
    /// Whether the priority class gets the fast track: served first, and by on-call
    /// officers too. Without it the class keeps its channel mix but is served as any
    /// other shipment.
    pub fast_track: bool,
    /// Share of shipments whose trader tries to reserve service outside office hours.
    pub reservation_share: f64,
    /// How shipments arrive.
    pub arrivals: ArrivalProcess,
    /// Time from arrival to lodgement of the declaration (none: lodgement is arrival).
    pub lodgement: Option<Delay>,
    /// Time from release to exit from the port (none: exit is release).
    pub exit: Option<Delay>,
    /// Channels; shares sum to 1.
    pub channels: Vec<Channel>,
    /// Names of the stages, for statistics: [`Stage::stat`] indexes this list.
    pub stage_names: Vec<String>,
    /// Whether the priority class has its own channel mix (`share_priority`).
    pub class_mix: bool,
}

/// A delay: time drawn from a distribution, counted in a working-hour calendar if given.
#[derive(Clone, Debug, PartialEq)]
pub struct Delay {
    /// Hours (of the calendar's open time, if any).
    pub time: DurationDist,
    /// The calendar whose open hours the delay counts in.
    pub calendar: Option<CalendarId>,
    /// The calendar a fast-tracked shipment's delay counts in instead (none: `calendar`).
    pub calendar_fast_track: Option<CalendarId>,
}

impl Delay {
    /// When the delay, starting at `now`, ends for a shipment (fast-tracked or not): a
    /// drawn duration counted only in its calendar's open hours (plain hours without a
    /// calendar).
    pub fn end(
        &self,
        model: &Model,
        now: SimTime,
        rng: &mut StreamRng,
        fast_track: bool,
    ) -> SimTime {
        let hours = self.time.sample(rng);
        let calendar = match self.calendar_fast_track {
            Some(c) if fast_track => Some(c),
            _ => self.calendar,
        };
        match calendar {
            None => now + hours,
            Some(c) => model.calendars[c.0 as usize]
                .1
                .advance(&model.calendar, now, hours)
                // Validation makes sure every calendar opens; should one not open within
                // its look-ahead (years), count the delay in plain hours rather than never end.
                .unwrap_or(now + hours),
        }
    }
}

/// A channel (green, yellow, red): a share of the mode's shipments and their stages.
#[derive(Clone, Debug, PartialEq)]
pub struct Channel {
    /// Channel name.
    pub name: String,
    /// Share of the mode's shipments.
    pub share: f64,
    /// Sum of the shares of this and earlier channels (for drawing a channel).
    pub cumulative: f64,
    /// Share of the priority class, when the mode gives the classes their own mixes
    /// ([`Mode::class_mix`]); else equal to `share`.
    pub share_priority: f64,
    /// Sum of `share_priority` of this and earlier channels.
    pub cumulative_priority: f64,
    /// Stages in order.
    pub stages: Vec<Stage>,
}

/// One step of a channel.
#[derive(Clone, Debug, PartialEq)]
pub struct Stage {
    /// Stage name.
    pub name: String,
    /// Index into the mode's [`Mode::stage_names`] (stages of the same name share it).
    pub stat: u32,
    /// What the stage does.
    pub kind: StageKind,
}

/// Service by an officer, a delay, or branches in parallel.
#[derive(Clone, Debug, PartialEq)]
pub enum StageKind {
    /// One officer of `pool` serves the shipment for a time drawn from `time`.
    Service {
        /// The pool.
        pool: PoolId,
        /// Service time, hours.
        time: DurationDist,
    },
    /// Time passes; no officer is needed.
    Delay(Delay),
    /// Branches run at the same time (customs review ∥ quarantine); the stage ends
    /// when the last branch ends.
    Parallel {
        /// The branches, each a list of stages (services and delays).
        branches: Vec<Branch>,
    },
}

/// One branch of a parallel stage.
#[derive(Clone, Debug, PartialEq)]
pub struct Branch {
    /// Branch name.
    pub name: String,
    /// Stages in order.
    pub stages: Vec<Stage>,
    /// Who starts this branch on arrival instead of at lodgement (none: nobody).
    pub on_arrival: Option<OnArrival>,
}

/// Who starts a branch of a channel's first stage when the shipment arrives, before its
/// declaration is lodged (inspection on arrival).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnArrival {
    /// Fast-tracked shipments only.
    FastTrack,
    /// Every shipment of the channel.
    All,
}

impl Branch {
    /// Whether a shipment (fast-tracked or not) starts this branch on arrival.
    #[inline]
    pub fn starts_on_arrival(&self, fast_track: bool) -> bool {
        match self.on_arrival {
            None => false,
            Some(OnArrival::FastTrack) => fast_track,
            Some(OnArrival::All) => true,
        }
    }
}

impl Channel {
    /// The service hours a shipment of this channel brings to each pool on average
    /// (indexed by pool; delays need no officer), over all its stages and branches.
    pub fn expected_work(&self, pools: usize) -> Vec<f64> {
        fn add(stages: &[Stage], work: &mut [f64]) {
            for stage in stages {
                match &stage.kind {
                    StageKind::Service { pool, time } => work[pool.0 as usize] += time.mean(),
                    StageKind::Delay(_) => {}
                    StageKind::Parallel { branches } => {
                        for b in branches {
                            add(&b.stages, work);
                        }
                    }
                }
            }
        }
        let mut work = vec![0.0; pools];
        add(&self.stages, &mut work);
        work
    }
}

impl Mode {
    /// The service hours a shipment of this mode brings to each pool on average, its
    /// class and channel drawn by the shares (indexed by pool).
    pub fn expected_work(&self, pools: usize) -> Vec<f64> {
        self.expected_work_of(pools, None)
    }

    /// [`Mode::expected_work`] of one class (`Some(true)`: priority), or of the mode's
    /// class mix (`None`).
    pub fn expected_work_of(&self, pools: usize, priority: Option<bool>) -> Vec<f64> {
        let p = self.priority_share;
        let mut work = vec![0.0; pools];
        for c in &self.channels {
            let share = match priority {
                _ if !self.class_mix => c.share,
                Some(true) => c.share_priority,
                Some(false) => c.share,
                None => (1.0 - p) * c.share + p * c.share_priority,
            };
            for (w, x) in work.iter_mut().zip(c.expected_work(pools)) {
                *w += share * x;
            }
        }
        work
    }

    /// The channel of a shipment of the given class for a uniform draw `u` in [0, 1):
    /// by the priority class's own shares when the mode gives them.
    #[inline]
    pub fn channel_for_class(&self, u: f64, priority: bool) -> usize {
        if priority && self.class_mix {
            self.channels
                .iter()
                .position(|c| u < c.cumulative_priority)
                .unwrap_or(self.channels.len() - 1)
        } else {
            self.channel_for(u)
        }
    }

    /// The channel for a uniform draw `u` in [0, 1).
    #[inline]
    pub fn channel_for(&self, u: f64) -> usize {
        self.channels
            .iter()
            .position(|c| u < c.cumulative)
            .unwrap_or(self.channels.len() - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(kind: StageKind) -> Stage {
        Stage {
            name: "s".into(),
            stat: 0,
            kind,
        }
    }

    fn service(pool: u32, mean: f64) -> Stage {
        stage(StageKind::Service {
            pool: PoolId(pool),
            time: DurationDist::exponential(mean).unwrap(),
        })
    }

    fn channel(share: f64, stages: Vec<Stage>) -> Channel {
        Channel {
            name: "c".into(),
            share,
            cumulative: 0.0,
            share_priority: share,
            cumulative_priority: 0.0,
            stages,
        }
    }

    /// A Poisson mode with these channels.
    fn mode(priority_share: f64, channels: Vec<Channel>, class_mix: bool) -> Mode {
        Mode {
            name: "m".into(),
            headline: true,
            priority_share,
            fast_track: true,
            reservation_share: 0.0,
            arrivals: ArrivalProcess::Poisson {
                rate_per_hour: 1.0,
                profile: None,
                peaks: vec![],
            },
            lodgement: None,
            exit: None,
            channels,
            stage_names: vec!["s".into()],
            class_mix,
        }
    }

    #[test]
    fn expected_work_sums_services_in_every_branch_and_skips_delays() {
        let delay = stage(StageKind::Delay(Delay {
            time: DurationDist::deterministic(5.0).unwrap(),
            calendar: None,
            calendar_fast_track: None,
        }));
        let parallel = stage(StageKind::Parallel {
            branches: vec![
                Branch {
                    name: "customs".into(),
                    stages: vec![service(0, 0.25), delay.clone()],
                    on_arrival: None,
                },
                Branch {
                    name: "quarantine".into(),
                    stages: vec![service(1, 0.75)],
                    on_arrival: None,
                },
            ],
        });
        let c = channel(1.0, vec![service(0, 0.5), delay, parallel, service(2, 0.1)]);
        assert_eq!(c.expected_work(3), vec![0.75, 0.75, 0.1]);
    }

    #[test]
    fn a_modes_expected_work_weighs_its_channels_by_share() {
        let mode = mode(
            0.0,
            vec![
                channel(0.75, vec![service(0, 1.0)]),
                channel(0.25, vec![service(0, 2.0), service(1, 4.0)]),
            ],
            false,
        );
        assert_eq!(mode.expected_work(2), vec![1.25, 1.0]);
    }

    #[test]
    fn the_priority_class_draws_from_its_own_mix() {
        let mut green = channel(0.9, vec![service(0, 1.0)]);
        let mut red = channel(0.1, vec![service(0, 1.0), service(1, 2.0)]);
        (green.cumulative, red.cumulative) = (0.9, 1.0);
        (green.share_priority, red.share_priority) = (0.0, 1.0);
        (green.cumulative_priority, red.cumulative_priority) = (0.0, 1.0);
        let mode = mode(0.2, vec![green, red], true);
        for u in [0.0, 0.5, 0.95] {
            assert_eq!(mode.channel_for_class(u, true), 1, "priority is all red");
        }
        assert_eq!(mode.channel_for_class(0.5, false), 0);
        assert_eq!(mode.channel_for_class(0.95, false), 1);
        // Pool 0 serves every shipment for 1 h; red, 0.8 × 0.1 + 0.2 × 1 = 0.28 of
        // shipments, adds 2 h at pool 1: 0.56 h a shipment.
        let work = mode.expected_work(2);
        assert!(
            (work[0] - 1.0).abs() < 1e-12 && (work[1] - 0.56).abs() < 1e-12,
            "{work:?}"
        );
    }
}
