//! The port model: modes and their arrivals, channels and stages, staff pools, and the
//! flow of shipments through them ([`flow`]).
//!
//! A [`Model`] is the validated, resolved form of a scenario file for one policy: every
//! name is resolved to an id, every roster chosen, every distribution checked.

pub mod arrivals;
pub mod distribution;
pub mod flow;
pub mod mode;
pub mod pool;
pub mod shipment;

pub use arrivals::ArrivalProcess;
pub use distribution::{CountDist, DurationDist};
pub use flow::{Replication, ReplicationResult};
pub use mode::{Channel, Mode, ModeId, Stage, StageKind};
pub use pool::{Pool, PoolId, Staffing};

use crate::calendar::Calendar;
use crate::engine::SimTime;

/// A scenario ready to simulate.
#[derive(Clone, Debug)]
pub struct Model {
    /// Scenario name.
    pub name: String,
    /// The civil calendar: start date and holidays.
    pub calendar: Calendar,
    /// End of arrivals (start + `horizon_days`).
    pub horizon: SimTime,
    /// End of the warm-up: arrivals from here to the horizon are counted.
    pub warmup: SimTime,
    /// Longest drain after the horizon, in hours.
    pub drain_hours: f64,
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
}

impl Model {
    /// Hours in the counting window [warm-up end, horizon).
    pub fn window_hours(&self) -> f64 {
        self.horizon - self.warmup
    }

    /// The most stages any channel of any mode has.
    pub fn max_stages(&self) -> usize {
        self.modes
            .iter()
            .flat_map(|m| m.channels.iter().map(|c| c.stages.len()))
            .max()
            .unwrap_or(0)
    }
}
