//! Modes, channels and stages.

use super::arrivals::ArrivalProcess;
use super::distribution::DurationDist;
use super::pool::PoolId;

/// Index of a mode in [`super::Model::modes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModeId(pub u32);

/// A named stream of shipments with its own arrivals and process.
#[derive(Clone, Debug)]
pub struct Mode {
    /// Mode name (`air-cargo`, `rail`, ...).
    pub name: String,
    /// Whether the mode counts in the headline figures.
    pub headline: bool,
    /// Share of shipments in the priority class (served first at every pool).
    pub priority_share: f64,
    /// How shipments arrive.
    pub arrivals: ArrivalProcess,
    /// Channels; shares sum to 1.
    pub channels: Vec<Channel>,
}

/// A channel (green, yellow, red): a share of the mode's shipments and their stages.
#[derive(Clone, Debug)]
pub struct Channel {
    /// Channel name.
    pub name: String,
    /// Share of the mode's shipments.
    pub share: f64,
    /// Sum of the shares of this and earlier channels (for drawing a channel).
    pub cumulative: f64,
    /// Stages in order.
    pub stages: Vec<Stage>,
}

/// One step of a channel.
#[derive(Clone, Debug)]
pub struct Stage {
    /// Stage name.
    pub name: String,
    /// What the stage does.
    pub kind: StageKind,
}

/// Service by an officer, or a delay.
#[derive(Clone, Debug)]
pub enum StageKind {
    /// One officer of `pool` serves the shipment for a time drawn from `time`.
    Service {
        /// The pool.
        pool: PoolId,
        /// Service time, hours.
        time: DurationDist,
    },
    /// Time passes; no officer is needed.
    Delay {
        /// Delay, hours.
        time: DurationDist,
    },
}

impl Mode {
    /// The channel for a uniform draw `u` in [0, 1).
    #[inline]
    pub fn channel_for(&self, u: f64) -> usize {
        self.channels
            .iter()
            .position(|c| u < c.cumulative)
            .unwrap_or(self.channels.len() - 1)
    }
}
