//! The port model: modes and their arrivals, channels and stages, staff pools, and the
//! flow of shipments through them ([`flow`]).
//!
//! A [`Model`] is the validated, resolved form of a scenario file for one policy: every
//! name is resolved to an id, every roster chosen, every distribution checked.

mod alike;
/// A test model with a rush whose extra hands vary (see `alike.rs`).
#[cfg(test)]
pub(crate) use alike::tests::model as rush_test_model;
pub mod arrivals;
pub mod distribution;
pub mod flow;
pub mod ids;
pub mod mode;
pub mod occupancy;
pub mod pool;
pub mod pool_queue;
mod recorder;
pub mod regime;
pub mod series;
pub mod shipment;
pub mod trace;

pub use arrivals::{ArrivalProcess, LoggedShipment, PeakFactor, Service};
pub use distribution::{CountDist, DurationDist};
pub use flow::{Replication, ReplicationResult};
pub use ids::{ModeId, PoolId, ShipmentId, TokenId};
pub use mode::{Branch, CalendarId, Channel, Delay, Mode, OnArrival, Stage, StageKind};
pub use occupancy::OccupancyPeriods;
pub use pool::{ExtraStaff, Pool, Staffing};
pub use regime::{RegimePeriod, Regimes, Variant};

use crate::calendar::{Calendar, WorkingHours};
use crate::engine::SimTime;

/// A Time Release Study milestone of a shipment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Milestone {
    /// The goods arrive at the port.
    Arrival,
    /// The declaration is lodged.
    Lodgement,
    /// Customs (and the other agencies) release the goods.
    Release,
    /// The goods leave the port.
    Exit,
}

/// Which interval is *the* clearance time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClearanceInterval {
    /// Where it starts.
    pub from: Milestone,
    /// Where it ends.
    pub to: Milestone,
}

impl ClearanceInterval {
    /// Customs clearance time: lodgement → release (the default).
    pub const CUSTOMS: ClearanceInterval = ClearanceInterval {
        from: Milestone::Lodgement,
        to: Milestone::Release,
    };

    /// The scenario-file name: `lodgement-release`, `arrival-exit`, ...
    pub fn name(&self) -> String {
        let n = |m: Milestone| match m {
            Milestone::Arrival => "arrival",
            Milestone::Lodgement => "lodgement",
            Milestone::Release => "release",
            Milestone::Exit => "exit",
        };
        format!("{}-{}", n(self.from), n(self.to))
    }
}

/// Service outside office hours by reservation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reservations {
    /// The working-hour calendar of office hours, in which bookings are made.
    pub office: CalendarId,
    /// How long before arrival a booking must be made, hours.
    pub lead_hours: f64,
}

/// How a model's warm-up is chosen.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum WarmupRule {
    /// `warmup_days` as written in the scenario (0 when absent).
    #[default]
    Fixed,
    /// `warmup = "auto"`: estimated by MSER-5 from a pilot run
    /// (`experiment::warmup::settle`); `None` until then, when the warm-up is still 0.
    Auto(Option<WarmupEstimate>),
}

impl WarmupRule {
    /// How the warm-up was chosen, as reports name it: `fixed`, `MSER-5`, or
    /// `auto (not settled)` for an automatic warm-up nobody estimated yet.
    pub fn method(&self) -> &'static str {
        match self {
            WarmupRule::Fixed => "fixed",
            WarmupRule::Auto(Some(e)) => e.method,
            WarmupRule::Auto(None) => "auto (not settled)",
        }
    }
}

/// An estimated warm-up.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WarmupEstimate {
    /// The warm-up, whole days (what `Model::warmup` is set to).
    pub days: u32,
    /// The rule that estimated it: `MSER-5`.
    pub method: &'static str,
    /// Days the pilot run covered (the horizon, in whole days).
    pub pilot_days: u32,
    /// Days of the pilot with released headline shipments: the length of the series.
    pub series_days: u32,
    /// Whether the rule's truncation was cut down to half the horizon.
    pub capped: bool,
}

/// A named peak period, as reports show it (its effects are in the arrivals and pools).
#[derive(Clone, Debug, PartialEq)]
pub struct PeakPeriod {
    /// Name ("Lunar New Year rush").
    pub name: String,
    /// Start: 00:00 of its first date.
    pub from: SimTime,
    /// End, exclusive: 00:00 of the day after its last date.
    pub to: SimTime,
}

/// The default cap on shipments in the system at once (`max_in_system`): about 200 MB
/// of shipment state per replication running.
pub const DEFAULT_MAX_IN_SYSTEM: u64 = 1_000_000;

/// A scenario ready to simulate.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// Scenario name.
    pub name: String,
    /// The civil calendar: start date and holidays.
    pub calendar: Calendar,
    /// End of arrivals (start + `horizon_days`).
    pub horizon: SimTime,
    /// End of the warm-up: arrivals from here to the horizon are counted.
    pub warmup: SimTime,
    /// How `warmup` is chosen: fixed, or estimated from a pilot run.
    pub warmup_rule: WarmupRule,
    /// Longest drain after the horizon, in hours.
    pub drain_hours: f64,
    /// Most shipments in the system at once: arrivals beyond it are turned away (and
    /// counted), so that an overloaded run keeps bounded memory.
    pub max_in_system: u64,
    /// Replications to run.
    pub replications: u32,
    /// Master seed.
    pub seed: u64,
    /// The policy whose rosters were chosen, if any pool has rosters.
    pub policy: Option<String>,
    /// Staff pools, indexed by [`PoolId`].
    pub pools: Vec<Pool>,
    /// Modes, indexed by [`ModeId`].
    pub modes: Vec<Mode>,
    /// Named working-hour calendars, indexed by [`CalendarId`].
    pub calendars: Vec<(String, WorkingHours)>,
    /// Which interval is the clearance time.
    pub clearance_interval: ClearanceInterval,
    /// Service-level target: share released within this many hours is reported.
    pub sla_hours: Option<f64>,
    /// Reservation rules, if shipments may reserve off-hours service.
    pub reservations: Option<Reservations>,
    /// Peak periods, in file order.
    pub peaks: Vec<PeakPeriod>,
    /// Dated regimes and the variants of the model they make.
    pub regimes: Regimes,
    /// What an officer-hour of each kind costs (`[cost]`), if the scenario says.
    pub cost: Option<crate::results::CostWeights>,
    /// Record each pool's occupancy by period ([`crate::results::PoolResult::occupancy`]): set by the
    /// roster designer, never by a scenario file (None).
    pub occupancy: Option<OccupancyPeriods>,
}

/// The last day of a run [`Model::prepare_staffing`] makes tables for: ten years.
pub const STAFFING_TABLE_DAYS: i64 = 3_653;

impl Model {
    /// Precomputes every pool's headcount over the days a run can ask about (a month
    /// before the start to a month past the drain and the look-ahead of a change
    /// question; see [`Staffing::prepare`]): the same answers, bit for bit, faster.
    /// Called by the loader and by whatever replaces a pool's staffing.
    pub fn prepare_staffing(&mut self) {
        let (first_day, last_day) = self.staffing_days();
        for pool in &mut self.pools {
            pool.prepare(&self.calendar, first_day, last_day);
        }
    }

    /// The first and last day [`Model::prepare_staffing`] covers: at most
    /// [`STAFFING_TABLE_DAYS`], so that memory stays flat in the horizon (later days are
    /// answered by walking the roster, with the same result).
    pub fn staffing_days(&self) -> (i64, i64) {
        let days = (self.horizon.hours() + self.drain_hours.max(0.0)) / 24.0;
        let last_day = if days.is_finite() {
            (days.ceil() as i64 + crate::calendar::RECHECK_DAYS + 31).min(STAFFING_TABLE_DAYS)
        } else {
            STAFFING_TABLE_DAYS
        };
        (-31, last_day)
    }

    /// Hours in the counting window [warm-up end, horizon).
    pub fn window_hours(&self) -> f64 {
        self.horizon - self.warmup
    }

    /// The most stage visits any shipment can make (branch stages included).
    pub fn max_stages(&self) -> usize {
        fn count(stages: &[Stage]) -> usize {
            stages
                .iter()
                .map(|s| match &s.kind {
                    StageKind::Parallel { branches } => {
                        1 + branches.iter().map(|b| count(&b.stages)).sum::<usize>()
                    }
                    _ => 1,
                })
                .sum()
        }
        self.modes
            .iter()
            .flat_map(|m| m.channels.iter().map(|c| count(&c.stages)))
            .max()
            .unwrap_or(0)
    }
}
